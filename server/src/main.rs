//! `berth`: the command line. Front-end layer: reads files, calls the rules
//! library, prints results. No rule logic lives here.

mod ai;
mod baseline;
mod check;
mod compose_cmd;
mod explain_build;
mod explain_line;
mod mcp;
use berth_workspace::{config, discover, shellcheck};
mod fix_cmd;
mod fmt_cmd;
mod generate;
use berth_lsp as lsp;
mod online;
mod output;
mod rules_cmd;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: a keystroke in the language
/// server builds and frees a whole file's syntax tree, and glibc's
/// malloc/free took about a quarter of that time (README, "Performance").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its position in `mi_option_e` of the
/// mimalloc 3 that `libmimalloc-sys` 0.1.49 builds).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keep freed memory for half a second before it goes back to the system (the
/// default is 10 ms): keystrokes come more slowly than that, and each one
/// otherwise faults in and zeroes fresh pages for the next file's tree.
/// `MIMALLOC_PURGE_DELAY` in the environment still decides when set.
fn tune_allocator() {
    // SAFETY: reads and sets a process-wide option; mimalloc reads it at each
    // purge. The option is only changed while it holds its documented default
    // (10), so a different mimalloc numbering changes nothing.
    unsafe {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none()
            && libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) == 10
        {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 500);
        }
    }
}

#[derive(Parser)]
#[command(name = "berth", version, about = "Linter for Dockerfiles and Docker Compose files", propagate_version = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Use this configuration file (`berth.toml`, a hadolint `.yaml`, or a dclint `.dclintrc`/`.json`) instead of searching for one.
    #[arg(long, short = 'c', global = true, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: location, source line with a caret, fix, summary.
    Tty,
    /// berth's own JSON document.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF readers).
    Sarif,
    /// Checkstyle XML.
    Checkstyle,
    /// GitLab Code Quality (Code Climate issues).
    #[value(alias = "gitlab_codeclimate")]
    Gitlab,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML.
    Junit,
    /// GNU error format: `file:line:col: severity: CODE message`.
    Gnu,
    /// hadolint's Code Climate issues, each followed by a NUL byte.
    Codeclimate,
    /// hadolint's Codacy issues, one JSON object per line.
    Codacy,
    /// SonarQube generic issue import (as hadolint writes it).
    Sonarqube,
    /// hadolint's `--format json`: one array of `{code, column, file, level, line, message}`.
    #[value(name = "hadolint-json")]
    HadolintJson,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Threshold {
    Error,
    Warning,
    Info,
    Style,
    /// Never fail (`ignore` is accepted as hadolint's spelling).
    #[value(alias = "ignore")]
    None,
}

