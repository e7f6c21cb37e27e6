//! Hover: the reference text (keywords, flags, directives) and `Analysis::hover`.

use crate::ide::{Hover, clamp_offset};
use crate::model::{Base, VarKind, is_automatic_arg};
use crate::syntax::{Instruction, Keyword};
use crate::text::Span;

// The flag table the BD2xxx rules use.
use crate::rules::dockerfile::instruction_spec;

use super::analysis::*;

// ---------------------------------------------------------------------------
// Reference text
// ---------------------------------------------------------------------------

/// One instruction's reference: what it does, its syntax, its anchor.
pub(super) struct KeywordDoc {
    pub(super) keyword: Keyword,
    pub(super) summary: &'static str,
    pub(super) syntax: &'static str,
    pub(super) anchor: &'static str,
    pub(super) snippet: &'static str,
}

pub(super) static KEYWORD_DOCS: &[KeywordDoc] = &[
    KeywordDoc {
        keyword: Keyword::From,
        summary: "Starts a new build stage on a base image, an earlier stage or `scratch`. `AS name` names the \
                  stage for `COPY --from`, `RUN --mount=from=` and `--target`. ARGs declared before the first \
                  FROM can be used in FROM lines.",
        syntax: "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]",
        anchor: "from",
        snippet: "FROM ${1:image}",
    },
    KeywordDoc {
        keyword: Keyword::Run,
        summary: "Runs a command in a new layer on top of the current image. The shell form runs under the stage's \
                  SHELL (`/bin/sh -c` by default); the exec form runs the program directly.",
        syntax: "RUN [--mount=...] [--network=...] [--security=...] <command>\nRUN [OPTIONS] [\"executable\", \"param\", ...]\nRUN <<EOF\n...\nEOF",
        anchor: "run",
        snippet: "RUN ${1:command}",
    },
    KeywordDoc {
        keyword: Keyword::Cmd,
        summary: "Sets the default command of containers started from the image, or the default arguments of \
                  ENTRYPOINT. Only the last CMD of the final stage counts. Prefer the exec (JSON) form.",
        syntax: "CMD [\"executable\", \"param\", ...]\nCMD [\"param\", ...]\nCMD command param ...",
        anchor: "cmd",
        snippet: "CMD [\"${1:executable}\"]",
    },
    KeywordDoc {
        keyword: Keyword::Label,
        summary: "Adds metadata to the image as key-value pairs (for example the `org.opencontainers.image.*` keys).",
        syntax: "LABEL <key>=<value> [<key>=<value> ...]",
        anchor: "label",
        snippet: "LABEL ${1:key}=\"${2:value}\"",
    },
    KeywordDoc {
        keyword: Keyword::Maintainer,
        summary: "Deprecated: sets the image's author field. Use `LABEL org.opencontainers.image.authors=...`.",
        syntax: "MAINTAINER <name>",
        anchor: "maintainer-deprecated",
        snippet: "MAINTAINER ${1:name}",
    },
    KeywordDoc {
        keyword: Keyword::Expose,
        summary: "Documents the ports the container listens on (TCP unless `/udp` is given). It does not publish \
                  them: that is `docker run -p` or Compose `ports`.",
        syntax: "EXPOSE <port>[/<protocol>] ...",
        anchor: "expose",
        snippet: "EXPOSE ${1:8080}",
    },
    KeywordDoc {
        keyword: Keyword::Env,
        summary: "Sets environment variables. They are visible to the later instructions of the stage, to stages \
                  built on it and to containers run from the image.",
        syntax: "ENV <key>=<value> [<key>=<value> ...]",
        anchor: "env",
        snippet: "ENV ${1:NAME}=${2:value}",
    },
    KeywordDoc {
        keyword: Keyword::Add,
        summary: "Adds files from the build context, URLs or Git repositories, and unpacks local tar archives. \
                  Prefer COPY for plain local files.",
        syntax: "ADD [OPTIONS] <src> ... <dest>\nADD [OPTIONS] [\"<src>\", ... \"<dest>\"]",
        anchor: "add",
        snippet: "ADD ${1:src} ${2:dest}",
    },
    KeywordDoc {
        keyword: Keyword::Copy,
        summary: "Copies files and directories from the build context, another stage or an image (`--from`) into \
                  the image.",
        syntax: "COPY [OPTIONS] <src> ... <dest>\nCOPY [OPTIONS] [\"<src>\", ... \"<dest>\"]",
        anchor: "copy",
        snippet: "COPY ${1:src} ${2:dest}",
    },
    KeywordDoc {
        keyword: Keyword::Entrypoint,
        summary: "Makes the container run as an executable; CMD gives its default arguments. Use the exec (JSON) \
                  form so that the process is PID 1 and receives signals.",
        syntax: "ENTRYPOINT [\"executable\", \"param\", ...]\nENTRYPOINT command param ...",
        anchor: "entrypoint",
        snippet: "ENTRYPOINT [\"${1:executable}\"]",
    },
    KeywordDoc {
        keyword: Keyword::Volume,
        summary: "Creates a mount point for externally mounted volumes. Files written to it by later build steps \
                  may be discarded.",
        syntax: "VOLUME [\"/data\"]\nVOLUME /data ...",
        anchor: "volume",
        snippet: "VOLUME ${1:/data}",
    },
    KeywordDoc {
        keyword: Keyword::User,
        summary: "Sets the user (and optionally the group) for the rest of the stage and for containers run from \
                  the image.",
        syntax: "USER <user>[:<group>]\nUSER <uid>[:<gid>]",
        anchor: "user",
        snippet: "USER ${1:user}",
    },
    KeywordDoc {
        keyword: Keyword::Workdir,
        summary: "Sets the working directory of later RUN, CMD, ENTRYPOINT, COPY and ADD, creating it if needed. \
                  A relative path is resolved against the previous WORKDIR.",
        syntax: "WORKDIR /path/to/workdir",
        anchor: "workdir",
        snippet: "WORKDIR ${1:/app}",
    },
    KeywordDoc {
        keyword: Keyword::Arg,
        summary: "Declares a build argument (`--build-arg`), optionally with a default. Before the first FROM it is \
                  global and usable in FROM lines; a stage must declare it again (`ARG NAME`) to see it. Values \
                  show in the image history: do not pass secrets this way.",
        syntax: "ARG <name>[=<default value>] [<name>[=<default value>] ...]",
        anchor: "arg",
        snippet: "ARG ${1:NAME}=${2:value}",
    },
    KeywordDoc {
        keyword: Keyword::Onbuild,
        summary: "Adds a trigger instruction that runs later, when the image is the base of another build.",
        syntax: "ONBUILD <INSTRUCTION>",
        anchor: "onbuild",
        snippet: "ONBUILD ${1:INSTRUCTION}",
    },
    KeywordDoc {
        keyword: Keyword::Stopsignal,
        summary: "Sets the signal that stops the container (SIGTERM by default).",
        syntax: "STOPSIGNAL <signal>",
        anchor: "stopsignal",
        snippet: "STOPSIGNAL ${1:SIGTERM}",
    },
    KeywordDoc {
        keyword: Keyword::Healthcheck,
        summary: "Tells the runtime how to check that the container still works; `NONE` disables a check inherited \
                  from the base image.",
        syntax: "HEALTHCHECK [--interval=30s] [--timeout=30s] [--start-period=0s] [--start-interval=5s] \
                 [--retries=3] CMD <command>\nHEALTHCHECK NONE",
        anchor: "healthcheck",
        snippet: "HEALTHCHECK --interval=${1:30s} --timeout=${2:5s} CMD ${3:command}",
    },
    KeywordDoc {
        keyword: Keyword::Shell,
        summary: "Sets the shell that runs the shell form of RUN, CMD and ENTRYPOINT (`[\"/bin/sh\", \"-c\"]` by \
                  default on Linux).",
        syntax: "SHELL [\"executable\", \"parameters\"]",
        anchor: "shell",
        snippet: "SHELL [\"${1:/bin/bash}\", \"${2:-c}\"]",
    },
];

