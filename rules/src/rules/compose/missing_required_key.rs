use super::with_written;
use crate::compose::schema::ProblemKind;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct MissingRequiredKey;

static META: RuleMeta = RuleMeta {
    code: "BC0005",
    name: "missing-required-key",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &["invalid-schema"],
    default_enabled: true,
    summary: "A mapping lacks a key that Compose requires there",
    docs: r#"## What it checks
Mappings that lack a key Compose needs:

- long-form `ports` without `target`; long-form `volumes` without `type` or
  `target`; long-form `secrets`/`configs` of a service without `source`;
  long-form `devices` without `source`; `env_file` entries without `path`;
- `extends` without `service`; `depends_on.<service>` without `condition`;
- `develop.watch` rules without `path` or `action`; hooks (`post_start`,
  `pre_stop`, `watch[].exec`) without `command`;
- `ulimits` with `soft` but no `hard` (or the reverse); a `provider` without
  `type`; device reservations without `capabilities` (or `driver`);
- top-level secrets without `file` or `environment`, configs without `file`,
  `environment` or `content` (unless `external` or a `driver` is set), and
  models without `model`.

The finding is placed on the key that opens the mapping (or its first key
for a list item).

## Why it matters
`docker compose` refuses the file, or the Engine refuses to create the
container ("target is required"). A port without `target` or a watch rule
without `action` means nothing to Compose.

## Example
```yaml
services:
  web:
    image: nginx:1.27
    ports:
      - published: 8080
    depends_on:
      db:
        restart: true
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27
    ports:
      - target: 80
        published: 8080
    depends_on:
      db:
        condition: service_started
        restart: true
```

## References
- Compose Specification, services: https://docs.docker.com/reference/compose-file/services/
- Compose Specification, secrets: https://docs.docker.com/reference/compose-file/secrets/
- Compose Specification, configs: https://docs.docker.com/reference/compose-file/configs/
- Compose Specification, develop: https://docs.docker.com/reference/compose-file/develop/
- dclint `invalid-schema`
"#,
};

impl ComposeRule for MissingRequiredKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for (at, written, p) in super::schema_problems(cx, ProblemKind::MissingKey) {
            out.push(with_written(META.diagnostic(at, p.message), written));
        }
    }
}
