//! Finding the files to lint.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Dockerfile,
    Compose,
}

/// What kind of file a name says it is, if any.
pub fn kind_of(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    if lower == "dockerfile"
        || lower == "containerfile"
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
        || lower.starts_with("dockerfile.")
        || lower.starts_with("dockerfile-")
        || lower.starts_with("containerfile.")
    {
        return Some(FileKind::Dockerfile);
    }
    let is_yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    if is_yaml && (lower.starts_with("compose") || lower.starts_with("docker-compose")) {
        return Some(FileKind::Compose);
    }
    None
}

/// A file to lint, with the path to show for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: PathBuf,
    pub display: String,
    pub kind: FileKind,
    /// Named on the command line (linted whatever its name).
    pub explicit: bool,
}

/// A problem found while walking.
#[derive(Debug, Clone)]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

/// Paths as shown to the user: relative to the working directory, without `./`.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = match &cwd {
        Some(c) if path.is_absolute() => {
            path.strip_prefix(c).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    };
    let s = shown.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    if s.is_empty() { ".".to_string() } else { s.to_string() }
}

/// Expand the command-line paths into files to lint. Folders are walked
/// honouring `.gitignore`; files named explicitly are always linted.
pub fn discover(paths: &[PathBuf]) -> (Vec<Target>, Vec<WalkError>) {
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(meta) if meta.is_dir() => {
                let walker = ignore::WalkBuilder::new(p)
                    .hidden(false)
                    .require_git(false)
                    .filter_entry(|e| e.file_name() != ".git")
                    .build();
                let mut found = Vec::new();
                for entry in walker {
                    match entry {
                        Ok(e) => {
                            if e.file_type().is_some_and(|t| t.is_file())
                                && let Some(kind) = kind_of(e.path())
                            {
                                found.push(Target {
                                    path: e.path().to_path_buf(),
                                    display: display_path(e.path()),
                                    kind,
                                    explicit: false,
                                });
                            }
                        }
                        Err(err) => errors.push(WalkError { path: display_path(p), message: err.to_string() }),
                    }
                }
                found.sort_by(|a, b| a.display.cmp(&b.display));
                targets.extend(found);
            }
            Ok(_) => {
                let kind = kind_of(p).unwrap_or(FileKind::Dockerfile);
                targets.push(Target { path: p.clone(), display: display_path(p), kind, explicit: true });
            }
            Err(err) => errors.push(WalkError { path: display_path(p), message: err.to_string() }),
        }
    }
    // A file reached twice (named and inside a named folder) is linted once.
    let mut seen = std::collections::HashSet::new();
    targets.retain(|t| seen.insert(t.path.canonicalize().unwrap_or_else(|_| t.path.clone())));
    (targets, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_names() {
        for n in [
            "Dockerfile",
            "dockerfile",
            "Containerfile",
            "api.Dockerfile",
            "x.dockerfile",
            "Dockerfile.dev",
            "Dockerfile-prod",
        ] {
            assert_eq!(kind_of(Path::new(n)), Some(FileKind::Dockerfile), "{n}");
        }
        for n in ["compose.yaml", "compose.override.yml", "docker-compose.yml", "docker-compose.prod.yaml"] {
            assert_eq!(kind_of(Path::new(n)), Some(FileKind::Compose), "{n}");
        }
        for n in ["README.md", "values.yaml", "Dockerfiles.txt.bak", "mydockerfile"] {
            assert_eq!(kind_of(Path::new(n)), None, "{n}");
        }
    }
}
