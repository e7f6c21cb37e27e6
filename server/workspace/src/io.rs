//! File services shared by every front end: atomic writes, the size limit,
//! the `.dockerignore` of a Dockerfile's folder.

use crate::files::Files;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The notice for a file over the size limit, if it is.
pub fn too_big(path: &Path, display: &str, max: u64) -> Option<String> {
    let len = fs::metadata(path).ok()?.len();
    (len > max).then(|| {
        format!("berth: {display}: skipped: {len} bytes is over the {max}-byte limit (`max-file-size` in berth.toml, `--max-file-size`)")
    })
}

/// The ignore file BuildKit would use, taking the Dockerfile's folder as the
/// build context: `<Dockerfile name>.dockerignore` beside it, else `.dockerignore`
/// (open documents first, then the disk).
pub fn dockerignore_for(dockerfile: &Path, files: &Files) -> Option<String> {
    let dir = dockerfile.parent()?;
    let own = dockerfile.file_name().map(|n| dir.join(format!("{}.dockerignore", n.to_string_lossy())));
    own.into_iter().chain([dir.join(".dockerignore")]).find_map(|p| match files.open_text(&p) {
        Some(t) => Some(t.to_string()),
        None => fs::read_to_string(p).ok(),
    })
}

/// Replace the file at `path` with `bytes` atomically: write a temporary file
/// in the same folder, give it the original's permissions (and owner, where
/// allowed), fsync it, and rename it over the original. A file or folder that
/// has no write permission at all is refused, even for root, as are files the
/// user could not open for writing.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind};
    // Follow a symbolic link so the link stays and its target is replaced.
    let target = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let existing = match fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some(meta) = &existing {
        if meta.permissions().readonly() {
            return Err(Error::new(ErrorKind::PermissionDenied, "the file is read-only"));
        }
        // The rename would bypass the file's own permissions: check them.
        OpenOptions::new().write(true).open(&target)?;
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if fs::metadata(&dir)?.permissions().readonly() {
        return Err(Error::new(ErrorKind::PermissionDenied, format!("the folder {} is read-only", dir.display())));
    }
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let (tmp_path, mut tmp) = loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let candidate = dir.join(format!(".{name}.berth-{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&candidate) {
            Ok(f) => break (candidate, f),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        tmp.write_all(bytes)?;
        if let Some(meta) = &existing {
            copy_owner(&tmp, meta);
            tmp.set_permissions(meta.permissions())?;
        }
        tmp.sync_all()?;
        drop(tmp);
        fs::rename(&tmp_path, &target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp_path);
        return result;
    }
    // Make the rename itself durable (not possible on every platform).
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(unix)]
fn copy_owner(file: &File, meta: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    if let Ok(own) = file.metadata()
        && (own.uid() != meta.uid() || own.gid() != meta.gid())
    {
        // Allowed for root, and for a group the user belongs to; best effort otherwise.
        let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    }
}

#[cfg(not(unix))]
fn copy_owner(_file: &File, _meta: &fs::Metadata) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_keeps_permissions() {
        let dir = std::env::temp_dir().join(format!("berth-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("Dockerfile");
        fs::write(&p, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&p).unwrap().permissions().mode() & 0o7777, 0o640);
        }
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1, "no temporary file left");
        fs::remove_dir_all(&dir).unwrap();
    }
}
