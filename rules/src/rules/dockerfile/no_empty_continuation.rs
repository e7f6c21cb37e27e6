use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::text::Span;

pub struct NoEmptyContinuation;

static META: RuleMeta = RuleMeta {
    code: "BD1008",
    name: "no-empty-continuation",
    severity: Severity::Warning,
    category: Category::Syntax,
    fix: FixAvailability::Always,
    buildkit: Some("NoEmptyContinuation"),
    aliases: &[],
    default_enabled: true,
    summary: "Do not leave blank lines inside an instruction continued with `\\`",
    docs: r#"## What it checks
Blank lines (empty or only whitespace) between the lines of an instruction
that is continued with the escape character (`\`, or `` ` `` with
`# escape=```). Comment lines inside a continued instruction are fine and are
not reported.

## Why it matters
The builder skips such blank lines today, so the instruction goes on after
them, but this leniency is deprecated and is slated to become an error. A
blank line also reads as the end of the instruction: the next line looks like
a new instruction when it is really more arguments of the previous one.

## Example
```dockerfile
RUN apt-get update && \

    apt-get install -y curl
```

## Use instead
```dockerfile
RUN apt-get update && \
    apt-get install -y curl
```

## Fix
Deletes the blank line. Safe: the builder ignores it already.

## References
- BuildKit check NoEmptyContinuation: https://docs.docker.com/reference/build-checks/no-empty-continuation/
- Dockerfile reference, format: https://docs.docker.com/reference/dockerfile/#format
"#,
};

impl Rule for NoEmptyContinuation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let text = &*cx.file.text;
        for line in &cx.file.empty_continuation_lines {
            // The whole line, with its line break.
            let end = text.get(line.end..).and_then(|t| t.find('\n')).map_or(text.len(), |p| line.end + p + 1);
            let span = Span::new(line.start, end);
            out.push(
                META.diagnostic(span, "blank line inside a continued instruction; remove it")
                    .with_fix(Fix::safe("Remove the blank line", vec![Edit::delete(span)])),
            );
        }
    }
}
