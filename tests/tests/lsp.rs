//! `berth lsp`: the language server, driven over JSON-RPC on standard input
//! and output by `berth_tests::lsp_client`.

use berth_rules::engine::{Safety, Selection};
use berth_tests::lsp_client::{LspClient, TIMEOUT, action_edits, apply_edits, file_uri, frame, position};
use berth_tests::{Scratch, root};
use serde_json::{Value, json};
use std::time::Duration;

fn start() -> LspClient {
    let mut c = LspClient::start(&root(), &[]);
    c.initialize_default();
    c
}

fn diags(publication: &Value) -> Vec<Value> {
    publication["diagnostics"].as_array().cloned().unwrap_or_default()
}

fn codes(publication: &Value) -> Vec<String> {
    diags(publication).iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect()
}

fn find<'a>(list: &'a [Value], code: &str) -> &'a Value {
    list.iter().find(|d| d["code"] == code).unwrap_or_else(|| panic!("no {code} in {list:?}"))
}

fn range_start(d: &Value) -> (u32, u32) {
    let s = &d["range"]["start"];
    (s["line"].as_u64().unwrap() as u32, s["character"].as_u64().unwrap() as u32)
}

fn code_actions(c: &mut LspClient, uri: &str, start: (u32, u32), end: (u32, u32), only: Option<&[&str]>) -> Vec<Value> {
    let mut context = json!({"diagnostics": []});
    if let Some(o) = only {
        context["only"] = json!(o);
    }
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {
            "start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}
        }, "context": context}),
    );
    assert!(r.get("error").is_none(), "codeAction failed: {r}");
    r["result"].as_array().cloned().unwrap_or_default()
}

