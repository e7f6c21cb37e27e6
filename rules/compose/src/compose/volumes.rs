//! A service's `volumes` entries as Compose reads them, short and long
//! syntax: the one reader for every rule and editor feature.
//!
//! Short syntax `[SOURCE:]TARGET[:OPTIONS]` is split as compose-go's
//! `format.ParseVolume` splits it: at `:` outside `${...}`, except the `:` of
//! a one-letter Windows drive (`C:\data`); a spec of one or two characters is
//! a target alone. OPTIONS is a comma-separated list (`ro`, `rw`, `nocopy`,
//! `z`, `rshared`, ...). A source is a host path (a bind mount) when it
//! starts with `.`, `/`, `~` or `\\`, or with a drive letter; any other
//! source names a volume (compose-go `isFilePath`). Long syntax: `type`,
//! `source`, `target`, `read_only`, and without `type` the source decides as
//! in the short syntax.
//!
//! A source with interpolation (`${DATA:-./data}`) is [`VolumeKind::Unknown`]:
//! Compose interpolates before it reads the entry.

use super::Node;
use super::interpolate::interpolated;
use std::ops::Range;

/// What a volume entry mounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolumeKind {
    /// A host path.
    Bind,
    /// A named volume (declared under top-level `volumes`).
    Named,
    /// A volume without a name (a target alone).
    Anonymous,
    /// `type: tmpfs`.
    Tmpfs,
    /// Another mount type (`npipe`, `image`, `cluster`, or one Compose refuses).
    Other,
    /// The source is interpolated: not known before Compose runs.
    Unknown,
}

/// One entry of a service's `volumes`.
#[derive(Debug, Clone)]
pub struct Volume<'n> {
    /// The entry itself (a scalar or a mapping).
    pub entry: &'n Node,
    pub kind: VolumeKind,
    /// The node holding the source text, and the source's byte range in its value.
    pub source: Option<(&'n Node, Range<usize>)>,
    /// The node holding the target text, and its byte range.
    pub target: Option<(&'n Node, Range<usize>)>,
    /// `:ro` in the options, or `read_only: true`.
    pub read_only: bool,
}

impl<'n> Volume<'n> {
    /// The source as written (empty when there is none).
    pub fn source_text(&self) -> &'n str {
        part(&self.source)
    }

    /// The target as written (empty when there is none).
    pub fn target_text(&self) -> &'n str {
        part(&self.target)
    }
}

fn part<'n>(p: &Option<(&'n Node, Range<usize>)>) -> &'n str {
    p.as_ref().and_then(|(n, r)| n.str().and_then(|t| t.get(r.clone()))).unwrap_or("")
}

/// compose-go's `isFilePath`: a source Compose reads as a host path.
pub fn is_host_path(source: &str) -> bool {
    let b = source.as_bytes();
    match b.first() {
        None => false,
        Some(b'.' | b'/' | b'~') => true,
        _ if source.starts_with("\\\\") => true,
        Some(c) => c.is_ascii_alphabetic() && b.get(1) == Some(&b':'),
    }
}

/// What a source given without `type` mounts.
fn classify(source: &str) -> VolumeKind {
    if source.is_empty() {
        VolumeKind::Anonymous
    } else if interpolated(source) {
        VolumeKind::Unknown
    } else if is_host_path(source) {
        VolumeKind::Bind
    } else {
        VolumeKind::Named
    }
}

/// The `:`-separated fields of a short entry, as byte ranges: `:` inside
/// `${...}` and a one-letter drive's `:` do not split.
pub fn short_fields(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut fields = Vec::new();
    let (mut start, mut depth) = (0, 0usize);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'$' if b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                let drive = i - start == 1 && b[start].is_ascii_alphabetic();
                if !drive {
                    fields.push(start..i);
                    start = i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    fields.push(start..text.len());
    fields
}

/// Read one entry of a service's `volumes` (`None` for what is neither a
/// string nor a mapping, or an empty mapping).
pub fn read(entry: &Node) -> Option<Volume<'_>> {
    if let Some(text) = entry.str() {
        let fields = short_fields(text);
        if text.chars().count() <= 2 || fields.len() < 2 {
            let target = Some((entry, 0..text.len()));
            return Some(Volume { entry, kind: VolumeKind::Anonymous, source: None, target, read_only: false });
        }
        let src = fields[0].clone();
        let read_only = fields
            .get(2)
            .and_then(|r| text.get(r.clone()))
            .is_some_and(|mode| mode.split(',').any(|o| o.trim() == "ro"));
        let kind = classify(&text[src.clone()]);
        let target = Some((entry, fields[1].clone()));
        return Some(Volume { entry, kind, source: Some((entry, src)), target, read_only });
    }
    if entry.entries().is_empty() {
        return None;
    }
    let read_only = entry.get("read_only").and_then(Node::compose_bool) == Some(true);
    let whole = |n: &'_ Node| n.str().map_or(0, str::len);
    let source = entry.get("source").filter(|s| s.str().is_some_and(|t| !t.is_empty())).map(|s| (s, 0..whole(s)));
    let target = entry.get("target").filter(|t| t.str().is_some()).map(|t| (t, 0..whole(t)));
    let text = part(&source);
    let kind = match entry.get("type").and_then(Node::str) {
        _ if interpolated(text) => VolumeKind::Unknown,
        Some("bind") if !text.is_empty() => VolumeKind::Bind,
        Some("volume") if text.is_empty() => VolumeKind::Anonymous,
        Some("volume") => VolumeKind::Named,
        Some("tmpfs") => VolumeKind::Tmpfs,
        None => classify(text),
        _ => VolumeKind::Other,
    };
    Some(Volume { entry, kind, source, target, read_only })
}

