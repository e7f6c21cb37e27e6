//! Names that point from a service to another entry of the file: the one
//! reference collector, read by the undefined- and unused-name rules
//! (BC4001-BC4006, through `rules::compose::refs`) and by the editor
//! (references, rename, hover).
//!
//! What refers to what:
//! - services: `depends_on` (list or mapping), `links` (`name[:alias]`),
//!   `extends.service` without `file` (or `extends: name`),
//!   `network_mode`/`ipc`/`pid: service:NAME`, `volumes_from`
//!   (`[service:]NAME[:mode]`, not `container:NAME`);
//! - networks: a service's `networks` (list or mapping) and `build.network`;
//! - volumes: named volumes of a service's `volumes` ([`super::volumes`]);
//! - secrets: a service's `secrets` and `build.secrets`; configs: `configs`
//!   (a name, or a mapping with `source`).
//!
//! Empty and interpolated names are left out (their value is not known).

use super::interpolate::interpolated;
use super::volumes::{self, VolumeKind};
use super::{ComposeFile, Key, Node};
use std::ops::Range;

/// Where a reference is written.
#[derive(Debug, Clone)]
pub enum Written<'f> {
    /// The byte range `range` of a scalar's value.
    Scalar(&'f Node, Range<usize>),
    /// A mapping key (`depends_on: {db: ...}`).
    Key(&'f Key),
}

/// One name written in a service that refers to another entry.
#[derive(Debug, Clone)]
pub struct Reference<'f> {
    /// The top-level section the name belongs to (`services`, `networks`, ...).
    pub section: &'static str,
    /// The service where it is written.
    pub service: &'f str,
    pub name: &'f str,
    pub written: Written<'f>,
    /// How the service refers to it, for messages ("depends on", "joins network", ...).
    pub how: &'static str,
    /// True when the reference makes the service start after the other one.
    pub dependency: bool,
    /// Written under `build` (`build.network`, `build.secrets`).
    pub build: bool,
}

struct Collector<'f> {
    out: Vec<Reference<'f>>,
    service: &'f str,
    section: &'static str,
    build: bool,
}

impl<'f> Collector<'f> {
    fn scalar(&mut self, node: &'f Node, range: Range<usize>, how: &'static str, dependency: bool) {
        let Some(name) = node.str().and_then(|t| t.get(range.clone())) else { return };
        if name.is_empty() || interpolated(name) {
            return;
        }
        let (section, service, build) = (self.section, self.service, self.build);
        let written = Written::Scalar(node, range);
        self.out.push(Reference { section, service, name, written, how, dependency, build });
    }

    fn whole(&mut self, node: &'f Node, how: &'static str, dependency: bool) {
        let len = node.str().map_or(0, str::len);
        self.scalar(node, 0..len, how, dependency);
    }

    fn key(&mut self, key: &'f Key, how: &'static str, dependency: bool) {
        if key.text.is_empty() || interpolated(&key.text) {
            return;
        }
        let (section, service, build) = (self.section, self.service, self.build);
        let name = key.text.as_str();
        self.out.push(Reference { section, service, name, written: Written::Key(key), how, dependency, build });
    }

    /// A list of names or a mapping keyed by name (`depends_on`, `networks`).
    fn list_or_keys(&mut self, node: &'f Node, how: &'static str, dependency: bool) {
        for item in node.items() {
            self.whole(item, how, dependency);
        }
        for (k, _) in node.entries() {
            self.key(k, how, dependency);
        }
    }

