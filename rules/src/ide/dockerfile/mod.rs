//! Dockerfile editor features: hover, completion, outline, folding,
//! definition, references and rename.
//!
//! Everything goes through [`Analysis`], an owned snapshot of one document
//! (the parsed file plus what the semantic model says about its stages and
//! variables). Build it once per document version and ask it many questions
//! (`Analysis::new(text)`, or `Analysis::from_model(&model)` when a
//! [`Model`] is already at hand); queries are then binary searches and short
//! scans (microseconds on a 2,000-line file). The free functions
//! ([`hover`], [`completion`], ...) build an `Analysis` for one call.
//!
//! Variables are resolved by the model ([`Model::definition`]): a global ARG
//! (before the first FROM) is visible in FROM lines only, a stage sees its
//! own ARG/ENV defined before the instruction and the ARG/ENV of the stages it
//! is built on (BuildKit 1.9 and later). `ARG X` without a value inside a stage re-declares the global
//! `ARG X` and takes its default, so the two are one symbol for references
//! and rename. Stage names are matched case-insensitively, as BuildKit does.
//!
//! Offsets are byte offsets into the analysed text; out-of-range offsets are
//! clamped and offsets inside a UTF-8 character move back to its start.

use std::collections::HashMap;
use std::sync::Arc;

use super::{
    Completion, CompletionKind, Fold, Hover, Occurrence, RenameError, Symbol, SymbolKind, TextEdit, clamp_offset,
};
use crate::model::{AUTOMATIC_ARGS, Base, Model, VarKind};
use crate::syntax::words::{self, VarRef};
use crate::syntax::{Dockerfile, Instruction, Keyword, LogicalText};
use crate::text::Span;

// The flag table the BD2xxx rules use.
use crate::rules::dockerfile::instruction_spec::{self, FlagSpec, FlagValue};

const REFERENCE: &str = "https://docs.docker.com/reference/dockerfile/";

// ---------------------------------------------------------------------------
// The analysis
// ---------------------------------------------------------------------------

/// How a stage is named at a use site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RefForm {
    /// The name, written literally (renamed with the stage).
    Name,
    /// The stage's index number (`--from=0`): unaffected by a rename.
    Index,
    /// Through variables (`FROM ${BASE}`): cannot be renamed safely.
    Variable,
}

#[derive(Debug, Clone)]
struct StageInfo {
    /// Index of the FROM instruction.
    from: usize,
    /// One past the last instruction of the stage.
    body_end: usize,
    name: Option<(String, Span)>,
    /// The image word as written and its span.
    image_raw: Option<(String, Span)>,
    /// The image with global ARGs evaluated; `None` without an image word.
    image: Option<String>,
    /// Variables in the image word that have no value.
    unresolved: Vec<String>,
    base: Base,
    /// From the FROM keyword to the end of the stage's last instruction.
    span: Span,
}

#[derive(Debug, Clone)]
struct Def {
    name: String,
    kind: VarKind,
    raw_value: Option<String>,
    value: Option<String>,
    inst: usize,
    /// `None` for a global ARG.
    stage: Option<usize>,
    /// The name as written (without quotes when it was quoted).
    span: Span,
    /// False when the name's text is not exactly `name` (escapes, odd quoting).
    renameable: bool,
    /// For `ARG X` without a value inside a stage: the global ARG whose default it takes.
    link: Option<usize>,
}

#[derive(Debug, Clone)]
struct VarUse {
    /// Inline up to 24 bytes: a large file has one per `$NAME`.
    name: compact_str::CompactString,
    /// The whole reference (`$X`, `${X:-d}`).
    span: Span,
    name_span: Span,
    inst: usize,
    def: Option<usize>,
}

#[derive(Debug, Clone)]
struct StageUse {
    /// The name (or index, or variable text) as written, quotes excluded.
    span: Span,
    stage: usize,
    form: RefForm,
}

/// An owned snapshot of a Dockerfile for editor queries. See the module docs.
#[derive(Debug, Clone)]
pub struct Analysis {
    file: Arc<Dockerfile>,
    /// Per instruction: the stage it belongs to (`None` before the first FROM);
    /// a FROM belongs to its own stage.
    inst_stage: Vec<Option<usize>>,
    stages: Vec<StageInfo>,
    defs: Vec<Def>,
    /// Sorted by span start.
    uses: Vec<VarUse>,
    /// Sorted by span start.
    stage_uses: Vec<StageUse>,
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
struct RunFlags {
    outer: Vec<bool>,
    effective: Vec<bool>,
}

impl RunFlags {
    fn of(file: &Dockerfile) -> RunFlags {
        RunFlags {
            outer: file.instructions.iter().map(|i| i.keyword == Keyword::Run).collect(),
            effective: file.instructions.iter().map(|i| i.effective().keyword == Keyword::Run).collect(),
        }
    }
}

/// The analysis without the file, so that it can be computed while the model
/// borrows the file and then moved next to it.
struct Parts {
    inst_stage: Vec<Option<usize>>,
    stages: Vec<StageInfo>,
    defs: Vec<Def>,
    uses: Vec<VarUse>,
    stage_uses: Vec<StageUse>,
}

impl Parts {
    fn into_analysis(self, file: Arc<Dockerfile>) -> Analysis {
        Analysis {
            file,
            inst_stage: self.inst_stage,
            stages: self.stages,
            defs: self.defs,
            uses: self.uses,
            stage_uses: self.stage_uses,
        }
    }

