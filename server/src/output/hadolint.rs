//! hadolint's own report shapes, for the formats berth takes over under
//! hadolint's names: `codeclimate` (Code Climate issues, each followed by a NUL
//! byte), `codacy` (one JSON object a line) and `sonarqube` (SonarQube's
//! generic issue import). Keys are in hadolint's (alphabetical) order.
//! Shapes from hadolint's `src/Hadolint/Formatter/{Codeclimate,Codacy,SonarQube}.hs`.

use super::{FileReport, region};
use berth_rules::Severity;
use serde_json::json;

/// Code Climate severities as hadolint gives them.
fn codeclimate_severity(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "blocker",
        Severity::Warning => "major",
        Severity::Info => "info",
        Severity::Style => "minor",
    }
}

pub fn codeclimate(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        for d in &r.diagnostics {
            let g = region(r, d.span);
            let issue = json!({
                "type": "issue",
                "check_name": d.code,
                "description": d.message,
                "categories": ["Bug Risk"],
                "location": { "path": r.display, "lines": { "begin": g.start_line, "end": g.start_line } },
                "severity": codeclimate_severity(d.severity),
            });
            out += &issue.to_string();
            out.push('\0');
        }
    }
    out
}

/// hadolint's `--format json`: one array of findings, keys in its order.
pub fn json(reports: &[FileReport]) -> String {
    let mut issues = Vec::new();
    for r in reports {
        for d in &r.diagnostics {
            let g = region(r, d.span);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
                Severity::Style => "style",
            };
            issues.push(json!({
                "code": d.code,
                "column": g.start_col,
                "file": r.display,
                "level": level,
                "line": g.start_line,
                "message": d.message,
            }));
        }
    }
    let mut out = serde_json::Value::Array(issues).to_string();
    out.push('\n');
    out
}

pub fn codacy(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        for d in &r.diagnostics {
            let g = region(r, d.span);
            let issue =
                json!({ "filename": r.display, "line": g.start_line, "message": d.message, "patternId": d.code });
            out += &issue.to_string();
            out.push('\n');
        }
    }
    out
}

pub fn sonarqube(reports: &[FileReport]) -> String {
    let mut issues = Vec::new();
    for r in reports {
        for d in &r.diagnostics {
            let g = region(r, d.span);
            let (severity, kind) = match d.severity {
                Severity::Error => ("CRITICAL", "BUG"),
                Severity::Warning => ("MAJOR", "CODE_SMELL"),
                Severity::Info => ("MINOR", "CODE_SMELL"),
                Severity::Style => ("INFO", "CODE_SMELL"),
            };
            // SonarQube's columns are 0-based, the end exclusive.
            issues.push(json!({
                "engineId": "berth",
                "ruleId": d.code,
                "severity": severity,
                "type": kind,
                "primaryLocation": {
                    "message": d.message,
                    "filePath": r.display,
                    "textRange": {
                        "startLine": g.start_line,
                        "endLine": g.end_line,
                        "startColumn": g.start_col - 1,
                        "endColumn": g.end_col - 1,
                    },
                },
            }));
        }
    }
    let mut s = json!({ "issues": issues }).to_string();
    s.push('\n');
    s
}
