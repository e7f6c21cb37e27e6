//! A small OpenAI-compatible Chat Completions client (`POST
//! {base_url}/chat/completions`), enough for Ollama, llama.cpp's server,
//! vLLM, LM Studio and hosted APIs. reqwest on rustls with the `ring`
//! provider, async on tokio.
//!
//! Every call is bounded: a timeout per attempt, at most `max_retries`
//! retries on 429 and 5xx with exponential backoff (Retry-After honoured up
//! to [`RETRY_AFTER_CAP`]), a cap on the response size, and a concurrency
//! limit shared by all calls of one client. When the endpoint is down or
//! times out, calls during the next [`COOL_DOWN`] fail at once with the same
//! error, so a dead server costs one timeout, not one per finding.
//! Cancellation: drop the future (an LSP request cancelled by the client, a
//! `tokio::select!` branch); nothing keeps running in the background.

use super::Settings;
use serde::Serialize;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The longest Retry-After honoured.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(20);
/// After the endpoint failed to answer, how long calls fail at once.
pub const COOL_DOWN: Duration = Duration::from_secs(30);

/// Why an AI call gave nothing. `Display` is one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// AI is off, or the settings are incomplete.
    Config(String),
    /// Nothing answers at the base URL.
    Unreachable { url: String, detail: String },
    /// No answer within the timeout.
    Timeout { url: String, secs: u64 },
    /// The server answered with an error status (after retries).
    Status { url: String, status: u16, detail: String },
    /// The answer was bigger than `max_response_bytes`.
    TooLarge { limit: usize },
    /// The server's answer is not a Chat Completions response.
    Protocol(String),
    /// The model's answer is not in the form asked for.
    Answer(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Config(m) => write!(f, "{m}"),
            Error::Unreachable { url, detail } => {
                write!(f, "the AI endpoint {url} is not reachable ({detail}); is the server running?")
            }
            Error::Timeout { url, secs } => write!(f, "the AI endpoint {url} gave no answer within {secs} s"),
            Error::Status { url, status, detail } => {
                write!(f, "the AI endpoint {url} answered HTTP {status}")?;
                if !detail.is_empty() {
                    write!(f, ": {detail}")?;
                }
                Ok(())
            }
            Error::TooLarge { limit } => write!(f, "the AI answer is larger than {limit} bytes; ignored"),
            Error::Protocol(m) => write!(f, "the AI endpoint's answer is not a chat completion: {m}"),
            Error::Answer(m) => write!(f, "the model's answer is not usable: {m}"),
        }
    }
}

impl std::error::Error for Error {}

/// One chat message.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Message {
    pub role: &'static str,
    pub content: String,
}

/// How the answer's shape is asked for, strongest first. A server that
/// refuses one (HTTP 4xx/5xx on the request) is asked with the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// `response_format: {"type": "json_schema", ...}` with the answer's schema.
    JsonSchema,
    /// `response_format: {"type": "json_object"}`.
    JsonObject,
    /// No `response_format`: the prompt alone asks for JSON (or plain text).
    Text,
}

