//! The Compose side of the engine: [`ComposeRule`], the lint driver, inline
//! ignores and fixing. Rules share `RuleMeta`, `Diagnostic`, `Fix` and `Edit`
//! with the Dockerfile side; only what a rule is handed differs.
//!
//! Inline ignores, each in a comment:
//! - `# berth ignore=CODE[,CODE] [reason]` on its own line: the next key and
//!   everything nested under it (the lines indented deeper than that key);
//! - `# berth global ignore=...`: the whole file;
//! - dclint's `# dclint disable-next-line [rule,...]` (the next line),
//!   `# dclint disable-line [rule,...]` at the end of a line (that line) and
//!   `# dclint disable-file`; without rules they cover every rule.

use super::diagnostic::{Category, Diagnostic, FixAvailability, RuleMeta, Severity};
use super::{FixResult, Registry, Safety, Selection, fix};
use crate::compose::project::{ComposeInputs, Project};
use crate::compose::{ComposeFile, Unloaded};
use crate::text::Span;

/// What every Compose rule sees.
pub struct ComposeContext<'a> {
    pub file: &'a ComposeFile,
    /// The project around the file: `.env` values, the override or base file,
    /// included and extended files, build contexts and Dockerfiles. Nothing of
    /// it is known when the file is linted alone ([`lint_compose`]): then
    /// `project.gathered()` is false and the lists are empty, except the later
    /// YAML documents of the file itself.
    pub project: &'a Project<'a>,
    /// Settings from the configuration (lifecycle date, target platforms).
    pub settings: &'a super::Settings,
}

impl<'a> ComposeContext<'a> {
    pub fn text(&self, span: Span) -> &'a str {
        self.file.slice(span)
    }

    /// Whether `name` is defined in `section` (`services`, `networks`,
    /// `volumes`, `secrets`, `configs`, `models`) by this file or by another file
    /// of the project (override or base file, included files, later documents).
    pub fn defined(&self, section: &str, name: &str) -> bool {
        self.file.resolved.get(section).is_some_and(|s| s.entries().iter().any(|(k, _)| k.text == name))
            || self.project.defines(section, name)
    }
}

/// A Compose rule: metadata and a check over the parsed file.
pub trait ComposeRule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>);
}

/// The built-in diagnostic for YAML that cannot be loaded.
pub static YAML_SYNTAX_ERROR: RuleMeta = RuleMeta {
    code: "BC0001",
    name: "yaml-syntax-error",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &["invalid-yaml"],
    default_enabled: true,
    summary: "The Compose file is not valid YAML",
    docs: r#"## What it checks
Text that a YAML parser refuses (an unclosed bracket or quote, a tab used for
indentation, a key at the wrong indentation), and files that berth refuses to
expand: aliases that would produce more than 100,000 nodes (an "alias bomb"),
nesting deeper than 256 levels, or an alias to an unknown anchor.

berth reads YAML as Compose does (go-yaml, a port of libyaml), so what
Compose accepts is not reported even where strict YAML 1.2 readers refuse it:
a flow collection (`[...]`, `{...}`) whose items or closing bracket sit at any
indentation, comments inside flow collections, a TAB after `:`, a `#` comment
right after `,` or a closing quote. A `%YAML` directive other than `1.1` is
reported, as Compose refuses it.

## Why it matters
`docker compose` stops at the first such error. berth reports it at its cause
(a bracket or quote that is never closed is reported where it opens). When the
cause lies inside one service (or one top-level entry such as `networks:`),
berth says so and lints the rest of the file without that entry (findings
that depend on every service or declaration, such as unused or undefined
names, are left out, and no fixes are offered until the file loads);
otherwise the message says that the file was not linted.

## Example
```yaml
services:
  web:
    image: [nginx
```

## Use instead
```yaml
services:
  web:
    image: nginx
```

## References
- YAML 1.2: https://yaml.org/spec/1.2.2/
- dclint `invalid-yaml`
"#,
};

