//! The model's answer is data. It is read as JSON (bare, or in a Markdown
//! code fence, after any `<think>` block), its edits must stay inside the
//! file's lines, placeholders are put back, and the edited file is parsed
//! and linted again: a fix is offered only when the file still parses, the
//! targeted finding is gone and no new warning or error appears.

use super::redact::Redacted;
use super::{Document, Kind};
use berth_rules::engine::{self, Diagnostic, Edit, Fix, Severity};
use berth_rules::text::{LineIndex, Span};
use serde_json::Value;

/// One edit as the model wrote it (redacted text, 1-based inclusive lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedEdit {
    pub start_line: usize,
    pub end_line: usize,
    pub replacement: String,
}

/// A fix answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixAnswer {
    pub title: Option<String>,
    pub explanation: Option<String>,
    pub edits: Vec<ProposedEdit>,
}

/// One review finding as the model wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewItem {
    pub start_line: usize,
    pub end_line: usize,
    pub hint: bool,
    pub message: String,
    pub edits: Vec<ProposedEdit>,
}

/// The JSON object in an answer: bare, in a ```json fence, or the outermost
/// `{...}` of text around it. A `<think>...</think>` block is skipped.
pub fn extract_json(content: &str) -> Result<Value, String> {
    let mut text = content.trim();
    if let Some(end) = text.find("</think>") {
        text = text[end + "</think>".len()..].trim();
    }
    let mut candidates: Vec<&str> = vec![text];
    if let Some(start) = text.find("```") {
        let after = &text[start + 3..];
        let body_start = after.find('\n').map_or(0, |i| i + 1);
        let body = &after[body_start..];
        if let Some(end) = body.find("```") {
            candidates.insert(0, body[..end].trim());
        }
    }
    if let (Some(a), Some(b)) = (text.find('{'), text.rfind('}'))
        && a < b
    {
        candidates.push(&text[a..=b]);
    }
    let mut last_err = String::from("empty answer");
    for c in candidates {
        match serde_json::from_str::<Value>(c) {
            Ok(v) if v.is_object() => return Ok(v),
            Ok(_) => last_err = "the answer is not a JSON object".into(),
            Err(e) => last_err = format!("the answer is not valid JSON ({e})"),
        }
    }
    Err(last_err)
}

fn number(v: Option<&Value>) -> Option<usize> {
    match v? {
        Value::Number(n) => n.as_u64().map(|n| n as usize),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn field<'a>(o: &'a Value, names: &[&str]) -> Option<&'a Value> {
    names.iter().find_map(|n| o.get(*n))
}

fn edits_of(v: Option<&Value>) -> Result<Vec<ProposedEdit>, String> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(_) => vec![v],
        Value::Null => Vec::new(),
        _ => return Err("`edits` is not a list".into()),
    };
    items
        .into_iter()
        .map(|e| {
            let start =
                number(field(e, &["start_line", "start", "line", "from_line"])).ok_or("an edit has no `start_line`")?;
            let end = number(field(e, &["end_line", "end", "to_line"])).unwrap_or(start);
            let replacement = match field(e, &["replacement", "new_text", "text", "content"]) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Array(lines)) => {
                    lines.iter().map(|l| l.as_str().unwrap_or_default()).collect::<Vec<_>>().join("\n")
                }
                Some(Value::Null) | None => return Err("an edit has no `replacement`".to_string()),
                Some(_) => return Err("an edit's `replacement` is not text".to_string()),
            };
            Ok(ProposedEdit { start_line: start, end_line: end, replacement })
        })
        .collect()
}

