//! `berth`: the command line. Front-end layer: reads files, calls the rules
//! library, prints results. No rule logic lives here.

mod check;
mod discover;
mod output;
mod rules_cmd;
mod shellcheck;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "berth", version, about = "Linter for Dockerfiles and Docker Compose files", propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Tty,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Threshold {
    Error,
    Warning,
    Info,
    Style,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// Aligned columns for a terminal.
    Table,
    Json,
    /// The full rule reference (docs/rules.md).
    Markdown,
    /// Only the summary table, as in the README.
    MarkdownTable,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or folders to lint (`-` for standard input). Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Tty)]
    pub format: Format,
    /// Exit with 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = Threshold::Info)]
    pub failure_threshold: Threshold,
    /// Name to show for standard input (and to pick its file kind).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Run only these rules (codes, names or BuildKit names; comma-separated or repeated; `all` for every rule, off-by-default ones included).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Turn these rules off (codes, names or BuildKit names; comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Disregard `# berth ignore=`, `# hadolint ignore=` and `# check=skip=` comments.
    #[arg(long)]
    pub disable_ignore_pragma: bool,
    /// Colour in tty output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// The ShellCheck binary to run on RUN scripts (default: `shellcheck` on PATH, when present).
    #[arg(long, value_name = "PATH", conflicts_with = "no_shellcheck")]
    pub shellcheck: Option<PathBuf>,
    /// Do not run ShellCheck.
    #[arg(long)]
    pub no_shellcheck: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Lint Dockerfiles (and, later, Compose files).
    Check(CheckArgs),
    /// Print the documentation of one rule.
    Rule {
        /// Code, name or BuildKit name, e.g. DL3008, pin-apt-get-versions, StageNameCasing.
        code: String,
    },
    /// List every rule.
    Rules {
        #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rule { code } => rules_cmd::rule(&code),
        Command::Rules { format } => rules_cmd::rules(format),
    }
}
