//! What the ordering rules share: dclint's alphabetical order (JavaScript's
//! `localeCompare`, the Unicode root collation) and a fix that reorders the
//! entries of a block mapping or the items of a block sequence, moving each
//! with its own comments.

use crate::compose::{Kind, Node, Style, tree};
use crate::engine::{ComposeContext, Edit};
use crate::text::{LineIndex, Span};
use std::cmp::Ordering;

/// ASCII punctuation and symbols in the root collation's order; they sort
/// before digits, and digits before letters.
const PUNCTUATION: &str = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

/// The primary weight of a character: punctuation, then digits, then letters
/// without regard to case, then everything else by its lower-case code point.
fn primary(c: char) -> u32 {
    if let Some(i) = PUNCTUATION.find(c) {
        return 1 + i as u32;
    }
    if c.is_ascii_digit() {
        return 100 + (c as u32 - '0' as u32);
    }
    if c.is_ascii_alphabetic() {
        return 200 + (c.to_ascii_lowercase() as u32 - 'a' as u32);
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    1000 + lower as u32
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Piece<'a> {
    /// A run of digits (numeric mode), compared by value: length without leading zeros, then digits.
    Number(usize, &'a str),
    Char(u32),
}

fn pieces(s: &str, numeric: bool) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if numeric && c.is_ascii_digit() {
            let n = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            let digits = rest[..n].trim_start_matches('0');
            out.push(Piece::Number(digits.len(), digits));
            rest = &rest[n..];
        } else {
            out.push(Piece::Char(primary(c)));
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Compare two pieces: numbers sort among the digits, before letters.
fn cmp_piece(a: &Piece<'_>, b: &Piece<'_>) -> Ordering {
    match (a, b) {
        (Piece::Number(..), Piece::Number(..)) => a.cmp(b),
        (Piece::Number(..), Piece::Char(w)) => 100.cmp(w).then(Ordering::Less),
        (Piece::Char(w), Piece::Number(..)) => w.cmp(&100).then(Ordering::Greater),
        (Piece::Char(x), Piece::Char(y)) => x.cmp(y),
    }
}

fn collate_with(a: &str, b: &str, numeric: bool) -> Ordering {
    let (pa, pb) = (pieces(a, numeric), pieces(b, numeric));
    for (x, y) in pa.iter().zip(&pb) {
        let o = cmp_piece(x, y);
        if o != Ordering::Equal {
            return o;
        }
    }
    pa.len()
        .cmp(&pb.len())
        // Same letters: lower case first, as the root collation's third level does.
        .then_with(|| {
            let case = |s: &str| s.chars().map(|c| c.is_uppercase()).collect::<Vec<_>>();
            case(a).cmp(&case(b))
        })
        .then_with(|| a.cmp(b))
}

/// dclint's alphabetical order (`a.localeCompare(b)`): case-insensitive,
/// punctuation before digits before letters, lower case first on ties.
pub(crate) fn collate(a: &str, b: &str) -> Ordering {
    collate_with(a, b, false)
}

/// The same with runs of digits compared as numbers (`localeCompare(b, "en", {numeric: true})`).
pub(crate) fn collate_numeric(a: &str, b: &str) -> Ordering {
    collate_with(a, b, true)
}

/// A string ordered by [`collate`] (a total order: equal only when the same text).
#[derive(PartialEq, Eq)]
pub(crate) struct Collated<'a>(pub &'a str);

impl Ord for Collated<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        collate(self.0, other.0)
    }
}

impl PartialOrd for Collated<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The first element (after the first) that sorts before the one above it:
/// `(index, index of the element above)`.
pub(crate) fn first_unsorted<T>(items: &[T], cmp: impl Fn(&T, &T) -> Ordering) -> Option<(usize, usize)> {
    (1..items.len()).find(|&i| cmp(&items[i], &items[i - 1]) == Ordering::Less).map(|i| (i, i - 1))
}

