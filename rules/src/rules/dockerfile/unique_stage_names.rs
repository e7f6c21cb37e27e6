use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct UniqueStageNames;

static META: RuleMeta = RuleMeta {
    code: "DL3024",
    name: "unique-stage-names",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: Some("DuplicateStageName"),
    aliases: &[],
    default_enabled: true,
    summary: "Stage names must be unique",
    docs: r#"## What it checks
Two `FROM ... AS <name>` lines that give the same name. Stage names are
compared without regard to case, because BuildKit matches them that way:
`AS build` and `AS Build` are the same stage name. The finding points at the
second name and links to the first.

## Why it matters
BuildKit refuses to build a Dockerfile with a duplicate stage name. Older
builders accepted it and resolved `--from=<name>` and `FROM <name>` to one of
the two stages, so copied files could come from a different stage than the
author meant.

## Example
```dockerfile
FROM node:22 AS build
RUN npm ci && npm run build

FROM golang:1.23 AS build
RUN go build ./...
```

## Use instead
```dockerfile
FROM node:22 AS web-build
RUN npm ci && npm run build

FROM golang:1.23 AS api-build
RUN go build ./...
```

## References
- hadolint DL3024
- BuildKit check DuplicateStageName: https://docs.docker.com/reference/build-checks/duplicate-stage-name/
- Multi-stage builds, naming stages: https://docs.docker.com/build/building/multi-stage/#name-your-build-stages
"#,
};

impl Rule for UniqueStageNames {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let stages = &cx.model.stages;
        for (i, stage) in stages.iter().enumerate() {
            let Some(name) = &stage.name else { continue };
            let first =
                stages[..i].iter().filter_map(|s| s.name.as_ref()).find(|n| n.value.eq_ignore_ascii_case(&name.value));
            if let Some(first) = first {
                let message = if first.value == name.value {
                    format!("stage name `{}` is already used; give this stage a different name", name.value)
                } else {
                    format!(
                        "stage name `{}` is already used as `{}` (names ignore case); give this stage a different name",
                        name.value, first.value
                    )
                };
                out.push(META.diagnostic(name.span, message).with_related(first.span, "first defined here"));
            }
        }
    }
}
