//! The persistent ShellCheck cache of `berth check`, with the real ShellCheck
//! behind a wrapper script (first on PATH) that logs every invocation: a
//! second run over unchanged files starts no ShellCheck check, a changed
//! script is checked alone, and huge scripts are never given to ShellCheck.

use berth_tests::{Scratch, berth_bin, json, stderr};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn real_shellcheck() -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    let found = std::env::split_paths(&paths).map(|d| d.join("shellcheck")).find(|p| p.is_file())?;
    let ok = Command::new(&found).arg("--version").output().ok()?.status.success();
    ok.then_some(found)
}

struct Wrapped {
    s: Scratch,
    log: PathBuf,
    path: std::ffi::OsString,
}

impl Wrapped {
    fn new(name: &str, real: &Path) -> Wrapped {
        let s = Scratch::new(name);
        let log = s.path.join("calls.log");
        let wrapper = s.write(
            "bin/shellcheck",
            format!("#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n", log.display(), real.display()),
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let mut dirs = vec![s.path.join("bin")];
        dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
        let path = std::env::join_paths(dirs).unwrap();
        Wrapped { s, log, path }
    }

    fn check(&self, extra: &[&str]) -> Output {
        Command::new(berth_bin())
            .args(["check", "-f", "json"])
            .args(extra)
            .arg("repo")
            .current_dir(&self.s.path)
            .env("PATH", &self.path)
            .env("XDG_CACHE_HOME", self.s.path.join("xdg"))
            .env_remove("BERTH_CACHE_DIR")
            .output()
            .expect("run berth")
    }

    /// The ShellCheck calls since the last time, other than `--version`:
    /// how many scripts each was given.
    fn checking_calls(&self) -> Vec<usize> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let _ = std::fs::remove_file(&self.log);
        text.lines()
            .filter(|l| l.trim() != "--version")
            .map(|l| l.split_whitespace().filter(|w| w.ends_with(".sh")).count())
            .collect()
    }
}

fn shellcheck_codes(o: &Output) -> Vec<String> {
    let v = json(o);
    let mut c: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .filter(|c| c.starts_with("SC"))
        .collect();
    c.sort();
    c
}

#[test]
fn a_second_run_starts_no_shellcheck_check() {
    let Some(real) = real_shellcheck() else {
        eprintln!("shellcheck is not installed: skipping the ShellCheck cache test");
        return;
    };
    let w = Wrapped::new("sc-cache", &real);
    w.s.write("repo/Dockerfile", "FROM alpine:3.20\nRUN echo $foo\nRUN for f in $(ls); do echo $f; done\n");
    w.s.write("repo/api/Dockerfile", "FROM alpine:3.20\nARG V\nRUN echo $V $bar\n");

    let cold = w.check(&[]);
    let calls = w.checking_calls();
    assert_eq!(calls.iter().sum::<usize>(), 3, "three distinct scripts checked cold: {calls:?}");
    let found = shellcheck_codes(&cold);
    assert!(found.contains(&"SC2086".to_string()), "{found:?} {}", stderr(&cold));
    assert!(w.s.path.join("xdg/berth/shellcheck").read_dir().unwrap().count() == 1, "one cache file");

    // Warm: the same findings, and no ShellCheck check at all.
    let warm = w.check(&[]);
    assert_eq!(w.checking_calls(), Vec::<usize>::new());
    assert_eq!(shellcheck_codes(&warm), found);
    assert_eq!(json(&warm)["diagnostics"], json(&cold)["diagnostics"]);
    // Selection is applied after the cache: ignoring a code needs no new check.
    let ignored = w.check(&["--ignore", "SC2086"]);
    assert!(w.checking_calls().is_empty());
    assert!(!shellcheck_codes(&ignored).contains(&"SC2086".to_string()));

    // One script changed: only it is checked.
    w.s.write("repo/api/Dockerfile", "FROM alpine:3.20\nARG V\nRUN echo $V $baz\n");
    w.check(&[]);
    assert_eq!(w.checking_calls(), vec![1]);
    // Another exported name makes another script for ShellCheck.
    w.s.write("repo/api/Dockerfile", "FROM alpine:3.20\nARG V\nARG baz\nRUN echo $V $baz\n");
    w.check(&[]);
    assert_eq!(w.checking_calls(), vec![1]);

    // --no-cache checks everything; --cache-dir moves the cache.
    w.check(&["--no-cache"]);
    assert_eq!(w.checking_calls().iter().sum::<usize>(), 3);
    w.check(&["--cache-dir", "elsewhere"]);
    assert_eq!(w.checking_calls().iter().sum::<usize>(), 3);
    assert!(w.s.path.join("elsewhere/shellcheck").is_dir());
    w.check(&["--cache-dir", "elsewhere"]);
    assert!(w.checking_calls().is_empty());
}

#[test]
fn huge_scripts_are_not_given_to_shellcheck() {
    let Some(real) = real_shellcheck() else {
        eprintln!("shellcheck is not installed: skipping the huge-script test");
        return;
    };
    let w = Wrapped::new("sc-huge", &real);
    let mut big = String::from("FROM alpine:3.20\nRUN true \\\n");
    for i in 0..20_000 {
        big += &format!("  && echo $FOO{i} > /tmp/f{i} \\\n");
    }
    big += "  && true\nRUN echo $small\n";
    w.s.write("repo/Dockerfile", &big);
    berth_bin(); // built (or checked) before the clock starts
    let start = std::time::Instant::now();
    let o = w.check(&["--no-cache"]);
    let took = start.elapsed();
    let err = stderr(&o);
    assert!(err.contains("the RUN script on line 2") && err.contains("not given to ShellCheck"), "{err}");
    // The small script is still checked, the huge one never.
    assert_eq!(w.checking_calls(), vec![1]);
    assert!(shellcheck_codes(&o).contains(&"SC2086".to_string()));
    // 2-3 s for a debug build on a busy machine; ShellCheck would take minutes.
    assert!(took.as_secs() < 30, "{took:?}");
}
