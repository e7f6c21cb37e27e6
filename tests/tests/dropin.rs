//! berth as a drop-in for hadolint and dclint: their options, file kinds,
//! paths that do not exist, closed pipes, and what reaches a terminal.

use berth_tests::{Scratch, berth_bin, json, run_in, stderr, stdout};
use std::collections::BTreeSet;

fn codes(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

fn severity_of(v: &serde_json::Value, code: &str) -> String {
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == code);
    d.unwrap_or_else(|| panic!("no {code}: {v}"))["severity"].as_str().unwrap().to_string()
}

const DOCKERFILE: &str = "FROM ubuntu\nRUN apt-get install -y curl\nADD a.txt /a\n";

#[test]
fn hadolint_options_keep_their_meaning() {
    let s = Scratch::new("dropin-hadolint");
    s.write("Dockerfile", DOCKERFILE);
    let base = ["check", "--no-shellcheck"];
    let run = |extra: &[&str]| s.run(&[&base[..], extra, &["Dockerfile"]].concat());
    // DL3020 is an error: any threshold at or below error fails, --no-fail never does.
    assert_eq!(run(&["-t", "error"]).status.code(), Some(1));
    assert_eq!(run(&["-t", "error", "--warning", "DL3020"]).status.code(), Some(0));
    assert_eq!(run(&["--no-fail"]).status.code(), Some(0));
    assert_eq!(run(&["-t", "ignore"]).status.code(), Some(0), "`ignore` is hadolint's spelling of none");
    // Severity overrides, comma lists or repeated.
    let v = json(&run(&["-f", "json", "--error", "DL3006", "--style", "DL3008,DL3015"]));
    assert_eq!(severity_of(&v, "DL3006"), "error");
    assert_eq!(severity_of(&v, "DL3008"), "style");
    assert_eq!(severity_of(&v, "DL3015"), "style");
    // -c: a hadolint file; --ignore adds to its `ignored`.
    s.write("h.yaml", "ignored: [DL3006]\n");
    let v = json(&run(&["-c", "h.yaml", "--ignore", "DL3020", "-f", "json"]));
    assert_eq!(codes(&v), ["DL3015", "DL3008"]);
    // They stay on top of a berth.toml's [[overrides]].
    s.write(
        "o/berth.toml",
        "[[overrides]]\npaths = [\"**\"]\nseverity = { DL3006 = \"info\" }\nselect = [\"DL3008\"]\n",
    );
    s.write("o/Dockerfile", DOCKERFILE);
    let out =
        s.run(&["check", "--no-shellcheck", "-f", "json", "--select", "DL3006", "--error", "DL3006", "o/Dockerfile"]);
    let v = json(&out);
    assert_eq!(codes(&v), ["DL3006"]);
    assert_eq!(severity_of(&v, "DL3006"), "error");
    // --trusted-registry turns DL3026 on.
    s.write("q/Dockerfile", "FROM quay.io/org/app:1\n");
    let out = s.run(&["check", "--no-shellcheck", "--trusted-registry", "docker.io", "-f", "json", "q/Dockerfile"]);
    assert_eq!(codes(&json(&out)), ["DL3026"]);
    // --require-label and --strict-labels.
    s.write("l/Dockerfile", "FROM alpine:3\nLABEL other=\"x\"\n");
    let out = s.run(&[
        "check",
        "--no-shellcheck",
        "--require-label",
        "maintainer:text",
        "--strict-labels",
        "-f",
        "json",
        "l/Dockerfile",
    ]);
    assert_eq!(codes(&json(&out)), ["DL3049", "DL3050"]);
    let out = run(&["--require-label", "maintainer"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // --file-path-in-report.
    let out = run(&["--file-path-in-report", "/src/Dockerfile", "-f", "gnu"]);
    assert!(stdout(&out).lines().all(|l| l.starts_with("/src/Dockerfile:")), "{}", stdout(&out));
    // -v says which configuration a file uses.
    assert!(stderr(&run(&["-v", "-c", "h.yaml"])).contains("h.yaml"));
}

#[test]
fn hadolint_report_shapes() {
    let s = Scratch::new("dropin-shapes");
    s.write("Dockerfile", DOCKERFILE);
    let run = |f: &str| s.run(&["check", "--no-shellcheck", "-f", f, "Dockerfile"]);
    // codeclimate: one issue per finding, each followed by NUL.
    let out = run("codeclimate");
    let issues: Vec<serde_json::Value> =
        out.stdout.split(|b| *b == 0).filter(|c| !c.is_empty()).map(|c| serde_json::from_slice(c).unwrap()).collect();
    assert_eq!(issues.len(), 4);
    assert!(out.stdout.ends_with(&[0]));
    let add = issues.iter().find(|i| i["check_name"] == "DL3020").unwrap();
    assert_eq!(add["severity"], "blocker");
    assert_eq!(add["type"], "issue");
    assert_eq!(add["categories"], serde_json::json!(["Bug Risk"]));
    assert_eq!(add["location"], serde_json::json!({"path": "Dockerfile", "lines": {"begin": 3, "end": 3}}));
    // codacy: one object a line.
    let out = run("codacy");
    let lines: Vec<serde_json::Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines.iter().find(|l| l["patternId"] == "DL3020").unwrap(),
        &serde_json::json!({"filename": "Dockerfile", "line": 3, "message": "ADD is used for local files; use COPY, which only copies", "patternId": "DL3020"})
    );
    // sonarqube: {"issues": [...]} with 0-based columns.
    let v = json(&run("sonarqube"));
    let issue = v["issues"].as_array().unwrap().iter().find(|i| i["ruleId"] == "DL3020").unwrap();
    assert_eq!(issue["severity"], "CRITICAL");
    assert_eq!(issue["type"], "BUG");
    assert_eq!(issue["primaryLocation"]["filePath"], "Dockerfile");
    assert_eq!(
        issue["primaryLocation"]["textRange"],
        serde_json::json!({"startLine": 3, "endLine": 3, "startColumn": 0, "endColumn": 3})
    );
    // gitlab_codeclimate is hadolint's name of the GitLab report.
    assert!(json(&run("gitlab_codeclimate")).as_array().is_some());
}

#[test]
fn sarif_lists_only_the_rules_its_results_use() {
    let s = Scratch::new("dropin-sarif");
    s.write("Dockerfile", DOCKERFILE);
    let v = json(&s.run(&["check", "--no-shellcheck", "-f", "sarif", "Dockerfile"]));
    let run = &v["runs"][0];
    let rules: BTreeSet<&str> =
        run["tool"]["driver"]["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    let used: BTreeSet<&str> =
        run["results"].as_array().unwrap().iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    assert_eq!(rules, used);
    for r in run["results"].as_array().unwrap() {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][i]["id"], r["ruleId"]);
    }
}

