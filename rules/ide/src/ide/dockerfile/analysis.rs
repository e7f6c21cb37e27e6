//! The cached analysis of one Dockerfile (parsed file, stages, variable
//! definitions and uses) and the lookups and helpers every feature shares.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::{Base, Model, VarKind};
use crate::syntax::words::{self, VarRef};
use crate::syntax::{Dockerfile, Instruction, Keyword, LogicalText};
use crate::text::Span;

pub(super) const REFERENCE: &str = "https://docs.docker.com/reference/dockerfile/";

// ---------------------------------------------------------------------------
// The analysis
// ---------------------------------------------------------------------------

/// How a stage is named at a use site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RefForm {
    /// The name, written literally (renamed with the stage).
    Name,
    /// The stage's index number (`--from=0`): unaffected by a rename.
    Index,
    /// Through variables (`FROM ${BASE}`): cannot be renamed safely.
    Variable,
}

#[derive(Debug, Clone)]
pub(super) struct StageInfo {
    /// Index of the FROM instruction.
    pub(super) from: usize,
    /// One past the last instruction of the stage.
    pub(super) body_end: usize,
    pub(super) name: Option<(String, Span)>,
    /// The image word as written and its span.
    pub(super) image_raw: Option<(String, Span)>,
    /// The image with global ARGs evaluated; `None` without an image word.
    pub(super) image: Option<String>,
    /// Variables in the image word that have no value.
    pub(super) unresolved: Vec<String>,
    pub(super) base: Base,
    /// From the FROM keyword to the end of the stage's last instruction.
    pub(super) span: Span,
}

#[derive(Debug, Clone)]
pub(super) struct Def {
    pub(super) name: String,
    pub(super) kind: VarKind,
    pub(super) raw_value: Option<String>,
    pub(super) value: Option<String>,
    pub(super) inst: usize,
    /// `None` for a global ARG.
    pub(super) stage: Option<usize>,
    /// The name as written (without quotes when it was quoted).
    pub(super) span: Span,
    /// False when the name's text is not exactly `name` (escapes, odd quoting).
    pub(super) renameable: bool,
    /// For `ARG X` without a value inside a stage: the global ARG whose default it takes.
    pub(super) link: Option<usize>,
}

#[derive(Debug, Clone)]
pub(super) struct VarUse {
    /// Inline up to 24 bytes: a large file has one per `$NAME`.
    pub(super) name: compact_str::CompactString,
    /// The whole reference (`$X`, `${X:-d}`).
    pub(super) span: Span,
    pub(super) name_span: Span,
    pub(super) inst: usize,
    pub(super) def: Option<usize>,
}

#[derive(Debug, Clone)]
pub(super) struct StageUse {
    /// The name (or index, or variable text) as written, quotes excluded.
    pub(super) span: Span,
    pub(super) stage: usize,
    pub(super) form: RefForm,
}

/// An owned snapshot of a Dockerfile for editor queries. See the module docs.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub(super) file: Arc<Dockerfile>,
    /// Per instruction: the stage it belongs to (`None` before the first FROM);
    /// a FROM belongs to its own stage.
    pub(super) inst_stage: Vec<Option<usize>>,
    pub(super) stages: Vec<StageInfo>,
    pub(super) defs: Vec<Def>,
    /// Sorted by span start.
    pub(super) uses: Vec<VarUse>,
    /// Sorted by span start.
    pub(super) stage_uses: Vec<StageUse>,
}

impl Analysis {
    /// Parse `text` and analyse it.
    pub fn new(text: &str) -> Analysis {
        Analysis::from_file(Dockerfile::parse(text))
    }

    /// Analyse an already parsed file.
    pub fn from_file(file: Dockerfile) -> Analysis {
        Analysis::from_shared(Arc::new(file))
    }

    /// Analyse a parsed file that others hold too (the language server's last
    /// lint): it is shared, not copied.
    pub fn from_shared(file: Arc<Dockerfile>) -> Analysis {
        let runs = RunFlags::of(&file);
        // No editor query needs the RUN scripts, most of a model's cost.
        let parts = {
            let model = Model::build_without_scripts(&file);
            Parts::extract(&model, &runs)
        };
        parts.into_analysis(file)
    }

