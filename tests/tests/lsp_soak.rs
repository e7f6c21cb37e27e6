//! Soak test of `berth lsp`: 50 documents (Dockerfiles and Compose files from
//! `corpus/rules` and `corpus/demo`), 10,000 random edits from a seeded
//! xorshift generator, with invalid ranges (past the end, inverted, inside a
//! surrogate pair), versions that go backwards, several changes in one
//! `didChange` and whole-text replacements, interleaved with hover,
//! completion, codeAction and documentSymbol requests, some of them cancelled.
//!
//! Checked:
//! - every request is answered, once (a result or an error; `RequestCancelled`
//!   only for a cancelled one; `MethodNotFound` for what the server does not
//!   offer (yet); never an internal error, which means a handler panicked, nor
//!   a log message about a panic or a failure), and the process never exits;
//! - per document, no publication is for an older state than one already
//!   published: every version sent is unique per document (the backward ones
//!   are fresh lower numbers), so a published version names the edit it
//!   follows, and those must never go back;
//! - incremental sync keeps the server's text equal to the client's: the
//!   client keeps a mirror of each document, applying every change itself with
//!   the clamping the protocol layer documents (a line past the end is the end
//!   of the text, a column past its line is the line's end, a column inside a
//!   surrogate pair is the start of that character, a reversed range is
//!   swapped); at the end the diagnostics published for each document's last
//!   version must equal those of a fresh `didOpen` of the mirror's text under
//!   another URI (codes, ranges and messages), at checkpoints every 2,500
//!   edits and at the end (ShellCheck is off, so findings do not depend on
//!   timing);
//! - memory: VmRSS at the end is at most twice VmRSS after the first 100 edits,
//!   plus 8 MiB of slack so that small absolute numbers (allocator arenas,
//!   a few more blocking threads) do not make it flaky. Linux only (read from
//!   `/proc/<pid>/status`; the pid is found through `/proc` as the one
//!   `berth` child of the test process).
//!
//! Requests are pipelined: at most [`WINDOW`] are outstanding, and since the
//! server finishes each notification before it reads the next message, an
//! answered request also means the edits sent before it were taken. Figures
//! (edits/s, RSS) are printed; run with `--nocapture` to see them.
//! `BERTH_SOAK_SEED` and `BERTH_SOAK_EDITS` change the seed and the count.
//!
//! It is the only test of this file: the server's pid is found as the one
//! `berth` child of the test process (regressions it found are in
//! `lsp_regressions.rs`).

use berth_tests::lsp_client::LspClient;
use berth_tests::root;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const DOCS: usize = 50;
const EDITS: usize = 10_000;
/// Requests outstanding at most.
const WINDOW: usize = 48;
/// First version of each document; the backward versions count down from it.
const BASE_VERSION: i64 = 1_000_000;
const RSS_SLACK_KIB: u64 = 8 * 1024;
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

/// xorshift64*: small, seeded, good enough to pick edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
    /// True `percent`% of the time.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ----- the client's model of a document's text -----

/// Each line as (start, end of content) byte offsets; lines end at `\n`,
/// `\r\n` or a lone `\r`, and there is one more line than line breaks.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push((start, i));
                start = i + 1;
            }
            b'\r' => {
                out.push((start, i));
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push((start, b.len()));
    out
}

fn utf16_len(s: &str) -> u64 {
    s.encode_utf16().count() as u64
}

/// The byte offset of an LSP position, clamped the way the server documents.
fn offset_at(text: &str, line: u64, col: u64) -> usize {
    let ls = lines(text);
    let Some(&(start, end)) = ls.get(line as usize) else { return text.len() };
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        // At this character, or inside its surrogate pair: its start.
        if col < units + c.len_utf16() as u64 {
            return start + i;
        }
        units += c.len_utf16() as u64;
    }
    end
}

