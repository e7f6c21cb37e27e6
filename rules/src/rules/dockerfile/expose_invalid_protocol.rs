use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct ExposeInvalidProtocol;

static META: RuleMeta = RuleMeta {
    code: "BD1006",
    name: "expose-invalid-protocol",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "EXPOSE protocols are tcp, udp or sctp",
    docs: r#"## What it checks
`EXPOSE` ports whose protocol, after the `/`, is not `tcp`, `udp` or `sctp`
(in any case), such as `EXPOSE 80/http` or `EXPOSE 443/https`. Variables are
evaluated first; ports whose variables have no known value are left alone.
Upper-case protocols (`80/TCP`) are valid and are not reported here.

## Why it matters
The builder rejects any other protocol and the build stops with an "invalid
proto" error. Application protocols such as HTTP, HTTPS or gRPC all travel
over TCP, which is also what `EXPOSE` assumes when no protocol is given.

## Example
```dockerfile
EXPOSE 8080/http
```

## Use instead
```dockerfile
EXPOSE 8080/tcp
```

## References
- Dockerfile reference, EXPOSE: https://docs.docker.com/reference/dockerfile/#expose
"#,
};

const PROTOCOLS: &[&str] = &["tcp", "udp", "sctp"];

impl Rule for ExposeInvalidProtocol {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.each(Keyword::Expose) {
            for ev in cx.model.evaluated_words(inst, idx) {
                let (word, plain, evaluated) = (&ev.word, ev.plain, &ev.value);
                for port in evaluated.split_whitespace() {
                    // The protocol follows the first `/` of the container part (after the last `:`).
                    let container_start = port.rfind(':').map_or(0, |p| p + 1);
                    let Some(slash) = port[container_start..].find('/') else { continue };
                    let proto_start = container_start + slash + 1;
                    let proto = &port[proto_start..];
                    if proto.is_empty() || PROTOCOLS.iter().any(|p| p.eq_ignore_ascii_case(proto)) {
                        continue;
                    }
                    let span =
                        if plain { inst.rest.span(word.logical.0 + proto_start, word.logical.1) } else { word.span };
                    let shown = ev.note(port);
                    let hint = if ["http", "https", "http2", "grpc", "ws", "wss", "tls", "ssh"]
                        .iter()
                        .any(|p| p.eq_ignore_ascii_case(proto))
                    {
                        format!(" ({proto} runs over tcp)")
                    } else {
                        String::new()
                    };
                    out.push(META.diagnostic(
                        span,
                        format!("`{proto}` is not a protocol EXPOSE accepts{shown}: use `tcp`, `udp` or `sctp`{hint}"),
                    ));
                }
            }
        }
    }
}
