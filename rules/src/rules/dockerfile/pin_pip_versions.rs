use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::{Unpinned, all_commands, pip_install};

pub struct PinPipVersions;

static META: RuleMeta = RuleMeta {
    code: "DL3013",
    name: "pin-pip-versions",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Pin versions in pip install",
    docs: r#"## What it checks
Packages named to `pip install` (also `pip3`, `pip3.12`, `python -m pip` and
`pipx install`) without a version specifier. A package counts as pinned when it
carries a specifier (`flask==3.0.3`, `flask>=3,<4`, `flask~=3.0`), when it is a
local path, archive or URL (`.`, `./src`, `dist/app-1.0.whl`), or a VCS URL
with a ref after `@` (`git+https://github.com/org/app.git@v1.2`). A command
that reads a constraints file (`-c` / `--constraint`) is left alone: the file
sets the versions. Requirements files (`-r`) and editable installs (`-e .`) are
not packages named on the command line and are not reported.

One finding per RUN instruction names every unpinned package, starts at the
first one and lists each package's range as related information, also inside heredocs and
`sh -c '...'` bodies. Words written with a variable are judged by its ARG/ENV
value; when the value is unknown nothing is reported.

berth differs from hadolint in three deliberate ways: a package named next to
`-r requirements.txt` is still reported (the requirements file does not pin
it); a VCS URL pins only with an `@ref` after the repository path (the user in
`git+ssh://git@host/repo` is no ref); and `pip` called by its full path
(`/usr/local/bin/pip install flask`) is checked too.

## Why it matters
An unpinned package installs whatever version is newest on the day of the
build, so two builds of the same Dockerfile can differ and a new release can
break the image without any change to the Dockerfile.

## Example
```dockerfile
RUN pip install --no-cache-dir flask gunicorn
```

## Use instead
```dockerfile
RUN pip install --no-cache-dir flask==3.0.3 gunicorn==22.0.0
```

Or keep the versions in a requirements or constraints file:

```dockerfile
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
```

## References
- hadolint DL3013
- pip requirement specifiers: https://pip.pypa.io/en/stable/reference/requirement-specifiers/
"#,
};

/// The URL schemes of pip's VCS support (`git+https://...`).
const VCS_PREFIXES: &[&str] = &["git+", "git://", "hg+", "svn+", "svn://", "bzr+"];

fn is_vcs(spec: &str) -> bool {
    VCS_PREFIXES.iter().any(|p| spec.starts_with(p))
}

fn pinned(spec: &str) -> bool {
    if is_vcs(spec) {
        // A ref follows the repository path: `...repo.git@v1.2#egg=x`.
        return spec.rsplit('/').next().is_some_and(|last| last.contains('@'));
    }
    spec.contains(['=', '<', '>'])
        || spec.contains('/')
        || spec == "."
        || spec == ".."
        || [".whl", ".tar.gz", ".zip", ".tar.bz2"].iter().any(|ext| spec.ends_with(ext))
}

impl Rule for PinPipVersions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let mut found = Unpinned::new(&META);
        for (idx, cmd) in all_commands(cx) {
            let Some(pip) = pip_install(cmd, true) else { continue };
            if cmd.has_flag(&['c'], &["constraint"]) {
                continue;
            }
            let message = |pkg: &str| {
                if is_vcs(pkg) {
                    format!("pin `{pkg}` to a tag or commit (`{pkg}@<ref>`)")
                } else {
                    format!("pin the version of `{pkg}` (`{pkg}==<version>`)")
                }
            };
            found.check(cx, idx, &pip.names, pinned, message);
        }
        found.report(out);
    }
}

#[cfg(test)]
mod tests {
    use super::pinned;

    #[test]
    fn specifiers_paths_and_vcs_refs() {
        for yes in ["flask==3.0", "flask>=3", "flask~=3.0", "./src", ".", "app-1.0-py3-none-any.whl", "x @ https://h/x"]
        {
            assert!(pinned(yes), "{yes}");
        }
        for no in ["flask", "flask[async]", "git+https://github.com/a/b.git", "git+ssh://git@github.com/a/b.git"] {
            assert!(!pinned(no), "{no}");
        }
        assert!(pinned("git+https://github.com/a/b.git@v1.2#egg=b"));
    }
}
