//! Lint scheduling and what gets published.
//!
//! Every change takes a new generation (`documents::next_generation`). At most
//! one lint loop runs per document: it lints the current snapshot off the
//! async runtime (`spawn_blocking`), and when it finishes it publishes only if
//! the document is still at that generation, checked and queued under the
//! document lock, so a result for an older version can never be published after
//! a newer one. If the document moved on meanwhile, the loop lints the newest
//! text next (the versions in between are skipped, never linted).
//!
//! ShellCheck runs after the native findings are out, for Dockerfiles under
//! [`LARGE_DOCUMENT`] only, after a short pause (typing bursts start no
//! process; the waiting task holds no text), one run at a time; its findings
//! are published merged with the native ones if the generation is still
//! current. Until it has run again, the findings of RUN instructions whose
//! text did not change are carried over from the last run.
//!
//! A large document's previous syntax tree (and editor analysis) is let go
//! when its next lint starts, so that its peak holds one version.

use super::config::Effective;
use super::documents::{Analysis, DocUri, LARGE_DOCUMENT, Language, Lines, LintCache, Snapshot, next_generation};
use super::{Level, Server};
use berth_rules::engine::{self, Diagnostic, Edit, Fix, Related};
use berth_rules::shell::ScriptCache;
use berth_rules::syntax::Dockerfile;
use berth_rules::text::{LineCol, Span};
use berth_workspace::FileKind;
use berth_workspace::lint::Context;
use berth_workspace::shellcheck;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Pause between the native publish and starting ShellCheck.
const SHELLCHECK_DELAY: Duration = Duration::from_millis(150);

/// `BERTH_LSP_TRACE=1`: time each lint on standard error.
pub fn trace() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("BERTH_LSP_TRACE").is_some_and(|v| !v.is_empty() && v != "0"))
}

/// Rules whose findings editors may render faded (code that does nothing).
const UNNECESSARY: &[&str] = &["DL3065", "DL3001", "BD2002"];
/// Rules whose findings editors may strike through (deprecated or obsolete syntax).
const DEPRECATED: &[&str] = &["DL4000", "BD1011", "BC1002"];

pub use super::items::{Item, Tag};

/// Diagnostics for one document version (`version: None` and no items: clear).
#[derive(Debug, Clone)]
pub struct Publication {
    pub uri: DocUri,
    pub version: Option<i32>,
    pub items: Vec<Item>,
}

/// A pull's result id for a list of findings: the same list gets the same
/// id (so an unchanged document answers "unchanged").
pub fn result_id(items: &[Item]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{items:?}").hash(&mut h);
    format!("{:016x}", h.finish())
}

/// Where a code is documented: the rule's section of the rule reference (as
/// in SARIF output), or ShellCheck's wiki page.
pub fn docs_url(code: &'static str) -> Option<Arc<str>> {
    type Known = HashMap<&'static str, Option<Arc<str>>>;
    static KNOWN: std::sync::Mutex<Option<Known>> = std::sync::Mutex::new(None);
    let mut known = KNOWN.lock().unwrap_or_else(|p| p.into_inner());
    let known = known.get_or_insert_with(HashMap::new);
    known
        .entry(code)
        .or_insert_with(|| {
            if let Some(meta) = berth_rules::rules::by_code(code) {
                return Some(Arc::from(berth_workspace::docs::help_uri(meta)));
            }
            (code.starts_with("SC") && code.len() > 2 && code[2..].bytes().all(|b| b.is_ascii_digit()))
                .then(|| Arc::from(format!("https://www.shellcheck.net/wiki/{code}")))
        })
        .clone()
}

/// One finding as published (for a few findings: each position is looked up
/// in the rope; [`items`] converts many at once).
pub fn item(snap: &Snapshot, d: &Diagnostic) -> Item {
    item_with(&|s| snap.range(s), d)
}

