//! berth's Dockerfile layers, each using only the ones before it:
//! `syntax` (the parser: exact spans, error recovery) -> `shell` (the shell
//! inside RUN, on tree-sitter-bash) -> `model` (stages, ARG/ENV scopes,
//! images). On `berth-text` only. No I/O.

pub mod model;
pub mod shell;
pub mod syntax;

// The layer below, under the module names every file here uses (`crate::text::Span`).
use berth_text::{text, util};
