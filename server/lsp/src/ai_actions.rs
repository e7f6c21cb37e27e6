//! AI code actions, in berth's terms (the adapter turns them into LSP):
//! - "AI: suggest a fix for CODE" on a finding that has no fix of its own,
//!   and "AI: review this file", offered only when AI is enabled (the
//!   editor's `berth.ai` settings on top of the `[ai]` table of the document's
//!   configuration file). Offering them sends nothing: each carries a command
//!   ([`SUGGEST_FIX`], [`REVIEW`]) that the editor runs when the user picks it.
//! - Running a command: [`prepare`] takes the document at the version the
//!   action was offered for (off the async runtime), then [`run_fix`] or
//!   [`run_review`] asks the model. Dropping their future cancels the
//!   request. A fix is handed back for `workspace/applyEdit` only when
//!   [`berth_ai`] validated it and the document is still at that version; a
//!   review's findings are published with the native ones of that version
//!   (source `berth-ai`) and disappear with the next lint.
//! - The edits of the review's findings, as quick fixes, while current.
//!
//! Native diagnostics never wait for any of this: the lint loop does not know
//! about it, and a failure is one `window/showMessage` line.

use super::actions::{Action, ActionKind};
use super::diagnostics::{self, Item};
use super::documents::{DocUri, Language, Snapshot};
use super::{Level, Server};
use berth_ai as ai;
use berth_rules::engine::{Diagnostic, Edit};
use berth_rules::text::{LineCol, Span};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The command of "AI: suggest a fix".
pub const SUGGEST_FIX: &str = "berth.ai.suggestFix";
/// The command of "AI: review this file".
pub const REVIEW: &str = "berth.ai.review";
/// The commands, for `executeCommandProvider`.
pub const COMMANDS: [&str; 2] = [SUGGEST_FIX, REVIEW];
/// The code action kind of the review (a source action, like fix-all).
pub const REVIEW_KIND: &str = "source.aiReview.berth";
/// Titles (the fix's ends with ` for CODE`).
pub const FIX_TITLE: &str = "AI: suggest a fix";
pub const REVIEW_TITLE: &str = "AI: review this file";

pub use super::items::Review;

/// A code action that runs a command when the user picks it.
#[derive(Debug, Clone)]
pub struct Offer {
    pub title: String,
    /// The protocol's kind string.
    pub kind: &'static str,
    pub command: &'static str,
    /// The command's one argument (berth's own JSON).
    pub argument: Value,
    /// The finding it is about.
    pub diagnostics: Vec<Diagnostic>,
}

/// The AI code actions for a range of one snapshot.
pub struct Offers {
    pub snap: Snapshot,
    /// Edits of the current review's findings.
    pub edits: Vec<Action>,
    pub commands: Vec<Offer>,
}

/// `only` lets `kind` through (as [`super::actions::wanted`]).
fn wanted(kind: &str, only: Option<&[String]>) -> bool {
    let Some(only) = only else { return true };
    only.iter().any(|o| kind == o || kind.strip_prefix(o.as_str()).is_some_and(|rest| rest.starts_with('.')))
}

fn touches(d: &Diagnostic, range: Span) -> bool {
    d.span.start <= range.end && range.start <= d.span.end
}

/// The AI settings of a document: the editor's on top of its configuration
/// file's `[ai]` table (reads configuration files: off the async runtime).
fn settings_for(core: &Server, snap: &Snapshot) -> (ai::Settings, super::config::Effective) {
    let eff = core.effective(snap);
    (core.settings().ai.apply(&eff.config.ai.value), eff)
}

/// The AI code actions for `range` (off the async runtime). Nothing is sent.
pub fn offers(core: &Server, uri: &DocUri, range: (LineCol, LineCol), only: Option<&[String]>) -> Option<Offers> {
    let (fix_wanted, review_wanted) = (wanted("quickfix", only), wanted(REVIEW_KIND, only));
    if !fix_wanted && !review_wanted {
        return None;
    }
    let (snap, _, diags) = core.findings(uri)?;
    let (settings, _) = settings_for(core, &snap);
    if !settings.enabled {
        return None;
    }
    let span = snap.span(range.0, range.1);
    let mut out = Offers { snap, edits: Vec::new(), commands: Vec::new() };
    let (uri_s, version) = (out.snap.uri.0.clone(), out.snap.version);
    if fix_wanted {
        let review = {
            let docs = core.documents.lock();
            docs.get(uri).and_then(|d| d.ai_review.clone().filter(|r| r.generation == out.snap.generation))
        };
        for f in review.iter().flat_map(|r| r.findings.iter()).filter(|f| touches(&f.diagnostic, span)) {
            if let Some(fix) = &f.fix {
                out.edits.push(Action {
                    title: format!("AI: {}", fix.title),
                    kind: ActionKind::QuickFix,
                    edits: fix.edits.clone(),
                    preferred: false,
                    diagnostics: vec![f.diagnostic.clone()],
                    deferred: false,
                });
            }
        }
        let mut offered: Vec<(&str, Span)> = Vec::new();
        for d in diags.iter().filter(|d| touches(d, span) && ai::wants_fix(d, &settings)) {
            if offered.contains(&(d.code, d.span)) {
                continue;
            }
            offered.push((d.code, d.span));
            out.commands.push(Offer {
                title: format!("{FIX_TITLE} for {}", d.code),
                kind: "quickfix",
                command: SUGGEST_FIX,
                argument: json!({"uri": uri_s, "version": version, "code": d.code, "start": d.span.start, "end": d.span.end}),
                diagnostics: vec![d.clone()],
            });
        }
    }
    if review_wanted {
        out.commands.push(Offer {
            title: REVIEW_TITLE.into(),
            kind: REVIEW_KIND,
            command: REVIEW,
            argument: json!({"uri": uri_s, "version": version}),
            diagnostics: Vec::new(),
        });
    }
    Some(out)
}

