//! `berth lsp`: the language server, over standard input and output.
//!
//! Layout:
//! - [`transport`]: the stdio framing (tolerant of broken frames: it logs,
//!   answers a parse error and resynchronises) and the message loop that drives
//!   tower-lsp-server's `LspService`. Notifications run in arrival order, each
//!   to completion before the next message is read; requests run concurrently.
//! - [`adapter`]: **the only module that uses the protocol types**
//!   (`tower_lsp_server::ls_types`): the `LanguageServer` impl, capabilities,
//!   and conversions between them and berth's types. Everything else speaks
//!   berth: byte `Span`s, [`LineCol`](berth_rules::text::LineCol) in UTF-16 units,
//!   `Diagnostic`, `Edit`.
//! - [`documents`]: the ropey-backed document store, incremental sync, UTF-16
//!   positions, language detection, snapshots, `related_documents`.
//! - [`diagnostics`]: lint scheduling (generations, cancellation), ShellCheck,
//!   and what gets published.
//! - [`actions`]: code actions.
//! - [`features`]: the editor requests (hover, completion, symbols, folding,
//!   definition, references, highlight, rename, formatting) over
//!   `berth_ide::ide`, with the parsed forms they use cached per version;
//!   their protocol side is `adapter_features.rs`, part of the adapter.
//! - [`links`]: document links (image pages, the files a Compose file names).
//! - [`ai_actions`]: the AI code actions and commands (suggest a fix, review
//!   the file), run only when the user picks them.
//! - [`config`]: the editor's settings and each document's configuration.
//!
//! Adding a request (hover, completion, ...): write `lsp/<feature>.rs` with a
//! function over berth types (a [`Snapshot`](documents::Snapshot), its
//! [`Analysis`](documents::Analysis) from [`Server::analysis`], byte offsets
//! from `Snapshot::offset`) returning berth types; in `adapter.rs` add the
//! `LanguageServer` method (convert the params, call it, ideally inside
//! `spawn_blocking` when it parses or lints, convert the result) and its
//! capability in `capabilities()`. Notification handlers must not wait for the
//! client (the message loop waits for them): spawn a task instead.

pub mod actions;
pub mod adapter;
pub mod ai_actions;
pub mod config;
pub mod diagnostics;
pub mod documents;
pub mod features;
pub mod items;
pub mod links;
pub mod online;
pub mod transport;

use berth_rules::engine::Diagnostic;
use berth_rules::text::LineCol;
use berth_workspace::Files;
use berth_workspace::lint::{BuildsCache, Context};
use config::{Configs, Effective, Settings};
use diagnostics::Publication;
use documents::{Analysis, Change, DocUri, Document, Snapshot};
use futures::future::BoxFuture;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// How loud a message to the client is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Info,
    Log,
}

/// What the core needs from the client, in berth's types (the adapter
/// implements it over tower-lsp-server's `Client`).
pub trait ClientHandle: Send + Sync {
    /// Queue diagnostics; queued publications go out in order.
    fn publish(&self, publication: Publication);
    /// `window/logMessage` (and standard error).
    fn log(&self, level: Level, message: String);
    /// `window/showMessage`.
    fn show(&self, level: Level, message: String);
    /// The `berth` section through `workspace/configuration`.
    fn pull_settings(&self) -> BoxFuture<'static, Option<Value>>;
    /// `workspace/diagnostic/refresh`: in pull mode, the client asks for
    /// every open document's diagnostics again.
    fn refresh_diagnostics(&self) {}
}

/// What the client said it can do, as far as berth cares.
#[derive(Debug, Clone, Default)]
pub struct ClientCaps {
    /// `workspace/configuration` requests.
    pub configuration: bool,
    /// Versioned `documentChanges` in workspace edits.
    pub document_changes: bool,
    /// `codeAction/resolve` can fill in an action's edit.
    pub resolve_edit: bool,
    /// Completion items may be snippets (`completionItem.snippetSupport`).
    pub snippets: bool,
    /// The outline may be a tree (`documentSymbol.hierarchicalDocumentSymbolSupport`);
    /// otherwise it is sent as a flat list with container names.
    pub hierarchical_symbols: bool,
    /// Pull mode: diagnostics are pulled (`textDocument/diagnostic`), never
    /// published; the server asks for a refresh when they change on its side.
    pub pull_diagnostics: bool,
}

