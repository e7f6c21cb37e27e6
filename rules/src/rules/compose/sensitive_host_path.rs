use super::host_agents::{self, HostRole};
use super::refs::part_place;
use super::with_written;
use crate::compose::volumes::{self, VolumeKind};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct SensitiveHostPath;

static META: RuleMeta = RuleMeta {
    code: "BC2006",
    name: "sensitive-host-path",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service mounts a sensitive host directory such as `/`, `/etc` or `/proc`",
    docs: r#"## What it checks
Bind mounts in a service's `volumes` (short syntax `/etc:/host/etc`, long
syntax `type: bind` with `source: /etc`) whose host path is one of:
- the root `/`, and the system directories `/boot`, `/dev`, `/etc`, `/proc`,
  `/root`, `/run`, `/sys`, `/var/run` and `/var/lib/docker` (the directory
  itself; files under it, such as `/etc/localtime`, are not reported);
- files and directories holding host credentials: `/etc/shadow`,
  `/etc/gshadow`, `/etc/sudoers`, `/etc/sudoers.d`, `/etc/ssh`, `/root/.ssh`;
- the sockets of other container runtimes: containerd, CRI-O and Podman
  (under `/run` or `/var/run`).

The Docker socket itself is BC2002's. Paths are compared after removing
repeated and trailing slashes and `.`/`..` segments. Paths written with
variables are not checked.

Severity: a read-write mount is a warning. A read-only mount (`:ro`,
`read_only: true`) is reported as info and the message says it is
read-only: monitoring agents such as node-exporter or cAdvisor mount `/`,
`/proc` and `/sys` read-only on purpose. Two exceptions stay warnings even
read-only: `/run`, `/var/run` and runtime sockets (a read-only mount does not
stop a process from connecting to a socket, and these directories hold the
Docker and containerd sockets), and the credential files (reading them is
the harm).

For host monitoring agents (node-exporter, cAdvisor, Netdata, ...), which
read host metrics through `/`, `/proc`, `/sys`, `/var/run` and
`/var/lib/docker`, the message names that purpose and says why the finding
stays: read-only mounts of directories are info as for any service, while a
read-write mount or a socket directory (cAdvisor's `/var/run`) stays a
warning.

## Why it matters
These paths are the host's control surface: write access to `/etc`, `/root`
or `/` lets the container add a user, an SSH key or a cron job on the host;
`/proc` and `/sys` expose and tune the host kernel; `/dev` reaches the host's
disks; `/var/lib/docker` holds every other container's files and volumes.
Anyone who takes over the service gets the host.

## Example
```yaml
services:
  backup:
    image: example/backup
    volumes:
      - /etc:/host/etc
```

## Use instead
Mount only the files the service needs, read-only:
```yaml
services:
  backup:
    image: example/backup
    volumes:
      - /etc/hostname:/host/etc/hostname:ro
```

## References
- Compose Specification, volumes: https://docs.docker.com/reference/compose-file/services/#volumes
- Docker, bind mounts: https://docs.docker.com/engine/storage/bind-mounts/
- OWASP Docker Security Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html
"#,
};

/// System directories, reported when mounted themselves.
const DIRECTORIES: &[&str] = &["/", "/boot", "/dev", "/etc", "/proc", "/root", "/sys", "/var/lib/docker"];
/// Directories that hold sockets (a read-only mount does not protect them).
const SOCKET_DIRECTORIES: &[&str] = &["/run", "/var/run"];
/// Files and directories holding credentials (reading them is the harm).
const CREDENTIALS: &[&str] =
    &["/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/sudoers.d", "/etc/ssh", "/root/.ssh"];
/// Sockets of other container runtimes (BC2002 has Docker's), below `/run` or `/var/run`.
const RUNTIME_SOCKETS: &[&str] =
    &["containerd/containerd.sock", "containerd", "crio/crio.sock", "crio", "podman/podman.sock", "podman"];

