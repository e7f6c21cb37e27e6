use super::refs::{key_place, part_place};
use super::with_written;
use crate::compose::interpolate::interpolated;
use crate::compose::interpolate::{self, Part};
use crate::compose::{Key, Node, Style};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use crate::rules::secrets::{self, Judge, SecretName};
use crate::text::Span;
use std::ops::Range;

pub struct LiteralSecret;

static META: RuleMeta = RuleMeta {
    code: "BC2008",
    name: "literal-secret",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A password, token or key is written in `environment` or `build.args`",
    docs: r#"## What it checks
Variables of a service's `environment` and `build.args`, in the mapping form
(`NAME: value`) and the list form (`NAME=value`), judged by their value:
- error: the value contains what looks like a real credential: an OpenAI
  (`sk-...`) or Anthropic (`sk-ant-...`) API key, a GitHub (`ghp_...`,
  `github_pat_...`), GitLab (`glpat-...`), Hugging Face (`hf_...`), Slack
  (`xoxb-...`), Stripe (`sk_live_...`), npm, PyPI, SendGrid or Google
  (`AIza...`) token, an AWS access key ID (`AKIA...`), a Laravel
  `base64:...` application key, a JSON Web Token, or a private key block.
  Each format has its documented prefix and length (one table, shared with
  DL3064 and the AI redaction, with the source of each format), and the part
  after the prefix must look random (mixed letters and digits, many distinct
  characters), so placeholders such as `sk-your-key-here` or AWS's
  `...EXAMPLE` keys are not taken for keys;
- warning: a URL with a password in it (`postgres://app:s3cret@db/app`,
  `redis://:s3cret@cache:6379`);
- warning: any other non-empty value of a variable whose name ends like a
  secret: `PASSWORD`, `PASSWD`, `PASSPHRASE`, `SECRET`, `TOKEN`, `APIKEY`,
  `CREDENTIALS`, also glued to a prefix (`WEBPASSWORD`, `DBSECRET`), `PASS`,
  `PWD`, `PW` (`ADMIN_PW`, `ROOTPW`), `AUTH`, and `KEY` after `API`, `APP`
  (Laravel), `SECRET` (Django), `PRIVATE`, `ENCRYPTION`, `SIGNING`, `MASTER`,
  `AUTH`, `NONCE`, `LICENSE`, `HMAC`, `JWT`, `SESSION` and the like (so
  `AWS_SECRET_ACCESS_KEY` and Rails' `SECRET_KEY_BASE` are secrets;
  `PUBLIC_KEY`, `AWS_ACCESS_KEY_ID`, `MAX_TOKENS` and `PASSWORD_FILE` are
  not). For `*_AUTH`, the names of authentication methods (`login`,
  `plain`, `scram-sha-256`, ...) are not secrets;
- warning: a value that looks generated (20 characters or more, letters with
  digits, at least 3.5 bits of entropy per character) under a name ending in
  `KEY`, `SALT` or `SEED` that does not say it is a secret by itself
  (WordPress's `LOGGED_IN_SALT`, `STORAGE_KEY`);
- info: a secret variable taken from the environment with a guessable
  default written in the file (`${DB_PASSWORD:-changeme}`,
  `${DB_PASSWORD:-postgres}`): when nobody sets it, the service runs with
  that password.

Not reported: empty values and variables without a value (passed through
from the shell), values taken from the environment (`${DB_PASSWORD}`, or with
a default that is not a well-known password), yes/no and true/false switches
(`MYSQL_ALLOW_EMPTY_PASSWORD: "yes"`), `none` (also quoted: `"'none'"`), and
file names and paths (`*_FILE: /run/secrets/db_password`,
`TLS_KEY: certs/server.pem`). Recognized key formats are reported even
inside a `${VAR:-default}`: a real key in the file leaks whether or not it is
a default.

Placeholders such as `changeme` or `example` are reported: the service runs
with that password when nobody changes it, and whoever replaces it in the file
commits the real one.

The message names the variable and never repeats the value.

A value written once in an anchor and merged into several services
(`x-common-env: &common-env`, then `<<: *common-env` in each) is one finding,
at the value, naming the services; each merge is related information. A
value merged into a single service is reported at the merge, with the place
it is written.

## Why it matters
Compose files are committed, shared and pasted into issues; a key written in
one is a leaked key, and `docker inspect` shows every environment variable to
anyone with access to the daemon. Build arguments are worse: they stay in the
image's history for everyone who pulls it.

## Example
```yaml
services:
  db:
    image: postgres:17
    environment:
      POSTGRES_PASSWORD: s3cret
```

## Use instead
Pass the secret as a file, which official images read through the `_FILE`
variant of the variable:
```yaml
services:
  db:
    image: postgres:17
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    secrets:
      - db_password
secrets:
  db_password:
    file: ./db_password.txt  # not committed
```
or take it from the environment (`POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}`),
and use `build.secrets` instead of `build.args` for build-time credentials.

## References
- Compose Specification, secrets: https://docs.docker.com/reference/compose-file/secrets/
- Docker, secrets in Compose: https://docs.docker.com/compose/how-tos/use-secrets/
- Compose Specification, build secrets: https://docs.docker.com/reference/compose-file/build/#secrets
- Docker, interpolation: https://docs.docker.com/reference/compose-file/interpolation/
- Token formats: GitHub https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/,
  AWS https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html, Hugging Face
  https://huggingface.co/docs/hub/security-tokens (all sources are listed in `rules/src/rules/secrets.rs`)
- Laravel `APP_KEY`: https://laravel.com/docs/encryption#configuration
- Rails `SECRET_KEY_BASE`: https://guides.rubyonrails.org/security.html#custom-credentials
"#,
};

/// Values that are switches, methods or paths rather than secrets. Quotes
/// written inside the value (`"'none'"`, list items `- PASS="none"`) are ignored.
fn not_a_secret(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    matches!(
        v.to_ascii_lowercase().as_str(),
        "" | "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "0" | "1" | "none" | "null" | "nil"
    ) || secrets::looks_like_file(v)
}

/// `*_AUTH` variables hold credentials (`REDIS_AUTH`, `NEO4J_AUTH=neo4j/pass`)
/// or name an authentication method (`SMTP_AUTH: login`); these are methods.
fn auth_method(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "login"
            | "plain"
            | "basic"
            | "bearer"
            | "digest"
            | "md5"
            | "cram-md5"
            | "scram-sha-1"
            | "scram-sha-256"
            | "trust"
            | "password"
            | "ldap"
            | "oauth"
            | "oauth2"
            | "oidc"
            | "jwt"
            | "token"
            | "disabled"
            | "enabled"
            | "required"
            | "optional"
    )
}

