//! The Compose project as Compose computes it: several files (and YAML
//! documents, included files, `extends` bases) merged into one model by
//! compose-go's rules (`override/merge.go`, `override/uncity.go`,
//! `loader/reset.go`, `loader/extends.go`, `loader/include.go`).
//!
//! The merged model is a [`Node`] tree like a single file's, and every node
//! remembers where it was written: its `span` in the file numbered
//! [`Node::file`] (an index into [`Merged::files`]; 0 is the file being
//! linted). A merged mapping keeps the place of its first definition; a value
//! replaced by a later file carries that file's place, and so does its key.
//!
//! Merge rules, key by key (base first, override second):
//! - a mapping is merged into a mapping, a sequence appended to a sequence,
//!   anything else replaces; an override value `null` keeps the base;
//! - `command`, `entrypoint` and `healthcheck.test` are replaced (even by
//!   `null`); each named `ulimits` entry is replaced; `logging` is replaced
//!   when both sides name different drivers;
//! - `environment`, `labels`, `annotations`, `sysctls`, `deploy.labels`,
//!   `build.args`, `build.labels`, `build.additional_contexts`: list and
//!   mapping forms are one keyed map, the later value wins per key (a bare
//!   `KEY` or `KEY: null` overrides too);
//! - `depends_on` (a list item means `condition: service_started`,
//!   `required: true`), service `networks` and `models` (a list item is a key
//!   without settings) and `build` (`build: dir` is `{context: dir}`) are
//!   merged as mappings;
//! - `dns`, `dns_opt`, `dns_search`, `tmpfs`, `env_file` accept a single
//!   string as a one-item list;
//! - appended sequences with a key per entry keep one entry per key, the
//!   later one at the earlier one's position: `volumes` and `devices` (by
//!   container target), `secrets` (target, else `/run/secrets/<source>`),
//!   `configs` (target, else `/<source>`), `ports` (the short text; long form
//!   `ip:published:target/protocol`), `expose`, `env_file`, and the lists
//!   keyed by the text before `=` (`cap_add`, `cap_drop`, `dns*`, `links`,
//!   `profiles`, `tmpfs`, `build.tags`, network `aliases`, ...);
//! - `!reset` removes the key (from the base as well); `!override` replaces
//!   the base value without merging.
//!
//! Extends are applied per file before it is merged (a service of an override
//! file cannot extend one defined only in an earlier file). Included files'
//! `services`, `networks`, `volumes`, `secrets`, `configs` and `models` are
//! the base of the including file's.

use super::env::Env;
use super::request::{Found, MAX_INCLUDE_DEPTH, PathKind, Request, Want, includes, later_documents, path_uses};
use super::{ComposeFile, Key, Kind, Node, Service, Style};
use crate::text::Span;

/// One file (or YAML document) that takes part in a merge.
#[derive(Debug, Clone, Copy)]
pub struct Part<'a> {
    /// Its identity in the merged model ([`Node::file`]).
    pub id: u16,
    pub file: &'a ComposeFile,
    /// Added to its spans (a later document of the linted file is parsed from
    /// a slice of it).
    pub offset: usize,
}

/// The merged model.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    /// The merged top-level mapping (`x-*`, `name`, `services`, ...).
    pub root: Option<Node>,
    /// `services` of the merged model, in order of first definition.
    pub services: Vec<Service>,
}

