//! Variable interpolation in Compose files, as Docker Compose does it
//! (compose-go's `template` package):
//!
//! - `$$` is a literal `$`;
//! - `$NAME` and `${NAME}` (NAME: `[_A-Za-z][_A-Za-z0-9]*`) are the value of
//!   NAME, empty (with a warning) when it is not set;
//! - `${NAME:-word}` / `${NAME-word}`: `word` when NAME is unset or empty / unset;
//! - `${NAME:?word}` / `${NAME?word}`: an error (`word` is its message) when NAME
//!   is unset or empty / unset;
//! - `${NAME:+word}` / `${NAME+word}`: `word` when NAME is set and not empty / set;
//! - `word` may itself hold references (`${A:-${B:-x}}`) and is evaluated first;
//! - a `$` followed by anything else (`$ `, `$1`, `$}`, a `$` at the end) is kept
//!   as it is;
//! - `${` that does not form one of the forms above (`${}`, `${ NAME}`,
//!   `${NAME }`, `${NAME!}`, `${NAME:x}`, `${NAME` without its `}` on the same
//!   line) is an error that stops Compose.
//!
//! Keys are not interpolated, values everywhere are (extension fields too).

use super::{ComposeFile, Node, Style};
use crate::text::Span;
use std::collections::BTreeMap;
use std::ops::Range;

/// Variables for interpolation, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    pub fn new() -> Env {
        Env::default()
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.vars.insert(name.into(), value.into());
    }

    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Env {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Env {
        Env { vars: iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect() }
    }
}

/// The operator of a braced reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `:-`
    DefaultIfEmpty,
    /// `-`
    DefaultIfUnset,
    /// `:?`
    ErrorIfEmpty,
    /// `?`
    ErrorIfUnset,
    /// `:+`
    AltIfNonEmpty,
    /// `+`
    AltIfSet,
}

impl Op {
    const ALL: [(&'static str, Op); 6] = [
        (":-", Op::DefaultIfEmpty),
        (":?", Op::ErrorIfEmpty),
        (":+", Op::AltIfNonEmpty),
        ("-", Op::DefaultIfUnset),
        ("?", Op::ErrorIfUnset),
        ("+", Op::AltIfSet),
    ];

    pub fn as_str(self) -> &'static str {
        Op::ALL.iter().find(|(_, o)| *o == self).map_or("", |(s, _)| s)
    }

    /// `${X:-d}` and `${X-d}`: the reference has a fallback value.
    pub fn is_default(self) -> bool {
        matches!(self, Op::DefaultIfEmpty | Op::DefaultIfUnset)
    }

    pub fn is_required(self) -> bool {
        matches!(self, Op::ErrorIfEmpty | Op::ErrorIfUnset)
    }
}

/// A variable reference. Ranges are byte ranges of the text given to [`parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// `$NAME` or the whole `${...}`.
    pub span: Range<usize>,
    pub name_span: Range<usize>,
    pub braced: bool,
    pub op: Option<Op>,
    /// What follows the operator: the default, error message or alternative.
    pub word: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text (`$$` already reduced to `$`).
    Text {
        text: String,
        span: Range<usize>,
    },
    Var(VarRef),
}

/// Text that Compose refuses to interpolate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The offending reference, from its `$`.
    pub span: Range<usize>,
    pub message: String,
}

/// A `${NAME:?message}` or `${NAME?message}` whose variable has no (non-empty) value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingRequired {
    pub name: String,
    pub span: Range<usize>,
    /// The evaluated message after the operator (may be empty).
    pub message: String,
    /// The variable is set, but empty (for `:?`).
    pub empty: bool,
}

/// Nesting deeper than this is kept as literal text rather than parsed.
const MAX_NESTING: usize = 32;

fn is_name_start(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphabetic()
}

fn is_name_char(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphanumeric()
}

/// True when Compose interpolates something in `s`: a `$NAME`, a `${...}`
/// (valid or not, as an invalid one is an error rather than text); `$$` is a
/// literal `$` and a `$` before anything else (`$1`, `$(`, a final `$`) is kept
/// as text. The one test of "is this value interpolated" for every rule and
/// editor feature: its value is then unknown and not judged.
pub fn interpolated(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            match b.get(i + 1) {
                Some(b'$') => {
                    i += 2;
                    continue;
                }
                Some(c) if *c == b'{' || is_name_start(*c) => return true,
                _ => {}
            }
        }
        i += 1;
    }
    false
}

