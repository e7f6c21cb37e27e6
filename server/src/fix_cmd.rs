//! `berth fix` and `berth check --fix`: apply the rules' fixes to files.
//!
//! Files are found as `berth check` finds them. Each is fixed in memory with
//! `engine::fix_all_with` (repeated passes until nothing changes), checked
//! again for syntax errors, and written atomically: a temporary file in the
//! same folder, the original's permissions, fsync, rename over the original.
//! ShellCheck's fixes are never applied here.

pub(crate) mod diff;

use crate::CheckArgs;
use crate::config::{CliOptions, Config, Resolver};
use crate::discover::{self, FileKind, Target};
use berth_rules::engine::{Safety, Selection, Settings};
use berth_rules::syntax::Dockerfile;
use berth_workspace::io::{too_big, write_atomic};
use berth_workspace::lint::Context;
use rayon::prelude::*;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct FixArgs {
    /// Files or folders to fix (`-` reads standard input and prints the fixed text). Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Also apply unsafe fixes (they change what the build does).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print a unified diff of the changes instead of writing them; exit with 1 when there is one.
    #[arg(long)]
    pub diff: bool,
    /// Name to show for standard input.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Fix only these rules' findings (codes, names or BuildKit names; comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Leave these rules' findings alone.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Disregard inline ignore comments (ignored findings get fixed too).
    #[arg(long)]
    pub disable_ignore_pragma: bool,
    /// Also apply AI suggestions for findings without an automatic fix (the model in `[ai]`); only
    /// suggestions that pass berth's checks are applied. Review them (`--diff` first).
    #[arg(long)]
    pub ai_fixes: bool,
    #[command(flatten)]
    pub online: crate::online::OnlineFlags,
}

/// `--fix` and `--unsafe-fixes` of `berth check`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct CheckFixFlags {
    /// Apply safe fixes first, then report the findings that remain.
    #[arg(long)]
    pub fix: bool,
    /// With --fix, also apply unsafe fixes.
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,
}

/// What fixing one file's text gave.
struct Fixed {
    display: String,
    kind: FileKind,
    /// The file (none for standard input).
    path: Option<PathBuf>,
    original: String,
    text: String,
    applied: usize,
    remaining: usize,
    /// Remaining findings whose fix is unsafe (applied only with --unsafe-fixes).
    unsafe_fixable: usize,
}

enum Outcome {
    Done(Fixed),
    Failed(String),
    /// Over `max-file-size`: reported on stderr, left alone.
    Skipped,
}

/// Fix a Dockerfile's text in memory. Errors name the file.
#[cfg(test)]
fn fix_text(display: &str, bytes: &[u8], selection: &Selection, safety: Safety) -> Outcome {
    fix_text_as(FileKind::Dockerfile, display, bytes, selection, safety, &Context::alone(), Settings::default())
}

/// [`fix_text`] for a Dockerfile or a Compose file.
fn fix_text_as(
    kind: FileKind,
    display: &str,
    bytes: &[u8],
    selection: &Selection,
    safety: Safety,
    context: &Context,
    settings: Settings,
) -> Outcome {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Outcome::Failed(format!(
                "berth: {display}: not valid UTF-8 at byte {}; not fixed",
                e.valid_up_to()
            ));
        }
    };
    // Each pass is linted in the file's context (its Compose project, the
    // builds of a Dockerfile), as `berth check` lints it.
    let result = context.fix_all(kind, text, selection, safety, settings);
    let broke = match kind {
        FileKind::Compose => {
            berth_rules::compose::ComposeFile::parse(&result.text).is_err()
                && berth_rules::compose::ComposeFile::parse(text).is_ok()
        }
        FileKind::Dockerfile => Dockerfile::parse(&result.text).errors.len() > Dockerfile::parse(text).errors.len(),
    };
    if result.text != text && broke {
        return Outcome::Failed(format!("berth: {display}: the fixes would add syntax errors; file left unchanged"));
    }
    let unsafe_fixable = result
        .remaining
        .iter()
        .filter(|d| d.fix.as_ref().is_some_and(|f| f.safety == Safety::Unsafe && safety == Safety::Safe))
        .count();
    Outcome::Done(Fixed {
        display: display.to_string(),
        kind,
        path: None,
        original: text.to_string(),
        applied: if result.text == text { 0 } else { result.applied },
        remaining: result.remaining.len(),
        unsafe_fixable,
        text: result.text,
    })
}

fn fix_target(t: &Target, root: Option<PathBuf>, config: &Config, safety: Safety, write: bool) -> Outcome {
    if let Some(msg) = too_big(&t.path, &t.display, config.max_file_size.value) {
        eprintln!("{msg}");
        return Outcome::Skipped;
    }
    let bytes = match fs::read(&t.path) {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(format!("berth: {}: cannot read: {e}", t.display)),
    };
    let context = Context { root, ..Context::on_disk(&t.path) };
    let mut outcome = fix_text_as(t.kind, &t.display, &bytes, &config.selection(), safety, &context, config.settings());
    if let Outcome::Done(f) = &mut outcome {
        f.path = Some(t.path.clone());
    }
    if let Outcome::Done(f) = &outcome
        && write
        && f.text != f.original
        && let Err(e) = write_atomic(&t.path, f.text.as_bytes())
    {
        return Outcome::Failed(format!("berth: {}: cannot write: {e}; the file is unchanged", t.display));
    }
    outcome
}

