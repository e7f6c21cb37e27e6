use super::{literal_images, place, with_written};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use crate::rules::{lifecycle, platforms};

pub struct ImageMissingPlatform;

static META: RuleMeta = RuleMeta {
    code: "BC6003",
    name: "image-missing-platform",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service's image does not publish the platform the service runs on",
    docs: r#"## What it checks
A service whose `image:` berth knows to publish fewer platforms than the
service needs: its `platform:` (e.g. `linux/arm64`), else the project's
platforms (`[registry] platforms` in `berth.toml`, `--platform` on the command
line). Known narrow images: `pytorch/pytorch`, the GPU tags of
`tensorflow/tensorflow`, `mcr.microsoft.com/mssql/server`, `mysql:5.7` and
older, `selenium/standalone-chrome` (linux/amd64 only), and others listed with
their sources in `rules/src/rules/lifecycle.rs`. A service that builds its
image (`build:`), images given by a variable, and services without a known
platform are left alone.

## Why it matters
On an arm64 host (a Jetson, a Raspberry Pi, an Arm server or an Apple silicon
laptop) `docker compose up` fails with "no matching manifest for linux/arm64",
or runs the amd64 image under emulation, slowly and sometimes not at all.

## Example
```yaml
services:
  db:
    image: mcr.microsoft.com/mssql/server:2022-latest
    platform: linux/arm64
```

## Use instead
An image that publishes the platform (for SQL Server on arm64 there is none:
run it on an amd64 host), or `platform: linux/amd64` with emulation knowingly.

## References
- Compose `platform`: https://docs.docker.com/reference/compose-file/services/#platform
- Multi-platform images: https://docs.docker.com/build/building/multi-platform/
"#,
};

impl ComposeRule for ImageMissingPlatform {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let project = platforms::configured(cx.settings);
        for (si, image) in literal_images(cx) {
            if si.built {
                continue;
            }
            let (s, ik, iv) = (si.service, si.key, si.value);
            let Some(known) = lifecycle::platforms_of(&image) else { continue };
            let own = s
                .node
                .get("platform")
                .and_then(|p| p.str())
                .filter(|p| !crate::compose::interpolate::interpolated(p))
                .and_then(platforms::normalize);
            let targets = match own {
                Some(p) => vec![p],
                None => project.clone(),
            };
            let archs: Vec<String> = known.platforms.iter().filter_map(|p| platforms::arch(p)).collect();
            let missing: Vec<String> =
                targets.iter().filter(|t| platforms::arch(t).is_some_and(|a| !archs.contains(&a))).cloned().collect();
            if missing.is_empty() {
                continue;
            }
            let (at, written) = place(ik, iv);
            let note = if known.note.is_empty() { String::new() } else { format!("; {}", known.note) };
            out.push(with_written(
                META.diagnostic(
                    at,
                    format!(
                        "service `{}` runs `{}`, which publishes {} only, on {}{note} ({})",
                        s.name,
                        image.text,
                        platforms::list(&known.platforms.iter().map(|p| p.to_string()).collect::<Vec<_>>()),
                        platforms::list(&missing),
                        known.source
                    ),
                ),
                written,
            ));
        }
    }
}
