//! `--format gitlab`: a GitLab Code Quality report (the Code Climate issue
//! format GitLab reads from `artifacts:reports:codequality`): a JSON array with
//! one object per finding.

use super::{FileReport, fingerprints, region};
use berth_rules::Severity;
use berth_rules::engine::Category;
use serde_json::json;

fn severity(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "minor",
        Severity::Style => "info",
    }
}

/// Code Climate's categories.
fn category(code: &str) -> &'static str {
    match berth_rules::rules::by_code(code).map(|m| m.category) {
        Some(Category::Security) => "Security",
        Some(Category::Performance) => "Performance",
        Some(Category::Style) => "Style",
        Some(Category::Maintainability) => "Clarity",
        Some(Category::Syntax | Category::Correctness) | None => "Bug Risk",
    }
}

pub fn render(reports: &[FileReport]) -> String {
    let mut issues = Vec::new();
    for r in reports {
        let prints = fingerprints(r);
        for (d, fingerprint) in r.diagnostics.iter().zip(prints) {
            let g = region(r, d.span);
            issues.push(json!({
                "type": "issue",
                "check_name": d.code,
                "description": d.message,
                "categories": [category(d.code)],
                "severity": severity(d.severity),
                "fingerprint": fingerprint,
                "location": {
                    "path": r.display,
                    "lines": { "begin": g.start_line, "end": g.end_line },
                    "positions": {
                        "begin": { "line": g.start_line, "column": g.start_col },
                        "end": { "line": g.end_line, "column": g.end_col },
                    },
                },
            }));
        }
    }
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}