pub(super) fn keyword_doc(k: Keyword) -> Option<&'static KeywordDoc> {
    KEYWORD_DOCS.iter().find(|d| d.keyword == k)
}

pub(super) fn keyword_markdown(d: &KeywordDoc) -> String {
    format!(
        "**{}**: {}\n\n```dockerfile\n{}\n```\n\n[Dockerfile reference]({REFERENCE}#{})",
        d.keyword.as_str(),
        d.summary,
        d.syntax,
        d.anchor
    )
}

/// What a flag does, and the reference anchor of its section.
pub(super) fn flag_doc(k: Keyword, name: &str) -> Option<(&'static str, &'static str)> {
    Some(match (k, name) {
        (Keyword::From, "platform") => (
            "The platform of the base image, such as `linux/amd64`, for multi-platform builds. Usually \
             `$BUILDPLATFORM` (build tools that run on the builder) or `$TARGETPLATFORM`; a constant value \
             pins the stage to one platform.",
            "from",
        ),
        (Keyword::Copy, "from") => (
            "Copy from an earlier build stage (by name or index), an image or a named build context instead \
             of the build context.",
            "copy---from",
        ),
        (Keyword::Copy | Keyword::Add, "chown") => (
            "Owner of the copied files: `user`, `user:group`, `uid` or `uid:gid` (names are looked up in the \
             image's `/etc/passwd` and `/etc/group`). Without it, files belong to root (0:0).",
            "copy---chown---chmod",
        ),
        (Keyword::Copy | Keyword::Add, "chmod") => (
            "Permissions of the copied files: an octal mode such as `0755` (or a symbolic one such as `u+x` \
             with recent syntax versions).",
            "copy---chown---chmod",
        ),
        (Keyword::Copy | Keyword::Add, "link") => (
            "Copy into a separate layer that does not depend on the layers below, so that it stays cached \
             when the base changes and can be rebased without a rebuild.",
            "copy---link",
        ),
        (Keyword::Copy, "parents") => (
            "Keep the parent directories of the sources (up to a `/./` pivot) under the destination.",
            "copy---parents",
        ),
        (Keyword::Copy | Keyword::Add, "exclude") => {
            ("Leave out files that match this pattern (may be repeated).", "copy---exclude")
        }
        (Keyword::Add, "keep-git-dir") => {
            ("When adding a Git repository, keep its `.git` directory.", "add---keep-git-dir")
        }
        (Keyword::Add, "checksum") => {
            ("Verify a remote source: `sha256:<hex>` (or a commit for Git sources).", "add---checksum")
        }
        (Keyword::Add, "unpack") => (
            "Whether to unpack a tar archive source (local archives are unpacked and remote ones are not, \
             by default).",
            "add",
        ),
        (Keyword::Run, "mount") => (
            "Mount something during this RUN only: `type=cache` (a persistent cache directory), `bind` \
             (files of the context or another stage), `tmpfs`, `secret` (a secret file or variable that \
             never reaches the image) or `ssh` (the SSH agent).",
            "run---mount",
        ),
        (Keyword::Run, "network") => (
            "The network of the command: `default`, `none` (no network access) or `host` (needs the \
             `network.host` entitlement).",
            "run---network",
        ),
        (Keyword::Run, "security") => (
            "`insecure` runs the command without the sandbox (needs the `security.insecure` entitlement); \
             `sandbox` is the default.",
            "run---security",
        ),
        (Keyword::Run, "device") => ("Expose a CDI device to the command (`name[,required]`).", "run"),
        (Keyword::Healthcheck, "interval") => ("Time between checks (default `30s`).", "healthcheck"),
        (Keyword::Healthcheck, "timeout") => {
            ("How long one check may take before it counts as failed (default `30s`).", "healthcheck")
        }
        (Keyword::Healthcheck, "start-period") => {
            ("Grace time after start during which failures do not count (default `0s`).", "healthcheck")
        }
        (Keyword::Healthcheck, "start-interval") => {
            ("Time between checks during the start period (default `5s`).", "healthcheck")
        }
        (Keyword::Healthcheck, "retries") => {
            ("Consecutive failures before the container is unhealthy (default `3`).", "healthcheck")
        }
        _ => return None,
    })
}

