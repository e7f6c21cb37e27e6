//! The layers of ARCHITECTURE.md, checked.
//!
//! - The crate graph (`cargo metadata`) follows the layer order: a crate's
//!   normal dependencies among the workspace's crates sit in lower layers.
//! - No import cycle between the modules of any workspace crate: for every
//!   module, the graph of its child modules, with an edge from one child to
//!   another when code in the first (or below it) names the second through
//!   `crate::...`, `super::...` or `self::...`, has no cycle. Test modules
//!   (`#[cfg(test)] mod ...`) are left out; a parent and its own children may
//!   use each other (re-exports, shared helpers in `mod.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The layers, lowest first. A crate may depend only on crates of lower
/// layers. A new workspace crate must be placed here.
const LAYERS: &[&[&str]] = &[
    &["berth-text"],
    &["berth-syntax", "berth-compose"],
    &["berth-engine"],
    &["berth-rules"],
    &["berth-ide", "berth-workspace"],
    &["berth-ai"],
    &["berth-lsp"],
    &["berth"],
    &["berth-tests"],
];

fn layer_of(name: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&name))
}

/// The workspace's packages: name, source folder of each target, and the
/// names of their normal (non-dev, non-build) dependencies.
struct Package {
    name: String,
    src_roots: Vec<PathBuf>,
    deps: Vec<String>,
}

fn workspace() -> Vec<Package> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = berth_tests::root().join("Cargo.toml");
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline", "--manifest-path"])
        .arg(&manifest)
        .output()
        .expect("run cargo metadata");
    assert!(out.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("cargo metadata JSON");
    meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| Package {
            name: p["name"].as_str().unwrap().to_string(),
            src_roots: p["targets"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|t| t["kind"].as_array().unwrap().iter().any(|k| k == "lib" || k == "bin"))
                .map(|t| PathBuf::from(t["src_path"].as_str().unwrap()))
                .collect(),
            deps: p["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["kind"].is_null())
                .map(|d| d["name"].as_str().unwrap().to_string())
                .collect(),
        })
        .collect()
}

