//! The YAML tree of a Compose file, built from libyaml events (the
//! `libyaml-safer` port; Compose's go-yaml is a Go port of the same libyaml)
//! with a byte [`Span`] on every node and key, key order and duplicate keys kept.

use crate::text::{LineIndex, Span};
use libyaml_safer::{EventData, MappingStyle, Mark, Parser, SequenceStyle};

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

impl Style {
    fn of(s: libyaml_safer::ScalarStyle) -> Style {
        match s {
            libyaml_safer::ScalarStyle::SingleQuoted => Style::SingleQuoted,
            libyaml_safer::ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
            libyaml_safer::ScalarStyle::Literal => Style::Literal,
            libyaml_safer::ScalarStyle::Folded => Style::Folded,
            _ => Style::Plain,
        }
    }
}

/// A mapping key: its text (scalar value, or the source text of a complex key) and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub text: String,
    pub span: Span,
    pub style: Style,
    /// In a resolved view: the `<<` merge key that brought this entry in.
    pub via: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Entries in source order, duplicates kept.
    Map(Vec<(Key, Node)>),
    Seq(Vec<Node>),
    Scalar {
        text: String,
        style: Style,
    },
    /// `*name`, by the parser's anchor id (only in the raw tree).
    Alias(usize),
    /// An empty document.
    Null,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node is written (for alias or merge content: at the anchor).
    pub span: Span,
    pub kind: Kind,
    /// The anchor id defined on this node (0: none).
    pub anchor: usize,
    /// In a resolved view: the alias or `<<` key through which this node was reached.
    pub via: Option<Span>,
    /// Which file of a merged project wrote it (see `compose::merge`); 0 in a
    /// file's own tree, where it is the file itself.
    pub file: u16,
}

/// A YAML error with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub span: Span,
    /// Another place that explains it (where the reader stopped, or where the
    /// construct it was reading began), with what it is.
    pub related: Option<(Span, String)>,
}

impl YamlError {
    fn at(span: Span, message: impl Into<String>) -> YamlError {
        YamlError { message: message.into(), span, related: None }
    }
}

/// Deepest nesting accepted (deeper input is refused, so nothing recurses without bound).
pub const MAX_DEPTH: usize = 256;

impl Node {
    pub fn is_null(&self) -> bool {
        match &self.kind {
            Kind::Null => true,
            Kind::Scalar { text, style: Style::Plain } => matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"),
            _ => false,
        }
    }

    /// The scalar text, if a scalar.
    pub fn str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn style(&self) -> Option<Style> {
        match &self.kind {
            Kind::Scalar { style, .. } => Some(*style),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.kind {
            Kind::Map(e) => e,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.kind {
            Kind::Seq(v) => v,
            _ => &[],
        }
    }

    /// The last value of `key` (YAML loaders keep the last duplicate).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        self.entries().iter().rev().find(|(k, _)| k.text == key).map(|(k, v)| (k, v))
    }

    /// Compose's reading of the value of a boolean field (`privileged`,
    /// `external`, ...): a YAML boolean, or a string that compose-go casts
    /// (its `toBoolean`, applied to every string in a boolean field, quoted or
    /// not): `true`/`false`, and with a warning `y`/`yes`/`on`/`n`/`no`/`off`,
    /// in any case. `None` for anything else (a variable, a typo).
    pub fn compose_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Scalar { text, .. } => match text.to_ascii_lowercase().as_str() {
                "true" | "y" | "yes" | "on" => Some(true),
                "false" | "n" | "no" | "off" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// Compose's reading of a plain scalar as an integer: go-yaml reads
    /// leading-zero integers (`0755`) as octal, as YAML 1.1 does, where YAML 1.2
    /// reads 755.
    pub fn compose_int(&self) -> Option<i64> {
        match &self.kind {
            Kind::Scalar { text, style: Style::Plain } => compose_int(text),
            _ => None,
        }
    }
}

/// `0755` → 493, `0o755` → 493, `0x1F` → 31, `-12` → -12, `+3` → 3; `_` separators
/// are accepted as YAML 1.1 does.
pub fn compose_int(text: &str) -> Option<i64> {
    let (neg, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let clean: String = body.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() {
        return None;
    }
    let v = if let Some(h) = clean.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()?
    } else if let Some(o) = clean.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()?
    } else if let Some(b) = clean.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()?
    } else if clean.len() > 1 && clean.starts_with('0') {
        i64::from_str_radix(&clean[1..], 8).ok()?
    } else if clean.bytes().all(|b| b.is_ascii_digit()) {
        clean.parse().ok()?
    } else {
        return None;
    };
    Some(if neg { -v } else { v })
}

