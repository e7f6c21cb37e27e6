//! Differential comparison with dclint 3.1.0 over the shared corpus's Compose
//! files (`BERTH_CORPUS`; skipped with a notice when unset).
//!
//! The built `berth check --format json --select all` runs once over every
//! file of `compose/`; each berth code whose name or alias is a dclint rule
//! name is compared with dclint's findings in `baseline/dclint.jsonl`, by
//! file, rule and line. dclint reports column 1 and finds its lines with its
//! own locators (the line above a collection value, the first line of the
//! file containing a text, ...); each berth finding is placed on the line
//! dclint's locator gives for the same problem (`dclint_line`), so that the
//! comparison is about which problems are found. Findings are counted as
//! multisets (dclint puts every unbound port of a service on its `ports:`
//! line).
//!
//! Each difference either has a documented cause (corpus/DIFFERENCES.md,
//! section "Compose (dclint)") or counts against the rule's F1.
//! `BERTH_DIFF_SHOW=<dclint rule>` prints the differences of one rule,
//! `BERTH_DIFF_SHOW=unexplained` the unexplained ones, `all` every one.

use berth_rules::compose::{ComposeFile, Kind, Node, Style};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::process::Command;

/// The lowest F1 a rule may have once the documented differences are set aside.
const MIN_F1: f64 = 0.95;

#[derive(Default, Debug, Clone, Copy)]
struct Score {
    both: usize,
    only_berth: usize,
    only_dclint: usize,
}

impl Score {
    fn f1(&self) -> f64 {
        let d = 2 * self.both + self.only_berth + self.only_dclint;
        if d == 0 { 1.0 } else { 2.0 * self.both as f64 / d as f64 }
    }
    fn precision(&self) -> f64 {
        let d = self.both + self.only_berth;
        if d == 0 { 1.0 } else { self.both as f64 / d as f64 }
    }
    fn recall(&self) -> f64 {
        let d = self.both + self.only_dclint;
        if d == 0 { 1.0 } else { self.both as f64 / d as f64 }
    }
}

/// A finding of either tool, on dclint's line.
#[derive(Debug, Clone)]
struct Finding {
    file: String,
    rule: String,
    /// 1-based, where dclint would put it.
    line: usize,
    /// 1-based line and column where berth puts it (berth findings only).
    at: Option<(usize, usize)>,
    message: String,
}

/// One corpus file, parsed by berth's own loader (for the locators and the causes).
struct Source {
    text: String,
    lines: Vec<String>,
    file: Option<ComposeFile>,
}

impl Source {
    fn load(path: &Path) -> Source {
        let bytes = std::fs::read(path).unwrap();
        let (text, _) = berth_rules::engine::decode(&bytes);
        let text = text.to_string();
        let lines = text.split('\n').map(|l| l.trim_end_matches('\r').to_string()).collect();
        let file = ComposeFile::parse(&text).ok();
        Source { text, lines, file }
    }

