//! Names that point from one Compose entry to another (services, networks,
//! volumes, configs, secrets), the reading of service volume entries, and
//! positions inside scalars. Shared by the reference rules (BC4001-BC4006)
//! and the security rules that look at mounts (BC2006).

use super::place_node;
use crate::compose::project::{Found, Role, companions};
use crate::compose::references::{self, Reference, Written};
use crate::compose::{ComposeFile, Key, Node, Style};
use crate::engine::ComposeContext;
use crate::text::Span;
use std::ops::Range;

/// One name written in a service that refers to another entry of the file.
pub(crate) struct Ref<'a> {
    /// The service where the reference is written.
    pub service: &'a str,
    /// The name referred to.
    pub name: String,
    /// Where to report (the name itself, or the alias/merge that brought it in).
    pub at: Span,
    /// Where it was written when brought in by an alias or merge.
    pub written: Option<Span>,
    /// How the service refers to it, for messages ("depends on", "links to", ...).
    pub how: &'static str,
    /// True when the reference makes the service start after the other one.
    pub dependency: bool,
}

/// Where a mapping key is reported: the key, or the merge that brought it in.
pub(crate) fn key_place(key: &Key) -> (Span, Option<Span>) {
    match key.via {
        Some(via) => (via, Some(key.span)),
        None => (key.span, None),
    }
}

/// Where the part `range` (byte range inside the scalar's value) of a scalar is
/// written: the exact bytes when the value is written as is (plain, or quoted
/// without escapes), else the whole scalar; for alias or merge content, the
/// alias or merge, with the place it was written.
pub(crate) fn part_place(file: &ComposeFile, node: &Node, range: Range<usize>) -> (Span, Option<Span>) {
    if node.via.is_some() {
        return place_node(node);
    }
    let (Some(text), Some(style)) = (node.str(), node.style()) else { return (node.span, None) };
    let src = file.slice(node.span);
    let body = match style {
        Style::Plain if src == text => Some(node.span.start),
        Style::SingleQuoted | Style::DoubleQuoted if src.len() >= 2 && src.get(1..src.len() - 1) == Some(text) => {
            Some(node.span.start + 1)
        }
        _ => None,
    };
    match body {
        Some(b) if range.start <= range.end && range.end <= text.len() => {
            (Span::new(b + range.start, b + range.end), None)
        }
        _ => (node.span, None),
    }
}

/// True when names used by this file may be defined in another file, so an
/// undefined name is not necessarily an error: the file has `include:`, a
/// service `extends` a service of another file, or the file looks like an
/// override fragment merged over another file with `-f` (a service with
/// neither `image`, `build` nor `extends`, which Compose refuses in a file of
/// its own).
pub(crate) fn names_may_come_from_elsewhere(file: &ComposeFile) -> bool {
    file.resolved.get("include").is_some() || extends_other_file(file) || is_fragment(file)
}

/// True when the file looks like an override fragment: no services, or a
/// service with neither `image`, `build` nor `extends`.
pub(crate) fn is_fragment(file: &ComposeFile) -> bool {
    crate::compose::project::is_fragment(file)
}

/// True when a service `extends` a service of another file (whose settings,
/// networks and volumes included, are merged into it).
pub(crate) fn extends_other_file(file: &ComposeFile) -> bool {
    file.services.iter().any(|s| s.node.get("extends").is_some_and(|e| e.get("file").is_some()))
}

/// True when a name this file uses but does not define may be defined in a
/// file berth did not read, so the reference rules should stay silent.
///
/// Linted alone (no project gathered), that is [`names_may_come_from_elsewhere`].
/// With the project, the other files' names are known (see
/// [`ComposeContext::defined`]) unless an included file could not be read, the
/// override or base file beside this one exists but could not be read, or the
/// file is an override fragment whose base file is not beside it (it is merged
/// over a file given with `-f`).
pub(crate) fn names_unknown(cx: &ComposeContext<'_>) -> bool {
    if !cx.project.gathered() {
        return names_may_come_from_elsewhere(cx.file);
    }
    !cx.project.complete() || !partners_read(cx) || (is_fragment(cx.file) && !has_partner(cx))
}

/// True when the project has the override file (for a base file) or the base
/// file (for an override file) of the linted file.
pub(crate) fn has_partner(cx: &ComposeContext<'_>) -> bool {
    cx.project.others.iter().any(|o| matches!(o.role, Role::Base | Role::Override))
}

/// False when an override or base file beside the linted file exists but was
/// not read (unreadable, not valid YAML): its names and uses are unknown.
pub(crate) fn partners_read(cx: &ComposeContext<'_>) -> bool {
    let Some(name) = cx.project.inputs.file_name.as_deref() else { return false };
    let (role, names) = companions(name);
    let exists = |n: &&str| matches!(cx.project.found(n), Some(Found::File(_) | Found::Error(_)));
    let read = |n: &&str| cx.project.others.iter().any(|o| o.role == role && o.path == *n);
    match role {
        // One base file is used: the first one that could be read.
        Role::Base => names.iter().any(read) || !names.iter().any(exists),
        _ => names.iter().all(|n| !exists(n) || read(n)),
    }
}

