use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::Command;
use crate::syntax::{Instruction, Keyword};
use crate::text::Span;
use std::collections::HashMap;

use super::archives::{COMPRESSED_SUFFIXES, TAR_SUFFIXES};

pub struct UseAddToExtract;

static META: RuleMeta = RuleMeta {
    code: "DL3010",
    name: "use-add-to-extract",
    severity: Severity::Info,
    category: Category::Performance,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Use ADD to unpack a local tar archive instead of COPY and tar",
    docs: r#"## What it checks
A local tar archive copied with `COPY` (not `COPY --from`) that a later RUN of
the same stage unpacks: `tar -x`/`--extract`/`--get` (also the old style
`tar xzf`, which hadolint misses), or a decompressor such as `gunzip`,
`bunzip2`, `unxz`, `zcat` or `zstd -d`. The archive and the extracting command
are matched by file name, with ARG/ENV values evaluated. The extracting
command may be in a heredoc script or an `sh -c '...'` body; ONBUILD triggers
and RUN in exec form are not looked at.

Tar archives are names ending in `.tar`, `.tar.gz`/`.tgz`, `.tar.bz2`/`.tbz2`,
`.tar.xz`/`.txz` or `.tar.zst`/`.tzst` — the formats `ADD` unpacks. A plain
`.gz`, `.bz2`, `.xz` or `.zst` counts only when `tar -x` reads it, which shows
that it holds a tar.

berth differs from hadolint on purpose in three ways: it reports in every
stage (hadolint drops findings of all but the last stage), it does not report
`.zip`, `.Z`, `.lz` or `.lzma` files or a lone `gunzip` of a non-tar file
(`ADD` does not unpack those, so the advice would be wrong), and it leaves
`tar` calls alone that `ADD` cannot imitate (`--strip-components`,
`--exclude`, `--wildcards`, `--transform`, `-O`/`--to-stdout`, `-T`).

## Why it matters
`COPY` stores the archive in its own layer, and a later `rm` cannot take it out
of the image again: the image carries the packed and the unpacked files. `ADD`
with a local tar archive unpacks it straight into the destination, in one
layer, without the archive.

## Example
```dockerfile
COPY vendor.tar.gz /tmp/
RUN tar -xzf /tmp/vendor.tar.gz -C /opt && rm /tmp/vendor.tar.gz
```

## Use instead
```dockerfile
ADD vendor.tar.gz /opt/
```

## References
- hadolint DL3010
- Dockerfile reference, ADD: https://docs.docker.com/reference/dockerfile/#add
"#,
};

const DECOMPRESSORS: &[&str] = &["gunzip", "bunzip2", "unxz", "unzstd", "zcat", "gzcat", "bzcat", "xzcat", "zstdcat"];
const DECOMPRESSORS_WITH_D: &[&str] = &["gzip", "bzip2", "xz", "zstd", "pigz"];

fn basename(path: &str) -> &str {
    path.trim_end_matches('/').rsplit(['/', '\\']).next().unwrap_or(path)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tar,
    Compressed,
}

fn kind(name: &str) -> Option<Kind> {
    if TAR_SUFFIXES.iter().any(|s| name.ends_with(s)) {
        Some(Kind::Tar)
    } else if COMPRESSED_SUFFIXES.iter().any(|s| name.ends_with(s)) {
        Some(Kind::Compressed)
    } else {
        None
    }
}

struct Copied {
    span: Span,
    shown: String,
    kind: Kind,
}

/// How a command unpacks files, if it does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Extracts {
    Tar,
    Decompress,
}

fn extracts(cmd: &Command) -> Option<Extracts> {
    let name = cmd.base_name();
    if name == "tar" {
        if cmd.has_flag(
            &['O', 'T'],
            &[
                "--strip-components",
                "--strip",
                "--exclude",
                "--wildcards",
                "--transform",
                "--xform",
                "--to-stdout",
                "--files-from",
                "--to-command",
            ],
        ) {
            return None;
        }
        let long = cmd.args.iter().any(|a| a.value == "--extract" || a.value == "--get");
        let short = cmd.args.iter().any(|a| {
            a.value
                .strip_prefix('-')
                .is_some_and(|f| !f.starts_with('-') && f.contains('x') && f.chars().all(|c| c.is_ascii_alphabetic()))
        });
        // Old style: `tar xzf file`, the first argument being the bundled options.
        let old = cmd.args.first().is_some_and(|a| {
            !a.value.starts_with('-') && a.value.contains('x') && a.value.chars().all(|c| c.is_ascii_alphabetic())
        });
        return (long || short || old).then_some(Extracts::Tar);
    }
    if DECOMPRESSORS.contains(&name)
        || (DECOMPRESSORS_WITH_D.contains(&name) && cmd.has_flag(&['d'], &["--decompress"]))
    {
        return Some(Extracts::Decompress);
    }
    None
}

