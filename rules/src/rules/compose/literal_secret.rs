use super::refs::{interpolated, key_place, part_place};
use super::with_written;
use crate::compose::{Key, Node, Style};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
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
  (`xoxb-...`), Stripe (`sk_live_...`) or Google (`AIza...`) token, an AWS
  access key ID (`AKIA...`), a JSON Web Token, or a private key block. The
  part after the prefix must look random (mixed letters and digits, many
  distinct characters), so placeholders such as `sk-your-key-here` or
  AWS's `...EXAMPLE` keys are not taken for keys;
- warning: a URL with a password in it (`postgres://app:s3cret@db/app`,
  `redis://:s3cret@cache:6379`);
- warning: any other non-empty value of a variable whose name ends like a
  secret: `PASSWORD`, `PASSWD`, `PASS`, `PWD`, `SECRET`, `TOKEN`, `APIKEY`,
  `PASSPHRASE`, `CREDENTIALS`, `AUTH`, and `KEY` after `API`, `SECRET`,
  `PRIVATE`, `ENCRYPTION`, `SIGNING`, `MASTER`, `AUTH`, `LICENSE`, `HMAC`,
  `JWT` or `SESSION` (so `AWS_SECRET_ACCESS_KEY` and `SECRET_KEY_BASE` are
  secrets; `PUBLIC_KEY`, `AWS_ACCESS_KEY_ID`, `MAX_TOKENS` and
  `PASSWORD_FILE` are not). For `*_AUTH`, the names of authentication
  methods (`login`, `plain`, `scram-sha-256`, ...) are not secrets.

Not reported: empty values and variables without a value (passed through
from the shell), values taken from the environment (`${DB_PASSWORD}`, also
with a default such as `${DB_PASSWORD:-postgres}`: the deployer can set it
without editing the file), yes/no and true/false switches (`MYSQL_ALLOW_EMPTY_PASSWORD: "yes"`),
`none`, and absolute or relative paths (`*_FILE: /run/secrets/db_password`).
Recognized key formats are reported even inside a `${VAR:-default}`: a real key
in the file leaks whether or not it is a default.

Placeholders such as `changeme` or `example` are reported: the service runs
with that password when nobody changes it, and whoever replaces it in the file
commits the real one.

The message names the variable and never repeats the value.

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
"#,
};

/// Words of a variable name: split on `_`, `-`, `.` and camelCase, upper-cased.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// True when the variable name says its value is a secret.
fn secret_name(name: &str) -> bool {
    let w = words(name);
    let n = w.len();
    let at = |i: usize| if i < n { w[n - 1 - i].as_str() } else { "" };
    match at(0) {
        "PWD" => n > 1,
        "PASSWORD" | "PASSWD" | "PASS" | "SECRET" | "TOKEN" | "APIKEY" | "PASSPHRASE" | "CREDENTIALS" | "AUTH" => true,
        "KEY" => match at(1) {
            "API" | "SECRET" | "PRIVATE" | "ENCRYPTION" | "SIGNING" | "MASTER" | "AUTH" | "LICENSE" | "HMAC"
            | "JWT" | "SESSION" => true,
            "ACCESS" => at(2) == "SECRET",
            _ => false,
        },
        "BASE" => at(1) == "KEY" && at(2) == "SECRET",
        _ => false,
    }
}

/// Values that are switches or paths rather than secrets.
fn not_a_secret(value: &str) -> bool {
    let v = value.trim();
    matches!(
        v.to_ascii_lowercase().as_str(),
        "" | "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "0" | "1" | "none" | "null"
    ) || v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("../")
        || v.starts_with("~/")
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

/// The part after a known prefix looks random: many distinct characters, and
/// digits with letters or both letter cases.
fn random(body: &str) -> bool {
    let mut seen = [false; 128];
    let (mut digit, mut upper, mut lower) = (false, false, false);
    for b in body.bytes() {
        if b < 128 {
            seen[b as usize] = true;
        }
        digit |= b.is_ascii_digit();
        upper |= b.is_ascii_uppercase();
        lower |= b.is_ascii_lowercase();
    }
    let distinct = seen.iter().filter(|s| **s).count();
    distinct >= 10 && ((digit && (upper || lower)) || (upper && lower))
}

fn all(body: &str, allowed: fn(u8) -> bool) -> bool {
    body.bytes().all(allowed)
}

fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// What a token is, when it has the shape of a known credential.
fn token_kind(t: &str) -> Option<&'static str> {
    if t.to_ascii_uppercase().contains("EXAMPLE") {
        return None;
    }
    let with = |prefix: &str, min: usize, allowed: fn(u8) -> bool| {
        t.strip_prefix(prefix).filter(|b| b.len() >= min && all(b, allowed) && random(b)).is_some()
    };
    if with("sk-ant-", 32, word) {
        return Some("an Anthropic API key");
    }
    if with("sk-", 20, word) {
        return Some("an OpenAI-style API key (`sk-...`)");
    }
    if ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"].iter().any(|p| with(p, 30, alnum))
        || with("github_pat_", 22, |b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Some("a GitHub token");
    }
    if with("glpat-", 20, word) {
        return Some("a GitLab token");
    }
    if with("hf_", 30, alnum) {
        return Some("a Hugging Face token");
    }
    if ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"].iter().any(|p| with(p, 10, word)) {
        return Some("a Slack token");
    }
    if ["sk_live_", "rk_live_", "sk_test_", "rk_test_"].iter().any(|p| with(p, 16, alnum)) {
        return Some("a Stripe secret key");
    }
    if with("AIza", 35, word) {
        return Some("a Google API key");
    }
    if ["AKIA", "ASIA"].iter().any(|p| {
        t.strip_prefix(p)
            .is_some_and(|b| b.len() == 16 && all(b, |c| c.is_ascii_uppercase() || c.is_ascii_digit()) && random(b))
    }) {
        return Some("an AWS access key ID");
    }
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[1].starts_with("eyJ")
        && parts.iter().all(|p| p.len() >= 10 && all(p, word))
    {
        return Some("a JSON Web Token");
    }
    None
}

