use super::yaml_quote;
use crate::compose::{Kind, Style};
use crate::engine::{
    Category, ComposeContext, ComposeRule, Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity,
};

pub struct UnquotedPort;

static META: RuleMeta = RuleMeta {
    code: "BC1011",
    name: "require-quotes-in-ports",
    severity: Severity::Style,
    category: Category::Style,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &["unquoted-port"],
    default_enabled: false,
    summary: "A port in `ports` or `expose` is not quoted",
    docs: r#"## What it checks
Short-syntax entries of a service's `ports` and `expose` lists written
without quotes (`- 8080:80`, `- 3000`). Single and double quotes are both
accepted. Entries that anchors or merges bring into a service are reported
where they are written. Off by default: a matter of house style.

## Why it matters
An unquoted `xx:yy` where both parts are below 60 is a base-60 number to
YAML 1.1 parsers: `22:22` reads as 1342 and the mapping is lost or mangled.
Quoting every port keeps the list uniform and out of that trap.

## Example
```yaml
services:
  ssh:
    image: example/sshd:9.6
    ports:
      - 2222:22
    expose:
      - 3000
```

## Use instead
```yaml
services:
  ssh:
    image: example/sshd:9.6
    ports:
      - "2222:22"
    expose:
      - "3000"
```

## Fix
Wraps the entry in double quotes. Safe: Compose reads a port the same way
whether it is a number or a string.

## References
- Compose Specification, ports: https://docs.docker.com/reference/compose-file/services/#ports
- Compose Specification, expose: https://docs.docker.com/reference/compose-file/services/#expose
- dclint `require-quotes-in-ports` (its `quoteType` option defaults to single quotes and reports double-quoted ports; berth accepts both)
"#,
};

/// The lists whose entries must be quoted.
const SECTIONS: &[&str] = &["ports", "expose"];

impl ComposeRule for UnquotedPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut seen = std::collections::HashSet::new();
        for s in &cx.file.services {
            for section in SECTIONS {
                let Some(list) = s.node.get(section) else { continue };
                for item in list.items() {
                    let Kind::Scalar { text, style: Style::Plain } = &item.kind else { continue };
                    if item.is_null() || !seen.insert(item.span.start) {
                        continue;
                    }
                    let msg =
                        format!("{section} entry `{text}` of service `{}` is not quoted; write it in quotes", s.name);
                    let mut d = META.diagnostic(item.span, msg);
                    if let Some(via) = item.via {
                        d = d.with_related(via, format!("brought into service `{}` here", s.name));
                    }
                    if cx.text(item.span) == text {
                        d = d.with_fix(Fix::safe("Quote the port", vec![Edit::replace(item.span, yaml_quote(text))]));
                    }
                    out.push(d);
                }
            }
        }
    }
}
