use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;
use crate::util::is_absolute_path;

pub struct WorkdirAbsolutePath;

static META: RuleMeta = RuleMeta {
    code: "DL3000",
    name: "workdir-absolute-path",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
    buildkit: Some("WorkdirRelativePath"),
    aliases: &[],
    default_enabled: true,
    summary: "Give WORKDIR an absolute path",
    docs: r#"## What it checks
`WORKDIR` instructions (also as `ONBUILD` triggers) whose path is relative.
Variables are evaluated from ARG/ENV defaults first, so `WORKDIR $APP_HOME`
is judged by what `APP_HOME` holds; a path whose variables have no known value
is left alone. Paths starting with `/` and Windows paths with a drive letter
(`C:\app`, `C:/app`) count as absolute.

This is stricter than BuildKit's WorkdirRelativePath, which only warns about a
relative `WORKDIR` before any absolute one in the stage; berth, like hadolint,
reports every relative `WORKDIR`, since even one after an absolute `WORKDIR`
makes the reader work out where it points.

## Why it matters
A relative `WORKDIR` is resolved against whatever working directory is in
force at that point, which may come from the base image or from an earlier
`WORKDIR` far up the file. Changing either one silently moves every later
`COPY`, `RUN` and the container's start directory. An absolute path says
exactly where things go.

## Example
```dockerfile
FROM node:22-slim
WORKDIR app
```

## Use instead
```dockerfile
FROM node:22-slim
WORKDIR /app
```

## Fix
When the working directory before the instruction is known from an earlier
absolute `WORKDIR` in the stage (or in the stage it is built on), and the path
is written without variables, replaces the path by the absolute path it
resolves to: `WORKDIR /srv` then `WORKDIR app` becomes `WORKDIR /srv/app`.
Unsafe: the earlier `WORKDIR` may itself use build arguments whose defaults
are not what every build passes. Without a known directory (or in `ONBUILD`)
there is no fix.

## References
- hadolint DL3000
- BuildKit check WorkdirRelativePath: https://docs.docker.com/reference/build-checks/workdir-relative-path/
- Dockerfile reference, WORKDIR: https://docs.docker.com/reference/dockerfile/#workdir
"#,
};

/// Remove one pair of matching quotes around the whole text.
fn strip_quotes(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

impl Rule for WorkdirAbsolutePath {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.each(Keyword::Workdir) {
            let written = inst.rest.text.trim_end();
            if written.is_empty() {
                continue;
            }
            let expanded = cx.model.expand(written, idx);
            if !expanded.unresolved.is_empty() {
                continue;
            }
            let path = strip_quotes(&expanded.value);
            if path.is_empty() || is_absolute_path(path) {
                continue;
            }
            let span = inst.rest.span(0, written.len());
            let shown = if strip_quotes(written) == path {
                String::new()
            } else {
                format!(" (`{written}` evaluates to `{path}`)")
            };
            let example = path.strip_prefix("./").unwrap_or(path);
            let advice = if example.starts_with(['.', '~']) || example.is_empty() {
                "use an absolute path".to_string()
            } else {
                format!("use an absolute path such as `/{example}`")
            };
            let mut d = META.diagnostic(span, format!("relative WORKDIR path `{path}`{shown}; {advice}"));
            // The directory in force before this instruction, for the fix.
            let before = idx.checked_sub(1).and_then(|p| cx.model.info.get(p)).and_then(|i| i.workdir.as_deref());
            let own = cx.file.instructions.get(idx).is_some_and(|i| i.keyword == Keyword::Workdir);
            if let Some(base) = before.filter(|b| b.starts_with('/'))
                && own
                && shown.is_empty()
            {
                let absolute = join(base, path);
                let quote = written.chars().next().filter(|c| matches!(c, '"' | '\'') && written.len() >= 2);
                let new_text = match quote {
                    Some(q) => format!("{q}{absolute}{q}"),
                    None if absolute.contains(char::is_whitespace) => format!("\"{absolute}\""),
                    None => absolute.clone(),
                };
                d = d.with_fix(Fix::unsafe_(
                    format!("Write the absolute path `{absolute}`"),
                    vec![Edit::replace(span, new_text)],
                ));
            }
            out.push(d);
        }
    }
}

/// `base` (absolute) joined with the relative `path`, with `.` and `..` resolved.
fn join(base: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in base.split('/').chain(path.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}
