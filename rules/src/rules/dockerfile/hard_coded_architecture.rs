use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::rules::platforms::{self, Targets};
use crate::syntax::Keyword;
use crate::text::Span;

pub struct HardCodedArchitecture;

static META: RuleMeta = RuleMeta {
    code: "BD4003",
    name: "hard-coded-architecture",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &["arch-specific-download"],
    default_enabled: true,
    summary: "A download names one CPU architecture while the image is built for others",
    docs: r#"## What it checks
A `RUN` or `ADD` whose download URL (or `.deb`/`.rpm` file name) names a CPU
architecture (`amd64`, `x86_64`, `x64`, `arm64`, `aarch64`, `armhf`, `armv7`,
`i386`, `i686`) in a stage that is built for other platforms too:
- the project's platforms (`[registry] platforms` in `berth.toml`, or
  `--platform linux/amd64,linux/arm64`) include another architecture, or
- the stage's `FROM --platform` names another one, or
- a Compose service builds the Dockerfile with `build.platforms` (or
  `platform:`) naming another one.

A URL is the whole shell word: a command substitution or a variable inside
it (`https://x/tool_$(uname -s)_amd64.tgz`, `.../v${V}/tool-${V}-x86_64.tgz`)
and quoted pieces joined to it (`"https://x/tool_"$(uname -s)"_amd64"`) do
not end it; white space or an operator after it does.

Without known targets the rule is silent: a Dockerfile that reads
`TARGETARCH` is not enough (on the corpus such files were Intel-only images).

A stage whose base image exists for one architecture only (berth's table of
narrow-platform images: `pytorch/pytorch`, `intel/oneapi-basekit`, ...) is
built for that one, so its downloads for it are fine.

An instruction that already chooses the architecture is left alone: it reads
`TARGETARCH`/`TARGETPLATFORM`, any variable whose name contains `ARCH`,
`uname -m`, `dpkg --print-architecture`, `apk --print-arch`, `$(arch)`, or
names several architectures (a `case` over them). A stage built with
`--platform=$BUILDPLATFORM` runs on the build machine and is left alone too.

The fix (unsafe, only for `amd64`/`arm64` in a `RUN` without single quotes)
writes `${TARGETARCH}` in place of the architecture and declares
`ARG TARGETARCH` once, right after the stage's `FROM`, when the stage does not yet.

## Why it matters
In a multi-platform build every platform runs the same instruction: the arm64
image downloads the amd64 binary and fails at run time with `exec format
error`, or runs under emulation; an image built for a Jetson or a Raspberry Pi
gets a binary for x86 servers. BuildKit sets `TARGETARCH` (`amd64`, `arm64`,
`arm`) for every platform it builds.

## Example
```dockerfile
FROM debian:bookworm-slim
ARG TARGETARCH
RUN curl -fsSLo /usr/local/bin/yq https://github.com/mikefarah/yq/releases/download/v4.44.3/yq_linux_amd64
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
ARG TARGETARCH
RUN curl -fsSLo /usr/local/bin/yq https://github.com/mikefarah/yq/releases/download/v4.44.3/yq_linux_${TARGETARCH}
```
When the release names architectures the kernel's way (`x86_64`, `aarch64`),
map them: `case "$TARGETARCH" in amd64) A=x86_64;; arm64) A=aarch64;; esac`.

## References
- Automatic platform ARGs: https://docs.docker.com/build/building/variables/#multi-platform-build-arguments
- Multi-platform builds: https://docs.docker.com/build/building/multi-platform/
"#,
};

/// Architecture names as release files spell them, longest first.
const TOKENS: &[&str] = &["x86_64", "aarch64", "armv7l", "amd64", "arm64", "armhf", "armv7", "i386", "i686", "x64"];

