//! Hover: key documentation, variables, references and rule codes.

use crate::compose::env::Env;
use crate::compose::interpolate::{self, Op, VarRef};
use crate::compose::{ComposeFile, Key, Kind, Node, Style, comment_start};
use crate::engine::RuleMeta;
use crate::ide::Hover;
use crate::text::Span;
use std::ops::Range;

use super::{analysis::*, navigation::*, outline::*};

// ---------------------------------------------------------------- hover

pub(super) fn tree_hover(file: &ComposeFile, offset: usize, env: Option<&Env>) -> Option<Hover> {
    let uses = collect_uses(file);
    if let Some(u) = use_at(&uses, offset) {
        return Some(Hover { span: u.span, markdown: entry_markdown(file, &uses, u) });
    }
    let text = file.text.as_str();
    let (path, target) = locate(text, &file.raw, offset)?;
    match target {
        At::Key(k) => {
            if k.text == "<<" && k.style == Style::Plain {
                return Some(Hover { span: k.span, markdown: merge_markdown() });
            }
            let (p, node) = resolve_schema(&mut LazyOutline::new(text), &path, 0)?;
            Some(Hover { span: k.span, markdown: key_markdown(&p, &node) })
        }
        At::Value(node) => {
            if let Kind::Alias(_) = node.kind {
                return Some(Hover { span: node.span, markdown: alias_markdown(file, file.slice(node.span)) });
            }
            let src = file.slice(node.span);
            if let Some(h) = var_hover(src, offset.saturating_sub(node.span.start), node.span.start, env) {
                return Some(h);
            }
            node.str()?;
            let (p, schema) = resolve_schema(&mut LazyOutline::new(text), &path, 0)?;
            let mut md = key_markdown(&p, &schema);
            if let Some(doc) = node.str().and_then(|v| value_doc(p.last().map_or("", String::as_str), v)) {
                md = format!("{}: {doc}\n\n---\n\n{md}", code(node.str().unwrap_or("")));
            }
            // `services.<name>.image`: what berth knows about the image (one table, with sources).
            let is_image = path.len() == 3 && path[0].name == "services" && path[2].name == "image";
            if is_image && let Some(facts) = node.str().and_then(crate::rules::images::describe) {
                md = format!("{facts}\n\n---\n\n{md}");
            }
            Some(Hover { span: node.span, markdown: md })
        }
    }
}

pub(super) fn outline_hover(text: &str, offset: usize, env: Option<&Env>) -> Option<Hover> {
    let o = Outline::new(text);
    let ln = o.line_of(offset);
    let line = &o.lines[ln];
    let col = offset.saturating_sub(line.start);
    if comment_start(&line.text[..col.min(line.text.len())]).is_some() {
        return None;
    }
    if let Some(k) = line.key {
        if k.name_col <= col && col <= k.name_col + k.name.len() {
            let mut path = path_at(&o, ln, k.col).0;
            path.push(Seg { name: k.name.to_string(), anchor: k.anchor.map(Into::into) });
            let (p, node) = resolve_schema(&mut LazyOutline::new(text), &path, 0)?;
            let span = Span::new(line.start + k.name_col, line.start + k.name_col + k.name.len());
            return Some(Hover { span, markdown: key_markdown(&p, &node) });
        }
        if col < k.value_col {
            return None;
        }
    }
    var_hover(line.text, col, line.start, env)
}

pub(super) fn merge_markdown() -> String {
    format!(
        "**`<<`** · merge key\n\nMerges the keys of the anchored mapping (or list of mappings) into this one; keys written here win, then the first mapping listed.\n\n[Fragments]({DOCS}fragments/) · [Merge]({DOCS}merge/)"
    )
}

pub(super) fn alias_markdown(file: &ComposeFile, src: &str) -> String {
    let anchor = format!("&{}", src.trim_start_matches('*'));
    let place = file
        .text
        .match_indices(&anchor)
        .find(|(i, _)| {
            file.text[i + anchor.len()..].chars().next().is_none_or(|c| c.is_whitespace() || ",]}".contains(c))
        })
        .map(|(i, _)| format!(" (line {})", file.lines.line_of(i) + 1))
        .unwrap_or_default();
    format!(
        "**{}** · alias\n\nA copy of the value anchored with {}{place}.\n\n[Fragments]({DOCS}fragments/)",
        code(src),
        code(&anchor)
    )
}

