//! The line outline (indentation, `- ` markers, `key:` tokens): a reading
//! of the text that works while the file is not valid YAML.

use crate::compose::comment_start;

// ---------------------------------------------------------------- paths

/// The path segment for a list item.
pub(super) const ITEM: &str = "[]";

/// One step of a path from the root: a key, or [`ITEM`] for a list item, with
/// the anchor (`&name`) written on the value it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Seg {
    pub(super) name: String,
    pub(super) anchor: Option<String>,
}

impl Seg {
    pub(super) fn key(name: &str) -> Seg {
        Seg { name: name.to_string(), anchor: None }
    }
    pub(super) fn item() -> Seg {
        Seg::key(ITEM)
    }
}

pub(super) fn names(path: &[Seg]) -> Vec<&str> {
    path.iter().map(|s| s.name.as_str()).collect()
}

// ---------------------------------------------------------------- the line outline

/// A line as the outline sees it. Columns are byte offsets into the line
/// (indentation, `- ` markers and the start of a key are ASCII).
#[derive(Debug, Clone)]
pub(super) struct Line<'t> {
    pub(super) start: usize,
    /// Without the line break.
    pub(super) text: &'t str,
    /// Column of the first character, `None` for blank and comment lines.
    pub(super) content: Option<usize>,
    /// Columns of the `- ` markers.
    pub(super) items: Vec<usize>,
    /// Column after the markers (and the spaces after them).
    pub(super) rest: usize,
    pub(super) key: Option<KeyTok<'t>>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct KeyTok<'t> {
    /// Column of the key (of its opening quote when quoted).
    pub(super) col: usize,
    /// The key's text (inside the quotes).
    pub(super) name: &'t str,
    pub(super) name_col: usize,
    /// The value after `: `, without an anchor, a tag and a comment.
    pub(super) value: &'t str,
    pub(super) value_col: usize,
    pub(super) anchor: Option<&'t str>,
}

pub(super) struct Outline<'t> {
    pub(super) text: &'t str,
    pub(super) lines: Vec<Line<'t>>,
}

impl<'t> Outline<'t> {
    pub(super) fn new(text: &'t str) -> Outline<'t> {
        let mut lines = Vec::new();
        let mut start = 0;
        for l in text.split('\n') {
            let body = l.strip_suffix('\r').unwrap_or(l);
            lines.push(tokenize(start, body));
            start += l.len() + 1;
        }
        Outline { text, lines }
    }

    pub(super) fn line_of(&self, offset: usize) -> usize {
        self.lines.partition_point(|l| l.start <= offset).saturating_sub(1)
    }

    /// The end of line `ln`'s text.
    pub(super) fn end(&self, ln: usize) -> usize {
        self.lines.get(ln).map_or(self.text.len(), |l| l.start + l.text.len())
    }
}

pub(super) fn tokenize(start: usize, text: &str) -> Line<'_> {
    let b = text.as_bytes();
    let mut i = b.iter().take_while(|c| **c == b' ' || **c == b'\t').count();
    let mut line = Line { start, text, content: None, items: Vec::new(), rest: i, key: None };
    if i == b.len() || b[i] == b'#' {
        return line;
    }
    line.content = Some(i);
    while i < b.len() && b[i] == b'-' && b.get(i + 1).is_none_or(|c| *c == b' ' || *c == b'\t') {
        line.items.push(i);
        i += 1;
        i += b[i..].iter().take_while(|c| **c == b' ' || **c == b'\t').count();
    }
    line.rest = i;
    line.key = key_token(text, i);
    line
}

