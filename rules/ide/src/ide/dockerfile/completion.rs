//! Completion: keywords, flags and their values, stages, variables, comments.

use crate::ide::{Completion, CompletionKind, clamp_offset};
use crate::model::{Base, VarKind, automatic_args};
use crate::syntax::words;
use crate::syntax::{Instruction, Keyword};
use crate::text::Span;

// The flag table the BD2xxx rules use.
use crate::rules::dockerfile::instruction_spec::{self, FlagSpec, FlagValue};

use super::{analysis::*, hover::*};

// ---------------------------------------------------------------------------
// Completion
// ---------------------------------------------------------------------------

pub(super) fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Start of the whitespace-delimited word that ends at `off` (within `line_start..`).
pub(super) fn word_start(text: &str, line_start: usize, off: usize) -> usize {
    let before = &text[line_start..off];
    line_start
        + before.rfind(char::is_whitespace).map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8))
}

/// End of the run of characters from `off` for which `keep` holds (stops at line ends).
pub(super) fn run_end(text: &str, off: usize, keep: impl Fn(char) -> bool) -> usize {
    off + text[off..].find(|c: char| c == '\n' || c == '\r' || !keep(c)).unwrap_or(text.len() - off)
}

impl Analysis {
    /// Completions at `offset`, most relevant first (a front end keeps this
    /// order, e.g. with an index as sort text):
    ///
    /// - instruction keywords (as snippets) at the start of a line, and after ONBUILD;
    /// - the flags of the instruction (`--mount`, `--from`, ...) while in
    ///   flag position, and their values (`--mount=type=` → mount types and
    ///   then the type's keys, `--network=`, `--security=`, `--platform=`,
    ///   `--chmod=`, booleans, durations);
    /// - stage names after `FROM `, `--from=` and `from=` (earlier stages only);
    /// - `AS` after a FROM image; `CMD`/`NONE` after HEALTHCHECK's flags;
    /// - variables after `$` or inside `${`: the ARG/ENV in scope at that
    ///   point, then BuildKit's predefined ARGs;
    /// - parser directives (`syntax=`, `escape=`, `check=`) in the header,
    ///   rule codes in `# hadolint ignore=` / `# berth ignore=` and check names
    ///   in `check=skip=`.
    pub fn completion(&self, offset: usize) -> Vec<Completion> {
        let text = self.text();
        let off = clamp_offset(text, offset);
        let line = self.file.lines.line_of(off);
        let ls = self.file.lines.line_start(line).min(off);
        let before = &text[ls..off];

        let inst_idx = self.instruction_at(off).or_else(|| self.continued_instruction(off));
        if let Some(idx) = inst_idx {
            let inst = &self.file.instructions[idx];
            if self.in_heredoc_body(inst, off) {
                return self.var_completions(idx, off).unwrap_or_default();
            }
        }
        if before.trim_start().starts_with('#') {
            return self.comment_completions(line, ls, off);
        }
        let Some(idx) = inst_idx else {
            // A blank line (any text would have made an instruction).
            return self.keyword_completions(Span::empty(off), false, self.before_first_from(off));
        };
        let mut inst = &self.file.instructions[idx];
        let on_line = |s: Span| s.start >= ls;
        if touches(inst.keyword_span, off) && on_line(inst.keyword_span) {
            return self.keyword_completions(inst.keyword_span, false, self.before_first_from(off));
        }
        // ONBUILD: the trigger's keyword, then the trigger itself.
        while inst.keyword == Keyword::Onbuild {
            match inst.trigger.as_deref() {
                Some(t) if off <= t.keyword_span.end => {
                    let span = if off >= t.keyword_span.start { t.keyword_span } else { Span::empty(off) };
                    return self.keyword_completions(span, true, false);
                }
                Some(t) => inst = t,
                None => return self.keyword_completions(Span::empty(off), true, false),
            }
        }
        if let Some(v) = self.var_completions(idx, off) {
            return v;
        }
        let ws = word_start(text, ls, off);
        let we = run_end(text, off, |c| !c.is_whitespace());
        let prefix = &text[ws..off];
        // Words of the instruction before this one.
        let words = words::split_words(&inst.args, inst.escape);
        let earlier: Vec<_> = words.iter().filter(|w| w.span.end <= ws).collect();
        let flag_position = earlier.iter().all(|w| w.raw.starts_with("--") && w.raw != "--");
        if flag_position && prefix.starts_with('-') {
            return match prefix.find('=') {
                None => self.flag_name_completions(inst, Span::new(ws, we)),
                Some(eq) => self.flag_value_completions(idx, inst, &prefix[2.min(eq)..eq], ws + eq + 1, off, we),
            };
        }
        let non_flags = earlier.iter().filter(|w| !w.raw.starts_with("--")).count();
        let replace = Span::new(ws, we);
        match inst.keyword {
            Keyword::From if non_flags == 0 => {
                let here = self.inst_stage.get(idx).copied().flatten().unwrap_or(self.stages.len());
                let mut v = self.stage_completions(here, replace);
                v.push(
                    Completion::new("scratch", CompletionKind::Keyword)
                        .detail("an empty base image")
                        .docs("Start from an empty image (for static binaries).")
                        .replace(replace),
                );
                v
            }
            Keyword::From if non_flags == 1 => {
                vec![
                    Completion::new("AS", CompletionKind::Keyword)
                        .detail("name this stage")
                        .snippet("AS ${1:name}")
                        .replace(replace),
                ]
            }
            Keyword::Healthcheck if non_flags == 0 => vec![
                Completion::new("CMD", CompletionKind::Keyword)
                    .detail("the command that checks the container")
                    .snippet("CMD ${1:command}")
                    .replace(replace),
                Completion::new("NONE", CompletionKind::Keyword)
                    .detail("disable the base image's health check")
                    .replace(replace),
            ],
            _ => Vec::new(),
        }
    }

