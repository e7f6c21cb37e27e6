//! Target platforms: what a build is for, as far as the file and the
//! configuration tell. Shared by the platform rules (BD4003-BD4007, BC6003).
//!
//! A stage's platforms come from, in order: its `FROM --platform` (a constant,
//! or `$BUILDPLATFORM`: the machine that builds, or `$TARGETPLATFORM`: the
//! targets); the stage it is built `FROM`; the project's platforms
//! ([`Settings::platforms`]: `[registry] platforms` in `berth.toml` and
//! `--platform` on the command line). For BD4006, a Dockerfile that reads
//! `TARGETARCH`, `TARGETPLATFORM`, `TARGETOS` or `TARGETVARIANT` anywhere is
//! meant for several platforms even when none is configured.
//!
//! Architecture names differ between projects: Docker and Go say `amd64` and
//! `arm64`, the kernel (`uname -m`) and most release files `x86_64` and
//! `aarch64`, Node.js `x64`. [`arch_of_token`] maps them to Docker's.

use crate::engine::{Context, Settings};
use crate::model::{Base, Stage};

/// Where a stage runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Targets {
    /// These platforms (normalised, `linux/arm64`).
    Known(Vec<String>),
    /// `--platform=$BUILDPLATFORM`: the build machine, whatever the targets.
    Build,
    /// Nothing says.
    Unknown,
}

/// `linux/arm64`, `arm64` → (`linux`, `arm64`, variant); containerd's aliases
/// (`x86_64`, `aarch64`, `armhf`) normalised. `None` for anything else.
pub fn parse_platform(p: &str) -> Option<(String, String, Option<String>)> {
    let p = p.trim().to_ascii_lowercase();
    if p.is_empty() || p.contains('$') {
        return None;
    }
    let parts: Vec<&str> = p.split('/').collect();
    let (os, arch, variant) = match parts.as_slice() {
        [arch] if arch_of_token(arch).is_some() => ("linux", *arch, None),
        [os, arch] => (*os, *arch, None),
        [os, arch, v] => (*os, *arch, Some(v.to_string())),
        _ => return None,
    };
    const OTHER_ARCHS: [&str; 5] = ["mips64le", "mips64", "loong64", "wasm", "ppc64"];
    let arch = match arch_of_token(arch) {
        Some(a) => a.to_string(),
        None if OTHER_ARCHS.contains(&arch) => arch.to_string(),
        None => return None,
    };
    if os.is_empty() || !os.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((os.to_string(), arch, variant))
}

/// `linux/arm64` and `linux/arm64/v8` are one platform for these rules.
pub fn normalize(p: &str) -> Option<String> {
    let (os, arch, variant) = parse_platform(p)?;
    Some(match variant {
        Some(v) if !(arch == "arm64" && v == "v8") => format!("{os}/{arch}/{v}"),
        _ => format!("{os}/{arch}"),
    })
}

/// The architecture of a platform string (`arm64`).
pub fn arch(p: &str) -> Option<String> {
    parse_platform(p).map(|(_, a, _)| a)
}

/// Docker's name for an architecture as release files spell it.
pub fn arch_of_token(token: &str) -> Option<&'static str> {
    Some(match token.to_ascii_lowercase().as_str() {
        "amd64" | "x86_64" | "x86-64" | "x64" => "amd64",
        "arm64" | "aarch64" | "arm64v8" => "arm64",
        "armhf" | "armv7" | "armv7l" | "arm" => "arm",
        "386" | "i386" | "i686" => "386",
        "ppc64le" => "ppc64le",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        _ => return None,
    })
}

/// The project's platforms from the settings, normalised.
pub fn configured(settings: &Settings) -> Vec<String> {
    let mut out: Vec<String> = settings.platforms.iter().flat_map(|p| p.split(',')).filter_map(normalize).collect();
    out.sort();
    out.dedup();
    out
}

/// Whether the file reads a `TARGET*` platform ARG anywhere (its author
/// builds it for several platforms).
pub fn reads_target_args(cx: &Context<'_, '_>) -> bool {
    const NAMES: [&str; 4] = ["TARGETARCH", "TARGETPLATFORM", "TARGETOS", "TARGETVARIANT"];
    cx.model.stages.iter().any(|s| s.vars.iter().any(|v| NAMES.contains(&v.name.as_str())))
        || cx.model.global_args.iter().any(|v| NAMES.contains(&v.name.as_str()))
}