fn item_with(range: &dyn Fn(Span) -> (LineCol, LineCol), d: &Diagnostic) -> Item {
    let mut tags = Vec::new();
    if UNNECESSARY.contains(&d.code) {
        tags.push(Tag::Unnecessary);
    }
    if DEPRECATED.contains(&d.code) {
        tags.push(Tag::Deprecated);
    }
    Item {
        range: range(d.span),
        severity: d.severity,
        code: d.code,
        href: docs_url(d.code),
        message: d.message.clone(),
        related: d.related.iter().map(|r| (range(r.span), r.message.clone())).collect(),
        tags,
    }
}

pub fn items(snap: &Snapshot, diags: &[Diagnostic]) -> Vec<Item> {
    if diags.is_empty() {
        return Vec::new();
    }
    let lines = Lines::new(&snap.text);
    diags.iter().map(|d| item_with(&|s| lines.range(s), d)).collect()
}

/// berth's own findings on a snapshot in its context (the workspace's
/// [`Context`]: its Compose project, or the builds of a Dockerfile), with the
/// configuration's selection, settings and severity overrides.
pub fn lint(
    snap: &Snapshot,
    eff: &Effective,
    context: &Context,
    scripts: Option<&mut ScriptCache>,
) -> (Vec<Diagnostic>, Analysis) {
    let selection = eff.selection();
    let kind = match snap.language {
        Some(Language::Dockerfile) => FileKind::Dockerfile,
        Some(Language::Compose) => FileKind::Compose,
        None => return (Vec::new(), Analysis::parse(Language::Dockerfile, "")),
    };
    let r = context.lint(kind, snap.text.clone(), &selection, eff.config.settings(), scripts);
    let analysis = match (r.dockerfile, kind) {
        (Some(f), _) => Analysis::Dockerfile(f),
        (None, FileKind::Dockerfile) => Analysis::parse(Language::Dockerfile, &snap.text),
        (None, FileKind::Compose) => Analysis::Compose(r.compose.map(Box::new)),
    };
    let mut diags = r.diagnostics;
    eff.apply_severity(&mut diags);
    (diags, analysis)
}

/// Ask for a lint of `uri`. `relint`: the text did not change but what the
/// lint depends on did (configuration, a related file), so the current
/// generation is superseded too.
pub fn schedule(core: &Arc<Server>, uri: &DocUri, relint: bool) {
    let start = {
        let mut docs = core.documents.lock();
        let Some(doc) = docs.get_mut(uri) else { return };
        if relint {
            doc.generation = next_generation();
        }
        if doc.language.is_none() || doc.linting {
            false
        } else {
            doc.linting = true;
            true
        }
    };
    if start {
        tokio::spawn(lint_loop(core.clone(), uri.clone()));
    }
}

/// What one lint pass hands back to the loop.
struct Pass {
    native: Vec<Diagnostic>,
    native_items: Vec<Item>,
    carried: Vec<Diagnostic>,
    carried_items: Vec<Item>,
    analysis: Arc<Analysis>,
    eff: Effective,
    scripts: ScriptCache,
}

/// Clears the document's `linting` flag if the loop dies in a panic, so later
/// changes start a new loop.
struct LoopGuard<'a>(&'a Server, &'a DocUri);

impl Drop for LoopGuard<'_> {
    fn drop(&mut self) {
        if std::thread::panicking()
            && let Some(doc) = self.0.documents.lock().get_mut(self.1)
        {
            doc.linting = false;
        }
    }
}

