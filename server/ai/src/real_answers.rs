//! Validation against answers real models gave (issue 16). Each file of
//! `testdata/real-answers/` holds one raw answer of a model to a fix request
//! for a file of `bench/ai-cases/`, after a header of `#` lines: the model,
//! server and date, the file, the findings as numbered in the request
//! (`# finding N: CODE line L`), and what berth must do with each entry
//! (`# expect: CODE offered`, `# expect: CODE dropped [words of the reason]`,
//! `# expect: CODE unanswered`, `# expect: stray [words]`). The answer is
//! read and validated exactly as `berth check --ai` does.

use super::{Document, Kind, Settings, finish_fixes, prepare_fixes};
use berth_rules::engine::Diagnostic;
use berth_rules::text::LineIndex;
use std::path::{Path, PathBuf};

struct Case {
    name: String,
    file: PathBuf,
    findings: Vec<(usize, String, usize)>,
    expect: Vec<String>,
    answer: String,
}

fn read_case(path: &Path) -> Case {
    let text = std::fs::read_to_string(path).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut case = Case {
        name: path.file_name().unwrap().to_string_lossy().into_owned(),
        file: PathBuf::new(),
        findings: Vec::new(),
        expect: Vec::new(),
        answer: String::new(),
    };
    let mut answer = Vec::new();
    for line in text.lines() {
        if !answer.is_empty() || !line.starts_with('#') {
            answer.push(line);
            continue;
        }
        let line = line.trim_start_matches('#').trim();
        if let Some(f) = line.strip_prefix("file: ") {
            case.file = root.join(f.split_whitespace().next().unwrap());
        } else if let Some(f) = line.strip_prefix("finding ") {
            // `N: CODE line L`
            let (n, rest) = f.split_once(": ").unwrap();
            let words: Vec<&str> = rest.split_whitespace().collect();
            case.findings.push((n.parse().unwrap(), words[0].to_string(), words[2].parse().unwrap()));
        } else if let Some(e) = line.strip_prefix("expect: ") {
            // Words in parentheses are a comment.
            case.expect.push(e.split(" (").next().unwrap().trim().to_string());
        }
    }
    case.answer = answer.join("\n");
    case
}

fn document(file: &Path) -> Document {
    let text = std::fs::read_to_string(file).unwrap();
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let kind = if name.ends_with(".yaml") || name.ends_with(".yml") { Kind::Compose } else { Kind::Dockerfile };
    Document {
        name,
        kind,
        text,
        selection: berth_rules::engine::Selection::default(),
        settings: berth_rules::engine::Settings::default(),
        context: berth_workspace::lint::Context::alone(),
    }
}

#[test]
fn real_model_answers_are_validated_as_recorded() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/testdata/real-answers");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    assert!(paths.len() >= 7, "{paths:?}");
    let mut failures = Vec::new();
    for path in &paths {
        let case = read_case(path);
        let doc = document(&case.file);
        let lines = LineIndex::new(&doc.text);
        let found = super::validate::lint(&doc, &doc.text).diagnostics;
        let targets: Vec<Diagnostic> = case
            .findings
            .iter()
            .map(|(_, code, line)| {
                found
                    .iter()
                    .find(|d| d.code == code && lines.line_of(d.span.start) + 1 == *line)
                    .unwrap_or_else(|| panic!("{}: no {code} on line {line}", case.name))
                    .clone()
            })
            .collect();
        assert!(case.findings.iter().enumerate().all(|(i, (n, _, _))| *n == i + 1), "{}", case.name);
        let prepared = prepare_fixes(&Settings::default(), &doc, &targets, None).unwrap();
        let batch = finish_fixes(&prepared, &doc, &targets, &case.answer).unwrap();
        let mut checked = vec![false; targets.len()];
        for e in &case.expect {
            let (head, words) = e.split_once(' ').unwrap_or((e, ""));
            if head == "stray" {
                if !batch.stray.iter().any(|s| s.contains(words)) {
                    failures.push(format!("{}: no stray entry `{words}`: {:?}", case.name, batch.stray));
                }
                continue;
            }
            let i = targets.iter().position(|t| t.code == head).unwrap_or_else(|| panic!("{}: {head}", case.name));
            checked[i] = true;
            let o = &batch.outcomes[i];
            let (verdict, why) = words.split_once(' ').unwrap_or((words, ""));
            let ok = match verdict {
                "offered" => o.suggestions.len() == 1,
                "dropped" => o.suggestions.is_empty() && o.dropped.iter().any(|d| d.reason.contains(why)),
                "unanswered" => o.unanswered,
                v => panic!("{}: unknown verdict {v}", case.name),
            };
            if !ok {
                failures.push(format!("{}: {head} expected {words}, got {o:?}", case.name));
            }
        }
        assert!(checked.iter().all(|c| *c), "{}: every finding has an expectation", case.name);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
