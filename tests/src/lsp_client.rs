//! A small LSP client for the tests: starts `berth lsp`, speaks JSON-RPC over
//! its standard input and output, answers the server's own requests
//! (`workspace/configuration` from [`LspClient::set_settings`],
//! `workspace/applyEdit` with `applied: true`, the rest with `null`), and keeps every message it receives so tests can wait for one.
//!
//! Positions in the helpers are LSP positions: zero-based lines and UTF-16
//! columns, computed here independently of the server (see [`position`] and
//! [`apply_edits`]).

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a test waits for an answer unless told otherwise.
pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct LspClient {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    incoming: Receiver<Value>,
    /// Every message received from the server, in order.
    pub received: Vec<Value>,
    next_id: i64,
    settings: Arc<Mutex<Value>>,
    /// Standard error of the server, collected by a thread.
    stderr: Arc<Mutex<Vec<u8>>>,
}

/// `Content-Length` framing.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn write_frame(stdin: &Mutex<ChildStdin>, body: &[u8]) -> std::io::Result<()> {
    let mut s = stdin.lock().unwrap_or_else(|p| p.into_inner());
    s.write_all(&frame(body))?;
    s.flush()
}

/// Read one frame; `None` at the end of the stream.
fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).unwrap_or_else(|e| panic!("server sent invalid JSON ({e})")))
}

impl LspClient {
    /// Start `berth lsp` (plus `extra` arguments) in `cwd`.
    pub fn start(cwd: &Path, extra: &[&str]) -> LspClient {
        LspClient::start_with(cwd, extra, |_| {})
    }

