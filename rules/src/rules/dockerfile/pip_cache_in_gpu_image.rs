use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::{Command, Script};
use crate::syntax::Instruction;
use crate::text::Span;

use super::gpu::{gpu_framework, large_packages, root_image, size_note};
use super::package_managers::shipped_stages;

pub struct PipCacheInGpuImage;

static META: RuleMeta = RuleMeta {
    code: "BD3004",
    name: "pip-cache-in-gpu-image",
    severity: Severity::Warning,
    category: Category::Performance,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Mount a uv cache (or pass --no-cache) when installing into a GPU image",
    docs: r#"## What it checks
`uv pip install`, `uv pip sync` and `uv sync` in stages built on a GPU
framework image, when the downloads stay in uv's cache inside the layer. A
stage counts as a GPU stage when its base image, or the base image of the stage
it is built `FROM` (followed back through the stage chain), is one of
`nvidia/cuda*`, `nvcr.io/...`, `pytorch/pytorch`, `tensorflow/tensorflow`,
`huggingface/...` (also on `ghcr.io`) or `rocm/...`; only the repository has
to be known, so `nvidia/cuda:${CUDA}-runtime` counts even when `CUDA` has no
default.

Not reported when the cache stays out of the layer: `--no-cache`/`-n`,
`UV_NO_CACHE` set by ENV, ARG or in the same RUN, a `RUN --mount=type=cache` on
the cache folder (`~/.cache`, a target naming uv, or `UV_CACHE_DIR`), or a
cleanup later in the same RUN (`uv cache clean`, `rm -rf ~/.cache/uv`).
Not reported either in builder stages, whose layers never reach an image.
A stage ships when it is the last stage, when nothing refers to it (it may
be built with `--target`), or when a shipped stage is built `FROM` it; the
others are only copied from (`COPY --from=builder`), so their cache stays
behind.
Installs of only local wheel files or of packaging and build tools (`pip`,
`setuptools`, `wheel`, `uv`, `cmake`, `ninja`, `Cython`, ...) are left alone.
The message says "gigabytes" only when the command names a package that large
(`torch`, `tensorflow`, `jax[cuda12]`, `nvidia-*`, vLLM, ...).

### Relation to DL3042
`pip install` without `--no-cache-dir` is DL3042's finding, in every image;
in a GPU image its message names the large packages and suggests the cache
mount. This rule does not report pip too (one finding per problem): it covers
uv, which DL3042 does not know.

## Why it matters
uv keeps every wheel it downloads in `~/.cache/uv`. Written in a RUN step,
that copy becomes part of the layer: the CUDA build of `torch` alone adds
2–4 GB that the image never uses, on every push and pull. A cache mount keeps
the wheels on the build machine instead, where the next build reuses them
rather than downloading gigabytes again.

## Example
```dockerfile
FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04
RUN uv pip install --system torch==2.4.0 vllm==0.6.3
```

## Use instead
```dockerfile
FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04
RUN --mount=type=cache,target=/root/.cache/uv \
    uv pip install --system torch==2.4.0 vllm==0.6.3
```

## References
- pip, caching: https://pip.pypa.io/en/stable/topics/caching/
- Docker build cache mounts: https://docs.docker.com/build/cache/optimize/#use-cache-mounts
- uv in Docker, caching: https://docs.astral.sh/uv/guides/integration/docker/#caching
"#,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    Pip,
    Uv,
}

/// `pip install`, `python -m pip install`, `uv pip install`/`sync`, `uv sync`:
/// the tool and the index of the subcommand word.
fn installer(cmd: &Command) -> Option<(Tool, usize)> {
    let name = cmd.base_name();
    let version_suffix = |r: &str| r.chars().all(|c| c.is_ascii_digit() || c == '.');
    let words: Vec<&str> = cmd.args.iter().map(|a| a.value.as_str()).collect();
    let sub = |from: usize, names: &[&str]| {
        words
            .iter()
            .enumerate()
            .skip(from)
            .find(|(_, w)| !w.starts_with('-'))
            .filter(|(_, w)| names.contains(w))
            .map(|(i, _)| i)
    };
    if name.strip_prefix("pip").is_some_and(version_suffix) {
        return sub(0, &["install"]).map(|i| (Tool::Pip, i));
    }
    if name.strip_prefix("python").is_some_and(version_suffix) {
        let m = words.iter().position(|w| *w == "-m")?;
        if words.get(m + 1) != Some(&"pip") {
            return None;
        }
        return sub(m + 2, &["install"]).map(|i| (Tool::Pip, i));
    }
    if name == "uv" {
        let first = words.iter().position(|w| !w.starts_with('-'))?;
        return match words[first] {
            "pip" => sub(first + 1, &["install", "sync"]).map(|i| (Tool::Uv, i)),
            "sync" => Some((Tool::Uv, first)),
            _ => None,
        };
    }
    None
}

/// Packaging and build tools: small downloads, not what this rule is about.
const BOOTSTRAP: &[&str] = &[
    "pip",
    "setuptools",
    "wheel",
    "uv",
    "packaging",
    "setuptools-scm",
    "setuptools_scm",
    "build",
    "cython",
    "ninja",
    "cmake",
    "pybind11",
    "nanobind",
    "hatchling",
    "scikit-build",
    "scikit-build-core",
    "meson",
    "meson-python",
];

