use super::images::{self, ImageKind};
use super::{place, with_written};
use crate::compose::Node;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct ModelServerWithoutLimits;

static META: RuleMeta = RuleMeta {
    code: "BC3006",
    name: "model-server-without-limits",
    severity: Severity::Info,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A model server without a memory limit or a restart policy",
    docs: r#"## What it checks
Services that run a model server (Ollama, vLLM, Text Generation Inference,
Text Embeddings Inference, the llama.cpp server, LocalAI, Triton, Ray,
Xinference, SGLang, Infinity, NVIDIA NIM) without a memory limit
(`deploy.resources.limits.memory` or `mem_limit`) or without a restart policy
(`restart` or `deploy.restart_policy`; `restart: "no"` counts as a choice).

## Why it matters
Loading a model takes host memory in proportion to its size, often more than
the weights while they are converted or memory-mapped; a model larger than
expected, or a second one loaded beside it, pushes the host into swapping or
makes the kernel's out-of-memory killer pick another process, such as the
database. With a limit only the model server is stopped. Model servers also
exit on GPU errors (out of device memory, a lost device) and stay down until
someone notices, unless a restart policy brings them back.

## Example
```yaml
services:
  llm:
    image: ollama/ollama:0.5.7
```

## Use instead
```yaml
services:
  llm:
    image: ollama/ollama:0.5.7
    restart: unless-stopped
    deploy:
      resources:
        limits:
          memory: 16g
```

## References
- Compose Specification, deploy resources: https://docs.docker.com/reference/compose-file/deploy/#resources
- Compose Specification, mem_limit: https://docs.docker.com/reference/compose-file/services/#mem_limit
- Compose Specification, restart: https://docs.docker.com/reference/compose-file/services/#restart
"#,
};

fn has_memory_limit(s: &Node) -> bool {
    s.get("mem_limit").is_some()
        || s.get("deploy")
            .and_then(|d| d.get("resources"))
            .and_then(|r| r.get("limits"))
            .and_then(|l| l.get("memory"))
            .is_some()
}

fn has_restart_policy(s: &Node) -> bool {
    s.get("restart").is_some() || s.get("deploy").and_then(|d| d.get("restart_policy")).is_some()
}

impl ComposeRule for ModelServerWithoutLimits {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some((ik, iv)) = s.node.entry("image") else { continue };
            let Some(known) = iv.str().and_then(images::lookup) else { continue };
            if known.kind != ImageKind::ModelServer || s.node.get("extends").is_some() {
                continue;
            }
            let (mem, restart) = (has_memory_limit(&s.node), has_restart_policy(&s.node));
            let missing = match (mem, restart) {
                (true, true) => continue,
                (false, false) => "no memory limit and no restart policy",
                (false, true) => "no memory limit",
                (true, false) => "no restart policy",
            };
            let (at, written) = place(ik, iv);
            let msg = format!(
                "model server `{}` ({}) has {missing}: {}",
                s.name,
                known.product,
                match (mem, restart) {
                    (false, false) => "loading a large model can exhaust the host's memory, and a crashed server stays down; set `deploy.resources.limits.memory` and `restart: unless-stopped`".to_string(),
                    (false, _) => "loading a large model can exhaust the host's memory; set `deploy.resources.limits.memory`".to_string(),
                    _ => "a crashed server (GPU out of memory, lost device) stays down; set `restart: unless-stopped`".to_string(),
                }
            );
            out.push(with_written(META.diagnostic(at, msg), written));
        }
    }
}
