use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct OnbuildForbiddenTrigger;

static META: RuleMeta = RuleMeta {
    code: "DL3043",
    name: "onbuild-forbidden-trigger",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER",
    docs: r#"## What it checks
`ONBUILD ONBUILD ...`, `ONBUILD FROM ...` and `ONBUILD MAINTAINER ...`. The
finding covers the forbidden instruction after `ONBUILD`.

## Why it matters
The Dockerfile reference forbids these three as triggers: chaining `ONBUILD`
is not allowed, a trigger cannot start a new stage, and `MAINTAINER` is
deprecated metadata. The builder rejects the instruction, so the image
cannot be built, and whoever wrote it expected something that never
happens.

## Example
```dockerfile
FROM node:22-slim
ONBUILD ONBUILD RUN npm ci
```

## Use instead
```dockerfile
FROM node:22-slim
ONBUILD RUN npm ci
```

## References
- hadolint DL3043
- Dockerfile reference, ONBUILD: https://docs.docker.com/reference/dockerfile/#onbuild
"#,
};

impl Rule for OnbuildForbiddenTrigger {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for inst in &cx.file.instructions {
            let Some(trigger) = &inst.trigger else { continue };
            let advice = match trigger.keyword {
                Keyword::Onbuild => "ONBUILD cannot be chained; write a single ONBUILD",
                Keyword::From => "a trigger cannot start a stage; put the FROM in the Dockerfile that uses this image",
                Keyword::Maintainer => {
                    "MAINTAINER cannot be a trigger; use `LABEL org.opencontainers.image.authors=...` instead"
                }
                _ => continue,
            };
            out.push(META.diagnostic(
                trigger.keyword_span,
                format!("`ONBUILD {}` is not allowed: {advice}", trigger.keyword.as_str()),
            ));
        }
    }
}
