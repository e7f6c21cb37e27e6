use super::refs::{
    Ref, declared, extends_other_file, grant_refs, has_partner, is_fragment, key_place, network_refs, partners_read,
    uses_default_network, volume_refs,
};
use super::with_written;
use crate::compose::ComposeFile;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use std::collections::HashSet;

pub struct UnusedDeclaration;

static META: RuleMeta = RuleMeta {
    code: "BC4005",
    name: "unused-declaration",
    severity: Severity::Info,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A top-level network, volume, config or secret is declared but no service uses it",
    docs: r#"## What it checks
Keys of the top-level `networks`, `volumes`, `configs` and `secrets` that no
service refers to:
- a network is used by a service's `networks` or by `build.network`; the
  `default` network is also used by every service that has neither
  `networks` nor `network_mode`;
- a volume is used as the source of a named volume in a service's `volumes`;
- a config by a service's `configs`; a secret by a service's `secrets` or
  `build.secrets`.

Declarations marked `external: true` are reported too: Compose does not
create them, but a declaration that nothing uses still only adds noise. A
service whose references are written with variables (`${NET}`) counts as
using nothing in particular, so declarations it might use can be reported;
silence them with an ignore comment.

When berth checks a file in its folder, uses in the rest of the project
count too: a declaration of `compose.yaml` used only by a service of
`compose.override.yaml` (or the other way round), of an included file or of a
later YAML document is used.

The rule stays silent when a service of any of these files `extends` a
service of another `file:` (the settings merged from there may use the
declaration), when the override or base file beside this one cannot be read,
and on override fragments (no services, or a service with neither `image`,
`build` nor `extends`) whose base file berth did not find: their declarations
serve the files they are merged with.

## Why it matters
Unused declarations are usually left over from a removed service or a
renamed reference. Compose still creates unused networks and volumes, and a
reader has to check every service to learn that nothing needs them.

## Example
```yaml
services:
  web:
    image: nginx:1.27
volumes:
  cache: {}
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27
```

## References
- Compose Specification, top-level networks: https://docs.docker.com/reference/compose-file/networks/
- Compose Specification, top-level volumes: https://docs.docker.com/reference/compose-file/volumes/
- Compose Specification, configs: https://docs.docker.com/reference/compose-file/configs/
- Compose Specification, secrets: https://docs.docker.com/reference/compose-file/secrets/
"#,
};

impl ComposeRule for UnusedDeclaration {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let file = cx.file;
        // Every file whose services may use this file's declarations: this one,
        // the override or base file, included files and later documents.
        let files: Vec<&ComposeFile> = std::iter::once(file).chain(cx.project.others.iter().map(|o| &o.file)).collect();
        // Settings merged from a service of another file may use a declaration.
        if files.iter().any(|f| extends_other_file(f)) {
            return;
        }
        // A fragment's declarations serve the files it is merged with: known
        // only when berth read the override or base file beside it.
        let silent = if cx.project.gathered() {
            !partners_read(cx) || (is_fragment(file) && !has_partner(cx))
        } else {
            is_fragment(file)
        };
        if silent {
            return;
        }
        for (section, what) in
            [("networks", "network"), ("volumes", "volume"), ("configs", "config"), ("secrets", "secret")]
        {
            let decl = declared(file, section);
            if decl.is_empty() {
                continue;
            }
            let refs: Vec<Ref<'_>> = files
                .iter()
                .flat_map(|f| match section {
                    "networks" => network_refs(f, true),
                    "volumes" => volume_refs(f),
                    _ => grant_refs(f, section),
                })
                .collect();
            let mut used: HashSet<&str> = refs.iter().map(|r| r.name.as_str()).collect();
            if section == "networks" && files.iter().flat_map(|f| &f.services).any(|s| uses_default_network(&s.node)) {
                used.insert("default");
            }
            for (k, v) in decl {
                if k.text.starts_with("x-") || used.contains(k.text.as_str()) {
                    continue;
                }
                let external =
                    if v.get("external").is_some_and(|e| e.compose_bool() != Some(false)) { "external " } else { "" };
                let (at, written) = key_place(k);
                let msg = format!(
                    "{external}{what} `{}` is declared under `{section}` but no service uses it; remove it or use it",
                    k.text
                );
                out.push(with_written(META.diagnostic(at, msg), written));
            }
        }
    }
}
