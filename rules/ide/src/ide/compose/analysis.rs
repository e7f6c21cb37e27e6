//! Paths and the schema: key paths, schema lookups, documentation links
//! and the helpers hover and completion share.

use crate::compose::schema::{self, SchemaNode};

use super::{navigation::*, outline::*};

pub(super) const DOCS: &str = "https://docs.docker.com/reference/compose-file/";

// ---------------------------------------------------------------- paths and the schema

/// The schema node of `path`, with the path it was found under: the written
/// path, or, inside an anchored fragment, the path of a place that uses the
/// anchor (`<<: *base`, `key: *base`).
pub(super) fn resolve_schema(o: &mut LazyOutline<'_>, path: &[Seg], depth: usize) -> Option<(Vec<String>, SchemaNode)> {
    let mut keys = names(path);
    if let Some(n) = schema::lookup(&keys) {
        return Some((path.iter().map(|s| s.name.clone()).collect(), n));
    }
    // An entry whose name Compose would refuse (`wéb`) is still documented as an entry.
    if keys.len() > 1 && (Section::of(keys[0]).is_some() || keys[0] == "models") && !keys[1].starts_with("x-") {
        keys[1] = "name";
        if let Some(n) = schema::lookup(&keys) {
            return Some((path.iter().map(|s| s.name.clone()).collect(), n));
        }
    }
    if depth >= 4 || path.iter().all(|s| s.anchor.is_none()) {
        return None;
    }
    for i in (0..path.len()).rev() {
        let Some(anchor) = &path[i].anchor else { continue };
        for mut site in alias_uses(o.get(), anchor) {
            site.extend(path[i + 1..].iter().cloned());
            if let Some(found) = resolve_schema(o, &site, depth + 1) {
                return Some(found);
            }
        }
    }
    None
}

/// An [`Outline`] built on first use.
pub(super) struct LazyOutline<'t> {
    pub(super) text: &'t str,
    pub(super) outline: Option<Outline<'t>>,
}

impl<'t> LazyOutline<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        LazyOutline { text, outline: None }
    }
    pub(super) fn get(&mut self) -> &Outline<'t> {
        self.outline.get_or_insert_with(|| Outline::new(self.text))
    }
}

/// The paths where `*anchor` is used: the mapping holding a `<<: *anchor`
/// merge, or the key or item whose value is `*anchor`.
pub(super) fn alias_uses(o: &Outline<'_>, anchor: &str) -> Vec<Vec<Seg>> {
    let pat = format!("*{anchor}");
    let mut out = Vec::new();
    let t = o.text;
    for (at, _) in t.match_indices(&pat).take(8) {
        let end = at + pat.len();
        if t[end..].chars().next().is_some_and(|c| !c.is_whitespace() && !",]}".contains(c)) {
            continue;
        }
        let ln = o.line_of(at);
        let line = &o.lines[ln];
        let col = at - line.start;
        let path = match line.key {
            Some(k) if k.col < col && k.name == "<<" => path_at(o, ln, k.col).0,
            Some(k) if k.col < col => {
                let mut p = path_at(o, ln, k.col).0;
                p.push(Seg::key(k.name));
                p
            }
            _ => path_at(o, ln, col).0,
        };
        out.push(path);
    }
    out
}

/// The documentation page of a key path.
pub(super) fn doc_link<S: AsRef<str>>(path: &[S]) -> String {
    let keys: Vec<&str> = path.iter().map(AsRef::as_ref).filter(|s| *s != ITEM).collect();
    let (page, anchor) = match keys.as_slice() {
        ["services", _, "build", k, ..] => ("build/", Some(*k)),
        ["services", _, "deploy", k, ..] => ("deploy/", Some(*k)),
        ["services", _, "deploy"] => ("deploy/", None),
        ["services", _, "develop", "watch", k, ..] => ("develop/", Some(*k)),
        ["services", _, "develop", ..] => ("develop/", None),
        ["services", _, k, ..] => ("services/", Some(*k)),
        ["services", ..] => ("services/", None),
        ["networks", _, k, ..] => ("networks/", Some(*k)),
        ["volumes", _, k, ..] => ("volumes/", Some(*k)),
        ["configs", _, k, ..] => ("configs/", Some(*k)),
        ["secrets", _, k, ..] => ("secrets/", Some(*k)),
        ["models", _, k, ..] => ("models/", Some(*k)),
        ["networks", ..] => ("networks/", None),
        ["volumes", ..] => ("volumes/", None),
        ["configs", ..] => ("configs/", None),
        ["secrets", ..] => ("secrets/", None),
        ["models", ..] => ("models/", None),
        ["include", ..] => ("include/", None),
        ["name"] => ("version-and-name/", Some("name-top-level-element")),
        ["version"] => ("version-and-name/", Some("version-top-level-element")),
        [x, ..] if x.starts_with("x-") => ("extension/", None),
        _ => ("", None),
    };
    match anchor {
        Some(a) if !a.starts_with("x-") && a != "<<" => format!("{DOCS}{page}#{a}"),
        _ => format!("{DOCS}{page}"),
    }
}

