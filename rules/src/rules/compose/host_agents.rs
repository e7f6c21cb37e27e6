//! Services whose purpose needs part of the host: monitoring agents read the
//! host's processes, `/proc`, `/sys` and file systems; VPN endpoints route
//! the host's traffic (and WireGuard images load the kernel module when the
//! host has not); media and home-automation servers find devices on the
//! local network by broadcast (DLNA, mDNS, SSDP), which only the host network
//! carries; container engines and image builders (Docker-in-Docker, BuildKit,
//! Kubernetes-in-Docker nodes) run containers of their own, which needs
//! `privileged: true`. The host-access rules (BC2001, BC2004, BC2005, BC2006)
//! name this purpose in their message and, where the access is what the
//! service is for, lower the finding to info.
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
    /// A Redis Cluster node: the cluster protocol hands clients the nodes'
    /// own addresses and ports, so it does not work behind NAT or remapped
    /// ports (Redis documents host networking for Docker).
    RedisCluster,
}

impl HostRole {
    /// What the service is, for messages ("a host monitoring agent").
    pub(crate) fn noun(self) -> &'static str {
        match self {
            HostRole::Monitoring => "a host monitoring agent",
            HostRole::Vpn => "a VPN",
            HostRole::LanDiscovery => "a server that discovers devices on the local network",
            HostRole::RedisCluster => "a Redis Cluster node",
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
    (&["redis-cluster"], &[], HostRole::RedisCluster),
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

/// Why `image` needs `privileged: true`, when it is a container engine or
/// image builder that documents it: it runs containers of its own, which needs
/// mounts, cgroups and devices that no smaller set of capabilities gives.
/// BuildKit's `rootless` images need only seccomp and AppArmor unconfined, so
/// they are not listed.
pub(crate) fn privileged_purpose(image: &str) -> Option<&'static str> {
    let r = parse_ref(image);
    if r.name.contains('$') {
        return None;
    }
    let name = r.name.to_ascii_lowercase();
    let first_ns = r.namespace.split('/').next().unwrap_or("");
    let tag = r.tag.unwrap_or("").to_ascii_lowercase();
    match (first_ns, name.as_str()) {
        ("moby" | "earthly", "buildkit" | "buildkitd") if !tag.contains("rootless") => {
            Some("BuildKit's daemon needs it to run each build step in a container of its own")
        }
        ("" | "library", "docker") if tag.contains("dind") => {
            Some("Docker-in-Docker needs it to run its own engine and containers")
        }
        (_, "dind" | "ubuntu-dind") => Some("Docker-in-Docker needs it to run its own engine and containers"),
        ("kindest", "node") | ("rancher", "k3s") => {
            Some("a Kubernetes node in a container needs it to run the cluster's containers")
        }
        _ => None,
    }
}

/// What `image` needs instead of `privileged: true`, when it is documented to
/// run without it.
pub(crate) fn privileged_not_needed(image: &str) -> Option<&'static str> {
    let r = parse_ref(image);
    let name = r.name.to_ascii_lowercase();
    let tag = r.tag.unwrap_or("").to_ascii_lowercase();
    (matches!(name.as_str(), "buildkit" | "buildkitd") && tag.contains("rootless"))
        .then_some("BuildKit's rootless image needs only `security_opt: [seccomp=unconfined, apparmor=unconfined]`")
}

/// Why `image` adds `SYS_MODULE`, when it is a WireGuard VPN whose start-up
/// loads the `wireguard` kernel module if the host has not loaded it (the
/// linuxserver, wg-easy and gluetun images document this).
pub(crate) fn module_purpose(image: &str) -> Option<&'static str> {
    let r = parse_ref(image);
    let name = r.name.to_ascii_lowercase();
    matches!(name.as_str(), "wireguard" | "wg-easy" | "gluetun" | "firezone" | "netbird")
        .then_some("a WireGuard VPN uses it to load the `wireguard` kernel module when the host has not loaded it")
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

    #[test]
    fn privileged_images() {
        assert!(privileged_purpose("moby/buildkit:v0.16.0").is_some());
        assert!(privileged_purpose("moby/buildkit:local").is_some());
        assert!(privileged_purpose("moby/buildkit:rootless").is_none());
        assert!(privileged_purpose("docker:27-dind").is_some());
        assert!(privileged_purpose("docker:dind-rootless").is_some());
        assert!(privileged_purpose("docker:27-cli").is_none());
        assert!(privileged_purpose("kindest/node:v1.31.0").is_some());
        assert!(privileged_purpose("nginx:1.27").is_none());
        assert!(privileged_purpose("example/app").is_none());
        assert!(privileged_not_needed("moby/buildkit:v0.16.0-rootless").is_some());
        assert!(privileged_not_needed("moby/buildkit:v0.16.0").is_none());
        assert!(module_purpose("linuxserver/wireguard").is_some());
        assert!(module_purpose("ghcr.io/wg-easy/wg-easy:14").is_some());
        assert!(module_purpose("example/app").is_none());
    }
}

/// What a service does with the Docker socket, when that is its purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SocketUse {
    /// It only reads the API (container lists, labels, events, logs): a socket
    /// proxy that lets through read requests alone gives it all it needs.
    Reads(&'static str),
    /// It creates, starts or manages containers: that is its purpose, and any
    /// proxy that lets it work still lets it start a privileged container.
    Controls(&'static str),
}

/// Why `image` mounts the Docker socket, when it is a well-known tool whose
/// documented setup does (Traefik's Docker provider, Portainer, Watchtower,
/// local AWS emulators that run Lambda functions in containers, ...).
pub(crate) fn socket_use(image: &str) -> Option<SocketUse> {
    let r = parse_ref(image);
    if crate::compose::interpolate::interpolated(r.name) {
        return None;
    }
    let name = r.name.to_ascii_lowercase();
    let first_ns = r.namespace.split('/').next().unwrap_or("").to_ascii_lowercase();
    Some(match (first_ns.as_str(), name.as_str()) {
        (_, "traefik") => SocketUse::Reads("Traefik's Docker provider reads container labels and events through it"),
        (_, "dozzle") => SocketUse::Reads("Dozzle reads container logs through it"),
        (_, "docker-gen") | ("jwilder" | "nginxproxy", "nginx-proxy") => {
            SocketUse::Reads("nginx-proxy reads container events to write its configuration")
        }
        ("gethomepage", "homepage") => SocketUse::Reads("Homepage reads container status through it"),
        ("portainer", "portainer" | "portainer-ce" | "portainer-ee" | "agent") => {
            SocketUse::Controls("Portainer manages the Docker engine through it")
        }
        (_, "watchtower") => SocketUse::Controls("Watchtower replaces containers through it"),
        (_, "localstack" | "floci") => {
            SocketUse::Controls("the AWS emulator runs Lambda functions in containers through it")
        }
        (_, "gitlab-runner") => SocketUse::Controls("the GitLab runner starts job containers through it"),
        ("testcontainers", "ryuk") => SocketUse::Controls("Ryuk removes test containers through it"),
        _ => return None,
    })
}
