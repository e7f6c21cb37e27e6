//! The persistent ShellCheck cache of `berth check` (as ruff caches its
//! results): a second run over unchanged files starts no ShellCheck process.
//!
//! One entry per script: the key hashes the script exactly as ShellCheck gets
//! it (the shebang naming the dialect, then the `export NAME=1` lines of the
//! ARG/ENV names it uses, then its text), the options berth passes (the
//! excluded codes), the ShellCheck version and the cache format. The value is
//! ShellCheck's findings for it, before berth's selection and ignore comments
//! are applied (so enabling or ignoring a code never needs a new run).
//!
//! Stored in one JSON file per ShellCheck version under
//! `<cache dir>/shellcheck/`, where the cache dir is `--cache-dir`, else
//! `$BERTH_CACHE_DIR`, else `$XDG_CACHE_HOME/berth`, else `~/.cache/berth`.
//! It is read once at the start of a run and, when something new was learnt
//! (or an entry was last used on an earlier day), merged with what is on disk
//! then and written atomically (a temporary file renamed over it), so
//! concurrent runs never leave a torn file. Size is bounded: beyond
//! [`MAX_ENTRIES`] entries or [`MAX_BYTES`] bytes the least recently used go.

use super::Finding;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Bumped when the stored form or the meaning of a key changes.
const FORMAT: &str = "berth-shellcheck-cache-1";
/// Most scripts remembered.
pub const MAX_ENTRIES: usize = 50_000;
/// Largest cache file written (older entries go first).
pub const MAX_BYTES: usize = 32 * 1024 * 1024;
/// A cache file larger than this is not read (and is rebuilt).
const MAX_READ: u64 = 4 * MAX_BYTES as u64;

#[derive(serde::Serialize, serde::Deserialize, Clone)]
struct Entry {
    /// Days since 1970 when the entry was last used.
    used: u32,
    findings: Vec<Finding>,
}

#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Stored {
    format: String,
    shellcheck: String,
    entries: HashMap<String, Entry>,
}

/// The cache of one run.
pub struct Cache {
    file: Option<PathBuf>,
    version: String,
    today: u32,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    entries: HashMap<u128, Entry>,
    /// Keys learnt or touched in this run (to merge with the file on save).
    changed: Vec<u128>,
    hits: usize,
    misses: usize,
}

/// Where the cache lives: `explicit`, else `$BERTH_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/berth`, else `~/.cache/berth` (`None` when none is known).
pub fn default_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    explicit
        .map(Path::to_path_buf)
        .or_else(|| env("BERTH_CACHE_DIR"))
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("berth")))
        .or_else(|| env("HOME").map(|h| h.join(".cache").join("berth")))
        .or_else(|| env("LOCALAPPDATA").map(|d| d.join("berth").join("cache")))
}

fn today() -> u32 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    (secs / 86_400) as u32
}

impl Cache {
    /// The cache for ShellCheck `version` (its `--version` text) under `dir`
    /// (the berth cache folder); `None`: a cache that remembers nothing.
    pub fn open(dir: Option<&Path>, version: &str) -> Cache {
        let file = dir.map(|d| {
            let id = crate::ai::cache::key(&[FORMAT.as_bytes(), version.as_bytes()]);
            d.join("shellcheck").join(format!("{:016x}.json", id as u64))
        });
        let entries = file.as_deref().map(|f| read(f, version)).unwrap_or_default();
        Cache {
            file,
            version: version.to_string(),
            today: today(),
            state: Mutex::new(State { entries, ..State::default() }),
        }
    }

    /// A cache that remembers nothing (`--no-cache`).
    pub fn disabled() -> Cache {
        Cache { file: None, version: String::new(), today: today(), state: Mutex::new(State::default()) }
    }

    fn enabled(&self) -> bool {
        self.file.is_some()
    }