impl Merged {
    /// Merge `parts` in order (later parts win), after `includes` (whose named
    /// sections are the base). `extends_files` are the files `extends.file`
    /// names, by request path; `env` resolves those paths.
    pub fn build(includes: &[Part<'_>], parts: &[Part<'_>], extends_files: &[(String, Part<'_>)], env: &Env) -> Merged {
        let mut acc: Option<Node> = None;
        for inc in includes {
            let mut root = relabel(&inc.file.resolved, inc.id, inc.offset);
            if let Kind::Map(entries) = &mut root.kind {
                entries.retain(|(k, _)| super::request::NAMED_SECTIONS.contains(&k.text.as_str()));
            }
            let m = Merger { texts: &[], extends_files, env };
            apply_extends(&m, &mut root, inc.file, "");
            acc = Some(match acc {
                None => root,
                Some(a) => m.merge(a, root, &mut Vec::new()),
            });
        }
        for part in parts {
            let mut root = relabel(&part.file.resolved, part.id, part.offset);
            let texts = [(part.id, part.file.text.as_str(), part.offset)];
            let m = Merger { texts: &texts, extends_files, env };
            apply_extends(&m, &mut root, part.file, ".");
            if !matches!(root.kind, Kind::Map(_)) {
                continue;
            }
            acc = Some(match acc {
                None => m.strip_tags(root),
                Some(a) => m.merge(a, root, &mut Vec::new()),
            });
        }
        let services = acc.as_ref().map(super::services_of).unwrap_or_default();
        Merged { root: acc, services }
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().rev().find(|s| s.name == name)
    }
}

/// A copy of `n` labelled with `file`, its spans moved by `offset`.
pub fn relabel(n: &Node, file: u16, offset: usize) -> Node {
    let shift = |s: Span| Span::new(s.start + offset, s.end + offset);
    let kind = match &n.kind {
        Kind::Map(entries) => Kind::Map(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = Key { text: k.text.clone(), span: shift(k.span), style: k.style, via: k.via.map(shift) };
                    (key, relabel(v, file, offset))
                })
                .collect(),
        ),
        Kind::Seq(items) => Kind::Seq(items.iter().map(|i| relabel(i, file, offset)).collect()),
        other => other.clone(),
    };
    Node { span: shift(n.span), kind, anchor: n.anchor, via: n.via.map(shift), file }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Reset,
    Override,
}

struct Merger<'a> {
    /// (file id, text, offset) of the part being merged, to read tags.
    texts: &'a [(u16, &'a str, usize)],
    extends_files: &'a [(String, Part<'a>)],
    env: &'a Env,
}

fn synthetic(text: &str, like: &Node) -> Node {
    Node {
        span: like.span,
        kind: Kind::Scalar { text: text.to_string(), style: Style::Plain },
        anchor: 0,
        via: like.via,
        file: like.file,
    }
}

fn key_like(text: &str, like: &Node) -> Key {
    Key { text: text.to_string(), span: like.span, style: Style::Plain, via: like.via }
}

/// The pattern of a path: names of services and top-level resources become `*`.
fn pattern(path: &[String]) -> String {
    let mut out = String::new();
    for (i, p) in path.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        let wild = (i == 1 && path[0] != "name" && !path[0].starts_with("x-"))
            || (i == 3 && path.len() > 3 && path[0] == "services" && path[2] == "networks")
            || (i == 3 && path[0] == "services" && path[2] == "ulimits");
        out.push_str(if wild { "*" } else { p });
    }
    out
}

const KEYED_MAPS: [&str; 9] = [
    "services.*.environment",
    "services.*.labels",
    "services.*.annotations",
    "services.*.sysctls",
    "services.*.deploy.labels",
    "services.*.build.args",
    "services.*.build.labels",
    "services.*.build.additional_contexts",
    "networks.*.labels",
];

const STRING_OR_LIST: [&str; 7] = [
    "services.*.dns",
    "services.*.dns_opt",
    "services.*.dns_search",
    "services.*.tmpfs",
    "services.*.env_file",
    "services.*.label_file",
    "services.*.extra_hosts",
];

const BY_NAME: [&str; 17] = [
    "services.*.links",
    "services.*.profiles",
    "services.*.cap_add",
    "services.*.cap_drop",
    "services.*.dns",
    "services.*.dns_opt",
    "services.*.dns_search",
    "services.*.tmpfs",
    "services.*.build.tags",
    "services.*.build.platform",
    "services.*.networks.*.aliases",
    "services.*.networks.*.link_local_ips",
    "services.*.extra_hosts",
    "networks.*.ipam.options",
    "services.*.environment",
    "services.*.labels",
    "services.*.sysctls",
];