    pub(super) fn before_first_from(&self, off: usize) -> bool {
        !self.file.instructions.iter().any(|i| i.keyword == Keyword::From && i.span.start < off)
    }

    /// An instruction whose last line ends with the escape character and
    /// that only blank lines separate from `off`.
    pub(super) fn continued_instruction(&self, off: usize) -> Option<usize> {
        let insts = &self.file.instructions;
        let i = insts.partition_point(|i| i.span.start <= off).checked_sub(1)?;
        let inst = &insts[i];
        if inst.span.end > off || !crate::ide::heredocs(inst).is_empty() {
            return None;
        }
        let text = self.text();
        let last_line = self.file.lines.line_start(self.file.lines.line_of(inst.span.end));
        let last = text.get(last_line..inst.span.end)?;
        let between = text.get(inst.span.end..off)?;
        let continued = crate::syntax::dockerfile::split_continuation(last, self.file.escape).1;
        (continued && between.chars().all(char::is_whitespace)).then_some(i)
    }

    /// Whether `off` is inside one of `inst`'s heredoc bodies or terminators.
    pub(super) fn in_heredoc_body(&self, inst: &Instruction, off: usize) -> bool {
        let Some(first) = crate::ide::heredocs(inst).first() else { return false };
        // The bodies start on the line after the instruction's own lines.
        let body_start = first.body.full_span().start;
        let head_end =
            if first.body.is_empty() { first.terminator_span.map_or(body_start, |t| t.start) } else { body_start };
        off >= head_end && self.file.lines.line_of(off) > self.file.lines.line_of(first.marker_span.start)
    }

