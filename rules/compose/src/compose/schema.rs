//! The Compose Specification's schema as berth's own static data, a validator
//! that reads values the way `docker compose` does, and a small lookup API for
//! hover and completion.
//!
//! Followed: the Compose Specification JSON schema as of 2025 —
//! `schema/compose-spec.json` of compose-spec/compose-spec (commit 00655e2)
//! and the copy that `docker compose` embeds from compose-spec/compose-go
//! (commit 0035625: top-level `models`, service `provider`, `use_api_socket`,
//! `gpus`, `label_file`, `post_start`/`pre_stop`, `models.*.model_var`, build
//! `provenance`/`sbom`, network `gw_priority`/`interface_name`, `image`
//! mounts) — together with the reference at
//! <https://docs.docker.com/reference/compose-file/> for what the schema
//! leaves as free strings but Compose or the Engine check when loading:
//! restart policies, `pull_policy`, short port mappings, durations
//! (`str2duration`: Go units plus `d` and `w`), byte sizes (go-units
//! `RAMInBytes`), the project name, `deploy` enumerations (including the
//! `replicated-job`/`global-job` modes), `develop.watch[].initial_sync`, and
//! the strings Compose converts to booleans and integers.
//!
//! Reading values like Compose:
//! - a string with `$` (interpolation) is accepted wherever a scalar is;
//! - where a number or a boolean is expected, a string that converts is
//!   accepted (`"2"`, `"true"`, `"yes"`), as Compose converts it;
//! - plain scalars are typed as go-yaml types them: `yes`/`on` are strings,
//!   `0755` is an integer, `09` a number, quoted scalars are strings;
//! - `x-` keys are accepted where the specification allows extensions;
//! - `!reset`/`!override` values are not judged.
//!
//! Deliberate differences from the JSON schema, to stay silent where Compose
//! accepts a file: `version` may be a number; a device reservation needs
//! `capabilities` or `driver` (the schema's `oneOf` would refuse both);
//! `x-` entries among services, volumes and other named entries are skipped.
//! And stricter where Compose fails later: long-form ports need `target`,
//! long-form volumes `target`, long-form secrets/configs `source`; secrets
//! need `file` or `environment` and configs `file`, `environment` or
//! `content` unless `external` or a `driver` is set (compose-go's checks);
//! a `healthcheck.test` list must start with `CMD`, `CMD-SHELL` or `NONE`.
//!
//! Validation is one walk over the resolved tree (merges applied) with static
//! tables and binary search; per file it allocates two small stacks, and more
//! only for the problems it reports.

#[path = "schema_defs.rs"]
mod defs;

use super::interpolate::interpolated;
use super::{Key, Kind, Node, Style};
use crate::text::Span;
use crate::util::{closest, distance};

// ---------------------------------------------------------------- the data model

/// A set of JSON types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Types(pub u8);

impl Types {
    pub const STRING: Types = Types(1);
    pub const INTEGER: Types = Types(2);
    /// Any number (integers included).
    pub const NUMBER: Types = Types(2 | 4);
    pub const BOOLEAN: Types = Types(8);
    pub const NULL: Types = Types(16);
    pub const LIST: Types = Types(32);
    pub const MAP: Types = Types(64);
    const FLOAT_BIT: u8 = 4;

    pub fn contains(self, other: Types) -> bool {
        self.0 & other.0 == other.0
    }

    /// Names of the types, e.g. `["string", "list"]`.
    pub fn names(self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.contains(Types::STRING) {
            v.push("string");
        }
        if self.contains(Types::NUMBER) {
            v.push("number");
        } else if self.contains(Types::INTEGER) {
            v.push("integer");
        }
        if self.contains(Types::BOOLEAN) {
            v.push("boolean");
        }
        if self.contains(Types::LIST) {
            v.push("list");
        }
        if self.contains(Types::MAP) {
            v.push("mapping");
        }
        if self.contains(Types::NULL) {
            v.push("null");
        }
        v
    }
}

/// A key with its one-line description and the definition of its value.
pub(crate) type Prop = (&'static str, &'static str, &'static Def);

/// Which keys besides the listed ones a mapping accepts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Other {
    /// None.
    Closed,
    /// `x-` keys (extensions), with any value.
    Ext,
    /// Names of entries (`[a-zA-Z0-9._-]+`); with `strict`, other names are errors.
    Names { desc: &'static str, def: &'static Def, strict: bool },
    /// Lower-case names (ulimits).
    Lower { desc: &'static str, def: &'static Def },
    /// Any key.
    Any { desc: &'static str, def: &'static Def },
    /// Any key, any value.
    Free,
}

/// Checks on a string value beyond its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    None,
    /// `1m30s`, `500ms`, `2h`, `1d`.
    Duration,
    /// `512m`, `2g`, `1.5GB`, or a number of bytes.
    Bytes,
    /// An integer (Compose converts the string).
    Int,
    /// A number (Compose converts the string).
    Number,
    /// `true`/`false` (and `yes`/`no`, `on`/`off`, `y`/`n`, any case).
    Bool,
    /// `no`, `always`, `on-failure[:N]`, `unless-stopped`.
    Restart,
    PullPolicy,
    /// Short port syntax `[[IP:][HOST]:]CONTAINER[/PROTOCOL]`.
    Port,
    /// A port or a range (`8000-8010`).
    PortRange,
    /// `PORT[-PORT][/PROTOCOL]`.
    Expose,
    ProjectName,
    /// A number or `all`.
    Count,
    /// The list form starts with NONE, CMD or CMD-SHELL.
    HealthTest,
}

/// One node of the schema.
#[derive(Debug)]
pub struct Def {
    pub(crate) ty: u8,
    pub(crate) keys: &'static [Prop],
    pub(crate) other: Other,
    pub(crate) items: Option<&'static Def>,
    pub(crate) req: &'static [&'static str],
    pub(crate) any_of: &'static [&'static str],
    pub(crate) unless: &'static [&'static str],
    pub(crate) values: &'static [&'static str],
    pub(crate) format: Format,
    pub(crate) unique: bool,
    pub(crate) range: Option<(i64, i64)>,
    /// How `docker compose` treats an enumeration value outside `values`.
    pub(crate) outside: Outside,
}

/// What `docker compose` does with a value outside an enumeration of the
/// specification (whose `values` are what Swarm and the specification accept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outside {
    /// compose-go's schema or the Engine refuses it.
    Refused,
    /// `docker compose` never reads the key (Swarm-only settings); only
    /// `docker stack deploy` refuses the value.
    Ignored,
    /// `docker compose` maps these values too; Swarm refuses them (any other
    /// value is refused by the Engine).
    Mapped(&'static [&'static str]),
}

