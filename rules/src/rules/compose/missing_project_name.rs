use crate::compose::Kind;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct MissingProjectName;

static META: RuleMeta = RuleMeta {
    code: "BC1010",
    name: "require-project-name-field",
    severity: Severity::Style,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &["missing-project-name"],
    default_enabled: false,
    summary: "The file does not set the project `name`",
    docs: r#"## What it checks
A Compose file whose top level has no `name` key. Reported at the first
top-level key. Off by default: override files and files always started with
`-p` do not need one.

## Why it matters
Without `name`, Compose names the project after the folder the file is in.
Two checkouts of the same repository, or two repositories with a `deploy`
folder, then share container, network and volume names, and `docker compose
down` in one removes the other's containers. A `name` makes the project's
resources the same wherever the file is.

## Example
```yaml
services:
  web:
    image: nginx:1.27
```

## Use instead
```yaml
name: shop
services:
  web:
    image: nginx:1.27
```

## References
- Compose Specification, name: https://docs.docker.com/reference/compose-file/version-and-name/#name-top-level-element
- dclint `require-project-name-field`
"#,
};

impl ComposeRule for MissingProjectName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let Kind::Map(entries) = &cx.file.raw.kind else { return };
        if cx.file.resolved.get("name").is_some() {
            return;
        }
        let Some((first, _)) = entries.first() else { return };
        out.push(META.diagnostic(first.span, "the file does not set the project `name`; add a top-level `name:`"));
    }
}
