//! `cargo run --release -p berth-rules --example memory -- FILE`: heap bytes
//! held by each layer for one Dockerfile (live bytes after each step and the
//! peak while it ran), counted by a wrapping allocator.

use berth_rules::engine::{self, Inputs, Selection};
use berth_rules::model::Model;
use berth_rules::shell::ScriptCache;
use berth_rules::syntax::Dockerfile;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static A: Counting = Counting;

fn mib(n: usize) -> String {
    format!("{:.1} MiB", n as f64 / 1048576.0)
}

fn step<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let out = f();
    let after = LIVE.load(Ordering::Relaxed);
    println!(
        "{name:<34} holds {:>10}   peak while running +{}",
        mib(after.saturating_sub(before)),
        mib(PEAK.load(Ordering::Relaxed) - before)
    );
    out
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: memory FILE");
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    println!("{path}: {} bytes, {} lines", text.len(), text.lines().count());
    let file = step("parse", || Dockerfile::parse(&text));
    let model = step("model (with scripts)", || Model::build(&file));
    drop(model);
    let lean = step("model (without scripts)", || Model::build_without_scripts(&file));
    drop(lean);
    drop(file);
    let mut cache = ScriptCache::default();
    let sel = Selection::default();
    let inputs = Inputs::default();
    let first =
        step("lint with script cache (first)", || engine::lint_with_cache(text.as_str(), &sel, &inputs, &mut cache));
    let mut edited = text.clone();
    edited.push_str("\nRUN echo edited\n");
    let second =
        step("lint with script cache (edit)", || engine::lint_with_cache(edited.as_str(), &sel, &inputs, &mut cache));
    drop((first, second));
    println!("script cache after two versions: {}", mib(LIVE.load(Ordering::Relaxed)));
}
