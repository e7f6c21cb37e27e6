use crate::engine::{Category, Context, Diagnostic, Edit, Fix, FixAvailability, Rule, RuleMeta, Severity};
use crate::model::key_values;
use crate::shell::{Command, Script, ShellWord};
use crate::syntax::Keyword;
use crate::text::Span;

pub struct TlsVerificationDisabled;

static META: RuleMeta = RuleMeta {
    code: "BD3001",
    name: "tls-verification-disabled",
    severity: Severity::Error,
    category: Category::Security,
    fix: FixAvailability::Sometimes,
    buildkit: None,
    aliases: &[],
    default_enabled: true,
    summary: "Do not switch off TLS certificate or package signature checks",
    docs: r#"## What it checks
Options and settings that turn off the checks that make a download
trustworthy, in RUN (command line, heredoc scripts, `sh -c '...'` bodies) and in
ENV/ARG:

| tool | what is reported |
|---|---|
| curl | `-k`, `--insecure` (also inside a group such as `-fsSLk`) |
| wget | `--no-check-certificate` |
| pip, `python -m pip` | `--trusted-host`, `pip config set global.trusted-host` |
| uv | `--allow-insecure-host` |
| npm, yarn, pnpm | `config set strict-ssl false` (also `set strict-ssl=false`), `--strict-ssl=false`, yarn's `enableStrictSsl false` |
| apt-get, apt | `--allow-unauthenticated`, `--allow-insecure-repositories`, `-o Acquire::https::Verify-Peer=false` / `Verify-Host=false`, `-o APT::Get::AllowUnauthenticated=true`, `-o Acquire::AllowInsecureRepositories=true`; the same settings and `deb [trusted=yes] http...` lines written with `echo`/`printf` |
| apk | `--allow-untrusted` |
| git | `-c http.sslVerify=false`, `git config ... http.sslVerify false` (also per URL, `http.<url>.sslVerify`) |
| conda | `config --set ssl_verify false` |
| environment | `GIT_SSL_NO_VERIFY` (any non-empty value), `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, `PIP_TRUSTED_HOST`, `NPM_CONFIG_STRICT_SSL=false`, `YARN_ENABLE_STRICT_SSL=false`, `CONDA_SSL_VERIFY=false`, set with ENV, ARG defaults, `export` or a `NAME=value` prefix in RUN |

Values are evaluated from ARG/ENV defaults. Installing local files is left
alone: `apk add --allow-untrusted` and `apt-get install --allow-unauthenticated`
whose packages are all local paths, and `deb [trusted=yes] file:...` lines for
a repository built in the same step, as the official nginx and postgres images
do. `CURL_CA_BUNDLE=""` and `REQUESTS_CA_BUNDLE=""` are not reported: whether
an empty value turns checks off depends on the library version.

## Why it matters
TLS certificates and package signatures are what prove that a download comes
from who you think it does. Without them anyone on the network path (a
compromised proxy, a hostile Wi-Fi, a poisoned DNS answer) can hand the build
a different file, and the image then runs attacker code with no trace in the
Dockerfile. Settings made with ENV stay in the image and switch the checks off
for the application at run time too.

## Example
```dockerfile
RUN curl -fsSLk https://example.com/install.tar.gz -o /tmp/install.tar.gz
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
```

## Use instead
```dockerfile
# Trust a private CA explicitly instead of trusting everything.
COPY corp-ca.crt /usr/local/share/ca-certificates/
RUN update-ca-certificates \
 && curl -fsSL https://example.com/install.tar.gz -o /tmp/install.tar.gz
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp-ca.crt
```

## Fix
For curl only: removes `-k`/`--insecure` (or the `k` from a group like
`-fsSLk`). Unsafe: a download from a server whose certificate is not trusted
will then fail, which is the point, but it changes the build.

## References
- curl, `--insecure`: https://curl.se/docs/manpage.html#-k
- pip, `--trusted-host`: https://pip.pypa.io/en/stable/cli/pip/#cmdoption-trusted-host
- npm, `strict-ssl`: https://docs.npmjs.com/cli/using-npm/config#strict-ssl
- apt, trusted=yes and AllowInsecureRepositories: https://manpages.debian.org/apt/sources.list.5.en.html
- git, `http.sslVerify`: https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpsslVerify
"#,
};

/// Environment variables whose value turns checks off; the predicate judges the value.
fn env_turns_off(name: &str, value: &str) -> Option<&'static str> {
    let v = value.trim().to_ascii_lowercase();
    let off = falsy(&v);
    match name.to_ascii_uppercase().as_str() {
        "GIT_SSL_NO_VERIFY" if !v.is_empty() => Some("turns off certificate checks in git"),
        "NODE_TLS_REJECT_UNAUTHORIZED" if v == "0" => Some("turns off certificate checks in Node.js"),
        "PYTHONHTTPSVERIFY" if v == "0" => Some("turns off certificate checks in Python's urllib"),
        "PIP_TRUSTED_HOST" if !v.is_empty() => Some("makes pip accept that host without a valid certificate"),
        "NPM_CONFIG_STRICT_SSL" if off => Some("turns off certificate checks in npm"),
        "YARN_ENABLE_STRICT_SSL" if off => Some("turns off certificate checks in yarn"),
        "CONDA_SSL_VERIFY" if off => Some("turns off certificate checks in conda"),
        _ => None,
    }
}

const ENV_NAMES: &[&str] = &[
    "GIT_SSL_NO_VERIFY",
    "NODE_TLS_REJECT_UNAUTHORIZED",
    "PYTHONHTTPSVERIFY",
    "PIP_TRUSTED_HOST",
    "NPM_CONFIG_STRICT_SSL",
    "npm_config_strict_ssl",
    "YARN_ENABLE_STRICT_SSL",
    "CONDA_SSL_VERIFY",
];

fn falsy(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "0" | "false" | "no" | "off")
}

fn truthy(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")
}

/// Offset of `letter` in a short-option group (`-fsSLk`), among the letters
/// before the first option that takes a value.
fn in_short_group(word: &str, letter: char, takes_value: &str) -> Option<usize> {
    let group = word.strip_prefix('-')?;
    if group.starts_with('-') || group.is_empty() {
        return None;
    }
    for (i, c) in group.char_indices() {
        if !c.is_ascii_alphanumeric() {
            return None;
        }
        if c == letter {
            return Some(i + 1);
        }
        if takes_value.contains(c) {
            return None;
        }
    }
    None
}

/// curl's short options that take a value.
const CURL_TAKES_VALUE: &str = "AbcCdDeEFHKmoPQrtTuUwxXYyz";

fn is_pip(cmd: &Command) -> bool {
    let name = cmd.base_name();
    if name.strip_prefix("pip").is_some_and(|r| r.chars().all(|c| c.is_ascii_digit() || c == '.')) {
        return true;
    }
    let python = name.strip_prefix("python").is_some_and(|r| r.chars().all(|c| c.is_ascii_digit() || c == '.'));
    let module_pip = cmd.args.windows(2).any(|w| w[0].value == "-m" && w[1].value == "pip")
        || cmd.args.iter().any(|a| a.value == "-mpip");
    python && module_pip
}

struct Finder<'c, 'm, 'a> {
    cx: &'c Context<'m, 'a>,
    idx: usize,
    out: Vec<Diagnostic>,
}

impl Finder<'_, '_, '_> {
    fn value(&self, w: &ShellWord) -> String {
        if w.value.contains('$') { self.cx.model.expand(&w.value, self.idx).value } else { w.value.to_string() }
    }

    fn push(&mut self, span: Span, message: String) {
        self.out.push(META.diagnostic(span, message));
    }

    fn curl(&mut self, cmd: &Command) {
        for (i, a) in cmd.args.iter().enumerate() {
            if a.value == "--" {
                break;
            }
            let prev_end = if i == 0 { cmd.name.span.end } else { cmd.args[i - 1].span.end };
            let fix = if a.value == "-k" || a.value == "--insecure" {
                let gap = self.cx.text(Span::new(prev_end, a.span.start));
                (!gap.contains('#')).then(|| Edit::delete(Span::new(prev_end, a.span.end)))
            } else if let Some(at) = in_short_group(&a.value, 'k', CURL_TAKES_VALUE) {
                // Only when the word is written as is, so offsets map one to one.
                (a.raw == a.value && a.span.len() == a.raw.len())
                    .then(|| Edit::delete(Span::new(a.span.start + at, a.span.start + at + 1)))
            } else {
                continue;
            };
            let mut d = META.diagnostic(
                a.span,
                format!("`{}` turns off curl's certificate check, so anyone on the network path can swap the download; remove it and trust the server's CA instead", a.value),
            );
            if let Some(edit) = fix {
                d = d.with_fix(Fix::unsafe_("Remove curl's --insecure", vec![edit]));
            }
            self.out.push(d);
        }
    }

    fn flag(&mut self, cmd: &Command, flags: &[&str], why: &str) {
        for a in cmd.args.iter().take_while(|a| a.value != "--") {
            let name = a.value.split('=').next().unwrap_or(&a.value);
            if flags.contains(&name) {
                self.push(a.span, format!("`{name}` {why}"));
            }
        }
    }

    /// `KEY VALUE` or `KEY=VALUE` among the arguments, where `key` matches and `bad` judges the value.
    fn setting(&mut self, cmd: &Command, key: &dyn Fn(&str) -> bool, bad: &dyn Fn(&str) -> bool, why: &str) {
        let args = &cmd.args;
        for (i, a) in args.iter().enumerate() {
            let v = self.value(a);
            if let Some((k, val)) = v.split_once('=')
                && key(k.trim_start_matches('-'))
            {
                if bad(val) {
                    self.push(a.span, format!("`{v}` {why}"));
                }
            } else if key(v.trim_start_matches('-'))
                && let Some(next) = args.get(i + 1)
                && bad(&self.value(next))
            {
                self.push(a.span.cover(next.span), format!("`{} {}` {why}", a.value, next.value));
            }
        }
    }

    fn command(&mut self, cmd: &Command) {
        let name = cmd.base_name();
        match name {
            "curl" => self.curl(cmd),
            "wget" => self.flag(
                cmd,
                &["--no-check-certificate"],
                "turns off wget's certificate check, so anyone on the network path can swap the download; remove it",
            ),
            "npm" | "yarn" | "pnpm" => {
                let why = "turns off certificate checks for every package download; remove it and configure the registry's CA (`cafile`) instead";
                self.setting(cmd, &|k| k == "strict-ssl" || k.eq_ignore_ascii_case("enableStrictSsl"), &falsy, why);
            }
            "apt-get" | "apt" | "aptitude" => self.apt(cmd),
            "apk" => {
                let operands = cmd.operands(&["-X", "--repository", "-p", "--root", "--arch", "-t", "--virtual"]);
                let local = operands.iter().skip(1).all(|w| w.value.contains('/') || w.value.ends_with(".apk"));
                if operands.first().is_some_and(|s| s.value == "add") && !local {
                    self.flag(cmd, &["--allow-untrusted"], "installs packages whose signature apk cannot check; remove it and add the repository's signing key to /etc/apk/keys");
                }
            }
            "git" => {
                let key = |k: &str| {
                    let k = k.to_ascii_lowercase();
                    k.starts_with("http.") && k.ends_with(".sslverify")
                };
                let why = "turns off git's certificate check; remove it and set `http.sslCAInfo` for a private CA";
                let config = cmd.positional().next().is_some_and(|w| w.value == "config");
                for (i, a) in cmd.args.iter().enumerate() {
                    if a.value == "-c"
                        && let Some(next) = cmd.args.get(i + 1)
                        && let Some((k, v)) = next.value.split_once('=')
                        && key(k)
                        && falsy(v)
                    {
                        self.push(next.span, format!("`{}` {why}", next.value));
                    }
                }
                if config {
                    self.setting(cmd, &key, &falsy, why);
                }
            }
            "conda" | "mamba" | "micromamba" if cmd.positional().next().is_some_and(|w| w.value == "config") => {
                self.setting(
                    cmd,
                    &|k| k == "ssl_verify",
                    &falsy,
                    "turns off conda's certificate check; remove it and point `ssl_verify` at a CA bundle instead",
                );
            }
            "uv" => self.flag(
                cmd,
                &["--allow-insecure-host"],
                "makes uv accept that host without a valid certificate; remove it",
            ),
            "echo" | "printf" => self.written_config(cmd),
            _ => {}
        }
        if is_pip(cmd) {
            self.flag(
                cmd,
                &["--trusted-host"],
                "makes pip accept that host without a valid certificate; remove it and give pip the CA with `--cert`",
            );
            if cmd.args.iter().any(|a| a.value == "config") {
                self.setting(
                    cmd,
                    &|k| k.ends_with(".trusted-host") || k == "trusted-host",
                    &|v| !v.is_empty(),
                    "makes pip accept that host without a valid certificate; remove it",
                );
            }
        }
    }

    fn apt(&mut self, cmd: &Command) {
        let operands = cmd.operands(&["-o", "--option", "-t", "--target-release", "-c", "--config-file"]);
        let local =
            operands.len() > 1 && operands.iter().skip(1).all(|w| w.value.contains('/') || w.value.ends_with(".deb"));
        if !local {
            self.flag(
                cmd,
                &["--allow-unauthenticated", "--allow-insecure-repositories"],
                "installs packages whose signature apt cannot check; remove it and add the repository's signing key",
            );
        }
        for (i, a) in cmd.args.iter().enumerate() {
            let option = if a.value == "-o" || a.value == "--option" {
                cmd.args.get(i + 1)
            } else if a.value.starts_with("-o") && a.value.len() > 2 && a.value.contains("::") {
                Some(a)
            } else {
                None
            };
            let Some(o) = option else { continue };
            if let Some(why) = apt_setting(&self.value(o)) {
                self.push(o.span, format!("`{}` {why}", o.value.trim_start_matches("-o")));
            }
        }
    }

    /// apt settings or sources written into files with echo/printf.
    fn written_config(&mut self, cmd: &Command) {
        let values: Vec<String> = cmd.args.iter().map(|a| self.value(a).to_ascii_lowercase()).collect();
        let whole = values.join(" ");
        let compact: String = whole.chars().filter(|c| !c.is_whitespace()).collect();
        if whole.contains("deb") && compact.contains("trusted=yes") {
            // A repository on the network, not one built in this step (`file:`).
            let remote =
                ["http://", "https://", "ftp://"].iter().any(|p| whole.contains(p)) && !whole.contains("file:");
            if let Some(a) = cmd.args.iter().zip(&values).find(|(_, v)| v.contains("trusted")).map(|(a, _)| a)
                && remote
            {
                self.push(a.span, "`trusted=yes` makes apt install from this repository without checking signatures; add its signing key with `signed-by=` instead".into());
            }
            return;
        }
        for (a, v) in cmd.args.iter().zip(&values) {
            if let Some(why) = apt_setting(v) {
                self.push(a.span, format!("this apt setting {why}"));
            }
        }
    }
}

/// Why an apt configuration text turns a check off, if it does.
fn apt_setting(text: &str) -> Option<&'static str> {
    let lower: String =
        text.to_ascii_lowercase().chars().filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | ';')).collect();
    let value_after = |key: &str| -> Option<String> {
        let at = lower.find(key)? + key.len();
        let rest = lower[at..].trim_start_matches('=');
        Some(rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect())
    };
    for key in ["verify-peer", "verify-host"] {
        if let Some(v) = value_after(key)
            && falsy(&v)
        {
            return Some("turns off apt's certificate check for HTTPS repositories; remove it");
        }
    }
    for key in ["allowunauthenticated", "allowinsecurerepositories", "allowdowngradetoinsecurerepositories"] {
        if let Some(v) = value_after(key)
            && truthy(&v)
        {
            return Some("lets apt install packages whose signature it cannot check; remove it");
        }
    }
    None
}

/// `NAME=value` assignments in the shell text (`export`, command prefixes, plain).
fn shell_assignments(cx: &Context<'_, '_>, idx: usize, script: &Script, out: &mut Vec<Diagnostic>) {
    let text = script.text.text.as_str();
    for name in ENV_NAMES {
        let mut from = 0;
        while let Some(rel) = text[from..].find(name) {
            let start = from + rel;
            from = start + name.len();
            let before_ok = text[..start]
                .chars()
                .next_back()
                .is_none_or(|c| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | '`' | '\'' | '"'));
            if !before_ok || !text[from..].starts_with('=') {
                continue;
            }
            let value_start = from + 1;
            let rest = &text[value_start..];
            let (value, len) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
                    Some(e) => (rest[1..1 + e].to_string(), e + 2),
                    None => continue,
                },
                _ => {
                    let e = rest
                        .find(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | ')' | '`' | '\'' | '"'))
                        .unwrap_or(rest.len());
                    (rest[..e].to_string(), e)
                }
            };
            let e = cx.model.expand(&value, idx);
            if !e.unresolved.is_empty() {
                continue;
            }
            if let Some(why) = env_turns_off(name, &e.value) {
                out.push(META.diagnostic(
                    script.text.span(start, value_start + len),
                    format!("`{name}={}` {why}; remove it", e.value),
                ));
            }
        }
    }
}

