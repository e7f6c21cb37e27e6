use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::Command;
use crate::text::Span;

use super::package_managers::{APT_OPTIONS_WITH_VALUE, append_fix, has_cache_mount, removes, shipped_stages};

pub struct DeleteAptLists;

static META: RuleMeta = RuleMeta {
    code: "DL3009",
    name: "delete-apt-lists",
    severity: Severity::Info,
    category: Category::Performance,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Delete the apt lists in the RUN that runs apt-get update",
    docs: r#"## What it checks
A RUN that runs `apt-get update` (or `apt update`, `aptitude update`) without removing
`/var/lib/apt/lists` later in the same RUN, for example with
`rm -rf /var/lib/apt/lists/*`. Any recursive `rm` of the lists directory, or of
`/var/lib/apt` as a whole, counts as the cleanup, and so does `apt-get dist-clean` (apt 2.7 and later). Heredoc scripts,
`sh -c '...'` bodies and ONBUILD RUN triggers are looked at too.

It is not reported when the RUN mounts a cache or tmpfs at `/var/lib/apt` or at
`/var/lib/apt/lists` (`RUN --mount=type=cache,target=/var/lib/apt/lists ...`):
the lists then never reach the layer.

Only stages whose layers can end up in an image are checked: the last stage,
stages no other stage refers to (they may be built with `--target`), and the
stages these are built `FROM`, directly or through other stages. A stage that
other stages only copy files out of (`COPY --from`, `RUN --mount=from=`) is a
builder; its lists never ship, so it is skipped. hadolint checks the last stage
and stages used as a base by a later FROM; berth's rule differs in also
checking stages nothing refers to and in skipping bases of builder stages.

## Why it matters
`apt-get update` downloads the package index, tens of megabytes that the
running container never needs. A file deleted in a later RUN still takes space
in the earlier layer, so the lists have to be removed in the same RUN that
fetched them. Stale lists in an image also tempt later builds into installing
from an outdated index.

## Example
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
```

Or keep the lists out of the layer with a cache mount:

```dockerfile
RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends curl
```

## Fix
Appends ` && rm -rf /var/lib/apt/lists/*` to the RUN's command line. Unsafe: a
later RUN that installs packages without its own `apt-get update` would fail
afterwards. Not offered for RUN instructions with heredocs, or when the
appended command would not run as the last step (for example after a trailing
shell comment).

## References
- hadolint DL3009
- Docker build best practices, apt-get: https://docs.docker.com/build/building/best-practices/#apt-get
"#,
};

const CLEANUP: &str = " && rm -rf /var/lib/apt/lists/*";

fn is_apt_update(cmd: &Command) -> bool {
    // aptitude fetches the same index into the same directory.
    (cmd.is("apt-get") || cmd.is("apt") || cmd.is("aptitude"))
        && cmd.operands(APT_OPTIONS_WITH_VALUE).first().is_some_and(|w| w.value == "update")
}

fn removes_lists(cmd: &Command) -> bool {
    // `apt-get dist-clean` (apt 2.7 and later) removes the lists too.
    if (cmd.is("apt-get") || cmd.is("apt"))
        && cmd.operands(APT_OPTIONS_WITH_VALUE).first().is_some_and(|w| w.value == "dist-clean")
    {
        return true;
    }
    removes(cmd, |p| p == "/var/lib/apt" || p.starts_with("/var/lib/apt/lists"))
}

/// A `--mount=type=cache` (or tmpfs) that keeps the lists out of the layer.
fn mounts_lists(target: &str) -> bool {
    target == "/var/lib/apt" || target.starts_with("/var/lib/apt/lists")
}

impl Rule for DeleteAptLists {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let shipped = shipped_stages(cx);
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            let Some(script) = cx.model.script(idx) else { continue };
            if cx.model.info[idx].stage.is_some_and(|s| !shipped.get(s).copied().unwrap_or(true)) {
                continue;
            }
            let inst = inst.effective();
            let updates: Vec<&Command> = script.commands.iter().filter(|c| is_apt_update(c)).collect();
            let (Some(first), Some(last)) = (updates.first(), updates.last()) else { continue };
            if has_cache_mount(inst, mounts_lists) {
                continue;
            }
            if script.commands.iter().any(|c| removes_lists(c) && c.span.start > last.span.start) {
                continue;
            }
            let span = Span::new(first.name.span.start, first.span.end);
            let mut d = META.diagnostic(
                span,
                "remove the apt lists in this RUN (`rm -rf /var/lib/apt/lists/*`) so they do not stay in the layer",
            );
            if let Some(fix) = append_fix(inst, CLEANUP, "Remove the apt lists at the end of this RUN", removes_lists) {
                d = d.with_fix(fix);
            }
            out.push(d);
        }
    }
}
