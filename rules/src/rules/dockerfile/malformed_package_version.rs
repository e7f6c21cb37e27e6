use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::ShellWord;

use super::package_managers::{APT_OPTIONS_WITH_VALUE, all_commands, apk_add, pip_install, subcommand};

pub struct MalformedPackageVersion;

static META: RuleMeta = RuleMeta {
    code: "BD2012",
    name: "malformed-package-version",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A package version pin that the package manager cannot read",
    docs: r#"## What it checks
Version pins in package installs that are not well formed:

- `apt-get install` / `apt install`: `pkg=` with nothing after it, `pkg==1.2`
  (apt reads the version `=1.2`), `pkg/` without a release;
- `apk add`: `pkg=`, `pkg~`, `pkg>=` with nothing after the operator;
- `pip install`: `pkg=1.2` (one `=` is not a PEP 440 operator; pip refuses
  it), `pkg==`, `pkg>=` or `pkg>=1,` with a clause without a version;
- `npm install` / `yarn add` / `pnpm add`, `go install` / `go get`: `pkg@`
  with nothing after the `@`.

Words with variables are judged by their ARG/ENV values and skipped when a
value is unknown; paths, URLs and local archives are not pins.

## Why it matters
apt stops with `Version '' for 'git' was not found`, pip with
`Invalid requirement`, go with `invalid version`: the build fails at this
step. A pin that says nothing also hides that the package is really not
pinned. Such pins are a typical slip of hand edits and of generated fixes.

## Example
```dockerfile
RUN apt-get install -y git= curl==7.88.1-10 && pip install flask=3.0.3
```

## Use instead
```dockerfile
RUN apt-get install -y git=1:2.39.5-0+deb12u1 curl=7.88.1-10+deb12u8 && pip install flask==3.0.3
```

## Fix
None automatic: the version meant cannot be known.

## References
- apt-get(8), install: https://manpages.debian.org/bookworm/apt/apt-get.8.en.html
- pip requirement specifiers (PEP 508/440): https://pip.pypa.io/en/stable/reference/requirement-specifiers/
- apk world constraints: https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Advanced_usage
- go install: https://go.dev/ref/mod#go-install
"#,
};

/// Why an apt package word is malformed.
pub(crate) fn apt_problem(pkg: &str) -> Option<String> {
    if pkg.ends_with(".deb") || pkg.starts_with(['.', '/', '-']) || pkg.contains("://") {
        return None;
    }
    if let Some((name, version)) = pkg.split_once('=') {
        if name.is_empty() {
            return None;
        }
        if version.is_empty() {
            return Some(format!("`{pkg}` has `=` with no version after it (apt looks for the version `''`)"));
        }
        if version.starts_with('=') {
            return Some(format!("`{pkg}`: apt pins with one `=` (`{name}={}`)", version.trim_start_matches('=')));
        }
        return None;
    }
    if let Some(name) = pkg.strip_suffix('/')
        && !name.is_empty()
        && !name.contains('/')
    {
        return Some(format!("`{pkg}` has `/` with no release after it"));
    }
    None
}

/// Why an apk package word is malformed.
pub(crate) fn apk_problem(pkg: &str) -> Option<String> {
    if pkg.starts_with(['.', '/', '-']) || pkg.ends_with(".apk") || pkg.contains("://") {
        return None;
    }
    let at = pkg.find(['=', '~', '<', '>'])?;
    if at == 0 {
        return None;
    }
    let rest = pkg[at..].trim_start_matches(['=', '~', '<', '>']);
    rest.is_empty().then(|| format!("`{pkg}` has `{}` with no version after it", &pkg[at..]))
}

