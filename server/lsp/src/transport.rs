//! Standard input and output for the language server, and the message loop.
//!
//! tower-lsp-server's own `Server` stops reading at the first frame it cannot
//! decode (tokio-util's `FramedRead` ends the stream after a decoder error),
//! which is what a malformed `Content-Length`, a body that is not JSON, or
//! invalid UTF-8 would do. So berth reads the frames itself:
//! - a reader thread parses `Content-Length` frames tolerantly: header names in
//!   any case, other headers skipped, garbage skipped up to the next
//!   `Content-Length`, a length that runs into the next frame recovered (the
//!   first JSON value is taken and the rest read again), invalid UTF-8 replaced
//!   by U+FFFD; whatever cannot be read is logged and answered with a JSON-RPC
//!   parse error (`id: null`);
//! - a writer thread owns standard output and writes whole frames only;
//! - the loop below hands each message to the `LspService`: notifications
//!   (and `initialize`) one at a time in arrival order, each finished before
//!   the next message (so edits apply in order), requests concurrently, each
//!   answered even when its handler panics (internal error).
//!
//! The process ends only on `exit` (or when standard input closes).

use futures::{FutureExt, SinkExt, StreamExt};
use serde_json::Value;
use std::io::{Read, Write};
use std::panic::AssertUnwindSafe;
use std::sync::mpsc as std_mpsc;
use std::time::Duration;
use tokio::sync::mpsc;
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp_server::{ClientSocket, ExitedError};

/// Longest header line kept; longer garbage is skipped.
const MAX_LINE: usize = 64 * 1024;
/// Largest body accepted (a larger `Content-Length` is treated as garbage).
const MAX_BODY: usize = 512 * 1024 * 1024;

/// One message read from the client.
#[derive(Debug)]
pub enum Incoming {
    Request(Request),
    Response(Response),
    /// Answer this error (the id when it could be read, else null).
    Invalid(Id, Error),
}

/// What the frame reader produces.
#[derive(Debug, PartialEq)]
pub enum Frame {
    Message(Value),
    /// A frame that could not be read; answered with a parse error.
    Bad(String),
}

/// A tolerant reader of `Content-Length` frames.
pub struct Framer<R> {
    input: R,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

const CONTENT_LENGTH: &[u8] = b"content-length";

impl<R: Read> Framer<R> {
    pub fn new(input: R) -> Framer<R> {
        Framer { input, buf: Vec::new(), pos: 0, eof: false }
    }

    /// Read more input; false at the end.
    fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        if self.pos > 0 && self.pos == self.buf.len() {
            if self.buf.capacity() > 1 << 20 {
                // A large message was read: give its room back.
                self.buf = Vec::new();
            } else {
                self.buf.clear();
            }
            self.pos = 0;
        } else if self.pos > 1 << 20 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let mut chunk = [0u8; 64 * 1024];
        loop {
            match self.input.read(&mut chunk) {
                Ok(0) => {
                    self.eof = true;
                    return false;
                }
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return true;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => {
                    self.eof = true;
                    return false;
                }
            }
        }
    }

    /// The next line, without its `\n` (and `\r`); `None` at the end of input.
    /// A line longer than [`MAX_LINE`] is cut (the rest comes as more lines),
    /// keeping a `Content-Length` header that starts inside it.
    fn line(&mut self) -> Option<Vec<u8>> {
        loop {
            let avail = &self.buf[self.pos..];
            if let Some(nl) = avail.iter().position(|&b| b == b'\n') {
                let mut line = avail[..nl].to_vec();
                self.pos += nl + 1;
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Some(line);
            }
            if avail.len() > MAX_LINE {
                // Keep the tail, where a header may be starting.
                let cut = avail.len() - CONTENT_LENGTH.len();
                let line = match find(avail, CONTENT_LENGTH) {
                    Some(at) if at > 0 => at,
                    _ => cut,
                };
                let out = avail[..line].to_vec();
                self.pos += line;
                return Some(out);
            }
            if !self.fill() {
                let rest = self.buf[self.pos..].to_vec();
                self.pos = self.buf.len();
                return (!rest.is_empty()).then_some(rest);
            }
        }
    }

    fn exact(&mut self, n: usize) -> Option<Vec<u8>> {
        while self.buf.len() - self.pos < n {
            if !self.fill() {
                return None;
            }
        }
        let out = self.buf[self.pos..self.pos + n].to_vec();
        self.pos += n;
        Some(out)
    }

    /// Put bytes back in front of the unread input.
    fn unread(&mut self, bytes: &[u8]) {
        self.buf.splice(self.pos..self.pos, bytes.iter().copied());
    }

