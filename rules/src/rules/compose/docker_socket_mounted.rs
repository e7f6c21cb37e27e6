use super::host_agents::{self, SocketUse};
use super::images;
use super::{place_node, with_written};
use crate::compose::volumes;
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

Severity follows what the service does with the socket:
- error: any other service (a compromise of the service is root on the host);
- warning, for tools that only read the API (Traefik's Docker provider,
  Dozzle, nginx-proxy/docker-gen, Homepage): the message names what they
  read and asks for a socket proxy that lets through read requests only,
  which is all they need;
- info, for tools whose purpose is to create or manage containers
  (Portainer, Watchtower, the GitLab runner, LocalStack and other AWS
  emulators that run Lambda functions in containers, Testcontainers' Ryuk):
  a proxy that lets them work still lets them start a privileged container,
  so the message names the purpose and asks to keep the service off public
  interfaces.

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
- Traefik, Docker provider, Docker API access: https://doc.traefik.io/traefik/providers/docker/#docker-api-access
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
            let image = s.node.get("image").and_then(|i| i.str()).unwrap_or("");
            // A socket proxy holds the socket so that the other services do not.
            if images::socket_proxy(image) {
                continue;
            }
            for v in volumes::of_service(&s.node) {
                let Some((node, _)) = v.source.as_ref().filter(|_| is_socket(v.source_text())) else { continue };
                let (at, written) = place_node(node);
                let name = &s.name;
                let (msg, severity) = match host_agents::socket_use(image) {
                    Some(SocketUse::Reads(why)) => (
                        format!(
                            "service `{name}` mounts the Docker socket, which gives root on the host; {why}, so give it a socket proxy that lets through only read requests"
                        ),
                        Severity::Warning,
                    ),
                    Some(SocketUse::Controls(why)) => (
                        format!(
                            "service `{name}` mounts the Docker socket: {why}, which is its purpose, but whoever takes over `{name}` is root on the host; keep it off public interfaces"
                        ),
                        Severity::Info,
                    ),
                    None => (
                        format!("service `{name}` mounts the Docker socket, which gives root on the host"),
                        META.severity,
                    ),
                };
                out.push(with_written(META.diagnostic(at, msg).with_severity(severity), written));
            }
        }
    }
}
