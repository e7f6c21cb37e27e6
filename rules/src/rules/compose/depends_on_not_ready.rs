use super::build_files::service_image;
use super::images;
use super::service_storage::runs_a_client;
use super::{place_node, with_written};
use crate::compose::{Kind, Node, Service};
use crate::engine::{
    Category, ComposeContext, ComposeRule, Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity,
};
use crate::text::Span;
use std::collections::HashMap;

pub struct DependsOnNotReady;

static META: RuleMeta = RuleMeta {
    code: "BC3002",
    name: "depends-on-not-ready",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "`depends_on` waits only for a database or other dependency to start, not to be ready",
    docs: r#"## What it checks
`depends_on` entries in the short (list) form, or in the long form without a
`condition`, that name:
- a database, cache, message broker, search engine, vector or object store
  (by its image); or
- a service of the file that has a `healthcheck`.

When the dependency has a healthcheck, the finding suggests
`condition: service_healthy` (as a warning for a data service, as
information for other services): the file already says how to tell that
the dependency is ready and does not use it.

When a data service has no healthcheck, the finding asks for one. It is a
warning when the dependent is a one-off job that nothing restarts: its
command runs a client once (`mc mb ...`, `psql -c ...`, `sh -c "redis-cli
..."`) and it has no restart policy (`restart` absent or `no`, no
`deploy.restart_policy`), so a dependency that is not ready yet makes the
job fail for good. For other dependents it is information: whether a
long-running service fails depends on its code (most database drivers and
connection pools connect lazily or retry; an app that connects once at
start without retrying crashes), and a restart policy brings it back.

Not reported: dependents whose command or entrypoint already waits
(`wait-for-it`, `dockerize -wait`, `pg_isready`, a shell `until` loop); a
data service that depends on another (cluster members, such as Kafka on
ZooKeeper, retry on their own); dependents that retry by design (reverse
proxies, dashboards such as Grafana and Kibana, log shippers, admin UIs, the
Confluent Platform components), also when they are built from a Dockerfile
whose final stage is based on such an image (`FROM grafana/grafana`) or on a
data service's image; caches without a healthcheck (they accept
connections almost at once); `condition: service_started` written out (an
explicit choice); services not defined in the file.

## Why it matters
The short form only orders container starts: Compose starts the app as soon
as the database container has started, while the server inside is still
initialising (creating the database on first run, replaying its log,
electing a leader). An app that connects once at startup then crashes or
fails its first requests, and the race is won or lost differently on every
machine. With a healthcheck on the dependency and
`condition: service_healthy`, Compose waits until the check passes.

