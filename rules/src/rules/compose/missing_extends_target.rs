use super::{place_node, with_written};
use crate::compose::ComposeFile;
use crate::compose::project::{Found, PathKind};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct MissingExtendsTarget;

static META: RuleMeta = RuleMeta {
    code: "BC5002",
    name: "missing-extends-target",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "`extends.file` does not exist, or lacks the service it names",
    docs: r#"## What it checks
Services with `extends: {file: ..., service: ...}` whose file does not exist
(relative to this Compose file's folder), or exists and has no service of
that name under `services` (with a did-you-mean). `extends` within the same
file (no `file:`) is a reference inside one file and is left to the
reference rules. The rule runs when berth reads the project from disk.

## Why it matters
Compose resolves `extends` while loading the project: a missing file or
service stops every command ("cannot extend service ..."). The shared file is
usually edited separately from the files that extend it.

## Example
```yaml
services:
  web:
    extends:
      file: common.yaml
      service: webapp
```
with `common.yaml` defining only `web-app`.

## Use instead
```yaml
services:
  web:
    extends:
      file: common.yaml
      service: web-app
```

## References
- Compose `extends`: https://docs.docker.com/reference/compose-file/services/#extends
"#,
};

impl ComposeRule for MissingExtendsTarget {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for u in cx.project.paths.iter().filter(|u| u.kind == PathKind::ExtendsFile) {
            let Some(path) = &u.path else { continue };
            let service = u.service.unwrap_or("");
            match cx.project.found(path) {
                Some(Found::Missing | Found::Dir) => {
                    let (at, written) = place_node(u.node);
                    out.push(with_written(
                        META.diagnostic(
                            at,
                            format!("service `{service}` extends a service of `{path}`, which does not exist"),
                        ),
                        written,
                    ));
                }
                Some(Found::File(Some(text))) => {
                    let Ok(other) = ComposeFile::parse(text) else { continue };
                    let Some(target) = cx
                        .file
                        .services
                        .iter()
                        .find(|s| s.name == service)
                        .and_then(|s| s.node.get("extends"))
                        .and_then(|e| e.get("service"))
                    else {
                        continue;
                    };
                    let Some(name) = target.str() else { continue };
                    if crate::compose::interpolate::interpolated(name) || other.services.iter().any(|s| s.name == name)
                    {
                        continue;
                    }
                    let hint = match crate::util::closest(name, other.services.iter().map(|s| s.name.as_str())) {
                        Some(s) => format!("; did you mean `{s}`?"),
                        None => String::new(),
                    };
                    let (at, written) = place_node(target);
                    out.push(with_written(
                        META.diagnostic(
                            at,
                            format!("service `{service}` extends `{name}`, which `{path}` does not define{hint}"),
                        ),
                        written,
                    ));
                }
                _ => {}
            }
        }
    }
}
