//! Reading a service's storage and settings as Compose does: its mounts
//! (`volumes` in the short and long syntax, `tmpfs`), environment variables
//! (map or list form) and command words. Shared by the AI-stack and data rules.

use super::images::{self, DataDir, KnownImage};
use crate::compose::volumes::{self, VolumeKind};
use crate::compose::{Kind, Node};

/// What kind of storage a mount gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MountKind {
    /// A named volume (`pgdata:/var/lib/postgresql/data`).
    Named,
    /// A host path, or a source given by a variable.
    Bind,
    /// A volume without a name (`/var/lib/postgresql/data` alone): a new one for every new container.
    Anonymous,
    Tmpfs,
    /// `type: image`, `npipe`, `cluster` or anything else.
    Other,
}

impl MountKind {
    /// Data written there outlives the container.
    pub(crate) fn persists(self) -> bool {
        matches!(self, MountKind::Named | MountKind::Bind | MountKind::Other)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Mount<'a> {
    /// The path in the container (may hold `${VAR}`).
    pub target: String,
    pub kind: MountKind,
    /// The list item (or `tmpfs` node) it was read from.
    pub node: &'a Node,
}

impl Mount<'_> {
    /// The target is given by a variable, so what it covers is not known.
    pub(crate) fn target_unknown(&self) -> bool {
        self.target.contains('$') || self.target.is_empty()
    }
}

/// The service's mounts: `volumes` (short and long syntax) and `tmpfs`.
pub(crate) fn mounts(service: &Node) -> Vec<Mount<'_>> {
    let mut out = Vec::new();
    // `volumes` as Compose reads them (the shared reader); a source given by a
    // variable counts as a bind mount (it persists whatever it is).
    for v in volumes::of_service(service) {
        let kind = match v.kind {
            VolumeKind::Named => MountKind::Named,
            VolumeKind::Bind | VolumeKind::Unknown => MountKind::Bind,
            VolumeKind::Anonymous => MountKind::Anonymous,
            VolumeKind::Tmpfs => MountKind::Tmpfs,
            VolumeKind::Other => MountKind::Other,
        };
        out.push(Mount { target: v.target_text().to_string(), kind, node: v.entry });
    }
    if let Some(t) = service.get("tmpfs") {
        let nodes: Vec<&Node> = match &t.kind {
            Kind::Seq(items) => items.iter().collect(),
            _ => vec![t],
        };
        for n in nodes {
            if let Some(s) = n.str() {
                let target = s.split(':').next().unwrap_or("").trim().to_string();
                out.push(Mount { target, kind: MountKind::Tmpfs, node: n });
            }
        }
    }
    out
}

fn trim_slash(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    if t.is_empty() { "/" } else { t }
}

/// `target` is `dir` or one of its parents.
pub(crate) fn covers(target: &str, dir: &str) -> bool {
    let (t, d) = (trim_slash(target), trim_slash(dir));
    t == "/" || t == d || d.strip_prefix(t).is_some_and(|rest| rest.starts_with('/'))
}

/// The value of an environment variable as the file sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EnvValue {
    /// Not set in the file (and no `env_file` that could set it).
    Absent,
    Set(String),
    /// Set from a variable, or possibly by an `env_file`.
    Unknown,
}

/// The value of `var` in the service's `environment` (map or `KEY=value` list).
pub(crate) fn env_value(service: &Node, var: &str) -> EnvValue {
    let found = service.get("environment").and_then(|env| match &env.kind {
        Kind::Map(_) => env.get(var).map(|v| if v.is_null() { None } else { v.str().map(str::to_string) }),
        Kind::Seq(items) => items.iter().rev().filter_map(Node::str).find_map(|s| match s.split_once('=') {
            Some((k, v)) if k.trim() == var => Some(Some(v.to_string())),
            None if s.trim() == var => Some(None),
            _ => None,
        }),
        _ => None,
    });
    match found {
        Some(Some(v)) if !v.contains('$') => EnvValue::Set(v),
        Some(_) => EnvValue::Unknown,
        None if service.get("env_file").is_some() => EnvValue::Unknown,
        None => EnvValue::Absent,
    }
}

/// The words of a `command` or `entrypoint` (a list, or a string split on blanks).
pub(crate) fn words(node: Option<&Node>) -> Vec<String> {
    let Some(n) = node else { return Vec::new() };
    match &n.kind {
        Kind::Seq(items) => items.iter().filter_map(Node::str).map(str::to_string).collect(),
        Kind::Scalar { text, .. } => {
            text.split_whitespace().map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string()).collect()
        }
        _ => Vec::new(),
    }
}

