use super::build_files::with_dockerfiles;
use super::{place_node, with_written};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use crate::model::Model;

pub struct UnknownBuildTarget;

static META: RuleMeta = RuleMeta {
    code: "BC5006",
    name: "unknown-build-target",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "`build.target` is not a stage of the service's Dockerfile",
    docs: r#"## What it checks
Services whose `build.target` names no `FROM ... AS <name>` stage of their
Dockerfile (compared without regard to case, as BuildKit does), with a
did-you-mean. Targets given by variables without a value are not checked.
The rule runs when berth can read the Dockerfile (from disk, or
`dockerfile_inline`).

## Why it matters
The build stops with "target stage ... could not be found". Stages get
renamed in the Dockerfile while the Compose file, often in another folder,
keeps the old name.

## Example
```yaml
services:
  api:
    build:
      context: .
      target: prod
```
with a Dockerfile whose stages are `build` and `production`.

## Use instead
```yaml
services:
  api:
    build:
      context: .
      target: production
```

## References
- Compose build `target`: https://docs.docker.com/reference/compose-file/build/#target
- Multi-stage builds: https://docs.docker.com/build/building/multi-stage/
"#,
};

impl ComposeRule for UnknownBuildTarget {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for bd in with_dockerfiles(cx) {
            let Some((_, node, Some(target))) = &bd.build.target else { continue };
            let model = Model::build_without_scripts(&bd.file);
            if model.stages.is_empty() {
                continue;
            }
            let names: Vec<&str> =
                model.stages.iter().filter_map(|s| s.name.as_ref()).map(|n| n.value.as_str()).collect();
            if names.iter().any(|n| n.eq_ignore_ascii_case(target)) {
                continue;
            }
            let hint = match crate::util::closest(target, names.iter().copied()) {
                Some(s) => format!("; did you mean `{s}`?"),
                None if names.is_empty() => "; it has no named stages (`FROM ... AS name`)".to_string(),
                None if names.len() <= 6 => {
                    format!(
                        "; its stages are {}",
                        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                    )
                }
                None => String::new(),
            };
            let (at, written) = place_node(node);
            out.push(with_written(
                META.diagnostic(
                    at,
                    format!(
                        "build target `{target}` of service `{}` is not a stage of `{}`{hint}",
                        bd.build.service.name, bd.name
                    ),
                ),
                written,
            ));
        }
    }
}
