"""Drive `berth mcp` with the official MCP Python SDK as the client.

Usage: python3 client.py BERTH_BIN WORKDIR

WORKDIR holds `Dockerfile`, `build.log` and `compose.yaml` (written by
tests/tests/mcp.rs). Prints one `ok NAME` line per check and exits non-zero at
the first failure.
"""

import asyncio
import json
import os
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

BIN, WORK = sys.argv[1], sys.argv[2]


def check(cond, what):
    if not cond:
        print(f"FAIL {what}", flush=True)
        sys.exit(1)
    print(f"ok {what}", flush=True)


def attr(obj, snake, camel):
    """SDK 2.x names fields in snake_case, 1.x in camelCase."""
    return getattr(obj, snake) if hasattr(obj, snake) else getattr(obj, camel)


def sc(result):
    return attr(result, "structured_content", "structuredContent")


def text_of(result):
    return "".join(getattr(c, "text", "") for c in result.content)


async def expect_error(session, name, args, fragment):
    try:
        result = await session.call_tool(name, args)
    except Exception as e:  # the SDK raises the JSON-RPC error
        check(fragment in str(e), f"{name} error mentions {fragment!r}: {e}")
        return
    # A tool error may also come back as a result marked isError.
    check(attr(result, "is_error", "isError") and fragment in text_of(result), f"{name} fails with {fragment!r}")


async def main():
    params = StdioServerParameters(command=BIN, args=["mcp"], cwd=WORK, env=dict(os.environ))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            info = attr(init, "server_info", "serverInfo")
            check(info.name == "berth", f"initialize: server {info.name}")
            check(init.capabilities.tools is not None, "initialize: tools capability")

            tools = await session.list_tools()
            names = sorted(t.name for t in tools.tools)
            check(names == sorted(["lint", "fix", "explain_rule", "explain_build", "compose_config"]), f"tools {names}")
            for t in tools.tools:
                check(attr(t, "input_schema", "inputSchema").get("type") == "object" and t.description, f"tool {t.name} has a schema and a description")

            # lint: a path, then text with a kind.
            r = await session.call_tool("lint", {"path": "Dockerfile"})
            codes = [d["code"] for d in sc(r)["diagnostics"]]
            check("DL3007" in codes, f"lint path finds DL3007 in {codes}")
            check("DL3007" in text_of(r) and "Dockerfile:1:" in text_of(r), "lint text names the finding")
            r = await session.call_tool(
                "lint", {"text": "services:\n  web:\n    image: nginx\n", "kind": "compose"}
            )
            diags = sc(r)["diagnostics"]
            check(diags and all(d["file"] == "compose.yaml" for d in diags), f"lint text as compose: {[d['code'] for d in diags]}")

            # fix: a preview diff of the file (unchanged on disk), then fixed text.
            before = open(os.path.join(WORK, "Dockerfile")).read()
            r = await session.call_tool("fix", {"path": "Dockerfile"})
            check(sc(r)["changed"] and sc(r)["diff"].startswith("---"), "fix preview is a diff")
            check(open(os.path.join(WORK, "Dockerfile")).read() == before, "fix preview leaves the file alone")
            r = await session.call_tool("fix", {"text": before, "apply": True})
            fixed = sc(r)["fixed_text"]
            check(fixed != before and "RUN apt-get install" in fixed and "80/tcp" in fixed, "fix text returns the fixed text")
            r = await session.call_tool("fix", {"path": "Dockerfile", "apply": True})
            check(open(os.path.join(WORK, "Dockerfile")).read() == fixed, "fix apply writes the same fixes")

            # explain_rule
            r = await session.call_tool("explain_rule", {"rule": "DL3008"})
            check(sc(r)["code"] == "DL3008" and "apt" in text_of(r), "explain_rule DL3008")

            # explain_build on a log file with its Dockerfile.
            r = await session.call_tool("explain_build", {"log_path": "build.log", "dockerfile": "Dockerfile"})
            d = sc(r)["diagnoses"][0]
            check(d["cause"] == "apt-unable-to-locate-package", f"explain_build cause {d['cause']}")
            check(d["range"]["start"]["line"] == 3, f"explain_build range {d['range']}")
            check("Unable to locate package" in text_of(r), "explain_build text quotes the log")

            # compose_config
            r = await session.call_tool("compose_config", {"files": ["compose.yaml"]})
            check(sc(r)["services"]["web"]["image"] == "nginx:1.27", "compose_config merges the file")

            # Errors are MCP errors, and the server lives on.
            await expect_error(session, "explain_rule", {"rule": "DL9999"}, "no rule")
            await expect_error(session, "lint", {"path": "does/not/exist"}, "no such file")
            await expect_error(session, "lint", {}, "path")
            await expect_error(session, "no_such_tool", {}, "unknown tool")
            r = await session.call_tool("explain_rule", {"rule": "BD1003"})
            check(sc(r)["code"] == "BD1003", "the server still answers after errors")


asyncio.run(main())
print("all ok")
