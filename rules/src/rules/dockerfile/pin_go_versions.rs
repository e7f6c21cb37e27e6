use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::{Unpinned, commands, subcommand};

pub struct PinGoVersions;

static META: RuleMeta = RuleMeta {
    code: "DL3062",
    name: "pin-go-versions",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Pin versions in go install, go get and go run",
    docs: r#"## What it checks
Module packages named to `go install`, `go get` or `go run` without an
`@version`, or with a moving query: `@latest`, `@upgrade` or `@patch`. Local
packages (`.`, `./...`, `./cmd/app`, `/src/app`) and `.go` files are built
from the sources at hand and are not reported; `go get pkg@none` removes a
dependency and is not reported either. For `go run` only the package is
looked at; the words after it are the program's arguments. Values of build
flags such as `-tags netgo` or `-ldflags "-s -w"` are not packages.

One finding per RUN instruction names every unpinned package, starts at the
first one and lists each package's range as related information, in RUN commands, heredoc
scripts, `sh -c '...'` bodies and ONBUILD RUN triggers. Words written with a
variable are judged by its ARG/ENV value and skipped when it is unknown.

berth differs from hadolint where hadolint takes a flag value (`-tags netgo`)
or a source file (`go run main.go`) for a module, and in treating `@upgrade`
and `@patch` like `@latest` and `go get pkg@none` as a removal.

## Why it matters
Without a version, the go command resolves the newest release on the day of
the build, so the same Dockerfile can produce different binaries and a new
release can break the build.

## Example
```dockerfile
RUN go install golang.org/x/tools/gopls@latest
```

## Use instead
```dockerfile
RUN go install golang.org/x/tools/gopls@v0.16.1
```

## References
- hadolint DL3062
- go install: https://go.dev/ref/mod#go-install
"#,
};

/// go build flags that take a separate value.
const GO_FLAGS_WITH_VALUE: &[&str] = &[
    "-C",
    "-o",
    "-p",
    "-mod",
    "-modfile",
    "-tags",
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-buildmode",
    "-compiler",
    "-gccgoflags",
    "-installsuffix",
    "-overlay",
    "-pgo",
    "-pkgdir",
    "-toolexec",
    "-exec",
    "-coverpkg",
    "-covermode",
];

/// A local package, or a module with a fixed version (`@none` is a removal in `go get`).
fn pinned(spec: &str) -> bool {
    let local = spec.starts_with(['.', '/', '~']) || spec.ends_with(".go");
    let version = spec.rsplit_once('@').map(|(_, v)| v);
    local || version.is_some_and(|v| !v.is_empty() && !matches!(v, "latest" | "upgrade" | "patch"))
}

impl Rule for PinGoVersions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let mut found = Unpinned::new(&META);
        for (idx, cmd) in commands(cx, &["go"]) {
            let Some((sub, mut packages)) = subcommand(cmd, GO_FLAGS_WITH_VALUE, &["install", "get", "run"]) else {
                continue;
            };
            if sub.value == "run" {
                // The package, then the program's own arguments.
                packages.truncate(1);
            }
            let message = |pkg: &str| {
                let module = pkg.split('@').next().unwrap_or(pkg);
                format!("pin the version of `{module}` (`{module}@<version>`)")
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
    fn versions_queries_and_local_packages() {
        for yes in ["example.com/pkg@v1.2.3", "./...", ".", "/src/app", "main.go", "x@master"] {
            assert!(pinned(yes), "{yes}");
        }
        for no in ["example.com/pkg", "example.com/pkg@latest", "x@upgrade", "foobar"] {
            assert!(!pinned(no), "{no}");
        }
    }
}
