//! "Lint this file in its context": the one place that assembles what a lint
//! of a Dockerfile or a Compose file knows besides its text. A Compose file is
//! linted with its project (`.env`, override or base file, included and
//! extended files, env files, build contexts, the Dockerfiles its services
//! build and their `.dockerignore`); a Dockerfile with the `build.args` of
//! every Compose service that builds it, and the `.dockerignore` of that
//! build (else of its own folder). `berth check`, `berth fix`, the language
//! server and the AI path all come here; the files come from a [`Files`]:
//! open editor documents first, then the disk.

use crate::discover::{self, FileKind};
use crate::files::Files;
use crate::io::dockerignore_for;
use berth_rules::compose::ComposeFile;
use berth_rules::compose::project::{ComposeInputs, DockerfileSource, Project};
use berth_rules::engine::{self, Diagnostic, Inputs, LintResult, SYNTAX_ERROR, Selection};
use berth_rules::shell::ScriptCache;
use berth_rules::text::Span;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What is known around a file besides `Inputs`.
pub enum Around<'a> {
    Nothing,
    /// A Compose file in this folder, under this name: read its project.
    ComposeIn {
        dir: &'a Path,
        name: &'a str,
    },
    /// A Dockerfile built by Compose services, with each one's `build.args`
    /// (findings of every build are reported, each once).
    BuildArgs(&'a [Vec<(String, String)>]),
}

impl<'a> Around<'a> {
    /// A Compose file at `path`: its folder and name.
    pub fn compose_at(path: &'a Path) -> Around<'a> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("compose.yaml");
        Around::ComposeIn { dir, name }
    }
}

/// A file linted in its context.
pub struct Linted {
    /// The text linted (invalid UTF-8 replaced by U+FFFD).
    pub text: String,
    /// berth's own findings, sorted; no severity overrides applied.
    pub diagnostics: Vec<Diagnostic>,
    /// For a Compose file: how its services build the Dockerfiles they name.
    pub uses: Vec<BuildUse>,
}

/// Lint one file's bytes as a Dockerfile or a Compose file, alone.
pub fn lint_bytes_as(kind: FileKind, bytes: &[u8], selection: &Selection, inputs: &Inputs) -> Linted {
    lint_bytes_around(&Files::disk(), kind, bytes, selection, inputs, &Around::Nothing)
}

/// [`lint_bytes_as`] with the files around it. For a Compose file it also
/// returns how its services build the Dockerfiles they name.
pub fn lint_bytes_around(
    files: &Files,
    kind: FileKind,
    bytes: &[u8],
    selection: &Selection,
    inputs: &Inputs,
    around: &Around<'_>,
) -> Linted {
    let (text, bad_utf8) = engine::decode(bytes);
    let (mut diagnostics, uses) = match kind {
        FileKind::Compose => {
            let (r, uses) = lint_compose(files, &text, selection, &inputs.settings, around);
            (r.diagnostics, uses)
        }
        FileKind::Dockerfile => {
            let sets = match around {
                Around::BuildArgs(sets) => *sets,
                _ => &[],
            };
            (lint_dockerfile(Arc::from(text.as_str()), selection, inputs, sets, None).diagnostics, Vec::new())
        }
    };
    if let Some(at) = bad_utf8 {
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        let syntax = if kind == FileKind::Compose { &engine::YAML_SYNTAX_ERROR } else { &SYNTAX_ERROR };
        diagnostics.insert(
            0,
            syntax.diagnostic(Span::new(at, end), "the file is not valid UTF-8 here; berth read the bytes as U+FFFD"),
        );
    }
    Linted { text, diagnostics, uses }
}

/// A Compose file's text with its project when `around` places it in a folder.
pub fn lint_compose(
    files: &Files,
    text: &str,
    selection: &Selection,
    settings: &engine::Settings,
    around: &Around<'_>,
) -> (engine::ComposeLintResult, Vec<BuildUse>) {
    match around {
        Around::ComposeIn { dir, name } => {
            // The YAML is read once: for the project's files, then for the rules.
            let loaded = ComposeFile::load(text);
            let project = discover::compose_inputs_of(&dir.join(name), loaded.as_ref().ok(), files);
            let r = engine::lint_compose_loaded(text, loaded, selection, &project, settings);
            let uses = r.file.as_ref().map(|f| build_uses(dir, f, &project)).unwrap_or_default();
            (r, uses)
        }
        _ => (engine::lint_compose_with_settings(text, selection, &ComposeInputs::default(), settings), Vec::new()),
    }
}