pub(super) static MOUNT_TYPE_DOCS: &[(&str, &str)] = &[
    ("bind", "Bind files of the build context (or of another stage with `from=`), read-only by default."),
    ("cache", "A directory kept between builds for compilers and package managers (`target=` is required)."),
    ("tmpfs", "An in-memory file system, empty for each run."),
    ("secret", "A secret (`--secret id=...`) as a file under `/run/secrets/` or as a variable (`env=`)."),
    ("ssh", "The SSH agent socket (`--ssh`), for private Git repositories."),
];

pub(super) static MOUNT_KEY_DOCS: &[(&str, &str, &[&str])] = &[
    ("target", "Where the mount appears (`dst`, `destination`).", &["bind", "cache", "tmpfs", "secret", "ssh"]),
    ("source", "Path in `from` (or the context) to mount (`src`).", &["bind", "cache"]),
    ("from", "Stage, image or build context to mount from.", &["bind", "cache"]),
    ("readonly", "Mount read-only (`ro`); bind mounts are read-only by default.", &["bind", "cache"]),
    ("rw", "Allow writes to a bind mount (they are discarded).", &["bind"]),
    ("id", "Cache id (defaults to `target`) or secret/SSH id.", &["cache", "secret", "ssh"]),
    ("sharing", "`shared` (default), `private` or `locked`.", &["cache"]),
    ("mode", "File mode of the cache directory, secret or socket.", &["cache", "secret", "ssh"]),
    ("uid", "User id owning the mount.", &["cache", "secret", "ssh"]),
    ("gid", "Group id owning the mount.", &["cache", "secret", "ssh"]),
    ("size", "Maximum size of a tmpfs, such as `64m`.", &["tmpfs"]),
    ("env", "Expose the secret as this environment variable.", &["secret"]),
    ("required", "Fail when the secret or SSH socket is not given.", &["secret", "ssh"]),
];

