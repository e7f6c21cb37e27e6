//! ShellCheck inside RUN.
//!
//! berth hands the script of every shell-form RUN (and ONBUILD RUN, and heredoc
//! bodies run by a POSIX shell) to a `shellcheck` binary when one is available,
//! with the stage's SHELL as dialect and every ARG/ENV in scope exported
//! (so ShellCheck does not call them unassigned). Findings are mapped back to
//! their exact place in the Dockerfile through the script's logical text, across
//! continuation lines and heredocs.
//!
//! Scripts are deduplicated by content, checked in batches (one process per
//! batch, at most one process per core at a time), and each process has a
//! timeout. berth works the same without ShellCheck, minus these findings.
//!
//! ShellCheck's time grows faster than the script: a RUN script over
//! [`MAX_SCRIPT`] bytes, and the scripts of a file beyond [`MAX_FILE_RUNS`]
//! scripts or [`MAX_FILE_SCRIPTS`] bytes in all, are not given to it (with a
//! note), so that a huge generated Dockerfile cannot hold the run. `berth check` keeps ShellCheck's findings
//! in a persistent cache ([`cache`]): an unchanged script is never checked twice.

mod cache;
pub use cache::{Cache, default_dir as cache_dir};

use berth_rules::engine::{Diagnostic, Edit, Fix, Safety, Severity};
use berth_rules::model::{Model, automatic_args};
use berth_rules::shell::check_units;
use berth_rules::syntax::{Dockerfile, LogicalText};
use berth_rules::text::Span;
use rayon::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Codes hadolint also leaves out: directives that cannot be written in a Dockerfile.
const EXCLUDED: &str = "SC1090,SC1091,SC2187";
/// Scripts per ShellCheck process.
const BATCH: usize = 64;
/// Longest a ShellCheck process may run.
const TIMEOUT: Duration = Duration::from_secs(30);
/// Largest script given to ShellCheck (a 50 KB one takes it several seconds).
pub const MAX_SCRIPT: usize = 32 * 1024;
/// Most script bytes of one Dockerfile given to ShellCheck (the largest
/// Dockerfile of the real-world corpus is 20 KB).
pub const MAX_FILE_SCRIPTS: usize = 128 * 1024;
/// Most scripts of one Dockerfile given to ShellCheck (the corpus has at most 56 RUNs in a file).
pub const MAX_FILE_RUNS: usize = 256;

/// A usable ShellCheck binary.
#[derive(Debug, Clone)]
pub struct ShellCheck {
    pub path: PathBuf,
    /// What `shellcheck --version` printed (part of the cache key).
    pub version: String,
}

impl ShellCheck {
    /// `explicit` if given, else `shellcheck` on PATH; `None` when it does not run.
    pub fn find(explicit: Option<&Path>) -> Option<ShellCheck> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => which("shellcheck")?,
        };
        let out = Command::new(&path).arg("--version").stdin(Stdio::null()).output().ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        (out.status.success() && text.contains("ShellCheck"))
            .then(|| ShellCheck { path, version: text.trim().to_string() })
    }
}

fn which(name: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths).map(|d| d.join(name)).find(|p| p.is_file())
}

/// One script to check, tied to the file it came from.
struct Unit {
    file: usize,
    text: LogicalText,
    /// The whole script as given to ShellCheck (shebang and exports first).
    script: String,
    /// Lines added before the script text.
    prefix_lines: usize,
    key: u64,
}

/// A ShellCheck finding in script coordinates (1-based lines, 1-based character columns).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Finding {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    level: String,
    code: u32,
    message: String,
    replacements: Vec<(usize, usize, usize, usize, String)>,
}

/// The scripts of one Dockerfile, with their exports.
fn units_of(file_index: usize, file: &Dockerfile) -> Vec<Unit> {
    let model = Model::build_without_scripts(file);
    let mut out = Vec::new();
    for (idx, inst) in file.instructions.iter().enumerate() {
        let shell = &model.info[idx].shell;
        let units = check_units(inst, shell);
        if units.is_empty() {
            continue;
        }
        let in_scope = exported_names(&model, idx);
        for u in units {
            // Only the names the script mentions matter to ShellCheck; leaving the
            // others out lets identical scripts from different files share one check.
            let exports: Vec<&String> = in_scope.iter().filter(|n| mentions(&u.text.text, n)).collect();
            let mut script = format!("#!/bin/{}\n", u.dialect);
            let mut prefix_lines = 1;
            for name in &exports {
                script += &format!("export {name}=1\n");
                prefix_lines += 1;
            }
            script += &u.text.text;
            if !script.ends_with('\n') {
                script.push('\n');
            }
            let mut h = DefaultHasher::new();
            script.hash(&mut h);
            out.push(Unit { file: file_index, text: u.text, script, prefix_lines, key: h.finish() });
        }
    }
    out
}

