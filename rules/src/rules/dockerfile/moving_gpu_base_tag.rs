use super::gpu::gpu_framework;
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::Base;
use crate::text::Span;

pub struct MovingGpuBaseTag;

static META: RuleMeta = RuleMeta {
    code: "BD3006",
    name: "moving-gpu-base-tag",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Pin GPU framework base images to a versioned tag",
    docs: r#"## What it checks
`FROM` of a GPU framework image (`nvidia/cuda*`, `nvcr.io/...`,
`pytorch/pytorch`, `tensorflow/tensorflow`, `huggingface/...`, `rocm/...`) whose
tag moves: a tag that contains `latest` or `nightly` as one of its parts
(`latest-gpu`, `latest-gpu-jupyter`, `nightly`, `nightly-gpu`), or a tag without
any version number (`devel`, `runtime`, `gpu`, `devel-gpu`). Tags are judged
after ARG defaults are evaluated; a tag that still contains a variable, a
digest (`@sha256:...`), and stage references are left alone.

Two cases belong to other rules and are not reported here, so one `FROM`
never gets two findings for the same thing: no tag at all is DL3006
(`tag-image-version`), and the plain `latest` tag is DL3007
(`avoid-latest-tag`).

## Why it matters
GPU images bundle a CUDA or ROCm toolkit, cuDNN, NCCL and a framework build that
must match each other and the driver of the machines that run the image. A
moving tag changes all of them at once, without any change to the Dockerfile:
one rebuild can move to a CUDA version that the cluster's drivers do not
support, or to a framework release that breaks the model code, and two
machines that build the same Dockerfile on different days produce different
images. Nightly tags change every day by design.

## Example
```dockerfile
FROM tensorflow/tensorflow:latest-gpu
```

## Use instead
```dockerfile
FROM tensorflow/tensorflow:2.17.0-gpu
```
or, for full reproducibility, a digest:
`FROM tensorflow/tensorflow:2.17.0-gpu@sha256:<digest>`.

## References
- NVIDIA CUDA container images and tags: https://hub.docker.com/r/nvidia/cuda
- CUDA compatibility with drivers: https://docs.nvidia.com/deploy/cuda-compatibility/
- Docker build best practices, pin base image versions: https://docs.docker.com/build/building/best-practices/#pin-base-image-versions
"#,
};

/// Why a tag moves, if it does (plain `latest` is DL3007's).
fn moving(tag: &str) -> Option<&'static str> {
    let lower = tag.to_ascii_lowercase();
    if lower == "latest" {
        return None;
    }
    let parts: Vec<&str> = lower.split(['-', '_', '.']).collect();
    if parts.contains(&"nightly") {
        Some("a nightly tag changes every day")
    } else if parts.contains(&"latest") {
        Some("a `latest` tag moves to each new release")
    } else if !lower.chars().any(|c| c.is_ascii_digit()) {
        Some("a tag without a version moves to each new release")
    } else {
        None
    }
}

impl Rule for MovingGpuBaseTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let (Base::Image(image), Some(word)) = (&stage.base, &stage.image_word) else { continue };
            let Some(tag) = image.tag.as_deref() else { continue };
            let unresolved = stage.image_evaluated.as_ref().is_none_or(|e| !e.unresolved.is_empty());
            if image.digest.is_some() || tag.contains('$') || unresolved {
                continue;
            }
            let Some(framework) = gpu_framework(image) else { continue };
            let Some(why) = moving(tag) else { continue };
            // The tag's own span when the word is written plainly, else the whole word.
            let plain = word.raw == word.value && !word.raw.contains('$') && word.span.len() == word.raw.len();
            let span = if plain && word.raw.ends_with(&format!(":{tag}")) {
                Span::new(word.span.end - tag.len(), word.span.end)
            } else {
                word.span
            };
            out.push(META.diagnostic(
                span,
                format!(
                    "`{}` is a moving {framework} tag{}: {why}, with new toolkit and framework versions; pin a versioned tag (and ideally a digest)",
                    image.text,
                    stage.image_note()
                ),
            ));
        }
    }
}
