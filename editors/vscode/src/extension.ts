// berth for VS Code: starts `berth lsp` and connects it to Dockerfiles and
// Compose files through vscode-languageclient.

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";
import {
  CloseAction,
  CloseHandlerResult,
  DidChangeConfigurationNotification,
  DocumentSelector,
  ErrorAction,
  ErrorHandler,
  ErrorHandlerResult,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from "vscode-languageclient/node";

/** The files berth lints: what the Docker extensions call `dockerfile` and
 *  `dockercompose`, plus YAML files with a Compose name (berth's own rule:
 *  `compose*.y*ml` and `docker-compose*.y*ml`). */
const COMPOSE_GLOB = "**/{compose,docker-compose}*.{yml,yaml}";
const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: "file", language: "dockerfile" },
  { scheme: "untitled", language: "dockerfile" },
  { scheme: "file", language: "dockercompose" },
  { scheme: "untitled", language: "dockercompose" },
  { scheme: "file", language: "yaml", pattern: COMPOSE_GLOB },
];

let client: LanguageClient | undefined;
let starting: Promise<void> | undefined;
/** Set when the binary is missing or failed to start: files opened later do
 *  not retry (and re-report) until the settings change or the user restarts. */
let gaveUp = false;
let output: vscode.OutputChannel;
/** Configuration files berth reads: changes are sent as workspace/didChangeWatchedFiles. */
let watcher: vscode.FileSystemWatcher;
/** The berth binary inside a platform-specific .vsix (`bin/berth`), if any. */
let bundled: string | undefined;
/** The language status items (the `{}` next to the language name in the
 *  status bar): the server's state and version with Restart, and Show Output. */
let status: vscode.LanguageStatusItem;
let outputItem: vscode.LanguageStatusItem;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("berth");
  watcher = vscode.workspace.createFileSystemWatcher(
    "**/{berth.toml,.berth.toml,.hadolint.yaml,.hadolint.yml,.dockerignore,.dclintrc*}",
  );
  const exe = path.join(context.extensionPath, "bin", process.platform === "win32" ? "berth.exe" : "berth");
  bundled = fs.existsSync(exe) ? exe : undefined;
  status = vscode.languages.createLanguageStatusItem("berth.status", DOCUMENT_SELECTOR as vscode.DocumentSelector);
  status.name = "berth language server";
  outputItem = vscode.languages.createLanguageStatusItem("berth.output", DOCUMENT_SELECTOR as vscode.DocumentSelector);
  outputItem.name = "berth output";
  outputItem.text = "berth";
  outputItem.command = { title: "Show Output", command: "berth.showOutput" };
  setStatus("stopped");
  context.subscriptions.push(output, watcher, status, outputItem);

  context.subscriptions.push(
    vscode.commands.registerCommand("berth.restartServer", () => restart(true)),
    vscode.commands.registerCommand("berth.showOutput", () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration("berth")) {
        return;
      }
      if (e.affectsConfiguration("berth.path")) {
        // A new binary needs a new process.
        await restart(vscode.workspace.textDocuments.some(isBerthDocument));
      } else if (client) {
        // The rest reaches the running server as workspace/didChangeConfiguration.
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { berth: serverSettings() },
        });
      }
    }),
    // The extension activates on any YAML file (there is no activation event
    // for a file name), so the server starts only once a file it lints is open.
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (!client && !gaveUp && isBerthDocument(doc)) {
        void startClient(false);
      }
    }),
  );

  if (vscode.workspace.textDocuments.some(isBerthDocument)) {
    await startClient(false);
  }
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

function isBerthDocument(doc: vscode.TextDocument): boolean {
  return vscode.languages.match(DOCUMENT_SELECTOR as vscode.DocumentSelector, doc) > 0;
}

/** Expand `~`, and make a relative path that names a folder (or, with
 *  `always`, any relative path) absolute against the workspace folder of
 *  `scope` (else the first one). */
function expandPath(p: string, scope?: vscode.Uri, always = false): string {
  let out = p.trim();
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) {
    out = path.join(os.homedir(), out.slice(1));
  }
  const folder =
    (scope && vscode.workspace.getWorkspaceFolder(scope)?.uri.fsPath) ??
    vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!path.isAbsolute(out) && (always || out.includes("/") || out.includes("\\")) && folder) {
    out = path.join(folder, out);
  }
  return out;
}

