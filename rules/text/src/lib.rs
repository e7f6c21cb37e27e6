//! The bottom layer of berth's analysis: `text` (byte spans and the one
//! conversion from byte offsets to lines and columns) and `util` (string
//! helpers every layer shares, such as the "did you mean" policy). Depends on
//! nothing.

pub mod text;
pub mod util;