/// The names of `section` in this file and in the project's other files, this
/// file's first, for "did you mean" suggestions.
pub(crate) fn known_names<'c>(cx: &ComposeContext<'c>, section: &str) -> Vec<&'c str> {
    let file: &'c ComposeFile = cx.file;
    let own: Vec<&'c str> = if section == "services" {
        file.services.iter().map(|s| s.name.as_str()).collect()
    } else {
        declared(file, section).iter().map(|(k, _)| k.text.as_str()).collect()
    };
    let project: &'c crate::compose::project::Project<'c> = cx.project;
    let mut out = own;
    out.extend(project.names(section));
    out
}

/// The entries of a top-level section (`networks`, `volumes`, `configs`, `secrets`).
pub(crate) fn declared<'f>(file: &'f ComposeFile, section: &str) -> &'f [(Key, Node)] {
    file.resolved.get(section).map(|n| n.entries()).unwrap_or(&[])
}

/// Names of the services of the file.
pub(crate) fn service_names(file: &ComposeFile) -> std::collections::HashSet<&str> {
    file.services.iter().map(|s| s.name.as_str()).collect()
}

/// The references of the file's services to `section`, each placed where
/// it is reported (collected by [`references::collect`]).
fn refs_to<'f>(file: &'f ComposeFile, section: &str, keep: impl Fn(&Reference<'f>) -> bool) -> Vec<Ref<'f>> {
    references::collect(file, section)
        .into_iter()
        .filter(keep)
        .map(|r| {
            let (at, written) = match &r.written {
                Written::Scalar(node, range) => part_place(file, node, range.clone()),
                Written::Key(k) => key_place(k),
            };
            Ref { service: r.service, name: r.name.to_string(), at, written, how: r.how, dependency: r.dependency }
        })
        .collect()
}

/// Every reference from a service to another service: `depends_on`, `links`,
/// `extends.service` (without `file`), `network_mode`/`ipc`/`pid: service:x`,
/// `volumes_from` (not `container:x`).
pub(crate) fn service_refs(file: &ComposeFile) -> Vec<Ref<'_>> {
    refs_to(file, "services", |_| true)
}

/// Networks named in services' `networks` (list or mapping); with `build`,
/// also `build.network` (a network name there, besides `host`/`none`/`default`).
pub(crate) fn network_refs(file: &ComposeFile, with_build: bool) -> Vec<Ref<'_>> {
    refs_to(file, "networks", |r| with_build || !r.build)
}

/// True when the service is attached to the `default` network implicitly (no
/// `networks` and no `network_mode`).
pub(crate) fn uses_default_network(service: &Node) -> bool {
    service.get("networks").is_none() && service.get("network_mode").is_none()
}

/// Named volumes used by services' `volumes` (short and long syntax).
pub(crate) fn volume_refs(file: &ComposeFile) -> Vec<Ref<'_>> {
    refs_to(file, "volumes", |_| true)
}

/// `configs` or `secrets` granted to services (a name, or a mapping with
/// `source`); for secrets also `build.secrets`.
pub(crate) fn grant_refs<'f>(file: &'f ComposeFile, section: &'static str) -> Vec<Ref<'f>> {
    refs_to(file, section, |_| true)
}

/// The references among `refs` to names that neither this file's `section`
/// nor the rest of the project declares, each with its hint: a did-you-mean
/// while `budget` lasts and a close name exists, else `otherwise`'s advice.
/// The shared body of the undefined-name rules (BC4001-BC4004).
pub(crate) fn undeclared<'c>(
    cx: &ComposeContext<'c>,
    section: &str,
    refs: Vec<Ref<'c>>,
    budget: &mut usize,
    otherwise: impl Fn(&Ref<'c>) -> String,
) -> Vec<(Ref<'c>, String)> {
    let own: std::collections::HashSet<&str> = if section == "services" {
        service_names(cx.file)
    } else {
        declared(cx.file, section).iter().map(|(k, _)| k.text.as_str()).collect()
    };
    let mut names = None;
    let mut out = Vec::new();
    for r in refs {
        if own.contains(r.name.as_str()) || cx.project.defines(section, &r.name) {
            continue;
        }
        // Only computed when something is missing.
        let names = names.get_or_insert_with(|| known_names(cx, section));
        let hint = hint(&r.name, names, budget, || otherwise(&r));
        out.push((r, hint));
    }
    out
}

/// Most findings per file that get a "did you mean" suggestion (each costs a
/// pass over the declared names).
pub(crate) const SUGGESTIONS: usize = 20;

