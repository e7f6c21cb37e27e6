//! AI suggestions: fixes for findings that have no mechanical fix, a review
//! of a whole file, and explanations, from any OpenAI-compatible Chat
//! Completions endpoint (a local Ollama by default). Off unless enabled.
//!
//! The pieces, each usable alone:
//! - [`redact`]: secrets are replaced by placeholders before anything is
//!   sent, and restored only in returned edits that kept them;
//! - [`prompt`]: the prompts (file clearly delimited, answer format);
//! - [`client`]: the HTTP client (timeouts, retries, size cap, concurrency);
//! - [`validate`]: the answer is data: parsed, mapped back onto the file,
//!   applied in memory, re-parsed and re-linted before it is offered;
//! - [`cache`]: answers by request hash, in memory and on disk.
//!
//! Front ends use [`Ai`] (one per settings; [`shared`] keeps one per
//! process) or the free functions [`suggest_fix`], [`review`] and
//! [`explain`]. All are async; cancel a call by dropping its future.
//! A failing endpoint only ever yields an [`Error`]: native findings are
//! computed without this module and never wait for it.

pub use berth_workspace::ai::cache;
pub mod client;
pub mod prompt;
#[cfg(test)]
mod real_answers;
pub mod redact;
pub mod validate;

pub use client::{Error, Request};

use berth_rules::engine::{Diagnostic, Fix, Safety, Selection, Severity};
use berth_rules::text::Span;
use berth_workspace::discover;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

pub use berth_workspace::ai::{REVIEW_CODE, REVIEW_NAME, SOURCE, Settings};

/// What kind of file a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dockerfile,
    Compose,
}

impl From<discover::FileKind> for Kind {
    fn from(k: discover::FileKind) -> Kind {
        match k {
            discover::FileKind::Dockerfile => Kind::Dockerfile,
            discover::FileKind::Compose => Kind::Compose,
        }
    }
}

/// The file a suggestion is for, with what re-linting it needs.
#[derive(Debug, Clone)]
pub struct Document {
    /// The name shown to the model (a relative path or the file name).
    pub name: String,
    pub kind: Kind,
    pub text: String,
    pub selection: Selection,
    pub settings: berth_rules::engine::Settings,
    /// Where it is linted (its Compose project, the builds of a Dockerfile):
    /// a fix is judged as `berth check` judges the file.
    pub context: berth_workspace::lint::Context,
}

/// Context sent with a document: the Compose file that builds a Dockerfile,
/// or the Dockerfile a Compose service builds. Never edited.
#[derive(Debug, Clone)]
pub struct RelatedFile {
    pub name: String,
    pub kind: Kind,
    pub text: String,
    /// How it relates, e.g. "the Compose file that builds this Dockerfile (service `web`)".
    pub relation: String,
}

/// A validated fix for one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The finding it fixes.
    pub code: &'static str,
    pub span: Span,
    /// Title, edits on the document's text (bytes); always `Safety::Unsafe`.
    pub fix: Fix,
    pub explanation: Option<String>,
    /// The document's text with the fix applied (it parsed and linted clean).
    pub fixed_text: String,
}

/// A suggestion that failed validation, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub code: &'static str,
    pub span: Span,
    pub reason: String,
}

/// The outcome of a fix request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FixOutcome {
    pub suggestions: Vec<Suggestion>,
    pub dropped: Vec<Dropped>,
    /// The answer came from the cache.
    pub cached: bool,
    /// Set when the model offered no edit: its explanation.
    pub note: Option<String>,
    /// The model's answer to a batch did not mention this finding.
    pub unanswered: bool,
}

/// The outcome of one request for several findings of a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchOutcome {
    /// One per finding asked about, in the same order.
    pub outcomes: Vec<FixOutcome>,
    /// Entries of the answer that name no finding of the request, and why they were dropped.
    pub stray: Vec<String>,
    pub cached: bool,
}

/// Findings sent in one fix request, at most: a small model answers a short
/// list better, and an answer stays well under `max_tokens`.
pub const BATCH: usize = 8;

/// An advisory finding of an AI review.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewFinding {
    /// Code [`REVIEW_CODE`], severity info or style (an editor's hint), anchored on whole lines.
    pub diagnostic: Diagnostic,
    /// A validated edit, when the model gave one that passed.
    pub fix: Option<Fix>,
}

