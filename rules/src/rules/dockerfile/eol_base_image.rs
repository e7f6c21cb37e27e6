use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::rules::lifecycle;

pub struct EolBaseImage;

static META: RuleMeta = RuleMeta {
    code: "BD4001",
    name: "eol-base-image",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "The base image's version has reached (or is about to reach) its end of life",
    docs: r#"## What it checks
A `FROM` whose image version has reached its end of life, or reaches it within
90 days (`eol-warning-days` in `berth.toml`). The version is read from the tag
after ARG defaults (and Compose `build.args`) are evaluated: `python:3.7-slim`
is Python 3.7, `node:16-alpine3.15` is Node.js 16 on Alpine 3.15, and a later
part of an official image's tag that names a distribution (`-buster`,
`-alpine3.12`, `-ubuntu18.04` of `nvidia/cuda`) is judged too. A tag that
moves (`python:3`, `latest`), a tag with an unresolved variable, stage
references and unknown images are left alone.

The dates come from berth's own table (`rules/src/rules/lifecycle.rs`), each
product with its source and the day it was compiled; `docs/lifecycle.md` says
how it is kept up to date. The day they are compared with is today, or
`as-of = "YYYY-MM-DD"` in `berth.toml` for reproducible results. An end of life
that has passed is a warning; one that is near is information.

## Why it matters
An image whose version has ended gets no more security fixes: its runtime and
its distribution packages keep their known vulnerabilities, and the official
images stop being rebuilt, so `docker pull` brings nothing new. Devices updated
over the air are only as safe as the base image they were built on.

## Example
```dockerfile
FROM python:3.7-slim-buster
```

## Use instead
```dockerfile
FROM python:3.12-slim-bookworm
```

## References
- endoflife.date, the dates per product: https://endoflife.date/
- Python versions: https://devguide.python.org/versions/
- Node.js releases: https://github.com/nodejs/Release
- Docker Official Images: https://docs.docker.com/trusted-content/official-images/
"#,
};

impl Rule for EolBaseImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.model.stages {
            let Some((image, word)) = stage.resolved_image() else { continue };
            let Some((message, ended)) = lifecycle::judge(image, &cx.inputs.settings) else { continue };
            let d = META.diagnostic(word.span, format!("`{}`{}: {message}", image.text, stage.image_note()));
            out.push(if ended { d } else { d.with_severity(Severity::Info) });
        }
    }
}