/// A Dockerfile's text as built with each of `arg_sets` (none: as written).
/// Findings of every build are reported, each once. `scripts`: the RUN
/// scripts of the previous version (an editor's successive lints).
pub fn lint_dockerfile(
    text: Arc<str>,
    selection: &Selection,
    inputs: &Inputs,
    arg_sets: &[Vec<(String, String)>],
    scripts: Option<&mut ScriptCache>,
) -> LintResult {
    if arg_sets.is_empty() {
        return match scripts {
            Some(cache) => engine::lint_with_cache(text, selection, inputs, cache),
            None => engine::lint_with(&text, selection, inputs),
        };
    }
    let file = berth_rules::syntax::Dockerfile::parse_shared(text);
    let mut all: Vec<Diagnostic> = Vec::new();
    for args in arg_sets {
        for d in engine::lint_parsed_with_args(&file, selection, inputs, args) {
            if !all.iter().any(|x| x.code == d.code && x.span == d.span && x.message == d.message) {
                all.push(d);
            }
        }
    }
    all.sort_by(|a, b| (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code)));
    LintResult { file, diagnostics: all }
}

/// How a Compose service builds a Dockerfile that berth can read.
#[derive(Debug, Clone)]
pub struct BuildUse {
    /// The Dockerfile, canonical.
    pub dockerfile: PathBuf,
    /// The `build.args` with known values.
    pub args: Vec<(String, String)>,
    /// The `.dockerignore` of the build.
    pub dockerignore: Option<String>,
    /// The platforms the service builds for: `build.platforms`, else its
    /// `platform:` (plain values only).
    pub platforms: Vec<String>,
}

/// The builds of a parsed Compose file in `dir` whose Dockerfile exists.
pub fn build_uses(dir: &Path, file: &ComposeFile, inputs: &ComposeInputs) -> Vec<BuildUse> {
    let project = Project::new(file, inputs);
    let mut out = Vec::new();
    for b in &project.builds {
        let DockerfileSource::File(d) = &b.dockerfile else { continue };
        let found = [Some(&d.path), d.alt.as_ref()]
            .into_iter()
            .flatten()
            .find(|p| project.found(p).is_some_and(|f| f.text().is_some()));
        let Some(dockerfile) = found.and_then(|p| canonical(&dir.join(p))) else { continue };
        out.push(BuildUse {
            dockerfile,
            args: b.known_args(),
            dockerignore: project.dockerignore_text(b).map(str::to_string),
            platforms: build_platforms(b),
        });
    }
    out
}

/// `build.platforms`, else the service's `platform:`, without values that
/// need interpolation.
fn build_platforms(b: &berth_rules::compose::project::Build<'_>) -> Vec<String> {
    let plain = |n: &berth_rules::compose::Node| n.str().filter(|v| !v.contains('$')).map(str::to_string);
    let listed: Vec<String> =
        b.node.get("platforms").map(|l| l.items().iter().filter_map(plain).collect()).unwrap_or_default();
    if !listed.is_empty() {
        return listed;
    }
    b.service.node.get("platform").and_then(plain).into_iter().collect()
}

/// The canonical path, or for a file open but not on disk its normalised path
/// under its folder's canonical path.
fn canonical(path: &Path) -> Option<PathBuf> {
    path.canonicalize().ok().or_else(|| {
        let parent = path.parent()?.canonicalize().ok()?;
        Some(parent.join(path.file_name()?))
    })
}

/// How many different `build.args` sets one Dockerfile is linted with.
pub const MAX_ARG_SETS: usize = 4;

/// How Compose services build one Dockerfile: the distinct `build.args` sets
/// (at most [`MAX_ARG_SETS`]) and the first build's `.dockerignore`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Builds {
    pub arg_sets: Vec<Vec<(String, String)>>,
    pub dockerignore: Option<String>,
    /// Every platform a service builds it for (the platform rules' targets
    /// when the configuration names none).
    pub platforms: Vec<String>,
}

/// Dockerfile (canonical) -> how Compose services build it.
#[derive(Debug, Clone, Default)]
pub struct BuildMap(HashMap<PathBuf, Builds>);

