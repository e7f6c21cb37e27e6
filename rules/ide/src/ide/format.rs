//! The Dockerfile formatter.
//!
//! What it changes, line by line, and nothing else:
//!
//! - instruction keywords are upper-cased (ONBUILD triggers too, and the
//!   `AS` of `FROM image AS name` with its `FROM`, so that the two never
//!   disagree: a `FROM` whose `AS` is on another line keeps its case), the
//!   instruction starts at column 0 and exactly one space follows the keyword;
//! - continuation lines get one indent unit: the shallowest continuation
//!   line of an instruction gets one unit and deeper lines keep their extra
//!   indentation (a tab counts as 4 columns), so nested lists such as
//!   `apt-get install` packages stay nested. The unit is 4 spaces, or a tab
//!   when most continuation lines of the file already start with a tab (the
//!   docker-library style): the file's dominant style is kept;
//! - trailing spaces and tabs are removed;
//! - the file ends with exactly one line break (no trailing blank lines).
//!
//! Left exactly as they are: heredoc bodies and terminators, comment lines
//! (only their trailing whitespace goes), exec-form (JSON) text, the text
//! between arguments, line endings (CRLF stays CRLF), a byte-order mark,
//! and whole lines the formatter cannot prove safe to touch.
//!
//! It never changes meaning: a continuation line is re-indented only where
//! the builder splits words on whitespace (not in `MAINTAINER`, `USER`,
//! `WORKDIR`, `STOPSIGNAL`, legacy `ENV key value`, nor in RUN/CMD/ENTRYPOINT
//! when the shell may be cmd or PowerShell), only outside quotes (tracked
//! through `$(...)` and backticks), and only where a word boundary already is
//! (a continuation line glued to the previous word keeps its zero indent).
//! Formatting is idempotent: `format(format(x)) == format(x)`.

use super::TextEdit;
use crate::syntax::{Dockerfile, Instruction, Keyword};
use crate::text::Span;

const INDENT: usize = 4;

/// The formatted text.
pub fn format(text: &str) -> String {
    apply(text, &format_edits(text))
}

/// The formatting as line edits (each replaces one line's content, or
/// appends the final line break), sorted and not overlapping.
pub fn format_edits(text: &str) -> Vec<TextEdit> {
    format_parsed(&Dockerfile::parse(text))
}

/// [`format_edits`] for an already parsed file.
pub fn format_parsed(file: &Dockerfile) -> Vec<TextEdit> {
    Formatter::new(file).run()
}

fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for (span, new) in edits {
        if span.start < at || span.end > text.len() {
            continue;
        }
        out.push_str(&text[at..span.start]);
        out.push_str(new);
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    /// Trailing spaces and tabs removed.
    Trim,
    /// Left exactly as is (heredoc bodies and terminators).
    Verbatim,
    /// Rewritten to this text.
    Set(String),
}

struct PhysLine {
    start: usize,
    /// End of content (before `\r\n` / `\n`).
    end: usize,
}

struct Formatter<'a> {
    file: &'a Dockerfile,
    text: &'a str,
    lines: Vec<PhysLine>,
    kinds: Vec<Line>,
    /// Shell-form RUN/CMD/ENTRYPOINT may run under a shell that keeps
    /// whitespace (cmd, PowerShell).
    non_posix_shell: bool,
    /// An unterminated heredoc runs to the end of the file.
    verbatim_tail: bool,
    /// Per instruction, the continuation lines that may move: (line, width, lead bytes).
    movable: Vec<Vec<(usize, usize, usize)>>,
    /// Last lines of instructions that end inside an open quote: their
    /// trailing blanks are part of a (broken) value and stay.
    keep_trailing: Vec<usize>,
}

/// The lines as the parser sees them: a byte-order mark belongs to no line,
/// and a `\r` before `\n` (or at the very end) is part of the line break.
fn physical_lines(text: &str) -> Vec<PhysLine> {
    let mut out = Vec::new();
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let b = text.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' {
            let end = if i > start && b[i - 1] == b'\r' { i - 1 } else { i };
            out.push(PhysLine { start, end });
            start = i + 1;
        }
    }
    if start < text.len() {
        let end = if text.ends_with('\r') { text.len() - 1 } else { text.len() };
        out.push(PhysLine { start, end });
    }
    out
}

