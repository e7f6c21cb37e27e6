use super::images;
use super::invalid_gpu_reservation::requests_gpu;
use super::{place, with_written};
use crate::compose::Node;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct GpuServiceWithoutShmSize;

static META: RuleMeta = RuleMeta {
    code: "BC3009",
    name: "gpu-service-without-shm-size",
    severity: Severity::Info,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A PyTorch-based GPU service with Docker's 64 MB `/dev/shm`",
    docs: r#"## What it checks
Services that request GPUs (a device reservation for `gpu` or the `nvidia`
driver, `gpus`, or `runtime: nvidia`) and run an image whose processes share
tensors through shared memory (vLLM, Text Generation Inference, Triton,
SGLang, Ray, the PyTorch images), without `shm_size` and without
`ipc: host` (or `ipc: service:...`).

Only these images are checked: for images built from a Dockerfile, or other
images, berth cannot tell whether shared memory is used.

## Why it matters
Docker gives a container 64 MB of `/dev/shm`. PyTorch's data loader workers,
tensor-parallel inference and NCCL pass tensors through it; when it fills up
the processes die with "bus error" or NCCL errors, usually only under load or
with more than one GPU. These projects' own instructions run their containers
with `--shm-size` or `--ipc=host`.

## Example
```yaml
services:
  llm:
    image: vllm/vllm-openai:v0.6.3
    gpus: all
```

## Use instead
```yaml
services:
  llm:
    image: vllm/vllm-openai:v0.6.3
    gpus: all
    shm_size: 8gb
```

## References
- Compose Specification, shm_size: https://docs.docker.com/reference/compose-file/services/#shm_size
- Compose Specification, ipc: https://docs.docker.com/reference/compose-file/services/#ipc
- vLLM, using Docker: https://docs.vllm.ai/en/latest/deployment/docker.html
"#,
};

impl ComposeRule for GpuServiceWithoutShmSize {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some((ik, iv)) = s.node.entry("image") else { continue };
            let Some(image) = iv.str() else { continue };
            if !images::uses_shared_memory(image) || !requests_gpu(&s.node) || s.node.get("shm_size").is_some() {
                continue;
            }
            let ipc = s.node.get("ipc").and_then(Node::str).unwrap_or("");
            if ipc == "host" || ipc.starts_with("service:") || ipc.starts_with("container:") || ipc.contains('$') {
                continue;
            }
            let (at, written) = place(ik, iv);
            let msg = format!(
                "GPU service `{}` keeps Docker's 64 MB `/dev/shm`: PyTorch workers and NCCL pass tensors through it and fail with bus errors when it fills; set `shm_size` (such as `8gb`) or `ipc: host`",
                s.name
            );
            out.push(with_written(META.diagnostic(at, msg), written));
        }
    }
}
