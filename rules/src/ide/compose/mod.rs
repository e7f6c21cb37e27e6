//! Editor features for Compose files: hover, completion, document symbols,
//! folding, definition, references and rename, as pure functions over a
//! file's text and byte offsets.
//!
//! Two readings of the text are used:
//!
//! - the YAML tree ([`ComposeFile`]), exact, for everything that needs the
//!   file's meaning (which name a reference points to, where a key sits in a
//!   flow mapping, what a service is built from). Each `*_parsed` function
//!   takes an already parsed file, so a server can parse once per edit.
//! - a line outline (indentation, `- ` markers, `key:` tokens), for what must
//!   work while the file is being typed and is not valid YAML: completion
//!   always uses it (it needs no parse, so it stays fast on large files), and
//!   hover, symbols and folding fall back on it when the YAML does not load.
//!
//! Keys are documented from [`schema::lookup`] by their path from the root,
//! the path of the place where they are written. Inside an anchored fragment
//! (`x-base: &base`) the path is the one of the place that uses it (`<<:
//! *base` in a service), so the fragment's keys get the service keys' docs.

use super::{
    Completion, CompletionKind, Fold, Hover, Occurrence, RenameError, Symbol, SymbolKind, TextEdit, clamp_offset,
};
use crate::compose::env::Env;
use crate::compose::interpolate::{self, Op, VarRef};
use crate::compose::schema::{self, SchemaNode, Types};
use crate::compose::{ComposeFile, Key, Kind, Node, Style};
use crate::engine::RuleMeta;
use crate::text::{LineIndex, Span};
use std::ops::Range;

const DOCS: &str = "https://docs.docker.com/reference/compose-file/";

/// The path segment for a list item.
const ITEM: &str = "[]";

// ---------------------------------------------------------------- public API

/// Hover at `offset`: a key's schema documentation, a `${VAR}`'s value from
/// `env` (the `.env` file, when the caller read one), the definition of a
/// service, network, volume, config or secret named at `offset`, or a rule
/// named in an ignore comment.
pub fn hover(text: &str, offset: usize, env: Option<&Env>) -> Option<Hover> {
    let offset = clamp_offset(text, offset);
    if let Some(h) = comment_hover(text, offset) {
        return Some(h);
    }
    match ComposeFile::parse(text) {
        Ok(file) => tree_hover(&file, offset, env),
        Err(_) => outline_hover(text, offset, env),
    }
}

/// [`hover`] over an already parsed file.
pub fn hover_parsed(file: &ComposeFile, offset: usize, env: Option<&Env>) -> Option<Hover> {
    let offset = clamp_offset(&file.text, offset);
    comment_hover(&file.text, offset).or_else(|| tree_hover(file, offset, env))
}

/// Completions at `offset`: keys the schema allows there (minus those already
/// present), values of enumerations, names of services, networks, volumes,
/// configs and secrets where a reference is written, and `dockerfile_stages`
/// for `build.target`. Works on text that is not valid YAML (the context
/// comes from indentation), and never parses the whole file.
pub fn completion(text: &str, offset: usize, dockerfile_stages: &[String]) -> Vec<Completion> {
    let offset = clamp_offset(text, offset);
    let o = Outline::new(text);
    Completer { o: &o, offset, stages: dockerfile_stages }.run()
}

/// Outline: top-level sections, services with their keys as children, and
/// the entries of `networks`, `volumes`, `configs`, `secrets` (and other
/// top-level mappings). From the indentation when the YAML does not load.
pub fn symbols(text: &str) -> Vec<Symbol> {
    match ComposeFile::parse(text) {
        Ok(file) => symbols_parsed(&file),
        Err(_) => outline_symbols(&Outline::new(text)),
    }
}

/// [`symbols`] over an already parsed file.
pub fn symbols_parsed(file: &ComposeFile) -> Vec<Symbol> {
    let mut out = Vec::new();
    for (k, v) in file.raw.entries() {
        let section = Section::of(&k.text);
        let mut children = Vec::new();
        for (ek, ev) in v.entries() {
            let (kind, detail, grandchildren) = match section {
                Some(Section::Services) => {
                    let keys =
                        ev.entries().iter().map(|(ck, cv)| key_symbol(file, ck, cv, SymbolKind::Key, Vec::new()));
                    // The resolved service: its image may come from a merge.
                    let resolved = file.services.iter().find(|s| s.name_span == ek.span).map_or(ev, |s| &s.node);
                    (SymbolKind::Service, service_detail(resolved), keys.collect())
                }
                Some(s) => (s.symbol_kind(), scalar_detail(ev), Vec::new()),
                None => (SymbolKind::Key, scalar_detail(ev), Vec::new()),
            };
            let mut sym = key_symbol(file, ek, ev, kind, grandchildren);
            sym.detail = sym.detail.or(detail);
            children.push(sym);
        }
        let mut sym = key_symbol(file, k, v, SymbolKind::Key, children);
        if section.is_some() {
            sym.detail = Some(format!("{} entries", sym.children.len()));
        }
        out.push(sym);
    }
    out
}

/// Foldable ranges: every mapping, sequence and block scalar over several
/// lines (from the line of its key), and blocks of comment lines. From the
/// indentation when the YAML does not load.
pub fn folding(text: &str) -> Vec<Fold> {
    match ComposeFile::parse(text) {
        Ok(file) => folding_parsed(&file),
        Err(_) => {
            let o = Outline::new(text);
            let mut out = outline_folds(&o);
            comment_folds(text, &mut out);
            out.sort();
            out.dedup();
            out
        }
    }
}

/// [`folding`] over an already parsed file.
pub fn folding_parsed(file: &ComposeFile) -> Vec<Fold> {
    let mut out = Vec::new();
    let f = Folder { text: &file.text, lines: &file.lines };
    for (k, v) in file.raw.entries() {
        f.node(v, Some(file.lines.line_of(k.span.start)), &mut out, 0);
    }
    for item in file.raw.items() {
        f.node(item, None, &mut out, 0);
    }
    comment_folds(&file.text, &mut out);
    out.sort();
    out.dedup();
    out
}

/// Where the service, network, volume, config or secret named at `offset`
/// (in a reference or its declaration) is declared.
pub fn definition(text: &str, offset: usize) -> Option<Span> {
    definition_parsed(&ComposeFile::parse(text).ok()?, offset)
}

/// [`definition`] over an already parsed file.
pub fn definition_parsed(file: &ComposeFile, offset: usize) -> Option<Span> {
    let offset = clamp_offset(&file.text, offset);
    let uses = collect_uses(file);
    let at = use_at(&uses, offset)?;
    uses.iter().rfind(|u| u.decl && u.same(at)).map(|u| u.span)
}

/// Every place the name at `offset` is used (its declaration too with
/// `include_decl`, marked `write`), in order. Also for document highlight.
pub fn references(text: &str, offset: usize, include_decl: bool) -> Vec<Occurrence> {
    ComposeFile::parse(text).map(|f| references_parsed(&f, offset, include_decl)).unwrap_or_default()
}

/// [`references`] over an already parsed file.
pub fn references_parsed(file: &ComposeFile, offset: usize, include_decl: bool) -> Vec<Occurrence> {
    let offset = clamp_offset(&file.text, offset);
    let uses = collect_uses(file);
    let Some(at) = use_at(&uses, offset) else { return Vec::new() };
    let mut out: Vec<Occurrence> = uses
        .iter()
        .filter(|u| u.same(at) && (include_decl || !u.decl))
        .map(|u| Occurrence { span: u.span, write: u.decl })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The name that [`rename`] would change at `offset` (for "prepare rename").
pub fn rename_range(text: &str, offset: usize) -> Option<Span> {
    rename_range_parsed(&ComposeFile::parse(text).ok()?, offset)
}

/// [`rename_range`] over an already parsed file.
pub fn rename_range_parsed(file: &ComposeFile, offset: usize) -> Option<Span> {
    let offset = clamp_offset(&file.text, offset);
    let uses = collect_uses(file);
    use_at(&uses, offset).map(|u| u.span)
}

/// Rename the service, network, volume, config or secret named at `offset`:
/// its declaration key and every reference (only the name inside
/// `data:/var/lib/x` or `service:db`; quotes are kept). `new_name` must be a
/// valid name (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`) not yet declared in the section.
pub fn rename(text: &str, offset: usize, new_name: &str) -> Result<Vec<TextEdit>, RenameError> {
    let file = ComposeFile::parse(text)
        .map_err(|e| RenameError(format!("the file is not valid YAML ({}); fix it before renaming", e.message)))?;
    rename_parsed(&file, offset, new_name)
}

/// [`rename`] over an already parsed file.
pub fn rename_parsed(file: &ComposeFile, offset: usize, new_name: &str) -> Result<Vec<TextEdit>, RenameError> {
    let offset = clamp_offset(&file.text, offset);
    let uses = collect_uses(file);
    let Some(at) = use_at(&uses, offset) else {
        return Err(RenameError("no service, network, volume, config or secret name here".into()));
    };
    let noun = at.section.noun();
    if !valid_name(new_name) {
        return Err(RenameError(format!(
            "`{new_name}` is not a valid {noun} name: use letters, digits, `_`, `.` and `-`, starting with a letter or digit"
        )));
    }
    if new_name == at.name {
        return Ok(Vec::new());
    }
    if uses.iter().any(|u| u.decl && u.section == at.section && u.name == new_name) {
        return Err(RenameError(format!("a {noun} named `{new_name}` already exists")));
    }
    let mut edits: Vec<TextEdit> = Vec::new();
    for u in uses.iter().filter(|u| u.same(at)) {
        let text = match u.place {
            Place::Exact { plain_whole: true } if needs_quotes(new_name) => format!("\"{new_name}\""),
            Place::Exact { .. } => new_name.to_string(),
            Place::Whole => format!("\"{new_name}\""),
            Place::Unplaceable => {
                let line = file.lines.line_of(u.span.start) + 1;
                return Err(RenameError(format!(
                    "`{}` on line {line} is written in a form berth cannot edit in place (escapes or a block scalar)",
                    at.name
                )));
            }
        };
        edits.push((u.span, text));
    }
    edits.sort_by_key(|(s, _)| *s);
    edits.dedup_by_key(|(s, _)| *s);
    Ok(edits)
}

/// The `build.target` value at `offset`: (service, context, dockerfile,
/// target span). The context is as written (`.` when not given); the
/// Dockerfile is relative to it (`Dockerfile` when not given). `None` off a
/// target, for an interpolated target and for `dockerfile_inline`.
pub fn build_target_at(text: &str, offset: usize) -> Option<(String, String, String, Span)> {
    build_target_at_parsed(&ComposeFile::parse(text).ok()?, offset)
}

/// [`build_target_at`] over an already parsed file.
pub fn build_target_at_parsed(file: &ComposeFile, offset: usize) -> Option<(String, String, String, Span)> {
    let offset = clamp_offset(&file.text, offset);
    build_target_list(file)
        .into_iter()
        .find(|t| inside(t.span, offset))
        .map(|t| (t.service, t.context, t.dockerfile, t.span))
}

/// Every `build.target` of the file: (context, dockerfile, target, span of
/// the target's text), each written place once (a target in an anchored
/// fragment used by several services is listed once, with the first
/// service's context). For renaming a Dockerfile stage together with the
/// Compose targets that name it.
pub fn build_targets(text: &str) -> Vec<(String, String, String, Span)> {
    ComposeFile::parse(text).map(|f| build_targets_parsed(&f)).unwrap_or_default()
}

/// [`build_targets`] over an already parsed file.
pub fn build_targets_parsed(file: &ComposeFile) -> Vec<(String, String, String, Span)> {
    build_target_list(file).into_iter().map(|t| (t.context, t.dockerfile, t.target, t.span)).collect()
}

// ---------------------------------------------------------------- names and references

/// The top-level sections whose entries other entries refer to by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Services,
    Networks,
    Volumes,
    Configs,
    Secrets,
}

impl Section {
    const ALL: [Section; 5] =
        [Section::Services, Section::Networks, Section::Volumes, Section::Configs, Section::Secrets];

    fn key(self) -> &'static str {
        match self {
            Section::Services => "services",
            Section::Networks => "networks",
            Section::Volumes => "volumes",
            Section::Configs => "configs",
            Section::Secrets => "secrets",
        }
    }

    fn of(key: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.key() == key)
    }

    fn noun(self) -> &'static str {
        match self {
            Section::Services => "service",
            Section::Networks => "network",
            Section::Volumes => "volume",
            Section::Configs => "config",
            Section::Secrets => "secret",
        }
    }

    fn symbol_kind(self) -> SymbolKind {
        match self {
            Section::Services => SymbolKind::Service,
            Section::Networks => SymbolKind::Network,
            Section::Volumes => SymbolKind::Volume,
            Section::Configs => SymbolKind::Config,
            Section::Secrets => SymbolKind::Secret,
        }
    }
}

