use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::text::Span;

use super::package_managers::{ZYPPER_OPTIONS_WITH_VALUE, commands, subcommand};

pub struct NoZypperDistUpgrade;

static META: RuleMeta = RuleMeta {
    code: "DL3035",
    name: "no-zypper-dist-upgrade",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Do not use zypper dist-upgrade in RUN",
    docs: r#"## What it checks
`zypper dist-upgrade` and its short form `zypper dup`, in RUN commands, heredoc
scripts, `sh -c '...'` bodies and ONBUILD RUN triggers. The finding covers
`zypper` and the subcommand.

## Why it matters
A distribution upgrade may move the image to a different release than the one
its base image names, with other library versions, changed vendors and removed
packages. What the image contains then depends on the day of the build rather
than on the `FROM` line. Pick a base image of the release you want and, if
needed, apply updates with `zypper patch` or `zypper update`.

## Example
```dockerfile
FROM opensuse/leap:15.5
RUN zypper -n dist-upgrade
```

## Use instead
```dockerfile
FROM opensuse/leap:15.6
RUN zypper -n patch
```

## References
- hadolint DL3035
- zypper manual (dist-upgrade): https://en.opensuse.org/SDB:Zypper_manual
"#,
};

impl Rule for NoZypperDistUpgrade {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (_, cmd) in commands(cx, &["zypper"]) {
            if let Some((sub, _)) = subcommand(cmd, ZYPPER_OPTIONS_WITH_VALUE, &["dist-upgrade", "dup"]) {
                let span = Span::new(cmd.name.span.start, sub.span.end);
                out.push(META.diagnostic(span, "avoid `zypper dist-upgrade`: choose the release with the base image"));
            }
        }
    }
}