#[test]
fn the_crate_graph_follows_the_layers() {
    let packages = workspace();
    let names: BTreeSet<&str> = packages.iter().map(|p| p.name.as_str()).collect();
    let mut wrong = Vec::new();
    for p in &packages {
        let Some(mine) = layer_of(&p.name) else {
            wrong.push(format!("{} is in no layer: add it to LAYERS here and to ARCHITECTURE.md", p.name));
            continue;
        };
        for d in p.deps.iter().filter(|d| names.contains(d.as_str())) {
            match layer_of(d) {
                Some(theirs) if theirs < mine => {}
                _ => wrong.push(format!("{} (layer {mine}) depends on {d}, which is not below it", p.name)),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The engine runs rules handed in; it never names the crate that defines them.
    let engine = packages.iter().find(|p| p.name == "berth-engine").expect("berth-engine");
    assert!(!engine.deps.iter().any(|d| d == "berth-rules"));
}

/// Source text without comments, string and character literals (they are
/// replaced by blanks, so offsets and line breaks are kept).
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            let end = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |n| i + n);
            blank(&mut out, i, end);
            i = end;
        } else if b[i..].starts_with(b"/*") {
            let end = src[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
            blank(&mut out, i, end);
            i = end;
        } else if b[i] == b'r' && (b.get(i + 1) == Some(&b'#') || b.get(i + 1) == Some(&b'"')) && !ident_byte(b, i) {
            let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
            if b.get(i + 1 + hashes) != Some(&b'"') {
                i += 1;
                continue;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let start = i + 2 + hashes;
            let end = src[start..].find(&close).map_or(b.len(), |n| start + n + close.len());
            blank(&mut out, i, end);
            i = end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            blank(&mut out, i, (j + 1).min(b.len()));
            i = j + 1;
        } else if b[i] == b'\'' {
            // A character literal ('x', '\n', '\u{..}'), not a lifetime.
            let close = if b.get(i + 1) == Some(&b'\\') {
                b[i + 2..].iter().position(|&c| c == b'\'').map(|n| i + 2 + n)
            } else {
                src[i + 1..].chars().next().map(|c| i + 1 + c.len_utf8()).filter(|&j| b.get(j) == Some(&b'\''))
            };
            match close {
                Some(j) => {
                    blank(&mut out, i, j + 1);
                    i = j + 1;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn ident_byte(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// Paths of a use tree starting at `s` (after `crate::`, `super::` ...):
/// `a::b`, `a::{b, c::d}`, `a::b::*`, `{a, b}`.
fn use_tree(s: &str) -> (Vec<Vec<String>>, usize) {
    let b = s.as_bytes();
    let mut i = 0;
    let mut prefix = Vec::new();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'{' {
            i += 1;
            let mut all = Vec::new();
            loop {
                while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b',') {
                    i += 1;
                }
                if i >= b.len() || b[i] == b'}' {
                    return (
                        all.into_iter().map(|p: Vec<String>| prefix.iter().cloned().chain(p).collect()).collect(),
                        i + 1,
                    );
                }
                let (sub, used) = use_tree(&s[i..]);
                all.extend(if sub.is_empty() { vec![Vec::new()] } else { sub });
                i += used.max(1);
            }
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        if start == i {
            return (vec![prefix], i);
        }
        prefix.push(s[start..i].to_string());
        let rest = &s[i..];
        let trimmed = rest.trim_start();
        if let Some(after) = trimmed.strip_prefix("::") {
            i += rest.len() - after.len();
        } else {
            return (vec![prefix], i);
        }
    }
}

/// One crate's modules: path (`["lsp", "documents"]`) -> the module paths its
/// code names (resolved to existing modules, longest prefix).
fn module_graph(root: &Path) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    // Every module with the text that belongs to it.
    let mut texts: Vec<(Vec<String>, String)> = Vec::new();
    fn walk(file: &Path, path: Vec<String>, texts: &mut Vec<(Vec<String>, String)>) {
        let Ok(src) = std::fs::read_to_string(file) else { return };
        let code = code_only(&src);
        let dir = if file.file_name().is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs") {
            file.parent().unwrap().to_path_buf()
        } else {
            file.with_extension("")
        };
        // `mod name;` declarations at any depth of this file (inline modules
        // are split out below); `#[path]` is not used in this project.
        let mut declared = Vec::new();
        split_inline(&code, &path, texts, &mut declared);
        for inner_path in declared {
            let name = inner_path.last().unwrap();
            let candidates = [dir.join(format!("{name}.rs")), dir.join(name).join("mod.rs")];
            if let Some(f) = candidates.iter().find(|f| f.exists()) {
                walk(f, inner_path, texts);
            }
        }
    }
    walk(root, Vec::new(), &mut texts);
    let modules: BTreeSet<Vec<String>> = texts.iter().map(|(p, _)| p.clone()).collect();
    let resolve = |p: Vec<String>| -> Vec<String> {
        (0..=p.len()).rev().map(|n| p[..n].to_vec()).find(|q| modules.contains(q)).unwrap_or_default()
    };
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (path, text) in &texts {
        let uses = graph.entry(path.clone()).or_default();
        let b = text.as_bytes();
        for start in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let rest = &text[start..];
            let (base, skip): (Vec<String>, usize) = if rest.starts_with("crate::") {
                (Vec::new(), 7)
            } else if rest.starts_with("super::") {
                // `super::super::x` climbs once per `super`.
                let mut base = path.clone();
                let mut skip = 0;
                while text[start + skip..].starts_with("super::") {
                    base.pop();
                    skip += 7;
                }
                if start >= 7 && text[..start].ends_with("super::") {
                    continue;
                }
                (base, skip)
            } else if rest.starts_with("self::") {
                (path.clone(), 6)
            } else {
                continue;
            };
            if ident_byte(b, start) || (start >= 2 && &text[start - 2..start] == "::") {
                continue;
            }
            for p in use_tree(&text[start + skip..]).0 {
                let full: Vec<String> = base.iter().cloned().chain(p).filter(|s| s != "self").collect();
                uses.insert(resolve(full));
            }
        }
    }
    graph
}

/// Split a module's text into its own text and its inline modules (`mod x {
/// ... }`), recording both in `texts`; the modules declared `mod x;` go to
/// `declared`.
fn split_inline(code: &str, path: &[String], texts: &mut Vec<(Vec<String>, String)>, declared: &mut Vec<Vec<String>>) {
    let b = code.as_bytes();
    let mut own = String::new();
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        let is_mod =
            code[i..].starts_with("mod ") && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'));
        if !is_mod {
            i += 1;
            continue;
        }
        let name_start = i + 4;
        let name_len = code[name_start..].bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'_').count();
        let name = &code[name_start..name_start + name_len];
        let after = code[name_start + name_len..].trim_start();
        let mut inner_path = path.to_vec();
        inner_path.push(name.to_string());
        // Attributes just before the declaration (`#[cfg(test)]`).
        let line_start = code[..i].rfind('\n').map_or(0, |n| n + 1);
        let before = code[..line_start].trim_end();
        let attrs_start = before.rfind('\n').map_or(0, |n| n + 1);
        let is_test = before[attrs_start..].contains("cfg(test)");
        if after.starts_with(';') {
            if !is_test {
                declared.push(inner_path);
            }
            i = name_start + name_len;
        } else if after.starts_with('{') {
            let open = code.len() - after.len();
            let mut depth = 0;
            let mut end = code.len();
            for (j, c) in code[open..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = open + j + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            own.push_str(&code[last..i]);
            if !is_test {
                split_inline(&code[open + 1..end - 1], &inner_path, texts, declared);
            }
            last = end;
            i = end;
        } else {
            i = name_start + name_len;
        }
    }
    own.push_str(&code[last..]);
    texts.push((path.to_vec(), own));
}

/// A cycle among the children of one module, if any.
fn find_cycle(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<String> {
    // Edges between siblings: for a use from `a` to `b`, the children of their
    // common ancestor that contain each; parents and children are not edges.
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (from, tos) in graph {
        for to in tos {
            let common = from.iter().zip(to).take_while(|(x, y)| x == y).count();
            if common == from.len() || common == to.len() {
                continue;
            }
            edges.entry(from[..=common].to_vec()).or_default().insert(to[..=common].to_vec());
        }
    }
    let mut cycles = Vec::new();
    let mut state: BTreeMap<Vec<String>, u8> = BTreeMap::new();
    fn dfs(
        n: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
        cycles: &mut Vec<String>,
    ) {
        state.insert(n.clone(), 1);
        stack.push(n.clone());
        for m in edges.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(0) {
                0 => dfs(m, edges, state, stack, cycles),
                1 => {
                    let at = stack.iter().position(|s| s == m).unwrap();
                    let names: Vec<String> = stack[at..].iter().chain([m]).map(|p| p.join("::")).collect();
                    cycles.push(names.join(" -> "));
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.clone(), 2);
    }
    for n in edges.keys() {
        if state.get(n).copied().unwrap_or(0) == 0 {
            dfs(n, &edges, &mut state, &mut Vec::new(), &mut cycles);
        }
    }
    cycles
}

/// Cycles known and not yet broken, each with why. The test fails on any
/// other cycle, and when one of these is gone (remove it here then).
const KNOWN_CYCLES: &[(&str, &str)] = &[];

#[test]
fn no_import_cycle_between_modules() {
    let mut found = Vec::new();
    let mut modules = 0;
    for p in workspace() {
        for root in &p.src_roots {
            let graph = module_graph(root);
            modules += graph.len();
            for c in find_cycle(&graph) {
                found.push(format!("{}: {c}", p.name));
            }
        }
    }
    assert!(modules > 100, "the module walk found only {modules} modules");
    let new: Vec<&String> = found.iter().filter(|c| !KNOWN_CYCLES.iter().any(|(k, _)| k == c)).collect();
    assert!(
        new.is_empty(),
        "import cycles between modules:\n{}",
        new.iter().map(|c| c.as_str()).collect::<Vec<_>>().join("\n")
    );
    let gone: Vec<&str> = KNOWN_CYCLES.iter().map(|(k, _)| *k).filter(|k| !found.iter().any(|c| c == k)).collect();
    assert!(gone.is_empty(), "known cycles that are gone (remove them from KNOWN_CYCLES): {gone:?}");
}

#[test]
fn the_cycle_check_sees_cycles() {
    let dir = std::env::temp_dir().join(format!("berth-arch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("lsp")).unwrap();
    let w = |f: &str, t: &str| std::fs::write(dir.join(f), t).unwrap();
    w("lib.rs", "mod a;\nmod lsp;\n#[cfg(test)]\nmod tests { use crate::lsp::x; }\n");
    w("a.rs", "// crate::lsp in a comment\nconst S: &str = \"crate::lsp\";\n");
    w("lsp/mod.rs", "mod docs;\nmod diags;\npub use self::docs::D;\n");
    w("lsp/docs.rs", "use super::{diags::{self, X}};\n");
    w("lsp/diags.rs", "fn f() { crate::lsp::docs::D::new(); }\n");
    let graph = module_graph(&dir.join("lib.rs"));
    assert_eq!(graph.len(), 5, "{graph:?}");
    assert_eq!(find_cycle(&graph), ["lsp::diags -> lsp::docs -> lsp::diags"]);
    // Without the edge back, no cycle; comments, strings and tests do not count.
    w("lsp/diags.rs", "fn f() {}\n");
    assert!(find_cycle(&module_graph(&dir.join("lib.rs"))).is_empty());
    w("a.rs", "use crate::lsp;\n");
    w("lsp/diags.rs", "use crate::a::{self};\n");
    assert_eq!(find_cycle(&module_graph(&dir.join("lib.rs"))), ["a -> lsp -> a"]);
    let _ = std::fs::remove_dir_all(&dir);
}
