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

One finding per instruction, on the last line of its continuation (where
BuildKit reports it), with every blank line as related information.

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
        for ec in &cx.file.empty_continuations {
            // The whole blank lines, with their line breaks.
            let edits: Vec<Edit> = ec
                .blank_lines
                .iter()
                .map(|line| {
                    let end = text.get(line.end..).and_then(|t| t.find('\n')).map_or(text.len(), |p| line.end + p + 1);
                    Edit::delete(Span::new(line.start, end))
                })
                .collect();
            let n = ec.blank_lines.len();
            let lines = ec
                .blank_lines
                .iter()
                .map(|l| (cx.file.lines.line_of(l.start) + 1).to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let (what, title) = if n == 1 {
                (format!("a blank line (line {lines}) inside it; remove it"), "Remove the blank line")
            } else {
                (format!("{n} blank lines (lines {lines}) inside it; remove them"), "Remove the blank lines")
            };
            // Reported, as BuildKit does, on the last line of the continuation.
            let mut d = META
                .diagnostic(ec.last_line, format!("this continued instruction has {what}"))
                .with_fix(Fix::safe(title, edits));
            for l in &ec.blank_lines {
                d = d.with_related(*l, "blank line");
            }
            out.push(d);
        }
    }
}
