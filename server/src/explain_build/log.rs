//! Reading a failed build's output: BuildKit (`docker build`, `docker buildx
//! build`) in its plain, tty and `rawjson` progress modes, and buildah or
//! podman (`STEP n/m:`, `Error: building at STEP "...":`).
//!
//! The formats, as their printers write them:
//! - BuildKit plain (`util/progress/progressui/printer.go`): `#N name` when a
//!   vertex starts, `#N 0.123 text` for its output (seconds since it started),
//!   `#N DONE 0.1s`, `#N CACHED`, `#N ERROR: message`. A Dockerfile step's
//!   name is `[stage k/m] INSTRUCTION args` (`dockerfile2llb`: the stage name,
//!   `stage-N` for an unnamed stage of a multi-stage build, nothing for a
//!   single stage; a platform first when several are built). The end of the
//!   output repeats the failing step's last lines between `------` rulers
//!   (` > [2/3] RUN ...:`), an excerpt of the Dockerfile (`Dockerfile:12`,
//!   the failing lines marked `>>>`) and `ERROR: failed to solve: ...`
//!   (newer clients: `ERROR: failed to build: failed to solve: ...`).
//! - BuildKit tty: ` => [stage 2/5] RUN ... 1.2s`, ` => ERROR [2/5] ...`,
//!   ` => => # output`, with ANSI escapes; the summary is as in plain.
//! - BuildKit rawjson: one `SolveStatus` JSON object per line, `vertexes`
//!   (`digest`, `name`, `error`) and `logs` (`vertex`, base64 `data`).
//! - buildah/podman: `[i/n] STEP k/m: INSTRUCTION` (the stage prefix only in
//!   multi-stage builds), the step's output, `Error: building at STEP
//!   "INSTRUCTION": message`.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Builder {
    Buildkit,
    Buildah,
    Unknown,
}

/// One build step as the log names it.
#[derive(Debug, Clone, Default)]
pub struct Step {
    /// BuildKit's vertex id (`#5`) or digest; buildah's step number.
    pub id: String,
    /// BuildKit: the stage name (`builder`, `stage-1`); buildah: none.
    pub stage: Option<String>,
    /// buildah: the 1-based stage number of `[i/n]`.
    pub stage_number: Option<usize>,
    /// `k/m` in the stage.
    pub index: Option<(usize, usize)>,
    /// The instruction as the log shows it: `RUN make all`.
    pub instruction: String,
    /// The step's output lines, prefixes and timestamps removed.
    pub output: Vec<String>,
    /// The error the builder reported for this step.
    pub error: Option<String>,
}

#[derive(Debug, Default)]
pub struct BuildLog {
    pub builder: Option<Builder>,
    pub steps: Vec<Step>,
    /// Index in `steps` of the step that failed.
    pub failed: Option<usize>,
    /// The final error (`failed to solve: ...`, `building at STEP ...: ...`).
    pub error: Option<String>,
    /// The Dockerfile named in the log (`load build definition from X`, or
    /// the file of the `X:LINE` excerpt).
    pub dockerfile: Option<String>,
    /// 1-based lines the excerpt marks with `>>>`.
    pub marked_lines: Vec<usize>,
    /// Every line of the log, cleaned (for the lines quoted in a diagnosis).
    pub lines: Vec<String>,
}

impl BuildLog {
    pub fn failed_step(&self) -> Option<&Step> {
        self.failed.and_then(|i| self.steps.get(i))
    }

    /// The exit code of the failing command, when the log says it.
    pub fn exit_code(&self) -> Option<i32> {
        let mut texts: Vec<&str> = Vec::new();
        if let Some(s) = self.failed_step() {
            texts.extend(s.error.as_deref());
            texts.extend(s.output.iter().rev().take(5).map(String::as_str));
        }
        texts.extend(self.error.as_deref());
        for t in texts {
            for marker in ["exit code: ", "exit status ", "exited with status "] {
                if let Some(p) = t.rfind(marker) {
                    let digits: String = t[p + marker.len()..].chars().take_while(|c| c.is_ascii_digit()).collect();
                    if let Ok(n) = digits.parse() {
                        return Some(n);
                    }
                }
            }
        }
        None
    }

