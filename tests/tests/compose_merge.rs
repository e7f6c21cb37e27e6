//! The Compose project as Compose computes it, through the built binary:
//! `berth compose config` (files merged, profiles applied, variables
//! interpolated) and `berth check` judging an override file with its base
//! file and services by profile.

use berth_tests::{Scratch, berth_bin, json, stderr, stdout};
use serde_json::Value;
use std::process::{Command, Output, Stdio};

/// Run berth in `s` with `vars` set (and the Compose variables of the
/// caller's environment removed).
fn run_env(s: &Scratch, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut c = Command::new(berth_bin());
    c.args(args).current_dir(&s.path).stdin(Stdio::null());
    for v in [
        "COMPOSE_FILE",
        "COMPOSE_PROFILES",
        "COMPOSE_PATH_SEPARATOR",
        "COMPOSE_PROJECT_NAME",
        "COMPOSE_ENV_FILES",
        "TAG",
        "PORT",
    ] {
        c.env_remove(v);
    }
    for (k, v) in vars {
        c.env(k, v);
    }
    c.output().expect("run berth")
}

fn config(s: &Scratch, args: &[&str], vars: &[(&str, &str)]) -> Value {
    let mut all = vec!["compose", "config", "--format", "json"];
    all.extend_from_slice(args);
    let out = run_env(s, &all, vars);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    json(&out)
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    k.sort();
    k
}