impl Merger<'_> {
    fn tag(&self, key: &Key, v: &Node) -> Option<Tag> {
        let (_, text, offset) = self.texts.iter().find(|(id, ..)| *id == v.file)?;
        let from = key.span.end.checked_sub(*offset)?;
        let rest = text.get(from..)?;
        let rest = rest.trim_start_matches([' ', '\t']).strip_prefix(':')?;
        let rest = rest.trim_start_matches([' ', '\t']);
        if rest.starts_with("!reset") {
            Some(Tag::Reset)
        } else if rest.starts_with("!override") {
            Some(Tag::Override)
        } else {
            None
        }
    }

    /// Remove `!reset` entries from a part merged onto nothing.
    fn strip_tags(&self, mut n: Node) -> Node {
        if self.texts.iter().all(|(_, t, _)| !t.contains("!reset")) {
            return n;
        }
        if let Kind::Map(entries) = &mut n.kind {
            let taken = std::mem::take(entries);
            for (k, v) in taken {
                if self.tag(&k, &v) == Some(Tag::Reset) {
                    continue;
                }
                entries.push((k, self.strip_tags(v)));
            }
        }
        n
    }

    fn merge(&self, base: Node, over: Node, path: &mut Vec<String>) -> Node {
        let p = pattern(path);
        match p.as_str() {
            "services.*.command" | "services.*.entrypoint" | "services.*.healthcheck.test" => return over,
            "services.*.ulimits.*" => return over,
            "services.*.logging" => {
                let driver = |n: &Node| n.get("driver").and_then(Node::str).map(str::to_string);
                if let (Some(a), Some(b)) = (driver(&base), driver(&over))
                    && a != b
                {
                    return self.strip_tags(over);
                }
            }
            _ => {}
        }
        if over.is_null() {
            return base;
        }
        let base = normalise(base, &p);
        let over = normalise(over, &p);
        let replace_per_key = KEYED_MAPS.contains(&p.as_str());
        match (base.kind, over.kind) {
            (Kind::Map(b), Kind::Map(o)) => {
                let mut out = b;
                for (k, v) in o {
                    let tag = self.tag(&k, &v);
                    let at = out.iter().rposition(|(bk, _)| bk.text == k.text);
                    match (tag, at) {
                        (Some(Tag::Reset), Some(i)) => {
                            out.remove(i);
                        }
                        (Some(Tag::Reset), None) => {}
                        (Some(Tag::Override), Some(i)) => out[i] = (k, self.strip_tags(v)),
                        (_, None) => out.push((k, self.strip_tags(v))),
                        (None, Some(i)) => {
                            let (bk, bv) = out.remove(i);
                            let over_file = v.file;
                            let merged = if replace_per_key {
                                v
                            } else {
                                path.push(k.text.clone());
                                let m = self.merge(bv, v, path);
                                path.pop();
                                m
                            };
                            // The key goes with the file that wrote the value.
                            let key =
                                if merged.file == over_file && !matches!(merged.kind, Kind::Map(_)) { k } else { bk };
                            out.insert(i, (key, merged));
                        }
                    }
                }
                Node { kind: Kind::Map(out), span: base.span, anchor: base.anchor, via: base.via, file: base.file }
            }
            (Kind::Seq(b), Kind::Seq(o)) => {
                let mut out = b;
                let extra_hosts = p == "services.*.extra_hosts";
                for item in o {
                    if extra_hosts && out.iter().any(|x| x.str() == item.str() && item.str().is_some()) {
                        continue;
                    }
                    match unique_key(&p, &item)
                        .and_then(|key| out.iter().position(|x| unique_key(&p, x).as_deref() == Some(key.as_str())))
                    {
                        Some(i) if !extra_hosts => out[i] = item,
                        _ => out.push(item),
                    }
                }
                Node { kind: Kind::Seq(out), span: base.span, anchor: base.anchor, via: base.via, file: base.file }
            }
            (_, kind) => Node { kind, span: over.span, anchor: over.anchor, via: over.via, file: over.file },
        }
    }
}

/// Bring a value into the form both sides merge in.
fn normalise(n: Node, p: &str) -> Node {
    let is_keyed_map = KEYED_MAPS.contains(&p);
    match (&n.kind, p) {
        (Kind::Seq(items), _) if is_keyed_map => {
            let entries = items
                .iter()
                .filter_map(|i| {
                    let t = i.str()?;
                    Some(match t.split_once('=') {
                        Some((k, v)) => {
                            let mut value = synthetic(v, i);
                            // `KEY=1` is the string "1".
                            value.kind = Kind::Scalar { text: v.to_string(), style: Style::DoubleQuoted };
                            (key_like(k, i), value)
                        }
                        None => (key_like(t, i), Node { kind: Kind::Null, ..i.clone() }),
                    })
                })
                .collect();
            Node { kind: Kind::Map(entries), ..n }
        }
        (Kind::Seq(items), "services.*.depends_on") => {
            let entries = items
                .iter()
                .filter_map(|i| {
                    let t = i.str()?;
                    let cond = (key_like("condition", i), synthetic("service_started", i));
                    let req = (key_like("required", i), synthetic("true", i));
                    Some((key_like(t, i), Node { kind: Kind::Map(vec![cond, req]), ..i.clone() }))
                })
                .collect();
            Node { kind: Kind::Map(entries), ..n }
        }
        (Kind::Seq(items), "services.*.networks" | "services.*.models") => {
            let entries = items
                .iter()
                .filter_map(|i| Some((key_like(i.str()?, i), Node { kind: Kind::Null, ..i.clone() })))
                .collect();
            Node { kind: Kind::Map(entries), ..n }
        }
        (Kind::Scalar { .. }, "services.*.build") => {
            let entries = vec![(key_like("context", &n), n.clone())];
            Node { kind: Kind::Map(entries), ..n }
        }
        (Kind::Scalar { .. }, _) if STRING_OR_LIST.contains(&p) => {
            let items = vec![n.clone()];
            Node { kind: Kind::Seq(items), ..n }
        }
        _ => n,
    }
}

