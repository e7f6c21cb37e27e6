//! `--format checkstyle`: Checkstyle's XML report, read by Jenkins' warnings
//! plugin, SonarQube and many CI dashboards. Every linted file gets a `<file>`
//! element, with one `<error>` per finding.

use super::{FileReport, position, xml_escape};
use berth_rules::Severity;

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for r in reports {
        if r.diagnostics.is_empty() {
            out += &format!("  <file name=\"{}\"/>\n", xml_escape(&r.display));
            continue;
        }
        out += &format!("  <file name=\"{}\">\n", xml_escape(&r.display));
        for d in &r.diagnostics {
            let (line, col) = position(r, d.span.start);
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "info",
            };
            out += &format!(
                "    <error line=\"{line}\" column=\"{col}\" severity=\"{severity}\" message=\"{}\" source=\"berth.{}\"/>\n",
                xml_escape(&d.message),
                xml_escape(d.code)
            );
        }
        out += "  </file>\n";
    }
    out += "</checkstyle>\n";
    out
}
