//! Code actions, in berth's terms (byte edits on one snapshot):
//! - each finding's fix as a quick fix (preferred when it is safe);
//! - "ignore CODE here": a `# berth ignore=CODE` line above the instruction
//!   (Dockerfile) or the key (Compose), indented like it; when such a comment
//!   is already there, the code is added to its list;
//! - `source.fixAll.berth`: every safe fix (the engine's fix loop) as one edit.

use super::config::Effective;
use super::documents::{Analysis, Language, Snapshot};
use berth_rules::engine::{self, Diagnostic, Edit, Safety};
use berth_rules::text::{LineCol, Span};
use berth_workspace::FileKind;
use berth_workspace::lint::Context;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    FixAll,
}

impl ActionKind {
    /// The protocol's kind string.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::QuickFix => "quickfix",
            ActionKind::FixAll => FIX_ALL,
        }
    }
}

/// berth's fix-all source action kind.
pub const FIX_ALL: &str = "source.fixAll.berth";

/// A code action: edits on the snapshot's text.
#[derive(Debug, Clone)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<Edit>,
    pub preferred: bool,
    /// The findings it resolves.
    pub diagnostics: Vec<Diagnostic>,
    /// The edits are computed only when the client resolves the action
    /// (`codeAction/resolve`): fix-all offered beside quick fixes.
    pub deferred: bool,
}

/// True when the client's `only` filter lets this kind through (a filter
/// entry matches its kind and every kind below it: `source` matches
/// `source.fixAll.berth`).
pub fn wanted(kind: ActionKind, only: Option<&[String]>) -> bool {
    let Some(only) = only else { return true };
    let k = kind.as_str();
    only.iter().any(|o| k == o || k.strip_prefix(o.as_str()).is_some_and(|rest| rest.starts_with('.')))
}

fn touches(d: &Diagnostic, range: Span) -> bool {
    d.span.start <= range.end && range.start <= d.span.end
}

/// A finding as the client shows it (`CodeActionContext.diagnostics`): its
/// code and range, in the client's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    pub code: String,
    pub range: (LineCol, LineCol),
    pub message: String,
}

/// The whole lines `range` touches (a cursor asks for its line).
fn whole_lines(text: &str, range: Span) -> Span {
    let start = line_start(text, range.start);
    let end = range.end.min(text.len());
    let end = text[end..].find(['\n', '\r']).map_or(text.len(), |e| end + e);
    Span::new(start, end)
}

/// A code as `&'static str`: a rule's own, or a ShellCheck code (`SC` and
/// four digits, a bounded set, kept once).
fn static_code(code: &str) -> Option<&'static str> {
    if let Some(meta) = berth_rules::rules::by_code(code) {
        return Some(meta.code);
    }
    let shellcheck = code.len() == 6 && code.starts_with("SC") && code[2..].bytes().all(|b| b.is_ascii_digit());
    if !shellcheck {
        return None;
    }
    static KNOWN: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut known = KNOWN.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(k) = known.iter().find(|k| **k == code) {
        return Some(k);
    }
    let leaked: &'static str = Box::leak(code.to_string().into_boxed_str());
    known.push(leaked);
    Some(leaked)
}

