use super::host_agents;
use super::{place, with_written};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct PrivilegedContainer;

static META: RuleMeta = RuleMeta {
    code: "BC2001",
    name: "privileged-container",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service runs with `privileged: true`",
    docs: r#"## What it checks
Services with `privileged: true`, written in place or brought in through an
anchor or a `<<` merge (reported where the merge is used). Strings count as
Compose reads them: compose-go casts every string of a boolean field, so
`privileged: "true"` and `privileged: yes` run privileged too.

Where running privileged is what a well-known image is for, the finding is
info and the message says why: BuildKit's daemon (`moby/buildkit`, not its
`rootless` images), Docker-in-Docker (`docker:dind` and its variants) and
Kubernetes nodes in containers (`kindest/node`, `rancher/k3s`) run
containers of their own, which their documentation says needs
`privileged: true`. The image is read from `image`, also when the service
builds it (`image: moby/buildkit:local` next to `build`). For BuildKit's
`rootless` images the warning says what they need instead.

## Why it matters
A privileged container gets every capability and access to every device of the
host; escaping it to root on the host is routine. Most services that ask for it
need one capability or one device.

## Example
```yaml
services:
  vpn:
    image: example/vpn
    privileged: true
```

## Use instead
```yaml
services:
  vpn:
    image: example/vpn
    cap_add: [NET_ADMIN]
    devices: ["/dev/net/tun"]
```

## References
- BuildKit, running buildkitd in a container: https://github.com/moby/buildkit#containerizing-buildkit
- Docker-in-Docker image (`--privileged` is required): https://hub.docker.com/_/docker
- Compose Specification, privileged: https://docs.docker.com/reference/compose-file/services/#privileged
- Docker, runtime privilege: https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities
"#,
};

impl ComposeRule for PrivilegedContainer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some((k, v)) = s.node.entry("privileged") else { continue };
            if v.compose_bool() != Some(true) {
                continue;
            }
            let (at, written) = place(k, v);
            let image = s.node.get("image").and_then(|i| i.str()).unwrap_or("");
            let d = match host_agents::privileged_purpose(image) {
                Some(why) => META
                    .diagnostic(
                        at,
                        format!(
                            "service `{}` runs privileged: {why}, but it has full access to the host; run only trusted work in it",
                            s.name
                        ),
                    )
                    .with_severity(Severity::Info),
                None => {
                    let instead = host_agents::privileged_not_needed(image).map_or(String::new(), |w| format!("; {w}"));
                    META.diagnostic(at, format!("service `{}` runs privileged, with full access to the host{instead}", s.name))
                }
            };
            out.push(with_written(d, written));
        }
    }
}
