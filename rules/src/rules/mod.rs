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

/// The rule set every rule shipped with berth's first release belongs to.
pub const FIRST_RULE_SET: &str = "2026.1";

/// Rules added after the first release, by the rule set (`YYYY.N`) that added
/// them. A configuration pinned with `rule-set = "YYYY.N"` keeps newer rules
/// off, so that an upgrade does not turn a green pipeline red. A new rule must
/// be listed here under the next rule set.
pub static RULE_SETS: &[(&str, &[&str])] = &[];

/// `YYYY.N` as a comparable pair.
pub fn parse_rule_set(s: &str) -> Option<(u32, u32)> {
    let (y, n) = s.trim().split_once('.')?;
    let y: u32 = y.parse().ok().filter(|y| (2000..3000).contains(y))?;
    Some((y, n.parse().ok()?))
}

/// The rule set that introduced `code`.
pub fn rule_set_of(code: &str) -> &'static str {
    RULE_SETS
        .iter()
        .find(|(_, codes)| codes.iter().any(|c| c.eq_ignore_ascii_case(code)))
        .map_or(FIRST_RULE_SET, |(v, _)| v)
}

/// Rules introduced after rule set `pinned` (`None` when `pinned` is not `YYYY.N`).
pub fn newer_than(pinned: &str) -> Option<Vec<&'static RuleMeta>> {
    let p = parse_rule_set(pinned)?;
    Some(metas().into_iter().filter(|m| parse_rule_set(rule_set_of(m.code)).is_some_and(|v| v > p)).collect())
}

#[cfg(test)]
mod rule_set_tests {
    use super::*;

    #[test]
    fn rule_sets() {
        assert_eq!(parse_rule_set("2026.1"), Some((2026, 1)));
        assert_eq!(parse_rule_set("2026"), None);
        assert_eq!(parse_rule_set("x.1"), None);
        assert_eq!(rule_set_of("DL3008"), FIRST_RULE_SET);
        assert!(newer_than(FIRST_RULE_SET).unwrap().is_empty());
        assert_eq!(newer_than("2025.4").unwrap().len(), metas().len());
    }
}
