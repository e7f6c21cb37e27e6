use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::shell::Command;
use crate::text::Span;

pub struct UseraddNoLogInit;

static META: RuleMeta = RuleMeta {
    code: "DL3046",
    name: "useradd-no-log-init",
    severity: Severity::Warning,
    category: Category::Performance,
    fix: FixAvailability::Always,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Pass -l to useradd when it sets a high UID",
    docs: r#"## What it checks
`useradd` commands in RUN that set a user ID of 100000 or more (`-u 100000`,
`-u100000`, `--uid 100000`, `--uid=100000`, or inside a group such as
`-mu 100000`) without `-l`/`--no-log-init`. The UID is evaluated from ARG/ENV
defaults; when it cannot be evaluated, berth stays silent (hadolint judges the
unevaluated text, so it reports `-u ${UID}` whatever the value is). berth also
reads the long form `--uid`, which hadolint overlooks. Commands on the command
line, in heredoc scripts, in `sh -c '...'` bodies and in ONBUILD RUN triggers
count; RUN in exec form and RUN under a non-POSIX SHELL are not looked at.

## Why it matters
Without `-l`, `useradd` writes the new user's entry into `/var/log/lastlog`
and `/var/log/faillog`, at an offset proportional to the UID. On disk these
files are sparse, but image layers store them in full: a UID in the hundreds
of thousands or millions adds tens or hundreds of megabytes of zeros to the
image, and very large UIDs have been known to exhaust the disk during the
build.

## Example
```dockerfile
RUN useradd -u 1000001 -m app
```

## Use instead
```dockerfile
RUN useradd -l -u 1000001 -m app
```

## Fix
Inserts ` -l` after `useradd`. Marked unsafe because the user then has no
entry in lastlog and faillog; nothing in a container normally reads them.

## References
- hadolint DL3046
- Docker build best practices, USER: https://docs.docker.com/build/building/best-practices/#user
- useradd(8), option `-l`: https://man7.org/linux/man-pages/man8/useradd.8.html
"#,
};

/// Short options of useradd that take a value.
const TAKES_VALUE: &str = "bcdefgGkKpPRsuU";

/// The UID argument of a useradd command, as written.
fn uid_value(cmd: &Command) -> Option<&str> {
    let mut args = cmd.args.iter();
    while let Some(a) = args.next() {
        let v = a.value.as_str();
        if v == "--" {
            return None;
        }
        if v == "--uid" {
            return args.next().map(|n| n.value.as_str());
        }
        if let Some(rest) = v.strip_prefix("--uid=") {
            return Some(rest);
        }
        if v.starts_with("--") {
            // Long options with a separate value would swallow the next word; none matters here.
            continue;
        }
        let Some(group) = v.strip_prefix('-') else { continue };
        for (i, c) in group.char_indices() {
            if TAKES_VALUE.contains(c) {
                let rest = &group[i + c.len_utf8()..];
                let value = if rest.is_empty() { args.next().map(|n| n.value.as_str()) } else { Some(rest) };
                if c == 'u' {
                    return value;
                }
                break;
            }
        }
    }
    None
}

fn no_log_init(cmd: &Command) -> bool {
    cmd.args.iter().take_while(|a| a.value != "--").any(|a| {
        let v = a.value.as_str();
        if v == "--no-log-init" {
            return true;
        }
        // `-l`, or `l` in a group before any option that takes a value.
        v.strip_prefix('-').is_some_and(|g| {
            !g.starts_with('-') && g.chars().take_while(|c| !TAKES_VALUE.contains(*c)).any(|c| c == 'l')
        })
    })
}

impl Rule for UseraddNoLogInit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for idx in 0..cx.file.instructions.len() {
            let Some(script) = cx.model.script(idx) else { continue };
            for cmd in script.named("useradd") {
                let Some(raw) = uid_value(cmd) else { continue };
                let e = cx.model.expand(raw, idx);
                if !e.unresolved.is_empty() || no_log_init(cmd) {
                    continue;
                }
                let uid = e.value.trim();
                if uid.is_empty() || !uid.chars().all(|c| c.is_ascii_digit()) || uid.trim_start_matches('0').len() < 6 {
                    continue;
                }
                out.push(
                    META.diagnostic(
                        Span::new(cmd.name.span.start, cmd.span.end),
                        format!("add `-l` (`--no-log-init`): without it, UID {uid} makes lastlog and faillog fill the layer with zeros"),
                    )
                    .with_fix(Fix::unsafe_("Add -l to useradd", vec![Edit::insert(cmd.name.span.end, " -l")])),
                );
            }
        }
    }
}
