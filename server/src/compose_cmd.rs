//! `berth compose config`: the Compose project as berth judges it, printed as
//! `docker compose config` prints it (files merged, profiles applied,
//! variables interpolated).
//!
//! Front-end work only: which files make the project (`-f`, `COMPOSE_FILE`,
//! or the default names found from the project folder upwards), the
//! project folder, the environment (`.env` or `--env-file`, with the process
//! environment winning as it does for `docker compose`), and the output. The
//! merge, includes, `extends` and profiles are `berth_rules::compose::merge`
//! and `profiles`.

use berth_rules::compose::env::Env;
use berth_rules::compose::{Key, Kind, Node, Style, interpolate, merge, profiles};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum ComposeCommand {
    /// Print the merged Compose project (files merged, profiles applied, variables interpolated), as `docker compose config` does.
    Config(ConfigArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ConfigFormat {
    Yaml,
    Json,
}

#[derive(clap::Args)]
pub struct ConfigArgs {
    /// Compose files, merged in order (default: `COMPOSE_FILE`, else `compose.yaml` and its override file); `-` reads standard input.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The project name (default: `COMPOSE_PROJECT_NAME`, else the top-level `name`, else the project folder's name).
    #[arg(short = 'p', long, value_name = "NAME")]
    pub project_name: Option<String>,
    /// Enable a profile (repeatable; default: `COMPOSE_PROFILES`).
    #[arg(long, value_name = "PROFILE")]
    pub profile: Vec<String>,
    /// The project folder (default: the folder of the first file).
    #[arg(long, value_name = "DIR")]
    pub project_directory: Option<PathBuf>,
    /// Read variables from these files instead of the project's `.env` (repeatable; default: `COMPOSE_ENV_FILES`, comma-separated).
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ConfigFormat::Yaml)]
    pub format: ConfigFormat,
    /// Only these services and their dependencies (their profiles are enabled).
    #[arg(value_name = "SERVICE")]
    pub services: Vec<String>,
}

pub fn run(cmd: ComposeCommand) -> ExitCode {
    match cmd {
        ComposeCommand::Config(args) => match config(&args) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("berth: {e}");
                ExitCode::from(1)
            }
        },
    }
}

const BASE_NAMES: [&str; 4] = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
const OVERRIDE_NAMES: [&str; 4] =
    ["compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"];

fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() { p.to_path_buf() } else { cwd.join(p) }
}

fn read_env_file(path: &Path, env: &mut Env, overwrite: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("couldn't read env file {}: {e}", path.display()))?;
    for (k, v) in Env::from_dotenv(&text).iter() {
        if overwrite || env.get(k).is_none() {
            env.insert(k, v);
        }
    }
    Ok(())
}

