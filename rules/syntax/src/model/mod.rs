//! Semantic model of a Dockerfile: stages, base images, ARG/ENV scopes with
//! evaluated values, and per-stage USER/WORKDIR/SHELL state, plus the parsed
//! shell of every RUN.

pub mod image;

use crate::shell::{Script, ScriptCache};
use crate::syntax::words::{self, Expanded};
use crate::syntax::{Dockerfile, Instruction, Keyword, Word};
use crate::text::Span;
pub use image::ImageRef;

/// BuildKit's automatic platform ARGs (`dockerfile2llb/platform.go`
/// `defaultArgs`): in the global scope without a declaration, so FROM can use
/// them, but a stage sees one only after `ARG NAME` (then with its value).
pub const PLATFORM_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETOSVERSION",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDOSVERSION",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// The other ARGs that BuildKit defines automatically: the proxy variables,
/// BuildKit's own settings and `SOURCE_DATE_EPOCH`.
const OTHER_AUTOMATIC_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "BUILDKIT_SYNTAX",
    "BUILDKIT_INLINE_CACHE",
    "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
    "BUILDKIT_MULTI_PLATFORM",
    "BUILDKIT_SANDBOX_HOSTNAME",
    "SOURCE_DATE_EPOCH",
];

/// ARGs that BuildKit defines automatically (the platform ARGs first).
pub fn automatic_args<'a>() -> impl Iterator<Item = &'a str> {
    PLATFORM_ARGS.iter().chain(OTHER_AUTOMATIC_ARGS).map(|a| -> &'a str { a })
}

/// Whether BuildKit defines the ARG `name` automatically.
pub fn is_automatic_arg(name: &str) -> bool {
    PLATFORM_ARGS.contains(&name) || OTHER_AUTOMATIC_ARGS.contains(&name)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    Arg,
    Env,
}

/// One ARG or ENV definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarDef {
    pub name: String,
    pub kind: VarKind,
    /// The value as written (quotes removed), if any.
    pub raw_value: Option<String>,
    /// The value with variables evaluated from earlier definitions.
    pub value: Option<String>,
    pub instruction: usize,
    pub name_span: Span,
    pub value_span: Option<Span>,
    /// Written `ENV key value` (legacy) rather than `ENV key=value`.
    pub legacy: bool,
}

pub use crate::syntax::KeyValue;

/// Split ENV/LABEL/ARG arguments into pairs (split once per instruction; see
/// [`Instruction::key_values`]).
pub fn key_values(inst: &Instruction) -> &[KeyValue] {
    inst.key_values()
}

/// What a stage is built on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    Scratch,
    /// An earlier stage, by index.
    Stage(usize),
    Image(ImageRef),
}

/// A stage name after `AS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageName {
    pub value: String,
    pub span: Span,
    /// The `AS` keyword as written and its span.
    pub as_keyword: String,
    pub as_span: Span,
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub index: usize,
    /// Index of the FROM instruction.
    pub from: usize,
    /// Indices of the instructions after FROM up to the next FROM.
    pub body: std::ops::Range<usize>,
    pub name: Option<StageName>,
    /// The image word as written (e.g. `python:${PY}`), if present.
    pub image_word: Option<Word>,
    /// The image text with global ARG defaults evaluated.
    pub image_evaluated: Option<Expanded>,
    pub base: Base,
    /// ARG and ENV definitions inside the stage, in order.
    pub vars: Vec<VarDef>,
    /// The effective SHELL at the end of the stage, e.g. `["/bin/sh", "-c"]`.
    pub shell: std::sync::Arc<[String]>,
    /// USER and WORKDIR at the end of the stage (see `InstructionInfo`).
    pub user: Option<String>,
    pub workdir: Option<String>,
}

/// A word of an instruction with its variables evaluated.
#[derive(Debug, Clone)]
pub struct EvaluatedWord {
    pub word: Word,
    /// The value after evaluation (quotes removed).
    pub value: String,
    /// Written without quotes or variables, so `value` is exactly what is in the file.
    pub plain: bool,
}

