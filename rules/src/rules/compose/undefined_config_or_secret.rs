use super::refs::{SUGGESTIONS, grant_refs, names_unknown, undeclared};
use super::with_written;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct UndefinedConfigOrSecret;

static META: RuleMeta = RuleMeta {
    code: "BC4004",
    name: "undefined-config-or-secret",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service uses a config or secret that the top-level `configs`/`secrets` does not declare",
    docs: r#"## What it checks
Names in a service's `configs` and `secrets`, and in `build.secrets`, written
as a plain name or as `source:` of the long syntax, that are not keys of the
top-level `configs` or `secrets`. Names written with variables are not
checked.

When berth checks a file in its folder, declarations of the rest of the
project count: the override or base file beside it, included files and later
YAML documents. The rule stays silent when one of them cannot be read, and on
an override fragment (a service with neither `image`, `build` nor `extends`)
without a base file beside it. Checked alone (from standard input), it stays
silent on files with `include:`, files where a service `extends` a service of
another `file:`, and override fragments: the declaration may be elsewhere.

## Why it matters
`docker compose` refuses the project ("service ... refers to undefined
secret ..."). A service only gets a secret or config that the top-level
section says where to read from (`file:`, `environment:`, `content:` or
`external:`).

## Example
```yaml
services:
  db:
    image: postgres:17
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    secrets: [db_password]
secrets:
  db-password:
    file: ./db_password.txt
```

## Use instead
```yaml
services:
  db:
    image: postgres:17
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    secrets: [db_password]
secrets:
  db_password:
    file: ./db_password.txt
```

## References
- Compose Specification, service secrets: https://docs.docker.com/reference/compose-file/services/#secrets
- Compose Specification, service configs: https://docs.docker.com/reference/compose-file/services/#configs
- Compose Specification, build secrets: https://docs.docker.com/reference/compose-file/build/#secrets
- Compose Specification, top-level secrets: https://docs.docker.com/reference/compose-file/secrets/
"#,
};

impl ComposeRule for UndefinedConfigOrSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let file = cx.file;
        if names_unknown(cx) {
            return;
        }
        let mut budget = SUGGESTIONS;
        for (section, what) in [("configs", "config"), ("secrets", "secret")] {
            for (r, hint) in
                undeclared(cx, section, grant_refs(file, section), &mut budget, |_| "; declare it there".into())
            {
                let msg = format!(
                    "service `{}` uses {what} `{}`, which is not declared under top-level `{section}`{hint}",
                    r.service, r.name
                );
                out.push(with_written(META.diagnostic(r.at, msg), r.written));
            }
        }
    }
}
