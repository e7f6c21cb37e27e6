// The berth extension in a real VS Code (code-server's workbench in chromium),
// driven by the keyboard as a user would. Run by e2e.sh, which starts
// code-server and passes E2E_URL, E2E_WS (the workspace folder), E2E_BUNDLED
// (the berth inside the installed .vsix), E2E_BERTH (another berth binary, for
// berth.path) and E2E_LOGS (code-server's log folder).
"use strict";
const { chromium } = require("playwright-core");
const cp = require("child_process");
const fs = require("fs");
const path = require("path");

const URL = process.env.E2E_URL;
const WS = process.env.E2E_WS;
const BUNDLED = process.env.E2E_BUNDLED;
const BERTH = process.env.E2E_BERTH;
const LOGS = process.env.E2E_LOGS;
const SHOTS = process.env.E2E_SHOTS;

const DOCKERFILE = "from debian:12 as build\nRUN apt-get update && apt-get install -y curl\n";
const COMPOSE = "services:\n  web:\n    image: nginx\n";
fs.writeFileSync(path.join(WS, "Dockerfile"), DOCKERFILE);
fs.writeFileSync(path.join(WS, "compose.yaml"), COMPOSE);
const BASE_SETTINGS = {
  "editor.codeActionsOnSave": { "source.fixAll.berth": "explicit" },
  "files.autoSave": "off",
  // No restored unsaved editors from an earlier run (e2e.sh's retry).
  "files.hotExit": "off",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false,
  "berth.shellcheck.enabled": false,
};
function settings(extra) {
  fs.writeFileSync(path.join(WS, ".vscode", "settings.json"), JSON.stringify({ ...BASE_SETTINGS, ...extra }, null, 2));
}
settings({});

/** How many times the server is killed under the user's typing: the
 *  extension's CRASH_LIMIT (it restarts up to that many crashes in 3 minutes). */
const KILLS = 5;
let page;
let passed = 0;
let failed = 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
    // What berth and the client said (the `berth` output channel), for the CI log.
    try {
      const tail = outputLog().trimEnd().split("\n").slice(-15);
      console.log(tail.map((l) => `     | ${l}`).join("\n"));
    } catch {
      // no log yet
    }
    if (SHOTS) {
      try {
        fs.mkdirSync(SHOTS, { recursive: true });
        const shot = path.join(SHOTS, `fail-${passed + failed}.png`);
        await page.screenshot({ path: shot });
        console.log(`     screenshot: ${shot}`);
      } catch {
        // no page
      }
    }
  }
}

/** Poll `fn` until it returns `true` (exactly: anything else it returns, or
 *  throws, is what it saw, and a timeout reports the last of those). */