impl EvaluatedWord {
    /// ` (`$X` evaluates to `value`)`, or nothing for a plain word; for messages.
    pub fn note(&self, value: &str) -> String {
        if self.plain { String::new() } else { format!(" (`{}` evaluates to `{value}`)", self.word.raw) }
    }
}

impl Stage {
    /// The base image and the word naming it, when it is an image (not a stage
    /// or scratch) and every variable in it has a value.
    pub fn resolved_image(&self) -> Option<(&ImageRef, &Word)> {
        match (&self.base, &self.image_word, &self.image_evaluated) {
            (Base::Image(image), Some(word), Some(e)) if e.unresolved.is_empty() => Some((image, word)),
            _ => None,
        }
    }

    /// ` (`${IMG}` evaluates to `x`)` when the image was written with variables.
    pub fn image_note(&self) -> String {
        match (&self.image_word, &self.base) {
            (Some(w), Base::Image(image)) if w.value != image.text => {
                format!(" (`{}` evaluates to `{}`)", w.value, image.text)
            }
            _ => String::new(),
        }
    }

    pub fn parent(&self) -> Option<usize> {
        match self.base {
            Base::Stage(i) => Some(i),
            _ => None,
        }
    }
}

/// Per-instruction facts.
#[derive(Debug, Clone, Default)]
pub struct InstructionInfo {
    pub stage: Option<usize>,
    /// The SHELL in force for this instruction.
    pub shell: std::sync::Arc<[String]>,
    /// The parsed shell, for RUN (and ONBUILD RUN) in shell form under a POSIX shell.
    pub script: Option<std::sync::Arc<Script>>,
    /// The USER in force (evaluated), inherited from a parent stage; `None` means
    /// the base image's default.
    pub user: Option<String>,
    /// The WORKDIR in force (evaluated, relative paths resolved against the
    /// previous one), inherited from a parent stage; `None` means the base image's.
    pub workdir: Option<String>,
}

pub struct Model<'a> {
    pub file: &'a Dockerfile,
    /// Lower-cased stage name -> index of its first definition.
    stage_names: std::collections::HashMap<String, usize>,
    /// Per finished stage: every ARG and ENV visible at its end, own or
    /// inherited, as (stage, index into its `vars`): the last definition with
    /// a value, else the last declaration (`ARG NAME` without one).
    stage_env: Vec<std::sync::Arc<std::collections::HashMap<String, (usize, usize)>>>,
    /// ARGs declared before the first FROM.
    pub global_args: Vec<VarDef>,
    pub stages: Vec<Stage>,
    pub info: Vec<InstructionInfo>,
    /// Values given from outside (`--build-arg`, Compose `build.args`): they
    /// replace the defaults of the ARGs they name.
    build_args: Vec<(String, String)>,
}

fn default_shell() -> std::sync::Arc<[String]> {
    std::sync::Arc::from(["/bin/sh".to_string(), "-c".to_string()])
}

/// True for shells whose syntax is POSIX-like (so bash-based rules apply).
pub fn is_posix_shell(shell: &[String]) -> bool {
    let prog =
        shell.first().map(|s| s.rsplit(['/', '\\']).next().unwrap_or(s).to_ascii_lowercase()).unwrap_or_default();
    !matches!(prog.as_str(), "powershell" | "powershell.exe" | "pwsh" | "pwsh.exe" | "cmd" | "cmd.exe")
}

