//! The language server's message framing: `berth lsp`'s own tolerant
//! `Content-Length` reader (`Framer`) and message classifier (`classify`),
//! compiled from `server/lsp/src/transport.rs` itself (the server crate is
//! binary-only, and that module only needs crates the server already uses).
//!
//! The first byte chooses the mode:
//! - 0 or 2 (mod 4): the rest is raw input. The framer must end (one frame at least per
//!   few bytes, never more frames than input bytes), never panic, and give the
//!   same frames however the pipe cuts the input into reads; `classify` must
//!   accept whatever it yields.
//! - 1: the rest drives a generator of well-formed messages (header
//!   variants, `\n` or `\r\n`, extra headers, any Unicode in the bodies)
//!   mixed with garbage that holds no `content-length`, bodies announced too
//!   long (running into the next frame) and too short. What the framer
//!   promises must hold: every intact message comes out, in order, equal to
//!   what was sent and classified as sent; a message announced too long is
//!   recovered along with the next one; garbage yields only parse errors.
//! - 3: the rest, repeated past the framer's 64 KiB line limit (with no
//!   `content-length` in it), then one message: the message must come out, and
//!   nothing else but parse errors.
#![no_main]

#[allow(dead_code, reason = "only the framing half of the module is fuzzed")]
#[path = "../../server/lsp/src/transport.rs"]
mod transport;

use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use std::io::Read;
use transport::{Frame, Framer, Incoming, classify};

/// A reader that hands out its input in chunks of pseudo-random sizes.
struct Chunked<'a> {
    data: &'a [u8],
    state: u32,
    max: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.max == 0 {
            let n = self.data.len().min(buf.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            return Ok(n);
        }
        self.state ^= self.state << 13;
        self.state ^= self.state >> 17;
        self.state ^= self.state << 5;
        let n = (1 + self.state as usize % self.max).min(self.data.len()).min(buf.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// Every frame of `input`, read in chunks of at most `max` bytes (0: whole).
fn frames(input: &[u8], seed: u8, max: usize) -> Vec<Frame> {
    let reader = Chunked { data: input, state: 0x9e37_79b9 ^ u32::from(seed), max };
    let mut framer = Framer::new(reader);
    let mut out = Vec::new();
    while let Some(f) = framer.next_frame() {
        out.push(f);
        // A frame needs a header line or the end of the input: never more
        // frames than bytes (else the framer would be looping).
        assert!(out.len() <= input.len() + 1, "more frames than input bytes");
    }
    out
}

fn contains_header_name(bytes: &[u8]) -> bool {
    bytes.windows(14).any(|w| w.eq_ignore_ascii_case(b"content-length"))
}

/// Fuzz bytes as choices.
struct Choices<'a>(&'a [u8]);

impl Choices<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }
    fn below(&mut self, n: usize) -> usize {
        let v = usize::from(self.byte()) << 8 | usize::from(self.byte());
        if n == 0 { 0 } else { v % n }
    }
    fn done(&self) -> bool {
        self.0.is_empty()
    }
    /// Any Unicode: bytes taken as code points in a few planes.
    fn text(&mut self) -> String {
        let n = self.below(12);
        (0..n)
            .map(|_| {
                let b = u32::from(self.byte());
                let c = match b % 5 {
                    0 => b,                 // ASCII and control characters
                    1 => 0x80 + b * 7,      // Latin-1 and beyond
                    2 => 0x3040 + b * 3,    // CJK
                    3 => 0x1_f600 + b % 64, // emoji: surrogate pairs in UTF-16
                    _ => [0x0a, 0x0d, 0x22, 0x5c, 0x3a, 0x2028][b as usize % 6],
                };
                char::from_u32(c).unwrap_or('\u{fffd}')
            })
            .collect()
    }
    /// Raw bytes with no `content-length` in them.
    fn garbage(&mut self) -> Vec<u8> {
        let n = self.below(40);
        let mut g: Vec<u8> = (0..n)
            .map(|_| match self.byte() {
                b @ 0..=199 => b,
                200..=219 => b'\n',
                220..=229 => b'\r',
                230..=239 => b':',
                _ => b'{',
            })
            .collect();
        while contains_header_name(&g) {
            g.pop();
        }
        g
    }
    fn message(&mut self) -> Value {
        let method = self.text();
        let params = json!({"text": self.text(), "n": self.below(70000), "ok": self.byte() & 1 == 0});
        match self.byte() % 4 {
            0 => json!({"jsonrpc": "2.0", "method": method, "params": params}),
            1 => json!({"jsonrpc": "2.0", "id": self.below(1000), "method": method, "params": params}),
            2 => json!({"jsonrpc": "2.0", "id": self.text(), "result": params}),
            _ => json!({"jsonrpc": "2.0", "id": self.below(1000), "error": {"code": -32601, "message": method}}),
        }
    }
    /// A header block for a body of `len` bytes; `first` forces
    /// `Content-Length` to come first (what the too-long recovery needs).
    fn header(&mut self, len: usize, first: bool) -> Vec<u8> {
        let style = self.byte();
        let eol = if style & 1 == 0 { "\r\n" } else { "\n" };
        let name =
            ["Content-Length", "content-length", "CONTENT-LENGTH", "Content-length"][usize::from(style >> 1) % 4];
        let space = if style & 8 == 0 { " " } else { "  " };
        let length = format!("{name}:{space}{len}{}{eol}", if style & 16 == 0 { "" } else { " " });
        let ctype = format!("Content-Type: application/vscode-jsonrpc; charset=utf-8{eol}");
        let mut h = match (style >> 5) % 3 {
            1 if !first => ctype + &length,
            2 => length + &ctype,
            _ => length,
        };
        h.push_str(eol);
        h.into_bytes()
    }
}

