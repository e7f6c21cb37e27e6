//! AI suggestions: the client is the `berth-ai` crate (server/ai/); the
//! command line's part of it (`--ai`, `berth explain`) is [`cli`].

pub use berth_ai::*;
pub mod cli;
