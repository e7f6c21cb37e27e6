//! A Chat Completions server on loopback (std::net + threads) with a
//! scripted reply per request, for the AI tests of the command line and of
//! the language server. It keeps every request body, and counts the requests
//! whose connection the client closed before the answer (a cancelled call).

use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the server does with one request.
#[derive(Clone)]
pub enum Reply {
    /// 200 with this message content.
    Content(String),
    /// This status and body, with extra headers.
    Status(u16, String, Vec<(&'static str, String)>),
    /// 200 with this message content, after this long (unless the client
    /// hangs up first).
    Delayed(Duration, String),
    /// Never answer (until the client hangs up or the test ends, at most 20 s).
    Hang,
}

/// The reply to request number `n` (from 0) with this body.
pub type Script = Arc<dyn Fn(usize, &str) -> Reply + Send + Sync>;

/// A Chat Completions server on 127.0.0.1 with a scripted reply per request.
pub struct ChatServer {
    /// `http://127.0.0.1:PORT/v1`
    pub base_url: String,
    bodies: Arc<Mutex<Vec<String>>>,
    dropped: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// A Chat Completions response carrying `content`.
pub fn completion(content: &str) -> String {
    json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [{ "index": 0, "message": { "role": "assistant", "content": content }, "finish_reason": "stop" }]
    })
    .to_string()
}

/// The user message of a request body (the prompt without the system part).
pub fn user_prompt(body: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    v["messages"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["role"] == "user"))
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// The number a fix request gives the finding with this code (`Finding N: CODE, ...`).
pub fn finding_number(body: &str, code: &str) -> Option<usize> {
    user_prompt(body).lines().find_map(|l| {
        let rest = l.strip_prefix("Finding ")?;
        let (n, what) = rest.split_once(": ")?;
        (what.starts_with(&format!("{code},"))).then(|| n.parse().ok()).flatten()
    })
}

/// True when the client closed the connection (it sends nothing after its request).
fn closed(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let r = stream.peek(&mut [0u8; 1]);
    let _ = stream.set_nonblocking(false);
    match r {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    }
}

/// Wait `d` (or until the server stops); false when the client hung up meanwhile.
fn wait(stream: &TcpStream, d: Duration, stop: &AtomicBool, dropped: &AtomicUsize) -> bool {
    let until = Instant::now() + d;
    while Instant::now() < until && !stop.load(Ordering::Relaxed) {
        if closed(stream) {
            dropped.fetch_add(1, Ordering::SeqCst);
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

fn respond(mut stream: TcpStream, reply: Reply, stop: &AtomicBool, dropped: &AtomicUsize) {
    let (status, body, headers) = match reply {
        Reply::Content(c) => (200, completion(&c), Vec::new()),
        Reply::Status(s, b, h) => (s, b, h),
        Reply::Delayed(d, c) => {
            if !wait(&stream, d, stop, dropped) {
                return;
            }
            (200, completion(&c), Vec::new())
        }
        Reply::Hang => {
            wait(&stream, Duration::from_secs(20), stop, dropped);
            return;
        }
    };
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head += &format!("{k}: {v}\r\n");
    }
    head += "\r\n";
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}

fn read_request(stream: &TcpStream) -> Option<(String, String)> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().ok()?;
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).ok()?;
    Some((request_line, String::from_utf8_lossy(&body).into_owned()))
}

impl ChatServer {
    /// Start the server (berth is built first, so that the server's time
    /// bound starts with the test).
    pub fn start(script: Script) -> ChatServer {
        crate::berth_bin();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let bodies: Arc<Mutex<Vec<String>>> = Arc::default();
        let dropped: Arc<AtomicUsize> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let count = Arc::new(AtomicUsize::new(0));
        let (b, d, s) = (bodies.clone(), dropped.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            // Bounded: the server stops when the test drops it, or after 120 s.
            let until = Instant::now() + Duration::from_secs(120);
            while !s.load(Ordering::Relaxed) && Instant::now() < until {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let _ = stream.set_nonblocking(false);
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                        let (b, d, s, script, count) = (b.clone(), d.clone(), s.clone(), script.clone(), count.clone());
                        std::thread::spawn(move || {
                            let Some((line, body)) = read_request(&stream) else { return };
                            assert!(line.starts_with("POST /v1/chat/completions "), "{line}");
                            let n = count.fetch_add(1, Ordering::SeqCst);
                            b.lock().unwrap().push(body.clone());
                            respond(stream, script(n, &body), &s, &d);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        ChatServer { base_url: format!("http://127.0.0.1:{port}/v1"), bodies, dropped, stop, thread: Some(thread) }
    }

    /// Every request body received so far, in order.
    pub fn bodies(&self) -> Vec<String> {
        self.bodies.lock().unwrap().clone()
    }

    /// How many requests the client gave up on before the answer.
    pub fn dropped(&self) -> usize {
        self.dropped.load(Ordering::SeqCst)
    }

    /// No request body carries any of `secrets`.
    pub fn assert_none_contain(&self, secrets: &[&str]) {
        for body in self.bodies() {
            for s in secrets {
                assert!(!body.contains(s), "secret {s} sent in {body}");
            }
        }
    }
}

impl Drop for ChatServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Inputs shared by the AI tests of the command line and of the language
/// server: a Dockerfile and a Compose file with planted secrets that no
/// request may carry.
pub mod fixtures {
    pub const HF_TOKEN: &str = "hf_QmVyaHRoVGVzdFNlY3JldFRva2VuMDE5";
    pub const SK_KEY: &str = "sk-proj-BerthTestKey0123456789abcdef";
    pub const PASSWORD: &str = "correct-horse-battery-staple-42";
    pub const SECRETS: [&str; 3] = [HF_TOKEN, SK_KEY, PASSWORD];

    /// DL3008 (no mechanical fix) on line 3, DL3064 on the ENV with the token.
    pub const DOCKERFILE: &str = "FROM debian:bookworm-slim
ENV HF_TOKEN=hf_QmVyaHRoVGVzdFNlY3JldFRva2VuMDE5
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
CMD [\"curl\", \"--version\"]
";

    /// The Compose file that builds it (goes along redacted).
    pub const COMPOSE: &str = "services:
  app:
    build: .
    environment:
      OPENAI_API_KEY: sk-proj-BerthTestKey0123456789abcdef
      POSTGRES_PASSWORD: \"correct-horse-battery-staple-42\"
";

    /// Line 3 with its package pinned: the fix a good model proposes.
    pub const PINNED: &str = "RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*";
}
