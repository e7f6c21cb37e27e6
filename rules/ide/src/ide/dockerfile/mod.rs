//! Dockerfile editor features: hover, completion, outline, folding,
//! definition, references and rename.
//!
//! Everything goes through [`Analysis`], an owned snapshot of one document
//! (the parsed file plus what the semantic model says about its stages and
//! variables). Build it once per document version and ask it many questions
//! (`Analysis::new(text)`, or `Analysis::from_model(&model)` when a
//! [`Model`](crate::model::Model) is already at hand); queries are then binary searches and short
//! scans (microseconds on a 2,000-line file). The free functions
//! ([`hover`], [`completion`], ...) build an `Analysis` for one call.
//!
//! Variables are resolved by the model ([`Model::definition`](crate::model::Model::definition)): a global ARG
//! (before the first FROM) is visible in FROM lines only, a stage sees its
//! own ARG/ENV defined before the instruction and the ARG/ENV of the stages it
//! is built on (BuildKit 1.9 and later). `ARG X` without a value inside a stage re-declares the global
//! `ARG X` and takes its default, so the two are one symbol for references
//! and rename. Stage names are matched case-insensitively, as BuildKit does.
//!
//! Offsets are byte offsets into the analysed text; out-of-range offsets are
//! clamped and offsets inside a UTF-8 character move back to its start.

mod analysis;
mod completion;
mod hover;
mod links;
mod navigation;
mod symbols;

pub use analysis::Analysis;
pub use symbols::folding_of;

use crate::ide::{Completion, Fold, Hover, Occurrence, RenameError, Symbol, TextEdit};
use crate::syntax::{Dockerfile, Keyword};
use crate::text::Span;

// ---------------------------------------------------------------------------
// Free functions: one analysis per call
// ---------------------------------------------------------------------------

/// Hover text at `offset`. See [`Analysis::hover`].
pub fn hover(text: &str, offset: usize) -> Option<Hover> {
    Analysis::new(text).hover(offset)
}

/// Completions at `offset`. See [`Analysis::completion`].
pub fn completion(text: &str, offset: usize) -> Vec<Completion> {
    Analysis::new(text).completion(offset)
}

/// The document outline. See [`Analysis::symbols`].
pub fn symbols(text: &str) -> Vec<Symbol> {
    Analysis::new(text).symbols()
}

/// Foldable ranges. See [`Analysis::folding`] (this one does not build the model).
pub fn folding(text: &str) -> Vec<Fold> {
    folding_of(&Dockerfile::parse(text))
}

/// Where the symbol at `offset` is defined. See [`Analysis::definition`].
pub fn definition(text: &str, offset: usize) -> Option<Span> {
    Analysis::new(text).definition(offset)
}

/// Every occurrence of the symbol at `offset`. See [`Analysis::references`].
pub fn references(text: &str, offset: usize, include_declaration: bool) -> Vec<Occurrence> {
    Analysis::new(text).references(offset, include_declaration)
}

/// The range a rename at `offset` would change. See [`Analysis::prepare_rename`].
pub fn prepare_rename(text: &str, offset: usize) -> Option<Span> {
    Analysis::new(text).prepare_rename(offset)
}

/// The edits renaming the symbol at `offset`. See [`Analysis::rename`].
pub fn rename(text: &str, offset: usize, new_name: &str) -> Result<Vec<TextEdit>, RenameError> {
    Analysis::new(text).rename(offset, new_name)
}

/// Every occurrence of stage `name`. See [`Analysis::stage_references_for_name`].
pub fn stage_references_for_name(text: &str, name: &str) -> Vec<Occurrence> {
    Analysis::new(text).stage_references_for_name(name)
}

/// The edits renaming stage `old` to `new`. See [`Analysis::rename_stage`].
pub fn rename_stage(text: &str, old: &str, new: &str) -> Result<Vec<TextEdit>, RenameError> {
    Analysis::new(text).rename_stage(old, new)
}

