//! AI suggestions against a real HTTP server on loopback that speaks the
//! Chat Completions protocol with scripted answers
//! ([`berth_tests::fake_llm`]).
//!
//! Every test plants secrets (an `hf_` token in a Dockerfile's ENV, an `sk-`
//! key and a password in the Compose file's `environment:`, which goes along
//! as the related file) and checks that no request body carries them.

use berth_tests::fake_llm::{ChatServer, Reply, Script, finding_number, user_prompt};
use berth_tests::{Scratch, berth_bin};
use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use berth_tests::fake_llm::fixtures::{COMPOSE, DOCKERFILE, HF_TOKEN, PINNED, SECRETS};

/// Every test checks the bodies for the planted secrets.
trait NoSecrets {
    fn assert_no_secrets(&self);
}

impl NoSecrets for ChatServer {
    fn assert_no_secrets(&self) {
        self.assert_none_contain(&SECRETS);
    }
}

/// The answer for requests that ask about DL3008 (given its number in the
/// request), `{"fixes": []}` for any other request.
fn for_dl3008(answer: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Script {
    Arc::new(move |_, body: &str| match finding_number(body, "DL3008") {
        Some(n) => answer(n),
        None => Reply::Content(r#"{"fixes": []}"#.into()),
    })
}

/// An answer with one fix: finding `finding`, line `line` replaced.
fn fix_json(finding: usize, line: usize, replacement: &str) -> String {
    json!({"fixes": [{
        "finding": finding,
        "fix": [{ "first_line": line, "last_line": line, "text": replacement }],
        "title": "Pin curl"
    }]})
    .to_string()
}

/// A project folder with the Dockerfile, the Compose file and an `[ai]` table.
fn project(name: &str, base_url: &str, extra: &str) -> Scratch {
    let s = Scratch::new(name);
    s.write("Dockerfile", DOCKERFILE);
    s.write("compose.yaml", COMPOSE);
    s.write(
        "berth.toml",
        format!(
            "[ai]\nbase_url = \"{base_url}\"\nmodel = \"test-model\"\npin_versions = true\n{}{extra}",
            if extra.contains("timeout_secs") { "" } else { "timeout_secs = 5\n" }
        ),
    );
    std::fs::create_dir_all(s.path.join(".git")).unwrap();
    s
}

/// Run berth in `dir` with a clean environment: no user configuration, the
/// cache in `dir/cache`, no proxy, no AI variables.
fn berth(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(berth_bin());
    cmd.args(args).current_dir(dir).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for var in [
        "BERTH_AI_BASE_URL",
        "BERTH_AI_MODEL",
        "BERTH_AI_API_KEY",
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_COLOR",
        "CI",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", dir).env("XDG_CONFIG_HOME", dir.join("config")).env("BERTH_CACHE_DIR", dir.join("cache"));
    cmd.output().expect("run berth")
}

fn out(o: &Output) -> (Value, String) {
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let v = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {stderr}"));
    (v, stderr)
}

fn finding<'a>(doc: &'a Value, code: &str) -> &'a Value {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {doc}"))
}

#[test]
fn a_good_fix_is_offered_and_marked_ai() {
    let server = ChatServer::start(for_dl3008(|n| Reply::Content(fix_json(n, 3, PINNED))));
    let p = project("ai-good", &server.base_url, "");
    let o = berth(&p.path, &["check", "--ai", "-f", "json", "Dockerfile"]);
    let (doc, stderr) = out(&o);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let fix = &finding(&doc, "DL3008")["fix"];
    assert_eq!(fix["origin"], "ai", "{doc}");
    assert_eq!(fix["safety"], "unsafe");
    assert_eq!(fix["title"], "Pin curl");
    let new_text = fix["edits"][0]["new_text"].as_str().unwrap();
    assert!(new_text.contains("curl=7.88.1-10+deb12u5"), "{new_text}");
    assert!(stderr.contains("1 fix(es) offered"), "{stderr}");
    // The request: the file between markers, the rule's docs, the related Compose file, JSON mode.
    let bodies = server.bodies();
    let req: Value = serde_json::from_str(bodies.iter().find(|b| b.contains("DL3008")).unwrap()).unwrap();
    assert_eq!(req["model"], "test-model");
    assert_eq!(req["response_format"]["type"], "json_schema");
    assert_eq!(req["response_format"]["json_schema"]["schema"]["required"][0], "fixes");
    let user = req["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("=====BEGIN FILE===== Dockerfile"), "{user}");
    assert!(user.contains("3 | RUN apt-get update"), "{user}");
    // One request for the file: both findings without a mechanical fix, numbered, with the rules' summaries.
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    assert!(user.contains("Finding 1: DL3064, line 2") && user.contains("Finding 2: DL3008, line 3"), "{user}");
    assert!(user.contains("- DL3008: Pin versions in apt-get install"), "{user}");
    assert!(user.contains("compose.yaml") && user.contains("__BERTH_SECRET_"), "{user}");
    server.assert_no_secrets();

    // SARIF carries it too; `berth fix` alone never applies it.
    let o = berth(&p.path, &["check", "--ai", "-f", "sarif", "Dockerfile"]);
    let (sarif, _) = out(&o);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let r = results.iter().find(|r| r["ruleId"] == "DL3008").unwrap();
    assert_eq!(r["fixes"][0]["properties"]["origin"], "ai", "{r}");
    let o = berth(&p.path, &["fix", "Dockerfile"]);
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(p.path.join("Dockerfile")).unwrap(), DOCKERFILE);
    server.assert_no_secrets();
}

#[test]
fn fix_with_ai_fixes_applies_the_validated_suggestion_and_restores_nothing_else() {
    let server = ChatServer::start(for_dl3008(|n| Reply::Content(fix_json(n, 3, PINNED))));
    let p = project("ai-fix-apply", &server.base_url, "");
    let o = berth(&p.path, &["fix", "--ai-fixes", "Dockerfile"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    let text = std::fs::read_to_string(p.path.join("Dockerfile")).unwrap();
    assert!(text.contains(PINNED), "{text}");
    // The secret the model never saw is still in the file, untouched.
    assert!(text.contains(HF_TOKEN));
    server.assert_no_secrets();
}

#[test]
fn a_kept_placeholder_is_restored_in_the_edit() {
    // The model edits the ENV line (redacted) and keeps the placeholder.
    let script: Script = Arc::new(|_, body: &str| {
        let user = user_prompt(body);
        let line = user.lines().find(|l| l.contains("| ENV HF_TOKEN=")).unwrap();
        let ph = line.split("HF_TOKEN=").nth(1).unwrap().trim();
        let n = finding_number(body, "DL3008").unwrap();
        let answer = json!({"fixes": [{"finding": n, "title": "Pin curl", "fix": [
            {"first_line": 2, "last_line": 3, "text": format!("ENV HF_TOKEN={ph}\n{PINNED}")}
        ]}]});
        Reply::Content(answer.to_string())
    });
    let server = ChatServer::start(script);
    let p = project("ai-placeholder", &server.base_url, "");
    let (doc, stderr) = out(&berth(&p.path, &["check", "--ai", "-f", "json", "Dockerfile"]));
    let fix = &finding(&doc, "DL3008")["fix"];
    assert_eq!(fix["origin"], "ai", "{doc}\n{stderr}");
    let new_text = fix["edits"][0]["new_text"].as_str().unwrap();
    assert!(new_text.contains(&format!("ENV HF_TOKEN={HF_TOKEN}\n")), "{new_text}");
    server.assert_no_secrets();
}

#[test]
fn a_fix_that_breaks_the_file_is_dropped() {
    let server = ChatServer::start(for_dl3008(|n| Reply::Content(fix_json(n, 3, &PINNED.replacen("RUN", "RUNN", 1)))));
    let p = project("ai-breaks", &server.base_url, "");
    let (doc, stderr) = out(&berth(&p.path, &["check", "--ai", "--verbose", "-f", "json", "Dockerfile"]));
    assert!(finding(&doc, "DL3008")["fix"].is_null(), "{doc}");
    assert!(stderr.contains("AI fix for DL3008 dropped: the edited file no longer parses"), "{stderr}");
    server.assert_no_secrets();
}

#[test]
fn a_fix_that_adds_a_finding_is_dropped() {
    // Pinned, but `-y` is gone: DL3014 (a warning) appears.
    let worse = PINNED.replace(" -y", "");
    let server = ChatServer::start(for_dl3008(move |n| Reply::Content(fix_json(n, 3, &worse))));
    let p = project("ai-adds", &server.base_url, "");
    let (doc, stderr) = out(&berth(&p.path, &["check", "--ai", "--verbose", "-f", "json", "Dockerfile"]));
    assert!(finding(&doc, "DL3008")["fix"].is_null(), "{doc}");
    assert!(stderr.contains("AI fix for DL3008 dropped: the edit adds DL3014"), "{stderr}");
    // Without --verbose the reason is not printed, only counted.
    let (_, stderr) = out(&berth(&p.path, &["check", "--ai", "-f", "json", "Dockerfile"]));
    assert!(!stderr.contains("dropped:") && stderr.contains("--verbose shows why"), "{stderr}");
    server.assert_no_secrets();
}

#[test]
fn malformed_json_is_reported_and_native_findings_stay() {
    let server = ChatServer::start(for_dl3008(|_| Reply::Content("Sure! {\"edits\": [ {\"start_line\": 3,".into())));
    let p = project("ai-malformed", &server.base_url, "");
    let o = berth(&p.path, &["check", "--ai", "-f", "json", "Dockerfile"]);
    let (doc, stderr) = out(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(finding(&doc, "DL3008")["fix"].is_null());
    assert!(stderr.contains("the model's answer is not usable"), "{stderr}");
    server.assert_no_secrets();
}

#[test]
fn an_answer_in_a_markdown_fence_is_read() {
    let server = ChatServer::start(for_dl3008(|n| {
        Reply::Content(format!("Here is the fix:\n\n```json\n{}\n```\n", fix_json(n, 3, PINNED)))
    }));
    let p = project("ai-fence", &server.base_url, "");
    let (doc, stderr) = out(&berth(&p.path, &["check", "--ai", "-f", "json", "Dockerfile"]));
    assert_eq!(finding(&doc, "DL3008")["fix"]["origin"], "ai", "{doc}\n{stderr}");
    server.assert_no_secrets();
}

#[test]
fn http_500_is_retried_then_reported() {
    let server = ChatServer::start(Arc::new(|_, _: &str| {
        Reply::Status(500, r#"{"error":{"message":"model crashed"}}"#.into(), Vec::new())
    }));
    let p = project("ai-500", &server.base_url, "max_retries = 1\n");
    let o = berth(&p.path, &["check", "--ai", "-f", "json", "--select", "DL3008", "Dockerfile"]);
    let (doc, stderr) = out(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(finding(&doc, "DL3008")["fix"].is_null());
    assert!(stderr.contains("answered HTTP 500: model crashed"), "{stderr}");
    // json_schema and json_object refused in turn, then plain text: one try and one retry.
    let bodies = server.bodies();
    assert_eq!(bodies.len(), 4, "{bodies:?}");
    assert!(bodies[0].contains(r#""type":"json_schema""#) && bodies[1].contains(r#""type":"json_object""#));
    assert!(!bodies[2].contains("response_format") && !bodies[3].contains("response_format"));
    server.assert_no_secrets();
}

/// llama-cpp-python's server answers HTTP 500 to `json_schema`; others 400
/// to `response_format` at all. berth lowers the format and remembers it.
#[test]
fn a_refused_response_format_falls_back_to_json_object_then_text() {
    // (what the server refuses, its status, requests refused: each refused format is asked for once)
    for (refuses, status, refused_requests) in [(r#""type":"json_schema""#, 500, 1), ("response_format", 400, 2)] {
        let script: Script = Arc::new(move |_, body: &str| {
            if body.contains(refuses) {
                Reply::Status(status, r#"{"error":{"message":"unsupported response_format"}}"#.into(), Vec::new())
            } else if let Some(n) = finding_number(body, "DL3008") {
                Reply::Content(fix_json(n, 3, PINNED))
            } else {
                Reply::Content(r#"{"fixes": []}"#.into())
            }
        });
        let server = ChatServer::start(script);
        let p = project(&format!("ai-format-{status}"), &server.base_url, "concurrency = 1\n");
        let (doc, stderr) = out(&berth(&p.path, &["check", "--ai", "-f", "json", "Dockerfile"]));
        assert_eq!(finding(&doc, "DL3008")["fix"]["origin"], "ai", "{doc}\n{stderr}");
        let bodies = server.bodies();
        let refused = bodies.iter().filter(|b| b.contains(refuses)).count();
        assert_eq!(refused, refused_requests, "each refused format is asked for once: {bodies:?}");
        server.assert_no_secrets();
    }
}

#[test]
fn a_429_then_success_honours_retry_after() {
    let script: Script = Arc::new(|n, body: &str| {
        if n == 0 {
            Reply::Status(429, r#"{"error":{"message":"slow down"}}"#.into(), vec![("Retry-After", "1".into())])
        } else if let Some(n) = finding_number(body, "DL3008") {
            Reply::Content(fix_json(n, 3, PINNED))
        } else {
            Reply::Content(r#"{"fixes": []}"#.into())
        }
    });
    let server = ChatServer::start(script);
    let p = project("ai-429", &server.base_url, "");
    let started = Instant::now();
    let (doc, stderr) = out(&berth(&p.path, &["check", "--ai", "-f", "json", "--select", "DL3008", "Dockerfile"]));
    assert!(started.elapsed() >= Duration::from_millis(900), "Retry-After: 1 was honoured");
    assert_eq!(finding(&doc, "DL3008")["fix"]["origin"], "ai", "{doc}\n{stderr}");
    assert_eq!(server.bodies().len(), 2);
    assert_eq!(server.bodies()[0], server.bodies()[1], "the same request again");
    server.assert_no_secrets();
}

#[test]
fn a_server_that_never_answers_times_out_and_native_findings_are_shown() {
    let server = ChatServer::start(Arc::new(|_, _: &str| Reply::Hang));
    let p = project("ai-hang", &server.base_url, "timeout_secs = 1\n");
    let started = Instant::now();
    let o = berth(&p.path, &["check", "--ai", "-f", "json", "Dockerfile"]);
    let (doc, stderr) = out(&o);
    assert!(started.elapsed() < Duration::from_secs(15), "bounded: {:?}", started.elapsed());
    assert_eq!(o.status.code(), Some(1), "the exit code comes from berth's own findings");
    assert!(finding(&doc, "DL3008")["fix"].is_null());
    assert!(doc["diagnostics"].as_array().unwrap().len() >= 2, "{doc}");
    assert!(stderr.contains("gave no answer within 1 s"), "{stderr}");
    assert!(stderr.lines().filter(|l| l.contains("gave no answer")).count() == 1, "one line: {stderr}");
    server.assert_no_secrets();
}

#[test]
fn a_server_that_is_down_gives_one_clear_line() {
    // Bind and close a port, so that nothing listens on it.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let p = project("ai-down", &format!("http://127.0.0.1:{port}/v1"), "");
    let o = berth(&p.path, &["check", "--ai", "-f", "json", "Dockerfile"]);
    let (doc, stderr) = out(&o);
    assert_eq!(o.status.code(), Some(1));
    finding(&doc, "DL3008");
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains("is not reachable")).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains(&format!("http://127.0.0.1:{port}/v1/chat/completions")), "{stderr}");
}

#[test]
fn an_oversized_answer_is_refused() {
    let big = "x".repeat(200_000);
    let server = ChatServer::start(for_dl3008(move |n| Reply::Content(fix_json(n, 3, &format!("{PINNED} # {big}")))));
    let p = project("ai-big", &server.base_url, "max_response_bytes = 65536\n");
    let (doc, stderr) = out(&berth(&p.path, &["check", "--ai", "-f", "json", "Dockerfile"]));
    assert!(finding(&doc, "DL3008")["fix"].is_null());
    assert!(stderr.contains("larger than 65536 bytes"), "{stderr}");
    server.assert_no_secrets();
}

#[test]
fn dry_run_prints_the_request_and_sends_nothing() {
    let server = ChatServer::start(Arc::new(|_, _: &str| Reply::Content(r#"{"edits": []}"#.into())));
    let p = project("ai-dry", &server.base_url, "");
    let o = berth(&p.path, &["check", "--ai-dry-run", "-f", "json", "Dockerfile"]);
    let (doc, stderr) = out(&o);
    finding(&doc, "DL3008");
    assert!(server.bodies().is_empty(), "nothing sent");
    assert!(stderr.contains(&format!("POST {}/chat/completions", server.base_url)), "{stderr}");
    for s in SECRETS {
        assert!(!stderr.contains(s), "{s} in the dry run output");
    }
    // Each body is printed as sent: a JSON object on its own line.
    let bodies: Vec<Value> =
        stderr.lines().filter(|l| l.starts_with('{')).map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(bodies.len(), 1, "one request with DL3064 and DL3008: {stderr}");
    assert!(stderr.contains("fixes of DL3064 at 2:14, DL3008 at 3:66 in Dockerfile"), "{stderr}");
    assert!(bodies.iter().all(|b| b["model"] == "test-model" && b["messages"][0]["role"] == "system"));

    // The review and explain requests too.
    let o = berth(&p.path, &["check", "--ai-review", "--ai-dry-run", "-f", "json", "Dockerfile"]);
    let (_, stderr) = out(&o);
    assert!(stderr.contains("a review of Dockerfile") && stderr.contains("review the main file"), "{stderr}");
    let o = berth(&p.path, &["explain", "--ai", "--ai-dry-run", "Dockerfile:3"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("an explanation of Dockerfile:3") && stderr.contains("DL3008"), "{stderr}");
    assert!(server.bodies().is_empty(), "nothing sent");
    for s in SECRETS {
        assert!(!stderr.contains(s), "{s} in the dry run output");
    }
}

#[test]
fn the_second_run_is_answered_from_the_cache() {
    let server = ChatServer::start(for_dl3008(|n| Reply::Content(fix_json(n, 3, PINNED))));
    let p = project("ai-cache", &server.base_url, "");
    let (doc, _) = out(&berth(&p.path, &["check", "--ai", "-f", "json", "Dockerfile"]));
    assert_eq!(finding(&doc, "DL3008")["fix"]["origin"], "ai");
    let first = server.bodies().len();
    assert!(first >= 1);
    let cached: Vec<_> = std::fs::read_dir(p.path.join("cache/ai")).unwrap().collect();
    assert_eq!(cached.len(), first, "one file per answer");
    let (doc, stderr) = out(&berth(&p.path, &["check", "--ai", "-f", "json", "Dockerfile"]));
    assert_eq!(server.bodies().len(), first, "no new request: {stderr}");
    assert_eq!(finding(&doc, "DL3008")["fix"]["origin"], "ai");
    // The cache holds answers, never the file or its secrets.
    for e in std::fs::read_dir(p.path.join("cache/ai")).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        assert!(!text.contains("debian:bookworm-slim") && SECRETS.iter().all(|s| !text.contains(s)));
    }
    server.assert_no_secrets();
}

#[test]
fn review_findings_are_advisory_anchored_and_deduplicated() {
    let script: Script = Arc::new(|_, _: &str| {
        Reply::Content(
            json!({"findings": [
                {"start_line": 4, "end_line": 4, "severity": "hint", "message": "The image runs as root; add a USER."},
                {"start_line": 3, "end_line": 3, "severity": "info", "message": "DL3008: pin the version of curl"},
                {"start_line": 40, "end_line": 41, "severity": "info", "message": "Out of the file."}
            ]})
            .to_string(),
        )
    });
    let server = ChatServer::start(script);
    let p = project("ai-review", &server.base_url, "");
    let o = berth(&p.path, &["check", "--ai-review", "--verbose", "-f", "json", "--select", "DL3008", "Dockerfile"]);
    let (doc, stderr) = out(&o);
    let ai: Vec<&Value> = doc["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "AI").collect();
    assert_eq!(ai.len(), 1, "{doc}\n{stderr}");
    assert_eq!(ai[0]["name"], "ai-review");
    assert_eq!(ai[0]["severity"], "style");
    assert_eq!(ai[0]["range"]["start"]["line"], 4);
    assert!(stderr.contains("repeats a finding of berth") && stderr.contains("not in the file"), "{stderr}");
    server.assert_no_secrets();

    // Review findings alone never fail the run.
    let o = berth(&p.path, &["check", "--ai-review", "-f", "json", "--select", "DL3020", "Dockerfile"]);
    let (doc, _) = out(&o);
    assert!(doc["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "AI"));
    assert_eq!(o.status.code(), Some(0));
    server.assert_no_secrets();
}

#[test]
fn explain_offline_and_with_the_model() {
    let server = ChatServer::start(Arc::new(|_, body: &str| {
        assert!(!body.contains("response_format"), "plain text is asked for");
        Reply::Content("Line 3 installs curl without a version; pin it.".into())
    }));
    let p = project("ai-explain", &server.base_url, "");
    let o = berth(&p.path, &["explain", "DL3008"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("## What it checks"));
    assert!(server.bodies().is_empty());
    let o = berth(&p.path, &["explain", "--ai", "Dockerfile:3"]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains("Dockerfile:3:66: DL3008") && stdout.contains("pin it."), "{stdout}");
    assert_eq!(server.bodies().len(), 1);
    server.assert_no_secrets();
}

#[test]
fn a_compose_fix_is_validated_with_the_dockerfile_as_context() {
    let script: Script = Arc::new(|_, body: &str| {
        if let Some(n) = finding_number(body, "BC1009") {
            Reply::Content(
                json!({"fixes": [{"finding": n, "title": "Publish on loopback only", "fix": [
                    {"first_line": 10, "last_line": 10, "text": "      - \"127.0.0.1:8080:8080\""}
                ]}]})
                .to_string(),
            )
        } else {
            Reply::Content(r#"{"fixes": []}"#.into())
        }
    });
    let server = ChatServer::start(script);
    let p = project("ai-compose", &server.base_url, "");
    // A port of a service that is not a database (BC1009, off by default and
    // selected here; a database port is BC2003's, which has a mechanical fix
    // and so is not sent to the model).
    p.write(
        "compose.yaml",
        format!("{COMPOSE}  api:\n    image: example/api:1.2\n    ports:\n      - \"8080:8080\"\n"),
    );
    let (doc, stderr) = out(&berth(&p.path, &["check", "--ai", "-f", "json", "--select", "BC1009", "compose.yaml"]));
    let fix = &finding(&doc, "BC1009")["fix"];
    assert_eq!(fix["origin"], "ai", "{doc}\n{stderr}");
    assert_eq!(fix["edits"][0]["new_text"], "      - \"127.0.0.1:8080:8080\"\n");
    // The Dockerfile that service `app` builds went along, redacted.
    let bodies = server.bodies();
    let req = bodies.iter().find(|b| finding_number(b, "BC1009").is_some()).unwrap();
    assert!(req.contains("RELATED FILE===== Dockerfile") && req.contains("ENV HF_TOKEN=__BERTH_SECRET_"), "{req}");
    server.assert_no_secrets();
}

#[test]
fn a_fix_for_a_project_level_finding_is_validated_with_the_project() {
    // BC5006 (a `build.target` that is not a stage of the Dockerfile) exists
    // only with the project: validation lints the fix in the same context.
    let script: Script = Arc::new(|_, body: &str| {
        if finding_number(body, "BC5006").is_some() {
            // The single-fix shape of earlier answers is still read for a request about one finding.
            Reply::Content(
                json!({"title": "Build the runtime stage", "edits": [
                    {"start_line": 5, "end_line": 5, "replacement": "      target: runtime"}
                ]})
                .to_string(),
            )
        } else {
            Reply::Content(r#"{"fixes": []}"#.into())
        }
    });
    let server = ChatServer::start(script);
    let p = project("ai-project-level", &server.base_url, "");
    p.write("Dockerfile", DOCKERFILE.replace("FROM debian:bookworm-slim", "FROM debian:bookworm-slim AS runtime"));
    p.write("compose.yaml", COMPOSE.replace("    build: .\n", "    build:\n      context: .\n      target: prod\n"));
    let (doc, stderr) = out(&berth(&p.path, &["check", "--ai", "-f", "json", "--select", "BC5006", "compose.yaml"]));
    let fix = &finding(&doc, "BC5006")["fix"];
    assert_eq!(fix["origin"], "ai", "{doc}\n{stderr}");
    assert_eq!(fix["edits"][0]["new_text"], "      target: runtime\n");
    server.assert_no_secrets();
}

/// One request per file: the answer lists a fix per finding, each validated
/// on its own. A good fix of DL3008 next to a bad one of DL3064 (it breaks
/// the file): only the good one is offered, the bad one is dropped with its reason.
#[test]
fn a_batch_answer_offers_the_good_fix_and_drops_the_bad_one() {
    let script: Script = Arc::new(|_, body: &str| {
        let (pin, env) = (finding_number(body, "DL3008").unwrap(), finding_number(body, "DL3064").unwrap());
        Reply::Content(
            json!({"fixes": [
                {"finding": env, "title": "Use a build secret", "fix": [{"first_line": 2, "last_line": 2, "text": "ENVV HF_TOKEN"}]},
                {"finding": pin, "title": "Pin curl", "fix": [{"first_line": 3, "last_line": 3, "text": PINNED}]}
            ]})
            .to_string(),
        )
    });
    let server = ChatServer::start(script);
    let p = project("ai-batch-mixed", &server.base_url, "");
    let (doc, stderr) = out(&berth(&p.path, &["check", "--ai", "--verbose", "-f", "json", "Dockerfile"]));
    assert_eq!(server.bodies().len(), 1, "one request for the file");
    assert_eq!(finding(&doc, "DL3008")["fix"]["origin"], "ai", "{doc}\n{stderr}");
    assert!(finding(&doc, "DL3064")["fix"].is_null(), "{doc}");
    assert!(stderr.contains("AI fix for DL3064 dropped: the edited file no longer parses"), "{stderr}");
    assert!(stderr.contains("1 fix(es) offered") && stderr.contains("1 suggestion(s) dropped"), "{stderr}");
    server.assert_no_secrets();
}

/// An answer that leaves a finding out, and one that names a finding the
/// request did not have (a number past the list, or a code not asked about):
/// the rest of the answer is still used, and `--verbose` says what happened.
#[test]
fn a_batch_answer_missing_a_finding_or_naming_an_unknown_one() {
    let script: Script = Arc::new(|_, body: &str| {
        let pin = finding_number(body, "DL3008").unwrap();
        Reply::Content(
            json!({"fixes": [
                {"finding": pin, "title": "Pin curl", "fix": [{"first_line": 3, "last_line": 3, "text": PINNED}]},
                {"finding": 7, "title": "Add a user", "fix": [{"first_line": 4, "last_line": 3, "text": "USER app"}]},
                {"finding": "DL3002", "title": "Add a user", "fix": [{"first_line": 4, "last_line": 3, "text": "USER app"}]}
            ]})
            .to_string(),
        )
    });
    let server = ChatServer::start(script);
    let p = project("ai-batch-partial", &server.base_url, "");
    let o = berth(&p.path, &["check", "--ai", "--verbose", "-f", "json", "Dockerfile"]);
    let (doc, stderr) = out(&o);
    assert_eq!(finding(&doc, "DL3008")["fix"]["origin"], "ai", "{doc}\n{stderr}");
    assert!(finding(&doc, "DL3064")["fix"].is_null(), "{doc}");
    assert!(stderr.contains("no AI fix for DL3064: the model's answer does not mention it"), "{stderr}");
    assert!(
        stderr.contains(
            "an entry of the AI answer dropped: a fix names finding 7, which is not one of the 2 asked about"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("a fix names `DL3002`, which is not one finding of the request"), "{stderr}");
    assert!(
        stderr.contains("1 fix(es) offered, 1 finding(s) without a fix from the model, 2 suggestion(s) dropped"),
        "{stderr}"
    );
    // Nothing of the stray entries reached the report.
    let ai_fixes = doc["diagnostics"].as_array().unwrap().iter().filter(|d| d["fix"]["origin"] == "ai").count();
    assert_eq!(ai_fixes, 1, "{doc}");
    server.assert_no_secrets();
}

/// More findings than one request takes go in batches of at most 8.
#[test]
fn many_findings_go_in_batches() {
    let server = ChatServer::start(Arc::new(|_, _: &str| Reply::Content(r#"{"fixes": []}"#.into())));
    let p = project("ai-batches", &server.base_url, "");
    // Ten DL3008 findings (one per RUN).
    let mut text = String::from("FROM debian:bookworm-slim\n");
    for i in 0..10 {
        text += &format!(
            "RUN apt-get update && apt-get install -y --no-install-recommends pkg{i} && rm -rf /var/lib/apt/lists/*\n"
        );
    }
    p.write("Dockerfile", &text);
    let (_, stderr) = out(&berth(&p.path, &["check", "--ai", "-f", "json", "--select", "DL3008", "Dockerfile"]));
    let bodies = server.bodies();
    assert_eq!(bodies.len(), 2, "{stderr}");
    let counts: Vec<usize> =
        bodies.iter().map(|b| user_prompt(b).lines().filter(|l| l.starts_with("Finding ")).count()).collect();
    assert_eq!(counts.iter().sum::<usize>(), 10, "{counts:?}");
    assert!(counts.iter().all(|&c| c <= 8), "{counts:?}");
    assert!(stderr.contains("10 finding(s) without a fix from the model"), "{stderr}");
}

/// A package version is not asked for unless `pin_versions` is set: a model
/// cannot know which versions the package index holds (Qwen2.5-Coder 1.5B
/// wrote `torch==1.13.1` and `python3=3.12-slim` in bench/ai.sh).
#[test]
fn package_versions_are_not_asked_for_by_default() {
    let server = ChatServer::start(Arc::new(|_, _: &str| Reply::Content(r#"{"fixes": []}"#.into())));
    let p = project("ai-no-pins", &server.base_url, "");
    p.write("berth.toml", format!("[ai]\nbase_url = \"{}\"\nmodel = \"test-model\"\n", server.base_url));
    let o = berth(&p.path, &["check", "--ai-dry-run", "-f", "json", "Dockerfile"]);
    let (doc, stderr) = out(&o);
    finding(&doc, "DL3008");
    assert!(stderr.contains("request 1 of 1, fixes of DL3064 at 2:14 in Dockerfile"), "{stderr}");
    let bodies: Vec<&str> = stderr.lines().filter(|l| l.starts_with('{')).collect();
    assert_eq!(bodies.len(), 1, "{stderr}");
    assert!(!bodies[0].contains("Finding 2") && !bodies[0].contains("DL3008,"), "{}", bodies[0]);
}
