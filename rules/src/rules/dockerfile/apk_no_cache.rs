use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::{apk_add, covers, has_cache_mount, missing_flag, removes};

pub struct ApkNoCache;

static META: RuleMeta = RuleMeta {
    code: "DL3019",
    name: "apk-no-cache",
    severity: Severity::Info,
    category: Category::Performance,
    fix: FixAvailability::Always,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Use apk add --no-cache",
    docs: r#"## What it checks
`apk add` without `--no-cache`, in RUN commands, heredoc scripts,
`sh -c '...'` bodies and ONBUILD RUN triggers.

Not reported when the cache is kept out of the layer another way: the RUN
mounts a cache or tmpfs on `/var/cache/apk` or `/etc/apk/cache` (or a parent),
or removes `/var/cache/apk` (`rm -rf /var/cache/apk/*`) after the last
`apk add` of the same RUN. hadolint accepts only a cache mount on
`/var/cache/apk` itself and reports the other variants; berth does not, since
the layer ends up the same.

## Why it matters
Without `--no-cache`, apk stores the repository indexes it downloads under
`/var/cache/apk`. They are of no use in the running container but stay in the
layer. `--no-cache` fetches the indexes into a temporary place and saves the
`apk update` and the clean-up afterwards.

## Example
```dockerfile
RUN apk update && apk add curl
```

## Use instead
```dockerfile
RUN apk add --no-cache curl
```

## Fix
Inserts `--no-cache` after `add`. Unsafe: apk no longer reads a cache that an
earlier step may have filled on purpose (for an offline install, say).

## References
- hadolint DL3019
- Alpine package management (apk cache): https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper
"#,
};

fn apk_cache(path: &str) -> bool {
    covers(path, "/var/cache/apk") || covers(path, "/etc/apk/cache")
}

impl Rule for ApkNoCache {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            let Some(script) = cx.model.script(idx) else { continue };
            let adds: Vec<_> = script
                .commands
                .iter()
                .filter(|c| c.is("apk") && !c.has_flag(&[], &["no-cache"]))
                .filter_map(|c| apk_add(c).map(|(add, _)| (c, add)))
                .collect();
            if adds.is_empty() || has_cache_mount(inst.effective(), apk_cache) {
                continue;
            }
            // Removing the cache after an install keeps it out of the layer too.
            let last_removal = script
                .commands
                .iter()
                .filter(|c| removes(c, |p| covers(p, "/var/cache/apk")))
                .map(|c| c.span.start)
                .max();
            for (cmd, add) in adds {
                if last_removal.is_none_or(|at| at < cmd.span.start) {
                    let message = "add `--no-cache` so apk's index cache does not stay in the layer";
                    out.push(missing_flag(&META, cmd, add, "--no-cache", message));
                }
            }
        }
    }
}
