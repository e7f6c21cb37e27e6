//! berth's editor features as pure functions over text and byte offsets
//! (hover, completion, symbols, folding, navigation, rename, formatting),
//! with no LSP types; the language server converts their results. Above the
//! rules: hover and completion describe them.

pub mod ide;

// The layers below, under the module names every file here uses.
use berth_rules::{compose, engine, model, rules, shell, syntax, text};
