//! berth's Neovim plugin (`editors/nvim`) in a real headless Neovim talking
//! to `berth lsp`: the plugin starts the server for a Dockerfile and a Compose
//! file, Neovim receives the diagnostics, applies a quick fix through
//! `vim.lsp.buf.code_action`, writes the file, and we read what was written.
//!
//! Neovim is `$BERTH_NVIM` (CI sets it) or `nvim` on `PATH`; without one the
//! tests print a notice and pass. The driver is `editors/nvim/test/fix_check.lua`.

use berth_tests::{Scratch, berth_bin, root, run_in};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A Neovim binary and its version, or `None` (with a notice) when there is none.
fn nvim() -> Option<(PathBuf, (u32, u32, u32))> {
    let (bin, from_env) = match std::env::var_os("BERTH_NVIM") {
        Some(p) if !p.is_empty() => (PathBuf::from(p), true),
        _ => match find_on_path("nvim") {
            Some(p) => (p, false),
            None => {
                println!("notice: no Neovim (set BERTH_NVIM or put nvim on PATH); skipping the Neovim test");
                return None;
            }
        },
    };
    let out = Command::new(&bin).arg("--version").stdin(Stdio::null()).output();
    let text = match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        other => {
            // An explicit BERTH_NVIM that does not run is a set-up error, not a skip.
            assert!(!from_env, "BERTH_NVIM={} does not run: {other:?}", bin.display());
            println!("notice: {} --version failed; skipping the Neovim test", bin.display());
            return None;
        }
    };
    let version = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("NVIM v"))
        .map(|v| {
            v.split(['-', '+']).next().unwrap_or(v).split('.').map(|n| n.parse().unwrap_or(0)).collect::<Vec<u32>>()
        })
        .filter(|v| v.len() >= 3)
        .map(|v| (v[0], v[1], v[2]));
    let Some(version) = version else {
        panic!("cannot read the version of {}: {text}", bin.display());
    };
    Some((bin, version))
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(format!("{name}{}", std::env::consts::EXE_SUFFIX)))
        .find(|p| p.is_file())
}

/// One run of the driver.
struct Run<'a> {
    file: &'a Path,
    code: &'a str,
    mode: &'a str,
    filetype: &'a str,
    fixall_out: Option<&'a Path>,
    settings: Option<&'a str>,
}

/// The driver's output lines, parsed.
struct Report {
    lines: Vec<serde_json::Value>,
    raw: String,
}

impl Report {
    fn of(&self, kind: &str) -> Vec<&serde_json::Value> {
        self.lines.iter().filter(|l| l["type"] == kind).collect()
    }
}

fn drive(nvim: &Path, scratch: &Scratch, run: &Run) -> Report {
    let root = root();
    let plugin = root.join("editors/nvim");
    let driver = plugin.join("test/fix_check.lua");
    let xdg = scratch.path.join("xdg");
    let mut cmd = Command::new(nvim);
    cmd.args(["--headless", "--clean", "-n", "-i", "NONE", "--cmd"])
        .arg(format!("set rtp^={}", plugin.display()))
        .arg("-c")
        .arg(format!("luafile {}", driver.display()))
        .current_dir(&scratch.path)
        .env("XDG_CONFIG_HOME", xdg.join("config"))
        .env("XDG_DATA_HOME", xdg.join("data"))
        .env("XDG_STATE_HOME", xdg.join("state"))
        .env("XDG_CACHE_HOME", xdg.join("cache"))
        .env("BERTH_TEST_BIN", berth_bin())
        .env("BERTH_TEST_FILE", run.file)
        .env("BERTH_TEST_CODE", run.code)
        .env("BERTH_TEST_MODE", run.mode)
        .env("BERTH_TEST_FILETYPE", run.filetype)
        .env("BERTH_TEST_TIMEOUT_MS", "30000")
        .env_remove("BERTH_TEST_FIXALL_OUT")
        .env_remove("BERTH_TEST_SETTINGS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(p) = run.fixall_out {
        cmd.env("BERTH_TEST_FIXALL_OUT", p);
    }
    if let Some(s) = run.settings {
        cmd.env("BERTH_TEST_SETTINGS", s);
    }
    let mut child = cmd.spawn().expect("start Neovim");
    // Read both pipes on threads so a chatty child never blocks.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out_pipe.read_to_string(&mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait for Neovim") {
            break Some(st);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = out_t.join().unwrap_or_default();
    let stderr = err_t.join().unwrap_or_default();
    let raw = format!("--- stdout\n{stdout}--- stderr\n{stderr}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad driver line {l:?}: {e}\n{raw}")))
        .collect();
    let Some(status) = status else {
        panic!("Neovim did not finish within 60 s ({} {})\n{raw}", run.mode, run.file.display());
    };
    assert!(status.success(), "the Neovim driver failed ({} {}): {status}\n{raw}", run.mode, run.file.display());
    assert_eq!(lines.last().map(|l| &l["type"]), Some(&serde_json::json!("done")), "{raw}");
    // Shown with --nocapture.
    println!("{} {}:\n{stdout}", run.mode, run.file.display());
    Report { lines, raw }
}

