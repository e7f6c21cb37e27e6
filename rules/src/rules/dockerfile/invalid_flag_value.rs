use super::instruction_spec::{FlagValue, check_value, flag_spec};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

pub struct InvalidFlagValue;

static META: RuleMeta = RuleMeta {
    code: "BD2003",
    name: "invalid-flag-value",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Give each flag a value of the kind it takes",
    docs: r#"## What it checks
The values of known flags, as the builder reads them:

- a missing value (`COPY --from build`, `--chown` without `=`): every flag
  needs `=value` except the boolean ones;
- booleans (`--link`, `--parents`, `--keep-git-dir`, `--unpack`): nothing,
  `=true` or `=false`;
- `HEALTHCHECK --interval/--timeout/--start-period/--start-interval`: a
  duration such as `30s` or `1m30s` (a unit is required), at least 1ms;
  `--retries`: a whole number, not negative;
- `--chmod`: an octal mode (`0755`) or a symbolic one (`u+x,go-w`);
- `FROM --platform`: `os[/arch[/variant]]`;
- `RUN --network`: `default`, `none` or `host`; `RUN --security`:
  `sandbox` or `insecure`;
- `RUN --mount`: `key=value` fields with a known `type`
  (`bind`, `cache`, `tmpfs`, `secret`, `ssh`), known keys, `sharing` of
  `shared`/`private`/`locked` (cache only), octal `mode` and numeric
  `uid`/`gid` (cache, secret and ssh only), `size` (tmpfs only), `required`
  (secret and ssh only), a secret with `id`, `source` or `target`, and no
  variable in `from`.

Values the builder evaluates (`--chmod`, `--platform`, `--mount` fields) are
judged after evaluating variables and left alone when a variable has no known
value. Booleans, durations and the `--network`/`--security` modes are read
before any evaluation, so a variable there is an error.

## Why it matters
The builder rejects the instruction and the build stops, often with a terse
message ("time: missing unit in duration", "unexpected key 'taget' in
'taget=/x'").

## Example
```dockerfile
HEALTHCHECK --interval=30 CMD curl -f http://localhost/ || exit 1
RUN --mount=type=cahce,target=/root/.cache pip install -r requirements.txt
```

## Use instead
```dockerfile
HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1
RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt
```

## References
- Dockerfile reference, RUN --mount: https://docs.docker.com/reference/dockerfile/#run---mount
- Dockerfile reference, HEALTHCHECK: https://docs.docker.com/reference/dockerfile/#healthcheck
- Dockerfile reference, COPY --chmod: https://docs.docker.com/reference/dockerfile/#copy---chown---chmod
"#,
};

impl Rule for InvalidFlagValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, outer) in cx.file.instructions.iter().enumerate() {
            let inst = outer.effective();
            // ONBUILD triggers are evaluated in another build: their variables are unknown here.
            let in_trigger = outer.trigger.is_some();
            let expand = |text: &str| -> Option<String> {
                if in_trigger {
                    return None;
                }
                let e = cx.model.expand(text, idx);
                e.unresolved.is_empty().then_some(e.value)
            };
            let kw = inst.keyword.as_str();
            for flag in &inst.flags {
                let Some(spec) = flag_spec(inst, &flag.name) else { continue };
                let name = &flag.name;
                let Some(value) = &flag.value else {
                    let message = match spec.value {
                        FlagValue::Bool => continue,
                        FlagValue::Text => format!("`--{name}` needs a value: write `--{name}=<value>`"),
                        kind => format!("`--{name}` needs a value: write `--{name}=...` with {}", kind.format()),
                    };
                    out.push(META.diagnostic(flag.span, message));
                    continue;
                };
                let Err(problem) = check_value(spec.value, value, &expand) else { continue };
                let raw = flag.value_span.map_or("", |s| cx.text(s));
                let literal = if !spec.value.expanded() && raw.contains('$') {
                    " (the builder reads this flag before evaluating variables)"
                } else {
                    ""
                };
                // Mount problems name the field and what it takes already.
                let expected = if spec.value == FlagValue::Mount {
                    String::new()
                } else {
                    format!("; expected {}", spec.value.format())
                };
                out.push(META.diagnostic(
                    flag.value_span.unwrap_or(flag.span),
                    format!("invalid `--{name}` for {kw}: {problem}{literal}{expected}"),
                ));
            }
        }
    }
}