/// True when the value holds a URL with a non-empty password (`scheme://user:pass@host`).
fn url_with_password(value: &str) -> bool {
    let mut rest = value;
    while let Some(i) = rest.find("://") {
        let after = &rest[i + 3..];
        let end = after.find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace()).unwrap_or(after.len());
        let authority = &after[..end];
        if let Some(at) = authority.rfind('@')
            && let Some((_, password)) = authority[..at].split_once(':')
            && !password.is_empty()
        {
            return true;
        }
        rest = after;
    }
    false
}

enum Finding {
    Format(&'static str),
    Url,
    Name,
    Random,
    /// `${NAME:-changeme}`: the default written in the file is a guessable password.
    WeakDefault,
}

/// The literal default of each `${VAR:-default}` / `${VAR-default}` in `value`.
fn literal_defaults(value: &str) -> Vec<String> {
    let Ok(parts) = interpolate::parse(value) else { return Vec::new() };
    parts
        .iter()
        .filter_map(|p| match p {
            Part::Var(r) if r.op.is_some_and(|o| o.is_default()) => {
                let mut text = String::new();
                for w in &r.word {
                    match w {
                        Part::Text { text: t, .. } => text.push_str(t),
                        Part::Var(_) => return None,
                    }
                }
                Some(text)
            }
            _ => None,
        })
        .collect()
}

fn judge(name: &str, value: &str) -> Option<Finding> {
    if let Some(kind) = secrets::credential_kind(value, Judge::Lint) {
        return Some(Finding::Format(kind));
    }
    if value.trim().is_empty() {
        return None;
    }
    let named = secrets::secret_name(name);
    if interpolated(value) {
        let weak = named != SecretName::No
            && literal_defaults(value).iter().any(|d| !not_a_secret(d) && secrets::weak_password(d));
        return weak.then_some(Finding::WeakDefault);
    }
    if url_with_password(value) {
        return Some(Finding::Url);
    }
    if not_a_secret(value) {
        return None;
    }
    match named {
        SecretName::Yes if !(secrets::name_words(name).last().is_some_and(|w| w == "auth") && auth_method(value)) => {
            Some(Finding::Name)
        }
        SecretName::IfRandom if secrets::random_looking(value.trim()) => Some(Finding::Random),
        _ => None,
    }
}

/// One variable with a value: its name, the mapping key (mapping form), the
/// node holding the value and the value's byte range in that node.
struct Variable<'n> {
    name: String,
    key: Option<&'n Key>,
    node: &'n Node,
    range: Range<usize>,
}

fn variables(list: &Node) -> Vec<Variable<'_>> {
    let mut out = Vec::new();
    for (k, v) in list.entries() {
        if let Some(t) = v.str().filter(|_| !v.is_null()) {
            out.push(Variable { name: k.text.clone(), key: Some(k), node: v, range: 0..t.len() });
        }
    }
    for item in list.items() {
        let Some(t) = item.str() else { continue };
        if let Some((name, value)) = t.split_once('=') {
            let range = name.len() + 1..name.len() + 1 + value.len();
            out.push(Variable { name: name.trim().to_string(), key: None, node: item, range });
        }
    }
    out
}

/// A finding in content merged from an anchor: where the literal is written,
/// the services (and merge sites) that use it, the message after the service
/// name, and the severity.
type Shared = (Span, Vec<(String, Span)>, String, Severity);

