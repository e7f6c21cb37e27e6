//! Where instructions take files from, shared by the COPY and image rules:
//! the paths of `COPY`/`ADD` (shell or exec form), the `from=` values of
//! `RUN --mount`, and which stages other stages use.

use crate::engine::Context;
use crate::model::Base;
use crate::syntax::{Instruction, Keyword};
use crate::text::Span;

/// A source or destination path of COPY/ADD.
#[derive(Debug, Clone)]
pub(super) struct PathArg {
    /// The path with quotes removed (variables not evaluated).
    pub value: String,
    pub span: Span,
    /// Where text appended to the path goes: before a closing quote, if any.
    pub content_end: usize,
}

/// The sources and the destination of a COPY or ADD, in shell or exec form.
/// `None` when there are fewer than two paths.
pub(super) fn copy_paths(inst: &Instruction) -> Option<(Vec<PathArg>, PathArg)> {
    let mut args: Vec<PathArg> = match &inst.exec {
        Some(exec) => exec
            .items
            .iter()
            .map(|item| PathArg {
                value: item.value.clone(),
                span: item.span,
                content_end: item.span.end.saturating_sub(1).max(item.span.start),
            })
            .collect(),
        None => inst
            .words()
            .iter()
            .map(|w| {
                // A closing quote (not an escaped one) ends the word: text goes before it.
                let mut rev = w.raw.chars().rev();
                let quoted = matches!(rev.next(), Some('"' | '\''))
                    && rev.next().is_some_and(|c| c != inst.escape)
                    && w.raw.len() >= 2;
                PathArg {
                    value: w.value.clone(),
                    span: w.span,
                    content_end: if quoted { w.span.end - 1 } else { w.span.end },
                }
            })
            .collect(),
    };
    if args.len() < 2 {
        return None;
    }
    let dest = args.pop()?;
    Some((args, dest))
}

/// The `--from` of a COPY, with its variables evaluated.
#[derive(Debug, Clone)]
pub(super) struct CopyFrom {
    /// The evaluated value, trimmed.
    pub source: String,
    /// Span of the flag's value.
    pub span: Span,
    /// Index of the stage the COPY is in.
    pub stage: usize,
    /// ` (`$X` evaluates to `x`)` when the value was written with variables; for messages.
    pub note: String,
}

/// Every COPY `--from` of the file (ONBUILD triggers excluded: their stages
/// belong to another build) whose variables all have known values.
pub(super) fn copy_froms(cx: &Context<'_, '_>) -> Vec<CopyFrom> {
    let mut out = Vec::new();
    for (idx, inst) in cx.file.instructions.iter().enumerate() {
        if inst.keyword != Keyword::Copy {
            continue;
        }
        let Some(flag) = inst.flag("from") else { continue };
        let (Some(raw), Some(span)) = (&flag.value, flag.value_span) else { continue };
        let Some(stage) = cx.model.info.get(idx).and_then(|i| i.stage) else { continue };
        let expanded = cx.model.expand(raw, idx);
        if !expanded.unresolved.is_empty() {
            continue;
        }
        let source = expanded.value.trim().to_string();
        let note = if source == *raw { String::new() } else { format!(" (`{raw}` evaluates to `{source}`)") };
        out.push(CopyFrom { source, span, stage, note });
    }
    out
}

/// A `from=` value inside a `RUN --mount=...` flag.
#[derive(Debug, Clone)]
pub(super) struct MountFrom {
    /// The value with quotes removed.
    pub value: String,
    pub span: Span,
}

/// The `from=` values of every `--mount` flag of a RUN.
pub(super) fn mount_froms(cx: &Context<'_, '_>, inst: &Instruction) -> Vec<MountFrom> {
    let mut out = Vec::new();
    if inst.keyword != Keyword::Run {
        return out;
    }
    for flag in inst.flags.iter().filter(|f| f.name.eq_ignore_ascii_case("mount")) {
        let Some(span) = flag.value_span else { continue };
        let raw = cx.text(span);
        let mut offset = 0;
        for field in raw.split(',') {
            let field_start = offset;
            offset += field.len() + 1;
            let Some(eq) = field.find('=') else { continue };
            let key = field[..eq].trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace());
            if !key.eq_ignore_ascii_case("from") {
                continue;
            }
            let value = &field[eq + 1..];
            let trimmed = value.trim_start_matches(['"', '\'']);
            let lead = value.len() - trimmed.len();
            let trimmed = trimmed.trim_end_matches(['"', '\'']);
            if trimmed.is_empty() {
                continue;
            }
            let start = span.start + field_start + eq + 1 + lead;
            out.push(MountFrom { value: trimmed.to_string(), span: Span::new(start, start + trimmed.len()) });
        }
    }
    out
}

/// For each stage, whether another stage uses it: as its base (`FROM <stage>`),
/// through `COPY --from=<stage>` or through `RUN --mount=from=<stage>`.
/// Stages nobody uses are the ones that end up as images; the last stage
/// always does.
pub(super) fn used_stages(cx: &Context<'_, '_>) -> Vec<bool> {
    let model = cx.model;
    let mut used = vec![false; model.stages.len()];
    for stage in &model.stages {
        if let Base::Stage(p) = stage.base
            && p != stage.index
            && let Some(u) = used.get_mut(p)
        {
            *u = true;
        }
    }
    let mut mark = |reference: &str, at: usize| {
        let e = model.expand(reference, at);
        if !e.unresolved.is_empty() {
            return;
        }
        let current = model.info.get(at).and_then(|i| i.stage);
        if let Some(s) = model.stage_by_ref(e.value.trim())
            && Some(s.index) != current
            && let Some(u) = used.get_mut(s.index)
        {
            *u = true;
        }
    };
    for (idx, inst) in cx.file.instructions.iter().enumerate() {
        match inst.keyword {
            Keyword::Copy | Keyword::Add => {
                if let Some(v) = inst.flag("from").and_then(|f| f.value.as_deref()) {
                    mark(v, idx);
                }
            }
            Keyword::Run => {
                for m in mount_froms(cx, inst) {
                    mark(&m.value, idx);
                }
            }
            _ => {}
        }
    }
    if let Some(last) = used.last_mut() {
        *last = false;
    }
    used
}
