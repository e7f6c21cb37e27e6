//! Small string helpers shared by the parser and the rules.
//!
//! One did-you-mean policy for every rule and editor feature, Dockerfile and
//! Compose alike ([`closest`]): names are compared without case and with `-`
//! read as `_`; the distance is the optimal string alignment distance (a
//! swap of two neighbouring letters is one edit); a candidate is close when
//! it differs only in case or `-`/`_` for words of 1 or 2 characters, and is
//! at most 1 edit away up to 4 characters, 2 up to 7 and 3 beyond; the
//! closest candidate is suggested only when no other is as close.

/// Whether a path in a Dockerfile is absolute: `/...`, or a Windows path with
/// a drive letter (`C:\x`, `c:/x`, `C:`), which the builder treats as absolute
/// on Windows images (WORKDIR, COPY destinations). Every rule asks this one.
pub fn is_absolute_path(path: &str) -> bool {
    if path.starts_with('/') {
        return true;
    }
    let mut chars = path.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(d), Some(':'), None | Some('\\' | '/')) if d.is_ascii_alphabetic())
}

/// Words longer than this are never close to anything (the table stays small).
const MAX_LEN: usize = 64;

/// How many candidates a did-you-mean search looks at, so that pathological
/// files (thousands of stage, variable or service names) stay linear.
const MAX_CANDIDATES: usize = 500;

/// Optimal string alignment distance between `a` and `b`, compared without
/// case and with `-` read as `_` (`usize::MAX` for words over 64 characters).
pub fn distance(a: &str, b: &str) -> usize {
    let norm = |c: char| if c == '-' { '_' } else { c.to_ascii_lowercase() };
    let a: Vec<char> = a.chars().map(norm).collect();
    let b: Vec<char> = b.chars().map(norm).collect();
    if a.len() > MAX_LEN || b.len() > MAX_LEN {
        return usize::MAX;
    }
    // Three rows of the table: the previous two and the current one.
    let mut prev2 = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The most edits for a candidate to count as close to a word of `len` characters.
fn limit(len: usize) -> usize {
    match len {
        0..=2 => 0,
        3..=4 => 1,
        5..=7 => 2,
        _ => 3,
    }
}

/// The candidate closest to `word`, for "did you mean" hints: within the
/// distance its length allows and closer than every other candidate. The word
/// itself (exactly) is never suggested.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    let limit = limit(len);
    let mut best: Option<(usize, &str, bool)> = None;
    for c in candidates.into_iter().take(MAX_CANDIDATES) {
        if c == word || c.chars().count().abs_diff(len) > limit {
            continue;
        }
        let d = distance(word, c);
        if d > limit {
            continue;
        }
        match best {
            Some((bd, _, _)) if d > bd => {}
            Some((bd, b, _)) if d == bd => best = Some((bd, b, true)),
            _ => best = Some((d, c, false)),
        }
    }
    match best {
        Some((_, c, false)) => Some(c),
        _ => None,
    }
}

/// FNV-1a, 128 bits, over `parts` with a separator between them that cannot
/// occur in UTF-8 text (so `("ab", "c")` and `("a", "bc")` differ). Its value
/// is fixed by its definition, so what it keys (report fingerprints, cached
/// answers on disk) stays the same across berth and Rust versions.
pub fn fnv1a_128(parts: &[&[u8]]) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut h = OFFSET;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0xff;
            h = h.wrapping_mul(PRIME);
        }
        for &b in *part {
            h ^= u128::from(b);
            h = h.wrapping_mul(PRIME);
        }
    }
    h
}

/// A process-wide map of values that are costly to compute again, bounded by
/// the bytes its entries stand for (their text): it is emptied when an entry
/// would take it past `max_bytes`. For statics: `SizedCache::new(4 << 20)`.
pub struct SizedCache<K, V> {
    max_bytes: usize,
    inner: std::sync::Mutex<Option<(std::collections::HashMap<K, V>, usize)>>,
}

impl<K: std::hash::Hash + Eq, V: Clone> SizedCache<K, V> {
    pub const fn new(max_bytes: usize) -> SizedCache<K, V> {
        SizedCache { max_bytes, inner: std::sync::Mutex::new(None) }
    }

    /// The value kept for `key`, if any.
    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        self.inner.lock().ok()?.as_ref()?.0.get(key).cloned()
    }

    /// Keep `value` for `key`, counting `bytes` against the bound.
    pub fn insert(&self, key: K, value: V, bytes: usize) {
        let Ok(mut guard) = self.inner.lock() else { return };
        let (map, total) = guard.get_or_insert_with(Default::default);
        if *total + bytes > self.max_bytes {
            map.clear();
            *total = 0;
        }
        map.insert(key, value);
        *total += bytes;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sized_cache_empties_itself_at_its_bound() {
        let c: SizedCache<String, u32> = SizedCache::new(10);
        c.insert("a".into(), 1, 6);
        assert_eq!(c.get("a"), Some(1));
        c.insert("b".into(), 2, 4);
        assert_eq!((c.get("a"), c.get("b")), (Some(1), Some(2)));
        c.insert("c".into(), 3, 1);
        assert_eq!((c.get("a"), c.get("b"), c.get("c")), (None, None, Some(3)));
    }

    #[test]
    fn suggestions() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("ab", "ba"), 1, "a swap is one edit");
        assert_eq!(distance("cap-add", "CAP_ADD"), 0);
        assert_eq!(closest("APP_HOM", ["APP_HOME", "PATH"]), Some("APP_HOME"));
        assert_eq!(closest("build", ["build"]), None, "the word itself is no suggestion");
        assert_eq!(closest("xyz", ["APP_HOME"]), None);
        assert_eq!(closest("enviroment", ["environment", "entrypoint"]), Some("environment"));
        assert_eq!(closest("postgress", ["postgres", "redis"]), Some("postgres"));
        assert_eq!(closest("rediss", ["postgres", "redis"]), Some("redis"));
        assert_eq!(closest("ab", ["web", "db"]), None, "two letters: one edit is half the word");
        assert_eq!(closest("db", ["DB"]), Some("DB"));
        assert_eq!(closest("cat", ["bat", "hat"]), None, "a tie suggests nothing");
        assert_eq!(closest("FORM", ["FROM"]), Some("FROM"));
    }
}

#[cfg(test)]
mod path_tests {
    use super::is_absolute_path;

    #[test]
    fn posix_and_windows_absolute_paths() {
        for yes in ["/", "/app", "C:\\app", "c:\\dir", "C:/dir", "d:", "Z:\\"] {
            assert!(is_absolute_path(yes), "{yes}");
        }
        for no in ["app", "./app", "", "$HOME", "1:/x", "C:app", "CC:/x", "\\\\server\\share"] {
            assert!(!is_absolute_path(no), "{no}");
        }
    }
}
