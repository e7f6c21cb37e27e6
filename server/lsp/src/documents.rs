//! Open documents: a ropey buffer per URI, incremental edits in UTF-16
//! positions, versions, the language of each document, and the last lint.
//!
//! Everything here works in berth's own units: byte offsets (`Span`) into a
//! snapshot's text and [`LineCol`] positions whose column counts UTF-16 code
//! units, as the protocol does. Lines end at `\n`, `\r\n` or a lone `\r` (the
//! protocol's three line ends; ropey's `cr_lines`). Out-of-range positions are
//! clamped, never a panic: a line past the end means the end of the text, a
//! column past the end of its line means the end of that line, and a column
//! inside a surrogate pair means the start of that character.

use super::items::Item;
use berth_rules::compose::ComposeFile;
use berth_rules::engine::Diagnostic;
use berth_rules::shell::ScriptCache;
use berth_rules::syntax::Dockerfile;
use berth_rules::text::{LineCol, Span};
use berth_workspace::discover::{self, FileKind};
use ropey::Rope;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// A document's URI, as the client wrote it (the key of the store).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocUri(pub String);

impl std::fmt::Display for DocUri {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What berth lints a document as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Dockerfile,
    Compose,
}

impl Language {
    /// The language from the client's `languageId` and the file name:
    /// `dockerfile` (or `containerfile`), `dockercompose`, `yaml` when the file
    /// name is a Compose name; any other id goes by the file name alone.
    /// `None`: berth does not lint it.
    pub fn detect(language_id: &str, path: Option<&Path>, uri: &str) -> Option<Language> {
        let by_name = match path {
            Some(p) => discover::kind_of(p),
            // `untitled:Dockerfile` and the like: the last segment of the URI.
            None => discover::kind_of(Path::new(uri.rsplit(['/', ':']).next().unwrap_or(uri))),
        };
        let by_name = by_name.map(|k| match k {
            FileKind::Dockerfile => Language::Dockerfile,
            FileKind::Compose => Language::Compose,
        });
        match language_id.to_ascii_lowercase().as_str() {
            "dockerfile" | "containerfile" => Some(Language::Dockerfile),
            "dockercompose" | "docker-compose" | "compose" => Some(Language::Compose),
            "yaml" | "yml" => by_name.filter(|l| *l == Language::Compose),
            _ => by_name,
        }
    }
}

/// One content change: `range` in UTF-16 positions (`None`: the whole text).
#[derive(Debug, Clone)]
pub struct Change {
    pub range: Option<(LineCol, LineCol)>,
    pub text: String,
}

/// From this size on a document is "large": its previous syntax tree is let
/// go when a new lint starts (the peak holds one version, not two), and the
/// editor does not run ShellCheck on it (tens of seconds of work on 1 MiB;
/// `berth check` still does).
pub const LARGE_DOCUMENT: usize = 256 * 1024;

/// Every lint, re-lint or change takes a new generation; they are unique for
/// the life of the process, so a result can never match a reopened document.
static GENERATIONS: AtomicU64 = AtomicU64::new(1);

pub fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, Ordering::Relaxed)
}

/// The parsed form of a snapshot, shared by every feature that needs it.
#[derive(Debug)]
pub enum Analysis {
    /// Shared with the editor features' analysis.
    Dockerfile(Arc<Dockerfile>),
    /// `None` when the YAML cannot be loaded.
    Compose(#[allow(dead_code, reason = "read by the requests to come")] Option<Box<ComposeFile>>),
}

impl Analysis {
    pub fn parse(language: Language, text: &str) -> Analysis {
        match language {
            Language::Dockerfile => Analysis::Dockerfile(Arc::new(Dockerfile::parse(text))),
            Language::Compose => Analysis::Compose(ComposeFile::parse(text).ok().map(Box::new)),
        }
    }
}

/// The last lint of a document, for code actions and ShellCheck.
#[derive(Debug, Clone)]
pub struct LintCache {
    /// The generation it was computed for.
    pub generation: u64,
    /// berth's own findings (severity overrides applied).
    pub native: Arc<Vec<Diagnostic>>,
    /// The same, as published.
    pub native_items: Arc<Vec<Item>>,
    /// ShellCheck's, once known for this generation (or carried over).
    pub shellcheck: Arc<Vec<Diagnostic>>,
    pub shellcheck_items: Arc<Vec<Item>>,
    /// True when `shellcheck` was computed for this very generation.
    pub shellcheck_current: bool,
    /// `None` once released: a large document's tree is let go when its next
    /// lint starts, so that two versions are never held at once.
    pub analysis: Option<Arc<Analysis>>,
}

impl LintCache {
    /// Native and ShellCheck findings, sorted.
    pub fn all(&self) -> Vec<Diagnostic> {
        let mut v: Vec<Diagnostic> = self.native.iter().chain(self.shellcheck.iter()).cloned().collect();
        v.sort_by(|a, b| (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code)));
        v
    }
}

