//! `.dockerignore` matching, as the Docker builder does it (moby's
//! `patternmatcher` and `dockerignore.ReadAll`): one pattern per line, `#`
//! comments, a leading `/` dropped, `*` and `?` within one path component, `**`
//! across components, `[...]` classes, `\` escapes, `!` re-including, and the
//! last matching pattern deciding. A path is also excluded when one of its
//! parent folders is.

/// One piece of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(char),
    /// `*`: any run of characters other than `/`.
    Star,
    /// `?`: one character other than `/`.
    One,
    /// `**` before more pattern: any run of whole folders, possibly none.
    Dirs,
    /// `**` at the end: anything.
    All,
    /// `[...]`: ranges, possibly negated.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

#[derive(Debug, Clone)]
pub struct Pattern {
    /// The pattern as cleaned, without its `!`.
    pub text: String,
    /// 1-based line in the `.dockerignore`.
    pub line: usize,
    pub exclusion: bool,
    toks: Vec<Tok>,
    /// `**foo`-style patterns match any path that ends with `suffix`.
    suffix: Option<String>,
}

/// Go's `path.Clean`.
pub fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

fn compile(pattern: &str) -> Option<(Vec<Tok>, Option<String>)> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                toks.push(if i >= chars.len() { Tok::All } else { Tok::Dirs });
                continue;
            }
            '*' => toks.push(Tok::Star),
            '?' => toks.push(Tok::One),
            '\\' => {
                i += 1;
                toks.push(Tok::Lit(*chars.get(i).unwrap_or(&'\\')));
            }
            '[' => {
                let mut j = i + 1;
                let negated = matches!(chars.get(j), Some('^'));
                if negated {
                    j += 1;
                }
                let mut ranges = Vec::new();
                let mut first = true;
                loop {
                    let &c = chars.get(j)?;
                    if c == ']' && !first {
                        break;
                    }
                    first = false;
                    let lo = if c == '\\' {
                        j += 1;
                        *chars.get(j)?
                    } else {
                        c
                    };
                    j += 1;
                    if chars.get(j) == Some(&'-') && chars.get(j + 1).is_some_and(|c| *c != ']') {
                        let hi = chars[j + 1];
                        ranges.push((lo, hi));
                        j += 2;
                    } else {
                        ranges.push((lo, lo));
                    }
                }
                toks.push(Tok::Class { negated, ranges });
                i = j;
            }
            c => toks.push(Tok::Lit(c)),
        }
        i += 1;
    }
    // moby matches `**foo` (no other wildcard after the `**`) by suffix.
    let suffix = pattern.strip_prefix("**").filter(|rest| !rest.contains(['*', '?', '[', ']'])).map(str::to_string);
    Some((toks, suffix))
}

fn tok_matches(t: &Tok, c: char) -> bool {
    match t {
        Tok::Lit(l) => *l == c,
        Tok::One => c != '/',
        Tok::Class { negated, ranges } => ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated,
        _ => false,
    }
}

/// Whether the whole of `path` matches `toks` (dynamic programming: linear in
/// pattern length times path length).
fn full_match(toks: &[Tok], path: &[char]) -> bool {
    let n = path.len();
    // reach[j]: the pattern so far can end just before path[j].
    let mut reach = vec![false; n + 1];
    reach[0] = true;
    for t in toks {
        let mut next = vec![false; n + 1];
        match t {
            Tok::Star => {
                for j in 0..=n {
                    if reach[j] || (j > 0 && next[j - 1] && path[j - 1] != '/') {
                        next[j] = true;
                    }
                }
            }
            Tok::All => {
                let first = reach.iter().position(|r| *r);
                if let Some(f) = first {
                    next[f..].iter_mut().for_each(|x| *x = true);
                }
            }
            Tok::Dirs => {
                // `(.*/)?`: stay, or jump to just after any later `/`.
                let mut seen = false;
                for j in 0..=n {
                    if reach[j] {
                        next[j] = true;
                        seen = true;
                    }
                    if seen && j > 0 && path[j - 1] == '/' {
                        next[j] = true;
                    }
                }
            }
            _ => {
                for j in 0..n {
                    if reach[j] && tok_matches(t, path[j]) {
                        next[j + 1] = true;
                    }
                }
            }
        }
        reach = next;
    }
    reach[n]
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        if let Some(suffix) = &self.suffix {
            return path.ends_with(suffix.as_str()) || suffix.strip_prefix('/').is_some_and(|s| path == s);
        }
        let chars: Vec<char> = path.chars().collect();
        full_match(&self.toks, &chars)
    }
}

