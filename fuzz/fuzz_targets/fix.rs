//! Fixing: apply every offered fix (unsafe ones too) to a Dockerfile or a
//! Compose file (first byte chooses), then check what the fix loop promises:
//! the result parses at least as well as the input, and fixing again changes
//! nothing once no fix is left. Each safe fix, applied alone, keeps the split
//! into instructions (`engine::fix::split_change`), and each safe Compose fix
//! the YAML structure outside its edits (`engine::fix::yaml_structure_change`).
#![no_main]

use berth_rules::compose::ComposeFile;
use berth_rules::engine::{self, Safety, Selection};
use berth_rules::syntax::Dockerfile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else { return };
    let (text, _) = engine::decode(rest);
    let all = Selection { include_off_by_default: true, ..Selection::default() };
    if kind & 1 == 0 {
        let parsed = Dockerfile::parse(&text);
        let before = parsed.errors.len();
        // A safe fix never changes how the file splits into instructions.
        for d in engine::lint_parsed(&parsed, &all) {
            if let Some(f) = d.fix.as_ref().filter(|f| f.safety == Safety::Safe) {
                let change = engine::fix::split_change(&parsed, f);
                assert!(change.is_none(), "{}: {}", d.code, change.unwrap_or_default());
            }
        }
        let r = engine::fix_all(&text, &all, Safety::Unsafe);
        assert!(Dockerfile::parse(&r.text).errors.len() <= before, "a fix broke the Dockerfile");
        if r.remaining.iter().all(|d| d.fix.is_none()) {
            let again = engine::fix_all(&r.text, &all, Safety::Unsafe);
            assert_eq!(again.text, r.text, "fixing twice changed the text");
        }
    } else {
        let linted = engine::lint_compose(&text, &all);
        let parsed = linted.file.is_some();
        // A safe fix keeps the YAML structure outside its edits.
        if let Some(file) = &linted.file {
            for d in &linted.diagnostics {
                if let Some(f) = d.fix.as_ref().filter(|f| f.safety == Safety::Safe) {
                    let change = engine::fix::yaml_structure_change(file, f);
                    assert!(change.is_none(), "{}: {}", d.code, change.unwrap_or_default());
                }
            }
        }
        let r = engine::fix_all_compose(&text, &all, Safety::Unsafe);
        if parsed {
            assert!(ComposeFile::parse(&r.text).is_ok(), "a fix broke the Compose file");
        }
        if r.remaining.iter().all(|d| d.fix.is_none()) {
            let again = engine::fix_all_compose(&r.text, &all, Safety::Unsafe);
            assert_eq!(again.text, r.text, "fixing twice changed the text");
        }
    }
});
