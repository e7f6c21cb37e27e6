use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::{APT_OPTIONS_WITH_VALUE, Unpinned, commands, subcommand};

pub struct PinAptGetVersions;

static META: RuleMeta = RuleMeta {
    code: "DL3008",
    name: "pin-apt-get-versions",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Pin versions in apt-get install",
    docs: r#"## What it checks
Packages named to `apt-get install` without a version (`curl` rather than
`curl=7.88.1-10+deb12u5`). Local `.deb` files, paths, and packages given
through a variable are not reported; variables are evaluated from ARG/ENV
defaults first, so `apt-get install $PKGS` is judged by what `PKGS` holds.
One finding per RUN instruction (as hadolint reports it) names every unpinned
package and lists each one's exact range as related information, also inside
heredocs and `sh -c '...'` bodies.

## Why it matters
Without a pin, the same Dockerfile builds different images on different days:
a new package version can break the build or the application, and you cannot
rebuild an old image exactly.

## Example
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
```

## Fix
None automatic: the right version depends on the base image's package index.
Pinning trades reproducibility for upkeep (pins disappear from the archive);
teams that prefer fresh security updates often turn this rule off.

## References
- hadolint DL3008
- Docker build best practices, apt-get: https://docs.docker.com/build/building/best-practices/#apt-get
"#,
};

impl Rule for PinAptGetVersions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let mut found = Unpinned::new(&META);
        for (idx, cmd) in commands(cx, &["apt-get"]) {
            let Some((_, packages)) = subcommand(cmd, APT_OPTIONS_WITH_VALUE, &["install"]) else { continue };
            let message = |pkg: &str| format!("pin the version of `{pkg}` (`apt-get install {pkg}=<version>`)");
            found.check(cx, idx, &packages, pinned, message);
        }
        found.report(out);
    }
}

/// A version (`curl=7.88.1-10`), a local `.deb` file or a path.
fn pinned(pkg: &str) -> bool {
    pkg.contains('=') || pkg.ends_with(".deb") || pkg.contains('/')
}
