//! Secrets never leave the machine: before a file goes into a prompt, every
//! value that looks secret is replaced by a placeholder (`__BERTH_SECRET_1__`),
//! and the placeholders are put back only into the edits the model returns,
//! only where the edit kept them.
//!
//! What is redacted:
//! - values of `ARG`/`ENV` pairs (Dockerfile) and of mapping entries or
//!   `NAME=value` list items (Compose: `environment:`, `args:`, anywhere)
//!   whose name looks secret (password, token, key, credential, ...);
//! - any value that looks secret whatever its name: known key formats
//!   (`sk-...`, `ghp_...`, `hf_...`, `AKIA...`, Slack, Google, npm, PyPI,
//!   GitLab, Stripe, JWTs), private key blocks, the password of a URL with
//!   credentials (`postgres://user:pass@host`), and `Bearer`/`Basic` header
//!   values, anywhere in the text (a `RUN curl -H ...` too).
//!
//! Pure references (`$VAR`, `${VAR}`) and empty values are kept, so the model
//! still sees how the file is wired. The redacted text keeps every line
//! break outside a secret, and offsets map both ways between the two texts.

use super::Kind;
use berth_rules::rules::secrets::{self, Judge};
use berth_rules::syntax::{Dockerfile, Keyword};
use berth_rules::text::Span;

/// The placeholder of secret number `n` (1-based).
pub fn placeholder(n: usize) -> String {
    format!("__BERTH_SECRET_{n}__")
}

/// One replaced range.
#[derive(Debug, Clone)]
struct Piece {
    /// In the original text.
    orig: Span,
    /// In the redacted text (the placeholder).
    red: Span,
}

/// A redacted text and the way back.
#[derive(Debug, Clone)]
pub struct Redacted {
    pub text: String,
    pieces: Vec<Piece>,
    /// Secret values by number (index n-1).
    secrets: Vec<String>,
    /// The first number this document uses (numbers are shared with other
    /// documents of the same prompt, so placeholders never collide).
    first: usize,
}

impl Redacted {
    /// The secret values (for tests and checks; never print them).
    pub fn secrets(&self) -> &[String] {
        &self.secrets
    }

    /// Map an offset of the original text to the redacted text. An offset
    /// inside a secret maps to the start of its placeholder.
    pub fn to_redacted(&self, orig: usize) -> usize {
        let mut delta: isize = 0;
        for p in &self.pieces {
            if orig < p.orig.start {
                break;
            }
            if orig < p.orig.end {
                return p.red.start;
            }
            delta = p.red.end as isize - p.orig.end as isize;
        }
        (orig as isize + delta).max(0) as usize
    }

    /// Map an offset of the redacted text back to the original. `None` when it
    /// falls strictly inside a placeholder.
    pub fn to_original(&self, red: usize) -> Option<usize> {
        let mut delta: isize = 0;
        for p in &self.pieces {
            if red < p.red.start {
                break;
            }
            if red == p.red.start {
                return Some(p.orig.start);
            }
            if red < p.red.end {
                return None;
            }
            delta = p.orig.end as isize - p.red.end as isize;
        }
        Some((red as isize + delta).max(0) as usize)
    }

