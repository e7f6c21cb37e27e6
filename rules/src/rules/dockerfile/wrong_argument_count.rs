use super::instruction_spec::{Shape, shape};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Instruction;
use crate::text::Span;

pub struct WrongArgumentCount;

static META: RuleMeta = RuleMeta {
    code: "BD2004",
    name: "wrong-argument-count",
    severity: Severity::Error,
    category: Category::Syntax,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Give each instruction the arguments it needs, and no more",
    docs: r#"## What it checks
Instructions whose arguments (after the flags) do not have the shape the
builder requires:

- `FROM`: an image, optionally followed by `AS name`, and nothing else;
- `COPY` and `ADD`: at least one source and a destination (a heredoc counts
  as a source, but cannot be the destination);
- `USER` and `STOPSIGNAL`: one word;
- `HEALTHCHECK`: `NONE` alone, or `CMD` followed by a command;
- `SHELL`: at least the shell program in its JSON array;
- `VOLUME`: no empty path.

`WORKDIR` with several words is reported as a warning: the builder accepts it
and creates one folder whose name contains the spaces, which is rarely what
was meant. An instruction with no arguments at all is a syntax error
(BD0001); `ENV`, `LABEL` and `ARG` pairs are checked by `invalid-key-value`
(BD2009).

## Why it matters
The builder refuses these instructions ("FROM requires either one or three
arguments", "COPY requires at least two arguments", "Unknown type in
HEALTHCHECK (try CMD)") and the build stops there.

## Example
```dockerfile
FROM node:20 build
COPY package.json
HEALTHCHECK curl -f http://localhost/ || exit 1
```

## Use instead
```dockerfile
FROM node:20 AS build
COPY package.json ./
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
```

## References
- Dockerfile reference: https://docs.docker.com/reference/dockerfile/
"#,
};

fn extra(inst: &Instruction, from: usize) -> Option<Span> {
    let ws = inst.words();
    let first = ws.get(from)?;
    let last = ws.last()?;
    Some(Span::new(first.span.start, last.span.end))
}

impl Rule for WrongArgumentCount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        macro_rules! push {
            ($span:expr, $message:expr) => {
                out.push(META.diagnostic($span, $message))
            };
        }
        for inst in &cx.file.instructions {
            let inst = inst.effective();
            let kw = inst.keyword.as_str();
            if inst.rest_text().is_empty() {
                // Nothing at all is a syntax error; flags alone are not enough either.
                if let (Some(first), Some(last)) = (inst.flags.first(), inst.flags.last())
                    && inst.keyword != crate::syntax::Keyword::Unknown
                {
                    push!(Span::new(first.span.start, last.span.end), format!("{kw} needs arguments after its flags"));
                }
                continue;
            }
            let shape = shape(inst.keyword);
            if matches!(shape, Shape::Any) {
                // Any words will do (RUN...): not worth splitting them.
                continue;
            }
            let ws = inst.words();
            let rest = inst.rest.full_span();
            let raw_count = inst.rest_text().split_whitespace().count();
            match shape {
                Shape::From if raw_count != ws.len() => {
                    // Quoted whitespace: the builder splits on whitespace alone.
                    if raw_count != 1
                        && !(raw_count == 3 && ws.get(1).is_some_and(|w| w.value.eq_ignore_ascii_case("as")))
                    {
                        push!(rest, "FROM takes an image, optionally followed by `AS name`; the builder does not group quoted words here".to_string());
                    }
                }
                Shape::From => match ws.len() {
                    1 => {}
                    3 if ws[1].value.eq_ignore_ascii_case("as") => {}
                    2 if ws[1].value.eq_ignore_ascii_case("as") => {
                        push!(ws[1].span, "`AS` needs a stage name after it".to_string());
                    }
                    n if n >= 3 && ws[1].value.eq_ignore_ascii_case("as") => {
                        if let Some(s) = extra(inst, 3) {
                            push!(s, "FROM takes an image and `AS name`; remove the extra words".to_string());
                        }
                    }
                    _ => {
                        if let Some(s) = extra(inst, 1) {
                            push!(s, "FROM takes an image, optionally followed by `AS name`; write `AS` before a stage name or remove the extra words".to_string());
                        }
                    }
                },
                Shape::SourcesAndDest => {
                    // The builder splits the shell form on whitespace alone, quotes or not.
                    let count = inst.exec.as_ref().map_or(raw_count, |e| e.items.len());
                    if count < 2 {
                        push!(rest, format!("{kw} needs a source and a destination; add the destination path"));
                    } else if inst.exec.is_none()
                        && let Some(dest) = ws.last()
                        && inst
                            .heredocs
                            .iter()
                            .any(|h| dest.span.start <= h.marker_span.start && h.marker_span.start < dest.span.end)
                    {
                        push!(
                            dest.span,
                            format!("the destination of {kw} cannot be a heredoc; add a destination path after it")
                        );
                    }
                }
                Shape::OneWord | Shape::OneSignal => {
                    if ws.len() > 1
                        && let Some(s) = extra(inst, 1)
                    {
                        push!(s, format!("{kw} takes one argument; remove the extra words"));
                    }
                }
                Shape::OnePath => {
                    if ws.len() > 1
                        && let Some(s) = extra(inst, 1)
                    {
                        let path = inst.rest_text();
                        out.push(
                            META.diagnostic(
                                s,
                                format!("WORKDIR takes one path: this is the single folder `{path}` with spaces in its name; quote it if that is meant"),
                            )
                            .with_severity(Severity::Warning),
                        );
                    }
                }
                Shape::Healthcheck => {
                    let Some(ty) = ws.first() else { continue };
                    if ty.value.eq_ignore_ascii_case("none") {
                        if let Some(s) = extra(inst, 1) {
                            push!(s, "HEALTHCHECK NONE takes no arguments; remove them".to_string());
                        }
                    } else if ty.value.eq_ignore_ascii_case("cmd") {
                        if ws.len() == 1 {
                            push!(ty.span, "HEALTHCHECK CMD needs a command after it".to_string());
                        }
                    } else {
                        push!(
                            ty.span,
                            format!("`{}` is not a HEALTHCHECK type; write `CMD <command>` or `NONE`", ty.value)
                        );
                    }
                }
                Shape::JsonArray => {
                    if inst.exec.as_ref().is_some_and(|e| e.items.is_empty()) {
                        push!(
                            rest,
                            format!("{kw} needs at least the program in its array, such as `[\"/bin/sh\", \"-c\"]`")
                        );
                    }
                }
                Shape::Volumes => match &inst.exec {
                    Some(exec) => {
                        for item in exec.items.iter().filter(|i| i.value.trim().is_empty()) {
                            push!(item.span, "VOLUME paths cannot be empty".to_string());
                        }
                    }
                    None => {
                        for w in ws.iter().filter(|w| w.value.trim().is_empty()) {
                            push!(w.span, "VOLUME paths cannot be empty".to_string());
                        }
                    }
                },
                Shape::Any => {}
            }
        }
    }
}