    /// The next frame; `None` at the end of input.
    pub fn next_frame(&mut self) -> Option<Frame> {
        let mut length: Option<Result<usize, String>> = None;
        let mut headers = 0;
        let mut garbage = 0usize;
        loop {
            let mut line = self.line()?;
            if line.is_empty() {
                if headers == 0 {
                    continue;
                }
                break;
            }
            // A header glued to garbage (the end of a body that was longer
            // than announced, random bytes): start at the header.
            if let Some(at) = find(&line, CONTENT_LENGTH).filter(|&at| at > 0) {
                garbage += at;
                line.drain(..at);
                headers = 0;
                length = None;
            }
            match line.iter().position(|&b| b == b':') {
                Some(colon) => {
                    headers += 1;
                    if line[..colon].trim_ascii().eq_ignore_ascii_case(CONTENT_LENGTH) {
                        let value = String::from_utf8_lossy(&line[colon + 1..]).trim().to_string();
                        length = Some(
                            value
                                .parse::<usize>()
                                .map_err(|_| format!("Content-Length `{}` is not a number", value.escape_debug()))
                                .and_then(|n| {
                                    if n <= MAX_BODY { Ok(n) } else { Err(format!("Content-Length {n} is too large")) }
                                }),
                        );
                    }
                }
                None => {
                    garbage += line.len() + 1;
                    headers = 0;
                    length = None;
                }
            }
        }
        if garbage > 0 {
            eprintln!("berth lsp: skipped {garbage} bytes of input that were not a message");
        }
        let n = match length {
            None => return Some(Frame::Bad("a message header without Content-Length".into())),
            Some(Err(e)) => return Some(Frame::Bad(e)),
            Some(Ok(n)) => n,
        };
        let Some(body) = self.exact(n) else {
            return Some(Frame::Bad(format!("input ended inside a message of {n} bytes")));
        };
        Some(self.decode(body))
    }

    fn decode(&mut self, body: Vec<u8>) -> Frame {
        let text = match std::str::from_utf8(&body) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(_) => {
                eprintln!("berth lsp: a message is not valid UTF-8; invalid bytes read as U+FFFD");
                String::from_utf8_lossy(&body)
            }
        };
        match serde_json::from_str::<Value>(&text) {
            Ok(v) => Frame::Message(v),
            Err(e) => {
                // A Content-Length longer than the body: the first value is the
                // message, and the next frame starts after it. The rest is put
                // back as the original bytes (a lossy copy would change the next
                // frame's length when the overrun cut a character).
                // The original bytes first; when the first message itself is
                // not valid UTF-8, its lossy reading (whose rest is then lossy too).
                let lossy = text.as_bytes();
                for bytes in [&body[..], lossy] {
                    let mut values = serde_json::Deserializer::from_slice(bytes).into_iter::<Value>();
                    if let Some(Ok(v)) = values.next() {
                        let rest = &bytes[values.byte_offset().min(bytes.len())..];
                        let rest_trimmed = rest.trim_ascii_start();
                        if rest_trimmed.len() >= CONTENT_LENGTH.len()
                            && rest_trimmed[..CONTENT_LENGTH.len()].eq_ignore_ascii_case(CONTENT_LENGTH)
                        {
                            let rest = rest_trimmed.to_vec();
                            self.unread(&rest);
                            return Frame::Message(v);
                        }
                    }
                }
                // A Content-Length shorter than the body: what follows up to
                // the next header may complete it.
                Frame::Bad(format!("a message body is not JSON: {e}"))
            }
        }
    }
}

/// Turn a JSON value into a message for the service.
pub fn classify(v: Value) -> Incoming {
    let id = v.get("id").cloned().and_then(|i| serde_json::from_value::<Id>(i).ok()).unwrap_or(Id::Null);
    let Some(obj) = v.as_object() else {
        return Incoming::Invalid(Id::Null, invalid_request("a message must be a JSON object"));
    };
    if obj.get("method").is_some_and(Value::is_string) {
        let method = obj["method"].as_str().unwrap_or_default().to_string();
        return match serde_json::from_value::<Request>(v) {
            Ok(r) => Incoming::Request(r),
            Err(e) => Incoming::Invalid(id, invalid_request(&format!("`{method}`: {e}"))),
        };
    }
    if obj.contains_key("id") && (obj.contains_key("result") || obj.contains_key("error")) {
        return match serde_json::from_value::<Response>(v) {
            Ok(r) => Incoming::Response(r),
            Err(e) => Incoming::Invalid(Id::Null, invalid_request(&format!("unreadable response: {e}"))),
        };
    }
    Incoming::Invalid(id, invalid_request("neither a request, a notification nor a response"))
}