/// Totals over all files.
#[derive(Default)]
struct Summary {
    applied: usize,
    files: usize,
    remaining: usize,
    unsafe_fixable: usize,
}

impl Summary {
    fn add(&mut self, f: &Fixed) {
        self.applied += f.applied;
        self.files += usize::from(f.text != f.original);
        self.remaining += f.remaining;
        self.unsafe_fixable += f.unsafe_fixable;
    }

    fn line(&self, verb: &str, unsafe_fixes: bool) -> String {
        let s = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut out = format!(
            "{verb} {} in {}; {} remaining",
            s(self.applied, "problem", "problems"),
            s(self.files, "file", "files"),
            self.remaining
        );
        if !unsafe_fixes {
            out += &format!(" ({} fixable with --unsafe-fixes)", self.unsafe_fixable);
        }
        out
    }
}

fn validate(select: &[String], ignore: &[String]) -> Result<(), String> {
    for sel in select.iter().chain(ignore) {
        if !crate::config::valid_selector(sel) {
            return Err(format!("berth: unknown rule `{sel}` in --select/--ignore; `berth rules` lists them"));
        }
    }
    Ok(())
}

/// Fix the files (not standard input) named by `paths`, each with its own
/// configuration. Returns the outcomes in order.
fn fix_paths(
    paths: &[PathBuf],
    resolver: &mut Resolver,
    safety: Safety,
    write: bool,
    online: &crate::online::OnlineFlags,
) -> (Vec<Outcome>, Vec<String>) {
    if paths.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let (targets, walk_errors) = discover::discover(paths);
    let mut errors: Vec<String> =
        walk_errors.into_iter().map(|e| format!("berth: {}: {}", e.path, e.message)).collect();
    let mut work = Vec::new();
    for t in &targets {
        match resolver.for_path(&t.path) {
            Ok(c) => work.push((t, c)),
            Err(e) if !errors.contains(&e) => errors.push(e),
            Err(_) => {}
        }
    }
    let (ts, cs): (Vec<Target>, Vec<_>) = work.iter().map(|(t, c)| ((*t).clone(), c.clone())).unzip();
    crate::online::prefetch(online, &ts, &cs, false);
    // A Dockerfile is judged with the Compose files up to the folder it was
    // found in, as `berth check` on that folder judges it.
    let root_of = |t: &Target| paths.iter().find(|p| p.is_dir() && t.path.starts_with(p)).cloned();
    let outcomes = work.par_iter().map(|(t, c)| fix_target(t, root_of(t), c, safety, write)).collect();
    (outcomes, errors)
}

fn resolver(args: &FixArgs, config: Option<PathBuf>) -> Resolver {
    Resolver::new(CliOptions {
        config,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        disable_ignore_pragma: args.disable_ignore_pragma,
        ..CliOptions::default()
    })
}

