//! berth's analysis library: syntax, semantic model, rule engine and rules.
//!
//! Layers, each using only the ones above it in this list:
//! `text` and `syntax` (exact spans, error recovery) -> `shell` (RUN bodies) ->
//! `model` (stages, variables, images) -> `engine` (diagnostics, fixes, ignores)
//! -> `rules`. No I/O, no LSP types, no async.

pub mod compose;
pub mod engine;
pub mod ide;
pub mod model;
pub mod rules;
pub mod shell;
pub mod syntax;
pub mod text;
pub mod util;

pub use engine::{Diagnostic, Edit, Fix, LintResult, RuleMeta, Safety, Selection, Severity, lint};
