//! What berth knows about secrets, in one place: the shapes of well-known
//! credentials (token prefixes and lengths, with the documentation each one
//! comes from), the names of variables that hold secrets, placeholder and
//! weak values, and a randomness test.
//!
//! Used by the Compose rule BC2008 (`literal-secret`), the Dockerfile rule
//! DL3064 (`secrets-in-arg-or-env`) and the AI client's redaction
//! (`server/ai/src/redact.rs`), so a GitHub token is the same thing for all
//! three.
//!
//! Two strengths of judgement use the same table: [`Judge::Lint`] (precision:
//! the documented length, the part after the prefix must look random and
//! must not be AWS's documented `...EXAMPLE` key) and [`Judge::Redact`]
//! (recall: the prefix, 16 characters after it and a digit or some length
//! are enough, since hiding a placeholder from a model costs nothing).

use std::ops::Range;

/// Which characters a token's body may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// `A-Z a-z 0-9`.
    Alnum,
    /// `A-Z a-z 0-9 _ -`.
    Word,
    /// `A-Z 0-9` (AWS access key ids).
    UpperDigit,
    /// `A-Z a-z 0-9 _ - .` (SendGrid's `SG.x.y`).
    WordDot,
    /// Base64 (`A-Z a-z 0-9 + / =`).
    Base64,
}

impl Charset {
    fn allows(self, b: u8) -> bool {
        match self {
            Charset::Alnum => b.is_ascii_alphanumeric(),
            Charset::Word => b.is_ascii_alphanumeric() || b == b'_' || b == b'-',
            Charset::UpperDigit => b.is_ascii_uppercase() || b.is_ascii_digit(),
            Charset::WordDot => b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'),
            Charset::Base64 => b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='),
        }
    }
}

/// A well-known credential format: a fixed prefix and a body.
#[derive(Debug, Clone, Copy)]
pub struct TokenFormat {
    pub prefix: &'static str,
    /// Fewest characters after the prefix (the documented length, or a
    /// lower bound when the length varies).
    pub min: usize,
    /// Most characters after the prefix, when the length is fixed.
    pub max: Option<usize>,
    pub chars: Charset,
    /// What it is, with an article ("a GitHub token").
    pub kind: &'static str,
    /// Where the format is documented.
    pub source: &'static str,
}

const fn fmt(
    prefix: &'static str,
    min: usize,
    max: Option<usize>,
    chars: Charset,
    kind: &'static str,
    source: &'static str,
) -> TokenFormat {
    TokenFormat { prefix, min, max, chars, kind, source }
}

const GITHUB: &str =
    "https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/";
const SLACK: &str = "https://api.slack.com/concepts/token-types";
const STRIPE: &str = "https://docs.stripe.com/keys";

use Charset::{Alnum, Base64, UpperDigit, Word, WordDot};

