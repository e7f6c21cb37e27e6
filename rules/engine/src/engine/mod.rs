//! Rule engine: runs the rules over the model, turns syntax errors into
//! diagnostics, honours inline ignores, and applies fixes.

pub mod compose;
pub mod diagnostic;
pub mod fix;
pub mod ignore;
pub mod registry;
pub mod settings;

pub use crate::compose::project::ComposeInputs;
pub use compose::{
    ComposeContext, ComposeLintResult, ComposeRule, YAML_SYNTAX_ERROR, fix_all_compose, lint_compose,
    lint_compose_with, lint_compose_with_settings, remove_suppressed_compose,
};
pub use diagnostic::{Category, Diagnostic, Edit, Fix, FixAvailability, Related, RuleMeta, Safety, Severity};
pub use settings::{Inputs, LabelType, Settings};

use crate::model::Model;
use crate::syntax::{Dockerfile, Instruction, Keyword};
use crate::text::Span;

/// What every rule sees.
pub struct Context<'m, 'a> {
    pub model: &'m Model<'a>,
    pub file: &'a Dockerfile,
    /// Settings and neighbouring files, read by the front end.
    pub inputs: &'m Inputs,
}

impl<'m, 'a> Context<'m, 'a> {
    pub fn text(&self, span: Span) -> &'a str {
        self.file.slice(span)
    }

    /// Instructions with this keyword (ONBUILD triggers included, looked
    /// through), with the index of the instruction that holds them.
    pub fn each(&self, keyword: Keyword) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
        self.file
            .instructions
            .iter()
            .enumerate()
            .map(|(i, inst)| (i, inst.effective()))
            .filter(move |(_, inst)| inst.keyword == keyword)
    }
}

/// A rule: metadata (with its documentation) and a check over the model.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>);
}

/// The rules a lint runs. The crate that defines the rules (`berth-rules`)
/// hands them in; the engine never names a rule.
#[derive(Clone, Copy)]
pub struct Registry {
    /// Dockerfile rules, in code order.
    pub dockerfile: &'static [&'static dyn Rule],
    /// Compose rules, in code order.
    pub compose: &'static [&'static dyn ComposeRule],
    /// The unused-ignore rule (BD1017), judged by the engine after the other
    /// rules and before inline ignores apply: its metadata and its report
    /// over every finding before suppression.
    pub unused_ignore: Option<UnusedIgnore>,
}

/// See [`Registry::unused_ignore`].
#[derive(Clone, Copy)]
pub struct UnusedIgnore {
    pub meta: &'static RuleMeta,
    pub report: fn(&Dockerfile, &[Diagnostic], &Selection) -> Vec<Diagnostic>,
}

impl Registry {
    /// Every rule's metadata: the Dockerfile syntax-error pseudo-rule, the
    /// Dockerfile rules, the YAML syntax-error pseudo-rule, the Compose rules.
    pub fn metas(&self) -> impl Iterator<Item = &'static RuleMeta> + use<> {
        let (dockerfile, compose) = (self.dockerfile, self.compose);
        std::iter::once(&SYNTAX_ERROR)
            .chain(dockerfile.iter().map(|r| r.meta()))
            .chain(std::iter::once(&YAML_SYNTAX_ERROR))
            .chain(compose.iter().map(|r| r.meta()))
    }

    /// The metadata of the rule with this code (or a syntax-error pseudo-rule).
    pub fn by_code(&self, code: &str) -> Option<&'static RuleMeta> {
        self.metas().find(|m| m.code.eq_ignore_ascii_case(code))
    }
}

/// The built-in diagnostic for parse errors.
pub static SYNTAX_ERROR: RuleMeta = RuleMeta {
    code: "BD0001",
    name: "syntax-error",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &["DL1000"],
    default_enabled: true,
    summary: "The Dockerfile cannot be parsed as written",
    docs: r#"## What it checks
Text that the Docker builder would refuse to parse: an unknown instruction (with a
did-you-mean when a keyword is close), an instruction without arguments, an
unterminated heredoc, a bad `# escape=` directive, a parser directive given
twice, a `# check=` directive the builder cannot read, an exec-form JSON array
with an element that is not a string (`CMD ["run", 1]`), a line longer than
65535 bytes, or bytes that are not UTF-8.

## Why it matters
The build fails at this line. berth reports the problem at its exact range and
goes on modelling and linting the rest of the file, so one typo does not hide
every other finding.

## Example
```dockerfile
FROM alpine:3.20
RUNN apk add --no-cache curl
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache curl
```

## References
- Dockerfile reference: https://docs.docker.com/reference/dockerfile/
"#,
};

