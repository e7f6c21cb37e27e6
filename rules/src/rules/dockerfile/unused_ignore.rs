use crate::engine::ignore::{self, Scope, Suppression};
use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Selection, Severity};
use crate::syntax::Dockerfile;
use crate::text::Span;

/// The rule's findings need every other rule's findings, before inline
/// ignores remove them, so the engine computes them ([`report`]); `check`
/// does nothing.
pub struct UnusedIgnore;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "BD1017",
    name: "unused-ignore",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: false,
    summary: "Remove ignore comments that suppress nothing or name unknown rules",
    docs: r#"## What it checks
Inline ignore comments (`# berth ignore=`, `# hadolint ignore=`, their
`stage` and `global` forms, and BuildKit's `# check=skip=`) that name a rule
which has no finding where the comment applies, or a rule that does not exist.
This is ruff's unused-noqa (RUF100) for Dockerfiles. It is off by default.

A rule counts as unused only when it ran: a rule turned off in the
configuration is not reported, since the comment may matter under another
configuration. Not reported either: ShellCheck codes (`SC2086`; ShellCheck
runs after berth's rules), hadolint codes that berth does not implement
(`DL3005`, say: the comment may be for hadolint), BuildKit check names that
berth does not implement (`InvalidBaseImagePlatform`), and `check=skip=all`.
A name that is none of these (`DL9999`, `XYZ1`, a misspelled rule name) is
unknown.

Each comment gives one finding, at the selector when only one is at fault,
with each offending selector as related information.

## Why it matters
Ignore comments outlive the problems they were written for. A stale one hides
the next real finding of that rule on the instruction, and a misspelled one
(`DL3080` for `DL3008`) silently suppresses nothing while the author believes
the finding is handled.

## Example
```dockerfile
FROM debian:12
# hadolint ignore=DL3008,DL3009
RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
```

## Use instead
```dockerfile
FROM debian:12
RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
```

## Fix
Removes the offending names from the list, or the whole comment line when
every name is at fault. Unsafe: the comment may be meant for another tool or
another configuration, and removing a comment line at the top of the file can
turn a following comment into a parser directive.

## References
- ruff RUF100, unused-noqa: https://docs.astral.sh/ruff/rules/unused-noqa/
- hadolint, ignoring rules inline: https://github.com/hadolint/hadolint#inline-ignores
- Dockerfile build checks, `check=skip`: https://docs.docker.com/reference/build-checks/
"#,
};

impl Rule for UnusedIgnore {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &Context<'_, '_>, _out: &mut Vec<Diagnostic>) {}
}

/// BuildKit's build checks (moby/buildkit `frontend/dockerfile/linter/ruleset.go`).
const BUILDKIT_CHECKS: &[&str] = &[
    "StageNameCasing",
    "FromAsCasing",
    "NoEmptyContinuation",
    "ConsistentInstructionCasing",
    "DuplicateStageName",
    "ReservedStageName",
    "JSONArgsRecommended",
    "MaintainerDeprecated",
    "UndefinedArgInFrom",
    "WorkdirRelativePath",
    "UndefinedVar",
    "MultipleInstructionsDisallowed",
    "LegacyKeyValueFormat",
    "RedundantTargetPlatform",
    "SecretsUsedInArgOrEnv",
    "InvalidDefaultArgInFrom",
    "FromPlatformFlagConstDisallowed",
    "CopyIgnoredFile",
    "InvalidDefinitionDescription",
    "ExposeProtoCasing",
    "ExposeInvalidFormat",
    "InvalidBaseImagePlatform",
];

/// A code of another tool that berth may not know: ShellCheck's `SC####`, or
/// one of hadolint's (DL1001, DL3000-DL3070, DL4000-DL4006).
fn other_tools_code(sel: &str) -> bool {
    let upper = sel.to_ascii_uppercase();
    let number = |p: &str| {
        upper
            .strip_prefix(p)
            .filter(|d| d.len() == 4 && d.chars().all(|c| c.is_ascii_digit()))
            .and_then(|d| d.parse::<u32>().ok())
    };
    number("SC").is_some()
        || number("DL").is_some_and(|n| n == 1001 || (3000..=3070).contains(&n) || (4000..=4006).contains(&n))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Unused,
    Unknown,
}

