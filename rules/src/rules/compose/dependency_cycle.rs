use super::refs::{Ref, service_refs};
use super::with_written;
use crate::compose::ComposeFile;
use crate::engine::{Category, ComposeContext, ComposeRule, Diagnostic, FixAvailability, RuleMeta, Severity};
use std::collections::HashMap;

pub struct DependencyCycle;

static META: RuleMeta = RuleMeta {
    code: "BC4006",
    name: "dependency-cycle",
    severity: Severity::Error,
    category: Category::Correctness,
    fix: FixAvailability::None,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Services depend on each other in a cycle",
    docs: r#"## What it checks
Cycles in the start order of services: `depends_on` (list or mapping), and
the references that Compose turns into dependencies as well: `links`,
`volumes_from` and `network_mode`/`ipc`/`pid: service:NAME`. A service that
depends on itself is a cycle of one.

Each cycle is reported once, at the reference that closes it (services are
visited in file order), with the other references of the cycle as related
information; the message lists the cycle (`api -> worker -> api`).
The graph is the project's as Compose merges it: a `depends_on` added in
`compose.override.yaml` closes a cycle with the base file's, and the cycle
is reported in the file that wrote the closing reference.
References to services the file does not define are left to BC4001.

## Why it matters
Compose starts a service after the services it depends on; with a cycle there
is no first service, and `docker compose up` refuses the project ("dependency
cycle detected").

## Example
```yaml
services:
  api:
    image: example/api
    depends_on: [worker]
  worker:
    image: example/worker
    depends_on: [api]
```

## Use instead
Keep the dependency in one direction and let the other side retry its
connection:
```yaml
services:
  api:
    image: example/api
    depends_on: [worker]
  worker:
    image: example/worker
```

## References
- Compose Specification, depends_on: https://docs.docker.com/reference/compose-file/services/#depends_on
- Docker, control startup order: https://docs.docker.com/compose/how-tos/startup-order/
"#,
};

/// Most services listed in one message, and related notes on one finding.
const MAX_SHOWN: usize = 20;

impl ComposeRule for DependencyCycle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &ComposeContext<'_>, out: &mut Vec<Diagnostic>) {
        // With other files in the project (override or base file, included
        // files), the graph is the merged project's; a cycle is reported in
        // the file that wrote its closing reference.
        let merged_view =
            cx.project.has_other_files().then(|| cx.project.merged().root.as_ref()).flatten().map(|root| ComposeFile {
                text: cx.file.text.clone(),
                lines: cx.file.lines.clone(),
                raw: cx.file.raw.clone(),
                resolved: root.clone(),
                services: cx.project.merged().services.clone(),
                schema: Default::default(),
            });
        let file = merged_view.as_ref().unwrap_or(cx.file);
        // Services by first definition; edges in the order they are written.
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut names: Vec<&str> = Vec::new();
        for s in &file.services {
            index.entry(s.name.as_str()).or_insert_with(|| {
                names.push(s.name.as_str());
                names.len() - 1
            });
        }
        let mut refs: Vec<Ref<'_>> = service_refs(file).into_iter().filter(|r| r.dependency).collect();
        let mut local = vec![true; refs.len()];
        if merged_view.is_some() {
            let own: Vec<Ref<'_>> = service_refs(cx.file).into_iter().filter(|r| r.dependency).collect();
            for (r, l) in refs.iter_mut().zip(local.iter_mut()) {
                match own.iter().find(|o| o.service == r.service && o.name == r.name) {
                    Some(o) => (r.at, r.written) = (o.at, o.written),
                    None => *l = false,
                }
            }
        }
        let mut edges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); names.len()];
        for (i, r) in refs.iter().enumerate() {
            if let (Some(&from), Some(&to)) = (index.get(r.service), index.get(r.name.as_str())) {
                edges[from].push((to, i));
            }
        }
        // Iterative depth-first search; a reference to a service on the current
        // path closes a cycle.
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            New,
            OnPath,
            Done,
        }
        let mut state = vec![State::New; names.len()];
        // The path: (service, next edge to try, reference that led here).
        let mut path: Vec<(usize, usize, Option<usize>)> = Vec::new();
        let mut pos_on_path: Vec<usize> = vec![0; names.len()];
        for root in 0..names.len() {
            if state[root] != State::New {
                continue;
            }
            state[root] = State::OnPath;
            pos_on_path[root] = 0;
            path.push((root, 0, None));
            while let Some(top) = path.last_mut() {
                let (node, next) = (top.0, top.1);
                let Some(&(to, ref_i)) = edges[node].get(next) else {
                    state[node] = State::Done;
                    path.pop();
                    continue;
                };
                top.1 += 1;
                match state[to] {
                    State::New => {
                        state[to] = State::OnPath;
                        pos_on_path[to] = path.len();
                        path.push((to, 0, Some(ref_i)));
                    }
                    State::OnPath => {
                        let cycle = &path[pos_on_path[to]..];
                        if local[ref_i] {
                            out.push(report(&names, &refs, &local, cycle, ref_i));
                        }
                    }
                    State::Done => {}
                }
            }
        }
    }
}

/// One finding for the cycle made of `cycle` (the path from the service
/// depended on back to the last one) closed by the reference `closing`.
fn report(
    names: &[&str],
    refs: &[Ref<'_>],
    local: &[bool],
    cycle: &[(usize, usize, Option<usize>)],
    closing: usize,
) -> Diagnostic {
    let r = &refs[closing];
    if cycle.len() == 1 {
        let msg = format!("service `{}` {} itself; remove this reference", r.service, r.how);
        return with_written(META.diagnostic(r.at, msg), r.written);
    }
    // Listed from the service that closes the cycle: last -> first -> ... -> last.
    let last = cycle.len() - 1;
    let mut listed: Vec<&str> = vec![names[cycle[last].0]];
    listed.extend(cycle[..last].iter().take(MAX_SHOWN).map(|&(s, _, _)| names[s]));
    if last > MAX_SHOWN {
        listed.push("...");
    }
    listed.push(names[cycle[last].0]);
    let msg = format!(
        "dependency cycle: {}; service `{}` {} `{}`, which leads back to it; remove one of these dependencies",
        listed.join(" -> "),
        r.service,
        r.how,
        r.name
    );
    let mut d = with_written(META.diagnostic(r.at, msg), r.written);
    for &(_, _, via) in cycle.iter().skip(1).take(MAX_SHOWN) {
        if let Some(e) = via.filter(|&i| local.get(i) == Some(&true)).and_then(|i| refs.get(i)) {
            d = d.with_related(e.at, format!("`{}` {} `{}` here", e.service, e.how, e.name));
        }
    }
    d
}
