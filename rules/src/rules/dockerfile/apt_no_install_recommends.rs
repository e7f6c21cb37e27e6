use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::Command;
use crate::syntax::Keyword;
use crate::text::Span;

use super::package_managers::APT_OPTIONS_WITH_VALUE;

pub struct AptNoInstallRecommends;

static META: RuleMeta = RuleMeta {
    code: "DL3015",
    name: "apt-no-install-recommends",
    severity: Severity::Info,
    category: Category::Performance,
    fix: FixAvailability::Always,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Use --no-install-recommends with apt-get install",
    docs: r#"## What it checks
`apt-get install` commands in RUN (heredoc scripts, `sh -c '...'` bodies and
ONBUILD RUN triggers included) that neither pass `--no-install-recommends` nor
turn recommends off with `-o APT::Install-Recommends=false` (or `=0`).
Arguments written with a variable are judged by their ARG/ENV value. Not
reported when an earlier RUN of the same stage, or the same RUN, writes
`APT::Install-Recommends "false"` into apt's configuration.

## Why it matters
By default apt also installs every package that the requested ones merely
recommend: documentation, optional helpers, sometimes whole language runtimes.
That makes images larger, slower to pull and scan, and widens the attack
surface, for software the container does not use. If the application does need
one of them, name it explicitly.

## Example
```dockerfile
RUN apt-get update && apt-get install -y curl
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Fix
Inserts `--no-install-recommends` after `install`. Unsafe: fewer packages get
installed, and the application may have relied on one of the recommended ones.

## References
- hadolint DL3015
- Docker build best practices, apt-get: https://docs.docker.com/build/building/best-practices/#apt-get
"#,
};

/// True when `text` sets `APT::Install-Recommends` to false (as an option or in a config line).
fn disables_recommends(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let key = "apt::install-recommends";
    lower.match_indices(key).any(|(at, _)| {
        let after = lower[at + key.len()..].trim_start_matches([' ', '\t', '=', '"', '\'', '\\']);
        ["false", "0", "no", "off"].iter().any(|v| after.starts_with(v))
    })
}

fn opts_out(cmd: &Command, expanded: &[String]) -> bool {
    cmd.has_flag(&[], &["no-install-recommends"])
        || expanded
            .iter()
            .any(|a| a.split_whitespace().any(|w| w == "--no-install-recommends") || disables_recommends(a))
}

impl Rule for AptNoInstallRecommends {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let configured = configured_so_far(cx);
        for (idx, _) in cx.file.instructions.iter().enumerate() {
            let Some(script) = cx.model.script(idx) else { continue };
            for cmd in script.named("apt-get") {
                let operands = cmd.operands(APT_OPTIONS_WITH_VALUE);
                let Some(install) = operands.first().filter(|w| w.value == "install") else { continue };
                let expanded: Vec<String> =
                    cmd.args
                        .iter()
                        .map(|a| {
                            if a.value.contains('$') {
                                cx.model.expand(&a.value, idx).value
                            } else {
                                a.value.to_string()
                            }
                        })
                        .collect();
                if opts_out(cmd, &expanded) || configured[idx] {
                    continue;
                }
                let span = Span::new(cmd.name.span.start, cmd.span.end);
                out.push(
                    META.diagnostic(span, "add `--no-install-recommends` so apt installs only the packages you name")
                        .with_fix(Fix::unsafe_(
                            "Add --no-install-recommends",
                            vec![Edit::insert(install.span.end, " --no-install-recommends")],
                        )),
                );
            }
        }
    }
}

/// For each instruction: whether an earlier RUN of the same stage, or this one,
/// turned recommends off in apt's configuration. One pass, so large files stay linear.
fn configured_so_far(cx: &Context<'_, '_>) -> Vec<bool> {
    let mut out = vec![false; cx.file.instructions.len()];
    let mut current: Option<usize> = None;
    let mut on = false;
    for (i, inst) in cx.file.instructions.iter().enumerate() {
        let stage = cx.model.info.get(i).and_then(|x| x.stage);
        if stage != current {
            current = stage;
            on = false;
        }
        if !on
            && inst.effective().keyword == Keyword::Run
            && inst.trigger.is_none()
            && cx.model.script(i).is_some_and(|s| disables_recommends(&s.text.text))
        {
            on = true;
        }
        out[i] = on;
    }
    out
}
