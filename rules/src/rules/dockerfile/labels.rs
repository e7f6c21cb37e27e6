//! Label helpers shared by the label rules (DL3048-DL3058): reading LABEL
//! pairs with their variables evaluated, the configured label schema, and the
//! value validators (URL, RFC 3339 time, SPDX expression, git hash, semantic
//! version, e-mail address).

use crate::engine::{Context, Diagnostic, LabelType, RuleMeta};
use crate::model::key_values;
use crate::syntax::{Instruction, Keyword};
use crate::text::Span;

/// One `key=value` pair of a LABEL instruction.
#[derive(Debug, Clone)]
pub(super) struct Label {
    /// The key with quotes removed and variables evaluated; `None` when a variable has no known value.
    pub key: Option<String>,
    /// The key as written, quotes removed.
    pub key_written: String,
    pub key_span: Span,
    /// The value with quotes removed and variables evaluated; `None` when a
    /// variable has no known value.
    pub value: Option<String>,
    /// The value as written, quotes removed (empty when absent).
    pub value_written: String,
    /// Span of the value, or of the key when there is no value.
    pub value_span: Span,
}

/// The pairs of one LABEL instruction (`inst` is the effective instruction).
pub(super) fn labels_of(cx: &Context<'_, '_>, idx: usize, inst: &Instruction) -> Vec<Label> {
    let eval = |text: &str| {
        if !text.contains('$') {
            return Some(text.to_string());
        }
        let e = cx.model.expand(text, idx);
        e.unresolved.is_empty().then_some(e.value)
    };
    key_values(inst)
        .iter()
        .map(|kv| {
            let value_written = kv.value.clone().unwrap_or_default();
            Label {
                key: eval(&kv.key),
                key_written: kv.key.clone(),
                key_span: kv.key_span,
                value: eval(&value_written),
                value_written,
                value_span: kv.value_span.filter(|s| !s.is_empty()).unwrap_or(kv.key_span),
            }
        })
        .collect()
}

/// Every label pair of the file, ONBUILD LABELs included.
pub(super) fn all_labels(cx: &Context<'_, '_>) -> Vec<Label> {
    cx.each(Keyword::Label).flat_map(|(idx, inst)| labels_of(cx, idx, inst)).collect()
}

/// The schema type of `key`, when the label schema names it.
pub(super) fn schema_type(cx: &Context<'_, '_>, key: &str) -> Option<LabelType> {
    cx.inputs.settings.label_schema.iter().find(|(name, _)| name == key).map(|(_, t)| *t)
}

/// Report every label whose schema type is `ty` and whose (evaluated, non-empty)
/// value `valid` rejects. Empty values are DL3051's; unresolved ones are left alone.
pub(super) fn check_typed(
    cx: &Context<'_, '_>,
    out: &mut Vec<Diagnostic>,
    meta: &'static RuleMeta,
    ty: LabelType,
    valid: fn(&str) -> bool,
    advice: &str,
) {
    if !cx.inputs.settings.label_schema.iter().any(|(_, t)| *t == ty) {
        return;
    }
    for label in all_labels(cx) {
        let (Some(key), Some(value)) = (&label.key, &label.value) else { continue };
        if schema_type(cx, key) != Some(ty) || value.trim().is_empty() || valid(value) {
            continue;
        }
        let from =
            if *value == label.value_written { String::new() } else { format!(" (from `{}`)", label.value_written) };
        out.push(meta.diagnostic(
            label.value_span,
            format!("`{value}`{from} is not {}, which the label schema requires for `{key}`; {advice}", describe(ty)),
        ));
    }
}

fn describe(ty: LabelType) -> &'static str {
    match ty {
        LabelType::Text => "text",
        LabelType::Url => "a URL",
        LabelType::Semver => "a semantic version",
        LabelType::Hash => "a git commit hash",
        LabelType::Rfc3339 => "an RFC 3339 timestamp",
        LabelType::Spdx => "an SPDX license expression",
        LabelType::Email => "an e-mail address",
    }
}

// ---------------------------------------------------------------------------
// Validators