    /// Analyse the file of an existing model (the file is cloned).
    pub fn from_model(model: &Model<'_>) -> Analysis {
        Parts::extract(model, &RunFlags::of(model.file)).into_analysis(Arc::new(model.file.clone()))
    }

    pub fn file(&self) -> &Dockerfile {
        &self.file
    }

    pub fn text(&self) -> &str {
        &self.file.text
    }

    /// The stage names, in order (unnamed stages left out), as written.
    pub fn stage_names(&self) -> Vec<String> {
        self.stages.iter().filter_map(|s| s.name.as_ref().map(|(n, _)| n.clone())).collect()
    }
}

/// Per instruction: whether it is a RUN, and whether its innermost
/// instruction (through ONBUILD) is one.
pub(super) struct RunFlags {
    pub(super) outer: Vec<bool>,
    pub(super) effective: Vec<bool>,
}

impl RunFlags {
    pub(super) fn of(file: &Dockerfile) -> RunFlags {
        RunFlags {
            outer: file.instructions.iter().map(|i| i.keyword == Keyword::Run).collect(),
            effective: file.instructions.iter().map(|i| i.effective().keyword == Keyword::Run).collect(),
        }
    }
}

/// The analysis without the file, so that it can be computed while the model
/// borrows the file and then moved next to it.
pub(super) struct Parts {
    pub(super) inst_stage: Vec<Option<usize>>,
    pub(super) stages: Vec<StageInfo>,
    pub(super) defs: Vec<Def>,
    pub(super) uses: Vec<VarUse>,
    pub(super) stage_uses: Vec<StageUse>,
}

impl Parts {
    pub(super) fn into_analysis(self, file: Arc<Dockerfile>) -> Analysis {
        Analysis {
            file,
            inst_stage: self.inst_stage,
            stages: self.stages,
            defs: self.defs,
            uses: self.uses,
            stage_uses: self.stage_uses,
        }
    }

