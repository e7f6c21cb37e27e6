//! `berth mcp` driven by the official MCP Python SDK (`pip install mcp`) as
//! the client: initialize, list the tools, call each one, errors
//! (tests/mcp/client.py). Skipped, with a notice, when Python or the SDK is
//! missing (`.ci/run` installs it).

use berth_tests::{Scratch, berth_bin, root};
use std::process::Command;

const DOCKERFILE: &str = "FROM ubuntu:latest
RUN apt-get update
run apt-get install -y --no-install-recommends libfoo-dev
EXPOSE 80/TCP
";

const LOG: &str = r#"#6 [3/3] RUN apt-get install -y --no-install-recommends libfoo-dev
#6 0.221 Reading package lists...
#6 0.874 E: Unable to locate package libfoo-dev
#6 ERROR: process "/bin/sh -c apt-get install -y --no-install-recommends libfoo-dev" did not complete successfully: exit code: 100
------
 > [3/3] RUN apt-get install -y --no-install-recommends libfoo-dev:
0.874 E: Unable to locate package libfoo-dev
------
ERROR: failed to solve: process "/bin/sh -c apt-get install -y --no-install-recommends libfoo-dev" did not complete successfully: exit code: 100
"#;

fn python_with_mcp() -> Option<String> {
    let python = std::env::var("BERTH_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&python).args(["-c", "import mcp"]).output().is_ok_and(|o| o.status.success());
    ok.then_some(python)
}

#[test]
fn official_python_client_drives_every_tool() {
    let Some(python) = python_with_mcp() else {
        eprintln!("notice: the MCP Python SDK is not importable (pip install mcp); berth mcp client test skipped");
        return;
    };
    let s = Scratch::new("mcp");
    s.write("Dockerfile", DOCKERFILE);
    s.write("build.log", LOG);
    s.write("compose.yaml", "services:\n  web:\n    image: nginx:1.27\n");
    let out = Command::new(python)
        .arg(root().join("tests/mcp/client.py"))
        .arg(berth_bin())
        .arg(&s.path)
        .output()
        .expect("run the MCP client");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "MCP client failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("all ok"), "{stdout}");
    assert!(stdout.contains("ok explain_build cause apt-unable-to-locate-package"), "{stdout}");
}