/// An open document.
#[derive(Debug)]
pub struct Document {
    pub uri: DocUri,
    /// The file behind a `file:` URI.
    pub path: Option<PathBuf>,
    #[allow(dead_code, reason = "kept for the requests to come")]
    pub language_id: String,
    pub language: Option<Language>,
    pub version: i32,
    pub rope: Rope,
    /// Taken anew on every change and every request to lint again.
    pub generation: u64,
    /// A lint loop is running for this document.
    pub linting: bool,
    pub last: Option<LintCache>,
    /// RUN scripts parsed by the last lint, for the next one (taken by the
    /// lint loop while it runs).
    pub scripts: Option<ScriptCache>,
    /// The last AI review's findings (published with the others while its
    /// generation is current).
    pub ai_review: Option<Arc<super::items::Review>>,
    /// The text of `rope`, built on demand and kept until the next change.
    text: Option<Arc<str>>,
}

/// An immutable view of a document at one version: what lints and requests
/// work on. Cheap to clone (the rope shares its nodes).
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub uri: DocUri,
    pub path: Option<PathBuf>,
    pub language: Option<Language>,
    pub version: i32,
    pub generation: u64,
    pub rope: Rope,
    pub text: Arc<str>,
}

fn rope_text(rope: &Rope) -> Arc<str> {
    let mut s = String::with_capacity(rope.len_bytes());
    for chunk in rope.chunks() {
        s.push_str(chunk);
    }
    Arc::from(s)
}

/// Characters of line break at the end of `line` (0, 1 or 2).
fn break_chars(line: ropey::RopeSlice<'_>) -> usize {
    let n = line.len_chars();
    if n == 0 {
        return 0;
    }
    match line.char(n - 1) {
        '\n' if n >= 2 && line.char(n - 2) == '\r' => 2,
        '\n' | '\r' => 1,
        _ => 0,
    }
}

/// Char index of the end of `line`'s content (before its line break).
fn line_content_end(rope: &Rope, line: usize) -> usize {
    rope.line_to_char(line) + rope.line(line).len_chars() - break_chars(rope.line(line))
}

/// Char index of a UTF-16 position, clamped.
pub fn char_of(rope: &Rope, pos: LineCol) -> usize {
    if pos.line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(pos.line);
    let end = line_content_end(rope, pos.line);
    let start16 = rope.char_to_utf16_cu(start);
    let end16 = rope.char_to_utf16_cu(end);
    let target = start16.saturating_add(pos.col);
    if target >= end16 {
        return end;
    }
    // Inside a surrogate pair, ropey gives the character that holds it.
    rope.utf16_cu_to_char(target).clamp(start, end)
}

/// Byte offset of a UTF-16 position, clamped.
pub fn offset_of(rope: &Rope, pos: LineCol) -> usize {
    rope.char_to_byte(char_of(rope, pos))
}

/// UTF-16 position of a byte offset (clamped to the text; an offset inside a
/// character or inside a line break counts as that character's line end).
pub fn position_of(rope: &Rope, offset: usize) -> LineCol {
    let offset = offset.min(rope.len_bytes());
    let ch = rope.byte_to_char(offset);
    let line = rope.char_to_line(ch);
    let start = rope.line_to_char(line);
    let ch = ch.min(line_content_end(rope, line));
    LineCol { line, col: rope.char_to_utf16_cu(ch) - rope.char_to_utf16_cu(start) }
}

/// Line starts of one text, for converting many byte offsets to UTF-16
/// positions at once (the findings of a lint) without walking the rope for
/// each: the same answers as [`position_of`].
pub struct Lines<'a> {
    text: &'a str,
    /// Byte offset of each line's start; lines end at `\n`, `\r\n` or a lone `\r`.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Lines { text, starts }
    }

    /// UTF-16 position of a byte offset, clamped like [`position_of`].
    pub fn position(&self, offset: usize) -> LineCol {
        let bytes = self.text.as_bytes();
        let mut offset = offset.min(self.text.len());
        // Inside a character: that character.
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|s| *s <= offset) - 1;
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.text.len());
        if end > start && line + 1 < self.starts.len() {
            // Drop the line break.
            end -= 1;
            if bytes[end] == b'\n' && end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
        }
        let at = offset.min(end);
        let piece = &self.text[start..at];
        let col = if piece.is_ascii() { piece.len() } else { piece.encode_utf16().count() };
        LineCol { line, col }
    }

    pub fn range(&self, span: Span) -> (LineCol, LineCol) {
        (self.position(span.start), self.position(span.end.max(span.start)))
    }
}

