use super::labels::{check_typed, is_git_hash};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, LabelType, Rule, RuleMeta, Severity};

pub struct LabelGitHash;

static META: RuleMeta = RuleMeta {
    code: "DL3055",
    name: "label-git-hash",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Schema labels of type hash must hold a git commit hash",
    docs: r#"## What it checks
`LABEL` values (also in `ONBUILD LABEL`) of keys that the configured label
schema types as `hash`, when the value is not a git commit hash: 7 to 40
hexadecimal digits (an abbreviated or full SHA-1), or 64 (a SHA-256
repository). A branch or tag name (`main`, `v1.2`) is reported. hadolint
accepts exactly 7 or 40 lower-case digits, so it reports git's longer
abbreviations (`git rev-parse --short` gives more than 7 digits in large
repositories); berth does not.

Variables are evaluated first; a value whose variables have no known value
(an ARG without a default, given with `--build-arg`) is left alone. Empty
values are DL3051's. The rule does nothing unless the schema gives some label
this type.

## Why it matters
The revision label is how an image is traced back to the exact source it
was built from; a branch name moves, so it does not say which commit that
was.

## Example
With `label-schema = org.opencontainers.image.revision:hash`:
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.revision="main"
```

## Use instead
```dockerfile
FROM alpine:3.20
ARG GIT_COMMIT
LABEL org.opencontainers.image.revision="${GIT_COMMIT}"
```
and build with `--build-arg GIT_COMMIT=$(git rev-parse HEAD)`.

## References
- hadolint DL3055
- git rev-parse: https://git-scm.com/docs/git-rev-parse
"#,
};

impl Rule for LabelGitHash {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        check_typed(
            cx,
            out,
            &META,
            LabelType::Hash,
            is_git_hash,
            "write the commit hash, e.g. from `git rev-parse HEAD`",
        );
    }
}
