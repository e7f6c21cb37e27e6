//! Editor features as pure functions over text and byte offsets.
//!
//! Nothing here knows about LSP, files or I/O: callers hand in a document's
//! text (or an already parsed form of it) and byte offsets, and get plain
//! structs back whose positions are byte [`Span`]s into that same text. The
//! language server converts them to its protocol's types (UTF-16 positions
//! through [`crate::text::LineIndex`]).
//!
//! Every function clamps out-of-range offsets (and offsets inside a UTF-8
//! character move back to the character's start), and never panics.
//!
//! - [`dockerfile`]: hover, completion, symbols, folding, definition,
//!   references, rename for Dockerfiles.
//! - [`format`]: the Dockerfile formatter.
//! - [`compose`]: the same features for Compose files.

pub mod compose;
pub mod dockerfile;
pub mod format;
pub mod links;

pub use crate::text::Span;

/// Text shown when the pointer rests on something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// The range the hover is about (the word, flag, keyword ...).
    pub span: Span,
    /// Markdown content.
    pub markdown: String,
}

/// What a completion item is, for the editor's icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompletionKind {
    Keyword,
    Flag,
    Value,
    Stage,
    Variable,
    Property,
    EnumValue,
    Reference,
    Snippet,
}

/// One completion proposal. Functions return them most relevant first; a
/// front end keeps that order (for LSP, a sort text made from the index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// What the list shows (and, without `insert`, what is inserted).
    pub label: String,
    pub kind: CompletionKind,
    /// A short line beside the label.
    pub detail: Option<String>,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// The text to insert when it differs from the label. When `snippet` is
    /// true it uses LSP snippet syntax (`$1`, `${1:name}`, `$0`).
    pub insert: Option<String>,
    /// True when `insert` is a snippet (placeholders, `$` escaped as `\$`).
    pub snippet: bool,
    /// The range the inserted text replaces (the partial word before the
    /// cursor, usually). `None`: the editor's default word range.
    pub replace: Option<Span>,
}

impl Completion {
    /// A plain item: `label` of `kind`, nothing else set.
    pub fn new(label: impl Into<String>, kind: CompletionKind) -> Self {
        Completion { label: label.into(), kind, detail: None, docs: None, insert: None, snippet: false, replace: None }
    }
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
    pub fn docs(mut self, docs: impl Into<String>) -> Self {
        self.docs = Some(docs.into());
        self
    }
    /// Plain text to insert instead of the label.
    pub fn insert(mut self, text: impl Into<String>) -> Self {
        self.insert = Some(text.into());
        self.snippet = false;
        self
    }
    /// Snippet text (LSP snippet syntax) to insert instead of the label.
    pub fn snippet(mut self, text: impl Into<String>) -> Self {
        self.insert = Some(text.into());
        self.snippet = true;
        self
    }
    pub fn replace(mut self, span: Span) -> Self {
        self.replace = Some(span);
        self
    }
}

/// What a document symbol is, for the outline's icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    Stage,
    Instruction,
    Service,
    Key,
    Network,
    Volume,
    Secret,
    Config,
    Variable,
}

/// One entry of the document outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole range of the symbol (a stage: its FROM to its last line).
    pub span: Span,
    /// The range to select and reveal (a stage: its name or FROM keyword).
    /// Always inside `span`.
    pub selection: Span,
    pub children: Vec<Symbol>,
}

/// A foldable range of whole lines (zero-based, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fold {
    pub start_line: usize,
    pub end_line: usize,
    /// True for a block of comment lines.
    pub comment: bool,
}

/// One place a symbol is used (for references and document highlight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Occurrence {
    pub span: Span,
    /// True where the symbol is defined (or assigned): `FROM .. AS x`,
    /// `ARG X`, `ENV X=..`.
    pub write: bool,
}

/// Why a rename was refused (shown to the user as is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameError(pub String);

impl std::fmt::Display for RenameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RenameError {}

/// A text replacement: `span` of the document becomes `text`.
pub type TextEdit = (Span, String);

/// The largest offset `<= offset` that is a char boundary of `text` (and
/// `<= text.len()`): every public function passes its offsets through this.
pub fn clamp_offset(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while o > 0 && !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// Clamps both ends of `span` with [`clamp_offset`] and orders them.
pub fn clamp_span(text: &str, span: Span) -> Span {
    let a = clamp_offset(text, span.start);
    let b = clamp_offset(text, span.end);
    Span::new(a.min(b), a.max(b))
}

/// The heredocs of an instruction. The parser attaches an ONBUILD trigger's
/// heredocs to the first trigger level, which is not always the innermost
/// (`ONBUILD ONBUILD RUN <<EOF`), so this looks at every level.
pub(crate) fn heredocs(inst: &crate::syntax::Instruction) -> &[crate::syntax::Heredoc] {
    let mut cur = inst;
    loop {
        if !cur.heredocs.is_empty() {
            return &cur.heredocs;
        }
        match cur.trigger.as_deref() {
            Some(t) => cur = t,
            None => return &[],
        }
    }
}
