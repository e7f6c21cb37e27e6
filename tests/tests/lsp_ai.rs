//! The language server's AI code actions against a Chat Completions server on
//! loopback ([`berth_tests::fake_llm`]): offered only when AI is enabled, run
//! only when picked (`workspace/executeCommand`), with progress, cancellable,
//! a validated fix applied through `workspace/applyEdit`, review findings
//! published as `berth-ai` diagnostics, native diagnostics never waiting, and
//! the planted secrets never sent.

use berth_tests::Scratch;
use berth_tests::fake_llm::{ChatServer, Reply, Script};
use berth_tests::lsp_client::{LspClient, TIMEOUT, apply_edits, file_uri};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use berth_tests::fake_llm::fixtures::{COMPOSE, DOCKERFILE, HF_TOKEN, PINNED, SECRETS};

/// How long the model takes to answer the DL3008 fix.
const DELAY: Duration = Duration::from_millis(2000);

fn fix_json(line: usize, replacement: &str) -> String {
    json!({
        "title": "Pin curl",
        "explanation": "Pinning makes the build reproducible.",
        "edits": [{ "start_line": line, "end_line": line, "replacement": replacement }]
    })
    .to_string()
}

/// The DL3008 fix after [`DELAY`]; DL3064 and, when `hang_review`, the
/// review never answered; the review's one hint otherwise; HTTP 500 for
/// everything while `fail` is set.
fn script(fail: Arc<AtomicBool>, hang_review: bool) -> Script {
    Arc::new(move |_, body: &str| {
        if fail.load(Ordering::SeqCst) {
            Reply::Status(500, r#"{"error":{"message":"model crashed"}}"#.into(), Vec::new())
        } else if body.contains("Finding 1: DL3008") {
            Reply::Delayed(DELAY, fix_json(3, PINNED))
        } else if body.contains("Finding 1: DL3064") || (hang_review && body.contains("review the main file")) {
            Reply::Hang
        } else if body.contains("review the main file") {
            Reply::Content(
                json!({"findings": [
                    {"start_line": 4, "end_line": 4, "severity": "hint", "message": "The image runs as root; add a USER."}
                ]})
                .to_string(),
            )
        } else {
            Reply::Content(r#"{"edits": [], "explanation": "no safe edit"}"#.into())
        }
    })
}

fn project(name: &str) -> Scratch {
    let s = Scratch::new(name);
    s.write("Dockerfile", DOCKERFILE);
    s.write("compose.yaml", COMPOSE);
    std::fs::create_dir_all(s.path.join(".git")).unwrap();
    s
}

fn ai_on(server: &ChatServer) -> Value {
    json!({"enabled": true, "baseUrl": server.base_url, "model": "test-model", "timeoutSecs": 10, "cache": false, "maxRetries": 0, "pinVersions": true})
}

/// `berth lsp` in the project with a clean environment (no user
/// configuration, no AI variables, no proxy) and these `ai` settings.
fn start(p: &Scratch, ai: Value) -> LspClient {
    let dir = p.path.clone();
    let mut c = LspClient::start_with(&p.path, &[], move |cmd| {
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
        ] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", &dir).env("XDG_CONFIG_HOME", dir.join("config")).env("BERTH_CACHE_DIR", dir.join("cache"));
    });
    c.initialize(
        json!({"berth": {"ai": ai}}),
        json!({
            "window": {"workDoneProgress": true},
            "workspace": {"workspaceEdit": {"documentChanges": true}},
            "textDocument": {"publishDiagnostics": {"versionSupport": true}}
        }),
    );
    c
}

fn diags(publication: &Value) -> Vec<Value> {
    publication["diagnostics"].as_array().cloned().unwrap_or_default()
}

fn find<'a>(list: &'a [Value], code: &str) -> &'a Value {
    list.iter().find(|d| d["code"] == code).unwrap_or_else(|| panic!("no {code} in {list:?}"))
}

