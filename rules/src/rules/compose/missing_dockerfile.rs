use super::build_files::build_key_at;
use super::{place, place_node, with_written};
use crate::compose::project::{DockerfileSource, Found};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct MissingDockerfile;

static META: RuleMeta = RuleMeta {
    code: "BC5005",
    name: "missing-dockerfile",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service's Dockerfile does not exist in its build context",
    docs: r#"## What it checks
Services whose build context exists but holds no Dockerfile: the one named by
`build.dockerfile` (relative to the context), or `Dockerfile` (or
`dockerfile`) when none is named. Builds with `dockerfile_inline` need no
file. The rule runs when berth reads the project from disk.

## Why it matters
The build stops at once with "failed to read dockerfile: open Dockerfile: no
such file or directory". A `dockerfile:` path written relative to the Compose
file instead of the context is a common cause: it is relative to the context.

## Example
```yaml
services:
  api:
    build:
      context: ./api
      dockerfile: ./api/Dockerfile.prod
```

## Use instead
```yaml
services:
  api:
    build:
      context: ./api
      dockerfile: Dockerfile.prod
```

## References
- Compose build `dockerfile`: https://docs.docker.com/reference/compose-file/build/#dockerfile
"#,
};

impl ComposeRule for MissingDockerfile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for b in &cx.project.builds {
            let (Some(ctx), DockerfileSource::File(d)) = (&b.context, &b.dockerfile) else { continue };
            if cx.project.found(&ctx.path) != Some(&Found::Dir) {
                continue;
            }
            let missing = |p: &str| matches!(cx.project.found(p), Some(Found::Missing | Found::Dir));
            if !missing(&d.path) || d.alt.as_deref().is_some_and(|a| !missing(a)) {
                continue;
            }
            let (at, written) = match (d.written, ctx.written) {
                (Some((k, v)), _) => {
                    let (at, w) = place(k, v);
                    if w.is_some() { (at, w) } else { (v.span, None) }
                }
                (None, Some(n)) => place_node(n),
                (None, None) => build_key_at(b),
            };
            let message = match d.written {
                Some(_) => format!(
                    "service `{}` builds with `{}`, which does not exist (`dockerfile` is relative to the build context `{}`)",
                    b.service.name, d.path, ctx.path
                ),
                None => format!(
                    "the build context `{}` of service `{}` has no `Dockerfile`; add one or name another with `dockerfile:`",
                    ctx.path, b.service.name
                ),
            };
            out.push(with_written(META.diagnostic(at, message), written));
        }
    }
}