pub(super) static DIRECTIVE_DOCS: &[(&str, &str, &str)] = &[
    (
        "syntax",
        "The Dockerfile frontend that builds this file, such as `docker/dockerfile:1` (the latest 1.x).",
        "syntax",
    ),
    ("escape", "The escape and line-continuation character: `\\` (default) or `` ` `` (handy on Windows).", "escape"),
    (
        "check",
        "Configures the build checks: `skip=Name,...` turns checks off, `error=true` makes warnings fail the build.",
        "check",
    ),
];

pub(super) const PLATFORMS: &[&str] = &[
    "$BUILDPLATFORM",
    "$TARGETPLATFORM",
    "linux/amd64",
    "linux/arm64",
    "linux/arm/v7",
    "linux/arm/v6",
    "linux/386",
    "linux/ppc64le",
    "linux/s390x",
    "linux/riscv64",
    "windows/amd64",
];

// ---------------------------------------------------------------------------
// Hover
// ---------------------------------------------------------------------------

impl Analysis {
    /// Hover text at `offset`: an instruction keyword's reference, a flag's
    /// description, a stage (where it is defined, its base), a variable (its
    /// value at that point and where it is defined), a parser directive, or
    /// the rule named in a `# hadolint ignore=` / `# berth ignore=` /
    /// `# check=skip=` comment.
    pub fn hover(&self, offset: usize) -> Option<Hover> {
        let off = clamp_offset(self.text(), offset);
        if let Some(h) = self.hover_comment(off) {
            return Some(h);
        }
        if let Some(u) = self.use_at(off) {
            return Some(Hover { span: u.span, markdown: self.var_use_markdown(u) });
        }
        if let Some(d) = self.def_at(off) {
            return Some(Hover { span: self.defs[d].span, markdown: self.def_markdown(d) });
        }
        if let Some(u) = self.stage_use_at(off) {
            return Some(Hover { span: u.span, markdown: self.stage_markdown(u.stage) });
        }
        if let Some(s) = self.stage_def_at(off) {
            let span = self.stages[s].name.as_ref().map(|(_, sp)| *sp).unwrap_or_default();
            return Some(Hover { span, markdown: self.stage_markdown(s) });
        }
        let idx = self.instruction_at(off)?;
        let inst = &self.file.instructions[idx];
        // The keyword, or an ONBUILD trigger's keyword.
        let mut cur = Some(inst);
        while let Some(i) = cur {
            if touches(i.keyword_span, off) {
                let d = keyword_doc(i.keyword)?;
                return Some(Hover { span: i.keyword_span, markdown: keyword_markdown(d) });
            }
            if let Some(h) = hover_flag(i, off) {
                return Some(h);
            }
            cur = i.trigger.as_deref();
        }
        // The image of a FROM.
        if inst.keyword == Keyword::From
            && let Some(s) = self.inst_stage.get(idx).copied().flatten()
            && let Some((_, span)) = &self.stages[s].image_raw
            && touches(*span, off)
        {
            let md = match &self.stages[s].base {
                Base::Image(img) => {
                    let mut md = format!("**Base image** {}", self.stage_base_text(s));
                    if !img.repository.is_empty() {
                        md.push_str(&format!(
                            "\n\n- registry: {}\n- repository: {}\n- tag: {}",
                            img.registry.as_deref().map_or("Docker Hub (default)".to_string(), code),
                            code(&img.repository),
                            img.tag.as_deref().map_or_else(
                                || if img.digest.is_some() { "none".to_string() } else { "`latest` (default)".into() },
                                code
                            )
                        ));
                        if let Some(d) = &img.digest {
                            md.push_str(&format!("\n- digest: {}", code(d)));
                        }
                    }
                    md
                }
                Base::Scratch => "**scratch**: an empty image, the start of images built from nothing.".into(),
                Base::Stage(p) => self.stage_markdown(*p),
            };
            return Some(Hover { span: *span, markdown: md });
        }
        None
    }

