//! `berth mcp`: a Model Context Protocol server over standard input and
//! output, on the official Rust SDK (`rmcp`), for coding agents.
//!
//! Tools: `lint`, `fix`, `explain_rule`, `explain_build`, `compose_config`.
//! Each answers with structured JSON (`structuredContent`) and the same
//! result as readable text. Wrong arguments and failures are MCP errors
//! (JSON-RPC errors), never a crash: `lint`, `fix` and `compose_config` run
//! this same binary's commands as child processes (so a panic in one file's
//! lint cannot end the server, and each call reads the configuration as the
//! command line does); `explain_rule` and `explain_build` run in process,
//! on the blocking pool, behind `catch_unwind`.

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, JsonObject, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;

#[derive(Clone)]
struct Berth {
    /// This binary, run for `lint`, `fix` and `compose_config`.
    exe: PathBuf,
}

fn schema(v: Value) -> Arc<JsonObject> {
    match v {
        Value::Object(m) => Arc::new(m),
        _ => Arc::new(JsonObject::new()),
    }
}

fn tools() -> Vec<Tool> {
    let source = json!({
        "path": {"type": "string", "description": "A Dockerfile, Compose file or folder on disk (relative to the server's working folder)."},
        "text": {"type": "string", "description": "The file's text, instead of a path."},
        "kind": {"type": "string", "enum": ["dockerfile", "compose"], "description": "With text: what the text is (default dockerfile)."},
        "filename": {"type": "string", "description": "With text: the name to report it under (also picks the kind)."}
    });
    let mut lint_props = source.as_object().cloned().unwrap_or_default();
    lint_props.insert(
        "shellcheck".into(),
        json!({"type": "boolean", "description": "Also run ShellCheck on RUN scripts when it is installed (default false: faster)."}),
    );
    let mut fix_props = source.as_object().cloned().unwrap_or_default();
    fix_props.insert(
        "apply".into(),
        json!({"type": "boolean", "description": "Write the fixes to the file at path (default false: only a unified diff). With text, the fixed text is returned."}),
    );
    fix_props.insert(
        "unsafe_fixes".into(),
        json!({"type": "boolean", "description": "Also apply unsafe fixes (they change what the build does). Default false."}),
    );
    vec![
        Tool::new(
            "lint",
            "Lint a Dockerfile or Compose file with berth (the path of a file or folder, or the text with its kind). \
             Returns the findings as berth check --format json: code, rule name, severity, message, 1-based range and fix.",
            schema(json!({"type": "object", "properties": Value::Object(lint_props)})),
        ),
        Tool::new(
            "fix",
            "Fix berth's findings that have automatic fixes: preview as a unified diff (default), or apply the safe fixes \
             (apply=true) to the file, or return the fixed text.",
            schema(json!({"type": "object", "properties": Value::Object(fix_props)})),
        ),
        Tool::new(
            "explain_rule",
            "The documentation of a berth rule: what it checks, why, an example, the fix and references. \
             Takes a code (DL3008, BD1003, BC1014), a rule name or a BuildKit check name.",
            schema(json!({
                "type": "object",
                "properties": {"rule": {"type": "string", "description": "Code, name or BuildKit name."}},
                "required": ["rule"]
            })),
        ),
        Tool::new(
            "explain_build",
            "Explain why a container build failed from its output (docker build / buildx in plain, tty or rawjson progress; \
             buildah; podman): the failing Dockerfile instruction with its range, the cause, concrete fixes, the log lines \
             that show it, and berth findings that bear on it.",
            schema(json!({
                "type": "object",
                "properties": {
                    "log": {"type": "string", "description": "The build output."},
                    "log_path": {"type": "string", "description": "A file holding the build output, instead of log."},
                    "dockerfile": {"type": "string", "description": "The Dockerfile built (default: the one the log names, else ./Dockerfile)."},
                    "context": {"type": "string", "description": "The build context folder (default: the Dockerfile's folder)."}
                }
            })),
        ),
        Tool::new(
            "compose_config",
            "The merged Compose project, as docker compose config computes it (files merged, extends and include \
             applied, profiles, variables interpolated), as JSON.",
            schema(json!({
                "type": "object",
                "properties": {
                    "files": {"type": "array", "items": {"type": "string"}, "description": "Compose files in merge order (default: compose.yaml and its override in project_directory)."},
                    "project_directory": {"type": "string", "description": "The project folder (default: the server's working folder)."},
                    "profiles": {"type": "array", "items": {"type": "string"}},
                    "services": {"type": "array", "items": {"type": "string"}, "description": "Only these services and their dependencies."}
                }
            })),
        ),
    ]
}

