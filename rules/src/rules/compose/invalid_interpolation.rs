use super::walk;
use crate::compose::interpolate;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct InvalidInterpolation;

static META: RuleMeta = RuleMeta {
    code: "BC0010",
    name: "invalid-interpolation",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A `${...}` that Docker Compose cannot interpolate",
    docs: r#"## What it checks
Values with a `${` that is not one of the forms Compose understands:
`${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?message}`,
`${NAME?message}`, `${NAME:+alternative}`, `${NAME+alternative}` (the word
after the operator may hold further references, as in `${A:-${B}}`). Found:
an empty or unnamed reference (`${}`, `${ NAME}`, `${1}`), characters after the
name (`${NAME }`, `${NAME!}`, `${NAME:0:3}`, `${NAME/a/b}`), and a `${` whose
`}` is missing on that line. Every value is checked, extension fields (`x-*`)
too; keys are not, since Compose does not interpolate them.

A `$` followed by anything but `{`, `$` or a name (`$ `, `$1`, `$}`, a `$` at
the end) is kept as it is by current Compose versions and is not reported.

## Why it matters
Compose interpolates the whole file before anything else and stops at the
first such value with "invalid interpolation format ... You may need to escape
any $ with another $". Nothing starts. Shell syntax copied into a `command` or
`healthcheck` (`${VAR%.*}`, `${#VAR}`) is the usual cause: Compose reads it
before the shell sees it.

## Example
```yaml
services:
  app:
    image: example/app
    command: sh -c 'echo ${FILE%.txt}'
```

## Use instead
```yaml
services:
  app:
    image: example/app
    command: sh -c 'echo $${FILE%.txt}'
```
`$$` passes a literal `$` on to the container, where the shell expands it.

## References
- Compose interpolation: https://docs.docker.com/reference/compose-file/interpolation/
"#,
};

impl ComposeRule for InvalidInterpolation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        walk(&cx.file.raw, &mut |_, node| {
            let Some(text) = node.str() else { return };
            if !text.contains("${") {
                return;
            }
            if let Err(e) = interpolate::parse(text) {
                let at = interpolate::source_span(cx.file, node, e.span);
                out.push(META.diagnostic(
                    at,
                    format!("{}; `docker compose` stops on it (write a literal `$` as `$$`)", e.message),
                ));
            }
        });
    }
}
