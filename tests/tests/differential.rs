//! Differential comparison with hadolint over the shared corpus
//! (`BERTH_CORPUS`; skipped with a notice when unset).
//!
//! Findings are matched by file, code and instruction: hadolint reports every
//! problem of a multi-line instruction on its first line, berth reports it
//! where it is, so a berth finding inside the instruction hadolint names is a
//! match. Several berth findings of one code in one instruction (one per
//! unpinned package, say) count once.
//!
//! Set `BERTH_DIFF_SHOW=DL3008` to print the differences for one code.

use berth_rules::engine::{self, Selection};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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

fn corpus() -> Option<PathBuf> {
    match std::env::var_os("BERTH_CORPUS") {
        Some(p) => Some(PathBuf::from(p)),
        None => {
            println!("notice: BERTH_CORPUS is not set; skipping the differential test against hadolint");
            None
        }
    }
}

/// Compare berth with hadolint's baseline; return the score per DL code that berth implements.
fn compare(root: &Path, show: Option<&str>) -> BTreeMap<String, Score> {
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
    for k in berth.union(&hadolint) {
        let s = scores.entry(k.1.clone()).or_default();
        match (berth.contains(k), hadolint.contains(k)) {
            (true, true) => s.both += 1,
            (true, false) => s.only_berth += 1,
            _ => s.only_hadolint += 1,
        }
        if show == Some(k.1.as_str()) && !(berth.contains(k) && hadolint.contains(k)) {
            let who = if berth.contains(k) { "berth only   " } else { "hadolint only" };
            println!("{who} {} {}", k.0, where_[k]);
        }
    }
    scores
}

#[test]
fn berth_agrees_with_hadolint_on_the_corpus() {
    let Some(root) = corpus() else { return };
    let show = std::env::var("BERTH_DIFF_SHOW").ok();
    let scores = compare(&root, show.as_deref());
    let mut total = Score::default();
    println!("{:<8} {:>6} {:>11} {:>13} {:>6}", "code", "both", "berth only", "hadolint only", "F1");
    for (code, s) in &scores {
        println!("{code:<8} {:>6} {:>11} {:>13} {:>6.3}", s.both, s.only_berth, s.only_hadolint, s.f1());
        total.both += s.both;
        total.only_berth += s.only_berth;
        total.only_hadolint += s.only_hadolint;
    }
    println!("{:<8} {:>6} {:>11} {:>13} {:>6.3}", "all", total.both, total.only_berth, total.only_hadolint, total.f1());
    assert!(total.f1() >= 0.95, "overall F1 {:.3} is below 0.95", total.f1());
}
