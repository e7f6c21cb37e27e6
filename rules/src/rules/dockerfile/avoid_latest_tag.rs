use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct AvoidLatestTag;

static META: RuleMeta = RuleMeta {
    code: "DL3007",
    name: "avoid-latest-tag",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Do not build FROM an image's `latest` tag",
    docs: r#"## What it checks
`FROM` lines whose image tag is `latest`, after evaluating ARG defaults (so
`ARG TAG=latest` with `FROM node:${TAG}` is reported too). An image that also
carries a digest (`node:latest@sha256:...`) is pinned by the digest and is not
reported; neither are images whose variables have no known value.

## Why it matters
`latest` is only a name the publisher moves to each new release. Writing it
out looks deliberate but pins nothing: the base changes under you, builds stop
being reproducible, and a major upgrade of the base can arrive unannounced.

## Example
```dockerfile
FROM node:latest
```

## Use instead
```dockerfile
FROM node:22.11-bookworm-slim
```

## Fix
With `--online` (`berth fix --online`), pinning the image to the digest its
tag names now (`image:tag@sha256:...`, the index digest of a multi-platform
image) is offered as a safe fix. Offline there is no fix.

## References
- hadolint DL3007
- Dockerfile reference, FROM: https://docs.docker.com/reference/dockerfile/#from
- Docker build best practices, pin base image versions: https://docs.docker.com/build/building/best-practices/#pin-base-image-versions
"#,
};

impl Rule for AvoidLatestTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let Some((image, word)) = stage.resolved_image() else { continue };
            if image.digest.is_some() || image.tag.as_deref() != Some("latest") {
                continue;
            }
            let name = image.text.strip_suffix(":latest").unwrap_or(&image.text);
            let shown = stage.image_note();
            let d = META.diagnostic(
                word.span,
                format!(
                    "image `{name}` uses the `latest` tag{shown}; pin a specific version such as `{name}:<version>`"
                ),
            );
            out.push(match super::registry::pin_fix(cx, stage) {
                Some(fix) => d.with_fix(fix),
                None => d,
            });
        }
    }
}
