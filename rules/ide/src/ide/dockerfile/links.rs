//! Document links of a Dockerfile: the image of each FROM that is not an
//! earlier stage, and of `COPY --from=<image>`, to its registry's page
//! ([`crate::ide::links::image_url`]). Images written with variables are
//! left out.

use super::analysis::{Analysis, flag_words, unquote_piece};
use crate::ide::links::{Link, image_link};
use crate::model::Base;
use crate::syntax::Keyword;

impl Analysis {
    /// The links of the document, in order.
    pub fn links(&self) -> Vec<Link> {
        let mut out = Vec::new();
        for s in &self.stages {
            if let (Base::Image(_), Some((raw, span))) = (&s.base, &s.image_raw)
                && let Some(l) = image_link(raw, *span)
            {
                out.push(l);
            }
        }
        for (idx, inst) in self.file.instructions.iter().enumerate() {
            if inst.keyword != Keyword::Copy {
                continue;
            }
            for fw in flag_words(inst) {
                let Some((raw, vstart)) = fw.value.as_ref() else { continue };
                if !fw.name.eq_ignore_ascii_case("from") {
                    continue;
                }
                let (inner, off) = unquote_piece(raw);
                let span = inst.args.span(vstart + off, vstart + off + inner.len());
                // An earlier stage (by name or number) is not an image.
                let stage = inner.bytes().all(|b| b.is_ascii_digit())
                    || self.stage_uses.iter().any(|u| u.span == span)
                    || self.stages[..self.inst_stage.get(idx).copied().flatten().map_or(0, |s| s + 1)]
                        .iter()
                        .any(|st| st.name.as_ref().is_some_and(|(n, _)| n.eq_ignore_ascii_case(inner)));
                if !stage && let Some(l) = image_link(inner, span) {
                    out.push(l);
                }
            }
        }
        out.sort_by_key(|l| (l.span.start, l.span.end));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::links::Target;

    fn links(text: &str) -> Vec<(String, String)> {
        Analysis::new(text)
            .links()
            .into_iter()
            .map(|l| {
                let Target::Url(u) = l.target else { panic!("{l:?}") };
                (text[l.span.start..l.span.end].to_string(), u)
            })
            .collect()
    }

    #[test]
    fn images_and_copy_from() {
        let text = "ARG BASE=alpine\nFROM python:3.12 AS build\nFROM ${BASE}\nFROM build AS test\n\
                    COPY --from=build /a /b\nCOPY --from=0 /a /b\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/\n\
                    COPY --from=\"nginx:1.27\" /etc/nginx /etc/nginx\nFROM scratch\n";
        assert_eq!(
            links(text),
            [
                ("python:3.12".to_string(), "https://hub.docker.com/_/python".to_string()),
                ("ghcr.io/astral-sh/uv:0.5".into(), "https://ghcr.io/astral-sh/uv".into()),
                ("nginx:1.27".into(), "https://hub.docker.com/_/nginx".into()),
            ]
        );
    }
}