/// The text of the service's command, entrypoint and environment values, for
/// "is this path mentioned anywhere" questions.
pub(crate) fn settings_text(service: &Node) -> String {
    let mut s = String::new();
    for key in ["command", "entrypoint"] {
        for w in words(service.get(key)) {
            s.push_str(&w);
            s.push(' ');
        }
    }
    if let Some(env) = service.get("environment") {
        match &env.kind {
            Kind::Map(entries) => entries.iter().filter_map(|(_, v)| v.str()).for_each(|v| {
                s.push_str(v);
                s.push(' ');
            }),
            Kind::Seq(items) => items.iter().filter_map(Node::str).for_each(|v| {
                s.push_str(v);
                s.push(' ');
            }),
            _ => {}
        }
    }
    s
}

/// Whether `path` appears in `text` as a whole path (followed by nothing, `/`, a blank or a quote).
pub(crate) fn mentions_path(text: &str, path: &str) -> bool {
    let p = trim_slash(path);
    if p == "/" || p.is_empty() {
        return false;
    }
    text.match_indices(p).any(|(i, _)| {
        let before_ok = i == 0 || !text[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        let after = &text[i + p.len()..];
        before_ok && (after.is_empty() || after.starts_with(['/', ' ', '"', '\'', ',', ';', ':', '=']))
    })
}

/// `target` covers `dir`. A `dir` ending in `/*` is covered by any mount at or
/// under its base (Bitnami's `/bitnami/*`); one with a MinIO ellipsis
/// (`/data{1...4}`) by any target that starts with its fixed part (`/data1`).
pub(crate) fn covers_dir(target: &str, dir: &str) -> bool {
    if let Some(base) = dir.strip_suffix("/*") {
        return covers(target, base) || covers(base, target);
    }
    match dir.find('{') {
        Some(i) => trim_slash(target).starts_with(&dir[..i]) || covers(target, &dir[..i]),
        None => covers(target, dir),
    }
}

/// Where a service of a known image keeps its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DataDirs {
    /// Any of `dirs` (see [`covers_dir`]); `shown` says where for a message and
    /// `mount_at` is the path to suggest.
    Known {
        dirs: Vec<String>,
        shown: String,
        mount_at: String,
    },
    Unknown,
    /// Nothing to keep.
    Nothing,
}

fn known(dirs: &[&str]) -> DataDirs {
    let first = dirs.first().map_or_else(String::new, |d| d.to_string());
    DataDirs::Known {
        dirs: dirs.iter().map(|d| d.to_string()).collect(),
        shown: format!("in `{first}`"),
        mount_at: first,
    }
}