/// Inline code, with a fence long enough for backticks in `s`.
pub(super) fn code(s: &str) -> String {
    if s.len() <= 120 && !s.contains(['`', '\n']) && !s.is_empty() {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('`');
        out.push_str(s);
        out.push('`');
        return out;
    }
    let s: String = s.chars().map(|c| if c == '\n' { '⏎' } else { c }).collect();
    let s = if s.chars().count() > 120 { format!("{}…", s.chars().take(120).collect::<String>()) } else { s };
    let mut fence = String::from("`");
    while s.contains(fence.as_str()) {
        fence.push('`');
    }
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// The schema documentation of the key at `path` (its last key name).
pub(super) fn key_markdown<S: AsRef<str>>(path: &[S], node: &SchemaNode) -> String {
    use std::fmt::Write;
    let name = path.iter().map(AsRef::as_ref).rfind(|s| *s != ITEM).unwrap_or("");
    let mut md = String::with_capacity(256);
    let _ = write!(md, "**`{name}`**");
    for (i, t) in node.types().names().iter().enumerate() {
        md.push_str(if i == 0 { " · " } else { " | " });
        md.push_str(t);
    }
    if !node.description().is_empty() {
        md.push_str("\n\n");
        md.push_str(node.description());
    }
    let values = node.values();
    if !values.is_empty() && values != ["true", "false"] {
        md.push_str("\n\nValues: ");
        for (i, v) in values.iter().enumerate() {
            let _ = write!(md, "{}`{v}`", if i == 0 { "" } else { ", " });
        }
    }
    let required = node.required();
    if !required.is_empty() {
        md.push_str("\n\nRequires: ");
        for (i, v) in required.iter().enumerate() {
            let _ = write!(md, "{}`{v}`", if i == 0 { "" } else { ", " });
        }
    }
    let _ = write!(md, "\n\n[Compose file reference]({})", doc_link(path));
    md
}

/// What a few enumeration values mean.
pub(super) fn value_doc(key: &str, value: &str) -> Option<&'static str> {
    Some(match (key, value) {
        ("restart", "no") => "Never restart the container (the default)",
        ("restart", "always") => "Always restart it, also when the daemon restarts",
        ("restart", "on-failure") => "Restart when it exits with an error (`on-failure:N`: at most N times)",
        ("restart", "unless-stopped") => "Like `always`, except after it was stopped on purpose",
        ("pull_policy", "always") => "Pull the image every time",
        ("pull_policy", "never") => "Never pull; fail when the image is not present",
        ("pull_policy", "missing") => "Pull when the image is not present (the default)",
        ("pull_policy", "if_not_present") => "Same as `missing`",
        ("pull_policy", "build") => "Build the image (rebuild it when present)",
        ("pull_policy", "daily") => "Pull when the last pull is more than a day old",
        ("pull_policy", "weekly") => "Pull when the last pull is more than a week old",
        ("condition", "service_started") => "Wait until the dependency has started",
        ("condition", "service_healthy") => "Wait until the dependency's healthcheck passes",
        ("condition", "service_completed_successfully") => "Wait until the dependency has exited with status 0",
        ("action", "rebuild") => "Rebuild the image and recreate the container",
        ("action", "sync") => "Copy the changed files into the container",
        ("action", "restart") => "Restart the container",
        ("action", "sync+restart") => "Copy the files, then restart the container",
        ("action", "sync+exec") => "Copy the files, then run `exec` in the container",
        ("network_mode", "bridge") => "The default bridge network",
        ("network_mode", "host") => "The host's network stack (no isolation, no published ports)",
        ("network_mode", "none") => "No networking",
        _ => return None,
    })
}