/// What the value contains, when it looks like a known kind of credential.
fn known_format(value: &str) -> Option<&'static str> {
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    value
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .find_map(|t| token_kind(t.trim_start_matches(['-', '.'])))
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
}

fn judge(name: &str, value: &str) -> Option<Finding> {
    if let Some(kind) = known_format(value) {
        return Some(Finding::Format(kind));
    }
    if value.trim().is_empty() || interpolated(value) {
        return None;
    }
    if url_with_password(value) {
        return Some(Finding::Url);
    }
    if secret_name(name)
        && !not_a_secret(value)
        && !(words(name).last().is_some_and(|w| w == "AUTH") && auth_method(value))
    {
        return Some(Finding::Name);
    }
    None
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

impl ComposeRule for LiteralSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
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
                    };
                    let (subject, advice) = if build {
                        ("build argument", "build arguments stay in the image history; use `build.secrets`")
                    } else if interpolated(value) {
                        ("variable", "drop the default and set the variable in the environment")
                    } else {
                        ("variable", "use a secret file (`secrets:`) or take it from the environment")
                    };
                    let msg = format!("service `{}` sets {subject} `{name}` to {what}; {advice}", s.name);
                    // A block scalar spans several lines: report at its key.
                    let block = matches!(node.style(), Some(Style::Literal | Style::Folded));
                    let (at, written) = match key {
                        Some(k) if block => key_place(k),
                        _ => part_place(cx.file, node, range),
                    };
                    let mut d = with_written(META.diagnostic(at, msg), written);
                    if matches!(finding, Finding::Format(_)) {
                        d = d.with_severity(Severity::Error);
                    }
                    out.push(d);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for n in [
            "POSTGRES_PASSWORD",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET_KEY_BASE",
            "OPENAI_API_KEY",
            "dbPassword",
            "REDIS_AUTH",
            "SMTP_PASS",
            "DB_PWD",
            "NEXTAUTH_SECRET",
            "HF_TOKEN",
        ] {
            assert!(secret_name(n), "{n}");
        }
        for n in [
            "PWD",
            "PASSWORD_FILE",
            "AWS_ACCESS_KEY_ID",
            "PUBLIC_KEY",
            "MAX_TOKENS",
            "PASSWORD_MIN_LENGTH",
            "MINIO_ACCESS_KEY",
            "POSTGRES_HOST_AUTH_METHOD",
            "KEY",
        ] {
            assert!(!secret_name(n), "{n}");
        }
    }

    #[test]
    fn formats() {
        let key = format!("sk-proj-{}", "aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY");
        assert!(known_format(&key).is_some());
        assert!(known_format(&format!("Bearer {key}")).is_some());
        assert!(known_format("sk-your-openai-api-key-here").is_none());
        assert!(known_format("sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").is_none());
        assert!(known_format("AKIAIOSFODNN7EXAMPLE").is_none());
        assert!(known_format("AKIA4QWERTYUI0PASDFG").is_some());
        assert!(known_format("hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh").is_some());
        assert!(known_format("-----BEGIN RSA PRIVATE KEY-----\nMIIE...").is_some());
        assert!(
            known_format("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk")
                .is_some()
        );
        assert!(known_format("io.confluent.connect.avro.AvroConverter").is_none());
        assert!(known_format("desk-1234567890abcdefghij").is_none(), "prefix inside a word");
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
