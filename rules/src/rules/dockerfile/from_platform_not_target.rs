use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::rules::platforms;
use crate::text::Span;

pub struct FromPlatformNotTarget;

static META: RuleMeta = RuleMeta {
    code: "BD4006",
    name: "from-platform-not-target",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "FROM --platform is a constant in a build for several platforms",
    docs: r#"## What it checks
`FROM --platform=<constant>` (written out, or a variable whose default is a
constant) in a Dockerfile built for platforms the constant does not cover:
the project's platforms (`[registry] platforms` in `berth.toml`, `--platform`
on the command line) include another one, or, with none configured, the
Dockerfile reads `TARGETARCH`/`TARGETPLATFORM`/`TARGETOS`/`TARGETVARIANT`, so
it is built for several. A stage whose name mentions its platform's OS or
architecture (`AS build-arm64`) is meant for it and is left alone, as is a
stage whose base image exists for that platform only (an L4T image for
Jetson is arm64 only).

This is the platform-aware form of BuildKit's FromPlatformFlagConstDisallowed
(BD1013, off by default), which reports every constant; this rule reports only
constants that contradict the targets berth knows.

## Why it matters
A constant platform makes the stage ignore the build's targets: in a build for
linux/amd64 and linux/arm64 both images get the stage built for the constant.
A build stage meant to run natively and cross-compile wants
`--platform=$BUILDPLATFORM` (with `TARGETOS`/`TARGETARCH` passed to the
compiler); a stage meant for the target wants no `--platform` (or
`$TARGETPLATFORM`).

## Example
```dockerfile
FROM --platform=linux/amd64 golang:1.23 AS build
ARG TARGETARCH
RUN GOARCH=$TARGETARCH go build -o /out/app .
```

## Use instead
```dockerfile
FROM --platform=$BUILDPLATFORM golang:1.23 AS build
ARG TARGETARCH
RUN GOARCH=$TARGETARCH go build -o /out/app .
```

## References
- Multi-platform builds, cross-compilation: https://docs.docker.com/build/building/multi-platform/#cross-compilation
- BuildKit check FromPlatformFlagConstDisallowed: https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/
"#,
};

impl Rule for FromPlatformNotTarget {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let project = platforms::configured(&cx.inputs.settings);
        let intent = platforms::reads_target_args(cx);
        if project.is_empty() && !intent {
            return;
        }
        for stage in &cx.model.stages {
            let Some((flag, value)) = platforms::constant_platform(cx, stage) else { continue };
            let Some(p) = platforms::normalize(&value) else { continue };
            let (os, arch, _) = platforms::parse_platform(&value).unwrap_or_default();
            // The base image exists for this architecture only (an L4T image
            // for Jetson): the constant says what the image requires.
            if platforms::base_archs(cx, stage).is_some_and(|a| a.iter().all(|x| *x == arch)) {
                continue;
            }
            let name = stage.name.as_ref().map(|n| n.value.to_ascii_lowercase()).unwrap_or_default();
            if !name.is_empty() && (name.contains(&os) || name.contains(&arch)) {
                continue;
            }
            let why = if project.is_empty() {
                "the Dockerfile reads the TARGET* platform ARGs, so it is built for several platforms".to_string()
            } else {
                let others: Vec<String> = project.iter().filter(|t| **t != p).cloned().collect();
                if others.is_empty() {
                    continue;
                }
                format!("the project is built for {}", platforms::list(&project))
            };
            out.push(META.diagnostic(
                Span::new(flag.span.start, flag.span.end),
                format!(
                    "`--platform={value}` builds this stage for {p} whatever the target, but {why}; use `$BUILDPLATFORM` for a stage that cross-compiles (with TARGETOS/TARGETARCH), or no `--platform` for a stage of the target"
                ),
            ));
        }
    }
}
