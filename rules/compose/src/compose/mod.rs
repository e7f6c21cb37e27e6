//! Compose files: a positions-exact YAML tree ([`tree`]) and the Compose
//! meaning on top of it ([`ComposeFile`]).
//!
//! The tree is built from libyaml events (`libyaml-safer`; Compose reads
//! YAML with go-yaml, a Go port of the same libyaml, so berth accepts what
//! Compose accepts), so every node and key has a byte [`Span`], scalars keep
//! their style, key order and duplicate keys are kept. A file that does not
//! load can still be read without the one service that holds the error
//! ([`ComposeFile::parse_without_damage`]). [`tree::resolve`] gives the resolved view
//! (aliases and `<<` merges applied, each copied node remembering the place
//! it was written and the alias or merge key that brought it in). Scalars are
//! read as Compose (go-yaml) reads them where that differs from YAML 1.2:
//! [`Node::compose_int`] reads `0755` as octal.

pub mod env;
pub mod interpolate;
pub mod merge;
pub mod profiles;
pub mod project;
pub mod references;
pub mod request;
pub mod schema;
pub mod tree;
pub mod volumes;

pub use tree::{Key, Kind, Node, Style, YamlError};

use crate::text::{LineIndex, Span};

/// One service of the resolved file.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    pub name_span: Span,
    /// The service's resolved mapping.
    pub node: Node,
}

/// A parsed Compose file.
#[derive(Debug, Clone)]
pub struct ComposeFile {
    pub text: String,
    pub lines: LineIndex,
    /// The tree as written (aliases unexpanded, `<<` keys in place).
    pub raw: Node,
    /// Aliases and merges applied.
    pub resolved: Node,
    /// `services:` entries in order (duplicates kept).
    pub services: Vec<Service>,
    /// Every schema problem of `resolved`, found on first use (several rules
    /// read them, each for its own kind of problem).
    pub schema: std::sync::OnceLock<Vec<schema::Problem>>,
}

/// Where the comment of a line starts (`#` at the start or after a space,
/// outside quotes), for the readers that look at a line's text rather than
/// the tree (ignore comments, the editor's outline, hover and completion).
pub fn comment_start(line: &str) -> Option<usize> {
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

/// The `services:` entries of a (resolved) root, in order, duplicates kept.
pub(crate) fn services_of(root: &Node) -> Vec<Service> {
    root.get("services")
        .map(|s| {
            s.entries()
                .iter()
                .map(|(k, v)| Service { name: k.text.clone(), name_span: k.span, node: v.clone() })
                .collect()
        })
        .unwrap_or_default()
}

/// A service's `image:` written as a string, for every rule (and front end)
/// that judges the image a service runs: the one place that reads it.
#[derive(Debug, Clone)]
pub struct ServiceImage<'f> {
    pub service: &'f Service,
    pub key: &'f Key,
    pub value: &'f Node,
    /// The value as Compose uses it: interpolated with the project's
    /// variables and trimmed; `None` when a variable's value is unknown (or
    /// the template is not valid).
    pub text: Option<String>,
    /// Written without variables (`text` is the value as written).
    pub literal: bool,
    /// The service builds its image (`build:`): `image:` names the result.
    pub built: bool,
    /// Compose pulls the image from a registry: the service does not build
    /// it and its `pull_policy` is not `never` or `build`.
    pub pulls: bool,
}

/// Each service's `image:` that is a string, in order, with its value after
/// interpolation with `env` ([`interpolate::interpolate`]).
pub fn service_images<'f>(
    services: &'f [Service],
    env: &'f interpolate::Env,
) -> impl Iterator<Item = ServiceImage<'f>> + 'f {
    services.iter().filter_map(move |service| {
        let (key, value) = service.node.entry("image")?;
        let raw = value.str()?;
        let literal = !interpolate::interpolated(raw);
        let text = if literal {
            Some(raw.trim().to_string())
        } else {
            interpolate::interpolate(raw, env).map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
        };
        let built = service.node.get("build").is_some();
        let policy = service.node.get("pull_policy").and_then(|p| p.str()).unwrap_or("").trim();
        let pulls = !built && !matches!(policy, "never" | "build");
        Some(ServiceImage { service, key, value, text, literal, built, pulls })
    })
}

impl ComposeFile {
    pub fn parse(text: &str) -> Result<ComposeFile, YamlError> {
        ComposeFile::load(text).map_err(|u| u.error)
    }

    /// [`ComposeFile::parse`], keeping with the error where the reader was
    /// when it failed, so that [`ComposeFile::parse_without_damage_of`] does
    /// not read the text a second time to find out.
    pub fn load(text: &str) -> Result<ComposeFile, Unloaded> {
        let lines = LineIndex::new(text);
        let raw = tree::parse_at(text).map_err(|(error, entry)| Unloaded { error, entry })?;
        let resolved = tree::resolve(&raw).map_err(|error| Unloaded { error, entry: None })?;
        let services = services_of(&resolved);
        Ok(ComposeFile { text: text.to_string(), lines, raw, resolved, services, schema: Default::default() })
    }

