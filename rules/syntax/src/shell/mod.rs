//! Shell layer: the shell text of RUN (command line and heredoc scripts),
//! parsed with tree-sitter-bash into commands with their arguments, each with
//! an exact span in the Dockerfile.
//!
//! Rules never re-parse shell text; they ask questions of a [`Script`]:
//! "which commands named apt-get have the subcommand install", "does this
//! command have the flag -y".

use crate::syntax::{Instruction, Keyword, LogicalText};
use crate::text::Span;
use compact_str::CompactString;
use std::cell::RefCell;
use std::sync::Arc;

/// A word of a shell command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellWord {
    /// As written (short words are stored inline, without an allocation).
    pub raw: CompactString,
    /// With quotes removed (expansions are kept as written).
    pub value: CompactString,
    pub span: Span,
    /// Logical range inside the script text.
    pub logical: (usize, usize),
}

/// One simple command, such as `apt-get install -y curl`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub name: ShellWord,
    pub args: Vec<ShellWord>,
    /// From the name (or the first `VAR=x` prefix) to the last argument.
    pub span: Span,
    /// Logical range inside the script text.
    pub logical: (usize, usize),
    /// `VAR=value` assignments written before the command name.
    pub assignments: Vec<String>,
    /// Part of a pipeline `a | b`.
    pub in_pipeline: bool,
}

impl Command {
    /// The command's base name: `/usr/bin/apt-get` gives `apt-get`.
    pub fn base_name(&self) -> &str {
        let v = self.name.value.as_str();
        match v.as_bytes().iter().rposition(|&b| b == b'/') {
            Some(i) => &v[i + 1..],
            None => v,
        }
    }

    /// True when the base name is `name` (asked of every command by many
    /// rules: no search, just the end of the name).
    pub fn is(&self, name: &str) -> bool {
        let v = self.name.value.as_bytes();
        let n = name.as_bytes();
        v.ends_with(n) && (v.len() == n.len() || v[v.len() - n.len() - 1] == b'/') && !n.contains(&b'/')
    }

    /// True when a short flag letter (alone or combined, `-yq`) or a long flag
    /// (`--yes`, `--yes=...`) appears among the arguments before `--`.
    pub fn has_flag(&self, short: &[char], long: &[&str]) -> bool {
        for a in &self.args {
            let v = a.value.as_str();
            if v == "--" {
                break;
            }
            if let Some(l) = v.strip_prefix("--") {
                let name = l.split('=').next().unwrap_or(l);
                if long.iter().any(|x| x.trim_start_matches('-') == name) {
                    return true;
                }
            } else if let Some(s) = v.strip_prefix('-')
                && !s.is_empty()
                && s.chars().all(|c| c.is_ascii_alphanumeric())
                && s.chars().any(|c| short.contains(&c))
            {
                return true;
            }
        }
        false
    }

    /// Arguments that are not flags.
    pub fn positional(&self) -> impl Iterator<Item = &ShellWord> {
        self.args.iter().filter(|a| !a.value.starts_with('-'))
    }

    /// Positional arguments, skipping options and the values of the options in
    /// `takes_value` (such as `-o` in `apt-get -o Foo=bar install`).
    pub fn operands(&self, takes_value: &[&str]) -> Vec<&ShellWord> {
        let mut out = Vec::new();
        let mut skip = false;
        let mut ended = false;
        for a in &self.args {
            let v = a.value.as_str();
            if skip {
                skip = false;
                continue;
            }
            if !ended && v == "--" {
                ended = true;
                continue;
            }
            if !ended && v.starts_with('-') && v.len() > 1 {
                skip = takes_value.contains(&v);
                continue;
            }
            out.push(a);
        }
        out
    }

    /// True when the first positional argument is one of `names`.
    pub fn has_subcommand(&self, names: &[&str]) -> bool {
        self.positional().next().is_some_and(|a| names.contains(&a.value.as_str()))
    }

    /// True when any argument equals one of `values`.
    pub fn has_arg(&self, values: &[&str]) -> bool {
        self.args.iter().any(|a| values.contains(&a.value.as_str()))
    }
}

