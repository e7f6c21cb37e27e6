use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::{CacheCleanup, rpm_cache, rpm_cleans, rpm_installs};

pub struct DnfCleanAll;

static META: RuleMeta = RuleMeta {
    code: "DL3040",
    name: "dnf-clean-all",
    severity: Severity::Warning,
    category: Category::Performance,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Run dnf clean all in the RUN that installs with dnf",
    docs: r#"## What it checks
A RUN whose `dnf`, `dnf5` or `microdnf` command downloads packages or
metadata (`install` and its aliases `in` and `localinstall`, `groupinstall`,
`group install`, `module install`, `upgrade` / `update` / `up`,
`upgrade-minimal`, `reinstall` / `rei`, `downgrade` / `dg`, `distro-sync`,
`makecache`) is not followed, later in
the same RUN, by the same tool's `clean` (`dnf clean all`,
`microdnf clean all`) or by removing its cache directory (`/var/cache/dnf`,
`/var/cache/yum`, `/var/cache/libdnf5`, or `/var/cache` as a whole). A cleanup
that runs before the install does not count. Heredoc scripts, `sh -c '...'`
bodies and ONBUILD RUN triggers are looked at too.

Not reported when the RUN mounts a cache or tmpfs on one of those directories:
the cache then never reaches the layer. hadolint does not know about cache
mounts, counts any `rm -rf` as a cleanup, and looks only at `install`.

## Why it matters
dnf keeps repository metadata, often more than a hundred megabytes, in its
cache directory. A file deleted by a later RUN still takes space in the earlier
layer, so the cache has to be cleaned in the RUN that filled it.

## Example
```dockerfile
RUN dnf install -y httpd
```

## Use instead
```dockerfile
RUN dnf install -y httpd && dnf clean all
```

## Fix
Appends ` && dnf clean all` (or `microdnf clean all`, `dnf5 clean all`) to
the RUN's command line. Unsafe: a later RUN that installs from the cache only
(`dnf -C`) would fail afterwards. Not offered for RUN instructions with
heredocs, or when the appended command would not run as the last step (after
a trailing shell comment, for example).

## References
- hadolint DL3040
- dnf command reference (clean): https://dnf.readthedocs.io/en/latest/command_ref.html
"#,
};

const fn cleanup(tool: &'static str, cleanup: &'static str) -> CacheCleanup {
    CacheCleanup {
        meta: &META,
        tool,
        installs: rpm_installs,
        cleans: rpm_cleans,
        cache_dir: rpm_cache,
        cleanup,
        shipped_only: false,
    }
}

static CLEANUPS: [CacheCleanup; 3] =
    [cleanup("dnf", "dnf clean all"), cleanup("dnf5", "dnf5 clean all"), cleanup("microdnf", "microdnf clean all")];

impl Rule for DnfCleanAll {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for cleanup in &CLEANUPS {
            cleanup.check(cx, out);
        }
    }
}