/// True when `script` refers to `$name` or `${name...}`.
fn mentions(script: &str, name: &str) -> bool {
    script.match_indices(name).any(|(at, _)| {
        let before = &script[..at];
        let after = script[at + name.len()..].chars().next();
        let ends = !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        ends && (before.ends_with('$') || before.ends_with("${"))
    })
}

/// ARG/ENV names in scope at instruction `at` (the model's scope, as BuildKit
/// has it: global ARGs only where the stage declares them again, ARG and ENV
/// of the stages it is built `FROM`), plus BuildKit's automatic ARGs.
fn exported_names(model: &Model<'_>, at: usize) -> Vec<String> {
    let mut names: Vec<String> = automatic_args().map(str::to_string).collect();
    names.extend(model.names_in_scope(at).into_iter().map(str::to_string));
    let mut seen = HashSet::new();
    names.retain(|n| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && seen.insert(n.clone()));
    names
}

/// Run ShellCheck over the given Dockerfiles for `berth check`: returns
/// per-file diagnostics (not yet filtered by ignore comments), a list of
/// problems to report, and per file notes on the scripts not given to
/// ShellCheck. Findings of scripts already in `cache` are taken from it, and
/// what ShellCheck finds is added to it (and saved).
pub fn check_files_cached(sc: &ShellCheck, files: &[&Dockerfile], cache: &Cache) -> Checked {
    check(sc, files, &|| false, false, cache)
}

/// Per-file diagnostics, problems to report, and per-file notes.
pub type Checked = (Vec<Vec<Diagnostic>>, Vec<String>, Vec<Vec<String>>);

/// ShellCheck as background work for an editor: one thread, one ShellCheck
/// process at a time, and that process at a lower scheduling priority, so
/// that it never slows down the lint of the next keystroke. It gives up as
/// soon as `cancelled()` says so (the document changed): running processes
/// are killed, and the findings of the batches that did finish are returned.
pub fn check_files_in_background(
    sc: &ShellCheck,
    files: &[&Dockerfile],
    cancelled: &(dyn Fn() -> bool + Sync),
) -> (Vec<Vec<Diagnostic>>, Vec<String>) {
    let (per_file, problems, _) = check(sc, files, cancelled, true, &Cache::disabled());
    (per_file, problems)
}

/// Leave out the scripts ShellCheck would take too long on, with notes.
fn within_limits(units: Vec<Unit>, files: &[&Dockerfile], notes: &mut [Vec<String>]) -> Vec<Unit> {
    struct Budget {
        bytes: usize,
        scripts: usize,
        /// (line, bytes) of the scripts over [`MAX_SCRIPT`].
        huge: Vec<(usize, usize)>,
        /// How many scripts came after the budget ran out, and the first one's line.
        beyond: (usize, usize),
    }
    let mut budgets: Vec<Budget> = (0..files.len())
        .map(|_| Budget { bytes: MAX_FILE_SCRIPTS, scripts: MAX_FILE_RUNS, huge: Vec::new(), beyond: (0, 0) })
        .collect();
    let line = |u: &Unit| {
        let at = u.text.span(0, 0).start;
        files[u.file].text.get(..at).map_or(0, |t| t.matches('\n').count()) + 1
    };
    let kept = units
        .into_iter()
        .filter(|u| {
            let b = &mut budgets[u.file];
            let len = u.script.len();
            if len > MAX_SCRIPT {
                b.huge.push((line(u), len));
                false
            } else if len > b.bytes || b.scripts == 0 || b.beyond.0 > 0 {
                if b.beyond.0 == 0 {
                    b.beyond.1 = line(u);
                }
                b.beyond.0 += 1;
                false
            } else {
                b.bytes -= len;
                b.scripts -= 1;
                true
            }
        })
        .collect();
    for (b, out) in budgets.iter().zip(notes.iter_mut()) {
        for (line, len) in b.huge.iter().take(3) {
            out.push(format!(
                "the RUN script on line {line} ({len} bytes) is over {} KiB: not given to ShellCheck",
                MAX_SCRIPT / 1024
            ));
        }
        if b.huge.len() > 3 {
            out.push(format!(
                "{} more RUN scripts over {} KiB: not given to ShellCheck",
                b.huge.len() - 3,
                MAX_SCRIPT / 1024
            ));
        }
        if b.beyond.0 > 0 {
            out.push(format!(
                "{} RUN script{} from line {} on: beyond the {} scripts or {} KiB checked per file, not given to ShellCheck",
                b.beyond.0,
                if b.beyond.0 == 1 { "" } else { "s" },
                b.beyond.1,
                MAX_FILE_RUNS,
                MAX_FILE_SCRIPTS / 1024
            ));
        }
    }
    kept
}

