//! The command line's AI surfaces: `berth check --ai`, `--ai-review` and
//! `--ai-dry-run`, `berth fix --ai-fixes`, and `berth explain`.
//!
//! They run after berth's own findings are complete; an endpoint that fails
//! gives one line on standard error and the report is printed as it would
//! have been without AI. AI review findings never change the exit code.

use super::{Ai, Dropped, Error, Kind, RelatedFile, Settings};
use crate::config::Config;
use crate::output::{AiFix, FileReport};
use berth_rules::engine::Diagnostic;
use berth_rules::text::{LineIndex, Span};
use berth_workspace::lint::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// The `berth check` flags.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct AiFlags {
    /// Ask the model configured in `[ai]` (default: a local Ollama) for fixes of findings that have no automatic fix; only fixes that pass berth's checks are shown (json and sarif mark them `"origin": "ai"`).
    #[arg(long)]
    pub ai: bool,
    /// Ask the model to review each file: advisory findings (code `AI`, info or style) that never change the exit code.
    #[arg(long)]
    pub ai_review: bool,
    /// Print the exact requests that --ai / --ai-review would send (on standard error) and send nothing.
    #[arg(long)]
    pub ai_dry_run: bool,
    /// Say which configuration each file uses, and which AI suggestions were dropped and why (`-V` is hadolint's spelling).
    #[arg(long, short = 'v', short_alias = 'V')]
    pub verbose: bool,
}

impl AiFlags {
    pub fn any(&self) -> bool {
        self.ai || self.ai_review || self.ai_dry_run
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("berth: AI: cannot start the async runtime: {e}"))
}

/// The settings of a file's configuration, turned on for this run.
fn settings_of(config: &Config) -> Settings {
    Settings { enabled: true, ..config.ai.value.clone() }
}

fn display_path(display: &str) -> Option<PathBuf> {
    (display != "-").then(|| PathBuf::from(display)).filter(|p| p.is_file())
}

/// Where a file named on the command line is linted.
fn context_for(path: Option<&Path>) -> Context {
    path.map_or_else(Context::alone, Context::on_disk)
}

fn related_for(path: Option<&Path>, kind: Kind, text: &str, at: Option<Span>) -> Option<Arc<RelatedFile>> {
    path.and_then(|p| super::related_file(p, kind, text, at)).map(Arc::new)
}

/// One request of a run.
enum Job {
    /// Fixes of up to [`super::BATCH`] findings of one file, in one request.
    Fix {
        file: usize,
        targets: Vec<Diagnostic>,
        related: Option<Arc<RelatedFile>>,
    },
    Review {
        file: usize,
        related: Option<Arc<RelatedFile>>,
    },
}

enum Answer {
    Fix(Result<super::BatchOutcome, Error>),
    Review(Result<super::ReviewOutcome, Error>),
}

/// Errors by message, counted, in the order first seen.
#[derive(Default)]
struct Failures(Vec<(String, usize)>);

impl Failures {
    fn add(&mut self, e: &Error) {
        let m = e.to_string();
        match self.0.iter_mut().find(|(x, _)| *x == m) {
            Some((_, n)) => *n += 1,
            None => self.0.push((m, 1)),
        }
    }
}

fn position(text: &str, offset: usize) -> (usize, usize) {
    let lines = LineIndex::new(text);
    let offset = offset.min(text.len());
    let line = lines.line_of(offset);
    let col = text.get(lines.line_start(line)..offset).map_or(0, |s| s.chars().count());
    (line + 1, col + 1)
}

fn print_request(n: usize, total: usize, what: &str, req: &super::Request, settings: &Settings) {
    let key =
        if settings.api_key().is_some() { "Authorization: Bearer <the API key from the environment>\n" } else { "" };
    let body = String::from_utf8_lossy(&req.body()).into_owned();
    eprintln!(
        "berth: --ai-dry-run: request {n} of {total}, {what} (not sent)\nPOST {}\nContent-Type: application/json\n{key}\n{body}\n",
        req.url
    );
}

