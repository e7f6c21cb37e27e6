//! Applying fixes to text.
//!
//! Edits of one fix are applied together or not at all. A fix whose edits
//! overlap an edit already accepted in the same pass waits for the next pass,
//! so nothing the user wrote is lost and every edit lands on the text it was
//! computed for.

use super::diagnostic::{Edit, Fix};
use crate::text::Span;

fn overlaps(a: Span, b: Span) -> bool {
    // Two insertions at the same point conflict too, as their order would be arbitrary.
    (a.start < b.end && b.start < a.end)
        || (a.start == b.start)
        || (a.is_empty() && b.contains(a.start))
        || (b.is_empty() && a.contains(b.start))
}

/// Apply the non-conflicting fixes among `fixes` to `text`. Returns the new text
/// and how many fixes were applied.
pub fn apply(text: &str, fixes: &[&Fix]) -> (String, usize) {
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut count = 0;
    for fix in fixes {
        let valid = fix.edits.iter().all(|e| {
            e.span.start <= e.span.end
                && e.span.end <= text.len()
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        });
        if !valid || fix.edits.is_empty() {
            continue;
        }
        let clash = fix.edits.iter().enumerate().any(|(i, e)| {
            accepted.iter().any(|a| overlaps(a.span, e.span)) || fix.edits[..i].iter().any(|o| overlaps(o.span, e.span))
        });
        if clash {
            continue;
        }
        accepted.extend(fix.edits.iter());
        count += 1;
    }
    accepted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in accepted {
        out.push_str(&text[pos..e.span.start]);
        out.push_str(&e.new_text);
        pos = e.span.end;
    }
    out.push_str(&text[pos..]);
    (out, count)
}

/// Lint `text`, apply every fix up to `max_safety`, and repeat until nothing
/// changes (at most 10 passes). `lint` returns a text's findings with what it
/// knows of that text's syntax; `breaks(known, next)` rejects a pass whose
/// result is worse to parse, which ends the loop with the text before it.
/// Shared by the Dockerfile and Compose drivers.
pub fn repeat<T>(
    text: &str,
    max_safety: super::Safety,
    lint: impl Fn(&str) -> (Vec<super::Diagnostic>, T),
    breaks: impl Fn(&T, &str) -> bool,
) -> super::FixResult {
    let mut current = text.to_string();
    let mut applied = 0;
    for _ in 0..10 {
        let (diagnostics, known) = lint(&current);
        let fixes: Vec<&Fix> =
            diagnostics.iter().filter_map(|d| d.fix.as_ref()).filter(|f| f.safety <= max_safety).collect();
        if fixes.is_empty() {
            break;
        }
        let (next, n) = apply(&current, &fixes);
        if n == 0 || next == current || breaks(&known, &next) {
            break;
        }
        current = next;
        applied += n;
    }
    let remaining = lint(&current).0;
    super::FixResult { text: current, applied, remaining }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_disjoint_and_skips_overlapping() {
        let a = Fix::safe("a", vec![Edit::replace(Span::new(0, 3), "ADD")]);
        let b = Fix::safe("b", vec![Edit::replace(Span::new(1, 2), "x")]);
        let c = Fix::safe("c", vec![Edit::insert(7, "!")]);
        let (t, n) = apply("abc def", &[&a, &b, &c]);
        assert_eq!((t.as_str(), n), ("ADD def!", 2));
    }
}

/// How applying `fix` alone to `file` changes the way the file splits into
/// instructions, if it does: the number of instructions, or an instruction's
/// keyword (its ONBUILD trigger's too). A fix whose edit replaces exactly an
/// instruction's keyword (`ADD` → `COPY`, `MAINTAINER` → `LABEL`) may change
/// that keyword. `None` when the split is kept, which every safe fix must do.
pub fn split_change(file: &crate::syntax::Dockerfile, fix: &Fix) -> Option<String> {
    let (text, n) = apply(&file.text, &[fix]);
    if n == 0 {
        return None;
    }
    let after = crate::syntax::Dockerfile::parse(&text);
    if after.instructions.len() != file.instructions.len() {
        return Some(format!(
            "`{}` changed the instruction count from {} to {}",
            fix.title,
            file.instructions.len(),
            after.instructions.len()
        ));
    }
    let keywords = |i: &crate::syntax::Instruction| (i.keyword, i.trigger.as_ref().map(|t| t.keyword));
    for (a, b) in file.instructions.iter().zip(&after.instructions) {
        let replaced = fix.edits.iter().any(|e| e.span == a.keyword_span);
        if keywords(a) != keywords(b) && !replaced {
            return Some(format!(
                "`{}` turned the {:?} instruction at byte {} into {:?}",
                fix.title, a.keyword, a.span.start, b.keyword
            ));
        }
    }
    None
}