/// Parse `text` into literal pieces and variable references.
pub fn parse(text: &str) -> Result<Vec<Part>, TemplateError> {
    if !text.contains('$') {
        return Ok(if text.is_empty() {
            Vec::new()
        } else {
            vec![Part::Text { text: text.to_string(), span: 0..text.len() }]
        });
    }
    let newlines: Vec<usize> = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
    Scan { text, newlines }.range(0, text.len(), 0)
}

struct Scan<'t> {
    text: &'t str,
    /// Offsets of the line breaks, for finding the end of a line in O(log n).
    newlines: Vec<usize>,
}

fn push_text(parts: &mut Vec<Part>, s: &str, span: Range<usize>) {
    if s.is_empty() {
        return;
    }
    if let Some(Part::Text { text, span: sp }) = parts.last_mut()
        && sp.end == span.start
    {
        text.push_str(s);
        sp.end = span.end;
        return;
    }
    parts.push(Part::Text { text: s.to_string(), span });
}

impl Scan<'_> {
    fn line_end(&self, p: usize, end: usize) -> usize {
        let i = self.newlines.partition_point(|&n| n < p);
        self.newlines.get(i).map_or(end, |&n| n.min(end))
    }

    fn range(&self, start: usize, end: usize, depth: usize) -> Result<Vec<Part>, TemplateError> {
        let text = self.text;
        let b = text.as_bytes();
        let mut parts = Vec::new();
        if depth > MAX_NESTING {
            push_text(&mut parts, &text[start..end], start..end);
            return Ok(parts);
        }
        let mut i = start;
        while i < end {
            let Some(off) = text[i..end].find('$') else {
                push_text(&mut parts, &text[i..end], i..end);
                break;
            };
            let p = i + off;
            push_text(&mut parts, &text[i..p], i..p);
            let next = b.get(p + 1).copied().filter(|_| p + 1 < end);
            match next {
                Some(b'$') => {
                    push_text(&mut parts, "$", p..p + 2);
                    i = p + 2;
                }
                Some(c) if is_name_start(c) => {
                    let mut q = p + 2;
                    while q < end && is_name_char(b[q]) {
                        q += 1;
                    }
                    parts.push(Part::Var(VarRef {
                        name: text[p + 1..q].to_string(),
                        span: p..q,
                        name_span: p + 1..q,
                        braced: false,
                        op: None,
                        word: Vec::new(),
                    }));
                    i = q;
                }
                Some(b'{') => {
                    let (part, after) = self.braced(p, end, depth)?;
                    parts.push(part);
                    i = after;
                }
                _ => {
                    push_text(&mut parts, "$", p..p + 1);
                    i = p + 1;
                }
            }
        }
        Ok(parts)
    }

    /// A `${...}` starting at `p` (the `$`): the part and the offset after it.
    fn braced(&self, p: usize, end: usize, depth: usize) -> Result<(Part, usize), TemplateError> {
        let text = self.text;
        let b = text.as_bytes();
        let line_end = self.line_end(p, end);
        let shown_end = |to: usize| text[p..to.min(line_end)].chars().take(40).map(char::len_utf8).sum::<usize>() + p;
        let n0 = p + 2;
        let mut q = n0;
        while q < line_end && is_name_char(b[q]) {
            q += 1;
        }
        let first_brace = text[p..line_end].find('}').map(|n| p + n);
        if q == n0 || !is_name_start(b[n0]) {
            let to = first_brace.map_or(line_end, |c| c + 1);
            let written = &text[p..shown_end(to)];
            let message = if first_brace.is_none() {
                format!("`{written}` has no closing `}}` on its line")
            } else {
                format!("`{written}` does not start with a variable name")
            };
            return Err(TemplateError { span: p..to, message });
        }
        let name = text[n0..q].to_string();
        let var = |op, word, span: Range<usize>| VarRef {
            name: name.clone(),
            span,
            name_span: n0..q,
            braced: true,
            op,
            word,
        };
        match b.get(q).filter(|_| q < line_end) {
            Some(b'}') => return Ok((Part::Var(var(None, Vec::new(), p..q + 1)), q + 1)),
            Some(b'[') => {
                // `${name[key]}`: a named mapping; without one configured, Compose keeps it as written.
                if let Some(close) = balanced_close(text, p, line_end) {
                    return Ok((Part::Text { text: text[p..close + 1].to_string(), span: p..close + 1 }, close + 1));
                }
            }
            _ => {}
        }
        let op = Op::ALL.iter().find(|(s, _)| text[q..line_end].starts_with(s));
        let Some(&(op_text, op)) = op else {
            let to = first_brace.map_or(line_end, |c| c + 1);
            let written = &text[p..shown_end(to)];
            let message = if first_brace.is_none() {
                format!("`{written}` has no closing `}}` on its line")
            } else {
                format!(
                    "`{written}` is shell syntax Compose does not support (after the name it accepts only `}}`, `:-`, `-`, `:?`, `?`, `:+`, `+`)"
                )
            };
            return Err(TemplateError { span: p..to, message });
        };
        let r = q + op_text.len();
        // Compose's pattern takes the text up to the last `}` of the line, then cuts
        // it at the `}` that balances the opening brace, if there is one.
        let close = match balanced_close(text, p, line_end) {
            Some(c) => c,
            None => match text[r..line_end].rfind('}') {
                Some(n) => r + n,
                None => {
                    let written = &text[p..shown_end(line_end)];
                    return Err(TemplateError {
                        span: p..line_end,
                        message: format!("`{written}` has no closing `}}` on its line"),
                    });
                }
            },
        };
        let word = self.range(r, close, depth + 1)?;
        Ok((Part::Var(var(Some(op), word, p..close + 1)), close + 1))
    }
}

