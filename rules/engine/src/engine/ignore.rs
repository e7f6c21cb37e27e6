//! Inline suppressions.
//!
//! Accepted forms, each in a comment line:
//! - `# berth ignore=CODE[,CODE] [reason]` and `# hadolint ignore=...`: the next instruction;
//! - `# berth stage ignore=...` and `# hadolint stage ignore=...`: a stage. Directly
//!   above a FROM (where hadolint 2.15.1 reads it), the stage that FROM starts;
//!   anywhere else, the rest of the current stage;
//! - `# berth global ignore=...` and `# hadolint global ignore=...`: the whole file;
//! - BuildKit's `# check=skip=Name[,Name]` directive: the whole file; the same comment
//!   among the comments attached to an instruction: that instruction.
//!
//! The list is read as hadolint reads it: spaces and tabs may surround the `=`
//! and the commas (`ignore=DL3013, DL3042`), and a `# comment` may follow.
//! berth also takes free text after the list as a reason, and names as well
//! as codes. Selectors are codes, rule names, BuildKit names or aliases; `all`
//! in a `check=skip` means every BuildKit check that is not experimental.
//!
//! `# check=` is read as BuildKit reads it (`linter.ParseLintOptions`,
//! `Linter.WithMergedConfigFromComments`): only the text before the first
//! space counts, so `# check=skip=A // why` skips `A`, and
//! `experimental=Name` (or `all`) turns on BuildKit's experimental checks.

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

/// A BuildKit `check=` value (`skip=A,B;experimental=C;error=true`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// `skip=` names, or `["all"]`.
    pub skip: Vec<String>,
    /// Where each `skip=` name is written, as byte ranges in the value given
    /// to [`parse_check_options`].
    pub skip_ranges: Vec<std::ops::Range<usize>>,
    /// `experimental=` names, or `["all"]`.
    pub experimental: Vec<String>,
}

/// Parse a `check=` value as BuildKit does: only the text before the first
/// space (`strings.Cut(value, " ")`), options separated by `;` (at most three
/// parts, `strings.SplitN`), each `key=value` with `skip`, `experimental` or
/// `error`. `None` when BuildKit rejects it (a part without `=`, an unknown
/// key, a bad boolean): the build fails for a file directive, and a comment
/// on an instruction is ignored.
pub fn parse_check_options(value: &str) -> Option<CheckOptions> {
    let first = value.split(' ').next().unwrap_or("");
    let lead = first.len() - first.trim_start().len();
    let value = first.trim();
    let mut out = CheckOptions::default();
    if value.is_empty() {
        return Some(out);
    }
    let mut at = lead;
    for part in value.splitn(3, ';') {
        let part_start = at;
        at += part.len() + 1;
        let (k, v) = part.split_once('=')?;
        let v_start = part_start + k.len() + 1;
        let v_lead = v.len() - v.trim_start().len();
        let v = v.trim();
        match k.trim() {
            "skip" => {
                out.skip.clear();
                out.skip_ranges.clear();
                let mut pos = v_start + v_lead;
                for item in v.split(',') {
                    let name = item.trim();
                    if !name.is_empty() {
                        let start = pos + (item.len() - item.trim_start().len());
                        out.skip.push(name.to_string());
                        out.skip_ranges.push(start..start + name.len());
                    }
                    pos += item.len() + 1;
                }
            }
            "experimental" => {
                out.experimental = if v == "all" {
                    vec!["all".to_string()]
                } else {
                    v.split(',').map(|x| x.trim().to_string()).collect()
                };
            }
            "error" => {
                if !matches!(
                    v,
                    "1" | "t" | "T" | "true" | "TRUE" | "True" | "0" | "f" | "F" | "false" | "FALSE" | "False"
                ) {
                    return None;
                }
            }
            _ => return None,
        }
    }
    out.experimental.retain(|x| !x.is_empty());
    Some(out)
}