    /// Put this document's secrets back into text the model wrote. A
    /// placeholder of another document, or one that does not exist, is an
    /// error: the edit would write a secret where it was not, or a
    /// placeholder into the file.
    pub fn restore(&self, s: &str) -> Result<String, String> {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(at) = rest.find("__BERTH_SECRET_") {
            out.push_str(&rest[..at]);
            let after = &rest[at + "__BERTH_SECRET_".len()..];
            let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
            let tail = &after[digits.len()..];
            let n: Option<usize> = digits.parse().ok();
            match n {
                Some(n) if tail.starts_with("__") && n >= self.first && n < self.first + self.secrets.len() => {
                    out.push_str(&self.secrets[n - self.first]);
                    rest = &tail[2..];
                }
                _ => return Err(format!("the answer uses an unknown placeholder `__BERTH_SECRET_{digits}...`")),
            }
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The number after this document's last placeholder.
    pub fn next_number(&self) -> usize {
        self.first + self.secrets.len()
    }
}

/// Redact a Dockerfile or Compose file. Placeholders are numbered from `first`.
pub fn redact(text: &str, kind: Kind, first: usize) -> Redacted {
    let mut spans = match kind {
        Kind::Dockerfile => dockerfile_spans(text),
        Kind::Compose => compose_spans(text),
    };
    spans.extend(free_text_spans(text));
    build(text, spans, first)
}

fn build(text: &str, mut spans: Vec<Span>, first: usize) -> Redacted {
    spans.retain(|s| s.start < s.end && s.end <= text.len());
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    // Merge overlapping ranges.
    let mut merged: Vec<Span> = Vec::new();
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut pieces = Vec::new();
    let mut secrets: Vec<String> = Vec::new();
    let mut pos = 0;
    for s in merged {
        if !text.is_char_boundary(s.start) || !text.is_char_boundary(s.end) {
            continue;
        }
        out.push_str(&text[pos..s.start]);
        let value = &text[s.start..s.end];
        let idx = match secrets.iter().position(|v| v == value) {
            Some(i) => i,
            None => {
                secrets.push(value.to_string());
                secrets.len() - 1
            }
        };
        let ph = placeholder(first + idx);
        let start = out.len();
        out.push_str(&ph);
        pieces.push(Piece { orig: s, red: Span::new(start, out.len()) });
        pos = s.end;
    }
    out.push_str(&text[pos..]);
    Redacted { text: out, pieces, secrets, first }
}

/// Does a variable or key name say its value is secret? (berth's one list of
/// secret names, in its recall-oriented form.)
pub fn looks_secret_name(name: &str) -> bool {
    secrets::possibly_secret_name(name)
}

/// Is the value only a variable reference (or nothing)?
fn is_reference_or_empty(v: &str) -> bool {
    let v = v.trim().trim_matches(|c| c == '"' || c == '\'');
    if v.is_empty() {
        return true;
    }
    if let Some(rest) = v.strip_prefix("${") {
        // `${NAME}` or `${NAME:-}`/`${NAME:?msg}`, with no literal default.
        return rest.ends_with('}') && {
            let inner = &rest[..rest.len() - 1];
            match inner.find([':', '-', '?', '+']) {
                None => inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                Some(at) => {
                    let default = inner[at..].trim_start_matches([':', '-', '?', '+']);
                    default.is_empty() || default.starts_with('$')
                }
            }
        };
    }
    if let Some(rest) = v.strip_prefix('$') {
        return !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    }
    false
}

/// Does the value look secret whatever its name?
pub fn looks_secret_value(v: &str) -> bool {
    !free_text_spans(v).is_empty()
}

/// Ranges of secret-looking text anywhere: key formats, private key blocks,
/// URL passwords, and `Bearer`/`Basic` credentials.
fn free_text_spans(text: &str) -> Vec<Span> {
    // Key formats (berth's one table, judged by shape), JWTs and private key blocks.
    let mut out: Vec<Span> =
        secrets::find_credentials(text, Judge::Redact).into_iter().map(|(r, _)| Span::new(r.start, r.end)).collect();
    // `scheme://user:password@host`: the password.
    let mut from = 0;
    while let Some(at) = text[from..].find("://") {
        let auth_start = from + at + 3;
        let end = text[auth_start..]
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '/' | '"' | '\'' | '`' | '?' | '#' | ')' | ']' | '>' | ',')
            })
            .map_or(text.len(), |e| auth_start + e);
        let authority = &text[auth_start..end];
        if let Some(atsign) = authority.rfind('@')
            && let Some(colon) = authority[..atsign].find(':')
        {
            let pw = &authority[colon + 1..atsign];
            if !pw.is_empty() && !is_reference_or_empty(pw) {
                out.push(Span::new(auth_start + colon + 1, auth_start + atsign));
            }
        }
        from = auth_start;
    }
    // `Authorization: Bearer xyz`, `Basic xyz`, `token xyz`.
    for word in ["Bearer ", "bearer ", "Basic ", "basic "] {
        let mut from = 0;
        while let Some(at) = text[from..].find(word) {
            let start = from + at + word.len();
            let end = text[start..]
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | ')' | ','))
                .map_or(text.len(), |e| start + e);
            let v = &text[start..end];
            if v.len() >= 8 && !is_reference_or_empty(v) {
                out.push(Span::new(start, end));
            }
            from = start;
        }
    }
    // `--password=xyz`, `--token xyz`-style flags with a literal value.
    let mut from = 0;
    while let Some(at) = text[from..].find("--") {
        let start = from + at + 2;
        let name_end = text[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .map_or(text.len(), |e| start + e);
        let name = &text[start..name_end];
        from = name_end.max(start + 1).min(text.len());
        if name.is_empty() || !looks_secret_name(name) || !text[name_end..].starts_with('=') {
            continue;
        }
        let vstart = name_end + 1;
        let vend = text[vstart..]
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .map_or(text.len(), |e| vstart + e);
        if !is_reference_or_empty(&text[vstart..vend]) {
            out.push(Span::new(vstart, vend));
        }
    }
    out
}

