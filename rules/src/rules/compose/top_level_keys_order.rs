use super::ordering::{collate, reorder, sorted_order};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, Fix, FixAvailability, RuleMeta, Severity};
use std::cmp::Ordering;

pub struct TopLevelKeysOrder;

static META: RuleMeta = RuleMeta {
    code: "BC1018",
    name: "top-level-properties-order",
    severity: Severity::Style,
    category: Category::Style,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &["top-level-keys-order"],
    default_enabled: false,
    summary: "Top-level keys are not in the usual order",
    docs: r#"## What it checks
The order of the top-level keys: extension keys (`x-...`, alphabetically)
first, then `version`, `name`, `include`, `services`, `networks`, `volumes`,
`secrets`, `configs` (dclint's default order) and `models`. A key is reported
when a key written above it belongs after it. Other keys are not judged (the
schema rules report unknown ones). Off by default: a matter of house style.

## Why it matters
Extension keys usually hold anchors the services use, so they read best
first; the project name and the services come next, and the resources they
share after them. The same order in every file makes files quick to read.

## Example
```yaml
networks:
  backend: {}
services:
  api:
    image: example/api:2.0
    networks: [backend]
```

## Use instead
```yaml
services:
  api:
    image: example/api:2.0
    networks: [backend]
networks:
  backend: {}
```

## Fix
Puts the top-level keys in that order, each with the comment lines above it
(comments at the very top of the file stay there); blank lines between keys
stay where they are. Safe: the order does not change what Compose does.
Offered on the first finding when every top-level key is one of the keys
above, none is repeated, and no key would move above an anchor it uses.

## References
- Compose Specification: https://docs.docker.com/reference/compose-file/
- dclint `top-level-properties-order` (its `customOrder` option is not read yet; berth uses the default, plus `models`, which dclint does not know and reports wherever it is)
"#,
};

/// The order after the `x-` keys.
const ORDER: &[&str] =
    &["version", "name", "include", "services", "networks", "volumes", "secrets", "configs", "models"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rank<'a> {
    Extension(&'a str),
    Known(usize),
}

fn rank(key: &str) -> Option<Rank<'_>> {
    if key.starts_with("x-") {
        return Some(Rank::Extension(key));
    }
    ORDER.iter().position(|k| *k == key).map(Rank::Known)
}

fn cmp(a: &Rank<'_>, b: &Rank<'_>) -> Ordering {
    match (a, b) {
        (Rank::Extension(x), Rank::Extension(y)) => collate(x, y),
        (Rank::Extension(_), Rank::Known(_)) => Ordering::Less,
        (Rank::Known(_), Rank::Extension(_)) => Ordering::Greater,
        (Rank::Known(x), Rank::Known(y)) => x.cmp(y),
    }
}

impl ComposeRule for TopLevelKeysOrder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let root = &cx.file.raw;
        let mut furthest: Option<(&str, Rank<'_>)> = None;
        let mut first = true;
        for (k, _) in root.entries() {
            let Some(r) = rank(&k.text) else { continue };
            match furthest {
                Some((name, f)) if cmp(&r, &f) == Ordering::Less => {
                    let msg = format!("top-level `{}` should come before `{name}`; keep the usual order", k.text);
                    let mut d = META.diagnostic(k.span, msg);
                    if std::mem::take(&mut first)
                        && let Some(fix) = sort_fix(cx)
                    {
                        d = d.with_fix(fix);
                    }
                    out.push(d);
                }
                _ => furthest = Some((&k.text, r)),
            }
        }
    }
}

fn sort_fix(cx: &ComposeContext<'_>) -> Option<Fix> {
    let root = &cx.file.raw;
    let ranks: Option<Vec<Rank<'_>>> = root.entries().iter().map(|(k, _)| rank(&k.text)).collect();
    let order = sorted_order(&ranks?, cmp);
    reorder(cx, root, &order).map(|e| Fix::safe("Put the top-level keys in the usual order", vec![e]))
}

#[cfg(test)]
mod tests {
    use crate::engine::{Selection, lint_compose};

    fn findings(text: &str) -> Vec<(String, bool)> {
        let r = lint_compose(text, &Selection::only(&["BC1018"]));
        r.diagnostics.iter().map(|d| (d.message.clone(), d.fix.is_some())).collect()
    }

    #[test]
    fn known_unknown_and_extension_keys() {
        assert!(findings("x-a: 1\nx-b: 2\nname: n\nservices: {}\nconfigs: {}\nmodels: {}\n").is_empty());
        let f = findings("x-b: 1\nx-a: 2\nservices: {}\n");
        assert_eq!(f, [("top-level `x-a` should come before `x-b`; keep the usual order".to_string(), true)]);
        // Unknown keys are not judged, and they keep the fix away.
        let f = findings("services: {}\nfoo: 1\nname: n\n");
        assert_eq!(f, [("top-level `name` should come before `services`; keep the usual order".to_string(), false)]);
        assert!(findings("models: {}\nfoo: 1\n").is_empty());
        assert_eq!(findings("models: {}\nservices: {}\n").len(), 1);
    }
}
