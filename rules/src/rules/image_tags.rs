//! The tag schemes of common base images, offline: whether a tag can exist at
//! all (`python:3.12-slim` can, `python:3.12-slim-ubuntu22.04` and
//! `nvidia/cuda:12.1-runtime` cannot). It says nothing about whether a
//! plausible tag was published; a registry lookup answers that.
//!
//! Used by AI validation (a suggested `FROM` or `image:` must name a tag that
//! can exist). Each scheme was written from the image's tag list on Docker
//! Hub (the "Supported tags" of the official images' descriptions,
//! docker-library/official-images `library/<name>`, and NVIDIA's and
//! PyTorch's tag lists); tags that are not matched by a scheme are reported
//! only for the images listed here.

use super::images::parse_ref;

/// Why `image`'s tag cannot exist, when it is one of the known images and its
/// tag fits none of the image's schemes. `None` for unknown images, no tag,
/// digests and tags with variables.
pub fn implausible_tag(image: &str) -> Option<String> {
    let r = parse_ref(image);
    let tag = r.tag?;
    if tag.contains('$') || tag.is_empty() {
        return None;
    }
    let official = r.is_official();
    let name = r.name;
    let ns = r.namespace;
    let (what, ok): (&str, bool) = match (official, ns, name) {
        (true, _, "python") => ("python", python(tag)),
        (true, _, "node") => ("node", node(tag)),
        (true, _, "golang") => ("golang", golang(tag)),
        (true, _, "debian") => ("debian", debian(tag)),
        (true, _, "ubuntu") => ("ubuntu", ubuntu(tag)),
        (true, _, "alpine") => ("alpine", alpine(tag)),
        (true, _, "nginx") => ("nginx", nginx(tag)),
        (_, "nvidia", "cuda") if matches!(r.registry, None | Some("docker.io") | Some("nvcr.io")) => {
            ("nvidia/cuda", cuda(tag))
        }
        (_, "pytorch", "pytorch") if matches!(r.registry, None | Some("docker.io")) => {
            ("pytorch/pytorch", pytorch(tag))
        }
        _ => return None,
    };
    if ok { None } else { Some(format!("`{tag}` does not follow the tag scheme of {what} ({})", scheme(what))) }
}

fn scheme(what: &str) -> &'static str {
    match what {
        "python" => "e.g. 3.12, 3.12.7-slim-bookworm, 3.13-alpine3.20",
        "node" => "e.g. 22, 22.11-bookworm-slim, 20-alpine, lts-slim",
        "golang" => "e.g. 1.23, 1.23.4-bookworm, 1.23-alpine3.20",
        "debian" => "e.g. bookworm, bookworm-slim, 12, 12.8-slim, trixie-20241111",
        "ubuntu" => "e.g. 24.04, noble, jammy-20240911",
        "alpine" => "e.g. 3.20, 3.20.3, edge",
        "nginx" => "e.g. 1.27, 1.27.3-alpine, stable-alpine-slim, mainline-bookworm-perl",
        "nvidia/cuda" => "X.Y.Z-{base,runtime,devel,cudnn-runtime,cudnn-devel}-{ubuntuYY.04,ubi9,rockylinux9}",
        "pytorch/pytorch" => "X.Y.Z-cudaA.B-cudnnN-{runtime,devel}",
        _ => "",
    }
}

/// `N(.N){min-1..max-1}`, each part a number (no leading `+`, no empty part).
fn version(s: &str, min: usize, max: usize) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    (min..=max).contains(&parts.len()) && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn major(s: &str) -> Option<u32> {
    s.split('.').next()?.parse().ok()
}

fn minor(s: &str) -> Option<u32> {
    s.split('.').nth(1)?.parse().ok()
}

const DEBIAN_CODENAMES: &[&str] = &[
    "buzz", "rex", "bo", "hamm", "slink", "potato", "woody", "sarge", "etch", "lenny", "squeeze", "wheezy", "jessie",
    "stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "duke", "sid",
];
const UBUNTU_CODENAMES: &[&str] = &[
    "trusty", "xenial", "bionic", "cosmic", "disco", "eoan", "focal", "groovy", "hirsute", "impish", "jammy",
    "kinetic", "lunar", "mantic", "noble", "oracular", "plucky", "questing", "resolute",
];

/// `-alpine`, `-alpine3.20`.
fn alpine_variant(s: &str) -> bool {
    s == "alpine" || s.strip_prefix("alpine").is_some_and(|v| version(v, 2, 2) && major(v) == Some(3))
}

