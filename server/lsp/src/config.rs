//! The editor's settings (`initializationOptions` and the `berth` section of
//! `workspace/didChangeConfiguration` or `workspace/configuration`), and each
//! document's effective configuration: its `berth.toml` or hadolint file,
//! found and read by [`berth_workspace::config`] exactly as `berth check` does, with the
//! editor's settings on top the way command-line options go on top.
//!
//! Keys (snake_case or camelCase, flat or under `rules`):
//! `select`, `ignore` (lists of codes, names or categories, or one
//! comma-separated string), `severity` (`{"DL3008": "error"}`), `shellcheck`
//! (`false`, or `{enabled, path}`), `configFile`, and `ai` (any key of the
//! `[ai]` table, [`berth_ai::Settings`]: `ai.enabled`, `ai.baseUrl`,
//! `ai.model`, `ai.apiKeyEnv`, `ai.timeoutSecs`, `ai.cache`, ...), put on top
//! of the `[ai]` table of the document's configuration file.

use berth_rules::engine::{Diagnostic, Selection, Severity};
use berth_workspace::config::{self as files, CliOptions, Config, Resolver};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The editor's `ai` settings: keys of [`berth_ai::Settings`] (in
/// snake_case, kebab-case or camelCase, kept in snake_case), each checked on
/// its own; they go on top of the `[ai]` table of the document's
/// configuration file ([`AiSettings::apply`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AiSettings {
    values: serde_json::Map<String, Value>,
}

/// `baseUrl`, `base-url` and `base_url` are the same key.
fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        match c {
            '-' => out.push('_'),
            c if c.is_ascii_uppercase() => {
                if !out.is_empty() && !out.ends_with('_') {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            }
            c => out.push(c),
        }
    }
    out
}

impl AiSettings {
    /// Read the `ai` object: unknown keys and values of the wrong type are
    /// skipped with a warning in `problems`. `null` values are ignored.
    fn from_json(v: &Value, problems: &mut Vec<String>) -> AiSettings {
        let mut values = serde_json::Map::new();
        let Some(obj) = v.as_object() else {
            problems.push(format!("berth.ai: expected an object, got {v}"));
            return AiSettings { values };
        };
        for (k, v) in obj {
            if v.is_null() {
                continue;
            }
            let key = snake_case(k);
            let one = Value::Object(serde_json::Map::from_iter([(key.clone(), v.clone())]));
            match serde_json::from_value::<berth_ai::Settings>(one) {
                Ok(s) if s.unknown_keys().is_empty() => {
                    values.insert(key, v.clone());
                }
                Ok(_) => problems.push(format!("berth.ai.{k}: unknown setting")),
                Err(e) => problems.push(format!("berth.ai.{k}: {e}")),
            }
        }
        AiSettings { values }
    }

    /// These settings on top of a configuration file's `[ai]` table (and the
    /// environment it took); they win over `BERTH_AI_BASE_URL` and
    /// `BERTH_AI_MODEL`, as command-line options would. The project-file rule
    /// for API keys stays: editor settings can come from the project too
    /// (a workspace settings file), so with a project `berth.toml` the key
    /// goes only to a loopback URL.
    pub fn apply(&self, base: &berth_ai::Settings) -> berth_ai::Settings {
        if self.values.is_empty() {
            return base.clone();
        }
        let mut merged = match serde_json::to_value(base) {
            Ok(Value::Object(m)) => m,
            _ => return base.clone(),
        };
        for (k, v) in &self.values {
            merged.insert(k.clone(), v.clone());
        }
        let Ok(mut s) = serde_json::from_value::<berth_ai::Settings>(Value::Object(merged)) else {
            return base.clone();
        };
        s.project_file = base.project_file.clone();
        s.from_env = base.from_env.clone();
        if self.values.contains_key("base_url") {
            s.from_env.retain(|v| *v != "BERTH_AI_BASE_URL");
        }
        if self.values.contains_key("model") {
            s.from_env.retain(|v| *v != "BERTH_AI_MODEL");
        }
        s
    }
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
    /// The project's target platforms (`linux/arm64`), as `--platform`:
    /// they replace the configuration file's `[registry] platforms`.
    pub platforms: Vec<String>,
    /// The day end-of-life dates are compared with (`YYYY-MM-DD`), as `--as-of`.
    pub as_of: Option<String>,
    /// Registry lookups, as `--online` (off by default; `[registry] online`
    /// of `berth.toml` alone does not turn them on in the editor).
    pub online: bool,
}

