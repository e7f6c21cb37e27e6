use super::walk;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct DuplicateKey;

static META: RuleMeta = RuleMeta {
    code: "BC1001",
    name: "duplicate-key",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A mapping has the same key twice",
    docs: r#"## What it checks
Mappings where a key appears more than once, at any depth (`services`, a
service's settings, `environment`, `labels`, ...). The finding is on the second
key, with the first one as related information.

## Why it matters
`docker compose` refuses the file ("mapping key already defined"). Other YAML
tools keep only the last value silently, so a setting written twice is a
setting lost.

## Example
```yaml
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    image: nginx:1.25
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
```

## References
- YAML 1.2, mappings: https://yaml.org/spec/1.2.2/#mapping
"#,
};

impl ComposeRule for DuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        walk(&cx.file.raw, &mut |_, n| {
            let entries = n.entries();
            if entries.len() < 2 {
                return;
            }
            // First occurrence of each key, so large mappings stay linear.
            let mut first_of: std::collections::HashMap<&str, &crate::compose::Key> =
                std::collections::HashMap::with_capacity(entries.len());
            for (k, _) in entries {
                if let Some(first) = first_of.get(k.text.as_str()).copied() {
                    out.push(
                        META.diagnostic(k.span, format!("`{}` is already defined in this mapping", k.text))
                            .with_related(first.span, "first defined here"),
                    );
                } else {
                    first_of.insert(&k.text, k);
                }
            }
        });
    }
}
