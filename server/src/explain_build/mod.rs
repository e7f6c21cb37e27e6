//! `berth explain-build LOG`: why a build failed. Reads the builder's output
//! (`log.rs`), finds the failing step and maps it to its Dockerfile
//! instruction, names the cause from the knowledge base (`knowledge.rs`) with
//! fixes, and points at berth's findings that bear on it. Offline; `--ai` adds
//! a model's explanation, marked as such.

pub mod knowledge;
pub mod log;

use berth_rules::rules::dockerfile::dockerignore::{Matcher, clean};
use berth_rules::syntax::{Dockerfile, Instruction, Keyword};
use berth_rules::text::{LineIndex, Span};
use berth_workspace::discover::FileKind;
use knowledge::{ENTRIES, Entry, Facts};
use log::{BuildLog, Step};
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    /// For people: the instruction, the cause, the log lines, fixes, berth's findings.
    Tty,
    /// `{"diagnoses": [{"file", "range", "cause", "message", "suggestions", "log_lines", ...}]}`.
    Json,
}

#[derive(clap::Args)]
pub struct ExplainBuildArgs {
    /// The build's output (`-` for standard input): `docker build` (plain, tty or rawjson progress), buildah or podman.
    pub log: PathBuf,
    /// The Dockerfile that was built (default: the one the log names, else `./Dockerfile`).
    #[arg(long, value_name = "PATH")]
    pub dockerfile: Option<PathBuf>,
    /// The build context (default: the Dockerfile's folder).
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ExplainFormat::Tty)]
    pub format: ExplainFormat,
    /// Also ask the model configured in `[ai]` to explain the failure (marked as the model's).
    #[arg(long)]
    pub ai: bool,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Range {
    pub start: Pos,
    pub end: Pos,
}

/// A berth finding that bears on the failure.
#[derive(Serialize, Debug, Clone)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub message: String,
    pub range: Range,
}

#[derive(Serialize, Debug, Clone)]
pub struct Diagnosis {
    pub file: String,
    /// The failing instruction, as in `berth check --format json` (1-based lines and columns); null when not found.
    pub range: Option<Range>,
    pub cause: &'static str,
    pub message: String,
    pub explanation: &'static str,
    pub suggestions: Vec<String>,
    pub log_lines: Vec<String>,
    /// berth's findings on the failing instruction, and those of rules related to the cause.
    pub findings: Vec<Finding>,
    pub sources: Vec<&'static str>,
    /// The failing step as the log names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// `--ai`: the model's explanation (not checked by berth).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ai_explanation: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct Report {
    pub builder: log::Builder,
    pub dockerfile: String,
    pub diagnoses: Vec<Diagnosis>,
    /// What berth could not do (no Dockerfile, no failing step found).
    pub notes: Vec<String>,
}

/// Where to find the Dockerfile and the context.
#[derive(Default, Clone)]
pub struct Inputs {
    pub dockerfile: Option<PathBuf>,
    pub context: Option<PathBuf>,
}

/// Explain a build log. Reads the Dockerfile and `.dockerignore` from disk.
pub fn explain(text: &str, inputs: &Inputs) -> Report {
    let log = log::parse(text);
    let mut notes = Vec::new();
    let dockerfile_path = inputs.dockerfile.clone().unwrap_or_else(|| {
        let named = log.dockerfile.as_deref().unwrap_or("Dockerfile");
        match &inputs.context {
            Some(ctx) if ctx.join(named).is_file() => ctx.join(named),
            _ => PathBuf::from(named),
        }
    });
    let display = dockerfile_path.to_string_lossy().into_owned();
    let source = std::fs::read(&dockerfile_path).ok().map(|b| berth_rules::engine::decode(&b).0);
    if source.is_none() {
        notes.push(format!("cannot read the Dockerfile {display}; pass it with --dockerfile"));
    }
    let context = inputs.context.clone().unwrap_or_else(|| match dockerfile_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    });
    let parsed = source.as_deref().map(Dockerfile::parse);
    let step = log.failed_step();
    if step.is_none() && log.error.is_none() {
        notes.push("no failing step or build error found in the log".into());
    }
    let located = parsed.as_ref().and_then(|df| locate(df, &log, step));
    let instruction = located.and_then(|i| parsed.as_ref().map(|df| &df.instructions[i]));
    let facts = gather(&log, parsed.as_ref(), located, &context, &dockerfile_path);
    let matched = choose(&facts);
    let mut diagnoses = Vec::new();
    let findings = match (&source, instruction) {
        (Some(src), _) => lint(&dockerfile_path, src),
        _ => Vec::new(),
    };
    for entry in matched {
        let range = match (&source, instruction) {
            (Some(src), Some(ins)) => Some(range_of(src, &LineIndex::new(src), ins.span)),
            _ => None,
        };
        let related: Vec<Finding> = match (&source, instruction) {
            (Some(src), Some(ins)) => related_findings(src, ins.span, entry, &findings),
            (Some(src), None) => related_findings(src, Span { start: usize::MAX, end: usize::MAX }, entry, &findings),
            _ => Vec::new(),
        };
        diagnoses.push(Diagnosis {
            file: display.clone(),
            range,
            cause: entry.cause,
            message: facts.fill(entry.title),
            explanation: entry.explanation,
            suggestions: entry.fixes.iter().map(|f| facts.fill(f)).collect(),
            log_lines: log_lines(&log, entry),
            findings: related,
            sources: entry.sources.to_vec(),
            step: step.map(step_name),
            ai_explanation: None,
        });
    }
    Report { builder: log.builder.unwrap_or(log::Builder::Unknown), dockerfile: display, diagnoses, notes }
}

