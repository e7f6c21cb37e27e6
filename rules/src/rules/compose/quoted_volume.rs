use crate::compose::{Kind, Node, Style};
use crate::engine::{
    Category, ComposeContext, ComposeRule, Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity,
};

pub struct QuotedVolume;

static META: RuleMeta = RuleMeta {
    code: "BC1008",
    name: "no-quotes-in-volumes",
    severity: Severity::Style,
    category: Category::Style,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &["quoted-volume"],
    default_enabled: false,
    summary: "A service's volume entry is written in quotes",
    docs: r#"## What it checks
Entries of a service's `volumes` list in the short syntax
(`source:target[:mode]`) written in single or double quotes. Entries that
anchors or merges bring into a service are reported where they are written.
Off by default: a matter of house style.

## Why it matters
Volume entries are strings whichever way they are written, so the quotes add
nothing; a file that quotes some entries and not others reads as if the quoted
ones were special. dclint users who keep volumes unquoted can enforce it with
this rule.

## Example
```yaml
services:
  db:
    image: postgres:17
    volumes:
      - "db-data:/var/lib/postgresql/data"
```

## Use instead
```yaml
services:
  db:
    image: postgres:17
    volumes:
      - db-data:/var/lib/postgresql/data
```

## Fix
Removes the quotes. Safe: offered only when the text reads back as the same
string without them (no escapes, no `: ` or ` #`, no leading indicator
character, nothing YAML would read as a number, boolean or null) and the list
is a block list.

## References
- Compose Specification, volumes: https://docs.docker.com/reference/compose-file/services/#volumes
- dclint `no-quotes-in-volumes`
"#,
};

/// True when `v` written plain in a block collection reads back as the same string.
pub(crate) fn reads_same_unquoted(v: &str) -> bool {
    let Some(first) = v.chars().next() else { return false };
    if v.trim() != v || v.chars().any(char::is_control) || "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if v.contains(": ") || v.contains(" #") || v.ends_with(':') {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if matches!(lower.as_str(), "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n") {
        return false;
    }
    // Numbers, base-60 numbers, dates and the like.
    let numberish = |c: char| c.is_ascii_digit() || "+-._:eExXoObBtTzZ ".contains(c);
    !(v.chars().all(numberish) && (first.is_ascii_digit() || first == '+' || first == '.'))
}

/// The text between the quotes when it is exactly the value (no escapes).
fn inner<'a>(src: &'a str, value: &str) -> Option<&'a str> {
    src.get(1..src.len().checked_sub(1)?).filter(|i| *i == value)
}

impl ComposeRule for QuotedVolume {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut seen = std::collections::HashSet::new();
        for s in &cx.file.services {
            let Some(volumes) = s.node.get("volumes") else { continue };
            let block = !cx.text(volumes.span).starts_with('[');
            for item in volumes.items() {
                let Kind::Scalar { text, style: Style::SingleQuoted | Style::DoubleQuoted } = &item.kind else {
                    continue;
                };
                if !seen.insert(item.span.start) {
                    continue;
                }
                out.push(self.finding(cx, &s.name, item, text, block));
            }
        }
    }
}

impl QuotedVolume {
    fn finding(&self, cx: &ComposeContext<'_>, service: &str, item: &Node, text: &str, block: bool) -> Diagnostic {
        let msg = format!("volume `{text}` of service `{service}` is quoted; write it without quotes");
        let mut d = META.diagnostic(item.span, msg);
        if let Some(via) = item.via {
            d = d.with_related(via, format!("brought into service `{service}` here"));
        }
        if block && reads_same_unquoted(text) && inner(cx.text(item.span), text).is_some() {
            d = d.with_fix(Fix::safe("Remove the quotes", vec![Edit::replace(item.span, text)]));
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_safety() {
        for ok in ["./data:/data", "db:/var/lib/x:ro", "${PWD}/a:/b", "/var/run/docker.sock:/var/run/docker.sock"] {
            assert!(reads_same_unquoted(ok), "{ok}");
        }
        for bad in ["", " a", "a: b", "a #b", "*x", "yes", "12:30", "1e3", "-x", "a:", "@a", "null", "'a'"] {
            assert!(!reads_same_unquoted(bad), "{bad}");
        }
    }
}