    pub(super) fn keyword_completions(&self, replace: Span, trigger: bool, first: bool) -> Vec<Completion> {
        let mut docs: Vec<&KeywordDoc> = KEYWORD_DOCS
            .iter()
            .filter(|d| !trigger || !matches!(d.keyword, Keyword::Onbuild | Keyword::From | Keyword::Maintainer))
            .collect();
        if first {
            // Before the first FROM only ARG and FROM are allowed.
            docs.sort_by_key(|d| !matches!(d.keyword, Keyword::From | Keyword::Arg));
        }
        let mut out: Vec<Completion> = docs
            .iter()
            .map(|d| {
                let mut c = Completion::new(d.keyword.as_str(), CompletionKind::Keyword)
                    .docs(keyword_markdown(d))
                    .snippet(d.snippet)
                    .replace(replace);
                c.detail = Some(if d.keyword == Keyword::Maintainer {
                    "deprecated: use a LABEL".to_string()
                } else {
                    d.summary.split(". ").next().unwrap_or("").trim_end_matches('.').to_string()
                });
                c
            })
            .collect();
        if !trigger {
            out.extend([
                Completion::new("FROM … AS …", CompletionKind::Snippet)
                    .detail("a named build stage")
                    .snippet("FROM ${1:image}:${2:tag} AS ${3:name}")
                    .replace(replace),
                Completion::new("RUN --mount=type=cache", CompletionKind::Snippet)
                    .detail("RUN with a persistent cache directory")
                    .snippet("RUN --mount=type=cache,target=${1:/root/.cache} \\\\\n    ${2:command}")
                    .replace(replace),
                Completion::new("COPY --from", CompletionKind::Snippet)
                    .detail("copy from another stage")
                    .snippet("COPY --from=${1:stage} ${2:src} ${3:dest}")
                    .replace(replace),
            ]);
        }
        out
    }

