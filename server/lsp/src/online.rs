//! Registry lookups in the editor: off unless the editor's own `online`
//! setting is on (`[registry] online = true` in `berth.toml` is not enough:
//! typing must not send anything a user did not ask the editor to send).
//! With it, the images a linted document names (its stages' base images, its
//! services' pulled `image:` values after interpolation) are looked up once
//! per editor session, off the lint path, on a thread of their own; when the
//! answers arrive they join the session's facts and every open document is
//! linted again, so BD5001-BD5005 and BC7001-BC7005 appear as on the command
//! line. A reference is asked at most once per session, answered or not.

use super::Server;
use super::documents::{Analysis, Snapshot};
use berth_workspace::lint::Context;
use berth_workspace::registry;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// References asked (or being asked) this session.
static ASKED: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// The editor's `online` setting, as `--online` is for the command line.
pub fn set_enabled(on: bool) {
    registry::set_cli_online(on);
}

/// The references a document names that this session has not asked about.
fn new_references(snap: &Snapshot, context: &Context, analysis: &Analysis) -> Vec<String> {
    let refs: Vec<String> = match analysis {
        Analysis::Dockerfile(file) => {
            let model = berth_rules::model::Model::build(file);
            model.stages.iter().filter_map(|s| s.resolved_image().map(|(i, _)| i.text.clone())).collect()
        }
        Analysis::Compose(Some(file)) => {
            let literal =
                berth_rules::compose::service_images(&file.services, &Default::default()).all(|si| si.literal);
            // The project's `.env` only when a value needs it.
            let env = match (&snap.path, literal) {
                (Some(p), false) => berth_workspace::discover::compose_inputs(p, &snap.text, &context.files).env(),
                _ => Default::default(),
            };
            berth_rules::compose::service_images(&file.services, &env)
                .filter(|si| si.pulls)
                .filter_map(|si| si.text.map(|t| berth_rules::model::ImageRef::parse(&t).text))
                .collect()
        }
        Analysis::Compose(None) => Vec::new(),
    };
    let asked = ASKED.lock().unwrap_or_else(|e| e.into_inner());
    let mut out: Vec<String> = refs.into_iter().filter(|r| !asked.as_ref().is_some_and(|a| a.contains(r))).collect();
    out.sort();
    out.dedup();
    out
}

/// After a lint pass (on a blocking thread of the runtime): look up what the
/// document names that is new, then lint every open document again.
pub fn after_lint(
    core: &Arc<Server>,
    snap: &Snapshot,
    settings: &registry::Settings,
    context: &Context,
    analysis: &Analysis,
) {
    if !registry::cli_online() {
        return;
    }
    let refs = new_references(snap, context, analysis);
    if refs.is_empty() {
        return;
    }
    ASKED.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert_with(HashSet::new).extend(refs.iter().cloned());
    // The AI validation of this session asks the same registries.
    registry::set_run_settings(settings);
    let Ok(handle) = tokio::runtime::Handle::try_current() else { return };
    let (core, settings) = (core.clone(), settings.clone());
    std::thread::spawn(move || {
        let found = registry::lookup(&settings, &refs);
        for n in found.notes {
            core.log(super::Level::Warning, n);
        }
        if found.images.is_empty() {
            return;
        }
        registry::add_facts(found.images);
        let _runtime = handle.enter();
        core.relint_all();
    });
}
