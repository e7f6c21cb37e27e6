use super::ports::PortSpec;
use super::{place_node, with_written};
use crate::compose::interpolate::interpolated;
use crate::compose::{Node, profiles};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use crate::text::Span;

pub struct DuplicatePublishedPort;

static META: RuleMeta = RuleMeta {
    code: "BC1007",
    name: "no-duplicate-exported-ports",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &["duplicate-published-port"],
    default_enabled: true,
    summary: "Two port mappings publish the same host port",
    docs: r#"## What it checks
Port mappings (short or long syntax, in one service or across services) that
publish a host port, or a range overlapping one, already published above with
the same protocol on a host IP that clashes: the same IP, or either one
listening on every interface. The finding is on the later mapping, with a
note at the first. The project is judged as Compose merges it (base,
override and included files together; the finding goes to the file that
wrote the later mapping), and services that no single profile enables
together (`profiles: [cpu]` and `profiles: [gpu-nvidia]`) are not compared;
a finding that needs a profile says which.

Mappings without a host port (`"80"`, `127.0.0.1::80`) get a free port
from Docker and never clash. Host ports or IPs given by variables are compared
only when written exactly alike.

## Why it matters
Only one socket can listen on a host port per IP and protocol. The second
container fails to start with "port is already allocated", after Compose has
started part of the project.

## Example
```yaml
services:
  web:
    image: nginx:1.27
    ports:
      - "8080:80"
  admin:
    image: example/admin:2.1
    ports:
      - "8000-8090:8000-8090"
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27
    ports:
      - "8080:80"
  admin:
    image: example/admin:2.1
    ports:
      - "8000-8079:8000-8079"
```

## References
- Compose Specification, ports: https://docs.docker.com/reference/compose-file/services/#ports
- dclint `no-duplicate-exported-ports`
"#,
};

/// What a mapping occupies on the host.
enum HostPorts {
    Range(u32, u32),
    /// A port given by a variable: only the same text is the same port.
    Text(String),
}

struct Published<'a> {
    service: &'a str,
    ip: Option<String>,
    ports: HostPorts,
    protocol: String,
    at: Span,
    shown: String,
    /// The service's profiles.
    profiles: &'a [String],
    /// The mapping in the merged model (its file and place).
    node: Option<&'a Node>,
}

fn clash(a: &Published<'_>, b: &Published<'_>) -> bool {
    if a.protocol != b.protocol {
        return false;
    }
    let ports = match (&a.ports, &b.ports) {
        (HostPorts::Range(x1, x2), HostPorts::Range(y1, y2)) => x1 <= y2 && y1 <= x2,
        (HostPorts::Text(x), HostPorts::Text(y)) => x == y,
        _ => false,
    };
    if !ports {
        return false;
    }
    let any = |ip: &Option<String>| ip.as_deref().is_none_or(|i| matches!(i.trim(), "" | "0.0.0.0" | "::"));
    match (&a.ip, &b.ip) {
        (x, y) if x == y => true,
        (Some(x), _) | (_, Some(x)) if interpolated(x) => false,
        (x, y) => any(x) || any(y),
    }
}

impl ComposeRule for DuplicatePublishedPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        // The merged project (base, override and included files together);
        // services that no single profile enables together are not compared.
        let services = cx.project.services();
        let all_profiles: Vec<Vec<String>> = services.iter().map(|s| cx.project.profiles(&s.node)).collect();
        let mut seen = Seen::default();
        for (s, profiles) in services.iter().zip(&all_profiles) {
            let Some(ports) = s.node.get("ports") else { continue };
            for item in ports.items() {
                let Some(spec) = PortSpec::of(item) else { continue };
                let Some(host) = spec.host.as_deref().filter(|h| !h.trim().is_empty()) else { continue };
                let ports = if interpolated(host) {
                    HostPorts::Text(host.to_string())
                } else {
                    match spec.host_range() {
                        Some((a, b)) => HostPorts::Range(a, b),
                        None => continue,
                    }
                };
                let (at, written) = place_node(item);
                let shown = item.str().map_or_else(|| host.to_string(), str::to_string);
                let p = Published {
                    service: &s.name,
                    ip: spec.ip.clone(),
                    ports,
                    protocol: spec.protocol.clone(),
                    at,
                    shown,
                    profiles,
                    node: Some(item),
                };
                if let Some((first, needs)) = seen.first_clash(&p) {
                    if item.file == 0 {
                        let whose = if first.service == p.service {
                            "this service".to_string()
                        } else {
                            format!("service `{}`", first.service)
                        };
                        let first_file = first.node.map_or(0, |n| n.file);
                        let elsewhere = match first.node {
                            Some(n) if first_file != 0 => format!(" in {}", cx.project.where_written(n)),
                            _ => String::new(),
                        };
                        let msg = format!(
                            "service `{}` publishes host port `{host}` that {whose} already publishes (`{}`{elsewhere}){}; use another host port",
                            p.service,
                            first.shown,
                            profiles::note(needs.as_deref())
                        );
                        let mut d = with_written(META.diagnostic(p.at, msg), written);
                        if first_file == 0 {
                            d = d.with_related(first.at, format!("`{}` is published here first", first.shown));
                        }
                        out.push(d);
                    }
                    continue;
                }
                seen.add(p);
            }
        }
    }
}

