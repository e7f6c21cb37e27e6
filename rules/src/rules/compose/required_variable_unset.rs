use super::walk;
use crate::compose::interpolate;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use crate::text::Span;

pub struct RequiredVariableUnset;

static META: RuleMeta = RuleMeta {
    code: "BC0011",
    name: "required-variable-unset",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "`${NAME:?...}` or `${NAME?...}` with no value in the project's `.env`",
    docs: r#"## What it checks
References that make Compose stop when the variable has no value
(`${NAME:?message}`: unset or empty; `${NAME?message}`: unset) whose variable
the `.env` file beside the Compose file does not set (or, for `:?`, sets to an
empty string). The rule runs only when such a `.env` file exists: without
one, a required variable is clearly meant to come from the environment.
berth does not read the process environment, so results do not depend on who
runs the linter.

## Why it matters
`docker compose` reads `.env` from the project folder, then the shell's
environment. When neither has the variable, every command (`up`, `config`,
`build`) stops with "required variable NAME is missing a value". A `.env`
that lacks a variable the file requires usually means the variable was added
to the Compose file and forgotten in `.env` (or in `.env.example`, from which
people copy it).

## Example
```yaml
# .env contains: POSTGRES_USER=app
services:
  db:
    image: postgres:17
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}
```

## Use instead
Add `POSTGRES_PASSWORD=...` to `.env` (or document that it must be exported
in the shell, and turn this rule off for the file).

## References
- Compose interpolation: https://docs.docker.com/reference/compose-file/interpolation/
- `.env` files: https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/
"#,
};

impl ComposeRule for RequiredVariableUnset {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.project.dotenv.is_none() {
            return;
        }
        let env = &cx.project.env;
        walk(&cx.file.raw, &mut |_, node| {
            let Some(text) = node.str() else { return };
            if !text.contains("${") {
                return;
            }
            let Ok(parts) = interpolate::parse(text) else { return };
            let Err(missing) = interpolate::evaluate(&parts, env, &mut |_| {}) else { return };
            let at: Span = interpolate::source_span(cx.file, node, missing.span.clone());
            let state = if missing.empty { "is empty in `.env`" } else { "has no value in `.env`" };
            out.push(META.diagnostic(
                at,
                format!(
                    "required variable `{}` {state}; `docker compose` stops unless it is set in the environment",
                    missing.name
                ),
            ));
        });
    }
}