/// Byte offsets of libyaml marks. libyaml counts bytes after a leading BOM,
/// which it skips without counting.
struct Pos<'t> {
    text: &'t str,
    bom: usize,
}

impl Pos<'_> {
    fn byte(&self, m: Mark) -> usize {
        let mut at = (m.index as usize).saturating_add(self.bom).min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// The first character at `at` (or the empty span at the end of the text).
    fn char_at(&self, at: usize) -> Span {
        let at = at.min(self.text.len());
        let end = self.text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        Span::new(at, end)
    }
}

enum Frame {
    Map { start: usize, flow: bool, anchor: usize, entries: Vec<(Key, Node)>, key: Option<Node> },
    Seq { start: usize, flow: bool, anchor: usize, items: Vec<Node> },
}

/// Anchor names in order of definition; an anchor's id is its index + 1, and an
/// alias refers to the newest definition of its name (as go-yaml does).
#[derive(Default)]
struct Anchors(Vec<String>);

impl Anchors {
    fn define(&mut self, name: Option<String>) -> usize {
        match name {
            Some(n) => {
                self.0.push(n);
                self.0.len()
            }
            None => 0,
        }
    }
    fn find(&self, name: &str) -> Option<usize> {
        self.0.iter().rposition(|n| n == name).map(|i| i + 1)
    }
}

/// Parse the first document of `text` as Compose reads YAML (go-yaml, a port
/// of libyaml): later documents are left to [`super::project`].
pub fn parse(text: &str, _lines: &LineIndex) -> Result<Node, YamlError> {
    read(text, &mut Vec::new())
}

/// Where `text` fails to load: the key of the top-level entry the reader was
/// inside, and the key of the service when that entry is a block `services:`
/// mapping and the reader was inside one of its services.
pub fn entry_at_error(text: &str) -> Option<(Span, Option<Span>)> {
    let mut stack = Vec::new();
    read(text, &mut stack).err()?;
    entry_of(&stack)
}

/// Where a read failed: the key of the top-level entry, and of the service
/// when inside a block `services:` mapping (see [`entry_at_error`]).
pub type ErrorEntry = (Span, Option<Span>);

/// [`parse`], and when it fails, also [`entry_at_error`]'s answer from the
/// same reading (one pass over the text instead of two).
pub fn parse_at(text: &str) -> Result<Node, (YamlError, Option<ErrorEntry>)> {
    let mut stack = Vec::new();
    read(text, &mut stack).map_err(|e| (e, entry_of(&stack)))
}

/// The top-level entry (and service) the collections open on `stack` are in.
fn entry_of(stack: &[Frame]) -> Option<(Span, Option<Span>)> {
    let Some(Frame::Map { flow: false, key: Some(top), .. }) = stack.first() else {
        return None;
    };
    let service = match stack.get(1) {
        Some(Frame::Map { flow: false, key: Some(service), .. }) if top.str() == Some("services") => Some(service.span),
        _ => None,
    };
    Some((top.span, service))
}

