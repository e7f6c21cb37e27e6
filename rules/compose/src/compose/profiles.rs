//! Profiles as Compose applies them (compose-go `types/project.go`
//! `WithProfiles`, `ServiceConfig.HasProfile`; Compose Specification
//! "Profiles").
//!
//! A service without `profiles` is always enabled; one with profiles is
//! enabled when one of them is active, or when `*` is active. Profiles are read
//! from the merged model (lists from several files are a union; `extends`
//! inherits them). Enabling a profile does not enable the dependencies of its
//! services: Compose refuses such a project unless the dependency has
//! `required: false`. A service named on the command line has its profiles
//! added to the active set.
//!
//! For linting, berth does not know which profiles will be used. Two services
//! can run together when some single profile (or none: the default set)
//! enables both: each profile is judged with the default set. Services in
//! `cpu` and in `gpu-nvidia` only are never compared; a service with no
//! profile is compared with every other one.

use super::env::Env;
use super::interpolate;
use super::{Node, Service};

/// The profiles of a service (interpolated with `env` when known).
pub fn of(service: &Node, env: &Env) -> Vec<String> {
    let Some(list) = service.get("profiles") else { return Vec::new() };
    list.items()
        .iter()
        .filter_map(Node::str)
        .map(|p| interpolate::interpolate(p, env).unwrap_or_else(|| p.to_string()))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Whether a service with `profiles` is enabled when `active` profiles are.
pub fn enabled(profiles: &[String], active: &[String]) -> bool {
    profiles.is_empty() || active.iter().any(|a| a == "*" || profiles.contains(a))
}

/// When two services can run together: `None` never (judging each profile
/// with the default set), `Some(None)` in the default set, `Some(Some(p))`
/// with profile `p` active.
pub fn together<'a>(a: &'a [String], b: &'a [String]) -> Option<Option<&'a str>> {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Some(None),
        (true, false) => Some(Some(&b[0])),
        (false, true) => Some(Some(&a[0])),
        (false, false) => a.iter().find(|p| b.contains(p)).map(|p| Some(p.as_str())),
    }
}

/// " (with profile `p`)" for a finding that needs a profile, else "".
pub fn note(needs: Option<&str>) -> String {
    needs.map(|p| format!(" (with profile `{p}`)")).unwrap_or_default()
}

/// The active profiles of a command line: `--profile` values, else
/// `COMPOSE_PROFILES` split on `,`.
pub fn active(flags: &[String], env: &Env) -> Vec<String> {
    if !flags.is_empty() {
        return flags.to_vec();
    }
    env.get("COMPOSE_PROFILES")
        .map(|v| v.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect())
        .unwrap_or_default()
}

/// The services enabled by `active` profiles, with the profiles of the
/// services `named` on the command line added first (Compose's
/// `WithServicesEnabled`).
pub fn enabled_services<'s>(
    services: &'s [Service],
    active: &[String],
    named: &[String],
    env: &Env,
) -> Vec<&'s Service> {
    let mut active = active.to_vec();
    for s in services.iter().filter(|s| named.contains(&s.name)) {
        active.extend(of(&s.node, env));
    }
    services.iter().filter(|s| named.contains(&s.name) || enabled(&of(&s.node, env), &active)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(x: &[&str]) -> Vec<String> {
        x.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn together_rules() {
        assert_eq!(together(&[], &[]), Some(None));
        assert_eq!(together(&v(&["cpu"]), &[]), Some(Some("cpu")));
        assert_eq!(together(&v(&["cpu"]), &v(&["gpu-nvidia"])), None);
        assert_eq!(together(&v(&["cpu", "dev"]), &v(&["dev"])), Some(Some("dev")));
    }

    #[test]
    fn activation() {
        assert!(enabled(&[], &[]));
        assert!(!enabled(&v(&["debug"]), &[]));
        assert!(enabled(&v(&["debug"]), &v(&["debug"])));
        assert!(enabled(&v(&["debug"]), &v(&["*"])));
        let env: Env = [("COMPOSE_PROFILES", "a, b")].into_iter().collect();
        assert_eq!(active(&[], &env), v(&["a", "b"]));
        assert_eq!(active(&v(&["c"]), &env), v(&["c"]));
    }

    #[test]
    fn named_services_enable_their_profiles() {
        let f = crate::compose::ComposeFile::parse(
            "services:\n  a: {}\n  b: {profiles: [zot]}\n  c: {profiles: [zot]}\n  d: {profiles: [x]}\n",
        )
        .unwrap();
        let names: Vec<_> =
            enabled_services(&f.services, &[], &v(&["b"]), &Env::default()).iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
    }
}
