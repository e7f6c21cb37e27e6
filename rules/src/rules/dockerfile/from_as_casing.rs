use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};

pub struct FromAsCasing;

static META: RuleMeta = RuleMeta {
    code: "BD1002",
    name: "from-as-casing",
    severity: Severity::Warning,
    category: Category::Style,
    fix: FixAvailability::Always,
    buildkit: Some("FromAsCasing"),
    aliases: &[],
    default_enabled: true,
    summary: "Write `AS` in the same case as `FROM`",
    docs: r#"## What it checks
`FROM ... AS <name>` lines where the `AS` keyword is not written in the same
case as `FROM`: `FROM node:22 as build`, or `from node:22 AS build`. A `FROM`
keyword in mixed case (`From`) is left to the instruction-casing checks.

## Why it matters
Both spellings work, but a file that mixes them reads as if the keywords were
typed by hand one at a time. Matching the case of `FROM` keeps the stage line
consistent with the rest of the file, and is what BuildKit's own check asks
for.

## Example
```dockerfile
FROM node:22 as build
```

## Use instead
```dockerfile
FROM node:22 AS build
```

## Fix
Rewrites `AS` in the case of `FROM` (upper case for `FROM`, lower case for
`from`). Safe: the keyword is read without regard to case.

## References
- BuildKit check FromAsCasing: https://docs.docker.com/reference/build-checks/from-as-casing/
- Dockerfile reference, FROM: https://docs.docker.com/reference/dockerfile/#from
"#,
};

impl Rule for FromAsCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let Some(name) = &stage.name else { continue };
            let Some(from) = cx.file.instructions.get(stage.from) else { continue };
            let keyword = from.keyword_text.as_str();
            let wanted = if keyword == keyword.to_ascii_uppercase() {
                name.as_keyword.to_ascii_uppercase()
            } else if keyword == keyword.to_ascii_lowercase() {
                name.as_keyword.to_ascii_lowercase()
            } else {
                continue;
            };
            if wanted == name.as_keyword {
                continue;
            }
            out.push(
                META.diagnostic(
                    name.as_span,
                    format!("`{}` does not match the case of `{keyword}`; write `{wanted}`", name.as_keyword),
                )
                .with_fix(Fix::safe(format!("Write `{wanted}`"), vec![Edit::replace(name.as_span, wanted.clone())])),
            );
        }
    }
}
