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
            for (i, (k, _)) in entries.iter().enumerate() {
                if let Some((first, _)) = entries[..i].iter().find(|(f, _)| f.text == k.text) {
                    out.push(
                        META.diagnostic(k.span, format!("`{}` is already defined in this mapping", k.text))
                            .with_related(first.span, "first defined here"),
                    );
                }
            }
        });
    }
}