impl Def {
    pub(crate) const fn of(ty: u8) -> Def {
        Def {
            ty,
            keys: &[],
            other: Other::Closed,
            items: None,
            req: &[],
            any_of: &[],
            unless: &[],
            values: &[],
            format: Format::None,
            unique: false,
            range: None,
            outside: Outside::Refused,
        }
    }
    pub(crate) const fn keys(self, keys: &'static [Prop]) -> Def {
        Def { keys, ..self }
    }
    pub(crate) const fn ext(self) -> Def {
        Def { other: Other::Ext, ..self }
    }
    pub(crate) const fn other(self, other: Other) -> Def {
        Def { other, ..self }
    }
    pub(crate) const fn items(self, items: &'static Def) -> Def {
        Def { items: Some(items), ..self }
    }
    pub(crate) const fn req(self, req: &'static [&'static str]) -> Def {
        Def { req, ..self }
    }
    pub(crate) const fn any_of(self, any_of: &'static [&'static str], unless: &'static [&'static str]) -> Def {
        Def { any_of, unless, ..self }
    }
    pub(crate) const fn values(self, values: &'static [&'static str]) -> Def {
        Def { values, ..self }
    }
    pub(crate) const fn format(self, format: Format) -> Def {
        Def { format, ..self }
    }
    pub(crate) const fn unique(self) -> Def {
        Def { unique: true, ..self }
    }
    pub(crate) const fn range(self, lo: i64, hi: i64) -> Def {
        Def { range: Some((lo, hi)), ..self }
    }
    /// A Swarm-only key: `docker compose` does not read it.
    pub(crate) const fn swarm_only(self) -> Def {
        Def { outside: Outside::Ignored, ..self }
    }
    /// `docker compose` also accepts `extra`, which Swarm refuses.
    pub(crate) const fn compose_maps(self, extra: &'static [&'static str]) -> Def {
        Def { outside: Outside::Mapped(extra), ..self }
    }

    fn types(&self) -> Types {
        Types(self.ty)
    }

    fn prop(&self, name: &str) -> Option<&'static Prop> {
        self.keys.binary_search_by(|p| p.0.cmp(name)).ok().and_then(|i| self.keys.get(i))
    }

    /// The definition (and description) of the value under `name`, if allowed.
    fn child(&self, name: &str) -> Option<(&'static str, &'static Def)> {
        if let Some(p) = self.prop(name) {
            return Some((p.1, p.2));
        }
        match self.other {
            Other::Names { desc, def, .. } if is_name(name) && !name.starts_with("x-") => Some((desc, def)),
            Other::Lower { desc, def } if !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase()) => {
                Some((desc, def))
            }
            Other::Any { desc, def } => Some((desc, def)),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------- lookup API (hover, completion)

/// A place in the schema, reached by [`lookup`].
#[derive(Debug, Clone, Copy)]
pub struct SchemaNode {
    description: &'static str,
    def: &'static Def,
}

/// A key allowed at some place, with its description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyInfo {
    pub name: &'static str,
    pub description: &'static str,
}

/// The schema node at `path`, a list of keys from the document root (e.g.
/// `["services", "web", "deploy", "resources"]`). Entry names (`web`) match
/// the entry definitions; list items are entered by an index (`"0"`), `"[]"`
/// or `"-"`, or implicitly when the next key belongs to the items.
/// `None` for extensions (`x-`) and unknown keys.
pub fn lookup(path: &[&str]) -> Option<SchemaNode> {
    let mut at = SchemaNode { description: "A Compose file", def: &defs::ROOT };
    for seg in path {
        at = at.child(seg)?;
    }
    Some(at)
}

impl SchemaNode {
    /// The root of a Compose file.
    pub fn root() -> SchemaNode {
        SchemaNode { description: "A Compose file", def: &defs::ROOT }
    }

    /// One-line description (empty for list items without one).
    pub fn description(&self) -> &'static str {
        self.description
    }

    /// The node below `seg` (a key, an entry name, or a list index).
    pub fn child(&self, seg: &str) -> Option<SchemaNode> {
        if let Some(items) = self.def.items {
            let is_index = seg == "[]" || seg == "-" || (!seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()));
            if is_index {
                return Some(SchemaNode { description: self.description, def: items });
            }
        }
        if self.def.types().contains(Types::MAP)
            && let Some((description, def)) = self.def.child(seg)
        {
            return Some(SchemaNode { description, def });
        }
        let items = self.def.items?;
        let (description, def) = items.child(seg)?;
        Some(SchemaNode { description, def })
    }

    /// The keys listed at this place (for a list of mappings: the items' keys).
    pub fn keys(&self) -> Vec<KeyInfo> {
        let def = if self.def.keys.is_empty() { self.def.items.unwrap_or(self.def) } else { self.def };
        def.keys.iter().map(|p| KeyInfo { name: p.0, description: p.1 }).collect()
    }

    /// Values to offer for a scalar here (an enumeration, or the usual values of a format).
    pub fn values(&self) -> &'static [&'static str] {
        let def = if self.def.values.is_empty() && !self.def.types().contains(Types::STRING) {
            self.def.items.unwrap_or(self.def)
        } else {
            self.def
        };
        if !def.values.is_empty() {
            return def.values;
        }
        match def.format {
            Format::Restart => &["no", "always", "on-failure", "unless-stopped"],
            Format::PullPolicy => &["always", "never", "missing", "build", "if_not_present", "daily", "weekly"],
            Format::Bool => &["true", "false"],
            Format::Count => &["all"],
            _ => &[],
        }
    }

    /// Whether the value is a boolean (Compose decodes it into a Go `bool`).
    pub fn is_bool(&self) -> bool {
        self.def.format == Format::Bool
    }

    /// The JSON types the value may have.
    pub fn types(&self) -> Types {
        self.def.types()
    }

    /// Whether `x-` keys are allowed in this mapping.
    pub fn allows_extensions(&self) -> bool {
        matches!(self.def.other, Other::Ext | Other::Free | Other::Any { .. })
    }

    /// Keys that must be present.
    pub fn required(&self) -> &'static [&'static str] {
        self.def.req
    }

    /// Whether entries are user-chosen names (services, networks, ...).
    pub fn has_named_entries(&self) -> bool {
        matches!(self.def.other, Other::Names { .. } | Other::Lower { .. } | Other::Any { .. })
    }
}

// ---------------------------------------------------------------- validation

/// What kind of schema problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    UnknownKey,
    InvalidType,
    InvalidValue,
    MissingKey,
}

/// One schema problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// Where it is written (tight: the key or the value).
    pub span: Span,
    /// When the content came through an alias or a `<<` merge: that use site.
    pub via: Option<Span>,
    pub message: String,
    /// For an unknown key: the key to rename it to, when the guess is close and unique.
    pub rename: Option<&'static str>,
    /// `docker compose` accepts the value (ignores or maps it); only Swarm
    /// (`docker stack deploy`) refuses it.
    pub swarm_only: bool,
}

