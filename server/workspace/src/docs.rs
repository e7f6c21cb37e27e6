//! Where berth and its rules are documented (SARIF's `helpUri`, the
//! editor's link on a diagnostic code).

use berth_rules::RuleMeta;

/// berth's home page.
pub const INFORMATION_URI: &str = "https://github.com/berth-lint/berth";

/// Where a rule is documented: its section of docs/rules.md.
pub fn help_uri(m: &RuleMeta) -> String {
    format!("{INFORMATION_URI}/blob/main/docs/rules.md#{}", format!("{}-{}", m.code, m.name).to_ascii_lowercase())
}