fn in_scope(s: &Suppression, at: usize) -> bool {
    match s.scope {
        Scope::File => true,
        Scope::Span(sp) | Scope::Stage(sp) => sp.start <= at && at <= sp.end,
    }
}

/// Whether `sel` of `s` is at fault, given the findings before suppression.
fn fault(s: &Suppression, sel: &str, found: &[Diagnostic], selection: &Selection) -> Option<Fault> {
    if s.buildkit && sel.eq_ignore_ascii_case("all") {
        return None;
    }
    let metas = crate::rules::metas();
    let Some(meta) = metas.iter().find(|m| m.matches(sel)) else {
        let known = other_tools_code(sel) || BUILDKIT_CHECKS.iter().any(|b| b.eq_ignore_ascii_case(sel));
        return (!known).then_some(Fault::Unknown);
    };
    if !selection.enabled(meta) {
        return None;
    }
    let used = found.iter().any(|d| d.code == meta.code && in_scope(s, d.span.start));
    (!used).then_some(Fault::Unused)
}

/// The findings of this rule: `found` are every other rule's findings before
/// inline ignores are applied.
pub(crate) fn report(file: &Dockerfile, found: &[Diagnostic], selection: &Selection) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for s in ignore::collect(file) {
        let faults: Vec<(usize, Fault)> = s
            .selectors
            .iter()
            .enumerate()
            .filter_map(|(i, sel)| fault(&s, sel, found, selection).map(|f| (i, f)))
            .collect();
        if faults.is_empty() {
            continue;
        }
        let describe = |i: usize, f: Fault| match f {
            Fault::Unused => format!("`{}` has no finding here to suppress", s.selectors[i]),
            Fault::Unknown => format!("`{}` is not a rule berth knows", s.selectors[i]),
        };
        let parts: Vec<String> = faults.iter().map(|&(i, f)| describe(i, f)).collect();
        let span = match faults.as_slice() {
            [(i, _)] => s.selector_spans[*i],
            _ => s.comment,
        };
        let them = if faults.len() == 1 { "it" } else { "them" };
        let mut d = META.diagnostic(span, format!("{}; remove {them} from this ignore comment", parts.join("; ")));
        if faults.len() > 1 {
            for &(i, f) in &faults {
                d = d.with_related(s.selector_spans[i], describe(i, f));
            }
        }
        if let Some(fix) = removal(file, &s, &faults) {
            d = d.with_fix(fix);
        }
        out.push(d);
    }
    out
}

/// Remove the faulty selectors, or the whole comment line when none is left.
fn removal(file: &Dockerfile, s: &Suppression, faults: &[(usize, Fault)]) -> Option<Fix> {
    let keep: Vec<&str> = (0..s.selectors.len())
        .filter(|i| !faults.iter().any(|(f, _)| f == i))
        .map(|i| file.slice(s.selector_spans[i]))
        .collect();
    if keep.is_empty() {
        // A `check=` parser directive also carries other settings: leave it.
        if file.directives.iter().any(|d| d.span == s.comment) {
            return None;
        }
        let line = file.lines.line_of(s.comment.start);
        let start = file.lines.line_start(line);
        let end = file.lines.line_start(line + 1).max(s.comment.end);
        if file.slice(Span::new(start, s.comment.start)).trim().is_empty() {
            return Some(Fix::unsafe_("Remove the ignore comment", vec![Edit::delete(Span::new(start, end))]));
        }
        return None;
    }
    let (first, last) = (s.selector_spans.first()?, s.selector_spans.last()?);
    let list = Span::new(first.start, last.end);
    let sep = if file.slice(list).contains(", ") { ", " } else { "," };
    Some(Fix::unsafe_("Remove the names that suppress nothing", vec![Edit::replace(list, keep.join(sep))]))
}
