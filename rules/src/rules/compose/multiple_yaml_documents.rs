use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct MultipleYamlDocuments;

static META: RuleMeta = RuleMeta {
    code: "BC5010",
    name: "multiple-yaml-documents",
    severity: Severity::Info,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "The file holds more than one YAML document",
    docs: r#"## What it checks
A `---` line that starts a second (third, ...) YAML document with content in
a Compose file. When a later document is not valid YAML the finding is an
error.

## Why it matters
Docker Compose (since 2.21) reads every document of the file and merges them
in order, each one like an override file on top of the previous ones. Most
tools, editors and people read only the first document, and so does berth's
single-file checking: services and settings of later documents are not
linted, though names they define (services, networks, volumes, secrets,
configs) are known to the reference checks. A stray `---` pasted with a
snippet silently overrides earlier settings.

## Example
```yaml
services:
  app:
    image: example/app:1.4
---
services:
  app:
    image: example/app:latest
```

## Use instead
Put the overriding part in its own file (`compose.override.yaml` is read
automatically; others with `docker compose -f compose.yaml -f other.yaml`),
or merge it into the first document.

## References
- Merging Compose files: https://docs.docker.com/compose/how-tos/multiple-compose-files/merge/
- compose-go, multi-document support: https://github.com/compose-spec/compose-go/pull/451
"#,
};

impl ComposeRule for MultipleYamlDocuments {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for (n, d) in cx.project.documents.iter().enumerate() {
            let nth = n + 2;
            let d = match &d.error {
                None => META.diagnostic(
                    d.marker,
                    format!(
                        "YAML document {nth} starts here; `docker compose` merges it over the ones before it, but berth checks only the first document; move it to its own file"
                    ),
                ),
                Some(e) => META
                    .diagnostic(
                        d.marker,
                        format!("YAML document {nth} starts here and is not valid YAML ({e}); `docker compose` stops on it"),
                    )
                    .with_severity(Severity::Error),
            };
            out.push(d);
        }
    }
}