fn code_actions(c: &mut LspClient, uri: &str, range: &Value, only: Option<&[&str]>) -> Vec<Value> {
    let mut context = json!({"diagnostics": []});
    if let Some(o) = only {
        context["only"] = json!(o);
    }
    let r =
        c.request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": range, "context": context}));
    assert!(r.get("error").is_none(), "codeAction failed: {r}");
    r["result"].as_array().cloned().unwrap_or_default()
}

fn titled<'a>(actions: &'a [Value], title: &str) -> &'a Value {
    actions.iter().find(|a| a["title"] == title).unwrap_or_else(|| panic!("no `{title}` in {actions:#?}"))
}

fn ai_titles(actions: &[Value]) -> Vec<String> {
    actions.iter().filter_map(|a| a["title"].as_str()).filter(|t| t.starts_with("AI:")).map(String::from).collect()
}

/// Run an action's command; returns the request's id.
fn execute(c: &mut LspClient, action: &Value) -> i64 {
    let command = &action["command"];
    c.send_request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    )
}

/// Wait for a request or notification `method` among the messages from `from`.
fn message(c: &mut LspClient, from: usize, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
    c.wait_from(from, TIMEOUT, |m| m["method"] == method && pred(&m["params"]))
        .unwrap_or_else(|| panic!("no {method}; stderr: {}", c.stderr()))
}

/// The `$/progress` values for `token` received so far.
fn progress(c: &LspClient, token: &Value) -> Vec<Value> {
    c.received
        .iter()
        .filter(|m| m["method"] == "$/progress" && m["params"]["token"] == *token)
        .map(|m| m["params"]["value"].clone())
        .collect()
}

