//! Shared pieces of the package-manager rules: which commands install
//! packages, the options whose value is a separate word, cache mounts, cache
//! cleanups, version pins, and the fixes that add a flag or append a cleanup.

use crate::engine::{Context, Diagnostic, Edit, Fix, RuleMeta};
use crate::shell::{Command, Script, ShellWord};
use crate::syntax::{Instruction, Keyword, LogicalText};
use crate::text::Span;

/// apt-get / apt options that take a separate value.
pub(super) const APT_OPTIONS_WITH_VALUE: &[&str] = &["-o", "--option", "-t", "--target-release", "-c", "--config-file"];

/// Every command of every RUN (heredoc scripts, `sh -c` bodies and ONBUILD
/// triggers included), with the index of its instruction.
pub(super) fn all_commands<'m>(cx: &'m Context<'_, '_>) -> impl Iterator<Item = (usize, &'m Command)> + 'm {
    (0..cx.file.instructions.len())
        .filter_map(|idx| cx.model.script(idx).map(|s| (idx, s)))
        .flat_map(|(idx, script)| script.commands.iter().map(move |c| (idx, c)))
}

/// Every RUN command whose base name is one of `names`, with the index of its instruction.
pub(super) fn commands<'m>(
    cx: &'m Context<'_, '_>,
    names: &'m [&str],
) -> impl Iterator<Item = (usize, &'m Command)> + 'm {
    all_commands(cx).filter(move |(_, c)| names.contains(&c.base_name()))
}

/// When the first operand of `cmd` (skipping options and the values of
/// `with_value`) is one of `names`: that subcommand word and the operands after it.
pub(super) fn subcommand<'c>(
    cmd: &'c Command,
    with_value: &[&str],
    names: &[&str],
) -> Option<(&'c ShellWord, Vec<&'c ShellWord>)> {
    let operands = cmd.operands(with_value);
    let (sub, rest) = operands.split_first()?;
    names.contains(&sub.value.as_str()).then(|| (*sub, rest.to_vec()))
}

/// From the command name to its last argument.
fn command_span(cmd: &Command) -> Span {
    Span::new(cmd.name.span.start, cmd.span.end)
}

/// A finding over the whole command whose fix inserts ` <flag>` after `after`
/// (usually the subcommand word, such as `install`).
pub(super) fn missing_flag(
    meta: &'static RuleMeta,
    cmd: &Command,
    after: &ShellWord,
    flag: &str,
    message: impl Into<String>,
) -> Diagnostic {
    meta.diagnostic(command_span(cmd), message)
        .with_fix(Fix::unsafe_(format!("Add {flag}"), vec![Edit::insert(after.span.end, format!(" {flag}"))]))
}

/// A `--mount=type=cache` or `type=tmpfs` on this RUN whose target (without
/// trailing slashes) satisfies `matches`.
pub(super) fn has_cache_mount(inst: &Instruction, matches: impl Fn(&str) -> bool) -> bool {
    inst.flags.iter().filter(|f| f.name.eq_ignore_ascii_case("mount")).any(|f| {
        let value = f.value.as_deref().unwrap_or("");
        let mut kind = "bind";
        let mut target = "";
        for field in value.split(',') {
            let (k, v) = field.split_once('=').unwrap_or((field, ""));
            let v = v.trim_matches(['"', '\'']);
            match k.trim().to_ascii_lowercase().as_str() {
                "type" => kind = v,
                "target" | "dst" | "destination" => target = v,
                _ => {}
            }
        }
        matches!(kind, "cache" | "tmpfs") && matches(target.trim_end_matches('/'))
    })
}

/// True when `path` is `dir` or one of its parents (a mount or removal there covers `dir`).
pub(super) fn covers(path: &str, dir: &str) -> bool {
    !path.is_empty() && (path == dir || dir.strip_prefix(path).is_some_and(|rest| rest.starts_with('/')))
}

