use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct MissingFrom;

static META: RuleMeta = RuleMeta {
    code: "BD2010",
    name: "missing-from",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A Dockerfile needs at least one FROM",
    docs: r#"## What it checks
Files that have instructions but no `FROM` at all. The finding is placed on
the first instruction. Files with no instructions (only comments or nothing)
are not reported.

## Why it matters
Every build stage starts with `FROM`; without one there is nothing to build
and the builder stops ("dockerfile contains no stages to build", or "no build
stage in current context" at the first instruction). Such a file is often a
fragment meant to be included by a templating step, or a Dockerfile whose
first lines were deleted by mistake.

## Example
```dockerfile
RUN apk add --no-cache curl
CMD ["curl", "--version"]
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache curl
CMD ["curl", "--version"]
```

## References
- Dockerfile reference, FROM: https://docs.docker.com/reference/dockerfile/#from
"#,
};

impl Rule for MissingFrom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let instructions = &cx.file.instructions;
        if instructions.iter().any(|i| i.keyword == Keyword::From) {
            return;
        }
        let Some(first) = instructions.iter().find(|i| i.keyword != Keyword::Unknown) else { return };
        out.push(META.diagnostic(first.span, "this Dockerfile has no FROM; start it with `FROM <image>`"));
    }
}
