use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::key_values;
use crate::syntax::Keyword;

pub struct SecretsInArgOrEnv;

static META: RuleMeta = RuleMeta {
    code: "DL3064",
    name: "secrets-in-arg-or-env",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: Some("SecretsUsedInArgOrEnv"),
    aliases: &["BD1004"],
    default_enabled: true,
    summary: "Secrets passed through ARG or ENV",
    docs: r#"## What it checks
ARG and ENV definitions (ONBUILD ones included) whose name looks like it holds
a secret. The name is cut into words at `_`, `-`, `.` and camelCase
boundaries (`dbPassword` gives `db` and `password`); it looks like a secret
when one of the words is `apikey`, `auth`, `credential`, `credentials`, `key`,
`password`, `pword`, `passwd`, `secret` or `token`, and none is `public`,
`file` or `version`. `auth` only counts as the last word (`BASIC_AUTH`, but
not `SSH_AUTH_SOCK` or `GF_AUTH_ANONYMOUS_ENABLED`), and names mentioning
`gpg`, `pgp` or `fingerprint` hold public key ids. So `GITHUB_TOKEN`,
`API_KEY` and `sshKey` are reported, while `PUBLIC_KEY`, `KEY_FILE`,
`GPG_KEY` and `AUTHOR` are not. An ARG without a default
is reported too, since the value given with `--build-arg` is recorded all the
same.

The value is looked at as well. When it is a literal credential, berth
reports an error on the value rather than a warning on the name: values that
start like a GitHub (`ghp_`, `github_pat_`), GitLab (`glpat-`), Slack
(`xoxb-`), Hugging Face (`hf_`), npm (`npm_`), Stripe (`sk_live_`) or
`sk-`-style API token, an AWS access key id (`AKIA` and 16 more characters) or
a PEM private key are reported whatever the variable is called; under a
secret-looking name, any long random-looking string (20 characters or more,
letters mixed with digits, no spaces) is reported too. Hexadecimal values
under names that mention `gpg`, `pgp` or `fingerprint` are key fingerprints,
which are public, and count as ordinary values.

hadolint's DL3064 looks for pieces of text anywhere in the name, plus a list
of well-known names, so it reports `TOKENIZERS_PARALLELISM` (it contains
`token`), `MINIO_SECRET_KEY_FILE` (a path to a secret, not the secret) and
`LDAP_ADMIN_USERNAME` (a user name is not a credential); berth compares whole
words, as BuildKit does, and does not report these. It also reads the values,
which hadolint does not.

## Why it matters
ARG and ENV values are not secret. ENV is stored in the image configuration,
and build arguments used by RUN are recorded in the image history; anyone who
can pull the image can read them with `docker history` or `docker inspect`. A
credential written literally in the Dockerfile is also in source control. Use
a secret mount, which exists only while one RUN executes and is never written
to a layer.

A leaked credential has to be treated as compromised: removing it from the
Dockerfile does not remove it from images already pushed or from the
repository's history, so rotate it.

## Example
```dockerfile
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci
```

## Use instead
```dockerfile
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci && rm ~/.npmrc
```
and build with `docker build --secret id=npm_token,env=NPM_TOKEN .`

## References
- hadolint DL3064
- BuildKit check SecretsUsedInArgOrEnv: https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/
- Build secrets: https://docs.docker.com/build/building/secrets/
"#,
};

const SECRET_WORDS: &[&str] =
    &["apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token"];
const ALLOWED_WORDS: &[&str] = &["public", "file", "version"];
const FINGERPRINT_WORDS: &[&str] = &["gpg", "pgp", "fingerprint", "fingerprints"];

/// Lower-case words of a variable name, split at `_`, `-`, `.` and camelCase boundaries.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for part in name.split(['_', '-', '.']) {
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

fn secret_name(words: &[String]) -> bool {
    // `auth` names a credential only at the end (`BASIC_AUTH`, `npmAuth`); before
    // another word it qualifies a setting (`SSH_AUTH_SOCK`, `GF_AUTH_ANONYMOUS_ENABLED`).
    let secret_word =
        |(i, w): (usize, &String)| SECRET_WORDS.contains(&w.as_str()) && (w != "auth" || i + 1 == words.len());
    words.iter().enumerate().any(secret_word)
        && !words.iter().any(|w| ALLOWED_WORDS.contains(&w.as_str()))
        // GPG/PGP key ids and fingerprints are public.
        && !words.iter().any(|w| FINGERPRINT_WORDS.contains(&w.as_str()))
}

