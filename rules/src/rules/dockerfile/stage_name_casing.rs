use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct StageNameCasing;

static META: RuleMeta = RuleMeta {
    code: "BD1001",
    name: "stage-name-casing",
    severity: Severity::Warning,
    category: Category::Style,
    fix: FixAvailability::Always,
    buildkit: Some("StageNameCasing"),
    aliases: &[],
    default_enabled: true,
    summary: "Write stage names in lower case",
    docs: r#"## What it checks
Stage names (`FROM ... AS <name>`) that contain upper-case letters.

## Why it matters
BuildKit lower-cases stage names and matches them without regard to case, so
`AS Builder` is really the stage `builder`, and `--target builder`,
`COPY --from=BUILDER` and `FROM builder` all find it. Writing the name in
mixed case suggests a distinction that does not exist, and makes searching
the file for a stage's uses harder.

## Example
```dockerfile
FROM golang:1.23 AS Builder
RUN go build -o /out/app .

FROM alpine:3.20
COPY --from=Builder /out/app /usr/local/bin/app
```

## Use instead
```dockerfile
FROM golang:1.23 AS builder
RUN go build -o /out/app .

FROM alpine:3.20
COPY --from=builder /out/app /usr/local/bin/app
```

## Fix
Lower-cases the name and, in the same edit, every literal reference to it
after its definition: `FROM <name>`, `COPY --from=<name>` and the `from=` key
of `RUN --mount`. Safe: stage names are matched without regard to case, so
every reference keeps pointing at the same stage. References written through
variables are left as they are, and still work.

## References
- BuildKit check StageNameCasing: https://docs.docker.com/reference/build-checks/stage-name-casing/
- Multi-stage builds, naming stages: https://docs.docker.com/build/building/multi-stage/#name-your-build-stages
"#,
};

impl Rule for StageNameCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let Some(name) = &stage.name else { continue };
            let lower = name.value.to_lowercase();
            if lower == name.value {
                continue;
            }
            let written = cx.text(name.span);
            let mut edits = vec![Edit::replace(name.span, written.to_lowercase())];
            let needs_edit = |text: &str| !text.contains('$') && text != text.to_lowercase();

            // Later FROM lines that build on the stage.
            for later in &cx.model.stages[stage.index + 1..] {
                if let Some(word) = &later.image_word
                    && word.value.eq_ignore_ascii_case(&name.value)
                    && needs_edit(&word.raw)
                {
                    edits.push(Edit::replace(word.span, word.raw.to_lowercase()));
                }
            }
            // COPY --from and RUN --mount=...,from= after the definition.
            for inst in cx.file.instructions.iter().skip(stage.from + 1) {
                match inst.keyword {
                    Keyword::Copy => {
                        if let Some(flag) = inst.flag("from")
                            && let (Some(value), Some(span)) = (&flag.value, flag.value_span)
                            && value.eq_ignore_ascii_case(&name.value)
                        {
                            let raw = cx.text(span);
                            if needs_edit(raw) {
                                edits.push(Edit::replace(span, raw.to_lowercase()));
                            }
                        }
                    }
                    Keyword::Run => {
                        for m in super::sources::mount_froms(cx, inst) {
                            if m.value.eq_ignore_ascii_case(&name.value) && m.value != m.value.to_lowercase() {
                                edits.push(Edit::replace(m.span, m.value.to_lowercase()));
                            }
                        }
                    }
                    _ => {}
                }
            }
            let references = edits.len() - 1;
            let title = match references {
                0 => format!("Rename the stage to `{lower}`"),
                1 => format!("Rename the stage to `{lower}` and update its reference"),
                n => format!("Rename the stage to `{lower}` and update its {n} references"),
            };
            out.push(
                META.diagnostic(
                    name.span,
                    format!("stage name `{}` has upper-case letters; write it as `{lower}`", name.value),
                )
                .with_fix(Fix::safe(title, edits)),
            );
        }
    }
}
