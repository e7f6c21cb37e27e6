//! Navigation: definition, references, highlight and rename.

use crate::ide::{Occurrence, RenameError, TextEdit, clamp_offset};
use crate::model::is_automatic_arg;
use crate::syntax::Keyword;
use crate::text::Span;

use super::analysis::*;

// ---------------------------------------------------------------------------
// Navigation: definition, references, rename
// ---------------------------------------------------------------------------

/// What sits at an offset, for navigation.
#[derive(Debug, Clone, Copy)]
pub(super) enum Target {
    /// A variable symbol, by one of its definitions.
    Var(usize),
    /// A use of a variable this file does not define.
    Unresolved(usize),
    Stage(usize),
}

pub(super) fn valid_stage_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

pub(super) fn valid_var_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Analysis {
    pub(super) fn target_at(&self, off: usize) -> Option<Target> {
        let off = clamp_offset(self.text(), off);
        if let Some(u) = self.use_at(off) {
            let i = self.uses.iter().position(|x| std::ptr::eq(x, u))?;
            return Some(match u.def {
                Some(d) => Target::Var(d),
                None => Target::Unresolved(i),
            });
        }
        if let Some(d) = self.def_at(off) {
            return Some(Target::Var(d));
        }
        if let Some(u) = self.stage_use_at(off) {
            return Some(Target::Stage(u.stage));
        }
        self.stage_def_at(off).map(Target::Stage)
    }

    /// Where the variable or stage at `offset` is defined: the ARG/ENV in
    /// force there (for a stage's `ARG X` re-declaration, the global `ARG X`
    /// it takes its default from), or the stage's name (its FROM keyword when
    /// unnamed).
    pub fn definition(&self, offset: usize) -> Option<Span> {
        let off = clamp_offset(self.text(), offset);
        match self.target_at(off)? {
            Target::Var(d) => {
                let on_def = self.defs[d].span == self.def_at(off).map_or(Span::default(), |x| self.defs[x].span);
                let d = if on_def { self.defs[d].link.unwrap_or(d) } else { d };
                Some(self.defs[d].span)
            }
            Target::Unresolved(_) => None,
            Target::Stage(s) => Some(self.stage_decl_span(s)),
        }
    }

    pub(super) fn stage_decl_span(&self, s: usize) -> Span {
        let st = &self.stages[s];
        match &st.name {
            Some((_, sp)) => *sp,
            None => self.file.instructions.get(st.from).map_or(st.span, |i| i.keyword_span),
        }
    }

    /// Every occurrence of the variable or stage at `offset`, in source order,
    /// definitions marked `write` (and left out without `include_declaration`).
    /// Also what document highlight shows.
    pub fn references(&self, offset: usize, include_declaration: bool) -> Vec<Occurrence> {
        let mut out = match self.target_at(offset) {
            None => return Vec::new(),
            Some(Target::Var(d)) => self.var_occurrences(d),
            Some(Target::Unresolved(i)) => {
                let name = &self.uses[i].name;
                self.uses
                    .iter()
                    .filter(|u| u.def.is_none() && u.name == *name)
                    .map(|u| Occurrence { span: u.name_span, write: false })
                    .collect()
            }
            Some(Target::Stage(s)) => match self.stages[s].name.clone() {
                Some((name, _)) => self.stage_occurrences(&name, true),
                None => {
                    let mut v = vec![Occurrence { span: self.stage_decl_span(s), write: true }];
                    v.extend(
                        self.stage_uses
                            .iter()
                            .filter(|u| u.stage == s)
                            .map(|u| Occurrence { span: u.span, write: false }),
                    );
                    v
                }
            },
        };
        if !include_declaration {
            out.retain(|o| !o.write);
        }
        out.sort();
        out.dedup();
        out
    }

    pub(super) fn var_occurrences(&self, d: usize) -> Vec<Occurrence> {
        let fam = self.family(d);
        let mut out: Vec<Occurrence> =
            fam.iter().map(|&x| Occurrence { span: self.defs[x].span, write: true }).collect();
        out.extend(
            self.uses
                .iter()
                .filter(|u| u.def.is_some_and(|x| fam.contains(&x)))
                .map(|u| Occurrence { span: u.name_span, write: false }),
        );
        out
    }

    /// Definitions of stages named `name` and the uses that reach them;
    /// `all_forms`: also uses by index or through variables.
    pub(super) fn stage_occurrences(&self, name: &str, all_forms: bool) -> Vec<Occurrence> {
        let named = self.stages_named(name);
        let mut out: Vec<Occurrence> = named
            .iter()
            .filter_map(|&s| self.stages[s].name.as_ref().map(|(_, sp)| Occurrence { span: *sp, write: true }))
            .collect();
        out.extend(
            self.stage_uses
                .iter()
                .filter(|u| named.contains(&u.stage) && (all_forms || u.form == RefForm::Name))
                .map(|u| Occurrence { span: u.span, write: false }),
        );
        out.sort();
        out
    }

    /// The literal occurrences of stage `name` (case-insensitive): its
    /// definitions (`FROM ... AS name`, `write`) and the uses written with the
    /// name (`FROM name`, `COPY --from=name`, `RUN --mount=from=name`), in
    /// source order. Uses by index or through variables are left out, so that
    /// every span can be replaced by a new name; [`Analysis::rename_stage`]
    /// also checks that a rename is safe.
    pub fn stage_references_for_name(&self, name: &str) -> Vec<Occurrence> {
        self.stage_occurrences(name, false)
    }

    /// The range a rename at `offset` would replace, when there is something
    /// renameable there.
    pub fn prepare_rename(&self, offset: usize) -> Option<Span> {
        let off = clamp_offset(self.text(), offset);
        match self.target_at(off)? {
            Target::Var(d) => {
                if let Some(u) = self.use_at(off) {
                    return Some(u.name_span);
                }
                self.defs[d].renameable.then_some(self.defs[d].span)
            }
            Target::Unresolved(_) => None,
            Target::Stage(s) => {
                self.stages[s].name.as_ref()?;
                if let Some(u) = self.stage_use_at(off) {
                    return (u.form == RefForm::Name).then_some(u.span);
                }
                Some(self.stage_decl_span(s))
            }
        }
    }

    /// The edits that rename the variable or stage at `offset` to
    /// `new_name`. Refused (with the reason) when the name is invalid, when
    /// nothing renameable is there, or when the rename could change the
    /// build: the new name is already used, or a use cannot be rewritten.
    pub fn rename(&self, offset: usize, new_name: &str) -> Result<Vec<TextEdit>, RenameError> {
        let err = |s: String| Err(RenameError(s));
        match self.target_at(offset) {
            None => err("nothing to rename here: place the cursor on a stage name or a variable".into()),
            Some(Target::Unresolved(i)) => err(format!(
                "`{}` is not defined in this Dockerfile (it comes from the base image, the shell or BuildKit), \
                 so it cannot be renamed here",
                self.uses[i].name
            )),
            Some(Target::Var(d)) => self.rename_var(d, new_name),
            Some(Target::Stage(s)) => match &self.stages[s].name {
                Some((old, _)) => self.rename_stage(old, new_name),
                None => err(format!("stage {s} has no name; add one with `AS name` first")),
            },
        }
    }

    pub(super) fn rename_var(&self, d: usize, new_name: &str) -> Result<Vec<TextEdit>, RenameError> {
        let old = &self.defs[d].name;
        if !valid_var_name(new_name) {
            return Err(RenameError(format!(
                "`{new_name}` is not a valid variable name: use letters, digits and `_`, not starting with a digit"
            )));
        }
        let fam = self.family(d);
        if let Some(&bad) = fam.iter().find(|&&x| !self.defs[x].renameable) {
            return Err(RenameError(format!(
                "the definition of `{old}` on line {} is written in a way that cannot be rewritten safely",
                self.line1(self.defs[bad].span.start)
            )));
        }
        if new_name != old {
            if is_automatic_arg(new_name) {
                return Err(RenameError(format!("`{new_name}` is a build argument BuildKit sets itself")));
            }
            if let Some(other) = self.defs.iter().find(|x| x.name == new_name) {
                return Err(RenameError(format!(
                    "a variable `{new_name}` is already defined on line {}",
                    self.line1(other.span.start)
                )));
            }
            if let Some(u) = self.uses.iter().find(|u| u.name == new_name) {
                return Err(RenameError(format!(
                    "`${new_name}` is already used on line {}: renaming would change what it refers to",
                    self.line1(u.span.start)
                )));
            }
        }
        Ok(sorted_edits(self.var_occurrences(d).into_iter().map(|o| (o.span, new_name.to_string())).collect()))
    }

    /// The edits that rename stage `old` (case-insensitive) to `new`: its
    /// definitions and every use written with the name. Refused when `new` is
    /// not a valid stage name, when another stage or an image is already
    /// called `new`, or when a use reaches the stage through a variable.
    pub fn rename_stage(&self, old: &str, new: &str) -> Result<Vec<TextEdit>, RenameError> {
        let named = self.stages_named(old);
        if named.is_empty() {
            return Err(RenameError(format!("there is no stage named `{old}` in this Dockerfile")));
        }
        if !valid_stage_name(new) {
            return Err(RenameError(format!(
                "`{new}` is not a valid stage name: it must start with a lower-case letter and contain only \
                 lower-case letters, digits, `-`, `_` and `.`"
            )));
        }
        if !new.eq_ignore_ascii_case(old) {
            if let Some(&s) = self.stages_named(new).first() {
                return Err(RenameError(format!(
                    "a stage named `{new}` already exists (line {})",
                    self.line1(self.stage_decl_span(s).start)
                )));
            }
            // An image or context of that name would start meaning the stage.
            for (idx, inst) in self.file.instructions.iter().enumerate() {
                let mut names: Vec<String> = Vec::new();
                if inst.keyword == Keyword::From
                    && let Some(s) = self.inst_stage.get(idx).copied().flatten()
                    && let Some(img) = &self.stages[s].image
                {
                    names.push(img.clone());
                }
                for fw in flag_words(inst) {
                    if let Some((raw, _)) = &fw.value {
                        if fw.name == "from" {
                            names.push(unquote_piece(raw).0.to_string());
                        } else if fw.name.eq_ignore_ascii_case("mount") {
                            names.extend(
                                mount_fields(raw)
                                    .into_iter()
                                    .filter(|(k, _, _)| k.eq_ignore_ascii_case("from"))
                                    .map(|(_, v, _)| unquote_piece(v).0.to_string()),
                            );
                        }
                    }
                }
                if names.iter().any(|n| n.eq_ignore_ascii_case(new)) {
                    return Err(RenameError(format!(
                        "line {} already refers to an image or build context named `{new}`; it would start \
                         meaning the stage",
                        self.line1(inst.span.start)
                    )));
                }
            }
        }
        if let Some(u) = self.stage_uses.iter().find(|u| named.contains(&u.stage) && u.form == RefForm::Variable) {
            return Err(RenameError(format!(
                "line {} refers to stage `{old}` through a variable; rename it there by hand",
                self.line1(u.span.start)
            )));
        }
        Ok(sorted_edits(self.stage_occurrences(old, false).into_iter().map(|o| (o.span, new.to_string())).collect()))
    }
}