/// Known credential formats. Longer prefixes come first (`sk-ant-` before `sk-`).
pub static TOKEN_FORMATS: &[TokenFormat] = &[
    fmt("sk-ant-", 32, None, Word, "an Anthropic API key", "https://docs.anthropic.com/en/api/getting-started"),
    // Legacy keys are `sk-` and 48 characters; project and service-account keys
    // (`sk-proj-`, `sk-svcacct-`) are longer.
    fmt(
        "sk-",
        20,
        None,
        Word,
        "an OpenAI-style API key (`sk-...`)",
        "https://platform.openai.com/docs/api-reference/authentication",
    ),
    // `ghp_` (personal), `gho_` (OAuth), `ghu_` (user-to-server), `ghs_` (server-to-server),
    // `ghr_` (refresh): the prefix and 36 characters; fine-grained tokens are `github_pat_` and 82.
    fmt("ghp_", 36, None, Alnum, "a GitHub token", GITHUB),
    fmt("gho_", 36, None, Alnum, "a GitHub token", GITHUB),
    fmt("ghu_", 36, None, Alnum, "a GitHub token", GITHUB),
    fmt("ghs_", 36, None, Alnum, "a GitHub token", GITHUB),
    fmt("ghr_", 36, None, Alnum, "a GitHub token", GITHUB),
    fmt("github_pat_", 36, None, Word, "a GitHub token", GITHUB),
    fmt("glpat-", 20, None, Word, "a GitLab token", "https://docs.gitlab.com/security/tokens/#token-prefixes"),
    // `hf_` and 34 characters.
    fmt("hf_", 30, None, Alnum, "a Hugging Face token", "https://huggingface.co/docs/hub/security-tokens"),
    fmt("xoxb-", 10, None, Word, "a Slack token", SLACK),
    fmt("xoxp-", 10, None, Word, "a Slack token", SLACK),
    fmt("xoxa-", 10, None, Word, "a Slack token", SLACK),
    fmt("xoxr-", 10, None, Word, "a Slack token", SLACK),
    fmt("xoxs-", 10, None, Word, "a Slack token", SLACK),
    fmt("xapp-", 10, None, Word, "a Slack token", SLACK),
    // Secret and restricted keys; publishable keys (`pk_`) are meant to be public.
    fmt("sk_live_", 16, None, Alnum, "a Stripe secret key", STRIPE),
    fmt("rk_live_", 16, None, Alnum, "a Stripe secret key", STRIPE),
    fmt("sk_test_", 16, None, Alnum, "a Stripe secret key", STRIPE),
    fmt("rk_test_", 16, None, Alnum, "a Stripe secret key", STRIPE),
    // `AIza` and 35 characters.
    fmt("AIza", 35, Some(35), Word, "a Google API key", "https://cloud.google.com/docs/authentication/api-keys"),
    // `AKIA` (long-term) or `ASIA` (temporary) and 16 characters.
    fmt(
        "AKIA",
        16,
        Some(16),
        UpperDigit,
        "an AWS access key ID",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html#sec-access-keys-and-secret-access-keys",
    ),
    fmt(
        "ASIA",
        16,
        Some(16),
        UpperDigit,
        "an AWS access key ID",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html#sec-access-keys-and-secret-access-keys",
    ),
    // `npm_` and 36 characters.
    fmt(
        "npm_",
        36,
        None,
        Alnum,
        "an npm token",
        "https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/",
    ),
    fmt("pypi-", 50, None, Word, "a PyPI token", "https://pypi.org/help/#apitoken"),
    fmt(
        "dop_v1_",
        64,
        None,
        Alnum,
        "a DigitalOcean token",
        "https://docs.digitalocean.com/reference/api/create-personal-access-token/",
    ),
    fmt(
        "SG.",
        60,
        None,
        WordDot,
        "a SendGrid API key",
        "https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys",
    ),
    fmt(
        "shpat_",
        32,
        None,
        Alnum,
        "a Shopify access token",
        "https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens",
    ),
    fmt(
        "sq0atp-",
        22,
        None,
        Word,
        "a Square access token",
        "https://developer.squareup.com/docs/build-basics/access-tokens",
    ),
    // Laravel's `APP_KEY` as `php artisan key:generate` writes it: 32 random bytes in base64.
    fmt("base64:", 40, None, Base64, "a Laravel application key", "https://laravel.com/docs/encryption#configuration"),
];

/// How strict a judgement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judge {
    /// For findings: the body must look random, and documented examples are not keys.
    Lint,
    /// For redaction: the shape is enough.
    Redact,
}

/// The part after a known prefix looks random: many distinct characters, and
/// digits with letters or both letter cases.
pub fn random(body: &str) -> bool {
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

/// Shannon entropy in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0usize; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&k| k > 0)
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// A long random-looking string, as generated keys and passwords are: 20
/// characters or more from the base64/hex/URL-safe alphabets, letters with
/// digits, no path or URL, and at least 3.5 bits of entropy per character.
pub fn random_looking(v: &str) -> bool {
    v.len() >= 20
        && !v.starts_with(['/', '.', '~'])
        && !v.contains("://")
        && v.bytes().all(|c| c.is_ascii_alphanumeric() || b"+/=_-.".contains(&c))
        && v.bytes().any(|c| c.is_ascii_alphabetic())
        && v.bytes().any(|c| c.is_ascii_digit())
        && !looks_like_file(v)
        && entropy(v) >= 3.5
}

/// Which known format a whole token has, if any.
pub fn token_format(t: &str, judge: Judge) -> Option<&'static TokenFormat> {
    if judge == Judge::Lint && t.to_ascii_uppercase().contains("EXAMPLE") {
        return None;
    }
    TOKEN_FORMATS.iter().find(|f| {
        t.strip_prefix(f.prefix).is_some_and(|body| {
            // Redaction also hides shortened or older tokens: 16 characters suffice.
            let (min, max) = match judge {
                Judge::Lint => (f.min, f.max),
                Judge::Redact => (f.min.min(16), None),
            };
            body.len() >= min
                && max.is_none_or(|m| body.len() <= m)
                && body.bytes().all(|b| f.chars.allows(b))
                && match judge {
                    Judge::Lint => random(body),
                    Judge::Redact => body.bytes().any(|c| c.is_ascii_digit()) || body.len() >= 24,
                }
        })
    })
}