/// How a name's text can be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// `span` is exactly the name's characters; `plain_whole`: it is a whole
    /// plain scalar (a new name that YAML would read as a number or a
    /// boolean must then be quoted).
    Exact { plain_whole: bool },
    /// `span` is a whole scalar written with escapes; replace it quoted.
    Whole,
    /// Part of a scalar with escapes, or a block scalar.
    Unplaceable,
}

/// A declaration of, or a reference to, a named entry.
#[derive(Debug, Clone)]
struct Use {
    section: Section,
    name: String,
    span: Span,
    place: Place,
    decl: bool,
    /// The service where a reference is written.
    by: Option<String>,
    /// How the service refers to it ("depends on", ...).
    how: &'static str,
}

impl Use {
    fn same(&self, other: &Use) -> bool {
        self.section == other.section && self.name == other.name
    }
}

fn use_at(uses: &[Use], offset: usize) -> Option<&Use> {
    uses.iter().find(|u| inside(u.span, offset))
}

/// `offset` in `span`, its end included (a cursor right after a word is on it).
fn inside(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

use crate::compose::interpolate::interpolated;
use crate::compose::references::{self, Written};

/// Where the part `range` of a scalar's value is written.
fn scalar_place(file: &ComposeFile, node: &Node, range: &Range<usize>) -> (Span, Place) {
    let (Some(text), Some(style)) = (node.str(), node.style()) else { return (node.span, Place::Unplaceable) };
    written_place(file.slice(node.span), node.span, text, style, range)
}

fn key_place(file: &ComposeFile, key: &Key) -> (Span, Place) {
    written_place(file.slice(key.span), key.span, &key.text, key.style, &(0..key.text.len()))
}

fn written_place(src: &str, span: Span, text: &str, style: Style, range: &Range<usize>) -> (Span, Place) {
    let whole = range.start == 0 && range.end == text.len();
    let body = match style {
        Style::Plain if src == text => Some(span.start),
        Style::SingleQuoted | Style::DoubleQuoted if src.len() >= 2 && src.get(1..src.len() - 1) == Some(text) => {
            Some(span.start + 1)
        }
        Style::Literal | Style::Folded => return (span, Place::Unplaceable),
        _ => None,
    };
    match body {
        Some(b) if range.start <= range.end && range.end <= text.len() => {
            (Span::new(b + range.start, b + range.end), Place::Exact { plain_whole: style == Style::Plain && whole })
        }
        _ if whole => (span, Place::Whole),
        _ => (span, Place::Unplaceable),
    }
}

struct Uses<'f> {
    file: &'f ComposeFile,
    out: Vec<Use>,
}

impl Uses<'_> {
    fn scalar(&mut self, section: Section, node: &Node, range: Range<usize>, by: &str, how: &'static str) {
        let Some(name) = node.str().and_then(|t| t.get(range.clone())) else { return };
        if name.is_empty() || interpolated(name) {
            return;
        }
        let (span, place) = scalar_place(self.file, node, &range);
        self.out.push(Use { section, name: name.to_string(), span, place, decl: false, by: Some(by.into()), how });
    }

    fn key(&mut self, section: Section, key: &Key, by: Option<&str>, how: &'static str) {
        if key.text.is_empty() || interpolated(&key.text) || key.text == "<<" {
            return;
        }
        let (span, place) = key_place(self.file, key);
        self.out.push(Use {
            section,
            name: key.text.clone(),
            span,
            place,
            decl: by.is_none(),
            by: by.map(Into::into),
            how,
        });
    }
}

/// Every declaration and reference of the file, each written place once.
fn collect_uses(file: &ComposeFile) -> Vec<Use> {
    let mut u = Uses { file, out: Vec::new() };
    for s in Section::ALL {
        for (k, _) in file.resolved.get(s.key()).map(Node::entries).unwrap_or(&[]) {
            if !k.text.starts_with("x-") {
                u.key(s, k, None, "");
            }
        }
    }
    let declared_network = |t: &str| file.resolved.get("networks").and_then(|s| s.get(t)).is_some();
    for section in Section::ALL {
        for r in references::collect(file, section.key()) {
            // `build.network` may name a network of the host (`host`, `none`).
            if r.build && section == Section::Networks && !declared_network(r.name) {
                continue;
            }
            // A name with `/` is no volume Compose could create.
            if section == Section::Volumes && r.name.contains(['/', '\\']) {
                continue;
            }
            match r.written {
                Written::Scalar(node, range) => u.scalar(section, node, range, r.service, r.how),
                Written::Key(k) => u.key(section, k, Some(r.service), r.how),
            }
        }
    }
    let mut out = u.out;
    // Content brought in by an alias or merge is listed once per use; keep its written place once.
    let mut seen = std::collections::HashSet::new();
    out.retain(|x| seen.insert((x.span, x.section as u8, x.decl)));
    out
}

/// `[a-zA-Z0-9][a-zA-Z0-9_.-]*`
fn valid_name(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric)
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// A plain scalar YAML (1.1 or 1.2) would read as something else than a string.
fn needs_quotes(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if matches!(lower.as_str(), "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n") {
        return true;
    }
    let numeric = |b: u8| b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'e' | b'E' | b'-' | b'+' | b':');
    crate::compose::tree::compose_int(s).is_some()
        || s.parse::<f64>().is_ok()
        || (s.as_bytes().first().is_some_and(u8::is_ascii_digit) && s.bytes().all(numeric))
}

struct Target {
    service: String,
    context: String,
    dockerfile: String,
    target: String,
    span: Span,
}

fn build_target_list(file: &ComposeFile) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    for svc in &file.services {
        let Some(build) = svc.node.get("build") else { continue };
        let Some(target) = build.get("target") else { continue };
        let Some(t) = target.str() else { continue };
        if t.is_empty() || interpolated(t) || build.get("dockerfile_inline").is_some() {
            continue;
        }
        let (span, place) = scalar_place(file, target, &(0..t.len()));
        if !matches!(place, Place::Exact { .. }) || out.iter().any(|o| o.span == span) {
            continue;
        }
        let get = |k: &str, d: &str| build.get(k).and_then(Node::str).unwrap_or(d).to_string();
        out.push(Target {
            service: svc.name.clone(),
            context: get("context", "."),
            dockerfile: get("dockerfile", "Dockerfile"),
            target: t.to_string(),
            span,
        });
    }
    out
}

// ---------------------------------------------------------------- paths and the schema

/// One step of a path from the root: a key, or [`ITEM`] for a list item, with
/// the anchor (`&name`) written on the value it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seg {
    name: String,
    anchor: Option<String>,
}

impl Seg {
    fn key(name: &str) -> Seg {
        Seg { name: name.to_string(), anchor: None }
    }
    fn item() -> Seg {
        Seg::key(ITEM)
    }
}

fn names(path: &[Seg]) -> Vec<&str> {
    path.iter().map(|s| s.name.as_str()).collect()
}

/// The schema node of `path`, with the path it was found under: the written
/// path, or, inside an anchored fragment, the path of a place that uses the
/// anchor (`<<: *base`, `key: *base`).
fn resolve_schema(o: &mut LazyOutline<'_>, path: &[Seg], depth: usize) -> Option<(Vec<String>, SchemaNode)> {
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
struct LazyOutline<'t> {
    text: &'t str,
    outline: Option<Outline<'t>>,
}

impl<'t> LazyOutline<'t> {
    fn new(text: &'t str) -> Self {
        LazyOutline { text, outline: None }
    }
    fn get(&mut self) -> &Outline<'t> {
        self.outline.get_or_insert_with(|| Outline::new(self.text))
    }
}

