use super::{walk, yaml_quote};
use crate::compose::{Kind, Style};
use crate::engine::{
    Category, ComposeContext, ComposeRule, Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity,
};

pub struct TypographicQuotes;

static META: RuleMeta = RuleMeta {
    code: "BC1004",
    name: "typographic-quotes",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::Always,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A value is wrapped in typographic quotes (‘ ’ “ ”) instead of YAML quotes",
    docs: r#"## What it checks
Unquoted values that start or end with a typographic quote: `‘`, `’`, `“` or `”`,
as word processors, chat tools and some web pages produce when text is copied
from them.

## Why it matters
YAML does not treat typographic quotes as quotes: they become part of the value.
`image: “nginx:1.27”` asks for an image whose name starts with `“`, and
`POSTGRES_PASSWORD: ‘secret’` sets a password with quote characters in it.

## Example
```yaml
services:
  web:
    image: “nginx:1.27”
```

## Use instead
```yaml
services:
  web:
    image: "nginx:1.27"
```

## Fix
Removes the typographic quotes at both ends and quotes the rest with straight
quotes. Safe: the value becomes the one that was meant.

## References
- YAML 1.2, flow scalars: https://yaml.org/spec/1.2.2/#flow-scalar-styles
"#,
};

const QUOTES: &[char] = &['‘', '’', '“', '”'];

impl ComposeRule for TypographicQuotes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        walk(&cx.file.raw, &mut |_, n| {
            let Kind::Scalar { text, style: Style::Plain } = &n.kind else { return };
            if !(text.starts_with(QUOTES) || text.ends_with(QUOTES)) {
                return;
            }
            let inner = text.trim_start_matches(QUOTES).trim_end_matches(QUOTES);
            let mut d = META
                .diagnostic(n.span, "typographic quotes are part of the value in YAML; use straight quotes (\" or ')");
            if cx.text(n.span) == text {
                d = d.with_fix(Fix::safe("Use straight quotes", vec![Edit::replace(n.span, yaml_quote(inner))]));
            }
            out.push(d);
        });
    }
}