/// The Debian-based variants of official language images: `bookworm`,
/// `slim-bookworm`, `bookworm-slim` (node's order), `slim`.
fn debian_variant(s: &str, slim_first: bool) -> bool {
    let codename = |c: &str| DEBIAN_CODENAMES.contains(&c) && c != "sid";
    if s == "slim" || codename(s) {
        return true;
    }
    if slim_first {
        s.strip_prefix("slim-").is_some_and(codename)
    } else {
        s.strip_suffix("-slim").is_some_and(codename)
    }
}

/// Windows variants: `windowsservercore-ltsc2022`, `nanoserver-1809`.
fn windows_variant(s: &str) -> bool {
    s.starts_with("windowsservercore") || s.starts_with("nanoserver")
}

/// `3`, `3.12`, `3.12.7`, `3.14.0rc1`, `3.14-rc`, with `-slim`, `-bookworm`,
/// `-slim-bookworm`, `-alpine3.20`, `-windowsservercore-...`.
fn python(tag: &str) -> bool {
    let (ver, variant) = tag.split_once('-').map_or((tag, None), |(v, r)| (v, Some(r)));
    let variant_ok = |v: Option<&str>| {
        v.is_none_or(|v| {
            debian_variant(v, true) || alpine_variant(v) || windows_variant(v) || v == "rc" || v.starts_with("rc-")
        })
    };
    if matches!(ver, "latest" | "slim" | "alpine" | "rc") || DEBIAN_CODENAMES.contains(&ver) {
        return variant_ok(variant);
    }
    // A pre-release suffix on the last part: 3.14.0a1, 3.14.0b2, 3.14.0rc1.
    let base = ver.trim_end_matches(|c: char| c.is_ascii_digit());
    let base = ["a", "b", "rc"]
        .iter()
        .find_map(|p| base.strip_suffix(p))
        .map_or(ver, |b| if b.chars().last().is_some_and(|c| c.is_ascii_digit()) { b } else { ver });
    let plausible = version(base, 1, 3)
        && match major(base) {
            Some(2) => minor(base).is_none_or(|m| m == 7),
            Some(3) => minor(base).is_none_or(|m| m <= 16),
            _ => false,
        };
    plausible && variant_ok(variant)
}

/// `22`, `22.11`, `22.11.0`, `lts`, `current`, codenames (`iron`), with
/// `-alpine`, `-alpine3.20`, `-slim`, `-bookworm`, `-bookworm-slim`.
fn node(tag: &str) -> bool {
    const CODENAMES: &[&str] =
        &["argon", "boron", "carbon", "dubnium", "erbium", "fermium", "gallium", "hydrogen", "iron", "jod", "krypton"];
    let (ver, variant) = tag.split_once('-').map_or((tag, None), |(v, r)| (v, Some(r)));
    let variant_ok = variant.is_none_or(|v| debian_variant(v, false) || alpine_variant(v) || windows_variant(v));
    let ver_ok = matches!(ver, "latest" | "lts" | "current" | "slim" | "alpine")
        || CODENAMES.contains(&ver)
        || DEBIAN_CODENAMES.contains(&ver)
        || (version(ver, 1, 3) && major(ver).is_some_and(|m| (4..=26).contains(&m)));
    ver_ok && variant_ok
}

/// `1`, `1.23`, `1.23.4`, `1.24rc1`, with `-alpine`, `-alpine3.20`,
/// `-bookworm`, `-windowsservercore-...`.
fn golang(tag: &str) -> bool {
    let (ver, variant) = tag.split_once('-').map_or((tag, None), |(v, r)| (v, Some(r)));
    let variant_ok = variant.is_none_or(|v| debian_variant(v, false) || alpine_variant(v) || windows_variant(v));
    let base = ver.split_once("rc").map_or(ver, |(b, n)| if version(n, 1, 1) { b } else { ver });
    let ver_ok = matches!(ver, "latest" | "alpine" | "tip")
        || DEBIAN_CODENAMES.contains(&ver)
        || (version(base, 1, 3) && major(base) == Some(1));
    ver_ok && variant_ok
}

/// nginx: `1`, `1.27`, `1.27.3`, `stable`, `mainline` or `latest`, or a
/// variant alone, then variants: `alpine` (or `alpine3.20`), `bookworm`,
/// `bullseye`, `slim`, `perl`, `otel`. Every release is 1.x
/// (Qwen2.5-Coder 1.5B proposed `nginx:17.2`).
fn nginx(tag: &str) -> bool {
    let variant = |v: &str| {
        matches!(v, "alpine" | "bookworm" | "bullseye" | "slim" | "perl" | "otel")
            || v.strip_prefix("alpine").is_some_and(|a| version(a, 2, 2) && major(a) == Some(3))
    };
    let mut parts = tag.split('-');
    let head = parts.next().unwrap_or_default();
    let head_ok = matches!(head, "stable" | "mainline" | "latest")
        || variant(head)
        || (version(head, 1, 3) && major(head) == Some(1));
    head_ok && parts.all(variant)
}

