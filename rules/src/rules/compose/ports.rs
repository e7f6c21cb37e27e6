//! Published ports as Compose reads them, shared by the port rules.
//!
//! Short syntax: `[[IP:][HOST]:]CONTAINER[/PROTOCOL]`, where HOST and
//! CONTAINER may be ranges (`8000-8010`) and the IP may be IPv6, bracketed or
//! not (everything before the last two `:`-separated parts, as Docker's
//! `nat.ParsePortSpec` splits it). Long syntax: a mapping with `target`,
//! `published`, `host_ip`, `protocol`. Text inside `${...}` is never split.

use crate::compose::{Kind, Node};

/// Split `s` on `sep` outside `${...}`.
pub(crate) fn split_outside_vars(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    let mut prev = ' ';
    for (i, c) in s.char_indices() {
        match c {
            '{' if prev == '$' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            c if c == sep && depth == 0 => {
                parts.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
        prev = c;
    }
    parts.push(&s[start..]);
    parts
}

/// Services whose clients find them at a fixed port below 1024, which the
/// server cannot move: DNS resolvers, DHCP clients, IKE peers and mail
/// servers look only there (IANA service names and port numbers registry).
const FIXED_PORTS: &[(u32, &str)] = &[
    (25, "SMTP"),
    (53, "DNS"),
    (67, "DHCP"),
    (68, "DHCP"),
    (69, "TFTP"),
    (88, "Kerberos"),
    (123, "NTP"),
    (137, "NetBIOS"),
    (138, "NetBIOS"),
    (139, "NetBIOS"),
    (161, "SNMP"),
    (162, "SNMP traps"),
    (445, "SMB"),
    (500, "IPsec IKE"),
    (514, "syslog"),
    (547, "DHCPv6"),
];

/// The protocol whose clients expect `port` itself, when it is one of those.
pub(crate) fn fixed_port_service(port: u32) -> Option<&'static str> {
    FIXED_PORTS.binary_search_by_key(&port, |p| p.0).ok().map(|i| FIXED_PORTS[i].1)
}

/// One published (or only exposed) port of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PortSpec {
    /// The host IP as written, brackets removed (`None`: not given).
    pub ip: Option<String>,
    /// The host port or range as written (`None` or empty: Docker picks one).
    pub host: Option<String>,
    /// The container port or range.
    pub container: String,
    /// `tcp` unless written.
    pub protocol: String,
}

impl PortSpec {
    /// A port written in the short syntax.
    pub fn short(text: &str) -> PortSpec {
        let (port, protocol) = match split_outside_vars(text, '/').as_slice() {
            [p, proto, ..] => (*p, proto.to_ascii_lowercase()),
            _ => (text, "tcp".to_string()),
        };
        let parts = split_outside_vars(port.trim(), ':');
        let n = parts.len();
        let unbracket = |s: &str| s.trim_start_matches('[').trim_end_matches(']').to_string();
        let (ip, host, container) = match n {
            0 | 1 => (None, None, parts.first().copied().unwrap_or("")),
            2 => (None, Some(parts[0]), parts[1]),
            _ => (Some(unbracket(&parts[..n - 2].join(":"))), Some(parts[n - 2]), parts[n - 1]),
        };
        PortSpec { ip, host: host.map(str::to_string), container: container.to_string(), protocol }
    }

    /// A port item: the short syntax (a scalar) or the long one (a mapping).
    pub fn of(node: &Node) -> Option<PortSpec> {
        match &node.kind {
            Kind::Scalar { text, .. } => Some(PortSpec::short(text)),
            Kind::Map(_) => {
                let s = |k: &str| node.get(k).and_then(|v| v.str()).map(str::to_string);
                Some(PortSpec {
                    ip: s("host_ip"),
                    host: s("published"),
                    container: s("target").unwrap_or_default(),
                    protocol: s("protocol").unwrap_or_else(|| "tcp".into()).to_ascii_lowercase(),
                })
            }
            _ => None,
        }
    }

    /// The host ports as a range `(first, last)`; `None` when none is
    /// published or the text is not a literal port or range.
    pub fn host_range(&self) -> Option<(u32, u32)> {
        let h = self.host.as_deref()?.trim();
        let (a, b) = h.split_once('-').unwrap_or((h, h));
        let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
        (a <= b).then_some((a, b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_ports_are_sorted() {
        assert!(FIXED_PORTS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(fixed_port_service(500), Some("IPsec IKE"));
        assert_eq!(fixed_port_service(22), None);
    }

    #[test]
    fn short_syntax() {
        let p = PortSpec::short("127.0.0.1:8080:80/udp");
        assert_eq!((p.ip.as_deref(), p.host.as_deref(), p.container.as_str()), (Some("127.0.0.1"), Some("8080"), "80"));
        assert_eq!(p.protocol, "udp");
        let p = PortSpec::short("${PORT:-8080}:80");
        assert_eq!((p.ip, p.host.as_deref()), (None, Some("${PORT:-8080}")));
        let p = PortSpec::short("[::1]:8080:80");
        assert_eq!(p.ip.as_deref(), Some("::1"));
        let p = PortSpec::short("::1:8080:80");
        assert_eq!(p.ip.as_deref(), Some("::1"));
        assert_eq!(PortSpec::short("8000-8010:8000-8010").host_range(), Some((8000, 8010)));
        assert_eq!(PortSpec::short("80").host_range(), None);
        assert_eq!(PortSpec::short("127.0.0.1::80").host_range(), None);
        assert_eq!(PortSpec::short("${HOST_IP}:80:80").ip.as_deref(), Some("${HOST_IP}"));
    }
}
