use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct InstructionBeforeFrom;

static META: RuleMeta = RuleMeta {
    code: "DL3061",
    name: "instruction-before-from",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Only ARG may come before the first FROM",
    docs: r#"## What it checks
Instructions before the first `FROM` other than `ARG`. Comments and parser
directives (`# syntax=...`, `# escape=...`) are not instructions and may come
first. In a file without any `FROM`, every instruction that is not an `ARG`
is reported. Unknown instructions are syntax errors (BD0001) and are not
reported again.

## Why it matters
A Dockerfile starts a stage with `FROM`; only `ARG` may precede it, to
declare values for the `FROM` lines. Anything else has no stage to apply to,
and the builder refuses the file. It often means a `FROM` was deleted or a
fragment of a larger file was saved on its own.

## Example
```dockerfile
ENV NODE_ENV=production
FROM node:22-slim
```

## Use instead
```dockerfile
FROM node:22-slim
ENV NODE_ENV=production
```

## References
- hadolint DL3061
- Dockerfile reference, format: https://docs.docker.com/reference/dockerfile/#format
- Dockerfile reference, understand how ARG and FROM interact: https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact
"#,
};

impl Rule for InstructionBeforeFrom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for inst in &cx.file.instructions {
            match inst.keyword {
                Keyword::From => break,
                Keyword::Arg | Keyword::Unknown => {}
                k => out.push(META.diagnostic(
                    inst.keyword_span,
                    format!(
                        "{} comes before the first FROM, where only ARG is allowed; move it into a stage",
                        k.as_str()
                    ),
                )),
            }
        }
    }
}