fn until(what: &str, mut f: impl FnMut() -> bool) {
    let end = Instant::now() + TIMEOUT;
    while !f() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn picking_the_ai_fix_applies_a_validated_edit_and_the_review_publishes_berth_ai_diagnostics() {
    let server = ChatServer::start(script(Arc::default(), false));
    let p = project("lsp-ai-fix");
    let mut c = start(&p, ai_on(&server));
    let uri = file_uri(&p.path.join("Dockerfile"));
    c.open(&uri, "dockerfile", 1, DOCKERFILE);
    let first = diags(&c.diagnostics(&uri, Some(1)));
    let dl3008 = find(&first, "DL3008").clone();
    find(&first, "DL3064");

    // Offered, without a word to the model.
    let actions = code_actions(&mut c, &uri, &dl3008["range"], None);
    let fix = titled(&actions, "AI: suggest a fix for DL3008").clone();
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["command"]["command"], "berth.ai.suggestFix");
    assert_eq!(fix["diagnostics"][0]["code"], "DL3008");
    assert!(fix.get("edit").is_none(), "nothing is computed before it is picked");
    assert_eq!(titled(&actions, "AI: review this file")["command"]["command"], "berth.ai.review");
    c.settle(Duration::from_millis(300));
    assert!(server.bodies().is_empty(), "no request before the user picks an action");

    // Picked: progress, then the validated fix through workspace/applyEdit.
    let from = c.received.len();
    let picked = Instant::now();
    let id = execute(&mut c, &fix);
    let create = message(&mut c, from, "window/workDoneProgress/create", |_| true);
    let token = create["params"]["token"].clone();
    // While the model thinks, another document gets its diagnostics at once.
    c.open("untitled:Dockerfile-other", "dockerfile", 1, "FROM alpine:3.20\nMAINTAINER me\n");
    let other = diags(&c.diagnostics("untitled:Dockerfile-other", Some(1)));
    find(&other, "DL4000");
    assert!(picked.elapsed() < DELAY, "native diagnostics came before the AI answer");
    let answered = |m: &Value| m.get("id") == Some(&json!(id)) && m.get("method").is_none();
    assert!(c.received[from..].iter().all(|m| m["method"] != "workspace/applyEdit" && !answered(m)));
    until("the request", || server.bodies().len() == 1);

    let apply = message(&mut c, from, "workspace/applyEdit", |_| true);
    assert!(picked.elapsed() >= DELAY);
    let edit = &apply["params"]["edit"]["documentChanges"][0];
    assert_eq!(edit["textDocument"]["uri"], uri.as_str());
    assert_eq!(edit["textDocument"]["version"], 1, "the edit is for the version it was made for");
    assert_eq!(apply["params"]["label"], "Pin curl");
    let fixed = apply_edits(DOCKERFILE, edit["edits"].as_array().unwrap());
    assert!(fixed.contains(PINNED), "{fixed}");
    assert!(fixed.contains(HF_TOKEN), "the secret the model never saw stays in the file");
    let r = c.response(id);
    assert_eq!(r["result"], json!({"applied": true}), "{r}");
    let values = progress(&c, &token);
    assert_eq!(values.first().map(|v| v["kind"].clone()), Some(json!("begin")), "{values:?}");
    assert_eq!(values[0]["title"], "AI fix for DL3008");
    assert_eq!(values[0]["cancellable"], true);
    assert_eq!(values.last().map(|v| v["kind"].clone()), Some(json!("end")), "{values:?}");

    // The editor applies it: the finding is gone.
    c.change_full(&uri, 2, &fixed);
    let second = diags(&c.diagnostics(&uri, Some(2)));
    assert!(second.iter().all(|d| d["code"] != "DL3008"), "{second:?}");
    find(&second, "DL3064");
    let bodies = server.bodies();
    assert_eq!(bodies.len(), 1);
    assert!(bodies[0].contains("Finding 1: DL3008") && bodies[0].contains("compose.yaml"), "{}", bodies[0]);

    // The review: advisory diagnostics with the native ones of version 2.
    let actions = code_actions(
        &mut c,
        &uri,
        &json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}),
        Some(&["source"]),
    );
    assert_eq!(ai_titles(&actions), ["AI: review this file"], "{actions:#?}");
    let review = titled(&actions, "AI: review this file").clone();
    assert_eq!(review["kind"], "source.aiReview.berth");
    let from = c.received.len();
    let id = execute(&mut c, &review);
    let published = message(&mut c, from, "textDocument/publishDiagnostics", |p| {
        p["uri"] == uri.as_str() && diags(p).iter().any(|d| d["source"] == "berth-ai")
    });
    assert_eq!(published["params"]["version"], 2);
    let list = diags(&published["params"]);
    let ai = find(&list, "AI");
    assert_eq!(ai["source"], "berth-ai");
    assert_eq!(ai["severity"], 4, "a hint");
    assert_eq!(ai["range"]["start"]["line"], 3);
    assert!(ai["message"].as_str().unwrap().contains("runs as root"));
    find(&list, "DL3064");
    assert_eq!(c.response(id)["result"], json!({"findings": 1}));

    // The next edit drops them.
    c.change(&uri, 3, (0, 0), (0, 0), "# base\n");
    let third = diags(&c.diagnostics(&uri, Some(3)));
    assert!(third.iter().all(|d| d["source"] != "berth-ai"), "{third:?}");
    find(&third, "DL3064");
    assert_eq!(server.bodies().len(), 2);
    server.assert_none_contain(&SECRETS);
    assert!(c.shutdown().success());
}

#[test]
fn ai_actions_are_offered_only_when_enabled() {
    let server = ChatServer::start(script(Arc::default(), false));
    let p = project("lsp-ai-off");
    let everywhere = json!({"start": {"line": 0, "character": 0}, "end": {"line": 4, "character": 0}});
    for ai in [json!(null), json!({"enabled": false, "baseUrl": server.base_url})] {
        let mut c = start(&p, ai);
        let uri = file_uri(&p.path.join("Dockerfile"));
        c.open(&uri, "dockerfile", 1, DOCKERFILE);
        find(&diags(&c.diagnostics(&uri, Some(1))), "DL3008");
        let actions = code_actions(&mut c, &uri, &everywhere, None);
        assert!(actions.iter().any(|a| a["title"].as_str().unwrap().starts_with("Ignore DL3008")), "{actions:#?}");
        assert!(ai_titles(&actions).is_empty(), "{actions:#?}");
        // Turned on in the settings: offered.
        c.notify("workspace/didChangeConfiguration", json!({"settings": {"berth": {"ai": ai_on(&server)}}}));
        let actions = code_actions(&mut c, &uri, &everywhere, None);
        let titles = ai_titles(&actions);
        assert!(titles.contains(&"AI: suggest a fix for DL3008".to_string()), "{titles:?}");
        assert!(titles.contains(&"AI: review this file".to_string()), "{titles:?}");
        // Not for a fix-all request.
        assert!(ai_titles(&code_actions(&mut c, &uri, &everywhere, Some(&["source.fixAll"]))).is_empty());
        assert!(c.shutdown().success());
    }
    assert!(server.bodies().is_empty());
}

