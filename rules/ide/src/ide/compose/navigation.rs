//! Navigation: names and their references (definition, references,
//! highlight, rename) and `build.target` lookups.

use crate::compose::interpolate::interpolated;
use crate::compose::references::{self, Written};
use crate::compose::{ComposeFile, Key, Node, Style};
use crate::ide::{Occurrence, RenameError, SymbolKind, TextEdit, clamp_offset};
use crate::text::Span;
use std::ops::Range;

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
pub(super) enum Section {
    Services,
    Networks,
    Volumes,
    Configs,
    Secrets,
}

impl Section {
    const ALL: [Section; 5] =
        [Section::Services, Section::Networks, Section::Volumes, Section::Configs, Section::Secrets];

    pub(super) fn key(self) -> &'static str {
        match self {
            Section::Services => "services",
            Section::Networks => "networks",
            Section::Volumes => "volumes",
            Section::Configs => "configs",
            Section::Secrets => "secrets",
        }
    }

    pub(super) fn of(key: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.key() == key)
    }

    pub(super) fn noun(self) -> &'static str {
        match self {
            Section::Services => "service",
            Section::Networks => "network",
            Section::Volumes => "volume",
            Section::Configs => "config",
            Section::Secrets => "secret",
        }
    }

    pub(super) fn symbol_kind(self) -> SymbolKind {
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
pub(super) enum Place {
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
pub(super) struct Use {
    pub(super) section: Section,
    pub(super) name: String,
    pub(super) span: Span,
    pub(super) place: Place,
    pub(super) decl: bool,
    /// The service where a reference is written.
    pub(super) by: Option<String>,
    /// How the service refers to it ("depends on", ...).
    pub(super) how: &'static str,
}

impl Use {
    pub(super) fn same(&self, other: &Use) -> bool {
        self.section == other.section && self.name == other.name
    }
}

pub(super) fn use_at(uses: &[Use], offset: usize) -> Option<&Use> {
    uses.iter().find(|u| inside(u.span, offset))
}

/// `offset` in `span`, its end included (a cursor right after a word is on it).
pub(super) fn inside(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// Where the part `range` of a scalar's value is written.
pub(super) fn scalar_place(file: &ComposeFile, node: &Node, range: &Range<usize>) -> (Span, Place) {
    let (Some(text), Some(style)) = (node.str(), node.style()) else { return (node.span, Place::Unplaceable) };
    written_place(file.slice(node.span), node.span, text, style, range)
}

pub(super) fn key_place(file: &ComposeFile, key: &Key) -> (Span, Place) {
    written_place(file.slice(key.span), key.span, &key.text, key.style, &(0..key.text.len()))
}

pub(super) fn written_place(src: &str, span: Span, text: &str, style: Style, range: &Range<usize>) -> (Span, Place) {
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

pub(super) struct Uses<'f> {
    pub(super) file: &'f ComposeFile,
    pub(super) out: Vec<Use>,
}

impl Uses<'_> {
    pub(super) fn scalar(&mut self, section: Section, node: &Node, range: Range<usize>, by: &str, how: &'static str) {
        let Some(name) = node.str().and_then(|t| t.get(range.clone())) else { return };
        if name.is_empty() || interpolated(name) {
            return;
        }
        let (span, place) = scalar_place(self.file, node, &range);
        self.out.push(Use { section, name: name.to_string(), span, place, decl: false, by: Some(by.into()), how });
    }

    pub(super) fn key(&mut self, section: Section, key: &Key, by: Option<&str>, how: &'static str) {
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
pub(super) fn collect_uses(file: &ComposeFile) -> Vec<Use> {
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
pub(super) fn valid_name(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric)
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// A plain scalar YAML (1.1 or 1.2) would read as something else than a string.
pub(super) fn needs_quotes(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if matches!(lower.as_str(), "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n") {
        return true;
    }
    let numeric = |b: u8| b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'e' | b'E' | b'-' | b'+' | b':');
    crate::compose::tree::compose_int(s).is_some()
        || s.parse::<f64>().is_ok()
        || (s.as_bytes().first().is_some_and(u8::is_ascii_digit) && s.bytes().all(numeric))
}

pub(super) struct Target {
    pub(super) service: String,
    pub(super) context: String,
    pub(super) dockerfile: String,
    pub(super) target: String,
    pub(super) span: Span,
}

pub(super) fn build_target_list(file: &ComposeFile) -> Vec<Target> {
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

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::super::*;
    use super::*;
    use crate::text::LineIndex;

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
}