pub(super) fn sorted_edits(mut v: Vec<TextEdit>) -> Vec<TextEdit> {
    v.sort_by_key(|(s, _)| (s.start, s.end));
    v.dedup_by_key(|(s, _)| *s);
    v
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::super::*;
    use super::*;

    #[test]
    fn definition_and_references_of_stages() {
        let t = MULTI;
        let a = Analysis::new(t);
        let def = a.definition(t.find("--from=BUILD").unwrap() + 8).unwrap();
        assert_eq!(def, Span::new(t.find("AS build").unwrap() + 3, t.find("AS build").unwrap() + 8));
        let refs = a.references(def.start, true);
        assert_eq!(texts(t, refs.iter().map(|r| r.span)), ["build", "build", "build", "BUILD"]);
        assert_eq!(refs.iter().filter(|r| r.write).count(), 1);
        assert_eq!(a.references(def.start, false).len(), 3);
        let refs = a.references(t.find("from=test").unwrap() + 6, true);
        assert_eq!(texts(t, refs.iter().map(|r| r.span)), ["test", "test"]);
        // Index references reach unnamed stages.
        let src = "FROM a\nRUN x\nFROM b\nCOPY --from=0 /a /b\n";
        let a = Analysis::new(src);
        assert_eq!(a.definition(src.find("=0").unwrap() + 1), Some(Span::new(0, 4)));
    }

    #[test]
    fn definition_and_references_of_variables() {
        let t = MULTI;
        let a = Analysis::new(t);
        // `${PY}` in FROM -> the global ARG.
        let d = a.definition(t.find("${PY}").unwrap() + 3).unwrap();
        assert_eq!(d.start, t.find("PY=").unwrap());
        // The stage's `ARG PY` goes to the global one it re-declares.
        let d2 = a.definition(t.find("ARG PY\n").unwrap() + 5).unwrap();
        assert_eq!(d2, d);
        // One symbol: both declarations and the uses.
        let refs = a.references(d.start, true);
        assert_eq!(refs.iter().filter(|r| r.write).count(), 2);
        // `$PY` in stage `test` (built FROM `build`) is the inherited one.
        assert_eq!(refs.len(), 4, "{refs:?}");
        let redeclared = t.find("ARG PY\n").unwrap() + 4;
        assert_eq!(a.definition(t.find("$PY\n").unwrap() + 1), Some(Span::new(redeclared, redeclared + 2)));
        // In a stage built FROM an image, a global ARG not declared again is another (undefined) thing.
        let src = "ARG PY=1\nFROM a\nRUN echo $PY\n";
        let b = Analysis::new(src);
        assert_eq!(b.references(src.find("$PY").unwrap() + 1, true).len(), 1);
        assert!(b.definition(src.find("$PY").unwrap() + 1).is_none());
        // ENV inherited by a child stage.
        let refs = a.references(t.find("APP=").unwrap(), true);
        assert_eq!(texts(t, refs.iter().map(|r| r.span)), ["APP", "APP"]);
        assert_eq!(refs[1].span.start, t.find("$APP").unwrap() + 1);
        // Shadowing in one stage.
        let src = "FROM a\nENV P=/a\nENV P=/b:$P\nRUN echo $P\n";
        let a = Analysis::new(src);
        let first = a.references(src.find("P=/a").unwrap(), true);
        assert_eq!(first.len(), 2, "the first P and the $P in the second ENV");
        let second = a.references(src.rfind("$P").unwrap() + 1, true);
        assert_eq!(second.len(), 2);
    }

    #[test]
    fn rename_stages() {
        let t = MULTI;
        let edits = rename(t, t.find("AS build").unwrap() + 4, "builder").unwrap();
        assert_eq!(edits.len(), 4);
        assert!(edits.iter().all(|(_, n)| n == "builder"));
        let out = apply(t, &edits);
        assert!(
            out.contains("AS builder\n") && out.contains("FROM builder AS test") && out.contains("--from=builder /x")
        );
        let a = Analysis::new(&out);
        assert_eq!(a.stage_names(), ["builder", "test", "final"]);
        // Refusals.
        let o = t.find("AS build").unwrap() + 4;
        assert!(rename(t, o, "Builder").unwrap_err().0.contains("not a valid stage name"));
        assert!(rename(t, o, "1x").is_err());
        assert!(rename(t, o, "test").unwrap_err().0.contains("already exists"));
        let img = "FROM a AS one\nFROM debian\nCOPY --from=ubuntu:24.04 /a /b\n";
        assert!(rename_stage(img, "one", "debian").unwrap_err().0.contains("image"));
        assert!(rename_stage(img, "one", "ubuntu").is_ok(), "ubuntu:24.04 is another name");
        let via_arg = "ARG B=base\nFROM a AS base\nFROM ${B}\n";
        assert!(rename_stage(via_arg, "base", "x").unwrap_err().0.contains("variable"));
        // By name, for Compose `build.target`.
        let occ = stage_references_for_name(t, "BUILD");
        assert_eq!(occ.len(), 4);
        assert!(rename_stage(t, "nope", "x").is_err());
        // Index references stay valid and are not edited.
        let src = "FROM a AS one\nFROM b\nCOPY --from=0 /a /b\nCOPY --from=one /c /d\n";
        let edits = rename_stage(src, "one", "first").unwrap();
        assert_eq!(apply(src, &edits), "FROM a AS first\nFROM b\nCOPY --from=0 /a /b\nCOPY --from=first /c /d\n");
        assert_eq!(prepare_rename(src, src.find("=0").unwrap() + 1), None);
        assert_eq!(prepare_rename(src, 11), Some(Span::new(10, 13)));
    }

    #[test]
    fn rename_variables() {
        let t = MULTI;
        let edits = rename(t, t.find("${PY}").unwrap() + 3, "PYTHON_VERSION").unwrap();
        let out = apply(t, &edits);
        assert!(out.contains("ARG PYTHON_VERSION=3.12\n") && out.contains("${PYTHON_VERSION}-slim"));
        assert!(out.contains("\nARG PYTHON_VERSION\n"));
        assert!(out.contains("echo $APP $PYTHON_VERSION\n"), "stage test inherits PY from build");
        let o = t.find("${PY}").unwrap() + 3;
        assert!(rename(t, o, "9X").unwrap_err().0.contains("not a valid variable name"));
        assert!(rename(t, o, "APP").unwrap_err().0.contains("already defined"));
        assert!(rename(t, o, "TARGETARCH").is_err());
        let src = "ARG PY=1\nFROM a\nRUN echo $PY\n";
        assert!(rename(src, src.find("$PY").unwrap() + 1, "Q").unwrap_err().0.contains("not defined"));
        assert!(rename(t, 0, "Q").is_err());
        // Uses in RUN, exec forms and heredocs follow.
        let src = "FROM a\nENV X=1\nRUN echo $X\nCMD [\"sh\", \"-c\", \"echo $X\"]\nRUN <<EOF\necho ${X}\nEOF\n";
        let out = apply(src, &rename(src, src.find("X=").unwrap(), "Y").unwrap());
        assert_eq!(out, "FROM a\nENV Y=1\nRUN echo $Y\nCMD [\"sh\", \"-c\", \"echo $Y\"]\nRUN <<EOF\necho ${Y}\nEOF\n");
        assert!(rename(src, src.find("X=").unwrap(), "X").is_ok());
        // A name already used (even undefined) would capture that use.
        let src = "FROM a\nENV X=1\nRUN echo $X $HOME\n";
        assert!(rename(src, src.find("X=").unwrap(), "HOME").is_err());
    }

    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let mut out = text.to_string();
        for (span, new) in edits.iter().rev() {
            out.replace_range(span.start..span.end, new);
        }
        out
    }
}
