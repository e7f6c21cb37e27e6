use super::host_agents::{self, HostRole};
use super::{place, with_written};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct HostNamespace;

static META: RuleMeta = RuleMeta {
    code: "BC2005",
    name: "host-namespace",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service shares a namespace with the host (`network_mode: host`, `pid: host`, ...)",
    docs: r#"## What it checks
Services that join one of the host's namespaces instead of getting their own:
- warning: `network_mode: host`, `pid: host`, `ipc: host` and
  `userns_mode: host`;
- info: `uts: host` (host name and domain name only) and `cgroup: host`
  (the host's view of the cgroup tree).

Values are compared exactly, as Compose does; `service:NAME` shares another
service's namespace and is not reported.

Where sharing is what a well-known image is for, the finding is info and
the message names the purpose next to what the service can still reach:
`pid: host` and `network_mode: host` for host monitoring agents
(node-exporter, cAdvisor, Netdata, the Datadog agent, ...),
`network_mode: host` for VPNs (WireGuard, wg-easy, Tailscale, OpenVPN, ...)
and for media and home-automation servers that discover devices by
broadcast (Plex, Jellyfin, Emby, Home Assistant), and for Redis Cluster
nodes (`redis-cluster` images): the cluster tells clients its nodes' own
addresses and ports, and Redis documents host networking for Docker because
Cluster does not support NAT or remapped ports. Any other namespace they
share stays a warning.

## Why it matters
Namespaces are what separate a container from the host:
- with the host network the service reaches every service the host listens
  on at `localhost` (databases, the Docker API on TCP, cloud metadata
  proxies), binds any host port, and escapes the published-port rules;
- with the host PID namespace it sees every host process, their command
  lines and environments (where secrets often are), and can signal them;
- with the host IPC namespace it reads and writes the host's shared memory;
- `userns_mode: host` turns off the daemon's user-namespace remapping for
  this service, so its root is the host's root.

## Example
```yaml
services:
  agent:
    image: example/agent
    network_mode: host
    pid: host
```

## Use instead
Publish the ports the service serves and keep its own namespaces:
```yaml
services:
  agent:
    image: example/agent
    ports:
      - "127.0.0.1:8125:8125/udp"
```

## References
- Compose Specification, network_mode: https://docs.docker.com/reference/compose-file/services/#network_mode
- Compose Specification, pid: https://docs.docker.com/reference/compose-file/services/#pid
- Compose Specification, ipc: https://docs.docker.com/reference/compose-file/services/#ipc
- Compose Specification, userns_mode: https://docs.docker.com/reference/compose-file/services/#userns_mode
- Docker, isolate containers with a user namespace: https://docs.docker.com/engine/security/userns-remap/
- Redis, scale with Redis Cluster (Redis Cluster and Docker): https://redis.io/docs/latest/operate/oss_and_stack/management/scaling/
"#,
};

/// (key, what is shared, what that gives the service, severity)
const KEYS: &[(&str, &str, &str, Severity)] = &[
    ("network_mode", "network", "it reaches every port the host listens on, `localhost` included", Severity::Warning),
    ("pid", "process namespace", "it sees every host process and can signal it", Severity::Warning),
    ("ipc", "IPC namespace", "it reads and writes the host's shared memory", Severity::Warning),
    (
        "userns_mode",
        "user namespace",
        "its root is the host's root even when the daemon remaps users",
        Severity::Warning,
    ),
    ("uts", "UTS namespace", "it uses the host's host name", Severity::Info),
    ("cgroup", "cgroup namespace", "it sees the host's whole cgroup tree", Severity::Info),
];

/// Why a service of `role` needs the host's namespace `key`, when that is its purpose.
fn purpose(role: HostRole, key: &str) -> Option<&'static str> {
    match (role, key) {
        (HostRole::Monitoring, "pid") => Some("to see the host's processes"),
        (HostRole::Monitoring, "network_mode") => Some("to report the host's own network interfaces"),
        (HostRole::Vpn, "network_mode") => Some("to route the host's own traffic"),
        (HostRole::LanDiscovery, "network_mode") => {
            Some("for its discovery broadcasts (DLNA, mDNS, SSDP), which do not cross Docker's bridge network")
        }
        (HostRole::RedisCluster, "network_mode") => Some(
            "when clients outside Docker reach the cluster, which hands out its nodes' own addresses and ports (Redis Cluster does not support NAT or remapped ports)",
        ),
        _ => None,
    }
}

impl ComposeRule for HostNamespace {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            for &(key, what, gives, severity) in KEYS {
                let Some((k, v)) = s.node.entry(key) else { continue };
                if v.str() != Some("host") {
                    continue;
                }
                let (at, written) = place(k, v);
                let image = s.node.get("image").and_then(|i| i.str()).unwrap_or("");
                let needs = host_agents::role(image).and_then(|r| purpose(r, key).map(|p| (r, p)));
                let (msg, severity) = match needs {
                    Some((role, why)) => (
                        format!(
                            "service `{}` shares the host's {what} (`{key}: host`): {} needs it {why}, but {gives}",
                            s.name,
                            role.noun()
                        ),
                        Severity::Info,
                    ),
                    None => (
                        format!(
                            "service `{}` shares the host's {what} (`{key}: host`): {gives}; remove it unless the service must manage the host",
                            s.name
                        ),
                        severity,
                    ),
                };
                out.push(with_written(META.diagnostic(at, msg).with_severity(severity), written));
            }
        }
    }
}
