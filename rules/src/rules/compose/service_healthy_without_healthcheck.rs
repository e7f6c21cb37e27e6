use super::depends_on_not_ready::{Health, by_name, health};
use super::images;
use super::{place, with_written};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct ServiceHealthyWithoutHealthcheck;

static META: RuleMeta = RuleMeta {
    code: "BC3003",
    name: "service-healthy-without-healthcheck",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "`condition: service_healthy` on a dependency that has no healthcheck",
    docs: r#"## What it checks
`depends_on` entries with `condition: service_healthy` whose dependency,
defined in the same file:
- has its healthcheck disabled (`disable: true`, `test: ["NONE"]`); or
- has no `healthcheck` and runs a well-known image that declares no
  `HEALTHCHECK` of its own (the official PostgreSQL, MySQL, MariaDB, MongoDB,
  Redis, Valkey, RabbitMQ, Elasticsearch, OpenSearch, ClickHouse, Neo4j,
  Qdrant, Weaviate, Confluent and Bitnami images, among others).

Dependencies built from a Dockerfile, images berth does not know, and
services that use `extends` are not reported: their image may bring a
`HEALTHCHECK`.

## Why it matters
A container without a healthcheck never becomes healthy. `docker compose up`
fails with "container ... has no healthcheck configured" (or waits and then
fails), and the dependent service is never started.

## Example
```yaml
services:
  app:
    build: .
    depends_on:
      db:
        condition: service_healthy
  db:
    image: postgres:17
```

## Use instead
```yaml
services:
  app:
    build: .
    depends_on:
      db:
        condition: service_healthy
  db:
    image: postgres:17
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 5s
      retries: 10
```

## References
- Compose Specification, depends_on: https://docs.docker.com/reference/compose-file/services/#depends_on
- Compose Specification, healthcheck: https://docs.docker.com/reference/compose-file/services/#healthcheck
"#,
};

impl ComposeRule for ServiceHealthyWithoutHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let services = &cx.file.services;
        // The service waited for as the merged project has it (an override
        // file may add its healthcheck).
        let by = by_name(cx.project.services());
        for s in services {
            let Some(deps) = s.node.get("depends_on") else { continue };
            for (k, v) in deps.entries() {
                let Some((ck, cv)) = v.entry("condition") else { continue };
                if cv.str() != Some("service_healthy") {
                    continue;
                }
                let Some(target) = by.get(k.text.as_str()) else { continue };
                let known = target.node.get("image").and_then(|i| i.str()).and_then(images::lookup);
                let why = match health(&target.node) {
                    Health::Disabled => "its healthcheck is disabled".to_string(),
                    Health::Missing
                        if target.node.get("build").is_none() && known.is_some_and(|k| k.no_image_healthcheck) =>
                    {
                        format!(
                            "it has no `healthcheck` and the {} image declares none",
                            known.map_or("", |k| k.product)
                        )
                    }
                    _ => continue,
                };
                let (at, written) = place(ck, cv);
                let msg = format!(
                    "service `{}` waits for `{}` to be healthy, but {why}: Compose never starts `{}`; add a healthcheck to `{}`",
                    s.name, k.text, s.name, k.text
                );
                out.push(with_written(META.diagnostic(at, msg), written));
            }
        }
    }
}
