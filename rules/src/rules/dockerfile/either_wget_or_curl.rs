use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;
use crate::text::Span;

pub struct EitherWgetOrCurl;

static META: RuleMeta = RuleMeta {
    code: "DL4001",
    name: "either-wget-or-curl",
    severity: Severity::Warning,
    category: Category::Maintainability,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Use either wget or curl in a stage, not both",
    docs: r#"## What it checks
Stages whose RUN instructions call both `wget` and `curl`. Once both have
appeared in a stage, every RUN of that stage that calls either of them is
reported, at its first `wget` or `curl`, with a pointer to the first use of the
other tool. Each stage starts afresh, and ONBUILD RUN triggers are counted
separately from the stage's own RUNs, as in hadolint. Commands in heredoc
scripts and `sh -c '...'` bodies count; installing a tool
(`apt-get install -y curl`) does not. RUN in exec form and RUN under a
non-POSIX SHELL are not looked at.

## Why it matters
Both tools download files. Needing both means installing, patching and
scanning two HTTP clients (and their TLS libraries) in the image, and readers
have to know two sets of flags for the same job. Settle on one: `curl` is
usually preinstalled in Debian-based language images, BusyBox `wget` in Alpine.

## Example
```dockerfile
RUN wget -q https://example.com/a.tar.gz
RUN curl -fsSLO https://example.com/b.tar.gz
```

## Use instead
```dockerfile
RUN curl -fsSLO https://example.com/a.tar.gz
RUN curl -fsSLO https://example.com/b.tar.gz
```

## References
- hadolint DL4001
"#,
};

#[derive(Default)]
struct Seen {
    curl: Option<Span>,
    wget: Option<Span>,
}

impl Rule for EitherWgetOrCurl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        // The stage's own RUNs and its ONBUILD RUN triggers are tracked apart.
        let mut own = Seen::default();
        let mut onbuild = Seen::default();
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            if inst.keyword == Keyword::From {
                own = Seen::default();
                onbuild = Seen::default();
                continue;
            }
            let Some(script) = cx.model.script(idx) else { continue };
            let seen = if inst.trigger.is_some() { &mut onbuild } else { &mut own };
            let tools: Vec<_> = script.commands.iter().filter(|c| c.is("curl") || c.is("wget")).collect();
            let Some(first) = tools.first() else { continue };
            for c in &tools {
                let slot = if c.is("curl") { &mut seen.curl } else { &mut seen.wget };
                slot.get_or_insert(c.name.span);
            }
            let (Some(curl), Some(wget)) = (seen.curl, seen.wget) else { continue };
            let (other_name, other) = if first.is("curl") { ("wget", wget) } else { ("curl", curl) };
            out.push(
                META.diagnostic(
                    first.name.span,
                    format!("this stage uses both `curl` and `wget`; settle on one download tool (`{other_name}` is used too)"),
                )
                .with_related(other, format!("first `{other_name}` of this stage")),
            );
        }
    }
}
