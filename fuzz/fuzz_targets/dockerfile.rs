//! Dockerfile: parse, build the model, run every rule (off-by-default ones too),
//! with a `.dockerignore` and rule settings taken from the same input.
#![no_main]

use berth_rules::engine::{self, Inputs, Selection, Settings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = engine::decode(data);
    let all = Selection { include_off_by_default: true, ..Selection::default() };
    let inputs = Inputs {
        settings: Settings {
            trusted_registries: vec!["docker.io".into(), "*.example.com".into()],
            label_schema: Vec::new(),
            strict_labels: true,
            registry: None,
        },
        dockerignore: Some("*.md\n!README.md\nnode_modules\n**/*.pyc\n".into()),
    };
    let r = engine::lint_with(&text, &all, &inputs);
    for d in &r.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "span out of the text: {d:?}");
        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
    }
});
