use super::sources::copy_paths;
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;
use crate::util::is_absolute_path;

pub struct CopyRelativeWithoutWorkdir;

static META: RuleMeta = RuleMeta {
    code: "DL3045",
    name: "copy-relative-without-workdir",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "COPY to a relative destination needs a WORKDIR",
    docs: r#"## What it checks
`COPY` instructions (shell or exec form) whose destination is a relative path
(`.`, `app/`, `config.yml`) in a stage where no `WORKDIR` has been set yet,
neither in the stage nor in the stage it is built on (`FROM <stage>`).
Variables in the destination are evaluated first; a destination whose
variables have no known value is left alone. Absolute Windows paths
(`C:\app`) count as absolute. `ONBUILD COPY` is not checked: it runs in a
build whose working directory this file does not decide.

hadolint remembers `WORKDIR` per image name, so a second stage built
`FROM ubuntu` inherits the `WORKDIR` of an unrelated first stage with the
same base; berth follows the actual stages.

## Why it matters
A relative destination is resolved against the working directory, which then
comes from the base image. It differs between images (`/` for most, `/go` for
golang, `/usr/src/app` for some) and may change when the base image is
updated, so files land somewhere the rest of the file does not expect.
Setting `WORKDIR` first makes the destination explicit.

## Example
```dockerfile
FROM node:22-slim
COPY package.json package-lock.json ./
```

## Use instead
```dockerfile
FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
```

## References
- hadolint DL3045
- Dockerfile reference, COPY: https://docs.docker.com/reference/dockerfile/#copy
- Dockerfile reference, WORKDIR: https://docs.docker.com/reference/dockerfile/#workdir
"#,
};

impl Rule for CopyRelativeWithoutWorkdir {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            if inst.keyword != Keyword::Copy {
                continue;
            }
            let Some(info) = cx.model.info.get(idx) else { continue };
            if info.stage.is_none() || info.workdir.is_some() {
                continue;
            }
            let Some((_, dest)) = copy_paths(inst) else { continue };
            let value = if dest.value.contains('$') {
                let e = cx.model.expand(&dest.value, idx);
                if !e.unresolved.is_empty() {
                    continue;
                }
                e.value
            } else {
                dest.value.clone()
            };
            if value.is_empty() || is_absolute_path(&value) {
                continue;
            }
            let shown =
                if value == dest.value { String::new() } else { format!(" (`{}` evaluates to `{value}`)", dest.value) };
            out.push(META.diagnostic(
                dest.span,
                format!(
                    "`{value}` is relative{shown}, but no WORKDIR is set in this stage, so it depends on the base image; set `WORKDIR` first or use an absolute path"
                ),
            ));
        }
    }
}
