//! Differential comparison with hadolint over the shared corpus
//! (`BERTH_CORPUS`; skipped with a notice when unset).
//!
//! Findings are matched by file, code and instruction: hadolint reports every
//! problem of a multi-line instruction on its first line, berth reports it
//! where it is, so a berth finding inside the instruction hadolint names is a
//! match. Several berth findings of one code in one instruction count once
//! (the pin rules report one finding per instruction, as hadolint does).
//!
//! Set `BERTH_DIFF_SHOW=DL3008` to print the differences for one code.

use berth_rules::engine::{self, Selection};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Key = (String, String, usize); // file, code, instruction index

#[derive(Default, Debug, Clone, Copy)]
struct Score {
    both: usize,
    only_berth: usize,
    only_hadolint: usize,
}

impl Score {
    fn f1(&self) -> f64 {
        let denom = 2 * self.both + self.only_berth + self.only_hadolint;
        if denom == 0 { 1.0 } else { 2.0 * self.both as f64 / denom as f64 }
    }
}

/// Compare berth with hadolint's baseline; return the score per DL code that berth implements.
type Scores = BTreeMap<String, Score>;

/// Compare berth with hadolint's baseline. Returns the score per DL code, the
/// score with documented differences (corpus/DIFFERENCES.md) set aside, and
/// how many differences each cause explains.
fn compare(root: &Path, show: Option<&str>) -> (Scores, Scores, BTreeMap<&'static str, usize>) {
    let mut adjusted: Scores = BTreeMap::new();
    let mut causes: BTreeMap<&'static str, usize> = BTreeMap::new();
    let implemented: BTreeSet<String> =
        berth_rules::rules::metas().iter().filter(|m| m.code.starts_with("DL")).map(|m| m.code.to_string()).collect();
    let baseline = std::fs::read_to_string(root.join("baseline/hadolint.jsonl")).expect("baseline");
    let mut berth: BTreeSet<Key> = BTreeSet::new();
    let mut hadolint: BTreeSet<Key> = BTreeSet::new();
    let mut where_: BTreeMap<Key, String> = BTreeMap::new();
    for line in baseline.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["parse_error"].as_bool() == Some(true) {
            continue;
        }
        let file = v["file"].as_str().unwrap().to_string();
        let bytes = std::fs::read(root.join(&file)).unwrap();
        let (text, _) = engine::decode(&bytes);
        let result = engine::lint(&text, &Selection::default());
        let lines = &result.file.lines;
        let instruction_at_line =
            |line1: usize| result.file.instructions.iter().position(|i| lines.line_of(i.span.start) + 1 == line1);
        for d in &result.diagnostics {
            if !implemented.contains(d.code) {
                continue;
            }
            if let Some(i) =
                result.file.instructions.iter().position(|i| i.span.start <= d.span.start && d.span.start <= i.span.end)
            {
                let key = (file.clone(), d.code.to_string(), i);
                where_
                    .entry(key.clone())
                    .or_insert_with(|| format!("line {}: {}", lines.line_of(d.span.start) + 1, d.message));
                berth.insert(key);
            }
        }
        for f in v["findings"].as_array().unwrap() {
            let code = f["code"].as_str().unwrap();
            if !implemented.contains(code) {
                continue;
            }
            let line = f["line"].as_u64().unwrap() as usize;
            if let Some(i) = instruction_at_line(line) {
                let key = (file.clone(), code.to_string(), i);
                where_
                    .entry(key.clone())
                    .or_insert_with(|| format!("line {line}: {}", f["message"].as_str().unwrap_or("")));
                hadolint.insert(key);
            }
        }
    }
    let mut scores: BTreeMap<String, Score> = implemented.iter().map(|c| (c.clone(), Score::default())).collect();
    let mut parsed: BTreeMap<String, berth_rules::syntax::Dockerfile> = BTreeMap::new();
    for k in berth.union(&hadolint) {
        let (b, h) = (berth.contains(k), hadolint.contains(k));
        let s = scores.entry(k.1.clone()).or_default();
        match (b, h) {
            (true, true) => s.both += 1,
            (true, false) => s.only_berth += 1,
            _ => s.only_hadolint += 1,
        }
        let mut cause = None;
        if !(b && h) {
            let file = parsed.entry(k.0.clone()).or_insert_with(|| {
                let bytes = std::fs::read(root.join(&k.0)).unwrap();
                berth_rules::syntax::Dockerfile::parse(&engine::decode(&bytes).0)
            });
            cause = dl_difference_cause(file, &k.1, k.2, b);
            *causes.entry(cause.unwrap_or("unexplained")).or_default() += 1;
            if cause.is_none() {
                let a = adjusted.entry(k.1.clone()).or_default();
                if b { a.only_berth += 1 } else { a.only_hadolint += 1 }
            }
        } else {
            adjusted.entry(k.1.clone()).or_default().both += 1;
        }
        let wanted = show == Some(k.1.as_str()) || (show == Some("unexplained") && cause.is_none());
        if wanted && !(b && h) {
            let who = if b { "berth only   " } else { "hadolint only" };
            println!("{who} {} {} ({})", k.0, where_[k], cause.unwrap_or("unexplained"));
        }
    }
    (scores, adjusted, causes)
}