/// A place where tree-sitter-bash cannot parse the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellError {
    /// In the Dockerfile (empty for a missing token: where it is expected).
    pub span: Span,
    /// The missing token (`fi`, `done`, `)`), or None for unexpected text.
    pub missing: Option<CompactString>,
    /// The unexpected text as written (empty for a missing token), at most one line.
    pub text: CompactString,
}

/// The parsed shell of one RUN instruction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    pub commands: Vec<Command>,
    /// Spans of the `|` pipe operators (not `||`).
    pub pipes: Vec<Span>,
    /// tree-sitter-bash found a syntax error somewhere.
    pub has_error: bool,
    /// Where the shell cannot parse it: the first ERROR or MISSING node of
    /// each part parsed (command line, heredoc script, `sh -c` body).
    pub errors: Vec<ShellError>,
    /// The joined script text (command line and heredocs) that was parsed.
    pub text: LogicalText,
}

impl Script {
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Command> + 'a {
        self.commands.iter().filter(move |c| c.is(name))
    }

    pub fn any_named(&self, name: &str) -> bool {
        self.named(name).next().is_some()
    }

    /// Parse a shell text (a logical text mapped to the Dockerfile).
    pub fn parse(lt: &LogicalText) -> Script {
        let mut script = Script { text: lt.clone(), ..Script::default() };
        parse_into(lt, &mut script, 0);
        script.compact();
        script
    }

    /// Give back the room vectors grew into while parsing (scripts are kept
    /// for the life of a document in an editor; a large file has thousands).
    fn compact(&mut self) {
        self.commands.shrink_to_fit();
        for c in &mut self.commands {
            c.args.shrink_to_fit();
            c.assignments.shrink_to_fit();
        }
        self.pipes.shrink_to_fit();
    }

    /// The shell of a RUN instruction in shell form: the command line, the
    /// heredocs fed to it, and heredoc bodies that the shell itself runs.
    pub fn of_run(inst: &Instruction) -> Option<Script> {
        let inst = inst.effective();
        if inst.keyword != Keyword::Run || inst.exec.is_some() {
            return None;
        }
        if inst.heredocs.is_empty() {
            return Some(Script::parse(&inst.rest));
        }
        // Join the command line and the heredocs as a shell would read them.
        let mut joined = inst.rest.clone();
        let nl_at = inst.rest.full_span().end;
        joined.push("\n", nl_at);
        for h in &inst.heredocs {
            for seg_text in [&h.body] {
                let mut pos = 0;
                while pos < seg_text.text.len() {
                    let next = seg_text.text[pos..].find('\n').map_or(seg_text.text.len(), |n| pos + n + 1);
                    let src = seg_text.source_offset(pos);
                    joined.push(&seg_text.text[pos..next], src);
                    pos = next;
                }
            }
            if let Some(t) = h.terminator_span {
                joined.push(&h.delimiter_line(), t.start);
                joined.push("\n", t.end);
            }
        }
        let only_markers = inst.rest.text.split_whitespace().all(|w| w.contains("<<"));
        // `RUN <<EOF` alone is not a shell command line (bash would read the body
        // as stdin of nothing); the bodies are the scripts.
        let mut script =
            if only_markers { Script { text: joined, ..Script::default() } } else { Script::parse(&joined) };
        // `RUN <<EOF bash`: tree-sitter-bash does not take a here-document
        // before the command name, which the shell accepts.
        if inst.rest.text.trim_start().starts_with("<<") {
            script.errors.clear();
        }
        // When the shell itself runs a heredoc (`RUN <<EOF` or `RUN bash <<EOF`),
        // its body is a script too.
        if runs_heredoc_as_script(&inst.rest.text) {
            for h in &inst.heredocs {
                let first = h.body.text.lines().next().unwrap_or("");
                if let Some(shebang) = first.strip_prefix("#!")
                    && !is_posix_shell_path(shebang)
                {
                    continue;
                }
                parse_into(&h.body, &mut script, 0);
            }
        }
        script.compact();
        Some(script)
    }
}