fn check(
    sc: &ShellCheck,
    files: &[&Dockerfile],
    cancelled: &(dyn Fn() -> bool + Sync),
    background: bool,
    cache: &Cache,
) -> Checked {
    let units: Vec<Unit> = if background {
        files.iter().enumerate().flat_map(|(i, f)| units_of(i, f)).collect()
    } else {
        files.par_iter().enumerate().flat_map_iter(|(i, f)| units_of(i, f)).collect()
    };
    let mut notes = vec![Vec::new(); files.len()];
    let units = within_limits(units, files, &mut notes);
    let mut unique: HashMap<u64, &str> = HashMap::new();
    for u in &units {
        unique.entry(u.key).or_insert(&u.script);
    }
    // Scripts whose findings the cache holds are not checked again.
    let mut cached: HashMap<u64, Vec<Finding>> = HashMap::new();
    let mut cache_keys: HashMap<u64, u128> = HashMap::new();
    unique.retain(|k, script| {
        let ck = cache.key(EXCLUDED, script);
        cache_keys.insert(*k, ck);
        match cache.get(ck) {
            Some(f) => {
                cached.insert(*k, f);
                false
            }
            None => true,
        }
    });
    let mut scripts: Vec<(u64, &str)> = unique.into_iter().collect();
    scripts.sort_by_key(|(k, _)| *k);
    let problems = Mutex::new(Vec::new());
    let batch = |(n, chunk): (usize, &[(u64, &str)])| match run_batch(sc, n, chunk, cancelled, background) {
        Ok(r) => r,
        Err(e) => {
            problems.lock().unwrap_or_else(|p| p.into_inner()).push(e);
            Vec::new()
        }
    };
    let mut results: HashMap<u64, Vec<Finding>> = if background {
        scripts.chunks(BATCH).enumerate().flat_map(batch).collect()
    } else {
        scripts.par_chunks(BATCH).enumerate().flat_map_iter(batch).collect()
    };
    if !cancelled() {
        for (k, f) in &results {
            if let Some(ck) = cache_keys.get(k) {
                cache.put(*ck, f.clone());
            }
        }
        if let Err(e) = cache.save() {
            problems.lock().unwrap_or_else(|p| p.into_inner()).push(format!("shellcheck cache: {e}"));
        }
    }
    results.extend(cached);
    let mut per_file: Vec<Vec<Diagnostic>> = vec![Vec::new(); files.len()];
    for u in &units {
        let Some(findings) = results.get(&u.key) else { continue };
        for f in findings {
            if let Some(d) = to_diagnostic(u, f) {
                per_file[u.file].push(d);
            }
        }
    }
    (per_file, problems.into_inner().unwrap_or_default(), notes)
}