/// Whether the instruction already chooses an architecture.
fn handles_arch(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if ["uname -m", "uname -p", "--print-arch", "$(arch)", "`arch`", "targetplatform", "targetarch"]
        .iter()
        .any(|m| lower.contains(m))
    {
        return true;
    }
    // A variable whose name says it holds an architecture: `$ARCH`, `${DPKG_ARCH}`, `$arch`.
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let start = i + 1 + usize::from(b.get(i + 1) == Some(&b'{'));
            let end = (start..b.len()).find(|&j| !(b[j].is_ascii_alphanumeric() || b[j] == b'_')).unwrap_or(b.len());
            if text[start..end].to_ascii_lowercase().contains("arch") {
                return true;
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    false
}

/// Where the shell word holding a URL ends, from `from` (inside the URL): at
/// unquoted white space or an operator. A command substitution `$(...)`, a
/// parameter expansion `${...}` or backquotes inside the word are part of it,
/// and so are quoted pieces joined to it (`"https://x/tool_"$(uname -s)"_amd64"`):
/// a quote ends the word only where white space or an operator follows it.
fn url_end(text: &str, from: usize) -> usize {
    let b = text.as_bytes();
    let closing = |open: u8, close: u8, at: usize| -> usize {
        let mut depth = 0usize;
        for (j, &c) in b.iter().enumerate().skip(at) {
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
        }
        b.len()
    };
    let ends = |c: u8| c.is_ascii_whitespace() || b";|&<>()".contains(&c);
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'$' if b.get(i + 1) == Some(&b'(') => i = closing(b'(', b')', i + 1),
            b'$' if b.get(i + 1) == Some(&b'{') => i = closing(b'{', b'}', i + 1),
            b'`' => i = text[i + 1..].find('`').map_or(b.len(), |e| i + 1 + e + 1),
            b'"' | b'\'' if b.get(i + 1).is_none_or(|&c| ends(c)) => return i,
            b'"' | b'\'' => i += 1,
            c if ends(c) => return i,
            _ => i += 1,
        }
    }
    b.len()
}

/// The byte ranges (in `text`) of download URLs and package file names.
fn download_regions(text: &str) -> Vec<(usize, usize)> {
    let stop = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | ')' | '(' | ';' | '|' | '&' | '<' | '>');
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(p) = text[at..].find("://") {
        let p = at + p;
        let start = text[..p].rfind(|c: char| !c.is_ascii_alphabetic()).map_or(0, |s| s + 1);
        let scheme = text[start..p].to_ascii_lowercase();
        let end = url_end(text, p);
        if matches!(scheme.as_str(), "http" | "https" | "ftp") {
            out.push((start, end));
        }
        at = end.max(p + 3);
    }
    // Package files: `foo_1.0_amd64.deb`, `bar-1.0.x86_64.rpm`.
    let mut word_start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if stop(c) {
            if let Some(s) = word_start.take() {
                let w = &text[s..i];
                if (w.ends_with(".deb") || w.ends_with(".rpm")) && !out.iter().any(|&(a, b)| a <= s && i <= b) {
                    out.push((s, i));
                }
            }
        } else if word_start.is_none() {
            word_start = Some(i);
        }
    }
    out
}