/// The text handed to libyaml-safer a few KiB at a time. Given the whole
/// slice at once, its reader copies every character into its queue before
/// the first token (a queue four times the file's size, grown by doubling);
/// in pieces, it reads ahead only as far as the scanner needs. Pieces end on
/// character boundaries.
struct Chunks<'t> {
    text: &'t str,
    at: usize,
}

impl Chunks<'_> {
    const SIZE: usize = 4096;
}

impl std::io::Read for Chunks<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let rest = &self.text.as_bytes()[self.at..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.at += n;
        Ok(n)
    }
}

impl std::io::BufRead for Chunks<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let mut end = (self.at + Self::SIZE).min(self.text.len());
        while end < self.text.len() && !self.text.is_char_boundary(end) {
            end += 1;
        }
        Ok(&self.text.as_bytes()[self.at..end])
    }

    fn consume(&mut self, amount: usize) {
        self.at = (self.at + amount).min(self.text.len());
    }
}

/// [`build`] with its panics caught; `stack` holds the collections open when it stopped.
fn read(text: &str, stack: &mut Vec<Frame>) -> Result<Node, YamlError> {
    // libyaml-safer can panic where the text ends inside a token (C libyaml
    // reads NUL padding there): it reads the text with a final line break, and
    // a panic left is caught and reported, never passed on.
    let owned;
    let src = if text.is_empty() || text.ends_with('\n') {
        text
    } else {
        owned = format!("{text}\n");
        owned.as_str()
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build(text, src, stack))).unwrap_or_else(|_| {
        Err(match tag_before_comma(text) {
            // libyaml-safer 0.3 panics there ("TODO"), where libyaml and go-yaml
            // end the tag and read an empty value.
            Some(at) => YamlError::at(
                Span::new(at, text[at..].find(',').map_or(at, |i| at + i)),
                "berth's YAML reader cannot read a tag directly followed by `,` in a flow collection (Compose reads an empty value there); put a space or a value after the tag",
            ),
            None => YamlError::at(Span::empty(0), "the YAML reader failed on this text (an internal error of libyaml-safer)"),
        })
    })
}

/// The first `!tag` that ends at a `,`.
fn tag_before_comma(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    b.iter().enumerate().filter(|&(_, &c)| c == b'!').map(|(i, _)| i).find(|&i| {
        let end = b[i + 1..]
            .iter()
            .position(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b',' | b'[' | b']' | b'{' | b'}'));
        end.is_some_and(|e| b[i + 1 + e] == b',')
    })
}