/// Validate a resolved Compose tree; `text` is the file's text (for `!reset`
/// tags, which the tree does not keep). `only` limits the problems kept.
pub fn validate(root: &Node, text: &str, only: Option<ProblemKind>) -> Vec<Problem> {
    let mut v = Validator { text, only, out: Vec::new(), path: Vec::new(), stack: Vec::new(), below: Vec::new() };
    if !matches!(root.kind, Kind::Null) {
        v.node(&defs::ROOT, None, root);
    }
    v.out
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

struct Validator<'a> {
    text: &'a str,
    only: Option<ProblemKind>,
    out: Vec<Problem>,
    path: Vec<Seg<'a>>,
    /// The mappings being checked, outermost first, with the length of `path` at each
    /// (for "belongs one level up").
    stack: Vec<(&'static Def, usize)>,
    /// Mappings below a definition, computed on the first unknown key in it.
    below: Vec<(&'static Def, Vec<Below>)>,
}

/// A mapping below another: (depth, dotted path, definition).
type Below = (usize, String, &'static Def);

/// The type of a value as go-yaml reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actual {
    Str,
    Int,
    /// A number with a fraction (or too large an integer); `true` when integral.
    Float(bool),
    Bool,
    Null,
    List,
    Map,
}

impl Actual {
    fn name(self) -> &'static str {
        match self {
            Actual::Str => "a string",
            Actual::Int | Actual::Float(_) => "a number",
            Actual::Bool => "a boolean",
            Actual::Null => "empty (null)",
            Actual::List => "a list",
            Actual::Map => "a mapping",
        }
    }
}

fn actual(n: &Node) -> Actual {
    match &n.kind {
        Kind::Map(_) => Actual::Map,
        Kind::Seq(_) => Actual::List,
        Kind::Null | Kind::Alias(_) => Actual::Null,
        Kind::Scalar { text, style } => {
            if *style != Style::Plain {
                return Actual::Str;
            }
            scalar_type(text)
        }
    }
}

/// go-yaml's resolution of a plain scalar.
fn scalar_type(t: &str) -> Actual {
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Actual::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return Actual::Bool,
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN"
        | ".NAN" => return Actual::Float(false),
        _ => {}
    }
    let first = t.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Actual::Str;
    }
    if super::tree::compose_int(t).is_some() {
        return Actual::Int;
    }
    // A YAML float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    let b = t.trim_start_matches(['-', '+']).as_bytes();
    if t.len() - b.len() > 1 {
        return Actual::Str;
    }
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return Actual::Str;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        let exp = b[j.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return Actual::Str;
        }
        i = j + exp;
    }
    if i != b.len() {
        return Actual::Str;
    }
    let integral = t.parse::<f64>().is_ok_and(|f| f.fract() == 0.0);
    Actual::Float(integral)
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

impl<'a> Validator<'a> {
    fn wants(&self, kind: ProblemKind) -> bool {
        self.only.is_none_or(|k| k == kind)
    }

    fn push(
        &mut self,
        kind: ProblemKind,
        span: Span,
        via: Option<Span>,
        message: String,
        rename: Option<&'static str>,
    ) {
        self.out.push(Problem { kind, span, via, message, rename, swarm_only: false });
    }

    /// Check `node` (the value of `key`, or a list item) against `def`.
    fn node(&mut self, def: &'static Def, key: Option<&'a Key>, node: &'a Node) {
        let got = actual(node);
        let ty = def.types();
        let scalar_text = node.str();
        let scalar_types = Types::STRING.0 | Types::NUMBER.0 | Types::BOOLEAN.0;
        let interp = got == Actual::Str && ty.0 & scalar_types != 0 && scalar_text.is_some_and(interpolated);
        let accepted = match got {
            Actual::Str => {
                ty.contains(Types::STRING)
                    || interp
                    || (ty.contains(Types::BOOLEAN) && scalar_text.is_some_and(bool_like))
                    || (ty.contains(Types::NUMBER) && scalar_text.is_some_and(|t| t.trim().parse::<f64>().is_ok()))
                    || (ty.contains(Types::INTEGER) && scalar_text.is_some_and(|t| t.trim().parse::<i64>().is_ok()))
            }
            Actual::Int => ty.contains(Types::INTEGER),
            Actual::Float(integral) => ty.0 & Types::FLOAT_BIT != 0 || (integral && ty.contains(Types::INTEGER)),
            Actual::Bool => ty.contains(Types::BOOLEAN),
            Actual::Null => ty.contains(Types::NULL),
            Actual::List => ty.contains(Types::LIST),
            Actual::Map => ty.contains(Types::MAP),
        };
        if !accepted {
            if got == Actual::Null && self.reset_tag(key, node) {
                return;
            }
            if self.wants(ProblemKind::InvalidType) {
                let (span, via) = locate(key, node, value_span);
                let message = format!("{} must be {}, not {}", self.describe(), expected(def), got.name());
                self.push(ProblemKind::InvalidType, span, via, message, None);
            }
            return;
        }
        match &node.kind {
            Kind::Map(entries) => self.map(def, key, node, entries),
            Kind::Seq(items) => self.list(def, items),
            Kind::Scalar { text, .. } if !interp => self.scalar(def, node, got, text),
            _ => {}
        }
    }

    fn reset_tag(&self, key: Option<&Key>, node: &Node) -> bool {
        let start = key.map_or(node.span.start, |k| k.span.end);
        let end = node.span.end.max(start);
        self.text.get(start..end).is_some_and(|t| t.contains("!reset") || t.contains("!override"))
            || self.text.get(node.span.start.saturating_sub(8)..node.span.start).is_some_and(|t| t.contains("!reset"))
    }