async fn lint_loop(core: Arc<Server>, uri: DocUri) {
    let _guard = LoopGuard(&core, &uri);
    loop {
        let (snap, previous, mut scripts) = {
            let mut docs = core.documents.lock();
            let Some(doc) = docs.get_mut(&uri) else { return };
            let snap = doc.snapshot();
            if snap.text.len() >= LARGE_DOCUMENT {
                super::large_document_seen();
                if let Some(last) = doc.last.as_mut() {
                    last.analysis = None;
                }
                core.ide_cache.forget(&uri);
            }
            (snap, doc.last.clone(), doc.scripts.take().unwrap_or_default())
        };
        let c = core.clone();
        let s = snap.clone();
        let queued = std::time::Instant::now();
        let pass = tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            let eff = c.effective(&s);
            let context = c.context(&s);
            let configured = started.elapsed();
            let (native, analysis) = lint(&s, &eff, &context, Some(&mut scripts));
            super::online::after_lint(&c, &s, &eff.config.registry.value, &context, &analysis);
            let linted = started.elapsed();
            let native_items = items(&s, &native);
            if trace() {
                eprintln!(
                    "berth lsp: {} v{}: waited {:.2} ms, configuration {:.2} ms, lint {:.2} ms, positions {:.2} ms ({} findings)",
                    s.uri,
                    s.version,
                    (started - queued).as_secs_f64() * 1e3,
                    configured.as_secs_f64() * 1e3,
                    (linted - configured).as_secs_f64() * 1e3,
                    (started.elapsed() - linted).as_secs_f64() * 1e3,
                    native.len()
                );
            }
            let shellcheck_on = eff.shellcheck().is_some() && berth_workspace::config::shellcheck_selected(&eff.selection());
            let carried = match (&previous, &analysis) {
                (Some(prev), Analysis::Dockerfile(new)) if shellcheck_on && !prev.shellcheck.is_empty() => {
                    match prev.analysis.as_deref() {
                        Some(Analysis::Dockerfile(old)) => carry_over(old, &prev.shellcheck, new),
                        _ => Vec::new(),
                    }
                }
                _ => Vec::new(),
            };
            let carried_items = items(&s, &carried);
            Pass { native, native_items, carried, carried_items, analysis: Arc::new(analysis), eff, scripts }
        })
        .await;
        let mut shellcheck_next = None;
        // Results no longer needed are freed off the async thread (freeing a
        // large file's syntax tree takes milliseconds).
        let (mut replaced, mut stale) = (None, None);
        let again = {
            let mut docs = core.documents.lock();
            let Some(doc) = docs.get_mut(&uri) else { return };
            let pass = pass.map(|mut p| {
                doc.scripts = Some(std::mem::take(&mut p.scripts));
                p
            });
            match pass {
                Ok(p) if doc.generation == snap.generation => {
                    let mut all = p.native_items.clone();
                    all.extend(p.carried_items.iter().cloned());
                    sort_items(&mut all);
                    core.publish(Publication { uri: uri.clone(), version: Some(snap.version), items: all });
                    let large = snap.text.len() >= LARGE_DOCUMENT;
                    if large && snap.language == Some(Language::Dockerfile) && p.eff.shellcheck().is_some() {
                        core.log_once(
                            Level::Info,
                            format!(
                                "berth: ShellCheck does not run in the editor on Dockerfiles of {} KiB or more ({} is {} KiB); `berth check` runs it",
                                LARGE_DOCUMENT / 1024,
                                uri,
                                snap.text.len() / 1024
                            ),
                        );
                    }
                    if snap.language == Some(Language::Dockerfile)
                        && !large
                        && let Some(path) = p.eff.shellcheck()
                        && berth_workspace::config::shellcheck_selected(&p.eff.selection())
                    {
                        shellcheck_next = Some((path, p.eff.clone()));
                    }
                    replaced = doc.last.replace(LintCache {
                        generation: snap.generation,
                        native: Arc::new(p.native),
                        native_items: Arc::new(p.native_items),
                        shellcheck: Arc::new(p.carried),
                        shellcheck_items: Arc::new(p.carried_items),
                        shellcheck_current: false,
                        analysis: Some(p.analysis),
                    });
                }
                Ok(p) => stale = Some(p),
                Err(e) => core.log(Level::Error, format!("berth: linting {uri} failed: {e}")),
            }
            if doc.generation == snap.generation {
                doc.linting = false;
                false
            } else {
                true
            }
        };
        if replaced.is_some() || stale.is_some() {
            tokio::task::spawn_blocking(move || drop((replaced, stale)));
        }
        if let Some((path, eff)) = shellcheck_next {
            tokio::spawn(run_shellcheck(core.clone(), uri.clone(), snap.generation, path, eff));
        }
        if !again {
            return;
        }
    }
}

