//! What each instruction accepts, as the Docker builder (BuildKit's Dockerfile
//! frontend) checks it: the flags of every instruction with the kind of value
//! each takes, the shape of the arguments, and the validators for flag values.
//! The BD2xxx rules read this one table so that they agree with each other.

use crate::syntax::{Instruction, Keyword};

/// The kind of value a flag takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagValue {
    /// `--link` alone, or `--link=true` / `--link=false`.
    Bool,
    /// Any text; the `=` is required.
    Text,
    /// A Go duration such as `30s` or `1m30s`, at least 1ms (or 0).
    Duration,
    /// A whole number, not negative.
    Count,
    /// An octal mode (`0755`) or a symbolic one (`u+x,go-w`).
    Chmod,
    /// `user[:group]`, names or numeric ids.
    Chown,
    /// `os[/arch[/variant]]`.
    Platform,
    /// `default`, `none` or `host`.
    Network,
    /// `sandbox` or `insecure`.
    Security,
    /// `key=value,...` with a mount type and its options.
    Mount,
    /// A device name with optional `required`.
    Device,
}

impl FlagValue {
    /// The expected format, for messages.
    pub fn format(self) -> &'static str {
        match self {
            FlagValue::Bool => "nothing, `=true` or `=false`",
            FlagValue::Text => "a value after `=`",
            FlagValue::Duration => "a duration such as `30s`, `1m30s` or `500ms` (at least 1ms)",
            FlagValue::Count => "a whole number such as `3`",
            FlagValue::Chmod => "an octal mode such as `0755` or a symbolic one such as `u+x`",
            FlagValue::Chown => "`user`, `user:group`, `uid` or `uid:gid`",
            FlagValue::Platform => "`os[/arch[/variant]]` such as `linux/amd64`",
            FlagValue::Network => "`default`, `none` or `host`",
            FlagValue::Security => "`sandbox` or `insecure`",
            FlagValue::Mount => "`type=<bind|cache|tmpfs|secret|ssh>,key=value,...`",
            FlagValue::Device => "a device name, optionally followed by `,required`",
        }
    }

    /// Whether the builder evaluates variables in the value before reading it.
    /// Values it reads while parsing (booleans, durations, network and
    /// security modes) take `$X` literally.
    pub fn expanded(self) -> bool {
        matches!(
            self,
            FlagValue::Text
                | FlagValue::Chmod
                | FlagValue::Chown
                | FlagValue::Platform
                | FlagValue::Mount
                | FlagValue::Device
        )
    }
}

/// One flag an instruction accepts.
#[derive(Debug, Clone, Copy)]
pub struct FlagSpec {
    /// Without the leading dashes. The builder matches names case-sensitively.
    pub name: &'static str,
    pub value: FlagValue,
    /// May be given more than once (`--mount`, `--exclude`, `--device`).
    pub repeatable: bool,
}

const fn once(name: &'static str, value: FlagValue) -> FlagSpec {
    FlagSpec { name, value, repeatable: false }
}

const fn many(name: &'static str, value: FlagValue) -> FlagSpec {
    FlagSpec { name, value, repeatable: true }
}

static FROM_FLAGS: &[FlagSpec] = &[once("platform", FlagValue::Platform)];

static COPY_FLAGS: &[FlagSpec] = &[
    once("from", FlagValue::Text),
    once("chown", FlagValue::Chown),
    once("chmod", FlagValue::Chmod),
    once("link", FlagValue::Bool),
    once("parents", FlagValue::Bool),
    many("exclude", FlagValue::Text),
];

static ADD_FLAGS: &[FlagSpec] = &[
    once("chown", FlagValue::Chown),
    once("chmod", FlagValue::Chmod),
    once("link", FlagValue::Bool),
    once("keep-git-dir", FlagValue::Bool),
    once("checksum", FlagValue::Text),
    once("unpack", FlagValue::Bool),
    many("exclude", FlagValue::Text),
];