/// An element of a block collection: its own lines (with its comments) and where its text is.
struct Element {
    /// First byte of the element's comments (or of its first line).
    body_start: usize,
    /// First byte of the element's own first line.
    line_start: usize,
    /// End of the element's last line, newline included.
    end: usize,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// The text of each line of `text` between `from` and `to` (bytes), with its start offset.
fn lines_between<'t>(text: &'t str, lines: &LineIndex, from: usize, to: usize) -> Vec<(usize, &'t str)> {
    let mut out = Vec::new();
    let mut at = from;
    while at < to {
        let line = lines.line_of(at);
        let span = lines.line_span(text, line);
        let next = lines.line_start(line + 1).max(span.end);
        out.push((at, text.get(at..span.end).unwrap_or("")));
        if next <= at {
            break;
        }
        at = next;
    }
    out
}

/// The end of an element: its key's end when its value is empty, else the
/// last non-blank byte of its value.
fn content_end(text: &str, start: usize, end: usize) -> usize {
    let body = text.get(start..end).unwrap_or("");
    start + body.trim_end().len()
}

/// Where the elements of a block map or sequence are, or `None` when the
/// collection is not laid out one element per line block (flow style,
/// several elements on a line, a sequence item below its dash).
fn elements(cx: &ComposeContext<'_>, container: &Node) -> Option<(usize, Vec<Element>)> {
    let f = cx.file;
    let text = f.text.as_str();
    if text.get(container.span.start..).is_some_and(|t| t.starts_with(['{', '['])) {
        return None;
    }
    // (start of the element's text, end of its content)
    let raw: Vec<(usize, usize)> = match &container.kind {
        Kind::Map(entries) => entries
            .iter()
            .map(|(k, v)| {
                let empty =
                    matches!(&v.kind, Kind::Null | Kind::Scalar { style: Style::Plain, .. }) && v.span.is_empty();
                let end = if empty { k.span.end } else { k.span.end.max(v.span.end) };
                (k.span.start, content_end(text, k.span.start, end))
            })
            .collect(),
        Kind::Seq(items) => items.iter().map(|v| (v.span.start, content_end(text, v.span.start, v.span.end))).collect(),
        _ => return None,
    };
    let first = raw.first()?;
    let first_ls = f.lines.line_start(f.lines.line_of(first.0));
    // Every element starts its own line at the same column; sequence items right after `- `.
    let prefix_len = first.0.checked_sub(first_ls)?;
    let is_seq = matches!(container.kind, Kind::Seq(_));
    let first_prefix = text.get(first_ls..first.0)?;
    let elem_indent = first_prefix.len() - first_prefix.trim_start_matches(' ').len();
    let mut out: Vec<Element> = Vec::new();
    for &(start, end) in &raw {
        let ls = f.lines.line_start(f.lines.line_of(start));
        let prefix = text.get(ls..start)?;
        let lead = prefix.len() - prefix.trim_start_matches(' ').len();
        let rest = &prefix[lead..];
        let ok = (is_seq || prefix.len() == prefix_len)
            && lead == elem_indent
            && if is_seq {
                rest.starts_with('-') && rest[1..].chars().all(|c| c == ' ' || c == '\t')
            } else {
                rest.is_empty()
            };
        if !ok || out.last().is_some_and(|p| ls < p.end) {
            return None;
        }
        let last_line = f.lines.line_of(end.max(start));
        let line_end = f.lines.line_start(last_line + 1).max(f.lines.line_span(text, last_line).end);
        out.push(Element { body_start: ls, line_start: ls, end: line_end });
    }
    // Gaps: comment lines deeper than the elements right after one belong to
    // it; blank lines then separate; the rest (comments) belong to the next.
    for i in 0..out.len() {
        let gap_end = out.get(i + 1).map_or(text.len(), |n| n.line_start);
        let gap = lines_between(text, &f.lines, out[i].end, gap_end);
        let mut j = 0;
        while let Some((_, l)) = gap.get(j) {
            let t = l.trim_start();
            if t.starts_with('#') && indent_of(l) > elem_indent {
                j += 1;
            } else {
                break;
            }
        }
        if j > 0 {
            let (s, l) = gap[j - 1];
            out[i].end = f.lines.line_start(f.lines.line_of(s) + 1).max(s + l.len());
        }
        if let Some(next) = out.get_mut(i + 1) {
            // Skip blank lines (the separator stays in place), the rest is the next element's.
            let mut k = j;
            while gap.get(k).is_some_and(|(_, l)| l.trim().is_empty()) {
                k += 1;
            }
            next.body_start = gap.get(k).map_or(next.line_start, |(s, _)| *s);
        }
    }
    // Comments directly above the first element belong to it, unless they open the file.
    let mut b = out[0].line_start;
    let mut line = f.lines.line_of(b);
    while line > 0 {
        let prev = f.lines.line_span(text, line - 1);
        let l = text.get(prev.start..prev.end).unwrap_or("");
        if !l.trim_start().starts_with('#') {
            break;
        }
        line -= 1;
        b = prev.start;
    }
    if line > 0 {
        out[0].body_start = b;
    }
    Some((elem_indent, out))
}