/// The LSP position of a byte offset (a char boundary; inside `\r\n`: the
/// line's end).
fn position_at(text: &str, offset: usize) -> (u64, u64) {
    let ls = lines(text);
    let line = ls.iter().rposition(|&(s, _)| s <= offset).unwrap_or(0);
    let (s, e) = ls[line];
    (line as u64, utf16_len(&text[s..offset.min(e)]))
}

fn pos(p: (u64, u64)) -> Value {
    json!({"line": p.0, "character": p.1})
}

fn char_floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One content change as sent, and applied to the mirror.
struct Change {
    range: Option<((u64, u64), (u64, u64))>,
    text: String,
}

impl Change {
    fn json(&self) -> Value {
        match self.range {
            Some((a, b)) => json!({"range": {"start": pos(a), "end": pos(b)}, "text": self.text}),
            None => json!({"text": self.text}),
        }
    }
    fn apply(&self, text: &mut String) {
        match self.range {
            None => *text = self.text.clone(),
            Some((a, b)) => {
                let (x, y) = (offset_at(text, a.0, a.1), offset_at(text, b.0, b.1));
                text.replace_range(x.min(y)..x.max(y), &self.text);
            }
        }
    }
}

const DOCKERFILE_SNIPPETS: &[&str] = &[
    "RUN apt-get update && apt-get install -y curl\n",
    "FROM alpine:3.20 AS build\n",
    "FROM ubuntu\n",
    "USER root\n",
    "ENV A=b\n",
    "MAINTAINER someone\n",
    "WORKDIR app\n",
    "EXPOSE 80\n",
    " && echo hi",
    " \\\n    ",
    "ADD http://example.com/x.tar.gz /\n",
    "COPY . .\n",
    "CMD npm start\n",
    "RUN cd /tmp && pip install flask\n",
    "HEALTHCHECK CMD curl -f http://localhost/\n",
    "# hadolint ignore=DL3008\n",
    ":latest",
];

const COMPOSE_SNIPPETS: &[&str] = &[
    "services:\n",
    "  web:\n    image: nginx\n",
    "    privileged: true\n",
    "    ports:\n      - \"80:80\"\n",
    "    environment:\n      PASSWORD: hunter2\n",
    "    image: redis:latest\n",
    "    build: .\n",
    "version: \"3.8\"\n",
    "  db: &db\n    image: postgres\n",
    "  db2:\n    <<: *db\n",
    "    network_mode: host\n",
    "  - ",
    ": ",
];

/// Text that exercises UTF-16 and line ends.
const ODD_SNIPPETS: &[&str] =
    &["😀", "日本語", "e\u{301}", "𝄞x", "\r\n", "\r", "\n", "\t", " ", "\"", "'", "#", "", "${VAR:-x}", "\\"];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Valid,
    PastEnd,
    Inverted,
    Surrogate,
    Multi,
    Full,
}

struct Doc {
    uri: String,
    language_id: &'static str,
    original: String,
    /// The client's mirror of the text.
    text: String,
    version: i64,
    /// The highest version sent.
    top: i64,
    /// The next backward version (counts down, so every version is new).
    backward: i64,
    /// Edits sent so far; `seq_of[version]` is the count after that version.
    seq: u64,
    seq_of: HashMap<i64, u64>,
    /// The last publication: its edit count and its params.
    published_seq: Option<u64>,
    published: Option<Value>,
}

impl Doc {
    /// A new text to insert.
    fn insertion(&self, rng: &mut Rng) -> String {
        match rng.below(10) {
            0..=3 => rng.pick(ODD_SNIPPETS).to_string(),
            4..=6 if self.language_id == "dockerfile" => rng.pick(DOCKERFILE_SNIPPETS).to_string(),
            4..=6 => rng.pick(COMPOSE_SNIPPETS).to_string(),
            _ => {
                // A piece of the original file.
                let a = char_floor(&self.original, rng.below(self.original.len() + 1));
                let b = char_floor(&self.original, a + rng.below(60));
                self.original[a..b].to_string()
            }
        }
    }

