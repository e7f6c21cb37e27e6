//! Inline suppressions.
//!
//! Accepted forms, each in a comment line:
//! - `# berth ignore=CODE[,CODE] [reason]` and `# hadolint ignore=...`: the next instruction;
//! - `# berth global ignore=...` and `# hadolint global ignore=...`: the whole file;
//! - BuildKit's `# check=skip=Name[,Name]` directive: the whole file; the same comment
//!   directly above an instruction: that instruction.
//!
//! Selectors are codes, rule names, BuildKit names or aliases; `all` in a
//! `check=skip` means every BuildKit check.

use crate::syntax::Dockerfile;
use crate::text::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    File,
    /// Findings that start inside this span (an instruction).
    Span(Span),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub selectors: Vec<String>,
    pub scope: Scope,
    /// The comment that asked for it.
    pub comment: Span,
    /// From BuildKit's `check=skip`: `all` means BuildKit checks only.
    pub buildkit: bool,
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()
}

/// Parse `tool [global] ignore=A,B reason` after the `#`.
fn parse_pragma(text: &str) -> Option<(bool, Vec<String>)> {
    let mut rest = text.trim();
    let tool = ["berth", "hadolint"].into_iter().find(|t| rest.starts_with(t))?;
    rest = rest[tool.len()..].trim_start();
    let global = if let Some(r) = rest.strip_prefix("global") {
        rest = r.trim_start();
        true
    } else {
        false
    };
    let list = rest.strip_prefix("ignore")?.trim_start().strip_prefix('=')?.trim_start();
    // The list ends at the first whitespace; anything after it is a reason.
    let list = list.split_whitespace().next().unwrap_or("");
    let selectors = split_list(list);
    (!selectors.is_empty()).then_some((global, selectors))
}

/// The `skip=` list of a BuildKit `check=` value such as `skip=A,B;error=true`.
fn parse_check_skip(value: &str) -> Vec<String> {
    value.split(';').filter_map(|part| part.trim().strip_prefix("skip=")).flat_map(split_list).collect()
}

pub fn collect(file: &Dockerfile) -> Vec<Suppression> {
    let mut out = Vec::new();
    if let Some(d) = file.directive("check") {
        let selectors = parse_check_skip(&d.value);
        if !selectors.is_empty() {
            out.push(Suppression { selectors, scope: Scope::File, comment: d.span, buildkit: true });
        }
    }
    let directive_spans: Vec<Span> = file.directives.iter().map(|d| d.span).collect();
    for c in file.comments.iter().filter(|c| !c.inside_instruction) {
        if directive_spans.contains(&c.span) {
            continue;
        }
        // Instructions are in source order: binary search keeps this linear overall.
        let at = file.instructions.partition_point(|i| i.span.start <= c.span.start);
        let next = file.instructions.get(at).map(|i| i.span);
        if let Some((global, selectors)) = parse_pragma(&c.text) {
            let scope = if global {
                Scope::File
            } else {
                match next {
                    Some(s) => Scope::Span(s),
                    None => continue,
                }
            };
            out.push(Suppression { selectors, scope, comment: c.span, buildkit: false });
        } else if let Some(v) = c.text.strip_prefix("check=") {
            // A check comment directly above an instruction applies to it alone.
            let selectors = parse_check_skip(v);
            if let Some(s) = next
                && !selectors.is_empty()
                && file.lines.line_of(s.start) == file.lines.line_of(c.span.start) + 1
            {
                out.push(Suppression { selectors, scope: Scope::Span(s), comment: c.span, buildkit: true });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragma_forms() {
        assert_eq!(
            parse_pragma("berth ignore=DL3008,DL3009 pinned upstream"),
            Some((false, vec!["DL3008".into(), "DL3009".into()]))
        );
        assert_eq!(parse_pragma("hadolint global ignore=DL3006"), Some((true, vec!["DL3006".into()])));
        assert_eq!(parse_pragma("hadolint ignore = DL3006"), Some((false, vec!["DL3006".into()])));
        assert_eq!(parse_pragma("just a comment about berth"), None);
        assert_eq!(
            parse_check_skip("skip=StageNameCasing,FromAsCasing;error=true"),
            ["StageNameCasing", "FromAsCasing"]
        );
    }
}