static RUN_FLAGS: &[FlagSpec] = &[
    many("mount", FlagValue::Mount),
    once("network", FlagValue::Network),
    once("security", FlagValue::Security),
    many("device", FlagValue::Device),
];

static HEALTHCHECK_FLAGS: &[FlagSpec] = &[
    once("interval", FlagValue::Duration),
    once("timeout", FlagValue::Duration),
    once("start-period", FlagValue::Duration),
    once("start-interval", FlagValue::Duration),
    once("retries", FlagValue::Count),
];

/// The flags `inst` accepts, or `None` when the builder never looks at its
/// flags (`ARG`, `STOPSIGNAL`, `HEALTHCHECK NONE`, `ONBUILD` itself, unknown
/// instructions), so nothing can be said about them.
pub fn flags(inst: &Instruction) -> Option<&'static [FlagSpec]> {
    Some(match inst.keyword {
        Keyword::From => FROM_FLAGS,
        Keyword::Copy => COPY_FLAGS,
        Keyword::Add => ADD_FLAGS,
        Keyword::Run => RUN_FLAGS,
        Keyword::Healthcheck => {
            let first = inst.rest_text().split_whitespace().next().unwrap_or("");
            if first.eq_ignore_ascii_case("none") {
                return None;
            }
            HEALTHCHECK_FLAGS
        }
        Keyword::Arg | Keyword::Stopsignal | Keyword::Onbuild | Keyword::Unknown => return None,
        Keyword::Cmd
        | Keyword::Entrypoint
        | Keyword::Env
        | Keyword::Expose
        | Keyword::Label
        | Keyword::Maintainer
        | Keyword::Shell
        | Keyword::User
        | Keyword::Volume
        | Keyword::Workdir => &[],
    })
}

/// The spec of flag `name` (exact, case-sensitive) of `inst`.
pub fn flag_spec(inst: &Instruction, name: &str) -> Option<FlagSpec> {
    flags(inst)?.iter().find(|f| f.name == name).copied()
}

/// How an instruction's arguments (after the flags) must look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `image` or `image AS name`.
    From,
    /// One or more sources, then a destination (heredocs count as sources).
    SourcesAndDest,
    /// One word (`USER`); more words make one value with spaces.
    OneWord,
    /// One path; the builder keeps spaces in it (`WORKDIR`).
    OnePath,
    /// One signal (`STOPSIGNAL`).
    OneSignal,
    /// `NONE`, or `CMD` and a command.
    Healthcheck,
    /// A JSON array with at least one string (`SHELL`).
    JsonArray,
    /// Paths, none of them empty (`VOLUME`).
    Volumes,
    /// Anything (the parser already requires something).
    Any,
}

pub fn shape(keyword: Keyword) -> Shape {
    match keyword {
        Keyword::From => Shape::From,
        Keyword::Copy | Keyword::Add => Shape::SourcesAndDest,
        Keyword::User => Shape::OneWord,
        Keyword::Workdir => Shape::OnePath,
        Keyword::Stopsignal => Shape::OneSignal,
        Keyword::Healthcheck => Shape::Healthcheck,
        Keyword::Shell => Shape::JsonArray,
        Keyword::Volume => Shape::Volumes,
        _ => Shape::Any,
    }
}