    /// The key of a script as given to ShellCheck with `options`.
    pub(super) fn key(&self, options: &str, script: &str) -> u128 {
        crate::ai::cache::key(&[FORMAT.as_bytes(), self.version.as_bytes(), options.as_bytes(), script.as_bytes()])
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn get(&self, key: u128) -> Option<Vec<Finding>> {
        if !self.enabled() {
            return None;
        }
        let mut st = self.lock();
        let today = self.today;
        let found = st.entries.get_mut(&key).map(|e| {
            let stale = e.used < today;
            e.used = today;
            (e.findings.clone(), stale)
        });
        match found {
            Some((f, stale)) => {
                st.hits += 1;
                if stale {
                    st.changed.push(key);
                }
                Some(f)
            }
            None => {
                st.misses += 1;
                None
            }
        }
    }

    pub(super) fn put(&self, key: u128, findings: Vec<Finding>) {
        if !self.enabled() {
            return;
        }
        let mut st = self.lock();
        st.entries.insert(key, Entry { used: self.today, findings });
        st.changed.push(key);
    }

    /// (hits, misses) so far.
    pub fn stats(&self) -> (usize, usize) {
        let st = self.lock();
        (st.hits, st.misses)
    }

    /// Write what this run learnt, merged with the file as it is now. Errors
    /// are returned for a note; the cache is only an optimisation.
    pub fn save(&self) -> Result<(), String> {
        let Some(file) = &self.file else { return Ok(()) };
        let st = self.lock();
        if st.changed.is_empty() {
            return Ok(());
        }
        // Another run may have written since this one started: keep its entries.
        let mut entries = read(file, &self.version);
        for k in &st.changed {
            if let Some(e) = st.entries.get(k) {
                entries.insert(*k, e.clone());
            }
        }
        let mut list: Vec<(u128, Entry)> = entries.into_iter().collect();
        // Most recently used first; ties by key so the file is stable.
        list.sort_by(|a, b| b.1.used.cmp(&a.1.used).then(a.0.cmp(&b.0)));
        list.truncate(MAX_ENTRIES);
        let mut size = 0;
        let mut kept = HashMap::new();
        for (k, e) in list {
            let approx = 64 + e.findings.iter().map(|f| 96 + f.message.len()).sum::<usize>();
            if size + approx > MAX_BYTES {
                break;
            }
            size += approx;
            kept.insert(format!("{k:032x}"), e);
        }
        let stored = Stored { format: FORMAT.to_string(), shellcheck: self.version.clone(), entries: kept };
        let bytes = serde_json::to_vec(&stored).map_err(|e| e.to_string())?;
        let dir = file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        crate::io::write_atomic(file, &bytes).map_err(|e| format!("cannot write {}: {e}", file.display()))
    }
}

fn read(file: &Path, version: &str) -> HashMap<u128, Entry> {
    let ok = std::fs::metadata(file).is_ok_and(|m| m.len() <= MAX_READ);
    let stored: Stored = match ok.then(|| std::fs::read(file).ok()).flatten() {
        Some(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
        None => return HashMap::new(),
    };
    if stored.format != FORMAT || stored.shellcheck != version {
        return HashMap::new();
    }
    stored.entries.into_iter().filter_map(|(k, e)| Some((u128::from_str_radix(&k, 16).ok()?, e))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(msg: &str) -> Finding {
        Finding {
            line: 2,
            column: 1,
            end_line: 2,
            end_column: 3,
            level: "warning".into(),
            code: 2086,
            message: msg.into(),
            replacements: vec![(2, 1, 2, 3, "\"$x\"".into())],
        }
    }

    #[test]
    fn survives_a_restart_and_is_keyed_by_version() {
        let dir = std::env::temp_dir().join(format!("berth-sc-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let c = Cache::open(Some(&dir), "version: 0.10.0");
        let k = c.key("SC1090", "#!/bin/sh\necho $x\n");
        assert!(c.get(k).is_none());
        c.put(k, vec![finding("quote")]);
        c.save().unwrap();
        let again = Cache::open(Some(&dir), "version: 0.10.0");
        let f = again.get(k).expect("cached");
        assert_eq!((f[0].code, f[0].message.as_str(), f[0].replacements.len()), (2086, "quote", 1));
        assert_eq!(again.stats(), (1, 0));
        // Another ShellCheck version: another key and another file.
        let other = Cache::open(Some(&dir), "version: 0.11.0");
        assert_ne!(other.key("SC1090", "#!/bin/sh\necho $x\n"), k);
        assert!(other.get(k).is_none());
        // Other options, another dialect: other keys.
        assert_ne!(c.key("SC1091", "#!/bin/sh\necho $x\n"), k);
        assert_ne!(c.key("SC1090", "#!/bin/bash\necho $x\n"), k);
        // A torn or foreign file is ignored, not an error.
        let file = std::fs::read_dir(dir.join("shellcheck")).unwrap().next().unwrap().unwrap().path();
        std::fs::write(&file, b"{\"format\": 3").unwrap();
        assert!(Cache::open(Some(&dir), "version: 0.10.0").get(k).is_none());
        assert!(Cache::disabled().get(k).is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