/// The server's state, shared by every handler.
pub struct Server {
    pub documents: documents::Store,
    pub client: Arc<dyn ClientHandle>,
    configs: Mutex<Configs>,
    caps: Mutex<ClientCaps>,
    shutdown: AtomicBool,
    /// At most one ShellCheck run at a time.
    pub shellcheck_runs: tokio::sync::Semaphore,
    shellcheck_bins: Mutex<HashMap<Option<PathBuf>, Option<ShellCheckBin>>>,
    logged: Mutex<HashSet<String>>,
    /// The parsed forms of the editor requests, per document version.
    pub ide_cache: features::IdeCache,
    /// `berth --config FILE lsp`: used when the editor names no file.
    cli_config: Option<PathBuf>,
    /// The workspace folders (`rootUri`, `workspaceFolders`): a Dockerfile
    /// under one is linted with the Compose files up to it, as `berth check`
    /// on that folder lints it.
    roots: Mutex<Vec<PathBuf>>,
    /// The builds of Compose files, for Dockerfiles linted on every keystroke
    /// (cleared when files change on disk and documents open or close).
    builds: Arc<BuildsCache>,
    /// Per document, the last publication (what a pull answers) and the
    /// result id the client was last given by a pull.
    published: Mutex<HashMap<DocUri, (Publication, Option<String>)>>,
}

/// What a pull finds for a document.
pub enum Pulled {
    /// Findings of the document's current version, as published.
    Ready(Vec<diagnostics::Item>),
    /// The document is being linted.
    Pending,
}

type ShellCheckBin = berth_workspace::shellcheck::ShellCheck;

/// Names of the configuration files whose change means linting again.
fn is_config_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    matches!(name, "berth.toml" | ".berth.toml" | ".hadolint.yaml" | ".hadolint.yml" | "hadolint.yaml")
        || name.starts_with(".dclintrc")
        || name.ends_with(".dockerignore")
}

