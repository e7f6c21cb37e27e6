//! Editor requests in berth's types: hover, completion, document symbols,
//! folding, definition, references, document highlight, rename and
//! formatting, for Dockerfiles and Compose files.
//!
//! The answers come from `berth_ide::ide` (pure functions over text and
//! byte offsets); this module finds the document, keeps the parsed forms
//! those functions want per document version ([`Ide`], in [`IdeCache`]),
//! reads what lies beside a document (the `.env` of a Compose file, the
//! Dockerfile a service builds, the Compose files that build a Dockerfile),
//! and turns byte spans of other files into UTF-16 [`LineCol`] ranges. The
//! adapter converts the results to protocol types.
//!
//! Every function takes positions as [`LineCol`] (UTF-16 columns, clamped by
//! `Snapshot::offset`) and returns `None` for a document that is not open or
//! not a Dockerfile or Compose file. They parse and read files: call them off
//! the async runtime.
//!
//! A Dockerfile stage and the Compose `build.target` values that name it are
//! linked: the Compose files looked at are those in the Dockerfile's folder
//! and its parents (up to the folder holding `.git`, at most
//! [`PARENT_LEVELS`] up), open ones at their current text, the others read
//! from disk, whose service builds that very Dockerfile.

use super::Server;
use super::documents::{self, Analysis, DocUri, Language, Snapshot};
use berth_ide::ide::dockerfile::Analysis as DockerfileAnalysis;
use berth_ide::ide::{self, Completion, Fold, Hover, Occurrence, RenameError, Symbol, TextEdit};
use berth_rules::compose::ComposeFile;
use berth_rules::compose::env::Env;
use berth_rules::text::{LineCol, Span};
use berth_workspace::discover::{self, FileKind};
use ropey::Rope;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How many folders above a Dockerfile the Compose files that build it are
/// looked for (the folder holding `.git` stops the walk earlier).
pub const PARENT_LEVELS: usize = 6;

/// The parsed forms the editor queries of one document version use.
#[derive(Debug)]
pub enum Ide {
    Dockerfile(Box<DockerfileAnalysis>),
    /// The core's parse (`Analysis::Compose`, `None` inside when the YAML
    /// does not load), shared with the lint.
    Compose(Arc<Analysis>),
}

impl Ide {
    pub fn dockerfile(&self) -> Option<&DockerfileAnalysis> {
        match self {
            Ide::Dockerfile(a) => Some(a),
            Ide::Compose(_) => None,
        }
    }

    /// The Compose file, when it is one and its YAML loads.
    pub fn compose(&self) -> Option<&ComposeFile> {
        match self {
            Ide::Compose(a) => match &**a {
                Analysis::Compose(f) => f.as_deref(),
                Analysis::Dockerfile(_) => None,
            },
            Ide::Dockerfile(_) => None,
        }
    }
}

/// [`Ide`] per open document, for the generation it was built for.
#[derive(Debug, Default)]
pub struct IdeCache(Mutex<HashMap<DocUri, (u64, Arc<Ide>)>>);

impl IdeCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<DocUri, (u64, Arc<Ide>)>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Let go of a document's analysis (it holds the syntax tree).
    pub fn forget(&self, uri: &DocUri) {
        self.lock().remove(uri);
    }
}

/// A file named in an answer: an open document (its URI as the client wrote
/// it) or a file on disk.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FileRef {
    Open(DocUri),
    Disk(PathBuf),
}

/// A range of some file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: FileRef,
    pub range: (LineCol, LineCol),
}

/// The edits of one file in a rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdits {
    pub file: FileRef,
    /// The document's version, for an open one.
    pub version: Option<i32>,
    /// Sorted, not overlapping.
    pub edits: Vec<((LineCol, LineCol), String)>,
}

/// A hover in UTF-16 terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverAnswer {
    pub range: (LineCol, LineCol),
    pub markdown: String,
}

/// The text of a file and how to name it in answers.
#[derive(Debug, Clone)]
struct Source {
    file: FileRef,
    path: Option<PathBuf>,
    version: Option<i32>,
    text: Arc<str>,
    rope: Rope,
}

impl Source {
    fn of_snapshot(snap: &Snapshot) -> Source {
        Source {
            file: FileRef::Open(snap.uri.clone()),
            path: snap.path.clone(),
            version: Some(snap.version),
            text: snap.text.clone(),
            rope: snap.rope.clone(),
        }
    }

    fn range(&self, span: Span) -> (LineCol, LineCol) {
        let end = span.end.max(span.start);
        (documents::position_of(&self.rope, span.start), documents::position_of(&self.rope, end))
    }

