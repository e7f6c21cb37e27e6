use super::{literal_images, place, with_written};
use crate::compose::Style;
use crate::engine::{
    Category, ComposeContext, ComposeRule, Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity,
};
use crate::rules::lifecycle;

pub struct DeprecatedImage;

static META: RuleMeta = RuleMeta {
    code: "BC6002",
    name: "deprecated-image",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service's image is deprecated; use its successor",
    docs: r#"## What it checks
A service `image:` that its publisher has deprecated: `openjdk` (successor
`eclipse-temurin`), `centos` (`almalinux`, `rockylinux`), `jenkins`
(`jenkins/jenkins`), `consul` and `vault` (`hashicorp/...`),
`microsoft/mssql-server-linux` (`mcr.microsoft.com/mssql/server`), Bitnami's
free images in `docker.io/bitnami` (moved to `bitnamilegacy`, without updates,
in September 2025), and the others BD4002 (`deprecated-base-image`) lists.
When the successor publishes a matching tag, an unsafe fix replaces the image
(`jenkins:lts` → `jenkins/jenkins:lts`); it is unsafe because the successor is
another build that must be tested. Images given by a variable are left alone.

## Why it matters
A deprecated image stops receiving updates, and some of its tags disappear: a
fresh `docker compose pull` may fail, and a running service keeps its known
vulnerabilities.

## Example
```yaml
services:
  ci:
    image: jenkins:lts
```

## Use instead
```yaml
services:
  ci:
    image: jenkins/jenkins:lts
```

## References
- jenkins deprecation notice: https://hub.docker.com/_/jenkins
- Bitnami catalog changes: https://github.com/bitnami/containers#readme
"#,
};

impl ComposeRule for DeprecatedImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for (si, image) in literal_images(cx) {
            let (s, ik, iv) = (si.service, si.key, si.value);
            let Some(dep) = lifecycle::deprecated(&image) else { continue };
            let successor = lifecycle::successor_ref(dep, image.tag.as_deref());
            let instead = lifecycle::successor_text(dep, &image);
            let instead = format!("`{instead}`");
            let (at, written) = place(ik, iv);
            let mut d = META.diagnostic(
                at,
                format!("service `{}` runs `{}`: {}; use {instead} ({})", s.name, image.text, dep.why, dep.source),
            );
            let quote = match iv.style() {
                Some(Style::Plain) => Some(""),
                Some(Style::SingleQuoted) => Some("'"),
                Some(Style::DoubleQuoted) => Some("\""),
                _ => None,
            };
            if let (Some(new), Some(q), None) = (&successor, quote, written) {
                d = d.with_fix(Fix::unsafe_(
                    format!("Use `{new}`"),
                    vec![Edit::replace(iv.span, format!("{q}{new}{q}"))],
                ));
            }
            out.push(with_written(d, written));
        }
    }
}