fn sort_items(items: &mut [Item]) {
    items.sort_by(|a, b| (a.range.0, a.range.1, a.code).cmp(&(b.range.0, b.range.1, b.code)));
}

/// ShellCheck for `uri` at `generation`, once typing has paused. While it
/// waits it holds no text and no syntax tree (a burst of keystrokes would
/// otherwise keep one of each per version alive); it takes the document's
/// current ones when it starts.
async fn run_shellcheck(core: Arc<Server>, uri: DocUri, generation: u64, path: Option<PathBuf>, eff: Effective) {
    tokio::time::sleep(SHELLCHECK_DELAY).await;
    if !core.is_current(&uri, generation) {
        return;
    }
    let Ok(_permit) = core.shellcheck_runs.acquire().await else { return };
    let current = {
        let mut docs = core.documents.lock();
        docs.get_mut(&uri).and_then(|doc| {
            let last = doc.last.as_ref().filter(|l| l.generation == generation)?.analysis.clone()?;
            (doc.generation == generation).then(|| (doc.snapshot(), last))
        })
    };
    let Some((snap, analysis)) = current else { return };
    let c = core.clone();
    let s = snap.clone();
    let found = tokio::task::spawn_blocking(move || {
        let Analysis::Dockerfile(file) = &*analysis else { return Ok::<_, String>((Vec::new(), Vec::new())) };
        let sc = c.shellcheck_binary(path.as_deref()).ok_or_else(|| match &path {
            Some(p) => format!("berth: {}: not a working shellcheck binary", p.display()),
            None => String::new(),
        })?;
        let (uri, generation) = (s.uri.clone(), s.generation);
        let cancelled = || !c.is_current(&uri, generation);
        let (mut per_file, problems) = shellcheck::check_files_in_background(&sc, &[file], &cancelled);
        if cancelled() {
            return Ok((Vec::new(), Vec::new()));
        }
        for p in problems {
            c.log(Level::Warning, format!("berth: {p}"));
        }
        let mut found = per_file.pop().unwrap_or_default();
        let selection = eff.selection();
        found.retain(|d| berth_workspace::config::shellcheck_code_enabled(&selection, d.code));
        if !selection.disable_ignore_pragma {
            engine::remove_suppressed(file, &mut found);
        }
        eff.apply_severity(&mut found);
        let found_items = items(&s, &found);
        Ok((found, found_items))
    })
    .await;
    let (found, found_items) = match found {
        Ok(Ok(f)) => f,
        Ok(Err(msg)) => {
            if !msg.is_empty() {
                core.log_once(Level::Warning, msg);
            }
            (Vec::new(), Vec::new())
        }
        Err(e) => {
            core.log(Level::Error, format!("berth: ShellCheck on {} failed: {e}", snap.uri));
            return;
        }
    };
    let mut docs = core.documents.lock();
    let Some(doc) = docs.get_mut(&snap.uri) else { return };
    if doc.generation != snap.generation {
        return;
    }
    let Some(last) = doc.last.as_mut().filter(|l| l.generation == snap.generation) else { return };
    let unchanged = *last.shellcheck == found;
    last.shellcheck = Arc::new(found);
    last.shellcheck_items = Arc::new(found_items);
    last.shellcheck_current = true;
    if unchanged {
        return;
    }
    let mut all: Vec<Item> = last.native_items.iter().chain(last.shellcheck_items.iter()).cloned().collect();
    all.extend(super::items::review_items(doc.ai_review.as_deref(), snap.generation));
    sort_items(&mut all);
    core.publish(Publication { uri: snap.uri.clone(), version: Some(snap.version), items: all });
}