    /// 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.file.as_ref().map_or(1, |f| f.lines.line_of(offset) + 1)
    }

    /// Byte offset of a 1-based line and column (characters).
    fn offset(&self, line: usize, col: usize) -> usize {
        let Some(f) = &self.file else { return 0 };
        f.lines.offset_of_char_pos(&self.text, berth_rules::text::LineCol { line: line - 1, col: col - 1 })
    }

    fn services(&self) -> &[(berth_rules::compose::Key, Node)] {
        self.file.as_ref().and_then(|f| f.raw.get("services")).map_or(&[], |s| s.entries())
    }

    /// The raw service (name, node) whose text holds `offset`.
    fn service_at(&self, offset: usize) -> Option<(&str, &Node)> {
        self.services().iter().rev().find(|(k, _)| k.span.start <= offset).map(|(k, v)| (k.text.as_str(), v))
    }

    fn service(&self, name: &str) -> Option<&Node> {
        self.services().iter().find(|(k, _)| k.text == name).map(|(_, v)| v)
    }

    /// dclint's `getLineNumber` for a node: a scalar's own line, the line
    /// above the first entry of a collection (its `yaml` library starts a
    /// block collection's range at the first entry, after any anchor or
    /// comment lines; an alias counts as a collection).
    fn node_line(&self, n: &Node) -> usize {
        let first = match &n.kind {
            Kind::Map(e) => e.first().map(|(k, _)| k.span.start),
            Kind::Seq(items) => items.first().map(|i| i.span.start),
            // An alias is not a scalar to dclint either.
            Kind::Alias(_) => None,
            _ => return self.line(n.span.start),
        };
        let flow = self.text.get(n.span.start..).is_some_and(|t| t.starts_with(['[', '{']));
        let start = if flow { n.span.start } else { first.unwrap_or(n.span.start) };
        self.line(start).saturating_sub(1).max(1)
    }

    /// dclint's locator for a key of a service (`findLineNumberForService`).
    fn key_line(&self, service: &Node, key: &str) -> Option<usize> {
        let (k, v) = service.entries().iter().rev().find(|(k, _)| k.text == key)?;
        // Empty values and block scalars (`|`, `>`) start on the key's line.
        let block = matches!(v.style(), Some(Style::Literal | Style::Folded));
        if block || (v.is_null() && !matches!(v.style(), Some(Style::DoubleQuoted | Style::SingleQuoted))) {
            return Some(self.line(k.span.start));
        }
        Some(self.node_line(v))
    }

    /// The first line matching `^\s*key:` anywhere in the file, as dclint's `findLineNumberByKey` does.
    fn first_key_line(&self, key: &str) -> usize {
        let want = format!("{}:", key.to_ascii_lowercase());
        self.lines.iter().position(|l| l.trim_start().to_ascii_lowercase().starts_with(&want)).map_or(1, |i| i + 1)
    }

    /// The first line containing `text` anywhere in the file (`findLineNumberByValue`).
    fn first_text_line(&self, text: &str) -> usize {
        self.lines.iter().position(|l| l.contains(text)).map_or(1, |i| i + 1)
    }

    /// The scalar written at `offset`, if any.
    fn scalar_at(&self, offset: usize) -> Option<&Node> {
        find_scalar(&self.file.as_ref()?.raw, offset)
    }
}

fn find_scalar(n: &Node, offset: usize) -> Option<&Node> {
    if n.span.start == offset && matches!(n.kind, Kind::Scalar { .. }) {
        return Some(n);
    }
    match &n.kind {
        Kind::Map(e) => e.iter().find_map(|(_, v)| find_scalar(v, offset)),
        Kind::Seq(items) => items.iter().find_map(|v| find_scalar(v, offset)),
        _ => None,
    }
}

/// The line dclint's locator gives for the problem berth reports at (line, col).
fn dclint_line(rule: &str, src: &Source, line: usize, col: usize, message: &str) -> usize {
    let at = src.offset(line, col);
    let service = src.service_at(at);
    let key_of_service = |key: &str| service.and_then(|(_, s)| src.key_line(s, key));
    let located = match rule {
        "no-duplicate-exported-ports" | "no-unbound-port-interfaces" | "service-ports-alphabetical-order" => {
            key_of_service("ports")
        }
        "service-dependencies-alphabetical-order" => key_of_service("depends_on"),
        "no-duplicate-container-names" | "service-container-name-regex" => key_of_service("container_name"),
        "service-image-require-explicit-tag" => key_of_service("image"),
        "no-build-and-image" => key_of_service("build"),
        "services-alphabetical-order" => service.map(|(_, s)| src.node_line(s)),
        "service-keys-order" => {
            let key = message.split('`').nth(1).unwrap_or("");
            key_of_service(key)
        }
        "require-project-name-field" => Some(1),
        "no-version-field" => Some(src.first_key_line("version")),
        "top-level-properties-order" => Some(src.first_key_line(message.split('`').nth(1).unwrap_or(""))),
        "no-quotes-in-volumes" => src.scalar_at(at).and_then(|n| n.str()).map(|v| src.first_text_line(v)),
        _ => None,
    };
    located.unwrap_or(line)
}