/// The merged, interpolated project as text.
pub fn config(args: &ConfigArgs) -> Result<String, String> {
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let os: Vec<(String, String)> = std::env::vars().collect();
    // `--env-file`, else `COMPOSE_ENV_FILES` (comma-separated), as docker compose reads them.
    let env_files: Vec<PathBuf> = if args.env_file.is_empty() {
        std::env::var("COMPOSE_ENV_FILES")
            .ok()
            .map(|v| v.split(',').filter(|s| !s.is_empty()).map(PathBuf::from).collect())
            .unwrap_or_default()
    } else {
        args.env_file.clone()
    };
    let stdin_used = args.files.iter().any(|f| f.as_os_str() == "-");
    let stdin_text = if stdin_used {
        let mut t = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut t)
            .map_err(|e| format!("couldn't read the Compose file from standard input: {e}"))?;
        Some(t)
    } else {
        None
    };
    let first_dir = args
        .project_directory
        .as_deref()
        .map(|d| absolute(&cwd, d))
        .or_else(|| {
            args.files
                .first()
                .filter(|f| f.as_os_str() != "-")
                .and_then(|f| absolute(&cwd, f).parent().map(Path::to_path_buf))
        })
        .unwrap_or_else(|| cwd.clone());
    // The project environment: env files, then the process environment on top.
    let mut dotenv = Env::default();
    if env_files.is_empty() {
        let p = first_dir.join(".env");
        if p.is_file() {
            read_env_file(&p, &mut dotenv, true)?;
        }
    } else {
        for f in &env_files {
            read_env_file(&absolute(&cwd, f), &mut dotenv, true)?;
        }
    }
    let mut env = dotenv.clone();
    for (k, v) in &os {
        env.insert(k.clone(), v.clone());
    }
    // The files.
    // Standard input stands for a file named `-` in the current folder (docker
    // compose resolves its relative paths from there).
    let mut files: Vec<PathBuf> = args.files.iter().map(|f| absolute(&cwd, f)).collect();
    if files.is_empty()
        && let Some(list) = env.get("COMPOSE_FILE").filter(|v| !v.is_empty())
    {
        let sep = env.get("COMPOSE_PATH_SEPARATOR").filter(|s| !s.is_empty()).unwrap_or(":").to_string();
        files = list.split(sep.as_str()).filter(|s| !s.is_empty()).map(|f| absolute(&cwd, Path::new(f))).collect();
        for f in &files {
            if !f.is_file() {
                return Err(format!("{}: no such file (from COMPOSE_FILE)", f.display()));
            }
        }
    }
    if files.is_empty() {
        let mut dir = Some(first_dir.as_path());
        while let Some(d) = dir {
            if let Some(base) = BASE_NAMES.iter().map(|n| d.join(n)).find(|p| p.is_file()) {
                files.push(base);
                if let Some(o) = OVERRIDE_NAMES.iter().map(|n| d.join(n)).find(|p| p.is_file()) {
                    files.push(o);
                }
                break;
            }
            dir = d.parent();
        }
        if files.is_empty() {
            return Err("no configuration file provided: not found".into());
        }
    }
    let project_dir = match &args.project_directory {
        Some(d) => absolute(&cwd, d),
        None => files[0].parent().map(Path::to_path_buf).unwrap_or_else(|| cwd.clone()),
    };
    if env_files.is_empty() && project_dir != first_dir {
        let p = project_dir.join(".env");
        if p.is_file() {
            read_env_file(&p, &mut env, false)?;
        }
    }
    let requests: Vec<String> = files
        .iter()
        .map(|f| match f.strip_prefix(&project_dir) {
            Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
            Err(_) => f.to_string_lossy().into_owned(),
        })
        .collect();
    let stdin_path = absolute(&cwd, Path::new("-"));
    let loaded = merge::load(&requests, &env, &mut |r| match &stdin_text {
        Some(t) if project_dir.join(&r.path) == stdin_path => {
            berth_rules::compose::project::Found::File(Some(t.clone()))
        }
        _ => berth_workspace::Files::disk().answer(&project_dir, r),
    })?;
    let Some(root) = &loaded.merged.root else { return Err("empty compose file".into()) };

    // Profiles and selected services.
    let active = profiles::active(&args.profile, &env);
    let enabled = profiles::enabled_services(&loaded.merged.services, &active, &args.services, &env);
    let mut keep: Vec<&str> = Vec::new();
    if args.services.is_empty() {
        keep = enabled.iter().map(|s| s.name.as_str()).collect();
    } else {
        let mut todo: Vec<String> = args.services.clone();
        while let Some(name) = todo.pop() {
            if keep.contains(&name.as_str()) {
                continue;
            }
            let Some(s) = enabled.iter().find(|s| s.name == name) else {
                return Err(format!("no such service: {name}"));
            };
            keep.push(s.name.as_str());
            if let Some(deps) = s.node.get("depends_on") {
                match &deps.kind {
                    Kind::Map(e) => todo.extend(e.iter().map(|(k, _)| k.text.clone())),
                    Kind::Seq(items) => todo.extend(items.iter().filter_map(Node::str).map(str::to_string)),
                    _ => {}
                }
            }
        }
    }

    // The printed model.
    let name = project_name(args.project_name.as_deref(), root, &env, &project_dir)?;
    let mut top: Vec<(Key, Node)> = vec![(key("name"), scalar(&name))];
    let sorted = |n: &Node, filter: &dyn Fn(&str) -> bool| -> Node {
        let mut e: Vec<(Key, Node)> = n.entries().iter().filter(|(k, _)| filter(&k.text)).cloned().collect();
        e.sort_by(|a, b| a.0.text.cmp(&b.0.text));
        e.dedup_by(|a, b| a.0.text == b.0.text);
        Node { kind: Kind::Map(e), ..n.clone() }
    };
    for section in ["services", "networks", "volumes", "secrets", "configs", "models"] {
        let Some(n) = root.get(section) else { continue };
        let mut n = if section == "services" { sorted(n, &|s| keep.contains(&s)) } else { sorted(n, &|_| true) };
        if section == "services"
            && let Kind::Map(services) = &mut n.kind
        {
            for (_, s) in services.iter_mut() {
                long_depends_on(s);
            }
        }
        top.push((key(section), n));
    }
    for (k, v) in root.entries() {
        let skip = ["name", "version", "include", "services", "networks", "volumes", "secrets", "configs", "models"];
        if !skip.contains(&k.text.as_str()) {
            top.push((k.clone(), v.clone()));
        }
    }
    let mut out = Node { kind: Kind::Map(top), ..root.clone() };
    interpolate_all(&mut out, &env)?;
    Ok(match args.format {
        ConfigFormat::Yaml => {
            let mut s = String::new();
            yaml_map(out.entries(), 0, &mut s);
            s
        }
        ConfigFormat::Json => {
            let mut s = serde_json::to_string_pretty(&json(&out)).map_err(|e| e.to_string())?;
            s.push('\n');
            s
        }
    })
}

