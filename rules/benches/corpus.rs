//! `cargo bench -p berth-rules`: parse and lint throughput over the shared corpus
//! (`BERTH_CORPUS`, default `../shared/corpus`). Single thread; prints the
//! median of several passes for each layer.

use berth_rules::engine::{self, Selection};
use berth_rules::model::Model;
use berth_rules::syntax::Dockerfile;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() { stack.push(p) } else { out.push(p) }
        }
    }
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn measure(name: &str, bytes: usize, passes: usize, mut f: impl FnMut()) {
    f(); // warm up
    let times: Vec<Duration> = (0..passes)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    let m = median(times);
    let mib = bytes as f64 / (1024.0 * 1024.0) / m.as_secs_f64();
    println!("{name:<28} {:>9.2} ms  {mib:>7.1} MiB/s", m.as_secs_f64() * 1000.0);
}

fn main() {
    let root = std::env::var_os("BERTH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    let paths = files(&root.join("dockerfiles"));
    if paths.is_empty() {
        println!("notice: no corpus at {}; set BERTH_CORPUS", root.display());
        return;
    }
    let texts: Vec<String> = paths.iter().map(|p| engine::decode(&std::fs::read(p).unwrap()).0).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!("{} Dockerfiles, {:.2} MiB, single thread", texts.len(), bytes as f64 / 1048576.0);
    let passes = 7;
    measure("parse", bytes, passes, || {
        for t in &texts {
            std::hint::black_box(Dockerfile::parse(t));
        }
    });
    let parsed: Vec<Dockerfile> = texts.iter().map(|t| Dockerfile::parse(t)).collect();
    measure("model (incl. shell parse)", bytes, passes, || {
        for d in &parsed {
            std::hint::black_box(Model::build(d));
        }
    });
    let sel = Selection::default();
    measure("parse + model + all rules", bytes, passes, || {
        for t in &texts {
            std::hint::black_box(engine::lint(t, &sel));
        }
    });
    let synth = "FROM debian:12\n".to_string()
        + &"RUN apt-get update && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\n".repeat(20_000);
    measure("synthetic 1.7 MiB file lint", synth.len(), 3, || {
        std::hint::black_box(engine::lint(&synth, &sel));
    });
}
