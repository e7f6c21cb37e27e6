//! Positions in source text.
//!
//! Every span in berth is a pair of byte offsets into the file's text. Front ends
//! need other units (1-based line and Unicode-character column for the CLI, UTF-16
//! code units for LSP), so all conversions live here, in one place.

/// A half-open byte range `start..end` into a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A zero-based line and a zero-based column counted in some unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// Line starts of a text, for converting byte offsets to lines and columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i + 1);
            }
        }
        LineIndex { line_starts, len: text.len() }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Zero-based line containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where zero-based `line` starts (clamped).
    pub fn line_start(&self, line: usize) -> usize {
        *self.line_starts.get(line).unwrap_or(&self.len)
    }

    /// Byte range of zero-based `line`, without its line break.
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1);
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Span::new(start, end)
    }

    /// Offset clamped into the text and moved back onto a character boundary.
    fn clamp(text: &str, offset: usize) -> usize {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// Zero-based line and column in Unicode scalar values (characters).
    pub fn char_pos(&self, text: &str, offset: usize) -> LineCol {
        let offset = Self::clamp(text, offset);
        let line = self.line_of(offset);
        let start = self.line_start(line);
        LineCol { line, col: text[start..offset].chars().count() }
    }

    /// Zero-based line and column in UTF-16 code units (the LSP default).
    pub fn utf16_pos(&self, text: &str, offset: usize) -> LineCol {
        let offset = Self::clamp(text, offset);
        let line = self.line_of(offset);
        let start = self.line_start(line);
        LineCol { line, col: text[start..offset].chars().map(char::len_utf16).sum() }
    }

    /// Byte offset of a zero-based line and character column; columns past the end
    /// of the line are clamped to its end.
    pub fn offset_of_char_pos(&self, text: &str, pos: LineCol) -> usize {
        if pos.line >= self.line_count() {
            return text.len();
        }
        let span = self.line_span(text, pos.line);
        let line = &text[span.start..span.end];
        match line.char_indices().nth(pos.col) {
            Some((i, _)) => span.start + i,
            None => span.end,
        }
    }

    /// Byte offset of a zero-based line and UTF-16 column; a column inside a
    /// surrogate pair or past the line's end is clamped.
    pub fn offset_of_utf16_pos(&self, text: &str, pos: LineCol) -> usize {
        if pos.line >= self.line_count() {
            return text.len();
        }
        let span = self.line_span(text, pos.line);
        let mut units = 0;
        for (i, c) in text[span.start..span.end].char_indices() {
            if units >= pos.col {
                return span.start + i;
            }
            units += c.len_utf16();
            if units > pos.col {
                return span.start + i;
            }
        }
        span.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_three_units() {
        let text = "ab\nx😀é\u{301}y\n";
        let idx = LineIndex::new(text);
        let y = text.find('y').unwrap();
        assert_eq!(idx.char_pos(text, y), LineCol { line: 1, col: 4 });
        assert_eq!(idx.utf16_pos(text, y), LineCol { line: 1, col: 5 });
        assert_eq!(idx.offset_of_char_pos(text, LineCol { line: 1, col: 4 }), y);
        assert_eq!(idx.offset_of_utf16_pos(text, LineCol { line: 1, col: 5 }), y);
        // Inside the surrogate pair: clamped back to the emoji's start.
        assert_eq!(idx.offset_of_utf16_pos(text, LineCol { line: 1, col: 2 }), 4);
        assert_eq!(idx.line_of(text.len()), 2);
        assert_eq!(idx.offset_of_char_pos(text, LineCol { line: 0, col: 99 }), 2);
    }

    #[test]
    fn offsets_inside_a_character_are_clamped() {
        let text = "日本";
        let idx = LineIndex::new(text);
        assert_eq!(idx.char_pos(text, 1), LineCol { line: 0, col: 0 });
        assert_eq!(idx.char_pos(text, 4), LineCol { line: 0, col: 1 });
    }
}
