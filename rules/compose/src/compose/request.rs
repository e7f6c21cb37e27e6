//! The file-request protocol between the Compose analysis and the front end
//! that reads files: a [`Request`] (a path relative to the Compose file's
//! folder, and what is wanted of it) and its [`Found`] answer, and the paths a
//! Compose file names (`include`, `extends.file`, `env_file`) resolved as
//! Compose resolves them. Both the project ([`super::project`]) and the merged
//! model ([`super::merge`]) read files through it, so neither needs the other
//! for it.

use super::env::Env;
use super::interpolate;
use super::{ComposeFile, Kind, Node};
use crate::text::Span;

/// What the front end is asked about a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// Whether it exists, and as a file or a folder.
    Exists,
    /// Its text (files only; the front end may refuse large files).
    Text,
}

/// A path the linter would like to know about: relative to the folder of the
/// Compose file being linted (`/`-separated, `..` allowed), or absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub path: String,
    pub want: Want,
}

/// What the front end found at a requested path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Missing,
    Dir,
    /// A file, with its text when it was asked for and could be read (UTF-8,
    /// within the front end's size limit).
    File(Option<String>),
    /// It exists but could not be examined (permissions, a symbolic link loop).
    Error(String),
}

impl Found {
    pub fn text(&self) -> Option<&str> {
        match self {
            Found::File(Some(t)) => Some(t),
            _ => None,
        }
    }
}

/// How deep `include`s are followed.
pub const MAX_INCLUDE_DEPTH: usize = 8;

/// A later YAML document of the linted file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The `---` marker that starts it.
    pub marker: Span,
    /// Its byte range in the linted file.
    pub range: Span,
    /// Why berth could not read it, if so.
    pub error: Option<String>,
}

/// What a path written in the Compose file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// `include:` (a path of an entry).
    Include,
    /// `include: [{env_file: ...}]`.
    IncludeEnvFile,
    /// `extends: {file: ...}`.
    ExtendsFile,
    /// A service's `env_file` (`raw`: `format: raw`, read without `.env` syntax).
    EnvFile { required: bool, raw: bool },
}

impl PathKind {
    pub fn is_env_file(self) -> bool {
        matches!(self, PathKind::IncludeEnvFile | PathKind::EnvFile { .. })
    }
}

/// A path written in a Compose file.
#[derive(Debug, Clone)]
pub struct PathUse<'f> {
    pub kind: PathKind,
    /// The service it belongs to, if any.
    pub service: Option<&'f str>,
    /// The scalar that names the path (report here).
    pub node: &'f Node,
    /// The path as written.
    pub written: String,
    /// The request path; `None` for remote paths and paths whose variables have no value.
    pub path: Option<String>,
}

/// `a/b` + `../c` -> `a/c`; absolute paths are kept; `.` and `..` are folded
/// where the path allows (a leading `..` stays).
pub fn join(base: &str, rel: &str) -> String {
    if is_absolute(rel) {
        return normalize(rel);
    }
    if base.is_empty() || base == "." {
        return normalize(rel);
    }
    normalize(&format!("{base}/{rel}"))
}