impl Snapshot {
    pub fn position(&self, offset: usize) -> LineCol {
        position_of(&self.rope, offset)
    }

    /// Start and end positions of a byte span.
    pub fn range(&self, span: Span) -> (LineCol, LineCol) {
        (self.position(span.start), self.position(span.end.max(span.start)))
    }

    pub fn offset(&self, pos: LineCol) -> usize {
        offset_of(&self.rope, pos)
    }

    /// Byte span of a UTF-16 range (ends swapped when reversed).
    pub fn span(&self, start: LineCol, end: LineCol) -> Span {
        let (a, b) = (self.offset(start), self.offset(end));
        Span::new(a.min(b), a.max(b))
    }
}

impl Document {
    pub fn new(uri: DocUri, path: Option<PathBuf>, language_id: String, version: i32, text: &str) -> Document {
        let language = Language::detect(&language_id, path.as_deref(), &uri.0);
        Document {
            uri,
            path,
            language_id,
            language,
            version,
            rope: Rope::from_str(text),
            generation: next_generation(),
            linting: false,
            last: None,
            scripts: Some(ScriptCache::default()),
            ai_review: None,
            text: None,
        }
    }

    /// Apply the changes of one `didChange`, in order.
    pub fn apply(&mut self, version: i32, changes: &[Change]) {
        for c in changes {
            match c.range {
                None => self.rope = Rope::from_str(&c.text),
                Some((start, end)) => {
                    let (a, b) = (char_of(&self.rope, start), char_of(&self.rope, end));
                    let (a, b) = (a.min(b), a.max(b));
                    self.rope.remove(a..b);
                    self.rope.insert(a, &c.text);
                }
            }
        }
        self.version = version;
        self.generation = next_generation();
        self.text = None;
    }

    pub fn text(&mut self) -> Arc<str> {
        self.text.get_or_insert_with(|| rope_text(&self.rope)).clone()
    }

    pub fn snapshot(&mut self) -> Snapshot {
        Snapshot {
            uri: self.uri.clone(),
            path: self.path.clone(),
            language: self.language,
            version: self.version,
            generation: self.generation,
            rope: self.rope.clone(),
            text: self.text(),
        }
    }
}

/// All open documents.
#[derive(Default)]
pub struct Store {
    docs: Mutex<HashMap<DocUri, Document>>,
}

impl Store {
    /// The map, locked. Hold it only for quick, synchronous work: never across
    /// an `.await`, never while linting.
    pub fn lock(&self) -> MutexGuard<'_, HashMap<DocUri, Document>> {
        self.docs.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn snapshot(&self, uri: &DocUri) -> Option<Snapshot> {
        self.lock().get_mut(uri).map(Document::snapshot)
    }

    /// The open documents, each at its current version.
    #[allow(dead_code, reason = "for workspace-wide requests (symbols)")]
    pub fn snapshots(&self) -> Vec<Snapshot> {
        self.lock().values_mut().map(Document::snapshot).collect()
    }

    /// The text of every open document that has a file, by path.
    pub fn open_texts(&self) -> Vec<(PathBuf, Arc<str>)> {
        self.lock().values_mut().filter_map(|d| Some((d.path.clone()?, d.text()))).collect()
    }

    pub fn uris(&self) -> Vec<DocUri> {
        self.lock().keys().cloned().collect()
    }

    /// Open documents whose diagnostics may depend on `uri`'s text: for a
    /// Dockerfile, the open Compose files in its folder or a parent folder
    /// (their build context may include it); for a Compose file, the open
    /// Dockerfiles in its folder or below (it may build them) and the other
    /// open Compose files in its folder, above or below (an override, a base
    /// file, an included or extended file). The one place that decides this.
    pub fn related_documents(&self, uri: &DocUri) -> Vec<DocUri> {
        let docs = self.lock();
        let Some(doc) = docs.get(uri) else { return Vec::new() };
        let (Some(path), Some(lang)) = (doc.path.as_deref(), doc.language) else { return Vec::new() };
        let Some(dir) = path.parent() else { return Vec::new() };
        let mut out: Vec<DocUri> = docs
            .values()
            .filter(|d| d.uri != *uri)
            .filter(|d| {
                let Some(other) = d.path.as_deref().and_then(Path::parent) else { return false };
                match (lang, d.language) {
                    (Language::Dockerfile, Some(Language::Compose)) => dir.starts_with(other),
                    (Language::Compose, Some(Language::Dockerfile)) => other.starts_with(dir),
                    (Language::Compose, Some(Language::Compose)) => other.starts_with(dir) || dir.starts_with(other),
                    _ => false,
                }
            })
            .map(|d| d.uri.clone())
            .collect();
        out.sort();
        out
    }

