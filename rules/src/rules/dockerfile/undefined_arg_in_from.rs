use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::{automatic_args, is_automatic_arg};
use crate::syntax::words::var_refs;

pub struct UndefinedArgInFrom;

static META: RuleMeta = RuleMeta {
    code: "BD1010",
    name: "undefined-arg-in-from",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: Some("UndefinedArgInFrom"),
    aliases: &[],
    default_enabled: true,
    summary: "FROM may only use ARGs declared before the first FROM",
    docs: r#"## What it checks
Variables in a `FROM` line (the image and the `--platform` value) that are
neither declared by an `ARG` before the first `FROM` nor one of the ARGs the
builder defines itself (`TARGETPLATFORM`, `BUILDARCH`, ...). A close name
among the declared ARGs is suggested.

## Why it matters
`FROM` sees only the ARGs declared before the first `FROM`. Any other
variable is empty there, and `--build-arg` cannot set it, so
`FROM python:${PY_VERSION}` without `ARG PY_VERSION` at the top pulls
`python:` (an error) or, with a `${PY_VERSION:-3.12}` default, can never be
changed. A typo in the name has the same effect.

## Example
```dockerfile
ARG PYTHON_VERSION=3.12
FROM python:${PY_VERSION}-slim
```

## Use instead
```dockerfile
ARG PYTHON_VERSION=3.12
FROM python:${PYTHON_VERSION}-slim
```

## References
- BuildKit check UndefinedArgInFrom: https://docs.docker.com/reference/build-checks/undefined-arg-in-from/
- Dockerfile reference, how ARG and FROM interact: https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact
"#,
};

impl Rule for UndefinedArgInFrom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let globals = &cx.model.global_args;
        for stage in &cx.model.stages {
            let Some(inst) = cx.file.instructions.get(stage.from) else { continue };
            // The image word and the --platform value are what FROM evaluates.
            let mut spans = Vec::new();
            if let Some(w) = &stage.image_word {
                spans.push(w.span);
            }
            spans.extend(inst.flags.iter().filter(|f| f.name == "platform").filter_map(|f| f.value_span));
            for r in var_refs(&inst.args, inst.escape) {
                if !spans.iter().any(|s| s.start <= r.span.start && r.span.end <= s.end) {
                    continue;
                }
                if is_automatic_arg(&r.name) || globals.iter().any(|a| a.name == r.name) {
                    continue;
                }
                let candidates = globals.iter().map(|a| a.name.as_str()).chain(automatic_args());
                let hint = match crate::util::closest(&r.name, candidates) {
                    Some(s) => format!("; did you mean `{s}`?"),
                    None => format!("; declare `ARG {}` before the first FROM", r.name),
                };
                out.push(META.diagnostic(
                    r.name_span,
                    format!("`{}` is not an ARG declared before the first FROM, so FROM cannot use it{hint}", r.name),
                ));
            }
        }
    }
}
