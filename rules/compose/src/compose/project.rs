//! The project around a Compose file: its `.env`, the override (or base) file
//! beside it, the files it includes or extends, `env_file`s, and each build's
//! context, Dockerfile and `.dockerignore`.
//!
//! No I/O happens here. The front end calls [`ComposeInputs::gather`] with a
//! function that answers [`Request`]s (a path relative to the Compose file's
//! folder, and whether its text is wanted); [`Project::new`] then reads
//! everything from those answers. Paths are resolved as Compose resolves them:
//! relative to the file that names them (build contexts, `env_file`,
//! `include`, `extends.file`), after interpolation with the `.env` values.
//! Remote contexts and includes (git URLs, `oci://`) and paths whose
//! variables have no value are left alone.
//!
//! Names defined elsewhere in the project (services, networks, volumes,
//! secrets, configs, models of the override or base file, of included files and
//! of later YAML documents of this file) are collected for the reference rules:
//! see [`Project::defines`] and [`Project::names`].

use super::env::{Env, EnvFile};
use super::interpolate;
use super::merge::{Merged, Part};
use super::request::includes;
pub use super::request::{
    Document, Found, MAX_INCLUDE_DEPTH, NAMED_SECTIONS, PathKind, PathUse, Request, Want, join, later_documents,
    normalize, parent, path_uses, resolve,
};
use super::{ComposeFile, Key, Kind, Node, Service};
use crate::text::Span;
use std::collections::{BTreeMap, BTreeSet};

/// Everything the front end read around a Compose file. `Default` is "nothing
/// known": the file is linted alone, and rules that need other files are silent.
#[derive(Debug, Clone, Default)]
pub struct ComposeInputs {
    /// The Compose file's own name (e.g. `compose.yaml`), used to find its
    /// override file (or, for an override, its base file).
    pub file_name: Option<String>,
    /// The answers, by request path.
    pub files: BTreeMap<String, Found>,
    /// Variables that win over `.env`, as the shell environment does for
    /// `docker compose`. Empty by default: berth does not read the process
    /// environment, so that a result does not depend on who runs it.
    pub environment: Vec<(String, String)>,
}

/// How many files [`ComposeInputs::gather`] asks about at most.
pub const MAX_REQUESTS: usize = 512;
/// Base file names, in the order Compose looks for them.
pub const BASE_NAMES: [&str; 4] = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
/// Override file names Compose reads after a base file.
pub const OVERRIDE_NAMES: [&str; 4] =
    ["compose.override.yaml", "compose.override.yml", "docker-compose.override.yml", "docker-compose.override.yaml"];

/// The project's other Compose files next to `file_name`: its override files
/// (for a base file), or the base file (for `compose.override.yaml` and other
/// `compose.<x>.yaml` / `docker-compose.<x>.yml` variants, which are used with
/// `-f` on top of the base file).
pub fn companions(file_name: &str) -> (Role, &'static [&'static str]) {
    if BASE_NAMES.contains(&file_name) {
        return (Role::Override, &OVERRIDE_NAMES);
    }
    let lower = file_name.to_ascii_lowercase();
    let is_yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    if is_yaml && (lower.starts_with("compose.") || lower.starts_with("docker-compose.")) {
        return (Role::Base, &BASE_NAMES);
    }
    (Role::Override, &[])
}

impl ComposeInputs {
    /// Ask `read` about every file the Compose file `text` (named `file_name`)
    /// refers to, following `include`s, and keep the answers.
    pub fn gather(file_name: &str, text: &str, read: &mut dyn FnMut(&Request) -> Found) -> ComposeInputs {
        ComposeInputs::gather_parsed(file_name, ComposeFile::parse(text).ok().as_ref(), read)
    }

