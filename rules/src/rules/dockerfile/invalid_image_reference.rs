use super::instruction_spec::check_image_reference;
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::{Base, Stage, is_automatic_arg};
use crate::syntax::words::var_refs;

pub struct InvalidImageReference;

static META: RuleMeta = RuleMeta {
    code: "BD2005",
    name: "invalid-image-reference",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "The image in FROM must be a valid image reference",
    docs: r#"## What it checks
The image of each `FROM`, after evaluating ARG defaults, against the
reference format the builder parses: `[registry[:port]/]repository[:tag][@digest]`
where the repository is lower case (letters and digits joined by `.`, `_`,
`__` or `-`), the tag is at most 128 letters, digits, `_`, `.` and `-` (not
starting with `.` or `-`), and the digest is `sha256:` (or `sha384:`,
`sha512:`) with the right number of lower-case hex digits. References to
earlier stages and `scratch` are not images and are not checked.

When the image is written with variables and one of them has no default
value, `invalid-default-arg-in-from` (BD1012) reports it instead; variables
the builder sets itself (`TARGETARCH`, ...) leave the line unchecked.

## Why it matters
The builder stops with "invalid reference format" before it pulls anything.
The usual causes are an upper-case letter (`FROM Ubuntu:22.04`), an empty
tag (`FROM node:`) or a stray character pasted into the name.

## Example
```dockerfile
FROM Ubuntu:22.04
```

## Use instead
```dockerfile
FROM ubuntu:22.04
```

## References
- Dockerfile reference, FROM: https://docs.docker.com/reference/dockerfile/#from
- Image reference grammar (distribution/reference): https://github.com/distribution/reference/blob/main/reference.go
"#,
};

/// An invalid base image of a stage.
pub(super) struct BadImage {
    /// The evaluated reference.
    pub value: String,
    /// What is wrong with it.
    pub problem: String,
    /// Declared global ARGs used in the image that have no value (or an empty one).
    pub missing: Vec<String>,
    /// Whether the image was written with variables.
    pub evaluated: bool,
}

/// The problem with `stage`'s base image, if it is an image reference the
/// builder would reject with the ARG defaults. `None` when it is valid, a
/// stage, `scratch`, or depends on variables with no knowable value.
pub(super) fn bad_image(cx: &Context<'_, '_>, stage: &Stage) -> Option<BadImage> {
    let Base::Image(image) = &stage.base else { return None };
    let word = stage.image_word.as_ref()?;
    let inst = cx.file.instructions.get(stage.from)?;
    let globals = &cx.model.global_args;
    let mut missing = Vec::new();
    let mut evaluated = false;
    for r in var_refs(&inst.args, inst.escape) {
        if !(word.span.start <= r.span.start && r.span.end <= word.span.end) {
            continue;
        }
        evaluated = true;
        let def = globals.iter().rev().find(|a| a.name == r.name);
        match def {
            // Set by the builder (or undeclared, which undefined-arg-in-from reports).
            None => return None,
            Some(d) if d.value.is_none() && is_automatic_arg(&r.name) => return None,
            // A default made of variables with no known value (`ARG A=${TARGETARCH}`).
            Some(d)
                if d.raw_value.as_deref().is_some_and(|raw| {
                    raw.contains('$') && !cx.model.expand(raw, d.instruction).unresolved.is_empty()
                }) =>
            {
                return None;
            }
            Some(d) => {
                let empty = d.value.as_deref().is_none_or(str::is_empty);
                if empty && r.operator.is_none() && !missing.contains(&r.name) {
                    missing.push(r.name.clone());
                }
            }
        }
    }
    let problem = check_image_reference(&image.text).err()?;
    Some(BadImage { value: image.text.clone(), problem, missing, evaluated })
}

impl Rule for InvalidImageReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let Some(bad) = bad_image(cx, stage) else { continue };
            if !bad.missing.is_empty() {
                continue;
            }
            let Some(word) = &stage.image_word else { continue };
            let shown =
                if bad.evaluated { format!(" (`{}` evaluates to `{}`)", word.value, bad.value) } else { String::new() };
            out.push(META.diagnostic(
                word.span,
                format!("`{}` is not a valid image reference{shown}: {}", bad.value, bad.problem),
            ));
        }
    }
}
