//! `.env` files as Docker Compose reads them (compose-go's `dotenv` package):
//!
//! - blank lines and lines starting with `#` are skipped;
//! - `export KEY=value` is `KEY=value`; `KEY: value` works too;
//! - a key is letters, digits, `_`, `.`, `-`, `[` and `]`; a key with a space
//!   or another character is an error that stops Compose;
//! - unquoted values run to the end of the line, lose a ` #` comment and
//!   trailing spaces, and have `${VAR}` references evaluated (earlier keys of
//!   the same file);
//! - `'single'` quotes keep the text as it is; `"double"` quotes may span
//!   lines, understand `\n`, `\t`, `\\`, `\"`, `\$` and the like, and evaluate
//!   variables; an unterminated quote is an error;
//! - a lone `KEY` takes its value from the environment (none here: berth does
//!   not read the process environment, so that results are reproducible).

use super::interpolate;

pub use super::interpolate::Env;

/// One statement of a `.env` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvEntry {
    pub name: String,
    /// `None` for a lone `KEY` (taken from the environment).
    pub value: Option<String>,
    /// 1-based line of the key.
    pub line: usize,
}

/// A problem that makes Compose refuse the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvError {
    /// 1-based line.
    pub line: usize,
    pub message: String,
}

/// A parsed `.env` file. Parsing stops at the first error, as Compose does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvFile {
    pub entries: Vec<EnvEntry>,
    pub error: Option<EnvError>,
}

impl Env {
    /// The variables a `.env` text defines (lone `KEY` lines define nothing).
    pub fn from_dotenv(text: &str) -> Env {
        EnvFile::parse(text).env()
    }
}

/// Compose's notion of a space inside a line (not a line break).
fn is_space(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}')
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '[' | ']')
}

impl EnvFile {
    /// The variables with values, later definitions winning.
    pub fn env(&self) -> Env {
        let mut env = Env::new();
        for e in &self.entries {
            if let Some(v) = &e.value {
                env.insert(e.name.clone(), v.clone());
            }
        }
        env
    }

    pub fn parse(text: &str) -> EnvFile {
        let mut p = Parser { src: text, at: 0, out: EnvFile::default(), env: Env::new() };
        if let Err(e) = p.run() {
            p.out.error = Some(e);
        }
        p.out
    }
}

struct Parser<'t> {
    src: &'t str,
    at: usize,
    out: EnvFile,
    env: Env,
}

impl Parser<'_> {
    fn line_of(&self, at: usize) -> usize {
        self.src[..at.min(self.src.len())].bytes().filter(|&b| b == b'\n').count() + 1
    }

    fn err(&self, at: usize, message: String) -> EnvError {
        EnvError { line: self.line_of(at), message }
    }

    fn rest(&self) -> &str {
        &self.src[self.at..]
    }

    fn run(&mut self) -> Result<(), EnvError> {
        loop {
            // Statement start: skip white space (line breaks too) and comment lines.
            let rest = self.rest();
            let Some(skip) = rest.find(|c: char| !c.is_whitespace()) else { return Ok(()) };
            self.at += skip;
            if self.rest().starts_with('#') {
                match self.rest().find('\n') {
                    Some(n) => {
                        self.at += n;
                        continue;
                    }
                    None => return Ok(()),
                }
            }
            self.statement()?;
        }
    }

    fn statement(&mut self) -> Result<(), EnvError> {
        let start = self.at;
        let rest = self.rest();
        if let Some(after) = rest.strip_prefix("export")
            && after.starts_with(char::is_whitespace)
        {
            let trimmed = after.trim_start_matches(is_space);
            self.at += rest.len() - trimmed.len();
        }
        // The key runs to `=`, `:` or the end of the line; spaces are allowed around it.
        let rest = self.rest();
        let mut end = None;
        for (i, c) in rest.char_indices() {
            if is_space(c) {
                continue;
            }
            match c {
                '=' | ':' | '\n' => {
                    end = Some((i, c));
                    break;
                }
                c if is_key_char(c) => {}
                c => {
                    let line = rest.lines().next().unwrap_or("");
                    return Err(self.err(self.at, format!("unexpected character `{c}` in variable name `{line}`")));
                }
            }
        }
        let (key_end, term) = end.unwrap_or((rest.len(), '\n'));
        let key = rest[..key_end].trim_end_matches(is_space).to_string();
        if key.contains(is_space) {
            return Err(self.err(start, format!("key `{key}` contains a space")));
        }
        let line = self.line_of(start);
        self.at += (key_end + term.len_utf8()).min(rest.len());
        if term == '\n' {
            self.out.entries.push(EnvEntry { name: key, value: None, line });
            return Ok(());
        }
        let rest = self.rest();
        let trimmed = rest.trim_start_matches(is_space);
        self.at += rest.len() - trimmed.len();
        let value = self.value()?;
        self.env.insert(key.clone(), value.clone());
        self.out.entries.push(EnvEntry { name: key, value: Some(value), line });
        Ok(())
    }

    fn expand(&self, at: usize, value: &str) -> Result<String, EnvError> {
        interpolate::evaluate_str(value, &self.env).map_err(|e| self.err(at, e))
    }

    fn value(&mut self) -> Result<String, EnvError> {
        let start = self.at;
        let rest = self.rest();
        let quote = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => q,
            _ => {
                let line_end = rest.find('\n').unwrap_or(rest.len());
                let line = &rest[..line_end];
                let value = line.split_once(" #").map_or(line, |(v, _)| v).trim_end().to_string();
                self.at += line_end;
                return self.expand(start, &value);
            }
        };
        let mut chars = String::new();
        let mut escaped = false;
        for (i, c) in rest.char_indices().skip(1) {
            if escaped {
                escaped = false;
                if c != quote {
                    chars.push('\\');
                }
                chars.push(c);
                continue;
            }
            if c == '\\' {
                escaped = true;
            } else if c == quote {
                self.at += i + 1;
                if quote == '\'' {
                    return Ok(chars);
                }
                return self.expand(start, &unescape(&chars));
            } else {
                chars.push(c);
            }
        }
        let line = rest.lines().next().unwrap_or("");
        Err(self.err(start, format!("unterminated quoted value `{line}`")))
    }
}