const DOCKERFILE: &str = "FROM alpine:3.20\nADD app.py /app/\nADD config.yaml /etc/app/\nCMD [\"/app/app.py\"]\n";
const DOCKERFILE_FIXED_ONCE: &str =
    "FROM alpine:3.20\nCOPY app.py /app/\nADD config.yaml /etc/app/\nCMD [\"/app/app.py\"]\n";
const DOCKERFILE_FIXED_ALL: &str =
    "FROM alpine:3.20\nCOPY app.py /app/\nCOPY config.yaml /etc/app/\nCMD [\"/app/app.py\"]\n";
const COMPOSE: &str = "version: \"3.8\"\nservices:\n  web:\n    image: nginx:1.27\n";
const COMPOSE_FIXED: &str = "services:\n  web:\n    image: nginx:1.27\n";

/// Checks common to every run: the plugin loaded, the filetype, berth
/// attached, the diagnostic arrived with berth's code, the quick fix applied.
fn check_report(r: &Report, code: &str, line: u64) {
    let info = r.of("info");
    assert_eq!(info[0]["plugin_loaded"], true, "plugin/berth.lua was not sourced\n{}", r.raw);
    assert_eq!(r.of("attached")[0]["client"], "berth", "{}", r.raw);
    let diags = r.of("diagnostic");
    let d = diags
        .iter()
        .find(|d| d["code"] == code && d["line"] == line)
        .unwrap_or_else(|| panic!("no {code} on line {line}\n{}", r.raw));
    assert_eq!(d["col"], 0, "{}", r.raw);
    let applied = r.of("applied");
    assert!(!applied.is_empty(), "{}", r.raw);
    assert!(
        !r.of("diagnostic_after").iter().any(|d| d["code"] == code && d["line"] == line),
        "{code} still reported on line {line} after the fix\n{}",
        r.raw
    );
}

#[test]
fn neovim_dockerfile_quick_fix_and_fix_all() {
    let Some((nvim, version)) = nvim() else { return };
    let modes: &[&str] = if version >= (0, 11, 0) { &["enable", "legacy"] } else { &["legacy"] };
    if version < (0, 8, 0) {
        println!("notice: Neovim {version:?} is older than 0.8; the driver needs 0.8+; skipping");
        return;
    }
    for mode in modes {
        let s = Scratch::new(&format!("nvim-dockerfile-{mode}"));
        let file = s.write("Dockerfile", DOCKERFILE);
        let fixall = s.path.join("fixed-all.Dockerfile");
        // The legacy run also carries settings (through initializationOptions):
        // DL3020 at warning instead of error.
        let settings = (*mode == "legacy").then_some(r#"{"severity": {"DL3020": "warning"}}"#);
        let r = drive(
            &nvim,
            &s,
            &Run { file: &file, code: "DL3020", mode, filetype: "dockerfile", fixall_out: Some(&fixall), settings },
        );
        check_report(&r, "DL3020", 1);
        let severity = r.of("diagnostic").iter().find(|d| d["code"] == "DL3020").unwrap()["severity"].clone();
        let expected = if settings.is_some() { 2 } else { 1 }; // vim.diagnostic.severity: 1 error, 2 warning
        assert_eq!(severity, expected, "{mode}: DL3020 severity\n{}", r.raw);
        assert!(r.of("applied")[0]["title"].as_str().unwrap().contains("COPY"), "{}", r.raw);
        assert_eq!(s.read("Dockerfile"), DOCKERFILE_FIXED_ONCE, "{mode}: the written Dockerfile\n{}", r.raw);
        assert_eq!(
            s.read("fixed-all.Dockerfile"),
            DOCKERFILE_FIXED_ALL,
            "{mode}: after source.fixAll.berth\n{}",
            r.raw
        );
        // The editor's fix-all gives what `berth fix` gives.
        s.write("cli/Dockerfile", DOCKERFILE);
        let out = run_in(&s.path.join("cli"), &["fix", "Dockerfile"], None);
        assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
        assert_eq!(s.read("cli/Dockerfile"), DOCKERFILE_FIXED_ALL);
    }
}

#[test]
fn neovim_compose_quick_fix() {
    let Some((nvim, version)) = nvim() else { return };
    if version < (0, 8, 0) {
        println!("notice: Neovim {version:?} is older than 0.8; the driver needs 0.8+; skipping");
        return;
    }
    // Two Compose names, so both halves of the filetype detection are used.
    let runs: Vec<(&str, &str)> = if version >= (0, 11, 0) {
        vec![("enable", "compose.yaml"), ("legacy", "docker-compose.prod.yml")]
    } else {
        vec![("legacy", "compose.yaml"), ("legacy", "docker-compose.prod.yml")]
    };
    for (mode, name) in runs {
        let s = Scratch::new(&format!("nvim-compose-{mode}"));
        let file = s.write(name, COMPOSE);
        let r = drive(
            &nvim,
            &s,
            &Run {
                file: &file,
                code: "BC1002",
                mode,
                filetype: "yaml.docker-compose",
                fixall_out: None,
                settings: None,
            },
        );
        check_report(&r, "BC1002", 0);
        assert_eq!(s.read(name), COMPOSE_FIXED, "{mode} {name}: the written Compose file\n{}", r.raw);
    }
}