/// Why a pip requirement word is malformed.
pub(crate) fn pip_problem(pkg: &str) -> Option<String> {
    if pkg.starts_with(['.', '/', '-'])
        || pkg.contains("://")
        || pkg.contains('@')
        || pkg.contains(';')
        || pkg.contains('/')
        || [".whl", ".tar.gz", ".zip"].iter().any(|e| pkg.ends_with(e))
    {
        return None;
    }
    // The name (and `[extras]`), then the specifiers.
    let mut end = 0;
    let bytes = pkg.as_bytes();
    while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'.' | b'_' | b'-')) {
        end += 1;
    }
    if end == 0 {
        return None;
    }
    let mut rest = pkg[end..].trim_start();
    if rest.starts_with('[') {
        let close = rest.find(']')?;
        rest = rest[close + 1..].trim_start();
    }
    if rest.is_empty() {
        return None;
    }
    let name = &pkg[..end];
    for clause in rest.split(',') {
        let clause = clause.trim();
        if clause.is_empty() {
            return Some(format!("`{pkg}` has a `,` with no version clause after it"));
        }
        let op_len = clause.chars().take_while(|c| matches!(c, '=' | '<' | '>' | '~' | '!')).count();
        if op_len == 0 {
            return None; // not a specifier this rule reads
        }
        let (op, version) = clause.split_at(op_len);
        if !matches!(op, "==" | "===" | "!=" | "<=" | ">=" | "<" | ">" | "~=") {
            if op == "=" {
                return Some(format!(
                    "`{pkg}`: `=` is not a version operator; pip refuses it (`{name}=={}`)",
                    version.trim()
                ));
            }
            return Some(format!("`{pkg}`: `{op}` is not a version operator"));
        }
        if version.trim().is_empty() {
            return Some(format!("`{pkg}` has `{op}` with no version after it"));
        }
    }
    None
}

/// Why an npm or go `pkg@version` word is malformed.
pub(crate) fn at_problem(pkg: &str) -> Option<String> {
    let body = pkg.strip_prefix('@').unwrap_or(pkg);
    (pkg.ends_with('@') && body.len() > 1 && !pkg.contains("://"))
        .then(|| format!("`{pkg}` has `@` with no version after it"))
}

/// Why a package word is malformed, if it is.
type Judge = fn(&str) -> Option<String>;

impl Rule for MalformedPackageVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, cmd) in all_commands(cx) {
            let (words, judge): (Vec<&ShellWord>, Judge) = if cmd.is("apt-get") || cmd.is("apt") {
                match subcommand(cmd, APT_OPTIONS_WITH_VALUE, &["install"]) {
                    Some((_, pkgs)) => (pkgs, apt_problem),
                    None => continue,
                }
            } else if let Some((_, pkgs)) = apk_add(cmd).filter(|_| cmd.is("apk")) {
                (pkgs, apk_problem)
            } else if let Some(pip) = pip_install(cmd, false) {
                (pip.names, pip_problem)
            } else if cmd.is("npm") || cmd.is("yarn") || cmd.is("pnpm") {
                match subcommand(cmd, &[], &["install", "i", "add"]) {
                    Some((_, pkgs)) => (pkgs, at_problem),
                    None => continue,
                }
            } else if cmd.is("go") {
                match subcommand(cmd, &[], &["install", "get"]) {
                    Some((_, pkgs)) => (pkgs, at_problem),
                    None => continue,
                }
            } else {
                continue;
            };
            for w in words {
                let value = w.value.as_str();
                if value.contains("$(") || value.contains('`') {
                    continue;
                }
                let values: Vec<String> = if value.contains('$') {
                    let e = cx.model.expand(value, idx);
                    if !e.unresolved.is_empty() {
                        continue;
                    }
                    e.value.split_whitespace().map(str::to_string).collect()
                } else {
                    vec![value.to_string()]
                };
                if let Some(problem) = values.iter().find_map(|v| judge(v)) {
                    out.push(META.diagnostic(w.span, format!("malformed version pin: {problem}")));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins() {
        assert!(apt_problem("git=").is_some());
        assert!(apt_problem("git==1").is_some());
        assert!(apt_problem("git/").is_some());
        for ok in ["git", "git=1:2.39", "git/bookworm-backports", "git=2.*", "./x.deb", "/tmp/x.deb"] {
            assert_eq!(apt_problem(ok), None, "{ok}");
        }
        assert!(apk_problem("curl=").is_some());
        assert!(apk_problem("curl>=").is_some());
        for ok in ["curl", "curl=8.5.0-r0", "curl~8.5", "curl>8"] {
            assert_eq!(apk_problem(ok), None, "{ok}");
        }
        for bad in ["flask=3.0", "flask==", "flask>=", "flask>=1,", "flask[async]==", "flask=>1"] {
            assert!(pip_problem(bad).is_some(), "{bad}");
        }
        for ok in
            ["flask", "flask==3.0", "flask>=1,<2", "flask[async]~=3.0", "x @ https://h/x", "./src", "a.whl", "f===1"]
        {
            assert_eq!(pip_problem(ok), None, "{ok}");
        }
        assert!(at_problem("lodash@").is_some());
        assert!(at_problem("@scope/pkg@").is_some());
        for ok in ["lodash", "lodash@4", "@scope/pkg", "golang.org/x/tools/gopls@latest"] {
            assert_eq!(at_problem(ok), None, "{ok}");
        }
    }
}
