//! What the registry rules (BD5001-BD5005) and the pin fixes of DL3006/DL3007
//! share: the base images the registry answered about, and the fix that pins
//! one to the digest its tag names now. The facts come from the front end
//! (`berth check --online`, `berth_workspace::registry`); without them these
//! rules say nothing.

use crate::engine::registry::ImageFacts;
use crate::engine::{Context, Edit, Fix};
use crate::model::{ImageRef, Stage};
use crate::syntax::Word;

/// Each stage built from an image the registry answered about.
pub(crate) fn looked_up<'c>(
    cx: &'c Context<'_, '_>,
) -> impl Iterator<Item = (&'c Stage, &'c ImageRef, &'c Word, &'c ImageFacts)> + 'c {
    let facts = cx.inputs.settings.registry.as_ref();
    cx.model.stages.iter().filter_map(move |stage| {
        let (image, word) = stage.resolved_image()?;
        let f = facts?.get(&image.text)?;
        Some((stage, image, word, f))
    })
}

/// `name:tag@digest` for an image: the tag kept (`latest` when none is
/// written, which is what Docker pulls), the digest replaced or added.
pub(crate) fn pinned_text(image: &ImageRef, digest: &str) -> String {
    format!("{}:{}@{digest}", image.name(), image.tag.as_deref().unwrap_or("latest"))
}

/// The word can be replaced as a whole: written without variables or quotes.
fn plain(image: &ImageRef, word: &Word) -> bool {
    word.raw == image.text
}

/// Pin the image to the digest its tag names now (a safe fix: the build
/// pulls the same image today, and the same one tomorrow).
pub(crate) fn pin_fix(cx: &Context<'_, '_>, stage: &Stage) -> Option<Fix> {
    let (image, word) = stage.resolved_image()?;
    let digest = cx.inputs.settings.registry.as_ref()?.get(&image.text)?.current_digest.as_deref()?;
    if image.digest.is_some() || !plain(image, word) {
        return None;
    }
    let text = pinned_text(image, digest);
    Some(Fix::safe(format!("Pin to the current digest: `{text}`"), vec![Edit::replace(word.span, text)]))
}

/// Replace the image word by `text` when it is written plainly.
pub(crate) fn replace(image: &ImageRef, word: &Word, title: String, text: String) -> Option<Fix> {
    plain(image, word).then(|| Fix::unsafe_(title, vec![Edit::replace(word.span, text)]))
}

/// The platforms a stage is built for: its constant `FROM --platform`, else the project's targets.
pub(crate) fn targets(cx: &Context<'_, '_>, stage: &Stage) -> Vec<String> {
    let inst = cx.file.instructions.get(stage.from);
    let flag = inst.and_then(|i| i.flags.iter().find(|f| f.name == "platform"));
    match flag.and_then(|f| f.value.as_deref()) {
        Some(v) if !v.contains('$') => v.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
        Some(_) => Vec::new(),
        None => cx.inputs.settings.registry.as_ref().map(|r| r.platforms.clone()).unwrap_or_default(),
    }
}