    /// A random char-boundary range of the mirror, short.
    fn span(&self, rng: &mut Rng, max: usize) -> (usize, usize) {
        let a = char_floor(&self.text, rng.below(self.text.len() + 1));
        let b = char_floor(&self.text, a + rng.below(max + 1));
        (a, b)
    }

    fn range(&self, a: usize, b: usize) -> ((u64, u64), (u64, u64)) {
        (position_at(&self.text, a), position_at(&self.text, b))
    }

    /// Offsets of the characters outside the BMP (two UTF-16 units).
    fn astral(&self) -> Vec<usize> {
        self.text.char_indices().filter(|(_, c)| c.len_utf16() == 2).map(|(i, _)| i).collect()
    }

    /// One change of the given kind, against the mirror as it is now.
    fn change(&self, rng: &mut Rng, kind: Kind) -> Change {
        // Keep the texts near their original size: delete more when grown.
        let grown = self.text.len() > 2 * self.original.len() + 500;
        let max_del = if grown { 200 } else { 30 };
        let new_text = if grown && rng.chance(70) { String::new() } else { self.insertion(rng) };
        match kind {
            Kind::Valid | Kind::Multi => {
                let (a, b) = self.span(rng, max_del);
                Change { range: Some(self.range(a, b)), text: new_text }
            }
            Kind::PastEnd => {
                let ls = lines(&self.text);
                let n = ls.len() as u64;
                let start = match rng.below(4) {
                    // A line past the last one.
                    0 => (n + rng.below(3) as u64, rng.below(5) as u64),
                    // A column past the end of its line.
                    1 | 2 => {
                        let line = rng.below(ls.len());
                        let (s, e) = ls[line];
                        (line as u64, utf16_len(&self.text[s..e]) + 1 + rng.below(40) as u64)
                    }
                    // Far away (the largest `uinteger`).
                    _ => (i32::MAX as u64, i32::MAX as u64),
                };
                let end = if rng.chance(50) { start } else { (n + 5, 0) };
                let range = if rng.chance(30) {
                    // From a valid position to the past-the-end one.
                    let (a, _) = self.span(rng, 0);
                    (position_at(&self.text, a), end)
                } else {
                    (start, end)
                };
                Change { range: Some(range), text: new_text }
            }
            Kind::Inverted => {
                let (a, b) = self.span(rng, max_del);
                let (s, e) = self.range(a, b);
                Change { range: Some((e, s)), text: new_text }
            }
            Kind::Surrogate => {
                let astral = self.astral();
                if astral.is_empty() {
                    // Make one for next time.
                    let (a, _) = self.span(rng, 0);
                    return Change { range: Some(self.range(a, a)), text: "😀".into() };
                }
                let at = *rng.pick(&astral);
                let (line, col) = position_at(&self.text, at);
                let inside = (line, col + 1);
                let (a, b) = self.span(rng, max_del);
                let other = position_at(&self.text, if rng.chance(50) { a } else { b });
                let range = match rng.below(3) {
                    0 => (inside, inside),
                    1 => (inside, other),
                    _ => (other, inside),
                };
                Change { range: Some(range), text: new_text }
            }
            Kind::Full => {
                let mut t = self.text.clone();
                // The same text with one line dropped or the original again.
                if rng.chance(50) {
                    let ls = lines(&t);
                    let (s, e) = ls[rng.below(ls.len())];
                    t.replace_range(s..e, "");
                } else {
                    t = self.original.clone();
                }
                Change { range: None, text: t }
            }
        }
    }
}

