use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::{Base, Model, PLATFORM_ARGS, is_automatic_arg};
use crate::syntax::Keyword;
use crate::syntax::words::var_refs;

pub struct UndefinedVar;

static META: RuleMeta = RuleMeta {
    code: "BD1003",
    name: "undefined-var",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: Some("UndefinedVar"),
    aliases: &[],
    default_enabled: true,
    summary: "A variable is used that no ARG or ENV defines",
    docs: r#"## What it checks
`$NAME` and `${NAME}` in the instructions whose arguments the builder itself
expands (ADD, COPY, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR), and
in the `--flags` of any instruction (such as `COPY --chown=$APP_USER`), when no
earlier ARG or ENV in scope defines the name. In scope means, as in BuildKit
1.9 and later: declared earlier in the same stage, or declared by ARG (with or
without a value) or set by ENV in a stage this one is built `FROM`, at any
depth. An ARG declared before the first FROM is not in scope inside a stage
until the stage repeats it with `ARG NAME`; berth says so when that is the
cause. The same holds for BuildKit's automatic platform ARGs (`TARGETARCH`,
`BUILDPLATFORM`, ...): FROM can use them, but a stage sees one only after
`ARG TARGETARCH`, so an undeclared one is always reported.

Not reported:
- references with a modifier, such as `${NAME:-default}`, `${NAME-x}`,
  `${NAME:+x}` or `${NAME:?}`, which state what happens when the name is unset;
- the proxy variables and `BUILDKIT_*` build arguments, and `PATH`, which
  the builder sets;
- shell-form RUN, CMD and ENTRYPOINT, which the shell expands when it runs,
  where variables from the environment are normal; FROM and ONBUILD, which
  are evaluated elsewhere.

berth does not download images, so it cannot see the ENV of a base image. When
a stage is built on an image (directly or through earlier stages), berth only
reports a name that is a likely typo of a name that is in scope (`APP_DIRR`
when `APP_DIR` is defined), and says which one. When the chain of stages starts
`FROM scratch`, nothing else can define the name, and every undefined name is
reported. This trades missed findings for the absence of false alarms about
variables such as `PYTHON_VERSION` that official images set.

## Why it matters
An undefined variable expands to an empty string without any error: `COPY app
$APP_DIR/` copies into `/`, `USER $APP_USER` fails at run time or, worse,
leaves the container running as root. The cause is usually a typo or an ARG
that was declared before FROM and never brought into the stage.

## Example
```dockerfile
ARG VERSION=1.4.2
FROM alpine:3.20
ENV APP_HOME=/srv/app
WORKDIR $APP_HOM
LABEL org.opencontainers.image.version=$VERSION
```

## Use instead
```dockerfile
ARG VERSION=1.4.2
FROM alpine:3.20
ARG VERSION
ENV APP_HOME=/srv/app
WORKDIR $APP_HOME
LABEL org.opencontainers.image.version=$VERSION
```

## References
- BuildKit check UndefinedVar: https://docs.docker.com/reference/build-checks/undefined-var/
- Dockerfile reference, variable scope: https://docs.docker.com/reference/dockerfile/#scope
"#,
};

/// Instructions whose whole argument text the builder expands.
const EXPANDED: &[Keyword] = &[
    Keyword::Add,
    Keyword::Copy,
    Keyword::Env,
    Keyword::Expose,
    Keyword::Label,
    Keyword::Stopsignal,
    Keyword::User,
    Keyword::Volume,
    Keyword::Workdir,
];

/// Whether the stage's chain of bases ends at `scratch` (so no image ENV can exist).
fn built_from_scratch(model: &Model<'_>, stage: usize) -> bool {
    let mut at = stage;
    loop {
        match &model.stages[at].base {
            Base::Scratch => return true,
            Base::Image(_) => return false,
            Base::Stage(p) if *p < at => at = *p,
            Base::Stage(_) => return false,
        }
    }
}

impl Rule for UndefinedVar {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        let model = cx.model;
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            if matches!(inst.keyword, Keyword::From | Keyword::Onbuild | Keyword::Unknown) {
                continue;
            }
            let Some(stage) = model.info.get(idx).and_then(|i| i.stage) else { continue };
            let whole = EXPANDED.contains(&inst.keyword);
            if !whole && inst.flags.is_empty() {
                continue;
            }
            let mut scope: Option<(bool, Vec<&str>)> = None;
            for r in var_refs(&inst.args, inst.escape) {
                if !whole && !inst.flags.iter().any(|f| f.span.start <= r.span.start && r.span.end <= f.span.end) {
                    continue;
                }
                let platform = PLATFORM_ARGS.contains(&r.name.as_str());
                if r.operator.is_some() || r.name == "PATH" || (!platform && is_automatic_arg(&r.name)) {
                    continue;
                }
                if model.definition(&r.name, idx).is_some() {
                    continue;
                }
                if platform {
                    out.push(META.diagnostic(
                        r.name_span,
                        format!(
                            "`{}` is an automatic platform ARG, which a stage sees only after `ARG {}`; add it after FROM",
                            r.name, r.name
                        ),
                    ));
                    continue;
                }
                let (scratch, names) =
                    scope.get_or_insert_with(|| (built_from_scratch(model, stage), model.names_in_scope(idx)));
                let global = model.global_args.iter().any(|a| a.name == r.name);
                let suggestion = crate::util::closest(&r.name, names.iter().copied());
                let message = if global {
                    format!(
                        "`{}` is an ARG from before FROM, which this stage cannot see; add `ARG {}` after FROM",
                        r.name, r.name
                    )
                } else if let Some(s) = suggestion {
                    format!("`{}` is not defined; did you mean `{s}`?", r.name)
                } else if *scratch {
                    format!(
                        "`{}` is not defined by an earlier ARG or ENV and expands to nothing; define it or fix the name",
                        r.name
                    )
                } else {
                    continue;
                };
                out.push(META.diagnostic(r.name_span, message));
            }
        }
    }
}
