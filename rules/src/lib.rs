//! berth's rules with their registry, over the analysis layers below them.
//!
//! Crates, each using only the ones before it (Cargo enforces it):
//! `berth-text` (`text`, `util`) -> `berth-syntax` (`syntax`, `shell`,
//! `model`) and `berth-compose` (`compose`) -> `berth-engine` (diagnostics,
//! fixes, ignores, lint drivers over rules handed in) -> `berth-rules` (this
//! crate: `rules` and the engine bound to them) -> `berth-ide` (editor
//! features). The lower crates are re-exported here under their module names,
//! so `berth_rules::model::Model` and, in a rule file, `crate::model::Model`
//! name the same thing. No I/O, no LSP types, no async.

pub mod engine;
pub mod rules;

pub use berth_compose::compose;
pub use berth_syntax::{model, shell, syntax};
pub use berth_text::{text, util};

pub use engine::{Diagnostic, Edit, Fix, LintResult, RuleMeta, Safety, Selection, Severity, lint};

/// Every rule, as the engine runs them: the crate root wires the rules
/// (`rules`) into the engine's drivers (`engine`), so neither module names
/// the other's side.
pub static REGISTRY: engine::Registry = engine::Registry {
    dockerfile: rules::dockerfile::RULES,
    compose: rules::compose::RULES,
    unused_ignore: Some(engine::UnusedIgnore {
        meta: &rules::dockerfile::unused_ignore::META,
        report: rules::dockerfile::unused_ignore::report,
    }),
};