/// The key under which compose-go keeps one entry of a sequence.
fn unique_key(p: &str, item: &Node) -> Option<String> {
    let field = |name: &str| item.get(name).and_then(Node::str).map(str::to_string);
    match p {
        "services.*.volumes" => match item.str() {
            Some(t) => {
                let fields = super::volumes::short_fields(t);
                let target = match fields.len() {
                    0 => return None,
                    1 => fields[0].clone(),
                    _ => fields[1].clone(),
                };
                t.get(target).map(str::to_string)
            }
            None => field("target"),
        },
        "services.*.devices" => match item.str() {
            Some(t) => Some(t.split(':').nth(1).unwrap_or(t).to_string()),
            None => field("target"),
        },
        "services.*.secrets" => match item.str() {
            Some(t) => Some(format!("/run/secrets/{t}")),
            None => field("target").or_else(|| field("source").map(|s| format!("/run/secrets/{s}"))),
        },
        "services.*.configs" => match item.str() {
            Some(t) => Some(format!("/{t}")),
            None => field("target").or_else(|| field("source").map(|s| format!("/{s}"))),
        },
        "services.*.ports" => match item.str() {
            Some(t) => Some(t.to_string()),
            None => Some(format!(
                "{}:{}:{}/{}",
                field("host_ip").unwrap_or_else(|| "0.0.0.0".into()),
                field("published").unwrap_or_default(),
                field("target").unwrap_or_default(),
                field("protocol").unwrap_or_else(|| "tcp".into())
            )),
        },
        "services.*.expose" => item.str().map(str::to_string),
        "services.*.env_file" | "services.*.label_file" => item.str().map(str::to_string).or_else(|| field("path")),
        _ if BY_NAME.contains(&p) => item.str().map(|t| t.split('=').next().unwrap_or(t).to_string()),
        _ => None,
    }
}

/// Resolve the `extends` of the services of one part, in place.
fn apply_extends(m: &Merger<'_>, root: &mut Node, file: &ComposeFile, dir: &str) {
    let Kind::Map(top) = &mut root.kind else { return };
    let Some((_, services)) = top.iter_mut().rev().find(|(k, _)| k.text == "services") else { return };
    if !services.entries().iter().any(|(_, s)| s.get("extends").is_some()) {
        return;
    }
    let snapshot = services.clone();
    let _ = file;
    if let Kind::Map(entries) = &mut services.kind {
        for (k, s) in entries.iter_mut() {
            if s.get("extends").is_some() {
                *s = extended(m, &snapshot, &k.text, dir, 0).unwrap_or_else(|| s.clone());
            }
        }
    }
}

/// A service with its `extends` chain applied; `None` when the base is not known.
fn extended(m: &Merger<'_>, services: &Node, name: &str, dir: &str, depth: usize) -> Option<Node> {
    if depth > 8 {
        return None;
    }
    let s = services.get(name)?;
    let Some(ext) = s.get("extends") else { return Some(s.clone()) };
    let (base_name, file) = match &ext.kind {
        Kind::Scalar { text, .. } => (text.clone(), None),
        Kind::Map(_) => (ext.get("service")?.str()?.to_string(), ext.get("file").and_then(Node::str)),
        _ => return None,
    };
    let base = match file {
        None => extended(m, services, &base_name, dir, depth + 1)?,
        Some(f) => {
            let path = super::request::resolve(dir, f, m.env)?;
            let (_, part) = m.extends_files.iter().find(|(p, _)| *p == path)?;
            let root = relabel(&part.file.resolved, part.id, part.offset);
            let other = root.get("services")?.clone();
            extended(m, &other, &base_name, &super::request::parent(&path), depth + 1)?
        }
    };
    let mut own = s.clone();
    if let Kind::Map(e) = &mut own.kind {
        e.retain(|(k, _)| k.text != "extends");
    }
    let mut path = vec!["services".to_string(), name.to_string()];
    let mut merged = m.merge(base, own, &mut path);
    // The service is defined where it is written, not at its base.
    merged.span = s.span;
    merged.file = s.file;
    Some(merged)
}

