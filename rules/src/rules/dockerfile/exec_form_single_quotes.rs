use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::{Keyword, LogicalText, words};

pub struct ExecFormSingleQuotes;

static META: RuleMeta = RuleMeta {
    code: "BD1007",
    name: "exec-form-single-quotes",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::Always,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Exec form needs double quotes; single quotes make it a shell command",
    docs: r#"## What it checks
`RUN`, `CMD`, `ENTRYPOINT`, `SHELL` and `VOLUME` instructions (also as
`ONBUILD` triggers) whose arguments look like an exec-form array written with
single quotes, such as `CMD ['python', 'app.py']`: text that would be a valid
JSON array of strings if its single quotes were double quotes.

## Why it matters
Exec form must be JSON, and JSON strings only use double quotes. When the
array does not parse, the builder does not complain: it silently treats the
whole text as shell form. `CMD ['python', 'app.py']` then runs
`/bin/sh -c "['python', 'app.py']"`, which fails at container start with a
"not found" error. `SHELL` in this form fails the build, and `VOLUME` splits
the text at spaces, so the brackets and commas end up in the volume paths.

## Example
```dockerfile
ENTRYPOINT ['/usr/local/bin/docker-entrypoint.sh']
CMD ['postgres']
```

## Use instead
```dockerfile
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
```

## Fix
Turns each single-quoted string into a double-quoted one, escaping any `"`
inside it and unescaping `\'`, and leaves the rest of the text, line breaks
included, as it was. Offered only when the result parses as a JSON array.
Safe: the instruction then does what it was plainly written to do, where as
written it cannot work.

## References
- Dockerfile reference, shell and exec form: https://docs.docker.com/reference/dockerfile/#shell-and-exec-form
"#,
};

/// A replacement of the logical range `start..end` of the arguments.
type TextEdit = (usize, usize, &'static str);

/// The edits that turn single-quoted strings into JSON strings, and the
/// rewritten text. `None` when there is no single-quoted string or the quotes
/// do not balance.
fn rewrite(text: &str) -> Option<(Vec<TextEdit>, String)> {
    #[derive(PartialEq)]
    enum State {
        Outside,
        Single,
        Double,
    }
    let mut edits = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut state = State::Outside;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match state {
            State::Outside => match c {
                '\'' => {
                    state = State::Single;
                    edits.push((i, i + 1, "\""));
                    out.push('"');
                }
                '"' => {
                    state = State::Double;
                    out.push(c);
                }
                _ => out.push(c),
            },
            State::Single => match c {
                '\'' => {
                    state = State::Outside;
                    edits.push((i, i + 1, "\""));
                    out.push('"');
                }
                '"' => {
                    edits.push((i, i + 1, "\\\""));
                    out.push_str("\\\"");
                }
                '\\' => {
                    let (j, n) = chars.next()?;
                    if n == '\'' {
                        edits.push((i, j + 1, "'"));
                        out.push('\'');
                    } else {
                        out.push(c);
                        out.push(n);
                    }
                }
                _ => out.push(c),
            },
            State::Double => {
                out.push(c);
                match c {
                    '"' => state = State::Outside,
                    '\\' => out.push(chars.next()?.1),
                    _ => {}
                }
            }
        }
    }
    (state == State::Outside && !edits.is_empty()).then_some((edits, out))
}

impl Rule for ExecFormSingleQuotes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for inst in &cx.file.instructions {
            let inst = inst.effective();
            if !matches!(
                inst.keyword,
                Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell | Keyword::Volume
            ) || inst.exec.is_some()
            {
                continue;
            }
            let text = inst.rest.text.trim_end();
            if !text.starts_with('[') {
                continue;
            }
            let Some((edits, rewritten)) = rewrite(text) else { continue };
            if words::parse_json_array(&LogicalText::contiguous(&rewritten, 0)).is_none() {
                continue;
            }
            let consequence = match inst.keyword {
                Keyword::Shell => "SHELL does not get a JSON array and the build fails".to_string(),
                Keyword::Volume => {
                    "VOLUME splits the text at spaces and keeps the brackets and commas in the paths".to_string()
                }
                k => format!("this {} runs as a shell command, brackets included", k.as_str()),
            };
            let edits = edits.into_iter().map(|(a, b, t)| Edit::replace(inst.rest.span(a, b), t)).collect();
            out.push(
                META.diagnostic(
                    inst.rest.span(0, text.len()),
                    format!("single quotes are not JSON, so {consequence}; use double quotes"),
                )
                .with_fix(Fix::safe("Use double quotes", edits)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn rewrites_only_single_quoted_strings() {
        let (_, text) = rewrite(r#"['a "b"', "c'd", 'e\'f', 'g\\h']"#).unwrap();
        assert_eq!(text, r#"["a \"b\"", "c'd", "e'f", "g\\h"]"#);
        assert!(rewrite(r#"["a", "b"]"#).is_none());
        assert!(rewrite("['a").is_none());
    }
}