impl<'a> Model<'a> {
    pub fn build(file: &'a Dockerfile) -> Model<'a> {
        Model::build_with_args(file, &[])
    }

    /// The model with build arguments: each replaces the value of the ARGs it
    /// names (global ones and those of every stage), as `--build-arg` does.
    pub fn build_with_args(file: &'a Dockerfile, build_args: &[(String, String)]) -> Model<'a> {
        Model::build_cached(file, build_args, None)
    }

    /// [`Model::build_with_args`] reusing the RUN scripts of the file's
    /// previous version (see [`ScriptCache`]).
    pub fn build_cached(
        file: &'a Dockerfile,
        build_args: &[(String, String)],
        scripts: Option<&mut ScriptCache>,
    ) -> Model<'a> {
        Model::build_inner(file, build_args, scripts, true)
    }

    /// The model without RUN scripts (`script` is `None` everywhere): stages,
    /// variables, shells, users and folders only, for callers that never look
    /// at the commands (editor queries, ShellCheck's inputs). Parsing every
    /// script is most of a model's cost in time and memory.
    pub fn build_without_scripts(file: &'a Dockerfile) -> Model<'a> {
        Model::build_inner(file, &[], None, false)
    }

    /// [`Model::build_with_args`] without RUN scripts (see [`Model::build_without_scripts`]).
    pub fn build_with_args_without_scripts(file: &'a Dockerfile, build_args: &[(String, String)]) -> Model<'a> {
        Model::build_inner(file, build_args, None, false)
    }

    fn build_inner(
        file: &'a Dockerfile,
        build_args: &[(String, String)],
        mut scripts: Option<&mut ScriptCache>,
        parse_scripts: bool,
    ) -> Model<'a> {
        let mut m = Model {
            file,
            stage_names: Default::default(),
            stage_env: Vec::new(),

            global_args: Vec::new(),
            stages: Vec::new(),
            info: vec![InstructionInfo::default(); file.instructions.len()],
            build_args: build_args.to_vec(),
        };
        // `# hadolint shell=powershell` declares the base image's shell.
        let pragma_shell = file.comments.iter().find_map(|c| {
            let t = c.text.strip_prefix("hadolint")?.trim();
            t.strip_prefix("shell=").map(|s| std::sync::Arc::from([s.trim().to_string()]))
        });
        let mut current: Option<usize> = None;
        for (idx, inst) in file.instructions.iter().enumerate() {
            if inst.keyword == Keyword::From {
                if let Some(s) = current {
                    m.stages[s].body.end = idx;
                    m.finish_stage(s);
                }
                let stage = m.new_stage(idx, inst, pragma_shell.clone());
                if let Some(n) = &stage.name {
                    m.stage_names.entry(n.value.to_ascii_lowercase()).or_insert(stage.index);
                }
                m.stages.push(stage);
                current = Some(m.stages.len() - 1);
            } else if current.is_none() {
                if inst.keyword == Keyword::Arg {
                    let defs = m.var_defs(idx, inst, VarKind::Arg, None);
                    m.global_args.extend(defs);
                }
            } else if let Some(s) = current {
                m.info[idx].stage = current;
                match inst.keyword {
                    Keyword::Arg | Keyword::Env => {
                        let kind = if inst.keyword == Keyword::Arg { VarKind::Arg } else { VarKind::Env };
                        let defs = m.var_defs(idx, inst, kind, Some(s));
                        m.stages[s].vars.extend(defs);
                    }
                    Keyword::Shell => {
                        if let Some(exec) = &inst.exec {
                            m.stages[s].shell = exec.items.iter().map(|i| i.value.clone()).collect::<Vec<_>>().into();
                        }
                    }
                    Keyword::User => {
                        let v = m.expand(inst.rest_text(), idx).value;
                        m.stages[s].user = Some(crate::shell::unquote(&v));
                    }
                    Keyword::Workdir => {
                        let v = crate::shell::unquote(&m.expand(inst.rest_text(), idx).value);
                        let joined = match (&m.stages[s].workdir, crate::util::is_absolute_path(&v)) {
                            (Some(prev), false) if !v.is_empty() => format!("{}/{}", prev.trim_end_matches('/'), v),
                            _ => v,
                        };
                        m.stages[s].workdir = Some(joined);
                    }
                    _ => {}
                }
            }
            m.info[idx].stage = current;
            m.info[idx].shell = current.map_or_else(default_shell, |s| m.stages[s].shell.clone());
            if let Some(s) = current {
                m.info[idx].user = m.stages[s].user.clone();
                m.info[idx].workdir = m.stages[s].workdir.clone();
            }
        }
        if let Some(s) = current {
            m.stages[s].body.end = file.instructions.len();
            m.finish_stage(s);
        }
        if !parse_scripts {
            return m;
        }
        if let Some(cache) = scripts.as_deref_mut() {
            let runs: Vec<&Instruction> = file
                .instructions
                .iter()
                .enumerate()
                .filter(|(idx, inst)| inst.effective().keyword == Keyword::Run && is_posix_shell(&m.info[*idx].shell))
                .map(|(_, inst)| inst)
                .collect();
            cache.prefetch(&runs, &file.text);
        }
        for (idx, inst) in file.instructions.iter().enumerate() {
            if inst.effective().keyword == Keyword::Run && is_posix_shell(&m.info[idx].shell) {
                m.info[idx].script = match scripts.as_deref_mut() {
                    Some(cache) => cache.of_run(inst, &file.text),
                    None => Script::of_run(inst).map(std::sync::Arc::new),
                };
            }
        }
        if let Some(cache) = scripts {
            cache.finish();
        }
        m
    }

    fn new_stage(&self, idx: usize, inst: &Instruction, pragma_shell: Option<std::sync::Arc<[String]>>) -> Stage {
        let ws = inst.words();
        let image_word = ws.first().cloned();
        let name = if ws.len() >= 3 && ws[1].value.eq_ignore_ascii_case("as") {
            Some(StageName {
                value: ws[2].value.clone(),
                span: ws[2].span,
                as_keyword: ws[1].raw.clone(),
                as_span: ws[1].span,
            })
        } else {
            None
        };
        let image_evaluated = image_word.as_ref().map(|w| {
            let lookup = |n: &str| self.global_args.iter().rev().find(|a| a.name == n).and_then(|a| a.value.clone());
            words::expand(&w.raw, inst.escape, &lookup)
        });
        let mut shell = pragma_shell.unwrap_or_else(default_shell);
        let (mut user, mut workdir) = (None, None);
        let base = match &image_evaluated {
            Some(e) => {
                let v = crate::shell::unquote(&e.value);
                if v.eq_ignore_ascii_case("scratch") {
                    Base::Scratch
                } else if let Some(&p) = self.stage_names.get(&v.to_ascii_lowercase()) {
                    shell = self.stages[p].shell.clone();
                    user = self.stages[p].user.clone();
                    workdir = self.stages[p].workdir.clone();
                    Base::Stage(p)
                } else {
                    Base::Image(ImageRef::parse(&v))
                }
            }
            None => Base::Image(ImageRef::parse("")),
        };
        Stage {
            index: self.stages.len(),
            from: idx,
            body: idx + 1..idx + 1,
            name,
            image_word,
            image_evaluated,
            base,
            vars: Vec::new(),
            shell,
            user,
            workdir,
        }
    }

    fn var_defs(&self, idx: usize, inst: &Instruction, kind: VarKind, stage: Option<usize>) -> Vec<VarDef> {
        let mut out: Vec<VarDef> = Vec::new();
        for kv in key_values(inst) {
            let given = if kind == VarKind::Arg {
                self.build_args.iter().rev().find(|(n, _)| *n == kv.key).map(|(_, v)| v.clone())
            } else {
                None
            };
            let value = match &kv.value {
                _ if given.is_some() => given,
                Some(raw) => {
                    let lookup = |n: &str| {
                        // Docker evaluates every pair of one instruction with the values
                        // from before it, so `ENV a=1 b=$a` does not see the new `a`.
                        match stage {
                            Some(s) => self.lookup_in_stage(s, n, idx),
                            None => self.global_args.iter().rev().find(|a| a.name == n).and_then(|a| a.value.clone()),
                        }
                    };
                    Some(words::expand(raw, inst.escape, &lookup).value)
                }
                // `ARG NAME` inside a stage takes the global default.
                None if kind == VarKind::Arg && stage.is_some() => {
                    self.global_args.iter().rev().find(|a| a.name == kv.key).and_then(|a| a.value.clone())
                }
                None => None,
            };
            out.push(VarDef {
                name: kv.key.clone(),
                kind,
                raw_value: kv.value.clone(),
                value,
                instruction: idx,
                name_span: kv.key_span,
                value_span: kv.value_span,
                legacy: kv.legacy,
            });
        }
        out
    }

    fn lookup_in_stage(&self, stage: usize, name: &str, before: usize) -> Option<String> {
        self.definition_in_stage(stage, name, before).and_then(|d| d.value.clone())
    }

    /// Record the ARG and ENV visible at the end of stage `s` (called in stage
    /// order). A stage built `FROM` an earlier one inherits both: ARG values
    /// live in the build environment, and since dockerfile 1.9 (BuildKit
    /// commit `c7c2f0e97`, `dispatchState.init`) the declarations too.
    fn finish_stage(&mut self, s: usize) {
        let inherited = match self.stages[s].base {
            Base::Stage(p) if p < s => self.stage_env.get(p).cloned(),
            _ => None,
        }
        .unwrap_or_default();
        let map = if self.stages[s].vars.is_empty() {
            inherited
        } else {
            let mut m = (*inherited).clone();
            for (i, v) in self.stages[s].vars.iter().enumerate() {
                if v.value.is_some() || v.kind == VarKind::Env {
                    m.insert(v.name.clone(), (s, i));
                } else {
                    // A declaration without a value leaves an earlier value in place.
                    m.entry(v.name.clone()).or_insert((s, i));
                }
            }
            std::sync::Arc::new(m)
        };
        self.stage_env.push(map);
    }

    /// The definition of `name` visible before instruction `before` of
    /// `stage`: the last one with a value (its own, then its base stages'),
    /// else the last declaration without one.
    fn definition_in_stage(&self, stage: usize, name: &str, before: usize) -> Option<&VarDef> {
        let s = &self.stages[stage];
        let mut declared = None;
        for d in s.vars.iter().rev().filter(|d| d.instruction < before && d.name == name) {
            if d.value.is_some() || d.kind == VarKind::Env {
                return Some(d);
            }
            declared.get_or_insert(d);
        }
        // Inherited from a base stage: one map lookup, so long chains of
        // stages built on each other stay cheap.
        let inherited = match s.base {
            Base::Stage(p) if p < stage => {
                self.stage_env.get(p).and_then(|m| m.get(name)).map(|&(si, vi)| &self.stages[si].vars[vi])
            }
            _ => None,
        };
        match inherited {
            Some(d) if d.value.is_some() || declared.is_none() => Some(d),
            _ => declared,
        }
    }

    /// Names of the ARG and ENV definitions in scope at instruction `at`: in
    /// a stage, those before `at` in it and every one of the stages it is
    /// built `FROM` (global ARGs only where the stage declares them again);
    /// before the first FROM and in a FROM, the global ARGs above `at`.
    /// Sorted, unique.
    pub fn names_in_scope(&self, at: usize) -> Vec<&str> {
        let mut names: Vec<&str> = match self.info.get(at).and_then(|i| i.stage).filter(|&s| self.stages[s].from != at)
        {
            Some(stage) => {
                let mut names: Vec<&str> =
                    self.stages[stage].vars.iter().filter(|d| d.instruction < at).map(|d| d.name.as_str()).collect();
                if let Base::Stage(p) = self.stages[stage].base
                    && p < stage
                    && let Some(m) = self.stage_env.get(p)
                {
                    names.extend(m.keys().map(String::as_str));
                }
                names
            }
            None => self.global_args.iter().filter(|a| a.instruction < at).map(|a| a.name.as_str()).collect(),
        };
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The ARG/ENV definition of `name` visible at instruction `at`.
    pub fn definition(&self, name: &str, at: usize) -> Option<&VarDef> {
        match self.info.get(at).and_then(|i| i.stage) {
            Some(s) if self.stages[s].from != at => self.definition_in_stage(s, name, at),
            _ => self.global_args.iter().rev().find(|a| a.name == name && a.instruction < at),
        }
    }

    /// The words of `inst` (after its flags) with variables evaluated as seen by
    /// instruction `at`. Words whose variables have no known value are left out.
    pub fn evaluated_words(&self, inst: &Instruction, at: usize) -> Vec<EvaluatedWord> {
        inst.words()
            .iter()
            .filter_map(|word| {
                let plain = word.raw == word.value && !word.raw.contains('$');
                let value = if plain {
                    word.value.clone()
                } else {
                    let e = self.expand(&word.value, at);
                    if !e.unresolved.is_empty() {
                        return None;
                    }
                    e.value
                };
                Some(EvaluatedWord { word: word.clone(), value, plain })
            })
            .collect()
    }

    /// The value of `name` at instruction `at`, if defined with a value.
    pub fn value(&self, name: &str, at: usize) -> Option<String> {
        self.definition(name, at).and_then(|d| d.value.clone())
    }

    /// Evaluate variables in `text` as seen by instruction `at`.
    pub fn expand(&self, text: &str, at: usize) -> Expanded {
        let lookup = |n: &str| self.value(n, at);
        words::expand(text, self.file.escape, &lookup)
    }

    pub fn stage_of(&self, at: usize) -> Option<&Stage> {
        self.info.get(at).and_then(|i| i.stage).map(|s| &self.stages[s])
    }

    pub fn script(&self, at: usize) -> Option<&Script> {
        self.info.get(at).and_then(|i| i.script.as_deref())
    }

    /// Find a stage by name (case-insensitive, as BuildKit does) or by index number.
    pub fn stage_by_ref(&self, reference: &str) -> Option<&Stage> {
        if let Ok(n) = reference.parse::<usize>() {
            return self.stages.get(n);
        }
        self.stage_names.get(&reference.to_ascii_lowercase()).map(|&i| &self.stages[i])
    }

    /// The stage that produces the final image (the last one).
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// Instructions of a stage (FROM excluded), with their indices.
    pub fn stage_instructions(&self, stage: &Stage) -> impl Iterator<Item = (usize, &'a Instruction)> + '_ {
        let file = self.file;
        stage.body.clone().map(move |i| (i, &file.instructions[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_and_variables() {
        let src = "ARG PY=3.12\nARG REG=docker.io\nFROM ${REG}/python:${PY}-slim AS Build\nARG PY\nENV APP=/srv/app HOME_DIR=${APP}/home\nFROM build AS final\nSHELL [\"pwsh\", \"-c\"]\nRUN echo $APP\n";
        let d = Dockerfile::parse(src);
        let m = Model::build(&d);
        assert_eq!(m.stages.len(), 2);
        let s0 = &m.stages[0];
        assert_eq!(s0.name.as_ref().unwrap().value, "Build");
        let Base::Image(img) = &s0.base else { panic!() };
        assert_eq!(img.registry.as_deref(), Some("docker.io"));
        assert_eq!(img.tag.as_deref(), Some("3.12-slim"));
        assert_eq!(m.value("PY", 4).as_deref(), Some("3.12"));
        assert_eq!(m.value("APP", 7).as_deref(), Some("/srv/app"));
        // Pairs of one ENV see only earlier values, as in Docker.
        let home = s0.vars.iter().find(|v| v.name == "HOME_DIR").unwrap();
        assert_eq!(home.value.as_deref(), Some("/home"));
        assert_eq!(m.stages[1].base, Base::Stage(0));
        // ENV and ARG are inherited by the child stage (dockerfile >= 1.9).
        assert_eq!(m.value("APP", 7).as_deref(), Some("/srv/app"));
        assert_eq!(m.value("PY", 7).as_deref(), Some("3.12"));
        assert!(m.script(7).is_none(), "pwsh is not a POSIX shell");
    }

    #[test]
    fn arg_scope_follows_buildkit() {
        let src = "ARG G=1\nFROM a AS base\nARG MODE\nARG V=2\nENV E=3\nFROM base AS child\nRUN x\nFROM child\nENV V=4\nARG V\nRUN y\nFROM a\nRUN z\n";
        let d = Dockerfile::parse(src);
        let m = Model::build(&d);
        // A stage built FROM another inherits its ARGs, declared or valued, and its ENV.
        assert_eq!(m.names_in_scope(6), ["E", "MODE", "V"]);
        assert_eq!(m.value("V", 6).as_deref(), Some("2"));
        assert!(m.definition("MODE", 6).is_some_and(|d| d.value.is_none()));
        // ... through any number of stages; a later `ARG V` without a value keeps the value.
        assert_eq!(m.value("V", 10).as_deref(), Some("4"));
        assert_eq!(m.value("E", 10).as_deref(), Some("3"));
        // A stage built FROM an image sees neither, nor the global ARG.
        assert!(m.names_in_scope(12).is_empty());
        assert_eq!(m.definition("G", 12), None);
        assert_eq!(m.names_in_scope(1), ["G"]);
    }

    #[test]
    fn user_and_workdir_are_tracked_and_inherited() {
        let src = "FROM a AS base\nARG NAME=app\nUSER ${NAME}\nWORKDIR /srv\nWORKDIR data\nFROM base\nRUN id\nUSER root\nFROM b\nRUN id\n";
        let d = Dockerfile::parse(src);
        let m = Model::build(&d);
        assert_eq!(m.info[4].user.as_deref(), Some("app"));
        assert_eq!(m.info[4].workdir.as_deref(), Some("/srv/data"));
        assert_eq!(m.info[6].user.as_deref(), Some("app"), "inherited from the parent stage");
        assert_eq!(m.info[6].workdir.as_deref(), Some("/srv/data"));
        assert_eq!(m.stages[1].user.as_deref(), Some("root"));
        assert_eq!(m.info[9].user, None, "a new base image starts with its own default");
    }

    #[test]
    fn build_args_replace_arg_defaults() {
        let d = Dockerfile::parse(
            "ARG BASE=alpine\nARG BARE\nFROM ${BASE}:${BARE}\nARG STAGE=x\nARG BARE\nENV E=$STAGE\nRUN true\n",
        );
        let args = [("BASE".to_string(), "debian".to_string()), ("BARE".to_string(), "12".to_string())];
        let m = Model::build_with_args(&d, &args);
        assert_eq!(m.stages[0].image_evaluated.as_ref().unwrap().value, "debian:12");
        assert_eq!(m.value("BARE", 5).as_deref(), Some("12"));
        assert_eq!(m.value("STAGE", 5).as_deref(), Some("x"));
        let m = Model::build_with_args(&d, &[("STAGE".to_string(), "y".to_string())]);
        assert_eq!(m.value("E", 6).as_deref(), Some("y"), "ENV sees the build argument");
        assert_eq!(Model::build(&d).stages[0].image_evaluated.as_ref().unwrap().unresolved, ["BARE"]);
    }

    #[test]
    fn legacy_env_and_labels() {
        let d = Dockerfile::parse("FROM a\nENV PATH /usr/local/bin:$PATH\nLABEL a=b \"c d\"=\"e f\"\n");
        let kv = key_values(&d.instructions[1]);
        assert!(kv[0].legacy);
        assert_eq!(kv[0].value.as_deref(), Some("/usr/local/bin:$PATH"));
        let kv = key_values(&d.instructions[2]);
        assert_eq!(kv.len(), 2);
        assert_eq!(kv[1].key, "c d");
        assert_eq!(kv[1].value.as_deref(), Some("e f"));
    }
}
