use crate::engine::ignore::{self, Scope};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct InlineIgnorePragma;

static META: RuleMeta = RuleMeta {
    code: "DL1001",
    name: "inline-ignore-pragma",
    severity: Severity::Info,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: false,
    summary: "Inline ignore comments are not allowed",
    docs: r#"## What it checks
Comments that silence findings for the next instruction:
`# hadolint ignore=DL3008` and `# berth ignore=DL3008`. The finding covers
the comment. File-wide ignores (`# hadolint global ignore=...`) and
BuildKit's `# check=skip=...` are not reported.

The rule is off by default (as in hadolint, where its level is `ignore`).
Turn it on for projects whose policy is that every exception is decided in
the shared configuration, where it is reviewed once, rather than in each
Dockerfile.

## Why it matters
An inline ignore hides a finding where few people will look again. Teams that
want one place to see which rules are relaxed, and why, keep their exceptions
in the configuration file.

## Example
```dockerfile
FROM debian:bookworm-slim
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
```
or relax DL3008 in the configuration for the whole project.

## References
- hadolint DL1001
"#,
};

impl Rule for InlineIgnorePragma {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for s in ignore::collect(cx.file) {
            if s.buildkit || !matches!(s.scope, Scope::Span(_)) {
                continue;
            }
            let list = s.selectors.join(",");
            out.push(META.diagnostic(
                s.comment,
                format!(
                    "inline ignore of {list}: fix the finding, or relax the rule in the project's configuration instead"
                ),
            ));
        }
    }
}
