use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::report_rpm_unpinned;

pub struct PinDnfVersions;

static META: RuleMeta = RuleMeta {
    code: "DL3041",
    name: "pin-dnf-versions",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Pin versions in dnf install",
    docs: r#"## What it checks
Packages named to `dnf`, `dnf5` or `microdnf` `install` (or `localinstall`)
without a version, and modules named to `module install` without a stream. A
package is pinned when a dash is followed by a version: `httpd-2.4.57`,
`jq-1.6-2.el9`; a dash inside the name (`python3-devel`) is not a version.
Local `.rpm` files, paths, URLs and `@group` names are not reported, nor are
the groups of `groupinstall` / `group install`. Module specs need a stream:
`nodejs:18`.

One finding per RUN instruction names every unpinned package, starts at the
first one and lists each package's range as related information, in RUN commands, heredoc
scripts, `sh -c '...'` bodies and ONBUILD RUN triggers. Values of options such
as `--setopt x=y` or `--repo epel` are not packages. Words written with a
variable are judged by its ARG/ENV value and skipped when it is unknown.

## Why it matters
Fedora, CentOS Stream and UBI repositories move fast: an unversioned package
resolves to a different build from one week to the next. Pinning makes the
image reproducible and turns a surprise upgrade into a visible change of the
Dockerfile.

## Example
```dockerfile
RUN microdnf install -y jq && microdnf clean all
```

## Use instead
```dockerfile
RUN microdnf install -y jq-1.7.1-8.el9 && microdnf clean all
```

## References
- hadolint DL3041
- dnf command reference (package specifications): https://dnf.readthedocs.io/en/latest/command_ref.html
"#,
};

impl Rule for PinDnfVersions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        report_rpm_unpinned(cx, &META, &["dnf", "dnf5", "microdnf"], out);
    }
}