/// Why berth and dclint differ on one finding, when the difference is one of
/// the deliberate classes of corpus/DIFFERENCES.md.
fn cause(f: &Finding, berth_only: bool, src: &Source) -> Option<&'static str> {
    let rule = f.rule.as_str();
    if berth_only {
        let (line, col) = f.at?;
        let written = src.text.get(src.offset(line, col)..).unwrap_or("");
        if written.starts_with("<<") || written.starts_with('*') {
            return Some("anchors and merges: berth reports what an alias or `<<` brings into a service");
        }
        if rule == "service-image-require-explicit-tag" && f.message.contains("names no version") {
            return Some(
                "a tag without a digit (`alpine`, `main`) names no version: berth reports it, dclint's list does not",
            );
        }
        return None;
    }
    // dclint only.
    let quoted = |s: &str| s.split('"').nth(1).unwrap_or("").to_string();
    match rule {
        "require-quotes-in-ports" => {
            let l = src.lines.get(f.line - 1)?.trim_start();
            if l.starts_with("- \"") || l.contains("[\"") || l.contains(", \"") {
                return Some("double quotes: dclint's `quoteType` defaults to single; berth accepts both");
            }
        }
        "no-unbound-port-interfaces" => {
            // Service "x" is exporting port "IP:HOST:CONTAINER" without ...
            let port = f.message.split('"').nth(3).unwrap_or("");
            let parts: Vec<&str> = port.split(':').collect();
            if port.starts_with('$') && parts.len() >= 3 {
                return Some("host IP from a variable: `${HOST_IP}:80:80` names an interface (dclint #261)");
            }
        }
        "service-container-name-regex" if f.message.contains("\"${") || f.message.contains("${") => {
            return Some("container names built from variables are judged on their literal parts");
        }
        "service-image-require-explicit-tag" => {
            let service = src.service(&quoted(&f.message))?;
            if service.get("build").is_some() {
                return Some("the image of a service with `build` names the image built locally");
            }
            if f.message.split('"').nth(3).is_some_and(|i| i.starts_with('$')) {
                return Some("an image given wholly by a variable is unknown");
            }
        }
        "no-duplicate-exported-ports" => {
            let port = f.message.split('"').nth(3).unwrap_or("");
            let service = src.service(&quoted(&f.message))?;
            let container_only = service
                .get("ports")
                .is_some_and(|p| p.items().iter().any(|i| i.str().is_some_and(|t| t.split('/').next() == Some(port))));
            if container_only {
                return Some("a container port without a host port gets a free host port and never clashes");
            }
        }
        "service-keys-order" => {
            let key = quoted(&f.message.replace("Key ", ""));
            let service = src.service(f.message.split('"').nth(3).unwrap_or(""))?;
            let keys: Vec<&str> = service.entries().iter().map(|(k, _)| k.text.as_str()).collect();
            let i = keys.iter().position(|k| *k == key)?;
            if i > 0 && keys[i - 1] == "<<" {
                return Some("merge keys: dclint sorts `<<` among the other keys, berth leaves it where it is");
            }
        }
        "top-level-properties-order" => {
            let key = quoted(&f.message);
            if !key.starts_with("x-")
                && !["version", "name", "include", "services", "networks", "volumes", "secrets", "configs"]
                    .contains(&key.as_str())
            {
                return Some("top-level keys outside dclint's list (`models`, unknown keys) are not judged");
            }
        }
        _ => {}
    }
    None
}

/// The dclint rules (3.1.0) and the pre-check berth maps to `BC0001`.
const DCLINT_RULES: &[&str] = &[
    "no-build-and-image",
    "no-duplicate-container-names",
    "no-duplicate-exported-ports",
    "no-quotes-in-volumes",
    "no-unbound-port-interfaces",
    "no-version-field",
    "require-project-name-field",
    "require-quotes-in-ports",
    "service-container-name-regex",
    "service-dependencies-alphabetical-order",
    "service-image-require-explicit-tag",
    "service-keys-order",
    "service-ports-alphabetical-order",
    "services-alphabetical-order",
    "top-level-properties-order",
];

