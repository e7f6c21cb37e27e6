use super::registry::{at, diagnostic, looked_up, rewrite};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, Fix, FixAvailability, RuleMeta, Severity};

pub struct ServiceImageTagNotFound;

static META: RuleMeta = RuleMeta {
    code: "BC7001",
    name: "service-image-tag-not-found",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service's image tag is not in its registry (online check)",
    docs: r#"## What it checks
Only with `berth check --online` (or `[registry] online = true` in
`berth.toml`): a service's `image:` whose tag its registry does not have. The
value is read after interpolation with the project's variables (`.env`), as
Compose reads it; an image written without a tag is looked up as `latest`.
When the tag is missing berth lists the repository's tags to suggest the
closest. Services that build their image (`build:`), or whose `pull_policy` is
`never` or `build`, are not looked up: their `image:` names what is built. A
registry that cannot be reached gives a note, never this finding. The
Dockerfile counterpart is BD5001.

## Why it matters
`docker compose up` or `pull` stops with `manifest unknown` (or `not found`),
often on the device that was to be updated, after a typo or a tag the
publisher removed.

## Example
```yaml
services:
  web:
    image: nginx:1.27-alpne
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27-alpine
```

## Fix
When one of the repository's tags is close to the one written, and the value
is written without variables, replacing it is offered as an unsafe fix (check
that it is the version you meant).

## References
- OCI distribution specification, pulling manifests and listing tags: https://github.com/opencontainers/distribution-spec/blob/main/spec.md
- Compose `image`: https://docs.docker.com/reference/compose-file/services/#image
"#,
};

impl ComposeRule for ServiceImageTagNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for (si, image, facts) in looked_up(cx) {
            if facts.tag_exists != Some(false) {
                continue;
            }
            let tag = image.tag.as_deref().unwrap_or("latest");
            let name = image.name();
            let near = crate::util::closest(tag, facts.tags.iter().map(String::as_str));
            let hint = near.map(|t| format!(" (did you mean `{t}`?)")).unwrap_or_default();
            let (span, written) = at(&si);
            let mut d = META.diagnostic(
                span,
                format!("service `{}`: the registry has no tag `{tag}` for `{name}`{hint}", si.service.name),
            );
            if let Some(t) = near {
                let text = image.with_tag(t);
                if let Some(edit) = rewrite(&si, &text) {
                    d = d.with_fix(Fix::unsafe_(format!("Use the tag `{t}`"), vec![edit]));
                }
            }
            out.push(diagnostic(d, written));
        }
    }
}
