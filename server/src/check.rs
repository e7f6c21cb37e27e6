//! `berth check`.

use crate::config::{self, Config};
use crate::discover::{self, FileKind, Target};
use crate::output::{self, FileReport};
use crate::shellcheck;
use crate::{CheckArgs, Threshold};
use berth_rules::engine::Inputs;
use berth_rules::engine::{self, LabelType, SYNTAX_ERROR, Selection};
use berth_rules::text::{LineIndex, Span};
use berth_workspace::Files;
use berth_workspace::io::too_big;
use berth_workspace::lint::{self, Around, BuildMap, BuildUse};
use rayon::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Lint one file's bytes as a Dockerfile or a Compose file with the files around it (the workspace reads them from
/// the disk). For a Compose file it also returns how its services build the
/// Dockerfiles they name.
pub(crate) fn lint_bytes_around(
    kind: FileKind,
    display: String,
    bytes: &[u8],
    selection: &Selection,
    inputs: &Inputs,
    around: &Around<'_>,
) -> (FileReport, Vec<BuildUse>) {
    if is_binary(bytes) {
        let syntax = if kind == FileKind::Compose { &engine::YAML_SYNTAX_ERROR } else { &SYNTAX_ERROR };
        let d = syntax.diagnostic(Span::new(0, 0), "not a text file (it has NUL bytes); nothing else is checked");
        let report = FileReport {
            display,
            text: String::new(),
            lines: LineIndex::new(""),
            diagnostics: vec![d],
            cursor: Default::default(),
            compose: kind == FileKind::Compose,
            ai_fixes: Vec::new(),
        };
        return (report, Vec::new());
    }
    let linted = lint::lint_bytes_around(&Files::disk(), kind, bytes, selection, inputs, around);
    let lines = LineIndex::new(&linted.text);
    let report = FileReport {
        display,
        text: linted.text,
        lines,
        diagnostics: linted.diagnostics,
        cursor: Default::default(),
        compose: kind == FileKind::Compose,
        ai_fixes: Vec::new(),
    };
    (report, linted.uses)
}

/// A binary file: a NUL byte in its first 8 KiB (as Git decides), unless it
/// starts with a UTF-16 byte order mark.
fn is_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let bom = [&[0xFF, 0xFE][..], &[0xFE, 0xFF][..]].iter().any(|b| head.starts_with(b));
    !bom && head.contains(&0)
}

enum Outcome {
    Report(FileReport),
    Failed(String),
    /// Not linted (over `max-file-size`): a notice, not a failure.
    Skipped(String),
}