fn trim_end_blank(s: &str) -> &str {
    s.trim_end_matches([' ', '\t'])
}

/// Indentation width of `s` (spaces 1, tabs 4) and its byte length; `None`
/// when it holds other whitespace.
fn indent_of(s: &str) -> Option<(usize, usize)> {
    let lead = s.len() - s.trim_start_matches([' ', '\t']).len();
    if s[lead..].starts_with(char::is_whitespace) {
        return None;
    }
    Some((s[..lead].chars().map(|c| if c == '\t' { INDENT } else { 1 }).sum(), lead))
}

impl<'a> Formatter<'a> {
    fn new(file: &'a Dockerfile) -> Self {
        let text = &*file.text;
        let lines = physical_lines(text);
        let n = lines.len();
        Formatter {
            file,
            text,
            lines,
            kinds: vec![Line::Trim; n],
            non_posix_shell: non_posix(file),
            verbatim_tail: false,
            movable: Vec::new(),
            keep_trailing: Vec::new(),
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines.partition_point(|l| l.start <= offset).saturating_sub(1)
    }

    fn content(&self, i: usize) -> &'a str {
        let l = &self.lines[i];
        &self.text[l.start..l.end]
    }

    fn run(mut self) -> Vec<TextEdit> {
        if self.lines.is_empty() {
            return Vec::new();
        }
        for inst in &self.file.instructions {
            self.instruction(inst);
        }
        self.indent();
        let mut edits = Vec::new();
        for (i, kind) in self.kinds.iter().enumerate() {
            let l = &self.lines[i];
            let start = l.start;
            let old = &self.text[start..l.end];
            let new = match kind {
                Line::Verbatim => continue,
                Line::Trim if self.keep_trailing.contains(&i) => old,
                Line::Trim => trim_end_blank(old),
                Line::Set(s) => s.as_str(),
            };
            if new != old {
                edits.push((Span::new(start, l.end), new.to_string()));
            }
        }
        if !self.verbatim_tail {
            // Exactly one final line break: trailing blank lines go.
            let blank = |k: usize| self.kinds[k] == Line::Trim && trim_end_blank(self.content(k)).is_empty();
            let bom = if self.text.starts_with('\u{feff}') { 3 } else { 0 };
            match (0..self.lines.len()).rev().find(|&k| !blank(k)) {
                None => {
                    // Only blank lines: nothing stays.
                    edits.clear();
                    if self.text.len() > bom {
                        edits.push((Span::new(bom, self.text.len()), String::new()));
                    }
                }
                Some(last) => {
                    let keep_end = self.lines[last].end;
                    let eol = if self.text[self.lines[0].end..].starts_with("\r\n") { "\r\n" } else { "\n" };
                    if &self.text[keep_end..] != eol {
                        edits.retain(|(s, _)| s.end <= keep_end);
                        edits.push((Span::new(keep_end, self.text.len()), eol.to_string()));
                    }
                }
            }
        }
        edits
    }

    fn instruction(&mut self, inst: &Instruction) {
        let first = self.line_of(inst.span.start);
        let last = self.line_of(inst.span.end);
        // Where heredoc bodies start, if any: everything from there is verbatim.
        let docs = super::heredocs(inst);
        let body_line = docs.first().map(|h| {
            if !h.body.is_empty() {
                self.line_of(h.body.full_span().start)
            } else {
                h.terminator_span.map_or(last + 1, |t| self.line_of(t.start))
            }
        });
        if docs.iter().any(|h| h.terminator_span.is_none()) {
            self.verbatim_tail = true;
            for k in body_line.unwrap_or(last + 1)..self.lines.len() {
                self.kinds[k] = Line::Verbatim;
            }
        }
        let head_last = match body_line {
            Some(b) if b > first => {
                for k in b..=last.max(b).min(self.lines.len() - 1) {
                    self.kinds[k] = Line::Verbatim;
                }
                b - 1
            }
            _ => last,
        };
        if inst.effective().keyword == Keyword::Unknown {
            // Not an instruction: leave it exactly as written.
            for k in first..=head_last.min(self.lines.len() - 1) {
                self.kinds[k] = Line::Verbatim;
            }
            return;
        }
        // Also finds whether the instruction's text ends inside a quote.
        self.continuations(inst, first, head_last);
        if let Some(s) = self.head_line(inst, first) {
            self.kinds[first] = Line::Set(s);
        }
    }

