use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::Command;
use crate::text::Span;

pub struct NoSudo;

static META: RuleMeta = RuleMeta {
    code: "DL3004",
    name: "no-sudo",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Do not use sudo in RUN",
    docs: r#"## What it checks
Commands run through `sudo` in the shell of a RUN instruction, including
heredoc scripts, `sh -c '...'` bodies and ONBUILD RUN triggers. RUN in exec
form and RUN under a non-POSIX SHELL are not looked at.

## Why it matters
A build step already runs as the user chosen by the last `USER` instruction,
root by default, so `sudo` adds nothing but trouble: it has to be installed and
configured in the image (a set-uid binary that stays in the final image), it
may ask for a password or a terminal that a build does not have, and it changes
the environment and signal handling of the command it wraps. Switch users with
`USER` instead, and for dropping privileges when the container starts use a
tool made for it, such as `gosu` or `su-exec`.

## Example
```dockerfile
USER app
RUN sudo apt-get update && sudo apt-get install -y curl
```

## Use instead
```dockerfile
USER root
RUN apt-get update && apt-get install -y curl
USER app
```

## Fix
When `sudo` runs a plain command with at most options that do not change
whose rights the command gets (`-E`/`--preserve-env`, `-H`/`--set-home`,
`-n`/`--non-interactive`, `-S`/`--stdin`, `-P`/`--preserve-groups`,
`-k`/`--reset-timestamp`), berth offers to remove `sudo` and those options.
Unsafe: the command then runs as the current USER, which may lack rights it
had through `sudo`; move it before the `USER` instruction or add `USER root`
around it if so. Not offered for `sudo -u`/`-g` (another user or group), `-i`
and `-s` (a login or interactive shell), or other options.

## References
- hadolint DL3004
- Dockerfile reference, USER: https://docs.docker.com/reference/dockerfile/#user
"#,
};

/// Removing `sudo` and its options: the span from `sudo` to the command it runs.
fn drop_sudo(cx: &Context<'_, '_>, sudo: &Command) -> Option<Fix> {
    let mut target = None;
    let mut ended = false;
    for a in &sudo.args {
        let v = a.value.as_str();
        if !ended && v == "--" {
            ended = true;
            continue;
        }
        if !ended && v.starts_with("--") {
            let name = v.split('=').next().unwrap_or(v);
            if matches!(
                name,
                "--preserve-env"
                    | "--set-home"
                    | "--non-interactive"
                    | "--stdin"
                    | "--preserve-groups"
                    | "--reset-timestamp"
            ) {
                continue;
            }
            return None;
        }
        if !ended && let Some(group) = v.strip_prefix('-') {
            if !group.is_empty() && group.chars().all(|c| matches!(c, 'E' | 'H' | 'n' | 'S' | 'P' | 'k')) {
                continue;
            }
            return None;
        }
        target = Some(a);
        break;
    }
    let target = target?;
    let span = Span::new(sudo.name.span.start, target.span.start);
    // Comments are in file order: look at the first one at or after the start.
    let next_comment = cx.file.comments.partition_point(|c| c.span.start < span.start);
    if cx.file.comments.get(next_comment).is_some_and(|c| c.span.start < span.end) {
        return None;
    }
    Some(Fix::unsafe_("Remove sudo", vec![Edit::delete(span)]))
}

impl Rule for NoSudo {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for idx in 0..cx.file.instructions.len() {
            let Some(script) = cx.model.script(idx) else { continue };
            for cmd in script.named("sudo") {
                let mut d =
                    META.diagnostic(cmd.name.span, "remove `sudo`: set the user with a USER instruction instead");
                if let Some(fix) = drop_sudo(cx, cmd) {
                    d = d.with_fix(fix);
                }
                out.push(d);
            }
        }
    }
}