/// The text BuildKit keeps for a comment line (`Node.PrevComment`): the line
/// minus its first byte, trimmed. For a comment indented by blanks the first
/// byte is a blank, so the text still starts with `#`.
fn buildkit_comment_text<'f>(file: &'f Dockerfile, c: &crate::syntax::Comment) -> &'f str {
    let text = &*file.text;
    let at_line_start = c.span.start == 0
        || (c.span.start == 3 && text.starts_with('\u{feff}'))
        || text.as_bytes().get(c.span.start.wrapping_sub(1)) == Some(&b'\n');
    let raw = file.slice(c.span);
    if at_line_start { raw.get(1..).unwrap_or("").trim() } else { raw.trim() }
}

/// Per instruction, the first `check=` comment among the comments BuildKit
/// attaches to it: every top-level comment since the previous instruction
/// (blank lines do not detach them; a bare `#` line drops those above it),
/// parser directives excepted. Gives (instruction span, comment span, options),
/// with the options' `skip_ranges` made absolute (byte offsets in the file).
pub fn instruction_checks(file: &Dockerfile) -> Vec<(Span, Span, CheckOptions)> {
    let directive_spans: Vec<Span> = file.directives.iter().map(|d| d.span).collect();
    let mut out = Vec::new();
    let mut attached: Vec<&crate::syntax::Comment> = Vec::new();
    let mut comments = file.comments.iter().filter(|c| !c.inside_instruction).peekable();
    for inst in &file.instructions {
        attached.clear();
        while let Some(c) = comments.next_if(|c| c.span.start < inst.span.start) {
            if directive_spans.contains(&c.span) {
                continue;
            }
            if buildkit_comment_text(file, c).is_empty() {
                attached.clear();
            } else {
                attached.push(c);
            }
        }
        for c in &attached {
            let t = buildkit_comment_text(file, c);
            let Some((name, vs, ve)) = crate::syntax::dockerfile::directive_parts(t) else { continue };
            if name != "check" {
                continue;
            }
            if let Some(mut opts) = parse_check_options(&t[vs..ve]) {
                // `t` is a slice of the file's text: where its value starts.
                let base = t.as_ptr() as usize - file.text.as_ptr() as usize + vs;
                for r in &mut opts.skip_ranges {
                    *r = r.start + base..r.end + base;
                }
                out.push((inst.span, c.span, opts));
            }
            break;
        }
    }
    out
}

/// BuildKit's experimental checks that a `check=experimental=` turns on:
/// (rule name, whether the file turns it on everywhere, instruction spans it
/// is turned on for).
pub fn experimental_enabled(file: &Dockerfile, name: &str) -> (bool, Vec<Span>) {
    let names = |o: &CheckOptions| o.experimental.iter().any(|x| x == "all" || x == name);
    let file_wide = file.check_directive().and_then(|d| parse_check_options(&d.value)).is_some_and(|o| names(&o));
    let scoped = if file_wide {
        Vec::new()
    } else {
        instruction_checks(file).into_iter().filter(|(_, _, o)| names(o)).map(|(s, _, _)| s).collect()
    };
    (file_wide, scoped)
}

/// Split parsed selectors into names and absolute spans, given where the
/// parsed text starts in the file.
fn located(items: Items, base: usize) -> (Vec<String>, Vec<Span>) {
    items.into_iter().map(|(s, r)| (s, Span::new(base + r.start, base + r.end))).unzip()
}