fn step_name(s: &Step) -> String {
    let mut inside = Vec::new();
    if let Some(n) = s.stage_number {
        inside.push(format!("stage {n}"));
    }
    if let Some(st) = &s.stage {
        inside.push(st.clone());
    }
    if let Some((k, m)) = s.index {
        inside.push(format!("{k}/{m}"));
    }
    format!("[{}] {}", inside.join(" "), s.instruction)
}

/// The entries that explain the failure: the first that matches, and at most
/// one more specific one (the general fallbacks are left out once anything matched).
fn choose(facts: &Facts) -> Vec<&'static Entry> {
    const GENERAL: [&str; 3] = ["command-failed", "permission-denied", "shared-library-missing"];
    let mut out: Vec<&'static Entry> = Vec::new();
    for e in ENTRIES {
        if !e.matches(facts) {
            continue;
        }
        if out.is_empty() || (out.len() < 2 && !GENERAL.contains(&e.cause)) {
            out.push(e);
        }
    }
    out
}

/// 1-based line and column, as `berth check --format json`.
fn range_of(text: &str, lines: &LineIndex, span: Span) -> Range {
    let a = lines.char_pos(text, span.start);
    let b = lines.char_pos(text, span.end);
    Range { start: Pos { line: a.line + 1, column: a.col + 1 }, end: Pos { line: b.line + 1, column: b.col + 1 } }
}

fn lint(path: &Path, text: &str) -> Vec<berth_rules::Diagnostic> {
    let context = berth_workspace::lint::Context::on_disk(path);
    let selection = berth_rules::Selection::default();
    context
        .lint(FileKind::Dockerfile, Arc::from(text), &selection, berth_rules::engine::Settings::default(), None)
        .diagnostics
}

fn related_findings(text: &str, span: Span, entry: &Entry, all: &[berth_rules::Diagnostic]) -> Vec<Finding> {
    let lines = LineIndex::new(text);
    all.iter()
        .filter(|d| {
            let on =
                span.start != usize::MAX && d.span.start < span.end.max(span.start + 1) && d.span.end >= span.start;
            on || entry.related_rules.contains(&d.code)
        })
        .take(10)
        .map(|d| Finding {
            code: d.code,
            name: d.name,
            message: d.message.clone(),
            range: range_of(text, &lines, d.span),
        })
        .collect()
}