    fn map(&mut self, def: &'static Def, key: Option<&'a Key>, node: &'a Node, entries: &'a [(Key, Node)]) {
        self.stack.push((def, self.path.len()));
        for (k, v) in entries {
            let name = k.text.as_str();
            if let Some(p) = def.prop(name) {
                self.path.push(Seg::Key(name));
                self.node(p.2, Some(k), v);
                self.path.pop();
                continue;
            }
            match def.other {
                Other::Ext | Other::Free if name.starts_with("x-") || matches!(def.other, Other::Free) => {}
                Other::Names { def: entry, strict, .. } => {
                    if name.starts_with("x-") {
                        continue;
                    }
                    if is_name(name) {
                        self.path.push(Seg::Key(name));
                        self.node(entry, Some(k), v);
                        self.path.pop();
                    } else if strict && self.wants(ProblemKind::InvalidValue) {
                        let message = format!(
                            "{} name `{name}` may only contain letters, digits, `.`, `_` and `-`",
                            self.entry_kind()
                        );
                        self.push(ProblemKind::InvalidValue, k.span, k.via, message, None);
                    }
                }
                Other::Lower { def: entry, .. } => {
                    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase()) {
                        self.path.push(Seg::Key(name));
                        self.node(entry, Some(k), v);
                        self.path.pop();
                    }
                }
                Other::Any { def: entry, .. } => {
                    self.path.push(Seg::Key(name));
                    self.node(entry, Some(k), v);
                    self.path.pop();
                }
                _ => {
                    if self.wants(ProblemKind::UnknownKey) {
                        self.unknown_key(def, k, entries);
                    }
                }
            }
        }
        self.stack.pop();
        if self.wants(ProblemKind::MissingKey) && (!def.req.is_empty() || !def.any_of.is_empty()) {
            let has = |n: &str| entries.iter().any(|(k, _)| k.text == n);
            let (span, via) = locate(key, node, head_span);
            for r in def.req {
                if !has(r) {
                    let message = format!("{} is missing the required key `{r}`", self.describe());
                    self.push(ProblemKind::MissingKey, span, via, message, None);
                }
            }
            if !def.any_of.is_empty() && !def.any_of.iter().any(|n| has(n)) && !def.unless.iter().any(|n| has(n)) {
                let list = join_code(def.any_of, "or");
                let message = if def.unless.contains(&"external") {
                    format!("{} needs {list} (or `external: true`)", self.describe())
                } else {
                    format!("{} needs {list}", self.describe())
                };
                self.push(ProblemKind::MissingKey, span, via, message, None);
            }
        }
    }

    fn list(&mut self, def: &'static Def, items: &'a [Node]) {
        if let Some(item_def) = def.items {
            for (i, item) in items.iter().enumerate() {
                self.path.push(Seg::Index(i));
                self.node(item_def, None, item);
                self.path.pop();
            }
        }
        if def.unique && items.len() > 1 && self.wants(ProblemKind::InvalidValue) {
            self.duplicates(items);
        }
        if def.format == Format::HealthTest && self.wants(ProblemKind::InvalidValue) {
            self.health_test(items);
        }
    }

    fn duplicates(&mut self, items: &'a [Node]) {
        // JSON equality of scalars: the same text and both strings, or both not.
        let scalar = |n: &'a Node| -> Option<(bool, &'a str)> {
            let t = n.str()?;
            Some((actual(n) == Actual::Str, t))
        };
        let mut big: Option<std::collections::HashSet<(bool, &str)>> = None;
        for (i, item) in items.iter().enumerate() {
            let Some(v) = scalar(item) else { continue };
            let repeated = if items.len() <= 16 {
                items[..i].iter().any(|o| scalar(o) == Some(v))
            } else {
                !big.get_or_insert_with(Default::default).insert(v)
            };
            if repeated {
                let message = format!("{} lists `{}` more than once", self.describe(), v.1);
                self.push(ProblemKind::InvalidValue, item.span, item.via, message, None);
            }
        }
    }

    fn health_test(&mut self, items: &'a [Node]) {
        let Some(first) = items.first() else { return };
        let Some(t) = first.str() else { return };
        if interpolated(t) || matches!(t, "NONE" | "CMD" | "CMD-SHELL") {
            return;
        }
        let message = format!(
            "{} must start with `CMD`, `CMD-SHELL` or `NONE`, not `{t}`; Docker skips a check of unknown type",
            self.describe()
        );
        self.push(ProblemKind::InvalidValue, first.span, first.via, message, None);
    }

    fn scalar(&mut self, def: &'static Def, node: &'a Node, got: Actual, text: &'a str) {
        if !self.wants(ProblemKind::InvalidValue) {
            return;
        }
        let problem: Option<String> = if got == Actual::Str {
            if !def.values.is_empty() && def.types().contains(Types::STRING) {
                if def.values.contains(&text) {
                    None
                } else {
                    let hint = closest(text, def.values.iter().copied())
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    let message = format!("{} is `{text}`; use {}{hint}", self.describe(), join_code(def.values, "or"));
                    let why = match def.outside {
                        Outside::Refused => None,
                        Outside::Ignored => Some("`docker compose` ignores this key, only Swarm reads it"),
                        Outside::Mapped(extra) if extra.contains(&text) => {
                            Some("`docker compose` accepts it, but Swarm (`docker stack deploy`) refuses it")
                        }
                        Outside::Mapped(_) => None,
                    };
                    if let Some(why) = why {
                        self.push(ProblemKind::InvalidValue, node.span, node.via, format!("{message} ({why})"), None);
                        if let Some(p) = self.out.last_mut() {
                            p.swarm_only = true;
                        }
                        return;
                    }
                    Some(message)
                }
            } else {
                check_format(def, text).map(|why| format!("{} is `{text}`: {why}", self.describe()))
            }
        } else if got == Actual::Int {
            match (def.range, node.compose_int()) {
                (Some((lo, hi)), Some(v)) if v < lo || v > hi => Some(if hi == i64::MAX {
                    format!("{} must be at least {lo}, not {v}", self.describe())
                } else {
                    format!("{} must be between {lo} and {hi}, not {v}", self.describe())
                }),
                _ if def.format == Format::Port || def.format == Format::PortRange => node
                    .compose_int()
                    .filter(|&v| !(0..=65535).contains(&v))
                    .map(|v| format!("{} is {v}: a port number is at most 65535", self.describe())),
                _ => None,
            }
        } else {
            None
        };
        if let Some(message) = problem {
            self.push(ProblemKind::InvalidValue, node.span, node.via, message, None);
        }
    }

    fn unknown_key(&mut self, def: &'static Def, k: &'a Key, siblings: &[(Key, Node)]) {
        let name = k.text.as_str();
        let where_ = self.describe();
        let top = self.path.is_empty();
        let mut message =
            if top { format!("unknown top-level key `{name}`") } else { format!("unknown key `{name}` in {where_}") };
        let mut rename = None;
        let guess = closest(name, def.keys.iter().map(|p| p.0));
        if let Some(g) = guess {
            message += &format!("; did you mean `{g}`?");
            // No rename onto a key that exists, or that another misspelling would also
            // take (checked in mappings of ordinary size only, to stay linear).
            let taken = siblings.len() > 64
                || siblings.iter().any(|(s, _)| {
                    s.text == g
                        || (s.text != name
                            && def.prop(&s.text).is_none()
                            && closest(&s.text, def.keys.iter().map(|p| p.0)) == Some(g))
                });
            if !taken
                && k.via.is_none()
                && distance(name, g) <= 2
                && matches!(k.style, Style::Plain | Style::SingleQuoted | Style::DoubleQuoted)
            {
                rename = Some(g);
            }
        } else if let Some(hint) = self.elsewhere(def, name) {
            message += &hint;
        } else if matches!(def.other, Other::Ext) {
            message += "; custom keys must start with `x-`";
        } else if name.starts_with("x-") {
            message += "; extensions (`x-`) are not allowed here";
        }
        self.push(ProblemKind::UnknownKey, k.span, k.via, message, rename);
    }

    /// Where else `name` is a key: below this mapping, or in a mapping above it.
    fn elsewhere(&mut self, def: &'static Def, name: &str) -> Option<String> {
        if let Some((first, more)) = self.hits_below(def, name, 4, def) {
            let more = more.map(|s| format!(" (or `{s}`)")).unwrap_or_default();
            return Some(format!("; it belongs under `{first}`{more}"));
        }
        // Above: a key of an enclosing mapping (mis-indented), or of a sibling
        // mapping close by (`devices` under `limits` belongs under `reservations`).
        let ancestors: Vec<(&'static Def, usize)> = self.stack.iter().rev().skip(1).copied().collect();
        for (up, len) in ancestors {
            let at: Vec<Seg<'a>> = self.path.get(..len).unwrap_or_default().to_vec();
            if up.prop(name).is_some() {
                return Some(format!("; `{name}` is a key of {} (check the indentation)", describe_path(&at)));
            }
            if let Some((first, _)) = self.hits_below(up, name, 2, def) {
                let segs: Vec<Seg> = at.iter().copied().chain(first.split('.').map(Seg::Key)).collect();
                return Some(format!("; it belongs under {}", describe_path(&segs)));
            }
        }
        None
    }

    /// The first (and a second, at the same depth) mapping below `def`, at most
    /// `depth` levels down and other than `except`, that has the key `name`.
    fn hits_below(
        &mut self,
        def: &'static Def,
        name: &str,
        depth: usize,
        except: &'static Def,
    ) -> Option<(String, Option<String>)> {
        // Listed once per kind of mapping and reused.
        let idx = match self.below.iter().position(|(d, _)| std::ptr::eq(*d, def)) {
            Some(i) => i,
            None => {
                self.below.push((def, mappings_below(def, 4)));
                self.below.len() - 1
            }
        };
        let mut hits = self.below[idx]
            .1
            .iter()
            .filter(|(d, _, m)| *d <= depth && !std::ptr::eq(*m, except) && m.prop(name).is_some());
        let (d1, first, _) = hits.next()?;
        let second = hits.next().filter(|(d2, _, _)| d2 == d1).map(|(_, s, _)| s.clone());
        Some((first.clone(), second))
    }

    fn describe(&self) -> String {
        describe_path(&self.path)
    }

    /// "service", "volume", ... for names inside the current top-level section.
    fn entry_kind(&self) -> &'static str {
        match self.path.last() {
            Some(Seg::Key("services")) if self.path.len() == 1 => "service",
            Some(Seg::Key("volumes")) if self.path.len() == 1 => "volume",
            Some(Seg::Key("secrets")) if self.path.len() == 1 => "secret",
            Some(Seg::Key("configs")) if self.path.len() == 1 => "config",
            Some(Seg::Key("depends_on")) => "dependency",
            Some(Seg::Key("networks")) => "network",
            _ => "entry",
        }
    }
}

