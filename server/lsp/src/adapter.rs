//! The protocol boundary: the only module that uses tower-lsp-server's LSP
//! types (`ls_types`). It implements `LanguageServer` by converting each
//! message's parameters to berth's types, calling the core ([`Server`]) and
//! converting the answer back. When the library's types change (0.24 moves to
//! generated types), this file is what changes.
//!
//! Positions: berth works in byte offsets and [`LineCol`] with UTF-16 columns
//! (`documents` does the arithmetic on the rope); here they only change
//! struct, from `LineCol` to `Position` and back.

use super::actions::{self, Action, ActionKind};
use super::ai_actions;
use super::diagnostics::{Item, Publication, Tag};
use super::documents::{Change, DocUri, Snapshot};
use super::{ClientCaps, ClientHandle, Level, Server};
use berth_rules::engine::Edit;
use berth_rules::text::LineCol;
use futures::future::BoxFuture;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, ClientSocket, LanguageServer, LspService};

/// The editor requests (hover, completion, symbols, rename, formatting ...).
#[path = "adapter_features.rs"]
mod features;

/// Build the service, the socket for messages to the client, and the core.
pub fn service(config: Option<PathBuf>) -> (LspService<Backend>, ClientSocket, Arc<Server>) {
    let mut core = None;
    let (service, socket) = LspService::build(|client| {
        let backend = Backend::new(client, config);
        core = Some(backend.core.clone());
        backend
    })
    .custom_method("window/workDoneProgress/cancel", Backend::work_done_progress_cancel)
    .finish();
    let core = core.unwrap_or_else(|| unreachable!("LspService::new calls its init function"));
    (service, socket, core)
}

pub struct Backend {
    pub core: Arc<Server>,
    /// For requests to the client that only the adapter makes.
    client: Client,
    /// The client lets berth watch configuration files.
    watch_files: std::sync::atomic::AtomicBool,
    /// The AI commands that are running.
    ai: AiRuns,
}

impl Backend {
    fn new(client: Client, config: Option<PathBuf>) -> Backend {
        let outbox = Outbox { client: client.clone(), runtime: tokio::runtime::Handle::current() };
        Backend {
            core: Arc::new(Server::new(Arc::new(outbox), config)),
            client,
            watch_files: std::sync::atomic::AtomicBool::new(false),
            ai: AiRuns::default(),
        }
    }
}

struct Outbox {
    client: Client,
    runtime: tokio::runtime::Handle,
}

fn message_type(level: Level) -> MessageType {
    match level {
        Level::Error => MessageType::ERROR,
        Level::Warning => MessageType::WARNING,
        Level::Info => MessageType::INFO,
        Level::Log => MessageType::LOG,
    }
}

impl ClientHandle for Outbox {
    fn publish(&self, publication: Publication) {
        // Written out here, in the caller's order (callers hold the document
        // lock), straight to standard output.
        let Ok(uri) = publication.uri.0.parse::<Uri>() else { return };
        let params = PublishDiagnosticsParams {
            diagnostics: publication.items.iter().map(|i| diagnostic(&uri, i)).collect(),
            uri,
            version: publication.version,
        };
        super::transport::notify_direct("textDocument/publishDiagnostics", &params);
    }

    fn log(&self, level: Level, message: String) {
        // window/logMessage only: editors show the server's stderr in the same
        // output channel (VS Code does), so writing it there too doubled every line.
        let client = self.client.clone();
        self.runtime.spawn(async move { client.log_message(message_type(level), message).await });
    }

    fn show(&self, level: Level, message: String) {
        let client = self.client.clone();
        self.runtime.spawn(async move { client.show_message(message_type(level), message).await });
    }

    fn refresh_diagnostics(&self) {
        let client = self.client.clone();
        self.runtime.spawn(async move {
            if let Err(e) = client.workspace_diagnostic_refresh().await {
                eprintln!("berth: workspace/diagnostic/refresh failed: {}", e.message);
            }
        });
    }

    fn pull_settings(&self) -> BoxFuture<'static, Option<Value>> {
        let client = self.client.clone();
        Box::pin(async move {
            let item = ConfigurationItem { scope_uri: None, section: Some("berth".into()) };
            match client.configuration(vec![item]).await {
                Ok(mut v) if !v.is_empty() => Some(v.swap_remove(0)).filter(|v| !v.is_null()),
                Ok(_) => None,
                Err(e) => {
                    eprintln!("berth: workspace/configuration failed: {}", e.message);
                    None
                }
            }
        })
    }
}

// ----- conversions -----

