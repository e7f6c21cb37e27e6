//! Finding the files to lint.

use crate::files::Files;
use berth_rules::compose::ComposeFile;
use berth_rules::compose::project::ComposeInputs;
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
    // `Dockerfile.dockerignore` is the ignore file of a build, not a Dockerfile.
    if lower.ends_with(".dockerignore") {
        return None;
    }
    if lower == "dockerfile"
        || lower == "containerfile"
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
        || lower.starts_with("dockerfile.")
        || lower.starts_with("dockerfile-")
        || lower.starts_with("dockerfile_")
        || lower.starts_with("containerfile.")
    {
        return Some(FileKind::Dockerfile);
    }
    if is_yaml(&lower) && has_compose_word(&lower) {
        return Some(FileKind::Compose);
    }
    None
}

fn is_yaml(lower_name: &str) -> bool {
    lower_name.ends_with(".yml") || lower_name.ends_with(".yaml")
}

/// `compose` as a word of the name (`compose.yaml`, `docker-compose.prod.yml`,
/// `dev-compose.yml`, `stack.compose.yaml`), not `composer.yaml`.
fn has_compose_word(lower_name: &str) -> bool {
    lower_name.split(['.', '-', '_']).any(|w| w == "compose")
}

/// A YAML text with a top-level `services:` or `include:` key: a Compose file,
/// whatever its name (`stack.yml`).
pub fn looks_like_compose(text: &str) -> bool {
    text.lines().take(20_000).any(|l| {
        ["services:", "include:"].iter().any(|k| {
            l.strip_prefix(k).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '#', '{', '[', '\r']))
        })
    })
}

/// The kind of a file named on the command line: by its name, else a YAML file
/// whose content is a Compose file, else a Dockerfile. Files that are surely
/// neither (other YAML such as a Kubernetes manifest, `.hcl`, `.json`,
/// `.dockerignore`) give the reason they are skipped.
pub fn kind_of_explicit(path: &Path) -> Result<FileKind, String> {
    if let Some(k) = kind_of(path) {
        return Ok(k);
    }
    let lower = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    if is_yaml(&lower) {
        if read_bounded(path).ok().is_some_and(|b| looks_like_compose(&String::from_utf8_lossy(&b))) {
            return Ok(FileKind::Compose);
        }
        return Err("a YAML file without a top-level `services` or `include`, so not a Compose file".into());
    }
    if lower.ends_with(".dockerignore") {
        return Err("a .dockerignore file, not a Dockerfile".into());
    }
    if [".hcl", ".json", ".toml", ".md"].iter().any(|e| lower.ends_with(e)) {
        return Err("neither a Dockerfile nor a Compose file".into());
    }
    Ok(FileKind::Dockerfile)
}

/// `--exclude` patterns: a path, or a glob, matched against the path as shown
/// (and, for a pattern without `/`, against any part of it).
pub struct Exclude(Option<globset::GlobSet>);

impl Exclude {
    pub fn new(patterns: &[String]) -> Result<Exclude, String> {
        if patterns.is_empty() {
            return Ok(Exclude(None));
        }
        let mut b = globset::GlobSetBuilder::new();
        for p in patterns {
            let p = p.trim_start_matches("./").trim_end_matches('/');
            let mut forms = vec![p.to_string(), format!("{p}/**")];
            if !p.contains('/') {
                forms.extend([format!("**/{p}"), format!("**/{p}/**")]);
            }
            for f in forms {
                let g = globset::GlobBuilder::new(&f)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| format!("berth: --exclude `{p}`: {e}"))?;
                b.add(g);
            }
        }
        b.build().map(|g| Exclude(Some(g))).map_err(|e| format!("berth: --exclude: {e}"))
    }

    pub fn excludes(&self, path: &Path) -> bool {
        self.0.as_ref().is_some_and(|g| g.is_match(display_path(path)))
    }
}

/// What the command-line paths gave.
pub struct Discovery {
    pub targets: Vec<Target>,
    pub errors: Vec<WalkError>,
    /// Files skipped and folders with nothing to lint (notices, not failures).
    pub notes: Vec<String>,
}

pub use crate::files::{MAX_FILE_BYTES, read_bounded};