const BASE: &str = "\
name: Shop
services:
  api:
    build: ./api
    image: \"example/api:${TAG:-1.0}\"
    ports: [\"8080:80\"]
    environment:
      MODE: prod
      PRICE: \"$$5\"
    command: [\"serve\", \"--port\", \"80\"]
    volumes: [\"./data:/data\", \"./cache:/cache\"]
  llm-cpu:
    image: ollama/ollama:0.5.4
    profiles: [cpu]
  llm-gpu:
    image: ollama/ollama:0.5.4
    profiles: [gpu-nvidia]
    depends_on: [api]
";

const OVERRIDE: &str = "\
services:
  api:
    build:
      target: dev
    ports: [\"9229:9229\"]
    environment: [MODE=dev, DEBUG=1]
    volumes: [\"./dev-data:/data\"]
    command: !reset null
";

fn project() -> Scratch {
    let s = Scratch::new("compose-merge");
    s.write("compose.yaml", BASE);
    s.write("compose.override.yaml", OVERRIDE);
    s.write("api/Dockerfile", "FROM alpine:3.20\n");
    s
}

#[test]
fn override_file_is_merged_key_by_key() {
    let s = project();
    let v = config(&s, &[], &[]);
    assert_eq!(v["name"], "shop", "the name is normalised");
    let api = &v["services"]["api"];
    assert_eq!(api["build"]["context"], "./api");
    assert_eq!(api["build"]["target"], "dev");
    assert_eq!(api["image"], "example/api:1.0");
    assert_eq!(api["ports"], serde_json::json!(["8080:80", "9229:9229"]));
    assert_eq!(api["environment"]["MODE"], "dev");
    assert_eq!(api["environment"]["DEBUG"], "1");
    assert_eq!(api["environment"]["PRICE"], "$$5", "`$$` is a literal `$`, printed escaped");
    assert_eq!(api["volumes"], serde_json::json!(["./dev-data:/data", "./cache:/cache"]), "volumes by target");
    assert!(api.get("command").is_none(), "`!reset` removes the command");
    assert_eq!(keys(&v["services"]), ["api"], "services with profiles are disabled by default");
}

#[test]
fn profiles_from_flags_and_environment() {
    let s = project();
    let v = config(&s, &["--profile", "gpu-nvidia"], &[]);
    assert_eq!(keys(&v["services"]), ["api", "llm-gpu"]);
    let v = config(&s, &[], &[("COMPOSE_PROFILES", "cpu, gpu-nvidia")]);
    assert_eq!(keys(&v["services"]), ["api", "llm-cpu", "llm-gpu"]);
    let v = config(&s, &["--profile", "cpu"], &[("COMPOSE_PROFILES", "gpu-nvidia")]);
    assert_eq!(keys(&v["services"]), ["api", "llm-cpu"], "flags replace COMPOSE_PROFILES");
    let v = config(&s, &["--profile", "*"], &[]);
    assert_eq!(keys(&v["services"]), ["api", "llm-cpu", "llm-gpu"]);
    // A service named on the command line enables its profiles; its dependencies come along.
    let v = config(&s, &["llm-gpu"], &[]);
    assert_eq!(keys(&v["services"]), ["api", "llm-gpu"]);
    assert_eq!(
        v["services"]["llm-gpu"]["depends_on"],
        serde_json::json!({"api": {"condition": "service_started", "required": true}}),
        "the long form, as docker compose config prints it"
    );
}

#[test]
fn files_from_flags_and_compose_file() {
    let s = project();
    s.write("prod.yaml", "services:\n  api:\n    image: example/api:prod\n    ports: [\"443:443\"]\n");
    // `-f` replaces the default files: no override here.
    let v = config(&s, &["-f", "compose.yaml", "-f", "prod.yaml"], &[]);
    let api = &v["services"]["api"];
    assert_eq!(api["image"], "example/api:prod");
    assert_eq!(api["ports"], serde_json::json!(["8080:80", "443:443"]));
    assert_eq!(api["command"], serde_json::json!(["serve", "--port", "80"]));
    let v = config(&s, &[], &[("COMPOSE_FILE", "compose.yaml;prod.yaml"), ("COMPOSE_PATH_SEPARATOR", ";")]);
    assert_eq!(v["services"]["api"]["image"], "example/api:prod");
    let v = config(&s, &[], &[("COMPOSE_FILE", "compose.yaml:prod.yaml")]);
    assert_eq!(v["services"]["api"]["image"], "example/api:prod");
    // From a sub-folder, the project is found upwards.
    std::fs::create_dir_all(s.path.join("api/src")).unwrap();
    let out = Command::new(berth_bin())
        .args(["compose", "config", "--format", "json"])
        .current_dir(s.path.join("api/src"))
        .env_remove("COMPOSE_FILE")
        .output()
        .unwrap();
    assert_eq!(json(&out)["services"]["api"]["build"]["target"], "dev");
    let out = run_env(&s, &["compose", "config", "-f", "nope.yaml"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nope.yaml"), "{}", stderr(&out));
}

#[test]
fn interpolation_env_files_and_project_directory() {
    let s = project();
    s.write(".env", "TAG=2.0\n");
    s.write("other.env", "TAG=3.0\n");
    assert_eq!(config(&s, &[], &[])["services"]["api"]["image"], "example/api:2.0");
    assert_eq!(config(&s, &[], &[("TAG", "9")])["services"]["api"]["image"], "example/api:9", "the shell wins");
    assert_eq!(config(&s, &["--env-file", "other.env"], &[])["services"]["api"]["image"], "example/api:3.0");
    let sub = s.path.join("elsewhere");
    std::fs::create_dir_all(&sub).unwrap();
    let out = Command::new(berth_bin())
        .args(["compose", "config", "--format", "json", "--project-directory"])
        .arg(&s.path)
        .current_dir(&sub)
        .env_remove("TAG")
        .env_remove("COMPOSE_FILE")
        .output()
        .unwrap();
    assert_eq!(json(&out)["services"]["api"]["image"], "example/api:2.0", "{}", stderr(&out));
    // A required variable without a value is Compose's error.
    s.write("req.yaml", "services:\n  a:\n    image: \"${IMG:?set IMG}\"\n");
    let out = run_env(&s, &["compose", "config", "-f", "req.yaml"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("IMG"), "{}", stderr(&out));
}

#[test]
fn project_name_standard_input_and_env_files_variable() {
    let s = project();
    s.write(".env", "TAG=2.0\n");
    s.write("a.env", "TAG=4.0\n");
    s.write("b.env", "TAG=5.0\n");
    // `-p` wins over COMPOSE_PROJECT_NAME, which wins over `name:`.
    assert_eq!(config(&s, &[], &[])["name"], "shop");
    assert_eq!(config(&s, &[], &[("COMPOSE_PROJECT_NAME", "envname")])["name"], "envname");
    assert_eq!(config(&s, &["-p", "flagname"], &[("COMPOSE_PROJECT_NAME", "envname")])["name"], "flagname");
    let out = run_env(&s, &["compose", "config", "-p", "Bad Name"], &[]);
    assert_eq!(out.status.code(), Some(1), "an invalid name is refused as docker compose refuses it");
    // COMPOSE_ENV_FILES stands in for --env-file (the later file wins); --env-file wins over it.
    let v = config(&s, &[], &[("COMPOSE_ENV_FILES", "a.env,b.env")]);
    assert_eq!(v["services"]["api"]["image"], "example/api:5.0");
    let v = config(&s, &["--env-file", "a.env"], &[("COMPOSE_ENV_FILES", "b.env")]);
    assert_eq!(v["services"]["api"]["image"], "example/api:4.0");
    // `-f -` reads the file from standard input; paths are relative to the current folder.
    let mut c = Command::new(berth_bin());
    c.args(["compose", "config", "--format", "json", "-f", "-", "-p", "piped"])
        .current_dir(&s.path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for v in ["COMPOSE_FILE", "COMPOSE_PROJECT_NAME", "COMPOSE_ENV_FILES", "TAG"] {
        c.env_remove(v);
    }
    let mut child = c.spawn().unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), b"services:\n  web:\n    image: \"nginx:${TAG}\"\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["name"], "piped");
    assert_eq!(v["services"]["web"]["image"], "nginx:2.0", "the folder's .env is read: {v}");
}

#[test]
fn include_extends_and_tags() {
    let s = Scratch::new("compose-include");
    s.write(
        "compose.yaml",
        "include:\n  - shared/compose.yaml\nservices:\n  web:\n    extends:\n      file: common.yaml\n      service: base\n    image: example/web:2\n    ports: [\"81:81\"]\n  worker:\n    extends: web\n    ports: !override [\"82:82\"]\n    depends_on: [cache]\n",
    );
    s.write("shared/compose.yaml", "services:\n  cache:\n    image: redis:7\nname: ignored\n");
    s.write("common.yaml", "services:\n  base:\n    image: example/base:1\n    command: run\n    ports: [\"80:80\"]\n");
    let v = config(&s, &[], &[]);
    assert_eq!(keys(&v["services"]), ["cache", "web", "worker"]);
    let web = &v["services"]["web"];
    assert_eq!(web["image"], "example/web:2");
    assert_eq!(web["command"], "run", "inherited from the extended service");
    assert_eq!(web["ports"], serde_json::json!(["80:80", "81:81"]));
    assert!(web.get("extends").is_none());
    let worker = &v["services"]["worker"];
    assert_eq!(worker["image"], "example/web:2");
    assert_eq!(worker["ports"], serde_json::json!(["82:82"]), "`!override` replaces the inherited list");
    assert!(v["name"] != "ignored", "an included file's name is not the project's");
}

#[test]
fn yaml_output() {
    let s = project();
    let out = run_env(&s, &["compose", "config"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("name: shop\nservices:\n  api:\n    build:\n      context: ./api\n      target: dev\n"),
        "{text}"
    );
    assert!(text.contains("    ports:\n      - \"8080:80\"\n      - \"9229:9229\"\n"), "{text}");
}

fn check(s: &Scratch, select: &str) -> Value {
    let out = run_env(s, &["check", "--format", "json", "--no-shellcheck", "--select", select, "."], &[]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    json(&out)
}

fn codes_in(v: &Value, file: &str) -> Vec<(String, u64)> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["range"]["start"]["line"].as_u64().unwrap()))
        .collect()
}

#[test]
fn an_override_that_only_sets_the_target_has_its_base_context() {
    let s = project();
    let v = check(&s, "BC5004,BC5005");
    assert!(codes_in(&v, "compose.override.yaml").is_empty(), "{v}");
    assert!(codes_in(&v, "compose.yaml").is_empty(), "{v}");
    // The Dockerfile named in the override is looked up in the base file's context.
    s.write(
        "compose.override.yaml",
        "services:\n  api:\n    build:\n      dockerfile: Dockerfile.dev\n      target: dev\n",
    );
    let v = check(&s, "BC5004,BC5005");
    assert_eq!(codes_in(&v, "compose.override.yaml"), [("BC5005".to_string(), 4)], "{v}");
    s.write("api/Dockerfile.dev", "FROM alpine:3.20\n");
    let v = check(&s, "BC5004,BC5005");
    assert!(codes_in(&v, "compose.override.yaml").is_empty(), "{v}");
}

#[test]
fn services_are_compared_across_files_and_by_profile() {
    let s = Scratch::new("compose-profiles");
    s.write(
        "compose.yaml",
        "services:\n  api:\n    image: example/api:1\n    container_name: app\n    ports: [\"8080:80\"]\n  llm-cpu:\n    image: ollama/ollama:0.5.4\n    profiles: [cpu]\n    container_name: llm\n    ports: [\"11434:11434\"]\n  llm-gpu:\n    image: ollama/ollama:0.5.4\n    profiles: [gpu-nvidia]\n    container_name: llm\n    ports: [\"11434:11434\"]\n",
    );
    let v = check(&s, "BC1006,BC1007");
    assert!(codes_in(&v, "compose.yaml").is_empty(), "exclusive profiles never run together: {v}");
    s.write(
        "compose.override.yaml",
        "services:\n  worker:\n    image: example/worker:1\n    container_name: app\n  tools:\n    image: example/tools:1\n    profiles: [gpu-nvidia]\n    ports: [\"11434:11434\"]\n",
    );
    let v = check(&s, "BC1006,BC1007");
    assert!(codes_in(&v, "compose.yaml").is_empty(), "{v}");
    assert_eq!(codes_in(&v, "compose.override.yaml"), [("BC1006".to_string(), 4), ("BC1007".to_string(), 8)], "{v}");
    let msgs: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["message"].as_str()).collect();
    assert!(msgs.iter().any(|m| m.contains("`compose.yaml` line 4")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("with profile `gpu-nvidia`")), "{msgs:?}");
}

#[test]
fn a_dependency_added_in_the_override_closes_a_cycle_there() {
    let s = Scratch::new("compose-cycle");
    s.write("compose.yaml", "services:\n  api:\n    image: example/api:1\n    depends_on: [worker]\n  worker:\n    image: example/worker:1\n");
    let v = check(&s, "BC4006,BC4001");
    assert!(codes_in(&v, "compose.yaml").is_empty(), "{v}");
    s.write("compose.override.yaml", "services:\n  worker:\n    depends_on:\n      - api\n");
    let v = check(&s, "BC4006,BC4001");
    assert!(codes_in(&v, "compose.yaml").is_empty(), "reported once, where the cycle is closed: {v}");
    assert_eq!(codes_in(&v, "compose.override.yaml"), [("BC4006".to_string(), 4)], "{v}");
}

#[test]
fn a_healthcheck_added_in_the_override_is_seen_from_the_base_file() {
    let s = Scratch::new("compose-health");
    s.write(
        "compose.yaml",
        "services:\n  api:\n    image: example/api:1\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: mongo:7\n",
    );
    let v = check(&s, "BC3003");
    assert_eq!(codes_in(&v, "compose.yaml"), [("BC3003".to_string(), 6)], "{v}");
    s.write(
        "compose.override.yaml",
        "services:\n  db:\n    healthcheck:\n      test: [\"CMD\", \"mongosh\", \"--eval\", \"db.adminCommand('ping')\"]\n",
    );
    let v = check(&s, "BC3003");
    assert!(codes_in(&v, "compose.yaml").is_empty(), "the override's healthcheck counts: {v}");
}
