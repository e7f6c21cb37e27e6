use super::{place_node, with_written};
use crate::compose::project::{Found, PathKind};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct MissingIncludeFile;

static META: RuleMeta = RuleMeta {
    code: "BC5001",
    name: "missing-include-file",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "`include` names a Compose file that does not exist",
    docs: r#"## What it checks
Each path of the top-level `include` list (short syntax, or `path:` of the
long syntax, a single path or a list) that does not exist, or is a folder,
relative to the folder of the Compose file. Remote includes (`oci://`, git
URLs) and paths whose variables have no value are not checked. The rule runs
when berth reads the project from disk.

## Why it matters
Compose loads included files before anything else; a missing one stops every
command with "no such file or directory". Included files are often shared
between repositories or generated, so a rename elsewhere breaks this file
without any change to it.

## Example
```yaml
include:
  - ../shared/compose.monitoring.yaml
services:
  app:
    image: example/app
```

## Use instead
Fix the path (it is relative to this file's folder), or remove the entry.

## References
- Compose `include`: https://docs.docker.com/reference/compose-file/include/
"#,
};

impl ComposeRule for MissingIncludeFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for u in cx.project.paths.iter().filter(|u| u.kind == PathKind::Include) {
            let Some(path) = &u.path else { continue };
            let problem = match cx.project.found(path) {
                Some(Found::Missing) => "does not exist",
                Some(Found::Dir) => "is a folder, not a Compose file",
                _ => continue,
            };
            let (at, written) = place_node(u.node);
            let shown =
                if u.written.contains('$') { format!("`{}` (`{path}`)", u.written) } else { format!("`{path}`") };
            out.push(with_written(
                META.diagnostic(at, format!("included file {shown} {problem}; fix the path or remove the entry")),
                written,
            ));
        }
    }
}
