//! `berth explain FILE:LINE` offline: the findings on that line with their
//! rules' documentation, no model involved (`--ai` adds one: tests/tests/ai.rs).

use berth_tests::{Scratch, stderr, stdout};

#[test]
fn findings_on_a_line_with_their_rules_documentation() {
    let s = Scratch::new("explain-line");
    s.write(
        "Dockerfile",
        "FROM debian:bookworm\nRUN apt-get update && \\\n    apt-get install -y curl\nCMD node server.js\n",
    );
    // Line 3 is inside the RUN that starts on line 2: its findings cover it.
    let o = s.run(&["explain", "Dockerfile:3"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}{}", stderr(&o));
    assert!(out.contains("Dockerfile:3:24: DL3008 pin-apt-get-versions"), "{out}");
    assert!(out.contains("## What it checks"), "the rule's page follows: {out}");
    assert_eq!(out.matches("# DL3008").count(), 1, "each rule's page once: {out}");
    assert!(!out.contains("DL3025"), "CMD on line 4 is not on line 3: {out}");

    let o = s.run(&["explain", "Dockerfile:4"]);
    assert!(stdout(&o).contains("DL3025"), "{}", stdout(&o));

    // A line without findings, and a rule name, still work as before.
    let o = s.run(&["explain", "Dockerfile:1"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("no finding on this line"));
    let o = s.run(&["explain", "DL3008"]);
    assert!(o.status.success() && stdout(&o).contains("## What it checks"));
}
