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
    // A bare array (of edits, or of review findings).
    if let (Some(a), Some(b)) = (text.find('['), text.rfind(']'))
        && a < b
    {
        candidates.push(&text[a..=b]);
    }
    let mut last_err = String::from("empty answer");
    for c in candidates {
        match serde_json::from_str::<Value>(c) {
            Ok(v) if v.is_object() || v.is_array() => return Ok(v),
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
            let start = number(field(e, &["start_line", "first_line", "first", "start", "line", "from_line"]))
                .ok_or("an edit has no `start_line`")?;
            let end = number(field(e, &["end_line", "last_line", "last", "end", "to_line"])).unwrap_or(start);
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
    if v.is_array() {
        // A bare array of edits.
        return Ok(FixAnswer { title: None, explanation: None, edits: edits_of(Some(&v))? });
    }
    Ok(FixAnswer {
        title: text_of(&v, &["title"]),
        explanation: text_of(&v, &["explanation", "reason"]),
        edits: edits_of(field(&v, &["edits", "edit"]))?,
    })
}

/// One entry of an answer to a batch of findings: the finding it names (its
/// number in the prompt, or its code) and the fix proposed for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixEntry {
    /// The finding's number (1-based, as the prompt numbered them).
    pub finding: Option<usize>,
    /// A rule code given instead of a number (`"finding": "DL3008"`).
    pub code: Option<String>,
    pub answer: FixAnswer,
    /// Why the entry's edits cannot be read, when they cannot.
    pub problem: Option<String>,
}

fn is_edit(v: &Value) -> bool {
    field(v, &["start_line", "first_line", "first", "start", "line"]).is_some()
        && field(v, &["replacement", "text", "new_text", "content"]).is_some()
}

/// Read an answer to a batch of findings: `{"fixes": [{"finding": N, "fix":
/// [EDIT...], "title"}]}`, a bare array of such entries, a single entry, or
/// (for one finding) the single-fix shapes [`parse_fix`] reads.
pub fn parse_fixes(content: &str) -> Result<Vec<FixEntry>, String> {
    let v = extract_json(content)?;
    let items: Vec<Value> = match &v {
        Value::Array(a) if a.iter().all(is_edit) && !a.is_empty() => {
            return Ok(vec![FixEntry { answer: parse_fix(content)?, ..FixEntry::default() }]);
        }
        Value::Array(a) => a.clone(),
        Value::Object(_) => match field(&v, &["fixes", "results", "findings"]) {
            Some(Value::Array(a)) => a.clone(),
            Some(Value::Null) => Vec::new(),
            Some(_) => return Err("`fixes` is not a list".into()),
            None if field(&v, &["fix", "edits", "edit", "finding"]).is_some() || is_edit(&v) => vec![v.clone()],
            None => return Err("the answer has no `fixes`".into()),
        },
        _ => return Err("the answer is not a JSON object".into()),
    };
    let mut out = Vec::new();
    for item in items {
        if !item.is_object() {
            return Err("an entry of `fixes` is not an object".into());
        }
        let mut entry = FixEntry::default();
        match field(&item, &["finding", "index", "id", "number", "finding_number"]) {
            Some(Value::String(s)) if s.trim().parse::<usize>().is_err() => {
                entry.code = Some(s.trim().trim_start_matches('#').to_string())
            }
            other => entry.finding = number(other),
        }
        let edits = if is_edit(&item) { Ok(vec![item.clone()]) } else { Err(()) };
        let parsed = match edits {
            Ok(one) => edits_of(Some(&Value::Array(one))),
            Err(()) => edits_of(field(&item, &["fix", "edits", "edit", "changes"])),
        };
        match parsed {
            Ok(edits) => entry.answer.edits = edits,
            Err(e) => entry.problem = Some(e),
        }
        entry.answer.title = text_of(&item, &["title"]);
        entry.answer.explanation = text_of(&item, &["explanation", "reason", "why"]);
        out.push(entry);
    }
    Ok(out)
}