fn key(text: &str) -> Key {
    Key { text: text.to_string(), span: Default::default(), style: Style::Plain, via: None }
}

fn scalar(text: &str) -> Node {
    Node {
        span: Default::default(),
        kind: Kind::Scalar { text: text.to_string(), style: Style::Plain },
        anchor: 0,
        via: None,
        file: 0,
    }
}

/// `depends_on: [db]` in its long form, as `docker compose config` prints it:
/// `db: {condition: service_started, required: true}`.
fn long_depends_on(service: &mut Node) {
    let Kind::Map(entries) = &mut service.kind else { return };
    let Some((_, deps)) = entries.iter_mut().find(|(k, _)| k.text == "depends_on") else { return };
    let Kind::Seq(items) = &deps.kind else { return };
    let long: Vec<(Key, Node)> = items
        .iter()
        .filter_map(Node::str)
        .map(|name| {
            let settings = vec![(key("condition"), scalar("service_started")), (key("required"), scalar("true"))];
            (key(name), Node { kind: Kind::Map(settings), ..scalar("") })
        })
        .collect();
    deps.kind = Kind::Map(long);
}

/// compose-go's `NormalizeProjectName`: lower case, `a-z 0-9 _ -`, no leading `_`/`-`.
fn normalize_name(s: &str) -> String {
    let lower = s.to_lowercase();
    let kept: String =
        lower.chars().filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-').collect();
    kept.trim_start_matches(['_', '-']).to_string()
}

/// The project name by docker compose's precedence: `-p`, then
/// `COMPOSE_PROJECT_NAME`, then the top-level `name`, then the folder.
fn project_name(flag: Option<&str>, root: &Node, env: &Env, dir: &Path) -> Result<String, String> {
    if let Some(n) = flag.or_else(|| env.get("COMPOSE_PROJECT_NAME")).filter(|n| !n.is_empty()) {
        if normalize_name(n) != n {
            return Err(format!("invalid project name \"{n}\""));
        }
        return Ok(n.to_string());
    }
    if let Some(n) = root.get("name").and_then(Node::str) {
        let n = normalize_name(&interpolate::evaluate_str(n, env)?);
        if !n.is_empty() {
            return Ok(n);
        }
    }
    let base = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let n = normalize_name(&base);
    if n.is_empty() { Err("project name must not be empty".into()) } else { Ok(n) }
}

