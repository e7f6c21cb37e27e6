//! Registry credentials as Docker keeps them: `config.json` in `DOCKER_CONFIG`
//! (else `~/.docker`), its `auths` (base64 `user:password`, a
//! `registrytoken`, or an `identitytoken`: an OAuth2 refresh token that the
//! token service exchanges for access tokens), and credential helpers (`credHelpers` per registry, else
//! `credsStore`), run as `docker-credential-<name> get` with the server
//! address on standard input, as the Docker CLI does
//! (docker/cli `cli/config/credentials`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

/// What a registry is asked with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Basic {
        user: String,
        password: String,
    },
    /// A bearer token given as is (`registrytoken`).
    Bearer(String),
    /// An OAuth2 refresh token (`identitytoken`, or a helper's answer with
    /// the user `<token>`), sent to the token service as
    /// `grant_type=refresh_token` (distribution's `spec/auth/oauth.md`).
    Identity(String),
}

#[derive(Debug, Default)]
pub struct Credentials {
    auths: HashMap<String, Credential>,
    helpers: HashMap<String, String>,
    store: Option<String>,
    /// Helper answers, asked once per host.
    asked: Mutex<HashMap<String, Option<Credential>>>,
}

/// `docker.io` for Docker Hub's names, else `host[:port]` without scheme or path.
pub fn normalize_host(key: &str) -> String {
    let k = key.trim();
    let k = k.strip_prefix("https://").or_else(|| k.strip_prefix("http://")).unwrap_or(k);
    let host = k.split('/').next().unwrap_or(k).to_ascii_lowercase();
    match host.as_str() {
        "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => "docker.io".into(),
        _ => host,
    }
}

/// The Docker CLI's configuration folder.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".docker"))
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.trim().bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

impl Credentials {
    /// Read `config.json`; a missing or unreadable file means no credentials.
    pub fn load() -> Credentials {
        config_dir()
            .and_then(|d| std::fs::read_to_string(d.join("config.json")).ok())
            .map(|t| Credentials::parse(&t))
            .unwrap_or_default()
    }

    pub fn parse(text: &str) -> Credentials {
        let mut c = Credentials::default();
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else { return c };
        if let Some(auths) = v.get("auths").and_then(|a| a.as_object()) {
            for (k, e) in auths {
                let cred = if let Some(t) = e.get("registrytoken").and_then(|t| t.as_str()).filter(|t| !t.is_empty()) {
                    Some(Credential::Bearer(t.to_string()))
                } else if let Some(t) = e.get("identitytoken").and_then(|t| t.as_str()).filter(|t| !t.is_empty()) {
                    Some(Credential::Identity(t.to_string()))
                } else if let Some(a) = e.get("auth").and_then(|a| a.as_str()).filter(|a| !a.is_empty()) {
                    base64_decode(a).and_then(|b| String::from_utf8(b).ok()).and_then(|s| {
                        s.split_once(':').map(|(u, p)| Credential::Basic { user: u.into(), password: p.into() })
                    })
                } else {
                    match (e.get("username").and_then(|u| u.as_str()), e.get("password").and_then(|p| p.as_str())) {
                        (Some(u), Some(p)) => Some(Credential::Basic { user: u.into(), password: p.into() }),
                        _ => None,
                    }
                };
                if let Some(cred) = cred {
                    c.auths.insert(normalize_host(k), cred);
                }
            }
        }
        if let Some(h) = v.get("credHelpers").and_then(|a| a.as_object()) {
            for (k, name) in h {
                if let Some(n) = name.as_str() {
                    c.helpers.insert(normalize_host(k), n.to_string());
                }
            }
        }
        c.store = v.get("credsStore").and_then(|s| s.as_str()).filter(|s| !s.is_empty()).map(String::from);
        c
    }

    /// The credential for a registry host (`docker.io` or `host[:port]`):
    /// its helper, else `auths`, else the default store.
    pub fn for_host(&self, host: &str) -> Option<Credential> {
        let host = normalize_host(host);
        if let Some(h) = self.helpers.get(&host) {
            return self.ask(h, &host);
        }
        if let Some(c) = self.auths.get(&host) {
            return Some(c.clone());
        }
        let store = self.store.clone()?;
        self.ask(&store, &host)
    }

    fn ask(&self, helper: &str, host: &str) -> Option<Credential> {
        let mut asked = self.asked.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = asked.get(host) {
            return c.clone();
        }
        let c = run_helper(helper, host);
        asked.insert(host.to_string(), c.clone());
        c
    }
}

/// `docker-credential-<helper> get`, with the server address on standard input.
fn run_helper(helper: &str, host: &str) -> Option<Credential> {
    use std::io::Write;
    let server = if host == "docker.io" { "https://index.docker.io/v1/".to_string() } else { host.to_string() };
    let mut child = std::process::Command::new(format!("docker-credential-{helper}"))
        .arg("get")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(server.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    if !out.status.success() {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let user = v.get("Username")?.as_str()?.to_string();
    let secret = v.get("Secret")?.as_str()?.to_string();
    // `<token>` marks an identity token (docker/cli `credentials/native_store.go`).
    Some(if user == "<token>" { Credential::Identity(secret) } else { Credential::Basic { user, password: secret } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auths_and_hosts() {
        let c = Credentials::parse(
            r#"{"auths": {"https://index.docker.io/v1/": {"auth": "dXNlcjpwYTpzcw=="},
                "127.0.0.1:5000": {"username": "a", "password": "b"},
                "ghcr.io": {"registrytoken": "tok"},
                "quay.example": {"auth": "dXNlcjpwYXNz", "identitytoken": "refresh"}}}"#,
        );
        assert_eq!(c.for_host("quay.example"), Some(Credential::Identity("refresh".into())));
        assert_eq!(c.for_host("docker.io"), Some(Credential::Basic { user: "user".into(), password: "pa:ss".into() }));
        assert_eq!(c.for_host("127.0.0.1:5000"), Some(Credential::Basic { user: "a".into(), password: "b".into() }));
        assert_eq!(c.for_host("ghcr.io"), Some(Credential::Bearer("tok".into())));
        assert_eq!(c.for_host("quay.io"), None);
        assert_eq!(normalize_host("https://registry-1.docker.io/v2/"), "docker.io");
    }

    #[test]
    fn missing_helper_gives_nothing() {
        let c = Credentials::parse(r#"{"credHelpers": {"example.com": "berth-test-no-such-helper"}}"#);
        assert_eq!(c.for_host("example.com"), None);
    }
}