/** The first executable called `name` on PATH. */
function whichOnPath(name: string): string | undefined {
  const exts = process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) {
          return candidate;
        }
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The `berth` binary to run: the `berth.path` setting, else the binary
 *  bundled in a platform-specific .vsix, else `berth` on PATH. */
function resolveBinary(): { command?: string; tried: string } {
  const configured = vscode.workspace.getConfiguration("berth").get<string>("path", "").trim();
  if (configured) {
    const p = expandPath(configured);
    if (path.isAbsolute(p)) {
      return { command: fs.existsSync(p) ? p : undefined, tried: p };
    }
    return { command: whichOnPath(p), tried: `${p} (on PATH)` };
  }
  if (bundled) {
    return { command: bundled, tried: bundled };
  }
  return { command: whichOnPath("berth"), tried: "berth (on PATH)" };
}

type ServerState = "starting" | "running" | "stopped" | "not found" | "failed";

/** Show the server's state in the language status item; its command restarts. */
function setStatus(state: ServerState, detail?: string): void {
  const version = client?.initializeResult?.serverInfo?.version;
  status.busy = state === "starting";
  status.severity =
    state === "not found" || state === "failed"
      ? vscode.LanguageStatusSeverity.Error
      : state === "stopped"
        ? vscode.LanguageStatusSeverity.Warning
        : vscode.LanguageStatusSeverity.Information;
  status.text = state === "running" && version ? `berth ${version}` : `berth: ${state}`;
  status.detail = detail ?? (state === "running" ? "running" : undefined);
  status.command = { title: state === "running" ? "Restart" : "Start", command: "berth.restartServer" };
}

/** How often a server that died by itself is started again: up to
 *  CRASH_LIMIT times within CRASH_WINDOW_MS, then the extension waits for
 *  the user (Restart). */
const CRASH_LIMIT = 5;
const CRASH_WINDOW_MS = 3 * 60 * 1000;

/** What the client does when the connection to `berth lsp` fails.
 *  vscode-languageclient's default shuts the client down after three failed
 *  writes in a row, and a server that dies while the user types (killed, out
 *  of memory, a crash) leaves the editor's keystrokes writing to a closed
 *  pipe: the client then stopped for good, and the file showed no findings
 *  until a manual restart. Here a failed write never stops the client; the
 *  close that follows decides, and restarts the server unless it died
 *  CRASH_LIMIT times in CRASH_WINDOW_MS. */
class RestartOnCrash implements ErrorHandler {
  private crashes: number[] = [];

  error(): ErrorHandlerResult {
    return { action: ErrorAction.Continue, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < CRASH_WINDOW_MS);
    this.crashes.push(now);
    if (this.crashes.length <= CRASH_LIMIT) {
      return { action: CloseAction.Restart, message: "berth lsp exited; starting it again" };
    }
    const msg = `berth: the language server exited ${this.crashes.length} times in ${CRASH_WINDOW_MS / 60000} minutes and is not started again; see the output, then restart it.`;
    void vscode.window.showErrorMessage(msg, "Restart", "Show Output").then((choice) => {
      if (choice === "Restart") {
        void restart(true);
      } else if (choice === "Show Output") {
        output.show(true);
      }
    });
    return { action: CloseAction.DoNotRestart, message: msg, handled: true };
  }
}

/** Stop the server (after a start in progress has finished) and start it
 *  again: for the Restart command and a new `berth.path`. */
async function restart(start: boolean): Promise<void> {
  gaveUp = false;
  if (starting) {
    await starting;
  }
  await stopClient();
  if (start) {
    await startClient(true);
  }
}

/** A string setting, or undefined (left out of the JSON) when it is empty. */
function nonEmpty(cfg: vscode.WorkspaceConfiguration, key: string): string | undefined {
  const v = cfg.get<string>(key, "").trim();
  return v === "" ? undefined : v;
}

