use super::invalid_image_reference::bad_image;
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct InvalidDefaultArgInFrom;

static META: RuleMeta = RuleMeta {
    code: "BD1012",
    name: "invalid-default-arg-in-from",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: Some("InvalidDefaultArgInFrom"),
    aliases: &[],
    default_enabled: true,
    summary: "Give ARGs used in FROM a default that makes a valid image",
    docs: r#"## What it checks
`FROM` lines whose image uses ARGs declared before the first `FROM` without a
default value (or with an empty one), so that with the defaults alone the
image is empty or not a valid reference: `ARG TAG` and `FROM alpine:${TAG}`
give `alpine:`. ARGs that the builder sets itself (`TARGETARCH`, ...) are
not judged, and invalid images built only from literal text or from
non-empty defaults are reported by `invalid-image-reference` (BD2005).
BuildKit's check of the same name also reports those; berth keeps the two
cases apart.

## Why it matters
The build works only when every `--build-arg` is passed. Someone running a
plain `docker build .`, a CI job or a tool that reads the Dockerfile (such as
`docker buildx build --check`) gets "invalid reference format" or "base name
should not be blank" instead of an image.

## Example
```dockerfile
ARG TAG
FROM alpine:${TAG}
```

## Use instead
```dockerfile
ARG TAG=3.20
FROM alpine:${TAG}
```

## References
- BuildKit check InvalidDefaultArgInFrom: https://docs.docker.com/reference/build-checks/invalid-default-arg-in-from/
- Dockerfile reference, how ARG and FROM interact: https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact
"#,
};

impl Rule for InvalidDefaultArgInFrom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let Some(bad) = bad_image(cx, stage) else { continue };
            if bad.missing.is_empty() {
                continue;
            }
            let Some(word) = &stage.image_word else { continue };
            let names = bad.missing.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            let message = if bad.value.is_empty() {
                format!("with the ARG defaults the image `{}` is empty; give {names} a default value", word.value)
            } else {
                format!(
                    "with the ARG defaults the image `{}` is `{}`, which is not valid ({}); give {names} a default value",
                    word.value, bad.value, bad.problem
                )
            };
            out.push(META.diagnostic(word.span, message));
        }
    }
}
