use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::rules::lifecycle;
use crate::rules::platforms::{self, Targets};

pub struct BaseImageMissingPlatform;

static META: RuleMeta = RuleMeta {
    code: "BD4004",
    name: "base-image-missing-platform",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "The base image does not publish every platform the stage is built for",
    docs: r#"## What it checks
A `FROM` of an image that berth knows publishes fewer platforms than the
stage is built for: `pytorch/pytorch` (linux/amd64 only), the GPU tags of
`tensorflow/tensorflow` (linux/amd64), `mcr.microsoft.com/mssql/server`
(linux/amd64), `mysql:5.7` and older (linux/amd64), `selenium/standalone-chrome`
(linux/amd64), `amazonlinux` (amd64 and arm64), `nvidia/cuda` (amd64, arm64,
ppc64le). The stage's platforms are its `FROM --platform`, else the project's
(`[registry] platforms` in `berth.toml`, `--platform` on the command line);
without either the rule is silent. The table of platforms is in
`rules/src/rules/lifecycle.rs`, with a source per image.

## Why it matters
`docker buildx build --platform linux/arm64` of such a stage fails with "no
match for platform in manifest", or, with a single-platform image and an
emulator installed, silently builds an amd64 image that an arm64 device
cannot run. Edge devices (Jetson, Raspberry Pi) are arm64 or arm/v7.

## Example
```dockerfile
# berth.toml: [registry] platforms = ["linux/amd64", "linux/arm64"]
FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime
```

## Use instead
A base that publishes every target (a Python image and `pip install torch`),
or a per-platform base chosen with a build argument (on Jetson,
`nvcr.io/nvidia/l4t-pytorch`).

## References
- Multi-platform images: https://docs.docker.com/build/building/multi-platform/
- pytorch/pytorch tags: https://hub.docker.com/r/pytorch/pytorch/tags
"#,
};

impl Rule for BaseImageMissingPlatform {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let Some((image, word)) = stage.resolved_image() else { continue };
            let Some(known) = lifecycle::platforms_of(image) else { continue };
            let Targets::Known(targets) = platforms::stage_targets(cx, stage) else { continue };
            let archs: Vec<String> = known.platforms.iter().filter_map(|p| platforms::arch(p)).collect();
            let missing: Vec<String> =
                targets.iter().filter(|t| platforms::arch(t).is_some_and(|a| !archs.contains(&a))).cloned().collect();
            if missing.is_empty() {
                continue;
            }
            let note = if known.note.is_empty() { String::new() } else { format!("; {}", known.note) };
            out.push(META.diagnostic(
                word.span,
                format!(
                    "`{}`{} publishes {} only, but the stage is built for {}{note} ({})",
                    image.text,
                    stage.image_note(),
                    platforms::list(&known.platforms.iter().map(|p| p.to_string()).collect::<Vec<_>>()),
                    platforms::list(&missing),
                    known.source
                ),
            ));
        }
    }
}
