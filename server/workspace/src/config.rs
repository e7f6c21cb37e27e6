//! Configuration files: `berth.toml` / `.berth.toml` (found from each linted
//! file's folder upward to the repository root, then the user config folder),
//! hadolint's `.hadolint.yaml` as a fallback, the `HADOLINT_*` environment
//! variables, and the command line on top. The nearest file wins: files are
//! not merged.

use berth_rules::Severity;
use berth_rules::engine::{Category, Diagnostic, LabelType, Selection, Settings};
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    File(PathBuf),
    Env(String),
    Cli,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => write!(f, "default"),
            Source::File(p) => write!(f, "{}", p.display()),
            Source::Env(v) => write!(f, "environment variable {v}"),
            Source::Cli => write!(f, "command line"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Val<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Val<T> {
    fn new(value: T) -> Val<T> {
        Val { value, source: Source::Default }
    }
    fn set(&mut self, value: T, source: &Source) {
        self.value = value;
        self.source = source.clone();
    }
}

impl<T> Val<Vec<T>> {
    /// Add `more` to the list (what a later source adds to the files' list, as
    /// hadolint and dclint do); the source becomes `source`.
    fn extend(&mut self, more: impl IntoIterator<Item = T>, source: &Source) {
        self.value.extend(more);
        self.source = source.clone();
    }
}

/// The effective configuration of one file.
#[derive(Debug, Clone)]
pub struct Config {
    pub file: Option<PathBuf>,
    pub select: Val<Option<Vec<String>>>,
    pub ignore: Val<Vec<String>>,
    /// Off-by-default rules turned on by name (`.dclintrc` levels 1 and 2).
    pub enable: Val<Vec<String>>,
    pub severity: Val<Vec<(String, Severity)>>,
    /// `None`: never fail.
    pub failure_threshold: Val<Option<Severity>>,
    pub no_fail: Val<bool>,
    pub disable_ignore_pragma: Val<bool>,
    pub trusted_registries: Val<Vec<String>>,
    pub label_schema: Val<Vec<(String, LabelType)>>,
    pub strict_labels: Val<bool>,
    pub shellcheck_enabled: Val<bool>,
    pub shellcheck_path: Val<Option<PathBuf>>,
    /// `rule-set = "YYYY.N"`: rules added after that set start off.
    pub rule_set: Val<Option<String>>,
    /// `as-of = "YYYY-MM-DD"`: the day end-of-life dates are compared with (default today).
    pub as_of: Val<Option<String>>,
    /// `eol-warning-days`: how far ahead an end of life is reported (default 90).
    pub eol_warning_days: Val<Option<u32>>,
    /// `[registry] platforms`: the project's target platforms.
    pub platforms: Val<Vec<String>>,
    /// Files larger than this many bytes are reported and skipped, not parsed.
    pub max_file_size: Val<u64>,
    /// `[[overrides]]`: settings for files matching globs (relative to the config file's folder).
    pub overrides: Vec<Override>,
    /// `[ai]`: AI suggestions (see `crate::ai::Settings`).
    pub ai: Val<crate::ai::Settings>,
    /// `kind` of an `[[overrides]]` table: lint the file as this kind, whatever its name.
    pub kind: Option<crate::discover::FileKind>,
    /// `[registry]`: online lookups (`crate::online`).
    pub registry: Val<crate::registry::Settings>,
}

/// One `[[overrides]]` table.
#[derive(Debug, Clone)]
pub struct Override {
    pub globs: globset::GlobSet,
    pub patterns: Vec<String>,
    /// Replaces the file-wide `select` when given.
    pub select: Option<Vec<String>>,
    /// Added to the file-wide `ignore`.
    pub ignore: Vec<String>,
    /// Added after the file-wide severity overrides (so they win).
    pub severity: Vec<(String, Severity)>,
    /// `kind = "dockerfile" | "compose"`.
    pub kind: Option<crate::discover::FileKind>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            file: None,
            select: Val::new(None),
            ignore: Val::new(Vec::new()),
            enable: Val::new(Vec::new()),
            severity: Val::new(Vec::new()),
            failure_threshold: Val::new(Some(Severity::Info)),
            no_fail: Val::new(false),
            disable_ignore_pragma: Val::new(false),
            trusted_registries: Val::new(Vec::new()),
            label_schema: Val::new(Vec::new()),
            strict_labels: Val::new(false),
            shellcheck_enabled: Val::new(true),
            shellcheck_path: Val::new(None),
            rule_set: Val::new(None),
            as_of: Val::new(None),
            eol_warning_days: Val::new(None),
            platforms: Val::new(Vec::new()),
            max_file_size: Val::new(DEFAULT_MAX_FILE_SIZE),
            overrides: Vec::new(),
            ai: Val::new(crate::ai::Settings::default()),
            kind: None,
            registry: Val::new(Default::default()),
        }
    }
}

/// What the command line says (only what was given overrides).
#[derive(Debug, Clone, Default)]
pub struct CliOptions {
    pub config: Option<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// `Some(None)`: `--failure-threshold none`.
    pub failure_threshold: Option<Option<Severity>>,
    pub disable_ignore_pragma: bool,
    pub shellcheck: Option<PathBuf>,
    pub no_shellcheck: bool,
    pub max_file_size: Option<u64>,
    pub no_fail: bool,
    /// `--error`/`--warning`/`--info`/`--style`: added after the files' overrides (so they win).
    pub severity: Vec<(String, Severity)>,
    /// `--trusted-registry`: added to the files'.
    pub trusted_registries: Vec<String>,
    /// `--require-label`: added to the files' label schema.
    pub label_schema: Vec<(String, LabelType)>,
    pub strict_labels: bool,
    /// `--platform`: replaces the files' `[registry] platforms`.
    pub platforms: Vec<String>,
    /// `--as-of`.
    pub as_of: Option<String>,
}

