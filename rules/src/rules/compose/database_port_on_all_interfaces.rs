use super::images;
use super::service_storage::{EnvValue, env_value};
use super::{place_node, with_written};
use crate::compose::{Kind, Node, Style};
use crate::engine::{
    Category, ComposeContext, ComposeRule, Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity,
};
use crate::text::Span;

pub struct DatabasePortOnAllInterfaces;

static META: RuleMeta = RuleMeta {
    code: "BC2003",
    name: "database-port-on-all-interfaces",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &["no-unbound-port-interfaces"],
    default_enabled: true,
    summary: "A database, cache or queue publishes a port on every network interface",
    docs: r#"## What it checks
Services whose image is a database, cache, queue, search engine, vector or
object store (postgres, mysql, mariadb, mongo, clickhouse, redis, valkey,
memcached, rabbitmq, kafka, zookeeper, elasticsearch, opensearch, qdrant,
milvus, weaviate, chroma, minio and others berth knows by name) and that
publish a port without a host IP (`5432:5432`, `5432`) or on `0.0.0.0`/`::`,
in the short or the long syntax. Host IPs given by a variable
(`${HOST_IP}:5432:5432`) are not reported.

The message names what the port serves: the data protocol by the kind of
service (`database port`, `message broker port`, `object store port`, ...),
or a console, admin or management port the image is known to serve there
(MinIO's console on 9001, Redpanda's admin API on 9644, Neo4j Browser on
7474, RabbitMQ's management UI on 15672, ...), or a JMX port when the
service sets `KAFKA_JMX_PORT`/`JMX_PORT` to it. These are reported too:
they give control over the service, often without a password.

## Why it matters
A published port without a host IP listens on every interface of the host, and
Docker's iptables rules put it in front of the host firewall (ufw, firewalld).
Databases started for local development with default or empty passwords are
found and emptied by scanners within hours.

## Example
```yaml
services:
  db:
    image: postgres:17
    ports:
      - "5432:5432"
```

## Use instead
```yaml
services:
  db:
    image: postgres:17
    ports:
      - "127.0.0.1:5432:5432"
```

## Fix
Binds the port to `127.0.0.1`. Unsafe: other machines (and containers reaching
the host by its external address) can no longer connect; drop `ports` entirely
when only other services of the file use the database.

## References
- dclint `no-unbound-port-interfaces` (for every image)
- Docker, packet filtering and firewalls: https://docs.docker.com/engine/network/packet-filtering-firewalls/
- Compose Specification, ports: https://docs.docker.com/reference/compose-file/services/#ports
"#,
};

/// A database, cache, broker, search engine, vector or object store (see `images.rs`).
#[cfg(test)]
fn is_data_image(image: &str) -> bool {
    images::lookup(image).is_some_and(|k| k.kind.is_data())
}

/// Split on `:` outside `${...}` and `[...]`.
fn split_port(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            ':' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

enum Finding {
    /// No host IP: insert `127.0.0.1:` (or `127.0.0.1::` before a lone container port) at this offset in the value.
    NoIp { single: bool },
    /// An all-interfaces IP written at this byte range of the value text.
    AllIfaces(std::ops::Range<usize>),
}

fn judge_short(text: &str) -> Option<Finding> {
    let parts = split_port(text);
    match parts.len() {
        1 => Some(Finding::NoIp { single: true }),
        2 => Some(Finding::NoIp { single: false }),
        _ => {
            let ip = parts[0];
            if crate::compose::interpolate::interpolated(ip) {
                return None;
            }
            let bare = ip.trim_start_matches('[').trim_end_matches(']');
            if matches!(bare, "0.0.0.0" | "::" | "") { Some(Finding::AllIfaces(0..ip.len())) } else { None }
        }
    }
}

/// The container port of a published port (`8080` in `127.0.0.1:80:8080/tcp`,
/// `target` in the long syntax); `None` for ranges and variables.
pub(super) fn container_port(port: &Node) -> Option<u16> {
    let text = match &port.kind {
        Kind::Scalar { text, .. } => split_port(text).last().map(|t| t.to_string())?,
        Kind::Map(_) => port.get("target")?.str()?.to_string(),
        _ => return None,
    };
    text.split('/').next()?.trim().parse().ok()
}

/// Report each of `ports` (the items of a service's `ports`) that `wanted`
/// accepts and that listens on every interface, with a fix binding it to
/// 127.0.0.1. `what` names the port in messages: before its text in the short
/// syntax (`database port`), and alone for the long syntax (`a database port`).
pub(super) fn report_ports(
    cx: &ComposeContext<'_>,
    meta: &'static RuleMeta,
    service: &str,
    what: (&str, &str),
    ports: &Node,
    wanted: &dyn Fn(&Node) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    for p in ports.items().iter().filter(|p| wanted(p)) {
        match &p.kind {
            Kind::Scalar { .. } => short(cx, meta, service, what.0, p, out),
            Kind::Map(_) => long(cx, meta, service, what.1, p, out),
            _ => {}
        }
    }
}

fn short(
    cx: &ComposeContext<'_>,
    meta: &'static RuleMeta,
    service: &str,
    what: &str,
    port: &Node,
    out: &mut Vec<Diagnostic>,
) {
    let Kind::Scalar { text, style } = &port.kind else { return };
    let Some(finding) = judge_short(text) else { return };
    let (at, written) = place_node(port);
    let msg = format!("service `{service}` publishes {what} `{text}` on every network interface");
    let mut d = with_written(meta.diagnostic(at, msg), written);
    // Edits only where the source text is the value as written (no escapes).
    let src = cx.text(port.span);
    let body_start = match style {
        Style::Plain if src == text => Some(port.span.start),
        Style::SingleQuoted | Style::DoubleQuoted if src.get(1..src.len().saturating_sub(1)) == Some(text) => {
            Some(port.span.start + 1)
        }
        _ => None,
    };
    if let Some(b) = body_start {
        let plain_number = *style == Style::Plain && text.bytes().all(|c| c.is_ascii_digit());
        let edit = match finding {
            Finding::NoIp { single: true } if plain_number => {
                Edit::replace(port.span, format!("\"127.0.0.1::{text}\""))
            }
            Finding::NoIp { single: true } => Edit::insert(b, "127.0.0.1::"),
            Finding::NoIp { single: false } => Edit::insert(b, "127.0.0.1:"),
            Finding::AllIfaces(r) => Edit::replace(Span::new(b + r.start, b + r.end), "127.0.0.1"),
        };
        d = d.with_fix(Fix::unsafe_("Publish on 127.0.0.1 only", vec![edit]));
    }
    out.push(d);
}

fn long(
    cx: &ComposeContext<'_>,
    meta: &'static RuleMeta,
    service: &str,
    what: &str,
    port: &Node,
    out: &mut Vec<Diagnostic>,
) {
    let ip = port.entry("host_ip");
    let all = match ip.and_then(|(_, v)| v.str()) {
        None => true,
        Some(s) => !s.contains('$') && matches!(s, "0.0.0.0" | "::" | ""),
    };
    if !all || port.get("target").is_none() {
        return;
    }
    // From the first key to the published (or target) port.
    let shown = ["published", "target"].iter().find_map(|k| port.entry(k));
    let first = port.entries().first().map(|(k, _)| k.span);
    let (at, written) = match (shown, first) {
        (Some((k, v)), Some(f)) if port.via.is_none() => (f.cover(k.span).cover(v.span), None),
        _ => place_node(port),
    };
    let msg = format!("service `{service}` publishes {what} on every network interface");
    let mut d = with_written(meta.diagnostic(at, msg), written);
    let edit = match ip {
        Some((_, v)) => Some(Edit::replace(v.span, "127.0.0.1")),
        None => port.entries().first().map(|(k, _)| {
            let line_start = cx.file.lines.line_start(cx.file.lines.line_of(k.span.start));
            let before = cx.text(Span::new(line_start, k.span.start));
            if cx.text(port.span).starts_with('{') {
                Edit::insert(k.span.start, "host_ip: 127.0.0.1, ")
            } else {
                let indent: String = before.chars().map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
                Edit::insert(k.span.start, format!("host_ip: 127.0.0.1\n{indent}"))
            }
        }),
    };
    if port.via.is_none()
        && let Some(e) = edit
    {
        d = d.with_fix(Fix::unsafe_("Publish on 127.0.0.1 only", vec![e]));
    }
    out.push(d);
}

impl ComposeRule for DatabasePortOnAllInterfaces {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some(image) = s.node.get("image").and_then(|i| i.str()) else { continue };
            let Some(kind) = images::lookup(image).map(|k| k.kind).filter(|k| k.is_data()) else { continue };
            let Some(ports) = s.node.get("ports") else { continue };
            for p in ports.items() {
                let short = format!("its {}", port_name(image, &s.node, kind, container_port(p)));
                let long = short.clone();
                let one = |n: &Node| std::ptr::eq(n, p);
                report_ports(cx, &META, &s.name, (&short, &long), ports, &one, out);
            }
        }
    }
}

