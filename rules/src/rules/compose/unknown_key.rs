use super::with_written;
use crate::compose::schema::ProblemKind;
use crate::engine::{
    Category, ComposeContext, ComposeRule, Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity,
};

pub struct UnknownKey;

static META: RuleMeta = RuleMeta {
    code: "BC0002",
    name: "unknown-key",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &["invalid-schema"],
    default_enabled: true,
    summary: "A key that the Compose Specification does not define at this place",
    docs: r#"## What it checks
Every mapping of the file against the Compose Specification: the top level,
services and all their attributes (`build`, `deploy`, `develop`,
`healthcheck`, long-form ports, volumes, secrets, ...), and the top-level
networks, volumes, configs, secrets and models. A key that is not defined at
its place is reported, with the closest known key when the name looks
misspelt (`enviroment` → `environment`), or the place where the key belongs
when it is defined elsewhere (`memory` under a service belongs under
`deploy.resources.limits`; `image` under `build` is a service key indented
one level too deep).

Keys starting with `x-` are accepted wherever the specification allows
extensions. Content brought in by an anchor or a `<<` merge is reported
where it is used, with a note at the place it is written.

## Why it matters
`docker compose` refuses a file with an unknown key ("additional properties
are not allowed"). Where a tool skips validation, the key is silently
ignored: a misspelt `enviroment` means the container starts without its
variables.

## Example
```yaml
services:
  web:
    image: nginx:1.27
    enviroment:
      LOG_LEVEL: debug
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27
    environment:
      LOG_LEVEL: debug
```

## Fix
Renames the key to the suggested one when the spelling is at most two edits
away, only one known key is that close, and the mapping has no such key yet.
Unsafe: the renamed key starts to take effect.

## References
- Compose Specification: https://docs.docker.com/reference/compose-file/
- Services: https://docs.docker.com/reference/compose-file/services/
- Extensions: https://docs.docker.com/reference/compose-file/extension/
- dclint `invalid-schema`
"#,
};

impl ComposeRule for UnknownKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let f = cx.file;
        for p in f.schema_problems(ProblemKind::UnknownKey) {
            let (at, written) = match p.via {
                Some(via) => (via, Some(p.span)),
                None => (p.span, None),
            };
            let mut d = META.diagnostic(at, p.message.clone());
            if let (Some(new), None) = (p.rename, p.via) {
                let old = f.slice(p.span);
                let text = match old.chars().next() {
                    Some(q @ ('"' | '\'')) => format!("{q}{new}{q}"),
                    _ => new.to_string(),
                };
                d = d.with_fix(Fix::unsafe_(format!("Rename to `{new}`"), vec![Edit::replace(p.span, text)]));
            }
            out.push(with_written(d, written));
        }
    }
}
