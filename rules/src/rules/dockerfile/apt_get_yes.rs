use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::Command;

use super::package_managers::{APT_OPTIONS_WITH_VALUE, commands, missing_flag};

pub struct AptGetYes;

static META: RuleMeta = RuleMeta {
    code: "DL3014",
    name: "apt-get-yes",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::Always,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Use apt-get install -y",
    docs: r#"## What it checks
`apt-get install` without an option that answers apt's confirmation prompt:
`-y`, `--yes`, `--assume-yes`, quiet level 2 (`-qq`, `-q -q`, `-q=2`,
`--quiet --quiet`, `--quiet=2`), or `-o APT::Get::Assume-Yes=true`. RUN
commands, heredoc scripts, `sh -c '...'` bodies and ONBUILD RUN triggers are
checked; `install` has to be apt-get's subcommand, not a package name.

berth differs from hadolint in two small ways: a single `-q` does not count
(apt only assumes yes from quiet level 2 on, as its manual says), and
`-o APT::Get::Assume-Yes=true` does.

## Why it matters
A build has no terminal to answer "Do you want to continue? [Y/n]". When apt
asks, it reads end of input, aborts, and the build fails; `-y` answers yes up
front.

## Example
```dockerfile
RUN apt-get update \
 && apt-get install --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
```

## Use instead
```dockerfile
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
```

## Fix
Inserts `-y` after `install`. Unsafe: apt then goes ahead with whatever it
decides, including removing packages to resolve a conflict, which it would
otherwise have stopped to ask about.

## References
- hadolint DL3014
- apt-get manual (-y, -q): https://manpages.debian.org/stable/apt/apt-get.8.en.html
"#,
};

/// The quiet level the options ask for: `-q` is 1, `-qq` and `-q=2` are 2.
fn quiet_level(cmd: &Command) -> usize {
    let mut level = 0;
    for a in cmd.args.iter().map(|a| a.value.as_str()).take_while(|v| *v != "--") {
        if let Some(n) = a.strip_prefix("-q=").or_else(|| a.strip_prefix("--quiet=")) {
            level += n.parse::<usize>().unwrap_or(0);
        } else if a == "--quiet" {
            level += 1;
        } else if let Some(short) = a.strip_prefix('-').filter(|s| !s.starts_with('-')) {
            level += short.chars().filter(|c| *c == 'q').count();
        }
    }
    level
}

fn assumes_yes(cmd: &Command) -> bool {
    cmd.has_flag(&['y'], &["yes", "assume-yes"])
        || quiet_level(cmd) >= 2
        || cmd.args.iter().any(|a| {
            let v = a.value.to_ascii_lowercase();
            v.strip_prefix("apt::get::assume-yes=").is_some_and(|x| matches!(x, "true" | "1" | "yes"))
        })
}

impl Rule for AptGetYes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (_, cmd) in commands(cx, &["apt-get"]) {
            let operands = cmd.operands(APT_OPTIONS_WITH_VALUE);
            let Some(install) = operands.first().filter(|w| w.value == "install") else { continue };
            if !assumes_yes(cmd) {
                let message = "add `-y` so apt-get does not stop to ask for confirmation";
                out.push(missing_flag(&META, cmd, install, "-y", message));
            }
        }
    }
}