/// `rm -r` of a path that, without trailing `/` and `*`, satisfies `matches`.
pub(super) fn removes(cmd: &Command, matches: impl Fn(&str) -> bool) -> bool {
    cmd.is("rm")
        && cmd.has_flag(&['r', 'R'], &["recursive"])
        && cmd.positional().any(|a| matches(a.value.trim_end_matches(['/', '*'])))
}

/// The fix that appends `suffix` to the RUN's command line, when that is sound:
/// the RUN has no heredoc, and the command line still parses with `is_cleanup`
/// as its last command (a trailing comment, say, would swallow it).
pub(super) fn append_fix(
    inst: &Instruction,
    suffix: &str,
    title: impl Into<String>,
    is_cleanup: impl Fn(&Command) -> bool,
) -> Option<Fix> {
    if !inst.heredocs.is_empty() {
        return None;
    }
    let mut text = inst.rest.text.trim_end().to_string();
    text.push_str(suffix);
    let fixed = Script::parse(&LogicalText::contiguous(&text, 0));
    if fixed.has_error || !fixed.commands.last().is_some_and(is_cleanup) {
        return None;
    }
    let end = inst.rest.span(0, inst.rest.text.trim_end().len()).end;
    Some(Fix::unsafe_(title, vec![Edit::insert(end, suffix.to_string())]))
}

/// The first command that fills a cache (`installs`) with no command emptying
/// it (`cleans`) later in the same script.
fn uncleaned(
    script: &Script,
    installs: impl Fn(&Command) -> bool,
    cleans: impl Fn(&Command) -> bool,
) -> Option<&Command> {
    let last_clean = script.commands.iter().filter(|c| cleans(c)).map(|c| c.span.start).max();
    script
        .commands
        .iter()
        .filter(|c| installs(c) && last_clean.is_none_or(|at| c.span.start > at))
        .min_by_key(|c| c.span.start)
}

/// A rule of the form "this package manager's cache must be emptied in the RUN
/// that fills it".
pub(super) struct CacheCleanup {
    pub meta: &'static RuleMeta,
    /// The command, such as `yum`.
    pub tool: &'static str,
    /// Whether a command of `tool` downloads packages into its cache.
    pub installs: fn(&Command) -> bool,
    /// Whether a command of `tool` empties the cache (`yum clean all`).
    pub cleans: fn(&Command) -> bool,
    /// Whether a path is the cache directory or a parent of it: a cache mount
    /// there, or `rm -r` of it after the install, is as good as the cleanup.
    pub cache_dir: fn(&str) -> bool,
    /// The command the fix appends, such as `yum clean all`.
    pub cleanup: &'static str,
    /// Only check stages whose layers can end up in an image (see [`shipped_stages`]).
    pub shipped_only: bool,
}

impl CacheCleanup {
    pub fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let shipped = if self.shipped_only { shipped_stages(cx) } else { Vec::new() };
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            let Some(script) = cx.model.script(idx) else { continue };
            if cx.model.info[idx].stage.is_some_and(|s| !shipped.get(s).copied().unwrap_or(true)) {
                continue;
            }
            let Some(install) = uncleaned(
                script,
                |c| c.is(self.tool) && (self.installs)(c),
                |c| (c.is(self.tool) && (self.cleans)(c)) || removes(c, self.cache_dir),
            ) else {
                continue;
            };
            let inst = inst.effective();
            if has_cache_mount(inst, self.cache_dir) {
                continue;
            }
            let mut d = self.meta.diagnostic(
                command_span(install),
                format!(
                    "run `{}` later in this RUN so the {} cache does not stay in the layer",
                    self.cleanup, self.tool
                ),
            );
            let suffix = format!(" && {}", self.cleanup);
            let title = format!("Run `{}` at the end of this RUN", self.cleanup);
            if let Some(fix) = append_fix(inst, &suffix, title, |c| c.is(self.tool) && (self.cleans)(c)) {
                d = d.with_fix(fix);
            }
            out.push(d);
        }
    }
}

