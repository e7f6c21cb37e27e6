use super::ports::{PortSpec, split_outside_vars};
use super::{place_node, with_written};
use crate::compose::Kind;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct UnboundPortInterface;

static META: RuleMeta = RuleMeta {
    code: "BC1009",
    name: "no-unbound-port-interfaces",
    severity: Severity::Info,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &["unbound-port-interface"],
    default_enabled: false,
    summary: "A published port does not say which host interface it listens on",
    docs: r#"## What it checks
Port mappings without a host IP: `"8080:80"` and `"80"` in the short syntax,
and long-syntax mappings without `host_ip`. A host IP given by a variable
(`"${HOST_IP}:8080:80"`) counts as given; an explicit `0.0.0.0` or `::` is a
choice and is not reported. A whole mapping written as one variable is
not judged. Services running a known database, cache or queue image are left
to BC2003 (database-port-on-all-interfaces), which reports the same port as a
warning with a fix, so one port gets one finding.

Off by default (enable it with `--select BC1009`, or `all`). On 83 real
Compose files it gave 104 findings in 56 files, and a review of all of them
found services meant to be reached: web front ends and HTTP APIs (ports 80,
443, 3000, 8000, 8080: 55 findings), reverse proxies, log shippers receiving
from other hosts, a DNS server, a VPN endpoint and a game server. The
exposures that matter have their own rules, reported by default as warnings:
databases, caches and queues (BC2003) and model servers and admin APIs.
Enable BC1009 where every published port should be a decision, such as a
development machine on an untrusted network.

## Why it matters
Without a host IP, Docker listens on every interface of the host, and its
iptables rules let the traffic in ahead of host firewalls such as ufw or
firewalld. A service meant for the developer's own machine becomes reachable
from the network. Writing the IP (`127.0.0.1` for local use) makes the exposure
a decision.

## Example
```yaml
services:
  web:
    image: nginx:1.27
    ports:
      - "8080:80"
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27
    ports:
      - "127.0.0.1:8080:80"
```

## References
- Compose Specification, ports: https://docs.docker.com/reference/compose-file/services/#ports
- Docker, packet filtering and firewalls: https://docs.docker.com/engine/network/packet-filtering-firewalls/
- dclint `no-unbound-port-interfaces` (which also reports host IPs given by variables, dclint issue #261)
- berth `database-port-on-all-interfaces` (BC2003): the same for databases, with a fix
"#,
};

/// The default of `${NAME:-default}` (or `-`, `:=`, `=`) when `s` is one such reference.
fn var_default(s: &str) -> Option<&str> {
    let inner = s.trim().strip_prefix("${")?.strip_suffix('}')?;
    let at = inner.find(|c: char| !(c == '_' || c.is_ascii_alphanumeric()))?;
    let rest = &inner[at..];
    ["${", ":-", ":=", "-", "="].iter().skip(1).find_map(|op| rest.strip_prefix(op))
}

/// True when the short-syntax mapping `text` names no host IP.
fn unbound_short(text: &str) -> bool {
    let port = split_outside_vars(text, '/').first().copied().unwrap_or(text).trim();
    // A whole mapping given by one variable may hold anything.
    if port.starts_with('$') && split_outside_vars(port, ':').len() == 1 {
        return false;
    }
    match PortSpec::short(text).ip {
        None => {
            // A host part given by a variable whose default holds an IP and a port (`${BIND:-127.0.0.1:8080}`).
            let parts = split_outside_vars(port, ':');
            !(parts.len() == 2 && var_default(parts[0]).is_some_and(|d| d.contains(':')))
        }
        Some(ip) => ip.trim().is_empty(),
    }
}

impl ComposeRule for UnboundPortInterface {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some(ports) = s.node.get("ports") else { continue };
            let image = s.node.get("image").and_then(|i| i.str()).unwrap_or("");
            if super::images::lookup(image).is_some_and(|k| k.kind.is_data()) {
                continue; // BC2003's
            }
            for item in ports.items() {
                let shown = match &item.kind {
                    Kind::Scalar { text, .. } if unbound_short(text) => format!("`{text}`"),
                    Kind::Map(_) if item.get("host_ip").is_none_or(|ip| ip.is_null() || ip.str() == Some("")) => {
                        match item.get("published").and_then(|p| p.str()) {
                            Some(p) => format!("`{p}`"),
                            None => "a port".to_string(),
                        }
                    }
                    _ => continue,
                };
                let (at, written) = place_node(item);
                let msg = format!(
                    "service `{}` publishes {shown} on every host interface; name the host IP (e.g. `127.0.0.1:`)",
                    s.name
                );
                out.push(with_written(META.diagnostic(at, msg), written));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_or_not() {
        for yes in ["8080:80", "80", "8080:80/udp", "${PORT:-8080}:80", "8000-8010:8000-8010"] {
            assert!(unbound_short(yes), "{yes}");
        }
        for no in
            ["127.0.0.1:8080:80", "${HOST_IP}:80:80", "${HOST_IP:-127.0.0.1}:80:80", "0.0.0.0:80:80", "[::1]:80:80"]
        {
            assert!(!unbound_short(no), "{no}");
        }
        assert!(!unbound_short("${PORTS}"));
        assert!(!unbound_short("${BIND:-127.0.0.1:8080}:80"));
    }
}
