use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::APT_OPTIONS_WITH_VALUE;

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
The finding points at each unpinned package, also inside heredocs and
`sh -c '...'` bodies.

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
        for (idx, _) in cx.file.instructions.iter().enumerate() {
            let Some(script) = cx.model.script(idx) else { continue };
            for cmd in script.named("apt-get") {
                let operands = cmd.operands(APT_OPTIONS_WITH_VALUE);
                if operands.first().is_none_or(|w| w.value != "install") {
                    continue;
                }
                for arg in &operands[1..] {
                    let evaluated = cx.model.expand(&arg.value, idx).value;
                    for pkg in evaluated.split_whitespace() {
                        if pkg.contains('=')
                            || pkg.ends_with(".deb")
                            || pkg.contains('/')
                            || pkg.starts_with('$')
                            || pkg.contains("$(")
                        {
                            continue;
                        }
                        out.push(META.diagnostic(
                            arg.span,
                            format!("pin the version of `{pkg}` (`apt-get install {pkg}=<version>`)"),
                        ));
                    }
                }
            }
        }
    }
}
