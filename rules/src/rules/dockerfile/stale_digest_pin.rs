use super::registry::{looked_up, pinned_text, replace};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct StaleDigestPin;

static META: RuleMeta = RuleMeta {
    code: "BD5005",
    name: "stale-digest-pin",
    severity: Severity::Info,
    category: Category::Maintainability,
    fix: FixAvailability::Always,
    buildkit: None,
    aliases: &[],
    default_enabled: false,
    summary: "A base image pinned `tag@sha256:` whose tag now names another digest (online check)",
    docs: r#"## What it checks
Off by default; only with `berth check --online`. A `FROM image:tag@sha256:...`
whose pinned manifest still exists while the tag has moved on to another
digest: the publisher has rebuilt the tag (usually for security updates) and
the pin keeps the old build. Turn it on where pins are refreshed on purpose
(`enable = ["stale-digest-pin"]`).

## Why it matters
A digest pin makes builds reproducible, and also keeps them on a base image
that no longer receives fixes until someone updates the pin.

## Example
```dockerfile
FROM python:3.12-slim@sha256:<last month's digest>
```

## Use instead
```dockerfile
FROM python:3.12-slim@sha256:<the digest the tag names now>
```

## Fix
Updating the pin to the tag's current digest (unsafe: the base image changes).

## References
- Docker build best practices, pin base image versions: https://docs.docker.com/build/building/best-practices/#pin-base-image-versions
"#,
};

impl Rule for StaleDigestPin {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (stage, image, word, facts) in looked_up(cx) {
            let (Some(pinned), Some(_), Some(now)) = (&image.digest, &image.tag, &facts.current_digest) else {
                continue;
            };
            if facts.pinned_exists != Some(true) || pinned == now {
                continue;
            }
            let text = pinned_text(image, now);
            let Some(fix) = replace(image, word, format!("Update the pin: `{text}`"), text) else { continue };
            out.push(
                META.diagnostic(
                    word.span,
                    format!(
                        "the tag of `{}` now names `{now}`; the pin keeps an older build{}",
                        image.text,
                        stage.image_note()
                    ),
                )
                .with_fix(fix),
            );
        }
    }
}
