//! `--format junit`: JUnit XML, which CI systems (GitLab, Jenkins, Azure
//! Pipelines, CircleCI) show as test results. One `<testsuite>` per linted
//! file; each finding is a failing `<testcase>` whose `<failure>` carries the
//! message and the severity as its type; a file without findings has one
//! passing test case.

use super::{FileReport, position, xml_escape, xml_text};

pub fn render(reports: &[FileReport]) -> String {
    let total_findings: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let total_tests: usize = reports.iter().map(|r| r.diagnostics.len().max(1)).sum();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"berth\" tests=\"{total_tests}\" failures=\"{total_findings}\" errors=\"0\" skipped=\"0\">\n"
    );
    for r in reports {
        let file = xml_escape(&r.display);
        let failures = r.diagnostics.len();
        out += &format!(
            "  <testsuite name=\"{file}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n",
            failures.max(1)
        );
        if r.diagnostics.is_empty() {
            out += &format!("    <testcase name=\"no problems\" classname=\"{file}\" file=\"{file}\"/>\n");
        }
        for d in &r.diagnostics {
            let (line, col) = position(r, d.span.start);
            let mut body = format!("{}:{line}:{col}: {} {}: {}", r.display, d.code, d.name, d.message);
            if let Some(f) = &d.fix {
                body += &format!("\nfix ({}): {}", f.safety.as_str(), f.title);
            }
            out += &format!(
                "    <testcase name=\"{} {} at {line}:{col}\" classname=\"{file}\" file=\"{file}\" line=\"{line}\">\n",
                xml_escape(d.code),
                xml_escape(d.name)
            );
            out += &format!(
                "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                xml_escape(&d.message),
                d.severity.as_str(),
                xml_text(&body)
            );
            out += "    </testcase>\n";
        }
        out += "  </testsuite>\n";
    }
    out += "</testsuites>\n";
    out
}