/// The outcome of a review request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewOutcome {
    pub findings: Vec<ReviewFinding>,
    pub dropped: Vec<Dropped>,
    pub cached: bool,
}

/// A message on one line, at most `max` characters.
pub fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// The client, the cache and the settings of one endpoint.
pub struct Ai {
    client: client::Client,
    cache: cache::Cache,
}

impl Ai {
    pub fn new(settings: &Settings) -> Result<Ai, Error> {
        let client = client::Client::new(settings)?;
        let cache = if settings.cache {
            cache::Cache::new(cache::default_dir(), settings.cache_max_bytes)
        } else {
            cache::Cache::disabled()
        };
        Ok(Ai { client, cache })
    }

    pub fn settings(&self) -> &Settings {
        self.client.settings()
    }

    /// Send a request, or answer from the cache. `usable` says whether an
    /// answer may be cached (a malformed one is asked again next time).
    async fn ask(&self, req: &Request, usable: impl Fn(&str) -> bool) -> Result<(String, bool), Error> {
        let key = cache::key(&[req.url.as_bytes(), &req.body()]);
        if let Some(hit) = self.cache.get(key) {
            return Ok((hit, true));
        }
        let answer = self.client.complete(req).await?;
        if usable(&answer) {
            self.cache.put(key, &answer);
        }
        Ok((answer, false))
    }

    /// Ask for a fix of `target` (a finding of `doc`) and validate it.
    pub async fn suggest_fix(
        &self,
        doc: &Document,
        target: &Diagnostic,
        related: Option<&RelatedFile>,
    ) -> Result<FixOutcome, Error> {
        let batch = self.suggest_fixes(doc, std::slice::from_ref(target), related).await?;
        Ok(single(batch, target))
    }

    /// Ask for fixes of `targets` (findings of `doc`; at most [`BATCH`] make
    /// a good request) in one request, and validate each one on its own.
    pub async fn suggest_fixes(
        &self,
        doc: &Document,
        targets: &[Diagnostic],
        related: Option<&RelatedFile>,
    ) -> Result<BatchOutcome, Error> {
        let prepared = prepare_fixes(self.settings(), doc, targets, related)?;
        let (answer, cached) = self.ask(&prepared.request, |a| validate::parse_fixes(a).is_ok()).await?;
        let mut outcome = finish_fixes(&prepared, doc, targets, &answer)?;
        outcome.cached = cached;
        Ok(outcome)
    }

    /// Ask for a review of `doc` and validate its findings and edits.
    pub async fn review(&self, doc: &Document, related: Option<&RelatedFile>) -> Result<ReviewOutcome, Error> {
        let prepared = prepare_review(self.settings(), doc, related)?;
        let (answer, cached) = self.ask(&prepared.request, |a| validate::parse_review(a).is_ok()).await?;
        let mut outcome = finish_review(&prepared, doc, &answer)?;
        outcome.cached = cached;
        Ok(outcome)
    }

    /// Ask for an explanation of `targets` (findings of `doc`, usually on one line).
    pub async fn explain(
        &self,
        doc: &Document,
        targets: &[Diagnostic],
        related: Option<&RelatedFile>,
    ) -> Result<String, Error> {
        let request = explain_request(self.settings(), doc, targets, related)?;
        let (answer, _) = self.ask(&request, |a| !a.trim().is_empty()).await?;
        let mut text = answer.trim().to_string();
        if let Some(end) = text.find("</think>") {
            text = text[end + "</think>".len()..].trim().to_string();
        }
        if text.is_empty() {
            return Err(Error::Answer("the explanation is empty".into()));
        }
        Ok(text)
    }
}

/// Whether berth may ask the model for a fix of this finding (the command
/// line and the editor alike): it has none of its own, it is a berth rule
/// (ShellCheck's findings cannot be checked again here), and, unless
/// `pin_versions` is set, its fix is not a package version that the model
/// would have to make up (real models do: `torch==1.13.1`,
/// `python3=3.12-slim`; see bench/ai.sh).
pub fn wants_fix(d: &Diagnostic, settings: &Settings) -> bool {
    let Some(meta) = berth_rules::rules::by_code(d.code) else { return false };
    d.fix.is_none() && d.code != REVIEW_CODE && (settings.pin_versions || !validate::needs_version(meta.name))
}

