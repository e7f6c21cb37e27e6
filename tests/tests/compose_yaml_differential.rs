//! Differential test of berth's YAML reading against a libyaml-family parser
//! (PyYAML's `yaml.safe_load_all`, with libyaml when built with it): every
//! Compose file that PyYAML loads must get no `BC0001` (and no error-level
//! `BC5010` for a later document) from berth.
//!
//! Inputs: every file of the shared corpus's `compose/` folder
//! (`BERTH_CORPUS`; skipped with a notice when unset), every Compose fixture
//! of `corpus/rules/`, and variants generated from them in the forms that
//! Compose (go-yaml, a libyaml port) accepts and strict YAML 1.2 readers
//! refuse: flow sequences spread over lines with the closing bracket at the
//! key's indentation or at column 0, comments inside flow collections, `#`
//! glued to `,` or a closing quote, block mappings rewritten as multi-line
//! flow mappings, TABs after `:`, TAB-indented items in flow sequences, and
//! double-quoted strings continued at column 0.
//! Skipped with a notice when `python3` with `yaml` is not available.
//!
//! Known, documented differences (corpus/DIFFERENCES.md, "Compose YAML
//! (go-yaml)") are left out of the assertion: a `%YAML 1.2` directive (libyaml
//! accepts it, go-yaml does not).

use berth_rules::engine::{Selection, lint_compose};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const PYYAML: &str = r#"
import json, sys, yaml
base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
class Loader(base):
    pass
# Local tags (`!reset`, `!override`) are compose-go's; they load as null here.
Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
out = []
for text in json.load(sys.stdin):
    try:
        list(yaml.load_all(text, Loader=Loader))
        out.append(None)
    except Exception as e:
        out.append(str(e).splitlines()[0] if str(e) else type(e).__name__)
json.dump(out, sys.stdout)
"#;

/// PyYAML's verdict on each text: `None` when it loads, else its error.
fn pyyaml(texts: &[String]) -> Option<Vec<Option<String>>> {
    let ok = Command::new("python3").args(["-c", "import yaml"]).stderr(Stdio::null()).status();
    if !ok.is_ok_and(|s| s.success()) {
        return None;
    }
    let mut child = Command::new("python3")
        .args(["-c", PYYAML])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let input = serde_json::to_vec(texts).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "the PyYAML helper failed");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    Some(v.as_array().unwrap().iter().map(|x| x.as_str().map(str::to_string)).collect())
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Split a flow sequence's inside at its commas (outside quotes).
fn split_items(inner: &str) -> Option<Vec<String>> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in inner.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                cur.push(c);
            }
            (Some(q), _) if c == q => {
                quote = None;
                cur.push(c);
            }
            (None, ',') => items.push(std::mem::take(&mut cur)),
            (None, '[' | ']' | '{' | '}' | '#') => return None,
            _ => cur.push(c),
        }
    }
    if quote.is_some() {
        return None;
    }
    items.push(cur);
    let items: Vec<String> = items.into_iter().map(|s| s.trim().to_string()).collect();
    if items.iter().any(|s| s.is_empty() || s.contains('\\')) { None } else { Some(items) }
}

/// How a one-line flow sequence is spread over lines.
#[derive(Clone, Copy)]
enum Spread {
    /// Items one level deeper than the key, `]` at the key's indentation.
    CloseAtKey,
    /// The same with comment lines inside (one at column 0).
    Comments,
    /// Items and `]` at column 0.
    Column0,
    /// Items indented with a TAB, `]` at the key's indentation.
    Tabs,
    /// `#` glued to the comma after the first item.
    GluedComment,
}

/// Rewrite every one-line flow sequence value `key: [a, b]` of `text`.
fn spread_flow_sequences(text: &str, how: Spread) -> Option<String> {
    let mut out = String::new();
    let mut changed = false;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let rewritten = (|| {
            let open = body.find(": [")?;
            let head = &body[..open + 2];
            if head.contains('#') || head.contains('"') || head.contains('\'') || !body.trim_end().ends_with(']') {
                return None;
            }
            let inner = &body.trim_end()[open + 3..body.trim_end().len() - 1];
            let items = split_items(inner)?;
            let mut key_col = indent_of(body);
            if body[key_col..].starts_with("- ") {
                key_col += 2;
            }
            let pad = " ".repeat(key_col + 4);
            let close = " ".repeat(key_col);
            let mut s = format!("{head}[\n");
            let n = items.len();
            for (i, it) in items.iter().enumerate() {
                let comma = if i + 1 < n { "," } else { "" };
                match how {
                    Spread::CloseAtKey => s += &format!("{pad}{it}{comma}\n"),
                    Spread::Comments => {
                        s += &format!("{pad}# item {i}\n{pad}{it}{comma}\n");
                        if i == 0 {
                            s += "# a comment at column 0\n";
                        }
                    }
                    Spread::Column0 => s += &format!("{it}{comma}\n"),
                    Spread::Tabs => s += &format!("\t{it}{comma}\n"),
                    Spread::GluedComment => {
                        s += &format!("{pad}{it}{comma}{}\n", if i + 1 < n { "# glued" } else { "" })
                    }
                }
            }
            s += match how {
                Spread::Column0 => "]".to_string(),
                _ => format!("{close}]"),
            }
            .as_str();
            s += &line[body.len()..];
            Some(s)
        })();
        match rewritten {
            Some(s) => {
                out += &s;
                changed = true;
            }
            None => out += line,
        }
    }
    changed.then_some(out)
}

