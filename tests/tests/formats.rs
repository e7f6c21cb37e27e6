//! `berth check --format ...` and `-o FILE` through the built binary: every
//! output format on one small multi-file fixture.

use berth_tests::{Scratch, file_from_env, json, stderr, stdout};
use serde_json::Value;
use std::collections::HashSet;

/// Three files: one with a related location and a fix, one whose name needs
/// escaping (space, comma, colon) and whose findings hold `%`, `<`, a control
/// character and a span over two lines, and a clean one.
fn fixture(name: &str) -> Scratch {
    let s = Scratch::new(name);
    s.write("Dockerfile", "FROM alpine:3.20\nCMD [\"a\"]\nCMD [\"b\"]\nADD app.py /app/\n");
    s.write("a b/x,y:z.Dockerfile", "FROM debian:12\nRUN apt-get install -y \"c%u\u{1}rl\" \\\n    jq=1.6\n");
    s.write("clean/Dockerfile", "FROM alpine:3.20\nCOPY app.py /app/\n");
    s
}

const ODD: &str = "a b/x,y:z.Dockerfile";

fn check(s: &Scratch, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["check", "--no-shellcheck"];
    args.extend(extra);
    s.run(&args)
}

fn run_format(s: &Scratch, format: &str) -> String {
    let out = check(s, &["-f", format]);
    assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
    assert_eq!(stderr(&out), "", "{format}");
    stdout(&out)
}

#[test]
fn gnu_lines() {
    let s = fixture("fmt-gnu");
    let expected = "\
Dockerfile:3:1: warning: DL4003 another CMD in this stage: only the last one takes effect, so the earlier CMD does nothing; remove it
Dockerfile:4:1: error: DL3020 ADD is used for local files; use COPY, which only copies
a b/x,y:z.Dockerfile:2:5: note: DL3015 add `--no-install-recommends` so apt installs only the packages you name
a b/x,y:z.Dockerfile:2:24: warning: DL3008 pin the version of `c%u\\x01rl` (`apt-get install c%u\\x01rl=<version>`)
";
    assert_eq!(run_format(&s, "gnu"), expected);
}

#[test]
fn github_workflow_commands() {
    let s = fixture("fmt-github");
    // Properties escape `%`, CR, LF, `:` and `,`; the message escapes `%`, CR
    // and LF. A finding over two lines gets no columns (the runner drops them).
    let expected = "\
::warning file=Dockerfile,line=3,col=1,endLine=3,endColumn=4,title=DL4003 single-cmd::another CMD in this stage: only the last one takes effect, so the earlier CMD does nothing; remove it
::error file=Dockerfile,line=4,col=1,endLine=4,endColumn=4,title=DL3020 copy-instead-of-add::ADD is used for local files; use COPY, which only copies
::notice file=a b/x%2Cy%3Az.Dockerfile,line=2,endLine=3,title=DL3015 apt-no-install-recommends::add `--no-install-recommends` so apt installs only the packages you name
::warning file=a b/x%2Cy%3Az.Dockerfile,line=2,col=24,endLine=2,endColumn=32,title=DL3008 pin-apt-get-versions::pin the version of `c%25u\\x01rl` (`apt-get install c%25u\\x01rl=<version>`)
";
    assert_eq!(run_format(&s, "github"), expected);
}

fn attr<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    n.attribute(name).unwrap_or_else(|| panic!("<{}> has no {name}", n.tag_name().name()))
}

#[test]
fn checkstyle_xml() {
    let s = fixture("fmt-checkstyle");
    let text = run_format(&s, "checkstyle");
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{text}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "checkstyle");
    assert_eq!(attr(root, "version"), "4.3");
    let files: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    let names: Vec<&str> = files.iter().map(|f| attr(*f, "name")).collect();
    assert_eq!(names, ["Dockerfile", ODD, "clean/Dockerfile"]);
    let errors: Vec<usize> = files.iter().map(|f| f.children().filter(|n| n.has_tag_name("error")).count()).collect();
    assert_eq!(errors, [2, 2, 0]);
    let all: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("error")).collect();
    let first = all[0];
    assert_eq!(
        (attr(first, "line"), attr(first, "column"), attr(first, "severity"), attr(first, "source")),
        ("3", "1", "warning", "berth.DL4003")
    );
    let severities: Vec<&str> = all.iter().map(|e| attr(*e, "severity")).collect();
    assert_eq!(severities, ["warning", "error", "info", "warning"]);
    // `<` round-trips; the control character, not allowed in XML 1.0, became U+FFFD.
    assert_eq!(
        attr(all[3], "message"),
        "pin the version of `c%u\u{FFFD}rl` (`apt-get install c%u\u{FFFD}rl=<version>`)"
    );
    assert!(!text.contains('\u{1}'));
}