/// The `}` closing the `{` at `p + 1`, counting every `{` (and skipping the
/// character after it) as Compose does, within `..limit`.
fn balanced_close(text: &str, p: usize, limit: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut open = 0usize;
    let mut j = p;
    while j < limit {
        match b[j] {
            b'}' => {
                open = open.saturating_sub(1);
                if open == 0 {
                    return Some(j);
                }
            }
            b'{' => {
                open += 1;
                j += 1;
            }
            _ => {}
        }
        j += 1;
    }
    None
}

/// Evaluate parsed parts with `env`. `unset` hears of every reference without a
/// fallback whose variable is not set (Compose warns and uses an empty string).
/// As in Compose, the word of an operator is evaluated whether it is used or not.
pub fn evaluate(parts: &[Part], env: &Env, unset: &mut dyn FnMut(&VarRef)) -> Result<String, MissingRequired> {
    let mut out = String::new();
    for p in parts {
        match p {
            Part::Text { text, .. } => out.push_str(text),
            Part::Var(v) => out.push_str(&evaluate_ref(v, env, unset)?),
        }
    }
    Ok(out)
}

fn evaluate_ref(v: &VarRef, env: &Env, unset: &mut dyn FnMut(&VarRef)) -> Result<String, MissingRequired> {
    let value = env.get(&v.name);
    let Some(op) = v.op else {
        if value.is_none() {
            unset(v);
        }
        return Ok(value.unwrap_or("").to_string());
    };
    let word = evaluate(&v.word, env, unset)?;
    let non_empty = value.is_some_and(|s| !s.is_empty());
    Ok(match op {
        Op::DefaultIfEmpty if !non_empty => word,
        Op::DefaultIfUnset if value.is_none() => word,
        Op::ErrorIfEmpty | Op::ErrorIfUnset if value.is_none() || (op == Op::ErrorIfEmpty && !non_empty) => {
            return Err(MissingRequired {
                name: v.name.clone(),
                span: v.span.clone(),
                message: word,
                empty: value.is_some(),
            });
        }
        Op::AltIfNonEmpty if non_empty => word,
        Op::AltIfSet if value.is_some() => word,
        _ => value.unwrap_or("").to_string(),
    })
}

/// The value of `text` after interpolation with `env`, or `None` when it is not
/// valid, a required variable is missing, or a variable without a fallback has
/// no value in `env` (its value is then unknown: Compose would take it from the
/// environment). Variables missing from `env` count as unset, so `${X:-d}` is `d`.
pub fn interpolate(text: &str, env: &Env) -> Option<String> {
    if !text.contains('$') {
        return Some(text.to_string());
    }
    let parts = parse(text).ok()?;
    let mut unknown = false;
    let v = evaluate(&parts, env, &mut |_| unknown = true).ok()?;
    (!unknown).then_some(v)
}