#[test]
fn a_pending_ai_command_is_cancellable_and_errors_are_one_message() {
    let fail = Arc::new(AtomicBool::new(false));
    let server = ChatServer::start(script(fail.clone(), true));
    let p = project("lsp-ai-cancel");
    let mut c = start(&p, ai_on(&server));
    let uri = file_uri(&p.path.join("Dockerfile"));
    c.open(&uri, "dockerfile", 1, DOCKERFILE);
    let first = diags(&c.diagnostics(&uri, Some(1)));
    let dl3064 = find(&first, "DL3064").clone();

    // $/cancelRequest on the executeCommand: answered RequestCancelled, the HTTP request dropped.
    let actions = code_actions(&mut c, &uri, &dl3064["range"], None);
    let fix = titled(&actions, "AI: suggest a fix for DL3064").clone();
    let from = c.received.len();
    let id = execute(&mut c, &fix);
    until("the request", || server.bodies().len() == 1);
    c.notify("$/cancelRequest", json!({"id": id}));
    let r = c.response(id);
    assert_eq!(r["error"]["code"], -32800, "{r}");
    until("the connection to be dropped", || server.dropped() == 1);
    let token = message(&mut c, from, "window/workDoneProgress/create", |_| true)["params"]["token"].clone();
    message(&mut c, from, "$/progress", |p| p["token"] == token && p["value"]["kind"] == "end");

    // The server goes on serving.
    c.change(&uri, 2, (0, 0), (0, 0), "# base\n");
    find(&diags(&c.diagnostics(&uri, Some(2))), "DL3008");

    // The progress's cancel button: the same.
    let actions = code_actions(
        &mut c,
        &uri,
        &json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}),
        None,
    );
    let review = titled(&actions, "AI: review this file").clone();
    let from = c.received.len();
    let id = execute(&mut c, &review);
    let token = message(&mut c, from, "window/workDoneProgress/create", |_| true)["params"]["token"].clone();
    until("the review request", || server.bodies().len() == 2);
    c.notify("window/workDoneProgress/cancel", json!({"token": token}));
    let r = c.response(id);
    assert_eq!(r["error"]["code"], -32800, "{r}");
    until("the connection to be dropped", || server.dropped() == 2);

    // A failing endpoint: one line in window/showMessage, and nothing applied.
    fail.store(true, Ordering::SeqCst);
    let dl3008 = find(&diags(&c.diagnostics(&uri, Some(2))), "DL3008").clone();
    let actions = code_actions(&mut c, &uri, &dl3008["range"], None);
    let fix = titled(&actions, "AI: suggest a fix for DL3008").clone();
    let from = c.received.len();
    let id = execute(&mut c, &fix);
    assert_eq!(c.response(id)["result"], json!({"applied": false}));
    let shown = message(&mut c, from, "window/showMessage", |p| p["message"].as_str().unwrap().contains("AI"));
    let text_shown = shown["params"]["message"].as_str().unwrap();
    assert_eq!(shown["params"]["type"], 1, "an error: {shown}");
    assert!(text_shown.contains("answered HTTP 500: model crashed") && !text_shown.contains('\n'), "{text_shown}");
    assert!(c.received[from..].iter().all(|m| m["method"] != "workspace/applyEdit"));
    server.assert_none_contain(&SECRETS);
    assert!(c.shutdown().success());
}