/// Interpolate every value (not keys), then escape `$` as `$$` as
/// `docker compose config` prints it.
fn interpolate_all(n: &mut Node, env: &Env) -> Result<(), String> {
    match &mut n.kind {
        Kind::Map(e) => {
            for (_, v) in e {
                interpolate_all(v, env)?;
            }
        }
        Kind::Seq(items) => {
            for v in items {
                interpolate_all(v, env)?;
            }
        }
        Kind::Scalar { text, .. } => {
            *text = interpolate::evaluate_str(text, env)?.replace('$', "$$");
        }
        _ => {}
    }
    Ok(())
}

fn plain_ok(t: &str) -> bool {
    let Some(first) = t.chars().next() else { return false };
    let last = t.chars().last().unwrap_or(first);
    !(first.is_whitespace()
        || last.is_whitespace()
        || last == ':'
        || "?:,[]{}#&*!|>'\"%@`".contains(first)
        || (first == '-' && t[1..].starts_with([' ', '\t']) || t == "-")
        || t.contains(": ")
        || t.contains(" #")
        || t.chars().any(|c| c.is_control()))
}

fn text_of(t: &str, style: Style) -> String {
    if style == Style::Plain && plain_ok(t) { t.to_string() } else { serde_json::to_string(t).unwrap_or_default() }
}

fn inline(n: &Node) -> Option<String> {
    match &n.kind {
        Kind::Scalar { text, style } => Some(text_of(text, *style)),
        Kind::Map(e) if e.is_empty() => Some("{}".into()),
        Kind::Seq(i) if i.is_empty() => Some("[]".into()),
        Kind::Null | Kind::Alias(_) => Some("null".into()),
        _ => None,
    }
}

fn yaml_map(entries: &[(Key, Node)], indent: usize, out: &mut String) {
    for (k, v) in entries {
        out.push_str(&" ".repeat(indent));
        out.push_str(&text_of(&k.text, Style::Plain));
        out.push(':');
        yaml_value(v, indent, out);
    }
}

/// A value after `key:` or `-`.
fn yaml_value(v: &Node, indent: usize, out: &mut String) {
    match inline(v) {
        Some(s) => {
            out.push(' ');
            out.push_str(&s);
            out.push('\n');
        }
        None => {
            out.push('\n');
            match &v.kind {
                Kind::Map(e) => yaml_map(e, indent + 2, out),
                Kind::Seq(items) => yaml_seq(items, indent + 2, out),
                _ => {}
            }
        }
    }
}

fn yaml_seq(items: &[Node], indent: usize, out: &mut String) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match (&item.kind, inline(item)) {
            (Kind::Map(e), None) => {
                let mut inner = String::new();
                yaml_map(e, indent + 2, &mut inner);
                out.push(' ');
                out.push_str(&inner[indent + 2..]);
            }
            _ => yaml_value(item, indent, out),
        }
    }
}

fn json(n: &Node) -> serde_json::Value {
    use serde_json::Value;
    match &n.kind {
        Kind::Map(e) => Value::Object(e.iter().map(|(k, v)| (k.text.clone(), json(v))).collect()),
        Kind::Seq(items) => Value::Array(items.iter().map(json).collect()),
        Kind::Scalar { text, style: Style::Plain } => {
            if n.is_null() {
                Value::Null
            } else if let Ok(i) = text.parse::<i64>() {
                Value::from(i)
            } else if text == "true" || text == "false" {
                Value::Bool(text == "true")
            } else {
                Value::String(text.clone())
            }
        }
        Kind::Scalar { text, .. } => Value::String(text.clone()),
        _ => Value::Null,
    }
}
