//! The on-disk cache of registry answers: one small JSON file per question
//! (a tag's manifest, a digest, a repository's tags) under the berth cache
//! folder (`$BERTH_CACHE_DIR/registry`, else `$XDG_CACHE_HOME/berth/registry`,
//! else `~/.cache/berth/registry`, as the AI cache),
//! named by the SHA-256 of the question, kept for `cache-ttl` seconds.
//! A cache that cannot be read or written is skipped, never an error.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    ttl: u64,
}

/// The berth cache folder for registry answers.
pub fn default_dir() -> Option<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|d| !d.is_empty()).map(PathBuf::from);
    let base = env("BERTH_CACHE_DIR")
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("berth")))
        .or_else(|| env("HOME").map(|h| h.join(".cache").join("berth")))?;
    Some(base.join("registry"))
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `sha256:<hex>` of bytes (a manifest's digest).
pub fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref()))
}

impl Cache {
    /// `None` when the TTL is 0 (no cache).
    pub fn new(dir: Option<&Path>, ttl: u64) -> Option<Cache> {
        let dir = dir.map(Path::to_path_buf).or_else(default_dir)?;
        (ttl > 0).then_some(Cache { dir, ttl })
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{}.json", &sha256(key.as_bytes())[7..]))
    }

    /// A fresh answer to `key`.
    pub fn get(&self, key: &str) -> Option<serde_json::Value> {
        let text = std::fs::read_to_string(self.path(key)).ok()?;
        let v: serde_json::Value = serde_json::from_str(&text).ok()?;
        let at = v.get("at")?.as_u64()?;
        if v.get("key")?.as_str()? != key || now().saturating_sub(at) > self.ttl {
            return None;
        }
        v.get("value").cloned()
    }

    pub fn put(&self, key: &str, value: &serde_json::Value) {
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let body = serde_json::json!({ "key": key, "at": now(), "value": value });
        let path = self.path(key);
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, body.to_string()).is_ok() && std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_ttl() {
        let dir = std::env::temp_dir().join(format!("berth-cache-test-{}", std::process::id()));
        let c = Cache::new(Some(&dir), 60).unwrap();
        assert_eq!(c.get("k"), None);
        c.put("k", &serde_json::json!({"a": 1}));
        assert_eq!(c.get("k"), Some(serde_json::json!({"a": 1})));
        let old = serde_json::json!({"key": "old", "at": now() - 120, "value": 1});
        std::fs::write(c.path("old"), old.to_string()).unwrap();
        assert_eq!(c.get("old"), None, "older than the TTL");
        assert!(Cache::new(Some(&dir), 0).is_none());
        let _ = std::fs::remove_dir_all(dir);
        assert_eq!(sha256(b""), "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