    pub(super) fn flag_name_completions(&self, inst: &Instruction, replace: Span) -> Vec<Completion> {
        let Some(specs) = instruction_spec::flags(inst) else { return Vec::new() };
        // Flags already given elsewhere (not the one being typed).
        let present: Vec<&str> =
            inst.flags.iter().filter(|f| f.span.start != replace.start).map(|f| f.name.as_str()).collect();
        specs
            .iter()
            .filter(|s| s.repeatable || !present.contains(&s.name))
            .map(|s| {
                let mut c = Completion::new(format!("--{}", s.name), CompletionKind::Flag)
                    .detail(s.value.format())
                    .replace(replace);
                if let Some((desc, anchor)) = flag_doc(inst.keyword, s.name) {
                    c = c.docs(format!("{desc}\n\n[Dockerfile reference]({REFERENCE}#{anchor})"));
                }
                match flag_snippet(s) {
                    Some(sn) => c.snippet(sn),
                    None => c,
                }
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn flag_value_completions(
        &self,
        idx: usize,
        inst: &Instruction,
        name: &str,
        value_start: usize,
        off: usize,
        word_end: usize,
    ) -> Vec<Completion> {
        let Some(spec) = instruction_spec::flag_spec(inst, name) else { return Vec::new() };
        let text = self.text();
        let value_prefix = &text[value_start..off];
        let replace = Span::new(value_start, word_end);
        let enums = |vals: &[(&str, &str)]| -> Vec<Completion> {
            vals.iter()
                .map(|(v, d)| Completion::new(*v, CompletionKind::EnumValue).detail(*d).replace(replace))
                .collect()
        };
        match spec.value {
            FlagValue::Mount => self.mount_completions(idx, value_start, value_prefix, off, word_end),
            FlagValue::Network => enums(&[
                ("default", "the default network"),
                ("none", "no network access"),
                ("host", "the host's network (needs network.host)"),
            ]),
            FlagValue::Security => {
                enums(&[("sandbox", "the default sandbox"), ("insecure", "no sandbox (needs security.insecure)")])
            }
            FlagValue::Bool => enums(&[("true", ""), ("false", "")]),
            FlagValue::Platform => PLATFORMS
                .iter()
                .map(|p| {
                    let c = Completion::new(*p, CompletionKind::Value).replace(replace);
                    match *p {
                        "$BUILDPLATFORM" => c.detail("the platform of the machine that builds"),
                        "$TARGETPLATFORM" => c.detail("the platform the image is built for"),
                        _ => c,
                    }
                })
                .collect(),
            FlagValue::Chmod => enums(&[
                ("0755", "rwxr-xr-x: executables and directories"),
                ("0644", "rw-r--r--: regular files"),
                ("0555", "r-xr-xr-x: read-only executables"),
                ("0444", "r--r--r--: read-only files"),
                ("0700", "rwx------: private directories"),
                ("0600", "rw-------: private files"),
            ]),
            FlagValue::Duration => enums(&[("30s", ""), ("10s", ""), ("5s", ""), ("1m", ""), ("500ms", "")]),
            FlagValue::Count => enums(&[("3", "")]),
            FlagValue::Text if name == "from" => {
                let here = self.inst_stage.get(idx).copied().flatten().unwrap_or(self.stages.len());
                self.stage_completions(here, replace)
            }
            FlagValue::Text if name == "checksum" => {
                vec![Completion::new("sha256:", CompletionKind::Value).detail("a SHA-256 digest").replace(replace)]
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn mount_completions(
        &self,
        idx: usize,
        value_start: usize,
        value_prefix: &str,
        off: usize,
        word_end: usize,
    ) -> Vec<Completion> {
        let text = self.text();
        let field_start = value_start + value_prefix.rfind(',').map_or(0, |p| p + 1);
        let field_end = run_end(text, off, |c| c != ',' && !c.is_whitespace()).min(word_end);
        let field = &text[field_start..off];
        let whole_value = &text[value_start..word_end];
        let ty = mount_fields(whole_value)
            .into_iter()
            .find(|(k, _, _)| k.eq_ignore_ascii_case("type"))
            .map_or("bind".to_string(), |(_, v, _)| v.to_ascii_lowercase());
        match field.find('=') {
            Some(eq) => {
                let key = field[..eq].to_ascii_lowercase();
                let replace = Span::new(field_start + eq + 1, field_end);
                let enums = |vals: &[(&str, &str)]| -> Vec<Completion> {
                    vals.iter()
                        .map(|(v, d)| Completion::new(*v, CompletionKind::EnumValue).detail(*d).replace(replace))
                        .collect()
                };
                match key.as_str() {
                    "type" => MOUNT_TYPE_DOCS
                        .iter()
                        .map(|(t, d)| {
                            Completion::new(*t, CompletionKind::EnumValue)
                                .detail(d.split(" (").next().unwrap_or(d).trim_end_matches('.'))
                                .docs(*d)
                                .replace(replace)
                        })
                        .collect(),
                    "sharing" => enums(&[
                        ("shared", "concurrent builds share the cache (default)"),
                        ("private", "a new cache per concurrent build"),
                        ("locked", "concurrent builds wait for each other"),
                    ]),
                    "readonly" | "ro" | "rw" | "readwrite" | "required" => enums(&[("true", ""), ("false", "")]),
                    "from" => {
                        let here = self.inst_stage.get(idx).copied().flatten().unwrap_or(self.stages.len());
                        self.stage_completions(here, replace)
                    }
                    "mode" => enums(&[("0755", ""), ("0644", ""), ("0600", ""), ("0400", "")]),
                    "size" => enums(&[("64m", ""), ("256m", ""), ("1g", "")]),
                    "target" | "dst" | "destination" if ty == "cache" => enums(&[
                        ("/root/.cache", "pip, go build, and other tools' default cache"),
                        ("/var/cache/apt", "apt's package cache (also mount /var/lib/apt)"),
                        ("/var/lib/apt", "apt's lists"),
                        ("/root/.npm", "npm's cache"),
                        ("/go/pkg/mod", "Go's module cache"),
                        ("/root/.m2", "Maven's repository"),
                        ("/root/.cargo/registry", "Cargo's registry"),
                    ]),
                    _ => Vec::new(),
                }
            }
            None => {
                let replace = Span::new(field_start, field_end);
                let present: Vec<String> =
                    mount_fields(whole_value).into_iter().map(|(k, _, _)| k.to_ascii_lowercase()).collect();
                let mut out = Vec::new();
                if !present.iter().any(|k| k == "type") {
                    out.push(
                        Completion::new("type=", CompletionKind::Property)
                            .detail("bind (default), cache, tmpfs, secret or ssh")
                            .replace(replace),
                    );
                }
                for (k, doc, types) in MOUNT_KEY_DOCS {
                    if types.contains(&ty.as_str()) && !present.iter().any(|p| p == k) {
                        let label =
                            if matches!(*k, "readonly" | "rw" | "required") { k.to_string() } else { format!("{k}=") };
                        out.push(Completion::new(label, CompletionKind::Property).detail(*doc).replace(replace));
                    }
                }
                out
            }
        }
    }

    /// Stages before stage `here` (all stages when `here` is past the end).
    pub(super) fn stage_completions(&self, here: usize, replace: Span) -> Vec<Completion> {
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for s in (0..here.min(self.stages.len())).rev() {
            let Some((name, _)) = &self.stages[s].name else { continue };
            if seen.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                continue;
            }
            seen.push(name.clone());
            let detail = match &self.stages[s].base {
                Base::Image(img) => format!("stage {s}: {}", img.text),
                Base::Scratch => format!("stage {s}: scratch"),
                Base::Stage(p) => format!("stage {s}: from stage {p}"),
            };
            out.push(
                Completion::new(name.clone(), CompletionKind::Stage)
                    .detail(detail)
                    .docs(self.stage_markdown(s))
                    .replace(replace),
            );
        }
        out
    }

    /// Variable completions when `off` follows `$` or `${` and a partial name.
    pub(super) fn var_completions(&self, idx: usize, off: usize) -> Option<Vec<Completion>> {
        let text = self.text();
        let ls = self.file.lines.line_start(self.file.lines.line_of(off)).min(off);
        let before = &text[ls..off];
        let name_len = before.len() - before.trim_end_matches(is_name_char).len();
        let head = &before[..before.len() - name_len];
        let (braced, dollar_at) = if head.ends_with("${") {
            (true, head.len() - 2)
        } else if head.ends_with('$') {
            (false, head.len() - 1)
        } else {
            return None;
        };
        // `\$X` and `$$` are not references.
        let pre = &head[..dollar_at];
        if pre.ends_with(self.file.escape) || pre.ends_with('$') {
            return None;
        }
        if before[before.len() - name_len..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let name_start = off - name_len;
        let name_end = run_end(text, off, is_name_char);
        let close = braced && !text[name_end..].starts_with('}');
        let replace = Span::new(name_start, name_end);
        let in_stage = self.scope_of(idx).is_some();
        let mut out = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        for d in self.visible(idx) {
            let def = &self.defs[d];
            names.push(&def.name);
            let kind = if def.kind == VarKind::Arg { "ARG" } else { "ENV" };
            let detail = match &def.value {
                Some(v) => format!("{kind} = {}", v.replace('\n', " ")),
                None => format!("{kind} (no default)"),
            };
            let mut c = Completion::new(def.name.clone(), CompletionKind::Variable)
                .detail(detail)
                .docs(self.def_origin(d))
                .replace(replace);
            if close {
                c = c.insert(format!("{}}}", def.name));
            }
            out.push(c);
        }
        for a in automatic_args() {
            if names.contains(&a) {
                continue;
            }
            let mut c =
                Completion::new(a, CompletionKind::Variable).detail("predefined build argument").replace(replace);
            if in_stage {
                c = c.docs(format!("Set by BuildKit. Inside a stage it is empty until the stage declares `ARG {a}`."));
            }
            if close {
                c = c.insert(format!("{a}}}"));
            }
            out.push(c);
        }
        Some(out)
    }

    /// Completions in a comment line: directives in the header, rule codes in
    /// suppression comments, check names in `check=skip=`.
    pub(super) fn comment_completions(&self, line: usize, ls: usize, off: usize) -> Vec<Completion> {
        let text = self.text();
        let before = &text[ls..off];
        let hash = ls + (before.len() - before.trim_start().len());
        let body_start = hash + 1 + (text[hash + 1..off].len() - text[hash + 1..off].trim_start().len());
        let body = &text[body_start..off];
        let line_end = self.file.lines.line_span(text, line).end.max(off);
        // In the header: every earlier line is a directive.
        let header = self.file.instructions.first().is_none_or(|i| i.span.start > off)
            && (0..line).all(|l| {
                let s = self.file.lines.line_start(l);
                self.file.directives.iter().any(|d| d.span.start >= s && self.file.lines.line_of(d.span.start) == l)
            });
        let item_start = off - (body.len() - body.trim_end_matches(|c: char| !matches!(c, ',' | '=' | ' ')).len());
        let item_end = run_end(text, off, |c| !matches!(c, ',' | ' ' | '\t' | ';')).min(line_end);
        let item = Span::new(item_start, item_end);
        if body.starts_with("hadolint") || body.starts_with("berth") {
            if body.contains("ignore") && body.contains('=') {
                return rule_code_completions(item);
            }
            let tool_len = if body.starts_with("hadolint") { 8 } else { 5 };
            if body.len() > tool_len && !body[tool_len..].trim().contains(' ') {
                let word = Span::new(item_start.max(body_start + tool_len), item_end);
                return ["ignore=", "global ignore="]
                    .into_iter()
                    .map(|l| Completion::new(l, CompletionKind::Keyword).detail("suppress rules").replace(word))
                    .collect();
            }
            return Vec::new();
        }
        if let Some(rest) = body.strip_prefix("check=") {
            if rest.contains("skip=") && item_start > body_start + 6 + rest.rfind("skip=").unwrap_or(0) + 4 {
                return check_name_completions(item);
            }
            if header || !rest.contains('=') {
                return [("skip=", "turn checks off"), ("error=true", "fail the build on check warnings")]
                    .into_iter()
                    .map(|(l, d)| Completion::new(l, CompletionKind::Property).detail(d).replace(item))
                    .collect();
            }
            return Vec::new();
        }
        if header {
            if let Some(eq) = body.find('=') {
                let name = body[..eq].trim().to_ascii_lowercase();
                let vals: &[(&str, &str)] = match name.as_str() {
                    "syntax" => &[
                        ("docker/dockerfile:1", "the latest stable 1.x frontend"),
                        ("docker/dockerfile:1-labs", "with experimental features"),
                    ],
                    "escape" => &[("\\", "backslash (default)"), ("`", "backtick (Windows paths)")],
                    _ => &[],
                };
                return vals
                    .iter()
                    .map(|(v, d)| Completion::new(*v, CompletionKind::Value).detail(*d).replace(item))
                    .collect();
            }
            if !body.contains(' ') {
                let word = Span::new(body_start, item_end);
                return DIRECTIVE_DOCS
                    .iter()
                    .filter(|(n, _, _)| self.file.directive(n).is_none())
                    .map(|(n, d, anchor)| {
                        Completion::new(format!("{n}="), CompletionKind::Keyword)
                            .detail("parser directive")
                            .docs(format!("{d}\n\n[Dockerfile reference]({REFERENCE}#{anchor})"))
                            .replace(word)
                    })
                    .collect();
            }
            return Vec::new();
        }
        if !body.is_empty() && !body.contains([' ', '=']) {
            let word = Span::new(body_start, item_end);
            return [
                ("berth ignore=", "suppress rules for the next instruction"),
                ("hadolint ignore=", "the same, as hadolint writes it"),
            ]
            .into_iter()
            .map(|(l, d)| Completion::new(l, CompletionKind::Keyword).detail(d).replace(word))
            .collect();
        }
        Vec::new()
    }
}

pub(super) fn flag_snippet(s: &FlagSpec) -> Option<String> {
    let n = s.name;
    Some(match (s.value, n) {
        (FlagValue::Bool, _) => return None,
        (FlagValue::Mount, _) => "--mount=type=${1|cache,bind,secret,ssh,tmpfs|},target=${2:/path}".to_string(),
        (FlagValue::Network, _) => "--network=${1|default,none,host|}".to_string(),
        (FlagValue::Security, _) => "--security=${1|sandbox,insecure|}".to_string(),
        (FlagValue::Platform, _) => "--platform=${1:\\$BUILDPLATFORM}".to_string(),
        (FlagValue::Chown, _) => format!("--{n}=${{1:user}}:${{2:group}}"),
        (FlagValue::Chmod, _) => format!("--{n}=${{1:0755}}"),
        (FlagValue::Duration, _) => format!("--{n}=${{1:30s}}"),
        (FlagValue::Count, _) => format!("--{n}=${{1:3}}"),
        (_, "from") => "--from=${1:stage}".to_string(),
        _ => format!("--{n}=$1"),
    })
}

pub(super) fn rule_code_completions(replace: Span) -> Vec<Completion> {
    crate::rules::all()
        .iter()
        .map(|r| r.meta())
        .map(|m| {
            Completion::new(m.code, CompletionKind::Reference)
                .detail(format!("{}: {}", m.name, m.summary))
                .docs(m.docs)
                .replace(replace)
        })
        .collect()
}

pub(super) fn check_name_completions(replace: Span) -> Vec<Completion> {
    let mut out = vec![Completion::new("all", CompletionKind::EnumValue).detail("every check").replace(replace)];
    let mut names: Vec<(&str, &str)> =
        crate::rules::all().iter().filter_map(|r| r.meta().buildkit.map(|b| (b, r.meta().summary))).collect();
    names.sort();
    names.dedup_by_key(|(b, _)| *b);
    out.extend(
        names.into_iter().map(|(b, s)| Completion::new(b, CompletionKind::EnumValue).detail(s).replace(replace)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::super::*;
    use super::*;

    #[test]
    fn completion_keywords() {
        let l = labels("FROM a\n‸");
        assert!(l.contains(&"RUN".to_string()) && l.contains(&"COPY".to_string()), "{l:?}");
        let (t, o) = at("FROM a\nru‸\n");
        let c = completion(&t, o);
        let run = c.iter().find(|c| c.label == "RUN").unwrap();
        assert_eq!(run.replace, Some(Span::new(7, 9)));
        assert!(run.snippet && run.insert.as_deref() == Some("RUN ${1:command}"));
        // Before the first FROM, FROM and ARG come first.
        let l = labels("‸");
        assert!(l[..2].contains(&"FROM".to_string()) && l[..2].contains(&"ARG".to_string()), "{l:?}");
        // A blank line that continues an instruction is not a new instruction.
        assert!(labels("FROM a\nRUN apt-get install \\\n    ‸").is_empty());
        assert!(labels("FROM a\nRUN x\n‸").contains(&"RUN".to_string()));
        // An escaped escape at the end of a line does not continue it: a new instruction starts.
        assert!(labels("FROM a\nENV DIR=C:\\\\\n‸").contains(&"RUN".to_string()));
        let l = labels("FROM a\nONBUILD ‸");
        assert!(l.contains(&"RUN".to_string()) && !l.contains(&"FROM".to_string()), "{l:?}");
    }

    #[test]
    fn completion_flags_and_values() {
        let l = labels("FROM a\nRUN --‸");
        assert_eq!(l, ["--mount", "--network", "--security", "--device"]);
        let l = labels("FROM a\nCOPY --link --‸ . .");
        assert!(l.contains(&"--from".to_string()) && !l.contains(&"--link".to_string()), "{l:?}");
        assert!(labels("FROM a\nRUN echo --‸").is_empty(), "not in flag position");
        let l = labels("FROM a\nRUN --mount=type=‸");
        assert_eq!(l, ["bind", "cache", "tmpfs", "secret", "ssh"]);
        let l = labels("FROM a\nRUN --mount=type=cache,‸");
        assert!(l.contains(&"target=".to_string()) && l.contains(&"sharing=".to_string()), "{l:?}");
        assert!(!l.contains(&"type=".to_string()) && !l.contains(&"size=".to_string()));
        assert_eq!(labels("FROM a\nRUN --mount=type=cache,sharing=‸"), ["shared", "private", "locked"]);
        assert_eq!(labels("FROM a\nRUN --network=‸ x"), ["default", "none", "host"]);
        assert_eq!(labels("FROM a\nRUN --security=‸"), ["sandbox", "insecure"]);
        let l = labels("FROM --platform=‸ a");
        assert!(l.contains(&"linux/arm64".to_string()) && l.contains(&"$BUILDPLATFORM".to_string()), "{l:?}");
        assert!(labels("FROM a\nCOPY --chmod=‸").contains(&"0755".to_string()));
        assert_eq!(labels("FROM a\nCOPY --link=‸"), ["true", "false"]);
        // The replaced range is the value.
        let (t, o) = at("FROM a\nRUN --network=ho‸st x");
        let c = completion(&t, o);
        assert_eq!(&t[c[0].replace.unwrap().start..c[0].replace.unwrap().end], "host");
        // On a continuation line.
        let l = labels("FROM a\nRUN --network=none \\\n    --mo‸");
        assert!(l.contains(&"--mount".to_string()), "{l:?}");
    }

    #[test]
    fn completion_stages() {
        // Earlier stages only (a stage cannot copy from itself).
        let src = "FROM a AS one\nFROM b AS two\nCOPY --from=‸\nFROM c AS three\n";
        assert_eq!(labels(src), ["one"]);
        assert_eq!(labels("FROM a AS one\nFROM b AS two\nFROM ‸\n"), ["two", "one", "scratch"]);
        assert_eq!(labels("FROM a AS one\nFROM ‸\nFROM b AS later\n"), ["one", "scratch"]);
        assert_eq!(labels("FROM a AS one\nFROM b\nRUN --mount=from=‸"), ["one"]);
        assert_eq!(labels("FROM a ‸"), ["AS"]);
        assert_eq!(labels("FROM a\nHEALTHCHECK --interval=5s ‸"), ["CMD", "NONE"]);
    }

    #[test]
    fn completion_variables_in_scope() {
        let src = "ARG G=1\nARG H\nFROM a:${‸\nARG G\nENV E=2\nRUN echo $\n";
        let l = labels(src);
        assert_eq!(&l[..2], ["H", "G"]);
        assert!(l.contains(&"TARGETPLATFORM".to_string()) && !l.contains(&"E".to_string()), "{l:?}");
        let (t, o) = at(src);
        let g = completion(&t, o).into_iter().find(|c| c.label == "G").unwrap();
        assert_eq!(g.insert.as_deref(), Some("G}"), "the brace is closed");
        assert_eq!(g.detail.as_deref(), Some("ARG = 1"));
        let l = labels("ARG G=1\nARG H\nFROM a\nARG G\nENV E=2\nRUN echo $‸\n");
        assert_eq!(&l[..2], ["E", "G"]);
        assert!(!l.contains(&"H".to_string()), "H is not declared in the stage: {l:?}");
        // Inherited ENV; partial names; heredoc bodies.
        let l = labels("FROM a AS base\nENV BASE_DIR=/x\nFROM base\nRUN echo ${BA‸}\n");
        assert_eq!(l[0], "BASE_DIR");
        let l = labels("FROM a\nENV X=1\nRUN <<EOF\necho $‸\nEOF\n");
        assert_eq!(l[0], "X");
        assert!(
            labels("FROM a\nENV X=1\nRUN echo \\$‸").is_empty()
                || !labels("FROM a\nENV X=1\nRUN echo \\$‸").contains(&"X".to_string())
        );
    }

    #[test]
    fn completion_in_comments() {
        let l = labels("# ‸\nFROM a\n");
        assert_eq!(l, ["syntax=", "escape=", "check="]);
        let l = labels("# syntax=docker/dockerfile:1\n# ‸\nFROM a\n");
        assert_eq!(l, ["escape=", "check="]);
        assert!(labels("# syntax=‸\nFROM a\n").contains(&"docker/dockerfile:1".to_string()));
        let l = labels("FROM a\n# hadolint ignore=DL3008,‸\nRUN x\n");
        assert!(l.contains(&"DL3009".to_string()), "{l:?}");
        let (t, o) = at("FROM a\n# berth ignore=DL30‸\nRUN x\n");
        let c = completion(&t, o);
        assert_eq!(c[0].replace.map(|s| &t[s.start..s.end]), Some("DL30"));
        assert!(labels("# check=skip=‸\nFROM a\n").contains(&"StageNameCasing".to_string()));
        assert_eq!(labels("FROM a\n# hadolint ig‸\n"), ["ignore=", "global ignore="]);
        assert!(labels("FROM a\n# install the tools ‸\n").is_empty());
    }
}