/// `; did you mean `x`?` while `budget` lasts and a close name exists, else `otherwise`.
pub(crate) fn hint(name: &str, names: &[&str], budget: &mut usize, otherwise: impl FnOnce() -> String) -> String {
    if *budget > 0 {
        *budget -= 1;
        if let Some(s) = crate::util::closest(name, names.iter().copied()) {
            return format!("; did you mean `{s}`?");
        }
    }
    otherwise()
}

#[cfg(test)]
mod tests {
    fn codes(text: &str) -> Vec<&'static str> {
        let r = crate::engine::lint_compose(text, &crate::engine::Selection::default());
        r.diagnostics.iter().map(|d| d.code).filter(|c| c.starts_with("BC4")).collect()
    }

    #[test]
    fn names_from_other_files_are_not_reported() {
        let alone = "services:\n  a:\n    image: x\n    depends_on: [b]\n    networks: [n]\n";
        assert_eq!(codes(alone), ["BC4001", "BC4002"]);
        assert!(codes(&format!("include: [other.yaml]\n{alone}")).is_empty());
        let extends =
            "services:\n  a:\n    extends: {file: base.yml, service: base}\n    depends_on: [b]\nvolumes:\n  v: {}\n";
        assert!(codes(extends).is_empty());
        let fragment = "services:\n  api:\n    volumes: [data:/x]\n    depends_on: [db]\nnetworks:\n  n: {}\n";
        assert!(codes(fragment).is_empty());
        // An included file cannot use this file's declarations: still unused.
        assert_eq!(codes("include: [o.yaml]\nservices:\n  a:\n    image: x\nvolumes:\n  v: {}\n"), ["BC4005"]);
    }

    #[test]
    fn names_of_the_project_count_when_it_was_read() {
        use crate::compose::project::{ComposeInputs, Found};
        let base = "services:\n  a:\n    image: x\n    depends_on: [b]\nvolumes:\n  data: {}\n";
        let with = |over: Option<&str>| {
            let mut inputs = ComposeInputs { file_name: Some("compose.yaml".into()), ..ComposeInputs::default() };
            let found = over.map_or(Found::Missing, |t| Found::File(Some(t.to_string())));
            inputs.files.insert("compose.override.yaml".into(), found);
            let r = crate::engine::lint_compose_with(base, &crate::engine::Selection::default(), &inputs);
            r.diagnostics.iter().map(|d| d.code).filter(|c| c.starts_with("BC4")).collect::<Vec<_>>()
        };
        assert_eq!(with(None), ["BC4001", "BC4005"]);
        assert_eq!(with(Some("services:\n  b:\n    volumes: [data:/x]\n")), Vec::<&str>::new());
        // An override that cannot be read may define and use anything.
        assert!(with(Some("services: [\n")).is_empty());
    }

    #[test]
    fn long_cycles_are_reported_once_and_quickly() {
        let n = 20_000;
        let mut text = String::from("services:\n");
        for i in 0..n {
            text += &format!("  s{i}:\n    image: x\n    depends_on: [s{}]\n", (i + 1) % n);
        }
        let mine = ["BC4001", "BC4002", "BC4003", "BC4004", "BC4005", "BC4006", "BC2006", "BC2008"];
        let t = std::time::Instant::now();
        let r = crate::engine::lint_compose(&text, &crate::engine::Selection::only(&mine));
        let cycles: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "BC4006").collect();
        assert_eq!(cycles.len(), 1);
        assert!(cycles[0].message.len() < 600, "{}", cycles[0].message);
        assert!(cycles[0].related.len() <= 20);
        assert!(t.elapsed().as_secs() < 10);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for t in [
            "services:\n  a:\n    ports: [':', '::', '[:', 'é:é', 0, {published: ''}]\n    volumes: [':', '::', 'é:/x', {}, {type: volume}, [x]]\n",
            "services:\n  a:\n    environment: ['=', '==', 'é=ü', 'sk-=', 'A=postgres://:@', 'A=x://@']\n    user: ':'\n",
            "services:\n  a:\n    depends_on: [[], {}, 1, '']\n    links: [':', 'é:']\n    volumes_from: ['service:', ':', 'container:']\n    network_mode: 'service:'\n",
            "services:\n  a:\n    extends: {service: [x]}\n    cap_add: [[], '', 'CAP_']\n    security_opt: [':', '=', '']\n",
            "services: []\nnetworks: [a]\nvolumes: 3\nsecrets: {a: [x]}\n",
            "services:\n  'é':\n    image: x\n    depends_on: ['é']\n    environment: {PASSWORD: \"caf\\u00e9\"}\n",
        ] {
            let _ = crate::engine::lint_compose(t, &crate::engine::Selection::only(&["all"]));
        }
    }
}
