/// A half-open range `[start, end)` of **byte** offsets into a document's text.
///
/// In memory, spans are byte offsets that always fall on `char` boundaries, so slicing is free.
/// Everything that leaves the process (JSON, database columns) uses Unicode code-point offsets
/// instead; [`CharIndex`] converts between the two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start {start} > end {end}");
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The smallest span covering both.
    pub fn cover(&self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Maps byte offsets of one text to code-point offsets and back.
///
/// Built once per text; for pure-ASCII text (most English news) it stores nothing and both
/// conversions are the identity.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// `byte_of_char[i]` is the byte offset of the i-th char; empty when the text is ASCII.
    byte_of_char: Vec<usize>,
    len_bytes: usize,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let byte_of_char = if text.is_ascii() { Vec::new() } else { text.char_indices().map(|(b, _)| b).collect() };
        CharIndex { byte_of_char, len_bytes: text.len() }
    }

    fn len_chars(&self) -> usize {
        if self.byte_of_char.is_empty() {
            self.len_bytes
        } else {
            self.byte_of_char.len()
        }
    }

    /// Code-point offset of a byte offset on a char boundary (or the end of the text).
    pub fn char_of_byte(&self, byte: usize) -> usize {
        if self.byte_of_char.is_empty() {
            return byte;
        }
        match self.byte_of_char.binary_search(&byte) {
            Ok(i) => i,
            // Only `byte == len_bytes` lands here for a valid boundary.
            Err(i) => i,
        }
    }

    /// Byte offset of a code-point offset; `None` past the end of the text.
    pub fn byte_of_char(&self, ch: usize) -> Option<usize> {
        if ch > self.len_chars() {
            return None;
        }
        if self.byte_of_char.is_empty() || ch == self.byte_of_char.len() {
            return Some(if self.byte_of_char.is_empty() { ch } else { self.len_bytes });
        }
        Some(self.byte_of_char[ch])
    }

    /// `(start, end)` in code points.
    pub fn to_chars(&self, span: Span) -> (usize, usize) {
        (self.char_of_byte(span.start), self.char_of_byte(span.end))
    }

    /// Byte span of a code-point range; `None` when it is out of range or reversed.
    pub fn to_bytes(&self, start: usize, end: usize) -> Option<Span> {
        if start > end {
            return None;
        }
        Some(Span::new(self.byte_of_char(start)?, self.byte_of_char(end)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_identity() {
        let ix = CharIndex::new("abc def");
        assert_eq!(ix.to_chars(Span::new(4, 7)), (4, 7));
        assert_eq!(ix.to_bytes(4, 7), Some(Span::new(4, 7)));
        assert_eq!(ix.byte_of_char(8), None);
    }

    #[test]
    fn multibyte_round_trip() {
        let text = "Haniyeh’s “talks” é";
        let ix = CharIndex::new(text);
        for (b, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let c = ix.char_of_byte(b);
            assert_eq!(ix.byte_of_char(c), Some(b));
        }
        let b = text.find('s').unwrap();
        assert_eq!(ix.char_of_byte(b), 8);
    }
}
