//! Image references: `[registry/]repository[:tag][@digest]`.

/// An image reference split into its parts, after variable evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The evaluated reference text.
    pub text: String,
    pub registry: Option<String>,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(text: &str) -> ImageRef {
        let (name, digest) = match text.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (text, None),
        };
        // A tag follows the last ':' after the last '/', so "host:5000/img" has no tag.
        let last_slash = name.rfind('/').map_or(0, |p| p + 1);
        let (path, tag) = match name[last_slash..].rfind(':') {
            Some(p) => (&name[..last_slash + p], Some(name[last_slash + p + 1..].to_string())),
            None => (name, None),
        };
        let (registry, repository) = match path.split_once('/') {
            Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => {
                (Some(first.to_string()), rest.to_string())
            }
            _ => (None, path.to_string()),
        };
        ImageRef { text: text.to_string(), registry, repository, tag, digest }
    }

    /// The reference without its tag and digest, as written (`registry.example.com:5000/team/app`).
    pub fn name(&self) -> &str {
        let name = self.text.split_once('@').map_or(self.text.as_str(), |(n, _)| n);
        self.tag.as_ref().map_or(name, |t| &name[..name.len() - t.len() - 1])
    }

    /// The same reference with another tag (the digest, if any, kept).
    pub fn with_tag(&self, tag: &str) -> String {
        let digest = self.digest.as_ref().map(|d| format!("@{d}")).unwrap_or_default();
        format!("{}:{tag}{digest}", self.name())
    }

    /// The last path component of the repository, e.g. `python` for `library/python`.
    pub fn short_name(&self) -> &str {
        self.repository.rsplit('/').next().unwrap_or(&self.repository)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_references() {
        let r = ImageRef::parse("registry.example.com:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.registry.as_deref(), Some("registry.example.com:5000"));
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        assert_eq!(r.name(), "registry.example.com:5000/team/app");
        assert_eq!(r.with_tag("1.3"), "registry.example.com:5000/team/app:1.3@sha256:abc");
        let r = ImageRef::parse("localhost:5000/app");
        assert_eq!((r.name(), r.with_tag("2").as_str()), ("localhost:5000/app", "localhost:5000/app:2"));
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.tag, None);
        let r = ImageRef::parse("python:3.12-slim");
        assert_eq!((r.registry, r.repository.as_str(), r.tag.as_deref()), (None, "python", Some("3.12-slim")));
    }
}