/// Read a review answer.
pub fn parse_review(content: &str) -> Result<Vec<ReviewItem>, String> {
    let v = extract_json(content)?;
    let items = match if v.is_array() { Some(&v) } else { field(&v, &["findings", "issues", "items"]) } {
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

/// Lines (1-based, inclusive, of the redacted text) that a fix of the
/// finding at `target` (a span of the original text) may touch: the lines
/// of the finding, widened to its whole Dockerfile instruction, and
/// [`NEARBY`] lines around them (a fix may add a line before or after).
pub fn allowed_lines(doc: &Document, red: &Redacted, target: Span) -> (usize, usize) {
    let mut span = target;
    if doc.kind == Kind::Dockerfile {
        let file = berth_rules::syntax::Dockerfile::parse(&doc.text);
        if let Some(inst) = file
            .instructions
            .iter()
            .find(|i| i.span.start <= target.start && target.start < i.span.end.max(i.span.start + 1))
        {
            span = Span::new(span.start.min(inst.span.start), span.end.max(inst.span.end));
        }
    }
    let lines = LineIndex::new(&red.text);
    let first = lines.line_of(red.to_redacted(span.start)) + 1;
    let last = lines.line_of(red.to_redacted(span.end.max(span.start))) + 1;
    (first.saturating_sub(NEARBY).max(1), last + NEARBY)
}

/// Put back the indentation a model dropped from a Compose edit: when the
/// line an edit starts at (or is inserted before) is indented and no line
/// of the replacement is, every line of the replacement gets that
/// indentation. (Qwen2.5-Coder 1.5B answered `image: nginx:1.23` for the
/// line `    image: nginx`.) Dockerfiles are left alone: their indentation
/// carries no structure.
pub fn reindent(kind: Kind, red_text: &str, edits: &mut [ProposedEdit]) {
    if kind != Kind::Compose {
        return;
    }
    let lines: Vec<&str> = red_text.lines().collect();
    for e in edits {
        let Some(reference) = lines.get(e.start_line.saturating_sub(1)).or(lines.last()) else { continue };
        let indent: String = reference.chars().take_while(|c| *c == ' ').collect();
        let replacement = strip_numbers(&e.replacement);
        let body: Vec<&str> = replacement.split('\n').collect();
        let least = body.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min();
        if indent.is_empty() || least != Some(0) {
            continue;
        }
        e.replacement = body
            .iter()
            .map(|l| if l.trim().is_empty() { (*l).to_string() } else { format!("{indent}{l}") })
            .collect::<Vec<_>>()
            .join("\n");
    }
}

/// How many lines around a finding a fix may touch.
pub const NEARBY: usize = 3;

/// Drop the edits of an answer that cannot be meant: outside the file,
/// outside `allowed` (lines), the same edit twice, or replacing lines with
/// what they already hold. Returns the edits kept and why each other one was
/// dropped.
pub fn clean_edits(
    red_text: &str,
    proposed: &[ProposedEdit],
    allowed: Option<(usize, usize)>,
) -> (Vec<ProposedEdit>, Vec<String>) {
    let n = line_count(red_text);
    let lines: Vec<&str> = red_text.lines().collect();
    let mut kept: Vec<ProposedEdit> = Vec::new();
    let mut why = Vec::new();
    for p in proposed {
        let (s, e) = (p.start_line, p.end_line);
        let insert = e + 1 == s;
        if s == 0 || s > n + 1 || (!insert && (e < s || e > n)) {
            why.push(format!("an edit of lines {s}-{e} is outside the file's lines 1-{n}"));
            continue;
        }
        if kept.contains(p) {
            why.push(format!("an edit of lines {s}-{e} is given twice"));
            continue;
        }
        if let Some((a, b)) = allowed
            && (s < a || (if insert { s.saturating_sub(1) } else { e }) > b)
        {
            why.push(format!("an edit of lines {s}-{e} is far from the finding (lines {a}-{b} may change)"));
            continue;
        }
        if !insert {
            let current = lines[s - 1..e].iter().map(|l| l.trim_end_matches('\r')).collect::<Vec<_>>().join("\n");
            let new = strip_numbers(&p.replacement);
            if current.trim_end() == new.trim_end_matches('\n').trim_end() {
                why.push(format!("an edit of lines {s}-{e} changes nothing"));
                continue;
            }
        } else if p.replacement.trim().is_empty() {
            why.push(format!("an insertion before line {s} inserts nothing"));
            continue;
        }
        kept.push(p.clone());
    }
    (kept, why)
}

/// The image references a text names: `FROM` of a Dockerfile, `image:` of a Compose file.
pub fn images_named(kind: Kind, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        let image = match kind {
            Kind::Dockerfile => (t.len() > 5 && t[..5].eq_ignore_ascii_case("FROM "))
                .then(|| t[5..].split_whitespace().find(|w| !w.starts_with("--")))
                .flatten(),
            Kind::Compose => t.strip_prefix("image:").map(|v| {
                let v = v.trim();
                let v = v.split(" #").next().unwrap_or(v).trim();
                v.trim_matches(['"', '\''])
            }),
        };
        if let Some(i) = image.filter(|i| !i.is_empty()) {
            out.push(i.to_string());
        }
    }
    out
}

/// An image that `after` names and `before` does not, whose tag cannot exist.
pub fn implausible_new_image(kind: Kind, before: &str, after: &str) -> Option<String> {
    let old = images_named(kind, before);
    images_named(kind, after).into_iter().filter(|i| !old.contains(i)).find_map(|i| {
        berth_rules::rules::image_tags::implausible_tag(&i).map(|why| format!("the edit names the image `{i}`: {why}"))
    })
}

/// Online only (the document's run looked its images up): an image that
/// `after` names and `before` does not, whose tag its registry says it does
/// not have. A registry that cannot be reached says nothing (the offline tag
/// table has judged already).
pub fn missing_new_image(doc: &Document, before: &str, after: &str) -> Option<String> {
    doc.settings.registry.as_ref()?;
    let settings = berth_workspace::registry::run_settings()?;
    let old = images_named(doc.kind, before);
    images_named(doc.kind, after).into_iter().filter(|i| !old.contains(i) && !i.contains('$')).find_map(|i| {
        // On a thread of its own: the lookup runs its own runtime, and this
        // may be called from inside the AI client's.
        let check = std::thread::scope(|sc| sc.spawn(|| berth_workspace::registry::check_tag(&settings, &i)).join());
        match check.ok()? {
            berth_workspace::registry::TagCheck::Missing { did_you_mean } => Some(format!(
                "the edit names the image `{i}`, whose tag its registry does not have{}",
                did_you_mean.map(|t| format!(" (it has `{t}`)")).unwrap_or_default()
            )),
            _ => None,
        }
    })
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

/// A document's text with edits applied, and both texts linted.
struct Edited<'c> {
    next: String,
    before: &'c Linted,
    after: Linted,
}

/// Checks the edits of answers about one document. The document as it is
/// is linted once, at the first edit that gets that far, however many edits
/// are checked against it (a batch answer fixes up to eight findings; a
/// review can propose more).
pub struct Checker<'d> {
    doc: &'d Document,
    before: std::sync::OnceLock<Linted>,
}