/// `--kind`: lint every named or found file as this kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Dockerfile,
    Compose,
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
    /// Output format (default `tty`). Repeatable: the Nth `--format` goes to the Nth `-o`.
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Vec<Format>,
    /// Write the report to FILE instead of standard output (`-` is standard output). Repeatable.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Vec<PathBuf>,
    /// Exit with 1 when a finding is at or above this severity (default `info`, or the configuration's).
    #[arg(long, short = 't', value_enum)]
    pub failure_threshold: Option<Threshold>,
    /// Exit with 0 whatever the findings (hadolint's `--no-fail`).
    #[arg(long)]
    pub no_fail: bool,
    /// Exit with 1 when there are more than N warnings (dclint's `--max-warnings`).
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Make these rules errors (repeatable; as hadolint's `--error`).
    #[arg(long = "error", value_delimiter = ',', value_name = "RULE")]
    pub error_rules: Vec<String>,
    /// Make these rules warnings.
    #[arg(long = "warning", value_delimiter = ',', value_name = "RULE")]
    pub warning_rules: Vec<String>,
    /// Make these rules info.
    #[arg(long = "info", value_delimiter = ',', value_name = "RULE")]
    pub info_rules: Vec<String>,
    /// Make these rules style.
    #[arg(long = "style", value_delimiter = ',', value_name = "RULE")]
    pub style_rules: Vec<String>,
    /// A registry FROM may pull from (repeatable; added to `trusted-registries`; turns DL3026 on).
    #[arg(long = "trusted-registry", value_name = "REGISTRY")]
    pub trusted_registry: Vec<String>,
    /// A label the image must carry, with its type: `maintainer:text` (repeatable; added to `label-schema`).
    #[arg(long = "require-label", value_name = "LABEL:TYPE")]
    pub require_label: Vec<String>,
    /// Allow no label outside the label schema.
    #[arg(long)]
    pub strict_labels: bool,
    /// The platforms the project is built for: `linux/amd64,linux/arm64` (replaces `[registry] platforms`).
    #[arg(long = "platform", value_delimiter = ',', value_name = "PLATFORMS", value_parser = parse_platform)]
    pub platform: Vec<String>,
    /// Judge end-of-life dates as of this day (`YYYY-MM-DD`; default today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<String>,
    /// The path to show for the file in reports (hadolint's option; for one file, e.g. in a container).
    #[arg(long, value_name = "PATH")]
    pub file_path_in_report: Option<String>,
    /// Lint every file as this kind, whatever its name.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Leave out files and folders under these paths or matching these globs (repeatable).
    #[arg(long, short = 'e', value_name = "PATH")]
    pub exclude: Vec<String>,
    /// Accepted for dclint's `-r`: folders are always searched recursively.
    #[arg(long, short = 'r', hide = true)]
    pub recursive: bool,
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
    /// No colour (the same as `--color never`; `NO_COLOR` in the environment works too).
    #[arg(long)]
    pub no_color: bool,
    /// Print only the findings: no summary line, notes or progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// The ShellCheck binary to run on RUN scripts (default: `shellcheck` on PATH, when present).
    #[arg(long, value_name = "PATH", conflicts_with = "no_shellcheck")]
    pub shellcheck: Option<PathBuf>,
    /// Do not run ShellCheck.
    #[arg(long)]
    pub no_shellcheck: bool,
    /// Neither read nor write the ShellCheck cache.
    #[arg(long)]
    pub no_cache: bool,
    /// The cache folder (default `$BERTH_CACHE_DIR`, else `$XDG_CACHE_HOME/berth`, else `~/.cache/berth`).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Skip (and report) files larger than this, e.g. `10MB` (the default) or a number of bytes.
    #[arg(long, value_name = "SIZE", value_parser = parse_size_arg)]
    pub max_file_size: Option<u64>,
    /// Print the fixes as a diff and change nothing (dclint's `--fix-dry-run`; `berth fix --diff`).
    #[arg(long, conflicts_with = "fix")]
    pub fix_dry_run: bool,
    #[command(flatten)]
    pub fixing: fix_cmd::CheckFixFlags,
    #[command(flatten)]
    pub baseline_flags: baseline::BaselineFlags,
    #[command(flatten)]
    pub ai_flags: ai::cli::AiFlags,
    #[command(flatten)]
    pub online: online::OnlineFlags,
}

fn parse_size_arg(s: &str) -> Result<u64, String> {
    config::parse_size(s).ok_or_else(|| format!("`{s}` is not a size such as 10MB or a number of bytes"))
}

