use super::instruction_spec::flags;
use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::text::Span;
use crate::util::closest;

pub struct UnknownFlag;

static META: RuleMeta = RuleMeta {
    code: "BD2001",
    name: "unknown-flag",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Use only the flags the instruction accepts",
    docs: r#"## What it checks
`--flag` options that the instruction does not accept, with a suggestion when
a known flag is close (`--form` for `--from`). Flag names are matched as the
builder matches them, case-sensitively, so `--FROM` is unknown too.

The flags each instruction accepts:
`FROM --platform`;
`COPY --from --chown --chmod --link --parents --exclude`;
`ADD --chown --chmod --link --keep-git-dir --checksum --unpack --exclude`;
`RUN --mount --network --security --device`;
`HEALTHCHECK --interval --timeout --start-period --start-interval --retries`.
Every other instruction takes none, including `CMD` and `ENTRYPOINT`: a
shell-form `CMD --help` is read as a flag of CMD. The builder ignores flags
on `ARG`, `STOPSIGNAL` and `HEALTHCHECK NONE`, so those are not reported.
Flags that need a newer Dockerfile syntax (`--parents`, `--exclude`,
`--security`, `--device`) are accepted here.

## Why it matters
The builder stops at the first unknown flag ("unknown flag: ..."), so the
whole build fails on a typo.

## Example
```dockerfile
COPY --form=build /out/app /usr/local/bin/app
CMD --verbose
```

## Use instead
```dockerfile
COPY --from=build /out/app /usr/local/bin/app
CMD ["app", "--verbose"]
```

## Fix
When a known flag is close, renames the flag to it. Marked unsafe: the
instruction then does something it did not do before (it failed).

## References
- Dockerfile reference: https://docs.docker.com/reference/dockerfile/
"#,
};

impl Rule for UnknownFlag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for inst in &cx.file.instructions {
            let inst = inst.effective();
            let Some(specs) = flags(inst) else { continue };
            let kw = inst.keyword.as_str();
            for flag in &inst.flags {
                if specs.iter().any(|s| s.name == flag.name) {
                    continue;
                }
                let span = Span::new(flag.span.start, flag.name_span.end);
                let written = format!("--{}", flag.name);
                let suggestion = closest(&flag.name, specs.iter().map(|s| s.name));
                let message = match (suggestion, specs.is_empty()) {
                    _ if kw == "ADD" && flag.name == "from" => {
                        "ADD has no `--from`; use `COPY --from=...` to copy from another stage or image".to_string()
                    }
                    (Some(s), _) => format!("`{written}` is not a flag of {kw}; did you mean `--{s}`?"),
                    (None, true) => format!("{kw} takes no flags; `{written}` would be read as one"),
                    (None, false) => {
                        let all = specs.iter().map(|s| format!("`--{}`", s.name)).collect::<Vec<_>>().join(", ");
                        format!("`{written}` is not a flag of {kw}, which accepts {all}")
                    }
                };
                let mut d = META.diagnostic(span, message);
                if let Some(s) = suggestion {
                    d = d.with_fix(Fix::unsafe_(format!("Rename to `--{s}`"), vec![Edit::replace(flag.name_span, s)]));
                }
                out.push(d);
            }
        }
    }
}
