use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::{Command, Script};

pub struct PipefailBeforePipe;

static META: RuleMeta = RuleMeta {
    code: "DL4006",
    name: "pipefail-before-pipe",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Set -o pipefail in SHELL before a RUN with a pipe",
    docs: r#"## What it checks
RUN instructions whose shell contains a pipe (`a | b`) while the SHELL in force
does not turn on `pipefail`. A SHELL counts when it passes `-o pipefail`
(also as part of a group such as `-eo pipefail`), for example
`SHELL ["/bin/bash", "-o", "pipefail", "-c"]`; it applies to the rest of its
stage and to stages built `FROM` that stage. A RUN that itself runs
`set -o pipefail` (or `set -euo pipefail`) before its first pipe is fine too.

Like hadolint, berth reports RUN under the default `/bin/sh` as well. RUN in
exec form and RUN under a non-POSIX SHELL (PowerShell, cmd) are not looked at.
A SHELL set by the base image is not known to berth.

## Why it matters
A pipeline's exit status is that of its last command. In
`RUN curl -fsSL https://example.com/install.sh | sh` a failed download still
gives `sh` an empty script, `sh` succeeds, and the build carries on with a
broken image. With `pipefail` the pipeline fails when any of its commands
fails, so the build stops where the problem is.

## Example
```dockerfile
FROM debian:12
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
```

## Use instead
```dockerfile
FROM debian:12
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
```

On Alpine, whose `/bin/sh` is BusyBox `ash`, use
`SHELL ["/bin/ash", "-o", "pipefail", "-c"]`.

## Fix
None automatic: which shell to switch to depends on the base image (Debian's
`/bin/sh` is dash, which may not know `pipefail`).

## References
- hadolint DL4006
- Dockerfile reference, SHELL: https://docs.docker.com/reference/dockerfile/#shell
"#,
};

/// True when the option words turn on pipefail: `-o pipefail` or a group ending in `o`.
fn sets_pipefail<'a>(words: impl IntoIterator<Item = &'a str>) -> bool {
    let mut prev_is_o = false;
    for w in words {
        if prev_is_o && w == "pipefail" {
            return true;
        }
        prev_is_o = w
            .strip_prefix('-')
            .is_some_and(|f| !f.starts_with('-') && f.ends_with('o') && f.chars().all(|c| c.is_ascii_alphabetic()));
        if w == "-opipefail" {
            return true;
        }
    }
    false
}

fn set_pipefail_command(cmd: &Command) -> bool {
    cmd.is("set") && sets_pipefail(cmd.args.iter().map(|a| a.value.as_str()))
}

/// The first pipe not preceded by `set -o pipefail` in the same script.
fn unguarded_pipe(script: &Script) -> Option<crate::text::Span> {
    let first = script.pipes.iter().min_by_key(|p| p.start)?;
    let guarded = script.commands.iter().any(|c| set_pipefail_command(c) && c.span.end <= first.start);
    (!guarded).then_some(*first)
}

impl Rule for PipefailBeforePipe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for idx in 0..cx.file.instructions.len() {
            let Some(script) = cx.model.script(idx) else { continue };
            if sets_pipefail(cx.model.info[idx].shell.iter().map(String::as_str)) {
                continue;
            }
            if let Some(pipe) = unguarded_pipe(script) {
                out.push(META.diagnostic(
                    pipe,
                    "a failure on the left of this pipe is ignored; turn on pipefail first, e.g. `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sets_pipefail;

    #[test]
    fn pipefail_options() {
        assert!(sets_pipefail(["/bin/bash", "-o", "pipefail", "-c"]));
        assert!(sets_pipefail(["/bin/bash", "-euxo", "pipefail", "-c"]));
        assert!(!sets_pipefail(["/bin/bash", "-c"]));
        assert!(!sets_pipefail(["/bin/bash", "-o", "errexit", "-c", "pipefail"]));
        assert!(!sets_pipefail(["/bin/bash", "--o", "pipefail"]));
    }
}
