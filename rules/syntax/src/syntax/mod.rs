//! Syntax layer: exact spans, never panics, recovers from errors.

pub mod dockerfile;
pub mod keyvalue;
pub mod logical;
pub mod words;

pub use dockerfile::{
    Comment, Directive, Dockerfile, EmptyContinuation, ExecForm, Flag, Heredoc, Instruction, Keyword, SyntaxError,
};
pub use keyvalue::KeyValue;
pub use logical::LogicalText;
pub use words::{JsonItem, VarRef, Word};