/// `berth check --ai / --ai-review / --ai-dry-run`: add validated fixes and
/// review findings to the reports. Returns the lines for standard error.
pub fn augment(reports: &mut [FileReport], configs: &[Arc<Config>], flags: &AiFlags, quiet: bool) -> Vec<String> {
    let fixes = flags.ai || (flags.ai_dry_run && !flags.ai_review);
    let mut notes = Vec::new();
    // Documents, settings and one client per distinct settings.
    let mut docs: Vec<Arc<super::Document>> = Vec::new();
    let mut paths: Vec<Option<PathBuf>> = Vec::new();
    let mut groups: Vec<(Settings, usize)> = Vec::new();
    let mut group_of: Vec<usize> = Vec::new();
    for (r, c) in reports.iter().zip(configs) {
        let kind = if r.compose { Kind::Compose } else { Kind::Dockerfile };
        let path = display_path(&r.display);
        docs.push(Arc::new(super::Document {
            name: r.display.clone(),
            kind,
            text: r.text.clone(),
            selection: c.selection(),
            settings: c.settings(),
            context: context_for(path.as_deref()),
        }));
        paths.push(path);
        let s = settings_of(c);
        let g = match groups.iter().position(|(x, _)| *x == s) {
            Some(g) => g,
            None => {
                groups.push((s, 0));
                groups.len() - 1
            }
        };
        group_of.push(g);
    }
    // The requests, within each group's cap.
    let mut jobs: Vec<Job> = Vec::new();
    let mut skipped = 0;
    for (i, r) in reports.iter().enumerate() {
        let (settings, used) = &mut groups[group_of[i]];
        if fixes {
            let wanted: Vec<Diagnostic> =
                r.diagnostics.iter().filter(|d| super::wants_fix(d, settings)).cloned().collect();
            for targets in wanted.chunks(super::BATCH) {
                if *used >= settings.max_requests {
                    skipped += 1;
                    continue;
                }
                *used += 1;
                // A Compose file's related Dockerfile: the one built by the service of the first finding.
                let at = if r.compose { targets.first().map(|d| d.span) } else { None };
                let related = related_for(paths[i].as_deref(), docs[i].kind, &r.text, at);
                jobs.push(Job::Fix { file: i, targets: targets.to_vec(), related });
            }
        }
        if flags.ai_review {
            if *used >= settings.max_requests {
                skipped += 1;
                continue;
            }
            *used += 1;
            let kind = docs[i].kind;
            jobs.push(Job::Review { file: i, related: related_for(paths[i].as_deref(), kind, &r.text, None) });
        }
    }
    if skipped > 0 {
        notes.push(format!(
            "berth: AI: {skipped} request(s) not made: more than `max_requests` ({}) in this run",
            groups.first().map_or(0, |g| g.0.max_requests)
        ));
    }

    if flags.ai_dry_run {
        let total = jobs.len();
        for (n, job) in jobs.iter().enumerate() {
            let (file, built, what) = match job {
                Job::Fix { file, targets, related } => {
                    let s = &groups[group_of[*file]].0;
                    let what: Vec<String> = targets
                        .iter()
                        .map(|t| {
                            let (l, c) = position(&docs[*file].text, t.span.start);
                            format!("{} at {l}:{c}", t.code)
                        })
                        .collect();
                    (
                        *file,
                        super::prepare_fixes(s, &docs[*file], targets, related.as_deref()).map(|p| p.request),
                        format!("fixes of {} in {}", what.join(", "), docs[*file].name),
                    )
                }
                Job::Review { file, related } => {
                    let s = &groups[group_of[*file]].0;
                    (
                        *file,
                        super::prepare_review(s, &docs[*file], related.as_deref()).map(|p| p.request),
                        format!("a review of {}", docs[*file].name),
                    )
                }
            };
            match built {
                Ok(req) => print_request(n + 1, total, &what, &req, &groups[group_of[file]].0),
                Err(e) => notes.push(format!("berth: AI: {e}")),
            }
        }
        if total == 0 {
            notes.push("berth: --ai-dry-run: no request would be sent (no finding without an automatic fix)".into());
        }
        return notes;
    }
    if jobs.is_empty() {
        return notes;
    }

    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            notes.push(e);
            return notes;
        }
    };
    let mut failures = Failures::default();
    let mut ais: Vec<Option<Arc<Ai>>> = Vec::new();
    for (s, _) in &groups {
        match super::shared(s) {
            Ok(ai) => ais.push(Some(ai)),
            Err(e) => {
                failures.add(&e);
                ais.push(None);
            }
        }
    }
    let total_jobs = jobs.len();
    let answers: Vec<(usize, Answer)> = rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for (n, job) in jobs.iter().enumerate() {
            let file = match job {
                Job::Fix { file, .. } | Job::Review { file, .. } => *file,
            };
            let Some(ai) = ais[group_of[file]].clone() else { continue };
            let doc = docs[file].clone();
            match job {
                Job::Fix { targets, related, .. } => {
                    let (targets, related) = (targets.clone(), related.clone());
                    set.spawn(
                        async move { (n, Answer::Fix(ai.suggest_fixes(&doc, &targets, related.as_deref()).await)) },
                    );
                }
                Job::Review { related, .. } => {
                    let related = related.clone();
                    set.spawn(async move { (n, Answer::Review(ai.review(&doc, related.as_deref()).await)) });
                }
            }
        }
        let mut out = Vec::new();
        while let Some(r) = set.join_next().await {
            if let Ok(a) = r {
                out.push(a);
            }
        }
        out.sort_by_key(|(n, _)| *n);
        out
    });

    let (mut offered, mut dropped_count, mut reviewed, mut declined) = (0, 0, 0, 0);
    let mut dropped: Vec<(usize, Dropped)> = Vec::new();
    for (n, answer) in answers {
        let file = match &jobs[n] {
            Job::Fix { file, .. } | Job::Review { file, .. } => *file,
        };
        match answer {
            Answer::Fix(Ok(batch)) => {
                let Job::Fix { targets, .. } = &jobs[n] else { continue };
                for reason in batch.stray {
                    dropped_count += 1;
                    if flags.verbose {
                        notes.push(format!("berth: {}: an entry of the AI answer dropped: {reason}", docs[file].name));
                    }
                }
                for (target, outcome) in targets.iter().zip(batch.outcomes) {
                    let why = match (&outcome.note, outcome.unanswered) {
                        (_, true) => Some("the model's answer does not mention it".to_string()),
                        (Some(note), false) => Some(format!("the model offered none ({})", super::one_line(note, 200))),
                        (None, false) => None,
                    };
                    if let Some(why) = why {
                        declined += 1;
                        if flags.verbose {
                            let (l, c) = position(&docs[file].text, target.span.start);
                            notes.push(format!(
                                "berth: {}:{l}:{c}: no AI fix for {}: {why}",
                                docs[file].name, target.code
                            ));
                        }
                    }
                    for s in outcome.suggestions {
                        offered += 1;
                        reports[file].ai_fixes.push(AiFix {
                            code: s.code,
                            span: s.span,
                            fix: s.fix,
                            explanation: s.explanation,
                        });
                    }
                    dropped_count += outcome.dropped.len();
                    dropped.extend(outcome.dropped.into_iter().map(|d| (file, d)));
                }
            }
            Answer::Review(Ok(outcome)) => {
                for f in outcome.findings {
                    reviewed += 1;
                    if let Some(fix) = f.fix {
                        reports[file].ai_fixes.push(AiFix {
                            code: super::REVIEW_CODE,
                            span: f.diagnostic.span,
                            fix,
                            explanation: None,
                        });
                    }
                    reports[file].diagnostics.push(f.diagnostic);
                }
                dropped_count += outcome.dropped.len();
                dropped.extend(outcome.dropped.into_iter().map(|d| (file, d)));
            }
            Answer::Fix(Err(e)) | Answer::Review(Err(e)) => failures.add(&e),
        }
    }
    for r in reports.iter_mut() {
        r.diagnostics.sort_by(|a, b| (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code)));
    }
    for (m, count) in &failures.0 {
        let of = if *count > 1 { format!(" ({count} of {total_jobs} requests)") } else { String::new() };
        notes.push(format!("berth: AI: {m}{of}; berth's own findings are shown as usual"));
    }
    if flags.verbose {
        for (file, d) in &dropped {
            let (l, c) = position(&docs[*file].text, d.span.start);
            let what = if d.code == super::REVIEW_CODE {
                "AI review finding".to_string()
            } else {
                format!("AI fix for {}", d.code)
            };
            notes.push(format!("berth: {}:{l}:{c}: {what} dropped: {}", docs[*file].name, d.reason));
        }
    }
    if !quiet {
        let mut parts = vec![format!("{offered} fix(es) offered")];
        if declined > 0 {
            parts.push(format!("{declined} finding(s) without a fix from the model"));
        }
        if flags.ai_review {
            parts.push(format!("{reviewed} review finding(s)"));
        }
        let why = if flags.verbose || dropped_count == 0 { "" } else { " (--verbose shows why)" };
        parts.push(format!("{dropped_count} suggestion(s) dropped{why}"));
        notes.push(format!("berth: AI: {}", parts.join(", ")));
    }
    notes
}