pub fn collect(file: &Dockerfile) -> Vec<Suppression> {
    let mut out = Vec::new();
    let check = file.check_directive();
    if let Some(d) = &check
        && let Some(opts) = parse_check_options(&d.value)
        && !opts.skip.is_empty()
    {
        let base = d.value_span.start;
        let selector_spans = opts.skip_ranges.iter().map(|r| Span::new(base + r.start, base + r.end)).collect();
        out.push(Suppression {
            selectors: opts.skip,
            selector_spans,
            scope: Scope::File,
            comment: d.span,
            buildkit: true,
        });
    }
    for (inst, comment, opts) in instruction_checks(file) {
        if check.as_ref().is_some_and(|d| d.span == comment) || opts.skip.is_empty() {
            continue;
        }
        let selector_spans = opts.skip_ranges.iter().map(|r| Span::new(r.start, r.end)).collect();
        out.push(Suppression {
            selectors: opts.skip,
            selector_spans,
            scope: Scope::Span(inst),
            comment,
            buildkit: true,
        });
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
    }

    #[test]
    fn check_options_as_buildkit_reads_them() {
        let skip = |v: &str| parse_check_options(v).map(|o| o.skip);
        assert_eq!(skip("skip=StageNameCasing,FromAsCasing;error=true").unwrap(), ["StageNameCasing", "FromAsCasing"]);
        // Only the text before the first space counts: a reason may follow.
        assert_eq!(skip("skip=JSONArgsRecommended // exec form breaks the wrapper").unwrap(), ["JSONArgsRecommended"]);
        assert_eq!(skip("skip=all reason").unwrap(), ["all"]);
        // `skip=A, B` is `skip=A,`: B is not skipped.
        assert_eq!(skip("skip=A, B").unwrap(), ["A"]);
        // `skip=A; error=true` is `skip=A;`, whose empty part BuildKit rejects.
        assert_eq!(skip("skip=A; error=true"), None);
        assert_eq!(skip("skip=A;error=maybe"), None);
        assert_eq!(skip("bogus=1"), None);
        let o = parse_check_options("experimental=InvalidDefinitionDescription;skip=all").unwrap();
        assert_eq!(o.experimental, ["InvalidDefinitionDescription"]);
        assert_eq!(parse_check_options("experimental=all").unwrap().experimental, ["all"]);
    }

    #[test]
    fn instruction_checks_follow_attached_comments() {
        let src = "FROM a\n# check=skip=A // why\n# other note\n\nCMD x\n# check=skip=B\n#\nCMD y\n  # check=skip=C\nCMD z\n#check = skip=D;experimental=E\nCMD w\n";
        let f = Dockerfile::parse(src);
        let got: Vec<(String, Vec<String>, Vec<String>)> = instruction_checks(&f)
            .into_iter()
            .map(|(s, _, o)| (f.slice(s).to_string(), o.skip, o.experimental))
            .collect();
        assert_eq!(
            got,
            [
                ("CMD x".to_string(), vec!["A".to_string()], vec![]),
                ("CMD w".to_string(), vec!["D".to_string()], vec!["E".to_string()]),
            ],
            "a blank line does not detach, a bare `#` does, an indented comment is not a check"
        );
    }

    #[test]
    fn selector_positions() {
        let (_, items) = parse_pragma("hadolint ignore=DL3013, DL3042").unwrap();
        assert_eq!(items[1].1, 24..30);
        let o = parse_check_options("error=true;skip=A,B").unwrap();
        assert_eq!(o.skip_ranges, [16..17, 18..19]);
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
        let d = Dockerfile::parse("# check=skip=StageNameCasing,FromAsCasing // why\nFROM a\n");
        let s = collect(&d);
        assert_eq!(d.slice(s[0].selector_spans[1]), "FromAsCasing");
    }

    #[test]
    fn file_check_directive_forms() {
        let skip = |src: &str| {
            let f = Dockerfile::parse(src);
            collect(&f).into_iter().filter(|s| s.scope == Scope::File).flat_map(|s| s.selectors).collect::<Vec<_>>()
        };
        assert_eq!(skip("# check=skip=A // reason\nFROM a\n"), ["A"]);
        assert_eq!(skip("#!/usr/bin/env docker\n# check=skip=A\nFROM a\n"), ["A"], "a shebang line is skipped");
        assert!(skip("  # check=skip=A\nFROM a\n").is_empty(), "blanks before # end the block");
        assert!(skip("# foo=bar\n# check=skip=A\nFROM a\n").is_empty());
        assert_eq!(skip("# syntax=docker/dockerfile:1\n# CHECK = skip=A\nFROM a\n"), ["A"]);
        let f = Dockerfile::parse("# check=experimental=InvalidDefinitionDescription\nFROM a\n");
        assert_eq!(experimental_enabled(&f, "InvalidDefinitionDescription"), (true, vec![]));
        let f = Dockerfile::parse("FROM a\n# check=experimental=all\nARG X\n");
        let (all, spans) = experimental_enabled(&f, "InvalidDefinitionDescription");
        assert!(!all);
        assert_eq!(spans.iter().map(|s| f.slice(*s)).collect::<Vec<_>>(), ["ARG X"]);
    }
}
