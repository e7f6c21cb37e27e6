//! `berth check`.

use crate::config::{self, Config};
use crate::discover::{self, FileKind, Target};
use crate::output::{self, FileReport};
use crate::shellcheck;
use crate::{CheckArgs, Threshold};
use berth_rules::engine::{self, Inputs, SYNTAX_ERROR, Selection};
use berth_rules::text::{LineIndex, Span};
use rayon::prelude::*;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Lint one file's bytes as a Dockerfile or a Compose file.
pub fn lint_bytes_as(
    kind: FileKind,
    display: String,
    bytes: &[u8],
    selection: &Selection,
    inputs: &Inputs,
) -> FileReport {
    let (text, bad_utf8) = engine::decode(bytes);
    let (mut diagnostics, syntax) = match kind {
        FileKind::Compose => (engine::lint_compose(&text, selection).diagnostics, &engine::YAML_SYNTAX_ERROR),
        FileKind::Dockerfile => (engine::lint_with(&text, selection, inputs).diagnostics, &SYNTAX_ERROR),
    };
    if let Some(at) = bad_utf8 {
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        diagnostics.insert(
            0,
            syntax.diagnostic(Span::new(at, end), "the file is not valid UTF-8 here; berth read the bytes as U+FFFD"),
        );
    }
    let lines = LineIndex::new(&text);
    FileReport { display, text, lines, diagnostics, cursor: Default::default(), compose: kind == FileKind::Compose }
}

enum Outcome {
    Report(FileReport),
    Failed(String),
}

