//! Knowledge about machine-learning images and packages shared by the rules:
//! which base images are GPU framework images, and which Python packages are
//! large enough (gigabytes, with the CUDA libraries they pull in) that a
//! finding may say so.

use crate::model::{Base, ImageRef, Model};

/// The framework of a GPU base image; the table is in `rules/images.rs`.
pub(super) fn gpu_framework(img: &ImageRef) -> Option<&'static str> {
    crate::rules::images::gpu_framework(img.registry.as_deref(), &img.repository)
}

/// The image a stage is built on, following `FROM <stage>` back to the first image.
pub(super) fn root_image<'m>(model: &'m Model<'_>, stage: usize) -> Option<&'m ImageRef> {
    let mut s = model.stages.get(stage)?;
    for _ in 0..model.stages.len() {
        match &s.base {
            Base::Image(img) => return Some(img),
            Base::Stage(p) if *p < s.index => s = model.stages.get(*p)?,
            _ => return None,
        }
    }
    None
}

/// Python packages whose install downloads gigabytes: PyTorch (its Linux
/// wheels on PyPI pull the CUDA libraries), TensorFlow (`tensorflow[and-cuda]`
/// and the GPU builds), JAX with a CUDA extra, NVIDIA's CUDA library wheels
/// (`nvidia-cudnn-cu12`, `nvidia-cublas-cu12`, ...), TensorRT, PaddlePaddle's
/// GPU build, and packages that require a CUDA build of torch (vLLM,
/// xformers). Names are compared after PEP 503 normalisation.
const LARGE: &[&str] = &["torch", "tensorflow", "tensorflow-gpu", "tf-nightly", "paddlepaddle-gpu", "vllm", "xformers"];
const LARGE_PREFIXES: &[&str] = &["nvidia-", "tensorrt"];

/// The normalised project name of a requirement such as `Torch[opt]==2.4`.
fn project_name(spec: &str) -> String {
    let name = spec.split(['=', '<', '>', '!', '~', '[', ';', ' ', '@']).next().unwrap_or(spec);
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

/// Whether installing this requirement downloads gigabytes. `torch` from
/// PyTorch's CPU index (`--index-url .../whl/cpu`) is small: `cpu_index`
/// says the command uses one.
pub(super) fn is_large_package(spec: &str, cpu_index: bool) -> bool {
    if spec.contains('/') || spec.ends_with(".whl") {
        return false;
    }
    let name = project_name(spec);
    if name == "torch" && cpu_index {
        return false;
    }
    if name == "jax" || name == "jaxlib" {
        // `jax[cuda12]`: the CUDA plugin and libraries.
        return spec.to_ascii_lowercase().contains("cuda");
    }
    LARGE.contains(&name.as_str()) || LARGE_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The large packages among a command's words, as written without the
/// version (`torch==2.4` gives `torch`, `jax[cuda12]` stays).
pub(super) fn large_packages<'w>(words: impl IntoIterator<Item = &'w str>) -> Vec<&'w str> {
    let words: Vec<&str> = words.into_iter().collect();
    let cpu_index = words.iter().any(|w| w.contains("download.pytorch.org/whl/cpu"));
    words
        .into_iter()
        .filter(|w| !w.starts_with('-') && is_large_package(w, cpu_index))
        .map(|w| w.split(['=', '<', '>', '!', '~', ';', ' ', '@']).next().unwrap_or(w))
        .collect()
}

/// "`torch` is gigabytes", "`torch` and `vllm` are gigabytes", or nothing.
pub(super) fn size_note(large: &[&str]) -> Option<String> {
    let names: Vec<String> = large.iter().map(|n| format!("`{n}`")).collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(format!("{one} is gigabytes")),
        [rest @ .., last] => Some(format!("{} and {last} are gigabytes", rest.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_packages_by_name() {
        for yes in
            ["torch", "torch==2.4.0", "Torch>=2", "tensorflow[and-cuda]", "jax[cuda12]", "nvidia-cudnn-cu12", "vllm"]
        {
            assert!(is_large_package(yes, false), "{yes}");
        }
        for no in ["torchvision", "jax", "transformers", "numpy", "./torch", "torch-2.4.0-cp312.whl", "flask"] {
            assert!(!is_large_package(no, false), "{no}");
        }
        assert!(!is_large_package("torch", true));
        assert_eq!(
            large_packages(["torch", "--index-url", "https://download.pytorch.org/whl/cpu"]),
            Vec::<&str>::new()
        );
        assert_eq!(large_packages(["-U", "torch==2.4", "einops"]), ["torch"]);
    }
}