/// `berth fix`.
pub fn run(args: FixArgs, config: Option<PathBuf>) -> ExitCode {
    if let Err(e) = validate(&args.select, &args.ignore) {
        eprintln!("{e}");
        return ExitCode::from(2);
    }
    let mut resolver = resolver(&args, config);
    let safety = if args.unsafe_fixes { Safety::Unsafe } else { Safety::Safe };
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let file_paths: Vec<PathBuf> = paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect();
    // With --ai-fixes, files are written after the AI step.
    let (mut outcomes, mut errors) =
        fix_paths(&file_paths, &mut resolver, safety, !args.diff && !args.ai_fixes, &args.online);

    let mut stdin_text = None;
    if paths.iter().any(|p| p.as_os_str() == "-") {
        let name = args.stdin_filename.clone().unwrap_or_else(|| "-".to_string());
        let mut buf = Vec::new();
        match std::io::stdin().read_to_end(&mut buf) {
            Ok(_) => {
                let outcome = match resolver.for_path(Path::new("-")) {
                    Ok(c) => {
                        let kind = crate::discover::kind_of(Path::new(&name))
                            .filter(|k| *k == FileKind::Compose)
                            .unwrap_or(FileKind::Dockerfile);
                        fix_text_as(kind, &name, &buf, &c.selection(), safety, &Context::alone(), c.settings())
                    }
                    Err(e) => Outcome::Failed(e),
                };
                if let Outcome::Done(f) = &outcome {
                    stdin_text = Some(f.text.clone());
                }
                outcomes.push(outcome);
            }
            Err(e) => errors.push(format!("berth: -: cannot read standard input: {e}")),
        }
    }

    if args.ai_fixes {
        errors.extend(apply_ai_fixes(&mut outcomes, &mut stdin_text, &mut resolver, !args.diff));
    }

    let mut summary = Summary::default();
    let mut stdout = std::io::stdout().lock();
    let mut diffs = false;
    for o in &outcomes {
        match o {
            Outcome::Done(f) => {
                summary.add(f);
                if args.diff && f.text != f.original {
                    diffs = true;
                    let d = diff::unified(&f.original, &f.text, &f.display);
                    // On a terminal, control characters from the file are shown escaped; a pipe gets the patch as is.
                    let shown = if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                        crate::output::visible(&d).into_owned()
                    } else {
                        d
                    };
                    let _ = stdout.write_all(shown.as_bytes());
                }
            }
            Outcome::Failed(msg) => errors.push(msg.clone()),
            Outcome::Skipped => {}
        }
    }
    if !args.diff
        && let Some(text) = &stdin_text
    {
        let _ = stdout.write_all(text.as_bytes());
    }
    let _ = stdout.flush();
    drop(stdout);

    for e in &errors {
        eprintln!("{e}");
    }
    eprintln!("{}", summary.line(if args.diff { "would fix" } else { "fixed" }, args.unsafe_fixes));
    if !errors.is_empty() {
        ExitCode::from(2)
    } else if args.diff && diffs {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--ai-fixes`: apply validated AI suggestions on top of berth's own fixes,
/// then write the files (when `write`). Returns the errors.
fn apply_ai_fixes(
    outcomes: &mut [Outcome],
    stdin_text: &mut Option<String>,
    resolver: &mut Resolver,
    write: bool,
) -> Vec<String> {
    let mut errors = Vec::new();
    let mut jobs = Vec::new();
    let mut at = Vec::new();
    for (i, o) in outcomes.iter().enumerate() {
        let Outcome::Done(f) = o else { continue };
        let config = match resolver.for_path(f.path.as_deref().unwrap_or(Path::new("-"))) {
            Ok(c) => c,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        jobs.push(crate::ai::cli::FixJob {
            display: f.display.clone(),
            path: f.path.clone(),
            kind: f.kind.into(),
            text: f.text.clone(),
            config,
        });
        at.push(i);
    }
    let (results, notes) = crate::ai::cli::fix_texts(&jobs, true);
    for n in notes {
        eprintln!("{n}");
    }
    for (i, (text, applied)) in at.into_iter().zip(results) {
        let Outcome::Done(f) = &mut outcomes[i] else { continue };
        if applied > 0 && text != f.text {
            f.text = text;
            f.applied += applied;
            if f.path.is_none() {
                *stdin_text = Some(f.text.clone());
            }
        }
        if write
            && f.text != f.original
            && let Some(p) = &f.path
            && let Err(e) = write_atomic(p, f.text.as_bytes())
        {
            errors.push(format!("berth: {}: cannot write: {e}; the file is unchanged", f.display));
        }
    }
    errors
}

/// `berth check --fix`: fix the files in place before they are linted. Prints
/// the summary on standard error and returns the errors (files that could
/// not be fixed), which make `berth check` exit with 2.
pub fn fix_for_check(args: &CheckArgs, resolver: &mut Resolver) -> Vec<String> {
    let safety = if args.fixing.unsafe_fixes { Safety::Unsafe } else { Safety::Safe };
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let file_paths: Vec<PathBuf> = paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect();
    let (outcomes, mut errors) = fix_paths(&file_paths, resolver, safety, true, &args.online);
    if paths.iter().any(|p| p.as_os_str() == "-") {
        errors.push("berth: -: `berth check --fix` does not fix standard input (`berth fix -` does); its findings are reported as they are".to_string());
    }
    let mut summary = Summary::default();
    for o in &outcomes {
        match o {
            Outcome::Done(f) => summary.add(f),
            Outcome::Failed(msg) => errors.push(msg.clone()),
            Outcome::Skipped => {}
        }
    }
    eprintln!("{}", summary.line("fixed", args.fixing.unsafe_fixes));
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line() {
        let s = Summary { applied: 1, files: 1, remaining: 3, unsafe_fixable: 2 };
        assert_eq!(s.line("fixed", false), "fixed 1 problem in 1 file; 3 remaining (2 fixable with --unsafe-fixes)");
        let s = Summary { applied: 0, files: 0, remaining: 0, unsafe_fixable: 0 };
        assert_eq!(s.line("fixed", true), "fixed 0 problems in 0 files; 0 remaining");
    }

    #[test]
    fn invalid_utf8_names_the_byte() {
        match fix_text("Dockerfile", b"FROM a\n\xff", &Selection::default(), Safety::Safe) {
            Outcome::Failed(m) => assert!(m.contains("Dockerfile: not valid UTF-8 at byte 7"), "{m}"),
            _ => panic!("expected a failure"),
        }
    }
}