impl Script {
    /// The same script for the same instruction placed `delta` bytes later (or
    /// earlier) in the file.
    pub fn shifted(&self, delta: isize) -> Script {
        let span = |s: Span| Span::new(s.start.saturating_add_signed(delta), s.end.saturating_add_signed(delta));
        let word = |w: &ShellWord| ShellWord { span: span(w.span), ..w.clone() };
        Script {
            commands: self
                .commands
                .iter()
                .map(|c| Command {
                    name: word(&c.name),
                    args: c.args.iter().map(word).collect(),
                    span: span(c.span),
                    ..c.clone()
                })
                .collect(),
            pipes: self.pipes.iter().map(|p| span(*p)).collect(),
            has_error: self.has_error,
            errors: self.errors.iter().map(|e| ShellError { span: span(e.span), ..e.clone() }).collect(),
            text: self.text.shifted(delta),
        }
    }
}

/// RUN scripts parsed for the previous version of a file, for an editor that
/// lints the same file on every keystroke: an instruction whose source text
/// (and escape character) is unchanged gets its script back, moved to its new
/// place, instead of a new tree-sitter parse. Only the scripts of the last
/// version are kept, and the model shares them (a script that did not move is
/// neither copied nor freed between versions).
#[derive(Debug, Default)]
pub struct ScriptCache {
    scripts: ScriptMap,
    /// The version being linted; entries not used by it are dropped at its end.
    version: u64,
}

/// An instruction's source text -> its escape character, where it started,
/// its script, and the last version that used it. One table, updated in
/// place (no second table per version), looked up by `&str`.
type ScriptMap = std::collections::HashMap<String, Cached>;

#[derive(Debug)]
struct Cached {
    escape: char,
    at: usize,
    script: Option<Arc<Script>>,
    used: u64,
}

impl ScriptCache {
    /// [`Script::of_run`] for `inst` of a file whose text is `source`.
    pub fn of_run(&mut self, inst: &Instruction, source: &str) -> Option<Arc<Script>> {
        let Some(text) = source.get(inst.span.start..inst.span.end) else { return Script::of_run(inst).map(Arc::new) };
        let start = inst.span.start;
        let version = self.version;
        match self.scripts.get_mut(text).filter(|c| c.escape == inst.escape) {
            // The same text twice in one version: a copy for the second place.
            Some(c) if c.used == version => c
                .script
                .as_ref()
                .map(|s| if c.at == start { s.clone() } else { Arc::new(s.shifted(start as isize - c.at as isize)) }),
            // From the last version; a script whose instruction moved is kept
            // at its new place.
            Some(c) => {
                if c.at != start
                    && let Some(s) = &c.script
                {
                    c.script = Some(Arc::new(s.shifted(start as isize - c.at as isize)));
                }
                c.at = start;
                c.used = version;
                c.script.clone()
            }
            None => {
                let script = Script::of_run(inst).map(Arc::new);
                self.scripts.insert(
                    text.to_string(),
                    Cached { escape: inst.escape, at: start, script: script.clone(), used: version },
                );
                script
            }
        }
    }

    /// Parse, on two threads, the scripts of `insts` when nothing is cached
    /// yet (the first version of a large file).
    pub fn prefetch(&mut self, insts: &[&Instruction], source: &str) {
        if insts.len() < 256 || !self.scripts.is_empty() {
            return;
        }
        let mut missing: Vec<(&str, &Instruction)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for inst in insts {
            if let Some(text) = source.get(inst.span.start..inst.span.end)
                && seen.insert(text)
            {
                missing.push((text, inst));
            }
        }
        if missing.len() < 256 {
            return;
        }
        let (first, second) = missing.split_at(missing.len() / 2);
        let parse = |part: &[(&str, &Instruction)]| -> Vec<Option<Arc<Script>>> {
            part.iter().map(|(_, i)| Script::of_run(i).map(Arc::new)).collect()
        };
        let (a, b) = std::thread::scope(|s| {
            let other = s.spawn(|| parse(second));
            let mine = parse(first);
            (mine, other.join())
        });
        let Ok(b) = b else { return };
        self.scripts.reserve(missing.len());
        // Marked as of an earlier version: `of_run` takes them as reused.
        let earlier = self.version.wrapping_sub(1);
        for ((text, inst), script) in missing.iter().zip(a.into_iter().chain(b)) {
            self.scripts
                .insert(text.to_string(), Cached { escape: inst.escape, at: inst.span.start, script, used: earlier });
        }
    }

