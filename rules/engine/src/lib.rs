//! berth's rule engine: the `Rule` and `ComposeRule` traits, `RuleMeta`,
//! diagnostics, fixes, inline ignores and the lint drivers. The rules
//! themselves live above it (`berth-rules`) and are handed in as a
//! [`engine::Registry`]: the engine never names a rule. No I/O.

pub mod engine;

// The layers below, under the module names every file here uses.
use berth_compose::compose;
use berth_syntax::{model, shell, syntax};
use berth_text::text;
