//! Every rule, one file each, grouped by the kind of file they check.

pub mod compose;
pub mod dockerfile;
pub mod image_tags;
pub mod images;
pub mod lifecycle;
pub mod platforms;
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

/// The rule set that a rule added since the last frozen set belongs to,
/// without being listed anywhere: adding a rule is its file, its fixture and
/// its registry line.
pub const NEXT_RULE_SET: &str = "2026.2";

/// The codes of [`FIRST_RULE_SET`], frozen (pseudo-rules included). When a
/// rule set is released, its new codes are listed in [`RULE_SETS`] and
/// [`NEXT_RULE_SET`] moves on.
pub static FIRST_RULE_SET_CODES: &[&str] = &[
    "BD0001", "BD1001", "BD1002", "BD1003", "BD1005", "BD1006", "BD1007", "BD1008", "BD1009", "BD1010", "BD1011",
    "BD1012", "BD1013", "BD1014", "BD1015", "BD1016", "BD1017", "BD2001", "BD2002", "BD2003", "BD2004", "BD2005",
    "BD2006", "BD2007", "BD2008", "BD2009", "BD2010", "BD2011", "BD3001", "BD3002", "BD3003", "BD3004", "BD3005",
    "BD3006", "BD3007", "DL1001", "DL3000", "DL3001", "DL3002", "DL3003", "DL3004", "DL3006", "DL3007", "DL3008",
    "DL3009", "DL3010", "DL3011", "DL3012", "DL3013", "DL3014", "DL3015", "DL3016", "DL3018", "DL3019", "DL3020",
    "DL3021", "DL3022", "DL3023", "DL3024", "DL3025", "DL3026", "DL3027", "DL3028", "DL3029", "DL3030", "DL3032",
    "DL3033", "DL3034", "DL3035", "DL3036", "DL3037", "DL3038", "DL3040", "DL3041", "DL3042", "DL3043", "DL3044",
    "DL3045", "DL3046", "DL3047", "DL3048", "DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054", "DL3055",
    "DL3056", "DL3057", "DL3058", "DL3059", "DL3060", "DL3061", "DL3062", "DL3063", "DL3064", "DL3065", "DL3066",
    "DL3067", "DL4000", "DL4001", "DL4003", "DL4004", "DL4005", "DL4006", "BC0001", "BC0002", "BC0003", "BC0004",
    "BC0005", "BC0010", "BC0011", "BC0012", "BC1001", "BC1002", "BC1003", "BC1004", "BC1005", "BC1006", "BC1007",
    "BC1008", "BC1009", "BC1010", "BC1011", "BC1012", "BC1013", "BC1014", "BC1015", "BC1016", "BC1017", "BC1018",
    "BC1019", "BC1020", "BC2001", "BC2002", "BC2003", "BC2004", "BC2005", "BC2006", "BC2007", "BC2008", "BC2009",
    "BC2010", "BC2011", "BC2012", "BC3001", "BC3002", "BC3003", "BC3004", "BC3005", "BC3006", "BC3007", "BC3008",
    "BC3009", "BC3010", "BC4001", "BC4002", "BC4003", "BC4004", "BC4005", "BC4006", "BC5001", "BC5002", "BC5003",
    "BC5004", "BC5005", "BC5006", "BC5007", "BC5008", "BC5009", "BC5010",
];

/// Rules added after the first release, by the rule set (`YYYY.N`) that added
/// them, for sets that are released. A configuration pinned with `rule-set =
/// "YYYY.N"` keeps newer rules off, so that an upgrade does not turn a green
/// pipeline red. A rule in none of these lists belongs to [`NEXT_RULE_SET`].
pub static RULE_SETS: &[(&str, &[&str])] = &[];

/// `YYYY.N` as a comparable pair.
pub fn parse_rule_set(s: &str) -> Option<(u32, u32)> {
    let (y, n) = s.trim().split_once('.')?;
    let y: u32 = y.parse().ok().filter(|y| (2000..3000).contains(y))?;
    Some((y, n.parse().ok()?))
}

/// The rule set that introduced `code`.
pub fn rule_set_of(code: &str) -> &'static str {
    if FIRST_RULE_SET_CODES.iter().any(|c| c.eq_ignore_ascii_case(code)) {
        return FIRST_RULE_SET;
    }
    RULE_SETS
        .iter()
        .find(|(_, codes)| codes.iter().any(|c| c.eq_ignore_ascii_case(code)))
        .map_or(NEXT_RULE_SET, |(v, _)| v)
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
        assert_eq!(rule_set_of("BD9999"), NEXT_RULE_SET, "an unlisted rule is in the next set");
        let first = metas().iter().filter(|m| rule_set_of(m.code) == FIRST_RULE_SET).count();
        assert_eq!(newer_than(FIRST_RULE_SET).unwrap().len(), metas().len() - first);
        assert_eq!(newer_than("2025.4").unwrap().len(), metas().len());
        assert!(parse_rule_set(NEXT_RULE_SET) > parse_rule_set(FIRST_RULE_SET));
    }

    #[test]
    fn rule_set_membership() {
        // The frozen first set names rules that exist, once each.
        let mut seen = std::collections::HashSet::new();
        for c in FIRST_RULE_SET_CODES {
            assert!(by_code(c).is_some(), "{FIRST_RULE_SET} lists unknown rule {c}");
            assert!(seen.insert(*c), "{c} listed twice");
        }
        // Released sets come in order, after the first and before the next,
        // and list rules of no other set.
        let mut last = parse_rule_set(FIRST_RULE_SET);
        for (set, codes) in RULE_SETS {
            let v = parse_rule_set(set);
            assert!(v > last && v < parse_rule_set(NEXT_RULE_SET), "{set} out of order");
            last = v;
            for c in *codes {
                assert!(seen.insert(*c), "{c} is in two rule sets");
            }
        }
        // Every rule is in exactly the set `rule_set_of` says.
        for m in metas() {
            let set = rule_set_of(m.code);
            assert!(set == NEXT_RULE_SET || seen.contains(m.code), "{}", m.code);
        }
    }

    #[test]
    fn every_rule_states_what_the_defaults_cannot() {
        for m in metas() {
            assert!(!m.code.is_empty() && !m.name.is_empty(), "a rule without code or name: {m:?}");
            assert!(!m.summary.is_empty(), "{}: no summary", m.code);
            assert!(m.docs.contains("## What it checks"), "{}: docs without `## What it checks`", m.code);
            assert!(
                m.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}: name `{}` is not kebab-case",
                m.code,
                m.name
            );
        }
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
