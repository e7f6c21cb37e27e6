use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::key_values;
use crate::syntax::Keyword;

pub struct InvalidDefinitionDescription;

static META: RuleMeta = RuleMeta {
    code: "BD1015",
    name: "invalid-definition-description",
    severity: Severity::Warning,
    category: Category::Style,
    fix: FixAvailability::Always,
    buildkit: Some("InvalidDefinitionDescription"),
    aliases: &[],
    default_enabled: false,
    summary: "A comment right above an ARG or named stage should start with its name",
    docs: r#"## What it checks
Comments directly above an `ARG` or a named stage (`FROM ... AS name`), with
no blank line between, whose last line does not start with the ARG's or the
stage's name followed by a space. Off by default, as BuildKit's check is
experimental. Parser directives and inline-ignore comments
(`# hadolint ignore=...`, `# berth ignore=...`, `# check=...`) are not
descriptions and are not reported.

## Why it matters
`docker buildx build --call=outline` and `--call=targets` show a comment
right above an ARG or a stage as its description, but only a line written
`# <name> <description>`. Any other comment in that place is either a
description with the wrong name, which tools then do not show, or an
unrelated note that is easy to mistake for one.

## Example
```dockerfile
# The Go version to build with
ARG GO_VERSION=1.23

# Builds the binary
FROM golang:${GO_VERSION} AS build
```

## Use instead
```dockerfile
# GO_VERSION The Go version to build with
ARG GO_VERSION=1.23

# build Builds the binary
FROM golang:${GO_VERSION} AS build
```
or separate an unrelated comment from the instruction with a blank line.

## Fix
Inserts a blank line between the comment and the instruction. Safe when no
line of the comment starts with the name (so no description is lost); marked
unsafe otherwise.

## References
- BuildKit check InvalidDefinitionDescription: https://docs.docker.com/reference/build-checks/invalid-definition-description/
- Build checks and outlines: https://docs.docker.com/build/checks/
"#,
};

fn is_pragma(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("hadolint") || t.starts_with("berth") || t.starts_with("check=") || t.starts_with("dockerfile-utils")
}

impl Rule for InvalidDefinitionDescription {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let file = cx.file;
        let lines = &file.lines;
        // Comment lines (outside instructions, directives excluded) by line number, in one pass.
        let mut comment_at = std::collections::HashMap::new();
        for c in file.comments.iter().filter(|c| !c.inside_instruction) {
            if file.directives.iter().any(|d| d.span == c.span) {
                continue;
            }
            // As BuildKit reads it: one `#` removed, then trimmed.
            let raw = cx.text(c.span);
            let text = raw.strip_prefix('#').unwrap_or(raw).trim().to_string();
            comment_at.insert(lines.line_of(c.span.start), text);
        }
        for (idx, inst) in file.instructions.iter().enumerate() {
            let (what, names): (&str, Vec<String>) = match inst.keyword {
                Keyword::Arg => ("ARG", key_values(inst).iter().map(|kv| kv.key.clone()).collect()),
                Keyword::From => match cx.model.stages.iter().find(|s| s.from == idx).and_then(|s| s.name.as_ref()) {
                    Some(n) => ("stage", vec![n.value.to_ascii_lowercase()]),
                    None => continue,
                },
                _ => continue,
            };
            if names.is_empty() {
                continue;
            }
            let line = lines.line_of(inst.span.start);
            // The block of comment lines right above, up to a blank line or an empty `#`.
            let mut block = Vec::new();
            let mut l = line;
            while l > 0 {
                match comment_at.get(&(l - 1)) {
                    Some(t) if !t.is_empty() => block.push(t.as_str()),
                    _ => break,
                }
                l -= 1;
            }
            let Some(last) = block.first() else { continue };
            if is_pragma(last) {
                continue;
            }
            let first_word = last.split(' ').next().unwrap_or("");
            if names.iter().any(|n| n == first_word) {
                continue;
            }
            let example = if names.len() == 1 { names[0].clone() } else { "<name>".to_string() };
            // A description elsewhere in the block would be lost by the blank line.
            let described = block.iter().any(|t| names.iter().any(|n| t.starts_with(&format!("{n} "))));
            let at = lines.line_start(line);
            let title = "Separate the comment from the instruction with a blank line";
            let fix = if described {
                Fix::unsafe_(title, vec![Edit::insert(at, "\n")])
            } else {
                Fix::safe(title, vec![Edit::insert(at, "\n")])
            };
            let kw = inst.keyword_span;
            out.push(
                META.diagnostic(
                    kw,
                    format!(
                        "the comment above this {what} is read as its description but does not start with its name; write `# {example} <description>` or add a blank line"
                    ),
                )
                .with_fix(fix),
            );
        }
    }
}