/// Every mapping below `def` (to `max_depth` levels), breadth first, as
/// (depth, dotted path, definition). Each definition is listed once.
fn mappings_below(def: &'static Def, max_depth: usize) -> Vec<Below> {
    let mut out: Vec<Below> = Vec::new();
    let mut seen: std::collections::HashSet<*const Def> = std::collections::HashSet::new();
    seen.insert(def);
    let mut level: Vec<(String, &'static Def)> = vec![(String::new(), def)];
    for depth in 1..=max_depth {
        let mut next = Vec::new();
        for (path, d) in &level {
            let names = match d.other {
                Other::Names { def, .. } => Some(("<name>", def)),
                _ => None,
            };
            for (seg, child) in d.keys.iter().map(|p| (p.0, p.2)).chain(names) {
                let child = match child.items {
                    Some(items) if child.keys.is_empty() => items,
                    _ => child,
                };
                if child.keys.is_empty() && !matches!(child.other, Other::Names { .. }) {
                    continue;
                }
                if !seen.insert(child) {
                    continue;
                }
                let p = if path.is_empty() { seg.to_string() } else { format!("{path}.{seg}") };
                out.push((depth, p.clone(), child));
                next.push((p, child));
            }
        }
        level = next;
    }
    out
}

/// "service `web`", "`deploy.resources` of service `web`", "the top level".
fn describe_path(path: &[Seg]) -> String {
    let owner_kind = |section: &str| match section {
        "services" => Some("service"),
        "networks" => Some("network"),
        "volumes" => Some("volume"),
        "secrets" => Some("secret"),
        "configs" => Some("config"),
        "models" => Some("model"),
        _ => None,
    };
    let render = |segs: &[Seg]| {
        let mut s = String::new();
        for seg in segs {
            match seg {
                Seg::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(k);
                }
                Seg::Index(i) => s += &format!("[{i}]"),
            }
        }
        s
    };
    match path {
        [] => "the top level".to_string(),
        [Seg::Key(section), Seg::Key(name), rest @ ..] if owner_kind(section).is_some() => {
            let owner = format!("{} `{name}`", owner_kind(section).unwrap_or("entry"));
            if rest.is_empty() { owner } else { format!("`{}` of {owner}", render(rest)) }
        }
        _ => format!("`{}`", render(path)),
    }
}

/// What a value of `def` may be, in words. Where a string is accepted only
/// because Compose converts it (`"3"`, `"true"`, `"512m"`), the format is named.
fn expected(def: &Def) -> String {
    let ty = def.types();
    let mut names: Vec<&str> = Vec::new();
    let by_format = match def.format {
        Format::Bool => Some("true or false"),
        Format::Int => Some("an integer"),
        Format::Number => Some("a number"),
        Format::Bytes => Some("a byte size (e.g. `512m`)"),
        Format::Duration => Some("a duration (e.g. `30s`)"),
        Format::Count => Some("a number or `all`"),
        _ => None,
    };
    if let Some(f) = by_format {
        names.push(f);
    } else {
        if ty.contains(Types::STRING) {
            names.push("a string");
        }
        if ty.contains(Types::NUMBER) {
            names.push("a number");
        } else if ty.contains(Types::INTEGER) {
            names.push("an integer");
        }
        if ty.contains(Types::BOOLEAN) {
            names.push("a boolean");
        }
    }
    if ty.contains(Types::LIST) {
        names.push("a list");
    }
    if ty.contains(Types::MAP) {
        names.push("a mapping");
    }
    if ty.contains(Types::NULL) && names.is_empty() {
        names.push("empty");
    }
    match names.len() {
        0 => "nothing".into(),
        1 => names[0].into(),
        n => format!("{} or {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

fn join_code(items: &[&str], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., end] => {
            let init: Vec<String> = init.iter().map(|s| format!("`{s}`")).collect();
            format!("{} {last} `{end}`", init.join(", "))
        }
    }
}

/// Where to report a problem with `node` (the value of `key`): the span that
/// `pick` chooses and, when the content came through an alias or a merge, the
/// use site. A value aliased under a key written in place is written at the
/// anchor, so the span then comes from the node alone.
fn locate(key: Option<&Key>, node: &Node, pick: fn(Option<&Key>, &Node) -> Span) -> (Span, Option<Span>) {
    let key_in_place = key.is_some_and(|k| k.via.is_none());
    match node.via {
        Some(via) if key_in_place => (pick(None, node), Some(via)),
        _ => (pick(key, node), node.via.or(key.and_then(|k| k.via))),
    }
}

/// The tight span to report a wrongly typed value at: the value when it fits
/// on one line, else its key, else its first line.
fn value_span(key: Option<&Key>, node: &Node) -> Span {
    if matches!(node.kind, Kind::Scalar { .. } | Kind::Null) && (!node.span.is_empty() || key.is_none()) {
        return node.span;
    }
    match key {
        Some(k) => k.span,
        None => head_span(None, node),
    }
}

/// The span that names a mapping: its key, else its first key, else itself.
fn head_span(key: Option<&Key>, node: &Node) -> Span {
    if let Some(k) = key {
        return k.span;
    }
    match &node.kind {
        Kind::Map(e) => e.first().map_or(node.span, |(k, _)| k.span),
        Kind::Seq(items) => items.first().map_or(node.span, |i| head_span(None, i)),
        _ => node.span,
    }
}

// ---------------------------------------------------------------- formats

fn bool_like(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "y" | "n" | "on" | "off" | "1" | "0" | "t" | "f"
    )
}

