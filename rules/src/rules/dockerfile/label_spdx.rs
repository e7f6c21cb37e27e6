use super::labels::{check_typed, is_spdx};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, LabelType, Rule, RuleMeta, Severity};

pub struct LabelSpdx;

static META: RuleMeta = RuleMeta {
    code: "DL3054",
    name: "label-spdx",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Schema labels of type spdx must hold an SPDX license expression",
    docs: r#"## What it checks
`LABEL` values (also in `ONBUILD LABEL`) of keys that the configured label
schema types as `spdx`, when the value is not an SPDX license expression.
berth knows about a hundred of the most used license identifiers (`MIT`,
`Apache-2.0`, `GPL-3.0-or-later`, `BSD-3-Clause`, ...), accepts
`LicenseRef-...` and a trailing `+`, matches identifiers without regard to
case (as the SPDX specification says), and reads expressions joined with `AND`,
`OR`, `WITH <exception>` and parentheses. hadolint accepts a single
identifier only (from the full SPDX list), so it reports
`MIT OR Apache-2.0`; berth does not, but may report a rare identifier outside
its list.

Variables are evaluated first; a value whose variables have no known value
(an ARG without a default, given with `--build-arg`) is left alone. Empty
values are DL3051's. The rule does nothing unless the schema gives some label
this type.

## Why it matters
License scanners and compliance reports read this label; `Apache 2`,
`GPLv3` or `BSD` cannot be matched to a license without guessing.

## Example
With `label-schema = org.opencontainers.image.licenses:spdx`:
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.licenses="Apache 2"
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.licenses="Apache-2.0"
```

## References
- hadolint DL3054
- SPDX license list: https://spdx.org/licenses/
- SPDX license expressions: https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/
"#,
};

impl Rule for LabelSpdx {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        check_typed(
            cx,
            out,
            &META,
            LabelType::Spdx,
            is_spdx,
            "use SPDX identifiers such as `Apache-2.0` or `MIT OR Apache-2.0`",
        );
    }
}
