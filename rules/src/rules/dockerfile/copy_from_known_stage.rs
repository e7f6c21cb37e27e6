use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct CopyFromKnownStage;

static META: RuleMeta = RuleMeta {
    code: "DL3022",
    name: "copy-from-known-stage",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "COPY --from should name an earlier stage",
    docs: r#"## What it checks
`COPY --from=<source>` where the source is neither the name nor the index of a
stage defined above the `COPY`. Names are compared without regard to case, as
BuildKit does, and variables are evaluated first (a source whose variables have
no known value is left alone). An image with a tag or digest
(`nginx:1.27-alpine`, `ghcr.io/org/tool@sha256:...`) is a deliberate external
source and is not reported; as in hadolint, a name without one (`busybox`,
`ghcr.io/acme/config`) is, since it is either a misspelt stage or an image
whose version is not pinned.

The message suggests a close stage name when there is one, and says so when
the name belongs to a stage defined further down. A `COPY` from the stage it
is in is reported by DL3023 instead, as in hadolint.
`ONBUILD COPY --from=...` is not checked: its stage names belong to the
Dockerfile that builds on this image.

## Why it matters
When `--from` does not match a stage, BuildKit takes it as an image name and
tries to pull it from a registry: a typo in a stage name becomes a confusing
pull error, or worse, silently copies files from an unrelated public image
that happens to have that name.

## Example
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=biuld /out/app /app
```

## Use instead
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
```

## References
- hadolint DL3022
- Dockerfile reference, COPY --from: https://docs.docker.com/reference/dockerfile/#copy---from
- Multi-stage builds: https://docs.docker.com/build/building/multi-stage/
"#,
};

impl Rule for CopyFromKnownStage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let stages = &cx.model.stages;
        for from in super::sources::copy_froms(cx) {
            let (source, span, current, shown) = (from.source.as_str(), from.span, from.stage, &from.note);
            if source.is_empty() {
                continue;
            }

            if let Ok(n) = source.parse::<usize>() {
                // The stage itself is DL3023's.
                if n <= current {
                    continue;
                }
                let message = if n < stages.len() {
                    format!("stage {n} is defined after this COPY{shown}; `--from` can only use earlier stages")
                } else {
                    format!("there is no stage {n}{shown}; this file has {} stage(s), numbered from 0", stages.len())
                };
                out.push(META.diagnostic(span, message));
                continue;
            }

            // The first stage with this name, from the model's name index.
            let first = cx.model.stage_by_ref(source);
            if first.is_some_and(|s| s.index < current) {
                continue;
            }
            // A COPY from the stage it is in is DL3023's.
            if first.is_some_and(|s| s.index == current) {
                continue;
            }
            if let Some(later) = first.filter(|s| s.index > current) {
                let mut d = META.diagnostic(
                    span,
                    format!("stage `{source}` is defined after this COPY{shown}; move that stage above it"),
                );
                if let Some(n) = &later.name {
                    d = d.with_related(n.span, "stage defined here");
                }
                out.push(d);
                continue;
            }
            // An image with a tag or digest is a deliberate external source. As in
            // hadolint, a bare name (even `org/image`) is reported: it is either a
            // misspelt stage or an image without a pinned version.
            if source.contains([':', '@']) {
                continue;
            }
            if source.contains(['/', '.']) {
                out.push(META.diagnostic(
                    span,
                    format!(
                        "`{source}` is not a stage of this file{shown}; if it is an image, pin it (`{source}:<tag>`)"
                    ),
                ));
                continue;
            }
            let earlier = stages[..current].iter().filter_map(|s| s.name.as_ref().map(|n| n.value.as_str()));
            let message = match crate::util::closest(source, earlier) {
                Some(s) => format!("no earlier stage is named `{source}`{shown} (did you mean `{s}`?)"),
                None => format!(
                    "no earlier stage is named `{source}`{shown}; name a stage defined above, or give an image with a tag (`{source}:<tag>`)"
                ),
            };
            out.push(META.diagnostic(span, message));
        }
    }
}
