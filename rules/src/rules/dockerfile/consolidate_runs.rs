use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::Script;
use crate::syntax::{Instruction, Keyword};
use crate::text::Span;

pub struct ConsolidateRuns;

static META: RuleMeta = RuleMeta {
    code: "DL3059",
    name: "consolidate-runs",
    severity: Severity::Info,
    category: Category::Performance,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Consolidate consecutive RUN instructions",
    docs: r#"## What it checks
A RUN that directly follows another RUN of the same stage with the same flags
(both without flags, or both with the same `--mount`, `--network` and so on).
Comments between the two do not separate them; any other instruction does.
As in hadolint, only pairs of single-command RUNs are reported: when either
RUN already chains two or more commands, its author has grouped the work on
purpose (for example to keep a slow download in its own cached layer). ONBUILD RUN triggers are not paired, and a RUN
under a non-POSIX SHELL is not paired either, because its commands cannot be
counted. The finding is on the second RUN.

## Why it matters
Every RUN creates a layer. Short RUNs in a row make more layers than needed, and
files deleted in a later RUN still take space in the earlier layer. Merging
them with `&&` gives one layer and lets cleanup steps actually shrink the image.

## Example
```dockerfile
RUN mkdir -p /app/data
RUN chown app /app/data
```

## Use instead
```dockerfile
RUN mkdir -p /app/data \
 && chown app /app/data
```

## Fix
Merges the RUN into the one before it: `RUN a` + `RUN b` becomes
`RUN a && \` + `    b`. Unsafe, because a layer boundary can be deliberate
(keeping a slow, rarely changing step cached apart from a step that changes
often). Offered only when both are shell-form RUNs without heredocs; comment
lines between them are kept, inside the merged RUN (the builder skips them
there), unless they are ignore comments, which would change meaning.

## References
- hadolint DL3059
- Docker build best practices, RUN: https://docs.docker.com/build/building/best-practices/#run
"#,
};

/// Flags of a RUN in a form that compares equal when they mean the same.
type FlagKey = Vec<(String, Option<String>)>;

fn flag_key(inst: &Instruction) -> FlagKey {
    let mut v: Vec<_> = inst.flags.iter().map(|f| (f.name.to_ascii_lowercase(), f.value.clone())).collect();
    v.sort();
    v
}

/// The number of distinct commands a RUN runs. A command is counted once even
/// when the shell layer reaches it twice (a heredoc body is both heredoc text
/// and a script), and a heredoc's terminator line is not a command.
fn command_count(inst: &Instruction, script: &Script) -> usize {
    let terminators: Vec<Span> = inst.effective().heredocs.iter().filter_map(|h| h.terminator_span).collect();
    let mut spans: Vec<Span> = script
        .commands
        .iter()
        .map(|c| c.span)
        .filter(|s| !terminators.iter().any(|t| t.start <= s.start && s.end <= t.end))
        .collect();
    spans.sort_unstable();
    spans.dedup();
    spans.len()
}

impl Rule for ConsolidateRuns {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        // The previous RUN: its keyword span, flags, command count, and where its
        // shell text ends when it can take another command after `&&`.
        let mut prev: Option<(Span, FlagKey, usize, Option<usize>)> = None;
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            if inst.keyword != Keyword::Run {
                prev = None;
                continue;
            }
            let count = match (cx.model.script(idx), &inst.exec) {
                (Some(script), _) => command_count(inst, script),
                (None, Some(_)) => 1,
                // Shell form under a non-POSIX shell: the commands cannot be counted.
                (None, None) => {
                    prev = None;
                    continue;
                }
            };
            let flags = flag_key(inst);
            let mergeable = inst.exec.is_none() && inst.heredocs.is_empty() && cx.model.script(idx).is_some();
            if let Some((prev_span, prev_flags, prev_count, prev_end)) = &prev
                && *prev_flags == flags
                && *prev_count <= 1
                && count <= 1
            {
                let mut d = META
                    .diagnostic(inst.keyword_span, "this RUN follows another RUN; merge them with `&&` to save a layer")
                    .with_related(*prev_span, "the previous RUN");
                // Merge when both are plain shell form; comment lines between them move
                // inside the merged RUN, where the builder skips them.
                let rest_start = inst.rest.full_span().start;
                if let Some(end) = *prev_end
                    && mergeable
                    && end <= inst.span.start
                    && let Some(joint) = merge_joint(cx.file.text.get(end..inst.span.start), cx.file.escape)
                {
                    d = d.with_fix(Fix::unsafe_(
                        "Merge into the previous RUN",
                        vec![Edit::replace(Span::new(end, rest_start), joint)],
                    ));
                }
                out.push(d);
            }
            let end = mergeable.then(|| inst.rest.span(0, inst.rest.text.trim_end().len()).end);
            prev = Some((inst.keyword_span, flags, count, end));
        }
    }
}

/// The text that joins two RUNs: ` && \`, the comment lines that stood between
/// them, and an indent. `None` when something other than blank lines and plain
/// comments stands between them.
fn merge_joint(gap: Option<&str>, escape: char) -> Option<String> {
    let mut joint = format!(" && {escape}\n");
    for line in gap?.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let body = t.strip_prefix('#')?.trim_start();
        if body.starts_with("hadolint") || body.starts_with("berth") || body.starts_with("check=") {
            return None;
        }
        joint.push_str(t);
        joint.push('\n');
    }
    joint.push_str("    ");
    Some(joint)
}
