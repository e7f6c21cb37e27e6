use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::text::Span;

pub struct PointlessCommandInRun;

static META: RuleMeta = RuleMeta {
    code: "DL3001",
    name: "pointless-command-in-run",
    severity: Severity::Info,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Do not run interactive or system-management tools in RUN",
    docs: r#"## What it checks
Commands in the shell of a RUN instruction that belong to an interactive
session or to managing a running machine: `ssh`, `vim`, `shutdown`, `service`,
`ps`, `free`, `top`, `kill`, `mount` and `ifconfig`. Commands on the command
line, in heredoc scripts, in `sh -c '...'` bodies and in ONBUILD RUN triggers
are looked at. Installing such a tool (`apt-get install -y vim`) is not
reported; only running it is. RUN in exec form and RUN under a non-POSIX SHELL
are not looked at.

hadolint's message names `ifconfig` but its check leaves it out; berth checks
it too.

## Why it matters
A RUN step executes once, without a terminal, in a throw-away container whose
result is saved as a layer. An editor waits for input that never comes;
`service x start` starts a daemon that dies when the step ends, so nothing of
it reaches the image; `shutdown`, `mount` and `ifconfig` act on a machine the
build does not control (and usually lack the privileges to); `ps`, `top` and
`free` only print facts about the build container. Such commands either hang
or fail the build, or do nothing useful, and they often show that a step was
copied from an interactive session.

## Example
```dockerfile
RUN service postgresql start && psql -c 'CREATE DATABASE app'
```

## Use instead
Configure services to start with the container (its `CMD`/`ENTRYPOINT`, or
an init script run at start-up), and do interactive work in a running
container (`docker exec`), not in the Dockerfile.

## References
- hadolint DL3001
- Docker build best practices: https://docs.docker.com/build/building/best-practices/
"#,
};

const POINTLESS: &[&str] = &["free", "ifconfig", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"];

impl Rule for PointlessCommandInRun {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for idx in 0..cx.file.instructions.len() {
            let Some(script) = cx.model.script(idx) else { continue };
            for cmd in &script.commands {
                let name = cmd.base_name();
                if !POINTLESS.contains(&name) {
                    continue;
                }
                let why = match name {
                    "vim" | "top" => "it waits for a terminal that a build does not have",
                    "ssh" => "a build step should not log in to other machines",
                    "service" => "a service started here stops when this step ends",
                    "ps" | "free" => "it only describes the throw-away build container",
                    "kill" => "processes of this step end with it anyway",
                    _ => "it manages a machine that the build does not control",
                };
                out.push(META.diagnostic(
                    Span::new(cmd.name.span.start, cmd.span.end),
                    format!("`{name}` makes no sense in an image build: {why}"),
                ));
            }
        }
    }
}