/// One [`Ai`] per distinct settings, for the whole process (so the
/// concurrency limit, the cool-down and the memory cache are shared).
pub fn shared(settings: &Settings) -> Result<Arc<Ai>, Error> {
    type Registry = Mutex<Vec<(Settings, Arc<Ai>)>>;
    static ALL: OnceLock<Registry> = OnceLock::new();
    let mut all = ALL.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, ai)) = all.iter().find(|(s, _)| s == settings) {
        return Ok(ai.clone());
    }
    let ai = Arc::new(Ai::new(settings)?);
    all.push((settings.clone(), ai.clone()));
    Ok(ai)
}

fn require_enabled(settings: &Settings) -> Result<(), Error> {
    if settings.enabled {
        Ok(())
    } else {
        Err(Error::Config("AI suggestions are off (`enabled = true` in [ai] turns them on)".into()))
    }
}

/// [`Ai::suggest_fix`] with the process-wide client for `settings`.
pub async fn suggest_fix(
    settings: &Settings,
    doc: &Document,
    target: &Diagnostic,
    related: Option<&RelatedFile>,
) -> Result<FixOutcome, Error> {
    require_enabled(settings)?;
    shared(settings)?.suggest_fix(doc, target, related).await
}

/// [`Ai::review`] with the process-wide client for `settings`.
pub async fn review(
    settings: &Settings,
    doc: &Document,
    related: Option<&RelatedFile>,
) -> Result<ReviewOutcome, Error> {
    require_enabled(settings)?;
    shared(settings)?.review(doc, related).await
}

/// [`Ai::explain`] with the process-wide client for `settings`.
pub async fn explain(
    settings: &Settings,
    doc: &Document,
    targets: &[Diagnostic],
    related: Option<&RelatedFile>,
) -> Result<String, Error> {
    require_enabled(settings)?;
    shared(settings)?.explain(doc, targets, related).await
}

/// A fix request with what reading its answer needs.
pub struct PreparedFix {
    pub request: Request,
    prompt: prompt::Prompt,
}

/// A review request with what reading its answer needs.
pub struct PreparedReview {
    pub request: Request,
    prompt: prompt::Prompt,
    native: Vec<Diagnostic>,
}

fn check_size(doc: &Document) -> Result<(), Error> {
    if doc.text.len() > prompt::MAX_FILE_BYTES {
        return Err(Error::Config(format!(
            "{} is larger than {} KiB; no AI suggestions for it",
            doc.name,
            prompt::MAX_FILE_BYTES / 1024
        )));
    }
    Ok(())
}

/// Build the request for fixes of `targets`, numbered 1.. in that order
/// (nothing is sent; `--ai-dry-run` prints `request.body()`).
pub fn prepare_fixes(
    settings: &Settings,
    doc: &Document,
    targets: &[Diagnostic],
    related: Option<&RelatedFile>,
) -> Result<PreparedFix, Error> {
    check_size(doc)?;
    let prompt = prompt::fixes(doc, targets, related);
    let request = Request::new(settings, prompt.messages.clone(), true).with_schema("fixes", prompt::fixes_schema());
    Ok(PreparedFix { request, prompt })
}

/// The outcome of a batch of one, with stray entries as its drops.
fn single(batch: BatchOutcome, target: &Diagnostic) -> FixOutcome {
    let mut outcome = batch.outcomes.into_iter().next().unwrap_or_default();
    for reason in batch.stray {
        outcome.dropped.push(Dropped { code: target.code, span: target.span, reason });
    }
    outcome.cached = batch.cached;
    outcome
}