fn position(p: LineCol) -> Position {
    Position { line: u32::try_from(p.line).unwrap_or(u32::MAX), character: u32::try_from(p.col).unwrap_or(u32::MAX) }
}

fn linecol(p: Position) -> LineCol {
    LineCol { line: p.line as usize, col: p.character as usize }
}

fn range((start, end): (LineCol, LineCol)) -> Range {
    Range { start: position(start), end: position(end) }
}

fn severity(s: berth_rules::Severity) -> DiagnosticSeverity {
    match s {
        berth_rules::Severity::Error => DiagnosticSeverity::ERROR,
        berth_rules::Severity::Warning => DiagnosticSeverity::WARNING,
        berth_rules::Severity::Info => DiagnosticSeverity::INFORMATION,
        berth_rules::Severity::Style => DiagnosticSeverity::HINT,
    }
}

/// A documentation address as a `Uri`, parsed once per address.
fn docs_uri(href: &str) -> Option<Uri> {
    static PARSED: std::sync::Mutex<Option<HashMap<String, Option<Uri>>>> = std::sync::Mutex::new(None);
    let mut parsed = PARSED.lock().unwrap_or_else(|p| p.into_inner());
    let parsed = parsed.get_or_insert_with(HashMap::new);
    if let Some(u) = parsed.get(href) {
        return u.clone();
    }
    let u = href.parse::<Uri>().ok();
    parsed.insert(href.to_string(), u.clone());
    u
}

/// A berth finding as an LSP diagnostic of the document `uri`.
pub fn diagnostic(uri: &Uri, item: &Item) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = item
        .related
        .iter()
        .map(|(r, message)| DiagnosticRelatedInformation {
            location: Location { uri: uri.clone(), range: range(*r) },
            message: message.clone(),
        })
        .collect();
    let tags: Vec<DiagnosticTag> = item
        .tags
        .iter()
        .map(|t| match t {
            Tag::Unnecessary => DiagnosticTag::UNNECESSARY,
            Tag::Deprecated => DiagnosticTag::DEPRECATED,
        })
        .collect();
    Diagnostic {
        range: range(item.range),
        severity: Some(severity(item.severity)),
        code: Some(NumberOrString::String(item.code.to_string())),
        code_description: item.href.as_deref().and_then(docs_uri).map(|href| CodeDescription { href }),
        source: Some(if item.code == berth_ai::REVIEW_CODE { berth_ai::SOURCE } else { "berth" }.into()),
        message: item.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (!tags.is_empty()).then_some(tags),
        data: None,
    }
}

/// berth's findings among the diagnostics a client sends with a code-action
/// request (other sources' and the AI review's are left out).
fn reported(list: &[Diagnostic]) -> Vec<actions::Reported> {
    list.iter()
        .filter(|d| d.source.as_deref().is_none_or(|s| s == "berth"))
        .filter_map(|d| {
            let code = match d.code.as_ref()? {
                NumberOrString::String(s) => s.clone(),
                NumberOrString::Number(n) => n.to_string(),
            };
            let r = (linecol(d.range.start), linecol(d.range.end));
            Some(actions::Reported { code, range: r, message: d.message.clone() })
        })
        .collect()
}

fn text_edit(snap: &Snapshot, e: &Edit) -> TextEdit {
    TextEdit { range: range(snap.range(e.span)), new_text: e.new_text.clone() }
}

/// Edits on one snapshot as a workspace edit (versioned when the client can
/// check versions).
fn workspace_edit(uri: &Uri, snap: &Snapshot, edits: &[Edit], versioned: bool) -> WorkspaceEdit {
    let edits: Vec<TextEdit> = edits.iter().map(|e| text_edit(snap, e)).collect();
    if versioned {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(snap.version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..WorkspaceEdit::default() }
    }
}

fn code_action(uri: &Uri, snap: &Snapshot, a: &Action, versioned: bool) -> CodeActionOrCommand {
    let diagnostics: Vec<Diagnostic> =
        a.diagnostics.iter().map(|d| diagnostic(uri, &super::diagnostics::item(snap, d))).collect();
    CodeActionOrCommand::CodeAction(CodeAction {
        title: a.title.clone(),
        kind: Some(match a.kind {
            ActionKind::QuickFix => CodeActionKind::QUICKFIX,
            ActionKind::FixAll => CodeActionKind::from(actions::FIX_ALL),
        }),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: (!a.deferred).then(|| workspace_edit(uri, snap, &a.edits, versioned)),
        is_preferred: a.preferred.then_some(true),
        data: a.deferred.then(|| serde_json::json!({"berth": "fixAll", "uri": uri.as_str()})),
        ..CodeAction::default()
    })
}

