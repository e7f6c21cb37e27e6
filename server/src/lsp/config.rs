//! The editor's settings (`initializationOptions` and the `berth` section of
//! `workspace/didChangeConfiguration` or `workspace/configuration`), and each
//! document's effective configuration: its `berth.toml` or hadolint file,
//! found and read by [`crate::config`] exactly as `berth check` does, with the
//! editor's settings on top the way command-line options go on top.
//!
//! Keys (snake_case or camelCase, flat or under `rules`):
//! `select`, `ignore` (lists of codes, names or categories, or one
//! comma-separated string), `severity` (`{"DL3008": "error"}`), `shellcheck`
//! (`false`, or `{enabled, path}`), `configFile`, and the AI placeholders
//! `ai.enabled`, `ai.base_url`, `ai.model`, `ai.api_key_env`.

use crate::config::{self as files, CliOptions, Config, Resolver};
use berth_rules::engine::{Diagnostic, Selection, Severity};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Settings for the AI suggestions (read and kept; used by the AI feature).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AiSettings {
    pub enabled: bool,
    pub base_url: Option<String>,
    pub model: Option<String>,
    /// The environment variable that holds the API key (never the key itself).
    pub api_key_env: Option<String>,
}

/// What the editor says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Applied after the configuration file's overrides (so they win).
    pub severity: Vec<(String, Severity)>,
    pub shellcheck_enabled: Option<bool>,
    pub shellcheck_path: Option<PathBuf>,
    /// Use this configuration file instead of searching.
    pub config_file: Option<PathBuf>,
    pub ai: AiSettings,
}

/// `obj[snake]` or `obj[camel]`.
fn get<'a>(obj: &'a Value, snake: &str, camel: &str) -> Option<&'a Value> {
    obj.get(snake).or_else(|| obj.get(camel)).filter(|v| !v.is_null())
}