/// Today's date (UTC), for `as-of`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    berth_rules::rules::lifecycle::Date::from_days((secs / 86_400) as i64).to_string()
}

/// 10 MiB: far above any real Dockerfile or Compose file.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// A size such as `10MB`, `512KiB`, `2000000` (bytes); K/M/G are powers of 1024.
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().ok()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(mult).filter(|&v| v > 0)
}

fn category(s: &str) -> Option<Category> {
    use Category::*;
    [Syntax, Correctness, Security, Maintainability, Performance, Style]
        .into_iter()
        .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
}

/// True when `sel` names a rule, a category, `all`, or ShellCheck codes.
pub fn valid_selector(sel: &str) -> bool {
    sel == "all" || is_shellcheck_selector(sel) || berth_rules::rules::find(sel).is_some() || category(sel).is_some()
}

/// ` (did you mean `X`?)` for a selector that names nothing, when one rule
/// code, name or category is close to it; else empty.
pub fn did_you_mean(sel: &str) -> String {
    let metas = berth_rules::rules::metas();
    let hit = if sel.chars().any(|c| c.is_ascii_digit()) {
        berth_rules::util::closest(sel, metas.iter().map(|m| m.code))
    } else {
        use Category::*;
        let cats = [Syntax, Correctness, Security, Maintainability, Performance, Style].map(|c| c.as_str());
        berth_rules::util::closest(
            sel,
            metas.iter().flat_map(|m| std::iter::once(m.name).chain(m.buildkit)).chain(cats).chain(["shellcheck"]),
        )
    };
    hit.map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default()
}

/// Replace category names by the codes of their rules.
pub fn expand(list: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for s in list {
        match category(s) {
            Some(c) if berth_rules::rules::find(s).is_none() => out.extend(
                berth_rules::rules::metas().into_iter().filter(|m| m.category == c).map(|m| m.code.to_string()),
            ),
            _ => out.push(s.clone()),
        }
    }
    out
}

fn matches(sel: &str, d: &Diagnostic) -> bool {
    if d.code.eq_ignore_ascii_case(sel.trim()) {
        return true;
    }
    match berth_rules::rules::by_code(d.code) {
        Some(m) => m.matches(sel) || category(sel).is_some_and(|c| c == m.category),
        None => sel.eq_ignore_ascii_case("shellcheck") && d.code.starts_with("SC"),
    }
}

impl Config {
    pub fn selection(&self) -> Selection {
        let only = self.select.value.as_ref().map(|l| expand(l));
        let mut ignore = expand(&self.ignore.value);
        // A pinned rule set keeps newer rules off unless they are selected by name.
        if let Some(newer) = self.rule_set.value.as_deref().and_then(berth_rules::rules::newer_than) {
            for m in newer {
                let named = only.as_ref().is_some_and(|l| l.iter().any(|s| s != "all" && m.matches(s)));
                if !named {
                    ignore.push(m.code.to_string());
                }
            }
        }
        Selection {
            include_off_by_default: only.as_ref().is_some_and(|l| l.iter().any(|s| s == "all")),
            only,
            ignore,
            enable: expand(&self.enable.value),
            disable_ignore_pragma: self.disable_ignore_pragma.value,
        }
    }

    pub fn settings(&self) -> Settings {
        Settings {
            trusted_registries: self.trusted_registries.value.clone(),
            label_schema: self.label_schema.value.clone(),
            strict_labels: self.strict_labels.value,
            as_of: Some(self.as_of.value.clone().unwrap_or_else(today)),
            eol_warning_days: self.eol_warning_days.value,
            platforms: self.platforms.value.clone(),
            registry: crate::registry::facts_for(self.registry.value.online, &self.platforms.value),
        }
    }

    /// Apply the severity overrides (the last matching one wins).
    pub fn apply_severity(&self, diags: &mut [Diagnostic]) {
        for d in diags {
            if let Some((_, s)) = self.severity.value.iter().rev().find(|(sel, _)| matches(sel, d)) {
                d.severity = *s;
            }
        }
    }

    /// True when these findings make the run fail.
    pub fn fails(&self, diags: &[Diagnostic]) -> bool {
        !self.no_fail.value
            && self.failure_threshold.value.is_some_and(|t| {
                // AI review findings are advisory: they never fail a run.
                diags.iter().any(|d| d.severity.at_least(t) && d.code != crate::ai::REVIEW_CODE)
            })
    }

