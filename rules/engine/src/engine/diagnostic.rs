//! Diagnostics, fixes and rule metadata.

use crate::text::Span;

/// How serious a finding is. Ordered from most to least serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Style,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "style" => Some(Severity::Style),
            _ => None,
        }
    }

    /// True when `self` is at least as serious as `threshold`.
    pub fn at_least(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

/// Whether a fix keeps the meaning of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Safety {
    /// Keeps what the build does; `berth fix` applies it.
    Safe,
    /// Changes what the build does (usually for the better); applied only on request.
    Unsafe,
}

impl Safety {
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Unsafe => "unsafe",
        }
    }
}

/// Replace the text in `span` with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

impl Edit {
    pub fn replace(span: Span, new_text: impl Into<String>) -> Edit {
        Edit { span, new_text: new_text.into() }
    }
    pub fn insert(at: usize, new_text: impl Into<String>) -> Edit {
        Edit { span: Span::empty(at), new_text: new_text.into() }
    }
    pub fn delete(span: Span) -> Edit {
        Edit { span, new_text: String::new() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub safety: Safety,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { title: title.into(), safety: Safety::Safe, edits }
    }
    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { title: title.into(), safety: Safety::Unsafe, edits }
    }
}

/// A place related to a finding, such as the earlier duplicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub fix: Option<Fix>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related { span, message: message.into() });
        self
    }
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// What a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Syntax,
    Correctness,
    Security,
    Maintainability,
    Performance,
    Style,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Correctness => "correctness",
            Category::Security => "security",
            Category::Maintainability => "maintainability",
            Category::Performance => "performance",
            Category::Style => "style",
        }
    }
}

/// Whether findings of a rule come with a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

impl FixAvailability {
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "no",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::Always => "yes",
        }
    }
}

/// Everything about a rule except its check.
#[derive(Debug)]
pub struct RuleMeta {
    /// `DL3008` for hadolint's rules, `BD####` for berth's own Dockerfile rules.
    pub code: &'static str,
    /// kebab-case, says what is checked.
    pub name: &'static str,
    pub severity: Severity,
    pub category: Category,
    pub fix: FixAvailability,
    /// The BuildKit check with the same meaning, if any.
    pub buildkit: Option<&'static str>,
    /// Other names accepted in ignores and configuration.
    pub aliases: &'static [&'static str],
    pub default_enabled: bool,
    /// One line.
    pub summary: &'static str,
    /// Markdown: what it checks, why it matters, example, fix, references.
    pub docs: &'static str,
}

impl RuleMeta {
    /// The common values, for `..RuleMeta::DEFAULT` in a rule's `META`: a
    /// warning about correctness, no fix, no BuildKit name, no aliases, on by
    /// default. A rule states its code, name, summary and docs (a test checks
    /// they are set) and whatever else differs.
    pub const DEFAULT: RuleMeta = RuleMeta {
        code: "",
        name: "",
        severity: Severity::Warning,
        category: Category::Correctness,
        fix: FixAvailability::None,
        buildkit: None,
        aliases: &[],
        default_enabled: true,
        summary: "",
        docs: "",
    };

    /// A diagnostic of this rule.
    pub fn diagnostic(&'static self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: self.code,
            name: self.name,
            severity: self.severity,
            message: message.into(),
            span,
            fix: None,
            related: Vec::new(),
        }
    }

    /// True when `selector` names this rule: its code, name, BuildKit name or an alias
    /// (case-insensitive).
    pub fn matches(&self, selector: &str) -> bool {
        let s = selector.trim();
        self.code.eq_ignore_ascii_case(s)
            || self.name.eq_ignore_ascii_case(s)
            || self.buildkit.is_some_and(|b| b.eq_ignore_ascii_case(s))
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(s))
    }
}
