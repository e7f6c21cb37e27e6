//! `berth check`.

use crate::discover::{self, FileKind, Target};
use crate::output::{self, FileReport};
use crate::shellcheck;
use crate::{CheckArgs, Format, Threshold};
use berth_rules::Severity;
use berth_rules::engine::{self, Inputs, SYNTAX_ERROR, Selection};
use berth_rules::text::{LineIndex, Span};
use rayon::prelude::*;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

/// Lint one file's bytes.
pub fn lint_bytes(display: String, bytes: &[u8], selection: &Selection, inputs: &Inputs) -> FileReport {
    let (text, bad_utf8) = engine::decode(bytes);
    let mut diagnostics = engine::lint_with(&text, selection, inputs).diagnostics;
    if let Some(at) = bad_utf8 {
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        diagnostics.insert(
            0,
            SYNTAX_ERROR
                .diagnostic(Span::new(at, end), "the file is not valid UTF-8 here; berth read the bytes as U+FFFD"),
        );
    }
    let lines = LineIndex::new(&text);
    FileReport { display, text, lines, diagnostics, cursor: Default::default() }
}

enum Outcome {
    Report(FileReport),
    Failed(String),
    Skipped,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let selection = Selection {
        only: if args.select.is_empty() { None } else { Some(args.select.clone()) },
        ignore: args.ignore.clone(),
        include_off_by_default: args.select.iter().any(|s| s == "all"),
        disable_ignore_pragma: args.disable_ignore_pragma,
    };
    for sel in args.select.iter().chain(&args.ignore) {
        if sel != "all" && !is_shellcheck_selector(sel) && berth_rules::rules::find(sel).is_none() {
            eprintln!("berth: unknown rule `{sel}` in --select/--ignore; `berth rules` lists them");
            return ExitCode::from(2);
        }
    }
    let outputs = match output::plan(&args.format, &args.output) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let mut errors: Vec<String> = Vec::new();
    let baseline = match crate::baseline::Baseline::load(&args.baseline_flags) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if args.fixing.fix {
        errors.extend(crate::fix_cmd::fix_for_check(&args, &selection));
    }

    let mut stdin_report = None;
    let file_paths: Vec<PathBuf> = paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect();
    if paths.iter().any(|p| p.as_os_str() == "-") {
        let mut buf = Vec::new();
        match std::io::stdin().read_to_end(&mut buf) {
            Ok(_) => {
                let name = args.stdin_filename.clone().unwrap_or_else(|| "-".to_string());
                stdin_report = Some(lint_bytes(name, &buf, &selection, &Inputs::default()));
            }
            Err(e) => errors.push(format!("berth: -: cannot read standard input: {e}")),
        }
    }

    let (targets, walk_errors) =
        if file_paths.is_empty() { (Vec::new(), Vec::new()) } else { discover::discover(&file_paths) };
    for e in walk_errors {
        errors.push(format!("berth: {}: {}", e.path, e.message));
    }
    let outcomes: Vec<Outcome> = targets.par_iter().map(|t| lint_target(t, &selection)).collect();
    let mut reports: Vec<FileReport> = Vec::new();
    let mut skipped_compose = 0;
    for o in outcomes {
        match o {
            Outcome::Report(r) => reports.push(r),
            Outcome::Failed(msg) => errors.push(msg),
            Outcome::Skipped => skipped_compose += 1,
        }
    }
    if let Some(r) = stdin_report {
        reports.push(r);
    }
    if !args.no_shellcheck && shellcheck_selected(&selection) {
        match shellcheck::ShellCheck::find(args.shellcheck.as_deref()) {
            Some(sc) => {
                for e in add_shellcheck(&sc, &mut reports, &selection) {
                    eprintln!("berth: {e}");
                }
            }
            None if args.shellcheck.is_some() => {
                let p = args.shellcheck.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
                errors.push(format!("berth: {p}: not a working shellcheck binary"));
            }
            None => {}
        }
    }
    reports.sort_by(|a, b| a.display.cmp(&b.display));
    errors.extend(baseline.apply(&mut reports));
    let files = reports.len();