pub fn run(mut args: CheckArgs, config: Option<PathBuf>) -> ExitCode {
    if args.no_color {
        args.color = crate::ColorChoice::Never;
    }
    output::QUIET.store(args.quiet, std::sync::atomic::Ordering::Relaxed);
    if args.fix_dry_run {
        return crate::fix_cmd::run(
            crate::fix_cmd::FixArgs {
                paths: args.paths,
                unsafe_fixes: false,
                diff: true,
                stdin_filename: args.stdin_filename,
                select: args.select,
                ignore: args.ignore,
                disable_ignore_pragma: args.disable_ignore_pragma,
                ai_fixes: false,
                online: args.online.clone(),
            },
            config,
        );
    }
    let overrides = [
        (&args.error_rules, berth_rules::Severity::Error),
        (&args.warning_rules, berth_rules::Severity::Warning),
        (&args.info_rules, berth_rules::Severity::Info),
        (&args.style_rules, berth_rules::Severity::Style),
    ];
    for sel in args.select.iter().chain(&args.ignore).chain(overrides.iter().flat_map(|(l, _)| l.iter())) {
        if !config::valid_selector(sel) {
            eprintln!(
                "berth: unknown rule `{sel}` on the command line{}; `berth rules` lists them",
                config::did_you_mean(sel)
            );
            return ExitCode::from(2);
        }
    }
    let mut label_schema = Vec::new();
    for l in &args.require_label {
        let parsed = l.split_once(':').and_then(|(n, t)| Some((n.trim().to_string(), LabelType::parse(t.trim())?)));
        match parsed {
            Some(p) if !p.0.is_empty() => label_schema.push(p),
            _ => {
                eprintln!(
                    "berth: --require-label `{l}`: expected LABEL:TYPE, TYPE one of text, url, semver, hash, rfc3339, spdx, email"
                );
                return ExitCode::from(2);
            }
        }
    }
    let exclude = match discover::Exclude::new(&args.exclude) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut resolver = config::Resolver::new(config::CliOptions {
        config,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        failure_threshold: args.failure_threshold.map(Threshold::severity),
        disable_ignore_pragma: args.disable_ignore_pragma,
        shellcheck: args.shellcheck.clone(),
        no_shellcheck: args.no_shellcheck,
        max_file_size: args.max_file_size,
        no_fail: args.no_fail,
        severity: overrides.iter().flat_map(|(l, s)| l.iter().map(|r| (r.clone(), *s))).collect(),
        trusted_registries: args.trusted_registry.clone(),
        label_schema,
        strict_labels: args.strict_labels,
        platforms: args.platform.clone(),
        as_of: args.as_of.clone(),
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
    let force = args.kind.map(|k| match k {
        crate::KindArg::Dockerfile => FileKind::Dockerfile,
        crate::KindArg::Compose => FileKind::Compose,
    });
    let discovery = if file_paths.is_empty() {
        discover::Discovery { targets: Vec::new(), errors: Vec::new(), notes: Vec::new() }
    } else {
        discover::discover_all(&file_paths, force, &exclude)
    };
    if !args.quiet {
        for n in &discovery.notes {
            eprintln!("{}", output::visible(n));
        }
    }
    let (mut targets, walk_errors) = (discovery.targets, discovery.errors);
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
    // `kind` in an `[[overrides]]` table, unless `--kind` says otherwise.
    for (t, c) in targets.iter_mut().zip(&configs) {
        if let (None, Some(k)) = (force, c.kind) {
            t.kind = k;
        }
        if args.ai_flags.verbose {
            let file = c.file.as_ref().map_or("none (defaults)".to_string(), |p| p.display().to_string());
            eprintln!("berth: {}: {:?}, configuration {}", output::visible(&t.display), t.kind, output::visible(&file));
        }
    }
    crate::online::prefetch(&args.online, &targets, &configs, args.quiet);
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
                let named = Path::new(&name);
                let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
                let kind = match force.or(cfg.kind).map_or_else(|| discover::kind_of(named), Some) {
                    Some(FileKind::Compose) => FileKind::Compose,
                    None if yaml && discover::looks_like_compose(&String::from_utf8_lossy(&buf)) => FileKind::Compose,
                    _ => FileKind::Dockerfile,
                };
                // A Compose file given a name in an existing folder is linted with its project there.
                let dir = named.parent().map(|d| if d.as_os_str().is_empty() { Path::new(".") } else { d });
                let file_name = named.file_name().and_then(|n| n.to_str());
                let around = match (kind, dir, file_name) {
                    (FileKind::Compose, Some(dir), Some(n)) if name != "-" && dir.is_dir() => {
                        Around::ComposeIn { dir, name: n }
                    }
                    _ => Around::Nothing,
                };
                let (report, _) = lint_bytes_around(kind, name.clone(), &buf, &cfg.selection(), &inputs, &around);
                stdin_report = Some((report, cfg));
            }
            Err(e) => errors.push(format!("berth: -: cannot read standard input: {e}")),
        }
    }

    for e in walk_errors {
        errors.push(format!("berth: {}: {}", e.path, e.message));
    }
    let progress = progress_bar(targets.len(), args.quiet);
    // Compose files first: their builds say how the Dockerfiles they name are
    // built (`build.args`, the context's `.dockerignore`), and the Dockerfiles
    // are then linted that way.
    let lint_one = |i: usize, builds: &BuildMap| {
        let (o, uses) = lint_target(&targets[i], &configs[i], builds);
        if let Some(p) = &progress {
            p.inc(1);
        }
        (i, o, uses)
    };
    let compose_done: Vec<(usize, Outcome, Vec<BuildUse>)> = (0..targets.len())
        .into_par_iter()
        .filter(|&i| targets[i].kind == FileKind::Compose)
        .map(|i| lint_one(i, &BuildMap::default()))
        .collect();
    let builds = BuildMap::collect(compose_done.iter().flat_map(|(_, _, u)| u));
    let docker_done: Vec<(usize, Outcome, Vec<BuildUse>)> = (0..targets.len())
        .into_par_iter()
        .filter(|&i| targets[i].kind != FileKind::Compose)
        .map(|i| lint_one(i, &builds))
        .collect();
    let mut done: Vec<(usize, Outcome, Vec<BuildUse>)> = compose_done.into_iter().chain(docker_done).collect();
    done.sort_by_key(|(i, _, _)| *i);
    let outcomes: Vec<(Outcome, Arc<Config>)> = done.into_iter().map(|(i, o, _)| (o, configs[i].clone())).collect();
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    let mut reports: Vec<(FileReport, Arc<Config>)> = Vec::new();
    for (o, c) in outcomes {
        match o {
            Outcome::Report(r) => reports.push((r, c)),
            Outcome::Failed(msg) => errors.push(msg),
            Outcome::Skipped(msg) => eprintln!("{msg}"),
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
                let cache = if args.no_cache {
                    shellcheck::Cache::disabled()
                } else {
                    shellcheck::Cache::open(shellcheck::cache_dir(args.cache_dir.as_deref()).as_deref(), &sc.version)
                };
                for e in add_shellcheck(&sc, &mut group, &cache, args.quiet) {
                    eprintln!("berth: {e}");
                }
                if args.ai_flags.verbose {
                    let (hits, misses) = cache.stats();
                    eprintln!("berth: shellcheck cache: {hits} scripts found, {misses} checked");
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
    // AI suggestions and review, once berth's own findings are final (they never change the exit code).
    if args.ai_flags.any() {
        for note in crate::ai::cli::augment(&mut reports, &configs, &args.ai_flags, args.quiet) {
            eprintln!("{note}");
        }
    }

    // The tty summary must not say "ok" when a path could not be read.
    output::UNREAD.store(errors.len(), std::sync::atomic::Ordering::Relaxed);
    errors.extend(output::emit(&outputs, &mut reports, files, args.color, args.file_path_in_report.as_deref()));
    for e in &errors {
        eprintln!("{}", output::visible(e));
    }

    if !errors.is_empty() {
        return ExitCode::from(2);
    }
    let failed = reports.iter().zip(&configs).any(|(r, c)| c.fails(&r.diagnostics));
    let warnings =
        reports.iter().flat_map(|r| &r.diagnostics).filter(|d| d.severity == berth_rules::Severity::Warning).count();
    let too_many = args.max_warnings.is_some_and(|m| warnings > m && !configs.iter().any(|c| c.no_fail.value));
    if failed || too_many { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn lint_target(t: &Target, config: &Config, builds: &BuildMap) -> (Outcome, Vec<BuildUse>) {
    let built = match t.kind {
        FileKind::Dockerfile => builds.get(&t.path),
        FileKind::Compose => None,
    };
    let inputs = match t.kind {
        FileKind::Dockerfile => lint::dockerfile_inputs(Some(&t.path), built, config.settings(), &Files::disk()),
        FileKind::Compose => Inputs { settings: config.settings(), ..Inputs::default() },
    };
    let around = match (t.kind, built) {
        (FileKind::Compose, _) => Around::compose_at(&t.path),
        (FileKind::Dockerfile, Some(b)) => Around::BuildArgs(&b.arg_sets),
        (FileKind::Dockerfile, None) => Around::Nothing,
    };
    if let Some(msg) = too_big(&t.path, &t.display, config.max_file_size.value) {
        return (Outcome::Skipped(msg), Vec::new());
    }
    match std::fs::read(&t.path) {
        Ok(bytes) => {
            let (report, uses) =
                lint_bytes_around(t.kind, t.display.clone(), &bytes, &config.selection(), &inputs, &around);
            (Outcome::Report(report), uses)
        }
        Err(e) => (Outcome::Failed(format!("berth: {}: cannot read: {e}", t.display)), Vec::new()),
    }
}

use crate::config::{shellcheck_code_enabled, shellcheck_selected};

/// Run ShellCheck on every report's RUN scripts and merge its findings.
fn add_shellcheck(
    sc: &shellcheck::ShellCheck,
    reports: &mut [(&mut FileReport, Selection)],
    cache: &shellcheck::Cache,
    quiet: bool,
) -> Vec<String> {
    let texts: Vec<&str> = reports.iter().map(|(r, _)| r.text.as_str()).collect();
    let parsed: Vec<berth_rules::syntax::Dockerfile> =
        texts.par_iter().map(|t| berth_rules::syntax::Dockerfile::parse(t)).collect();
    let refs: Vec<&berth_rules::syntax::Dockerfile> = parsed.iter().collect();
    let (per_file, problems, notes) = shellcheck::check_files_cached(sc, &refs, cache);
    for (((report, selection), file), (mut found, notes)) in
        reports.iter_mut().zip(&parsed).zip(per_file.into_iter().zip(notes))
    {
        if !quiet && shellcheck_code_enabled(selection, "shellcheck") {
            for n in notes {
                eprintln!("berth: {}: {}", output::visible(&report.display), n);
            }
        }
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
