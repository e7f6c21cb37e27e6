//! The Dockerfile formatter over real files: every rule fixture in
//! `corpus/rules/*.Dockerfile` and, when `BERTH_CORPUS` is set, every file
//! under `$BERTH_CORPUS/dockerfiles`. For each: formatting is idempotent and
//! keeps what the file means (see `berth_ide::ide::format::meaning_differs`).

use berth_ide::ide::format::{format, meaning_differs};
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
    }
    assert!(failures.is_empty(), "{} of {checked} files:\n{}", failures.len(), failures.join("\n"));
    checked
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
        println!("BERTH_CORPUS is not set: skipping the real-world formatter check");
        return;
    };
    let dir = Path::new(&root).join("dockerfiles");
    let paths = files_under(&dir);
    let n = check(&paths);
    println!("formatted {n} files from {}", dir.display());
}
