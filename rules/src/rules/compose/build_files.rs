//! What the cross-file build rules (BC5004-BC5009) share: where to report about
//! a service's `build`, and each build's Dockerfile, parsed.

use crate::compose::Service;
use crate::compose::project::{Build, DockerfileSource, Found};
use crate::engine::ComposeContext;
use crate::model::{Base, Model};
use crate::syntax::Dockerfile;
use crate::text::Span;
use crate::util::SizedCache;
use std::sync::Arc;

/// Where to report about a build as a whole: its `build` key (or the alias or
/// merge that brought it in, with the place it was written).
pub(crate) fn build_key_at(b: &Build<'_>) -> (Span, Option<Span>) {
    match b.key.via.or(b.node.via) {
        Some(via) => (via, Some(b.key.span)),
        None => (b.key.span, None),
    }
}

/// A build whose Dockerfile berth could read.
pub(crate) struct BuildDockerfile<'p, 'a> {
    pub build: &'p Build<'a>,
    /// How to name the Dockerfile in messages (`api/Dockerfile`, `dockerfile_inline`).
    pub name: String,
    pub file: Arc<Dockerfile>,
}

/// The builds whose Dockerfile is known (read from disk or inline).
pub(crate) fn with_dockerfiles<'p, 'a>(cx: &'p ComposeContext<'a>) -> Vec<BuildDockerfile<'p, 'a>> {
    let mut out = Vec::new();
    for b in &cx.project.builds {
        let Some(text) = cx.project.dockerfile_text(b) else { continue };
        let name = match &b.dockerfile {
            DockerfileSource::Inline { .. } => "dockerfile_inline".to_string(),
            DockerfileSource::File(d) => match (cx.project.found(&d.path), &d.alt) {
                (Some(Found::File(Some(_))), _) | (_, None) => d.path.clone(),
                (_, Some(alt)) => alt.clone(),
            },
            DockerfileSource::Unknown => continue,
        };
        out.push(BuildDockerfile { build: b, name, file: parsed(text) });
    }
    out
}

/// Dockerfiles parsed for the cross-file rules, by text. Several rules read
/// every build's Dockerfile, and an editor re-lints the Compose file on each
/// keystroke while those Dockerfiles stay as they are: each text is parsed
/// once. Parsing is a pure function of the text, so this changes no finding.
static PARSED: SizedCache<Arc<str>, Arc<Dockerfile>> = SizedCache::new(4 << 20);
/// [`final_base_image`]'s answers, by text, for the same reason.
static FINAL_BASE: SizedCache<Arc<str>, Option<String>> = SizedCache::new(4 << 20);

/// `cache`'s value for `text`, computed and kept when it has none.
fn memo<T: Clone>(cache: &SizedCache<Arc<str>, T>, text: &str, compute: impl FnOnce() -> T) -> T {
    if let Some(hit) = cache.get(text) {
        return hit;
    }
    let value = compute();
    cache.insert(Arc::from(text), value.clone(), text.len());
    value
}

/// The parsed Dockerfile of `text`, from [`PARSED`] when it was parsed before.
pub(crate) fn parsed(text: &str) -> Arc<Dockerfile> {
    memo(&PARSED, text, || Arc::new(Dockerfile::parse(text)))
}

/// The base image of a Dockerfile's final stage, following `FROM <stage>`.
pub(crate) fn final_base_image(text: &str) -> Option<String> {
    memo(&FINAL_BASE, text, || final_base_image_of(&parsed(text)))
}

fn final_base_image_of(file: &Dockerfile) -> Option<String> {
    let model = Model::build_without_scripts(file);
    let mut stage = model.stages.last()?;
    for _ in 0..model.stages.len() {
        match &stage.base {
            Base::Stage(i) => stage = model.stages.get(*i)?,
            Base::Image(_) => return stage.resolved_image().map(|(r, _)| r.text.clone()),
            Base::Scratch => return None,
        }
    }
    None
}

/// The build of a service, when it has one.
pub(crate) fn build_of<'p, 'a>(cx: &'p ComposeContext<'a>, s: &Service) -> Option<&'p Build<'a>> {
    cx.project.builds.iter().find(|b| std::ptr::eq(b.service, s))
}

/// The image a service runs, as far as berth can tell: its `image` when no
/// `build` replaces it, else the final base image of the Dockerfile it is built
/// from (`FROM grafana/grafana` makes a Grafana), when that Dockerfile was read.
pub(crate) fn service_image(cx: &ComposeContext<'_>, s: &Service) -> Option<String> {
    if let Some(b) = build_of(cx, s)
        && let Some(image) = cx.project.dockerfile_text(b).and_then(final_base_image)
    {
        return Some(image);
    }
    s.node.get("image").and_then(|i| i.str()).map(str::to_string)
}
