use super::registry::{looked_up, replace};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct ImageTagNotFound;

static META: RuleMeta = RuleMeta {
    code: "BD5001",
    name: "image-tag-not-found",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "The base image's tag is not in its registry (online check)",
    docs: r#"## What it checks
Only with `berth check --online` (or `[registry] online = true` in
`berth.toml`): a `FROM` image whose tag its registry does not have, after
evaluating ARG defaults. berth asks the registry for the tag's manifest and,
when it is missing, lists the repository's tags to suggest the closest one.
An image written without a tag is looked up as `latest`, as Docker pulls it.
A registry that cannot be reached gives a note, never this finding.

## Why it matters
The build fails at its first step with `manifest unknown`, often in CI after
a typo (`python:3.12-slim-bookwork`) or a tag the publisher removed.

## Example
```dockerfile
FROM python:3.12-slim-bookwork
```

## Use instead
```dockerfile
FROM python:3.12-slim-bookworm
```

## Fix
When one of the repository's tags is close to the one written, replacing it
is offered as an unsafe fix (check that it is the version you meant).

## References
- OCI distribution specification, pulling manifests and listing tags: https://github.com/opencontainers/distribution-spec/blob/main/spec.md
"#,
};

impl Rule for ImageTagNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (stage, image, word, facts) in looked_up(cx) {
            if facts.tag_exists != Some(false) {
                continue;
            }
            let tag = image.tag.as_deref().unwrap_or("latest");
            let name = image.name();
            let near = crate::util::closest(tag, facts.tags.iter().map(String::as_str));
            let hint = near.map(|t| format!(" (did you mean `{t}`?)")).unwrap_or_default();
            let mut d = META.diagnostic(
                word.span,
                format!("the registry has no tag `{tag}` for `{name}`{hint}{}", stage.image_note()),
            );
            if let Some(t) = near {
                let text = image.with_tag(t);
                if let Some(fix) = replace(image, word, format!("Use the tag `{t}`"), text) {
                    d = d.with_fix(fix);
                }
            }
            out.push(d);
        }
    }
}