/// berth's key for a document, and its file when it is a `file:` URI.
fn doc(uri: &Uri) -> (DocUri, Option<PathBuf>) {
    let path = if uri.scheme().as_str().eq_ignore_ascii_case("file") {
        uri.to_file_path().map(|p| p.into_owned())
    } else {
        None
    };
    (DocUri(uri.as_str().to_string()), path)
}

/// What berth answers to `initialize`.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..TextDocumentSyncOptions::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::from(actions::FIX_ALL),
                CodeActionKind::from(ai_actions::REVIEW_KIND),
            ]),
            resolve_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: ai_actions::COMMANDS.iter().map(|c| c.to_string()).collect(),
            work_done_progress_options: WorkDoneProgressOptions { work_done_progress: Some(true) },
        }),
        ..features::capabilities()
    }
}

/// Whether diagnostics are pulled: `diagnosticMode` in the initialization
/// options is `push` (the default: published, as every client takes them),
/// `pull` (`textDocument/diagnostic` only), or `auto` (pull when the client
/// can pull and be asked to pull again, `workspace/diagnostic/refresh`).
fn pull_mode(options: Option<&Value>, client: &ClientCapabilities) -> bool {
    let mode = options
        .and_then(|o| o.get("diagnosticMode").or_else(|| o.get("berth").and_then(|b| b.get("diagnosticMode"))))
        .and_then(Value::as_str)
        .unwrap_or("push");
    let can_pull = client.text_document.as_ref().is_some_and(|t| t.diagnostic.is_some())
        && client.workspace.as_ref().and_then(|w| w.diagnostics.as_ref()).and_then(|d| d.refresh_support) == Some(true);
    match mode {
        "pull" => true,
        "auto" => can_pull,
        _ => false,
    }
}

/// Run blocking work (parsing, linting, files) off the async runtime.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        eprintln!("berth: a request failed: {e}");
        Error::internal_error()
    })
}

