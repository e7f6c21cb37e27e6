use super::images::{self, ImageKind};
use super::service_storage::{self, DataDirs, Persistence};
use super::{place, place_node, with_written};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct ModelCacheNotPersisted;

static META: RuleMeta = RuleMeta {
    code: "BC3007",
    name: "model-cache-not-persisted",
    severity: Severity::Info,
    category: Category::Performance,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A model server downloads its models into the container",
    docs: r#"## What it checks
Services that run a model server with no named volume or bind mount on the
directory where it keeps downloaded models:
- Ollama: `/root/.ollama` (or `OLLAMA_MODELS`);
- vLLM, SGLang: the Hugging Face cache `/root/.cache/huggingface` (or
  `HF_HOME`, `HF_HUB_CACHE`, `HUGGINGFACE_HUB_CACHE`, `TRANSFORMERS_CACHE`);
- Text Generation Inference and Text Embeddings Inference: `/data`;
- LocalAI: `/models` (or `MODELS_PATH`); Xinference: `/root/.xinference`;
  Infinity: `/app/.cache`; NVIDIA NIM: `/opt/nim/.cache`.

Not reported: a mounted path that appears in the command or environment
(`--download-dir /models`, `--model /models/llama`), mounts given by
variables, `volumes_from`, and servers that load models from a path the
user chooses (the llama.cpp server, Triton).

## Why it matters
Model weights are gigabytes. Kept in the container, they are downloaded again
for every new container (after `docker compose down`, an image update, a
changed setting), which takes minutes, costs bandwidth, and can hit the
hub's rate limits; the server is not ready until the download ends.

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
    volumes:
      - ollama:/root/.ollama

volumes:
  ollama:
```

## References
- Compose Specification, volumes: https://docs.docker.com/reference/compose-file/services/#volumes
- Ollama Docker image: https://hub.docker.com/r/ollama/ollama
- vLLM, using Docker: https://docs.vllm.ai/en/latest/deployment/docker.html
"#,
};

impl ComposeRule for ModelCacheNotPersisted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some((ik, iv)) = s.node.entry("image") else { continue };
            let Some(image) = iv.str() else { continue };
            let Some(known) = images::lookup(image) else { continue };
            if known.kind != ImageKind::ModelServer {
                continue;
            }
            let dirs = service_storage::data_dirs(&known, image, &s.node);
            let DataDirs::Known { shown, mount_at, .. } = &dirs else { continue };
            let mounts = service_storage::mounts(&s.node);
            let (name, product) = (&s.name, known.product);
            match service_storage::persistence(&s.node, &dirs, &mounts) {
                Persistence::Lost => {
                    let (at, written) = place(ik, iv);
                    let msg = format!(
                        "model server `{name}` ({product}) keeps downloaded models {shown} without a volume: they are downloaded again for every new container; mount a named volume at `{mount_at}`"
                    );
                    out.push(with_written(META.diagnostic(at, msg), written));
                }
                Persistence::Anonymous(m) => {
                    let (at, written) = place_node(m.node);
                    let msg = format!(
                        "model server `{name}` ({product}) keeps downloaded models in an anonymous volume at `{}`: every new container gets a new, empty one; name the volume",
                        m.target
                    );
                    out.push(with_written(META.diagnostic(at, msg), written));
                }
                Persistence::Kept | Persistence::Unknown => {}
            }
        }
    }
}
