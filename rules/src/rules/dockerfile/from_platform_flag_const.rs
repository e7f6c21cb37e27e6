use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::text::Span;

pub struct FromPlatformFlagConst;

static META: RuleMeta = RuleMeta {
    code: "BD1013",
    name: "from-platform-flag-const",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: Some("FromPlatformFlagConstDisallowed"),
    aliases: &[],
    default_enabled: false,
    summary: "Do not pin FROM --platform to a fixed platform",
    docs: r#"## What it checks
Off by default: hadolint's DL3029 already reports every `FROM --platform`, so
with both on the same flag would be reported twice. Turn this one on (and
DL3029 off) for BuildKit's narrower check.

`FROM --platform=<value>` where the value is written out (`linux/amd64`)
rather than taken from a variable such as `$BUILDPLATFORM` or
`$TARGETPLATFORM`. A stage whose name mentions the platform's OS or
architecture (`FROM --platform=linux/arm64 alpine AS build-arm64`) is meant
for that platform and is left alone.

## Why it matters
A fixed platform makes the stage ignore `docker build --platform`: building
for arm64 still pulls and runs the amd64 image, under emulation or not at
all, and the resulting image silently contains binaries for the wrong
architecture. Multi-platform builds (`--platform linux/amd64,linux/arm64`)
produce the same stage for every target.

## Example
```dockerfile
FROM --platform=linux/amd64 golang:1.23 AS build
```

## Use instead
```dockerfile
FROM --platform=$BUILDPLATFORM golang:1.23 AS build
ARG TARGETOS TARGETARCH
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
```
or, when the stage really is for one platform, say so in its name:
`FROM --platform=linux/amd64 golang:1.23 AS build-amd64`.

## References
- BuildKit check FromPlatformFlagConstDisallowed: https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/
- Multi-platform builds: https://docs.docker.com/build/building/multi-platform/
"#,
};

/// containerd's architecture aliases.
fn normalize_arch(arch: &str) -> String {
    let a = arch.to_ascii_lowercase();
    match a.as_str() {
        "i386" => "386".into(),
        "x86_64" | "x86-64" | "amd64" => "amd64".into(),
        "aarch64" | "arm64" => "arm64".into(),
        "armhf" | "armel" | "arm" => "arm".into(),
        _ => a,
    }
}

const ARCHES: &[&str] = &[
    "386", "i386", "amd64", "x86_64", "x86-64", "arm", "armhf", "armel", "arm64", "aarch64", "ppc64le", "ppc64",
    "s390x", "riscv64", "mips64le", "mips64", "loong64", "wasm",
];

/// The OS and architecture of a platform string, as containerd reads it.
fn os_arch(platform: &str) -> Option<(String, Option<String>)> {
    if !super::instruction_spec::valid_platform(platform) {
        return None;
    }
    let mut parts = platform.split('/');
    let first = parts.next()?.split('(').next()?.to_ascii_lowercase();
    let second = parts.next();
    let os = |o: &str| if o == "macos" { "darwin".to_string() } else { o.to_string() };
    Some(match second {
        Some(arch) => (os(&first), Some(normalize_arch(arch))),
        None if ARCHES.contains(&first.as_str()) => ("linux".to_string(), Some(normalize_arch(&first))),
        None => (os(&first), None),
    })
}

impl Rule for FromPlatformFlagConst {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let Some(inst) = cx.file.instructions.get(stage.from) else { continue };
            for flag in inst.flags.iter().filter(|f| f.name == "platform") {
                let (Some(value), Some(vspan)) = (&flag.value, flag.value_span) else { continue };
                if cx.text(vspan).contains('$') {
                    continue;
                }
                let Some((os, arch)) = os_arch(value) else { continue };
                let name = stage.name.as_ref().map(|n| n.value.to_ascii_lowercase()).unwrap_or_default();
                if !name.is_empty() && (name.contains(&os) || arch.as_ref().is_some_and(|a| name.contains(a.as_str())))
                {
                    continue;
                }
                out.push(META.diagnostic(
                    Span::new(flag.span.start, flag.span.end),
                    format!(
                        "`--platform={value}` pins the stage to one platform and ignores `docker build --platform`; use `$BUILDPLATFORM` or `$TARGETPLATFORM`, or name the stage after the platform"
                    ),
                ));
            }
        }
    }
}
