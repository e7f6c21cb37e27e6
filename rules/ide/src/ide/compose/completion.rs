//! Completion over the line outline: keys, values, names, rule codes.

use crate::compose::comment_start;
use crate::compose::schema::Types;
use crate::ide::{Completion, CompletionKind};
use crate::text::Span;

use super::{analysis::*, hover::*, navigation::*, outline::*};

// ---------------------------------------------------------------- completion

/// Where in the flow collection the cursor is.
pub(super) enum FlowFrame<'t> {
    Seq { items: Vec<&'t str> },
    Map { keys: Vec<&'t str>, key: Option<&'t str> },
}

pub(super) struct Flow<'t> {
    /// The path of the flow collection itself.
    pub(super) path: Vec<Seg>,
    pub(super) frames: Vec<FlowFrame<'t>>,
    /// Where the word being typed starts.
    pub(super) partial: usize,
}

/// The flow collection (`[...]`, `{...}`) around `offset`, if any.
pub(super) fn flow_at<'t>(o: &Outline<'t>, ln: usize, offset: usize) -> Option<Flow<'t>> {
    let text = o.text;
    let mut found = None;
    for l in (ln.saturating_sub(50)..=ln).rev() {
        let t = &o.lines[l];
        if t.content.is_none() {
            continue;
        }
        let v = match t.key {
            Some(k) => k.value_col,
            None if !t.items.is_empty() => t.rest,
            None => continue,
        };
        let at = t.start + v;
        if at >= offset || !t.text[v..].starts_with(['[', '{']) {
            return None;
        }
        found = Some((l, v, at));
        break;
    }
    let (l, v, start) = found?;
    let b = text.as_bytes();
    let mut frames: Vec<FlowFrame<'t>> = Vec::new();
    let mut tok = start;
    let mut i = start;
    while i < offset {
        match b[i] {
            b'[' => {
                frames.push(FlowFrame::Seq { items: Vec::new() });
                tok = i + 1;
            }
            b'{' => {
                frames.push(FlowFrame::Map { keys: Vec::new(), key: None });
                tok = i + 1;
            }
            b']' | b'}' => {
                frames.pop();
                if frames.is_empty() {
                    return None;
                }
                tok = i + 1;
            }
            b',' => {
                let word = unquote(&text[tok..i]);
                match frames.last_mut() {
                    Some(FlowFrame::Seq { items }) if !word.is_empty() => items.push(word),
                    Some(FlowFrame::Map { keys, key }) => {
                        if key.is_none() && !word.is_empty() {
                            keys.push(word);
                        }
                        *key = None;
                    }
                    _ => {}
                }
                tok = i + 1;
            }
            b':' if b.get(i + 1).is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}'))
                || i + 1 == offset =>
            {
                if let Some(FlowFrame::Map { keys, key }) = frames.last_mut()
                    && key.is_none()
                {
                    let word = unquote(&text[tok..i]);
                    keys.push(word);
                    *key = Some(word);
                    tok = i + 1;
                }
            }
            q @ (b'\'' | b'"') => {
                let mut j = i + 1;
                while j < offset && b[j] != q {
                    j += if q == b'"' && b[j] == b'\\' { 2 } else { 1 };
                }
                i = j;
            }
            b'#' if i > 0 && matches!(b[i - 1], b' ' | b'\t') => {
                while i < offset && b[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if frames.is_empty() {
        return None;
    }
    let mut partial = tok.min(offset);
    while partial < offset && matches!(b[partial], b' ' | b'\t' | b'\n' | b'\r') {
        partial += 1;
    }
    if partial < offset && matches!(b[partial], b'"' | b'\'') {
        partial += 1;
    }
    let (path, _) = path_at(o, l, v);
    Some(Flow { path, frames, partial })
}

pub(super) struct Completer<'a, 't> {
    pub(super) o: &'a Outline<'t>,
    pub(super) offset: usize,
    pub(super) stages: &'a [String],
}

/// What to complete: a key of the mapping at `path`, or the value of `path`.
pub(super) enum Want<'t> {
    Key { exclude: Vec<&'t str> },
    Value { exclude: Vec<&'t str>, space: bool },
}

impl<'t> Completer<'_, 't> {
    pub(super) fn run(&self) -> Vec<Completion> {
        let items = self.items();
        self.fit(items)
    }

    /// Replace the whole word under the cursor, and leave out the `:` of an
    /// inserted `key: ` or `name:` when one follows already.
    pub(super) fn fit(&self, mut items: Vec<Completion>) -> Vec<Completion> {
        let rest = &self.o.text[self.offset..];
        let word = rest.find(|c: char| c.is_whitespace() || ",:[]{}\"'#".contains(c)).unwrap_or(rest.len());
        let colon_follows = rest[word..].trim_start_matches([' ', '\t']).starts_with(':');
        for c in &mut items {
            if let Some(r) = &mut c.replace
                && r.end == self.offset
            {
                r.end = self.offset + word;
            }
            if colon_follows && let Some(ins) = &mut c.insert {
                let kept = ins.trim_end_matches(' ').trim_end_matches(':').len();
                ins.truncate(kept);
            }
        }
        items
    }

    pub(super) fn items(&self) -> Vec<Completion> {
        let o = self.o;
        let ln = o.line_of(self.offset);
        let line = &o.lines[ln];
        let col = self.offset.saturating_sub(line.start).min(line.text.len());
        let before = &line.text[..col];
        if let Some(c) = comment_start(before) {
            return self.comment(&before[c + 1..]);
        }
        if let Some(flow) = flow_at(o, ln, self.offset) {
            return self.flow(flow);
        }
        let t = tokenize(line.start, before);
        if let Some(k) = t.key {
            // `key: partial`
            let typed = &before[k.value_col.min(col)..];
            let quoted = typed.starts_with(['"', '\'']);
            if typed.starts_with(['|', '>', '[', '{']) || (!quoted && typed.trim_end().contains([' ', '\t'])) {
                return Vec::new();
            }
            let (mut path, _) = path_at(o, ln, k.col);
            path.push(Seg { name: k.name.to_string(), anchor: k.anchor.map(Into::into) });
            let start = line.start + k.value_col.min(col) + usize::from(quoted);
            let space = before.ends_with(':');
            return self.complete(&path, Want::Value { exclude: Vec::new(), space }, Span::new(start, self.offset));
        }
        let pcol = if t.content.is_some() { t.rest } else { col };
        let partial = &before[pcol..];
        if partial.contains([' ', '\t', ':', '[', '{', ',', '#']) {
            return Vec::new();
        }
        let (path, in_scalar) = path_at(o, ln, pcol);
        if in_scalar {
            return Vec::new();
        }
        let quote = usize::from(partial.starts_with(['"', '\'']));
        let replace = Span::new(line.start + pcol + quote, self.offset);
        if t.items.last().is_some_and(|&i| i < pcol) {
            // `- partial`: an item, a scalar or the first key of a mapping.
            let item_col = *t.items.last().unwrap_or(&0);
            let mut out =
                self.complete(&path, Want::Value { exclude: sibling_items(o, ln, item_col), space: false }, replace);
            out.extend(self.complete(&path, Want::Key { exclude: sibling_keys(o, ln, pcol) }, replace));
            return out;
        }
        self.complete(&path, Want::Key { exclude: sibling_keys(o, ln, pcol) }, replace)
    }

    pub(super) fn flow(&self, flow: Flow<'t>) -> Vec<Completion> {
        let mut path = flow.path;
        let n = flow.frames.len();
        for (i, f) in flow.frames.iter().enumerate() {
            match f {
                FlowFrame::Seq { .. } => path.push(Seg::item()),
                FlowFrame::Map { key: Some(k), .. } if i + 1 < n => path.push(Seg::key(k)),
                FlowFrame::Map { .. } if i + 1 < n => return Vec::new(),
                FlowFrame::Map { .. } => {}
            }
        }
        let replace = Span::new(flow.partial, self.offset);
        if self.o.text[flow.partial..self.offset].contains([' ', '\t', '\n']) {
            return Vec::new();
        }
        match flow.frames.last() {
            Some(FlowFrame::Seq { items }) => {
                let mut out = self.complete(&path, Want::Value { exclude: items.clone(), space: false }, replace);
                out.retain(|c| c.kind != CompletionKind::Property);
                out
            }
            Some(FlowFrame::Map { key: Some(k), .. }) => {
                path.push(Seg::key(k));
                let space = self.o.text[..self.offset].ends_with(':');
                self.complete(&path, Want::Value { exclude: Vec::new(), space }, replace)
            }
            Some(FlowFrame::Map { keys, key: None }) => {
                self.complete(&path, Want::Key { exclude: keys.clone() }, replace)
            }
            None => Vec::new(),
        }
    }

    pub(super) fn comment(&self, comment: &str) -> Vec<Completion> {
        let Some((region, dclint)) = selector_region(comment) else { return Vec::new() };
        if region.start > comment.len() {
            return Vec::new();
        }
        let typed = &comment[region.start..];
        let word_start = typed.rfind([',', ' ', '\t']).map_or(0, |i| i + 1);
        let replace = Span::new(self.offset.saturating_sub(typed.len().saturating_sub(word_start)), self.offset);
        let mut out = Vec::new();
        for r in crate::rules::compose_all() {
            let m = r.meta();
            let label = if dclint { m.aliases.first().copied().unwrap_or(m.name) } else { m.code };
            let detail = if dclint { m.code } else { m.name };
            out.push(
                Completion::new(label, CompletionKind::Value)
                    .detail(format!("{detail} · {}", m.summary))
                    .docs(rule_markdown(m))
                    .replace(replace),
            );
        }
        out
    }

    /// Completions for the mapping or value at `path`.
    pub(super) fn complete(&self, path: &[Seg], want: Want<'t>, replace: Span) -> Vec<Completion> {
        let mut lazy = LazyOutline { text: self.o.text, outline: None };
        let found = resolve_schema(&mut lazy, path, 0);
        let eff: Vec<String> =
            found.as_ref().map_or_else(|| path.iter().map(|s| s.name.clone()).collect(), |f| f.0.clone());
        let p: Vec<&str> = eff.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        match want {
            Want::Key { exclude } => {
                // A mapping keyed by the names of other entries.
                let named = match p.as_slice() {
                    ["services", s, "depends_on"] => Some((Section::Services, Some(*s))),
                    ["services", _, "networks"] => Some((Section::Networks, None)),
                    _ => None,
                };
                if let Some((section, own)) = named {
                    for e in section_entries(self.o, section.key()) {
                        if Some(e.name) != own && !exclude.contains(&e.name) {
                            out.push(name_item(section, &e, format!("{}:", e.name), replace));
                        }
                    }
                    return out;
                }
                let Some((_, node)) = &found else { return out };
                if !node.types().contains(Types::MAP) && node.types().contains(Types::LIST) {
                    // A list written without its `- ` yet.
                    let mut item = path.to_vec();
                    item.push(Seg::item());
                    let values = self.complete(&item, Want::Value { exclude: Vec::new(), space: false }, replace);
                    return values
                        .into_iter()
                        .map(|mut c| {
                            let text = c.insert.take().unwrap_or_else(|| c.label.clone());
                            c.insert(format!("- {text}"))
                        })
                        .collect();
                }
                let mut kp = p.clone();
                kp.push("");
                for k in node.keys() {
                    if exclude.contains(&k.name) {
                        continue;
                    }
                    if let Some(last) = kp.last_mut() {
                        *last = k.name;
                    }
                    let Some(child) = node.child(k.name) else { continue };
                    let types = child.types().names().join(" | ");
                    out.push(
                        Completion::new(k.name, CompletionKind::Property)
                            .detail(if types.is_empty() { k.description.to_string() } else { types })
                            .docs(key_markdown(&kp, &child))
                            .insert(format!("{}: ", k.name))
                            .replace(replace),
                    );
                }
            }
            Want::Value { exclude, space } => {
                let pre = if space { " " } else { "" };
                let names = |section: Section, own: Option<&str>, suffix: &str, out: &mut Vec<Completion>| {
                    for e in section_entries(self.o, section.key()) {
                        if Some(e.name) != own && !exclude.contains(&e.name) {
                            out.push(name_item(section, &e, format!("{pre}{}{suffix}", e.name), replace));
                        }
                    }
                };
                let fixed = |values: &[&str], key: &str, out: &mut Vec<Completion>| {
                    for v in values {
                        let mut c =
                            Completion::new(*v, CompletionKind::EnumValue).insert(format!("{pre}{v}")).replace(replace);
                        if let Some(d) = value_doc(key, v) {
                            c = c.detail(d);
                        }
                        out.push(c);
                    }
                };
                match p.as_slice() {
                    ["services", s, "depends_on" | "links" | "volumes_from", ITEM] | ["services", s, "extends"] => {
                        names(Section::Services, Some(s), "", &mut out);
                    }
                    ["services", s, "extends", "service"] => names(Section::Services, Some(s), "", &mut out),
                    ["services", s, mode @ ("network_mode" | "ipc" | "pid")] => {
                        let plain: &[&str] = match *mode {
                            "network_mode" => &["bridge", "host", "none"],
                            "ipc" => &["host", "private", "shareable", "none"],
                            _ => &["host"],
                        };
                        fixed(plain, mode, &mut out);
                        names(Section::Services, Some(s), "", &mut out);
                        for c in out.iter_mut().filter(|c| c.kind == CompletionKind::Reference) {
                            c.label = format!("service:{}", c.label);
                            c.insert = Some(format!("{pre}{}", c.label));
                        }
                        if *mode == "network_mode" {
                            out.push(
                                Completion::new("container:", CompletionKind::Value)
                                    .detail("the network of a container started outside this project")
                                    .insert(format!("{pre}container:"))
                                    .replace(replace),
                            );
                        }
                    }
                    ["services", _, "networks", ITEM] => names(Section::Networks, None, "", &mut out),
                    ["services", _, "build", "network"] => {
                        fixed(&["default", "host", "none"], "network", &mut out);
                        names(Section::Networks, None, "", &mut out);
                    }
                    ["services", _, "volumes", ITEM] => names(Section::Volumes, None, ":", &mut out),
                    ["services", _, "volumes", ITEM, "source"] => names(Section::Volumes, None, "", &mut out),
                    ["services", _, "secrets", ITEM]
                    | ["services", _, "secrets", ITEM, "source"]
                    | ["services", _, "build", "secrets", ITEM]
                    | ["services", _, "build", "secrets", ITEM, "source"] => {
                        names(Section::Secrets, None, "", &mut out)
                    }
                    ["services", _, "configs", ITEM] | ["services", _, "configs", ITEM, "source"] => {
                        names(Section::Configs, None, "", &mut out)
                    }
                    ["networks", _, "driver"] => {
                        fixed(&["bridge", "overlay", "host", "none", "macvlan", "ipvlan"], "driver", &mut out)
                    }
                    ["volumes", _, "driver"] => fixed(&["local"], "driver", &mut out),
                    ["services", _, "logging", "driver"] => fixed(
                        &[
                            "json-file",
                            "local",
                            "journald",
                            "syslog",
                            "gelf",
                            "fluentd",
                            "awslogs",
                            "splunk",
                            "gcplogs",
                            "none",
                        ],
                        "logging",
                        &mut out,
                    ),
                    ["services", _, "platform"] | ["services", _, "build", "platforms", ITEM] => {
                        fixed(&["linux/amd64", "linux/arm64", "linux/arm/v7"], "platform", &mut out)
                    }
                    ["services", _, "build", "target"] => {
                        for s in self.stages {
                            out.push(
                                Completion::new(s.clone(), CompletionKind::Stage)
                                    .detail("Dockerfile stage")
                                    .insert(format!("{pre}{s}"))
                                    .replace(replace),
                            );
                        }
                    }
                    _ => {}
                }
                if let Some((_, node)) = &found {
                    let key = p.iter().rev().find(|s| **s != ITEM).copied().unwrap_or("");
                    let known: Vec<String> = out.iter().map(|c| c.label.clone()).collect();
                    let values: Vec<&str> =
                        node.values().iter().copied().filter(|v| !known.iter().any(|k| k == v)).collect();
                    fixed(&values, key, &mut out);
                }
            }
        }
        out
    }
}

pub(super) fn name_item(section: Section, e: &Entry<'_>, insert: String, replace: Span) -> Completion {
    let detail = match &e.detail {
        Some(d) => format!("{} · {d}", section.noun()),
        None => section.noun().to_string(),
    };
    Completion::new(e.name, CompletionKind::Reference).detail(detail).insert(insert).replace(replace)
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::super::*;
    use super::*;

    // ------------------------------------------------------------ completion

    #[test]
    fn root_keys() {
        let l = labels("‸");
        assert!(has(&l, &["services", "networks", "volumes", "secrets", "configs", "name", "include"]), "{l:?}");
        let l = labels("services:\n  web:\n    image: x\n‸");
        assert!(!l.contains(&"services".to_string()), "present keys are left out: {l:?}");
        assert!(l.contains(&"volumes".to_string()));
    }

    #[test]
    fn service_keys_with_docs_and_present_keys_left_out() {
        let items = complete("services:\n  web:\n    image: x\n    re‸\n    ports: ['80:80']\n  db:\n    image: y\n");
        let l: Vec<&str> = items.iter().map(|c| c.label.as_str()).collect();
        assert!(l.contains(&"restart") && l.contains(&"build") && l.contains(&"depends_on"), "{l:?}");
        assert!(!l.contains(&"image") && !l.contains(&"ports"), "present keys: {l:?}");
        let restart = items.iter().find(|c| c.label == "restart").unwrap();
        assert_eq!(restart.kind, CompletionKind::Property);
        assert_eq!(restart.insert.as_deref(), Some("restart: "));
        let docs = restart.docs.as_deref().unwrap();
        assert!(docs.contains("Restart policy") && docs.contains("services/#restart"), "{docs}");
        let (text, offset) = at("services:\n  web:\n    image: x\n    re‸\n");
        assert_eq!(&text[restart.replace.unwrap().start..offset], "re");
    }

    #[test]
    fn keys_while_the_yaml_is_broken() {
        // The file does not load (unterminated quote, tab), the indentation still tells where the cursor is.
        let text = "services:\n  web:\n    image: \"nginx\n    build:\n      con‸\n  db:\n\timage: [\n";
        let (plain, _) = at(text);
        assert!(ComposeFile::parse(&plain).is_err());
        let l = labels(text);
        assert!(has(&l, &["context", "dockerfile", "target", "args"]), "{l:?}");
        assert!(!l.contains(&"image".to_string()));
        // Mid-typing a key with no colon yet, right under a mapping.
        let l = labels("services:\n  web:\n    deploy:\n      resources:\n        li‸");
        assert!(has(&l, &["limits", "reservations"]), "{l:?}");
        // A new list item of mappings.
        let l = labels("services:\n  web:\n    volumes:\n      - type: volume\n        ‸\n");
        assert!(has(&l, &["source", "target", "read_only"]) && !l.contains(&"type".to_string()), "{l:?}");
        let l = labels("services:\n  web:\n    ports:\n      - target: 80\n      - ‸\n");
        assert!(has(&l, &["target", "published", "protocol"]), "a new item starts a new mapping: {l:?}");
    }

    #[test]
    fn enum_values() {
        let l = labels("services:\n  web:\n    restart: ‸\n");
        assert!(has(&l, &["no", "always", "on-failure", "unless-stopped"]), "{l:?}");
        let items = complete("services:\n  web:\n    restart:‸");
        let always = items.iter().find(|c| c.label == "always").unwrap();
        assert_eq!(always.insert.as_deref(), Some(" always"), "right after the colon a space is inserted");
        assert!(always.detail.is_some());
        assert!(has(&labels("services:\n  web:\n    pull_policy: mi‸"), &["missing", "always", "build"]));
        let cond = labels("services:\n  web:\n    depends_on:\n      db:\n        condition: ‸\n  db:\n    image: x\n");
        assert!(has(&cond, &["service_started", "service_healthy", "service_completed_successfully"]), "{cond:?}");
        let action =
            labels("services:\n  web:\n    develop:\n      watch:\n        - path: ./src\n          action: ‸\n");
        assert!(has(&action, &["rebuild", "sync", "restart", "sync+restart", "sync+exec"]), "{action:?}");
        let ty = labels("services:\n  web:\n    volumes:\n      - type: ‸\n");
        assert!(has(&ty, &["bind", "volume", "tmpfs"]), "{ty:?}");
        let nm = labels(&with_app("    network_mode: ‸"));
        assert!(has(&nm, &["bridge", "host", "none", "service:db", "service:cache", "container:"]), "{nm:?}");
        assert!(!nm.contains(&"service:web".to_string()), "not itself");
        assert!(has(&labels("services:\n  web:\n    read_only: ‸"), &["true", "false"]));
        assert!(has(&labels("networks:\n  front:\n    driver: ‸"), &["bridge", "overlay"]));
        assert!(has(
            &labels("services:\n  web:\n    ports:\n      - target: 80\n        protocol: ‸"),
            &["tcp", "udp"]
        ));
    }

    #[test]
    fn names_of_services_networks_volumes_secrets_configs() {
        let deps = labels(&with_app("    depends_on:\n      - db\n      - ‸"));
        assert_eq!(deps, ["cache"], "not itself, not listed ones");
        let deps = labels(&with_app("    depends_on: [db, ‸]"));
        assert_eq!(deps, ["cache"]);
        let deps = complete(&with_app("    depends_on: [\"ca‸\"]"));
        assert!(deps.iter().any(|c| c.label == "cache"));
        let (text, _) = at(&with_app("    depends_on: [\"ca‸\"]"));
        let r = deps[0].replace.unwrap();
        assert_eq!(&text[r.start..r.end], "ca", "inside the quotes");
        let deps = labels(&with_app("    depends_on:\n      ‸"));
        assert!(has(&deps, &["db", "cache"]), "{deps:?}");
        let links = labels(&with_app("    links:\n      - ‸"));
        assert!(has(&links, &["db", "cache"]));
        let ext = labels(&with_app("    extends:\n      service: ‸"));
        assert!(has(&ext, &["db", "cache"]));
        assert_eq!(labels(&with_app("    networks: [front, ‸]")), ["back"]);
        assert!(has(&labels(&with_app("    networks:\n      - ‸")), &["front", "back"]));
        let vols = complete(&with_app("    volumes:\n      - ‸"));
        let data = vols.iter().find(|c| c.label == "data").unwrap();
        assert_eq!(data.insert.as_deref(), Some("data:"), "the name, then the container path");
        assert_eq!(data.kind, CompletionKind::Reference);
        assert!(has(&labels(&with_app("    volumes:\n      - type: volume\n        source: ‸")), &["data"]));
        let secrets = labels(&with_app("    secrets:\n      - ‸"));
        assert_eq!(secrets[0], "token", "names first, then the keys of the long form");
        assert!(secrets.contains(&"source".to_string()));
        assert_eq!(labels(&with_app("    configs:\n      - source: ‸")), ["conf"]);
        let svc = complete(&with_app("    depends_on: [‸]"));
        assert!(svc.iter().any(|c| c.detail.as_deref() == Some("service · image: postgres:16")), "{svc:?}");
    }

    #[test]
    fn the_word_under_the_cursor_is_replaced_and_colons_are_not_doubled() {
        let marked = "services:\n  web:\n    image: x\n    re‸start: always\n";
        let (text, _) = at(marked);
        let items = complete(marked);
        let restart = items.iter().find(|c| c.label == "restart").unwrap();
        let r = restart.replace.unwrap();
        assert_eq!(&text[r.start..r.end], "restart");
        assert_eq!(restart.insert.as_deref(), Some("restart"), "the colon is there already");
        let marked = &with_app("    volumes:\n      - da‸:/var/lib/x");
        let data = complete(marked).into_iter().find(|c| c.label == "data").unwrap();
        assert_eq!(data.insert.as_deref(), Some("data"));
        let marked = "services:\n  web:\n    restart: \"al‸ways\"\n";
        let (text, _) = at(marked);
        let always = complete(marked).into_iter().find(|c| c.label == "always").unwrap();
        let r = always.replace.unwrap();
        assert_eq!(&text[r.start..r.end], "always", "inside the quotes");
    }

    #[test]
    fn lists_and_name_mappings_written_without_their_markers_yet() {
        let links = complete(&with_app("    links:\n      ‸"));
        let db = links.iter().find(|c| c.label == "db").unwrap();
        assert_eq!(db.insert.as_deref(), Some("- db"));
        let nets = complete(&with_app("    networks:\n      ‸"));
        let front = nets.iter().find(|c| c.label == "front").unwrap();
        assert_eq!(front.insert.as_deref(), Some("front:"), "the mapping form: `front:` and its settings");
        let l = labels(&with_app("    networks:\n      front:\n        ‸"));
        assert!(has(&l, &["aliases", "ipv4_address", "priority"]), "{l:?}");
    }

    #[test]
    fn build_target_offers_the_dockerfile_stages() {
        let items = complete("services:\n  app:\n    build:\n      context: .\n      target: ‸\n");
        let l: Vec<&str> = items.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(l, ["builder", "runtime"]);
        assert_eq!(items[0].kind, CompletionKind::Stage);
        assert_eq!(labels("services:\n  app:\n    build: {context: ., target: ‸}\n"), ["builder", "runtime"]);
    }

    #[test]
    fn flow_mappings_and_compact_sequences() {
        let l = labels("services:\n  app:\n    build: {context: ., ‸}\n");
        assert!(l.contains(&"target".to_string()) && !l.contains(&"context".to_string()), "{l:?}");
        let l = labels(
            "services:\n  web:\n    depends_on:\n    - db\n    - ‸\n  db:\n    image: x\n  api:\n    image: y\n",
        );
        assert_eq!(l, ["api"]);
        let l = labels(
            "services:\n  web:\n    depends_on: [\n      db,\n      ‸\n  db:\n    image: x\n  api:\n    image: y\n",
        );
        assert_eq!(l, ["api"], "a flow list over several lines");
    }

    #[test]
    fn anchored_fragments_complete_as_where_they_are_used() {
        let text = "x-common: &common\n  restart: always\n  ‸\nservices:\n  web:\n    <<: *common\n    image: x\n";
        let l = labels(text);
        assert!(has(&l, &["image", "logging", "healthcheck"]) && !l.contains(&"restart".to_string()), "{l:?}");
        let l =
            labels("x-logging: &log\n  driver: json-file\n  ‸\nservices:\n  web:\n    image: x\n    logging: *log\n");
        assert!(l.contains(&"options".to_string()) && !l.contains(&"driver".to_string()), "{l:?}");
    }

    #[test]
    fn nothing_inside_scalars_and_comments() {
        assert!(complete("services:\n  web:\n    command: |\n      echo ‸\n").is_empty());
        assert!(complete("services:\n  web:\n    image: nginx # a comm‸\n").is_empty());
        assert!(complete("services:\n  web:\n    command: echo hi th‸").is_empty());
    }

    #[test]
    fn rule_codes_in_ignore_comments() {
        let l = labels("services:\n  web:\n    # berth ignore=BC‸\n    privileged: true\n");
        assert!(has(&l, &["BC2001", "BC4001"]), "{l:?}");
        let l = labels("services:\n  web:\n    privileged: true # dclint disable-line ‸\n");
        assert!(!l.is_empty() && l.iter().all(|x| !x.starts_with("BC")), "{l:?}");
    }
}
