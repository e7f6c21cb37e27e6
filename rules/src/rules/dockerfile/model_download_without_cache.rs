use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::Command;
use crate::syntax::Instruction;
use crate::text::Span;

pub struct ModelDownloadWithoutCache;

static META: RuleMeta = RuleMeta {
    code: "BD3005",
    name: "model-download-without-cache",
    severity: Severity::Warning,
    category: Category::Performance,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Do not download model weights in RUN without a cache mount",
    docs: r#"## What it checks
RUN steps that download machine-learning model weights without a
`--mount=type=cache` to keep them in:

- `huggingface-cli download`, `hf download`;
- `python -c "..."` (or a `python <<EOF` heredoc) calling `from_pretrained`,
  `snapshot_download` or `hf_hub_download`;
- `ollama pull`;
- `git clone` of a `huggingface.co` repository;
- `curl`/`wget` of a Hugging Face `.../resolve/...` URL, or of a file ending in
  `.safetensors`, `.gguf`, `.ggml`, `.ckpt`, `.onnx`, `.pt`, `.pth` or
  `.tflite` (and `.bin` when the name says it is a model, such as
  `pytorch_model.bin`, or it comes from Hugging Face).

A cache mount counts when its target is a `.cache` folder, names Hugging Face,
Ollama or models (`/root/.cache/huggingface`, `/models`, `/root/.ollama`), is
where `HF_HOME`, `HF_HUB_CACHE`, `HUGGINGFACE_HUB_CACHE`, `TRANSFORMERS_CACHE`,
`SENTENCE_TRANSFORMERS_HOME` or `OLLAMA_MODELS` points, or holds the download's
output path (`-o`, `-O`, `-P`, `--local-dir`, `--cache-dir`).

## Why it matters
Weights are large (hundreds of megabytes to hundreds of gigabytes). Downloaded
in a RUN step they are fetched again whenever that step's cache is invalidated
(a changed line above it, a new base image, another builder), and they become a
layer of the image that every push, pull and node has to move, even when only
the code changed. Model hubs also rate-limit anonymous downloads, which makes
such builds fail at random.

## Example
```dockerfile
RUN huggingface-cli download meta-llama/Llama-3.1-8B-Instruct --local-dir /models/llama
```

## Use instead
Keep the download in a cache mount and copy out what the image needs, or do
not bake weights in at all and mount them at run time:

```dockerfile
RUN --mount=type=cache,target=/root/.cache/huggingface \
    huggingface-cli download meta-llama/Llama-3.1-8B-Instruct \
 && cp -rL /root/.cache/huggingface/hub/models--meta-llama--Llama-3.1-8B-Instruct/snapshots/*/ /models/llama
```

```console
docker run -v hf-cache:/root/.cache/huggingface my-image
```

## References
- Docker build cache mounts: https://docs.docker.com/build/cache/optimize/#use-cache-mounts
- Hugging Face Hub, cache and environment variables: https://huggingface.co/docs/huggingface_hub/package_reference/environment_variables
"#,
};

const MODEL_EXTENSIONS: &[&str] = &[".safetensors", ".gguf", ".ggml", ".ckpt", ".onnx", ".pt", ".pth", ".tflite"];
const CACHE_VARS: &[&str] = &[
    "HF_HOME",
    "HF_HUB_CACHE",
    "HUGGINGFACE_HUB_CACHE",
    "TRANSFORMERS_CACHE",
    "SENTENCE_TRANSFORMERS_HOME",
    "OLLAMA_MODELS",
];
const PYTHON_MARKERS: &[&str] = &["from_pretrained", "snapshot_download", "hf_hub_download"];

fn is_hf_host(host: &str) -> bool {
    matches!(host, "huggingface.co" | "hf.co" | "www.huggingface.co" | "cdn-lfs.huggingface.co")
}

/// (host, path) of an http(s) URL.
fn url_parts(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let path = path.split(['?', '#']).next().unwrap_or("");
    Some((host.to_ascii_lowercase(), path.to_string()))
}

fn weights_url(url: &str) -> bool {
    let Some((host, path)) = url_parts(url) else { return false };
    let file = path.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    if is_hf_host(&host) && path.contains("/resolve/") {
        return true;
    }
    if file.is_empty() {
        return false;
    }
    if MODEL_EXTENSIONS.iter().any(|e| file.ends_with(e)) {
        return true;
    }
    file.ends_with(".bin")
        && (is_hf_host(&host) || ["model", "weights", "ggml", "checkpoint"].iter().any(|w| file.contains(w)))
}