/// For each stage, whether its layers can end up in an image: the last stage,
/// stages no other stage refers to (they may be built with `--target`), and the
/// stages these are built `FROM`. A stage only copied from is a builder.
pub(super) fn shipped_stages(cx: &Context<'_, '_>) -> Vec<bool> {
    let model = cx.model;
    let n = model.stages.len();
    let mut referenced = vec![false; n];
    for stage in &model.stages {
        if let Some(p) = stage.parent() {
            referenced[p] = true;
        }
    }
    for (idx, inst) in cx.file.instructions.iter().enumerate() {
        let inst = inst.effective();
        let mut refs: Vec<String> = Vec::new();
        match inst.keyword {
            Keyword::Copy | Keyword::Add => refs.extend(inst.flag("from").and_then(|f| f.value.clone())),
            Keyword::Run => {
                for f in inst.flags.iter().filter(|f| f.name.eq_ignore_ascii_case("mount")) {
                    let value = f.value.as_deref().unwrap_or("");
                    refs.extend(value.split(',').filter_map(|field| field.strip_prefix("from=")).map(str::to_string));
                }
            }
            _ => {}
        }
        for r in refs {
            let evaluated = model.expand(&r, idx).value;
            if let Some(s) = model.stage_by_ref(evaluated.trim_matches(['"', '\''])) {
                referenced[s.index] = true;
            }
        }
    }
    let mut shipped = vec![false; n];
    for (i, used) in referenced.iter().enumerate() {
        if i + 1 == n || !used {
            let mut at = Some(i);
            // Walk down to the base; each parent index is smaller, so this ends.
            while let Some(s) = at {
                if shipped[s] && s != i {
                    break;
                }
                shipped[s] = true;
                at = model.stages[s].parent().filter(|p| *p < s);
            }
        }
    }
    shipped
}

/// The packages that an install names without a version, gathered over a
/// rule's commands and reported once per instruction (as hadolint does): the
/// finding names every package, starts at the first one, and carries each
/// package's own range as related information.
pub(super) struct Unpinned {
    meta: &'static RuleMeta,
    /// Instruction index, the package's word, the package, its own advice.
    found: Vec<(usize, Span, String, String)>,
}

impl Unpinned {
    pub fn new(meta: &'static RuleMeta) -> Unpinned {
        Unpinned { meta, found: Vec::new() }
    }

    /// Note every package among `words` that `pinned` rejects. Words written
    /// with variables are judged by their ARG/ENV values (a value may hold
    /// several packages) and skipped when a variable has no known value;
    /// command substitutions are skipped.
    pub fn check(
        &mut self,
        cx: &Context<'_, '_>,
        idx: usize,
        words: &[&ShellWord],
        pinned: impl Fn(&str) -> bool,
        message: impl Fn(&str) -> String,
    ) {
        for word in words {
            let value = &word.value;
            if value.contains("$(") || value.contains('`') {
                continue;
            }
            let evaluated = if value.contains('$') {
                let e = cx.model.expand(value, idx);
                if !e.unresolved.is_empty() {
                    continue;
                }
                e.value.split_whitespace().map(compact_str::CompactString::from).collect()
            } else {
                vec![value.clone()]
            };
            for pkg in &evaluated {
                if !pinned(pkg) {
                    self.found.push((idx, word.span, pkg.to_string(), message(pkg)));
                }
            }
        }
    }

    /// One finding per instruction.
    pub fn report(mut self, out: &mut Vec<Diagnostic>) {
        self.found.sort_by_key(|f| (f.0, f.1.start));
        for group in self.found.chunk_by(|a, b| a.0 == b.0) {
            let (_, span, _, message) = &group[0];
            if group.len() == 1 {
                out.push(self.meta.diagnostic(*span, message.clone()));
                continue;
            }
            let names: Vec<String> = group.iter().map(|f| format!("`{}`", f.2)).collect();
            let (last, rest) = names.split_last().unwrap_or((&names[0], &[]));
            let headline = format!("pin the versions of {} and {last}", rest.join(", "));
            let mut d = self.meta.diagnostic(*span, headline);
            for (_, span, _, message) in group {
                d = d.with_related(*span, message.clone());
            }
            out.push(d);
        }
    }
}

