//! Property tests (proptest, on stable): position conversions with
//! astral-plane and combining characters, and the promises of fixing: fixes
//! keep every byte outside their edits, and fixing is idempotent.

use berth_rules::engine::{self, Edit, Fix, Safety, Selection, fix};
use berth_rules::text::{LineCol, LineIndex, Span};
use proptest::prelude::*;

/// Characters that stress conversions: ASCII, line breaks (LF and CRLF), a
/// two-byte letter, a combining mark, CJK (three bytes), emoji (four bytes,
/// two UTF-16 units), a zero-width joiner.
const ALPHABET: &[&str] =
    &["a", "Z", " ", "\t", "\n", "\r\n", "é", "e\u{301}", "中", "😀", "👩\u{200d}💻", "\\", "$", "#"];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..80).prop_map(|v| v.concat())
}

/// Byte offsets where a caret can sit: char boundaries that are not between
/// the `\r` and `\n` of a CRLF.
fn caret_offsets(t: &str) -> Vec<usize> {
    (0..=t.len())
        .filter(|&i| t.is_char_boundary(i) && !(i > 0 && t.as_bytes()[i - 1] == b'\r' && t[i..].starts_with('\n')))
        .collect()
}

fn line_starts(t: &str) -> Vec<usize> {
    std::iter::once(0).chain(t.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn positions_round_trip(t in text()) {
        let idx = LineIndex::new(&t);
        let starts = line_starts(&t);
        prop_assert_eq!(idx.line_count(), starts.len());
        for off in caret_offsets(&t) {
            let line = starts.iter().rposition(|&s| s <= off).unwrap();
            let before = &t[starts[line]..off];
            let c = idx.char_pos(&t, off);
            let u = idx.utf16_pos(&t, off);
            prop_assert_eq!(c, LineCol { line, col: before.chars().count() });
            prop_assert_eq!(u, LineCol { line, col: before.encode_utf16().count() });
            // The \r of a CRLF belongs to the line break, not the line: a
            // column there maps to the end of the line's content.
            let expect = off;
            prop_assert_eq!(idx.offset_of_char_pos(&t, c), expect);
            prop_assert_eq!(idx.offset_of_utf16_pos(&t, u), expect);
        }
    }

    #[test]
    fn positions_never_panic_and_land_on_boundaries(t in text(), line in 0usize..100, col in 0usize..200, off in 0usize..400) {
        let idx = LineIndex::new(&t);
        let a = idx.offset_of_utf16_pos(&t, LineCol { line, col });
        let b = idx.offset_of_char_pos(&t, LineCol { line, col });
        prop_assert!(a <= t.len() && t.is_char_boundary(a));
        prop_assert!(b <= t.len() && t.is_char_boundary(b));
        // A column inside a surrogate pair or past the end clamps, within the same line.
        if line < idx.line_count() {
            prop_assert_eq!(idx.line_of(a), line);
            prop_assert_eq!(idx.line_of(b), line);
        }
        let _ = idx.char_pos(&t, off);
        let _ = idx.utf16_pos(&t, off);
    }

    #[test]
    fn applying_fixes_keeps_every_byte_outside_their_edits(
        t in text(),
        raw in prop::collection::vec((0usize..400, 0usize..20, prop::sample::select(ALPHABET)), 0..8),
        group in 1usize..4,
    ) {
        // Random edits on char boundaries, grouped into fixes of up to `group` edits.
        let bounds: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
        let edits: Vec<Edit> = raw
            .iter()
            .map(|&(s, len, ins)| {
                let a = bounds[s % bounds.len()];
                let b = bounds[((s % bounds.len()) + len).min(bounds.len() - 1)];
                Edit { span: Span::new(a, b), new_text: ins.to_string() }
            })
            .collect();
        let fixes: Vec<Fix> = edits.chunks(group).map(|c| Fix::safe("test", c.to_vec())).collect();
        let refs: Vec<&Fix> = fixes.iter().collect();
        let (out, applied) = fix::apply(&t, &refs);
        prop_assert!(applied <= fixes.len());
        // Every stretch of the input that no edit touches is in the output, in order.
        let mut covered = vec![false; t.len()];
        // Edit boundaries cut stretches too (an insertion covers no byte).
        let mut cut = vec![false; t.len() + 1];
        for e in &edits {
            cut[e.span.start] = true;
            cut[e.span.end] = true;
            for c in covered.iter_mut().take(e.span.end).skip(e.span.start) {
                *c = true;
            }
        }
        let mut at = 0;
        let mut i = 0;
        while i < t.len() {
            if covered[i] { i += 1; continue; }
            let j = (i + 1..t.len()).find(|&j| covered[j] || cut[j]).unwrap_or(t.len());
            let piece = &t[i..j];
            match out[at..].find(piece) {
                Some(k) => at += k + piece.len(),
                None => prop_assert!(false, "lost {:?} of {:?} -> {:?}", piece, t, out),
            }
            i = j;
        }
        if applied == 0 {
            prop_assert_eq!(&out, &t);
        }
    }
}

fn fixture_texts(ext: &str) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/rules");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .collect();
    v.sort();
    v.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect()
}

