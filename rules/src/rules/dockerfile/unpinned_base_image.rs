use super::registry::pin_fix;
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::Base;

pub struct UnpinnedBaseImage;

static META: RuleMeta = RuleMeta {
    code: "BD5004",
    name: "unpinned-base-image",
    severity: Severity::Info,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: false,
    summary: "A base image is not pinned by digest",
    docs: r#"## What it checks
Off by default (`enable = ["unpinned-base-image"]` in `berth.toml`): a `FROM`
image without an `@sha256:` digest, after evaluating ARG defaults. Stages
built from earlier stages and `scratch` are not reported.

## Why it matters
A tag is a name the publisher moves: the same Dockerfile builds on a
different base from one day to the next. Projects that need reproducible
builds or supply-chain review pin the digest and update it on purpose
(Renovate and Dependabot keep `tag@sha256:` pins current).

## Example
```dockerfile
FROM python:3.12-slim
```

## Use instead
```dockerfile
FROM python:3.12-slim@sha256:<digest>
```

## Fix
With `--online`, pinning to the digest the tag names now (the index digest
of a multi-platform image, so every platform keeps working) is a safe fix:
`berth fix --online` writes `python:3.12-slim@sha256:...`. Offline there is
no fix. DL3006 and DL3007 offer the same pin when online.

## References
- Docker build best practices, pin base image versions: https://docs.docker.com/build/building/best-practices/#pin-base-image-versions
"#,
};

impl Rule for UnpinnedBaseImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let Base::Image(image) = &stage.base else { continue };
            let Some((_, word)) = stage.resolved_image() else { continue };
            if image.digest.is_some() {
                continue;
            }
            let mut d = META.diagnostic(
                word.span,
                format!("`{}` is not pinned by digest{}; pin `@sha256:...`", image.text, stage.image_note()),
            );
            if let Some(fix) = pin_fix(cx, stage) {
                d = d.with_fix(fix);
            }
            out.push(d);
        }
    }
}
