use super::{place, place_node, with_written};
use crate::compose::{Kind, Node};
use crate::engine::{
    Category, ComposeContext, ComposeRule, Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity,
};

pub struct InvalidGpuReservation;

static META: RuleMeta = RuleMeta {
    code: "BC3004",
    name: "invalid-gpu-reservation",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A GPU (device) reservation that Compose or Docker Engine rejects",
    docs: r#"## What it checks
Entries of `deploy.resources.reservations.devices`:
- without `capabilities`, which Compose requires (error);
- with both `count` and `device_ids`, which Compose refuses (error);
- for the NVIDIA driver (`driver: nvidia`, or no driver) whose
  `capabilities` list only NVIDIA driver capabilities (`compute`, `utility`,
  ...) but not `gpu` (warning): Docker Engine picks the device driver by
  these capabilities, and older releases only match the NVIDIA driver on
  `gpu` (or `nvidia`), failing with "could not select device driver".

And `devices` written under `deploy.resources.limits`, where Compose does
not accept them (error).

`count: all` and `device_ids` alone are fine. Values given by variables are
not judged.

## Why it matters
`docker compose up` stops on these before starting anything, or the engine
refuses to create the container; the message rarely points at the line.

## Example
```yaml
services:
  trainer:
    image: nvcr.io/nvidia/pytorch:24.08-py3
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              count: 1
              device_ids: ["0"]
```

## Use instead
```yaml
services:
  trainer:
    image: nvcr.io/nvidia/pytorch:24.08-py3
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              device_ids: ["0"]
              capabilities: [gpu]
```

## Fix
Adds `capabilities: [gpu]` to an NVIDIA reservation without capabilities, and
`gpu` to a flow-style capability list that lacks it. Unsafe: it decides what
the reservation asks for.

## References
- Compose Specification, devices in deploy: https://docs.docker.com/reference/compose-file/deploy/#devices
- Docker, GPU support in Compose: https://docs.docker.com/compose/how-tos/gpu-support/
"#,
};

/// NVIDIA driver capabilities (moby's list), besides `gpu` and `nvidia`.
const NVIDIA_CAPS: &[&str] = &["compute", "compat32", "graphics", "utility", "video", "display"];

/// The service asks for GPUs: a device reservation for `gpu`/`nvidia`, `gpus`, or `runtime: nvidia`.
pub(super) fn requests_gpu(service: &Node) -> bool {
    let devices = service
        .get("deploy")
        .and_then(|d| d.get("resources"))
        .and_then(|r| r.get("reservations"))
        .and_then(|r| r.get("devices"));
    let reserved = devices.is_some_and(|d| {
        d.items().iter().any(|i| {
            i.get("driver").and_then(Node::str) == Some("nvidia")
                || i.get("capabilities")
                    .is_some_and(|c| c.items().iter().any(|x| matches!(x.str(), Some("gpu" | "nvidia"))))
        })
    });
    reserved || service.get("gpus").is_some() || service.get("runtime").and_then(Node::str) == Some("nvidia")
}

/// Insert `capabilities: [gpu]` as the first key of a device entry written in place.
fn add_capabilities(cx: &ComposeContext<'_>, item: &Node) -> Option<Edit> {
    if item.via.is_some() {
        return None;
    }
    let (k, _) = item.entries().first()?;
    if k.via.is_some() {
        return None;
    }
    if cx.text(item.span).starts_with('{') {
        return Some(Edit::insert(k.span.start, "capabilities: [gpu], "));
    }
    let lines = &cx.file.lines;
    let before = cx.text(crate::text::Span::new(lines.line_start(lines.line_of(k.span.start)), k.span.start));
    let indent: String = before.chars().map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    let newline = if cx.file.text.contains("\r\n") { "\r\n" } else { "\n" };
    Some(Edit::insert(k.span.start, format!("capabilities: [gpu]{newline}{indent}")))
}

impl ComposeRule for InvalidGpuReservation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let name = &s.name;
            let Some(resources) = s.node.get("deploy").and_then(|d| d.get("resources")) else { continue };
            if let Some((k, v)) = resources.get("limits").and_then(|l| l.entry("devices")) {
                let (at, written) = place(k, v);
                let msg = format!(
                    "service `{name}` lists `devices` under `deploy.resources.limits`, where Compose rejects them: move them to `deploy.resources.reservations`"
                );
                out.push(with_written(META.diagnostic(at, msg), written));
            }
            let Some(devices) = resources.get("reservations").and_then(|r| r.get("devices")) else { continue };
            for item in devices.items() {
                if !matches!(item.kind, Kind::Map(_)) {
                    continue;
                }
                let driver = item.get("driver").and_then(Node::str);
                let first_key = item.entries().first().map(|(k, v)| place(k, v));
                match item.entry("capabilities") {
                    None => {
                        let (at, written) = match first_key {
                            Some((at, w)) if item.via.is_none() => (at, w),
                            _ => place_node(item),
                        };
                        let msg = format!(
                            "a device reservation of service `{name}` has no `capabilities`, which Compose requires: add `capabilities: [gpu]`"
                        );
                        let mut d = with_written(META.diagnostic(at, msg), written);
                        if driver == Some("nvidia")
                            && let Some(e) = add_capabilities(cx, item)
                        {
                            d = d.with_fix(Fix::unsafe_("Add `capabilities: [gpu]`", vec![e]));
                        }
                        out.push(d);
                    }
                    Some((ck, cv)) => {
                        let caps: Vec<&str> = cv.items().iter().filter_map(Node::str).collect();
                        let judged = !caps.is_empty()
                            && caps.len() == cv.items().len()
                            && !caps.iter().any(|c| c.contains('$'))
                            && matches!(driver, None | Some("nvidia"));
                        if judged
                            && !caps.iter().any(|c| matches!(*c, "gpu" | "nvidia"))
                            && caps.iter().all(|c| NVIDIA_CAPS.contains(c))
                        {
                            let (at, written) = place(ck, cv);
                            let msg = format!(
                                "the GPU reservation of service `{name}` lists capabilities without `gpu`: older Docker Engines only select the NVIDIA driver on `gpu` and refuse the request; add `gpu`"
                            );
                            let mut d =
                                with_written(META.diagnostic(at, msg), written).with_severity(Severity::Warning);
                            let src = cx.text(cv.span);
                            if cv.via.is_none() && src.starts_with('[') && !src.contains('#') {
                                d = d.with_fix(Fix::unsafe_(
                                    "Add the `gpu` capability",
                                    vec![Edit::insert(cv.span.start + 1, "gpu, ")],
                                ));
                            }
                            out.push(d);
                        }
                    }
                }
                if item.get("count").is_some()
                    && let Some((k, v)) = item.entry("device_ids")
                {
                    let (at, written) = place(k, v);
                    let msg = format!(
                        "a device reservation of service `{name}` sets both `count` and `device_ids`, which Compose refuses: keep one"
                    );
                    out.push(with_written(META.diagnostic(at, msg), written));
                }
            }
        }
    }
}
