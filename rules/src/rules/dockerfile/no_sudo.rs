use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct NoSudo;

static META: RuleMeta = RuleMeta {
    code: "DL3004",
    name: "no-sudo",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
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
None automatic: removing `sudo` runs the command as the current USER, which
may lack the rights it needs; the USER instructions have to be arranged by hand.

## References
- hadolint DL3004
- Dockerfile reference, USER: https://docs.docker.com/reference/dockerfile/#user
"#,
};

impl Rule for NoSudo {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for idx in 0..cx.file.instructions.len() {
            let Some(script) = cx.model.script(idx) else { continue };
            for cmd in script.named("sudo") {
                out.push(META.diagnostic(cmd.name.span, "remove `sudo`: set the user with a USER instruction instead"));
            }
        }
    }
}
