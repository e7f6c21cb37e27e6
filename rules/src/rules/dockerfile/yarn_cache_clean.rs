use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::Command;

use super::package_managers::CacheCleanup;

pub struct YarnCacheClean;

static META: RuleMeta = RuleMeta {
    code: "DL3060",
    name: "yarn-cache-clean",
    severity: Severity::Info,
    category: Category::Performance,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Run yarn cache clean in the RUN that runs yarn install",
    docs: r#"## What it checks
A RUN whose `yarn install` (or a bare `yarn`, which means the same) is not
followed, later in the same RUN, by `yarn cache clean` or by removing yarn's
cache directory (`rm -rf /usr/local/share/.cache/yarn`, or any `.../.cache`,
`.../.cache/yarn` or path with both `yarn` and `cache` in it). A clean that
runs before the install does not count. Heredoc scripts, `sh -c '...'` bodies
and ONBUILD RUN triggers are looked at too.

Not reported when the RUN mounts a cache or tmpfs on such a directory
(`--mount=type=cache,target=/usr/local/share/.cache/yarn`): the cache then never
reaches the layer.

As in hadolint, only stages whose layers can end up in an image are checked:
the last stage, stages no other stage refers to (they may be built with
`--target`), and the stages these are built `FROM`. A stage that other stages
only copy files out of is a builder; its cache never ships. hadolint checks
the last stage and stages used as a base by a later FROM; berth also checks
stages nothing refers to and skips the bases of builder stages, and it treats
a bare `yarn` as an install.

## Why it matters
yarn keeps a copy of every package it downloads in its global cache, often
hundreds of megabytes next to the same files in `node_modules`. A file deleted
by a later RUN still takes space in the earlier layer, so the cache has to be
cleaned in the RUN that filled it.

## Example
```dockerfile
RUN yarn install --frozen-lockfile --production
```

## Use instead
```dockerfile
RUN yarn install --frozen-lockfile --production && yarn cache clean
```

## Fix
Appends ` && yarn cache clean` to the RUN's command line. Unsafe: a later RUN
that installs offline from the cache would fail afterwards. Not offered for
RUN instructions with heredocs, or when the appended command would not run as
the last step (after a trailing shell comment, for example).

## References
- hadolint DL3060
- yarn cache: https://classic.yarnpkg.com/en/docs/cli/cache
"#,
};

/// yarn options that take a separate value.
const YARN_OPTIONS_WITH_VALUE: &[&str] = &[
    "--cwd",
    "--cache-folder",
    "--modules-folder",
    "--network-timeout",
    "--network-concurrency",
    "--mutex",
    "--global-folder",
    "--link-folder",
    "--registry",
    "--use-yarnrc",
    "--preferred-cache-folder",
];

fn installs(cmd: &Command) -> bool {
    match cmd.operands(YARN_OPTIONS_WITH_VALUE).first() {
        Some(sub) => sub.value == "install",
        // A bare `yarn` (options only) installs, unless it only prints its version or help.
        None => !cmd.has_flag(&['v', 'h'], &["version", "help"]),
    }
}

fn cleans(cmd: &Command) -> bool {
    let ops = cmd.operands(YARN_OPTIONS_WITH_VALUE);
    matches!(ops.as_slice(), [cache, clean, ..] if cache.value == "cache" && clean.value == "clean")
}

fn yarn_cache(path: &str) -> bool {
    (path.contains("yarn") && path.contains("cache"))
        || (path.ends_with("/.cache") && path.starts_with(['/', '~', '$']))
}

static CLEANUP: CacheCleanup = CacheCleanup {
    meta: &META,
    tool: "yarn",
    installs,
    cleans,
    cache_dir: yarn_cache,
    cleanup: "yarn cache clean",
    shipped_only: true,
};

impl Rule for YarnCacheClean {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        CLEANUP.check(cx, out);
    }
}
