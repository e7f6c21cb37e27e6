//! `--format sarif`: SARIF 2.1.0, the format GitHub code scanning and many
//! other tools read. One run; the driver lists the rules the results
//! reference (berth's, then ShellCheck's); each result carries its exact region (1-based
//! lines, columns in characters, hence `columnKind: unicodeCodePoints`, end
//! exclusive), related locations, the fix as SARIF replacements, and a
//! partial fingerprint that survives lines moving.

use super::{FileReport, fingerprints, region};
use berth_rules::{RuleMeta, Severity};
use serde_json::{Value, json};
use std::collections::HashMap;

pub const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
pub use berth_workspace::docs::{INFORMATION_URI, help_uri};
/// The key of berth's partial fingerprint (see `output::fingerprints`).
pub const FINGERPRINT_KEY: &str = "berth/v1";

fn level(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

/// The body of the docs' `## What it checks` section, or the summary.
fn what_it_checks(m: &RuleMeta) -> String {
    let docs = m.docs;
    let Some(at) = docs.find("## What it checks") else { return m.summary.to_string() };
    let body = &docs[at + "## What it checks".len()..];
    let end = body.find("\n## ").unwrap_or(body.len());
    let text = body[..end].trim();
    if text.is_empty() { m.summary.to_string() } else { text.to_string() }
}

fn rule_entry(m: &RuleMeta) -> Value {
    let docs = m.docs.trim();
    json!({
        "id": m.code,
        "name": m.name,
        "shortDescription": { "text": m.summary },
        "fullDescription": { "text": what_it_checks(m) },
        "help": { "text": docs, "markdown": docs },
        "helpUri": help_uri(m),
        "defaultConfiguration": { "level": level(m.severity), "enabled": m.default_enabled },
        "properties": { "tags": [m.category.as_str()], "category": m.category.as_str() },
    })
}

/// A code berth has no metadata for: ShellCheck's `SC####`.
fn foreign_entry(code: &str, name: &str, sev: Severity) -> Value {
    let shellcheck = code.starts_with("SC") && code[2..].chars().all(|c| c.is_ascii_digit());
    let mut entry = if shellcheck {
        let uri = format!("https://www.shellcheck.net/wiki/{code}");
        json!({
            "id": code,
            "name": name,
            "shortDescription": { "text": format!("ShellCheck {code}") },
            "fullDescription": {
                "text": format!("ShellCheck's check {code} on the shell script of a RUN instruction; berth runs ShellCheck and reports its findings at their exact place.")
            },
            "help": {
                "text": format!("See ShellCheck's page for {code}: {uri}"),
                "markdown": format!("See ShellCheck's page for [{code}]({uri})."),
            },
            "helpUri": uri,
            "properties": { "tags": ["shellcheck"] },
        })
    } else if code == berth_workspace::ai::REVIEW_CODE {
        json!({
            "id": code,
            "name": name,
            "shortDescription": { "text": "AI review (advisory)" },
            "fullDescription": {
                "text": "An advisory finding of the AI review (`berth check --ai-review`), from the configured model; anchored on existing lines and deduplicated against berth's own findings. It never fails a run."
            },
            "help": { "text": "See the README's section \"AI suggestions\"." },
            "properties": { "tags": ["ai"] },
        })
    } else {
        json!({
            "id": code,
            "name": name,
            "shortDescription": { "text": code },
            "fullDescription": { "text": code },
            "help": { "text": code },
        })
    };
    entry["defaultConfiguration"] = json!({ "level": level(sev) });
    entry
}

/// A relative path as a URI reference under `%SRCROOT%`: forward slashes,
/// each segment percent-encoded. An absolute path (a file outside the working
/// folder) becomes a `file://` URI, the only truthful choice.
fn artifact_location(display: &str) -> Value {
    let path = display.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let b = path.as_bytes();
    let drive = b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/';
    let absolute = path.starts_with('/') || drive;
    let mut uri = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => uri.push(b as char),
            _ => uri += &format!("%{b:02X}"),
        }
    }
    if absolute {
        if drive {
            // Keep the drive's colon: `file:///C:/...`.
            json!({ "uri": format!("file:///{}:{}", &path[..1], &uri[4..]) })
        } else {
            json!({ "uri": format!("file://{uri}") })
        }
    } else {
        json!({ "uri": uri, "uriBaseId": "%SRCROOT%" })
    }
}

