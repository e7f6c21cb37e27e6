use super::build_files::{build_key_at, with_dockerfiles};
use super::with_written;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use crate::model::{Model, is_automatic_arg};

pub struct FromArgWithoutValue;

static META: RuleMeta = RuleMeta {
    code: "BC5008",
    name: "from-arg-without-value",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "The Dockerfile's FROM needs an ARG that the service's `build.args` does not set",
    docs: r#"## What it checks
Services with `build` whose Dockerfile uses, in a `FROM` line, an ARG declared
before the first `FROM` without a default (`ARG BASE_IMAGE` then
`FROM ${BASE_IMAGE}`), when `build.args` does not give it. Stages that use a
default inside the reference (`${BASE_IMAGE:-alpine}`) and the builder's
platform arguments are fine. The rule runs when berth can read the Dockerfile.
The finding is at the service's `build` key, with the `FROM` line named.

## Why it matters
Such a Dockerfile can only be built with `--build-arg`. Without it the image
name is empty or truncated (`FROM :3.12`) and the build fails with "base name
should not be blank" or pulls an unintended image; `docker compose build`
gives no hint that `build.args` is where the value belongs.

## Example
```yaml
services:
  api:
    build: ./api
```
with `api/Dockerfile` starting `ARG PYTHON_IMAGE` and `FROM ${PYTHON_IMAGE}`.

## Use instead
```yaml
services:
  api:
    build:
      context: ./api
      args:
        PYTHON_IMAGE: python:3.12-slim
```
or give the ARG a default in the Dockerfile.

## References
- Compose build `args`: https://docs.docker.com/reference/compose-file/build/#args
- How ARG and FROM interact: https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact
"#,
};

impl ComposeRule for FromArgWithoutValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for bd in with_dockerfiles(cx) {
            let model = Model::build_without_scripts(&bd.file);
            let mut missing: Vec<(String, usize)> = Vec::new();
            for stage in &model.stages {
                let Some(e) = &stage.image_evaluated else { continue };
                for name in &e.unresolved {
                    let declared_bare = model
                        .global_args
                        .iter()
                        .rev()
                        .find(|a| a.name == *name && a.instruction < stage.from)
                        .is_some_and(|a| a.raw_value.is_none());
                    if !declared_bare
                        || is_automatic_arg(name)
                        || bd.build.args.iter().any(|a| a.name == *name)
                        || missing.iter().any(|(n, _)| n == name)
                    {
                        continue;
                    }
                    missing.push((name.clone(), stage.from));
                }
            }
            for (name, from) in missing {
                let line = bd
                    .file
                    .instructions
                    .get(from)
                    .map(|i| bd.file.slice(i.span).lines().next().unwrap_or("").trim().to_string())
                    .unwrap_or_default();
                let (at, written) = build_key_at(bd.build);
                out.push(with_written(
                    META.diagnostic(
                        at,
                        format!(
                            "`{}` needs build argument `{name}` (`{line}`), which has no default and is not in `build.args` of service `{}`; the build fails without it",
                            bd.name, bd.build.service.name
                        ),
                    ),
                    written,
                ));
            }
        }
    }
}