/// apk options that take a separate value.
pub(super) const APK_OPTIONS_WITH_VALUE: &[&str] = &[
    "-X",
    "--repository",
    "-t",
    "--virtual",
    "-p",
    "--root",
    "--arch",
    "--cache-dir",
    "--keys-dir",
    "--repositories-file",
    "--cache-max-age",
    "--timeout",
    "--wait",
];

/// `apk add`: the `add` word and the package operands after it.
pub(super) fn apk_add(cmd: &Command) -> Option<(&ShellWord, Vec<&ShellWord>)> {
    subcommand(cmd, APK_OPTIONS_WITH_VALUE, &["add"])
}

/// yum, dnf and microdnf options that take a separate value.
pub(super) const RPM_OPTIONS_WITH_VALUE: &[&str] = &[
    "-c",
    "--config",
    "-d",
    "--debuglevel",
    "-e",
    "--errorlevel",
    "-x",
    "--exclude",
    "-R",
    "--randomwait",
    "--installroot",
    "--enablerepo",
    "--disablerepo",
    "--repo",
    "--repoid",
    "--repofrompath",
    "--releasever",
    "--setopt",
    "--downloaddir",
    "--destdir",
    "--rpmverbosity",
    "--color",
    "--forcearch",
    "--comment",
    "--disableexcludes",
    "--disableplugin",
    "--enableplugin",
];

/// What a yum / dnf / microdnf command installs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RpmKind {
    Packages,
    Groups,
    Modules,
}

/// A yum / dnf / microdnf install command: the word that says `install`, what
/// it installs, and the operands naming what to install.
struct RpmInstall<'c> {
    word: &'c ShellWord,
    kind: RpmKind,
    names: Vec<&'c ShellWord>,
}

/// Whether `cmd` (yum, dnf or microdnf) installs something: `install`,
/// `localinstall`, `groupinstall`, `group install` or `module install`.
fn rpm_install(cmd: &Command) -> Option<RpmInstall<'_>> {
    let ops = cmd.operands(RPM_OPTIONS_WITH_VALUE);
    let first = ops.first()?;
    let (at, kind) = match (first.value.as_str(), ops.get(1).map(|w| w.value.as_str())) {
        (sub, _) if RPM_INSTALL.contains(&sub) => (0, RpmKind::Packages),
        ("groupinstall", _) => (0, RpmKind::Groups),
        ("group" | "groups" | "grp", Some("install")) => (1, RpmKind::Groups),
        ("module", Some("install")) => (1, RpmKind::Modules),
        _ => return None,
    };
    let word = ops.get(at)?;
    Some(RpmInstall { word, kind, names: ops.get(at + 1..).unwrap_or_default().to_vec() })
}

/// Whether an rpm package spec names a version (`httpd-2.4.57`, `jq-1.6-2.el9`,
/// `nodejs:18` for modules), or needs none (a local `.rpm`, a path or URL, a `@group`).
fn rpm_spec_pinned(kind: RpmKind, spec: &str) -> bool {
    if kind == RpmKind::Modules {
        return spec.contains(':');
    }
    if spec.ends_with(".rpm") || spec.contains('/') || spec.starts_with('@') {
        return true;
    }
    // A version follows a dash: parts made of version characters, one starting with a digit.
    let mut parts = spec.split('-').skip(1).peekable();
    parts.peek().is_some()
        && parts.clone().all(|p| p.chars().all(|c| c.is_ascii_alphanumeric() || ".~^_:+".contains(c)))
        && parts.any(|p| p.starts_with(|c: char| c.is_ascii_digit()))
}

/// DL3030 / DL3038: `<tool> install` without `-y` / `--assumeyes`.
pub(super) fn report_rpm_without_yes(
    cx: &Context<'_, '_>,
    meta: &'static RuleMeta,
    tools: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    for (_, cmd) in commands(cx, tools) {
        let Some(install) = rpm_install(cmd) else { continue };
        if !cmd.has_flag(&['y'], &["assumeyes"]) {
            let message = format!("add `-y` so `{}` does not stop to ask for confirmation", cmd.base_name());
            out.push(missing_flag(meta, cmd, install.word, "-y", message));
        }
    }
}

