use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::Command;
use crate::text::Span;

pub struct PipeToShell;

static META: RuleMeta = RuleMeta {
    code: "BD3002",
    name: "pipe-to-shell",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &["curl-pipe-sh"],
    default_enabled: true,
    summary: "Do not pipe a download straight into a shell",
    docs: r#"## What it checks
RUN instructions that run a script as it is being downloaded:

- `curl ... | sh`, `wget -O- ... | bash`, also through other commands of the
  same pipeline (`curl ... | tee log | sh`) and through `sudo`/`env`
  (`curl ... | sudo -E bash -`);
- `sh -c "$(curl ...)"`, `bash -c "$(wget -O- ...)"`, `eval "$(curl ...)"`;
- `bash <(curl ...)`, `source <(curl ...)`, `. <(curl ...)`.

The shells are `sh`, `bash`, `dash`, `ash`, `zsh` and `ksh`. A shell that runs
its own `-c` script reads the download as data, so `curl ... | sh -c 'cat > f'`
is not reported, nor are pipes into other programs (`| tar -xz`,
`| gpg --dearmor`). Pipes into other interpreters (`| python3 -`) are not
reported. Commands in heredoc scripts, `sh -c '...'` bodies and ONBUILD RUN
triggers are looked at too; RUN in exec form and under a non-POSIX SHELL are
not.

## Why it matters
Nothing checks what runs: the script is whatever the server (or anyone able
to tamper with the connection or the hosting) sends at build time, so two
builds of the same Dockerfile can run different code, and a compromised
install script gets root in the build. A download cut off halfway may also
run a truncated script, and without `pipefail` a failed download does not even
fail the step.

## Example
```dockerfile
RUN curl -fsSL https://example.com/install.sh | sh
```

## Use instead
Download the script (or better, a release archive) to a file, check it
against a checksum or signature you keep in the Dockerfile, then run it:

```dockerfile
ARG INSTALL_SHA256=3f1b1c0e0d9a5f6c2b7a8e4d1c0b9a8f7e6d5c4b3a291807f6e5d4c3b2a19080
RUN curl -fsSLo /tmp/install.sh https://example.com/v1.2.3/install.sh \
 && echo "${INSTALL_SHA256}  /tmp/install.sh" | sha256sum -c - \
 && sh /tmp/install.sh \
 && rm /tmp/install.sh
```

## References
- curl, `--output`: https://curl.se/docs/manpage.html#-o
- sha256sum(1): https://man7.org/linux/man-pages/man1/sha256sum.1.html
"#,
};

const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh"];

fn is_download(cmd: &Command) -> bool {
    cmd.is("curl") || cmd.is("wget")
}

/// The program a command really runs, skipping `sudo`/`env`/`doas` and their options.
fn runs_program(cmd: &Command) -> Option<(&str, &[crate::shell::ShellWord])> {
    let mut name = cmd.base_name();
    let mut args = cmd.args.as_slice();
    for _ in 0..4 {
        if !matches!(name, "sudo" | "env" | "doas" | "exec") {
            break;
        }
        // Skip options (and `-u user` style values) and VAR=value words.
        let mut i = 0;
        while let Some(a) = args.get(i) {
            let v = a.value.as_str();
            if v == "--" {
                i += 1;
                break;
            }
            if matches!(v, "-u" | "-g" | "-C" | "-h" | "-p" | "-U" | "-D" | "-r" | "-t") {
                i += 2;
            } else if v.starts_with('-')
                || (name == "env" && v.contains('='))
                || (name == "sudo" && v.contains('=') && !v.starts_with('/'))
            {
                i += 1;
            } else {
                break;
            }
        }
        let next = args.get(i)?;
        name = next.value.rsplit('/').next().unwrap_or(&next.value);
        args = &args[i + 1..];
    }
    Some((name, args))
}

/// A shell that reads its script from standard input: no `-c`, and no script
/// file operand unless `-s` says the operands are arguments.
fn shell_reading_stdin(cmd: &Command) -> bool {
    let Some((name, args)) = runs_program(cmd) else { return false };
    if !SHELLS.contains(&name) {
        return false;
    }
    let mut skip = false;
    for a in args {
        let v = a.value.as_str();
        if std::mem::take(&mut skip) {
            continue;
        }
        if v == "-" || v == "--" {
            return true;
        }
        if v.starts_with("--") {
            continue;
        }
        // The first operand is a script file to run.
        let Some(group) = v.strip_prefix('-') else { return false };
        if group.contains('c') {
            return false;
        }
        if group.contains('s') {
            return true;
        }
        // `-o pipefail`, `-euo pipefail`: the option's value is not an operand.
        skip = group.ends_with('o');
    }
    true
}

