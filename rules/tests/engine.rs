//! Engine behaviour that needs berth's rules: the drivers of `berth-engine`
//! run with the registry handed in (`berth_rules::engine`).

use berth_rules::engine::{Inputs, Safety, Selection, fix_all_compose, lint, lint_compose, lint_with, lint_with_cache};
use berth_rules::model::Model;
use berth_rules::shell::ScriptCache;
use berth_rules::syntax::Dockerfile;

// Compose: a file that does not load, inline ignores.

fn codes_and_lines(text: &str) -> Vec<(&'static str, usize)> {
    let idx = berth_rules::text::LineIndex::new(text);
    let r = lint_compose(text, &Selection::default());
    r.diagnostics.iter().map(|d| (d.code, idx.line_of(d.span.start) + 1)).collect()
}

#[test]
fn a_broken_service_is_left_out_and_the_rest_is_linted() {
    let text = "services:\n  before:\n    image: nginx:latest\n    privileged: true\n  broken:\n    image: redis:latest\n    privileged: true\n    networks: [back\n    ports:\n      - 6379:6379\n  after:\n    image: postgres:latest\n    privileged: true\nnetworks:\n  back: {}\n";
    let r = lint_compose(text, &Selection::default());
    assert!(r.file.is_none(), "the file does not load");
    let e: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "BC0001").collect();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].span.start, text.find("[back").unwrap(), "at the unclosed `[`");
    assert!(e[0].message.contains("could not read service `broken` (lines 5-10)"), "{}", e[0].message);
    assert!(e[0].message.contains("rest of the file was linted"), "{}", e[0].message);
    let got = codes_and_lines(text);
    assert!(got.contains(&("BC2001", 4)) && got.contains(&("BC2001", 13)), "services before and after: {got:?}");
    assert!(!got.iter().any(|&(_, l)| (5..=10).contains(&l) && l != 8), "nothing from the broken service: {got:?}");
    // `back` is used only by the broken service: not reported unused.
    assert!(!got.iter().any(|&(c, _)| c == "BC4005"), "{got:?}");
    assert!(r.diagnostics.iter().all(|d| d.fix.is_none()), "no fixes while the file does not load");
    assert_eq!(fix_all_compose(text, &Selection::default(), Safety::Unsafe).text, text);
}

#[test]
fn a_broken_top_level_entry_is_left_out() {
    let text = "services:\n  a:\n    image: nginx:latest\n    privileged: true\n    networks: [front]\nnetworks:\n  front: [\nvolumes:\n  data: {}\n";
    let r = lint_compose(text, &Selection::default());
    let e = r.diagnostics.iter().find(|d| d.code == "BC0001").unwrap();
    assert_eq!(e.span.start, text.rfind(": [").unwrap() + 2);
    assert!(e.message.contains("could not read the top-level `networks` (lines 6-7)"), "{}", e.message);
    let got = codes_and_lines(text);
    assert!(got.contains(&("BC2001", 4)), "{got:?}");
    // `front` is declared in the unreadable part: not reported undefined;
    // `data` may be used there: not reported unused.
    assert!(!got.iter().any(|&(c, _)| c.starts_with("BC400")), "{got:?}");
}

#[test]
fn damage_outside_an_entry_means_nothing_is_linted() {
    for text in [
        "services:\n  a:\n    image: nginx:latest\n    privileged: true\n   bad: [\n",
        "services: [\n  a\n",
        "services:\n  a: {}\n[x\n",
    ] {
        let r = lint_compose(text, &Selection::default());
        assert_eq!(r.diagnostics.len(), 1, "{text:?}: {:?}", r.diagnostics);
        assert_eq!(r.diagnostics[0].code, "BC0001");
        assert!(r.diagnostics[0].message.ends_with("berth could not read this file as YAML, so it did not lint it"));
    }
}

#[test]
fn ignores() {
    let text = "services:\n  # berth ignore=BC2001\n  a:\n    privileged: true\n  b:\n    privileged: true # dclint disable-line\n  c:\n    # dclint disable-next-line privileged-container\n    privileged: true\n  d:\n    privileged: true\n";
    let r = lint_compose(text, &Selection::default());
    let lines: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "BC2001")
        .map(|d| r.file.as_ref().unwrap().lines.line_of(d.span.start))
        .collect();
    assert_eq!(lines, [10]);
}

// Dockerfile inline ignores as hadolint reads them.

#[test]
fn suppression_as_hadolint_reads_it() {
    let codes = |text: &str| -> Vec<&'static str> {
        lint(text, &Selection::only(&["DL3008", "DL3015", "DL3059"])).diagnostics.iter().map(|d| d.code).collect()
    };
    // A list with spaces after the commas silences every code in it.
    assert!(codes("FROM debian:12\n# hadolint ignore=DL3008, DL3015\nRUN apt-get install -y curl\n").is_empty());
    // A blank line or another comment between it and the instruction (hadolint: line + 1 only).
    assert!(
        codes("FROM debian:12\n# hadolint ignore=DL3008,DL3015\n\n# why\nRUN apt-get install -y curl\n").is_empty()
    );
    // An unknown code in the list does not void the others.
    assert!(codes("FROM debian:12\n# hadolint ignore=DL3008,XYZ9,DL3015\nRUN apt-get install -y curl\n").is_empty());
    // `stage ignore` above a FROM: that whole stage, not the next one.
    let text = "# hadolint stage ignore=DL3008,DL3015\nFROM debian:12\nRUN apt-get install -y curl\nRUN apt-get install -y jq\nFROM debian:12\nRUN apt-get install -y jq\n";
    assert_eq!(codes(text), ["DL3059", "DL3015", "DL3008"]);
    // Inside a stage: from the next instruction to the end of the stage.
    let text = "FROM debian:12\nRUN true\n# berth stage ignore=DL3059\nRUN echo a\nRUN echo b\nFROM debian:12\nRUN true\nRUN echo c\n";
    assert_eq!(codes(text), ["DL3059"]);
}

// The editor's script cache gives the findings of a fresh lint.

#[test]
fn cached_scripts_are_the_scripts_of_the_new_text() {
    let versions = [
        "FROM debian:12\nRUN apt-get update && apt-get install curl \\\n    && echo $HOME | tee x\nRUN <<EOF\napt-get install wget\nEOF\n",
        "FROM debian:12 AS base\nRUN apt-get update && apt-get install curl \\\n    && echo $HOME | tee x\nRUN <<EOF\napt-get install wget\nEOF\n",
        "# 😀\nFROM debian:12 AS base\nRUN apt-get update && apt-get install curl \\\n    && echo $HOME | tee x\nRUN <<EOF\napt-get install wget\nEOF\nRUN apt-get update && apt-get install curl \\\n    && echo $HOME | tee x\n",
        "FROM debian:12\nRUN apt-get install curl\nRUN <<EOF\napt-get install wget\nEOF\n",
        "FROM debian:12\nRUN apt-get install curl\n",
    ];
    let mut cache = ScriptCache::default();
    let mut lint_cache = ScriptCache::default();
    for text in versions {
        let file = Dockerfile::parse(text);
        let cached = Model::build_cached(&file, &[], Some(&mut cache));
        let fresh = Model::build(&file);
        for (a, b) in cached.info.iter().zip(&fresh.info) {
            assert_eq!(a.script, b.script, "{text}");
        }
        let sel = Selection::default();
        let inputs = Inputs::default();
        assert_eq!(
            lint_with_cache(text, &sel, &inputs, &mut lint_cache).diagnostics,
            lint_with(text, &sel, &inputs).diagnostics
        );
    }
}
