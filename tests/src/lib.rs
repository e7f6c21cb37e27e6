//! Helpers for the integration tests: find (and if needed build) the `berth`
//! binary of this workspace, run it, and make scratch folders.

pub mod fake_llm;
pub mod lsp_client;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// Path of the `berth` binary: `$BERTH_BIN` if set, else the workspace's
/// debug build (built once per test process with `cargo build -p berth`).
pub fn berth_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(p) = std::env::var_os("BERTH_BIN") {
            return PathBuf::from(p);
        }
        // target/<profile>/deps/<test binary> -> target/<profile>/berth
        let exe = std::env::current_exe().expect("test binary path");
        let profile_dir = exe.parent().and_then(Path::parent).expect("target profile dir").to_path_buf();
        let cargo = option_env!("CARGO").unwrap_or("cargo");
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "--quiet", "-p", "berth", "--bin", "berth", "--manifest-path"]).arg(&manifest);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("run cargo build");
        assert!(status.success(), "cargo build -p berth failed");
        let bin = profile_dir.join(format!("berth{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.exists(), "{} missing after build", bin.display());
        bin
    })
}

/// The project's root folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().expect("project root")
}

/// The day the end-of-life rules judge by in tests (`BERTH_AS_OF`), so that
/// results do not change with the calendar (`--as-of` still wins).
pub const TEST_AS_OF: &str = "2025-12-01";

/// Run berth with `args` in `dir`, feeding `stdin`.
pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = Command::new(berth_bin())
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("BERTH_AS_OF", TEST_AS_OF)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn berth");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(input).expect("write stdin");
    }
    child.wait_with_output().expect("wait for berth")
}

/// A scratch folder removed on drop.
pub struct Scratch {
    pub path: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let path = std::env::temp_dir().join(format!(
            "berth-test-{}-{}-{:?}",
            name,
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create scratch dir");
        Scratch { path }
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, contents).expect("write file");
        p
    }

    pub fn run(&self, args: &[&str]) -> Output {
        run_in(&self.path, args, None)
    }

    /// The text of a file in the folder (panics when it is missing).
    pub fn read(&self, rel: &str) -> String {
        let p = self.path.join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(o)))
}

/// A file named by an environment variable, when the variable is set and the
/// file exists; otherwise prints a notice (the caller skips that check).
pub fn file_from_env(var: &str) -> Option<PathBuf> {
    match std::env::var_os(var).map(PathBuf::from) {
        Some(p) if p.is_file() => Some(p),
        Some(p) => {
            println!("notice: {var}={} does not exist; skipping", p.display());
            None
        }
        None => {
            println!("notice: {var} is not set; skipping");
            None
        }
    }
}

/// The shared real-world corpus named by `BERTH_CORPUS` (CI sets it), when it
/// has the folder `part` (`dockerfiles` or `compose`). Without the variable,
/// prints a notice that `what` is skipped and returns `None`.
pub fn corpus(part: &str, what: &str) -> Option<PathBuf> {
    match std::env::var_os("BERTH_CORPUS") {
        Some(p) if Path::new(&p).join(part).is_dir() => Some(PathBuf::from(p)),
        Some(p) => panic!("BERTH_CORPUS={} has no {part}/ folder", Path::new(&p).display()),
        None => {
            println!("notice: BERTH_CORPUS is not set; skipping {what}");
            None
        }
    }
}

/// Every file below `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read corpus folder").flatten() {
            let p = e.path();
            if p.is_dir() { stack.push(p) } else { out.push(p) }
        }
    }
    out.sort();
    out
}
