use super::registry::{at, diagnostic, looked_up, rewrite};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, Fix, FixAvailability, RuleMeta, Severity};
use crate::rules::dockerfile::registry::pinned_text;

pub struct ServiceImageDigestNotFound;

static META: RuleMeta = RuleMeta {
    code: "BC7003",
    name: "service-image-digest-not-found",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "The `@sha256:` digest a service's image is pinned to is gone from its registry (online check)",
    docs: r#"## What it checks
Only with `berth check --online`: a service's `image: name[:tag]@sha256:...`
whose pinned manifest its registry no longer has (the publisher deleted it,
or the digest was mistyped). The value is read after interpolation. The
Dockerfile counterpart is BD5003.

## Why it matters
`docker compose pull` fails with `manifest unknown` on every machine that
does not have the image yet: a new edge device, a fresh CI runner.

## Example
```yaml
services:
  web:
    image: nginx:1.27@sha256:<a deleted digest>
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27@sha256:<the digest the tag names now>
```

## Fix
When a tag is written and the registry has it, updating the pin to the tag's
current digest (unsafe: the image changes).

## References
- OCI distribution specification, pulling manifests: https://github.com/opencontainers/distribution-spec/blob/main/spec.md
"#,
};

impl ComposeRule for ServiceImageDigestNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for (si, image, facts) in looked_up(cx) {
            let Some(pinned) = image.digest.as_deref() else { continue };
            if facts.pinned_exists != Some(false) {
                continue;
            }
            let (span, written) = at(&si);
            let mut d = META.diagnostic(
                span,
                format!(
                    "service `{}`: the registry no longer has `{pinned}`, the digest `{}` is pinned to",
                    si.service.name, image.text
                ),
            );
            if let (Some(_), Some(now)) = (&image.tag, facts.current_digest.as_deref()) {
                let text = pinned_text(&image, now);
                if let Some(edit) = rewrite(&si, &text) {
                    d = d.with_fix(Fix::unsafe_(
                        format!("Update the pin to the tag's current digest: `{text}`"),
                        vec![edit],
                    ));
                }
            }
            out.push(diagnostic(d, written));
        }
    }
}
