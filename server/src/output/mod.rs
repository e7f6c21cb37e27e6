//! Output formats of `berth check`, one file each, and the choice of where
//! each report goes (`--format` paired with `-o`).

pub mod checkstyle;
pub mod github;
pub mod gitlab;
pub mod gnu;
pub mod hadolint;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod tty;

use crate::{ColorChoice, Format};
use berth_rules::Diagnostic;
use berth_rules::text::{LineIndex, Span};
use berth_rules::util::fnv1a_128;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// One linted file and its findings.
pub struct FileReport {
    pub display: String,
    pub text: String,
    pub lines: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
    /// The last position computed (byte offset, zero-based line, character
    /// column), so that many findings on one very long line cost the distance
    /// between them rather than the whole line each.
    pub cursor: std::cell::Cell<(usize, usize, usize)>,
    /// A Compose file (no ShellCheck, YAML syntax).
    pub compose: bool,
    /// Fixes suggested by the AI (`berth check --ai`), validated, for the
    /// finding with the same code and span. Never applied by `berth fix`.
    pub ai_fixes: Vec<AiFix>,
}

/// An AI suggestion for one finding of a report.
#[derive(Debug, Clone)]
pub struct AiFix {
    pub code: &'static str,
    pub span: Span,
    pub fix: berth_rules::Fix,
    pub explanation: Option<String>,
}

impl FileReport {
    /// The AI suggestion for this finding, if any.
    pub fn ai_fix(&self, d: &Diagnostic) -> Option<&AiFix> {
        self.ai_fixes.iter().find(|f| f.code == d.code && f.span == d.span)
    }
}

/// 1-based line and character column of a byte offset.
pub fn position(report: &FileReport, offset: usize) -> (usize, usize) {
    let text = report.text.as_str();
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = report.lines.line_of(offset);
    let (c_off, c_line, c_col) = report.cursor.get();
    let col = if c_line == line && c_off <= offset {
        c_col + text[c_off..offset].chars().count()
    } else if c_line == line {
        c_col - text[offset..c_off].chars().count()
    } else {
        text[report.lines.line_start(line)..offset].chars().count()
    };
    report.cursor.set((offset, line, col));
    (line + 1, col + 1)
}

/// A span as 1-based lines and character columns, the end exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub start_line: usize,
    pub start_col: usize,
    pub end_line: usize,
    pub end_col: usize,
}

pub fn region(report: &FileReport, span: Span) -> Region {
    let (start_line, start_col) = position(report, span.start);
    let (end_line, end_col) = position(report, span.end.max(span.start));
    Region { start_line, start_col, end_line, end_col }
}

/// The severity words of formats that know only error, warning and note.
pub fn gnu_severity(sev: berth_rules::Severity) -> &'static str {
    match sev {
        berth_rules::Severity::Error => "error",
        berth_rules::Severity::Warning => "warning",
        berth_rules::Severity::Info | berth_rules::Severity::Style => "note",
    }
}

/// Text from a user's file made safe for a terminal: control characters
/// (other than tab and line feed; ESC, BEL, CR, DEL, C1 codes) become `\x1b`,
/// `\u{9b}`-style escapes, so a file cannot set the terminal's title or colours.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\t' && c != '\n') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !bad(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            out += &format!("\\x{:02x}", c as u32);
        } else {
            out += &format!("\\u{{{:x}}}", c as u32);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Messages on one line: line breaks become spaces.
pub fn one_line(s: &str) -> String {
    if s.contains(['\n', '\r']) { s.replace("\r\n", " ").replace(['\n', '\r'], " ") } else { s.to_string() }
}

/// A stable fingerprint for every finding of a report, in order: a hash of the
/// file's path, the code and the trimmed text of the finding's first line, so
/// it survives lines added or removed above. Findings that would share one
/// (the same code on identical lines) are told apart by their occurrence
/// number in the file. 32 hex digits.
pub fn fingerprints(report: &FileReport) -> Vec<String> {
    let mut seen: std::collections::HashMap<u128, usize> = std::collections::HashMap::new();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let line = report.lines.line_of(d.span.start.min(report.text.len()));
            let span = report.lines.line_span(&report.text, line);
            let text = report.text[span.start..span.end].trim();
            let base = fnv1a_128(&[report.display.as_bytes(), d.code.as_bytes(), text.as_bytes()]);
            let n = seen.entry(base).or_insert(0);
            let h = if *n == 0 {
                base
            } else {
                fnv1a_128(&[report.display.as_bytes(), d.code.as_bytes(), text.as_bytes(), n.to_string().as_bytes()])
            };
            *n += 1;
            format!("{h:032x}")
        })
        .collect()
}

/// Text made safe for XML 1.0 content and attribute values: markup characters
/// become entities, tabs and line breaks character references (so attribute
/// normalisation keeps them), and characters XML 1.0 does not allow at all
/// (other control characters, U+FFFE, U+FFFF) become U+FFFD.
pub fn xml_escape(s: &str) -> String {
    escape_xml(s, true)
}