    pub(super) fn extract(model: &Model<'_>, runs: &RunFlags) -> Parts {
        let file = model.file;
        let text = &*file.text;
        let mut inst_stage: Vec<Option<usize>> = model.info.iter().map(|i| i.stage).collect();
        inst_stage.resize(file.instructions.len(), None);
        let stages: Vec<StageInfo> = model
            .stages
            .iter()
            .map(|s| {
                let last = s.body.end.max(s.from + 1) - 1;
                let start = file.instructions.get(s.from).map_or(0, |i| i.span.start);
                let end = file.instructions.get(last).map_or(start, |i| i.span.end);
                StageInfo {
                    from: s.from,
                    body_end: s.body.end.max(s.from + 1),
                    name: s.name.as_ref().map(|n| (n.value.clone(), n.span)),
                    image_raw: s.image_word.as_ref().map(|w| (w.raw.clone(), w.span)),
                    image: s.image_evaluated.as_ref().map(|e| crate::shell::unquote(&e.value)),
                    unresolved: s.image_evaluated.as_ref().map(|e| e.unresolved.clone()).unwrap_or_default(),
                    base: s.base.clone(),
                    span: Span::new(start, end.max(start)),
                }
            })
            .collect();

        // Definitions: global ARGs, then each stage's ARG/ENV.
        let mut defs = Vec::new();
        let mut by_site: HashMap<(usize, usize, usize), usize> = HashMap::new();
        let mut push = |defs: &mut Vec<Def>, v: &crate::model::VarDef, stage: Option<usize>| {
            let (span, renameable) = name_span(text, v.name_span, &v.name);
            by_site.insert((v.instruction, v.name_span.start, v.name_span.end), defs.len());
            defs.push(Def {
                name: v.name.clone(),
                kind: v.kind,
                raw_value: v.raw_value.clone(),
                value: v.value.clone(),
                inst: v.instruction,
                stage,
                span,
                renameable,
                link: None,
            });
        };
        for v in &model.global_args {
            push(&mut defs, v, None);
        }
        let globals = defs.len();
        for (si, s) in model.stages.iter().enumerate() {
            for v in &s.vars {
                push(&mut defs, v, Some(si));
            }
        }
        for i in globals..defs.len() {
            if defs[i].kind == VarKind::Arg && defs[i].raw_value.is_none() {
                defs[i].link = (0..globals).rev().find(|&g| defs[g].name == defs[i].name);
            }
        }
        let site =
            |d: &crate::model::VarDef| by_site.get(&(d.instruction, d.name_span.start, d.name_span.end)).copied();

        // Variable uses.
        let mut uses = Vec::new();
        for (idx, inst) in file.instructions.iter().enumerate() {
            // Exec forms are scanned too: `["sh", "-c", "echo $X"]` uses `X`
            // when the command runs, and a rename must not miss it.
            let mut regions: Vec<&LogicalText> = vec![&inst.args];
            for h in crate::ide::heredocs(inst) {
                // RUN heredocs are scripts: the shell evaluates `$X` from the
                // environment even with a quoted delimiter. COPY/ADD ones are data.
                if runs.effective.get(idx).copied().unwrap_or(false) || !h.quoted {
                    regions.push(&h.body);
                }
            }
            for lt in regions {
                for r in all_refs(lt, inst.escape) {
                    let mut def = model.definition(&r.name, idx);
                    // An ONBUILD trigger runs in a later build, which inherits ENV only.
                    if inst.keyword == Keyword::Onbuild {
                        def = def.filter(|d| d.kind == VarKind::Env);
                    }
                    uses.push(use_of(r, idx, def.and_then(site)));
                }
            }
        }
        uses.sort_by_key(|u| (u.span.start, u.span.end));

        // Stage uses.
        let mut stage_uses = Vec::new();
        for s in &model.stages {
            if let (Base::Stage(p), Some(w)) = (&s.base, &s.image_word) {
                let plain = w.raw == w.value && !w.raw.contains('$');
                let form = if plain { RefForm::Name } else { RefForm::Variable };
                stage_uses.push(StageUse { span: w.span, stage: *p, form });
            }
        }
        for (idx, inst) in file.instructions.iter().enumerate() {
            for fw in flag_words(inst) {
                let Some((raw, vstart)) = fw.value.as_ref() else { continue };
                if inst.keyword == Keyword::Copy && fw.name == "from" {
                    let (inner, off) = unquote_piece(raw);
                    let span = inst.args.span(vstart + off, vstart + off + inner.len());
                    if let Some(u) = stage_use(model, idx, inner, span) {
                        stage_uses.push(u);
                    }
                } else if runs.outer.get(idx).copied().unwrap_or(false) && fw.name.eq_ignore_ascii_case("mount") {
                    for (key, value, voff) in mount_fields(raw) {
                        if !key.eq_ignore_ascii_case("from") {
                            continue;
                        }
                        let (inner, off) = unquote_piece(value);
                        let s = vstart + voff + off;
                        let span = inst.args.span(s, s + inner.len());
                        if let Some(u) = stage_use(model, idx, inner, span) {
                            stage_uses.push(u);
                        }
                    }
                }
            }
        }
        stage_uses.sort_by_key(|u| (u.span.start, u.span.end));
        // Kept as long as the document's version: no room to spare.
        uses.shrink_to_fit();
        Parts { inst_stage, stages, defs, uses, stage_uses }
    }
}

/// Variable references in `lt`, including those nested in another's word
/// (`${A:-$B}` gives `A` and `B`).
pub(super) fn all_refs(lt: &LogicalText, escape: char) -> Vec<VarRef> {
    let mut out = Vec::new();
    let mut todo = vec![(lt.clone(), 0usize)];
    while let Some((lt, depth)) = todo.pop() {
        for r in words::var_refs(&lt, escape) {
            if depth < 8
                && let (Some(op), Some(w)) = (&r.operator, &r.word)
                && w.contains('$')
            {
                let start = r.name_logical.1 + op.len();
                let end = r.logical.1.saturating_sub(1);
                if start < end && lt.text.get(start..end) == Some(w.as_str()) {
                    todo.push((lt.slice(start, end), depth + 1));
                }
            }
            out.push(r);
        }
    }
    out
}

pub(super) fn use_of(r: VarRef, inst: usize, def: Option<usize>) -> VarUse {
    VarUse { name: compact_str::CompactString::from(r.name), span: r.span, name_span: r.name_span, inst, def }
}

