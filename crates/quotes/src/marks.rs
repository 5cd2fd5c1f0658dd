//! Quotation marks in real text: which stretches of a document stand between them.
//!
//! Curly marks pair by shape; straight ones alternate. A single mark inside a double-quoted
//! stretch is a nested quote (or an apostrophe) and stays in its content. A paragraph that
//! ends inside a quotation continues it when the next paragraph opens with a quotation mark
//! (the press convention for a quotation of several paragraphs); otherwise the quotation is
//! capped at its paragraph's end and marked unclosed, so an unbalanced mark never swallows
//! the rest of an article.

use dateline_model::Span;

/// A stretch of text between quotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quoted {
    /// Byte offset of the opening mark.
    pub open: usize,
    /// The words between the marks (for a quotation of several paragraphs, from the first
    /// opening mark to the last closing one).
    pub content: Span,
    /// Byte offset just past the closing mark, or the paragraph's end when unclosed.
    pub end: usize,
    pub unclosed: bool,
}

fn paragraphs(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            if !text[start..i].trim().is_empty() {
                out.push((start, i));
            }
            start = i + 1;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push((start, text.len()));
    }
    out
}

fn opens_with_mark(text: &str, (a, b): (usize, usize)) -> bool {
    text[a..b].trim_start().starts_with(['“', '"'])
}

/// Every quoted stretch of `text`, in order.
pub fn quoted(text: &str) -> Vec<Quoted> {
    let paras = paragraphs(text);
    let mut out: Vec<Quoted> = Vec::new();
    // A quotation carried over from the previous paragraph: (opening mark, content start).
    let mut carried: Option<(usize, usize)> = None;
    for (k, &(a, b)) in paras.iter().enumerate() {
        // (opening mark, content start, curly)
        let mut open: Option<(usize, usize, bool)> = None;
        let mut skip_continuation_mark = carried.is_some();
        for (i, c) in text[a..b].char_indices() {
            let at = a + i;
            let after = at + c.len_utf8();
            match c {
                '“' | '"' if skip_continuation_mark => {
                    // The mark that reopens a quotation carried over: the content goes on.
                    skip_continuation_mark = false;
                    let (o, s) = carried.take().expect("carried");
                    open = Some((o, s, c == '“'));
                }
                '“' if open.is_none() => open = Some((at, after, true)),
                '”' if open.is_some_and(|o| o.2) => {
                    let (o, s, _) = open.take().expect("open");
                    out.push(Quoted { open: o, content: Span::new(s, at), end: after, unclosed: false });
                }
                // A straight mark closes after a word and opens before one; a mark with space
                // on the wrong side ("5 " wide) is not a quotation mark at all.
                '"' => {
                    let before = text[..at].chars().next_back();
                    let next = text[after..].chars().next();
                    let closes = before.is_some_and(|c| !c.is_whitespace());
                    let opens = next.is_some_and(|c| !c.is_whitespace());
                    match open {
                        Some((o, s, false)) if closes => {
                            open = None;
                            out.push(Quoted { open: o, content: Span::new(s, at), end: after, unclosed: false });
                        }
                        None if opens => open = Some((at, after, false)),
                        _ => {}
                    }
                }
                _ if !c.is_whitespace() => skip_continuation_mark = false,
                _ => {}
            }
        }
        if let Some((o, s)) = carried.take() {
            // A carried quotation whose paragraph did not open with a mark ends where the
            // previous paragraph ended (it was never closed).
            let prev_end = paras[k - 1].1;
            out.push(Quoted { open: o, content: Span::new(s, prev_end), end: prev_end, unclosed: true });
        }
        if let Some((o, s, _)) = open {
            if paras.get(k + 1).is_some_and(|&p| opens_with_mark(text, p)) {
                carried = Some((o, s));
            } else {
                out.push(Quoted { open: o, content: Span::new(s, b), end: b, unclosed: true });
            }
        }
    }
    if let Some((o, s)) = carried {
        let end = paras.last().map_or(text.len(), |p| p.1);
        out.push(Quoted { open: o, content: Span::new(s, end), end, unclosed: true });
    }
    out.sort_by_key(|q| q.open);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(text: &str) -> Vec<(&str, bool)> {
        quoted(text).into_iter().map(|q| (&text[q.content.start..q.content.end], q.unclosed)).collect()
    }

    #[test]
    fn curly_and_straight_marks() {
        assert_eq!(
            contents("“Ships sail,” she said. He said \"not today\" twice."),
            [("Ships sail,", false), ("not today", false)]
        );
    }

    #[test]
    fn nested_single_quotes_and_apostrophes_stay_inside() {
        assert_eq!(
            contents("“The port’s chief called it ‘a storm’ today,” he said."),
            [("The port’s chief called it ‘a storm’ today,", false)]
        );
    }

    #[test]
    fn a_quotation_of_several_paragraphs() {
        let text = "“First part of it.\n\n“Second part,” the council said.\n\nNarration here.";
        let q = quoted(text);
        assert_eq!(q.len(), 1);
        assert_eq!(&text[q[0].content.start..q[0].content.end], "First part of it.\n\n“Second part,");
        assert!(!q[0].unclosed);
    }

    #[test]
    fn an_unclosed_mark_stops_at_its_paragraph() {
        let text = "He said “we will go home.\n\nThe ferry left at noon. “Later,” she said.";
        assert_eq!(contents(text), [("we will go home.", true), ("Later,", false)]);
    }
}