/// Compose's own evaluation: unset variables are empty; an invalid template or a
/// missing required variable is the error Compose prints.
pub fn evaluate_str(text: &str, env: &Env) -> Result<String, String> {
    if !text.contains('$') {
        return Ok(text.to_string());
    }
    let parts = parse(text).map_err(|e| format!("invalid interpolation: {}", e.message))?;
    evaluate(&parts, env, &mut |_| {}).map_err(|m| {
        if m.message.is_empty() {
            format!("required variable {} is missing a value", m.name)
        } else {
            format!("required variable {} is missing a value: {}", m.name, m.message)
        }
    })
}

/// Where the byte range `range` of a scalar's value is written in the file: the
/// exact bytes when the value is written as is (plain, or quoted without
/// escapes) or when that piece of text occurs once in the scalar's source (block
/// scalars, quoted scalars with escapes elsewhere); else the whole scalar.
pub fn source_span(file: &ComposeFile, node: &Node, range: Range<usize>) -> Span {
    let (Some(text), Some(style)) = (node.str(), node.style()) else { return node.span };
    let Some(piece) = text.get(range.clone()) else { return node.span };
    let src = file.slice(node.span);
    let body = match style {
        Style::Plain if src == text => Some(0),
        Style::SingleQuoted | Style::DoubleQuoted if src.len() >= 2 && src.get(1..src.len() - 1) == Some(text) => {
            Some(1)
        }
        _ => None,
    };
    if let Some(b) = body {
        return Span::new(node.span.start + b + range.start, node.span.start + b + range.end);
    }
    if !piece.is_empty()
        && !piece.contains('\n')
        && let Some(i) = src.find(piece)
        && !src[i + piece.len()..].contains(piece)
    {
        return Span::new(node.span.start + i, node.span.start + i + piece.len());
    }
    node.span
}