#[test]
fn initialize_advertises_utf16_incremental_sync_and_code_actions() {
    let mut c = LspClient::start(&root(), &[]);
    let r = c.initialize_default();
    let caps = &r["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    let kinds = caps["codeActionProvider"]["codeActionKinds"].as_array().unwrap();
    assert!(kinds.contains(&json!("quickfix")) && kinds.contains(&json!("source.fixAll.berth")), "{kinds:?}");
    assert_eq!(r["serverInfo"]["name"], "berth");
    assert!(c.shutdown().success(), "exit after shutdown is 0");

    // `exit` without `shutdown` ends the process too, with 1.
    let mut c = LspClient::start(&root(), &[]);
    c.initialize_default();
    c.notify("exit", Value::Null);
    let status = c.wait_exit(Duration::from_secs(10)).expect("exits on exit");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn diagnostics_on_open_carry_the_version_and_metadata() {
    let mut c = start();
    let uri = "untitled:Dockerfile-1";
    c.open(uri, "dockerfile", 7, "FROM alpine:3.20 AS x\nMAINTAINER me\nFROM alpine:3.20 AS x\n");
    let p = c.diagnostics(uri, Some(7));
    let list = diags(&p);
    let m = find(&list, "DL4000");
    assert_eq!(m["source"], "berth");
    assert_eq!(m["severity"], 1, "error");
    assert_eq!(m["tags"], json!([2]), "deprecated");
    assert!(m["codeDescription"]["href"].as_str().unwrap().contains("rules.md#dl4000-maintainer-deprecated"));
    assert_eq!(m["range"], json!({"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 10}}));
    // The duplicate stage name points at the first one.
    let dup = find(&list, "DL3024");
    let rel = &dup["relatedInformation"][0];
    assert_eq!(rel["location"]["uri"], uri);
    assert_eq!(rel["location"]["range"]["start"]["line"], 0);
    // A Compose file by its languageId, and a yaml file by its name.
    let compose = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n";
    c.open("untitled:stack", "dockercompose", 1, compose);
    assert!(codes(&c.diagnostics("untitled:stack", Some(1))).contains(&"BC2001".to_string()));
    c.open("file:///nowhere/compose.yaml", "yaml", 3, compose);
    assert!(codes(&c.diagnostics("file:///nowhere/compose.yaml", Some(3))).contains(&"BC2001".to_string()));
    // Other YAML files are not berth's.
    c.open("file:///nowhere/values.yaml", "yaml", 1, compose);
    c.settle(Duration::from_millis(300));
    assert!(c.publications("file:///nowhere/values.yaml").is_empty());
    c.shutdown();
}

#[test]
fn incremental_edits_and_ranges_in_utf16() {
    let mut c = start();
    let uri = "untitled:Dockerfile-utf16";
    let mut text =
        "FROM alpine:3.20\nRUN echo 😀日本e\u{301} && apt-get install -y --no-install-recommends curl\n".to_string();
    c.open(uri, "dockerfile", 1, &text);
    let check = |c: &mut LspClient, text: &str, version: i64| {
        let p = c.diagnostics(uri, Some(version));
        let list = diags(&p);
        let d = find(&list, "DL3008");
        let at = text.find("curl").unwrap();
        assert_eq!(range_start(d), position(text, at), "v{version}: {text:?}");
        assert_eq!(d["range"]["end"]["character"].as_u64().unwrap() as u32, position(text, at).1 + 4);
    };
    check(&mut c, &text, 1);
    // Insert right after the emoji (a surrogate pair: two UTF-16 units).
    let after_emoji = position(&text, text.find('日').unwrap());
    assert_eq!(after_emoji, (1, 11));
    c.change(uri, 2, after_emoji, after_emoji, "X");
    text.insert(text.find('日').unwrap(), 'X');
    check(&mut c, &text, 2);
    // Replace the CJK pair with three characters.
    let a = position(&text, text.find('日').unwrap());
    let b = position(&text, text.find("e\u{301}").unwrap());
    c.change(uri, 3, a, b, "中文字");
    text = text.replace("日本", "中文字");
    check(&mut c, &text, 3);
    // Delete the combining mark only (one unit after the `e`).
    let e = position(&text, text.find("e\u{301}").unwrap());
    c.change(uri, 4, (e.0, e.1 + 1), (e.0, e.1 + 2), "");
    text = text.replace("e\u{301}", "e");
    check(&mut c, &text, 4);
    // Positions past the end are clamped, not an error.
    c.change(uri, 5, (99, 99), (120, 0), "# tail\n");
    text.push_str("# tail\n");
    check(&mut c, &text, 5);
    c.change(uri, 6, (0, 999), (0, 999), "");
    check(&mut c, &text, 6);
    assert!(c.alive());
    c.shutdown();
}

#[test]
fn fast_edits_never_publish_an_older_version_after_a_newer_one() {
    let mut c = start();
    let uri = "untitled:Dockerfile-burst";
    let mut text = String::from("FROM alpine:3.20\n");
    for i in 0..2000 {
        text.push_str(&format!("RUN apt-get install -y pkg{i} && echo 😀 $HOME\n"));
    }
    c.open(uri, "dockerfile", 1, &text);
    c.diagnostics(uri, Some(1));
    let last = 40;
    let pkg = "RUN apt-get install -y ".len() as u32;
    for v in 2..=last {
        c.change(uri, v, (1, pkg), (1, pkg), "x");
    }
    c.diagnostics(uri, Some(last));
    c.settle(Duration::from_millis(800));
    let versions: Vec<i64> = c.publications(uri).iter().map(|p| p["version"].as_i64().unwrap()).collect();
    assert_eq!(*versions.last().unwrap(), last, "{versions:?}");
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "out of order: {versions:?}");
    // The server's text is the client's: every edit applied.
    let p = c.publications(uri).last().cloned().unwrap();
    let d = diags(&p).into_iter().find(|d| d["code"] == "DL3008").unwrap();
    assert_eq!(range_start(&d), (1, pkg));
    assert_eq!(d["range"]["end"]["character"].as_u64().unwrap() as u32, pkg + (last as u32 - 1) + "pkg0".len() as u32);
    c.shutdown();
}

#[test]
fn close_clears_diagnostics() {
    let mut c = start();
    let uri = "untitled:Dockerfile-close";
    c.open(uri, "dockerfile", 1, "FROM alpine\n");
    assert!(!diags(&c.diagnostics(uri, Some(1))).is_empty());
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    let cleared = c.diagnostics(uri, None);
    assert!(diags(&cleared).is_empty());
    c.shutdown();
}

#[test]
fn code_actions_quick_fix_ignore_and_fix_all() {
    let mut c = start();
    let uri = "untitled:Dockerfile-actions";
    let text = "FROM alpine:3.20\nLABEL a=\"😀\"\nADD 日本.txt /x/\nRUN echo 😀 && apt-get install curl\n";
    c.open(uri, "dockerfile", 1, text);
    c.diagnostics(uri, Some(1));

    // Quick fix on ADD: preferred, since it is safe.
    let actions = code_actions(&mut c, uri, (2, 1), (2, 1), None);
    let fix = actions.iter().find(|a| a["title"] == "Replace ADD with COPY").expect("quick fix");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "DL3020");
    assert_eq!(fix["edit"]["documentChanges"][0]["textDocument"]["version"], 1);
    let fixed = apply_edits(text, &action_edits(fix, uri));
    assert_eq!(fixed, text.replace("ADD", "COPY"));

    // An unsafe fix after an emoji on the same line: not preferred, edit in UTF-16.
    let at = position(text, text.find("install").unwrap());
    let actions = code_actions(&mut c, uri, at, at, Some(&["quickfix"]));
    let y = actions.iter().find(|a| a["diagnostics"][0]["code"] == "DL3014").expect("-y fix");
    assert!(y.get("isPreferred").is_none_or(|p| p == false));
    let fixed = apply_edits(text, &action_edits(y, uri));
    assert!(fixed.contains("😀 && apt-get install -y curl"), "{fixed}");
    assert!(actions.iter().all(|a| a["kind"] == "quickfix"));

    // Ignore: a comment line above the instruction, then the finding is gone.
    let actions = code_actions(&mut c, uri, (2, 0), (2, 3), None);
    let ignore = actions.iter().find(|a| a["title"].as_str().unwrap().starts_with("Ignore DL3020")).unwrap();
    let ignored = apply_edits(text, &action_edits(ignore, uri));
    assert!(ignored.contains("LABEL a=\"😀\"\n# berth ignore=DL3020\nADD 日本.txt /x/\n"), "{ignored}");
    c.change_full(uri, 2, &ignored);
    assert!(!codes(&c.diagnostics(uri, Some(2))).contains(&"DL3020".to_string()));

    // Fix all: one edit, every safe fix, the same text as the engine's.
    c.change_full(uri, 3, text);
    c.diagnostics(uri, Some(3));
    let actions = code_actions(&mut c, uri, (0, 0), (0, 0), Some(&["source.fixAll"]));
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.berth");
    let edits = action_edits(&actions[0], uri);
    assert_eq!(edits.len(), 1);
    let all = apply_edits(text, &edits);
    assert_eq!(all, berth_rules::engine::fix_all(text, &Selection::default(), Safety::Safe).text);
    assert!(all.contains("COPY 日本.txt"));
    c.shutdown();
}

#[test]
fn code_actions_in_compose_files() {
    let mut c = start();
    let uri = "untitled:compose-actions";
    let text = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n";
    c.open(uri, "dockercompose", 1, text);
    c.diagnostics(uri, Some(1));
    let actions = code_actions(&mut c, uri, (3, 6), (3, 6), None);
    let ignore = actions.iter().find(|a| a["title"].as_str().unwrap().starts_with("Ignore BC2001")).unwrap();
    let ignored = apply_edits(text, &action_edits(ignore, uri));
    assert_eq!(ignored, "services:\n  web:\n    image: nginx:1.27\n    # berth ignore=BC2001\n    privileged: true\n");
    c.change_full(uri, 2, &ignored);
    assert!(!codes(&c.diagnostics(uri, Some(2))).contains(&"BC2001".to_string()));
    c.shutdown();
}

#[test]
fn configuration_from_options_settings_and_files() {
    // initializationOptions.
    let mut c = LspClient::start(&root(), &[]);
    c.initialize(json!({"berth": {"ignore": ["DL3006"]}}), json!({}));
    let uri = "untitled:Dockerfile-config";
    c.open(uri, "dockerfile", 1, "FROM alpine\nMAINTAINER me\n");
    let first = codes(&c.diagnostics(uri, Some(1)));
    assert!(!first.contains(&"DL3006".to_string()) && first.contains(&"DL4000".to_string()), "{first:?}");

    // didChangeConfiguration re-lints the open document at the same version.
    let before = c.received.len();
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"berth": {"rules": {"ignore": ["DL4000"]}, "severity": {"DL3006": "error"}}}}),
    );
    let p = c
        .wait_from(before, TIMEOUT, |m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .unwrap();
    let list = diags(&p["params"]);
    assert_eq!(p["params"]["version"], 1);
    assert!(list.iter().all(|d| d["code"] != "DL4000"), "{list:?}");
    assert_eq!(find(&list, "DL3006")["severity"], 1);
    c.shutdown();

    // Pulled through workspace/configuration when the notification carries none.
    let mut c = LspClient::start(&root(), &[]);
    c.set_settings(json!({"select": ["DL4000"]}));
    c.initialize_default();
    c.open(uri, "dockerfile", 1, "FROM alpine\nMAINTAINER me\n");
    let only = |c: &mut LspClient, want: &str| {
        c.wait(TIMEOUT, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && codes(&m["params"]) == [want]
        })
        .unwrap_or_else(|| panic!("no publication with only {want}: {:?}", c.publications(uri)))
    };
    only(&mut c, "DL4000");
    c.set_settings(json!({"select": ["DL3006"]}));
    c.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    assert_eq!(only(&mut c, "DL3006")["params"]["version"], 1);
    c.shutdown();

    // berth.toml next to a file: URI.
    let dir = Scratch::new("lsp-config");
    dir.write("berth.toml", "ignore = [\"DL4000\"]\n");
    let path = dir.write("app/Dockerfile", "");
    let file = file_uri(&path);
    let mut c = start();
    c.open(&file, "dockerfile", 1, "FROM alpine\nMAINTAINER me\n");
    let got = codes(&c.diagnostics(&file, Some(1)));
    assert!(got.contains(&"DL3006".to_string()) && !got.contains(&"DL4000".to_string()), "{got:?}");
    c.shutdown();
}