/// The paths where `*anchor` is used: the mapping holding a `<<: *anchor`
/// merge, or the key or item whose value is `*anchor`.
fn alias_uses(o: &Outline<'_>, anchor: &str) -> Vec<Vec<Seg>> {
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
fn doc_link<S: AsRef<str>>(path: &[S]) -> String {
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
fn code(s: &str) -> String {
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
fn key_markdown<S: AsRef<str>>(path: &[S], node: &SchemaNode) -> String {
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
fn value_doc(key: &str, value: &str) -> Option<&'static str> {
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

// ---------------------------------------------------------------- hover

fn tree_hover(file: &ComposeFile, offset: usize, env: Option<&Env>) -> Option<Hover> {
    let uses = collect_uses(file);
    if let Some(u) = use_at(&uses, offset) {
        return Some(Hover { span: u.span, markdown: entry_markdown(file, &uses, u) });
    }
    let text = file.text.as_str();
    let (path, target) = locate(text, &file.raw, offset)?;
    match target {
        At::Key(k) => {
            if k.text == "<<" && k.style == Style::Plain {
                return Some(Hover { span: k.span, markdown: merge_markdown() });
            }
            let (p, node) = resolve_schema(&mut LazyOutline::new(text), &path, 0)?;
            Some(Hover { span: k.span, markdown: key_markdown(&p, &node) })
        }
        At::Value(node) => {
            if let Kind::Alias(_) = node.kind {
                return Some(Hover { span: node.span, markdown: alias_markdown(file, file.slice(node.span)) });
            }
            let src = file.slice(node.span);
            if let Some(h) = var_hover(src, offset.saturating_sub(node.span.start), node.span.start, env) {
                return Some(h);
            }
            node.str()?;
            let (p, schema) = resolve_schema(&mut LazyOutline::new(text), &path, 0)?;
            let mut md = key_markdown(&p, &schema);
            if let Some(doc) = node.str().and_then(|v| value_doc(p.last().map_or("", String::as_str), v)) {
                md = format!("{}: {doc}\n\n---\n\n{md}", code(node.str().unwrap_or("")));
            }
            // `services.<name>.image`: what berth knows about the image (one table, with sources).
            let is_image = path.len() == 3 && path[0].name == "services" && path[2].name == "image";
            if is_image && let Some(facts) = node.str().and_then(crate::rules::images::describe) {
                md = format!("{facts}\n\n---\n\n{md}");
            }
            Some(Hover { span: node.span, markdown: md })
        }
    }
}

fn outline_hover(text: &str, offset: usize, env: Option<&Env>) -> Option<Hover> {
    let o = Outline::new(text);
    let ln = o.line_of(offset);
    let line = &o.lines[ln];
    let col = offset.saturating_sub(line.start);
    if comment_start(&line.text[..col.min(line.text.len())]).is_some() {
        return None;
    }
    if let Some(k) = line.key {
        if k.name_col <= col && col <= k.name_col + k.name.len() {
            let mut path = path_at(&o, ln, k.col).0;
            path.push(Seg { name: k.name.to_string(), anchor: k.anchor.map(Into::into) });
            let (p, node) = resolve_schema(&mut LazyOutline::new(text), &path, 0)?;
            let span = Span::new(line.start + k.name_col, line.start + k.name_col + k.name.len());
            return Some(Hover { span, markdown: key_markdown(&p, &node) });
        }
        if col < k.value_col {
            return None;
        }
    }
    var_hover(line.text, col, line.start, env)
}

fn merge_markdown() -> String {
    format!(
        "**`<<`** · merge key\n\nMerges the keys of the anchored mapping (or list of mappings) into this one; keys written here win, then the first mapping listed.\n\n[Fragments]({DOCS}fragments/) · [Merge]({DOCS}merge/)"
    )
}

fn alias_markdown(file: &ComposeFile, src: &str) -> String {
    let anchor = format!("&{}", src.trim_start_matches('*'));
    let place = file
        .text
        .match_indices(&anchor)
        .find(|(i, _)| {
            file.text[i + anchor.len()..].chars().next().is_none_or(|c| c.is_whitespace() || ",]}".contains(c))
        })
        .map(|(i, _)| format!(" (line {})", file.lines.line_of(i) + 1))
        .unwrap_or_default();
    format!(
        "**{}** · alias\n\nA copy of the value anchored with {}{place}.\n\n[Fragments]({DOCS}fragments/)",
        code(src),
        code(&anchor)
    )
}

/// What the cursor is on in the tree.
enum At<'n> {
    Key(&'n Key),
    Value(&'n Node),
}

/// The key or scalar at `offset` and its path (for a key: including it).
fn locate<'n>(text: &str, root: &'n Node, offset: usize) -> Option<(Vec<Seg>, At<'n>)> {
    let mut node = root;
    let mut path = Vec::new();
    loop {
        match &node.kind {
            Kind::Map(entries) => {
                let mut next = None;
                for (k, v) in entries {
                    if inside(k.span, offset) {
                        path.push(Seg { name: k.text.clone(), anchor: anchor_between(text, k, v) });
                        return Some((path, At::Key(k)));
                    }
                    if within(v, offset) {
                        next = Some((k, v));
                        break;
                    }
                }
                let (k, v) = next?;
                path.push(Seg { name: k.text.clone(), anchor: anchor_between(text, k, v) });
                node = v;
            }
            Kind::Seq(items) => {
                node = items.iter().find(|i| within(i, offset))?;
                path.push(Seg::item());
            }
            Kind::Scalar { .. } | Kind::Alias(_) => return Some((path, At::Value(node))),
            Kind::Null => return None,
        }
    }
}

fn within(n: &Node, offset: usize) -> bool {
    match n.kind {
        Kind::Scalar { .. } | Kind::Alias(_) => !n.span.is_empty() && inside(n.span, offset),
        Kind::Null => false,
        _ => n.span.contains(offset),
    }
}

/// The anchor name written on a key's value (`key: &name`).
fn anchor_between(text: &str, k: &Key, v: &Node) -> Option<String> {
    if v.anchor == 0 {
        return None;
    }
    let rest = text.get(k.span.end..)?.trim_start_matches([' ', '\t', '"', '\'']);
    let mut rest = rest.strip_prefix(':')?.trim_start();
    if rest.starts_with('!') {
        rest = rest[rest.find(char::is_whitespace)?..].trim_start();
    }
    let name: String =
        rest.strip_prefix('&')?.chars().take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c)).collect();
    (!name.is_empty()).then_some(name)
}

/// The summary of a named entry, for hover on its declaration or a reference.
fn entry_markdown(file: &ComposeFile, uses: &[Use], at: &Use) -> String {
    let noun = at.section.noun();
    let mut md = format!("**{noun} {}**", code(&at.name));
    let decl = uses.iter().rfind(|u| u.decl && u.same(at));
    let node = file.resolved.get(at.section.key()).and_then(|s| s.get(&at.name));
    match decl {
        Some(d) => md += &format!(" — declared on line {}", file.lines.line_of(d.span.start) + 1),
        None if at.section == Section::Networks && at.name == "default" => {
            md += "\n\nThe network Compose creates for the project (services without `networks` join it)";
        }
        None => md += " — not declared in this file (it may come from another Compose file)",
    }
    let mut facts: Vec<String> = Vec::new();
    if let Some(n) = node {
        let s = |k: &str| n.get(k).and_then(Node::str).filter(|v| !v.is_empty());
        match at.section {
            Section::Services => {
                if let Some(image) = s("image") {
                    facts.push(format!("image: {}", code(image)));
                }
                match n.get("build") {
                    Some(b) if b.str().is_some() => facts.push(format!("build: {}", code(b.str().unwrap_or("")))),
                    Some(b) => {
                        let mut parts =
                            vec![format!("context {}", code(b.get("context").and_then(Node::str).unwrap_or(".")))];
                        for k in ["dockerfile", "target"] {
                            if let Some(v) = b.get(k).and_then(Node::str) {
                                parts.push(format!("{k} {}", code(v)));
                            }
                        }
                        facts.push(format!("build: {}", parts.join(", ")));
                    }
                    None => {}
                }
                if let Some(e) = n.get("extends") {
                    let target = e.str().or_else(|| e.get("service").and_then(Node::str)).unwrap_or("");
                    facts.push(format!("extends: {}", code(target)));
                }
                let ports: Vec<String> = n
                    .get("ports")
                    .map(Node::items)
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|p| p.str().map(code))
                    .take(6)
                    .collect();
                if !ports.is_empty() {
                    facts.push(format!("ports: {}", ports.join(", ")));
                }
            }
            _ => {
                for k in ["driver", "name", "file", "environment", "content"] {
                    if let Some(v) = s(k) {
                        facts.push(format!("{k}: {}", code(v)));
                    }
                }
                if let Some(e) = n.get("external")
                    && e.compose_bool() != Some(false)
                {
                    facts.push("external: created outside Compose".into());
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut by: Vec<String> = Vec::new();
    let mut more = 0;
    for u in uses.iter().filter(|u| !u.decl && u.same(at)) {
        if let Some(b) = &u.by
            && seen.insert((b.as_str(), u.how))
        {
            if by.len() < 8 {
                by.push(format!("{} ({})", code(b), u.how));
            } else {
                more += 1;
            }
        }
    }
    if !by.is_empty() {
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        facts.push(format!("used by {}{more}", by.join(", ")));
    }
    for f in facts {
        md += &format!("\n- {f}");
    }
    let anchor = match at.section {
        Section::Services => "services/",
        Section::Networks => "networks/",
        Section::Volumes => "volumes/",
        Section::Configs => "configs/",
        Section::Secrets => "secrets/",
    };
    md += &format!("\n\n[Compose file reference]({DOCS}{anchor})");
    md
}

/// The innermost variable reference at `rel` in `src` (text of a value as
/// written): its range in `src` and the reference.
fn var_at(src: &str, rel: usize) -> Option<(Range<usize>, VarRef)> {
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        if b.get(i + 1) == Some(&b'$') {
            i += 2;
            continue;
        }
        let end = match b.get(i + 1) {
            Some(b'{') => {
                let mut depth = 0usize;
                let mut end = None;
                for (j, &c) in b.iter().enumerate().skip(i + 1) {
                    match c {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(j + 1);
                                break;
                            }
                        }
                        b'\n' => break,
                        _ => {}
                    }
                }
                end
            }
            Some(c) if *c == b'_' || c.is_ascii_alphabetic() => {
                let n = b[i + 1..].iter().take_while(|c| **c == b'_' || c.is_ascii_alphanumeric()).count();
                Some(i + 1 + n)
            }
            _ => None,
        };
        let Some(end) = end else {
            i += 1;
            continue;
        };
        if i <= rel && rel <= end {
            let parts = interpolate::parse(&src[i..end]).ok()?;
            let r = rel - i;
            let best = interpolate::references(&parts)
                .into_iter()
                .filter(|v| v.span.start <= r && r <= v.span.end)
                .min_by_key(|v| v.span.len())?
                .clone();
            return Some((i + best.span.start..i + best.span.end, best));
        }
        i = end;
    }
    None
}

fn var_hover(src: &str, rel: usize, base: usize, env: Option<&Env>) -> Option<Hover> {
    if !src.contains('$') {
        return None;
    }
    let (range, v) = var_at(src, rel)?;
    let written = &src[range.clone()];
    let empty = Env::new();
    let mut md = format!("**{}** · variable", code(&v.name));
    match env {
        Some(e) => match e.get(&v.name) {
            Some(value) => md += &format!("\n\n{} is {} in `.env`", code(&v.name), code(value)),
            None => md += &format!("\n\n{} is not set in `.env`", code(&v.name)),
        },
        None => md += "\n\nNo `.env` values are known for this file",
    }
    let e = env.unwrap_or(&empty);
    let word = interpolate::evaluate(&v.word, e, &mut |_| {}).unwrap_or_default();
    if let Some(op) = v.op {
        md += &format!(
            "\n\n{}",
            match op {
                Op::DefaultIfEmpty => format!("Default {} when unset or empty", code(&word)),
                Op::DefaultIfUnset => format!("Default {} when unset", code(&word)),
                Op::ErrorIfEmpty | Op::ErrorIfUnset => {
                    let when = if op == Op::ErrorIfEmpty { "unset or empty" } else { "unset" };
                    if word.is_empty() {
                        format!("Required: Compose stops when it is {when}")
                    } else {
                        format!("Required: Compose stops when it is {when}, with {}", code(&word))
                    }
                }
                Op::AltIfNonEmpty => format!("Replaced by {} when set and not empty, else empty", code(&word)),
                Op::AltIfSet => format!("Replaced by {} when set, else empty", code(&word)),
            }
        );
    }
    if let Some(e) = env {
        match interpolate::evaluate_str(written, e) {
            Ok(value) if e.contains(&v.name) || v.op.is_some() => {
                md += &format!("\n\n{} → {}", code(written), code(&value));
            }
            Ok(_) => {
                md += "\n\nCompose takes it from the shell environment; unset there too, it is empty (with a warning)"
            }
            Err(err) => md += &format!("\n\n{err}"),
        }
    } else if v.op.is_some_and(Op::is_default) {
        md += &format!("\n\nWithout a value in the environment: {}", code(&word));
    }
    md += &format!("\n\n[Interpolation]({DOCS}interpolation/)");
    Some(Hover { span: Span::new(base + range.start, base + range.end), markdown: md })
}

/// The span of line `offset` is on, without its line break.
fn line_around(text: &str, offset: usize) -> Span {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let end = if text[start..end].ends_with('\r') { end - 1 } else { end };
    Span::new(start, end.max(start))
}

/// Where the comment of a line starts (`#` at the start or after a space, outside quotes).
fn comment_start(line: &str) -> Option<usize> {
    let (mut single, mut double) = (false, false);
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double && (prev == ' ' || prev == '\t') => return Some(i),
            _ => {}
        }
        prev = c;
    }
    None
}

/// The list of rule selectors of an ignore comment: its range in `comment`
/// (the text after `#`) and whether it is dclint's (names, space or comma
/// separated) rather than berth's (`ignore=CODE,CODE`).
fn selector_region(comment: &str) -> Option<(Range<usize>, bool)> {
    let lead = comment.len() - comment.trim_start().len();
    let t = &comment[lead..];
    if let Some(rest) = t.strip_prefix("berth") {
        let mut at = lead + 5;
        let r = rest.trim_start();
        at += rest.len() - r.len();
        let r2 = match r.strip_prefix("global") {
            Some(g) => {
                at += 6 + g.len() - g.trim_start().len();
                g.trim_start()
            }
            None => r,
        };
        let list = r2.strip_prefix("ignore=")?;
        at += 7;
        let len = list.find(char::is_whitespace).unwrap_or(list.len());
        return Some((at..at + len, false));
    }
    let rest = t.strip_prefix("dclint")?;
    let r = rest.trim_start();
    let word = ["disable-next-line", "disable-line", "disable-file"].into_iter().find(|w| r.starts_with(w))?;
    let at = lead + 6 + (rest.len() - r.len()) + word.len();
    Some((at..comment.len(), true))
}

fn comment_hover(text: &str, offset: usize) -> Option<Hover> {
    if !text.contains('#') {
        return None;
    }
    let line = line_around(text, offset);
    let ltext = &text[line.start..line.end];
    let c = comment_start(ltext)?;
    let comment = &ltext[c + 1..];
    let (region, _) = selector_region(comment)?;
    let base = line.start + c + 1;
    let rel = offset.checked_sub(base)?;
    if rel < region.start || rel > region.end {
        return None;
    }
    let list = &comment[region.clone()];
    let mut start = 0;
    for piece in list.split([',', ' ', '\t']) {
        let end = start + piece.len();
        if region.start + start <= rel && rel <= region.start + end && !piece.is_empty() {
            let meta = crate::rules::find(piece)?;
            let span = Span::new(base + region.start + start, base + region.start + end);
            return Some(Hover { span, markdown: rule_markdown(meta) });
        }
        start = end + 1;
    }
    None
}

fn rule_markdown(m: &RuleMeta) -> String {
    let mut md = format!("**{}** {} · {}\n\n{}", m.code, code(m.name), m.severity.as_str(), m.summary);
    if !m.aliases.is_empty() {
        let a: Vec<String> = m.aliases.iter().map(|a| code(a)).collect();
        md += &format!("\n\nAlso: {}", a.join(", "));
    }
    if !m.docs.is_empty() {
        md += &format!("\n\n---\n\n{}", m.docs.trim());
    }
    md
}

// ---------------------------------------------------------------- the line outline

/// A line as the outline sees it. Columns are byte offsets into the line
/// (indentation, `- ` markers and the start of a key are ASCII).
#[derive(Debug, Clone)]
struct Line<'t> {
    start: usize,
    /// Without the line break.
    text: &'t str,
    /// Column of the first character, `None` for blank and comment lines.
    content: Option<usize>,
    /// Columns of the `- ` markers.
    items: Vec<usize>,
    /// Column after the markers (and the spaces after them).
    rest: usize,
    key: Option<KeyTok<'t>>,
}

#[derive(Debug, Clone, Copy)]
struct KeyTok<'t> {
    /// Column of the key (of its opening quote when quoted).
    col: usize,
    /// The key's text (inside the quotes).
    name: &'t str,
    name_col: usize,
    /// The value after `: `, without an anchor, a tag and a comment.
    value: &'t str,
    value_col: usize,
    anchor: Option<&'t str>,
}

struct Outline<'t> {
    text: &'t str,
    lines: Vec<Line<'t>>,
}

impl<'t> Outline<'t> {
    fn new(text: &'t str) -> Outline<'t> {
        let mut lines = Vec::new();
        let mut start = 0;
        for l in text.split('\n') {
            let body = l.strip_suffix('\r').unwrap_or(l);
            lines.push(tokenize(start, body));
            start += l.len() + 1;
        }
        Outline { text, lines }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines.partition_point(|l| l.start <= offset).saturating_sub(1)
    }

    /// The end of line `ln`'s text.
    fn end(&self, ln: usize) -> usize {
        self.lines.get(ln).map_or(self.text.len(), |l| l.start + l.text.len())
    }
}

fn tokenize(start: usize, text: &str) -> Line<'_> {
    let b = text.as_bytes();
    let mut i = b.iter().take_while(|c| **c == b' ' || **c == b'\t').count();
    let mut line = Line { start, text, content: None, items: Vec::new(), rest: i, key: None };
    if i == b.len() || b[i] == b'#' {
        return line;
    }
    line.content = Some(i);
    while i < b.len() && b[i] == b'-' && b.get(i + 1).is_none_or(|c| *c == b' ' || *c == b'\t') {
        line.items.push(i);
        i += 1;
        i += b[i..].iter().take_while(|c| **c == b' ' || **c == b'\t').count();
    }
    line.rest = i;
    line.key = key_token(text, i);
    line
}

