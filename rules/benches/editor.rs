//! `cargo bench -p berth-rules --bench editor`: what the language server does
//! on every keystroke in a large Dockerfile: lint the new version with the
//! previous version's caches. Reads `BERTH_BENCH_FILE` when set, else builds
//! a 2,000-line multi-stage Dockerfile. Prints the median of the passes. A
//! `BERTH_BENCH_FILE` ending in `.yaml` or `.yml` is linted as a Compose file
//! (YAML tree, schema and every Compose rule on each keystroke).

use berth_rules::engine::{self, Inputs, Selection};
use berth_rules::shell::ScriptCache;
use std::time::{Duration, Instant};

fn synthetic(lines: usize) -> String {
    let mut out = String::from("# syntax=docker/dockerfile:1\nARG BASE=debian:bookworm-slim\nARG VERSION=1.0.0\n");
    let mut stage = 0;
    while out.lines().count() < lines {
        let from = if stage > 0 {
            format!("COPY --from=stage{} /opt/app{}/bin/ ./bin/\n", stage - 1, stage - 1)
        } else {
            String::new()
        };
        out += &format!(
            "\nFROM ${{BASE}} AS stage{stage}\nARG VERSION\nENV APP_HOME=/opt/app{stage} \\\n    APP_VERSION=${{VERSION}} \\\n    PATH=/opt/app{stage}/bin:$PATH\n\
             LABEL org.example.stage=\"{stage}\"\nWORKDIR /opt/app{stage}\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends ca-certificates curl && \\\n    rm -rf /var/lib/apt/lists/*\n\
             COPY --chown=1000:1000 src/part{stage}/ ./src/\n{from}RUN set -eux; \\\n    for i in 1 2 3; do echo \"step $i of {stage}\"; done; \\\n    mkdir -p bin && chmod +x bin\n\
             EXPOSE 80{stage:02}/tcp\nHEALTHCHECK --interval=30s --timeout=3s CMD [\"/bin/true\"]\nUSER 1000:1000\n"
        );
        stage += 1;
    }
    out
}

fn main() {
    let text = match std::env::var("BERTH_BENCH_FILE") {
        Ok(p) => std::fs::read_to_string(&p).expect("BERTH_BENCH_FILE"),
        Err(_) => synthetic(2000),
    };
    let passes: usize = std::env::var("BERTH_BENCH_PASSES").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    let sel = Selection::default();
    if std::env::var("BERTH_BENCH_FILE").is_ok_and(|p| p.ends_with(".yaml") || p.ends_with(".yml")) {
        return compose(&text, passes, &sel);
    }
    let inputs = Inputs::default();
    let mut cache = ScriptCache::default();
    // The edit point: the end of the last RUN line, as a user typing there.
    let at = text.rfind("RUN ").map(|i| i + text[i..].find('\n').unwrap_or(0)).unwrap_or(text.len());
    let mut current = text.clone();
    std::hint::black_box(engine::lint_with_cache(current.as_str(), &sel, &inputs, &mut cache));
    let mut times = Vec::with_capacity(passes);
    for i in 0..passes {
        current.insert(at + i % 8, (b'a' + (i % 26) as u8) as char);
        let t = Instant::now();
        let r = engine::lint_with_cache(current.as_str(), &sel, &inputs, &mut cache);
        times.push(t.elapsed());
        std::hint::black_box(r);
        if i % 8 == 7 {
            current = text.clone();
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{} lines, {} bytes: keystroke re-lint median {:.2} ms, p95 {:.2} ms ({passes} passes)",
        text.lines().count(),
        text.len(),
        ms(times[passes / 2]),
        ms(times[passes * 95 / 100])
    );
}

/// Keystrokes at the end of the first `image:` line of a Compose file.
fn compose(text: &str, passes: usize, sel: &Selection) {
    let at = text.find("image:").map(|i| i + text[i..].find('\n').unwrap_or(0)).unwrap_or(text.len());
    let mut current = text.to_string();
    let mut times = Vec::with_capacity(passes);
    for i in 0..passes {
        current.insert(at + i % 8, (b'a' + (i % 26) as u8) as char);
        let t = Instant::now();
        let r = engine::lint_compose(current.as_str(), sel);
        times.push(t.elapsed());
        std::hint::black_box(r);
        if i % 8 == 7 {
            current = text.to_string();
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{} lines (Compose), {} bytes: keystroke re-lint median {:.3} ms, p95 {:.3} ms ({passes} passes)",
        text.lines().count(),
        text.len(),
        ms(times[passes / 2]),
        ms(times[passes * 95 / 100])
    );
}
