use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::{Unpinned, commands, subcommand};

pub struct PinNpmVersions;

static META: RuleMeta = RuleMeta {
    code: "DL3016",
    name: "pin-npm-versions",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Pin versions in npm install",
    docs: r#"## What it checks
Packages named to `npm install` (or its short forms `npm i` and `npm add`)
without a version, tag or commit: `express` rather than `express@4.19.2`,
`@angular/cli` rather than `@angular/cli@17`. `npm install` and `npm ci` with
no package names install from `package.json` and its lock file and are not
reported. Local folders (`./lib`, `/src/pkg`, `file:...`), tarballs (`.tgz`,
`.tar.gz`) and git URLs or GitHub shorthands with a `#ref` count as pinned; a
git URL without `#ref` does not.

One finding per RUN instruction names every unpinned package, starts at the
first one and lists each package's range as related information, in RUN commands, heredoc
scripts, `sh -c '...'` bodies and ONBUILD RUN triggers. Words written with a
variable are judged by the variable's ARG/ENV value and skipped when it is
unknown.

As in hadolint, any `@tag` counts as a choice, `@latest` included. berth
differs in also checking `npm i` and `npm add`, and in skipping the values of
options such as `--omit dev` or `--prefix /app`, which are not packages.

## Why it matters
An unpinned package installs the newest release on the day of the build, so
the same Dockerfile can produce different images, and a new major release can
break the build or the application without any change to the Dockerfile.

## Example
```dockerfile
RUN npm install -g typescript
```

## Use instead
```dockerfile
RUN npm install -g typescript@5.5.4
```

## References
- hadolint DL3016
- npm install: https://docs.npmjs.com/cli/commands/npm-install
"#,
};

/// npm options that take a separate value.
const NPM_OPTIONS_WITH_VALUE: &[&str] = &[
    "-C",
    "--prefix",
    "--registry",
    "--cache",
    "--userconfig",
    "--globalconfig",
    "--tag",
    "--omit",
    "--include",
    "--install-strategy",
    "-w",
    "--workspace",
    "--loglevel",
    "--location",
    "--before",
    "--otp",
    "--save-prefix",
    "--script-shell",
];

fn is_git(spec: &str) -> bool {
    ["git:", "git+", "github:", "gitlab:", "bitbucket:", "gist:"].iter().any(|p| spec.starts_with(p))
}

fn pinned(spec: &str) -> bool {
    if is_git(spec) {
        return spec.contains('#');
    }
    let local = ["/", "./", "../", "~/", "file:"].iter().any(|p| spec.starts_with(p)) || spec == "." || spec == "..";
    let tarball = [".tgz", ".tar.gz", ".tar"].iter().any(|s| spec.ends_with(s));
    // A scope starts with `@`; the version follows the next `@`.
    let name = spec.strip_prefix('@').unwrap_or(spec);
    local || tarball || name.contains('@') || (name.contains('/') && spec.contains('#'))
}

impl Rule for PinNpmVersions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let mut found = Unpinned::new(&META);
        for (idx, cmd) in commands(cx, &["npm"]) {
            let Some((_, packages)) = subcommand(cmd, NPM_OPTIONS_WITH_VALUE, &["install", "i", "add"]) else {
                continue;
            };
            let message = |pkg: &str| {
                if is_git(pkg) {
                    format!("pin `{pkg}` to a tag or commit (`{pkg}#<ref>`)")
                } else {
                    format!("pin the version of `{pkg}` (`{pkg}@<version>`)")
                }
            };
            found.check(cx, idx, &packages, pinned, message);
        }
        found.report(out);
    }
}

#[cfg(test)]
mod tests {
    use super::pinned;

    #[test]
    fn versions_tags_paths_and_git_refs() {
        for yes in ["express@4", "@scope/pkg@1.2", "npm@latest", "./lib", "x.tgz", "git+https://h/a/b.git#v1", "a/b#v1"]
        {
            assert!(pinned(yes), "{yes}");
        }
        for no in ["express", "@scope/pkg", "git+https://h/a/b.git", "a/b"] {
            assert!(!pinned(no), "{no}");
        }
    }
}