impl Rule for TlsVerificationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Diagnostic>) {
        for (idx, inst) in cx.file.instructions.iter().enumerate() {
            let inst = inst.effective();
            match inst.keyword {
                Keyword::Env | Keyword::Arg => {
                    for kv in key_values(inst) {
                        let (Some(raw), Some(value_span)) = (&kv.value, kv.value_span) else { continue };
                        if !ENV_NAMES.contains(&kv.key.as_str()) {
                            continue;
                        }
                        let e = cx.model.expand(raw, idx);
                        if !e.unresolved.is_empty() {
                            continue;
                        }
                        if let Some(why) = env_turns_off(&kv.key, &e.value) {
                            let stays = if inst.keyword == Keyword::Env {
                                "; it stays set in the image for the application too"
                            } else {
                                ""
                            };
                            out.push(META.diagnostic(
                                kv.key_span.cover(value_span),
                                format!("`{}={}` {why}{stays}; remove it", kv.key, e.value),
                            ));
                        }
                    }
                }
                Keyword::Run => {
                    let Some(script) = cx.model.script(idx) else { continue };
                    let mut finder = Finder { cx, idx, out: Vec::new() };
                    for cmd in &script.commands {
                        finder.command(cmd);
                    }
                    out.append(&mut finder.out);
                    shell_assignments(cx, idx, script, out);
                }
                _ => {}
            }
        }
    }
}
