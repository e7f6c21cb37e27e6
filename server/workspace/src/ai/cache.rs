//! Answers cached by a hash of the request (endpoint, model, messages and
//! parameters), in memory and on disk in the user cache folder:
//! `$BERTH_CACHE_DIR/ai`, else `$XDG_CACHE_HOME/berth/ai`, else
//! `~/.cache/berth/ai`. Only the model's answer is stored (it was made from
//! the redacted prompt, so it holds placeholders, never secrets); the prompt
//! is not. Files are written atomically (a temporary file, then a rename),
//! and the folder is kept under a size cap by removing the oldest answers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Most answers kept in memory.
const MEMORY_ENTRIES: usize = 512;

pub struct Cache {
    dir: Option<PathBuf>,
    max_bytes: u64,
    memory: Mutex<HashMap<u128, String>>,
}

/// The user cache folder for berth's AI answers.
pub fn default_dir() -> Option<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    env("BERTH_CACHE_DIR")
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("berth")))
        .or_else(|| env("HOME").map(|h| h.join(".cache").join("berth")))
        .map(|d| d.join("ai"))
}

/// The key of an answer (and of ShellCheck's cached results): FNV-1a over
/// the parts ([`berth_rules::util::fnv1a_128`]).
pub fn key(parts: &[&[u8]]) -> u128 {
    berth_rules::util::fnv1a_128(parts)
}

impl Cache {
    /// A cache in `dir` (`None`: memory only) holding at most `max_bytes` on disk.
    pub fn new(dir: Option<PathBuf>, max_bytes: u64) -> Cache {
        Cache { dir, max_bytes, memory: Mutex::new(HashMap::new()) }
    }

    /// A cache that keeps nothing.
    pub fn disabled() -> Cache {
        Cache { dir: None, max_bytes: 0, memory: Mutex::new(HashMap::new()) }
    }

    fn enabled(&self) -> bool {
        self.max_bytes > 0
    }

    fn path(&self, key: u128) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join(format!("{key:032x}.txt")))
    }

    pub fn get(&self, key: u128) -> Option<String> {
        if !self.enabled() {
            return None;
        }
        if let Some(v) = self.memory.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return Some(v.clone());
        }
        let text = std::fs::read_to_string(self.path(key)?).ok()?;
        self.remember(key, &text);
        Some(text)
    }

    fn remember(&self, key: u128, answer: &str) {
        let mut m = self.memory.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() >= MEMORY_ENTRIES {
            m.clear();
        }
        m.insert(key, answer.to_string());
    }

    /// Store an answer. Disk errors are ignored: the cache is an optimisation.
    pub fn put(&self, key: u128, answer: &str) {
        if !self.enabled() || answer.len() as u64 > self.max_bytes {
            return;
        }
        self.remember(key, answer);
        let (Some(dir), Some(path)) = (&self.dir, self.path(key)) else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        if write_atomic(dir, &path, answer.as_bytes()).is_ok() {
            self.trim(dir);
        }
    }

    /// Remove the oldest answers until the folder is under three quarters of the cap.
    fn trim(&self, dir: &Path) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        let mut files: Vec<(std::time::SystemTime, u64, PathBuf)> = rd
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".txt"))
            .filter_map(|e| {
                let m = e.metadata().ok()?;
                Some((m.modified().unwrap_or(std::time::UNIX_EPOCH), m.len(), e.path()))
            })
            .collect();
        let mut total: u64 = files.iter().map(|f| f.1).sum();
        if total <= self.max_bytes {
            return;
        }
        files.sort();
        let goal = self.max_bytes / 4 * 3;
        for (_, len, path) in files {
            if total <= goal {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total = total.saturating_sub(len);
            }
        }
    }
}

fn write_atomic(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let tmp = dir.join(format!(".tmp-{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed)));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_cap() {
        let dir = std::env::temp_dir().join(format!("berth-ai-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let c = Cache::new(Some(dir.clone()), 100);
        c.put(1, "first answer");
        assert_eq!(Cache::new(Some(dir.clone()), 100).get(1).as_deref(), Some("first answer"));
        for k in 2..20 {
            c.put(k, "0123456789");
        }
        let total: u64 = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().metadata().unwrap().len()).sum();
        assert!(total <= 100, "{total}");
        assert!(
            std::fs::read_dir(&dir).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().starts_with(".tmp"))
        );
        std::fs::remove_dir_all(&dir).unwrap();
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
    }
}