#[test]
fn editing_a_dockerfile_refreshes_the_compose_file_that_builds_it() {
    let dir = Scratch::new("lsp-related");
    let compose = dir.write("compose.yaml", "");
    let dockerfile = dir.write("app/Dockerfile", "");
    let (cu, du) = (file_uri(&compose), file_uri(&dockerfile));
    let mut c = start();
    let published = |c: &mut LspClient, uri: &str, n: usize| c.wait_publications(uri, n, TIMEOUT);
    c.open(&cu, "dockercompose", 1, "services:\n  app:\n    build: ./app\n");
    c.diagnostics(&cu, Some(1));
    // Opening the Dockerfile refreshes the Compose file once.
    c.open(&du, "dockerfile", 1, "FROM alpine\n");
    c.diagnostics(&du, Some(1));
    assert!(published(&mut c, &cu, 2), "no refresh of the Compose file on open");
    c.change(&du, 2, (0, 11), (0, 11), ":3.20");
    c.diagnostics(&du, Some(2));
    assert!(published(&mut c, &cu, 3), "no refresh of the Compose file on change");
    // And the reverse.
    let before = c.publications(&du).len();
    c.change(&cu, 2, (2, 0), (2, 0), "    image: app:1\n");
    c.diagnostics(&cu, Some(2));
    assert!(published(&mut c, &du, before + 1), "no refresh of the Dockerfile");
    c.shutdown();
}

