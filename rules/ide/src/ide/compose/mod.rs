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
//! Keys are documented from [`schema::lookup`](crate::compose::schema::lookup) by their path from the root,
//! the path of the place where they are written. Inside an anchored fragment
//! (`x-base: &base`) the path is the one of the place that uses it (`<<:
//! *base` in a service), so the fragment's keys get the service keys' docs.

mod analysis;
mod completion;
mod hover;
mod links;
mod navigation;
mod outline;
mod symbols;

pub use links::links;
pub use navigation::{
    build_target_at, build_target_at_parsed, build_targets, build_targets_parsed, definition, definition_parsed,
    references, references_parsed, rename, rename_parsed, rename_range, rename_range_parsed,
};

use crate::compose::ComposeFile;
use crate::compose::env::Env;
use crate::ide::{Completion, Fold, Hover, Symbol, SymbolKind, clamp_offset};

use completion::*;
use hover::*;
use navigation::*;
use outline::*;
use symbols::*;

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

#[cfg(test)]
mod tests {
    use super::test_util::*;
    use super::*;

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

/// Helpers shared by the unit tests of every feature.
#[cfg(test)]
mod test_util {
    use super::*;

    /// The cursor marker in test texts (`|` is YAML's literal block indicator).
    pub(super) const CURSOR: &str = "‸";

    pub(super) fn at(marked: &str) -> (String, usize) {
        let offset = marked.find(CURSOR).expect("cursor marker");
        (marked.replacen(CURSOR, "", 1), offset)
    }

    pub(super) fn complete(marked: &str) -> Vec<Completion> {
        let (text, offset) = at(marked);
        completion(&text, offset, &["builder".to_string(), "runtime".to_string()])
    }

    pub(super) fn labels(marked: &str) -> Vec<String> {
        complete(marked).into_iter().map(|c| c.label).collect()
    }

    pub(super) fn has(list: &[String], want: &[&str]) -> bool {
        want.iter().all(|w| list.iter().any(|l| l == w))
    }

    pub(super) fn hover_md(marked: &str, env: Option<&Env>) -> Option<(String, String)> {
        let (text, offset) = at(marked);
        hover(&text, offset, env).map(|h| (text[h.span.start..h.span.end].to_string(), h.markdown))
    }

    pub(super) const APP: &str = "services:\n  web:\n    image: nginx:1.27\n    depends_on: [db]\n    networks: [front]\n  db:\n    image: postgres:16\n    volumes:\n      - data:/var/lib/postgresql/data\n  cache:\n    build: ./cache\nnetworks:\n  front: {}\n  back: {}\nvolumes:\n  data: {}\n  logs: {}\nsecrets:\n  token:\n    file: ./token\nconfigs:\n  conf:\n    file: ./c.conf\n";

    pub(super) fn with_app(service_part: &str) -> String {
        format!(
            "services:\n  web:\n    image: nginx\n{service_part}\n  db:\n    image: postgres:16\n  cache:\n    image: redis\nnetworks:\n  front: {{}}\n  back: {{}}\nvolumes:\n  data: {{}}\nsecrets:\n  token:\n    file: ./t\nconfigs:\n  conf:\n    file: ./c\n"
        )
    }
}
