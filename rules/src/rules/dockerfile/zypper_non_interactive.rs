use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::{ZYPPER_OPTIONS_WITH_VALUE, commands, missing_flag, subcommand};

pub struct ZypperNonInteractive;

static META: RuleMeta = RuleMeta {
    code: "DL3034",
    name: "zypper-non-interactive",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::Always,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Run zypper non-interactively",
    docs: r#"## What it checks
zypper commands that change packages (`install`/`in`, `remove`/`rm`,
`source-install`/`si`, `patch`, `update`/`up`, `dist-upgrade`/`dup`) without
the global `-n` / `--non-interactive` option before the subcommand, or the
subcommand's `-y` / `--no-confirm`. RUN commands, heredoc scripts,
`sh -c '...'` bodies and ONBUILD RUN triggers are checked.

berth differs from hadolint in two ways: a `-n` after the subcommand does not
count, because there it is a different option (`zypper install -n` selects
packages by name and still asks), and `update` and `dist-upgrade`, which ask
too, are checked as well.

## Why it matters
zypper asks for confirmation before it changes anything. A build has no
terminal to answer, so the prompt ends the build with an error, or, with a
TTY allocated, hangs it.

## Example
```dockerfile
RUN zypper install curl && zypper clean
```

## Use instead
```dockerfile
RUN zypper -n install curl && zypper clean
```

## Fix
Inserts the global `-n` right after `zypper`, which answers every prompt of
the command with its default (`install -y` would cover only the confirmation
of the transaction). Unsafe: zypper then goes ahead with the default answer,
for example when it proposes to remove a conflicting package.

## References
- hadolint DL3034
- zypper manual (--non-interactive): https://en.opensuse.org/SDB:Zypper_manual
"#,
};

impl Rule for ZypperNonInteractive {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        const CHANGES: &[&str] =
            &["install", "in", "remove", "rm", "source-install", "si", "patch", "update", "up", "dist-upgrade", "dup"];
        for (_, cmd) in commands(cx, &["zypper"]) {
            let Some((sub, _)) = subcommand(cmd, ZYPPER_OPTIONS_WITH_VALUE, CHANGES) else { continue };
            let global_n = cmd.args.iter().take_while(|a| a.span.start < sub.span.start).any(|a| {
                let v = a.value.as_str();
                v == "--non-interactive" || (v.starts_with('-') && !v.starts_with("--") && v.contains('n'))
            });
            if !global_n && !cmd.has_flag(&['y'], &["no-confirm"]) {
                let message = "add `-n` (`--non-interactive`) so zypper does not stop to ask for confirmation";
                out.push(missing_flag(&META, cmd, &cmd.name, "-n", message));
            }
        }
    }
}
