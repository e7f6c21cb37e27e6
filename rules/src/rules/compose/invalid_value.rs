use super::with_written;
use crate::compose::schema::ProblemKind;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};

pub struct InvalidValue;

static META: RuleMeta = RuleMeta {
    code: "BC0004",
    name: "invalid-value",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &["invalid-schema"],
    default_enabled: true,
    summary: "A value outside what Compose accepts: an unknown enumeration value or a malformed port, duration or size",
    docs: r#"## What it checks
Values that have the right type but that Compose or the Docker Engine refuse
when loading or starting the project:

- enumerations: `depends_on.<service>.condition`, `develop.watch[].action`,
  `deploy.mode`, `deploy.endpoint_mode`, `deploy.restart_policy.condition`,
  `update_config`/`rollback_config` `order` and `failure_action`, `cgroup`,
  long-form volume `type` and bind `propagation`/`selinux`/`recursive`,
  long-form port `protocol` and `mode`, `gpus`;
- `restart` (`no`, `always`, `on-failure[:N]`, `unless-stopped`) and
  `pull_policy` (`always`, `never`, `missing`, `build`, `if_not_present`,
  `daily`, `weekly`, `every_<duration>`);
- short port mappings (`[[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`:
  ports up to 65535, a valid IP, ranges of the same size) and `expose`;
- durations (`1m30s`, `500ms`), byte sizes (`512m`, `2g`), and strings that
  must convert to an integer, a number or a boolean;
- number ranges (`oom_score_adj`, `cpu_percent`), the project `name`, names
  of services, volumes, configs and secrets, repeated items in lists that
  must be unique (`cap_add`, `ports`, `environment` lists, ...), and a
  `healthcheck.test` list that does not start with `CMD`, `CMD-SHELL` or
  `NONE`.

Values with a variable (`${RESTART_POLICY}`) are not judged. A close match is
suggested for a misspelt enumeration value.

Severity: an error, except where only Swarm (`docker stack deploy`) refuses
the value, which is a portability warning:
- `deploy.restart_policy.condition: no`, `always` or `unless-stopped`:
  `docker compose` maps them to the Engine's restart policies
  (docker/compose `mapRestartPolicyCondition`), Swarm accepts only `none`,
  `on-failure` and `any`. Any other condition is passed to the Engine, which
  refuses it, and stays an error;
- keys `docker compose` never reads: `deploy.mode`, `deploy.endpoint_mode`,
  `update_config`/`rollback_config` `failure_action` and long-form port
  `mode`. compose-go's schema leaves them free strings; Swarm refuses other
  values. (`order`, `cgroup`, `depends_on` conditions, `develop.watch`
  actions and volume `type`/`selinux`/`recursive` are enumerations of
  compose-go's schema, and `docker compose` refuses the file.)

## Why it matters
These mistakes pass a YAML check but stop `docker compose up`, or worse, are
accepted and do something else: a health check whose list starts with
`curl` is skipped by the Engine, so the container never becomes healthy and
services waiting with `service_healthy` never start.

## Example
```yaml
services:
  web:
    image: nginx:1.27
    restart: on-failures
    ports:
      - "80:80:80"
    healthcheck:
      test: ["curl", "-f", "http://localhost"]
      interval: 30 seconds
```

## Use instead
```yaml
services:
  web:
    image: nginx:1.27
    restart: on-failure
    ports:
      - "80:80"
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost"]
      interval: 30s
```

## References
- Compose Specification, services: https://docs.docker.com/reference/compose-file/services/
- Compose Specification, deploy: https://docs.docker.com/reference/compose-file/deploy/
- Compose Specification, develop: https://docs.docker.com/reference/compose-file/develop/
- Compose Specification, networks: https://docs.docker.com/reference/compose-file/networks/
- dclint `invalid-schema`
"#,
};

impl ComposeRule for InvalidValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        for (at, written, p) in super::schema_problems(cx, ProblemKind::InvalidValue) {
            let d = META.diagnostic(at, p.message);
            let d = if p.swarm_only { d.with_severity(Severity::Warning) } else { d };
            out.push(with_written(d, written));
        }
    }
}
