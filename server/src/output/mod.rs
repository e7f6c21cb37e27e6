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
    /// The last position computed (byte offset, zero-based line, character
    /// column), so that many findings on one very long line cost the distance
    /// between them rather than the whole line each.
    pub cursor: std::cell::Cell<(usize, usize, usize)>,
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