/// A fixture with some lines dropped, duplicated or swapped.
fn mutated(texts: &'static [String]) -> impl Strategy<Value = String> {
    (0..texts.len(), prop::collection::vec((0usize..3, 0usize..1000, 0usize..1000), 0..6)).prop_map(move |(i, ops)| {
        let mut lines: Vec<&str> = texts[i].split_inclusive('\n').collect();
        for (op, a, b) in ops {
            if lines.is_empty() {
                break;
            }
            let (a, b) = (a % lines.len(), b % lines.len());
            match op {
                0 => {
                    lines.remove(a);
                }
                1 => lines.insert(b, lines[a]),
                _ => lines.swap(a, b),
            }
        }
        lines.concat()
    })
}

static DOCKERFILES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| fixture_texts(".Dockerfile"));
static COMPOSE: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| fixture_texts(".compose.yaml"));

fn all_rules() -> Selection {
    Selection { include_off_by_default: true, ..Selection::default() }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn dockerfile_fixing_is_idempotent(t in mutated(&DOCKERFILES)) {
        let sel = all_rules();
        let once = engine::fix_all(&t, &sel, Safety::Safe);
        let twice = engine::fix_all(&once.text, &sel, Safety::Safe);
        prop_assert_eq!(&twice.text, &once.text, "a second pass changed the text");
        prop_assert!(once.remaining.iter().all(|d| d.fix.as_ref().is_none_or(|f| f.safety != Safety::Safe) ),
            "a safe fix is still offered after fixing: {:?}",
            once.remaining.iter().filter(|d| d.fix.as_ref().is_some_and(|f| f.safety == Safety::Safe)).map(|d| d.code).collect::<Vec<_>>());
    }

    #[test]
    fn compose_fixing_is_idempotent(t in mutated(&COMPOSE)) {
        let sel = all_rules();
        let once = engine::fix_all_compose(&t, &sel, Safety::Safe);
        let twice = engine::fix_all_compose(&once.text, &sel, Safety::Safe);
        prop_assert_eq!(&twice.text, &once.text, "a second pass changed the text");
    }
}

/// A mutated fixture with some lines made messy the way hand-written files
/// are: lower-case keywords, extra or tab indentation, trailing blanks,
/// several spaces after the keyword, CRLF line ends, non-ASCII text.
fn messy(texts: &'static [String]) -> impl Strategy<Value = String> {
    (mutated(texts), prop::collection::vec((0usize..7, 0usize..1000), 0..12)).prop_map(|(t, ops)| {
        let mut lines: Vec<String> = t.split_inclusive('\n').map(str::to_string).collect();
        for (op, at) in ops {
            if lines.is_empty() {
                break;
            }
            let i = at % lines.len();
            let (body, end) = match lines[i].strip_suffix('\n') {
                Some(b) => (b.trim_end_matches('\r').to_string(), if b.ends_with('\r') { "\r\n" } else { "\n" }),
                None => (lines[i].clone(), ""),
            };
            let body = match op {
                0 => body.to_lowercase(),
                1 => format!("  {body}"),
                2 => format!("\t{body}"),
                3 => format!("{body} \t "),
                4 => body.replacen(' ', "    ", 1),
                5 => format!("{body} é中😀"),
                _ => body,
            };
            let end = if op == 6 && !end.is_empty() { "\r\n" } else { end };
            lines[i] = format!("{body}{end}");
        }
        lines.concat()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn dockerfile_formatting_is_idempotent_and_keeps_the_model(t in messy(&DOCKERFILES)) {
        use berth_ide::ide::format::{format, meaning_differs};
        let once = format(&t);
        let twice = format(&once);
        prop_assert_eq!(&twice, &once, "a second pass changed the text");
        let why = meaning_differs(&t, &once);
        prop_assert!(why.is_none(), "formatting changed the meaning: {:?}\n--- before\n{}\n--- after\n{}", why, t, once);
    }

    #[test]
    fn dockerfile_formatting_token_soup(parts in prop::collection::vec(prop::sample::select(SOUP), 0..60)) {
        use berth_ide::ide::format::{format, meaning_differs};
        let t = parts.concat();
        let once = format(&t);
        prop_assert_eq!(&format(&once), &once, "a second pass changed the text");
        let why = meaning_differs(&t, &once);
        prop_assert!(why.is_none(), "formatting changed the meaning: {:?}\n--- before\n{:?}\n--- after\n{:?}", why, t, once);
    }
}

/// Pieces of Dockerfiles that stress the formatter: keywords in any case,
/// quotes, escapes, continuations, heredocs, comments, odd whitespace.
const SOUP: &[&str] = &[
    "FROM a AS b",
    "run ",
    "RUN",
    "Copy ",
    "env ",
    "ENV A ",
    "LABEL ",
    "ONBUILD ",
    "onbuild run ",
    "USER ",
    "MAINTAINER ",
    "CMD [\"a\", ",
    "]",
    "x",
    "é",
    "😀",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\\",
    "\\\n",
    " \\ \n",
    "\"",
    "'",
    "$(",
    ")",
    "`",
    "#",
    "# c\n",
    "<<EOF",
    "<<-'E'",
    "\nEOF\n",
    "\nE\n",
    "=",
    "--mount=type=cache ",
    "# escape=`\n",
    "\u{a0}",
    "\u{feff}",
    "SHELL [\"cmd\", \"/S\"]\n",
];
