//! Inline suppressions.
//!
//! Accepted forms, each in a comment line:
//! - `# berth ignore=CODE[,CODE] [reason]` and `# hadolint ignore=...`: the next instruction;
//! - `# berth stage ignore=...` and `# hadolint stage ignore=...`: a stage. Directly
//!   above a FROM (where hadolint 2.15.1 reads it), the stage that FROM starts;
//!   anywhere else, the rest of the current stage;
//! - `# berth global ignore=...` and `# hadolint global ignore=...`: the whole file;
//! - BuildKit's `# check=skip=Name[,Name]` directive: the whole file; the same comment
//!   directly above an instruction: that instruction.
//!
//! The list is read as hadolint reads it: spaces and tabs may surround the `=`
//! and the commas (`ignore=DL3013, DL3042`), and a `# comment` may follow.
//! berth also takes free text after the list as a reason, and names as well
//! as codes. Selectors are codes, rule names, BuildKit names or aliases; `all`
//! in a `check=skip` means every BuildKit check.

use crate::syntax::{Dockerfile, Keyword};
use crate::text::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    File,
    /// Findings that start inside this span (an instruction).
    Span(Span),
    /// Findings that start inside this span (a stage, or the rest of one).
    Stage(Span),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub selectors: Vec<String>,
    /// Where each selector is written, in the same order.
    pub selector_spans: Vec<Span>,
    pub scope: Scope,
    /// The comment that asked for it.
    pub comment: Span,
    /// From BuildKit's `check=skip`: `all` means BuildKit checks only.
    pub buildkit: bool,
}

/// Selectors with their byte ranges in the text they were read from.
type Items = Vec<(String, std::ops::Range<usize>)>;

/// How far a pragma reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    Next,
    Stage,
    Global,
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Comma-separated items with their byte ranges, spaces around commas
/// allowed; the list ends at the first item that is not followed by a comma.
fn read_list(text: &str, from: usize) -> Items {
    let mut out = Vec::new();
    let mut at = from;
    loop {
        at += text[at..].len() - text[at..].trim_start_matches(is_blank).len();
        let item_len = text[at..].find(|c: char| c.is_whitespace() || c == ',' || c == '#').unwrap_or(text.len() - at);
        if item_len > 0 {
            out.push((text[at..at + item_len].to_string(), at..at + item_len));
        }
        at += item_len;
        let after = text[at..].trim_start_matches(is_blank);
        match after.strip_prefix(',') {
            Some(_) => at = text.len() - after.len() + 1,
            None => return out,
        }
    }
}

/// Parse `tool [global|stage] ignore = A, B [reason]` after the `#`: the reach
/// and the selectors with their byte ranges in `text`.
fn parse_pragma(text: &str) -> Option<(Reach, Items)> {
    let mut rest = text.trim_start();
    let tool = ["berth", "hadolint"].into_iter().find(|t| rest.starts_with(t))?;
    rest = &rest[tool.len()..];
    if !rest.starts_with(is_blank) {
        return None;
    }
    rest = rest.trim_start_matches(is_blank);
    let mut reach = Reach::Next;
    for (word, r) in [("global", Reach::Global), ("stage", Reach::Stage)] {
        if let Some(after) = rest.strip_prefix(word)
            && after.starts_with(is_blank)
        {
            reach = r;
            rest = after.trim_start_matches(is_blank);
        }
    }
    rest = rest.strip_prefix("ignore")?.trim_start_matches(is_blank).strip_prefix('=')?;
    let selectors = read_list(text, text.len() - rest.len());
    (!selectors.is_empty()).then_some((reach, selectors))
}

/// The `skip=` list of a BuildKit `check=` value such as `skip=A,B;error=true`,
/// with byte ranges in `value`.
fn parse_check_skip(value: &str) -> Items {
    let mut out = Vec::new();
    let mut at = 0;
    for part in value.split(';') {
        let lead = part.len() - part.trim_start().len();
        if let Some(list) = part.trim_start().strip_prefix("skip=") {
            let base = at + lead + "skip=".len();
            let mut pos = base;
            for item in list.split(',') {
                let trimmed = item.trim();
                if !trimmed.is_empty() {
                    let start = pos + (item.len() - item.trim_start().len());
                    out.push((trimmed.to_string(), start..start + trimmed.len()));
                }
                pos += item.len() + 1;
            }
        }
        at += part.len() + 1;
    }
    out
}

