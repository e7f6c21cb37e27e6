//! `--format gnu`: the GNU error-message format, one finding a line:
//! `file:line:col: severity: CODE message`, severity `error`, `warning` or
//! `note`. Editors (Emacs' compile mode, Vim's quickfix) jump to each line.

use super::{FileReport, gnu_severity, one_line, position, visible};

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        for d in &r.diagnostics {
            let (line, col) = position(r, d.span.start);
            out += &format!(
                "{}:{line}:{col}: {}: {} {}\n",
                visible(&one_line(&r.display)),
                gnu_severity(d.severity),
                d.code,
                visible(&one_line(&d.message))
            );
        }
    }
    out
}
