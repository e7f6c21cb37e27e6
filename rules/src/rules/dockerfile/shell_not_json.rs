use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct ShellNotJson;

static META: RuleMeta = RuleMeta {
    code: "BD2008",
    name: "shell-not-json",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Write SHELL as a JSON array",
    docs: r#"## What it checks
`SHELL` instructions whose argument is not a JSON array of strings, such as
`SHELL /bin/bash -c` or `SHELL ['/bin/bash', '-c']` (JSON needs double
quotes).

## Why it matters
Unlike `RUN` or `CMD`, `SHELL` has no shell form: the builder refuses it
("SHELL requires the arguments to be in JSON form") and the build stops.

## Example
```dockerfile
SHELL /bin/bash -o pipefail -c
```

## Use instead
```dockerfile
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
```

## Fix
Rewrites the words as a JSON array when they are plain words (no variables,
escapes or double quotes), or when the array was written with single quotes. Marked unsafe:
the instruction starts to work, which changes the shell of every later `RUN`.

## References
- Dockerfile reference, SHELL: https://docs.docker.com/reference/dockerfile/#shell
"#,
};

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Rule for ShellNotJson {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (_, inst) in cx.each(Keyword::Shell) {
            if inst.exec.is_some() || inst.rest_text().is_empty() {
                continue;
            }
            let span = inst.rest.full_span();
            let mut d = META.diagnostic(span, "SHELL must be a JSON array such as `[\"/bin/sh\", \"-c\"]`");
            let words = inst.words();
            // Single-quoted JSON-looking text: take the strings between the quotes.
            let text = inst.rest_text();
            let items: Vec<String> = if text.starts_with('[') && text.ends_with(']') {
                text[1..text.len() - 1]
                    .split(',')
                    .map(|p| p.trim().trim_matches('\'').to_string())
                    .filter(|p| !p.is_empty())
                    .collect()
            } else {
                words.iter().map(|w| w.value.clone()).collect()
            };
            let plain = !text.contains(['$', inst.escape, '"'])
                && inst.rest.is_single_segment()
                && !items.is_empty()
                && items.iter().all(|i| !i.contains(['\'', '[', ']', ',']) && !i.contains(char::is_whitespace));
            if plain {
                let json = format!("[{}]", items.iter().map(|i| json_string(i)).collect::<Vec<_>>().join(", "));
                d = d.with_fix(Fix::unsafe_(format!("Write `SHELL {json}`"), vec![Edit::replace(span, json)]));
            }
            out.push(d);
        }
    }
}
