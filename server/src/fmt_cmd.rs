//! `berth fmt`: the editor's formatter on the command line.
//!
//! Files are found as `berth check` finds them and formatted with
//! `berth_ide::ide::format` (the same code as the language server's
//! document formatting). Compose files are found but not formatted yet (the
//! formatter only knows Dockerfiles): they are counted in a note. Changed files
//! are written atomically (`berth_workspace::io::write_atomic`). With `--check`
//! nothing is written and the exit code is 1 when a file would change; with
//! `--diff` the changes are printed as a unified diff (exit 1 when there is one).

use crate::config::{CliOptions, Resolver};
use crate::discover::{self, FileKind};
use crate::output::visible;
use berth_ide::ide::format;
use berth_workspace::io::{too_big, write_atomic};
use rayon::prelude::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct FmtArgs {
    /// Files or folders to format (`-` reads standard input and prints the formatted text). Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Change nothing; exit with 1 when a file would be reformatted, and name it.
    #[arg(long)]
    pub check: bool,
    /// Change nothing; print a unified diff of the formatting (exit with 1 when there is one).
    #[arg(long)]
    pub diff: bool,
    /// Leave out files and folders under these paths or matching these globs (repeatable).
    #[arg(long, short = 'e', value_name = "PATH")]
    pub exclude: Vec<String>,
    /// Print only the diffs or the files that would change: no summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

enum Outcome {
    /// Formatted: the original and the formatted text.
    Done {
        display: String,
        old: String,
        new: String,
    },
    /// Left alone, with a note (too big, not UTF-8, not a text file).
    Skipped(String),
    Failed(String),
}

pub fn run(args: FmtArgs, config: Option<PathBuf>) -> ExitCode {
    let exclude = match discover::Exclude::new(&args.exclude) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    if paths.iter().any(|p| p.as_os_str() == "-") {
        if paths.len() > 1 {
            eprintln!("berth: fmt: `-` (standard input) cannot be combined with other paths");
            return ExitCode::from(2);
        }
        return stdin(&args);
    }
    let mut resolver = Resolver::new(CliOptions { config, ..Default::default() });
    let found = discover::discover_all(&paths, None, &exclude);
    if !args.quiet {
        for n in &found.notes {
            eprintln!("{}", visible(n));
        }
    }
    let mut errors: Vec<String> = found.errors.iter().map(|e| format!("berth: {}: {}", e.path, e.message)).collect();
    let mut compose = 0;
    let mut jobs = Vec::new();
    for t in found.targets {
        if t.kind == FileKind::Compose {
            compose += 1;
            continue;
        }
        match resolver.for_path(&t.path) {
            Ok(c) => jobs.push((t, c.max_file_size.value)),
            Err(e) if !errors.contains(&e) => errors.push(e),
            Err(_) => {}
        }
    }
    let write = !args.check && !args.diff;
    let outcomes: Vec<Outcome> =
        jobs.par_iter().map(|(t, max)| format_file(&t.path, &t.display, *max, write)).collect();

    let mut stdout = std::io::stdout().lock();
    let (mut changed, mut unchanged) = (0, 0);
    for o in outcomes {
        match o {
            Outcome::Done { display, old, new } => {
                if old == new {
                    unchanged += 1;
                    continue;
                }
                changed += 1;
                if args.diff {
                    let d = crate::fix_cmd::diff::unified(&old, &new, &display);
                    let shown =
                        if std::io::IsTerminal::is_terminal(&std::io::stdout()) { visible(&d).into_owned() } else { d };
                    let _ = stdout.write_all(shown.as_bytes());
                } else if args.check {
                    let _ = writeln!(stdout, "would reformat: {}", visible(&display));
                }
            }
            Outcome::Skipped(msg) => {
                if !args.quiet {
                    eprintln!("{}", visible(&msg));
                }
            }
            Outcome::Failed(msg) => errors.push(msg),
        }
    }
    let _ = stdout.flush();
    if !args.quiet {
        let verb = if write { "reformatted" } else { "would be reformatted" };
        let mut line = format!("berth fmt: {changed} file{} {verb}, {unchanged} unchanged", plural(changed));
        if compose > 0 {
            line += &format!(
                "; {compose} Compose file{} not formatted (the formatter knows Dockerfiles only)",
                plural(compose)
            );
        }
        eprintln!("{line}");
    }
    for e in &errors {
        eprintln!("{}", visible(e));
    }
    if !errors.is_empty() {
        ExitCode::from(2)
    } else if changed > 0 && !write {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn format_file(path: &Path, display: &str, max: u64, write: bool) -> Outcome {
    if let Some(msg) = too_big(path, display, max) {
        return Outcome::Skipped(msg);
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(format!("berth: {display}: cannot read: {e}")),
    };
    let old = match text_of(bytes) {
        Ok(t) => t,
        Err(why) => return Outcome::Skipped(format!("berth: {display}: left as is: {why}")),
    };
    let new = format::format(&old);
    if write
        && new != old
        && let Err(e) = write_atomic(path, new.as_bytes())
    {
        return Outcome::Failed(format!("berth: {display}: cannot write: {e}"));
    }
    Outcome::Done { display: display.to_string(), old, new }
}

/// The file's text, when it is UTF-8 text (the formatter never re-encodes).
fn text_of(bytes: Vec<u8>) -> Result<String, &'static str> {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err("not a text file (it has NUL bytes)");
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text")
}

/// `berth fmt -`: standard input formatted to standard output (with `--check`
/// or `--diff`, only the verdict or the diff).
fn stdin(args: &FmtArgs) -> ExitCode {
    let mut buf = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut buf) {
        eprintln!("berth: -: cannot read standard input: {e}");
        return ExitCode::from(2);
    }
    let old = match text_of(buf) {
        Ok(t) => t,
        Err(why) => {
            eprintln!("berth: -: {why}");
            return ExitCode::from(2);
        }
    };
    let new = format::format(&old);
    let mut out = std::io::stdout().lock();
    if args.diff {
        let _ = out.write_all(crate::fix_cmd::diff::unified(&old, &new, "-").as_bytes());
    } else if args.check {
        if old != new {
            let _ = writeln!(out, "would reformat: -");
        }
    } else {
        let _ = out.write_all(new.as_bytes());
    }
    let _ = out.flush();
    if (args.check || args.diff) && old != new { ExitCode::from(1) } else { ExitCode::SUCCESS }
}