/// A project loaded as `docker compose` loads it from a list of files.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub merged: Merged,
    /// The files read, by [`Node::file`]: the listed files, then included
    /// files, then the files `extends.file` names.
    pub files: Vec<String>,
}

/// Load the project made of `files` (request paths, relative to the project
/// folder or absolute; later files override earlier ones), with their later
/// YAML documents, their `include`s (recursively) and the files their
/// `extends` name. `read` answers every request, as for
/// [`super::project::ComposeInputs::gather`]; `env` interpolates paths.
pub fn load(files: &[String], env: &Env, read: &mut dyn FnMut(&Request) -> Found) -> Result<Loaded, String> {
    let mut text_of = |p: &str| -> Result<String, String> {
        match read(&Request { path: p.to_string(), want: Want::Text }) {
            Found::File(Some(t)) => Ok(t),
            Found::File(None) => Err(format!("{p}: cannot be read as UTF-8 text")),
            Found::Missing => Err(format!("{p}: no such file")),
            Found::Dir => Err(format!("{p}: is a folder")),
            Found::Error(e) => Err(format!("{p}: {e}")),
        }
    };
    let parse = |p: &str, t: &str| ComposeFile::parse(t).map_err(|e| format!("{p}: {}", e.message));
    let mut names: Vec<String> = Vec::new();
    let mut main: Vec<ComposeFile> = Vec::new();
    let mut docs: Vec<(usize, usize, ComposeFile)> = Vec::new();
    for f in files {
        let text = text_of(f)?;
        let file = parse(f, &text)?;
        for d in later_documents(&text) {
            if let Some(e) = d.error {
                return Err(format!("{f}: {e}"));
            }
            docs.push((main.len(), d.range.start, parse(f, &text[d.range.start..d.range.end])?));
        }
        names.push(f.clone());
        main.push(file);
    }
    // Included files, breadth first, each once.
    let mut included: Vec<ComposeFile> = Vec::new();
    let mut queue: Vec<(String, String, usize)> = Vec::new();
    for f in main.iter().chain(docs.iter().map(|(_, _, f)| f)) {
        for inc in includes(f, ".", env) {
            queue.extend(inc.paths.into_iter().map(|p| (p, inc.project_dir.clone(), 1)));
        }
    }
    let mut include_names = Vec::new();
    while !queue.is_empty() {
        let (path, dir, depth) = queue.remove(0);
        if depth > MAX_INCLUDE_DEPTH || include_names.contains(&path) {
            continue;
        }
        let file = parse(&path, &text_of(&path)?)?;
        for inc in includes(&file, &dir, env) {
            queue.extend(inc.paths.into_iter().map(|p| (p, inc.project_dir.clone(), depth + 1)));
        }
        include_names.push(path);
        included.push(file);
    }
    // Files named by `extends.file`.
    let mut extends: Vec<(String, ComposeFile)> = Vec::new();
    for f in main.iter().chain(docs.iter().map(|(_, _, f)| f)) {
        for u in path_uses(f, ".", env).into_iter().filter(|u| u.kind == PathKind::ExtendsFile) {
            let Some(p) = u.path else { continue };
            if extends.iter().any(|(q, _)| *q == p) {
                continue;
            }
            let file = parse(&p, &text_of(&p)?)?;
            extends.push((p, file));
        }
    }
    let n = main.len();
    let mut parts = Vec::new();
    for (i, f) in main.iter().enumerate() {
        parts.push(Part { id: i as u16, file: f, offset: 0 });
        parts.extend(docs.iter().filter(|(j, ..)| *j == i).map(|(_, off, d)| Part {
            id: i as u16,
            file: d,
            offset: *off,
        }));
    }
    let inc_parts: Vec<Part<'_>> =
        included.iter().enumerate().map(|(i, f)| Part { id: (n + i) as u16, file: f, offset: 0 }).collect();
    let first_ext = n + included.len();
    let ext_parts: Vec<(String, Part<'_>)> = extends
        .iter()
        .enumerate()
        .map(|(i, (p, f))| (p.clone(), Part { id: (first_ext + i) as u16, file: f, offset: 0 }))
        .collect();
    let merged = Merged::build(&inc_parts, &parts, &ext_parts, env);
    names.extend(include_names);
    names.extend(extends.iter().map(|(p, _)| p.clone()));
    Ok(Loaded { merged, files: names })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merge(texts: &[&str]) -> (Vec<ComposeFile>, Merged) {
        let files: Vec<ComposeFile> = texts.iter().map(|t| ComposeFile::parse(t).unwrap()).collect();
        let parts: Vec<Part<'_>> =
            files.iter().enumerate().map(|(i, f)| Part { id: i as u16, file: f, offset: 0 }).collect();
        let m = Merged::build(&[], &parts, &[], &Env::default());
        (files, m)
    }

    fn svc<'m>(m: &'m Merged, name: &str) -> &'m Node {
        &m.service(name).unwrap().node
    }

    fn strs(n: &Node) -> Vec<&str> {
        n.items().iter().filter_map(Node::str).collect()
    }

    #[test]
    fn override_sets_only_the_target() {
        let (_, m) = merge(&[
            "services:\n  api:\n    build: ./api\n    image: a\n",
            "services:\n  api:\n    build:\n      target: dev\n",
        ]);
        let b = svc(&m, "api").get("build").unwrap();
        assert_eq!(b.get("context").unwrap().str(), Some("./api"));
        assert_eq!(b.get("context").unwrap().file, 0);
        assert_eq!(b.get("target").unwrap().str(), Some("dev"));
        assert_eq!(b.get("target").unwrap().file, 1);
    }

    #[test]
    fn sequences_by_key_and_replacements() {
        let (_, m) = merge(&[
            "services:\n  web:\n    command: [a, b]\n    ports: ['80:80', '443:443']\n    volumes: [./a:/data, ./b:/b]\n    expose: [3000]\n    dns: 1.1.1.1\n    environment: [A=1, B=2]\n    secrets: [s]\n",
            "services:\n  web:\n    command: c\n    ports: ['80:80', '8080:8080']\n    volumes: [./c:/data]\n    expose: ['3000', 4000]\n    dns: [8.8.8.8, 1.1.1.1]\n    environment: {B: 3, C: 4}\n    secrets: [{source: s, target: /run/secrets/s}]\n",
        ]);
        let web = svc(&m, "web");
        assert_eq!(web.get("command").unwrap().str(), Some("c"));
        assert_eq!(strs(web.get("ports").unwrap()), ["80:80", "443:443", "8080:8080"]);
        assert_eq!(strs(web.get("volumes").unwrap()), ["./c:/data", "./b:/b"]);
        assert_eq!(strs(web.get("expose").unwrap()), ["3000", "4000"]);
        assert_eq!(strs(web.get("dns").unwrap()), ["1.1.1.1", "8.8.8.8"]);
        let env: Vec<_> =
            web.get("environment").unwrap().entries().iter().map(|(k, v)| (k.text.as_str(), v.str())).collect();
        assert_eq!(env, [("A", Some("1")), ("B", Some("3")), ("C", Some("4"))]);
        let secrets = web.get("secrets").unwrap().items();
        assert_eq!(secrets.len(), 1);
        assert!(secrets[0].get("target").is_some(), "the later entry replaces the earlier one");
    }

    #[test]
    fn depends_on_networks_and_null() {
        let (_, m) = merge(&[
            "services:\n  web:\n    image: a\n    depends_on: [db]\n    networks: [front]\n",
            "services:\n  web:\n    image:\n    depends_on:\n      cache:\n        condition: service_healthy\n    networks:\n      back: {}\n",
        ]);
        let web = svc(&m, "web");
        assert_eq!(web.get("image").unwrap().str(), Some("a"), "null keeps the base");
        let deps: Vec<_> = web.get("depends_on").unwrap().entries().iter().map(|(k, _)| k.text.as_str()).collect();
        assert_eq!(deps, ["db", "cache"]);
        let db = web.get("depends_on").unwrap().get("db").unwrap();
        assert_eq!(db.get("condition").unwrap().str(), Some("service_started"));
        let nets: Vec<_> = web.get("networks").unwrap().entries().iter().map(|(k, _)| k.text.as_str()).collect();
        assert_eq!(nets, ["front", "back"]);
    }

    #[test]
    fn reset_and_override_tags() {
        let (_, m) = merge(&[
            "services:\n  web:\n    image: a\n    ports: ['80:80']\n    environment: {A: 1, B: 2}\n    depends_on: [db]\n  db: {image: d}\n",
            "services:\n  web:\n    ports: !reset []\n    environment:\n      A: !reset\n    depends_on: !override\n      cache: {condition: service_started}\n",
        ]);
        let web = svc(&m, "web");
        assert!(web.get("ports").is_none());
        let env: Vec<_> = web.get("environment").unwrap().entries().iter().map(|(k, _)| k.text.as_str()).collect();
        assert_eq!(env, ["B"]);
        let deps: Vec<_> = web.get("depends_on").unwrap().entries().iter().map(|(k, _)| k.text.as_str()).collect();
        assert_eq!(deps, ["cache"]);
    }

    #[test]
    fn extends_in_the_same_file() {
        let (_, m) = merge(&[
            "services:\n  base:\n    image: b\n    command: run\n    ports: ['80:80']\n  web:\n    extends: base\n    image: w\n    ports: ['81:81']\n",
        ]);
        let web = svc(&m, "web");
        assert_eq!(web.get("image").unwrap().str(), Some("w"));
        assert_eq!(web.get("command").unwrap().str(), Some("run"));
        assert_eq!(strs(web.get("ports").unwrap()), ["80:80", "81:81"]);
        assert!(web.get("extends").is_none());
    }

    #[test]
    fn build_string_and_map_merge() {
        let (_, m) = merge(&["services:\n  a:\n    build: .\n", "services:\n  a:\n    build:\n      context: src\n"]);
        assert_eq!(svc(&m, "a").get("build").unwrap().get("context").unwrap().str(), Some("src"));
    }

    #[test]
    fn load_with_include_extends_and_documents() {
        let files: Vec<(&str, &str)> = vec![
            (
                "compose.yaml",
                "include: [inc/compose.yaml]\nservices:\n  web:\n    extends: {file: common.yaml, service: base}\n    image: w\n---\nservices:\n  web:\n    ports: ['81:81']\n",
            ),
            ("dev.yaml", "services:\n  web:\n    environment: [A=1]\n  db:\n    image: postgres\n"),
            ("inc/compose.yaml", "services:\n  cache:\n    image: redis\n"),
            ("common.yaml", "services:\n  base:\n    image: b\n    command: run\n"),
        ];
        let mut read = |r: &Request| match files.iter().find(|(p, _)| *p == r.path) {
            Some((_, t)) => Found::File(Some(t.to_string())),
            None => Found::Missing,
        };
        let l = load(&["compose.yaml".into(), "dev.yaml".into()], &Env::default(), &mut read).unwrap();
        let names: Vec<_> = l.merged.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["cache", "web", "db"]);
        let web = &l.merged.service("web").unwrap().node;
        assert_eq!(web.get("image").unwrap().str(), Some("w"));
        assert_eq!(web.get("command").unwrap().str(), Some("run"));
        assert_eq!(web.get("command").unwrap().file, 3, "from common.yaml");
        assert_eq!(strs(web.get("ports").unwrap()), ["81:81"]);
        assert!(web.get("environment").is_some());
        assert_eq!(l.files, ["compose.yaml", "dev.yaml", "inc/compose.yaml", "common.yaml"]);
        assert!(load(&["nope.yaml".into()], &Env::default(), &mut read).unwrap_err().contains("no such file"));
    }

    #[test]
    fn ulimits_and_logging_replace() {
        let (_, m) = merge(&[
            "services:\n  a:\n    ulimits:\n      nofile: {soft: 1, hard: 2}\n      nproc: 3\n    logging: {driver: json-file, options: {max-size: 1m}}\n",
            "services:\n  a:\n    ulimits:\n      nofile: {soft: 5}\n    logging: {driver: syslog}\n",
        ]);
        let a = svc(&m, "a");
        let nofile = a.get("ulimits").unwrap().get("nofile").unwrap();
        assert!(nofile.get("hard").is_none());
        assert!(a.get("ulimits").unwrap().get("nproc").is_some());
        assert!(a.get("logging").unwrap().get("options").is_none());
    }
}