/// Which rules run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// When set, only rules matching one of these selectors run (syntax errors always do).
    pub only: Option<Vec<String>>,
    /// Rules to turn off.
    pub ignore: Vec<String>,
    /// Also run rules that are off by default.
    pub include_off_by_default: bool,
    /// Rules that are off by default but turned on by name (a `.dclintrc`
    /// level, a severity given in config); `ignore` still wins.
    pub enable: Vec<String>,
    /// Disregard inline `ignore` pragmas.
    pub disable_ignore_pragma: bool,
}

impl Selection {
    pub fn only(codes: &[&str]) -> Selection {
        Selection {
            only: Some(codes.iter().map(|s| s.to_string()).collect()),
            include_off_by_default: true,
            ..Selection::default()
        }
    }

    pub fn enabled(&self, meta: &RuleMeta) -> bool {
        if self.ignore.iter().any(|s| meta.matches(s)) {
            return false;
        }
        match &self.only {
            Some(list) => list.iter().any(|s| s == "all" || meta.matches(s)),
            None => meta.default_enabled || self.include_off_by_default || self.enable.iter().any(|s| meta.matches(s)),
        }
    }
}

/// The outcome of linting one Dockerfile.
pub struct LintResult {
    pub file: Dockerfile,
    pub diagnostics: Vec<Diagnostic>,
}

/// Decode bytes as UTF-8. Invalid bytes become U+FFFD and the first one is
/// reported as a syntax error.
pub fn decode(bytes: &[u8]) -> (String, Option<usize>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(e) => (String::from_utf8_lossy(bytes).into_owned(), Some(e.valid_up_to())),
    }
}

/// Lint a Dockerfile's text.
pub fn lint(rules: &Registry, text: &str, selection: &Selection) -> LintResult {
    lint_with(rules, text, selection, &Inputs::default())
}

/// Lint a Dockerfile's text with settings and neighbouring files.
pub fn lint_with(rules: &Registry, text: &str, selection: &Selection, inputs: &Inputs) -> LintResult {
    let file = Dockerfile::parse(text);
    let diagnostics = lint_parsed_with(rules, &file, selection, inputs);
    LintResult { file, diagnostics }
}

/// Lint an already parsed Dockerfile.
pub fn lint_parsed(rules: &Registry, file: &Dockerfile, selection: &Selection) -> Vec<Diagnostic> {
    lint_parsed_with(rules, file, selection, &Inputs::default())
}

/// Lint an already parsed Dockerfile with settings and neighbouring files.
pub fn lint_parsed_with(
    rules: &Registry,
    file: &Dockerfile,
    selection: &Selection,
    inputs: &Inputs,
) -> Vec<Diagnostic> {
    lint_parsed_with_args(rules, file, selection, inputs, &[])
}

/// Lint a Dockerfile's text as built with these build arguments (`--build-arg`,
/// a Compose service's `build.args`): they replace the defaults of the ARGs
/// they name, so rules judge the values the build will use.
pub fn lint_with_args(
    rules: &Registry,
    text: &str,
    selection: &Selection,
    inputs: &Inputs,
    build_args: &[(String, String)],
) -> LintResult {
    let file = Dockerfile::parse(text);
    let diagnostics = lint_parsed_with_args(rules, &file, selection, inputs, build_args);
    LintResult { file, diagnostics }
}

/// [`lint_parsed_with`] with build arguments.
pub fn lint_parsed_with_args(
    rules: &Registry,
    file: &Dockerfile,
    selection: &Selection,
    inputs: &Inputs,
    build_args: &[(String, String)],
) -> Vec<Diagnostic> {
    lint_model(rules, file, Model::build_with_args(file, build_args), selection, inputs)
}

/// [`lint_with`] for an editor that lints successive versions of one file:
/// RUN scripts unchanged since the previous version are not parsed again.
pub fn lint_with_cache(
    rules: &Registry,
    text: impl Into<std::sync::Arc<str>>,
    selection: &Selection,
    inputs: &Inputs,
    scripts: &mut crate::shell::ScriptCache,
) -> LintResult {
    let file = Dockerfile::parse_shared(text.into());
    let text = &*file.text;
    let model = Model::build_cached(&file, &[], Some(scripts));
    // Large files: the rules run on two threads (an editor waits for them).
    let threads = if text.len() >= 16 * 1024 { 2 } else { 1 };
    let diagnostics = lint_model_on(rules, &file, model, selection, inputs, threads);
    LintResult { file, diagnostics }
}

