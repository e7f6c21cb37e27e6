use super::from_platform_flag::remove_flag;
use crate::engine::{Category, Context, Diagnostic, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct RedundantTargetPlatform;

static META: RuleMeta = RuleMeta {
    code: "DL3065",
    name: "redundant-target-platform",
    severity: Severity::Warning,
    category: Category::Style,
    fix: FixAvailability::Always,
    buildkit: Some("RedundantTargetPlatform"),
    aliases: &[],
    default_enabled: true,
    summary: "FROM --platform=$TARGETPLATFORM is the default",
    docs: r#"## What it checks
`FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`, in double quotes or not).
Other values, such as `$BUILDPLATFORM` or a fixed platform, are not this
rule's concern (see DL3029). hadolint does not recognise the quoted form;
berth does.

## Why it matters
A stage is built for the target platform unless told otherwise, so the flag
changes nothing. It suggests to readers that something special happens here,
and hides the one stage that really differs, the `$BUILDPLATFORM` one.

## Example
```dockerfile
FROM --platform=$TARGETPLATFORM alpine:3.20
```

## Use instead
```dockerfile
FROM alpine:3.20
```

## Fix
Removes the flag. Safe: the stage is built for the target platform either way.

## References
- hadolint DL3065
- BuildKit check RedundantTargetPlatform: https://docs.docker.com/reference/build-checks/redundant-target-platform/
- Dockerfile reference, automatic platform ARGs: https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope
"#,
};

impl Rule for RedundantTargetPlatform {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (_, inst) in cx.each(Keyword::From) {
            let Some(flag) = inst.flag("platform") else { continue };
            let Some(span) = flag.value_span else { continue };
            // Double quotes keep the variable; single quotes would make it literal text.
            let raw = cx.text(span);
            let value = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')).unwrap_or(raw);
            if !matches!(value, "$TARGETPLATFORM" | "${TARGETPLATFORM}") {
                continue;
            }
            out.push(
                META.diagnostic(
                    flag.span,
                    "`--platform=$TARGETPLATFORM` is what the builder uses anyway; remove the flag",
                )
                .with_fix(Fix::safe("Remove the redundant `--platform` flag", vec![remove_flag(&cx.file.text, flag)])),
            );
        }
    }
}