    /// [`LspClient::start`], with the command adjusted first (its environment).
    pub fn start_with(cwd: &Path, extra: &[&str], adjust: impl FnOnce(&mut Command)) -> LspClient {
        let mut cmd = Command::new(crate::berth_bin());
        cmd.env("BERTH_AS_OF", crate::TEST_AS_OF);
        adjust(&mut cmd);
        let mut child = cmd
            .args(extra)
            .arg("lsp")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn berth lsp");
        let stdin = Arc::new(Mutex::new(child.stdin.take().expect("stdin")));
        let stdout = child.stdout.take().expect("stdout");
        let mut err_pipe = child.stderr.take().expect("stderr");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let collected = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                collected.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(&buf[..n]);
            }
        });
        let settings = Arc::new(Mutex::new(Value::Null));
        let (tx, rx) = channel();
        let (answer_to, answer_settings) = (stdin.clone(), settings.clone());
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_frame(&mut r) {
                // Answer the server's requests.
                if let (Some(id), Some(method)) = (msg.get("id"), msg.get("method").and_then(Value::as_str)) {
                    let result = match method {
                        "workspace/configuration" => {
                            let s = answer_settings.lock().unwrap_or_else(|p| p.into_inner()).clone();
                            let n = msg["params"]["items"].as_array().map_or(1, Vec::len);
                            json!(vec![s; n])
                        }
                        "workspace/applyEdit" => json!({"applied": true}),
                        _ => Value::Null,
                    };
                    let reply = json!({"jsonrpc": "2.0", "id": id, "result": result});
                    let _ = write_frame(&answer_to, reply.to_string().as_bytes());
                }
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        LspClient { child, stdin, incoming: rx, received: Vec::new(), next_id: 1, settings, stderr }
    }

    /// What the server has written to standard error so far.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }

    /// What `workspace/configuration` answers for every item.
    pub fn set_settings(&self, v: Value) {
        *self.settings.lock().unwrap_or_else(|p| p.into_inner()) = v;
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let mut s = self.stdin.lock().unwrap_or_else(|p| p.into_inner());
        s.write_all(bytes).expect("write to berth lsp");
        s.flush().expect("flush");
    }

    pub fn send(&mut self, v: &Value) {
        write_frame(&self.stdin, v.to_string().as_bytes()).expect("write to berth lsp");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Send a request and wait for its response (the whole message).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// The response to request `id`.
    pub fn response(&mut self, id: i64) -> Value {
        self.wait(TIMEOUT, |m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
            .unwrap_or_else(|| panic!("no response to request {id}; stderr: {}", self.stderr()))
    }

    /// Move what has arrived into `received`, waiting at most `timeout` for
    /// one message; false when nothing came.
    fn pump(&mut self, timeout: Duration) -> bool {
        match self.incoming.recv_timeout(timeout) {
            Ok(m) => {
                self.received.push(m);
                while let Ok(m) = self.incoming.try_recv() {
                    self.received.push(m);
                }
                true
            }
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => false,
        }
    }

    /// Wait for a message that matches, among all received so far and those
    /// still to come.
    pub fn wait(&mut self, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        self.wait_from(0, timeout, pred)
    }

    /// [`LspClient::wait`] among the messages from index `from` of `received`
    /// on (take `received.len()` before sending to see only what follows).
    pub fn wait_from(&mut self, from: usize, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        let end = Instant::now() + timeout;
        let mut looked = from;
        loop {
            if let Some(m) = self.received.get(looked..).unwrap_or_default().iter().find(|m| pred(m)) {
                return Some(m.clone());
            }
            looked = looked.max(self.received.len());
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            self.pump(left);
        }
    }

    /// Collect messages for `d`.
    pub fn settle(&mut self, d: Duration) {
        let end = Instant::now() + d;
        while Instant::now() < end {
            self.pump(end.saturating_duration_since(Instant::now()));
        }
    }

    /// `initialize` (with these initialization options and client
    /// capabilities) and `initialized`; returns the result.
    pub fn initialize(&mut self, options: Value, capabilities: Value) -> Value {
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities, "initializationOptions": options}),
        );
        assert!(r.get("result").is_some(), "initialize failed: {r}");
        self.notify("initialized", json!({}));
        r["result"].clone()
    }

    /// `berth lsp` in the repository's root, initialized as an editor with
    /// every feature (`editor_capabilities`) and no options: the start-up
    /// of the feature tests.
    pub fn editor() -> LspClient {
        let mut c = LspClient::start(&crate::root(), &[]);
        c.initialize(Value::Null, editor_capabilities());
        c
    }

    /// The result of a request; fails on an error response.
    pub fn ask(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params);
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// `initialize` with ordinary capabilities.
    pub fn initialize_default(&mut self) -> Value {
        self.initialize(
            Value::Null,
            json!({
                "general": {"positionEncodings": ["utf-16"]},
                "workspace": {"configuration": true, "workspaceEdit": {"documentChanges": true}},
                "textDocument": {"publishDiagnostics": {"relatedInformation": true, "versionSupport": true}}
            }),
        )
    }

    pub fn open(&mut self, uri: &str, language_id: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language_id, "version": version, "text": text}}),
        );
    }

    /// One ranged change: replace `start..end` (LSP positions) with `text`.
    pub fn change(&mut self, uri: &str, version: i64, start: (u32, u32), end: (u32, u32), text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{
                "range": {"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}},
                "text": text
            }]}),
        );
    }

    /// Replace the whole text.
    pub fn change_full(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// Every `publishDiagnostics` for `uri` received so far, in order.
    pub fn publications(&self, uri: &str) -> Vec<Value> {
        self.received
            .iter()
            .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
            .map(|m| m["params"].clone())
            .collect()
    }

    /// Wait until `uri` has had at least `n` publications; false on timeout.
    pub fn wait_publications(&mut self, uri: &str, n: usize, timeout: Duration) -> bool {
        let end = Instant::now() + timeout;
        while self.publications(uri).len() < n {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            self.pump(left);
        }
        true
    }

    /// Wait for diagnostics of `uri` at `version` (`None`: a publication
    /// without a version, as after close); returns the publication's params.
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Value {
        let want = version.map_or(Value::Null, |v| json!(v));
        self.wait(TIMEOUT, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"].get("version").cloned().unwrap_or(Value::Null) == want
        })
        .map(|m| m["params"].clone())
        .unwrap_or_else(|| panic!("no diagnostics for {uri} version {want}; stderr: {}", self.stderr()))
    }

    /// True while the process runs.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Wait for the process to end (at most `timeout`).
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let end = Instant::now() + timeout;
        loop {
            if let Ok(Some(s)) = self.child.try_wait() {
                return Some(s);
            }
            if Instant::now() >= end {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// `shutdown` then `exit`; returns the exit status.
    pub fn shutdown(mut self) -> ExitStatus {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "shutdown failed: {r}");
        self.notify("exit", Value::Null);
        self.wait_exit(Duration::from_secs(10)).expect("berth lsp did not exit")
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A `file://` URI for a path (percent-encoding what needs it).
pub fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The LSP position (line, UTF-16 column) of a byte offset.
pub fn position(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line as u32, before[start..].encode_utf16().count() as u32)
}

/// The byte offset of an LSP position (clamped to the line).
pub fn offset(text: &str, line: u64, character: u64) -> usize {
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut units = 0u64;
    for (i, c) in text[start..end].char_indices() {
        if units >= character {
            return start + i;
        }
        units += c.len_utf16() as u64;
    }
    end
}

/// Apply LSP `TextEdit`s (non-overlapping, positions in the original text).
pub fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r = &e["range"];
            let at = |p: &Value| offset(text, p["line"].as_u64().unwrap(), p["character"].as_u64().unwrap());
            (at(&r["start"]), at(&r["end"]), e["newText"].as_str().unwrap().to_string())
        })
        .collect();
    spans.sort_by_key(|s| (s.0, s.1));
    let mut out = String::new();
    let mut pos = 0;
    for (s, e, t) in spans {
        assert!(s >= pos, "overlapping edits");
        out.push_str(&text[pos..s]);
        out.push_str(&t);
        pos = e;
    }
    out.push_str(&text[pos..]);
    out
}

