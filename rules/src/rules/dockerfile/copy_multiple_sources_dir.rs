use super::sources::copy_paths;
use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct CopyMultipleSourcesDir;

static META: RuleMeta = RuleMeta {
    code: "DL3021",
    name: "copy-multiple-sources-dir",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::Always,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "COPY with several sources needs a destination ending in /",
    docs: r#"## What it checks
`COPY` instructions (shell or exec form; also in `ONBUILD`, which hadolint
skips) with more than one source whose destination does not end with `/`. Variables in the destination
are evaluated first (`COPY a b $DEST` is fine when `DEST` is `/app/`); a
destination whose variables have no known value is left alone.

## Why it matters
With several sources the destination must be a directory, and the builder
only knows it is meant as one when it ends with `/`. Without the slash the
build fails ("When using COPY with more than one source file, the
destination must be a directory and end with a /"), or, when a glob happens
to match only one file today, the file is copied to a file named like the
directory and breaks the day a second file matches.

## Example
```dockerfile
FROM golang:1.23
WORKDIR /src
COPY go.mod go.sum .
```

## Use instead
```dockerfile
FROM golang:1.23
WORKDIR /src
COPY go.mod go.sum ./
```

## Fix
Appends `/` to the destination (inside its quotes, if it has any). Safe: a
multi-source copy can only go into a directory.

## References
- hadolint DL3021
- Dockerfile reference, COPY: https://docs.docker.com/reference/dockerfile/#copy
"#,
};

impl Rule for CopyMultipleSourcesDir {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.each(Keyword::Copy) {
            let Some((sources, dest)) = copy_paths(inst) else { continue };
            if sources.len() < 2 || dest.value.ends_with('/') {
                continue;
            }
            let (value, shown) = if dest.value.contains('$') {
                let e = cx.model.expand(&dest.value, idx);
                if !e.unresolved.is_empty() {
                    continue;
                }
                let note = format!(" (`{}` evaluates to `{}`)", dest.value, e.value);
                (e.value, note)
            } else {
                (dest.value.clone(), String::new())
            };
            if value.ends_with('/') || value.is_empty() {
                continue;
            }
            out.push(
                META.diagnostic(
                    dest.span,
                    format!(
                        "{} sources are copied to `{value}`{shown}, which does not end with `/`; write `{}/` so it is taken as a directory",
                        sources.len(),
                        dest.value
                    ),
                )
                .with_fix(Fix::safe("Add a trailing `/` to the destination", vec![Edit::insert(dest.content_end, "/")])),
            );
        }
    }
}
