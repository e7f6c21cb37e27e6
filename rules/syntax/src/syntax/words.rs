//! Lexical pieces of instruction arguments: words, variable references and
//! JSON (exec-form) arrays, each with exact spans.

use super::logical::LogicalText;
use crate::text::Span;

/// A whitespace-separated word of an instruction's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The text as written (quotes kept, continuations removed).
    pub raw: String,
    /// The text with quotes and escapes removed.
    pub value: String,
    /// Logical range inside the instruction's argument text.
    pub logical: (usize, usize),
    /// Source span.
    pub span: Span,
}

/// Split `lt` into words the way BuildKit's lexer does: whitespace separates
/// words, quotes group, the escape character protects the next character.
pub fn split_words(lt: &LogicalText, escape: char) -> Vec<Word> {
    words_of(lt, escape).collect()
}

/// The words of `lt` one at a time (for callers that stop early, such as the
/// flag parser, which reads only the leading `--flag` words).
pub fn words_of(lt: &LogicalText, escape: char) -> Words<'_> {
    Words { lt, escape, at: 0 }
}

/// ASCII whitespace as `char::is_whitespace` sees it (vertical tab included).
fn ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// Iterator behind [`words_of`].
pub struct Words<'a> {
    lt: &'a LogicalText,
    escape: char,
    at: usize,
}

impl Iterator for Words<'_> {
    type Item = Word;

    fn next(&mut self) -> Option<Word> {
        let text = self.lt.text.as_str();
        let bytes = text.as_bytes();
        // Skip whitespace (ASCII quickly, anything else by character).
        loop {
            match bytes.get(self.at) {
                None => return None,
                Some(&b) if ascii_space(b) => self.at += 1,
                Some(b) if b.is_ascii() => break,
                Some(_) => {
                    let c = text[self.at..].chars().next()?;
                    if !c.is_whitespace() {
                        break;
                    }
                    self.at += c.len_utf8();
                }
            }
        }
        let start = self.at;
        // Fast path: a plain ASCII word (no quote, no escape) is its own value.
        let plain_end = bytes[start..]
            .iter()
            .position(|&b| ascii_space(b) || !b.is_ascii() || b == b'"' || b == b'\'' || b as char == self.escape)
            .map_or(bytes.len(), |n| start + n);
        if plain_end == bytes.len() || ascii_space(bytes[plain_end]) {
            self.at = plain_end;
            let raw = &text[start..plain_end];
            return Some(Word {
                raw: raw.to_string(),
                value: raw.to_string(),
                logical: (start, plain_end),
                span: self.lt.span(start, plain_end),
            });
        }
        let escape = self.escape;
        let mut value = String::with_capacity(plain_end - start + 8);
        let mut end = start;
        let mut quote: Option<char> = None;
        let mut chars = text[start..].char_indices().map(|(i, c)| (i + start, c)).peekable();
        while let Some(&(j, c)) = chars.peek() {
            if quote.is_none() && c.is_whitespace() {
                break;
            }
            chars.next();
            end = j + c.len_utf8();
            match quote {
                None if c == '"' || c == '\'' => quote = Some(c),
                Some(q) if c == q => quote = None,
                Some('\'') => value.push(c),
                _ if c == escape => {
                    if let Some(&(k, n)) = chars.peek() {
                        chars.next();
                        end = k + n.len_utf8();
                        // Inside double quotes only a few characters are escapable.
                        if quote == Some('"') && !matches!(n, '"' | '\\' | '$' | '`') && n != escape {
                            value.push(c);
                        }
                        value.push(n);
                    } else {
                        value.push(c);
                    }
                }
                _ => value.push(c),
            }
        }
        self.at = end;
        Some(Word { raw: text[start..end].to_string(), value, logical: (start, end), span: self.lt.span(start, end) })
    }
}

