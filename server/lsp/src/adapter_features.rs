//! Part of the adapter (declared in `adapter.rs`, allowed to use the protocol
//! types): the editor requests of [`crate::features`] — hover,
//! completion, document symbols, folding, definition, references, document
//! highlight, rename, formatting — as `LanguageServer` methods, their
//! capabilities, and the conversions of their results.
//!
//! Each handler converts the params, runs the core's function off the async
//! runtime, and converts the answer; a document that is not open (or is not
//! a Dockerfile or Compose file) gets `null`. Positions go through the
//! snapshot's UTF-16 arithmetic (`Snapshot::offset` clamps), ranges of other
//! files through the same arithmetic on their text.

use super::super::Pulled;
use super::super::diagnostics::result_id;
use super::super::documents::Snapshot;
use super::super::features::{self, FileEdits, FileRef, HoverAnswer};
use super::super::links::Goes;
use super::{Backend, blocking, diagnostic as diagnostic_of, doc, linecol, range};
use berth_ide::ide::{self, CompletionKind};
use std::collections::HashMap;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;

/// The characters after which editors ask for completions: flags (`-`),
/// flag values (`=`, `,`), variables (`$`, `{`), YAML values (`:`, ` `).
pub const TRIGGER_CHARACTERS: &[&str] = &["-", "=", "$", "{", ":", " ", ","];

/// The capabilities of the editor requests (the rest left at their
/// defaults, for `capabilities()` to fill in).
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            resolve_provider: Some(false),
            trigger_characters: Some(TRIGGER_CHARACTERS.iter().map(|s| s.to_string()).collect()),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        ..ServerCapabilities::default()
    }
}

/// `capabilities()` adjusted to the client: `prepareProvider` only for a
/// client that announced `prepareSupport` (as the protocol requires), and
/// `diagnosticProvider` in pull mode only (a client that is sent both
/// pushed and pulled diagnostics shows each finding twice).
pub fn for_client(mut caps: ServerCapabilities, client: &ClientCapabilities, pull: bool) -> ServerCapabilities {
    if pull {
        caps.diagnostic_provider = Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some("berth".into()),
            // A Dockerfile's findings depend on the Compose files that build it.
            inter_file_dependencies: true,
            workspace_diagnostics: false,
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }));
    }
    let prepare =
        client.text_document.as_ref().and_then(|t| t.rename.as_ref()).and_then(|r| r.prepare_support).unwrap_or(false);
    if !prepare && matches!(caps.rename_provider, Some(OneOf::Right(_))) {
        caps.rename_provider = Some(OneOf::Left(true));
    }
    caps
}

/// The client takes snippets in completion items.
pub fn snippet_support(client: &ClientCapabilities) -> bool {
    client
        .text_document
        .as_ref()
        .and_then(|t| t.completion.as_ref())
        .and_then(|c| c.completion_item.as_ref())
        .and_then(|i| i.snippet_support)
        .unwrap_or(false)
}

// ----- conversions -----

fn file_uri(f: &FileRef) -> Option<Uri> {
    match f {
        FileRef::Open(d) => d.0.parse::<Uri>().ok(),
        FileRef::Disk(p) => Uri::from_file_path(p),
    }
}

fn location(l: &features::Location) -> Option<Location> {
    Some(Location { uri: file_uri(&l.file)?, range: range(l.range) })
}

fn markdown(text: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value: text })
}

fn hover_of(h: HoverAnswer) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: h.markdown }),
        range: Some(range(h.range)),
    }
}

fn completion_kind(k: CompletionKind) -> CompletionItemKind {
    match k {
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        CompletionKind::Flag => CompletionItemKind::FIELD,
        CompletionKind::Value => CompletionItemKind::VALUE,
        CompletionKind::Stage => CompletionItemKind::CLASS,
        CompletionKind::Variable => CompletionItemKind::VARIABLE,
        CompletionKind::Property => CompletionItemKind::PROPERTY,
        CompletionKind::EnumValue => CompletionItemKind::ENUM_MEMBER,
        CompletionKind::Reference => CompletionItemKind::REFERENCE,
        CompletionKind::Snippet => CompletionItemKind::SNIPPET,
    }
}