/// Validate one entry of an answer as a fix of `target`.
fn check_entry(
    prepared: &PreparedFix,
    checker: &validate::Checker<'_>,
    doc: &Document,
    target: &Diagnostic,
    entry: &validate::FixEntry,
) -> FixOutcome {
    let mut outcome = FixOutcome::default();
    let drop = |reason: String| Dropped { code: target.code, span: target.span, reason };
    if let Some(problem) = &entry.problem {
        outcome.dropped.push(drop(problem.clone()));
        return outcome;
    }
    let parsed = &entry.answer;
    if parsed.edits.is_empty() {
        // The model declined: nothing to validate, nothing dropped.
        outcome.note = Some(parsed.explanation.clone().unwrap_or_else(|| "no reason given".into()));
        return outcome;
    }
    let red = &prepared.prompt.main;
    let allowed = validate::allowed_lines(doc, red, target.span);
    let mut edits = parsed.edits.clone();
    validate::reindent(doc.kind, &red.text, &mut edits);
    validate::retarget(doc, red, target.span, &mut edits);
    let (kept, why) = validate::clean_edits(&red.text, &edits, Some(allowed));
    for reason in why {
        outcome.dropped.push(drop(format!("one edit dropped: {reason}")));
    }
    if kept.is_empty() {
        return outcome;
    }
    let checked = validate::to_edits(red, &doc.text, &kept)
        .and_then(|edits| checker.fix(target, &edits).map(|text| (edits, text)));
    match checked {
        Ok((edits, fixed_text)) => {
            let title = parsed
                .title
                .clone()
                .map(|t| one_line(&t, 120))
                .unwrap_or_else(|| format!("Fix {} (AI suggestion)", target.code));
            outcome.suggestions.push(Suggestion {
                code: target.code,
                span: target.span,
                fix: Fix { title, safety: Safety::Unsafe, edits },
                explanation: parsed.explanation.clone(),
                fixed_text,
            });
        }
        Err(reason) => outcome.dropped.push(drop(reason)),
    }
    outcome
}

/// Read and validate an answer to a fix request: each entry is matched to
/// the finding it names and validated as a fix of that finding alone.
/// Entries naming no finding of the request are dropped; a finding the
/// answer does not mention is marked `unanswered`.
pub fn finish_fixes(
    prepared: &PreparedFix,
    doc: &Document,
    targets: &[Diagnostic],
    answer: &str,
) -> Result<BatchOutcome, Error> {
    let entries = validate::parse_fixes(answer).map_err(Error::Answer)?;
    let checker = validate::Checker::new(doc);
    let n = targets.len();
    let mut batch = BatchOutcome { outcomes: vec![FixOutcome::default(); n], ..BatchOutcome::default() };
    let mut answered = vec![false; n];
    for entry in &entries {
        let index = match (entry.finding, &entry.code) {
            (Some(k), _) if (1..=n).contains(&k) => k - 1,
            (Some(k), _) => {
                batch.stray.push(format!("a fix names finding {k}, which is not one of the {n} asked about"));
                continue;
            }
            (None, Some(code)) => {
                let same: Vec<usize> = (0..n).filter(|&i| targets[i].code.eq_ignore_ascii_case(code)).collect();
                match same[..] {
                    [i] => i,
                    _ => {
                        batch.stray.push(format!(
                            "a fix names `{}`, which is not one finding of the request",
                            one_line(code, 40)
                        ));
                        continue;
                    }
                }
            }
            (None, None) if n == 1 => 0,
            (None, None) => {
                batch.stray.push("a fix names no finding".into());
                continue;
            }
        };
        let outcome = &mut batch.outcomes[index];
        if !outcome.suggestions.is_empty() {
            outcome.dropped.push(Dropped {
                code: targets[index].code,
                span: targets[index].span,
                reason: "a second fix for the same finding".into(),
            });
            continue;
        }
        answered[index] = true;
        let checked = check_entry(prepared, &checker, doc, &targets[index], entry);
        outcome.dropped.extend(checked.dropped);
        if !checked.suggestions.is_empty() {
            outcome.suggestions = checked.suggestions;
            outcome.note = None;
        } else if outcome.note.is_none() {
            outcome.note = checked.note;
        }
    }
    for (i, outcome) in batch.outcomes.iter_mut().enumerate() {
        if !answered[i] {
            outcome.unanswered = true;
        }
    }
    Ok(batch)
}

/// Build the review request.
pub fn prepare_review(
    settings: &Settings,
    doc: &Document,
    related: Option<&RelatedFile>,
) -> Result<PreparedReview, Error> {
    check_size(doc)?;
    let native = validate::lint(doc, &doc.text).diagnostics;
    let prompt = prompt::review(doc, related, &native);
    let request = Request::new(settings, prompt.messages.clone(), true).with_schema("review", prompt::review_schema());
    Ok(PreparedReview { request, prompt, native })
}

/// Words of a message, for a rough similarity.
fn words(s: &str) -> Vec<String> {
    let mut w: Vec<String> =
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 2).map(|w| w.to_ascii_lowercase()).collect();
    w.sort();
    w.dedup();
    w
}