/// The paths after `minio server` (plain paths, or the path part of `http://host/path` URLs).
fn minio_paths(service: &Node) -> Option<Vec<String>> {
    let all: Vec<String> = ["entrypoint", "command"]
        .iter()
        .flat_map(|k| words(service.get(k)))
        .flat_map(|w| w.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect();
    let at = all.iter().position(|w| w == "server")?;
    let paths: Vec<String> = all[at + 1..]
        .iter()
        .take_while(|w| !matches!(w.as_str(), "&&" | ";" | "||" | "|"))
        .filter_map(|w| {
            if w.starts_with('/') {
                Some(w.clone())
            } else if let Some(rest) = w.strip_prefix("http://").or_else(|| w.strip_prefix("https://")) {
                rest.find('/').map(|i| rest[i..].to_string())
            } else {
                None
            }
        })
        .collect();
    (!paths.is_empty() && !paths.iter().any(|p| p.contains('$'))).then_some(paths)
}

/// Programs that use a server image as a client or a one-off tool, not to run the server.
const CLIENTS: &[&str] = &[
    "psql",
    "pg_dump",
    "pg_dumpall",
    "pg_restore",
    "pg_isready",
    "pg_basebackup",
    "mysql",
    "mysqldump",
    "mysqladmin",
    "mariadb-dump",
    "mariadb-admin",
    "mongosh",
    "mongodump",
    "mongorestore",
    "mongoimport",
    "mongoexport",
    "redis-cli",
    "valkey-cli",
    "cqlsh",
    "clickhouse-client",
    "mc",
    "rabbitmqadmin",
    "rabbitmqctl",
    "kafka-topics",
    "kafka-topics.sh",
    "kafka-configs",
    "kafka-console-consumer",
    "kafka-console-producer",
    "cub",
    "curl",
    "wget",
    "sleep",
    "true",
    "echo",
];

/// The service runs a client or one-off tool from the image instead of its server
/// (`entrypoint: psql`, `command: ["redis-cli", ...]`, `bash -c "kafka-topics ..."`).
pub(crate) fn runs_a_client(service: &Node) -> bool {
    let mut all: Vec<String> = words(service.get("entrypoint"));
    if all.is_empty() {
        all = words(service.get("command"));
    } else {
        all.extend(words(service.get("command")));
    }
    let flat: Vec<&str> = all.iter().flat_map(|w| w.split_whitespace()).collect();
    let base = |w: &str| -> String {
        let w = w.trim_matches(|c| c == '"' || c == '\'' || c == '(');
        w.rsplit('/').next().unwrap_or(w).to_string()
    };
    let Some(first) = flat.first() else { return false };
    let mut prog = base(first);
    if matches!(prog.as_str(), "sh" | "bash" | "ash" | "dash") && flat.get(1) == Some(&"-c") {
        match flat.get(2) {
            Some(w) => prog = base(w),
            None => return false,
        }
    }
    CLIENTS.contains(&prog.as_str())
}

/// Where `service` (of the image `image`, known as `known`) keeps its data, after
/// the environment variables that move it.
pub(crate) fn data_dirs(known_image: &KnownImage, image: &str, service: &Node) -> DataDirs {
    let mut unknown_env = false;
    for var in known_image.data_env {
        match env_value(service, var) {
            EnvValue::Set(v) => return known(&[v.as_str()]),
            EnvValue::Unknown => unknown_env = true,
            EnvValue::Absent => {}
        }
    }
    if unknown_env {
        return DataDirs::Unknown;
    }
    match known_image.data {
        DataDir::None => DataDirs::Nothing,
        DataDir::Unknown => DataDirs::Unknown,
        DataDir::Dirs(d) => known(d),
        DataDir::Bitnami => DataDirs::Known {
            dirs: vec!["/bitnami/*".into()],
            shown: "under `/bitnami`".into(),
            mount_at: format!("/bitnami/{}", images::parse_ref(image).name),
        },
        DataDir::LinuxServer => known(&["/config"]),
        DataDir::MinioCommand => match minio_paths(service) {
            Some(p) => {
                let first = p.first().cloned().unwrap_or_default();
                DataDirs::Known { dirs: p, shown: format!("in `{first}`"), mount_at: first }
            }
            None => match env_value(service, "MINIO_VOLUMES") {
                EnvValue::Set(v) => known(&v.split_whitespace().collect::<Vec<_>>()),
                _ => DataDirs::Unknown,
            },
        },
        DataDir::Postgres => {
            let r = images::parse_ref(image);
            // The official image with no tag, `latest` or a distribution name alone
            // (`alpine`, `trixie`) runs today's newest major, which keeps its data in the new place.
            let official = r.is_official() && r.name == "postgres";
            let floating = |t: &str| !t.bytes().any(|b| b.is_ascii_digit()) && !t.contains('$');
            let major = match r.tag {
                None if official => Some(images::POSTGRES_LATEST_MAJOR),
                Some(t) if official && floating(t) => Some(images::POSTGRES_LATEST_MAJOR),
                t => t.filter(|t| !t.contains('$')).and_then(images::postgres_major),
            };
            match major {
                Some(v) if v >= 18 => DataDirs::Known {
                    dirs: vec![format!("/var/lib/postgresql/{v}/docker")],
                    shown: format!("in `/var/lib/postgresql/{v}/docker`"),
                    mount_at: "/var/lib/postgresql".into(),
                },
                Some(_) => known(&["/var/lib/postgresql/data"]),
                // Not known: either layout.
                None => DataDirs::Known {
                    dirs: vec!["/var/lib/postgresql/data".into(), "/var/lib/postgresql/18/docker".into()],
                    shown: "in `/var/lib/postgresql/data` (`/var/lib/postgresql/18/docker` from postgres 18 on)".into(),
                    mount_at: "/var/lib/postgresql/data".into(),
                },
            }
        }
    }
}

/// Whether a service's data outlives its container.
#[derive(Debug)]
pub(crate) enum Persistence<'a> {
    /// A named volume or bind mount (or `tmpfs`, an explicit choice) covers the data, or `volumes_from` is used.
    Kept,
    /// Nothing covers the data.
    Lost,
    /// An anonymous volume covers it.
    Anonymous(&'a Mount<'a>),
    /// Cannot tell (a mount target or the data directory is given by a variable).
    Unknown,
}

