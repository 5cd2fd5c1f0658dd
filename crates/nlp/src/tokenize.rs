//! Tokenization of news English into Penn-Treebank-like tokens.
//!
//! Conventions (those of the CoNLL-2003 and Penn Treebank data our taggers learn from):
//! clitics split off (`Haniyeh’s` → `Haniyeh` `’s`, `don't` → `do` `n't`); hyphenated names,
//! decimals, thousands and clock times stay whole (`al-Nakhalah`, `5.5`, `1,200`, `21:28`);
//! abbreviations and initials keep their period (`Gen.`, `U.S.`, `J.`); every other punctuation
//! mark is its own token, except runs such as `...` and `--`.

use dateline_model::Span;

/// Abbreviations that keep their final period. Lowercased, without the period.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cpl", "pvt", "adm", "maj", "brig", "cmdr",
    "gov", "sen", "rep", "rev", "fr", "st", "mt", "ft", "supt", "pres", "hon", "amb", "sec", "jr", "sr", "messrs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "corp", "co", "ltd",
    "plc", "bros", "no", "nos", "vs", "etc", "approx", "est", "dept", "univ", "assn", "ave", "blvd", "rd", "vol",
    "fig", "al", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n", "u.s.a", "e.u",
];

/// Abbreviations that stand before a name and so never end a sentence.
pub(crate) const TITLE_ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cpl", "pvt", "adm", "maj", "brig", "cmdr",
    "gov", "sen", "rep", "rev", "fr", "st", "mt", "ft", "supt", "pres", "hon", "amb", "messrs", "no", "nos", "vs",
];

pub(crate) fn is_abbreviation(word_without_period: &str) -> bool {
    let lower = word_without_period.to_ascii_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && is_mark(c))
}

/// Combining marks (diacritics written as separate code points) belong to their letter.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Splits `text` into tokens, appending their byte spans to `out`.
pub fn tokenize_into(text: &str, base: usize, out: &mut Vec<Span>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let byte = |i: usize| if i < n { chars[i].0 } else { text.len() };
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if is_word_char(c) {
            let mut j = i + 1;
            loop {
                match at(j) {
                    Some(ch) if is_word_char(ch) => j += 1,
                    // Hyphenated words and names: al-Nakhalah, six-month, 2023-10-07.
                    Some('-' | '‐') if at(j + 1).is_some_and(is_word_char) => j += 2,
                    // Decimals, thousands, clock times, fractions: 5.5, 1,200, 21:28, 3/4.
                    Some('.' | ',' | ':' | '/')
                        if at(j - 1).is_some_and(|p| p.is_ascii_digit())
                            && at(j + 1).is_some_and(|n| n.is_ascii_digit()) =>
                    {
                        j += 2
                    }
                    // Ampersand inside capitalised names: AT&T, S&P.
                    Some('&')
                        if at(j - 1).is_some_and(|p| p.is_uppercase())
                            && at(j + 1).is_some_and(|n| n.is_uppercase()) =>
                    {
                        j += 2
                    }
                    // Apostrophes inside names (O'Brien, Qur'an), but not clitics.
                    Some(a) if is_apostrophe(a) && at(j + 1).is_some_and(char::is_alphabetic) => {
                        let mut k = j + 1;
                        while at(k).is_some_and(char::is_alphabetic) {
                            k += 1;
                        }
                        let suffix: String = chars[j + 1..k].iter().map(|&(_, c)| c.to_ascii_lowercase()).collect();
                        if matches!(suffix.as_str(), "s" | "m" | "d" | "ll" | "re" | "ve" | "t") {
                            break;
                        }
                        j = k;
                    }
                    _ => break,
                }
            }
            // "n't": split before the n (do|n't, can|n't is "ca|n't" in the Treebank).
            if at(j).is_some_and(is_apostrophe)
                && at(j + 1).is_some_and(|c| c == 't' || c == 'T')
                && j >= start + 2
                && at(j - 1).is_some_and(|c| c == 'n' || c == 'N')
                && !at(j + 2).is_some_and(char::is_alphabetic)
            {
                push(out, base, byte(start), byte(j - 1));
                push(out, base, byte(j - 1), byte(j + 2));
                i = j + 2;
                continue;
            }
            // Abbreviations and initials keep their period: U.S., Gen., J.
            if at(j) == Some('.') {
                let word = &text[byte(start)..byte(j)];
                let mut k = j;
                // Dotted acronyms: letter(s) '.' letter(s) '.' ...
                while at(k) == Some('.') && at(k + 1).is_some_and(char::is_alphabetic) && at(k + 2) == Some('.') {
                    k += 2;
                }
                if k > j {
                    push(out, base, byte(start), byte(k + 1));
                    i = k + 1;
                    continue;
                }
                let single_letter = j == start + 1 && c.is_alphabetic();
                if single_letter && c.is_uppercase() || is_abbreviation(word) {
                    push(out, base, byte(start), byte(j + 1));
                    i = j + 1;
                    continue;
                }
            }
            push(out, base, byte(start), byte(j));
            i = j;
            continue;
        }
        // Clitics after a word: 's 'm 'd 'll 're 've.
        if is_apostrophe(c) && i > 0 && is_word_char(chars[i - 1].1) && at(i + 1).is_some_and(char::is_alphabetic) {
            let mut k = i + 1;
            while at(k).is_some_and(char::is_alphabetic) {
                k += 1;
            }
            push(out, base, byte(i), byte(k));
            i = k;
            continue;
        }
        // Runs of the same punctuation that read as one mark: ..., --, ``, ''.
        if matches!(c, '.' | '-' | '`' | '\'' | '!' | '?' | '=' | '*') {
            let mut k = i + 1;
            while at(k) == Some(c) {
                k += 1;
            }
            push(out, base, byte(i), byte(k));
            i = k;
            continue;
        }
        push(out, base, byte(i), byte(i + 1));
        i += 1;
    }
}

