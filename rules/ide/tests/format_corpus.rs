//! The Dockerfile formatter over real files: every rule fixture in
//! `corpus/rules/*.Dockerfile` and, when `BERTH_CORPUS` is set, every file
//! under `$BERTH_CORPUS/dockerfiles`. For each: formatting is idempotent and
//! keeps what the file means (see `berth_ide::ide::format::meaning_differs`),
//! and no rule (off-by-default ones included) finds anything in the formatted
//! file that it did not find in the original (`berth fmt` must not make work).

use berth_ide::ide::format::{format, meaning_differs};
use berth_rules::engine::{Selection, lint};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn check(paths: &[PathBuf]) -> usize {
    let mut failures = Vec::new();
    let mut checked = 0;
    for p in paths {
        let Ok(bytes) = std::fs::read(p) else { continue };
        let Ok(text) = String::from_utf8(bytes) else { continue };
        checked += 1;
        let once = format(&text);
        let twice = format(&once);
        if twice != once {
            failures.push(format!("{}: not idempotent", p.display()));
            continue;
        }
        if let Some(why) = meaning_differs(&text, &once) {
            failures.push(format!("{}: meaning changed: {why}", p.display()));
        }
        if once != text {
            let added = new_findings(&text, &once);
            if !added.is_empty() {
                failures.push(format!("{}: formatting adds findings: {}", p.display(), added.join(", ")));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} files:\n{}", failures.len(), failures.join("\n"));
    checked
}

/// The findings (`CODE message`) of every rule in `after` beyond those in `before`.
fn new_findings(before: &str, after: &str) -> Vec<String> {
    let all = Selection { include_off_by_default: true, ..Selection::default() };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for d in lint(before, &all).diagnostics {
        *seen.entry(format!("{} {}", d.code, d.message)).or_default() += 1;
    }
    let mut added = Vec::new();
    for d in lint(after, &all).diagnostics {
        let key = format!("{} {}", d.code, d.message);
        match seen.get_mut(&key) {
            Some(n) if *n > 0 => *n -= 1,
            _ => added.push(key),
        }
    }
    added
}

#[test]
fn formatting_adds_no_finding() {
    // `from x as y` used to become `FROM x as y`: a new FromAsCasing finding.
    assert_eq!(format("from alpine as build\nrun true\n"), "FROM alpine AS build\nRUN true\n");
    assert_eq!(format("From alpine as build\n"), "FROM alpine AS build\n");
    // `AS` on a continuation line: the keyword keeps its case rather than disagree with it.
    let split = "from alpine \\\n  as build\n";
    assert!(format(split).starts_with("from alpine"), "{:?}", format(split));
    // The check itself sees a disagreement that formatting would make.
    assert_eq!(new_findings("FROM a AS b\n", "FROM a as b\n").len(), 1);
    for src in ["from alpine as build\n", "from alpine \\\n  as build\n", "from a AS b\n", "From a As b\n"] {
        assert_eq!(new_findings(src, &format(src)), Vec::<String>::new(), "{src:?}");
    }
}

#[test]
fn formatting_rule_fixtures_is_idempotent_and_keeps_meaning() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/rules");
    let paths: Vec<PathBuf> =
        files_under(&dir).into_iter().filter(|p| p.to_string_lossy().ends_with(".Dockerfile")).collect();
    assert!(!paths.is_empty());
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/demo");
    let mut all = paths;
    all.extend(files_under(&demo));
    check(&all);
}

#[test]
fn formatting_the_real_world_corpus_is_idempotent_and_keeps_meaning() {
    let Some(root) = std::env::var_os("BERTH_CORPUS") else {
        eprintln!(
            "BERTH_CORPUS is not set: skipping the real-world formatter check (idempotence, meaning, no new finding)"
        );
        return;
    };
    let dir = Path::new(&root).join("dockerfiles");
    let paths = files_under(&dir);
    let n = check(&paths);
    println!("formatted {n} files from {}", dir.display());
}