/// Judge `dirs` against the service's mounts.
pub(crate) fn persistence<'a>(service: &Node, dirs: &DataDirs, mounts: &'a [Mount<'a>]) -> Persistence<'a> {
    if service.get("volumes_from").is_some() || mounts.iter().any(Mount::target_unknown) {
        return Persistence::Unknown;
    }
    let dirs = match dirs {
        DataDirs::Nothing => return Persistence::Kept,
        DataDirs::Unknown if mounts.is_empty() => return Persistence::Lost,
        DataDirs::Unknown => return Persistence::Unknown,
        DataDirs::Known { dirs, .. } => dirs,
    };
    let covering: Vec<&Mount> = mounts.iter().filter(|m| dirs.iter().any(|d| covers_dir(&m.target, d))).collect();
    if covering.iter().any(|m| m.kind.persists() || m.kind == MountKind::Tmpfs) {
        return Persistence::Kept;
    }
    if let Some(m) = covering.first() {
        return Persistence::Anonymous(m);
    }
    // A flag or variable may move the data onto one of the mounts.
    let text = settings_text(service);
    if mounts.iter().any(|m| m.kind.persists() && mentions_path(&text, &m.target)) {
        return Persistence::Unknown;
    }
    Persistence::Lost
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::ComposeFile;

    fn service(yaml: &str) -> ComposeFile {
        ComposeFile::parse(yaml).unwrap()
    }

    #[test]
    fn short_and_long_mounts() {
        let f = service(
            "services:\n  a:\n    volumes:\n      - data:/var/lib/x\n      - ./d:/d:ro\n      - /anon\n      - ${DIR:-./x}:/y\n      - 'C:\\data:/w'\n      - type: volume\n        target: /v\n      - type: tmpfs\n        target: /t\n    tmpfs: /run\n",
        );
        let m = mounts(&f.services[0].node);
        let got: Vec<_> = m.iter().map(|m| (m.target.as_str(), m.kind)).collect();
        assert_eq!(
            got,
            [
                ("/var/lib/x", MountKind::Named),
                ("/d", MountKind::Bind),
                ("/anon", MountKind::Anonymous),
                ("/y", MountKind::Bind),
                ("/w", MountKind::Bind),
                ("/v", MountKind::Anonymous),
                ("/t", MountKind::Tmpfs),
                ("/run", MountKind::Tmpfs),
            ]
        );
    }

    #[test]
    fn coverage_env_and_mentions() {
        assert!(covers("/var/lib/postgresql", "/var/lib/postgresql/18/docker"));
        assert!(covers("/data/", "/data"));
        assert!(!covers("/dat", "/data"));
        assert!(!covers("/var/lib/postgresql/data", "/var/lib/postgresql"));
        let f = service(
            "services:\n  a:\n    environment:\n      - PGDATA=/p\n      - X=${Y}\n  b:\n    environment:\n      PGDATA:\n    env_file: .env\n  c:\n    env_file: .env\n",
        );
        assert_eq!(env_value(&f.services[0].node, "PGDATA"), EnvValue::Set("/p".into()));
        assert_eq!(env_value(&f.services[0].node, "X"), EnvValue::Unknown);
        assert_eq!(env_value(&f.services[0].node, "Z"), EnvValue::Absent);
        assert_eq!(env_value(&f.services[1].node, "PGDATA"), EnvValue::Unknown);
        assert_eq!(env_value(&f.services[2].node, "PGDATA"), EnvValue::Unknown);
        assert!(mentions_path("--datadir=/srv/db ", "/srv/db"));
        assert!(mentions_path("--model /models/llama", "/models"));
        assert!(!mentions_path("--model /models2/x", "/models"));
        assert!(!mentions_path("/x/models", "/models"));
    }

    #[test]
    fn clients() {
        let f = service(
            "services:\n  a:\n    entrypoint: [psql]\n  b:\n    command: bash -c \"kafka-topics --create\"\n  c:\n    command: [\"sh\", \"-c\", \"mkdir -p /d && minio server /d\"]\n  d:\n    command: --requirepass x\n  e:\n    entrypoint: /bin/sh\n    command: -c 'redis-cli -h r ping'\n",
        );
        let got: Vec<bool> = f.services.iter().map(|s| runs_a_client(&s.node)).collect();
        assert_eq!(got, [true, true, false, false, true]);
    }
}
