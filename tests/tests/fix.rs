//! `berth fix`, `berth check --fix` and baselines through the built binary,
//! and fixing the real-world corpus (when `BERTH_CORPUS` is set).

use berth_tests::{Scratch, json, run_in, stderr, stdout};
use std::path::Path;

/// DL3020 (safe fix: ADD → COPY) and DL3014 (unsafe fix: add -y).
const MIXED: &str = "FROM debian:12\nADD app.py /app/\nRUN apt-get install curl\n";
const SELECT: &[&str] = &["--select", "DL3020,DL3014"];

fn args<'a>(head: &[&'a str], tail: &[&'a str]) -> Vec<&'a str> {
    head.iter().chain(tail).copied().collect()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn codes(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

#[cfg(unix)]
fn inode(p: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).unwrap().ino()
}

#[test]
fn applies_safe_fixes_and_keeps_unsafe_ones_unless_asked() {
    let s = Scratch::new("fix-safe");
    let file = s.write("Dockerfile", MIXED);
    let out = s.run(&args(&["fix"], SELECT));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read(&file), "FROM debian:12\nCOPY app.py /app/\nRUN apt-get install curl\n");
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("fixed 1 problem in 1 file; 1 remaining (1 fixable with --unsafe-fixes)"),
        "{}",
        stderr(&out)
    );

    let out = s.run(&args(&["fix", "--unsafe-fixes"], SELECT));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read(&file), "FROM debian:12\nCOPY app.py /app/\nRUN apt-get install -y curl\n");
    assert!(stderr(&out).contains("fixed 1 problem in 1 file; 0 remaining\n"), "{}", stderr(&out));

    // Both at once, and --select limits what is fixed.
    s.write("Dockerfile", MIXED);
    let out = s.run(&["fix", "--unsafe-fixes", "--select", "DL3014"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(read(&file), "FROM debian:12\nADD app.py /app/\nRUN apt-get install -y curl\n");
    // Unknown rules are a usage error.
    assert_eq!(s.run(&["fix", "--select", "NOPE9999"]).status.code(), Some(2));
}

/// `C:\\` at the end of a line is an escaped escape, which does not continue
/// the line (BuildKit's continuation pattern). berth once joined the next
/// instruction into the COPY, and DL3021's safe fix then appended `/` to the
/// CMD on the following line.
#[test]
fn an_escaped_escape_at_the_end_of_a_line_is_not_a_continuation() {
    let s = Scratch::new("fix-escaped-escape");
    let text = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV TOOLS=C:\\\\tools\\\\\nRUN apt-get install -y --no-install-recommends curl=8.5.0-2\nCOPY a.txt C:\\\\data\\\\\nCMD [\"x\"]\n";
    let file = s.write("Dockerfile", text);
    let out = s.run(&["fix", "--unsafe-fixes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read(&file), text, "nothing to fix, and nothing corrupted");
    let out = s.run(&["check", "--no-shellcheck", "--format", "json", "--select", "DL3021,DL3008,BD0001"]);
    assert!(codes(&json(&out)).is_empty(), "{}", stdout(&out));
    // The instruction after the backslashes is linted on its own.
    s.write("Dockerfile", "FROM debian:12\nENV DIR=C:\\\\\nRUN apt-get install -y --no-install-recommends curl\n");
    let out = s.run(&["check", "--no-shellcheck", "--format", "json", "--select", "DL3008"]);
    assert_eq!(codes(&json(&out)), ["DL3008"], "{}", stdout(&out));
}

#[test]
fn a_second_run_changes_nothing_and_writes_nothing() {
    let s = Scratch::new("fix-idem");
    let file = s.write("Dockerfile", "FROM alpine:3.20 AS Build\nADD app.py /app/\nMAINTAINER me\n");
    let out = s.run(&["fix"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("fixed 3 problems in 1 file;"), "{}", stderr(&out));
    let fixed = read(&file);
    assert_eq!(fixed, "FROM alpine:3.20 AS build\nCOPY app.py /app/\nLABEL org.opencontainers.image.authors=\"me\"\n");
    #[cfg(unix)]
    let before = inode(&file);
    let out = s.run(&["fix"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).starts_with("fixed 0 problems in 0 files;"), "{}", stderr(&out));
    assert_eq!(read(&file), fixed);
    #[cfg(unix)]
    assert_eq!(inode(&file), before, "an unchanged file is not rewritten");
    assert_eq!(std::fs::read_dir(&s.path).unwrap().count(), 1, "no temporary file left behind");
}

#[test]
fn diff_is_exact_and_writes_nothing() {
    let s = Scratch::new("fix-diff");
    let file = s.write("Dockerfile", "FROM alpine:3.20\nWORKDIR /app\nCOPY a /a\nADD app.py /app/\nCMD [\"app\"]\n");
    let out = s.run(&["fix", "--diff", "--select", "DL3020"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,5 +1,5 @@\n FROM alpine:3.20\n WORKDIR /app\n COPY a /a\n-ADD app.py /app/\n+COPY app.py /app/\n CMD [\"app\"]\n"
    );
    assert!(stderr(&out).contains("would fix 1 problem in 1 file"), "{}", stderr(&out));
    assert!(read(&file).contains("ADD app.py"), "--diff writes nothing");
    // Nothing to fix: no diff, exit 0.
    s.write("Dockerfile", "FROM alpine:3.20\nCOPY app.py /app/\n");
    let out = s.run(&["fix", "--diff", "--select", "DL3020"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
}

#[cfg(unix)]
#[test]
fn permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new("fix-mode");
    let file = s.write("Dockerfile", MIXED);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = s.run(&["fix"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(read(&file).contains("COPY app.py"));
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o7777, 0o640);
}

#[cfg(unix)]
#[test]
fn unwritable_files_and_folders_are_errors_and_stay_intact() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    let s = Scratch::new("fix-readonly");
    // A read-only file in a writable folder: a rename would replace it, berth must not.
    let file = s.write("ro-file/Dockerfile", MIXED);
    mode(&file, 0o444);
    let out = s.run(&["fix", "ro-file"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("ro-file/Dockerfile: cannot write"), "{}", stderr(&out));
    assert_eq!(read(&file), MIXED);
    mode(&file, 0o644);

    // A read-only folder. Other files named alongside are still fixed.
    let file = s.write("ro-dir/Dockerfile", MIXED);
    let other = s.write("ok/Dockerfile", MIXED);
    let dir = s.path.join("ro-dir");
    mode(&dir, 0o555);
    let out = s.run(&["fix", "ro-dir", "ok"]);
    mode(&dir, 0o755);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("ro-dir/Dockerfile: cannot write"), "{}", stderr(&out));
    assert_eq!(read(&file), MIXED);
    assert!(read(&other).contains("COPY app.py"));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file left behind");
}

#[test]
fn invalid_utf8_is_not_fixed() {
    let s = Scratch::new("fix-utf8");
    let bytes = b"FROM alpine:3.20\nADD caf\xe9 /app/\n";
    let file = s.write("Dockerfile", bytes);
    let out = s.run(&["fix"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Dockerfile: not valid UTF-8 at byte 24"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
}

#[test]
fn check_fix_reports_what_remains() {
    let s = Scratch::new("check-fix");
    let file = s.write("Dockerfile", MIXED);
    let out = s.run(&args(&["check", "--fix", "--format", "json"], SELECT));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(codes(&json(&out)), ["DL3014"]);
    assert!(stderr(&out).contains("fixed 1 problem in 1 file; 1 remaining (1 fixable with --unsafe-fixes)"));
    assert!(read(&file).contains("COPY app.py"));
    let out = s.run(&args(&["check", "--fix", "--unsafe-fixes", "--format", "json"], SELECT));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(codes(&json(&out)), Vec::<String>::new());
    assert_eq!(read(&file), "FROM debian:12\nCOPY app.py /app/\nRUN apt-get install -y curl\n");
    // --unsafe-fixes alone means nothing to check.
    assert_eq!(s.run(&["check", "--unsafe-fixes"]).status.code(), Some(2));
}

#[test]
fn standard_input() {
    let dir = std::env::temp_dir();
    let out = run_in(&dir, &args(&["fix", "-"], SELECT), Some(MIXED.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "FROM debian:12\nCOPY app.py /app/\nRUN apt-get install curl\n");
    let out = run_in(&dir, &args(&["fix", "--unsafe-fixes", "-"], SELECT), Some(MIXED.as_bytes()));
    assert_eq!(stdout(&out), "FROM debian:12\nCOPY app.py /app/\nRUN apt-get install -y curl\n");
    // Nothing to fix: the text comes back as it was.
    let clean = "FROM debian:12\nCOPY app.py /app/\n";
    let out = run_in(&dir, &["fix", "-"], Some(clean.as_bytes()));
    assert_eq!(stdout(&out), clean);
    let out = run_in(
        &dir,
        &["fix", "--diff", "--stdin-filename", "api/Dockerfile", "--select", "DL3020", "-"],
        Some(MIXED.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("--- a/api/Dockerfile\n+++ b/api/Dockerfile\n@@ -1,3 +1,3 @@\n"));
}

#[test]
fn baselines_survive_line_shifts_and_report_only_new_findings() {
    let s = Scratch::new("baseline");
    let body = "FROM debian:12\nRUN apt-get install -y curl\nRUN apt-get install -y curl\nADD app.py /app/\n";
    s.write("Dockerfile", body);
    let base = ["--no-shellcheck", "--format", "json"];
    let out = s.run(&args(&["check", "--write-baseline", "berth-baseline.json"], &base));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(codes(&json(&out)).len(), 0, "recorded findings are not reported");
    let doc: serde_json::Value = serde_json::from_str(&read(&s.path.join("berth-baseline.json"))).unwrap();
    assert_eq!(doc["version"], 1);
    let entries = doc["findings"].as_array().unwrap();
    assert!(entries.len() >= 4, "{doc}");
    assert_eq!(entries[0]["file"], "Dockerfile");
    assert!(entries.iter().all(|e| e["fingerprint"].as_str().is_some_and(|f| f.len() == 16)));
    let dl3008: Vec<_> = entries.iter().filter(|e| e["code"] == "DL3008").collect();
    assert_eq!(dl3008.len(), 2, "two identical findings stay two");
    assert_ne!(dl3008[0]["fingerprint"], dl3008[1]["fingerprint"]);

    // Lines inserted at the top: every finding is still recognised.
    s.write("Dockerfile", format!("# syntax=docker/dockerfile:1\n# a comment\n\n{body}"));
    let out = s.run(&args(&["check", "--baseline", "berth-baseline.json"], &base));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(codes(&json(&out)).len(), 0);

    // A new problem (a third copy of a recorded line, and an ADD): only it is reported.
    s.write("Dockerfile", format!("# a comment\n{body}RUN apt-get install -y curl\nADD b.py /b/\n"));
    let out = s.run(&args(&["check", "--baseline", "berth-baseline.json", "--select", "DL3008,DL3020"], &base));
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(codes(&v), ["DL3008", "DL3020"]);
    let lines: Vec<u64> =
        v["diagnostics"].as_array().unwrap().iter().map(|d| d["range"]["start"]["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [6, 7]);

    // An invalid or missing baseline is an error naming the file.
    s.write("corrupt.json", "{\"version\": 1, \"findings\": [{\"file\": 3}]}");
    let out = s.run(&args(&["check", "--baseline", "corrupt.json"], &base));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("corrupt.json"), "{}", stderr(&out));
    s.write("corrupt.json", "not json");
    assert_eq!(s.run(&args(&["check", "--baseline", "corrupt.json"], &base)).status.code(), Some(2));
    s.write("corrupt.json", "{\"version\": 99, \"findings\": []}");
    assert_eq!(s.run(&args(&["check", "--baseline", "corrupt.json"], &base)).status.code(), Some(2));
    let out = s.run(&args(&["check", "--baseline", "missing.json"], &base));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.json"), "{}", stderr(&out));
}

/// Syntax errors per file from `berth check --format json`.
fn syntax_errors(v: &serde_json::Value) -> std::collections::HashMap<String, usize> {
    let mut out = std::collections::HashMap::new();
    for d in v["diagnostics"].as_array().unwrap() {
        if d["code"] == "BD0001" {
            *out.entry(d["file"].as_str().unwrap().to_string()).or_insert(0) += 1;
        }
    }
    out
}

#[test]
fn fixing_the_corpus_leaves_no_safe_fix_breaks_nothing_and_is_idempotent() {
    let Some(root) = berth_tests::corpus("dockerfiles", "the corpus fix test") else { return };
    let s = Scratch::new("fix-corpus");
    let src = root.join("dockerfiles");
    let mut rels = Vec::new();
    for f in berth_tests::files_under(&src) {
        let rel = f.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        s.write(&rel, std::fs::read(&f).unwrap());
        rels.push(rel);
    }
    assert!(rels.len() > 100, "corpus looks empty");
    let files: Vec<&str> = rels.iter().map(String::as_str).collect();
    let check = |s: &Scratch| {
        let out =
            s.run(&args(&["check", "--no-shellcheck", "--format", "json", "--failure-threshold", "none"], &files));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        json(&out)
    };
    let before = syntax_errors(&check(&s));

    let out = s.run(&args(&["fix", "--unsafe-fixes"], &files));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    println!("corpus fix: {}", stderr(&out).trim());
    assert!(!stderr(&out).starts_with("fixed 0 problems"), "{}", stderr(&out));

    let after = check(&s);
    let safe_left: Vec<String> = after["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["fix"]["safety"] == "safe")
        .map(|d| format!("{}:{} {}", d["file"], d["range"]["start"]["line"], d["code"]))
        .collect();
    assert!(safe_left.is_empty(), "findings with a safe fix remain:\n{}", safe_left.join("\n"));
    let broken: Vec<String> = syntax_errors(&after)
        .into_iter()
        .filter(|(f, n)| *n > before.get(f).copied().unwrap_or(0))
        .map(|(f, n)| format!("{f}: {n} syntax errors, {} before", before.get(&f).copied().unwrap_or(0)))
        .collect();
    assert!(broken.is_empty(), "fixes added syntax errors:\n{}", broken.join("\n"));

    let snapshot: Vec<Vec<u8>> = rels.iter().map(|r| std::fs::read(s.path.join(r)).unwrap()).collect();
    let out = s.run(&args(&["fix", "--unsafe-fixes"], &files));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("fixed 0 problems in 0 files;"), "{}", stderr(&out));
    let changed: Vec<&String> = rels
        .iter()
        .zip(&snapshot)
        .filter(|(r, b)| std::fs::read(s.path.join(r)).unwrap() != **b)
        .map(|(r, _)| r)
        .collect();
    assert!(changed.is_empty(), "a second fix changed: {changed:?}");
}
