//! Sentence segmentation over tokens.
//!
//! A sentence ends at a paragraph break, or after a terminal mark (`.` `!` `?` `…`) together with
//! any closing quotes and brackets that hug it, when the next token can start a sentence.
//! Abbreviations are the hard case: a title (`Gen.`, `Mr.`) or an initial never ends a sentence;
//! other abbreviations (`U.S.`, `Inc.`, `Jan.`) end one only before a word that typically starts
//! sentences ("The", "He", …), since "the U.S. Army" is far more common than a sentence ending
//! in "U.S.".

use crate::tokenize::{is_abbreviation, TITLE_ABBREVIATIONS};
use dateline_model::Span;

/// Capitalised words that usually start a sentence rather than continue a name.
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "But",
    "And",
    "In",
    "On",
    "At",
    "As",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "Some",
    "Many",
    "Most",
    "Officials",
    "However",
    "Meanwhile",
    "Last",
    "Earlier",
    "Later",
    "According",
];

fn is_closing(tok: &str) -> bool {
    matches!(tok, "”" | "\"" | "’" | "'" | ")" | "]" | "»" | "''")
}

fn is_terminal(tok: &str) -> bool {
    matches!(tok, "." | "!" | "?" | "…" | "?!" | "!?")
        || (tok.len() > 1 && tok.bytes().all(|b| b == b'.' || b == b'!' || b == b'?'))
}

/// How an abbreviation token (one that ends in a period) may end a sentence.
enum AbbrevKind {
    Never,
    BeforeStarter,
}

fn abbreviation_kind(tok: &str) -> Option<AbbrevKind> {
    let word = tok.strip_suffix('.')?;
    if word.is_empty() {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let mut chars = word.chars();
    let single_initial = chars.next().is_some_and(char::is_uppercase) && chars.next().is_none();
    if single_initial || TITLE_ABBREVIATIONS.contains(&lower.as_str()) {
        Some(AbbrevKind::Never)
    } else if is_abbreviation(word) || word.contains('.') {
        Some(AbbrevKind::BeforeStarter)
    } else {
        None
    }
}

fn can_start_sentence(tok: &str) -> bool {
    tok.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_ascii_digit() || matches!(c, '“' | '"' | '‘' | '(' | '[' | '«' | '\'' | '—' | '-')
    })
}

/// The break between two tokens: 0 = none, 1 = a line break, 2 = a paragraph break.
fn line_breaks(gap: &str) -> usize {
    gap.bytes().filter(|&b| b == b'\n').count().min(2)
}

/// Sentence spans for `text` given its token spans (as from [`crate::tokenize`]).
pub fn segment(text: &str, tokens: &[Span]) -> Vec<Span> {
    let tok = |i: usize| &text[tokens[i].start..tokens[i].end];
    let mut sentences = Vec::new();
    let mut first = 0;
    let mut i = 0;
    while i < tokens.len() {
        let mut last = i;
        let mut boundary = false;
        let t = tok(i);
        if is_terminal(t) || abbreviation_kind(t).is_some() {
            // Take closing quotes and brackets that hug the terminal mark.
            while last + 1 < tokens.len() && tokens[last + 1].start == tokens[last].end && is_closing(tok(last + 1)) {
                last += 1;
            }
            boundary = match tokens.get(last + 1) {
                None => true,
                Some(_) => {
                    let next = tok(last + 1);
                    let gap = &text[tokens[last].end..tokens[last + 1].start];
                    if line_breaks(gap) == 2 {
                        true
                    } else if !can_start_sentence(next) {
                        false
                    } else {
                        match abbreviation_kind(t) {
                            None => true,
                            Some(AbbrevKind::Never) => false,
                            Some(AbbrevKind::BeforeStarter) => SENTENCE_STARTERS.contains(&next),
                        }
                    }
                }
            };
        }
        if !boundary {
            if let Some(next) = tokens.get(last + 1) {
                let gap = &text[tokens[last].end..next.start];
                match line_breaks(gap) {
                    2 => boundary = true,
                    // A single line break ends a short heading-like line (a title, a date line)
                    // but not a hard-wrapped line of running text.
                    1 => {
                        let line_start = text[..tokens[first].start].rfind('\n').map_or(0, |p| p + 1);
                        let line_len = tokens[last].end - line_start;
                        boundary = line_len < 50 && can_start_sentence(tok(last + 1)) && !t.ends_with(',');
                    }
                    _ => {}
                }
            }
        }
        if boundary || last + 1 == tokens.len() {
            push_capped(text, &tokens[first..=last], &mut sentences);
            first = last + 1;
        }
        i = last + 1;
    }
    sentences
}

