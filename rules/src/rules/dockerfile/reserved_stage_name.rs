use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct ReservedStageName;

static META: RuleMeta = RuleMeta {
    code: "DL3063",
    name: "reserved-stage-name",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: Some("ReservedStageName"),
    aliases: &[],
    default_enabled: true,
    summary: "Stages cannot be named scratch or context",
    docs: r#"## What it checks
Stages named `scratch` or `context` (`FROM golang:1.23 AS scratch`). Stage
names are compared without regard to case, as BuildKit matches them, so
`AS Scratch` is reported too (hadolint only reports the lower-case spelling).

## Why it matters
Both words already mean something: `scratch` is the empty image, and
`context` names the build context (`COPY --from=context`, named contexts).
A stage with one of these names makes `FROM scratch` or `--from=context`
ambiguous for readers and tools, and BuildKit warns about it.

## Example
```dockerfile
FROM golang:1.23 AS scratch
RUN go build -o /out/app ./cmd/app
```

## Use instead
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app
```

## References
- hadolint DL3063
- BuildKit check ReservedStageName: https://docs.docker.com/reference/build-checks/reserved-stage-name/
"#,
};

impl Rule for ReservedStageName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let Some(name) = &stage.name else { continue };
            let lower = name.value.to_ascii_lowercase();
            let meaning = match lower.as_str() {
                "scratch" => "the empty base image",
                "context" => "the build context",
                _ => continue,
            };
            out.push(META.diagnostic(
                name.span,
                format!("`{}` is reserved: it means {meaning}; give the stage another name", name.value),
            ));
        }
    }
}
