use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::report_rpm_without_yes;

pub struct YumYes;

static META: RuleMeta = RuleMeta {
    code: "DL3030",
    name: "yum-yes",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::Always,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Use yum install -y",
    docs: r#"## What it checks
`yum install`, `yum localinstall`, `yum groupinstall`, `yum group install` and
`yum module install` without `-y` / `--assumeyes`, in RUN commands, heredoc
scripts, `sh -c '...'` bodies and ONBUILD RUN triggers. The install word has to
be yum's subcommand (options and their values, such as `--enablerepo epel`,
are skipped), not a package name.

## Why it matters
yum asks "Is this ok [y/N]" before it installs anything. A build has no
terminal to answer, so yum reads end of input, takes it as "no", and the build
fails.

## Example
```dockerfile
RUN yum install httpd && yum clean all
```

## Use instead
```dockerfile
RUN yum install -y httpd && yum clean all
```

## Fix
Inserts `-y` after the install subcommand. Unsafe: yum then goes ahead with
whatever transaction it computed, removals and replacements included.

## References
- hadolint DL3030
- yum manual (-y, --assumeyes): https://man7.org/linux/man-pages/man8/yum.8.html
"#,
};

impl Rule for YumYes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        report_rpm_without_yes(cx, &META, &["yum"], out);
    }
}