/// The most tokens one sentence may hold. News sentences rarely pass 100 tokens; a longer run
/// is a list, a table or text without punctuation, and every later stage (tagger, recognizer,
/// parser) works per sentence, so an unbounded "sentence" would make their work unbounded too.
pub const MAX_SENTENCE_TOKENS: usize = 200;

/// Pushes the sentence made of `tokens`, cut into pieces of at most [`MAX_SENTENCE_TOKENS`]:
/// each cut falls after the last clause mark (`,` `;` `:` dash) in the second half of the
/// window, or at the window's end when there is none.
fn push_capped(text: &str, mut tokens: &[Span], sentences: &mut Vec<Span>) {
    while tokens.len() > MAX_SENTENCE_TOKENS {
        let window = &tokens[..MAX_SENTENCE_TOKENS];
        let clause_mark = |s: &Span| matches!(&text[s.start..s.end], "," | ";" | ":" | "—" | "–" | "-" | "--");
        let cut = window[MAX_SENTENCE_TOKENS / 2..]
            .iter()
            .rposition(clause_mark)
            .map_or(MAX_SENTENCE_TOKENS, |k| MAX_SENTENCE_TOKENS / 2 + k + 1);
        sentences.push(Span::new(tokens[0].start, tokens[cut - 1].end));
        tokens = &tokens[cut..];
    }
    if let (Some(a), Some(b)) = (tokens.first(), tokens.last()) {
        sentences.push(Span::new(a.start, b.end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    fn sents(text: &str) -> Vec<&str> {
        segment(text, &tokenize(text)).into_iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn abbreviations_initials_and_quotes() {
        assert_eq!(
            sents("Gen. J. Smith met U.S. officials on Jan. 5. The talks ended. “We agree,” he said. “It is done.” Then they left."),
            [
                "Gen. J. Smith met U.S. officials on Jan. 5.",
                "The talks ended.",
                "“We agree,” he said.",
                "“It is done.”",
                "Then they left."
            ]
        );
    }

    #[test]
    fn abbreviation_at_sentence_end() {
        assert_eq!(sents("He moved to the U.S. The move was quick."), ["He moved to the U.S.", "The move was quick."]);
    }

    #[test]
    fn paragraphs_and_heading_lines() {
        assert_eq!(
            sents("Talks resume in Oslo\n\nMay 2, 2024 - 10:15\n\nOSLO - Envoys met.\nThey spoke\nfor hours."),
            ["Talks resume in Oslo", "May 2, 2024 - 10:15", "OSLO - Envoys met.", "They spoke\nfor hours."]
        );
    }

    #[test]
    fn overlong_sentences_are_cut_at_clause_marks() {
        let text = "word ".repeat(150) + "pause, " + &"word ".repeat(300);
        let spans = tokenize(&text);
        let got = segment(&text, &spans);
        assert!(got.len() >= 3, "{}", got.len());
        for s in &got {
            let n = spans.iter().filter(|t| t.start >= s.start && t.end <= s.end).count();
            assert!(n <= MAX_SENTENCE_TOKENS, "{n}");
        }
        // The first cut falls after the comma, not mid-clause.
        assert!(text[got[0].start..got[0].end].ends_with("pause,"));
        // Nothing is lost between the pieces.
        assert_eq!(
            got.iter().map(|s| spans.iter().filter(|t| t.start >= s.start && t.end <= s.end).count()).sum::<usize>(),
            spans.len()
        );
    }

    #[test]
    fn lowercase_after_period_continues() {
        assert_eq!(
            sents("Prices rose 5.5 per cent. vs. last year... and more."),
            ["Prices rose 5.5 per cent. vs. last year... and more."]
        );
    }
}
