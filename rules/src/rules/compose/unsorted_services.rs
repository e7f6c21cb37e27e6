use super::ordering::{Collated, collate, reorder, sorted_order};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, Fix, FixAvailability, RuleMeta, Severity};
use std::collections::BTreeSet;
use std::ops::Bound;

pub struct UnsortedServices;

static META: RuleMeta = RuleMeta {
    code: "BC1017",
    name: "services-alphabetical-order",
    severity: Severity::Style,
    category: Category::Style,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &["unsorted-services"],
    default_enabled: false,
    summary: "Services are not in alphabetical order",
    docs: r#"## What it checks
Services written after a service whose name sorts after theirs, in dclint's
alphabetical order (case-insensitive, punctuation before digits before
letters). Each such service is reported, with the first service above it
that it should precede. Off by default: many files list services in the
order a request flows through them, which is a good order too.

## Why it matters
In a long file, alphabetical order is the one order a reader can rely on to
find a service without searching.

## Example
```yaml
services:
  web:
    image: nginx:1.27
  api:
    image: example/api:2.0
```

## Use instead
```yaml
services:
  api:
    image: example/api:2.0
  web:
    image: nginx:1.27
```

## Fix
Sorts all services, each with the comment lines above it; blank lines
between services stay where they are. Safe: the order of services does not
change what Compose does. Offered on the first finding when the services are
laid out one per block, without duplicate names, and where no service would
move above an anchor it uses.

## References
- Compose Specification, services: https://docs.docker.com/reference/compose-file/services/
- dclint `services-alphabetical-order`
"#,
};

impl ComposeRule for UnsortedServices {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(services) = cx.file.raw.get("services") else { return };
        let names: Vec<&str> = services.entries().iter().map(|(k, _)| k.text.as_str()).collect();
        let mut first = true;
        let mut above: BTreeSet<Collated<'_>> = BTreeSet::new();
        for (k, _) in services.entries() {
            // The smallest name above that sorts after this one.
            let before = above.range((Bound::Excluded(Collated(&k.text)), Bound::Unbounded)).next().map(|c| c.0);
            above.insert(Collated(&k.text));
            let Some(before) = before else { continue };
            let msg = format!("service `{}` should come before `{before}`; sort the services", k.text);
            let mut d = META.diagnostic(k.span, msg);
            if std::mem::take(&mut first) {
                let order = sorted_order(&names, |a, b| collate(a, b));
                if let Some(e) = reorder(cx, services, &order) {
                    d = d.with_fix(Fix::safe("Sort the services", vec![e]));
                }
            }
            out.push(d);
        }
    }
}
