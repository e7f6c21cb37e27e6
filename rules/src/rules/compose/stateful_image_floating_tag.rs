use super::images::{self, ImageKind};
use super::{place, with_written};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct StatefulImageFloatingTag;

static META: RuleMeta = RuleMeta {
    code: "BC3008",
    name: "stateful-image-floating-tag",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A database, broker or search image on a tag without a version, which moves across major versions",
    docs: r#"## What it checks
Services that run a database, message broker, search engine or vector store
image (the same list as `stateful-service-without-volume`) on a tag with no
version number in it: `postgres:alpine`, `mongo:jammy`,
`rabbitmq:management`, `clickhouse/clickhouse-server:latest-alpine`,
`neo4j:community`.

Not reported here:
- no tag and `latest`, `stable`, `edge`, `lts` and the other tags that
  `BC1014` (dclint's `service-image-require-explicit-tag`) reports for every
  image, so the two rules do not report the same line twice;
- tags that start with a version, major-only ones included (`postgres:17`,
  `mysql:8.4`, `postgres:17-alpine`): a major version is what keeps the data
  readable, and pinning a digest is a supply-chain policy rather than a data
  problem;
- images pinned by digest, tags given by variables, caches (their data is
  disposable) and object stores.

## Why it matters
A tag without a version follows the newest major release. The next
`docker compose pull` can start a server that cannot read the data the
previous one wrote: PostgreSQL refuses a data directory from another major
version, MongoDB needs each feature-compatibility step in turn,
Elasticsearch and RabbitMQ upgrade only from the releases just before them.

## Example
```yaml
services:
  db:
    image: postgres:alpine
```

## Use instead
```yaml
services:
  db:
    image: postgres:17-alpine
```

## References
- Compose Specification, image: https://docs.docker.com/reference/compose-file/services/#image
- PostgreSQL, upgrading a cluster: https://www.postgresql.org/docs/current/upgrading.html
- dclint `service-image-require-explicit-tag`
"#,
};

/// The tags `BC1014` (dclint's `service-image-require-explicit-tag`) reports.
const EXPLICIT_TAG_RULE: &[&str] = &["latest", "stable", "edge", "test", "nightly", "dev", "beta", "canary", "lts"];

impl ComposeRule for StatefulImageFloatingTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some((ik, iv)) = s.node.entry("image") else { continue };
            let Some(image) = iv.str() else { continue };
            let Some(known) = images::lookup(image) else { continue };
            if !matches!(
                known.kind,
                ImageKind::Database | ImageKind::Queue | ImageKind::Search | ImageKind::VectorStore
            ) {
                continue;
            }
            let r = images::parse_ref(image);
            let Some(tag) = r.tag else { continue };
            if r.digest.is_some()
                || tag.is_empty()
                || tag.contains('$')
                || tag.bytes().any(|b| b.is_ascii_digit())
                || EXPLICIT_TAG_RULE.contains(&tag)
            {
                continue;
            }
            let (at, written) = place(ik, iv);
            let variant = tag.strip_prefix("latest-").unwrap_or(tag);
            let msg = format!(
                "service `{}` runs `{image}`, a tag that moves to each new major version: after a pull, {} may not read the data the previous version wrote; pin a major version (`{}:<major>-{variant}`)",
                s.name, known.product, r.name
            );
            out.push(with_written(META.diagnostic(at, msg), written));
        }
    }
}