/// The findings code actions are offered for: berth's own findings on the
/// lines of `range`, and each finding the client sent (matched to berth's by
/// code and range, else by code on the same line; a finding berth no longer
/// has, such as one of ShellCheck's from before a restart, still gets its
/// ignore actions).
pub fn findings_for(snap: &Snapshot, diags: &[Diagnostic], range: Span, reported: &[Reported]) -> Vec<Diagnostic> {
    let text = &*snap.text;
    let lines = whole_lines(text, range);
    let mut out: Vec<Diagnostic> = diags.iter().filter(|d| touches(d, lines)).cloned().collect();
    for r in reported {
        let span = snap.span(r.range.0, r.range.1);
        let line = line_start(text, span.start);
        let found = diags
            .iter()
            .find(|d| d.code == r.code && d.span == span)
            .or_else(|| diags.iter().find(|d| d.code == r.code && line_start(text, d.span.start) == line));
        let d = match found {
            Some(d) => d.clone(),
            None => {
                let Some(code) = static_code(&r.code) else { continue };
                let (name, severity) = berth_rules::rules::by_code(code)
                    .map_or(("shellcheck", berth_rules::Severity::Info), |m| (m.name, m.severity));
                Diagnostic { code, name, severity, message: r.message.clone(), span, fix: None, related: Vec::new() }
            }
        };
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out.sort_by_key(|d| (d.span.start, d.span.end, d.code));
    out
}

/// Quick fixes and ignore actions for `found` (from [`findings_for`]): each
/// finding's fix, then per code "ignore for this instruction" (Dockerfile) or
/// "for this line" (Compose), and "ignore in this file".
pub fn quick_fixes(snap: &Snapshot, analysis: &Analysis, found: &[Diagnostic]) -> Vec<Action> {
    let compose = snap.language == Some(Language::Compose);
    let mut out = Vec::new();
    for d in found {
        if let Some(fix) = &d.fix {
            out.push(Action {
                title: fix_title(&fix.title, fix.safety, compose),
                kind: ActionKind::QuickFix,
                edits: fix.edits.clone(),
                preferred: fix.safety == Safety::Safe,
                diagnostics: vec![d.clone()],
                deferred: false,
            });
        }
    }
    let mut offered: Vec<&str> = Vec::new();
    let mut file_wide = Vec::new();
    for d in found {
        if offered.contains(&d.code)
            || d.code == engine::SYNTAX_ERROR.code
            || d.code == engine::YAML_SYNTAX_ERROR.code
            || d.code == berth_ai::REVIEW_CODE
        {
            continue;
        }
        offered.push(d.code);
        let same: Vec<Diagnostic> = found.iter().filter(|o| o.code == d.code).cloned().collect();
        if let Some((edit, reach)) = ignore_here(snap, analysis, d) {
            out.push(Action {
                title: format!("Ignore {} {reach}", d.code),
                kind: ActionKind::QuickFix,
                edits: vec![edit],
                preferred: false,
                diagnostics: same.clone(),
                deferred: false,
            });
        }
        if let Some(edit) = ignore_in_file(snap, analysis, d.code) {
            file_wide.push(Action {
                title: format!("Ignore {} in this file", d.code),
                kind: ActionKind::QuickFix,
                edits: vec![edit],
                preferred: false,
                diagnostics: same,
                deferred: false,
            });
        }
    }
    out.extend(file_wide);
    out
}

/// A fix's title as offered: a fix that is not safe says what it changes,
/// the image (Dockerfile) or the running containers (Compose).
pub fn fix_title(title: &str, safety: Safety, compose: bool) -> String {
    match (safety, compose) {
        (Safety::Safe, _) => title.to_string(),
        (Safety::Unsafe, false) => format!("{title} (changes the build)"),
        (Safety::Unsafe, true) => format!("{title} (changes the deployment)"),
    }
}

/// Start of the line holding `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// The line break the file uses.
fn eol(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// The line before the one starting at `start`, without its break.
fn previous_line(text: &str, start: usize) -> Option<(usize, &str)> {
    if start == 0 {
        return None;
    }
    let before = text[..start].trim_end_matches('\n').trim_end_matches('\r');
    let s = line_start(text, before.len());
    Some((s, &text[s..before.len()]))
}

/// An edit adding `code` to an ignore comment on the line above `line_at`
/// (same indentation), or inserting a new comment line there.
fn add_ignore(text: &str, line_at: usize, indent: &str, code: &str) -> Edit {
    if let Some((s, prev)) = previous_line(text, line_at) {
        let body = prev.trim_start();
        if prev[..prev.len() - body.len()] == *indent {
            for tool in ["# berth ignore=", "# hadolint ignore="] {
                if let Some(list) = body.strip_prefix(tool) {
                    let end = list.find(char::is_whitespace).unwrap_or(list.len());
                    let at = s + (prev.len() - body.len()) + tool.len() + end;
                    return Edit::insert(at, format!(",{code}"));
                }
            }
        }
    }
    Edit::insert(line_at, format!("{indent}# berth ignore={code}{}", eol(text)))
}

fn leading_ws(line: &str) -> &str {
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// The edit that makes berth ignore `d` where it is.
#[cfg(test)]
pub fn ignore_edit(snap: &Snapshot, analysis: &Analysis, d: &Diagnostic) -> Option<Edit> {
    ignore_here(snap, analysis, d).map(|(e, _)| e)
}

/// The edit that makes berth ignore `d` where it is, and what it covers, as
/// the end of a title: a `# berth ignore=` line above the instruction (it
/// covers that instruction), or above the Compose key (it covers that line
/// and the lines nested under it).
fn ignore_here(snap: &Snapshot, analysis: &Analysis, d: &Diagnostic) -> Option<(Edit, &'static str)> {
    let text = &*snap.text;
    match (snap.language?, analysis) {
        (Language::Dockerfile, Analysis::Dockerfile(file)) => {
            let insts = &file.instructions;
            let at = insts.partition_point(|i| i.span.start <= d.span.start);
            // The instruction holding the finding, else the next one.
            let inst = at
                .checked_sub(1)
                .map(|i| &insts[i])
                .filter(|i| d.span.start <= i.span.end)
                .or_else(|| insts.get(at))?;
            let start = line_start(text, inst.span.start);
            let indent = &text[start..inst.span.start];
            if !indent.chars().all(|c| c == ' ' || c == '\t') {
                return None;
            }
            Some((add_ignore(text, start, indent, d.code), "for this instruction"))
        }
        (Language::Compose, _) => {
            let start = compose_key_line(text, line_start(text, d.span.start));
            let line_end = text[start..].find(['\n', '\r']).map_or(text.len(), |e| start + e);
            let line = &text[start..line_end];
            let indent = &line[..line.len() - line.trim_start_matches(' ').len()];
            let reach = if has_nested_lines(text, line_end, indent.len()) {
                "for this line and the lines under it"
            } else {
                "for this line"
            };
            Some((add_ignore(text, start, indent, d.code), reach))
        }
        _ => None,
    }
}

/// True when the first line after `from` that is not blank or a comment is
/// indented deeper than `width` (a Compose key holding a mapping, a list or
/// a block scalar).
fn has_nested_lines(text: &str, from: usize, width: usize) -> bool {
    text[from..]
        .split(['\n', '\r'])
        .map(|l| (l.trim_start_matches(' '), l.len() - l.trim_start_matches(' ').len()))
        .find(|(body, _)| !body.trim().is_empty() && !body.starts_with('#'))
        .is_some_and(|(_, w)| w > width)
}

/// The edit that makes berth ignore `code` in the whole file: the code
/// added to a `# berth global ignore=` comment, or such a comment as the
/// first line (in a Dockerfile, after the parser directives, which must
/// stay first).
pub fn ignore_in_file(snap: &Snapshot, analysis: &Analysis, code: &str) -> Option<Edit> {
    let text = &*snap.text;
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut at = bom;
    if let (Some(Language::Dockerfile), Analysis::Dockerfile(file)) = (snap.language, analysis)
        && let Some(last) = file.directives.iter().map(|d| d.span.end).max()
    {
        let end = text[last..].find('\n').map_or(text.len(), |e| last + e + 1);
        at = end;
    }
    let mut start = bom;
    while start < text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
        let line = text[start..end].trim_end_matches('\r');
        let body = line.trim_start_matches([' ', '\t']);
        if let Some(list) = body.strip_prefix("# berth global ignore=") {
            let len = list.find(char::is_whitespace).unwrap_or(list.len());
            let codes = &list[..len];
            if codes.split(',').any(|c| c.trim() == code) {
                return None;
            }
            let insert = start + (line.len() - body.len()) + "# berth global ignore=".len() + len;
            return Some(Edit::insert(insert, format!(",{code}")));
        }
        start = end + 1;
    }
    if at > text.len() {
        at = text.len();
    }
    let mut new = String::new();
    if at == text.len() && at > 0 && !text.ends_with('\n') {
        new.push_str(eol(text));
    }
    new.push_str(&format!("# berth global ignore={code}{}", eol(text)));
    Some(Edit::insert(at, new))
}

/// The line of the key that owns the line at `start`: the line itself, or,
/// inside a block scalar (`key: |`), the line of its key, since a comment
/// line inside the scalar would become part of its text.
fn compose_key_line(text: &str, mut start: usize) -> usize {
    let line_at = |s: usize| &text[s..text[s..].find(['\n', '\r']).map_or(text.len(), |e| s + e)];
    loop {
        let current = line_at(start);
        let width = leading_ws(current).len();
        let mut probe = start;
        let owner = loop {
            let Some((s, prev)) = previous_line(text, probe) else { break None };
            probe = s;
            if prev.trim().is_empty() {
                continue;
            }
            if leading_ws(prev).len() < width || (current.trim().is_empty() && leading_ws(prev).len() <= width) {
                break Some((s, prev));
            }
        };
        let Some((s, owner)) = owner else { return start };
        let value = owner.trim_end();
        let block = value
            .rsplit([':', '-', ' '])
            .next()
            .is_some_and(|t| !t.is_empty() && (t.starts_with('|') || t.starts_with('>')) && t.len() <= 3);
        if !block {
            return start;
        }
        start = s;
    }
}

/// Every safe fix, applied by the engine's fix loop, as one edit (`None`
/// when nothing changes).
pub fn fix_all(snap: &Snapshot, eff: &Effective, context: &Context) -> Option<Action> {
    let selection = eff.selection();
    let text = &*snap.text;
    let kind = match snap.language? {
        Language::Dockerfile => FileKind::Dockerfile,
        Language::Compose => FileKind::Compose,
    };
    // Each pass linted in the document's context, as it is published.
    let result = context.fix_all(kind, text, &selection, Safety::Safe, eff.config.settings());
    if result.applied == 0 || result.text == text {
        return None;
    }
    Some(Action {
        title: FIX_ALL_TITLE.into(),
        kind: ActionKind::FixAll,
        edits: vec![minimal_edit(text, &result.text)],
        preferred: false,
        diagnostics: Vec::new(),
        deferred: false,
    })
}

pub const FIX_ALL_TITLE: &str = "Fix all safe berth problems";

/// The fix-all action without its edit, for the client to resolve.
pub fn fix_all_deferred() -> Action {
    Action {
        title: FIX_ALL_TITLE.into(),
        kind: ActionKind::FixAll,
        edits: Vec::new(),
        preferred: false,
        diagnostics: Vec::new(),
        deferred: true,
    }
}

/// One edit turning `old` into `new`: the differing middle.
pub fn minimal_edit(old: &str, new: &str) -> Edit {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = (a.len() - prefix).min(b.len() - prefix);
    let mut suffix = a.iter().rev().zip(b.iter().rev()).take(max_suffix).take_while(|(x, y)| x == y).count();
    while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
        suffix -= 1;
    }
    Edit::replace(Span::new(prefix, a.len() - suffix), &new[prefix..b.len() - suffix])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::{DocUri, Document};
    use berth_rules::engine::fix::apply;
    use berth_rules::engine::{Fix, Selection};

    fn snap(text: &str, lang: &str) -> Snapshot {
        Document::new(DocUri("untitled:x".into()), None, lang.into(), 1, text).snapshot()
    }

    fn apply_one(text: &str, e: &Edit) -> String {
        apply(text, &[&Fix::safe("t", vec![e.clone()])]).0
    }

    #[test]
    fn minimal_edits() {
        for (a, b) in [("abc", "abc"), ("abXc", "abc"), ("", "x"), ("日本", "日x本"), ("aé", "aè"), ("aaa", "aa")]
        {
            let e = minimal_edit(a, b);
            assert_eq!(apply_one(a, &e), b, "{a} -> {b}");
        }
        assert_eq!(minimal_edit("FROM a\nRUN x\n", "FROM a\nRUN y\n").span, Span::new(11, 12));
    }

    #[test]
    fn ignore_comments_in_dockerfiles() {
        let text = "FROM alpine\n  MAINTAINER me\n";
        let s = snap(text, "dockerfile");
        let a = Analysis::parse(Language::Dockerfile, text);
        let d = berth_rules::engine::lint(text, &Selection::default())
            .diagnostics
            .into_iter()
            .find(|d| d.code == "DL4000")
            .unwrap();
        let e = ignore_edit(&s, &a, &d).unwrap();
        let fixed = apply_one(text, &e);
        assert_eq!(fixed, "FROM alpine\n  # berth ignore=DL4000\n  MAINTAINER me\n");
        // A second code joins the comment.
        let s2 = snap(&fixed, "dockerfile");
        let a2 = Analysis::parse(Language::Dockerfile, &fixed);
        let mut d2 = d.clone();
        d2.code = "DL9999";
        d2.span = Span::new(fixed.find("MAINTAINER").unwrap(), fixed.find("MAINTAINER").unwrap() + 3);
        let e2 = ignore_edit(&s2, &a2, &d2).unwrap();
        assert_eq!(apply_one(&fixed, &e2), "FROM alpine\n  # berth ignore=DL4000,DL9999\n  MAINTAINER me\n");
    }

    #[test]
    fn ignore_comments_in_compose_files() {
        let text = "services:\n  web:\n    command: |\n      echo hi\n    privileged: true\n";
        let s = snap(text, "dockercompose");
        let a = Analysis::parse(Language::Compose, text);
        let r = berth_rules::engine::lint_compose(text, &Selection::default());
        let d = r.diagnostics.iter().find(|d| d.code == "BC2001").unwrap();
        let out = apply_one(text, &ignore_edit(&s, &a, d).unwrap());
        assert_eq!(
            out,
            "services:\n  web:\n    command: |\n      echo hi\n    # berth ignore=BC2001\n    privileged: true\n"
        );
        assert!(
            berth_rules::engine::lint_compose(&out, &Selection::default())
                .diagnostics
                .iter()
                .all(|x| x.code != "BC2001")
        );
        // Inside a block scalar: above its key, not inside the text.
        let at = text.find("hi").unwrap();
        let mut inside = d.clone();
        inside.span = Span::new(at, at + 2);
        let out = apply_one(text, &ignore_edit(&s, &a, &inside).unwrap());
        assert_eq!(
            out,
            "services:\n  web:\n    # berth ignore=BC2001\n    command: |\n      echo hi\n    privileged: true\n"
        );
    }

    fn file_wide(text: &str, lang: &str, code: &str) -> Option<String> {
        let s = snap(text, lang);
        let l = if lang == "dockerfile" { Language::Dockerfile } else { Language::Compose };
        let a = Analysis::parse(l, text);
        ignore_in_file(&s, &a, code).map(|e| apply_one(text, &e))
    }

    #[test]
    fn ignores_in_the_whole_file() {
        // After the parser directives (they must stay first), CRLF kept.
        assert_eq!(
            file_wide("# syntax=docker/dockerfile:1\r\n# escape=`\r\nFROM a\r\n", "dockerfile", "DL3006").unwrap(),
            "# syntax=docker/dockerfile:1\r\n# escape=`\r\n# berth global ignore=DL3006\r\nFROM a\r\n"
        );
        // First line otherwise, after a byte-order mark.
        assert_eq!(
            file_wide("\u{feff}FROM a\n", "dockerfile", "DL3006").unwrap(),
            "\u{feff}# berth global ignore=DL3006\nFROM a\n"
        );
        // Joins an existing comment; nothing when the code is already there.
        let joined = "FROM a\n# berth global ignore=DL3006,DL3007 why\n";
        assert_eq!(file_wide("FROM a\n# berth global ignore=DL3006 why\n", "dockerfile", "DL3007").unwrap(), joined);
        assert_eq!(file_wide(joined, "dockerfile", "DL3007"), None);
        // A directive-only file without a final line break.
        assert_eq!(
            file_wide("# syntax=x", "dockerfile", "DL3006").unwrap(),
            "# syntax=x\n# berth global ignore=DL3006\n"
        );
        // Compose: the first line; the engine then ignores the code.
        let text = "services:\n  web:\n    image: nginx\n    privileged: true\n";
        let out = file_wide(text, "dockercompose", "BC2001").unwrap();
        assert_eq!(out, format!("# berth global ignore=BC2001\n{text}"));
        assert!(
            berth_rules::engine::lint_compose(&out, &Selection::default())
                .diagnostics
                .iter()
                .all(|d| d.code != "BC2001")
        );
    }

    #[test]
    fn titles_say_what_changes() {
        assert_eq!(fix_title("Sort", Safety::Safe, true), "Sort");
        assert_eq!(fix_title("Add -y", Safety::Unsafe, false), "Add -y (changes the build)");
        assert_eq!(
            fix_title("Publish on 127.0.0.1 only", Safety::Unsafe, true),
            "Publish on 127.0.0.1 only (changes the deployment)"
        );
        let text = "services:\n  web:\n    privileged: true\n    ports:\n      # c\n      - 80:80\n";
        let s = snap(text, "dockercompose");
        let a = Analysis::parse(Language::Compose, text);
        let d = |at: &str| {
            let at = text.find(at).unwrap();
            let mut d = berth_rules::rules::by_code("BC2001").unwrap().diagnostic(Span::new(at, at + 1), "x");
            d.code = "BC2001";
            d
        };
        assert_eq!(ignore_here(&s, &a, &d("privileged")).unwrap().1, "for this line");
        assert_eq!(ignore_here(&s, &a, &d("ports")).unwrap().1, "for this line and the lines under it");
        let found = quick_fixes(&s, &a, &[d("privileged")]);
        let titles: Vec<&str> = found.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["Ignore BC2001 for this line", "Ignore BC2001 in this file"]);
    }

    #[test]
    fn findings_from_the_client() {
        let text = "FROM alpine\nRUN echo $x\nMAINTAINER me\n";
        let s = snap(text, "dockerfile");
        let diags = berth_rules::engine::lint(text, &Selection::default()).diagnostics;
        let on = |line: usize| (LineCol { line, col: 0 }, LineCol { line, col: 0 });
        // The cursor's line only.
        let found = findings_for(&s, &diags, s.span(on(2).0, on(2).1), &[]);
        assert!(found.iter().all(|d| d.code == "DL4000") && !found.is_empty(), "{found:?}");
        // A reported finding elsewhere (matched to berth's), and one berth does
        // not have (kept, without a fix); unknown codes are dropped.
        let reported = [
            Reported {
                code: "DL3006".into(),
                range: (LineCol { line: 0, col: 5 }, LineCol { line: 0, col: 11 }),
                message: "m".into(),
            },
            Reported {
                code: "SC2086".into(),
                range: (LineCol { line: 1, col: 9 }, LineCol { line: 1, col: 11 }),
                message: "q".into(),
            },
            Reported { code: "XX1".into(), range: on(1), message: "?".into() },
        ];
        let found = findings_for(&s, &diags, s.span(on(2).0, on(2).1), &reported);
        let codes: Vec<&str> = found.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["DL3006", "SC2086", "DL4000"]);
        assert_eq!(found[0], *diags.iter().find(|d| d.code == "DL3006").unwrap());
        assert!(found[1].fix.is_none() && found[1].message == "q");
    }

    #[test]
    fn kinds() {
        assert!(wanted(ActionKind::FixAll, Some(&["source".into()])));
        assert!(wanted(ActionKind::FixAll, Some(&["source.fixAll".into()])));
        assert!(!wanted(ActionKind::FixAll, Some(&["quickfix".into()])));
        assert!(!wanted(ActionKind::QuickFix, Some(&["quick".into()])));
        assert!(wanted(ActionKind::QuickFix, None));
    }
}