    /// [`ComposeInputs::gather`] for a file already read (`None`: its YAML
    /// does not load; only the `.env` and companion files are asked for).
    pub fn gather_parsed(
        file_name: &str,
        file: Option<&ComposeFile>,
        read: &mut dyn FnMut(&Request) -> Found,
    ) -> ComposeInputs {
        let mut g = Gatherer {
            inputs: ComposeInputs { file_name: Some(file_name.to_string()), ..ComposeInputs::default() },
            read,
        };
        if matches!(g.ask(".env", Want::Text), Some(Found::Missing)) {
            for t in env_file_templates(".env") {
                g.ask(&t, Want::Text);
            }
        }
        let (role, names) = companions(file_name);
        for n in names {
            let found = g.ask(n, Want::Text);
            if role == Role::Base && found.is_some_and(|f| f.text().is_some()) {
                break;
            }
        }
        let Some(file) = file else { return g.inputs };
        let env = g.inputs.env();
        g.uses_of(file, ".", &env);
        // Included files, breadth first, each once.
        let mut queue: Vec<(String, String, usize)> = includes(file, ".", &env)
            .into_iter()
            .flat_map(|inc| inc.paths.into_iter().map(move |p| (p, inc.project_dir.clone(), 1)))
            .collect();
        let mut seen = BTreeSet::new();
        while !queue.is_empty() {
            let (path, dir, depth) = queue.remove(0);
            if depth > MAX_INCLUDE_DEPTH || !seen.insert(path.clone()) {
                continue;
            }
            let Some(text) = g.ask(&path, Want::Text).and_then(|f| f.text().map(str::to_string)) else { continue };
            let Ok(inner) = ComposeFile::parse(&text) else { continue };
            for inc in includes(&inner, &dir, &env) {
                for p in inc.paths {
                    queue.push((p, inc.project_dir.clone(), depth + 1));
                }
            }
        }
        // Builds whose context another file of the project sets.
        let wanted: Vec<(String, Want)> = {
            let project = Project::new(file, &g.inputs);
            let mut w = Vec::new();
            for b in project.builds.iter().filter(|b| b.context.as_ref().is_some_and(|c| c.written.is_none())) {
                let Some(ctx) = &b.context else { continue };
                w.push((ctx.path.clone(), Want::Exists));
                if let DockerfileSource::File(d) = &b.dockerfile {
                    w.push((d.path.clone(), Want::Text));
                    w.extend(d.alt.iter().map(|a| (a.clone(), Want::Text)));
                }
                w.extend(b.dockerignore_candidates().into_iter().map(|p| (p, Want::Text)));
            }
            w
        };
        for (p, want) in wanted {
            g.ask(&p, want);
        }
        g.inputs
    }

    /// The answer for a request path, if the front end gave one.
    pub fn found(&self, path: &str) -> Option<&Found> {
        self.files.get(path)
    }

    /// `.env` (when found) with [`ComposeInputs::environment`] on top.
    pub fn env(&self) -> Env {
        let mut env = self.found(".env").and_then(Found::text).map(Env::from_dotenv).unwrap_or_default();
        for (k, v) in &self.environment {
            env.insert(k.clone(), v.clone());
        }
        env
    }
}

/// The committed templates a missing env file is usually made from, beside
/// it: `<file>.example`, `.sample`, `.dist`, `.template`, and for a file named
/// `.env` (or `.<x>`) also `example.env`, `sample.env`, `env.example` and
/// `env.sample`. [`ComposeInputs::gather`] asks about them when the env file
/// (or the project's `.env`) is missing.
pub fn env_file_templates(path: &str) -> Vec<String> {
    let mut out: Vec<String> =
        ["example", "sample", "dist", "template"].iter().map(|s| format!("{path}.{s}")).collect();
    let (dir, name) = match path.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n),
        None => (String::new(), path),
    };
    if let Some(bare) = name.strip_prefix('.').filter(|b| !b.is_empty()) {
        out.extend(["example", "sample"].iter().map(|s| format!("{dir}{s}{name}")));
        out.extend(["example", "sample"].iter().map(|s| format!("{dir}{bare}.{s}")));
    }
    out
}

struct Gatherer<'r> {
    inputs: ComposeInputs,
    read: &'r mut dyn FnMut(&Request) -> Found,
}

impl Gatherer<'_> {
    fn ask(&mut self, path: &str, want: Want) -> Option<&Found> {
        if !self.inputs.files.contains_key(path) {
            if self.inputs.files.len() >= MAX_REQUESTS {
                return None;
            }
            let found = (self.read)(&Request { path: path.to_string(), want });
            self.inputs.files.insert(path.to_string(), found);
        }
        self.inputs.files.get(path)
    }

    fn uses_of(&mut self, file: &ComposeFile, dir: &str, env: &Env) {
        for u in path_uses(file, dir, env) {
            if let Some(p) = &u.path {
                let want = if u.kind == PathKind::Include || u.kind == PathKind::ExtendsFile || u.kind.is_env_file() {
                    Want::Text
                } else {
                    Want::Exists
                };
                let missing = matches!(self.ask(p, want), Some(Found::Missing));
                if missing && u.kind.is_env_file() {
                    for t in env_file_templates(p) {
                        self.ask(&t, Want::Exists);
                    }
                }
            }
        }
        for b in builds_of(file, dir, env) {
            let Some(ctx) = &b.context else { continue };
            if !matches!(self.ask(&ctx.path, Want::Exists), Some(Found::Dir)) {
                continue;
            }
            if let DockerfileSource::File(d) = &b.dockerfile {
                let primary = self.ask(&d.path, Want::Text).cloned();
                if let (Some(Found::Missing), Some(alt)) = (&primary, &d.alt) {
                    self.ask(alt, Want::Text);
                }
            }
            for p in b.dockerignore_candidates() {
                self.ask(&p, Want::Text);
            }
        }
    }
}