/// Check a value given after `=` against its kind. `expand` evaluates
/// variables in a piece of text (`None` when some variable has no known value,
/// in which case the piece is not judged). Returns what is wrong.
pub fn check_value(kind: FlagValue, value: &str, expand: &dyn Fn(&str) -> Option<String>) -> Result<(), String> {
    let evaluated = |v: &str| -> Option<String> {
        if kind.expanded() && v.contains('$') { expand(v) } else { Some(v.to_string()) }
    };
    match kind {
        FlagValue::Bool => match value.to_ascii_lowercase().as_str() {
            "true" | "false" => Ok(()),
            "" => Err("the value after `=` is empty".into()),
            _ => Err(format!("`{value}` is not a boolean")),
        },
        FlagValue::Text | FlagValue::Chown => Ok(()),
        FlagValue::Duration => match parse_duration(value) {
            Some(0) => Ok(()),
            Some(ns) if ns >= 1_000_000 => Ok(()),
            Some(_) => Err(format!("`{value}` is shorter than 1ms")),
            None if value.is_empty() => Ok(()),
            None => Err(format!("`{value}` is not a duration")),
        },
        FlagValue::Count => match parse_go_int(value) {
            Some(n) if n >= 0 => Ok(()),
            Some(_) => Err(format!("`{value}` is negative")),
            None if value.is_empty() => Ok(()),
            None => Err(format!("`{value}` is not a whole number")),
        },
        FlagValue::Chmod => match evaluated(value) {
            Some(v) if v.is_empty() || valid_chmod(&v) => Ok(()),
            Some(v) => Err(format!("`{v}` is not a file mode")),
            None => Ok(()),
        },
        FlagValue::Platform => match evaluated(value) {
            Some(v) if v.is_empty() => Err("the platform is empty".into()),
            Some(v) if !valid_platform(&v) => Err(format!("`{v}` is not a platform")),
            _ => Ok(()),
        },
        FlagValue::Network => match value {
            "default" | "none" | "host" => Ok(()),
            _ => Err(format!("`{value}` is not a network mode")),
        },
        FlagValue::Security => match value {
            "sandbox" | "insecure" => Ok(()),
            _ => Err(format!("`{value}` is not a security mode")),
        },
        FlagValue::Mount => check_mount(value, expand),
        FlagValue::Device => {
            if value.trim().is_empty() {
                Err("the device name is empty".into())
            } else {
                Ok(())
            }
        }
    }
}

/// Go's `time.ParseDuration`, in nanoseconds (saturating). `None` when invalid.
pub fn parse_duration(s: &str) -> Option<i128> {
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (int_part, after) = rest.split_at(int_len);
        let (frac_part, after) = match after.strip_prefix('.') {
            Some(a) => {
                let n = a.bytes().take_while(u8::is_ascii_digit).count();
                a.split_at(n)
            }
            None => ("", after),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let unit_len = after.find(|c: char| c == '.' || c.is_ascii_digit()).unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        let scale: f64 = match unit {
            "ns" => 1.0,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        let number: f64 = format!("{}.{}", if int_part.is_empty() { "0" } else { int_part }, frac_part)
            .trim_end_matches('.')
            .parse()
            .ok()?;
        total += number * scale;
        rest = after;
    }
    if total > 9.2e18 {
        return None; // Go reports an overflow
    }
    let ns = total as i128;
    Some(if neg { -ns } else { ns })
}

/// Go's `strconv.ParseInt(s, 10, 32)`.
fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = s.strip_prefix('+').unwrap_or(s).parse().ok()?;
    (i64::from(i32::MIN)..=i64::from(i32::MAX)).contains(&n).then_some(n)
}

/// An octal mode (as `strconv.ParseUint(v, 8, 32)` reads it) or a symbolic mode
/// such as `u+x`, `a=rX,go-w`.
pub fn valid_chmod(v: &str) -> bool {
    if v.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return u64::from_str_radix(v, 8).is_ok_and(|n| n <= u64::from(u32::MAX));
    }
    v.split(',').all(|clause| {
        let who_len = clause.bytes().take_while(|b| b"ugoa".contains(b)).count();
        let mut rest = &clause[who_len..];
        if rest.is_empty() {
            return false;
        }
        while !rest.is_empty() {
            if !rest.starts_with(['+', '-', '=']) {
                return false;
            }
            rest = &rest[1..];
            let perm_len = rest.bytes().take_while(|b| b"rwxXstugo".contains(b)).count();
            rest = &rest[perm_len..];
        }
        true
    })
}