    fn apply_cli(&mut self, cli: &CliOptions) {
        let c = Source::Cli;
        if !cli.select.is_empty() {
            self.select.set(Some(cli.select.clone()), &c);
        }
        if !cli.ignore.is_empty() {
            // Added to what the config files ignore, as hadolint and dclint do.
            self.ignore.extend(cli.ignore.iter().cloned(), &c);
        }
        if let Some(t) = cli.failure_threshold {
            self.failure_threshold.set(t, &c);
        }
        if cli.disable_ignore_pragma {
            self.disable_ignore_pragma.set(true, &c);
        }
        if let Some(p) = &cli.shellcheck {
            self.shellcheck_path.set(Some(p.clone()), &c);
            self.shellcheck_enabled.set(true, &c);
        }
        if cli.no_shellcheck {
            self.shellcheck_enabled.set(false, &c);
        }
        if let Some(m) = cli.max_file_size {
            self.max_file_size.set(m, &c);
        }
        if cli.no_fail {
            self.no_fail.set(true, &c);
        }
        if !cli.severity.is_empty() {
            self.severity.extend(cli.severity.iter().cloned(), &c);
        }
        if !cli.trusted_registries.is_empty() {
            self.trusted_registries.extend(cli.trusted_registries.iter().cloned(), &c);
        }
        if !cli.label_schema.is_empty() {
            self.label_schema.extend(cli.label_schema.iter().cloned(), &c);
        }
        if cli.strict_labels {
            self.strict_labels.set(true, &c);
        }
        if !cli.platforms.is_empty() {
            self.platforms.set(cli.platforms.clone(), &c);
        }
        if let Some(d) = &cli.as_of {
            self.as_of.set(Some(d.clone()), &c);
        }
    }

    /// `HADOLINT_*` environment variables, on top of the file.
    fn apply_env(&mut self, env: &dyn Fn(&str) -> Option<String>) -> Result<(), String> {
        let list =
            |v: &str| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect::<Vec<_>>();
        let truthy = |v: &str| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "y" | "yes" | "on" | "true");
        let src = |k: &str| Source::Env(k.to_string());
        if let Some(v) = env("BERTH_AS_OF") {
            if berth_rules::rules::lifecycle::Date::parse(&v).is_none() {
                return Err(format!("berth: BERTH_AS_OF: `{v}` is not a date like 2026-12-06"));
            }
            self.as_of.set(Some(v.trim().to_string()), &src("BERTH_AS_OF"));
        }
        if let Some(v) = env("HADOLINT_NOFAIL") {
            self.no_fail.set(truthy(&v), &src("HADOLINT_NOFAIL"));
        }
        if let Some(v) = env("HADOLINT_STRICT_LABELS") {
            self.strict_labels.set(truthy(&v), &src("HADOLINT_STRICT_LABELS"));
        }
        if let Some(v) = env("HADOLINT_DISABLE_IGNORE_PRAGMA") {
            self.disable_ignore_pragma.set(truthy(&v), &src("HADOLINT_DISABLE_IGNORE_PRAGMA"));
        }
        if let Some(v) = env("HADOLINT_FAILURE_THRESHOLD") {
            let t = threshold(&v).ok_or_else(|| {
                format!("berth: environment variable HADOLINT_FAILURE_THRESHOLD: unknown severity `{v}`")
            })?;
            self.failure_threshold.set(t, &src("HADOLINT_FAILURE_THRESHOLD"));
        }
        for (var, sev) in [
            ("HADOLINT_OVERRIDE_ERROR", Severity::Error),
            ("HADOLINT_OVERRIDE_WARNING", Severity::Warning),
            ("HADOLINT_OVERRIDE_INFO", Severity::Info),
            ("HADOLINT_OVERRIDE_STYLE", Severity::Style),
        ] {
            if let Some(v) = env(var) {
                self.severity.extend(list(&v).into_iter().map(|c| (c, sev)), &src(var));
            }
        }
        if let Some(v) = env("HADOLINT_IGNORE") {
            self.ignore.extend(list(&v), &src("HADOLINT_IGNORE"));
        }
        if let Some(v) = env("HADOLINT_REQUIRE_LABELS") {
            let mut all = self.label_schema.value.clone();
            for item in list(&v) {
                let parsed =
                    item.split_once(':').and_then(|(n, t)| Some((n.trim().to_string(), LabelType::parse(t.trim())?)));
                all.push(parsed.ok_or_else(|| {
                    format!("berth: environment variable HADOLINT_REQUIRE_LABELS: `{item}` is not LABEL:TYPE")
                })?);
            }
            self.label_schema.set(all, &src("HADOLINT_REQUIRE_LABELS"));
        }
        if let Some(v) = env("HADOLINT_TRUSTED_REGISTRIES") {
            self.trusted_registries.extend(list(&v), &src("HADOLINT_TRUSTED_REGISTRIES"));
        }
        // `BERTH_AI_BASE_URL` and `BERTH_AI_MODEL` (`berth config` names them per key).
        self.ai.value = self.ai.value.clone().with_env(env);
        Ok(())
    }

    /// The `berth config` listing.
    pub fn describe(&self) -> String {
        let q = |v: &[String]| format!("[{}]", v.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", "));
        let pairs = |v: Vec<(String, String)>| {
            format!("{{{}}}", v.iter().map(|(k, s)| format!("{k:?} = {s:?}")).collect::<Vec<_>>().join(", "))
        };
        let rows: Vec<(&str, String, &Source)> = vec![
            ("select", self.select.value.as_deref().map_or("(default rules)".to_string(), q), &self.select.source),
            ("ignore", q(&self.ignore.value), &self.ignore.source),
            ("enable", q(&self.enable.value), &self.enable.source),
            ("max-file-size", self.max_file_size.value.to_string(), &self.max_file_size.source),
            ("rule-set", self.rule_set.value.clone().unwrap_or_else(|| "(latest)".into()), &self.rule_set.source),
            (
                "severity",
                pairs(self.severity.value.iter().map(|(k, s)| (k.clone(), s.as_str().to_string())).collect()),
                &self.severity.source,
            ),
            (
                "failure-threshold",
                format!("{:?}", self.failure_threshold.value.map_or("none", |s| s.as_str())),
                &self.failure_threshold.source,
            ),
            ("no-fail", self.no_fail.value.to_string(), &self.no_fail.source),
            ("disable-ignore-pragma", self.disable_ignore_pragma.value.to_string(), &self.disable_ignore_pragma.source),
            ("trusted-registries", q(&self.trusted_registries.value), &self.trusted_registries.source),
            (
                "label-schema",
                pairs(self.label_schema.value.iter().map(|(k, t)| (k.clone(), t.as_str().to_string())).collect()),
                &self.label_schema.source,
            ),
            ("strict-labels", self.strict_labels.value.to_string(), &self.strict_labels.source),
            ("as-of", self.as_of.value.clone().unwrap_or_else(|| format!("(today, {})", today())), &self.as_of.source),
            (
                "eol-warning-days",
                self.eol_warning_days.value.map_or("90".to_string(), |d| d.to_string()),
                &self.eol_warning_days.source,
            ),
            ("registry.platforms", q(&self.platforms.value), &self.platforms.source),
            ("shellcheck.enabled", self.shellcheck_enabled.value.to_string(), &self.shellcheck_enabled.source),
            (
                "shellcheck.path",
                self.shellcheck_path
                    .value
                    .as_ref()
                    .map_or("(shellcheck on PATH)".to_string(), |p| format!("{:?}", p.display().to_string())),
                &self.shellcheck_path.source,
            ),
        ];
        let mut out = format!(
            "# configuration file: {}\n",
            self.file.as_ref().map_or("none".to_string(), |p| p.display().to_string())
        );
        for (k, v, s) in rows {
            out += &format!("{k} = {v}  # {s}\n");
        }
        for (k, v, var) in self.ai.value.describe() {
            let from = var.map_or(self.ai.source.clone(), |v| Source::Env(v.to_string()));
            out += &format!("{k} = {v}  # {from}\n");
        }
        let r = &self.registry.value;
        out += &format!(
            "registry = {{ online = {}, platforms = {:?}, insecure = {:?}, mirrors = {:?}, timeout = {}, retries = {}, cache-ttl = {} }}  # {}\n",
            r.online, r.platforms, r.insecure, r.mirrors, r.timeout, r.retries, r.cache_ttl, self.registry.source
        );
        for o in &self.overrides {
            out += &format!("# [[overrides]] for {:?}: select {:?}, ignore {:?}\n", o.patterns, o.select, o.ignore);
        }
        out
    }
}