/// `null`, `{}` or `{"berth": null}`: the client has no settings for berth.
fn is_empty_settings(v: &Value) -> bool {
    let v = v.get("berth").unwrap_or(v);
    v.is_null() || v.as_object().is_some_and(|o| o.is_empty())
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Server {
    pub fn new(client: Arc<dyn ClientHandle>, cli_config: Option<PathBuf>) -> Server {
        Server {
            documents: documents::Store::default(),
            client,
            configs: Mutex::new(Configs::new(Settings { config_file: cli_config.clone(), ..Settings::default() })),
            cli_config,
            caps: Mutex::new(ClientCaps::default()),
            shutdown: AtomicBool::new(false),
            shellcheck_runs: tokio::sync::Semaphore::new(1),
            shellcheck_bins: Mutex::new(HashMap::new()),
            logged: Mutex::new(HashSet::new()),
            ide_cache: features::IdeCache::default(),
            roots: Mutex::new(Vec::new()),
            builds: Arc::new(BuildsCache::default()),
            published: Mutex::new(HashMap::new()),
        }
    }

    /// Send (push mode) or keep for the next pull (pull mode) a document's
    /// diagnostics; in pull mode, ask the client to pull again when they
    /// differ from what it was last given. Called under the documents lock,
    /// so publications keep their order.
    pub fn publish(&self, p: Publication) {
        let pull = self.caps().pull_diagnostics;
        let mut published = lock(&self.published);
        if p.version.is_none() {
            published.remove(&p.uri);
            if !pull {
                self.client.publish(p);
            }
            return;
        }
        let given = published.get(&p.uri).and_then(|(_, id)| id.clone());
        let changed = given.as_ref().is_some_and(|id| *id != diagnostics::result_id(&p.items));
        published.insert(p.uri.clone(), (p.clone(), given));
        drop(published);
        if pull {
            if changed {
                self.client.refresh_diagnostics();
            }
        } else {
            self.client.publish(p);
        }
    }

    /// `textDocument/diagnostic`: the findings of the document's current
    /// version as they were (or would have been) published; an empty list
    /// for a document that is not open or not linted.
    pub fn pulled(&self, uri: &DocUri) -> Pulled {
        let docs = self.documents.lock();
        let Some(doc) = docs.get(uri) else { return Pulled::Ready(Vec::new()) };
        if doc.language.is_none() {
            return Pulled::Ready(Vec::new());
        }
        if doc.last.as_ref().is_none_or(|l| l.generation != doc.generation) {
            return Pulled::Pending;
        }
        match lock(&self.published).get(uri) {
            Some((p, _)) if p.version == Some(doc.version) => Pulled::Ready(p.items.clone()),
            _ => Pulled::Pending,
        }
    }

    /// Remember the result id a pull gave the client for `uri`.
    pub fn pulled_as(&self, uri: &DocUri, id: &str) {
        if let Some(entry) = lock(&self.published).get_mut(uri) {
            entry.1 = Some(id.to_string());
        }
    }

    /// The findings of a document linted now (a pull that could not wait for
    /// the lint in progress), as they would be published.
    pub fn lint_items(&self, uri: &DocUri) -> Vec<diagnostics::Item> {
        self.findings(uri).map(|(snap, _, diags)| diagnostics::items(&snap, &diags)).unwrap_or_default()
    }

    pub fn log(&self, level: Level, message: String) {
        self.client.log(level, message);
    }

    /// Log a message once per process (a broken configuration file is
    /// reported once, not on every keystroke).
    pub fn log_once(&self, level: Level, message: String) {
        if lock(&self.logged).insert(message.clone()) {
            self.client.show(level, message.clone());
            self.client.log(level, message);
        }
    }

    pub fn caps(&self) -> ClientCaps {
        lock(&self.caps).clone()
    }

    pub fn settings(&self) -> Settings {
        lock(&self.configs).settings().clone()
    }

    pub fn shutdown_requested(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// The effective configuration of a document (reads configuration files:
    /// call it off the async runtime).
    pub fn effective(&self, snap: &Snapshot) -> Effective {
        let (eff, problem) = lock(&self.configs).for_document(snap.path.as_deref());
        if let Some(p) = problem {
            self.log_once(Level::Error, p);
        }
        eff
    }

    /// Where a document is linted: the open documents over the disk, its
    /// file, and the workspace folder that holds it (the innermost).
    pub fn context(&self, snap: &Snapshot) -> Context {
        let files = Files::with_open(self.documents.open_texts());
        let root = snap.path.as_deref().and_then(|p| {
            lock(&self.roots).iter().filter(|r| p.starts_with(r)).max_by_key(|r| r.as_os_str().len()).cloned()
        });
        Context { files, path: snap.path.clone(), root, builds: Some(self.builds.clone()) }
    }

    /// A usable ShellCheck binary, looked up once per path.
    pub fn shellcheck_binary(&self, path: Option<&Path>) -> Option<ShellCheckBin> {
        let key = path.map(Path::to_path_buf);
        if let Some(found) = lock(&self.shellcheck_bins).get(&key) {
            return found.clone();
        }
        let found = ShellCheckBin::find(path);
        lock(&self.shellcheck_bins).insert(key, found.clone());
        found
    }

    /// True when the document is open and still at this generation.
    pub fn is_current(&self, uri: &DocUri, generation: u64) -> bool {
        self.documents.lock().get(uri).is_some_and(|d| d.generation == generation)
    }

    pub fn snapshot(&self, uri: &DocUri) -> Option<Snapshot> {
        self.documents.snapshot(uri)
    }

    /// The parsed document at its current version: the last lint's when it is
    /// current, else parsed now (call it off the async runtime).
    #[allow(dead_code, reason = "the entry point of the requests to come (hover, completion, symbols)")]
    pub fn analysis(&self, uri: &DocUri) -> Option<(Snapshot, Arc<Analysis>)> {
        let (snap, cached) = {
            let mut docs = self.documents.lock();
            let doc = docs.get_mut(uri)?;
            let snap = doc.snapshot();
            let cached = doc.last.as_ref().filter(|l| l.generation == snap.generation).and_then(|l| l.analysis.clone());
            (snap, cached)
        };
        let lang = snap.language?;
        let analysis = cached.unwrap_or_else(|| Arc::new(Analysis::parse(lang, &snap.text)));
        Some((snap, analysis))
    }

    /// The findings of the document's current version with its analysis:
    /// the published ones when current (ShellCheck's included), else linted now
    /// (call it off the async runtime).
    pub fn findings(&self, uri: &DocUri) -> Option<(Snapshot, Arc<Analysis>, Vec<Diagnostic>)> {
        let (snap, cached) = {
            let mut docs = self.documents.lock();
            let doc = docs.get_mut(uri)?;
            let snap = doc.snapshot();
            let cached = doc.last.clone().filter(|l| l.generation == snap.generation);
            (snap, cached)
        };
        snap.language?;
        match cached {
            Some(c) => {
                let lang = snap.language?;
                let analysis = c.analysis.clone().unwrap_or_else(|| Arc::new(Analysis::parse(lang, &snap.text)));
                Some((snap, analysis, c.all()))
            }
            None => {
                let eff = self.effective(&snap);
                let context = self.context(&snap);
                let (diags, analysis) = diagnostics::lint(&snap, &eff, &context, None);
                Some((snap, Arc::new(analysis), diags))
            }
        }
    }

    // ----- lifecycle and notifications (called by the adapter) -----

    pub fn initialize(&self, options: Option<&Value>, caps: ClientCaps, roots: Vec<PathBuf>) {
        *lock(&self.caps) = caps;
        *lock(&self.roots) = roots;
        if let Some(v) = options {
            self.apply_settings(v);
        }
    }

    /// After `initialized`: ask the client for the `berth` section.
    pub fn initialized(self: &Arc<Self>) {
        self.log(Level::Info, format!("berth {} language server ready", env!("CARGO_PKG_VERSION")));
        if self.caps().configuration {
            self.pull_settings();
        }
    }

    pub fn shutdown(&self) {
        self.shutdown.store(true, Ordering::SeqCst);
    }

    fn pull_settings(self: &Arc<Self>) {
        let core = self.clone();
        tokio::spawn(async move {
            // An empty answer keeps what `initializationOptions` said.
            if let Some(v) = core.client.pull_settings().await
                && !is_empty_settings(&v)
                && core.apply_settings(&v)
            {
                core.relint_all();
            }
        });
    }

    /// Take new settings; true when they differ from the current ones.
    fn apply_settings(&self, value: &Value) -> bool {
        let mut problems = Vec::new();
        let mut settings = Settings::from_json(value, &mut problems);
        if settings.config_file.is_none() {
            settings.config_file = self.cli_config.clone();
        }
        for p in problems {
            self.log(Level::Warning, p);
        }
        online::set_enabled(settings.online);
        let mut configs = lock(&self.configs);
        if *configs.settings() == settings {
            return false;
        }
        self.log(Level::Log, format!("settings: {settings}"));
        *configs = Configs::new(settings);
        lock(&self.shellcheck_bins).clear();
        true
    }

    /// `workspace/didChangeConfiguration`: the settings it carries, or (when it
    /// carries none) the client's answer to `workspace/configuration`.
    pub fn configuration_changed(self: &Arc<Self>, value: Option<&Value>) {
        let empty = value.is_none_or(is_empty_settings);
        if empty && self.caps().configuration {
            self.pull_settings();
            return;
        }
        if let Some(v) = value
            && self.apply_settings(v)
        {
            self.relint_all();
        }
    }

    /// Files changed on disk: a configuration file re-lints every open
    /// document; any other file (a Dockerfile, a Compose or override file,
    /// `.env`, an env file) the open documents whose context may read it.
    pub fn files_changed(self: &Arc<Self>, paths: &[PathBuf]) {
        self.builds.clear();
        if paths.iter().any(|p| is_config_file(p)) {
            lock(&self.configs).reload_files();
            self.relint_all();
            return;
        }
        for uri in self.documents.depending_on(paths) {
            diagnostics::schedule(self, &uri, true);
        }
    }

    pub fn relint_all(self: &Arc<Self>) {
        for uri in self.documents.uris() {
            diagnostics::schedule(self, &uri, true);
        }
    }

    fn refresh_related(self: &Arc<Self>, uri: &DocUri) {
        for other in self.documents.related_documents(uri) {
            diagnostics::schedule(self, &other, true);
        }
    }

    pub fn open(self: &Arc<Self>, uri: DocUri, path: Option<PathBuf>, language_id: String, version: i32, text: &str) {
        self.builds.clear();
        let mut doc = Document::new(uri.clone(), path, language_id, version, text);
        {
            let mut docs = self.documents.lock();
            // Opened again while open: a running lint loop goes on with it.
            if let Some(old) = docs.get(&uri) {
                doc.linting = old.linting;
            }
            docs.insert(uri.clone(), doc);
        }
        diagnostics::schedule(self, &uri, false);
        self.refresh_related(&uri);
    }

    pub fn change(self: &Arc<Self>, uri: &DocUri, version: i32, changes: &[Change]) {
        {
            let mut docs = self.documents.lock();
            let Some(doc) = docs.get_mut(uri) else {
                drop(docs);
                self.log(Level::Warning, format!("berth: didChange for {uri}, which is not open; ignored"));
                return;
            };
            doc.apply(version, changes);
            // A Compose file's builds may read another Compose file's text.
            if doc.language == Some(documents::Language::Compose) {
                self.builds.clear();
            }
        }
        diagnostics::schedule(self, uri, false);
        self.refresh_related(uri);
    }

    pub fn close(self: &Arc<Self>, uri: &DocUri) {
        self.builds.clear();
        let related = self.documents.related_documents(uri);
        {
            let mut docs = self.documents.lock();
            if docs.remove(uri).is_none() {
                return;
            }
            // Queued under the lock: after any publication for this document.
            self.publish(Publication { uri: uri.clone(), version: None, items: Vec::new() });
        }
        for other in related {
            diagnostics::schedule(self, &other, true);
        }
    }

    pub fn saved(self: &Arc<Self>, uri: &DocUri, path: Option<&Path>) {
        if let Some(p) = path {
            self.files_changed(&[p.to_path_buf()]);
        }
        self.refresh_related(uri);
    }

    // ----- requests -----

    /// Code actions for a range of a document (off the async runtime): for
    /// the findings on its lines and those the client sent (`reported`).
    pub fn code_actions(
        &self,
        uri: &DocUri,
        range: (LineCol, LineCol),
        only: Option<&[String]>,
        reported: &[actions::Reported],
    ) -> Option<(Snapshot, Vec<actions::Action>)> {
        let (snap, analysis, diags) = self.findings(uri)?;
        let span = snap.span(range.0, range.1);
        let mut out = Vec::new();
        if actions::wanted(actions::ActionKind::QuickFix, only) {
            let found = actions::findings_for(&snap, &diags, span, reported);
            out.extend(actions::quick_fixes(&snap, &analysis, &found));
        }
        // Computed when asked for by kind (`source.fixAll` on save); beside
        // quick fixes only when there is a safe fix, and then left for
        // `codeAction/resolve` when the client can (it runs the whole fix loop).
        let any_safe = diags.iter().any(|d| d.fix.as_ref().is_some_and(|f| f.safety == berth_rules::Safety::Safe));
        if actions::wanted(actions::ActionKind::FixAll, only) && (only.is_some() || any_safe) {
            if only.is_none() && self.caps().resolve_edit {
                out.push(actions::fix_all_deferred());
            } else {
                let eff = self.effective(&snap);
                out.extend(actions::fix_all(&snap, &eff, &self.context(&snap)));
            }
        }
        Some((snap, out))
    }

    /// The fix-all action of the document's current version, with its edit
    /// (off the async runtime).
    pub fn fix_all(&self, uri: &DocUri) -> Option<(Snapshot, Option<actions::Action>)> {
        let snap = self.snapshot(uri)?;
        let eff = self.effective(&snap);
        let action = actions::fix_all(&snap, &eff, &self.context(&snap));
        Some((snap, action))
    }
}

/// `berth lsp`.
pub fn run(config: Option<PathBuf>) -> ExitCode {
    limit_malloc_arenas();
    // Lints, ShellCheck and requests run on the blocking pool; it is bounded
    // (tokio's default is 512 threads) so that a flood of edits cannot grow
    // threads, stacks and malloc arenas without limit.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(8)
        .thread_keep_alive(std::time::Duration::from_secs(5))
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("berth: cannot start the language server: {e}");
            return ExitCode::from(2);
        }
    };
    let code = runtime.block_on(async {
        let (service, socket, core) = adapter::service(config);
        let exited = transport::serve_stdio(service, socket).await;
        match (exited, core.shutdown_requested()) {
            (true, true) => 0,
            _ => 1,
        }
    });
    // Standard input is read by a thread that cannot be interrupted: leave
    // without waiting for it.
    std::process::exit(code)
}

/// glibc gives each thread that allocates its own heap ("arena"), and memory
/// freed in one is not reused by another: a lint that runs on one pool thread
/// and is freed by another leaves holes behind. Two arenas keep the peak
/// close to what a lint really needs, at no measurable cost in latency.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Called when a large document is linted: from then on, blocks of 256 KiB
/// or more (its instruction list, the script cache's tables) are mapped on
/// their own and returned when freed, instead of leaving holes in the heap
/// (about 2 MB less at the peak of a 1 MiB file). Not done from the start: on
/// small files it costs a little latency (fresh pages on every lint).
pub fn large_document_seen() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: mallopt sets an allocator parameter under glibc's own lock.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        }
    });
}