// Parsed once per run: the size of `CheckArgs` does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Lint Dockerfiles and Compose files.
    // `-V` is hadolint's --verbose here (`hadolint -V FILE` in CI must lint); `berth --version` prints the version.
    #[command(disable_version_flag = true)]
    Check(CheckArgs),
    /// Apply fixes to Dockerfiles and Compose files (safe ones; unsafe ones with --unsafe-fixes).
    Fix(fix_cmd::FixArgs),
    /// Print a rule's documentation, or the findings on FILE:LINE with their rules' documentation (offline; --ai adds the model's explanation).
    Explain {
        /// A rule (code, name or BuildKit name), or FILE:LINE.
        target: String,
        /// Ask the model configured in `[ai]` to explain the findings on FILE:LINE in context.
        #[arg(long)]
        ai: bool,
        /// With --ai: print the exact request (on standard error) and send nothing.
        #[arg(long)]
        ai_dry_run: bool,
    },
    /// Run the language server on standard input and output (for editors).
    Lsp {
        /// Accepted for editors that pass it; standard input and output are always used.
        #[arg(long)]
        stdio: bool,
    },
    /// Explain why a build failed, from its output (docker build, buildx, buildah, podman).
    ExplainBuild(explain_build::ExplainBuildArgs),
    /// Run the MCP server on standard input and output (tools for coding agents).
    Mcp,
    /// Print the documentation of one rule.
    Rule {
        /// Code, name or BuildKit name, e.g. DL3008, pin-apt-get-versions, StageNameCasing.
        code: String,
    },
    /// Print the effective configuration for a file or folder, and where each value comes from.
    Config {
        /// A file or folder (default: the current folder).
        path: Option<PathBuf>,
    },
    /// Compose projects as berth judges them (`berth compose config`).
    #[command(subcommand)]
    Compose(compose_cmd::ComposeCommand),
    /// List every rule.
    Rules {
        #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
        /// Only the rules added after this rule set (`YYYY.N`, as in `rule-set` in berth.toml).
        #[arg(long, value_name = "YYYY.N")]
        new_since: Option<String>,
    },
    /// Format Dockerfiles (the editor's formatter); `--check` in CI.
    Fmt(fmt_cmd::FmtArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page berth(1), or write one page per command into a folder.
    Manpage {
        /// Write `berth.1`, `berth-check.1`, ... into this folder instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// A reader that closes the pipe early (`berth rules | head -1`) ends berth
/// quietly: `print!` on a closed standard output panics, and that panic
/// becomes a silent exit instead of a message and exit 101.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.starts_with("failed printing to std") && msg.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    tune_allocator();
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check::run(args, cli.config),
        Command::Fix(args) => fix_cmd::run(args, cli.config),
        Command::Config { path } => config_cmd(path, cli.config),
        Command::Rule { code } => rules_cmd::rule(&code),
        Command::Lsp { stdio: _ } => lsp::run(cli.config),
        Command::Explain { target, ai, ai_dry_run } => {
            if !ai
                && !ai_dry_run
                && let Some(code) = explain_line::run(&target, cli.config.clone())
            {
                return code;
            }
            ai::cli::explain(&target, ai, ai_dry_run, cli.config)
        }
        Command::ExplainBuild(args) => explain_build::run(args, cli.config),
        Command::Mcp => mcp::run(),
        Command::Rules { format, new_since } => rules_cmd::rules(format, new_since.as_deref()),
        Command::Compose(cmd) => compose_cmd::run(cmd),
        Command::Fmt(args) => fmt_cmd::run(args, cli.config),
        Command::Completions { shell } => generate::completions(shell),
        Command::Manpage { dir } => generate::manpage(dir.as_deref()),
    }
}

fn config_cmd(path: Option<PathBuf>, config: Option<PathBuf>) -> ExitCode {
    let mut resolver = config::Resolver::new(config::CliOptions { config, ..Default::default() });
    match resolver.for_path(&path.unwrap_or_else(|| PathBuf::from("."))) {
        Ok(c) => {
            print!("{}", c.describe());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

impl Threshold {
    /// `None` for `none`.
    pub fn severity(self) -> Option<berth_rules::Severity> {
        use berth_rules::Severity;
        match self {
            Threshold::Error => Some(Severity::Error),
            Threshold::Warning => Some(Severity::Warning),
            Threshold::Info => Some(Severity::Info),
            Threshold::Style => Some(Severity::Style),
            Threshold::None => None,
        }
    }
}

/// `--as-of`: a `YYYY-MM-DD` date.
fn parse_date(s: &str) -> Result<String, String> {
    berth_rules::rules::lifecycle::Date::parse(s)
        .map(|d| d.to_string())
        .ok_or_else(|| format!("`{s}` is not a date like 2026-12-06"))
}

/// `--platform`: `linux/arm64`, `linux/arm/v7`, `arm64`.
fn parse_platform(s: &str) -> Result<String, String> {
    berth_rules::rules::platforms::normalize(s).ok_or_else(|| format!("`{s}` is not a platform like linux/arm64"))
}