/// An absolute URI: a scheme, `:`, and URI characters (percent escapes well formed).
pub(super) fn is_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else { return false };
    let mut sc = scheme.chars();
    if !sc.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !sc.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return false;
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            if !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            {
                return false;
            }
            i += 3;
            continue;
        }
        let ok = b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b);
        if !ok {
            return false;
        }
        i += 1;
    }
    // `http://` needs a host.
    if let Some(auth) = rest.strip_prefix("//") {
        let host = auth.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit('@').next().unwrap_or("");
        if host.is_empty() && matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https" | "ftp" | "git" | "ssh") {
            return false;
        }
    }
    true
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// An RFC 3339 date-time: `2024-05-01T12:30:00Z`, with optional fraction and a
/// `Z` or `±hh:mm` offset (lower-case `t` and `z` accepted).
pub(super) fn is_rfc3339(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', 't']) else { return false };
    let mut d = date.split('-');
    let (Some(y), Some(m), Some(day), None) = (d.next(), d.next(), d.next(), d.next()) else { return false };
    let (Some(y), Some(m), Some(day)) = (digits(y, 4), digits(m, 2), digits(day, 2)) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days {
        return false;
    }
    // Offset: `Z` or `+hh:mm` / `-hh:mm`.
    let (clock, offset_ok) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, true)
    } else if let Some(p) = time.rfind(['+', '-']) {
        let off = &time[p + 1..];
        let ok = match off.split_once(':') {
            Some((h, mm)) => digits(h, 2).is_some_and(|h| h < 24) && digits(mm, 2).is_some_and(|mm| mm < 60),
            None => false,
        };
        (&time[..p], ok)
    } else {
        return false;
    };
    if !offset_ok {
        return false;
    }
    let (hms, frac) = match clock.split_once('.') {
        Some((a, f)) => (a, Some(f)),
        None => (clock, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let mut t = hms.split(':');
    let (Some(h), Some(mi), Some(sec), None) = (t.next(), t.next(), t.next(), t.next()) else { return false };
    matches!(
        (digits(h, 2), digits(mi, 2), digits(sec, 2)),
        (Some(h), Some(mi), Some(sec)) if h < 24 && mi < 60 && sec <= 60
    )
}

/// A git commit hash: 7 to 40 hexadecimal digits (abbreviated or full SHA-1),
/// or 64 (SHA-256 repositories).
pub(super) fn is_git_hash(s: &str) -> bool {
    ((7..=40).contains(&s.len()) || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A semantic version 2.0.0: `MAJOR.MINOR.PATCH[-pre][+build]`, no leading zeros.
pub(super) fn is_semver(s: &str) -> bool {
    let (rest, build) = match s.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (s, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let numeric = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit()) && (x == "0" || !x.starts_with('0'));
    let ident = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() != 3 || !parts.iter().all(|p| numeric(p)) {
        return false;
    }
    if let Some(pre) = pre
        && !pre.split('.').all(|p| ident(p) && (!p.bytes().all(|b| b.is_ascii_digit()) || numeric(p)))
    {
        return false;
    }
    build.is_none_or(|b| b.split('.').all(ident))
}

/// An e-mail address as RFC 5322 writes one: an `addr-spec` (a dot-atom or
/// quoted local part, `@`, and a dot-atom domain or a `[...]` domain literal),
/// optionally as `Display Name <addr-spec>`.
pub(super) fn is_email(s: &str) -> bool {
    if let Some(inner) = s.strip_suffix('>')
        && let Some((name, addr)) = inner.split_once('<')
    {
        return !name.contains(['<', '>', '@']) && is_addr_spec(addr);
    }
    is_addr_spec(s)
}

fn is_addr_spec(s: &str) -> bool {
    let Some(at) = s.rfind('@') else { return false };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let dot_atom =
        |x: &str, ok: &dyn Fn(char) -> bool| !x.is_empty() && x.split('.').all(|p| !p.is_empty() && p.chars().all(ok));
    let local_ok = if local.len() >= 2 && local.starts_with('"') && local.ends_with('"') {
        let inner = &local[1..local.len() - 1];
        let mut chars = inner.chars();
        let mut ok = true;
        while let Some(c) = chars.next() {
            if c == '\\' {
                ok &= chars.next().is_some();
            } else if c == '"' || !(c == ' ' || c.is_ascii_graphic()) {
                ok = false;
            }
        }
        ok
    } else {
        dot_atom(local, &atext)
    };
    let domain_ok = if domain.starts_with('[') && domain.ends_with(']') && domain.len() >= 2 {
        domain[1..domain.len() - 1].chars().all(|c| c.is_ascii_graphic() && !matches!(c, '[' | ']' | '\\'))
    } else {
        dot_atom(domain, &|c: char| c.is_ascii_alphanumeric() || c == '-')
    };
    local_ok && domain_ok
}

/// Common SPDX license identifiers (a selection: the licenses projects use most).
const SPDX_IDS: &[&str] = &[
    "0BSD",
    "AAL",
    "AFL-3.0",
    "AGPL-1.0",
    "AGPL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.0",
    "Apache-1.1",
    "Apache-2.0",
    "APSL-2.0",
    "Artistic-1.0",
    "Artistic-2.0",
    "BlueOak-1.0.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-2-Clause-Patent",
    "BSD-3-Clause",
    "BSD-3-Clause-Clear",
    "BSD-4-Clause",
    "BSL-1.0",
    "BUSL-1.1",
    "CAL-1.0",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-ND-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "CECILL-2.1",
    "CPAL-1.0",
    "CPL-1.0",
    "ECL-2.0",
    "EFL-2.0",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.1",
    "EUPL-1.2",
    "GFDL-1.3",
    "GFDL-1.3-only",
    "GFDL-1.3-or-later",
    "GPL-1.0",
    "GPL-1.0-only",
    "GPL-1.0-or-later",
    "GPL-2.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "HPND",
    "ICU",
    "IPL-1.0",
    "ISC",
    "LGPL-2.0",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "LPL-1.02",
    "LPPL-1.3c",
    "MirOS",
    "MIT",
    "MIT-0",
    "MPL-1.0",
    "MPL-1.1",
    "MPL-2.0",
    "MPL-2.0-no-copyleft-exception",
    "MS-PL",
    "MS-RL",
    "MulanPSL-2.0",
    "NCSA",
    "ODbL-1.0",
    "OFL-1.1",
    "OpenSSL",
    "OSL-3.0",
    "PHP-3.0",
    "PHP-3.01",
    "PostgreSQL",
    "Python-2.0",
    "Ruby",
    "SSPL-1.0",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "Unlicense",
    "UPL-1.0",
    "Vim",
    "W3C",
    "WTFPL",
    "X11",
    "Zlib",
    "ZPL-2.1",
];

/// Common SPDX license exceptions (after `WITH`).
const SPDX_EXCEPTIONS: &[&str] = &[
    "Autoconf-exception-3.0",
    "Bison-exception-2.2",
    "Classpath-exception-2.0",
    "GCC-exception-3.1",
    "LLVM-exception",
    "OpenJDK-assembly-exception-1.0",
    "openvpn-openssl-exception",
    "Qt-GPL-exception-1.0",
    "Qt-LGPL-exception-1.1",
    "Universal-FOSS-exception-1.0",
];

/// An SPDX license expression built from common license ids (`MIT`,
/// `Apache-2.0+`, `LicenseRef-x`), `AND`, `OR`, `WITH <exception>` and parentheses.
pub(super) fn is_spdx(s: &str) -> bool {
    let spaced = s.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut pos = 0;
    spdx_or(&tokens, &mut pos, 0) && pos == tokens.len()
}

fn spdx_or(t: &[&str], pos: &mut usize, depth: usize) -> bool {
    if !spdx_and(t, pos, depth) {
        return false;
    }
    while t.get(*pos).is_some_and(|x| x.eq_ignore_ascii_case("OR")) {
        *pos += 1;
        if !spdx_and(t, pos, depth) {
            return false;
        }
    }
    true
}

fn spdx_and(t: &[&str], pos: &mut usize, depth: usize) -> bool {
    if !spdx_term(t, pos, depth) {
        return false;
    }
    while t.get(*pos).is_some_and(|x| x.eq_ignore_ascii_case("AND")) {
        *pos += 1;
        if !spdx_term(t, pos, depth) {
            return false;
        }
    }
    true
}

fn spdx_term(t: &[&str], pos: &mut usize, depth: usize) -> bool {
    let Some(&tok) = t.get(*pos) else { return false };
    *pos += 1;
    if tok == "(" {
        // Bounded nesting keeps hostile input cheap.
        if depth > 32 || !spdx_or(t, pos, depth + 1) || t.get(*pos) != Some(&")") {
            return false;
        }
        *pos += 1;
        return true;
    }
    if !is_license_id(tok) {
        return false;
    }
    if t.get(*pos).is_some_and(|x| x.eq_ignore_ascii_case("WITH")) {
        *pos += 1;
        let Some(exc) = t.get(*pos) else { return false };
        *pos += 1;
        return SPDX_EXCEPTIONS.iter().any(|e| e.eq_ignore_ascii_case(exc));
    }
    true
}

fn is_license_id(tok: &str) -> bool {
    let id = tok.strip_suffix('+').unwrap_or(tok);
    if let Some(r) = id.strip_prefix("LicenseRef-").or_else(|| id.strip_prefix("DocumentRef-")) {
        return !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':'));
    }
    SPDX_IDS.iter().any(|x| x.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators() {
        assert!(is_url("https://github.com/acme/app"));
        assert!(is_url("mailto:team@example.com"));
        assert!(!is_url("github.com/acme/app"));
        assert!(!is_url("https://exa mple.com"));
        assert!(!is_url("https://"));
        assert!(is_rfc3339("2024-02-29T12:30:00Z"));
        assert!(is_rfc3339("2024-05-01T12:30:00.123+02:00"));
        assert!(!is_rfc3339("2023-02-29T12:30:00Z"));
        assert!(!is_rfc3339("2024-05-01"));
        assert!(!is_rfc3339("2024-05-01T25:00:00Z"));
        assert!(is_git_hash("3f2c1ab"));
        assert!(!is_git_hash("3f2c1a"));
        assert!(!is_git_hash("main"));
        assert!(is_semver("1.2.3-rc.1+build.5"));
        assert!(!is_semver("v1.2.3"));
        assert!(!is_semver("1.02.3"));
        assert!(!is_semver("1.2"));
        assert!(is_email("dev.team+ops@example.com"));
        assert!(!is_email("dev team@example.com"));
        assert!(is_email("Jupyter Project <jupyter@googlegroups.com>"));
        assert!(!is_email("Team <team@>"));
        assert!(!is_email("example.com"));
        assert!(is_spdx("MIT"));
        assert!(is_spdx("(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0"));
        assert!(is_spdx("LicenseRef-acme"));
        assert!(!is_spdx("MIT OR"));
        assert!(!is_spdx("Apache 2"));
        assert!(!is_spdx("((MIT)"));
    }
}