fn threshold(v: &str) -> Option<Option<Severity>> {
    match v.trim().to_ascii_lowercase().as_str() {
        "none" | "ignore" => Some(None),
        other => Severity::parse(other).map(Some),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawToml {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    failure_threshold: Option<Spanned<String>>,
    no_fail: Option<bool>,
    disable_ignore_pragma: Option<bool>,
    trusted_registries: Option<Vec<String>>,
    label_schema: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    strict_labels: Option<bool>,
    shellcheck: Option<RawShellcheck>,
    rule_set: Option<Spanned<String>>,
    max_file_size: Option<Spanned<toml::Value>>,
    overrides: Option<Vec<RawOverride>>,
    ai: Option<crate::ai::Settings>,
    as_of: Option<Spanned<String>>,
    eol_warning_days: Option<u32>,
    /// `[registry]`: `platforms` (the project's targets) and the online-lookup keys.
    registry: Option<crate::registry::Settings>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    paths: Vec<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    kind: Option<Spanned<String>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShellcheck {
    enabled: Option<bool>,
    path: Option<PathBuf>,
}

/// Read a `berth.toml`.
pub fn load_toml(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("berth: {}: cannot read: {e}", path.display()))?;
    let at = |offset: usize, msg: String| {
        let (l, c) = line_col(&text, offset);
        format!("berth: {}:{l}:{c}: {msg}", path.display())
    };
    let raw: RawToml = toml::from_str(&text).map_err(|e| {
        let start = e.span().map_or(0, |s| s.start);
        let (l, _) = line_col(&text, start);
        let line = text.lines().nth(l - 1).unwrap_or("");
        let msg = e.message().trim().to_string();
        let key = line.split_once('=').map(|(k, _)| k.trim().trim_matches('"')).filter(|k| !k.is_empty());
        match key {
            Some(k) if !msg.contains(&format!("`{k}`")) => at(start, format!("{msg} (key `{k}`)")),
            _ => at(start, msg),
        }
    })?;
    let src = Source::File(path.to_path_buf());
    let mut c = Config { file: Some(path.to_path_buf()), ..Config::default() };
    let rules = |key: &str, list: Vec<Spanned<String>>| -> Result<Vec<String>, String> {
        list.into_iter()
            .map(|s| {
                if valid_selector(s.get_ref()) {
                    Ok(s.into_inner())
                } else {
                    Err(at(
                        s.span().start,
                        format!("`{key}`: unknown rule or category `{}`{}", s.get_ref(), did_you_mean(s.get_ref())),
                    ))
                }
            })
            .collect()
    };
    if let Some(l) = raw.select {
        c.select.set(Some(rules("select", l)?), &src);
    }
    if let Some(l) = raw.ignore {
        c.ignore.set(rules("ignore", l)?, &src);
    }
    if let Some(m) = raw.severity {
        let mut v = Vec::new();
        for (k, s) in m {
            if !valid_selector(k.get_ref()) {
                return Err(at(
                    k.span().start,
                    format!("`severity`: unknown rule or category `{}`{}", k.get_ref(), did_you_mean(k.get_ref())),
                ));
            }
            let sev = Severity::parse(s.get_ref()).ok_or_else(|| {
                at(s.span().start, format!("`severity.{}`: unknown severity `{}`", k.get_ref(), s.get_ref()))
            })?;
            v.push((k.into_inner(), sev));
        }
        c.severity.set(v, &src);
    }
    if let Some(t) = raw.failure_threshold {
        let v = threshold(t.get_ref())
            .ok_or_else(|| at(t.span().start, format!("`failure-threshold`: unknown severity `{}`", t.get_ref())))?;
        c.failure_threshold.set(v, &src);
    }
    if let Some(b) = raw.no_fail {
        c.no_fail.set(b, &src);
    }
    if let Some(b) = raw.disable_ignore_pragma {
        c.disable_ignore_pragma.set(b, &src);
    }
    if let Some(l) = raw.trusted_registries {
        c.trusted_registries.set(l, &src);
    }
    if let Some(m) = raw.label_schema {
        let mut v = Vec::new();
        for (k, t) in m {
            let ty = LabelType::parse(t.get_ref()).ok_or_else(|| {
                at(t.span().start, format!("`label-schema.{}`: unknown label type `{}`", k.get_ref(), t.get_ref()))
            })?;
            v.push((k.into_inner(), ty));
        }
        c.label_schema.set(v, &src);
    }
    if let Some(b) = raw.strict_labels {
        c.strict_labels.set(b, &src);
    }
    for o in raw.overrides.unwrap_or_default() {
        let mut b = globset::GlobSetBuilder::new();
        let mut patterns = Vec::new();
        for p in &o.paths {
            let g = globset::Glob::new(p.get_ref())
                .map_err(|e| at(p.span().start, format!("`overrides.paths`: bad glob `{}`: {e}", p.get_ref())))?;
            b.add(g);
            patterns.push(p.get_ref().clone());
        }
        let globs = b.build().map_err(|e| at(0, format!("`overrides.paths`: {e}")))?;
        let select = o.select.map(|l| rules("overrides.select", l)).transpose()?;
        let ignore = o.ignore.map(|l| rules("overrides.ignore", l)).transpose()?.unwrap_or_default();
        let mut severity = Vec::new();
        for (k, v) in o.severity.unwrap_or_default() {
            if !valid_selector(k.get_ref()) {
                return Err(at(
                    k.span().start,
                    format!("`overrides.severity`: unknown rule `{}`{}", k.get_ref(), did_you_mean(k.get_ref())),
                ));
            }
            let sev = Severity::parse(v.get_ref()).ok_or_else(|| {
                at(v.span().start, format!("`overrides.severity`: unknown severity `{}`", v.get_ref()))
            })?;
            severity.push((k.into_inner(), sev));
        }
        let kind = match o.kind {
            None => None,
            Some(k) => Some(match k.get_ref().to_ascii_lowercase().as_str() {
                "dockerfile" => crate::discover::FileKind::Dockerfile,
                "compose" => crate::discover::FileKind::Compose,
                other => {
                    return Err(at(
                        k.span().start,
                        format!("`overrides.kind`: `{other}` is not `dockerfile` or `compose`"),
                    ));
                }
            }),
        };
        c.overrides.push(Override { globs, patterns, select, ignore, severity, kind });
    }
    if let Some(m) = raw.max_file_size {
        let v = match m.get_ref() {
            toml::Value::Integer(i) if *i > 0 => Some(*i as u64),
            toml::Value::String(t) => parse_size(t),
            _ => None,
        }
        .ok_or_else(|| {
            at(m.span().start, "`max-file-size`: expected a size such as 10MB or a number of bytes".into())
        })?;
        c.max_file_size.set(v, &src);
    }
    if let Some(d) = raw.as_of {
        if berth_rules::rules::lifecycle::Date::parse(d.get_ref()).is_none() {
            return Err(at(d.span().start, format!("`as-of`: `{}` is not a date like \"2026-12-06\"", d.get_ref())));
        }
        c.as_of.set(Some(d.into_inner()), &src);
    }
    if let Some(n) = raw.eol_warning_days {
        c.eol_warning_days.set(Some(n), &src);
    }
    if let Some(r) = raw.registry.as_ref().filter(|r| !r.platforms.is_empty()) {
        for p in &r.platforms {
            if berth_rules::rules::platforms::normalize(p).is_none() {
                let offset = text.find(&format!("\"{p}\"")).or_else(|| text.find("[registry]")).unwrap_or(0);
                return Err(at(offset, format!("`registry.platforms`: `{p}` is not a platform like \"linux/arm64\"")));
            }
        }
        c.platforms.set(r.platforms.clone(), &src);
    }
    if let Some(r) = raw.rule_set {
        if berth_rules::rules::parse_rule_set(r.get_ref()).is_none() {
            return Err(at(r.span().start, format!("`rule-set`: `{}` is not a rule set like \"2026.1\"", r.get_ref())));
        }
        c.rule_set.set(Some(r.into_inner()), &src);
    }
    if let Some(sc) = raw.shellcheck {
        if let Some(b) = sc.enabled {
            c.shellcheck_enabled.set(b, &src);
        }
        if let Some(p) = sc.path {
            let p = if p.is_relative() { path.parent().unwrap_or(Path::new(".")).join(p) } else { p };
            c.shellcheck_path.set(Some(p), &src);
        }
    }
    if let Some(ai) = raw.ai {
        if let Some(k) = ai.unknown_keys().first() {
            let offset = text.find("[ai]").unwrap_or(0);
            return Err(at(offset, format!("`[ai]`: unknown key `{k}`")));
        }
        c.ai.set(ai, &src);
    }
    if let Some(r) = raw.registry {
        c.registry.set(r, &src);
    }
    Ok(c)
}

fn yaml_text(n: &MarkedYaml) -> Option<String> {
    match &n.data {
        YamlData::Value(Scalar::String(s)) => Some(s.to_string()),
        YamlData::Value(Scalar::Integer(i)) => Some(i.to_string()),
        YamlData::Value(Scalar::Boolean(b)) => Some(b.to_string()),
        YamlData::Representation(s, _, _) => Some(s.to_string()),
        _ => None,
    }
}

/// Read a hadolint `.hadolint.yaml`.
pub fn load_yaml(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("berth: {}: cannot read: {e}", path.display()))?;
    let at = |n: &MarkedYaml, msg: String| {
        format!("berth: {}:{}:{}: {msg}", path.display(), n.span.start.line(), n.span.start.col() + 1)
    };
    let docs = MarkedYaml::load_from_str(&text).map_err(|e| {
        format!("berth: {}:{}:{}: {}", path.display(), e.marker().line(), e.marker().col() + 1, e.info())
    })?;
    let src = Source::File(path.to_path_buf());
    let mut c = Config { file: Some(path.to_path_buf()), ..Config::default() };
    let Some(root) = docs.first() else { return Ok(c) };
    let map = match &root.data {
        YamlData::Mapping(m) => m,
        YamlData::Value(Scalar::Null) => return Ok(c),
        _ => return Err(at(root, "expected a mapping of hadolint settings".to_string())),
    };
    let string = |key: &str, n: &MarkedYaml| yaml_text(n).ok_or_else(|| at(n, format!("`{key}`: expected a string")));
    let list = |key: &str, n: &MarkedYaml, single_ok: bool| -> Result<Vec<String>, String> {
        match &n.data {
            YamlData::Sequence(items) => items.iter().map(|i| string(key, i)).collect(),
            YamlData::Value(Scalar::Null) => Ok(Vec::new()),
            _ if single_ok => Ok(vec![string(key, n)?]),
            _ => Err(at(n, format!("`{key}`: expected a list"))),
        }
    };
    let boolean = |key: &str, n: &MarkedYaml| match &n.data {
        YamlData::Value(Scalar::Boolean(b)) => Ok(*b),
        _ => Err(at(n, format!("`{key}`: expected true or false"))),
    };
    for (k, v) in map.iter() {
        let Some(key) = yaml_text(k) else { return Err(at(k, "expected a string key".to_string())) };
        match key.as_str() {
            "ignored" => c.ignore.set(list("ignored", v, false)?, &src),
            "override" => {
                let YamlData::Mapping(levels) = &v.data else {
                    return Err(at(v, "`override`: expected a mapping of severities to rule lists".to_string()));
                };
                let mut all = Vec::new();
                for (lk, lv) in levels.iter() {
                    let level = yaml_text(lk).unwrap_or_default();
                    let sev = Severity::parse(&level)
                        .ok_or_else(|| at(lk, format!("`override`: unknown severity `{level}`")))?;
                    all.extend(list(&format!("override.{level}"), lv, false)?.into_iter().map(|r| (r, sev)));
                }
                c.severity.set(all, &src);
            }
            "failure-threshold" => {
                let s = string(&key, v)?;
                let t = threshold(&s).ok_or_else(|| at(v, format!("`failure-threshold`: unknown severity `{s}`")))?;
                c.failure_threshold.set(t, &src);
            }
            "trustedRegistries" => c.trusted_registries.set(list(&key, v, true)?, &src),
            "label-schema" => {
                let YamlData::Mapping(m) = &v.data else {
                    return Err(at(v, "`label-schema`: expected a mapping of labels to types".to_string()));
                };
                let mut all = Vec::new();
                for (lk, lv) in m.iter() {
                    let name = string("label-schema", lk)?;
                    let ty = string(&format!("label-schema.{name}"), lv)?;
                    let t = LabelType::parse(&ty)
                        .ok_or_else(|| at(lv, format!("`label-schema.{name}`: unknown label type `{ty}`")))?;
                    all.push((name, t));
                }
                c.label_schema.set(all, &src);
            }
            "strict-labels" => c.strict_labels.set(boolean(&key, v)?, &src),
            "no-fail" => c.no_fail.set(boolean(&key, v)?, &src),
            "disable-ignore-pragma" => c.disable_ignore_pragma.set(boolean(&key, v)?, &src),
            // hadolint's output options (format, no-color, verbose, ...) do not apply.
            _ => {}
        }
    }
    Ok(c)
}

fn user_config_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
}