    /// The text searched for causes: the failing step's output and error, then the final error.
    pub fn failure_text(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        if let Some(s) = self.failed_step() {
            v.extend(s.output.iter().map(String::as_str));
            v.extend(s.error.as_deref());
        }
        v.extend(self.error.as_deref());
        if v.is_empty() {
            // No step or final error recognised: search the whole log.
            v.extend(self.lines.iter().map(String::as_str));
        }
        v
    }
}

/// Remove ANSI escape sequences, and keep what a terminal shows after the last carriage return.
pub fn clean_line(line: &str) -> String {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let line = match line.rfind('\r') {
        Some(p) => &line[p + 1..],
        None => line,
    };
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            match chars.peek() {
                Some('[') => {
                    chars.next();
                    // Parameters, then one final byte in @..~.
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                Some(']') => {
                    // OSC: up to BEL or ESC \.
                    for c in chars.by_ref() {
                        if c == '\u{7}' || c == '\\' {
                            break;
                        }
                    }
                }
                _ => {
                    chars.next();
                }
            }
            continue;
        }
        if c.is_control() && c != '\t' {
            continue;
        }
        out.push(c);
    }
    out
}

pub fn parse(text: &str) -> BuildLog {
    let lines: Vec<String> = text.lines().map(clean_line).collect();
    let mut log = BuildLog::default();
    let json_lines = lines.iter().filter(|l| l.trim_start().starts_with("{\"")).count();
    if json_lines > 0 && json_lines * 2 >= lines.iter().filter(|l| !l.trim().is_empty()).count() {
        parse_rawjson(&lines, &mut log);
    } else if lines.iter().any(|l| buildah_step(l).is_some()) {
        parse_buildah(&lines, &mut log);
    } else {
        parse_buildkit(&lines, &mut log);
    }
    log.lines = lines;
    if log.builder.is_none() {
        log.builder = Some(Builder::Unknown);
    }
    log
}

/// A step's stage, `k/m` and instruction.
type Named = (Option<String>, Option<(usize, usize)>, String);

/// `[builder 2/5] RUN make` → (stage, index, instruction).
fn bracket_name(name: &str) -> Option<Named> {
    let rest = name.strip_prefix('[')?;
    let close = rest.find(']')?;
    let inside = &rest[..close];
    let instruction = rest[close + 1..].trim().to_string();
    let words: Vec<&str> = inside.split_whitespace().collect();
    let index = words.last().and_then(|w| {
        let (a, b) = w.split_once('/')?;
        Some((a.parse().ok()?, b.parse().ok()?))
    });
    // `[internal]`, `[auth]`, `[context builder]`: not a Dockerfile step.
    index?;
    // Before `k/m`: an optional platform (`linux/amd64`), then the stage name.
    let stage = words[..words.len() - 1].iter().rev().find(|w| !w.contains('/')).map(|s| s.to_string());
    Some((stage, index, instruction))
}

fn set_dockerfile_from_load(log: &mut BuildLog, name: &str) {
    // `[internal] load build definition from Dockerfile.dev`
    if let Some(p) = name.find("load build definition from ") {
        let f = name[p + "load build definition from ".len()..].trim();
        if !f.is_empty() && log.dockerfile.is_none() {
            log.dockerfile = Some(f.to_string());
        }
    }
}

/// Strip `0.123 ` (seconds since the vertex started) from an output line.
fn strip_timestamp(s: &str) -> &str {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i > 0 && i < b.len() && b[i] == b'.' {
        let mut j = i + 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > i + 1 && (j == b.len() || b[j] == b' ') {
            return s[(j + 1).min(s.len())..].trim_end();
        }
    }
    s
}

fn step_by_id(log: &mut BuildLog, id: &str) -> Option<usize> {
    log.steps.iter().position(|s| s.id == id)
}