/// Trim the quotes of a value's span, so the placeholder stays inside them.
fn inner(text: &str, span: Span) -> Span {
    let v = &text[span.start..span.end];
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return Span::new(span.start + 1, span.end - 1);
        }
    }
    span
}

fn dockerfile_spans(text: &str) -> Vec<Span> {
    let file = Dockerfile::parse(text);
    let mut out = Vec::new();
    for inst in &file.instructions {
        let inst = inst.effective();
        if !matches!(inst.keyword, Keyword::Arg | Keyword::Env) {
            continue;
        }
        for kv in berth_rules::model::key_values(inst) {
            let (Some(value), Some(span)) = (&kv.value, kv.value_span) else { continue };
            if span.end > text.len() || is_reference_or_empty(value) {
                continue;
            }
            if looks_secret_name(&kv.key) || looks_secret_value(value) {
                out.push(inner(text, span));
            }
        }
    }
    out
}

fn compose_spans(text: &str) -> Vec<Span> {
    use berth_rules::compose::{ComposeFile, Kind as K, Node, Style};
    let Ok(file) = ComposeFile::parse(text) else { return line_spans(text) };
    let mut out = Vec::new();
    fn scalar_inner(text: &str, n: &Node) -> Option<Span> {
        let K::Scalar { style, .. } = &n.kind else { return None };
        let s = n.span;
        if s.end > text.len() {
            return None;
        }
        Some(match style {
            Style::SingleQuoted | Style::DoubleQuoted => inner(text, s),
            _ => s,
        })
    }
    fn go(text: &str, n: &Node, out: &mut Vec<Span>, depth: usize) {
        if depth > 300 {
            return;
        }
        match &n.kind {
            K::Map(entries) => {
                for (k, v) in entries {
                    if let K::Scalar { text: value, .. } = &v.kind {
                        if !is_reference_or_empty(value)
                            && (looks_secret_name(&k.text) || looks_secret_value(value))
                            && let Some(s) = scalar_inner(text, v)
                        {
                            out.push(s);
                        }
                    } else {
                        go(text, v, out, depth + 1);
                    }
                }
            }
            K::Seq(items) => {
                for v in items {
                    match &v.kind {
                        K::Scalar { text: item, style } => {
                            let Some((name, value)) = item.split_once('=') else { continue };
                            if is_reference_or_empty(value) || !(looks_secret_name(name) || looks_secret_value(value)) {
                                continue;
                            }
                            let Some(s) = scalar_inner(text, v) else { continue };
                            // Plain and simple quoted scalars are written as read: redact after `=`.
                            let written = &text[s.start..s.end];
                            match written.find('=') {
                                Some(eq)
                                    if matches!(style, Style::Plain | Style::SingleQuoted | Style::DoubleQuoted)
                                        && !written.contains('\n') =>
                                {
                                    out.push(Span::new(s.start + eq + 1, s.end))
                                }
                                _ => out.push(s),
                            }
                        }
                        _ => go(text, v, out, depth + 1),
                    }
                }
            }
            _ => {}
        }
    }
    go(text, &file.raw, &mut out, 0);
    out
}