    pub(super) fn var_use_markdown(&self, u: &VarUse) -> String {
        match u.def {
            Some(d) => {
                let def = &self.defs[d];
                let value = match &def.value {
                    Some(v) => format!("= {}", code(v)),
                    None => "has no default value (set it with `--build-arg`)".to_string(),
                };
                let mut md = format!("**{}** {value}\n\nDefined by {}", def.name, self.def_origin(d));
                if def.stage.is_some() && def.stage != self.scope_of(u.inst) {
                    md.push_str(" Inherited through the base stage.");
                }
                md
            }
            None => {
                let mut md = format!("**{}**: not defined in this Dockerfile", u.name);
                let scope = self.scope_of(u.inst);
                let global = self.defs.iter().rposition(|d| d.stage.is_none() && d.name == u.name);
                if is_automatic_arg(&u.name) {
                    md = format!("**{}**: a build argument BuildKit sets itself", u.name);
                    if scope.is_some() {
                        md.push_str(&format!(
                            "; inside a stage it is empty unless the stage declares `ARG {}`",
                            u.name
                        ));
                    }
                } else if let (Some(g), Some(_)) = (global, scope) {
                    md.push_str(&format!(
                        ".\n\nA global `ARG {}` exists (line {}), but a stage sees it only after declaring \
                         `ARG {}` again.",
                        u.name,
                        self.line1(self.defs[g].span.start),
                        u.name
                    ));
                } else {
                    md.push_str(" (it may come from the base image's environment or from the shell).");
                }
                md
            }
        }
    }

    /// "`ARG` on line N, global (before the first FROM)." and friends.
    pub(super) fn def_origin(&self, d: usize) -> String {
        let def = &self.defs[d];
        let kind = if def.kind == VarKind::Arg { "ARG" } else { "ENV" };
        let place = match def.stage {
            None => "global (before the first FROM)".to_string(),
            Some(s) => format!("in stage {}", self.stage_label(s)),
        };
        let mut out = format!("`{kind}` on line {}, {place}.", self.line1(def.span.start));
        if let Some(g) = def.link {
            out.push_str(&format!(
                " It re-declares the global `ARG {}` (line {}) and takes its default.",
                def.name,
                self.line1(self.defs[g].span.start)
            ));
        }
        out
    }

