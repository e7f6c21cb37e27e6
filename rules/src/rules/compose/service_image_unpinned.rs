use super::registry::{at, diagnostic, pin_fix, pulled};
use super::service_images;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct ServiceImageUnpinned;

static META: RuleMeta = RuleMeta {
    code: "BC7004",
    name: "service-image-unpinned",
    severity: Severity::Info,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: false,
    summary: "A service's image is not pinned by digest",
    docs: r#"## What it checks
Off by default (`enable = ["service-image-unpinned"]` in `berth.toml`): a
service's `image:` without an `@sha256:` digest, read after interpolation.
Services that build their image, or whose `pull_policy` is `never` or
`build`, and values whose variables have no known value are not reported.
The Dockerfile counterpart is BD5004.

## Why it matters
A tag is a name the publisher moves: the same Compose file runs a different
image from one day to the next, and two devices updated a day apart run
different code. Fleets that update over the air pin digests and move them on
purpose (Renovate and Dependabot keep `tag@sha256:` pins current).

## Example
```yaml
services:
  web:
    image: nginx:1.27-alpine
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27-alpine@sha256:<digest>
```

## Fix
With `--online`, pinning to the digest the tag names now (the index digest
of a multi-platform image, so every platform keeps working) is a safe fix
when the value is written without variables: `berth fix --online` writes
`nginx:1.27-alpine@sha256:...`. Offline there is no fix. BC1014 offers the
same pin when online.

## References
- Compose `image` (digests): https://docs.docker.com/reference/compose-file/services/#image
"#,
};

impl ComposeRule for ServiceImageUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for (si, image) in service_images(cx) {
            let Some(image) = image else { continue };
            if image.digest.is_some() || !pulled(&si) || image.text.is_empty() {
                continue;
            }
            let (span, written) = at(&si);
            let mut d = META.diagnostic(
                span,
                format!(
                    "image `{}` of service `{}` is not pinned by digest; pin `@sha256:...`",
                    image.text, si.service.name
                ),
            );
            if let Some(fix) = pin_fix(cx, &si, &image) {
                d = d.with_fix(fix);
            }
            out.push(diagnostic(d, written));
        }
    }
}