    /// The first line with its keyword(s) normalised, when that is safe.
    fn head_line(&self, inst: &Instruction, first: usize) -> Option<String> {
        let line_start = self.lines[first].start;
        let content = self.content(first);
        let lead = content.len() - content.trim_start_matches([' ', '\t']).len();
        if line_start + lead != inst.keyword_span.start {
            return None;
        }
        let mut out = String::new();
        let mut cur = inst;
        let mut rest = &content[lead..];
        loop {
            // The keyword must be written whole on this line.
            let kw = &cur.keyword_text;
            if cur.keyword == Keyword::Unknown || !rest.starts_with(kw.as_str()) {
                out.push_str(rest);
                break;
            }
            out.push_str(cur.keyword.as_str());
            let after = &rest[kw.len()..];
            let args = after.trim_start_matches([' ', '\t']);
            if args.is_empty() || args.starts_with(char::is_whitespace) || after.len() == args.len() {
                // Nothing after the keyword, or a separator that is not plain
                // spaces and tabs, or `RUN\` glued to the escape: keep as is.
                out.push_str(after);
                break;
            }
            out.push(' ');
            rest = args;
            match cur.trigger.as_deref() {
                Some(t) if line_start + (content.len() - rest.len()) == t.keyword_span.start => cur = t,
                _ => {
                    let rest_at = line_start + content.len() - rest.len();
                    match from_as_keyword(cur) {
                        // `from x as y` -> `FROM x AS y`: an upper-case FROM
                        // with a lower-case `as` would be a new finding (FromAsCasing).
                        Some(span)
                            if kw != "FROM" && span.start >= rest_at && span.end <= line_start + content.len() =>
                        {
                            let (a, b) = (span.start - rest_at, span.end - rest_at);
                            out.push_str(&rest[..a]);
                            out.push_str("AS");
                            out.push_str(&rest[b..]);
                        }
                        // `AS` on another line: the keyword keeps its case.
                        Some(_) if kw != "FROM" => return None,
                        _ => out.push_str(rest),
                    }
                    break;
                }
            }
        }
        Some(if self.keep_trailing.contains(&first) { out } else { trim_end_blank(&out).to_string() })
    }

