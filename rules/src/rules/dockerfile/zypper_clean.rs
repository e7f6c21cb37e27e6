use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::Command;

use super::package_managers::{CacheCleanup, ZYPPER_OPTIONS_WITH_VALUE, covers, subcommand, zypper_install};

pub struct ZypperClean;

static META: RuleMeta = RuleMeta {
    code: "DL3036",
    name: "zypper-clean",
    severity: Severity::Warning,
    category: Category::Performance,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Run zypper clean in the RUN that installs with zypper",
    docs: r#"## What it checks
A RUN whose `zypper install` (or `zypper in`) is not followed, later in the
same RUN, by `zypper clean` (or `zypper cc`, with any options such as `-a`) or
by removing `/var/cache/zypp` (`rm -rf /var/cache/zypp`). A clean that runs
before the install does not count. Heredoc scripts, `sh -c '...'` bodies and
ONBUILD RUN triggers are looked at too.

Not reported when the RUN mounts a cache or tmpfs on `/var/cache/zypp` (or a
parent): the cache then never reaches the layer. hadolint does not accept the
`rm` variant.

## Why it matters
zypper keeps downloaded packages and repository metadata under
`/var/cache/zypp`. A file deleted by a later RUN still takes space in the
earlier layer, so the cache has to be cleaned in the RUN that filled it.
`zypper clean -a` removes the metadata as well as the packages.

## Example
```dockerfile
RUN zypper -n install curl
```

## Use instead
```dockerfile
RUN zypper -n install curl && zypper clean -a
```

## Fix
Appends ` && zypper clean` to the RUN's command line. Unsafe: a later RUN
that installs from the cache only would fail afterwards. Not offered for RUN
instructions with heredocs, or when the appended command would not run as the
last step (after a trailing shell comment, for example).

## References
- hadolint DL3036
- zypper manual (clean): https://en.opensuse.org/SDB:Zypper_manual
"#,
};

static CLEANUP: CacheCleanup = CacheCleanup {
    meta: &META,
    tool: "zypper",
    installs: |c: &Command| zypper_install(c).is_some(),
    cleans: |c: &Command| subcommand(c, ZYPPER_OPTIONS_WITH_VALUE, &["clean", "cc"]).is_some(),
    cache_dir: |p| covers(p, "/var/cache/zypp"),
    cleanup: "zypper clean",
    shipped_only: false,
};

impl Rule for ZypperClean {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        CLEANUP.check(cx, out);
    }
}