/// `bookworm`, `bookworm-slim`, `bookworm-20241111`, `bookworm-backports`,
/// `12`, `12.8`, `12-slim`, `stable`, `testing`, `sid`, `experimental`.
fn debian(tag: &str) -> bool {
    let (head, rest) = tag.split_once('-').map_or((tag, None), |(v, r)| (v, Some(r)));
    let head_ok = DEBIAN_CODENAMES.contains(&head)
        || matches!(
            head,
            "latest" | "stable" | "oldstable" | "oldoldstable" | "testing" | "unstable" | "experimental" | "rc"
        )
        || (version(head, 1, 2) && major(head).is_some_and(|m| (6..=14).contains(&m)));
    let rest_ok = rest.is_none_or(|r| {
        let date = |d: &str| d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()) && d.starts_with("20");
        matches!(r, "slim" | "backports" | "buggy") || date(r) || r.strip_suffix("-slim").is_some_and(date)
    });
    head_ok && rest_ok
}

/// `24.04`, `22.04`, `noble`, `jammy-20240911`, `rolling`, `devel`.
fn ubuntu(tag: &str) -> bool {
    let (head, rest) = tag.split_once('-').map_or((tag, None), |(v, r)| (v, Some(r)));
    let numbered = |v: &str| {
        let parts: Vec<&str> = v.split('.').collect();
        version(v, 2, 3)
            && parts[0].parse::<u32>().is_ok_and(|y| (10..=26).contains(&y))
            && matches!(parts[1], "04" | "10")
            && parts.get(2).is_none_or(|p| p.parse::<u32>().is_ok_and(|n| n <= 9))
    };
    let head_ok = UBUNTU_CODENAMES.contains(&head) || matches!(head, "latest" | "rolling" | "devel") || numbered(head);
    let rest_ok = rest.is_none_or(|r| r.len() == 8 && r.bytes().all(|b| b.is_ascii_digit()) && r.starts_with("20"));
    head_ok && rest_ok
}

/// `3`, `3.20`, `3.20.3`, `edge`, `latest`, `20240923`.
fn alpine(tag: &str) -> bool {
    matches!(tag, "edge" | "latest")
        || (tag.len() == 8 && tag.bytes().all(|b| b.is_ascii_digit()) && tag.starts_with("20"))
        || (version(tag, 1, 3) && major(tag) == Some(3) && minor(tag).is_none_or(|m| m <= 24))
}

/// `12.4.1-cudnn-runtime-ubuntu22.04`, `11.8.0-devel-ubi8`,
/// `10.2-base-ubuntu18.04` (two-part versions until CUDA 10.2).
fn cuda(tag: &str) -> bool {
    let Some((ver, rest)) = tag.split_once('-') else { return false };
    let ver_ok = version(ver, 2, 3)
        && match major(ver) {
            Some(m @ 7..=10) => m <= 10,
            Some(11..=13) => ver.split('.').count() == 3,
            _ => false,
        };
    const FLAVORS: &[&str] = &[
        "base",
        "runtime",
        "devel",
        "cudnn-runtime",
        "cudnn-devel",
        "cudnn7-runtime",
        "cudnn7-devel",
        "cudnn8-runtime",
        "cudnn8-devel",
        "cudnn9-runtime",
        "cudnn9-devel",
        "tensorrt-runtime",
        "tensorrt-devel",
    ];
    let Some((flavor, os)) =
        FLAVORS.iter().filter_map(|f| rest.strip_prefix(f).map(|os| (*f, os))).max_by_key(|(f, _)| f.len())
    else {
        return false;
    };
    let _ = flavor;
    let Some(os) = os.strip_prefix('-') else { return false };
    let os_ok = os
        .strip_prefix("ubuntu")
        .is_some_and(|v| matches!(v, "14.04" | "16.04" | "18.04" | "20.04" | "22.04" | "24.04"))
        || matches!(
            os,
            "ubi7"
                | "ubi8"
                | "ubi9"
                | "ubi10"
                | "centos6"
                | "centos7"
                | "centos8"
                | "rockylinux8"
                | "rockylinux9"
                | "rockylinux10"
                | "oraclelinux8"
                | "oraclelinux9"
                | "amzn2"
                | "amzn2023"
                | "opensuse15"
        );
    ver_ok && os_ok
}

