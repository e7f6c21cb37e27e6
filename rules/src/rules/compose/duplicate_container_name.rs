use super::{place_node, with_written};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use crate::text::Span;

pub struct DuplicateContainerName;

static META: RuleMeta = RuleMeta {
    code: "BC1006",
    name: "no-duplicate-container-names",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &["duplicate-container-name"],
    default_enabled: true,
    summary: "Two services use the same `container_name`",
    docs: r#"## What it checks
Services whose `container_name` is the same text as that of a service above
them (after anchors and merges are applied). The finding is on the later one,
with a note at the first.

## Why it matters
Docker allows one container per name on a host. The second container cannot be
created, so `docker compose up` stops with a name conflict after starting part
of the project.

## Example
```yaml
services:
  api:
    image: example/api:1.4
    container_name: app
  worker:
    image: example/worker:1.4
    container_name: app
```

## Use instead
```yaml
services:
  api:
    image: example/api:1.4
    container_name: app-api
  worker:
    image: example/worker:1.4
    container_name: app-worker
```
Or drop `container_name` and let Compose name the containers
(`<project>-<service>-<n>`), which also lets a service scale.

## References
- Compose Specification, container_name: https://docs.docker.com/reference/compose-file/services/#container_name
- dclint `no-duplicate-container-names`
"#,
};

impl ComposeRule for DuplicateContainerName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        // name -> (service, where it was written)
        let mut seen: std::collections::HashMap<&str, (&str, Span)> = std::collections::HashMap::new();
        for s in &cx.file.services {
            let Some(v) = s.node.get("container_name") else { continue };
            let Some(name) = v.str().filter(|n| !n.is_empty()) else { continue };
            let (at, written) = place_node(v);
            match seen.get(name) {
                Some((first, first_at)) => {
                    let msg = format!(
                        "service `{}` uses container name `{name}`, already used by service `{first}`; pick another name or drop `container_name`",
                        s.name
                    );
                    let d = META.diagnostic(at, msg);
                    out.push(with_written(d, written).with_related(*first_at, format!("`{name}` is first used here")));
                }
                None => {
                    seen.insert(name, (s.name.as_str(), at));
                }
            }
        }
    }
}