/// The outcome of linting one Compose file.
pub struct ComposeLintResult {
    /// `None` when the YAML could not be loaded (a `BC0001` finding says why).
    pub file: Option<ComposeFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lint a Compose file's text alone.
pub fn lint_compose(rules: &Registry, text: &str, selection: &Selection) -> ComposeLintResult {
    lint_compose_with(rules, text, selection, &ComposeInputs::default())
}

/// Lint a Compose file's text with the files around it, as read by the front
/// end through [`ComposeInputs::gather`].
pub fn lint_compose_with(
    rules: &Registry,
    text: &str,
    selection: &Selection,
    inputs: &ComposeInputs,
) -> ComposeLintResult {
    lint_compose_with_settings(rules, text, selection, inputs, &super::Settings::default())
}

/// [`lint_compose_with`] with settings from the configuration.
pub fn lint_compose_with_settings(
    rules: &Registry,
    text: &str,
    selection: &Selection,
    inputs: &ComposeInputs,
    settings: &super::Settings,
) -> ComposeLintResult {
    lint_compose_loaded(rules, text, ComposeFile::load(text), selection, inputs, settings)
}

/// [`lint_compose_with_settings`] for a text the caller has already read
/// with [`ComposeFile::load`] (to gather its project's files first), so the
/// YAML is read once.
pub fn lint_compose_loaded(
    rules: &Registry,
    text: &str,
    loaded: Result<ComposeFile, Unloaded>,
    selection: &Selection,
    inputs: &ComposeInputs,
    settings: &super::Settings,
) -> ComposeLintResult {
    let (file, mut out) = match loaded {
        Ok(f) => {
            let out = check_all(rules, &f, selection, inputs, settings);
            (Some(f), out)
        }
        Err(e) => (None, lint_unreadable(rules, text, &e, selection, inputs, settings)),
    };
    if !selection.disable_ignore_pragma {
        remove_suppressed_compose(rules, text, &mut out);
    }
    out.sort_by(|a, b| (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code)));
    out.dedup_by(|a, b| a.code == b.code && a.span == b.span && a.message == b.message);
    ComposeLintResult { file, diagnostics: out }
}

fn check_all(
    rules: &Registry,
    f: &ComposeFile,
    selection: &Selection,
    inputs: &ComposeInputs,
    settings: &super::Settings,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let project = Project::new(f, inputs);
    let cx = ComposeContext { file: f, project: &project, settings };
    for rule in rules.compose {
        if selection.enabled(rule.meta()) {
            rule.check(&cx, &mut out);
        }
    }
    out
}

/// Rules whose findings in one place depend on every service of the file
/// (an unused declaration, a dependency's healthcheck): with a service left
/// out they could report what is not so.
const NEED_EVERY_SERVICE: &[&str] = &["BC4005", "BC3003"];

/// Rules whose findings depend on the top-level declarations (`networks`,
/// `volumes`, `secrets`, `configs`, ...) and the references between entries.
const NEED_EVERY_SECTION: &[&str] = &["BC4001", "BC4002", "BC4003", "BC4004", "BC4005", "BC4006", "BC3003"];

/// The findings on a file that does not load: one `BC0001` that says why and
/// what was not linted. When the cause lies inside one service (or one
/// top-level entry other than `services`), the rest of the file is linted
/// without that entry's text (findings there, findings of rules that need
/// every service or every declaration, and fixes are dropped: `docker
/// compose` refuses the file until it is repaired).
fn lint_unreadable(
    rules: &Registry,
    text: &str,
    unloaded: &Unloaded,
    selection: &Selection,
    inputs: &ComposeInputs,
    settings: &super::Settings,
) -> Vec<Diagnostic> {
    let e = &unloaded.error;
    let error = |message: String| {
        let d = YAML_SYNTAX_ERROR.diagnostic(e.span, message);
        match &e.related {
            Some((span, what)) => d.with_related(*span, what.clone()),
            None => d,
        }
    };
    let Some((file, damage)) = ComposeFile::parse_without_damage_of(text, unloaded) else {
        return vec![error(format!("{}; berth could not read this file as YAML, so it did not lint it", e.message))];
    };
    let d = &damage;
    let inside = |s: Span| d.span.start <= s.start && s.start <= d.span.end;
    let mut out: Vec<Diagnostic> = check_all(rules, &file, selection, inputs, settings)
        .into_iter()
        .filter(|x| {
            let skip = if d.top_level { NEED_EVERY_SECTION } else { NEED_EVERY_SERVICE };
            !inside(x.span) && !skip.contains(&x.code) && !x.related.iter().any(|r| inside(r.span))
        })
        .map(|mut x| {
            x.fix = None;
            x
        })
        .collect();
    let what = if d.top_level { format!("the top-level `{}`", d.key) } else { format!("service `{}`", d.key) };
    let lines = if d.lines.0 == d.lines.1 {
        format!("line {}", d.lines.0)
    } else {
        format!("lines {}-{}", d.lines.0, d.lines.1)
    };
    out.push(error(format!(
        "{}; berth could not read {what} ({lines}) and did not lint it; the rest of the file was linted without it (no fixes are offered until the file loads)",
        e.message
    )));
    out
}