/// The architectures a stage's base image publishes when the lifecycle table
/// knows them to be few (`None`: the usual multi-platform set).
pub fn base_archs(cx: &Context<'_, '_>, stage: &Stage) -> Option<Vec<String>> {
    let mut s = stage;
    for _ in 0..64 {
        match &s.base {
            Base::Stage(p) if *p < s.index => s = &cx.model.stages[*p],
            Base::Image(_) => {
                let (image, _) = s.resolved_image()?;
                let known = crate::rules::lifecycle::platforms_of(image)?;
                return Some(known.platforms.iter().filter_map(|p| arch(p)).collect());
            }
            _ => return None,
        }
    }
    None
}

/// The platforms a stage runs on.
pub fn stage_targets(cx: &Context<'_, '_>, stage: &Stage) -> Targets {
    stage_targets_depth(cx, stage, 0)
}

/// A Windows base image (`mcr.microsoft.com/windows/servercore`,
/// `.../nanoserver`, a `windowsservercore` tag): built for windows/amd64.
pub fn is_windows_image(image: &crate::model::ImageRef) -> bool {
    let name = image.repository.to_ascii_lowercase();
    let tag = image.tag.as_deref().unwrap_or_default().to_ascii_lowercase();
    ["windows", "nanoserver", "servercore"].iter().any(|w| name.contains(w) || tag.contains(w))
}

fn stage_targets_depth(cx: &Context<'_, '_>, stage: &Stage, depth: usize) -> Targets {
    if let Base::Image(image) = &stage.base
        && is_windows_image(image)
    {
        return Targets::Known(vec!["windows/amd64".to_string()]);
    }
    let project = configured(&cx.inputs.settings);
    let targets = || if project.is_empty() { Targets::Unknown } else { Targets::Known(project.clone()) };
    if let Some(flag) = cx.file.instructions.get(stage.from).and_then(|i| i.flag("platform"))
        && let Some(value) = &flag.value
    {
        if value.contains("BUILDPLATFORM") {
            return Targets::Build;
        }
        if value.contains("TARGETPLATFORM") {
            return targets();
        }
        let e = cx.model.expand(value, stage.from);
        if !e.unresolved.is_empty() {
            return Targets::Unknown;
        }
        let list: Vec<String> = e.value.split(',').filter_map(normalize).collect();
        return if list.is_empty() { Targets::Unknown } else { Targets::Known(list) };
    }
    if let Base::Stage(p) = stage.base
        && p < stage.index
        && depth < 64
    {
        return stage_targets_depth(cx, &cx.model.stages[p], depth + 1);
    }
    targets()
}

/// Whether a stage's `--platform` is a constant (written out, or a variable
/// that evaluates to one), with its text.
pub fn constant_platform<'a>(cx: &Context<'_, 'a>, stage: &Stage) -> Option<(&'a crate::syntax::Flag, String)> {
    let flag = cx.file.instructions.get(stage.from)?.flag("platform")?;
    let value = flag.value.as_ref()?;
    if value.contains("BUILDPLATFORM") || value.contains("TARGETPLATFORM") {
        return None;
    }
    let e = cx.model.expand(value, stage.from);
    (e.unresolved.is_empty() && normalize(&e.value).is_some()).then_some((flag, e.value))
}

/// `a`, `a and b`, `a, b and c`.
pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms() {
        assert_eq!(normalize("linux/arm64/v8").as_deref(), Some("linux/arm64"));
        assert_eq!(normalize("linux/arm/v7").as_deref(), Some("linux/arm/v7"));
        assert_eq!(normalize("linux/x86_64").as_deref(), Some("linux/amd64"));
        assert_eq!(normalize("aarch64").as_deref(), Some("linux/arm64"));
        assert_eq!(normalize("$TARGETPLATFORM"), None);
        assert_eq!(normalize("linux/arm65"), None);
        assert_eq!(normalize("sideways"), None);
        assert_eq!(arch_of_token("x64"), Some("amd64"));
        assert_eq!(list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
    }
}