/// Rewrite block mappings whose entries are all one-line `key: value` pairs as
/// multi-line flow mappings with the closing `}` at the parent key's indentation.
fn block_to_flow_mappings(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = Vec::new();
    let mut changed = false;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let t = l.trim_end();
        let parent = !t.trim_start().starts_with('#')
            && !t.trim_start().starts_with("- ")
            && t.ends_with(':')
            && !t.contains('"')
            && !t.contains('\'')
            && !t.contains('#');
        if parent {
            let ind = indent_of(l);
            let mut j = i + 1;
            let mut entries = Vec::new();
            while j < lines.len() && !lines[j].trim().is_empty() && indent_of(lines[j]) > ind {
                entries.push(lines[j].trim_end());
                j += 1;
            }
            let child = entries.first().map(|e| indent_of(e));
            let simple = !entries.is_empty()
                && entries.iter().all(|e| {
                    let s = e.trim_start();
                    Some(indent_of(e)) == child
                        && !s.starts_with('-')
                        && !s.starts_with('#')
                        && !s.contains(" #")
                        && s.split_once(": ")
                            .is_some_and(|(_, v)| !v.trim().is_empty() && !v.starts_with(['|', '>', '&', '*', '!']))
                });
            if simple {
                out.push(format!("{t} {{"));
                let n = entries.len();
                for (k, e) in entries.iter().enumerate() {
                    out.push(format!("{e}{}", if k + 1 < n { "," } else { "" }));
                }
                out.push(format!("{}}}", " ".repeat(ind)));
                changed = true;
                i = j;
                continue;
            }
        }
        out.push(l.to_string());
        i += 1;
    }
    changed.then(|| out.join("\n"))
}

/// `key: value` → `key:<TAB>value` where the value is a plain word.
fn tab_after_colon(text: &str) -> Option<String> {
    let mut changed = false;
    let out: String = text
        .split_inclusive('\n')
        .map(|line| {
            let Some(at) = line.find(": ") else { return line.to_string() };
            let (head, rest) = (&line[..at], &line[at + 2..]);
            let word = rest.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
            if word && !head.contains(['"', '\'', '#', '{', '[']) {
                changed = true;
                format!("{head}:\t{rest}")
            } else {
                line.to_string()
            }
        })
        .collect();
    changed.then_some(out)
}

/// A `#` comment glued to a closing quote at the end of a line.
fn glued_comment_after_quote(text: &str) -> Option<String> {
    let mut changed = false;
    let out: String = text
        .split_inclusive('\n')
        .map(|line| {
            let body = line.trim_end_matches(['\n', '\r']);
            if body.ends_with('"') && body.contains(": \"") && !body.contains('#') {
                changed = true;
                format!("{body}# note{}", &line[body.len()..])
            } else {
                line.to_string()
            }
        })
        .collect();
    changed.then_some(out)
}

/// A double-quoted value with a space, continued at column 0 after it.
fn quoted_continued_at_column_0(text: &str) -> Option<String> {
    let mut changed = false;
    let out: String = text
        .split_inclusive('\n')
        .map(|line| {
            let body = line.trim_end_matches(['\n', '\r']);
            let Some(open) = body.find(": \"") else { return line.to_string() };
            let value = &body[open + 3..];
            let simple = value.ends_with('"') && value.len() > 1 && !value[..value.len() - 1].contains(['"', '\\']);
            match value.find(' ') {
                Some(sp) if simple && indent_of(body) > 0 && sp + 1 < value.len() - 1 => {
                    changed = true;
                    format!("{}{}\n{}{}", &body[..open + 3], &value[..sp], &value[sp + 1..], &line[body.len()..])
                }
                _ => line.to_string(),
            }
        })
        .collect();
    changed.then_some(out)
}

fn variants(text: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (name, how) in [
        ("closing bracket at key indentation", Spread::CloseAtKey),
        ("comments inside flow sequences", Spread::Comments),
        ("flow items at column 0", Spread::Column0),
        ("TAB-indented flow items", Spread::Tabs),
        ("comment glued to a comma", Spread::GluedComment),
    ] {
        if let Some(v) = spread_flow_sequences(text, how) {
            out.push((name, v));
        }
    }
    if let Some(v) = block_to_flow_mappings(text) {
        out.push(("multi-line flow mappings", v));
    }
    if let Some(v) = tab_after_colon(text) {
        out.push(("TAB after `:`", v));
    }
    if let Some(v) = glued_comment_after_quote(text) {
        out.push(("comment glued to a quote", v));
    }
    if let Some(v) = quoted_continued_at_column_0(text) {
        out.push(("quoted string continued at column 0", v));
    }
    out
}

