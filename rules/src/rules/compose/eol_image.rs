use super::{literal_images, place, with_written};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use crate::rules::lifecycle;

pub struct EolImage;

static META: RuleMeta = RuleMeta {
    code: "BC6001",
    name: "eol-image",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A service's image version has reached (or is about to reach) its end of life",
    docs: r#"## What it checks
A service `image:` whose version has reached its end of life, or reaches it
within 90 days (`eol-warning-days` in `berth.toml`): `postgres:11`,
`mysql:5.7`, `node:16-alpine`, `python:3.8-slim-buster` (Python 3.8, and
Debian buster named by the tag). The same table and the same reading of tags
as BD4001 (`eol-base-image`) for Dockerfiles; see `docs/lifecycle.md`. Images
given by a variable, tags that move (`postgres:latest`, `node:lts`) and unknown
images are left alone. The day compared with is today, or `as-of` in
`berth.toml`. An end of life that has passed is a warning, a near one
information.

## Why it matters
A version past its end of life gets no security fixes, and its image is no
longer rebuilt. For a database, the upgrade to a supported major version often
needs a dump and restore or an upgrade tool, so it is better planned before the
end date than after a vulnerability.

## Example
```yaml
services:
  db:
    image: postgres:11
```

## Use instead
```yaml
services:
  db:
    image: postgres:17
```

## References
- endoflife.date: https://endoflife.date/
- PostgreSQL versioning policy: https://www.postgresql.org/support/versioning/
"#,
};

impl ComposeRule for EolImage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for (si, image) in literal_images(cx) {
            let Some((message, ended)) = lifecycle::judge(&image, cx.settings) else { continue };
            let (at, written) = place(si.key, si.value);
            let d = META.diagnostic(at, format!("service `{}` runs `{}`: {message}", si.service.name, image.text));
            let d = if ended { d } else { d.with_severity(Severity::Info) };
            out.push(with_written(d, written));
        }
    }
}
