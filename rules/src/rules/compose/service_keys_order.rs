use super::ordering::{collate, reorder, sorted_order};
use crate::compose::Node;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, Fix, FixAvailability, RuleMeta, Severity};
use std::cmp::Ordering;

pub struct ServiceKeysOrder;

static META: RuleMeta = RuleMeta {
    code: "BC1015",
    name: "service-keys-order",
    severity: Severity::Style,
    category: Category::Style,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: false,
    summary: "The keys of a service are not in the usual group order",
    docs: r#"## What it checks
The order of the keys inside each service, by dclint's default groups:

1. `image`, `build`, `container_name`
2. `depends_on`
3. `volumes`, `volumes_from`, `configs`, `secrets`
4. `environment`, `env_file`
5. `ports`, `networks`, `network_mode`, `extra_hosts`
6. `command`, `entrypoint`, `working_dir`, `restart`, `healthcheck`
7. `logging`, `labels`
8. `user`, `isolation`
9. every other key, alphabetically

A key is reported when it belongs before the key written just above it. A
merge key (`<<`) is not judged. Off by default: a matter of house style.

## Why it matters
When every service lists its keys in the same order, a reader finds the image,
the volumes or the ports of any service at a glance, and reviews show real
changes instead of keys moving around.

## Example
```yaml
services:
  web:
    ports:
      - "8080:80"
    image: nginx:1.27
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27
    ports:
      - "8080:80"
```

## Fix
Puts all keys of the service in that order (a merge key first), each with the
comment lines above it; blank lines between keys stay where they are. Safe:
the order of keys does not change what Compose does. Offered on the first
finding of a service whose keys are laid out one per line, without duplicate
keys, and where no key would move above an anchor it uses.

## References
- Compose Specification, services: https://docs.docker.com/reference/compose-file/services/
- dclint `service-keys-order` (its `groups` and `groupOrder` options are not read yet; berth uses their defaults)
"#,
};

/// dclint's default groups, in order.
const GROUPS: &[&[&str]] = &[
    &["image", "build", "container_name"],
    &["depends_on"],
    &["volumes", "volumes_from", "configs", "secrets"],
    &["environment", "env_file"],
    &["ports", "networks", "network_mode", "extra_hosts"],
    &["command", "entrypoint", "working_dir", "restart", "healthcheck"],
    &["logging", "labels"],
    &["user", "isolation"],
];

/// Where a key goes: its place among the grouped keys, then the other keys alphabetically.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rank<'a> {
    Merge,
    Grouped(usize),
    Other(&'a str),
}

fn rank(key: &str) -> Rank<'_> {
    if key == "<<" {
        return Rank::Merge;
    }
    GROUPS.iter().flat_map(|g| g.iter()).position(|k| *k == key).map_or(Rank::Other(key), Rank::Grouped)
}

fn cmp(a: &Rank<'_>, b: &Rank<'_>) -> Ordering {
    match (a, b) {
        (Rank::Merge, Rank::Merge) => Ordering::Equal,
        (Rank::Merge, _) => Ordering::Less,
        (_, Rank::Merge) => Ordering::Greater,
        (Rank::Grouped(x), Rank::Grouped(y)) => x.cmp(y),
        (Rank::Grouped(_), Rank::Other(_)) => Ordering::Less,
        (Rank::Other(_), Rank::Grouped(_)) => Ordering::Greater,
        (Rank::Other(x), Rank::Other(y)) => collate(x, y),
    }
}

impl ComposeRule for ServiceKeysOrder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(services) = cx.file.raw.get("services") else { return };
        for (name, service) in services.entries() {
            let mut first = true;
            let mut above: Option<(&str, Rank<'_>)> = None;
            for (k, _) in service.entries() {
                let r = rank(&k.text);
                if r == Rank::Merge {
                    continue;
                }
                if let Some((prev, pr)) = above
                    && cmp(&r, &pr) == Ordering::Less
                {
                    let msg = format!(
                        "key `{}` of service `{}` should come before `{prev}`; keep the usual key order",
                        k.text, name.text
                    );
                    let mut d = META.diagnostic(k.span, msg);
                    // One fix per service, on its first finding, sorts all its keys.
                    if std::mem::take(&mut first)
                        && let Some(f) = sort_fix(cx, service)
                    {
                        d = d.with_fix(f);
                    }
                    out.push(d);
                }
                above = Some((&k.text, r));
            }
        }
    }
}

fn sort_fix(cx: &ComposeContext<'_>, service: &Node) -> Option<Fix> {
    let ranks: Vec<Rank<'_>> = service.entries().iter().map(|(k, _)| rank(&k.text)).collect();
    let order = sorted_order(&ranks, cmp);
    reorder(cx, service, &order).map(|e| Fix::safe("Put the service's keys in the usual order", vec![e]))
}

#[cfg(test)]
mod tests {
    use crate::engine::{Selection, lint_compose};

    #[test]
    fn merge_keys_are_not_judged() {
        let text = "x: &x\n  restart: always\nservices:\n  a:\n    <<: *x\n    image: nginx:1\n    environment: {}\n    <<: *x\n";
        let r = lint_compose(text, &Selection::only(&["BC1015"]));
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let r = lint_compose("services:\n  a:\n    zeta: 1\n    alpha: 2\n", &Selection::only(&["BC1015"]));
        assert_eq!(r.diagnostics.len(), 1, "other keys are sorted alphabetically");
    }
}