fn parse_buildkit(lines: &[String], log: &mut BuildLog) {
    // Vertex ids that are not Dockerfile steps (`[internal] ...`), to skip their output.
    let mut in_summary = false;
    let mut summary_step: Option<usize> = None;
    let mut in_excerpt = false;
    let mut excerpt_file: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let t = line.trim_end();
        i += 1;
        // Plain progress: `#N ...`.
        if let Some(rest) = t.strip_prefix('#')
            && let Some((num, body)) = rest.split_once(' ')
            && !num.is_empty()
            && num.bytes().all(|b| b.is_ascii_digit())
        {
            log.builder = Some(Builder::Buildkit);
            let id = format!("#{num}");
            if body.starts_with('[') {
                set_dockerfile_from_load(log, body);
                if let Some((stage, index, instruction)) = bracket_name(body)
                    && step_by_id(log, &id).is_none()
                {
                    log.steps.push(Step { id, stage, stage_number: None, index, instruction, ..Default::default() });
                }
                continue;
            }
            let Some(k) = step_by_id(log, &id) else { continue };
            if let Some(err) = body.strip_prefix("ERROR: ").or_else(|| body.strip_prefix("ERROR ")) {
                log.steps[k].error = Some(err.to_string());
                if log.failed.is_none() {
                    log.failed = Some(k);
                }
            } else if body == "CANCELED" || body == "CACHED" || body.starts_with("DONE ") || body.starts_with("sha256:")
            {
            } else {
                log.steps[k].output.push(strip_timestamp(body).to_string());
            }
            continue;
        }
        // tty progress: ` => [2/5] RUN ...  1.2s`, ` => ERROR [2/5] ...`, ` => => # output`.
        let trimmed = t.trim_start();
        if let Some(rest) = trimmed.strip_prefix("=> ") {
            log.builder = Some(Builder::Buildkit);
            if let Some(out) = rest.strip_prefix("=> # ") {
                if let Some(last) = log.steps.last_mut() {
                    last.output.push(out.to_string());
                }
                continue;
            }
            let (failed, rest) = match rest.strip_prefix("ERROR ") {
                Some(r) => (true, r),
                None => {
                    (false, rest.strip_prefix("CACHED ").or_else(|| rest.strip_prefix("CANCELED ")).unwrap_or(rest))
                }
            };
            // Drop the trailing duration `   1.2s`.
            let rest = strip_duration(rest);
            set_dockerfile_from_load(log, rest);
            if let Some((stage, index, instruction)) = bracket_name(rest) {
                let id = format!("{}{:?}{}", stage.as_deref().unwrap_or(""), index, instruction);
                let k = match step_by_id(log, &id) {
                    Some(k) => k,
                    None => {
                        log.steps.push(Step {
                            id,
                            stage,
                            stage_number: None,
                            index,
                            instruction,
                            ..Default::default()
                        });
                        log.steps.len() - 1
                    }
                };
                if failed && log.failed.is_none() {
                    log.failed = Some(k);
                }
            }
            continue;
        }
        // The summary: `------`, ` > [2/3] RUN ...:`, output lines, `------`.
        if t == "------" {
            in_summary = !in_summary && lines.get(i).is_some_and(|l| l.starts_with(" > ") || l.trim().is_empty());
            if !in_summary {
                summary_step = None;
            }
            continue;
        }
        if in_summary {
            if let Some(name) = t.strip_prefix(" > ") {
                let name = name.strip_suffix(':').unwrap_or(name);
                if let Some((stage, index, instruction)) = bracket_name(name) {
                    let k = log
                        .steps
                        .iter()
                        .position(|s| s.stage == stage && s.index == index && s.instruction == instruction)
                        .unwrap_or_else(|| {
                            log.steps.push(Step {
                                id: format!("summary {name}"),
                                stage,
                                index,
                                instruction,
                                ..Default::default()
                            });
                            log.steps.len() - 1
                        });
                    // The summary names the step that failed the build.
                    log.failed = Some(k);
                    summary_step = Some(k);
                }
            } else if let Some(k) = summary_step {
                let out = strip_timestamp(t).to_string();
                if !log.steps[k].output.contains(&out) {
                    log.steps[k].output.push(out);
                }
            }
            continue;
        }
        // The excerpt: `Dockerfile:12`, a ruler of dashes, `  12 | >>> RUN ...`.
        if !in_excerpt
            && let Some((file, n)) = t.rsplit_once(':')
            && !file.is_empty()
            && !file.contains(' ')
            && n.parse::<usize>().is_ok()
            && lines.get(i).is_some_and(|l| l.starts_with("-----"))
        {
            excerpt_file = Some(file.to_string());
            in_excerpt = true;
            i += 1;
            continue;
        }
        if in_excerpt {
            if t.starts_with("-----") {
                in_excerpt = false;
                continue;
            }
            if let Some((num, text)) = t.split_once(" | ")
                && let Ok(n) = num.trim().parse::<usize>()
                && text.starts_with(">>>")
            {
                log.marked_lines.push(n);
            }
            continue;
        }
        if let Some(p) = t.find("ERROR: failed to ").or_else(|| t.find("error: failed to ")) {
            let msg = &t[p + "ERROR: ".len()..];
            let msg = msg.strip_prefix("failed to build: ").unwrap_or(msg);
            log.error = Some(msg.to_string());
            log.builder.get_or_insert(Builder::Buildkit);
        } else if log.error.is_none()
            && let Some(msg) = t.strip_prefix("ERROR: ")
        {
            log.error = Some(msg.to_string());
        }
    }
    if let Some(f) = excerpt_file {
        log.dockerfile.get_or_insert(f);
    }
}