fn invalid(msg: impl Into<String>) -> McpError {
    McpError::invalid_params(msg.into(), None)
}

fn str_arg<'a>(args: &'a JsonObject, key: &str) -> Result<Option<&'a str>, McpError> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(invalid(format!("`{key}` must be a string"))),
    }
}

fn bool_arg(args: &JsonObject, key: &str) -> Result<bool, McpError> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(invalid(format!("`{key}` must be a boolean"))),
    }
}

fn list_arg(args: &JsonObject, key: &str) -> Result<Vec<String>, McpError> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| invalid(format!("`{key}` must be a list of strings")))
            })
            .collect(),
        Some(_) => Err(invalid(format!("`{key}` must be a list of strings"))),
    }
}

/// What a `lint` or `fix` call works on.
enum Source {
    Path(String),
    Text { text: String, name: String },
}

fn source(args: &JsonObject) -> Result<Source, McpError> {
    match (str_arg(args, "path")?, str_arg(args, "text")?) {
        (Some(_), Some(_)) => Err(invalid("give either `path` or `text`, not both")),
        (None, None) => Err(invalid("give `path` (a file or folder) or `text` (with `kind`)")),
        (Some(p), None) => {
            if !std::path::Path::new(p).exists() {
                return Err(invalid(format!("{p}: no such file or folder")));
            }
            Ok(Source::Path(p.to_string()))
        }
        (None, Some(t)) => {
            let name = match (str_arg(args, "filename")?, str_arg(args, "kind")?) {
                (Some(n), _) => n.to_string(),
                (None, None | Some("dockerfile")) => "Dockerfile".to_string(),
                (None, Some("compose")) => "compose.yaml".to_string(),
                (None, Some(k)) => return Err(invalid(format!("`kind` must be `dockerfile` or `compose`, not `{k}`"))),
            };
            Ok(Source::Text { text: t.to_string(), name })
        }
    }
}

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Berth {
    fn run(&self, args: &[String], stdin: Option<&str>) -> Result<Output, McpError> {
        let mut cmd = Command::new(&self.exe);
        cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        cmd.env("NO_COLOR", "1");
        let mut child = cmd.spawn().map_err(|e| McpError::internal_error(format!("cannot run berth: {e}"), None))?;
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            let text = text.to_string();
            // Written from a thread, so a large text cannot block against a full stdout pipe.
            std::thread::spawn(move || {
                let _ = pipe.write_all(text.as_bytes());
            });
        }
        let out = child.wait_with_output().map_err(|e| McpError::internal_error(format!("berth: {e}"), None))?;
        Ok(Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }

    /// A child that failed (exit 2 and above, or a signal) is the caller's error or berth's.
    fn failed(out: &Output) -> McpError {
        let msg = out.stderr.trim();
        let msg = if msg.is_empty() { format!("berth exited with {}", out.code) } else { msg.to_string() };
        if out.code == 2 { invalid(msg) } else { McpError::internal_error(msg, None) }
    }

    fn lint(&self, args: &JsonObject) -> Result<CallToolResult, McpError> {
        let mut argv: Vec<String> = vec!["check".into(), "--format".into(), "json".into(), "--no-fail".into()];
        if !bool_arg(args, "shellcheck")? {
            argv.push("--no-shellcheck".into());
        }
        let out = match source(args)? {
            Source::Path(p) => {
                argv.push(p);
                self.run(&argv, None)?
            }
            Source::Text { text, name } => {
                argv.extend(["--stdin-filename".into(), name, "-".into()]);
                self.run(&argv, Some(&text))?
            }
        };
        if out.code != 0 {
            return Err(Self::failed(&out));
        }
        let doc: Value = serde_json::from_str(&out.stdout)
            .map_err(|e| McpError::internal_error(format!("berth check gave no JSON: {e}"), None))?;
        let mut text = String::new();
        let diags = doc.get("diagnostics").and_then(Value::as_array).cloned().unwrap_or_default();
        for d in &diags {
            let g = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("");
            let line = d.pointer("/range/start/line").and_then(Value::as_u64).unwrap_or(0);
            let col = d.pointer("/range/start/column").and_then(Value::as_u64).unwrap_or(0);
            let fix = if d.get("fix").is_some_and(|f| !f.is_null()) { " (fixable)" } else { "" };
            text.push_str(&format!(
                "{}:{line}:{col}: {} {} {}: {}{fix}\n",
                g("file"),
                g("severity"),
                g("code"),
                g("name"),
                g("message")
            ));
        }
        text.push_str(&format!("{} finding(s)\n", diags.len()));
        Ok(result(doc, text))
    }

    fn fix(&self, args: &JsonObject) -> Result<CallToolResult, McpError> {
        let apply = bool_arg(args, "apply")?;
        let mut argv: Vec<String> = vec!["fix".into()];
        if bool_arg(args, "unsafe_fixes")? {
            argv.push("--unsafe-fixes".into());
        }
        match source(args)? {
            Source::Path(p) => {
                if !apply {
                    argv.push("--diff".into());
                }
                argv.push(p.clone());
                let out = self.run(&argv, None)?;
                if out.code >= 2 || out.code < 0 {
                    return Err(Self::failed(&out));
                }
                let summary = out.stderr.trim().to_string();
                if apply {
                    let doc = json!({"path": p, "applied": true, "summary": summary});
                    Ok(result(doc, format!("{summary}\n")))
                } else {
                    let doc = json!({"path": p, "applied": false, "diff": out.stdout, "changed": !out.stdout.is_empty(), "summary": summary});
                    let text = if out.stdout.is_empty() {
                        format!("no fix to apply\n{summary}\n")
                    } else {
                        out.stdout.clone()
                    };
                    Ok(result(doc, text))
                }
            }
            Source::Text { text, name } => {
                argv.extend(["--stdin-filename".into(), name.clone()]);
                let mut diff_argv = argv.clone();
                diff_argv.extend(["--diff".into(), "-".into()]);
                let diff = self.run(&diff_argv, Some(&text))?;
                if diff.code >= 2 || diff.code < 0 {
                    return Err(Self::failed(&diff));
                }
                let summary = diff.stderr.trim().to_string();
                let mut doc = json!({"filename": name, "diff": diff.stdout, "changed": !diff.stdout.is_empty(), "summary": summary});
                let mut shown =
                    if diff.stdout.is_empty() { format!("no fix to apply\n{summary}\n") } else { diff.stdout.clone() };
                if apply {
                    argv.push("-".into());
                    let fixed = self.run(&argv, Some(&text))?;
                    if fixed.code >= 2 || fixed.code < 0 {
                        return Err(Self::failed(&fixed));
                    }
                    doc["fixed_text"] = Value::String(fixed.stdout.clone());
                    shown = fixed.stdout;
                }
                Ok(result(doc, shown))
            }
        }
    }

    fn compose_config(&self, args: &JsonObject) -> Result<CallToolResult, McpError> {
        let mut argv: Vec<String> = vec!["compose".into(), "config".into(), "--format".into(), "json".into()];
        for f in list_arg(args, "files")? {
            argv.extend(["-f".into(), f]);
        }
        for p in list_arg(args, "profiles")? {
            argv.extend(["--profile".into(), p]);
        }
        if let Some(d) = str_arg(args, "project_directory")? {
            argv.extend(["--project-directory".into(), d.to_string()]);
        }
        argv.extend(list_arg(args, "services")?);
        let out = self.run(&argv, None)?;
        if out.code != 0 {
            return Err(Self::failed(&out));
        }
        let doc: Value = serde_json::from_str(&out.stdout)
            .map_err(|e| McpError::internal_error(format!("berth compose config gave no JSON: {e}"), None))?;
        Ok(result(doc, out.stdout))
    }
}