/// A platform as containerd's `platforms.Parse` accepts it: one to three parts
/// separated by `/`, each made of letters, digits, `_`, `.` and `-` (the OS may
/// carry a Windows version in parentheses).
pub fn valid_platform(v: &str) -> bool {
    let parts: Vec<&str> = v.split('/').collect();
    if parts.len() > 3 {
        return false;
    }
    parts.iter().enumerate().all(|(i, p)| {
        let p = if i == 0 { p.split_once('(').map_or(*p, |(os, _)| os) } else { p };
        !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
    })
}

/// Go's `strconv.ParseBool`.
fn go_bool(v: &str) -> bool {
    matches!(v, "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false" | "False")
}

/// go-units `RAMInBytes`: `64m`, `1.5GiB`, `1024`.
fn ram_size(v: &str) -> bool {
    let num_len = v.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
    let (num, unit) = v.split_at(num_len);
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') || num.contains("..") {
        return false;
    }
    let unit = unit.strip_prefix(' ').unwrap_or(unit).to_ascii_lowercase();
    let unit = unit.strip_suffix('b').unwrap_or(&unit);
    let unit = unit.strip_suffix('i').unwrap_or(unit);
    matches!(unit, "" | "k" | "m" | "g" | "t" | "p")
}

/// The mount types the builder knows.
pub const MOUNT_TYPES: &[&str] = &["bind", "cache", "tmpfs", "secret", "ssh"];

const MOUNT_KEYS: &[&str] = &[
    "type",
    "from",
    "source",
    "target",
    "readonly",
    "id",
    "sharing",
    "required",
    "size",
    "mode",
    "uid",
    "gid",
    "src",
    "dst",
    "destination",
    "ro",
    "rw",
    "readwrite",
    "env",
];

/// Split a `--mount` value into its comma-separated fields, with CSV quoting.
fn csv_fields(v: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = v.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => return Err("a quoted field is not terminated".into()),
                }
            }
            match chars.next() {
                None => {
                    out.push(field);
                    return Ok(out);
                }
                Some(',') => out.push(field),
                Some(_) => return Err("a quoted field must end at a comma".into()),
            }
            continue;
        }
        loop {
            match chars.next() {
                None => {
                    out.push(field);
                    return Ok(out);
                }
                Some(',') => break,
                Some(c) => field.push(c),
            }
        }
        out.push(field);
    }
}

