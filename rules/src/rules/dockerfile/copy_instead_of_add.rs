use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::archives::add_may_unpack;

pub struct CopyInsteadOfAdd;

static META: RuleMeta = RuleMeta {
    code: "DL3020",
    name: "copy-instead-of-add",
    severity: Severity::Error,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    summary: "Use COPY, not ADD, for local files and folders",
    docs: r#"## What it checks
`ADD` instructions whose sources are all local paths that are not archives.
Sources that are URLs, git repositories, or tar archives that `ADD` unpacks
(`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`, `.tar.zst`, and `.gz`,
`.bz2`, `.xz`, `.zst` files, which may hold a tar) are left alone, because for
those `ADD` does something `COPY` cannot. Zip, lzip, lzma and `.Z` files are
reported: `ADD` copies them unpacked, exactly as `COPY` does (the builder
recognises gzip, bzip2, xz and zstd only, by the file's first bytes). Heredoc sources (`ADD <<EOF /path`) are left alone too.

## Why it matters
`ADD` does more than copy: it downloads URLs and unpacks local tar archives.
Using it for plain files hides that behaviour from readers, and a file renamed to
`.tar.gz` later would silently be extracted. `COPY` says exactly what happens.

## Example
```dockerfile
ADD requirements.txt /app/
```

## Use instead
```dockerfile
COPY requirements.txt /app/
```

## Fix
Replaces the `ADD` keyword with `COPY`, keeping the flags and arguments. Safe:
for local, non-archive sources both instructions do the same thing. Not offered
when `ADD`-only flags (`--checksum`, `--keep-git-dir`, `--unpack`) are present.

## References
- hadolint DL3020
- Dockerfile reference, ADD and COPY: https://docs.docker.com/reference/dockerfile/#add
"#,
    ..RuleMeta::DEFAULT
};

fn is_remote_or_archive(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    lower.contains("://") || lower.starts_with("git@") || lower.ends_with(".git") || add_may_unpack(&lower)
}

impl Rule for CopyInsteadOfAdd {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.each(Keyword::Add) {
            if !inst.heredocs.is_empty() {
                continue;
            }
            let sources: Vec<String> = match &inst.exec {
                Some(e) if e.items.len() >= 2 => e.items[..e.items.len() - 1].iter().map(|i| i.value.clone()).collect(),
                Some(_) => continue,
                None => {
                    let ws = inst.words();
                    if ws.len() < 2 {
                        continue;
                    }
                    ws[..ws.len() - 1].iter().map(|w| w.value.clone()).collect()
                }
            };
            // Judge the evaluated source, so `ADD ${URL} /x` is understood.
            if sources.iter().any(|s| is_remote_or_archive(&cx.model.expand(s, idx).value) || is_remote_or_archive(s)) {
                continue;
            }
            let mut d = META.diagnostic(inst.keyword_span, "ADD is used for local files; use COPY, which only copies");
            let add_only = ["checksum", "keep-git-dir", "unpack"];
            if !inst.flags.iter().any(|f| add_only.iter().any(|a| f.name.eq_ignore_ascii_case(a))) {
                let keyword = if inst.keyword_text.chars().all(|c| c.is_ascii_lowercase()) { "copy" } else { "COPY" };
                d = d.with_fix(Fix::safe("Replace ADD with COPY", vec![Edit::replace(inst.keyword_span, keyword)]));
            }
            out.push(d);
        }
    }
}