impl<'d> Checker<'d> {
    pub fn new(doc: &'d Document) -> Self {
        Checker { doc, before: std::sync::OnceLock::new() }
    }

    /// What every check of an edit starts with: the edits apply and change
    /// something, every image they newly name can exist (and, online, does),
    /// and the edited file parses as well as before.
    fn edit_and_lint(&self, edits: &[Edit]) -> Result<Edited<'_>, String> {
        let doc = self.doc;
        let next = apply(&doc.text, edits)?;
        if next == doc.text {
            return Err("the edits change nothing".into());
        }
        if let Some(why) = implausible_new_image(doc.kind, &doc.text, &next) {
            return Err(why);
        }
        if let Some(why) = missing_new_image(doc, &doc.text, &next) {
            return Err(why);
        }
        let before = self.before.get_or_init(|| lint(doc, &doc.text));
        let after = lint(doc, &next);
        if after.syntax_errors > before.syntax_errors {
            return Err("the edited file no longer parses".into());
        }
        Ok(Edited { next, before, after })
    }

    /// Check a fix of `target`: the edited file parses as well as before,
    /// the finding is gone, and no new warning or error appears. `Err` says
    /// why not.
    pub fn fix(&self, target: &Diagnostic, edits: &[Edit]) -> Result<String, String> {
        let doc = self.doc;
        if edits.is_empty() {
            return Err("the answer has no edit".into());
        }
        let Edited { next, before, after } = self.edit_and_lint(edits)?;
        if let Some(package) = removed_package(doc, target, &next) {
            return Err(format!("the edit removes the package `{package}`"));
        }
        if let Some(why) = service_without_image(doc, &next) {
            return Err(why);
        }
        if let Some(keyword) = removed_instruction(doc, target, &next) {
            return Err(format!("the edit removes an instruction: {keyword}"));
        }
        let was = before.diagnostics.iter().filter(|d| d.code == target.code).count();
        let now = after.diagnostics.iter().filter(|d| d.code == target.code).count();
        let at = moved(target.span, edits);
        let still = after.diagnostics.iter().any(|d| {
            d.code == target.code
                && (d.span == at || (d.span.start >= at.start && d.span.start < at.end.max(at.start + 1)))
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

    /// Check an advisory edit (AI review): it parses and adds no warning or
    /// error.
    pub fn advisory(&self, edits: &[Edit]) -> Result<String, String> {
        if edits.is_empty() {
            return Err("no edit".into());
        }
        let Edited { next, before, after } = self.edit_and_lint(edits)?;
        let added = new_serious(&before.diagnostics, &after.diagnostics);
        if !added.is_empty() {
            return Err(format!("the edit adds {}", added.join(", ")));
        }
        Ok(next)
    }
}

/// A `pin-*-versions` rule: its fix is a version only a package index knows.
pub fn needs_version(rule_name: &str) -> bool {
    rule_name.starts_with("pin-") && rule_name.ends_with("-versions")
}

/// Whole-word occurrences of a package name (`git` in `git=1:2.39`, not in `gitk`).
fn word_count(text: &str, word: &str) -> usize {
    let part = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '/' | '@');
    text.match_indices(word)
        .filter(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            !before.is_some_and(part) && !after.is_some_and(|c| part(c) && c != '.')
        })
        .count()
}

