use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::{Unpinned, commands, subcommand};

pub struct PinGemVersions;

static META: RuleMeta = RuleMeta {
    code: "DL3028",
    name: "pin-gem-versions",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Pin versions in gem install",
    docs: r#"## What it checks
Gems named to `gem install` (or `gem i`) without a version: `rails` rather than
`rails:7.1.3`. A command with `-v` / `--version` is left alone, since the
option sets the version. Local `.gem` files and paths are not reported (hadolint
reports them), nor are the values of options such as `--source URL` or
`--install-dir DIR`.

Words after `--` are build options for native extensions, not gems
(`gem install mysql2 -- --with-mysql-dir=/usr`).

One finding per RUN instruction names every unpinned gem, starts at the first
one and lists each gem's range as related information, in RUN commands, heredoc
scripts, `sh -c '...'` bodies and ONBUILD RUN triggers. Words written with a
variable are judged by its ARG/ENV value and skipped when it is unknown.

## Why it matters
Without a version, each build installs the newest release of the gem, so two
builds of the same Dockerfile can differ and a new major release can break the
image.

## Example
```dockerfile
RUN gem install bundler
```

## Use instead
```dockerfile
RUN gem install bundler:2.5.11
```

## References
- hadolint DL3028
- gem install: https://guides.rubygems.org/command-reference/#gem-install
"#,
};

/// gem install options that take a separate value.
const GEM_OPTIONS_WITH_VALUE: &[&str] = &[
    "-i",
    "--install-dir",
    "-n",
    "--bindir",
    "-s",
    "--source",
    "--platform",
    "-p",
    "--http-proxy",
    "-P",
    "--trust-policy",
    "--build-root",
];

fn pinned(spec: &str) -> bool {
    spec.contains(':') || spec.ends_with(".gem") || spec.contains('/')
}

impl Rule for PinGemVersions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let mut found = Unpinned::new(&META);
        for (idx, cmd) in commands(cx, &["gem"]) {
            let Some((_, mut gems)) = subcommand(cmd, GEM_OPTIONS_WITH_VALUE, &["install", "i"]) else { continue };
            // After `--` come build options for the gems' native extensions.
            if let Some(end) = cmd.args.iter().position(|a| a.value == "--") {
                let end = cmd.args[end].span.start;
                gems.retain(|w| w.span.start < end);
            }
            if cmd.has_flag(&['v'], &["version"]) {
                continue;
            }
            let message = |gem: &str| format!("pin the version of `{gem}` (`{gem}:<version>`)");
            found.check(cx, idx, &gems, pinned, message);
        }
        found.report(out);
    }
}