/// The tree of the first document of `text`, read from `src` (`text`, maybe
/// with a line break added).
fn build(text: &str, src: &str, stack: &mut Vec<Frame>) -> Result<Node, YamlError> {
    let pos = Pos { text, bom: if text.starts_with('\u{feff}') { 3 } else { 0 } };
    let mut root: Option<Node> = None;
    let mut anchors = Anchors::default();
    let mut done = false;
    let mut parser = Parser::new();
    parser.set_input(Chunks { text: src, at: 0 });
    loop {
        let ev = parser.parse().map_err(|e| syntax_error(&pos, &e))?;
        let (a, b) = (pos.byte(ev.start_mark), pos.byte(ev.end_mark));
        let node = match ev.data {
            EventData::StreamEnd => break,
            // After the first document: what comes before the next `---` still
            // belongs to it (go-yaml refuses a bare document after `...`).
            EventData::DocumentStart { .. } if done => break,
            EventData::DocumentEnd { .. } => {
                done = true;
                None
            }
            EventData::DocumentStart { version_directive: Some(v), .. } if (v.major, v.minor) != (1, 1) => {
                return Err(YamlError::at(
                    pos.char_at(a),
                    format!(
                        "found incompatible YAML document: `%YAML {}.{}`; Compose's YAML reader (go-yaml) accepts only `%YAML 1.1` (or no directive)",
                        v.major, v.minor
                    ),
                ));
            }
            // A node with an `&anchor` or a `!tag` starts at its first property.
            EventData::Scalar { anchor, value, style, .. } => Some(Node {
                span: Span::new(a, b.max(a)),
                kind: Kind::Scalar { text: value, style: Style::of(style) },
                anchor: anchors.define(anchor),
                via: None,
                file: 0,
            }),
            EventData::Alias { anchor } => {
                let Some(id) = anchors.find(&anchor) else {
                    return Err(YamlError::at(Span::new(a, b.max(a)), format!("unknown anchor '{anchor}' referenced")));
                };
                Some(Node { span: Span::new(a, b.max(a)), kind: Kind::Alias(id), anchor: 0, via: None, file: 0 })
            }
            EventData::MappingStart { anchor, style, .. } => {
                open(stack, &pos, a)?;
                let flow = style == MappingStyle::Flow;
                stack.push(Frame::Map {
                    start: a,
                    flow,
                    anchor: anchors.define(anchor),
                    entries: Vec::new(),
                    key: None,
                });
                None
            }
            EventData::SequenceStart { anchor, style, .. } => {
                open(stack, &pos, a)?;
                let flow = style == SequenceStyle::Flow;
                stack.push(Frame::Seq { start: a, flow, anchor: anchors.define(anchor), items: Vec::new() });
                None
            }
            EventData::MappingEnd | EventData::SequenceEnd => {
                // A flow collection ends at its bracket; a block one at its last
                // child (the parser's end marker sits at the next token).
                let end = |start: usize, flow: bool, last: Option<usize>| {
                    if flow { b } else { last.unwrap_or(start) }.max(start)
                };
                match stack.pop() {
                    Some(Frame::Map { start, flow, anchor, entries, .. }) => {
                        let last = entries.last().map(|(k, v)| k.span.end.max(v.span.end));
                        Some(Node {
                            span: Span::new(start, end(start, flow, last)),
                            kind: Kind::Map(entries),
                            anchor,
                            via: None,
                            file: 0,
                        })
                    }
                    Some(Frame::Seq { start, flow, anchor, items }) => {
                        let last = items.last().map(|v| v.span.end);
                        Some(Node {
                            span: Span::new(start, end(start, flow, last)),
                            kind: Kind::Seq(items),
                            anchor,
                            via: None,
                            file: 0,
                        })
                    }
                    None => None,
                }
            }
            _ => None,
        };
        let Some(mut node) = node else { continue };
        match stack.last_mut() {
            None => {
                if root.is_none() {
                    root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    let (ktext, kstyle) = match &k.kind {
                        Kind::Scalar { text, style } => (text.clone(), *style),
                        _ => (text.get(k.span.start..k.span.end).unwrap_or("").to_string(), Style::Plain),
                    };
                    // An empty value is placed at the next token; a value's
                    // span never starts before its key ends.
                    if node.span.start < k.span.end {
                        node.span = Span::new(k.span.end, node.span.end.max(k.span.end));
                    }
                    entries.push((Key { text: ktext, span: k.span, style: kstyle, via: None }, node));
                }
            },
        }
    }
    Ok(root.unwrap_or(Node { span: Span::empty(0), kind: Kind::Null, anchor: 0, via: None, file: 0 }))
}

/// Refuse nesting deeper than [`MAX_DEPTH`].
fn open(stack: &[Frame], pos: &Pos<'_>, a: usize) -> Result<(), YamlError> {
    if stack.len() >= MAX_DEPTH {
        return Err(YamlError::at(pos.char_at(a), format!("nesting deeper than {MAX_DEPTH} levels")));
    }
    Ok(())
}

