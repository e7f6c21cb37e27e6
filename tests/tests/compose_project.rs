//! A Compose file with the files around it: `.env`, the override file,
//! included and extended files, env files, build contexts, Dockerfiles and
//! `.dockerignore`, through the built `berth check --format json`.

use berth_tests::{Scratch, json, run_in, stderr};
use serde_json::Value;

/// (code, line, column, end line, end column) of every finding in `file`.
fn found(v: &Value, file: &str) -> Vec<(String, u64, u64, u64, u64)> {
    let mut out: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| {
            let r = &d["range"];
            (
                d["code"].as_str().unwrap().to_string(),
                r["start"]["line"].as_u64().unwrap(),
                r["start"]["column"].as_u64().unwrap(),
                r["end"]["line"].as_u64().unwrap(),
                r["end"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn message<'v>(v: &'v Value, code: &str) -> &'v str {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .and_then(|d| d["message"].as_str())
        .unwrap_or_else(|| panic!("no {code} in {v}"))
}

/// berth's Compose project rules, and a few Dockerfile rules these tests rely on.
const SELECT: &str =
    "BC0010,BC0011,BC5001,BC5002,BC5003,BC5004,BC5005,BC5006,BC5007,BC5008,BC5010,BC2001,DL3007,BD1016";

fn check(s: &Scratch, args: &[&str]) -> Value {
    let mut all = vec!["check", "--format", "json", "--no-shellcheck", "--select", SELECT];
    all.extend_from_slice(args);
    let out = s.run(&all);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    json(&out)
}

fn f(code: &str, line: u64, col: u64, end_line: u64, end_col: u64) -> (String, u64, u64, u64, u64) {
    (code.to_string(), line, col, end_line, end_col)
}

const COMPOSE: &str = "\
include:
  - shared/compose.yaml
  - missing.yaml
services:
  api:
    build:
      context: ./api
      target: prod
      args:
        BASE_IMAGE: python:3.12-slim
        PY_VERSON: \"3.13\"
    image: example/api:${TAG:?set TAG}
    pull_policy: build
    env_file:
      - api.env
      - path: local.env
        required: false
      - missing.env
    ports:
      - \"127.0.0.1:8000:8000\"
  worker:
    build: ./worker
    extends:
      file: common.yaml
      service: bas
  web:
    build: ./frontend
    environment:
      GREETING: ${GREETING:-hello ${ NAME}}
";

fn project() -> Scratch {
    let s = Scratch::new("compose-project");
    s.write("compose.yaml", COMPOSE);
    s.write("compose.override.yaml", "services:\n  cache:\n    image: redis:7\n");
    s.write(".env", "# project variables\nCOMPOSE_PROJECT_NAME=demo\n");
    s.write("shared/compose.yaml", "services:\n  shared: {}\n");
    s.write("api.env", "DEBUG=1\n");
    s.write("common.yaml", "services:\n  base:\n    image: example/base\n");
    s.write(
        "api/Dockerfile",
        "ARG BASE_IMAGE\nFROM ${BASE_IMAGE} AS build\nARG PY_VERSION=3.12\nFROM build AS production\nCOPY secrets.txt /srv/\n",
    );
    s.write("api/.dockerignore", "secrets.txt\n");
    s.write("worker/Dockerfile", "ARG BASE\nFROM ${BASE}\n");
    s
}

#[test]
fn compose_project_findings_at_their_keys() {
    let s = project();
    let v = check(&s, &["compose.yaml"]);
    assert_eq!(v["files"], 1);
    assert_eq!(
        found(&v, "compose.yaml"),
        [
            f("BC0010", 29, 35, 29, 43),
            f("BC0011", 12, 24, 12, 39),
            f("BC5001", 3, 5, 3, 17),
            f("BC5002", 25, 16, 25, 19),
            f("BC5003", 18, 9, 18, 20),
            f("BC5004", 27, 12, 27, 22),
            f("BC5006", 8, 15, 8, 19),
            f("BC5007", 11, 9, 11, 18),
            f("BC5008", 22, 5, 22, 10),
        ],
        "{v:#}"
    );
    assert!(message(&v, "BC5007").contains("did you mean `PY_VERSION`?"), "{v}");
    assert!(message(&v, "BC5002").contains("did you mean `base`?"), "{v}");
    assert!(message(&v, "BC5006").contains("`build`, `production`"), "{v}");
    assert!(message(&v, "BC5008").contains("`BASE`"), "{v}");

    // Without `.env`, a required variable is meant to come from the environment.
    std::fs::remove_file(s.path.join(".env")).unwrap();
    let v = check(&s, &["compose.yaml"]);
    assert!(!found(&v, "compose.yaml").iter().any(|d| d.0 == "BC0011"), "{v}");

    // The files are fine: only the content problems are left.
    s.write("missing.yaml", "services: {}\n");
    s.write("missing.env", "A=1\n");
    s.write("frontend/Dockerfile", "FROM nginx:1.27\n");
    s.write("common.yaml", "services:\n  bas: {}\n");
    let v = check(&s, &["compose.yaml"]);
    let codes: Vec<_> = found(&v, "compose.yaml").into_iter().map(|d| d.0).collect();
    assert_eq!(codes, ["BC0010", "BC5006", "BC5007", "BC5008"], "{v}");
}

#[test]
fn dockerfiles_are_linted_as_compose_builds_them() {
    let s = project();
    let v = check(&s, &[]);
    // The `.dockerignore` of the context applies, and `BASE_IMAGE` has a value.
    let api = found(&v, "api/Dockerfile");
    assert_eq!(api, [f("BD1016", 5, 6, 5, 17)], "{v:#}");

    // build.args feed the Dockerfile's ARGs: a `latest` tag given by Compose is found.
    let s = Scratch::new("compose-args");
    s.write("compose.yaml", "services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n      args:\n        BASE: ubuntu:latest\n");
    s.write("docker/Dockerfile", "ARG BASE=ubuntu:24.04\nFROM ${BASE}\nCOPY build/ /srv/\nUSER nobody\n");
    s.write(".dockerignore", "build\n");
    let v = check(&s, &[]);
    let codes: Vec<_> = found(&v, "docker/Dockerfile").into_iter().map(|d| (d.0, d.1)).collect();
    assert!(codes.contains(&("DL3007".to_string(), 2)), "{v:#}");
    assert!(codes.contains(&("BD1016".to_string(), 3)), "the context's .dockerignore: {v:#}");
    // Alone, the Dockerfile is judged with its own defaults and folder.
    let v = check(&s, &["docker/Dockerfile"]);
    let codes: Vec<_> = found(&v, "docker/Dockerfile").into_iter().map(|d| d.0).collect();
    assert!(!codes.contains(&"DL3007".to_string()) && !codes.contains(&"BD1016".to_string()), "{v:#}");
}

#[test]
fn names_of_the_override_and_included_files_are_known() {
    let s = project();
    // The base file's services are seen from an override file, and the other way round.
    s.write("compose.override.yaml", "services:\n  cache:\n    image: redis:7\n    depends_on: [api, shared]\n");
    let out = s.run(&["check", "--format", "json", "--no-shellcheck", "--select", "BC5001", "compose.override.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The API: the project's other files, read by the engine.
    let text = std::fs::read_to_string(s.path.join("compose.yaml")).unwrap();
    let dir = s.path.clone();
    let inputs = berth_rules::compose::project::ComposeInputs::gather("compose.yaml", &text, &mut |r| {
        let p = dir.join(&r.path);
        match std::fs::metadata(&p) {
            Err(_) => berth_rules::compose::project::Found::Missing,
            Ok(m) if m.is_dir() => berth_rules::compose::project::Found::Dir,
            Ok(_) => berth_rules::compose::project::Found::File(std::fs::read_to_string(&p).ok()),
        }
    });
    let file = berth_rules::compose::ComposeFile::parse(&text).unwrap();
    let project = berth_rules::compose::project::Project::new(&file, &inputs);
    assert!(project.defines("services", "cache"), "override");
    assert!(project.defines("services", "shared"), "included");
    assert!(!project.complete(), "missing.yaml is not there");
}

#[test]
fn discovery_by_name_and_content() {
    let s = Scratch::new("compose-discovery");
    let compose = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n";
    s.write("stack.yml", compose);
    s.write("dev-compose.yml", compose);
    s.write("values.yaml", "replicas: 2\n");
    // A folder walk goes by names: `dev-compose.yml`, not `stack.yml`.
    let v = check(&s, &[]);
    assert_eq!(v["files"], 1, "{v}");
    assert_eq!(found(&v, "dev-compose.yml")[0].0, "BC2001");
    // Named on the command line, a YAML file with `services:` is a Compose file.
    let v = check(&s, &["stack.yml"]);
    assert_eq!(found(&v, "stack.yml"), [f("BC2001", 4, 5, 4, 21)], "{v}");
    // Standard input with a YAML name and Compose content, in a project folder.
    s.write("other.yaml", "include: [gone.yaml]\nservices: {}\n");
    let out = run_in(
        &s.path,
        &["check", "--format", "json", "--select", SELECT, "--stdin-filename", "other.yaml", "-"],
        Some(b"include: [gone.yaml]\nservices: {}\n"),
    );
    assert_eq!(found(&json(&out), "other.yaml"), [f("BC5001", 1, 11, 1, 20)]);
}

#[test]
fn later_yaml_documents_are_reported_and_their_names_count() {
    let s = Scratch::new("compose-documents");
    s.write(
        "compose.yaml",
        "services:\n  app:\n    image: example/app:1.4\n    depends_on: [db]\n---\nservices:\n  db:\n    image: postgres:17\n",
    );
    let v = check(&s, &[]);
    assert_eq!(found(&v, "compose.yaml"), [f("BC5010", 5, 1, 5, 4)], "{v:#}");
    assert!(message(&v, "BC5010").contains("merges"));
}

#[test]
fn loops_and_large_files_are_harmless() {
    let s = Scratch::new("compose-loops");
    s.write("compose.yaml", "include:\n  - a.yaml\n  - loop.yaml\nservices:\n  app:\n    image: x:${TAG:?}\n");
    s.write("a.yaml", "include: [b.yaml]\n");
    s.write("b.yaml", "include: [a.yaml, compose.yaml]\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink("loop.yaml", s.path.join("loop.yaml")).unwrap();
    // A `.env` over 10 MB is not read: its variables are unknown, nothing is guessed.
    s.write(".env", "A=1\n".repeat(3_000_000));
    let t = std::time::Instant::now();
    let v = check(&s, &["compose.yaml"]);
    assert!(t.elapsed().as_secs() < 20);
    assert_eq!(found(&v, "compose.yaml"), [], "{v:#}");
}

/// The reference rules (BC4001-BC4005) and the missing-file rule.
const REFS: &str = "BC4001,BC4002,BC4003,BC4004,BC4005,BC5001";

fn check_refs(s: &Scratch, files: &[&str]) -> Value {
    let mut all = vec!["check", "--format", "json", "--no-shellcheck", "--select", REFS];
    all.extend_from_slice(files);
    let out = s.run(&all);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    json(&out)
}

#[test]
fn references_across_the_base_and_override_files() {
    let s = Scratch::new("compose-refs");
    s.write(
        "compose.yaml",
        "services:\n  api:\n    image: example/api:1.0\n    networks: [back]\n    volumes: [data:/srv]\nnetworks:\n  back: {}\nvolumes:\n  data: {}\n  cache: {}\n  old: {}\n",
    );
    // A fragment: `api` gets more settings, `worker` uses names of the base file.
    s.write(
        "compose.override.yaml",
        "services:\n  api:\n    depends_on: [worker]\n  worker:\n    image: example/worker:1.0\n    depends_on: [api]\n    networks: [back]\n    volumes: [cache:/cache]\n",
    );
    let v = check_refs(&s, &["compose.yaml", "compose.override.yaml"]);
    // `cache` is used by the override only; `old` by nobody.
    assert_eq!(found(&v, "compose.yaml"), [f("BC4005", 11, 3, 11, 6)], "{v:#}");
    assert_eq!(found(&v, "compose.override.yaml"), [], "{v:#}");

    // Alone (the library without the project), the base file does not see the
    // override's uses, and the override fragment is not checked.
    let codes = |name: &str| {
        let text = s.read(name);
        let selection = berth_rules::Selection::only(&REFS.split(',').collect::<Vec<_>>());
        let r = berth_rules::engine::lint_compose(&text, &selection);
        r.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
    };
    assert_eq!(codes("compose.yaml"), ["BC4005", "BC4005"]);
    assert_eq!(codes("compose.override.yaml"), Vec::<&str>::new());

    // Names defined nowhere are reported, with suggestions from the other file.
    s.write(
        "compose.override.yaml",
        "services:\n  worker:\n    image: example/worker:1.0\n    depends_on: [apii]\n    networks: [bak]\n    volumes: [cache:/cache]\n",
    );
    let v = check_refs(&s, &["compose.override.yaml"]);
    assert_eq!(found(&v, "compose.override.yaml"), [f("BC4001", 4, 18, 4, 22), f("BC4002", 5, 16, 5, 19)], "{v:#}");
    assert!(message(&v, "BC4001").contains("did you mean `api`?"), "{v}");
    assert!(message(&v, "BC4002").contains("did you mean `back`?"), "{v}");
}

#[test]
fn references_are_not_judged_when_an_included_file_is_missing() {
    let s = Scratch::new("compose-refs-include");
    s.write(
        "compose.yaml",
        "include:\n  - gone.yaml\n  - shared.yaml\nservices:\n  app:\n    image: example/app:1.0\n    depends_on: [db, cache]\n    networks: [back]\n",
    );
    s.write("shared.yaml", "services:\n  db:\n    image: postgres:17\nnetworks:\n  back: {}\n");
    let v = check_refs(&s, &["compose.yaml"]);
    // `cache` may be defined in the missing file: only the missing file is reported.
    assert_eq!(found(&v, "compose.yaml"), [f("BC5001", 2, 5, 2, 14)], "{v:#}");

    // Once every file is read, what is still undefined is reported.
    s.write("gone.yaml", "services:\n  cachee:\n    image: redis:7\n");
    let v = check_refs(&s, &["compose.yaml"]);
    assert_eq!(found(&v, "compose.yaml"), [f("BC4001", 7, 22, 7, 27)], "{v:#}");
    assert!(message(&v, "BC4001").contains("did you mean `cachee`?"), "{v}");

    // An override fragment without its base file beside it is merged over a
    // file berth does not know: nothing is judged.
    let s = Scratch::new("compose-refs-fragment");
    s.write(
        "docker-compose.prod.yml",
        "services:\n  app:\n    depends_on: [db]\n    volumes: [data:/srv]\nvolumes:\n  logs: {}\n",
    );
    let v = check_refs(&s, &["docker-compose.prod.yml"]);
    assert_eq!(found(&v, "docker-compose.prod.yml"), [], "{v:#}");
}
