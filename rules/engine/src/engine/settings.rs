//! What rules may be told from outside the file: settings from configuration
//! and the text of files next to it (such as `.dockerignore`). The front end
//! reads them; rules only see the values.

/// The value type a label must have, as in hadolint's `label-schema`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelType {
    Text,
    Url,
    Semver,
    Hash,
    Rfc3339,
    Spdx,
    Email,
}

impl LabelType {
    pub fn parse(s: &str) -> Option<LabelType> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "text" => LabelType::Text,
            "url" => LabelType::Url,
            "semver" => LabelType::Semver,
            "hash" => LabelType::Hash,
            "rfc3339" => LabelType::Rfc3339,
            "spdx" => LabelType::Spdx,
            "email" => LabelType::Email,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LabelType::Text => "text",
            LabelType::Url => "url",
            LabelType::Semver => "semver",
            LabelType::Hash => "hash",
            LabelType::Rfc3339 => "rfc3339",
            LabelType::Spdx => "spdx",
            LabelType::Email => "email",
        }
    }
}

/// Settings of configurable rules. The defaults leave those rules inactive.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// DL3026: registries images may come from (`*` wildcards at either end); empty = rule inactive.
    pub trusted_registries: Vec<String>,
    /// DL3048-DL3058: required labels and their types.
    pub label_schema: Vec<(String, LabelType)>,
    /// DL3050: labels outside the schema are findings.
    pub strict_labels: bool,
    /// BD4001/BC6001: the day end-of-life dates are compared with
    /// (`YYYY-MM-DD`); the front end passes today, `None` means the day the
    /// lifecycle table was compiled.
    pub as_of: Option<String>,
    /// BD4001/BC6001: report an end of life this many days ahead (default 90).
    pub eol_warning_days: Option<u32>,
    /// The project's target platforms (`linux/amd64`, `linux/arm64`), from
    /// `[registry] platforms` and `--platform`.
    pub platforms: Vec<String>,
    /// What registries answered about the images (`--online` only; see `registry.rs`).
    pub registry: Option<crate::engine::registry::RegistryFacts>,
}

impl Settings {
    /// Read the simple `key = value` lines used by rule fixtures:
    /// `trusted-registries = a, b`, `label-schema = name:type, name:type`,
    /// `strict-labels = true`. Unknown keys are an error.
    pub fn from_lines(text: &str) -> Result<Settings, String> {
        let mut s = Settings::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line.split_once('=').ok_or_else(|| format!("line {}: expected key = value", n + 1))?;
            let items = || value.split(',').map(str::trim).filter(|x| !x.is_empty());
            match key.trim() {
                "trusted-registries" => s.trusted_registries = items().map(String::from).collect(),
                "label-schema" => {
                    for item in items() {
                        let (name, ty) =
                            item.rsplit_once(':').ok_or_else(|| format!("line {}: expected label:type", n + 1))?;
                        let ty =
                            LabelType::parse(ty).ok_or_else(|| format!("line {}: unknown label type {ty:?}", n + 1))?;
                        s.label_schema.push((name.trim().to_string(), ty));
                    }
                }
                "strict-labels" => s.strict_labels = value.trim() == "true",
                "as-of" => s.as_of = Some(value.trim().to_string()),
                "eol-warning-days" => {
                    s.eol_warning_days =
                        Some(value.trim().parse().map_err(|_| format!("line {}: expected a number of days", n + 1))?)
                }
                "platforms" => s.platforms = items().map(String::from).collect(),
                other => return Err(format!("line {}: unknown setting {other:?}", n + 1)),
            }
        }
        Ok(s)
    }
}

/// Everything a lint run knows besides the Dockerfile's text.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub settings: Settings,
    /// The `.dockerignore` of the build context (BuildKit's CopyIgnoredFile).
    pub dockerignore: Option<String>,
}