/// One proposal; `index` keeps berth's order (sort text). Snippets become
/// plain text for a client without snippet support.
fn completion_item(snap: &Snapshot, index: usize, c: ide::Completion, snippets: bool) -> CompletionItem {
    let (text, snippet) = match (c.insert, c.snippet) {
        (Some(t), true) if snippets => (Some(t), true),
        (Some(t), true) => (Some(features::snippet_to_plain(&t)), false),
        (t, _) => (t, false),
    };
    // Filter on what is inserted when it does not start with the label
    // (a quote or `- ` before a name).
    let filter_text = text.as_ref().filter(|t| !snippet && !t.starts_with(&c.label)).cloned();
    let text_edit = c.replace.map(|s| {
        CompletionTextEdit::Edit(TextEdit {
            range: range(snap.range(s)),
            new_text: text.clone().unwrap_or_else(|| c.label.clone()),
        })
    });
    CompletionItem {
        kind: Some(completion_kind(c.kind)),
        detail: c.detail,
        documentation: c.docs.map(markdown),
        sort_text: Some(format!("{index:05}")),
        filter_text,
        insert_text: if text_edit.is_none() { text } else { None },
        insert_text_format: Some(if snippet { InsertTextFormat::SNIPPET } else { InsertTextFormat::PLAIN_TEXT }),
        text_edit,
        label: c.label,
        ..CompletionItem::default()
    }
}

fn symbol_kind(k: ide::SymbolKind) -> SymbolKind {
    match k {
        ide::SymbolKind::Stage => SymbolKind::CLASS,
        ide::SymbolKind::Instruction => SymbolKind::FUNCTION,
        ide::SymbolKind::Service => SymbolKind::MODULE,
        ide::SymbolKind::Key => SymbolKind::PROPERTY,
        ide::SymbolKind::Network => SymbolKind::INTERFACE,
        ide::SymbolKind::Volume => SymbolKind::PACKAGE,
        ide::SymbolKind::Secret => SymbolKind::KEY,
        ide::SymbolKind::Config => SymbolKind::OBJECT,
        ide::SymbolKind::Variable => SymbolKind::VARIABLE,
    }
}

fn outline_symbol(snap: &Snapshot, s: ide::Symbol) -> DocumentSymbol {
    let children: Vec<DocumentSymbol> = s.children.into_iter().map(|c| outline_symbol(snap, c)).collect();
    #[allow(deprecated, reason = "the field exists in the protocol type; berth leaves it empty")]
    DocumentSymbol {
        // An empty name is refused by some clients.
        name: if s.name.is_empty() { "?".into() } else { s.name },
        detail: s.detail,
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: range(snap.range(s.span)),
        selection_range: range(snap.range(s.selection)),
        children: (!children.is_empty()).then_some(children),
    }
}

fn workspace_edit(files: Vec<FileEdits>, versioned: bool) -> WorkspaceEdit {
    let converted: Vec<(Uri, Option<i32>, Vec<TextEdit>)> = files
        .into_iter()
        .filter_map(|f| {
            let uri = file_uri(&f.file)?;
            let edits = f.edits.into_iter().map(|(r, t)| TextEdit { range: range(r), new_text: t }).collect();
            Some((uri, f.version, edits))
        })
        .collect();
    if versioned {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(
                converted
                    .into_iter()
                    .map(|(uri, version, edits)| TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
                        edits: edits.into_iter().map(OneOf::Left).collect(),
                    })
                    .collect(),
            )),
            ..WorkspaceEdit::default()
        }
    } else {
        let changes: HashMap<Uri, Vec<TextEdit>> = converted.into_iter().map(|(u, _, e)| (u, e)).collect();
        WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }
    }
}

// ----- the requests -----

pub async fn hover(b: &Backend, params: HoverParams) -> Result<Option<Hover>> {
    let p = params.text_document_position_params;
    let (key, _) = doc(&p.text_document.uri);
    let pos = linecol(p.position);
    let core = b.core.clone();
    Ok(blocking(move || core.hover(&key, pos)).await?.map(hover_of))
}