/// Every package named is a build tool or a local wheel file.
fn only_bootstrap(cmd: &Command, sub: usize) -> bool {
    let mut any = false;
    let mut skip = false;
    for a in cmd.args.iter().skip(sub + 1) {
        let v = a.value.as_str();
        if std::mem::take(&mut skip) {
            continue;
        }
        if v.starts_with('-') {
            // Options whose value is a file or an index mean real packages, or take a value.
            if matches!(v, "-r" | "--requirement" | "-e" | "--editable" | "-c" | "--constraint") {
                return false;
            }
            skip = matches!(
                v,
                "-i" | "--index-url"
                    | "--extra-index-url"
                    | "-f"
                    | "--find-links"
                    | "--target"
                    | "-t"
                    | "--prefix"
                    | "--root"
                    | "--python"
            );
            continue;
        }
        any = true;
        // Local wheel files are not downloaded, so they are not cached either.
        if v.ends_with(".whl") && !v.contains("://") {
            continue;
        }
        let name = v.split(['=', '<', '>', '!', '~', '[', ';', ' ']).next().unwrap_or(v).to_ascii_lowercase();
        if !BOOTSTRAP.contains(&name.as_str()) {
            return false;
        }
    }
    any
}

fn cache_mounted(cx: &Context<'_, '_>, idx: usize, inst: &Instruction, tool: Tool) -> bool {
    let cache_dir = match tool {
        Tool::Pip => cx.model.value("PIP_CACHE_DIR", idx),
        Tool::Uv => cx.model.value("UV_CACHE_DIR", idx),
    };
    inst.flags.iter().filter(|f| f.name.eq_ignore_ascii_case("mount")).any(|f| {
        let value = cx.model.expand(f.value.as_deref().unwrap_or(""), idx).value;
        let mut kind = "bind";
        let mut target = String::new();
        for field in value.split(',') {
            let (k, v) = field.split_once('=').unwrap_or((field, ""));
            let v = v.trim_matches(['"', '\'']);
            match k.trim().to_ascii_lowercase().as_str() {
                "type" => kind = if v == "cache" { "cache" } else { "other" },
                "target" | "dst" | "destination" => target = v.trim_end_matches('/').to_string(),
                _ => {}
            }
        }
        let name_fits = match tool {
            Tool::Pip => target.contains("pip"),
            Tool::Uv => target.contains("uv"),
        };
        kind == "cache"
            && (target.ends_with("/.cache")
                || target.contains("/.cache/")
                || name_fits
                || cache_dir.as_deref().is_some_and(|d| d.trim_end_matches('/') == target))
    })
}

/// The cache is turned off or cleaned up in this RUN.
fn handled_in_script(script: &Script, cmd: &Command, tool: Tool) -> bool {
    let text = &script.text.text;
    let (env, clean_sub): (&str, &[&str]) = match tool {
        Tool::Pip => ("PIP_NO_CACHE_DIR=", &["purge", "remove"]),
        Tool::Uv => ("UV_NO_CACHE=", &["clean", "prune"]),
    };
    if text.contains(env) {
        return true;
    }
    script.commands.iter().filter(|c| c.span.start > cmd.span.end).any(|c| {
        let cache_cmd = c.args.first().is_some_and(|a| a.value == "cache")
            && c.args.get(1).is_some_and(|a| clean_sub.contains(&a.value.as_str()))
            && (c.base_name().starts_with("pip") || c.is("uv"));
        let removes = c.is("rm") && c.args.iter().any(|a| a.value.contains(".cache"));
        cache_cmd || removes
    })
}

fn turned_off(cx: &Context<'_, '_>, idx: usize, cmd: &Command, tool: Tool) -> bool {
    let (env, flags): (&str, &[&str]) = match tool {
        Tool::Pip => ("PIP_NO_CACHE_DIR", &["--no-cache-dir", "--no-cache"]),
        Tool::Uv => ("UV_NO_CACHE", &["--no-cache", "--no-cache-dir", "-n"]),
    };
    cmd.args.iter().any(|a| flags.iter().any(|f| a.value == *f || a.value.starts_with(&format!("{f}="))))
        || cx.model.value(env, idx).is_some_and(|v| !v.trim().is_empty())
        || cmd.assignments.iter().any(|a| a.starts_with(&format!("{env}=")))
}

impl Rule for PipCacheInGpuImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        // Per stage: the GPU framework of its root image, computed once.
        // Stages only copied from (builders) never ship their layers, cache included.
        let shipped = shipped_stages(cx);
        let frameworks: Vec<Option<&str>> = (0..cx.model.stages.len())
            .map(|s| if shipped.get(s) == Some(&true) { root_image(cx.model, s).and_then(gpu_framework) } else { None })
            .collect();
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            let Some(script) = cx.model.script(idx) else { continue };
            let Some(framework) = cx.model.info[idx].stage.and_then(|s| frameworks.get(s).copied().flatten()) else {
                continue;
            };
            let inst = inst.effective();
            for cmd in &script.commands {
                let Some((tool, sub)) = installer(cmd) else { continue };
                // pip without `--no-cache-dir` is DL3042's finding (its
                // message names the large packages): one finding per problem.
                if tool == Tool::Pip
                    || only_bootstrap(cmd, sub)
                    || turned_off(cx, idx, cmd, tool)
                    || cache_mounted(cx, idx, inst, tool)
                    || handled_in_script(script, cmd, tool)
                {
                    continue;
                }
                let Some(sub_word) = cmd.args.get(sub) else { continue };
                let large = large_packages(cmd.args.iter().skip(sub + 1).map(|a| a.value.as_str()));
                let size = size_note(&large).unwrap_or_else(|| format!("in a {framework} image"));
                out.push(META.diagnostic(
                    Span::new(cmd.name.span.start, sub_word.span.end),
                    format!(
                        "uv keeps every downloaded wheel in its cache inside this layer ({size}); use `RUN --mount=type=cache,target=/root/.cache/uv` (or `--no-cache`)"
                    ),
                ));
            }
        }
    }
}