pub(crate) fn is_absolute(p: &str) -> bool {
    let b = p.as_bytes();
    p.starts_with('/') || p.starts_with('\\') || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

/// Fold `.`, `..` and repeated separators; `\` counts as a separator.
pub fn normalize(p: &str) -> String {
    let absolute = p.starts_with('/') || p.starts_with('\\');
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split(['/', '\\']) {
        match c {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            c => parts.push(c),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// The folder part of a request path.
pub fn parent(p: &str) -> String {
    match p.rfind('/') {
        Some(0) => "/".to_string(),
        Some(i) => p[..i].to_string(),
        None => ".".to_string(),
    }
}

pub(crate) fn is_remote(p: &str) -> bool {
    let lower = p.to_ascii_lowercase();
    lower.contains("://") || lower.starts_with("git@") || lower.starts_with("github.com/")
}

/// Interpolate a written path and resolve it against `dir`; `None` when remote,
/// home-relative or not known.
pub fn resolve(dir: &str, written: &str, env: &Env) -> Option<String> {
    let value = interpolate::interpolate(written, env)?;
    let value = value.trim();
    if value.is_empty() || is_remote(value) || value.starts_with('~') {
        return None;
    }
    Some(join(dir, value))
}

/// Scalars of a string-or-list value.
pub(crate) fn scalars(n: &Node) -> Vec<&Node> {
    match &n.kind {
        Kind::Scalar { .. } => vec![n],
        Kind::Seq(items) => items.iter().filter(|i| i.str().is_some()).collect(),
        _ => Vec::new(),
    }
}

/// One `include` entry.
pub(crate) struct Include {
    /// Request paths of its files.
    pub(crate) paths: Vec<String>,
    /// The folder its relative paths resolve against.
    pub(crate) project_dir: String,
    /// Some path could not be resolved (remote, unknown variables).
    pub(crate) unknown: bool,
}

pub(crate) fn includes(file: &ComposeFile, dir: &str, env: &Env) -> Vec<Include> {
    let Some(list) = file.resolved.get("include") else { return Vec::new() };
    let items: Vec<&Node> = match &list.kind {
        Kind::Seq(items) => items.iter().collect(),
        _ => vec![list],
    };
    let mut out = Vec::new();
    for item in items {
        let path_nodes = match &item.kind {
            Kind::Scalar { .. } => vec![item],
            Kind::Map(_) => item.get("path").map(scalars).unwrap_or_default(),
            _ => continue,
        };
        let resolved: Vec<Option<String>> =
            path_nodes.iter().map(|n| n.str().and_then(|s| resolve(dir, s, env))).collect();
        let unknown = resolved.iter().any(Option::is_none) || path_nodes.is_empty();
        let paths: Vec<String> = resolved.into_iter().flatten().collect();
        let project_dir = item
            .get("project_directory")
            .and_then(Node::str)
            .and_then(|s| resolve(dir, s, env))
            .or_else(|| paths.first().map(|p| parent(p)))
            .unwrap_or_else(|| dir.to_string());
        out.push(Include { paths, project_dir, unknown });
    }
    out
}

/// The paths a file writes for `include`, `extends.file` and `env_file`.
pub fn path_uses<'f>(file: &'f ComposeFile, dir: &str, env: &Env) -> Vec<PathUse<'f>> {
    let mut out = Vec::new();
    let mut push = |kind, service, node: &'f Node| {
        let Some(written) = node.str() else { return };
        out.push(PathUse { kind, service, node, written: written.to_string(), path: resolve(dir, written, env) });
    };
    if let Some(list) = file.resolved.get("include") {
        let items: Vec<&Node> = match &list.kind {
            Kind::Seq(items) => items.iter().collect(),
            _ => vec![list],
        };
        for item in items {
            match &item.kind {
                Kind::Scalar { .. } => push(PathKind::Include, None, item),
                Kind::Map(_) => {
                    for n in item.get("path").map(scalars).unwrap_or_default() {
                        push(PathKind::Include, None, n);
                    }
                    for n in item.get("env_file").map(scalars).unwrap_or_default() {
                        push(PathKind::IncludeEnvFile, None, n);
                    }
                }
                _ => {}
            }
        }
    }
    for s in &file.services {
        let name = Some(s.name.as_str());
        if let Some(file_node) = s.node.get("extends").and_then(|e| e.get("file")) {
            push(PathKind::ExtendsFile, name, file_node);
        }
        let Some(env_file) = s.node.get("env_file") else { continue };
        let items: Vec<&Node> = match &env_file.kind {
            Kind::Seq(items) => items.iter().collect(),
            _ => vec![env_file],
        };
        for item in items {
            match &item.kind {
                Kind::Scalar { .. } => push(PathKind::EnvFile { required: true, raw: false }, name, item),
                Kind::Map(_) => {
                    let required = item.get("required").and_then(Node::compose_bool).unwrap_or(true);
                    let raw = item.get("format").and_then(Node::str) == Some("raw");
                    if let Some(p) = item.get("path") {
                        push(PathKind::EnvFile { required, raw }, name, p);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Later YAML documents: every `---` line after the first document began.
pub fn later_documents(text: &str) -> Vec<Document> {
    if !text.contains("---") {
        return Vec::new();
    }
    let mut markers = Vec::new();
    let mut started = false;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let l = line.trim_end_matches(['\n', '\r']);
        let marker = l.starts_with("---") && l[3..].chars().next().is_none_or(|c| c == ' ' || c == '\t');
        if marker {
            if started {
                markers.push(at);
            }
            started = true;
        } else if !started {
            let t = l.trim();
            started = !(t.is_empty() || t.starts_with('#') || l.starts_with('%'));
        }
        at += line.len();
    }
    let mut out = Vec::new();
    for (i, &m) in markers.iter().enumerate() {
        let end = markers.get(i + 1).copied().unwrap_or(text.len());
        let body = &text[m..end];
        // A document with nothing but the marker, comments and `...` adds nothing.
        let has_content = body.lines().enumerate().any(|(n, l)| {
            let l = if n == 0 { &l[3..] } else { l };
            let t = l.trim();
            !(t.is_empty() || t.starts_with('#') || t == "...")
        });
        if !has_content {
            continue;
        }
        let error = match ComposeFile::parse(body) {
            Ok(_) => None,
            Err(e) => Some(e.message),
        };
        out.push(Document { marker: Span::new(m, m + 3), range: Span::new(m, end), error });
    }
    out
}

/// Sections whose entries other parts of a file refer to by name.
pub const NAMED_SECTIONS: [&str; 6] = ["services", "networks", "volumes", "secrets", "configs", "models"];
