use super::build_files::{build_key_at, build_of, final_base_image};
use super::images::{self, ImageKind, KnownImage};
use super::{place, service_storage, with_written};
use crate::compose::{Node, Service};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use crate::text::Span;

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

A service runs a model server when its image is one, when it is built from
a Dockerfile whose final stage is based on one (`FROM ollama/ollama`, read
when the Dockerfile is available), or when its command starts one
(`vllm serve`, `python -m vllm.entrypoints.openai.api_server`,
`text-generation-launcher`, `llama-server`, `ollama serve`).

Not reported: services that use a model server's image for a job that
exits, such as pulling a model (`command: pull llama3`, `ollama pull`,
`sleep 3; ollama pull ...`, `huggingface-cli download`) or running a client
(`curl`, `sleep`); they have no server to limit or restart.

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

/// The model server a service runs and where to report it: its image, the
/// base image of the Dockerfile it is built from, or the server its command starts.
pub(super) fn model_server(cx: &ComposeContext<'_>, s: &Service) -> Option<(KnownImage, Span, Option<Span>)> {
    let words: Vec<String> =
        ["entrypoint", "command"].iter().flat_map(|k| service_storage::words(s.node.get(k))).collect();
    let serves = images::model_server_command(&words).is_some();
    if images::one_shot_command(&words) || (!serves && service_storage::runs_a_client(&s.node)) {
        return None;
    }
    if let Some((ik, iv)) = s.node.entry("image")
        && let Some(known) = iv.str().and_then(images::lookup)
    {
        let (at, written) = place(ik, iv);
        return (known.kind == ImageKind::ModelServer).then_some((known, at, written));
    }
    if let Some(b) = build_of(cx, s)
        && let Some(known) = cx.project.dockerfile_text(b).and_then(final_base_image).and_then(|i| images::lookup(&i))
        && known.kind == ImageKind::ModelServer
    {
        let (at, written) = build_key_at(b);
        return Some((known, at, written));
    }
    let known = images::model_server_command(&words).and_then(images::model_server)?;
    let (k, v) = s.node.entry("command").or_else(|| s.node.entry("entrypoint"))?;
    let (at, written) = place(k, v);
    Some((known, at, written))
}

impl ComposeRule for ModelServerWithoutLimits {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            if s.node.get("extends").is_some() {
                continue;
            }
            let Some((known, at, written)) = model_server(cx, s) else { continue };
            let (mem, restart) = (has_memory_limit(&s.node), has_restart_policy(&s.node));
            let missing = match (mem, restart) {
                (true, true) => continue,
                (false, false) => "no memory limit and no restart policy",
                (false, true) => "no memory limit",
                (true, false) => "no restart policy",
            };
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
