use super::with_written;
use crate::compose::schema::ProblemKind;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct InvalidType;

static META: RuleMeta = RuleMeta {
    code: "BC0003",
    name: "invalid-type",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &["invalid-schema"],
    default_enabled: true,
    summary: "A value of the wrong type: a string where a list is expected, a number where a mapping is",
    docs: r#"## What it checks
The type of every value the Compose Specification defines: strings, numbers,
booleans, lists, mappings and where an empty (null) value is allowed. Values
are typed the way `docker compose` reads YAML: `yes` and `on` are strings,
quoted values are strings, `0755` is a number.

Compose converts some strings, so these are accepted: a string with a
variable (`${PORT}`) wherever a single value is expected, and strings that
convert where a number or a boolean is expected (`"3"`, `"true"`). A value
tagged `!reset` or `!override` is not judged.

## Why it matters
`docker compose` refuses the file ("must be a list", "must be a mapping").
Several attributes take two shapes and the wrong one is an easy mistake:
`environment` is a mapping or a list of `KEY=VALUE`, never one string;
`ports` is always a list, even for one port; `command` in list form takes
strings only.

## Example
```yaml
services:
  web:
    image: nginx:1.27
    ports: 80
    environment: "LOG_LEVEL=debug"
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27
    ports:
      - "80:80"
    environment:
      - LOG_LEVEL=debug
```

## References
- Compose Specification, services: https://docs.docker.com/reference/compose-file/services/
- Compose Specification, interpolation: https://docs.docker.com/reference/compose-file/interpolation/
- dclint `invalid-schema`
"#,
};

impl ComposeRule for InvalidType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for (at, written, p) in super::schema_problems(cx, ProblemKind::InvalidType) {
            out.push(with_written(META.diagnostic(at, p.message), written));
        }
    }
}