/// Text made safe for XML 1.0 element content: as `xml_escape`, but tabs and
/// line feeds stay as they are.
pub fn xml_text(s: &str) -> String {
    escape_xml(s, false)
}

fn escape_xml(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' if !attribute => out.push(c),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Where one report goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dest {
    Stdout,
    File(PathBuf),
}

/// One format and its destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub format: Format,
    pub dest: Dest,
}

/// Pair `--format` values with `-o` files in order, as hadolint does: the Nth
/// format goes to the Nth file (`-` is standard output), formats without a
/// file go to standard output, files without a format take the last format
/// given (`tty` when none was). At most one report may go to standard output.
pub fn plan(formats: &[Format], outputs: &[PathBuf]) -> Result<Vec<Target>, String> {
    let last = formats.last().copied().unwrap_or(Format::Tty);
    let n = formats.len().max(outputs.len()).max(1);
    let targets: Vec<Target> = (0..n)
        .map(|i| Target {
            format: formats.get(i).copied().unwrap_or(last),
            dest: match outputs.get(i) {
                Some(p) if p.as_os_str() != "-" => Dest::File(p.clone()),
                _ => Dest::Stdout,
            },
        })
        .collect();
    if targets.iter().filter(|t| t.dest == Dest::Stdout).count() > 1 {
        return Err("berth: more than one --format would go to standard output; give each extra format a file \
                    with -o (the Nth -o goes with the Nth --format)"
            .to_string());
    }
    for (i, t) in targets.iter().enumerate() {
        if let Dest::File(p) = &t.dest
            && targets[..i].iter().any(|o| o.dest == t.dest)
        {
            return Err(format!("berth: {}: given to -o more than once", p.display()));
        }
    }
    Ok(targets)
}

/// One report in one format.
pub fn render(format: Format, reports: &[FileReport], files: usize, color: bool) -> String {
    match format {
        Format::Tty => tty::render(reports, files, &tty::Style { color }),
        Format::Json => json::render(reports, files),
        Format::Sarif => sarif::render(reports),
        Format::Checkstyle => checkstyle::render(reports),
        Format::Gitlab => gitlab::render(reports),
        Format::Github => github::render(reports),
        Format::Junit => junit::render(reports),
        Format::Gnu => gnu::render(reports),
        Format::Codeclimate => hadolint::codeclimate(reports),
        Format::Codacy => hadolint::codacy(reports),
        Format::Sonarqube => hadolint::sonarqube(reports),
        Format::HadolintJson => hadolint::json(reports),
    }
}

/// `--quiet`: the tty format leaves out its summary line.
pub static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// How many paths could not be read or linted: the tty summary then never says "ok".
pub static UNREAD: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Write every target; returns the problems (files that cannot be written).
/// `path_in_report` replaces every file's path (hadolint's `--file-path-in-report`).
pub fn emit(
    targets: &[Target],
    reports: &mut [FileReport],
    files: usize,
    color: ColorChoice,
    path_in_report: Option<&str>,
) -> Vec<String> {
    if let Some(p) = path_in_report {
        for r in reports.iter_mut() {
            r.display = p.to_string();
        }
    }
    let reports = &*reports;
    let mut problems = Vec::new();
    for t in targets {
        let to_stdout = t.dest == Dest::Stdout;
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => to_stdout && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        };
        let rendered = render(t.format, reports, files, color);
        match &t.dest {
            Dest::Stdout => {
                let mut stdout = std::io::stdout().lock();
                let _ = stdout.write_all(rendered.as_bytes());
                let _ = stdout.flush();
            }
            Dest::File(p) => {
                if let Err(e) = std::fs::write(p, rendered.as_bytes()) {
                    problems.push(format!("berth: {}: cannot write: {e}", p.display()));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(visible("a\tb\nc"), "a\tb\nc");
        assert_eq!(visible("\x1b]0;pwned\x07x"), "\\x1b]0;pwned\\x07x");
        assert_eq!(visible("r\rd\u{7f}\u{9b}\u{202e}"), "r\\x0dd\\x7f\\x9b\\u{202e}");
    }

    #[test]
    fn xml_escaping() {
        assert_eq!(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(xml_escape("t\tn\nr\r"), "t&#9;n&#10;r&#13;");
        assert_eq!(xml_text("t\tn\nr\r"), "t\tn\nr&#13;");
        assert_eq!(xml_escape("\u{0}\u{1b}\u{FFFE}\u{FFFF}é😀"), "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}é😀");
    }

    #[test]
    fn fnv_is_the_published_function() {
        // FNV-1a 128 of the empty input is the offset basis; of "a", a known value.
        assert_eq!(fnv1a_128(&[b""]), 0x6c62272e07bb014262b821756295c58d);
        assert_eq!(fnv1a_128(&[b"a"]), 0xd228cb696f1a8caf78912b704e4a8964);
        assert_ne!(fnv1a_128(&[b"ab", b"c"]), fnv1a_128(&[b"a", b"bc"]));
    }
}