/// What the cursor is on in the tree.
pub(super) enum At<'n> {
    Key(&'n Key),
    Value(&'n Node),
}

/// The key or scalar at `offset` and its path (for a key: including it).
pub(super) fn locate<'n>(text: &str, root: &'n Node, offset: usize) -> Option<(Vec<Seg>, At<'n>)> {
    let mut node = root;
    let mut path = Vec::new();
    loop {
        match &node.kind {
            Kind::Map(entries) => {
                let mut next = None;
                for (k, v) in entries {
                    if inside(k.span, offset) {
                        path.push(Seg { name: k.text.clone(), anchor: anchor_between(text, k, v) });
                        return Some((path, At::Key(k)));
                    }
                    if within(v, offset) {
                        next = Some((k, v));
                        break;
                    }
                }
                let (k, v) = next?;
                path.push(Seg { name: k.text.clone(), anchor: anchor_between(text, k, v) });
                node = v;
            }
            Kind::Seq(items) => {
                node = items.iter().find(|i| within(i, offset))?;
                path.push(Seg::item());
            }
            Kind::Scalar { .. } | Kind::Alias(_) => return Some((path, At::Value(node))),
            Kind::Null => return None,
        }
    }
}

pub(super) fn within(n: &Node, offset: usize) -> bool {
    match n.kind {
        Kind::Scalar { .. } | Kind::Alias(_) => !n.span.is_empty() && inside(n.span, offset),
        Kind::Null => false,
        _ => n.span.contains(offset),
    }
}

/// The anchor name written on a key's value (`key: &name`).
pub(super) fn anchor_between(text: &str, k: &Key, v: &Node) -> Option<String> {
    if v.anchor == 0 {
        return None;
    }
    let rest = text.get(k.span.end..)?.trim_start_matches([' ', '\t', '"', '\'']);
    let mut rest = rest.strip_prefix(':')?.trim_start();
    if rest.starts_with('!') {
        rest = rest[rest.find(char::is_whitespace)?..].trim_start();
    }
    let name: String =
        rest.strip_prefix('&')?.chars().take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c)).collect();
    (!name.is_empty()).then_some(name)
}

