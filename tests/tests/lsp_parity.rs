//! The editor reports what `berth check` reports: for every Compose project
//! (the fixtures' and, with `BERTH_CORPUS`, the shared corpus's, rebuilt in
//! their repositories' layout), the language server's diagnostics of each
//! saved file equal `berth check`'s findings on it, file by file, cross-file
//! findings included (ShellCheck aside). And a change to a file a lint in
//! context reads (an override file) re-lints the open files that read it.

use berth_tests::lsp_client::{LspClient, TIMEOUT, file_uri};
use berth_tests::{Scratch, json, root, run_in, stderr};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// (code, line, column, end line, end column, message), 1-based lines and columns.
type Finding = (String, u64, u64, u64, u64, String);

/// `berth check` on `dir`: findings per file (relative, `/`-separated).
fn check(dir: &Path) -> BTreeMap<String, BTreeSet<Finding>> {
    let out = run_in(
        dir,
        &["check", "--no-shellcheck", "--format", "json", "--select", "all", "--failure-threshold", "none", "."],
        None,
    );
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}: {}", dir.display(), stderr(&out));
    let v = json(&out);
    let mut by_file: BTreeMap<String, BTreeSet<Finding>> = BTreeMap::new();
    for d in v["diagnostics"].as_array().unwrap() {
        let r = &d["range"];
        let n = |p: &str, k: &str| r[p][k].as_u64().unwrap();
        by_file.entry(d["file"].as_str().unwrap().to_string()).or_default().insert((
            d["code"].as_str().unwrap().to_string(),
            n("start", "line"),
            n("start", "column"),
            n("end", "line"),
            n("end", "column"),
            d["message"].as_str().unwrap().to_string(),
        ));
    }
    by_file
}