/// `/a//b/./c/../d/` → `/a/b/d`; `None` for relative or Windows paths.
fn normalize(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

enum Class {
    Directory,
    SocketDirectory,
    Socket,
    Credentials,
}

fn classify(path: &str) -> Option<Class> {
    if SOCKET_DIRECTORIES.contains(&path) {
        return Some(Class::SocketDirectory);
    }
    if DIRECTORIES.contains(&path) {
        return Some(Class::Directory);
    }
    if CREDENTIALS.contains(&path) {
        return Some(Class::Credentials);
    }
    let under_run = path.strip_prefix("/var/run/").or_else(|| path.strip_prefix("/run/"));
    if under_run.is_some_and(|rest| RUNTIME_SOCKETS.contains(&rest)) {
        return Some(if path.ends_with(".sock") { Class::Socket } else { Class::SocketDirectory });
    }
    None
}

impl ComposeRule for SensitiveHostPath {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let image = s.node.get("image").and_then(|i| i.str()).unwrap_or("");
            let monitoring = host_agents::role(image) == Some(HostRole::Monitoring);
            for m in volumes::of_service(&s.node) {
                if m.kind != VolumeKind::Bind {
                    continue;
                }
                let Some(path) = normalize(m.source_text()) else { continue };
                let Some(class) = classify(&path) else { continue };
                let Some((node, range)) = m.source.clone() else { continue };
                let ro = m.read_only;
                let (why, advice, severity) = match class {
                    Class::Directory if !ro && monitoring => {
                        ("writing there changes the host", "mount it read-only (`:ro`)", Severity::Warning)
                    }
                    Class::Directory if !ro => (
                        "writing there changes the host",
                        "mount only the files it needs, read-only",
                        Severity::Warning,
                    ),
                    Class::Directory if monitoring => (
                        "it still exposes host data to whoever takes over the agent",
                        "keep the mount read-only and the image pinned",
                        Severity::Info,
                    ),
                    Class::Directory => ("it still exposes host data", "mount only the files it needs", Severity::Info),
                    Class::SocketDirectory => (
                        if ro {
                            "it holds the sockets of the host's container daemons, and a read-only mount does not stop connections to them"
                        } else {
                            "it holds the sockets of the host's container daemons"
                        },
                        "mount only the files it needs",
                        Severity::Warning,
                    ),
                    Class::Socket => (
                        "whoever connects to it controls the host's containers",
                        "remove it, or put a proxy that filters requests in front of it",
                        Severity::Warning,
                    ),
                    Class::Credentials => ("it holds host credentials", "remove it", Severity::Warning),
                };
                let how = match class {
                    Class::Socket => "",
                    _ if ro => " read-only",
                    Class::Directory => " read-write",
                    _ => "",
                };
                let (at, written) = part_place(cx.file, node, range);
                // A monitoring agent reads host metrics through these paths: say so,
                // and why the finding stays (BC2005 does the same for namespaces).
                let purpose = match class {
                    Class::Directory | Class::SocketDirectory if monitoring => {
                        format!("{} reads host metrics there, but ", HostRole::Monitoring.noun())
                    }
                    _ => String::new(),
                };
                let msg = format!("service `{}` mounts the host's `{path}`{how}: {purpose}{why}; {advice}", s.name);
                out.push(with_written(META.diagnostic(at, msg).with_severity(severity), written));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(normalize("/etc/").as_deref(), Some("/etc"));
        assert_eq!(normalize("//").as_deref(), Some("/"));
        assert_eq!(normalize("/etc/../var//run/.").as_deref(), Some("/var/run"));
        assert_eq!(normalize("./etc"), None);
        assert!(classify("/etc/localtime").is_none());
        assert!(matches!(classify("/run/containerd/containerd.sock"), Some(Class::Socket)));
        assert!(matches!(classify("/var/run/crio"), Some(Class::SocketDirectory)));
        assert!(classify("/var/run/docker.sock").is_none(), "BC2002's");
    }
}