/// DL3033 / DL3041: packages and modules that `<tool> install` names without a version.
pub(super) fn report_rpm_unpinned(
    cx: &Context<'_, '_>,
    meta: &'static RuleMeta,
    tools: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    let mut found = Unpinned::new(meta);
    for (idx, cmd) in commands(cx, tools) {
        let Some(install) = rpm_install(cmd) else { continue };
        let kind = install.kind;
        if kind == RpmKind::Groups {
            continue;
        }
        let message = |spec: &str| match kind {
            RpmKind::Modules => format!("pin the stream of module `{spec}` (`{spec}:<stream>`)"),
            _ => format!("pin the version of `{spec}` (`{spec}-<version>`)"),
        };
        found.check(cx, idx, &install.names, |spec| rpm_spec_pinned(kind, spec), message);
    }
    found.report(out);
}

/// The subcommands (and their aliases) that install packages by name: dnf's
/// `install` command answers to `in`, `localinstall` and the `install-n`
/// forms (dnf/cli/commands/install.py), dnf5 keeps `in` and `localinstall` as
/// compatibility aliases (dnf5/config/usr/share/dnf5/aliases.d/compatibility.conf).
const RPM_INSTALL: &[&str] = &["install", "in", "localinstall", "install-n", "install-na", "install-nevra"];

/// Other subcommands that download packages (and so fill the cache), with
/// dnf's and dnf5's aliases: upgrade (`update`, `up`, `upgrade-to`,
/// `update-to`, `localupdate`), `upgrade-minimal` (`update-minimal`,
/// `up-min`), `reinstall` (`rei`), `downgrade` (`dg`), `distro-sync`
/// (`distrosync`, `distribution-synchronization`, `dsync`), `groupupdate`,
/// and `makecache` (`mc`), which fills the metadata cache.
const RPM_DOWNLOADS: &[&str] = &[
    "upgrade",
    "update",
    "up",
    "upgrade-to",
    "update-to",
    "localupdate",
    "upgrade-minimal",
    "update-minimal",
    "up-min",
    "reinstall",
    "rei",
    "downgrade",
    "dg",
    "distro-sync",
    "distrosync",
    "distribution-synchronization",
    "dsync",
    "groupupdate",
    "makecache",
    "mc",
];

/// Whether a yum / dnf / microdnf command downloads packages or metadata into
/// its cache: an install (see [`rpm_install`]), an upgrade, reinstall,
/// downgrade or distro-sync under any alias, a group upgrade, or `makecache`.
pub(super) fn rpm_installs(cmd: &Command) -> bool {
    if rpm_install(cmd).is_some() {
        return true;
    }
    let ops = cmd.operands(RPM_OPTIONS_WITH_VALUE);
    match (ops.first().map(|w| w.value.as_str()), ops.get(1).map(|w| w.value.as_str())) {
        (Some(sub), _) if RPM_DOWNLOADS.contains(&sub) => true,
        (Some("group" | "groups" | "grp"), Some("upgrade" | "update")) => true,
        _ => false,
    }
}

/// `clean` as the subcommand of a yum / dnf / microdnf command.
pub(super) fn rpm_cleans(cmd: &Command) -> bool {
    cmd.operands(RPM_OPTIONS_WITH_VALUE).first().is_some_and(|w| w.value == "clean")
}

/// The cache directories of yum, dnf, dnf5 and microdnf (or a parent of one).
pub(super) fn rpm_cache(path: &str) -> bool {
    ["/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"].iter().any(|d| covers(path, d))
}

/// zypper global and install options that take a separate value.
pub(super) const ZYPPER_OPTIONS_WITH_VALUE: &[&str] = &[
    "-c",
    "--config",
    "-R",
    "--root",
    "-D",
    "--reposd-dir",
    "-C",
    "--cache-dir",
    "--raw-cache-dir",
    "--solv-cache-dir",
    "--pkg-cache-dir",
    "--userdata",
    "-t",
    "--type",
    "-r",
    "--repo",
    "--from",
    "--download",
];