async function until(what, fn, timeout = 30000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last === true) {
        return;
      }
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}; last: ${String(last).slice(0, 1500)}`);
    }
    await sleep(200);
  }
}

/** The text of every visible element that `selector` matches. */
const text = async (selector) => (await page.locator(`${selector} >> visible=true`).allInnerTexts()).join("\n");
const problems = () => text(".markers-panel");
/** Wait until the Problems panel's text satisfies `pred`; a timeout says
 *  what the panel and the active editor showed. */
async function untilProblems(what, pred, timeout) {
  return until(
    what,
    async () => {
      const shown = await problems();
      if (pred(shown)) {
        return true;
      }
      throw new Error(`Problems: ${JSON.stringify(shown)}; editor: ${JSON.stringify(await editorText())}`);
    },
    timeout,
  );
}
// Monaco renders spaces as U+00A0.
const editorText = async () => (await text(".monaco-editor .view-lines")).replace(/\u00a0/g, " ");

async function command(label) {
  await page.keyboard.press("F1");
  await page.waitForSelector(".quick-input-widget input", { state: "visible" });
  await page.keyboard.type(label);
  await sleep(400);
  await page.keyboard.press("Enter");
  await sleep(300);
}

async function openFile(name) {
  // Quick Open finds nothing until the workspace's files are listed: retry.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press("Control+P");
    await page.waitForSelector(".quick-input-widget input", { state: "visible" });
    await page.keyboard.type(name);
    await sleep(800 * attempt);
    await page.keyboard.press("Enter");
    try {
      await until(`${name} open`, async () => (await text(".tab.active")).includes(name), 5000);
      break;
    } catch (e) {
      await page.keyboard.press("Escape");
      if (attempt === 3) throw e;
    }
  }
  await page.keyboard.press("Control+1");
}

async function goTo(line, col) {
  await page.keyboard.press("Control+G");
  await page.waitForSelector(".quick-input-widget input", { state: "visible" });
  await page.keyboard.type(`${line}:${col}`);
  await page.keyboard.press("Enter");
  await sleep(200);
}

/** The `berth lsp` processes running `bin` (their ids). */
function servers(bin) {
  const out = cp.execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((l) => l.trim().match(/^(\d+) (.*)$/))
    .filter((m) => m && m[2] === `${bin} lsp`)
    .map((m) => Number(m[1]));
}

/** Wait until exactly one bundled server runs, and it is none of `before`. */
function untilNewServer(what, before) {
  return until(what, async () => {
    const now = servers(BUNDLED);
    return (now.length === 1 && !before.includes(now[0])) || `servers: ${JSON.stringify(now)}`;
  });
}

/** The `berth` output channel, as code-server logs it. */
function outputLog() {
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/-berth\.log$/.test(e.name)) found.push(p);
    }
  };
  walk(LOGS);
  return found.map((p) => fs.readFileSync(p, "utf8")).join("\n");
}

async function main() {
  const t0 = Date.now();
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    // Tall enough that the Problems panel shows every row the checks look for
    // (its list only renders the rows in view).
    page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
    await page.goto(`${URL}/?folder=${encodeURIComponent(WS)}`);
    await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
    await sleep(1500);
    await page.keyboard.press("Control+Shift+M"); // the Problems panel stays open

    await check("Dockerfile: findings in the Problems panel, from the bundled berth", async () => {
      await openFile("Dockerfile");
      await untilProblems("DL3008 in Problems", (p) => p.includes("DL3008"));
      if (servers(BUNDLED).length !== 1) throw new Error(`expected one ${BUNDLED} lsp, got ${servers(BUNDLED)}`);
    });

    await check("Compose file: findings in the Problems panel", async () => {
      await openFile("compose.yaml");
      await untilProblems("BC1014 in Problems", (p) => p.includes("BC1014"));
    });

    await check("language status item shows the running server and its version", async () => {
      await openFile("Dockerfile");
      await until("status item", async () => {
        const bar = await text(".statusbar");
        // The language status shows the `{}` entry; its hover lists the items.
        await page.locator(".statusbar-item.language-status, #status\\.languageStatus").first().hover();
        await sleep(500);
        const hover = await text(".monaco-hover, .context-view");
        return (/berth 0\.\d+\.\d+/.test(hover + bar) && /Restart/.test(hover)) || `${bar} | ${hover}`;
      });
      await page.mouse.move(700, 300);
    });

    await check("hover on RUN shows its reference", async () => {
      await goTo(2, 2);
      await command("Show or Focus Hover");
      await until("hover text", async () => (await text(".monaco-hover")).includes("Runs a command in a new layer"));
      await page.keyboard.press("Escape");
    });

    await check("quick fix: Add --no-install-recommends", async () => {
      await goTo(2, 30);
      await page.keyboard.press("Control+.");
      const wanted = "Add --no-install-recommends";
      await until("the quick fix in the menu", async () => {
        const rows = await page.locator(".action-widget .monaco-list-row").allInnerTexts();
        return rows.some((r) => r.includes(wanted)) || rows;
      });
      // Walk down with the keyboard until the action is the focused row (the
      // menu has group headers, and its first focus is the widget's choice).
      const focused = () => page.locator(".action-widget .monaco-list-row.focused").allInnerTexts();
      for (let k = 0; !(await focused()).join("").includes(wanted); k++) {
        if (k === 20) throw new Error(`never focused ${wanted}; focused: ${JSON.stringify(await focused())}`);
        await page.keyboard.press("ArrowDown");
        await sleep(50);
      }
      await page.keyboard.press("Enter");
      await until("the edit", async () => {
        const t = await editorText();
        return t.includes("install --no-install-recommends -y curl") || t;
      });
      if (/ignore=/.test(await editorText())) throw new Error(`another action was applied:\n${await editorText()}`);
      // Unsaved: the file on disk changes only with the save below.
      if (fs.readFileSync(path.join(WS, "Dockerfile"), "utf8") !== DOCKERFILE) throw new Error("saved already");
    });

    await check("fix-all on save writes the safe fixes", async () => {
      await page.keyboard.press("Control+S");
      await until("FROM debian:12 AS build on disk", async () => {
        const disk = fs.readFileSync(path.join(WS, "Dockerfile"), "utf8");
        // The quick fix's flag, fix-all's casing, and not fix-all's unsafe
        // fixes (removing the apt lists changes the build).
        const ok =
          disk.startsWith("FROM debian:12 AS build\n") &&
          disk.includes("install --no-install-recommends -y curl") &&
          !disk.includes("/var/lib/apt/lists");
        return ok || disk;
      });
    });

    await check("a setting changed in .vscode/settings.json applies live", async () => {
      settings({ "berth.rules.ignore": ["DL3008"] });
      await untilProblems("DL3008 gone", (p) => !p.includes("DL3008") && p.includes("BC1014"));
      settings({});
      await untilProblems("DL3008 back", (p) => p.includes("DL3008"));
    });

    let before = servers(BUNDLED);
    await check("berth: Restart Language Server starts a new server", async () => {
      await command("berth: Restart Language Server");
      await untilNewServer("a new server", before);
      await untilProblems("DL3008 again", (p) => p.includes("DL3008"));
    });

    await check("a server killed while the user types is started again and lints the edits", async () => {
      await openFile("Dockerfile");
      // KILLS times: kill the server and type while it is down (the editor's
      // changes then fail to reach it) or restarting, from a different moment
      // each round (0, 60, 120... ms after the kill).
      for (let round = 0; round < KILLS; round++) {
        await page.keyboard.press("Control+End");
        await page.keyboard.press("Enter");
        before = servers(BUNDLED);
        if (before.length !== 1) throw new Error(`round ${round}: servers ${JSON.stringify(before)}`);
        process.kill(before[0], "SIGKILL");
        await sleep(round * 60);
        await page.keyboard.type(`LABEL round=${round}`);
        await page.keyboard.press("Enter");
        await page.keyboard.type(`MAINTAINER someone${round}`);
        // One DL4000 per MAINTAINER line typed so far: the server has every edit.
        await untilProblems(`DL4000 for the ${round + 1} new lines`, (p) => (p.match(/DL4000/g) || []).length === round + 1);
        await untilNewServer(`a new server after kill ${round + 1}`, before);
      }
      await page.keyboard.press("Escape");
    });

    await check("a server that keeps dying is not started again, and the user is told", async () => {
      for (const pid of servers(BUNDLED)) process.kill(pid, "SIGKILL");
      await until("the notification", async () => (await text(".notifications-toasts")).includes("is not started again") || (await text(".notifications-toasts")));
      await sleep(1000);
      if (servers(BUNDLED).length !== 0) throw new Error(`started again: ${servers(BUNDLED)}`);
    });

    await check("a wrong berth.path is reported, and correcting it while the error is open brings berth back", async () => {
      settings({ "berth.path": "/nonexistent/berth" });
      await until("the error notification", async () => (await text(".notifications-toasts")).includes("cannot find the berth binary"));
      await untilProblems("findings cleared", (p) => !p.includes("DL3008"));
      if (servers(BUNDLED).length !== 0) throw new Error("the old server is still running");
      settings({ "berth.path": BERTH });
      await until("a server from berth.path", async () => servers(BERTH).length === 1);
      await untilProblems("findings back", (p) => p.includes("DL3008"));
      if (!(await text(".notifications-toasts")).includes("cannot find the berth binary")) {
        throw new Error("the notification was closed before the correction (the test proves nothing)");
      }
    });

    await check("the output channel: one ready line per start, no Debug dumps", async () => {
      const log = outputLog();
      // The extension starts berth three times (at first, Restart, berth.path);
      // vscode-languageclient started it once more after each kill.
      const starts = (log.match(/^starting .* lsp$/gm) || []).length;
      const ready = (log.match(/language server ready/g) || []).length;
      if (starts !== 3 || ready !== starts + KILLS) throw new Error(`${starts} starts, ${ready} ready lines:\n${log}`);
      if (/Settings \{|Some\(|None[,)]/.test(log)) throw new Error(`a Debug dump:\n${log}`);
      if (!log.includes(`starting ${BUNDLED} lsp`)) throw new Error(`the bundled berth was not used:\n${log}`);
    });
  } finally {
    await browser.close();
  }
  console.log(`vscode-e2e: ${passed} passed, ${failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