/// One file for `berth fix --ai-fixes`.
pub struct FixJob {
    pub display: String,
    pub path: Option<PathBuf>,
    pub kind: Kind,
    /// The text after berth's own fixes.
    pub text: String,
    pub config: Arc<Config>,
}

/// `berth fix --ai-fixes`: ask for fixes of the findings left without one,
/// and apply the ones that pass berth's checks, together when they still
/// pass together, else the first. Returns each file's new text and the
/// number of AI fixes applied, and the lines for standard error.
pub fn fix_texts(jobs: &[FixJob], verbose: bool) -> (Vec<(String, usize)>, Vec<String>) {
    let mut notes = Vec::new();
    let mut results: Vec<(String, usize)> = jobs.iter().map(|j| (j.text.clone(), 0)).collect();
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => return (results, vec![e]),
    };
    let mut failures = Failures::default();
    for (i, job) in jobs.iter().enumerate() {
        let settings = settings_of(&job.config);
        let ai = match super::shared(&settings) {
            Ok(ai) => ai,
            Err(e) => {
                failures.add(&e);
                continue;
            }
        };
        let doc = super::Document {
            name: job.display.clone(),
            kind: job.kind,
            text: job.text.clone(),
            selection: job.config.selection(),
            settings: job.config.settings(),
            context: context_for(job.path.as_deref()),
        };
        let findings: Vec<Diagnostic> = super::validate::lint(&doc, &doc.text)
            .diagnostics
            .into_iter()
            .filter(|d| super::wants_fix(d, &settings))
            .take(settings.max_requests.saturating_mul(super::BATCH))
            .collect();
        if findings.is_empty() {
            continue;
        }
        let at = if job.kind == Kind::Compose { findings.first().map(|d| d.span) } else { None };
        let related = job.path.as_deref().and_then(|p| super::related_file(p, job.kind, &doc.text, at)).map(Arc::new);
        let outcomes = rt.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            let doc = Arc::new(doc.clone());
            for (n, targets) in findings.chunks(super::BATCH).map(<[Diagnostic]>::to_vec).enumerate() {
                let (ai, doc, related) = (ai.clone(), doc.clone(), related.clone());
                set.spawn(async move { (n, ai.suggest_fixes(&doc, &targets, related.as_deref()).await) });
            }
            let mut out = Vec::new();
            while let Some(Ok(r)) = set.join_next().await {
                out.push(r);
            }
            out.sort_by_key(|(n, _)| *n);
            out
        });
        let mut suggestions = Vec::new();
        for (_, o) in outcomes {
            match o {
                Ok(batch) => {
                    for o in batch.outcomes {
                        if verbose {
                            for d in &o.dropped {
                                let (l, c) = position(&doc.text, d.span.start);
                                notes.push(format!(
                                    "berth: {}:{l}:{c}: AI fix for {} dropped: {}",
                                    doc.name, d.code, d.reason
                                ));
                            }
                        }
                        suggestions.extend(o.suggestions);
                    }
                }
                Err(e) => failures.add(&e),
            }
        }
        if suggestions.is_empty() {
            continue;
        }
        let fixes: Vec<&berth_rules::Fix> = suggestions.iter().map(|s| &s.fix).collect();
        let (together, n) = berth_rules::engine::fix::apply(&doc.text, &fixes);
        let before = super::validate::lint(&doc, &doc.text);
        let after = super::validate::lint(&doc, &together);
        let worse = after.syntax_errors > before.syntax_errors
            || !super::validate::new_serious(&before.diagnostics, &after.diagnostics).is_empty();
        results[i] = if worse || n == 0 { (suggestions[0].fixed_text.clone(), 1) } else { (together, n) };
    }
    for (m, count) in &failures.0 {
        let of = if *count > 1 { format!(" ({count} requests)") } else { String::new() };
        notes.push(format!("berth: AI: {m}{of}"));
    }
    (results, notes)
}

