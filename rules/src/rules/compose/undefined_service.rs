use super::refs::{SUGGESTIONS, names_unknown, service_refs, undeclared};
use super::with_written;
use crate::compose::{Node, profiles};
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

With `profiles`, a dependency on a service that exists but that a profile
enabling the dependent service leaves disabled is reported too: a service
without profiles (or with profile `a`) that depends on a service only in
profile `b`. Compose checks dependencies among enabled services only and
does not enable a dependency's profile, so `docker compose up` without
`--profile b` refuses the project. A dependency with `required: false`, and
profiles that `COMPOSE_PROFILES` in the project's `.env` enables, are not
reported.

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
        disabled_dependencies(cx, out);
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

/// Dependencies on a service that exists but that a profile (or the default
/// set) enabling the dependent service leaves disabled: Compose refuses the
/// project then (compose-go `checkConsistency` runs on enabled services only),
/// unless the dependency has `required: false`. Profiles in `COMPOSE_PROFILES`
/// of the project's `.env` count as always enabled.
fn disabled_dependencies(cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
    let services = cx.project.services();
    if !services.iter().any(|s| s.node.get("profiles").is_some()) {
        return;
    }
    let always = profiles::active(&[], &cx.project.env);
    let find = |name: &str| services.iter().rev().find(|s| s.name == name);
    for r in service_refs(cx.file).iter().filter(|r| r.dependency) {
        let (Some(src), Some(dst)) = (find(r.service), find(&r.name)) else { continue };
        let optional = src
            .node
            .get("depends_on")
            .and_then(|d| d.get(&r.name))
            .and_then(|e| e.get("required"))
            .and_then(Node::compose_bool)
            == Some(false);
        let (sp, tp) = (cx.project.profiles(&src.node), cx.project.profiles(&dst.node));
        if optional || profiles::enabled(&tp, &always) {
            continue;
        }
        let src_always = profiles::enabled(&sp, &always);
        let gap = if src_always { Some(None) } else { sp.iter().find(|p| !tp.contains(p)).map(|p| Some(p.as_str())) };
        let Some(gap) = gap else { continue };
        let shown = tp.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
        let when = match gap {
            None => "without that profile".to_string(),
            Some(p) => format!("with `--profile {p}` alone"),
        };
        let msg = format!(
            "service `{}` {} `{}`, which runs only with profile {shown}: {when} Compose refuses the project (\"depends on undefined service\"); give `{}` the same profile, or mark the dependency `required: false`",
            r.service, r.how, r.name, r.service
        );
        out.push(with_written(META.diagnostic(r.at, msg), r.written));
    }
}