impl LanguageServer for Backend {
    // ----- editor requests (adapter_features.rs) -----

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        features::hover(self, params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        features::completion(self, params).await
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        features::document_symbol(self, params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        features::folding_range(self, params).await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        features::goto_definition(self, params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        features::references(self, params).await
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        features::document_highlight(self, params).await
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        features::prepare_rename(self, params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        features::rename(self, params).await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        features::formatting(self, params).await
    }

    async fn range_formatting(&self, params: DocumentRangeFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        features::range_formatting(self, params).await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        features::document_link(self, params).await
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        features::diagnostic(self, params).await
    }

    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let workspace = params.capabilities.workspace.as_ref();
        let caps = ClientCaps {
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            resolve_edit: params
                .capabilities
                .text_document
                .as_ref()
                .and_then(|t| t.code_action.as_ref())
                .and_then(|c| c.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
            snippets: features::snippet_support(&params.capabilities),
            hierarchical_symbols: params
                .capabilities
                .text_document
                .as_ref()
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|d| d.hierarchical_document_symbol_support)
                .unwrap_or(false),
            pull_diagnostics: pull_mode(params.initialization_options.as_ref(), &params.capabilities),
        };
        let pull = caps.pull_diagnostics;
        let watch = workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.watch_files.store(watch, std::sync::atomic::Ordering::Relaxed);
        let progress = params.capabilities.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false);
        self.ai.progress.store(progress, std::sync::atomic::Ordering::Relaxed);
        #[allow(deprecated, reason = "`rootUri` is still what some clients send")]
        let root_uri = params.root_uri.as_ref();
        let roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .map(|f| &f.uri)
            .chain(root_uri)
            .filter_map(|u| doc(u).1)
            .collect();
        self.core.initialize(params.initialization_options.as_ref(), caps, roots);
        Ok(InitializeResult {
            capabilities: features::for_client(capabilities(), &params.capabilities, pull),
            server_info: Some(ServerInfo { name: "berth".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.core.initialized();
        if self.watch_files.load(std::sync::atomic::Ordering::Relaxed) {
            let registration = Registration {
                id: "berth-config-files".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                // Configuration files, and the files a lint in context reads:
                // Dockerfiles, Compose and override files, `.env` and env files.
                register_options: Some(serde_json::json!({"watchers": [{
                    "globPattern": "**/{berth.toml,.berth.toml,.hadolint.yaml,.hadolint.yml,.dockerignore,*.dockerignore,.dclintrc*}"
                }, {
                    "globPattern": "**/{Dockerfile,Containerfile,Dockerfile.*,Dockerfile-*,*.Dockerfile,*.dockerfile,*.Containerfile}"
                }, {
                    "globPattern": "**/{*compose*.yml,*compose*.yaml,.env,*.env,.env.*}"
                }]})),
            };
            let lsp = self.client.clone();
            tokio::spawn(async move {
                if let Err(e) = lsp.register_capability(vec![registration]).await {
                    eprintln!("berth: cannot watch configuration files: {}", e.message);
                }
            });
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.core.shutdown();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        let (uri, path) = doc(&d.uri);
        self.core.open(uri, path, d.language_id, d.version, &d.text);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let (uri, _) = doc(&params.text_document.uri);
        let changes: Vec<Change> = params
            .content_changes
            .into_iter()
            .map(|c| Change { range: c.range.map(|r| (linecol(r.start), linecol(r.end))), text: c.text })
            .collect();
        self.core.change(&uri, params.text_document.version, &changes);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let (uri, path) = doc(&params.text_document.uri);
        self.core.saved(&uri, path.as_deref());
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let (uri, _) = doc(&params.text_document.uri);
        self.core.close(&uri);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.core.configuration_changed(Some(&params.settings));
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let paths: Vec<PathBuf> = params.changes.iter().filter_map(|c| doc(&c.uri).1).collect();
        self.core.files_changed(&paths);
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let (key, _) = doc(&uri);
        let span = (linecol(params.range.start), linecol(params.range.end));
        let only: Option<Vec<String>> = params.context.only.map(|o| o.iter().map(|k| k.as_str().to_string()).collect());
        let reported = reported(&params.context.diagnostics);
        let core = self.core.clone();
        let versioned = core.caps().document_changes;
        let found = blocking(move || {
            let native = core.code_actions(&key, span, only.as_deref(), &reported)?;
            Some((native, ai_actions::offers(&core, &key, span, only.as_deref())))
        })
        .await?;
        let Some(((snap, list), ai)) = found else { return Ok(None) };
        let mut out: Vec<CodeActionOrCommand> = list.iter().map(|a| code_action(&uri, &snap, a, versioned)).collect();
        if let Some(ai) = ai {
            out.extend(ai.edits.iter().map(|a| code_action(&uri, &ai.snap, a, versioned)));
            out.extend(ai.commands.iter().map(|o| ai_code_action(&uri, &ai.snap, o)));
        }
        Ok(Some(out))
    }

    async fn code_action_resolve(&self, mut action: CodeAction) -> Result<CodeAction> {
        let data = action.data.clone().unwrap_or_default();
        let (Some("fixAll"), Some(uri)) = (data["berth"].as_str(), data["uri"].as_str()) else { return Ok(action) };
        let Ok(uri) = uri.parse::<Uri>() else { return Ok(action) };
        let (key, _) = doc(&uri);
        let core = self.core.clone();
        let versioned = core.caps().document_changes;
        if let Some((snap, found)) = blocking(move || core.fix_all(&key)).await? {
            let edits = found.map(|a| a.edits).unwrap_or_default();
            action.edit = Some(workspace_edit(&uri, &snap, &edits, versioned));
        }
        Ok(action)
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        let command = params.command.as_str();
        if !ai_actions::COMMANDS.contains(&command) {
            return Err(Error::invalid_params(format!("berth has no command `{command}`")));
        }
        let argument = params.arguments.first().cloned().unwrap_or_default();
        let target = ai_actions::target(command, &argument).map_err(Error::invalid_params)?;
        self.run_ai(target, params.work_done_progress_params.work_done_token).await
    }
}

// ----- AI commands: progress, cancellation, applying the fix -----

/// The AI commands that are running, by progress token.
#[derive(Default)]
struct AiRuns {
    /// The client shows progress for tokens the server creates.
    progress: std::sync::atomic::AtomicBool,
    next: std::sync::atomic::AtomicU64,
    cancel: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Notify>>>,
}

fn token_key(t: &ProgressToken) -> String {
    match t {
        NumberOrString::Number(n) => format!("n{n}"),
        NumberOrString::String(s) => format!("s{s}"),
    }
}

/// A command's progress: ended (and forgotten) when dropped, also when the
/// command's future is dropped because the client cancelled the request.
struct Running<'a> {
    runs: &'a AiRuns,
    key: Option<String>,
    progress: Option<tower_lsp_server::OngoingProgress<tower_lsp_server::Unbounded, tower_lsp_server::Cancellable>>,
}

impl Running<'_> {
    async fn finish(mut self, message: String) {
        if let Some(p) = self.progress.take() {
            p.finish_with_message(message).await;
        }
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        if let Some(k) = self.key.take() {
            self.runs.cancel.lock().unwrap_or_else(|p| p.into_inner()).remove(&k);
        }
        if let Some(p) = self.progress.take() {
            tokio::spawn(p.finish_with_message("Cancelled"));
        }
    }
}

/// An AI code action: it runs its command when picked.
fn ai_code_action(uri: &Uri, snap: &Snapshot, o: &ai_actions::Offer) -> CodeActionOrCommand {
    let diagnostics: Vec<Diagnostic> =
        o.diagnostics.iter().map(|d| diagnostic(uri, &super::diagnostics::item(snap, d))).collect();
    CodeActionOrCommand::CodeAction(CodeAction {
        title: o.title.clone(),
        kind: Some(CodeActionKind::from(o.kind)),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        command: Some(Command {
            title: o.title.clone(),
            command: o.command.to_string(),
            arguments: Some(vec![o.argument.clone()]),
        }),
        ..CodeAction::default()
    })
}

impl Backend {
    /// `window/workDoneProgress/cancel`: stop the AI command of that token.
    async fn work_done_progress_cancel(&self, params: WorkDoneProgressCancelParams) {
        let found = self.ai.cancel.lock().unwrap_or_else(|p| p.into_inner()).get(&token_key(&params.token)).cloned();
        if let Some(n) = found {
            n.notify_one();
        }
    }

    /// Run an AI command with progress; dropping this future (`$/cancelRequest`)
    /// or the progress's cancel button stops it.
    async fn run_ai(&self, target: ai_actions::Target, token: Option<ProgressToken>) -> Result<Option<LSPAny>> {
        let core = self.core.clone();
        let t = target.clone();
        let Some(prepared) = blocking(move || ai_actions::prepare(&core, &t)).await? else { return Ok(None) };
        let token = match token {
            Some(t) => Some(t),
            None if self.ai.progress.load(std::sync::atomic::Ordering::Relaxed) => {
                let n = self.ai.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let t = NumberOrString::String(format!("berth-ai-{}-{n}", std::process::id()));
                self.client.create_work_done_progress(t.clone()).await.ok().map(|()| t)
            }
            None => None,
        };
        let cancelled = Arc::new(tokio::sync::Notify::new());
        let mut running = Running { runs: &self.ai, key: None, progress: None };
        if let Some(t) = token {
            let key = token_key(&t);
            self.ai.cancel.lock().unwrap_or_else(|p| p.into_inner()).insert(key.clone(), cancelled.clone());
            running.key = Some(key);
            let progress = self.client.progress(t, prepared.title.clone()).with_cancel_button();
            running.progress = Some(progress.with_message("waiting for the model").begin().await);
        }
        let core = self.core.clone();
        let work = async move {
            match target.finding {
                Some(_) => Done::Fix(ai_actions::run_fix(&core, prepared).await),
                None => Done::Review(ai_actions::run_review(&core, prepared).await),
            }
        };
        let done = match futures::future::select(Box::pin(work), Box::pin(cancelled.notified())).await {
            futures::future::Either::Left((done, _)) => done,
            futures::future::Either::Right(_) => {
                running.finish("Cancelled".into()).await;
                return Err(Error::request_cancelled());
            }
        };
        match done {
            Done::Fix(ai_actions::FixDone::Apply { snap, title, edits }) => {
                let Ok(uri) = snap.uri.0.parse::<Uri>() else { return Ok(None) };
                let edit = workspace_edit(&uri, &snap, &edits, self.core.caps().document_changes);
                running.finish("Applying the fix".into()).await;
                let params = ApplyWorkspaceEditParams { label: Some(title), edit };
                let applied = match self.client.send_request::<request::ApplyWorkspaceEdit>(params).await {
                    Ok(r) if r.applied => true,
                    Ok(r) => {
                        let why = r.failure_reason.map(|w| format!(": {w}")).unwrap_or_default();
                        let message = format!("berth: AI: the editor did not apply the fix{why}");
                        self.core.client.show(Level::Warning, message);
                        false
                    }
                    Err(e) => {
                        self.core.log(Level::Error, format!("berth: AI: workspace/applyEdit failed: {}", e.message));
                        false
                    }
                };
                Ok(Some(serde_json::json!({ "applied": applied })))
            }
            Done::Fix(ai_actions::FixDone::Nothing) => {
                running.finish("No fix".into()).await;
                Ok(Some(serde_json::json!({ "applied": false })))
            }
            Done::Review(found) => {
                let message = found.map_or_else(|| "Failed".to_string(), |n| format!("{n} finding(s)"));
                running.finish(message).await;
                Ok(Some(serde_json::json!({ "findings": found })))
            }
        }
    }
}

enum Done {
    Fix(ai_actions::FixDone),
    Review(Option<usize>),
}