/// A libyaml error as berth reports it: at its cause where that is known (a
/// bracket or quote that is never closed, where it opens), else where the
/// reader stopped, naming the construct it was reading and where that began.
fn syntax_error(pos: &Pos<'_>, e: &libyaml_safer::Error) -> YamlError {
    let problem = e.problem();
    let Some(pm) = e.problem_mark() else {
        // A reader error (a character YAML does not allow): at that character.
        let bad = pos.text.char_indices().skip(usize::from(pos.bom > 0)).find(|&(_, c)| !printable(c));
        let at = bad.map_or(pos.text.len(), |(i, _)| i);
        let what = bad.map_or(String::new(), |(_, c)| format!(" (U+{:04X})", c as u32));
        return YamlError::at(pos.char_at(at), format!("{problem}{what}"));
    };
    let at = pos.byte(pm);
    let (Some(context), Some(cm)) = (e.context(), e.context_mark()) else {
        return YamlError::at(pos.char_at(at), problem);
    };
    let opened = pos.byte(cm);
    let what = context.trim_start_matches("while ").trim_start_matches("parsing ").trim_start_matches("scanning ");
    let opener = pos.text[opened..].chars().next().unwrap_or(' ');
    let at_end = at >= pos.text.trim_end().len();
    if matches!(what, "a flow sequence" | "a flow mapping") && matches!(opener, '[' | '{') && !closes(pos.text, opened)
    {
        let close = if opener == '[' { ']' } else { '}' };
        let mut e = YamlError::at(pos.char_at(opened), format!("this `{opener}` is never closed ({problem})"));
        if !at_end {
            e.related = Some((pos.char_at(at), format!("the reader stopped here, looking for `,` or `{close}`")));
        }
        return e;
    }
    if what == "a quoted scalar" && at_end {
        return YamlError::at(pos.char_at(opened), format!("this quoted string is never closed ({problem})"));
    }
    YamlError {
        message: format!("{problem} ({context})"),
        span: pos.char_at(at),
        related: Some((pos.char_at(opened), format!("{what} starts here"))),
    }
}

/// The characters libyaml reads (`yaml_parser_update_buffer`'s check, as in
/// go-yaml's `readerc.go`).
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