    /// When `text` does not load (`error`) and the cause lies inside one
    /// service of a block `services:` mapping, or inside one top-level entry
    /// other than `services`, the file read with that entry's value left out
    /// (its key kept), and what was left out. The left-out text is replaced by
    /// spaces (line breaks kept), so every other span is that of `text`.
    pub fn parse_without_damage(text: &str, error: &YamlError) -> Option<(ComposeFile, Damage)> {
        let (patched, damage) = blank_damaged_service(text, error, tree::entry_at_error(text)?)?;
        let file = ComposeFile::parse(&patched).ok()?;
        Some((file, damage))
    }

    /// [`ComposeFile::parse_without_damage`] for the result of [`ComposeFile::load`].
    pub fn parse_without_damage_of(text: &str, unloaded: &Unloaded) -> Option<(ComposeFile, Damage)> {
        let (patched, damage) = blank_damaged_service(text, &unloaded.error, unloaded.entry?)?;
        let file = ComposeFile::parse(&patched).ok()?;
        Some((file, damage))
    }

    /// Top-level keys as written.
    pub fn top_level_keys(&self) -> impl Iterator<Item = &Key> {
        self.raw.entries().iter().map(|(k, _)| k)
    }

    /// The schema problems of the file of `kind`, in the order
    /// [`schema::validate`] finds them (it is run once, for every kind).
    pub fn schema_problems(&self, kind: schema::ProblemKind) -> impl Iterator<Item = &schema::Problem> {
        self.schema
            .get_or_init(|| schema::validate(&self.resolved, &self.text, None))
            .iter()
            .filter(move |p| p.kind == kind)
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

/// Why [`ComposeFile::load`] failed: the error, and where the YAML reader was
/// when it stopped (the key of the top-level entry and, inside a block
/// `services:` mapping, of the service; `None` when the text read but did not
/// resolve, e.g. an alias bomb).
#[derive(Debug, Clone)]
pub struct Unloaded {
    pub error: YamlError,
    pub entry: Option<tree::ErrorEntry>,
}

/// What [`ComposeFile::parse_without_damage`] left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// The key whose value was left out: a service name, or a top-level key.
    pub key: String,
    /// Whether `key` is a top-level key (else a service of `services:`).
    pub top_level: bool,
    /// The lines left out (from the key to the value's last line).
    pub span: Span,
    /// 1-based first and last line of `span`.
    pub lines: (usize, usize),
}

/// `text` with the value of the entry that the reader was inside when it
/// failed blanked out: a service of `services:`, or a top-level entry other
/// than `services`. The value runs from the `:` after the key to the last
/// line indented deeper than the key (go-yaml lets a flow collection run to
/// any column; then the blanked text still fails and nothing is left out).
fn blank_damaged_service(
    text: &str,
    error: &YamlError,
    (top, service): (Span, Option<Span>),
) -> Option<(String, Damage)> {
    let key = match service {
        Some(s) => s,
        None if &text[top.start..top.end] != "services" => top,
        None => return None,
    };
    let line_start = text[..key.start].rfind('\n').map_or(0, |i| i + 1);
    let col = key.start - line_start;
    if !text[line_start..key.start].bytes().all(|b| b == b' ') || error.span.start < key.end {
        return None;
    }
    let colon = key.end + text[key.end..].find(':')?;
    let mut end = text[colon..].find('\n').map_or(text.len(), |i| colon + i);
    let mut at = end;
    while at < text.len() {
        let line_end = text[at + 1..].find('\n').map_or(text.len(), |i| at + 1 + i);
        let line = text[at + 1..line_end].trim_end_matches('\r');
        let t = line.trim_start_matches(' ');
        let code = !t.is_empty() && !t.starts_with('#');
        if code {
            if line.len() - t.len() <= col {
                break;
            }
            end = line_end;
        }
        at = line_end;
    }
    if error.span.start > end {
        return None;
    }
    let mut bytes = text.as_bytes().to_vec();
    for b in &mut bytes[colon + 1..end] {
        if !matches!(*b, b'\n' | b'\r') {
            *b = b' ';
        }
    }
    let patched = String::from_utf8(bytes).ok()?;
    let line_of = |o: usize| text[..o].matches('\n').count() + 1;
    let damage = Damage {
        key: text[key.start..key.end].trim_matches(['"', '\'']).to_string(),
        top_level: service.is_none(),
        span: Span::new(line_start, end),
        lines: (line_of(key.start), line_of(end)),
    };
    Some((patched, damage))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_images_are_interpolated_and_say_who_pulls() {
        let f = ComposeFile::parse(
            "services:\n  a:\n    image: ' nginx:1.27 '\n  b:\n    image: ${REG}/app:${TAG:-2}\n  c:\n    image: x/${UNSET}\n  d:\n    build: .\n    image: me/app\n  e:\n    image: local\n    pull_policy: never\n  f:\n    image: [no]\n  g:\n    command: x\n",
        )
        .unwrap();
        let mut env = interpolate::Env::new();
        env.insert("REG", "ghcr.io/acme");
        let got: Vec<_> = service_images(&f.services, &env)
            .map(|si| (si.service.name.clone(), si.text, si.literal, si.built, si.pulls))
            .collect();
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            got,
            vec![
                ("a".into(), s("nginx:1.27"), true, false, true),
                ("b".into(), s("ghcr.io/acme/app:2"), false, false, true),
                ("c".into(), None, false, false, true),
                ("d".into(), s("me/app"), true, true, false),
                ("e".into(), s("local"), true, false, false),
            ]
        );
    }

