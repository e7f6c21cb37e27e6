use super::labels::{check_typed, is_rfc3339};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, LabelType, Rule, RuleMeta, Severity};

pub struct LabelRfc3339;

static META: RuleMeta = RuleMeta {
    code: "DL3053",
    name: "label-rfc3339",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Schema labels of type rfc3339 must hold an RFC 3339 timestamp",
    docs: r#"## What it checks
`LABEL` values (also in `ONBUILD LABEL`) of keys that the configured label
schema types as `rfc3339`, when the value is not an RFC 3339 date and time:
`2024-05-01T12:30:00Z` or `2024-05-01T14:30:00.5+02:00`. A date alone, a time
without an offset, a space instead of the `T`, or an impossible date
(`2023-02-29`) is reported.

Variables are evaluated first; a value whose variables have no known value
(an ARG without a default, given with `--build-arg`) is left alone. Empty
values are DL3051's. The rule does nothing unless the schema gives some label
this type.

## Why it matters
Build dates are compared and sorted by tools; a value in another format
(`May 1 2024`, `20240501`) cannot be read reliably, so the image's age becomes
unknown.

## Example
With `label-schema = org.opencontainers.image.created:rfc3339`:
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.created="2024-05-01"
```

## Use instead
```dockerfile
FROM alpine:3.20
ARG BUILD_DATE
LABEL org.opencontainers.image.created="${BUILD_DATE}"
```
and build with `--build-arg BUILD_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)`.

## References
- hadolint DL3053
- RFC 3339, date and time on the Internet: https://www.rfc-editor.org/rfc/rfc3339
"#,
};

impl Rule for LabelRfc3339 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        check_typed(cx, out, &META, LabelType::Rfc3339, is_rfc3339, "write a timestamp such as `2024-05-01T12:30:00Z`");
    }
}