/// Check a `--mount` value the way the builder reads it (fields in order, the
/// type known only once `type=` has been read).
pub fn check_mount(value: &str, expand: &dyn Fn(&str) -> Option<String>) -> Result<(), String> {
    let fields = csv_fields(value)?;
    // `None` once the type depends on a variable with no known value.
    let mut ty: Option<String> = Some("bind".into());
    let (mut from, mut source, mut target, mut id, mut sharing) = (false, false, false, false, false);
    let (mut mode, mut uid, mut gid) = (false, false, false);
    let mut unknown_source = false;
    for field in &fields {
        let (key, raw) = match field.split_once('=') {
            Some((k, v)) => (k.to_ascii_lowercase(), Some(v)),
            None => (field.to_ascii_lowercase(), None),
        };
        let Some(raw) = raw else {
            match key.as_str() {
                "readonly" | "ro" | "readwrite" | "rw" => continue,
                "required" => match ty.as_deref() {
                    Some("secret" | "ssh") | None => continue,
                    Some(t) => return Err(format!("`required` is not an option of `{t}` mounts")),
                },
                _ => return Err(format!("`{field}` must be a `key=value` pair")),
            }
        };
        if key == "from"
            && let Some(p) = raw.find('$')
            && p + 1 != raw.len()
        {
            return Err("`from` takes a stage or image name, not a variable; define a stage for it".into());
        }
        let value = if raw.contains('$') { expand(raw) } else { Some(raw.to_string()) };
        match key.as_str() {
            "type" => match value {
                Some(v) => {
                    let v = v.to_ascii_lowercase();
                    if !MOUNT_TYPES.contains(&v.as_str()) {
                        let hint = crate::util::closest(&v, MOUNT_TYPES.iter().copied())
                            .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
                        return Err(format!("`{v}` is not a mount type{hint}"));
                    }
                    ty = Some(v);
                }
                None => ty = None,
            },
            "from" => from = true,
            "source" | "src" => {
                source = true;
                unknown_source |= value.is_none();
            }
            "target" | "dst" | "destination" => target = true,
            "id" => id = true,
            "env" => {}
            "readonly" | "ro" | "readwrite" | "rw" => {
                if let Some(v) = value
                    && !go_bool(&v)
                {
                    return Err(format!("`{v}` is not a boolean for `{key}`"));
                }
            }
            "required" => {
                match ty.as_deref() {
                    Some("secret" | "ssh") | None => {}
                    Some(t) => return Err(format!("`required` is not an option of `{t}` mounts")),
                }
                if let Some(v) = value
                    && !go_bool(&v)
                {
                    return Err(format!("`{v}` is not a boolean for `required`"));
                }
            }
            "size" => {
                match ty.as_deref() {
                    Some("tmpfs") | None => {}
                    Some(t) => return Err(format!("`size` is not an option of `{t}` mounts")),
                }
                if let Some(v) = value
                    && !ram_size(&v)
                {
                    return Err(format!("`{v}` is not a size such as `64m`"));
                }
            }
            "sharing" => {
                sharing = true;
                if let Some(v) = value
                    && !matches!(v.to_ascii_lowercase().as_str(), "shared" | "private" | "locked")
                {
                    return Err(format!("`{v}` is not a sharing mode: use `shared`, `private` or `locked`"));
                }
            }
            "mode" => {
                mode = true;
                if let Some(v) = value
                    && !(!v.is_empty()
                        && v.bytes().all(|b| (b'0'..=b'7').contains(&b))
                        && u64::from_str_radix(&v, 8).is_ok_and(|n| n <= u64::from(u32::MAX)))
                {
                    return Err(format!("`{v}` is not an octal mode for `mode`"));
                }
            }
            "uid" | "gid" => {
                if key == "uid" {
                    uid = true;
                } else {
                    gid = true;
                }
                if let Some(v) = value
                    && !(!v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) && v.parse::<u32>().is_ok())
                {
                    return Err(format!("`{v}` is not a numeric id for `{key}`"));
                }
            }
            _ => {
                let hint = crate::util::closest(&key, MOUNT_KEYS.iter().copied())
                    .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
                return Err(format!("`{key}` is not a mount option{hint}"));
            }
        }
    }
    let Some(ty) = ty else { return Ok(()) };
    if !matches!(ty.as_str(), "secret" | "ssh" | "cache") {
        for (set, key) in [(mode, "mode"), (uid, "uid"), (gid, "gid")] {
            if set {
                return Err(format!("`{key}` is not an option of `{ty}` mounts"));
            }
        }
    }
    if ty == "secret" {
        if from {
            return Err("a secret mount cannot have `from`".into());
        }
        if sharing {
            return Err("a secret mount cannot have `sharing`".into());
        }
        if !source && !target && !id {
            return Err("a secret mount needs `id`, `source` or `target`".into());
        }
        if source && id && !unknown_source {
            return Err("a secret mount takes `id` or `source`, not both".into());
        }
    }
    if sharing && ty != "cache" {
        return Err(format!("`sharing` is not an option of `{ty}` mounts"));
    }
    Ok(())
}

/// Whether `c` is a domain component: letters, digits and inner `-`.
fn domain_component(c: &str) -> bool {
    !c.is_empty()
        && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !c.starts_with('-')
        && !c.ends_with('-')
}

/// A registry host as the reference grammar allows it: `host[:port]`, the host
/// a dotted name or a bracketed IPv6 address.
fn valid_domain(d: &str) -> bool {
    let (host, port) = if let Some(rest) = d.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, after)) => {
                if ip.is_empty() || !ip.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
                    return false;
                }
                match after {
                    "" => return true,
                    p => ("x", p.strip_prefix(':').unwrap_or("x")),
                }
            }
            None => return false,
        }
    } else {
        match d.split_once(':') {
            Some((h, p)) => (h, p),
            None => (d, "0"),
        }
    };
    host.split('.').all(domain_component) && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
}