fn explain_rule(args: &JsonObject) -> Result<CallToolResult, McpError> {
    let rule = str_arg(args, "rule")?.ok_or_else(|| invalid("`rule` is required"))?;
    let Some(m) = berth_rules::rules::find(rule) else {
        let names = berth_rules::rules::metas().into_iter().flat_map(|m| [m.code, m.name]);
        let hint =
            berth_rules::util::closest(rule, names).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
        return Err(invalid(format!("no rule `{rule}`{hint}")));
    };
    let page = crate::rules_cmd::page(m);
    let doc = json!({"code": m.code, "name": m.name, "documentation": m.docs.trim_end()});
    Ok(result(doc, page))
}

fn explain_build(args: &JsonObject) -> Result<CallToolResult, McpError> {
    let log = match (str_arg(args, "log")?, str_arg(args, "log_path")?) {
        (Some(l), None) => l.to_string(),
        (None, Some(p)) => std::fs::read(p)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| invalid(format!("{p}: cannot read: {e}")))?,
        (Some(_), Some(_)) => return Err(invalid("give either `log` or `log_path`, not both")),
        (None, None) => return Err(invalid("give `log` (the build output) or `log_path`")),
    };
    let inputs = crate::explain_build::Inputs {
        dockerfile: str_arg(args, "dockerfile")?.map(PathBuf::from),
        context: str_arg(args, "context")?.map(PathBuf::from),
    };
    if let Some(d) = &inputs.dockerfile
        && !d.is_file()
    {
        return Err(invalid(format!("{}: no such file", d.display())));
    }
    let report = crate::explain_build::explain(&log, &inputs);
    let text = crate::explain_build::render_tty(&report);
    let doc = serde_json::to_value(&report).map_err(|e| McpError::internal_error(e.to_string(), None))?;
    Ok(result(doc, text))
}

