//! Online checks (`--online`) against a real registry: Debian's
//! `docker-registry` (distribution v2) started here on 127.0.0.1, with images
//! pushed by `skopeo copy --all` from OCI layouts this test writes (a
//! multi-platform index, single-platform images), a second registry behind
//! htpasswd basic auth, and a port that accepts connections and never
//! answers. Nothing outside loopback. Skipped with a notice when
//! `docker-registry`, `skopeo` or `htpasswd` is missing (`.ci/run` installs them).
//! The registry's access log counts the requests berth sends.

use berth_tests::{Scratch, berth_bin};
use serde_json::{Value, json};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn have(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().is_ok_and(|o| o.status.success())
}

fn tools() -> bool {
    let missing: Vec<_> = ["docker-registry", "skopeo", "htpasswd"].into_iter().filter(|t| !have(t)).collect();
    if !missing.is_empty() {
        eprintln!(
            "registry tests skipped: {} not installed (apt-get install docker-registry skopeo apache2-utils)",
            missing.join(", ")
        );
    }
    missing.is_empty()
}

fn sha256(bytes: &[u8]) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, bytes);
    format!("sha256:{}", d.as_ref().iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// An OCI image layout under construction.
struct Layout {
    dir: PathBuf,
    index: Vec<Value>,
}

impl Layout {
    fn new(dir: PathBuf) -> Layout {
        std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
        std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
        Layout { dir, index: Vec::new() }
    }

    fn blob(&self, bytes: &[u8]) -> (String, usize) {
        let d = sha256(bytes);
        std::fs::write(self.dir.join("blobs/sha256").join(&d[7..]), bytes).unwrap();
        (d, bytes.len())
    }

    /// One platform's image manifest: an empty tar layer and a config naming the platform.
    fn manifest(&self, platform: &str, salt: &str) -> (String, usize, Value) {
        let layer = {
            let mut t = vec![0u8; 1024];
            t[..salt.len().min(100)].copy_from_slice(&salt.as_bytes()[..salt.len().min(100)]);
            t
        };
        let (ld, ls) = self.blob(&layer);
        let mut parts = platform.split('/');
        let (os, arch, variant) = (parts.next().unwrap(), parts.next().unwrap(), parts.next());
        let mut p = json!({"os": os, "architecture": arch});
        if let Some(v) = variant {
            p["variant"] = json!(v);
        }
        let mut config = p.clone();
        config["rootfs"] = json!({"type": "layers", "diff_ids": [ld]});
        config["config"] = json!({"Labels": {"salt": salt}});
        let (cd, cs) = self.blob(config.to_string().as_bytes());
        let m = json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cs},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": ld, "size": ls}],
        });
        let (md, ms) = self.blob(m.to_string().as_bytes());
        (md, ms, p)
    }

    /// Add an image for these platforms under `tag` (an index when more than one); its digest.
    fn image(&mut self, tag: &str, platforms: &[&str], salt: &str) -> String {
        let ann = json!({"org.opencontainers.image.ref.name": tag});
        let entry = if platforms.len() == 1 {
            let (d, s, _) = self.manifest(platforms[0], salt);
            json!({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": d, "size": s, "annotations": ann})
        } else {
            let list: Vec<Value> = platforms
                .iter()
                .map(|p| {
                    let (d, s, plat) = self.manifest(p, salt);
                    json!({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": d, "size": s, "platform": plat})
                })
                .collect();
            let idx =
                json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": list});
            let (d, s) = self.blob(idx.to_string().as_bytes());
            json!({"mediaType": "application/vnd.oci.image.index.v1+json", "digest": d, "size": s, "annotations": ann})
        };
        let d = entry["digest"].as_str().unwrap().to_string();
        self.index.push(entry);
        let top = json!({"schemaVersion": 2, "manifests": self.index});
        std::fs::write(self.dir.join("index.json"), top.to_string()).unwrap();
        d
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A `docker-registry` on 127.0.0.1, stopped when dropped.
struct Registry {
    child: Option<Child>,
    port: u16,
    log: PathBuf,
    creds: Option<(String, String)>,
}

impl Registry {
    fn start(dir: &Path, creds: Option<(&str, &str)>) -> Registry {
        std::fs::create_dir_all(dir).unwrap();
        let mut auth = String::new();
        if let Some((u, p)) = creds {
            let out = Command::new("htpasswd").args(["-Bbn", u, p]).output().expect("htpasswd");
            assert!(out.status.success());
            std::fs::write(dir.join("htpasswd"), &out.stdout).unwrap();
            auth = format!("auth:\n  htpasswd:\n    realm: berth-test\n    path: {}\n", dir.join("htpasswd").display());
        }
        Registry::start_with(dir, &auth, creds)
    }

    /// A registry with this `auth:` section of its configuration; `creds` are what `push` sends.
    fn start_with(dir: &Path, auth: &str, creds: Option<(&str, &str)>) -> Registry {
        let port = free_port();
        std::fs::create_dir_all(dir).unwrap();
        let config = format!(
            "version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: false\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\n{auth}",
            dir.join("data").display()
        );
        std::fs::write(dir.join("config.yml"), config).unwrap();
        let log = dir.join("registry.log");
        let f = std::fs::File::create(&log).unwrap();
        let child = Command::new("docker-registry")
            .args(["serve", dir.join("config.yml").to_str().unwrap()])
            .stdout(f.try_clone().unwrap())
            .stderr(f)
            .spawn()
            .expect("start docker-registry");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "docker-registry did not start: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Registry { child: Some(child), port, log, creds: creds.map(|(u, p)| (u.to_string(), p.to_string())) }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// `skopeo copy --all` from the layout's `tag` to `repo:tag`.
    fn push(&self, layout: &Layout, tag: &str, repo: &str) {
        let mut cmd = Command::new("skopeo");
        cmd.args(["copy", "--all", "--quiet", "--dest-tls-verify=false", "--preserve-digests"]);
        if let Some((u, p)) = &self.creds {
            cmd.arg(format!("--dest-creds={u}:{p}"));
        }
        cmd.arg(format!("oci:{}:{tag}", layout.dir.display()));
        cmd.arg(format!("docker://{}/{repo}:{tag}", self.host()));
        let out = cmd.output().expect("skopeo");
        assert!(out.status.success(), "skopeo copy: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Requests to the API (`/v2/...`) in the access log so far.
    fn requests(&self) -> usize {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        log.lines().filter(|l| l.contains("\"GET /v2/") || l.contains("\"HEAD /v2/")).count()
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop();
    }
}

/// berth in `dir` with a clean environment: no user configuration or
/// credentials but `dir/docker`, the cache in `dir/cache`, no proxy.
fn berth(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(berth_bin());
    cmd.args(args).current_dir(dir).stdin(Stdio::null());
    for var in ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_COLOR", "CI"] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("BERTH_CACHE_DIR", dir.join("cache"))
        .env("DOCKER_CONFIG", dir.join("docker"));
    cmd.output().expect("run berth")
}

fn findings(o: &Output) -> Vec<(String, usize, String)> {
    let stdout = String::from_utf8_lossy(&o.stdout);
    let v: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {}", String::from_utf8_lossy(&o.stderr)));
    let mut out = Vec::new();
    for d in v["diagnostics"].as_array().cloned().unwrap_or_default() {
        out.push((
            d["code"].as_str().unwrap_or("").to_string(),
            d["range"]["start"]["line"].as_u64().unwrap_or(0) as usize,
            d["message"].as_str().unwrap_or("").to_string(),
        ));
    }
    out
}

fn codes(o: &Output, prefix: &str) -> Vec<(String, usize)> {
    let mut v: Vec<_> =
        findings(o).into_iter().filter(|(c, _, _)| c.starts_with(prefix)).map(|(c, l, _)| (c, l)).collect();
    v.sort();
    v
}

const CHECK: &[&str] = &[
    "check",
    "--no-shellcheck",
    "--format",
    "json",
    "--no-fail",
    "--select",
    "BD5001,BD5002,BD5003,DL3007",
    "Dockerfile",
];

#[test]
fn online_checks_against_a_real_registry() {
    if !tools() {
        return;
    }
    let s = Scratch::new("registry");
    let mut reg = Registry::start(&s.path.join("reg"), None);
    let host = reg.host();
    let mut layout = Layout::new(s.path.join("layout"));
    let multi = layout.image("1.0", &["linux/amd64", "linux/arm64/v8"], "multi");
    layout.image("latest", &["linux/amd64", "linux/arm64/v8"], "multi");
    layout.image("single", &["linux/amd64"], "single");
    reg.push(&layout, "1.0", "team/multi");
    reg.push(&layout, "latest", "team/multi");
    reg.push(&layout, "single", "team/single");

    s.write(
        "berth.toml",
        format!("[registry]\ninsecure = [\"{host}\"]\nplatforms = [\"linux/amd64\", \"linux/arm64\"]\ntimeout = 5\n"),
    );
    let zeros = format!("sha256:{}", "0".repeat(64));
    s.write(
        "Dockerfile",
        format!(
            "FROM {host}/team/multi:1.0 AS ok\nFROM {host}/team/single:single AS one\nFROM {host}/team/multi:1.1 AS typo\nFROM {host}/team/multi@{zeros} AS gone\nFROM {host}/team/multi:latest\n"
        ),
    );

    // Without --online nothing is sent and the registry rules say nothing.
    let before = reg.requests();
    let o = berth(&s.path, CHECK);
    assert_eq!(codes(&o, "BD5"), vec![]);
    assert_eq!(reg.requests(), before, "a request without --online");

    // Online: tag typo (with did-you-mean), missing platform, digest gone.
    let o = berth(&s.path, &[CHECK, &["--online"][..]].concat());
    let found = findings(&o);
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(
        codes(&o, "BD5"),
        vec![("BD5001".into(), 3), ("BD5002".into(), 2), ("BD5003".into(), 4)],
        "{found:?}\n{stderr}"
    );
    let msg = |c: &str| found.iter().find(|f| f.0 == c).unwrap().2.clone();
    assert!(msg("BD5001").contains("did you mean `1.0`"), "{}", msg("BD5001"));
    assert!(msg("BD5002").contains("linux/arm64"), "{}", msg("BD5002"));
    let sent = reg.requests() - before;
    assert!(sent > 0);

    // A second run is answered from the cache: nothing sent.
    let again = reg.requests();
    let o2 = berth(&s.path, &[CHECK, &["--online"][..]].concat());
    assert_eq!(codes(&o2, "BD5"), codes(&o, "BD5"));
    assert_eq!(reg.requests(), again, "a cache hit sent requests");

    // `berth fix --online` pins `latest` to the index digest (DL3007's safe fix).
    let o = berth(&s.path, &["fix", "--online", "--select", "DL3007", "Dockerfile"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        s.read("Dockerfile").contains(&format!("FROM {host}/team/multi:latest@{multi}\n")),
        "{}",
        s.read("Dockerfile")
    );

    // The registry gone and no cache: a note, no registry findings, no failure.
    reg.stop();
    let o = berth(&s.path, &["check", "--online", "--no-shellcheck", "--format", "json", "--no-fail", "Dockerfile"]);
    std::fs::remove_dir_all(s.path.join("cache")).unwrap();
    let o3 = berth(&s.path, &["check", "--online", "--no-shellcheck", "--format", "json", "--no-fail", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(o3.status.code(), Some(0), "{}", String::from_utf8_lossy(&o3.stderr));
    assert_eq!(codes(&o3, "BD5"), vec![]);
    let err = String::from_utf8_lossy(&o3.stderr);
    assert!(err.contains(&format!("registry {host} could not be reached")), "{err}");
}

#[test]
fn basic_auth_from_docker_config() {
    if !tools() {
        return;
    }
    let s = Scratch::new("registry-auth");
    let reg = Registry::start(&s.path.join("reg"), Some(("berth", "s3cret")));
    let host = reg.host();
    let mut layout = Layout::new(s.path.join("layout"));
    layout.image("2.0", &["linux/amd64"], "private");
    reg.push(&layout, "2.0", "private/app");
    s.write("berth.toml", format!("[registry]\ninsecure = [\"{host}\"]\ncache-ttl = 0\n"));
    s.write("Dockerfile", format!("FROM {host}/private/app:2.1\n"));

    // No credentials: a note, no finding.
    let o = berth(&s.path, &[CHECK, &["--online"][..]].concat());
    assert_eq!(codes(&o, "BD5"), vec![]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("asks for credentials"), "{err}");

    // `auths` in config.json (base64 user:password).
    s.write("docker/config.json", format!("{{\"auths\": {{\"{host}\": {{\"auth\": \"YmVydGg6czNjcmV0\"}}}}}}"));
    let o = berth(&s.path, &[CHECK, &["--online"][..]].concat());
    assert_eq!(codes(&o, "BD5"), vec![("BD5001".into(), 1)], "{}", String::from_utf8_lossy(&o.stderr));
    assert!(findings(&o)[0].2.contains("did you mean `2.0`"));

    // A credential helper (`credHelpers`), run as `docker-credential-<name> get`.
    let bin = s.path.join("bin");
    s.write(
        "bin/docker-credential-berthtest",
        "#!/bin/sh\nread host\necho \"{\\\"ServerURL\\\":\\\"$host\\\",\\\"Username\\\":\\\"berth\\\",\\\"Secret\\\":\\\"s3cret\\\"}\"\n",
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(bin.join("docker-credential-berthtest"), std::fs::Permissions::from_mode(0o755)).unwrap();
    s.write("docker/config.json", format!("{{\"credHelpers\": {{\"{host}\": \"berthtest\"}}}}"));
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut cmd = Command::new(berth_bin());
    cmd.args([CHECK, &["--online"][..]].concat())
        .current_dir(&s.path)
        .env("HOME", &s.path)
        .env("BERTH_CACHE_DIR", s.path.join("cache"))
        .env("DOCKER_CONFIG", s.path.join("docker"))
        .env("PATH", path);
    let o = cmd.output().unwrap();
    assert_eq!(codes(&o, "BD5"), vec![("BD5001".into(), 1)], "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_registry_that_never_answers_times_out() {
    if !tools() {
        return;
    }
    let s = Scratch::new("registry-timeout");
    // Accepts connections (the kernel's backlog) and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let host = format!("127.0.0.1:{}", silent.local_addr().unwrap().port());
    s.write("berth.toml", format!("[registry]\ninsecure = [\"{host}\"]\ntimeout = 1\nretries = 1\ncache-ttl = 0\n"));
    s.write("Dockerfile", format!("FROM {host}/a/b:1\nFROM {host}/a/c:1\n"));
    let _ = berth_bin(); // built on first use: not part of the time
    let start = Instant::now();
    let o = berth(&s.path, &[CHECK, &["--online"][..]].concat());
    let took = start.elapsed();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(codes(&o, "BD5"), vec![]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("could not be reached (no answer within 1s)"), "{err}");
    assert!(took < Duration::from_secs(8), "took {took:?}: {err}");
    drop(silent);
}

#[test]
fn compose_images_online_and_the_bc1014_pin() {
    if !tools() {
        return;
    }
    let s = Scratch::new("registry-compose");
    let reg = Registry::start(&s.path.join("reg"), None);
    let host = reg.host();
    let mut layout = Layout::new(s.path.join("layout"));
    layout.image("1.0", &["linux/amd64", "linux/arm64/v8"], "multi");
    let latest = layout.image("latest", &["linux/amd64", "linux/arm64/v8"], "multi");
    layout.image("single", &["linux/amd64"], "single");
    reg.push(&layout, "1.0", "team/multi");
    reg.push(&layout, "latest", "team/multi");
    reg.push(&layout, "single", "team/single");
    s.write(
        "berth.toml",
        format!("[registry]\ninsecure = [\"{host}\"]\nplatforms = [\"linux/amd64\", \"linux/arm64\"]\ntimeout = 5\n"),
    );
    s.write(".env", format!("REG={host}\n"));
    s.write(
        "compose.yaml",
        format!(
            "services:\n  ok:\n    image: {host}/team/multi:1.0\n  typo:\n    image: ${{REG}}/team/multi:1.1\n  one:\n    image: {host}/team/single:single\n  armv7:\n    image: {host}/team/multi:1.0\n    platform: linux/arm/v7\n  built:\n    build: .\n    image: {host}/team/notyet:9\n  floating:\n    image: {host}/team/multi\n"
        ),
    );
    s.write("Dockerfile", "FROM scratch\n");
    let check: &[&str] = &[
        "check",
        "--no-shellcheck",
        "--format",
        "json",
        "--no-fail",
        "--select",
        "BC7001,BC7002,BC7003",
        "compose.yaml",
    ];

    // Without --online nothing is sent.
    let before = reg.requests();
    let o = berth(&s.path, check);
    assert_eq!(codes(&o, "BC7"), vec![]);
    assert_eq!(reg.requests(), before, "a request without --online");

    // Online: the interpolated typo (did-you-mean), the amd64-only image on
    // linux/arm64, the service's own platform; the built image is not asked.
    let o = berth(&s.path, &[check, &["--online"][..]].concat());
    let found = findings(&o);
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(
        codes(&o, "BC7"),
        vec![("BC7001".into(), 5), ("BC7002".into(), 7), ("BC7002".into(), 9)],
        "{found:?}\n{stderr}"
    );
    let typo = found.iter().find(|f| f.0 == "BC7001").unwrap();
    assert!(typo.2.contains("did you mean `1.0`"), "{}", typo.2);
    let log = std::fs::read_to_string(&reg.log).unwrap_or_default();
    assert!(!log.contains("team/notyet"), "looked up the image a service builds");

    // `berth fix --online` applies BC1014's safe pin to the index digest.
    let o = berth(&s.path, &["fix", "--online", "--select", "BC1014", "compose.yaml"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = s.read("compose.yaml");
    assert!(text.contains(&format!("    image: {host}/team/multi:latest@{latest}\n")), "{text}");
    // Offline, BC1014 has no fix: a second project is left as it is.
    s.write("other/compose.yaml", format!("services:\n  floating:\n    image: {host}/team/multi\n"));
    let o = berth(&s.path, &["fix", "--select", "BC1014", "other/compose.yaml"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(s.read("other/compose.yaml").contains(&format!("image: {host}/team/multi\n")));
}

/// The scripted model proposes `tag` for the base image of line 1 when asked to fix `code`.
fn model_proposes(code: &'static str, tag: &'static str, host: String) -> berth_tests::fake_llm::Script {
    use berth_tests::fake_llm::{Reply, finding_number};
    std::sync::Arc::new(move |_, body: &str| match finding_number(body, code) {
        Some(n) => Reply::Content(
            json!({"fixes": [{
                "finding": n,
                "title": "Use an existing tag",
                "fix": [{ "first_line": 1, "last_line": 1, "text": format!("FROM {host}/team/multi:{tag}") }]
            }]})
            .to_string(),
        ),
        None => Reply::Content(r#"{"fixes": []}"#.into()),
    })
}

#[test]
fn ai_fixes_online_name_only_tags_the_registry_has() {
    if !tools() {
        return;
    }
    use berth_tests::fake_llm::ChatServer;
    let s = Scratch::new("registry-ai");
    let mut reg = Registry::start(&s.path.join("reg"), None);
    let host = reg.host();
    let mut layout = Layout::new(s.path.join("layout"));
    layout.image("1.0", &["linux/amd64"], "multi");
    reg.push(&layout, "1.0", "team/multi");
    s.write("Dockerfile", format!("FROM {host}/team/multi:nightly-2019-01-01\nRUN true\n"));
    let run = |server: &ChatServer, code: &str| {
        let _ = std::fs::remove_dir_all(s.path.join("cache"));
        s.write(
            "berth.toml",
            format!(
                "[registry]\ninsecure = [\"{host}\"]\ntimeout = 2\nretries = 0\n[ai]\nbase_url = \"{}\"\nmodel = \"test-model\"\ntimeout_secs = 5\n",
                server.base_url
            ),
        );
        let args =
            ["check", "--ai", "--verbose", "--no-shellcheck", "-f", "json", "--no-fail", "--online", "Dockerfile"];
        let o = berth(&s.path, &args);
        let stdout = String::from_utf8_lossy(&o.stdout).to_string();
        let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
        let fix = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == code)
            .map(|d| d["fix"].clone())
            .unwrap_or_else(|| panic!("no {code}: {v}\n{}", String::from_utf8_lossy(&o.stderr)));
        (fix, String::from_utf8_lossy(&o.stderr).to_string())
    };

    // A tag the registry does not have: the fix is dropped, with the reason.
    let server = ChatServer::start(model_proposes("BD5001", "2.0", host.clone()));
    let (fix, err) = run(&server, "BD5001");
    assert!(fix.is_null(), "{fix}");
    assert!(err.contains(&format!("AI fix for BD5001 dropped: the edit names the image `{host}/team/multi:2.0`, whose tag its registry does not have (it has `1.0`)")), "{err}");

    // A tag it has: the fix is kept.
    let server = ChatServer::start(model_proposes("BD5001", "1.0", host.clone()));
    let (fix, err) = run(&server, "BD5001");
    assert!(!fix.is_null(), "{err}");

    // The registry gone: only the offline table judges, and the fix of a
    // finding that needs no lookup (DL3006, no tag) is kept.
    reg.stop();
    let server = ChatServer::start(model_proposes("DL3006", "2.0", host.clone()));
    s.write("Dockerfile", format!("FROM {host}/team/multi\nRUN true\n"));
    let (fix, err) = run(&server, "DL3006");
    assert!(err.contains("could not be reached"), "{err}");
    assert!(!fix.is_null(), "{err}");
}

/// The test's token server (`tests/registry/token_server.py`), stopped when dropped.
struct TokenServer {
    child: Child,
    port: u16,
}

impl TokenServer {
    /// Signs with `key` (its certificate `cert`); `users` as the script reads them.
    fn start(key: &Path, cert: &Path, users: &Value) -> TokenServer {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("registry/token_server.py");
        let mut child = Command::new("python3")
            .arg(script)
            .args([key.to_str().unwrap(), cert.to_str().unwrap(), "berth-test-issuer", "berth-test-registry"])
            .arg(users.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3");
        let mut line = String::new();
        use std::io::BufRead;
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| panic!("token server: {line:?}"));
        TokenServer { child, port }
    }

    fn realm(&self) -> String {
        format!("http://127.0.0.1:{}/token", self.port)
    }

    /// What it logged (one line per request), after stopping it.
    fn stop(&mut self) -> String {
        let _ = self.child.kill();
        let mut err = String::new();
        use std::io::Read;
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        let _ = self.child.wait();
        err
    }
}

impl Drop for TokenServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn bearer_tokens_from_a_real_token_service() {
    if !tools() || !have("openssl") || !have("python3") {
        eprintln!("bearer token test skipped: openssl or python3 missing");
        return;
    }
    let s = Scratch::new("registry-token");
    // The signing key and the certificate the registry trusts, made now.
    let (key, cert) = (s.path.join("token.key"), s.path.join("token.crt"));
    let out = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=berth-test-token"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut tokens =
        TokenServer::start(&key, &cert, &json!({"users": {"berth": "s3cret"}, "refresh": {"r3fresh": "berth"}}));
    let auth = format!(
        "auth:\n  token:\n    realm: {}\n    service: berth-test-registry\n    issuer: berth-test-issuer\n    rootcertbundle: {}\n",
        tokens.realm(),
        cert.display()
    );
    let reg = Registry::start_with(&s.path.join("reg"), &auth, Some(("berth", "s3cret")));
    let host = reg.host();
    let mut layout = Layout::new(s.path.join("layout"));
    layout.image("2.0", &["linux/amd64"], "private");
    reg.push(&layout, "2.0", "private/app");
    s.write("berth.toml", format!("[registry]\ninsecure = [\"{host}\"]\ncache-ttl = 0\n"));
    s.write("Dockerfile", format!("FROM {host}/private/app:2.1\n"));
    let online = [CHECK, &["--online"][..]].concat();

    // Anonymous: the token service refuses, a note, no finding, no failure.
    let o = berth(&s.path, &online);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(codes(&o, "BD5"), vec![]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("the token service {} answered 401", tokens.realm())), "{err}");

    // The user's password from config.json: a token from the realm, the tags read.
    s.write("docker/config.json", format!("{{\"auths\": {{\"{host}\": {{\"auth\": \"YmVydGg6czNjcmV0\"}}}}}}"));
    let o = berth(&s.path, &online);
    assert_eq!(codes(&o, "BD5"), vec![("BD5001".into(), 1)], "{}", String::from_utf8_lossy(&o.stderr));
    assert!(findings(&o)[0].2.contains("did you mean `2.0`"), "{:?}", findings(&o));

    // A wrong password: a note, no finding, no failure.
    s.write(
        "docker/config.json",
        format!("{{\"auths\": {{\"{host}\": {{\"username\": \"berth\", \"password\": \"wrong\"}}}}}}"),
    );
    let o = berth(&s.path, &online);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(codes(&o, "BD5"), vec![]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("answered 401"), "{err}");

    // An identity token (OAuth2 refresh token): exchanged by POST for an access token.
    s.write("docker/config.json", format!("{{\"auths\": {{\"{host}\": {{\"identitytoken\": \"r3fresh\"}}}}}}"));
    let o = berth(&s.path, &online);
    assert_eq!(codes(&o, "BD5"), vec![("BD5001".into(), 1)], "{}", String::from_utf8_lossy(&o.stderr));
    // A refresh token the service does not know: a note.
    s.write("docker/config.json", format!("{{\"auths\": {{\"{host}\": {{\"identitytoken\": \"stale\"}}}}}}"));
    let o = berth(&s.path, &online);
    assert_eq!(codes(&o, "BD5"), vec![]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("refused the identity token"), "{err}");

    drop(reg);
    let log = tokens.stop();
    assert!(log.contains("POST grant=refresh_token user=berth"), "{log}");
    assert!(log.contains("GET user=berth"), "{log}");
}

/// The language server looks images up only with the editor's own `online`
/// setting (`[registry] online = true` in `berth.toml` is not enough), off
/// the lint path, and publishes the online findings when the answers arrive.
#[test]
fn the_editor_looks_up_only_when_its_online_setting_is_on() {
    if !tools() {
        return;
    }
    use berth_tests::lsp_client::{LspClient, editor_capabilities, file_uri};
    let s = Scratch::new("registry-lsp");
    let reg = Registry::start(&s.path.join("reg"), None);
    let host = reg.host();
    let mut layout = Layout::new(s.path.join("layout"));
    layout.image("1.0", &["linux/amd64"], "multi");
    reg.push(&layout, "1.0", "team/multi");
    s.write("berth.toml", format!("[registry]\nonline = true\ninsecure = [\"{host}\"]\ntimeout = 5\n"));
    s.write(".git/HEAD", "ref: refs/heads/main\n");
    let dockerfile = s.write("Dockerfile", format!("FROM {host}/team/multi:1.1\nRUN true\n"));
    let uri = file_uri(&dockerfile);
    let text = s.read("Dockerfile");
    let has_bd5001 = |m: &Value| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["code"] == "BD5001"))
    };
    let session = |options: Value| {
        let mut c = LspClient::start_with(&s.path, &[], |cmd| {
            cmd.env("HOME", &s.path)
                .env("XDG_CONFIG_HOME", s.path.join("config"))
                .env("BERTH_CACHE_DIR", s.path.join("cache"))
                .env("DOCKER_CONFIG", s.path.join("docker"));
        });
        c.set_settings(options.clone());
        c.initialize(options, editor_capabilities());
        c.open(&uri, "dockerfile", 1, &text);
        c
    };

    // `online = true` in berth.toml, the editor's setting off: nothing sent.
    let before = reg.requests();
    let mut c = session(json!({"berth": {}}));
    assert!(c.wait(Duration::from_secs(4), |m| has_bd5001(m)).is_none());
    c.shutdown();
    assert_eq!(reg.requests(), before, "the editor sent a request without its online setting");

    // The editor's `online`: the lookup runs, then the finding is published.
    let mut c = session(json!({"berth": {"online": true}}));
    let p = c.wait(Duration::from_secs(20), |m| has_bd5001(m)).unwrap_or_else(|| panic!("no BD5001: {}", c.stderr()));
    let d = p["params"]["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "BD5001").unwrap().clone();
    assert!(d["message"].as_str().unwrap().contains("did you mean `1.0`"), "{d}");
    assert!(reg.requests() > before);
    c.shutdown();
}
