use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::{Instruction, Keyword};

pub struct ConsistentInstructionCasing;

static META: RuleMeta = RuleMeta {
    code: "BD1009",
    name: "consistent-instruction-casing",
    severity: Severity::Warning,
    category: Category::Style,
    fix: FixAvailability::Always,
    buildkit: Some("ConsistentInstructionCasing"),
    aliases: &[],
    default_enabled: true,
    summary: "Write every instruction keyword in the same case",
    docs: r#"## What it checks
Instruction keywords whose case differs from the case most keywords in the
file use: all upper case (`RUN`) or all lower case (`run`). Keywords in mixed
case (`Run`, `From`) belong to neither and are always reported. When the two
cases are equally common, upper case wins. The keywords of `ONBUILD` triggers
and of ARGs before the first FROM count too (BuildKit looks only at the
instructions of stages).

## Why it matters
The builder accepts keywords in any case, so this is about reading: a file
that mixes `RUN` and `run` looks like it was pasted together, and searching
for an instruction misses half of its uses.

## Example
```dockerfile
FROM alpine:3.20
run apk add --no-cache curl
COPY . /app
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache curl
COPY . /app
```

## Fix
Rewrites the keyword in the file's majority case. Safe: keywords are not
case-sensitive.

## References
- BuildKit check ConsistentInstructionCasing: https://docs.docker.com/reference/build-checks/consistent-instruction-casing/
- Dockerfile reference, format: https://docs.docker.com/reference/dockerfile/#format
"#,
};

/// The instruction and, for ONBUILD, its triggers, innermost last.
fn keywords(inst: &Instruction) -> impl Iterator<Item = &Instruction> {
    std::iter::successors(Some(inst), |i| i.trigger.as_deref()).filter(|i| i.keyword != Keyword::Unknown)
}

impl Rule for ConsistentInstructionCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let (mut lower, mut upper) = (0usize, 0usize);
        for inst in &cx.file.instructions {
            for k in keywords(inst) {
                if k.keyword_text == k.keyword_text.to_ascii_lowercase() {
                    lower += 1;
                } else if k.keyword_text == k.keyword_text.to_ascii_uppercase() {
                    upper += 1;
                }
            }
        }
        let majority_lower = lower > upper;
        let case = if majority_lower { "lower" } else { "upper" };
        for inst in &cx.file.instructions {
            for k in keywords(inst) {
                let want = if majority_lower {
                    k.keyword_text.to_ascii_lowercase()
                } else {
                    k.keyword_text.to_ascii_uppercase()
                };
                if want == k.keyword_text {
                    continue;
                }
                out.push(
                    META.diagnostic(
                        k.keyword_span,
                        format!(
                            "`{}` is not in the {case} case the other instructions use; write `{want}`",
                            k.keyword_text
                        ),
                    )
                    .with_fix(Fix::safe(format!("Write `{want}`"), vec![Edit::replace(k.keyword_span, want)])),
                );
            }
        }
    }
}
