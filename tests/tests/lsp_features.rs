//! `berth lsp`: the editor requests (hover, completion, symbols, folding,
//! definition, references, highlight, rename, formatting) on Dockerfiles and
//! Compose files, driven over JSON-RPC by `berth_tests::lsp_client`.
//!
//! Positions are computed by the client helpers (UTF-16, independently of
//! the server); several documents put emoji, CJK and combining marks before
//! the target on the same line.

use berth_tests::lsp_client::{
    LspClient, apply_edits, at_position, editor_capabilities, file_uri, position, position_of, range_of, range_text,
    workspace_edits,
};
use berth_tests::{Scratch, root};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn hover(c: &mut LspClient, uri: &str, pos: (u32, u32)) -> Value {
    c.ask("textDocument/hover", at_position(uri, pos))
}

fn hover_md(c: &mut LspClient, uri: &str, pos: (u32, u32)) -> String {
    let h = hover(c, uri, pos);
    assert_eq!(h["contents"]["kind"], "markdown", "{h}");
    h["contents"]["value"].as_str().unwrap_or_else(|| panic!("no hover at {pos:?}: {h}")).to_string()
}

fn completion(c: &mut LspClient, uri: &str, pos: (u32, u32)) -> Vec<Value> {
    let r = c.ask("textDocument/completion", at_position(uri, pos));
    let items = r.as_array().cloned().or_else(|| r["items"].as_array().cloned()).unwrap_or_default();
    // berth's order is kept through the sort text.
    let sorts: Vec<&str> = items.iter().map(|i| i["sortText"].as_str().unwrap()).collect();
    assert!(sorts.windows(2).all(|w| w[0] < w[1]), "{sorts:?}");
    items
}

fn labels(items: &[Value]) -> Vec<String> {
    items.iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
}

fn item<'a>(items: &'a [Value], label: &str) -> &'a Value {
    items.iter().find(|i| i["label"] == label).unwrap_or_else(|| panic!("no {label} in {:?}", labels(items)))
}

fn locations(c: &mut LspClient, method: &str, uri: &str, pos: (u32, u32), decl: bool) -> Vec<Value> {
    let mut p = at_position(uri, pos);
    if method == "textDocument/references" {
        p["context"] = json!({"includeDeclaration": decl});
    }
    let r = c.ask(method, p);
    match r {
        Value::Null => Vec::new(),
        Value::Array(v) => v,
        one => vec![one],
    }
}

/// (uri, text covered) of each location, sorted.
fn covered(list: &[Value], texts: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = list
        .iter()
        .map(|l| {
            let uri = l["uri"].as_str().unwrap();
            let text = texts.iter().find(|(u, _)| *u == uri).unwrap_or_else(|| panic!("unexpected {uri}")).1;
            (uri.to_string(), range_text(text, &l["range"]).to_string())
        })
        .collect();
    out.sort();
    out
}

fn rename(c: &mut LspClient, uri: &str, pos: (u32, u32), new_name: &str) -> Value {
    let mut p = at_position(uri, pos);
    p["newName"] = json!(new_name);
    c.request("textDocument/rename", p)
}

fn format(c: &mut LspClient, uri: &str) -> Value {
    c.ask(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    )
}

const DOCKERFILE: &str = "\
# syntax=docker/dockerfile:1
ARG VERSION=3.20
FROM alpine:${VERSION} AS build
# hadolint ignore=DL3018
RUN --mount=type=cache,target=/var/cache/apk apk add curl
ENV APP=/srv/app
LABEL note=\"😀 日本語 e\u{301}\" dir=${APP}
RUN echo \"😀日本\" && echo ${APP}
MAINTAINER me

FROM build AS test
COPY --from=build /srv/app /srv/app
";

#[test]
fn initialize_advertises_the_editor_features() {
    let mut c = LspClient::start(&root(), &[]);
    let r = c.initialize(Value::Null, editor_capabilities());
    let caps = &r["capabilities"];
    assert_eq!(caps["hoverProvider"], true);
    let triggers = caps["completionProvider"]["triggerCharacters"].as_array().unwrap();
    for t in ["-", "=", "$", "{", ":", " "] {
        assert!(triggers.contains(&json!(t)), "{t} in {triggers:?}");
    }
    for p in ["definitionProvider", "referencesProvider", "documentHighlightProvider", "documentSymbolProvider"] {
        assert_eq!(caps[p], true, "{p}");
    }
    assert_eq!(caps["foldingRangeProvider"], true);
    assert_eq!(caps["documentFormattingProvider"], true);
    assert_eq!(caps["renameProvider"]["prepareProvider"], true);
    // The core's capabilities are still there.
    assert_eq!(caps["textDocumentSync"]["change"], 2);
    assert!(caps["codeActionProvider"]["codeActionKinds"].as_array().is_some());
    c.shutdown();

    // Without `prepareSupport`, plain `renameProvider: true`.
    let mut c = LspClient::start(&root(), &[]);
    let r = c.initialize_default();
    assert_eq!(r["capabilities"]["renameProvider"], true);
    c.shutdown();
}

