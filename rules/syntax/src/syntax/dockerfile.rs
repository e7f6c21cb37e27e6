//! berth's own instruction-level Dockerfile parser.
//!
//! The Dockerfile format is line based: parser directives, comment lines,
//! instructions continued with the escape character, and heredoc bodies. This
//! parser follows BuildKit's rules for all of them, keeps an exact source span
//! for every piece, never panics, and recovers at the next instruction after a
//! broken one. Shell text inside RUN is parsed separately (see `crate::shell`).

use super::logical::LogicalText;
use super::words::{self, JsonItem, Word};
use crate::text::{LineIndex, Span};

/// The instruction keywords BuildKit knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    pub fn parse(word: &str) -> Keyword {
        Self::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(word)).unwrap_or(Keyword::Unknown)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "",
        }
    }

    /// Instructions whose arguments may carry heredocs.
    pub fn takes_heredocs(self) -> bool {
        matches!(self, Keyword::Run | Keyword::Copy | Keyword::Add)
    }

    /// Instructions that accept an exec (JSON) form.
    pub fn has_exec_form(self) -> bool {
        matches!(
            self,
            Keyword::Run
                | Keyword::Cmd
                | Keyword::Entrypoint
                | Keyword::Shell
                | Keyword::Volume
                | Keyword::Copy
                | Keyword::Add
        )
    }
}

/// A parser directive from the file's header, such as `# syntax=...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-case name: `syntax`, `escape` or `check`.
    pub name: String,
    pub value: String,
    pub span: Span,
    pub value_span: Span,
}

/// A comment line. Comments inside a continued instruction are kept here too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// From the `#` to the end of the line.
    pub span: Span,
    /// The text after `#`, trimmed.
    pub text: String,
    /// Whether the comment sits between the lines of a continued instruction.
    pub inside_instruction: bool,
}

/// A problem the parser found. Each broken instruction gives one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

/// A `--name[=value]` flag at the start of an instruction's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Name without the leading dashes, as written.
    pub name: String,
    /// Value with quotes removed; `None` for a bare `--flag`.
    pub value: Option<String>,
    pub span: Span,
    pub name_span: Span,
    pub value_span: Option<Span>,
}

/// A heredoc attached to an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word without quotes.
    pub delimiter: String,
    /// Whether the delimiter was quoted (no expansion in the body).
    pub quoted: bool,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub strip_tabs: bool,
    /// The file descriptor written before `<<`, if any.
    pub fd: Option<u32>,
    /// Span of the `<<EOF` marker inside the instruction line.
    pub marker_span: Span,
    /// The body, from the line after the instruction to just before the terminator line.
    pub body: LogicalText,
    /// Span of the terminator line; `None` when the file ended first.
    pub terminator_span: Option<Span>,
}

/// The arguments of an instruction in exec (JSON) form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecForm {
    pub items: Vec<JsonItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub keyword: Keyword,
    /// The keyword as written, e.g. `run`.
    pub keyword_text: compact_str::CompactString,
    pub keyword_span: Span,
    /// From the keyword to the end of its last line (heredoc terminators included).
    pub span: Span,
    /// Everything after the keyword, continuations removed.
    pub args: LogicalText,
    pub flags: Vec<Flag>,
    /// The arguments after the flags.
    pub rest: LogicalText,
    /// `Some` when the arguments after the flags are a JSON array of strings.
    pub exec: Option<ExecForm>,
    pub heredocs: Vec<Heredoc>,
    /// For `ONBUILD`, the instruction it triggers.
    pub trigger: Option<Box<Instruction>>,
    /// Escape character in force.
    pub escape: char,
    /// `words()` and `key_values()`, split on first use.
    words: WordCache,
}

/// The words of an instruction, split once and shared by every rule that
/// asks. Not part of an instruction's identity: equality and debug output
/// ignore it.
#[derive(Clone, Default)]
struct WordCache(std::sync::OnceLock<Box<Derived>>);

/// What is split from an instruction's arguments on demand (boxed: most
/// instructions of a large file are RUNs that never need it).
#[derive(Clone)]
pub(super) struct Derived {
    words: Vec<Word>,
    /// Filled by `Instruction::key_values` (`keyvalue.rs`).
    pub(super) key_values: std::sync::OnceLock<Vec<KeyValue>>,
}

/// A key/value pair of ENV, ARG or LABEL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    pub key_span: Span,
    pub value: Option<String>,
    pub value_span: Option<Span>,
    pub legacy: bool,
}

impl PartialEq for WordCache {
    fn eq(&self, _: &WordCache) -> bool {
        true
    }
}

impl Eq for WordCache {}

impl std::fmt::Debug for WordCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("..")
    }
}

impl Instruction {
    /// The words after the flags (shell-style splitting).
    pub fn words(&self) -> &[Word] {
        &self.derived().words
    }

    pub(super) fn derived(&self) -> &Derived {
        self.words.0.get_or_init(|| {
            Box::new(Derived {
                words: words::split_words(&self.rest, self.escape),
                key_values: std::sync::OnceLock::new(),
            })
        })
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name.eq_ignore_ascii_case(name))
    }

    pub fn is_shell_form(&self) -> bool {
        self.exec.is_none()
    }

    /// The text of the arguments after the flags, trimmed.
    pub fn rest_text(&self) -> &str {
        self.rest.text.trim()
    }

    /// The innermost instruction: the trigger of an ONBUILD, or itself.
    pub fn effective(&self) -> &Instruction {
        match &self.trigger {
            Some(t) => t.effective(),
            None => self,
        }
    }
}

