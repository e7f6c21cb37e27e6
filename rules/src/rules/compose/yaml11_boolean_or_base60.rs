use crate::compose::schema::SchemaNode;
use crate::compose::{Kind, Node, Style};
use crate::engine::{
    Category, ComposeContext, ComposeRule, Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity,
};

pub struct Yaml11BooleanOrBase60;

static META: RuleMeta = RuleMeta {
    code: "BC1003",
    name: "yaml11-boolean-or-base60",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::Always,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A YAML 1.1 boolean (`yes`, `off`) or base-60 number (`22:22`) whose meaning depends on the reader",
    docs: r#"## What it checks
- warning: a boolean field of the Compose schema (`tty`, `privileged`,
  `read_only`, `init`, `external`, `depends_on.*.required`, ...) written
  `yes`, `no`, `on`, `off`, `y` or `n` (any case, quoted or not);
- info: elsewhere, an unquoted `yes`, `no`, `on`, `off` (in YAML's spellings
  `Yes`, `YES`, ...) or an unquoted value that looks like `HH:MM` (`22:22`,
  `1:30:15`, each part after the first below 60).

## Why it matters
Docker Compose v2 reads YAML with go-yaml v3, which follows YAML 1.2: only
`true` and `false` are booleans, `yes` and `22:22` are strings (go-yaml v3
`resolve.go`). So:
- in a boolean field, Compose gets the string `yes` and converts it itself
  (compose-go `toBoolean`, applied to every string that goes into a Go
  `bool`): `yes`, `y`, `on` become `true`, `no`, `n`, `off` become `false`,
  and every `docker compose` command prints a warning that YAML 1.2 does not
  support them. Quoting does not help; `true`/`false` do;
- anywhere else (environment values, labels, command arguments, `ports`),
  Compose passes the string as written, which is usually what was meant:
  `REDIS_CLUSTER_CREATOR: yes` reaches the container as `yes`. Only YAML 1.1
  readers (docker-compose v1, PyYAML and the tools built on it) take `no` as
  `false` and `22:22` as the base-60 number 1342, so the same file means
  something else to them. That is a portability note, hence info.

## Example
```yaml
services:
  ssh:
    image: linuxserver/openssh-server
    tty: yes
    ports:
      - 22:22
    environment:
      ENABLE_SUDO: no
```

## Use instead
```yaml
services:
  ssh:
    image: linuxserver/openssh-server
    tty: true
    ports:
      - "22:22"
    environment:
      ENABLE_SUDO: "no"
```

## Fix
In a boolean field, writes `true` or `false`: safe, Compose reads the same
value, without its warning. Elsewhere, puts the value in double quotes: safe,
Compose reads the same string.

## References
- go-yaml v3 resolve (YAML 1.2 booleans): https://github.com/go-yaml/yaml/blob/v3/resolve.go
- compose-go `toBoolean` (loader/interpolate.go) and its `cast` decode hook (loader/mapstructure.go)
- YAML 1.1 bool type: https://yaml.org/type/bool.html
- YAML 1.1 base-60 integers: https://yaml.org/type/int.html
- Compose file reference, ports: https://docs.docker.com/reference/compose-file/services/#ports
"#,
};

const BOOLS: &[&str] = &["yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"];

/// YAML 1.1's sexagesimal integer: `[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`.
pub(crate) fn is_base60(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut parts = s.split(':');
    let Some(first) = parts.next() else { return false };
    let first_ok =
        first.starts_with(|c: char| ('1'..='9').contains(&c)) && first.chars().all(|c| c.is_ascii_digit() || c == '_');
    let mut n = 0;
    for p in parts {
        n += 1;
        let ok = match p.as_bytes() {
            [d] => d.is_ascii_digit(),
            [a, b] => (b'0'..=b'5').contains(a) && b.is_ascii_digit(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    first_ok && n > 0
}

/// The boolean compose-go makes of a YAML 1.1 word in a boolean field (its
/// `toBoolean`: case-insensitive, with a warning), or `None` for `true`/`false`
/// and anything else.
fn yaml11_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "y" | "yes" | "on" => Some(true),
        "n" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn check_node(cx: &ComposeContext<'_>, n: &Node, schema: Option<SchemaNode>, out: &mut Vec<Diagnostic>) {
    match &n.kind {
        Kind::Map(entries) => {
            for (k, v) in entries {
                check_node(cx, v, schema.as_ref().and_then(|s| s.child(&k.text)), out);
            }
        }
        Kind::Seq(items) => {
            for v in items {
                check_node(cx, v, schema.as_ref().and_then(|s| s.child("[]")), out);
            }
        }
        Kind::Scalar { text, style } => {
            let is_bool_field = schema.as_ref().is_some_and(SchemaNode::is_bool);
            if is_bool_field && let Some(b) = yaml11_bool(text) {
                let msg = format!(
                    "Compose reads `{text}` here as `{b}` but warns on every command that YAML 1.2 has no such boolean; write `{b}`"
                );
                out.push(
                    META.diagnostic(n.span, msg)
                        .with_fix(Fix::safe(format!("Write `{b}`"), vec![Edit::replace(n.span, b.to_string())])),
                );
                return;
            }
            if *style != Style::Plain || cx.text(n.span) != text {
                return;
            }
            let what = if BOOLS.contains(&text.as_str()) {
                "a boolean"
            } else if is_base60(text) {
                "a base-60 number"
            } else {
                return;
            };
            let msg = format!(
                "Compose reads the string `{text}` as written, but YAML 1.1 tools (docker-compose v1, PyYAML) read {what}; quote it if other tools read this file"
            );
            out.push(
                META.diagnostic(n.span, msg)
                    .with_severity(Severity::Info)
                    .with_fix(Fix::safe("Quote the value", vec![Edit::replace(n.span, format!("\"{text}\""))])),
            );
        }
        _ => {}
    }
}

impl ComposeRule for Yaml11BooleanOrBase60 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        check_node(cx, &cx.file.raw, Some(SchemaNode::root()), out);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn base60() {
        for s in ["22:22", "1:30:15", "190:20:30", "5:5"] {
            assert!(super::is_base60(s), "{s}");
        }
        for s in ["8080:80", "80", "0:22", "22:60", "a:22", "22:", "127.0.0.1:22:22"] {
            assert!(!super::is_base60(s), "{s}");
        }
    }
}
