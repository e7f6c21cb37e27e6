use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::{Base, ImageRef};
use crate::shell::{Command, Script};
use crate::text::Span;

pub struct PipefailBeforePipe;

static META: RuleMeta = RuleMeta {
    code: "DL4006",
    name: "pipefail-before-pipe",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::Sometimes,
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
Unsafe, and offered only where berth knows which shell runs the RUN, because
the shell decides whether `pipefail` exists at all (Debian's and Ubuntu's
`/bin/sh` is dash, which rejects `set -o pipefail` and would fail the build):

- When the RUN's shell is known to support `pipefail` — a SHELL of `bash`,
  `zsh`, `ksh`, `mksh` or `ash`, or the default `/bin/sh` of an Alpine base
  (BusyBox ash) or of a Fedora, CentOS, Rocky, Alma, Oracle, Amazon Linux or
  UBI base (bash) — it inserts `set -o pipefail && ` at the start of that RUN.
  This changes that one RUN only. Not offered for heredoc RUNs or when the
  pipe sits inside a quoted `sh -c` string.
- When the base image is a Debian or Ubuntu based official image (`debian`,
  `ubuntu`, `buildpack-deps`, and the non-Alpine, non-Windows tags of `python`,
  `node`, `golang`, `ruby`, `rust`, `perl`, `php`, `gcc`,
  `eclipse-temurin`), where bash is always installed, it inserts
  `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` on the line before the first
  such RUN of the stage. This changes the shell of every later RUN and
  shell-form CMD/ENTRYPOINT of the stage (and of stages built from it) from
  dash to bash; scripts that rely on dash's `echo` interpreting backslashes
  behave differently, so review the result.
- Otherwise (other or unknown base images, ONBUILD triggers) no fix is offered.

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

/// What the default `/bin/sh` of a base image is, as far as berth knows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DefaultSh {
    /// Supports `set -o pipefail` (BusyBox ash, bash).
    Pipefail,
    /// dash, with bash installed next to it.
    DashWithBash,
    Unknown,
}

fn default_sh(image: &ImageRef) -> DefaultSh {
    let registry = image.registry.as_deref().unwrap_or("docker.io").to_ascii_lowercase();
    let repo = image.repository.to_ascii_lowercase();
    let tag = image.tag.as_deref().unwrap_or("latest").to_ascii_lowercase();
    if repo.contains('$') || tag.contains('$') || registry.contains('$') {
        return DefaultSh::Unknown;
    }
    let hub = matches!(registry.as_str(), "docker.io" | "index.docker.io" | "registry-1.docker.io");
    let official = repo.strip_prefix("library/").unwrap_or(&repo);
    if hub && (official == "alpine" || tag.contains("alpine")) {
        return DefaultSh::Pipefail;
    }
    let rhel_hub = ["fedora", "centos", "rockylinux", "almalinux", "amazonlinux", "oraclelinux"];
    let ubi = repo.rsplit('/').next().is_some_and(|n| n.starts_with("ubi"))
        && (registry == "registry.access.redhat.com"
            || registry == "registry.redhat.io"
            || repo.starts_with("redhat/"));
    if (hub && rhel_hub.contains(&official)) || ubi {
        return DefaultSh::Pipefail;
    }
    let debian = [
        "debian",
        "ubuntu",
        "buildpack-deps",
        "python",
        "node",
        "golang",
        "ruby",
        "rust",
        "perl",
        "php",
        "gcc",
        "eclipse-temurin",
    ];
    let other_os = ["alpine", "windows", "nanoserver", "servercore", "ubi", "oraclelinux"];
    if hub && debian.contains(&official) && !other_os.iter().any(|o| tag.contains(o)) {
        return DefaultSh::DashWithBash;
    }
    DefaultSh::Unknown
}