/// The text edits of a code action for `uri` (from `documentChanges` or `changes`).
pub fn action_edits(action: &Value, uri: &str) -> Vec<Value> {
    let edit = &action["edit"];
    if let Some(dc) = edit["documentChanges"].as_array() {
        return dc
            .iter()
            .filter(|d| d["textDocument"]["uri"] == uri)
            .flat_map(|d| d["edits"].as_array().cloned().unwrap_or_default())
            .collect();
    }
    edit["changes"][uri].as_array().cloned().unwrap_or_default()
}

/// The client capabilities of a full-featured editor: snippets, prepare
/// rename, hierarchical symbols, versioned workspace edits.
pub fn editor_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "workspace": {"configuration": true, "workspaceEdit": {"documentChanges": true}},
        "textDocument": {
            "publishDiagnostics": {"relatedInformation": true, "versionSupport": true},
            "completion": {"completionItem": {"snippetSupport": true, "documentationFormat": ["markdown"]}},
            "hover": {"contentFormat": ["markdown"]},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "rename": {"prepareSupport": true}
        }
    })
}

/// `{"textDocument": {"uri": ..}, "position": ..}` for a request at `pos`.
pub fn at_position(uri: &str, pos: (u32, u32)) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": pos.0, "character": pos.1}})
}

/// The LSP position of the `nth` (0-based) occurrence of `needle` in
/// `text`, moved `delta` bytes into it.
pub fn position_of(text: &str, needle: &str, nth: usize, delta: usize) -> (u32, u32) {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("no occurrence {nth} of {needle:?} in {text:?}"))
        .0;
    position(text, at + delta)
}

/// The (start, end) positions of an LSP range.
pub fn range_of(r: &Value) -> ((u32, u32), (u32, u32)) {
    let p = |v: &Value| (v["line"].as_u64().unwrap() as u32, v["character"].as_u64().unwrap() as u32);
    (p(&r["start"]), p(&r["end"]))
}

/// The text an LSP range covers.
pub fn range_text<'t>(text: &'t str, r: &Value) -> &'t str {
    let at = |p: &Value| offset(text, p["line"].as_u64().unwrap(), p["character"].as_u64().unwrap());
    &text[at(&r["start"])..at(&r["end"])]
}

/// A workspace edit's text edits by document URI (from `documentChanges`
/// or `changes`), with each document's version when versioned.
pub fn workspace_edits(edit: &Value) -> Vec<(String, Option<i64>, Vec<Value>)> {
    if let Some(dc) = edit["documentChanges"].as_array() {
        return dc
            .iter()
            .map(|d| {
                let uri = d["textDocument"]["uri"].as_str().unwrap_or("").to_string();
                (uri, d["textDocument"]["version"].as_i64(), d["edits"].as_array().cloned().unwrap_or_default())
            })
            .collect();
    }
    edit["changes"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), None, v.as_array().cloned().unwrap_or_default())).collect())
        .unwrap_or_default()
}
