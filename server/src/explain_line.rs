//! `berth explain FILE:LINE` offline: the findings on that line (as `berth
//! check` reports them, without ShellCheck) with their rules' documentation.
//! `--ai` (in `ai/cli.rs`) adds a model's explanation on top.

use berth_rules::Diagnostic;
use berth_rules::text::LineIndex;
use berth_workspace::discover::{self, FileKind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// `FILE:LINE` when FILE exists; `None` for anything else (a rule name).
pub fn parse_target(target: &str) -> Option<(PathBuf, usize)> {
    let (file, line) = target.rsplit_once(':')?;
    let line = line.trim().parse::<usize>().ok().filter(|n| *n > 0)?;
    let path = PathBuf::from(file);
    path.is_file().then_some((path, line))
}

/// The findings of `path` whose range covers `line` (1-based), with the text.
pub fn findings_on_line(
    path: &Path,
    line: usize,
    config: Option<PathBuf>,
) -> Result<(String, Vec<Diagnostic>), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let mut resolver = crate::config::Resolver::new(crate::config::CliOptions { config, ..Default::default() });
    let cfg = resolver.for_path(path)?;
    let kind = discover::kind_of(path).filter(|k| *k == FileKind::Compose).unwrap_or(FileKind::Dockerfile);
    let text = berth_rules::engine::decode(&bytes).0;
    let context = berth_workspace::lint::Context::on_disk(path);
    let mut report = context.lint(kind, Arc::from(text.as_str()), &cfg.selection(), cfg.settings(), None);
    cfg.apply_severity(&mut report.diagnostics);
    let lines = LineIndex::new(&text);
    let on_line = report
        .diagnostics
        .into_iter()
        .filter(|d| {
            let a = lines.line_of(d.span.start) + 1;
            let b = lines.line_of(d.span.end.saturating_sub(1).max(d.span.start)) + 1;
            (a..=b).contains(&line)
        })
        .collect();
    Ok((text, on_line))
}

/// The report: each finding, then each rule's documentation once.
pub fn render(file: &str, text: &str, found: &[Diagnostic]) -> String {
    use std::fmt::Write;
    let lines = LineIndex::new(text);
    let mut s = String::new();
    for d in found {
        let p = lines.char_pos(text, d.span.start);
        let _ = writeln!(s, "{file}:{}:{}: {} {} {}", p.line + 1, p.col + 1, d.code, d.name, d.message);
    }
    let mut seen: Vec<&str> = Vec::new();
    for d in found {
        if seen.contains(&d.code) {
            continue;
        }
        seen.push(d.code);
        if let Some(m) = berth_rules::rules::find(d.code) {
            let _ = write!(s, "\n{}\n", crate::rules_cmd::page(m).trim_end());
        }
    }
    s
}

/// `berth explain FILE:LINE` without `--ai`. `None` when `target` is not FILE:LINE.
pub fn run(target: &str, config: Option<PathBuf>) -> Option<ExitCode> {
    let (path, line) = parse_target(target)?;
    let file = path.to_string_lossy().into_owned();
    Some(match findings_on_line(&path, line, config) {
        Ok((_, found)) if found.is_empty() => {
            eprintln!("berth: {file}:{line}: berth reports no finding on this line");
            ExitCode::from(1)
        }
        Ok((text, found)) => {
            print!("{}", render(&file, &text, &found));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("berth: {e}");
            ExitCode::from(2)
        }
    })
}