/// The source text between two commands, with line continuations and the
/// comment lines inside them removed.
fn gap_text(source: &str) -> String {
    let mut out = String::new();
    for line in source.split_inclusive('\n') {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let trimmed = line.trim_end_matches(['\r', '\n']).trim_end_matches([' ', '\t']);
        if let Some(joined) = trimmed.strip_suffix(['\\', '`']) {
            out.push_str(joined);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// `a | b`: the text between the two commands is one pipe of one pipeline.
/// `pipes` are the script's pipe operators sorted by position.
fn piped(pipes: &[Span], source_gap: &str, a: &Command, b: &Command) -> bool {
    if !(a.in_pipeline && b.in_pipeline) || a.span.end > b.span.start {
        return false;
    }
    let from = pipes.partition_point(|p| p.start < a.span.end);
    let to = pipes.partition_point(|p| p.end <= b.span.start);
    let pipes = to.saturating_sub(from);
    let gap = gap_text(source_gap).replace("|&", "|").replace(">&", ">");
    pipes == 1 && !gap.contains([';', '&', '(', ')', '{', '}', '\n', '`']) && !gap.contains("$(")
}

impl Rule for PipeToShell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for idx in 0..cx.file.instructions.len() {
            let Some(script) = cx.model.script(idx) else { continue };
            let cmds = &script.commands;
            let mut pipes = script.pipes.clone();
            pipes.sort_by_key(|p| p.start);
            let mut reported: Vec<Span> = Vec::new();
            for (i, dl) in cmds.iter().enumerate() {
                if !is_download(dl) {
                    continue;
                }
                // `curl ... | x | sh`: follow the pipeline to the right.
                if dl.in_pipeline {
                    let mut prev = dl;
                    for next in &cmds[i + 1..] {
                        // Commands nested inside the previous one (a `sh -c` body) are not next in line.
                        if next.span.start < prev.span.end {
                            continue;
                        }
                        let gap = cx.text(Span::new(prev.span.end, next.span.start));
                        if !piped(&pipes, gap, prev, next) {
                            break;
                        }
                        if shell_reading_stdin(next) {
                            let span = Span::new(dl.name.span.start, next.span.end);
                            out.push(META.diagnostic(span, format!(
                                "the output of `{}` runs as a script without any check; download to a file, verify its checksum or signature, then run it",
                                dl.base_name()
                            )));
                            reported.push(span);
                            break;
                        }
                        prev = next;
                    }
                }
            }
            // `sh -c "$(curl ...)"`, `eval "$(curl ...)"`, `bash <(curl ...)`, `. <(curl ...)`.
            let mut downloads: Vec<Span> = cmds.iter().filter(|c| is_download(c)).map(|c| c.span).collect();
            if downloads.is_empty() {
                continue;
            }
            downloads.sort_by_key(|d| (d.start, d.end));
            for cmd in cmds {
                let Some((name, args)) = runs_program(cmd) else { continue };
                let runs_arg = |a: &crate::shell::ShellWord| {
                    let subst = a.raw.contains("$(") || a.raw.contains('`');
                    let process = a.raw.starts_with("<(");
                    // A download command inside the word (sorted by start: one binary search).
                    let first = downloads.partition_point(|d| d.start < a.span.start);
                    let inner = downloads.get(first).is_some_and(|d| d.end <= a.span.end);
                    inner
                        && match name {
                            "eval" => subst,
                            "source" | "." => process,
                            n if SHELLS.contains(&n) => process || subst,
                            _ => false,
                        }
                };
                let target = match name {
                    n if SHELLS.contains(&n) => {
                        // The script is the word after -c, or the first operand (`bash <(curl ...)`).
                        match args.iter().position(|a| a.value == "-c") {
                            Some(p) => args.get(p + 1),
                            None => args.iter().find(|a| !a.value.starts_with('-') || a.raw.starts_with("<(")),
                        }
                    }
                    "eval" | "source" | "." => args.first(),
                    _ => None,
                };
                let Some(t) = target.filter(|t| runs_arg(t)) else { continue };
                let span = Span::new(cmd.name.span.start, t.span.end);
                // `reported` is in file order: only the last one starting at or before can contain it.
                let before = reported.partition_point(|r| r.start <= span.start);
                if before > 0 && reported.get(before - 1).is_some_and(|r| span.end <= r.end) {
                    continue;
                }
                out.push(META.diagnostic(
                    span,
                    "this runs a downloaded script without any check; download to a file, verify its checksum or signature, then run it",
                ));
            }
        }
    }
}