fn run_batch(
    sc: &ShellCheck,
    n: usize,
    chunk: &[(u64, &str)],
    cancelled: &(dyn Fn() -> bool + Sync),
    background: bool,
) -> Result<Vec<(u64, Vec<Finding>)>, String> {
    if cancelled() {
        return Ok(Vec::new());
    }
    // Unique per call too: the language server runs checks for several documents.
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("berth-shellcheck-{}-{call}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("shellcheck: cannot create {}: {e}", dir.display()))?;
    let cleanup = Cleanup(dir.clone());
    let mut names = HashMap::new();
    let mut cmd = Command::new(&sc.path);
    cmd.args(["--format=json1", "--exclude", EXCLUDED, "--norc"]);
    for (key, script) in chunk {
        let name = format!("{key:016x}.sh");
        std::fs::write(dir.join(&name), script).map_err(|e| format!("shellcheck: cannot write a script: {e}"))?;
        cmd.arg(&name);
        names.insert(name, *key);
    }
    cmd.current_dir(&dir).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null());
    if background {
        lower_priority(&mut cmd);
    }
    let output = run_with_timeout(cmd, TIMEOUT, cancelled)?;
    drop(cleanup);
    let v: serde_json::Value = serde_json::from_slice(&output)
        .map_err(|e| format!("shellcheck: unreadable output ({e}); is it ShellCheck 0.7 or newer?"))?;
    let mut by_key: HashMap<u64, Vec<Finding>> = chunk.iter().map(|(k, _)| (*k, Vec::new())).collect();
    for c in v["comments"].as_array().into_iter().flatten() {
        let Some(key) = c["file"].as_str().and_then(|f| names.get(f)) else { continue };
        let num = |k: &str| c[k].as_u64().unwrap_or(0) as usize;
        let replacements = c["fix"]["replacements"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                let n = |k: &str| r[k].as_u64().unwrap_or(0) as usize;
                (
                    n("line"),
                    n("column"),
                    n("endLine"),
                    n("endColumn"),
                    r["replacement"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        by_key.entry(*key).or_default().push(Finding {
            line: num("line"),
            column: num("column"),
            end_line: num("endLine"),
            end_column: num("endColumn"),
            level: c["level"].as_str().unwrap_or("warning").to_string(),
            code: c["code"].as_u64().unwrap_or(0) as u32,
            message: c["message"].as_str().unwrap_or("").to_string(),
            replacements,
        });
    }
    Ok(by_key.into_iter().collect())
}

/// Start the process at a lower scheduling priority (nice 10), as background
/// work should be.
#[cfg(unix)]
fn lower_priority(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the child between fork and exec and only
    // makes one system call (async-signal-safe); its result is ignored, so a
    // refusal just leaves the priority as it was.
    unsafe {
        cmd.pre_exec(|| {
            libc::setpriority(libc::PRIO_PROCESS, 0, 10);
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn lower_priority(_cmd: &mut Command) {}

struct Cleanup(PathBuf);
impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Run a command, reading its standard output, and kill it after `limit`.
fn run_with_timeout(mut cmd: Command, limit: Duration, cancelled: &dyn Fn() -> bool) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut child = cmd.spawn().map_err(|e| format!("shellcheck: cannot start: {e}"))?;
    let mut stdout = child.stdout.take().ok_or("shellcheck: no output pipe")?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "shellcheck: stopped after {} s; the findings of some RUN scripts are missing",
                    limit.as_secs()
                ));
            }
            Ok(None) if cancelled() => {
                let _ = child.kill();
                let _ = child.wait();
                // No findings from a cancelled batch.
                return Ok(br#"{"comments":[]}"#.to_vec());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => return Err(format!("shellcheck: {e}")),
        }
    }
    reader.join().map_err(|_| "shellcheck: output reader failed".to_string())
}

/// Byte offset in the script text of a 1-based line and character column of
/// the script ShellCheck saw; `None` inside the added prefix.
fn offset(unit: &Unit, line: usize, column: usize) -> Option<usize> {
    let line = line.checked_sub(unit.prefix_lines + 1)?;
    let text = &unit.text.text;
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n')? + 1;
    }
    let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
    let col = column.saturating_sub(1);
    Some(text[start..end].char_indices().nth(col).map_or(end, |(i, _)| start + i))
}

fn to_diagnostic(unit: &Unit, f: &Finding) -> Option<Diagnostic> {
    let start = offset(unit, f.line, f.column)?;
    let end = offset(unit, f.end_line, f.end_column).unwrap_or(start).max(start);
    let span: Span = unit.text.span(start, end);
    let severity = match f.level.as_str() {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        _ => Severity::Style,
    };
    let code = intern(format!("SC{}", f.code));
    let mut d = Diagnostic {
        code,
        name: "shellcheck",
        severity,
        message: f.message.clone(),
        span,
        fix: None,
        related: Vec::new(),
    };
    let edits: Option<Vec<Edit>> = f
        .replacements
        .iter()
        .map(|(l, c, el, ec, text)| {
            let s = offset(unit, *l, *c)?;
            let e = offset(unit, *el, *ec)?.max(s);
            // An edit may not cross a continuation line break of the Dockerfile.
            let span = unit.text.span(s, e);
            (span.len() == e - s).then(|| Edit { span, new_text: text.clone() })
        })
        .collect();
    if let Some(edits) = edits.filter(|e| !e.is_empty()) {
        // ShellCheck's fixes change quoting or expansion: never applied without asking.
        d.fix = Some(Fix { title: format!("Apply ShellCheck's fix for SC{}", f.code), safety: Safety::Unsafe, edits });
    }
    Some(d)
}

/// ShellCheck codes as `&'static str`: each distinct code is stored once.
fn intern(code: String) -> &'static str {
    static CODES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let mut guard = CODES.lock().unwrap_or_else(|p| p.into_inner());
    let set = guard.get_or_insert_with(HashSet::new);
    if let Some(c) = set.get(code.as_str()) {
        return c;
    }
    let leaked: &'static str = Box::leak(code.into_boxed_str());
    set.insert(leaked);
    leaked
}