/// Architecture tokens inside `region` of `text`: (start, end, token).
fn arch_tokens(text: &str, (a, b): (usize, usize)) -> Vec<(usize, usize, &'static str)> {
    let region = text[a..b].to_ascii_lowercase();
    let bytes = region.as_bytes();
    let mut out: Vec<(usize, usize, &'static str)> = Vec::new();
    for tok in TOKENS {
        let mut from = 0;
        while let Some(p) = region[from..].find(tok) {
            let s = from + p;
            let e = s + tok.len();
            let before_ok = s == 0 || !bytes[s - 1].is_ascii_alphanumeric();
            let after_ok = e == bytes.len() || !bytes[e].is_ascii_alphanumeric();
            let inside_longer = out.iter().any(|&(os, oe, _)| os <= a + s && a + e <= oe);
            if before_ok && after_ok && !inside_longer {
                out.push((a + s, a + e, tok));
            }
            from = e;
        }
    }
    out.sort();
    out
}

impl Rule for HardCodedArchitecture {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let base_archs = platforms::base_archs(cx, stage);
            let targets = platforms::stage_targets(cx, stage);
            // Without known targets nothing says the stage is built for
            // several platforms (reading TARGET* ARGs alone proved too weak a
            // sign on the corpus: Intel-only images read them too).
            let Targets::Known(list) = &targets else { continue };
            for (i, inst) in cx.model.stage_instructions(stage) {
                if !matches!(inst.keyword, Keyword::Run | Keyword::Add) {
                    continue;
                }
                let text = cx.text(inst.span);
                if handles_arch(text) {
                    continue;
                }
                let tokens: Vec<_> = download_regions(text).into_iter().flat_map(|r| arch_tokens(text, r)).collect();
                let Some(&(s, e, tok)) = tokens.first() else { continue };
                let arch = platforms::arch_of_token(tok).unwrap_or(tok);
                // The base image exists for this architecture only: so does the stage.
                if base_archs.as_ref().is_some_and(|a| a.iter().all(|x| x == arch)) {
                    continue;
                }
                // Several architectures named: the instruction chooses between them.
                if tokens.iter().any(|t| platforms::arch_of_token(t.2) != Some(arch)) {
                    continue;
                }
                if list.iter().all(|p| platforms::arch(p).as_deref() == Some(arch)) {
                    continue;
                }
                let why = format!("the stage is built for {}", platforms::list(list));
                let base = inst.span.start;
                let mut d = META.diagnostic(
                    Span::new(base + s, base + e),
                    format!(
                        "`{tok}`{} is written into this download, but {why}: every other platform gets the {arch} file; use `ARG TARGETARCH` and `${{TARGETARCH}}`{}",
                        if tok == arch { String::new() } else { format!(" ({arch})") },
                        if !matches!(tok, "amd64" | "arm64" | "i386") {
                            format!(" (TARGETARCH says `{arch}` where this file says `{tok}`: map the names)")
                        } else {
                            String::new()
                        }
                    ),
                );
                let same_naming = tokens.iter().all(|t| t.2 == tok);
                if inst.keyword == Keyword::Run
                    && matches!(tok, "amd64" | "arm64")
                    && same_naming
                    && !text.contains('\'')
                {
                    let mut edits: Vec<Edit> = tokens
                        .iter()
                        .map(|&(s, e, _)| Edit::replace(Span::new(base + s, base + e), "${TARGETARCH}"))
                        .collect();
                    if !cx.model.names_in_scope(i).contains(&"TARGETARCH") {
                        // Declared once, right after the stage's FROM: the fixes
                        // of a stage insert at the same point, so one pass takes
                        // one of them and the next finds the ARG in scope.
                        let from_end = cx.file.instructions[stage.from].span.end;
                        let edit = match cx.file.text[from_end..].find('\n') {
                            Some(n) => Edit::insert(from_end + n + 1, "ARG TARGETARCH\n"),
                            None => Edit::insert(cx.file.text.len(), "\nARG TARGETARCH\n"),
                        };
                        edits.insert(0, edit);
                    }
                    d = d.with_fix(Fix::unsafe_("Use `${TARGETARCH}`", edits));
                }
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_tokens() {
        let t = "curl -L https://x.io/v1/tool_linux_amd64.tar.gz -o /t && dpkg -i pkg_1.0_arm64.deb";
        let r = download_regions(t);
        assert_eq!(r.len(), 2);
        let toks: Vec<_> = r.iter().flat_map(|&x| arch_tokens(t, x)).map(|x| x.2).collect();
        assert_eq!(toks, ["amd64", "arm64"]);
        assert!(arch_tokens("https://a/x86_64/b", (0, 18)).iter().all(|x| x.2 == "x86_64"));
        assert!(arch_tokens("https://a/samd64/b", (0, 18)).is_empty());
        assert!(handles_arch("curl https://a/$(uname -m)/x"));
        assert!(handles_arch("curl https://a/${DPKG_ARCH}/x"));
        assert!(!handles_arch("curl https://a/amd64/x $HOME"));
        // A URL split by `$(...)`, `${...}` or joined quoted pieces is one word.
        let toks = |t: &str| -> Vec<&str> {
            download_regions(t).into_iter().flat_map(|x| arch_tokens(t, x)).map(|x| x.2).collect()
        };
        assert_eq!(toks("curl -LO https://x/tool_$(uname -s)_amd64.tgz"), ["amd64"]);
        assert_eq!(toks("curl -LO \"https://x/tool_\"$(uname -s | tr A-Z a-z)\"_amd64.tgz\" && x"), ["amd64"]);
        assert_eq!(toks("curl -LO https://x/v${V}/tool-${V:- 1}-linux-x86_64.tgz"), ["x86_64"]);
        // The word ends at a closing quote followed by a space or an operator.
        assert!(toks("curl -LO \"https://x/tool\" \"amd64\"").is_empty());
        assert!(toks("echo $(curl -s 'https://x/latest');echo amd64").is_empty());
        assert_eq!(url_end("a https://x/$(b) c", 7), 16);
    }

    fn codes(text: &str) -> Vec<usize> {
        let sel = crate::engine::Selection::only(&["BD4003"]);
        let r = crate::engine::lint(text, &sel);
        let idx = crate::text::LineIndex::new(text);
        r.diagnostics.iter().filter(|d| d.code == "BD4003").map(|d| idx.line_of(d.span.start)).collect()
    }

    #[test]
    fn without_known_platforms_nothing_is_reported() {
        let text = "FROM debian:12 AS a\nARG TARGETARCH\nRUN curl -LO https://x.io/t_amd64\n\
                    FROM --platform=linux/arm64 debian:12 AS c\nRUN curl -LO https://x.io/v_amd64\n";
        // Only the stage pinned to arm64 is known to be built for another platform.
        assert_eq!(codes(text), [4]);
        assert!(codes("FROM debian:12\nRUN curl -LO https://x.io/t_amd64\n").is_empty());
    }
}
