use super::images;
use super::service_storage::{self, EnvValue, Persistence};
use super::{place, place_node, with_written};
use crate::engine::{
    Category, ComposeContext, ComposeRule, Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity,
};
use crate::text::Span;

pub struct RabbitmqWithoutHostname;

static META: RuleMeta = RuleMeta {
    code: "BC3010",
    name: "rabbitmq-without-hostname",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "RabbitMQ keeps its data on a volume but its node name changes with every container",
    docs: r#"## What it checks
Services that run the official `rabbitmq` image with a volume on
`/var/lib/rabbitmq`, but neither a `hostname` nor `RABBITMQ_NODENAME`.
Bitnami's image is not reported (its node name does not depend on the
hostname).

## Why it matters
RabbitMQ keeps its database in a directory named after the node
(`mnesia/rabbit@<hostname>`), and the node name comes from the hostname.
Without `hostname:`, every new container gets its container ID as hostname,
so after `docker compose down` and `up` RabbitMQ starts with an empty
database next to the old one: queues, users, virtual hosts and persistent
messages seem gone although the volume holds them.

## Example
```yaml
services:
  broker:
    image: rabbitmq:4.0-management
    volumes:
      - rabbitmq:/var/lib/rabbitmq
```

## Use instead
```yaml
services:
  broker:
    image: rabbitmq:4.0-management
    hostname: broker
    volumes:
      - rabbitmq:/var/lib/rabbitmq
```

## Fix
Adds `hostname: <service name>` before `image`. Unsafe: a broker that has
already been running finds the data of its old, random node name only if that
name is set instead.

## References
- RabbitMQ image, how to use: https://hub.docker.com/_/rabbitmq
- Compose Specification, hostname: https://docs.docker.com/reference/compose-file/services/#hostname
"#,
};

const DATA: &str = "/var/lib/rabbitmq";

impl ComposeRule for RabbitmqWithoutHostname {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some((ik, iv)) = s.node.entry("image") else { continue };
            let Some(image) = iv.str() else { continue };
            let r = images::parse_ref(image);
            if !r.name.eq_ignore_ascii_case("rabbitmq") || r.is_bitnami() || s.node.get("extends").is_some() {
                continue;
            }
            if s.node.get("hostname").is_some() || env_sets_node_name(&s.node) {
                continue;
            }
            let mounts = service_storage::mounts(&s.node);
            let dirs = service_storage::DataDirs::Known {
                dirs: vec![DATA.to_string()],
                shown: String::new(),
                mount_at: DATA.to_string(),
            };
            if !matches!(service_storage::persistence(&s.node, &dirs, &mounts), Persistence::Kept) {
                continue;
            }
            let Some(m) = mounts.iter().find(|m| m.kind.persists() && service_storage::covers(&m.target, DATA)) else {
                continue;
            };
            let (at, written) = match m.node.entry("target") {
                Some((k, v)) => place(k, v),
                None => place_node(m.node),
            };
            let msg = format!(
                "service `{}` keeps RabbitMQ data on a volume without a fixed `hostname`: the node name, and with it the data directory, changes with every new container; set `hostname: {}`",
                s.name, s.name
            );
            let mut d = with_written(META.diagnostic(at, msg), written);
            let valid_host = !s.name.is_empty() && s.name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if valid_host && ik.via.is_none() && iv.via.is_none() && !cx.text(s.node.span).starts_with('{') {
                let lines = &cx.file.lines;
                let before = cx.text(Span::new(lines.line_start(lines.line_of(ik.span.start)), ik.span.start));
                if before.chars().all(|c| c == ' ') {
                    let newline = if cx.file.text.contains("\r\n") { "\r\n" } else { "\n" };
                    let e = Edit::insert(ik.span.start, format!("hostname: {}{newline}{before}", s.name));
                    d = d.with_fix(Fix::unsafe_("Set `hostname` to the service name", vec![e]));
                }
            }
            out.push(d);
        }
    }
}

fn env_sets_node_name(service: &crate::compose::Node) -> bool {
    !matches!(service_storage::env_value(service, "RABBITMQ_NODENAME"), EnvValue::Absent)
}
