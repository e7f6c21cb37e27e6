use super::{place, with_written};
use crate::compose::interpolate::interpolated;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct RootUser;

static META: RuleMeta = RuleMeta {
    code: "BC2010",
    name: "root-user",
    severity: Severity::Info,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service explicitly runs as root (`user: root` or `user: \"0\"`)",
    docs: r#"## What it checks
A service's `user` whose user part (before `:`) is `root` or `0`: `root`,
`"0"`, `0`, `root:root`, `"0:0"`. Values written with variables are not
checked. Services without `user` are not reported: whether they run as root
depends on the image, which berth does not see from the Compose file.

It is information, not a warning: many images run as root anyway, and some
services need it at start (to fix the ownership of a volume, then drop to
another user). The finding points out a deliberate choice worth checking,
especially when it overrides an image that was built to run as another user.

## Why it matters
Root in the container is root on the host as far as the kernel is concerned
(unless user namespaces are remapped): files it writes to bind mounts are
owned by root, and any escape or mount mistake starts with full rights.

## Example
```yaml
services:
  app:
    image: example/app
    user: root
```

## Use instead
```yaml
services:
  app:
    image: example/app
    user: "1000:1000"
```

## References
- Compose Specification, user: https://docs.docker.com/reference/compose-file/services/#user
- OWASP Docker Security Cheat Sheet, rule 2 (set a user): https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html
"#,
};

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or("").trim();
    name == "root" || (!name.is_empty() && name.bytes().all(|b| b == b'0'))
}

impl ComposeRule for RootUser {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some((k, v)) = s.node.entry("user") else { continue };
            let Some(text) = v.str() else { continue };
            if interpolated(text) || !is_root(text) {
                continue;
            }
            let (at, written) = place(k, v);
            let msg = format!(
                "service `{}` runs as root (`user: {text}`); run it as an unprivileged user unless it needs root",
                s.name
            );
            out.push(with_written(META.diagnostic(at, msg), written));
        }
    }
}
