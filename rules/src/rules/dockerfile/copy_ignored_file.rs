use super::dockerignore::{Matcher, clean};
use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::{Instruction, Keyword};
use crate::text::Span;

pub struct CopyIgnoredFile;

static META: RuleMeta = RuleMeta {
    code: "BD1016",
    name: "copy-ignored-file",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: Some("CopyIgnoredFile"),
    aliases: &[],
    default_enabled: true,
    summary: "Do not COPY or ADD files that .dockerignore excludes",
    docs: r#"## What it checks
`COPY` and `ADD` sources from the build context that the context's
`.dockerignore` excludes, directly or through an excluded parent folder.
The `.dockerignore` is the one next to the Dockerfile (`<name>.dockerignore`
first, then `.dockerignore`); without one the rule does nothing. Patterns
follow the builder's rules: `*` and `?` within a path component, `**` across
components, `!` re-includes, the last matching line wins.

Not checked: `COPY --from` (another stage or image), URLs and git sources,
heredocs, sources with wildcards, the context root (`.`), sources whose
variables have no known value, and folders that a later `!` line partly
re-includes (`*` then `!src/main.go` still lets `COPY src ...` copy
something). BuildKit reports some of these; berth stays silent where the
copy may well work.

## Why it matters
Excluded files are never sent to the builder. The `COPY` then fails with
"not found", or, for a folder, silently copies less than it seems to, and the
image works on the author's machine only as long as nobody rebuilds it.

## Example
```dockerfile
# .dockerignore contains: config/local.yaml
COPY config/local.yaml /etc/app/config.yaml
```

## Use instead
Copy a file that is part of the context, or remove the line from
`.dockerignore` if the file is meant to be in the image.

## References
- BuildKit check CopyIgnoredFile: https://docs.docker.com/reference/build-checks/copy-ignored-file/
- .dockerignore files: https://docs.docker.com/build/concepts/context/#dockerignore-files
"#,
};

fn is_remote(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    ["http://", "https://", "git://", "git@", "ssh://"].iter().any(|p| lower.starts_with(p))
}

/// The sources of a COPY or ADD: (value, span), heredocs left out.
fn sources(inst: &Instruction) -> Vec<(String, Span)> {
    let mut items: Vec<(String, Span, bool)> = match &inst.exec {
        Some(exec) => exec.items.iter().map(|i| (i.value.clone(), i.span, false)).collect(),
        None => inst.words().iter().map(|w| (w.value.clone(), w.span, w.raw.starts_with("<<"))).collect(),
    };
    items.pop(); // the destination
    items.into_iter().filter(|(_, _, heredoc)| !heredoc).map(|(v, s, _)| (v, s)).collect()
}

impl Rule for CopyIgnoredFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let Some(text) = cx.inputs.dockerignore.as_deref() else { return };
        let matcher = Matcher::parse(text);
        if matcher.patterns.is_empty() {
            return;
        }
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            let eff = inst.effective();
            if !matches!(eff.keyword, Keyword::Copy | Keyword::Add) || eff.flag("from").is_some() {
                continue;
            }
            let verb = eff.keyword.as_str();
            for (written, span) in sources(eff) {
                let value = if written.contains('$') {
                    if inst.trigger.is_some() {
                        continue;
                    }
                    let e = cx.model.expand(&written, idx);
                    if !e.unresolved.is_empty() {
                        continue;
                    }
                    e.value
                } else {
                    written.clone()
                };
                if is_remote(&value) || value.contains(['*', '?', '[']) {
                    continue;
                }
                let path = clean(&value);
                let path = path.trim_start_matches('/');
                if path.is_empty() || path == "." || path.starts_with("..") {
                    continue;
                }
                let Some(at) = matcher.excluded_by(path) else { continue };
                // A later `!` line re-including something inside this folder.
                let inner = format!("{path}/");
                if matcher.patterns[at + 1..].iter().any(|p| p.exclusion && p.text.starts_with(&inner)) {
                    continue;
                }
                let p = &matcher.patterns[at];
                let note = if written == value { String::new() } else { format!(" (`{written}` evaluates to it)") };
                out.push(META.diagnostic(
                    span,
                    format!(
                        "`{value}`{note} is excluded by `.dockerignore` (line {}: `{}`), so {verb} cannot find it; copy another path or un-ignore it",
                        p.line, p.text
                    ),
                ));
            }
        }
    }
}