/// A JSON Web Token: three base64url parts, the first two JSON objects (`eyJ`).
pub fn jwt(t: &str) -> bool {
    let parts: Vec<&str> = t.split('.').collect();
    parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[1].starts_with("eyJ")
        && parts.iter().all(|p| p.len() >= 10 && p.bytes().all(|b| Word.allows(b)))
}

/// The range of each PEM private key block in `text`, `-----BEGIN ... PRIVATE KEY-----`
/// to the end of its `-----END ...-----` line (or the end of the text).
pub fn private_key_blocks(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("-----BEGIN ") {
        let start = from + at;
        let header_end = text[start..].find('\n').map_or(text.len(), |e| start + e);
        if text[start..header_end].contains("PRIVATE KEY") {
            let end = text[start + 11..]
                .find("-----END ")
                .map(|e| {
                    let e = start + 11 + e + 9;
                    text[e..].find("-----").map_or(text.len(), |x| e + x + 5)
                })
                .unwrap_or(text.len());
            out.push(start..end);
            from = end;
        } else {
            from = start + 11;
        }
        if from >= text.len() {
            break;
        }
    }
    out
}

/// Every known credential in free text, with its range and kind: key formats
/// at a word start, JSON Web Tokens and private key blocks.
pub fn find_credentials(text: &str, judge: Judge) -> Vec<(Range<usize>, &'static str)> {
    let mut out: Vec<(Range<usize>, &'static str)> =
        private_key_blocks(text).into_iter().map(|r| (r, "a private key")).collect();
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
    let mut i = 0;
    while i < b.len() {
        // A token starts a word; after `-` or `.` only when that follows no
        // letter or digit (`${KEY:-sk-...}`, `--token=...`, but not `desk-...`).
        let boundary = i == 0
            || !(word(b[i - 1]) || b[i - 1] == b'.')
            || (matches!(b[i - 1], b'-' | b'.') && (i < 2 || !(b[i - 2].is_ascii_alphanumeric() || b[i - 2] == b'_')));
        let starts = boundary && b[i].is_ascii_alphanumeric();
        if starts {
            // The longest run of characters any format could use.
            let end = |allow: fn(u8) -> bool| {
                let mut j = i;
                while j < b.len() && allow(b[j]) {
                    j += 1;
                }
                j
            };
            let j_dot = end(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'));
            let cand = text[i..j_dot].trim_end_matches('.');
            if jwt(cand) {
                out.push((i..i + cand.len(), "a JSON Web Token"));
                i += cand.len();
                continue;
            }
            let found = TOKEN_FORMATS.iter().filter(|f| text[i..].starts_with(f.prefix)).find_map(|f| {
                let mut j = i + f.prefix.len();
                while j < b.len() && f.chars.allows(b[j]) {
                    j += 1;
                }
                let t = &text[i..j];
                token_format(t, judge).filter(|g| g.prefix == f.prefix).map(|g| (i..j, g.kind))
            });
            if let Some((r, kind)) = found {
                i = r.end;
                out.push((r, kind));
                continue;
            }
        }
        i += 1;
    }
    out
}

/// What the first known credential in `value` is.
pub fn credential_kind(value: &str, judge: Judge) -> Option<&'static str> {
    find_credentials(value, judge).first().map(|(_, k)| *k)
}

/// Words of a variable name, lower-cased: split at `_`, `-`, `.`, blanks and
/// camelCase boundaries (`AWSSecretKey` gives `aws`, `secret`, `key`).
pub fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
        let mut current = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let boundary = i > 0
                && c.is_uppercase()
                && (chars[i - 1].is_lowercase()
                    || chars[i - 1].is_ascii_digit()
                    || (chars[i - 1].is_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_lowercase())));
            if boundary && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            current.extend(c.to_lowercase());
        }
        if !current.is_empty() {
            words.push(current);
        }
    }
    words
}