/// ShellCheck's findings of the old text moved onto the new text: those in an
/// instruction whose text is unchanged (matched by text and occurrence), shifted
/// with it. Findings in changed instructions are dropped until ShellCheck runs.
pub fn carry_over(old: &Dockerfile, found: &[Diagnostic], new: &Dockerfile) -> Vec<Diagnostic> {
    fn key(f: &Dockerfile, i: usize) -> Option<&str> {
        f.text.get(f.instructions[i].span.start..f.instructions[i].span.end)
    }
    let mut new_at: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, inst) in new.instructions.iter().enumerate() {
        if let Some(k) = key(new, i) {
            new_at.entry(k).or_default().push(inst.span.start);
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut old_place: Vec<Option<(Span, usize)>> = Vec::with_capacity(old.instructions.len());
    for (i, inst) in old.instructions.iter().enumerate() {
        old_place.push(key(old, i).map(|k| {
            let n = seen.entry(k).or_default();
            *n += 1;
            (inst.span, *n - 1)
        }));
    }
    let mut out = Vec::new();
    for d in found {
        let at = old.instructions.partition_point(|i| i.span.start <= d.span.start);
        let Some(idx) = at.checked_sub(1) else { continue };
        let Some((span, nth)) = old_place[idx] else { continue };
        if d.span.end > span.end {
            continue;
        }
        let Some(k) = key(old, idx) else { continue };
        let Some(&new_start) = new_at.get(k).and_then(|v| v.get(nth)) else { continue };
        let inside = |s: Span| s.start >= span.start && s.end <= span.end;
        let shift = |s: Span| Span::new(s.start - span.start + new_start, s.end - span.start + new_start);
        let mut moved = d.clone();
        moved.span = shift(d.span);
        moved.related = d
            .related
            .iter()
            .filter(|r| inside(r.span))
            .map(|r| Related { span: shift(r.span), message: r.message.clone() })
            .collect();
        moved.fix = d.fix.as_ref().filter(|f| f.edits.iter().all(|e| inside(e.span))).map(|f| Fix {
            title: f.title.clone(),
            safety: f.safety,
            edits: f.edits.iter().map(|e| Edit { span: shift(e.span), new_text: e.new_text.clone() }).collect(),
        });
        out.push(moved);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_rules::engine::Severity;

    fn sc(span: Span) -> Diagnostic {
        Diagnostic {
            code: "SC2086",
            name: "shellcheck",
            severity: Severity::Info,
            message: "quote".into(),
            span,
            fix: Some(Fix::unsafe_("q", vec![Edit::replace(span, "\"$x\"")])),
            related: Vec::new(),
        }
    }

    #[test]
    fn carries_findings_of_unchanged_instructions() {
        let old_text = "FROM alpine\nRUN echo $x\nRUN echo $y\n";
        let new_text = "FROM alpine:3\nRUN echo $x\nRUN echo $yy\n";
        let old = Dockerfile::parse(old_text);
        let new = Dockerfile::parse(new_text);
        let x = old_text.find("$x").unwrap();
        let y = old_text.find("$y").unwrap();
        let moved = carry_over(&old, &[sc(Span::new(x, x + 2)), sc(Span::new(y, y + 2))], &new);
        assert_eq!(moved.len(), 1);
        let nx = new_text.find("$x").unwrap();
        assert_eq!(moved[0].span, Span::new(nx, nx + 2));
        assert_eq!(moved[0].fix.as_ref().unwrap().edits[0].span, Span::new(nx, nx + 2));
    }

    #[test]
    fn docs_urls() {
        assert!(docs_url("DL4000").unwrap().contains("docs/rules.md#dl4000-"));
        assert_eq!(docs_url("SC2086").as_deref(), Some("https://www.shellcheck.net/wiki/SC2086"));
        assert_eq!(docs_url("XX1"), None);
    }
}
