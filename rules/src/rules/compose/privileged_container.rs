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
anchor or a `<<` merge (reported where the merge is used).

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
            let d = META.diagnostic(at, format!("service `{}` runs privileged, with full access to the host", s.name));
            out.push(with_written(d, written));
        }
    }
}
