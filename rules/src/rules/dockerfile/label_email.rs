use super::labels::{check_typed, is_email};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, LabelType, Rule, RuleMeta, Severity};

pub struct LabelEmail;

static META: RuleMeta = RuleMeta {
    code: "DL3058",
    name: "label-email",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Schema labels of type email must hold an e-mail address",
    docs: r#"## What it checks
`LABEL` values (also in `ONBUILD LABEL`) of keys that the configured label
schema types as `email`, when the value is not an e-mail address as RFC 5322
writes one: a local part (dot-separated atoms, or a quoted string), `@`, and a
domain (dot-separated labels, or a `[...]` literal), alone or after a display
name as in `Dev Team <team@example.com>`. `Dev Team` and `team@` are
reported. hadolint only accepts the bare address, so it reports the
display-name form, which RFC 5322 allows and `MAINTAINER` lines have long
used; berth does not.

Variables are evaluated first; a value whose variables have no known value
(an ARG without a default, given with `--build-arg`) is left alone. Empty
values are DL3051's. The rule does nothing unless the schema gives some label
this type.

## Why it matters
This label tells people whom to contact about the image, often during an
incident; a value that is not an address is no use then.

## Example
With `label-schema = maintainer:email`:
```dockerfile
FROM alpine:3.20
LABEL maintainer="Platform Team"
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL maintainer="platform-team@example.com"
```

## References
- hadolint DL3058
- RFC 5322, addr-spec: https://www.rfc-editor.org/rfc/rfc5322#section-3.4.1
"#,
};

impl Rule for LabelEmail {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        check_typed(cx, out, &META, LabelType::Email, is_email, "write an address such as `team@example.com`");
    }
}
