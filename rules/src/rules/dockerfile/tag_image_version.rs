use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct TagImageVersion;

static META: RuleMeta = RuleMeta {
    code: "DL3006",
    name: "tag-image-version",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Give FROM images an explicit tag or digest",
    docs: r#"## What it checks
`FROM` lines whose image has neither a tag (`:3.12`) nor a digest
(`@sha256:...`). The image is judged after evaluating ARG defaults, so
`ARG PY=3.12` with `FROM python:${PY}` is fine, while `ARG IMG=python` with
`FROM $IMG` is reported as `python`. Not reported: `scratch`, references to an
earlier stage (`FROM build`), and images whose variables have no known value.

## Why it matters
An image without a tag means `:latest`, which points at whatever was pushed
last. The same Dockerfile then builds on different bases from one week to the
next, and a new major version of the base can break the build or the
application without any change on your side.

## Example
```dockerfile
FROM python
```

## Use instead
```dockerfile
FROM python:3.12-slim
```
Or pin a digest for fully reproducible builds:
```dockerfile
FROM python:3.12-slim@sha256:<digest>
```

## Fix
With `--online` (`berth fix --online`), pinning the image to the digest its
tag names now (`image:tag@sha256:...`, the index digest of a multi-platform
image) is offered as a safe fix. Offline there is no fix.

## References
- hadolint DL3006
- Dockerfile reference, FROM: https://docs.docker.com/reference/dockerfile/#from
- Docker build best practices, pin base image versions: https://docs.docker.com/build/building/best-practices/#pin-base-image-versions
"#,
};

impl Rule for TagImageVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let Some((image, word)) = stage.resolved_image() else { continue };
            if image.repository.is_empty() || image.tag.is_some() || image.digest.is_some() {
                continue;
            }
            let shown = stage.image_note();
            let d = META.diagnostic(
                word.span,
                format!(
                    "image `{}` has no tag{shown}; pin a version such as `{}:<tag>` or a digest",
                    image.text, image.text
                ),
            );
            out.push(match super::registry::pin_fix(cx, stage) {
                Some(fix) => d.with_fix(fix),
                None => d,
            });
        }
    }
}
