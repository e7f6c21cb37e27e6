use super::{place_node, with_written};
use crate::compose::env::EnvFile;
use crate::compose::project::{Found, PathKind, env_file_templates};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use crate::text::Span;

pub struct MissingOrInvalidEnvFile;

static META: RuleMeta = RuleMeta {
    code: "BC5003",
    name: "missing-or-invalid-env-file",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "An `env_file` (or the project's `.env`) is missing or cannot be parsed",
    docs: r#"## What it checks
- A service's `env_file` (a path, a list of paths, or entries with `path:`)
  that does not exist, unless the entry says `required: false`;
- an `env_file` of an `include` entry that does not exist;
- an env file, or the project's `.env`, that Compose cannot parse: a key with
  a space or another character than letters, digits, `_`, `.`, `-`, an
  unterminated quote, an invalid `${...}`. Entries with `format: raw` are not
  parsed. A problem in `.env` is reported at the first key of the file.

A missing env file with a committed template beside it (`.env.example`,
`.env.sample`, `.env.dist`, `.env.template`, `example.env`, or the same
suffixes after another name) is info: the project means users to make it
from the template (that is the usual setup step, and the file itself is
usually ignored by git). `docker compose up` still stops until it exists,
which the message says.

Paths are relative to the Compose file's folder. The rule runs when berth
reads the project from disk.

## Why it matters
Compose reads env files while loading the project and stops on a missing
required file ("env file ... not found") or a syntax error, with the file's
line number but not the service that uses it.

## Example
```yaml
services:
  api:
    image: example/api
    env_file: .env.local
```
in a checkout where `.env.local` is not committed.

## Use instead
```yaml
services:
  api:
    image: example/api
    env_file:
      - path: .env.local
        required: false
```

## References
- Compose `env_file`: https://docs.docker.com/reference/compose-file/services/#env_file
- `.env` syntax: https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax
"#,
};

impl ComposeRule for MissingOrInvalidEnvFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for u in cx.project.paths.iter().filter(|u| u.kind.is_env_file()) {
            let Some(path) = &u.path else { continue };
            let (required, raw) = match u.kind {
                PathKind::EnvFile { required, raw } => (required, raw),
                _ => (true, false),
            };
            let whose = match u.service {
                Some(s) => format!("`env_file` `{path}` of service `{s}`"),
                None => format!("`env_file` `{path}` of this `include`"),
            };
            let template =
                env_file_templates(path).into_iter().find(|t| matches!(cx.project.found(t), Some(Found::File(_))));
            let mut severity = META.severity;
            let message = match cx.project.found(path) {
                Some(Found::Missing) if required && template.is_some() => {
                    severity = Severity::Info;
                    let t = template.unwrap_or_default();
                    let or = if u.service.is_some() { " (or mark the entry `required: false`)" } else { "" };
                    format!(
                        "{whose} does not exist yet: it is meant to be made from `{t}` beside it; `docker compose up` stops until it is{or}"
                    )
                }
                Some(Found::Missing) if required => {
                    let hint = if u.service.is_some() {
                        "create it or mark the entry `required: false`"
                    } else {
                        "create it or fix the path"
                    };
                    format!("{whose} does not exist; {hint}")
                }
                Some(Found::Dir) => format!("{whose} is a folder, not a file"),
                Some(Found::File(Some(text))) if !raw => match EnvFile::parse(text).error {
                    Some(e) => format!("{whose} cannot be read by Compose: line {}: {}", e.line, e.message),
                    None => continue,
                },
                _ => continue,
            };
            let (at, written) = place_node(u.node);
            out.push(with_written(META.diagnostic(at, message).with_severity(severity), written));
        }
        if let Some(e) = cx.project.dotenv.as_ref().and_then(|d| d.error.as_ref()) {
            let at = cx.file.top_level_keys().next().map_or(Span::empty(0), |k| k.span);
            out.push(META.diagnostic(
                at,
                format!(
                    "the project's `.env` cannot be read by Compose: line {}: {}; every `docker compose` command stops",
                    e.line, e.message
                ),
            ));
        }
    }
}
