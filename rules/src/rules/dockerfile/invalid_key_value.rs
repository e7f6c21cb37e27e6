use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::key_values;
use crate::syntax::{Instruction, Keyword};
use crate::text::Span;

pub struct InvalidKeyValue;

static META: RuleMeta = RuleMeta {
    code: "BD2009",
    name: "invalid-key-value",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "ENV, LABEL and ARG pairs need a name, a value where required, and closed quotes",
    docs: r#"## What it checks
- a quote that is never closed in an `ENV`, `LABEL` or `ARG` (`ENV A="x`);
- a pair with an empty name (`ENV =value`, `ARG =1`);
- `ENV` or `LABEL` with a name but no value (`ENV PATH`);
- in the `key=value` form of `ENV` and `LABEL`, a word without `=`
  (`ENV A=1 B`).

## Why it matters
The builder refuses the instruction ("ENV names can not be blank", "ENV must
have two arguments", "can't find = in", "unexpected end of statement while
looking for matching double-quote") and the build stops.

## Example
```dockerfile
ENV APP_HOME=/srv/app DEBUG
LABEL description="My app
```

## Use instead
```dockerfile
ENV APP_HOME=/srv/app DEBUG=1
LABEL description="My app"
```

## References
- Dockerfile reference, ENV: https://docs.docker.com/reference/dockerfile/#env
- Dockerfile reference, LABEL: https://docs.docker.com/reference/dockerfile/#label
"#,
};

/// The position of a quote that is never closed in `text`, if any.
fn unterminated_quote(text: &str, escape: char) -> Option<(usize, char)> {
    let mut quote: Option<(usize, char)> = None;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match quote {
            None if c == escape => {
                chars.next();
            }
            None if c == '"' || c == '\'' => quote = Some((i, c)),
            Some((_, '"')) if c == escape => {
                chars.next();
            }
            Some((_, q)) if c == q => quote = None,
            _ => {}
        }
    }
    quote
}

fn check_one(inst: &Instruction, out: &mut Vec<Diagnostic>) {
    let kw = inst.keyword.as_str();
    if let Some((at, q)) = unterminated_quote(&inst.rest.text, inst.escape) {
        out.push(META.diagnostic(
            inst.rest.span(at, at + 1),
            format!("this `{q}` in {kw} is never closed; add the closing `{q}`"),
        ));
        return;
    }
    for w in inst.words().iter().filter(|w| w.raw.starts_with('=')) {
        out.push(META.diagnostic(
            Span::new(w.span.start, w.span.start + 1),
            format!("{} {kw} pair needs a name before `=`", if inst.keyword == Keyword::Label { "a" } else { "an" }),
        ));
    }
    if inst.keyword == Keyword::Arg {
        return;
    }
    for kv in key_values(inst) {
        if kv.value.is_some() || kv.key.is_empty() {
            continue;
        }
        let message = if kv.legacy {
            format!("{kw} `{}` has no value; write `{kw} {}=<value>`", kv.key, kv.key)
        } else {
            format!("`{}` has no `=`; every word of `{kw} key=value ...` needs one", kv.key)
        };
        out.push(META.diagnostic(kv.key_span, message));
    }
}

impl Rule for InvalidKeyValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for inst in &cx.file.instructions {
            let inst = inst.effective();
            if matches!(inst.keyword, Keyword::Env | Keyword::Label | Keyword::Arg) {
                check_one(inst, out);
            }
        }
    }
}
