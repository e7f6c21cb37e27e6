use super::walk;
use crate::compose::env::Env;
use crate::compose::interpolate;
use crate::compose::project::{Found, env_file_templates};
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
export it). When there is no `.env` but a template for it is committed
beside the file (`.env.example`, `.env.sample`, `.env.dist`,
`.env.template`, `example.env`, `env.example`), the variables the template
sets are not reported either: users are meant to make `.env` from it.

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
        // Without `.env`, a template beside it (`.env.example`) says what users put in the `.env` they make.
        let template = if cx.project.dotenv.is_some() {
            None
        } else {
            env_file_templates(".env")
                .into_iter()
                .find_map(|t| cx.project.inputs.found(&t).and_then(Found::text).map(|text| (t, Env::from_dotenv(text))))
        };
        let where_ = match (&template, cx.project.dotenv.is_some()) {
            (_, true) => "in `.env`".to_string(),
            (Some((t, _)), false) => format!("(there is no `.env`, and its template `{t}` does not set it either)"),
            (None, false) => "(there is no `.env`)".to_string(),
        };
        walk(&cx.file.raw, &mut |_, node| {
            let Some(text) = node.str() else { return };
            if !text.contains('$') {
                return;
            }
            let Ok(parts) = interpolate::parse(text) else { return };
            let mut unset = Vec::new();
            let _ = interpolate::evaluate(&parts, env, &mut |v| unset.push((v.name.clone(), v.span.clone())));
            for (name, span) in unset {
                if SHELL_SET.contains(&name.as_str()) || template.as_ref().is_some_and(|(_, t)| t.contains(&name)) {
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

#[cfg(test)]
mod tests {
    use crate::compose::project::{ComposeInputs, Found};

    /// Messages of BC0012 on `text`, with `files` (path, text) around it and everything else missing.
    fn messages(text: &str, files: &[(&str, &str)]) -> Vec<String> {
        let inputs = ComposeInputs::gather("compose.yaml", text, &mut |r| {
            files.iter().find(|(p, _)| *p == r.path).map_or(Found::Missing, |(_, t)| Found::File(Some(t.to_string())))
        });
        let sel = crate::engine::Selection::only(&["BC0012"]);
        crate::engine::lint_compose_with(text, &sel, &inputs).diagnostics.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn a_template_of_env_sets_what_users_put_in_env() {
        let text =
            "services:\n  a:\n    image: x\n    environment:\n      A: ${KEY}\n      B: ${OTHER}\n      C: ${PWD}\n";
        let none = messages(text, &[]);
        assert_eq!(none.len(), 2, "{none:?}");
        assert!(none[0].contains("(there is no `.env`)"), "{none:?}");
        for template in [".env.example", "env.example", "example.env"] {
            let got = messages(text, &[(template, "KEY=changeme\n#OTHER=\n")]);
            assert_eq!(got.len(), 1, "{template}: {got:?}");
            assert!(got[0].starts_with("`OTHER`") && got[0].contains(&format!("its template `{template}`")), "{got:?}");
        }
        // With a `.env`, the template does not count.
        let got = messages(text, &[(".env", "X=1\n"), (".env.example", "KEY=1\nOTHER=2\n")]);
        assert_eq!(got.len(), 2, "{got:?}");
    }
}
