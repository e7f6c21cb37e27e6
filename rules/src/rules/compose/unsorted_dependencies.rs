use super::ordering::{collate, first_unsorted, reorder, reorder_flow_scalars, sorted_order};
use crate::compose::{Kind, Node};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, Fix, FixAvailability, RuleMeta, Severity};
use crate::text::Span;

pub struct UnsortedDependencies;

static META: RuleMeta = RuleMeta {
    code: "BC1013",
    name: "service-dependencies-alphabetical-order",
    severity: Severity::Style,
    category: Category::Style,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &["unsorted-dependencies"],
    default_enabled: false,
    summary: "A service's `depends_on` entries are not in alphabetical order",
    docs: r#"## What it checks
`depends_on` lists (`- db`) and mappings (`db: {condition: ...}`) whose
service names are not in alphabetical order: case-insensitive, punctuation
before digits before letters, the order dclint uses. One finding per list, at
the first name that should move up. Off by default: a matter of house style.

## Why it matters
Compose starts dependencies by the graph, not by the order of the list, so the
order carries no meaning; sorted names are quicker to scan and give smaller
merge conflicts.

## Example
```yaml
services:
  web:
    image: example/web:3.2
    depends_on:
      - redis
      - db
```

## Use instead
```yaml
services:
  web:
    image: example/web:3.2
    depends_on:
      - db
      - redis
```

## Fix
Sorts the entries. Each entry moves with the comment lines above it. Safe:
the order of `depends_on` does not change what Compose does. Offered for
block lists and mappings and for one-line flow lists (`[redis, db]`).

## References
- Compose Specification, depends_on: https://docs.docker.com/reference/compose-file/services/#depends_on
- dclint `service-dependencies-alphabetical-order`
"#,
};

impl ComposeRule for UnsortedDependencies {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(services) = cx.file.raw.get("services") else { return };
        for (name, service) in services.entries() {
            let Some(deps) = service.get("depends_on") else { continue };
            let items: Vec<(&str, Span)> = match &deps.kind {
                Kind::Seq(items) => items.iter().filter_map(|i| Some((i.str()?, i.span))).collect(),
                Kind::Map(entries) => entries.iter().map(|(k, _)| (k.text.as_str(), k.span)).collect(),
                _ => continue,
            };
            if items.len() != deps.items().len().max(deps.entries().len()) {
                continue;
            }
            let Some((i, above)) = first_unsorted(&items, |a, b| collate(a.0, b.0)) else { continue };
            let msg = format!(
                "`{}` should come before `{}` in `depends_on` of service `{}`; sort the entries",
                items[i].0, items[above].0, name.text
            );
            let mut d = META.diagnostic(items[i].1, msg);
            if let Some(fix) = sort_fix(cx, deps, &items) {
                d = d.with_fix(fix);
            }
            out.push(d);
        }
    }
}

fn sort_fix(cx: &ComposeContext<'_>, deps: &Node, items: &[(&str, Span)]) -> Option<Fix> {
    let order = sorted_order(items, |a, b| collate(a.0, b.0));
    let edits = match reorder(cx, deps, &order) {
        Some(e) => vec![e],
        None if matches!(deps.kind, Kind::Seq(_)) => reorder_flow_scalars(cx, deps, &order)?,
        None => return None,
    };
    Some(Fix::safe("Sort `depends_on`", edits))
}
