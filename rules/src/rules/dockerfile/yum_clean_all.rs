use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::{CacheCleanup, rpm_cache, rpm_cleans, rpm_installs};

pub struct YumCleanAll;

static META: RuleMeta = RuleMeta {
    code: "DL3032",
    name: "yum-clean-all",
    severity: Severity::Warning,
    category: Category::Performance,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Run yum clean all in the RUN that installs with yum",
    docs: r#"## What it checks
A RUN whose `yum install` (also `localinstall`, `groupinstall`,
`group install`, `module install`, and the commands that download packages
or metadata: `update` / `upgrade`, `reinstall`, `downgrade`, `distro-sync`,
`makecache`, under dnf's aliases too) is not followed, later in the same RUN, by
`yum clean` (`yum clean all`) or by removing the cache directory
(`rm -rf /var/cache/yum`; `/var/cache/dnf` where yum is dnf, as on RHEL 8 and
later). A cleanup that runs before the install does not count. Heredoc
scripts, `sh -c '...'` bodies and ONBUILD RUN triggers are looked at too.

Not reported when the RUN mounts a cache or tmpfs on `/var/cache/yum` or
`/var/cache/dnf` (or a parent): the cache then never reaches the layer.
hadolint does not know about cache mounts or the `rm` variant, accepts a
`yum clean` anywhere in the RUN (before the install too), and looks only at
`yum install`.

## Why it matters
yum keeps repository metadata, often more than a hundred megabytes, and
sometimes the downloaded packages under `/var/cache/yum`. A file deleted by a
later RUN still takes space in the earlier layer, so the cache has to be
cleaned in the RUN that filled it.

## Example
```dockerfile
RUN yum install -y httpd
```

## Use instead
```dockerfile
RUN yum install -y httpd && yum clean all
```

## Fix
Appends ` && yum clean all` to the RUN's command line. Unsafe: a later RUN
that installs with `yum -C` (cache only) would fail afterwards. Not offered for
RUN instructions with heredocs, or when the appended command would not run as
the last step (after a trailing shell comment, for example).

## References
- hadolint DL3032
- yum manual (clean): https://man7.org/linux/man-pages/man8/yum.8.html
"#,
};

static CLEANUP: CacheCleanup = CacheCleanup {
    meta: &META,
    tool: "yum",
    installs: rpm_installs,
    cleans: rpm_cleans,
    cache_dir: rpm_cache,
    cleanup: "yum clean all",
    shipped_only: false,
};

impl Rule for YumCleanAll {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        CLEANUP.check(cx, out);
    }
}