    /// Re-indent the continuation lines `first+1..=last` of `inst`.
    fn continuations(&mut self, inst: &Instruction, first: usize, last: usize) {
        let eff = inst.effective();
        let allowed = match eff.keyword {
            Keyword::Maintainer | Keyword::User | Keyword::Workdir | Keyword::Stopsignal | Keyword::Unknown => false,
            Keyword::Env => crate::model::key_values(eff).first().is_none_or(|kv| !kv.legacy),
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck => {
                eff.exec.is_some() || !self.non_posix_shell
            }
            Keyword::Onbuild => false,
            _ => true,
        };
        let escape = self.file.escape;
        let json = eff.exec.is_some();
        let mut quotes = Quotes::default();
        // The first line's piece.
        let (piece, _) = self.piece(first, escape);
        quotes.scan(piece, escape, json);
        let mut prev_ws = piece.ends_with(char::is_whitespace) && !quotes.last_escaped;
        let comment_lines: Vec<usize> = self
            .file
            .comments
            .iter()
            .filter(|c| c.inside_instruction && c.span.start >= inst.span.start && c.span.end <= inst.span.end)
            .map(|c| self.line_of(c.span.start))
            .collect();
        // (line, width, lead bytes) of the lines that may move.
        let mut movable: Vec<(usize, usize, usize)> = Vec::new();
        let mut last_content = first;
        let kw_line = self.line_of(inst.keyword_span.end);
        for k in first + 1..=last {
            let content = self.content(k);
            if content.chars().all(char::is_whitespace) || comment_lines.contains(&k) {
                continue; // blank continuation lines and comments: not part of the text
            }
            let (piece, _) = self.piece(k, escape);
            if let Some((width, lead)) = indent_of(piece) {
                let boundary = lead > 0 || prev_ws;
                // Before the keyword, indentation would become part of it.
                let after_keyword = k > kw_line;
                if allowed && boundary && after_keyword && quotes.outside() {
                    movable.push((k, width, lead));
                }
            }
            quotes.scan(piece, escape, json);
            if !piece.is_empty() {
                // An empty piece (a line with only the escape) adds nothing.
                prev_ws = piece.ends_with(char::is_whitespace) && !quotes.last_escaped;
            }
            last_content = k;
        }
        if !quotes.outside() {
            self.keep_trailing.push(last_content);
            if let Some(m) = movable.iter().position(|m| m.0 == last_content) {
                movable.remove(m);
            }
            if last_content != first {
                self.kinds[last_content] = Line::Verbatim;
            }
        }
        if !movable.is_empty() {
            self.movable.push(movable);
        }
    }

    /// Re-indent the movable continuation lines: the shallowest line of each
    /// instruction gets one unit, deeper lines keep their extra width. The
    /// unit is a tab when most of the file's movable lines start with one
    /// (docker-library style), else 4 spaces.
    fn indent(&mut self) {
        let all = std::mem::take(&mut self.movable);
        let total: usize = all.iter().map(Vec::len).sum();
        let tabs = all.iter().flatten().filter(|(k, _, _)| self.content(*k).starts_with('\t')).count();
        let use_tabs = tabs * 2 > total;
        for group in all {
            let Some(min) = group.iter().map(|m| m.1).min() else { continue };
            for (k, width, lead) in group {
                let extra = width - min;
                let indent = if use_tabs {
                    format!("{}{}", "\t".repeat(1 + extra / INDENT), " ".repeat(extra % INDENT))
                } else {
                    " ".repeat(INDENT + extra)
                };
                let content = self.content(k);
                self.kinds[k] = Line::Set(format!("{indent}{}", trim_end_blank(&content[lead..])));
            }
        }
    }

    /// Line `k` as the parser adds it to the instruction's text: without a
    /// trailing escape character (and the blanks after it).
    fn piece(&self, k: usize, escape: char) -> (&'a str, bool) {
        crate::syntax::dockerfile::split_continuation(self.content(k), escape)
    }
}

/// The span of the `AS` of `FROM image AS name`, when it is written as the
/// two letters alone (no escape or quote inside the word).
fn from_as_keyword(inst: &Instruction) -> Option<Span> {
    if inst.keyword != Keyword::From {
        return None;
    }
    let ws = inst.words();
    let w = ws.get(1).filter(|w| ws.len() >= 3 && w.value.eq_ignore_ascii_case("as"))?;
    (w.raw.len() == 2 && w.span.len() == 2).then_some(w.span)
}

/// Whether shell-form commands may run under a shell that does not split
/// words on whitespace: a SHELL or `# hadolint shell=` naming one, a backtick
/// escape, or a Windows base image.
fn non_posix(file: &Dockerfile) -> bool {
    if file.escape == '`' {
        return true;
    }
    if file.comments.iter().any(|c| c.text.strip_prefix("hadolint").is_some_and(|t| t.trim().starts_with("shell="))) {
        return true;
    }
    file.instructions.iter().any(|i| {
        let e = i.effective();
        match e.keyword {
            Keyword::Shell => e.exec.as_ref().is_none_or(|x| {
                !crate::model::is_posix_shell(&x.items.iter().map(|i| i.value.clone()).collect::<Vec<_>>())
            }),
            Keyword::From => {
                let t = e.rest_text().to_ascii_lowercase();
                ["windows", "nanoserver", "servercore", "mcr.microsoft.com"].iter().any(|w| t.contains(w))
            }
            _ => false,
        }
    })
}

