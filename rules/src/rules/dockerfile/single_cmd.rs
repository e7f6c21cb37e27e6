use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::{Instruction, Keyword};
use crate::text::Span;

pub struct SingleCmd;

static META: RuleMeta = RuleMeta {
    code: "DL4003",
    name: "single-cmd",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::Always,
    buildkit: Some("MultipleInstructionsDisallowed"),
    aliases: &[],
    default_enabled: true,
    summary: "Only the last CMD of a stage takes effect",
    docs: r#"## What it checks
Stages with more than one `CMD`. Each repeated `CMD` is reported (as in
hadolint, so `# hadolint ignore=DL4003` comments keep working), with a link to
the `CMD` before it, which has no effect. `ONBUILD CMD`
triggers are counted separately from the stage's own `CMD`s, since they apply
to images built on this one.

## Why it matters
`CMD` sets image metadata; it does not run anything during the build. Each one
replaces the one before, so an earlier `CMD` has no effect at all. It usually
means a leftover from an edit, or a misunderstanding that `CMD` runs a command
at build time (that is `RUN`), and readers may believe the wrong command starts
the container.

## Example
```dockerfile
FROM python:3.12-slim
CMD ["python", "migrate.py"]
COPY . /app
CMD ["python", "/app/server.py"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
COPY . /app
RUN python /app/migrate.py
CMD ["python", "/app/server.py"]
```

## Fix
Deletes the lines of each overridden `CMD`. Unsafe: the image is the same, but
the deleted command may have been meant to run, at build time with `RUN` or
in place of the later one, and only you can tell which.

## References
- hadolint DL4003
- Dockerfile reference, CMD: https://docs.docker.com/reference/dockerfile/#cmd
- BuildKit check MultipleInstructionsDisallowed: https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/
"#,
};

/// From the start of the line holding `span.start` through the line break after `span.end`.
fn whole_lines(text: &str, span: Span) -> Span {
    let start = text.get(..span.start).and_then(|t| t.rfind('\n')).map_or(0, |p| p + 1);
    let end = text.get(span.end..).and_then(|t| t.find('\n')).map_or(text.len(), |p| span.end + p + 1);
    Span::new(start, end)
}

/// Report every instruction with `keyword` in a stage that a later one of the same
/// kind overrides. Shared with `single_entrypoint`.
pub(super) fn report_overridden(
    cx: &Context<'_, '_>,
    keyword: Keyword,
    meta: &'static RuleMeta,
    out: &mut Vec<Diagnostic>,
) {
    let name = keyword.as_str();
    for stage in &cx.model.stages {
        // The stage's own instructions, then its ONBUILD triggers, each judged apart.
        let own: Vec<&Instruction> =
            cx.model.stage_instructions(stage).map(|(_, i)| i).filter(|i| i.keyword == keyword).collect();
        let triggers: Vec<&Instruction> = cx
            .model
            .stage_instructions(stage)
            .map(|(_, i)| i)
            .filter(|i| i.trigger.is_some() && i.effective().keyword == keyword)
            .collect();
        for (group, onbuild) in [(own, false), (triggers, true)] {
            // Report each repeat where it is (as hadolint does, so existing
            // `# hadolint ignore=` comments keep working); the fix deletes the
            // instruction it overrides.
            for pair in group.windows(2) {
                let (earlier, later) = (pair[0], pair[1]);
                let message = if onbuild {
                    format!(
                        "another ONBUILD {name} in this stage: only the last one takes effect; remove the earlier one"
                    )
                } else {
                    format!(
                        "another {name} in this stage: only the last one takes effect, so the earlier {name} does nothing; remove it"
                    )
                };
                let lines = whole_lines(&cx.file.text, earlier.span);
                out.push(
                    meta.diagnostic(later.effective().keyword_span, message)
                        .with_related(earlier.span, format!("this {name} has no effect"))
                        .with_fix(Fix::unsafe_(format!("Delete the overridden {name}"), vec![Edit::delete(lines)])),
                );
            }
        }
    }
}

impl Rule for SingleCmd {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        report_overridden(cx, Keyword::Cmd, &META, out);
    }
}