/// `zypper install` / `zypper in`: the subcommand word and its operands.
pub(super) fn zypper_install(cmd: &Command) -> Option<(&ShellWord, Vec<&ShellWord>)> {
    subcommand(cmd, ZYPPER_OPTIONS_WITH_VALUE, &["install", "in"])
}

/// pip global and install options that take a separate value.
const PIP_OPTIONS_WITH_VALUE: &[&str] = &[
    "--abi",
    "-b",
    "--build",
    "-C",
    "--config-settings",
    "--cache-dir",
    "--cert",
    "--client-cert",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "--exists-action",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--global-option",
    "-i",
    "--index-url",
    "--implementation",
    "--install-option",
    "--keyring-provider",
    "--log",
    "--no-binary",
    "--only-binary",
    "--platform",
    "--prefix",
    "--progress-bar",
    "--proxy",
    "--python",
    "--python-version",
    "-r",
    "--requirement",
    "--report",
    "--retries",
    "--root",
    "--root-user-action",
    "--src",
    "-t",
    "--target",
    "--timeout",
    "--trusted-host",
    "--upgrade-strategy",
    "--use-deprecated",
    "--use-feature",
];

/// A `pip install` (or `python -m pip install`): the `install` word and the
/// operands after it.
pub(super) struct PipInstall<'c> {
    pub install: &'c ShellWord,
    pub names: Vec<&'c ShellWord>,
}

