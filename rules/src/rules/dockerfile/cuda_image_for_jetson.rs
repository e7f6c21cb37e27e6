use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::rules::lifecycle;
use crate::rules::platforms::{self, Targets};

pub struct CudaImageForJetson;

static META: RuleMeta = RuleMeta {
    code: "BD4005",
    name: "cuda-image-for-jetson",
    severity: Severity::Info,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A CUDA server image is built for arm64; Jetson devices need L4T images",
    docs: r#"## What it checks
A `FROM` of NVIDIA's CUDA server images (`nvidia/cuda`, `nvcr.io/nvidia/cuda`,
`nvcr.io/nvidia/pytorch`, `nvcr.io/nvidia/tensorflow`) in a stage built for
`linux/arm64` (its `FROM --platform`, or the project's platforms in
`berth.toml` or `--platform`). Without a known arm64 target the rule is silent.

## Why it matters
The arm64 variants of these images are built for Arm servers with discrete
NVIDIA GPUs (SBSA: Grace Hopper, Ampere Altra with a data-center GPU). Jetson
modules have an integrated GPU whose driver and CUDA come with JetPack (L4T,
Linux for Tegra): the server images pull and start, then find no usable GPU.
Jetson needs the L4T images (`nvcr.io/nvidia/l4t-jetpack`,
`nvcr.io/nvidia/l4t-cuda`, `nvcr.io/nvidia/l4t-pytorch`) matching the
device's JetPack release. If the arm64 target really is an SBSA server,
ignore this finding.

## Example
```dockerfile
FROM --platform=linux/arm64 nvidia/cuda:12.4.1-runtime-ubuntu22.04
```

## Use instead
```dockerfile
FROM nvcr.io/nvidia/l4t-jetpack:r36.3.0
```
or a build argument that chooses the base per platform.

## References
- L4T JetPack container: https://catalog.ngc.nvidia.com/orgs/nvidia/containers/l4t-jetpack
- CUDA images and their platforms: https://hub.docker.com/r/nvidia/cuda
"#,
};

/// NVIDIA's server (SBSA/x86) GPU images; L4T images are Jetson's.
pub(crate) fn is_server_cuda(name: &str) -> bool {
    lifecycle::is_cuda(name)
        || matches!(name, "nvcr.io/nvidia/pytorch" | "nvcr.io/nvidia/tensorflow" | "nvcr.io/nvidia/tritonserver")
}

impl Rule for CudaImageForJetson {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let Some((image, word)) = stage.resolved_image() else { continue };
            if !is_server_cuda(&lifecycle::canonical_name(image)) {
                continue;
            }
            let Targets::Known(targets) = platforms::stage_targets(cx, stage) else { continue };
            if !targets.iter().any(|t| platforms::arch(t).as_deref() == Some("arm64")) {
                continue;
            }
            out.push(META.diagnostic(
                word.span,
                format!(
                    "`{}`{} is built for linux/arm64 here, but its arm64 variant is for Arm servers with discrete GPUs (SBSA); Jetson devices need an L4T image matching their JetPack release (nvcr.io/nvidia/l4t-jetpack, l4t-cuda, l4t-pytorch)",
                    image.text,
                    stage.image_note()
                ),
            ));
        }
    }
}