fn string(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

impl Settings {
    /// Read settings leniently: unknown keys are skipped, and values of the
    /// wrong type or unknown rules are skipped with a warning in `problems`.
    pub fn from_json(value: &Value, problems: &mut Vec<String>) -> Settings {
        // `{"berth": {...}}` or the section itself.
        let root = value.get("berth").filter(|v| v.is_object()).unwrap_or(value);
        let mut s = Settings::default();
        if !root.is_object() {
            return s;
        }
        let rules = root.get("rules").filter(|v| v.is_object());
        let pick =
            |snake: &str, camel: &str| get(root, snake, camel).or_else(|| rules.and_then(|r| get(r, snake, camel)));
        let mut list = |key: &str, v: Option<&Value>| -> Vec<String> {
            let items: Vec<String> = match v {
                None => Vec::new(),
                Some(Value::String(s)) => s.split(',').map(|x| x.trim().to_string()).collect(),
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(|x| x.trim().to_string()).collect(),
                Some(other) => {
                    problems.push(format!("berth.{key}: expected a list of rules, got {other}"));
                    Vec::new()
                }
            };
            items
                .into_iter()
                .filter(|x| !x.is_empty())
                .filter(|x| {
                    let ok = files::valid_selector(x);
                    if !ok {
                        problems.push(format!("berth.{key}: unknown rule `{x}`"));
                    }
                    ok
                })
                .collect()
        };
        s.select = list("select", pick("select", "select"));
        s.ignore = list("ignore", pick("ignore", "ignore"));
        if let Some(map) = pick("severity", "severity") {
            match map.as_object() {
                Some(m) => {
                    for (k, v) in m {
                        let level = v.as_str().and_then(Severity::parse);
                        match level {
                            Some(l) if files::valid_selector(k) => s.severity.push((k.clone(), l)),
                            Some(_) => problems.push(format!("berth.severity: unknown rule `{k}`")),
                            None => problems.push(format!("berth.severity.{k}: unknown severity {v}")),
                        }
                    }
                }
                None => problems.push("berth.severity: expected a mapping of rules to severities".into()),
            }
        }
        match get(root, "shellcheck", "shellcheck") {
            Some(Value::Bool(b)) => s.shellcheck_enabled = Some(*b),
            Some(sc @ Value::Object(_)) => {
                s.shellcheck_enabled = get(sc, "enabled", "enabled").and_then(Value::as_bool);
                s.shellcheck_path = string(get(sc, "path", "path")).map(PathBuf::from);
            }
            Some(other) => problems.push(format!("berth.shellcheck: expected true, false or an object, got {other}")),
            None => {}
        }
        if let Some(p) = string(get(root, "shellcheck_path", "shellcheckPath")) {
            s.shellcheck_path = Some(PathBuf::from(p));
        }
        s.config_file = string(get(root, "config_file", "configFile")).map(PathBuf::from);
        if let Some(ai) = get(root, "ai", "ai").filter(|v| v.is_object()) {
            s.ai = AiSettings {
                enabled: get(ai, "enabled", "enabled").and_then(Value::as_bool).unwrap_or(false),
                base_url: string(get(ai, "base_url", "baseUrl")),
                model: string(get(ai, "model", "model")),
                api_key_env: string(get(ai, "api_key_env", "apiKeyEnv")),
            };
        }
        s
    }

    /// The settings as command-line options for [`crate::config::Resolver`].
    fn cli_options(&self) -> CliOptions {
        CliOptions {
            config: self.config_file.clone(),
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            shellcheck: self.shellcheck_path.clone().filter(|_| self.shellcheck_enabled != Some(false)),
            no_shellcheck: self.shellcheck_enabled == Some(false),
            ..CliOptions::default()
        }
    }
}

/// One document's effective configuration.
#[derive(Debug, Clone)]
pub struct Effective {
    pub config: Arc<Config>,
    /// The editor's severity overrides, applied after the file's.
    pub severity: Vec<(String, Severity)>,
}

impl Effective {
    pub fn selection(&self) -> Selection {
        self.config.selection()
    }

    pub fn apply_severity(&self, diags: &mut [Diagnostic]) {
        self.config.apply_severity(diags);
        if self.severity.is_empty() {
            return;
        }
        let mut over = Config::default();
        over.severity.value = self.severity.clone();
        over.apply_severity(diags);
    }

    pub fn shellcheck(&self) -> Option<Option<PathBuf>> {
        self.config.shellcheck_enabled.value.then(|| self.config.shellcheck_path.value.clone())
    }
}

/// The settings and the configuration files they lead to, cached per folder.
pub struct Configs {
    settings: Settings,
    resolver: Resolver,
}

impl Configs {
    pub fn new(settings: Settings) -> Configs {
        let resolver = Resolver::new(settings.cli_options());
        Configs { settings, resolver }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Forget cached configuration files (one changed on disk).
    pub fn reload_files(&mut self) {
        self.resolver = Resolver::new(self.settings.cli_options());
    }

    /// The configuration for a document: the file's folder's configuration
    /// when it is a file, else the working folder's. A configuration file that
    /// cannot be read gives the defaults plus the editor's settings, and the
    /// error message.
    pub fn for_document(&mut self, path: Option<&Path>) -> (Effective, Option<String>) {
        let at = path.unwrap_or(Path::new("-"));
        let (config, problem) = match self.resolver.for_path(at) {
            Ok(c) => (c, None),
            Err(e) => {
                let mut fallback = Resolver::new(CliOptions { config: None, ..self.settings.cli_options() });
                let c = fallback.for_path(Path::new("-")).unwrap_or_else(|_| Arc::new(Config::default()));
                (c, Some(e))
            }
        };
        (Effective { config, severity: self.settings.severity.clone() }, problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_flat_nested_and_camel_case() {
        let mut problems = Vec::new();
        let s = Settings::from_json(
            &json!({"berth": {
                "rules": {"select": ["DL3008", "pin-apk-versions"], "ignore": "DL3007, nope"},
                "severity": {"DL3008": "error", "DL3020": "loud"},
                "shellcheck": {"enabled": false, "path": "/x/sc"},
                "ai": {"enabled": true, "baseUrl": "http://127.0.0.1:1/v1", "model": "m", "api_key_env": "K"}
            }}),
            &mut problems,
        );
        assert_eq!(s.select, ["DL3008", "pin-apk-versions"]);
        assert_eq!(s.ignore, ["DL3007"]);
        assert_eq!(s.severity, [("DL3008".to_string(), Severity::Error)]);
        assert_eq!(s.shellcheck_enabled, Some(false));
        assert_eq!(s.shellcheck_path, Some(PathBuf::from("/x/sc")));
        assert!(s.ai.enabled);
        assert_eq!(s.ai.base_url.as_deref(), Some("http://127.0.0.1:1/v1"));
        assert_eq!(s.ai.api_key_env.as_deref(), Some("K"));
        assert_eq!(problems.len(), 2, "{problems:?}");
        // Garbage is not an error.
        assert_eq!(Settings::from_json(&json!(42), &mut problems), Settings::default());
        assert_eq!(Settings::from_json(&json!({"select": 3}), &mut problems).select, Vec::<String>::new());
    }
}