/// The hadolint configuration files, in hadolint's order.
/// Apply dclint's `.dclintrc` (JSON or YAML): `rules: {name: 0 | 1 | 2}` or
/// `{name: [level, {options}]}`; 0 turns the rule off, 1 makes it a warning,
/// 2 an error. Rules berth does not have are skipped, like `quiet`, `debug`
/// and `exclude`.
pub fn apply_dclintrc(path: &Path, c: &mut Config) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("berth: {}: cannot read: {e}", path.display()))?;
    let at = |n: &MarkedYaml, msg: String| {
        format!("berth: {}:{}:{}: {msg}", path.display(), n.span.start.line(), n.span.start.col() + 1)
    };
    let docs = MarkedYaml::load_from_str(&text).map_err(|e| {
        format!("berth: {}:{}:{}: {}", path.display(), e.marker().line(), e.marker().col() + 1, e.info())
    })?;
    let Some(YamlData::Mapping(root)) = docs.first().map(|d| &d.data) else { return Ok(()) };
    let src = Source::File(path.to_path_buf());
    for (k, v) in root.iter() {
        if yaml_text(k).as_deref() != Some("rules") {
            continue;
        }
        let YamlData::Mapping(rules) = &v.data else { return Err(at(v, "`rules`: expected a mapping".into())) };
        let (mut ignore, mut severity, mut enable) =
            (c.ignore.value.clone(), c.severity.value.clone(), c.enable.value.clone());
        for (name, level) in rules.iter() {
            let Some(name_text) = yaml_text(name) else { return Err(at(name, "expected a rule name".into())) };
            let level_node = match &level.data {
                YamlData::Sequence(items) => items.first().unwrap_or(level),
                _ => level,
            };
            let lv = match &level_node.data {
                YamlData::Value(Scalar::Integer(i)) if (0..=2).contains(i) => *i,
                _ => return Err(at(level_node, format!("`rules.{name_text}`: expected 0, 1 or 2"))),
            };
            let Some(meta) = berth_rules::rules::find(&name_text) else { continue };
            match lv {
                0 => ignore.push(meta.code.to_string()),
                1 => severity.push((meta.code.to_string(), Severity::Warning)),
                _ => severity.push((meta.code.to_string(), Severity::Error)),
            }
            if lv > 0 {
                enable.push(meta.code.to_string());
            }
        }
        c.ignore.set(ignore, &src);
        c.enable.set(enable, &src);
        c.severity.set(severity, &src);
    }
    Ok(())
}

