//! How the listing commands (`quotes`, `events`) write a span and a CSV field.

use dateline_model::{Document, Span};

/// The text of a span, on one line.
pub fn text(doc: &Document, s: Span) -> String {
    doc.slice(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180), so that
/// pandas and R read the file as it is.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
