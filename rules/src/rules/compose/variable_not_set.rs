use super::walk;
use crate::compose::interpolate;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct VariableNotSet;

static META: RuleMeta = RuleMeta {
    code: "BC0012",
    name: "variable-not-set",
    severity: Severity::Info,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: false,
    summary: "`$NAME` without a default and without a value in `.env`",
    docs: r#"## What it checks
References without a fallback (`$NAME`, `${NAME}`) whose variable the project's
`.env` does not set, in the values Compose evaluates (the word after `:-`,
`:?` and the like included, since Compose evaluates it too). It runs when
berth reads the project from disk (not for standard input or a file linted
alone). Off by default: passing variables through from the shell is common
and deliberate. Variables every shell exports are not reported: `PWD`,
`HOME`, `USER`, `LOGNAME`, `PATH`, `SHELL` (`UID` is, since bash does not
export it).

## Why it matters
Compose replaces an unset variable with an empty string and only prints a
warning ("The NAME variable is not set. Defaulting to a blank string."), so
a missing value shows up later as an empty password, an image without a tag
(`app:`) or a port mapping that no longer parses.

## Example
```yaml
services:
  app:
    image: example/app:${TAG}
```

## Use instead
```yaml
services:
  app:
    image: example/app:${TAG:-1.4}
```
or set `TAG` in `.env`; use `${TAG:?message}` when there is no sensible default.

## References
- Compose interpolation: https://docs.docker.com/reference/compose-file/interpolation/
"#,
};

/// Variables that every shell `docker compose` runs from exports: `PWD` (POSIX
/// shells set and export it), and the login session's `HOME`, `USER`,
/// `LOGNAME`, `PATH` and `SHELL`. (`UID` and `HOSTNAME` are not here: bash sets
/// them without exporting them, so Compose does not see them.)
const SHELL_SET: &[&str] = &["PWD", "HOME", "USER", "LOGNAME", "PATH", "SHELL"];

impl ComposeRule for VariableNotSet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        if !cx.project.gathered() {
            return;
        }
        let env = &cx.project.env;
        let where_ = if cx.project.dotenv.is_some() { "in `.env`" } else { "(there is no `.env`)" };
        walk(&cx.file.raw, &mut |_, node| {
            let Some(text) = node.str() else { return };
            if !text.contains('$') {
                return;
            }
            let Ok(parts) = interpolate::parse(text) else { return };
            let mut unset = Vec::new();
            let _ = interpolate::evaluate(&parts, env, &mut |v| unset.push((v.name.clone(), v.span.clone())));
            for (name, span) in unset {
                if SHELL_SET.contains(&name.as_str()) {
                    continue;
                }
                let at = interpolate::source_span(cx.file, node, span);
                out.push(META.diagnostic(
                    at,
                    format!(
                        "`{name}` has no default and no value {where_}; Compose uses an empty string unless the environment sets it"
                    ),
                ));
            }
        });
    }
}