/// A `key:` (followed by a space or the end of the line) at column `i`.
pub(super) fn key_token(text: &str, i: usize) -> Option<KeyTok<'_>> {
    let b = text.as_bytes();
    let first = *b.get(i)?;
    let (name_col, name_end, after) = match first {
        b'"' | b'\'' => {
            let mut j = i + 1;
            loop {
                match b.get(j) {
                    None => return None,
                    Some(b'\\') if first == b'"' => j += 2,
                    Some(b'\'') if first == b'\'' && b.get(j + 1) == Some(&b'\'') => j += 2,
                    Some(c) if *c == first => break,
                    _ => j += 1,
                }
            }
            (i + 1, j, j + 1)
        }
        b'[' | b'{' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b',' | b'?' | b']' | b'}' | b'#' => {
            return None;
        }
        _ => {
            let mut j = i;
            loop {
                match b.get(j) {
                    None => return None,
                    Some(b':') if b.get(j + 1).is_none_or(|c| *c == b' ' || *c == b'\t') => break,
                    Some(b'#') if j > i && (b[j - 1] == b' ' || b[j - 1] == b'\t') => return None,
                    _ => j += 1,
                }
            }
            let end = i + text[i..j].trim_end().len();
            (i, end, j)
        }
    };
    let gap = b.get(after..)?.iter().take_while(|c| **c == b' ' || **c == b'\t').count();
    if b.get(after + gap) != Some(&b':') || b.get(after + gap + 1).is_some_and(|c| *c != b' ' && *c != b'\t') {
        return None;
    }
    let mut v = after + gap + 1;
    v += b[v..].iter().take_while(|c| **c == b' ' || **c == b'\t').count();
    let rest = &text[v..];
    let rest = &rest[..comment_start(rest).unwrap_or(rest.len())];
    let mut value = rest.trim_end();
    let mut value_col = v;
    let mut anchor = None;
    for _ in 0..2 {
        if let Some(a) = value.strip_prefix('&').or_else(|| value.strip_prefix('!')) {
            let len = a.find([' ', '\t']).unwrap_or(a.len());
            if value.starts_with('&') {
                anchor = Some(&a[..len]);
            }
            let skip = 1 + len;
            let trimmed = value[skip..].trim_start();
            value_col += value.len() - trimmed.len();
            value = trimmed;
        }
    }
    Some(KeyTok { col: i, name: &text[name_col..name_end], name_col, value, value_col, anchor })
}

/// The path of what is written at column `col` of line `ln`: the line's own
/// markers and key left of `col`, then the lines above, by indentation.
/// Also true when `col` is inside a multi-line scalar (the nearest key above
/// has a value on its own line: `command: |`).
pub(super) fn path_at(o: &Outline<'_>, ln: usize, col: usize) -> (Vec<Seg>, bool) {
    let mut rev: Vec<Seg> = Vec::new();
    let mut c = col;
    let mut c_item = false;
    if let Some(line) = o.lines.get(ln) {
        take(line, &mut c, &mut c_item, &mut rev);
    }
    let mut in_scalar = false;
    let mut first = true;
    for l in (0..ln.min(o.lines.len())).rev() {
        if c == 0 && !c_item {
            break;
        }
        let t = &o.lines[l];
        let Some(content) = t.content else { continue };
        if c_item && content == c {
            // A compact sequence: the items sit at the column of their key.
            match t.key {
                Some(k) if t.items.is_empty() && k.col == c => {
                    rev.push(Seg { name: k.name.to_string(), anchor: k.anchor.map(Into::into) });
                    c_item = false;
                    first = false;
                }
                _ => {}
            }
            continue;
        }
        if content >= c {
            continue;
        }
        let n = rev.len();
        let key_pushed = take(t, &mut c, &mut c_item, &mut rev);
        if first && rev.len() > n {
            first = false;
            if key_pushed
                && let Some(k) = t.key
                && !k.value.is_empty()
                && !k.value.starts_with(['[', '{', '#'])
            {
                in_scalar = true;
            }
        }
    }
    rev.reverse();
    (rev, in_scalar)
}

/// Push the tokens of `t` left of column `c` (innermost first); true when its key was pushed.
pub(super) fn take(t: &Line<'_>, c: &mut usize, c_item: &mut bool, out: &mut Vec<Seg>) -> bool {
    let mut key = false;
    if let Some(k) = t.key
        && k.col < *c
    {
        out.push(Seg { name: k.name.to_string(), anchor: k.anchor.map(Into::into) });
        *c = k.col;
        *c_item = false;
        key = true;
    }
    for &i in t.items.iter().rev() {
        if i < *c {
            out.push(Seg::item());
            *c = i;
            *c_item = true;
        }
    }
    key
}