#[test]
fn dockerfile_hover() {
    let mut c = LspClient::editor();
    let uri = "untitled:Dockerfile-hover";
    let t = DOCKERFILE;
    c.open(uri, "dockerfile", 1, t);
    c.diagnostics(uri, Some(1));
    // Instruction reference.
    let md = hover_md(&mut c, uri, position_of(t, "RUN --mount", 0, 1));
    assert!(md.contains("**RUN**") && md.contains("#run"), "{md}");
    // Flag reference.
    let md = hover_md(&mut c, uri, position_of(t, "--mount", 0, 3));
    assert!(md.contains("--mount") && md.contains("`type=cache`"), "{md}");
    // The rule named in an ignore comment.
    let md = hover_md(&mut c, uri, position_of(t, "DL3018", 0, 2));
    assert!(md.contains("DL3018"), "{md}");
    // A variable's value, after emoji, CJK and a combining mark on the line.
    let pos = position_of(t, "${APP}", 0, 3);
    assert_eq!(pos.1 as usize, "LABEL note=\"😀 日本語 e\u{301}\" dir=${".encode_utf16().count() + 1);
    let h = hover(&mut c, uri, pos);
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.contains("`/srv/app`"), "{md}");
    let (start, end) = range_of(&h["range"]);
    assert_eq!(start.0, end.0);
    assert!(range_text(t, &h["range"]).contains("APP"), "{h}");
    let md = hover_md(&mut c, uri, position_of(t, "${VERSION}", 0, 3));
    assert!(md.contains("`3.20`"), "{md}");
    // The documentation of the rule whose finding is under the cursor.
    let md = hover_md(&mut c, uri, position_of(t, "MAINTAINER", 0, 3));
    assert!(md.contains("**MAINTAINER**"), "{md}");
    assert!(md.contains("**DL4000**") && md.contains("rules.md#dl4000"), "{md}");
    // Nothing to say on a blank line.
    assert_eq!(hover(&mut c, uri, position_of(t, "\n\nFROM", 0, 1)), Value::Null);
    c.shutdown();
}

