use super::database_port_on_all_interfaces::{container_port, report_ports};
use super::images;
use super::model_server_without_limits::model_server;
use super::service_storage::{self, EnvValue};
use crate::compose::Service;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct ApiPortOnAllInterfaces;

static META: RuleMeta = RuleMeta {
    code: "BC2011",
    name: "api-port-on-all-interfaces",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A model server or an unauthenticated admin API publishes a port on every network interface",
    docs: r#"## What it checks
Ports published without a host IP (`11434:11434`, `8000`) or on
`0.0.0.0`/`::`, in the short or the long syntax, by:
- a model server (Ollama, vLLM, Text Generation Inference, Text Embeddings
  Inference, the llama.cpp server, LocalAI, Triton, Xinference, SGLang,
  Infinity, NVIDIA NIM), known by its image, by the base image of the
  Dockerfile it is built from, or by the command that starts it
  (`vllm serve`, `llama-server`): every published port;
- Traefik with its API in insecure mode (`--api.insecure=true` in the
  command, or `TRAEFIK_API_INSECURE=true`): the port published for container
  port 8080, where the dashboard and API are served. Ports 80 and 443 are
  Traefik's job to publish and are not reported.

Host IPs given by a variable (`${HOST_IP}:11434:11434`) are not reported.
Databases and other data services are BC2003's.

## Why it matters
None of these APIs asks for a password by default. An Ollama or vLLM port open
on the network lets anyone run the models on your GPU, pull or delete models
(Ollama's `/api/pull`, `/api/delete`) and read what the server was given;
scanners look for port 11434 in particular. Traefik's insecure API shows the
whole routing configuration, backends included. A published port without a
host IP listens on every interface, and Docker's iptables rules put it in
front of the host firewall (ufw, firewalld).

## Example
```yaml
services:
  ollama:
    image: ollama/ollama:0.5.7
    ports:
      - "11434:11434"
```

## Use instead
```yaml
services:
  ollama:
    image: ollama/ollama:0.5.7
    ports:
      - "127.0.0.1:11434:11434"
```
or drop `ports` when only other services of the file use the API, and put
an authenticating reverse proxy in front when others must reach it.

## Fix
Binds the port to `127.0.0.1`. Unsafe: other machines can no longer connect.

## References
- Ollama FAQ, exposing Ollama on the network: https://github.com/ollama/ollama/blob/main/docs/faq.md
- vLLM, security (the API server has no authentication unless `--api-key` is set): https://docs.vllm.ai/en/latest/usage/security.html
- Traefik, API `insecure`: https://doc.traefik.io/traefik/operations/api/#insecure
- Docker, packet filtering and firewalls: https://docs.docker.com/engine/network/packet-filtering-firewalls/
- Compose Specification, ports: https://docs.docker.com/reference/compose-file/services/#ports
"#,
};

/// Traefik's insecure API is switched on by the command or the environment.
fn traefik_insecure(s: &Service) -> bool {
    let words = service_storage::words(s.node.get("command"));
    let flag = words.iter().flat_map(|w| w.split_whitespace()).any(|w| {
        w.trim_matches(|c| c == '"' || c == '\'')
            .strip_prefix("--api.insecure")
            .is_some_and(|rest| rest.is_empty() || rest.eq_ignore_ascii_case("=true"))
    });
    flag || matches!(service_storage::env_value(&s.node, "TRAEFIK_API_INSECURE"), EnvValue::Set(v) if v.trim().eq_ignore_ascii_case("true"))
}

impl ComposeRule for ApiPortOnAllInterfaces {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some(ports) = s.node.get("ports") else { continue };
            if let Some((known, ..)) = model_server(cx, s) {
                let short = format!("{} API port", known.product);
                let long = format!("the {} API port", known.product);
                report_ports(cx, &META, &s.name, (&short, &long), ports, &|_| true, out);
            } else if s.node.get("image").and_then(|i| i.str()).is_some_and(images::is_traefik) && traefik_insecure(s) {
                let wanted = |p: &crate::compose::Node| container_port(p) == Some(images::TRAEFIK_API_PORT);
                let what = ("Traefik's unauthenticated API port", "Traefik's unauthenticated API port");
                report_ports(cx, &META, &s.name, what, ports, &wanted, out);
            }
        }
    }
}