fn text_of(o: &Value, names: &[&str]) -> Option<String> {
    field(o, names).and_then(Value::as_str).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Read a fix answer.
pub fn parse_fix(content: &str) -> Result<FixAnswer, String> {
    let v = extract_json(content)?;
    Ok(FixAnswer {
        title: text_of(&v, &["title"]),
        explanation: text_of(&v, &["explanation", "reason"]),
        edits: edits_of(field(&v, &["edits", "edit"]))?,
    })
}

/// Read a review answer.
pub fn parse_review(content: &str) -> Result<Vec<ReviewItem>, String> {
    let v = extract_json(content)?;
    let items = match field(&v, &["findings", "issues", "items"]) {
        Some(Value::Array(a)) => a.clone(),
        Some(Value::Null) | None => Vec::new(),
        Some(_) => return Err("`findings` is not a list".into()),
    };
    let mut out = Vec::new();
    for it in items {
        let Some(start) = number(field(&it, &["start_line", "line", "start"])) else { continue };
        let end = number(field(&it, &["end_line", "end"])).unwrap_or(start).max(start);
        let Some(message) = text_of(&it, &["message", "description"]) else { continue };
        let hint = text_of(&it, &["severity"]).is_some_and(|s| s.eq_ignore_ascii_case("hint"));
        let edits = edits_of(field(&it, &["edits", "edit"])).unwrap_or_default();
        out.push(ReviewItem { start_line: start, end_line: end, hint, message, edits });
    }
    Ok(out)
}

/// Lines of a text as the prompt numbered them (a final line break ends the last line).
pub fn line_count(text: &str) -> usize {
    text.lines().count()
}

/// Drop line-number prefixes (`  12 | `) the model copied from the prompt.
fn strip_numbers(s: &str) -> String {
    let numbered = |l: &str| {
        let t = l.trim_start();
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && (t[digits..].starts_with(" | ") || t[digits..] == *" |")
    };
    let lines: Vec<&str> = s.split('\n').collect();
    if lines.iter().filter(|l| !l.trim().is_empty()).all(|l| numbered(l)) && lines.iter().any(|l| numbered(l)) {
        lines
            .iter()
            .map(|l| {
                let t = l.trim_start();
                let digits = t.chars().take_while(char::is_ascii_digit).count();
                t[digits..].strip_prefix(" | ").or_else(|| t[digits..].strip_prefix(" |")).unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        s.to_string()
    }
}

/// Turn line edits on the redacted text into byte edits on the original,
/// with this document's placeholders put back. Edits outside the file's
/// lines, overlapping edits and unknown placeholders are refused.
pub fn to_edits(red: &Redacted, original: &str, proposed: &[ProposedEdit]) -> Result<Vec<Edit>, String> {
    let text = &red.text;
    let lines = LineIndex::new(text);
    let n = line_count(text);
    let mut out = Vec::new();
    for p in proposed {
        let (s, e) = (p.start_line, p.end_line);
        let insert = e + 1 == s;
        if s == 0 || s > n + 1 || (!insert && (e < s || e > n)) || (s == n + 1 && !insert) {
            return Err(format!("an edit of lines {s}-{e} is outside the file's lines 1-{n}"));
        }
        let start = lines.line_start(s - 1).min(text.len());
        let end = if insert { start } else { lines.line_start(e).min(text.len()) };
        let mut replacement = strip_numbers(&p.replacement);
        if replacement.ends_with('\n') {
            replacement.pop();
        }
        let crlf = text.contains("\r\n");
        let mut new_text = if replacement.is_empty() && !insert {
            String::new()
        } else {
            let eol = if crlf { "\r\n" } else { "\n" };
            let body = if crlf { replacement.replace("\r\n", "\n").replace('\n', "\r\n") } else { replacement };
            // The last line keeps having (or not having) its final line break.
            let at_end_without_eol = end == text.len() && !text.ends_with('\n');
            if at_end_without_eol && !insert { body } else { format!("{body}{eol}") }
        };
        if insert && start == text.len() && !text.is_empty() && !text.ends_with('\n') {
            new_text.insert(0, '\n');
        }
        let new_text = red.restore(&new_text)?;
        let (Some(os), Some(oe)) = (red.to_original(start), red.to_original(end)) else {
            return Err("an edit starts or ends inside a redacted value".into());
        };
        if os > oe || oe > original.len() {
            return Err("an edit does not map back onto the file".into());
        }
        out.push(Edit { span: Span::new(os, oe), new_text });
    }
    out.sort_by_key(|e| (e.span.start, e.span.end));
    for w in out.windows(2) {
        if w[0].span.end > w[1].span.start || (w[0].span.is_empty() && w[0].span.start == w[1].span.start) {
            return Err("the edits overlap".into());
        }
    }
    Ok(out)
}

/// What linting a text gave: findings, and whether it parses.
pub struct Linted {
    pub diagnostics: Vec<Diagnostic>,
    /// Dockerfile: syntax errors; Compose: 1 when the YAML does not load.
    pub syntax_errors: usize,
}

/// Lint a text as the document's kind, with its selection and settings, in
/// its context.
pub fn lint(doc: &Document, text: &str) -> Linted {
    let kind = match doc.kind {
        Kind::Dockerfile => berth_workspace::FileKind::Dockerfile,
        Kind::Compose => berth_workspace::FileKind::Compose,
    };
    let r = doc.context.lint(kind, std::sync::Arc::from(text), &doc.selection, doc.settings.clone(), None);
    Linted { syntax_errors: r.syntax_errors(), diagnostics: r.diagnostics }
}

/// Apply edits (all of them, or an error).
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, String> {
    let fix = Fix::unsafe_("ai", edits.to_vec());
    let (out, n) = engine::fix::apply(text, &[&fix]);
    if n != 1 { Err("the edits cannot be applied".into()) } else { Ok(out) }
}

/// Where `span` of the old text lands in the new text after `edits` (sorted):
/// shifted when outside every edit, the edited region when inside one.
fn moved(span: Span, edits: &[Edit]) -> Span {
    let mut delta: isize = 0;
    let mut start = None;
    let mut end = None;
    for e in edits {
        let new_len = e.new_text.len() as isize;
        let new_start = (e.span.start as isize + delta) as usize;
        if start.is_none() && span.start < e.span.start {
            start = Some((span.start as isize + delta) as usize);
        } else if start.is_none() && span.start <= e.span.end {
            start = Some(new_start);
        }
        if end.is_none() && span.end <= e.span.start {
            end = Some((span.end as isize + delta) as usize);
        } else if end.is_none() && span.end <= e.span.end {
            end = Some((new_start as isize + new_len) as usize);
        }
        delta += new_len - e.span.len() as isize;
    }
    let start = start.unwrap_or((span.start as isize + delta) as usize);
    let end = end.unwrap_or((span.end as isize + delta) as usize).max(start);
    Span::new(start, end)
}

fn serious(d: &Diagnostic) -> bool {
    d.severity.at_least(Severity::Warning)
}

/// Warnings and errors of `after` that `before` does not have (counted per code).
pub fn new_serious(before: &[Diagnostic], after: &[Diagnostic]) -> Vec<String> {
    let mut out = Vec::new();
    let mut codes: Vec<&str> = after.iter().filter(|d| serious(d)).map(|d| d.code).collect();
    codes.sort();
    codes.dedup();
    for code in codes {
        let b = before.iter().filter(|d| d.code == code).count();
        let a = after.iter().filter(|d| d.code == code).count();
        if a > b {
            let d = after.iter().find(|d| d.code == code).map(|d| d.message.as_str()).unwrap_or("");
            out.push(format!("{code} ({})", super::one_line(d, 100)));
        }
    }
    out
}

/// Check a fix of `target`: the edited file parses as well as before, the
/// finding is gone, and no new warning or error appears. `Err` says why not.
pub fn check_fix(doc: &Document, target: &Diagnostic, edits: &[Edit]) -> Result<String, String> {
    if edits.is_empty() {
        return Err("the answer has no edit".into());
    }
    let next = apply(&doc.text, edits)?;
    if next == doc.text {
        return Err("the edits change nothing".into());
    }
    let before = lint(doc, &doc.text);
    let after = lint(doc, &next);
    if after.syntax_errors > before.syntax_errors {
        return Err("the edited file no longer parses".into());
    }
    let was = before.diagnostics.iter().filter(|d| d.code == target.code).count();
    let now = after.diagnostics.iter().filter(|d| d.code == target.code).count();
    let at = moved(target.span, edits);
    let still = after.diagnostics.iter().any(|d| {
        d.code == target.code && (d.span == at || (d.span.start >= at.start && d.span.start < at.end.max(at.start + 1)))
    });
    if now >= was || still {
        return Err(format!("{} is still reported after the edit", target.code));
    }
    let added = new_serious(&before.diagnostics, &after.diagnostics);
    if !added.is_empty() {
        return Err(format!("the edit adds {}", added.join(", ")));
    }
    Ok(next)
}

/// Check an advisory edit (AI review): it parses and adds no warning or error.
pub fn check_advisory(doc: &Document, edits: &[Edit]) -> Result<String, String> {
    if edits.is_empty() {
        return Err("no edit".into());
    }
    let next = apply(&doc.text, edits)?;
    if next == doc.text {
        return Err("the edits change nothing".into());
    }
    let before = lint(doc, &doc.text);
    let after = lint(doc, &next);
    if after.syntax_errors > before.syntax_errors {
        return Err("the edited file no longer parses".into());
    }
    let added = new_serious(&before.diagnostics, &after.diagnostics);
    if !added.is_empty() {
        return Err(format!("the edit adds {}", added.join(", ")));
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::redact;

    #[test]
    fn json_in_fences_and_prose() {
        let want = serde_json::json!({"edits": []});
        assert_eq!(extract_json("{\"edits\": []}").unwrap(), want);
        assert_eq!(extract_json("Here:\n```json\n{\"edits\": []}\n```\nDone.").unwrap(), want);
        assert_eq!(extract_json("<think>hmm {</think>\nSure: {\"edits\": []} ok").unwrap(), want);
        assert!(extract_json("no json here").is_err());
        assert!(extract_json("[1,2]").is_err());
    }

    #[test]
    fn line_edits_map_to_bytes() {
        let text = "FROM a\nENV T=hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123\nRUN x\n";
        let red = redact::redact(text, Kind::Dockerfile, 1);
        let e =
            to_edits(&red, text, &[ProposedEdit { start_line: 3, end_line: 3, replacement: "RUN y\nRUN z".into() }])
                .unwrap();
        assert_eq!(apply(text, &e).unwrap(), "FROM a\nENV T=hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123\nRUN y\nRUN z\n");
        // The placeholder kept in the edit is restored.
        let e = to_edits(
            &red,
            text,
            &[ProposedEdit { start_line: 2, end_line: 2, replacement: "ENV T=__BERTH_SECRET_1__ U=1".into() }],
        )
        .unwrap();
        assert!(apply(text, &e).unwrap().contains("ENV T=hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123 U=1\n"));
        // Insertion before line 2, numbers copied from the prompt.
        let e =
            to_edits(&red, text, &[ProposedEdit { start_line: 2, end_line: 1, replacement: "2 | USER app".into() }])
                .unwrap();
        assert!(apply(text, &e).unwrap().starts_with("FROM a\nUSER app\nENV"));
        // Out of range.
        assert!(to_edits(&red, text, &[ProposedEdit { start_line: 9, end_line: 9, replacement: "x".into() }]).is_err());
        assert!(to_edits(&red, text, &[ProposedEdit { start_line: 0, end_line: 1, replacement: "x".into() }]).is_err());
    }

    #[test]
    fn moved_spans() {
        let edits = vec![Edit { span: Span::new(2, 4), new_text: "abcd".into() }];
        assert_eq!(moved(Span::new(6, 8), &edits), Span::new(8, 10));
        assert_eq!(moved(Span::new(0, 1), &edits), Span::new(0, 1));
        assert_eq!(moved(Span::new(3, 4), &edits), Span::new(2, 6));
    }
}
