use super::{place_node, with_written};
use crate::compose::interpolate::interpolated;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct ConfinementDisabled;

static META: RuleMeta = RuleMeta {
    code: "BC2007",
    name: "confinement-disabled",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "`security_opt` turns off seccomp, AppArmor, SELinux or other confinement",
    docs: r#"## What it checks
Entries of a service's `security_opt`, written with `:` or `=` (compared
exactly, as Docker does):
- warning: `seccomp:unconfined`, `apparmor:unconfined`, `label:disable`,
  `label:type:spc_t` and `label:type:unconfined_t` (SELinux types that are
  not confined), and `systempaths=unconfined` (unmasks `/proc` and `/sys`
  paths that Docker hides);
- info: `no-new-privileges:false`. It is Docker's default, so it only
  changes something when the daemon enables no-new-privileges for every
  container; writing it turns that protection off for this service.

Entries written with variables are not checked.

## Why it matters
Docker's default seccomp profile blocks about fifty system calls (kernel
keyrings, `mount`, `unshare`, module loading, ...) that several kernel exploits
and container escapes need; AppArmor and SELinux profiles stop writes to
sensitive `/proc` and `/sys` files and access to host files. Turning them off
leaves only capabilities and namespaces between the service and the kernel.

## Example
```yaml
services:
  browser:
    image: example/headless-chrome
    security_opt:
      - seccomp:unconfined
```

## Use instead
Give the service a profile that allows the few extra system calls it needs:
```yaml
services:
  browser:
    image: example/headless-chrome
    security_opt:
      - seccomp:./chrome-seccomp.json
      - no-new-privileges:true
```

## References
- Compose Specification, security_opt: https://docs.docker.com/reference/compose-file/services/#security_opt
- Docker, seccomp security profiles: https://docs.docker.com/engine/security/seccomp/
- Docker, AppArmor security profiles: https://docs.docker.com/engine/security/apparmor/
"#,
};

/// What the option turns off and how serious that is.
fn judge(option: &str) -> Option<(&'static str, Severity)> {
    let option = option.trim();
    let (name, value) = option.split_once([':', '=']).unwrap_or((option, ""));
    Some(match (name, value) {
        ("seccomp", "unconfined") => ("the seccomp system-call filter", Severity::Warning),
        ("apparmor", "unconfined") => ("AppArmor confinement", Severity::Warning),
        ("label", "disable") => ("SELinux labeling", Severity::Warning),
        ("label", "type:spc_t" | "type:unconfined_t") => ("SELinux confinement", Severity::Warning),
        ("systempaths", "unconfined") => ("the masking of sensitive `/proc` and `/sys` paths", Severity::Warning),
        ("no-new-privileges", "false") => ("no-new-privileges", Severity::Info),
        _ => return None,
    })
}

impl ComposeRule for ConfinementDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            for item in s.node.get("security_opt").map(|v| v.items()).unwrap_or(&[]) {
                let Some(text) = item.str() else { continue };
                if interpolated(text) {
                    continue;
                }
                let Some((what, severity)) = judge(text) else { continue };
                let (at, written) = place_node(item);
                let advice = if severity == Severity::Info {
                    "write `no-new-privileges:true` instead"
                } else {
                    "remove it, or use a profile that allows only what the service needs"
                };
                let msg = format!("service `{}` turns off {what} with `{}`; {advice}", s.name, text.trim());
                out.push(with_written(META.diagnostic(at, msg).with_severity(severity), written));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options() {
        for o in
            ["seccomp:unconfined", "seccomp=unconfined", "apparmor=unconfined", "label:disable", "label=type:spc_t"]
        {
            assert!(matches!(judge(o), Some((_, Severity::Warning))), "{o}");
        }
        assert!(matches!(judge("no-new-privileges:false"), Some((_, Severity::Info))));
        for o in [
            "no-new-privileges:true",
            "no-new-privileges",
            "seccomp:./p.json",
            "label:user:USER",
            "apparmor:docker-default",
        ] {
            assert!(judge(o).is_none(), "{o}");
        }
    }
}