/// Every readable entry of `service`'s `volumes`.
pub fn of_service(service: &Node) -> impl Iterator<Item = Volume<'_>> {
    service.get("volumes").map(Node::items).unwrap_or(&[]).iter().filter_map(read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::ComposeFile;

    fn first(yaml: &str, f: impl FnOnce(Volume<'_>)) {
        let file = ComposeFile::parse(yaml).unwrap();
        let v = of_service(&file.services[0].node).next().expect("a volume");
        f(v)
    }

    #[test]
    fn short_syntax() {
        let svc = |v: &str| format!("services:\n  a:\n    volumes:\n      - \"{v}\"\n");
        first(&svc("data:/var/lib/data:ro"), |v| {
            assert_eq!(
                (v.kind, v.source_text(), v.target_text(), v.read_only),
                (VolumeKind::Named, "data", "/var/lib/data", true)
            );
        });
        first(&svc("./conf:/etc/app:z,ro"), |v| assert_eq!((v.kind, v.read_only), (VolumeKind::Bind, true)));
        first(&svc("C:\\\\data:/data"), |v| assert_eq!((v.kind, v.source_text()), (VolumeKind::Bind, "C:\\data")));
        first(&svc("/data"), |v| assert_eq!((v.kind, v.target_text()), (VolumeKind::Anonymous, "/data")));
        first(&svc("${DATA:-./data}:/data"), |v| {
            assert_eq!((v.kind, v.source_text(), v.target_text()), (VolumeKind::Unknown, "${DATA:-./data}", "/data"));
        });
        first(&svc("~/x:/x"), |v| assert_eq!(v.kind, VolumeKind::Bind));
    }

    #[test]
    fn short_forms() {
        let f = ComposeFile::parse(
            "a: [data:/x, ./d:/x:ro, '/etc:/e:ro,z', /anon, 'C:\\d:/x', '${V}:/x', 'a:/x', '~/x:/y']\n",
        )
        .unwrap();
        let m: Vec<_> = f.resolved.get("a").unwrap().items().iter().map(|n| read(n).unwrap()).collect();
        let kinds: Vec<_> = m.iter().map(|m| (m.kind, m.source_text(), m.read_only)).collect();
        assert_eq!(
            kinds,
            [
                (VolumeKind::Named, "data", false),
                (VolumeKind::Bind, "./d", true),
                (VolumeKind::Bind, "/etc", true),
                (VolumeKind::Anonymous, "", false),
                (VolumeKind::Bind, "C:\\d", false),
                (VolumeKind::Unknown, "${V}", false),
                (VolumeKind::Anonymous, "", false),
                (VolumeKind::Bind, "~/x", false),
            ]
        );
    }

    #[test]
    fn long_syntax() {
        let y = "services:\n  a:\n    volumes:\n      - type: bind\n        source: /etc\n        target: /host\n        read_only: true\n";
        first(y, |v| {
            assert_eq!(
                (v.kind, v.source_text(), v.target_text(), v.read_only),
                (VolumeKind::Bind, "/etc", "/host", true)
            )
        });
        let y = "services:\n  a:\n    volumes:\n      - source: cache\n        target: /c\n";
        first(y, |v| assert_eq!(v.kind, VolumeKind::Named));
        let y = "services:\n  a:\n    volumes:\n      - type: tmpfs\n        target: /t\n";
        first(y, |v| assert_eq!(v.kind, VolumeKind::Tmpfs));
        let y = "services:\n  a:\n    volumes:\n      - type: volume\n        target: /t\n";
        first(y, |v| assert_eq!(v.kind, VolumeKind::Anonymous));
    }
}