/// A parsed Dockerfile.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    /// The whole text (shared, never copied once parsed).
    pub text: std::sync::Arc<str>,
    pub lines: LineIndex,
    pub escape: char,
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    pub comments: Vec<Comment>,
    /// Continued instructions with blank lines between their lines (BuildKit's
    /// NoEmptyContinuation), in source order.
    pub empty_continuations: Vec<EmptyContinuation>,
    pub errors: Vec<SyntaxError>,
}

/// A continued instruction with blank lines between its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmptyContinuation {
    /// The blank (empty or whitespace-only) lines, without their line breaks.
    pub blank_lines: Vec<Span>,
    /// The last line the continuation read (before any heredoc body), without
    /// its line break: BuildKit reports NoEmptyContinuation there
    /// (`parser.Parse`, `Location: currentLine`).
    pub last_line: Span,
}

/// The longest line BuildKit reads (`bufio.MaxScanTokenSize - 1`).
const MAX_LINE: usize = 64 * 1024 - 1;

struct PhysLine {
    start: usize,
    /// End of content, before the `\n` and every `\r` in front of it (BuildKit's
    /// `trimNewline` strips all trailing `\r` and `\n`).
    end: usize,
}

fn physical_lines(text: &str) -> Vec<PhysLine> {
    let mut lines = Vec::new();
    // A byte-order mark stays in the text but belongs to no line.
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        if b == b'\n' {
            let mut end = i;
            while end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
            lines.push(PhysLine { start, end });
            start = i + 1;
        }
    }
    if start < text.len() {
        let mut end = text.len();
        while end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        lines.push(PhysLine { start, end });
    }
    lines
}

fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// `line` without the escape character that continues it (and the spaces or
/// tabs after it), and whether there was one: BuildKit's continuation pattern
/// `([^\\])\\[ \t]*$|^\\[ \t]*$` (`parser.go` `setEscapeToken`), so an
/// escape character preceded by another one (`C:\\`) does not continue the
/// line. The one place that decides it; the editor features use it too.
pub fn split_continuation(line: &str, escape: char) -> (&str, bool) {
    let t = line.trim_end_matches([' ', '\t']);
    match t.strip_suffix(escape) {
        Some(stripped) if !stripped.ends_with(escape) => (stripped, true),
        _ => (line, false),
    }
}

/// Go's `\s` (ASCII): what BuildKit's directive pattern skips.
fn go_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0C' | '\r')
}

/// Match BuildKit's directive pattern `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`
/// (`parser/directives.go`) on the text after the comment marker and the
/// blanks after it. Gives the lower-cased key, which must be one of
/// `syntax`, `escape`, `check`, and the value's byte range in `body`.
pub fn directive_parts(body: &str) -> Option<(String, usize, usize)> {
    let name_len = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    if name_len == 0 || !body.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let after_name = &body[name_len..];
    let after_eq = after_name.trim_start_matches(go_space).strip_prefix('=')?;
    let value = after_eq.trim_start_matches(go_space).trim_end_matches(go_space);
    if value.is_empty() || value.contains('\n') {
        return None;
    }
    let lname = body[..name_len].to_ascii_lowercase();
    if !matches!(lname.as_str(), "syntax" | "escape" | "check") {
        return None;
    }
    let value_start = body.len() - after_eq.trim_start_matches(go_space).len();
    Some((lname, value_start, value_start + value.len()))
}

fn parse_directive(line: &str, start: usize) -> Option<Directive> {
    // `Parse` left-trims the line before looking for a directive.
    let body = line.trim_start().strip_prefix('#')?;
    let body = body.trim_start();
    let (name, vs, ve) = directive_parts(body)?;
    let body_off = start + (line.len() - body.len());
    Some(Directive {
        name,
        value: body[vs..ve].to_string(),
        span: Span::new(start + (line.len() - line.trim_start().len()), start + line.trim_end().len()),
        value_span: Span::new(body_off + vs, body_off + ve),
    })
}

impl Dockerfile {
    /// Parse `text`. Never fails: problems are listed in `errors`.
    pub fn parse(text: &str) -> Dockerfile {
        Parser::new(text, std::sync::Arc::from(text)).run()
    }

    /// [`Dockerfile::parse`] keeping `text` itself rather than a copy (an
    /// editor's document text, already shared).
    pub fn parse_shared(text: std::sync::Arc<str>) -> Dockerfile {
        Parser::new(&text, text.clone()).run()
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }

    /// The file's `# check=` directive as BuildKit's frontend reads it
    /// (`dockerfile2llb` calls `parser.ParseDirective("check", dt)`), which
    /// differs from the parser's own directive block (`Parse`): a `#!` first
    /// line is skipped, and a line with blanks before its `#` ends the block.
    /// The value is the whole text; BuildKit uses only its first
    /// space-separated word (see `engine::ignore`).
    pub fn check_directive(&self) -> Option<Directive> {
        let text = &*self.text;
        let mut at = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut first = true;
        let mut seen: Vec<String> = Vec::new();
        while at < text.len() {
            let end = text[at..].find('\n').map_or(text.len(), |p| at + p);
            // bufio.ScanLines drops one `\r` before the `\n`.
            let line = text[at..end].strip_suffix('\r').unwrap_or(&text[at..end]);
            let line_start = at;
            at = end + 1;
            if std::mem::take(&mut first) && line.starts_with("#!") {
                continue;
            }
            let body = line.strip_prefix('#')?.trim_start();
            let (name, vs, ve) = directive_parts(body)?;
            if seen.contains(&name) {
                return None; // BuildKit: "only one ... parser directive can be used"
            }
            if name == "check" {
                let off = line_start + (line.len() - body.len());
                return Some(Directive {
                    name,
                    value: body[vs..ve].to_string(),
                    span: Span::new(line_start, line_start + line.trim_end().len()),
                    value_span: Span::new(off + vs, off + ve),
                });
            }
            seen.push(name);
        }
        None
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

struct Parser<'a> {
    text: &'a str,
    lines: Vec<PhysLine>,
    escape: char,
    out: Dockerfile,
}

impl<'a> Parser<'a> {
    /// `shared` holds the same text as `text` (the file keeps it).
    fn new(text: &'a str, shared: std::sync::Arc<str>) -> Self {
        let lines = physical_lines(text);
        // At most one instruction per line: no doubling (and its copies) on a
        // large file; the excess is given back at the end.
        let instructions = Vec::with_capacity(lines.len());
        Parser {
            text,
            lines,
            escape: '\\',
            out: Dockerfile {
                text: shared,
                lines: LineIndex::new(text),
                escape: '\\',
                directives: Vec::new(),
                instructions,
                comments: Vec::new(),
                empty_continuations: Vec::new(),
                errors: Vec::new(),
            },
        }
    }