fn result(doc: Value, text: String) -> CallToolResult {
    let mut r = CallToolResult::success(vec![ContentBlock::text(text)]);
    r.structured_content = Some(doc);
    r
}

impl Berth {
    fn call(&self, name: &str, args: &JsonObject) -> Result<CallToolResult, McpError> {
        match name {
            "lint" => self.lint(args),
            "fix" => self.fix(args),
            "compose_config" => self.compose_config(args),
            "explain_rule" => explain_rule(args),
            "explain_build" => explain_build(args),
            other => Err(invalid(format!(
                "unknown tool `{other}`; berth's tools are lint, fix, explain_rule, explain_build, compose_config"
            ))),
        }
    }
}

impl ServerHandler for Berth {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("berth", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "berth lints Dockerfiles and Docker Compose files. Use `lint` after editing one, `fix` to preview or \
                 apply its automatic fixes, `explain_rule` for a finding's rule, `explain_build` when a docker build \
                 fails, and `compose_config` to see a Compose project as Compose merges it.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        Ok(ListToolsResult::with_all_items(tools()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let this = self.clone();
        let name = request.name.to_string();
        let args = request.arguments.unwrap_or_default();
        let joined = tokio::task::spawn_blocking(move || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| this.call(&name, &args)))
        })
        .await;
        match joined {
            Ok(Ok(r)) => r.map(CallToolResponse::from),
            Ok(Err(_)) | Err(_) => Err(McpError::internal_error("berth failed on this call (an internal error)", None)),
        }
    }
}

pub fn run() -> ExitCode {
    let exe = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("berth mcp: cannot find its own binary: {e}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("berth mcp: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    rt.block_on(async {
        let service = match (Berth { exe }).serve(rmcp::transport::stdio()).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("berth mcp: {e}");
                return ExitCode::from(1);
            }
        };
        match service.waiting().await {
            Ok(_) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("berth mcp: {e}");
                ExitCode::from(1)
            }
        }
    })
}
