use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::{Base, Stage, is_posix_shell};
use crate::syntax::Keyword;

pub struct JsonArgsRecommended;

static META: RuleMeta = RuleMeta {
    code: "DL3025",
    name: "json-args-recommended",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
    buildkit: Some("JSONArgsRecommended"),
    aliases: &[],
    default_enabled: true,
    summary: "Write CMD and ENTRYPOINT in exec (JSON) form",
    docs: r#"## What it checks
`CMD` and `ENTRYPOINT` instructions (also as `ONBUILD` triggers) written in
shell form, such as `CMD python app.py`, instead of exec form,
`CMD ["python", "app.py"]`. Text that starts with `[` but is not a valid JSON
array is shell form too, and is reported with its own message.

BuildKit's JSONArgsRecommended stays quiet once a shell has been set
explicitly, by a `SHELL` instruction or in the base image's configuration;
berth, like hadolint, reports shell form whatever the shell.

## Why it matters
In shell form the builder stores the command as `/bin/sh -c "<text>"` (or the
stage's `SHELL`). The shell becomes PID 1 and the application runs as its
child, and the shell does not pass on `SIGTERM`: `docker stop` waits for its
timeout and then kills the application without a chance to shut down cleanly.
A shell-form `ENTRYPOINT` also ignores `CMD` and any arguments given to
`docker run`.

## Example
```dockerfile
CMD gunicorn --bind 0.0.0.0:8000 app:wsgi
```

## Use instead
```dockerfile
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:wsgi"]
```
If you need shell features such as variables or `&&`, call the shell
explicitly and end with `exec`, so the application replaces the shell:
```dockerfile
CMD ["/bin/sh", "-c", "exec gunicorn --bind 0.0.0.0:$PORT app:wsgi"]
```

## Fix
Rewrites the arguments as a JSON array, one string per word. Offered only when
the text is plain words under a POSIX shell: no variables, quotes, escapes,
globs, redirections, operators, comments or leading assignments, and a first
word that is a program rather than a shell builtin, so splitting on spaces
gives exactly the arguments the shell would have passed.

For `CMD` the fix is safe when no `ENTRYPOINT` is set in the stage or the
stages it is built on: the same program then runs with the same arguments,
directly instead of under a shell. It is unsafe for `ENTRYPOINT` (in exec form
it starts receiving `CMD` and `docker run` arguments, which shell form drops),
for a `CMD` that an `ENTRYPOINT` receives as arguments, and for `ONBUILD`
triggers.

## References
- hadolint DL3025
- BuildKit check JSONArgsRecommended: https://docs.docker.com/reference/build-checks/json-args-recommended/
- Dockerfile reference, shell and exec form: https://docs.docker.com/reference/dockerfile/#shell-and-exec-form
"#,
};

/// Characters that make shell form differ from a plain split on spaces.
const SHELL_SYNTAX: &[char] =
    &['$', '\'', '"', '\\', '`', '*', '?', '[', ']', ';', '&', '|', '<', '>', '(', ')', '~', '#', '{', '}', '!'];

/// Words that only exist inside a shell, so exec form could not run them.
const SHELL_ONLY: &[&str] = &[
    ":", ".", "alias", "bg", "break", "case", "cd", "command", "continue", "declare", "do", "done", "elif", "else",
    "eval", "exec", "exit", "export", "fg", "for", "function", "getopts", "hash", "if", "jobs", "local", "read",
    "readonly", "return", "select", "set", "shift", "source", "then", "time", "times", "trap", "type", "typeset",
    "ulimit", "umask", "unalias", "unset", "until", "wait", "while",
];

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether an ENTRYPOINT is set in `stage` or a stage it is built on.
fn entrypoint_in_chain(cx: &Context<'_, '_>, stage: &Stage) -> bool {
    let mut stage = stage;
    loop {
        if cx.model.stage_instructions(stage).any(|(_, i)| i.keyword == Keyword::Entrypoint) {
            return true;
        }
        match stage.base {
            Base::Stage(p) if p < stage.index => stage = &cx.model.stages[p],
            _ => return false,
        }
    }
}

impl Rule for JsonArgsRecommended {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, top) in cx.file.instructions.iter().enumerate() {
            let inst = top.effective();
            if !matches!(inst.keyword, Keyword::Cmd | Keyword::Entrypoint)
                || inst.exec.is_some()
                || !inst.flags.is_empty()
            {
                continue;
            }
            let text = inst.rest.text.trim_end();
            if text.is_empty() {
                continue;
            }
            let keyword = inst.keyword.as_str();
            let span = inst.rest.span(0, text.len());
            if text.starts_with('[') {
                out.push(META.diagnostic(
                    span,
                    format!("this {keyword} is not a valid JSON array, so it runs as a shell command; write it as a JSON array of double-quoted strings"),
                ));
                continue;
            }
            let shell = cx.model.info.get(idx).map(|i| i.shell.clone()).unwrap_or_default();
            let shown_shell = if shell.is_empty() { "/bin/sh -c".to_string() } else { shell.join(" ") };
            let mut d = META.diagnostic(
                span,
                format!("{keyword} in shell form runs under `{shown_shell}`, which does not pass on stop signals; use exec form (a JSON array)"),
            );

            let words: Vec<&str> = text.split_whitespace().collect();
            let plain = !text.contains(SHELL_SYNTAX)
                && !text.contains(inst.escape)
                && words.first().is_some_and(|w| !w.contains('=') && !SHELL_ONLY.contains(w))
                && is_posix_shell(&shell);
            // Comments are in source order: look only at those from this span on.
            let first = cx.file.comments.partition_point(|c| c.span.start < span.start);
            let comment_inside = cx.file.comments[first..]
                .iter()
                .take_while(|c| c.span.start < span.end)
                .any(|c| c.inside_instruction && c.span.end <= span.end);
            if plain && !comment_inside {
                let array = format!("[{}]", words.iter().map(|w| json_string(w)).collect::<Vec<_>>().join(", "));
                let direct_cmd = inst.keyword == Keyword::Cmd && top.trigger.is_none();
                let no_entrypoint = cx.model.stage_of(idx).is_some_and(|s| !entrypoint_in_chain(cx, s));
                let title = format!("Rewrite as `{keyword} {array}`");
                let fix = if direct_cmd && no_entrypoint {
                    Fix::safe(title, vec![Edit::replace(span, array)])
                } else {
                    Fix::unsafe_(title, vec![Edit::replace(span, array)])
                };
                d = d.with_fix(fix);
            }
            out.push(d);
        }
    }
}