/// The log lines that show the failure: those the cause matched, then the
/// failing step's last output lines and errors.
fn log_lines(log: &BuildLog, entry: &Entry) -> Vec<String> {
    fn push(out: &mut Vec<String>, s: &str) {
        let s = s.trim_end();
        if !s.trim().is_empty() && !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    let mut out: Vec<String> = Vec::new();
    let text = log.failure_text();
    if !entry.patterns.is_empty() {
        for l in &text {
            let lower = l.to_lowercase();
            if entry.patterns.iter().any(|p| lower.contains(p)) {
                push(&mut out, l);
                if out.len() >= 3 {
                    break;
                }
            }
        }
    }
    if let Some(s) = log.failed_step() {
        let n = s.output.len();
        for l in &s.output[n.saturating_sub(8)..] {
            push(&mut out, l);
        }
        if let Some(e) = &s.error {
            push(&mut out, e);
        }
    }
    if let Some(e) = &log.error {
        push(&mut out, e);
    }
    if out.is_empty() {
        for l in text.iter().rev().take(5).rev() {
            push(&mut out, l);
        }
    }
    out
}

/// Collapse whitespace, for comparing an instruction as logged with its source.
fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn instruction_text(ins: &Instruction) -> String {
    normalize(&format!("{} {}", ins.keyword.as_str(), ins.args.text))
}

/// Stages: the index of each FROM, and the instructions that follow it.
struct Stage {
    name: Option<String>,
    from: usize,
    end: usize,
}

fn stages(df: &Dockerfile) -> Vec<Stage> {
    let mut out: Vec<Stage> = Vec::new();
    for (i, ins) in df.instructions.iter().enumerate() {
        if ins.keyword == Keyword::From {
            if let Some(last) = out.last_mut() {
                last.end = i;
            }
            let words: Vec<String> = ins.rest_text().split_whitespace().map(str::to_string).collect();
            let name = match words.as_slice() {
                [_, as_, name, ..] if as_.eq_ignore_ascii_case("as") => Some(name.to_ascii_lowercase()),
                _ => None,
            };
            out.push(Stage { name, from: i, end: df.instructions.len() });
        }
    }
    out
}

/// The instruction (index) that the failing step ran.
fn locate(df: &Dockerfile, log: &BuildLog, step: Option<&Step>) -> Option<usize> {
    let lines = &df.lines;
    let text: &str = &df.text;
    // The excerpt BuildKit prints marks the failing lines.
    if let Some(&line) = log.marked_lines.first() {
        let hit = df.instructions.iter().position(|ins| {
            let a = lines.char_pos(text, ins.span.start).line + 1;
            let b = lines.char_pos(text, ins.span.end.saturating_sub(1).max(ins.span.start)).line + 1;
            (a..=b).contains(&line)
        });
        if hit.is_some() {
            return hit;
        }
    }
    let step = step?;
    let wanted = normalize(&step.instruction);
    let keyword = wanted.split(' ').next().unwrap_or("").to_ascii_uppercase();
    let all = stages(df);
    let by_position = (|| {
        let (k, _) = step.index?;
        let stage = if let Some(n) = step.stage_number {
            all.get(n.checked_sub(1)?)?
        } else {
            match step.stage.as_deref() {
                Some(name) => match name.strip_prefix("stage-").and_then(|n| n.parse::<usize>().ok()) {
                    Some(n) => all.get(n)?,
                    None => all.iter().find(|s| s.name.as_deref() == Some(&name.to_ascii_lowercase()))?,
                },
                None => all.last()?,
            }
        };
        let range = stage.from..stage.end;
        if step.stage_number.is_some() || log.builder == Some(log::Builder::Buildah) {
            // buildah counts every instruction, FROM included.
            return Some(stage.from + k - 1).filter(|i| range.contains(i));
        }
        // BuildKit counts FROM (unless scratch or an earlier stage) and ADD, COPY, RUN, WORKDIR.
        let from = &df.instructions[stage.from];
        let base = from.rest_text().split_whitespace().next().unwrap_or("").to_ascii_lowercase();
        let counts_from = base != "scratch"
            && !all[..all.iter().position(|s| s.from == stage.from)?].iter().any(|s| s.name.as_deref() == Some(&base));
        let mut n = 0;
        for i in range {
            let ins = &df.instructions[i];
            let counted = match ins.keyword {
                Keyword::From => counts_from,
                Keyword::Add | Keyword::Copy | Keyword::Run | Keyword::Workdir => true,
                _ => false,
            };
            if counted {
                n += 1;
                if n == k {
                    return Some(i);
                }
            }
        }
        None
    })();
    if let Some(i) = by_position
        && df.instructions[i].keyword.as_str() == keyword
    {
        return Some(i);
    }
    // By text: equal once whitespace is collapsed, else the most words in common.
    let candidates: Vec<usize> =
        (0..df.instructions.len()).filter(|&i| df.instructions[i].keyword.as_str() == keyword).collect();
    if let Some(&i) = candidates.iter().find(|&&i| instruction_text(&df.instructions[i]) == wanted) {
        return Some(i);
    }
    let words: std::collections::HashSet<&str> = wanted.split(' ').collect();
    candidates
        .iter()
        .map(|&i| {
            let t = instruction_text(&df.instructions[i]);
            let common = t.split(' ').filter(|w| words.contains(w)).count();
            (common, i)
        })
        .filter(|(c, _)| *c * 2 >= words.len())
        .max_by_key(|(c, i)| (*c, std::cmp::Reverse(*i)))
        .map(|(_, i)| i)
}

/// After `marker` in `line`: the word (path or name) that ends at `end` (e.g. before `": not found`).
fn quoted_before(line: &str, end: &str) -> Option<String> {
    let p = line.find(end)?;
    let before = &line[..p];
    let q = before.rfind('"')?;
    Some(before[q + 1..].to_string())
}

fn gather(log: &BuildLog, df: Option<&Dockerfile>, located: Option<usize>, context: &Path, dockerfile: &Path) -> Facts {
    let raw = log.failure_text();
    let mut f = Facts {
        text: raw.iter().map(|l| l.to_lowercase()).collect(),
        exit_code: log.exit_code(),
        ..Default::default()
    };
    let ins = located.and_then(|i| df.map(|d| &d.instructions[i]));
    if let (Some(df), Some(i)) = (df, located) {
        let ins = &df.instructions[i];
        f.keyword = Some(ins.keyword);
        f.from = ins.flag("from").and_then(|fl| fl.value.clone());
        f.has_pipe = ins.args.text.contains('|');
        // The USER in force: the last USER in this stage before the instruction.
        let start = df.instructions[..i].iter().rposition(|x| x.keyword == Keyword::From).unwrap_or(0);
        let user = df.instructions[start..i]
            .iter()
            .rev()
            .find(|x| x.keyword == Keyword::User)
            .map(|x| x.rest_text().trim().to_string());
        f.user = user.filter(|u| !matches!(u.split(':').next().unwrap_or(""), "root" | "0" | ""));
    } else if let Some(step) = log.failed_step() {
        let kw = step.instruction.split_whitespace().next().unwrap_or("");
        f.keyword = Some(Keyword::parse(kw)).filter(|k| *k != Keyword::Unknown);
        if let Some(p) = step.instruction.find("--from=") {
            f.from = step.instruction[p + 7..].split_whitespace().next().map(str::to_string);
        }
    }
    for l in &raw {
        let lower = l.to_lowercase();
        if f.path.is_none() {
            f.path = quoted_before(l, "\": not found")
                .or_else(|| quoted_before(l, "\": no such file or directory"))
                .or_else(|| {
                    let p = lower.find("no items matching glob \"")?;
                    let rest = &l[p + "no items matching glob \"".len()..];
                    let path = &rest[..rest.find('"')?];
                    let ctx = std::fs::canonicalize(context).ok();
                    Some(
                        match ctx.and_then(|c| {
                            Path::new(path).strip_prefix(&c).ok().map(|p| p.to_string_lossy().into_owned())
                        }) {
                            Some(rel) => rel,
                            None => path.to_string(),
                        },
                    )
                });
        }
        if f.command.is_none() {
            f.command = command_name(l);
        }
        if f.package.is_none() {
            for marker in ["unable to locate package ", "no matching distribution found for "] {
                if let Some(p) = lower.find(marker) {
                    f.package = l[p + marker.len()..].split_whitespace().next().map(str::to_string);
                }
            }
            if let Some(p) = lower.find("package '")
                && lower.contains("has no installation candidate")
            {
                f.package = l[p + 9..].split('\'').next().map(str::to_string);
            }
        }
        if f.library.is_none()
            && let Some(p) = lower.find(": cannot open shared object file")
        {
            f.library = l[..p].rsplit([' ', ':']).next().map(str::to_string);
        }
    }
    if let Some(p) = &f.path
        && f.from.is_none()
    {
        // A context source: relative to the context root.
        let trimmed = p.trim_start_matches('/').to_string();
        f.path = Some(if trimmed.is_empty() { p.clone() } else { trimmed });
    }
    // A COPY from the context: is a source excluded by .dockerignore?
    if let Some(ins) = ins
        && matches!(ins.keyword, Keyword::Copy | Keyword::Add)
        && f.from.is_none()
    {
        let sources: Vec<String> = {
            let words: Vec<String> = match &ins.exec {
                Some(_) => Vec::new(),
                None => ins.rest_text().split_whitespace().map(str::to_string).collect(),
            };
            words.split_last().map(|(_, s)| s.to_vec()).unwrap_or_default()
        };
        let candidates: Vec<String> = f.path.iter().cloned().chain(sources).collect();
        if let Some(matcher) = dockerignore(context, dockerfile) {
            for c in &candidates {
                let cleaned = clean(c.trim_start_matches('/'));
                if let Some(k) = matcher.excluded_by(&cleaned) {
                    let p = &matcher.patterns[k];
                    f.ignored_by = Some(format!("line {}: `{}`", p.line, p.text));
                    f.path = Some(cleaned);
                    break;
                }
            }
        }
        if f.ignored_by.is_none() && f.text.iter().any(|l| l.contains("filtered out using")) {
            f.ignored_by = Some("a pattern".into());
        }
        if f.path.is_none() {
            f.path = candidates.into_iter().find(|c| !context.join(c).exists());
        }
    }
    f
}

/// The `.dockerignore` of a build: `<Dockerfile>.dockerignore` beside the
/// Dockerfile, else `.dockerignore` at the root of the context (BuildKit).
fn dockerignore(context: &Path, dockerfile: &Path) -> Option<Matcher> {
    let own = dockerfile.file_name().map(|n| {
        let mut n = n.to_os_string();
        n.push(".dockerignore");
        dockerfile.with_file_name(n)
    });
    let text = own
        .and_then(|p| std::fs::read_to_string(p).ok())
        .or_else(|| std::fs::read_to_string(context.join(".dockerignore")).ok())?;
    Some(Matcher::parse(&text))
}

/// `sh: 1: curl: not found`, `bash: curl: command not found`, `exec: "curl": executable file not found`.
fn command_name(line: &str) -> Option<String> {
    let lower = line.to_lowercase();
    if let Some(p) = lower.find("exec: \"") {
        let rest = &line[p + 7..];
        return rest.split('"').next().map(str::to_string);
    }
    for marker in [": command not found", ": not found"] {
        if let Some(p) = lower.find(marker) {
            let before = &line[..p];
            // `sh: 1: curl` → `curl`; `/bin/sh: curl` → `curl`.
            let name = before.rsplit(": ").next()?.trim().trim_matches('"');
            if !name.is_empty() && !name.contains([' ', ':', '/']) {
                return Some(name.to_string());
            }
        }
    }
    None
}

fn read_log(path: &Path) -> Result<String, String> {
    let bytes = if path.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b).map_err(|e| format!("cannot read standard input: {e}"))?;
        b
    } else {
        std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub fn run(args: ExplainBuildArgs, config: Option<PathBuf>) -> ExitCode {
    let text = match read_log(&args.log) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("berth: {e}");
            return ExitCode::from(2);
        }
    };
    let mut report = explain(&text, &Inputs { dockerfile: args.dockerfile.clone(), context: args.context.clone() });
    if args.ai && !report.diagnoses.is_empty() {
        match ai_explanation(&report, &text, config) {
            Ok(t) => report.diagnoses[0].ai_explanation = Some(t),
            Err(e) => report.notes.push(format!("AI: {e}")),
        }
    }
    match args.format {
        ExplainFormat::Json => println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default()),
        ExplainFormat::Tty => print!("{}", render_tty(&report)),
    }
    if report.diagnoses.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

