use super::images::{is_official_image, parse_ref};
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
Services with both a `build` and an `image` key and no `pull_policy`. With
both, `docker compose up` (and `run`, `create`) first pulls `image` when it
is not present locally, builds only if the pull fails, and uses the pulled
image if it succeeds (docker/compose `pullRequiredImages`, `mustPull`: the
default policy is "missing", and a pull failure of a buildable service is
ignored); `docker compose build` tags the build with that name. So how much
it matters depends on whether the name can be pulled:
- warning: `image` is a Docker Official Image (`nginx`, `postgres:17`):
  the pull succeeds and the official image runs instead of the build;
- warning: `image` is in a registry namespace (`example/api`,
  `ghcr.io/example/api`): an image published under that name, by the
  project or by whoever holds the namespace, replaces the build. That is
  the intent when the project publishes its builds there; say so with
  `pull_policy: missing`;
- info: `image` only names the local build and a pull cannot find it: an
  unqualified name that is no official image (`etl-kafka` is
  `docker.io/library/etl-kafka`, and only Docker publishes to `library/`),
  an image in a registry on this machine (`localhost:5000/...`), or the tag
  `local`. Compose's pull attempt fails and it builds; `pull_policy: build`
  skips the attempt (and rebuilds on every `up`).

Names given by variables are warnings: what they resolve to is not known.

## Why it matters
Which image runs depends on the registry: a published image with the same
name silently replaces the local code. Say which is meant: drop `image`,
set `pull_policy: build` (always build) or `pull_policy: missing` (pull
when absent, build only when the pull fails).

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
- Compose Specification, pull_policy: https://docs.docker.com/reference/compose-file/services/#pull_policy
- docker/compose `pkg/compose/pull.go` (`mustPull`, `pullRequiredImages`) and `build.go` (a local image is not rebuilt)
"#,
};

/// How `image` next to `build` can be pulled, with the message and severity.
fn judge(service: &str, image: &str) -> (String, Severity) {
    let r = parse_ref(image);
    if !image.contains('$') {
        if is_official_image(&r) {
            return (
                format!(
                    "service `{service}` builds its image but names it `{image}`, a Docker Official Image: when it is not present locally, Compose pulls it and runs it instead of building (it builds only when the pull fails); give the build its own name or set `pull_policy: build`"
                ),
                Severity::Warning,
            );
        }
        let local_registry = r.registry.is_some_and(|h| {
            let host = h.split(':').next().unwrap_or(h);
            host == "localhost" || host == "127.0.0.1" || host == "[::1]"
        });
        let why = if r.is_official() {
            Some("an unqualified name is looked up in Docker Hub's `library/` namespace, where only official images are published".to_string())
        } else if local_registry {
            Some("its registry is on this machine, so a pull finds only what was pushed from here".to_string())
        } else if r.tag == Some("local") {
            Some("its tag `local` marks a local build that no registry is expected to have".to_string())
        } else {
            None
        };
        if let Some(why) = why {
            return (
                format!(
                    "service `{service}` names its build `{image}`: when it is not present locally, Compose first tries to pull it and builds when the pull fails ({why}); `pull_policy: build` skips the attempt"
                ),
                Severity::Info,
            );
        }
    }
    (
        format!(
            "service `{service}` has both `build` and `image`: when `{image}` is not present locally, Compose pulls it and builds only if the pull fails, so an image published under that name replaces the build; set `pull_policy: build` to always build, or `pull_policy: missing` if pulling it is meant"
        ),
        Severity::Warning,
    )
}

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
            let (msg, severity) = judge(&s.name, iv.str().unwrap_or(""));
            out.push(META.diagnostic(at, msg).with_severity(severity).with_related(build_at, "`build` is here"));
        }
    }
}
