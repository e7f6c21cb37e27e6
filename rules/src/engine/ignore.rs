//! Inline suppressions.
//!
//! Accepted forms, each in a comment line:
//! - `# berth ignore=CODE[,CODE] [reason]` and `# hadolint ignore=...`: the next instruction;
//! - `# berth global ignore=...` and `# hadolint global ignore=...`: the whole file;
//! - BuildKit's `# check=skip=Name[,Name]` directive: the whole file; the same comment
//!   among the comments attached to an instruction: that instruction.
//!
//! Selectors are codes, rule names, BuildKit names or aliases; `all` in a
//! `check=skip` means every BuildKit check that is not experimental.
//!
//! `# check=` is read as BuildKit reads it (`linter.ParseLintOptions`,
//! `Linter.WithMergedConfigFromComments`): only the text before the first
//! space counts, so `# check=skip=A // why` skips `A`, and
//! `experimental=Name` (or `all`) turns on BuildKit's experimental checks.

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

/// A BuildKit `check=` value (`skip=A,B;experimental=C;error=true`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// `skip=` names, or `["all"]`.
    pub skip: Vec<String>,
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
    let value = value.split(' ').next().unwrap_or("").trim();
    let mut out = CheckOptions::default();
    if value.is_empty() {
        return Some(out);
    }
    for part in value.splitn(3, ';') {
        let (k, v) = part.split_once('=')?;
        let v = v.trim();
        let list =
            || if v == "all" { vec!["all".to_string()] } else { v.split(',').map(|x| x.trim().to_string()).collect() };
        match k.trim() {
            "skip" => out.skip = list(),
            "experimental" => out.experimental = list(),
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
    out.skip.retain(|x| !x.is_empty());
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
/// parser directives excepted. Gives (instruction span, comment span, options).
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
            if let Some(opts) = parse_check_options(&t[vs..ve]) {
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

pub fn collect(file: &Dockerfile) -> Vec<Suppression> {
    let mut out = Vec::new();
    let check = file.check_directive();
    if let Some(d) = &check
        && let Some(opts) = parse_check_options(&d.value)
        && !opts.skip.is_empty()
    {
        out.push(Suppression { selectors: opts.skip, scope: Scope::File, comment: d.span, buildkit: true });
    }
    for (inst, comment, opts) in instruction_checks(file) {
        if check.as_ref().is_some_and(|d| d.span == comment) || opts.skip.is_empty() {
            continue;
        }
        out.push(Suppression { selectors: opts.skip, scope: Scope::Span(inst), comment, buildkit: true });
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