    fn services(&mut self, n: &'f Node) {
        self.section = "services";
        if let Some(d) = n.get("depends_on") {
            self.list_or_keys(d, "depends on", true);
        }
        for l in n.get("links").map(Node::items).unwrap_or(&[]) {
            let Some(t) = l.str() else { continue };
            self.scalar(l, 0..t.find(':').unwrap_or(t.len()), "links to", true);
        }
        if let Some(e) = n.get("extends") {
            match e.get("service") {
                Some(target) if e.get("file").is_none() => self.whole(target, "extends", false),
                None if e.str().is_some() => self.whole(e, "extends", false),
                _ => {}
            }
        }
        for (key, how) in [
            ("network_mode", "shares the network of"),
            ("ipc", "shares the IPC namespace of"),
            ("pid", "shares the process namespace of"),
        ] {
            if let Some(v) = n.get(key)
                && let Some(rest) = v.str().and_then(|t| t.strip_prefix("service:"))
            {
                self.scalar(v, 8..8 + rest.len(), how, true);
            }
        }
        for v in n.get("volumes_from").map(Node::items).unwrap_or(&[]) {
            let Some(t) = v.str() else { continue };
            if t.starts_with("container:") {
                continue;
            }
            let (start, rest) = match t.strip_prefix("service:") {
                Some(r) => (8, r),
                None => (0, t),
            };
            let end = start + rest.find(':').unwrap_or(rest.len());
            self.scalar(v, start..end, "uses volumes from", true);
        }
    }

    fn networks(&mut self, n: &'f Node) {
        self.section = "networks";
        if let Some(nets) = n.get("networks") {
            self.list_or_keys(nets, "joins network", false);
        }
        if let Some(net) = n.get("build").and_then(|b| b.get("network")) {
            self.build = true;
            self.whole(net, "builds on network", false);
            self.build = false;
        }
    }

    fn volumes(&mut self, n: &'f Node) {
        self.section = "volumes";
        for v in volumes::of_service(n) {
            if v.kind == VolumeKind::Named
                && let Some((node, range)) = v.source
            {
                self.scalar(node, range, "mounts volume", false);
            }
        }
    }

    fn grants(&mut self, n: &'f Node, section: &'static str) {
        self.section = section;
        let how = if section == "secrets" { "uses secret" } else { "uses config" };
        let build = n.get("build").and_then(|b| b.get(section)).filter(|_| section == "secrets");
        for (list, in_build) in [(n.get(section), false), (build, true)] {
            self.build = in_build;
            for item in list.map(Node::items).unwrap_or(&[]) {
                let node = if item.str().is_some() { Some(item) } else { item.get("source") };
                if let Some(node) = node {
                    self.whole(node, how, false);
                }
            }
        }
        self.build = false;
    }
}

/// Every reference of the file's services to `section` (`services`,
/// `networks`, `volumes`, `secrets` or `configs`), service by service in file
/// order and, within a service, in the order listed in the module docs.
pub fn collect<'f>(file: &'f ComposeFile, section: &str) -> Vec<Reference<'f>> {
    let mut c = Collector { out: Vec::new(), service: "", section: "", build: false };
    for s in &file.services {
        c.service = s.name.as_str();
        match section {
            "services" => c.services(&s.node),
            "networks" => c.networks(&s.node),
            "volumes" => c.volumes(&s.node),
            "secrets" => c.grants(&s.node, "secrets"),
            "configs" => c.grants(&s.node, "configs"),
            _ => {}
        }
    }
    c.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_reference() {
        let f = ComposeFile::parse(
            "services:\n  a:\n    image: x\n    depends_on: [b]\n    links: ['c:alias']\n    network_mode: service:d\n    volumes_from: ['service:e:ro', 'container:z']\n    networks: {front: {}}\n    build: {context: ., network: n2, secrets: [s2]}\n    volumes: [data:/x, ./d:/y, '${V}:/z']\n    secrets: [s1]\n    configs: [{source: c1}]\n",
        )
        .unwrap();
        let names = |section| collect(&f, section).iter().map(|r| (r.name, r.how, r.build)).collect::<Vec<_>>();
        assert_eq!(
            names("services"),
            [
                ("b", "depends on", false),
                ("c", "links to", false),
                ("d", "shares the network of", false),
                ("e", "uses volumes from", false)
            ]
        );
        assert_eq!(names("networks"), [("front", "joins network", false), ("n2", "builds on network", true)]);
        assert_eq!(names("volumes"), [("data", "mounts volume", false)]);
        assert_eq!(names("secrets"), [("s1", "uses secret", false), ("s2", "uses secret", true)]);
        assert_eq!(names("configs"), [("c1", "uses config", false)]);
    }
}
