use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;
use crate::syntax::words::var_refs;

pub struct EnvSelfReference;

static META: RuleMeta = RuleMeta {
    code: "DL3044",
    name: "env-self-reference",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "An ENV value cannot use a variable set earlier in the same ENV",
    docs: r#"## What it checks
`ENV` instructions (also in `ONBUILD`, which hadolint skips) where a value
refers to a variable set by an earlier pair of the same instruction:
`ENV APP=/srv/app DATA=$APP/data`.
A variable that refers to itself (`ENV PATH=/opt/bin:$PATH`) is fine, and so
is one whose earlier value is the same as the new one (setting it again
changes nothing).

hadolint also reports references to pairs that come later in the instruction
(those simply read the older value, as written) and stays silent whenever the
variable had any value before; berth reports exactly the references that read
a different value than the one just written beside them.

## Why it matters
Docker reads every value of one `ENV` before setting any of them, so
`DATA=$APP/data` uses the `APP` from before this line: usually empty, giving
`/data`. The image ends up with paths nobody wrote, and the mistake only shows
at run time.

## Example
```dockerfile
FROM python:3.12-slim
ENV APP_HOME=/srv/app APP_DATA=$APP_HOME/data
```

## Use instead
```dockerfile
FROM python:3.12-slim
ENV APP_HOME=/srv/app
ENV APP_DATA=$APP_HOME/data
```

## References
- hadolint DL3044
- Dockerfile reference, ENV: https://docs.docker.com/reference/dockerfile/#env
- Dockerfile reference, environment replacement: https://docs.docker.com/reference/dockerfile/#environment-replacement
"#,
};

impl Rule for EnvSelfReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.each(Keyword::Env) {
            let words = inst.words();
            // The legacy `ENV key value` form sets one variable.
            if words.first().is_none_or(|w| !w.raw.contains('=')) {
                continue;
            }
            // Variables set by earlier pairs, with their new values.
            let mut set: std::collections::HashMap<String, String> = std::collections::HashMap::new();
            for w in words {
                let Some(eq) = w.raw.find('=') else { continue };
                let key = crate::shell::unquote(&w.raw[..eq]);
                let value_text = inst.rest.slice(w.logical.0 + eq + 1, w.logical.1);
                for r in var_refs(&value_text, inst.escape) {
                    let Some(new) = set.get(&r.name) else { continue };
                    let before = cx.model.value(&r.name, idx);
                    if before.as_deref() == Some(new.as_str()) {
                        continue;
                    }
                    let reads = match &before {
                        Some(v) => format!("this still reads its previous value `{v}`"),
                        None => "this reads its value from before the ENV (not set in this file)".to_string(),
                    };
                    out.push(META.diagnostic(
                        r.span,
                        format!(
                            "`{}` is set earlier in this ENV, but {reads}; set `{}` in its own ENV above",
                            r.name, r.name
                        ),
                    ));
                }
                let value = w.value.split_once('=').map_or("", |(_, v)| v);
                set.insert(key, cx.model.expand(value, idx).value);
            }
        }
    }
}