/// Quote state of an instruction's text, tracked piece by piece.
#[derive(Debug, Default)]
struct Quotes {
    /// Open contexts: `'`, `"`, `(` for `$(`, `` ` ``.
    stack: Vec<char>,
    /// The previous piece ended with the escape character pending.
    pending_escape: bool,
    /// The last character scanned was escaped (`\ ` is not a word boundary).
    last_escaped: bool,
}

impl Quotes {
    /// True when whitespace here separates words: no quote is open.
    fn outside(&self) -> bool {
        !self.stack.iter().any(|c| matches!(c, '\'' | '"')) && !self.pending_escape
    }

    fn scan(&mut self, piece: &str, escape: char, json: bool) {
        let mut chars = piece.chars().peekable();
        if self.pending_escape && !piece.is_empty() {
            chars.next();
            self.pending_escape = false;
            self.last_escaped = true;
        }
        while let Some(c) = chars.next() {
            self.last_escaped = false;
            let top = self.stack.last().copied();
            if json {
                // JSON strings: `"` delimits, `\` escapes inside.
                match (top, c) {
                    (Some('"'), '\\') => {
                        if chars.next().is_none() {
                            self.pending_escape = true;
                        } else {
                            self.last_escaped = true;
                        }
                    }
                    (Some('"'), '"') => {
                        self.stack.pop();
                    }
                    (None, '"') => self.stack.push('"'),
                    _ => {}
                }
                continue;
            }
            if top == Some('\'') {
                if c == '\'' {
                    self.stack.pop();
                }
                continue;
            }
            if c == escape {
                if chars.next().is_none() {
                    self.pending_escape = true;
                } else {
                    self.last_escaped = true;
                }
                continue;
            }
            match c {
                '"' if top == Some('"') => {
                    self.stack.pop();
                }
                '"' => self.stack.push('"'),
                '\'' if top != Some('"') => self.stack.push('\''),
                '$' if chars.peek() == Some(&'(') => {
                    chars.next();
                    self.stack.push('(');
                }
                ')' if top == Some('(') => {
                    self.stack.pop();
                }
                '`' if top == Some('`') => {
                    self.stack.pop();
                }
                '`' => self.stack.push('`'),
                _ => {}
            }
            if self.stack.len() > 64 {
                // Something odd: stay inside quotes (nothing moves).
                self.stack.truncate(64);
            }
        }
    }
}

/// Why `before` and `after` mean different things to the builder, if they
/// do: their directives, comments, syntax errors, stages (names and bases),
/// and instructions (keyword, flags, words, exec-form items, heredoc
/// delimiters and bodies, ONBUILD triggers) are compared, arguments with
/// whitespace outside quotes normalised (exactly, where whitespace counts:
/// `MAINTAINER`, `USER`, `WORKDIR`, `STOPSIGNAL`, legacy `ENV`, and
/// shell-form commands under a non-POSIX shell). The formatter's tests use it.
pub fn meaning_differs(before: &str, after: &str) -> Option<String> {
    let a = fingerprint(before);
    let b = fingerprint(after);
    if a.len() != b.len() {
        return Some(format!("{} facts before, {} after", a.len(), b.len()));
    }
    a.iter().zip(&b).find(|(x, y)| x != y).map(|(x, y)| format!("{x:?} became {y:?}"))
}

fn fingerprint(text: &str) -> Vec<String> {
    let file = Dockerfile::parse(text);
    let model = crate::model::Model::build(&file);
    let mut out = vec![format!("escape {:?}", file.escape)];
    out.extend(file.directives.iter().map(|d| format!("directive {}={}", d.name, d.value)));
    out.extend(file.comments.iter().map(|c| format!("comment {} {}", c.inside_instruction, c.text)));
    out.extend(file.errors.iter().map(|e| format!("error {}", e.message)));
    for s in &model.stages {
        out.push(format!("stage {} {:?} {:?}", s.index, s.name.as_ref().map(|n| &n.value), s.base));
    }
    for (idx, inst) in file.instructions.iter().enumerate() {
        let posix = crate::model::is_posix_shell(&model.info[idx].shell);
        instruction_facts(inst, posix, &mut out);
    }
    out
}

