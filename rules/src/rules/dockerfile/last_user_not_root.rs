use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::Base;
use crate::syntax::{Instruction, Keyword};

pub struct LastUserNotRoot;

static META: RuleMeta = RuleMeta {
    code: "DL3002",
    name: "last-user-not-root",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "The final image should not run as root",
    docs: r#"## What it checks
The user the final image runs as. berth looks at the last `USER` instruction of
the last stage, the one that produces the image. When that stage has no `USER`
and is built `FROM` an earlier stage, the user comes from that stage (and so on
up the chain). The finding is reported when the user is `root` or UID `0`,
with or without a group (`root:root`, `0:0`, `root:wheel`). Variables are
evaluated first; a user given through a variable with no known value is left
alone.

Builder stages are never reported: their user does not reach the running
container, and installing packages there as root is normal. hadolint judges
the last `USER` of every stage, which reports builder stages too; berth only
judges the image that runs.

## Why it matters
A process running as root inside a container is root on the container's
filesystem and has far more ways to affect the host if it escapes. Switching
back to an unprivileged user after the steps that need root limits what a
compromised application can do.

## Example
```dockerfile
FROM debian:12-slim
USER root
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
CMD ["/usr/local/bin/server"]
```

## Use instead
```dockerfile
FROM debian:12-slim
USER root
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
USER 10001:10001
CMD ["/usr/local/bin/server"]
```

## References
- hadolint DL3002
- Dockerfile reference, USER: https://docs.docker.com/reference/dockerfile/#user
- Docker build best practices, USER: https://docs.docker.com/build/building/best-practices/#user
"#,
};

fn strip_quotes(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

impl Rule for LastUserNotRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let Some(last) = cx.model.final_stage() else { return };
        // Walk from the final stage up its parent chain to the stage whose USER is in force.
        let mut stage = last;
        let found: Option<(usize, &Instruction)> = loop {
            let user = cx.model.stage_instructions(stage).filter(|(_, i)| i.keyword == Keyword::User).last();
            if user.is_some() {
                break user;
            }
            match stage.base {
                Base::Stage(p) if p < stage.index => stage = &cx.model.stages[p],
                _ => break None,
            }
        };
        let Some((idx, inst)) = found else { return };
        let written = inst.rest.text.trim_end();
        let expanded = cx.model.expand(written, idx);
        if !expanded.unresolved.is_empty() {
            return;
        }
        let value = strip_quotes(&expanded.value);
        let user = value.split(':').next().unwrap_or("").trim();
        if user != "root" && user != "0" {
            return;
        }
        let span = inst.rest.span(0, written.len());
        let message = if stage.index == last.index {
            format!("the final image runs as `{value}`; switch to an unprivileged user with a later `USER`")
        } else {
            format!(
                "the final image inherits `USER {value}` from this stage; add a `USER` with an unprivileged user to the last stage"
            )
        };
        out.push(META.diagnostic(span, message));
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{Selection, lint};

    fn messages(src: &str) -> Vec<String> {
        lint(src, &Selection::only(&["DL3002"])).diagnostics.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn judges_only_the_image_that_runs() {
        assert_eq!(messages("FROM a:1 AS build\nUSER root\nFROM b:1\nUSER 0:0\n").len(), 1);
        assert!(messages("FROM a:1 AS build\nUSER root\nFROM b:1\nUSER app\n").is_empty());
        assert!(messages("FROM a:1\nUSER root\nRUN x\nUSER 10001\n").is_empty());
        // The final stage's own USER wins over its parent's.
        assert!(messages("FROM a:1 AS base\nUSER root\nFROM base\nUSER app\n").is_empty());
        assert!(messages("FROM a:1\nUSER rootless\n").is_empty());
        assert!(messages("FROM a:1\nUSER $WHO\n").is_empty());
        assert_eq!(messages("FROM a:1\nENV WHO=root\nUSER $WHO\n").len(), 1);
    }
}