    fn line(&self, i: usize) -> &'a str {
        let l = &self.lines[i];
        &self.text[l.start..l.end]
    }

    fn run(mut self) -> Dockerfile {
        let mut i = 0;
        // Parser directives: only in the leading run of comment lines; a blank line,
        // an instruction or any other comment ends them.
        while i < self.lines.len() {
            let line = self.line(i);
            let start = self.lines[i].start;
            let Some(d) = parse_directive(line, start) else { break };
            if self.out.directives.iter().any(|x| x.name == d.name) {
                // BuildKit refuses the file (`DirectiveParser.ParseLine`).
                self.out.errors.push(SyntaxError {
                    message: format!("only one `{}` parser directive can be used", d.name),
                    span: d.span,
                });
                break;
            }
            if d.name == "escape" {
                match d.value.as_str() {
                    "\\" => self.escape = '\\',
                    "`" => self.escape = '`',
                    _ => self.out.errors.push(SyntaxError {
                        message: format!("invalid escape character {:?}: it must be ` or \\", d.value),
                        span: d.value_span,
                    }),
                }
            }
            self.out.comments.push(Comment {
                span: d.span,
                text: line.trim().trim_start_matches('#').trim().to_string(),
                inside_instruction: false,
            });
            self.out.directives.push(d);
            i += 1;
        }
        self.out.escape = self.escape;

        while i < self.lines.len() {
            let line = self.line(i);
            let start = self.lines[i].start;
            if is_blank(line) {
                i += 1;
                continue;
            }
            let trimmed = line.trim_start();
            let lead = line.len() - trimmed.len();
            if trimmed.starts_with('#') {
                self.out.comments.push(Comment {
                    span: Span::new(start + lead, start + line.trim_end().len()),
                    text: trimmed.trim_start_matches('#').trim().to_string(),
                    inside_instruction: false,
                });
                i += 1;
                continue;
            }
            i = self.instruction(i);
        }
        // BuildKit reads lines with a bufio.Scanner limited to 64 KiB and stops
        // at the first longer line ("dockerfile line greater than max allowed
        // size of 65535", `handleScannerError`).
        if let Some(l) = self.lines.iter().find(|l| l.end - l.start > MAX_LINE) {
            let end = self.text[l.start..].char_indices().nth(1).map_or(l.end, |(p, _)| l.start + p);
            self.out.errors.push(SyntaxError {
                message: format!(
                    "this line is longer than {MAX_LINE} bytes, the most the Docker builder reads; it stops here"
                ),
                span: Span::new(l.start, end),
            });
        }
        // Give back the room the vectors grew into (an editor keeps the tree).
        self.out.instructions.shrink_to_fit();
        self.out.comments.shrink_to_fit();
        self.out
    }

