//! Small string helpers shared by the parser and the rules.

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

/// Levenshtein distance, for did-you-mean suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// How many candidates a did-you-mean search looks at, so that pathological
/// files (thousands of stage or variable names) stay linear.
const MAX_CANDIDATES: usize = 256;

/// The closest candidate within a small distance, for "did you mean" hints.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    let limit = (len / 3).clamp(1, 3);
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .take(MAX_CANDIDATES)
        .filter(|c| *c != word && c.chars().count().abs_diff(len) <= limit)
        .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(closest("APP_HOM", ["APP_HOME", "PATH"]), Some("APP_HOME"));
        assert_eq!(closest("build", ["build"]), None, "the word itself is no suggestion");
        assert_eq!(closest("xyz", ["APP_HOME"]), None);
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