pub fn run(mut args: CheckArgs, config: Option<PathBuf>) -> ExitCode {
    if args.no_color {
        args.color = crate::ColorChoice::Never;
    }
    output::QUIET.store(args.quiet, std::sync::atomic::Ordering::Relaxed);
    for sel in args.select.iter().chain(&args.ignore) {
        if !config::valid_selector(sel) {
            eprintln!("berth: unknown rule `{sel}` in --select/--ignore; `berth rules` lists them");
            return ExitCode::from(2);
        }
    }
    let mut resolver = config::Resolver::new(config::CliOptions {
        config,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        failure_threshold: args.failure_threshold.map(Threshold::severity),
        disable_ignore_pragma: args.disable_ignore_pragma,
        shellcheck: args.shellcheck.clone(),
        no_shellcheck: args.no_shellcheck,
    });
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
    let file_paths: Vec<PathBuf> = paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect();
    let has_stdin = paths.iter().any(|p| p.as_os_str() == "-");
    let (targets, walk_errors) =
        if file_paths.is_empty() { (Vec::new(), Vec::new()) } else { discover::discover(&file_paths) };
    // Every file's configuration first: an invalid one stops the run.
    let mut config_errors: Vec<String> = Vec::new();
    let mut configs: Vec<Arc<Config>> = Vec::new();
    let stdin_config = if has_stdin { Some(resolver.for_path(std::path::Path::new("-"))) } else { None };
    for r in targets.iter().map(|t| resolver.for_path(&t.path)).chain(stdin_config.clone()) {
        match r {
            Ok(c) => configs.push(c),
            Err(e) if !config_errors.contains(&e) => config_errors.push(e),
            Err(_) => {}
        }
    }
    if !config_errors.is_empty() {
        for e in config_errors {
            eprintln!("{e}");
        }
        return ExitCode::from(2);
    }
    if args.fixing.fix {
        errors.extend(crate::fix_cmd::fix_for_check(&args, &mut resolver));
    }

    let mut stdin_report = None;
    if let Some(Ok(cfg)) = stdin_config {
        let mut buf = Vec::new();
        match std::io::stdin().read_to_end(&mut buf) {
            Ok(_) => {
                let name = args.stdin_filename.clone().unwrap_or_else(|| "-".to_string());
                let inputs = Inputs { settings: cfg.settings(), ..Inputs::default() };
                let kind = discover::kind_of(std::path::Path::new(&name))
                    .filter(|k| *k == FileKind::Compose)
                    .unwrap_or(FileKind::Dockerfile);
                stdin_report = Some((lint_bytes_as(kind, name, &buf, &cfg.selection(), &inputs), cfg));
            }
            Err(e) => errors.push(format!("berth: -: cannot read standard input: {e}")),
        }
    }

    for e in walk_errors {
        errors.push(format!("berth: {}: {}", e.path, e.message));
    }
    let progress = progress_bar(targets.len(), args.quiet);
    let outcomes: Vec<(Outcome, Arc<Config>)> = targets
        .par_iter()
        .zip(configs.par_iter())
        .map(|(t, c)| {
            let o = (lint_target(t, c), c.clone());
            if let Some(p) = &progress {
                p.inc(1);
            }
            o
        })
        .collect();
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    let mut reports: Vec<(FileReport, Arc<Config>)> = Vec::new();
    for (o, c) in outcomes {
        match o {
            Outcome::Report(r) => reports.push((r, c)),
            Outcome::Failed(msg) => errors.push(msg),
        }
    }
    if let Some(r) = stdin_report {
        reports.push(r);
    }
    // ShellCheck, grouped by the binary each file's configuration names.
    let mut groups: std::collections::BTreeMap<Option<PathBuf>, Vec<usize>> = Default::default();
    for (i, (r, c)) in reports.iter().enumerate() {
        if !r.compose && c.shellcheck_enabled.value && shellcheck_selected(&c.selection()) {
            groups.entry(c.shellcheck_path.value.clone()).or_default().push(i);
        }
    }
    for (path, members) in groups {
        match shellcheck::ShellCheck::find(path.as_deref()) {
            Some(sc) => {
                let mut group: Vec<(&mut FileReport, Selection)> = reports
                    .iter_mut()
                    .enumerate()
                    .filter(|(i, _)| members.contains(i))
                    .map(|(_, (r, c))| (r, c.selection()))
                    .collect();
                for e in add_shellcheck(&sc, &mut group) {
                    eprintln!("berth: {e}");
                }
            }
            None => {
                if let Some(p) = path {
                    errors.push(format!("berth: {}: not a working shellcheck binary", p.display()));
                }
            }
        }
    }
    for (r, c) in reports.iter_mut() {
        c.apply_severity(&mut r.diagnostics);
    }
    reports.sort_by(|a, b| a.0.display.cmp(&b.0.display));
    let (mut reports, configs): (Vec<FileReport>, Vec<Arc<Config>>) = reports.into_iter().unzip();
    errors.extend(baseline.apply(&mut reports));
    let files = reports.len();

    errors.extend(output::emit(&outputs, &reports, files, args.color));
    for e in &errors {
        eprintln!("{e}");
    }

    if !errors.is_empty() {
        return ExitCode::from(2);
    }
    let failed = reports.iter().zip(&configs).any(|(r, c)| c.fails(&r.diagnostics));
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn lint_target(t: &Target, config: &Config) -> Outcome {
    let inputs = match t.kind {
        FileKind::Dockerfile => Inputs { dockerignore: dockerignore_for(&t.path), settings: config.settings() },
        FileKind::Compose => Inputs { settings: config.settings(), ..Inputs::default() },
    };
    match std::fs::read(&t.path) {
        Ok(bytes) => Outcome::Report(lint_bytes_as(t.kind, t.display.clone(), &bytes, &config.selection(), &inputs)),
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
fn add_shellcheck(sc: &shellcheck::ShellCheck, reports: &mut [(&mut FileReport, Selection)]) -> Vec<String> {
    let texts: Vec<&str> = reports.iter().map(|(r, _)| r.text.as_str()).collect();
    let parsed: Vec<berth_rules::syntax::Dockerfile> =
        texts.par_iter().map(|t| berth_rules::syntax::Dockerfile::parse(t)).collect();
    let refs: Vec<&berth_rules::syntax::Dockerfile> = parsed.iter().collect();
    let (per_file, problems) = shellcheck::check_files(sc, &refs);
    for (((report, selection), file), mut found) in reports.iter_mut().zip(&parsed).zip(per_file) {
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

/// A progress bar on standard error for long runs on a terminal; never in CI
/// (`CI` set), when standard error is not a terminal, or with `--quiet`.
fn progress_bar(files: usize, quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet || files < 200 || std::env::var_os("CI").is_some() || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} linting {pos}/{len} files {wide_bar} {eta}") {
        bar.set_style(style);
    }
    Some(bar)
}
