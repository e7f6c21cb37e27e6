use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;
use crate::text::Span;

pub struct SecretFileCopied;

static META: RuleMeta = RuleMeta {
    code: "BD3003",
    name: "secret-file-copied",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Do not COPY or ADD files that hold secrets",
    docs: r#"## What it checks
Local sources of `COPY` and `ADD` whose file name says they hold credentials:

| kind | names | severity |
|---|---|---|
| private keys | `id_rsa`, `id_dsa`, `id_ecdsa`, `id_ed25519` (not the `.pub` files), `*.key`, `.pem` files named like a key (`key.pem`, `server-key.pem`, `privkey.pem`, `private.pem`), `*.p12`, `*.pfx`, a `.ssh` folder | error |
| other secrets | `.env` and `.env.*` (except `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `.env.tmpl`, `.env.default(s)`), other `*.pem` files, `.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`, `credentials.json`, `.aws/credentials`, `*.kdbx`, `secrets.*` data files (`secrets.json`, `secrets.yaml`, ...) | warning |

The name is the last path component after ARG/ENV values are evaluated; a glob
such as `*.key` counts. `COPY --from=...` (a file of another stage or image),
heredoc sources and URLs are not reported, and `.pem` files named like
certificates (`ca.pem`, `cert.pem`, `fullchain.pem`, `*-bundle.pem`) and `.key`
files named like repository signing keys (`apt.key`, `repo-gpg.key`,
`public.key`) are left alone because those are public.

## Why it matters
Every file a `COPY` or `ADD` brings in is stored in a layer of the image, and
deleting it in a later step does not remove that layer: anyone who can pull the
image (or its build cache) can read the key, token or password, long after it
was "removed". Build secrets exist for this: they are mounted for one RUN step
and never written to a layer.

## Example
```dockerfile
COPY .npmrc /app/.npmrc
RUN npm ci && rm /app/.npmrc
```

## Use instead
```dockerfile
RUN --mount=type=secret,id=npmrc,target=/app/.npmrc npm ci
```
and build with `docker build --secret id=npmrc,src=$HOME/.npmrc .`. For SSH
keys use `RUN --mount=type=ssh` with `docker build --ssh default`.

## References
- Docker build secrets: https://docs.docker.com/build/building/secrets/
- Dockerfile reference, RUN --mount=type=secret: https://docs.docker.com/reference/dockerfile/#run---mounttypesecret
"#,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Secret {
    PrivateKey,
    Other,
}

const ENV_TEMPLATES: &[&str] =
    &["example", "sample", "template", "dist", "tmpl", "default", "defaults", "schema", "local.example"];

const PRIVATE_KEY_FILES: &[&str] = &["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"];

const SECRET_FILES: &[&str] = &[".npmrc", ".pypirc", ".netrc", "_netrc", ".git-credentials", "credentials.json"];

const SECRETS_DATA_EXTENSIONS: &[&str] =
    &["json", "yaml", "yml", "env", "toml", "ini", "txt", "conf", "cfg", "properties", "xml", "enc"];

/// What a source path holds, judging by its name.
fn classify(path: &str) -> Option<Secret> {
    let trimmed = path.trim_end_matches('/');
    let lower = trimmed.to_ascii_lowercase();
    let name = lower.rsplit(['/', '\\']).next().unwrap_or(&lower);
    if PRIVATE_KEY_FILES.contains(&name) || name == ".ssh" {
        return Some(Secret::PrivateKey);
    }
    if let Some(ext) = name.rsplit_once('.').map(|(_, e)| e)
        && name.contains('.')
    {
        match ext {
            "key" => {
                // Repository signing keys (`apt.key`, `repo-gpg.key`) are public.
                let stem = name.trim_end_matches(".key");
                let public = stem.split(['-', '_', '.']).any(|part| {
                    matches!(
                        part,
                        "gpg"
                            | "pgp"
                            | "pub"
                            | "public"
                            | "apt"
                            | "repo"
                            | "signing"
                            | "release"
                            | "archive"
                            | "keyring"
                    )
                });
                return (!public).then_some(Secret::PrivateKey);
            }
            "p12" | "pfx" => return Some(Secret::PrivateKey),
            "kdbx" => return Some(Secret::Other),
            "pem" => {
                let stem = name.trim_end_matches(".pem");
                if stem.contains("key") || stem.contains("priv") {
                    return Some(Secret::PrivateKey);
                }
                let certificate = stem.starts_with("cert")
                    || stem.contains("cacert")
                    || stem.contains("fullchain")
                    || stem.split(['-', '_', '.']).any(|part| {
                        matches!(
                            part,
                            "ca" | "crt"
                                | "cert"
                                | "certs"
                                | "certificate"
                                | "chain"
                                | "bundle"
                                | "root"
                                | "rootca"
                                | "public"
                                | "pub"
                                | "trust"
                                | "truststore"
                        )
                    });
                return (!certificate).then_some(Secret::Other);
            }
            _ => {}
        }
    }
    if name == ".env" {
        return Some(Secret::Other);
    }
    if let Some(variant) = name.strip_prefix(".env.") {
        let template = ENV_TEMPLATES.iter().any(|t| variant == *t || variant.ends_with(&format!(".{t}")));
        return (!template && !variant.contains('*')).then_some(Secret::Other);
    }
    if SECRET_FILES.contains(&name) || lower.ends_with(".aws/credentials") {
        return Some(Secret::Other);
    }
    if let Some(ext) = name.strip_prefix("secrets.")
        && SECRETS_DATA_EXTENSIONS.contains(&ext.rsplit('.').next().unwrap_or(ext))
    {
        return Some(Secret::Other);
    }
    None
}

impl Rule for SecretFileCopied {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            let inst = inst.effective();
            if !matches!(inst.keyword, Keyword::Copy | Keyword::Add)
                || inst.flag("from").is_some()
                || !inst.heredocs.is_empty()
            {
                continue;
            }
            let sources: Vec<(String, Span, bool)> = match &inst.exec {
                Some(e) => e.items.iter().map(|i| (i.value.clone(), i.span, !i.value.contains('$'))).collect(),
                None => inst
                    .words()
                    .iter()
                    .map(|w| {
                        let e = cx.model.expand(&w.value, idx);
                        (e.value, w.span, e.unresolved.is_empty())
                    })
                    .collect(),
            };
            let Some((_, sources)) = sources.split_last() else { continue };
            for (value, span, resolved) in sources {
                if !resolved || value.contains("://") || value.starts_with("git@") {
                    continue;
                }
                let Some(kind) = classify(value) else { continue };
                let keyword = inst.keyword.as_str();
                let d = match kind {
                    Secret::PrivateKey => META
                        .diagnostic(
                            *span,
                            format!("`{value}` looks like a private key; {keyword} stores it in a layer for anyone with the image, even if a later step deletes it; use `RUN --mount=type=secret` (or `--mount=type=ssh`)"),
                        )
                        .with_severity(Severity::Error),
                    Secret::Other => META.diagnostic(
                        *span,
                        format!("`{value}` usually holds credentials; {keyword} stores it in a layer for anyone with the image; use `RUN --mount=type=secret` for the step that needs it"),
                    ),
                };
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(classify("id_rsa") == Some(Secret::PrivateKey));
        assert!(classify("id_rsa.pub").is_none());
        assert!(classify("certs/server.key") == Some(Secret::PrivateKey));
        assert!(classify("tls/privkey.pem") == Some(Secret::PrivateKey));
        assert!(classify("ca.pem").is_none());
        assert!(classify("fullchain.pem").is_none());
        assert!(classify("rds-combined-ca-bundle.pem").is_none());
        assert!(classify("client.pem") == Some(Secret::Other));
        assert!(classify(".env") == Some(Secret::Other));
        assert!(classify(".env.production") == Some(Secret::Other));
        assert!(classify(".env.example").is_none());
        assert!(classify("config/.env.local.example").is_none());
        assert!(classify("secrets.yaml") == Some(Secret::Other));
        assert!(classify("secrets.py").is_none());
        assert!(classify("environment.ts").is_none());
        assert!(classify("/root/.aws/credentials") == Some(Secret::Other));
        assert!(classify("keys.txt").is_none());
        assert!(classify("nodesource-repo.gpg.key").is_none());
        assert!(classify("apt.key").is_none());
        assert!(classify("tls.key") == Some(Secret::PrivateKey));
    }
}