/// `2.5.1-cuda12.4-cudnn9-runtime`, `1.13.1-cuda11.6-cudnn8-devel`, `latest`.
fn pytorch(tag: &str) -> bool {
    if matches!(tag, "latest" | "nightly") {
        return true;
    }
    let parts: Vec<&str> = tag.split('-').collect();
    match parts.as_slice() {
        [ver] => version(ver, 2, 3) && matches!(major(ver), Some(1 | 2)),
        [ver, cuda, cudnn, kind] => {
            version(ver, 3, 3)
                && matches!(major(ver), Some(1 | 2))
                && cuda
                    .strip_prefix("cuda")
                    .is_some_and(|c| version(c, 2, 2) && major(c).is_some_and(|m| (9..=13).contains(&m)))
                && cudnn.strip_prefix("cudnn").is_some_and(|n| n.parse::<u32>().is_ok_and(|n| (7..=9).contains(&n)))
                && matches!(*kind, "runtime" | "devel")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::implausible_tag;

    #[test]
    fn real_tags_pass() {
        for t in [
            "python:3.12",
            "python:3.12.7-slim-bookworm",
            "python:3.13-alpine3.20",
            "python:3.14.0rc1-slim",
            "python:3-slim",
            "python:2.7-slim",
            "python:3.11-windowsservercore-ltsc2022",
            "node:22",
            "node:22.11.0-bookworm-slim",
            "node:20-alpine",
            "node:lts-slim",
            "node:iron-alpine3.19",
            "golang:1.23",
            "golang:1.23.4-bookworm",
            "golang:1.24rc1-alpine",
            "golang:1.22-alpine3.20",
            "debian:bookworm-slim",
            "debian:12",
            "debian:12.8-slim",
            "debian:bookworm-20241111",
            "debian:bookworm-backports",
            "debian:sid",
            "ubuntu:24.04",
            "ubuntu:jammy-20240911",
            "ubuntu:22.04",
            "alpine:3.20",
            "alpine:3.20.3",
            "alpine:edge",
            "nginx:1.27",
            "nginx:1.27.3-alpine",
            "nginx:stable-alpine-slim",
            "nginx:mainline-bookworm-perl",
            "nginx:alpine3.20-slim",
            "nginx:1-alpine-otel",
            "nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04",
            "nvidia/cuda:11.8.0-devel-ubi8",
            "nvidia/cuda:10.2-base-ubuntu18.04",
            "nvcr.io/nvidia/cuda:12.6.2-base-ubuntu24.04",
            "pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime",
            "pytorch/pytorch:latest",
            "docker.io/library/python:3.12-slim",
            "python:${PY}-slim",
            "mycorp/python:anything-goes",
            "python@sha256:0123",
        ] {
            assert_eq!(implausible_tag(t), None, "{t}");
        }
    }

    #[test]
    fn made_up_tags_are_reported() {
        for t in [
            "python:3.12-slim-ubuntu22.04",
            "python:3.45",
            "python:4.0",
            "python:3.12-buster-slim",
            "node:22-ubuntu",
            "node:99",
            "golang:2.1",
            "debian:bookworm-alpine",
            "debian:22.04",
            "ubuntu:22.05",
            "ubuntu:bookworm",
            "alpine:3.99",
            "alpine:latest-slim",
            "nginx:17.2",
            "nginx:1.27-ubuntu",
            "nginx:2.0",
            "nvidia/cuda:12.1-runtime-ubuntu22.04",
            "nvidia/cuda:12.1.0-runtime",
            "nvidia/cuda:12.1.0-runtime-ubuntu21.04",
            "nvidia/cuda:latest",
            "pytorch/pytorch:2.1.0-cuda12.1-runtime",
            "pytorch/pytorch:2.1-cuda12.1-cudnn8-runtime",
        ] {
            assert!(implausible_tag(t).is_some(), "{t}");
        }
    }

    /// With `BERTH_CORPUS`: no image of a real `FROM` or `image:` is reported.
    #[test]
    fn corpus_images_pass() {
        let Ok(root) = std::env::var("BERTH_CORPUS") else { return };
        let mut stack = vec![std::path::PathBuf::from(root)];
        let (mut seen, mut bad) = (0, Vec::new());
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&p) else { continue };
                for line in text.lines() {
                    let t = line.trim();
                    let image = if t.len() > 5 && t[..5].eq_ignore_ascii_case("FROM ") {
                        t[5..].split_whitespace().find(|w| !w.starts_with("--"))
                    } else {
                        t.strip_prefix("image:").map(|v| v.trim().trim_matches(['"', '\'']))
                    };
                    if let Some(image) = image {
                        seen += 1;
                        if let Some(why) = implausible_tag(image) {
                            bad.push(format!("{}: {image}: {why}", p.display()));
                        }
                    }
                }
            }
        }
        assert!(seen > 100, "{seen}");
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}