    /// End of one version: scripts it did not use are dropped.
    pub fn finish(&mut self) {
        let version = self.version;
        self.scripts.retain(|_, c| c.used == version);
        self.version = version.wrapping_add(1);
    }
}

/// One shell script to hand to ShellCheck, with the dialect to check it as.
#[derive(Debug, Clone)]
pub struct CheckUnit {
    /// `sh`, `bash`, `dash` or `ksh`.
    pub dialect: &'static str,
    pub text: LogicalText,
}

/// ShellCheck's dialect for a shell program path, if it checks that shell.
pub fn dialect_of(program: &str) -> Option<&'static str> {
    match program.rsplit(['/', '\\']).next().unwrap_or(program) {
        "sh" | "ash" | "busybox" => Some("sh"),
        "bash" => Some("bash"),
        "dash" => Some("dash"),
        "ksh" | "mksh" => Some("ksh"),
        _ => None,
    }
}

/// The scripts of a shell-form RUN as a shell would run them: the command
/// line (with any heredocs it reads), and each heredoc body that the shell
/// itself runs (`RUN <<EOF`, `RUN bash <<EOF`; a `#!` line picks the dialect,
/// and bodies for other interpreters are skipped). `shell` is the SHELL in force.
pub fn check_units(inst: &Instruction, shell: &[String]) -> Vec<CheckUnit> {
    let inst = inst.effective();
    let Some(dialect) = shell.first().and_then(|p| dialect_of(p)) else { return Vec::new() };
    if inst.keyword != Keyword::Run || inst.exec.is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let only_markers = inst.rest.text.split_whitespace().all(|w| w.contains("<<"));
    if inst.heredocs.is_empty() {
        out.push(CheckUnit { dialect, text: inst.rest.clone() });
        return out;
    }
    if !only_markers && let Some(script) = Script::of_run(inst) {
        out.push(CheckUnit { dialect, text: script.text });
    }
    if runs_heredoc_as_script(&inst.rest.text) {
        for h in &inst.heredocs {
            let first = h.body.text.lines().next().unwrap_or("");
            let body_dialect = match first.strip_prefix("#!") {
                Some(shebang) => {
                    let mut words = shebang.split_whitespace();
                    let prog = words.next().unwrap_or("");
                    let prog = if prog.ends_with("/env") { words.next().unwrap_or("") } else { prog };
                    match dialect_of(prog) {
                        Some(d) => d,
                        None => continue,
                    }
                }
                None => dialect,
            };
            out.push(CheckUnit { dialect: body_dialect, text: h.body.clone() });
        }
    }
    out
}

impl crate::syntax::Heredoc {
    fn delimiter_line(&self) -> String {
        self.delimiter.clone()
    }
}

fn is_posix_shell_path(shebang: &str) -> bool {
    let mut words = shebang.split_whitespace();
    let first = words.next().unwrap_or("");
    let prog = if first.ends_with("/env") { words.next().unwrap_or("") } else { first };
    matches!(prog.rsplit('/').next().unwrap_or(""), "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh")
}

/// True when a RUN command line is only heredoc markers, or a POSIX shell fed a heredoc.
fn runs_heredoc_as_script(cmdline: &str) -> bool {
    let words: Vec<&str> = cmdline.split_whitespace().filter(|w| !w.contains("<<")).collect();
    match words.first() {
        None => true,
        Some(first) => {
            matches!(first.rsplit('/').next().unwrap_or(""), "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh")
                && !words.contains(&"-c")
        }
    }
}

thread_local! {
    static PARSER: RefCell<Option<tree_sitter::Parser>> = const { RefCell::new(None) };
}