fn hadolint_candidates() -> Vec<PathBuf> {
    let mut v = vec![PathBuf::from(".hadolint.yaml"), PathBuf::from(".hadolint.yml")];
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        v.push(PathBuf::from(x).join("hadolint.yaml"));
    }
    if let Some(h) = std::env::var_os("HOME").map(PathBuf::from) {
        v.push(h.join(".config/hadolint.yaml"));
        v.push(h.join(".hadolint/hadolint.yaml"));
        v.push(h.join("hadolint/config.yaml"));
        v.push(h.join(".hadolint.yaml"));
    }
    v
}

/// Finds and caches each folder's configuration.
pub struct Resolver {
    cli: CliOptions,
    by_dir: HashMap<PathBuf, Result<Arc<Config>, String>>,
    fallback: Option<Result<Arc<Config>, String>>,
}

impl Resolver {
    pub fn new(cli: CliOptions) -> Resolver {
        Resolver { cli, by_dir: HashMap::new(), fallback: None }
    }

    fn finish(&self, loaded: Result<Config, String>) -> Result<Arc<Config>, String> {
        let mut c = loaded?;
        c.apply_env(&|k| std::env::var(k).ok())?;
        c.apply_cli(&self.cli);
        Ok(Arc::new(c))
    }

    /// The configuration used when no `berth.toml` is found in a file's folders.
    fn fallback(&mut self) -> Result<Arc<Config>, String> {
        if let Some(r) = &self.fallback {
            return r.clone();
        }
        let loaded = if let Some(p) = user_config_dir().map(|d| d.join("berth/berth.toml")).filter(|p| p.is_file()) {
            load_toml(&p)
        } else if let Some(p) = hadolint_candidates().into_iter().find(|p| p.is_file()) {
            let p = if p.is_relative() { std::env::current_dir().map(|d| d.join(&p)).unwrap_or(p) } else { p };
            load_yaml(&p)
        } else {
            Ok(Config::default())
        };
        // dclint's `.dclintrc` turns Compose rules on and off on top of that.
        let loaded = loaded.and_then(|mut c| {
            if let Some(p) = [".dclintrc", ".dclintrc.json", ".dclintrc.yaml", ".dclintrc.yml"]
                .iter()
                .map(PathBuf::from)
                .find(|p| p.is_file())
            {
                let p = std::env::current_dir().map(|d| d.join(&p)).unwrap_or(p);
                apply_dclintrc(&p, &mut c)?;
            }
            Ok(c)
        });
        let r = self.finish(loaded);
        self.fallback = Some(r.clone());
        r
    }

