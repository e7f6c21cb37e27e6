//! Compose files through the built binary, and the real-world Compose corpus.

use berth_rules::engine::{self, Safety, Selection};
use berth_tests::{Scratch, json, run_in, stderr};
use std::collections::HashMap;
use std::path::Path;

const COMPOSE: &str = "version: \"3.8\"\nservices:\n  db:\n    image: postgres:17\n    ports:\n      - \"5432:5432\"\n    environment:\n      POSTGRES_PASSWORD: “secret”\n";

fn codes(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn check_lints_compose_files() {
    let s = Scratch::new("compose");
    s.write("compose.yaml", COMPOSE);
    s.write("Dockerfile", "FROM alpine:3.20\nADD app.py /app/\n");
    let out = s.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains("not available yet"));
    let v = json(&out);
    assert_eq!(v["files"], 2);
    let found = codes(&v);
    for c in ["BC1002", "BC1004", "BC2003", "DL3020"] {
        assert!(found.contains(&c.to_string()), "{c} missing: {v}");
    }
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "BC1004").unwrap();
    assert_eq!(d["file"], "compose.yaml");
    assert_eq!(d["range"]["start"], serde_json::json!({"line": 8, "column": 26}));
    assert_eq!(d["range"]["end"], serde_json::json!({"line": 8, "column": 34}));

    // A syntax error, at its place, and nothing else from that file.
    s.write("compose.yaml", "services:\n  web:\n    image: nginx\n   bad: [\n");
    let v = json(&s.run(&["check", "--format", "json", "compose.yaml"]));
    assert_eq!(codes(&v), ["BC0001"], "{v}");

    // Ignores and standard input with a Compose name.
    let text = "# berth ignore=BC1002\nversion: '3'\nservices: {}\n";
    let out =
        run_in(&s.path, &["check", "--format", "json", "--stdin-filename", "compose.yaml", "-"], Some(text.as_bytes()));
    assert_eq!(codes(&json(&out)), Vec::<String>::new());

    // `berth fix` fixes Compose files.
    s.write("compose.yaml", COMPOSE);
    let out = s.run(&["fix", "compose.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let fixed = s.read("compose.yaml");
    assert!(!fixed.contains("version"), "{fixed}");
    assert!(fixed.contains("POSTGRES_PASSWORD: \"secret\""), "{fixed}");
    assert!(fixed.contains("\"5432:5432\""), "unsafe fixes wait for --unsafe-fixes: {fixed}");
}

#[test]
fn rule_documentation_for_compose_rules() {
    let s = Scratch::new("compose-rule");
    let out = s.run(&["rule", "BC1001"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(berth_tests::stdout(&out).contains("duplicate-key"));
    let out = s.run(&["rule", "no-build-and-image"]);
    assert!(berth_tests::stdout(&out).contains("BC1005"));
}

/// `file` -> whether dclint found the YAML invalid, from `baseline/dclint.jsonl`.
fn dclint_invalid(root: &Path) -> HashMap<String, bool> {
    let text = std::fs::read_to_string(root.join("baseline/dclint.jsonl")).expect("baseline/dclint.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("baseline line is JSON");
            let invalid = v["parse_error"].as_bool().unwrap_or(false)
                || v["findings"].as_array().is_some_and(|f| f.iter().any(|f| f["rule"] == "invalid-yaml"));
            (v["file"].as_str().unwrap().to_string(), invalid)
        })
        .collect()
}

#[test]
fn compose_corpus_loads_without_false_syntax_errors() {
    let Some(root) = berth_tests::corpus("compose", "the Compose corpus test") else { return };
    let baseline = dclint_invalid(&root);
    let mut stack = vec![root.join("compose")];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() { stack.push(p) } else { files.push(p) }
        }
    }
    files.sort();
    assert!(files.len() >= 80, "expected the Compose corpus, found {} files", files.len());
    let all = Selection { include_off_by_default: true, ..Selection::default() };
    let mut problems = Vec::new();
    for p in &files {
        let rel = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let (text, _) = engine::decode(&std::fs::read(p).unwrap());
        let result = engine::lint_compose(&text, &all);
        let syntax: Vec<_> = result.diagnostics.iter().filter(|d| d.code == "BC0001").collect();
        if baseline.get(&rel) == Some(&false) && !syntax.is_empty() {
            problems.push(format!("{rel}: {}", syntax[0].message));
        }
        // Cut files never panic the loader or the rules.
        for cut in [text.len() / 3, text.len() / 2, 2 * text.len() / 3] {
            let at = (cut..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
            let _ = engine::lint_compose(&text[..at], &all);
        }
        // Fixing never breaks a file that loads.
        let fixed = engine::fix_all_compose(&text, &all, Safety::Unsafe);
        if result.file.is_some() && berth_rules::compose::ComposeFile::parse(&fixed.text).is_err() {
            problems.push(format!("{rel}: fixes made the YAML invalid"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
