use super::quoted_volume::reads_same_unquoted;
use super::refs::part_place;
use super::with_written;
use crate::compose::{Kind, Node, Style};
use crate::engine::{
    Category, ComposeContext, ComposeRule, Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity,
};

pub struct QuotedListValue;

static META: RuleMeta = RuleMeta {
    code: "BC1019",
    name: "quotes-kept-in-list-value",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A `KEY=\"value\"` entry of a list keeps its quotes in the value",
    docs: r#"## What it checks
Entries of the list form of a service's `environment`, `labels`,
`annotations`, `build.args`, `build.labels` and `deploy.labels` whose value
(the text after the first `=`) starts and ends with the same quote character:
`- TZ="Europe/Berlin"`, `- MODE='fast'`, `- EMPTY=""`.

Not reported: quotes around the whole entry (`- "TZ=Europe/Berlin"`, which
are YAML's and removed when the file is read), the mapping form
(`TZ: '"Europe/Berlin"'`, where inner quotes are clearly meant), and entries
without `=`.

## Why it matters
Compose splits a list entry at its first `=` and keeps the rest as written
(compose-go `transform/mapping.go`, `types.NewMappingWithEquals`); no shell
or `.env` parser removes quotes there. `- TZ="Europe/Berlin"` sets `TZ` to
`"Europe/Berlin"`, quotes included, which no time zone database knows, so
the service silently runs in UTC; a quoted password no longer matches, a
quoted port is not a number. `.env` files and `docker run -e` on a shell
line do remove such quotes, which is why the habit carries over.

## Example
```yaml
services:
  web:
    image: nginx:1.27
    environment:
      - TZ="Europe/Berlin"
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27
    environment:
      - TZ=Europe/Berlin
```

## Fix
Removes the two quote characters. Unsafe, as it changes the value the
service receives (to the one that was meant). Offered when the entry is
written in place (not through an alias) without escapes and reads back as
the same string.

## References
- Compose Specification, environment: https://docs.docker.com/reference/compose-file/services/#environment
- compose-go `types.NewMappingWithEquals`: https://github.com/compose-spec/compose-go/blob/main/types/mapping.go
"#,
};

/// Key paths (below a service) whose list form is `KEY=VALUE` entries.
const LISTS: &[&[&str]] =
    &[&["environment"], &["labels"], &["annotations"], &["build", "args"], &["build", "labels"], &["deploy", "labels"]];

/// The byte range of a quoted value (quotes included) in a `KEY=VALUE` entry.
pub(crate) fn quoted_value(entry: &str) -> Option<std::ops::Range<usize>> {
    let eq = entry.find('=')?;
    let value = &entry[eq + 1..];
    let q = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    (value.len() >= 2 && value.ends_with(q)).then(|| eq + 1..entry.len())
}

impl ComposeRule for QuotedListValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            for path in LISTS {
                let Some(list) = path.iter().try_fold(&s.node, |n, k| n.get(k)) else { continue };
                if !matches!(list.kind, Kind::Seq(_)) {
                    continue;
                }
                let what = path.join(".");
                for item in list.items() {
                    if let Some(d) = finding(cx, &s.name, &what, item) {
                        out.push(d);
                    }
                }
            }
        }
    }
}

fn finding(cx: &ComposeContext<'_>, service: &str, what: &str, item: &Node) -> Option<Diagnostic> {
    let Kind::Scalar { text, style } = &item.kind else { return None };
    let range = quoted_value(text)?;
    let key = &text[..range.start - 1];
    let value = &text[range.clone()];
    let inner = &value[1..value.len() - 1];
    let (at, written) = part_place(cx.file, item, range.clone());
    let msg = format!(
        "`{key}` in `{what}` of service `{service}` is set to `{value}`, quotes included: Compose keeps the text after `=` as written; remove the quotes"
    );
    let mut d = with_written(META.diagnostic(at, msg), written);
    // Exact bytes of the value, written in place: remove the quotes there.
    let exact = written.is_none() && at.end - at.start == range.len() && cx.text(at) == value;
    let plain_ok = *style != Style::Plain || (inner.trim() == inner && reads_same_unquoted(&format!("{key}={inner}")));
    if exact && plain_ok {
        d = d.with_fix(Fix::unsafe_("Remove the quotes", vec![Edit::replace(at, inner)]));
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(quoted_value("TZ=\"Europe/Berlin\""), Some(3..18));
        assert_eq!(quoted_value("A=''"), Some(2..4));
        assert_eq!(quoted_value("A=\"x'"), None);
        assert_eq!(quoted_value("A=\""), None);
        assert_eq!(quoted_value("A=x\"y\""), None);
        assert_eq!(quoted_value("\"A\""), None);
    }
}