## Example
```yaml
services:
  app:
    build: .
    depends_on:
      - db
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

## Fix
When the dependency has a healthcheck, rewrites the list as the long form:
`condition: service_healthy` for dependencies that have a healthcheck,
`condition: service_started` (the same behaviour as before) for the others.
Unsafe: the app now starts later, and not at all when the dependency never
becomes healthy. Not offered for lists brought in by an anchor or merge, or
with comments between the items.

## References
- Compose Specification, depends_on: https://docs.docker.com/reference/compose-file/services/#depends_on
- Docker, control startup order: https://docs.docker.com/compose/how-tos/startup-order/
- Compose Specification, healthcheck: https://docs.docker.com/reference/compose-file/services/#healthcheck
"#,
};

/// What a service's healthcheck looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Health {
    /// A `healthcheck` that is not disabled.
    Checked,
    /// `disable: true` or `test: ["NONE"]`.
    Disabled,
    /// No `healthcheck` key.
    Missing,
    /// Could come from elsewhere (`extends`).
    Unknown,
}

pub(super) fn health(service: &Node) -> Health {
    match service.get("healthcheck") {
        Some(h) => {
            let disabled = h.get("disable").and_then(Node::compose_bool) == Some(true)
                || h.get("test")
                    .is_some_and(|t| t.str() == Some("NONE") || t.items().first().and_then(Node::str) == Some("NONE"));
            if disabled { Health::Disabled } else { Health::Checked }
        }
        None if service.get("extends").is_some() => Health::Unknown,
        None => Health::Missing,
    }
}

/// Services by name; the last of duplicates wins, as YAML keeps the last one.
pub(super) fn by_name(services: &[Service]) -> HashMap<&str, &Service> {
    services.iter().map(|s| (s.name.as_str(), s)).collect()
}

pub(super) fn data_kind(s: &Service) -> Option<images::ImageKind> {
    let image = s.node.get("image")?.str()?;
    images::lookup(image).map(|k| k.kind).filter(|k| k.is_data())
}

/// The dependent waits by itself (a wait script or a retry loop in its command).
fn waits_itself(s: &Service) -> bool {
    let mut text = String::new();
    for key in ["entrypoint", "command"] {
        match s.node.get(key).map(|n| &n.kind) {
            Some(Kind::Scalar { text: t, .. }) => text.push_str(t),
            Some(Kind::Seq(items)) => items.iter().filter_map(Node::str).for_each(|t| {
                text.push_str(t);
                text.push(' ');
            }),
            _ => {}
        }
        text.push(' ');
    }
    ["wait-for", "wait_for", "waitfor", "dockerize", "pg_isready", "until ", "nc -z", "mysqladmin ping", "cub "]
        .iter()
        .any(|w| text.contains(w))
}

/// A restart policy brings the service back when it exits (`restart: always`,
/// `on-failure[:N]`, `unless-stopped`, or `deploy.restart_policy`, whose
/// condition defaults to `any`).
fn restarts(service: &Node) -> bool {
    let policy = service.get("restart").and_then(Node::str).unwrap_or("no");
    let deploy = service
        .get("deploy")
        .and_then(|d| d.get("restart_policy"))
        .map(|p| p.get("condition").and_then(Node::str).unwrap_or("any"));
    policy != "no" || deploy.is_some_and(|c| c != "none")
}

/// The long-form rewrite of a `depends_on` list, when it can be done safely.
fn long_form(cx: &ComposeContext<'_>, by: &HashMap<&str, &Service>, key_span: Span, list: &Node) -> Option<Edit> {
    let items = list.items();
    if items.is_empty() || list.via.is_some() || items.iter().any(|i| i.via.is_some() || i.str().is_none()) {
        return None;
    }
    let names: Vec<&str> = items.iter().filter_map(Node::str).collect();
    if names.iter().enumerate().any(|(i, n)| names[..i].contains(n)) {
        return None;
    }
    let cond = |name: &str| match by.get(name).map(|s| health(&s.node)) {
        Some(Health::Checked) => "service_healthy",
        _ => "service_started",
    };
    let src = |n: &Node| cx.text(n.span).to_string();
    let text = cx.text(list.span);
    if text.starts_with('[') {
        if text.contains('#') {
            return None;
        }
        let body: Vec<String> =
            items.iter().map(|i| format!("{}: {{condition: {}}}", src(i), cond(i.str().unwrap_or("")))).collect();
        return Some(Edit::replace(list.span, format!("{{{}}}", body.join(", "))));
    }
    // Block list: every item on its own line as `- name`, nothing else in between.
    let lines = &cx.file.lines;
    let first = items.first()?;
    let last = items.last()?;
    let first_line_start = lines.line_start(lines.line_of(first.span.start));
    let region = Span::new(first_line_start, last.span.end);
    let mut rest = cx.text(region).to_string();
    for i in items.iter().rev() {
        let (a, b) = (i.span.start.saturating_sub(first_line_start), i.span.end.saturating_sub(first_line_start));
        rest.replace_range(a.min(rest.len())..b.min(rest.len()), "");
    }
    let structure_ok = rest.chars().all(|c| matches!(c, ' ' | '-' | '\n' | '\r'))
        && rest.matches('-').count() == items.len()
        && rest.lines().filter(|l| !l.trim().is_empty()).count() == items.len();
    if !structure_ok {
        return None;
    }
    let key_col = key_span.start - lines.line_start(lines.line_of(key_span.start));
    let dash_col = cx.text(Span::new(first_line_start, first.span.start)).find('-')?;
    let ind1 = if dash_col > key_col { dash_col } else { key_col + 2 };
    let ind2 = ind1 + (ind1 - key_col).max(2);
    let newline = if cx.file.text.contains("\r\n") { "\r\n" } else { "\n" };
    let body: Vec<String> = items
        .iter()
        .map(|i| {
            format!(
                "{}{}:{newline}{}condition: {}",
                " ".repeat(ind1),
                src(i),
                " ".repeat(ind2),
                cond(i.str().unwrap_or(""))
            )
        })
        .collect();
    Some(Edit::replace(region, body.join(newline)))
}

impl ComposeRule for DependsOnNotReady {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let services = &cx.file.services;
        // Services depended on, as the merged project has them (the base file
        // of an override defines them, an override may add a healthcheck).
        let by = by_name(cx.project.services());
        for s in services {
            let Some((dkey, deps)) = s.node.entry("depends_on") else { continue };
            // The image it runs, also when built from a Dockerfile (`FROM grafana/grafana`).
            let image = service_image(cx, s);
            let retries = image.as_deref().is_some_and(images::retries_connections);
            let is_data = image.as_deref().and_then(images::lookup).is_some_and(|k| k.kind.is_data());
            if is_data || retries || waits_itself(s) {
                continue;
            }
            let one_off = runs_a_client(&s.node) && !restarts(&s.node);
            let mut fix: Option<Option<Edit>> = None;
            let named: Vec<(String, Span, Option<Span>, bool)> = match &deps.kind {
                Kind::Seq(items) => items
                    .iter()
                    .filter_map(|i| {
                        let (at, written) = place_node(i);
                        i.str().map(|n| (n.to_string(), at, written, true))
                    })
                    .collect(),
                Kind::Map(entries) => entries
                    .iter()
                    .filter(|(_, v)| v.get("condition").is_none())
                    .map(|(k, v)| {
                        let (at, written) = match v.via.or(k.via) {
                            Some(via) => (via, Some(k.span)),
                            None => (k.span, None),
                        };
                        (k.text.clone(), at, written, false)
                    })
                    .collect(),
                _ => Vec::new(),
            };
            for (name, at, written, short) in named {
                let Some(target) = by.get(name.as_str()) else { continue };
                let kind = data_kind(target);
                let h = health(&target.node);
                let d = match (h, kind) {
                    (Health::Checked, _) => {
                        let msg = format!(
                            "service `{}` starts as soon as `{name}` has started, without waiting for its healthcheck: use `condition: service_healthy`",
                            s.name
                        );
                        let mut d = META.diagnostic(at, msg);
                        if kind.is_none() {
                            d = d.with_severity(Severity::Info);
                        }
                        if short {
                            let edit = fix.get_or_insert_with(|| long_form(cx, &by, dkey.span, deps)).clone();
                            if let Some(e) = edit {
                                d = d.with_fix(Fix::unsafe_(
                                    "Wait for healthy dependencies (`condition: service_healthy`)",
                                    vec![e],
                                ));
                            }
                        }
                        d
                    }
                    (_, Some(images::ImageKind::Cache)) => continue,
                    (Health::Missing | Health::Disabled | Health::Unknown, Some(k)) => {
                        let advice = if h == Health::Unknown {
                            "depend on it with `condition: service_healthy` (it needs a healthcheck)".to_string()
                        } else {
                            format!("give `{name}` a healthcheck and depend on it with `condition: service_healthy`")
                        };
                        // Only a one-off job that nothing restarts is sure to fail:
                        // a long-running service's client may wait or retry (most
                        // drivers do), and a restart policy brings it back.
                        if one_off {
                            META.diagnostic(
                                at,
                                format!(
                                    "service `{}` is a one-off job that may run before the {} `{name}` accepts connections, and nothing restarts it: {advice}",
                                    s.name,
                                    k.noun()
                                ),
                            )
                        } else {
                            META.diagnostic(
                                at,
                                format!(
                                    "service `{}` may start before the {} `{name}` accepts connections; if it connects only once at start, without retrying, {advice}",
                                    s.name,
                                    k.noun()
                                ),
                            )
                            .with_severity(Severity::Info)
                        }
                    }
                    _ => continue,
                };
                out.push(with_written(d, written));
            }
        }
    }
}
