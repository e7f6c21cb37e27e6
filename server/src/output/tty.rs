//! `--format tty`: for people. `path:line:col: CODE name message`, then the
//! source line with a caret under the range, then a summary.

use super::{FileReport, position, visible};
use berth_rules::Severity;
use berth_rules::rules::secrets;

pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
    }
    fn severity(&self, sev: Severity, s: &str) -> String {
        let code = match sev {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
            Severity::Style => "1;35",
        };
        self.paint(code, s)
    }
}

/// Bytes of context shown on each side of a finding on a long line.
const WINDOW: usize = 80;

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn expand_tabs(s: &str) -> String {
    s.replace('\t', "    ")
}

/// An AI suggestion: its title, then each edit's lines (`-` removed, `+` added).
fn ai_suggestion(r: &FileReport, ai: &super::AiFix, width: usize, style: &Style) -> String {
    let mut out = format!(
        "{:>width$} = {}: {}\n",
        "",
        style.paint("1;34", "AI suggestion (unsafe, review it)"),
        visible(&ai.fix.title)
    );
    for e in &ai.fix.edits {
        let (l1, _) = position(r, e.span.start);
        let removed = r.text.get(e.span.start..e.span.end).unwrap_or("");
        let shown = |s: &str| s.lines().take(12).map(|l| expand_tabs(&visible(l))).collect::<Vec<_>>();
        for (i, line) in shown(removed).iter().enumerate() {
            out += &format!("{:>width$} {} {line}\n", l1 + i, style.paint("31", "-"));
        }
        for line in shown(&e.new_text) {
            out += &format!("{:>width$} {} {line}\n", "", style.paint("32", "+"));
        }
    }
    if let Some(x) = &ai.explanation {
        out += &format!("{:>width$} = why: {}\n", "", visible(&super::one_line(x)));
    }
    out
}

/// The byte ranges of a report's text to mask in excerpts: known credential
/// formats and private keys (the shared secrets module's redaction), and the
/// values that literal-secret findings point at.
fn secret_ranges(r: &FileReport) -> Vec<std::ops::Range<usize>> {
    if r.diagnostics.is_empty() {
        return Vec::new();
    }
    let mut v: Vec<_> =
        secrets::find_credentials(&r.text, secrets::Judge::Redact).into_iter().map(|(r, _)| r).collect();
    // Not when the finding points at a YAML alias (`<<: *defaults`): the value is elsewhere.
    let literal =
        |d: &&berth_rules::Diagnostic| r.text.get(d.span.start..d.span.end).is_some_and(|t| !t.starts_with('*'));
    v.extend(
        r.diagnostics
            .iter()
            .filter(|d| MASK_SPAN_OF.contains(&d.code))
            .filter(literal)
            .filter_map(|d| secret_part(&r.text, d.span.start..d.span.end)),
    );
    v
}

/// The part of a literal secret's value to hide: the default of
/// `${NAME:-default}` (the name stays readable), the password of
/// `scheme://user:password@host`, else all of it.
fn secret_part(text: &str, span: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let t = text.get(span.clone())?;
    if let Some(rest) = t.strip_prefix("${") {
        let name = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
        let ops = rest[name..].len() - rest[name..].trim_start_matches([':', '-', '?', '+', '=']).len();
        let start = span.start + 2 + name + ops;
        let end = span.start + t.rfind('}').unwrap_or(t.len());
        return (end > start).then_some(start..end);
    }
    if let Some(scheme) = t.find("://")
        && let Some(at) = t.rfind('@')
        && let Some(colon) = t[scheme + 3..at].find(':')
    {
        return Some(span.start + scheme + 3 + colon + 1..span.start + at);
    }
    Some(span)
}

/// Rules whose span is a secret's literal value.
const MASK_SPAN_OF: [&str; 1] = ["BC2008"];