fn invalid_request(message: &str) -> Error {
    Error { code: ErrorCode::InvalidRequest, message: message.to_string().into(), data: None }
}

fn frame_bytes(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The one writer of standard output, started on first use.
fn stdout_writer() -> &'static Writer {
    static WRITER: std::sync::OnceLock<Writer> = std::sync::OnceLock::new();
    WRITER.get_or_init(Writer::start)
}

/// Send a notification straight to the standard-output writer: serialized
/// once, here, with no stop on the async thread and no intermediate JSON tree
/// (the library's client builds one). For diagnostics, the largest and most
/// frequent messages; frames never interleave with the others, which go to
/// the same writer.
pub fn notify_direct<T: serde::Serialize>(method: &'static str, params: &T) {
    #[derive(serde::Serialize)]
    struct Notification<'a, T> {
        jsonrpc: &'static str,
        method: &'static str,
        params: &'a T,
    }
    stdout_writer().send(&Notification { jsonrpc: "2.0", method, params });
}

enum Out {
    Frame(Vec<u8>),
    Flush(std_mpsc::Sender<()>),
}

/// The writer: whole frames to standard output, flushed when the queue is empty.
#[derive(Clone)]
struct Writer(std_mpsc::Sender<Out>);

impl Writer {
    fn start() -> Writer {
        let (tx, rx) = std_mpsc::channel::<Out>();
        std::thread::spawn(move || {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            while let Ok(first) = rx.recv() {
                let mut next = Some(first);
                while let Some(item) = next.take() {
                    match item {
                        Out::Frame(bytes) => {
                            if out.write_all(&bytes).is_err() {
                                return;
                            }
                        }
                        Out::Flush(ack) => {
                            let _ = out.flush();
                            let _ = ack.send(());
                        }
                    }
                    next = rx.try_recv().ok();
                }
                if out.flush().is_err() {
                    return;
                }
            }
        });
        Writer(tx)
    }

    fn send<T: serde::Serialize>(&self, message: &T) {
        match serde_json::to_vec(message) {
            Ok(body) => {
                let _ = self.0.send(Out::Frame(frame_bytes(&body)));
            }
            Err(e) => eprintln!("berth lsp: cannot encode a message: {e}"),
        }
    }

    /// Wait (a little) until everything queued is written.
    fn flush(&self) {
        let (tx, rx) = std_mpsc::channel();
        if self.0.send(Out::Flush(tx)).is_ok() {
            let _ = rx.recv_timeout(Duration::from_secs(2));
        }
    }

    fn log(&self, message: &str) {
        eprintln!("berth lsp: {message}");
        self.send(&serde_json::json!({
            "jsonrpc": "2.0",
            "method": "window/logMessage",
            "params": { "type": 2, "message": format!("berth: {message}") },
        }));
    }
}

/// Read frames from standard input on a thread of its own.
fn start_reader() -> mpsc::UnboundedReceiver<Frame> {
    let (tx, rx) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        let mut framer = Framer::new(std::io::stdin().lock());
        while let Some(frame) = framer.next_frame() {
            if tx.send(frame).is_err() {
                return;
            }
        }
    });
    rx
}

/// Serve the LSP service over standard input and output. Returns true when
/// it ended on `exit`, false when the input ended.
pub async fn serve_stdio<S>(service: S, socket: ClientSocket) -> bool
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError> + Send + 'static,
    S::Future: Send + 'static,
{
    let writer = stdout_writer().clone();
    let exited = serve(service, socket, start_reader(), writer.clone()).await;
    writer.flush();
    exited
}

async fn serve<S>(
    mut service: S,
    socket: ClientSocket,
    mut frames: mpsc::UnboundedReceiver<Frame>,
    writer: Writer,
) -> bool
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError> + Send + 'static,
    S::Future: Send + 'static,
{
    let (mut to_client, mut from_client) = socket.split();
    let pump = {
        let writer = writer.clone();
        tokio::spawn(async move {
            while let Some(req) = to_client.next().await {
                writer.send(&req);
            }
        })
    };
    let mut exited = false;
    while let Some(frame) = frames.recv().await {
        let incoming = match frame {
            Frame::Message(v) => classify(v),
            Frame::Bad(why) => {
                writer.log(&why);
                Incoming::Invalid(Id::Null, Error::parse_error())
            }
        };
        match incoming {
            Incoming::Invalid(id, error) => {
                if error.code != ErrorCode::ParseError {
                    writer.log(&format!("invalid message: {}", error.message));
                }
                writer.send(&Response::from_error(id, error));
            }
            Incoming::Response(r) => {
                if from_client.send(r).await.is_err() {
                    break;
                }
            }
            Incoming::Request(req) => {
                let method = req.method().to_string();
                let id = req.id().cloned();
                if futures::future::poll_fn(|cx| service.poll_ready(cx)).await.is_err() {
                    break;
                }
                let fut = AssertUnwindSafe(service.call(req)).catch_unwind();
                match id {
                    // Notifications and `initialize`: in order, to completion.
                    _ if id.is_none() || method == "initialize" => {
                        let out = fut.await;
                        answer(&writer, &method, id, out);
                        if method == "exit" {
                            exited = true;
                            break;
                        }
                    }
                    Some(id) => {
                        let writer = writer.clone();
                        tokio::spawn(async move { answer(&writer, &method, Some(id), fut.await) });
                    }
                    None => {}
                }
            }
        }
    }
    pump.abort();
    exited
}