/// The files `berth check` lints in `dir` (names it recognises), relative.
fn lintable(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else if language(&p).is_some() {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The language id an editor gives the file, as `berth check` names it.
fn language(p: &Path) -> Option<&'static str> {
    let name = p.file_name()?.to_str()?.to_ascii_lowercase();
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    if yaml && name.split(['.', '-', '_']).any(|w| w == "compose") {
        return Some("dockercompose");
    }
    let docker = name == "dockerfile"
        || name == "containerfile"
        || name.ends_with(".dockerfile")
        || name.ends_with(".containerfile")
        || name.starts_with("dockerfile.")
        || name.starts_with("dockerfile-")
        || name.starts_with("containerfile.");
    docker.then_some("dockerfile")
}

/// Start the server with `dir` as its workspace folder and every finding on.
fn start_in(dir: &Path) -> LspClient {
    let mut c = LspClient::start(dir, &[]);
    let r = c.request(
        "initialize",
        json!({"processId": null, "rootUri": file_uri(dir), "capabilities": {
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {"publishDiagnostics": {"relatedInformation": true, "versionSupport": true}}
        }, "initializationOptions": {"select": ["all"], "shellcheck": false}}),
    );
    assert!(r.get("result").is_some(), "initialize failed: {r}");
    c.notify("initialized", json!({}));
    c
}

fn lsp_findings(publication: &Value) -> BTreeSet<Finding> {
    publication["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["code"].as_str().unwrap_or("").starts_with("SC"))
        .map(|d| {
            let r = &d["range"];
            let n = |p: &str, k: &str| r[p][k].as_u64().unwrap() + 1;
            (
                d["code"].as_str().unwrap().to_string(),
                n("start", "line"),
                n("start", "character"),
                n("end", "line"),
                n("end", "character"),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Differences between the server and `berth check` on one project folder.
/// `all_open`: every file is opened before any is compared (each lint reads
/// the others from the editor); else each is opened, compared and closed in
/// turn (folders of hundreds of files).
fn compare(dir: &Path, all_open: bool) -> Vec<String> {
    compare_counting(dir, all_open, &mut 0)
}

/// [`compare`], adding to `cross` the cross-file findings compared (BC5xxx).
fn compare_counting(dir: &Path, all_open: bool, cross: &mut usize) -> Vec<String> {
    let cli = check(dir);
    *cross += cli.values().flatten().filter(|f| f.0.starts_with("BC5")).count();
    let files = lintable(dir);
    let mut c = start_in(dir);
    let mut problems = Vec::new();
    let mut diff = |f: &str, publication: &Value| {
        let lsp = lsp_findings(publication);
        let want = cli.get(f).cloned().unwrap_or_default();
        if lsp != want {
            let only_lsp: Vec<_> = lsp.difference(&want).collect();
            let only_cli: Vec<_> = want.difference(&lsp).collect();
            problems.push(format!("{}/{f}: editor only {only_lsp:?}; check only {only_cli:?}", dir.display()));
        }
    };
    let mut uris = Vec::new();
    for f in &files {
        let p = dir.join(f);
        let Ok(text) = std::fs::read_to_string(&p) else { continue };
        let uri = file_uri(&p);
        c.open(&uri, language(&p).unwrap(), 1, &text);
        if all_open {
            uris.push((f.clone(), uri));
        } else {
            let publication = c.diagnostics(&uri, Some(1));
            diff(f, &publication);
            c.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
        }
    }
    for (_, uri) in &uris {
        c.diagnostics(uri, Some(1));
    }
    if all_open {
        // Opening a file re-lints the open files that depend on it: let those finish.
        c.settle(Duration::from_millis(300));
    }
    for (f, uri) in &uris {
        diff(f, &c.publications(uri).pop().unwrap());
    }
    c.shutdown();
    problems
}

/// The fixtures' Compose files, in their folder (`corpus/rules`, beside the
/// Dockerfile fixtures).
fn fixture_projects() -> Vec<PathBuf> {
    vec![root().join("corpus/rules")]
}

/// A small project with every kind of cross-file finding, in one folder.
fn cross_file_project(s: &Scratch) {
    s.write(
        "compose.yaml",
        "name: demo\nservices:\n  api:\n    build:\n      context: ./api\n      target: prod\n      args:\n        PY_VERSON: \"3.13\"\n    env_file: missing.env\n  web:\n    build: ./web\n",
    );
    s.write("compose.override.yaml", "services:\n  api:\n    ports:\n      - \"8000:8000\"\n");
    s.write(".env", "TAG=1\n");
    s.write("api/Dockerfile", "ARG PY_VERSION=3.12\nFROM python:${PY_VERSION}-slim AS base\nCOPY . /app\n");
    s.write("api/.dockerignore", ".git\n");
}

#[test]
fn the_editor_reports_what_check_reports_on_a_cross_file_project() {
    let s = Scratch::new("parity-cross");
    cross_file_project(&s);
    let cli = check(&s.path);
    // The cross-file findings are there (else this test compares nothing).
    let compose = cli.get("compose.yaml").cloned().unwrap_or_default();
    assert!(compose.iter().any(|f| f.0 == "BC5006"), "no build.target finding: {compose:?}");
    let problems = compare(&s.path, true);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_editor_reports_what_check_reports_on_the_fixture_projects() {
    let mut problems = Vec::new();
    let projects = fixture_projects();
    for p in &projects {
        problems.extend(compare(p, false));
    }
    assert!(problems.is_empty(), "{} of {} projects differ:\n{}", problems.len(), projects.len(), problems.join("\n"));
}

/// The corpus's repositories with a Compose file, rebuilt as
/// `<owner>__<repo>/<original_path>` (bench/precision.py's layout).
fn corpus_projects(corpus: &Path, dest: &Path) -> Vec<PathBuf> {
    let sources = std::fs::read_to_string(corpus.join("SOURCES.tsv")).expect("SOURCES.tsv");
    let mut lines = sources.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (kind, local, repo, original) = (col("kind"), col("local_file"), col("repo"), col("original_path"));
    let mut with_compose = BTreeSet::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let dir = dest.join(f[repo].replace('/', "__"));
        let target = dir.join(f[original]);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(corpus.join(f[local]), &target).unwrap();
        if f[kind] == "compose" {
            with_compose.insert(dir);
        }
    }
    with_compose.into_iter().collect()
}

#[test]
fn the_editor_reports_what_check_reports_on_the_corpus_projects() {
    let Some(corpus) = std::env::var_os("BERTH_CORPUS").map(PathBuf::from) else {
        eprintln!("BERTH_CORPUS is not set: skipped");
        return;
    };
    let s = Scratch::new("parity-corpus");
    let projects = corpus_projects(&corpus, &s.path);
    assert!(!projects.is_empty());
    let (mut problems, mut cross) = (Vec::new(), 0);
    for p in &projects {
        problems.extend(compare_counting(p, false, &mut cross));
    }
    assert!(
        problems.is_empty(),
        "{} files differ in {} projects:\n{}",
        problems.len(),
        projects.len(),
        problems.join("\n")
    );
    eprintln!("{} projects, {cross} cross-file findings compared", projects.len());
    assert!(projects.len() >= 5 && cross >= 10, "{} projects, {cross} cross-file findings", projects.len());
}

#[test]
fn a_changed_override_file_relints_the_open_compose_file() {
    let s = Scratch::new("parity-override");
    // The volume is used only in the override file.
    let compose =
        s.write("compose.yaml", "name: demo\nservices:\n  api:\n    image: nginx:1.27\nvolumes:\n  data: {}\n");
    let over = s.write("compose.override.yaml", "services:\n  api:\n    volumes:\n      - data:/data\n");
    let (cu, ou) = (file_uri(&compose), file_uri(&over));
    let mut c = start_in(&s.path);
    c.open(&cu, "dockercompose", 1, &s.read("compose.yaml"));
    let before = lsp_findings(&c.diagnostics(&cu, Some(1)));
    assert!(!before.iter().any(|f| f.0 == "BC4005"), "{before:?}");
    assert_eq!(before, check(&s.path).get("compose.yaml").cloned().unwrap_or_default());
    c.open(&ou, "dockercompose", 1, &s.read("compose.override.yaml"));
    c.diagnostics(&ou, Some(1));
    c.settle(Duration::from_millis(300));
    let n = c.publications(&cu).len();
    // The override stops using it (unsaved): the base file's volume is now unused.
    let changed = "services:\n  api:\n    ports:\n      - \"127.0.0.1:8001:8001\"\n";
    c.change_full(&ou, 2, changed);
    c.diagnostics(&ou, Some(2));
    assert!(c.wait_publications(&cu, n + 1, TIMEOUT), "the Compose file was not linted again: {}", c.stderr());
    c.settle(Duration::from_millis(300));
    let after = lsp_findings(&c.publications(&cu).pop().unwrap());
    assert!(after.iter().any(|f| f.0 == "BC4005"), "{after:?}");
    // What check reports once the override is saved.
    std::fs::write(&over, changed).unwrap();
    assert_eq!(after, check(&s.path).get("compose.yaml").cloned().unwrap_or_default());
    c.shutdown();
}

#[test]
fn a_dockerfile_changed_on_disk_relints_the_open_compose_file() {
    let s = Scratch::new("parity-watch");
    let compose =
        s.write("compose.yaml", "name: demo\nservices:\n  api:\n    build:\n      context: .\n      target: prod\n");
    let dockerfile = s.write("Dockerfile", "FROM alpine:3.20 AS base\n");
    let cu = file_uri(&compose);
    let mut c = start_in(&s.path);
    c.open(&cu, "dockercompose", 1, &s.read("compose.yaml"));
    let first = c.diagnostics(&cu, Some(1));
    assert!(lsp_findings(&first).iter().any(|f| f.0 == "BC5006"), "{first}");
    let n = c.publications(&cu).len();
    std::fs::write(&dockerfile, "FROM alpine:3.20 AS prod\n").unwrap();
    c.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&dockerfile), "type": 2}]}));
    assert!(c.wait_publications(&cu, n + 1, TIMEOUT), "no re-lint: {}", c.stderr());
    let after = c.publications(&cu).pop().unwrap();
    assert!(!lsp_findings(&after).iter().any(|f| f.0 == "BC5006"), "{after}");
    assert_eq!(lsp_findings(&after), check(&s.path).get("compose.yaml").cloned().unwrap_or_default());
    c.shutdown();
}
