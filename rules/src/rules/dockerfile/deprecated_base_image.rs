use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::rules::lifecycle;

pub struct DeprecatedBaseImage;

static META: RuleMeta = RuleMeta {
    code: "BD4002",
    name: "deprecated-base-image",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "The base image is deprecated; use its successor",
    docs: r#"## What it checks
A `FROM` of an image that its publisher has deprecated: `openjdk` (successor
`eclipse-temurin`), `java` and `adoptopenjdk` (also `eclipse-temurin`),
`centos` (`almalinux` or `rockylinux`), `jenkins` (`jenkins/jenkins`), `consul`
and `vault` (`hashicorp/...`), `microsoft/dotnet` and
`microsoft/mssql-server-linux` (their `mcr.microsoft.com` images), `iojs`,
`django`, `rails`, `celery`, and Bitnami's free images in `docker.io/bitnami`
(moved to `bitnamilegacy` in September 2025). The image is judged after ARG
defaults are evaluated; stage references are left alone.

When the successor publishes a matching tag, an unsafe fix replaces the image:
`openjdk:11-jre-slim` becomes `eclipse-temurin:11-jre`, `centos:8` becomes
`almalinux:8` (CentOS 7 and `latest` become `almalinux:9`, a new major
version), `jenkins:lts` becomes `jenkins/jenkins:lts`. A digest is dropped (it
named the old image). The fix is unsafe: the successor is a different build
(another JDK vendor, another distribution) and the image must be tested.

## Why it matters
A deprecated image is no longer updated, or updated only for a while: it keeps
its vulnerabilities, and some of its tags are removed. Its publisher names the
successor that gets the fixes.

## Example
```dockerfile
FROM openjdk:17-jdk-slim
```

## Use instead
```dockerfile
FROM eclipse-temurin:17-jdk
```

## References
- openjdk deprecation notice: https://hub.docker.com/_/openjdk
- centos deprecation notice: https://hub.docker.com/_/centos
- Eclipse Temurin images: https://hub.docker.com/_/eclipse-temurin
- Bitnami catalog changes: https://github.com/bitnami/containers#readme
"#,
};

impl Rule for DeprecatedBaseImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let Some((image, word)) = stage.resolved_image() else { continue };
            let Some(dep) = lifecycle::deprecated(image) else { continue };
            let successor = lifecycle::successor_ref(dep, image.tag.as_deref());
            let instead = format!("`{}`", lifecycle::successor_text(dep, image));
            let mut d = META.diagnostic(
                word.span,
                format!("`{}`{}: {}; use {instead} ({})", image.text, stage.image_note(), dep.why, dep.source),
            );
            // The fix rewrites the word only when it is written plainly.
            let plain = word.raw == image.text && !word.raw.contains('$') && word.span.len() == word.raw.len();
            if let (Some(new), true) = (successor, plain) {
                d = d.with_fix(Fix::unsafe_(format!("Use `{new}`"), vec![Edit::replace(word.span, new)]));
            }
            out.push(d);
        }
    }
}
