use super::ordering::{collate_numeric, first_unsorted, reorder, reorder_flow_scalars, sorted_order};
use super::ports::PortSpec;
use crate::compose::Kind;
use crate::compose::interpolate::interpolated;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, Fix, FixAvailability, RuleMeta, Severity};

pub struct UnsortedPorts;

static META: RuleMeta = RuleMeta {
    code: "BC1016",
    name: "service-ports-alphabetical-order",
    severity: Severity::Style,
    category: Category::Style,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &["unsorted-ports"],
    default_enabled: false,
    summary: "A service's `ports` are not in ascending order",
    docs: r#"## What it checks
`ports` lists whose entries are not sorted by host port (the container port
when no host port is given; `published` in the long syntax), comparing
numbers as numbers, as dclint does. One finding per list, at the first entry
that should move up. Lists with ports given by variables are not judged. Off
by default: a matter of house style.

## Why it matters
The order of `ports` carries no meaning; a sorted list shows at a glance
which host ports a service takes and makes clashes easier to spot.

## Example
```yaml
services:
  web:
    image: nginx:1.27
    ports:
      - "8443:443"
      - "8080:80"
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27
    ports:
      - "8080:80"
      - "8443:443"
```

## Fix
Sorts the entries; each moves with the comment lines above it. Safe: the
order of `ports` does not change what Compose does. Offered for block lists
and one-line flow lists.

## References
- Compose Specification, ports: https://docs.docker.com/reference/compose-file/services/#ports
- dclint `service-ports-alphabetical-order`
"#,
};

impl ComposeRule for UnsortedPorts {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(services) = cx.file.raw.get("services") else { return };
        for (name, service) in services.entries() {
            let Some(ports) = service.get("ports") else { continue };
            let Kind::Seq(items) = &ports.kind else { continue };
            let keys: Option<Vec<String>> = items
                .iter()
                .map(|i| {
                    let p = PortSpec::of(i)?;
                    let key = p.host.filter(|h| !h.trim().is_empty()).unwrap_or(p.container);
                    (!interpolated(&key)).then_some(key)
                })
                .collect();
            let Some(keys) = keys else { continue };
            let Some((i, above)) = first_unsorted(&keys, |a, b| collate_numeric(a, b)) else { continue };
            let msg = format!(
                "port `{}` should come before `{}` in service `{}`; sort the ports",
                keys[i], keys[above], name.text
            );
            let mut d = META.diagnostic(items[i].span, msg);
            let order = sorted_order(&keys, |a, b| collate_numeric(a, b));
            let edits = match reorder(cx, ports, &order) {
                Some(e) => Some(vec![e]),
                None => reorder_flow_scalars(cx, ports, &order),
            };
            if let Some(edits) = edits {
                d = d.with_fix(Fix::safe("Sort the ports", edits));
            }
            out.push(d);
        }
    }
}
