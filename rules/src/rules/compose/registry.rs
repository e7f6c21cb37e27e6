//! What the Compose registry rules (BC7001-BC7005) and BC1014's pin fix
//! share: the services whose `image:` a registry answered about, where to
//! report, the targets a service runs on, and the edit that rewrites the
//! value. The facts come from the front end (`berth check --online`,
//! `berth_workspace::registry`) in `ComposeContext::settings`, keyed by the
//! image text after interpolation; without them these rules say nothing.

use super::service_images;
use crate::compose::{ServiceImage, Style};
use crate::engine::registry::ImageFacts;
use crate::engine::{ComposeContext, Diagnostic, Edit, Fix};
use crate::model::ImageRef;
use crate::rules::platforms;
use crate::text::Span;

/// Whether Compose pulls the service's image from a registry
/// ([`ServiceImage::pulls`]): not when the service builds it (`image:` then
/// names the result) or its `pull_policy` is `never` or `build`.
pub(crate) fn pulled(si: &ServiceImage<'_>) -> bool {
    si.pulls
}

/// Each pulled service image that the registry answered about.
pub(crate) fn looked_up<'c>(
    cx: &'c ComposeContext<'_>,
) -> impl Iterator<Item = (ServiceImage<'c>, ImageRef, &'c ImageFacts)> + 'c {
    let facts = cx.settings.registry.as_ref();
    service_images(cx).filter_map(move |(si, image)| {
        let image = image?;
        if !pulled(&si) {
            return None;
        }
        let f = facts?.get(&image.text)?;
        Some((si, image, f))
    })
}

/// The `image:` value itself, or the alias or `<<` that brought it in (and
/// where it was written).
pub(crate) fn at(si: &ServiceImage<'_>) -> (Span, Option<Span>) {
    match si.value.via.or(si.key.via) {
        Some(via) => (via, Some(si.value.span)),
        None => (si.value.span, None),
    }
}

pub(crate) fn diagnostic(d: Diagnostic, written: Option<Span>) -> Diagnostic {
    super::with_written(d, written)
}

/// Replace the value by `text`, keeping its quotes, when it is written in
/// place without variables (an anchor's value is shared by other services).
pub(crate) fn rewrite(si: &ServiceImage<'_>, text: &str) -> Option<Edit> {
    if !si.literal || si.value.via.is_some() || si.key.via.is_some() {
        return None;
    }
    let raw = si.value.str()?;
    if raw != raw.trim() {
        return None;
    }
    let q = match si.value.style() {
        Some(Style::Plain) => "",
        Some(Style::SingleQuoted) => "'",
        Some(Style::DoubleQuoted) => "\"",
        _ => return None,
    };
    Some(Edit::replace(si.value.span, format!("{q}{text}{q}")))
}

/// Pin the image to the digest its tag names now (safe: Compose pulls the
/// same image today, and the same one tomorrow).
pub(crate) fn pin_fix(cx: &ComposeContext<'_>, si: &ServiceImage<'_>, image: &ImageRef) -> Option<Fix> {
    if image.digest.is_some() || !pulled(si) {
        return None;
    }
    let digest = cx.settings.registry.as_ref()?.get(&image.text)?.current_digest.as_deref()?;
    let text = crate::rules::dockerfile::registry::pinned_text(image, digest);
    let edit = rewrite(si, &text)?;
    Some(Fix::safe(format!("Pin to the current digest: `{text}`"), vec![edit]))
}

/// The platforms a service runs on: its `platform:`, else the project's
/// (`[registry] platforms`, `--platform`).
pub(crate) fn targets(cx: &ComposeContext<'_>, si: &ServiceImage<'_>) -> Vec<String> {
    let own = si.service.node.get("platform").and_then(|p| p.str());
    match own {
        Some(p) if crate::compose::interpolate::interpolated(p) => Vec::new(),
        Some(p) => platforms::normalize(p).into_iter().collect(),
        None => {
            let from_facts = cx.settings.registry.as_ref().map(|r| r.platforms.clone()).unwrap_or_default();
            if from_facts.is_empty() { platforms::configured(cx.settings) } else { from_facts }
        }
    }
}
