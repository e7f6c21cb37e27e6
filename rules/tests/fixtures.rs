//! Snapshot tests over `corpus/rules/<CODE>.Dockerfile`.
//!
//! Every rule has a fixture with cases that must fire and cases that must not.
//! An instruction that must fire is preceded by a comment `# expect: CODE`;
//! every other instruction must not fire. The rendered findings and the text
//! after applying the rule's fixes are compared with `<CODE>.snap` next to the
//! fixture; run with `BERTH_BLESS=1` to write the snapshots after reviewing.
//!
//! Compose rules (`BC####`) use `<CODE>.compose.yaml` and `<CODE>.compose.snap`:
//! a `# expect: CODE` comment line applies to the next line that is neither
//! blank nor a comment, and a finding matches it when it starts on that line.
//! A folder `<CODE>.project/` beside such a fixture holds the files around it
//! (`.env`, Dockerfiles, included files): the fixture is then linted as the
//! `compose.yaml` of that folder.

use berth_rules::engine::{self, Inputs, Safety, Selection, Settings, fix};
use berth_rules::syntax::Dockerfile;
use berth_rules::text::LineIndex;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/rules")
}

fn render(text: &str, diags: &[berth_rules::Diagnostic]) -> String {
    let idx = LineIndex::new(text);
    let mut s = String::new();
    for d in diags {
        let a = idx.char_pos(text, d.span.start);
        let b = idx.char_pos(text, d.span.end);
        s += &format!(
            "{}:{}-{}:{} {} {} [{}] {}\n",
            a.line + 1,
            a.col + 1,
            b.line + 1,
            b.col + 1,
            d.code,
            d.name,
            d.severity.as_str(),
            d.message
        );
        if let Some(f) = &d.fix {
            s += &format!("    fix ({}): {}\n", f.safety.as_str(), f.title);
        }
        for r in &d.related {
            let p = idx.char_pos(text, r.span.start);
            s += &format!("    related {}:{}: {}\n", p.line + 1, p.col + 1, r.message);
        }
    }
    s
}

/// (instruction index, code) pairs announced by `# expect: CODE` comments.
fn expectations(file: &Dockerfile) -> BTreeSet<(Option<usize>, String)> {
    let mut out = BTreeSet::new();
    for c in file.comments.iter().filter(|c| !c.inside_instruction) {
        let (file_level, rest) = if let Some(r) = c.text.strip_prefix("expect-file:") {
            (true, r)
        } else if let Some(r) = c.text.strip_prefix("expect:") {
            (false, r)
        } else {
            continue;
        };
        let target = if file_level { None } else { file.instructions.iter().position(|i| i.span.start > c.span.start) };
        for code in rest.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            out.insert((target, code.to_string()));
        }
    }
    out
}

fn found(file: &Dockerfile, diags: &[berth_rules::Diagnostic]) -> BTreeSet<(Option<usize>, String)> {
    diags
        .iter()
        .map(|d| {
            let at = file.instructions.iter().position(|i| i.span.start <= d.span.start && d.span.start <= i.span.end);
            (at, d.code.to_string())
        })
        .collect()
}