/// A `key:` (followed by a space or the end of the line) at column `i`.
fn key_token(text: &str, i: usize) -> Option<KeyTok<'_>> {
    let b = text.as_bytes();
    let first = *b.get(i)?;
    let (name_col, name_end, after) = match first {
        b'"' | b'\'' => {
            let mut j = i + 1;
            loop {
                match b.get(j) {
                    None => return None,
                    Some(b'\\') if first == b'"' => j += 2,
                    Some(b'\'') if first == b'\'' && b.get(j + 1) == Some(&b'\'') => j += 2,
                    Some(c) if *c == first => break,
                    _ => j += 1,
                }
            }
            (i + 1, j, j + 1)
        }
        b'[' | b'{' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b',' | b'?' | b']' | b'}' | b'#' => {
            return None;
        }
        _ => {
            let mut j = i;
            loop {
                match b.get(j) {
                    None => return None,
                    Some(b':') if b.get(j + 1).is_none_or(|c| *c == b' ' || *c == b'\t') => break,
                    Some(b'#') if j > i && (b[j - 1] == b' ' || b[j - 1] == b'\t') => return None,
                    _ => j += 1,
                }
            }
            let end = i + text[i..j].trim_end().len();
            (i, end, j)
        }
    };
    let gap = b.get(after..)?.iter().take_while(|c| **c == b' ' || **c == b'\t').count();
    if b.get(after + gap) != Some(&b':') || b.get(after + gap + 1).is_some_and(|c| *c != b' ' && *c != b'\t') {
        return None;
    }
    let mut v = after + gap + 1;
    v += b[v..].iter().take_while(|c| **c == b' ' || **c == b'\t').count();
    let rest = &text[v..];
    let rest = &rest[..comment_start(rest).unwrap_or(rest.len())];
    let mut value = rest.trim_end();
    let mut value_col = v;
    let mut anchor = None;
    for _ in 0..2 {
        if let Some(a) = value.strip_prefix('&').or_else(|| value.strip_prefix('!')) {
            let len = a.find([' ', '\t']).unwrap_or(a.len());
            if value.starts_with('&') {
                anchor = Some(&a[..len]);
            }
            let skip = 1 + len;
            let trimmed = value[skip..].trim_start();
            value_col += value.len() - trimmed.len();
            value = trimmed;
        }
    }
    Some(KeyTok { col: i, name: &text[name_col..name_end], name_col, value, value_col, anchor })
}

/// The path of what is written at column `col` of line `ln`: the line's own
/// markers and key left of `col`, then the lines above, by indentation.
/// Also true when `col` is inside a multi-line scalar (the nearest key above
/// has a value on its own line: `command: |`).
fn path_at(o: &Outline<'_>, ln: usize, col: usize) -> (Vec<Seg>, bool) {
    let mut rev: Vec<Seg> = Vec::new();
    let mut c = col;
    let mut c_item = false;
    if let Some(line) = o.lines.get(ln) {
        take(line, &mut c, &mut c_item, &mut rev);
    }
    let mut in_scalar = false;
    let mut first = true;
    for l in (0..ln.min(o.lines.len())).rev() {
        if c == 0 && !c_item {
            break;
        }
        let t = &o.lines[l];
        let Some(content) = t.content else { continue };
        if c_item && content == c {
            // A compact sequence: the items sit at the column of their key.
            match t.key {
                Some(k) if t.items.is_empty() && k.col == c => {
                    rev.push(Seg { name: k.name.to_string(), anchor: k.anchor.map(Into::into) });
                    c_item = false;
                    first = false;
                }
                _ => {}
            }
            continue;
        }
        if content >= c {
            continue;
        }
        let n = rev.len();
        let key_pushed = take(t, &mut c, &mut c_item, &mut rev);
        if first && rev.len() > n {
            first = false;
            if key_pushed
                && let Some(k) = t.key
                && !k.value.is_empty()
                && !k.value.starts_with(['[', '{', '#'])
            {
                in_scalar = true;
            }
        }
    }
    rev.reverse();
    (rev, in_scalar)
}

/// Push the tokens of `t` left of column `c` (innermost first); true when its key was pushed.
fn take(t: &Line<'_>, c: &mut usize, c_item: &mut bool, out: &mut Vec<Seg>) -> bool {
    let mut key = false;
    if let Some(k) = t.key
        && k.col < *c
    {
        out.push(Seg { name: k.name.to_string(), anchor: k.anchor.map(Into::into) });
        *c = k.col;
        *c_item = false;
        key = true;
    }
    for &i in t.items.iter().rev() {
        if i < *c {
            out.push(Seg::item());
            *c = i;
            *c_item = true;
        }
    }
    key
}

/// Keys written at column `col` in the mapping that line `ln` belongs to.
fn sibling_keys<'t>(o: &Outline<'t>, ln: usize, col: usize) -> Vec<&'t str> {
    let mut out = Vec::new();
    let starts_here = o.lines.get(ln).is_some_and(|l| l.items.last().is_some_and(|&i| i < col));
    if !starts_here {
        for l in (0..ln).rev() {
            let t = &o.lines[l];
            let Some(content) = t.content else { continue };
            if content > col {
                continue;
            }
            match t.key {
                Some(k) if k.col == col => out.push(k.name),
                _ => {}
            }
            if content < col || (content == col && t.items.is_empty() && t.key.is_none()) {
                break;
            }
        }
    }
    for t in o.lines.iter().skip(ln + 1) {
        let Some(content) = t.content else { continue };
        if content < col {
            break;
        }
        if content == col
            && let Some(k) = t.key
            && t.items.is_empty()
        {
            out.push(k.name);
        }
    }
    out
}

/// Scalar items written with a `- ` at column `col` in the list that line `ln` belongs to.
fn sibling_items<'t>(o: &Outline<'t>, ln: usize, col: usize) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut visit = |t: &Line<'t>| -> bool {
        let Some(content) = t.content else { return true };
        if content < col || (content == col && t.items.first() != Some(&col)) {
            return false;
        }
        if t.items.first() == Some(&col) && t.items.len() == 1 && t.key.is_none() {
            let v = t.text[t.rest..].trim_end();
            let v = &v[..comment_start(v).unwrap_or(v.len())];
            out.push(unquote(v.trim()));
        }
        true
    };
    for l in (0..ln).rev() {
        if !visit(&o.lines[l]) {
            break;
        }
    }
    for t in o.lines.iter().skip(ln + 1) {
        if !visit(t) {
            break;
        }
    }
    out
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q) {
            return inner.strip_suffix(q).unwrap_or(inner);
        }
    }
    s
}

/// An entry of a top-level section, from the outline.
struct Entry<'t> {
    name: &'t str,
    /// `image: x` or `build: y` of a service.
    detail: Option<String>,
}

/// The entries of top-level `section` (block style), from the outline.
fn section_entries<'t>(o: &Outline<'t>, section: &str) -> Vec<Entry<'t>> {
    let mut out: Vec<Entry<'t>> = Vec::new();
    let mut l = 0;
    while l < o.lines.len() {
        let t = &o.lines[l];
        l += 1;
        if !(t.content == Some(0) && t.key.is_some_and(|k| k.name == section && t.items.is_empty())) {
            continue;
        }
        let mut entry_col = None;
        while l < o.lines.len() {
            let t = &o.lines[l];
            let Some(content) = t.content else {
                l += 1;
                continue;
            };
            if content == 0 {
                break;
            }
            let col = *entry_col.get_or_insert(content);
            if content < col {
                break;
            }
            if let Some(k) = t.key
                && content == col
                && t.items.is_empty()
            {
                if !k.name.starts_with("x-") && k.name != "<<" && !out.iter().any(|e| e.name == k.name) {
                    out.push(Entry { name: k.name, detail: None });
                }
            } else if content > col
                && let Some(k) = t.key
                && matches!(k.name, "image" | "build")
                && !k.value.is_empty()
                && let Some(e) = out.last_mut()
                && e.detail.as_ref().is_none_or(|d| !d.starts_with("image"))
            {
                e.detail = Some(format!("{}: {}", k.name, unquote(k.value)));
            }
            l += 1;
        }
    }
    out
}

// ---------------------------------------------------------------- completion

/// Where in the flow collection the cursor is.
enum FlowFrame<'t> {
    Seq { items: Vec<&'t str> },
    Map { keys: Vec<&'t str>, key: Option<&'t str> },
}

struct Flow<'t> {
    /// The path of the flow collection itself.
    path: Vec<Seg>,
    frames: Vec<FlowFrame<'t>>,
    /// Where the word being typed starts.
    partial: usize,
}