/// `line` (at byte `at` of the text) with the characters of `secrets` after
/// the first few turned into `*`, one per byte, so that offsets stay valid.
fn masked(line: &str, at: usize, secrets: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, c) in line.char_indices() {
        let pos = at + i;
        let hidden = secrets.iter().any(|s| {
            let keep = if s.end - s.start > 8 { 4 } else { 1 };
            pos >= s.start + keep && pos < s.end
        });
        if hidden {
            out.extend(std::iter::repeat_n('*', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

pub fn render(reports: &[FileReport], files: usize, style: &Style) -> String {
    let mut out = String::new();
    let mut counts = [0usize; 4];
    let mut fixable = 0;
    let mut with_findings = 0;
    for r in reports {
        if !r.diagnostics.is_empty() {
            with_findings += 1;
        }
        let secrets = secret_ranges(r);
        let shown_path = visible(&r.display);
        for d in &r.diagnostics {
            counts[d.severity as usize] += 1;
            if d.fix.is_some() {
                fixable += 1;
            }
            let (line, col) = position(r, d.span.start);
            out += &format!(
                "{}:{}:{}: {} {} {}\n",
                style.paint("1", &shown_path),
                line,
                col,
                style.severity(d.severity, d.code),
                style.paint("2", d.name),
                visible(&d.message)
            );
            // The source line with a caret range under the finding.
            let lspan = r.lines.line_span(&r.text, line - 1);
            let start = d.span.start.clamp(lspan.start, lspan.end);
            let end = d.span.end.clamp(start, lspan.end);
            // Show at most a window of the line around the finding, so very long
            // lines (minified or generated) stay readable and cheap to print.
            let win_start = floor_boundary(&r.text, start.saturating_sub(WINDOW).max(lspan.start));
            let win_end = floor_boundary(&r.text, (end + WINDOW).min(lspan.end));
            let head = if win_start > lspan.start { "…" } else { "" };
            let tail = if win_end < lspan.end { "…" } else { "" };
            // Secrets masked, control characters escaped, tabs expanded.
            let text = masked(&r.text[lspan.start..lspan.end], lspan.start, &secrets);
            let part = |a: usize, b: usize| expand_tabs(&visible(&text[a - lspan.start..b - lspan.start]));
            let src = part(win_start, win_end);
            let before = part(win_start, start);
            let marked = part(start, end.min(win_end).max(start));
            let width = line.to_string().len();
            let carets = "^".repeat(marked.chars().count().max(1));
            let more = if d.span.end > lspan.end { "..." } else { "" };
            out += &format!("{:>width$} | {head}{src}{tail}\n", line);
            out += &format!(
                "{:>width$} | {}{}{} {}\n",
                "",
                " ".repeat(head.chars().count()),
                " ".repeat(before.chars().count()),
                style.severity(d.severity, &format!("{carets}{more}")),
                style.severity(d.severity, d.severity.as_str())
            );
            if let Some(f) = &d.fix {
                out += &format!("{:>width$} = fix ({}): {}\n", "", f.safety.as_str(), visible(&f.title));
            } else if let Some(ai) = r.ai_fix(d) {
                out += &ai_suggestion(r, ai, width, style);
            }
            for rel in &d.related {
                let (rl, rc) = position(r, rel.span.start);
                out += &format!("{:>width$} = note: {}:{}:{}: {}\n", "", shown_path, rl, rc, visible(&rel.message));
            }
        }
    }
    let total: usize = counts.iter().sum();
    if super::QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        return out;
    }
    let files_word = if files == 1 { "file" } else { "files" };
    let unread = super::UNREAD.load(std::sync::atomic::Ordering::Relaxed);
    if total == 0 && unread > 0 {
        let paths = if unread == 1 { "path" } else { "paths" };
        out += &format!(
            "{} no problems in {files} {files_word}, but {unread} {paths} could not be linted (named on standard error)\n",
            style.paint("1;31", "error:")
        );
    } else if total == 0 {
        out += &format!("{} no problems in {files} {files_word}\n", style.paint("1;32", "ok:"));
    } else {
        let mut parts = Vec::new();
        for (i, name) in ["error", "warning", "info", "style"].iter().enumerate() {
            if counts[i] > 0 {
                let plural = if counts[i] > 1 && i < 2 { "s" } else { "" };
                parts.push(format!("{} {name}{plural}", counts[i]));
            }
        }
        let problems = if total == 1 { "problem" } else { "problems" };
        out += &format!(
            "{} {total} {problems} ({}) in {with_findings} of {files} {files_word}; {fixable} with an automatic fix\n",
            style.paint("1", "found"),
            parts.join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_parts() {
        fn part(t: &str) -> Option<&str> {
            secret_part(t, 0..t.len()).map(|r| &t[r])
        }
        assert_eq!(part("${DB_PASSWORD:-hunter22}"), Some("hunter22"));
        assert_eq!(part("${DB_PASSWORD}"), None);
        assert_eq!(part("postgres://app:s3cret@db:5432/app"), Some("s3cret"));
        assert_eq!(part("hunter22"), Some("hunter22"));
        assert_eq!(masked("KEY=abcdefghijkl", 0, std::slice::from_ref(&(4..16))), "KEY=abcd********");
        assert_eq!(masked("KEY=abc", 0, std::slice::from_ref(&(4..7))), "KEY=a**");
    }
}
