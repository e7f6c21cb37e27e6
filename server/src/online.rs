//! `--online`: registry lookups before linting. Off unless `--online` is given
//! or the file's configuration says `[registry] online = true`; then the base
//! images of the Dockerfiles and the services' images of the Compose files
//! being checked or fixed are looked up once
//! (`berth_workspace::registry`, with its cache) and the answers reach the
//! rules through each enabled file's settings ([`Config::settings`]). Files
//! whose configuration does not enable lookups get no facts and cause no
//! request. The language server looks up only with the editor's `online`
//! setting (`crate::lsp::online`).

use crate::config::Config;
use crate::discover::{FileKind, Target};
use std::sync::Arc;

/// `--online` of `berth check` and `berth fix`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct OnlineFlags {
    /// Ask the images' registries whether tags and pinned digests exist and which platforms they publish, and
    /// offer digest pins (also `[registry] online = true`). Nothing is sent without it.
    #[arg(long)]
    pub online: bool,
}

/// Lookups are on for files with this configuration.
pub fn enabled(config: &Config) -> bool {
    berth_workspace::registry::cli_online() || config.registry.value.online
}

/// The images a Dockerfile builds from, as the model evaluates them.
fn images_of(text: &str) -> Vec<String> {
    let file = berth_rules::syntax::Dockerfile::parse(text);
    let model = berth_rules::model::Model::build(&file);
    model.stages.iter().filter_map(|s| s.resolved_image().map(|(i, _)| i.text.clone())).collect()
}

/// The images a Compose file's services pull (`image:` after interpolation
/// with the project's `.env`, as the rules read it; services that build their
/// image or say `pull_policy: never` are left out).
fn compose_images_of(path: &std::path::Path, text: &str) -> Vec<String> {
    let Ok(file) = berth_rules::compose::ComposeFile::parse(text) else { return Vec::new() };
    let inputs = berth_workspace::discover::compose_inputs(path, text, &berth_workspace::files::Files::disk());
    let env = inputs.env();
    berth_rules::compose::service_images(&file.services, &env)
        .filter(|si| si.pulls)
        .filter_map(|si| si.text.map(|t| berth_rules::model::ImageRef::parse(&t).text))
        .collect()
}

/// Look up the images of the targets whose configuration enables it, once per run.
pub fn prefetch(flags: &OnlineFlags, targets: &[Target], configs: &[Arc<Config>], quiet: bool) {
    berth_workspace::registry::set_cli_online(flags.online);
    if berth_workspace::registry::facts_known() {
        return; // `berth check --fix` looks up once, before fixing
    }
    let mut refs = Vec::new();
    let mut settings = None;
    for (t, c) in targets.iter().zip(configs) {
        if !enabled(c) {
            continue;
        }
        settings.get_or_insert_with(|| c.registry.value.clone());
        if let Ok(text) = std::fs::read_to_string(&t.path) {
            match t.kind {
                FileKind::Dockerfile => refs.extend(images_of(&text)),
                FileKind::Compose => refs.extend(compose_images_of(&t.path, &text)),
            }
        }
    }
    let Some(settings) = settings else { return };
    berth_workspace::registry::set_run_settings(&settings);
    let start = std::time::Instant::now();
    let found = berth_workspace::registry::lookup(&settings, &refs);
    for n in &found.notes {
        eprintln!("{n}");
    }
    if !quiet {
        eprintln!(
            "berth: online: {} image references looked up, {} requests sent, {:.1}s",
            found.images.len(),
            found.requests,
            start.elapsed().as_secs_f64()
        );
    }
    berth_workspace::registry::set_facts(found.images);
}
