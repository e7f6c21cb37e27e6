//! Every rule, one file each, grouped by the kind of file they check.

pub mod dockerfile;

use crate::engine::{Rule, RuleMeta};

/// All rules, in code order.
pub fn all() -> &'static [&'static dyn Rule] {
    dockerfile::RULES
}

/// The metadata of the rule with this code (or the syntax-error pseudo-rule).
pub fn by_code(code: &str) -> Option<&'static RuleMeta> {
    if crate::engine::SYNTAX_ERROR.matches(code) {
        return Some(&crate::engine::SYNTAX_ERROR);
    }
    all().iter().map(|r| r.meta()).find(|m| m.code.eq_ignore_ascii_case(code))
}

/// The metadata of the rule named by a code, name, BuildKit name or alias.
pub fn find(selector: &str) -> Option<&'static RuleMeta> {
    if crate::engine::SYNTAX_ERROR.matches(selector) {
        return Some(&crate::engine::SYNTAX_ERROR);
    }
    all().iter().map(|r| r.meta()).find(|m| m.matches(selector))
}

/// Every rule's metadata, the syntax-error pseudo-rule first.
pub fn metas() -> Vec<&'static RuleMeta> {
    let mut v = vec![&crate::engine::SYNTAX_ERROR];
    v.extend(all().iter().map(|r| r.meta()));
    v
}
