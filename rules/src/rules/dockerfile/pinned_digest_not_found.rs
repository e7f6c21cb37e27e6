use super::registry::{looked_up, pinned_text, replace};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct PinnedDigestNotFound;

static META: RuleMeta = RuleMeta {
    code: "BD5003",
    name: "pinned-digest-not-found",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "The `@sha256:` digest a base image is pinned to is gone from its registry (online check)",
    docs: r#"## What it checks
Only with `berth check --online`: a `FROM image@sha256:...` whose manifest the
registry no longer has (a registry that garbage-collects untagged manifests,
a repository that was rebuilt or moved).

## Why it matters
The build fails with `manifest unknown` even though the Dockerfile did not
change; it is usually noticed only when the build cache is cleared.

## Example
```dockerfile
FROM python:3.12-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000
```

## Use instead
```dockerfile
FROM python:3.12-slim@sha256:<the digest the tag names now>
```

## Fix
When the reference also names a tag and the registry has it, updating the
pin to the tag's current digest is offered as an unsafe fix (the base image
changes).

## References
- OCI distribution specification, pulling manifests: https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
"#,
};

impl Rule for PinnedDigestNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (stage, image, word, facts) in looked_up(cx) {
            let Some(pinned) = image.digest.as_deref() else { continue };
            if facts.pinned_exists != Some(false) {
                continue;
            }
            let mut d = META.diagnostic(
                word.span,
                format!(
                    "the registry no longer has `{pinned}`, the digest `{}` is pinned to{}",
                    image.text,
                    stage.image_note()
                ),
            );
            if let (Some(_), Some(now)) = (&image.tag, facts.current_digest.as_deref()) {
                let text = pinned_text(image, now);
                if let Some(fix) =
                    replace(image, word, format!("Update the pin to the tag's current digest: `{text}`"), text)
                {
                    d = d.with_fix(fix);
                }
            }
            out.push(d);
        }
    }
}