const MAX_NESTING: usize = 4;

fn parse_into(lt: &LogicalText, script: &mut Script, depth: usize) {
    let text = lt.text.as_str();
    if text.trim().is_empty() {
        return;
    }
    let tree = PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(|| {
            let mut p = tree_sitter::Parser::new();
            p.set_language(&tree_sitter_bash::LANGUAGE.into()).expect("tree-sitter-bash ABI is compatible");
            p
        });
        parser.parse(text, None)
    });
    let Some(tree) = tree else {
        script.has_error = true;
        return;
    };
    let root = tree.root_node();
    if root.has_error() {
        script.has_error = true;
        if let Some(e) = first_error(root, lt) {
            script.errors.push(e);
        }
    }
    let mut cursor = root.walk();
    walk(root, &mut cursor, lt, script, false, depth);
}

/// The first ERROR or MISSING node in source order, as a [`ShellError`].
fn first_error(root: tree_sitter::Node<'_>, lt: &LogicalText) -> Option<ShellError> {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_missing() {
            let at = node.start_byte();
            return Some(ShellError {
                span: lt.span(at, at),
                missing: Some(CompactString::from(node.kind())),
                text: CompactString::default(),
            });
        }
        if node.is_error() {
            // The first token inside it is what the parser could not place.
            let mut leaf = node;
            while let Some(ch) = leaf.child(0) {
                leaf = ch;
            }
            let (s, e) = if leaf.end_byte() > leaf.start_byte() {
                (leaf.start_byte(), leaf.end_byte())
            } else {
                (node.start_byte(), node.end_byte())
            };
            let raw = lt.text.get(s..e).unwrap_or("");
            let line = raw.split('\n').next().unwrap_or("");
            return Some(ShellError {
                span: lt.span(s, s + line.len()),
                missing: None,
                text: CompactString::from(line),
            });
        }
        if node.has_error() {
            let mut c = node.walk();
            let children: Vec<_> = node.children(&mut c).collect();
            stack.extend(children.into_iter().rev());
        }
    }
    None
}

fn walk<'t>(
    node: tree_sitter::Node<'t>,
    _cursor: &mut tree_sitter::TreeCursor<'t>,
    lt: &LogicalText,
    script: &mut Script,
    in_pipeline: bool,
    depth: usize,
) {
    // Iterative traversal keeps deep nesting from exhausting the stack.
    let mut stack = vec![(node, in_pipeline)];
    while let Some((node, in_pipe)) = stack.pop() {
        let kind = node.kind();
        let mut child_pipe = in_pipe;
        if kind == "pipeline" {
            child_pipe = true;
            let mut c = node.walk();
            for ch in node.children(&mut c) {
                if ch.kind() == "|" || ch.kind() == "|&" {
                    script.pipes.push(lt.span(ch.start_byte(), ch.end_byte()));
                }
            }
        }
        if kind == "command"
            && let Some(cmd) = command(node, lt, in_pipe)
        {
            let inner = shell_c_body(&cmd, lt);
            script.commands.push(cmd);
            if let Some(body) = inner
                && depth < MAX_NESTING
            {
                parse_into(&body, script, depth + 1);
            }
        }
        if kind == "heredoc_body" {
            continue;
        }
        let mut c = node.walk();
        let children: Vec<_> = node.children(&mut c).collect();
        for ch in children.into_iter().rev() {
            stack.push((ch, child_pipe));
        }
    }
}

fn word(node: tree_sitter::Node<'_>, lt: &LogicalText) -> ShellWord {
    let raw = lt.text.get(node.start_byte()..node.end_byte()).unwrap_or("");
    let value =
        if raw.contains(['\'', '"', '\\']) { CompactString::from(unquote(raw)) } else { CompactString::from(raw) };
    ShellWord {
        value,
        raw: CompactString::from(raw),
        span: lt.span(node.start_byte(), node.end_byte()),
        logical: (node.start_byte(), node.end_byte()),
    }
}

