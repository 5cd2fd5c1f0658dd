//! How a word is written in running news text: the share of its occurrences, away from the start
//! of a sentence, that are capitalised. "Turkey" the country and "turkey" the bird, "Rose" and
//! "rose", "Green" and "green" — a name is capitalised nearly always, a common word rarely.
//! Learnt by our own code from unlabeled text (`dateline train casing`); the built-in table comes
//! from the BBC news corpus.

use crate::{segment, tokenize};
use std::collections::HashMap;

/// Counts per lowercased word: (lowercase occurrences, capitalised occurrences), sentence-initial
/// positions excluded.
#[derive(Default)]
pub struct Casing {
    counts: HashMap<String, (u32, u32)>,
}

impl Casing {
    pub fn count(texts: &[String]) -> Casing {
        let mut c = Casing::default();
        for text in texts {
            let tokens = tokenize(text);
            let sentences = segment(text, &tokens);
            let mut si = 0;
            for (k, t) in tokens.iter().enumerate() {
                while si < sentences.len() && sentences[si].end <= t.start {
                    si += 1;
                }
                let first = si < sentences.len() && sentences[si].start == t.start;
                let after_quote =
                    k > 0 && matches!(&text[tokens[k - 1].start..tokens[k - 1].end], "“" | "\"" | ":" | "(");
                let w = &text[t.start..t.end];
                if first || after_quote || !w.chars().next().is_some_and(char::is_alphabetic) {
                    continue;
                }
                // All-caps words (headlines, acronyms) say nothing about casing in prose.
                if w.chars().count() > 1 && !w.chars().any(char::is_lowercase) {
                    continue;
                }
                let e = c.counts.entry(w.to_lowercase()).or_default();
                if w.chars().next().is_some_and(char::is_uppercase) {
                    e.1 += 1;
                } else {
                    e.0 += 1;
                }
            }
        }
        c
    }

    /// Tab-separated `word lower capitalised`, words seen at least `min` times, sorted.
    pub fn to_tsv(&self, min: u32) -> String {
        let mut rows: Vec<(&String, &(u32, u32))> = self.counts.iter().filter(|(_, (l, u))| l + u >= min).collect();
        rows.sort();
        let mut out = String::new();
        for (w, (l, u)) in rows {
            out.push_str(&format!("{w}\t{l}\t{u}\n"));
        }
        out
    }

    pub fn from_tsv(tsv: &str) -> Casing {
        let mut counts = HashMap::new();
        for line in tsv.lines() {
            let mut cols = line.split('\t');
            if let (Some(w), Some(l), Some(u)) = (cols.next(), cols.next(), cols.next()) {
                if let (Ok(l), Ok(u)) = (l.parse(), u.parse()) {
                    counts.insert(w.to_string(), (l, u));
                }
            }
        }
        Casing { counts }
    }

    /// The capitalised share in tenths (0..=10), or `None` for a word not seen enough.
    pub fn capitalised_tenths(&self, lower: &str) -> Option<u8> {
        self.counts.get(lower).map(|&(l, u)| ((u as f64 * 10.0) / (l + u) as f64).round() as u8)
    }

    /// How often the word was seen written in lowercase (0 for a word not in the table).
    pub fn lowercase_count(&self, lower: &str) -> u32 {
        self.counts.get(lower).map_or(0, |&(l, _)| l)
    }

    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

/// The built-in table (see `data/casing.tsv`).
pub fn builtin() -> &'static Casing {
    static C: std::sync::OnceLock<Casing> = std::sync::OnceLock::new();
    C.get_or_init(|| Casing::from_tsv(include_str!("../data/casing.tsv")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_mid_sentence_casing() {
        let c = Casing::count(&["The rose grew. Then Rose Smith saw a rose and Smith left.".to_string()]);
        assert_eq!(c.capitalised_tenths("rose"), Some(3));
        assert_eq!(c.capitalised_tenths("smith"), Some(10));
        assert_eq!(c.capitalised_tenths("then"), None);
    }
}