/// Why `text` does not fit the format of `def`, if it does not.
fn check_format(def: &Def, text: &str) -> Option<String> {
    match def.format {
        Format::None => None,
        Format::Duration => {
            (!text.is_empty() && !is_duration(text)).then(|| "not a duration; write e.g. `30s`, `1m30s` or `500ms`".into())
        }
        Format::Bytes => (!text.is_empty() && !is_byte_size(text))
            .then(|| "not a byte size; write a number of bytes or e.g. `512m`, `2g`".into()),
        Format::Int => (text.trim().parse::<i64>().is_err()).then(|| "not an integer".into()),
        Format::Number => (text.trim().parse::<f64>().is_err()).then(|| "not a number".into()),
        Format::Bool => (!bool_like(text)).then(|| "not a boolean; use `true` or `false`".into()),
        Format::Restart => restart_problem(text),
        Format::PullPolicy => (!is_pull_policy(text)).then(|| {
            "not a pull policy; use `always`, `never`, `missing`, `build`, `if_not_present`, `daily`, `weekly` or `every_<duration>`"
                .into()
        }),
        Format::Port => port_problem(text).map(|why| format!("{why}; write [[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL]")),
        Format::PortRange => port_range(text).err(),
        Format::Expose => expose_problem(text),
        Format::ProjectName => (!is_project_name(text)).then(|| {
            "a project name may only contain lower-case letters, digits, `-` and `_`, and must start with a letter or digit"
                .into()
        }),
        Format::Count => (text != "all" && text.trim().parse::<i64>().is_err()).then(|| "use a number or `all`".into()),
        Format::HealthTest => None,
    }
}

/// Go durations with days and weeks (`str2duration`): `1h30m`, `1.5s`, `500ms`, `2d`, `0`.
pub(crate) fn is_duration(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    if s == "0" {
        return true;
    }
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
        let mut after = &rest[digits..];
        let mut frac = 0;
        if let Some(f) = after.strip_prefix('.') {
            frac = f.bytes().take_while(|b| b.is_ascii_digit()).count();
            after = &f[frac..];
        }
        if digits == 0 && frac == 0 {
            return false;
        }
        let unit_len = ["ns", "us", "µs", "μs", "ms", "s", "m", "h", "d", "w"]
            .iter()
            .filter(|u| after.starts_with(*u))
            .map(|u| u.len())
            .max()
            .unwrap_or(0);
        if unit_len == 0 {
            return false;
        }
        rest = &after[unit_len..];
    }
    true
}

/// docker/go-units `RAMInBytes`: `^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$`.
pub(crate) fn is_byte_size(s: &str) -> bool {
    if s == "-1" {
        return true;
    }
    let b = s.as_bytes();
    let mut i = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if i == 0 {
        return false;
    }
    while b.get(i) == Some(&b'.') {
        let d = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if d == 0 {
            return false;
        }
        i += 1 + d;
    }
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    if matches!(b.get(i), Some(b'k' | b'K' | b'm' | b'M' | b'g' | b'G' | b't' | b'T' | b'p' | b'P')) {
        i += 1;
    }
    if matches!(b.get(i), Some(b'i' | b'I')) {
        i += 1;
    }
    if matches!(b.get(i), Some(b'b' | b'B')) {
        i += 1;
    }
    i == b.len()
}

fn restart_problem(s: &str) -> Option<String> {
    match s {
        "no" | "always" | "unless-stopped" | "on-failure" => None,
        _ => {
            if let Some(n) = s.strip_prefix("on-failure:") {
                return (n.parse::<u32>().is_err())
                    .then(|| "the retry count after `on-failure:` must be a number".into());
            }
            if let Some((p, _)) = s.split_once(':')
                && matches!(p, "no" | "always" | "unless-stopped")
            {
                return Some(format!("only `on-failure` takes a retry count, not `{p}`"));
            }
            let hint = closest(s, ["no", "always", "on-failure", "unless-stopped"])
                .map(|g| format!("; did you mean `{g}`?"))
                .unwrap_or_default();
            Some(format!("not a restart policy; use `no`, `always`, `on-failure[:N]` or `unless-stopped`{hint}"))
        }
    }
}

fn is_pull_policy(s: &str) -> bool {
    if matches!(s, "always" | "never" | "missing" | "if_not_present" | "build" | "refresh" | "daily" | "weekly") {
        return true;
    }
    let Some(d) = s.strip_prefix("every_") else { return false };
    // ([0-9]+[wdhms])+
    let b = d.as_bytes();
    let mut i = 0;
    if b.is_empty() {
        return false;
    }
    while i < b.len() {
        let n = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || !matches!(b.get(i + n), Some(b'w' | b'd' | b'h' | b'm' | b's')) {
            return false;
        }
        i += n + 1;
    }
    true
}

fn is_project_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'_'))
}

/// A port or a range: `(start, end)`.
fn port_range(s: &str) -> Result<(u32, u32), String> {
    let one = |p: &str| -> Result<u32, String> {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("`{p}` is not a port number"));
        }
        match p.parse::<u32>() {
            Ok(v) if v <= 65535 => Ok(v),
            _ => Err(format!("port {p} is out of range (at most 65535)")),
        }
    };
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (one(a)?, one(b)?);
            if b < a {
                return Err(format!("the range `{s}` ends before it starts"));
            }
            Ok((a, b))
        }
        None => one(s).map(|v| (v, v)),
    }
}

fn split_proto(s: &str) -> Result<&str, String> {
    match s.rsplit_once('/') {
        Some((rest, proto)) => {
            if matches!(proto.to_ascii_lowercase().as_str(), "tcp" | "udp" | "sctp") {
                Ok(rest)
            } else {
                Err(format!("unknown protocol `{proto}` (use tcp, udp or sctp)"))
            }
        }
        None => Ok(s),
    }
}

/// Why a short port mapping is invalid, as the Engine parses it.
fn port_problem(s: &str) -> Option<String> {
    let body = match split_proto(s) {
        Ok(b) => b,
        Err(e) => return Some(e),
    };
    let parts: Vec<&str> = body.split(':').collect();
    let n = parts.len();
    let container = parts[n - 1];
    let (ip, host) = match n {
        1 => ("", ""),
        2 => ("", parts[0]),
        3 => (parts[0], parts[1]),
        _ => (body.get(..body.len() - container.len() - parts[n - 2].len() - 2).unwrap_or(""), parts[n - 2]),
    };
    let ip = ip.strip_prefix('[').and_then(|i| i.strip_suffix(']')).unwrap_or(ip);
    if !ip.is_empty() && ip.parse::<std::net::IpAddr>().is_err() {
        return Some(format!("`{ip}` is not an IP address"));
    }
    if container.is_empty() {
        return Some("the container port is missing".into());
    }
    let (c0, c1) = match port_range(container) {
        Ok(r) => r,
        Err(e) => return Some(e),
    };
    if !host.is_empty() {
        let (h0, h1) = match port_range(host) {
            Ok(r) => r,
            Err(e) => return Some(e),
        };
        if c1 != c0 && (c1 - c0) != (h1 - h0) {
            return Some(format!("the host range `{host}` and the container range `{container}` differ in size"));
        }
    }
    None
}

