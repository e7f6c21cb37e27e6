use super::labels::{check_typed, is_semver};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, LabelType, Rule, RuleMeta, Severity};

pub struct LabelSemver;

static META: RuleMeta = RuleMeta {
    code: "DL3056",
    name: "label-semver",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Schema labels of type semver must hold a semantic version",
    docs: r#"## What it checks
`LABEL` values (also in `ONBUILD LABEL`) of keys that the configured label
schema types as `semver`, when the value is not a semantic version 2.0.0:
`MAJOR.MINOR.PATCH`, optionally followed by `-pre.release` and
`+build.metadata`, numbers without leading zeros. `v1.2.3`, `1.2` and
`1.02.0` are reported (hadolint's parser accepts the leading zero, which the
specification forbids).

Variables are evaluated first; a value whose variables have no known value
(an ARG without a default, given with `--build-arg`) is left alone. Empty
values are DL3051's. The rule does nothing unless the schema gives some label
this type.

## Why it matters
Deployment and update tools compare these versions; a value outside the
format sorts wrongly or cannot be compared at all.

## Example
With `label-schema = org.opencontainers.image.version:semver`:
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.version="v1.4"
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.version="1.4.0"
```

## References
- hadolint DL3056
- Semantic Versioning 2.0.0: https://semver.org/
"#,
};

impl Rule for LabelSemver {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        check_typed(cx, out, &META, LabelType::Semver, is_semver, "write a version such as `1.4.2` or `2.0.0-rc.1`");
    }
}
