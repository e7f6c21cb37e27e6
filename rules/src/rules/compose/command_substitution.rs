use super::refs::part_place;
use super::with_written;
use crate::compose::{Kind, Node};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct CommandSubstitution;

static META: RuleMeta = RuleMeta {
    code: "BC1020",
    name: "command-substitution-not-run",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A value holds `$(...)`, which Compose passes on as text instead of running it",
    docs: r#"## What it checks
Service values that contain a shell command substitution `$(...)`:
`user: "$(id -u):$(id -g)"`, `- BUILD_DATE=$(date)`,
`- ./data-$(hostname):/data`. A `$$(` is an escaped `$` (the container
receives `$(`) and is not reported.

Not looked at: `command`, `entrypoint`, `healthcheck`, `post_start` and
`pre_stop` hooks, and `develop` (where the text usually reaches a shell in the
container, as in `CMD-SHELL`), and extension (`x-`) keys.

## Why it matters
Compose runs no shell over the file. Its interpolation (compose-go
`template`) knows `$NAME`, `${NAME...}` and `$$`; any other `$`, including
`$(`, is kept as text. `user: "$(id -u)"` asks the Engine for a user literally
named `$(id -u)` and the container does not start; an environment variable
gets the text `$(date)` instead of a date.

## Example
```yaml
services:
  app:
    image: example/app
    user: "$(id -u):$(id -g)"
```

## Use instead
Run the command in the shell that starts Compose and pass the result as a
variable (or write it to `.env`):
```yaml
# UID=$(id -u) GID=$(id -g) docker compose up
services:
  app:
    image: example/app
    user: "${UID}:${GID}"
```

## References
- Compose Specification, interpolation: https://docs.docker.com/reference/compose-file/interpolation/
- compose-go `template` package: https://github.com/compose-spec/compose-go/blob/main/template/template.go
"#,
};

/// Service keys whose text usually reaches a shell in the container.
const SHELL_KEYS: &[&str] = &["command", "entrypoint", "healthcheck", "post_start", "pre_stop", "develop"];

/// The byte range of the first unescaped `$(...)` in `s` (to its `)` when on
/// the same value, else to the end).
pub(crate) fn substitution(s: &str) -> Option<std::ops::Range<usize>> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            match b.get(i + 1) {
                Some(b'$') => i += 2,
                Some(b'(') => {
                    let mut depth = 0usize;
                    let end = b[i + 1..]
                        .iter()
                        .position(|&c| {
                            match c {
                                b'(' => depth += 1,
                                b')' => depth -= 1,
                                _ => {}
                            }
                            depth == 0
                        })
                        .map_or(b.len(), |p| i + 1 + p + 1);
                    return Some(i..end);
                }
                _ => i += 1,
            }
        } else {
            i += 1;
        }
    }
    None
}

impl ComposeRule for CommandSubstitution {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Kind::Map(entries) = &s.node.kind else { continue };
            for (k, v) in entries {
                if SHELL_KEYS.contains(&k.text.as_str()) || k.text.starts_with("x-") {
                    continue;
                }
                let mut path = k.text.clone();
                visit(cx, &s.name, &mut path, v, out);
            }
        }
    }
}

fn visit(cx: &ComposeContext<'_>, service: &str, path: &mut String, node: &Node, out: &mut Vec<Diagnostic>) {
    match &node.kind {
        Kind::Map(entries) => {
            for (k, v) in entries {
                if k.text.starts_with("x-") {
                    continue;
                }
                let len = path.len();
                path.push('.');
                path.push_str(&k.text);
                visit(cx, service, path, v, out);
                path.truncate(len);
            }
        }
        Kind::Seq(items) => items.iter().for_each(|i| visit(cx, service, path, i, out)),
        Kind::Scalar { text, .. } => {
            let Some(range) = substitution(text) else { return };
            let shown = &text[range.clone()];
            let (at, written) = part_place(cx.file, node, range.clone());
            let msg = format!(
                "`{shown}` in `{path}` of service `{service}` is not run: Compose runs no shell and passes it on as text; run it before Compose and pass the result as a variable (`${{NAME}}`)"
            );
            out.push(with_written(META.diagnostic(at, msg), written));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds() {
        assert_eq!(substitution("$(id -u):$(id -g)"), Some(0..8));
        assert_eq!(substitution("a=$(echo $(date))"), Some(2..17));
        assert_eq!(substitution("$$(date)"), None);
        assert_eq!(substitution("$$$(date)"), Some(2..9));
        assert_eq!(substitution("${A}$(b"), Some(4..7));
        assert_eq!(substitution("$A (b)"), None);
    }
}
