use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::Command;

use super::package_managers::{Unpinned, commands, zypper_install};

pub struct PinZypperVersions;

static META: RuleMeta = RuleMeta {
    code: "DL3037",
    name: "pin-zypper-versions",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Pin versions in zypper install",
    docs: r#"## What it checks
Packages named to `zypper install` (or `zypper in`) without a version
constraint: `curl` rather than `curl=8.0.1` or `'curl>=8'` (quoted, or the
shell reads a redirection). Local `.rpm` files, paths and URLs are not
reported. Installs of other kinds (`-t pattern`, `-t patch`, ...) are left
alone, where hadolint takes the type and pattern names for unpinned packages.

One finding per RUN instruction names every unpinned package, starts at the
first one and lists each package's range as related information, in RUN commands, heredoc
scripts, `sh -c '...'` bodies and ONBUILD RUN triggers. Words written with a
variable are judged by its ARG/ENV value and skipped when it is unknown.

## Why it matters
openSUSE repositories, Tumbleweed above all, publish updates continuously; an
unversioned package installs whatever build is current when the layer is
built. A pin keeps rebuilds identical and makes upgrades a deliberate edit.

## Example
```dockerfile
RUN zypper -n install curl && zypper clean
```

## Use instead
```dockerfile
RUN zypper -n install curl=8.0.1 && zypper clean
```

## References
- hadolint DL3037
- zypper manual (install): https://en.opensuse.org/SDB:Zypper_manual
"#,
};

fn pinned(spec: &str) -> bool {
    spec.contains(['=', '<', '>']) || spec.ends_with(".rpm") || spec.contains('/')
}

/// The resolvable type given with `-t` / `--type` (`package` when none is given).
fn install_type(cmd: &Command) -> String {
    let mut args = cmd.args.iter().map(|a| a.value.as_str());
    while let Some(a) = args.next() {
        if a == "-t" || a == "--type" {
            return args.next().unwrap_or("").to_string();
        }
        if let Some(t) = a.strip_prefix("--type=") {
            return t.to_string();
        }
    }
    "package".to_string()
}

impl Rule for PinZypperVersions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let mut found = Unpinned::new(&META);
        for (idx, cmd) in commands(cx, &["zypper"]) {
            let Some((_, packages)) = zypper_install(cmd) else { continue };
            if install_type(cmd) != "package" {
                continue;
            }
            let message = |pkg: &str| format!("pin the version of `{pkg}` (`{pkg}=<version>`)");
            found.check(cx, idx, &packages, pinned, message);
        }
        found.report(out);
    }
}