    /// Open documents whose diagnostics may depend on files changed on disk:
    /// a Compose file in the changed file's folder, above or below it (its
    /// project may read it); a Dockerfile in that folder or below (a Compose
    /// file there may build it, a `.dockerignore` there may be its context's).
    /// A changed open document is not re-linted for its own change (the
    /// editor's text is what counts).
    pub fn depending_on(&self, changed: &[PathBuf]) -> Vec<DocUri> {
        let docs = self.lock();
        let mut out: Vec<DocUri> = docs
            .values()
            .filter(|d| {
                let Some(path) = d.path.as_deref() else { return false };
                let Some(dir) = path.parent() else { return false };
                changed.iter().filter(|c| c.as_path() != path).filter_map(|c| c.parent()).any(|cdir| match d.language {
                    Some(Language::Compose) => cdir.starts_with(dir) || dir.starts_with(cdir),
                    Some(Language::Dockerfile) => dir.starts_with(cdir),
                    None => false,
                })
            })
            .map(|d| d.uri.clone())
            .collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: usize, col: usize) -> LineCol {
        LineCol { line, col }
    }

    #[test]
    fn utf16_positions_with_emoji_cjk_and_combining_marks() {
        let text = "ab\nx😀é\u{301}y\n日本語z\r\nq";
        let rope = Rope::from_str(text);
        let y = text.find('y').unwrap();
        assert_eq!(position_of(&rope, y), lc(1, 5));
        assert_eq!(offset_of(&rope, lc(1, 5)), y);
        // Inside the surrogate pair: the emoji's start.
        assert_eq!(offset_of(&rope, lc(1, 2)), text.find('😀').unwrap());
        let z = text.find('z').unwrap();
        assert_eq!(position_of(&rope, z), lc(2, 3));
        assert_eq!(offset_of(&rope, lc(2, 3)), z);
        // Past the end of a line: its end, before `\r\n`.
        assert_eq!(offset_of(&rope, lc(2, 99)), z + 1);
        // Inside the line break: the line's end.
        assert_eq!(position_of(&rope, z + 2), lc(2, 4));
        // Past the last line: the end of the text.
        assert_eq!(offset_of(&rope, lc(99, 0)), text.len());
        assert_eq!(position_of(&rope, 10_000), lc(3, 1));
        // Inside a character: that character.
        assert_eq!(position_of(&rope, text.find('日').unwrap() + 1), lc(2, 0));
    }

    #[test]
    fn line_index_positions_equal_the_ropes() {
        for text in ["", "a", "ab\nx😀é\u{301}y\n日本語z\r\nq", "a\rb\nc\r\n\r\n", "\n\n😀", "x\r", "é\r\n"] {
            let rope = Rope::from_str(text);
            let lines = Lines::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(lines.position(offset), position_of(&rope, offset), "{text:?} at {offset}");
            }
        }
    }

    #[test]
    fn lone_carriage_return_ends_a_line() {
        let rope = Rope::from_str("a\rb\nc");
        assert_eq!(position_of(&rope, 2), lc(1, 0));
        assert_eq!(offset_of(&rope, lc(2, 0)), 4);
    }

    #[test]
    fn incremental_edits() {
        let mut d = Document::new(DocUri("file:///x/Dockerfile".into()), None, "dockerfile".into(), 1, "FROM 😀\n");
        d.apply(2, &[Change { range: Some((lc(0, 7), lc(0, 7))), text: "X".into() }]);
        assert_eq!(&*d.text(), "FROM 😀X\n");
        d.apply(3, &[Change { range: Some((lc(0, 5), lc(0, 7))), text: "日本".into() }]);
        assert_eq!(&*d.text(), "FROM 日本X\n");
        // Reversed and out-of-range ranges are clamped, not a panic.
        d.apply(4, &[Change { range: Some((lc(9, 9), lc(0, 5))), text: "".into() }]);
        assert_eq!(&*d.text(), "FROM ");
        d.apply(5, &[Change { range: None, text: "RUN x".into() }]);
        assert_eq!((&*d.text(), d.version), ("RUN x", 5));
    }

    #[test]
    fn languages() {
        let l = |id: &str, name: &str| Language::detect(id, Some(Path::new(name)), name);
        assert_eq!(l("dockerfile", "anything.txt"), Some(Language::Dockerfile));
        assert_eq!(l("dockercompose", "x.yaml"), Some(Language::Compose));
        assert_eq!(l("yaml", "/a/compose.yaml"), Some(Language::Compose));
        assert_eq!(l("yaml", "/a/values.yaml"), None);
        assert_eq!(l("plaintext", "/a/Dockerfile.dev"), Some(Language::Dockerfile));
        assert_eq!(Language::detect("dockerfile", None, "untitled:Untitled-1"), Some(Language::Dockerfile));
        assert_eq!(Language::detect("plaintext", None, "untitled:Dockerfile"), Some(Language::Dockerfile));
    }
}
