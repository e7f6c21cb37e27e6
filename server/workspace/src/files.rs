//! The project's files as a lint sees them: the text of documents open in an
//! editor first (by path), then the disk.

use berth_rules::compose::project::{Found, Request, Want};
use berth_rules::util::SizedCache;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Open documents over the disk. `Files::disk()` has none: the command line's
/// view. Paths are compared after lexical normalisation (`.` and `..` removed),
/// so `dir/../x/Dockerfile` finds the open `x/Dockerfile`.
#[derive(Debug, Clone, Default)]
pub struct Files {
    open: HashMap<PathBuf, Arc<str>>,
}

impl Files {
    /// The disk only.
    pub fn disk() -> Files {
        Files::default()
    }

    /// The disk, with these documents' unsaved texts in front of it.
    pub fn with_open(docs: impl IntoIterator<Item = (PathBuf, Arc<str>)>) -> Files {
        Files { open: docs.into_iter().map(|(p, t)| (normalize(&p), t)).collect() }
    }

    /// The open document at `path`, if any.
    pub fn open_text(&self, path: &Path) -> Option<&Arc<str>> {
        if self.open.is_empty() {
            return None;
        }
        self.open.get(&normalize(path))
    }

    /// Whether any document is open in front of the disk.
    pub fn has_open(&self) -> bool {
        !self.open.is_empty()
    }

    /// The open documents' paths.
    pub fn open_paths(&self) -> impl Iterator<Item = &Path> {
        self.open.keys().map(PathBuf::as_path)
    }

    /// A file's text: the open document's, else the disk's (UTF-8 files up
    /// to 10 MB).
    pub fn read_to_string(&self, path: &Path) -> Option<String> {
        if let Some(t) = self.open_text(path) {
            return Some(t.to_string());
        }
        read_bounded(path).ok().and_then(|b| String::from_utf8(b).ok())
    }

    /// Answer one of the engine's questions about a path near a Compose file
    /// in `dir`: whether it exists, and its text when wanted (UTF-8 files up to
    /// 10 MB; larger or binary files count as existing without text). Symbolic
    /// links are followed; a loop is an error, not a hang.
    pub fn answer(&self, dir: &Path, request: &Request) -> Found {
        let path = dir.join(&request.path);
        if let Some(t) = self.open_text(&path) {
            return match request.want {
                Want::Exists => Found::File(None),
                _ => Found::File(Some(t.to_string())),
            };
        }
        match std::fs::metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound || e.kind() == std::io::ErrorKind::NotADirectory => {
                Found::Missing
            }
            Err(e) => Found::Error(e.to_string()),
            Ok(m) if m.is_dir() => Found::Dir,
            Ok(m) if !m.is_file() => Found::Error("not a regular file".into()),
            Ok(_) if request.want == Want::Exists => Found::File(None),
            Ok(m) => Found::File(read_cached(&path, &m)),
        }
    }
}

/// Texts read from disk by [`Files::answer`], with what identified the file
/// when it was read (size, modification time, inode). An editor re-lints a
/// Compose file on each keystroke and asks again for every Dockerfile and
/// `.dockerignore` of its project: a file whose metadata is unchanged is not
/// read again. Only files unchanged for 2 s when read are kept. Emptied when
/// it holds more than 4 MiB.
static DISK: SizedCache<PathBuf, (FileStamp, Option<String>)> = SizedCache::new(4 << 20);

/// What tells a file's versions apart without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64),
}

impl FileStamp {
    fn of(meta: &std::fs::Metadata) -> FileStamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        FileStamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: (meta.dev(), meta.ino()),
        }
    }
}

/// A regular file's text (`None`: not UTF-8 or too large), from [`DISK`]
/// when its metadata has not changed since it was read.
fn read_cached(path: &Path, meta: &std::fs::Metadata) -> Option<String> {
    // As git's "racily clean" entries: a file modified less than this long
    // before it was read may change again within the clock's granularity
    // without its metadata showing it, so it is not kept.
    const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);
    let stamp = FileStamp::of(meta);
    if stamp.modified.is_some()
        && let Some((s, text)) = DISK.get(path)
        && s == stamp
    {
        return text;
    }
    let text = read_known(path, meta).ok().and_then(|b| String::from_utf8(b).ok());
    let settled = stamp
        .modified
        .and_then(|m| std::time::SystemTime::now().duration_since(m).ok())
        .is_some_and(|age| age > SETTLED);
    if settled {
        let bytes = text.as_ref().map_or(0, String::len);
        DISK.insert(path.to_path_buf(), (stamp, text.clone()), bytes);
    }
    text
}

/// `path` without `.` components and with `..` applied to what precedes it.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The largest file berth reads around a Compose file.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// A regular file's bytes, at most [`MAX_FILE_BYTES`] (longer files are an error).
pub fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    read_known(path, &meta)
}

/// [`read_bounded`] for a regular file whose metadata the caller has read.
fn read_known(path: &Path, meta: &std::fs::Metadata) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    if meta.len() > MAX_FILE_BYTES {
        return Err(std::io::Error::other("larger than 10 MB"));
    }
    let mut buf = Vec::with_capacity(meta.len() as usize + 1);
    std::fs::File::open(path)?.take(MAX_FILE_BYTES + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::other("larger than 10 MB"));
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_documents_come_before_the_disk() {
        let dir = crate::tests::temp_dir("files");
        std::fs::write(dir.join("Dockerfile"), "FROM disk\n").unwrap();
        let disk = Files::disk();
        assert_eq!(disk.read_to_string(&dir.join("Dockerfile")).as_deref(), Some("FROM disk\n"));
        let files = Files::with_open([(dir.join("Dockerfile"), Arc::from("FROM open\n"))]);
        assert_eq!(files.read_to_string(&dir.join("x/../Dockerfile")).as_deref(), Some("FROM open\n"));
        let req = Request { path: "Dockerfile".into(), want: Want::Text };
        assert!(matches!(files.answer(&dir, &req), Found::File(Some(t)) if t == "FROM open\n"));
        assert!(matches!(disk.answer(&dir, &req), Found::File(Some(t)) if t == "FROM disk\n"));
        // Open but never saved: it exists for the project.
        let unsaved = Files::with_open([(dir.join("new.Dockerfile"), Arc::from("FROM new\n"))]);
        let req = Request { path: "new.Dockerfile".into(), want: Want::Exists };
        assert!(matches!(unsaved.answer(&dir, &req), Found::File(None)));
        assert!(matches!(disk.answer(&dir, &req), Found::Missing));
    }
}
