use super::images::{self, ImageKind};
use super::service_storage::{self, DataDirs, Mount, Persistence};
use super::{place, place_node, with_written};
use crate::compose::{Kind, Style};
use crate::engine::{
    Category, ComposeContext, ComposeRule, Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity,
};
use crate::text::Span;

pub struct StatefulServiceWithoutVolume;

static META: RuleMeta = RuleMeta {
    code: "BC3001",
    name: "stateful-service-without-volume",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A database, broker, search engine, vector or object store keeps its data inside the container",
    docs: r#"## What it checks
Services that run a well-known stateful image (PostgreSQL and its extension
images, MySQL, MariaDB, MongoDB, ClickHouse, Neo4j, InfluxDB, Cassandra, SQL
Server, RabbitMQ, Kafka, ZooKeeper, Redpanda, Elasticsearch, OpenSearch,
Meilisearch, Qdrant, Milvus, Weaviate, Chroma, MinIO, Bitnami's images, ...)
with no named volume or bind mount on the directory where that image keeps
its data, or on a parent of it. The directory is the official image's
(`/var/lib/postgresql/data`, `/var/lib/mysql`, `/data/db`, `/qdrant/storage`,
everything under `/bitnami` for Bitnami images, `/config` for
LinuxServer.io images (`lscr.io/linuxserver/mariadb`), the paths given to
`minio server`), moved by the variables that move it (`PGDATA`,
`KAFKA_LOG_DIRS`, `PERSIST_DIRECTORY`, ...). These facts, with the page each
was read from, are berth's one table of image facts
(`rules/src/rules/images.rs`).

PostgreSQL 18 and later keep their data in `/var/lib/postgresql/18/docker`
and expect the volume at `/var/lib/postgresql` (docker-library/postgres
`18/*/Dockerfile`: `ENV PGDATA /var/lib/postgresql/18/docker`,
`VOLUME /var/lib/postgresql`); a volume left at the old
`/var/lib/postgresql/data` is reported on that line. The official image
without a version in its tag (`postgres`, `postgres:latest`,
`postgres:alpine`) runs 18 today and is judged as 18.

Not reported: caches (Redis, Valkey, Memcached), whose data is meant to be
disposable; a `tmpfs` on the data directory (an explicit choice);
`volumes_from`; mounts whose target is a variable; images whose data
directory berth does not know, unless the service has no mount at all;
services that run a client from the image (`psql`, `redis-cli`, `mc`, ...);
services where a mounted path appears in the command or environment (the
data may have been moved there).

## Why it matters
Without a volume the data lives in the container's writable layer, or in an
anonymous volume that the image declares. Either way it is gone for the next
container: `docker compose down` followed by `up`, a `docker rm`, or a new
container after some changes start from an empty database. An anonymous
volume written in the file (`- /var/lib/mysql`) has the same problem: every
new container gets a new, empty one.

## Example
```yaml
services:
  db:
    image: postgres:17
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
```

## Use instead
```yaml
services:
  db:
    image: postgres:17
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    volumes:
      - db-data:/var/lib/postgresql/data

volumes:
  db-data:
```

## Fix
For PostgreSQL 18 and later with the volume at `/var/lib/postgresql/data`,
moves it to `/var/lib/postgresql`. Unsafe: data written to the old location is
no longer seen by the server.

## References
- Compose Specification, volumes: https://docs.docker.com/reference/compose-file/services/#volumes
- Docker, volumes: https://docs.docker.com/engine/storage/volumes/
- PostgreSQL image, `PGDATA` (changed in 18): https://hub.docker.com/_/postgres
- docker-library/postgres, 18: https://github.com/docker-library/postgres/blob/master/18/trixie/Dockerfile
- LinuxServer.io, running our containers (`/config`): https://docs.linuxserver.io/general/running-our-containers/
- Bitnami containers (persistence under `/bitnami`): https://github.com/bitnami/containers
"#,
};

const OLD_PGDATA: &str = "/var/lib/postgresql/data";

/// Where to report a mount: its `target` entry in the long syntax, else the item.
fn mount_place(m: &Mount<'_>) -> (Span, Option<Span>) {
    match m.node.entry("target") {
        Some((k, v)) => place(k, v),
        None => place_node(m.node),
    }
}

/// The edit moving a short- or long-syntax mount from `/var/lib/postgresql/data` to `/var/lib/postgresql`.
fn move_pg_mount(cx: &ComposeContext<'_>, m: &Mount<'_>) -> Option<Edit> {
    if m.node.via.is_some() {
        return None;
    }
    match &m.node.kind {
        Kind::Scalar { text, style } => {
            let src = cx.text(m.node.span);
            let body = match style {
                Style::Plain => src,
                Style::SingleQuoted | Style::DoubleQuoted => src.get(1..src.len().saturating_sub(1))?,
                _ => return None,
            };
            if body != text {
                return None;
            }
            let needle = format!(":{OLD_PGDATA}");
            let mut hits = body.match_indices(&needle);
            let (i, _) = hits.next()?;
            if hits.next().is_some() {
                return None;
            }
            let after = &body[i + needle.len()..];
            if !(after.is_empty() || after.starts_with(':')) {
                return None;
            }
            let start = m.node.span.start + (src.len() - body.len()).min(1) + i + 1;
            Some(Edit::replace(Span::new(start, start + OLD_PGDATA.len()), "/var/lib/postgresql"))
        }
        Kind::Map(_) => {
            let t = m.node.get("target")?;
            (t.str() == Some(OLD_PGDATA) && t.via.is_none()).then(|| {
                let quoted = matches!(t.style(), Some(Style::SingleQuoted | Style::DoubleQuoted));
                let q = if quoted { &cx.text(t.span)[..1] } else { "" };
                Edit::replace(t.span, format!("{q}/var/lib/postgresql{q}"))
            })
        }
        _ => None,
    }
}

impl ComposeRule for StatefulServiceWithoutVolume {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some((ik, iv)) = s.node.entry("image") else { continue };
            let Some(image) = iv.str() else { continue };
            let Some(known) = images::lookup(image) else { continue };
            if matches!(known.kind, ImageKind::Cache | ImageKind::ModelServer)
                || service_storage::runs_a_client(&s.node)
            {
                continue;
            }
            let dirs = service_storage::data_dirs(&known, image, &s.node);
            let mounts = service_storage::mounts(&s.node);
            let product = known.product;
            let name = &s.name;
            match service_storage::persistence(&s.node, &dirs, &mounts) {
                Persistence::Kept | Persistence::Unknown => {}
                Persistence::Anonymous(m) => {
                    let (at, written) = mount_place(m);
                    let msg = format!(
                        "service `{name}` keeps its {product} data in an anonymous volume at `{}`: every new container gets a new, empty one; name the volume and declare it under top-level `volumes`",
                        m.target
                    );
                    out.push(with_written(META.diagnostic(at, msg), written));
                }
                Persistence::Lost => {
                    // PostgreSQL 18+ with the volume still at the old place.
                    let old = mounts.iter().find(|m| m.kind.persists() && m.target.trim_end_matches('/') == OLD_PGDATA);
                    if let (Some(m), DataDirs::Known { dirs, shown, .. }) = (old, &dirs)
                        && product == "postgres"
                        && dirs.iter().all(|d| d.ends_with("/docker"))
                    {
                        let (at, written) = mount_place(m);
                        let floating =
                            !images::parse_ref(image).tag.is_some_and(|t| t.bytes().any(|b| b.is_ascii_digit()));
                        let today = if floating {
                            format!(
                                " (`{image}` has no version in its tag and runs {} today)",
                                images::POSTGRES_LATEST_MAJOR
                            )
                        } else {
                            String::new()
                        };
                        let msg = format!(
                            "service `{name}` mounts `{OLD_PGDATA}`, but postgres 18 and later keep their data {shown}{today}: the volume is unused and the data is lost with the container; mount it at `/var/lib/postgresql`"
                        );
                        let mut d = with_written(META.diagnostic(at, msg), written);
                        if let Some(e) = move_pg_mount(cx, m) {
                            d = d.with_fix(Fix::unsafe_("Mount the volume at /var/lib/postgresql", vec![e]));
                        }
                        out.push(d);
                        continue;
                    }
                    let (at, written) = place(ik, iv);
                    let msg = match &dirs {
                        DataDirs::Known { shown, mount_at, .. } => format!(
                            "service `{name}` keeps its {product} data {shown} without a volume: it is lost when the container is removed; mount a named volume at `{mount_at}`"
                        ),
                        _ => format!(
                            "service `{name}` has no volume for its {product} data: it is lost when the container is removed; mount a named volume on its data directory"
                        ),
                    };
                    out.push(with_written(META.diagnostic(at, msg), written));
                }
            }
        }
    }
}