    /// Split off a trailing escape character (with optional spaces or tabs after
    /// it) that continues the line. As in BuildKit (`setEscapeToken`, the
    /// pattern `([^\\])\\[ \t]*$|^\\[ \t]*$`), the marker continues the line
    /// only when it is the line's first character or follows a character other
    /// than the escape character: `C:\\` ends the line, and so does `\\\`
    /// (a limitation BuildKit documents).
    fn continued<'s>(&self, line: &'s str) -> (&'s str, bool) {
        split_continuation(line, self.escape)
    }

    /// Parse the instruction starting on physical line `first`; return the next line index.
    fn instruction(&mut self, first: usize) -> usize {
        let mut lt = LogicalText::new();
        let line = self.line(first);
        let lead = line.len() - line.trim_start().len();
        let start = self.lines[first].start + lead;
        let (piece, mut cont) = self.continued(&line[lead..]);
        lt.push(piece, start);
        let mut end = self.lines[first].start + line.len();
        let mut i = first + 1;
        let mut blank_lines = Vec::new();
        while cont && i < self.lines.len() {
            let l = self.line(i);
            let ls = self.lines[i].start;
            if is_blank(l) {
                blank_lines.push(Span::new(ls, ls + l.len()));
                i += 1;
                continue;
            }
            let t = l.trim_start();
            if t.starts_with('#') {
                let lead = l.len() - t.len();
                self.out.comments.push(Comment {
                    span: Span::new(ls + lead, ls + l.trim_end().len()),
                    text: t.trim_start_matches('#').trim().to_string(),
                    inside_instruction: true,
                });
                i += 1;
                continue;
            }
            let (piece, c) = self.continued(l);
            lt.push(piece, ls);
            end = ls + l.len();
            cont = c;
            i += 1;
        }
        if !blank_lines.is_empty() {
            let last = &self.lines[i - 1];
            self.out
                .empty_continuations
                .push(EmptyContinuation { blank_lines, last_line: Span::new(last.start, last.end) });
        }
        let mut inst = build_instruction(&lt, self.escape, &mut self.out.errors);
        inst.span = Span::new(start, end);

        // Heredoc bodies follow the instruction's last line, in marker order.
        let markers = heredoc_markers(inst.effective());
        let mut docs = Vec::new();
        for m in markers {
            let body_start = self.lines.get(i).map_or(self.text.len(), |l| l.start);
            let mut body = LogicalText::new();
            let mut terminator = None;
            while i < self.lines.len() {
                let l = self.line(i);
                let ls = self.lines[i].start;
                let candidate = if m.strip_tabs { l.trim_start_matches('\t') } else { l };
                if candidate == m.delimiter {
                    terminator = Some(Span::new(ls, ls + l.len()));
                    end = ls + l.len();
                    i += 1;
                    break;
                }
                // Keep the line break in the body text.
                let next = self.lines.get(i + 1).map_or(self.text.len(), |n| n.start);
                body.push(&self.text[ls..next], ls);
                end = ls + l.len();
                i += 1;
            }
            if body.is_empty() {
                body = LogicalText::contiguous("", body_start);
            }
            if terminator.is_none() {
                self.out.errors.push(SyntaxError {
                    message: format!(
                        "heredoc `{}` is not terminated: the file ends before a line `{}`",
                        m.delimiter, m.delimiter
                    ),
                    span: m.marker_span,
                });
            }
            docs.push(Heredoc { body, terminator_span: terminator, ..m });
        }
        inst.span = Span::new(start, end);
        match inst.trigger.as_deref_mut() {
            Some(t) => {
                t.heredocs = docs;
                t.span = Span::new(t.span.start, end);
            }
            None => inst.heredocs = docs,
        }
        self.out.instructions.push(inst);
        i
    }
}

/// Build an instruction from its logical text (keyword first).
fn build_instruction(lt: &LogicalText, escape: char, errors: &mut Vec<SyntaxError>) -> Instruction {
    let text = &lt.text;
    let kw_len = text.find(char::is_whitespace).unwrap_or(text.len());
    let keyword_text = text[..kw_len].to_string();
    let keyword_span = lt.span(0, kw_len);
    let keyword = Keyword::parse(&keyword_text);
    let args_start = kw_len + (text[kw_len..].len() - text[kw_len..].trim_start().len());
    let args = lt.slice(args_start, text.len());
    let mut inst = Instruction {
        keyword,
        keyword_text: compact_str::CompactString::from(keyword_text.as_str()),
        keyword_span,
        span: lt.full_span(),
        args: args.clone(),
        flags: Vec::new(),
        rest: args.clone(),
        exec: None,
        heredocs: Vec::new(),
        trigger: None,
        escape,
        words: WordCache::default(),
    };
    if keyword == Keyword::Unknown {
        let message = if keyword_text.chars().all(|c| c.is_ascii_alphabetic()) {
            match suggest_keyword(&keyword_text) {
                Some(k) => format!("unknown instruction `{keyword_text}` (did you mean `{}`?)", k.as_str()),
                None => format!("unknown instruction `{keyword_text}`"),
            }
        } else {
            format!("`{keyword_text}` is not an instruction")
        };
        errors.push(SyntaxError { message, span: keyword_span });
        return inst;
    }
    if keyword == Keyword::Onbuild {
        if args.text.trim().is_empty() {
            errors.push(SyntaxError { message: "ONBUILD needs an instruction to trigger".into(), span: keyword_span });
        } else {
            let trigger = build_instruction(&args, escape, errors);
            inst.trigger = Some(Box::new(trigger));
        }
        return inst;
    }

    // Leading `--flag[=value]` words.
    let mut rest_start = 0;
    for w in words::words_of(&args, escape) {
        if w.raw == "--" {
            // `--` ends the flags and is not an argument (as in BuildKit).
            rest_start = w.logical.1;
            break;
        }
        if !w.raw.starts_with("--") {
            break;
        }
        let name_end = w.raw.find('=').unwrap_or(w.raw.len());
        let name = w.raw[2..name_end].to_string();
        let (value, value_span) = if name_end < w.raw.len() {
            let v = &w.value[w.value.find('=').map_or(w.value.len(), |p| p + 1)..];
            (Some(v.to_string()), Some(args.span(w.logical.0 + name_end + 1, w.logical.1)))
        } else {
            (None, None)
        };
        inst.flags.push(Flag {
            name,
            value,
            span: w.span,
            name_span: args.span(w.logical.0 + 2, w.logical.0 + name_end),
            value_span,
        });
        rest_start = w.logical.1;
    }
    if rest_start > 0 {
        let t = &args.text[rest_start..];
        let skip = t.len() - t.trim_start().len();
        inst.rest = args.slice(rest_start + skip, args.text.len());
    }
    if keyword.has_exec_form() || keyword == Keyword::Healthcheck {
        inst.exec = words::parse_json_array(&inst.rest).map(|items| ExecForm { items });
    }
    if inst.exec.is_none() && keyword.has_exec_form() && words::is_json_array_of_non_strings(&inst.rest.text) {
        // BuildKit refuses it rather than running it as a shell command.
        errors.push(SyntaxError {
            message: "when using JSON array syntax, arrays must be comprised of strings only".into(),
            span: inst.rest.full_span(),
        });
    }
    if inst.args.text.trim().is_empty() && keyword != Keyword::Unknown {
        errors.push(SyntaxError {
            message: format!("{} needs at least one argument", keyword.as_str()),
            span: keyword_span,
        });
    }
    inst
}

