//! Document symbols and folding ranges.

use crate::compose::{ComposeFile, Key, Kind, Node, Style};
use crate::ide::{Fold, Symbol, SymbolKind};
use crate::text::{LineIndex, Span};

use super::{navigation::*, outline::*};

// ---------------------------------------------------------------- symbols

pub(super) fn key_symbol(file: &ComposeFile, k: &Key, v: &Node, kind: SymbolKind, children: Vec<Symbol>) -> Symbol {
    let end = if matches!(v.kind, Kind::Null) || v.span.start < k.span.start { k.span.end } else { v.span.end };
    let end = trim_end(&file.text, k.span.end, end);
    Symbol {
        name: k.text.clone(),
        detail: scalar_detail(v),
        kind,
        span: Span::new(k.span.start, end.max(k.span.end)),
        selection: k.span,
        children,
    }
}

/// `end` moved back over trailing whitespace (not before `min`).
pub(super) fn trim_end(text: &str, min: usize, end: usize) -> usize {
    let end = end.min(text.len());
    if end <= min {
        return end;
    }
    text.get(min..end).map_or(end, |s| min + s.trim_end().len())
}

pub(super) fn scalar_detail(v: &Node) -> Option<String> {
    let s = v.str().filter(|s| !s.is_empty())?;
    let line = s.lines().next().unwrap_or("");
    Some(if line.chars().count() > 60 || line.len() < s.len() {
        format!("{}…", line.chars().take(60).collect::<String>())
    } else {
        line.to_string()
    })
}

pub(super) fn service_detail(v: &Node) -> Option<String> {
    if let Some(i) = v.get("image").and_then(Node::str) {
        return Some(i.to_string());
    }
    let b = v.get("build")?;
    Some(format!("build {}", b.str().or_else(|| b.get("context").and_then(Node::str)).unwrap_or(".")))
}

pub(super) fn outline_symbols(o: &Outline<'_>) -> Vec<Symbol> {
    if o.lines.is_empty() {
        return Vec::new();
    }
    outline_entries(o, 0, o.lines.len() - 1, 0, None)
}

/// The keys of the first indentation found in lines `from..=to`, each with
/// its block; `depth` 0 is the top level (sections), 1 their entries.
pub(super) fn outline_entries(
    o: &Outline<'_>,
    from: usize,
    to: usize,
    depth: usize,
    section: Option<Section>,
) -> Vec<Symbol> {
    let mut out = Vec::new();
    let Some(col) = (from..=to).find_map(|j| o.lines.get(j).and_then(|l| l.content)) else { return out };
    for j in from..=to.min(o.lines.len().saturating_sub(1)) {
        let t = &o.lines[j];
        let Some(k) = t.key.filter(|_| t.content == Some(col) && t.items.is_empty()) else { continue };
        let end = outline_block_end(o, j, col).min(to);
        let sel = Span::new(t.start + k.name_col, t.start + k.name_col + k.name.len());
        let kind = match (depth, section) {
            (1, Some(s)) => s.symbol_kind(),
            _ => SymbolKind::Key,
        };
        let mut s = sym(k.name, kind, sel, Span::new(t.start, o.end(end)));
        if !k.value.is_empty() {
            s.detail = Some(unquote(k.value).to_string());
        }
        let nested = match depth {
            0 => Some(Section::of(k.name)),
            1 if section == Some(Section::Services) => Some(None),
            _ => None,
        };
        if let Some(child_section) = nested
            && end > j
        {
            s.children = outline_entries(o, j + 1, end, depth + 1, child_section);
        }
        out.push(s);
    }
    out
}

/// The last line of the block of the key on line `l` at column `col`.
pub(super) fn outline_block_end(o: &Outline<'_>, l: usize, col: usize) -> usize {
    let mut end = l;
    for (j, t) in o.lines.iter().enumerate().skip(l + 1) {
        let Some(c) = t.content else { continue };
        if c < col || (c == col && t.items.first() != Some(&col)) {
            break;
        }
        end = j;
    }
    end
}

pub(super) fn sym(name: &str, kind: SymbolKind, selection: Span, span: Span) -> Symbol {
    Symbol {
        name: name.to_string(),
        detail: None,
        kind,
        span: Span::new(span.start.min(selection.start), span.end.max(selection.end)),
        selection,
        children: Vec::new(),
    }
}

// ---------------------------------------------------------------- folding

pub(super) struct Folder<'a> {
    pub(super) text: &'a str,
    pub(super) lines: &'a LineIndex,
}

impl Folder<'_> {
    pub(super) fn last_line(&self, span: Span) -> usize {
        let end = trim_end(self.text, span.start, span.end);
        self.lines.line_of(end.saturating_sub(1).max(span.start))
    }

    pub(super) fn node(&self, n: &Node, owner: Option<usize>, out: &mut Vec<Fold>, depth: usize) {
        if depth > 300 {
            return;
        }
        let start = owner.unwrap_or_else(|| self.lines.line_of(n.span.start));
        let multi = match &n.kind {
            Kind::Map(_) | Kind::Seq(_) => true,
            Kind::Scalar { style, .. } => matches!(style, Style::Literal | Style::Folded),
            _ => false,
        };
        if multi && !n.span.is_empty() {
            let end = self.last_line(n.span);
            if end > start {
                out.push(Fold { start_line: start, end_line: end, comment: false });
            }
        }
        for (k, v) in n.entries() {
            self.node(v, Some(self.lines.line_of(k.span.start)), out, depth + 1);
        }
        for item in n.items() {
            self.node(item, None, out, depth + 1);
        }
    }
}