/// Whether the flow collection opened at `open` has its closing bracket
/// (brackets counted outside quotes and comments, roughly as a flow scanner
/// sees them; used only to place an error).
fn closes(text: &str, open: usize) -> bool {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    let mut prev = b' ';
    while i < b.len() {
        let c = b[i];
        match c {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return true;
                }
            }
            b'#' if matches!(prev, b' ' | b'\t' | b'\n' | b'\r' | b',' | b'[' | b'{' | b']' | b'}' | b'"' | b'\'') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                prev = b'\n';
                continue;
            }
            b'"' | b'\'' if matches!(prev, b' ' | b'\t' | b'\n' | b'\r' | b',' | b'[' | b'{' | b':') => {
                i += 1;
                while i < b.len() {
                    if b[i] == c {
                        if c == b'\'' && b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    if c == b'"' && b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        prev = b.get(i).copied().unwrap_or(b' ');
        i += 1;
    }
    false
}

/// Most nodes an alias expansion may produce before the file is refused.
pub const MAX_EXPANDED_NODES: usize = 100_000;

/// The resolved view: aliases replaced by (copies of) their anchors' nodes and
/// `<<` merge keys applied (explicit keys win, then the first merged source).
/// Copied nodes keep the spans where they were written and record in `via`
/// the alias or merge key that brought them in.
pub fn resolve(root: &Node) -> Result<Node, YamlError> {
    let mut r = Resolver { anchors: Vec::new(), budget: MAX_EXPANDED_NODES };
    r.node(root, None, 0)
}

struct Resolver {
    anchors: Vec<(usize, Node)>,
    budget: usize,
}

impl Resolver {
    fn spend(&mut self, at: Span) -> Result<(), YamlError> {
        if self.budget == 0 {
            return Err(YamlError::at(
                at,
                format!(
                    "aliases expand to more than {MAX_EXPANDED_NODES} nodes (an alias bomb?); berth refuses the file"
                ),
            ));
        }
        self.budget -= 1;
        Ok(())
    }

    fn node(&mut self, n: &Node, via: Option<Span>, depth: usize) -> Result<Node, YamlError> {
        self.spend(n.span)?;
        if depth > MAX_DEPTH * 4 {
            return Err(YamlError::at(n.span, "aliases nest too deeply"));
        }
        let kind = match &n.kind {
            Kind::Alias(id) => {
                let Some(target) = self.anchors.iter().rev().find(|(a, _)| a == id).map(|(_, t)| t.clone()) else {
                    return Err(YamlError::at(n.span, "alias to an unknown anchor"));
                };
                // The anchor's resolved copy, re-counted so repeated use is paid for.
                return self.copy(&target, Some(via.unwrap_or(n.span)), depth + 1);
            }
            Kind::Seq(items) => {
                Kind::Seq(items.iter().map(|i| self.node(i, via, depth + 1)).collect::<Result<_, _>>()?)
            }
            Kind::Map(entries) => {
                let mut out: Vec<(Key, Node)> = Vec::new();
                let mut merged: Vec<(Key, Node)> = Vec::new();
                for (k, v) in entries {
                    if k.text == "<<" && k.style == Style::Plain {
                        let v = self.node(v, via, depth + 1)?;
                        let sources: Vec<&Node> = match &v.kind {
                            Kind::Seq(items) => items.iter().collect(),
                            _ => vec![&v],
                        };
                        for s in sources {
                            for (mk, mv) in s.entries() {
                                if !merged.iter().any(|(x, _)| x.text == mk.text) {
                                    let mut mk = mk.clone();
                                    mk.via.get_or_insert(k.span);
                                    let mut mv = mv.clone();
                                    mv.via.get_or_insert(k.span);
                                    merged.push((mk, mv));
                                }
                            }
                        }
                        continue;
                    }
                    let mut key = k.clone();
                    key.via = key.via.or(via);
                    out.push((key, self.node(v, via, depth + 1)?));
                }
                for (mk, mv) in merged {
                    if !out.iter().any(|(k, _)| k.text == mk.text) {
                        out.push((mk, mv));
                    }
                }
                Kind::Map(out)
            }
            other => other.clone(),
        };
        let node = Node { span: n.span, kind, anchor: n.anchor, via: n.via.or(via), file: n.file };
        if n.anchor != 0 {
            self.anchors.push((n.anchor, node.clone()));
        }
        Ok(node)
    }

    /// Copy an already resolved node, counting every node against the budget.
    fn copy(&mut self, n: &Node, via: Option<Span>, depth: usize) -> Result<Node, YamlError> {
        self.spend(n.span)?;
        if depth > MAX_DEPTH * 4 {
            return Err(YamlError::at(n.span, "aliases nest too deeply"));
        }
        let kind = match &n.kind {
            Kind::Seq(items) => {
                Kind::Seq(items.iter().map(|i| self.copy(i, via, depth + 1)).collect::<Result<_, _>>()?)
            }
            Kind::Map(entries) => Kind::Map(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let mut k = k.clone();
                        k.via = k.via.or(via);
                        Ok((k, self.copy(v, via, depth + 1)?))
                    })
                    .collect::<Result<_, YamlError>>()?,
            ),
            other => other.clone(),
        };
        Ok(Node { span: n.span, kind, anchor: 0, via: n.via.or(via), file: n.file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Node, YamlError> {
        parse(text, &LineIndex::new(text))
    }

    fn slice(text: &str, s: Span) -> &str {
        &text[s.start..s.end]
    }

    /// Inputs that Compose (go-yaml) reads and a strict YAML 1.2 reader refuses.
    #[test]
    fn accepts_what_go_yaml_accepts() {
        let cases = [
            // A closing bracket at the indentation of its key.
            "services:\n  web:\n    healthcheck:\n      test: [\n          \"CMD-SHELL\",\n          \"curl -f http://localhost\"\n      ]\n",
            // ... with a comment inside the flow collection.
            "services:\n  web:\n    healthcheck:\n      test: [\n          \"CMD-SHELL\",\n          # a comment\n          \"curl\"\n      ]\n",
            // Items at column 0.
            "command: [a,\nb]\n",
            "services:\n  web:\n    command: [\"sh\", \"-c\",\n  \"echo hi\"]\n",
            // Multi-line flow mappings, closing brace at the key's indentation.
            "environment: {\n  \"A\": \"1\"\n}\n",
            "services:\n  web:\n    environment: {\n      \"A\": \"1\"\n    }\n",
            "ports:\n  - {\n    target: 80\n  }\n",
            // A quoted scalar continued at column 0.
            "services:\n  web:\n    command: \"echo\nhi\"\n",
            // TABs after `:` and as indentation inside a flow collection.
            "image:\tnginx\n",
            "x:\n  stop_grace_period:\t10\n",
            "x:\n  y: [\n\ta,\n\tb ]\n",
            // `#` right after `,`, a closing bracket or a closing quote.
            "cmd: [a,# note\n  b]\n",
            "image: \"nginx\"# note\n",
            "ports: [80]# note\n",
            // `?` inside a plain scalar in a flow collection (go-yaml v4, Compose v5).
            "cmd: [curl, http://x/?a=1]\n",
            // A `%YAML 1.1` directive.
            "%YAML 1.1\n---\nservices: {}\n",
        ];
        for text in cases {
            let root = load(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
            assert!(matches!(root.kind, Kind::Map(_)), "{text:?}");
        }
    }

    #[test]
    fn spans_of_multi_line_flow_collections() {
        let text = "services:\n  web:\n    healthcheck:\n      test: [\n          \"CMD-SHELL\",\n          # c\n          \"curl\"\n      ]\n    image: x\n";
        let root = load(text).unwrap();
        let web = root.get("services").unwrap().get("web").unwrap();
        let test = web.get("healthcheck").unwrap().get("test").unwrap();
        assert!(slice(text, test.span).starts_with('[') && slice(text, test.span).ends_with(']'));
        let items: Vec<_> = test.items().iter().map(|i| slice(text, i.span)).collect();
        assert_eq!(items, ["\"CMD-SHELL\"", "\"curl\""]);
        assert_eq!(web.get("image").unwrap().str(), Some("x"));
        let env = load("environment: {\n  A: 1,\n  \"B\": x\n}\n").unwrap();
        let env = env.get("environment").unwrap();
        assert_eq!(env.entries().len(), 2);
        assert_eq!(env.entries()[1].0.style, Style::DoubleQuoted);
        assert_eq!(env.span.end, "environment: {\n  A: 1,\n  \"B\": x\n}".len());
    }

    #[test]
    fn anchors_aliases_and_byte_order_mark() {
        let text = "\u{feff}x: &a {p: 1}\ny: *a\nz: &a 2\nw: *a\n";
        let root = load(text).unwrap();
        let (x, y, z, w) =
            (root.get("x").unwrap(), root.get("y").unwrap(), root.get("z").unwrap(), root.get("w").unwrap());
        assert_eq!(slice(text, root.entries()[0].0.span), "x");
        assert_eq!(slice(text, x.span), "&a {p: 1}");
        assert_eq!(slice(text, y.span), "*a");
        assert!(matches!(y.kind, Kind::Alias(id) if id == x.anchor));
        // A redefined anchor: later aliases take the newest definition.
        assert!(matches!(w.kind, Kind::Alias(id) if id == z.anchor && id != x.anchor));
        // Line breaks of two bytes.
        let text = "a: b\r\nc: [x,\r\n  y]\r\n";
        let c = load(text).unwrap();
        let c = c.get("c").unwrap();
        assert_eq!(slice(text, c.span), "[x,\r\n  y]");
        assert_eq!(slice(text, c.items()[1].span), "y");
        // A character YAML does not allow: reported at it.
        let text = "a: b\nc: d\u{7}e\n";
        assert_eq!(load(text).unwrap_err().span.start, text.find('\u{7}').unwrap());
        // A tag right before `,` in a flow collection: libyaml-safer panics
        // there; the panic is caught and the place named.
        let text = "services:\n  web:\n    ports: [!reset, \"80:80\"]\n";
        let e = load(text).unwrap_err();
        assert_eq!(slice(text, e.span), "!reset");
        let e = load("a: *nope\n").unwrap_err();
        assert!(e.message.contains("unknown anchor 'nope'"), "{}", e.message);
        assert_eq!(slice("a: *nope\n", e.span), "*nope");
    }

    /// Inputs that Compose refuses although some YAML readers accept them.
    #[test]
    fn refuses_what_go_yaml_refuses() {
        for (text, says) in [
            ("cmd:\n  -\tls\n", "cannot start any token"),
            ("a: 1\n...\nb: 2\n", "document start"),
            ("%YAML 1.2\n---\nservices: {}\n", "%YAML 1.2"),
            ("services:\n\tweb: {}\n", "cannot start any token"),
            ("--- services: {}\n", "mapping values are not allowed"),
        ] {
            let e = load(text).expect_err(text);
            assert!(e.message.contains(says), "{text:?}: {}", e.message);
        }
    }

    #[test]
    fn errors_point_at_their_cause() {
        // An unclosed `[`: at the bracket, not at the end of the file.
        let text = "services:\n  web:\n    image: [nginx\n    ports:\n      - \"80:80\"\n  db:\n    image: postgres\n";
        let e = load(text).unwrap_err();
        assert_eq!(e.span.start, text.find('[').unwrap(), "{}", e.message);
        assert!(e.message.contains("never closed"), "{}", e.message);
        let (stop, what) = e.related.unwrap();
        assert_eq!(stop.start, text.find("ports").unwrap() + "ports".len(), "{what}");
        // A key at the wrong indentation: where it is, with the mapping it breaks.
        let text = "services:\n  web:\n    image: nginx\n   bad: x\n";
        let e = load(text).unwrap_err();
        assert_eq!(e.span.start, text.find("bad").unwrap(), "{}", e.message);
        assert_eq!(e.related.unwrap().0.start, text.find("web").unwrap());
        let text = "services:\n  web:\n    environment: {A: 1\n";
        let e = load(text).unwrap_err();
        assert_eq!(e.span.start, text.find('{').unwrap(), "{}", e.message);
        // An unclosed quote: at the quote.
        let text = "services:\n  web:\n    command: \"echo hi\n    image: x\n";
        let e = load(text).unwrap_err();
        assert_eq!(e.span.start, text.find('"').unwrap(), "{}", e.message);
        // A closed bracket with a bad item: where the reader stopped.
        let text = "cmd: [a b: c: d]\n";
        let e = load(text).unwrap_err();
        assert!(e.span.start > text.find('[').unwrap(), "{}", e.message);
        // A stray value indicator: at it.
        let text = "services:\n  web:\n    ports:\n      - \"8080:80\": x: y\n";
        let e = load(text).unwrap_err();
        assert_eq!(slice(text, e.span), ":");
        assert_eq!(e.message, "mapping values are not allowed in this context");
    }

    #[test]
    fn depth_is_limited_and_nothing_panics() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert!(load(&deep).unwrap_err().message.contains("nesting deeper"));
        for t in [
            "",
            "---",
            "...",
            "[",
            "{",
            "'",
            "\"\\",
            "a: \"\\u12\"",
            "\t",
            "\r",
            "\u{feff}",
            "- - -",
            "? ? ?",
            "&",
            "*",
            "!",
            "%",
            "%YAML",
            "a: |\n\tb",
            "[a,# x",
            "{a: [b, {c: ]",
            "{!,&xxa ]\r\n",
            "[!,]",
            "a: \"\\",
        ] {
            let _ = load(t);
        }
    }
}
