//! Facts about images that a registry answered (`berth check --online`).
//! The front end does the lookups (`berth_workspace::registry`) before
//! linting and hands the answers in through [`crate::engine::Inputs`]; rules
//! read them here and stay free of I/O. Without `--online` there are none and
//! the registry rules say nothing.

use std::collections::HashMap;
use std::sync::Arc;

/// What the registries said about the images of one lint run.
#[derive(Debug, Clone, Default)]
pub struct RegistryFacts {
    /// By image reference, as the model evaluates it (`ImageRef::text`).
    pub images: Arc<HashMap<String, ImageFacts>>,
    /// The project's target platforms (`[registry] platforms`), e.g. `linux/arm64`.
    pub platforms: Vec<String>,
}

/// One image reference, as its registry answered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageFacts {
    /// The reference's tag (`latest` when none is written) is in the repository.
    /// `None`: not asked, or the registry could not say.
    pub tag_exists: Option<bool>,
    /// The repository's tags (for a did-you-mean), when they could be listed.
    pub tags: Vec<String>,
    /// The digest the tag names now: the index (manifest list) digest of a
    /// multi-platform image, else the manifest's.
    pub current_digest: Option<String>,
    /// The platforms (`os/arch[/variant]`) of what the reference pulls (the
    /// pinned digest when there is one, else the tag); empty when unknown.
    pub platforms: Vec<String>,
    /// For a reference pinned with `@sha256:`: that manifest still exists.
    pub pinned_exists: Option<bool>,
}

impl RegistryFacts {
    pub fn get(&self, reference: &str) -> Option<&ImageFacts> {
        self.images.get(reference)
    }
}

/// True when an image publishing `have` runs on `want` (`linux/arm64` is met
/// by `linux/arm64/v8`; `linux/arm/v7` needs that variant).
pub fn platform_matches(want: &str, have: &str) -> bool {
    let w: Vec<&str> = want.split('/').collect();
    let h: Vec<&str> = have.split('/').collect();
    if w.len() < 2 || h.len() < 2 {
        return false;
    }
    fn arch(a: &str) -> &str {
        match a {
            "x86_64" | "x86-64" => "amd64",
            "aarch64" => "arm64",
            other => other,
        }
    }
    fn variant<'a>(v: &[&'a str]) -> Option<&'a str> {
        v.get(2).copied().filter(|x| !(v[1] == "arm64" && *x == "v8"))
    }
    w[0].eq_ignore_ascii_case(h[0]) && arch(w[1]) == arch(h[1]) && (variant(&w).is_none() || variant(&w) == variant(&h))
}

impl RegistryFacts {
    /// Facts written as lines, for rule fixtures (`<CODE>.registry`):
    /// `platforms = linux/amd64, linux/arm64`, and per image
    /// `image REF tag=yes|no digest=sha256:... platforms=a,b tags=a,b pinned=yes|no`.
    pub fn from_lines(text: &str) -> Result<RegistryFacts, String> {
        let mut facts = RegistryFacts::default();
        let mut images = HashMap::new();
        let list = |v: &str| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(v) = line.strip_prefix("platforms") {
                facts.platforms = list(v.trim_start().trim_start_matches('='));
                continue;
            }
            let mut words = line.split_whitespace();
            let (Some("image"), Some(reference)) = (words.next(), words.next()) else {
                return Err(format!("line {}: expected `image REF key=value...`", n + 1));
            };
            let mut f = ImageFacts::default();
            for w in words {
                let (k, v) = w.split_once('=').ok_or_else(|| format!("line {}: expected key=value", n + 1))?;
                match k {
                    "tag" => f.tag_exists = Some(v == "yes"),
                    "pinned" => f.pinned_exists = Some(v == "yes"),
                    "digest" => f.current_digest = Some(v.to_string()),
                    "platforms" => f.platforms = list(v),
                    "tags" => f.tags = list(v),
                    other => return Err(format!("line {}: unknown key {other:?}", n + 1)),
                }
            }
            images.insert(reference.to_string(), f);
        }
        facts.images = Arc::new(images);
        Ok(facts)
    }
}

#[cfg(test)]
mod tests {
    use super::platform_matches;

    #[test]
    fn platforms() {
        assert!(platform_matches("linux/arm64", "linux/arm64/v8"));
        assert!(platform_matches("linux/arm64/v8", "linux/arm64"));
        assert!(platform_matches("linux/amd64", "linux/amd64"));
        assert!(platform_matches("linux/x86_64", "linux/amd64"));
        assert!(!platform_matches("linux/arm/v7", "linux/arm/v6"));
        assert!(platform_matches("linux/arm", "linux/arm/v6"));
        assert!(!platform_matches("linux/arm64", "linux/amd64"));
        assert!(!platform_matches("windows/amd64", "linux/amd64"));
    }
}
