use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct ExposeProtoCasing;

static META: RuleMeta = RuleMeta {
    code: "BD1014",
    name: "expose-proto-casing",
    severity: Severity::Warning,
    category: Category::Style,
    fix: FixAvailability::Sometimes,
    buildkit: Some("ExposeProtoCasing"),
    aliases: &[],
    default_enabled: true,
    summary: "Write EXPOSE protocols in lower case",
    docs: r#"## What it checks
`EXPOSE` ports whose protocol is `tcp`, `udp` or `sctp` written with
upper-case letters, such as `EXPOSE 53/UDP`. Variables are evaluated first;
ports whose variables have no known value are left alone. Protocols that are
not valid at all are reported by `expose-invalid-protocol` (BD1006).

## Why it matters
The builder lower-cases the protocol, so `80/TCP` works, but the image
metadata, `docker inspect` and every other tool write `80/tcp`. Writing it
the same way in the Dockerfile keeps searches and reviews simple.

## Example
```dockerfile
EXPOSE 80/TCP 53/UDP
```

## Use instead
```dockerfile
EXPOSE 80/tcp 53/udp
```

## Fix
Lower-cases the protocol. Safe: the builder does the same. Not offered for
ports written through variables or quotes.

## References
- BuildKit check ExposeProtoCasing: https://docs.docker.com/reference/build-checks/expose-proto-casing/
- Dockerfile reference, EXPOSE: https://docs.docker.com/reference/dockerfile/#expose
"#,
};

impl Rule for ExposeProtoCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.each(Keyword::Expose) {
            for ev in cx.model.evaluated_words(inst, idx) {
                for port in ev.value.split_whitespace() {
                    let container_start = port.rfind(':').map_or(0, |p| p + 1);
                    let Some(slash) = port[container_start..].find('/') else { continue };
                    let proto_start = container_start + slash + 1;
                    let proto = &port[proto_start..];
                    let lower = proto.to_ascii_lowercase();
                    if proto == lower || !matches!(lower.as_str(), "tcp" | "udp" | "sctp") {
                        continue;
                    }
                    let span = if ev.plain {
                        inst.rest.span(ev.word.logical.0 + proto_start, ev.word.logical.1)
                    } else {
                        ev.word.span
                    };
                    let mut d = META.diagnostic(
                        span,
                        format!("write the protocol of `{port}` in lower case: `{lower}`{}", ev.note(port)),
                    );
                    if ev.plain {
                        d = d.with_fix(Fix::safe(format!("Write `{lower}`"), vec![Edit::replace(span, lower.clone())]));
                    }
                    out.push(d);
                }
            }
        }
    }
}
