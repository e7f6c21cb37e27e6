//! `--format json`: one document on stdout.

use super::{FileReport, position};
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    files: usize,
    diagnostics: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Pos {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Range {
    start: Pos,
    end: Pos,
}

#[derive(Serialize)]
struct EditOut {
    range: Range,
    new_text: String,
}

#[derive(Serialize)]
struct FixOut {
    title: String,
    safety: &'static str,
    edits: Vec<EditOut>,
    /// `"ai"` for a suggestion of the AI (`--ai`); absent for berth's own fixes.
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<String>,
}

fn fix_out(r: &FileReport, f: &berth_rules::Fix, ai: Option<&super::AiFix>) -> FixOut {
    FixOut {
        title: f.title.clone(),
        safety: f.safety.as_str(),
        edits: f.edits.iter().map(|e| EditOut { range: range(r, e.span), new_text: e.new_text.clone() }).collect(),
        origin: ai.map(|_| "ai"),
        explanation: ai.and_then(|a| a.explanation.clone()),
    }
}

#[derive(Serialize)]
struct Entry<'a> {
    file: &'a str,
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    range: Range,
    fix: Option<FixOut>,
}

fn range(r: &FileReport, span: berth_rules::text::Span) -> Range {
    let (l1, c1) = position(r, span.start);
    let (l2, c2) = position(r, span.end);
    Range { start: Pos { line: l1, column: c1 }, end: Pos { line: l2, column: c2 } }
}

pub fn render(reports: &[FileReport], files: usize) -> String {
    let mut diagnostics = Vec::new();
    for r in reports {
        for d in &r.diagnostics {
            diagnostics.push(Entry {
                file: &r.display,
                code: d.code,
                name: d.name,
                severity: d.severity.as_str(),
                message: &d.message,
                range: range(r, d.span),
                fix: match (&d.fix, r.ai_fix(d)) {
                    (Some(f), _) => Some(fix_out(r, f, None)),
                    (None, Some(ai)) => Some(fix_out(r, &ai.fix, Some(ai))),
                    (None, None) => None,
                },
            });
        }
    }
    diagnostics.sort_by(|a, b| {
        (a.file, a.range.start.line, a.range.start.column).cmp(&(b.file, b.range.start.line, b.range.start.column))
    });
    let doc =
        Document { version: 1, tool: Tool { name: "berth", version: env!("CARGO_PKG_VERSION") }, files, diagnostics };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