    fn extract(model: &Model<'_>, runs: &RunFlags) -> Parts {
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
            for h in super::heredocs(inst) {
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
fn all_refs(lt: &LogicalText, escape: char) -> Vec<VarRef> {
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

fn use_of(r: VarRef, inst: usize, def: Option<usize>) -> VarUse {
    VarUse { name: compact_str::CompactString::from(r.name), span: r.span, name_span: r.name_span, inst, def }
}

/// The span of `name` inside `span` (a key as written, maybe quoted).
fn name_span(text: &str, span: Span, name: &str) -> (Span, bool) {
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
fn unquote_piece(s: &str) -> (&str, usize) {
    let b = s.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        (&s[1..s.len() - 1], 1)
    } else {
        (s, 0)
    }
}

/// A stage referenced by a `--from` or mount `from=` value.
fn stage_use(model: &Model<'_>, idx: usize, value: &str, span: Span) -> Option<StageUse> {
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
struct FlagWord {
    /// Without the dashes.
    name: String,
    /// The whole word.
    span: Span,
    /// The value as written (quotes kept) and its logical start in `args`.
    value: Option<(String, usize)>,
}

/// The flag words of `inst` (as the parser reads them), with logical offsets.
fn flag_words(inst: &Instruction) -> Vec<FlagWord> {
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
fn mount_fields(raw: &str) -> Vec<(&str, &str, usize)> {
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

fn touches(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

impl Analysis {
    fn line1(&self, offset: usize) -> usize {
        self.file.lines.line_of(offset) + 1
    }

    /// The instruction whose span touches `offset`.
    fn instruction_at(&self, offset: usize) -> Option<usize> {
        let insts = &self.file.instructions;
        let i = insts.partition_point(|i| i.span.start <= offset).checked_sub(1)?;
        touches(insts[i].span, offset).then_some(i)
    }

    /// The variable use touching `offset` (the innermost one).
    fn use_at(&self, offset: usize) -> Option<&VarUse> {
        let end = self.uses.partition_point(|u| u.span.start <= offset);
        self.uses[..end].iter().rev().take(8).filter(|u| touches(u.span, offset)).min_by_key(|u| u.span.len())
    }

    fn def_at(&self, offset: usize) -> Option<usize> {
        let idx = self.instruction_at(offset)?;
        let kw = self.file.instructions[idx].keyword;
        if !matches!(kw, Keyword::Arg | Keyword::Env) {
            return None;
        }
        let first = self.defs.partition_point(|d| d.inst < idx);
        self.defs_of(idx).iter().position(|d| touches(d.span, offset)).map(|p| first + p)
    }

    /// The definitions made by instruction `idx` (`defs` is in instruction order).
    fn defs_of(&self, idx: usize) -> &[Def] {
        let a = self.defs.partition_point(|d| d.inst < idx);
        let b = self.defs.partition_point(|d| d.inst <= idx);
        &self.defs[a..b]
    }

    fn stage_use_at(&self, offset: usize) -> Option<&StageUse> {
        let end = self.stage_uses.partition_point(|u| u.span.start <= offset);
        self.stage_uses[..end].iter().rev().take(4).find(|u| touches(u.span, offset))
    }

    fn stage_def_at(&self, offset: usize) -> Option<usize> {
        let idx = self.instruction_at(offset)?;
        let s = self.inst_stage.get(idx).copied().flatten()?;
        let st = &self.stages[s];
        (st.from == idx && st.name.as_ref().is_some_and(|(_, sp)| touches(*sp, offset))).then_some(s)
    }

    /// The stage `instruction` sees variables of (`None`: the global scope,
    /// which FROM lines see too).
    fn scope_of(&self, inst: usize) -> Option<usize> {
        let s = self.inst_stage.get(inst).copied().flatten()?;
        (self.stages[s].from != inst).then_some(s)
    }

    /// Every definition visible at instruction `at`, one per name (the one in
    /// force), nearest first.
    fn visible(&self, at: usize) -> Vec<usize> {
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
    fn root(&self, d: usize) -> usize {
        self.defs[d].link.unwrap_or(d)
    }

    /// All definitions that form one variable symbol with `d`.
    fn family(&self, d: usize) -> Vec<usize> {
        let r = self.root(d);
        (0..self.defs.len()).filter(|&x| self.root(x) == r).collect()
    }

    fn stage_label(&self, s: usize) -> String {
        match &self.stages[s].name {
            Some((n, _)) => format!("`{n}` (stage {s})"),
            None => format!("stage {s}"),
        }
    }

    fn stage_base_text(&self, s: usize) -> String {
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
    fn stages_named(&self, name: &str) -> Vec<usize> {
        (0..self.stages.len())
            .filter(|&s| self.stages[s].name.as_ref().is_some_and(|(n, _)| n.eq_ignore_ascii_case(name)))
            .collect()
    }
}

/// Markdown inline code for any text.
fn code(s: &str) -> String {
    let s = s.replace('\n', " ");
    if s.contains('`') { format!("`` {s} ``") } else { format!("`{s}`") }
}

// ---------------------------------------------------------------------------
// Free functions: one analysis per call
// ---------------------------------------------------------------------------

/// Hover text at `offset`. See [`Analysis::hover`].
pub fn hover(text: &str, offset: usize) -> Option<Hover> {
    Analysis::new(text).hover(offset)
}

/// Completions at `offset`. See [`Analysis::completion`].
pub fn completion(text: &str, offset: usize) -> Vec<Completion> {
    Analysis::new(text).completion(offset)
}

/// The document outline. See [`Analysis::symbols`].
pub fn symbols(text: &str) -> Vec<Symbol> {
    Analysis::new(text).symbols()
}

/// Foldable ranges. See [`Analysis::folding`] (this one does not build the model).
pub fn folding(text: &str) -> Vec<Fold> {
    folding_of(&Dockerfile::parse(text))
}

/// Where the symbol at `offset` is defined. See [`Analysis::definition`].
pub fn definition(text: &str, offset: usize) -> Option<Span> {
    Analysis::new(text).definition(offset)
}

/// Every occurrence of the symbol at `offset`. See [`Analysis::references`].
pub fn references(text: &str, offset: usize, include_declaration: bool) -> Vec<Occurrence> {
    Analysis::new(text).references(offset, include_declaration)
}

/// The range a rename at `offset` would change. See [`Analysis::prepare_rename`].
pub fn prepare_rename(text: &str, offset: usize) -> Option<Span> {
    Analysis::new(text).prepare_rename(offset)
}

/// The edits renaming the symbol at `offset`. See [`Analysis::rename`].
pub fn rename(text: &str, offset: usize, new_name: &str) -> Result<Vec<TextEdit>, RenameError> {
    Analysis::new(text).rename(offset, new_name)
}

/// Every occurrence of stage `name`. See [`Analysis::stage_references_for_name`].
pub fn stage_references_for_name(text: &str, name: &str) -> Vec<Occurrence> {
    Analysis::new(text).stage_references_for_name(name)
}

/// The edits renaming stage `old` to `new`. See [`Analysis::rename_stage`].
pub fn rename_stage(text: &str, old: &str, new: &str) -> Result<Vec<TextEdit>, RenameError> {
    Analysis::new(text).rename_stage(old, new)
}

/// The stage names of a Dockerfile, in order (for Compose `build.target`).
pub fn stage_names(text: &str) -> Vec<String> {
    // Names only: the parser is enough.
    let file = Dockerfile::parse(text);
    file.instructions
        .iter()
        .filter(|i| i.keyword == Keyword::From)
        .filter_map(|i| {
            let ws = i.words();
            (ws.len() >= 3 && ws[1].value.eq_ignore_ascii_case("as")).then(|| ws[2].value.clone())
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Reference text
// ---------------------------------------------------------------------------

/// One instruction's reference: what it does, its syntax, its anchor.
struct KeywordDoc {
    keyword: Keyword,
    summary: &'static str,
    syntax: &'static str,
    anchor: &'static str,
    snippet: &'static str,
}

static KEYWORD_DOCS: &[KeywordDoc] = &[
    KeywordDoc {
        keyword: Keyword::From,
        summary: "Starts a new build stage on a base image, an earlier stage or `scratch`. `AS name` names the \
                  stage for `COPY --from`, `RUN --mount=from=` and `--target`. ARGs declared before the first \
                  FROM can be used in FROM lines.",
        syntax: "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]",
        anchor: "from",
        snippet: "FROM ${1:image}",
    },
    KeywordDoc {
        keyword: Keyword::Run,
        summary: "Runs a command in a new layer on top of the current image. The shell form runs under the stage's \
                  SHELL (`/bin/sh -c` by default); the exec form runs the program directly.",
        syntax: "RUN [--mount=...] [--network=...] [--security=...] <command>\nRUN [OPTIONS] [\"executable\", \"param\", ...]\nRUN <<EOF\n...\nEOF",
        anchor: "run",
        snippet: "RUN ${1:command}",
    },
    KeywordDoc {
        keyword: Keyword::Cmd,
        summary: "Sets the default command of containers started from the image, or the default arguments of \
                  ENTRYPOINT. Only the last CMD of the final stage counts. Prefer the exec (JSON) form.",
        syntax: "CMD [\"executable\", \"param\", ...]\nCMD [\"param\", ...]\nCMD command param ...",
        anchor: "cmd",
        snippet: "CMD [\"${1:executable}\"]",
    },
    KeywordDoc {
        keyword: Keyword::Label,
        summary: "Adds metadata to the image as key-value pairs (for example the `org.opencontainers.image.*` keys).",
        syntax: "LABEL <key>=<value> [<key>=<value> ...]",
        anchor: "label",
        snippet: "LABEL ${1:key}=\"${2:value}\"",
    },
    KeywordDoc {
        keyword: Keyword::Maintainer,
        summary: "Deprecated: sets the image's author field. Use `LABEL org.opencontainers.image.authors=...`.",
        syntax: "MAINTAINER <name>",
        anchor: "maintainer-deprecated",
        snippet: "MAINTAINER ${1:name}",
    },
    KeywordDoc {
        keyword: Keyword::Expose,
        summary: "Documents the ports the container listens on (TCP unless `/udp` is given). It does not publish \
                  them: that is `docker run -p` or Compose `ports`.",
        syntax: "EXPOSE <port>[/<protocol>] ...",
        anchor: "expose",
        snippet: "EXPOSE ${1:8080}",
    },
    KeywordDoc {
        keyword: Keyword::Env,
        summary: "Sets environment variables. They are visible to the later instructions of the stage, to stages \
                  built on it and to containers run from the image.",
        syntax: "ENV <key>=<value> [<key>=<value> ...]",
        anchor: "env",
        snippet: "ENV ${1:NAME}=${2:value}",
    },
    KeywordDoc {
        keyword: Keyword::Add,
        summary: "Adds files from the build context, URLs or Git repositories, and unpacks local tar archives. \
                  Prefer COPY for plain local files.",
        syntax: "ADD [OPTIONS] <src> ... <dest>\nADD [OPTIONS] [\"<src>\", ... \"<dest>\"]",
        anchor: "add",
        snippet: "ADD ${1:src} ${2:dest}",
    },
    KeywordDoc {
        keyword: Keyword::Copy,
        summary: "Copies files and directories from the build context, another stage or an image (`--from`) into \
                  the image.",
        syntax: "COPY [OPTIONS] <src> ... <dest>\nCOPY [OPTIONS] [\"<src>\", ... \"<dest>\"]",
        anchor: "copy",
        snippet: "COPY ${1:src} ${2:dest}",
    },
    KeywordDoc {
        keyword: Keyword::Entrypoint,
        summary: "Makes the container run as an executable; CMD gives its default arguments. Use the exec (JSON) \
                  form so that the process is PID 1 and receives signals.",
        syntax: "ENTRYPOINT [\"executable\", \"param\", ...]\nENTRYPOINT command param ...",
        anchor: "entrypoint",
        snippet: "ENTRYPOINT [\"${1:executable}\"]",
    },
    KeywordDoc {
        keyword: Keyword::Volume,
        summary: "Creates a mount point for externally mounted volumes. Files written to it by later build steps \
                  may be discarded.",
        syntax: "VOLUME [\"/data\"]\nVOLUME /data ...",
        anchor: "volume",
        snippet: "VOLUME ${1:/data}",
    },
    KeywordDoc {
        keyword: Keyword::User,
        summary: "Sets the user (and optionally the group) for the rest of the stage and for containers run from \
                  the image.",
        syntax: "USER <user>[:<group>]\nUSER <uid>[:<gid>]",
        anchor: "user",
        snippet: "USER ${1:user}",
    },
    KeywordDoc {
        keyword: Keyword::Workdir,
        summary: "Sets the working directory of later RUN, CMD, ENTRYPOINT, COPY and ADD, creating it if needed. \
                  A relative path is resolved against the previous WORKDIR.",
        syntax: "WORKDIR /path/to/workdir",
        anchor: "workdir",
        snippet: "WORKDIR ${1:/app}",
    },
    KeywordDoc {
        keyword: Keyword::Arg,
        summary: "Declares a build argument (`--build-arg`), optionally with a default. Before the first FROM it is \
                  global and usable in FROM lines; a stage must declare it again (`ARG NAME`) to see it. Values \
                  show in the image history: do not pass secrets this way.",
        syntax: "ARG <name>[=<default value>] [<name>[=<default value>] ...]",
        anchor: "arg",
        snippet: "ARG ${1:NAME}=${2:value}",
    },
    KeywordDoc {
        keyword: Keyword::Onbuild,
        summary: "Adds a trigger instruction that runs later, when the image is the base of another build.",
        syntax: "ONBUILD <INSTRUCTION>",
        anchor: "onbuild",
        snippet: "ONBUILD ${1:INSTRUCTION}",
    },
    KeywordDoc {
        keyword: Keyword::Stopsignal,
        summary: "Sets the signal that stops the container (SIGTERM by default).",
        syntax: "STOPSIGNAL <signal>",
        anchor: "stopsignal",
        snippet: "STOPSIGNAL ${1:SIGTERM}",
    },
    KeywordDoc {
        keyword: Keyword::Healthcheck,
        summary: "Tells the runtime how to check that the container still works; `NONE` disables a check inherited \
                  from the base image.",
        syntax: "HEALTHCHECK [--interval=30s] [--timeout=30s] [--start-period=0s] [--start-interval=5s] \
                 [--retries=3] CMD <command>\nHEALTHCHECK NONE",
        anchor: "healthcheck",
        snippet: "HEALTHCHECK --interval=${1:30s} --timeout=${2:5s} CMD ${3:command}",
    },
    KeywordDoc {
        keyword: Keyword::Shell,
        summary: "Sets the shell that runs the shell form of RUN, CMD and ENTRYPOINT (`[\"/bin/sh\", \"-c\"]` by \
                  default on Linux).",
        syntax: "SHELL [\"executable\", \"parameters\"]",
        anchor: "shell",
        snippet: "SHELL [\"${1:/bin/bash}\", \"${2:-c}\"]",
    },
];

fn keyword_doc(k: Keyword) -> Option<&'static KeywordDoc> {
    KEYWORD_DOCS.iter().find(|d| d.keyword == k)
}

fn keyword_markdown(d: &KeywordDoc) -> String {
    format!(
        "**{}**: {}\n\n```dockerfile\n{}\n```\n\n[Dockerfile reference]({REFERENCE}#{})",
        d.keyword.as_str(),
        d.summary,
        d.syntax,
        d.anchor
    )
}

/// What a flag does, and the reference anchor of its section.
fn flag_doc(k: Keyword, name: &str) -> Option<(&'static str, &'static str)> {
    Some(match (k, name) {
        (Keyword::From, "platform") => (
            "The platform of the base image, such as `linux/amd64`, for multi-platform builds. Usually \
             `$BUILDPLATFORM` (build tools that run on the builder) or `$TARGETPLATFORM`; a constant value \
             pins the stage to one platform.",
            "from",
        ),
        (Keyword::Copy, "from") => (
            "Copy from an earlier build stage (by name or index), an image or a named build context instead \
             of the build context.",
            "copy---from",
        ),
        (Keyword::Copy | Keyword::Add, "chown") => (
            "Owner of the copied files: `user`, `user:group`, `uid` or `uid:gid` (names are looked up in the \
             image's `/etc/passwd` and `/etc/group`). Without it, files belong to root (0:0).",
            "copy---chown---chmod",
        ),
        (Keyword::Copy | Keyword::Add, "chmod") => (
            "Permissions of the copied files: an octal mode such as `0755` (or a symbolic one such as `u+x` \
             with recent syntax versions).",
            "copy---chown---chmod",
        ),
        (Keyword::Copy | Keyword::Add, "link") => (
            "Copy into a separate layer that does not depend on the layers below, so that it stays cached \
             when the base changes and can be rebased without a rebuild.",
            "copy---link",
        ),
        (Keyword::Copy, "parents") => (
            "Keep the parent directories of the sources (up to a `/./` pivot) under the destination.",
            "copy---parents",
        ),
        (Keyword::Copy | Keyword::Add, "exclude") => {
            ("Leave out files that match this pattern (may be repeated).", "copy---exclude")
        }
        (Keyword::Add, "keep-git-dir") => {
            ("When adding a Git repository, keep its `.git` directory.", "add---keep-git-dir")
        }
        (Keyword::Add, "checksum") => {
            ("Verify a remote source: `sha256:<hex>` (or a commit for Git sources).", "add---checksum")
        }
        (Keyword::Add, "unpack") => (
            "Whether to unpack a tar archive source (local archives are unpacked and remote ones are not, \
             by default).",
            "add",
        ),
        (Keyword::Run, "mount") => (
            "Mount something during this RUN only: `type=cache` (a persistent cache directory), `bind` \
             (files of the context or another stage), `tmpfs`, `secret` (a secret file or variable that \
             never reaches the image) or `ssh` (the SSH agent).",
            "run---mount",
        ),
        (Keyword::Run, "network") => (
            "The network of the command: `default`, `none` (no network access) or `host` (needs the \
             `network.host` entitlement).",
            "run---network",
        ),
        (Keyword::Run, "security") => (
            "`insecure` runs the command without the sandbox (needs the `security.insecure` entitlement); \
             `sandbox` is the default.",
            "run---security",
        ),
        (Keyword::Run, "device") => ("Expose a CDI device to the command (`name[,required]`).", "run"),
        (Keyword::Healthcheck, "interval") => ("Time between checks (default `30s`).", "healthcheck"),
        (Keyword::Healthcheck, "timeout") => {
            ("How long one check may take before it counts as failed (default `30s`).", "healthcheck")
        }
        (Keyword::Healthcheck, "start-period") => {
            ("Grace time after start during which failures do not count (default `0s`).", "healthcheck")
        }
        (Keyword::Healthcheck, "start-interval") => {
            ("Time between checks during the start period (default `5s`).", "healthcheck")
        }
        (Keyword::Healthcheck, "retries") => {
            ("Consecutive failures before the container is unhealthy (default `3`).", "healthcheck")
        }
        _ => return None,
    })
}

static MOUNT_TYPE_DOCS: &[(&str, &str)] = &[
    ("bind", "Bind files of the build context (or of another stage with `from=`), read-only by default."),
    ("cache", "A directory kept between builds for compilers and package managers (`target=` is required)."),
    ("tmpfs", "An in-memory file system, empty for each run."),
    ("secret", "A secret (`--secret id=...`) as a file under `/run/secrets/` or as a variable (`env=`)."),
    ("ssh", "The SSH agent socket (`--ssh`), for private Git repositories."),
];

static MOUNT_KEY_DOCS: &[(&str, &str, &[&str])] = &[
    ("target", "Where the mount appears (`dst`, `destination`).", &["bind", "cache", "tmpfs", "secret", "ssh"]),
    ("source", "Path in `from` (or the context) to mount (`src`).", &["bind", "cache"]),
    ("from", "Stage, image or build context to mount from.", &["bind", "cache"]),
    ("readonly", "Mount read-only (`ro`); bind mounts are read-only by default.", &["bind", "cache"]),
    ("rw", "Allow writes to a bind mount (they are discarded).", &["bind"]),
    ("id", "Cache id (defaults to `target`) or secret/SSH id.", &["cache", "secret", "ssh"]),
    ("sharing", "`shared` (default), `private` or `locked`.", &["cache"]),
    ("mode", "File mode of the cache directory, secret or socket.", &["cache", "secret", "ssh"]),
    ("uid", "User id owning the mount.", &["cache", "secret", "ssh"]),
    ("gid", "Group id owning the mount.", &["cache", "secret", "ssh"]),
    ("size", "Maximum size of a tmpfs, such as `64m`.", &["tmpfs"]),
    ("env", "Expose the secret as this environment variable.", &["secret"]),
    ("required", "Fail when the secret or SSH socket is not given.", &["secret", "ssh"]),
];

static DIRECTIVE_DOCS: &[(&str, &str, &str)] = &[
    (
        "syntax",
        "The Dockerfile frontend that builds this file, such as `docker/dockerfile:1` (the latest 1.x).",
        "syntax",
    ),
    ("escape", "The escape and line-continuation character: `\\` (default) or `` ` `` (handy on Windows).", "escape"),
    (
        "check",
        "Configures the build checks: `skip=Name,...` turns checks off, `error=true` makes warnings fail the build.",
        "check",
    ),
];

const PLATFORMS: &[&str] = &[
    "$BUILDPLATFORM",
    "$TARGETPLATFORM",
    "linux/amd64",
    "linux/arm64",
    "linux/arm/v7",
    "linux/arm/v6",
    "linux/386",
    "linux/ppc64le",
    "linux/s390x",
    "linux/riscv64",
    "windows/amd64",
];

// ---------------------------------------------------------------------------
// Hover
// ---------------------------------------------------------------------------

impl Analysis {
    /// Hover text at `offset`: an instruction keyword's reference, a flag's
    /// description, a stage (where it is defined, its base), a variable (its
    /// value at that point and where it is defined), a parser directive, or
    /// the rule named in a `# hadolint ignore=` / `# berth ignore=` /
    /// `# check=skip=` comment.
    pub fn hover(&self, offset: usize) -> Option<Hover> {
        let off = clamp_offset(self.text(), offset);
        if let Some(h) = self.hover_comment(off) {
            return Some(h);
        }
        if let Some(u) = self.use_at(off) {
            return Some(Hover { span: u.span, markdown: self.var_use_markdown(u) });
        }
        if let Some(d) = self.def_at(off) {
            return Some(Hover { span: self.defs[d].span, markdown: self.def_markdown(d) });
        }
        if let Some(u) = self.stage_use_at(off) {
            return Some(Hover { span: u.span, markdown: self.stage_markdown(u.stage) });
        }
        if let Some(s) = self.stage_def_at(off) {
            let span = self.stages[s].name.as_ref().map(|(_, sp)| *sp).unwrap_or_default();
            return Some(Hover { span, markdown: self.stage_markdown(s) });
        }
        let idx = self.instruction_at(off)?;
        let inst = &self.file.instructions[idx];
        // The keyword, or an ONBUILD trigger's keyword.
        let mut cur = Some(inst);
        while let Some(i) = cur {
            if touches(i.keyword_span, off) {
                let d = keyword_doc(i.keyword)?;
                return Some(Hover { span: i.keyword_span, markdown: keyword_markdown(d) });
            }
            if let Some(h) = hover_flag(i, off) {
                return Some(h);
            }
            cur = i.trigger.as_deref();
        }
        // The image of a FROM.
        if inst.keyword == Keyword::From
            && let Some(s) = self.inst_stage.get(idx).copied().flatten()
            && let Some((_, span)) = &self.stages[s].image_raw
            && touches(*span, off)
        {
            let md = match &self.stages[s].base {
                Base::Image(img) => {
                    let mut md = format!("**Base image** {}", self.stage_base_text(s));
                    if !img.repository.is_empty() {
                        md.push_str(&format!(
                            "\n\n- registry: {}\n- repository: {}\n- tag: {}",
                            img.registry.as_deref().map_or("Docker Hub (default)".to_string(), code),
                            code(&img.repository),
                            img.tag.as_deref().map_or_else(
                                || if img.digest.is_some() { "none".to_string() } else { "`latest` (default)".into() },
                                code
                            )
                        ));
                        if let Some(d) = &img.digest {
                            md.push_str(&format!("\n- digest: {}", code(d)));
                        }
                    }
                    md
                }
                Base::Scratch => "**scratch**: an empty image, the start of images built from nothing.".into(),
                Base::Stage(p) => self.stage_markdown(*p),
            };
            return Some(Hover { span: *span, markdown: md });
        }
        None
    }

    fn var_use_markdown(&self, u: &VarUse) -> String {
        match u.def {
            Some(d) => {
                let def = &self.defs[d];
                let value = match &def.value {
                    Some(v) => format!("= {}", code(v)),
                    None => "has no default value (set it with `--build-arg`)".to_string(),
                };
                let mut md = format!("**{}** {value}\n\nDefined by {}", def.name, self.def_origin(d));
                if def.stage.is_some() && def.stage != self.scope_of(u.inst) {
                    md.push_str(" Inherited through the base stage.");
                }
                md
            }
            None => {
                let mut md = format!("**{}**: not defined in this Dockerfile", u.name);
                let scope = self.scope_of(u.inst);
                let global = self.defs.iter().rposition(|d| d.stage.is_none() && d.name == u.name);
                if AUTOMATIC_ARGS.contains(&u.name.as_str()) {
                    md = format!("**{}**: a build argument BuildKit sets itself", u.name);
                    if scope.is_some() {
                        md.push_str(&format!(
                            "; inside a stage it is empty unless the stage declares `ARG {}`",
                            u.name
                        ));
                    }
                } else if let (Some(g), Some(_)) = (global, scope) {
                    md.push_str(&format!(
                        ".\n\nA global `ARG {}` exists (line {}), but a stage sees it only after declaring \
                         `ARG {}` again.",
                        u.name,
                        self.line1(self.defs[g].span.start),
                        u.name
                    ));
                } else {
                    md.push_str(" (it may come from the base image's environment or from the shell).");
                }
                md
            }
        }
    }

    /// "`ARG` on line N, global (before the first FROM)." and friends.
    fn def_origin(&self, d: usize) -> String {
        let def = &self.defs[d];
        let kind = if def.kind == VarKind::Arg { "ARG" } else { "ENV" };
        let place = match def.stage {
            None => "global (before the first FROM)".to_string(),
            Some(s) => format!("in stage {}", self.stage_label(s)),
        };
        let mut out = format!("`{kind}` on line {}, {place}.", self.line1(def.span.start));
        if let Some(g) = def.link {
            out.push_str(&format!(
                " It re-declares the global `ARG {}` (line {}) and takes its default.",
                def.name,
                self.line1(self.defs[g].span.start)
            ));
        }
        out
    }

    fn def_markdown(&self, d: usize) -> String {
        let def = &self.defs[d];
        let value = match (&def.value, &def.raw_value) {
            (Some(v), Some(raw)) if v != raw => format!("= {} (written {})", code(v), code(raw)),
            (Some(v), _) => format!("= {}", code(v)),
            (None, _) => "has no default value (set it with `--build-arg`)".to_string(),
        };
        let fam = self.family(d);
        let uses = self.uses.iter().filter(|u| u.def.is_some_and(|x| fam.contains(&x))).count();
        format!(
            "**{}** {value}\n\n{} Used {uses} time{}.",
            def.name,
            self.def_origin(d),
            if uses == 1 { "" } else { "s" }
        )
    }

    fn stage_markdown(&self, s: usize) -> String {
        let st = &self.stages[s];
        let line = self.file.instructions.get(st.from).map_or(1, |i| self.line1(i.span.start));
        let title = match &st.name {
            Some((n, _)) => format!("**Stage `{n}`** (stage {s})"),
            None => format!("**Stage {s}** (unnamed)"),
        };
        let last = s + 1 == self.stages.len();
        format!(
            "{title}, defined on line {line}\n\nBase: {}{}",
            self.stage_base_text(s),
            if last { "\n\nThe last stage: it is the image `docker build` produces without `--target`." } else { "" }
        )
    }

    /// Hovers inside comment lines: directives and suppression pragmas.
    fn hover_comment(&self, off: usize) -> Option<Hover> {
        let c = self.file.comments.iter().find(|c| touches(c.span, off))?;
        let line = &self.file.text[c.span.start..c.span.end];
        if let Some(d) = self.file.directives.iter().find(|d| d.span == c.span) {
            let (_, doc, anchor) = DIRECTIVE_DOCS.iter().find(|(n, _, _)| *n == d.name)?;
            if d.name == "check" {
                // A check name in `skip=` gives that rule.
                if let Some(h) = rule_in_list(line, c.span.start, off, "skip") {
                    return Some(h);
                }
            }
            return Some(Hover {
                span: d.span,
                markdown: format!(
                    "**Parser directive `{}`**: {doc}\n\n[Dockerfile reference]({REFERENCE}#{anchor})",
                    d.name
                ),
            });
        }
        let body = line.trim_start_matches('#').trim_start();
        if body.starts_with("check=") {
            return rule_in_list(line, c.span.start, off, "skip");
        }
        if body.starts_with("hadolint") || body.starts_with("berth") {
            return rule_in_list(line, c.span.start, off, "ignore");
        }
        None
    }
}

/// The rule whose selector in the list after `marker` (`ignore=A,B`,
/// `skip=A,B`) touches `off`.
fn rule_in_list(line: &str, line_start: usize, off: usize, marker: &str) -> Option<Hover> {
    let m = line.find(marker)?;
    let after = &line[m + marker.len()..];
    let eq = after.find('=')?;
    if !after[..eq].trim().is_empty() {
        return None;
    }
    let list_off = m + marker.len() + eq + 1;
    let rest = &line[list_off..];
    let lead = rest.len() - rest.trim_start().len();
    let list = rest.trim_start().split(|c: char| c.is_whitespace() || c == ';').next().unwrap_or("");
    let mut pos = line_start + list_off + lead;
    for sel in list.split(',') {
        let span = Span::new(pos, pos + sel.len());
        pos += sel.len() + 1;
        if !touches(span, off) || sel.trim().is_empty() {
            continue;
        }
        let meta = crate::rules::by_code(sel.trim()).or_else(|| crate::rules::find(sel.trim()))?;
        let mut md = format!("**{}** `{}`: {}", meta.code, meta.name, meta.summary);
        if let Some(b) = meta.buildkit {
            md.push_str(&format!(" (BuildKit check `{b}`)"));
        }
        md.push_str("\n\n");
        md.push_str(meta.docs.trim());
        return Some(Hover { span, markdown: md });
    }
    None
}

/// The hover of a flag of `inst` (name or value) at `off`.
fn hover_flag(inst: &Instruction, off: usize) -> Option<Hover> {
    let fw = flag_words(inst).into_iter().find(|f| touches(f.span, off))?;
    let (desc, anchor) = flag_doc(inst.keyword, &fw.name)?;
    let mut md = format!("**--{}** ({}): {desc}", fw.name, inst.keyword.as_str());
    if let Some(spec) = instruction_spec::flag_spec(inst, &fw.name) {
        md.push_str(&format!("\n\nValue: {}.", spec.value.format()));
        if spec.repeatable {
            md.push_str(" May be given more than once.");
        }
    }
    // Inside a `--mount` value: the mount type and the key under the cursor.
    if fw.name == "mount"
        && let Some((raw, vstart)) = &fw.value
    {
        let fields = mount_fields(raw);
        let ty = fields.iter().find(|(k, _, _)| k.eq_ignore_ascii_case("type")).map_or("bind", |(_, v, _)| *v);
        if let Some((_, doc)) = MOUNT_TYPE_DOCS.iter().find(|(t, _)| t.eq_ignore_ascii_case(ty)) {
            md.push_str(&format!("\n\n`type={ty}`: {doc}"));
        }
        // The key under the cursor.
        let mut key_start = 0;
        for field in raw.split(',') {
            let span = inst.args.span(vstart + key_start, vstart + key_start + field.len());
            key_start += field.len() + 1;
            if !touches(span, off) {
                continue;
            }
            let key = field.split('=').next().unwrap_or("").trim_matches(['"', '\'', ' ']).to_ascii_lowercase();
            let key = match key.as_str() {
                "src" => "source",
                "dst" | "destination" => "target",
                "ro" => "readonly",
                "readwrite" => "rw",
                k => k,
            };
            if let Some((k, doc, _)) = MOUNT_KEY_DOCS.iter().find(|(k, _, _)| *k == key) {
                md.push_str(&format!("\n\n`{k}`: {doc}"));
            }
            break;
        }
    }
    md.push_str(&format!("\n\n[Dockerfile reference]({REFERENCE}#{anchor})"));
    Some(Hover { span: fw.span, markdown: md })
}

// ---------------------------------------------------------------------------
// Navigation: definition, references, rename
// ---------------------------------------------------------------------------

/// What sits at an offset, for navigation.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// A variable symbol, by one of its definitions.
    Var(usize),
    /// A use of a variable this file does not define.
    Unresolved(usize),
    Stage(usize),
}

fn valid_stage_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

fn valid_var_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Analysis {
    fn target_at(&self, off: usize) -> Option<Target> {
        let off = clamp_offset(self.text(), off);
        if let Some(u) = self.use_at(off) {
            let i = self.uses.iter().position(|x| std::ptr::eq(x, u))?;
            return Some(match u.def {
                Some(d) => Target::Var(d),
                None => Target::Unresolved(i),
            });
        }
        if let Some(d) = self.def_at(off) {
            return Some(Target::Var(d));
        }
        if let Some(u) = self.stage_use_at(off) {
            return Some(Target::Stage(u.stage));
        }
        self.stage_def_at(off).map(Target::Stage)
    }

    /// Where the variable or stage at `offset` is defined: the ARG/ENV in
    /// force there (for a stage's `ARG X` re-declaration, the global `ARG X`
    /// it takes its default from), or the stage's name (its FROM keyword when
    /// unnamed).
    pub fn definition(&self, offset: usize) -> Option<Span> {
        let off = clamp_offset(self.text(), offset);
        match self.target_at(off)? {
            Target::Var(d) => {
                let on_def = self.defs[d].span == self.def_at(off).map_or(Span::default(), |x| self.defs[x].span);
                let d = if on_def { self.defs[d].link.unwrap_or(d) } else { d };
                Some(self.defs[d].span)
            }
            Target::Unresolved(_) => None,
            Target::Stage(s) => Some(self.stage_decl_span(s)),
        }
    }

    fn stage_decl_span(&self, s: usize) -> Span {
        let st = &self.stages[s];
        match &st.name {
            Some((_, sp)) => *sp,
            None => self.file.instructions.get(st.from).map_or(st.span, |i| i.keyword_span),
        }
    }

    /// Every occurrence of the variable or stage at `offset`, in source order,
    /// definitions marked `write` (and left out without `include_declaration`).
    /// Also what document highlight shows.
    pub fn references(&self, offset: usize, include_declaration: bool) -> Vec<Occurrence> {
        let mut out = match self.target_at(offset) {
            None => return Vec::new(),
            Some(Target::Var(d)) => self.var_occurrences(d),
            Some(Target::Unresolved(i)) => {
                let name = &self.uses[i].name;
                self.uses
                    .iter()
                    .filter(|u| u.def.is_none() && u.name == *name)
                    .map(|u| Occurrence { span: u.name_span, write: false })
                    .collect()
            }
            Some(Target::Stage(s)) => match self.stages[s].name.clone() {
                Some((name, _)) => self.stage_occurrences(&name, true),
                None => {
                    let mut v = vec![Occurrence { span: self.stage_decl_span(s), write: true }];
                    v.extend(
                        self.stage_uses
                            .iter()
                            .filter(|u| u.stage == s)
                            .map(|u| Occurrence { span: u.span, write: false }),
                    );
                    v
                }
            },
        };
        if !include_declaration {
            out.retain(|o| !o.write);
        }
        out.sort();
        out.dedup();
        out
    }

    fn var_occurrences(&self, d: usize) -> Vec<Occurrence> {
        let fam = self.family(d);
        let mut out: Vec<Occurrence> =
            fam.iter().map(|&x| Occurrence { span: self.defs[x].span, write: true }).collect();
        out.extend(
            self.uses
                .iter()
                .filter(|u| u.def.is_some_and(|x| fam.contains(&x)))
                .map(|u| Occurrence { span: u.name_span, write: false }),
        );
        out
    }

    /// Definitions of stages named `name` and the uses that reach them;
    /// `all_forms`: also uses by index or through variables.
    fn stage_occurrences(&self, name: &str, all_forms: bool) -> Vec<Occurrence> {
        let named = self.stages_named(name);
        let mut out: Vec<Occurrence> = named
            .iter()
            .filter_map(|&s| self.stages[s].name.as_ref().map(|(_, sp)| Occurrence { span: *sp, write: true }))
            .collect();
        out.extend(
            self.stage_uses
                .iter()
                .filter(|u| named.contains(&u.stage) && (all_forms || u.form == RefForm::Name))
                .map(|u| Occurrence { span: u.span, write: false }),
        );
        out.sort();
        out
    }

    /// The literal occurrences of stage `name` (case-insensitive): its
    /// definitions (`FROM ... AS name`, `write`) and the uses written with the
    /// name (`FROM name`, `COPY --from=name`, `RUN --mount=from=name`), in
    /// source order. Uses by index or through variables are left out, so that
    /// every span can be replaced by a new name; [`Analysis::rename_stage`]
    /// also checks that a rename is safe.
    pub fn stage_references_for_name(&self, name: &str) -> Vec<Occurrence> {
        self.stage_occurrences(name, false)
    }

    /// The range a rename at `offset` would replace, when there is something
    /// renameable there.
    pub fn prepare_rename(&self, offset: usize) -> Option<Span> {
        let off = clamp_offset(self.text(), offset);
        match self.target_at(off)? {
            Target::Var(d) => {
                if let Some(u) = self.use_at(off) {
                    return Some(u.name_span);
                }
                self.defs[d].renameable.then_some(self.defs[d].span)
            }
            Target::Unresolved(_) => None,
            Target::Stage(s) => {
                self.stages[s].name.as_ref()?;
                if let Some(u) = self.stage_use_at(off) {
                    return (u.form == RefForm::Name).then_some(u.span);
                }
                Some(self.stage_decl_span(s))
            }
        }
    }

    /// The edits that rename the variable or stage at `offset` to
    /// `new_name`. Refused (with the reason) when the name is invalid, when
    /// nothing renameable is there, or when the rename could change the
    /// build: the new name is already used, or a use cannot be rewritten.
    pub fn rename(&self, offset: usize, new_name: &str) -> Result<Vec<TextEdit>, RenameError> {
        let err = |s: String| Err(RenameError(s));
        match self.target_at(offset) {
            None => err("nothing to rename here: place the cursor on a stage name or a variable".into()),
            Some(Target::Unresolved(i)) => err(format!(
                "`{}` is not defined in this Dockerfile (it comes from the base image, the shell or BuildKit), \
                 so it cannot be renamed here",
                self.uses[i].name
            )),
            Some(Target::Var(d)) => self.rename_var(d, new_name),
            Some(Target::Stage(s)) => match &self.stages[s].name {
                Some((old, _)) => self.rename_stage(old, new_name),
                None => err(format!("stage {s} has no name; add one with `AS name` first")),
            },
        }
    }

    fn rename_var(&self, d: usize, new_name: &str) -> Result<Vec<TextEdit>, RenameError> {
        let old = &self.defs[d].name;
        if !valid_var_name(new_name) {
            return Err(RenameError(format!(
                "`{new_name}` is not a valid variable name: use letters, digits and `_`, not starting with a digit"
            )));
        }
        let fam = self.family(d);
        if let Some(&bad) = fam.iter().find(|&&x| !self.defs[x].renameable) {
            return Err(RenameError(format!(
                "the definition of `{old}` on line {} is written in a way that cannot be rewritten safely",
                self.line1(self.defs[bad].span.start)
            )));
        }
        if new_name != old {
            if AUTOMATIC_ARGS.contains(&new_name) {
                return Err(RenameError(format!("`{new_name}` is a build argument BuildKit sets itself")));
            }
            if let Some(other) = self.defs.iter().find(|x| x.name == new_name) {
                return Err(RenameError(format!(
                    "a variable `{new_name}` is already defined on line {}",
                    self.line1(other.span.start)
                )));
            }
            if let Some(u) = self.uses.iter().find(|u| u.name == new_name) {
                return Err(RenameError(format!(
                    "`${new_name}` is already used on line {}: renaming would change what it refers to",
                    self.line1(u.span.start)
                )));
            }
        }
        Ok(sorted_edits(self.var_occurrences(d).into_iter().map(|o| (o.span, new_name.to_string())).collect()))
    }

    /// The edits that rename stage `old` (case-insensitive) to `new`: its
    /// definitions and every use written with the name. Refused when `new` is
    /// not a valid stage name, when another stage or an image is already
    /// called `new`, or when a use reaches the stage through a variable.
    pub fn rename_stage(&self, old: &str, new: &str) -> Result<Vec<TextEdit>, RenameError> {
        let named = self.stages_named(old);
        if named.is_empty() {
            return Err(RenameError(format!("there is no stage named `{old}` in this Dockerfile")));
        }
        if !valid_stage_name(new) {
            return Err(RenameError(format!(
                "`{new}` is not a valid stage name: it must start with a lower-case letter and contain only \
                 lower-case letters, digits, `-`, `_` and `.`"
            )));
        }
        if !new.eq_ignore_ascii_case(old) {
            if let Some(&s) = self.stages_named(new).first() {
                return Err(RenameError(format!(
                    "a stage named `{new}` already exists (line {})",
                    self.line1(self.stage_decl_span(s).start)
                )));
            }
            // An image or context of that name would start meaning the stage.
            for (idx, inst) in self.file.instructions.iter().enumerate() {
                let mut names: Vec<String> = Vec::new();
                if inst.keyword == Keyword::From
                    && let Some(s) = self.inst_stage.get(idx).copied().flatten()
                    && let Some(img) = &self.stages[s].image
                {
                    names.push(img.clone());
                }
                for fw in flag_words(inst) {
                    if let Some((raw, _)) = &fw.value {
                        if fw.name == "from" {
                            names.push(unquote_piece(raw).0.to_string());
                        } else if fw.name.eq_ignore_ascii_case("mount") {
                            names.extend(
                                mount_fields(raw)
                                    .into_iter()
                                    .filter(|(k, _, _)| k.eq_ignore_ascii_case("from"))
                                    .map(|(_, v, _)| unquote_piece(v).0.to_string()),
                            );
                        }
                    }
                }
                if names.iter().any(|n| n.eq_ignore_ascii_case(new)) {
                    return Err(RenameError(format!(
                        "line {} already refers to an image or build context named `{new}`; it would start \
                         meaning the stage",
                        self.line1(inst.span.start)
                    )));
                }
            }
        }
        if let Some(u) = self.stage_uses.iter().find(|u| named.contains(&u.stage) && u.form == RefForm::Variable) {
            return Err(RenameError(format!(
                "line {} refers to stage `{old}` through a variable; rename it there by hand",
                self.line1(u.span.start)
            )));
        }
        Ok(sorted_edits(self.stage_occurrences(old, false).into_iter().map(|o| (o.span, new.to_string())).collect()))
    }
}

fn sorted_edits(mut v: Vec<TextEdit>) -> Vec<TextEdit> {
    v.sort_by_key(|(s, _)| (s.start, s.end));
    v.dedup_by_key(|(s, _)| *s);
    v
}

// ---------------------------------------------------------------------------
// Completion
// ---------------------------------------------------------------------------

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Start of the whitespace-delimited word that ends at `off` (within `line_start..`).
fn word_start(text: &str, line_start: usize, off: usize) -> usize {
    let before = &text[line_start..off];
    line_start
        + before.rfind(char::is_whitespace).map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8))
}

/// End of the run of characters from `off` for which `keep` holds (stops at line ends).
fn run_end(text: &str, off: usize, keep: impl Fn(char) -> bool) -> usize {
    off + text[off..].find(|c: char| c == '\n' || c == '\r' || !keep(c)).unwrap_or(text.len() - off)
}

impl Analysis {
    /// Completions at `offset`, most relevant first (a front end keeps this
    /// order, e.g. with an index as sort text):
    ///
    /// - instruction keywords (as snippets) at the start of a line, and after ONBUILD;
    /// - the flags of the instruction (`--mount`, `--from`, ...) while in
    ///   flag position, and their values (`--mount=type=` → mount types and
    ///   then the type's keys, `--network=`, `--security=`, `--platform=`,
    ///   `--chmod=`, booleans, durations);
    /// - stage names after `FROM `, `--from=` and `from=` (earlier stages only);
    /// - `AS` after a FROM image; `CMD`/`NONE` after HEALTHCHECK's flags;
    /// - variables after `$` or inside `${`: the ARG/ENV in scope at that
    ///   point, then BuildKit's predefined ARGs;
    /// - parser directives (`syntax=`, `escape=`, `check=`) in the header,
    ///   rule codes in `# hadolint ignore=` / `# berth ignore=` and check names
    ///   in `check=skip=`.
    pub fn completion(&self, offset: usize) -> Vec<Completion> {
        let text = self.text();
        let off = clamp_offset(text, offset);
        let line = self.file.lines.line_of(off);
        let ls = self.file.lines.line_start(line).min(off);
        let before = &text[ls..off];

        let inst_idx = self.instruction_at(off).or_else(|| self.continued_instruction(off));
        if let Some(idx) = inst_idx {
            let inst = &self.file.instructions[idx];
            if self.in_heredoc_body(inst, off) {
                return self.var_completions(idx, off).unwrap_or_default();
            }
        }
        if before.trim_start().starts_with('#') {
            return self.comment_completions(line, ls, off);
        }
        let Some(idx) = inst_idx else {
            // A blank line (any text would have made an instruction).
            return self.keyword_completions(Span::empty(off), false, self.before_first_from(off));
        };
        let mut inst = &self.file.instructions[idx];
        let on_line = |s: Span| s.start >= ls;
        if touches(inst.keyword_span, off) && on_line(inst.keyword_span) {
            return self.keyword_completions(inst.keyword_span, false, self.before_first_from(off));
        }
        // ONBUILD: the trigger's keyword, then the trigger itself.
        while inst.keyword == Keyword::Onbuild {
            match inst.trigger.as_deref() {
                Some(t) if off <= t.keyword_span.end => {
                    let span = if off >= t.keyword_span.start { t.keyword_span } else { Span::empty(off) };
                    return self.keyword_completions(span, true, false);
                }
                Some(t) => inst = t,
                None => return self.keyword_completions(Span::empty(off), true, false),
            }
        }
        if let Some(v) = self.var_completions(idx, off) {
            return v;
        }
        let ws = word_start(text, ls, off);
        let we = run_end(text, off, |c| !c.is_whitespace());
        let prefix = &text[ws..off];
        // Words of the instruction before this one.
        let words = words::split_words(&inst.args, inst.escape);
        let earlier: Vec<_> = words.iter().filter(|w| w.span.end <= ws).collect();
        let flag_position = earlier.iter().all(|w| w.raw.starts_with("--") && w.raw != "--");
        if flag_position && prefix.starts_with('-') {
            return match prefix.find('=') {
                None => self.flag_name_completions(inst, Span::new(ws, we)),
                Some(eq) => self.flag_value_completions(idx, inst, &prefix[2.min(eq)..eq], ws + eq + 1, off, we),
            };
        }
        let non_flags = earlier.iter().filter(|w| !w.raw.starts_with("--")).count();
        let replace = Span::new(ws, we);
        match inst.keyword {
            Keyword::From if non_flags == 0 => {
                let here = self.inst_stage.get(idx).copied().flatten().unwrap_or(self.stages.len());
                let mut v = self.stage_completions(here, replace);
                v.push(
                    Completion::new("scratch", CompletionKind::Keyword)
                        .detail("an empty base image")
                        .docs("Start from an empty image (for static binaries).")
                        .replace(replace),
                );
                v
            }
            Keyword::From if non_flags == 1 => {
                vec![
                    Completion::new("AS", CompletionKind::Keyword)
                        .detail("name this stage")
                        .snippet("AS ${1:name}")
                        .replace(replace),
                ]
            }
            Keyword::Healthcheck if non_flags == 0 => vec![
                Completion::new("CMD", CompletionKind::Keyword)
                    .detail("the command that checks the container")
                    .snippet("CMD ${1:command}")
                    .replace(replace),
                Completion::new("NONE", CompletionKind::Keyword)
                    .detail("disable the base image's health check")
                    .replace(replace),
            ],
            _ => Vec::new(),
        }
    }

    fn before_first_from(&self, off: usize) -> bool {
        !self.file.instructions.iter().any(|i| i.keyword == Keyword::From && i.span.start < off)
    }

    /// An instruction whose last line ends with the escape character and
    /// that only blank lines separate from `off`.
    fn continued_instruction(&self, off: usize) -> Option<usize> {
        let insts = &self.file.instructions;
        let i = insts.partition_point(|i| i.span.start <= off).checked_sub(1)?;
        let inst = &insts[i];
        if inst.span.end > off || !super::heredocs(inst).is_empty() {
            return None;
        }
        let text = self.text();
        let last_line = self.file.lines.line_start(self.file.lines.line_of(inst.span.end));
        let last = text.get(last_line..inst.span.end)?;
        let between = text.get(inst.span.end..off)?;
        let continued = crate::syntax::dockerfile::split_continuation(last, self.file.escape).1;
        (continued && between.chars().all(char::is_whitespace)).then_some(i)
    }

    /// Whether `off` is inside one of `inst`'s heredoc bodies or terminators.
    fn in_heredoc_body(&self, inst: &Instruction, off: usize) -> bool {
        let Some(first) = super::heredocs(inst).first() else { return false };
        // The bodies start on the line after the instruction's own lines.
        let body_start = first.body.full_span().start;
        let head_end =
            if first.body.is_empty() { first.terminator_span.map_or(body_start, |t| t.start) } else { body_start };
        off >= head_end && self.file.lines.line_of(off) > self.file.lines.line_of(first.marker_span.start)
    }

    fn keyword_completions(&self, replace: Span, trigger: bool, first: bool) -> Vec<Completion> {
        let mut docs: Vec<&KeywordDoc> = KEYWORD_DOCS
            .iter()
            .filter(|d| !trigger || !matches!(d.keyword, Keyword::Onbuild | Keyword::From | Keyword::Maintainer))
            .collect();
        if first {
            // Before the first FROM only ARG and FROM are allowed.
            docs.sort_by_key(|d| !matches!(d.keyword, Keyword::From | Keyword::Arg));
        }
        let mut out: Vec<Completion> = docs
            .iter()
            .map(|d| {
                let mut c = Completion::new(d.keyword.as_str(), CompletionKind::Keyword)
                    .docs(keyword_markdown(d))
                    .snippet(d.snippet)
                    .replace(replace);
                c.detail = Some(if d.keyword == Keyword::Maintainer {
                    "deprecated: use a LABEL".to_string()
                } else {
                    d.summary.split(". ").next().unwrap_or("").trim_end_matches('.').to_string()
                });
                c
            })
            .collect();
        if !trigger {
            out.extend([
                Completion::new("FROM … AS …", CompletionKind::Snippet)
                    .detail("a named build stage")
                    .snippet("FROM ${1:image}:${2:tag} AS ${3:name}")
                    .replace(replace),
                Completion::new("RUN --mount=type=cache", CompletionKind::Snippet)
                    .detail("RUN with a persistent cache directory")
                    .snippet("RUN --mount=type=cache,target=${1:/root/.cache} \\\\\n    ${2:command}")
                    .replace(replace),
                Completion::new("COPY --from", CompletionKind::Snippet)
                    .detail("copy from another stage")
                    .snippet("COPY --from=${1:stage} ${2:src} ${3:dest}")
                    .replace(replace),
            ]);
        }
        out
    }

    fn flag_name_completions(&self, inst: &Instruction, replace: Span) -> Vec<Completion> {
        let Some(specs) = instruction_spec::flags(inst) else { return Vec::new() };
        // Flags already given elsewhere (not the one being typed).
        let present: Vec<&str> =
            inst.flags.iter().filter(|f| f.span.start != replace.start).map(|f| f.name.as_str()).collect();
        specs
            .iter()
            .filter(|s| s.repeatable || !present.contains(&s.name))
            .map(|s| {
                let mut c = Completion::new(format!("--{}", s.name), CompletionKind::Flag)
                    .detail(s.value.format())
                    .replace(replace);
                if let Some((desc, anchor)) = flag_doc(inst.keyword, s.name) {
                    c = c.docs(format!("{desc}\n\n[Dockerfile reference]({REFERENCE}#{anchor})"));
                }
                match flag_snippet(s) {
                    Some(sn) => c.snippet(sn),
                    None => c,
                }
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn flag_value_completions(
        &self,
        idx: usize,
        inst: &Instruction,
        name: &str,
        value_start: usize,
        off: usize,
        word_end: usize,
    ) -> Vec<Completion> {
        let Some(spec) = instruction_spec::flag_spec(inst, name) else { return Vec::new() };
        let text = self.text();
        let value_prefix = &text[value_start..off];
        let replace = Span::new(value_start, word_end);
        let enums = |vals: &[(&str, &str)]| -> Vec<Completion> {
            vals.iter()
                .map(|(v, d)| Completion::new(*v, CompletionKind::EnumValue).detail(*d).replace(replace))
                .collect()
        };
        match spec.value {
            FlagValue::Mount => self.mount_completions(idx, value_start, value_prefix, off, word_end),
            FlagValue::Network => enums(&[
                ("default", "the default network"),
                ("none", "no network access"),
                ("host", "the host's network (needs network.host)"),
            ]),
            FlagValue::Security => {
                enums(&[("sandbox", "the default sandbox"), ("insecure", "no sandbox (needs security.insecure)")])
            }
            FlagValue::Bool => enums(&[("true", ""), ("false", "")]),
            FlagValue::Platform => PLATFORMS
                .iter()
                .map(|p| {
                    let c = Completion::new(*p, CompletionKind::Value).replace(replace);
                    match *p {
                        "$BUILDPLATFORM" => c.detail("the platform of the machine that builds"),
                        "$TARGETPLATFORM" => c.detail("the platform the image is built for"),
                        _ => c,
                    }
                })
                .collect(),
            FlagValue::Chmod => enums(&[
                ("0755", "rwxr-xr-x: executables and directories"),
                ("0644", "rw-r--r--: regular files"),
                ("0555", "r-xr-xr-x: read-only executables"),
                ("0444", "r--r--r--: read-only files"),
                ("0700", "rwx------: private directories"),
                ("0600", "rw-------: private files"),
            ]),
            FlagValue::Duration => enums(&[("30s", ""), ("10s", ""), ("5s", ""), ("1m", ""), ("500ms", "")]),
            FlagValue::Count => enums(&[("3", "")]),
            FlagValue::Text if name == "from" => {
                let here = self.inst_stage.get(idx).copied().flatten().unwrap_or(self.stages.len());
                self.stage_completions(here, replace)
            }
            FlagValue::Text if name == "checksum" => {
                vec![Completion::new("sha256:", CompletionKind::Value).detail("a SHA-256 digest").replace(replace)]
            }
            _ => Vec::new(),
        }
    }

    fn mount_completions(
        &self,
        idx: usize,
        value_start: usize,
        value_prefix: &str,
        off: usize,
        word_end: usize,
    ) -> Vec<Completion> {
        let text = self.text();
        let field_start = value_start + value_prefix.rfind(',').map_or(0, |p| p + 1);
        let field_end = run_end(text, off, |c| c != ',' && !c.is_whitespace()).min(word_end);
        let field = &text[field_start..off];
        let whole_value = &text[value_start..word_end];
        let ty = mount_fields(whole_value)
            .into_iter()
            .find(|(k, _, _)| k.eq_ignore_ascii_case("type"))
            .map_or("bind".to_string(), |(_, v, _)| v.to_ascii_lowercase());
        match field.find('=') {
            Some(eq) => {
                let key = field[..eq].to_ascii_lowercase();
                let replace = Span::new(field_start + eq + 1, field_end);
                let enums = |vals: &[(&str, &str)]| -> Vec<Completion> {
                    vals.iter()
                        .map(|(v, d)| Completion::new(*v, CompletionKind::EnumValue).detail(*d).replace(replace))
                        .collect()
                };
                match key.as_str() {
                    "type" => MOUNT_TYPE_DOCS
                        .iter()
                        .map(|(t, d)| {
                            Completion::new(*t, CompletionKind::EnumValue)
                                .detail(d.split(" (").next().unwrap_or(d).trim_end_matches('.'))
                                .docs(*d)
                                .replace(replace)
                        })
                        .collect(),
                    "sharing" => enums(&[
                        ("shared", "concurrent builds share the cache (default)"),
                        ("private", "a new cache per concurrent build"),
                        ("locked", "concurrent builds wait for each other"),
                    ]),
                    "readonly" | "ro" | "rw" | "readwrite" | "required" => enums(&[("true", ""), ("false", "")]),
                    "from" => {
                        let here = self.inst_stage.get(idx).copied().flatten().unwrap_or(self.stages.len());
                        self.stage_completions(here, replace)
                    }
                    "mode" => enums(&[("0755", ""), ("0644", ""), ("0600", ""), ("0400", "")]),
                    "size" => enums(&[("64m", ""), ("256m", ""), ("1g", "")]),
                    "target" | "dst" | "destination" if ty == "cache" => enums(&[
                        ("/root/.cache", "pip, go build, and other tools' default cache"),
                        ("/var/cache/apt", "apt's package cache (also mount /var/lib/apt)"),
                        ("/var/lib/apt", "apt's lists"),
                        ("/root/.npm", "npm's cache"),
                        ("/go/pkg/mod", "Go's module cache"),
                        ("/root/.m2", "Maven's repository"),
                        ("/root/.cargo/registry", "Cargo's registry"),
                    ]),
                    _ => Vec::new(),
                }
            }
            None => {
                let replace = Span::new(field_start, field_end);
                let present: Vec<String> =
                    mount_fields(whole_value).into_iter().map(|(k, _, _)| k.to_ascii_lowercase()).collect();
                let mut out = Vec::new();
                if !present.iter().any(|k| k == "type") {
                    out.push(
                        Completion::new("type=", CompletionKind::Property)
                            .detail("bind (default), cache, tmpfs, secret or ssh")
                            .replace(replace),
                    );
                }
                for (k, doc, types) in MOUNT_KEY_DOCS {
                    if types.contains(&ty.as_str()) && !present.iter().any(|p| p == k) {
                        let label =
                            if matches!(*k, "readonly" | "rw" | "required") { k.to_string() } else { format!("{k}=") };
                        out.push(Completion::new(label, CompletionKind::Property).detail(*doc).replace(replace));
                    }
                }
                out
            }
        }
    }

    /// Stages before stage `here` (all stages when `here` is past the end).
    fn stage_completions(&self, here: usize, replace: Span) -> Vec<Completion> {
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for s in (0..here.min(self.stages.len())).rev() {
            let Some((name, _)) = &self.stages[s].name else { continue };
            if seen.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                continue;
            }
            seen.push(name.clone());
            let detail = match &self.stages[s].base {
                Base::Image(img) => format!("stage {s}: {}", img.text),
                Base::Scratch => format!("stage {s}: scratch"),
                Base::Stage(p) => format!("stage {s}: from stage {p}"),
            };
            out.push(
                Completion::new(name.clone(), CompletionKind::Stage)
                    .detail(detail)
                    .docs(self.stage_markdown(s))
                    .replace(replace),
            );
        }
        out
    }

    /// Variable completions when `off` follows `$` or `${` and a partial name.
    fn var_completions(&self, idx: usize, off: usize) -> Option<Vec<Completion>> {
        let text = self.text();
        let ls = self.file.lines.line_start(self.file.lines.line_of(off)).min(off);
        let before = &text[ls..off];
        let name_len = before.len() - before.trim_end_matches(is_name_char).len();
        let head = &before[..before.len() - name_len];
        let (braced, dollar_at) = if head.ends_with("${") {
            (true, head.len() - 2)
        } else if head.ends_with('$') {
            (false, head.len() - 1)
        } else {
            return None;
        };
        // `\$X` and `$$` are not references.
        let pre = &head[..dollar_at];
        if pre.ends_with(self.file.escape) || pre.ends_with('$') {
            return None;
        }
        if before[before.len() - name_len..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let name_start = off - name_len;
        let name_end = run_end(text, off, is_name_char);
        let close = braced && !text[name_end..].starts_with('}');
        let replace = Span::new(name_start, name_end);
        let in_stage = self.scope_of(idx).is_some();
        let mut out = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        for d in self.visible(idx) {
            let def = &self.defs[d];
            names.push(&def.name);
            let kind = if def.kind == VarKind::Arg { "ARG" } else { "ENV" };
            let detail = match &def.value {
                Some(v) => format!("{kind} = {}", v.replace('\n', " ")),
                None => format!("{kind} (no default)"),
            };
            let mut c = Completion::new(def.name.clone(), CompletionKind::Variable)
                .detail(detail)
                .docs(self.def_origin(d))
                .replace(replace);
            if close {
                c = c.insert(format!("{}}}", def.name));
            }
            out.push(c);
        }
        for a in AUTOMATIC_ARGS {
            if names.contains(a) {
                continue;
            }
            let mut c =
                Completion::new(*a, CompletionKind::Variable).detail("predefined build argument").replace(replace);
            if in_stage {
                c = c.docs(format!("Set by BuildKit. Inside a stage it is empty until the stage declares `ARG {a}`."));
            }
            if close {
                c = c.insert(format!("{a}}}"));
            }
            out.push(c);
        }
        Some(out)
    }

    /// Completions in a comment line: directives in the header, rule codes in
    /// suppression comments, check names in `check=skip=`.
    fn comment_completions(&self, line: usize, ls: usize, off: usize) -> Vec<Completion> {
        let text = self.text();
        let before = &text[ls..off];
        let hash = ls + (before.len() - before.trim_start().len());
        let body_start = hash + 1 + (text[hash + 1..off].len() - text[hash + 1..off].trim_start().len());
        let body = &text[body_start..off];
        let line_end = self.file.lines.line_span(text, line).end.max(off);
        // In the header: every earlier line is a directive.
        let header = self.file.instructions.first().is_none_or(|i| i.span.start > off)
            && (0..line).all(|l| {
                let s = self.file.lines.line_start(l);
                self.file.directives.iter().any(|d| d.span.start >= s && self.file.lines.line_of(d.span.start) == l)
            });
        let item_start = off - (body.len() - body.trim_end_matches(|c: char| !matches!(c, ',' | '=' | ' ')).len());
        let item_end = run_end(text, off, |c| !matches!(c, ',' | ' ' | '\t' | ';')).min(line_end);
        let item = Span::new(item_start, item_end);
        if body.starts_with("hadolint") || body.starts_with("berth") {
            if body.contains("ignore") && body.contains('=') {
                return rule_code_completions(item);
            }
            let tool_len = if body.starts_with("hadolint") { 8 } else { 5 };
            if body.len() > tool_len && !body[tool_len..].trim().contains(' ') {
                let word = Span::new(item_start.max(body_start + tool_len), item_end);
                return ["ignore=", "global ignore="]
                    .into_iter()
                    .map(|l| Completion::new(l, CompletionKind::Keyword).detail("suppress rules").replace(word))
                    .collect();
            }
            return Vec::new();
        }
        if let Some(rest) = body.strip_prefix("check=") {
            if rest.contains("skip=") && item_start > body_start + 6 + rest.rfind("skip=").unwrap_or(0) + 4 {
                return check_name_completions(item);
            }
            if header || !rest.contains('=') {
                return [("skip=", "turn checks off"), ("error=true", "fail the build on check warnings")]
                    .into_iter()
                    .map(|(l, d)| Completion::new(l, CompletionKind::Property).detail(d).replace(item))
                    .collect();
            }
            return Vec::new();
        }
        if header {
            if let Some(eq) = body.find('=') {
                let name = body[..eq].trim().to_ascii_lowercase();
                let vals: &[(&str, &str)] = match name.as_str() {
                    "syntax" => &[
                        ("docker/dockerfile:1", "the latest stable 1.x frontend"),
                        ("docker/dockerfile:1-labs", "with experimental features"),
                    ],
                    "escape" => &[("\\", "backslash (default)"), ("`", "backtick (Windows paths)")],
                    _ => &[],
                };
                return vals
                    .iter()
                    .map(|(v, d)| Completion::new(*v, CompletionKind::Value).detail(*d).replace(item))
                    .collect();
            }
            if !body.contains(' ') {
                let word = Span::new(body_start, item_end);
                return DIRECTIVE_DOCS
                    .iter()
                    .filter(|(n, _, _)| self.file.directive(n).is_none())
                    .map(|(n, d, anchor)| {
                        Completion::new(format!("{n}="), CompletionKind::Keyword)
                            .detail("parser directive")
                            .docs(format!("{d}\n\n[Dockerfile reference]({REFERENCE}#{anchor})"))
                            .replace(word)
                    })
                    .collect();
            }
            return Vec::new();
        }
        if !body.is_empty() && !body.contains([' ', '=']) {
            let word = Span::new(body_start, item_end);
            return [
                ("berth ignore=", "suppress rules for the next instruction"),
                ("hadolint ignore=", "the same, as hadolint writes it"),
            ]
            .into_iter()
            .map(|(l, d)| Completion::new(l, CompletionKind::Keyword).detail(d).replace(word))
            .collect();
        }
        Vec::new()
    }
}

fn flag_snippet(s: &FlagSpec) -> Option<String> {
    let n = s.name;
    Some(match (s.value, n) {
        (FlagValue::Bool, _) => return None,
        (FlagValue::Mount, _) => "--mount=type=${1|cache,bind,secret,ssh,tmpfs|},target=${2:/path}".to_string(),
        (FlagValue::Network, _) => "--network=${1|default,none,host|}".to_string(),
        (FlagValue::Security, _) => "--security=${1|sandbox,insecure|}".to_string(),
        (FlagValue::Platform, _) => "--platform=${1:\\$BUILDPLATFORM}".to_string(),
        (FlagValue::Chown, _) => format!("--{n}=${{1:user}}:${{2:group}}"),
        (FlagValue::Chmod, _) => format!("--{n}=${{1:0755}}"),
        (FlagValue::Duration, _) => format!("--{n}=${{1:30s}}"),
        (FlagValue::Count, _) => format!("--{n}=${{1:3}}"),
        (_, "from") => "--from=${1:stage}".to_string(),
        _ => format!("--{n}=$1"),
    })
}

fn rule_code_completions(replace: Span) -> Vec<Completion> {
    crate::rules::all()
        .iter()
        .map(|r| r.meta())
        .map(|m| {
            Completion::new(m.code, CompletionKind::Reference)
                .detail(format!("{}: {}", m.name, m.summary))
                .docs(m.docs)
                .replace(replace)
        })
        .collect()
}

fn check_name_completions(replace: Span) -> Vec<Completion> {
    let mut out = vec![Completion::new("all", CompletionKind::EnumValue).detail("every check").replace(replace)];
    let mut names: Vec<(&str, &str)> =
        crate::rules::all().iter().filter_map(|r| r.meta().buildkit.map(|b| (b, r.meta().summary))).collect();
    names.sort();
    names.dedup_by_key(|(b, _)| *b);
    out.extend(
        names.into_iter().map(|(b, s)| Completion::new(b, CompletionKind::EnumValue).detail(s).replace(replace)),
    );
    out
}

// ---------------------------------------------------------------------------
// Outline and folding
// ---------------------------------------------------------------------------

/// An instruction's arguments on one line, shortened, for outline details.
fn short_args(inst: &Instruction) -> String {
    let one_line = inst.args.text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

impl Analysis {
    /// The outline: global ARGs, then one symbol per stage (its name, or
    /// `stage N`, with the base image as detail) whose children are its
    /// instructions (ARG/ENV as one variable symbol per name).
    pub fn symbols(&self) -> Vec<Symbol> {
        let mut out = Vec::new();
        let first_from = self.stages.first().map_or(self.file.instructions.len(), |s| s.from);
        for idx in 0..first_from {
            out.extend(self.instruction_symbols(idx));
        }
        for (s, st) in self.stages.iter().enumerate() {
            let Some(from) = self.file.instructions.get(st.from) else { continue };
            let (name, selection) = match &st.name {
                Some((n, sp)) => (n.clone(), *sp),
                None => (format!("stage {s}"), from.keyword_span),
            };
            let detail = match &st.base {
                Base::Image(img) => img.text.clone(),
                Base::Scratch => "scratch".to_string(),
                Base::Stage(p) => match &self.stages[*p].name {
                    Some((n, _)) => n.clone(),
                    None => format!("stage {p}"),
                },
            };
            let children = (st.from + 1..st.body_end).flat_map(|i| self.instruction_symbols(i)).collect();
            out.push(Symbol {
                name,
                detail: Some(detail),
                kind: SymbolKind::Stage,
                span: st.span.cover(selection),
                selection,
                children,
            });
        }
        out
    }

    fn instruction_symbols(&self, idx: usize) -> Vec<Symbol> {
        let Some(inst) = self.file.instructions.get(idx) else { return Vec::new() };
        if matches!(inst.keyword, Keyword::Arg | Keyword::Env) {
            let vars: Vec<Symbol> = self
                .defs_of(idx)
                .iter()
                .map(|d| Symbol {
                    name: d.name.clone(),
                    detail: Some(match &d.value {
                        Some(v) => format!("{} = {}", inst.keyword.as_str(), v.replace('\n', " ")),
                        None => inst.keyword.as_str().to_string(),
                    }),
                    kind: SymbolKind::Variable,
                    span: inst.span.cover(d.span),
                    selection: d.span,
                    children: Vec::new(),
                })
                .collect();
            if !vars.is_empty() {
                return vars;
            }
        }
        let name = match inst.keyword {
            Keyword::Unknown => inst.keyword_text.to_string(),
            k => k.as_str().to_string(),
        };
        vec![Symbol {
            name,
            detail: Some(short_args(inst)).filter(|s| !s.is_empty()),
            kind: SymbolKind::Instruction,
            span: inst.span,
            selection: inst.keyword_span,
            children: Vec::new(),
        }]
    }

    /// Foldable ranges: stages, instructions over several lines, heredoc
    /// bodies and blocks of two or more comment lines.
    pub fn folding(&self) -> Vec<Fold> {
        folding_of(&self.file)
    }
}

/// The foldable ranges of a parsed file (see [`Analysis::folding`]).
pub fn folding_of(file: &Dockerfile) -> Vec<Fold> {
    let lines = &file.lines;
    let mut out = Vec::new();
    let line = |o: usize| lines.line_of(o);
    // Stages: from a FROM to the last instruction before the next FROM.
    let froms: Vec<usize> =
        file.instructions.iter().enumerate().filter(|(_, i)| i.keyword == Keyword::From).map(|(n, _)| n).collect();
    let mut stage_starts = Vec::new();
    for (k, &f) in froms.iter().enumerate() {
        let last = froms.get(k + 1).map_or(file.instructions.len(), |&n| n) - 1;
        let (a, b) = (line(file.instructions[f].span.start), line(file.instructions[last].span.end));
        if b > a {
            out.push(Fold { start_line: a, end_line: b, comment: false });
            stage_starts.push(a);
        }
    }
    for inst in &file.instructions {
        let a = line(inst.span.start);
        // The instruction's own lines (before any heredoc body).
        let docs = super::heredocs(inst);
        let head_end = docs.first().map_or(inst.span.end, |h| h.marker_span.end.max(inst.args.full_span().end));
        let b = line(head_end);
        if b > a && !stage_starts.contains(&a) {
            out.push(Fold { start_line: a, end_line: b, comment: false });
        }
        // Each heredoc: from the line before its body to its terminator.
        let mut prev_end = b;
        for h in docs {
            let end =
                h.terminator_span.map_or_else(|| line(h.body.full_span().end.saturating_sub(1)), |t| line(t.start));
            if end > prev_end && !(prev_end == a && stage_starts.contains(&a)) {
                out.push(Fold { start_line: prev_end, end_line: end, comment: false });
            }
            prev_end = end;
        }
    }
    // Comment blocks (comments inside instructions are folded with them).
    let mut block: Option<(usize, usize)> = None;
    for c in file.comments.iter().filter(|c| !c.inside_instruction) {
        let l = line(c.span.start);
        block = match block {
            Some((s, e)) if l == e + 1 => Some((s, l)),
            Some((s, e)) => {
                if e > s {
                    out.push(Fold { start_line: s, end_line: e, comment: true });
                }
                Some((l, l))
            }
            None => Some((l, l)),
        };
    }
    if let Some((s, e)) = block
        && e > s
    {
        out.push(Fold { start_line: s, end_line: e, comment: true });
    }
    // One range per start line (editors keep one): the outermost.
    out.sort_by_key(|f| (f.start_line, std::cmp::Reverse(f.end_line)));
    out.dedup_by_key(|f| f.start_line);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text with the cursor marker `‸` removed, and the cursor's offset.
    fn at(src: &str) -> (String, usize) {
        let i = src.find('‸').expect("a cursor marker");
        (src.replacen('‸', "", 1), i)
    }

    fn hover_at(src: &str) -> Option<Hover> {
        let (t, o) = at(src);
        hover(&t, o)
    }

    fn hover_md(src: &str) -> String {
        hover_at(src).map(|h| h.markdown).unwrap_or_default()
    }

    fn labels(src: &str) -> Vec<String> {
        let (t, o) = at(src);
        completion(&t, o).into_iter().map(|c| c.label).collect()
    }

    fn texts(t: &str, spans: impl IntoIterator<Item = Span>) -> Vec<String> {
        spans.into_iter().map(|s| t[s.start..s.end].to_string()).collect()
    }

    const MULTI: &str = "\
# syntax=docker/dockerfile:1
ARG PY=3.12
ARG BASE=python
FROM ${BASE}:${PY}-slim AS build
ARG PY
ENV APP=/srv/app HOME_DIR=${APP}/home
RUN --mount=type=cache,target=/root/.cache pip install -r req.txt
FROM build AS test
RUN echo $APP $PY
FROM alpine:3.20 AS final
COPY --from=build /srv/app /app
COPY --from=BUILD /x /y
RUN --mount=type=bind,from=test,source=/r,target=/r cat /r
";

    #[test]
    fn hover_keywords_and_flags() {
        let md = hover_md("FROM a\nR‸UN echo hi\n");
        assert!(md.contains("**RUN**") && md.contains("#run)"), "{md}");
        assert!(md.contains("```dockerfile"));
        let md = hover_md("FROM a\nonbuild ru‸n echo\n");
        assert!(md.contains("**RUN**"), "{md}");
        let md = hover_md("FROM a\nRUN --mo‸unt=type=cache,target=/root/.cache x\n");
        assert!(md.contains("--mount") && md.contains("`type=cache`"), "{md}");
        let md = hover_md("FROM a\nRUN --mount=type=cache,tar‸get=/root/.cache x\n");
        assert!(md.contains("`target`"), "{md}");
        let md = hover_md("FROM --plat‸form=$BUILDPLATFORM a\n");
        assert!(md.contains("BUILDPLATFORM") && md.contains("#from"), "{md}");
        let md = hover_md("FROM a\nCOPY --ch‸own=app:app . .\n");
        assert!(md.contains("Owner"), "{md}");
        let md = hover_md("FROM a\nCOPY --li‸nk . .\n");
        assert!(md.contains("copy---link"), "{md}");
        assert!(hover_at("FROM a\nRUN echo hi‸ there\n").is_none());
    }

    #[test]
    fn hover_stages_and_images() {
        let (t, _) = at(&format!("{MULTI}‸"));
        let a = Analysis::new(&t);
        let o = t.find("FROM build").unwrap() + 7;
        let h = a.hover(o).unwrap();
        assert_eq!(&t[h.span.start..h.span.end], "build");
        assert!(h.markdown.contains("defined on line 4") && h.markdown.contains("python:3.12-slim"), "{}", h.markdown);
        let o = t.find("--from=BUILD").unwrap() + 8;
        assert!(a.hover(o).unwrap().markdown.contains("Stage `build`"));
        let o = t.find("from=test").unwrap() + 6;
        assert!(a.hover(o).unwrap().markdown.contains("Stage `test`"));
        let o = t.find("AS final").unwrap() + 4;
        assert!(a.hover(o).unwrap().markdown.contains("The last stage"));
        let o = t.find("alpine").unwrap() + 2;
        let md = a.hover(o).unwrap().markdown;
        assert!(md.contains("`alpine`") && md.contains("`3.20`"), "{md}");
    }

    #[test]
    fn hover_variables() {
        let a = Analysis::new(MULTI);
        let t = MULTI;
        // In FROM: the global ARG.
        let h = a.hover(t.find("${PY}").unwrap() + 2).unwrap();
        assert_eq!(&t[h.span.start..h.span.end], "${PY}");
        assert!(h.markdown.contains("= `3.12`") && h.markdown.contains("line 2"), "{}", h.markdown);
        // In a stage: the evaluated ENV, and an inherited one.
        // Pairs of one ENV see the values from before it (as in Docker).
        let h = a.hover(t.find("${APP}").unwrap() + 3).unwrap();
        assert!(h.markdown.contains("not defined"), "{}", h.markdown);
        let h = a.hover(t.find("HOME_DIR").unwrap() + 3).unwrap();
        assert!(h.markdown.contains("= `/home` (written `${APP}/home`)"), "{}", h.markdown);
        let md = hover_md("FROM a\nENV APP=/srv/app\nWORKDIR $A‸PP\n");
        assert!(md.contains("= `/srv/app`") && md.contains("line 2"), "{md}");
        let h = a.hover(t.find("$APP $PY").unwrap() + 1).unwrap();
        assert!(h.markdown.contains("Inherited"), "{}", h.markdown);
        // `$PY` in stage `test`: inherited from stage `build`'s `ARG PY` (dockerfile >= 1.9).
        let h = a.hover(t.find("$PY\n").unwrap() + 1).unwrap();
        assert!(h.markdown.contains("= `3.12`") && h.markdown.contains("Inherited"), "{}", h.markdown);
        // A global ARG that the stage does not declare again.
        let md = hover_md("ARG PY=1\nFROM a\nRUN echo $P‸Y\n");
        assert!(md.contains("not defined") && md.contains("`ARG PY` again"), "{md}");
        // The stage's `ARG PY` re-declaration.
        let h = a.hover(t.find("ARG PY\n").unwrap() + 5).unwrap();
        assert!(h.markdown.contains("re-declares the global"), "{}", h.markdown);
        let md = hover_md("FROM a\nARG TARGETARCH\nRUN echo $BUILD‸ARCH\n");
        assert!(md.contains("BuildKit sets itself"), "{md}");
        let md = hover_md("ARG V=1\nFROM a\nARG V\nRUN echo ${V:-x}${‸W:-$V}\n");
        assert!(md.contains("**W**"), "{md}");
        // Nested in a default value.
        let md = hover_md("ARG V=1\nFROM a\nARG V\nRUN echo ${W:-$‸V}\n");
        assert!(md.contains("= `1`"), "{md}");
    }

    #[test]
    fn hover_pragmas_and_directives() {
        let h = hover_at("FROM a\n# hadolint ignore=DL3008,DL30‸09\nRUN x\n").unwrap();
        assert!(h.markdown.starts_with("**DL3009**"), "{}", h.markdown);
        let h = hover_at("FROM a\n# berth ignore=DL30‸08 reason\nRUN x\n").unwrap();
        assert!(h.markdown.starts_with("**DL3008**"));
        let md = hover_md("# check=skip=StageName‸Casing\nFROM a\n");
        assert!(md.contains("StageNameCasing"), "{md}");
        let md = hover_md("# syn‸tax=docker/dockerfile:1\nFROM a\n");
        assert!(md.contains("Parser directive `syntax`"), "{md}");
        assert!(hover_at("FROM a\n# just a comme‸nt\n").is_none());
    }

    #[test]
    fn completion_keywords() {
        let l = labels("FROM a\n‸");
        assert!(l.contains(&"RUN".to_string()) && l.contains(&"COPY".to_string()), "{l:?}");
        let (t, o) = at("FROM a\nru‸\n");
        let c = completion(&t, o);
        let run = c.iter().find(|c| c.label == "RUN").unwrap();
        assert_eq!(run.replace, Some(Span::new(7, 9)));
        assert!(run.snippet && run.insert.as_deref() == Some("RUN ${1:command}"));
        // Before the first FROM, FROM and ARG come first.
        let l = labels("‸");
        assert!(l[..2].contains(&"FROM".to_string()) && l[..2].contains(&"ARG".to_string()), "{l:?}");
        // A blank line that continues an instruction is not a new instruction.
        assert!(labels("FROM a\nRUN apt-get install \\\n    ‸").is_empty());
        assert!(labels("FROM a\nRUN x\n‸").contains(&"RUN".to_string()));
        // An escaped escape at the end of a line does not continue it: a new instruction starts.
        assert!(labels("FROM a\nENV DIR=C:\\\\\n‸").contains(&"RUN".to_string()));
        let l = labels("FROM a\nONBUILD ‸");
        assert!(l.contains(&"RUN".to_string()) && !l.contains(&"FROM".to_string()), "{l:?}");
    }

    #[test]
    fn completion_flags_and_values() {
        let l = labels("FROM a\nRUN --‸");
        assert_eq!(l, ["--mount", "--network", "--security", "--device"]);
        let l = labels("FROM a\nCOPY --link --‸ . .");
        assert!(l.contains(&"--from".to_string()) && !l.contains(&"--link".to_string()), "{l:?}");
        assert!(labels("FROM a\nRUN echo --‸").is_empty(), "not in flag position");
        let l = labels("FROM a\nRUN --mount=type=‸");
        assert_eq!(l, ["bind", "cache", "tmpfs", "secret", "ssh"]);
        let l = labels("FROM a\nRUN --mount=type=cache,‸");
        assert!(l.contains(&"target=".to_string()) && l.contains(&"sharing=".to_string()), "{l:?}");
        assert!(!l.contains(&"type=".to_string()) && !l.contains(&"size=".to_string()));
        assert_eq!(labels("FROM a\nRUN --mount=type=cache,sharing=‸"), ["shared", "private", "locked"]);
        assert_eq!(labels("FROM a\nRUN --network=‸ x"), ["default", "none", "host"]);
        assert_eq!(labels("FROM a\nRUN --security=‸"), ["sandbox", "insecure"]);
        let l = labels("FROM --platform=‸ a");
        assert!(l.contains(&"linux/arm64".to_string()) && l.contains(&"$BUILDPLATFORM".to_string()), "{l:?}");
        assert!(labels("FROM a\nCOPY --chmod=‸").contains(&"0755".to_string()));
        assert_eq!(labels("FROM a\nCOPY --link=‸"), ["true", "false"]);
        // The replaced range is the value.
        let (t, o) = at("FROM a\nRUN --network=ho‸st x");
        let c = completion(&t, o);
        assert_eq!(&t[c[0].replace.unwrap().start..c[0].replace.unwrap().end], "host");
        // On a continuation line.
        let l = labels("FROM a\nRUN --network=none \\\n    --mo‸");
        assert!(l.contains(&"--mount".to_string()), "{l:?}");
    }

    #[test]
    fn completion_stages() {
        // Earlier stages only (a stage cannot copy from itself).
        let src = "FROM a AS one\nFROM b AS two\nCOPY --from=‸\nFROM c AS three\n";
        assert_eq!(labels(src), ["one"]);
        assert_eq!(labels("FROM a AS one\nFROM b AS two\nFROM ‸\n"), ["two", "one", "scratch"]);
        assert_eq!(labels("FROM a AS one\nFROM ‸\nFROM b AS later\n"), ["one", "scratch"]);
        assert_eq!(labels("FROM a AS one\nFROM b\nRUN --mount=from=‸"), ["one"]);
        assert_eq!(labels("FROM a ‸"), ["AS"]);
        assert_eq!(labels("FROM a\nHEALTHCHECK --interval=5s ‸"), ["CMD", "NONE"]);
    }

    #[test]
    fn completion_variables_in_scope() {
        let src = "ARG G=1\nARG H\nFROM a:${‸\nARG G\nENV E=2\nRUN echo $\n";
        let l = labels(src);
        assert_eq!(&l[..2], ["H", "G"]);
        assert!(l.contains(&"TARGETPLATFORM".to_string()) && !l.contains(&"E".to_string()), "{l:?}");
        let (t, o) = at(src);
        let g = completion(&t, o).into_iter().find(|c| c.label == "G").unwrap();
        assert_eq!(g.insert.as_deref(), Some("G}"), "the brace is closed");
        assert_eq!(g.detail.as_deref(), Some("ARG = 1"));
        let l = labels("ARG G=1\nARG H\nFROM a\nARG G\nENV E=2\nRUN echo $‸\n");
        assert_eq!(&l[..2], ["E", "G"]);
        assert!(!l.contains(&"H".to_string()), "H is not declared in the stage: {l:?}");
        // Inherited ENV; partial names; heredoc bodies.
        let l = labels("FROM a AS base\nENV BASE_DIR=/x\nFROM base\nRUN echo ${BA‸}\n");
        assert_eq!(l[0], "BASE_DIR");
        let l = labels("FROM a\nENV X=1\nRUN <<EOF\necho $‸\nEOF\n");
        assert_eq!(l[0], "X");
        assert!(
            labels("FROM a\nENV X=1\nRUN echo \\$‸").is_empty()
                || !labels("FROM a\nENV X=1\nRUN echo \\$‸").contains(&"X".to_string())
        );
    }

    #[test]
    fn completion_in_comments() {
        let l = labels("# ‸\nFROM a\n");
        assert_eq!(l, ["syntax=", "escape=", "check="]);
        let l = labels("# syntax=docker/dockerfile:1\n# ‸\nFROM a\n");
        assert_eq!(l, ["escape=", "check="]);
        assert!(labels("# syntax=‸\nFROM a\n").contains(&"docker/dockerfile:1".to_string()));
        let l = labels("FROM a\n# hadolint ignore=DL3008,‸\nRUN x\n");
        assert!(l.contains(&"DL3009".to_string()), "{l:?}");
        let (t, o) = at("FROM a\n# berth ignore=DL30‸\nRUN x\n");
        let c = completion(&t, o);
        assert_eq!(c[0].replace.map(|s| &t[s.start..s.end]), Some("DL30"));
        assert!(labels("# check=skip=‸\nFROM a\n").contains(&"StageNameCasing".to_string()));
        assert_eq!(labels("FROM a\n# hadolint ig‸\n"), ["ignore=", "global ignore="]);
        assert!(labels("FROM a\n# install the tools ‸\n").is_empty());
    }

    #[test]
    fn symbols_outline() {
        let syms = symbols(MULTI);
        let names: Vec<_> = syms.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["PY", "BASE", "build", "test", "final"]);
        let build = &syms[2];
        assert_eq!(build.kind, SymbolKind::Stage);
        assert_eq!(build.detail.as_deref(), Some("python:3.12-slim"));
        let kids: Vec<_> = build.children.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(kids, ["PY", "APP", "HOME_DIR", "RUN"]);
        assert_eq!(syms[3].detail.as_deref(), Some("build"));
        fn check(s: &Symbol) {
            assert!(s.span.start <= s.selection.start && s.selection.end <= s.span.end, "{s:?}");
            s.children.iter().for_each(check);
        }
        syms.iter().for_each(check);
        let syms = symbols("FROM a\nRUN x\nFROM b\n");
        assert_eq!(syms[1].name, "stage 1");
        assert_eq!(syms[1].selection, Span::new(13, 17));
    }

    #[test]
    fn folding_ranges() {
        let src = "# a\n# b\nFROM a\nRUN x \\\n    y\nCOPY <<EOF /f\nbody\nEOF\n\n# c\nFROM b\nRUN z\n";
        let f = folding(src);
        let lines: Vec<_> = f.iter().map(|f| (f.start_line, f.end_line, f.comment)).collect();
        assert_eq!(lines, [(0, 1, true), (2, 7, false), (3, 4, false), (5, 7, false), (10, 11, false)]);
    }

    #[test]
    fn definition_and_references_of_stages() {
        let t = MULTI;
        let a = Analysis::new(t);
        let def = a.definition(t.find("--from=BUILD").unwrap() + 8).unwrap();
        assert_eq!(def, Span::new(t.find("AS build").unwrap() + 3, t.find("AS build").unwrap() + 8));
        let refs = a.references(def.start, true);
        assert_eq!(texts(t, refs.iter().map(|r| r.span)), ["build", "build", "build", "BUILD"]);
        assert_eq!(refs.iter().filter(|r| r.write).count(), 1);
        assert_eq!(a.references(def.start, false).len(), 3);
        let refs = a.references(t.find("from=test").unwrap() + 6, true);
        assert_eq!(texts(t, refs.iter().map(|r| r.span)), ["test", "test"]);
        // Index references reach unnamed stages.
        let src = "FROM a\nRUN x\nFROM b\nCOPY --from=0 /a /b\n";
        let a = Analysis::new(src);
        assert_eq!(a.definition(src.find("=0").unwrap() + 1), Some(Span::new(0, 4)));
    }

    #[test]
    fn definition_and_references_of_variables() {
        let t = MULTI;
        let a = Analysis::new(t);
        // `${PY}` in FROM -> the global ARG.
        let d = a.definition(t.find("${PY}").unwrap() + 3).unwrap();
        assert_eq!(d.start, t.find("PY=").unwrap());
        // The stage's `ARG PY` goes to the global one it re-declares.
        let d2 = a.definition(t.find("ARG PY\n").unwrap() + 5).unwrap();
        assert_eq!(d2, d);
        // One symbol: both declarations and the uses.
        let refs = a.references(d.start, true);
        assert_eq!(refs.iter().filter(|r| r.write).count(), 2);
        // `$PY` in stage `test` (built FROM `build`) is the inherited one.
        assert_eq!(refs.len(), 4, "{refs:?}");
        let redeclared = t.find("ARG PY\n").unwrap() + 4;
        assert_eq!(a.definition(t.find("$PY\n").unwrap() + 1), Some(Span::new(redeclared, redeclared + 2)));
        // In a stage built FROM an image, a global ARG not declared again is another (undefined) thing.
        let src = "ARG PY=1\nFROM a\nRUN echo $PY\n";
        let b = Analysis::new(src);
        assert_eq!(b.references(src.find("$PY").unwrap() + 1, true).len(), 1);
        assert!(b.definition(src.find("$PY").unwrap() + 1).is_none());
        // ENV inherited by a child stage.
        let refs = a.references(t.find("APP=").unwrap(), true);
        assert_eq!(texts(t, refs.iter().map(|r| r.span)), ["APP", "APP"]);
        assert_eq!(refs[1].span.start, t.find("$APP").unwrap() + 1);
        // Shadowing in one stage.
        let src = "FROM a\nENV P=/a\nENV P=/b:$P\nRUN echo $P\n";
        let a = Analysis::new(src);
        let first = a.references(src.find("P=/a").unwrap(), true);
        assert_eq!(first.len(), 2, "the first P and the $P in the second ENV");
        let second = a.references(src.rfind("$P").unwrap() + 1, true);
        assert_eq!(second.len(), 2);
    }

    #[test]
    fn rename_stages() {
        let t = MULTI;
        let edits = rename(t, t.find("AS build").unwrap() + 4, "builder").unwrap();
        assert_eq!(edits.len(), 4);
        assert!(edits.iter().all(|(_, n)| n == "builder"));
        let out = apply(t, &edits);
        assert!(
            out.contains("AS builder\n") && out.contains("FROM builder AS test") && out.contains("--from=builder /x")
        );
        let a = Analysis::new(&out);
        assert_eq!(a.stage_names(), ["builder", "test", "final"]);
        // Refusals.
        let o = t.find("AS build").unwrap() + 4;
        assert!(rename(t, o, "Builder").unwrap_err().0.contains("not a valid stage name"));
        assert!(rename(t, o, "1x").is_err());
        assert!(rename(t, o, "test").unwrap_err().0.contains("already exists"));
        let img = "FROM a AS one\nFROM debian\nCOPY --from=ubuntu:24.04 /a /b\n";
        assert!(rename_stage(img, "one", "debian").unwrap_err().0.contains("image"));
        assert!(rename_stage(img, "one", "ubuntu").is_ok(), "ubuntu:24.04 is another name");
        let via_arg = "ARG B=base\nFROM a AS base\nFROM ${B}\n";
        assert!(rename_stage(via_arg, "base", "x").unwrap_err().0.contains("variable"));
        // By name, for Compose `build.target`.
        let occ = stage_references_for_name(t, "BUILD");
        assert_eq!(occ.len(), 4);
        assert!(rename_stage(t, "nope", "x").is_err());
        // Index references stay valid and are not edited.
        let src = "FROM a AS one\nFROM b\nCOPY --from=0 /a /b\nCOPY --from=one /c /d\n";
        let edits = rename_stage(src, "one", "first").unwrap();
        assert_eq!(apply(src, &edits), "FROM a AS first\nFROM b\nCOPY --from=0 /a /b\nCOPY --from=first /c /d\n");
        assert_eq!(prepare_rename(src, src.find("=0").unwrap() + 1), None);
        assert_eq!(prepare_rename(src, 11), Some(Span::new(10, 13)));
    }

    #[test]
    fn rename_variables() {
        let t = MULTI;
        let edits = rename(t, t.find("${PY}").unwrap() + 3, "PYTHON_VERSION").unwrap();
        let out = apply(t, &edits);
        assert!(out.contains("ARG PYTHON_VERSION=3.12\n") && out.contains("${PYTHON_VERSION}-slim"));
        assert!(out.contains("\nARG PYTHON_VERSION\n"));
        assert!(out.contains("echo $APP $PYTHON_VERSION\n"), "stage test inherits PY from build");
        let o = t.find("${PY}").unwrap() + 3;
        assert!(rename(t, o, "9X").unwrap_err().0.contains("not a valid variable name"));
        assert!(rename(t, o, "APP").unwrap_err().0.contains("already defined"));
        assert!(rename(t, o, "TARGETARCH").is_err());
        let src = "ARG PY=1\nFROM a\nRUN echo $PY\n";
        assert!(rename(src, src.find("$PY").unwrap() + 1, "Q").unwrap_err().0.contains("not defined"));
        assert!(rename(t, 0, "Q").is_err());
        // Uses in RUN, exec forms and heredocs follow.
        let src = "FROM a\nENV X=1\nRUN echo $X\nCMD [\"sh\", \"-c\", \"echo $X\"]\nRUN <<EOF\necho ${X}\nEOF\n";
        let out = apply(src, &rename(src, src.find("X=").unwrap(), "Y").unwrap());
        assert_eq!(out, "FROM a\nENV Y=1\nRUN echo $Y\nCMD [\"sh\", \"-c\", \"echo $Y\"]\nRUN <<EOF\necho ${Y}\nEOF\n");
        assert!(rename(src, src.find("X=").unwrap(), "X").is_ok());
        // A name already used (even undefined) would capture that use.
        let src = "FROM a\nENV X=1\nRUN echo $X $HOME\n";
        assert!(rename(src, src.find("X=").unwrap(), "HOME").is_err());
    }

    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let mut out = text.to_string();
        for (span, new) in edits.iter().rev() {
            out.replace_range(span.start..span.end, new);
        }
        out
    }

    #[test]
    fn non_ascii_offsets() {
        let src = "ARG É=1\nFROM a AS x😀\nENV N=中文\nRUN echo \"😀 $N é\" ${N}中\n";
        let a = Analysis::new(src);
        let o = src.find("😀 $N").unwrap() + 2; // inside the 4-byte character
        assert!(a.hover(o).is_none());
        let h = a.hover(src.find("${N}").unwrap() + 2).unwrap();
        assert_eq!(&src[h.span.start..h.span.end], "${N}");
        assert!(h.markdown.contains("中文"));
        assert_eq!(a.references(src.find("N=").unwrap(), true).len(), 3);
        for o in 0..=src.len() + 3 {
            let _ = a.hover(o);
            let _ = a.completion(o);
            let _ = a.definition(o);
            let _ = a.references(o, true);
            let _ = a.rename(o, "abc");
        }
    }

    /// Every query at every offset of every fixture (and some hostile
    /// texts): no panic, spans on character boundaries inside the text.
    #[test]
    fn never_panics_and_spans_are_valid() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/rules");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".Dockerfile"))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        texts.extend(
            [
                "",
                "\\",
                "RUN \\",
                "FROM",
                "FROM a AS",
                "COPY --from=",
                "RUN --mount=",
                "# hadolint ignore=",
                "${",
                "$",
                "\u{feff}FROM a\r\nRUN $X\r\n",
                "ONBUILD ONBUILD RUN <<E\n$X\nE\n",
                "RUN <<EOF\n$",
                "ARG A=${A:-${A",
            ]
            .map(String::from),
        );
        for t in &texts {
            let a = Analysis::new(t);
            let ok = |s: Span| {
                s.start <= s.end && s.end <= t.len() && t.is_char_boundary(s.start) && t.is_char_boundary(s.end)
            };
            let step = if t.len() > 4000 { 7 } else { 1 };
            for o in (0..=t.len() + 2).step_by(step) {
                if let Some(h) = a.hover(o) {
                    assert!(ok(h.span), "{t:?} @{o}");
                }
                for c in a.completion(o) {
                    assert!(c.replace.is_none_or(ok));
                }
                if let Some(d) = a.definition(o) {
                    assert!(ok(d));
                }
                for r in a.references(o, true) {
                    assert!(ok(r.span));
                }
                if let Ok(edits) = a.rename(o, "renamed") {
                    assert!(edits.iter().all(|(s, _)| ok(*s)));
                }
            }
            for s in a.symbols() {
                assert!(ok(s.span) && ok(s.selection));
            }
            let lines = t.split('\n').count();
            assert!(a.folding().iter().all(|f| f.start_line < f.end_line && f.end_line < lines.max(1)));
        }
    }

    /// The scope walk used for completion agrees with the model's resolution.
    #[test]
    fn visible_agrees_with_the_model() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/rules");
        for p in std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok().map(|e| e.path())) {
            if !p.to_string_lossy().ends_with(".Dockerfile") {
                continue;
            }
            let t = std::fs::read_to_string(&p).unwrap();
            let a = Analysis::new(&t);
            for u in &a.uses {
                if a.file.instructions[u.inst].keyword == Keyword::Onbuild {
                    continue;
                }
                let vis = a.visible(u.inst).into_iter().find(|&d| a.defs[d].name == u.name);
                assert_eq!(vis, u.def, "{}: {} at {:?}", p.display(), u.name, u.span);
            }
        }
    }

    #[test]
    fn fast_on_a_large_file() {
        let mut t = String::from("ARG BASE=debian:12\nFROM ${BASE} AS base\n");
        for i in 0..400 {
            t.push_str(&format!(
                "ENV V{i}=value{i}\nRUN --mount=type=cache,target=/c echo $V{i} && apt-get install -y pkg{i}\nFROM base AS s{i}\nCOPY --from=base /a /b\n# comment {i}\n"
            ));
        }
        assert!(t.lines().count() >= 2000);
        let a = Analysis::new(&t);
        let offsets: Vec<usize> = (0..t.len()).step_by(t.len() / 200).collect();
        let start = std::time::Instant::now();
        for &o in &offsets {
            let o = clamp_offset(&t, o);
            let _ = a.hover(o);
            let _ = a.completion(o);
            let _ = a.definition(o);
        }
        let per = start.elapsed() / offsets.len() as u32;
        // Well under 1 ms in release; a generous bound for debug builds.
        assert!(per < std::time::Duration::from_millis(if cfg!(debug_assertions) { 20 } else { 1 }), "{per:?}");
    }
}
