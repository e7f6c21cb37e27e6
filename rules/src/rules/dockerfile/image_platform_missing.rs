use super::registry::{looked_up, targets};
use crate::engine::registry::platform_matches;
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct ImagePlatformMissing;

static META: RuleMeta = RuleMeta {
    code: "BD5002",
    name: "image-platform-missing",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "The base image is not published for a target platform (online check)",
    docs: r#"## What it checks
Only with `berth check --online`: a `FROM` image whose registry index
(manifest list) has no entry for a platform the stage is built for. The
targets are the stage's constant `FROM --platform`, else the project's
`[registry] platforms` in `berth.toml` (for example `linux/amd64` and
`linux/arm64`). Without targets nothing is checked. `linux/arm64` is met by
`linux/arm64/v8`; attestation entries (`unknown/unknown`) do not count.

## Why it matters
`docker buildx build --platform linux/arm64` fails with `no match for
platform in manifest`, or, for a single-platform image, the build runs the
other architecture under emulation and the image does not start on the
device (a Jetson or a Raspberry Pi).

## Example
```dockerfile
# berth.toml: [registry] platforms = ["linux/amd64", "linux/arm64"]
FROM example/amd64-only:1.0
```

## Use instead
An image (or tag) published for every target, or a per-platform base chosen
with `ARG TARGETARCH`.

## References
- OCI image index: https://github.com/opencontainers/image-spec/blob/main/image-index.md
- Multi-platform builds: https://docs.docker.com/build/building/multi-platform/
"#,
};

impl Rule for ImagePlatformMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (stage, image, word, facts) in looked_up(cx) {
            if facts.platforms.is_empty() {
                continue;
            }
            let missing: Vec<String> = targets(cx, stage)
                .into_iter()
                .filter(|t| !facts.platforms.iter().any(|have| platform_matches(t, have)))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let list = |v: &[String]| v.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
            out.push(META.diagnostic(
                word.span,
                format!(
                    "`{}` is not published for {}{}; it has {}",
                    image.text,
                    list(&missing),
                    stage.image_note(),
                    list(&facts.platforms)
                ),
            ));
        }
    }
}
