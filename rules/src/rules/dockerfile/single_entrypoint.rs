use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct SingleEntrypoint;

static META: RuleMeta = RuleMeta {
    code: "DL4004",
    name: "single-entrypoint",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::Always,
    buildkit: Some("MultipleInstructionsDisallowed"),
    aliases: &[],
    default_enabled: true,
    summary: "Only the last ENTRYPOINT of a stage takes effect",
    docs: r#"## What it checks
Stages with more than one `ENTRYPOINT`. Each repeated `ENTRYPOINT` is reported
(as in hadolint, so `# hadolint ignore=DL4004` comments keep working), with a
link to the `ENTRYPOINT` before it, which the image does not keep.
`ONBUILD ENTRYPOINT` triggers are counted separately from the stage's own
instructions, since they apply to images built on this one.

## Why it matters
`ENTRYPOINT` only records which program the container starts; each one
replaces the previous one, so the earlier ones do nothing. Keeping them makes
readers believe the container starts differently than it does, and often
hides a mistake: a wrapper script that was meant to run first never runs.

## Example
```dockerfile
FROM alpine:3.20
ENTRYPOINT ["/usr/local/bin/wait-for-db"]
ENTRYPOINT ["/usr/local/bin/api"]
```

## Use instead
```dockerfile
FROM alpine:3.20
# wait-for-db ends with `exec "$@"`, so it hands over to the API.
ENTRYPOINT ["/usr/local/bin/wait-for-db", "/usr/local/bin/api"]
```

## Fix
Deletes the lines of each overridden `ENTRYPOINT`. Unsafe: the image does not
change, but the deleted entry point may be the one you meant to keep, or one
you meant to chain in front of the last.

## References
- hadolint DL4004
- Dockerfile reference, ENTRYPOINT: https://docs.docker.com/reference/dockerfile/#entrypoint
- BuildKit check MultipleInstructionsDisallowed: https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/
"#,
};

impl Rule for SingleEntrypoint {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        super::single_cmd::report_overridden(cx, Keyword::Entrypoint, &META, out);
    }
}