fn is_python(name: &str) -> bool {
    name.strip_prefix("python").is_some_and(|r| r.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// What the command downloads, and the paths it writes to (for cache-mount matching).
fn download(
    cx: &Context<'_, '_>,
    idx: usize,
    inst: &Instruction,
    cmd: &Command,
) -> Option<(&'static str, Vec<String>)> {
    let value = |i: usize| cmd.args.get(i).map(|a| cx.model.expand(&a.value, idx).value);
    let name = cmd.base_name();
    let first = cmd.args.iter().position(|a| !a.value.starts_with('-'));
    let sub = first.and_then(value);
    let option_values = |opts: &[&str]| -> Vec<String> {
        let mut out = Vec::new();
        for (i, a) in cmd.args.iter().enumerate() {
            for o in opts {
                if a.value == *o {
                    out.extend(value(i + 1));
                } else if let Some(v) = a.value.strip_prefix(&format!("{o}=")) {
                    out.push(cx.model.expand(v, idx).value);
                }
            }
        }
        out
    };
    match name {
        "huggingface-cli" | "hf" if sub.as_deref() == Some("download") => {
            Some(("model weights", option_values(&["--local-dir", "--cache-dir"])))
        }
        "ollama" if sub.as_deref() == Some("pull") => Some(("an Ollama model", Vec::new())),
        "git" if sub.as_deref() == Some("clone") => {
            let hf = cmd.args.iter().any(|a| url_parts(&a.value).is_some_and(|(h, _)| is_hf_host(&h)));
            hf.then(|| {
                let dest = cmd.operands(&["-b", "--branch", "--depth", "-c", "--config", "-o", "--origin"]);
                ("a Hugging Face model repository", dest.get(2).map(|w| w.value.to_string()).into_iter().collect())
            })
        }
        "curl" | "wget" => {
            let urls = cmd.args.iter().map(|a| cx.model.expand(&a.value, idx).value).any(|v| weights_url(&v));
            urls.then(|| {
                (
                    "model weights",
                    option_values(&[
                        "-o",
                        "--output",
                        "-O",
                        "--output-document",
                        "-P",
                        "--directory-prefix",
                        "--output-dir",
                    ]),
                )
            })
        }
        n if is_python(n) => {
            let code: String = match cmd.args.iter().position(|a| a.value == "-c") {
                Some(p) => cmd.args.get(p + 1).map(|a| a.value.to_string()).unwrap_or_default(),
                // `python <<EOF`: the heredoc is the program.
                None if cmd.args.iter().all(|a| a.value.starts_with('-')) => {
                    inst.heredocs.iter().map(|h| h.body.text.as_str()).collect::<Vec<_>>().join("\n")
                }
                None => String::new(),
            };
            PYTHON_MARKERS.iter().any(|m| code.contains(m)).then(|| ("model weights", Vec::new()))
        }
        _ => None,
    }
}

fn under(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    !dir.is_empty() && (path == dir || path.starts_with(&format!("{dir}/")))
}

/// Targets of the RUN's cache mounts.
fn cache_targets(cx: &Context<'_, '_>, idx: usize, inst: &Instruction) -> Vec<String> {
    inst.flags
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("mount"))
        .filter_map(|f| {
            let value = cx.model.expand(f.value.as_deref().unwrap_or(""), idx).value;
            let mut cache = false;
            let mut target = None;
            for field in value.split(',') {
                let (k, v) = field.split_once('=').unwrap_or((field, ""));
                let v = v.trim_matches(['"', '\'']);
                match k.trim().to_ascii_lowercase().as_str() {
                    "type" => cache = v == "cache",
                    "target" | "dst" | "destination" => target = Some(v.trim_end_matches('/').to_string()),
                    _ => {}
                }
            }
            if cache { target } else { None }
        })
        .collect()
}

fn covered(cx: &Context<'_, '_>, idx: usize, targets: &[String], outputs: &[String]) -> bool {
    let env: Vec<String> = CACHE_VARS.iter().filter_map(|v| cx.model.value(v, idx)).collect();
    targets.iter().any(|t| {
        let lower = t.to_ascii_lowercase();
        lower.ends_with("/.cache")
            || lower.contains("/.cache/")
            || ["huggingface", "hf", "ollama", "model", "weight", "checkpoint"].iter().any(|w| lower.contains(w))
            || env.iter().any(|e| under(e, t))
            || outputs.iter().any(|o| under(o, t))
    })
}

impl Rule for ModelDownloadWithoutCache {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            let Some(script) = cx.model.script(idx) else { continue };
            let inst = inst.effective();
            let targets = cache_targets(cx, idx, inst);
            for cmd in &script.commands {
                let Some((what, outputs)) = download(cx, idx, inst, cmd) else { continue };
                let target = if cmd.is("ollama") { "/root/.ollama" } else { "/root/.cache/huggingface" };
                if covered(cx, idx, &targets, &outputs) {
                    continue;
                }
                out.push(META.diagnostic(
                    Span::new(cmd.name.span.start, cmd.span.end),
                    format!("this downloads {what} into the layer, again whenever this step is rebuilt; download into a cache mount (`RUN --mount=type=cache,target={target}`) or mount the weights at run time"),
                ));
            }
        }
    }
}
