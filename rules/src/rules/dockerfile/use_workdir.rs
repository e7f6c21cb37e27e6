use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::text::Span;

pub struct UseWorkdir;

static META: RuleMeta = RuleMeta {
    code: "DL3003",
    name: "use-workdir",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
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
None automatic: moving a `cd` into a WORKDIR changes the directory of every
later instruction, which only the author can judge.

## References
- hadolint DL3003
- Dockerfile reference, WORKDIR: https://docs.docker.com/reference/dockerfile/#workdir
"#,
};

impl Rule for UseWorkdir {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for idx in 0..cx.file.instructions.len() {
            let Some(script) = cx.model.script(idx) else { continue };
            for cmd in script.named("cd") {
                let span = Span::new(cmd.name.span.start, cmd.span.end);
                out.push(
                    META.diagnostic(
                        span,
                        "use WORKDIR to change directory; a `cd` lasts only until the end of this RUN",
                    ),
                );
            }
        }
    }
}