/// How applying `fix` alone to a Compose file changes its YAML structure
/// outside the fix's edits, if it does. Every node of the raw tree that no
/// edit touches must still be there after the fix, at its place shifted by
/// the edits before it, with the same kind (and scalar text) under the same
/// mapping keys: an edit may not move a key under another parent, re-indent
/// its neighbours or make the file unreadable. `None` when the structure is
/// kept, which every safe fix must do.
pub fn yaml_structure_change(file: &crate::compose::ComposeFile, fix: &Fix) -> Option<String> {
    use crate::compose::{ComposeFile, Kind, Node};
    use std::collections::HashMap;
    let (text, n) = apply(&file.text, &[fix]);
    if n == 0 {
        return None;
    }
    let after = match ComposeFile::parse(&text) {
        Ok(f) => f,
        Err(e) => return Some(format!("`{}` made the YAML unreadable: {}", fix.title, e.message)),
    };
    let mut edits: Vec<&Edit> = fix.edits.iter().collect();
    edits.sort_by_key(|e| e.span.start);
    let touched = |s: Span| edits.iter().any(|e| e.span.start <= s.end && s.start <= e.span.end);
    let shift = |at: usize| -> isize {
        edits
            .iter()
            .filter(|e| e.span.end <= at)
            .map(|e| e.new_text.len() as isize - (e.span.end - e.span.start) as isize)
            .sum()
    };
    fn tag(n: &Node) -> String {
        match &n.kind {
            Kind::Map(_) => "a mapping".into(),
            Kind::Seq(_) => "a sequence".into(),
            Kind::Scalar { text, .. } => format!("`{text}`"),
            Kind::Alias(_) => "an alias".into(),
            Kind::Null => "nothing".into(),
        }
    }
    // Every node by its span, with the mapping keys above it.
    fn walk<'n>(n: &'n Node, keys: &mut Vec<String>, out: &mut Vec<(Span, String, &'n Node)>) {
        out.push((n.span, keys.join("."), n));
        match &n.kind {
            Kind::Map(entries) => {
                for (k, v) in entries {
                    keys.push(k.text.clone());
                    walk(v, keys, out);
                    keys.pop();
                }
            }
            Kind::Seq(items) => {
                for v in items {
                    walk(v, keys, out);
                }
            }
            _ => {}
        }
    }
    let (mut before, mut now) = (Vec::new(), Vec::new());
    walk(&file.raw, &mut Vec::new(), &mut before);
    walk(&after.raw, &mut Vec::new(), &mut now);
    let now: HashMap<(usize, usize), Vec<(&String, &Node)>> = now.iter().fold(HashMap::new(), |mut m, (s, k, n)| {
        m.entry((s.start, s.end)).or_default().push((k, *n));
        m
    });
    for (span, keys, node) in &before {
        if touched(*span) {
            continue;
        }
        let moved = (span.start as isize + shift(span.start), span.end as isize + shift(span.end));
        let at = (moved.0.max(0) as usize, moved.1.max(0) as usize);
        let same = now.get(&at).is_some_and(|c| c.iter().any(|(k, n)| *k == keys && tag(n) == tag(node)));
        if !same {
            let path = if keys.is_empty() { "the document".to_string() } else { format!("`{keys}`") };
            return Some(format!(
                "`{}` changed {} ({}) at byte {}, outside its edits",
                fix.title,
                path,
                tag(node),
                span.start
            ));
        }
    }
    None
}

#[cfg(test)]
mod split_tests {
    use super::*;
    use crate::syntax::Dockerfile;

    #[test]
    fn yaml_structure_changes_are_found() {
        use crate::compose::ComposeFile;
        let text = "services:\n  web:\n    image: nginx\n    ports:\n      - 80:80\n  db:\n    image: postgres\n";
        let file = ComposeFile::parse(text).unwrap();
        let at = |needle: &str| {
            let s = text.find(needle).unwrap();
            Span::new(s, s + needle.len())
        };
        // Quoting a port keeps the structure.
        assert_eq!(yaml_structure_change(&file, &Fix::safe("q", vec![Edit::replace(at("80:80"), "\"80:80\"")])), None);
        // Re-indenting `db` under `web` moves a key outside the edit.
        let bad = Fix::safe("i", vec![Edit::replace(at("  db:"), "    db:")]);
        assert!(yaml_structure_change(&file, &bad).is_some());
        // Breaking the YAML is a change too.
        let broken = Fix::safe("b", vec![Edit::replace(at("80:80"), "[80")]);
        assert!(yaml_structure_change(&file, &broken).unwrap().contains("unreadable"));
    }

    #[test]
    fn split_changes_are_found() {
        let file = Dockerfile::parse("FROM a\nADD x /x\nRUN b\n");
        let add = file.instructions[1].keyword_span;
        assert_eq!(split_change(&file, &Fix::safe("t", vec![Edit::replace(add, "COPY")])), None);
        let joined = Fix::safe("t", vec![Edit::insert(file.text.find("\nRUN").unwrap(), " \\")]);
        assert!(split_change(&file, &joined).unwrap().contains("count"));
        let run = file.instructions[2].keyword_span;
        let renamed = Fix::safe("t", vec![Edit::replace(Span::new(run.start, run.end + 2), "CMD b")]);
        assert!(split_change(&file, &renamed).unwrap().contains("turned"));
    }
}