#[test]
fn compose_hover_keys_values_and_env() {
    let dir = Scratch::new("lsp-hover-compose");
    dir.write(".env", "TAG=1.2.3\n");
    let text = "\
services:
  web:
    image: \"nginx:${TAG:-latest}\"
    restart: unless-stopped
    labels: {note: \"😀日本é\"}
    depends_on: [db]
  db:
    image: postgres:16
";
    let path = dir.write("compose.yaml", text);
    let uri = file_uri(&path);
    let mut c = LspClient::editor();
    c.open(&uri, "dockercompose", 1, text);
    let md = hover_md(&mut c, &uri, position_of(text, "restart", 0, 2));
    assert!(md.contains("Restart policy") && md.contains("services/#restart"), "{md}");
    let md = hover_md(&mut c, &uri, position_of(text, "${TAG", 0, 3));
    assert!(md.contains("`1.2.3`") && md.contains(".env"), "{md}");
    let md = hover_md(&mut c, &uri, position_of(text, "unless-stopped", 0, 3));
    assert!(md.contains("`unless-stopped`"), "{md}");
    // After emoji and CJK in a flow mapping.
    let h = hover(&mut c, &uri, position_of(text, "db]", 0, 1));
    assert!(h["contents"]["value"].as_str().unwrap().contains("db"), "{h}");
    assert_eq!(range_text(text, &h["range"]), "db");
    c.shutdown();
}

#[test]
fn dockerfile_completion_with_and_without_snippets() {
    let mut c = LspClient::editor();
    let uri = "untitled:Dockerfile-complete";
    let t = "FROM alpine AS build\nFROM alpine\nARG VERSION=1\nENV HOME_DIR=/x\nRUN --mount=type=\nCOPY --\nCOPY --from=\nRUN echo ${\n\n";
    c.open(uri, "dockerfile", 1, t);
    // Instructions at the start of a line, as snippets.
    let items = completion(&mut c, uri, position_of(t, "\n\n", 0, 1));
    let run = item(&items, "RUN");
    assert_eq!(run["kind"], 14, "keyword");
    assert!(labels(&items).contains(&"COPY".to_string()));
    let from_snippet = items.iter().any(|i| i["insertTextFormat"] == 2);
    assert!(from_snippet, "snippets for a client that takes them: {items:?}");
    // Flag values, flags, stage names, variables.
    let items = completion(&mut c, uri, position_of(t, "type=\n", 0, 5));
    assert_eq!(labels(&items), ["bind", "cache", "tmpfs", "secret", "ssh"]);
    let items = completion(&mut c, uri, position_of(t, "COPY --\n", 0, 7));
    assert!(labels(&items).contains(&"--from".to_string()), "{:?}", labels(&items));
    let edit = &item(&items, "--from")["textEdit"];
    assert_eq!(range_text(t, &edit["range"]), "--");
    let items = completion(&mut c, uri, position_of(t, "--from=\n", 0, 7));
    assert_eq!(labels(&items), ["build"]);
    let items = completion(&mut c, uri, position_of(t, "${\n", 0, 2));
    let l = labels(&items);
    assert!(l.contains(&"VERSION".to_string()) && l.contains(&"HOME_DIR".to_string()), "{l:?}");
    assert_eq!(item(&items, "VERSION")["kind"], 6, "variable");
    c.shutdown();

    // A client without snippet support gets plain text.
    let mut c = LspClient::start(&root(), &[]);
    c.initialize_default();
    c.open(uri, "dockerfile", 1, t);
    let items = completion(&mut c, uri, position_of(t, "\n\n", 0, 1));
    assert!(!items.is_empty());
    for i in &items {
        assert_ne!(i["insertTextFormat"], 2, "{i}");
        let text = i["textEdit"]["newText"].as_str().or(i["insertText"].as_str()).unwrap_or("");
        assert!(!text.contains("${") && !text.contains("$0") && !text.contains("$1"), "{i}");
    }
    c.shutdown();
}

#[test]
fn compose_completion_keys_values_names_and_build_targets() {
    let dir = Scratch::new("lsp-complete-compose");
    dir.write("app/Dockerfile", "FROM golang:1.22 AS builder\nFROM alpine:3.20 AS runtime\n");
    let text = "\
services:
  web:
    build:
      context: ./app
      target: 
    restart: 
    depends_on:
      - 
  db:
    image: postgres:16
    networks: [back]
networks:
  back: {}
";
    let path = dir.write("compose.yaml", text);
    let uri = file_uri(&path);
    let mut c = LspClient::editor();
    c.open(&uri, "dockercompose", 1, text);
    // Stages of the Dockerfile the service builds (read from disk).
    let items = completion(&mut c, &uri, position_of(text, "target: ", 0, 8));
    assert_eq!(labels(&items), ["builder", "runtime"]);
    // Enum values.
    let items = completion(&mut c, &uri, position_of(text, "restart: ", 0, 9));
    let l = labels(&items);
    assert!(l.contains(&"always".to_string()) && l.contains(&"unless-stopped".to_string()), "{l:?}");
    // Service names in a reference.
    let items = completion(&mut c, &uri, position_of(text, "      - \n", 0, 8));
    assert_eq!(labels(&items), ["db"]);
    // Keys valid at the cursor.
    let t2 = text.replace("    image: postgres:16\n", "    image: postgres:16\n    \n");
    c.change_full(&uri, 2, &t2);
    let items = completion(&mut c, &uri, position_of(&t2, "postgres:16\n    ", 0, 16));
    let l = labels(&items);
    assert!(l.contains(&"healthcheck".to_string()) && !l.contains(&"image".to_string()), "{l:?}");
    // The Dockerfile, once open, is read from the editor (unsaved text).
    let df_uri = file_uri(&dir.path.join("app/Dockerfile"));
    c.open(&df_uri, "dockerfile", 1, "FROM golang:1.22 AS compile\nFROM alpine:3.20 AS final\n");
    let items = completion(&mut c, &uri, position_of(&t2, "target: ", 0, 8));
    assert_eq!(labels(&items), ["compile", "final"]);
    // While the file is not valid YAML, the service is found by indentation.
    let t3 =
        t2.replace("      context: ./app\n", "      context: ./app\n      dockerfile: Dockerfile\n") + "  oops: {\n";
    c.change_full(&uri, 3, &t3);
    let items = completion(&mut c, &uri, position_of(&t3, "target: ", 0, 8));
    assert_eq!(labels(&items), ["compile", "final"]);
    c.shutdown();
}

#[test]
fn symbols_and_folding() {
    let mut c = LspClient::editor();
    let uri = "untitled:Dockerfile-outline";
    c.open(uri, "dockerfile", 1, DOCKERFILE);
    let syms = c.ask("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    let names: Vec<&str> = syms.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert!(names.iter().any(|n| n.contains("build")) && names.iter().any(|n| n.contains("test")), "{names:?}");
    let build = syms.as_array().unwrap().iter().find(|s| s["name"].as_str().unwrap().contains("build")).unwrap();
    assert!(build["children"].as_array().is_some_and(|c| !c.is_empty()), "hierarchical: {build}");
    let (start, end) = range_of(&build["range"]);
    let (sel_start, sel_end) = range_of(&build["selectionRange"]);
    assert!(start <= sel_start && sel_end <= end);
    let folds = c.ask("textDocument/foldingRange", json!({"textDocument": {"uri": uri}}));
    let folds = folds.as_array().unwrap();
    assert!(folds.iter().any(|f| f["startLine"] == 2 && f["endLine"].as_u64().unwrap() >= 8), "{folds:?}");

    let compose =
        "# one\n# two\nservices:\n  web:\n    image: x\n    ports:\n      - \"80:80\"\nvolumes:\n  data: {}\n";
    let curi = "untitled:compose-outline.yaml";
    c.open(curi, "dockercompose", 1, compose);
    let syms = c.ask("textDocument/documentSymbol", json!({"textDocument": {"uri": curi}}));
    let top: Vec<&str> = syms.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(top, ["services", "volumes"]);
    let services = &syms[0];
    assert_eq!(services["children"][0]["name"], "web");
    assert!(services["children"][0]["children"].as_array().unwrap().iter().any(|k| k["name"] == "ports"));
    let folds = c.ask("textDocument/foldingRange", json!({"textDocument": {"uri": curi}}));
    let folds = folds.as_array().unwrap();
    assert!(folds.iter().any(|f| f["startLine"] == 0 && f["endLine"] == 1 && f["kind"] == "comment"), "{folds:?}");
    assert!(folds.iter().any(|f| f["startLine"] == 2 && f["endLine"] == 6), "{folds:?}");
    c.shutdown();
}

#[test]
fn dockerfile_definition_references_highlight() {
    let mut c = LspClient::editor();
    let uri = "untitled:Dockerfile-refs";
    let t = DOCKERFILE;
    c.open(uri, "dockerfile", 1, t);
    let texts = [(uri, t)];
    // A stage used in FROM and COPY --from.
    let def = locations(&mut c, "textDocument/definition", uri, position_of(t, "--from=build", 0, 8), false);
    assert_eq!(def.len(), 1);
    assert_eq!(range_of(&def[0]["range"]).0, position_of(t, "AS build", 0, 3));
    let refs = locations(&mut c, "textDocument/references", uri, position_of(t, "AS build", 0, 4), true);
    assert_eq!(covered(&refs, &texts).len(), 3, "{refs:?}");
    let refs = locations(&mut c, "textDocument/references", uri, position_of(t, "AS build", 0, 4), false);
    assert_eq!(covered(&refs, &texts).len(), 2, "{refs:?}");
    // A variable, used after emoji and CJK on its line.
    let pos = position_of(t, "echo ${APP}", 0, 8);
    let def = locations(&mut c, "textDocument/definition", uri, pos, false);
    assert_eq!(range_of(&def[0]["range"]).0, position_of(t, "APP=", 0, 0));
    let hl = c.ask("textDocument/documentHighlight", at_position(uri, pos));
    let hl = hl.as_array().unwrap();
    assert_eq!(hl.len(), 3, "{hl:?}");
    assert_eq!(hl.iter().filter(|h| h["kind"] == 3).count(), 1, "one write");
    let at_echo = hl.iter().find(|h| range_of(&h["range"]).0.0 == 7).unwrap();
    assert_eq!(range_of(&at_echo["range"]).0, position_of(t, "echo ${APP}", 0, 7));
    assert_eq!(range_text(t, &at_echo["range"]), "APP");
    c.shutdown();
}

#[test]
fn compose_definition_references_highlight() {
    let text = "\
services:
  web:
    image: x
    depends_on: [db]
    networks: [front]
    volumes: [\"data:/var/lib/x\"]
    secrets: [token]
    configs: [conf]
  db: {image: postgres, labels: {n: \"😀日本é\"}, networks: [front]}
networks:
  front: {}
volumes:
  data: {}
secrets:
  token: {file: ./t}
configs:
  conf: {file: ./c}
";
    let mut c = LspClient::editor();
    let uri = "untitled:compose-refs.yaml";
    c.open(uri, "dockercompose", 1, text);
    let texts = [(uri, text)];
    for (name, use_at, decl) in [
        ("db", "[db]", "  db:"),
        ("front", "[front]", "  front:"),
        ("data", "\"data:", "  data:"),
        ("token", "[token]", "  token:"),
        ("conf", "[conf]", "  conf:"),
    ] {
        let pos = position_of(text, use_at, 0, 2);
        let def = locations(&mut c, "textDocument/definition", uri, pos, false);
        assert_eq!(def.len(), 1, "{name}: {def:?}");
        assert_eq!(range_of(&def[0]["range"]).0, position_of(text, decl, 0, 2), "{name}");
        let refs = locations(&mut c, "textDocument/references", uri, pos, true);
        assert!(covered(&refs, &texts).iter().all(|(_, t)| t == name), "{name}: {refs:?}");
    }
    // `front` is used after emoji, CJK and a combining mark on db's line.
    let refs = locations(&mut c, "textDocument/references", uri, position_of(text, "[front]", 0, 2), false);
    assert_eq!(refs.len(), 2);
    let hl = c.ask("textDocument/documentHighlight", at_position(uri, position_of(text, "[front]", 1, 2)));
    let hl = hl.as_array().unwrap();
    assert_eq!(hl.len(), 3, "{hl:?}");
    assert!(hl.iter().any(|h| range_of(&h["range"]).0 == position_of(text, "[front]", 1, 1)), "{hl:?}");
    assert!(hl.iter().all(|h| range_text(text, &h["range"]) == "front"));
    c.shutdown();
}

#[test]
fn rename_stages_across_compose_and_dockerfile() {
    let dir = Scratch::new("lsp-rename");
    let df = "FROM golang:1.22 AS builder\nRUN echo 😀日本\nFROM alpine:3.20\nCOPY --from=builder /out /out\n";
    let compose = "services:\n  app:\n    build:\n      context: ./svc\n      target: builder\n";
    let other = "services:\n  dev:\n    build: {context: ., dockerfile: svc/Dockerfile, target: builder}\n  web:\n    build: {context: ./elsewhere, target: builder}\n";
    let df_path = dir.write("svc/Dockerfile", df);
    let compose_path = dir.write("compose.yaml", compose);
    let other_path = dir.write("docker-compose.dev.yml", other);
    dir.write(".git/HEAD", "ref: refs/heads/main\n");
    let (df_uri, compose_uri, other_uri) = (file_uri(&df_path), file_uri(&compose_path), file_uri(&other_path));
    let mut c = LspClient::editor();
    c.open(&df_uri, "dockerfile", 3, df);
    c.open(&compose_uri, "dockercompose", 5, compose);

    // Prepare: the name and its range.
    let prep = c.ask("textDocument/prepareRename", at_position(&df_uri, position_of(df, "=builder", 0, 3)));
    assert_eq!(prep["placeholder"], "builder");
    assert_eq!(range_text(df, &prep["range"]), "builder");
    assert_eq!(c.ask("textDocument/prepareRename", at_position(&df_uri, (1, 2))), Value::Null);

    // From the Dockerfile: its stage, the open Compose file, the one on disk.
    let r = rename(&mut c, &df_uri, position_of(df, "AS builder", 0, 4), "compile");
    let edit = &r["result"];
    let files = workspace_edits(edit);
    assert_eq!(files.len(), 3, "{edit}");
    let get =
        |uri: &str| files.iter().find(|(u, _, _)| u == uri).unwrap_or_else(|| panic!("no edits of {uri}: {edit}"));
    let (_, v, e) = get(&df_uri);
    assert_eq!(*v, Some(3));
    assert_eq!(apply_edits(df, e), df.replace("builder", "compile"));
    let (_, v, e) = get(&compose_uri);
    assert_eq!(*v, Some(5));
    assert_eq!(apply_edits(compose, e), compose.replace("builder", "compile"));
    let (_, v, e) = get(&other_uri);
    assert_eq!(*v, None, "a file on disk");
    assert_eq!(e.len(), 1, "only the service that builds this Dockerfile");
    assert_eq!(
        apply_edits(other, e),
        other.replacen("target: builder}", "target: compile}", 1),
        "the other context's target stays"
    );

    // From a Compose `build.target`: the stage in the Dockerfile and the targets.
    let r = rename(&mut c, &compose_uri, position_of(compose, "builder", 0, 2), "make");
    let files = workspace_edits(&r["result"]);
    assert_eq!(files.len(), 3, "{r}");
    let (_, _, e) = files.iter().find(|(u, _, _)| *u == df_uri).unwrap();
    assert_eq!(apply_edits(df, e), df.replace("builder", "make"));
    // Definition and references follow the same link.
    let def = locations(&mut c, "textDocument/definition", &compose_uri, position_of(compose, "builder", 0, 2), false);
    assert_eq!(def[0]["uri"], df_uri);
    assert_eq!(range_of(&def[0]["range"]).0, position_of(df, "builder", 0, 0));
    let refs = locations(&mut c, "textDocument/references", &df_uri, position_of(df, "AS builder", 0, 4), true);
    let texts = [(df_uri.as_str(), df), (compose_uri.as_str(), compose), (other_uri.as_str(), other)];
    let got = covered(&refs, &texts);
    assert_eq!(got.len(), 4, "{got:?}");
    assert!(got.iter().all(|(_, t)| t == "builder"));

    // Refused renames come back as an error with the reason.
    let r = rename(&mut c, &df_uri, position_of(df, "AS builder", 0, 4), "Not Valid");
    assert!(r["error"]["message"].as_str().unwrap().contains("not a valid stage name"), "{r}");

    // A service rename stays in its file.
    let svc = "services:\n  web:\n    depends_on: [db]\n  db:\n    image: x\n";
    let svc_uri = file_uri(&dir.path.join("svc/compose.yaml"));
    c.open(&svc_uri, "dockercompose", 1, svc);
    let r = rename(&mut c, &svc_uri, position_of(svc, "[db]", 0, 1), "database");
    let files = workspace_edits(&r["result"]);
    assert_eq!(files.len(), 1);
    assert_eq!(apply_edits(svc, &files[0].2), svc.replace("db", "database"));
    c.shutdown();
}

#[test]
fn rename_variables_after_wide_characters() {
    let mut c = LspClient::editor();
    let uri = "untitled:Dockerfile-rename-var";
    let t = "FROM alpine\nENV APP=/srv\nRUN echo \"😀日本e\u{301}\" ${APP} && echo $APP\n";
    c.open(uri, "dockerfile", 1, t);
    let r = rename(&mut c, uri, position_of(t, "${APP}", 0, 3), "HOME_DIR");
    let files = workspace_edits(&r["result"]);
    assert_eq!(files.len(), 1, "{r}");
    assert_eq!(apply_edits(t, &files[0].2), t.replace("APP", "HOME_DIR"));
    // Without versioned edits: `changes`.
    let mut c2 = LspClient::start(&root(), &[]);
    c2.initialize(Value::Null, json!({"textDocument": {"rename": {"prepareSupport": true}}}));
    c2.open(uri, "dockerfile", 1, t);
    let r = rename(&mut c2, uri, position_of(t, "$APP\n", 0, 2), "X");
    assert!(r["result"]["changes"][uri].is_array(), "{r}");
    assert_eq!(apply_edits(t, r["result"]["changes"][uri].as_array().unwrap()), t.replace("APP", "X"));
    c2.shutdown();
    c.shutdown();
}

#[test]
fn formatting_dockerfiles_not_compose() {
    let mut c = LspClient::editor();
    let uri = "untitled:Dockerfile-format";
    let messy = "from alpine:3.20   \nrun  apk add curl \\\n  && echo 😀 \\\n        && echo 日本\ncopy . /app\n\n\n";
    let expected = "FROM alpine:3.20\nRUN apk add curl \\\n    && echo 😀 \\\n          && echo 日本\nCOPY . /app\n";
    c.open(uri, "dockerfile", 1, messy);
    let edits = format(&mut c, uri);
    let formatted = apply_edits(messy, edits.as_array().unwrap());
    assert_eq!(formatted, expected);
    c.change_full(uri, 2, &formatted);
    assert_eq!(format(&mut c, uri), json!([]), "formatting twice changes nothing");
    // Compose files are not formatted.
    c.open("untitled:compose-format.yaml", "dockercompose", 1, "services:\n   web:\n     image: x\n");
    assert_eq!(format(&mut c, "untitled:compose-format.yaml"), Value::Null);
    c.shutdown();
}

#[test]
fn unknown_documents_and_out_of_range_positions() {
    let mut c = LspClient::editor();
    let unknown = "untitled:never-opened";
    for method in [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
        "textDocument/references",
        "textDocument/documentHighlight",
        "textDocument/prepareRename",
    ] {
        let mut p = at_position(unknown, (0, 0));
        if method == "textDocument/references" {
            p["context"] = json!({"includeDeclaration": true});
        }
        assert_eq!(c.ask(method, p), Value::Null, "{method}");
    }
    for method in ["textDocument/documentSymbol", "textDocument/foldingRange", "textDocument/formatting"] {
        let p = json!({"textDocument": {"uri": unknown}, "options": {"tabSize": 4, "insertSpaces": true}});
        assert_eq!(c.ask(method, p), Value::Null, "{method}");
    }
    assert_eq!(rename(&mut c, unknown, (0, 0), "x")["result"], Value::Null);

    // Positions past the end clamp to the end of the line or the text.
    let uri = "untitled:Dockerfile-clamp";
    let t = "FROM alpine AS base\nRUN echo 😀\n";
    c.open(uri, "dockerfile", 1, t);
    for pos in [(0, 999), (1, 999), (99, 0), (u32::MAX, u32::MAX), (1, 10)] {
        hover(&mut c, uri, pos);
        completion(&mut c, uri, pos);
        locations(&mut c, "textDocument/references", uri, pos, true);
        c.ask("textDocument/documentHighlight", at_position(uri, pos));
        c.ask("textDocument/prepareRename", at_position(uri, pos));
    }
    // The end of line 0 touches `base`.
    let h = hover(&mut c, uri, (0, 999));
    assert!(h["contents"]["value"].as_str().unwrap_or("").contains("base"), "{h}");
    let compose = "services:\n  web:\n    image: x\n";
    c.open("untitled:compose-clamp.yaml", "dockercompose", 1, compose);
    for pos in [(0, 999), (99, 99), (u32::MAX, 0)] {
        hover(&mut c, "untitled:compose-clamp.yaml", pos);
        completion(&mut c, "untitled:compose-clamp.yaml", pos);
    }
    assert!(c.alive());
    c.shutdown();
}

/// Latency figures (printed, not asserted): hover and completion on a
/// 2,000-line Dockerfile and a 72-line Compose file, after the first request
/// of each version (which builds the analysis) and on a fresh version.
/// `cargo test --release -p berth-tests --test lsp_features latency -- --nocapture`
#[test]
fn latency_figures() {
    let mut c = LspClient::editor();
    let uri = "untitled:Dockerfile-big";
    let mut t =
        String::from("# syntax=docker/dockerfile:1\nARG BASE=alpine:3.20\nFROM ${BASE} AS build\nENV APP=/srv\n");
    while t.lines().count() < 1998 {
        let i = t.lines().count();
        t.push_str(&format!(
            "RUN --mount=type=cache,target=/root/.cache apt-get install -y pkg{i} && echo ${{APP}} 😀 \\\n    && rm -rf /tmp/{i}\n"
        ));
    }
    t.push_str("FROM build AS final\nCOPY --from=build /srv /srv\n");
    c.open(uri, "dockerfile", 1, &t);
    c.diagnostics(uri, Some(1));
    let lines = t.lines().count();
    let var = position_of(&t, "${APP}", 500, 3);
    let flag = position_of(&t, "--mount", 900, 0);
    let end = position(&t, t.len());
    let time = |c: &mut LspClient, method: &str, pos: (u32, u32), n: u32| -> f64 {
        let started = Instant::now();
        for _ in 0..n {
            c.ask(method, at_position(uri, pos));
        }
        started.elapsed().as_secs_f64() * 1e3 / f64::from(n)
    };
    let first = time(&mut c, "textDocument/hover", var, 1);
    let hover_var = time(&mut c, "textDocument/hover", var, 50);
    let hover_flag = time(&mut c, "textDocument/hover", flag, 50);
    let compl_end = time(&mut c, "textDocument/completion", end, 50);
    let compl_var = time(&mut c, "textDocument/completion", (var.0, var.1 - 1), 50);
    c.change(uri, 2, end, end, "R");
    let after_edit = time(&mut c, "textDocument/completion", (end.0, 1), 1);
    println!(
        "Dockerfile, {lines} lines: first hover {first:.2} ms (builds the analysis); hover on a variable {hover_var:.2} ms, \
         on a flag {hover_flag:.2} ms; completion at the end {compl_end:.2} ms, in ${{}} {compl_var:.2} ms; \
         completion right after an edit {after_edit:.2} ms"
    );

    let dir = Scratch::new("lsp-latency");
    dir.write(".env", "TAG=1\n");
    dir.write("Dockerfile", "FROM alpine AS base\nFROM base AS app\n");
    let mut compose = String::from("services:\n");
    let mut i = 0;
    while compose.lines().count() < 64 {
        compose.push_str(&format!(
            "  svc{i}:\n    image: \"app:${{TAG}}\"\n    build: {{context: ., target: app}}\n    restart: always\n    depends_on: [svc0]\n    networks: [net]\n"
        ));
        i += 1;
    }
    compose.push_str("networks:\n  net: {}\n");
    while compose.lines().count() < 72 {
        compose.insert_str(0, "# padding\n");
    }
    let curi_path = dir.write("compose.yaml", &compose);
    let curi = file_uri(&curi_path);
    c.open(&curi, "dockercompose", 1, &compose);
    c.diagnostics(&curi, Some(1));
    let lines = compose.lines().count();
    let restart = position_of(&compose, "restart", 5, 2);
    let tag = position_of(&compose, "${TAG}", 5, 3);
    let target_value = position_of(&compose, "target: app", 5, 9);
    let timec = |c: &mut LspClient, method: &str, pos: (u32, u32), n: u32| -> f64 {
        let started = Instant::now();
        for _ in 0..n {
            c.ask(method, at_position(&curi, pos));
        }
        started.elapsed().as_secs_f64() * 1e3 / f64::from(n)
    };
    let stages = completion(&mut c, &curi, target_value);
    assert_eq!(labels(&stages), ["base", "app"], "the measured request answers");
    let h_key = timec(&mut c, "textDocument/hover", restart, 50);
    let h_var = timec(&mut c, "textDocument/hover", tag, 50);
    let c_key = timec(&mut c, "textDocument/completion", (restart.0, 4), 50);
    let c_target = timec(&mut c, "textDocument/completion", target_value, 50);
    println!(
        "Compose, {lines} lines: hover on a key {h_key:.2} ms, on ${{TAG}} (reads .env) {h_var:.2} ms; completion of keys \
         {c_key:.2} ms, of build.target (reads the Dockerfile) {c_target:.2} ms"
    );
    c.settle(Duration::from_millis(10));
    c.shutdown();
}

#[test]
fn flat_symbols_for_clients_without_tree_support() {
    let mut c = LspClient::start(&root(), &[]);
    c.initialize(Value::Null, json!({}));
    let uri = "untitled:Dockerfile-flat";
    c.open(uri, "dockerfile", 1, DOCKERFILE);
    let syms = c.ask("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    let syms = syms.as_array().unwrap();
    assert!(syms.iter().all(|s| s.get("children").is_none() && s["location"]["uri"] == uri), "{syms:?}");
    let build = syms.iter().find(|s| s["name"].as_str().unwrap().contains("build")).unwrap();
    let build_name = build["name"].as_str().unwrap();
    // The stage's instructions follow it, each naming the stage as container.
    assert!(syms.iter().any(|s| s["containerName"] == build_name), "{syms:?}");
    assert!(build.get("containerName").is_none_or(Value::is_null));
    c.shutdown();
}

/// A fake ShellCheck that records each run in `ran` and finds nothing.
fn fake_shellcheck(dir: &Scratch) -> std::path::PathBuf {
    let ran = dir.path.join("ran");
    let script = format!(
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'ShellCheck - shell script analysis tool'; echo 'version: 0.9.0'; exit 0; fi\ntouch '{}'\necho '{{\"comments\":[]}}'\n",
        ran.display()
    );
    let path = dir.write("fake-shellcheck", script);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

#[cfg(unix)]
#[test]
fn large_documents_are_linted_and_answered_without_shellcheck() {
    let dir = Scratch::new("lsp-large");
    let sc = fake_shellcheck(&dir);
    let mut c = LspClient::start(&dir.path, &[]);
    c.initialize(json!({"shellcheck": {"enabled": true, "path": sc.to_str().unwrap()}}), editor_capabilities());
    // A small file first: the fake ShellCheck does run on it.
    let small_uri = file_uri(&dir.path.join("small/Dockerfile"));
    c.open(&small_uri, "dockerfile", 1, "FROM alpine:3.20\nRUN echo hi\n");
    let ran = dir.path.join("ran");
    let end = Instant::now() + Duration::from_secs(10);
    while !ran.exists() && Instant::now() < end {
        c.settle(Duration::from_millis(50));
    }
    assert!(ran.exists(), "the fake ShellCheck never ran on the small file");
    std::fs::remove_file(&ran).unwrap();

    // 300 KiB: over the editor's large-document line.
    let mut text = String::from("FROM debian:12 AS base\n");
    let mut n = 0;
    while text.len() < 300 * 1024 {
        text += &format!("RUN echo line-{n} && test -n \"$HOME\"\n");
        n += 1;
    }
    text += "RUN apt-get install curl\n";
    let uri = file_uri(&dir.path.join("big/Dockerfile"));
    c.open(&uri, "dockerfile", 1, &text);
    let d1 = c.diagnostics(&uri, Some(1))["diagnostics"].clone();
    let has = |d: &Value, code: &str| d.as_array().unwrap().iter().any(|x| x["code"] == code);
    assert!(has(&d1, "DL3008"), "{d1}");
    // An edit at the end: the finding goes, and the tree let go of at the
    // start of that lint is rebuilt for a hover.
    let last = text.lines().count() as u32 - 1;
    c.change(&uri, 2, (last, 0), (last, 24), "RUN echo done");
    let d2 = c.diagnostics(&uri, Some(2))["diagnostics"].clone();
    assert!(!has(&d2, "DL3008"), "{d2}");
    let hover = c.ask("textDocument/hover", at_position(&uri, (0, 1)));
    assert!(hover["contents"]["value"].as_str().is_some_and(|v| v.contains("FROM")), "{hover}");
    let symbols = c.ask("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    assert_eq!(symbols.as_array().unwrap().len(), 1, "one stage");
    // Well past ShellCheck's pause: it did not run, and the editor was told why once.
    c.settle(Duration::from_millis(800));
    assert!(!ran.exists(), "ShellCheck ran on a large document");
    let told = c.wait(Duration::from_secs(1), |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"].as_str().is_some_and(|s| s.contains("ShellCheck does not run"))
    });
    assert!(told.is_some(), "no log message about ShellCheck");
    c.shutdown();
}