/// The span of `name` inside `span` (a key as written, maybe quoted).
pub(super) fn name_span(text: &str, span: Span, name: &str) -> (Span, bool) {
    let written = text.get(span.start..span.end).unwrap_or("");
    if written == name {
        return (span, true);
    }
    match written.find(name) {
        Some(p) if !name.is_empty() && written.replace(['"', '\''], "") == name => {
            (Span::new(span.start + p, span.start + p + name.len()), true)
        }
        _ => (span, false),
    }
}

/// `(inner, offset of inner)` of a piece with matching surrounding quotes removed.
pub(super) fn unquote_piece(s: &str) -> (&str, usize) {
    let b = s.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        (&s[1..s.len() - 1], 1)
    } else {
        (s, 0)
    }
}

/// A stage referenced by a `--from` or mount `from=` value.
pub(super) fn stage_use(model: &Model<'_>, idx: usize, value: &str, span: Span) -> Option<StageUse> {
    if value.is_empty() {
        return None;
    }
    let (evaluated, form) = if value.contains('$') {
        let e = model.expand(value, idx);
        if !e.unresolved.is_empty() {
            return None;
        }
        (e.value, RefForm::Variable)
    } else if value.bytes().all(|b| b.is_ascii_digit()) {
        (value.to_string(), RefForm::Index)
    } else {
        (value.to_string(), RefForm::Name)
    };
    let stage = model.stage_by_ref(evaluated.trim())?;
    Some(StageUse { span, stage: stage.index, form })
}

/// A leading `--flag[=value]` word of an instruction.
pub(super) struct FlagWord {
    /// Without the dashes.
    pub(super) name: String,
    /// The whole word.
    pub(super) span: Span,
    /// The value as written (quotes kept) and its logical start in `args`.
    pub(super) value: Option<(String, usize)>,
}

/// The flag words of `inst` (as the parser reads them), with logical offsets.
pub(super) fn flag_words(inst: &Instruction) -> Vec<FlagWord> {
    let mut out = Vec::new();
    for w in words::split_words(&inst.args, inst.escape) {
        if w.raw == "--" || !w.raw.starts_with("--") {
            break;
        }
        let eq = w.raw.find('=');
        let name_end = eq.unwrap_or(w.raw.len());
        out.push(FlagWord {
            name: w.raw[2..name_end].to_string(),
            span: w.span,
            value: eq.map(|e| (w.raw[e + 1..].to_string(), w.logical.0 + e + 1)),
        });
    }
    out
}

/// The comma-separated `key=value` fields of a mount value: (key, value, offset of value).
pub(super) fn mount_fields(raw: &str) -> Vec<(&str, &str, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for field in raw.split(',') {
        if let Some(eq) = field.find('=') {
            let key = field[..eq].trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace());
            out.push((key, &field[eq + 1..], offset + eq + 1));
        }
        offset += field.len() + 1;
    }
    out
}

// ---------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------

