use super::images;
use super::{place_node, with_written};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct DockerSocketMounted;

static META: RuleMeta = RuleMeta {
    code: "BC2002",
    name: "docker-socket-mounted",
    severity: Severity::Error,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service mounts the Docker socket",
    docs: r#"## What it checks
Volumes whose source is the Docker daemon's socket (`/var/run/docker.sock` or
`/run/docker.sock`), in the short syntax (`/var/run/docker.sock:/var/run/docker.sock:ro`)
or the long one (`source: /var/run/docker.sock`).

Not reported: the Docker socket proxies this rule recommends
(`tecnativa/docker-socket-proxy`, `linuxserver/socket-proxy`,
`wollomatic/socket-proxy` and other images named `socket-proxy` or
`docker-socket-proxy`): holding the socket and filtering the API calls is
their job.

## Why it matters
Whoever can talk to the Docker socket is root on the host: they can start a
privileged container that mounts `/`. Mounting it read-only does not help, the
API still accepts requests. A compromise of the service is a compromise of the
host.

## Example
```yaml
services:
  ui:
    image: example/dashboard
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
```

## Use instead
Give the service a socket proxy that allows only the API calls it needs, or run
the daemon rootless:
```yaml
services:
  socket-proxy:
    image: tecnativa/docker-socket-proxy
    environment:
      CONTAINERS: 1
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro  # not reported: the proxy filters requests
  ui:
    image: example/dashboard
    environment:
      DOCKER_HOST: tcp://socket-proxy:2375
```

## References
- Docker, protect the daemon socket: https://docs.docker.com/engine/security/protect-access/
- Tecnativa docker-socket-proxy: https://github.com/Tecnativa/docker-socket-proxy
- LinuxServer.io socket-proxy: https://docs.linuxserver.io/images/docker-socket-proxy/
- OWASP Docker Security Cheat Sheet, rule 1: https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html
"#,
};

fn is_socket(path: &str) -> bool {
    let p = path.trim_start_matches('/');
    matches!(p, "var/run/docker.sock" | "run/docker.sock")
}

impl ComposeRule for DockerSocketMounted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            // A socket proxy holds the socket so that the other services do not.
            if s.node.get("image").and_then(|i| i.str()).is_some_and(images::socket_proxy) {
                continue;
            }
            let Some(vols) = s.node.get("volumes") else { continue };
            for v in vols.items() {
                let (source, node) = match v.str() {
                    Some(short) => (short.split(':').next().unwrap_or(""), v),
                    None => match v.get("source") {
                        Some(n) => (n.str().unwrap_or(""), n),
                        None => continue,
                    },
                };
                if !is_socket(source) {
                    continue;
                }
                let (at, written) = place_node(node);
                let d = META.diagnostic(
                    at,
                    format!("service `{}` mounts the Docker socket, which gives root on the host", s.name),
                );
                out.push(with_written(d, written));
            }
        }
    }
}