fn instruction_facts(inst: &Instruction, posix: bool, out: &mut Vec<String>) {
    let kw = match inst.keyword {
        Keyword::Unknown => inst.keyword_text.to_string(),
        k => k.as_str().to_string(),
    };
    out.push(format!("instruction {kw}"));
    if let Some(t) = &inst.trigger {
        // ONBUILD: its arguments are the trigger (whose keyword case may change).
        return instruction_facts(t, posix, out);
    }
    // The `AS` of `FROM image AS name` is read without regard to case (the formatter upper-cases it).
    let from = inst.keyword == Keyword::From;
    let norm = |w: &str| if from && w.eq_ignore_ascii_case("as") { "AS".to_string() } else { w.to_string() };
    out.push(format!("  args {}", inst.args.text.split_whitespace().map(norm).collect::<Vec<_>>().join(" ")));
    for f in &inst.flags {
        out.push(format!("  flag {} {:?}", f.name, f.value));
    }
    let words: Vec<String> = inst.words().iter().map(|w| norm(&w.value)).collect();
    out.push(format!("  words {words:?}"));
    if let Some(exec) = &inst.exec {
        out.push(format!("  exec {:?}", exec.items.iter().map(|i| &i.value).collect::<Vec<_>>()));
    }
    let legacy_env = inst.keyword == Keyword::Env && crate::model::key_values(inst).first().is_some_and(|kv| kv.legacy);
    let shell_cmd = matches!(inst.keyword, Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck)
        && inst.exec.is_none();
    if legacy_env
        || matches!(inst.keyword, Keyword::Maintainer | Keyword::User | Keyword::Workdir | Keyword::Stopsignal)
        || (shell_cmd && !posix)
    {
        out.push(format!("  exact {:?}", inst.rest.text.trim()));
    }
    for h in &inst.heredocs {
        out.push(format!(
            "  heredoc {} {} {} {:?} {:?}",
            h.delimiter,
            h.quoted,
            h.strip_tabs,
            h.body.text,
            h.terminator_span.is_some()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        let out = format(s);
        assert_eq!(format(&out), out, "not idempotent for {s:?}");
        assert_eq!(meaning_differs(s, &out), None, "meaning changed: {s:?} -> {out:?}");
        out
    }

    #[test]
    fn keywords_spacing_and_trailing_blanks() {
        assert_eq!(fmt("from   alpine AS base  \n  run\techo  hi \t\n"), "FROM alpine AS base\nRUN echo  hi\n");
        assert_eq!(fmt("onbuild   run   echo hi\n"), "ONBUILD RUN echo hi\n");
        assert_eq!(fmt("FROM a\n\n\n"), "FROM a\n");
        assert_eq!(fmt("FROM a"), "FROM a\n");
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("\n\n  \n"), "");
        // Unknown instructions are left alone.
        assert_eq!(fmt("FROM a\nfoo   bar  \n"), "FROM a\nfoo   bar  \n");
    }

    #[test]
    fn continuation_indent_keeps_nesting() {
        let src = "RUN apt-get update && \\\n  apt-get install -y \\\n      curl \\\n      git\n";
        assert_eq!(fmt(src), "RUN apt-get update && \\\n    apt-get install -y \\\n        curl \\\n        git\n");
        // Already formatted: unchanged.
        let done = "RUN a \\\n    b \\\n        c\n";
        assert_eq!(fmt(done), done);
    }

    #[test]
    fn tabs_stay_tabs_when_the_file_uses_them() {
        let src = "RUN set -eux; \\\n\tapt-get update; \\\n\tapt-get install -y \\\n\t\tcurl \\\n\t; \\\n\trm -rf /x\n";
        assert_eq!(fmt(src), src);
        let spaces = "RUN a \\\n  b \\\n\tc \\\n  d\n";
        assert_eq!(fmt(spaces), "RUN a \\\n    b \\\n      c \\\n    d\n");
    }

    #[test]
    fn quoted_text_and_glued_words_are_not_moved() {
        // Inside quotes the indentation is part of the string.
        let q = "RUN echo \"hello \\\n      world\" \\\n  && true\n";
        assert_eq!(fmt(q), "RUN echo \"hello \\\n      world\" \\\n    && true\n");
        let nested = "RUN x=\"$(echo 'a \\\n   b')\"\n";
        assert_eq!(fmt(nested), nested);
        // `abc\` + `def` is one word `abcdef`: no indent is added.
        let glued = "RUN echo abc\\\ndef\n";
        assert_eq!(fmt(glued), glued);
        // An escaped space before the continuation is not a word boundary.
        let escaped = "RUN echo a\\ \\\nb\n";
        assert_eq!(fmt(escaped), escaped);
        // JSON strings.
        let json = "CMD [\"a\", \\\n  \"b \\\n  c\"]\n";
        assert_eq!(fmt(json), "CMD [\"a\", \\\n    \"b \\\n  c\"]\n");
    }

    #[test]
    fn whitespace_sensitive_instructions_are_not_reindented() {
        for src in [
            "ENV LEGACY some \\\n  value\n",
            "WORKDIR /a \\\n  b\n",
            "MAINTAINER me \\\n  you\n",
            "SHELL [\"cmd\", \"/S\", \"/C\"]\nRUN echo a \\\n  b\n",
            "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir `\n  c:\\\n",
        ] {
            let out = fmt(src);
            let cont = src.lines().last().unwrap();
            assert!(out.contains(cont), "{src:?} -> {out:?}");
        }
        // ENV in key=value form may move.
        assert_eq!(fmt("ENV A=1 \\\n  B=2\n"), "ENV A=1 \\\n    B=2\n");
    }

    #[test]
    fn heredocs_and_comments_untouched() {
        let src = "run <<EOF  \n  echo hi   \n\tindented\nEOF\n  # comment   kept\nCOPY <<-X /a\n\t  body  \n\tX\n";
        assert_eq!(
            fmt(src),
            "RUN <<EOF\n  echo hi   \n\tindented\nEOF\n  # comment   kept\nCOPY <<-X /a\n\t  body  \n\tX\n"
        );
        // Comments inside a continued instruction keep their place.
        let inner = "RUN a \\\n# note  \n  b\n";
        assert_eq!(fmt(inner), "RUN a \\\n# note\n    b\n");
        // An unterminated heredoc runs to the end: nothing after it changes.
        let open = "RUN <<EOF\nx  \n\n";
        assert_eq!(fmt(open), open);
    }

    #[test]
    fn line_endings_bom_and_non_ascii() {
        assert_eq!(fmt("from a\r\nrun  é中😀  \r\n\r\n"), "FROM a\r\nRUN é中😀\r\n");
        assert_eq!(fmt("\u{feff}from a"), "\u{feff}FROM a\n");
        assert_eq!(fmt("FROM a\nRUN x \\\n\u{a0}y\n"), "FROM a\nRUN x \\\n\u{a0}y\n");
    }

    #[test]
    fn edits_are_line_local() {
        let src = "from a\nRUN b\nrun c   \n";
        let edits = format_edits(src);
        assert_eq!(edits.len(), 2);
        assert_eq!(&src[edits[0].0.start..edits[0].0.end], "from a");
        assert_eq!(edits[1].1, "RUN c");
    }

    #[test]
    fn hostile_inputs() {
        for src in
            ["\\", "RUN \\", "\\\n\\\n", "ONBUILD", "ONBUILD ONBUILD RUN <<E\nx\nE\n", "#\n#", "\r", "\r\r\n", "RUN <<"]
        {
            let _ = fmt(src);
        }
    }
}
