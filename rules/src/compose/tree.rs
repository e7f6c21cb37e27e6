//! The YAML tree of a Compose file, built from saphyr-parser events with a
//! byte [`Span`] on every node and key, key order and duplicate keys kept.

use crate::text::{LineCol, LineIndex, Span};
use saphyr_parser::{Event, Parser};

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
    fn of(s: saphyr_parser::ScalarStyle) -> Style {
        match s {
            saphyr_parser::ScalarStyle::Plain => Style::Plain,
            saphyr_parser::ScalarStyle::SingleQuoted => Style::SingleQuoted,
            saphyr_parser::ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
            saphyr_parser::ScalarStyle::Literal => Style::Literal,
            saphyr_parser::ScalarStyle::Folded => Style::Folded,
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

/// Converts saphyr's markers (1-based line, 0-based column in characters) to bytes.
struct Pos<'t> {
    text: &'t str,
    lines: &'t LineIndex,
}

impl Pos<'_> {
    fn byte(&self, m: saphyr_parser::Marker) -> usize {
        if m.line() == 0 {
            return self.text.len().min(m.index());
        }
        self.lines.offset_of_char_pos(self.text, LineCol { line: m.line() - 1, col: m.col() })
    }
    fn span(&self, s: saphyr_parser::Span) -> Span {
        let a = self.byte(s.start);
        let b = self.byte(s.end).max(a);
        Span::new(a, b)
    }
}

enum Frame {
    Map { start: usize, anchor: usize, entries: Vec<(Key, Node)>, key: Option<Node> },
    Seq { start: usize, anchor: usize, items: Vec<Node> },
}

/// Parse the first document of `text` (later documents are ignored, as Compose does not use them).
pub fn parse(text: &str, lines: &LineIndex) -> Result<Node, YamlError> {
    let pos = Pos { text, lines };
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let error_at = |m: saphyr_parser::Marker, message: String| {
        let at = pos.byte(m).min(text.len());
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        YamlError { message, span: Span::new(at, end) }
    };
    for ev in Parser::new_from_str(text) {
        let (ev, span) = ev.map_err(|e| error_at(*e.marker(), e.info().to_string()))?;
        let node = match ev {
            Event::DocumentEnd if root.is_some() => break,
            Event::Scalar(v, style, anchor, _) => Some(Node {
                span: pos.span(span),
                kind: Kind::Scalar { text: v.into_owned(), style: Style::of(style) },
                anchor,
                via: None,
                file: 0,
            }),
            Event::Alias(id) => {
                Some(Node { span: pos.span(span), kind: Kind::Alias(id), anchor: 0, via: None, file: 0 })
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(error_at(span.start, format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                let start = pos.byte(span.start);
                stack.push(if matches!(ev, Event::MappingStart(..)) {
                    Frame::Map { start, anchor, entries: Vec::new(), key: None }
                } else {
                    Frame::Seq { start, anchor, items: Vec::new() }
                });
                None
            }
            Event::MappingEnd | Event::SequenceEnd => {
                // A flow collection ends at its bracket; a block one at its last
                // child (the parser's end marker sits at the next token).
                let event_end = pos.byte(span.end);
                let end = |start: usize, last: Option<usize>| {
                    if text.get(start..).is_some_and(|t| t.starts_with(['{', '['])) {
                        event_end
                    } else {
                        last.unwrap_or(start)
                    }
                    .max(start)
                };
                match stack.pop() {
                    Some(Frame::Map { start, anchor, entries, .. }) => {
                        let last = entries.last().map(|(k, v)| k.span.end.max(v.span.end));
                        Some(Node {
                            span: Span::new(start, end(start, last)),
                            kind: Kind::Map(entries),
                            anchor,
                            via: None,
                            file: 0,
                        })
                    }
                    Some(Frame::Seq { start, anchor, items }) => {
                        let last = items.last().map(|v| v.span.end);
                        Some(Node {
                            span: Span::new(start, end(start, last)),
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
                    // A block mapping's end marker can sit past trailing comments; a
                    // value's span never starts before its key.
                    if node.span.start < k.span.start {
                        node.span.start = k.span.end;
                    }
                    entries.push((Key { text: ktext, span: k.span, style: kstyle, via: None }, node));
                }
            },
        }
    }
    Ok(root.unwrap_or(Node { span: Span::empty(0), kind: Kind::Null, anchor: 0, via: None, file: 0 }))
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
            return Err(YamlError {
                message: format!(
                    "aliases expand to more than {MAX_EXPANDED_NODES} nodes (an alias bomb?); berth refuses the file"
                ),
                span: at,
            });
        }
        self.budget -= 1;
        Ok(())
    }

    fn node(&mut self, n: &Node, via: Option<Span>, depth: usize) -> Result<Node, YamlError> {
        self.spend(n.span)?;
        if depth > MAX_DEPTH * 4 {
            return Err(YamlError { message: "aliases nest too deeply".into(), span: n.span });
        }
        let kind = match &n.kind {
            Kind::Alias(id) => {
                let Some(target) = self.anchors.iter().rev().find(|(a, _)| a == id).map(|(_, t)| t.clone()) else {
                    return Err(YamlError { message: "alias to an unknown anchor".into(), span: n.span });
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
            return Err(YamlError { message: "aliases nest too deeply".into(), span: n.span });
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