impl ComposeRule for LiteralSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        // Findings in content brought in by an alias or merge (`<<: *common-env`),
        // by the place the literal is written: one literal merged into several
        // services is one finding, at the literal, with every use as related.
        let mut shared: Vec<Shared> = Vec::new();
        for s in &cx.file.services {
            let env = s.node.get("environment").map(|e| (e, false));
            let args = s.node.get("build").and_then(|b| b.get("args")).map(|a| (a, true));
            for (list, build) in [env, args].into_iter().flatten() {
                for Variable { name, key, node, range } in variables(list) {
                    let value = node.str().and_then(|t| t.get(range.clone())).unwrap_or("");
                    let Some(finding) = judge(&name, value) else { continue };
                    let what = match finding {
                        Finding::Format(kind) => format!("what looks like {kind}"),
                        Finding::Url => "a URL with a literal password".to_string(),
                        Finding::Name => "a literal value".to_string(),
                        Finding::Random => "what looks like a generated key".to_string(),
                        Finding::WeakDefault => "a default that is easy to guess".to_string(),
                    };
                    let (subject, advice) = if matches!(finding, Finding::WeakDefault) {
                        (
                            "variable",
                            "when it is unset the service runs with that password; use `${NAME:?error}` so it must be set",
                        )
                    } else if build {
                        ("build argument", "build arguments stay in the image history; use `build.secrets`")
                    } else if interpolated(value) {
                        ("variable", "drop the default and set the variable in the environment")
                    } else {
                        ("variable", "use a secret file (`secrets:`) or take it from the environment")
                    };
                    let severity = match finding {
                        Finding::Format(_) => Severity::Error,
                        Finding::WeakDefault => Severity::Info,
                        _ => META.severity,
                    };
                    let rest = format!("{subject} `{name}` to {what}; {advice}");
                    // A block scalar spans several lines: report at its key.
                    let block = matches!(node.style(), Some(Style::Literal | Style::Folded));
                    let (at, written) = match key {
                        Some(k) if block => key_place(k),
                        _ => part_place(cx.file, node, range),
                    };
                    if let Some(w) = written {
                        match shared.iter_mut().find(|(sw, _, r, _)| *sw == w && *r == rest) {
                            Some((_, uses, _, _)) => uses.push((s.name.clone(), at)),
                            None => shared.push((w, vec![(s.name.clone(), at)], rest, severity)),
                        }
                        continue;
                    }
                    let msg = format!("service `{}` sets {rest}", s.name);
                    out.push(META.diagnostic(at, msg).with_severity(severity));
                }
            }
        }
        for (written, uses, rest, severity) in shared {
            let d = if let [(service, at)] = uses.as_slice() {
                with_written(META.diagnostic(*at, format!("service `{service}` sets {rest}")), Some(written))
            } else {
                let names: Vec<String> = uses.iter().map(|(n, _)| format!("`{n}`")).collect();
                let msg = format!("{} services ({}) share this value: they set {rest}", uses.len(), names.join(", "));
                uses.iter().fold(META.diagnostic(written, msg), |d, (n, at)| {
                    d.with_related(*at, format!("merged into service `{n}` here"))
                })
            };
            out.push(d.with_severity(severity));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judged() {
        assert!(matches!(judge("WEBPASSWORD", "hunter22"), Some(Finding::Name)));
        assert!(matches!(judge("ADMIN_PW", "hunter22"), Some(Finding::Name)));
        assert!(matches!(judge("SECRET_KEY_BASE", "abc"), Some(Finding::Name)));
        assert!(judge("TLS_PASSWORD", "server.pem").is_none());
        assert!(judge("NEO4J_PASSWORD", "'none'").is_none());
        assert!(matches!(judge("DB_PASSWORD", "${DB_PASSWORD:-changeme}"), Some(Finding::WeakDefault)));
        assert!(judge("DB_PASSWORD", "${DB_PASSWORD:-${OTHER}}").is_none());
        assert!(judge("DB_PASSWORD", "${DB_PASSWORD:-q8Zr2LxT0vNw7Pm4}").is_none());
        assert!(matches!(judge("LOGGED_IN_SALT", "q8Zr2LxT0vNw7Pm4Ks9dHy3Jc"), Some(Finding::Random)));
        assert!(judge("CACHE_KEY", "users").is_none());
        assert!(matches!(
            judge("APP_KEY", "base64:q1Zr2LxT0vNw7Pm4Ks9dHy3Jc8Bf6Gh5Ua0Wb2Xe4Yi="),
            Some(Finding::Format(_))
        ));
    }

    #[test]
    fn urls() {
        assert!(url_with_password("postgres://u:p@db:5432/x"));
        assert!(url_with_password("redis://:p@cache:6379"));
        assert!(!url_with_password("http://user@host/"));
        assert!(!url_with_password("http://host:8080/a@b"));
        assert!(!url_with_password("PLAINTEXT://kafka1:19092"));
    }
}
