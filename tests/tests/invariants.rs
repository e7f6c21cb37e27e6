//! Corpus-wide invariants over `$BERTH_CORPUS` (skipped with a notice when it
//! is unset): for every real Dockerfile and Compose file, lint, apply all safe
//! fixes, lint again. Each safe fix of a Dockerfile, applied alone, keeps the
//! split into instructions (their count and keywords; see
//! `engine::fix::split_change`), and so does applying them all. The result
//! parses at least as well as the input, no
//! finding with a safe fix is left, and a second pass changes nothing. Then
//! a whole `berth check` run over the corpus stays under a memory ceiling.

use berth_rules::compose::ComposeFile;
use berth_rules::engine::{self, Safety, Selection};
use berth_rules::syntax::Dockerfile;
use berth_tests::{berth_bin, corpus, files_under};
use std::process::{Command, Stdio};

fn all_rules() -> Selection {
    Selection { include_off_by_default: true, ..Selection::default() }
}

#[test]
fn safe_fixes_over_the_corpus_converge_and_keep_files_readable() {
    let Some(root) = corpus("dockerfiles", "the corpus fix invariants") else { return };
    let sel = all_rules();
    let mut problems = Vec::new();
    let (mut files, mut fixed, mut applied) = (0, 0, 0);
    let (mut safe_checked, mut safe_split_changes, mut safe_yaml_changes) = (0, 0, 0);
    for path in files_under(&root.join("dockerfiles")) {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let (text, _) = engine::decode(&bytes);
        files += 1;
        let parsed = Dockerfile::parse(&text);
        let before = parsed.errors.len();
        // Each safe fix, applied alone, keeps the split into instructions.
        for d in engine::lint_parsed(&parsed, &sel) {
            if let Some(f) = d.fix.as_ref().filter(|f| f.safety == Safety::Safe)
                && let Some(change) = engine::fix::split_change(&parsed, f)
            {
                problems.push(format!("{}: {} ({})", path.display(), change, d.code));
                safe_split_changes += 1;
            }
            safe_checked += usize::from(d.fix.as_ref().is_some_and(|f| f.safety == Safety::Safe));
        }
        let once = engine::fix_all(&text, &sel, Safety::Safe);
        if once.text != text {
            fixed += 1;
            applied += once.applied;
        }
        let fixed_file = Dockerfile::parse(&once.text);
        if fixed_file.instructions.len() != parsed.instructions.len() {
            problems.push(format!(
                "{}: safe fixes changed the instruction count ({} -> {})",
                path.display(),
                parsed.instructions.len(),
                fixed_file.instructions.len()
            ));
        }
        let after = fixed_file.errors.len();
        if after > before {
            problems.push(format!("{}: fixing added syntax errors ({before} -> {after})", path.display()));
        }
        let left: Vec<_> = once
            .remaining
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.safety == Safety::Safe))
            .map(|d| d.code)
            .collect();
        if !left.is_empty() {
            problems.push(format!("{}: safe fixes still offered after fixing: {left:?}", path.display()));
        }
        let twice = engine::fix_all(&once.text, &sel, Safety::Safe);
        if twice.text != once.text {
            problems.push(format!("{}: a second fix pass changed the text", path.display()));
        }
    }
    for path in files_under(&root.join("compose")) {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let (text, _) = engine::decode(&bytes);
        files += 1;
        let linted = engine::lint_compose(&text, &sel);
        let parsed = linted.file.is_some();
        // Each safe fix, applied alone, keeps the YAML structure outside its edits.
        if let Some(file) = &linted.file {
            for d in &linted.diagnostics {
                let Some(f) = d.fix.as_ref().filter(|f| f.safety == Safety::Safe) else { continue };
                safe_checked += 1;
                if let Some(change) = engine::fix::yaml_structure_change(file, f) {
                    problems.push(format!("{}: {} ({})", path.display(), change, d.code));
                    safe_yaml_changes += 1;
                }
            }
        }
        let once = engine::fix_all_compose(&text, &sel, Safety::Safe);
        if once.text != text {
            fixed += 1;
            applied += once.applied;
        }
        if parsed && ComposeFile::parse(&once.text).is_err() {
            problems.push(format!("{}: fixing made the YAML unreadable", path.display()));
        }
        let left: Vec<_> = once
            .remaining
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.safety == Safety::Safe))
            .map(|d| d.code)
            .collect();
        if !left.is_empty() {
            problems.push(format!("{}: safe fixes still offered after fixing: {left:?}", path.display()));
        }
        let twice = engine::fix_all_compose(&once.text, &sel, Safety::Safe);
        if twice.text != once.text {
            problems.push(format!("{}: a second fix pass changed the text", path.display()));
        }
    }
    println!("{files} files, {fixed} changed by safe fixes, {applied} fixes applied");
    println!(
        "{safe_checked} safe fixes checked one by one, {safe_split_changes} changed the split into instructions, {safe_yaml_changes} the YAML structure outside their edits"
    );
    assert!(files > 600, "the corpus looks incomplete: {files} files");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// Peak resident memory (KiB) of a child, read from /proc while it runs.
fn peak_rss_kib(cmd: &mut Command) -> Option<u64> {
    let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().ok()?;
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status)
            && let Some(kb) = s.lines().find_map(|l| l.strip_prefix("VmHWM:"))
        {
            peak = peak.max(kb.trim().trim_end_matches("kB").trim().parse().unwrap_or(0));
        }
        if child.try_wait().ok()?.is_some() {
            return Some(peak);
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// The README states the ceiling: a run over the whole corpus (about 720
/// files, all rules, several threads) stays under 128 MiB (measured: about 18 MiB).
#[test]
fn a_corpus_run_stays_under_the_memory_ceiling() {
    let Some(root) = corpus("dockerfiles", "the corpus memory ceiling") else { return };
    if !std::path::Path::new("/proc/self/status").exists() {
        println!("notice: no /proc; skipping the memory ceiling");
        return;
    }
    let mut cmd = Command::new(berth_bin());
    cmd.args(["check", "--no-shellcheck", "--format", "json"]).arg(&root);
    let kib = peak_rss_kib(&mut cmd).expect("berth ran");
    println!("peak RSS of `berth check` over the corpus: {:.1} MiB", kib as f64 / 1024.0);
    assert!(kib > 0, "could not read the peak RSS");
    assert!(kib < 128 * 1024, "peak RSS {kib} KiB is over the 128 MiB ceiling");
}