/// The flow collection (`[...]`, `{...}`) around `offset`, if any.
fn flow_at<'t>(o: &Outline<'t>, ln: usize, offset: usize) -> Option<Flow<'t>> {
    let text = o.text;
    let mut found = None;
    for l in (ln.saturating_sub(50)..=ln).rev() {
        let t = &o.lines[l];
        if t.content.is_none() {
            continue;
        }
        let v = match t.key {
            Some(k) => k.value_col,
            None if !t.items.is_empty() => t.rest,
            None => continue,
        };
        let at = t.start + v;
        if at >= offset || !t.text[v..].starts_with(['[', '{']) {
            return None;
        }
        found = Some((l, v, at));
        break;
    }
    let (l, v, start) = found?;
    let b = text.as_bytes();
    let mut frames: Vec<FlowFrame<'t>> = Vec::new();
    let mut tok = start;
    let mut i = start;
    while i < offset {
        match b[i] {
            b'[' => {
                frames.push(FlowFrame::Seq { items: Vec::new() });
                tok = i + 1;
            }
            b'{' => {
                frames.push(FlowFrame::Map { keys: Vec::new(), key: None });
                tok = i + 1;
            }
            b']' | b'}' => {
                frames.pop();
                if frames.is_empty() {
                    return None;
                }
                tok = i + 1;
            }
            b',' => {
                let word = unquote(&text[tok..i]);
                match frames.last_mut() {
                    Some(FlowFrame::Seq { items }) if !word.is_empty() => items.push(word),
                    Some(FlowFrame::Map { keys, key }) => {
                        if key.is_none() && !word.is_empty() {
                            keys.push(word);
                        }
                        *key = None;
                    }
                    _ => {}
                }
                tok = i + 1;
            }
            b':' if b.get(i + 1).is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}'))
                || i + 1 == offset =>
            {
                if let Some(FlowFrame::Map { keys, key }) = frames.last_mut()
                    && key.is_none()
                {
                    let word = unquote(&text[tok..i]);
                    keys.push(word);
                    *key = Some(word);
                    tok = i + 1;
                }
            }
            q @ (b'\'' | b'"') => {
                let mut j = i + 1;
                while j < offset && b[j] != q {
                    j += if q == b'"' && b[j] == b'\\' { 2 } else { 1 };
                }
                i = j;
            }
            b'#' if i > 0 && matches!(b[i - 1], b' ' | b'\t') => {
                while i < offset && b[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if frames.is_empty() {
        return None;
    }
    let mut partial = tok.min(offset);
    while partial < offset && matches!(b[partial], b' ' | b'\t' | b'\n' | b'\r') {
        partial += 1;
    }
    if partial < offset && matches!(b[partial], b'"' | b'\'') {
        partial += 1;
    }
    let (path, _) = path_at(o, l, v);
    Some(Flow { path, frames, partial })
}

struct Completer<'a, 't> {
    o: &'a Outline<'t>,
    offset: usize,
    stages: &'a [String],
}

/// What to complete: a key of the mapping at `path`, or the value of `path`.
enum Want<'t> {
    Key { exclude: Vec<&'t str> },
    Value { exclude: Vec<&'t str>, space: bool },
}

impl<'t> Completer<'_, 't> {
    fn run(&self) -> Vec<Completion> {
        let items = self.items();
        self.fit(items)
    }

    /// Replace the whole word under the cursor, and leave out the `:` of an
    /// inserted `key: ` or `name:` when one follows already.
    fn fit(&self, mut items: Vec<Completion>) -> Vec<Completion> {
        let rest = &self.o.text[self.offset..];
        let word = rest.find(|c: char| c.is_whitespace() || ",:[]{}\"'#".contains(c)).unwrap_or(rest.len());
        let colon_follows = rest[word..].trim_start_matches([' ', '\t']).starts_with(':');
        for c in &mut items {
            if let Some(r) = &mut c.replace
                && r.end == self.offset
            {
                r.end = self.offset + word;
            }
            if colon_follows && let Some(ins) = &mut c.insert {
                let kept = ins.trim_end_matches(' ').trim_end_matches(':').len();
                ins.truncate(kept);
            }
        }
        items
    }

    fn items(&self) -> Vec<Completion> {
        let o = self.o;
        let ln = o.line_of(self.offset);
        let line = &o.lines[ln];
        let col = self.offset.saturating_sub(line.start).min(line.text.len());
        let before = &line.text[..col];
        if let Some(c) = comment_start(before) {
            return self.comment(&before[c + 1..]);
        }
        if let Some(flow) = flow_at(o, ln, self.offset) {
            return self.flow(flow);
        }
        let t = tokenize(line.start, before);
        if let Some(k) = t.key {
            // `key: partial`
            let typed = &before[k.value_col.min(col)..];
            let quoted = typed.starts_with(['"', '\'']);
            if typed.starts_with(['|', '>', '[', '{']) || (!quoted && typed.trim_end().contains([' ', '\t'])) {
                return Vec::new();
            }
            let (mut path, _) = path_at(o, ln, k.col);
            path.push(Seg { name: k.name.to_string(), anchor: k.anchor.map(Into::into) });
            let start = line.start + k.value_col.min(col) + usize::from(quoted);
            let space = before.ends_with(':');
            return self.complete(&path, Want::Value { exclude: Vec::new(), space }, Span::new(start, self.offset));
        }
        let pcol = if t.content.is_some() { t.rest } else { col };
        let partial = &before[pcol..];
        if partial.contains([' ', '\t', ':', '[', '{', ',', '#']) {
            return Vec::new();
        }
        let (path, in_scalar) = path_at(o, ln, pcol);
        if in_scalar {
            return Vec::new();
        }
        let quote = usize::from(partial.starts_with(['"', '\'']));
        let replace = Span::new(line.start + pcol + quote, self.offset);
        if t.items.last().is_some_and(|&i| i < pcol) {
            // `- partial`: an item, a scalar or the first key of a mapping.
            let item_col = *t.items.last().unwrap_or(&0);
            let mut out =
                self.complete(&path, Want::Value { exclude: sibling_items(o, ln, item_col), space: false }, replace);
            out.extend(self.complete(&path, Want::Key { exclude: sibling_keys(o, ln, pcol) }, replace));
            return out;
        }
        self.complete(&path, Want::Key { exclude: sibling_keys(o, ln, pcol) }, replace)
    }

    fn flow(&self, flow: Flow<'t>) -> Vec<Completion> {
        let mut path = flow.path;
        let n = flow.frames.len();
        for (i, f) in flow.frames.iter().enumerate() {
            match f {
                FlowFrame::Seq { .. } => path.push(Seg::item()),
                FlowFrame::Map { key: Some(k), .. } if i + 1 < n => path.push(Seg::key(k)),
                FlowFrame::Map { .. } if i + 1 < n => return Vec::new(),
                FlowFrame::Map { .. } => {}
            }
        }
        let replace = Span::new(flow.partial, self.offset);
        if self.o.text[flow.partial..self.offset].contains([' ', '\t', '\n']) {
            return Vec::new();
        }
        match flow.frames.last() {
            Some(FlowFrame::Seq { items }) => {
                let mut out = self.complete(&path, Want::Value { exclude: items.clone(), space: false }, replace);
                out.retain(|c| c.kind != CompletionKind::Property);
                out
            }
            Some(FlowFrame::Map { key: Some(k), .. }) => {
                path.push(Seg::key(k));
                let space = self.o.text[..self.offset].ends_with(':');
                self.complete(&path, Want::Value { exclude: Vec::new(), space }, replace)
            }
            Some(FlowFrame::Map { keys, key: None }) => {
                self.complete(&path, Want::Key { exclude: keys.clone() }, replace)
            }
            None => Vec::new(),
        }
    }

    fn comment(&self, comment: &str) -> Vec<Completion> {
        let Some((region, dclint)) = selector_region(comment) else { return Vec::new() };
        if region.start > comment.len() {
            return Vec::new();
        }
        let typed = &comment[region.start..];
        let word_start = typed.rfind([',', ' ', '\t']).map_or(0, |i| i + 1);
        let replace = Span::new(self.offset.saturating_sub(typed.len().saturating_sub(word_start)), self.offset);
        let mut out = Vec::new();
        for r in crate::rules::compose_all() {
            let m = r.meta();
            let label = if dclint { m.aliases.first().copied().unwrap_or(m.name) } else { m.code };
            let detail = if dclint { m.code } else { m.name };
            out.push(
                Completion::new(label, CompletionKind::Value)
                    .detail(format!("{detail} · {}", m.summary))
                    .docs(rule_markdown(m))
                    .replace(replace),
            );
        }
        out
    }

    /// Completions for the mapping or value at `path`.
    fn complete(&self, path: &[Seg], want: Want<'t>, replace: Span) -> Vec<Completion> {
        let mut lazy = LazyOutline { text: self.o.text, outline: None };
        let found = resolve_schema(&mut lazy, path, 0);
        let eff: Vec<String> =
            found.as_ref().map_or_else(|| path.iter().map(|s| s.name.clone()).collect(), |f| f.0.clone());
        let p: Vec<&str> = eff.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        match want {
            Want::Key { exclude } => {
                // A mapping keyed by the names of other entries.
                let named = match p.as_slice() {
                    ["services", s, "depends_on"] => Some((Section::Services, Some(*s))),
                    ["services", _, "networks"] => Some((Section::Networks, None)),
                    _ => None,
                };
                if let Some((section, own)) = named {
                    for e in section_entries(self.o, section.key()) {
                        if Some(e.name) != own && !exclude.contains(&e.name) {
                            out.push(name_item(section, &e, format!("{}:", e.name), replace));
                        }
                    }
                    return out;
                }
                let Some((_, node)) = &found else { return out };
                if !node.types().contains(Types::MAP) && node.types().contains(Types::LIST) {
                    // A list written without its `- ` yet.
                    let mut item = path.to_vec();
                    item.push(Seg::item());
                    let values = self.complete(&item, Want::Value { exclude: Vec::new(), space: false }, replace);
                    return values
                        .into_iter()
                        .map(|mut c| {
                            let text = c.insert.take().unwrap_or_else(|| c.label.clone());
                            c.insert(format!("- {text}"))
                        })
                        .collect();
                }
                let mut kp = p.clone();
                kp.push("");
                for k in node.keys() {
                    if exclude.contains(&k.name) {
                        continue;
                    }
                    if let Some(last) = kp.last_mut() {
                        *last = k.name;
                    }
                    let Some(child) = node.child(k.name) else { continue };
                    let types = child.types().names().join(" | ");
                    out.push(
                        Completion::new(k.name, CompletionKind::Property)
                            .detail(if types.is_empty() { k.description.to_string() } else { types })
                            .docs(key_markdown(&kp, &child))
                            .insert(format!("{}: ", k.name))
                            .replace(replace),
                    );
                }
            }
            Want::Value { exclude, space } => {
                let pre = if space { " " } else { "" };
                let names = |section: Section, own: Option<&str>, suffix: &str, out: &mut Vec<Completion>| {
                    for e in section_entries(self.o, section.key()) {
                        if Some(e.name) != own && !exclude.contains(&e.name) {
                            out.push(name_item(section, &e, format!("{pre}{}{suffix}", e.name), replace));
                        }
                    }
                };
                let fixed = |values: &[&str], key: &str, out: &mut Vec<Completion>| {
                    for v in values {
                        let mut c =
                            Completion::new(*v, CompletionKind::EnumValue).insert(format!("{pre}{v}")).replace(replace);
                        if let Some(d) = value_doc(key, v) {
                            c = c.detail(d);
                        }
                        out.push(c);
                    }
                };
                match p.as_slice() {
                    ["services", s, "depends_on" | "links" | "volumes_from", ITEM] | ["services", s, "extends"] => {
                        names(Section::Services, Some(s), "", &mut out);
                    }
                    ["services", s, "extends", "service"] => names(Section::Services, Some(s), "", &mut out),
                    ["services", s, mode @ ("network_mode" | "ipc" | "pid")] => {
                        let plain: &[&str] = match *mode {
                            "network_mode" => &["bridge", "host", "none"],
                            "ipc" => &["host", "private", "shareable", "none"],
                            _ => &["host"],
                        };
                        fixed(plain, mode, &mut out);
                        names(Section::Services, Some(s), "", &mut out);
                        for c in out.iter_mut().filter(|c| c.kind == CompletionKind::Reference) {
                            c.label = format!("service:{}", c.label);
                            c.insert = Some(format!("{pre}{}", c.label));
                        }
                        if *mode == "network_mode" {
                            out.push(
                                Completion::new("container:", CompletionKind::Value)
                                    .detail("the network of a container started outside this project")
                                    .insert(format!("{pre}container:"))
                                    .replace(replace),
                            );
                        }
                    }
                    ["services", _, "networks", ITEM] => names(Section::Networks, None, "", &mut out),
                    ["services", _, "build", "network"] => {
                        fixed(&["default", "host", "none"], "network", &mut out);
                        names(Section::Networks, None, "", &mut out);
                    }
                    ["services", _, "volumes", ITEM] => names(Section::Volumes, None, ":", &mut out),
                    ["services", _, "volumes", ITEM, "source"] => names(Section::Volumes, None, "", &mut out),
                    ["services", _, "secrets", ITEM]
                    | ["services", _, "secrets", ITEM, "source"]
                    | ["services", _, "build", "secrets", ITEM]
                    | ["services", _, "build", "secrets", ITEM, "source"] => {
                        names(Section::Secrets, None, "", &mut out)
                    }
                    ["services", _, "configs", ITEM] | ["services", _, "configs", ITEM, "source"] => {
                        names(Section::Configs, None, "", &mut out)
                    }
                    ["networks", _, "driver"] => {
                        fixed(&["bridge", "overlay", "host", "none", "macvlan", "ipvlan"], "driver", &mut out)
                    }
                    ["volumes", _, "driver"] => fixed(&["local"], "driver", &mut out),
                    ["services", _, "logging", "driver"] => fixed(
                        &[
                            "json-file",
                            "local",
                            "journald",
                            "syslog",
                            "gelf",
                            "fluentd",
                            "awslogs",
                            "splunk",
                            "gcplogs",
                            "none",
                        ],
                        "logging",
                        &mut out,
                    ),
                    ["services", _, "platform"] | ["services", _, "build", "platforms", ITEM] => {
                        fixed(&["linux/amd64", "linux/arm64", "linux/arm/v7"], "platform", &mut out)
                    }
                    ["services", _, "build", "target"] => {
                        for s in self.stages {
                            out.push(
                                Completion::new(s.clone(), CompletionKind::Stage)
                                    .detail("Dockerfile stage")
                                    .insert(format!("{pre}{s}"))
                                    .replace(replace),
                            );
                        }
                    }
                    _ => {}
                }
                if let Some((_, node)) = &found {
                    let key = p.iter().rev().find(|s| **s != ITEM).copied().unwrap_or("");
                    let known: Vec<String> = out.iter().map(|c| c.label.clone()).collect();
                    let values: Vec<&str> =
                        node.values().iter().copied().filter(|v| !known.iter().any(|k| k == v)).collect();
                    fixed(&values, key, &mut out);
                }
            }
        }
        out
    }
}

fn name_item(section: Section, e: &Entry<'_>, insert: String, replace: Span) -> Completion {
    let detail = match &e.detail {
        Some(d) => format!("{} · {d}", section.noun()),
        None => section.noun().to_string(),
    };
    Completion::new(e.name, CompletionKind::Reference).detail(detail).insert(insert).replace(replace)
}

// ---------------------------------------------------------------- symbols

fn key_symbol(file: &ComposeFile, k: &Key, v: &Node, kind: SymbolKind, children: Vec<Symbol>) -> Symbol {
    let end = if matches!(v.kind, Kind::Null) || v.span.start < k.span.start { k.span.end } else { v.span.end };
    let end = trim_end(&file.text, k.span.end, end);
    Symbol {
        name: k.text.clone(),
        detail: scalar_detail(v),
        kind,
        span: Span::new(k.span.start, end.max(k.span.end)),
        selection: k.span,
        children,
    }
}

/// `end` moved back over trailing whitespace (not before `min`).
fn trim_end(text: &str, min: usize, end: usize) -> usize {
    let end = end.min(text.len());
    if end <= min {
        return end;
    }
    text.get(min..end).map_or(end, |s| min + s.trim_end().len())
}

fn scalar_detail(v: &Node) -> Option<String> {
    let s = v.str().filter(|s| !s.is_empty())?;
    let line = s.lines().next().unwrap_or("");
    Some(if line.chars().count() > 60 || line.len() < s.len() {
        format!("{}…", line.chars().take(60).collect::<String>())
    } else {
        line.to_string()
    })
}

fn service_detail(v: &Node) -> Option<String> {
    if let Some(i) = v.get("image").and_then(Node::str) {
        return Some(i.to_string());
    }
    let b = v.get("build")?;
    Some(format!("build {}", b.str().or_else(|| b.get("context").and_then(Node::str)).unwrap_or(".")))
}

fn outline_symbols(o: &Outline<'_>) -> Vec<Symbol> {
    if o.lines.is_empty() {
        return Vec::new();
    }
    outline_entries(o, 0, o.lines.len() - 1, 0, None)
}

/// The keys of the first indentation found in lines `from..=to`, each with
/// its block; `depth` 0 is the top level (sections), 1 their entries.
fn outline_entries(o: &Outline<'_>, from: usize, to: usize, depth: usize, section: Option<Section>) -> Vec<Symbol> {
    let mut out = Vec::new();
    let Some(col) = (from..=to).find_map(|j| o.lines.get(j).and_then(|l| l.content)) else { return out };
    for j in from..=to.min(o.lines.len().saturating_sub(1)) {
        let t = &o.lines[j];
        let Some(k) = t.key.filter(|_| t.content == Some(col) && t.items.is_empty()) else { continue };
        let end = outline_block_end(o, j, col).min(to);
        let sel = Span::new(t.start + k.name_col, t.start + k.name_col + k.name.len());
        let kind = match (depth, section) {
            (1, Some(s)) => s.symbol_kind(),
            _ => SymbolKind::Key,
        };
        let mut s = sym(k.name, kind, sel, Span::new(t.start, o.end(end)));
        if !k.value.is_empty() {
            s.detail = Some(unquote(k.value).to_string());
        }
        let nested = match depth {
            0 => Some(Section::of(k.name)),
            1 if section == Some(Section::Services) => Some(None),
            _ => None,
        };
        if let Some(child_section) = nested
            && end > j
        {
            s.children = outline_entries(o, j + 1, end, depth + 1, child_section);
        }
        out.push(s);
    }
    out
}

/// The last line of the block of the key on line `l` at column `col`.
fn outline_block_end(o: &Outline<'_>, l: usize, col: usize) -> usize {
    let mut end = l;
    for (j, t) in o.lines.iter().enumerate().skip(l + 1) {
        let Some(c) = t.content else { continue };
        if c < col || (c == col && t.items.first() != Some(&col)) {
            break;
        }
        end = j;
    }
    end
}

fn sym(name: &str, kind: SymbolKind, selection: Span, span: Span) -> Symbol {
    Symbol {
        name: name.to_string(),
        detail: None,
        kind,
        span: Span::new(span.start.min(selection.start), span.end.max(selection.end)),
        selection,
        children: Vec::new(),
    }
}

// ---------------------------------------------------------------- folding

struct Folder<'a> {
    text: &'a str,
    lines: &'a LineIndex,
}

impl Folder<'_> {
    fn last_line(&self, span: Span) -> usize {
        let end = trim_end(self.text, span.start, span.end);
        self.lines.line_of(end.saturating_sub(1).max(span.start))
    }

    fn node(&self, n: &Node, owner: Option<usize>, out: &mut Vec<Fold>, depth: usize) {
        if depth > 300 {
            return;
        }
        let start = owner.unwrap_or_else(|| self.lines.line_of(n.span.start));
        let multi = match &n.kind {
            Kind::Map(_) | Kind::Seq(_) => true,
            Kind::Scalar { style, .. } => matches!(style, Style::Literal | Style::Folded),
            _ => false,
        };
        if multi && !n.span.is_empty() {
            let end = self.last_line(n.span);
            if end > start {
                out.push(Fold { start_line: start, end_line: end, comment: false });
            }
        }
        for (k, v) in n.entries() {
            self.node(v, Some(self.lines.line_of(k.span.start)), out, depth + 1);
        }
        for item in n.items() {
            self.node(item, None, out, depth + 1);
        }
    }
}

