use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::Base;
use crate::syntax::Keyword;
use crate::text::Span;

pub struct MissingHealthcheck;

static META: RuleMeta = RuleMeta {
    code: "BD3007",
    name: "missing-healthcheck",
    severity: Severity::Info,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "An image that exposes a port should say how to check its health",
    docs: r#"## What it checks
The final stage (the image that is built by default) when it, or a stage it is
built `FROM`, has an `EXPOSE` but no `HEALTHCHECK`. The finding points at the
first `EXPOSE` of the final stage (or of the nearest parent stage that has one).
`HEALTHCHECK NONE` counts as a deliberate choice and silences the rule, and a
`HEALTHCHECK` in a parent stage is inherited. ONBUILD triggers do not count, as
they act in another build. A HEALTHCHECK defined by the base image itself is
not known to berth; add `HEALTHCHECK NONE` or an ignore comment in that case.

This is narrower than hadolint's DL3057 (off by default there), which asks for
a HEALTHCHECK in every image: a service that listens on a port is the case
where a health check means something.

## Why it matters
Docker considers a container healthy as long as its main process runs. A
server that is deadlocked, out of connections or stuck at start-up keeps
running, so `docker compose` (`depends_on: condition: service_healthy`),
Swarm's rolling updates and `docker ps` all treat it as fine. A HEALTHCHECK
lets them see that the service really answers. Kubernetes ignores HEALTHCHECK
and uses its own probes; if that is your only runtime, turn this rule off.

## Example
```dockerfile
FROM python:3.12-slim
COPY app/ /app/
EXPOSE 8000
CMD ["python", "-m", "app"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
COPY app/ /app/
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"]
CMD ["python", "-m", "app"]
```

## References
- Dockerfile reference, HEALTHCHECK: https://docs.docker.com/reference/dockerfile/#healthcheck
- Compose, `depends_on` with `service_healthy`: https://docs.docker.com/reference/compose-file/services/#depends_on
"#,
};

impl Rule for MissingHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let Some(last) = cx.model.final_stage() else { return };
        let mut exposed: Option<Span> = None;
        let mut stage = Some(last);
        let mut hops = 0;
        while let Some(s) = stage {
            for (_, inst) in cx.model.stage_instructions(s) {
                match inst.keyword {
                    Keyword::Healthcheck => return,
                    Keyword::Expose if exposed.is_none() => exposed = Some(inst.span),
                    _ => {}
                }
            }
            stage = match s.base {
                Base::Stage(p) if p < s.index && hops < cx.model.stages.len() => cx.model.stages.get(p),
                _ => None,
            };
            hops += 1;
        }
        if let Some(span) = exposed {
            out.push(META.diagnostic(
                span,
                "this image exposes a port but has no HEALTHCHECK; add one so Docker can tell when the service stops answering (or `HEALTHCHECK NONE` to opt out)",
            ));
        }
    }
}