/// A parsed `.dockerignore`.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    pub patterns: Vec<Pattern>,
}

impl Matcher {
    /// Read a `.dockerignore`. Patterns the builder would reject are left out.
    pub fn parse(text: &str) -> Matcher {
        let mut patterns = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = if n == 0 { line.trim_start_matches('\u{feff}') } else { line };
            if line.starts_with('#') {
                continue;
            }
            let mut p = line.trim();
            if p.is_empty() {
                continue;
            }
            let exclusion = p.starts_with('!');
            if exclusion {
                p = p[1..].trim();
            }
            if p.is_empty() {
                continue;
            }
            let mut cleaned = clean(p);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
            let Some((toks, suffix)) = compile(&cleaned) else { continue };
            patterns.push(Pattern { text: cleaned, line: n + 1, exclusion, toks, suffix });
        }
        Matcher { patterns }
    }

    /// The index of the pattern that excludes `path` (relative to the build
    /// context, cleaned) or one of its parent folders, if any.
    pub fn excluded_by(&self, path: &str) -> Option<usize> {
        let parent = match path.rfind('/') {
            Some(p) => &path[..p],
            None => ".",
        };
        let parents: Vec<&str> = if parent == "." {
            Vec::new()
        } else {
            parent.match_indices('/').map(|(i, _)| &parent[..i]).chain([parent]).collect()
        };
        let mut decided: Option<usize> = None;
        for (i, p) in self.patterns.iter().enumerate() {
            // An inclusion cannot change an excluded path, nor an exclusion an included one.
            if p.exclusion != decided.is_some() {
                continue;
            }
            let hit = p.matches(path) || parents.iter().any(|d| p.matches(d));
            if hit {
                decided = if p.exclusion { None } else { Some(i) };
            }
        }
        decided
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning() {
        assert_eq!(clean("./a//b/../c/"), "a/c");
        assert_eq!(clean("/"), "/");
        assert_eq!(clean(""), ".");
        assert_eq!(clean("../x"), "../x");
    }

    #[test]
    fn patterns_and_exceptions() {
        let m =
            Matcher::parse("# comment\n/node_modules\n*.log\n!keep.log\ndocs/**\n**/secret.txt\nbuild/*.o\n[Tt]mp\n");
        assert!(m.excluded_by("node_modules").is_some());
        assert!(m.excluded_by("node_modules/x/y.js").is_some(), "parent folder excluded");
        assert!(m.excluded_by("app.log").is_some());
        assert!(m.excluded_by("keep.log").is_none());
        assert!(m.excluded_by("sub/app.log").is_none(), "* does not cross /");
        assert!(m.excluded_by("docs/a/b.md").is_some());
        assert!(m.excluded_by("secret.txt").is_some());
        assert!(m.excluded_by("a/b/secret.txt").is_some());
        assert!(m.excluded_by("build/x.o").is_some());
        assert!(m.excluded_by("build/sub/x.o").is_none());
        assert!(m.excluded_by("Tmp").is_some() && m.excluded_by("tmp").is_some());
        assert!(m.excluded_by("src/main.rs").is_none());
    }

    #[test]
    fn last_match_wins_and_double_star_in_the_middle() {
        let m = Matcher::parse("*\n!src\n");
        assert!(m.excluded_by("README.md").is_some());
        assert!(m.excluded_by("src").is_none());
        let m = Matcher::parse("a/**/z\n");
        assert!(m.excluded_by("a/z").is_some());
        assert!(m.excluded_by("a/b/c/z").is_some());
        assert!(m.excluded_by("a/bz").is_none());
    }
}
