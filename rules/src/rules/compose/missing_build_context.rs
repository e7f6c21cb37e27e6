use super::build_files::build_key_at;
use super::{place_node, with_written};
use crate::compose::project::Found;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct MissingBuildContext;

static META: RuleMeta = RuleMeta {
    code: "BC5004",
    name: "missing-build-context",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service's build context folder does not exist",
    docs: r#"## What it checks
Services whose `build` (short syntax) or `build.context` names a local folder
that does not exist, or is a file, relative to the Compose file's folder after
interpolation with `.env`. Git URLs and paths whose variables have no value
are not checked. The rule runs when berth reads the project from disk.

## Why it matters
`docker compose build` and `docker compose up` stop with "unable to prepare
context: path ... not found" before building anything, for every service.
Renamed or moved folders are the usual cause.

## Example
```yaml
services:
  api:
    build: ./backend
```
in a repository whose folder is `./api`.

## Use instead
```yaml
services:
  api:
    build: ./api
```

## References
- Compose build `context`: https://docs.docker.com/reference/compose-file/build/#context
"#,
};

impl ComposeRule for MissingBuildContext {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for b in &cx.project.builds {
            let Some(ctx) = &b.context else { continue };
            let problem = match cx.project.found(&ctx.path) {
                Some(Found::Missing) => "does not exist",
                Some(Found::File(_)) => "is a file, not a folder",
                _ => continue,
            };
            let shown = match ctx.written.and_then(|n| n.str()) {
                Some(w) if w.contains('$') => format!("{w}` (`{}", ctx.path),
                _ => ctx.path.clone(),
            };
            let (at, written) = match ctx.written {
                Some(n) => place_node(n),
                None => build_key_at(b),
            };
            out.push(with_written(
                META.diagnostic(
                    at,
                    format!("build context `{}` of service `{}` {problem}; fix the path", shown, b.service.name),
                ),
                written,
            ));
        }
    }
}
