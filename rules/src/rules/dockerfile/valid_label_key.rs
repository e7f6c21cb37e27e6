use super::labels::all_labels;
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct ValidLabelKey;

static META: RuleMeta = RuleMeta {
    code: "DL3048",
    name: "valid-label-key",
    severity: Severity::Style,
    category: Category::Style,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "LABEL keys should follow Docker's naming guidelines",
    docs: r#"## What it checks
`LABEL` keys (also in `ONBUILD LABEL`, which hadolint skips) that break
Docker's guidelines for label names, with the same rules as hadolint 2.15:

- the key starts with a lower-case letter and ends with a lower-case letter
  or a digit;
- it contains only lower-case letters, digits, `.`, `-`, `_` and `/`;
- it has no `..` or `--`;
- it does not use a namespace Docker reserves: `com.docker.`, `io.docker.`,
  `org.dockerproject.`.

Each bad key is reported on its own. Variables in a key are evaluated first;
a key whose variables have no known value is left alone.

## Why it matters
Tools that read labels (registries, orchestrators, scanners) expect the
conventional reverse-DNS, lower-case form such as
`org.opencontainers.image.source`. A key like `Version` or `app_Name` is easy
to miss when querying, and keys in Docker's own namespaces may clash with
labels Docker sets.

## Example
```dockerfile
FROM alpine:3.20
LABEL Maintainer="Dev Team" com.docker.extension.api-version=1
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.authors="Dev Team" com.example.extension.api-version=1
```

## References
- hadolint DL3048
- Docker object labels, key format recommendations: https://docs.docker.com/engine/manage-resources/labels/#key-format-recommendations
- OCI image annotations: https://github.com/opencontainers/image-spec/blob/main/annotations.md
"#,
};

const RESERVED: &[&str] = &["com.docker.", "io.docker.", "org.dockerproject."];

/// Why `key` is not a good label key, if it is not.
fn problem(key: &str) -> Option<String> {
    let first = key.chars().next()?;
    if !first.is_ascii_lowercase() {
        return Some("it should start with a lower-case letter".into());
    }
    if let Some(c) = key.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/".contains(*c))) {
        let c = if c.is_ascii_uppercase() { "upper-case letters".to_string() } else { format!("`{c}`") };
        return Some(format!("it should use only lower-case letters, digits, `.`, `-`, `_` and `/`, not {c}"));
    }
    if !key.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Some("it should end with a lower-case letter or a digit".into());
    }
    if let Some(sep) = ["..", "--"].into_iter().find(|s| key.contains(s)) {
        return Some(format!("it should not contain `{sep}`"));
    }
    if let Some(ns) = RESERVED.iter().find(|ns| key.starts_with(*ns)) {
        return Some(format!("the `{ns}` namespace is reserved for Docker"));
    }
    None
}

impl Rule for ValidLabelKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for label in all_labels(cx) {
            let Some(key) = &label.key else { continue };
            let Some(why) = problem(key) else { continue };
            let shown = if *key == label.key_written {
                String::new()
            } else {
                format!(" (`{}` evaluates to `{key}`)", label.key_written)
            };
            out.push(
                META.diagnostic(
                    label.key_span,
                    format!("label key `{key}`{shown} breaks the naming guidelines: {why}"),
                ),
            );
        }
    }
}
