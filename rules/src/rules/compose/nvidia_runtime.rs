use super::{place, with_written};
use crate::engine::{
    Category, ComposeContext, ComposeRule, Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity,
};

pub struct NvidiaRuntime;

static META: RuleMeta = RuleMeta {
    code: "BC3005",
    name: "nvidia-runtime",
    severity: Severity::Info,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "`runtime: nvidia` instead of a GPU request",
    docs: r#"## What it checks
Services with `runtime: nvidia`.

## Why it matters
The `nvidia` runtime is the nvidia-docker 2 way of reaching GPUs: it only
works on hosts where that runtime is registered in the Docker daemon's
configuration, it hands over the GPUs that `NVIDIA_VISIBLE_DEVICES` names
(all of them in CUDA images, none in others), and Compose cannot see that the
service needs a GPU. Compose's own GPU request works with the NVIDIA
Container Toolkit's default setup and says how many GPUs, or which, the
service gets.

## Example
```yaml
services:
  llm:
    image: vllm/vllm-openai:v0.6.3
    runtime: nvidia
```

## Use instead
```yaml
services:
  llm:
    image: vllm/vllm-openai:v0.6.3
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              count: all
              capabilities: [gpu]
```

or, with Compose 2.30 and later, `gpus: all`.

## Fix
Replaces `runtime: nvidia` with `gpus: all` when the service has no other GPU
request. Unsafe: older Compose releases do not know `gpus`, and the service
then gets every GPU whatever `NVIDIA_VISIBLE_DEVICES` said.

## References
- Compose Specification, gpus: https://docs.docker.com/reference/compose-file/services/#gpus
- Compose Specification, runtime: https://docs.docker.com/reference/compose-file/services/#runtime
- Docker, GPU support in Compose: https://docs.docker.com/compose/how-tos/gpu-support/
"#,
};

impl ComposeRule for NvidiaRuntime {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some((k, v)) = s.node.entry("runtime") else { continue };
            if v.str() != Some("nvidia") {
                continue;
            }
            let has_request = s.node.get("gpus").is_some()
                || s.node
                    .get("deploy")
                    .and_then(|d| d.get("resources"))
                    .and_then(|r| r.get("reservations"))
                    .and_then(|r| r.get("devices"))
                    .is_some_and(|d| !d.items().is_empty());
            let (at, written) = place(k, v);
            let msg = if has_request {
                format!("service `{}` sets `runtime: nvidia` besides a GPU request: remove the runtime", s.name)
            } else {
                format!(
                    "service `{}` reaches GPUs through `runtime: nvidia`, which needs the legacy runtime registered on the host: request GPUs with `deploy.resources.reservations.devices` or `gpus: all`",
                    s.name
                )
            };
            let mut d = with_written(META.diagnostic(at, msg), written);
            if !has_request && written.is_none() && cx.text(k.span) == "runtime" {
                d = d.with_fix(Fix::unsafe_("Use `gpus: all`", vec![Edit::replace(k.span.cover(v.span), "gpus: all")]));
            }
            out.push(d);
        }
    }
}