/// A package a pin finding names (its related ranges) that the edited text
/// no longer installs. (Qwen2.5-Coder 1.5B "pinned" `apt-get install -y git
/// curl` as `apt-get install ... curl=7.88.1-10+deb12u5`: no `git`.)
fn removed_package(doc: &Document, target: &Diagnostic, next: &str) -> Option<String> {
    let meta = berth_rules::rules::by_code(target.code)?;
    if !needs_version(meta.name) {
        return None;
    }
    target.related.iter().find_map(|r| {
        let name = doc.text.get(r.span.start..r.span.end)?.trim();
        let name = name.split(['=', '<', '>', '~', '@']).next().unwrap_or(name);
        (!name.is_empty() && word_count(next, name) < word_count(&doc.text, name)).then(|| name.to_string())
    })
}

/// A Compose service that had an `image` or a `build` and has neither after
/// the edit (compose-go refuses it: "service has neither an image nor a
/// build context specified"). Qwen2.5-Coder 1.5B wrote a BC3001 `volumes:`
/// over the `image: postgres:16` line, and the finding went away with the image.
fn service_without_image(doc: &Document, next: &str) -> Option<String> {
    if doc.kind != Kind::Compose {
        return None;
    }
    let before = berth_rules::compose::ComposeFile::parse(&doc.text).ok()?;
    let after = berth_rules::compose::ComposeFile::parse(next).ok()?;
    let has = |n: &berth_rules::compose::Node| n.get("image").is_some() || n.get("build").is_some();
    before.services.iter().filter(|s| has(&s.node)).find_map(|s| {
        let now = after.services.iter().find(|a| a.name == s.name)?;
        (!has(&now.node)).then(|| format!("the edit leaves service `{}` with neither an image nor a build", s.name))
    })
}

