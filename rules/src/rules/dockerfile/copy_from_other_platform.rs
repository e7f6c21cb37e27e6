use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::Base;
use crate::rules::platforms::{self, Targets};
use crate::syntax::Keyword;
use crate::text::Span;

pub struct CopyFromOtherPlatform;

static META: RuleMeta = RuleMeta {
    code: "BD4007",
    name: "copy-from-other-platform",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "COPY --from a stage built for another platform than this one",
    docs: r#"## What it checks
`COPY --from=<stage>` where the source stage is built for one fixed platform
(`FROM --platform=linux/amd64`, or a stage built `FROM` one) and the stage
that copies is built for another: its own `FROM --platform`, or the project's
platforms (`[registry] platforms` in `berth.toml`, `--platform`). A source stage
built with `--platform=$BUILDPLATFORM` is assumed to cross-compile for the
target and is left alone, as are stages without a known platform and export
stages (`FROM scratch` with no `CMD` or `ENTRYPOINT`, not the last stage: they
collect files for `--output` and run nothing).

## Why it matters
Binaries and shared libraries built in the source stage are for its
architecture: copied into an image for another one they fail with `exec
format error` (or run under emulation, slowly, where it is installed). Files
that do not depend on the architecture (scripts, static assets, Java
archives) are fine; then ignore the finding.

## Example
```dockerfile
FROM --platform=linux/amd64 rust:1.82 AS build
RUN cargo build --release
FROM --platform=linux/arm64 debian:bookworm-slim
COPY --from=build /app/target/release/app /usr/local/bin/app
```

## Use instead
Build the stage for the target (no `--platform`), or cross-compile in a
`--platform=$BUILDPLATFORM` stage for `TARGETARCH`.

## References
- Multi-platform builds: https://docs.docker.com/build/building/multi-platform/
"#,
};

impl Rule for CopyFromOtherPlatform {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let last = cx.model.stages.len().saturating_sub(1);
        for stage in &cx.model.stages {
            // An export stage (`FROM scratch` with files and no command, not
            // the last stage) collects artifacts for `--output`; it runs nothing.
            let runs = cx
                .model
                .stage_instructions(stage)
                .any(|(_, i)| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint));
            if matches!(stage.base, Base::Scratch) && stage.index != last && !runs {
                continue;
            }
            let Targets::Known(dest) = platforms::stage_targets(cx, stage) else { continue };
            for (i, inst) in cx.model.stage_instructions(stage) {
                if inst.keyword != Keyword::Copy {
                    continue;
                }
                let Some(flag) = inst.flag("from") else { continue };
                let Some(value) = &flag.value else { continue };
                let e = cx.model.expand(value, i);
                if !e.unresolved.is_empty() {
                    continue;
                }
                let Some(src) = cx.model.stage_by_ref(&e.value) else { continue };
                if src.index >= stage.index {
                    continue;
                }
                let Targets::Known(from) = platforms::stage_targets(cx, src) else { continue };
                let [from] = from.as_slice() else { continue };
                let from_arch = platforms::arch(from);
                let others: Vec<String> = dest.iter().filter(|d| platforms::arch(d) != from_arch).cloned().collect();
                if others.is_empty() {
                    continue;
                }
                out.push(META.diagnostic(
                    Span::new(flag.span.start, flag.span.end),
                    format!(
                        "stage `{}` is built for {from}, but this stage is built for {}: binaries copied from it will not run on {}; build the source stage for the target, or cross-compile it from `--platform=$BUILDPLATFORM`",
                        e.value,
                        platforms::list(&dest),
                        platforms::list(&others)
                    ),
                ));
            }
        }
    }
}
