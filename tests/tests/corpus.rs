//! Differential and robustness test over the real-world corpus named by
//! `BERTH_CORPUS` (CI sets it to `../shared/corpus`). Skipped, with a notice,
//! when the variable is unset so that a plain clone still passes.

use berth_rules::engine::{self, Safety, Selection};
use berth_rules::syntax::Dockerfile;
use std::collections::HashMap;
use std::path::Path;

/// `file` -> whether hadolint failed to parse it, from `baseline/hadolint.jsonl`.
fn hadolint_parse_errors(root: &Path) -> HashMap<String, bool> {
    let text = std::fs::read_to_string(root.join("baseline/hadolint.jsonl")).expect("baseline/hadolint.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("baseline line is JSON");
            (v["file"].as_str().unwrap().to_string(), v["parse_error"].as_bool().unwrap())
        })
        .collect()
}

/// Files that hadolint parses but BuildKit's parser refuses (its
/// `parser/testfiles-negative/`): `CMD [ "echo", [ "nested json" ] ]` is a
/// JSON array with a non-string element (`line_parsers.go` `parseJSON`).
const BUILDKIT_REFUSES: &[&str] = &["testfiles-negative__shykes-nested-json__Dockerfile"];

#[test]
fn corpus_dockerfiles_lint_without_panics_or_false_syntax_errors() {
    let Some(root) = berth_tests::corpus("dockerfiles", "the real-world corpus test") else { return };
    let baseline = hadolint_parse_errors(&root);
    let files = berth_tests::files_under(&root.join("dockerfiles"));
    assert!(files.len() > 100, "corpus looks empty");
    let selection = Selection::default();
    let mut panics = Vec::new();
    let mut false_errors = Vec::new();
    let mut broken_by_fix = Vec::new();
    let mut findings = 0usize;
    let mut fixed_files = 0usize;
    let mut heredoc_files = 0usize;
    let mut not_idempotent = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(f).unwrap();
        let (text, _) = engine::decode(&bytes);
        let outcome = std::panic::catch_unwind(|| {
            let r = engine::lint(&text, &selection);
            let fixed = engine::fix_all(&text, &selection, Safety::Safe);
            (r.diagnostics, r.file.errors.len(), fixed)
        });
        let Ok((diags, syntax_errors, fixed)) = outcome else {
            panics.push(rel);
            continue;
        };
        findings += diags.len();
        // Files hadolint cannot parse because of heredocs must parse here.
        if baseline.get(&rel) == Some(&true) && text.contains("<<") {
            for d in diags.iter().filter(|d| d.code == "BD0001") {
                false_errors.push(format!("{rel} (a heredoc file hadolint fails on): {}", d.message));
            }
            heredoc_files += 1;
        }
        if BUILDKIT_REFUSES.iter().any(|f| rel.ends_with(f)) {
            // BuildKit's own negative parser test: the builder refuses it, so must berth.
            if !diags.iter().any(|d| d.code == "BD0001") {
                false_errors.push(format!("{rel}: BuildKit refuses this file, berth reports no syntax error"));
            }
        } else if baseline.get(&rel) == Some(&false) {
            for d in diags.iter().filter(|d| d.code == "BD0001") {
                false_errors.push(format!("{rel}: {} at byte {}", d.message, d.span.start));
            }
        }
        if Dockerfile::parse(&fixed.text).errors.len() > syntax_errors {
            broken_by_fix.push(rel.clone());
        }
        if fixed.applied > 0 {
            fixed_files += 1;
            // A second run finds nothing more to fix, and no safe fix is left behind.
            let again = engine::fix_all(&fixed.text, &selection, Safety::Safe);
            if again.text != fixed.text
                || fixed.remaining.iter().any(|d| d.fix.as_ref().is_some_and(|f| f.safety == Safety::Safe))
            {
                not_idempotent.push(rel);
            }
        }
    }
    println!(
        "corpus: {} Dockerfiles, {findings} findings, safe fixes applied to {fixed_files} files, {heredoc_files} heredoc files hadolint fails on",
        files.len()
    );
    assert!(heredoc_files >= 20, "expected the awesome-compose heredoc files in the corpus");
    assert!(panics.is_empty(), "panicked on: {panics:?}");
    assert!(false_errors.is_empty(), "syntax errors on files hadolint parses:\n{}", false_errors.join("\n"));
    assert!(broken_by_fix.is_empty(), "safe fixes broke: {broken_by_fix:?}");
    assert!(not_idempotent.is_empty(), "fixing again changed, or left safe fixes in: {not_idempotent:?}");
}
