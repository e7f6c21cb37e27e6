//! The AI settings (`[ai]` in `berth.toml`, the editor's `ai.*` settings)
//! and the names the front ends share for AI findings. The AI client itself
//! (HTTP, prompts, validation) is the `berth-ai` crate (`server/ai/`) that
//! reads these; configuration resolution sits here, below it, and knows
//! nothing of HTTP.

pub mod cache;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The code of AI review findings.
pub const REVIEW_CODE: &str = "AI";
/// Their rule name.
pub const REVIEW_NAME: &str = "ai-review";
/// The `source` an editor shows for them.
pub const SOURCE: &str = "berth-ai";
/// The default endpoint: a local Ollama.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:11434/v1";
/// The default model (an Ollama model name).
pub const DEFAULT_MODEL: &str = "qwen2.5-coder:7b";

/// A value in a settings table that berth does not know (kept to report it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Unknown;

impl<'de> Deserialize<'de> for Unknown {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Unknown, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Unknown)
    }
}

/// AI settings: the `[ai]` table of `berth.toml` and the editor's `ai.*`
/// settings. Keys are accepted in snake_case and kebab-case. The API key is
/// never a setting: `api_key_env` names the environment variable holding it,
/// and `BERTH_AI_API_KEY` wins over it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Off unless true (the command line's `--ai` flags turn it on for one run).
    pub enabled: bool,
    /// OpenAI-compatible base URL, e.g. `http://127.0.0.1:11434/v1` (Ollama).
    #[serde(alias = "base-url")]
    pub base_url: String,
    pub model: String,
    /// The name of the environment variable that holds the API key.
    #[serde(alias = "api-key-env", skip_serializing_if = "Option::is_none")]
    pub api_key_env: Option<String>,
    /// Seconds per HTTP attempt.
    #[serde(alias = "timeout-secs", alias = "timeout")]
    pub timeout_secs: u64,
    #[serde(alias = "max-tokens")]
    pub max_tokens: u32,
    pub temperature: f32,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Retries on HTTP 429 and 5xx.
    #[serde(alias = "max-retries")]
    pub max_retries: u32,
    /// Largest response body read.
    #[serde(alias = "max-response-bytes")]
    pub max_response_bytes: usize,
    /// Ask for `response_format: {"type": "json_object"}` (dropped when the server refuses it).
    #[serde(alias = "json-mode")]
    pub json_mode: bool,
    /// Cache answers in memory and on disk.
    pub cache: bool,
    /// Size cap of the disk cache.
    #[serde(alias = "cache-max-bytes")]
    pub cache_max_bytes: u64,
    /// Most requests of one command-line run.
    #[serde(alias = "max-requests")]
    pub max_requests: usize,
    /// Also ask for fixes of the findings that need a package version
    /// (`pin-*-versions` rules such as DL3008): off by default, as a model
    /// cannot know which versions the base image's package index holds.
    #[serde(alias = "pin-versions")]
    pub pin_versions: bool,
    /// Set when these settings come from a project's `berth.toml`: an API key
    /// is then sent only to a loopback base URL, so that a cloned repository
    /// cannot send your key to a server of its choosing.
    #[serde(skip)]
    pub project_file: Option<PathBuf>,
    /// The environment variables that set values here (`BERTH_AI_BASE_URL`, `BERTH_AI_MODEL`).
    #[serde(skip)]
    pub from_env: Vec<&'static str>,
    /// Keys berth does not know (`unknown_keys`; `berth config` reports them).
    #[serde(flatten, skip_serializing)]
    pub unknown: BTreeMap<String, Unknown>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            enabled: false,
            base_url: DEFAULT_BASE_URL.to_string(),
            model: DEFAULT_MODEL.to_string(),
            api_key_env: None,
            timeout_secs: 180,
            max_tokens: 1024,
            temperature: 0.0,
            concurrency: 2,
            max_retries: 2,
            max_response_bytes: 1024 * 1024,
            json_mode: true,
            cache: true,
            cache_max_bytes: 32 * 1024 * 1024,
            max_requests: 50,
            pin_versions: false,
            project_file: None,
            from_env: Vec::new(),
            unknown: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// Keys of the table that berth does not know.
    pub fn unknown_keys(&self) -> Vec<&str> {
        self.unknown.keys().map(String::as_str).collect()
    }

    /// `BERTH_AI_BASE_URL` and `BERTH_AI_MODEL` on top.
    pub fn with_env(mut self, env: &dyn Fn(&str) -> Option<String>) -> Settings {
        if let Some(u) = env("BERTH_AI_BASE_URL").filter(|v| !v.trim().is_empty()) {
            self.base_url = u.trim().to_string();
            self.project_file = None;
            self.from_env.push("BERTH_AI_BASE_URL");
        }
        if let Some(m) = env("BERTH_AI_MODEL").filter(|v| !v.trim().is_empty()) {
            self.model = m.trim().to_string();
            self.from_env.push("BERTH_AI_MODEL");
        }
        self
    }

    /// The API key: `BERTH_AI_API_KEY`, else the variable named by
    /// `api_key_env`; none for a non-loopback URL from a project file.
    pub fn api_key(&self) -> Option<String> {
        if self.project_file.is_some() && !is_loopback(&self.base_url) {
            return None;
        }
        let get = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        get("BERTH_AI_API_KEY").or_else(|| self.api_key_env.as_deref().and_then(get)).map(|k| k.trim().to_string())
    }

    /// Settings that cannot work.
    pub fn check(&self) -> Result<(), String> {
        let url = self.base_url.trim();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!("[ai] base_url `{url}` is not an http:// or https:// URL"));
        }
        if self.model.trim().is_empty() {
            return Err("[ai] model is empty".into());
        }
        if self.max_response_bytes == 0 {
            return Err("[ai] max_response_bytes is 0".into());
        }
        Ok(())
    }

    /// The `berth config` lines: key, value, and the environment variable that set it, if one did.
    pub fn describe(&self) -> Vec<(String, String, Option<&'static str>)> {
        let env = |v: &'static str| self.from_env.contains(&v).then_some(v);
        let rows: Vec<(String, String)> = vec![
            ("ai.enabled".into(), self.enabled.to_string()),
            ("ai.base_url".into(), format!("{:?}", self.base_url)),
            ("ai.model".into(), format!("{:?}", self.model)),
            (
                "ai.api_key_env".into(),
                self.api_key_env.as_ref().map_or("(none; BERTH_AI_API_KEY if set)".into(), |v| format!("{v:?}")),
            ),
            ("ai.timeout_secs".into(), self.timeout_secs.to_string()),
            ("ai.max_tokens".into(), self.max_tokens.to_string()),
            ("ai.temperature".into(), self.temperature.to_string()),
            ("ai.concurrency".into(), self.concurrency.to_string()),
            ("ai.cache".into(), self.cache.to_string()),
        ];
        rows.into_iter()
            .map(|(k, v)| {
                let from = match k.as_str() {
                    "ai.base_url" => env("BERTH_AI_BASE_URL"),
                    "ai.model" => env("BERTH_AI_MODEL"),
                    _ => None,
                };
                (k, v, from)
            })
            .collect()
    }
}

/// Is the URL's host this machine?
pub fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        || host.to_ascii_lowercase().ends_with(".localhost")
}