/// What a published port of a data service serves, for messages: the data
/// protocol (`database port`, `message broker port`, ...), or a console,
/// admin or management port the image or the service's JMX setting names.
fn port_name(image: &str, service: &Node, kind: images::ImageKind, port: Option<u16>) -> String {
    if let Some(role) = port.and_then(|p| images::port_role(image, p)) {
        return role.to_string();
    }
    let jmx = ["KAFKA_JMX_PORT", "JMX_PORT"].iter().any(|var| {
        matches!(env_value(service, var), EnvValue::Set(v) if v.trim().parse::<u16>().ok() == port && port.is_some())
    });
    if jmx {
        return "JMX (remote management) port".to_string();
    }
    format!("{} port", kind.noun())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ports() {
        assert!(is_data_image("docker.io/library/postgres:17@sha256:abc"));
        assert!(is_data_image("bitnami/redis"));
        assert!(!is_data_image("example/postgres-exporter"));
        assert!(judge_short("${HOST_IP}:5432:5432").is_none());
        assert!(judge_short("127.0.0.1:5432:5432").is_none());
        assert!(matches!(judge_short("5432:5432"), Some(Finding::NoIp { single: false })));
        assert!(matches!(judge_short("${PORT:-5432}:5432"), Some(Finding::NoIp { single: false })));
        assert!(matches!(judge_short("0.0.0.0:5432:5432"), Some(Finding::AllIfaces(_))));
        assert!(judge_short("[::1]:5432:5432").is_none());
    }
}
