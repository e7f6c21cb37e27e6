//! `berth completions SHELL` and `berth manpage`: generated from the clap
//! definitions of the command line (`crate::Cli`), so they never drift from it.

use clap::CommandFactory;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Print the completion script for `shell` on standard output.
pub fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut cmd = crate::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "berth", &mut out);
    write_stdout(&out)
}

/// Print the man page `berth(1)` on standard output, or with `dir` write one
/// page per command there (`berth.1`, `berth-check.1`, ...).
pub fn manpage(dir: Option<&Path>) -> ExitCode {
    let cmd = crate::Cli::command();
    match dir {
        Some(dir) => {
            let result = std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cmd, dir));
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("berth: {}: cannot write the man pages: {e}", dir.display());
                    ExitCode::from(2)
                }
            }
        }
        None => {
            let mut out = Vec::new();
            if let Err(e) = clap_mangen::Man::new(cmd).render(&mut out) {
                eprintln!("berth: cannot render the man page: {e}");
                return ExitCode::from(2);
            }
            write_stdout(&out)
        }
    }
}

fn write_stdout(bytes: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`berth manpage | head`) ends quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("berth: cannot write: {e}");
            ExitCode::from(2)
        }
    }
}