/// Words that make a name secret wherever they are (BuildKit's
/// `SecretsUsedInArgOrEnv` list, which DL3064 follows).
pub const BUILDKIT_SECRET_WORDS: &[&str] =
    &["apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token"];

/// Last words that say the variable holds a secret, also glued to a prefix
/// (`WEBPASSWORD`, `DBPASS`): `password`, `passwd`, `passphrase`, `secret`,
/// `token`, `apikey`, `credentials`.
const SECRET_ENDINGS: &[&str] = &["password", "passwd", "passphrase", "secret", "token", "apikey", "credentials"];

/// Words before `key` that make it a secret key (`API_KEY`, `APP_KEY` (Laravel),
/// `SECRET_KEY` (Django), `ENCRYPTION_KEY`, WordPress's `AUTH_KEY` and `NONCE_KEY`).
const SECRET_KEY_QUALIFIERS: &[&str] = &[
    "api",
    "app",
    "secret",
    "private",
    "encryption",
    "encrypt",
    "signing",
    "master",
    "auth",
    "license",
    "licence",
    "hmac",
    "jwt",
    "session",
    "cookie",
    "nonce",
    "in",
    "crypt",
    "cipher",
    "service",
    "role",
    "admin",
    "root",
];

/// Last words of names that hold a path, a switch or a setting about a secret,
/// not the secret (`PASSWORD_FILE`, `TOKEN_PATH`, `SECRET_NAME`).
const NOT_SECRET_ENDINGS: &[&str] = &[
    "file", "path", "dir", "name", "id", "type", "method", "length", "len", "size", "expiry", "expires", "ttl",
    "timeout", "url", "uri", "endpoint", "host", "header", "enabled", "enable", "mode", "policy", "count",
];

/// How sure a name is of holding a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretName {
    /// The name says so (`DB_PASSWORD`, `API_KEY`, `WEBPASSWORD`, `MYSQL_PW`).
    Yes,
    /// A key or salt of unknown kind (`LOGIN_KEY`, `AUTH_SALT`): a secret when the value looks generated.
    IfRandom,
    No,
}

/// Does a variable's name say its value is a secret? Judged by its last
/// words, as Compose users name things: `POSTGRES_PASSWORD`, `dbPassword`,
/// `WEBPASSWORD`, `ADMIN_PW`, `ROOTPW`, `API_KEY`, `SECRET_KEY_BASE`,
/// `AWS_SECRET_ACCESS_KEY`, `REDIS_AUTH`; not `PASSWORD_FILE`, `PUBLIC_KEY`,
/// `AWS_ACCESS_KEY_ID`, `MAX_TOKENS` or `PWD`.
pub fn secret_name(name: &str) -> SecretName {
    let w = name_words(name);
    let n = w.len();
    let at = |i: usize| if i < n { w[n - 1 - i].as_str() } else { "" };
    let last = at(0);
    if n == 0 || NOT_SECRET_ENDINGS.contains(&last) {
        return SecretName::No;
    }
    if w.iter().any(|x| matches!(x.as_str(), "public" | "pub" | "gpg" | "pgp" | "fingerprint")) {
        return SecretName::No;
    }
    let yes = match last {
        "pwd" | "pw" => n > 1,
        "pass" | "auth" | "creds" => true,
        "key" => match at(1) {
            q if SECRET_KEY_QUALIFIERS.contains(&q) => true,
            "access" => at(2) == "secret",
            _ => false,
        },
        // Rails' `SECRET_KEY_BASE`.
        "base" => at(1) == "key" && at(2) == "secret",
        // `MYSQLPW`, `ROOTPW`: a short prefix glued to `pw`.
        w if w.len() >= 4 && w.len() <= 10 && w.ends_with("pw") => true,
        w => SECRET_ENDINGS.iter().any(|e| w.ends_with(e) && !w.ends_with("tokens")),
    };
    if yes {
        return SecretName::Yes;
    }
    if matches!(last, "key" | "salt" | "seed" | "keys") && at(1) != "access" && at(1) != "ssh" {
        return SecretName::IfRandom;
    }
    SecretName::No
}

