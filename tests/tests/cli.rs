//! `berth check`, `berth rule`, `berth rules` through the built binary.

use berth_tests::{Scratch, json, run_in, stderr, stdout};

const ADD_LOCAL: &str = "FROM alpine:3.20\nADD app.py /app/\n";
const CLEAN: &str = "FROM alpine:3.20\nCOPY app.py /app/\n";

fn codes(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn json_document_shape_and_unicode_columns() {
    let s = Scratch::new("json");
    // Two emoji and a CJK character before the finding: columns count characters.
    s.write("Dockerfile", "FROM alpine:3.20\nLABEL note=\"😀😀日\"\nADD app.py /app/\n");
    let out = s.run(&["check", "--format", "json", "--select", "DL3020"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "berth");
    assert_eq!(v["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["files"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["file"], "Dockerfile");
    assert_eq!(d["code"], "DL3020");
    assert_eq!(d["name"], "copy-instead-of-add");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["range"]["start"], serde_json::json!({"line": 3, "column": 1}));
    assert_eq!(d["range"]["end"], serde_json::json!({"line": 3, "column": 4}));
    assert_eq!(d["fix"]["safety"], "safe");
    assert_eq!(d["fix"]["edits"][0]["new_text"], "COPY");
    assert_eq!(d["fix"]["edits"][0]["range"]["end"]["column"], 4);

    // A finding after non-ASCII text on the same line.
    s.write("Dockerfile", "FROM alpine:3.20\nRUN echo \"日本😀\" && apt-get install -y curl=1 jq\n");
    let v = json(&s.run(&["check", "--format", "json", "--select", "DL3008"]));
    let d = &v["diagnostics"][0];
    assert_eq!(d["range"]["start"]["column"], 45, "{d}");
    assert_eq!(d["range"]["end"]["column"], 47);
}

#[test]
fn diagnostics_are_sorted_by_file_line_column() {
    let s = Scratch::new("sorted");
    s.write("b/Dockerfile", "FROM a:1\nADD x /x\nADD y /y\n");
    s.write("a/Dockerfile", "FROM a:1\nADD x /x\n");
    let v = json(&s.run(&["check", "--format", "json", "--select", "DL3020"]));
    let keys: Vec<(String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["file"].as_str().unwrap().to_string(), d["range"]["start"]["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        keys,
        [("a/Dockerfile".to_string(), 2), ("b/Dockerfile".to_string(), 2), ("b/Dockerfile".to_string(), 3)]
    );
    assert_eq!(v["files"], 2);
}

#[test]
fn exit_codes_follow_the_failure_threshold() {
    let s = Scratch::new("exit");
    s.write("Dockerfile", "FROM debian:12\nRUN apt-get install -y curl\n");
    // DL3008 is a warning.
    let sel = ["--select", "DL3008"];
    let run = |extra: &[&str]| {
        let mut a = vec!["check"];
        a.extend(sel);
        a.extend(extra);
        s.run(&a).status.code()
    };
    assert_eq!(run(&[]), Some(1));
    assert_eq!(run(&["--failure-threshold", "warning"]), Some(1));
    assert_eq!(run(&["--failure-threshold", "error"]), Some(0));
    assert_eq!(run(&["--failure-threshold", "none"]), Some(0));
    s.write("Dockerfile", CLEAN);
    assert_eq!(run(&[]), Some(0));
    // Usage errors.
    assert_eq!(s.run(&["check", "--failure-threshold", "bogus"]).status.code(), Some(2));
    assert_eq!(s.run(&["check", "--select", "NOPE9999"]).status.code(), Some(2));
}

#[test]
fn unreadable_file_gives_exit_2_and_others_are_still_linted() {
    let s = Scratch::new("unreadable");
    s.write("Dockerfile", ADD_LOCAL);
    let out = s.run(&["check", "--format", "json", "missing/Dockerfile", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing/Dockerfile"), "{}", stderr(&out));
    assert!(codes(&json(&out)).contains(&"DL3020".to_string()));
}

#[test]
fn stdin_with_a_name() {
    let dir = std::env::temp_dir();
    let out = run_in(
        &dir,
        &["check", "--format", "json", "--stdin-filename", "api/Dockerfile", "-"],
        Some(ADD_LOCAL.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["diagnostics"][0]["file"], "api/Dockerfile");
    assert_eq!(v["files"], 1);
    let out = run_in(&dir, &["check", "-"], Some(CLEAN.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn inline_ignores() {
    let s = Scratch::new("ignores");
    let cases = [
        ("# berth ignore=DL3020 vendored layout\nADD a /a\nADD b /b\n", 1),
        ("# hadolint ignore=DL3020\nADD a /a\nADD b /b\n", 1),
        ("# berth ignore=copy-instead-of-add\nADD a /a\n", 0),
        ("# berth global ignore=DL3020\nADD a /a\nADD b /b\n", 0),
        ("# hadolint global ignore=DL3008,DL3020\nADD a /a\n", 0),
        ("# berth ignore=DL3008\nADD a /a\n", 1),
    ];
    for (body, expected) in cases {
        s.write("Dockerfile", format!("FROM alpine:3.20\n{body}"));
        let v = json(&s.run(&["check", "--format", "json", "--select", "DL3020"]));
        assert_eq!(codes(&v).len(), expected, "{body}");
    }
    // BuildKit's check directive names checks by BuildKit name or code.
    s.write("Dockerfile", "# check=skip=DL3020\nFROM alpine:3.20\nADD a /a\n");
    assert_eq!(codes(&json(&s.run(&["check", "--format", "json", "--select", "DL3020"]))).len(), 0);
    s.write("Dockerfile", "# check=skip=StageNameCasing\nFROM alpine:3.20 AS Build\nADD a /a\n");
    let v = json(&s.run(&["check", "--format", "json", "--select", "DL3020,BD1001"]));
    assert_eq!(codes(&v), ["DL3020"], "BuildKit names work in check=skip");
    s.write("Dockerfile", "# check=skip=all\nFROM alpine:3.20 AS Build\nADD a /a\n");
    let v = json(&s.run(&["check", "--format", "json", "--select", "DL3020,BD1001"]));
    assert_eq!(codes(&v), ["DL3020"], "skip=all covers BuildKit checks, not hadolint's rules");
    // --disable-ignore-pragma disregards them all.
    s.write("Dockerfile", "FROM alpine:3.20\n# berth ignore=DL3020\nADD a /a\n");
    let v = json(&s.run(&["check", "--format", "json", "--select", "DL3020", "--disable-ignore-pragma"]));
    assert_eq!(codes(&v).len(), 1);
}

#[test]
fn folder_discovery_honours_names_and_gitignore() {
    let s = Scratch::new("discover");
    for name in [
        "Dockerfile",
        "api.Dockerfile",
        "Dockerfile.dev",
        "Dockerfile-prod",
        "Containerfile",
        "sub/x.dockerfile",
        "ignored/Dockerfile",
    ] {
        s.write(name, ADD_LOCAL);
    }
    s.write("README.md", "ADD a /a\n");
    s.write("notes.txt", "ADD a /a\n");
    s.write(".gitignore", "ignored/\n");
    let v = json(&s.run(&["check", "--format", "json", "--select", "DL3020"]));
    assert_eq!(v["files"], 6, "{v}");
    let files: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert!(!files.iter().any(|f| f.starts_with("ignored/")));
    // A file named explicitly is linted whatever its name.
    let v = json(&s.run(&["check", "--format", "json", "--select", "DL3020", "notes.txt"]));
    assert_eq!(v["diagnostics"][0]["file"], "notes.txt");
}

#[test]
fn tty_output_has_location_source_caret_and_summary() {
    let s = Scratch::new("tty");
    s.write("Dockerfile", ADD_LOCAL);
    let out = s.run(&["check", "--select", "DL3020", "--color", "never"]);
    let text = stdout(&out);
    assert!(text.contains("Dockerfile:2:1: DL3020 copy-instead-of-add ADD is used for local files"), "{text}");
    assert!(text.contains("2 | ADD app.py /app/\n  | ^^^ error\n"), "{text}");
    assert!(text.contains("= fix (safe): Replace ADD with COPY"), "{text}");
    assert!(text.contains("found 1 problem (1 error) in 1 of 1 file"), "{text}");
    assert!(!text.contains('\x1b'));
    let out = s.run(&["check", "--select", "DL3020", "--color", "always"]);
    assert!(stdout(&out).contains('\x1b'));
    s.write("Dockerfile", CLEAN);
    assert!(stdout(&s.run(&["check", "--color", "never"])).contains("no problems in 1 file"));
}

#[test]
fn bad_bytes_never_crash() {
    let s = Scratch::new("hostile");
    s.write("utf8/Dockerfile", b"FROM alpine:3.20\nRUN echo \xff\xfe caf\xc3\n");
    let out = s.run(&["check", "--format", "json", "utf8/Dockerfile"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "BD0001");
    assert!(d["message"].as_str().unwrap().contains("UTF-8"));
    assert_eq!(d["range"]["start"], serde_json::json!({"line": 2, "column": 10}));

    s.write("nul/Dockerfile", b"FROM alpine\0:3\nRUN \0\0 echo\n\0\n");
    s.write("slashes/Dockerfile", "\\".repeat(10_000));
    let mut big = String::from("FROM alpine:3.20\n");
    while big.len() < 5 * 1024 * 1024 {
        big += "RUN apt-get install -y curl && echo 'a | b' \\\n    && make\n";
    }
    s.write("big/Dockerfile", big);
    for f in ["nul/Dockerfile", "slashes/Dockerfile", "big/Dockerfile"] {
        let out = s.run(&["check", "--format", "json", f]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{f}: {:?} {}", out.status, stderr(&out));
        json(&out);
    }
}

#[test]
fn rule_documentation() {
    let dir = std::env::temp_dir();
    let out = run_in(&dir, &["rule", "DL3020"], None);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with("# DL3020 copy-instead-of-add"), "{text}");
    for section in ["## What it checks", "## Why it matters", "## Example", "## References", "Severity: error"] {
        assert!(text.contains(section), "{section}");
    }
    // By name too.
    assert_eq!(run_in(&dir, &["rule", "pin-apt-get-versions"], None).status.code(), Some(0));
    let out = run_in(&dir, &["rule", "DL302"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean"), "{}", stderr(&out));

    let out = run_in(&dir, &["rules"], None);
    let text = stdout(&out);
    for m in berth_rules::rules::metas() {
        assert!(text.contains(m.code) && text.contains(m.name), "{} missing from `berth rules`", m.code);
    }
    let v: serde_json::Value =
        serde_json::from_slice(&run_in(&dir, &["rules", "--format", "json"], None).stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), berth_rules::rules::metas().len());
}

#[test]
fn generated_rule_docs_are_up_to_date() {
    let out = run_in(&std::env::temp_dir(), &["rules", "--format", "markdown"], None);
    let generated = stdout(&out);
    let committed = std::fs::read_to_string(berth_tests::root().join("docs/rules.md")).unwrap_or_default();
    assert!(
        generated == committed,
        "docs/rules.md is stale: run `cargo run -q -p berth -- rules --format markdown > docs/rules.md`"
    );
}

#[test]
fn demo_corpus_runs() {
    let out = run_in(&berth_tests::root(), &["check", "--format", "json", "corpus/demo"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["files"], 3);
    // The worker image follows the rules: no finding there.
    assert!(
        !v["diagnostics"].as_array().unwrap().iter().any(|d| d["file"].as_str().unwrap().contains("worker")),
        "{v}"
    );
}

#[test]
fn readme_rule_table_is_up_to_date() {
    let table = stdout(&run_in(&std::env::temp_dir(), &["rules", "--format", "markdown-table"], None));
    let readme = std::fs::read_to_string(berth_tests::root().join("README.md")).unwrap();
    let expected = format!("<!-- rules:start -->\n{}<!-- rules:end -->", table);
    assert!(readme.contains(&expected), "README.md's rule table is stale: run docs/generate.sh");
}

#[test]
fn check_skip_comment_above_an_instruction_applies_to_it_alone() {
    let s = Scratch::new("checkskip");
    s.write("Dockerfile", "FROM alpine:3.20\n# check=skip=DL3020\nADD a /a\nADD b /b\n");
    let v = json(&s.run(&["check", "--format", "json", "--select", "DL3020"]));
    let lines: Vec<u64> =
        v["diagnostics"].as_array().unwrap().iter().map(|d| d["range"]["start"]["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [4]);
}

/// `# check=` as BuildKit reads it: the first word only (a reason may
/// follow), `experimental=` turns on BuildKit's experimental checks (file-wide
/// or for one instruction), and `skip=all` does not cover them.
#[test]
fn check_directive_reasons_and_experimental_checks() {
    let s = Scratch::new("checkexp");
    let lines = |v: &serde_json::Value, code: &str| -> Vec<u64> {
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == code)
            .map(|d| d["range"]["start"]["line"].as_u64().unwrap())
            .collect()
    };
    let run = |body: &str| {
        s.write("Dockerfile", body);
        json(&s.run(&["check", "--no-shellcheck", "--format", "json"]))
    };
    // A file directive with a reason after the list.
    let v = run("# check=skip=StageNameCasing // upstream names\nFROM alpine:3.20 AS Build\n");
    assert!(lines(&v, "BD1001").is_empty(), "{v}");
    // `skip=A, B` is `skip=A,` for BuildKit: B is not skipped.
    let v = run("# check=skip=FromAsCasing, StageNameCasing\nFROM alpine:3.20 AS Build\n");
    assert_eq!(lines(&v, "BD1001"), [2], "{v}");
    // InvalidDefinitionDescription (BD1015) is experimental: off unless named.
    let described = "# bad description\nARG VERSION=1\nFROM alpine:3.20\n";
    assert!(lines(&run(described), "BD1015").is_empty());
    let v = run(&format!("# check=experimental=InvalidDefinitionDescription\n\n{described}"));
    assert_eq!(lines(&v, "BD1015"), [4], "{v}");
    let v = run(&format!("# check=skip=all;experimental=all\n\n{described}"));
    assert_eq!(lines(&v, "BD1015"), [4], "skip=all does not cover experimental checks: {v}");
    // On one instruction only.
    let v =
        run("# one\nARG A=1\n# check=experimental=InvalidDefinitionDescription\n# two\nARG B=1\nFROM alpine:3.20\n");
    assert_eq!(lines(&v, "BD1015"), [5], "{v}");
    // A directive BuildKit cannot parse fails the build: a syntax error.
    let v = run("# check=skip=StageNameCasing; error=true\nFROM alpine:3.20\n");
    assert_eq!(lines(&v, "BD0001"), [1], "{v}");
    // `--ignore` still wins over the file.
    s.write("Dockerfile", format!("# check=experimental=all\n\n{described}"));
    let v = json(&s.run(&["check", "--no-shellcheck", "--format", "json", "--ignore", "BD1015"]));
    assert!(lines(&v, "BD1015").is_empty(), "{v}");
}

#[test]
fn thousands_of_files_in_one_process() {
    let s = Scratch::new("many");
    for i in 0..2000 {
        s.write(&format!("svc{i:04}/Dockerfile"), if i % 2 == 0 { ADD_LOCAL } else { CLEAN });
    }
    let out = s.run(&["check", "--format", "json", "--select", "DL3020"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["files"], 2000);
    assert_eq!(codes(&v).len(), 1000);
    assert_eq!(v["diagnostics"][0]["file"], "svc0000/Dockerfile");
}

fn have_shellcheck() -> bool {
    let ok = std::process::Command::new("shellcheck").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        println!("notice: no shellcheck on PATH; skipping");
    }
    ok
}

#[test]
fn shellcheck_findings_land_on_their_exact_place() {
    if !have_shellcheck() {
        return;
    }
    let s = Scratch::new("shellcheck");
    s.write(
        "Dockerfile",
        "FROM debian:12\nARG VERSION=1\nRUN echo $VERSION && \\\n    # a comment line inside the RUN\n    echo \"é\" $UNQUOTED\nRUN <<EOF\nset -e\necho $ALSO\nEOF\n# hadolint ignore=SC2086\nRUN echo $IGNORED\nRUN export STAMP=\"$(date)\"; echo $TWO\nSHELL [\"pwsh\", \"-c\"]\nRUN echo $NOT_SHELL\n",
    );
    let v = json(&s.run(&["check", "--format", "json", "--select", "shellcheck"]));
    let found: Vec<(String, u64, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    // Two different findings in one RUN are both kept (hadolint keeps one per RUN).
    let expected = [("SC2086", 5, 14), ("SC2086", 8, 6), ("SC2155", 12, 12), ("SC2086", 12, 34)];
    let expected: Vec<(String, u64, u64)> = expected.iter().map(|(c, l, col)| (c.to_string(), *l, *col)).collect();
    assert_eq!(found, expected, "{v}");
    let d = &v["diagnostics"][0];
    assert_eq!(d["range"]["end"]["column"], 23);
    assert_eq!(d["fix"]["safety"], "unsafe");
    // Off on request, and by code.
    let v = json(&s.run(&["check", "--format", "json", "--select", "shellcheck", "--no-shellcheck"]));
    assert_eq!(codes(&v).len(), 0);
    let v = json(&s.run(&["check", "--format", "json", "--select", "shellcheck", "--ignore", "SC2086"]));
    assert_eq!(codes(&v), ["SC2155"]);
    // `# hadolint shell=powershell` declares a non-POSIX shell for the base image.
    s.write(
        "Dockerfile",
        "# hadolint shell=powershell\nFROM mcr.microsoft.com/powershell:lts\nRUN Write-Host $env:PATH\n",
    );
    let v = json(&s.run(&["check", "--format", "json", "--select", "shellcheck"]));
    assert_eq!(codes(&v).len(), 0, "{v}");
    // A path that is not ShellCheck is a usage error.
    assert_eq!(s.run(&["check", "--shellcheck", "/nonexistent/shellcheck"]).status.code(), Some(2));
}

#[test]
fn berths_own_dockerfile_and_compose_example_lint_clean() {
    let out = run_in(
        &berth_tests::root(),
        &["check", "--format", "json", "--no-shellcheck", "Dockerfile", "compose.yaml"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(json(&out)["files"], 2);
}

#[test]
fn quiet_and_no_color() {
    let s = Scratch::new("quiet");
    s.write("Dockerfile", ADD_LOCAL);
    let out = s.run(&["check", "--select", "DL3020", "--quiet", "--color", "always", "--no-color"]);
    let text = stdout(&out);
    assert!(text.contains("Dockerfile:2:1: DL3020"), "{text}");
    assert!(!text.contains("found 1 problem"), "no summary with --quiet: {text}");
    assert!(!text.contains('\x1b'), "--no-color wins: {text}");
    assert_eq!(out.status.code(), Some(1));
    // Piped stderr never shows a progress bar, even for many files.
    for i in 0..250 {
        s.write(&format!("many/s{i}/Dockerfile"), CLEAN);
    }
    let out = s.run(&["check", "many"]);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn files_over_the_size_limit_are_reported_and_skipped() {
    let s = Scratch::new("max-size");
    let big = format!("FROM alpine:3.20\n{}", "RUN echo hello && apt-get install curl\n".repeat(60));
    s.write("Dockerfile", &big);
    s.write("small/Dockerfile", "FROM alpine:3.20\nRUN apt-get install curl\n");
    let out = s.run(&["check", "--no-shellcheck", "--format", "json", "--max-file-size", "1KB", "."]);
    let err = stderr(&out);
    assert!(err.contains("Dockerfile: skipped:") && err.contains("1024-byte limit"), "{err}");
    let files: Vec<String> =
        json(&out)["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap().to_string()).collect();
    assert!(!files.is_empty() && files.iter().all(|f| f.contains("small")), "{files:?}");
    // The same limit from berth.toml; `berth fix` leaves the big file untouched.
    s.write("berth.toml", "max-file-size = \"1KiB\"\n");
    let out = s.run(&["fix", "."]);
    assert!(stderr(&out).contains("skipped:"), "{}", stderr(&out));
    assert_eq!(s.read("Dockerfile"), big);
    s.write("berth.toml", "max-file-size = \"ten\"\n");
    let out = s.run(&["check", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("berth.toml:1:17: `max-file-size`"), "{}", stderr(&out));
    let out = s.run(&["check", "--max-file-size", "lots", "."]);
    assert_eq!(out.status.code(), Some(2));
}