/// The copied archives of a COPY: (name looked for, span to report, name shown, kind).
fn archives(cx: &Context<'_, '_>, idx: usize, inst: &Instruction) -> Vec<(String, Copied)> {
    if !inst.heredocs.is_empty() || inst.flag("from").is_some() {
        return Vec::new();
    }
    // Each word with its evaluated value (`None` when a variable has no known value).
    let items: Vec<(Option<String>, Span)> = match &inst.exec {
        Some(e) => e.items.iter().map(|i| (Some(i.value.clone()).filter(|v| !v.contains('$')), i.span)).collect(),
        None => inst
            .words()
            .iter()
            .map(|w| {
                let e = cx.model.expand(&w.value, idx);
                (e.unresolved.is_empty().then_some(e.value), w.span)
            })
            .collect(),
    };
    let Some(((dest, _), sources)) = items.split_last() else { return Vec::new() };
    let sources: Vec<(String, Span)> = sources.iter().filter_map(|(v, s)| Some((v.clone()?, *s))).collect();
    if sources.is_empty() {
        return Vec::new();
    }
    let dest = dest.as_deref().unwrap_or("");
    // A destination named like an archive renames the (single) source.
    if let (Some(k), [(src, span)]) = (kind(basename(dest)), sources.as_slice()) {
        return vec![(basename(dest).to_string(), Copied { span: *span, shown: src.clone(), kind: k })];
    }
    sources
        .iter()
        .filter(|(s, _)| !s.contains("://"))
        .filter_map(|(s, span)| {
            let k = kind(basename(s))?;
            Some((basename(s).to_string(), Copied { span: *span, shown: s.clone(), kind: k }))
        })
        .collect()
}

impl Rule for UseAddToExtract {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let mut copied: HashMap<String, Vec<Copied>> = HashMap::new();
        let mut stage = None;
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            if inst.trigger.is_some() {
                continue;
            }
            let here = cx.model.info.get(idx).and_then(|i| i.stage);
            if here != stage || inst.keyword == Keyword::From {
                copied.clear();
                stage = here;
            }
            match inst.keyword {
                Keyword::Copy => {
                    for (name, c) in archives(cx, idx, inst) {
                        copied.entry(name).or_default().push(c);
                    }
                }
                Keyword::Run if !copied.is_empty() => {
                    let Some(script) = cx.model.script(idx) else { continue };
                    for cmd in &script.commands {
                        let Some(how) = extracts(cmd) else { continue };
                        for arg in &cmd.args {
                            let raw = match arg.value.strip_prefix("--file=") {
                                Some(file) => file,
                                None if arg.value.starts_with('-') => continue,
                                None => arg.value.as_str(),
                            };
                            let value = if raw.contains('$') {
                                let e = cx.model.expand(raw, idx);
                                if !e.unresolved.is_empty() {
                                    continue;
                                }
                                e.value
                            } else {
                                raw.to_string()
                            };
                            let Some(list) = copied.get_mut(basename(&value)) else { continue };
                            let (report, keep): (Vec<Copied>, Vec<Copied>) = std::mem::take(list)
                                .into_iter()
                                .partition(|c| c.kind == Kind::Tar || how == Extracts::Tar);
                            *list = keep;
                            for c in report {
                                out.push(
                                    META.diagnostic(
                                        c.span,
                                        format!(
                                            "`{}` is copied and then unpacked; `ADD` unpacks a local tar archive itself and keeps the archive out of the image",
                                            c.shown
                                        ),
                                    )
                                    .with_related(Span::new(cmd.name.span.start, cmd.span.end), "unpacked here"),
                                );
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}