/// The role of another Compose file of the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `compose.override.yaml` beside the linted base file.
    Override,
    /// The base file beside the linted override file.
    Base,
    /// Brought in by `include` (directly or through another included file).
    Include,
    /// A later YAML document of the linted file (Compose merges them in order).
    Document,
}

/// Another Compose file (or document) of the project.
#[derive(Debug, Clone)]
pub struct OtherFile {
    pub role: Role,
    /// The request path (for a later document: the linted file's name and `#N`).
    pub path: String,
    /// Its parsed tree; spans are offsets in its own text.
    pub file: ComposeFile,
}

/// Where a build's Dockerfile comes from.
#[derive(Debug, Clone)]
pub enum DockerfileSource<'f> {
    File(DockerfileRef<'f>),
    /// `dockerfile_inline`, interpolated.
    Inline {
        text: String,
        node: &'f Node,
    },
    /// Remote context or a path with unknown variables.
    Unknown,
}

#[derive(Debug, Clone)]
pub struct DockerfileRef<'f> {
    /// Request path of the Dockerfile.
    pub path: String,
    /// Another name the builder accepts when `path` is missing (`dockerfile` for
    /// the default `Dockerfile`).
    pub alt: Option<String>,
    /// The `dockerfile:` entry, when written (else the default `Dockerfile`).
    pub written: Option<(&'f Key, &'f Node)>,
}

/// The build context folder of a build.
#[derive(Debug, Clone)]
pub struct ContextRef<'f> {
    /// Request path of the folder.
    pub path: String,
    /// The node that names it (`build: ./dir` or `context: ./dir`); `None` when
    /// the long syntax leaves it out (the project folder).
    pub written: Option<&'f Node>,
}

/// One `build.args` entry.
#[derive(Debug, Clone)]
pub struct BuildArg {
    pub name: String,
    /// The value after interpolation; `None` when not given (`args: [NAME]`,
    /// `NAME:`: Compose takes it from the environment) or unknown.
    pub value: Option<String>,
    /// Given without a value (taken from the environment).
    pub from_environment: bool,
    /// The key (map form) or the list item.
    pub span: Span,
    pub via: Option<Span>,
}

/// A service's `build`.
#[derive(Debug, Clone)]
pub struct Build<'f> {
    pub service: &'f Service,
    pub key: &'f Key,
    pub node: &'f Node,
    /// `None`: remote (a git URL) or a path with unknown variables.
    pub context: Option<ContextRef<'f>>,
    pub dockerfile: DockerfileSource<'f>,
    /// `target:` and its value (interpolated when known).
    pub target: Option<(&'f Key, &'f Node, Option<String>)>,
    pub args: Vec<BuildArg>,
}

impl Build<'_> {
    /// The `.dockerignore` files BuildKit would consider, in order:
    /// `<Dockerfile>.dockerignore` beside the Dockerfile, then the context's.
    pub fn dockerignore_candidates(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let DockerfileSource::File(d) = &self.dockerfile {
            out.push(format!("{}.dockerignore", d.path));
        }
        if let Some(c) = &self.context {
            out.push(join(&c.path, ".dockerignore"));
        }
        out
    }

    /// Build arguments whose value is known, for evaluating the Dockerfile's ARGs.
    pub fn known_args(&self) -> Vec<(String, String)> {
        self.args.iter().filter_map(|a| Some((a.name.clone(), a.value.clone()?))).collect()
    }
}