#[test]
fn shellcheck_findings_follow_the_native_ones() {
    if std::process::Command::new("shellcheck").arg("--version").output().is_err() {
        println!("notice: shellcheck is not on PATH; skipping");
        return;
    }
    let mut c = start();
    let uri = "untitled:Dockerfile-sc";
    c.open(uri, "dockerfile", 1, "FROM alpine:3.20\nRUN echo $1\n");
    let first = c.diagnostics(uri, Some(1));
    let with_sc = c
        .wait(TIMEOUT, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && codes(&m["params"]).iter().any(|c| c.starts_with("SC"))
        })
        .expect("ShellCheck's findings");
    assert!(!codes(&first).iter().any(|c| c.starts_with("SC")), "native findings come first");
    assert_eq!(with_sc["params"]["version"], 1);
    let sc = find(&diags(&with_sc["params"]), "SC2086").clone();
    assert_eq!(sc["range"]["start"], json!({"line": 1, "character": 9}));
    assert_eq!(sc["codeDescription"]["href"], "https://www.shellcheck.net/wiki/SC2086");
    // An edit elsewhere keeps them (carried over) in the very next publication.
    c.change(uri, 2, (0, 16), (0, 16), " AS base");
    assert!(codes(&c.diagnostics(uri, Some(2))).contains(&"SC2086".to_string()));
    // Turned off by the settings.
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"berth": {"shellcheck": {"enabled": false}}}}));
    c.change(uri, 3, (1, 0), (1, 0), "RUN echo $2\n");
    let p = c.diagnostics(uri, Some(3));
    c.settle(Duration::from_millis(600));
    assert!(!codes(&p).iter().any(|c| c.starts_with("SC")));
    assert!(
        c.publications(uri).iter().filter(|p| p["version"] == 3).all(|p| !codes(p).iter().any(|c| c.starts_with("SC")))
    );
    c.shutdown();
}