#[test]
fn every_rule_has_a_fixture_that_matches_its_snapshot() {
    let bless = std::env::var_os("BERTH_BLESS").is_some();
    let mut failures = Vec::new();
    let mut metas = berth_rules::rules::metas();
    metas.retain(|m| m.code != "BD0001");
    let syntax = corpus_dir().join("BD0001.Dockerfile");
    let mut cases: Vec<(String, PathBuf)> = metas
        .iter()
        .map(|m| {
            let ext = if is_compose(m.code) { "compose.yaml" } else { "Dockerfile" };
            (m.code.to_string(), corpus_dir().join(format!("{}.{ext}", m.code)))
        })
        .collect();
    cases.push(("BD0001".into(), syntax));
    // BERTH_FIXTURES=DL3008,DL3009 limits the run (and blessing) to those codes.
    let only: Option<Vec<String>> =
        std::env::var("BERTH_FIXTURES").ok().map(|v| v.split(',').map(|c| c.trim().to_string()).collect());
    for (code, path) in cases {
        if only.as_ref().is_some_and(|o| !o.contains(&code)) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            failures.push(format!("{code}: fixture {} is missing", path.display()));
            continue;
        };
        let selection = Selection::only(&[&code]);
        if is_compose(&code) {
            compose_case(&code, &path, &text, &selection, bless, &mut failures);
            continue;
        }
        // Optional neighbours: `<CODE>.settings` (key = value lines) and `<CODE>.dockerignore`.
        let mut inputs = Inputs::default();
        if let Ok(s) = std::fs::read_to_string(path.with_extension("settings")) {
            inputs.settings = Settings::from_lines(&s).unwrap_or_else(|e| panic!("{code}.settings: {e}"));
        }
        inputs.dockerignore = std::fs::read_to_string(path.with_extension("dockerignore")).ok();
        // `<CODE>.registry`: what a registry answered (`--online`), as `image REF key=value` lines.
        if let Ok(s) = std::fs::read_to_string(path.with_extension("registry")) {
            let facts = engine::registry::RegistryFacts::from_lines(&s);
            inputs.settings.registry = Some(facts.unwrap_or_else(|e| panic!("{code}.registry: {e}")));
        }
        let result = engine::lint_with(&text, &selection, &inputs);
        let diags: Vec<_> = result.diagnostics.iter().filter(|d| d.code == code).cloned().collect();
        if diags.is_empty() {
            failures.push(format!("{code}: the fixture never fires"));
        }
        check_fix_availability(&code, &diags, &mut failures);
        let want = expectations(&result.file);
        let got = found(&result.file, &diags);
        if want != got {
            let missing: Vec<_> = want.difference(&got).collect();
            let extra: Vec<_> = got.difference(&want).collect();
            failures.push(format!(
                "{code}: expected but not found {missing:?}; found but not expected {extra:?} (instruction indices)"
            ));
        }

        // Fixes: apply them all, check the result, and record it.
        let mut snap = format!("# {code}: findings on {code}.Dockerfile, then the text after its fixes\n");
        snap += &render(&text, &diags);
        let fixes: Vec<_> = diags.iter().filter_map(|d| d.fix.as_ref()).collect();
        // A safe fix, applied alone, never changes how the file splits into instructions.
        for f in fixes.iter().filter(|f| f.safety == Safety::Safe) {
            if let Some(change) = fix::split_change(&result.file, f) {
                failures.push(format!("{code}: safe fix {change}"));
            }
        }
        if !fixes.is_empty() {
            let fixed = engine::fix_all_with(&text, &selection, Safety::Unsafe, &inputs);
            if Dockerfile::parse(&fixed.text).errors.len() > result.file.errors.len() {
                failures.push(format!("{code}: the fixed text has new syntax errors"));
            }
            let again = engine::fix_all_with(&fixed.text, &selection, Safety::Unsafe, &inputs);
            if again.text != fixed.text {
                failures.push(format!("{code}: fixing is not idempotent"));
            }
            if fixed.remaining.iter().any(|d| d.code == code && d.fix.is_some()) {
                failures.push(format!("{code}: a fixable finding remains after fixing"));
            }
            let (_, n) = fix::apply(&text, &fixes);
            assert!(n > 0);
            snap += &format!("--- after fixes ({} applied) ---\n{}", fixed.applied, fixed.text);
        }
        check_snapshot(&code, &path, &snap, bless, &mut failures);
    }
    assert!(failures.is_empty(), "{} problem(s):\n{}", failures.len(), failures.join("\n"));
}

/// A rule's declared fix availability matches what its fixture shows: `no`
/// offers no fix, `yes` a fix on every finding, `sometimes` a fix on at least
/// one finding.
fn check_fix_availability(code: &str, diags: &[berth_rules::Diagnostic], failures: &mut Vec<String>) {
    let Some(meta) = berth_rules::rules::by_code(code) else { return };
    let with = diags.iter().filter(|d| d.fix.is_some()).count();
    let ok = match meta.fix {
        berth_rules::engine::FixAvailability::None => with == 0,
        berth_rules::engine::FixAvailability::Always => with == diags.len(),
        berth_rules::engine::FixAvailability::Sometimes => with > 0,
    };
    if !ok && !diags.is_empty() {
        failures.push(format!(
            "{code}: declares fix `{}` but {with} of its {} fixture findings have a fix",
            meta.fix.as_str(),
            diags.len()
        ));
    }
}

/// Compare `snap` with `<fixture>.snap` (or write it when blessing).
fn check_snapshot(code: &str, path: &Path, snap: &str, bless: bool, failures: &mut Vec<String>) {
    let snap_path = path.with_extension("snap");
    if bless {
        std::fs::write(&snap_path, snap).unwrap();
        return;
    }
    match std::fs::read_to_string(&snap_path) {
        Ok(old) if old == snap => {}
        Ok(old) => failures.push(format!(
            "{code}: snapshot differs\n--- expected ({})\n{old}\n--- actual\n{snap}",
            snap_path.display()
        )),
        Err(_) => failures.push(format!("{code}: snapshot {} missing (run with BERTH_BLESS=1)", snap_path.display())),
    }
}

fn is_compose(code: &str) -> bool {
    code.starts_with("BC")
}

/// (line, code) pairs announced by `# expect: CODE` comment lines of a YAML fixture.
fn compose_expectations(text: &str) -> BTreeSet<(Option<usize>, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = BTreeSet::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let (file_level, rest) = if let Some(r) = t.strip_prefix("# expect-file:") {
            (true, r)
        } else if let Some(r) = t.strip_prefix("# expect:") {
            (false, r)
        } else {
            continue;
        };
        let target = if file_level {
            None
        } else {
            (i + 1..lines.len()).find(|&j| !lines[j].trim().is_empty() && !lines[j].trim_start().starts_with('#'))
        };
        for code in rest.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            out.insert((target, code.to_string()));
        }
    }
    out
}

