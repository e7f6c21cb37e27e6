use super::labels::{check_typed, is_url};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, LabelType, Rule, RuleMeta, Severity};

pub struct LabelUrl;

static META: RuleMeta = RuleMeta {
    code: "DL3052",
    name: "label-url",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Schema labels of type url must hold a URL",
    docs: r#"## What it checks
`LABEL` values (also in `ONBUILD LABEL`) of keys that the configured label
schema types as `url`, when the value is not an absolute URL: a scheme
(`https:`, `git:`, `mailto:`...) followed by characters allowed in a URL, with
well-formed `%` escapes, and a host for web-like schemes. `github.com/acme/app`
(no scheme), `https://exa mple.com` (a space) and `https://` (no host) are
reported; hadolint accepts the last one.

Variables are evaluated first; a value whose variables have no known value
(an ARG without a default, given with `--build-arg`) is left alone. Empty
values are DL3051's. The rule does nothing unless the schema gives some label
this type.

## Why it matters
Tools follow these labels to the image's source, documentation or owner;
a value that is not a URL leaves the link broken where it is needed.

## Example
With `label-schema = org.opencontainers.image.source:url`:
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source="github.com/acme/app"
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source="https://github.com/acme/app"
```

## References
- hadolint DL3052
- RFC 3986, URI syntax: https://www.rfc-editor.org/rfc/rfc3986
"#,
};

impl Rule for LabelUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        check_typed(
            cx,
            out,
            &META,
            LabelType::Url,
            is_url,
            "write an absolute URL such as `https://github.com/acme/app`",
        );
    }
}