impl BuildMap {
    /// The builds of these Compose files' services, in order.
    pub fn collect<'u>(uses: impl IntoIterator<Item = &'u BuildUse>) -> BuildMap {
        let mut map = BuildMap::default();
        for u in uses {
            map.add(u);
        }
        map
    }

    pub fn add(&mut self, u: &BuildUse) {
        let entry = self.0.entry(u.dockerfile.clone()).or_default();
        if entry.arg_sets.len() < MAX_ARG_SETS && !entry.arg_sets.contains(&u.args) {
            entry.arg_sets.push(u.args.clone());
        }
        if entry.dockerignore.is_none() {
            entry.dockerignore.clone_from(&u.dockerignore);
        }
        for p in &u.platforms {
            if !entry.platforms.contains(p) {
                entry.platforms.push(p.clone());
            }
        }
    }

    /// How the Dockerfile at `path` is built, if a Compose service builds it.
    pub fn get(&self, path: &Path) -> Option<&Builds> {
        if self.0.is_empty() {
            return None;
        }
        self.0.get(&canonical(path)?)
    }
}

/// The `Inputs` of a Dockerfile at `path`: the `.dockerignore` of the build
/// that uses it, else of its folder; the platforms its services build for
/// when the settings name none.
pub fn dockerfile_inputs(
    path: Option<&Path>,
    built: Option<&Builds>,
    mut settings: engine::Settings,
    files: &Files,
) -> Inputs {
    if settings.platforms.is_empty()
        && let Some(b) = built
    {
        settings.platforms.clone_from(&b.platforms);
    }
    Inputs {
        dockerignore: built
            .and_then(|b| b.dockerignore.clone())
            .or_else(|| path.and_then(|p| dockerignore_for(p, files))),
        settings,
    }
}