#[test]
fn junit_xml() {
    let s = fixture("fmt-junit");
    let text = run_format(&s, "junit");
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{text}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let num = |n: roxmltree::Node, a: &str| attr(n, a).parse::<usize>().unwrap();
    let suites: Vec<_> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suites.len(), 3);
    let mut total_tests = 0;
    let mut total_failures = 0;
    for suite in &suites {
        let cases: Vec<_> = suite.children().filter(|n| n.has_tag_name("testcase")).collect();
        let failures = cases.iter().filter(|c| c.children().any(|n| n.has_tag_name("failure"))).count();
        assert_eq!(num(*suite, "tests"), cases.len(), "{}", attr(*suite, "name"));
        assert_eq!(num(*suite, "failures"), failures);
        assert_eq!(num(*suite, "errors"), 0);
        total_tests += cases.len();
        total_failures += failures;
    }
    assert_eq!((total_tests, total_failures), (5, 4));
    assert_eq!((num(root, "tests"), num(root, "failures")), (5, 4));
    let names: Vec<&str> = suites.iter().map(|n| attr(*n, "name")).collect();
    assert_eq!(names, ["Dockerfile", ODD, "clean/Dockerfile"]);
    // The clean file has one passing test case.
    let clean: Vec<_> = suites[2].children().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(clean.len(), 1);
    assert!(!clean[0].children().any(|n| n.is_element()));
    let failures: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("failure")).collect();
    let types: Vec<&str> = failures.iter().map(|f| attr(*f, "type")).collect();
    assert_eq!(types, ["warning", "error", "info", "warning"]);
    assert_eq!(attr(failures[1], "message"), "ADD is used for local files; use COPY, which only copies");
    let body = failures[1].text().unwrap_or_default();
    assert!(body.contains("Dockerfile:4:1: DL3020") && body.contains("fix (safe): Replace ADD with COPY"), "{body}");
}

#[test]
fn gitlab_code_quality() {
    let s = fixture("fmt-gitlab");
    let v: Value = serde_json::from_str(&run_format(&s, "gitlab")).unwrap();
    let issues = v.as_array().unwrap();
    assert_eq!(issues.len(), 4);
    let sev: Vec<&str> = issues.iter().map(|i| i["severity"].as_str().unwrap()).collect();
    assert_eq!(sev, ["major", "critical", "minor", "major"]);
    for i in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[key].as_str().is_some_and(|s| !s.is_empty()), "{key} in {i}");
        }
        let f = i["fingerprint"].as_str().unwrap();
        assert!(f.len() == 32 && f.chars().all(|c| c.is_ascii_hexdigit()), "{f}");
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let prints: HashSet<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(prints.len(), 4, "fingerprints are unique");
    let dl3015 = &issues[2];
    assert_eq!(dl3015["check_name"], "DL3015");
    assert_eq!(dl3015["location"]["path"], ODD);
    assert_eq!(dl3015["location"]["lines"], serde_json::json!({"begin": 2, "end": 3}));
    assert_eq!(
        dl3015["location"]["positions"],
        serde_json::json!({"begin": {"line": 2, "column": 5}, "end": {"line": 3, "column": 11}})
    );

    // Fingerprints survive lines added above; the lines move.
    s.write("Dockerfile", "# a comment\n\nFROM alpine:3.20\nCMD [\"a\"]\nCMD [\"b\"]\nADD app.py /app/\n");
    let moved: Value = serde_json::from_str(&run_format(&s, "gitlab")).unwrap();
    let moved = moved.as_array().unwrap();
    assert_eq!(moved[1]["location"]["lines"]["begin"], 6);
    for (a, b) in issues.iter().zip(moved) {
        assert_eq!(a["fingerprint"], b["fingerprint"]);
    }
}

#[test]
fn gitlab_fingerprints_tell_identical_lines_apart() {
    let s = Scratch::new("fmt-gitlab-dup");
    s.write("Dockerfile", "FROM alpine:3.20\nADD a /a\nADD a /a\n");
    let v: Value =
        serde_json::from_slice(&s.run(&["check", "--no-shellcheck", "--select", "DL3020", "-f", "gitlab"]).stdout)
            .unwrap();
    let prints: Vec<&str> = v.as_array().unwrap().iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(prints.len(), 2);
    assert_ne!(prints[0], prints[1]);
}

