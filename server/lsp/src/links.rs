//! Document links (`textDocument/documentLink`) in berth's terms: the links
//! of `berth_ide::ide` with their local paths resolved against the
//! document's folder (a Compose `build.dockerfile` against its build
//! context) and kept only when the file or folder exists. A document that
//! is not a file (`untitled:`) gets its image links only.

use super::Server;
use super::documents::{DocUri, Snapshot};
use super::features::{Ide, normalize};
use berth_ide::ide::links::{Base, Link, Target};
use berth_rules::text::LineCol;
use std::path::{Path, PathBuf};

/// Where a link goes, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Goes {
    Url(String),
    File(PathBuf),
}

/// One link of a document, in UTF-16 positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLink {
    pub range: (LineCol, LineCol),
    pub goes: Goes,
    pub tooltip: String,
}

/// A path as written, against the folder of the document `doc`.
fn resolve(doc: &Path, path: &str, base: &Base) -> Option<PathBuf> {
    let dir = doc.parent()?;
    let dir = match base {
        Base::Document => dir.to_path_buf(),
        Base::Context(c) if c.contains("://") || c.starts_with("git@") || c.contains('$') => return None,
        Base::Context(c) => dir.join(c),
    };
    let p = normalize(&dir.join(path));
    p.exists().then_some(p)
}

impl Server {
    /// The links of an open Dockerfile or Compose file (off the async runtime:
    /// it looks at the file system).
    pub fn links(&self, uri: &DocUri) -> Option<Vec<DocLink>> {
        let (snap, ide) = self.ide(uri)?;
        let found: Vec<Link> = match &*ide {
            Ide::Dockerfile(a) => a.links(),
            Ide::Compose(_) => ide.compose().map(berth_ide::ide::compose::links).unwrap_or_default(),
        };
        Some(found.into_iter().filter_map(|l| resolved(&snap, l)).collect())
    }
}

fn resolved(snap: &Snapshot, l: Link) -> Option<DocLink> {
    let goes = match l.target {
        Target::Url(u) => Goes::Url(u),
        Target::Path { path, base } => Goes::File(resolve(snap.path.as_deref()?, &path, &base)?),
    };
    Some(DocLink { range: snap.range(l.span), goes, tooltip: l.tooltip })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_only_when_they_exist() {
        let dir = std::env::temp_dir().join(format!("berth-links-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("app/docker")).unwrap();
        std::fs::write(dir.join("app/docker/Dockerfile.dev"), "FROM alpine\n").unwrap();
        let doc = dir.join("compose.yaml");
        assert_eq!(resolve(&doc, "./app", &Base::Document), Some(dir.join("app")));
        assert_eq!(
            resolve(&doc, "docker/Dockerfile.dev", &Base::Context("./app".into())),
            Some(dir.join("app/docker/Dockerfile.dev"))
        );
        assert_eq!(resolve(&doc, "missing.env", &Base::Document), None);
        assert_eq!(resolve(&doc, "Dockerfile", &Base::Context("https://x/y.git".into())), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