pub(super) fn touches(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

impl Analysis {
    pub(super) fn line1(&self, offset: usize) -> usize {
        self.file.lines.line_of(offset) + 1
    }

    /// The instruction whose span touches `offset`.
    pub(super) fn instruction_at(&self, offset: usize) -> Option<usize> {
        let insts = &self.file.instructions;
        let i = insts.partition_point(|i| i.span.start <= offset).checked_sub(1)?;
        touches(insts[i].span, offset).then_some(i)
    }

    /// The variable use touching `offset` (the innermost one).
    pub(super) fn use_at(&self, offset: usize) -> Option<&VarUse> {
        let end = self.uses.partition_point(|u| u.span.start <= offset);
        self.uses[..end].iter().rev().take(8).filter(|u| touches(u.span, offset)).min_by_key(|u| u.span.len())
    }

    pub(super) fn def_at(&self, offset: usize) -> Option<usize> {
        let idx = self.instruction_at(offset)?;
        let kw = self.file.instructions[idx].keyword;
        if !matches!(kw, Keyword::Arg | Keyword::Env) {
            return None;
        }
        let first = self.defs.partition_point(|d| d.inst < idx);
        self.defs_of(idx).iter().position(|d| touches(d.span, offset)).map(|p| first + p)
    }

    /// The definitions made by instruction `idx` (`defs` is in instruction order).
    pub(super) fn defs_of(&self, idx: usize) -> &[Def] {
        let a = self.defs.partition_point(|d| d.inst < idx);
        let b = self.defs.partition_point(|d| d.inst <= idx);
        &self.defs[a..b]
    }

    pub(super) fn stage_use_at(&self, offset: usize) -> Option<&StageUse> {
        let end = self.stage_uses.partition_point(|u| u.span.start <= offset);
        self.stage_uses[..end].iter().rev().take(4).find(|u| touches(u.span, offset))
    }

    pub(super) fn stage_def_at(&self, offset: usize) -> Option<usize> {
        let idx = self.instruction_at(offset)?;
        let s = self.inst_stage.get(idx).copied().flatten()?;
        let st = &self.stages[s];
        (st.from == idx && st.name.as_ref().is_some_and(|(_, sp)| touches(*sp, offset))).then_some(s)
    }

    /// The stage `instruction` sees variables of (`None`: the global scope,
    /// which FROM lines see too).
    pub(super) fn scope_of(&self, inst: usize) -> Option<usize> {
        let s = self.inst_stage.get(inst).copied().flatten()?;
        (self.stages[s].from != inst).then_some(s)
    }

    /// Every definition visible at instruction `at`, one per name (the one in
    /// force), nearest first.
    pub(super) fn visible(&self, at: usize) -> Vec<usize> {
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut order = Vec::new();
        let mut scan = |pred: &dyn Fn(&Def) -> bool, order: &mut Vec<usize>| {
            for (d, def) in self.defs.iter().enumerate().rev() {
                if pred(def) && seen.insert(def.name.as_str()) {
                    order.push(d);
                }
            }
        };
        match self.scope_of(at) {
            None => scan(&|def: &Def| def.stage.is_none() && def.inst < at, &mut order),
            Some(s) => {
                scan(&|def: &Def| def.stage == Some(s) && def.inst < at, &mut order);
                // ARG and ENV of the stages this one is built on (dockerfile >= 1.9).
                let mut cur = s;
                while let Base::Stage(p) = self.stages[cur].base {
                    if p >= cur {
                        break;
                    }
                    scan(&|def: &Def| def.stage == Some(p), &mut order);
                    cur = p;
                }
            }
        }
        order
    }

    /// The root of a definition's symbol (a stage `ARG X` re-declaration
    /// belongs to the global `ARG X`).
    pub(super) fn root(&self, d: usize) -> usize {
        self.defs[d].link.unwrap_or(d)
    }

    /// All definitions that form one variable symbol with `d`.
    pub(super) fn family(&self, d: usize) -> Vec<usize> {
        let r = self.root(d);
        (0..self.defs.len()).filter(|&x| self.root(x) == r).collect()
    }

    pub(super) fn stage_label(&self, s: usize) -> String {
        match &self.stages[s].name {
            Some((n, _)) => format!("`{n}` (stage {s})"),
            None => format!("stage {s}"),
        }
    }

    pub(super) fn stage_base_text(&self, s: usize) -> String {
        let st = &self.stages[s];
        match &st.base {
            Base::Scratch => "`scratch` (an empty image)".to_string(),
            Base::Stage(p) => format!("stage {}", self.stage_label(*p)),
            Base::Image(img) => {
                let mut out = code(&img.text);
                if let Some((raw, _)) = &st.image_raw
                    && raw.contains('$')
                {
                    out = format!("{out} (written {})", code(raw));
                }
                if !st.unresolved.is_empty() {
                    out.push_str(&format!(
                        "; no value for {}",
                        st.unresolved.iter().map(|u| code(u)).collect::<Vec<_>>().join(", ")
                    ));
                }
                out
            }
        }
    }

    /// All stages named `name` (case-insensitive), in order.
    pub(super) fn stages_named(&self, name: &str) -> Vec<usize> {
        (0..self.stages.len())
            .filter(|&s| self.stages[s].name.as_ref().is_some_and(|(n, _)| n.eq_ignore_ascii_case(name)))
            .collect()
    }
}

/// Markdown inline code for any text.
pub(super) fn code(s: &str) -> String {
    let s = s.replace('\n', " ");
    if s.contains('`') { format!("`` {s} ``") } else { format!("`{s}`") }
}