/// `berth explain CODE` (offline: the rule's documentation) and `berth
/// explain --ai FILE:LINE` (the model explains that line's findings).
pub fn explain(target: &str, ai: bool, dry_run: bool, config: Option<PathBuf>) -> ExitCode {
    if !ai && !dry_run {
        return crate::rules_cmd::rule(target);
    }
    let Some((file, line)) = target.rsplit_once(':').and_then(|(f, l)| Some((f, l.trim().parse::<usize>().ok()?)))
    else {
        eprintln!("berth: explain --ai takes FILE:LINE, e.g. `berth explain --ai Dockerfile:12`");
        return ExitCode::from(2);
    };
    let path = PathBuf::from(file);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("berth: {file}: cannot read: {e}");
            return ExitCode::from(2);
        }
    };
    let mut resolver = crate::config::Resolver::new(crate::config::CliOptions { config, ..Default::default() });
    let cfg = match resolver.for_path(&path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let fkind = crate::discover::kind_of(&path)
        .filter(|k| *k == crate::discover::FileKind::Compose)
        .unwrap_or(crate::discover::FileKind::Dockerfile);
    let kind = Kind::from(fkind);
    let context = context_for(Some(&path));
    let text = berth_rules::engine::decode(&bytes).0;
    let mut report = context.lint(fkind, Arc::from(text.as_str()), &cfg.selection(), cfg.settings(), None);
    cfg.apply_severity(&mut report.diagnostics);
    let lines = LineIndex::new(&text);
    let on_line: Vec<Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| {
            let (a, b) = (lines.line_of(d.span.start) + 1, lines.line_of(d.span.end.max(d.span.start)) + 1);
            (a..=b).contains(&line)
        })
        .cloned()
        .collect();
    if on_line.is_empty() {
        eprintln!("berth: {file}:{line}: berth reports no finding on this line");
        return ExitCode::from(1);
    }
    let settings = settings_of(&cfg);
    let doc = super::Document {
        name: file.to_string(),
        kind,
        text,
        selection: cfg.selection(),
        settings: cfg.settings(),
        context,
    };
    let related = super::related_file(&path, kind, &doc.text, on_line.first().map(|d| d.span));
    if dry_run {
        return match super::explain_request(&settings, &doc, &on_line, related.as_ref()) {
            Ok(req) => {
                print_request(1, 1, &format!("an explanation of {file}:{line}"), &req, &settings);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("berth: AI: {e}");
                ExitCode::from(2)
            }
        };
    }
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match rt.block_on(super::explain(&settings, &doc, &on_line, related.as_ref())) {
        Ok(text) => {
            for d in &on_line {
                let (l, c) = position(&doc.text, d.span.start);
                println!("{file}:{l}:{c}: {} {} {}", d.code, d.name, d.message);
            }
            println!("\n{}", text.trim_end());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("berth: AI: {e}");
            ExitCode::from(2)
        }
    }
}