fn sarif_region(r: &FileReport, span: berth_rules::text::Span) -> Value {
    let g = region(r, span);
    json!({ "startLine": g.start_line, "startColumn": g.start_col, "endLine": g.end_line, "endColumn": g.end_col })
}

pub fn render(reports: &[FileReport]) -> String {
    // Only the rules the results reference, in the registry's order.
    let used: std::collections::HashSet<&str> = reports.iter().flat_map(|r| &r.diagnostics).map(|d| d.code).collect();
    let metas: Vec<&RuleMeta> = berth_rules::rules::metas().into_iter().filter(|m| used.contains(m.code)).collect();
    let mut rules: Vec<Value> = metas.iter().map(|m| rule_entry(m)).collect();
    let mut index: HashMap<&str, usize> = metas.iter().enumerate().map(|(i, m)| (m.code, i)).collect();
    // Codes without metadata (ShellCheck's), in order of code.
    let mut foreign: Vec<(&str, &str, Severity)> = Vec::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        if !index.contains_key(d.code) && !foreign.iter().any(|(c, _, _)| *c == d.code) {
            foreign.push((d.code, d.name, d.severity));
        }
    }
    foreign.sort();
    for (code, name, sev) in foreign {
        index.insert(code, rules.len());
        rules.push(foreign_entry(code, name, sev));
    }

    let mut results = Vec::new();
    for r in reports {
        let location = artifact_location(&r.display);
        let prints = fingerprints(r);
        for (d, print) in r.diagnostics.iter().zip(prints) {
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": { "artifactLocation": location, "region": sarif_region(r, d.span) }
                }],
                "partialFingerprints": { FINGERPRINT_KEY: print },
            });
            if !d.related.is_empty() {
                result["relatedLocations"] = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, rel)| {
                        json!({
                            "id": i,
                            "physicalLocation": { "artifactLocation": location, "region": sarif_region(r, rel.span) },
                            "message": { "text": rel.message },
                        })
                    })
                    .collect();
            }
            let ai = if d.fix.is_none() { r.ai_fix(d) } else { None };
            if let Some(f) = d.fix.as_ref().or(ai.map(|a| &a.fix)).filter(|f| !f.edits.is_empty()) {
                let replacements: Vec<Value> = f
                    .edits
                    .iter()
                    .map(|e| json!({ "deletedRegion": sarif_region(r, e.span), "insertedContent": { "text": e.new_text } }))
                    .collect();
                result["fixes"] = json!([{
                    "description": { "text": f.title },
                    "artifactChanges": [{ "artifactLocation": location, "replacements": replacements }],
                    "properties": { "safety": f.safety.as_str() },
                }]);
                if ai.is_some() {
                    result["fixes"][0]["properties"]["origin"] = json!("ai");
                }
            }
            results.push(result);
        }
    }

    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "berth",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(artifact_location("a b/Dockerfile")["uri"], "a%20b/Dockerfile");
        assert_eq!(artifact_location("a b/Dockerfile")["uriBaseId"], "%SRCROOT%");
        assert_eq!(artifact_location("x:y/é")["uri"], "x%3Ay/%C3%A9");
        assert_eq!(artifact_location("/tmp/Dockerfile")["uri"], "file:///tmp/Dockerfile");
        assert!(artifact_location("/tmp/Dockerfile").get("uriBaseId").is_none());
        assert_eq!(artifact_location("C:/src/Dockerfile")["uri"], "file:///C:/src/Dockerfile");
    }
}