/// A `$NAME` or `${NAME...}` reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// The modifier operator (`:-`, `-`, `:+`, `+`, `:?`, `?`, or others such as `#`, `%`), if any.
    pub operator: Option<String>,
    /// The word after the operator (unexpanded).
    pub word: Option<String>,
    /// Logical range of the whole reference inside the text it was found in.
    pub logical: (usize, usize),
    /// Logical range of the name.
    pub name_logical: (usize, usize),
    pub span: Span,
    pub name_span: Span,
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Find variable references in `lt` outside single quotes and not escaped.
pub fn var_refs(lt: &LogicalText, escape: char) -> Vec<VarRef> {
    let text = lt.text.as_str();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut in_single = false;
    let mut in_double = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = text[i..].chars().next().unwrap_or('\0');
        let clen = c.len_utf8();
        if c == escape && !in_single {
            i += clen;
            if i < bytes.len() {
                i += text[i..].chars().next().map_or(1, char::len_utf8);
            }
            continue;
        }
        match c {
            '\'' if !in_double => in_single = !in_single,
            '"' if !in_single => in_double = !in_double,
            '$' if !in_single => {
                if let Some(r) = parse_ref(text, i) {
                    let next = r.logical.1;
                    out.push(VarRef {
                        span: lt.span(r.logical.0, r.logical.1),
                        name_span: lt.span(r.name_logical.0, r.name_logical.1),
                        ..r
                    });
                    i = next;
                    continue;
                }
            }
            _ => {}
        }
        i += clen;
    }
    out
}

/// Parse a reference starting at the `$` at byte `at`.
fn parse_ref(text: &str, at: usize) -> Option<VarRef> {
    let rest = &text[at + 1..];
    let first = rest.chars().next()?;
    if first == '{' {
        let inner_start = at + 2;
        let name_len = text[inner_start..].chars().take_while(|&c| is_name_char(c)).map(char::len_utf8).sum::<usize>();
        if name_len == 0 || !text[inner_start..].starts_with(is_name_start) {
            return None;
        }
        let name_end = inner_start + name_len;
        // Find the matching close brace, allowing nested ${...}.
        let mut depth = 1;
        let mut j = name_end;
        let bytes = text.as_bytes();
        while j < bytes.len() {
            match bytes[j] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        if j >= bytes.len() {
            return None;
        }
        let modifier = &text[name_end..j];
        let (operator, word) = if modifier.is_empty() {
            (None, None)
        } else {
            let op_len = [":-", ":+", ":?", ":=", "##", "%%", "-", "+", "?", "=", "#", "%", "/"]
                .iter()
                .find(|op| modifier.starts_with(**op))
                .map_or(0, |op| op.len());
            (Some(modifier[..op_len].to_string()), Some(modifier[op_len..].to_string()))
        };
        Some(VarRef {
            name: text[inner_start..name_end].to_string(),
            operator,
            word,
            logical: (at, j + 1),
            name_logical: (inner_start, name_end),
            span: Span::default(),
            name_span: Span::default(),
        })
    } else if is_name_start(first) {
        let name_len = rest.chars().take_while(|&c| is_name_char(c)).map(char::len_utf8).sum::<usize>();
        Some(VarRef {
            name: rest[..name_len].to_string(),
            operator: None,
            word: None,
            logical: (at, at + 1 + name_len),
            name_logical: (at + 1, at + 1 + name_len),
            span: Span::default(),
            name_span: Span::default(),
        })
    } else {
        None
    }
}

/// The result of expanding variables in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub value: String,
    /// Names that had no value and no default.
    pub unresolved: Vec<String>,
}

/// Expand `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+w}`, `${X+w}` using `lookup`.
/// Quotes are kept as they are. Unknown variables expand to the empty string and
/// are listed in `unresolved`.
pub fn expand(text: &str, escape: char, lookup: &dyn Fn(&str) -> Option<String>) -> Expanded {
    let mut value = String::new();
    let mut unresolved = Vec::new();
    let mut i = 0;
    let mut in_single = false;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or('\0');
        if c == escape && !in_single && text[i + c.len_utf8()..].starts_with('$') {
            value.push('$');
            i += c.len_utf8() + 1;
            continue;
        }
        if c == '\'' {
            in_single = !in_single;
        }
        if c == '$'
            && !in_single
            && let Some(r) = parse_ref(text, i)
        {
            let current = lookup(&r.name);
            let set = current.is_some();
            let nonempty = current.as_deref().is_some_and(|v| !v.is_empty());
            let word = || {
                let w = r.word.clone().unwrap_or_default();
                let inner = expand(&w, escape, lookup);
                inner.value
            };
            let piece = match r.operator.as_deref() {
                None => {
                    if !set {
                        unresolved.push(r.name.clone());
                    }
                    current.unwrap_or_default()
                }
                Some(":-") => {
                    if nonempty {
                        current.unwrap_or_default()
                    } else {
                        word()
                    }
                }
                Some("-") => {
                    if set {
                        current.unwrap_or_default()
                    } else {
                        word()
                    }
                }
                Some(":+") => {
                    if nonempty {
                        word()
                    } else {
                        String::new()
                    }
                }
                Some("+") => {
                    if set {
                        word()
                    } else {
                        String::new()
                    }
                }
                Some(_) => {
                    if !set {
                        unresolved.push(r.name.clone());
                    }
                    current.unwrap_or_default()
                }
            };
            value.push_str(&piece);
            i = r.logical.1;
            continue;
        }
        value.push(c);
        i += c.len_utf8();
    }
    Expanded { value, unresolved }
}