fn comment_folds(text: &str, out: &mut Vec<Fold>) {
    let mut run: Option<(usize, usize)> = None;
    for (i, l) in text.split('\n').enumerate() {
        if l.trim_start().starts_with('#') {
            run = Some(run.map_or((i, i), |(s, _)| (s, i)));
        } else if let Some((s, e)) = run.take()
            && e > s
        {
            out.push(Fold { start_line: s, end_line: e, comment: true });
        }
    }
    if let Some((s, e)) = run
        && e > s
    {
        out.push(Fold { start_line: s, end_line: e, comment: true });
    }
}

/// Folds by indentation, for text that is not valid YAML.
fn outline_folds(o: &Outline<'_>) -> Vec<Fold> {
    let mut out = Vec::new();
    let n = o.lines.len();
    for i in 0..n {
        let t = &o.lines[i];
        let Some(col) = t.content else { continue };
        let key_col = t.key.map(|k| k.col);
        let mut last = i;
        for (j, c) in o.lines.iter().enumerate().skip(i + 1) {
            let Some(cc) = c.content else { continue };
            let nested = cc > col.max(key_col.unwrap_or(col)) && !t.items.is_empty()
                || cc > col && t.items.is_empty()
                || (t.items.is_empty() && cc == col && key_col == Some(col) && c.items.first() == Some(&col));
            if !nested {
                break;
            }
            last = j;
        }
        if last > i {
            out.push(Fold { start_line: i, end_line: last, comment: false });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cursor marker in test texts (`|` is YAML's literal block indicator).
    const CURSOR: &str = "‸";

    fn at(marked: &str) -> (String, usize) {
        let offset = marked.find(CURSOR).expect("cursor marker");
        (marked.replacen(CURSOR, "", 1), offset)
    }

    fn complete(marked: &str) -> Vec<Completion> {
        let (text, offset) = at(marked);
        completion(&text, offset, &["builder".to_string(), "runtime".to_string()])
    }

    fn labels(marked: &str) -> Vec<String> {
        complete(marked).into_iter().map(|c| c.label).collect()
    }

    fn has(list: &[String], want: &[&str]) -> bool {
        want.iter().all(|w| list.iter().any(|l| l == w))
    }

    fn hover_md(marked: &str, env: Option<&Env>) -> Option<(String, String)> {
        let (text, offset) = at(marked);
        hover(&text, offset, env).map(|h| (text[h.span.start..h.span.end].to_string(), h.markdown))
    }

    const APP: &str = "services:\n  web:\n    image: nginx:1.27\n    depends_on: [db]\n    networks: [front]\n  db:\n    image: postgres:16\n    volumes:\n      - data:/var/lib/postgresql/data\n  cache:\n    build: ./cache\nnetworks:\n  front: {}\n  back: {}\nvolumes:\n  data: {}\n  logs: {}\nsecrets:\n  token:\n    file: ./token\nconfigs:\n  conf:\n    file: ./c.conf\n";

    fn with_app(service_part: &str) -> String {
        format!(
            "services:\n  web:\n    image: nginx\n{service_part}\n  db:\n    image: postgres:16\n  cache:\n    image: redis\nnetworks:\n  front: {{}}\n  back: {{}}\nvolumes:\n  data: {{}}\nsecrets:\n  token:\n    file: ./t\nconfigs:\n  conf:\n    file: ./c\n"
        )
    }

    #[test]
    fn image_hover_shows_image_facts() {
        let (span, md) = hover_md("services:\n  db:\n    image: post‸gres:18\n", None).unwrap();
        assert_eq!(span, "postgres:18");
        assert!(md.contains("/var/lib/postgresql/18/docker"), "{md}");
        assert!(md.contains("Source:"), "{md}");
        let (_, md) = hover_md("services:\n  app:\n    image: exam‸ple/app\n", None).unwrap();
        assert!(!md.contains("Source:"), "{md}");
    }

    // ------------------------------------------------------------ completion

    #[test]
    fn root_keys() {
        let l = labels("‸");
        assert!(has(&l, &["services", "networks", "volumes", "secrets", "configs", "name", "include"]), "{l:?}");
        let l = labels("services:\n  web:\n    image: x\n‸");
        assert!(!l.contains(&"services".to_string()), "present keys are left out: {l:?}");
        assert!(l.contains(&"volumes".to_string()));
    }

    #[test]
    fn service_keys_with_docs_and_present_keys_left_out() {
        let items = complete("services:\n  web:\n    image: x\n    re‸\n    ports: ['80:80']\n  db:\n    image: y\n");
        let l: Vec<&str> = items.iter().map(|c| c.label.as_str()).collect();
        assert!(l.contains(&"restart") && l.contains(&"build") && l.contains(&"depends_on"), "{l:?}");
        assert!(!l.contains(&"image") && !l.contains(&"ports"), "present keys: {l:?}");
        let restart = items.iter().find(|c| c.label == "restart").unwrap();
        assert_eq!(restart.kind, CompletionKind::Property);
        assert_eq!(restart.insert.as_deref(), Some("restart: "));
        let docs = restart.docs.as_deref().unwrap();
        assert!(docs.contains("Restart policy") && docs.contains("services/#restart"), "{docs}");
        let (text, offset) = at("services:\n  web:\n    image: x\n    re‸\n");
        assert_eq!(&text[restart.replace.unwrap().start..offset], "re");
    }

    #[test]
    fn keys_while_the_yaml_is_broken() {
        // The file does not load (unterminated quote, tab), the indentation still tells where the cursor is.
        let text = "services:\n  web:\n    image: \"nginx\n    build:\n      con‸\n  db:\n\timage: [\n";
        let (plain, _) = at(text);
        assert!(ComposeFile::parse(&plain).is_err());
        let l = labels(text);
        assert!(has(&l, &["context", "dockerfile", "target", "args"]), "{l:?}");
        assert!(!l.contains(&"image".to_string()));
        // Mid-typing a key with no colon yet, right under a mapping.
        let l = labels("services:\n  web:\n    deploy:\n      resources:\n        li‸");
        assert!(has(&l, &["limits", "reservations"]), "{l:?}");
        // A new list item of mappings.
        let l = labels("services:\n  web:\n    volumes:\n      - type: volume\n        ‸\n");
        assert!(has(&l, &["source", "target", "read_only"]) && !l.contains(&"type".to_string()), "{l:?}");
        let l = labels("services:\n  web:\n    ports:\n      - target: 80\n      - ‸\n");
        assert!(has(&l, &["target", "published", "protocol"]), "a new item starts a new mapping: {l:?}");
    }

    #[test]
    fn enum_values() {
        let l = labels("services:\n  web:\n    restart: ‸\n");
        assert!(has(&l, &["no", "always", "on-failure", "unless-stopped"]), "{l:?}");
        let items = complete("services:\n  web:\n    restart:‸");
        let always = items.iter().find(|c| c.label == "always").unwrap();
        assert_eq!(always.insert.as_deref(), Some(" always"), "right after the colon a space is inserted");
        assert!(always.detail.is_some());
        assert!(has(&labels("services:\n  web:\n    pull_policy: mi‸"), &["missing", "always", "build"]));
        let cond = labels("services:\n  web:\n    depends_on:\n      db:\n        condition: ‸\n  db:\n    image: x\n");
        assert!(has(&cond, &["service_started", "service_healthy", "service_completed_successfully"]), "{cond:?}");
        let action =
            labels("services:\n  web:\n    develop:\n      watch:\n        - path: ./src\n          action: ‸\n");
        assert!(has(&action, &["rebuild", "sync", "restart", "sync+restart", "sync+exec"]), "{action:?}");
        let ty = labels("services:\n  web:\n    volumes:\n      - type: ‸\n");
        assert!(has(&ty, &["bind", "volume", "tmpfs"]), "{ty:?}");
        let nm = labels(&with_app("    network_mode: ‸"));
        assert!(has(&nm, &["bridge", "host", "none", "service:db", "service:cache", "container:"]), "{nm:?}");
        assert!(!nm.contains(&"service:web".to_string()), "not itself");
        assert!(has(&labels("services:\n  web:\n    read_only: ‸"), &["true", "false"]));
        assert!(has(&labels("networks:\n  front:\n    driver: ‸"), &["bridge", "overlay"]));
        assert!(has(
            &labels("services:\n  web:\n    ports:\n      - target: 80\n        protocol: ‸"),
            &["tcp", "udp"]
        ));
    }

    #[test]
    fn names_of_services_networks_volumes_secrets_configs() {
        let deps = labels(&with_app("    depends_on:\n      - db\n      - ‸"));
        assert_eq!(deps, ["cache"], "not itself, not listed ones");
        let deps = labels(&with_app("    depends_on: [db, ‸]"));
        assert_eq!(deps, ["cache"]);
        let deps = complete(&with_app("    depends_on: [\"ca‸\"]"));
        assert!(deps.iter().any(|c| c.label == "cache"));
        let (text, _) = at(&with_app("    depends_on: [\"ca‸\"]"));
        let r = deps[0].replace.unwrap();
        assert_eq!(&text[r.start..r.end], "ca", "inside the quotes");
        let deps = labels(&with_app("    depends_on:\n      ‸"));
        assert!(has(&deps, &["db", "cache"]), "{deps:?}");
        let links = labels(&with_app("    links:\n      - ‸"));
        assert!(has(&links, &["db", "cache"]));
        let ext = labels(&with_app("    extends:\n      service: ‸"));
        assert!(has(&ext, &["db", "cache"]));
        assert_eq!(labels(&with_app("    networks: [front, ‸]")), ["back"]);
        assert!(has(&labels(&with_app("    networks:\n      - ‸")), &["front", "back"]));
        let vols = complete(&with_app("    volumes:\n      - ‸"));
        let data = vols.iter().find(|c| c.label == "data").unwrap();
        assert_eq!(data.insert.as_deref(), Some("data:"), "the name, then the container path");
        assert_eq!(data.kind, CompletionKind::Reference);
        assert!(has(&labels(&with_app("    volumes:\n      - type: volume\n        source: ‸")), &["data"]));
        let secrets = labels(&with_app("    secrets:\n      - ‸"));
        assert_eq!(secrets[0], "token", "names first, then the keys of the long form");
        assert!(secrets.contains(&"source".to_string()));
        assert_eq!(labels(&with_app("    configs:\n      - source: ‸")), ["conf"]);
        let svc = complete(&with_app("    depends_on: [‸]"));
        assert!(svc.iter().any(|c| c.detail.as_deref() == Some("service · image: postgres:16")), "{svc:?}");
    }

    #[test]
    fn the_word_under_the_cursor_is_replaced_and_colons_are_not_doubled() {
        let marked = "services:\n  web:\n    image: x\n    re‸start: always\n";
        let (text, _) = at(marked);
        let items = complete(marked);
        let restart = items.iter().find(|c| c.label == "restart").unwrap();
        let r = restart.replace.unwrap();
        assert_eq!(&text[r.start..r.end], "restart");
        assert_eq!(restart.insert.as_deref(), Some("restart"), "the colon is there already");
        let marked = &with_app("    volumes:\n      - da‸:/var/lib/x");
        let data = complete(marked).into_iter().find(|c| c.label == "data").unwrap();
        assert_eq!(data.insert.as_deref(), Some("data"));
        let marked = "services:\n  web:\n    restart: \"al‸ways\"\n";
        let (text, _) = at(marked);
        let always = complete(marked).into_iter().find(|c| c.label == "always").unwrap();
        let r = always.replace.unwrap();
        assert_eq!(&text[r.start..r.end], "always", "inside the quotes");
    }

    #[test]
    fn lists_and_name_mappings_written_without_their_markers_yet() {
        let links = complete(&with_app("    links:\n      ‸"));
        let db = links.iter().find(|c| c.label == "db").unwrap();
        assert_eq!(db.insert.as_deref(), Some("- db"));
        let nets = complete(&with_app("    networks:\n      ‸"));
        let front = nets.iter().find(|c| c.label == "front").unwrap();
        assert_eq!(front.insert.as_deref(), Some("front:"), "the mapping form: `front:` and its settings");
        let l = labels(&with_app("    networks:\n      front:\n        ‸"));
        assert!(has(&l, &["aliases", "ipv4_address", "priority"]), "{l:?}");
    }

    #[test]
    fn build_target_offers_the_dockerfile_stages() {
        let items = complete("services:\n  app:\n    build:\n      context: .\n      target: ‸\n");
        let l: Vec<&str> = items.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(l, ["builder", "runtime"]);
        assert_eq!(items[0].kind, CompletionKind::Stage);
        assert_eq!(labels("services:\n  app:\n    build: {context: ., target: ‸}\n"), ["builder", "runtime"]);
    }

    #[test]
    fn flow_mappings_and_compact_sequences() {
        let l = labels("services:\n  app:\n    build: {context: ., ‸}\n");
        assert!(l.contains(&"target".to_string()) && !l.contains(&"context".to_string()), "{l:?}");
        let l = labels(
            "services:\n  web:\n    depends_on:\n    - db\n    - ‸\n  db:\n    image: x\n  api:\n    image: y\n",
        );
        assert_eq!(l, ["api"]);
        let l = labels(
            "services:\n  web:\n    depends_on: [\n      db,\n      ‸\n  db:\n    image: x\n  api:\n    image: y\n",
        );
        assert_eq!(l, ["api"], "a flow list over several lines");
    }

    #[test]
    fn anchored_fragments_complete_as_where_they_are_used() {
        let text = "x-common: &common\n  restart: always\n  ‸\nservices:\n  web:\n    <<: *common\n    image: x\n";
        let l = labels(text);
        assert!(has(&l, &["image", "logging", "healthcheck"]) && !l.contains(&"restart".to_string()), "{l:?}");
        let l =
            labels("x-logging: &log\n  driver: json-file\n  ‸\nservices:\n  web:\n    image: x\n    logging: *log\n");
        assert!(l.contains(&"options".to_string()) && !l.contains(&"driver".to_string()), "{l:?}");
    }

    #[test]
    fn nothing_inside_scalars_and_comments() {
        assert!(complete("services:\n  web:\n    command: |\n      echo ‸\n").is_empty());
        assert!(complete("services:\n  web:\n    image: nginx # a comm‸\n").is_empty());
        assert!(complete("services:\n  web:\n    command: echo hi th‸").is_empty());
    }

    #[test]
    fn rule_codes_in_ignore_comments() {
        let l = labels("services:\n  web:\n    # berth ignore=BC‸\n    privileged: true\n");
        assert!(has(&l, &["BC2001", "BC4001"]), "{l:?}");
        let l = labels("services:\n  web:\n    privileged: true # dclint disable-line ‸\n");
        assert!(!l.is_empty() && l.iter().all(|x| !x.starts_with("BC")), "{l:?}");
    }

    // ------------------------------------------------------------ hover

    #[test]
    fn hover_keys() {
        let (word, md) = hover_md("services:\n  web:\n    resta‸rt: always\n", None).unwrap();
        assert_eq!(word, "restart");
        assert!(md.contains("Restart policy") && md.contains("`unless-stopped`"), "{md}");
        assert!(md.contains("https://docs.docker.com/reference/compose-file/services/#restart"), "{md}");
        let (_, md) = hover_md(
            "services:\n  web:\n    deploy:\n      resources:\n        limits:\n          mem‸ory: 1g\n",
            None,
        )
        .unwrap();
        assert!(md.contains("deploy/#resources"), "{md}");
        let (word, md) = hover_md("services:\n  web:\n    ports:\n      - tar‸get: 80\n", None).unwrap();
        assert_eq!(word, "target");
        assert!(md.contains("Port in the container"), "{md}");
        let (_, md) = hover_md("services:\n  app:\n    build: {context: ., tar‸get: dev}\n", None).unwrap();
        assert!(md.contains("Dockerfile stage") && md.contains("build/#target"), "{md}");
        let (_, md) = hover_md("services:\n  web:\n    restart: unless-st‸opped\n", None).unwrap();
        assert!(md.starts_with("`unless-stopped`:"), "values explain themselves: {md}");
        assert!(hover_md("x-custom:\n  fo‸o: 1\n", None).is_none());
    }

    #[test]
    fn hover_list_items_and_sections() {
        let (word, md) = hover_md("services:\n  web:\n    ports:\n      - \"80:8‸0\"\n", None).unwrap();
        assert_eq!(word, "\"80:80\"");
        assert!(md.contains("**`ports`**") && md.contains("services/#ports"), "{md}");
        let (_, md) = hover_md("servi‸ces:\n  web:\n    image: x\n", None).unwrap();
        assert!(md.contains("containers") && md.ends_with("compose-file/services/)"), "{md}");
        let (_, md) = hover_md("na‸me: demo\n", None).unwrap();
        assert!(md.contains("version-and-name/#name-top-level-element"), "{md}");
    }

    #[test]
    fn hover_in_anchors_and_merges() {
        let text = "x-base: &base\n  resta‸rt: always\nservices:\n  web:\n    <<: *base\n    image: x\n";
        let (word, md) = hover_md(text, None).unwrap();
        assert_eq!(word, "restart");
        assert!(md.contains("Restart policy"), "{md}");
        let (_, md) = hover_md("x-base: &base\n  restart: always\nservices:\n  web:\n    <‸<: *base\n", None).unwrap();
        assert!(md.contains("merge"), "{md}");
        let (_, md) = hover_md("x-base: &base\n  restart: always\nservices:\n  web:\n    <<: *ba‸se\n", None).unwrap();
        assert!(md.contains("alias") && md.contains("`&base` (line 1)"), "{md}");
        // A merge in a list of anchors.
        let text = "x-a: &a\n  cap_a‸dd: [NET_ADMIN]\nx-b: &b\n  image: x\nservices:\n  web:\n    <<: [*a, *b]\n";
        assert!(hover_md(text, None).unwrap().1.contains("capabilities"));
    }

    #[test]
    fn hover_variables() {
        let env: Env = [("TAG", "1.27")].into_iter().collect();
        let text = "services:\n  web:\n    image: \"nginx:${T‸AG:-latest}\"\n";
        let (word, md) = hover_md(text, Some(&env)).unwrap();
        assert_eq!(word, "${TAG:-latest}");
        assert!(md.contains("`1.27`") && md.contains("in `.env`"), "{md}");
        let (_, md) = hover_md(text, Some(&Env::new())).unwrap();
        assert!(md.contains("not set") && md.contains("`latest`"), "{md}");
        let (_, md) = hover_md(text, None).unwrap();
        assert!(md.contains("No `.env`") && md.contains("`latest`"), "{md}");
        let (word, md) = hover_md("services:\n  web:\n    image: ${A:-${B‸B}}\n", None).unwrap();
        assert_eq!(word, "${BB}", "the innermost reference");
        assert!(md.contains("`BB`"), "{md}");
        let (_, md) =
            hover_md("services:\n  web:\n    environment:\n      - KEY=${SEC‸RET:?set SECRET}\n", Some(&Env::new()))
                .unwrap();
        assert!(md.contains("Required") && md.contains("set SECRET"), "{md}");
        let (_, md) = hover_md("services:\n  web:\n    command: echo $$HO‸ME\n", None).unwrap();
        assert!(!md.contains("variable"), "`$$` is a literal `$`: {md}");
        // Also in a file that does not load.
        let (word, _) = hover_md("services:\n  web:\n    image: ${T‸AG}\n  db: [\n", None).unwrap();
        assert_eq!(word, "${TAG}");
    }

    #[test]
    fn hover_references_show_the_definition() {
        let (text, _) = at(&format!("{APP}‸"));
        let off = text.find("[db]").unwrap() + 2;
        let h = hover(&text, off, None).unwrap();
        assert_eq!(&text[h.span.start..h.span.end], "db");
        assert!(h.markdown.contains("service `db`") && h.markdown.contains("line 6"), "{}", h.markdown);
        assert!(h.markdown.contains("postgres:16") && h.markdown.contains("`web` (depends on)"), "{}", h.markdown);
        let off = text.find("data:/var").unwrap() + 1;
        let h = hover(&text, off, None).unwrap();
        assert!(h.markdown.contains("volume `data`"), "{}", h.markdown);
        let off = text.find("  cache:").unwrap() + 3;
        let h = hover(&text, off, None).unwrap();
        assert!(h.markdown.contains("build: `./cache`"), "{}", h.markdown);
        let text = "services:\n  a:\n    image: x\n    networks: [default]\n";
        let h = hover(text, text.find("default").unwrap(), None).unwrap();
        assert!(h.markdown.contains("creates for the project"), "{}", h.markdown);
    }

    #[test]
    fn hover_rules_in_ignore_comments() {
        let (word, md) =
            hover_md("services:\n  web:\n    # berth ignore=BC1001,BC20‸01 reason\n    privileged: true\n", None)
                .unwrap();
        assert_eq!(word, "BC2001");
        assert!(md.contains("privileged-container"), "{md}");
        let (word, md) =
            hover_md("services:\n  web:\n    privileged: true # dclint disable-line privileged-cont‸ainer\n", None)
                .unwrap();
        assert_eq!(word, "privileged-container");
        assert!(md.contains("BC2001"), "{md}");
        assert!(hover_md("services:\n  web:\n    # just a comm‸ent\n", None).is_none());
    }

    #[test]
    fn hover_when_the_yaml_is_broken() {
        let (word, md) = hover_md("services:\n  web:\n    pull_pol‸icy: always\n    image: [\n", None).unwrap();
        assert_eq!(word, "pull_policy");
        assert!(md.contains("When to pull"), "{md}");
    }

    // ------------------------------------------------------------ navigation

    fn spans(text: &str, occ: &[Occurrence]) -> Vec<(String, usize, bool)> {
        let idx = LineIndex::new(text);
        occ.iter().map(|o| (text[o.span.start..o.span.end].to_string(), idx.line_of(o.span.start), o.write)).collect()
    }

    #[test]
    fn definition_and_references() {
        let text = APP;
        let off = text.find("[db]").unwrap() + 1;
        let def = definition(text, off).unwrap();
        assert_eq!(&text[def.start..def.end], "db");
        assert_eq!(LineIndex::new(text).line_of(def.start), 5);
        let refs = references(text, def.start, true);
        assert_eq!(spans(text, &refs), [("db".to_string(), 3, false), ("db".to_string(), 5, true)]);
        let refs = references(text, def.start, false);
        assert_eq!(refs.len(), 1);
        // From the declaration of a network, the cursor right after the name.
        let off = text.find("  front: {}").unwrap() + 7;
        let refs = references(text, off, true);
        assert_eq!(spans(text, &refs), [("front".to_string(), 4, false), ("front".to_string(), 12, true)]);
        let off = text.find("data:/var").unwrap();
        assert_eq!(references(text, off, true).len(), 2);
        assert!(definition(text, text.find("image").unwrap()).is_none());
    }

    #[test]
    fn rename_keeps_quotes_and_edits_only_the_name() {
        let text = "services:\n  db:\n    image: postgres\n    volumes:\n      - data:/var/lib/x\n      - type: volume\n        source: data\n  web:\n    image: x\n    depends_on: [\"db\"]\n    links: ['db:database']\n    network_mode: service:db\n    volumes_from: [db]\n  worker:\n    image: x\n    depends_on:\n      db:\n        condition: service_started\nvolumes:\n  data: {}\n";
        let apply = |edits: Vec<TextEdit>| {
            let mut out = text.to_string();
            for (s, t) in edits.into_iter().rev() {
                out.replace_range(s.start..s.end, &t);
            }
            out
        };
        let off = text.find("service:db").unwrap() + 9;
        let renamed = apply(rename(text, off, "postgres").unwrap());
        assert_eq!(
            renamed,
            text.replace("  db:\n", "  postgres:\n")
                .replace("[\"db\"]", "[\"postgres\"]")
                .replace("'db:database'", "'postgres:database'")
                .replace("service:db", "service:postgres")
                .replace("[db]", "[postgres]")
                .replace("      db:\n", "      postgres:\n")
        );
        assert!(ComposeFile::parse(&renamed).is_ok());
        let off = text.find("source: data").unwrap() + 9;
        let renamed = apply(rename(text, off, "pgdata").unwrap());
        assert!(renamed.contains("- pgdata:/var/lib/x") && renamed.contains("source: pgdata"), "{renamed}");
        assert!(renamed.contains("\n  pgdata: {}"), "{renamed}");
        // A new name YAML would read as a number is quoted where the name is a whole plain scalar.
        let renamed = apply(rename(text, off, "123").unwrap());
        assert!(renamed.contains("- 123:/var") && renamed.contains("source: \"123\""), "{renamed}");
        assert!(needs_quotes("0x1F") && needs_quotes("1e3") && needs_quotes("True") && needs_quotes("1_000"));
        assert!(!needs_quotes("db1") && !needs_quotes("1st") && !needs_quotes("web-2"));
    }

    #[test]
    fn rename_refusals() {
        let text = APP;
        let off = text.find("[db]").unwrap() + 1;
        assert!(rename(text, off, "bad name").unwrap_err().0.contains("not a valid service name"));
        assert!(rename(text, off, "-x").is_err());
        assert!(rename(text, off, "cache").unwrap_err().0.contains("already exists"));
        assert!(rename(text, off, "db").unwrap().is_empty());
        assert!(rename(text, text.find("image").unwrap(), "x").is_err());
        assert!(rename("services: [", 3, "x").unwrap_err().0.contains("not valid YAML"));
        assert_eq!(rename_range(text, off).map(|s| &text[s.start..s.end]), Some("db"));
    }

    #[test]
    fn rename_through_anchors_edits_each_place_once() {
        let text = "x-deps: &deps\n  depends_on: [db]\nservices:\n  a:\n    <<: *deps\n    image: x\n  b:\n    <<: *deps\n    image: x\n  db:\n    image: y\n";
        let off = text.find("  db:").unwrap() + 2;
        let edits = rename(text, off, "pg").unwrap();
        assert_eq!(edits.len(), 2, "{edits:?}");
        let refs = references(text, off, true);
        assert_eq!(refs.len(), 2);
    }

    #[test]
    fn non_ascii_names() {
        let text = "services:\n  wéb:\n    image: \"ngïnx\"\n    depends_on: [dé]\n  dé:\n    image: x\n";
        let off = text.find("[dé]").unwrap() + 2; // inside the é: clamped to its start
        let refs = references(text, off, true);
        assert_eq!(spans(text, &refs).iter().map(|s| s.0.as_str()).collect::<Vec<_>>(), ["dé", "dé"]);
        let edits = rename(text, off, "db").unwrap();
        assert_eq!(edits.len(), 2);
        let h = hover(text, text.find("ngïnx").unwrap() + 3, None);
        assert!(h.is_some_and(|h| h.markdown.contains("image")));
        let l = labels("services:\n  wéb:\n    image: \"ngïnx\"\n    depends_on: [‸]\n  dé:\n    image: x\n");
        assert_eq!(l, ["dé"]);
    }

    #[test]
    fn build_targets_for_stage_renames() {
        let text = "x-b: &b\n  context: ./api\n  target: dev\nservices:\n  api:\n    build: *b\n  api2:\n    build:\n      <<: *b\n  web:\n    build:\n      context: web\n      dockerfile: Dockerfile.web\n      target: 'prod'\n  plain:\n    build: .\n";
        let t = build_targets(text);
        let got: Vec<(&str, &str, &str, &str)> =
            t.iter().map(|(c, d, name, s)| (c.as_str(), d.as_str(), name.as_str(), &text[s.start..s.end])).collect();
        assert_eq!(got, [("./api", "Dockerfile", "dev", "dev"), ("web", "Dockerfile.web", "prod", "prod")]);
        let off = text.find("'prod'").unwrap() + 2;
        let (service, context, dockerfile, span) = build_target_at(text, off).unwrap();
        assert_eq!((service.as_str(), context.as_str(), dockerfile.as_str()), ("web", "web", "Dockerfile.web"));
        assert_eq!(&text[span.start..span.end], "prod");
        assert!(build_target_at(text, text.find("context").unwrap()).is_none());
    }

    // ------------------------------------------------------------ symbols and folding

    #[test]
    fn symbols_of_a_file() {
        let s = symbols(APP);
        let top: Vec<&str> = s.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(top, ["services", "networks", "volumes", "secrets", "configs"]);
        let services = &s[0];
        let names: Vec<(&str, SymbolKind)> = services.children.iter().map(|c| (c.name.as_str(), c.kind)).collect();
        assert_eq!(names, [("web", SymbolKind::Service), ("db", SymbolKind::Service), ("cache", SymbolKind::Service)]);
        let web = &services.children[0];
        assert_eq!(web.detail.as_deref(), Some("nginx:1.27"));
        let keys: Vec<&str> = web.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(keys, ["image", "depends_on", "networks"]);
        assert_eq!(services.children[2].detail.as_deref(), Some("build ./cache"));
        assert_eq!(s[1].children.iter().map(|c| c.kind).collect::<Vec<_>>(), [SymbolKind::Network; 2]);
        assert_eq!(s[2].children[0].kind, SymbolKind::Volume);
        assert_eq!(s[3].children[0].kind, SymbolKind::Secret);
        assert_eq!(s[4].children[0].kind, SymbolKind::Config);
        fn check(text: &str, s: &Symbol) {
            assert!(s.span.start <= s.selection.start && s.selection.end <= s.span.end, "{s:?}");
            assert!(text.get(s.span.start..s.span.end).is_some());
            for c in &s.children {
                assert!(s.span.start <= c.span.start && c.span.end <= s.span.end, "{c:?} in {s:?}");
                check(text, c);
            }
        }
        for x in &s {
            check(APP, x);
        }
        assert_eq!(
            &APP[web.span.start..web.span.end],
            "web:\n    image: nginx:1.27\n    depends_on: [db]\n    networks: [front]"
        );
    }

    #[test]
    fn symbols_of_a_broken_file() {
        let text = "services:\n  web:\n    image: nginx\n    ports: [\n  db:\n    image: \"x\nvolumes:\n  data:\n";
        assert!(ComposeFile::parse(text).is_err());
        let s = symbols(text);
        let top: Vec<&str> = s.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(top, ["services", "volumes"]);
        let svc: Vec<&str> = s[0].children.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(svc, ["web", "db"]);
        assert_eq!(s[0].children[0].kind, SymbolKind::Service);
        let keys: Vec<&str> = s[0].children[0].children.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(keys, ["image", "ports"]);
        assert_eq!(s[1].children[0].kind, SymbolKind::Volume);
    }

    #[test]
    fn folds() {
        let text = "# one\n# two\nservices:\n  web:\n    image: x\n    ports:\n      - '80:80'\n      - '443:443'\n    command: |\n      a\n      b\n  db:\n    image: y\n";
        let f = folding(text);
        let plain: Vec<(usize, usize)> = f.iter().filter(|f| !f.comment).map(|f| (f.start_line, f.end_line)).collect();
        assert_eq!(plain, [(2, 12), (3, 10), (5, 7), (8, 10), (11, 12)], "{f:?}");
        assert!(f.contains(&Fold { start_line: 0, end_line: 1, comment: true }));
        // Indentation when the YAML does not load.
        let broken = "services:\n  web:\n    image: \"x\n    ports:\n      - 1\n  db:\n    image: y\n";
        let f: Vec<(usize, usize)> = folding(broken).iter().map(|f| (f.start_line, f.end_line)).collect();
        assert!(f.contains(&(0, 6)) && f.contains(&(1, 4)) && f.contains(&(3, 4)), "{f:?}");
    }

    // ------------------------------------------------------------ robustness and speed

    #[test]
    fn every_offset_of_odd_files_is_safe() {
        let texts = [
            APP,
            "",
            "services:\n  wé:\n    image: ngïnx\n    depends_on: [\"dé\", 'x'] # 日本\n  dé: {image: 😀}\n",
            "services:\n  a:\n    image: [\n\t- x\n  b: 'unterminated\n",
            "a: &a [x]\nb: *a\nc: {<<: *a}\n- - -\n",
            "services:\n  a:\n    volumes: [':', '::', 'C:\\x:/y', {source: ''}, {type: bind, source: x}]\n    network_mode: 'service:'\n    links: [':']\n    volumes_from: ['service:', 'container:x']\n",
            "x: \"${A:-${B\"\n# berth ignore=\n# dclint disable-line ,,\n",
            "services:\r\n  web:\r\n    image: x\r\n    re",
        ];
        for text in texts {
            let parsed = ComposeFile::parse(text).ok();
            for offset in 0..=text.len() + 2 {
                let _ = hover(text, offset, Some(&Env::new()));
                let _ = completion(text, offset, &[]);
                let _ = definition(text, offset);
                let _ = references(text, offset, true);
                let _ = rename(text, offset, "new");
                let _ = build_target_at(text, offset);
                if let Some(f) = &parsed {
                    let _ = hover_parsed(f, offset, None);
                    let _ = rename_parsed(f, offset, "n");
                }
            }
            let _ = symbols(text);
            let _ = folding(text);
            let _ = build_targets(text);
        }
    }

    #[test]
    fn typing_a_file_character_by_character() {
        let full = format!("{APP}x-é: &e\n  restart: \"${{R:-no}}\"\n# berth ignore=BC2001\n");
        for (end, _) in full.char_indices().chain([(full.len(), ' ')]) {
            let text = &full[..end];
            for c in completion(text, end, &["s1".to_string()]) {
                let r = c.replace.expect("every item says what it replaces");
                assert!(r.start <= end && end <= r.end && r.end <= text.len(), "{c:?} at {end} in {text:?}");
                assert!(!text[r.start..r.end].contains('\n'), "{c:?}");
            }
            let _ = hover(text, end.saturating_sub(1), None);
            for s in symbols(text) {
                assert!(s.span.start <= s.selection.start && s.selection.end <= s.span.end && s.span.end <= end);
            }
            for f in folding(text) {
                assert!(f.start_line < f.end_line);
            }
        }
    }

    fn big_file(services: usize) -> String {
        let mut text = String::from("x-base: &base\n  restart: always\nservices:\n");
        for i in 0..services {
            text += &format!(
                "  svc{i}:\n    <<: *base\n    image: \"nginx:1.{i}\"\n    depends_on: [svc0]\n    ports:\n      - \"80{i}:80\"\n    environment:\n      A: ${{B:-x}}\n    volumes:\n      - data:/var/lib/x\n"
            );
        }
        text + "volumes:\n  data: {}\n"
    }

    #[test]
    fn fast_on_large_files() {
        let text = big_file(200); // about 2,000 lines
        let file = ComposeFile::parse(&text).unwrap();
        let mid = text.len() / 2;
        let key = text[mid..].find("image").unwrap() + mid;
        let reference = text[mid..].find("svc0").unwrap() + mid;
        let t = std::time::Instant::now();
        let n = 20;
        for _ in 0..n {
            assert!(hover_parsed(&file, key, None).is_some());
            assert!(hover_parsed(&file, reference, None).is_some());
            assert_eq!(references_parsed(&file, reference, true).len(), 201);
            assert!(!symbols_parsed(&file).is_empty());
            assert!(!folding_parsed(&file).is_empty());
            let line_end = text[key..].find('\n').unwrap() + key;
            let _ = completion(&text, line_end + 5, &[]);
        }
        let per = t.elapsed() / n;
        // Debug builds are several times slower than release; this bounds gross regressions.
        assert!(per.as_millis() < 200, "{per:?}");
    }
}