/// A document's findings as compared: code, range and message.
fn findings(publication: &Value) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = publication["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| (d["code"].to_string(), d["range"].to_string(), d["message"].as_str().unwrap_or("").into()))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

// ----- the server process -----

/// The pid of the `berth` child of this process (the LSP client does not
/// expose it): the one child of this test whose command is `berth`.
fn server_pid() -> u32 {
    let me = std::process::id();
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // pid (comm) state ppid ...
        let Some(close) = stat.rfind(')') else { continue };
        let comm = &stat[stat.find('(').unwrap_or(0) + 1..close];
        let ppid = stat[close + 1..].split_whitespace().nth(1).and_then(|s| s.parse::<u32>().ok());
        if ppid == Some(me) && comm.starts_with("berth") {
            found.push(pid);
        }
    }
    assert_eq!(found.len(), 1, "expected one berth child process, found {found:?}");
    found[0]
}

/// VmRSS in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc/<pid>/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS")
}

fn threads(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("Threads:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0)
}

/// The 50 documents: the demo Dockerfiles, then rule fixtures, Compose files
/// and Dockerfiles alternately, spread over the sorted list.
fn corpus_files() -> Vec<(PathBuf, &'static str)> {
    let root = root();
    let mut out: Vec<(PathBuf, &'static str)> = Vec::new();
    for d in ["web", "worker", "model-server"] {
        out.push((root.join("corpus/demo").join(d).join("Dockerfile"), "dockerfile"));
    }
    let mut rules: Vec<PathBuf> =
        std::fs::read_dir(root.join("corpus/rules")).expect("corpus/rules").flatten().map(|e| e.path()).collect();
    rules.sort();
    let named = |suffix: &str| -> Vec<PathBuf> {
        rules.iter().filter(|p| p.to_string_lossy().ends_with(suffix)).cloned().collect()
    };
    let (compose, docker) = (named(".compose.yaml"), named(".Dockerfile"));
    let want = DOCS - out.len();
    let (nc, nd) = (want / 2 + 1, want - want / 2 - 1);
    let spread = |list: &[PathBuf], n: usize| -> Vec<PathBuf> {
        (0..n).map(|i| list[i * list.len() / n].clone()).collect::<Vec<_>>()
    };
    let (c, d) = (spread(&compose, nc), spread(&docker, nd));
    for i in 0..nc.max(nd) {
        if let Some(p) = c.get(i) {
            out.push((p.clone(), "dockercompose"));
        }
        if let Some(p) = d.get(i) {
            out.push((p.clone(), "dockerfile"));
        }
    }
    assert_eq!(out.len(), DOCS);
    out
}

#[derive(Default)]
struct Stats {
    requests: usize,
    cancelled: usize,
    answers_by_code: BTreeMap<String, usize>,
    publications: usize,
    backward_versions: usize,
    kinds: BTreeMap<String, usize>,
    logs: usize,
    checkpoints: usize,
    compared: usize,
    /// Spent in checkpoints during the edits (not counted in edits/s).
    checkpoint_time: Duration,
}

/// A request not answered yet.
struct Pending {
    method: &'static str,
    cancelled: bool,
    params: Value,
    /// The mirror's text when it was sent (for the report of a failure).
    text: String,
}

struct Soak {
    c: LspClient,
    docs: Vec<Doc>,
    by_uri: HashMap<String, usize>,
    pending: HashMap<i64, Pending>,
    /// Fresh opens of the mirrors, for the final comparison.
    checks: HashMap<String, Value>,
    stats: Stats,
    failures: Vec<String>,
    /// Documents whose text diverged, per checkpoint.
    mismatched: Vec<String>,
}

impl Soak {
    fn fail(&mut self, why: String) {
        if self.failures.len() < 50 {
            self.failures.push(why);
        }
    }

    /// Take in everything received so far.
    fn process(&mut self) {
        let received: Vec<Value> = self.c.received.drain(..).collect();
        for m in received {
            if let Some(method) = m.get("method").and_then(Value::as_str) {
                match method {
                    "textDocument/publishDiagnostics" => self.publication(&m["params"]),
                    "window/logMessage" | "window/showMessage" => {
                        self.stats.logs += 1;
                        let text = m["params"]["message"].as_str().unwrap_or("");
                        if text.contains("panicked") || text.contains("failed") {
                            self.fail(format!("server says: {text}"));
                        }
                    }
                    _ => {}
                }
                continue;
            }
            let Some(id) = m.get("id").and_then(Value::as_i64) else {
                self.fail(format!("a response without a numeric id: {m}"));
                continue;
            };
            let Some(Pending { method, cancelled, params, text }) = self.pending.remove(&id) else {
                self.fail(format!("an answer to request {id}, which is not pending (twice?): {m}"));
                continue;
            };
            let code = match m.get("error") {
                Some(e) => e["code"].as_i64().unwrap_or(0),
                None if m.get("result").is_some() => 0,
                None => {
                    self.fail(format!("{method} {id}: neither result nor error: {m}"));
                    continue;
                }
            };
            *self.stats.answers_by_code.entry(format!("{method} {code}")).or_default() += 1;
            match code {
                0 => {}
                -32800 if cancelled => {}
                -32800 => self.fail(format!("{method} {id}: RequestCancelled, but it was not cancelled")),
                -32603 => self.fail(format!(
                    "{method} {id}: internal error (a handler failed): {m}\n  params: {params}\n  text when sent: {text:?}"
                )),
                _ => {}
            }
        }
    }

    fn publication(&mut self, p: &Value) {
        self.stats.publications += 1;
        let uri = p["uri"].as_str().unwrap_or("").to_string();
        if uri.starts_with("untitled:soak-check-") {
            // The clearing publication after a close has no version.
            if p["version"].is_i64() {
                self.checks.insert(uri, p.clone());
            }
            return;
        }
        let Some(&i) = self.by_uri.get(&uri) else {
            self.fail(format!("diagnostics for a document never opened: {uri}"));
            return;
        };
        let Some(version) = p["version"].as_i64() else {
            self.fail(format!("{uri}: diagnostics without a version while open"));
            return;
        };
        let doc = &self.docs[i];
        let Some(&seq) = doc.seq_of.get(&version) else {
            let why = format!("{uri}: diagnostics for version {version}, which was never sent");
            self.fail(why);
            return;
        };
        if let Some(last) = doc.published_seq
            && seq < last
        {
            let why = format!("{uri}: diagnostics for version {version} (edit {seq}) after edit {last}'s");
            self.fail(why);
        }
        let doc = &mut self.docs[i];
        doc.published_seq = Some(seq.max(doc.published_seq.unwrap_or(0)));
        if doc.published_seq == Some(seq) {
            doc.published = Some(p.clone());
        }
    }

    /// Wait for messages (a little), then take them in.
    fn pump(&mut self, d: Duration) {
        self.c.settle(d);
        self.process();
    }

    /// Wait until at most `n` requests are outstanding.
    fn drain_to(&mut self, n: usize) {
        self.process();
        let start = Instant::now();
        while self.pending.len() > n {
            if start.elapsed() > ANSWER_TIMEOUT {
                let mut ids: Vec<_> = self.pending.iter().map(|(id, p)| (*id, p.method, p.cancelled)).collect();
                ids.sort();
                ids.truncate(10);
                panic!(
                    "{} requests unanswered after {ANSWER_TIMEOUT:?}, e.g. {ids:?}; alive: {}; stderr: {}",
                    self.pending.len(),
                    self.c.alive(),
                    tail(&self.c.stderr())
                );
            }
            self.pump(Duration::from_millis(2));
        }
    }

    fn request(&mut self, method: &'static str, params: Value) -> i64 {
        let text = params["textDocument"]["uri"]
            .as_str()
            .and_then(|u| self.by_uri.get(u))
            .map_or(String::new(), |&i| self.docs[i].text.clone());
        let id = self.c.send_request(method, params.clone());
        self.pending.insert(id, Pending { method, cancelled: false, params, text });
        self.stats.requests += 1;
        id
    }

    fn cancel(&mut self, id: i64) {
        if let Some(p) = self.pending.get_mut(&id) {
            p.cancelled = true;
            self.stats.cancelled += 1;
        }
        self.c.notify("$/cancelRequest", json!({"id": id}));
    }

    /// A hover, completion, codeAction or documentSymbol request for a random
    /// document (or, rarely, one that is not open) at a random place.
    fn random_request(&mut self, rng: &mut Rng) -> i64 {
        let (uri, p, q) = if rng.chance(3) {
            ("untitled:never-opened".to_string(), (0, 0), (1, 0))
        } else {
            let d = &self.docs[rng.below(self.docs.len())];
            let (a, b) = d.span(rng, 80);
            let (p, q) = d.range(a, b);
            // Sometimes past the end.
            let p = if rng.chance(10) { (p.0 + 1000, p.1) } else { p };
            (d.uri.clone(), p, q)
        };
        let doc = json!({"uri": uri});
        match rng.below(4) {
            0 => self.request("textDocument/hover", json!({"textDocument": doc, "position": pos(p)})),
            1 => self.request(
                "textDocument/completion",
                json!({"textDocument": doc, "position": pos(p), "context": {"triggerKind": 1}}),
            ),
            2 => {
                let mut context = json!({"diagnostics": []});
                if rng.chance(10) {
                    context["only"] = json!(["source.fixAll.berth"]);
                }
                let range = json!({"start": pos(p), "end": pos(q)});
                self.request(
                    "textDocument/codeAction",
                    json!({"textDocument": doc, "range": range, "context": context}),
                )
            }
            _ => self.request("textDocument/documentSymbol", json!({"textDocument": doc})),
        }
    }

    /// Wait until every document's last version has been published.
    fn wait_for_last_versions(&mut self) {
        self.drain_to(0);
        let wait = Instant::now();
        while self.docs.iter().any(|d| d.published_seq != Some(d.seq)) {
            if wait.elapsed() > ANSWER_TIMEOUT {
                let missing: Vec<_> =
                    self.docs.iter().filter(|d| d.published_seq != Some(d.seq)).map(|d| (&d.uri, d.version)).collect();
                panic!("no diagnostics for the last version of: {missing:?}");
            }
            self.pump(Duration::from_millis(10));
        }
    }

    /// The server's text is the mirror's: the findings published for each
    /// document's last version equal those of a fresh open of the mirror's
    /// text under another URI (closed again afterwards).
    fn checkpoint(&mut self, name: &str) {
        let started = Instant::now();
        self.wait_for_last_versions();
        let uri = |i: usize| format!("untitled:soak-check-{name}-{i}");
        for (i, d) in self.docs.iter().enumerate() {
            self.c.open(&uri(i), d.language_id, 1, &d.text);
        }
        let wait = Instant::now();
        while (0..DOCS).any(|i| !self.checks.contains_key(&uri(i))) {
            let done = (0..DOCS).filter(|i| self.checks.contains_key(&uri(*i))).count();
            assert!(wait.elapsed() < ANSWER_TIMEOUT, "checkpoint {name}: {done} of {DOCS} fresh opens published");
            self.pump(Duration::from_millis(10));
        }
        for i in 0..DOCS {
            let check = self.checks.remove(&uri(i)).expect("published");
            let d = &self.docs[i];
            let last = d.published.as_ref().expect("published");
            assert_eq!(last["version"], json!(d.version));
            let (a, b) = (findings(last), findings(&check));
            self.stats.compared += b.len();
            if a != b {
                let why = format!(
                    "checkpoint {name}: {} v{}:\n  incremental: {a:?}\n  fresh open:  {b:?}\n  text: {:?}",
                    d.uri, d.version, d.text
                );
                self.mismatched.push(why);
            }
            self.c.notify("textDocument/didClose", json!({"textDocument": {"uri": uri(i)}}));
        }
        self.stats.checkpoints += 1;
        self.stats.checkpoint_time += started.elapsed();
    }

    /// One `didChange` of document `i`.
    fn edit(&mut self, rng: &mut Rng, i: usize) {
        let kind = match rng.below(100) {
            0..=59 => Kind::Valid,
            60..=69 => Kind::PastEnd,
            70..=79 => Kind::Inverted,
            80..=89 => Kind::Surrogate,
            90..=98 => Kind::Multi,
            _ => Kind::Full,
        };
        *self.stats.kinds.entry(format!("{kind:?}")).or_default() += 1;
        let doc = &mut self.docs[i];
        let n = if kind == Kind::Multi { 2 + rng.below(4) } else { 1 };
        let mut changes = Vec::new();
        for _ in 0..n {
            let sub = if kind == Kind::Multi { *rng.pick(&[Kind::Valid, Kind::Inverted, Kind::PastEnd]) } else { kind };
            let c = doc.change(rng, sub);
            c.apply(&mut doc.text);
            changes.push(c.json());
        }
        doc.version = if rng.chance(5) {
            self.stats.backward_versions += 1;
            doc.backward -= 1 + rng.below(3) as i64;
            doc.backward
        } else {
            doc.top + 1 + rng.below(2) as i64
        };
        doc.top = doc.top.max(doc.version);
        assert!(!doc.seq_of.contains_key(&doc.version), "a version sent twice");
        doc.seq += 1;
        doc.seq_of.insert(doc.version, doc.seq);
        let params = json!({"textDocument": {"uri": doc.uri, "version": doc.version}, "contentChanges": changes});
        self.c.notify("textDocument/didChange", params);
    }
}

fn tail(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
#[cfg_attr(not(target_os = "linux"), ignore = "reads /proc")]
fn soak_random_edits_and_requests() {
    let seed = env_number("BERTH_SOAK_SEED", 0x0b5e_55ed_5eed_2024);
    let edits = env_number("BERTH_SOAK_EDITS", EDITS as u64) as usize;
    // splitmix64 of the seed: distinct seeds, distinct (non-zero) states.
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    let mut rng = Rng((z ^ (z >> 31)).max(1));
    let started = Instant::now();
    let mut c = LspClient::start(&root(), &[]);
    // ShellCheck off: its findings come later than berth's, which would make
    // the final comparison depend on timing.
    let settings = json!({"shellcheck": false});
    c.set_settings(settings.clone());
    let init = c.initialize(
        settings,
        json!({
            "general": {"positionEncodings": ["utf-16"]},
            "workspace": {"configuration": true, "workspaceEdit": {"documentChanges": true}},
            "textDocument": {"publishDiagnostics": {"versionSupport": true}}
        }),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    let pid = server_pid();
    let mut s = Soak {
        c,
        docs: Vec::new(),
        by_uri: HashMap::new(),
        pending: HashMap::new(),
        checks: HashMap::new(),
        stats: Stats::default(),
        failures: Vec::new(),
        mismatched: Vec::new(),
    };
    s.c.received.clear();

    for (i, (path, language_id)) in corpus_files().into_iter().enumerate() {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = Path::new(&path).file_name().unwrap().to_string_lossy().into_owned();
        let uri = format!("untitled:soak-{i}-{name}");
        s.c.open(&uri, language_id, BASE_VERSION, &text);
        s.by_uri.insert(uri.clone(), i);
        let mut seq_of = HashMap::new();
        seq_of.insert(BASE_VERSION, 0);
        s.docs.push(Doc {
            uri,
            language_id,
            original: text.clone(),
            text,
            version: BASE_VERSION,
            top: BASE_VERSION,
            backward: BASE_VERSION,
            seq: 0,
            seq_of,
            published_seq: None,
            published: None,
        });
    }

    let mut rss_start = 0;
    let mut edits_start = Instant::now();
    for n in 1..=edits {
        // Documents edited in bursts, the way typing goes.
        let i = if n % 8 == 1 || rng.chance(15) { rng.below(DOCS) } else { (n / 8 * 7919) % DOCS };
        s.edit(&mut rng, i);
        if rng.chance(35) {
            let id = s.random_request(&mut rng);
            if rng.chance(20) {
                s.cancel(id);
            }
        }
        if rng.chance(3) {
            // Cancel something outstanding, or something long answered.
            let id = s.pending.keys().next().copied().unwrap_or(1);
            s.cancel(id);
        }
        if rng.chance(1) {
            s.c.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": "untitled:never-opened", "version": 1}, "contentChanges": [{"text": "x"}]}),
            );
        }
        // A request now and then bounds how far the server can lag behind.
        if n % 16 == 0 {
            s.request("textDocument/documentSymbol", json!({"textDocument": {"uri": s.docs[i].uri}}));
        }
        if s.pending.len() > WINDOW {
            s.drain_to(WINDOW / 2);
        } else if n % 32 == 0 {
            s.pump(Duration::from_micros(200));
        }
        if n % 2500 == 0 && n < edits {
            s.checkpoint(&n.to_string());
        }
        if n % 1000 == 0 {
            assert!(s.c.alive(), "berth lsp exited after {n} edits; stderr: {}", tail(&s.c.stderr()));
        }
        if n == 100.min(edits) {
            s.drain_to(0);
            s.pump(Duration::from_millis(300));
            rss_start = rss_kib(pid);
            edits_start = Instant::now();
        }
    }
    s.drain_to(0);
    let edit_time = edits_start.elapsed() - s.stats.checkpoint_time;
    assert!(s.c.alive(), "berth lsp exited; stderr: {}", tail(&s.c.stderr()));
    s.wait_for_last_versions();
    s.pump(Duration::from_millis(300));
    let rss_end = rss_kib(pid);
    let thread_count = threads(pid);
    s.checkpoint("end");

    let secs = edit_time.as_secs_f64();
    let measured = edits.saturating_sub(100);
    println!(
        "soak: seed {seed:#x}, {edits} edits on {DOCS} documents in {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
    println!(
        "soak: {:.0} edits/s after the first 100 ({measured} edits in {secs:.1} s), {} requests ({} cancelled), {} publications, {} backward versions",
        measured as f64 / secs.max(1e-9),
        s.stats.requests,
        s.stats.cancelled,
        s.stats.publications,
        s.stats.backward_versions
    );
    println!("soak: edit kinds {:?}", s.stats.kinds);
    println!(
        "soak: {} checkpoints, {} findings compared between incremental and fresh documents",
        s.stats.checkpoints, s.stats.compared
    );
    println!("soak: answers (method, 0 = result, else error code) {:?}", s.stats.answers_by_code);
    println!(
        "soak: VmRSS after 100 edits {:.1} MiB, at the end {:.1} MiB ({thread_count} threads)",
        rss_start as f64 / 1024.0,
        rss_end as f64 / 1024.0
    );
    if !s.failures.is_empty() {
        let stderr = s.c.stderr();
        let panics: Vec<&str> = stderr.lines().filter(|l| l.contains("panicked")).take(10).collect();
        panic!("{} problems:\n{}\nserver panics:\n{}", s.failures.len(), s.failures.join("\n"), panics.join("\n"));
    }
    assert!(s.mismatched.is_empty(), "incremental sync diverged from the text:\n{}", s.mismatched.join("\n"));
    assert!(
        rss_end <= 2 * rss_start + RSS_SLACK_KIB,
        "VmRSS grew from {rss_start} KiB to {rss_end} KiB (limit 2x + {RSS_SLACK_KIB} KiB)"
    );
    assert!(s.c.shutdown().success(), "berth lsp exits 0 after shutdown");
}