/// Read the project around the Compose file at `path` (its `.env`, override or
/// base file, included and extended files, env files, build contexts,
/// Dockerfiles and `.dockerignore` files).
/// `files`: open documents first, then the disk.
pub fn compose_inputs(path: &Path, text: &str, files: &Files) -> ComposeInputs {
    compose_inputs_of(path, ComposeFile::parse(text).ok().as_ref(), files)
}

/// [`compose_inputs`] for a file already read (`None`: its YAML does not load).
pub fn compose_inputs_of(path: &Path, file: Option<&ComposeFile>, files: &Files) -> ComposeInputs {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("compose.yaml");
    ComposeInputs::gather_parsed(name, file, &mut |r| files.answer(&dir, r))
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
/// honouring `.gitignore`; files named explicitly are linted unless they are
/// surely neither a Dockerfile nor a Compose file.
pub fn discover(paths: &[PathBuf]) -> (Vec<Target>, Vec<WalkError>) {
    let d = discover_all(paths, None, &Exclude(None));
    (d.targets, d.errors)
}

/// [`discover`], with every file forced to `force` when given (then named
/// files are never skipped), files under `exclude` left out, and notes.
pub fn discover_all(paths: &[PathBuf], force: Option<FileKind>, exclude: &Exclude) -> Discovery {
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    let mut notes = Vec::new();
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
                                && !exclude.excludes(e.path())
                            {
                                found.push(Target {
                                    path: e.path().to_path_buf(),
                                    display: display_path(e.path()),
                                    kind: force.unwrap_or(kind),
                                    explicit: false,
                                });
                            }
                        }
                        Err(err) => errors.push(WalkError { path: display_path(p), message: err.to_string() }),
                    }
                }
                found.sort_by(|a, b| a.display.cmp(&b.display));
                if found.is_empty() {
                    notes.push(format!(
                        "berth: {}: no Dockerfile or Compose file found in this folder",
                        display_path(p)
                    ));
                }
                targets.extend(found);
            }
            Ok(_) if exclude.excludes(p) => {}
            Ok(_) => match force.map_or_else(|| kind_of_explicit(p), Ok) {
                Ok(kind) => targets.push(Target { path: p.clone(), display: display_path(p), kind, explicit: true }),
                Err(why) => notes.push(format!(
                    "berth: {}: skipped: {why} (`--kind dockerfile` or `--kind compose` lints it anyway)",
                    display_path(p)
                )),
            },
            Err(err) => errors.push(WalkError { path: display_path(p), message: err.to_string() }),
        }
    }
    // A file reached twice (named and inside a named folder) is linted once.
    let mut seen = std::collections::HashSet::new();
    targets.retain(|t| seen.insert(t.path.canonicalize().unwrap_or_else(|_| t.path.clone())));
    Discovery { targets, errors, notes }
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
            "Dockerfile_worker",
        ] {
            assert_eq!(kind_of(Path::new(n)), Some(FileKind::Dockerfile), "{n}");
        }
        for n in [
            "compose.yaml",
            "compose.override.yml",
            "docker-compose.yml",
            "docker-compose.prod.yaml",
            "dev-compose.yml",
            "stack.compose.yaml",
            "Docker-Compose.YML",
        ] {
            assert_eq!(kind_of(Path::new(n)), Some(FileKind::Compose), "{n}");
        }
        for n in [
            "README.md",
            "values.yaml",
            "Dockerfiles.txt.bak",
            "mydockerfile",
            "composer.yaml",
            "compose.json",
            "Dockerfile.dockerignore",
            "api.Dockerfile.dockerignore",
        ] {
            assert_eq!(kind_of(Path::new(n)), None, "{n}");
        }
    }

    #[test]
    fn compose_by_content() {
        assert!(looks_like_compose("# stack\nservices:\n  web:\n    image: nginx\n"));
        assert!(looks_like_compose("---\ninclude: [a.yaml]\n"));
        assert!(looks_like_compose("services: {}"));
        assert!(!looks_like_compose("apiVersion: v1\nkind: Service\nspec:\n  services:\n"));
        assert!(!looks_like_compose("services_list: []\n"));
    }
}