    /// The configuration of the file at `path` (`-` or a folder: the current folder).
    /// The configuration of one file: its folder's, with the `[[overrides]]`
    /// whose globs match the file's path applied.
    pub fn for_path(&mut self, path: &Path) -> Result<Arc<Config>, String> {
        let base = self.for_folder_of(path)?;
        if base.overrides.is_empty() || path.as_os_str() == "-" {
            return Ok(base);
        }
        let root =
            base.file.as_deref().and_then(Path::parent).map(|p| std::fs::canonicalize(p).unwrap_or(p.to_path_buf()));
        let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let rel = match &root {
            Some(r) => full.strip_prefix(r).map(Path::to_path_buf).unwrap_or(full.clone()),
            None => full.clone(),
        };
        let matching: Vec<&Override> = base.overrides.iter().filter(|o| o.globs.is_match(&rel)).collect();
        if matching.is_empty() {
            return Ok(base);
        }
        let mut c = (*base).clone();
        for o in matching {
            let src = Source::File(base.file.clone().unwrap_or_default());
            // The command line stays on top of the file's overrides.
            if let Some(sel) = &o.select
                && self.cli.select.is_empty()
            {
                c.select.set(Some(sel.clone()), &src);
            }
            if !o.ignore.is_empty() {
                c.ignore.extend(o.ignore.iter().cloned(), &src);
            }
            if !o.severity.is_empty() {
                c.severity.extend(o.severity.iter().cloned(), &src);
            }
            if o.kind.is_some() {
                c.kind = o.kind;
            }
        }
        if !self.cli.severity.is_empty() {
            c.severity.extend(self.cli.severity.iter().cloned(), &Source::Cli);
        }
        Ok(Arc::new(c))
    }

