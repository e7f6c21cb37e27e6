use crate::engine::{Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta, Severity};

use super::package_managers::report_rpm_without_yes;

pub struct DnfYes;

static META: RuleMeta = RuleMeta {
    code: "DL3038",
    name: "dnf-yes",
    severity: Severity::Warning,
    category: Category::Correctness,
    fix: FixAvailability::Always,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Use dnf install -y",
    docs: r#"## What it checks
`dnf`, `dnf5` and `microdnf` commands that install (`install`, `localinstall`,
`groupinstall`, `group install`, `module install`) without `-y` /
`--assumeyes`, in RUN commands, heredoc scripts, `sh -c '...'` bodies and
ONBUILD RUN triggers. The install word has to be the subcommand (options and
their values are skipped), not a package name. hadolint checks `dnf` and
`microdnf`; berth also checks `dnf5`, the name of dnf 5 on Fedora 39 and later.

## Why it matters
Without `-y`, dnf prints the transaction and waits for "Is this ok [y/N]".
`docker build` gives it no terminal, so it reads end of input as a refusal
and the RUN exits with an error. microdnf 3.8 and later asks the same
question.

## Example
```dockerfile
RUN microdnf install shadow-utils && microdnf clean all
```

## Use instead
```dockerfile
RUN microdnf install -y shadow-utils && microdnf clean all
```

## Fix
Inserts `-y` right after the install subcommand. Unsafe: the transaction is
accepted as dnf computed it, including packages it would erase or downgrade
to resolve dependencies.

## References
- hadolint DL3038
- dnf command reference (-y, --assumeyes): https://dnf.readthedocs.io/en/latest/command_ref.html
"#,
};

impl Rule for DnfYes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        report_rpm_without_yes(cx, &META, &["dnf", "dnf5", "microdnf"], out);
    }
}
