use super::registry::{at, diagnostic, looked_up, targets};
use crate::engine::registry::platform_matches;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use crate::rules::platforms;

pub struct ServiceImagePlatformMissing;

static META: RuleMeta = RuleMeta {
    code: "BC7002",
    name: "service-image-platform-missing",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service's image is not published for the platform it runs on (online check)",
    docs: r#"## What it checks
Only with `berth check --online`: a service's `image:` (after interpolation)
whose registry index (manifest list) has no entry for a platform the service
runs on: its `platform:`, else the project's `[registry] platforms` in
`berth.toml` (or `--platform`). Without targets nothing is checked.
`linux/arm64` is met by `linux/arm64/v8`; attestation entries
(`unknown/unknown`) do not count. Services that build their image are not
looked up. BC6003 says the same offline for the few images berth knows; this
rule asks the registry, for any image. The Dockerfile counterpart is BD5002.

## Why it matters
On the arm64 device (a Jetson, a Raspberry Pi) `docker compose up` fails
with `no matching manifest for linux/arm64/v8`, or runs the amd64 image under
emulation, slowly or not at all.

## Example
```yaml
# berth.toml: [registry] platforms = ["linux/amd64", "linux/arm64"]
services:
  app:
    image: registry.example.com/team/amd64-only:1.0
```

## Use instead
An image (or tag) published for every target, or a per-device override file
that names another image.

## References
- OCI image index: https://github.com/opencontainers/image-spec/blob/main/image-index.md
- Compose `platform`: https://docs.docker.com/reference/compose-file/services/#platform
"#,
};

impl ComposeRule for ServiceImagePlatformMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for (si, image, facts) in looked_up(cx) {
            if facts.platforms.is_empty() {
                continue;
            }
            let missing: Vec<String> = targets(cx, &si)
                .into_iter()
                .filter(|t| !facts.platforms.iter().any(|have| platform_matches(t, have)))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let (span, written) = at(&si);
            let d = META.diagnostic(
                span,
                format!(
                    "service `{}` runs `{}`, which is not published for {}; it has {}",
                    si.service.name,
                    image.text,
                    platforms::list(&missing),
                    platforms::list(&facts.platforms)
                ),
            );
            out.push(diagnostic(d, written));
        }
    }
}
