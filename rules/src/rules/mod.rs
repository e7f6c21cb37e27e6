//! Every rule, one file each, grouped by the kind of file they check.

pub mod compose;
pub mod dockerfile;
pub mod images;
pub mod secrets;

use crate::engine::{ComposeRule, Rule, RuleMeta};

/// All Dockerfile rules, in code order.
pub fn all() -> &'static [&'static dyn Rule] {
    dockerfile::RULES
}

/// All Compose rules, in code order.
pub fn compose_all() -> &'static [&'static dyn ComposeRule] {
    compose::RULES
}

/// The metadata of the rule with this code (or the syntax-error pseudo-rule).
pub fn by_code(code: &str) -> Option<&'static RuleMeta> {
    each_meta().find(|m| m.code.eq_ignore_ascii_case(code))
}

/// The metadata of the rule named by a code, name, BuildKit name or alias.
pub fn find(selector: &str) -> Option<&'static RuleMeta> {
    each_meta().find(|m| m.matches(selector))
}

/// Every rule's metadata: the Dockerfile syntax-error pseudo-rule, the
/// Dockerfile rules, the YAML syntax-error pseudo-rule, the Compose rules.
pub fn metas() -> Vec<&'static RuleMeta> {
    each_meta().collect()
}

fn each_meta() -> impl Iterator<Item = &'static RuleMeta> {
    crate::REGISTRY.metas()
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

    #[test]
    fn registries_are_sorted_by_code_without_duplicates() {
        for codes in [
            all().iter().map(|r| r.meta().code).collect::<Vec<_>>(),
            compose_all().iter().map(|r| r.meta().code).collect::<Vec<_>>(),
        ] {
            let unsorted: Vec<_> = codes.windows(2).filter(|w| w[0] >= w[1]).map(|w| (w[0], w[1])).collect();
            assert!(unsorted.is_empty(), "out of code order (or duplicated): {unsorted:?}");
        }
        // Every code that a rule set lists is a rule.
        for (set, codes) in RULE_SETS {
            assert!(parse_rule_set(set).is_some(), "{set}");
            for c in *codes {
                assert!(by_code(c).is_some(), "rule set {set} lists unknown rule {c}");
            }
        }
    }
}
