use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::{Command, Script};
use crate::syntax::Instruction;
use crate::text::Span;

pub struct UseWorkdir;

static META: RuleMeta = RuleMeta {
    code: "DL3003",
    name: "use-workdir",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Use WORKDIR instead of cd to change directory",
    docs: r#"## What it checks
Every `cd` command in the shell of a RUN instruction: on the command line, in
heredoc scripts, in `sh -c '...'` bodies and in ONBUILD RUN triggers. Like
hadolint, berth also reports a `cd` inside a subshell such as
`(cd src && make)`, where the directory change cannot leak; if you use that
idiom on purpose, silence the finding with an ignore comment. RUN in exec form
and RUN under a non-POSIX SHELL are not looked at.

## Why it matters
A `cd` lasts only until the end of its RUN. The next instruction starts again
in the WORKDIR, which surprises readers who assume the change stuck, and long
chains of `cd a && ... && cd ../b` are hard to follow. `WORKDIR` makes the
directory explicit, applies to every later instruction (RUN, CMD, COPY with a
relative destination) and creates the directory when it is missing.

## Example
```dockerfile
RUN cd /usr/src/app && make install
```

## Use instead
```dockerfile
WORKDIR /usr/src/app
RUN make install
```

## Fix
When a RUN starts with `cd DIR && ...`, where `DIR` is an absolute path written
plainly (no variables, globs or `~`), berth offers to split it into
`WORKDIR DIR` and a RUN of the rest. Unsafe: the WORKDIR applies to every later
instruction of the stage (and to the container's start-up directory), where
the `cd` applied to this RUN only, and WORKDIR creates a missing directory
where `cd` would have failed. Not offered for RUN with heredocs or flags
(`--mount`, `--network`), for ONBUILD triggers, or when comment lines sit
between `cd` and the rest.

## References
- hadolint DL3003
- Dockerfile reference, WORKDIR: https://docs.docker.com/reference/dockerfile/#workdir
"#,
};

/// `cd /dir && rest` at the start of a plain RUN: replace with `WORKDIR /dir` and `RUN rest`.
fn leading_cd_fix(cx: &Context<'_, '_>, inst: &Instruction, script: &Script, cd: &Command) -> Option<Fix> {
    if inst.trigger.is_some() || !inst.heredocs.is_empty() || !inst.flags.is_empty() || inst.exec.is_some() {
        return None;
    }
    if script.has_error || !std::ptr::eq(script.commands.first()?, cd) {
        return None;
    }
    let text = &inst.rest.text;
    // The script is the RUN's own text here, so logical offsets index `text`.
    if text.len() != script.text.text.len() || !text.trim_start().starts_with("cd ") {
        return None;
    }
    let [dir] = cd.args.as_slice() else { return None };
    let plain = dir.raw == dir.value
        && crate::util::is_absolute_path(&dir.value)
        && !dir.value.contains(['$', '*', '?', '[', '~', '`', '\\']);
    if !plain {
        return None;
    }
    let after = text.get(cd.logical.1..)?;
    let rest = after.trim_start().strip_prefix("&&")?.trim_start();
    if rest.trim().is_empty() {
        return None;
    }
    let rest_logical = text.len() - rest.len();
    let end = inst.rest.source_offset(rest_logical);
    let region = Span::new(inst.keyword_span.start, end);
    // Comments are in file order: look at the first one at or after the start.
    let next_comment = cx.file.comments.partition_point(|c| c.span.start < region.start);
    if cx.file.comments.get(next_comment).is_some_and(|c| c.span.start < region.end) {
        return None;
    }
    let workdir = if inst.keyword_text.chars().all(|c| c.is_ascii_lowercase()) { "workdir" } else { "WORKDIR" };
    Some(Fix::unsafe_(
        format!("Move `cd {}` into a WORKDIR", dir.value),
        vec![Edit::replace(region, format!("{workdir} {}\n{} ", dir.value, inst.keyword_text))],
    ))
}

impl Rule for UseWorkdir {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            let Some(script) = cx.model.script(idx) else { continue };
            for cmd in script.named("cd") {
                let span = Span::new(cmd.name.span.start, cmd.span.end);
                let mut d = META
                    .diagnostic(span, "use WORKDIR to change directory; a `cd` lasts only until the end of this RUN");
                if let Some(fix) = leading_cd_fix(cx, inst, script, cmd) {
                    d = d.with_fix(fix);
                }
                out.push(d);
            }
        }
    }
}