/// Recall-oriented name test for redaction: any name that mentions a secret
/// anywhere (`PASSWORD_HASH`, `DATABASE_URL`, `WEBHOOK_URL`, `STRIPE_KEY`), so
/// its value is hidden from a model. Names of files that hold a secret
/// (`*_FILE`, `*_PATH`, `*_DIR`) are not secret.
pub fn possibly_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() || matches!(parts.last(), Some(&("file" | "path" | "dir"))) {
        return false;
    }
    if secret_name(name) == SecretName::Yes {
        return true;
    }
    let joined: String = parts.concat();
    const ANYWHERE: &[&str] = &[
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "apikey",
        "accesskey",
        "privatekey",
        "credential",
        "authorization",
        "signingkey",
        "encryptionkey",
        "masterkey",
        "sessionkey",
        "webhookurl",
        "connectionstring",
        "databaseurl",
        "dsn",
    ];
    if ANYWHERE.iter().any(|w| joined.contains(w)) {
        return true;
    }
    const WORDS: &[&str] = &["pwd", "pass", "pw", "auth", "cookie", "salt", "creds", "jwt", "otp", "pat"];
    if parts.iter().any(|p| WORDS.contains(p)) {
        return true;
    }
    // `STRIPE_KEY`, `SECRET_KEY_BASE`; not `GPG_KEY` (a public fingerprint).
    let benign = ["gpg", "pgp", "public", "pub", "sign", "ssh"];
    parts.iter().enumerate().any(|(i, p)| (*p == "key" || *p == "keys") && i > 0 && !benign.contains(&parts[i - 1]))
}

/// Values that say "replace me": `changeme`, `example`, `your-password`, `xxx`.
pub fn placeholder(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    ["changeme", "change_me", "change-me", "example", "your", "replace", "todo", "placeholder", "xxx", "<", "***"]
        .iter()
        .any(|p| v.contains(p))
}

/// Passwords anyone would try first: placeholders, `password`, `secret`,
/// `admin`, `root`, `postgres`, digit runs and the like.
pub fn weak_password(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    placeholder(&v)
        || matches!(
            v.as_str(),
            "password"
                | "passw0rd"
                | "pass"
                | "secret"
                | "admin"
                | "administrator"
                | "root"
                | "toor"
                | "postgres"
                | "mysql"
                | "mariadb"
                | "mongo"
                | "redis"
                | "guest"
                | "test"
                | "default"
                | "letmein"
                | "qwerty"
                | "minioadmin"
                | "neo4j"
        )
        || (v.len() <= 12 && v.bytes().all(|b| b.is_ascii_digit()))
        // `mysecret`, `miniosecret`, `supersecretpassword`, `0000...0000`.
        || ["secret", "password", "passwd"].iter().any(|w| v.contains(w))
        || (v.starts_with("my") && v.len() <= 16 && v.bytes().all(|b| b.is_ascii_lowercase()))
        || (v.len() >= 4 && v.bytes().all(|b| Some(b) == v.bytes().next()))
}

