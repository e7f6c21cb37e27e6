use super::build_files::with_dockerfiles;
use super::with_written;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use crate::model::{Model, VarKind, is_automatic_arg};

pub struct UndeclaredBuildArg;

static META: RuleMeta = RuleMeta {
    code: "BC5007",
    name: "undeclared-build-arg",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A `build.args` entry that the Dockerfile never declares with ARG",
    docs: r#"## What it checks
Entries of a service's `build.args` (map or list syntax) whose name no `ARG`
of the Dockerfile declares, before the first `FROM` or in any stage, with a
did-you-mean on the declared names. The builder's own arguments (proxy
variables, `BUILDKIT_*`, `SOURCE_DATE_EPOCH`, the platform arguments) are
accepted. The rule runs when berth can read the Dockerfile.

## Why it matters
A build argument only reaches the build through a matching `ARG`. Without
one it is dropped without an error (BuildKit does not even warn), so a
misspelt name (`NODE_VERSON`) or an `ARG` removed from the Dockerfile leaves
the build on its default value while the Compose file suggests otherwise.

## Example
```yaml
services:
  web:
    build:
      context: .
      args:
        NODE_VERSON: "22"
```
with `ARG NODE_VERSION=20` in the Dockerfile.

## Use instead
```yaml
services:
  web:
    build:
      context: .
      args:
        NODE_VERSION: "22"
```

## References
- Compose build `args`: https://docs.docker.com/reference/compose-file/build/#args
- Dockerfile `ARG`: https://docs.docker.com/reference/dockerfile/#arg
"#,
};

impl ComposeRule for UndeclaredBuildArg {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for bd in with_dockerfiles(cx) {
            if bd.build.args.is_empty() {
                continue;
            }
            let model = Model::build_without_scripts(&bd.file);
            let mut declared: Vec<&str> = model.global_args.iter().map(|a| a.name.as_str()).collect();
            for s in &model.stages {
                declared.extend(s.vars.iter().filter(|v| v.kind == VarKind::Arg).map(|v| v.name.as_str()));
            }
            declared.sort_unstable();
            declared.dedup();
            for a in &bd.build.args {
                if a.name.is_empty()
                    || a.name.contains('$')
                    || declared.binary_search(&a.name.as_str()).is_ok()
                    || is_automatic_arg(&a.name)
                {
                    continue;
                }
                let hint = match crate::util::closest(&a.name, declared.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "declare it with `ARG` or remove it".to_string(),
                };
                let (at, written) = match a.via {
                    Some(v) => (v, Some(a.span)),
                    None => (a.span, None),
                };
                out.push(with_written(
                    META.diagnostic(
                        at,
                        format!(
                            "build argument `{}` of service `{}` is not declared by any `ARG` in `{}`, so the build ignores it; {hint}",
                            a.name, bd.build.service.name, bd.name
                        ),
                    ),
                    written,
                ));
            }
        }
    }
}
