use super::{place_node, with_written};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct InvalidContainerName;

static META: RuleMeta = RuleMeta {
    code: "BC1012",
    name: "service-container-name-regex",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &["invalid-container-name"],
    default_enabled: true,
    summary: "A `container_name` that Docker refuses",
    docs: r#"## What it checks
`container_name` values that do not match Docker's rule for container names,
`[a-zA-Z0-9][a-zA-Z0-9_.-]+`: at least two characters, a letter or digit
first, then only letters, digits, `_`, `.` and `-`. Names built with
variables (`${PREFIX}-web`) are judged on their literal parts only.

## Why it matters
The Docker daemon refuses to create the container ("Invalid container name"),
so `docker compose up` fails for that service. Spaces, `/`, `:` and non-ASCII
letters are the usual causes.

## Example
```yaml
services:
  web:
    image: nginx:1.27
    container_name: "shop web"
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27
    container_name: shop-web
```

## References
- Compose Specification, container_name: https://docs.docker.com/reference/compose-file/services/#container_name
- dclint `service-container-name-regex` (which also reports names built with variables)
"#,
};

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Remove `${...}` and `$NAME` references (`$$` is a literal `$`); `None` when a `${` is not closed.
fn literal_parts(s: &str) -> Option<(String, bool)> {
    let mut out = String::new();
    let mut starts_with_var = false;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        match chars.peek().map(|&(_, n)| n) {
            Some('$') => {
                chars.next();
                out.push('$');
            }
            Some('{') => {
                let close = s[i..].find('}')?;
                while chars.peek().is_some_and(|&(j, _)| j <= i + close) {
                    chars.next();
                }
                starts_with_var |= out.is_empty();
            }
            Some(n) if n == '_' || n.is_ascii_alphabetic() => {
                while chars.peek().is_some_and(|&(_, n)| n == '_' || n.is_ascii_alphanumeric()) {
                    chars.next();
                }
                starts_with_var |= out.is_empty();
            }
            _ => out.push('$'),
        }
    }
    Some((out, starts_with_var))
}

/// Why `name` is not a valid container name, if it is not.
fn problem(name: &str) -> Option<String> {
    let (lit, var_first) = literal_parts(name)?;
    let var = lit.len() != name.len() || var_first;
    if let Some(c) = lit.chars().find(|&c| !allowed(c)) {
        return Some(match c {
            ' ' => "spaces are not allowed".to_string(),
            c if c.is_control() || c.is_whitespace() => format!("`{}` is not allowed", c.escape_default()),
            c => format!("`{c}` is not allowed"),
        });
    }
    if var {
        return None;
    }
    match lit.chars().next() {
        None => Some("it is empty".into()),
        Some(c) if !c.is_ascii_alphanumeric() => Some("it must start with a letter or digit".into()),
        Some(_) if lit.chars().count() < 2 => Some("it must be at least two characters long".into()),
        _ => None,
    }
}

impl ComposeRule for InvalidContainerName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some(v) = s.node.get("container_name") else { continue };
            let Some(name) = v.str().filter(|_| !v.is_null()) else { continue };
            let Some(why) = problem(name) else { continue };
            let (at, written) = place_node(v);
            let msg = format!(
                "service `{}` has container name `{name}`, which Docker refuses: {why}; use letters, digits, `_`, `.` and `-`",
                s.name
            );
            out.push(with_written(META.diagnostic(at, msg), written));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["web", "my_app.web-1", "${NAME:-web}", "${P}-web", "a${X}", "$NAME", "9x"] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for bad in ["a", "-web", "shop web", "${P}/web", "web:1", "wéb", ".x"] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }
}
