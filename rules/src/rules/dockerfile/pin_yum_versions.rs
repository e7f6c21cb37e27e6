use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::report_rpm_unpinned;

pub struct PinYumVersions;

static META: RuleMeta = RuleMeta {
    code: "DL3033",
    name: "pin-yum-versions",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Pin versions in yum install",
    docs: r#"## What it checks
Packages named to `yum install` (or `localinstall`) without a version, and
modules named to `yum module install` without a stream. A package is pinned
when a dash is followed by a version: `httpd-2.4.6`, `jq-1.6-2.el7`; a dash
inside the name (`python3-devel`) is not a version. Local `.rpm` files, paths,
URLs and `@group` names are not reported, nor are the groups of
`groupinstall` / `group install` (hadolint takes `@group` and the group names
of `group install` for packages). Module specs need a stream: `nodejs:18`.

One finding per RUN instruction names every unpinned package, starts at the
first one and lists each package's range as related information, in RUN commands, heredoc
scripts, `sh -c '...'` bodies and ONBUILD RUN triggers. Values of options such
as `--enablerepo epel` are not packages (hadolint takes them for packages).
Words written with a variable are judged by its ARG/ENV value and skipped when
it is unknown.

## Why it matters
Without a version, each build installs whatever the repositories hold that
day, so the same Dockerfile can produce different images and an update can
break the build or the application.

## Example
```dockerfile
RUN yum install -y httpd && yum clean all
```

## Use instead
```dockerfile
RUN yum install -y httpd-2.4.6-99.el7.centos.1 && yum clean all
```

## References
- hadolint DL3033
- yum manual (package specifications): https://man7.org/linux/man-pages/man8/yum.8.html
"#,
};

impl Rule for PinYumVersions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        report_rpm_unpinned(cx, &META, &["yum"], out);
    }
}
