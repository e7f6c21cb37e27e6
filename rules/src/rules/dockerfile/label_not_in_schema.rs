use super::labels::{all_labels, schema_type};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct LabelNotInSchema;

static META: RuleMeta = RuleMeta {
    code: "DL3050",
    name: "label-not-in-schema",
    severity: Severity::Info,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "With strict labels, only labels of the schema are allowed",
    docs: r#"## What it checks
When `strict-labels` is on, every `LABEL` key (also in `ONBUILD LABEL`) that
the configured label schema does not name. Each extra key is reported on its
own. The rule does nothing while `strict-labels` is off or the schema is
empty (hadolint, given an empty schema, reports every label). A key whose
variables have no known value is left alone.

## Why it matters
Teams that agree on a fixed set of labels want images to carry exactly those,
spelled exactly so: a stray `maintainer` next to
`org.opencontainers.image.authors`, or a misspelt key, leaves tools reading
the wrong one.

## Example
With `label-schema = org.opencontainers.image.source:url` and
`strict-labels = true`:
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source="https://github.com/acme/app" team=payments
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source="https://github.com/acme/app"
```
or add `team` to the schema.

## References
- hadolint DL3050
- Dockerfile reference, LABEL: https://docs.docker.com/reference/dockerfile/#label
"#,
};

impl Rule for LabelNotInSchema {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let settings = &cx.inputs.settings;
        if !settings.strict_labels || settings.label_schema.is_empty() {
            return;
        }
        for label in all_labels(cx) {
            let Some(key) = &label.key else { continue };
            if schema_type(cx, key).is_some() {
                continue;
            }
            let close = crate::util::closest(key, settings.label_schema.iter().map(|(n, _)| n.as_str()));
            let advice = match close {
                Some(c) => format!("did you mean `{c}`?"),
                None => "remove it or add it to the schema".to_string(),
            };
            out.push(META.diagnostic(
                label.key_span,
                format!("label `{key}` is not in the label schema, and strict labels are on; {advice}"),
            ));
        }
    }
}
