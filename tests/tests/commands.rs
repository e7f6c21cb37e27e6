//! `berth fmt`, `berth completions` and `berth manpage`, run as a user would.

use berth_tests::{Scratch, json, run_in, stderr, stdout};

const UNFORMATTED: &str =
    "from alpine:3.20 as build\nrun  apk add --no-cache curl=8.11.1-r0 \\\n  && echo done   \n\n\n";
const FORMATTED: &str = "FROM alpine:3.20 AS build\nRUN apk add --no-cache curl=8.11.1-r0 \\\n    && echo done\n";

fn codes(s: &Scratch, file: &str) -> Vec<String> {
    let v = json(&s.run(&["check", "--no-shellcheck", "-f", "json", file]));
    let mut c: Vec<String> =
        v["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect();
    c.sort();
    c
}

#[test]
fn fmt_check_diff_and_write() {
    let s = Scratch::new("fmt");
    s.write("Dockerfile", UNFORMATTED);
    s.write("sub/api.Dockerfile", FORMATTED);
    s.write("compose.yaml", "services:\n  web:\n    image: nginx:1.27   \n");
    let before = codes(&s, "Dockerfile");

    // --check: names the file, exit 1, changes nothing.
    let o = s.run(&["fmt", "--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stdout(&o), "would reformat: Dockerfile\n");
    assert!(stderr(&o).contains("1 file would be reformatted, 1 unchanged"), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 Compose file not formatted"), "{}", stderr(&o));
    assert_eq!(s.read("Dockerfile"), UNFORMATTED);

    // --diff: a unified diff, exit 1, changes nothing.
    let o = s.run(&["fmt", "--diff", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(1));
    let d = stdout(&o);
    assert!(d.starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n"), "{d}");
    assert!(d.contains("\n-from alpine:3.20 as build\n") && d.contains("\n+FROM alpine:3.20 AS build\n"), "{d}");
    assert_eq!(s.read("Dockerfile"), UNFORMATTED);

    // Writing: the formatted text, then --check passes; Compose files untouched.
    let o = s.run(&["fmt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(s.read("Dockerfile"), FORMATTED);
    assert_eq!(s.read("compose.yaml"), "services:\n  web:\n    image: nginx:1.27   \n");
    assert_eq!(s.run(&["fmt", "--check"]).status.code(), Some(0));
    assert!(std::fs::read_dir(&s.path).unwrap().flatten().all(|e| !e.file_name().to_string_lossy().ends_with(".tmp")));

    // Formatting added no finding (FromAsCasing in particular) and removed the trailing blanks.
    let after = codes(&s, "Dockerfile");
    assert!(after.iter().all(|c| before.contains(c)), "before {before:?}, after {after:?}");
    assert!(!after.contains(&"BD1002".to_string()));
}

#[test]
fn fmt_stdin_and_errors() {
    let s = Scratch::new("fmt-stdin");
    let o = run_in(&s.path, &["fmt", "-"], Some(UNFORMATTED.as_bytes()));
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), FORMATTED);
    let o = run_in(&s.path, &["fmt", "--check", "-"], Some(FORMATTED.as_bytes()));
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), String::new()));
    let o = run_in(&s.path, &["fmt", "--check", "-"], Some(UNFORMATTED.as_bytes()));
    assert_eq!(o.status.code(), Some(1));
    // A path that does not exist: exit 2.
    let o = s.run(&["fmt", "nosuch/Dockerfile"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // Not UTF-8: left as it is, with a note.
    s.write("Dockerfile", b"from a\nRUN echo \xff  \n");
    let o = s.run(&["fmt", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("left as is: not UTF-8 text"), "{}", stderr(&o));
    assert_eq!(std::fs::read(s.path.join("Dockerfile")).unwrap(), b"from a\nRUN echo \xff  \n");
}

#[test]
fn completions_for_every_shell_name_the_commands() {
    let s = Scratch::new("completions");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = s.run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let text = stdout(&o);
        for word in ["check", "fix", "fmt", "rules", "lsp", "completions", "no-shellcheck", "failure-threshold"] {
            assert!(text.contains(word), "{shell} completion lacks {word}");
        }
    }
    assert_eq!(s.run(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn manpage_from_the_command_line_definitions() {
    let s = Scratch::new("manpage");
    let o = s.run(&["manpage"]);
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(page.contains(".TH berth 1"), "{page}");
    for sub in ["check", "fix", "fmt", "explain", "lsp", "rules", "completions", "manpage"] {
        assert!(page.contains(&format!("berth\\-{sub}")) || page.contains(sub), "man page lacks {sub}");
    }
    let o = s.run(&["manpage", "--dir", "man"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let check = s.read("man/berth-check.1");
    assert!(check.contains("\\-\\-failure\\-threshold"), "{check}");
    assert!(s.read("man/berth-fmt.1").contains("\\-\\-check"));
    assert!(s.path.join("man/berth.1").is_file());
}

#[test]
fn check_dash_capital_v_is_hadolints_verbose() {
    // hadolint: `-v/--version`, `-V/--verbose`. `hadolint -V Dockerfile` in CI must lint, not print a version.
    let s = Scratch::new("check-V");
    s.write("Dockerfile", "FROM ubuntu\n");
    let o = s.run(&["check", "--no-shellcheck", "-V", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("DL3006"));
    assert!(stderr(&o).contains("configuration"), "verbose: {}", stderr(&o));
    let o = s.run(&["--version"]);
    assert!(stdout(&o).starts_with("berth "), "{}", stdout(&o));
    assert_eq!(stdout(&s.run(&["-V"])), stdout(&o));
}

#[test]
fn hadolint_json_has_hadolints_shape() {
    let s = Scratch::new("hadolint-json");
    s.write("Dockerfile", "FROM ubuntu\nRUN apt-get install -y curl\n");
    let o = s.run(&["check", "--no-shellcheck", "-f", "hadolint-json", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(1));
    let ours: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<Vec<String>> {
        v.as_array().unwrap().iter().map(|i| i.as_object().unwrap().keys().cloned().collect()).collect()
    };
    let facts = |v: &serde_json::Value| -> Vec<(String, u64, String, String)> {
        let mut f: Vec<_> = v
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["code"].as_str().unwrap().starts_with("DL"))
            .map(|i| {
                let t = |k: &str| i[k].as_str().unwrap().to_string();
                (t("code"), i["line"].as_u64().unwrap(), t("level"), t("file"))
            })
            .collect();
        f.sort();
        f
    };
    assert!(keys(&ours).iter().all(|k| k == &["code", "column", "file", "level", "line", "message"]));
    assert!(facts(&ours).iter().any(|f| f.0 == "DL3008" && f.1 == 2 && f.2 == "warning" && f.3 == "Dockerfile"));
    // The same array as hadolint's own, where hadolint is installed (columns and messages are berth's).
    match std::process::Command::new("hadolint")
        .args(["-f", "json", "--no-fail", "Dockerfile"])
        .current_dir(&s.path)
        .output()
    {
        Ok(h) if h.status.success() => {
            let theirs: serde_json::Value = serde_json::from_slice(&h.stdout).unwrap();
            assert_eq!(keys(&theirs)[0], keys(&ours)[0]);
            assert_eq!(facts(&theirs), facts(&ours));
        }
        _ => eprintln!("hadolint is not installed: compared with hadolint's documented shape only"),
    }
}