fn expose_problem(s: &str) -> Option<String> {
    let body = match split_proto(s) {
        Ok(b) => b,
        Err(e) => return Some(e),
    };
    port_range(body).err()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::ComposeFile;

    fn problems(text: &str) -> Vec<(ProblemKind, String, String)> {
        let f = ComposeFile::parse(text).unwrap();
        validate(&f.resolved, text, None)
            .into_iter()
            .map(|p| (p.kind, f.slice(p.span).to_string(), p.message))
            .collect()
    }

    fn kinds(text: &str) -> Vec<ProblemKind> {
        problems(text).into_iter().map(|p| p.0).collect()
    }

    fn walk_defs(def: &'static Def, seen: &mut Vec<*const Def>, f: &mut dyn FnMut(&'static Def)) {
        if seen.contains(&(def as *const Def)) {
            return;
        }
        seen.push(def);
        f(def);
        for p in def.keys {
            walk_defs(p.2, seen, f);
        }
        if let Some(i) = def.items {
            walk_defs(i, seen, f);
        }
        match def.other {
            Other::Names { def, .. } | Other::Lower { def, .. } | Other::Any { def, .. } => walk_defs(def, seen, f),
            _ => {}
        }
    }

    #[test]
    fn keys_are_sorted_and_described() {
        let mut count = 0;
        walk_defs(&defs::ROOT, &mut Vec::new(), &mut |d| {
            for w in d.keys.windows(2) {
                assert!(w[0].0 < w[1].0, "`{}` must come after `{}`", w[0].0, w[1].0);
            }
            for p in d.keys {
                assert!(!p.1.is_empty() && p.1.len() < 110, "description of `{}`", p.0);
                count += 1;
            }
            for r in d.req.iter().chain(d.any_of) {
                assert!(d.prop(r).is_some(), "required `{r}` is not a key");
            }
        });
        assert!(count > 300, "{count} keys");
    }

    #[test]
    fn lookup_api() {
        let r = lookup(&["services", "web", "deploy", "resources"]).unwrap();
        let keys: Vec<_> = r.keys().iter().map(|k| k.name).collect();
        assert_eq!(keys, ["limits", "reservations"]);
        assert!(r.description().contains("Resource"));
        assert_eq!(r.types(), Types::MAP);
        let restart = lookup(&["services", "web", "restart"]).unwrap();
        assert_eq!(restart.values(), ["no", "always", "on-failure", "unless-stopped"]);
        assert_eq!(restart.types().names(), ["string"]);
        let cond = lookup(&["services", "web", "depends_on", "db", "condition"]).unwrap();
        assert!(cond.values().contains(&"service_healthy"));
        let action = lookup(&["services", "web", "develop", "watch", "0", "action"]).unwrap();
        assert!(action.values().contains(&"sync+restart"));
        // List items can be skipped in the path.
        let target = lookup(&["services", "web", "ports", "target"]).unwrap();
        assert_eq!(target.description(), "Port in the container");
        let ports = lookup(&["services", "web", "ports"]).unwrap();
        assert!(ports.keys().iter().any(|k| k.name == "published"));
        assert!(lookup(&["services", "web", "nope"]).is_none());
        assert!(lookup(&["x-common"]).is_none());
        let svc = lookup(&["services", "web"]).unwrap();
        assert_eq!(svc.description(), "A service");
        assert!(svc.keys().iter().any(|k| k.name == "healthcheck" && !k.description.is_empty()));
        assert!(svc.allows_extensions());
        assert!(lookup(&["services"]).unwrap().has_named_entries());
        let vol = lookup(&["services", "web", "volumes", "[]"]).unwrap();
        assert_eq!(vol.required(), ["type", "target"]);
        assert_eq!(lookup(&["services", "web", "volumes", "-", "type"]).unwrap().values().len(), 6);
        assert_eq!(lookup(&["services", "web", "privileged"]).unwrap().values(), ["true", "false"]);
        assert_eq!(SchemaNode::root().keys().len(), 9);
    }

    #[test]
    fn valid_files_have_no_problems() {
        let text = r#"
name: shop
x-common: &common
  restart: unless-stopped
  logging: {driver: json-file, options: {max-size: 10m, max-file: "3"}}
services:
  web:
    <<: *common
    image: nginx:1.27
    ports: ["80:80", 443, "127.0.0.1:8080:80/tcp", "[::1]:9000:9000", "8000-8010:8000-8010", {target: 81, published: "8081"}]
    environment: {A: 1, B: true, C: ~, D: "x"}
    depends_on: {db: {condition: service_healthy, restart: true}}
    healthcheck: {test: ["CMD", "curl", "-f", "http://x"], interval: 1m30s, timeout: 5s, retries: "3", start_period: 0s}
    deploy:
      replicas: ${REPLICAS:-2}
      resources: {limits: {cpus: "0.5", memory: 512M}, reservations: {devices: [{driver: nvidia, count: all, capabilities: [gpu]}]}}
      restart_policy: {condition: on-failure, max_attempts: 3}
    volumes: ["./a:/a:ro", {type: bind, source: ./b, target: /b, bind: {create_host_path: true}}]
    networks: {front: , back: {aliases: [api]}}
    privileged: ${PRIV}
    read_only: "yes"
    ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 65535}
    shm_size: 1gb
    pull_policy: every_12h
    x-custom: {anything: [1, 2]}
    develop:
      watch:
        - {path: ./src, action: sync+restart, target: /app}
  db:
    image: postgres
    restart: on-failure:3
    env_file: [.env, {path: .env.local, required: false}]
    command: ["postgres", "-c", "max_connections=200"]
networks:
  front:
  back: {driver: bridge, ipam: {config: [{subnet: 172.28.0.0/16}]}}
volumes:
  data:
secrets:
  token: {file: ./token.txt}
  ext: {external: true}