/// One string of a JSON array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonItem {
    pub value: String,
    pub logical: (usize, usize),
    pub span: Span,
}

/// Parse `text` as a JSON array of strings (exec form). `None` when it is not one,
/// in which case BuildKit falls back to shell form.
pub fn parse_json_array(lt: &LogicalText) -> Option<Vec<JsonItem>> {
    let text = lt.text.as_str();
    let bytes = text.as_bytes();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < bytes.len() && matches!(bytes[*i], b' ' | b'\t' | b'\r' | b'\n') {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    if bytes.get(i) != Some(&b'[') {
        return None;
    }
    i += 1;
    let mut items = Vec::new();
    skip_ws(&mut i);
    if bytes.get(i) == Some(&b']') {
        i += 1;
    } else {
        loop {
            skip_ws(&mut i);
            if bytes.get(i) != Some(&b'"') {
                return None;
            }
            let start = i;
            i += 1;
            let mut value = String::new();
            loop {
                let c = text.get(i..)?.chars().next()?;
                match c {
                    '"' => {
                        i += 1;
                        break;
                    }
                    '\\' => {
                        let n = text.get(i + 1..)?.chars().next()?;
                        i += 2;
                        match n {
                            '"' => value.push('"'),
                            '\\' => value.push('\\'),
                            '/' => value.push('/'),
                            'b' => value.push('\u{8}'),
                            'f' => value.push('\u{c}'),
                            'n' => value.push('\n'),
                            'r' => value.push('\r'),
                            't' => value.push('\t'),
                            'u' => {
                                let hex = text.get(i..i + 4)?;
                                let code = u32::from_str_radix(hex, 16).ok()?;
                                value.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                                i += 4;
                            }
                            _ => return None,
                        }
                    }
                    c if (c as u32) < 0x20 => return None,
                    c => {
                        value.push(c);
                        i += c.len_utf8();
                    }
                }
            }
            items.push(JsonItem { value, logical: (start, i), span: lt.span(start, i) });
            skip_ws(&mut i);
            match bytes.get(i) {
                Some(b',') => i += 1,
                Some(b']') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    skip_ws(&mut i);
    if i != bytes.len() {
        return None;
    }
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lt(s: &str) -> LogicalText {
        LogicalText::contiguous(s, 0)
    }

    #[test]
    fn words_respect_quotes_and_escapes() {
        let w = split_words(&lt(r#"a "b c" 'd e'f g\ h"#), '\\');
        let values: Vec<_> = w.iter().map(|w| w.value.as_str()).collect();
        assert_eq!(values, ["a", "b c", "d ef", "g h"]);
        assert_eq!(w[1].span, Span::new(2, 7));
    }

    #[test]
    fn refs_and_expansion() {
        let r = var_refs(&lt("${A:-x} $B '$C' \\$D ${E}"), '\\');
        let names: Vec<_> = r.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["A", "B", "E"]);
        assert_eq!(r[0].operator.as_deref(), Some(":-"));
        assert_eq!(r[0].span, Span::new(0, 7));
        let look = |n: &str| (n == "B").then(|| "bee".to_string());
        let e = expand("${A:-x}/$B/${B:+y}/${C}", '\\', &look);
        assert_eq!(e.value, "x/bee/y/");
        assert_eq!(e.unresolved, ["C"]);
    }

    #[test]
    fn json_arrays() {
        let items = parse_json_array(&lt(r#"["a", "b\"c" ]"#)).unwrap();
        assert_eq!(items[1].value, "b\"c");
        assert!(parse_json_array(&lt("['a']")).is_none());
        assert!(parse_json_array(&lt(r#"["a""#)).is_none());
        assert_eq!(parse_json_array(&lt("[]")).unwrap().len(), 0);
    }
}

/// Whether `text` (after leading blanks) is a valid JSON array with an
/// element that is not a string, such as `["a", 1]`. BuildKit's parser
/// (`line_parsers.go` `parseJSON`) refuses such an instruction ("arrays must
/// be comprised of strings only"), whereas text that is not valid JSON at all
/// falls back to the shell form.
pub fn is_json_array_of_non_strings(text: &str) -> bool {
    let b = text.trim_start_matches([' ', '\t', '\r', '\n']).as_bytes();
    if b.first() != Some(&b'[') {
        return false;
    }
    let mut non_string = false;
    let mut i = 1;
    let ws = |i: &mut usize| {
        while *i < b.len() && matches!(b[*i], b' ' | b'\t' | b'\r' | b'\n') {
            *i += 1;
        }
    };
    ws(&mut i);
    if b.get(i) == Some(&b']') {
        return false;
    }
    loop {
        ws(&mut i);
        non_string |= b.get(i) != Some(&b'"');
        let Some(next) = json_value(b, i, 0) else { return false };
        i = next;
        ws(&mut i);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b']') => break,
            _ => return false,
        }
    }
    i += 1;
    ws(&mut i);
    non_string && i == b.len()
}

/// The end of the JSON value starting at `i`, if it is one (nesting limited).
fn json_value(b: &[u8], mut i: usize, depth: usize) -> Option<usize> {
    if depth > 256 {
        return None;
    }
    let ws = |i: &mut usize| {
        while *i < b.len() && matches!(b[*i], b' ' | b'\t' | b'\r' | b'\n') {
            *i += 1;
        }
    };
    match *b.get(i)? {
        b'"' => {
            i += 1;
            loop {
                match *b.get(i)? {
                    b'"' => return Some(i + 1),
                    b'\\' => match *b.get(i + 1)? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                        b'u' if b.get(i + 2..i + 6)?.iter().all(u8::is_ascii_hexdigit) => i += 6,
                        _ => return None,
                    },
                    c if c < 0x20 => return None,
                    _ => i += 1,
                }
            }
        }
        open @ (b'[' | b'{') => {
            let close = if open == b'[' { b']' } else { b'}' };
            i += 1;
            ws(&mut i);
            if b.get(i) == Some(&close) {
                return Some(i + 1);
            }
            loop {
                ws(&mut i);
                if open == b'{' {
                    if b.get(i) != Some(&b'"') {
                        return None;
                    }
                    i = json_value(b, i, depth + 1)?;
                    ws(&mut i);
                    if b.get(i) != Some(&b':') {
                        return None;
                    }
                    i += 1;
                    ws(&mut i);
                }
                i = json_value(b, i, depth + 1)?;
                ws(&mut i);
                match *b.get(i)? {
                    b',' => i += 1,
                    c if c == close => return Some(i + 1),
                    _ => return None,
                }
            }
        }
        b't' => b[i..].starts_with(b"true").then_some(i + 4),
        b'f' => b[i..].starts_with(b"false").then_some(i + 5),
        b'n' => b[i..].starts_with(b"null").then_some(i + 4),
        b'-' | b'0'..=b'9' => {
            // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
            if b[i] == b'-' {
                i += 1;
            }
            let digits = |i: &mut usize| {
                let s = *i;
                while *i < b.len() && b[*i].is_ascii_digit() {
                    *i += 1;
                }
                *i > s
            };
            if b.get(i) == Some(&b'0') {
                i += 1;
            } else if !digits(&mut i) {
                return None;
            }
            if b.get(i) == Some(&b'.') {
                i += 1;
                if !digits(&mut i) {
                    return None;
                }
            }
            if matches!(b.get(i), Some(b'e' | b'E')) {
                i += 1;
                if matches!(b.get(i), Some(b'+' | b'-')) {
                    i += 1;
                }
                if !digits(&mut i) {
                    return None;
                }
            }
            Some(i)
        }
        _ => None,
    }
}

#[cfg(test)]
mod json_tests {
    use super::is_json_array_of_non_strings as bad;

    #[test]
    fn arrays_with_non_strings() {
        for t in ["[\"a\", 1]", " [1]", "[\"a\", null]", "[true]", "[\"a\", [\"b\"]]", "[{\"k\": -1.5e3}]\n"] {
            assert!(bad(t), "{t}");
        }
        // Not valid JSON (shell form) or only strings (exec form): not this error.
        for t in ["[\"a\" \"b\"]", "['a']", "[\"a\", 1] x", "[1,]", "[01]", "[\"a\"]", "[]", "echo [1]", "[\"a\", tru]"]
        {
            assert!(!bad(t), "{t}");
        }
    }
}
