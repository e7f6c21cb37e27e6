use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::key_values;
use crate::syntax::Keyword;
use crate::text::Span;

pub struct LegacyKeyValueFormat;

static META: RuleMeta = RuleMeta {
    code: "BD1011",
    name: "legacy-key-value-format",
    severity: Severity::Warning,
    category: Category::Style,
    fix: FixAvailability::Sometimes,
    buildkit: Some("LegacyKeyValueFormat"),
    aliases: &[],
    default_enabled: true,
    summary: "Write ENV and LABEL as `key=value`, not `key value`",
    docs: r#"## What it checks
`ENV` and `LABEL` instructions in the old space-separated form, `ENV key value`,
where everything after the first word is the value. (`ARG a b` is not this
form: it declares two ARGs.)

## Why it matters
The old form sets exactly one variable and takes the rest of the line as its
value, spaces included, so `ENV A 1 B 2` sets `A` to `1 B 2`. It is
deprecated in favour of `key=value`, which can set several variables at once
and says where the value ends.

## Example
```dockerfile
ENV PATH /usr/local/bin:$PATH
ENV GREETING hello world
LABEL maintainer "Jane Doe"
```

## Use instead
```dockerfile
ENV PATH=/usr/local/bin:$PATH
ENV GREETING="hello world"
LABEL maintainer="Jane Doe"
```

## Fix
Replaces the space after the key with `=` and, when the value has spaces
outside quotes, wraps it in double quotes (escaping `"` and `\` and keeping
`$` references so they still expand). Safe: the variable or label gets the
same value. Not offered when the key is quoted or uses variables, or when a
value that needs re-quoting spans several lines.

## References
- BuildKit check LegacyKeyValueFormat: https://docs.docker.com/reference/build-checks/legacy-key-value-format/
- Dockerfile reference, ENV: https://docs.docker.com/reference/dockerfile/#env
"#,
};

/// Whether `raw` has whitespace outside quotes, and whether it has quotes or
/// escape characters at all.
fn scan(raw: &str, escape: char) -> (bool, bool) {
    let (mut ws, mut special) = (false, false);
    let mut quote: Option<char> = None;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match quote {
            None if c == '"' || c == '\'' => {
                special = true;
                quote = Some(c);
            }
            None if c == escape => {
                special = true;
                chars.next();
            }
            None if c.is_whitespace() => ws = true,
            Some('"') if c == escape => {
                special = true;
                chars.next();
            }
            Some(q) if c == q => quote = None,
            _ => {}
        }
    }
    (ws, special)
}

/// `raw` (a legacy value, escape `\`) rewritten as the inside of a
/// double-quoted string with the same meaning.
fn double_quoted(raw: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = raw.chars();
    let literal = |c: char, out: &mut String| {
        if matches!(c, '"' | '\\' | '$') {
            out.push('\\');
        }
        out.push(c);
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => literal(chars.next()?, &mut out),
            '\'' => loop {
                match chars.next()? {
                    '\'' => break,
                    c => literal(c, &mut out),
                }
            },
            '"' => loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => {
                        out.push('\\');
                        out.push(chars.next()?);
                    }
                    c => out.push(c),
                }
            },
            c => out.push(c),
        }
    }
    Some(out)
}

impl Rule for LegacyKeyValueFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for keyword in [Keyword::Env, Keyword::Label] {
            for (_, inst) in cx.each(keyword) {
                let kvs = key_values(inst);
                let [kv] = kvs else { continue };
                let (true, Some(value_span)) = (kv.legacy, kv.value_span) else { continue };
                let ws = inst.words();
                let Some(value_start) = ws.get(1).map(|w| w.logical.0) else { continue };
                let key_raw = cx.text(kv.key_span);
                let Some(value_raw) = inst.rest.text.get(value_start..inst.rest.text.trim_end().len()) else {
                    continue;
                };
                let kw = keyword.as_str();
                let mut d = META.diagnostic(
                    kv.key_span,
                    format!("`{kw} {key_raw} ...` is the legacy form; write `{kw} {key_raw}=...`"),
                );
                let gap = Span::new(kv.key_span.end, value_span.start);
                let plain_key = !key_raw.contains(['"', '\'', '$', inst.escape]);
                let (spaces, special) = scan(value_raw, inst.escape);
                let edits = if !plain_key || cx.text(gap).contains('#') {
                    None
                } else if !spaces {
                    Some(vec![Edit::replace(gap, "=")])
                } else if !special {
                    Some(vec![Edit::replace(gap, "=\""), Edit::insert(value_span.end, "\"")])
                } else if inst.escape == '\\' && inst.rest.slice(value_start, inst.rest.text.len()).is_single_segment()
                {
                    double_quoted(value_raw)
                        .map(|q| vec![Edit::replace(Span::new(gap.start, value_span.end), format!("=\"{q}\""))])
                } else {
                    None
                };
                if let Some(edits) = edits {
                    d = d.with_fix(Fix::safe(format!("Write `{key_raw}=...`"), edits));
                }
                out.push(d);
            }
        }
    }
}