fn push(out: &mut Vec<Span>, base: usize, start: usize, end: usize) {
    out.push(Span::new(base + start, base + end));
}

/// Token spans of a whole text.
pub fn tokenize(text: &str) -> Vec<Span> {
    let mut out = Vec::with_capacity(text.len() / 5);
    tokenize_into(text, 0, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn news_english() {
        assert_eq!(toks("Haniyeh’s team met al-Nakhalah."), ["Haniyeh", "’s", "team", "met", "al-Nakhalah", "."]);
        assert_eq!(
            toks("Gen. Smith of the U.S. Army said 1,200 died."),
            ["Gen.", "Smith", "of", "the", "U.S.", "Army", "said", "1,200", "died", "."]
        );
        assert_eq!(
            toks("It rose 5.5% at 21:28, J. Doe said."),
            ["It", "rose", "5.5", "%", "at", "21:28", ",", "J.", "Doe", "said", "."]
        );
        assert_eq!(
            toks("They don't know O'Brien's \"plan\"..."),
            ["They", "do", "n't", "know", "O'Brien", "'s", "\"", "plan", "\"", "..."]
        );
        assert_eq!(toks("“We won’t stop,” he said—"), ["“", "We", "wo", "n’t", "stop", ",", "”", "he", "said", "—"]);
        assert_eq!(toks("a six-month war on 2023-10-07"), ["a", "six-month", "war", "on", "2023-10-07"]);
        assert_eq!(toks("AT&T and S&P rose; e.g. today"), ["AT&T", "and", "S&P", "rose", ";", "e.g.", "today"]);
    }

    #[test]
    fn spans_slice_the_text() {
        let text = "Ça va? Oui — très “bien”.\n\nNouveau.";
        for s in tokenize(text) {
            assert!(!text[s.start..s.end].trim().is_empty());
        }
    }
}
