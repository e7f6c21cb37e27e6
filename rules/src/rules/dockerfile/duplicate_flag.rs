use super::instruction_spec::flag_spec;
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::text::Span;

pub struct DuplicateFlag;

static META: RuleMeta = RuleMeta {
    code: "BD2002",
    name: "duplicate-flag",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Give each flag of an instruction at most once",
    docs: r#"## What it checks
A flag given twice on one instruction, such as `COPY --from=a --from=b`.
`RUN --mount`, `RUN --device` and `--exclude` of `COPY`/`ADD` may be repeated
and are not reported; unknown flags are reported by `unknown-flag` (BD2001).

## Why it matters
The builder refuses the instruction ("duplicate flag specified") rather than
guess which value is meant.

## Example
```dockerfile
COPY --chown=app --chown=app:app src/ /app/
```

## Use instead
```dockerfile
COPY --chown=app:app src/ /app/
```

## References
- Dockerfile reference: https://docs.docker.com/reference/dockerfile/
"#,
};

impl Rule for DuplicateFlag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for inst in &cx.file.instructions {
            let inst = inst.effective();
            let mut seen = std::collections::HashMap::new();
            for flag in &inst.flags {
                let Some(spec) = flag_spec(inst, &flag.name) else { continue };
                if spec.repeatable {
                    continue;
                }
                let first = *seen.entry(flag.name.as_str()).or_insert(flag);
                if std::ptr::eq(first, flag) {
                    continue;
                }
                out.push(
                    META.diagnostic(
                        Span::new(flag.span.start, flag.name_span.end),
                        format!(
                            "`--{}` is given more than once; {} takes it once, so keep one",
                            flag.name,
                            inst.keyword.as_str()
                        ),
                    )
                    .with_related(first.span, "first given here"),
                );
            }
        }
    }
}