    fn location(&self, span: Span) -> Location {
        Location { file: self.file.clone(), range: self.range(span) }
    }

    fn same_file(&self, other: &Source) -> bool {
        self.file == other.file || matches!((&self.path, &other.path), (Some(a), Some(b)) if same_path(a, b))
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system.
pub(super) fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !matches!(out.components().next_back(), Some(Component::RootDir | Component::Prefix(_))) {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The same file, by name or through links.
fn same_path(a: &Path, b: &Path) -> bool {
    if normalize(a) == normalize(b) {
        return true;
    }
    matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}

/// The Dockerfile a Compose `build` names: `dockerfile` relative to
/// `context`, `context` relative to the Compose file's folder. `None` for a
/// remote context (Git, URL) and for interpolated values.
fn dockerfile_path(compose: &Path, context: &str, dockerfile: &str) -> Option<PathBuf> {
    if context.contains("://") || context.starts_with("git@") || context.contains('$') || dockerfile.contains('$') {
        return None;
    }
    let dir = compose.parent()?;
    let ctx = dir.join(context);
    Some(normalize(&ctx.join(dockerfile)))
}

fn read_text(path: &Path) -> Option<String> {
    discover::read_bounded(path).ok().and_then(|b| String::from_utf8(b).ok())
}

/// The `.env` file beside a Compose file.
fn dotenv_beside(compose: Option<&Path>) -> Option<Env> {
    let dir = compose?.parent()?;
    read_text(&dir.join(".env")).map(|t| Env::from_dotenv(&t))
}

/// Snippet text (LSP snippet syntax) as the plain text it inserts:
/// placeholders keep their default text, tab stops and variables go, a
/// choice gives its first option, escapes are resolved.
pub fn snippet_to_plain(snippet: &str) -> String {
    let chars: Vec<char> = snippet.chars().collect();
    let mut out = String::with_capacity(snippet.len());
    let mut i = 0;
    plain_until(&chars, &mut i, &mut out, false);
    out
}

fn plain_until(c: &[char], i: &mut usize, out: &mut String, nested: bool) {
    while *i < c.len() {
        match c[*i] {
            '\\' if c.get(*i + 1).is_some_and(|n| matches!(n, '$' | '}' | '\\' | ',' | '|')) => {
                out.push(c[*i + 1]);
                *i += 2;
            }
            '}' if nested => {
                *i += 1;
                return;
            }
            '$' => {
                let next = c.get(*i + 1).copied();
                match next {
                    Some(n) if n.is_ascii_alphanumeric() || n == '_' => {
                        *i += 1;
                        while *i < c.len() && (c[*i].is_ascii_alphanumeric() || c[*i] == '_') {
                            *i += 1;
                        }
                    }
                    Some('{') => {
                        *i += 2;
                        while *i < c.len() && (c[*i].is_ascii_alphanumeric() || c[*i] == '_') {
                            *i += 1;
                        }
                        match c.get(*i) {
                            Some('}') => *i += 1,
                            Some(':') => {
                                *i += 1;
                                plain_until(c, i, out, true);
                            }
                            Some('|') => {
                                *i += 1;
                                let mut first = true;
                                while *i < c.len() {
                                    match c[*i] {
                                        '\\' if *i + 1 < c.len() => {
                                            if first {
                                                out.push(c[*i + 1]);
                                            }
                                            *i += 2;
                                        }
                                        ',' => {
                                            first = false;
                                            *i += 1;
                                        }
                                        '|' if c.get(*i + 1) == Some(&'}') => {
                                            *i += 2;
                                            break;
                                        }
                                        ch => {
                                            if first {
                                                out.push(ch);
                                            }
                                            *i += 1;
                                        }
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    _ => {
                        out.push('$');
                        *i += 1;
                    }
                }
            }
            ch => {
                out.push(ch);
                *i += 1;
            }
        }
    }
}

/// The rules whose findings (of the last lint, when it is of this version)
/// cover `offset`: a short note with each rule's summary and documentation.
fn rule_notes<'d>(diags: impl Iterator<Item = &'d berth_rules::Diagnostic>, offset: usize) -> Option<(Span, String)> {
    let mut codes: Vec<&'static str> = Vec::new();
    let mut span: Option<Span> = None;
    for d in diags.filter(|d| d.span.start <= offset && offset <= d.span.end) {
        if codes.contains(&d.code) {
            continue;
        }
        codes.push(d.code);
        span = Some(match span {
            // The narrowest finding decides the highlighted range.
            Some(s) if s.end - s.start <= d.span.end - d.span.start => s,
            _ => d.span,
        });
    }
    let span = span?;
    let notes: Vec<String> = codes
        .iter()
        .map(|code| {
            let link =
                super::diagnostics::docs_url(code).map(|u| format!(" · [documentation]({u})")).unwrap_or_default();
            match berth_rules::rules::by_code(code) {
                Some(m) => format!("**{}** `{}`: {}{link}", m.code, m.name, m.summary),
                None => format!("**{code}**{link}"),
            }
        })
        .collect();
    Some((span, notes.join("\n\n")))
}

/// The text of the snapshot's service's `build` (context, dockerfile) for a
/// `build.target` at `offset`, read from the lines when the YAML does not
/// load: the service is the last key at the services' indentation before the
/// cursor, and `context:` / `dockerfile:` are looked for in its block.
fn build_of_service(text: &str, file: Option<&ComposeFile>, offset: usize) -> (String, String) {
    let default = || (".".to_string(), "Dockerfile".to_string());
    if let Some(f) = file {
        let Some(svc) = f.services.iter().filter(|s| s.name_span.start <= offset).max_by_key(|s| s.name_span.start)
        else {
            return default();
        };
        return match svc.node.get("build") {
            Some(b) if b.str().is_some() => (b.str().unwrap_or(".").to_string(), "Dockerfile".to_string()),
            Some(b) => (
                b.get("context").and_then(|n| n.str()).unwrap_or(".").to_string(),
                b.get("dockerfile").and_then(|n| n.str()).unwrap_or("Dockerfile").to_string(),
            ),
            None => default(),
        };
    }
    // The line outline.
    let lines: Vec<(usize, &str)> = {
        let mut v = Vec::new();
        let mut start = 0;
        for l in text.split_inclusive('\n') {
            v.push((start, l.trim_end_matches(['\n', '\r'])));
            start += l.len();
        }
        v
    };
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let content = |l: &str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    let cur = lines.iter().rposition(|(s, _)| *s <= offset).unwrap_or(0);
    let Some(services) = lines[..=cur].iter().rposition(|(_, l)| l.starts_with("services:")) else {
        return default();
    };
    let Some(svc_indent) = lines[services + 1..].iter().find(|(_, l)| content(l)).map(|(_, l)| indent(l)) else {
        return default();
    };
    if svc_indent == 0 {
        return default();
    }
    let Some(svc) = (services + 1..=cur).rev().find(|&i| content(lines[i].1) && indent(lines[i].1) == svc_indent)
    else {
        return default();
    };
    let end = (svc + 1..lines.len()).find(|&i| content(lines[i].1) && indent(lines[i].1) <= svc_indent);
    let block = &lines[svc + 1..end.unwrap_or(lines.len())];
    let value_of = |key: &str| -> Option<String> {
        block.iter().find_map(|(_, l)| {
            let at = l.find(&format!("{key}:"))?;
            if at > 0 && !matches!(l.as_bytes()[at - 1], b' ' | b'{' | b',') {
                return None;
            }
            let rest = &l[at + key.len() + 1..];
            let v = rest.split([',', '}', '#']).next().unwrap_or("").trim();
            let v = v.trim_matches(['"', '\'']);
            (!v.is_empty()).then(|| v.to_string())
        })
    };
    let scalar_build = value_of("build").filter(|v| !v.starts_with('{'));
    (
        value_of("context").or(scalar_build).unwrap_or_else(|| ".".into()),
        value_of("dockerfile").unwrap_or_else(|| "Dockerfile".into()),
    )
}

/// What [`ide::compose::completion`] is given as the stage list, to learn
/// whether the cursor is at a `build.target` before reading any Dockerfile.
const STAGE_PROBE: &str = "\u{1}berth-stage\u{1}";

impl Server {
    /// The document's current snapshot and its [`Ide`], built once per
    /// version. `None` when the document is not open or not linted.
    pub fn ide(&self, uri: &DocUri) -> Option<(Snapshot, Arc<Ide>)> {
        let snap = self.snapshot(uri)?;
        snap.language?;
        if let Some((g, ide)) = self.ide_cache.lock().get(uri)
            && *g == snap.generation
        {
            return Some((snap, ide.clone()));
        }
        let (snap, analysis) = self.analysis(uri)?;
        let ide = Arc::new(match &*analysis {
            Analysis::Dockerfile(file) => Ide::Dockerfile(Box::new(DockerfileAnalysis::from_shared(file.clone()))),
            Analysis::Compose(_) => Ide::Compose(analysis.clone()),
        });
        let open = self.documents.uris();
        let mut cache = self.ide_cache.lock();
        cache.retain(|u, _| open.contains(u));
        cache.insert(uri.clone(), (snap.generation, ide.clone()));
        Some((snap, ide))
    }

    /// The open document of a file, by its path.
    fn open_document_of(&self, path: &Path) -> Option<DocUri> {
        let want = normalize(path);
        let canonical = std::fs::canonicalize(path).ok();
        let docs = self.documents.lock();
        let found = docs.values().find(|d| {
            d.path.as_deref().is_some_and(|p| {
                normalize(p) == want || (canonical.is_some() && std::fs::canonicalize(p).ok() == canonical)
            })
        });
        found.map(|d| d.uri.clone())
    }

    /// A file's text: the open document's, else the file on disk.
    fn source_of(&self, path: &Path) -> Option<Source> {
        if let Some(uri) = self.open_document_of(path)
            && let Some(snap) = self.snapshot(&uri)
        {
            return Some(Source::of_snapshot(&snap));
        }
        let text = read_text(path)?;
        Some(Source {
            file: FileRef::Disk(normalize(path)),
            path: Some(normalize(path)),
            version: None,
            rope: Rope::from_str(&text),
            text: Arc::from(text),
        })
    }

    /// The Dockerfile analysis of a source (cached when it is open).
    fn dockerfile_of(&self, src: &Source) -> Arc<Ide> {
        if let FileRef::Open(uri) = &src.file
            && let Some((snap, ide)) = self.ide(uri)
            && ide.dockerfile().is_some()
            && snap.version == src.version.unwrap_or(snap.version)
        {
            return ide;
        }
        Arc::new(Ide::Dockerfile(Box::new(DockerfileAnalysis::new(&src.text))))
    }

    /// The parsed Compose file of a source (cached when it is open).
    fn compose_of(&self, src: &Source) -> Option<Arc<Ide>> {
        if let FileRef::Open(uri) = &src.file
            && let Some((_, ide)) = self.ide(uri)
            && ide.compose().is_some()
        {
            return Some(ide);
        }
        let file = ComposeFile::parse(&src.text).ok()?;
        Some(Arc::new(Ide::Compose(Arc::new(Analysis::Compose(Some(Box::new(file)))))))
    }

    /// The Compose files that may build the Dockerfile at `dockerfile`: in
    /// its folder and its parents (see the module docs).
    fn compose_sources_near(&self, dockerfile: &Path) -> Vec<Source> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        let mut dir = normalize(dockerfile).parent().map(Path::to_path_buf);
        while let Some(d) = dir {
            let top = d.join(".git").exists();
            dir = d.parent().map(Path::to_path_buf);
            dirs.push(d);
            if top || dirs.len() > PARENT_LEVELS {
                break;
            }
        }
        let open: Vec<Snapshot> = {
            let mut docs = self.documents.lock();
            docs.values_mut()
                .filter(|d| d.language == Some(Language::Compose))
                .filter(|d| {
                    d.path.as_deref().and_then(Path::parent).is_some_and(|p| dirs.iter().any(|x| same_path(x, p)))
                })
                .map(|d| d.snapshot())
                .collect()
        };
        let mut out: Vec<Source> = open.iter().map(Source::of_snapshot).collect();
        for d in &dirs {
            let Ok(entries) = std::fs::read_dir(d) else { continue };
            let mut names: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| discover::kind_of(p) == Some(FileKind::Compose) && p.is_file())
                .collect();
            names.sort();
            for p in names {
                if open.iter().any(|s| s.path.as_deref().is_some_and(|o| same_path(o, &p))) {
                    continue;
                }
                if let Some(text) = read_text(&p) {
                    out.push(Source {
                        file: FileRef::Disk(normalize(&p)),
                        path: Some(normalize(&p)),
                        version: None,
                        rope: Rope::from_str(&text),
                        text: Arc::from(text),
                    });
                }
            }
        }
        out
    }

    /// The `build.target` values naming stage `stage` (case-insensitive) of
    /// the Dockerfile at `dockerfile`, in the Compose files near it and in
    /// `also` (the Compose file a request came from).
    fn linked_targets(&self, dockerfile: &Path, stage: &str, also: Option<&Source>) -> Vec<(Source, Vec<Span>)> {
        let mut sources = self.compose_sources_near(dockerfile);
        if let Some(a) = also
            && !sources.iter().any(|s| s.same_file(a))
        {
            sources.push(a.clone());
        }
        let mut out = Vec::new();
        for src in sources {
            let Some(path) = src.path.clone() else { continue };
            let Some(ide) = self.compose_of(&src) else { continue };
            let Some(file) = ide.compose() else { continue };
            let spans: Vec<Span> = ide::compose::build_targets_parsed(file)
                .into_iter()
                .filter(|(ctx, df, target, _)| {
                    target.eq_ignore_ascii_case(stage)
                        && dockerfile_path(&path, ctx, df).is_some_and(|p| same_path(&p, dockerfile))
                })
                .map(|(_, _, _, span)| span)
                .collect();
            if !spans.is_empty() {
                out.push((src, spans));
            }
        }
        out
    }

    /// The stage name written at `offset` of a Dockerfile, when the name
    /// there (a definition or a use written with the name) is a stage's.
    fn stage_name_at(a: &DockerfileAnalysis, offset: usize) -> Option<String> {
        let span = a.prepare_rename(offset)?;
        let name = a.text().get(span.start..span.end)?.to_string();
        a.stage_references_for_name(&name).iter().any(|o| o.span == span).then_some(name)
    }

    /// The Dockerfile and stage a Compose `build.target` at `offset` names.
    fn target_at(&self, snap: &Snapshot, file: &ComposeFile, offset: usize) -> Option<(PathBuf, String, Span)> {
        let (_, ctx, df, span) = ide::compose::build_target_at_parsed(file, offset)?;
        let path = dockerfile_path(snap.path.as_deref()?, &ctx, &df)?;
        Some((path, file.text.get(span.start..span.end)?.to_string(), span))
    }

    // ----- requests -----

    /// Hover at `pos`, with the documentation of the rules whose findings
    /// (from the last lint, when current) cover it.
    pub fn hover(&self, uri: &DocUri, pos: LineCol) -> Option<HoverAnswer> {
        let (snap, ide) = self.ide(uri)?;
        let off = snap.offset(pos);
        let found: Option<Hover> = match &*ide {
            Ide::Dockerfile(a) => a.hover(off),
            Ide::Compose(_) => {
                let env = dotenv_beside(snap.path.as_deref());
                match ide.compose() {
                    Some(f) => ide::compose::hover_parsed(f, off, env.as_ref()),
                    None => ide::compose::hover(&snap.text, off, env.as_ref()),
                }
            }
        };
        let lint = {
            let docs = self.documents.lock();
            docs.get(uri).and_then(|d| d.last.clone()).filter(|l| l.generation == snap.generation)
        };
        let notes = lint.and_then(|l| rule_notes(l.native.iter().chain(l.shellcheck.iter()), off));
        let (span, markdown) = match (found, notes) {
            (Some(h), Some((_, n))) => (h.span, format!("{}\n\n---\n\n{n}", h.markdown)),
            (Some(h), None) => (h.span, h.markdown),
            (None, Some((s, n))) => (s, n),
            (None, None) => return None,
        };
        Some(HoverAnswer { range: snap.range(span), markdown })
    }

    /// Completions at `pos`, most relevant first; for a Compose
    /// `build.target`, the stages of the Dockerfile the service builds.
    pub fn completion(&self, uri: &DocUri, pos: LineCol) -> Option<(Snapshot, Vec<Completion>)> {
        let (snap, ide) = self.ide(uri)?;
        let off = snap.offset(pos);
        let items = match &*ide {
            Ide::Dockerfile(a) => a.completion(off),
            Ide::Compose(_) => {
                let probe = [STAGE_PROBE.to_string()];
                let mut items = ide::compose::completion(&snap.text, off, &probe);
                if let Some(at) = items.iter().position(|c| c.label == STAGE_PROBE) {
                    let template = items[at].clone();
                    let stages = self.stages_for_target(&snap, ide.compose(), off);
                    let real: Vec<Completion> = stages
                        .iter()
                        .map(|s| {
                            let mut c = template.clone();
                            c.label = s.clone();
                            c.insert = c.insert.map(|i| i.replace(STAGE_PROBE, s));
                            c
                        })
                        .collect();
                    items.splice(at..=at, real);
                }
                items
            }
        };
        Some((snap, items))
    }

    /// The stage names of the Dockerfile the service at `offset` builds.
    fn stages_for_target(&self, snap: &Snapshot, file: Option<&ComposeFile>, offset: usize) -> Vec<String> {
        let Some(compose) = snap.path.as_deref() else { return Vec::new() };
        let (ctx, df) = build_of_service(&snap.text, file, offset);
        let Some(path) = dockerfile_path(compose, &ctx, &df) else { return Vec::new() };
        let Some(src) = self.source_of(&path) else { return Vec::new() };
        match self.dockerfile_of(&src).dockerfile() {
            Some(a) => a.stage_names(),
            None => Vec::new(),
        }
    }

    /// The outline (hierarchical).
    pub fn symbols(&self, uri: &DocUri) -> Option<(Snapshot, Vec<Symbol>)> {
        let (snap, ide) = self.ide(uri)?;
        let symbols = match (&*ide, ide.compose()) {
            (Ide::Dockerfile(a), _) => a.symbols(),
            (Ide::Compose(_), Some(f)) => ide::compose::symbols_parsed(f),
            (Ide::Compose(_), None) => ide::compose::symbols(&snap.text),
        };
        Some((snap, symbols))
    }

    pub fn folding(&self, uri: &DocUri) -> Option<Vec<Fold>> {
        let (snap, ide) = self.ide(uri)?;
        Some(match (&*ide, ide.compose()) {
            (Ide::Dockerfile(a), _) => a.folding(),
            (Ide::Compose(_), Some(f)) => ide::compose::folding_parsed(f),
            (Ide::Compose(_), None) => ide::compose::folding(&snap.text),
        })
    }

    /// Where the name at `pos` is defined; for a Compose `build.target`, the
    /// stage in the Dockerfile.
    pub fn definition(&self, uri: &DocUri, pos: LineCol) -> Option<Vec<Location>> {
        let (snap, ide) = self.ide(uri)?;
        let off = snap.offset(pos);
        let here = Source::of_snapshot(&snap);
        match &*ide {
            Ide::Dockerfile(a) => Some(a.definition(off).map(|s| here.location(s)).into_iter().collect()),
            Ide::Compose(_) => {
                let file = ide.compose()?;
                if let Some((path, stage, _)) = self.target_at(&snap, file, off) {
                    let src = self.source_of(&path)?;
                    let df = self.dockerfile_of(&src);
                    let a = df.dockerfile()?;
                    let decl = a.stage_references_for_name(&stage).into_iter().find(|o| o.write)?;
                    return Some(vec![src.location(decl.span)]);
                }
                Some(ide::compose::definition_parsed(file, off).map(|s| here.location(s)).into_iter().collect())
            }
        }
    }

    /// Every use of the name at `pos` (its definition too with
    /// `include_declaration`): a Dockerfile stage's include the Compose
    /// `build.target` values naming it, and such a target's the stage's uses.
    pub fn references(&self, uri: &DocUri, pos: LineCol, include_declaration: bool) -> Option<Vec<Location>> {
        let (snap, ide) = self.ide(uri)?;
        let off = snap.offset(pos);
        let here = Source::of_snapshot(&snap);
        let mut out: Vec<Location> = Vec::new();
        match &*ide {
            Ide::Dockerfile(a) => {
                out.extend(a.references(off, include_declaration).iter().map(|o| here.location(o.span)));
                if let (Some(stage), Some(path)) = (Self::stage_name_at(a, off), snap.path.as_deref()) {
                    for (src, spans) in self.linked_targets(path, &stage, None) {
                        out.extend(spans.iter().map(|s| src.location(*s)));
                    }
                }
            }
            Ide::Compose(_) => {
                let file = ide.compose()?;
                if let Some((path, stage, _)) = self.target_at(&snap, file, off) {
                    if let Some(src) = self.source_of(&path) {
                        let df = self.dockerfile_of(&src);
                        if let Some(a) = df.dockerfile() {
                            out.extend(
                                a.stage_references_for_name(&stage)
                                    .iter()
                                    .filter(|o| include_declaration || !o.write)
                                    .map(|o| src.location(o.span)),
                            );
                        }
                    }
                    for (src, spans) in self.linked_targets(&path, &stage, Some(&here)) {
                        out.extend(spans.iter().map(|s| src.location(*s)));
                    }
                } else {
                    out.extend(
                        ide::compose::references_parsed(file, off, include_declaration)
                            .iter()
                            .map(|o| here.location(o.span)),
                    );
                }
            }
        }
        Some(out)
    }

    /// The uses of the name at `pos` in its own document (`write`: where it
    /// is defined or assigned).
    pub fn highlights(&self, uri: &DocUri, pos: LineCol) -> Option<(Snapshot, Vec<Occurrence>)> {
        let (snap, ide) = self.ide(uri)?;
        let off = snap.offset(pos);
        let list = match &*ide {
            Ide::Dockerfile(a) => a.references(off, true),
            Ide::Compose(_) => {
                let file = ide.compose()?;
                match self.target_at(&snap, file, off) {
                    // The targets of this file that name the same stage.
                    Some((path, stage, _)) => {
                        let compose = snap.path.as_deref()?;
                        ide::compose::build_targets_parsed(file)
                            .into_iter()
                            .filter(|(ctx, df, t, _)| {
                                t.eq_ignore_ascii_case(&stage)
                                    && dockerfile_path(compose, ctx, df).is_some_and(|p| same_path(&p, &path))
                            })
                            .map(|(_, _, _, span)| Occurrence { span, write: false })
                            .collect()
                    }
                    None => ide::compose::references_parsed(file, off, true),
                }
            }
        };
        Some((snap, list))
    }

    /// The range a rename at `pos` would replace and its current text.
    pub fn prepare_rename(&self, uri: &DocUri, pos: LineCol) -> Option<((LineCol, LineCol), String)> {
        let (snap, ide) = self.ide(uri)?;
        let off = snap.offset(pos);
        let span = match &*ide {
            Ide::Dockerfile(a) => a.prepare_rename(off)?,
            Ide::Compose(_) => {
                let file = ide.compose()?;
                match self.target_at(&snap, file, off) {
                    Some((_, _, span)) => span,
                    None => ide::compose::rename_range_parsed(file, off)?,
                }
            }
        };
        let text = snap.text.get(span.start..span.end)?.to_string();
        Some((snap.range(span), text))
    }

    /// Rename the name at `pos` to `new_name`. `Ok(None)` for a document
    /// that is not open; an error (to show) when the rename is refused.
    pub fn rename(&self, uri: &DocUri, pos: LineCol, new_name: &str) -> Result<Option<Vec<FileEdits>>, RenameError> {
        let Some((snap, ide)) = self.ide(uri) else { return Ok(None) };
        let off = snap.offset(pos);
        let here = Source::of_snapshot(&snap);
        let mut all: Vec<(Source, Vec<TextEdit>)> = Vec::new();
        match &*ide {
            Ide::Dockerfile(a) => {
                let edits = a.rename(off, new_name)?;
                let stage = Self::stage_name_at(a, off);
                all.push((here.clone(), edits));
                if let (Some(stage), Some(path)) = (stage, snap.path.as_deref()) {
                    for (src, spans) in self.linked_targets(path, &stage, None) {
                        all.push((src, spans.into_iter().map(|s| (s, new_name.to_string())).collect()));
                    }
                }
            }
            Ide::Compose(_) => {
                let Some(file) = ide.compose() else {
                    return Err(RenameError("the file is not valid YAML; fix it before renaming".into()));
                };
                if let Some((_, ctx, df, _)) = ide::compose::build_target_at_parsed(file, off) {
                    let Some((path, stage, _)) = self.target_at(&snap, file, off) else {
                        return Err(RenameError(format!(
                            "berth cannot find the Dockerfile `{df}` of context `{ctx}` (save the Compose file; \
                             remote and interpolated contexts are not followed)"
                        )));
                    };
                    let Some(src) = self.source_of(&path) else {
                        return Err(RenameError(format!("cannot read the Dockerfile {}", path.display())));
                    };
                    let df_ide = self.dockerfile_of(&src);
                    let a = df_ide.dockerfile().ok_or_else(|| RenameError("not a Dockerfile".into()))?;
                    let edits = a.rename_stage(&stage, new_name)?;
                    all.push((src, edits));
                    for (src, spans) in self.linked_targets(&path, &stage, Some(&here)) {
                        all.push((src, spans.into_iter().map(|s| (s, new_name.to_string())).collect()));
                    }
                } else {
                    all.push((here.clone(), ide::compose::rename_parsed(file, off, new_name)?));
                }
            }
        }
        // One entry per file, edits sorted and without duplicates.
        let mut merged: Vec<(Source, Vec<TextEdit>)> = Vec::new();
        for (src, edits) in all {
            match merged.iter_mut().find(|(s, _)| s.same_file(&src)) {
                Some((_, list)) => list.extend(edits),
                None => merged.push((src, edits)),
            }
        }
        let out = merged
            .into_iter()
            .filter(|(_, e)| !e.is_empty())
            .map(|(src, mut edits)| {
                edits.sort_by_key(|(s, _)| (s.start, s.end));
                edits.dedup_by_key(|(s, _)| *s);
                FileEdits {
                    file: src.file.clone(),
                    version: src.version,
                    edits: edits.into_iter().map(|(s, t)| (src.range(s), t)).collect(),
                }
            })
            .collect();
        Ok(Some(out))
    }

    /// The formatting edits of a Dockerfile; `None` for a Compose file
    /// (berth does not format YAML) and for a document that is not open.
    pub fn format(&self, uri: &DocUri) -> Option<(Snapshot, Vec<TextEdit>)> {
        let (snap, ide) = self.ide(uri)?;
        let a = ide.dockerfile()?;
        Some((snap.clone(), ide::format::format_parsed(a.file())))
    }

    /// Range formatting: the edits of [`Server::format`] that lie on the
    /// lines the range covers (a range ending at the start of a line leaves
    /// that line out), so formatting a range changes exactly what formatting
    /// the document changes on those lines, and nothing else.
    pub fn format_range(&self, uri: &DocUri, range: (LineCol, LineCol)) -> Option<(Snapshot, Vec<TextEdit>)> {
        let (snap, edits) = self.format(uri)?;
        let lines = covered_lines(&snap.text, snap.span(range.0, range.1));
        let kept = edits.into_iter().filter(|(s, _)| s.start >= lines.start && s.end <= lines.end).collect();
        Some((snap, kept))
    }
}

/// The lines `range` covers, from the start of its first line to the end
/// of its last (before its line break); a range that reaches the end of the
/// text covers it all (the trailing blank lines formatting removes).
fn covered_lines(text: &str, range: Span) -> Span {
    let start = text[..range.start.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let mut end = range.end.min(text.len());
    if end > range.start && end < text.len() && text.as_bytes()[end - 1] == b'\n' {
        end -= 1;
    }
    let line_end = text[end..].find('\n').map_or(text.len(), |e| end + e);
    Span::new(start, line_end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_whole_lines() {
        let text = "a\nbb\ncc\n";
        assert_eq!(covered_lines(text, Span::new(3, 3)), Span::new(2, 4));
        // Ending at the start of a line leaves that line out.
        assert_eq!(covered_lines(text, Span::new(0, 5)), Span::new(0, 4));
        assert_eq!(covered_lines(text, Span::new(0, 6)), Span::new(0, 7));
        assert_eq!(covered_lines(text, Span::new(8, 8)), Span::new(8, 8));
        assert_eq!(covered_lines(text, Span::new(5, 8)), Span::new(5, 8));
        assert_eq!(covered_lines("x", Span::new(0, 1)), Span::new(0, 1));
    }

    #[test]
    fn snippets_become_plain_text() {
        assert_eq!(snippet_to_plain("FROM ${1:image}${2: AS ${3:name}}$0"), "FROM image AS name");
        assert_eq!(snippet_to_plain("--mount=type=${1|cache,bind,tmpfs|}"), "--mount=type=cache");
        assert_eq!(snippet_to_plain("echo \\$HOME \\} $1 ${2}"), "echo $HOME }  ");
        assert_eq!(snippet_to_plain("a $"), "a $");
        assert_eq!(snippet_to_plain("${1:unclosed"), "unclosed");
    }

    #[test]
    fn paths() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(normalize(Path::new("/..")), PathBuf::from("/"));
        assert_eq!(
            dockerfile_path(Path::new("/p/compose.yaml"), "./app", "../Dockerfile"),
            Some(PathBuf::from("/p/Dockerfile"))
        );
        assert_eq!(
            dockerfile_path(Path::new("/p/compose.yaml"), ".", "/abs/Dockerfile"),
            Some("/abs/Dockerfile".into())
        );
        assert_eq!(dockerfile_path(Path::new("/p/compose.yaml"), "https://x/y.git", "Dockerfile"), None);
    }

    #[test]
    fn build_from_the_lines() {
        let text = "services:\n  web:\n    build:\n      context: ./app\n      dockerfile: 'Dockerfile.dev'\n      target: \n  db:\n    build: ./db\n    target:\n";
        let at = text.find("target: ").unwrap() + 8;
        assert_eq!(build_of_service(text, None, at), ("./app".into(), "Dockerfile.dev".into()));
        let at = text.rfind("target:").unwrap() + 7;
        assert_eq!(build_of_service(text, None, at), ("./db".into(), "Dockerfile".into()));
        let flow = "services:\n  web:\n    build: {context: sub, target: }\n";
        assert_eq!(build_of_service(flow, None, flow.len() - 3), ("sub".into(), "Dockerfile".into()));
        let parsed = ComposeFile::parse(text).unwrap();
        let at = text.find("target: ").unwrap() + 8;
        assert_eq!(build_of_service(text, Some(&parsed), at), ("./app".into(), "Dockerfile.dev".into()));
    }

    #[test]
    fn notes_of_the_rules_at_the_cursor() {
        let d = berth_rules::rules::by_code("DL3008").unwrap().diagnostic(Span::new(5, 20), "pin");
        let (span, md) = rule_notes([d].iter(), 7).unwrap();
        assert_eq!(span, Span::new(5, 20));
        assert!(md.starts_with("**DL3008**") && md.contains("documentation"), "{md}");
        assert!(rule_notes([].iter(), 7).is_none());
    }
}