/// For YAML that does not load: `name: value` and `- NAME=value` lines.
fn line_spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        let lead = body.len() - trimmed.len();
        let item = trimmed.strip_prefix("- ").map(str::trim_start);
        let (content, offset) = match item {
            Some(i) => (i, lead + (trimmed.len() - i.len())),
            None => (trimmed, lead),
        };
        let sep = match (content.find('='), content.find(':')) {
            (Some(e), Some(c)) => e.min(c),
            (Some(e), None) => e,
            (None, Some(c)) => c,
            (None, None) => continue,
        };
        let name = content[..sep].trim().trim_matches(['"', '\'']);
        let value = content[sep + 1..].trim();
        if value.is_empty() || is_reference_or_empty(value) {
            continue;
        }
        if looks_secret_name(name) || looks_secret_value(value) {
            let vstart = start + offset + sep + 1 + (content[sep + 1..].len() - content[sep + 1..].trim_start().len());
            out.push(inner(text, Span::new(vstart, vstart + value.len())));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HF: &str = "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345";

    #[test]
    fn names() {
        for n in [
            "DB_PASSWORD",
            "api_key",
            "OPENAI_API_KEY",
            "GITHUB_TOKEN",
            "SECRET_KEY_BASE",
            "MYSQL_ROOT_PASSWORD",
            "AWS_SECRET_ACCESS_KEY",
            "DATABASE_URL",
            "auth",
        ] {
            assert!(looks_secret_name(n), "{n}");
        }
        for n in ["PATH", "GPG_KEY", "PYTHON_VERSION", "POSTGRES_PASSWORD_FILE", "PORT", "KEYRING", "HOME"] {
            assert!(!looks_secret_name(n), "{n}");
        }
    }

    #[test]
    fn values() {
        assert!(looks_secret_value(HF));
        assert!(looks_secret_value("sk-proj-abcdefghijklmnop1234"));
        assert!(looks_secret_value("AKIAIOSFODNN7EXAMPLE"));
        assert!(looks_secret_value("postgres://app:hunter2@db:5432/app"));
        assert!(!looks_secret_value("postgres://db:5432/app"));
        assert!(!looks_secret_value("postgres://app:${PW}@db/app"));
        assert!(!looks_secret_value("sk-learn"));
        assert!(!looks_secret_value("/usr/local/bin"));
        assert!(!looks_secret_value("hf_hub_download"));
        // The shared table (berth_rules::rules::secrets) covers the lint rules' formats too.
        assert!(looks_secret_value("APP_KEY=base64:q1Zr2LxT0vNw7Pm4Ks9dHy3Jc8Bf6Gh5Ua0Wb2Xe4Yi="));
        assert!(looks_secret_value("x ${KEY:-sk-ant-api03-Fak3Key0nlyForT3sts9xQ2wE4rT6yU8aB}"));
        assert!(looks_secret_name("WEBPASSWORD") && looks_secret_name("ADMIN_PW"));
    }

    #[test]
    fn dockerfile_env_and_arg() {
        let text = format!(
            "FROM python:3.12\nENV HF_TOKEN={HF} PORT=8080\nARG DB_PASSWORD=\"hunter2 x\"\nENV REF=${{TOKEN}}\nRUN curl -H \"Authorization: Bearer abcdefgh12345\" https://x\n"
        );
        let r = redact(&text, Kind::Dockerfile, 1);
        assert!(!r.text.contains(HF));
        assert!(!r.text.contains("hunter2"));
        assert!(!r.text.contains("abcdefgh12345"));
        assert!(r.text.contains("PORT=8080"));
        assert!(r.text.contains("ENV REF=${TOKEN}"));
        assert!(r.text.contains("ARG DB_PASSWORD=\"__BERTH_SECRET_2__\""), "{}", r.text);
        assert_eq!(r.text.lines().count(), text.lines().count());
        // Offsets map both ways.
        let port = text.find("PORT").unwrap();
        let rp = r.to_redacted(port);
        assert_eq!(&r.text[rp..rp + 4], "PORT");
        assert_eq!(r.to_original(rp), Some(port));
        assert_eq!(r.restore("X=__BERTH_SECRET_1__").unwrap(), format!("X={HF}"));
        assert!(r.restore("__BERTH_SECRET_9__").is_err());
    }

    #[test]
    fn compose_environment() {
        let text = "services:\n  app:\n    environment:\n      OPENAI_API_KEY: sk-abcdefghijklmnopqrstu123\n      POSTGRES_PASSWORD: 'p@ss w0rd'\n      DEBUG: \"1\"\n    build:\n      args:\n        - NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789\n        - MODE=prod\n";
        let r = redact(text, Kind::Compose, 1);
        for s in ["sk-abcdefghijklmnopqrstu123", "p@ss w0rd", "npm_abcdefghijklmnopqrstuvwxyz0123456789"] {
            assert!(!r.text.contains(s), "{s} in {}", r.text);
        }
        assert!(r.text.contains("POSTGRES_PASSWORD: '__BERTH_SECRET_2__'"), "{}", r.text);
        assert!(r.text.contains("- NPM_TOKEN=__BERTH_SECRET_3__"), "{}", r.text);
        assert!(r.text.contains("DEBUG: \"1\"") && r.text.contains("MODE=prod"));
        // Broken YAML still gets redacted line by line.
        let broken = "services:\n  app: [\n    environment:\n      DB_PASSWORD: hunter2\n";
        let r = redact(broken, Kind::Compose, 1);
        assert!(!r.text.contains("hunter2"), "{}", r.text);
    }

    #[test]
    fn private_key_block() {
        let text = "ENV X=1\nRUN echo '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\ndef\n-----END OPENSSH PRIVATE KEY-----' > k\n";
        let r = redact(text, Kind::Dockerfile, 1);
        assert!(!r.text.contains("abc\ndef"));
        assert_eq!(r.text.lines().count(), 2);
        let after = text.find("' > k").unwrap();
        assert_eq!(r.to_original(r.to_redacted(after)), Some(after));
    }
}
