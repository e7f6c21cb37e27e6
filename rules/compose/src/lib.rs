//! berth's Compose layer: the YAML tree, the schema, interpolation, `.env`
//! files, the project model (`project`, `merge`, `profiles`). Beside the
//! Dockerfile layers, on `berth-text` only. No I/O: the front end reads the
//! project's files and hands them in.

pub mod compose;

// The layer below, under the module names every file here uses (`crate::text::Span`).
use berth_text::{text, util};
