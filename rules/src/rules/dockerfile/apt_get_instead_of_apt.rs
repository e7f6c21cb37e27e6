use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::{APT_OPTIONS_WITH_VALUE, commands};

pub struct AptGetInsteadOfApt;

static META: RuleMeta = RuleMeta {
    code: "DL3027",
    name: "apt-get-instead-of-apt",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Use apt-get or apt-cache, not apt, in RUN",
    docs: r#"## What it checks
The `apt` command, with any subcommand, in RUN commands, heredoc scripts,
`sh -c '...'` bodies and ONBUILD RUN triggers. `apt` called by its full path
(`/usr/bin/apt`) is checked too, where hadolint only sees a bare `apt`.

## Why it matters
`apt` is the front end for people at a terminal: its output, progress bars and
defaults may change between releases, and it warns "apt does not have a stable
CLI interface. Use with caution in scripts." `apt-get` and `apt-cache` keep a
stable interface for scripts such as a Dockerfile.

## Example
```dockerfile
RUN apt update && apt install -y curl
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y curl
```

## Fix
Renames `apt` to `apt-get` for `install`, `update`, `upgrade`, `remove`,
`purge`, `autoremove`, `dist-upgrade`, `clean` and `autoclean`, and to
`apt-cache` for `search`, `show`, `policy`, `depends`, `rdepends` and
`showsrc`. Other subcommands (`list`, `full-upgrade`, ...) have no same-named
equivalent and get no fix. Unsafe: the defaults differ in places; for example
`apt upgrade` installs new dependencies where `apt-get upgrade` holds the
package back.

## References
- hadolint DL3027
- apt manual: https://manpages.debian.org/stable/apt/apt.8.en.html
"#,
};

/// The apt-get or apt-cache command with the same subcommand, as the suffix that turns `apt` into it.
fn replacement(subcommand: &str) -> Option<&'static str> {
    match subcommand {
        "install" | "update" | "upgrade" | "remove" | "purge" | "autoremove" | "dist-upgrade" | "clean"
        | "autoclean" => Some("-get"),
        "search" | "show" | "policy" | "depends" | "rdepends" | "showsrc" => Some("-cache"),
        _ => None,
    }
}

impl Rule for AptGetInsteadOfApt {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (_, cmd) in commands(cx, &["apt"]) {
            let suffix = cmd.operands(APT_OPTIONS_WITH_VALUE).first().and_then(|w| replacement(&w.value));
            let message = match suffix {
                Some(s) => format!("use `apt{s}` instead of `apt`, whose interface is not stable for scripts"),
                None => {
                    "use `apt-get` or `apt-cache` instead of `apt`, whose interface is not stable for scripts".into()
                }
            };
            let mut d = META.diagnostic(cmd.name.span, message);
            // `apt` -> `apt-get` by appending to the (unquoted) name, keeping any path.
            if let Some(s) = suffix.filter(|_| cmd.name.raw == cmd.name.value) {
                d = d.with_fix(Fix::unsafe_(format!("Use apt{s}"), vec![Edit::insert(cmd.name.span.end, s)]));
            }
            out.push(d);
        }
    }
}