/// The Compose files that may build the Dockerfile at `dockerfile`, as
/// `berth check` on `root` finds them: those in its folder and each parent
/// folder up to `root` (only its own folder when it is not under `root`),
/// on disk or open, sorted.
pub fn compose_files_near(dockerfile: &Path, root: Option<&Path>, files: &Files) -> Vec<PathBuf> {
    let Some(dir) = dockerfile.parent() else { return Vec::new() };
    let dirs: Vec<&Path> = match root {
        Some(r) if dir.starts_with(r) => dir.ancestors().take_while(|d| d.starts_with(r)).collect(),
        _ => vec![dir],
    };
    let mut out: Vec<PathBuf> = Vec::new();
    for d in dirs {
        if let Ok(entries) = std::fs::read_dir(d) {
            for e in entries.flatten() {
                let p = e.path();
                if discover::kind_of(&p) == Some(FileKind::Compose) && e.file_type().is_ok_and(|t| t.is_file()) {
                    out.push(p);
                }
            }
        }
        for p in files.open_paths() {
            if p.parent() == Some(d) && discover::kind_of(p) == Some(FileKind::Compose) && !out.iter().any(|o| o == p) {
                out.push(p.to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// How the Compose files `compose` build the Dockerfile at `dockerfile`
/// (their texts from `files`; each Compose file's builds are kept in `cache`
/// while its text is the same).
pub fn builds_of(dockerfile: &Path, compose: &[PathBuf], files: &Files, cache: Option<&BuildsCache>) -> Option<Builds> {
    let target = canonical(dockerfile)?;
    let mut map = BuildMap::default();
    for c in compose {
        let Some(text) = files.read_to_string(c) else { continue };
        let uses = match cache {
            Some(cache) => cache.get_or_insert(c, &text, || compose_build_uses(c, &text, files)),
            None => Arc::new(compose_build_uses(c, &text, files)),
        };
        for u in uses.iter().filter(|u| u.dockerfile == target) {
            map.add(u);
        }
    }
    map.0.remove(&target)
}

/// The builds of the Compose file at `path` with this text.
fn compose_build_uses(path: &Path, text: &str, files: &Files) -> Vec<BuildUse> {
    let Ok(file) = ComposeFile::parse(text) else { return Vec::new() };
    let Around::ComposeIn { dir, .. } = Around::compose_at(path) else { return Vec::new() };
    let inputs = discover::compose_inputs(path, text, files);
    build_uses(dir, &file, &inputs)
}

/// The builds of Compose files, by path and text, for an editor that lints a
/// Dockerfile on every keystroke: its Compose files are not read again while
/// their text is the same. Clear it when files change on disk or documents
/// open or close (the builds read `.env`, contexts and `.dockerignore`).
#[derive(Debug, Default)]
pub struct BuildsCache {
    map: std::sync::Mutex<CachedBuilds>,
}

/// Compose file -> (hash of its text, its builds).
type CachedBuilds = HashMap<PathBuf, (u64, Arc<Vec<BuildUse>>)>;

impl BuildsCache {
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CachedBuilds> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get_or_insert(&self, path: &Path, text: &str, make: impl FnOnce() -> Vec<BuildUse>) -> Arc<Vec<BuildUse>> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        let key = h.finish();
        if let Some((k, uses)) = self.lock().get(path)
            && *k == key
        {
            return uses.clone();
        }
        let uses = Arc::new(make());
        self.lock().insert(path.to_path_buf(), (key, uses.clone()));
        uses
    }
}

/// A document linted in its context ([`Context::lint`]).
pub struct DocumentLint {
    pub diagnostics: Vec<Diagnostic>,
    /// The parsed Dockerfile, for a Dockerfile.
    pub dockerfile: Option<Arc<berth_rules::syntax::Dockerfile>>,
    /// The parsed Compose file, for a Compose file that loads.
    pub compose: Option<ComposeFile>,
}

/// Where a text is linted: the files around it (open documents over the
/// disk), the file it is (`path`), and the folder `berth check` would be run
/// on (`root`: Compose files up to it may build a Dockerfile).
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub files: Files,
    pub path: Option<PathBuf>,
    pub root: Option<PathBuf>,
    /// An editor's cache of Compose files' builds.
    pub builds: Option<Arc<BuildsCache>>,
}

impl Context {
    /// A text with no file around it (standard input, an unsaved buffer).
    pub fn alone() -> Context {
        Context::default()
    }

    /// The file at `path` on disk.
    pub fn on_disk(path: &Path) -> Context {
        Context { files: Files::disk(), path: Some(path.to_path_buf()), root: None, builds: None }
    }

    /// Lint an open document (or a file's text) in this context, as `berth
    /// check` on `root` lints the saved file: a Compose file with its project,
    /// a Dockerfile with the builds of the Compose files near it. Findings are
    /// sorted; no severity overrides applied.
    pub fn lint(
        &self,
        kind: FileKind,
        text: Arc<str>,
        selection: &Selection,
        settings: engine::Settings,
        scripts: Option<&mut ScriptCache>,
    ) -> DocumentLint {
        match kind {
            FileKind::Compose => {
                let around = match self.path.as_deref() {
                    Some(p) => Around::compose_at(p),
                    None => Around::Nothing,
                };
                let (r, _) = lint_compose(&self.files, &text, selection, &settings, &around);
                DocumentLint { diagnostics: r.diagnostics, dockerfile: None, compose: r.file }
            }
            FileKind::Dockerfile => {
                let (inputs, built) = self.dockerfile_inputs(settings);
                let sets = built.as_ref().map_or(&[][..], |b| &b.arg_sets[..]);
                let r = lint_dockerfile(text, selection, &inputs, sets, scripts);
                DocumentLint { diagnostics: r.diagnostics, dockerfile: Some(Arc::new(r.file)), compose: None }
            }
        }
    }

    /// A Dockerfile's inputs in this context: the builds that Compose files
    /// near it (up to the workspace root) make of it, and its `.dockerignore`.
    fn dockerfile_inputs(&self, settings: engine::Settings) -> (engine::Inputs, Option<Builds>) {
        let path = self.path.as_deref();
        let near = |p: &Path| compose_files_near(p, self.root.as_deref(), &self.files);
        let built = path.and_then(|p| builds_of(p, &near(p), &self.files, self.builds.as_deref()));
        let inputs = dockerfile_inputs(path, built.as_ref(), settings, &self.files);
        (inputs, built)
    }

    /// Apply fixes up to `max_safety` until nothing changes, each pass linted
    /// in this context (so a fix is judged as `berth check` judges the file).
    pub fn fix_all(
        &self,
        kind: FileKind,
        text: &str,
        selection: &Selection,
        max_safety: engine::Safety,
        settings: engine::Settings,
    ) -> engine::FixResult {
        match kind {
            FileKind::Compose => engine::fix::repeat(
                text,
                max_safety,
                |t| {
                    let r = self.lint(kind, Arc::from(t), selection, settings.clone(), None);
                    (r.diagnostics, r.compose.is_some())
                },
                |parsed, next| *parsed && ComposeFile::parse(next).is_err(),
            ),
            FileKind::Dockerfile => {
                let (inputs, built) = self.dockerfile_inputs(settings);
                let sets = built.as_ref().map_or(&[][..], |b| &b.arg_sets[..]);
                engine::fix::repeat(
                    text,
                    max_safety,
                    |t| {
                        let r = lint_dockerfile(Arc::from(t), selection, &inputs, sets, None);
                        (r.diagnostics, r.file.errors.len())
                    },
                    |errors, next| berth_rules::syntax::Dockerfile::parse(next).errors.len() > *errors,
                )
            }
        }
    }
}

impl DocumentLint {
    /// Syntax errors of a Dockerfile; 1 when a Compose file does not load.
    pub fn syntax_errors(&self) -> usize {
        match &self.dockerfile {
            Some(f) => f.errors.len(),
            None => usize::from(self.compose.is_none()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
        d.iter().map(|d| d.code).collect()
    }

    /// A Compose file one folder up builds the Dockerfile with `TAG=latest`.
    fn project() -> PathBuf {
        let dir = crate::tests::temp_dir("lint");
        std::fs::create_dir_all(dir.join("app")).unwrap();
        std::fs::write(
            dir.join("compose.yaml"),
            "services:\n  app:\n    build:\n      context: ./app\n      args:\n        TAG: latest\n",
        )
        .unwrap();
        std::fs::write(dir.join("app/Dockerfile"), "ARG TAG=1.0\nFROM alpine:${TAG}\n").unwrap();
        dir
    }

    #[test]
    fn a_dockerfile_is_linted_with_the_build_args_of_the_compose_files_up_to_the_root() {
        let dir = project();
        let df = dir.join("app/Dockerfile");
        let text: Arc<str> = Arc::from("ARG TAG=1.0\nFROM alpine:${TAG}\n");
        let sel = Selection::default();
        let lint = |ctx: &Context| {
            codes(&ctx.lint(FileKind::Dockerfile, text.clone(), &sel, Default::default(), None).diagnostics)
        };
        let mut ctx = Context { path: Some(df.clone()), root: Some(dir.clone()), ..Context::default() };
        assert!(lint(&ctx).contains(&"DL3007"), "{:?}", lint(&ctx));
        // Without the root, only the Dockerfile's own folder is searched.
        ctx.root = None;
        assert!(!lint(&ctx).contains(&"DL3007"));
        // The open (unsaved) Compose file counts over the disk's, cached or not.
        let pinned: Arc<str> =
            Arc::from("services:\n  app:\n    build:\n      context: ./app\n      args:\n        TAG: \"3.20\"\n");
        ctx.root = Some(dir.clone());
        ctx.builds = Some(Arc::new(BuildsCache::default()));
        assert!(lint(&ctx).contains(&"DL3007"));
        ctx.files = Files::with_open([(dir.join("compose.yaml"), pinned)]);
        assert!(!lint(&ctx).contains(&"DL3007"), "the cache must follow the Compose file's text");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_compose_file_is_linted_with_its_project_and_fixed_in_it() {
        let dir = project();
        let path = dir.join("compose.yaml");
        let text = "services:\n  app:\n    build:\n      context: ./app\n      target: prod\n";
        let sel = Selection::default();
        let ctx = Context { path: Some(path), ..Context::default() };
        let r = ctx.lint(FileKind::Compose, Arc::from(text), &sel, Default::default(), None);
        assert!(codes(&r.diagnostics).contains(&"BC5006"), "{:?}", codes(&r.diagnostics));
        let alone = Context::alone().lint(FileKind::Compose, Arc::from(text), &sel, Default::default(), None);
        assert!(!codes(&alone.diagnostics).contains(&"BC5006"));
        let fixed = ctx.fix_all(FileKind::Compose, text, &sel, engine::Safety::Unsafe, Default::default());
        assert!(fixed.remaining.iter().any(|d| d.code == "BC5006"), "judged in the project");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
