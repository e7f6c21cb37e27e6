//! What the language server publishes, as plain data below every other
//! module of `lsp/`: a finding in protocol terms ([`Item`]) and the last AI
//! review of a document ([`Review`]). Documents store them, diagnostics and
//! the AI actions produce them.

use berth_ai as ai;
use berth_rules::text::LineCol;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Unnecessary,
    Deprecated,
}

/// A finding in protocol terms, still free of protocol types: UTF-16
/// positions of the snapshot it was computed on.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub range: (LineCol, LineCol),
    pub severity: berth_rules::Severity,
    pub code: &'static str,
    /// The rule's documentation.
    pub href: Option<Arc<str>>,
    pub message: String,
    /// Places in the same document.
    pub related: Vec<((LineCol, LineCol), String)>,
    pub tags: Vec<Tag>,
}

/// The findings of an AI review of one generation of a document.
#[derive(Debug)]
pub struct Review {
    pub generation: u64,
    pub findings: Vec<ai::ReviewFinding>,
    pub items: Vec<Item>,
}

/// The review's items when it is for `generation` (for the publications of
/// that generation).
pub fn review_items(review: Option<&Review>, generation: u64) -> Vec<Item> {
    review.filter(|r| r.generation == generation).map(|r| r.items.clone()).unwrap_or_default()
}