/// The escape sequences of a double-quoted value: `\n`, `\t`, `\\`, `\"`,
/// `\0NNN` octal and the like; `\$` becomes `$$` (a literal `$` for the
/// interpolation that follows). Others stay as written.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.peek().copied() {
            Some(n @ ('a' | 'b' | 'c' | 'f' | 'n' | 'r' | 't' | 'v' | '$' | '"' | '\\')) => {
                it.next();
                match n {
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'v' => out.push('\u{b}'),
                    '$' => out.push_str("$$"),
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    // `\c` is matched by Compose's pattern but is no Go escape: kept.
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            Some('0') => {
                it.next();
                let mut digits = String::new();
                while digits.len() < 3 && it.peek().is_some_and(|d| d.is_ascii_digit()) {
                    digits.extend(it.next());
                }
                match u32::from_str_radix(if digits.is_empty() { "0" } else { &digits }, 8)
                    .ok()
                    .filter(|v| *v <= 0o377)
                    .and_then(char::from_u32)
                {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push_str("\\0");
                        out.push_str(&digits);
                    }
                }
            }
            _ => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(text: &str) -> Vec<(String, Option<String>)> {
        let f = EnvFile::parse(text);
        assert_eq!(f.error, None, "{text:?}");
        f.entries.into_iter().map(|e| (e.name, e.value)).collect()
    }

    fn one(text: &str) -> String {
        vars(text).pop().and_then(|(_, v)| v).unwrap()
    }

    #[test]
    fn plain_values_comments_and_export() {
        let text = "# a comment\n\nA=1\nexport B = two words  \nC=x # note\nD=x#not-a-comment\nE: yaml-style\n  F=indented\nexported=1\n";
        assert_eq!(
            vars(text),
            [
                ("A".into(), Some("1".into())),
                ("B".into(), Some("two words".into())),
                ("C".into(), Some("x".into())),
                ("D".into(), Some("x#not-a-comment".into())),
                ("E".into(), Some("yaml-style".into())),
                ("F".into(), Some("indented".into())),
                ("exported".into(), Some("1".into())),
            ]
        );
        let f = EnvFile::parse("A=1\nB=2\n");
        assert_eq!(f.entries[1].line, 2);
        assert_eq!(one("EMPTY="), "");
        assert_eq!(one("K.x-y[0]=v"), "v");
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(one("A='single $X \\n'"), "single $X \\n");
        assert_eq!(one("A=\"tab\\there\\nnew \\\"q\\\" \\\\ \\$HOME\""), "tab\there\nnew \"q\" \\ $HOME");
        assert_eq!(one("A=\"multi\nline\""), "multi\nline");
        assert_eq!(one("A='it\\'s'"), "it's");
        assert_eq!(one("A=\"\\0101\""), "A");
        assert_eq!(one("A=\"x\" # comment"), "x");
    }

    #[test]
    fn variables_from_earlier_lines() {
        let f = EnvFile::parse("HOST=db\nURL=postgres://${HOST}:${PORT:-5432}/$NAME\nLIT='${HOST}'\nQ=\"${HOST}\"\n");
        let env = f.env();
        assert_eq!(env.get("URL"), Some("postgres://db:5432/"));
        assert_eq!(env.get("LIT"), Some("${HOST}"));
        assert_eq!(env.get("Q"), Some("db"));
        assert_eq!(Env::from_dotenv("A=$$x").get("A"), Some("$x"));
    }

    #[test]
    fn inherited_keys_have_no_value() {
        let f = EnvFile::parse("TOKEN\nA=1\nLAST");
        assert_eq!(f.error, None);
        assert_eq!(f.entries[0], EnvEntry { name: "TOKEN".into(), value: None, line: 1 });
        assert_eq!(f.entries[2].name, "LAST");
        assert!(!f.env().contains("TOKEN"));
    }

    #[test]
    fn errors_stop_parsing_with_a_line() {
        let f = EnvFile::parse("A=1\nB C=2\nD=3\n");
        assert_eq!(f.error.as_ref().map(|e| e.line), Some(2));
        assert_eq!(f.entries.len(), 1);
        let f = EnvFile::parse("A=1\nB!=2\n");
        assert!(f.error.as_ref().unwrap().message.contains("unexpected character `!`"));
        let f = EnvFile::parse("A=\"open\nB=2\n");
        assert!(f.error.unwrap().message.contains("unterminated"));
        let f = EnvFile::parse("A=${B\n");
        assert!(f.error.is_some(), "an invalid interpolation stops Compose too");
        for t in ["=", "\"", "export", "export ", "A=\"\\", "\u{feff}A=1", "A=\\0999"] {
            let _ = EnvFile::parse(t);
        }
    }
}
