use super::labels::labels_of;
use super::sources::used_stages;
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::Base;
use crate::syntax::Keyword;
use crate::text::Span;

pub struct RequiredLabel;

static META: RuleMeta = RuleMeta {
    code: "DL3049",
    name: "required-label",
    severity: Severity::Info,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Images must carry the labels of the label schema",
    docs: r#"## What it checks
Every label named in the configured label schema (`label-schema`) must be set
on each image the file produces. The finding is on the stage's `FROM` line,
once per missing label. Labels set in a stage carry over to stages built on
it (`FROM <stage>`). The rule does nothing while the schema is empty.

Only stages that end up as images are checked: the last stage, and any stage
no other stage uses. A stage that other stages only build on (`FROM <stage>`)
or copy from (`COPY --from`, `RUN --mount=from=`) is a build step, and its
labels never reach an image. hadolint exempts only stages used by
`COPY --from`, so it also asks for labels on base stages. A stage with a label
key whose variables have no known value is left alone.

## Why it matters
Organisations use labels to find who owns an image, which commit and source
it was built from, and under which license it ships. An image without them
is hard to trace back when a vulnerability or an outage needs an owner.

## Example
With `label-schema = org.opencontainers.image.source:url`:
```dockerfile
FROM python:3.12-slim
COPY app /app
```

## Use instead
```dockerfile
FROM python:3.12-slim
LABEL org.opencontainers.image.source="https://github.com/acme/app"
COPY app /app
```

## References
- hadolint DL3049
- OCI image annotations: https://github.com/opencontainers/image-spec/blob/main/annotations.md
- Dockerfile reference, LABEL: https://docs.docker.com/reference/dockerfile/#label
"#,
};

/// For each label of the schema, whether a stage (or a stage it is built on)
/// sets it; `None` when a stage sets a key whose variables have no known value.
type Present = Option<Vec<bool>>;

impl Rule for RequiredLabel {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let schema = &cx.inputs.settings.label_schema;
        if schema.is_empty() {
            return;
        }
        let used = used_stages(cx);
        let mut present: Vec<Present> = Vec::with_capacity(cx.model.stages.len());
        for stage in &cx.model.stages {
            let mut has: Present = match stage.base {
                Base::Stage(p) if p < present.len() => present[p].clone(),
                _ => Some(vec![false; schema.len()]),
            };
            for (idx, inst) in cx.model.stage_instructions(stage) {
                if inst.keyword != Keyword::Label {
                    continue;
                }
                for label in labels_of(cx, idx, inst) {
                    match (&mut has, label.key) {
                        (Some(h), Some(key)) => {
                            for (slot, (name, _)) in h.iter_mut().zip(schema) {
                                *slot |= *name == key;
                            }
                        }
                        _ => has = None,
                    }
                }
            }
            present.push(has);
        }
        for stage in &cx.model.stages {
            if used.get(stage.index).copied().unwrap_or(true) {
                continue;
            }
            let Some(Some(has)) = present.get(stage.index) else { continue };
            let Some(from) = cx.file.instructions.get(stage.from) else { continue };
            let end = stage.name.as_ref().map(|n| n.span.end).or(stage.image_word.as_ref().map(|w| w.span.end));
            let span = Span::new(from.keyword_span.start, end.unwrap_or(from.keyword_span.end));
            for ((name, ty), _) in schema.iter().zip(has).filter(|(_, h)| !**h) {
                out.push(META.diagnostic(
                    span,
                    format!(
                        "this image has no label `{name}`, which the label schema requires; add `LABEL {name}=<{}>`",
                        ty.as_str()
                    ),
                ));
            }
        }
    }
}