/// The stage names of a Dockerfile, in order (for Compose `build.target`).
pub fn stage_names(text: &str) -> Vec<String> {
    // Names only: the parser is enough.
    let file = Dockerfile::parse(text);
    file.instructions
        .iter()
        .filter(|i| i.keyword == Keyword::From)
        .filter_map(|i| {
            let ws = i.words();
            (ws.len() >= 3 && ws[1].value.eq_ignore_ascii_case("as")).then(|| ws[2].value.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::clamp_offset;

    #[test]
    fn non_ascii_offsets() {
        let src = "ARG É=1\nFROM a AS x😀\nENV N=中文\nRUN echo \"😀 $N é\" ${N}中\n";
        let a = Analysis::new(src);
        let o = src.find("😀 $N").unwrap() + 2; // inside the 4-byte character
        assert!(a.hover(o).is_none());
        let h = a.hover(src.find("${N}").unwrap() + 2).unwrap();
        assert_eq!(&src[h.span.start..h.span.end], "${N}");
        assert!(h.markdown.contains("中文"));
        assert_eq!(a.references(src.find("N=").unwrap(), true).len(), 3);
        for o in 0..=src.len() + 3 {
            let _ = a.hover(o);
            let _ = a.completion(o);
            let _ = a.definition(o);
            let _ = a.references(o, true);
            let _ = a.rename(o, "abc");
        }
    }

    /// Every query at every offset of every fixture (and some hostile
    /// texts): no panic, spans on character boundaries inside the text.
    #[test]
    fn never_panics_and_spans_are_valid() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/rules");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".Dockerfile"))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        texts.extend(
            [
                "",
                "\\",
                "RUN \\",
                "FROM",
                "FROM a AS",
                "COPY --from=",
                "RUN --mount=",
                "# hadolint ignore=",
                "${",
                "$",
                "\u{feff}FROM a\r\nRUN $X\r\n",
                "ONBUILD ONBUILD RUN <<E\n$X\nE\n",
                "RUN <<EOF\n$",
                "ARG A=${A:-${A",
            ]
            .map(String::from),
        );
        for t in &texts {
            let a = Analysis::new(t);
            let ok = |s: Span| {
                s.start <= s.end && s.end <= t.len() && t.is_char_boundary(s.start) && t.is_char_boundary(s.end)
            };
            let step = if t.len() > 4000 { 7 } else { 1 };
            for o in (0..=t.len() + 2).step_by(step) {
                if let Some(h) = a.hover(o) {
                    assert!(ok(h.span), "{t:?} @{o}");
                }
                for c in a.completion(o) {
                    assert!(c.replace.is_none_or(ok));
                }
                if let Some(d) = a.definition(o) {
                    assert!(ok(d));
                }
                for r in a.references(o, true) {
                    assert!(ok(r.span));
                }
                if let Ok(edits) = a.rename(o, "renamed") {
                    assert!(edits.iter().all(|(s, _)| ok(*s)));
                }
            }
            for s in a.symbols() {
                assert!(ok(s.span) && ok(s.selection));
            }
            let lines = t.split('\n').count();
            assert!(a.folding().iter().all(|f| f.start_line < f.end_line && f.end_line < lines.max(1)));
        }
    }

    /// The scope walk used for completion agrees with the model's resolution.
    #[test]
    fn visible_agrees_with_the_model() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/rules");
        for p in std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok().map(|e| e.path())) {
            if !p.to_string_lossy().ends_with(".Dockerfile") {
                continue;
            }
            let t = std::fs::read_to_string(&p).unwrap();
            let a = Analysis::new(&t);
            for u in &a.uses {
                if a.file.instructions[u.inst].keyword == Keyword::Onbuild {
                    continue;
                }
                let vis = a.visible(u.inst).into_iter().find(|&d| a.defs[d].name == u.name);
                assert_eq!(vis, u.def, "{}: {} at {:?}", p.display(), u.name, u.span);
            }
        }
    }

    #[test]
    fn fast_on_a_large_file() {
        let mut t = String::from("ARG BASE=debian:12\nFROM ${BASE} AS base\n");
        for i in 0..400 {
            t.push_str(&format!(
                "ENV V{i}=value{i}\nRUN --mount=type=cache,target=/c echo $V{i} && apt-get install -y pkg{i}\nFROM base AS s{i}\nCOPY --from=base /a /b\n# comment {i}\n"
            ));
        }
        assert!(t.lines().count() >= 2000);
        let a = Analysis::new(&t);
        let offsets: Vec<usize> = (0..t.len()).step_by(t.len() / 200).collect();
        let start = std::time::Instant::now();
        for &o in &offsets {
            let o = clamp_offset(&t, o);
            let _ = a.hover(o);
            let _ = a.completion(o);
            let _ = a.definition(o);
        }
        let per = start.elapsed() / offsets.len() as u32;
        // Well under 1 ms in release; a generous bound for debug builds.
        assert!(per < std::time::Duration::from_millis(if cfg!(debug_assertions) { 20 } else { 1 }), "{per:?}");
    }
}

/// Helpers shared by the unit tests of every feature.
#[cfg(test)]
mod test_util {
    use super::*;

    /// The text with the cursor marker `‸` removed, and the cursor's offset.
    pub(super) fn at(src: &str) -> (String, usize) {
        let i = src.find('‸').expect("a cursor marker");
        (src.replacen('‸', "", 1), i)
    }

    pub(super) fn hover_at(src: &str) -> Option<Hover> {
        let (t, o) = at(src);
        hover(&t, o)
    }

    pub(super) fn hover_md(src: &str) -> String {
        hover_at(src).map(|h| h.markdown).unwrap_or_default()
    }

    pub(super) fn labels(src: &str) -> Vec<String> {
        let (t, o) = at(src);
        completion(&t, o).into_iter().map(|c| c.label).collect()
    }

    pub(super) fn texts(t: &str, spans: impl IntoIterator<Item = Span>) -> Vec<String> {
        spans.into_iter().map(|s| t[s.start..s.end].to_string()).collect()
    }

    pub(super) const MULTI: &str = "\
# syntax=docker/dockerfile:1
ARG PY=3.12
ARG BASE=python
FROM ${BASE}:${PY}-slim AS build
ARG PY
ENV APP=/srv/app HOME_DIR=${APP}/home
RUN --mount=type=cache,target=/root/.cache pip install -r req.txt
FROM build AS test
RUN echo $APP $PY
FROM alpine:3.20 AS final
COPY --from=build /srv/app /app
COPY --from=BUILD /x /y
RUN --mount=type=bind,from=test,source=/r,target=/r cat /r
";
}