/// Every reference in `parts`, words of operators included, outermost first.
pub fn references(parts: &[Part]) -> Vec<&VarRef> {
    let mut out = Vec::new();
    let mut stack: Vec<&[Part]> = vec![parts];
    while let Some(ps) = stack.pop() {
        for p in ps {
            if let Part::Var(v) = p {
                out.push(v);
                stack.push(&v.word);
            }
        }
    }
    out.sort_by_key(|v| v.span.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        [("FOO", "first"), ("BAR", "")].into_iter().collect()
    }

    fn sub(t: &str) -> Result<String, String> {
        evaluate_str(t, &env())
    }

    #[test]
    fn interpolated_or_not() {
        assert!(interpolated("${A}"));
        assert!(interpolated("x$A"));
        assert!(interpolated("${ bad}"), "an invalid template is not text either");
        assert!(!interpolated("a$$b"));
        assert!(!interpolated("$${A}"));
        assert!(!interpolated("cost$"));
        assert!(!interpolated("$1"));
        assert!(!interpolated("$(id -u)"));
    }

    #[test]
    fn literal_dollars() {
        for t in ["a $ string", "^REGEX$", "$}", "$", "$1", "$2a$14$1l", "100$", "$-x"] {
            assert_eq!(sub(t).as_deref(), Ok(t), "{t}");
        }
        assert_eq!(sub("$${foo}").as_deref(), Ok("${foo}"));
        assert_eq!(sub("$$FOO $FOO").as_deref(), Ok("$FOO first"));
    }

    #[test]
    fn invalid_templates() {
        for t in ["${", "${}", "${ }", "${ foo}", "${foo }", "${foo!}", "${1}", "${foo:x}", "${FOO:-x", "${@}"] {
            let e = parse(t).err();
            assert!(e.is_some(), "{t} should be invalid");
            let e = e.unwrap();
            assert_eq!(e.span.start, t.find("${").unwrap(), "{t}: {}", e.message);
        }
        let e = parse("ok ${FOO:-a\n}").unwrap_err();
        assert!(e.message.contains("no closing"), "{}", e.message);
        assert_eq!(parse("x ${A:-${B}").unwrap_err().span.start, 7, "the nested one is reported");
    }

    #[test]
    fn values() {
        let cases = [
            ("This ${missing} var", "This  var"),
            ("This ${BAR} var", "This  var"),
            ("This $FOO var", "This first var"),
            ("$FOO-bar", "first-bar"),
            ("ok ${missing:-def}", "ok def"),
            ("ok ${missing-def}", "ok def"),
            ("ok ${BAR:-def}", "ok def"),
            ("ok ${BAR-def}", "ok "),
            ("ok ${FOO:-def}", "ok first"),
            ("ok ${UNSET:+x}", "ok "),
            ("ok ${FOO:+x}", "ok x"),
            ("ok ${BAR+x}", "ok x"),
            ("ok ${BAR:+x}", "ok "),
            ("ok ${BAR:-/non:-alphanumeric}", "ok /non:-alphanumeric"),
            ("+ok ${UNSET:-${BAR-defaultValue}}", "+ok "),
            ("ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first"),
            ("ok ${BAR+$FOO ${FOO:+second}}", "ok first second"),
            ("ok ${FOO?err}", "ok first"),
            ("ok ${BAR?err}", "ok "),
            ("${UNSET_VAR-myerror?msg}", "myerror?msg"),
            ("${A:-x} and ${FOO}", "x and first"),
            ("${A:-{x}}", "{x}"),
            ("${secret[key]}", "${secret[key]}"),
        ];
        for (t, want) in cases {
            assert_eq!(sub(t).as_deref(), Ok(want), "{t}");
        }
    }

    #[test]
    fn required() {
        assert_eq!(
            sub("not ok ${UNSET:?Mandatory ${FOO}}").unwrap_err(),
            "required variable UNSET is missing a value: Mandatory first"
        );
        assert_eq!(sub("${BAR:?}").unwrap_err(), "required variable BAR is missing a value");
        assert_eq!(sub("${UNSET_VAR?bar-baz}").unwrap_err(), "required variable UNSET_VAR is missing a value: bar-baz");
        let parts = parse("x ${A:-${B:?need b}}").unwrap();
        let e = evaluate(&parts, &[("A", "1")].into_iter().collect(), &mut |_| {}).unwrap_err();
        assert_eq!((e.name.as_str(), e.span.clone()), ("B", 7..19), "the word is evaluated first, as Compose does");
    }

    #[test]
    fn interpolate_for_hover_and_rules() {
        let env = env();
        assert_eq!(interpolate("${FOO}:${PORT:-80}", &env).as_deref(), Some("first:80"));
        assert_eq!(interpolate("${HOST_IP}:5432", &env), None, "unknown without a default");
        assert_eq!(interpolate("${X:?}", &env), None);
        assert_eq!(interpolate("${", &env), None);
        assert_eq!(interpolate("plain", &env).as_deref(), Some("plain"));
    }

    #[test]
    fn spans_and_references() {
        let t = "a $X ${Y:-${Z}} $$W";
        let parts = parse(t).unwrap();
        let names: Vec<_> = references(&parts).iter().map(|v| (v.name.as_str(), &t[v.span.clone()])).collect();
        assert_eq!(names, [("X", "$X"), ("Y", "${Y:-${Z}}"), ("Z", "${Z}")]);
        let y = references(&parts)[1];
        assert_eq!(&t[y.name_span.clone()], "Y");
        assert_eq!(y.op, Some(Op::DefaultIfEmpty));
    }

    /// Random texts over the characters that matter never panic, and spans stay in bounds.
    #[test]
    fn random_texts() {
        let alphabet: Vec<char> = "${}:-?+[]aZ_1 \n#é\"'\\".chars().collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            let mut t = String::new();
            for _ in 0..(seed % 24) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            match parse(&t) {
                Ok(parts) => {
                    for v in references(&parts) {
                        assert!(t.get(v.span.clone()).is_some() && t.get(v.name_span.clone()).is_some(), "{t:?}");
                    }
                }
                Err(e) => assert!(t.get(e.span.clone()).is_some(), "{t:?}"),
            }
            let _ = interpolate(&t, &Env::new());
            let _ = crate::compose::env::EnvFile::parse(&t);
        }
    }

    #[test]
    fn no_panics_and_linear() {
        for t in ["$", "${", "${A", "${A:", "${A:-", "${A:-}", "é${é}", "${A:-é}", "${A[", "${A[x]", "$\u{301}"] {
            let _ = parse(t);
            let _ = evaluate_str(t, &Env::new());
        }
        let big = "${A:-".repeat(20_000) + &"}".repeat(20_000);
        let t = std::time::Instant::now();
        let _ = evaluate_str(&big, &Env::new());
        let many = "${A:-x} $B ".repeat(50_000);
        assert!(evaluate_str(&many, &Env::new()).is_ok());
        assert!(t.elapsed().as_secs() < 5);
    }
}