#[test]
fn berth_agrees_with_hadolint_on_the_corpus() {
    let Some(root) = berth_tests::corpus("dockerfiles", "the differential test against hadolint") else { return };
    let show = std::env::var("BERTH_DIFF_SHOW").ok();
    let (scores, adjusted, causes) = compare(&root, show.as_deref());
    let mut total = Score::default();
    println!("{:<8} {:>6} {:>11} {:>13} {:>6}", "code", "both", "berth only", "hadolint only", "F1");
    for (code, s) in &scores {
        println!("{code:<8} {:>6} {:>11} {:>13} {:>6.3}", s.both, s.only_berth, s.only_hadolint, s.f1());
        total.both += s.both;
        total.only_berth += s.only_berth;
        total.only_hadolint += s.only_hadolint;
    }
    println!("{:<8} {:>6} {:>11} {:>13} {:>6.3}", "all", total.both, total.only_berth, total.only_hadolint, total.f1());
    let mut adj = Score::default();
    for a in adjusted.values() {
        adj.both += a.both;
        adj.only_berth += a.only_berth;
        adj.only_hadolint += a.only_hadolint;
    }
    println!("differences by cause: {causes:#?}");
    println!("without documented differences: F1 {:.3}", adj.f1());
    assert!(total.f1() >= 0.95, "overall F1 {:.3} is below 0.95", total.f1());
    assert!(adj.f1() >= 0.98, "F1 without documented differences {:.3} is below 0.98", adj.f1());
}

/// ShellCheck findings of `berth check` (the built binary) against hadolint's
/// SC findings. Runs when a `shellcheck` binary is on PATH.
#[test]
fn shellcheck_findings_agree_with_hadolint() {
    let Some(root) = berth_tests::corpus("dockerfiles", "the differential test against hadolint") else { return };
    if std::process::Command::new("shellcheck").arg("--version").output().is_err() {
        println!("notice: no shellcheck on PATH; skipping the ShellCheck comparison");
        return;
    }
    let baseline = std::fs::read_to_string(root.join("baseline/hadolint.jsonl")).expect("baseline");
    let mut files = Vec::new();
    let mut hadolint_lines: Vec<(String, String, u64)> = Vec::new();
    for line in baseline.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["parse_error"].as_bool() == Some(true) {
            continue;
        }
        let file = v["file"].as_str().unwrap().to_string();
        for f in v["findings"].as_array().unwrap() {
            let code = f["code"].as_str().unwrap();
            if code.starts_with("SC") {
                hadolint_lines.push((file.clone(), code.to_string(), f["line"].as_u64().unwrap()));
            }
        }
        files.push(file);
    }
    let mut args: Vec<String> = ["check", "--format", "json", "--select", "shellcheck", "--failure-threshold", "none"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(files.iter().cloned());
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = berth_tests::run_in(&root, &arg_refs, None);
    let v = berth_tests::json(&out);
    // Map both sides to (file, code, instruction index).
    let mut parsed: BTreeMap<String, berth_rules::syntax::Dockerfile> = BTreeMap::new();
    let mut instruction = |file: &str, line1: u64| -> Option<usize> {
        let d = parsed.entry(file.to_string()).or_insert_with(|| {
            let bytes = std::fs::read(root.join(file)).unwrap();
            berth_rules::syntax::Dockerfile::parse(&engine::decode(&bytes).0)
        });
        let at = d.lines.line_start((line1 as usize).saturating_sub(1));
        d.instructions.iter().position(|i| d.lines.line_start(d.lines.line_of(i.span.start)) <= at && at <= i.span.end)
    };
    let mut berth: BTreeSet<Key> = BTreeSet::new();
    for d in v["diagnostics"].as_array().unwrap() {
        let file = d["file"].as_str().unwrap();
        if let Some(i) = instruction(file, d["range"]["start"]["line"].as_u64().unwrap()) {
            berth.insert((file.to_string(), d["code"].as_str().unwrap().to_string(), i));
        }
    }
    let mut hadolint: BTreeSet<Key> = BTreeSet::new();
    for (file, code, line) in hadolint_lines {
        if let Some(i) = instruction(&file, line) {
            hadolint.insert((file, code, i));
        }
    }
    // Each difference either has a documented cause (corpus/DIFFERENCES.md) or is unexplained.
    let hadolint_runs: BTreeSet<(String, usize)> = hadolint.iter().map(|k| (k.0.clone(), k.2)).collect();
    let show = std::env::var("BERTH_DIFF_SHOW").ok();
    let mut s = Score::default();
    let mut adjusted = Score::default();
    let mut causes: BTreeMap<&str, usize> = BTreeMap::new();
    for k in berth.union(&hadolint) {
        let (b, h) = (berth.contains(k), hadolint.contains(k));
        match (b, h) {
            (true, true) => {
                s.both += 1;
                adjusted.both += 1;
                continue;
            }
            (true, false) => s.only_berth += 1,
            _ => s.only_hadolint += 1,
        }
        let cause = if b && hadolint_runs.contains(&(k.0.clone(), k.2)) {
            Some("hadolint keeps one ShellCheck finding per RUN")
        } else {
            shellcheck_difference_cause(&parsed[&k.0], k.2, b)
        };
        *causes.entry(cause.unwrap_or("unexplained")).or_default() += 1;
        if cause.is_none() {
            if b { adjusted.only_berth += 1 } else { adjusted.only_hadolint += 1 }
        }
        if show.as_deref() == Some(k.1.as_str()) || (show.as_deref() == Some("unexplained") && cause.is_none()) {
            let who = if b { "berth only   " } else { "hadolint only" };
            println!("{who} {} {} instruction {} ({})", k.1, k.0, k.2, cause.unwrap_or("unexplained"));
        }
    }
    println!(
        "shellcheck: both {} berth only {} hadolint only {} F1 {:.3}",
        s.both,
        s.only_berth,
        s.only_hadolint,
        s.f1()
    );
    println!("shellcheck differences by cause: {causes:#?}");
    println!("shellcheck without documented differences: F1 {:.3}", adjusted.f1());
    assert!(adjusted.f1() >= 0.95, "ShellCheck F1 without documented differences is {:.3}", adjusted.f1());
}

