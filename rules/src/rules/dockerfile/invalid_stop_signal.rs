use super::instruction_spec::known_signal;
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

pub struct InvalidStopSignal;

static META: RuleMeta = RuleMeta {
    code: "BD2007",
    name: "invalid-stop-signal",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "STOPSIGNAL takes a signal name or number",
    docs: r#"## What it checks
`STOPSIGNAL` values, after evaluating variables, that are neither the name of
a Linux signal (`SIGTERM`, `SIGQUIT`, `SIGRTMIN+3`; the `SIG` prefix is
optional and case does not matter) nor a signal number from 1 to 64. Values
whose variables have no known value are left alone; more than one word is
reported by `wrong-argument-count` (BD2004).

## Why it matters
The builder refuses an unknown signal name or `0` ("invalid signal") and the
build stops. Any other number outside 1-64 passes the builder but is not a
signal the kernel can deliver, so `docker stop` cannot stop the container
gracefully; such numbers are reported with warning severity.

## Example
```dockerfile
STOPSIGNAL SIGTERMINATE
```

## Use instead
```dockerfile
STOPSIGNAL SIGTERM
```

## References
- Dockerfile reference, STOPSIGNAL: https://docs.docker.com/reference/dockerfile/#stopsignal
- signal(7): https://man7.org/linux/man-pages/man7/signal.7.html
"#,
};

impl Rule for InvalidStopSignal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.each(Keyword::Stopsignal) {
            let words = cx.model.evaluated_words(inst, idx);
            let [ev] = words.as_slice() else { continue };
            if inst.words().len() != 1 || ev.value.split_whitespace().count() != 1 {
                continue;
            }
            let value = ev.value.trim();
            let number = if value.bytes().all(|b| b.is_ascii_digit()) || value.starts_with(['+', '-']) {
                value.parse::<i64>().ok()
            } else {
                None
            };
            let upper = value.to_ascii_uppercase();
            let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
            let (hint, severity) = match number {
                Some(n) if (1..=64).contains(&n) => continue,
                // The builder accepts any other non-zero number; the kernel does not.
                Some(n) if n != 0 => ("use a number from 1 to 64".to_string(), Severity::Warning),
                Some(_) => ("use a number from 1 to 64".to_string(), Severity::Error),
                None if known_signal(bare) => continue,
                // A real-time signal with an offset out of range is not a typo.
                None if bare.contains(['+', '-']) => {
                    ("use a name such as `SIGTERM` or `SIGQUIT`".to_string(), Severity::Error)
                }
                None => match crate::util::closest(bare, super::instruction_spec::SIGNALS.iter().copied()) {
                    Some(s) => (format!("did you mean `SIG{s}`?"), Severity::Error),
                    None => ("use a name such as `SIGTERM` or `SIGQUIT`".to_string(), Severity::Error),
                },
            };
            out.push(
                META.diagnostic(ev.word.span, format!("`{value}` is not a signal{}; {hint}", ev.note(value)))
                    .with_severity(severity),
            );
        }
    }
}