/// A file name or path rather than a secret: starts like a path, or ends in a
/// key, certificate or data file extension (`server.pem`, `certs/tls.key`).
pub fn looks_like_file(value: &str) -> bool {
    let v = value.trim();
    if v.starts_with(['/', '~']) || v.starts_with("./") || v.starts_with("../") {
        return true;
    }
    let Some((stem, ext)) = v.rsplit_once('.') else { return false };
    !stem.is_empty()
        && !v.contains(char::is_whitespace)
        && matches!(
            ext.to_ascii_lowercase().as_str(),
            "pem"
                | "key"
                | "crt"
                | "cer"
                | "der"
                | "p12"
                | "pfx"
                | "jks"
                | "keystore"
                | "pub"
                | "asc"
                | "gpg"
                | "json"
                | "txt"
                | "yaml"
                | "yml"
                | "conf"
                | "env"
                | "ini"
                | "toml"
                | "properties"
        )
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
            "WEBPASSWORD",
            "MYSQL_PW",
            "ROOTPW",
            "APP_KEY",
            "DJANGO_SECRET_KEY",
            "AUTH_KEY",
        ] {
            assert_eq!(secret_name(n), SecretName::Yes, "{n}");
        }
        for n in ["LOGGED_IN_SALT", "STORAGE_KEY", "LICENSE_KEYS"] {
            assert_eq!(secret_name(n), SecretName::IfRandom, "{n}");
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
            "SSH_KEY",
            "HTTP_PROXY",
            "TOKENIZERS_PARALLELISM",
        ] {
            assert_ne!(secret_name(n), SecretName::Yes, "{n}");
        }
    }

    #[test]
    fn formats() {
        let key = format!("sk-proj-{}", "aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY");
        assert!(credential_kind(&key, Judge::Lint).is_some());
        assert!(credential_kind(&format!("Bearer {key}"), Judge::Lint).is_some());
        assert!(credential_kind("sk-your-openai-api-key-here", Judge::Lint).is_none());
        assert!(credential_kind("sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", Judge::Lint).is_none());
        assert!(credential_kind("AKIAIOSFODNN7EXAMPLE", Judge::Lint).is_none());
        assert!(credential_kind("AKIAIOSFODNN7EXAMPLE", Judge::Redact).is_some());
        assert!(credential_kind("AKIA4QWERTYUI0PASDFG", Judge::Lint).is_some());
        assert!(credential_kind("hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh", Judge::Lint).is_some());
        assert_eq!(credential_kind("ghp_0123456789abcdefghijABCDEFGHIJ012345", Judge::Lint), Some("a GitHub token"));
        assert!(credential_kind("ghp_0123456789abcdefghij", Judge::Lint).is_none(), "too short for GitHub");
        assert!(credential_kind("ghp_0123456789abcdefghij", Judge::Redact).is_some(), "redaction hides it anyway");
        assert!(credential_kind("-----BEGIN RSA PRIVATE KEY-----\nMIIE...", Judge::Lint).is_some());
        assert!(
            credential_kind(
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                Judge::Lint
            )
            .is_some()
        );
        assert!(credential_kind("io.confluent.connect.avro.AvroConverter", Judge::Lint).is_none());
        assert!(credential_kind("desk-1234567890abcdefghij", Judge::Lint).is_none(), "prefix inside a word");
        assert!(credential_kind("sk-learn", Judge::Redact).is_none());
        assert!(credential_kind("hf_hub_download", Judge::Redact).is_none());
        assert_eq!(
            credential_kind("base64:q1Zr2LxT0vNw7Pm4Ks9dHy3Jc8Bf6Gh5Ua0Wb2Xe4Yi=", Judge::Lint),
            Some("a Laravel application key")
        );
        assert!(credential_kind("${KEY:-sk-ant-api03-Fak3Key0nlyForT3sts9xQ2wE4rT6yU8aB}", Judge::Lint).is_some());
        let (r, _) = &find_credentials("token: ghp_0123456789abcdefghijABCDEFGHIJ012345 end", Judge::Lint)[0];
        assert_eq!(r.clone(), 7..47);
    }

    #[test]
    fn values() {
        assert!(random_looking("q8Zr2LxT0vNw7Pm4Ks9dHy3Jc"));
        assert!(!random_looking("changeme"));
        assert!(!random_looking("certs/server-2024-abcdefgh.pem"));
        assert!(looks_like_file("server.pem"));
        assert!(looks_like_file("./secrets/db"));
        assert!(!looks_like_file("s3cr3t.Pa55"));
        assert!(weak_password("changeme"));
        assert!(weak_password("123456"));
        assert!(weak_password("miniosecret"));
        assert!(weak_password("mysalt"));
        assert!(weak_password("0000000000000000"));
        assert!(!weak_password("q8Zr2LxT0vNw"));
    }
}
