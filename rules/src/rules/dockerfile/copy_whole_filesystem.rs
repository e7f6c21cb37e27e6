use super::sources::copy_paths;
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct CopyWholeFilesystem;

static META: RuleMeta = RuleMeta {
    code: "DL3067",
    name: "copy-whole-filesystem",
    severity: Severity::Warning,
    category: Category::Performance,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Do not copy a whole filesystem from another stage",
    docs: r#"## What it checks
`COPY --from=<stage or image> / /`: a copy whose source is the root of the
other stage or image and whose destination is the root of this one (also in
`ONBUILD`, which hadolint skips). Variables are evaluated first; paths whose
variables have no known value are left alone. The finding covers the source
path.

## Why it matters
Everything the other stage contains lands in this image: its package
manager, caches, compilers and shell history, on top of the files of this
stage, which it may silently replace. The image grows, mixes two
distributions, and loses the point of a multi-stage build, which is to take
only what is needed.

## Example
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=build / /
```

## Use instead
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
```

## References
- hadolint DL3067
- Multi-stage builds: https://docs.docker.com/build/building/multi-stage/
"#,
};

fn is_root(path: &str) -> bool {
    !path.is_empty() && path.bytes().all(|b| b == b'/')
}

impl Rule for CopyWholeFilesystem {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.each(Keyword::Copy) {
            if inst.flag("from").is_none() {
                continue;
            }
            let Some((sources, dest)) = copy_paths(inst) else { continue };
            let eval = |v: &str| {
                let e = cx.model.expand(v, idx);
                e.unresolved.is_empty().then_some(e.value)
            };
            if !eval(&dest.value).is_some_and(|d| is_root(&d)) {
                continue;
            }
            let Some(root) = sources.iter().find(|s| eval(&s.value).is_some_and(|v| is_root(&v))) else { continue };
            let from = inst.flag("from").and_then(|f| f.value.as_deref()).unwrap_or("");
            out.push(META.diagnostic(
                root.span,
                format!("this copies the whole filesystem of `{from}` over this image; copy only the files you need"),
            ));
        }
    }
}