fn token_chars(s: &str, min: usize) -> bool {
    s.len() >= min && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The kind of credential a value is, when it has a well-known shape.
fn known_credential(v: &str) -> Option<&'static str> {
    const PREFIXES: &[(&str, usize, &str)] = &[
        ("github_pat_", 20, "GitHub token"),
        ("ghp_", 20, "GitHub token"),
        ("gho_", 20, "GitHub token"),
        ("ghu_", 20, "GitHub token"),
        ("ghs_", 20, "GitHub token"),
        ("ghr_", 20, "GitHub token"),
        ("glpat-", 20, "GitLab token"),
        ("xoxb-", 10, "Slack token"),
        ("xoxa-", 10, "Slack token"),
        ("xoxp-", 10, "Slack token"),
        ("xoxr-", 10, "Slack token"),
        ("xoxs-", 10, "Slack token"),
        ("hf_", 30, "Hugging Face token"),
        ("npm_", 30, "npm token"),
        ("sk_live_", 16, "Stripe key"),
        ("rk_live_", 16, "Stripe key"),
        ("sk-", 20, "API key"),
    ];
    for (prefix, min, kind) in PREFIXES {
        if let Some(rest) = v.strip_prefix(prefix)
            && token_chars(rest, *min)
        {
            return Some(kind);
        }
    }
    let aws = v.strip_prefix("AKIA").or_else(|| v.strip_prefix("ASIA"));
    if aws.is_some_and(|r| r.len() == 16 && r.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())) {
        return Some("AWS access key");
    }
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("private key");
    }
    None
}

/// Shannon entropy in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in s.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let n = s.chars().count() as f64;
    counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// A long random-looking string, as credentials usually are.
fn random_looking(v: &str, words: &[String]) -> bool {
    if v.len() < 20 || v.starts_with(['/', '.', '~']) || v.contains("://") {
        return false;
    }
    if !v.chars().all(|c| c.is_ascii_alphanumeric() || "+/=_-.".contains(c)) {
        return false;
    }
    if !v.chars().any(|c| c.is_ascii_alphabetic()) || !v.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let hex = v.chars().all(|c| c.is_ascii_hexdigit());
    if hex && words.iter().any(|w| FINGERPRINT_WORDS.contains(&w.as_str())) {
        return false;
    }
    entropy(v) >= 3.5
}

impl Rule for SecretsInArgOrEnv {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for inst in &cx.file.instructions {
            let inst = inst.effective();
            let keyword = match inst.keyword {
                Keyword::Arg => "ARG",
                Keyword::Env => "ENV",
                _ => continue,
            };
            for kv in key_values(inst) {
                let words = name_words(&kv.key);
                let secret = secret_name(&words);
                let value = kv.value.as_deref().unwrap_or("").trim();
                let literal = if value.contains('$') {
                    None
                } else {
                    known_credential(value)
                        .or_else(|| (secret && random_looking(value, &words)).then_some("credential"))
                };
                match (literal, kv.value_span) {
                    (Some(kind), Some(value_span)) => out.push(
                        META.diagnostic(
                            value_span,
                            format!("this looks like a literal {kind}, now in the Dockerfile and the image history; rotate it and pass it with `RUN --mount=type=secret`"),
                        )
                        .with_severity(Severity::Error)
                        .with_related(kv.key_span, format!("set as `{}` here", kv.key)),
                    ),
                    _ if secret => {
                        let stored = if keyword == "ARG" { "build arguments are recorded in the image history" } else { "ENV values are stored in the image" };
                        out.push(META.diagnostic(
                            kv.key_span,
                            format!("`{}` looks like a secret, but {stored}; pass it with `RUN --mount=type=secret` instead", kv.key),
                        ));
                    }
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_names_into_words() {
        assert_eq!(name_words("dbPassword"), ["db", "password"]);
        assert_eq!(name_words("GITHUB_TOKEN"), ["github", "token"]);
        assert_eq!(name_words("AWSSecretKey"), ["aws", "secret", "key"]);
        assert_eq!(name_words("api-key.v2"), ["api", "key", "v2"]);
        assert!(secret_name(&name_words("ApiKey")));
        assert!(!secret_name(&name_words("PUBLIC_KEY")));
        assert!(!secret_name(&name_words("AUTHOR")));
        assert!(!secret_name(&name_words("KEYRING_DIR")));
        assert!(secret_name(&name_words("BASIC_AUTH")));
        assert!(!secret_name(&name_words("SSH_AUTH_SOCK")));
        assert!(!secret_name(&name_words("GPG_KEY")));
    }

    #[test]
    fn recognises_literal_credentials() {
        assert_eq!(known_credential("ghp_0123456789abcdefghijABCDEFGHIJ012345"), Some("GitHub token"));
        assert_eq!(known_credential("AKIAIOSFODNN7EXAMPLE"), Some("AWS access key"));
        assert_eq!(known_credential("sk-short"), None);
        let w = name_words("GPG_KEY");
        assert!(!random_looking("A035C8C19219BA821ECEA86B64E628F8D684696D", &w));
        assert!(random_looking("q8Zr2LxT0vNw7Pm4Ks9dHy3Jc", &name_words("API_KEY")));
        assert!(!random_looking("changeme", &name_words("API_KEY")));
    }
}