fn collect_anchors(n: &Node, anchors: &mut Vec<usize>, aliases: &mut Vec<usize>) {
    if n.anchor != 0 {
        anchors.push(n.anchor);
    }
    match &n.kind {
        Kind::Alias(id) => aliases.push(*id),
        Kind::Map(e) => e.iter().for_each(|(_, v)| collect_anchors(v, anchors, aliases)),
        Kind::Seq(items) => items.iter().for_each(|v| collect_anchors(v, anchors, aliases)),
        _ => {}
    }
}

fn alias_positions(n: &Node, out: &mut Vec<usize>) {
    match &n.kind {
        Kind::Alias(_) => out.push(n.span.start),
        Kind::Map(e) => e.iter().for_each(|(_, v)| alias_positions(v, out)),
        Kind::Seq(items) => items.iter().for_each(|v| alias_positions(v, out)),
        _ => {}
    }
}

/// Same data, ignoring where it is written: scalars with their style, keys,
/// order, anchors present or not, aliases by name (`b`, read back, has them
/// as plain scalars).
fn same(a: &Node, at: &str, b: &Node) -> bool {
    if (a.anchor != 0) != (b.anchor != 0) {
        return false;
    }
    match (&a.kind, &b.kind) {
        (Kind::Map(x), Kind::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka.text == kb.text && ka.style == kb.style && same(va, at, vb))
        }
        (Kind::Seq(x), Kind::Seq(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, at, q)),
        (Kind::Scalar { text: t1, style: s1 }, Kind::Scalar { text: t2, style: s2 }) => t1 == t2 && s1 == s2,
        // An alias, read back as the plain scalar `_name` (see `reorder`).
        (Kind::Alias(_), Kind::Scalar { text, style: Style::Plain }) => {
            at.get(a.span.start..a.span.end).and_then(|s| s.strip_prefix('*')) == text.strip_prefix('_')
        }
        (Kind::Null, Kind::Null) => true,
        _ => false,
    }
}