/// The summary of a named entry, for hover on its declaration or a reference.
pub(super) fn entry_markdown(file: &ComposeFile, uses: &[Use], at: &Use) -> String {
    let noun = at.section.noun();
    let mut md = format!("**{noun} {}**", code(&at.name));
    let decl = uses.iter().rfind(|u| u.decl && u.same(at));
    let node = file.resolved.get(at.section.key()).and_then(|s| s.get(&at.name));
    match decl {
        Some(d) => md += &format!(" — declared on line {}", file.lines.line_of(d.span.start) + 1),
        None if at.section == Section::Networks && at.name == "default" => {
            md += "\n\nThe network Compose creates for the project (services without `networks` join it)";
        }
        None => md += " — not declared in this file (it may come from another Compose file)",
    }
    let mut facts: Vec<String> = Vec::new();
    if let Some(n) = node {
        let s = |k: &str| n.get(k).and_then(Node::str).filter(|v| !v.is_empty());
        match at.section {
            Section::Services => {
                if let Some(image) = s("image") {
                    facts.push(format!("image: {}", code(image)));
                }
                match n.get("build") {
                    Some(b) if b.str().is_some() => facts.push(format!("build: {}", code(b.str().unwrap_or("")))),
                    Some(b) => {
                        let mut parts =
                            vec![format!("context {}", code(b.get("context").and_then(Node::str).unwrap_or(".")))];
                        for k in ["dockerfile", "target"] {
                            if let Some(v) = b.get(k).and_then(Node::str) {
                                parts.push(format!("{k} {}", code(v)));
                            }
                        }
                        facts.push(format!("build: {}", parts.join(", ")));
                    }
                    None => {}
                }
                if let Some(e) = n.get("extends") {
                    let target = e.str().or_else(|| e.get("service").and_then(Node::str)).unwrap_or("");
                    facts.push(format!("extends: {}", code(target)));
                }
                let ports: Vec<String> = n
                    .get("ports")
                    .map(Node::items)
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|p| p.str().map(code))
                    .take(6)
                    .collect();
                if !ports.is_empty() {
                    facts.push(format!("ports: {}", ports.join(", ")));
                }
            }
            _ => {
                for k in ["driver", "name", "file", "environment", "content"] {
                    if let Some(v) = s(k) {
                        facts.push(format!("{k}: {}", code(v)));
                    }
                }
                if let Some(e) = n.get("external")
                    && e.compose_bool() != Some(false)
                {
                    facts.push("external: created outside Compose".into());
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut by: Vec<String> = Vec::new();
    let mut more = 0;
    for u in uses.iter().filter(|u| !u.decl && u.same(at)) {
        if let Some(b) = &u.by
            && seen.insert((b.as_str(), u.how))
        {
            if by.len() < 8 {
                by.push(format!("{} ({})", code(b), u.how));
            } else {
                more += 1;
            }
        }
    }
    if !by.is_empty() {
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        facts.push(format!("used by {}{more}", by.join(", ")));
    }
    for f in facts {
        md += &format!("\n- {f}");
    }
    let anchor = match at.section {
        Section::Services => "services/",
        Section::Networks => "networks/",
        Section::Volumes => "volumes/",
        Section::Configs => "configs/",
        Section::Secrets => "secrets/",
    };
    md += &format!("\n\n[Compose file reference]({DOCS}{anchor})");
    md
}

/// The innermost variable reference at `rel` in `src` (text of a value as
/// written): its range in `src` and the reference.
pub(super) fn var_at(src: &str, rel: usize) -> Option<(Range<usize>, VarRef)> {
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        if b.get(i + 1) == Some(&b'$') {
            i += 2;
            continue;
        }
        let end = match b.get(i + 1) {
            Some(b'{') => {
                let mut depth = 0usize;
                let mut end = None;
                for (j, &c) in b.iter().enumerate().skip(i + 1) {
                    match c {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(j + 1);
                                break;
                            }
                        }
                        b'\n' => break,
                        _ => {}
                    }
                }
                end
            }
            Some(c) if *c == b'_' || c.is_ascii_alphabetic() => {
                let n = b[i + 1..].iter().take_while(|c| **c == b'_' || c.is_ascii_alphanumeric()).count();
                Some(i + 1 + n)
            }
            _ => None,
        };
        let Some(end) = end else {
            i += 1;
            continue;
        };
        if i <= rel && rel <= end {
            let parts = interpolate::parse(&src[i..end]).ok()?;
            let r = rel - i;
            let best = interpolate::references(&parts)
                .into_iter()
                .filter(|v| v.span.start <= r && r <= v.span.end)
                .min_by_key(|v| v.span.len())?
                .clone();
            return Some((i + best.span.start..i + best.span.end, best));
        }
        i = end;
    }
    None
}