/// The project around one Compose file.
pub struct Project<'a> {
    pub file: &'a ComposeFile,
    pub inputs: &'a ComposeInputs,
    /// The `.env` file, when the front end found one.
    pub dotenv: Option<EnvFile>,
    /// Interpolation variables: `.env`, then [`ComposeInputs::environment`].
    pub env: Env,
    /// The override or base file, included files, and later documents.
    pub others: Vec<OtherFile>,
    /// Later YAML documents of this file.
    pub documents: Vec<Document>,
    /// The services' builds.
    pub builds: Vec<Build<'a>>,
    /// Paths written in the file (includes, extends, env files).
    pub paths: Vec<PathUse<'a>>,
    names: BTreeMap<&'static str, BTreeSet<String>>,
    complete: bool,
    /// The files of [`Project::merged`] by [`Node::file`]: 0 is this file
    /// (its later documents included), then [`Project::others`] in order,
    /// then the files `extends.file` names.
    pub merged_files: Vec<String>,
    merged: std::sync::OnceLock<Merged>,
    /// The files `extends.file` names, parsed.
    pub extends_files: Vec<(String, ComposeFile)>,
}

impl<'a> Project<'a> {
    pub fn new(file: &'a ComposeFile, inputs: &'a ComposeInputs) -> Project<'a> {
        let dotenv = inputs.found(".env").and_then(Found::text).map(EnvFile::parse);
        let env = inputs.env();
        let mut others = Vec::new();
        let gathered = inputs.file_name.is_some();
        if let Some(name) = &inputs.file_name {
            let (role, names) = companions(name);
            for n in names {
                if let Some(f) = inputs.found(n).and_then(Found::text).and_then(|t| ComposeFile::parse(t).ok()) {
                    others.push(OtherFile { role, path: n.to_string(), file: f });
                    if role == Role::Base {
                        break;
                    }
                }
            }
        }
        // Included files, recursively, each once.
        let mut complete = gathered;
        let mut queue: Vec<(String, String, usize)> = includes(file, ".", &env)
            .into_iter()
            .flat_map(|inc| {
                if inc.unknown {
                    complete = false;
                }
                inc.paths.into_iter().map(move |p| (p, inc.project_dir.clone(), 1))
            })
            .collect();
        let mut seen = BTreeSet::new();
        while !queue.is_empty() {
            let (path, dir, depth) = queue.remove(0);
            if depth > MAX_INCLUDE_DEPTH || !seen.insert(path.clone()) {
                continue;
            }
            let Some(inner) = inputs.found(&path).and_then(Found::text).and_then(|t| ComposeFile::parse(t).ok()) else {
                complete = false;
                continue;
            };
            for inc in includes(&inner, &dir, &env) {
                complete &= !inc.unknown;
                queue.extend(inc.paths.into_iter().map(|p| (p, inc.project_dir.clone(), depth + 1)));
            }
            others.push(OtherFile { role: Role::Include, path, file: inner });
        }
        let documents = later_documents(&file.text);
        for (n, d) in documents.iter().enumerate() {
            if let Some(text) = file.text.get(d.range.start..d.range.end)
                && let Ok(f) = ComposeFile::parse(text)
            {
                let path = format!("{}#{}", inputs.file_name.as_deref().unwrap_or("-"), n + 2);
                others.push(OtherFile { role: Role::Document, path, file: f });
            }
        }
        let mut names: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
        for o in &others {
            for section in NAMED_SECTIONS {
                if let Some(s) = o.file.resolved.get(section) {
                    names.entry(section).or_default().extend(s.entries().iter().map(|(k, _)| k.text.clone()));
                }
            }
        }
        let mut builds = builds_of(file, ".", &env);
        let paths = path_uses(file, ".", &env);
        // The merged model, built when first asked for.
        let self_name = inputs.file_name.clone().unwrap_or_else(|| "-".to_string());
        let mut merged_files = vec![self_name];
        merged_files.extend(others.iter().map(|o| o.path.clone()));
        let mut extends_files: Vec<(String, ComposeFile)> = Vec::new();
        for u in paths.iter().filter(|u| u.kind == PathKind::ExtendsFile) {
            let Some(p) = &u.path else { continue };
            if extends_files.iter().any(|(q, _)| q == p) {
                continue;
            }
            if let Some(f) = inputs.found(p).and_then(Found::text).and_then(|t| ComposeFile::parse(t).ok()) {
                extends_files.push((p.clone(), f));
            }
        }
        merged_files.extend(extends_files.iter().map(|(p, _)| p.clone()));
        let mut project = Project {
            file,
            inputs,
            dotenv,
            env,
            others,
            documents,
            builds: Vec::new(),
            paths,
            names,
            complete,
            merged_files,
            merged: std::sync::OnceLock::new(),
            extends_files,
        };
        let partner = project.others.iter().any(|o| matches!(o.role, Role::Base | Role::Override));
        if partner && builds.iter().any(|b| b.context.as_ref().is_some_and(|c| c.written.is_none())) {
            complete_builds(&mut builds, project.merged(), &project.env);
        }
        project.builds = builds;
        project
    }

    /// The project merged as Compose merges it (see [`super::merge`]): the
    /// base file (for an official override file, or for a `compose.<x>.yaml`
    /// that is a fragment), this file and its later documents, the override
    /// file, with included files as the base and `extends` applied. Built
    /// once, when first asked for.
    pub fn merged(&self) -> &Merged {
        self.merged.get_or_init(|| self.build_merged())
    }

    /// The services of the merged project ([`Project::merged`]); this file's
    /// own services when it is the whole project (nothing to merge).
    pub fn services(&self) -> &[Service] {
        let alone = self.merged_files.len() == 1
            && self.documents.is_empty()
            && !self.file.services.iter().any(|s| s.node.get("extends").is_some())
            && !self.file.text.contains("!reset")
            && !self.file.text.contains("!override");
        if alone { &self.file.services } else { &self.merged().services }
    }

    /// Whether the merged project has files besides this one.
    pub fn has_other_files(&self) -> bool {
        self.merged_files.len() > 1
    }

    fn build_merged(&self) -> Merged {
        let file = self.file;
        let official_override = self.inputs.file_name.as_deref().is_some_and(|n| OVERRIDE_NAMES.contains(&n));
        let id = |i: usize| (i + 1) as u16;
        let doc_offsets: Vec<usize> =
            self.documents.iter().filter(|d| d.error.is_none()).map(|d| d.range.start).collect();
        let mut doc_n = 0;
        let mut own = vec![Part { id: 0, file, offset: 0 }];
        let mut before = Vec::new();
        let mut after = Vec::new();
        let mut includes = Vec::new();
        let mut override_taken = false;
        for (i, o) in self.others.iter().enumerate() {
            match o.role {
                // A `compose.<x>.yaml` variant is merged over the base file
                // when it is a fragment; a complete file is more often used
                // alone (`-f compose.prod.yaml`).
                Role::Base if official_override || is_fragment(file) => {
                    before.push(Part { id: id(i), file: &o.file, offset: 0 })
                }
                Role::Base => {}
                Role::Override if !override_taken => {
                    override_taken = true;
                    after.push(Part { id: id(i), file: &o.file, offset: 0 });
                }
                Role::Override => {}
                Role::Include => includes.push(Part { id: id(i), file: &o.file, offset: 0 }),
                Role::Document => {
                    let offset = doc_offsets.get(doc_n).copied().unwrap_or(0);
                    doc_n += 1;
                    own.push(Part { id: 0, file: &o.file, offset });
                }
            }
        }
        let parts: Vec<Part<'_>> = before.into_iter().chain(own).chain(after).collect();
        let first_extends = 1 + self.others.len();
        let ext: Vec<(String, Part<'_>)> = self
            .extends_files
            .iter()
            .enumerate()
            .map(|(i, (p, f))| (p.clone(), Part { id: (first_extends + i) as u16, file: f, offset: 0 }))
            .collect();
        Merged::build(&includes, &parts, &ext, &self.env)
    }

    /// The profiles of a service of the merged model.
    pub fn profiles(&self, service: &Node) -> Vec<String> {
        super::profiles::of(service, &self.env)
    }

    /// `` `compose.yaml` line 12 `` for a node of another file of the merged
    /// model (lines counted from 1), for messages about a value written there.
    pub fn where_written(&self, node: &Node) -> String {
        let i = node.file as usize;
        let name = self.merged_files.get(i).map_or("-", String::as_str);
        let lines = match i {
            0 => &self.file.lines,
            i if i <= self.others.len() => &self.others[i - 1].file.lines,
            i => match self.extends_files.get(i - 1 - self.others.len()) {
                Some((_, f)) => &f.lines,
                None => &self.file.lines,
            },
        };
        format!("`{name}` line {}", lines.line_of(node.span.start) + 1)
    }

    /// Whether the front end gathered the project's files (`false` when the file
    /// is linted alone, e.g. from standard input).
    pub fn gathered(&self) -> bool {
        self.inputs.file_name.is_some()
    }

    /// Whether every file that can define names for this one was read: the
    /// project was gathered and each `include` was found and parsed.
    pub fn complete(&self) -> bool {
        self.complete
    }

    /// Whether another file of the project (override or base file, included
    /// files, later documents) defines `name` in `section` (`services`,
    /// `networks`, `volumes`, `secrets`, `configs`, `models`).
    pub fn defines(&self, section: &str, name: &str) -> bool {
        self.names.get(section).is_some_and(|s| s.contains(name))
    }

    /// The names `section` has in the project's other files.
    pub fn names(&self, section: &str) -> impl Iterator<Item = &str> {
        self.names.get(section).into_iter().flatten().map(String::as_str)
    }

    /// The answer for a request path.
    pub fn found(&self, path: &str) -> Option<&Found> {
        self.inputs.found(path)
    }

    /// The text of a build's Dockerfile, when known.
    pub fn dockerfile_text<'s>(&'s self, b: &'s Build<'_>) -> Option<&'s str> {
        match &b.dockerfile {
            DockerfileSource::Inline { text, .. } => Some(text),
            DockerfileSource::File(d) => self
                .found(&d.path)
                .and_then(Found::text)
                .or_else(|| d.alt.as_deref().and_then(|a| self.found(a)).and_then(Found::text)),
            DockerfileSource::Unknown => None,
        }
    }

    /// The `.dockerignore` that applies to a build, when known.
    pub fn dockerignore_text(&self, b: &Build<'_>) -> Option<&str> {
        b.dockerignore_candidates().iter().find_map(|p| self.found(p).and_then(Found::text))
    }
}

