use super::walk;
use crate::compose::{Kind, Style};
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
    summary: "An unquoted value that YAML 1.1 reads as a boolean or a base-60 number",
    docs: r#"## What it checks
Unquoted values `yes`, `no`, `on`, `off` (in any of YAML's spellings: `Yes`,
`YES`, ...) and unquoted values that look like `HH:MM` (`22:22`, `1:30:15`,
each part after the first below 60).

## Why it matters
YAML 1.1 readers (PyYAML, old `docker-compose` 1.x, many tools that read Compose
files) take `no` as `false` and `22:22` as the base-60 number 1342. Go's YAML
and YAML 1.2 readers take them as strings. The same file means different things
to different tools: a port mapping `22:22` became port 1342, and `DEBUG: no`
became `DEBUG=False`. Docker's documentation has long said to quote port
mappings.

## Example
```yaml
services:
  ssh:
    image: linuxserver/openssh-server
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
    ports:
      - "22:22"
    environment:
      ENABLE_SUDO: "no"
```

## Fix
Puts the value in double quotes. Safe: Compose reads the same string.

## References
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

impl ComposeRule for Yaml11BooleanOrBase60 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        walk(&cx.file.raw, &mut |_, n| {
            let Kind::Scalar { text, style: Style::Plain } = &n.kind else { return };
            if cx.text(n.span) != text {
                return;
            }
            let msg = if BOOLS.contains(&text.as_str()) {
                format!("`{text}` is a boolean to YAML 1.1 tools and a string to Compose; quote it")
            } else if is_base60(text) {
                format!("`{text}` is a base-60 number to YAML 1.1 tools and a string to Compose; quote it")
            } else {
                return;
            };
            out.push(
                META.diagnostic(n.span, msg)
                    .with_fix(Fix::safe("Quote the value", vec![Edit::replace(n.span, format!("\"{text}\""))])),
            );
        });
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