impl Format {
    fn next(self) -> Option<Format> {
        match self {
            Format::JsonSchema => Some(Format::JsonObject),
            Format::JsonObject => Some(Format::Text),
            Format::Text => None,
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    model: &'a str,
    messages: &'a [Message],
    temperature: f32,
    max_tokens: u32,
    stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_format: Option<serde_json::Value>,
}

/// A request ready to send: the exact body bytes (what `--ai-dry-run`
/// prints and what the cache key hashes).
#[derive(Debug, Clone)]
pub struct Request {
    pub url: String,
    pub messages: Vec<Message>,
    /// Ask for `response_format: {"type": "json_object"}`.
    pub json: bool,
    /// The answer's JSON schema, sent as `json_schema` when the server takes it.
    pub schema: Option<serde_json::Value>,
    /// The format this request is sent with (lowered when a server refuses one).
    pub format: Format,
    model: String,
    temperature: f32,
    max_tokens: u32,
}

impl Request {
    pub fn new(settings: &Settings, messages: Vec<Message>, json: bool) -> Request {
        let json = json && settings.json_mode;
        Request {
            url: endpoint(&settings.base_url),
            messages,
            json,
            schema: None,
            format: if json { Format::JsonObject } else { Format::Text },
            model: settings.model.clone(),
            temperature: settings.temperature,
            max_tokens: settings.max_tokens,
        }
    }

    /// Ask for answers that follow `schema` (`response_format` `json_schema`
    /// first, then `json_object`, then none).
    pub fn with_schema(mut self, name: &str, schema: serde_json::Value) -> Request {
        if self.json {
            self.schema = Some(serde_json::json!({"name": name, "strict": true, "schema": schema}));
            self.format = Format::JsonSchema;
        }
        self
    }

    /// The JSON body, byte for byte as sent.
    pub fn body(&self) -> Vec<u8> {
        let response_format = match (self.format, &self.schema) {
            (Format::JsonSchema, Some(schema)) => {
                Some(serde_json::json!({"type": "json_schema", "json_schema": schema}))
            }
            (Format::JsonSchema | Format::JsonObject, _) => Some(serde_json::json!({"type": "json_object"})),
            (Format::Text, _) => None,
        };
        let body = Body {
            model: &self.model,
            messages: &self.messages,
            temperature: self.temperature,
            max_tokens: self.max_tokens,
            stream: false,
            response_format,
        };
        serde_json::to_vec(&body).unwrap_or_default()
    }

    /// The same request with `format` (or a weaker one when there is no schema).
    fn with_format(&self, format: Format) -> Request {
        let format = if format == Format::JsonSchema && self.schema.is_none() { Format::JsonObject } else { format };
        Request { json: format != Format::Text, format, ..self.clone() }
    }

    /// The same request without JSON mode (for servers that refuse it).
    #[cfg(test)]
    fn without_json(&self) -> Request {
        self.with_format(Format::Text)
    }
}

/// `{base}/chat/completions`.
pub fn endpoint(base: &str) -> String {
    let base = base.trim().trim_end_matches('/');
    if base.ends_with("/chat/completions") { base.to_string() } else { format!("{base}/chat/completions") }
}

pub use berth_workspace::ai::is_loopback;

/// The HTTP client with its settings, concurrency limit and cool-down state.
pub struct Client {
    http: reqwest::Client,
    settings: Settings,
    api_key: Option<String>,
    permits: tokio::sync::Semaphore,
    down: Mutex<Option<(Instant, Error)>>,
    /// The strongest answer format the server has not refused.
    best_format: Mutex<Format>,
}

/// Install rustls's `ring` provider once per process (reqwest is built with
/// `rustls-no-provider`; without a provider, building a client panics).
pub fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl Client {
    pub fn new(settings: &Settings) -> Result<Client, Error> {
        settings.check().map_err(Error::Config)?;
        install_crypto_provider();
        let timeout = Duration::from_secs(settings.timeout_secs.max(1));
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("berth/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .timeout(timeout);
        if is_loopback(&settings.base_url) {
            // A local server is never reached through a proxy.
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Client {
            http,
            api_key: settings.api_key(),
            settings: settings.clone(),
            permits: tokio::sync::Semaphore::new(settings.concurrency.max(1)),
            down: Mutex::new(None),
            best_format: Mutex::new(Format::JsonSchema),
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Send the request and return the model's message text.
    pub async fn complete(&self, req: &Request) -> Result<String, Error> {
        if let Some(e) = self.cooling_down() {
            return Err(e);
        }
        let _permit = self.permits.acquire().await.map_err(|_| Error::Config("the AI client is closed".into()))?;
        if let Some(e) = self.cooling_down() {
            return Err(e);
        }
        let result = self.send_with_retries(req).await;
        if let Err(e @ (Error::Unreachable { .. } | Error::Timeout { .. })) = &result {
            *self.down.lock().unwrap_or_else(|p| p.into_inner()) = Some((Instant::now() + COOL_DOWN, e.clone()));
        }
        result
    }

    fn cooling_down(&self) -> Option<Error> {
        let mut down = self.down.lock().unwrap_or_else(|p| p.into_inner());
        match &*down {
            Some((until, e)) if Instant::now() < *until => Some(e.clone()),
            Some(_) => {
                *down = None;
                None
            }
            None => None,
        }
    }

    async fn send_with_retries(&self, req: &Request) -> Result<String, Error> {
        let best = *self.best_format.lock().unwrap_or_else(|p| p.into_inner());
        let mut req = if req.format < best { req.with_format(best) } else { req.clone() };
        let mut attempt: u32 = 0;
        loop {
            match self.send_once(&req).await {
                Ok(text) => return Ok(text),
                Err(Attempt::Retry { after, .. }) if attempt < self.settings.max_retries => {
                    attempt += 1;
                    let backoff = Duration::from_millis(500u64.saturating_mul(1 << (attempt - 1).min(6)));
                    let wait = after.map_or(backoff, |a| a.min(RETRY_AFTER_CAP));
                    tokio::time::sleep(wait).await;
                }
                Err(Attempt::Retry { error, .. }) => return Err(error),
                Err(Attempt::JsonModeRefused(error)) => {
                    // The server does not take this `response_format`: ask
                    // again with the next one, and remember it for later calls.
                    let Some(next) = req.format.next() else { return Err(error) };
                    let next = req.with_format(next);
                    let mut best = self.best_format.lock().unwrap_or_else(|p| p.into_inner());
                    *best = (*best).max(next.format);
                    drop(best);
                    req = next;
                }
                Err(Attempt::Fail(error)) => return Err(error),
            }
        }
    }

    async fn send_once(&self, req: &Request) -> Result<String, Attempt> {
        let url = req.url.clone();
        let mut builder = self
            .http
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(req.body());
        if let Some(key) = &self.api_key {
            builder = builder.bearer_auth(key);
        }
        let secs = self.settings.timeout_secs.max(1);
        let mut resp = builder.send().await.map_err(|e| Attempt::Fail(transport_error(&url, secs, &e)))?;
        let status = resp.status();
        let limit = self.settings.max_response_bytes;
        if resp.content_length().is_some_and(|n| n > limit as u64) {
            return Err(Attempt::Fail(Error::TooLarge { limit }));
        }
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| Duration::from_secs_f64(s.min(3600.0)));
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > limit {
                        return Err(Attempt::Fail(Error::TooLarge { limit }));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(Attempt::Fail(transport_error(&url, secs, &e))),
            }
        }
        if !status.is_success() {
            let detail = error_detail(&body);
            let error = Error::Status { url: url.clone(), status: status.as_u16(), detail: detail.clone() };
            // A refused `response_format`: 400/422 from OpenAI-style servers,
            // 500 from llama-cpp-python on `json_schema`, 501 from others.
            if req.format != Format::Text && matches!(status.as_u16(), 400 | 415 | 422 | 500 | 501) {
                return Err(Attempt::JsonModeRefused(error));
            }
            if status.as_u16() == 429 || status.is_server_error() {
                return Err(Attempt::Retry { error, after: retry_after });
            }
            if status.as_u16() == 401 || status.as_u16() == 403 {
                let hint = match (&self.api_key, &self.settings.project_file) {
                    (None, Some(p)) if !is_loopback(&self.settings.base_url) => format!(
                        "; no API key was sent, as the base URL comes from {} (set BERTH_AI_BASE_URL or put it in your own berth.toml)",
                        p.display()
                    ),
                    (None, _) => "; no API key was sent (set BERTH_AI_API_KEY, or `api_key_env` in [ai])".to_string(),
                    _ => String::new(),
                };
                return Err(Attempt::Fail(Error::Status {
                    url,
                    status: status.as_u16(),
                    detail: format!("{detail}{hint}"),
                }));
            }
            return Err(Attempt::Fail(error));
        }
        parse_completion(&body).map_err(Attempt::Fail)
    }
}

enum Attempt {
    Retry { error: Error, after: Option<Duration> },
    JsonModeRefused(Error),
    Fail(Error),
}

fn transport_error(url: &str, secs: u64, e: &reqwest::Error) -> Error {
    if e.is_timeout() {
        return Error::Timeout { url: url.to_string(), secs };
    }
    // The innermost cause says the most ("Connection refused").
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    let detail = super::one_line(&detail, 200);
    if e.is_connect() || e.is_request() {
        Error::Unreachable { url: url.to_string(), detail }
    } else {
        Error::Protocol(detail)
    }
}

/// The `error.message` of an OpenAI-style error body, or its first line.
fn error_detail(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
        let msg = v.pointer("/error/message").or_else(|| v.get("error")).or_else(|| v.get("message"));
        if let Some(m) = msg.and_then(|m| m.as_str()) {
            return super::one_line(m, 300);
        }
    }
    super::one_line(&text, 300)
}

/// The first choice's message text of a Chat Completions response.
pub fn parse_completion(body: &[u8]) -> Result<String, Error> {
    let v: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| Error::Protocol(format!("invalid JSON ({e})")))?;
    let choice = v.pointer("/choices/0").ok_or_else(|| Error::Protocol("no `choices`".into()))?;
    let content = choice
        .pointer("/message/content")
        .and_then(|c| c.as_str())
        .or_else(|| choice.get("text").and_then(|c| c.as_str()))
        .ok_or_else(|| Error::Protocol("no message content".into()))?;
    Ok(content.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        assert_eq!(endpoint("http://127.0.0.1:11434/v1"), "http://127.0.0.1:11434/v1/chat/completions");
        assert_eq!(endpoint("http://h/v1/"), "http://h/v1/chat/completions");
        assert_eq!(endpoint("http://h/v1/chat/completions"), "http://h/v1/chat/completions");
    }

    #[test]
    fn loopback() {
        assert!(is_loopback("http://127.0.0.1:11434/v1"));
        assert!(is_loopback("http://localhost:8080"));
        assert!(is_loopback("http://[::1]:8000/v1"));
        assert!(!is_loopback("https://api.openai.com/v1"));
        assert!(!is_loopback("http://127.0.0.1.evil.com/v1"));
    }

    #[test]
    fn completion_parsing() {
        let ok = br#"{"choices":[{"message":{"role":"assistant","content":"hi"}}]}"#;
        assert_eq!(parse_completion(ok).unwrap(), "hi");
        assert!(matches!(parse_completion(b"{}"), Err(Error::Protocol(_))));
        assert_eq!(error_detail(br#"{"error":{"message":"model not found"}}"#), "model not found");
    }

    #[test]
    fn body_is_deterministic() {
        let s = Settings { model: "m".into(), ..Settings::default() };
        let r = Request::new(&s, vec![Message { role: "user", content: "x".into() }], true);
        let body = String::from_utf8(r.body()).unwrap();
        assert!(body.starts_with(r#"{"model":"m","messages":[{"role":"user","content":"x"}]"#), "{body}");
        assert!(body.contains(r#""response_format":{"type":"json_object"}"#));
        assert!(!String::from_utf8(r.without_json().body()).unwrap().contains("response_format"));
        let r = r.with_schema("fix", serde_json::json!({"type": "object"}));
        let body = String::from_utf8(r.body()).unwrap();
        assert!(body.contains(r#""response_format":{"json_schema":{"name":"fix","schema":{"type":"object"},"strict":true},"type":"json_schema"}"#), "{body}");
        let lower = r.with_format(Format::JsonObject);
        assert!(String::from_utf8(lower.body()).unwrap().contains(r#""response_format":{"type":"json_object"}"#));
        assert_eq!(Format::JsonSchema.next(), Some(Format::JsonObject));
        assert_eq!(Format::Text.next(), None);
    }
}