type Outcome = std::thread::Result<Result<Option<Response>, ExitedError>>;

fn answer(writer: &Writer, method: &str, id: Option<Id>, outcome: Outcome) {
    match outcome {
        Ok(Ok(Some(response))) => writer.send(&response),
        Ok(Ok(None)) | Ok(Err(_)) => {}
        Err(_) => {
            writer.log(&format!("the handler of `{method}` failed (panicked)"));
            if let Some(id) = id {
                writer.send(&Response::from_error(id, Error::internal_error()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let mut f = Framer::new(input);
        std::iter::from_fn(|| f.next_frame()).collect()
    }

    fn msg(v: Value) -> Vec<u8> {
        frame_bytes(&serde_json::to_vec(&v).unwrap())
    }

    #[test]
    fn reads_frames_and_recovers_from_bad_ones() {
        let ping = json!({"jsonrpc": "2.0", "id": 1, "method": "x"});
        let body = serde_json::to_vec(&ping).unwrap();
        let mut input = Vec::new();
        // Normal, lower-case header with a Content-Type.
        input.extend(format!("content-length: {}\r\nContent-Type: x\r\n\r\n", body.len()).as_bytes());
        input.extend(&body);
        // Too short by 10, then a good one right after.
        input.extend(format!("Content-Length: {}\r\n\r\n", body.len() - 10).as_bytes());
        input.extend(&body);
        input.extend(msg(ping.clone()));
        // Too long by 20: the next frame is recovered.
        input.extend(format!("Content-Length: {}\r\n\r\n", body.len() + 20).as_bytes());
        input.extend(&body);
        input.extend(msg(ping.clone()));
        // Not a number, random bytes, invalid UTF-8.
        input.extend(b"Content-Length: abc\r\n\r\n");
        input.extend(&body);
        input.extend((0..3000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
        input.extend(msg(ping.clone()));
        let bad = b"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"x\xff\"}";
        input.extend(format!("Content-Length: {}\r\n\r\n", bad.len()).as_bytes());
        input.extend(bad);
        let got = frames(&input);
        let good = got.iter().filter(|f| **f == Frame::Message(ping.clone())).count();
        assert_eq!(good, 5, "{got:?}");
        assert!(matches!(got.last(), Some(Frame::Message(v)) if v["method"] == "x\u{fffd}"), "{got:?}");
        assert!(got.iter().any(|f| matches!(f, Frame::Bad(m) if m.contains("abc"))));
    }

    #[test]
    fn a_too_long_frame_with_invalid_utf8_still_gives_both_messages() {
        let ping = json!({"jsonrpc": "2.0", "id": 1, "method": "x"});
        let bad = b"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"x\xff\"}";
        let mut input = format!("Content-Length: {}\r\n\r\n", bad.len() + 20).into_bytes();
        input.extend(bad);
        input.extend(msg(ping.clone()));
        let got = frames(&input);
        assert!(matches!(got.first(), Some(Frame::Message(v)) if v["method"] == "x\u{fffd}"), "{got:?}");
        assert!(got.contains(&Frame::Message(ping)), "{got:?}");
    }

    #[test]
    fn classifies() {
        assert!(matches!(classify(json!({"jsonrpc":"2.0","method":"m"})), Incoming::Request(_)));
        assert!(matches!(classify(json!({"jsonrpc":"2.0","id":3,"result":null})), Incoming::Response(_)));
        assert!(matches!(classify(json!([1])), Incoming::Invalid(Id::Null, _)));
        assert!(matches!(classify(json!({"id":4,"method":"m"})), Incoming::Invalid(Id::Number(4), _)));
        assert!(matches!(classify(json!({"jsonrpc":"2.0","id":5})), Incoming::Invalid(Id::Number(5), _)));
    }
}
