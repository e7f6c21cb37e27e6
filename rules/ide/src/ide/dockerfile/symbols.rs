//! Outline (document symbols) and folding ranges.

use crate::ide::{Fold, Symbol, SymbolKind};
use crate::model::Base;
use crate::syntax::{Dockerfile, Instruction, Keyword};

use super::analysis::*;

// ---------------------------------------------------------------------------
// Outline and folding
// ---------------------------------------------------------------------------

/// An instruction's arguments on one line, shortened, for outline details.
pub(super) fn short_args(inst: &Instruction) -> String {
    let one_line = inst.args.text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

impl Analysis {
    /// The outline: global ARGs, then one symbol per stage (its name, or
    /// `stage N`, with the base image as detail) whose children are its
    /// instructions (ARG/ENV as one variable symbol per name).
    pub fn symbols(&self) -> Vec<Symbol> {
        let mut out = Vec::new();
        let first_from = self.stages.first().map_or(self.file.instructions.len(), |s| s.from);
        for idx in 0..first_from {
            out.extend(self.instruction_symbols(idx));
        }
        for (s, st) in self.stages.iter().enumerate() {
            let Some(from) = self.file.instructions.get(st.from) else { continue };
            let (name, selection) = match &st.name {
                Some((n, sp)) => (n.clone(), *sp),
                None => (format!("stage {s}"), from.keyword_span),
            };
            let detail = match &st.base {
                Base::Image(img) => img.text.clone(),
                Base::Scratch => "scratch".to_string(),
                Base::Stage(p) => match &self.stages[*p].name {
                    Some((n, _)) => n.clone(),
                    None => format!("stage {p}"),
                },
            };
            let children = (st.from + 1..st.body_end).flat_map(|i| self.instruction_symbols(i)).collect();
            out.push(Symbol {
                name,
                detail: Some(detail),
                kind: SymbolKind::Stage,
                span: st.span.cover(selection),
                selection,
                children,
            });
        }
        out
    }

    pub(super) fn instruction_symbols(&self, idx: usize) -> Vec<Symbol> {
        let Some(inst) = self.file.instructions.get(idx) else { return Vec::new() };
        if matches!(inst.keyword, Keyword::Arg | Keyword::Env) {
            let vars: Vec<Symbol> = self
                .defs_of(idx)
                .iter()
                .map(|d| Symbol {
                    name: d.name.clone(),
                    detail: Some(match &d.value {
                        Some(v) => format!("{} = {}", inst.keyword.as_str(), v.replace('\n', " ")),
                        None => inst.keyword.as_str().to_string(),
                    }),
                    kind: SymbolKind::Variable,
                    span: inst.span.cover(d.span),
                    selection: d.span,
                    children: Vec::new(),
                })
                .collect();
            if !vars.is_empty() {
                return vars;
            }
        }
        let name = match inst.keyword {
            Keyword::Unknown => inst.keyword_text.to_string(),
            k => k.as_str().to_string(),
        };
        vec![Symbol {
            name,
            detail: Some(short_args(inst)).filter(|s| !s.is_empty()),
            kind: SymbolKind::Instruction,
            span: inst.span,
            selection: inst.keyword_span,
            children: Vec::new(),
        }]
    }

    /// Foldable ranges: stages, instructions over several lines, heredoc
    /// bodies and blocks of two or more comment lines.
    pub fn folding(&self) -> Vec<Fold> {
        folding_of(&self.file)
    }
}

/// The foldable ranges of a parsed file (see [`Analysis::folding`]).
pub fn folding_of(file: &Dockerfile) -> Vec<Fold> {
    let lines = &file.lines;
    let mut out = Vec::new();
    let line = |o: usize| lines.line_of(o);
    // Stages: from a FROM to the last instruction before the next FROM.
    let froms: Vec<usize> =
        file.instructions.iter().enumerate().filter(|(_, i)| i.keyword == Keyword::From).map(|(n, _)| n).collect();
    let mut stage_starts = Vec::new();
    for (k, &f) in froms.iter().enumerate() {
        let last = froms.get(k + 1).map_or(file.instructions.len(), |&n| n) - 1;
        let (a, b) = (line(file.instructions[f].span.start), line(file.instructions[last].span.end));
        if b > a {
            out.push(Fold { start_line: a, end_line: b, comment: false });
            stage_starts.push(a);
        }
    }
    for inst in &file.instructions {
        let a = line(inst.span.start);
        // The instruction's own lines (before any heredoc body).
        let docs = crate::ide::heredocs(inst);
        let head_end = docs.first().map_or(inst.span.end, |h| h.marker_span.end.max(inst.args.full_span().end));
        let b = line(head_end);
        if b > a && !stage_starts.contains(&a) {
            out.push(Fold { start_line: a, end_line: b, comment: false });
        }
        // Each heredoc: from the line before its body to its terminator.
        let mut prev_end = b;
        for h in docs {
            let end =
                h.terminator_span.map_or_else(|| line(h.body.full_span().end.saturating_sub(1)), |t| line(t.start));
            if end > prev_end && !(prev_end == a && stage_starts.contains(&a)) {
                out.push(Fold { start_line: prev_end, end_line: end, comment: false });
            }
            prev_end = end;
        }
    }
    // Comment blocks (comments inside instructions are folded with them).
    let mut block: Option<(usize, usize)> = None;
    for c in file.comments.iter().filter(|c| !c.inside_instruction) {
        let l = line(c.span.start);
        block = match block {
            Some((s, e)) if l == e + 1 => Some((s, l)),
            Some((s, e)) => {
                if e > s {
                    out.push(Fold { start_line: s, end_line: e, comment: true });
                }
                Some((l, l))
            }
            None => Some((l, l)),
        };
    }
    if let Some((s, e)) = block
        && e > s
    {
        out.push(Fold { start_line: s, end_line: e, comment: true });
    }
    // One range per start line (editors keep one): the outermost.
    out.sort_by_key(|f| (f.start_line, std::cmp::Reverse(f.end_line)));
    out.dedup_by_key(|f| f.start_line);
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::super::*;
    use super::*;

    #[test]
    fn symbols_outline() {
        let syms = symbols(MULTI);
        let names: Vec<_> = syms.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["PY", "BASE", "build", "test", "final"]);
        let build = &syms[2];
        assert_eq!(build.kind, SymbolKind::Stage);
        assert_eq!(build.detail.as_deref(), Some("python:3.12-slim"));
        let kids: Vec<_> = build.children.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(kids, ["PY", "APP", "HOME_DIR", "RUN"]);
        assert_eq!(syms[3].detail.as_deref(), Some("build"));
        fn check(s: &Symbol) {
            assert!(s.span.start <= s.selection.start && s.selection.end <= s.span.end, "{s:?}");
            s.children.iter().for_each(check);
        }
        syms.iter().for_each(check);
        let syms = symbols("FROM a\nRUN x\nFROM b\n");
        assert_eq!(syms[1].name, "stage 1");
        assert_eq!(syms[1].selection, Span::new(13, 17));
    }

    #[test]
    fn folding_ranges() {
        let src = "# a\n# b\nFROM a\nRUN x \\\n    y\nCOPY <<EOF /f\nbody\nEOF\n\n# c\nFROM b\nRUN z\n";
        let f = folding(src);
        let lines: Vec<_> = f.iter().map(|f| (f.start_line, f.end_line, f.comment)).collect();
        assert_eq!(lines, [(0, 1, true), (2, 7, false), (3, 4, false), (5, 7, false), (10, 11, false)]);
    }
}