fn suggest_keyword(word: &str) -> Option<Keyword> {
    let name = crate::util::closest(word, Keyword::ALL.iter().map(|k| k.as_str()))?;
    Keyword::ALL.into_iter().find(|k| k.as_str() == name)
}

/// Heredoc markers (`<<EOF`, `<<-"EOF"`, `2<<EOF`, `<< EOF`) in an instruction's
/// arguments, as BuildKit finds them (`parser.go` `heredocsFromLine`,
/// `reHeredoc` `^(\d*)<<(-?)\s*([^<]*)$`, and the lexer's
/// `processPossibleHeredoc`, which keeps blanks right after `<<` in the word):
/// a word that *starts* with optional digits and `<<` (so `cat<<EOF` and
/// `"<<EOF"` are not markers), then an optional `-`, then a delimiter word
/// without `<`. The delimiter loses its quotes and backslash escapes; the body
/// is not expanded when a quote was removed.
fn heredoc_markers(inst: &Instruction) -> Vec<Heredoc> {
    if !inst.keyword.takes_heredocs() || inst.exec.is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if !inst.rest.text.contains("<<") {
        return out;
    }
    let words = inst.words();
    let mut k = 0;
    while k < words.len() {
        let w = &words[k];
        k += 1;
        let digits = w.raw.bytes().take_while(u8::is_ascii_digit).count();
        let Some(after) = w.raw[digits..].strip_prefix("<<") else { continue };
        let fd = if digits > 0 { w.raw[..digits].parse().ok() } else { None };
        let (strip_tabs, mut delim_raw) = match after.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, after),
        };
        let mut end_word = w;
        if after.is_empty() {
            // `<< EOF`: the blanks after `<<` belong to the marker (dockerfile >= 1.16).
            let Some(next) = words.get(k) else { continue };
            delim_raw = &next.raw;
            end_word = next;
            k += 1;
        }
        if delim_raw.is_empty() || delim_raw.contains('<') {
            continue;
        }
        let Some((delimiter, quoted)) = heredoc_delimiter(delim_raw) else { continue };
        out.push(Heredoc {
            delimiter,
            quoted,
            strip_tabs,
            fd,
            marker_span: inst.rest.span(w.logical.0, end_word.logical.1),
            body: LogicalText::new(),
            terminator_span: None,
        });
    }
    out
}