pub fn render_tty(report: &Report) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let source = std::fs::read_to_string(&report.dockerfile).ok();
    for d in &report.diagnoses {
        let at = d.range.as_ref().map_or(String::new(), |r| format!(":{}:{}", r.start.line, r.start.column));
        let _ = writeln!(s, "{}{at}: build failure: {} [{}]", d.file, d.message, d.cause);
        if let Some(step) = &d.step {
            let _ = writeln!(s, "  step: {step}");
        }
        if let (Some(r), Some(src)) = (&d.range, &source) {
            for (n, line) in src.lines().enumerate().skip(r.start.line - 1).take(r.end.line + 1 - r.start.line).take(8)
            {
                let _ = writeln!(s, "  {:>4} | {line}", n + 1);
            }
        }
        let _ = writeln!(s, "  {}", d.explanation);
        if !d.log_lines.is_empty() {
            let _ = writeln!(s, "  log:");
            for l in &d.log_lines {
                let _ = writeln!(s, "    > {l}");
            }
        }
        let _ = writeln!(s, "  fix:");
        for f in &d.suggestions {
            let _ = writeln!(s, "    - {f}");
        }
        if !d.findings.is_empty() {
            let _ = writeln!(s, "  berth findings that bear on it:");
            for f in &d.findings {
                let _ = writeln!(
                    s,
                    "    {}:{}:{}: {} {} {}",
                    d.file, f.range.start.line, f.range.start.column, f.code, f.name, f.message
                );
            }
        }
        if let Some(ai) = &d.ai_explanation {
            let _ = writeln!(s, "  AI explanation (from the model, not checked by berth):");
            for l in ai.lines() {
                let _ = writeln!(s, "    {l}");
            }
        }
        let _ = writeln!(s, "  sources: {}", d.sources.join(" "));
    }
    if report.diagnoses.is_empty() {
        let _ = writeln!(s, "berth: no failure recognised in the log");
    }
    for n in &report.notes {
        let _ = writeln!(s, "note: {n}");
    }
    s
}