/// Split parsed selectors into names and absolute spans, given where the
/// parsed text starts in the file.
fn located(items: Items, base: usize) -> (Vec<String>, Vec<Span>) {
    items.into_iter().map(|(s, r)| (s, Span::new(base + r.start, base + r.end))).unzip()
}

pub fn collect(file: &Dockerfile) -> Vec<Suppression> {
    let mut out = Vec::new();
    if let Some(d) = file.directive("check") {
        let base = d.value_span.start;
        let (selectors, selector_spans) = located(parse_check_skip(&d.value), base);
        if !selectors.is_empty() {
            out.push(Suppression { selectors, selector_spans, scope: Scope::File, comment: d.span, buildkit: true });
        }
    }
    let directive_spans: Vec<Span> = file.directives.iter().map(|d| d.span).collect();
    for c in file.comments.iter().filter(|c| !c.inside_instruction) {
        if directive_spans.contains(&c.span) {
            continue;
        }
        // Where the comment's text starts in the file (it is stored trimmed).
        let raw = file.slice(c.span);
        let base = c.span.start + raw.find(c.text.as_str()).unwrap_or(0);
        // Instructions are in source order: binary search keeps this linear overall.
        let at = file.instructions.partition_point(|i| i.span.start <= c.span.start);
        let next = file.instructions.get(at).map(|i| i.span);
        if let Some((reach, items)) = parse_pragma(&c.text) {
            let (selectors, selector_spans) = located(items, base);
            let scope = match (reach, next) {
                (Reach::Global, _) => Scope::File,
                (_, None) => continue,
                (Reach::Next, Some(s)) => Scope::Span(s),
                (Reach::Stage, Some(s)) => {
                    // To the end of the stage: the instruction before the next FROM.
                    let from = at + 1;
                    let stop = file.instructions[from..]
                        .iter()
                        .position(|i| i.keyword == Keyword::From)
                        .map_or(file.instructions.len(), |p| from + p);
                    let end = file.instructions[stop - 1].span.end;
                    Scope::Stage(Span::new(s.start, end))
                }
            };
            out.push(Suppression { selectors, selector_spans, scope, comment: c.span, buildkit: false });
        } else if let Some(v) = c.text.strip_prefix("check=") {
            // A check comment directly above an instruction applies to it alone.
            let (selectors, selector_spans) = located(parse_check_skip(v), base + "check=".len());
            if let Some(s) = next
                && !selectors.is_empty()
                && file.lines.line_of(s.start) == file.lines.line_of(c.span.start) + 1
            {
                out.push(Suppression {
                    selectors,
                    selector_spans,
                    scope: Scope::Span(s),
                    comment: c.span,
                    buildkit: true,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: Option<(Reach, Items)>) -> Option<(Reach, Vec<String>)> {
        p.map(|(r, items)| (r, items.into_iter().map(|(s, _)| s).collect()))
    }

    #[test]
    fn pragma_forms() {
        let next = |v: &[&str]| Some((Reach::Next, v.iter().map(|s| s.to_string()).collect::<Vec<_>>()));
        assert_eq!(names(parse_pragma("berth ignore=DL3008,DL3009 pinned upstream")), next(&["DL3008", "DL3009"]));
        assert_eq!(names(parse_pragma("hadolint global ignore=DL3006")), Some((Reach::Global, vec!["DL3006".into()])));
        assert_eq!(names(parse_pragma("hadolint stage ignore=DL3006")), Some((Reach::Stage, vec!["DL3006".into()])));
        assert_eq!(names(parse_pragma("hadolint ignore = DL3006")), next(&["DL3006"]));
        // Spaces and tabs around the commas, as hadolint's grammar allows.
        assert_eq!(names(parse_pragma("hadolint ignore=DL3013, DL3042")), next(&["DL3013", "DL3042"]));
        assert_eq!(names(parse_pragma("hadolint ignore=DL3013 ,\tDL3042 # why")), next(&["DL3013", "DL3042"]));
        assert_eq!(names(parse_pragma("hadolint ignore=DL3008,XYZ9,DL3015")), next(&["DL3008", "XYZ9", "DL3015"]));
        assert_eq!(names(parse_pragma("hadolint ignore=DL3008#why")), next(&["DL3008"]));
        assert_eq!(parse_pragma("hadolintignore=DL3006"), None);
        assert_eq!(parse_pragma("hadolint ignore="), None);
        assert_eq!(parse_pragma("just a comment about berth"), None);
        let (_, items) = parse_pragma("hadolint ignore=DL3013, DL3042").unwrap();
        assert_eq!(items[1].1, 24..30);
        let skip: Vec<String> =
            parse_check_skip("skip=StageNameCasing,FromAsCasing;error=true").into_iter().map(|(s, _)| s).collect();
        assert_eq!(skip, ["StageNameCasing", "FromAsCasing"]);
        assert_eq!(parse_check_skip("error=true; skip=A, B")[1].1, 20..21);
    }

    #[test]
    fn stage_scopes_and_selector_spans() {
        let text = "# hadolint stage ignore=DL3008\nFROM a\nRUN x\nFROM b\n# berth stage ignore=DL3009\nRUN y\nRUN z\n";
        let d = Dockerfile::parse(text);
        let s = collect(&d);
        assert_eq!(s[0].scope, Scope::Stage(Span::new(d.instructions[0].span.start, d.instructions[1].span.end)));
        assert_eq!(s[1].scope, Scope::Stage(Span::new(d.instructions[3].span.start, d.instructions[4].span.end)));
        assert_eq!(d.slice(s[0].selector_spans[0]), "DL3008");
        assert_eq!(d.slice(s[1].selector_spans[0]), "DL3009");
        let d = Dockerfile::parse("# check=skip=StageNameCasing, FromAsCasing\nFROM a\n");
        let s = collect(&d);
        assert_eq!(d.slice(s[0].selector_spans[1]), "FromAsCasing");
    }

    #[test]
    fn suppression_as_hadolint_reads_it() {
        use crate::engine::{Selection, lint};
        let codes = |text: &str| -> Vec<&'static str> {
            lint(text, &Selection::only(&["DL3008", "DL3015", "DL3059"])).diagnostics.iter().map(|d| d.code).collect()
        };
        // A list with spaces after the commas silences every code in it.
        assert!(codes("FROM debian:12\n# hadolint ignore=DL3008, DL3015\nRUN apt-get install -y curl\n").is_empty());
        // A blank line or another comment between it and the instruction (hadolint: line + 1 only).
        assert!(
            codes("FROM debian:12\n# hadolint ignore=DL3008,DL3015\n\n# why\nRUN apt-get install -y curl\n").is_empty()
        );
        // An unknown code in the list does not void the others.
        assert!(
            codes("FROM debian:12\n# hadolint ignore=DL3008,XYZ9,DL3015\nRUN apt-get install -y curl\n").is_empty()
        );
        // `stage ignore` above a FROM: that whole stage, not the next one.
        let text = "# hadolint stage ignore=DL3008,DL3015\nFROM debian:12\nRUN apt-get install -y curl\nRUN apt-get install -y jq\nFROM debian:12\nRUN apt-get install -y jq\n";
        assert_eq!(codes(text), ["DL3059", "DL3015", "DL3008"]);
        // Inside a stage: from the next instruction to the end of the stage.
        let text = "FROM debian:12\nRUN true\n# berth stage ignore=DL3059\nRUN echo a\nRUN echo b\nFROM debian:12\nRUN true\nRUN echo c\n";
        assert_eq!(codes(text), ["DL3059"]);
    }
}
