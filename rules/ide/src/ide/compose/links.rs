//! Document links of a Compose file: `image:` to its registry's page, and
//! the local files it names: `build` (a context, or its `context:` and
//! `dockerfile:`), `env_file`, `extends.file`, `include` paths and env
//! files, and the `file:` of top-level secrets and configs. Read from the
//! tree as written (an alias is linked where its anchor is written).

use crate::compose::{ComposeFile, Kind, Node};
use crate::ide::links::{Base, Link, image_link, path_link};

/// The links of a Compose file, in order.
pub fn links(file: &ComposeFile) -> Vec<Link> {
    let mut out = Vec::new();
    let root = &file.raw;
    if let Some(services) = root.get("services") {
        for (_, service) in services.entries() {
            service_links(service, &mut out);
        }
    }
    if let Some(include) = root.get("include") {
        for item in include.items() {
            match &item.kind {
                Kind::Scalar { .. } => paths(item, Base::Document, "included Compose file", &mut out),
                Kind::Map(_) => {
                    if let Some(p) = item.get("path") {
                        paths(p, Base::Document, "included Compose file", &mut out);
                    }
                    if let Some(e) = item.get("env_file") {
                        paths(e, Base::Document, "env file", &mut out);
                    }
                }
                _ => {}
            }
        }
    }
    for section in ["secrets", "configs"] {
        if let Some(list) = root.get(section) {
            for (_, entry) in list.entries() {
                if let Some(f) = entry.get("file") {
                    paths(f, Base::Document, "file", &mut out);
                }
            }
        }
    }
    out.sort_by_key(|l| (l.span.start, l.span.end));
    out.dedup_by_key(|l| l.span);
    out
}

fn service_links(service: &Node, out: &mut Vec<Link>) {
    if let Some(image) = service.get("image")
        && let Some(text) = image.str()
        && let Some(l) = image_link(text, image.span)
    {
        out.push(l);
    }
    if let Some(build) = service.get("build") {
        match &build.kind {
            Kind::Scalar { .. } => paths(build, Base::Document, "build context", out),
            Kind::Map(_) => {
                let context = build.get("context");
                if let Some(c) = context {
                    paths(c, Base::Document, "build context", out);
                }
                if let Some(d) = build.get("dockerfile")
                    && let Some(text) = d.str()
                {
                    let base = Base::Context(context.and_then(Node::str).unwrap_or(".").to_string());
                    out.extend(path_link(text, d.span, base, "Dockerfile"));
                }
            }
            _ => {}
        }
    }
    if let Some(env) = service.get("env_file") {
        paths(env, Base::Document, "env file", out);
    }
    if let Some(extends) = service.get("extends")
        && let Some(f) = extends.get("file")
    {
        paths(f, Base::Document, "extended Compose file", out);
    }
}

/// A path, a list of paths, or a list of `{path: ...}` entries.
fn paths(node: &Node, base: Base, what: &str, out: &mut Vec<Link>) {
    match &node.kind {
        Kind::Scalar { text, .. } => out.extend(path_link(text, node.span, base, what)),
        Kind::Seq(items) => {
            for item in items {
                match &item.kind {
                    Kind::Scalar { text, .. } => out.extend(path_link(text, item.span, base.clone(), what)),
                    Kind::Map(_) => {
                        if let Some(p) = item.get("path")
                            && let Some(text) = p.str()
                        {
                            out.extend(path_link(text, p.span, base.clone(), what));
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::links::Target;

    #[test]
    fn images_and_paths() {
        let text = "\
include:
  - ./base.yaml
  - path: [other/compose.yaml]
    env_file: other/.env
services:
  web:
    image: nginx:1.27
    build:
      context: ./app
      dockerfile: docker/Dockerfile.dev
    env_file:
      - .env
      - path: ./web.env
        required: false
    extends:
      file: common.yaml
      service: base
  job:
    image: registry.example.com/job:1
    build: https://github.com/a/b.git
  api:
    image: ${REGISTRY}/api
    build: ./api
secrets:
  token:
    file: ./secrets/token.txt
";
        let file = ComposeFile::parse(text).unwrap();
        let got: Vec<(String, Target)> =
            links(&file).into_iter().map(|l| (text[l.span.start..l.span.end].to_string(), l.target)).collect();
        let path = |p: &str| Target::Path { path: p.into(), base: Base::Document };
        assert_eq!(
            got,
            [
                ("./base.yaml".to_string(), path("./base.yaml")),
                ("other/compose.yaml".into(), path("other/compose.yaml")),
                ("other/.env".into(), path("other/.env")),
                ("nginx:1.27".into(), Target::Url("https://hub.docker.com/_/nginx".into())),
                ("./app".into(), path("./app")),
                (
                    "docker/Dockerfile.dev".into(),
                    Target::Path { path: "docker/Dockerfile.dev".into(), base: Base::Context("./app".into()) }
                ),
                (".env".into(), path(".env")),
                ("./web.env".into(), path("./web.env")),
                ("common.yaml".into(), path("common.yaml")),
                ("./api".into(), path("./api")),
                ("./secrets/token.txt".into(), path("./secrets/token.txt")),
            ]
        );
    }
}
