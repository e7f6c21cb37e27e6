use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::words::var_refs;
use crate::syntax::{Flag, Keyword, LogicalText};
use crate::text::Span;

pub struct FromPlatformFlag;

static META: RuleMeta = RuleMeta {
    code: "DL3029",
    name: "from-platform-flag",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::Always,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Do not pin FROM to a platform",
    docs: r#"## What it checks
`FROM --platform=...` with a fixed platform, such as
`FROM --platform=linux/amd64 python:3.12`, or a variable whose default is
one. A platform taken from the builder's automatic platform arguments
(`$BUILDPLATFORM`, `$TARGETPLATFORM`, `$BUILDOS/$BUILDARCH`, ...) is the
usual cross-compilation pattern and is not reported (`$TARGETPLATFORM` alone
is redundant, see DL3065). A platform whose variables have no default is
chosen at build time and is left alone.

hadolint skips only values containing `BUILDPLATFORM` or `TARGETPLATFORM` and
reports `$BUILDOS/$BUILDARCH` or an ARG without a default; berth does not.

## Why it matters
A fixed platform makes the stage ignore `docker build --platform` and
multi-platform builds: an arm64 build silently gets amd64 binaries, which
then run under emulation or not at all. The platform is better chosen when
building.

## Example
```dockerfile
FROM --platform=linux/amd64 node:22-slim
```

## Use instead
```dockerfile
FROM node:22-slim
```
and build with `docker build --platform linux/amd64 .` when one platform is
wanted.

## Fix
Removes the flag. Unsafe: the image is then built for whatever platform the
build asks for, which changes the result when the flag was deliberate (an
image that only exists for one platform, for instance).

## References
- hadolint DL3029
- Dockerfile reference, FROM --platform: https://docs.docker.com/reference/dockerfile/#from
- Multi-platform builds: https://docs.docker.com/build/building/multi-platform/
"#,
};

/// The automatic ARGs that describe the build or target platform.
pub(super) const PLATFORM_ARGS: &[&str] = &[
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
];

/// Delete `flag` and the blanks after it on its line.
pub(super) fn remove_flag(text: &str, flag: &Flag) -> Edit {
    let after = text.get(flag.span.end..).unwrap_or("");
    let blanks = after.len() - after.trim_start_matches([' ', '\t']).len();
    Edit::delete(Span::new(flag.span.start, flag.span.end + blanks))
}

impl Rule for FromPlatformFlag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.each(Keyword::From) {
            let Some(flag) = inst.flag("platform") else { continue };
            let Some(raw) = flag.value_span.map(|s| cx.text(s)) else { continue };
            let refs = var_refs(&LogicalText::contiguous(raw, 0), inst.escape);
            if refs.iter().any(|r| PLATFORM_ARGS.contains(&r.name.as_str())) {
                continue;
            }
            let written = crate::shell::unquote(raw);
            let e = cx.model.expand(&written, idx);
            let value = e.value.trim();
            if !e.unresolved.is_empty() || value.is_empty() {
                continue;
            }
            let shown = if refs.is_empty() { String::new() } else { format!(" (`{written}` evaluates to `{value}`)") };
            out.push(
                META.diagnostic(
                    flag.span,
                    format!(
                        "`--platform` pins this stage to {value}{shown}; remove it and choose the platform with `docker build --platform`"
                    ),
                )
                .with_fix(Fix::unsafe_("Remove the `--platform` flag", vec![remove_flag(&cx.file.text, flag)])),
            );
        }
    }
}
