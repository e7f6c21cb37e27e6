use super::build_files::with_dockerfiles;
use super::ports::PortSpec;
use super::{place_node, with_written};
use crate::compose::interpolate;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use crate::model::{Base, Model};
use crate::syntax::Keyword;

pub struct PublishedPortNotExposed;

static META: RuleMeta = RuleMeta {
    code: "BC5009",
    name: "published-port-not-exposed",
    severity: Severity::Info,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: false,
    summary: "A service publishes a container port that its Dockerfile does not EXPOSE",
    docs: r#"## What it checks
Services with `build` and `ports` whose container port (short syntax
`host:container`, long syntax `target`, ranges included) is not among the
`EXPOSE` ports of the stage that is built: `build.target`, else the last
stage, together with the stages it is built `FROM`. Only Dockerfiles that
expose something are judged (a base image may expose ports berth cannot see),
and EXPOSE lines with variables that have no value make the rule stay silent.
`build.args` values are used to evaluate `EXPOSE ${PORT}`. Off by default.

## Why it matters
`EXPOSE` is documentation: publishing works without it. But a mismatch
usually means one side changed (the app now listens on 8000, the Compose file
still maps 3000), and the service then answers nothing on the published
port. Tools that read the image metadata (reverse proxies, `docker run -P`)
follow `EXPOSE`.

## Example
```yaml
services:
  web:
    build: .
    ports:
      - "8080:3000"
```
with `EXPOSE 8000` in the Dockerfile.

## Use instead
Publish the port the application listens on (`"8080:8000"`), or update
`EXPOSE`.

## References
- Compose `ports`: https://docs.docker.com/reference/compose-file/services/#ports
- Dockerfile `EXPOSE`: https://docs.docker.com/reference/dockerfile/#expose
"#,
};

/// `80`, `80/udp`, `8000-8010/tcp` -> (first, last, protocol).
fn port_range(entry: &str) -> Option<(u32, u32, String)> {
    let (p, proto) = entry.split_once('/').unwrap_or((entry, "tcp"));
    let (a, b) = p.split_once('-').unwrap_or((p, p));
    let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a <= b).then(|| (a, b, proto.trim().to_ascii_lowercase()))
}

impl ComposeRule for PublishedPortNotExposed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for bd in with_dockerfiles(cx) {
            let Some(ports) = bd.build.service.node.get("ports") else { continue };
            let args = bd.build.known_args();
            let model = Model::build_with_args_without_scripts(&bd.file, &args);
            let start = match &bd.build.target {
                Some((_, _, Some(t))) => model.stage_by_ref(t).filter(|s| s.name.is_some()),
                Some((_, _, None)) => None,
                None => model.final_stage(),
            };
            let Some(mut stage) = start else { continue };
            // EXPOSE of the built stage and the stages it is built on.
            let mut exposed: Vec<(u32, u32, String)> = Vec::new();
            let mut unknown = false;
            let mut seen = 0;
            loop {
                for (idx, inst) in model.stage_instructions(stage) {
                    if inst.effective().keyword != Keyword::Expose {
                        continue;
                    }
                    let words = model.evaluated_words(inst.effective(), idx);
                    unknown |= words.len() != inst.effective().words().len();
                    for w in words {
                        for entry in w.value.split_whitespace() {
                            match port_range(entry) {
                                Some(r) => exposed.push(r),
                                None => unknown = true,
                            }
                        }
                    }
                }
                seen += 1;
                match stage.base {
                    Base::Stage(p) if p < stage.index && seen <= model.stages.len() => stage = &model.stages[p],
                    _ => break,
                }
            }
            if unknown || exposed.is_empty() {
                continue;
            }
            let shown: Vec<String> = exposed
                .iter()
                .map(|(a, b, p)| {
                    let n = if a == b { a.to_string() } else { format!("{a}-{b}") };
                    if p == "tcp" { n } else { format!("{n}/{p}") }
                })
                .collect();
            for item in ports.items() {
                let Some(spec) = PortSpec::of(item) else { continue };
                let Some(container) = interpolate::interpolate(&spec.container, &cx.project.env) else { continue };
                let proto = interpolate::interpolate(&spec.protocol, &cx.project.env).unwrap_or_default();
                let Some((a, b, _)) = port_range(&container) else { continue };
                let proto = if proto.is_empty() { "tcp".to_string() } else { proto.to_ascii_lowercase() };
                let shown_port = if proto == "tcp" { container.clone() } else { format!("{container}/{proto}") };
                let covered = (a..=b).take(65_536).all(|port| {
                    exposed.iter().any(|(x, y, p)| *x <= port && port <= *y && p.eq_ignore_ascii_case(&proto))
                });
                if covered {
                    continue;
                }
                // Long syntax: at `target`.
                let (at, written) = match item.entry("target") {
                    Some((k, v)) if item.via.is_none() => (k.span.cover(v.span), None),
                    _ => place_node(item),
                };
                out.push(with_written(
                    META.diagnostic(
                        at,
                        format!(
                            "service `{}` publishes container port `{shown_port}`, but `{}` exposes only {}; publish the port the application listens on or update EXPOSE",
                            bd.build.service.name,
                            bd.name,
                            shown.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                        ),
                    ),
                    written,
                ));
            }
        }
    }
}