/// What GitHub code scanning requires of an uploaded SARIF file (its
/// documented "SARIF support" properties), beyond the schema.
fn assert_github_accepts(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().is_some_and(|s| s.starts_with("https://")));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "berth");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let levels = ["error", "warning", "note", "none"];
    let mut ids = HashSet::new();
    for r in rules {
        let id = r["id"].as_str().unwrap();
        assert!(ids.insert(id), "duplicate rule {id}");
        assert!(r["shortDescription"]["text"].as_str().is_some_and(|t| !t.is_empty()), "{id}");
        assert!(r["fullDescription"]["text"].as_str().is_some_and(|t| !t.is_empty()), "{id}");
        assert!(r["help"]["text"].as_str().is_some_and(|t| !t.is_empty()), "{id}");
        assert!(r["helpUri"].as_str().is_some_and(|u| u.starts_with("https://")), "{id}");
        assert!(levels.contains(&r["defaultConfiguration"]["level"].as_str().unwrap()), "{id}");
        let tags = r["properties"]["tags"].as_array().unwrap();
        assert!(!tags.is_empty() && tags.len() <= 20, "{id}");
    }
    for res in run["results"].as_array().unwrap() {
        let id = res["ruleId"].as_str().expect("ruleId");
        let index = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex points at the rule");
        assert!(levels.contains(&res["level"].as_str().unwrap()));
        assert!(res["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        let locs = res["locations"].as_array().unwrap();
        assert!(!locs.is_empty());
        for loc in locs.iter().chain(res["relatedLocations"].as_array().into_iter().flatten()) {
            let pl = &loc["physicalLocation"];
            let uri = pl["artifactLocation"]["uri"].as_str().unwrap();
            assert!(!uri.contains("://") && !uri.starts_with('/') && !uri.contains('\\'), "relative uri: {uri}");
            assert_eq!(pl["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            let region = &pl["region"];
            assert!(region["startLine"].as_u64().unwrap() >= 1);
            assert!(region["startColumn"].as_u64().unwrap() >= 1);
            assert!(region["endLine"].as_u64().unwrap() >= region["startLine"].as_u64().unwrap());
        }
        assert!(res["partialFingerprints"].as_object().is_some_and(|o| !o.is_empty()));
    }
}

/// Validate against the official SARIF 2.1.0 schema named by
/// `BERTH_SARIF_SCHEMA` (`.ci/run` installs it), formats included.
fn assert_schema_valid(log: &Value) {
    let Some(path) = file_from_env("BERTH_SARIF_SCHEMA") else { return };
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(
        schema["title"].as_str().is_some_and(|t| t.contains("SARIF") && t.contains("2.1.0")),
        "{} is not the SARIF 2.1.0 schema",
        path.display()
    );
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF does not match the schema:\n{}", errors.join("\n"));
    // The validator does reject a broken log.
    let mut broken = log.clone();
    broken["runs"][0]["columnKind"] = Value::from("bytes");
    broken["runs"][0]["tool"]["driver"]["informationUri"] = Value::from("not a uri");
    // A log lists only the rules its results use, so a clean one has none.
    let has_rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().is_some_and(|r| !r.is_empty());
    if has_rules {
        broken["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] = Value::from("fatal");
    }
    assert_eq!(validator.iter_errors(&broken).count(), if has_rules { 3 } else { 2 });
}

#[test]
fn sarif_log() {
    let s = fixture("fmt-sarif");
    let text = run_format(&s, "sarif");
    let log: Value = serde_json::from_str(&text).unwrap();
    assert_github_accepts(&log);
    assert_schema_valid(&log);
    assert_eq!(
        log["$schema"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["informationUri"], "https://github.com/berth-lint/berth");

    // The rules the results use are listed (no others), in `berth rules` order, with their metadata.
    let rules = driver["rules"].as_array().unwrap();
    let used: HashSet<&str> =
        run["results"].as_array().unwrap().iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    let metas: Vec<_> = berth_rules::rules::metas().into_iter().filter(|m| used.contains(m.code)).collect();
    assert_eq!(rules.len(), metas.len());
    assert_eq!(rules.len(), used.len());
    for (r, m) in rules.iter().zip(&metas) {
        assert_eq!(r["id"], m.code);
        assert_eq!(r["name"], m.name);
        assert_eq!(r["shortDescription"]["text"], m.summary);
        assert_eq!(r["help"]["markdown"], m.docs.trim());
        assert_eq!(r["properties"]["tags"][0], m.category.as_str());
    }
    let dl3020 = rules.iter().find(|r| r["id"] == "DL3020").unwrap();
    assert_eq!(
        dl3020["helpUri"],
        "https://github.com/berth-lint/berth/blob/main/docs/rules.md#dl3020-copy-instead-of-add"
    );
    assert_eq!(dl3020["defaultConfiguration"]["level"], "error");
    assert!(dl3020["fullDescription"]["text"].as_str().unwrap().starts_with("`ADD` instructions"));
    let levels: HashSet<(&str, &str)> = rules
        .iter()
        .map(|r| {
            let m = metas.iter().find(|m| r["id"] == m.code).unwrap();
            (m.severity.as_str(), r["defaultConfiguration"]["level"].as_str().unwrap())
        })
        .collect();
    for pair in &levels {
        assert!(
            matches!(*pair, ("error", "error") | ("warning", "warning") | ("info", "note") | ("style", "note")),
            "{pair:?}"
        );
    }
    // The anchors are docs/rules.md's headings.
    let docs = std::fs::read_to_string(berth_tests::root().join("docs/rules.md")).unwrap();
    for m in berth_rules::rules::metas() {
        assert!(docs.contains(&format!("\n## {} {}\n", m.code, m.name)), "{}", m.code);
    }

    let results = run["results"].as_array().unwrap();
    let got: Vec<(&str, &str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("DL4003", "warning", "Dockerfile"),
            ("DL3020", "error", "Dockerfile"),
            ("DL3015", "note", "a%20b/x%2Cy%3Az.Dockerfile"),
            ("DL3008", "warning", "a%20b/x%2Cy%3Az.Dockerfile"),
        ]
    );
    let region = |r: &Value| r["locations"][0]["physicalLocation"]["region"].clone();
    // 1-based, columns in characters, end exclusive; over two lines for DL3015.
    assert_eq!(
        region(&results[1]),
        serde_json::json!({"startLine": 4, "startColumn": 1, "endLine": 4, "endColumn": 4})
    );
    assert_eq!(
        region(&results[2]),
        serde_json::json!({"startLine": 2, "startColumn": 5, "endLine": 3, "endColumn": 11})
    );
    // Related location: the earlier CMD.
    let related = &results[0]["relatedLocations"][0];
    assert_eq!(related["message"]["text"], "this CMD has no effect");
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 2);
    // The fix as a replacement.
    let fix = &results[1]["fixes"][0];
    assert_eq!(fix["description"]["text"], "Replace ADD with COPY");
    let change = &fix["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "Dockerfile");
    assert_eq!(change["replacements"][0]["insertedContent"]["text"], "COPY");
    assert_eq!(
        change["replacements"][0]["deletedRegion"],
        serde_json::json!({"startLine": 4, "startColumn": 1, "endLine": 4, "endColumn": 4})
    );
    assert!(results[3].get("fixes").is_none(), "DL3008 has no fix");
    // The partial fingerprint is the GitLab fingerprint.
    let gitlab: Value = serde_json::from_str(&run_format(&s, "gitlab")).unwrap();
    for (r, g) in results.iter().zip(gitlab.as_array().unwrap()) {
        assert_eq!(r["partialFingerprints"]["berth/v1"], g["fingerprint"]);
    }
}

#[test]
fn sarif_lists_shellcheck_codes_that_occur() {
    let ok = std::process::Command::new("shellcheck").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        println!("notice: no shellcheck on PATH; skipping");
        return;
    }
    let s = Scratch::new("fmt-sarif-sc");
    s.write("Dockerfile", "FROM debian:12\nRUN echo $HOME && export D=\"$(date)\"\n");
    let out = s.run(&["check", "-f", "sarif"]);
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_github_accepts(&log);
    assert_schema_valid(&log);
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    // berth's rules first, then the ShellCheck codes.
    let metas = rules.iter().take_while(|r| !r["id"].as_str().unwrap().starts_with("SC")).count();
    let extra: Vec<&str> = rules[metas..].iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(extra, ["SC2086", "SC2155"]);
    let sc = &rules[metas];
    assert_eq!(sc["name"], "shellcheck");
    assert_eq!(sc["helpUri"], "https://www.shellcheck.net/wiki/SC2086");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let sc_result = results.iter().find(|r| r["ruleId"] == "SC2086").unwrap();
    assert_eq!(sc_result["ruleIndex"], metas);
}

#[test]
fn clean_files_in_every_format() {
    let s = Scratch::new("fmt-clean");
    s.write("Dockerfile", "FROM alpine:3.20\nCOPY app.py /app/\n");
    let run = |f: &str| {
        let out = check(&s, &["-f", f]);
        assert_eq!(out.status.code(), Some(0), "{f}: {}", stderr(&out));
        stdout(&out)
    };
    assert_eq!(run("gnu"), "");
    assert_eq!(run("github"), "");
    assert_eq!(run("gitlab").trim(), "[]");
    let log: Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_github_accepts(&log);
    assert_schema_valid(&log);
    let junit = run("junit");
    let doc = roxmltree::Document::parse(&junit).unwrap();
    assert_eq!((attr(doc.root_element(), "tests"), attr(doc.root_element(), "failures")), ("1", "0"));
    let cs = run("checkstyle");
    let doc = roxmltree::Document::parse(&cs).unwrap();
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("file")).count(), 1);
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("error")).count(), 0);
    assert!(run("tty").contains("no problems in 1 file"));
}

