use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::gpu::{large_packages, size_note};
use super::package_managers::{covers, has_cache_mount, missing_flag, pip_install};

pub struct PipNoCacheDir;

static META: RuleMeta = RuleMeta {
    code: "DL3042",
    name: "pip-no-cache-dir",
    severity: Severity::Warning,
    category: Category::Performance,
    fix: FixAvailability::Always,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Use pip install --no-cache-dir",
    docs: r#"## What it checks
`pip install` (also `pip3`, `pip3.12` and `python -m pip install`) without
`--no-cache-dir`, in RUN commands, heredoc scripts, `sh -c '...'` bodies and
ONBUILD RUN triggers. `pipx` and `pipenv` are other tools and are not checked.

Not reported when the cache is turned off or kept out of the layer another way:

- `PIP_NO_CACHE_DIR` is set by an ENV or ARG in scope (ENV is inherited from
  parent stages), or assigned in the RUN itself (`PIP_NO_CACHE_DIR=1 pip install ...`,
  `export PIP_NO_CACHE_DIR=1`);
- the RUN mounts a cache (or tmpfs) on pip's cache directory or a parent of it:
  `/root/.cache/pip`, `~/.cache`, any `.../.cache/pip`, or the directory that
  `PIP_CACHE_DIR` names.

pip turns the cache off for every valid boolean value of `PIP_NO_CACHE_DIR`,
`0`, `false` and `off` included (kept that way for backward compatibility), so
berth accepts all of them, where hadolint accepts only the true-looking ones.
berth also accepts `PIP_NO_CACHE_DIR` from an ARG, which RUN sees as an
environment variable like an ENV.

When the command names a package whose install downloads gigabytes (`torch`,
`tensorflow`, `jax[cuda12]`, NVIDIA's `nvidia-*` CUDA wheels, TensorRT, vLLM,
...; the list is in berth's `gpu` knowledge module), the message says so and
suggests a cache mount, which also reuses the download on the next build. This
is the one finding for a pip install: BD3004 (pip-cache-in-gpu-image) leaves
pip to this rule and reports only uv.

## Why it matters
pip keeps every downloaded archive and built wheel in its cache, often tens or
hundreds of megabytes. In an image build the cache is never reused by a later
build, but it stays in the layer and makes the image bigger.

## Example
```dockerfile
RUN pip install -r requirements.txt
```

## Use instead
```dockerfile
RUN pip install --no-cache-dir -r requirements.txt
```

Or reuse the cache across builds without putting it in the image:

```dockerfile
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
```

## Fix
Inserts `--no-cache-dir` after `install`. Unsafe: pip then neither reads nor
writes its cache, so a later step that expected built wheels there (an
offline install from the cache, say) no longer finds them.

## References
- hadolint DL3042
- pip caching: https://pip.pypa.io/en/stable/topics/caching/
"#,
};

/// pip disables its cache for every value its boolean parser accepts.
fn disables_cache(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    matches!(v.as_str(), "1" | "0" | "y" | "n" | "t" | "f" | "yes" | "no" | "true" | "false" | "on" | "off")
}

/// `PIP_NO_CACHE_DIR=<bool>` somewhere in the RUN's script.
fn assigned_in_script(text: &str) -> bool {
    text.match_indices("PIP_NO_CACHE_DIR=")
        .any(|(at, key)| disables_cache(text[at + key.len()..].split([' ', '\t', '\n', ';', '&']).next().unwrap_or("")))
}

impl Rule for PipNoCacheDir {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            let Some(script) = cx.model.script(idx) else { continue };
            let installs: Vec<_> = script
                .commands
                .iter()
                .filter_map(|c| pip_install(c, false).map(|p| (c, p.install)))
                .filter(|(c, _)| !c.has_flag(&[], &["no-cache-dir"]))
                .collect();
            if installs.is_empty()
                || cx.model.value("PIP_NO_CACHE_DIR", idx).is_some_and(|v| disables_cache(&v))
                || assigned_in_script(&script.text.text)
            {
                continue;
            }
            let cache_dir = cx.model.value("PIP_CACHE_DIR", idx);
            let mounted = has_cache_mount(inst.effective(), |target| {
                covers(target, "/root/.cache/pip")
                    || target.ends_with("/.cache")
                    || target.ends_with("/.cache/pip")
                    || cache_dir.as_deref().is_some_and(|d| covers(target, d.trim_end_matches('/')))
            });
            if mounted {
                continue;
            }
            for (cmd, install) in installs {
                let after = cmd.args.iter().skip_while(|a| a.span != install.span).skip(1);
                let large = large_packages(after.map(|a| a.value.as_str()));
                let size = size_note(&large).map_or(String::new(), |note| {
                    format!(
                        " ({note}; a cache mount, `RUN --mount=type=cache,target=/root/.cache/pip`, also keeps the download for the next build)"
                    )
                });
                out.push(missing_flag(
                    &META,
                    cmd,
                    install,
                    "--no-cache-dir",
                    format!("add `--no-cache-dir` so pip's download cache does not stay in the layer{size}"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boolean_values_and_assignments() {
        for v in ["1", "true", "TRUE", "off", "0", "'yes'"] {
            assert!(disables_cache(v), "{v}");
        }
        assert!(!disables_cache(""));
        assert!(!disables_cache("maybe"));
        assert!(assigned_in_script("export PIP_NO_CACHE_DIR=1; pip install x"));
        assert!(assigned_in_script("PIP_NO_CACHE_DIR=\"off\" pip install x"));
        assert!(!assigned_in_script("PIP_NO_CACHE_DIR= pip install x"));
    }
}