fn is_versioned_name(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix).is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Recognise `pip install`, `pip3.12 install`, `python3 -m pip install`, and
/// with `with_pipx` also `pipx install`.
pub(super) fn pip_install(cmd: &Command, with_pipx: bool) -> Option<PipInstall<'_>> {
    let name = cmd.base_name();
    let ops = if is_versioned_name(name, "pip") || (with_pipx && name == "pipx") {
        cmd.operands(PIP_OPTIONS_WITH_VALUE)
    } else if is_versioned_name(name, "python") {
        // `python -m pip ...`: python's own options, then pip's.
        let m = cmd.args.iter().position(|a| a.value == "-m")?;
        if cmd.args.get(m + 1)?.value != "pip" {
            return None;
        }
        let mut with_value = vec!["-m", "-W", "-X"];
        with_value.extend(PIP_OPTIONS_WITH_VALUE);
        cmd.operands(&with_value)
    } else {
        return None;
    };
    let mut ops = ops.into_iter();
    let install = ops.next().filter(|w| w.value == "install")?;
    Some(PipInstall { install, names: ops.collect() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Dockerfile;

    fn first_run(src: &str) -> (Dockerfile, Script) {
        let d = Dockerfile::parse(src);
        let inst = d.instructions.iter().find(|i| i.effective().keyword == Keyword::Run).unwrap();
        let s = Script::of_run(inst).unwrap();
        (d, s)
    }

    #[test]
    fn covers_parents_only() {
        assert!(covers("/var/cache", "/var/cache/apk"));
        assert!(covers("/var/cache/apk", "/var/cache/apk"));
        assert!(!covers("/var/cache/ap", "/var/cache/apk"));
        assert!(!covers("/var/cache/apk/x", "/var/cache/apk"));
        assert!(!covers("", "/var/cache/apk"));
    }

    #[test]
    fn cache_mounts_by_target() {
        let d = Dockerfile::parse(
            "FROM a\nRUN --mount=type=cache,target=/var/cache/apk/ --mount=type=bind,target=/x apk add x\n",
        );
        let inst = &d.instructions[1];
        assert!(has_cache_mount(inst, |t| t == "/var/cache/apk"));
        assert!(!has_cache_mount(inst, |t| t == "/x"), "a bind mount is not a cache");
    }

    #[test]
    fn removes_recursively_only() {
        let (_, s) = first_run("FROM a\nRUN rm -rf /var/cache/apk/* && rm /var/cache/yum\n");
        assert!(removes(&s.commands[0], |p| p == "/var/cache/apk"));
        assert!(!removes(&s.commands[1], |p| p == "/var/cache/yum"));
    }

    #[test]
    fn uncleaned_finds_the_install_after_the_last_cleanup() {
        let (d, s) = first_run("FROM a\nRUN yum install -y a && yum clean all && yum install -y b\n");
        let installs = |c: &Command| c.is("yum") && rpm_install(c).is_some();
        let cleans = |c: &Command| c.is("yum") && c.has_subcommand(&["clean"]);
        let c = uncleaned(&s, installs, cleans).unwrap();
        assert_eq!(d.slice(c.span), "yum install -y b");
        let (_, s) = first_run("FROM a\nRUN yum install -y a && yum clean all\n");
        assert!(uncleaned(&s, installs, cleans).is_none());
    }

    #[test]
    fn append_fix_needs_a_plain_command_line() {
        let is_clean = |c: &Command| c.is("yum") && c.has_subcommand(&["clean"]);
        let d = Dockerfile::parse("FROM a\nRUN yum install -y a \\\n  b\n");
        let fix = append_fix(&d.instructions[1], " && yum clean all", "t", is_clean).unwrap();
        assert_eq!(fix.edits[0].span.start, d.text.find(" b").unwrap() + 2);
        let d = Dockerfile::parse("FROM a\nRUN yum install -y a # comment\n");
        assert!(append_fix(&d.instructions[1], " && yum clean all", "t", is_clean).is_none());
        let d = Dockerfile::parse("FROM a\nRUN <<EOF\nyum install -y a\nEOF\n");
        assert!(append_fix(&d.instructions[1], " && yum clean all", "t", is_clean).is_none());
    }

    #[test]
    fn rpm_installs_and_versions() {
        let (_, s) = first_run(
            "FROM a\nRUN yum --enablerepo epel install -y jq && dnf group install x && dnf module install n:1 && yum update\n",
        );
        let i = rpm_install(&s.commands[0]).unwrap();
        assert_eq!(i.kind, RpmKind::Packages);
        assert_eq!(i.names.iter().map(|w| w.value.as_str()).collect::<Vec<_>>(), ["jq"]);
        assert_eq!(rpm_install(&s.commands[1]).unwrap().kind, RpmKind::Groups);
        assert_eq!(rpm_install(&s.commands[2]).unwrap().kind, RpmKind::Modules);
        assert!(rpm_install(&s.commands[3]).is_none());
        assert!(rpm_spec_pinned(RpmKind::Packages, "httpd-2.4.57-5.el9"));
        assert!(rpm_spec_pinned(RpmKind::Packages, "java-11-openjdk"));
        assert!(rpm_spec_pinned(RpmKind::Packages, "/tmp/x.rpm"));
        assert!(!rpm_spec_pinned(RpmKind::Packages, "python3-devel"));
        assert!(!rpm_spec_pinned(RpmKind::Packages, "jq"));
        assert!(!rpm_spec_pinned(RpmKind::Modules, "nodejs"));
        assert!(rpm_spec_pinned(RpmKind::Modules, "nodejs:18"));
    }

    #[test]
    fn pip_forms() {
        let (_, s) = first_run(
            "FROM a\nRUN pip3.12 --proxy p install -U x && python3 -m pip install y && pipx install z && pip download w\n",
        );
        let p = pip_install(&s.commands[0], false).unwrap();
        assert_eq!(p.names.iter().map(|w| w.value.as_str()).collect::<Vec<_>>(), ["x"]);
        let p = pip_install(&s.commands[1], false).unwrap();
        assert_eq!(p.names.iter().map(|w| w.value.as_str()).collect::<Vec<_>>(), ["y"]);
        assert!(pip_install(&s.commands[2], false).is_none());
        assert!(pip_install(&s.commands[2], true).is_some());
        assert!(pip_install(&s.commands[3], false).is_none());
        let (_, s) = first_run("FROM a\nRUN pip install --requirement=r.txt -c c.txt\n");
        assert!(pip_install(&s.commands[0], false).unwrap().names.is_empty());
    }
}