/// Why berth and hadolint differ on ShellCheck findings for one RUN, when the
/// cause is one of the deliberate differences in corpus/DIFFERENCES.md.
fn shellcheck_difference_cause(
    file: &berth_rules::syntax::Dockerfile,
    at: usize,
    berth_only: bool,
) -> Option<&'static str> {
    let model = berth_rules::model::Model::build(file);
    let inst = file.instructions.get(at)?;
    if !berth_rules::model::is_posix_shell(&model.info[at].shell) && !berth_only {
        return Some("non-POSIX SHELL: hadolint runs ShellCheck on PowerShell/cmd scripts");
    }
    if !inst.effective().heredocs.is_empty() {
        return Some("heredoc: hadolint does not check heredoc scripts");
    }
    let comment_inside = file
        .comments
        .iter()
        .any(|c| c.inside_instruction && inst.span.start < c.span.start && c.span.end <= inst.span.end);
    if comment_inside {
        return Some("comment line inside a continued RUN: hadolint's script ends at it");
    }
    None
}

/// Why berth and hadolint differ on a DL finding, when it is one of the
/// deliberate differences in corpus/DIFFERENCES.md.
fn dl_difference_cause(
    file: &berth_rules::syntax::Dockerfile,
    code: &str,
    at: usize,
    berth_only: bool,
) -> Option<&'static str> {
    use berth_rules::syntax::Keyword;
    let inst = file.instructions.get(at)?;
    let text = file.slice(inst.span);
    let model = berth_rules::model::Model::build(file);
    let final_stage = model.stages.len().checked_sub(1);
    match code {
        "DL3066" | "DL3002" if !berth_only => {
            let last_user = file.instructions.iter().rposition(|i| i.keyword == Keyword::User);
            if model.info[at].stage != final_stage || last_user != Some(at) {
                return Some("USER rules look only at the final USER of the final stage");
            }
        }
        "DL3064" if !berth_only => return Some("secret names: whole words only, paths and user names are not secrets"),
        "DL3009" if text.contains("dist-clean") => return Some("apt-get dist-clean removes the lists"),
        "DL3009" if model.info[at].stage != final_stage => {
            return Some("DL3009 checks the stages whose layers ship: final, unreferenced (--target) and their bases");
        }
        "DL4006" if inst.heredocs.iter().any(|h| h.body.text.contains("pipefail")) => {
            return Some("the script sets pipefail itself");
        }
        "DL3025" if inst.keyword == Keyword::Healthcheck => return Some("HEALTHCHECK may use shell form"),
        "DL4003" if model.stages.is_empty() => return Some("a file without FROM has no stages"),
        "DL3013" if berth_only => return Some("pip called by its full path is recognised"),
        _ => {}
    }
    if text.contains('$') {
        return Some("variables are evaluated from ARG/ENV defaults");
    }
    None
}
