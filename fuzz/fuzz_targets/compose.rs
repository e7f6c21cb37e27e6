//! Compose: parse the YAML, resolve aliases and merges, run every Compose rule.
#![no_main]

use berth_rules::engine::{self, Selection};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = engine::decode(data);
    let all = Selection { include_off_by_default: true, ..Selection::default() };
    let r = engine::lint_compose(&text, &all);
    for d in &r.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "span out of the text: {d:?}");
        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
    }
});