/// One path component of a repository: lower-case letters and digits, joined by
/// `.`, `_`, `__` or runs of `-`.
fn path_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_lowercase() || b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let sep_start = i;
        while i < b.len() && matches!(b[i], b'.' | b'_' | b'-') {
            i += 1;
        }
        let sep = &c[sep_start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-');
        if !ok || sep.is_empty() {
            return false;
        }
    }
    true
}

/// Check an image reference the way the builder parses it
/// (`[registry[:port]/]repository[:tag][@algorithm:hex]`). Returns what is wrong.
pub fn check_image_reference(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("the image name is empty".into());
    }
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err("a 64-character hex string is an image ID, which FROM does not take".into());
    }
    let (name_tag, digest) = match s.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (s, None),
    };
    let last_slash = name_tag.rfind('/').map_or(0, |p| p + 1);
    let (name, tag) = match name_tag[last_slash..].find(':') {
        Some(p) => (&name_tag[..last_slash + p], Some(&name_tag[last_slash + p + 1..])),
        None => (name_tag, None),
    };
    if name.is_empty() {
        return Err("the repository name is missing".into());
    }
    let (domain, remainder) = match name.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" || first.to_lowercase() != first => {
            (Some(first), rest)
        }
        _ => (None, name),
    };
    if remainder.to_lowercase() != remainder {
        return Err(format!("the repository name `{remainder}` must be lower case"));
    }
    if let Some(d) = domain
        && !valid_domain(d)
    {
        return Err(format!("`{d}` is not a registry host"));
    }
    if let Some(bad) = remainder.split('/').find(|c| !path_component(c)) {
        return Err(if bad.is_empty() {
            "the repository name has an empty path component".to_string()
        } else {
            format!(
                "`{bad}` is not a valid repository name component (lower-case letters, digits and `.`, `_`, `-` between them)"
            )
        });
    }
    if name.len() > 255 {
        return Err("the repository name is longer than 255 characters".into());
    }
    if let Some(t) = tag {
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let ok = !t.is_empty()
            && t.len() <= 128
            && word(t.as_bytes()[0])
            && t.bytes().all(|b| word(b) || b == b'.' || b == b'-');
        if !ok {
            return Err(if t.is_empty() {
                "the tag after `:` is empty".to_string()
            } else {
                format!(
                    "`{t}` is not a valid tag (letters, digits, `_`, `.`, `-`, at most 128, not starting with `.` or `-`)"
                )
            });
        }
    }
    if let Some(d) = digest {
        let Some((algo, hex)) = d.split_once(':') else {
            return Err(format!("`{d}` is not a digest: write `sha256:<hex>`"));
        };
        let want = match algo {
            "sha256" => 64,
            "sha384" => 96,
            "sha512" => 128,
            _ => {
                return Err(format!(
                    "`{algo}` is not a digest algorithm the builder supports (sha256, sha384, sha512)"
                ));
            }
        };
        if hex.len() != want || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(format!("a {algo} digest is {want} lower-case hex digits"));
        }
    }
    Ok(())
}

/// Linux signal names as the builder knows them (without `SIG`).
pub const SIGNALS: &[&str] = &[
    "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL",
    "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1",
    "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX",
];

