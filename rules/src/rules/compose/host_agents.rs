//! Services whose purpose needs part of the host: monitoring agents read the
//! host's processes, `/proc`, `/sys` and file systems; VPN endpoints route
//! the host's traffic; media and home-automation servers find devices on the
//! local network by broadcast (DLNA, mDNS, SSDP), which only the host network
//! carries. The host-access rules (BC2004, BC2005, BC2006) name this purpose in their
//! message and, where the access is what the service is for and cannot write
//! to the host, lower the finding to info.
//!
//! Images are matched by repository name (and namespace where the name is
//! generic), through [`super::images::parse_ref`].

use super::images::parse_ref;

/// Why a service needs host access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HostRole {
    /// Host metrics, container metrics, security monitoring.
    Monitoring,
    /// A VPN endpoint or client.
    Vpn,
    /// Finds devices on the local network by broadcast.
    LanDiscovery,
}

impl HostRole {
    /// What the service is, for messages ("a host monitoring agent").
    pub(crate) fn noun(self) -> &'static str {
        match self {
            HostRole::Monitoring => "a host monitoring agent",
            HostRole::Vpn => "a VPN",
            HostRole::LanDiscovery => "a server that discovers devices on the local network",
        }
    }
}

/// (repository names, namespaces where the name alone is too generic (empty: any), role)
const KNOWN: &[(&[&str], &[&str], HostRole)] = &[
    (
        &[
            "node-exporter",
            "node_exporter",
            "cadvisor",
            "netdata",
            "metricbeat",
            "auditbeat",
            "packetbeat",
            "telegraf",
            "glances",
            "falco",
            "process-exporter",
            "smartctl-exporter",
            "docker-dd-agent",
        ],
        &[],
        HostRole::Monitoring,
    ),
    (&["agent", "cluster-agent"], &["datadog", "datadoghq"], HostRole::Monitoring),
    (&["alloy"], &["grafana"], HostRole::Monitoring),
    (&["infrastructure"], &["newrelic"], HostRole::Monitoring),
    (
        &[
            "wireguard",
            "wg-easy",
            "tailscale",
            "openvpn",
            "openvpn-as",
            "docker-openvpn",
            "ipsec-vpn-server",
            "gluetun",
            "netbird",
            "zerotier",
            "zerotier-one",
            "strongswan",
            "pritunl",
            "softethervpn",
            "firezone",
        ],
        &[],
        HostRole::Vpn,
    ),
    (
        &["plex", "pms-docker", "jellyfin", "emby", "embyserver", "minidlna", "home-assistant", "homeassistant"],
        &[],
        HostRole::LanDiscovery,
    ),
];

/// The host role of `image`, when it is a known one.
pub(crate) fn role(image: &str) -> Option<HostRole> {
    let r = parse_ref(image);
    if crate::compose::interpolate::interpolated(r.name) {
        return None;
    }
    let name = r.name.to_ascii_lowercase();
    let first_ns = r.namespace.split('/').next().unwrap_or("");
    KNOWN
        .iter()
        .find(|(names, ns, _)| names.contains(&name.as_str()) && (ns.is_empty() || ns.contains(&first_ns)))
        .map(|&(_, _, role)| role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        assert_eq!(role("prom/node-exporter:v1.8.2"), Some(HostRole::Monitoring));
        assert_eq!(role("gcr.io/cadvisor/cadvisor:v0.49.1"), Some(HostRole::Monitoring));
        assert_eq!(role("datadog/agent:7"), Some(HostRole::Monitoring));
        assert_eq!(role("example/agent"), None);
        assert_eq!(role("lscr.io/linuxserver/wireguard"), Some(HostRole::Vpn));
        assert_eq!(role("ghcr.io/wg-easy/wg-easy:14"), Some(HostRole::Vpn));
        assert_eq!(role("plexinc/pms-docker"), Some(HostRole::LanDiscovery));
        assert_eq!(role("nginx:1.27"), None);
        assert_eq!(role("${AGENT_IMAGE}"), None);
    }
}
