//! `berth lsp`: code actions for the findings the client sends, range
//! formatting, document links and pull diagnostics, driven over JSON-RPC by
//! `berth_tests::lsp_client`.

use berth_tests::lsp_client::{
    LspClient, action_edits, apply_edits, editor_capabilities, file_uri, position_of, range_text,
};
use berth_tests::{Scratch, root};
use serde_json::{Value, json};
use std::time::Duration;

fn lsp_range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}})
}

fn actions(c: &mut LspClient, uri: &str, start: (u32, u32), end: (u32, u32), diagnostics: Value) -> Vec<Value> {
    let r = c.ask(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": lsp_range(start, end), "context": {"diagnostics": diagnostics}}),
    );
    r.as_array().cloned().unwrap_or_default()
}

fn titles(list: &[Value]) -> Vec<String> {
    list.iter().map(|a| a["title"].as_str().unwrap().to_string()).collect()
}

fn titled<'a>(list: &'a [Value], title: &str) -> &'a Value {
    list.iter().find(|a| a["title"] == title).unwrap_or_else(|| panic!("no {title:?} in {:?}", titles(list)))
}

fn published(p: &Value) -> Vec<Value> {
    p["diagnostics"].as_array().cloned().unwrap_or_default()
}

fn codes_on_line(list: &[Value], line: u64) -> Vec<String> {
    let mut out: Vec<String> = list
        .iter()
        .filter(|d| d["range"]["start"]["line"] == line)
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn code_actions_cover_the_line_and_the_diagnostics_the_client_sends() {
    let mut c = LspClient::editor();
    let uri = "untitled:Dockerfile-gaps";
    let text = "# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN apt-get install curl\nMAINTAINER me\n";
    c.open(uri, "dockerfile", 1, text);
    let diags = published(&c.diagnostics(uri, Some(1)));
    let run_codes = codes_on_line(&diags, 2);
    assert!(run_codes.len() >= 2, "{run_codes:?}");

    // A cursor at the end of the RUN line: every finding of the line, each
    // with "for this instruction" and "in this file".
    let end = (2, "RUN apt-get install curl".len() as u32);
    let list = actions(&mut c, uri, end, end, json!([]));
    for code in &run_codes {
        titled(&list, &format!("Ignore {code} for this instruction"));
        titled(&list, &format!("Ignore {code} in this file"));
    }
    // An unsafe fix says that it changes the build.
    let unsafe_fix = list.iter().find(|a| a["diagnostics"][0]["code"] == "DL3014").expect("the -y fix");
    assert!(unsafe_fix["title"].as_str().unwrap().ends_with("(changes the build)"), "{unsafe_fix}");
    assert!(titles(&list).iter().all(|t| !t.contains("DL4000")), "only the requested line: {:?}", titles(&list));

    // "In this file": below the parser directive, and the finding is gone.
    let code = &run_codes[0];
    let file_wide = titled(&list, &format!("Ignore {code} in this file"));
    let fixed = apply_edits(text, &action_edits(file_wide, uri));
    assert!(fixed.starts_with(&format!("# syntax=docker/dockerfile:1\n# berth global ignore={code}\nFROM")), "{fixed}");
    c.change_full(uri, 2, &fixed);
    let after = published(&c.diagnostics(uri, Some(2)));
    assert!(after.iter().all(|d| d["code"] != code.as_str()), "{after:?}");
    // A second code joins the same comment.
    let other = run_codes.iter().find(|c| *c != code).unwrap();
    let at = position_of(&fixed, "RUN", 0, 0);
    let list = actions(&mut c, uri, at, at, json!([]));
    let joined = apply_edits(&fixed, &action_edits(titled(&list, &format!("Ignore {other} in this file")), uri));
    assert!(joined.contains(&format!("# berth global ignore={code},{other}\n")), "{joined}");
    c.change_full(uri, 3, text);
    let diags = published(&c.diagnostics(uri, Some(3)));

    // The range is on FROM, the client sends the MAINTAINER finding (as
    // Neovim does for the cursor's line): its actions are there too.
    let maintainer = diags.iter().find(|d| d["code"] == "DL4000").unwrap().clone();
    let list = actions(&mut c, uri, (1, 0), (1, 0), json!([maintainer]));
    let ignore = titled(&list, "Ignore DL4000 for this instruction");
    assert_eq!(ignore["diagnostics"][0]["code"], "DL4000");
    assert!(apply_edits(text, &action_edits(ignore, uri)).contains("# berth ignore=DL4000\nMAINTAINER me"));

    // A finding berth does not have now (ShellCheck's, from before a
    // restart) still gets its ignore actions; other tools' findings do not.
    let sc = json!({"range": lsp_range((2, 4), (2, 11)), "code": "SC2086", "source": "berth", "message": "quote"});
    let other_tool =
        json!({"range": lsp_range((2, 4), (2, 11)), "code": "DL3059", "source": "hadolint", "message": "x"});
    let list = actions(&mut c, uri, (0, 0), (0, 0), json!([sc, other_tool]));
    let sc_ignore = titled(&list, "Ignore SC2086 for this instruction");
    assert!(apply_edits(text, &action_edits(sc_ignore, uri)).contains("# berth ignore=SC2086\nRUN apt-get"));
    assert!(titles(&list).iter().all(|t| !t.contains("DL3059")), "{:?}", titles(&list));
    c.shutdown();
}

#[test]
fn compose_actions_say_they_change_the_deployment_and_what_they_cover() {
    let mut c = LspClient::editor();
    let uri = "untitled:compose-gaps";
    let text = "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"5432:5432\"\n";
    c.open(uri, "dockercompose", 1, text);
    let diags = published(&c.diagnostics(uri, Some(1)));
    assert!(diags.iter().any(|d| d["code"] == "BC2003"), "{diags:?}");
    let at = position_of(text, "5432:", 0, 1);
    let list = actions(&mut c, uri, at, at, json!([]));
    let publish = titled(&list, "Publish on 127.0.0.1 only (changes the deployment)");
    assert!(publish.get("isPreferred").is_none_or(|p| p == false));
    assert!(titles(&list).iter().all(|t| !t.contains("changes the build")), "{:?}", titles(&list));
    titled(&list, "Ignore BC2003 for this line");
    titled(&list, "Ignore BC2003 in this file");
    let global = apply_edits(text, &action_edits(titled(&list, "Ignore BC2003 in this file"), uri));
    assert_eq!(global, format!("# berth global ignore=BC2003\n{text}"));
    c.change_full(uri, 2, &global);
    let after = published(&c.diagnostics(uri, Some(2)));
    assert!(after.iter().all(|d| d["code"] != "BC2003"), "{after:?}");
    c.shutdown();
}

fn format_range(c: &mut LspClient, uri: &str, start: (u32, u32), end: (u32, u32)) -> Value {
    c.ask(
        "textDocument/rangeFormatting",
        json!({"textDocument": {"uri": uri}, "range": lsp_range(start, end),
               "options": {"tabSize": 4, "insertSpaces": true}}),
    )
}

#[test]
fn range_formatting_is_whole_document_formatting_on_the_lines_of_the_range() {
    let mut c = LspClient::start(&root(), &[]);
    let caps = c.initialize(Value::Null, editor_capabilities())["capabilities"].clone();
    assert_eq!(caps["documentRangeFormattingProvider"], true);
    let uri = "untitled:Dockerfile-range";
    let text = "from alpine:3.20   \nrun   apk add --no-cache \\\n  curl  \n\nCOPY  . /app\t\n\n\n";
    c.open(uri, "dockerfile", 1, text);
    let whole = c.ask(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let whole_edits = whole.as_array().unwrap().clone();
    assert!(whole_edits.len() >= 4, "{whole}");
    // Line by line, then the last line with the blank lines after it (their
    // removal spans them), the edits add up to the whole document's.
    let mut union = Vec::new();
    for l in 0..4 {
        let r = format_range(&mut c, uri, (l, 0), (l, 0));
        for e in r.as_array().unwrap() {
            assert_eq!(e["range"]["start"]["line"], l, "an edit outside line {l}: {e}");
            union.push(e.clone());
        }
    }
    let tail = format_range(&mut c, uri, (4, 0), (7, 0));
    assert_eq!(apply_edits(text, tail.as_array().unwrap()), text.replace("COPY  . /app\t\n\n\n", "COPY . /app\n"));
    union.extend(tail.as_array().unwrap().iter().cloned());
    assert_eq!(apply_edits(text, &union), apply_edits(text, &whole_edits));
    // A selection of the RUN instruction: only its two lines change.
    let r = format_range(&mut c, uri, (1, 3), (2, 2));
    let out = apply_edits(text, r.as_array().unwrap());
    assert_eq!(out, "from alpine:3.20   \nRUN apk add --no-cache \\\n    curl\n\nCOPY  . /app\t\n\n\n");
    // A selection that ends at the start of a line leaves that line out.
    let r = format_range(&mut c, uri, (0, 0), (1, 0));
    assert_eq!(apply_edits(text, r.as_array().unwrap()), text.replacen("from alpine:3.20   ", "FROM alpine:3.20", 1));
    // Compose files: no formatter, no edits (as whole-document formatting).
    c.open("untitled:compose-range", "dockercompose", 1, "services:\n  web:   \n    image: nginx\n");
    assert_eq!(format_range(&mut c, "untitled:compose-range", (0, 0), (2, 0)), Value::Null);
    c.shutdown();
}

#[test]
fn document_links_to_registry_pages_and_local_files() {
    let s = Scratch::new("lsp-links");
    s.write("app/Dockerfile.dev", "FROM python:3.12-slim AS base\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/\nCOPY --from=base /a /b\nFROM $IMAGE\n");
    s.write("web.env", "A=1\n");
    s.write("secrets/token.txt", "x\n");
    let compose = "\
services:
  web:
    image: nginx:1.27
    build:
      context: ./app
      dockerfile: Dockerfile.dev
    env_file: [web.env, missing.env]
  job:
    image: registry.example.com/team/job:1
secrets:
  token:
    file: ./secrets/token.txt
";
    s.write("compose.yaml", compose);
    let mut c = LspClient::start(&s.path, &[]);
    let caps = c.initialize(Value::Null, editor_capabilities())["capabilities"].clone();
    assert!(caps["documentLinkProvider"].is_object(), "{caps}");
    let uri = file_uri(&s.path.join("compose.yaml"));
    c.open(&uri, "dockercompose", 1, compose);
    let links = c.ask("textDocument/documentLink", json!({"textDocument": {"uri": uri}}));
    let got: Vec<(String, String)> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (range_text(compose, &l["range"]).to_string(), l["target"].as_str().unwrap().to_string()))
        .collect();
    let f = |p: &str| file_uri(&s.path.join(p));
    assert_eq!(
        got,
        [
            ("nginx:1.27".to_string(), "https://hub.docker.com/_/nginx".to_string()),
            ("./app".into(), f("app")),
            ("Dockerfile.dev".into(), f("app/Dockerfile.dev")),
            ("web.env".into(), f("web.env")),
            ("./secrets/token.txt".into(), f("secrets/token.txt")),
        ]
    );
    let duri = f("app/Dockerfile.dev");
    let dtext = std::fs::read_to_string(s.path.join("app/Dockerfile.dev")).unwrap();
    c.open(&duri, "dockerfile", 1, &dtext);
    let links = c.ask("textDocument/documentLink", json!({"textDocument": {"uri": duri}}));
    let got: Vec<(String, String)> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (range_text(&dtext, &l["range"]).to_string(), l["target"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        got,
        [
            ("python:3.12-slim".to_string(), "https://hub.docker.com/_/python".to_string()),
            ("ghcr.io/astral-sh/uv:0.5".into(), "https://ghcr.io/astral-sh/uv".into()),
        ]
    );
    c.shutdown();
}

fn pull(c: &mut LspClient, uri: &str, previous: Option<&str>) -> Value {
    let mut p = json!({"textDocument": {"uri": uri}});
    if let Some(id) = previous {
        p["previousResultId"] = json!(id);
    }
    c.ask("textDocument/diagnostic", p)
}

const PULL_TEXT: &str = "FROM alpine\nRUN apt-get install curl\nMAINTAINER me\n";

#[test]
fn pulled_diagnostics_are_the_published_ones() {
    // Push mode (the default): not advertised, but answered with exactly
    // what was published.
    let mut c = LspClient::start(&root(), &[]);
    let caps = c.initialize(Value::Null, editor_capabilities())["capabilities"].clone();
    assert!(caps.get("diagnosticProvider").is_none_or(Value::is_null), "{caps}");
    let uri = "untitled:Dockerfile-pull";
    c.open(uri, "dockerfile", 1, PULL_TEXT);
    let pushed = published(&c.diagnostics(uri, Some(1)));
    let r = pull(&mut c, uri, None);
    assert_eq!(r["kind"], "full");
    assert_eq!(r["items"].as_array().unwrap(), &pushed);
    let id = r["resultId"].as_str().unwrap().to_string();
    assert_eq!(pull(&mut c, uri, Some(&id)), json!({"kind": "unchanged", "resultId": id}));
    c.change_full(uri, 2, "FROM alpine:3.20\n");
    let pushed2 = published(&c.diagnostics(uri, Some(2)));
    let r2 = pull(&mut c, uri, Some(&id));
    assert_eq!(r2["kind"], "full");
    assert_eq!(r2["items"].as_array().unwrap(), &pushed2);
    c.shutdown();

    // Pull mode: advertised, nothing published, the same findings pulled;
    // a change on the server's side (the settings) asks for a refresh.
    let mut c = LspClient::start(&root(), &[]);
    let r = c.initialize(json!({"diagnosticMode": "pull"}), editor_capabilities());
    assert_eq!(r["capabilities"]["diagnosticProvider"]["identifier"], "berth", "{r}");
    let uri = "untitled:Dockerfile-pull2";
    c.open(uri, "dockerfile", 1, PULL_TEXT);
    let r = pull(&mut c, uri, None);
    assert_eq!(r["items"].as_array().unwrap(), &pushed);
    let from = c_received(&mut c);
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"berth": {"ignore": ["DL4000"]}}}));
    let refresh = c.wait_from(from, Duration::from_secs(10), |m| m["method"] == "workspace/diagnostic/refresh");
    assert!(refresh.is_some(), "no refresh; stderr: {}", c.stderr());
    let r = pull(&mut c, uri, r["resultId"].as_str());
    assert_eq!(r["kind"], "full");
    assert!(r["items"].as_array().unwrap().iter().all(|d| d["code"] != "DL4000"), "{r}");
    c.settle(Duration::from_millis(300));
    assert!(c.publications(uri).is_empty(), "pull mode publishes nothing");
    c.shutdown();

    // Auto: pull only for a client that can pull and be asked to again.
    for (caps, pull_mode) in [
        (json!({"textDocument": {"diagnostic": {}}, "workspace": {"diagnostics": {"refreshSupport": true}}}), true),
        (json!({"textDocument": {"diagnostic": {}}}), false),
    ] {
        let mut c = LspClient::start(&root(), &[]);
        let r = c.initialize(json!({"diagnosticMode": "auto"}), caps);
        assert_eq!(r["capabilities"]["diagnosticProvider"].is_object(), pull_mode, "{r}");
        c.shutdown();
    }
}

