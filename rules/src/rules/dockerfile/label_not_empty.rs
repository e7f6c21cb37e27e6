use super::labels::{all_labels, schema_type};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct LabelNotEmpty;

static META: RuleMeta = RuleMeta {
    code: "DL3051",
    name: "label-not-empty",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Labels of the label schema must not be empty",
    docs: r#"## What it checks
`LABEL` pairs (also in `ONBUILD LABEL`) whose key the configured label schema
names and whose value is empty: `LABEL org.opencontainers.image.version=""`.
Variables are evaluated first, so a value made only of variables that are
empty in this file is reported too; a value whose variables have no known
value (an ARG without a default, set with `--build-arg`) is left alone. The
rule does nothing while the schema is empty.

## Why it matters
An empty label looks like it carries the information the schema asks for,
but carries none; tools that read it get nothing, and the missing value goes
unnoticed because the label is present.

## Example
With `label-schema = org.opencontainers.image.version:semver`:
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.version=""
```

## Use instead
```dockerfile
FROM alpine:3.20
ARG VERSION
LABEL org.opencontainers.image.version="${VERSION}"
```
and build with `--build-arg VERSION=1.4.2`.

## References
- hadolint DL3051
- Dockerfile reference, LABEL: https://docs.docker.com/reference/dockerfile/#label
"#,
};

impl Rule for LabelNotEmpty {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        if cx.inputs.settings.label_schema.is_empty() {
            return;
        }
        for label in all_labels(cx) {
            let (Some(key), Some(value)) = (&label.key, &label.value) else { continue };
            if schema_type(cx, key).is_none() || !value.trim().is_empty() {
                continue;
            }
            let shown = if label.value_written.trim().is_empty() {
                String::new()
            } else {
                format!(" (`{}` is empty here)", label.value_written)
            };
            out.push(
                META.diagnostic(
                    label.value_span,
                    format!("label `{key}` is empty{shown}; give it a value or remove it"),
                ),
            );
        }
    }
}