/// What a command is about, from its argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub uri: DocUri,
    pub version: i32,
    /// For a fix: the finding's code and span.
    pub finding: Option<(String, Span)>,
}

/// Read a command's argument.
pub fn target(command: &str, argument: &Value) -> Result<Target, String> {
    let uri = argument["uri"].as_str().ok_or("the argument has no `uri`")?;
    let version = argument["version"].as_i64().and_then(|v| i32::try_from(v).ok()).ok_or("no `version`")?;
    let finding = if command == SUGGEST_FIX {
        let code = argument["code"].as_str().ok_or("no `code`")?;
        let at = |k: &str| argument[k].as_u64().and_then(|v| usize::try_from(v).ok()).ok_or(format!("no `{k}`"));
        Some((code.to_string(), Span::new(at("start")?, at("end")?)))
    } else {
        None
    };
    Ok(Target { uri: DocUri(uri.to_string()), version, finding })
}

/// A request ready to be sent: the document as the model will see it.
pub struct Prepared {
    pub snap: Snapshot,
    /// For the progress report, e.g. "AI fix for DL3008".
    pub title: String,
    doc: ai::Document,
    settings: ai::Settings,
    related: Option<ai::RelatedFile>,
    target: Option<Diagnostic>,
}

/// The message for the user: one line.
fn failure(what: impl std::fmt::Display) -> String {
    format!("berth: AI: {}", ai::one_line(&what.to_string(), 300))
}

/// Tell the user (and the log).
fn tell(core: &Server, level: Level, message: String) {
    core.log(level, message.clone());
    core.client.show(level, message);
}

/// The name the model sees: the file's name (related files are named
/// relative to its folder), or the last part of an unsaved document's URI.
fn shown_name(snap: &Snapshot) -> String {
    match snap.path.as_deref().and_then(Path::file_name) {
        Some(n) => n.to_string_lossy().into_owned(),
        None => snap.uri.0.rsplit(['/', ':']).next().filter(|s| !s.is_empty()).unwrap_or("Dockerfile").to_string(),
    }
}

fn related(snap: &Snapshot, kind: ai::Kind, at: Option<Span>) -> Option<ai::RelatedFile> {
    let path = snap.path.as_deref()?;
    let mut r = ai::related_file(path, kind, &snap.text, at)?;
    // No absolute paths of this machine in the prompt.
    if let Some(rel) = path.parent().and_then(|dir| Path::new(&r.name).strip_prefix(dir).ok()) {
        r.name = rel.to_string_lossy().replace('\\', "/");
    }
    Some(r)
}

/// The document at the version the action was offered for, with its finding
/// (off the async runtime). `None`, after telling the user why, when there
/// is nothing to ask.
pub fn prepare(core: &Server, t: &Target) -> Option<Prepared> {
    let Some((snap, _, diags)) = core.findings(&t.uri) else {
        tell(core, Level::Warning, failure(format!("{} is not open", t.uri)));
        return None;
    };
    if snap.version != t.version {
        tell(core, Level::Info, failure("the file changed since the action was offered; pick it again"));
        return None;
    }
    let (settings, eff) = settings_for(core, &snap);
    if !settings.enabled {
        tell(core, Level::Info, failure("AI suggestions are off (`berth.ai.enabled` turns them on)"));
        return None;
    }
    let lang = snap.language?;
    let kind = match lang {
        Language::Dockerfile => ai::Kind::Dockerfile,
        Language::Compose => ai::Kind::Compose,
    };
    let name = shown_name(&snap);
    let target = match &t.finding {
        Some((code, span)) => {
            let Some(d) = diags.iter().find(|d| d.code == code && d.span == *span && ai::wants_fix(d, &settings))
            else {
                tell(core, Level::Info, failure(format!("{code} is no longer there, or has a fix of its own")));
                return None;
            };
            Some(d.clone())
        }
        None => None,
    };
    let title = match &target {
        Some(d) => format!("AI fix for {}", d.code),
        None => format!("AI review of {name}"),
    };
    let related = related(&snap, kind, target.as_ref().map(|d| d.span));
    let doc = ai::Document {
        name,
        kind,
        text: snap.text.to_string(),
        selection: eff.selection(),
        settings: eff.config.settings(),
        context: core.context(&snap),
    };
    Some(Prepared { snap, title, doc, settings, related, target })
}

