//! `berth explain-build`: BuildKit logs written from BuildKit's output format
//! (corpus/build-logs/), and real buildah logs produced here at test time
//! (`buildah bud --isolation chroot --storage-driver vfs` on a `FROM scratch`
//! image holding busybox-static: no daemon, no network). The buildah tests
//! skip, with a notice, without buildah or a static busybox.

use berth_tests::{Scratch, root, run_in};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn explain(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["explain-build", "build.log", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run_in(dir, &args, None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn first(report: &Value) -> &Value {
    &report["diagnoses"][0]
}

fn lines_of(d: &Value) -> (u64, u64) {
    (d["range"]["start"]["line"].as_u64().unwrap(), d["range"]["end"]["line"].as_u64().unwrap())
}

fn codes(d: &Value) -> Vec<String> {
    d["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

fn log_has(d: &Value, needle: &str) -> bool {
    d["log_lines"].as_array().unwrap().iter().any(|l| l.as_str().unwrap().contains(needle))
}

fn fixture(name: &str) -> PathBuf {
    root().join("corpus/build-logs").join(name)
}

#[test]
fn buildkit_plain_maps_a_continued_run_in_a_named_stage() {
    let r = explain(&fixture("buildkit-plain-apt"), &[]);
    assert_eq!(r["builder"], "buildkit");
    let d = first(&r);
    assert_eq!(d["cause"], "apt-unable-to-locate-package");
    assert_eq!(lines_of(d), (4, 6), "the RUN with its continuation lines");
    assert!(d["message"].as_str().unwrap().contains("libfoo-dev"));
    assert!(log_has(d, "E: Unable to locate package libfoo-dev"));
    assert!(d["suggestions"][0].as_str().unwrap().contains("apt-get update &&"));
    assert!(d["step"].as_str().unwrap().contains("builder 4/5"));
}

#[test]
fn buildkit_tty_maps_by_stage_position_when_the_text_differs() {
    // The tty log names `RUN pip install -r requirements.txt` ($REQS expanded)
    // and has no Dockerfile excerpt: the step is found as BuildKit counts them
    // (FROM, WORKDIR, RUN, COPY, RUN; ENV not counted).
    let r = explain(&fixture("buildkit-tty-pip"), &[]);
    assert_eq!(r["dockerfile"], "Dockerfile");
    let d = first(&r);
    assert_eq!(d["cause"], "pip-externally-managed");
    assert_eq!(lines_of(d), (6, 6));
    assert!(log_has(d, "externally-managed-environment"));
}

#[test]
fn buildkit_rawjson_with_split_base64_logs_and_an_unnamed_stage() {
    let r = explain(&fixture("buildkit-rawjson-exec"), &[]);
    let d = first(&r);
    assert_eq!(d["cause"], "exec-format-error");
    assert_eq!(lines_of(d), (6, 6), "[stage-1 3/3] is the second stage's RUN");
    assert!(log_has(d, "exec /usr/local/bin/tool: exec format error"), "{d}");
}

#[test]
fn buildkit_copy_of_a_dockerignored_file_names_the_pattern_and_berths_finding() {
    let r = explain(&fixture("buildkit-plain-copy-ignored"), &[]);
    let d = first(&r);
    assert_eq!(d["cause"], "copy-source-dockerignored");
    assert_eq!(lines_of(d), (3, 3));
    let msg = d["message"].as_str().unwrap();
    assert!(msg.contains("config/app.env") && msg.contains("config/*.env"), "{msg}");
    assert!(codes(d).contains(&"BD1016".to_string()), "berth's copy-ignored-file finding: {:?}", codes(d));
}

#[test]
fn buildkit_copy_from_a_stage_without_the_path() {
    let r = explain(&fixture("buildkit-plain-copy-from"), &[]);
    let d = first(&r);
    assert_eq!(d["cause"], "copy-from-stage-missing-path");
    assert_eq!(lines_of(d), (7, 7));
    let msg = d["message"].as_str().unwrap();
    assert!(msg.contains("/src/bin/server") && msg.contains("`build`"), "{msg}");
}

#[test]
fn buildkit_command_not_found_libgl_and_network() {
    let d = explain(&fixture("buildkit-plain-curl"), &[]);
    let d = first(&d);
    assert_eq!(d["cause"], "command-not-found");
    assert_eq!(lines_of(d), (3, 4));
    assert!(d["message"].as_str().unwrap().contains("`curl`"));
    // The RUN pipes without pipefail: berth's DL4006 is on the failing instruction.
    assert!(codes(d).contains(&"DL4006".to_string()), "{:?}", codes(d));

    let d = explain(&fixture("buildkit-plain-libgl"), &[]);
    assert_eq!(first(&d)["cause"], "libgl-missing-opencv");
    assert!(first(&d)["suggestions"][0].as_str().unwrap().contains("opencv-python-headless"));

    let d = explain(&fixture("buildkit-plain-network"), &[]);
    assert_eq!(first(&d)["cause"], "network-error");
    assert_eq!(lines_of(first(&d)), (4, 4));
}

#[test]
fn buildkit_base_image_not_found_is_mapped_by_the_excerpt() {
    // The failing vertex is `[internal] load metadata`, not a step: the
    // excerpt's `>>>` line names the FROM.
    let r = explain(&fixture("buildkit-plain-image"), &[]);
    assert_eq!(r["diagnoses"].as_array().unwrap().len(), 1, "{r}");
    let d = first(&r);
    assert_eq!(d["cause"], "image-not-found");
    assert_eq!(lines_of(d), (2, 2));
    assert!(log_has(d, "python:3.99-slim: not found"), "{d}");
}

#[test]
fn standard_input_dockerfile_option_and_tty_output() {
    let dir = fixture("buildkit-plain-libgl");
    let log = std::fs::read(dir.join("build.log")).unwrap();
    let dockerfile = dir.join("Dockerfile");
    let s = Scratch::new("explain-build-stdin");
    let out = run_in(&s.path, &["explain-build", "-", "--dockerfile", dockerfile.to_str().unwrap()], Some(&log));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Dockerfile:3:1: build failure: libGL.so.1 is missing"), "{text}");
    assert!(text.contains("   3 | RUN python -c \"import cv2"), "the failing instruction: {text}");
    assert!(text.contains("fix:") && text.contains("opencv-python-headless"), "{text}");
    // A log with no failure in it says so, and exits 1.
    let out = run_in(
        &s.path,
        &["explain-build", "-"],
        Some(b"#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n"),
    );
    assert_eq!(out.status.code(), Some(1));
}

// ---- real buildah logs ----

/// A statically linked busybox (busybox-static): a dynamic one cannot run in a `FROM scratch` image.
fn busybox() -> Option<PathBuf> {
    ["/bin/busybox", "/usr/bin/busybox"].iter().map(PathBuf::from).find(|p| {
        let head: Vec<u8> = std::fs::read(p).map(|b| b.into_iter().take(4096).collect()).unwrap_or_default();
        head.starts_with(b"\x7fELF") && !head.windows(6).any(|w| w == b"ld-lin" || w == b"ld-mus")
    })
}

fn have_buildah() -> bool {
    Command::new("buildah").arg("--version").output().is_ok_and(|o| o.status.success()) && busybox().is_some()
}

/// Build `dockerfile` in a scratch context holding busybox (plus `files`)
/// with buildah; the log (standard output and error) and the context folder.
fn buildah_build(name: &str, dockerfile: &str, files: &[(&str, &[u8])]) -> Option<(String, Scratch)> {
    if !have_buildah() {
        eprintln!("notice: buildah or busybox-static not installed; real buildah log test {name} skipped");
        return None;
    }
    let s = Scratch::new(&format!("buildah-{name}"));
    let ctx = s.path.join("ctx");
    std::fs::create_dir_all(&ctx).unwrap();
    std::fs::copy(busybox().unwrap(), ctx.join("busybox")).unwrap();
    std::fs::write(ctx.join("Dockerfile"), dockerfile).unwrap();
    for (rel, bytes) in files {
        let p = ctx.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = Command::new("buildah")
        .arg("--root")
        .arg(s.path.join("storage"))
        .arg("--runroot")
        .arg(s.path.join("run"))
        .args(["--storage-driver", "vfs", "bud", "--isolation", "chroot", "--layers=false", "-f"])
        .arg(ctx.join("Dockerfile"))
        .arg(&ctx)
        .output()
        .expect("run buildah");
    assert!(!out.status.success(), "the build of {name} was meant to fail");
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if !log.contains("STEP 1/") {
        eprintln!("notice: buildah could not build here ({}); test {name} skipped", log.lines().last().unwrap_or(""));
        return None;
    }
    std::fs::write(ctx.join("build.log"), &log).unwrap();
    Some((log, s))
}

const BASE: &str = "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n";

fn explain_buildah(s: &Scratch) -> Value {
    explain(&s.path.join("ctx"), &[])
}

#[test]
fn buildah_missing_copy_source() {
    let Some((log, s)) = buildah_build("copy", &format!("{BASE}COPY missing.txt /x\n"), &[]) else { return };
    let r = explain_buildah(&s);
    assert_eq!(r["builder"], "buildah", "{log}");
    let d = first(&r);
    assert_eq!(d["cause"], "copy-source-missing", "{log}");
    assert_eq!(lines_of(d), (4, 4));
    assert!(d["message"].as_str().unwrap().contains("`missing.txt`"));
}

#[test]
fn buildah_dockerignored_copy_source() {
    let files: &[(&str, &[u8])] = &[("secret.txt", b"x\n"), (".dockerignore", b"secret.txt\n")];
    let Some((log, s)) = buildah_build("ignored", &format!("{BASE}COPY secret.txt /x\n"), files) else { return };
    let d = first(&explain_buildah(&s)).clone();
    assert_eq!(d["cause"], "copy-source-dockerignored", "{log}");
    assert!(d["message"].as_str().unwrap().contains("line 1: `secret.txt`"), "{d}");
    assert!(codes(&d).contains(&"BD1016".to_string()));
}

#[test]
fn buildah_command_not_found_in_a_later_stage_across_continuation_lines() {
    let dockerfile = "FROM scratch AS base\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n\nFROM base\nRUN echo building && \\\n    nosuchcmd --flag\n";
    let Some((log, s)) = buildah_build("notfound", dockerfile, &[]) else { return };
    let d = first(&explain_buildah(&s)).clone();
    assert_eq!(d["cause"], "command-not-found", "{log}");
    assert_eq!(lines_of(&d), (6, 7), "{log}");
    if log.contains("nosuchcmd: not found") {
        assert!(d["message"].as_str().unwrap().contains("`nosuchcmd`"));
    }
}

#[test]
fn buildah_non_zero_exit_with_the_last_output() {
    let Some((log, s)) = buildah_build("exit", &format!("{BASE}RUN echo step-one && ls /nonexistent\n"), &[]) else {
        return;
    };
    let d = first(&explain_buildah(&s)).clone();
    assert_eq!(d["cause"], "command-failed", "{log}");
    assert_eq!(lines_of(&d), (4, 4));
    assert!(d["message"].as_str().unwrap().contains("exit code 1"), "{d}");
    assert!(log_has(&d, "/nonexistent: No such file or directory"), "{d}");
}

#[test]
fn buildah_permission_denied_after_user() {
    let Some((log, s)) = buildah_build("perm", &format!("{BASE}USER 1000\nRUN touch /etc/app.conf\n"), &[]) else {
        return;
    };
    let d = first(&explain_buildah(&s)).clone();
    assert_eq!(d["cause"], "permission-denied-after-user", "{log}");
    assert_eq!(lines_of(&d), (5, 5));
    assert!(d["suggestions"][0].as_str().unwrap().contains("USER 1000"));
}

#[test]
fn buildah_copy_from_a_stage_without_the_path() {
    let dockerfile = "FROM scratch AS build\nCOPY busybox /bb\n\nFROM scratch\nCOPY --from=build /out/app /app\n";
    let Some((log, s)) = buildah_build("from", dockerfile, &[]) else { return };
    let d = first(&explain_buildah(&s)).clone();
    assert_eq!(d["cause"], "copy-from-stage-missing-path", "{log}");
    assert_eq!(lines_of(&d), (5, 5));
    assert!(d["message"].as_str().unwrap().contains("/out/app"));
}

#[test]
fn buildah_exec_format_error() {
    // busybox with its ELF machine set to AArch64: the kernel refuses to run it.
    let mut elf = std::fs::read(busybox().unwrap_or_default()).unwrap_or_default();
    if elf.len() < 20 {
        eprintln!("notice: no busybox; exec format test skipped");
        return;
    }
    elf[18] = 0xB7;
    elf[19] = 0;
    let dockerfile = "FROM scratch\nCOPY armtool /usr/local/bin/tool\nRUN [\"/usr/local/bin/tool\", \"--version\"]\n";
    let Some((log, s)) = buildah_build("exec", dockerfile, &[("armtool", &elf)]) else { return };
    let d = first(&explain_buildah(&s)).clone();
    assert_eq!(d["cause"], "exec-format-error", "{log}");
    assert_eq!(lines_of(&d), (3, 3));
}

#[test]
fn ai_adds_the_models_explanation_marked_as_such() {
    use berth_tests::fake_llm::{ChatServer, Reply};
    use std::sync::Arc;
    let server = ChatServer::start(Arc::new(|_, _body: &str| {
        Reply::Content("The slim image has no libGL; use opencv-python-headless.".into())
    }));
    let s = Scratch::new("explain-build-ai");
    let dir = fixture("buildkit-plain-libgl");
    s.write("Dockerfile", std::fs::read(dir.join("Dockerfile")).unwrap());
    s.write("build.log", std::fs::read(dir.join("build.log")).unwrap());
    s.write(
        "berth.toml",
        format!("[ai]\nbase_url = \"{}\"\nmodel = \"test-model\"\ntimeout_secs = 5\n", server.base_url),
    );
    std::fs::create_dir_all(s.path.join(".git")).unwrap();
    let home = s.path.join("home");
    let run = |format: &str| {
        Command::new(berth_tests::berth_bin())
            .args(["explain-build", "build.log", "--ai", "--format", format])
            .current_dir(&s.path)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("BERTH_CACHE_DIR", home.join("cache"))
            .env_remove("BERTH_AI_BASE_URL")
            .env_remove("BERTH_AI_MODEL")
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .output()
            .expect("run berth")
    };
    let o = run("json");
    let r: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    let d = first(&r);
    assert_eq!(d["cause"], "libgl-missing-opencv", "berth's own diagnosis stays first");
    assert_eq!(d["ai_explanation"], "The slim image has no libGL; use opencv-python-headless.", "{r}");
    let o = run("tty");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("AI explanation (from the model, not checked by berth):"), "{text}");
    let bodies = server.bodies();
    assert_eq!(bodies.len(), 2, "one request per run");
    assert!(
        bodies[0].contains("libGL.so.1") && bodies[0].contains("import cv2"),
        "the log and the Dockerfile are sent"
    );
}