/// The keyword of a Dockerfile instruction the edited text has fewer of:
/// the one the finding is on first (the finding went away with its
/// instruction), else any other. Qwen2.5-Coder 1.5B "added a HEALTHCHECK"
/// for BD3007 by writing it over the `EXPOSE` line the finding is on; the
/// 0.5B model fixed a relative WORKDIR by writing `WORKDIR /models` and
/// `RUN python3 serve.py` over the WORKDIR and the ENTRYPOINT.
fn removed_instruction(doc: &Document, target: &Diagnostic, next: &str) -> Option<String> {
    if doc.kind != Kind::Dockerfile {
        return None;
    }
    let before = berth_rules::syntax::Dockerfile::parse(&doc.text);
    let after = berth_rules::syntax::Dockerfile::parse(next);
    let count = |file: &berth_rules::syntax::Dockerfile, k: &berth_rules::syntax::Instruction| {
        file.instructions.iter().filter(|i| i.keyword == k.keyword).count()
    };
    let on = before.instructions.iter().find(|i| i.span.start <= target.span.start && target.span.start < i.span.end);
    on.into_iter()
        .chain(before.instructions.iter())
        .find(|k| count(&after, k) < count(&before, k))
        .map(|k| k.keyword_text.to_ascii_uppercase().to_string())
}