/// The model's explanation of the first diagnosis: the Dockerfile and the log's
/// failure lines, redacted, with berth's diagnosis as a starting point.
fn ai_explanation(report: &Report, log_text: &str, config: Option<PathBuf>) -> Result<String, String> {
    use crate::ai::client::{Client, Message, Request};
    let d = &report.diagnoses[0];
    let path = PathBuf::from(&report.dockerfile);
    let mut resolver = crate::config::Resolver::new(crate::config::CliOptions { config, ..Default::default() });
    let cfg = resolver.for_path(&path).map_err(|e| e.to_string())?;
    let mut settings = cfg.ai.value.clone();
    settings.enabled = true;
    let dockerfile = std::fs::read_to_string(&path).unwrap_or_default();
    let dockerfile = crate::ai::redact::redact(&dockerfile, crate::ai::Kind::Dockerfile, 1).text;
    let tail: Vec<&str> = log_text.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
    let log_red = crate::ai::redact::redact(&tail.join("\n"), crate::ai::Kind::Dockerfile, 1000).text;
    let user = format!(
        "A container image build failed. Explain the cause in at most 6 sentences and give the concrete change to the Dockerfile or build command.\n\
         berth's diagnosis: {} ({}).\n\n<dockerfile>\n{}\n</dockerfile>\n\n<build-log-tail>\n{}\n</build-log-tail>",
        d.message, d.cause, dockerfile, log_red
    );
    let messages = vec![
        Message {
            role: "system",
            content: "You are an expert on Dockerfiles and container builds. Be brief and concrete.".into(),
        },
        Message { role: "user", content: user },
    ];
    let req = Request::new(&settings, messages, false);
    let client = Client::new(&settings).map_err(|e| e.to_string())?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let answer = rt.block_on(client.complete(&req)).map_err(|e| e.to_string())?;
    let answer = match answer.find("</think>") {
        Some(p) => answer[p + 8..].trim().to_string(),
        None => answer.trim().to_string(),
    };
    if answer.is_empty() { Err("the explanation is empty".into()) } else { Ok(answer) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names() {
        assert_eq!(command_name("/bin/sh: 1: curl: not found").as_deref(), Some("curl"));
        assert_eq!(command_name("bash: line 1: make: command not found").as_deref(), Some("make"));
        assert_eq!(command_name("sh: nosuchcmd: not found").as_deref(), Some("nosuchcmd"));
        assert_eq!(command_name("exec: \"uvicorn\": executable file not found in $PATH").as_deref(), Some("uvicorn"));
        assert_eq!(command_name("failed to calculate checksum: \"/app.py\": not found"), None);
    }

    #[test]
    fn knowledge_base_is_large_and_unique() {
        assert!(ENTRIES.len() >= 25, "{}", ENTRIES.len());
        let mut ids: Vec<&str> = ENTRIES.iter().map(|e| e.cause).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ENTRIES.len());
        for e in ENTRIES {
            assert!(!e.fixes.is_empty() && !e.sources.is_empty(), "{}", e.cause);
            for p in e.patterns {
                assert_eq!(*p, p.to_lowercase(), "{}: patterns are lowercase", e.cause);
            }
            for code in e.related_rules {
                assert!(berth_rules::rules::find(code).is_some(), "{}: unknown rule {code}", e.cause);
            }
        }
    }
}
