//! Logical text: the text of an instruction with its line continuations and the
//! comment lines inside them removed, plus the map back to source offsets.
//!
//! Dockerfile instructions may span many physical lines. Rules and the shell
//! parser want the joined text; diagnostics want exact source spans. A
//! `LogicalText` keeps both: `text` is what BuildKit sees, and every byte of it
//! maps to one byte of the file.

use crate::text::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    logical: usize,
    source: usize,
    len: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogicalText {
    pub text: String,
    segments: Segments,
}

/// The segments of a logical text. Most texts are one piece of one line:
/// that piece is stored inline, without an allocation (a large file has tens
/// of thousands of them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Segments {
    #[default]
    None,
    One(Segment),
    Many(Vec<Segment>),
}

impl Segments {
    fn as_slice(&self) -> &[Segment] {
        match self {
            Segments::None => &[],
            Segments::One(s) => std::slice::from_ref(s),
            Segments::Many(v) => v,
        }
    }

    fn last_mut(&mut self) -> Option<&mut Segment> {
        match self {
            Segments::None => None,
            Segments::One(s) => Some(s),
            Segments::Many(v) => v.last_mut(),
        }
    }

    fn push(&mut self, seg: Segment) {
        *self = match std::mem::take(self) {
            Segments::None => Segments::One(seg),
            Segments::One(first) => Segments::Many(vec![first, seg]),
            Segments::Many(mut v) => {
                v.push(seg);
                Segments::Many(v)
            }
        };
    }

    fn len(&self) -> usize {
        self.as_slice().len()
    }
}

impl LogicalText {
    pub fn new() -> Self {
        Self::default()
    }

    /// A logical text that is one contiguous piece of the source.
    pub fn contiguous(text: &str, source_start: usize) -> Self {
        let mut lt = LogicalText::new();
        lt.push(text, source_start);
        lt
    }

    /// Append `piece`, which starts at byte `source_start` of the file.
    pub fn push(&mut self, piece: &str, source_start: usize) {
        if piece.is_empty() {
            return;
        }
        let logical = self.text.len();
        if let Some(last) = self.segments.last_mut()
            && last.logical + last.len == logical
            && last.source + last.len == source_start
        {
            last.len += piece.len();
        } else {
            self.segments.push(Segment { logical, source: source_start, len: piece.len() });
        }
        self.text.push_str(piece);
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Source offset of the logical offset `pos` (a position before a byte).
    pub fn source_offset(&self, pos: usize) -> usize {
        let segments = self.segments.as_slice();
        if segments.is_empty() {
            return 0;
        }
        let idx = segments.partition_point(|s| s.logical <= pos).saturating_sub(1);
        let seg = segments[idx];
        if pos < seg.logical + seg.len || idx + 1 == segments.len() {
            seg.source + (pos - seg.logical).min(seg.len)
        } else {
            segments[idx + 1].source
        }
    }

    /// Source offset just after the logical byte `pos - 1` (a position after a byte).
    pub fn source_end_offset(&self, pos: usize) -> usize {
        let segments = self.segments.as_slice();
        if pos == 0 || segments.is_empty() {
            return self.source_offset(pos);
        }
        let idx = segments.partition_point(|s| s.logical < pos).saturating_sub(1);
        let seg = segments[idx];
        seg.source + (pos - seg.logical).min(seg.len)
    }

    /// Source span of the logical range `start..end`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        if start >= end {
            let at = self.source_offset(start);
            return Span::new(at, at);
        }
        Span::new(self.source_offset(start), self.source_end_offset(end))
    }

    /// Source span of the whole text.
    pub fn full_span(&self) -> Span {
        self.span(0, self.text.len())
    }

    /// The sub-text `start..end` with its own map.
    pub fn slice(&self, start: usize, end: usize) -> LogicalText {
        let mut out = LogicalText::new();
        let end = end.min(self.text.len());
        if start >= end {
            // Keep an anchor so that empty slices still map to a sensible place.
            out.segments.push(Segment { logical: 0, source: self.source_offset(start), len: 0 });
            return out;
        }
        for seg in self.segments.as_slice() {
            let s = seg.logical.max(start);
            let e = (seg.logical + seg.len).min(end);
            if s < e {
                out.push(&self.text[s..e], seg.source + (s - seg.logical));
            }
        }
        out
    }

    /// The same text placed `delta` bytes later (or earlier) in the file.
    pub fn shifted(&self, delta: isize) -> LogicalText {
        let mut segments = Segments::None;
        for s in self.segments.as_slice() {
            segments.push(Segment { source: s.source.saturating_add_signed(delta), ..*s });
        }
        LogicalText { text: self.text.clone(), segments }
    }

    /// True when the text is on one physical line (no continuation inside).
    pub fn is_single_segment(&self) -> bool {
        self.segments.len() <= 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_across_segments() {
        // source: "RUN a \\\n  b"
        let mut lt = LogicalText::new();
        lt.push("a ", 4);
        lt.push("  b", 9);
        assert_eq!(lt.text, "a   b");
        assert_eq!(lt.source_offset(0), 4);
        assert_eq!(lt.source_offset(2), 9);
        assert_eq!(lt.source_offset(4), 11);
        assert_eq!(lt.span(0, 1), Span::new(4, 5));
        assert_eq!(lt.span(1, 2), Span::new(5, 6));
        assert_eq!(lt.span(4, 5), Span::new(11, 12));
        assert_eq!(lt.span(0, 5), Span::new(4, 12));
        let s = lt.slice(1, 4);
        assert_eq!(s.text, "   ");
        assert_eq!(s.full_span(), Span::new(5, 11));
    }
}