pub async fn completion(b: &Backend, params: CompletionParams) -> Result<Option<CompletionResponse>> {
    let p = params.text_document_position;
    let (key, _) = doc(&p.text_document.uri);
    let pos = linecol(p.position);
    let core = b.core.clone();
    let snippets = core.caps().snippets;
    let Some((snap, items)) = blocking(move || core.completion(&key, pos)).await? else { return Ok(None) };
    let items: Vec<CompletionItem> =
        items.into_iter().enumerate().map(|(i, c)| completion_item(&snap, i, c, snippets)).collect();
    Ok(Some(CompletionResponse::Array(items)))
}

pub async fn document_symbol(b: &Backend, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
    let (key, _) = doc(&params.text_document.uri);
    let core = b.core.clone();
    let hierarchical = core.caps().hierarchical_symbols;
    let Some((snap, symbols)) = blocking(move || core.symbols(&key)).await? else { return Ok(None) };
    if hierarchical {
        let list = symbols.into_iter().map(|s| outline_symbol(&snap, s)).collect();
        return Ok(Some(DocumentSymbolResponse::Nested(list)));
    }
    // Clients without tree support get the same symbols as a flat list, each
    // naming its parent.
    let mut flat = Vec::new();
    for s in symbols {
        flat_symbols(&snap, &params.text_document.uri, s, None, &mut flat);
    }
    Ok(Some(DocumentSymbolResponse::Flat(flat)))
}

fn flat_symbols(snap: &Snapshot, uri: &Uri, s: ide::Symbol, container: Option<&str>, out: &mut Vec<SymbolInformation>) {
    let name = if s.name.is_empty() { "?".to_string() } else { s.name.clone() };
    #[allow(deprecated, reason = "the field exists in the protocol type; berth leaves it empty")]
    out.push(SymbolInformation {
        name: name.clone(),
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        location: Location { uri: uri.clone(), range: range(snap.range(s.span)) },
        container_name: container.map(str::to_string),
    });
    for c in s.children {
        flat_symbols(snap, uri, c, Some(&name), out);
    }
}

pub async fn folding_range(b: &Backend, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
    let (key, _) = doc(&params.text_document.uri);
    let core = b.core.clone();
    let Some(folds) = blocking(move || core.folding(&key)).await? else { return Ok(None) };
    let line = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(Some(
        folds
            .into_iter()
            .filter(|f| f.end_line > f.start_line)
            .map(|f| FoldingRange {
                start_line: line(f.start_line),
                end_line: line(f.end_line),
                kind: f.comment.then_some(FoldingRangeKind::Comment),
                ..FoldingRange::default()
            })
            .collect(),
    ))
}

pub async fn goto_definition(b: &Backend, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
    let p = params.text_document_position_params;
    let (key, _) = doc(&p.text_document.uri);
    let pos = linecol(p.position);
    let core = b.core.clone();
    let Some(found) = blocking(move || core.definition(&key, pos)).await? else { return Ok(None) };
    let list: Vec<Location> = found.iter().filter_map(location).collect();
    Ok(match list.len() {
        0 => None,
        1 => list.into_iter().next().map(GotoDefinitionResponse::Scalar),
        _ => Some(GotoDefinitionResponse::Array(list)),
    })
}

pub async fn references(b: &Backend, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let p = params.text_document_position;
    let (key, _) = doc(&p.text_document.uri);
    let pos = linecol(p.position);
    let decl = params.context.include_declaration;
    let core = b.core.clone();
    let Some(found) = blocking(move || core.references(&key, pos, decl)).await? else { return Ok(None) };
    Ok(Some(found.iter().filter_map(location).collect()))
}