/** The `berth` section as the server reads it, in initializationOptions,
 *  workspace/didChangeConfiguration ({ settings: { berth: ... } }) and
 *  answers to workspace/configuration: everything but the client-side keys
 *  (`path`, `trace`). Empty strings are left out so the server's defaults
 *  apply. */
function serverSettings(scope?: vscode.Uri): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration("berth", scope);
  const configFile = nonEmpty(cfg, "configFile");
  return {
    configFile: configFile === undefined ? undefined : expandPath(configFile, scope, true),
    rules: {
      select: cfg.get<string[]>("rules.select", []),
      ignore: cfg.get<string[]>("rules.ignore", []),
    },
    severity: cfg.get<Record<string, string>>("severity", {}),
    shellcheck: {
      enabled: cfg.get<boolean>("shellcheck.enabled", true),
      path: nonEmpty(cfg, "shellcheck.path"),
    },
    platforms: cfg.get<string[]>("platforms", []),
    asOf: nonEmpty(cfg, "asOf"),
    online: cfg.get<boolean>("online", false),
    ai: {
      enabled: cfg.get<boolean>("ai.enabled", false),
      baseUrl: nonEmpty(cfg, "ai.baseUrl"),
      model: nonEmpty(cfg, "ai.model"),
      apiKeyEnv: nonEmpty(cfg, "ai.apiKeyEnv"),
    },
  };
}

async function startClient(explicit: boolean): Promise<void> {
  if (client) {
    return;
  }
  if (starting) {
    return starting;
  }
  starting = (async () => {
    const { command, tried } = resolveBinary();
    if (!command) {
      gaveUp = true;
      const msg = `berth: cannot find the berth binary (${tried}). Install it ("pip install berth-lint", or "cargo install --path server" in a berth checkout) or set "berth.path".`;
      output.appendLine(msg);
      setStatus("not found", tried);
      // Not awaited: while the notification is open, a corrected berth.path
      // or Restart must be able to start the server.
      void vscode.window.showErrorMessage(msg, "Open Settings").then((choice) => {
        if (choice === "Open Settings") {
          void vscode.commands.executeCommand("workbench.action.openSettings", "berth.path");
        }
      });
      return;
    }
    output.appendLine(`starting ${command} lsp`);
    setStatus("starting", command);

    const serverOptions: ServerOptions = {
      run: { command, args: ["lsp"] },
      debug: { command, args: ["lsp"] },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      initializationOptions: serverSettings(),
      middleware: {
        workspace: {
          // workspace/configuration (pull model): answer for the `berth`
          // section with the same shape as initializationOptions.
          configuration: (params, token, next) => {
            if (!params.items.some((i) => i.section === "berth")) {
              return next(params, token);
            }
            return params.items.map((item) => {
              if (item.section !== "berth") {
                const scoped = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
                return item.section ? vscode.workspace.getConfiguration(undefined, scoped).get(item.section) ?? null : null;
              }
              return serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined);
            });
          },
        },
      },
      synchronize: { fileEvents: watcher },
      errorHandler: new RestartOnCrash(),
      outputChannel: output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
    };

    const c = new LanguageClient("berth", "berth", serverOptions, clientOptions);
    // The client restarts a server that died by itself; the item follows.
    c.onDidChangeState((e) => {
      if (client !== c) {
        return;
      }
      if (e.newState === State.Running) {
        setStatus("running", command);
      } else if (e.newState === State.Starting) {
        setStatus("starting", command);
      } else {
        setStatus("stopped");
      }
    });
    try {
      await c.start();
      client = c;
      setStatus("running", command);
      if (explicit) {
        void vscode.window.setStatusBarMessage("berth: language server started", 3000);
      }
    } catch (err) {
      gaveUp = true;
      output.appendLine(`berth lsp failed to start: ${String(err)}`);
      setStatus("failed", String(err));
      void vscode.window.showErrorMessage(`berth: the language server failed to start (${String(err)}).`);
      try {
        await c.dispose();
      } catch {
        // already gone
      }
    }
  })();
  try {
    await starting;
  } finally {
    starting = undefined;
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch (err) {
      output.appendLine(`stopping berth lsp: ${String(err)}`);
    }
    setStatus("stopped");
  }
}