/// True when the file looks like an override fragment: no services, or a
/// service with neither `image`, `build` nor `extends` (which Compose refuses
/// in a file of its own).
pub fn is_fragment(file: &ComposeFile) -> bool {
    file.services.is_empty()
        || file.services.iter().any(|s| ["image", "build", "extends"].iter().all(|k| s.node.get(k).is_none()))
}

/// Builds of this file that leave their context (or Dockerfile) to another
/// file of the project (an override that only sets `build.target`): their
/// context and Dockerfile are those of the merged model.
fn complete_builds(builds: &mut [Build<'_>], merged: &Merged, env: &Env) {
    for b in builds.iter_mut() {
        if b.context.as_ref().is_some_and(|c| c.written.is_some()) {
            continue;
        }
        let Some(mb) = merged.service(&b.service.name).and_then(|s| s.node.get("build")) else { continue };
        let ctx_node = match &mb.kind {
            Kind::Scalar { .. } => Some(mb),
            _ => mb.get("context"),
        };
        let Some(ctx_node) = ctx_node.filter(|n| n.file != 0) else { continue };
        let Some(path) = ctx_node.str().and_then(|w| resolve(".", w, env)) else {
            b.context = None;
            b.dockerfile = DockerfileSource::Unknown;
            continue;
        };
        b.context = Some(ContextRef { path: path.clone(), written: None });
        if let DockerfileSource::File(d) = &mut b.dockerfile {
            match (d.written, mb.get("dockerfile").filter(|n| n.file != 0)) {
                (Some((_, v)), _) => {
                    if let Some(w) = v.str().and_then(|w| interpolate::interpolate(w, env)) {
                        d.path = join(&path, w.trim());
                    }
                }
                (None, Some(other)) => match other.str().and_then(|w| interpolate::interpolate(w, env)) {
                    Some(w) => {
                        d.path = join(&path, w.trim());
                        d.alt = None;
                    }
                    None => b.dockerfile = DockerfileSource::Unknown,
                },
                (None, None) => {
                    d.path = join(&path, "Dockerfile");
                    d.alt = Some(join(&path, "dockerfile"));
                }
            }
        }
    }
}

/// The services' builds, with paths resolved against `dir`.
pub fn builds_of<'f>(file: &'f ComposeFile, dir: &str, env: &Env) -> Vec<Build<'f>> {
    let mut out = Vec::new();
    for s in &file.services {
        let Some((key, node)) = s.node.entry("build") else { continue };
        let (context_written, map) = match &node.kind {
            Kind::Scalar { .. } => (Some(node), None),
            Kind::Map(_) => (node.get("context"), Some(node)),
            _ => continue,
        };
        let context = match context_written {
            Some(n) => n.str().and_then(|w| resolve(dir, w, env)).map(|path| ContextRef { path, written: Some(n) }),
            None => Some(ContextRef { path: normalize(dir), written: None }),
        };
        let inline = map.and_then(|m| m.get("dockerfile_inline"));
        let dockerfile = match (inline, &context) {
            (Some(n), _) => match n.str().and_then(|t| interpolate::interpolate(t, env)) {
                Some(text) => DockerfileSource::Inline { text, node: n },
                None => DockerfileSource::Unknown,
            },
            (None, Some(ctx)) => match map.and_then(|m| m.entry("dockerfile")) {
                Some((k, v)) => match v.str().and_then(|w| interpolate::interpolate(w, env)) {
                    Some(w) if !w.trim().is_empty() => DockerfileSource::File(DockerfileRef {
                        path: join(&ctx.path, w.trim()),
                        alt: None,
                        written: Some((k, v)),
                    }),
                    _ => DockerfileSource::Unknown,
                },
                None => DockerfileSource::File(DockerfileRef {
                    path: join(&ctx.path, "Dockerfile"),
                    alt: Some(join(&ctx.path, "dockerfile")),
                    written: None,
                }),
            },
            (None, None) => DockerfileSource::Unknown,
        };
        let target = map
            .and_then(|m| m.entry("target"))
            .map(|(k, v)| (k, v, v.str().and_then(|t| interpolate::interpolate(t, env))));
        let mut args = Vec::new();
        if let Some(a) = map.and_then(|m| m.get("args")) {
            match &a.kind {
                Kind::Map(entries) => {
                    for (k, v) in entries {
                        let from_environment = v.is_null();
                        let value = if from_environment {
                            None
                        } else {
                            v.str().and_then(|t| interpolate::interpolate(t, env))
                        };
                        args.push(BuildArg {
                            name: k.text.clone(),
                            value,
                            from_environment,
                            span: k.span,
                            via: v.via.or(k.via),
                        });
                    }
                }
                Kind::Seq(items) => {
                    for item in items {
                        let Some(t) = item.str() else { continue };
                        let (name, value) = match t.split_once('=') {
                            Some((n, v)) => (n, Some(v)),
                            None => (t, None),
                        };
                        args.push(BuildArg {
                            name: name.trim().to_string(),
                            value: value.and_then(|v| interpolate::interpolate(v, env)),
                            from_environment: value.is_none(),
                            span: item.span,
                            via: item.via,
                        });
                    }
                }
                _ => {}
            }
        }
        out.push(Build { service: s, key, node, context, dockerfile, target, args });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(join(".", "./api"), "api");
        assert_eq!(join("sub", "../x/./y"), "x/y");
        assert_eq!(join(".", "../up"), "../up");
        assert_eq!(join("a", "/abs//p"), "/abs/p");
        assert_eq!(join("a", "."), "a");
        assert_eq!(join(".", "."), ".");
        assert_eq!(join("a\\b", "..\\c"), "a/c");
        assert_eq!(parent("a/b/compose.yaml"), "a/b");
        assert_eq!(parent("compose.yaml"), ".");
        let env: Env = [("DIR", "svc")].into_iter().collect();
        assert_eq!(resolve(".", "./${DIR}", &env).as_deref(), Some("svc"));
        assert_eq!(resolve(".", "${NOPE}/x", &env), None);
        assert_eq!(resolve(".", "${NOPE:-app}", &env).as_deref(), Some("app"));
        assert_eq!(resolve(".", "https://github.com/a/b.git#main", &env), None);
        assert_eq!(resolve(".", "git@github.com:a/b.git", &env), None);
        assert_eq!(resolve(".", "oci://docker.io/x/y", &env), None);
    }

    #[test]
    fn companions_by_name() {
        assert_eq!(companions("compose.yaml").0, Role::Override);
        assert_eq!(companions("compose.override.yml").0, Role::Base);
        assert_eq!(companions("docker-compose.prod.yml").0, Role::Base);
        assert!(companions("stack.yml").1.is_empty());
    }

    fn fake(files: &[(&str, Option<&str>)]) -> impl FnMut(&Request) -> Found {
        let files: Vec<(String, Option<String>)> =
            files.iter().map(|(p, t)| (p.to_string(), t.map(str::to_string))).collect();
        move |r: &Request| {
            if let Some((_, t)) = files.iter().find(|(p, _)| *p == r.path) {
                return match t {
                    Some(t) => Found::File((r.want == Want::Text).then(|| t.clone())),
                    None => Found::Dir,
                };
            }
            Found::Missing
        }
    }

    #[test]
    fn gathers_and_reads_the_project() {
        let main = "include:\n  - inc/compose.yaml\n  - path: [x.yaml]\n    env_file: inc.env\nservices:\n  web:\n    build:\n      context: ${CTX:-app}\n      dockerfile: Dockerfile.dev\n      args:\n        A: ${TAG}\n        B:\n      target: prod\n    env_file:\n      - path: opt.env\n        required: false\n      - web.env\n    extends:\n      file: common.yaml\n      service: base\n  api:\n    build: ./api\n---\nservices:\n  later: {}\n";
        let mut read = fake(&[
            (".env", Some("TAG=1.0\n")),
            ("compose.override.yaml", Some("services:\n  extra: {}\nnetworks:\n  front: {}\n")),
            ("inc/compose.yaml", Some("include: [../deep.yaml]\nservices:\n  included: {}\n")),
            ("deep.yaml", Some("volumes:\n  data: {}\n")),
            ("app", None),
            ("app/Dockerfile.dev", Some("FROM alpine\n")),
            ("app/.dockerignore", Some("*.md\n")),
            ("api", None),
            ("api/dockerfile", Some("FROM b\n")),
            ("web.env", Some("A=1\n")),
            ("common.yaml", Some("services:\n  base: {}\n")),
        ]);
        let inputs = ComposeInputs::gather("compose.yaml", main, &mut read);
        assert!(inputs.found("deep.yaml").is_some(), "nested includes are followed: {:?}", inputs.files.keys());
        assert_eq!(inputs.found("x.yaml"), Some(&Found::Missing));
        assert_eq!(inputs.found("api/Dockerfile"), Some(&Found::Missing));
        assert!(inputs.found("api/dockerfile").is_some_and(|f| f.text().is_some()));
        let file = ComposeFile::parse(main).unwrap();
        let p = Project::new(&file, &inputs);
        assert_eq!(p.env.get("TAG"), Some("1.0"));
        assert!(p.defines("services", "extra"));
        assert!(p.defines("networks", "front"));
        assert!(p.defines("services", "included"));
        assert!(p.defines("volumes", "data"));
        assert!(p.defines("services", "later"), "later documents count");
        assert!(!p.defines("services", "web"));
        assert!(!p.complete(), "x.yaml is missing");
        assert_eq!(p.documents.len(), 1);
        assert_eq!(&main[p.documents[0].marker.start..p.documents[0].marker.end], "---");
        let web = &p.builds[0];
        assert_eq!(web.context.as_ref().unwrap().path, "app");
        assert_eq!(p.dockerfile_text(web), Some("FROM alpine\n"));
        assert_eq!(p.dockerignore_text(web), Some("*.md\n"));
        assert_eq!(web.known_args(), [("A".to_string(), "1.0".to_string())]);
        assert!(web.args[1].from_environment);
        assert_eq!(web.target.as_ref().unwrap().2.as_deref(), Some("prod"));
        assert_eq!(p.dockerfile_text(&p.builds[1]), Some("FROM b\n"));
        let kinds: Vec<_> = p.paths.iter().map(|u| (u.kind, u.path.clone())).collect();
        assert!(kinds.contains(&(PathKind::EnvFile { required: false, raw: false }, Some("opt.env".into()))));
        assert!(kinds.contains(&(PathKind::IncludeEnvFile, Some("inc.env".into()))));
        assert!(kinds.contains(&(PathKind::ExtendsFile, Some("common.yaml".into()))));
    }

    #[test]
    fn alone_nothing_is_known() {
        let file = ComposeFile::parse("include: [a.yaml]\nservices:\n  a:\n    build: .\n").unwrap();
        let inputs = ComposeInputs::default();
        let p = Project::new(&file, &inputs);
        assert!(!p.gathered() && !p.complete());
        assert_eq!(p.dockerfile_text(&p.builds[0]), None);
        assert!(p.others.is_empty());
    }

    #[test]
    fn documents() {
        assert!(later_documents("services: {}\n").is_empty());
        assert!(later_documents("---\nservices: {}\n").is_empty());
        assert!(later_documents("# c\n---\nservices: {}\n---\n# nothing\n...\n").is_empty());
        let d = later_documents("a: 1\n--- \nb: 2\n---\nc: [\n");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].marker, Span::new(5, 8));
        assert!(d[0].error.is_none() && d[1].error.is_some());
        assert!(later_documents("a: |\n  ----\n  x\n").is_empty());
    }
}
