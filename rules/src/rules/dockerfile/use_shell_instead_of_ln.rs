use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::text::Span;

pub struct UseShellInsteadOfLn;

static META: RuleMeta = RuleMeta {
    code: "DL4005",
    name: "use-shell-instead-of-ln",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Use SHELL to change the shell, not ln over /bin/sh",
    docs: r#"## What it checks
`ln` commands in RUN that create a link at `/bin/sh` (or `/usr/bin/sh`), such
as `ln -sf /bin/bash /bin/sh`: the link name, the last operand, is the shell.
Links that only point *to* `/bin/sh` (`ln -s /bin/sh /usr/local/bin/sh`) are
left alone; hadolint reports any `ln` that mentions `/bin/sh`. The link name
is evaluated from ARG/ENV values. Commands in heredoc scripts, `sh -c '...'`
bodies and ONBUILD RUN triggers count; RUN in exec form and RUN under a
non-POSIX SHELL are not looked at.

## Why it matters
Replacing `/bin/sh` changes the shell of every program in the image, not just
of the build: system scripts, package maintainer scripts and `system()` calls
of applications were written for the distribution's `sh` (dash on Debian and
Ubuntu) and may behave differently under bash. It is also invisible to anyone
reading the Dockerfile's later RUN lines. The `SHELL` instruction changes the
shell for the following RUN, CMD and ENTRYPOINT instructions of the
Dockerfile only, and says so where it happens.

## Example
```dockerfile
RUN ln -sf /bin/bash /bin/sh
RUN source /opt/venv/bin/activate && pip install -r requirements.txt
```

## Use instead
```dockerfile
SHELL ["/bin/bash", "-c"]
RUN source /opt/venv/bin/activate && pip install -r requirements.txt
```

## References
- hadolint DL4005
- Dockerfile reference, SHELL: https://docs.docker.com/reference/dockerfile/#shell
"#,
};

/// ln options that take a separate value.
const LN_VALUE_OPTIONS: &[&str] = &["-S", "--suffix", "-t", "--target-directory"];

impl Rule for UseShellInsteadOfLn {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for idx in 0..cx.file.instructions.len() {
            let Some(script) = cx.model.script(idx) else { continue };
            for cmd in script.named("ln") {
                if cmd.args.iter().any(|a| a.value == "-t" || a.value.starts_with("--target-directory")) {
                    continue;
                }
                let operands = cmd.operands(LN_VALUE_OPTIONS);
                let [_, .., last] = operands.as_slice() else { continue };
                let link = cx.model.expand(&last.value, idx).value;
                if matches!(link.trim_end_matches('/'), "/bin/sh" | "/usr/bin/sh") {
                    out.push(META.diagnostic(
                        Span::new(cmd.name.span.start, cmd.span.end),
                        "this replaces /bin/sh for every program in the image; use a SHELL instruction to change the shell of RUN",
                    ));
                }
            }
        }
    }
}