    pub(super) fn def_markdown(&self, d: usize) -> String {
        let def = &self.defs[d];
        let value = match (&def.value, &def.raw_value) {
            (Some(v), Some(raw)) if v != raw => format!("= {} (written {})", code(v), code(raw)),
            (Some(v), _) => format!("= {}", code(v)),
            (None, _) => "has no default value (set it with `--build-arg`)".to_string(),
        };
        let fam = self.family(d);
        let uses = self.uses.iter().filter(|u| u.def.is_some_and(|x| fam.contains(&x))).count();
        format!(
            "**{}** {value}\n\n{} Used {uses} time{}.",
            def.name,
            self.def_origin(d),
            if uses == 1 { "" } else { "s" }
        )
    }

    pub(super) fn stage_markdown(&self, s: usize) -> String {
        let st = &self.stages[s];
        let line = self.file.instructions.get(st.from).map_or(1, |i| self.line1(i.span.start));
        let title = match &st.name {
            Some((n, _)) => format!("**Stage `{n}`** (stage {s})"),
            None => format!("**Stage {s}** (unnamed)"),
        };
        let last = s + 1 == self.stages.len();
        format!(
            "{title}, defined on line {line}\n\nBase: {}{}",
            self.stage_base_text(s),
            if last { "\n\nThe last stage: it is the image `docker build` produces without `--target`." } else { "" }
        )
    }

    /// Hovers inside comment lines: directives and suppression pragmas.
    pub(super) fn hover_comment(&self, off: usize) -> Option<Hover> {
        let c = self.file.comments.iter().find(|c| touches(c.span, off))?;
        let line = &self.file.text[c.span.start..c.span.end];
        if let Some(d) = self.file.directives.iter().find(|d| d.span == c.span) {
            let (_, doc, anchor) = DIRECTIVE_DOCS.iter().find(|(n, _, _)| *n == d.name)?;
            if d.name == "check" {
                // A check name in `skip=` gives that rule.
                if let Some(h) = rule_in_list(line, c.span.start, off, "skip") {
                    return Some(h);
                }
            }
            return Some(Hover {
                span: d.span,
                markdown: format!(
                    "**Parser directive `{}`**: {doc}\n\n[Dockerfile reference]({REFERENCE}#{anchor})",
                    d.name
                ),
            });
        }
        let body = line.trim_start_matches('#').trim_start();
        if body.starts_with("check=") {
            return rule_in_list(line, c.span.start, off, "skip");
        }
        if body.starts_with("hadolint") || body.starts_with("berth") {
            return rule_in_list(line, c.span.start, off, "ignore");
        }
        None
    }
}

/// The rule whose selector in the list after `marker` (`ignore=A,B`,
/// `skip=A,B`) touches `off`.
pub(super) fn rule_in_list(line: &str, line_start: usize, off: usize, marker: &str) -> Option<Hover> {
    let m = line.find(marker)?;
    let after = &line[m + marker.len()..];
    let eq = after.find('=')?;
    if !after[..eq].trim().is_empty() {
        return None;
    }
    let list_off = m + marker.len() + eq + 1;
    let rest = &line[list_off..];
    let lead = rest.len() - rest.trim_start().len();
    let list = rest.trim_start().split(|c: char| c.is_whitespace() || c == ';').next().unwrap_or("");
    let mut pos = line_start + list_off + lead;
    for sel in list.split(',') {
        let span = Span::new(pos, pos + sel.len());
        pos += sel.len() + 1;
        if !touches(span, off) || sel.trim().is_empty() {
            continue;
        }
        let meta = crate::rules::by_code(sel.trim()).or_else(|| crate::rules::find(sel.trim()))?;
        let mut md = format!("**{}** `{}`: {}", meta.code, meta.name, meta.summary);
        if let Some(b) = meta.buildkit {
            md.push_str(&format!(" (BuildKit check `{b}`)"));
        }
        md.push_str("\n\n");
        md.push_str(meta.docs.trim());
        return Some(Hover { span, markdown: md });
    }
    None
}

