use super::ports::fixed_port_service;
use super::refs::part_place;
use super::{place, with_written};
use crate::compose::Node;
use crate::compose::interpolate::interpolated;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use std::ops::Range;

pub struct PrivilegedHostPort;

static META: RuleMeta = RuleMeta {
    code: "BC2009",
    name: "privileged-host-port",
    severity: Severity::Info,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service publishes a host port below 1024 (other than 80 and 443)",
    docs: r#"## What it checks
Published host ports below 1024 in a service's `ports`: the host part of the
short syntax (`22:22`, `127.0.0.1:25:25`, `53:53/udp`, ranges such as
`100-200:100-200` by their first port) and `published` in the long syntax.
A lone container port (`"22"`) publishes on a random host port and is not
reported; neither is `expose`. Ports written with variables are not checked.

Ports 80 and 443 are not reported: a reverse proxy or web server has to
listen there, and rootless setups usually open exactly these two (for
example with `net.ipv4.ip_unprivileged_port_start=80`).

Services whose clients look for them at a fixed port (DNS on 53, DHCP on
67, NTP on 123, IKE on 500, SMTP on 25, SMB on 445, ...) cannot move: for
them the message says so and names the host setting rootless engines need
instead (`net.ipv4.ip_unprivileged_port_start`).

## Why it matters
Ports below 1024 are privileged: only root (or a process with
`CAP_NET_BIND_SERVICE`) may bind them on the host. Rootless Docker and Podman
cannot publish them without changing a kernel setting, so the file does not
start there. With rootful Docker they work, but they are often services that
attract scanners (SSH on 22, SMTP on 25, DNS on 53) and deserve a second look.

## Example
```yaml
services:
  git:
    image: example/git-server
    ports:
      - "22:22"
```

## Use instead
```yaml
services:
  git:
    image: example/git-server
    ports:
      - "2222:22"
```

## References
- Compose Specification, ports: https://docs.docker.com/reference/compose-file/services/#ports
- Docker, rootless mode, exposing privileged ports: https://docs.docker.com/engine/security/rootless/troubleshoot/
"#,
};

/// Split on `:` outside `[...]` (IPv6 addresses), with byte ranges.
fn fields(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ':' if depth == 0 => {
                out.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(start..s.len());
    out
}

/// The first port of a published `80`, `80-90` or `80/tcp`, when below 1024 and not 80/443.
fn privileged(published: &str) -> Option<u32> {
    let first = published.split(['-', '/']).next()?.trim();
    if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) || first.len() > 5 {
        return None;
    }
    let port: u32 = first.parse().ok()?;
    (port > 0 && port < 1024 && port != 80 && port != 443).then_some(port)
}

/// The host port's byte range in a short port entry.
fn short_published(text: &str) -> Option<Range<usize>> {
    if interpolated(text) {
        return None;
    }
    let f = fields(text);
    match f.len() {
        2 => Some(f[0].clone()),
        3 => Some(f[1].clone()),
        _ => None,
    }
}

fn message(service: &str, port: u32) -> String {
    match fixed_port_service(port) {
        Some(what) => format!(
            "service `{service}` publishes host port {port} ({what}), below 1024: its clients expect this port, so keep it, but rootless Docker and Podman can bind it only once the host lowers `net.ipv4.ip_unprivileged_port_start` to {port}"
        ),
        None => format!(
            "service `{service}` publishes host port {port}, below 1024: rootless Docker and Podman cannot bind it; publish a port from 1024 up"
        ),
    }
}

impl PrivilegedHostPort {
    fn long(&self, service: &str, entry: &Node, out: &mut Vec<Diagnostic>) {
        let Some((k, v)) = entry.entry("published") else { return };
        let text = match v.str() {
            Some(t) if !interpolated(t) => t,
            _ => return,
        };
        let Some(port) = privileged(text) else { return };
        let (at, written) = place(k, v);
        out.push(with_written(META.diagnostic(at, message(service, port)), written));
    }
}

impl ComposeRule for PrivilegedHostPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            for p in s.node.get("ports").map(|p| p.items()).unwrap_or(&[]) {
                if !p.entries().is_empty() {
                    self.long(&s.name, p, out);
                    continue;
                }
                let Some(text) = p.str() else { continue };
                let Some(range) = short_published(text) else { continue };
                let Some(port) = text.get(range.clone()).and_then(privileged) else { continue };
                let (at, written) = part_place(cx.file, p, range);
                out.push(with_written(META.diagnostic(at, message(&s.name, port)), written));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports() {
        let host = |t: &str| short_published(t).and_then(|r| privileged(&t[r]));
        assert_eq!(host("22:22"), Some(22));
        assert_eq!(host("127.0.0.1:25:25"), Some(25));
        assert_eq!(host("[::1]:53:53/udp"), Some(53));
        assert_eq!(host("100-200:100-200"), Some(100));
        assert_eq!(host("80:80"), None);
        assert_eq!(host("443:8443"), None);
        assert_eq!(host("8080:80"), None);
        assert_eq!(host("22"), None);
        assert_eq!(host("${SSH_PORT}:22"), None);
        assert_eq!(host("127.0.0.1::22"), None);
        assert!(message("dns", 53).contains("(DNS)") && message("dns", 53).contains("ip_unprivileged_port_start"));
        assert!(message("git", 22).contains("publish a port from 1024 up"));
    }
}