/// The files around a Compose fixture: the folder `<CODE>.project/` beside it
/// (`.env`, Dockerfiles, included files...), read as `berth check` reads a
/// project folder, with the fixture as its `compose.yaml`. Without the folder the
/// fixture is linted alone.
fn compose_inputs(code: &str, text: &str) -> engine::ComposeInputs {
    use berth_rules::compose::project::{Found, Want};
    let dir = corpus_dir().join(format!("{code}.project"));
    if !dir.is_dir() {
        return engine::ComposeInputs::default();
    }
    engine::ComposeInputs::gather("compose.yaml", text, &mut |r| {
        let p = dir.join(&r.path);
        match std::fs::metadata(&p) {
            Err(_) => Found::Missing,
            Ok(m) if m.is_dir() => Found::Dir,
            Ok(_) => Found::File(if r.want == Want::Text { std::fs::read_to_string(&p).ok() } else { None }),
        }
    })
}

fn compose_case(code: &str, path: &Path, text: &str, selection: &Selection, bless: bool, failures: &mut Vec<String>) {
    let inputs = compose_inputs(code, text);
    // Optional `<CODE>.compose.settings` (key = value lines, as for Dockerfiles).
    let settings = std::fs::read_to_string(path.with_extension("settings"))
        .map(|s| Settings::from_lines(&s).unwrap_or_else(|e| panic!("{code}.compose.settings: {e}")))
        .unwrap_or_default();
    // `<CODE>.compose.registry`: what a registry answered (`--online`), as for Dockerfiles.
    let mut settings = settings;
    if let Ok(s) = std::fs::read_to_string(path.with_extension("registry")) {
        let facts = engine::registry::RegistryFacts::from_lines(&s);
        settings.registry = Some(facts.unwrap_or_else(|e| panic!("{code}.compose.registry: {e}")));
    }
    let result = engine::lint_compose_with_settings(text, selection, &inputs, &settings);
    let diags: Vec<_> = result.diagnostics.iter().filter(|d| d.code == code).cloned().collect();
    if diags.is_empty() {
        failures.push(format!("{code}: the fixture never fires"));
    }
    check_fix_availability(code, &diags, failures);
    let idx = LineIndex::new(text);
    let want = compose_expectations(text);
    let got: BTreeSet<_> = diags.iter().map(|d| (Some(idx.line_of(d.span.start)), d.code.to_string())).collect();
    if want != got {
        let missing: Vec<_> = want.difference(&got).collect();
        let extra: Vec<_> = got.difference(&want).collect();
        failures.push(format!(
            "{code}: expected but not found {missing:?}; found but not expected {extra:?} (0-based lines)"
        ));
    }
    let mut snap = format!("# {code}: findings on {code}.compose.yaml, then the text after its fixes\n");
    snap += &render(text, &diags);
    let fixes: Vec<_> = diags.iter().filter_map(|d| d.fix.as_ref()).collect();
    // A safe fix, applied alone, keeps the YAML structure outside its edits.
    if let Some(file) = &result.file {
        for f in fixes.iter().filter(|f| f.safety == Safety::Safe) {
            if let Some(change) = fix::yaml_structure_change(file, f) {
                failures.push(format!("{code}: safe fix {change}"));
            }
        }
    }
    if !fixes.is_empty() {
        // Fixed with the fixture's settings (and registry facts), as `berth fix` does.
        let fix_all = |t: &str| {
            fix::repeat(
                t,
                Safety::Unsafe,
                |t| {
                    let r = engine::lint_compose_with_settings(t, selection, &inputs, &settings);
                    (r.diagnostics, r.file.is_some())
                },
                |parsed, next| *parsed && berth_rules::compose::ComposeFile::parse(next).is_err(),
            )
        };
        let fixed = fix_all(text);
        if result.file.is_some() && berth_rules::compose::ComposeFile::parse(&fixed.text).is_err() {
            failures.push(format!("{code}: the fixed text is not valid YAML"));
        }
        let again = fix_all(&fixed.text);
        if again.text != fixed.text {
            failures.push(format!("{code}: fixing is not idempotent"));
        }
        if fixed.remaining.iter().any(|d| d.code == code && d.fix.is_some()) {
            failures.push(format!("{code}: a fixable finding remains after fixing"));
        }
        snap += &format!("--- after fixes ({} applied) ---\n{}", fixed.applied, fixed.text);
    }
    check_snapshot(code, path, &snap, bless, failures);
}

#[test]
fn every_rule_documents_itself() {
    for m in berth_rules::rules::metas() {
        for section in ["## What it checks", "## Why it matters", "## Example", "## References"] {
            assert!(m.docs.contains(section), "{} lacks `{section}`", m.code);
        }
        assert!(
            m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
            "{} name not kebab-case",
            m.code
        );
    }
    let mut codes: Vec<_> = berth_rules::rules::metas().iter().map(|m| m.code).collect();
    let n = codes.len();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), n, "duplicate rule codes");
}