pub(super) fn comment_folds(text: &str, out: &mut Vec<Fold>) {
    let mut run: Option<(usize, usize)> = None;
    for (i, l) in text.split('\n').enumerate() {
        if l.trim_start().starts_with('#') {
            run = Some(run.map_or((i, i), |(s, _)| (s, i)));
        } else if let Some((s, e)) = run.take()
            && e > s
        {
            out.push(Fold { start_line: s, end_line: e, comment: true });
        }
    }
    if let Some((s, e)) = run
        && e > s
    {
        out.push(Fold { start_line: s, end_line: e, comment: true });
    }
}

/// Folds by indentation, for text that is not valid YAML.
pub(super) fn outline_folds(o: &Outline<'_>) -> Vec<Fold> {
    let mut out = Vec::new();
    let n = o.lines.len();
    for i in 0..n {
        let t = &o.lines[i];
        let Some(col) = t.content else { continue };
        let key_col = t.key.map(|k| k.col);
        let mut last = i;
        for (j, c) in o.lines.iter().enumerate().skip(i + 1) {
            let Some(cc) = c.content else { continue };
            let nested = cc > col.max(key_col.unwrap_or(col)) && !t.items.is_empty()
                || cc > col && t.items.is_empty()
                || (t.items.is_empty() && cc == col && key_col == Some(col) && c.items.first() == Some(&col));
            if !nested {
                break;
            }
            last = j;
        }
        if last > i {
            out.push(Fold { start_line: i, end_line: last, comment: false });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::super::*;
    use super::*;

    // ------------------------------------------------------------ symbols and folding

    #[test]
    fn symbols_of_a_file() {
        let s = symbols(APP);
        let top: Vec<&str> = s.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(top, ["services", "networks", "volumes", "secrets", "configs"]);
        let services = &s[0];
        let names: Vec<(&str, SymbolKind)> = services.children.iter().map(|c| (c.name.as_str(), c.kind)).collect();
        assert_eq!(names, [("web", SymbolKind::Service), ("db", SymbolKind::Service), ("cache", SymbolKind::Service)]);
        let web = &services.children[0];
        assert_eq!(web.detail.as_deref(), Some("nginx:1.27"));
        let keys: Vec<&str> = web.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(keys, ["image", "depends_on", "networks"]);
        assert_eq!(services.children[2].detail.as_deref(), Some("build ./cache"));
        assert_eq!(s[1].children.iter().map(|c| c.kind).collect::<Vec<_>>(), [SymbolKind::Network; 2]);
        assert_eq!(s[2].children[0].kind, SymbolKind::Volume);
        assert_eq!(s[3].children[0].kind, SymbolKind::Secret);
        assert_eq!(s[4].children[0].kind, SymbolKind::Config);
        fn check(text: &str, s: &Symbol) {
            assert!(s.span.start <= s.selection.start && s.selection.end <= s.span.end, "{s:?}");
            assert!(text.get(s.span.start..s.span.end).is_some());
            for c in &s.children {
                assert!(s.span.start <= c.span.start && c.span.end <= s.span.end, "{c:?} in {s:?}");
                check(text, c);
            }
        }
        for x in &s {
            check(APP, x);
        }
        assert_eq!(
            &APP[web.span.start..web.span.end],
            "web:\n    image: nginx:1.27\n    depends_on: [db]\n    networks: [front]"
        );
    }

    #[test]
    fn symbols_of_a_broken_file() {
        let text = "services:\n  web:\n    image: nginx\n    ports: [\n  db:\n    image: \"x\nvolumes:\n  data:\n";
        assert!(ComposeFile::parse(text).is_err());
        let s = symbols(text);
        let top: Vec<&str> = s.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(top, ["services", "volumes"]);
        let svc: Vec<&str> = s[0].children.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(svc, ["web", "db"]);
        assert_eq!(s[0].children[0].kind, SymbolKind::Service);
        let keys: Vec<&str> = s[0].children[0].children.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(keys, ["image", "ports"]);
        assert_eq!(s[1].children[0].kind, SymbolKind::Volume);
    }

    #[test]
    fn folds() {
        let text = "# one\n# two\nservices:\n  web:\n    image: x\n    ports:\n      - '80:80'\n      - '443:443'\n    command: |\n      a\n      b\n  db:\n    image: y\n";
        let f = folding(text);
        let plain: Vec<(usize, usize)> = f.iter().filter(|f| !f.comment).map(|f| (f.start_line, f.end_line)).collect();
        assert_eq!(plain, [(2, 12), (3, 10), (5, 7), (8, 10), (11, 12)], "{f:?}");
        assert!(f.contains(&Fold { start_line: 0, end_line: 1, comment: true }));
        // Indentation when the YAML does not load.
        let broken = "services:\n  web:\n    image: \"x\n    ports:\n      - 1\n  db:\n    image: y\n";
        let f: Vec<(usize, usize)> = folding(broken).iter().map(|f| (f.start_line, f.end_line)).collect();
        assert!(f.contains(&(0, 6)) && f.contains(&(1, 4)) && f.contains(&(3, 4)), "{f:?}");
    }
}
