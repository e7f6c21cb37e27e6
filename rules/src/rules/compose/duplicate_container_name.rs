use super::{place_node, with_written};
use crate::compose::{Node, profiles};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use std::collections::HashMap;

pub struct DuplicateContainerName;

/// A service that used a name earlier: its name, its `container_name` value, its profiles.
type Earlier<'a> = (&'a str, &'a Node, Vec<String>);

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
them (after anchors and merges are applied), in the project as Compose merges
it: the base file, its override file and included files count together, and
the finding is reported in the file that wrote the later name. Services that
no single profile enables together (`profiles: [cpu]` and
`profiles: [gpu-nvidia]`) are not compared; a finding that needs a profile
says which. The finding is on the later one, with a note at the first.

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
        // The merged project: services of the base and override files meet
        // here; services that no single profile enables together do not.
        // name -> earlier services using it (service, value, profiles)
        let mut seen: HashMap<&str, Vec<Earlier<'_>>> = HashMap::new();
        for s in cx.project.services() {
            let Some(v) = s.node.get("container_name") else { continue };
            let Some(name) = v.str().filter(|n| !n.is_empty()) else { continue };
            let profiles = cx.project.profiles(&s.node);
            let earlier = seen.entry(name).or_default();
            let clash = earlier
                .iter()
                .find_map(|(first, node, p)| profiles::together(p, &profiles).map(|needs| (*first, *node, needs)));
            if let Some((first, first_node, needs)) = clash
                && v.file == 0
            {
                let (at, written) = place_node(v);
                let elsewhere = if first_node.file == 0 {
                    String::new()
                } else {
                    format!(" in {}", cx.project.where_written(first_node))
                };
                let msg = format!(
                    "service `{}` uses container name `{name}`, already used by service `{first}`{elsewhere}{}; pick another name or drop `container_name`",
                    s.name,
                    profiles::note(needs.map(|n| n.to_string()).as_deref())
                );
                let mut d = with_written(META.diagnostic(at, msg), written);
                if first_node.file == 0 {
                    d = d.with_related(place_node(first_node).0, format!("`{name}` is first used here"));
                }
                out.push(d);
            }
            earlier.push((s.name.as_str(), v, profiles));
        }
    }
}