/// Whether `name` (upper-cased, `SIG` removed) is a signal the builder knows,
/// real-time ones (`RTMIN+3`, `RTMAX-2`) included.
pub fn known_signal(name: &str) -> bool {
    if SIGNALS.contains(&name) {
        return true;
    }
    let offset = |s: &str| s.parse::<u8>().is_ok_and(|n| (1..=15).contains(&n)) && !s.starts_with('0');
    if let Some(n) = name.strip_prefix("RTMIN+") {
        return offset(n);
    }
    if let Some(n) = name.strip_prefix("RTMAX-") {
        return n.parse::<u8>().is_ok_and(|v| (1..=14).contains(&v)) && !n.starts_with('0');
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Some(30_000_000_000));
        assert_eq!(parse_duration("1m30s"), Some(90_000_000_000));
        assert_eq!(parse_duration("1.5h"), Some(5_400_000_000_000));
        assert_eq!(parse_duration("0"), Some(0));
        assert_eq!(parse_duration("500us"), Some(500_000));
        assert_eq!(parse_duration("30"), None);
        assert_eq!(parse_duration("5 s"), None);
        assert_eq!(parse_duration("s"), None);
        assert_eq!(parse_duration(".5s"), Some(500_000_000));
        assert_eq!(parse_duration("3d"), None);
        assert!(check_value(FlagValue::Duration, "100us", &none).is_err());
        assert!(check_value(FlagValue::Duration, "0s", &none).is_ok());
    }

    #[test]
    fn modes_platforms_and_counts() {
        assert!(valid_chmod("0755") && valid_chmod("644") && valid_chmod("u+x") && valid_chmod("a=rX,go-w"));
        assert!(!valid_chmod("rwx") && !valid_chmod("0789") && !valid_chmod("u+q"));
        assert!(
            valid_platform("linux/amd64") && valid_platform("linux/arm/v7") && valid_platform("windows(10.0)/amd64")
        );
        assert!(
            !valid_platform("linux//amd64") && !valid_platform("linux/amd64/v1/x") && !valid_platform("linux amd64")
        );
        assert_eq!(parse_go_int("3"), Some(3));
        assert_eq!(parse_go_int("-1"), Some(-1));
        assert_eq!(parse_go_int("3x"), None);
    }

    #[test]
    fn mounts() {
        let ok = |v: &str| check_mount(v, &none).is_ok();
        assert!(ok("type=cache,target=/root/.cache,sharing=locked"));
        assert!(ok("type=secret,id=npmrc,target=/root/.npmrc,required"));
        assert!(ok("type=bind,from=build,source=/out,target=/in,rw"));
        assert!(ok("type=tmpfs,target=/tmp,size=64m"));
        assert!(ok("target=/x,type=$T,required"), "the type depends on a variable");
        assert!(!ok("type=cahce,target=/x"));
        assert!(!ok("type=cache,taget=/x"));
        assert!(!ok("type=cache,target=/x,sharing=exclusive"));
        assert!(!ok("required,type=secret,id=x"), "the builder reads `required` before the type");
        assert!(!ok("type=secret"));
        assert!(!ok("type=bind,target=/x,mode=0755"));
        assert!(!ok("type=bind,from=$STAGE,target=/x"));
        assert!(!ok("type=cache,target"));
        assert!(check_mount("type=cache,\"target=/a,b\"", &none).is_ok());
    }

    #[test]
    fn image_references() {
        for ok in [
            "alpine",
            "alpine:3.20",
            "library/alpine:3.20",
            "ghcr.io/org/app:v1.2.3-rc_1",
            "localhost:5000/app",
            "MyRegistry/app",
            "[::1]:5000/app:1",
            "python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "a__b/c--d/e.f",
        ] {
            assert!(check_image_reference(ok).is_ok(), "{ok}: {:?}", check_image_reference(ok));
        }
        for bad in [
            "",
            "Alpine",
            "alpine:",
            ":3.20",
            "alpine:.hidden",
            "app/Sub",
            "alpine@sha256:abc",
            "alpine@md5:0123456789abcdef0123456789abcdef",
            "my_-app",
            "a//b",
            "-app",
            "registry.example.com:port/app",
        ] {
            assert!(check_image_reference(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn signals() {
        assert!(known_signal("TERM") && known_signal("RTMIN+3") && known_signal("RTMAX-1"));
        assert!(!known_signal("TERMINATE") && !known_signal("RTMIN+16"));
    }
}