/// Keys written at column `col` in the mapping that line `ln` belongs to.
pub(super) fn sibling_keys<'t>(o: &Outline<'t>, ln: usize, col: usize) -> Vec<&'t str> {
    let mut out = Vec::new();
    let starts_here = o.lines.get(ln).is_some_and(|l| l.items.last().is_some_and(|&i| i < col));
    if !starts_here {
        for l in (0..ln).rev() {
            let t = &o.lines[l];
            let Some(content) = t.content else { continue };
            if content > col {
                continue;
            }
            match t.key {
                Some(k) if k.col == col => out.push(k.name),
                _ => {}
            }
            if content < col || (content == col && t.items.is_empty() && t.key.is_none()) {
                break;
            }
        }
    }
    for t in o.lines.iter().skip(ln + 1) {
        let Some(content) = t.content else { continue };
        if content < col {
            break;
        }
        if content == col
            && let Some(k) = t.key
            && t.items.is_empty()
        {
            out.push(k.name);
        }
    }
    out
}

/// Scalar items written with a `- ` at column `col` in the list that line `ln` belongs to.
pub(super) fn sibling_items<'t>(o: &Outline<'t>, ln: usize, col: usize) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut visit = |t: &Line<'t>| -> bool {
        let Some(content) = t.content else { return true };
        if content < col || (content == col && t.items.first() != Some(&col)) {
            return false;
        }
        if t.items.first() == Some(&col) && t.items.len() == 1 && t.key.is_none() {
            let v = t.text[t.rest..].trim_end();
            let v = &v[..comment_start(v).unwrap_or(v.len())];
            out.push(unquote(v.trim()));
        }
        true
    };
    for l in (0..ln).rev() {
        if !visit(&o.lines[l]) {
            break;
        }
    }
    for t in o.lines.iter().skip(ln + 1) {
        if !visit(t) {
            break;
        }
    }
    out
}

pub(super) fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q) {
            return inner.strip_suffix(q).unwrap_or(inner);
        }
    }
    s
}

/// An entry of a top-level section, from the outline.
pub(super) struct Entry<'t> {
    pub(super) name: &'t str,
    /// `image: x` or `build: y` of a service.
    pub(super) detail: Option<String>,
}

/// The entries of top-level `section` (block style), from the outline.
pub(super) fn section_entries<'t>(o: &Outline<'t>, section: &str) -> Vec<Entry<'t>> {
    let mut out: Vec<Entry<'t>> = Vec::new();
    let mut l = 0;
    while l < o.lines.len() {
        let t = &o.lines[l];
        l += 1;
        if !(t.content == Some(0) && t.key.is_some_and(|k| k.name == section && t.items.is_empty())) {
            continue;
        }
        let mut entry_col = None;
        while l < o.lines.len() {
            let t = &o.lines[l];
            let Some(content) = t.content else {
                l += 1;
                continue;
            };
            if content == 0 {
                break;
            }
            let col = *entry_col.get_or_insert(content);
            if content < col {
                break;
            }
            if let Some(k) = t.key
                && content == col
                && t.items.is_empty()
            {
                if !k.name.starts_with("x-") && k.name != "<<" && !out.iter().any(|e| e.name == k.name) {
                    out.push(Entry { name: k.name, detail: None });
                }
            } else if content > col
                && let Some(k) = t.key
                && matches!(k.name, "image" | "build")
                && !k.value.is_empty()
                && let Some(e) = out.last_mut()
                && e.detail.as_ref().is_none_or(|d| !d.starts_with("image"))
            {
                e.detail = Some(format!("{}: {}", k.name, unquote(k.value)));
            }
            l += 1;
        }
    }
    out
}