    errors.extend(output::emit(&outputs, &reports, files, args.color));
    if skipped_compose > 0 && outputs.iter().any(|t| t.format == Format::Tty) {
        eprintln!("berth: note: {skipped_compose} Compose file(s) found; Compose linting is not available yet");
    }
    for e in &errors {
        eprintln!("{e}");
    }

    if !errors.is_empty() {
        return ExitCode::from(2);
    }
    let threshold = match args.failure_threshold {
        Threshold::Error => Some(Severity::Error),
        Threshold::Warning => Some(Severity::Warning),
        Threshold::Info => Some(Severity::Info),
        Threshold::Style => Some(Severity::Style),
        Threshold::None => None,
    };
    let failed = threshold.is_some_and(|t| reports.iter().flat_map(|r| &r.diagnostics).any(|d| d.severity.at_least(t)));
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn lint_target(t: &Target, selection: &Selection) -> Outcome {
    if t.kind == FileKind::Compose {
        return Outcome::Skipped;
    }
    let inputs = Inputs { dockerignore: dockerignore_for(&t.path), ..Inputs::default() };
    match std::fs::read(&t.path) {
        Ok(bytes) => Outcome::Report(lint_bytes(t.display.clone(), &bytes, selection, &inputs)),
        Err(e) => Outcome::Failed(format!("berth: {}: cannot read: {e}", t.display)),
    }
}

/// The ignore file BuildKit would use, taking the Dockerfile's folder as the
/// build context: `<Dockerfile name>.dockerignore` beside it, else `.dockerignore`.
pub(crate) fn dockerignore_for(dockerfile: &std::path::Path) -> Option<String> {
    let dir = dockerfile.parent()?;
    let own = dockerfile.file_name().map(|n| dir.join(format!("{}.dockerignore", n.to_string_lossy())));
    own.into_iter().chain([dir.join(".dockerignore")]).find_map(|p| std::fs::read_to_string(p).ok())
}

/// `SC2086` or `shellcheck` (all ShellCheck codes).
pub(crate) fn is_shellcheck_selector(sel: &str) -> bool {
    sel.eq_ignore_ascii_case("shellcheck")
        || (sel.len() > 2 && sel[..2].eq_ignore_ascii_case("SC") && sel[2..].chars().all(|c| c.is_ascii_digit()))
}

fn shellcheck_code_enabled(selection: &Selection, code: &str) -> bool {
    let names = |s: &String| s.eq_ignore_ascii_case(code) || s.eq_ignore_ascii_case("shellcheck");
    if selection.ignore.iter().any(names) {
        return false;
    }
    match &selection.only {
        Some(list) => list.iter().any(|s| s == "all" || names(s)),
        None => true,
    }
}

fn shellcheck_selected(selection: &Selection) -> bool {
    if selection.ignore.iter().any(|s| s.eq_ignore_ascii_case("shellcheck")) {
        return false;
    }
    match &selection.only {
        Some(list) => list.iter().any(|s| s == "all" || is_shellcheck_selector(s)),
        None => true,
    }
}

/// Run ShellCheck on every report's RUN scripts and merge its findings.
fn add_shellcheck(sc: &shellcheck::ShellCheck, reports: &mut [FileReport], selection: &Selection) -> Vec<String> {
    let texts: Vec<&str> = reports.iter().map(|r| r.text.as_str()).collect();
    let parsed: Vec<berth_rules::syntax::Dockerfile> =
        texts.par_iter().map(|t| berth_rules::syntax::Dockerfile::parse(t)).collect();
    let refs: Vec<&berth_rules::syntax::Dockerfile> = parsed.iter().collect();
    let (per_file, problems) = shellcheck::check_files(sc, &refs);
    for ((report, file), mut found) in reports.iter_mut().zip(&parsed).zip(per_file) {
        found.retain(|d| shellcheck_code_enabled(selection, d.code));
        if !selection.disable_ignore_pragma {
            engine::remove_suppressed(file, &mut found);
        }
        if found.is_empty() {
            continue;
        }
        report.diagnostics.extend(found);
        report.diagnostics.sort_by(|a, b| (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code)));
    }
    problems
}
