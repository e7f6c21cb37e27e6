use super::registry::{at, diagnostic, looked_up, rewrite};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, Fix, FixAvailability, RuleMeta, Severity};
use crate::rules::dockerfile::registry::pinned_text;

pub struct ServiceImageStalePin;

static META: RuleMeta = RuleMeta {
    code: "BC7005",
    name: "service-image-stale-pin",
    severity: Severity::Info,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: false,
    summary: "A service's image pinned `tag@sha256:` whose tag now names another digest (online check)",
    docs: r#"## What it checks
Off by default; only with `berth check --online`. A service's
`image: name:tag@sha256:...` whose pinned manifest still exists while the tag
has moved on to another digest: the publisher rebuilt the tag (usually for
security updates) and the pin keeps the old build. Turn it on where pins are
refreshed on purpose (`enable = ["service-image-stale-pin"]`). The Dockerfile
counterpart is BD5005.

## Why it matters
A digest pin makes deployments reproducible, and also keeps every device on
an image that no longer receives fixes until someone updates the pin.

## Example
```yaml
services:
  web:
    image: nginx:1.27@sha256:<last month's digest>
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27@sha256:<the digest the tag names now>
```

## Fix
Updating the pin to the tag's current digest (unsafe: the image changes),
when the value is written without variables.

## References
- Compose `image` (digests): https://docs.docker.com/reference/compose-file/services/#image
"#,
};

impl ComposeRule for ServiceImageStalePin {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for (si, image, facts) in looked_up(cx) {
            let (Some(pinned), Some(_), Some(now)) = (&image.digest, &image.tag, &facts.current_digest) else {
                continue;
            };
            if facts.pinned_exists != Some(true) || pinned == now {
                continue;
            }
            let (span, written) = at(&si);
            let mut d = META.diagnostic(
                span,
                format!(
                    "service `{}`: the tag of `{}` now names `{now}`; the pin keeps an older build",
                    si.service.name, image.text
                ),
            );
            let text = pinned_text(&image, now);
            if let Some(edit) = rewrite(&si, &text) {
                d = d.with_fix(Fix::unsafe_(format!("Update the pin: `{text}`"), vec![edit]));
            }
            out.push(diagnostic(d, written));
        }
    }
}