/// How many messages have arrived (to wait only for later ones).
fn c_received(c: &mut LspClient) -> usize {
    c.settle(Duration::from_millis(50));
    c.received.len()
}

/// The editor's `platforms` and `asOf` settings reach the rules as
/// `[registry] platforms` and `as-of` of `berth.toml` do.
#[test]
fn editor_settings_platforms_and_as_of_change_findings() {
    let text = "FROM python:3.8-slim\nRUN curl -fsSLO https://example.com/tool_linux_amd64\n";
    let uri = "untitled:Dockerfile-settings";
    let codes_with = |options: Value| {
        let mut c = LspClient::start(&root(), &[]);
        c.initialize(options, editor_capabilities());
        c.open(uri, "dockerfile", 1, text);
        let list = published(&c.diagnostics(uri, Some(1)));
        let warned = |m: &Value, what: &str| {
            m["method"] == "window/logMessage" && m["params"]["message"].as_str().is_some_and(|t| t.contains(what))
        };
        let warnings = (
            c.wait(Duration::from_millis(200), |m| warned(m, "`linux/sparc` is not a platform")).is_some(),
            c.wait(Duration::from_millis(200), |m| warned(m, "berth.asOf: `soon` is not a date")).is_some(),
        );
        c.shutdown();
        ((codes_on_line(&list, 0), codes_on_line(&list, 1)), warnings)
    };
    // Defaults: the tests' as-of date (python 3.8 ended in 2024), no target platforms.
    let ((first, second), _) = codes_with(Value::Null);
    assert!(first.contains(&"BD4001".to_string()), "{first:?}");
    assert!(!second.contains(&"BD4003".to_string()), "{second:?}");
    // A day before 3.8's end of life, built for amd64 and arm64: the amd64
    // download is reported, the base image is not.
    let ((first, second), _) =
        codes_with(json!({"berth": {"platforms": ["linux/amd64", "linux/arm64"], "asOf": "2020-01-01"}}));
    assert!(!first.contains(&"BD4001".to_string()), "{first:?}");
    assert!(second.contains(&"BD4003".to_string()), "{second:?}");
    // Values that are not a platform or a date are skipped with a warning.
    let ((first, second), warnings) = codes_with(json!({"platforms": "linux/arm64, linux/sparc", "asOf": "soon"}));
    assert!(first.contains(&"BD4001".to_string()), "{first:?}");
    assert!(second.contains(&"BD4003".to_string()), "{second:?}");
    assert_eq!(warnings, (true, true));
}