/// The image at the root of a stage chain.
fn root_image<'m>(cx: &'m Context<'_, '_>, stage: usize) -> Option<&'m ImageRef> {
    let mut s = cx.model.stages.get(stage)?;
    for _ in 0..cx.model.stages.len() {
        match &s.base {
            Base::Image(img) => return Some(img),
            Base::Stage(p) if *p < s.index => s = cx.model.stages.get(*p)?,
            _ => return None,
        }
    }
    None
}

fn is_default_shell(shell: &[String]) -> bool {
    shell.first().is_some_and(|p| p == "/bin/sh" || p == "sh")
}

fn pipefail_capable(shell: &[String]) -> bool {
    let prog = shell.first().map(|p| p.rsplit('/').next().unwrap_or(p)).unwrap_or("");
    matches!(prog, "bash" | "zsh" | "ksh" | "mksh" | "ash")
}

/// `set -o pipefail && ` at the start of a RUN, when the pipe is on its own command line.
fn prefix_fix(cx: &Context<'_, '_>, idx: usize, script: &Script, pipe: Span) -> Option<Fix> {
    let inst = cx.file.instructions.get(idx)?;
    if inst.trigger.is_some() || !inst.heredocs.is_empty() || script.has_error {
        return None;
    }
    if script.commands.iter().any(|c| c.args.iter().any(|a| a.span.start <= pipe.start && pipe.end <= a.span.end)) {
        return None;
    }
    let lead = inst.rest.text.len() - inst.rest.text.trim_start().len();
    if inst.rest.text.trim().is_empty() {
        return None;
    }
    let at = inst.rest.source_offset(lead);
    Some(Fix::unsafe_("Turn on pipefail in this RUN", vec![Edit::insert(at, "set -o pipefail && ")]))
}

/// `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` on the line before the RUN.
fn shell_fix(cx: &Context<'_, '_>, idx: usize) -> Option<Fix> {
    let inst = cx.file.instructions.get(idx)?;
    if inst.trigger.is_some() {
        return None;
    }
    let line = cx.file.lines.line_of(inst.keyword_span.start);
    let at = cx.file.lines.line_start(line);
    // Only when the RUN starts its line, so the new line goes right before it.
    if !cx.text(Span::new(at, inst.keyword_span.start)).chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let keyword = if inst.keyword_text.chars().all(|c| c.is_ascii_lowercase()) { "shell" } else { "SHELL" };
    Some(Fix::unsafe_(
        "Switch the stage to bash with pipefail",
        vec![Edit::insert(at, format!("{keyword} [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"))],
    ))
}

impl Rule for PipefailBeforePipe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let roots: Vec<DefaultSh> =
            (0..cx.model.stages.len()).map(|s| root_image(cx, s).map_or(DefaultSh::Unknown, default_sh)).collect();
        // Stages that already got a SHELL insertion in this pass.
        let mut shell_inserted = vec![false; cx.model.stages.len()];
        for idx in 0..cx.file.instructions.len() {
            let Some(script) = cx.model.script(idx) else { continue };
            let shell = &cx.model.info[idx].shell;
            if sets_pipefail(shell.iter().map(String::as_str)) {
                continue;
            }
            let Some(pipe) = unguarded_pipe(script) else { continue };
            let mut d = META.diagnostic(
                pipe,
                "a failure on the left of this pipe is ignored; turn on pipefail first, e.g. `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`",
            );
            let stage = cx.model.info[idx].stage;
            let base = stage.and_then(|s| roots.get(s).copied()).unwrap_or(DefaultSh::Unknown);
            let fix = if pipefail_capable(shell) || (is_default_shell(shell) && base == DefaultSh::Pipefail) {
                prefix_fix(cx, idx, script, pipe)
            } else if is_default_shell(shell) && base == DefaultSh::DashWithBash {
                match stage.and_then(|s| shell_inserted.get_mut(s)) {
                    Some(done) if !*done => {
                        let f = shell_fix(cx, idx);
                        *done = f.is_some();
                        f
                    }
                    _ => None,
                }
            } else {
                None
            };
            if let Some(f) = fix {
                d = d.with_fix(f);
            }
            out.push(d);
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