/// berth code -> dclint rule, by the rule's name or aliases.
fn code_to_dclint() -> HashMap<&'static str, &'static str> {
    let mut m = HashMap::new();
    for meta in berth_rules::rules::metas() {
        if let Some(r) = DCLINT_RULES.iter().find(|r| meta.name == **r || meta.aliases.contains(r)) {
            m.insert(meta.code, *r);
        }
    }
    m
}

/// Make `dir/compose.NNN.yaml` stand for each corpus file (berth picks the
/// file kind by name; the corpus keeps the original names).
fn link(target: &Path, link: &Path) {
    #[cfg(unix)]
    std::os::unix::fs::symlink(target, link).expect("symlink");
    #[cfg(not(unix))]
    std::fs::copy(target, link).map(|_| ()).expect("copy");
}

#[test]
fn berth_agrees_with_dclint_on_the_compose_corpus() {
    let Some(root) = berth_tests::corpus("compose", "the differential test against dclint") else { return };
    let show = std::env::var("BERTH_DIFF_SHOW").ok();
    let map = code_to_dclint();
    for r in DCLINT_RULES {
        assert!(map.values().any(|v| v == r), "no berth rule has dclint's name `{r}`");
    }

    // dclint's baseline.
    let baseline = std::fs::read_to_string(root.join("baseline/dclint.jsonl")).expect("baseline/dclint.jsonl");
    let mut files: Vec<String> = Vec::new();
    let mut invalid: HashSet<String> = HashSet::new();
    let mut dclint: Vec<Finding> = Vec::new();
    for line in baseline.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = v["file"].as_str().unwrap().to_string();
        let findings = v["findings"].as_array().unwrap();
        if v["parse_error"].as_bool() == Some(true) || findings.iter().any(|f| f["rule"] == "invalid-yaml") {
            invalid.insert(file.clone());
        }
        for f in findings {
            let rule = f["rule"].as_str().unwrap();
            if DCLINT_RULES.contains(&rule) {
                dclint.push(Finding {
                    file: file.clone(),
                    rule: rule.to_string(),
                    line: f["line"].as_u64().unwrap() as usize,
                    at: None,
                    message: f["message"].as_str().unwrap_or("").to_string(),
                });
            }
        }
        files.push(file);
    }
    assert!(files.len() >= 80, "expected the Compose corpus, found {} files", files.len());

    // berth, one process over every file.
    let scratch = berth_tests::Scratch::new("compose-diff");
    let names: Vec<String> = (0..files.len()).map(|i| format!("compose.{i:03}.yaml")).collect();
    for (f, n) in files.iter().zip(&names) {
        link(&root.join(f), &scratch.path.join(n));
    }
    let home = scratch.path.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let out = Command::new(berth_tests::berth_bin())
        .args(["check", "--format", "json", "--select", "all", "--failure-threshold", "none"])
        .args(&names)
        .current_dir(&scratch.path)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .output()
        .expect("run berth");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "berth panicked:\n{stderr}");
    assert_eq!(out.status.code(), Some(0), "berth failed:\n{stderr}");
    let v = berth_tests::json(&out);
    assert_eq!(v["files"].as_u64(), Some(files.len() as u64), "every file is linted as Compose");

    let sources: BTreeMap<&str, Source> = files.iter().map(|f| (f.as_str(), Source::load(&root.join(f)))).collect();
    let by_name: HashMap<&str, &str> = names.iter().map(String::as_str).zip(files.iter().map(String::as_str)).collect();
    let mut berth: Vec<Finding> = Vec::new();
    let mut problems = Vec::new();
    for d in v["diagnostics"].as_array().unwrap() {
        let file = by_name[d["file"].as_str().unwrap()];
        let code = d["code"].as_str().unwrap();
        let (line, col) = (
            d["range"]["start"]["line"].as_u64().unwrap() as usize,
            d["range"]["start"]["column"].as_u64().unwrap() as usize,
        );
        let message = d["message"].as_str().unwrap_or("").to_string();
        if code == "BC0001" {
            if !invalid.contains(file) {
                problems.push(format!("{file}:{line}: BC0001 on a file dclint loads: {message}"));
            }
            continue;
        }
        let Some(rule) = map.get(code) else { continue };
        let src = &sources[file];
        berth.push(Finding {
            file: file.to_string(),
            rule: rule.to_string(),
            line: dclint_line(rule, src, line, col, &message),
            at: Some((line, col)),
            message,
        });
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // Match as multisets by (file, rule, line).
    let key = |f: &Finding| (f.file.clone(), f.rule.clone(), f.line);
    let mut pool: HashMap<(String, String, usize), Vec<usize>> = HashMap::new();
    for (i, f) in dclint.iter().enumerate() {
        pool.entry(key(f)).or_default().push(i);
    }
    let mut raw: BTreeMap<&str, Score> = DCLINT_RULES.iter().map(|r| (*r, Score::default())).collect();
    let mut adjusted = raw.clone();
    let mut causes: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut unmatched: Vec<(bool, &Finding)> = Vec::new();
    for f in &berth {
        match pool.get_mut(&key(f)).and_then(Vec::pop) {
            Some(_) => {
                raw.get_mut(f.rule.as_str()).unwrap().both += 1;
                adjusted.get_mut(f.rule.as_str()).unwrap().both += 1;
            }
            None => unmatched.push((true, f)),
        }
    }
    for i in pool.values().flatten() {
        unmatched.push((false, &dclint[*i]));
    }
    unmatched.sort_by(|a, b| (&a.1.file, a.1.line, &a.1.rule).cmp(&(&b.1.file, b.1.line, &b.1.rule)));
    for (berth_only, f) in unmatched {
        let rule = DCLINT_RULES.iter().find(|r| **r == f.rule).unwrap();
        let s = raw.get_mut(rule).unwrap();
        if berth_only {
            s.only_berth += 1
        } else {
            s.only_dclint += 1
        }
        let c = cause(f, berth_only, &sources[f.file.as_str()]);
        *causes.entry((rule, c.unwrap_or("unexplained"))).or_default() += 1;
        if c.is_none() {
            let a = adjusted.get_mut(rule).unwrap();
            if berth_only { a.only_berth += 1 } else { a.only_dclint += 1 }
        }
        let wanted = match show.as_deref() {
            Some("all") => true,
            Some("unexplained") => c.is_none(),
            Some(r) => r == *rule,
            None => false,
        };
        if wanted {
            let who = if berth_only { "berth only " } else { "dclint only" };
            println!("{who} {rule} {}:{} {} ({})", f.file, f.line, f.message, c.unwrap_or("unexplained"));
        }
    }

    println!(
        "{:<40} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} | {:>6}",
        "dclint rule", "both", "berth", "dclint", "prec", "recall", "F1", "adj F1"
    );
    let mut failing = Vec::new();
    for (rule, s) in &raw {
        let a = adjusted[rule];
        println!(
            "{rule:<40} {:>5} {:>6} {:>6} {:>6.3} {:>6.3} {:>6.3} | {:>6.3}",
            s.both,
            s.only_berth,
            s.only_dclint,
            s.precision(),
            s.recall(),
            s.f1(),
            a.f1()
        );
        if a.f1() < MIN_F1 {
            failing.push(format!("{rule}: F1 without documented differences {:.3} < {MIN_F1}", a.f1()));
        }
    }
    println!("differences by rule and cause:");
    for ((rule, c), n) in &causes {
        println!("  {n:>4}  {rule}: {c}");
    }
    assert!(failing.is_empty(), "{}", failing.join("\n"));
}
