use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::Base;
use crate::shell::Command;
use crate::text::Span;

pub struct WgetProgress;

static META: RuleMeta = RuleMeta {
    code: "DL3047",
    name: "wget-progress",
    severity: Severity::Info,
    category: Category::Style,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Give wget a quiet progress style in RUN",
    docs: r#"## What it checks
`wget` commands in RUN (command line, heredoc scripts, `sh -c '...'` bodies,
ONBUILD RUN triggers) that use the default progress display: none of
`--progress=...`, `-q`/`--quiet`, `-nv`/`--no-verbose`, `-o`/`--output-file`
(a log file) or `-a`/`--append-output`. Note that `-O` (capital, the output
document) does not change the progress display. RUN in exec form and RUN under
a non-POSIX SHELL are not looked at.

## Why it matters
Without a terminal, wget falls back to its "dot" display and writes a line of
dots for every few dozen kilobytes. A download of a few hundred megabytes puts
thousands of lines into the build log, which hides the output that matters and
slows down CI log viewers. `--progress=dot:giga` prints one dot per 1 MiB and
keeps the log short while still showing progress and errors.

## Example
```dockerfile
RUN wget https://example.com/tool.tar.gz
```

## Use instead
```dockerfile
RUN wget --progress=dot:giga https://example.com/tool.tar.gz
```

## Fix
Inserts ` --progress=dot:giga` after `wget`. Marked unsafe because it changes
the command line. Not offered when the stage is built on Alpine or BusyBox,
whose `wget` does not know `--progress`; use `-q` there.

## References
- hadolint DL3047
- GNU Wget manual, `--progress`: https://www.gnu.org/software/wget/manual/wget.html#Download-Options
"#,
};

/// Short options of GNU wget that take a value.
const TAKES_VALUE: &str = "oaeiBtOTwQPUlARDXI";

fn quiet(cmd: &Command) -> bool {
    cmd.args.iter().take_while(|a| a.value != "--").any(|a| {
        let v = a.value.as_str();
        if let Some(long) = v.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or(long);
            return matches!(name, "progress" | "quiet" | "no-verbose" | "output-file" | "append-output");
        }
        if v == "-nv" {
            return true;
        }
        // Short groups such as `-qO-`: letters up to the first option that takes a
        // value. The `-n?` options (`-nc`, `-nd`, `-np`, `-nH`) are two-letter options.
        v.strip_prefix('-').is_some_and(|g| {
            !g.starts_with(['n', '-'])
                && g.chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .scan(false, |stop, c| {
                        if *stop {
                            return None;
                        }
                        *stop = TAKES_VALUE.contains(c);
                        Some(c)
                    })
                    .any(|c| matches!(c, 'q' | 'o' | 'a'))
        })
    })
}

/// True when the stage's base image is Alpine or BusyBox (BusyBox wget).
fn busybox_base(cx: &Context<'_, '_>, idx: usize) -> bool {
    let mut stage = cx.model.stage_of(idx);
    let mut hops = 0;
    while let Some(s) = stage {
        match &s.base {
            Base::Stage(p) if *p < s.index && hops < 64 => {
                stage = cx.model.stages.get(*p);
                hops += 1;
            }
            Base::Image(img) => {
                let text = img.text.to_ascii_lowercase();
                return text.contains("alpine") || text.contains("busybox");
            }
            _ => return false,
        }
    }
    false
}

impl Rule for WgetProgress {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for idx in 0..cx.file.instructions.len() {
            let Some(script) = cx.model.script(idx) else { continue };
            let busybox = busybox_base(cx, idx);
            for cmd in script.named("wget") {
                if quiet(cmd) {
                    continue;
                }
                let mut d = META.diagnostic(
                    Span::new(cmd.name.span.start, cmd.span.end),
                    if busybox {
                        "wget's progress output floods the build log; add `-q`"
                    } else {
                        "wget's progress output floods the build log; add `--progress=dot:giga` (or `-nv`)"
                    },
                );
                if !busybox {
                    d = d.with_fix(Fix::unsafe_(
                        "Add --progress=dot:giga",
                        vec![Edit::insert(cmd.name.span.end, " --progress=dot:giga")],
                    ));
                }
                out.push(d);
            }
        }
    }
}