#[test]
fn outputs_pair_with_formats_in_order() {
    let s = fixture("fmt-outputs");
    // Both reports to files: nothing on stdout, the exit code still follows the findings.
    let out = check(&s, &["-f", "sarif", "-o", "a.sarif", "-f", "json", "-o", "b.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let sarif: Value = serde_json::from_str(&s.read("a.sarif")).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let j: Value = serde_json::from_str(&s.read("b.json")).unwrap();
    assert_eq!(j["files"], 3);
    assert_eq!(j["diagnostics"].as_array().unwrap().len(), 4);

    // A format without a file goes to stdout.
    let out = check(&s, &["--format", "checkstyle", "--output", "report.xml", "--format", "gnu"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("Dockerfile:3:1: warning: DL4003"), "{}", stdout(&out));
    roxmltree::Document::parse(&s.read("report.xml")).unwrap();

    // `-` is stdout; a file without a format takes the last format.
    let out = check(&s, &["-f", "gitlab", "-o", "-", "-f", "junit", "-o", "j1.xml", "-o", "j2.xml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 4);
    assert_eq!(s.read("j1.xml"), s.read("j2.xml"));
    assert!(s.read("j1.xml").contains("<testsuites"));

    // `-o` alone writes tty, without colour codes.
    let out = check(&s, &["-o", "report.txt", "--color", "auto"]);
    assert_eq!(stdout(&out), "");
    let tty = s.read("report.txt");
    assert!(tty.contains("found 4 problems") && !tty.contains('\x1b'), "{tty}");

    // Overwrites an existing file.
    s.write("b.json", "stale");
    check(&s, &["-f", "json", "-o", "b.json"]);
    json_file(&s, "b.json");
}

fn json_file(s: &Scratch, rel: &str) -> Value {
    serde_json::from_str(&s.read(rel)).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
}

#[test]
fn output_usage_errors() {
    let s = fixture("fmt-usage");
    // Two formats for stdout.
    let out = check(&s, &["-f", "json", "-f", "sarif"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("standard output"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let out = check(&s, &["-f", "json", "-o", "-", "-f", "gnu"]);
    assert_eq!(out.status.code(), Some(2));
    // One file twice.
    let out = check(&s, &["-f", "json", "-o", "r", "-f", "gnu", "-o", "r"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("more than once"), "{}", stderr(&out));
    // Unknown format.
    assert_eq!(check(&s, &["-f", "xml"]).status.code(), Some(2));
    // A file that cannot be written: exit 2, named, the other reports still written.
    let out = check(&s, &["-f", "json", "-o", "missing/dir/r.json", "-f", "gnu", "-o", "ok.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing/dir/r.json: cannot write"), "{}", stderr(&out));
    assert!(s.read("ok.txt").contains("DL3020"));
}

#[test]
fn hadolint_format_name_for_gitlab() {
    let s = fixture("fmt-alias");
    let out = check(&s, &["-f", "gitlab_codeclimate"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(json(&out).as_array().unwrap().len(), 4);
}