"#;
        assert_eq!(problems(text), []);
    }

    #[test]
    fn unknown_keys_with_suggestions() {
        let p = problems("services:\n  web:\n    image: x\n    enviroment: [A=1]\n");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, ProblemKind::UnknownKey);
        assert_eq!(p[0].1, "enviroment");
        assert!(p[0].2.contains("did you mean `environment`?"), "{}", p[0].2);
        let p = problems("services:\n  web:\n    image: x\n    memory: 1g\n");
        assert!(p[0].2.contains("belongs under `deploy.resources.limits`"), "{}", p[0].2);
        let p = problems("services:\n  web:\n    deploy:\n      resources:\n        limits:\n          devices: []\n");
        assert!(p[0].2.ends_with("it belongs under `deploy.resources.reservations` of service `web`"), "{}", p[0].2);
        let p = problems("services:\n  web:\n    build:\n      context: .\n      image: x\n");
        assert!(p[0].2.contains("`image` is a key of service `web`"), "{}", p[0].2);
        let p = problems("servics:\n  web:\n    image: x\n");
        assert!(p[0].2.starts_with("unknown top-level key `servics`; did you mean `services`?"), "{}", p[0].2);
        let f = ComposeFile::parse("services:\n  web:\n    Image: x\n").unwrap();
        let v = validate(&f.resolved, &f.text, None);
        assert_eq!(v[0].rename, Some("image"));
        // No rename when the suggestion exists already.
        let f = ComposeFile::parse("services:\n  web:\n    image: x\n    imag: y\n").unwrap();
        assert_eq!(validate(&f.resolved, &f.text, None)[0].rename, None);
    }

    #[test]
    fn types_values_and_required_keys() {
        use ProblemKind::*;
        assert_eq!(kinds("services:\n  web:\n    image: x\n    ports: 80\n"), [InvalidType]);
        assert_eq!(kinds("services:\n  web:\n    image: x\n    environment: \"A=1\"\n"), [InvalidType]);
        assert_eq!(kinds("services:\n  web:\n    image: x\n    restart: sometimes\n"), [InvalidValue]);
        assert_eq!(kinds("services:\n  web:\n    image: x\n    pull_policy: hourly\n"), [InvalidValue]);
        assert_eq!(kinds("services:\n  web:\n    image: x\n    ports: ['80:80:80:80']\n"), [InvalidValue]);
        assert_eq!(kinds("services:\n  web:\n    image: x\n    ports: ['70000:80']\n"), [InvalidValue]);
        assert_eq!(kinds("services:\n  web:\n    image: x\n    stop_grace_period: 10 seconds\n"), [InvalidValue]);
        assert_eq!(kinds("services:\n  web:\n    image: x\n    mem_limit: 512x\n"), [InvalidValue]);
        assert_eq!(kinds("services:\n  web:\n    image: x\n    privileged: maybe\n"), [InvalidValue]);
        assert_eq!(kinds("services:\n  web:\n    image: x\n    ports: [{published: 80}]\n"), [MissingKey]);
        assert_eq!(kinds("services:\n  web:\n    image: x\n    extends: {file: a.yml}\n"), [MissingKey]);
        assert_eq!(kinds("secrets:\n  s: {name: x}\n"), [MissingKey]);
        assert_eq!(kinds("services:\n  web:\n    image: x\n    cap_add: [NET_ADMIN, NET_ADMIN]\n"), [InvalidValue]);
        assert_eq!(kinds("services:\n  web:\n    image: x\n    healthcheck: {test: [curl, x]}\n"), [InvalidValue]);
        assert_eq!(kinds("services:\n  my web:\n    image: x\n"), [InvalidValue]);
        assert_eq!(kinds("name: MyApp\n"), [InvalidValue]);
        assert_eq!(kinds("services:\n  web:\n    image: x\n    oom_score_adj: 2000\n"), [InvalidValue]);
        assert_eq!(kinds("services:\n  web:\n    image: x\n    command: [sleep, 10]\n"), [InvalidType]);
        // Interpolation, conversions and null where allowed stay silent.
        assert_eq!(kinds("services:\n  web:\n    image: x\n    ports: ${PORTS}\n"), [InvalidType]);
        assert!(
            kinds("services:\n  web:\n    image: x\n    scale: ${N}\n    init: \"true\"\n    cpus: \"1.5\"\n")
                .is_empty()
        );
        assert!(kinds("services:\n  web:\n    image: x\n    build: !reset null\n").is_empty());
        let p = problems("services:\n  web:\n    image: x\n    develop: {watch: [{path: ., action: synch}]}\n");
        assert!(p[0].2.contains("did you mean `sync`?"), "{}", p[0].2);
    }

    #[test]
    fn merged_content_reports_at_the_merge() {
        let text = "x-a: &a\n  restrat: always\nservices:\n  web:\n    image: x\n    <<: *a\n";
        let f = ComposeFile::parse(text).unwrap();
        let v = validate(&f.resolved, text, None);
        assert_eq!(v.len(), 1);
        assert_eq!(f.slice(v[0].span), "restrat");
        assert_eq!(f.slice(v[0].via.unwrap()), "*a", "the alias of the merge");
    }

    #[test]
    fn scalar_types_as_go_yaml_reads_them() {
        assert_eq!(scalar_type("12"), Actual::Int);
        assert_eq!(scalar_type("0755"), Actual::Int);
        assert_eq!(scalar_type("09"), Actual::Float(true));
        assert_eq!(scalar_type("1.5"), Actual::Float(false));
        assert_eq!(scalar_type("1e3"), Actual::Float(true));
        assert_eq!(scalar_type("yes"), Actual::Str);
        assert_eq!(scalar_type("80:80"), Actual::Str);
        assert_eq!(scalar_type("-"), Actual::Str);
        assert_eq!(scalar_type("1.2.3"), Actual::Str);
        assert_eq!(scalar_type("TRUE"), Actual::Bool);
    }

    #[test]
    fn formats() {
        for d in ["30s", "1m30s", "1.5h", "500ms", "2d", "1w", "0", "10us", "-1s"] {
            assert!(is_duration(d), "{d}");
        }
        for d in ["30", "s", "1x", "", "1 s", "1m30"] {
            assert!(!is_duration(d), "{d}");
        }
        for b in ["512m", "2g", "1.5GB", "100", "1GiB", "10 MB", "1kb"] {
            assert!(is_byte_size(b), "{b}");
        }
        for b in ["m", "512x", "1..5g", "-5m"] {
            assert!(!is_byte_size(b), "{b}");
        }
        for p in
            ["80", "80:80", "127.0.0.1:80:80", "127.0.0.1::80", "[::1]:80:80", "::1:80:80", "8000-8010:80", "53:53/udp"]
        {
            assert_eq!(port_problem(p), None, "{p}");
        }
        for p in ["80:80:80:80", "a:80", "80:", "80/xyz", "99999", "8000-8001:80-82", "1.2.3:80:80"] {
            assert!(port_problem(p).is_some(), "{p}");
        }
        assert!(is_pull_policy("every_1h30m") && !is_pull_policy("every_") && !is_pull_policy("sometimes"));
        assert!(restart_problem("on-failure:5").is_none() && restart_problem("always:3").is_some());
        assert_eq!(closest("enviroment", ["environment", "entrypoint"]), Some("environment"));
        assert_eq!(closest("xyz", ["environment"]), None);
        assert_eq!(distance("container-name", "container_name"), 0);
    }

    #[test]
    fn validation_is_fast() {
        let mut text = String::from("services:\n");
        for i in 0..8 {
            text += &format!(
                "  s{i}:\n    image: app:{i}\n    restart: always\n    ports: [\"80{i}:80\"]\n    environment:\n      A: 1\n    depends_on: [db]\n    healthcheck: {{test: [CMD, x], interval: 5s}}\n"
            );
        }
        let f = ComposeFile::parse(&text).unwrap();
        assert!(text.lines().count() >= 64);
        let t = std::time::Instant::now();
        for _ in 0..1000 {
            assert!(validate(&f.resolved, &text, None).is_empty());
        }
        // A thousand runs well under a second: microseconds per file.
        assert!(t.elapsed().as_millis() < 2000, "{:?}", t.elapsed());
    }

    #[test]
    fn nothing_panics() {
        for t in [
            "",
            "a",
            "- x",
            "services: 3",
            "services:\n  web: 3\n",
            "services:\n  web:\n    ports: [':', '/', '[', ':::']\n",
            "x: {y: [1, {z: ~}]}",
        ] {
            if let Ok(f) = ComposeFile::parse(t) {
                let _ = validate(&f.resolved, t, None);
            }
        }
    }
}
