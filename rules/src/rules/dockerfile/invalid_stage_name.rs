use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct InvalidStageName;

static META: RuleMeta = RuleMeta {
    code: "BD2011",
    name: "invalid-stage-name",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Stage names start with a letter and use letters, digits, `-`, `_` and `.`",
    docs: r#"## What it checks
Stage names after `FROM ... AS` that, once lower-cased, do not start with a
letter or contain characters other than letters, digits, `-`, `_` and `.`:
`AS 2nd`, `AS my/stage`, `AS build:dev`. Variables are not evaluated in
stage names, so `AS ${NAME}` is reported too. Upper-case letters are allowed
here (see `stage-name-casing`, BD1001).

## Why it matters
The builder refuses the name ("invalid name for build stage: name can't start
with a number or contain symbols") and the build stops.

## Example
```dockerfile
FROM golang:1.23 AS 1-build
```

## Use instead
```dockerfile
FROM golang:1.23 AS build-1
```

## References
- Dockerfile reference, FROM: https://docs.docker.com/reference/dockerfile/#from
"#,
};

fn valid(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let mut bytes = lower.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}

impl Rule for InvalidStageName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let Some(name) = &stage.name else { continue };
            let Some(inst) = cx.file.instructions.get(stage.from) else { continue };
            // Only the `FROM image AS name` shape names a stage; other shapes are BD2004's.
            if inst.words().len() != 3 || valid(&name.value) {
                continue;
            }
            let raw = cx.text(name.span);
            out.push(META.diagnostic(
                name.span,
                format!("`{raw}` is not a valid stage name: start it with a letter and use only letters, digits, `-`, `_` and `.`"),
            ));
        }
    }
}
