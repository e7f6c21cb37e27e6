//! Registry lookups, off by default (`berth check --online` or
//! `[registry] online = true`): whether a base image's tag exists (with the
//! repository's tags for a did-you-mean), which platforms it publishes, the
//! digest its tag names now, and whether a pinned digest still exists. The
//! answers become [`RegistryFacts`] that the rules read; nothing here is a
//! rule, and nothing is sent unless a front end calls [`lookup`].
//!
//! The client is the small part of the OCI distribution API these questions
//! need (`GET /v2/<name>/manifests/<ref>`, `/tags/list`, `/blobs/<digest>` for
//! a single-platform image's config), written on the reqwest/rustls client
//! berth already has: `oci-client` would have added about thirty crates
//! (oci-spec, chrono, regex, sha2, http-auth, ...) for three GET requests.
//! Authentication is Docker's: anonymous, then the `WWW-Authenticate`
//! challenge (`Bearer` token from the realm, with the user's credentials when
//! `config.json` has them, or for an `identitytoken` by the OAuth2
//! refresh-token grant; or `Basic`). Plain HTTP only for hosts listed in
//! `[registry] insecure`; `[registry] mirrors` are tried before the registry.
//! Each request has a timeout, failures are retried a bounded number of
//! times, a registry that cannot be reached is skipped for the rest of the
//! run with a note, and answers are cached on disk ([`cache`]).

pub mod auth;
pub mod cache;

use berth_rules::engine::registry::{ImageFacts, RegistryFacts};
use berth_rules::model::ImageRef;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `[registry]` in `berth.toml`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Settings {
    /// Look images up (the command line's `--online` turns it on too).
    pub online: bool,
    /// The project's target platforms, e.g. `["linux/amd64", "linux/arm64"]`.
    pub platforms: Vec<String>,
    /// Registries (`host:port`) reached over plain HTTP.
    pub insecure: Vec<String>,
    /// Mirrors per registry, tried first: `{ "docker.io" = ["mirror.example.com"] }`.
    pub mirrors: BTreeMap<String, Vec<String>>,
    /// Seconds per request.
    pub timeout: f64,
    /// Retries after a failed request (connection error, 429, 5xx).
    pub retries: u32,
    /// Seconds an answer is kept on disk (0: no cache).
    pub cache_ttl: u64,
    /// The cache folder (default `$XDG_CACHE_HOME/berth/registry`).
    pub cache_dir: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            online: false,
            platforms: Vec::new(),
            insecure: Vec::new(),
            mirrors: BTreeMap::new(),
            timeout: 10.0,
            retries: 2,
            cache_ttl: 3600,
            cache_dir: None,
        }
    }
}

/// A reference as the registry API names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    /// `docker.io` or `host[:port]`.
    pub registry: String,
    /// `library/python`.
    pub repository: String,
    pub tag: String,
    pub digest: Option<String>,
}

impl Target {
    /// `None` for a reference that still holds a variable or is not valid.
    pub fn of(image: &ImageRef) -> Option<Target> {
        let text = &image.text;
        if text.is_empty() || text.contains(['$', ' ', '"', '\'']) || image.repository.is_empty() {
            return None;
        }
        let repo_ok =
            image.repository.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"._-/".contains(&c));
        if !repo_ok || image.repository.eq_ignore_ascii_case("scratch") {
            return None;
        }
        let registry = image.registry.as_deref().map_or("docker.io".to_string(), auth::normalize_host);
        let repository = if registry == "docker.io" && !image.repository.contains('/') {
            format!("library/{}", image.repository)
        } else {
            image.repository.clone()
        };
        let digest = image.digest.clone().filter(|d| d.starts_with("sha256:") && d.len() == 71);
        if image.digest.is_some() && digest.is_none() {
            return None;
        }
        Some(Target { registry, repository, tag: image.tag.clone().unwrap_or_else(|| "latest".into()), digest })
    }
}

/// What one lookup run found, and what it could not do.
#[derive(Debug, Default)]
pub struct Lookup {
    pub images: HashMap<String, ImageFacts>,
    /// One line per registry that could not be reached or refused berth.
    pub notes: Vec<String>,
    /// HTTP requests sent (0 when every answer came from the cache).
    pub requests: usize,
}

impl Lookup {
    pub fn facts(&self, platforms: &[String]) -> RegistryFacts {
        RegistryFacts { images: Arc::new(self.images.clone()), platforms: platforms.to_vec() }
    }
}

