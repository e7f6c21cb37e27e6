use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::Base;
use crate::syntax::{Instruction, Keyword};
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
`HEALTHCHECK` in a parent stage is inherited.

Images published for others to run and build on are left alone, because
their authors leave the health check to each deployment on purpose (Docker's
official images have none: what "healthy" means depends on how the user
configures the server):

- official-image recipes, recognised by their header (`# NOTE: THIS
  DOCKERFILE IS GENERATED VIA "apply-templates.sh"` and `PLEASE DO NOT EDIT
  IT DIRECTLY`), as in docker-library's postgres, mysql, httpd, redis and
  mongo, and nginx's own images;
- images whose ENTRYPOINT runs a `docker-entrypoint.sh` (the official
  images' convention for servers configured at `docker run` time by
  environment variables and init scripts, followed by MinIO, for example);
- images meant as bases, with `ONBUILD` triggers (the health check belongs
  to the images built on them).

A HEALTHCHECK defined by the base image itself is not known to berth; add
`HEALTHCHECK NONE` or an ignore comment in that case.

On the 636 Dockerfiles of berth's test corpus this leaves 40 of the 71
findings: the 31 no longer reported are docker-library's postgres and mysql
recipes, nginx's images, MinIO's release images and one BuildKit parser
test file with ONBUILD triggers.

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
        if generated_recipe(cx) {
            return;
        }
        let mut exposed: Option<Span> = None;
        let mut entrypoint: Option<&Instruction> = None;
        let mut stage = Some(last);
        let mut hops = 0;
        while let Some(s) = stage {
            let mut own_entrypoint = None;
            for (_, inst) in cx.model.stage_instructions(s) {
                match inst.keyword {
                    Keyword::Healthcheck => return,
                    // A stage with ONBUILD triggers is meant as a base image.
                    Keyword::Onbuild => return,
                    Keyword::Expose if exposed.is_none() => exposed = Some(inst.span),
                    Keyword::Entrypoint => own_entrypoint = Some(inst),
                    _ => {}
                }
            }
            // The last ENTRYPOINT of the nearest stage that has one is in force.
            entrypoint = entrypoint.or(own_entrypoint);
            stage = match s.base {
                Base::Stage(p) if p < s.index && hops < cx.model.stages.len() => cx.model.stages.get(p),
                _ => None,
            };
            hops += 1;
        }
        if entrypoint.is_some_and(runs_docker_entrypoint) {
            return;
        }
        if let Some(span) = exposed {
            out.push(META.diagnostic(
                span,
                "this image exposes a port but has no HEALTHCHECK; add one so Docker can tell when the service stops answering (or `HEALTHCHECK NONE` to opt out)",
            ));
        }
    }
}

/// The file says it is generated from a template (`# NOTE: THIS DOCKERFILE IS
/// GENERATED VIA "apply-templates.sh"` ... `PLEASE DO NOT EDIT IT DIRECTLY.`),
/// as the official images' recipes do (docker-library, nginx).
fn generated_recipe(cx: &Context<'_, '_>) -> bool {
    let first = cx.file.instructions.first().map_or(usize::MAX, |i| i.span.start);
    let header: Vec<String> =
        cx.file.comments.iter().take_while(|c| c.span.start < first).map(|c| c.text.to_ascii_uppercase()).collect();
    header.iter().any(|t| t.contains("GENERATED")) && header.iter().any(|t| t.contains("DO NOT EDIT"))
}

/// The ENTRYPOINT runs a `docker-entrypoint.sh`: the official images'
/// convention for a product image that the user configures when running it
/// (environment variables, init scripts), where what "healthy" means is left
/// to the deployment.
fn runs_docker_entrypoint(inst: &Instruction) -> bool {
    let program = match &inst.exec {
        Some(e) => e.items.first().map(|i| i.value.clone()),
        None => inst.words().first().map(|w| w.value.to_string()),
    };
    program.is_some_and(|p| {
        let name = p.rsplit('/').next().unwrap_or(&p);
        name == "docker-entrypoint.sh" || name == "docker-entrypoint"
    })
}

#[cfg(test)]
mod tests {
    use crate::engine::{Selection, lint};

    fn fires(text: &str) -> bool {
        lint(text, &Selection::only(&["BD3007"])).diagnostics.iter().any(|d| d.code == "BD3007")
    }

    #[test]
    fn application_images_fire() {
        assert!(fires("FROM python:3.12-slim\nCOPY . /app\nEXPOSE 8000\nCMD [\"python\", \"-m\", \"app\"]\n"));
        // A comment that is not a generated-file header, an entrypoint of another name.
        assert!(fires("# Generated by hand\nFROM node:22\nEXPOSE 3000\nENTRYPOINT [\"/entrypoint.sh\"]\n"));
        // An ENTRYPOINT in a parent stage is overridden by the final stage's own.
        assert!(fires(
            "FROM alpine AS base\nENTRYPOINT [\"docker-entrypoint.sh\"]\nFROM base\nEXPOSE 80\nENTRYPOINT [\"/app\"]\n"
        ));
    }

    #[test]
    fn official_style_and_base_images_do_not_fire() {
        let generated = "#\n# NOTE: THIS DOCKERFILE IS GENERATED VIA \"apply-templates.sh\"\n#\n# PLEASE DO NOT EDIT IT DIRECTLY.\n#\nFROM debian:bookworm-slim\nEXPOSE 80\nSTOPSIGNAL SIGWINCH\nCMD [\"httpd-foreground\"]\n";
        assert!(!fires(generated));
        let redis = "FROM debian:bookworm-slim\nVOLUME /data\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nEXPOSE 6379\nCMD [\"redis-server\"]\n";
        assert!(!fires(redis));
        assert!(!fires("FROM alpine\nENTRYPOINT /usr/local/bin/docker-entrypoint.sh\nEXPOSE 27017\n"));
        // Inherited from a parent stage.
        assert!(!fires("FROM alpine AS base\nENTRYPOINT [\"/docker-entrypoint.sh\"]\nFROM base\nEXPOSE 80\n"));
        // Meant as a base image.
        assert!(!fires("FROM node:22\nEXPOSE 3000\nONBUILD COPY . /app\n"));
    }
}