    fn for_folder_of(&mut self, path: &Path) -> Result<Arc<Config>, String> {
        if let Some(p) = self.cli.config.clone() {
            return self.for_dir_key(PathBuf::from("<--config>"), |_| {
                let name = p.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
                if name.contains("dclintrc") || p.extension().is_some_and(|e| e == "json") {
                    // dclint's `-c .dclintrc`.
                    let mut c = Config { file: Some(p.clone()), ..Config::default() };
                    apply_dclintrc(&p, &mut c).map(|()| c)
                } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    load_yaml(&p)
                } else {
                    load_toml(&p)
                }
            });
        }
        let dir = if path.as_os_str() == "-" || path.is_dir() {
            path.to_path_buf()
        } else {
            path.parent().filter(|p| !p.as_os_str().is_empty()).map_or(PathBuf::from("."), Path::to_path_buf)
        };
        let dir = if path.as_os_str() == "-" { PathBuf::from(".") } else { dir };
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        if let Some(r) = self.by_dir.get(&dir) {
            return r.clone();
        }
        let mut found = None;
        for d in dir.ancestors() {
            if let Some(f) = ["berth.toml", ".berth.toml"].iter().map(|n| d.join(n)).find(|p| p.is_file()) {
                found = Some(f);
                break;
            }
            if d.join(".git").exists() {
                break;
            }
        }
        let r = match found {
            // A project's file: its `[ai]` base URL gets no API key unless it is on this machine.
            Some(f) => self.finish(load_toml(&f).map(|mut c| {
                c.ai.value.project_file = Some(f.clone());
                c
            })),
            None => self.fallback(),
        };
        self.by_dir.insert(dir, r.clone());
        r
    }

    fn for_dir_key(
        &mut self,
        key: PathBuf,
        load: impl FnOnce(&Path) -> Result<Config, String>,
    ) -> Result<Arc<Config>, String> {
        if let Some(r) = self.by_dir.get(&key) {
            return r.clone();
        }
        let r = self.finish(load(&key));
        self.by_dir.insert(key, r.clone());
        r
    }
}

/// `SC2086` or `shellcheck` (all ShellCheck codes).
pub fn is_shellcheck_selector(sel: &str) -> bool {
    sel.eq_ignore_ascii_case("shellcheck")
        || (sel.len() > 2 && sel[..2].eq_ignore_ascii_case("SC") && sel[2..].chars().all(|c| c.is_ascii_digit()))
}

/// Whether ShellCheck code `code` (or `shellcheck`, for the notes) is selected.
pub fn shellcheck_code_enabled(selection: &Selection, code: &str) -> bool {
    let names = |s: &String| s.eq_ignore_ascii_case(code) || s.eq_ignore_ascii_case("shellcheck");
    if selection.ignore.iter().any(names) {
        return false;
    }
    match &selection.only {
        Some(list) => list.iter().any(|s| s == "all" || names(s)),
        None => true,
    }
}

/// Whether ShellCheck runs at all under this selection.
pub fn shellcheck_selected(selection: &Selection) -> bool {
    if selection.ignore.iter().any(|s| s.eq_ignore_ascii_case("shellcheck")) {
        return false;
    }
    match &selection.only {
        Some(list) => list.iter().any(|s| s == "all" || is_shellcheck_selector(s)),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        assert_eq!(line_col("a = 1\nbé = x\n", 10), (2, 4));
        assert_eq!(line_col("", 0), (1, 1));
    }

    #[test]
    fn env_goes_on_top() {
        let mut c = Config::default();
        let env = |k: &str| match k {
            "HADOLINT_NOFAIL" => Some("1".to_string()),
            "HADOLINT_OVERRIDE_ERROR" => Some("DL3008, DL3009".to_string()),
            _ => None,
        };
        c.apply_env(&env).unwrap();
        assert!(c.no_fail.value);
        let labels = |k: &str| (k == "HADOLINT_REQUIRE_LABELS").then(|| "maintainer:text, version:semver".to_string());
        let mut l = Config::default();
        l.apply_env(&labels).unwrap();
        assert_eq!(
            l.label_schema.value,
            [("maintainer".into(), LabelType::Text), ("version".into(), LabelType::Semver)]
        );
        let bad = |k: &str| (k == "HADOLINT_REQUIRE_LABELS").then(|| "maintainer".to_string());
        assert!(Config::default().apply_env(&bad).is_err());
        assert_eq!(c.severity.value.len(), 2);
        assert_eq!(c.severity.source, Source::Env("HADOLINT_OVERRIDE_ERROR".into()));
    }
}