fn strip_duration(s: &str) -> &str {
    let t = s.trim_end();
    if let Some(p) = t.rfind(char::is_whitespace) {
        let last = &t[p + 1..];
        if let Some(num) = last.strip_suffix('s')
            && !num.is_empty()
            && num.chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            return t[..p].trim_end();
        }
    }
    t
}

fn parse_rawjson(lines: &[String], log: &mut BuildLog) {
    log.builder = Some(Builder::Buildkit);
    let mut partial: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for line in lines {
        let Ok(v) = serde_json::from_str::<Value>(line.trim()) else { continue };
        for vx in v.get("vertexes").and_then(Value::as_array).into_iter().flatten() {
            let digest = vx.get("digest").and_then(Value::as_str).unwrap_or_default().to_string();
            let name = vx.get("name").and_then(Value::as_str).unwrap_or_default();
            set_dockerfile_from_load(log, name);
            let error = vx.get("error").and_then(Value::as_str).filter(|e| !e.is_empty()).map(str::to_string);
            let k = match step_by_id(log, &digest) {
                Some(k) => k,
                None => {
                    let Some((stage, index, instruction)) = bracket_name(name) else { continue };
                    log.steps.push(Step { id: digest, stage, index, instruction, ..Default::default() });
                    log.steps.len() - 1
                }
            };
            if let Some(e) = error {
                if e.contains("context canceled") && log.failed.is_some() {
                    continue;
                }
                log.steps[k].error = Some(e.clone());
                if log.failed.is_none() {
                    log.failed = Some(k);
                    log.error = Some(e);
                }
            }
        }
        for entry in v.get("logs").and_then(Value::as_array).into_iter().flatten() {
            let vertex = entry.get("vertex").and_then(Value::as_str).unwrap_or_default();
            let Some(data) = entry.get("data").and_then(Value::as_str).and_then(base64_decode) else { continue };
            let text = String::from_utf8_lossy(&data).into_owned();
            let buf = partial.entry(vertex.to_string()).or_default();
            buf.push_str(&text);
            let Some(k) = step_by_id(log, vertex) else { continue };
            while let Some(p) = buf.find('\n') {
                let l = clean_line(&buf[..p]);
                log.steps[k].output.push(l);
                buf.drain(..=p);
            }
        }
    }
    for (vertex, rest) in partial {
        if let Some(k) = step_by_id(log, &vertex)
            && !rest.trim().is_empty()
        {
            log.steps[k].output.push(clean_line(&rest));
        }
    }
}

