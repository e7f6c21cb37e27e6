use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct InvalidExposePort;

static META: RuleMeta = RuleMeta {
    code: "BD2006",
    name: "invalid-expose-port",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "EXPOSE takes port numbers or ranges",
    docs: r#"## What it checks
`EXPOSE` entries that are not a port number or a `start-end` range (with an
optional `/tcp`, `/udp` or `/sctp`) after evaluating variables: words such as
`EXPOSE http`, an empty port (`EXPOSE /tcp`), a reversed range
(`EXPOSE 9000-8000`), and in the `[ip:]host:container` form an invalid IP
address, host port, or host range that does not fit the container range.
Entries whose variables have no known value are left alone. Numbers above
65535 are reported by DL3011, unknown protocols by BD1006, and the
`host:container` form itself by BD1005.

## Why it matters
The builder refuses the instruction ("invalid containerPort", "invalid port
range") and the build stops.

## Example
```dockerfile
EXPOSE http 9000-8000
```

## Use instead
```dockerfile
EXPOSE 80 8000-9000
```

## References
- Dockerfile reference, EXPOSE: https://docs.docker.com/reference/dockerfile/#expose
"#,
};

/// A port number as the builder reads it: digits (with an optional `+`);
/// `Some(None)` for a number too large (DL3011's business).
fn port_number(s: &str) -> Option<Option<u32>> {
    let digits = s.strip_prefix('+').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse::<u32>().ok().filter(|n| *n <= 65535))
}

/// `(start, end)` of a port or range; `Err` says what is wrong; `Ok(None)`
/// when a number is out of range (not this rule's finding).
fn port_range(s: &str) -> Result<Option<(u32, u32)>, String> {
    if s.is_empty() {
        return Err("the port is empty".into());
    }
    let (start, end) = match s.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let Some(start_n) = port_number(start) else {
        return Err(if start.is_empty() {
            format!("the range `{s}` has no start")
        } else {
            format!("`{start}` is not a port number")
        });
    };
    let end = match end {
        None => return Ok(start_n.map(|n| (n, n))),
        Some(e) if e == start => return Ok(start_n.map(|n| (n, n))),
        Some(e) => e,
    };
    let Some(end_n) = port_number(end) else {
        return Err(if end.is_empty() {
            format!("the range `{s}` has no end")
        } else {
            format!("`{end}` is not a port number")
        });
    };
    match (start_n, end_n) {
        (Some(a), Some(b)) if b < a => Err(format!("the range `{s}` ends before it starts")),
        (Some(a), Some(b)) => Ok(Some((a, b))),
        _ => Ok(None),
    }
}

fn valid_ip(ip: &str) -> bool {
    let ip = ip.strip_prefix('[').and_then(|i| i.strip_suffix(']')).unwrap_or(ip);
    ip.parse::<std::net::IpAddr>().is_ok()
}

/// What is wrong with one EXPOSE entry, if anything.
fn problem(entry: &str) -> Option<String> {
    let parts: Vec<&str> = entry.split(':').collect();
    let n = parts.len();
    let (ip, host, container) = match n {
        1 => (String::new(), "", parts[0]),
        2 => (String::new(), parts[0], parts[1]),
        _ => (parts[..n - 2].join(":"), parts[n - 2], parts[n - 1]),
    };
    let port = container.split_once('/').map_or(container, |(p, _)| p);
    if port.is_empty() {
        return Some(format!("`{entry}` has no port"));
    }
    if !ip.is_empty() && !valid_ip(&ip) {
        return Some(format!("`{ip}` is not an IP address"));
    }
    let c = match port_range(port) {
        Err(e) => return Some(e),
        Ok(r) => r,
    };
    if !host.is_empty() {
        let h = match port_range(host) {
            Err(e) => return Some(format!("host port: {e}")),
            Ok(r) => r,
        };
        if let (Some((cs, ce)), Some((hs, he))) = (c, h)
            && ce - cs != he - hs
            && ce != cs
        {
            return Some(format!("the host range `{host}` and the container range `{port}` differ in size"));
        }
    }
    None
}

impl Rule for InvalidExposePort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.each(Keyword::Expose) {
            for ev in cx.model.evaluated_words(inst, idx) {
                for entry in ev.value.split_whitespace() {
                    if let Some(p) = problem(entry) {
                        out.push(META.diagnostic(
                            ev.word.span,
                            format!(
                                "invalid EXPOSE entry `{entry}`{}: {p}; write a port such as `8080` or `8080/udp`",
                                ev.note(entry)
                            ),
                        ));
                    }
                }
            }
        }
    }
}
