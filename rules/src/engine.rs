//! The rule engine (`berth-engine`) bound to berth's rules: every type and
//! helper of the engine, and its lint and fix drivers with the registry
//! ([`crate::REGISTRY`]) handed in, under the names the front ends use.

pub use berth_engine::engine::*;

use crate::REGISTRY;
use crate::shell::ScriptCache;
use crate::syntax::Dockerfile;

/// Lint a Dockerfile's text.
pub fn lint(text: &str, selection: &Selection) -> LintResult {
    berth_engine::engine::lint(&REGISTRY, text, selection)
}

/// Lint a Dockerfile's text with settings and neighbouring files.
pub fn lint_with(text: &str, selection: &Selection, inputs: &Inputs) -> LintResult {
    berth_engine::engine::lint_with(&REGISTRY, text, selection, inputs)
}

/// Lint an already parsed Dockerfile.
pub fn lint_parsed(file: &Dockerfile, selection: &Selection) -> Vec<Diagnostic> {
    berth_engine::engine::lint_parsed(&REGISTRY, file, selection)
}

/// Lint an already parsed Dockerfile with settings and neighbouring files.
pub fn lint_parsed_with(file: &Dockerfile, selection: &Selection, inputs: &Inputs) -> Vec<Diagnostic> {
    berth_engine::engine::lint_parsed_with(&REGISTRY, file, selection, inputs)
}

/// Lint a Dockerfile's text as built with these build arguments.
pub fn lint_with_args(
    text: &str,
    selection: &Selection,
    inputs: &Inputs,
    build_args: &[(String, String)],
) -> LintResult {
    berth_engine::engine::lint_with_args(&REGISTRY, text, selection, inputs, build_args)
}

/// [`lint_parsed_with`] with build arguments.
pub fn lint_parsed_with_args(
    file: &Dockerfile,
    selection: &Selection,
    inputs: &Inputs,
    build_args: &[(String, String)],
) -> Vec<Diagnostic> {
    berth_engine::engine::lint_parsed_with_args(&REGISTRY, file, selection, inputs, build_args)
}

/// [`lint_with`] for an editor that lints successive versions of one file.
pub fn lint_with_cache(
    text: impl Into<std::sync::Arc<str>>,
    selection: &Selection,
    inputs: &Inputs,
    scripts: &mut ScriptCache,
) -> LintResult {
    berth_engine::engine::lint_with_cache(&REGISTRY, text, selection, inputs, scripts)
}

/// Drop the findings that the file's inline ignore comments suppress.
pub fn remove_suppressed(file: &Dockerfile, out: &mut Vec<Diagnostic>) {
    berth_engine::engine::remove_suppressed(&REGISTRY, file, out)
}

/// Apply fixes up to `max_safety` until nothing changes (at most 10 passes).
pub fn fix_all(text: &str, selection: &Selection, max_safety: Safety) -> FixResult {
    berth_engine::engine::fix_all(&REGISTRY, text, selection, max_safety)
}

/// [`fix_all`] with settings and neighbouring files.
pub fn fix_all_with(text: &str, selection: &Selection, max_safety: Safety, inputs: &Inputs) -> FixResult {
    berth_engine::engine::fix_all_with(&REGISTRY, text, selection, max_safety, inputs)
}

pub use compose::{
    fix_all_compose, lint_compose, lint_compose_loaded, lint_compose_with, lint_compose_with_settings,
    remove_suppressed_compose,
};

/// The Compose side of the engine, bound to berth's Compose rules.
pub mod compose {
    pub use berth_engine::engine::compose::*;

    use super::{ComposeInputs, Diagnostic, FixResult, Safety, Selection, Settings};
    use crate::REGISTRY;

    /// Lint a Compose file's text alone.
    pub fn lint_compose(text: &str, selection: &Selection) -> ComposeLintResult {
        berth_engine::engine::compose::lint_compose(&REGISTRY, text, selection)
    }

    /// Lint a Compose file's text with the files around it.
    pub fn lint_compose_with(text: &str, selection: &Selection, inputs: &ComposeInputs) -> ComposeLintResult {
        berth_engine::engine::compose::lint_compose_with(&REGISTRY, text, selection, inputs)
    }

    /// Lint a Compose file's text with the files around it and settings from the configuration.
    pub fn lint_compose_with_settings(
        text: &str,
        selection: &Selection,
        inputs: &ComposeInputs,
        settings: &Settings,
    ) -> ComposeLintResult {
        berth_engine::engine::compose::lint_compose_with_settings(&REGISTRY, text, selection, inputs, settings)
    }

    /// [`lint_compose_with_settings`] for a text already read with `ComposeFile::load`.
    pub fn lint_compose_loaded(
        text: &str,
        loaded: Result<crate::compose::ComposeFile, crate::compose::Unloaded>,
        selection: &Selection,
        inputs: &ComposeInputs,
        settings: &Settings,
    ) -> ComposeLintResult {
        berth_engine::engine::compose::lint_compose_loaded(&REGISTRY, text, loaded, selection, inputs, settings)
    }

    /// Apply fixes up to `max_safety` until nothing changes (at most 10 passes).
    pub fn fix_all_compose(text: &str, selection: &Selection, max_safety: Safety) -> FixResult {
        berth_engine::engine::compose::fix_all_compose(&REGISTRY, text, selection, max_safety)
    }

    /// Drop the findings that the file's inline ignore comments suppress.
    pub fn remove_suppressed_compose(text: &str, out: &mut Vec<Diagnostic>) {
        berth_engine::engine::compose::remove_suppressed_compose(&REGISTRY, text, out)
    }
}
