//! `--format github`: GitHub Actions workflow commands, one finding a line,
//! which the runner turns into annotations on the pull request:
//! `::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE name::message`.
//! `warning` for warnings, `notice` for info and style. Columns are given only
//! when the finding starts and ends on one line: the runner drops them (with a
//! warning) otherwise.

use super::{FileReport, region};
use berth_rules::Severity;

/// Escaping of a command's message.
fn escape_data(s: &str) -> String {
    super::visible(&s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")).into_owned()
}

/// Escaping of a property value: the message's, plus `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        for d in &r.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "notice",
            };
            let g = region(r, d.span);
            let place = if g.start_line == g.end_line {
                format!("line={},col={},endLine={},endColumn={}", g.start_line, g.start_col, g.end_line, g.end_col)
            } else {
                format!("line={},endLine={}", g.start_line, g.end_line)
            };
            out += &format!(
                "::{command} file={},{place},title={}::{}\n",
                escape_property(&r.display),
                escape_property(&format!("{} {}", d.code, d.name)),
                escape_data(&d.message)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
