use super::{place, place_node, with_written};
use crate::compose::{Kind, Node};
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use crate::text::Span;

pub struct AuthDisabled;

static META: RuleMeta = RuleMeta {
    code: "BC2012",
    name: "auth-disabled",
    severity: Severity::Warning,
    category: Category::Security,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "A database is configured to accept connections without a password",
    docs: r#"## What it checks
Environment settings that switch off a database's password check:
- `POSTGRES_HOST_AUTH_METHOD: trust` (official PostgreSQL image): every
  client that reaches the port connects as any user, with no password;
- `ALLOW_EMPTY_PASSWORD: yes` (Bitnami images: `yes`, `true` or `1`);
- `MYSQL_ALLOW_EMPTY_PASSWORD`, `MARIADB_ALLOW_EMPTY_ROOT_PASSWORD` (or the
  older `MARIADB_ALLOW_EMPTY_PASSWORD`) with any non-empty value, when no
  root password is given (`*_ROOT_PASSWORD`, `*_ROOT_PASSWORD_FILE` or
  `*_RANDOM_ROOT_PASSWORD`): the entrypoint only tests that the variable is
  not empty, so `"no"` and `"false"` switch it on too;
- `NEO4J_AUTH: none`.

A warning when the service publishes ports; information when it does not
(then only containers on its networks can connect, which is common for
throw-away test databases).

## Why it matters
A database without a password is open to whatever can reach its port:
another container, a process on the host, or the whole network when the port
is published (BC2003). Scanners find such databases within hours and empty
or ransom them.

## Example
```yaml
services:
  db:
    image: postgres:17
    environment:
      POSTGRES_HOST_AUTH_METHOD: trust
    ports:
      - "5432:5432"
```

## Use instead
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
    file: ./db_password.txt
```

## References
- PostgreSQL image, `POSTGRES_HOST_AUTH_METHOD`: https://hub.docker.com/_/postgres
- MySQL image, `MYSQL_ALLOW_EMPTY_PASSWORD` (docker-library/mysql `docker-entrypoint.sh` tests `-z`): https://hub.docker.com/_/mysql
- MariaDB image, `MARIADB_ALLOW_EMPTY_ROOT_PASSWORD`: https://hub.docker.com/_/mariadb
- Bitnami, `ALLOW_EMPTY_PASSWORD`: https://github.com/bitnami/containers/tree/main/bitnami/postgresql#environment-variables
- Neo4j, `NEO4J_AUTH`: https://neo4j.com/docs/operations-manual/current/docker/introduction/
"#,
};

/// A variable written in `environment` with a literal value: name, value and where.
struct Var {
    name: String,
    value: String,
    at: (Span, Option<Span>),
}

fn variables(env: &Node) -> Vec<Var> {
    let mut out = Vec::new();
    match &env.kind {
        Kind::Map(entries) => {
            for (k, v) in entries {
                if let Some(t) = v.str().filter(|_| !v.is_null()) {
                    out.push(Var { name: k.text.clone(), value: t.to_string(), at: place(k, v) });
                }
            }
        }
        Kind::Seq(items) => {
            for item in items {
                if let Some((name, value)) = item.str().and_then(|t| t.split_once('=')) {
                    out.push(Var { name: name.trim().to_string(), value: value.to_string(), at: place_node(item) });
                }
            }
        }
        _ => {}
    }
    out
}

fn yes(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "yes" | "true" | "1" | "y" | "on")
}

/// What the setting does, when it turns the password check off.
fn judge(var: &Var, all: &[Var]) -> Option<&'static str> {
    let v = var.value.trim();
    if v.contains('$') {
        return None;
    }
    let given = |names: &[&str]| all.iter().any(|o| names.contains(&o.name.as_str()) && !o.value.trim().is_empty());
    match var.name.as_str() {
        "POSTGRES_HOST_AUTH_METHOD" if v.eq_ignore_ascii_case("trust") => {
            Some("lets every client that reaches PostgreSQL connect as any user without a password")
        }
        "ALLOW_EMPTY_PASSWORD" if yes(v) => Some("lets the database run without a password"),
        "MYSQL_ALLOW_EMPTY_PASSWORD" | "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" | "MARIADB_ALLOW_EMPTY_PASSWORD"
            if !v.is_empty()
                && !given(&[
                    "MYSQL_ROOT_PASSWORD",
                    "MYSQL_ROOT_PASSWORD_FILE",
                    "MYSQL_RANDOM_ROOT_PASSWORD",
                    "MARIADB_ROOT_PASSWORD",
                    "MARIADB_ROOT_PASSWORD_FILE",
                    "MARIADB_RANDOM_ROOT_PASSWORD",
                    "MARIADB_ROOT_PASSWORD_HASH",
                ]) =>
        {
            Some("gives the root user an empty password (any non-empty value does, `no` too)")
        }
        "NEO4J_AUTH" if v.eq_ignore_ascii_case("none") => Some("switches Neo4j's authentication off"),
        _ => None,
    }
}

impl ComposeRule for AuthDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.file.services {
            let Some(env) = s.node.get("environment") else { continue };
            let vars = variables(env);
            let published = s.node.get("ports").is_some_and(|p| !p.items().is_empty());
            for var in &vars {
                let Some(what) = judge(var, &vars) else { continue };
                let reach = if published {
                    "and the service publishes ports"
                } else {
                    "so any container on its networks can connect"
                };
                let msg = format!(
                    "service `{}` sets `{}`, which {what}, {reach}; set a password (a secret file or a variable) instead",
                    s.name, var.name
                );
                let (at, written) = var.at;
                let mut d = with_written(META.diagnostic(at, msg), written);
                if !published {
                    d = d.with_severity(Severity::Info);
                }
                out.push(d);
            }
        }
    }
}