/// The delimiter word with quotes and `\` escapes removed (BuildKit lexes it
/// with `\` as escape character whatever the file's), and whether a quote was
/// removed. `None` when nothing is left.
fn heredoc_delimiter(raw: &str) -> Option<(String, bool)> {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
            }
            '"' => {
                quoted = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '\\' | '$')) => out.extend(chars.next()),
                        c => out.push(c),
                    }
                }
            }
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    (!out.is_empty()).then_some((out, quoted))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Dockerfile {
        Dockerfile::parse(s)
    }

    #[test]
    fn continuation_comments_and_blank_lines() {
        let d = parse("FROM alpine\nRUN apk add \\\n# a comment\n\n    curl \\  \n    git\nCMD x\n");
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert_eq!(d.instructions.len(), 3);
        let run = &d.instructions[1];
        assert_eq!(run.rest.text, "apk add     curl     git");
        assert_eq!(d.comments.len(), 1);
        assert!(d.comments[0].inside_instruction);
        assert_eq!(d.empty_continuations.len(), 1);
        assert_eq!(d.empty_continuations[0].blank_lines.len(), 1);
        let curl = run.words()[2].span;
        assert_eq!(d.slice(curl), "curl");
        assert_eq!(d.slice(run.span), "RUN apk add \\\n# a comment\n\n    curl \\  \n    git");
    }

    #[test]
    fn directives_and_backtick_escape() {
        let d = parse(
            "# escape=`\n# syntax=docker/dockerfile:1\nFROM mcr.microsoft.com/windows\nRUN dir `\n  c:\\ \nCOPY a b\n",
        );
        assert_eq!(d.escape, '`');
        assert_eq!(d.directives.len(), 2);
        assert_eq!(d.instructions.len(), 3);
        assert_eq!(d.instructions[1].rest.text, "dir   c:\\ ");
    }

    #[test]
    fn heredocs() {
        let src =
            "FROM a\nRUN <<EOT bash && cat <<-'X'\necho hi\nEOT\n\tbody\n\tX\nCOPY <<EOF /app\nhello\nEOF\nRUN true";
        let d = parse(src);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert_eq!(d.instructions.len(), 4);
        let run = &d.instructions[1];
        assert_eq!(run.heredocs.len(), 2);
        assert_eq!(run.heredocs[0].body.text, "echo hi\n");
        assert!(run.heredocs[1].quoted && run.heredocs[1].strip_tabs);
        assert_eq!(run.heredocs[1].body.text, "\tbody\n");
        assert_eq!(d.instructions[2].heredocs[0].body.text, "hello\n");
        assert_eq!(d.instructions[3].keyword, Keyword::Run);
    }

    #[test]
    fn terminator_at_eof_without_newline_and_unterminated() {
        let d = parse("FROM a\nRUN <<EOF\nx\nEOF");
        assert!(d.errors.is_empty());
        assert_eq!(d.instructions[1].heredocs[0].terminator_span.map(|s| d.slice(s)), Some("EOF"));
        let d = parse("FROM a\nRUN <<EOF\nx\n");
        assert_eq!(d.errors.len(), 1);
        assert!(d.errors[0].message.contains("not terminated"));
    }

    #[test]
    fn flags_exec_form_and_onbuild() {
        let d = parse(
            "from --platform=$BUILDPLATFORM golang AS build\nRUN --mount=type=cache,target=/root/.cache go build\nCMD [\"a\", \"b\"]\nENTRYPOINT ['x']\nONBUILD RUN echo hi\n",
        );
        let from = &d.instructions[0];
        assert_eq!(from.keyword, Keyword::From);
        assert_eq!(from.flags[0].name, "platform");
        assert_eq!(from.flags[0].value.as_deref(), Some("$BUILDPLATFORM"));
        assert_eq!(d.slice(from.flags[0].value_span.unwrap()), "$BUILDPLATFORM");
        assert_eq!(from.rest.text, "golang AS build");
        assert_eq!(d.instructions[1].flag("mount").unwrap().value.as_deref(), Some("type=cache,target=/root/.cache"));
        assert_eq!(d.instructions[2].exec.as_ref().unwrap().items.len(), 2);
        assert!(d.instructions[3].exec.is_none());
        assert_eq!(d.instructions[4].trigger.as_ref().unwrap().keyword, Keyword::Run);
        let d = parse("COPY --chown=1 -- --odd-name /dst\n");
        assert_eq!(d.instructions[0].flags.len(), 1);
        assert_eq!(d.instructions[0].rest.text, "--odd-name /dst");
    }

    #[test]
    fn broken_instruction_recovers() {
        let d = parse("FROM a\nRUNN apk add curl\nCOPY . .\n");
        assert_eq!(d.errors.len(), 1);
        assert_eq!(d.slice(d.errors[0].span), "RUNN");
        assert!(d.errors[0].message.contains("RUN"));
        assert_eq!(d.instructions.len(), 3);
    }

    // The tests below follow BuildKit's parser (frontend/dockerfile/parser/
    // parser.go `Parse`, `setEscapeToken`, `trimContinuationCharacter`,
    // directives.go `DirectiveParser.ParseLine`, and testfiles such as
    // `trailing-backslash`, `continue-at-eof`, `escape-after-comment`).

    fn texts(d: &Dockerfile) -> Vec<String> {
        d.instructions.iter().map(|i| format!("{} {}", i.keyword_text, i.args.text)).collect()
    }

    #[test]
    fn escaped_escape_does_not_continue() {
        // `C:\\` ends the line: the escape character before the last one escapes it.
        let d = parse("FROM a\nENV DIR=C:\\\\Windows\\\\\nRUN dir\n");
        assert_eq!(texts(&d), ["FROM a", "ENV DIR=C:\\\\Windows\\\\", "RUN dir"]);
        // BuildKit's documented limitation: `\\\` does not continue either.
        let d = parse("FROM a\nRUN echo \\\\\\\nRUN next\n");
        assert_eq!(texts(&d), ["FROM a", "RUN echo \\\\\\", "RUN next"]);
        // Trailing spaces and tabs after a real marker: it continues.
        let d = parse("FROM a\nRUN a \\ \t\n b\n");
        assert_eq!(texts(&d), ["FROM a", "RUN a  b"]);
        // A form feed after the marker is not in `[ \t]*`: no continuation.
        let d = parse("FROM a\nRUN a \\\x0c\nRUN b\n");
        assert_eq!(d.instructions.len(), 3);
        // The same rules with the backtick: `` `` `` ends the line, `\` is plain text.
        let d = parse("# escape=`\nFROM a\nRUN dir C:\\ ``\nRUN a `\n  b\n");
        assert_eq!(texts(&d), ["FROM a", "RUN dir C:\\ ``", "RUN a   b"]);
        // In a continuation line too.
        let d = parse("FROM a\nRUN a \\\n  b\\\\\nRUN c\n");
        assert_eq!(texts(&d), ["FROM a", "RUN a   b\\\\", "RUN c"]);
    }

    #[test]
    fn lone_marker_lines_and_end_of_file() {
        // A line that is only the marker joins the next line (testfile `continueIndent`).
        let d = parse("FROM a\n\\\nRUN x\n");
        assert_eq!(texts(&d), ["FROM a", "RUN x"]);
        assert_eq!(d.slice(d.instructions[1].span), "\\\nRUN x");
        // `ENV E hello\` / `\` / `world` gives `helloworld`.
        let d = parse("FROM a\nENV E hello\\\n\\\nworld\n");
        assert_eq!(texts(&d)[1], "ENV E helloworld");
        // A continuation that reaches the end of the file ends there (`continue-at-eof`).
        let d = parse("FROM a\nRUN echo hi\\");
        assert!(d.errors.is_empty());
        assert_eq!(texts(&d)[1], "RUN echo hi");
    }

    #[test]
    fn crlf_and_bom() {
        let d = parse("\u{feff}# escape=`\r\nFROM a\r\nRUN a `\r\n  b\r\nRUN c\r\n");
        assert_eq!(d.escape, '`', "the BOM is not part of the first line");
        assert_eq!(texts(&d), ["FROM a", "RUN a   b", "RUN c"]);
        assert_eq!(d.slice(d.instructions[2].span), "RUN c");
        // Every `\r` before the `\n` is stripped (`trimNewline`), so the marker still ends the line.
        let d = parse("FROM a\r\nRUN a \\\r\r\n b\r\n");
        assert_eq!(texts(&d), ["FROM a", "RUN a  b"]);
        // A lone `\r` inside a line is text.
        let d = parse("FROM a\nRUN a\rb\n");
        assert_eq!(texts(&d)[1], "RUN a\rb");
        // A BOM after the first byte is text.
        let d = parse("FROM a\n\u{feff}RUN b\n");
        assert_eq!(d.errors.len(), 1);
    }

    #[test]
    fn escape_directive_forms() {
        let esc = |src: &str| parse(src).escape;
        assert_eq!(esc("# escape=`\nFROM a\n"), '`');
        assert_eq!(esc("#escape=`\nFROM a\n"), '`');
        assert_eq!(esc("# EScape = ` \nFROM a\n"), '`', "key case-insensitive, blanks around = and after the value");
        assert_eq!(esc("   # escape=`\nFROM a\n"), '`', "Parse left-trims the line first");
        assert_eq!(esc("# syntax=docker/dockerfile:1\n# check=skip=all\n# escape=`\nFROM a\n"), '`');
        // The first line that is not a directive ends the block for good.
        assert_eq!(esc("\n# escape=`\nFROM a\n"), '\\', "a blank line");
        assert_eq!(esc("# foo=bar\n# escape=`\nFROM a\n"), '\\', "an unknown key");
        assert_eq!(esc("# a comment\n# escape=`\nFROM a\n"), '\\', "a plain comment");
        assert_eq!(esc("#\n# escape=`\nFROM a\n"), '\\', "a bare #");
        assert_eq!(esc("#!/bin/sh\n# escape=`\nFROM a\n"), '\\', "a shebang");
        assert_eq!(esc("# escape=\n# escape=`\nFROM a\n"), '\\', "an empty value");
        assert_eq!(esc("# 1escape=`\nFROM a\n"), '\\', "a key must start with a letter");
        assert_eq!(esc("FROM a\n# escape=`\nRUN a `\nRUN b\n"), '\\', "after an instruction");
        let d = parse("# escape=`\nFROM a\n");
        assert_eq!(d.directives.len(), 1);
        assert_eq!(d.slice(d.directives[0].value_span), "`");
        // A repeated directive and a bad escape character are errors, as in BuildKit.
        let d = parse("# escape=`\n# escape=\\\nFROM a\n");
        assert_eq!(d.escape, '`');
        assert_eq!(d.errors.len(), 1);
        assert!(d.errors[0].message.contains("only one `escape`"), "{:?}", d.errors);
        assert_eq!(parse("# check=skip=A\n# check=skip=B\nFROM a\n").errors.len(), 1);
        let d = parse("# escape=x\nFROM a\n");
        assert_eq!(d.escape, '\\');
        assert_eq!(d.errors.len(), 1);
    }

    #[test]
    fn frontend_check_directive() {
        let v = |src: &str| parse(src).check_directive().map(|d| d.value);
        assert_eq!(v("# check=skip=A // why\nFROM a\n").as_deref(), Some("skip=A // why"));
        assert_eq!(v("#!/usr/bin/env x\n# check=skip=A\nFROM a\n").as_deref(), Some("skip=A"));
        assert_eq!(v("\u{feff}# syntax=x\r\n# check=skip=A\r\nFROM a\n").as_deref(), Some("skip=A"));
        assert_eq!(v(" # check=skip=A\nFROM a\n"), None, "blanks before # end the frontend's block");
        assert_eq!(v("# syntax=x\n # escape=`\n# check=skip=A\nFROM a\n"), None);
        assert_eq!(v("FROM a\n# check=skip=A\n"), None);
    }

    #[test]
    fn comments_and_blank_lines_in_continuations() {
        // A comment line inside a continuation is dropped even when it ends
        // with the marker; blank lines are dropped and recorded; NoEmptyContinuation
        // belongs on the last line of the continuation.
        let src = "FROM a\nRUN a \\\n# note \\\n    \n\nb\nRUN c\n";
        let d = parse(src);
        assert_eq!(texts(&d), ["FROM a", "RUN a b", "RUN c"]);
        assert_eq!(d.empty_continuations.len(), 1);
        let ec = &d.empty_continuations[0];
        assert_eq!(ec.blank_lines.len(), 2);
        assert_eq!(d.lines.line_of(ec.last_line.start), 5);
        assert_eq!(d.slice(ec.last_line), "b");
        // Only a comment in the continuation: no empty continuation.
        let d = parse("FROM a\nRUN a \\\n  # c\nb\n");
        assert_eq!(texts(&d)[1], "RUN a b");
        assert!(d.empty_continuations.is_empty());
        assert!(d.comments[0].inside_instruction);
        // An indented `#` line is a comment too; `#` later in a line is text.
        let d = parse("FROM a\nRUN echo # not a comment \\\n\t# comment\n  done\n");
        assert_eq!(texts(&d)[1], "RUN echo # not a comment   done");
        // A continuation ending at the end of the file after blank lines.
        let d = parse("FROM a\nRUN a \\\n\n");
        assert_eq!(d.empty_continuations.len(), 1);
        assert_eq!(d.lines.line_of(d.empty_continuations[0].last_line.start), 2);
    }

    #[test]
    fn heredoc_edge_cases() {
        let markers = |src: &str| {
            let d = parse(src);
            d.instructions
                .iter()
                .flat_map(|i| i.effective().heredocs.iter())
                .map(|h| h.delimiter.clone())
                .collect::<Vec<_>>()
        };
        // `<< EOF` (blank after <<) is a heredoc since dockerfile 1.16.
        assert_eq!(markers("FROM a\nRUN << EOF\nx\nEOF\n"), ["EOF"]);
        // Text glued before `<<`, a quoted `"<<EOF"`, and `<<<` are not markers.
        let d = parse("FROM a\nRUN cat<<EOF\nx\nEOF\n");
        assert!(d.instructions[1].heredocs.is_empty());
        assert_eq!(d.instructions.len(), 4, "x and EOF become (unknown) instructions, as in BuildKit");
        assert!(markers("FROM a\nRUN echo \"<<EOF\" '<<X'\n").is_empty());
        assert!(markers("FROM a\nRUN cat <<<EOF\n").is_empty());
        // `<<-` alone then a word: not a marker (the blank is kept only right after `<<`).
        assert!(markers("FROM a\nRUN cat <<- EOF\n").is_empty());
        // The delimiter loses quotes and escapes; quoting turns off expansion.
        let d = parse("FROM a\nRUN <<\\EOF\nx\nEOF\nCOPY <<E\"O\"F /d\ny\nEOF\n");
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert_eq!(d.instructions[1].heredocs[0].delimiter, "EOF");
        assert!(!d.instructions[1].heredocs[0].quoted);
        assert!(d.instructions[2].heredocs[0].quoted);
        // `<<EOF>out`: the delimiter is `EOF>out`, so an `EOF` line does not end it.
        let d = parse("FROM a\nRUN cat <<EOF>out\nx\nEOF\n");
        assert_eq!(d.instructions[1].heredocs[0].delimiter, "EOF>out");
        assert_eq!(d.errors.len(), 1);
        // CMD and exec forms take no heredocs.
        assert!(markers("FROM a\nCMD <<EOF\n").is_empty());
        assert!(markers("FROM a\nRUN [\"sh\", \"<<EOF\"]\n").is_empty());
        // An indented delimiter is content; with `<<-`, tabs (not spaces) are stripped.
        let d = parse("FROM a\nRUN <<EOF\n    EOF\nEOF\nRUN <<-X\n  X\n\t\tX\n");
        assert_eq!(d.instructions[1].heredocs[0].body.text, "    EOF\n");
        assert_eq!(d.instructions[2].heredocs[0].body.text, "  X\n");
        // Two markers on one line, a heredoc after a continuation, and fd digits.
        let d =
            parse("FROM a\nCOPY <<A <<B /dst/\none\nA\ntwo\nB\nRUN <<EOF \\\n  && echo\nbody\nEOF\nRUN 3<<X cat\nX\n");
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert_eq!(d.instructions.len(), 4);
        let bodies: Vec<&str> = d.instructions[1].heredocs.iter().map(|h| h.body.text.as_str()).collect();
        assert_eq!(bodies, ["one\n", "two\n"]);
        assert_eq!(d.instructions[2].heredocs[0].body.text, "body\n");
        assert_eq!(d.instructions[3].heredocs[0].fd, Some(3));
        // A body keeps `#` lines, blank lines and CRLF, and is never continued.
        let d = parse("FROM a\r\nRUN <<EOF\r\n# c \\\r\n\r\nEOF\r\nRUN b\r\n");
        assert_eq!(d.instructions[1].heredocs[0].body.text, "# c \\\r\n\r\n");
        assert_eq!(d.instructions.len(), 3);
        // ONBUILD triggers take heredocs.
        assert_eq!(markers("FROM a\nONBUILD RUN <<EOF\nx\nEOF\n"), ["EOF"]);
        // Quotes and escapes in the delimiter (names as in parser_heredoc_test.go).
        let src = "FROM a\nRUN <<eo\\'f\nx\neo'f\nRUN <<'e'o\\'f\nx\neo'f\nRUN <<'one two'\nx\none two\nRUN <<$EOF\n$EOF\nRUN <<  EOF  > foo\nEOF\nCOPY <<X <<Y /d\nY\nX\nX\nY\n";
        let d = parse(src);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let got: Vec<(String, bool)> = d.instructions[1..]
            .iter()
            .flat_map(|i| i.heredocs.iter())
            .map(|h| (h.delimiter.clone(), h.quoted))
            .collect();
        let want = [
            ("eo'f", false),
            ("eo'f", true),
            ("one two", true),
            ("$EOF", false),
            ("EOF", false),
            ("X", false),
            ("Y", false),
        ];
        assert_eq!(got, want.map(|(a, b)| (a.to_string(), b)));
        let copy = d.instructions.last().unwrap();
        assert_eq!(copy.heredocs[0].body.text, "Y\n");
        assert_eq!(copy.heredocs[1].body.text, "X\n");
    }

    #[test]
    fn lines_longer_than_the_builder_reads() {
        let ok = format!("FROM a\nRUN {}\n", "x".repeat(MAX_LINE - 4));
        assert!(parse(&ok).errors.is_empty());
        let long = format!("FROM a\nRUN {}\nRUN {}\n", "x".repeat(MAX_LINE - 3), "y".repeat(MAX_LINE));
        let d = parse(&long);
        assert_eq!(d.errors.len(), 1, "reported once, where the builder stops");
        assert_eq!(d.lines.line_of(d.errors[0].span.start), 1);
    }

    #[test]
    fn json_arrays_with_non_strings_are_errors() {
        let d = parse("FROM a\nCMD [\"a\", 1]\nCMD [\"a\" \"b\"]\nVOLUME [\"a\", null]\nCOPY [\"a\", null] /b\n");
        assert_eq!(d.errors.len(), 2, "{:?}", d.errors);
        assert_eq!(d.slice(d.errors[0].span), "[\"a\", 1]");
        assert!(d.instructions[2].exec.is_none(), "invalid JSON falls back to the shell form");
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        for src in [
            "\\\\\\\\\\\\",
            "\0\0RUN\0",
            "RUN \\",
            "RUN <<",
            "FROM a\nRUN <<'",
            "\u{feff}FROM a",
            "# escape=x\nFROM a",
            "ONBUILD",
            "ONBUILD ONBUILD",
        ] {
            let _ = parse(src);
        }
        let big = "RUN echo hi && \\\n".repeat(100_000);
        let d = parse(&big);
        assert_eq!(d.instructions.len(), 1);
    }
}