/// A request that must still be answered after a probe.
fn ping(c: &mut LspClient, uri: &str) {
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}),
    );
    assert!(r.get("result").is_some(), "no answer after a probe: {r}");
}

#[test]
fn survives_malformed_input_and_ends_only_on_exit() {
    let mut c = start();
    let uri = "untitled:Dockerfile-robust";
    c.open(uri, "dockerfile", 1, "FROM alpine\n");
    c.diagnostics(uri, Some(1));
    ping(&mut c, uri);

    // Bad JSON: a parse error with a null id.
    let before = c.received.len();
    c.send_raw(&frame(b"{\"jsonrpc\": \"2.0\", \"id\": 5, \"method\": "));
    let e = c.wait_from(before, TIMEOUT, |m| m.get("error").is_some() && m["id"].is_null()).expect("parse error");
    assert_eq!(e["error"]["code"], -32700);
    ping(&mut c, uri);

    // Unknown method: -32601; unknown notifications are ignored.
    c.notify("berth/unknownNotification", json!({"x": 1}));
    c.notify("$/unknownNotification", json!({"x": 1}));
    let r = c.request("berth/unknownMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601);

    // Wrong parameter types: -32602, and notifications with bad params are dropped.
    let r = c.request("textDocument/codeAction", json!({"textDocument": {"uri": 42}, "range": "abc"}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": "x"}, "contentChanges": null}));
    c.notify("textDocument/didOpen", json!({"textDocument": null}));
    ping(&mut c, uri);

    // A change for a document that is not open.
    c.change("untitled:never-opened", 2, (0, 0), (0, 0), "X");
    c.change_full("untitled:never-opened-2", 2, "FROM scratch\n");
    ping(&mut c, uri);

    // Broken frames: a length that is not a number, too short, too long.
    c.send_raw(b"Content-Length: abc\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":900,\"method\":\"x\"}");
    ping(&mut c, uri);
    let body = br#"{"jsonrpc":"2.0","id":901,"method":"berth/x","params":{}}"#;
    let mut short = format!("Content-Length: {}\r\n\r\n", body.len() - 10).into_bytes();
    short.extend_from_slice(body);
    c.send_raw(&short);
    ping(&mut c, uri);
    let mut long = format!("Content-Length: {}\r\n\r\n", body.len() + 64).into_bytes();
    long.extend_from_slice(body);
    c.send_raw(&long);
    ping(&mut c, uri);
    // The message whose length ran into the ping was still answered.
    assert!(c.wait(TIMEOUT, |m| m["id"] == 901).is_some());

    // Binary garbage on the wire, and invalid UTF-8 inside a message.
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect();
    c.send_raw(&garbage);
    ping(&mut c, uri);
    let bad = b"{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"untitled:bad-utf8\",\"languageId\":\"dockerfile\",\"version\":1,\"text\":\"FROM alpine\\nRUN echo \xff\xfe ok\\n\"}}}";
    c.send_raw(&frame(bad));
    c.diagnostics("untitled:bad-utf8", Some(1));
    // Control characters and NULs in a document.
    c.open("untitled:binary", "dockerfile", 1, "FROM alpine\n\u{0}\u{1}\u{7f}\u{fffe}RUN echo \u{0}\n");
    c.diagnostics("untitled:binary", Some(1));
    ping(&mut c, uri);

    assert!(c.alive(), "still running");
    assert!(c.stderr().contains("not JSON"), "problems are logged: {}", c.stderr());
    assert!(c.shutdown().success());
}

#[test]
fn a_large_document_is_linted() {
    let mut c = start();
    let uri = "untitled:Dockerfile-large";
    let mut text = String::from("FROM alpine:3.20\nMAINTAINER me\n");
    // Large for an editor (lspbench measures 1 and 5 MiB on release builds).
    for i in 0.. {
        if text.len() > 512 << 10 {
            break;
        }
        text.push_str(&format!("RUN echo 😀 日本 line-{i} && test -n \"$HOME\"\n"));
    }
    c.open(uri, "dockerfile", 1, &text);
    assert!(codes(&c.diagnostics(uri, Some(1))).contains(&"DL4000".to_string()));
    c.change(uri, 2, (3000, 0), (3000, 0), "MAINTAINER you\n");
    let p = c.diagnostics(uri, Some(2));
    let second = diags(&p).into_iter().filter(|d| d["code"] == "DL4000").nth(1).expect("the new finding");
    assert_eq!(range_start(&second), (3000, 0));
    c.shutdown();
}

#[test]
fn fix_all_beside_quick_fixes_is_resolved_lazily() {
    let mut c = LspClient::start(&root(), &[]);
    c.initialize(
        Value::Null,
        json!({"textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}, "dataSupport": true}}}),
    );
    let uri = "untitled:Dockerfile-resolve";
    let text = "FROM alpine:3.20\nADD a.txt /x/\nMAINTAINER me\n";
    c.open(uri, "dockerfile", 1, text);
    c.diagnostics(uri, Some(1));
    let actions = code_actions(&mut c, uri, (1, 0), (1, 0), None);
    let all = actions.iter().find(|a| a["kind"] == "source.fixAll.berth").expect("fix all offered");
    assert!(all.get("edit").is_none(), "computed on resolve: {all}");
    let r = c.request("codeAction/resolve", all.clone());
    let resolved = &r["result"];
    let edits = resolved["edit"]["changes"][uri].as_array().cloned().unwrap_or_default();
    assert_eq!(apply_edits(text, &edits), berth_rules::engine::fix_all(text, &Selection::default(), Safety::Safe).text);
    c.shutdown();
}
