use super::host_agents;
use super::{place_node, with_written};
use crate::compose::interpolate::interpolated;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct DangerousCapability;

static META: RuleMeta = RuleMeta {
    code: "BC2004",
    name: "dangerous-capability",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service adds a Linux capability that opens a way out of the container",
    docs: r#"## What it checks
Entries of `cap_add`, compared without case and with or without the `CAP_`
prefix (`SYS_ADMIN`, `cap_sys_admin`):
- warning: `ALL`, `SYS_ADMIN`, `SYS_MODULE`, `SYS_RAWIO` and
  `DAC_READ_SEARCH`, the capabilities that known container escapes rely on;
- warning: `NET_ADMIN` together with `network_mode: host` (the container then
  changes the host's interfaces, routes and firewall), and `SYS_PTRACE`
  together with `pid: host` (it can then read and alter host processes);
- info: `SYS_PTRACE` alone (it lets the service trace and read the memory of
  the other processes in its container; debuggers and profilers need it).

`SYS_MODULE` added by a WireGuard VPN image (linuxserver's `wireguard`,
`wg-easy`, `gluetun`, ...) is info: the image loads the `wireguard` kernel
module with it when the host has not, which its documentation asks for; the
message says how to do without it.

`NET_ADMIN` with host networking is info for a VPN image (WireGuard,
OpenVPN, Tailscale, ...), whose purpose is routing the host's traffic.

`NET_ADMIN` without host networking only changes the container's own network
namespace, which VPN and firewall images need, so it is not reported.
Entries written with variables are not checked.

## Why it matters
Each of these capabilities hands the container a piece of root on the host:
`SYS_ADMIN` allows mounts and namespace operations used by most published
escapes, `SYS_MODULE` loads code into the host kernel, `SYS_RAWIO` reaches
devices and memory directly, `DAC_READ_SEARCH` opens host files by handle
(the "shocker" escape), and `ALL` is almost `privileged: true`.

## Example
```yaml
services:
  tool:
    image: example/tool
    cap_add:
      - SYS_ADMIN
```

## Use instead
Add only what the service needs, and drop the rest:
```yaml
services:
  tool:
    image: example/tool
    cap_drop: [ALL]
    cap_add: [CHOWN]
```

## References
- Compose Specification, cap_add: https://docs.docker.com/reference/compose-file/services/#cap_add
- Docker, runtime privilege and Linux capabilities: https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities
- capabilities(7): https://man7.org/linux/man-pages/man7/capabilities.7.html
"#,
};

/// What an escape-grade capability allows, for the message.
fn escape_grade(cap: &str) -> Option<&'static str> {
    Some(match cap {
        "ALL" => "that is every capability, close to `privileged: true`",
        "SYS_ADMIN" => "it allows the mounts and namespace operations that most container escapes use",
        "SYS_MODULE" => "it loads modules into the host kernel",
        "SYS_RAWIO" => "it gives raw access to host devices and memory",
        "DAC_READ_SEARCH" => "it opens any host file by handle",
        _ => return None,
    })
}

impl ComposeRule for DangerousCapability {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some(caps) = s.node.get("cap_add") else { continue };
            let mode_is_host = |key: &str| s.node.get(key).and_then(|v| v.str()) == Some("host");
            for item in caps.items() {
                let Some(text) = item.str() else { continue };
                if interpolated(text) {
                    continue;
                }
                let upper = text.trim().to_ascii_uppercase();
                let cap = upper.strip_prefix("CAP_").unwrap_or(&upper);
                let image = s.node.get("image").and_then(|i| i.str()).unwrap_or("");
                let (at, written) = place_node(item);
                if cap == "SYS_MODULE"
                    && let Some(why) = host_agents::module_purpose(image)
                {
                    let msg = format!(
                        "service `{}` adds capability `SYS_MODULE`: {why}, but it can load any module into the host kernel; load `wireguard` on the host (built in since Linux 5.6) and drop it",
                        s.name
                    );
                    out.push(with_written(META.diagnostic(at, msg).with_severity(Severity::Info), written));
                    continue;
                }
                let (what, severity) = if let Some(what) = escape_grade(cap) {
                    (what.to_string(), Severity::Warning)
                } else if cap == "NET_ADMIN"
                    && mode_is_host("network_mode")
                    && host_agents::role(image) == Some(host_agents::HostRole::Vpn)
                {
                    (
                        "with `network_mode: host` a VPN needs it to route the host's own traffic, but it changes the host's interfaces, routes and firewall".into(),
                        Severity::Info,
                    )
                } else if cap == "NET_ADMIN" && mode_is_host("network_mode") {
                    (
                        "with `network_mode: host` it changes the host's interfaces, routes and firewall".into(),
                        Severity::Warning,
                    )
                } else if cap == "SYS_PTRACE" && mode_is_host("pid") {
                    ("with `pid: host` it traces and alters host processes".into(), Severity::Warning)
                } else if cap == "SYS_PTRACE" {
                    ("it traces and reads the memory of the other processes in the container".into(), Severity::Info)
                } else {
                    continue;
                };
                let msg =
                    format!("service `{}` adds capability `{cap}`: {what}; add only the capabilities it needs", s.name);
                out.push(with_written(META.diagnostic(at, msg).with_severity(severity), written));
            }
        }
    }
}
