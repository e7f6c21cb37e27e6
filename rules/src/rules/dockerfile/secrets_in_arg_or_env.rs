use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::key_values;
use crate::rules::secrets::{self, Judge, name_words};
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
contain a GitHub (`ghp_`, `github_pat_`), GitLab (`glpat-`), Slack
(`xoxb-`), Hugging Face (`hf_`), npm (`npm_`), Stripe (`sk_live_`) or
`sk-`-style API token, an AWS access key id (`AKIA` and 16 more characters),
a JSON Web Token or a PEM private key are reported whatever the variable is
called. The formats, their documented lengths and sources are one table
shared with the Compose rule BC2008 and the AI redaction; the part after the
prefix must look random, so `sk-your-key-here` and AWS's `...EXAMPLE` key are
not reported as keys. Under a
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

const ALLOWED_WORDS: &[&str] = &["public", "file", "version"];
const FINGERPRINT_WORDS: &[&str] = &["gpg", "pgp", "fingerprint", "fingerprints"];

fn secret_name(words: &[String]) -> bool {
    // `auth` names a credential only at the end (`BASIC_AUTH`, `npmAuth`); before
    // another word it qualifies a setting (`SSH_AUTH_SOCK`, `GF_AUTH_ANONYMOUS_ENABLED`).
    let secret_word = |(i, w): (usize, &String)| {
        secrets::BUILDKIT_SECRET_WORDS.contains(&w.as_str()) && (w != "auth" || i + 1 == words.len())
    };
    words.iter().enumerate().any(secret_word)
        && !words.iter().any(|w| ALLOWED_WORDS.contains(&w.as_str()))
        // GPG/PGP key ids and fingerprints are public.
        && !words.iter().any(|w| FINGERPRINT_WORDS.contains(&w.as_str()))
}

/// A long random-looking string, as credentials usually are; hexadecimal
/// values under fingerprint names are public key ids.
fn random_looking(v: &str, words: &[String]) -> bool {
    let hex = v.chars().all(|c| c.is_ascii_hexdigit());
    if hex && words.iter().any(|w| FINGERPRINT_WORDS.contains(&w.as_str())) {
        return false;
    }
    secrets::random_looking(v)
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
                    secrets::credential_kind(value, Judge::Lint)
                        .or_else(|| (secret && random_looking(value, &words)).then_some("a credential"))
                };
                match (literal, kv.value_span) {
                    (Some(kind), Some(value_span)) => out.push(
                        META.diagnostic(
                            value_span,
                            format!("this looks like {kind}, written literally in the Dockerfile and the image history; rotate it and pass it with `RUN --mount=type=secret`"),
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
        let kind = |v| secrets::credential_kind(v, Judge::Lint);
        assert_eq!(kind("ghp_0123456789abcdefghijABCDEFGHIJ012345"), Some("a GitHub token"));
        assert_eq!(kind("AKIA4QWERTYUI0PASDFG"), Some("an AWS access key ID"));
        assert_eq!(kind("AKIAIOSFODNN7EXAMPLE"), None, "AWS's documented example key");
        assert_eq!(kind("sk-short"), None);
        let w = name_words("GPG_KEY");
        assert!(!random_looking("A035C8C19219BA821ECEA86B64E628F8D684696D", &w));
        assert!(random_looking("q8Zr2LxT0vNw7Pm4Ks9dHy3Jc", &name_words("API_KEY")));
        assert!(!random_looking("changeme", &name_words("API_KEY")));
    }
}
