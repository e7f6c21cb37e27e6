use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct MaintainerDeprecated;

static META: RuleMeta = RuleMeta {
    code: "DL4000",
    name: "maintainer-deprecated",
    severity: Severity::Error,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    buildkit: Some("MaintainerDeprecated"),
    aliases: &[],
    default_enabled: true,
    summary: "MAINTAINER is deprecated; use a LABEL",
    docs: r#"## What it checks
Any `MAINTAINER` instruction.

## Why it matters
`MAINTAINER` has been deprecated since Docker 1.13. It fills the image's
legacy `author` field, which tools and registries no longer show. The
standard place for this information is the OCI annotation
`org.opencontainers.image.authors`, set with `LABEL`, which every registry
and scanner understands and which can sit next to your other labels.

## Example
```dockerfile
MAINTAINER Jane Doe <jane@example.com>
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
```

## Fix
Replaces the instruction with `LABEL org.opencontainers.image.authors="..."`,
keeping the text as it was written: a value wrapped in one pair of quotes
loses those quotes, and `"`, `$` and the escape character are escaped so that
`LABEL` does not evaluate or split anything. The keyword is written in lower
case when `maintainer` was. Safe: the build steps are unchanged and the author
information is kept, moved to the label that replaces the deprecated field. Not
offered when the instruction spans several lines.

## References
- hadolint DL4000
- BuildKit check MaintainerDeprecated: https://docs.docker.com/reference/build-checks/maintainer-deprecated/
- Dockerfile reference, MAINTAINER: https://docs.docker.com/reference/dockerfile/#maintainer-deprecated
- OCI image annotations: https://github.com/opencontainers/image-spec/blob/main/annotations.md
"#,
};

/// Remove one pair of matching quotes around the whole text, when the inside
/// has no quote of the same kind.
fn strip_quotes(s: &str) -> &str {
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) && !s[1..s.len() - 1].contains(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

/// `value` as a double-quoted Dockerfile word that evaluates to exactly `value`.
fn quoted(value: &str, escape: char) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '$' || c == escape {
            out.push(escape);
        }
        out.push(c);
    }
    out.push('"');
    out
}

impl Rule for MaintainerDeprecated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for inst in &cx.file.instructions {
            if inst.keyword != Keyword::Maintainer {
                continue;
            }
            let mut d = META.diagnostic(
                inst.keyword_span,
                "MAINTAINER is deprecated; use `LABEL org.opencontainers.image.authors=\"...\"`",
            );
            let text = inst.rest.text.trim();
            if !text.is_empty() && inst.rest.is_single_segment() {
                let label = if inst.keyword_text.chars().all(|c| c.is_ascii_lowercase()) { "label" } else { "LABEL" };
                let value = quoted(strip_quotes(text), inst.escape);
                let rest_span = inst.rest.span(0, inst.rest.text.trim_end().len());
                d = d.with_fix(Fix::safe(
                    "Replace MAINTAINER with an org.opencontainers.image.authors label",
                    vec![
                        Edit::replace(inst.keyword_span, label),
                        Edit::replace(rest_span, format!("org.opencontainers.image.authors={value}")),
                    ],
                ));
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{Safety, Selection, fix_all};

    #[test]
    fn quotes_with_the_files_escape_character() {
        let src = "# escape=`\nFROM a:1\nMAINTAINER C:\\Users \"x\" $y\n";
        let fixed = fix_all(src, &Selection::only(&["DL4000"]), Safety::Safe);
        assert_eq!(
            fixed.text,
            "# escape=`\nFROM a:1\nLABEL org.opencontainers.image.authors=\"C:\\Users `\"x`\" `$y\"\n"
        );
    }
}