fn lint_model(
    rules: &Registry,
    file: &Dockerfile,
    model: Model<'_>,
    selection: &Selection,
    inputs: &Inputs,
) -> Vec<Diagnostic> {
    lint_model_on(rules, file, model, selection, inputs, 1)
}

fn lint_model_on(
    registry: &Registry,
    file: &Dockerfile,
    model: Model<'_>,
    selection: &Selection,
    inputs: &Inputs,
    threads: usize,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> =
        file.errors.iter().map(|e| SYNTAX_ERROR.diagnostic(e.span, e.message.clone())).collect();
    // BuildKit fails the build on a `# check=` directive it cannot parse
    // ("failed to parse check options").
    if let Some(d) = file.check_directive()
        && ignore::parse_check_options(&d.value).is_none()
    {
        out.push(SYNTAX_ERROR.diagnostic(
            d.value_span,
            "invalid `check` directive: the builder expects `skip=...`, `experimental=...` or `error=true|false` separated by `;` (only the text before the first space counts)",
        ));
    }
    let cx = Context { model: &model, file, inputs };
    let mut rules: Vec<&dyn Rule> =
        registry.dockerfile.iter().copied().filter(|r| selection.enabled(r.meta())).collect();
    // BuildKit's experimental checks that the file turns on with
    // `# check=experimental=...` (off by default, never against the selection).
    let mut experimental_scoped: Vec<(&'static str, Vec<Span>)> = Vec::new();
    if selection.only.is_none() {
        for r in registry.dockerfile.iter().copied() {
            let meta = r.meta();
            let Some(name) = meta.buildkit.filter(|n| BUILDKIT_EXPERIMENTAL.contains(n)) else { continue };
            if selection.enabled(meta) || selection.ignore.iter().any(|s| meta.matches(s)) {
                continue;
            }
            let (file_wide, spans) = ignore::experimental_enabled(file, name);
            if file_wide || !spans.is_empty() {
                rules.push(r);
            }
            if !file_wide && !spans.is_empty() {
                experimental_scoped.push((meta.code, spans));
            }
        }
    }
    if threads > 1 && rules.len() > 1 {
        // Every other rule on a second thread; the order of findings is fixed
        // by the sort below (each rule's own order is kept).
        let (cx, rules) = (&cx, &rules);
        let theirs = std::thread::scope(|s| {
            let other = s.spawn(move || {
                let mut o = Vec::new();
                for r in rules.iter().skip(1).step_by(2) {
                    r.check(cx, &mut o);
                }
                o
            });
            for r in rules.iter().step_by(2) {
                r.check(cx, &mut out);
            }
            other.join()
        });
        match theirs {
            Ok(found) => out.extend(found),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    } else {
        for rule in rules {
            rule.check(&cx, &mut out);
        }
    }
    for (code, spans) in &experimental_scoped {
        out.retain(|d| d.code != *code || spans.iter().any(|s| s.start <= d.span.start && d.span.start <= s.end));
    }
    if !selection.disable_ignore_pragma {
        // Unused ignores are judged against the findings before suppression.
        let unused = match registry.unused_ignore {
            Some(u) if selection.enabled(u.meta) => unused_ignores(registry, u, &cx, &out, selection),
            _ => Vec::new(),
        };
        remove_suppressed(registry, file, &mut out);
        out.extend(unused);
    }
    out.sort_by(|a, b| (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code)));
    out.dedup_by(|a, b| a.code == b.code && a.span == b.span && a.message == b.message);
    out
}

/// The unused-ignore findings. A rule named in an ignore comment counts when
/// it would run without `--select` narrowing the run (it is on by default or
/// turned on, and not turned off); such rules that did not run are run here,
/// for this judgement only.
fn unused_ignores(
    registry: &Registry,
    unused: UnusedIgnore,
    cx: &Context<'_, '_>,
    found: &[Diagnostic],
    selection: &Selection,
) -> Vec<Diagnostic> {
    let relaxed = Selection { only: None, ..selection.clone() };
    let named: Vec<String> = ignore::collect(cx.file).into_iter().flat_map(|s| s.selectors).collect();
    let mut all = found.to_vec();
    for rule in registry.dockerfile {
        let meta = rule.meta();
        if !selection.enabled(meta) && relaxed.enabled(meta) && named.iter().any(|n| meta.matches(n)) {
            rule.check(cx, &mut all);
        }
    }
    (unused.report)(cx.file, &all, &relaxed)
}

/// Drop the findings that the file's inline ignore comments suppress. Front
/// ends that add findings of their own (ShellCheck's) call this for them too.
pub fn remove_suppressed(rules: &Registry, file: &Dockerfile, out: &mut Vec<Diagnostic>) {
    let suppressions = ignore::collect(file);
    if suppressions.is_empty() {
        return;
    }
    // File-wide and stage ones are few and checked one by one; the others
    // cover single instructions, sorted by start, so each finding looks up
    // only its own.
    let (wide, mut scoped): (Vec<_>, Vec<_>) =
        suppressions.into_iter().partition(|s| !matches!(s.scope, ignore::Scope::Span(_)));
    scoped.sort_by_key(|s| scope_span(s).start);
    out.retain(|d| !suppressed(rules, d, &wide, &scoped));
}

/// BuildKit's experimental checks (`linter/ruleset.go`, `Experimental: true`):
/// off unless `# check=experimental=` names them, and not skipped by `skip=all`.
pub const BUILDKIT_EXPERIMENTAL: &[&str] = &["InvalidDefinitionDescription"];

/// BuildKit checks run over the whole file rather than per instruction
/// (`dockerfile2llb/convert.go` `toDispatchState`, `parser.Parse`): a
/// `# check=` comment on an instruction does not skip them.
pub const BUILDKIT_WHOLE_FILE: &[&str] = &[
    "NoEmptyContinuation",
    "ConsistentInstructionCasing",
    "DuplicateStageName",
    "ReservedStageName",
    "InvalidDefaultArgInFrom",
    "InvalidBaseImagePlatform",
];

fn scope_span(s: &ignore::Suppression) -> Span {
    match s.scope {
        ignore::Scope::Span(sp) | ignore::Scope::Stage(sp) => sp,
        ignore::Scope::File => Span::new(0, usize::MAX),
    }
}

fn suppressed(rules: &Registry, d: &Diagnostic, wide: &[ignore::Suppression], scoped: &[ignore::Suppression]) -> bool {
    let meta = rules.by_code(d.code);
    let names = |s: &ignore::Suppression| {
        if s.buildkit
            && matches!(s.scope, ignore::Scope::Span(_))
            && meta.and_then(|m| m.buildkit).is_some_and(|n| BUILDKIT_WHOLE_FILE.contains(&n))
        {
            return false;
        }
        s.selectors.iter().any(|sel| {
            d.code.eq_ignore_ascii_case(sel)
                || meta.is_some_and(|m| {
                    m.matches(sel)
                        || (s.buildkit
                            && sel.eq_ignore_ascii_case("all")
                            && m.buildkit.is_some_and(|n| !BUILDKIT_EXPERIMENTAL.contains(&n)))
                })
        })
    };
    let covers = |s: &ignore::Suppression| {
        let sp = scope_span(s);
        sp.start <= d.span.start && d.span.start <= sp.end
    };
    if wide.iter().any(|s| covers(s) && names(s)) {
        return true;
    }
    // Scoped suppressions cover instructions, which do not overlap: only those
    // starting at or before the finding, on the same instruction, can apply.
    let end = scoped.partition_point(|s| scope_span(s).start <= d.span.start);
    scoped[..end].iter().rev().take_while(|s| d.span.start <= scope_span(s).end).any(names)
}

/// The outcome of fixing a file.
pub struct FixResult {
    pub text: String,
    /// Fixes applied over all passes.
    pub applied: usize,
    /// Findings left after fixing.
    pub remaining: Vec<Diagnostic>,
}

/// Apply fixes up to `max_safety` until nothing changes (at most 10 passes).
/// A pass whose result has more syntax errors than its input is discarded.
pub fn fix_all(rules: &Registry, text: &str, selection: &Selection, max_safety: Safety) -> FixResult {
    fix_all_with(rules, text, selection, max_safety, &Inputs::default())
}

/// [`fix_all`] with settings and neighbouring files.
pub fn fix_all_with(
    rules: &Registry,
    text: &str,
    selection: &Selection,
    max_safety: Safety,
    inputs: &Inputs,
) -> FixResult {
    fix::repeat(
        text,
        max_safety,
        |t| {
            let r = lint_with(rules, t, selection, inputs);
            (r.diagnostics, r.file.errors.len())
        },
        |errors, next| Dockerfile::parse(next).errors.len() > *errors,
    )
}
