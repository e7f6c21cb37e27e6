use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct CopyFromOwnStage;

static META: RuleMeta = RuleMeta {
    code: "DL3023",
    name: "copy-from-own-stage",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "COPY --from cannot name the stage it is in",
    docs: r#"## What it checks
`COPY --from=<stage>` inside the very stage it names, by
name (compared without regard to case, as BuildKit does) or by index.
Variables in the value are evaluated first; a value whose variables have no
known value is left alone. `ONBUILD COPY --from=...` is not checked: its
stage names belong to the build that uses this image.

hadolint compares the alias as written; berth also catches `--from=BUILD` in
a stage named `build` and `--from=1` in the second stage. References to
stages that do not exist, or that come later, are DL3022's.

## Why it matters
A stage cannot copy from itself: its files are not finished while it is
being built. BuildKit stops with a circular dependency error. The mistake
usually comes from a copy-pasted line or a stage renamed after the `COPY`
was written.

## Example
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app
COPY --from=build /out/app /usr/local/bin/app
```

## Use instead
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /usr/local/bin/app
```

## References
- hadolint DL3023
- Dockerfile reference, COPY --from: https://docs.docker.com/reference/dockerfile/#copy---from
"#,
};

impl Rule for CopyFromOwnStage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for from in super::sources::copy_froms(cx) {
            let (source, span, shown) = (from.source.as_str(), from.span, &from.note);
            let Some(stage) = cx.model.stage_by_ref(source).filter(|s| s.index == from.stage) else { continue };
            let mut d = META.diagnostic(
                span,
                format!(
                    "`--from={source}` names the stage this COPY is in{shown}; a stage cannot copy from itself, copy from an earlier stage"
                ),
            );
            if let Some(n) = &stage.name {
                d = d.with_related(n.span, "this stage");
            }
            out.push(d);
        }
    }
}