/// Remove shell quoting (best effort; expansions stay as written).
pub fn unquote(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut quote: Option<char> = None;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => out.push(c),
            (_, '\\') => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            (_, c) => out.push(c),
        }
    }
    out
}

fn command(node: tree_sitter::Node<'_>, lt: &LogicalText, in_pipeline: bool) -> Option<Command> {
    let name_node = node.child_by_field_name("name")?;
    let name = word(name_node, lt);
    let mut args = Vec::new();
    let mut assignments = Vec::new();
    let mut c = node.walk();
    for ch in node.children(&mut c) {
        if ch.kind() == "variable_assignment" {
            assignments.push(lt.text.get(ch.start_byte()..ch.end_byte()).unwrap_or("").to_string());
        }
    }
    let mut c = node.walk();
    for a in node.children_by_field_name("argument", &mut c) {
        args.push(word(a, lt));
    }
    let end = args.last().map_or(name_node.end_byte(), |a| a.logical.1);
    Some(Command {
        name,
        args,
        span: lt.span(node.start_byte(), end),
        logical: (node.start_byte(), end),
        assignments,
        in_pipeline,
    })
}

/// The body of `sh -c '...'` / `bash -c "..."`, when it is a plain quoted string.
fn shell_c_body(cmd: &Command, lt: &LogicalText) -> Option<LogicalText> {
    if !matches!(cmd.base_name(), "sh" | "bash" | "ash" | "dash" | "zsh") {
        return None;
    }
    let pos = cmd.args.iter().position(|a| {
        a.value == "-c" || (a.value.starts_with('-') && !a.value.starts_with("--") && a.value.ends_with('c'))
    })?;
    let body = cmd.args.get(pos + 1)?;
    let raw = body.raw.as_str();
    let quoted = (raw.starts_with('\'') && raw.ends_with('\''))
        || (raw.starts_with('"') && raw.ends_with('"') && !raw[1..raw.len() - 1].contains(['\\', '"']));
    if raw.len() < 2 || !quoted {
        return None;
    }
    Some(lt.slice(body.logical.0 + 1, body.logical.1 - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Dockerfile;

    fn script(src: &str) -> (Dockerfile, Script) {
        let d = Dockerfile::parse(src);
        let s = Script::of_run(d.instructions.iter().find(|i| i.keyword == Keyword::Run).unwrap()).unwrap();
        (d, s)
    }

    #[test]
    fn commands_with_spans_across_continuations() {
        let (d, s) = script(
            "FROM a\nRUN apt-get update && \\\n    apt-get install -yq curl | tee x; [ -z \"$x\" ] || echo hi\n",
        );
        let names: Vec<_> = s.commands.iter().map(|c| c.base_name()).collect();
        assert_eq!(names, ["apt-get", "apt-get", "tee", "echo"]);
        let install = &s.commands[1];
        assert!(install.has_flag(&['y'], &["--yes"]));
        assert!(install.has_subcommand(&["install"]));
        assert!(install.in_pipeline);
        assert_eq!(d.slice(install.span), "apt-get install -yq curl");
        assert_eq!(d.slice(install.args[2].span), "curl");
        assert_eq!(s.pipes.len(), 1);
    }

    #[test]
    fn heredoc_scripts_and_sh_c() {
        let (d, s) = script("FROM a\nRUN <<EOF\nset -e\napt-get install -y vim\nEOF\n");
        let names: Vec<_> = s.commands.iter().map(|c| c.base_name()).collect();
        assert_eq!(names, ["set", "apt-get"], "each body command once, no terminator");
        assert!(!s.has_error);
        let c = s.named("apt-get").next().unwrap();
        assert_eq!(d.slice(c.span), "apt-get install -y vim");
        let (_, s) = script("FROM a\nRUN python3 <<EOF\nimport os\nEOF\n");
        assert_eq!(s.commands.len(), 1);
        let (d, s) = script("FROM a\nRUN sh -c 'cd /x && sudo make'\n");
        let sudo = s.named("sudo").next().unwrap();
        assert_eq!(d.slice(sudo.span), "sudo make");
    }
}
