//! Document links: image names to their registry's page, and the files a
//! Compose file names (build context and Dockerfile, env files, extended and
//! included files, secret and config files).
//!
//! Pure: paths come back as written, with what they are relative to; the
//! language server resolves them and links only the files that exist.

use crate::model::ImageRef;
use crate::text::Span;

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A web page (an image's registry page).
    Url(String),
    /// A local file or folder, as written.
    Path { path: String, base: Base },
}

/// What a relative [`Target::Path`] is relative to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// The folder of the document.
    Document,
    /// A build context (as written, relative to the document's folder):
    /// `build.dockerfile` is relative to it.
    Context(String),
}

/// A link: the text it sits on, where it goes, and a tooltip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub span: Span,
    pub target: Target,
    pub tooltip: String,
}

/// The page of an image on its registry's site, for the public registries
/// whose pages have a known address: Docker Hub (official `library/` and
/// user images), GitHub (ghcr.io), Quay, NVIDIA NGC (nvcr.io), Google
/// (gcr.io) and Microsoft (mcr.microsoft.com). `None` for any other
/// registry, for a reference with variables, and for `scratch`.
pub fn image_url(image: &str) -> Option<String> {
    let image = image.trim();
    if image.is_empty()
        || image.contains(['$', ' ', '\t'])
        || image.eq_ignore_ascii_case("scratch")
        || image.bytes().any(|b| b.is_ascii_control())
    {
        return None;
    }
    let r = ImageRef::parse(image);
    let repo = r.repository.as_str();
    let parts: Vec<&str> = repo.split('/').collect();
    if parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))) {
        return None;
    }
    let registry = r.registry.as_deref().map(str::to_ascii_lowercase);
    match registry.as_deref() {
        None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io") => match parts.as_slice() {
            [name] | ["library", name] => Some(format!("https://hub.docker.com/_/{name}")),
            [user, name] => Some(format!("https://hub.docker.com/r/{user}/{name}")),
            _ => None,
        },
        // ghcr.io answers a browser with a redirect to the package's page on GitHub.
        Some("ghcr.io") if parts.len() >= 2 => Some(format!("https://ghcr.io/{repo}")),
        Some("quay.io") if parts.len() == 2 => Some(format!("https://quay.io/repository/{repo}")),
        Some("nvcr.io") => match parts.as_slice() {
            [org, name] => Some(format!("https://catalog.ngc.nvidia.com/orgs/{org}/containers/{name}")),
            [org, team, name] => {
                Some(format!("https://catalog.ngc.nvidia.com/orgs/{org}/teams/{team}/containers/{name}"))
            }
            _ => None,
        },
        Some("gcr.io") if parts.len() >= 2 => {
            Some(format!("https://console.cloud.google.com/gcr/images/{}/global/{}", parts[0], parts[1..].join("/")))
        }
        Some("mcr.microsoft.com") => Some(format!("https://mcr.microsoft.com/en-us/artifact/mar/{repo}/about")),
        _ => None,
    }
}

/// A link to an image's page, when it has one.
pub fn image_link(image: &str, span: Span) -> Option<Link> {
    let url = image_url(image)?;
    Some(Link { span, tooltip: format!("Open {} on its registry", image.trim()), target: Target::Url(url) })
}

/// A link to a local path, unless it is remote (a URL, a Git repository)
/// or uses variables.
pub fn path_link(path: &str, span: Span, base: Base, what: &str) -> Option<Link> {
    let p = path.trim();
    if p.is_empty() || p.contains('$') || p.contains("://") || p.starts_with("git@") || p.starts_with("github.com/") {
        return None;
    }
    Some(Link { span, target: Target::Path { path: p.to_string(), base }, tooltip: format!("Open the {what}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_pages() {
        let cases = [
            ("python:3.12-slim", Some("https://hub.docker.com/_/python")),
            ("library/alpine@sha256:abc", Some("https://hub.docker.com/_/alpine")),
            ("docker.io/bitnami/redis:7", Some("https://hub.docker.com/r/bitnami/redis")),
            ("grafana/grafana", Some("https://hub.docker.com/r/grafana/grafana")),
            ("ghcr.io/astral-sh/uv:0.5", Some("https://ghcr.io/astral-sh/uv")),
            ("quay.io/prometheus/node-exporter:v1", Some("https://quay.io/repository/prometheus/node-exporter")),
            ("nvcr.io/nvidia/pytorch:24.01-py3", Some("https://catalog.ngc.nvidia.com/orgs/nvidia/containers/pytorch")),
            (
                "nvcr.io/nvidia/clara/bionemo:1",
                Some("https://catalog.ngc.nvidia.com/orgs/nvidia/teams/clara/containers/bionemo"),
            ),
            (
                "gcr.io/distroless/static:nonroot",
                Some("https://console.cloud.google.com/gcr/images/distroless/global/static"),
            ),
            ("mcr.microsoft.com/dotnet/sdk:8.0", Some("https://mcr.microsoft.com/en-us/artifact/mar/dotnet/sdk/about")),
            ("registry.example.com:5000/team/app:1", None),
            ("localhost/app", None),
            ("${BASE}", None),
            ("$REGISTRY/app:1", None),
            ("scratch", None),
            ("a/b/c", None),
            ("", None),
        ];
        for (image, want) in cases {
            assert_eq!(image_url(image).as_deref(), want, "{image}");
        }
    }

    #[test]
    fn paths() {
        assert!(path_link("./app", Span::new(0, 5), Base::Document, "build context").is_some());
        for remote in ["https://github.com/a/b.git", "git@github.com:a/b.git", "${DIR}/x", "github.com/a/b", " "] {
            assert!(path_link(remote, Span::new(0, 1), Base::Document, "x").is_none(), "{remote}");
        }
    }
}