/// Ranges wider than this are compared one by one instead of port by port.
const WIDE: u32 = 1024;

/// The mappings seen so far, indexed by protocol and host port, so that
/// each new mapping is compared with the few that share a port.
#[derive(Default)]
struct Seen<'a> {
    all: Vec<Published<'a>>,
    by_port: std::collections::HashMap<(String, u32), Vec<usize>>,
    by_text: std::collections::HashMap<(String, String), Vec<usize>>,
    wide: Vec<usize>,
}

impl<'a> Seen<'a> {
    fn add(&mut self, p: Published<'a>) {
        let i = self.all.len();
        match &p.ports {
            HostPorts::Range(a, b) if b - a < WIDE => {
                for port in *a..=*b {
                    self.by_port.entry((p.protocol.clone(), port)).or_default().push(i);
                }
            }
            HostPorts::Range(..) => self.wide.push(i),
            HostPorts::Text(t) => self.by_text.entry((p.protocol.clone(), t.clone())).or_default().push(i),
        }
        self.all.push(p);
    }

    /// The earliest mapping that clashes with `p` in a service that can run
    /// with `p`'s, and the profile that needs (see `profiles::together`).
    fn first_clash(&self, p: &Published<'_>) -> Option<(&Published<'a>, Option<String>)> {
        let mut candidates: Vec<usize> = self.wide.clone();
        match &p.ports {
            HostPorts::Range(a, b) if b - a < WIDE => {
                for port in *a..=*b {
                    if let Some(v) = self.by_port.get(&(p.protocol.clone(), port)) {
                        candidates.extend(v);
                    }
                }
            }
            HostPorts::Range(..) => candidates = (0..self.all.len()).collect(),
            HostPorts::Text(t) => {
                candidates.extend(self.by_text.get(&(p.protocol.clone(), t.clone())).into_iter().flatten())
            }
        }
        candidates.sort_unstable();
        candidates.into_iter().filter(|&i| clash(&self.all[i], p)).find_map(|i| {
            let first = &self.all[i];
            let needs = profiles::together(first.profiles, p.profiles)?;
            Some((first, needs.map(str::to_string)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(ip: Option<&str>, a: u32, b: u32, proto: &str) -> Published<'static> {
        Published {
            service: "s",
            ip: ip.map(str::to_string),
            ports: HostPorts::Range(a, b),
            protocol: proto.into(),
            at: Span::empty(0),
            shown: String::new(),
            profiles: &[],
            node: None,
        }
    }

    #[test]
    fn clashes() {
        assert!(clash(&p(None, 80, 80, "tcp"), &p(None, 80, 80, "tcp")));
        assert!(!clash(&p(None, 80, 80, "tcp"), &p(None, 80, 80, "udp")));
        assert!(clash(&p(None, 8000, 8010, "tcp"), &p(Some("127.0.0.1"), 8010, 8020, "tcp")));
        assert!(!clash(&p(Some("127.0.0.1"), 80, 80, "tcp"), &p(Some("10.0.0.1"), 80, 80, "tcp")));
        assert!(clash(&p(Some("0.0.0.0"), 80, 80, "tcp"), &p(Some("10.0.0.1"), 80, 80, "tcp")));
        assert!(!clash(&p(Some("${IP}"), 80, 80, "tcp"), &p(None, 80, 80, "tcp")));
        assert!(clash(&p(Some("${IP}"), 80, 80, "tcp"), &p(Some("${IP}"), 80, 80, "tcp")));
    }
}