/// An edit that puts the elements of `container` (a block map or sequence of
/// the raw tree) in the order `order` (indices into its elements), each with
/// the comments above it; blank lines between elements stay where they are.
/// `None` when that cannot be done without risk: flow style, irregular
/// layout, duplicate keys, an element that would move above the anchor it
/// uses, or text that would not read back as the same data.
pub(crate) fn reorder(cx: &ComposeContext<'_>, container: &Node, order: &[usize]) -> Option<Edit> {
    let text = cx.file.text.as_str();
    let n = match &container.kind {
        Kind::Map(e) => {
            let mut keys: Vec<&str> = e.iter().map(|(k, _)| k.text.as_str()).collect();
            keys.sort_unstable();
            if keys.windows(2).any(|w| w[0] == w[1]) {
                return None;
            }
            e.len()
        }
        Kind::Seq(items) => items.len(),
        _ => return None,
    };
    let mut check: Vec<usize> = order.to_vec();
    check.sort_unstable();
    if order.len() != n || check.iter().enumerate().any(|(i, &x)| i != x) {
        return None;
    }
    let (_, els) = elements(cx, container)?;
    let region = Span::new(els.first()?.body_start, els.last()?.end);
    // An alias must stay after its anchor: an element using an anchor of
    // another element must still come after it.
    let children: Vec<&Node> = match &container.kind {
        Kind::Map(e) => e.iter().map(|(_, v)| v).collect(),
        Kind::Seq(items) => items.iter().collect(),
        _ => return None,
    };
    let mut defined: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut uses: Vec<(usize, usize)> = Vec::new();
    for (i, c) in children.iter().enumerate() {
        let (mut anchors, mut aliases) = (Vec::new(), Vec::new());
        collect_anchors(c, &mut anchors, &mut aliases);
        defined.extend(anchors.into_iter().map(|a| (a, i)));
        uses.extend(aliases.into_iter().map(|a| (a, i)));
    }
    let mut position = vec![0; n];
    for (slot, &from) in order.iter().enumerate() {
        position[from] = slot;
    }
    if uses.iter().any(|(a, user)| defined.get(a).is_some_and(|&def| def != *user && position[def] > position[*user])) {
        return None;
    }
    // The text read back to check the result has every alias `*a` turned into
    // the plain scalar `_a`, so that anchors outside the region are not needed.
    let mut alias_starts = Vec::new();
    children.iter().for_each(|c| alias_positions(c, &mut alias_starts));
    alias_starts.sort_unstable();
    let neutral = |from: usize, to: usize| -> Option<String> {
        let mut t = text.get(from..to)?.to_string();
        let first = alias_starts.partition_point(|&a| a < from);
        for &a in alias_starts[first..].iter().take_while(|&&a| a < to) {
            t.replace_range(a - from..a - from + 1, "_");
        }
        Some(t)
    };
    // Slot i keeps the blank lines before element i; it receives element order[i]'s body.
    let mut out = String::with_capacity(region.len() + 1);
    let mut check = String::with_capacity(region.len() + 1);
    for (slot, &from) in order.iter().enumerate() {
        let sep_start = if slot == 0 { els[0].body_start } else { els[slot - 1].end };
        let sep = text.get(sep_start..els[slot].body_start)?;
        let body = text.get(els[from].body_start..els[from].end)?;
        out += sep;
        out += body;
        check += sep;
        check += &neutral(els[from].body_start, els[from].end)?;
        if !body.ends_with('\n') {
            out.push('\n');
            check.push('\n');
        }
    }
    if !text.get(region.start..region.end)?.ends_with('\n') {
        out.pop();
        check.pop();
    }
    // Read the new text back: the same elements, in the new order.
    let idx = LineIndex::new(&check);
    let parsed = tree::parse(&check, &idx).ok()?;
    let ok = match (&container.kind, &parsed.kind) {
        (Kind::Map(e), Kind::Map(p)) => {
            p.len() == e.len()
                && order.iter().zip(p).all(|(&i, (pk, pv))| {
                    let (k, v) = &e[i];
                    k.text == pk.text && k.style == pk.style && same(v, text, pv)
                })
        }
        (Kind::Seq(items), Kind::Seq(p)) => {
            p.len() == items.len() && order.iter().zip(p).all(|(&i, pv)| same(&items[i], text, pv))
        }
        _ => false,
    };
    if !ok {
        return None;
    }
    Some(Edit::replace(region, out))
}

/// For a flow sequence of scalars on one line (`[b, a]`): the edits that put
/// the items in `order` by swapping their texts.
pub(crate) fn reorder_flow_scalars(cx: &ComposeContext<'_>, seq: &Node, order: &[usize]) -> Option<Vec<Edit>> {
    let items = seq.items();
    if !cx.text(seq.span).starts_with('[') || order.len() != items.len() {
        return None;
    }
    if items.iter().any(|i| !matches!(i.kind, Kind::Scalar { .. }) || i.anchor != 0 || cx.text(i.span).contains('\n')) {
        return None;
    }
    let edits: Vec<Edit> = order
        .iter()
        .enumerate()
        .filter(|(slot, from)| slot != *from)
        .map(|(slot, &from)| Edit::replace(items[slot].span, cx.text(items[from].span)))
        .collect();
    Some(edits)
}

