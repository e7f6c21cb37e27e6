use super::refs::{SUGGESTIONS, names_unknown, network_refs, undeclared};
use super::with_written;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct UndefinedNetwork;

static META: RuleMeta = RuleMeta {
    code: "BC4002",
    name: "undefined-network",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service joins a network that the top-level `networks` does not declare",
    docs: r#"## What it checks
Network names in a service's `networks`, as a list or as a mapping, that are
not keys of the top-level `networks`. `default` is always defined (Compose
creates it) and is not reported. Names written with variables are not checked.
`build.network` is not checked either: it also takes `host` and `none`, and
the builder, not Compose, resolves it.

When berth checks a file in its folder, declarations of the rest of the
project count: the override or base file beside it, included files and later
YAML documents. The rule stays silent when one of them cannot be read, and on
an override fragment (a service with neither `image`, `build` nor `extends`)
without a base file beside it. Checked alone (from standard input), it stays
silent on files with `include:`, files where a service `extends` a service of
another `file:`, and override fragments: the network may be declared elsewhere.

## Why it matters
`docker compose` refuses the project ("service ... refers to undefined
network ..."). Networks must be declared once at the top level, even external
ones, so that Compose knows whether to create them.

## Example
```yaml
services:
  api:
    image: example/api
    networks: [backend]
networks:
  back-end: {}
```

## Use instead
```yaml
services:
  api:
    image: example/api
    networks: [backend]
networks:
  backend: {}
```

## References
- Compose Specification, service networks: https://docs.docker.com/reference/compose-file/services/#networks
- Compose Specification, top-level networks: https://docs.docker.com/reference/compose-file/networks/
"#,
};

impl ComposeRule for UndefinedNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let file = cx.file;
        if names_unknown(cx) {
            return;
        }
        let mut budget = SUGGESTIONS;
        // `default` is the network Compose creates; it needs no declaration.
        let refs = network_refs(file, false).into_iter().filter(|r| r.name != "default").collect();
        for (r, hint) in undeclared(cx, "networks", refs, &mut budget, |_| "; declare it there".into()) {
            let msg = format!(
                "service `{}` joins network `{}`, which is not declared under top-level `networks`{hint}",
                r.service, r.name
            );
            out.push(with_written(META.diagnostic(r.at, msg), r.written));
        }
    }
}