pub async fn document_highlight(
    b: &Backend,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    let p = params.text_document_position_params;
    let (key, _) = doc(&p.text_document.uri);
    let pos = linecol(p.position);
    let core = b.core.clone();
    let Some((snap, list)) = blocking(move || core.highlights(&key, pos)).await? else { return Ok(None) };
    Ok(Some(
        list.iter()
            .map(|o| DocumentHighlight {
                range: range(snap.range(o.span)),
                kind: Some(if o.write { DocumentHighlightKind::WRITE } else { DocumentHighlightKind::READ }),
            })
            .collect(),
    ))
}

pub async fn prepare_rename(b: &Backend, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
    let (key, _) = doc(&params.text_document.uri);
    let pos = linecol(params.position);
    let core = b.core.clone();
    let found = blocking(move || core.prepare_rename(&key, pos)).await?;
    Ok(found.map(|(r, placeholder)| PrepareRenameResponse::RangeWithPlaceholder { range: range(r), placeholder }))
}

pub async fn rename(b: &Backend, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let p = params.text_document_position;
    let (key, _) = doc(&p.text_document.uri);
    let pos = linecol(p.position);
    let new_name = params.new_name;
    let core = b.core.clone();
    let versioned = core.caps().document_changes;
    match blocking(move || core.rename(&key, pos, &new_name)).await? {
        Ok(found) => Ok(found.map(|files| workspace_edit(files, versioned))),
        // `RequestFailed`: the editor shows the reason.
        Err(e) => Err(Error { code: ErrorCode::ServerError(-32803), message: e.0.into(), data: None }),
    }
}

pub async fn range_formatting(b: &Backend, params: DocumentRangeFormattingParams) -> Result<Option<Vec<TextEdit>>> {
    let (key, _) = doc(&params.text_document.uri);
    let r = (linecol(params.range.start), linecol(params.range.end));
    let core = b.core.clone();
    let Some((snap, edits)) = blocking(move || core.format_range(&key, r)).await? else { return Ok(None) };
    Ok(Some(edits.into_iter().map(|(s, t)| TextEdit { range: range(snap.range(s)), new_text: t }).collect()))
}

pub async fn document_link(b: &Backend, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
    let (key, _) = doc(&params.text_document.uri);
    let core = b.core.clone();
    let Some(found) = blocking(move || core.links(&key)).await? else { return Ok(None) };
    Ok(Some(
        found
            .into_iter()
            .filter_map(|l| {
                let target = match &l.goes {
                    Goes::Url(u) => u.parse::<Uri>().ok()?,
                    Goes::File(p) => Uri::from_file_path(p)?,
                };
                Some(DocumentLink { range: range(l.range), target: Some(target), tooltip: Some(l.tooltip), data: None })
            })
            .collect(),
    ))
}

/// How long a pull waits for the lint in progress before linting itself.
const PULL_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// `textDocument/diagnostic`: the findings of the document's current
/// version, the same list the server publishes (waiting for the lint in
/// progress), with a result id; `unchanged` when the client has that list.
pub async fn diagnostic(b: &Backend, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
    let uri = params.text_document.uri;
    let (key, _) = doc(&uri);
    let started = std::time::Instant::now();
    let items = loop {
        match b.core.pulled(&key) {
            Pulled::Ready(items) => break items,
            Pulled::Pending if started.elapsed() < PULL_WAIT => {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            Pulled::Pending => {
                let core = b.core.clone();
                let k = key.clone();
                break blocking(move || core.lint_items(&k)).await?;
            }
        }
    };
    let id = result_id(&items);
    b.core.pulled_as(&key, &id);
    let report = if params.previous_result_id.as_deref() == Some(id.as_str()) {
        DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id: id },
        })
    } else {
        DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(id),
                items: items.iter().map(|i| diagnostic_of(&uri, i)).collect(),
            },
        })
    };
    Ok(DocumentDiagnosticReportResult::Report(report))
}

pub async fn formatting(b: &Backend, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
    let (key, _) = doc(&params.text_document.uri);
    let core = b.core.clone();
    let Some((snap, edits)) = blocking(move || core.format(&key)).await? else { return Ok(None) };
    Ok(Some(edits.into_iter().map(|(s, t)| TextEdit { range: range(snap.range(s)), new_text: t }).collect()))
}
