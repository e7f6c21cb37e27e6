use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::{Unpinned, apk_add, commands};

pub struct PinApkVersions;

static META: RuleMeta = RuleMeta {
    code: "DL3018",
    name: "pin-apk-versions",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Pin versions in apk add",
    docs: r#"## What it checks
Packages named to `apk add` without a version constraint: `curl` rather than
`curl=8.9.1-r0` (or `curl~8.9`, `curl>8`, quoted so the shell does not read a
redirection). The name given to `--virtual` / `-t` is a virtual package, not
something fetched, and is not reported; nor are local `.apk` files and paths.

One finding per RUN instruction names every unpinned package, starts at the
first one and lists each package's range as related information, in RUN commands, heredoc
scripts, `sh -c '...'` bodies and ONBUILD RUN triggers. Words written with a
variable are judged by its ARG/ENV value and skipped when the value is
unknown, where hadolint would judge the literal `$PACKAGES`.

## Why it matters
Without a pin, every build installs whatever the Alpine repository holds that
day. The image changes without any change to the Dockerfile, and an update can
break the build or the application. Note that Alpine keeps only the latest
version of a package in each release branch, so an exact pin also has to be
updated when the branch moves on; `~` pins to a version prefix.

## Example
```dockerfile
RUN apk add --no-cache curl
```

## Use instead
```dockerfile
RUN apk add --no-cache curl=8.9.1-r0
```

## References
- hadolint DL3018
- Alpine package management (apk add): https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper
"#,
};

fn pinned(spec: &str) -> bool {
    spec.contains(['=', '~', '<', '>']) || spec.ends_with(".apk") || spec.contains('/')
}

impl Rule for PinApkVersions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let mut found = Unpinned::new(&META);
        for (idx, cmd) in commands(cx, &["apk"]) {
            let Some((_, packages)) = apk_add(cmd) else { continue };
            let message = |pkg: &str| format!("pin the version of `{pkg}` (`{pkg}=<version>`)");
            found.check(cx, idx, &packages, pinned, message);
        }
        found.report(out);
    }
}