pub(super) fn var_hover(src: &str, rel: usize, base: usize, env: Option<&Env>) -> Option<Hover> {
    if !src.contains('$') {
        return None;
    }
    let (range, v) = var_at(src, rel)?;
    let written = &src[range.clone()];
    let empty = Env::new();
    let mut md = format!("**{}** · variable", code(&v.name));
    match env {
        Some(e) => match e.get(&v.name) {
            Some(value) => md += &format!("\n\n{} is {} in `.env`", code(&v.name), code(value)),
            None => md += &format!("\n\n{} is not set in `.env`", code(&v.name)),
        },
        None => md += "\n\nNo `.env` values are known for this file",
    }
    let e = env.unwrap_or(&empty);
    let word = interpolate::evaluate(&v.word, e, &mut |_| {}).unwrap_or_default();
    if let Some(op) = v.op {
        md += &format!(
            "\n\n{}",
            match op {
                Op::DefaultIfEmpty => format!("Default {} when unset or empty", code(&word)),
                Op::DefaultIfUnset => format!("Default {} when unset", code(&word)),
                Op::ErrorIfEmpty | Op::ErrorIfUnset => {
                    let when = if op == Op::ErrorIfEmpty { "unset or empty" } else { "unset" };
                    if word.is_empty() {
                        format!("Required: Compose stops when it is {when}")
                    } else {
                        format!("Required: Compose stops when it is {when}, with {}", code(&word))
                    }
                }
                Op::AltIfNonEmpty => format!("Replaced by {} when set and not empty, else empty", code(&word)),
                Op::AltIfSet => format!("Replaced by {} when set, else empty", code(&word)),
            }
        );
    }
    if let Some(e) = env {
        match interpolate::evaluate_str(written, e) {
            Ok(value) if e.contains(&v.name) || v.op.is_some() => {
                md += &format!("\n\n{} → {}", code(written), code(&value));
            }
            Ok(_) => {
                md += "\n\nCompose takes it from the shell environment; unset there too, it is empty (with a warning)"
            }
            Err(err) => md += &format!("\n\n{err}"),
        }
    } else if v.op.is_some_and(Op::is_default) {
        md += &format!("\n\nWithout a value in the environment: {}", code(&word));
    }
    md += &format!("\n\n[Interpolation]({DOCS}interpolation/)");
    Some(Hover { span: Span::new(base + range.start, base + range.end), markdown: md })
}

/// The span of line `offset` is on, without its line break.
pub(super) fn line_around(text: &str, offset: usize) -> Span {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let end = if text[start..end].ends_with('\r') { end - 1 } else { end };
    Span::new(start, end.max(start))
}

/// The list of rule selectors of an ignore comment: its range in `comment`
/// (the text after `#`) and whether it is dclint's (names, space or comma
/// separated) rather than berth's (`ignore=CODE,CODE`).
pub(super) fn selector_region(comment: &str) -> Option<(Range<usize>, bool)> {
    let lead = comment.len() - comment.trim_start().len();
    let t = &comment[lead..];
    if let Some(rest) = t.strip_prefix("berth") {
        let mut at = lead + 5;
        let r = rest.trim_start();
        at += rest.len() - r.len();
        let r2 = match r.strip_prefix("global") {
            Some(g) => {
                at += 6 + g.len() - g.trim_start().len();
                g.trim_start()
            }
            None => r,
        };
        let list = r2.strip_prefix("ignore=")?;
        at += 7;
        let len = list.find(char::is_whitespace).unwrap_or(list.len());
        return Some((at..at + len, false));
    }
    let rest = t.strip_prefix("dclint")?;
    let r = rest.trim_start();
    let word = ["disable-next-line", "disable-line", "disable-file"].into_iter().find(|w| r.starts_with(w))?;
    let at = lead + 6 + (rest.len() - r.len()) + word.len();
    Some((at..comment.len(), true))
}

pub(super) fn comment_hover(text: &str, offset: usize) -> Option<Hover> {
    if !text.contains('#') {
        return None;
    }
    let line = line_around(text, offset);
    let ltext = &text[line.start..line.end];
    let c = comment_start(ltext)?;
    let comment = &ltext[c + 1..];
    let (region, _) = selector_region(comment)?;
    let base = line.start + c + 1;
    let rel = offset.checked_sub(base)?;
    if rel < region.start || rel > region.end {
        return None;
    }
    let list = &comment[region.clone()];
    let mut start = 0;
    for piece in list.split([',', ' ', '\t']) {
        let end = start + piece.len();
        if region.start + start <= rel && rel <= region.start + end && !piece.is_empty() {
            let meta = crate::rules::find(piece)?;
            let span = Span::new(base + region.start + start, base + region.start + end);
            return Some(Hover { span, markdown: rule_markdown(meta) });
        }
        start = end + 1;
    }
    None
}

