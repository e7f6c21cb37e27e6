use super::refs::{Ref, SUGGESTIONS, names_unknown, undeclared, volume_refs};
use super::with_written;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct UndefinedVolume;

static META: RuleMeta = RuleMeta {
    code: "BC4003",
    name: "undefined-volume",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service mounts a named volume that the top-level `volumes` does not declare",
    docs: r#"## What it checks
Named volumes in a service's `volumes` that are not keys of the top-level
`volumes`: the source of a short entry (`pgdata:/var/lib/postgresql/data`)
when it is a name rather than a path, and `source` of a long entry with
`type: volume`. Sources starting with `.`, `/`, `~` or a drive letter are host
paths (bind mounts); entries without a source are anonymous volumes; neither
refers to a declaration. Sources written with variables are not checked.

When berth checks a file in its folder, declarations of the rest of the
project count: the override or base file beside it, included files and later
YAML documents. The rule stays silent when one of them cannot be read, and on
an override fragment (a service with neither `image`, `build` nor `extends`)
without a base file beside it. Checked alone (from standard input), it stays
silent on files with `include:`, files where a service `extends` a service of
another `file:`, and override fragments: the volume may be declared elsewhere.

## Why it matters
`docker compose` refuses the project ("service ... refers to undefined volume
..."). Often the source was meant as a folder next to the file: `data:/data`
is a named volume, `./data:/data` is the folder.

## Example
```yaml
services:
  db:
    image: postgres:17
    volumes:
      - pgdata:/var/lib/postgresql/data
```

## Use instead
```yaml
services:
  db:
    image: postgres:17
    volumes:
      - pgdata:/var/lib/postgresql/data
volumes:
  pgdata: {}
```

## References
- Compose Specification, service volumes: https://docs.docker.com/reference/compose-file/services/#volumes
- Compose Specification, top-level volumes: https://docs.docker.com/reference/compose-file/volumes/
"#,
};

impl ComposeRule for UndefinedVolume {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let file = cx.file;
        if names_unknown(cx) {
            return;
        }
        let mut budget = SUGGESTIONS;
        let advice = |r: &Ref<'_>| format!("; declare it there, or bind a folder next to the file with `./{}`", r.name);
        for (r, hint) in undeclared(cx, "volumes", volume_refs(file), &mut budget, advice) {
            let msg = format!(
                "service `{}` mounts volume `{}`, which is not declared under top-level `volumes`{hint}",
                r.service, r.name
            );
            out.push(with_written(META.diagnostic(r.at, msg), r.written));
        }
    }
}