/// Apply fixes up to `max_safety` until nothing changes (at most 10 passes).
/// A pass that makes the YAML unreadable is discarded.
pub fn fix_all_compose(rules: &Registry, text: &str, selection: &Selection, max_safety: Safety) -> FixResult {
    fix::repeat(
        text,
        max_safety,
        |t| {
            let r = lint_compose(rules, t, selection);
            (r.diagnostics, r.file.is_some())
        },
        |parsed, next| *parsed && ComposeFile::parse(next).is_err(),
    )
}

struct Suppression {
    /// Empty: every rule.
    selectors: Vec<String>,
    /// Byte range of the lines covered; `None`: the file.
    range: Option<Span>,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()
}

/// The comment part of a line, after its `#`.
fn comment_of(line: &str) -> Option<&str> {
    crate::compose::comment_start(line).map(|i| &line[i + 1..])
}

fn collect(text: &str) -> Vec<Suppression> {
    let lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .scan(0, |at, l| {
            let start = *at;
            *at += l.len();
            Some((start, l.trim_end_matches(['\n', '\r'])))
        })
        .collect();
    let line_span = |i: usize| Span::new(lines[i].0, lines[i].0 + lines[i].1.len());
    let next_code_line = |i: usize| (i + 1..lines.len()).find(|&j| !is_blank_or_comment(lines[j].1));
    let mut out = Vec::new();
    for (i, (_, line)) in lines.iter().enumerate() {
        let Some(comment) = comment_of(line) else { continue };
        let own_line = line.trim_start().starts_with('#');
        let c = comment.trim();
        if let Some(rest) = c.strip_prefix("dclint") {
            let rest = rest.trim_start();
            let word = rest.split_whitespace().next().unwrap_or("");
            let selectors = split_list(rest[word.len()..].trim());
            let range = match word {
                "disable-file" => None,
                "disable-line" => Some(line_span(i)),
                "disable-next-line" => match next_code_line(i) {
                    Some(j) => Some(line_span(j)),
                    None => continue,
                },
                _ => continue,
            };
            out.push(Suppression { selectors, range });
            continue;
        }
        let Some(rest) = c.strip_prefix("berth") else { continue };
        let rest = rest.trim_start();
        let (global, rest) = match rest.strip_prefix("global") {
            Some(r) => (true, r.trim_start()),
            None => (false, rest),
        };
        let Some(list) = rest.strip_prefix("ignore=") else { continue };
        let selectors = split_list(list.split_whitespace().next().unwrap_or(""));
        if selectors.is_empty() {
            continue;
        }
        if global {
            out.push(Suppression { selectors, range: None });
            continue;
        }
        if !own_line {
            out.push(Suppression { selectors, range: Some(line_span(i)) });
            continue;
        }
        let Some(first) = next_code_line(i) else { continue };
        let base = indent(lines[first].1);
        let is_item = lines[first].1.trim_start().starts_with('-');
        let mut last = first;
        for (j, (_, l)) in lines.iter().enumerate().skip(first + 1) {
            if is_blank_or_comment(l) {
                continue;
            }
            let ind = indent(l);
            if ind > base || (ind == base && !is_item && l.trim_start().starts_with('-')) {
                last = j;
            } else {
                break;
            }
        }
        out.push(Suppression { selectors, range: Some(Span::new(lines[first].0, line_span(last).end)) });
    }
    out
}

/// Drop the findings that the file's inline ignore comments suppress.
pub fn remove_suppressed_compose(rules: &Registry, text: &str, out: &mut Vec<Diagnostic>) {
    if !text.contains('#') {
        return;
    }
    let sups = collect(text);
    if sups.is_empty() {
        return;
    }
    out.retain(|d| {
        let meta = rules.by_code(d.code);
        !sups.iter().any(|s| {
            let covers = s.range.is_none_or(|r| r.start <= d.span.start && d.span.start <= r.end);
            covers
                && (s.selectors.is_empty()
                    || s.selectors
                        .iter()
                        .any(|sel| d.code.eq_ignore_ascii_case(sel) || meta.is_some_and(|m| m.matches(sel))))
        })
    });
}
