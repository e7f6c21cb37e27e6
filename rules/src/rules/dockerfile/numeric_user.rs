use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::VarKind;
use crate::syntax::Keyword;
use crate::syntax::words::var_refs;

pub struct NumericUser;

static META: RuleMeta = RuleMeta {
    code: "DL3066",
    name: "numeric-user",
    severity: Severity::Info,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "The image's final USER should be a numeric UID",
    docs: r#"## What it checks
The last `USER` of the last stage, when its user part (before any `:group`)
is a name rather than a number: `USER app` or `USER app:app`, but not
`USER 10001` or `USER 10001:app`. Only that instruction decides who the
container runs as; `USER root` in a build stage, or before installing
packages, is normal and not reported. This follows hadolint's change in
PR #1239; hadolint 2.15.1 still reports every `USER`.

A value taken from an ARG (`USER $APP_UID`) is chosen at build time and is
accepted, as in hadolint; a value from an ENV set in this file is evaluated
and judged.

## Why it matters
A name only means something inside the image's `/etc/passwd`. Outside it,
Kubernetes' `runAsNonRoot` cannot tell whether `app` is root and refuses to
start the pod, and files on volumes are owned by whatever UID the name maps
to in that image, which the host does not know. A numeric UID says exactly
who the process is.

## Example
```dockerfile
FROM node:22-slim
RUN useradd --uid 10001 --no-log-init app
USER app
```

## Use instead
```dockerfile
FROM node:22-slim
RUN useradd --uid 10001 --no-log-init app
USER 10001
```

## References
- hadolint DL3066
- hadolint PR #1239 (only the last USER): https://github.com/hadolint/hadolint/pull/1239
- Dockerfile reference, USER: https://docs.docker.com/reference/dockerfile/#user
- Kubernetes, runAsNonRoot: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
"#,
};

impl Rule for NumericUser {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let Some(stage) = cx.model.final_stage() else { return };
        let Some((idx, inst)) = cx.model.stage_instructions(stage).filter(|(_, i)| i.keyword == Keyword::User).last()
        else {
            return;
        };
        let written = inst.rest.text.trim_end();
        if written.is_empty() {
            return;
        }
        // Values from ARGs (or unknown) are the builder's choice; ENV values are judged.
        let refs = var_refs(&inst.rest, inst.escape);
        if refs.iter().any(|r| cx.model.definition(&r.name, idx).is_none_or(|d| d.kind == VarKind::Arg)) {
            return;
        }
        let value = crate::shell::unquote(&cx.model.expand(written, idx).value);
        let user = value.split(':').next().unwrap_or("").trim();
        if user.is_empty() || user.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        let shown = if refs.is_empty() { String::new() } else { format!(" (`{written}` evaluates to `{value}`)") };
        out.push(META.diagnostic(
            inst.rest.span(0, written.len()),
            format!(
                "the image runs as user `{user}`{shown}, a name only its /etc/passwd can resolve; use the numeric UID instead"
            ),
        ));
    }
}
