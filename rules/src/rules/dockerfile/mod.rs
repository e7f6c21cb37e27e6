//! Dockerfile rules. To add one: write `<what_it_checks>.rs` with its
//! `RuleMeta` (documentation included) and `Rule` impl, add it below, and add
//! `corpus/rules/<CODE>.Dockerfile` with cases that must and must not fire.

use crate::engine::Rule;

mod copy_instead_of_add;
mod pin_apt_get_versions;

pub static RULES: &[&dyn Rule] = &[
    &pin_apt_get_versions::PinAptGetVersions,
    &copy_instead_of_add::CopyInsteadOfAdd,
];
