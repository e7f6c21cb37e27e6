use super::refs::{SUGGESTIONS, names_unknown, service_refs, undeclared};
use super::with_written;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct UndefinedService;

static META: RuleMeta = RuleMeta {
    code: "BC4001",
    name: "undefined-service",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service refers to a service that the file does not define",
    docs: r#"## What it checks
Service names used by another service that are not keys of `services`:
- `depends_on`, as a list or as a mapping;
- `links` (`db` and `db:alias`);
- `extends: {service: base}` without `file`, and the short form `extends: base`;
- `network_mode`, `ipc` and `pid` written as `service:NAME`;
- `volumes_from` (`app`, `app:ro`, `service:app`); `container:NAME` names a
  container, not a service, and is not checked.

Names written with variables (`${DB_SERVICE}`) are not checked. When a name is
one or two letters away from a defined service, the message suggests it.

When berth checks a file in its folder, the services of the rest of the
project count as defined: the override file (`compose.override.yaml`) of a
base file, the base file of an override file, included files and later YAML
documents of the file. Suggestions come from those files too. The rule stays
silent when one of them cannot be read, and on an override fragment (a service
with neither `image`, `build` nor `extends`) without a base file beside it.

Checked alone (from standard input), the rule stays silent on files whose
names may come from elsewhere: files with `include:`, files where a service
`extends` a service of another `file:`, and override fragments.

## Why it matters
`docker compose` refuses the whole project ("depends on undefined service",
"service ... not found"), so nothing starts. The usual cause is a typo or a
service renamed in one place only.

## Example
```yaml
services:
  api:
    image: example/api
    depends_on:
      - postgress
  postgres:
    image: postgres:17
```

## Use instead
```yaml
services:
  api:
    image: example/api
    depends_on:
      - postgres
  postgres:
    image: postgres:17
```

## References
- Compose Specification, depends_on: https://docs.docker.com/reference/compose-file/services/#depends_on
- Compose Specification, links: https://docs.docker.com/reference/compose-file/services/#links
- Compose Specification, extends: https://docs.docker.com/reference/compose-file/services/#extends
- Compose Specification, network_mode: https://docs.docker.com/reference/compose-file/services/#network_mode
- Compose Specification, volumes_from: https://docs.docker.com/reference/compose-file/services/#volumes_from
"#,
};

impl ComposeRule for UndefinedService {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let file = cx.file;
        if names_unknown(cx) {
            return;
        }
        let mut budget = SUGGESTIONS;
        let missing =
            undeclared(cx, "services", service_refs(file), &mut budget, |_| "; define it or fix the name".into());
        for (r, hint) in missing {
            let msg =
                format!("service `{}` {} `{}`, which is not defined in `services`{hint}", r.service, r.how, r.name);
            out.push(with_written(META.diagnostic(r.at, msg), r.written));
        }
    }
}