#[test]
fn files_that_pyyaml_loads_get_no_yaml_syntax_error() {
    let Some(root) = berth_tests::corpus("compose", "the YAML differential test against PyYAML") else { return };
    let mut bases: Vec<(String, String)> = Vec::new();
    for p in berth_tests::files_under(&root.join("compose")) {
        let bytes = std::fs::read(&p).unwrap();
        bases.push((p.display().to_string(), berth_rules::engine::decode(&bytes).0.to_string()));
    }
    let n_corpus = bases.len();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/rules");
    for e in std::fs::read_dir(&fixtures).unwrap() {
        let p = e.unwrap().path();
        if p.to_string_lossy().ends_with(".compose.yaml") {
            bases.push((p.display().to_string(), std::fs::read_to_string(&p).unwrap()));
        }
    }
    let n_fixtures = bases.len() - n_corpus;
    // (origin, kind, text)
    let mut inputs: Vec<(String, &'static str, String)> = Vec::new();
    for (path, text) in &bases {
        inputs.push((path.clone(), "as written", text.clone()));
        for (kind, v) in variants(text) {
            inputs.push((path.clone(), kind, v));
        }
    }
    let texts: Vec<String> = inputs.iter().map(|(_, _, t)| t.clone()).collect();
    let Some(verdicts) = pyyaml(&texts) else {
        println!(
            "notice: python3 with PyYAML (`pip install pyyaml`) is not available; skipping the YAML differential test"
        );
        return;
    };
    let sel = Selection::default();
    let (mut agree, mut loaded, mut only_berth_rejects, mut only_pyyaml_rejects, mut left_out) = (0, 0, 0, 0, 0);
    let mut by_kind: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    let mut failures = Vec::new();
    for ((path, kind, text), verdict) in inputs.iter().zip(&verdicts) {
        let r = lint_compose(text, &sel);
        let berth_error = r
            .diagnostics
            .iter()
            .find(|d| d.code == "BC0001" || (d.code == "BC5010" && d.severity == berth_rules::engine::Severity::Error));
        let e = by_kind.entry(kind).or_default();
        e.0 += 1;
        if verdict.is_none() {
            loaded += 1;
            e.1 += 1;
        }
        match (verdict, berth_error) {
            (None, None) | (Some(_), Some(_)) => agree += 1,
            (None, Some(d)) if text.lines().any(|l| l.starts_with("%YAML") && !l.starts_with("%YAML 1.1")) => {
                left_out += 1;
                let _ = d;
            }
            (None, Some(d)) => {
                only_berth_rejects += 1;
                let at = berth_rules::text::LineIndex::new(text).char_pos(text, d.span.start);
                failures.push(format!(
                    "{path} ({kind}): PyYAML loads it, berth says {} at {}:{}: {}",
                    d.code,
                    at.line + 1,
                    at.col + 1,
                    d.message
                ));
            }
            (Some(why), None) => {
                only_pyyaml_rejects += 1;
                println!("  PyYAML only rejects {path} ({kind}): {why}");
            }
        }
    }
    // `BERTH_YAML_DUMP=<dir>`: write the inputs that PyYAML loads there (to
    // measure another berth build on them).
    if let Some(dir) = std::env::var_os("BERTH_YAML_DUMP") {
        std::fs::create_dir_all(&dir).unwrap();
        for (i, ((_, kind, text), verdict)) in inputs.iter().zip(&verdicts).enumerate() {
            if verdict.is_none() {
                let name = format!("{i:04}-{}.compose.yaml", kind.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
                std::fs::write(Path::new(&dir).join(name), text).unwrap();
            }
        }
    }
    println!(
        "YAML differential: {n_corpus} corpus files + {n_fixtures} fixtures, {} generated variants; PyYAML loads {loaded} of {} inputs; berth agrees on {agree}; PyYAML-only rejections {only_pyyaml_rejects}; berth-only rejections {only_berth_rejects}; left out (documented) {left_out}",
        inputs.len() - bases.len(),
        inputs.len()
    );
    for (kind, (n, ok)) in &by_kind {
        println!("  {kind}: {n} inputs, {ok} loaded by PyYAML");
    }
    assert!(
        failures.is_empty(),
        "{} file(s) that PyYAML loads get a YAML error from berth:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The generated forms really were exercised.
    for kind in [
        "closing bracket at key indentation",
        "comments inside flow sequences",
        "multi-line flow mappings",
        "TAB after `:`",
    ] {
        assert!(by_kind.get(kind).is_some_and(|&(_, ok)| ok > 0), "no variant `{kind}` that PyYAML loads");
    }
}
