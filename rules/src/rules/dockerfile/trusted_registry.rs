use super::sources::mount_froms;
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::{Base, ImageRef};
use crate::syntax::Keyword;
use crate::text::Span;

pub struct TrustedRegistry;

static META: RuleMeta = RuleMeta {
    code: "DL3026",
    name: "trusted-registry",
    severity: Severity::Error,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Images must come from a trusted registry",
    docs: r#"## What it checks
Images pulled from a registry that is not in the configured list of trusted
registries (`trusted-registries`, hadolint's `trustedRegistries`): base images
in `FROM`, images in `COPY --from=<image>` and images mounted with
`RUN --mount=...,from=<image>`. Stage names are not images and are never
reported. The rule does nothing while the list is empty.

An image without a registry (`python:3.12`, `acme/app:1`) comes from Docker
Hub, which may be trusted as `docker.io` or `hub.docker.com` (berth treats
these, `index.docker.io` and `registry-1.docker.io` as the same registry, also
for images written as `docker.io/library/python`). An entry may start or end
with `*` (`*.corp.example.com`, `registry.example.*`); `*` alone trusts every
registry. Registry names are compared without regard to case. Variables are
evaluated first; an image whose variables have no known value is left alone,
where hadolint takes it for a Docker Hub image.

## Why it matters
Organisations that vet, mirror or scan base images want builds to use only
those copies. An image from anywhere else skips that review and may change or
disappear without notice.

## Example
With `trusted-registries = registry.example.com`:
```dockerfile
FROM python:3.12-slim
```

## Use instead
```dockerfile
FROM registry.example.com/mirror/python:3.12-slim
```

## References
- hadolint DL3026
- Dockerfile reference, FROM: https://docs.docker.com/reference/dockerfile/#from
"#,
};

/// Docker Hub's names, all meaning the same registry.
const DOCKER_HUB: &[&str] = &["docker.io", "hub.docker.com", "index.docker.io", "registry-1.docker.io"];

fn canonical(registry: &str) -> String {
    let r = registry.to_ascii_lowercase();
    if DOCKER_HUB.contains(&r.as_str()) { "docker.io".to_string() } else { r }
}

/// Whether `registry` (canonical) matches a trusted entry, with `*` at either end.
fn trusted(registry: &str, entry: &str) -> bool {
    let e = entry.trim().to_ascii_lowercase();
    if e == "*" {
        return true;
    }
    if let Some(suffix) = e.strip_prefix('*') {
        return registry.len() > suffix.len() && registry.ends_with(suffix);
    }
    if let Some(prefix) = e.strip_suffix('*') {
        return registry.len() > prefix.len() && registry.starts_with(prefix);
    }
    registry == canonical(&e)
}

impl Rule for TrustedRegistry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let allowed = &cx.inputs.settings.trusted_registries;
        if allowed.is_empty() {
            return;
        }
        let mut report = |image: &ImageRef, span: Span, note: String| {
            let registry = canonical(image.registry.as_deref().unwrap_or("docker.io"));
            if allowed.iter().any(|e| trusted(&registry, e)) {
                return;
            }
            let shown = if image.registry.is_none() { format!("{registry} (Docker Hub)") } else { registry };
            out.push(META.diagnostic(
                span,
                format!(
                    "`{}` comes from {shown}, which is not a trusted registry{note}; use an image from {}",
                    image.text,
                    allowed.join(", ")
                ),
            ));
        };
        for stage in &cx.model.stages {
            if let (Some((image, word)), Base::Image(_)) = (stage.resolved_image(), &stage.base) {
                report(image, word.span, stage.image_note());
            }
        }
        // Images (not stages) named by COPY --from and RUN --mount from=.
        let mut other = |value: &str, span: Span, at: usize| {
            let e = cx.model.expand(value, at);
            let v = e.value.trim();
            // Any stage of the file, even a later one (that mistake is DL3022's), is no image.
            if !e.unresolved.is_empty() || v.is_empty() || cx.model.stage_by_ref(v).is_some() {
                return;
            }
            let note = if v == value { String::new() } else { format!(" (`{value}` evaluates to `{v}`)") };
            report(&ImageRef::parse(v), span, note);
        };
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            match inst.keyword {
                Keyword::Copy => {
                    if let Some(flag) = inst.flag("from")
                        && let (Some(v), Some(span)) = (&flag.value, flag.value_span)
                    {
                        other(v, span, idx);
                    }
                }
                Keyword::Run => {
                    for m in mount_froms(cx, inst) {
                        other(&m.value, m.span, idx);
                    }
                }
                _ => {}
            }
        }
    }
}
