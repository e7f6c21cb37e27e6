use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct SingleHealthcheck;

static META: RuleMeta = RuleMeta {
    code: "DL3012",
    name: "single-healthcheck",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::Always,
    buildkit: Some("MultipleInstructionsDisallowed"),
    aliases: &[],
    default_enabled: true,
    summary: "Only the last HEALTHCHECK of a stage takes effect",
    docs: r#"## What it checks
Stages with more than one `HEALTHCHECK` (`HEALTHCHECK NONE` included). Each
repeated `HEALTHCHECK` is reported where it is (as in hadolint, so
`# hadolint ignore=DL3012` comments keep working), with a link to the one
before it, which has no effect. `ONBUILD HEALTHCHECK` triggers are counted
separately from the stage's own instructions, since they apply to images
built on this one.

## Why it matters
`HEALTHCHECK` only records how the container's health is probed; each one
replaces the previous one. The earlier probes never run, yet readers of the
file believe they do: a check on the database port, say, that was silently
replaced by a check on the web port.

## Example
```dockerfile
FROM nginx:1.27-alpine
HEALTHCHECK CMD wget -q --spider http://localhost/ || exit 1
HEALTHCHECK --interval=10s CMD wget -q --spider http://localhost/healthz || exit 1
```

## Use instead
```dockerfile
FROM nginx:1.27-alpine
HEALTHCHECK --interval=10s CMD wget -q --spider http://localhost/healthz || exit 1
```

## Fix
Deletes the lines of each overridden `HEALTHCHECK`. Unsafe: the image is the
same, but the deleted probe may be the one you meant to keep.

## References
- hadolint DL3012
- Dockerfile reference, HEALTHCHECK: https://docs.docker.com/reference/dockerfile/#healthcheck
- BuildKit check MultipleInstructionsDisallowed: https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/
"#,
};

impl Rule for SingleHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        super::single_cmd::report_overridden(cx, Keyword::Healthcheck, &META, out);
    }
}
