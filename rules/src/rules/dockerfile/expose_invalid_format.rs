use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct ExposeInvalidFormat;

static META: RuleMeta = RuleMeta {
    code: "BD1005",
    name: "expose-invalid-format",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
    buildkit: Some("ExposeInvalidFormat"),
    aliases: &[],
    default_enabled: true,
    summary: "EXPOSE takes container ports, not IP addresses or host mappings",
    docs: r#"## What it checks
`EXPOSE` ports written with an IP address or a host port, the way
`docker run -p` takes them: `EXPOSE 8080:80`, `EXPOSE 127.0.0.1:80:80`,
`EXPOSE [::1]:5432:5432/tcp`. Variables are evaluated first; ports whose
variables have no known value are left alone.

## Why it matters
An image cannot choose how the host publishes its ports: that is decided when
the container starts. The builder keeps only the last part (the container
port) and drops the rest, so the address or host port in the Dockerfile does
nothing, yet readers expect it to. Support for this form is deprecated and
may turn into an error.

## Example
```dockerfile
EXPOSE 127.0.0.1:8080:80/tcp
```

## Use instead
```dockerfile
EXPOSE 80/tcp
```
and publish it when running: `docker run -p 127.0.0.1:8080:80 ...`.

## Fix
Keeps only the container port and its protocol (`8080:80/tcp` becomes
`80/tcp`). Marked unsafe because it drops the host part you wrote: move it to
`docker run -p` or your compose file if you rely on it. Not offered for ports
written through variables or quotes.

## References
- BuildKit check ExposeInvalidFormat: https://docs.docker.com/reference/build-checks/expose-invalid-format/
- Dockerfile reference, EXPOSE: https://docs.docker.com/reference/dockerfile/#expose
"#,
};

impl Rule for ExposeInvalidFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.each(Keyword::Expose) {
            for ev in cx.model.evaluated_words(inst, idx) {
                let (word, plain, evaluated) = (&ev.word, ev.plain, &ev.value);
                for port in evaluated.split_whitespace() {
                    let Some(colon) = port.rfind(':') else { continue };
                    let container = &port[colon + 1..];
                    let shown = ev.note(port);
                    let message = if container.is_empty() {
                        format!(
                            "`{port}` has no container port{shown}; EXPOSE takes the port the application listens on, publish host ports with `docker run -p`"
                        )
                    } else {
                        format!(
                            "only the container port belongs in EXPOSE{shown}: write `{container}` and publish `{port}` with `docker run -p`"
                        )
                    };
                    let mut d = META.diagnostic(word.span, message);
                    if plain && !container.is_empty() {
                        d = d.with_fix(Fix::unsafe_(
                            format!("Keep only `{container}`"),
                            vec![Edit::replace(word.span, container)],
                        ));
                    }
                    out.push(d);
                }
            }
        }
    }
}