/// The order that sorts `keys` stably with `cmp`.
pub(crate) fn sorted_order<T>(keys: &[T], cmp: impl Fn(&T, &T) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| cmp(&keys[a], &keys[b]));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::ComposeFile;

    #[test]
    fn collation_follows_local_compare() {
        // Sorted by `localeCompare` in Node 22.
        let want = [
            "a", "A", "a-b", "ab", "aB", "Ab", "ab-", "b", "kafka_1", "kafka-1", "kafka-ui", "kafka.1", "kafka1",
            "Kafka1", "kafkaA", "kafkaui", "web", "Web", "web2", "zoo1", "zoo10", "zoo2",
        ];
        let mut got = want.to_vec();
        got.reverse();
        got.sort_by(|a, b| collate(a, b));
        assert_eq!(got, want);
        let mut ports = vec!["9000", "8080", "8000-8010", "443", "80"];
        ports.sort_by(|a, b| collate_numeric(a, b));
        assert_eq!(ports, ["80", "443", "8000-8010", "8080", "9000"]);
    }

    fn fixed(text: &str, path: &[&str], order: &[usize]) -> Option<String> {
        let f = ComposeFile::parse(text).unwrap();
        let inputs = crate::compose::project::ComposeInputs::default();
        let project = crate::compose::project::Project::new(&f, &inputs);
        let settings = crate::engine::Settings::default();
        let cx = ComposeContext { file: &f, project: &project, settings: &settings };
        let mut n = &f.raw;
        for p in path {
            n = n.get(p).unwrap();
        }
        let e = reorder(&cx, n, order)?;
        let mut t = text.to_string();
        t.replace_range(e.span.start..e.span.end, &e.new_text);
        Some(t)
    }

    #[test]
    fn reorders_entries_with_their_comments() {
        let text = "# header\nservices:\n  # the web\n  web:\n    image: a\n    # old\n\n  # the db\n  db:\n    command: |\n      run\n\n  api: {}\nvolumes: {}\n";
        let got = fixed(text, &["services"], &[2, 1, 0]).unwrap();
        assert_eq!(
            got,
            "# header\nservices:\n  api: {}\n\n  # the db\n  db:\n    command: |\n      run\n\n  # the web\n  web:\n    image: a\n    # old\nvolumes: {}\n"
        );
        let top = fixed(text, &[], &[1, 0]).unwrap();
        assert!(top.starts_with("# header\nvolumes: {}\nservices:\n  # the web\n"), "{top}");
        let seq = "a:\n  - x # one\n  - y\n  -   z\n";
        assert_eq!(fixed(seq, &["a"], &[2, 0, 1]).unwrap(), "a:\n  -   z\n  - x # one\n  - y\n");
        // Without a final newline.
        assert_eq!(fixed("a:\n  - x\n  - y", &["a"], &[1, 0]).unwrap(), "a:\n  - y\n  - x");
    }

    #[test]
    fn refuses_what_it_cannot_move_safely() {
        assert!(fixed("a: {y: 1, x: 2}\n", &["a"], &[1, 0]).is_none(), "flow");
        assert!(fixed("a:\n  y: &n 1\n  x: *n\n", &["a"], &[1, 0]).is_none(), "alias above its anchor");
        assert!(fixed("a:\n  y: &n 1\n  x: *n\n  w: 0\n", &["a"], &[0, 2, 1]).is_some(), "alias still below");
        assert!(fixed("a:\n  y: 1\n  y: 2\n", &["a"], &[1, 0]).is_none(), "duplicate keys");
        assert!(fixed("a:\n  y: |+\n    k\n\n  x: 1\n", &["a"], &[1, 0]).is_none(), "kept trailing lines");
        assert!(fixed("a:\n  -\n    k: 1\n  - 2\n", &["a"], &[1, 0]).is_none(), "item below its dash");
        let ok = fixed("x: &n 1\na:\n  y: *n\n  x: 2\n", &["a"], &[1, 0]).unwrap();
        assert_eq!(ok, "x: &n 1\na:\n  x: 2\n  y: *n\n");
    }
}
