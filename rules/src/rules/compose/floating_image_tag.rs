use super::images::ImageKind;
use super::ports::split_outside_vars;
use super::{place_node, with_written};
use crate::compose::interpolate::interpolated;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct FloatingImageTag;

static META: RuleMeta = RuleMeta {
    code: "BC1014",
    name: "service-image-require-explicit-tag",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &["floating-image-tag"],
    default_enabled: true,
    summary: "A service's image has no tag or a tag that moves (`latest`, `stable`, ...)",
    docs: r#"## What it checks
The `image` of services that pull it (services without `build`) when it has
no tag (`nginx`, which means `latest`) or a tag that follows releases:
`latest`, `stable`, `edge`, `test`, `nightly`, `dev`, `beta`, `canary`, `lts`
(dclint's list), and, beyond dclint, any tag without a digit in it
(`nginx:alpine`, `python:slim`, `node:bookworm`, `app:main`): such a tag
names a variant or a branch, not a version, and moves with every release.
For databases, queues, search engines and vector stores BC3008 reports the
digit-less case with advice about their data. Images pinned by digest
(`@sha256:...`) are fine; parts given by variables (`app:${TAG}`,
`${IMAGE}`) are not judged.

## Why it matters
A moving tag gives a different image on each machine and each pull: a new
major version arrives unannounced with the next `docker compose pull`, and an
old deployment cannot be rebuilt as it was. A version tag, or a digest, says
which image was tested.

## Example
```yaml
services:
  db:
    image: postgres
  cache:
    image: redis:latest
```

## Use instead
```yaml
services:
  db:
    image: postgres:17.2
  cache:
    image: redis:7.4-alpine
```

## Fix
With `berth check --online` (or `[registry] online = true`), pinning the
image to the digest its tag names now is a safe fix (`berth fix --online`):
`image: redis:latest@sha256:...`, the index digest of a multi-platform image,
so every platform keeps working and every pull gets the same image. An image
without a tag gets `:latest@sha256:...` written out. Values with variables
or brought in by an alias are not rewritten. Offline there is no fix.

## References
- Compose Specification, image: https://docs.docker.com/reference/compose-file/services/#image
- dclint `service-image-require-explicit-tag` (which also reports images of services with `build` and images given wholly by a variable; its `prohibitedTags` option is not read yet, berth uses its default list)
"#,
};

/// dclint's default `prohibitedTags`.
const FLOATING: &[&str] = &["latest", "stable", "edge", "test", "nightly", "dev", "beta", "canary", "lts"];

/// `Some(None)`: no tag; `Some(Some(tag))`: a floating tag; `None`: fine or unknown.
fn floating(image: &str) -> Option<Option<&str>> {
    let image = image.trim();
    if image.is_empty() || image.contains('@') {
        return None;
    }
    let last = split_outside_vars(image, '/').last().copied().unwrap_or(image);
    if interpolated(last) {
        return None;
    }
    match last.split_once(':') {
        None => Some(None),
        Some((_, tag)) if FLOATING.contains(&tag) => Some(Some(tag)),
        // A variant or branch name (`alpine`, `slim`, `main`) carries no version.
        Some((_, tag)) if !tag.is_empty() && !tag.bytes().any(|b| b.is_ascii_digit()) => Some(Some(tag)),
        Some(_) => None,
    }
}

impl ComposeRule for FloatingImageTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for (si, parsed) in super::service_images(cx) {
            if si.built {
                continue;
            }
            let (s, v) = (si.service, si.value);
            let Some(image) = v.str() else { continue };
            let Some(tag) = floating(image) else { continue };
            if let Some(t) = tag
                && !FLOATING.contains(&t)
                && super::images::lookup(image).is_some_and(|k| {
                    matches!(
                        k.kind,
                        ImageKind::Database | ImageKind::Queue | ImageKind::Search | ImageKind::VectorStore
                    )
                })
            {
                continue; // BC3008 says it better for stateful images
            }
            let msg = match tag {
                None => {
                    format!("image `{image}` of service `{}` has no tag (it means `latest`); pin a version", s.name)
                }
                Some(t) if FLOATING.contains(&t) => {
                    format!("image `{image}` of service `{}` uses the moving tag `{t}`; pin a version", s.name)
                }
                Some(t) => format!(
                    "image `{image}` of service `{}` uses the tag `{t}`, which names no version and moves with each release; pin a version",
                    s.name
                ),
            };
            let (at, written) = place_node(v);
            let mut d = META.diagnostic(at, msg);
            // Online, the safe fix pins the digest the tag names now.
            if let Some(fix) = parsed.as_ref().and_then(|p| super::registry::pin_fix(cx, &si, p)) {
                d = d.with_fix(fix);
            }
            out.push(with_written(d, written));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        assert_eq!(floating("nginx"), Some(None));
        assert_eq!(floating("localhost:5000/app"), Some(None));
        assert_eq!(floating("${REGISTRY}/nginx"), Some(None));
        assert_eq!(floating("redis:latest"), Some(Some("latest")));
        assert_eq!(floating("nginx:1.27"), None);
        assert_eq!(floating("nginx@sha256:abc"), None);
        assert_eq!(floating("nginx:latest@sha256:abc"), None);
        assert_eq!(floating("${IMAGE}"), None);
        assert_eq!(floating("app:${TAG:-latest}"), None);
        assert_eq!(floating("${REG:-ghcr.io/x}/app:2"), None);
        assert_eq!(floating("Latest:LATEST"), Some(Some("LATEST")), "no digit: a variant, not a version");
        assert_eq!(floating("nginx:alpine"), Some(Some("alpine")));
        assert_eq!(floating("nginx:1-alpine"), None);
    }
}