#[derive(Debug)]
enum Fail {
    /// The registry cannot be reached (connection refused, timeout, TLS).
    Down(String),
    /// It answered with an error (401 after authenticating, 5xx after retries...).
    Refused(String),
}

/// A manifest the registry has: its digest and the platforms it covers.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Manifest {
    digest: String,
    platforms: Vec<String>,
}

const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

struct Client {
    settings: Settings,
    http: reqwest::Client,
    creds: auth::Credentials,
    cache: Option<cache::Cache>,
    tokens: Mutex<HashMap<(String, String), String>>,
    down: Mutex<HashSet<String>>,
    notes: Mutex<Vec<String>>,
    requests: AtomicUsize,
}

fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A quoted or bare `key=value` list of a `WWW-Authenticate` header.
fn challenge_params(s: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut rest = s;
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim().trim_start_matches(',').trim().to_ascii_lowercase();
        let after = &rest[eq + 1..];
        let (value, next) = if let Some(q) = after.strip_prefix('"') {
            let end = q.find('"').unwrap_or(q.len());
            (&q[..end], q.get(end + 1..).unwrap_or(""))
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        out.insert(key, value.to_string());
        rest = next;
    }
    out
}

impl Client {
    fn new(settings: &Settings, creds: auth::Credentials) -> Result<Client, String> {
        install_crypto_provider();
        let t = Duration::from_secs_f64(settings.timeout.clamp(0.1, 600.0));
        let http = reqwest::Client::builder()
            .user_agent(concat!("berth/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(t)
            .timeout(t)
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        Ok(Client {
            settings: settings.clone(),
            http,
            creds,
            cache: cache::Cache::new(settings.cache_dir.as_deref(), settings.cache_ttl),
            tokens: Mutex::new(HashMap::new()),
            down: Mutex::new(HashSet::new()),
            notes: Mutex::new(Vec::new()),
            requests: AtomicUsize::new(0),
        })
    }

    /// `scheme://host` for each place `registry` is asked, mirrors first.
    fn endpoints(&self, registry: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mirrors = self.settings.mirrors.iter().filter(|(k, _)| auth::normalize_host(k) == registry);
        for m in mirrors.flat_map(|(_, v)| v) {
            let host = auth::normalize_host(m);
            let scheme = if m.starts_with("http://") || self.insecure(&host) { "http" } else { "https" };
            out.push((format!("{scheme}://{host}"), host));
        }
        let api = if registry == "docker.io" { "registry-1.docker.io" } else { registry };
        let scheme = if self.insecure(registry) { "http" } else { "https" };
        out.push((format!("{scheme}://{api}"), registry.to_string()));
        out
    }

    fn insecure(&self, host: &str) -> bool {
        self.settings.insecure.iter().any(|h| auth::normalize_host(h) == host)
    }

    fn note(&self, msg: String) {
        let mut n = self.notes.lock().unwrap_or_else(|e| e.into_inner());
        if !n.contains(&msg) {
            n.push(msg);
        }
    }

    fn is_down(&self, host: &str) -> bool {
        self.down.lock().unwrap_or_else(|e| e.into_inner()).contains(host)
    }

    /// One request with bounded retries on connection errors, 429 and 5xx.
    async fn send(&self, build: impl Fn() -> reqwest::RequestBuilder) -> Result<reqwest::Response, Fail> {
        let mut attempt = 0;
        loop {
            self.requests.fetch_add(1, Ordering::Relaxed);
            let r = build().send().await;
            let retry = match &r {
                Ok(resp) => resp.status().as_u16() == 429 || resp.status().is_server_error(),
                Err(_) => true,
            };
            if !retry || attempt >= self.settings.retries {
                return match r {
                    Ok(resp) => Ok(resp),
                    Err(e) if e.is_timeout() => Err(Fail::Down(format!("no answer within {}s", self.settings.timeout))),
                    Err(e) => Err(Fail::Down(error_chain(&e))),
                };
            }
            tokio::time::sleep(Duration::from_millis(200 << attempt)).await;
            attempt += 1;
        }
    }

    /// GET `path` on an endpoint, answering an authentication challenge once.
    async fn get(
        &self,
        base: &str,
        host: &str,
        repo: &str,
        path: &str,
        accept: &str,
    ) -> Result<reqwest::Response, Fail> {
        let url = format!("{base}/v2/{path}");
        let key = (base.to_string(), repo.to_string());
        let cred = self.creds.for_host(host);
        let token = self.tokens.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
        let with = |auth: Option<String>| {
            let mut r = self.http.get(&url).header(reqwest::header::ACCEPT, accept);
            if let Some(a) = &auth {
                r = r.header(reqwest::header::AUTHORIZATION, a);
            }
            r
        };
        let resp = self.send(|| with(token.clone())).await?;
        if resp.status().as_u16() != 401 {
            return Ok(resp);
        }
        let challenge = resp
            .headers()
            .get(reqwest::header::WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let auth = if challenge.to_ascii_lowercase().starts_with("bearer") {
            let t = self.token(&challenge[6..], repo, cred.as_ref()).await?;
            self.tokens.lock().unwrap_or_else(|e| e.into_inner()).insert(key, t.clone());
            t
        } else {
            match &cred {
                Some(auth::Credential::Basic { user, password }) => basic(user, password),
                Some(auth::Credential::Bearer(t)) => format!("Bearer {t}"),
                Some(auth::Credential::Identity(_)) => {
                    return Err(Fail::Refused(format!(
                        "{host} asks for a password and config.json has an identity token"
                    )));
                }
                None => return Err(Fail::Refused(format!("{host} asks for credentials and config.json has none"))),
            }
        };
        let resp = self.send(|| with(Some(auth.clone()))).await?;
        if resp.status().as_u16() == 401 {
            return Err(Fail::Refused(format!("{host} refused the credentials")));
        }
        Ok(resp)
    }

    /// A bearer token from the challenge's realm (`Authorization: Bearer ...`).
    async fn token(&self, params: &str, repo: &str, cred: Option<&auth::Credential>) -> Result<String, Fail> {
        let p = challenge_params(params);
        let realm = p.get("realm").ok_or_else(|| Fail::Refused("a bearer challenge without a realm".into()))?;
        let scope = p.get("scope").cloned().unwrap_or_else(|| format!("repository:{repo}:pull"));
        let enc = |v: &str| {
            v.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b':' | b'/' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect::<String>()
        };
        let sep = if realm.contains('?') { '&' } else { '?' };
        let mut url = format!("{realm}{sep}scope={}", enc(&scope));
        if let Some(s) = p.get("service") {
            url += &format!("&service={}", enc(s));
        }
        if let Some(auth::Credential::Bearer(t)) = cred {
            return Ok(format!("Bearer {t}"));
        }
        if let Some(auth::Credential::Identity(refresh)) = cred {
            // OAuth2: POST the refresh token to the realm for an access token.
            let mut form = vec![
                ("grant_type", "refresh_token".to_string()),
                ("refresh_token", refresh.clone()),
                ("client_id", "berth".to_string()),
                ("scope", scope.clone()),
            ];
            if let Some(s) = p.get("service") {
                form.push(("service", s.clone()));
            }
            let body = form.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect::<Vec<_>>().join("&");
            let resp = self
                .send(|| {
                    self.http
                        .post(realm)
                        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(body.clone())
                })
                .await?;
            if !resp.status().is_success() {
                return Err(Fail::Refused(format!(
                    "the token service {realm} refused the identity token ({})",
                    resp.status()
                )));
            }
            let v: serde_json::Value = resp.json().await.map_err(|e| Fail::Refused(format!("token: {e}")))?;
            let t = v.get("access_token").or_else(|| v.get("token")).and_then(|t| t.as_str());
            return t
                .map(|t| format!("Bearer {t}"))
                .ok_or_else(|| Fail::Refused("the token service sent no access token".into()));
        }
        let resp = self
            .send(|| {
                let r = self.http.get(&url);
                match cred {
                    Some(auth::Credential::Basic { user, password }) => r.basic_auth(user, Some(password)),
                    _ => r,
                }
            })
            .await?;
        if !resp.status().is_success() {
            return Err(Fail::Refused(format!("the token service {realm} answered {}", resp.status())));
        }
        let v: serde_json::Value = resp.json().await.map_err(|e| Fail::Refused(format!("token: {e}")))?;
        let t = v.get("token").or_else(|| v.get("access_token")).and_then(|t| t.as_str());
        t.map(|t| format!("Bearer {t}")).ok_or_else(|| Fail::Refused("the token service sent no token".into()))
    }

    /// Ask each endpoint in turn (mirrors first) until one answers.
    async fn ask(
        &self,
        registry: &str,
        repo: &str,
        path: &str,
        accept: &str,
    ) -> Result<Option<(reqwest::header::HeaderMap, Vec<u8>)>, Fail> {
        let mut last = None;
        for (base, host) in self.endpoints(registry) {
            if self.is_down(&host) {
                last = Some(Fail::Down(String::new()));
                continue;
            }
            match self.get(&base, &host, repo, path, accept).await {
                Ok(resp) if resp.status().as_u16() == 404 => {
                    // A mirror that lacks the image says nothing about the registry.
                    if host == registry {
                        return Ok(None);
                    }
                }
                Ok(resp) if resp.status().is_success() => {
                    let headers = resp.headers().clone();
                    let body = resp.bytes().await.map_err(|e| Fail::Down(error_chain(&e)))?;
                    return Ok(Some((headers, body.to_vec())));
                }
                Ok(resp) => last = Some(Fail::Refused(format!("{host} answered {} for {path}", resp.status()))),
                Err(Fail::Down(why)) => {
                    if self.down.lock().unwrap_or_else(|e| e.into_inner()).insert(host.clone()) {
                        self.note(format!(
                            "berth: registry {host} could not be reached ({why}); its images were not checked online"
                        ));
                    }
                    last = Some(Fail::Down(why));
                }
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or(Fail::Down(String::new())))
    }

    /// The manifest `reference` names (`None`: the registry does not have it).
    async fn manifest(&self, t: &Target, reference: &str) -> Result<Option<Manifest>, Fail> {
        let key = format!("manifest {}/{}@{reference}", t.registry, t.repository);
        if let Some(v) = self.cache.as_ref().and_then(|c| c.get(&key)) {
            return Ok(serde_json::from_value(v).ok());
        }
        let path = format!("{}/manifests/{reference}", t.repository);
        let found = match self.ask(&t.registry, &t.repository, &path, ACCEPT).await? {
            None => None,
            Some((headers, body)) => {
                let digest = headers
                    .get("docker-content-digest")
                    .and_then(|v| v.to_str().ok())
                    .map(String::from)
                    .unwrap_or_else(|| cache::sha256(&body));
                let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                let platforms = match v.get("manifests").and_then(|m| m.as_array()) {
                    Some(list) => list
                        .iter()
                        .filter_map(|m| platform_of(m.get("platform")?))
                        .filter(|p| !p.starts_with("unknown/"))
                        .collect(),
                    None => match v.pointer("/config/digest").and_then(|d| d.as_str()) {
                        Some(cfg) => self.config_platform(t, cfg).await.into_iter().collect(),
                        None => Vec::new(),
                    },
                };
                Some(Manifest { digest, platforms })
            }
        };
        if let Some(c) = &self.cache {
            c.put(&key, &serde_json::to_value(&found).unwrap_or_default());
        }
        Ok(found)
    }

    /// The platform in a single-platform image's config blob.
    async fn config_platform(&self, t: &Target, digest: &str) -> Option<String> {
        let path = format!("{}/blobs/{digest}", t.repository);
        let (_, body) = self.ask(&t.registry, &t.repository, &path, "*/*").await.ok()??;
        platform_of(&serde_json::from_slice(&body).ok()?)
    }

    /// The repository's tags (at most 10 pages of 1000).
    async fn tags(&self, t: &Target) -> Result<Vec<String>, Fail> {
        let key = format!("tags {}/{}", t.registry, t.repository);
        if let Some(v) = self.cache.as_ref().and_then(|c| c.get(&key)) {
            return Ok(serde_json::from_value(v).unwrap_or_default());
        }
        let mut all = Vec::new();
        let mut path = format!("{}/tags/list?n=1000", t.repository);
        for _ in 0..10 {
            let Some((headers, body)) = self.ask(&t.registry, &t.repository, &path, "application/json").await? else {
                break;
            };
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            all.extend(
                v.get("tags")
                    .and_then(|t| t.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str())
                    .map(String::from),
            );
            // `Link: </v2/name/tags/list?n=1000&last=x>; rel="next"`
            let next = headers.get("link").and_then(|l| l.to_str().ok()).and_then(|l| {
                let inner = l.split('>').next()?.trim_start_matches('<');
                inner.strip_prefix("/v2/").map(String::from)
            });
            match next {
                Some(n) => path = n,
                None => break,
            }
        }
        if let Some(c) = &self.cache {
            c.put(&key, &serde_json::json!(all));
        }
        Ok(all)
    }

    /// Everything the rules want to know about one reference.
    async fn facts(&self, t: &Target) -> Result<ImageFacts, Fail> {
        let mut f = ImageFacts::default();
        let tagged = self.manifest(t, &t.tag).await?;
        f.tag_exists = Some(tagged.is_some());
        if let Some(m) = &tagged {
            f.current_digest = Some(m.digest.clone());
            f.platforms = m.platforms.clone();
        } else {
            f.tags = self.tags(t).await.unwrap_or_default();
        }
        if let Some(d) = &t.digest {
            let pinned = if tagged.as_ref().is_some_and(|m| &m.digest == d) {
                tagged.clone()
            } else {
                self.manifest(t, d).await?
            };
            f.pinned_exists = Some(pinned.is_some());
            f.platforms = pinned.map(|m| m.platforms).unwrap_or_default();
        }
        Ok(f)
    }
}

fn basic(user: &str, password: &str) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = format!("{user}:{password}").into_bytes();
    let mut s = String::new();
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            s.push(if i <= c.len() { T[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    format!("Basic {s}")
}

/// `os/arch[/variant]` of a manifest list entry's `platform` or an image config.
fn platform_of(v: &serde_json::Value) -> Option<String> {
    let os = v.get("os")?.as_str()?;
    let arch = v.get("architecture")?.as_str()?;
    Some(match v.get("variant").and_then(|x| x.as_str()) {
        Some(var) if !var.is_empty() => format!("{os}/{arch}/{var}"),
        _ => format!("{os}/{arch}"),
    })
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        s = format!("{s}: {c}");
        src = c.source();
    }
    s
}

/// Look up every reference (image texts as the model evaluates them), at most
/// eight at a time. Never fails: what could not be asked is left out of
/// `images` and explained in `notes`.
pub fn lookup(settings: &Settings, references: &[String]) -> Lookup {
    lookup_with(settings, auth::Credentials::load(), references)
}

pub fn lookup_with(settings: &Settings, creds: auth::Credentials, references: &[String]) -> Lookup {
    let mut out = Lookup::default();
    let mut targets: Vec<(String, Target)> = Vec::new();
    let mut seen = HashSet::new();
    for r in references {
        if seen.insert(r.clone())
            && let Some(t) = Target::of(&ImageRef::parse(r))
        {
            targets.push((r.clone(), t));
        }
    }
    if targets.is_empty() {
        return out;
    }
    let client = match Client::new(settings, creds) {
        Ok(c) => Arc::new(c),
        Err(e) => {
            out.notes.push(format!("berth: online checks skipped: {e}"));
            return out;
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            out.notes.push(format!("berth: online checks skipped: {e}"));
            return out;
        }
    };
    let results: Vec<(String, Result<ImageFacts, Fail>)> = rt.block_on(async {
        let permits = Arc::new(tokio::sync::Semaphore::new(8));
        let mut set = tokio::task::JoinSet::new();
        for (r, t) in targets {
            let (client, permits) = (client.clone(), permits.clone());
            set.spawn(async move {
                let _p = permits.acquire().await;
                (r, client.facts(&t).await)
            });
        }
        let mut all = Vec::new();
        while let Some(r) = set.join_next().await {
            // A lookup that panicked is left out; the others still count.
            if let Ok(x) = r {
                all.push(x);
            }
        }
        all
    });
    for (r, res) in results {
        match res {
            Ok(f) => {
                out.images.insert(r, f);
            }
            Err(Fail::Refused(why)) => client.note(format!("berth: `{r}` was not checked online: {why}")),
            Err(Fail::Down(_)) => {}
        }
    }
    out.notes = std::mem::take(&mut *client.notes.lock().unwrap_or_else(|e| e.into_inner()));
    out.notes.sort();
    out.requests = client.requests.load(Ordering::Relaxed);
    out
}

/// What the registry says about one tag, for callers that propose tags (the
/// AI validation): call it only when the user has turned lookups on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagCheck {
    Exists {
        digest: String,
        platforms: Vec<String>,
    },
    Missing {
        did_you_mean: Option<String>,
    },
    /// Not a reference that can be looked up, or the registry could not say (the note says why).
    Unknown(String),
}

/// Check `reference` (such as `python:3.12-slim`) against its registry.
pub fn check_tag(settings: &Settings, reference: &str) -> TagCheck {
    let l = lookup(settings, &[reference.to_string()]);
    match l.images.get(reference) {
        Some(f) if f.tag_exists == Some(true) => {
            TagCheck::Exists { digest: f.current_digest.clone().unwrap_or_default(), platforms: f.platforms.clone() }
        }
        Some(f) if f.tag_exists == Some(false) => {
            let tag = ImageRef::parse(reference).tag.unwrap_or_else(|| "latest".into());
            TagCheck::Missing {
                did_you_mean: berth_rules::util::closest(&tag, f.tags.iter().map(String::as_str)).map(String::from),
            }
        }
        _ => TagCheck::Unknown(l.notes.join("; ")),
    }
}

/// What this run's lookups found, shared by every file whose configuration
/// enables them (`--online` sets the command-line switch; `[registry] online`
/// the file's).
static CLI_ONLINE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static FACTS: Mutex<Option<Arc<HashMap<String, berth_rules::engine::registry::ImageFacts>>>> = Mutex::new(None);

static RUN_SETTINGS: Mutex<Option<Settings>> = Mutex::new(None);

/// Keep the `[registry]` settings this run's lookups used, for later checks
/// of the same run ([`check_tag`] from the AI validation).
pub fn set_run_settings(settings: &Settings) {
    *RUN_SETTINGS.lock().unwrap_or_else(|e| e.into_inner()) = Some(settings.clone());
}

/// The `[registry]` settings of this run's lookups; `None` when the run is offline.
pub fn run_settings() -> Option<Settings> {
    RUN_SETTINGS.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// `--online` was given on the command line.
pub fn set_cli_online(on: bool) {
    CLI_ONLINE.store(on, Ordering::Relaxed);
}

/// Whether `--online` was given on the command line.
pub fn cli_online() -> bool {
    CLI_ONLINE.load(Ordering::Relaxed)
}

/// Whether this run has looked its images up already.
pub fn facts_known() -> bool {
    FACTS.lock().unwrap_or_else(|e| e.into_inner()).is_some()
}

/// Keep what this run's lookups found.
pub fn set_facts(images: HashMap<String, berth_rules::engine::registry::ImageFacts>) {
    *FACTS.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(images));
}

/// Add what later lookups found (the editor looks up as documents change).
pub fn add_facts(images: HashMap<String, berth_rules::engine::registry::ImageFacts>) {
    let mut facts = FACTS.lock().unwrap_or_else(|e| e.into_inner());
    let mut all = facts.as_deref().cloned().unwrap_or_default();
    all.extend(images);
    *facts = Some(Arc::new(all));
}

/// The facts for a file whose configuration says `online` (or when `--online`
/// was given), judged against the project's target `platforms`; none when
/// lookups are off for it.
pub fn facts_for(online: bool, platforms: &[String]) -> Option<berth_rules::engine::registry::RegistryFacts> {
    if !(online || cli_online()) {
        return None;
    }
    let images = FACTS.lock().unwrap_or_else(|e| e.into_inner()).clone()?;
    Some(berth_rules::engine::registry::RegistryFacts { images, platforms: platforms.to_vec() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let t = |s: &str| Target::of(&ImageRef::parse(s));
        assert_eq!(t("python").unwrap().repository, "library/python");
        assert_eq!(t("python").unwrap().tag, "latest");
        let g = t("ghcr.io/acme/app:1").unwrap();
        assert_eq!((g.registry.as_str(), g.repository.as_str(), g.tag.as_str()), ("ghcr.io", "acme/app", "1"));
        assert_eq!(t("127.0.0.1:5000/x:2").unwrap().registry, "127.0.0.1:5000");
        assert_eq!(t("docker.io/bitnami/redis").unwrap().repository, "bitnami/redis");
        assert!(t("${X}:1").is_none());
        assert!(t("python@sha256:short").is_none());
    }

    #[test]
    fn challenge_and_basic() {
        let p = challenge_params(
            r#" realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull""#,
        );
        assert_eq!(p["realm"], "https://auth.docker.io/token");
        assert_eq!(p["scope"], "repository:library/python:pull");
        assert_eq!(basic("user", "pass"), "Basic dXNlcjpwYXNz");
        assert_eq!(basic("a", "bc"), "Basic YTpiYw==");
    }

    #[test]
    fn nothing_to_look_up_sends_nothing() {
        let l = lookup(&Settings::default(), &["${IMAGE}".into(), "scratch".into()]);
        assert_eq!(l.requests, 0);
        assert!(l.images.is_empty());
    }
}