fn body(v: &Value, pretty: bool) -> Vec<u8> {
    if pretty { serde_json::to_vec_pretty(v).unwrap() } else { serde_json::to_vec(v).unwrap() }
}

/// The kind `classify` must give a generated message.
fn check_kind(v: &Value) {
    let kind = classify(v.clone());
    let want_request = v.get("method").is_some();
    match kind {
        Incoming::Request(r) => {
            assert!(want_request, "classified as a request: {v}");
            assert_eq!(r.method(), v["method"].as_str().unwrap());
        }
        Incoming::Response(_) => assert!(!want_request, "classified as a response: {v}"),
        Incoming::Invalid(_, e) => panic!("a well-formed message was refused ({}): {v}", e.message),
    }
}

fn structured(data: &[u8]) {
    let mut c = Choices(data);
    let mut input = Vec::new();
    let mut expected: Vec<Value> = Vec::new();
    while !c.done() && expected.len() < 64 {
        let m = c.message();
        let b = body(&m, c.byte() & 1 == 1);
        match c.byte() % 6 {
            // Garbage, then the message.
            0 => {
                input.extend(c.garbage());
                input.extend(c.header(b.len(), false));
                input.extend(&b);
                expected.push(m);
            }
            // Announced too long by at least the `Content-Length` of the next
            // frame, which follows at once: both are recovered.
            1 => {
                let next = c.message();
                let nb = body(&next, false);
                let mut nf = c.header(nb.len(), true);
                nf.extend(&nb);
                // Anywhere from the end of the header name to the end of the
                // frame, inside a character too (crash-a3f9d31c, see
                // `overrun_cutting_a_character_keeps_the_next_message`).
                let over = 14 + c.below(nf.len() - 13);
                input.extend(c.header(b.len() + over, false));
                input.extend(&b);
                input.extend(&nf);
                expected.push(m);
                expected.push(next);
            }
            // Announced too short: lost (a parse error), but the next frame is
            // found again when the rest of the body has no header name.
            2 if b.len() > 1 => {
                let short = 1 + c.below(b.len() - 1);
                if contains_header_name(&b[short..]) {
                    continue;
                }
                input.extend(c.header(short, false));
                input.extend(&b);
            }
            _ => {
                input.extend(c.header(b.len(), false));
                input.extend(&b);
                expected.push(m);
            }
        }
    }
    input.extend(c.garbage());
    let got = frames(&input, data.first().copied().unwrap_or(0), 16);
    let messages: Vec<&Value> = got
        .iter()
        .filter_map(|f| match f {
            Frame::Message(v) => Some(v),
            Frame::Bad(_) => None,
        })
        .collect();
    let expected: Vec<&Value> = expected.iter().collect();
    assert_eq!(messages, expected, "input: {:?}", String::from_utf8_lossy(&input));
    for m in expected {
        check_kind(m);
    }
}

fn raw(data: &[u8]) {
    let Some((&seed, input)) = data.split_first() else { return };
    let whole = frames(input, seed, 0);
    for f in &whole {
        if let Frame::Message(v) = f {
            let _ = classify(v.clone());
        }
    }
    // Lines longer than the framer's limit are cut where the buffer happens to
    // end, so only shorter inputs must read the same in any chunks.
    if input.len() < 60 * 1024 {
        // Reads of 1 to 16 bytes and of 1 to 61 (each read costs the framer a
        // 64 KiB buffer; smaller reads would slow the fuzzer down a lot).
        for max in [16, 61] {
            assert_eq!(frames(input, seed, max), whole, "reads of at most {max} bytes");
        }
    }
}

fn long(data: &[u8]) {
    let Some((&seed, rest)) = data.split_first() else { return };
    let unit: &[u8] = if rest.is_empty() { b"x" } else { rest };
    let mut input = Vec::new();
    while input.len() <= 64 * 1024 + usize::from(seed) * 97 {
        input.extend_from_slice(unit);
    }
    // Break every `content-length` (repetition can make new ones).
    for at in 0..input.len().saturating_sub(13) {
        if input[at..at + 14].eq_ignore_ascii_case(b"content-length") {
            input[at] = b'x';
        }
    }
    let m = json!({"jsonrpc": "2.0", "id": 1, "method": "after/garbage", "params": [seed]});
    let b = body(&m, false);
    input.extend(format!("Content-Length: {}\r\n\r\n", b.len()).as_bytes());
    input.extend(&b);
    for max in [0, 4093] {
        let got = frames(&input, seed, max);
        let messages: Vec<&Value> = got
            .iter()
            .filter_map(|f| match f {
                Frame::Message(v) => Some(v),
                Frame::Bad(_) => None,
            })
            .collect();
        assert_eq!(messages, vec![&m], "reads of at most {max} bytes; {} bytes of garbage", input.len() - b.len());
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    match mode % 4 {
        1 => structured(rest),
        3 => long(rest),
        _ => raw(rest),
    }
});