    fn at(f: &ComposeFile, s: Span) -> &str {
        f.slice(s)
    }

    #[test]
    fn spans_of_keys_and_values() {
        let text = "services:\n  wéb:\n    image: \"ngïnx:1\"\n    command: |\n      run\n    ports: ['80:80', 443]\n";
        let f = ComposeFile::parse(text).unwrap();
        let web = &f.services[0];
        assert_eq!(web.name, "wéb");
        assert_eq!(at(&f, web.name_span), "wéb");
        let (k, v) = web.node.entry("image").unwrap();
        assert_eq!(at(&f, k.span), "image");
        assert_eq!(at(&f, v.span), "\"ngïnx:1\"");
        assert_eq!(v.style(), Some(Style::DoubleQuoted));
        assert_eq!(v.str(), Some("ngïnx:1"));
        let ports = web.node.get("ports").unwrap().items();
        assert_eq!(at(&f, ports[0].span), "'80:80'");
        assert_eq!(at(&f, ports[1].span), "443");
        assert_eq!(web.node.get("command").unwrap().style(), Some(Style::Literal));
    }

    #[test]
    fn duplicate_keys_are_kept_in_order() {
        let f = ComposeFile::parse("services:\n  a:\n    image: x\n    image: y\n").unwrap();
        let keys: Vec<_> = f.services[0].node.entries().iter().map(|(k, v)| (k.text.as_str(), v.str())).collect();
        assert_eq!(keys, [("image", Some("x")), ("image", Some("y"))]);
        assert_eq!(f.services[0].node.get("image").unwrap().str(), Some("y"));
    }

    #[test]
    fn merge_keys_remember_where_values_were_written() {
        let text = "x-base: &base\n  restart: always\n  image: old\nservices:\n  web:\n    <<: *base\n    image: new\n  db:\n    <<: [*base]\n";
        let f = ComposeFile::parse(text).unwrap();
        let web = &f.services[0].node;
        assert_eq!(web.get("image").unwrap().str(), Some("new"));
        let restart = web.get("restart").unwrap();
        assert_eq!(restart.str(), Some("always"));
        assert_eq!(at(&f, restart.span), "always");
        assert_eq!(f.lines.line_of(restart.span.start), 1, "written at the anchor");
        let via = restart.via.unwrap();
        assert_eq!(f.lines.line_of(via.start), 5, "brought in by the `<<` on line 6");
        assert!(web.get("<<").is_none());
        assert_eq!(f.services[1].node.get("image").unwrap().str(), Some("old"));
        // The raw tree keeps the merge key.
        assert!(f.raw.get("services").unwrap().get("web").unwrap().get("<<").is_some());
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let names = ["b", "c", "d", "e", "f", "g", "h", "i", "j"];
        let mut prev = "a";
        for n in names {
            text += &format!(
                "{n}: &{n} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            );
            prev = n;
        }
        let t = std::time::Instant::now();
        let err = ComposeFile::parse(&text).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{}", err.message);
        assert!(t.elapsed().as_secs() < 2);
    }

    #[test]
    fn octal_as_compose_reads_it() {
        let f = ComposeFile::parse("a: 0755\nb: 0o644\nc: 12\nd: '0755'\ne: 0x1F\nf: 09\n").unwrap();
        let r = &f.resolved;
        assert_eq!(r.get("a").unwrap().compose_int(), Some(493));
        assert_eq!(r.get("b").unwrap().compose_int(), Some(420));
        assert_eq!(r.get("c").unwrap().compose_int(), Some(12));
        assert_eq!(r.get("d").unwrap().compose_int(), None, "quoted: a string");
        assert_eq!(r.get("e").unwrap().compose_int(), Some(31));
        assert_eq!(r.get("f").unwrap().compose_int(), None);
    }

    #[test]
    fn errors_have_places_and_nothing_panics() {
        let text = "services:\n  web:\n    image: [a\n";
        let e = ComposeFile::parse(text).unwrap_err();
        assert!(e.span.start <= text.len());
        for t in
            ["", "---", "a: *x", "[[[[[[", "{", "- - -", "a: 'b", "\t- x", &"[".repeat(100_000), "a: b\n\u{feff}c: d"]
        {
            let _ = ComposeFile::parse(t);
        }
    }
}
