use crate::engine::{
    Category, ComposeContext, ComposeRule, Diagnostic, Edit, Fix, FixAvailability, RuleMeta, Severity,
};
use crate::text::Span;

pub struct NoVersionField;

static META: RuleMeta = RuleMeta {
    code: "BC1002",
    name: "no-version-field",
    severity: Severity::Info,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "The top-level `version` field is obsolete",
    docs: r#"## What it checks
A top-level `version:` key.

## Why it matters
The Compose Specification ignores `version`; `docker compose` prints a warning
that it is obsolete. The field suggests a file format that no longer exists and
leads readers to look up the wrong documentation.

## Example
```yaml
version: "3.8"
services:
  web:
    image: nginx:1.27
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27
```

## Fix
Removes the `version:` line. Safe: Compose ignores the field. Offered when the
key starts its line and its value ends on the same or a later line with nothing
else after it.

## References
- dclint `no-version-field`
- Compose Specification, version: https://docs.docker.com/reference/compose-file/version-and-name/
"#,
};

impl ComposeRule for NoVersionField {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        let f = cx.file;
        for (k, v) in f.raw.entries() {
            if k.text != "version" {
                continue;
            }
            let mut d = META.diagnostic(k.span, "the `version` field is obsolete; Compose ignores it");
            let line = f.lines.line_of(k.span.start);
            let start = f.lines.line_start(line);
            let end_line = f.lines.line_of(v.span.end.max(k.span.end));
            let end = f.lines.line_span(&f.text, end_line).end;
            let rest = f.text.get(v.span.end.max(k.span.end)..end).unwrap_or("x").trim();
            if start == k.span.start && (rest.is_empty() || rest.starts_with('#')) {
                let next = f.lines.line_start(end_line + 1).max(end);
                d = d.with_fix(Fix::safe("Remove the `version` line", vec![Edit::delete(Span::new(start, next))]));
            }
            out.push(d);
        }
    }
}