pub(super) fn rule_markdown(m: &RuleMeta) -> String {
    let mut md = format!("**{}** {} · {}\n\n{}", m.code, code(m.name), m.severity.as_str(), m.summary);
    if !m.aliases.is_empty() {
        let a: Vec<String> = m.aliases.iter().map(|a| code(a)).collect();
        md += &format!("\n\nAlso: {}", a.join(", "));
    }
    if !m.docs.is_empty() {
        md += &format!("\n\n---\n\n{}", m.docs.trim());
    }
    md
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::super::*;
    use super::*;

    #[test]
    fn image_hover_shows_image_facts() {
        let (span, md) = hover_md("services:\n  db:\n    image: post‸gres:18\n", None).unwrap();
        assert_eq!(span, "postgres:18");
        assert!(md.contains("/var/lib/postgresql/18/docker"), "{md}");
        assert!(md.contains("Source:"), "{md}");
        let (_, md) = hover_md("services:\n  app:\n    image: exam‸ple/app\n", None).unwrap();
        assert!(!md.contains("Source:"), "{md}");
    }

    // ------------------------------------------------------------ hover

    #[test]
    fn hover_keys() {
        let (word, md) = hover_md("services:\n  web:\n    resta‸rt: always\n", None).unwrap();
        assert_eq!(word, "restart");
        assert!(md.contains("Restart policy") && md.contains("`unless-stopped`"), "{md}");
        assert!(md.contains("https://docs.docker.com/reference/compose-file/services/#restart"), "{md}");
        let (_, md) = hover_md(
            "services:\n  web:\n    deploy:\n      resources:\n        limits:\n          mem‸ory: 1g\n",
            None,
        )
        .unwrap();
        assert!(md.contains("deploy/#resources"), "{md}");
        let (word, md) = hover_md("services:\n  web:\n    ports:\n      - tar‸get: 80\n", None).unwrap();
        assert_eq!(word, "target");
        assert!(md.contains("Port in the container"), "{md}");
        let (_, md) = hover_md("services:\n  app:\n    build: {context: ., tar‸get: dev}\n", None).unwrap();
        assert!(md.contains("Dockerfile stage") && md.contains("build/#target"), "{md}");
        let (_, md) = hover_md("services:\n  web:\n    restart: unless-st‸opped\n", None).unwrap();
        assert!(md.starts_with("`unless-stopped`:"), "values explain themselves: {md}");
        assert!(hover_md("x-custom:\n  fo‸o: 1\n", None).is_none());
    }

    #[test]
    fn hover_list_items_and_sections() {
        let (word, md) = hover_md("services:\n  web:\n    ports:\n      - \"80:8‸0\"\n", None).unwrap();
        assert_eq!(word, "\"80:80\"");
        assert!(md.contains("**`ports`**") && md.contains("services/#ports"), "{md}");
        let (_, md) = hover_md("servi‸ces:\n  web:\n    image: x\n", None).unwrap();
        assert!(md.contains("containers") && md.ends_with("compose-file/services/)"), "{md}");
        let (_, md) = hover_md("na‸me: demo\n", None).unwrap();
        assert!(md.contains("version-and-name/#name-top-level-element"), "{md}");
    }

    #[test]
    fn hover_in_anchors_and_merges() {
        let text = "x-base: &base\n  resta‸rt: always\nservices:\n  web:\n    <<: *base\n    image: x\n";
        let (word, md) = hover_md(text, None).unwrap();
        assert_eq!(word, "restart");
        assert!(md.contains("Restart policy"), "{md}");
        let (_, md) = hover_md("x-base: &base\n  restart: always\nservices:\n  web:\n    <‸<: *base\n", None).unwrap();
        assert!(md.contains("merge"), "{md}");
        let (_, md) = hover_md("x-base: &base\n  restart: always\nservices:\n  web:\n    <<: *ba‸se\n", None).unwrap();
        assert!(md.contains("alias") && md.contains("`&base` (line 1)"), "{md}");
        // A merge in a list of anchors.
        let text = "x-a: &a\n  cap_a‸dd: [NET_ADMIN]\nx-b: &b\n  image: x\nservices:\n  web:\n    <<: [*a, *b]\n";
        assert!(hover_md(text, None).unwrap().1.contains("capabilities"));
    }

    #[test]
    fn hover_variables() {
        let env: Env = [("TAG", "1.27")].into_iter().collect();
        let text = "services:\n  web:\n    image: \"nginx:${T‸AG:-latest}\"\n";
        let (word, md) = hover_md(text, Some(&env)).unwrap();
        assert_eq!(word, "${TAG:-latest}");
        assert!(md.contains("`1.27`") && md.contains("in `.env`"), "{md}");
        let (_, md) = hover_md(text, Some(&Env::new())).unwrap();
        assert!(md.contains("not set") && md.contains("`latest`"), "{md}");
        let (_, md) = hover_md(text, None).unwrap();
        assert!(md.contains("No `.env`") && md.contains("`latest`"), "{md}");
        let (word, md) = hover_md("services:\n  web:\n    image: ${A:-${B‸B}}\n", None).unwrap();
        assert_eq!(word, "${BB}", "the innermost reference");
        assert!(md.contains("`BB`"), "{md}");
        let (_, md) =
            hover_md("services:\n  web:\n    environment:\n      - KEY=${SEC‸RET:?set SECRET}\n", Some(&Env::new()))
                .unwrap();
        assert!(md.contains("Required") && md.contains("set SECRET"), "{md}");
        let (_, md) = hover_md("services:\n  web:\n    command: echo $$HO‸ME\n", None).unwrap();
        assert!(!md.contains("variable"), "`$$` is a literal `$`: {md}");
        // Also in a file that does not load.
        let (word, _) = hover_md("services:\n  web:\n    image: ${T‸AG}\n  db: [\n", None).unwrap();
        assert_eq!(word, "${TAG}");
    }

    #[test]
    fn hover_references_show_the_definition() {
        let (text, _) = at(&format!("{APP}‸"));
        let off = text.find("[db]").unwrap() + 2;
        let h = hover(&text, off, None).unwrap();
        assert_eq!(&text[h.span.start..h.span.end], "db");
        assert!(h.markdown.contains("service `db`") && h.markdown.contains("line 6"), "{}", h.markdown);
        assert!(h.markdown.contains("postgres:16") && h.markdown.contains("`web` (depends on)"), "{}", h.markdown);
        let off = text.find("data:/var").unwrap() + 1;
        let h = hover(&text, off, None).unwrap();
        assert!(h.markdown.contains("volume `data`"), "{}", h.markdown);
        let off = text.find("  cache:").unwrap() + 3;
        let h = hover(&text, off, None).unwrap();
        assert!(h.markdown.contains("build: `./cache`"), "{}", h.markdown);
        let text = "services:\n  a:\n    image: x\n    networks: [default]\n";
        let h = hover(text, text.find("default").unwrap(), None).unwrap();
        assert!(h.markdown.contains("creates for the project"), "{}", h.markdown);
    }

    #[test]
    fn hover_rules_in_ignore_comments() {
        let (word, md) =
            hover_md("services:\n  web:\n    # berth ignore=BC1001,BC20‸01 reason\n    privileged: true\n", None)
                .unwrap();
        assert_eq!(word, "BC2001");
        assert!(md.contains("privileged-container"), "{md}");
        let (word, md) =
            hover_md("services:\n  web:\n    privileged: true # dclint disable-line privileged-cont‸ainer\n", None)
                .unwrap();
        assert_eq!(word, "privileged-container");
        assert!(md.contains("BC2001"), "{md}");
        assert!(hover_md("services:\n  web:\n    # just a comm‸ent\n", None).is_none());
    }

    #[test]
    fn hover_when_the_yaml_is_broken() {
        let (word, md) = hover_md("services:\n  web:\n    pull_pol‸icy: always\n    image: [\n", None).unwrap();
        assert_eq!(word, "pull_policy");
        assert!(md.contains("When to pull"), "{md}");
    }
}