/// `[2/3] STEP 4/5: RUN make` → (stage number, k, m, instruction).
fn buildah_step(line: &str) -> Option<(Option<usize>, usize, usize, &str)> {
    let (stage, rest) = match line.strip_prefix('[') {
        Some(r) => {
            let (inside, rest) = r.split_once("] ")?;
            let (a, _) = inside.split_once('/')?;
            (Some(a.parse().ok()?), rest)
        }
        None => (None, line),
    };
    let rest = rest.strip_prefix("STEP ")?;
    let (nums, instruction) = rest.split_once(": ")?;
    let (k, m) = nums.split_once('/')?;
    Some((stage, k.parse().ok()?, m.parse().ok()?, instruction))
}

fn parse_buildah(lines: &[String], log: &mut BuildLog) {
    log.builder = Some(Builder::Buildah);
    const NOISE: [&str; 7] = [
        "Getting image source signatures",
        "Copying blob ",
        "Copying config ",
        "Writing manifest to image destination",
        "Storing signatures",
        "--> ",
        "COMMIT",
    ];
    for line in lines {
        if let Some((stage, k, m, instruction)) = buildah_step(line) {
            log.steps.push(Step {
                id: format!("STEP {k}/{m}"),
                stage: None,
                stage_number: stage,
                index: Some((k, m)),
                instruction: instruction.to_string(),
                ..Default::default()
            });
            continue;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(p) = lower.find("building at step \"") {
            // `Error: building at STEP "RUN false": exit status 1`
            let rest = &line[p + "building at step \"".len()..];
            let (instruction, msg) = match rest.find("\": ") {
                Some(q) => (&rest[..q], &rest[q + 3..]),
                None => (rest.trim_end_matches('"'), ""),
            };
            log.error = Some(msg.to_string());
            let k = log.steps.iter().rposition(|s| s.instruction == instruction).or(log.steps.len().checked_sub(1));
            if let Some(k) = k {
                log.steps[k].error = Some(msg.to_string());
                log.failed = Some(k);
            }
            continue;
        }
        if NOISE.iter().any(|n| line.starts_with(n)) {
            continue;
        }
        if let Some(last) = log.steps.last_mut() {
            last.output.push(line.clone());
        } else if line.starts_with("Error: ") || line.starts_with("error ") {
            log.error.get_or_insert_with(|| line.trim_start_matches("Error: ").to_string());
        }
    }
}

/// Standard base64 (with or without padding), as Go's `encoding/json` writes `[]byte`.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b'\n' | b'\r' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(base64_decode("aGVsbG8gd29ybGQK").unwrap(), b"hello world\n");
        assert_eq!(base64_decode("YQ==").unwrap(), b"a");
        assert!(base64_decode("a b").is_none());
    }

    #[test]
    fn clean_ansi_and_carriage_returns() {
        assert_eq!(clean_line("\u{1b}[32m => [2/3] RUN x\u{1b}[0m"), " => [2/3] RUN x");
        assert_eq!(clean_line("old\rnew"), "new");
    }

    #[test]
    fn bracket_names() {
        assert_eq!(
            bracket_name("[builder 2/5] RUN make"),
            Some((Some("builder".into()), Some((2, 5)), "RUN make".into()))
        );
        assert_eq!(bracket_name("[2/5] COPY . ."), Some((None, Some((2, 5)), "COPY . .".into())));
        assert_eq!(
            bracket_name("[linux/arm64 stage-1 3/4] RUN x"),
            Some((Some("stage-1".into()), Some((3, 4)), "RUN x".into()))
        );
        assert_eq!(bracket_name("[internal] load build definition from Dockerfile"), None);
    }

    #[test]
    fn timestamps_and_durations() {
        assert_eq!(strip_timestamp("0.512 E: Unable to locate package foo"), "E: Unable to locate package foo");
        assert_eq!(strip_timestamp("12 apples"), "12 apples");
        assert_eq!(strip_duration("[2/3] RUN make            12.3s"), "[2/3] RUN make");
    }
}