/// The hover of a flag of `inst` (name or value) at `off`.
pub(super) fn hover_flag(inst: &Instruction, off: usize) -> Option<Hover> {
    let fw = flag_words(inst).into_iter().find(|f| touches(f.span, off))?;
    let (desc, anchor) = flag_doc(inst.keyword, &fw.name)?;
    let mut md = format!("**--{}** ({}): {desc}", fw.name, inst.keyword.as_str());
    if let Some(spec) = instruction_spec::flag_spec(inst, &fw.name) {
        md.push_str(&format!("\n\nValue: {}.", spec.value.format()));
        if spec.repeatable {
            md.push_str(" May be given more than once.");
        }
    }
    // Inside a `--mount` value: the mount type and the key under the cursor.
    if fw.name == "mount"
        && let Some((raw, vstart)) = &fw.value
    {
        let fields = mount_fields(raw);
        let ty = fields.iter().find(|(k, _, _)| k.eq_ignore_ascii_case("type")).map_or("bind", |(_, v, _)| *v);
        if let Some((_, doc)) = MOUNT_TYPE_DOCS.iter().find(|(t, _)| t.eq_ignore_ascii_case(ty)) {
            md.push_str(&format!("\n\n`type={ty}`: {doc}"));
        }
        // The key under the cursor.
        let mut key_start = 0;
        for field in raw.split(',') {
            let span = inst.args.span(vstart + key_start, vstart + key_start + field.len());
            key_start += field.len() + 1;
            if !touches(span, off) {
                continue;
            }
            let key = field.split('=').next().unwrap_or("").trim_matches(['"', '\'', ' ']).to_ascii_lowercase();
            let key = match key.as_str() {
                "src" => "source",
                "dst" | "destination" => "target",
                "ro" => "readonly",
                "readwrite" => "rw",
                k => k,
            };
            if let Some((k, doc, _)) = MOUNT_KEY_DOCS.iter().find(|(k, _, _)| *k == key) {
                md.push_str(&format!("\n\n`{k}`: {doc}"));
            }
            break;
        }
    }
    md.push_str(&format!("\n\n[Dockerfile reference]({REFERENCE}#{anchor})"));
    Some(Hover { span: fw.span, markdown: md })
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    #[test]
    fn hover_keywords_and_flags() {
        let md = hover_md("FROM a\nR‸UN echo hi\n");
        assert!(md.contains("**RUN**") && md.contains("#run)"), "{md}");
        assert!(md.contains("```dockerfile"));
        let md = hover_md("FROM a\nonbuild ru‸n echo\n");
        assert!(md.contains("**RUN**"), "{md}");
        let md = hover_md("FROM a\nRUN --mo‸unt=type=cache,target=/root/.cache x\n");
        assert!(md.contains("--mount") && md.contains("`type=cache`"), "{md}");
        let md = hover_md("FROM a\nRUN --mount=type=cache,tar‸get=/root/.cache x\n");
        assert!(md.contains("`target`"), "{md}");
        let md = hover_md("FROM --plat‸form=$BUILDPLATFORM a\n");
        assert!(md.contains("BUILDPLATFORM") && md.contains("#from"), "{md}");
        let md = hover_md("FROM a\nCOPY --ch‸own=app:app . .\n");
        assert!(md.contains("Owner"), "{md}");
        let md = hover_md("FROM a\nCOPY --li‸nk . .\n");
        assert!(md.contains("copy---link"), "{md}");
        assert!(hover_at("FROM a\nRUN echo hi‸ there\n").is_none());
    }

    #[test]
    fn hover_stages_and_images() {
        let (t, _) = at(&format!("{MULTI}‸"));
        let a = Analysis::new(&t);
        let o = t.find("FROM build").unwrap() + 7;
        let h = a.hover(o).unwrap();
        assert_eq!(&t[h.span.start..h.span.end], "build");
        assert!(h.markdown.contains("defined on line 4") && h.markdown.contains("python:3.12-slim"), "{}", h.markdown);
        let o = t.find("--from=BUILD").unwrap() + 8;
        assert!(a.hover(o).unwrap().markdown.contains("Stage `build`"));
        let o = t.find("from=test").unwrap() + 6;
        assert!(a.hover(o).unwrap().markdown.contains("Stage `test`"));
        let o = t.find("AS final").unwrap() + 4;
        assert!(a.hover(o).unwrap().markdown.contains("The last stage"));
        let o = t.find("alpine").unwrap() + 2;
        let md = a.hover(o).unwrap().markdown;
        assert!(md.contains("`alpine`") && md.contains("`3.20`"), "{md}");
    }

    #[test]
    fn hover_variables() {
        let a = Analysis::new(MULTI);
        let t = MULTI;
        // In FROM: the global ARG.
        let h = a.hover(t.find("${PY}").unwrap() + 2).unwrap();
        assert_eq!(&t[h.span.start..h.span.end], "${PY}");
        assert!(h.markdown.contains("= `3.12`") && h.markdown.contains("line 2"), "{}", h.markdown);
        // In a stage: the evaluated ENV, and an inherited one.
        // Pairs of one ENV see the values from before it (as in Docker).
        let h = a.hover(t.find("${APP}").unwrap() + 3).unwrap();
        assert!(h.markdown.contains("not defined"), "{}", h.markdown);
        let h = a.hover(t.find("HOME_DIR").unwrap() + 3).unwrap();
        assert!(h.markdown.contains("= `/home` (written `${APP}/home`)"), "{}", h.markdown);
        let md = hover_md("FROM a\nENV APP=/srv/app\nWORKDIR $A‸PP\n");
        assert!(md.contains("= `/srv/app`") && md.contains("line 2"), "{md}");
        let h = a.hover(t.find("$APP $PY").unwrap() + 1).unwrap();
        assert!(h.markdown.contains("Inherited"), "{}", h.markdown);
        // `$PY` in stage `test`: inherited from stage `build`'s `ARG PY` (dockerfile >= 1.9).
        let h = a.hover(t.find("$PY\n").unwrap() + 1).unwrap();
        assert!(h.markdown.contains("= `3.12`") && h.markdown.contains("Inherited"), "{}", h.markdown);
        // A global ARG that the stage does not declare again.
        let md = hover_md("ARG PY=1\nFROM a\nRUN echo $P‸Y\n");
        assert!(md.contains("not defined") && md.contains("`ARG PY` again"), "{md}");
        // The stage's `ARG PY` re-declaration.
        let h = a.hover(t.find("ARG PY\n").unwrap() + 5).unwrap();
        assert!(h.markdown.contains("re-declares the global"), "{}", h.markdown);
        let md = hover_md("FROM a\nARG TARGETARCH\nRUN echo $BUILD‸ARCH\n");
        assert!(md.contains("BuildKit sets itself"), "{md}");
        let md = hover_md("ARG V=1\nFROM a\nARG V\nRUN echo ${V:-x}${‸W:-$V}\n");
        assert!(md.contains("**W**"), "{md}");
        // Nested in a default value.
        let md = hover_md("ARG V=1\nFROM a\nARG V\nRUN echo ${W:-$‸V}\n");
        assert!(md.contains("= `1`"), "{md}");
    }

    #[test]
    fn hover_pragmas_and_directives() {
        let h = hover_at("FROM a\n# hadolint ignore=DL3008,DL30‸09\nRUN x\n").unwrap();
        assert!(h.markdown.starts_with("**DL3009**"), "{}", h.markdown);
        let h = hover_at("FROM a\n# berth ignore=DL30‸08 reason\nRUN x\n").unwrap();
        assert!(h.markdown.starts_with("**DL3008**"));
        let md = hover_md("# check=skip=StageName‸Casing\nFROM a\n");
        assert!(md.contains("StageNameCasing"), "{md}");
        let md = hover_md("# syn‸tax=docker/dockerfile:1\nFROM a\n");
        assert!(md.contains("Parser directive `syntax`"), "{md}");
        assert!(hover_at("FROM a\n# just a comme‸nt\n").is_none());
    }
}
