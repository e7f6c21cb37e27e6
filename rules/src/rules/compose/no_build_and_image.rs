use super::place;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct NoBuildAndImage;

static META: RuleMeta = RuleMeta {
    code: "BC1005",
    name: "no-build-and-image",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service has both `build` and `image` without a `pull_policy`",
    docs: r#"## What it checks
Services with both a `build` and an `image` key and no `pull_policy`.

## Why it matters
With both keys, `docker compose up` first tries to pull `image` and builds only
when the pull fails, and `docker compose build` tags the local build with that
name. Which one runs depends on the registry: a published image with the same
name silently replaces the local code. Say which is meant: drop `image`, or set
`pull_policy: build` (always build) or `pull_policy: missing`.

## Example
```yaml
services:
  api:
    build: ./api
    image: example/api:latest
```

## Use instead
```yaml
services:
  api:
    build: ./api
    image: example/api:latest
    pull_policy: build
```

## References
- dclint `no-build-and-image`
- Compose Specification, build and image: https://docs.docker.com/reference/compose-file/build/#using-build-and-image
"#,
};

impl ComposeRule for NoBuildAndImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let (Some((bk, bv)), Some((ik, iv))) = (s.node.entry("build"), s.node.entry("image")) else { continue };
            if s.node.get("pull_policy").is_some() {
                continue;
            }
            let (at, _) = place(ik, iv);
            let (build_at, _) = place(bk, bv);
            out.push(
                META.diagnostic(
                    at,
                    format!("service `{}` has both `build` and `image`; set `pull_policy` or drop `image`", s.name),
                )
                .with_related(build_at, "`build` is here"),
            );
        }
    }
}
