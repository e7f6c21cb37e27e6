use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::text::Span;

pub struct ShellSyntaxError;

static META: RuleMeta = RuleMeta {
    code: "BD0002",
    name: "shell-syntax-error",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "The shell cannot parse this RUN script",
    docs: r#"## What it checks
The shell text of a shell-form `RUN` (and `ONBUILD RUN`) as the shell reads
it: the command line with its continuation lines joined, the heredocs it
reads, the body of `RUN <<EOF` or `RUN bash <<EOF` (unless a `#!` line names
another interpreter), and plain `sh -c '...'` bodies. Where the shell grammar
(tree-sitter-bash) cannot go on, berth reports the exact place: a command
starting with `&&` or `|`, an `if` without `fi`, a `(` or quote never closed,
a `do` without `done`.

Only RUNs under a POSIX-like `SHELL` are read (not PowerShell or cmd). What
BuildKit does before the shell sees the text is taken into account: escaped
newlines are joined, comment lines inside the instruction are dropped, and
exec-form RUN (`RUN ["..."]`) is not shell. The grammar is bash's, so a script
that only bash accepts passes even under `/bin/sh`.

## Why it matters
The build fails at this step with `syntax error near unexpected token`, after
every earlier step has run. It is also the most common way a hand-edited or
generated (AI) fix breaks a RUN: a `\` line continuation removed, an `&&`
left at the start of a command, a quote lost.

## Example
```dockerfile
RUN --mount=type=cache,target=/var/cache/apt \
    && apt-get update && apt-get install -y curl
```

## Use instead
```dockerfile
RUN --mount=type=cache,target=/var/cache/apt \
    apt-get update && apt-get install -y curl
```

## Fix
None automatic: what was meant cannot be known.

## References
- POSIX Shell Command Language, grammar: https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_10
- Dockerfile reference, RUN and heredocs: https://docs.docker.com/reference/dockerfile/#run
"#,
};

impl Rule for ShellSyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let text = &*cx.file.text;
        for idx in 0..cx.file.instructions.len() {
            let Some(script) = cx.model.script(idx) else { continue };
            let mut seen: Vec<Span> = Vec::new();
            for e in &script.errors {
                if seen.contains(&e.span) {
                    continue;
                }
                seen.push(e.span);
                // tree-sitter-bash takes a word starting with `[` at the start
                // of a command for a test `[ ... ]`; `['pip', 'x']` (exec form
                // written with single quotes, BD1007) is plain words to bash.
                if e.missing.is_none() && bracket_word(text, e.span.start) {
                    continue;
                }
                let message = match &e.missing {
                    Some(token) => {
                        let token = match token.trim() {
                            "word" | "command_name" | "variable_name" => "a command",
                            t => t,
                        };
                        let token = if token == "a command" { token.to_string() } else { format!("`{token}`") };
                        let near = text.get(e.span.start..).and_then(|t| t.split('\n').next()).unwrap_or("").trim();
                        if near.is_empty() {
                            format!("the shell cannot parse this script: {token} is missing at the end")
                        } else {
                            format!("the shell cannot parse this script: {token} is missing before `{}`", short(near))
                        }
                    }
                    None => match closer(e.text.trim()) {
                        Some(end) => format!(
                            "the shell cannot parse this script: this `{}` is never closed (`{end}` is missing)",
                            e.text.trim()
                        ),
                        None => {
                            format!("the shell cannot parse this script here: unexpected `{}`", short(e.text.trim()))
                        }
                    },
                };
                // A missing token is shown on the character where it was expected.
                let span = if e.span.is_empty() {
                    let end = text[e.span.start..].chars().next().filter(|c| *c != '\n').map_or(0, char::len_utf8);
                    Span::new(e.span.start, e.span.start + end)
                } else {
                    e.span
                };
                out.push(META.diagnostic(span, message));
            }
        }
    }
}

/// A `[` (or `[[`) followed by more word at `at`: a word, not a test.
fn bracket_word(text: &str, at: usize) -> bool {
    let rest = text.get(at..).unwrap_or("");
    let after = rest.trim_start_matches('[');
    rest.starts_with('[') && after.chars().next().is_some_and(|c| !c.is_whitespace())
}

fn short(s: &str) -> String {
    if s.chars().count() <= 40 { s.to_string() } else { format!("{}…", s.chars().take(39).collect::<String>()) }
}

/// The token that closes an opening one.
fn closer(open: &str) -> Option<&'static str> {
    Some(match open {
        "if" => "fi",
        "for" | "while" | "until" | "select" => "done",
        "case" => "esac",
        "{" => "}",
        "(" | "$(" => ")",
        "((" | "$((" => "))",
        "[[" => "]]",
        "\"" => "\"",
        "'" => "'",
        "`" => "`",
        _ => return None,
    })
}