#[test]
fn dclint_options() {
    let s = Scratch::new("dropin-dclint");
    s.write("Dockerfile", DOCKERFILE);
    s.write("vendor/Dockerfile", DOCKERFILE);
    s.write("compose.yaml", "services:\n  web:\n    image: nginx\n");
    // -r is accepted; -e leaves out a folder.
    let v = json(&s.run(&["check", "--no-shellcheck", "-r", "-e", "vendor", "-f", "json", "."]));
    let files: BTreeSet<&str> =
        v["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert!(!files.contains("vendor/Dockerfile") && files.contains("Dockerfile"), "{files:?}");
    // --max-warnings: more warnings than that fail even under the threshold.
    let run =
        |extra: &[&str]| s.run(&[&["check", "--no-shellcheck", "-t", "none"][..], extra, &["Dockerfile"]].concat());
    assert_eq!(run(&["--max-warnings", "10"]).status.code(), Some(0));
    assert_eq!(run(&["--max-warnings", "1"]).status.code(), Some(1));
    // --fix-dry-run prints the change and writes nothing.
    let out = s.run(&["check", "--fix-dry-run", "Dockerfile"]);
    assert!(stdout(&out).contains("+COPY a.txt /a"), "{}", stdout(&out));
    assert_eq!(s.read("Dockerfile"), DOCKERFILE);
    // -c names a dclint configuration file.
    s.write("lint/dclint.json", "{\"rules\": {\"no-version-field\": 2}}\n");
    s.write("v/compose.yaml", "version: \"3.8\"\nservices:\n  web:\n    image: nginx:1\n");
    let v = json(&s.run(&["check", "-f", "json", "v/compose.yaml"]));
    assert_eq!(severity_of(&v, "BC1002"), "info");
    let v = json(&s.run(&["check", "-c", "lint/dclint.json", "-f", "json", "v/compose.yaml"]));
    assert_eq!(severity_of(&v, "BC1002"), "error");
    // -q: only the findings.
    let out = s.run(&["check", "--no-shellcheck", "-q", "--color", "never", "Dockerfile"]);
    assert!(!stdout(&out).contains("found"), "{}", stdout(&out));
}

#[test]
fn file_kinds() {
    let s = Scratch::new("dropin-kinds");
    s.write("w/Dockerfile_worker", "FROM alpine\n");
    s.write("w/api.Dockerfile", "FROM alpine\n");
    s.write("w/Dockerfile.dockerignore", "node_modules\n**/*.log\n");
    s.write("deploy.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers: []\n");
    s.write("docker-bake.hcl", "target \"default\" {\n  dockerfile = \"Dockerfile\"\n}\n");
    s.write("stack.yml", "services:\n  web:\n    image: nginx:latest\n");
    let v = json(&s.run(&["check", "--no-shellcheck", "-f", "json", "w"]));
    let files: BTreeSet<&str> =
        v["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert_eq!(files, BTreeSet::from(["w/Dockerfile_worker", "w/api.Dockerfile"]));
    assert_eq!(v["files"], 2);
    // A Kubernetes manifest or a bake file named on the command line is skipped with a note.
    for f in ["deploy.yaml", "docker-bake.hcl"] {
        let out = s.run(&["check", "--no-shellcheck", "-f", "json", f]);
        assert_eq!(out.status.code(), Some(0), "{f}: {}", stderr(&out));
        assert!(codes(&json(&out)).is_empty(), "{f}: {}", stdout(&out));
        assert!(stderr(&out).contains("skipped"), "{f}: {}", stderr(&out));
    }
    // A YAML file with services is Compose whatever its name.
    assert!(codes(&json(&s.run(&["check", "-f", "json", "stack.yml"]))).iter().all(|c| c.starts_with("BC")));
    // --kind forces it.
    let v = json(&s.run(&["check", "--kind", "compose", "-f", "json", "deploy.yaml"]));
    assert!(!codes(&v).is_empty() && codes(&v).iter().all(|c| c.starts_with("BC")), "{v}");
    // `kind` in [[overrides]].
    s.write("k/berth.toml", "[[overrides]]\npaths = [\"*.stack\"]\nkind = \"compose\"\n");
    s.write("k/app.stack", "services:\n  web:\n    image: nginx:latest\n");
    let v = json(&s.run(&["check", "--no-shellcheck", "-f", "json", "k/app.stack"]));
    assert!(!codes(&v).is_empty() && codes(&v).iter().all(|c| c.starts_with("BC")), "{v}");
    s.write("k2/berth.toml", "[[overrides]]\npaths = [\"*\"]\nkind = \"podman\"\n");
    s.write("k2/Dockerfile", "FROM ubuntu\n");
    let out = s.run(&["check", "k2/Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("overrides.kind"), "{}", stderr(&out));
}

#[test]
fn missing_paths_empty_folders_and_binary_files() {
    let s = Scratch::new("dropin-paths");
    let out = s.run(&["check", "--no-shellcheck", "--color", "never", "nosuch/Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stdout(&out).contains("ok:"), "{}", stdout(&out));
    assert!(stderr(&out).contains("nosuch/Dockerfile"), "{}", stderr(&out));
    std::fs::create_dir_all(s.path.join("empty")).unwrap();
    let out = s.run(&["check", "empty"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("no Dockerfile or Compose file"), "{}", stderr(&out));
    let mut binary = b"\x7fELF\x02\x01\x01\0\0\0".to_vec();
    binary.extend((0u8..=255).cycle().take(4000));
    s.write("blob.Dockerfile", &binary);
    let v = json(&s.run(&["check", "--no-shellcheck", "-f", "json", "blob.Dockerfile"]));
    assert_eq!(codes(&v), ["BD0001"]);
    assert!(v["diagnostics"][0]["message"].as_str().unwrap().contains("not a text file"));
}

#[test]
fn a_closed_pipe_ends_berth_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let s = Scratch::new("dropin-pipe");
    for i in 0..300 {
        s.write(&format!("d{i}/Dockerfile"), DOCKERFILE);
    }
    for args in [&["rules", "--format", "markdown"][..], &["check", "--no-shellcheck", "--color", "never", "."][..]] {
        let mut child = Command::new(berth_bin())
            .args(args)
            .current_dir(&s.path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        // The reader is dropped here: berth writes into a closed pipe.
        let out = child.wait_with_output().unwrap();
        assert_ne!(out.status.code(), Some(101), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn misspelt_rules_get_a_suggestion() {
    let s = Scratch::new("dropin-typo");
    s.write("Dockerfile", DOCKERFILE);
    let out = s.run(&["check", "--ignore", "pin-apt-get-version", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `pin-apt-get-versions`"), "{}", stderr(&out));
    s.write("berth.toml", "ignore = [\"tag-image-versions\"]\n");
    let out = s.run(&["check", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `tag-image-version`"), "{}", stderr(&out));
}

#[test]
fn control_characters_and_secrets_never_reach_the_terminal_raw() {
    let s = Scratch::new("dropin-ctl");
    s.write(
        "Dockerfile",
        "FROM alpine:3\nRUN echo \"\x1b]0;pwned\x07\" && cd /tmp\nENV GITHUB_TOKEN=ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3gH5\n",
    );
    for f in ["tty", "gnu", "github"] {
        let out = s.run(&["check", "--no-shellcheck", "--color", "never", "-f", f, "Dockerfile"]);
        let text = stdout(&out);
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{f}: {text:?}");
        assert!(!text.contains("aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3gH5"), "{f}: the token is printed: {text}");
    }
    let text = stdout(&s.run(&["check", "--no-shellcheck", "--color", "never", "Dockerfile"]));
    assert!(text.contains("echo \"\\x1b]0;pwned\\x07\""), "{text}");
    assert!(text.contains("ghp_****"), "{text}");
    // A Compose default password: the variable's name stays, its default is masked.
    s.write(
        "compose.yaml",
        "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-postgres}\n",
    );
    let text = stdout(&s.run(&["check", "--color", "never", "--select", "BC2008", "compose.yaml"]));
    assert!(text.contains("BC2008"), "{text}");
    assert!(text.contains("${POSTGRES_PASSWORD:-p*******}"), "{text}");
}

#[test]
fn hadolint_ci_line_runs_unchanged() {
    // A typical CI line from hadolint's README, with `hadolint` replaced by `berth check`.
    let s = Scratch::new("dropin-ci");
    s.write("Dockerfile", "FROM alpine:3.20\nRUN apk add --no-cache curl\n");
    s.write(".hadolint.yaml", "failure-threshold: warning\n");
    let out = run_in(
        &s.path,
        &[
            "check",
            "--no-shellcheck",
            "-c",
            ".hadolint.yaml",
            "--no-color",
            "-t",
            "error",
            "--trusted-registry",
            "docker.io",
            "Dockerfile",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
}