/// True when the document is open at the snapshot's version and text.
fn unchanged(core: &Server, snap: &Snapshot) -> bool {
    core.snapshot(&snap.uri).is_some_and(|now| now.version == snap.version && now.text == snap.text)
}

/// What the fix command leads to.
#[derive(Debug)]
pub enum FixDone {
    /// Apply these edits (byte spans of `snap`, whose text is still the
    /// document's) through `workspace/applyEdit`.
    Apply { snap: Snapshot, title: String, edits: Vec<Edit> },
    /// Nothing to apply (the user was told why).
    Nothing,
}

/// Ask for a fix and validate it. Cancel by dropping the future.
pub async fn run_fix(core: &Server, p: Prepared) -> FixDone {
    let Some(target) = &p.target else { return FixDone::Nothing };
    let outcome = match ai::suggest_fix(&p.settings, &p.doc, target, p.related.as_ref()).await {
        Ok(o) => o,
        Err(e) => {
            tell(core, Level::Error, failure(e));
            return FixDone::Nothing;
        }
    };
    if let Some(s) = outcome.suggestions.into_iter().next() {
        if !unchanged(core, &p.snap) {
            tell(
                core,
                Level::Info,
                failure(format!("the file changed while the fix for {} was made; not applied", s.code)),
            );
            return FixDone::Nothing;
        }
        return FixDone::Apply { snap: p.snap, title: s.fix.title, edits: s.fix.edits };
    }
    let message = match (outcome.dropped.first(), outcome.note) {
        (Some(d), _) => format!("the suggested fix for {} did not pass berth's checks: {}", d.code, d.reason),
        (None, Some(note)) => format!("no fix for {}: {note}", target.code),
        (None, None) => format!("no fix for {}", target.code),
    };
    tell(core, Level::Info, failure(message));
    FixDone::Nothing
}

/// Ask for a review and publish its findings with the native ones of the
/// same version. Returns how many were published. Cancel by dropping the future.
pub async fn run_review(core: &Server, p: Prepared) -> Option<usize> {
    let outcome = match ai::review(&p.settings, &p.doc, p.related.as_ref()).await {
        Ok(o) => o,
        Err(e) => {
            tell(core, Level::Error, failure(e));
            return None;
        }
    };
    for d in &outcome.dropped {
        core.log(Level::Log, format!("berth: AI review of {}: dropped a finding: {}", p.doc.name, d.reason));
    }
    let items: Vec<Item> = outcome.findings.iter().map(|f| diagnostics::item(&p.snap, &f.diagnostic)).collect();
    let n = items.len();
    let mut review = Some(Review { generation: 0, findings: outcome.findings, items });
    // The native findings of this version may still be on their way (a lint
    // runs after every change): wait for them, briefly.
    for _ in 0..200 {
        {
            let mut docs = core.documents.lock();
            let doc = docs.get_mut(&p.snap.uri)?;
            if doc.version != p.snap.version || doc.text() != p.snap.text {
                drop(docs);
                tell(core, Level::Info, failure("the file changed while the review ran; run it again"));
                return None;
            }
            let generation = doc.generation;
            if let Some(last) = doc.last.as_ref().filter(|l| l.generation == generation) {
                let mut all: Vec<Item> =
                    last.native_items.iter().chain(last.shellcheck_items.iter()).cloned().collect();
                let mut review = review.take()?;
                review.generation = generation;
                all.extend(review.items.iter().cloned());
                all.sort_by(|a, b| (a.range.0, a.range.1, a.code).cmp(&(b.range.0, b.range.1, b.code)));
                doc.ai_review = Some(Arc::new(review));
                // Queued under the lock, like the lint loop's publications.
                core.publish(diagnostics::Publication {
                    uri: p.snap.uri.clone(),
                    version: Some(p.snap.version),
                    items: all,
                });
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    if review.is_some() {
        tell(
            core,
            Level::Warning,
            failure("the review's findings could not be shown (the file is still being linted)"),
        );
        return None;
    }
    if n == 0 {
        tell(core, Level::Info, format!("berth: the AI review of {} found nothing to add", p.doc.name));
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_arguments() {
        let t = target(
            SUGGEST_FIX,
            &json!({"uri": "file:///a/Dockerfile", "version": 3, "code": "DL3008", "start": 4, "end": 9}),
        )
        .unwrap();
        assert_eq!(t.finding, Some(("DL3008".to_string(), Span::new(4, 9))));
        assert_eq!((t.uri.0.as_str(), t.version), ("file:///a/Dockerfile", 3));
        let t = target(REVIEW, &json!({"uri": "untitled:x", "version": 1})).unwrap();
        assert_eq!(t.finding, None);
        assert!(target(SUGGEST_FIX, &json!({"uri": "untitled:x", "version": 1})).is_err());
        assert!(target(REVIEW, &json!(null)).is_err());
    }

    #[test]
    fn kinds() {
        assert!(wanted(REVIEW_KIND, Some(&["source".into()])));
        assert!(!wanted(REVIEW_KIND, Some(&["source.fixAll".into()])));
        assert!(wanted("quickfix", None) && !wanted("quickfix", Some(&["source".into()])));
    }
}
