use super::sources::used_stages;
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::Base;
use crate::syntax::Keyword;
use crate::text::Span;

pub struct HealthcheckMissing;

static META: RuleMeta = RuleMeta {
    code: "DL3057",
    name: "healthcheck-missing",
    severity: Severity::Info,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: false,
    summary: "Images should define a HEALTHCHECK",
    docs: r#"## What it checks
Images without a `HEALTHCHECK`. The finding is on the `FROM` line of each
stage that ends up as an image (the last stage, and any stage that no other
stage builds on or copies from) when neither it nor a stage it is built on
(`FROM <stage>`) has a `HEALTHCHECK`. `HEALTHCHECK NONE` counts: it says so
on purpose. A health check defined by the base image is not visible here.

The rule is off by default (as in hadolint, where its level is `ignore`):
many images are run by orchestrators that probe health themselves. hadolint
reports every stage, build stages included; berth only the images.

## Why it matters
Without a health check, Docker only knows whether the main process runs, not
whether it answers. A hung server stays "running" and receives traffic;
`docker ps`, Compose's `depends_on: condition: service_healthy` and Swarm
rely on the health status to notice.

## Example
```dockerfile
FROM nginx:1.27-alpine
COPY site/ /usr/share/nginx/html/
```

## Use instead
```dockerfile
FROM nginx:1.27-alpine
COPY site/ /usr/share/nginx/html/
HEALTHCHECK --interval=30s --timeout=3s CMD wget -q --spider http://localhost/ || exit 1
```

## References
- hadolint DL3057
- Dockerfile reference, HEALTHCHECK: https://docs.docker.com/reference/dockerfile/#healthcheck
"#,
};

impl Rule for HealthcheckMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let used = used_stages(cx);
        let mut has: Vec<bool> = Vec::with_capacity(cx.model.stages.len());
        for stage in &cx.model.stages {
            let inherited = matches!(stage.base, Base::Stage(p) if has.get(p).copied().unwrap_or(false));
            let own = cx.model.stage_instructions(stage).any(|(_, i)| i.keyword == Keyword::Healthcheck);
            has.push(inherited || own);
            if has.last() == Some(&true) || used.get(stage.index).copied().unwrap_or(true) {
                continue;
            }
            let Some(from) = cx.file.instructions.get(stage.from) else { continue };
            let end = stage.name.as_ref().map(|n| n.span.end).or(stage.image_word.as_ref().map(|w| w.span.end));
            out.push(META.diagnostic(
                Span::new(from.keyword_span.start, end.unwrap_or(from.keyword_span.end)),
                "this image has no HEALTHCHECK, so only a crash is noticed, not a hang; add one (or `HEALTHCHECK NONE` to say there is none)",
            ));
        }
    }
}