/// Move a one-line edit that missed its finding by a line or two onto the
/// finding's line, when the replacement starts with the finding's
/// instruction keyword and the line it names holds another instruction.
/// (Qwen2.5-Coder 1.5B wrote `WORKDIR /models` over line 6, an
/// `ENTRYPOINT`, for the `WORKDIR models` of line 5.) The moved edit is
/// validated like any other.
pub fn retarget(doc: &Document, red: &Redacted, target: Span, edits: &mut [ProposedEdit]) {
    if doc.kind != Kind::Dockerfile || edits.len() != 1 {
        return;
    }
    let e = &mut edits[0];
    let lines: Vec<&str> = red.text.lines().collect();
    let index = LineIndex::new(&red.text);
    let want = index.line_of(red.to_redacted(target.start)) + 1;
    let keyword = |l: &str| l.split_whitespace().next().map(str::to_ascii_uppercase).unwrap_or_default();
    let new_keyword = keyword(&strip_numbers(&e.replacement));
    if e.start_line != e.end_line || e.start_line == want || e.start_line.abs_diff(want) > 2 || new_keyword.is_empty() {
        return;
    }
    let (Some(at), Some(wanted)) = (lines.get(e.start_line.wrapping_sub(1)), lines.get(want - 1)) else { return };
    let single_line = !wanted.trim_end().ends_with('\\') && !strip_numbers(&e.replacement).contains('\n');
    if single_line && keyword(wanted) == new_keyword && keyword(at) != new_keyword {
        e.start_line = want;
        e.end_line = want;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact;

    #[test]
    fn json_in_fences_and_prose() {
        let want = serde_json::json!({"edits": []});
        assert_eq!(extract_json("{\"edits\": []}").unwrap(), want);
        assert_eq!(extract_json("Here:\n```json\n{\"edits\": []}\n```\nDone.").unwrap(), want);
        assert_eq!(extract_json("<think>hmm {</think>\nSure: {\"edits\": []} ok").unwrap(), want);
        assert!(extract_json("no json here").is_err());
        assert!(extract_json("42").is_err());
        // A bare array of edits, fenced.
        let a = parse_fix("```json\n[{\"start_line\": 2, \"end_line\": 2, \"replacement\": \"RUN y\"}]\n```").unwrap();
        assert_eq!(a.edits, vec![ProposedEdit { start_line: 2, end_line: 2, replacement: "RUN y".into() }]);
        assert!(parse_fix("[1, 2]").is_err());
    }

    /// The shapes of a batch answer: flat entries (what the schema asks
    /// for), nested `fix` lists with titles, a code instead of a number, the
    /// one-finding shape, a bare array of edits.
    #[test]
    fn batch_answers_in_every_shape() {
        let e = |s, e, r: &str| ProposedEdit { start_line: s, end_line: e, replacement: r.into() };
        let a = parse_fixes(r#"{"fixes": [{"finding": 2, "first": 3, "last": 3, "text": "USER 1"}]}"#).unwrap();
        assert_eq!((a[0].finding, &a[0].answer.edits), (Some(2), &vec![e(3, 3, "USER 1")]));
        let a = parse_fixes(
            r#"{"fixes": [{"finding": "1", "fix": [{"first_line": 1, "last_line": 1, "text": "FROM a:1"}], "title": "Pin"},
                          {"finding": "DL3002", "fix": []}]}"#,
        )
        .unwrap();
        assert_eq!((a[0].finding, a[0].answer.title.as_deref()), (Some(1), Some("Pin")));
        assert_eq!((a[1].finding, a[1].code.as_deref(), a[1].answer.edits.len()), (None, Some("DL3002"), 0));
        let a =
            parse_fixes(r#"{"title": "t", "edits": [{"start_line": 2, "end_line": 2, "replacement": "x"}]}"#).unwrap();
        assert_eq!((a.len(), a[0].finding, a[0].answer.edits.len()), (1, None, 1));
        let a = parse_fixes(r#"[{"start_line": 2, "end_line": 2, "replacement": "x"}]"#).unwrap();
        assert_eq!((a.len(), a[0].answer.edits.len()), (1, 1));
        // An entry whose edits cannot be read carries the reason; the others stay.
        let a = parse_fixes(r#"{"fixes": [{"finding": 1, "fix": [{"text": "x"}]}, {"finding": 2, "first": 1, "last": 1, "text": "y"}]}"#)
            .unwrap();
        assert!(a[0].problem.as_deref().is_some_and(|p| p.contains("start_line")) && a[1].problem.is_none(), "{a:?}");
        assert!(parse_fixes(r#"{"fixes": 3}"#).is_err());
        assert!(parse_fixes(r#"{"something": []}"#).is_err());
        assert_eq!(parse_fixes(r#"{"fixes": []}"#).unwrap(), vec![]);
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

    /// The kinds of stray edit real models produce (issue 16): the same edit
    /// twice, an edit past the end, an edit that rewrites a line as it is,
    /// and one far from the finding.
    #[test]
    fn duplicate_out_of_range_no_op_and_far_edits_are_dropped() {
        let text = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y git\nUSER app\nCMD [\"x\"]\nEXPOSE 80\nENV A=1\nENV B=2\n";
        let e = |s, e, r: &str| ProposedEdit { start_line: s, end_line: e, replacement: r.into() };
        let fix = e(3, 3, "RUN apt-get install -y --no-install-recommends git");
        let proposed =
            vec![fix.clone(), fix.clone(), e(12, 12, "RUN x"), e(2, 2, "2 | RUN apt-get update"), e(8, 8, "ENV B=3")];
        let (kept, why) = clean_edits(text, &proposed, Some((1, 6)));
        assert_eq!(kept, vec![fix]);
        assert_eq!(why.len(), 4, "{why:?}");
        assert!(
            why[0].contains("twice") && why[1].contains("outside") && why[2].contains("changes nothing"),
            "{why:?}"
        );
        assert!(why[3].contains("far from the finding"), "{why:?}");
    }

    /// A made-up base image tag in a DL3006/DL3007-style fix.
    #[test]
    fn made_up_image_tags_are_refused() {
        let before = "FROM python:latest\nRUN pip install flask\n";
        let after = "FROM python:3.9-slim-buster-ubuntu20.04\nRUN pip install flask\n";
        assert!(implausible_new_image(Kind::Dockerfile, before, after).is_some());
        assert!(implausible_new_image(Kind::Dockerfile, before, "FROM python:3.12-slim-bookworm\nRUN x\n").is_none());
        let compose = "services:\n  gpu:\n    image: nvidia/cuda:12.2-runtime\n";
        assert!(implausible_new_image(Kind::Compose, "services: {}\n", compose).is_some());
    }

    fn doc(text: &str) -> Document {
        Document {
            name: "Dockerfile".into(),
            kind: Kind::Dockerfile,
            text: text.into(),
            selection: berth_rules::engine::Selection::default(),
            settings: berth_rules::engine::Settings::default(),
            context: berth_workspace::lint::Context::alone(),
        }
    }

    /// The three kinds of wrong fix that Qwen2.5-Coder 1.5B on llama.cpp
    /// offered for a 13-line Dockerfile and the earlier validation let
    /// through (issue 16, reconstructed here): an apt pin with an empty
    /// version, a RUN whose command starts with `&&`, and a made-up base
    /// image tag. Each is now refused.
    #[test]
    fn real_wrong_fixes_are_refused() {
        let text = "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends git \\\n    && rm -rf /var/lib/apt/lists/*\nRUN wget -q https://example.com/x.tgz\n";
        let d = doc(text);
        let lint = lint(&d, text);
        let target = |code: &str| {
            lint.diagnostics
                .iter()
                .find(|x| x.code == code)
                .cloned()
                .unwrap_or_else(|| panic!("{code}: {:?}", lint.diagnostics))
        };
        let red = redact::redact(text, Kind::Dockerfile, 1);
        let edit = |s, e, r: &str| {
            to_edits(&red, text, &[ProposedEdit { start_line: s, end_line: e, replacement: r.into() }]).unwrap()
        };
        // DL3008 "pinned" with nothing after `=`.
        let pin = edit(2, 2, "RUN apt-get update && apt-get install -y --no-install-recommends git= \\");
        let checker = Checker::new(&d);
        let why = checker.fix(&target("DL3008"), &pin).unwrap_err();
        assert!(why.contains("BD2012"), "{why}");
        // A cache mount added before `&&`: the shell cannot parse the command.
        let mount =
            edit(4, 4, "RUN --mount=type=cache,target=/root/.cache \\\n    && wget -q https://example.com/x.tgz");
        let why = checker.advisory(&mount).unwrap_err();
        assert!(why.contains("BD0002"), "{why}");
        // A base image tag that cannot exist.
        let base = edit(1, 1, "FROM python:3.12-slim-ubuntu22.04");
        let why = checker.advisory(&base).unwrap_err();
        assert!(why.contains("python:3.12-slim-ubuntu22.04"), "{why}");
        // The right fix of the pin passes.
        let good =
            edit(2, 2, "RUN apt-get update && apt-get install -y --no-install-recommends git=1:2.39.5-0+deb12u1 \\");
        assert!(checker.fix(&target("DL3008"), &good).is_ok());
    }

    #[test]
    fn moved_spans() {
        let edits = vec![Edit { span: Span::new(2, 4), new_text: "abcd".into() }];
        assert_eq!(moved(Span::new(6, 8), &edits), Span::new(8, 10));
        assert_eq!(moved(Span::new(0, 1), &edits), Span::new(0, 1));
        assert_eq!(moved(Span::new(3, 4), &edits), Span::new(2, 6));
    }
}