fn similar(a: &str, b: &str) -> bool {
    let (a, b) = (words(a), words(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let common = a.iter().filter(|w| b.contains(w)).count();
    common * 10 >= a.len().min(b.len()) * 5
}

/// Read and validate a review answer: each finding anchored on existing
/// lines, deduplicated against berth's own findings, its edit validated.
pub fn finish_review(prepared: &PreparedReview, doc: &Document, answer: &str) -> Result<ReviewOutcome, Error> {
    let items = validate::parse_review(answer).map_err(Error::Answer)?;
    let checker = validate::Checker::new(doc);
    let red = &prepared.prompt.main;
    let red_lines = berth_rules::text::LineIndex::new(&red.text);
    let orig_lines = berth_rules::text::LineIndex::new(&doc.text);
    let n = validate::line_count(&red.text);
    let mut outcome = ReviewOutcome::default();
    for item in items.into_iter().take(20) {
        if item.start_line == 0 || item.end_line > n || item.start_line > item.end_line {
            outcome.dropped.push(Dropped {
                code: REVIEW_CODE,
                span: Span::empty(0),
                reason: format!("lines {}-{} are not in the file", item.start_line, item.end_line),
            });
            continue;
        }
        // Whole lines, mapped back to the original text.
        let rs = red_lines.line_start(item.start_line - 1);
        let re = red_lines.line_span(&red.text, item.end_line - 1).end;
        let (Some(os), Some(oe)) = (red.to_original(rs), red.to_original(re)) else { continue };
        let first = orig_lines.line_of(os);
        let last = orig_lines.line_of(oe);
        let span = Span::new(orig_lines.line_start(first), orig_lines.line_span(&doc.text, last).end.max(os));
        // Placeholders stay in the message (it is shown, not applied).
        let message = one_line(&item.message, 400);
        let duplicate = prepared.native.iter().any(|d| {
            let dl = orig_lines.line_of(d.span.start);
            (first..=last).contains(&dl) && (message.contains(d.code) || similar(&message, &d.message))
        });
        if duplicate {
            outcome.dropped.push(Dropped { code: REVIEW_CODE, span, reason: "repeats a finding of berth".into() });
            continue;
        }
        let diagnostic = Diagnostic {
            code: REVIEW_CODE,
            name: REVIEW_NAME,
            severity: if item.hint { Severity::Style } else { Severity::Info },
            message,
            span,
            fix: None,
            related: Vec::new(),
        };
        let fix = if item.edits.is_empty() {
            None
        } else {
            let mut edits = item.edits.clone();
            validate::reindent(doc.kind, &red.text, &mut edits);
            let (kept, _) = validate::clean_edits(&red.text, &edits, None);
            match validate::to_edits(red, &doc.text, &kept).and_then(|edits| checker.advisory(&edits).map(|_| edits)) {
                Ok(edits) => Some(Fix {
                    title: format!("Apply the AI review's edit (line {})", first + 1),
                    safety: Safety::Unsafe,
                    edits,
                }),
                Err(reason) => {
                    outcome.dropped.push(Dropped { code: REVIEW_CODE, span, reason: format!("its edit: {reason}") });
                    None
                }
            }
        };
        if outcome.findings.iter().any(|f| f.diagnostic.span == span && f.diagnostic.message == diagnostic.message) {
            continue;
        }
        outcome.findings.push(ReviewFinding { diagnostic, fix });
    }
    Ok(outcome)
}

/// Build the explain request.
pub fn explain_request(
    settings: &Settings,
    doc: &Document,
    targets: &[Diagnostic],
    related: Option<&RelatedFile>,
) -> Result<Request, Error> {
    check_size(doc)?;
    let prompt = prompt::explain(doc, targets, related);
    Ok(Request::new(settings, prompt.messages, false))
}

/// Files larger than this are not read as related files.
const MAX_READ: u64 = 1024 * 1024;

fn read_small(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_READ {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// A path as shown to the model: without `.` components.
fn shown(path: &Path) -> String {
    let clean: PathBuf = path.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect();
    clean.to_string_lossy().replace('\\', "/")
}

/// The Dockerfile a service builds: `build: ctx` or `build: {context, dockerfile}`.
fn built_dockerfile(compose_dir: &Path, service: &berth_rules::compose::Node) -> Option<PathBuf> {
    let build = service.get("build")?;
    let (context, dockerfile) = match build.str() {
        Some(ctx) => (ctx.to_string(), "Dockerfile".to_string()),
        None => {
            if build.get("dockerfile_inline").is_some() {
                return None;
            }
            (
                build.get("context").and_then(|c| c.str()).unwrap_or(".").to_string(),
                build.get("dockerfile").and_then(|d| d.str()).unwrap_or("Dockerfile").to_string(),
            )
        }
    };
    if context.contains("://") || context.contains('$') || dockerfile.contains('$') {
        return None;
    }
    let path = compose_dir.join(&context).join(&dockerfile);
    // Only files named like Dockerfiles are read (never `.env`, keys, ...).
    (discover::kind_of(&path) == Some(discover::FileKind::Dockerfile)).then_some(path)
}

/// The file that gives a document context: for a Dockerfile, the nearest
/// Compose file (its folder and up to three folders up, not past the
/// repository root) with a service that builds it; for a Compose file, the
/// Dockerfile built by the service around `at` (else the first one built).
pub fn related_file(path: &Path, kind: Kind, text: &str, at: Option<Span>) -> Option<RelatedFile> {
    match kind {
        Kind::Compose => {
            let file = berth_rules::compose::ComposeFile::parse(text).ok()?;
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            let dir = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir };
            let mut services: Vec<&berth_rules::compose::Service> = file.services.iter().collect();
            if let Some(at) = at {
                services.sort_by_key(|s| !(s.node.span.start <= at.start && at.start <= s.node.span.end));
            }
            services.into_iter().find_map(|s| {
                let p = built_dockerfile(&dir, &s.node)?;
                let text = read_small(&p)?;
                Some(RelatedFile {
                    name: shown(&p),
                    kind: Kind::Dockerfile,
                    text,
                    relation: format!("the Dockerfile that service `{}` builds", s.name),
                })
            })
        }
        Kind::Dockerfile => {
            let me = std::fs::canonicalize(path).ok()?;
            let mut dir = me.parent()?.to_path_buf();
            let shown_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            let mut shown_dir = if shown_dir.as_os_str().is_empty() { PathBuf::from(".") } else { shown_dir };
            for _ in 0..4 {
                let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
                    .ok()?
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| discover::kind_of(p) == Some(discover::FileKind::Compose))
                    .collect();
                names.sort();
                for compose in names {
                    let Some(text) = read_small(&compose) else { continue };
                    let Ok(file) = berth_rules::compose::ComposeFile::parse(&text) else { continue };
                    for s in &file.services {
                        let Some(built) = built_dockerfile(&dir, &s.node) else { continue };
                        if std::fs::canonicalize(&built).ok().as_deref() == Some(me.as_path()) {
                            let name = compose.file_name().map(PathBuf::from).unwrap_or_default();
                            return Some(RelatedFile {
                                name: shown(&shown_dir.join(name)),
                                kind: Kind::Compose,
                                text,
                                relation: format!(
                                    "the Compose file that builds this Dockerfile (service `{}`)",
                                    s.name
                                ),
                            });
                        }
                    }
                }
                if dir.join(".git").exists() || !dir.pop() {
                    break;
                }
                shown_dir = shown_dir.join("..");
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_from_toml_both_spellings() {
        let s: Settings =
            toml::from_str("enabled = true\nbase-url = \"http://h/v1\"\napi_key_env = \"K\"\nbogus = 1\n").unwrap();
        assert!(s.enabled);
        assert_eq!(s.base_url, "http://h/v1");
        assert_eq!(s.api_key_env.as_deref(), Some("K"));
        assert_eq!(s.unknown_keys(), vec!["bogus"]);
        assert_eq!(s.model, berth_workspace::ai::DEFAULT_MODEL);
        let s: Settings = serde_json::from_value(serde_json::json!({"enabled": true, "model": "m"})).unwrap();
        assert_eq!(s.model, "m");
        assert!(s.unknown_keys().is_empty());
    }

    #[test]
    fn project_files_do_not_get_the_key_for_remote_urls() {
        let s = Settings {
            base_url: "https://example.invalid/v1".into(),
            project_file: Some("berth.toml".into()),
            api_key_env: Some("PATH".into()),
            ..Settings::default()
        };
        assert_eq!(s.api_key(), None);
        let s = s.with_env(&|k| (k == "BERTH_AI_BASE_URL").then(|| "https://example.invalid/v2".to_string()));
        assert!(s.project_file.is_none());
    }

    #[test]
    fn review_similarity() {
        assert!(similar("Pin the versions of apt-get packages", "Pin versions in apt-get install"));
        assert!(!similar("The healthcheck is missing", "Pin versions in apt-get install"));
    }
}