/// `obj[snake]` or `obj[camel]`.
fn get<'a>(obj: &'a Value, snake: &str, camel: &str) -> Option<&'a Value> {
    obj.get(snake).or_else(|| obj.get(camel)).filter(|v| !v.is_null())
}

fn string(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

/// A setting written as a list of strings or as one comma-separated string:
/// its trimmed, non-empty items. Any other value is a problem (`berth.KEY:
/// expected a list of WHAT`) and gives no items.
fn string_list(key: &str, what: &str, v: Option<&Value>, problems: &mut Vec<String>) -> Vec<String> {
    let items: Vec<String> = match v {
        None => Vec::new(),
        Some(Value::String(s)) => s.split(',').map(|x| x.trim().to_string()).collect(),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(|x| x.trim().to_string()).collect(),
        Some(other) => {
            problems.push(format!("berth.{key}: expected a list of {what}, got {other}"));
            Vec::new()
        }
    };
    items.into_iter().filter(|x| !x.is_empty()).collect()
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
            string_list(key, "rules", v, problems)
                .into_iter()
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
        if let Some(ai) = get(root, "ai", "ai") {
            s.ai = AiSettings::from_json(ai, problems);
        }
        for p in string_list("platforms", "platforms", get(root, "platforms", "platforms"), problems) {
            match berth_rules::rules::platforms::normalize(&p) {
                Some(_) => s.platforms.push(p),
                None => problems.push(format!("berth.platforms: `{p}` is not a platform like \"linux/arm64\"")),
            }
        }
        match get(root, "online", "online") {
            Some(Value::Bool(b)) => s.online = *b,
            Some(other) => problems.push(format!("berth.online: expected true or false, got {other}")),
            None => {}
        }
        if let Some(d) = string(get(root, "as_of", "asOf")) {
            match berth_rules::rules::lifecycle::Date::parse(&d) {
                Some(_) => s.as_of = Some(d),
                None => problems.push(format!("berth.asOf: `{d}` is not a date like 2026-06-30")),
            }
        }
        s
    }

    /// The settings as command-line options for [`berth_workspace::config::Resolver`].
    fn cli_options(&self) -> CliOptions {
        CliOptions {
            config: self.config_file.clone(),
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            shellcheck: self.shellcheck_path.clone().filter(|_| self.shellcheck_enabled != Some(false)),
            no_shellcheck: self.shellcheck_enabled == Some(false),
            platforms: self.platforms.clone(),
            as_of: self.as_of.clone(),
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

/// One line for the output channel: what the editor set, in the words of its
/// settings (not a Rust `Debug` dump). AI settings are named, never shown
/// (a URL can carry credentials).
impl std::fmt::Display for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |v: &[String]| if v.is_empty() { "default".to_string() } else { v.join(", ") };
        write!(f, "rules.select: {}; rules.ignore: {}", list(&self.select), list(&self.ignore))?;
        if !self.severity.is_empty() {
            let pairs: Vec<String> = self.severity.iter().map(|(k, s)| format!("{k}={}", s.as_str())).collect();
            write!(f, "; severity: {}", pairs.join(", "))?;
        }
        match self.shellcheck_enabled {
            Some(false) => write!(f, "; shellcheck: off")?,
            _ => write!(f, "; shellcheck: on")?,
        }
        if let Some(p) = &self.shellcheck_path {
            write!(f, " ({})", p.display())?;
        }
        if let Some(p) = &self.config_file {
            write!(f, "; configFile: {}", p.display())?;
        }
        if !self.platforms.is_empty() {
            write!(f, "; platforms: {}", self.platforms.join(", "))?;
        }
        if let Some(d) = &self.as_of {
            write!(f, "; asOf: {d}")?;
        }
        if self.online {
            write!(f, "; online: on")?;
        }
        if !self.ai.values.is_empty() {
            let keys: Vec<&str> = self.ai.values.keys().map(String::as_str).collect();
            write!(f, "; ai: {} set", keys.join(", "))?;
        }
        Ok(())
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
        let ai = s.ai.apply(&berth_ai::Settings::default());
        assert!(ai.enabled);
        assert_eq!(ai.base_url, "http://127.0.0.1:1/v1");
        assert_eq!((ai.model.as_str(), ai.api_key_env.as_deref()), ("m", Some("K")));
        assert_eq!(problems.len(), 2, "{problems:?}");
        // Garbage is not an error.
        assert_eq!(Settings::from_json(&json!(42), &mut problems), Settings::default());
        assert_eq!(Settings::from_json(&json!({"select": 3}), &mut problems).select, Vec::<String>::new());
    }

    #[test]
    fn lists_as_arrays_or_comma_separated_and_wrong_types_reported() {
        let mut problems = Vec::new();
        let s = Settings::from_json(
            &json!({"select": 3, "ignore": ["DL3007", " ", ""], "platforms": "linux/arm64, ,bogus"}),
            &mut problems,
        );
        assert!(s.select.is_empty() && s.ignore == ["DL3007"], "{s:?}");
        assert_eq!(s.platforms, ["linux/arm64"]);
        assert_eq!(
            problems,
            [
                "berth.select: expected a list of rules, got 3",
                "berth.platforms: `bogus` is not a platform like \"linux/arm64\""
            ]
        );
        let mut problems = Vec::new();
        let s = Settings::from_json(&json!({"platforms": {"a": 1}}), &mut problems);
        assert!(s.platforms.is_empty());
        assert_eq!(problems, [r#"berth.platforms: expected a list of platforms, got {"a":1}"#]);
    }

    #[test]
    fn ai_settings_go_on_top_of_the_file() {
        let mut problems = Vec::new();
        let s = Settings::from_json(
            &json!({"ai": {"timeoutSecs": 5, "max-tokens": 99, "bogus": 1, "cache": "no", "model": null}}),
            &mut problems,
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(!s.ai.values.contains_key("enabled") && s.ai.values.contains_key("timeout_secs"));
        let file = berth_ai::Settings {
            enabled: true,
            model: "from-file".into(),
            base_url: "https://example.invalid/v1".into(),
            project_file: Some("berth.toml".into()),
            ..Default::default()
        };
        let ai = s.ai.apply(&file);
        assert!(ai.enabled && ai.cache);
        assert_eq!((ai.timeout_secs, ai.max_tokens, ai.model.as_str()), (5, 99, "from-file"));
        assert!(ai.project_file.is_some(), "the file's URL keeps the project-file rule");
        let s =
            Settings::from_json(&json!({"ai": {"enabled": false, "baseUrl": "http://127.0.0.1:9/v1"}}), &mut problems);
        let ai = s.ai.apply(&file);
        assert!(!ai.enabled && ai.project_file.is_some());
        assert_eq!(ai.base_url, "http://127.0.0.1:9/v1");
    }

    #[test]
    fn settings_are_logged_as_settings_not_debug() {
        let mut problems = Vec::new();
        let s = Settings::from_json(
            &json!({"rules": {"ignore": ["DL3008"]}, "severity": {"DL3006": "error"}, "shellcheck": {"enabled": false}, "ai": {"baseUrl": "http://u:p@h/v1"}}),
            &mut problems,
        );
        let line = s.to_string();
        assert_eq!(
            line,
            "rules.select: default; rules.ignore: DL3008; severity: DL3006=error; shellcheck: off; ai: base_url set"
        );
        assert!(!line.contains("Some(") && !line.contains("u:p"), "{line}");
    }
}
