use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct ExposePortRange;

static META: RuleMeta = RuleMeta {
    code: "DL3011",
    name: "expose-port-range",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "EXPOSE ports must be between 0 and 65535",
    docs: r#"## What it checks
`EXPOSE` ports above 65535 (also in `ONBUILD EXPOSE`, which hadolint skips),
alone (`EXPOSE 80000`), with a protocol (`80000/udp`) or as either end of a
range (`8000-80000`).
Variables are evaluated first, so `EXPOSE $PORT` is judged by the value of
`PORT`; ports whose variables have no known value are left alone. For a
`host:container` mapping only the container port is judged (the mapping
itself is reported by BD1005).

## Why it matters
A TCP or UDP port is a 16-bit number. A larger one cannot be bound by the
application or published by Docker; it is almost always a typo, such as an
extra digit, and the build or `docker run -p` fails later with a less clear
error.

## Example
```dockerfile
FROM nginx:1.27-alpine
EXPOSE 80800
```

## Use instead
```dockerfile
FROM nginx:1.27-alpine
EXPOSE 8080
```

## References
- hadolint DL3011
- Dockerfile reference, EXPOSE: https://docs.docker.com/reference/dockerfile/#expose
"#,
};

/// A port number, saturating so that very long digit strings stay large.
fn port_number(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.parse::<u64>().unwrap_or(u64::MAX))
}

impl Rule for ExposePortRange {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.each(Keyword::Expose) {
            for ev in cx.model.evaluated_words(inst, idx) {
                for port in ev.value.split_whitespace() {
                    // `host:container/proto`: the container port, without the protocol.
                    let container = port.rsplit(':').next().unwrap_or(port);
                    let number = container.split('/').next().unwrap_or(container);
                    let ends: Vec<&str> = match number.split_once('-') {
                        Some((a, b)) => vec![a, b],
                        None => vec![number],
                    };
                    let Some(bad) = ends.iter().find(|e| port_number(e).is_some_and(|n| n > 65535)) else { continue };
                    let shown = ev.note(port);
                    out.push(META.diagnostic(
                        ev.word.span,
                        format!("port {bad} is out of range{shown}; ports go from 0 to 65535"),
                    ));
                }
            }
        }
    }
}
