//! Output formats of `berth check`.

pub mod json;
pub mod tty;

use berth_rules::Diagnostic;
use berth_rules::text::LineIndex;

/// One linted file and its findings.
pub struct FileReport {
    pub display: String,
    pub text: String,
    pub lines: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
}

/// 1-based line and character column of a byte offset.
pub fn position(report: &FileReport, offset: usize) -> (usize, usize) {
    let p = report.lines.char_pos(&report.text, offset);
    (p.line + 1, p.col + 1)
}
