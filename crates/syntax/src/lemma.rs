//! Lemmas from a word and its Treebank tag: suffix rules learnt from a treebank's gold lemmas,
//! and a table of the words the rules get wrong (irregular verbs, plurals, pronouns).
//!
//! A rule says "strip k letters, append s" for a tag and a word ending ("VBD …ied → strip 3,
//! add y"). Learning counts, for each tag and each ending of one to five letters, which rule
//! gives the gold lemma most often; the lemma of an unseen word comes from its longest ending
//! with a rule that was right often enough. Words the rules get wrong in the treebank go to the
//! exception table; the model keeps only those, so it stays small.
//!
//! Case follows the treebank: for each tag, whether a capitalised word (and, apart, a word in
//! capitals) keeps its case in the lemma is learnt by majority ("Palestinian" JJ keeps it, "The"
//! DT does not); the exception table holds words as written, with their gold lemma as written
//! ("me" → "I").

use std::collections::HashMap;

const MAGIC: &str = "dateline-lemmatizer 1";

/// The longest word ending a rule is keyed on.
const MAX_SUFFIX: usize = 5;

/// A rule: letters (chars) to strip, text to append.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Rule {
    strip: usize,
    append: String,
}

impl Rule {
    /// The rule that turns `word` into `lemma` (both lowercase).
    fn between(word: &str, lemma: &str) -> Rule {
        let common = word.chars().zip(lemma.chars()).take_while(|(a, b)| a == b).count();
        Rule { strip: word.chars().count() - common, append: lemma.chars().skip(common).collect() }
    }

    fn apply(&self, word: &str) -> Option<String> {
        let n = word.chars().count();
        if self.strip > n {
            return None;
        }
        let keep: String = word.chars().take(n - self.strip).collect();
        Some(keep + &self.append)
    }
}

/// Keyed by tag, then by a string: looked up with `&str`s, without allocating (every word of
/// every document passes through here).
type ByTag<V> = HashMap<String, HashMap<String, V>>;

pub struct Lemmatizer {
    /// tag → lowercase ending → rule.
    rules: ByTag<Rule>,
    /// tag → word as written → lemma as written, where rules and case policy are wrong.
    exceptions: ByTag<String>,
    /// Tags whose capitalised words keep their case in the lemma, and tags whose words in
    /// capitals do.
    keep_capitalised: std::collections::HashSet<String>,
    keep_capitals: std::collections::HashSet<String>,
    /// Words known from running text (see [`Lemmatizer::with_vocabulary`]).
    known: Option<fn(&str) -> bool>,
}

/// How a word is written: lowercase (or caseless), capitalised, or in capitals.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    Lower,
    Capitalised,
    Capitals,
}

fn case_of(word: &str) -> Case {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        Case::Capitals
    } else if word.chars().next().is_some_and(char::is_uppercase) {
        Case::Capitalised
    } else {
        Case::Lower
    }
}

fn ending(word: &str, n: usize) -> Option<&str> {
    let start = word.char_indices().rev().nth(n - 1)?.0;
    Some(&word[start..])
}

impl Lemmatizer {
    /// The lemma of `word` tagged `tag`.
    pub fn lemma(&self, word: &str, tag: &str) -> String {
        if let Some(l) = self.exceptions.get(tag).and_then(|m| m.get(word)) {
            return l.clone();
        }
        let lower = word.to_lowercase();
        let by_rule = self.by_rule(&lower, tag).unwrap_or_else(|| lower.clone());
        let keep = match case_of(word) {
            Case::Lower => false,
            Case::Capitalised => self.keep_capitalised.contains(tag),
            Case::Capitals => self.keep_capitals.contains(tag),
        };
        if keep {
            // The rule's change, on the word as written ("Americans" → "American").
            let common = common_prefix(&lower, &by_rule);
            let strip = lower.chars().count() - common;
            let kept: String = word.chars().take(word.chars().count().saturating_sub(strip)).collect();
            return kept + &by_rule.chars().skip(common).collect::<String>();
        }
        by_rule
    }

    /// Words the rules are checked against: an unseen word's longest ending may give a lemma
    /// no text has ("resumed" → "resum" by "armed" → "arm"), where a shorter ending's rule
    /// gives a word ("resume"); the first rule, longest ending first, whose lemma is a known
    /// word is taken, else the longest ending's.
    pub fn with_vocabulary(mut self, known: fn(&str) -> bool) -> Self {
        self.known = Some(known);
        self
    }

    fn by_rule(&self, lower: &str, tag: &str) -> Option<String> {
        let rules = self.rules.get(tag)?;
        let mut lemmas = (1..=MAX_SUFFIX.min(lower.chars().count()))
            .rev()
            .filter_map(|n| ending(lower, n))
            .filter_map(|e| rules.get(e))
            .filter_map(|r| r.apply(lower));
        let first = lemmas.next()?;
        // A rule that keeps the word as it is stands, known word or not (most words a tag
        // does not inflect: no lookup on their way).
        if first == lower {
            return Some(first);
        }
        let Some(known) = self.known.filter(|known| !known(&first)) else { return Some(first) };
        // A rule that strips one letter too many ("resumed" → "resum", where "armed" → "arm")
        // is tried keeping it ("resume") before the shorter endings' rules; never the word
        // itself, whose own form is known and is what a rule was to change.
        let keep_one = |l: String| {
            let longer = lower.starts_with(l.as_str()).then(|| lower.chars().take(l.chars().count() + 1).collect());
            longer.into_iter().chain([l])
        };
        std::iter::once(first.clone())
            .chain(lemmas)
            .flat_map(keep_one)
            .filter(|l| l != lower)
            .find(|l| known(l))
            .or(Some(first))
    }

    /// Learns from (word, tag, gold lemma) triples.
    pub fn train<'a>(examples: impl Iterator<Item = (&'a str, &'a str, &'a str)>) -> Lemmatizer {
        // Per (tag, word as written): the gold lemmas as written.
        let mut seen: HashMap<(String, String), HashMap<String, usize>> = HashMap::new();
        // Per tag and case of the word: how often the lemma kept that case.
        let mut case_votes: HashMap<(String, bool), (usize, usize)> = HashMap::new();
        for (word, tag, lemma) in examples {
            if lemma == "_" {
                continue;
            }
            let case = case_of(word);
            if case != Case::Lower {
                let v = case_votes.entry((tag.to_string(), case == Case::Capitals)).or_default();
                let kept = lemma.chars().next().is_some_and(char::is_uppercase);
                v.0 += usize::from(kept);
                v.1 += 1;
            }
            *seen.entry((tag.to_string(), word.to_string())).or_default().entry(lemma.to_string()).or_default() += 1;
        }
        let keep = |capitals: bool| {
            case_votes
                .iter()
                .filter(|((_, c), (k, n))| *c == capitals && k * 2 > *n)
                .map(|((t, _), _)| t.clone())
                .collect()
        };
        let (keep_capitalised, keep_capitals) = (keep(false), keep(true));
        let majority: Vec<((String, String), String)> = seen
            .into_iter()
            .map(|(k, lemmas)| {
                let best = lemmas.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).expect("seen once").0;
                (k, best)
            })
            .collect();
        // Rules are learnt on lowercase forms, each lowercase word type once per tag.
        let mut types: HashMap<(String, String), String> = HashMap::new();
        for ((tag, word), lemma) in &majority {
            types.entry((tag.clone(), word.to_lowercase())).or_insert_with(|| lemma.to_lowercase());
        }
        let mut votes: HashMap<(String, String), HashMap<Rule, usize>> = HashMap::new();
        for ((tag, word), lemma) in &types {
            let rule = Rule::between(word, lemma);
            for n in 1..=MAX_SUFFIX.min(word.chars().count()) {
                let e = ending(word, n).expect("n within the word");
                *votes.entry((tag.clone(), e.to_string())).or_default().entry(rule.clone()).or_default() += 1;
            }
        }
        let mut rules: ByTag<Rule> = HashMap::new();
        for ((tag, e), candidates) in votes {
            let total: usize = candidates.values().sum();
            let (rule, n) = candidates
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.strip.cmp(&a.0.strip)).then(b.0.append.cmp(&a.0.append)))
                .expect("a vote");
            // A rule must be right for most words with the ending, and seen twice, to be kept
            // (an ending seen once is the exception table's).
            if n >= 2 && n * 2 > total {
                rules.entry(tag).or_default().insert(e, rule);
            }
        }
        let mut lemmatizer =
            Lemmatizer { rules, exceptions: HashMap::new(), keep_capitalised, keep_capitals, known: None };
        let mut exceptions: ByTag<String> = HashMap::new();
        for ((tag, word), lemma) in majority {
            if lemmatizer.lemma(&word, &tag) != lemma {
                exceptions.entry(tag).or_default().insert(word, lemma);
            }
        }
        lemmatizer.exceptions = exceptions;
        lemmatizer
    }

    /// A text model: one rule or exception per line, sorted (the same data gives the same
    /// bytes).
    pub fn to_text(&self) -> String {
        let mut lines: Vec<String> = self
            .rules
            .iter()
            .flat_map(|(tag, m)| m.iter().map(move |(e, r)| format!("R\t{tag}\t{e}\t{}\t{}", r.strip, r.append)))
            .chain(
                self.exceptions.iter().flat_map(|(tag, m)| m.iter().map(move |(w, l)| format!("X\t{tag}\t{w}\t{l}"))),
            )
            .chain(self.keep_capitalised.iter().map(|t| format!("C\t{t}")))
            .chain(self.keep_capitals.iter().map(|t| format!("A\t{t}")))
            .collect();
        lines.sort();
        format!("{MAGIC}\n{}\n", lines.join("\n"))
    }

    /// A model as written to disk: its text, gzip'd.
    pub fn from_bytes(bytes: &[u8]) -> Result<Lemmatizer, String> {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(bytes), &mut text)
            .map_err(|e| format!("not a gzip'd lemmatizer model ({e})"))?;
        Lemmatizer::from_text(&text)
    }

    pub fn from_text(text: &str) -> Result<Lemmatizer, String> {
        let mut lines = text.lines();
        if lines.next() != Some(MAGIC) {
            return Err("not a dateline lemmatizer model".into());
        }
        let mut l = Lemmatizer {
            rules: HashMap::new(),
            exceptions: HashMap::new(),
            keep_capitalised: Default::default(),
            keep_capitals: Default::default(),
            known: None,
        };
        for (i, line) in lines.enumerate() {
            let cols: Vec<&str> = line.split('\t').collect();
            let bad = || format!("lemmatizer model line {}: {line:?}", i + 2);
            match cols.as_slice() {
                ["R", tag, e, strip, append] => {
                    let strip = strip.parse().map_err(|_| bad())?;
                    l.rules
                        .entry(tag.to_string())
                        .or_default()
                        .insert(e.to_string(), Rule { strip, append: append.to_string() });
                }
                ["R", tag, e, strip] => {
                    let strip = strip.parse().map_err(|_| bad())?;
                    l.rules
                        .entry(tag.to_string())
                        .or_default()
                        .insert(e.to_string(), Rule { strip, append: String::new() });
                }
                ["X", tag, w, lemma] => {
                    l.exceptions.entry(tag.to_string()).or_default().insert(w.to_string(), lemma.to_string());
                }
                ["C", tag] => {
                    l.keep_capitalised.insert(tag.to_string());
                }
                ["A", tag] => {
                    l.keep_capitals.insert(tag.to_string());
                }
                [""] => {}
                _ => return Err(bad()),
            }
        }
        Ok(l)
    }
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An unseen word whose longest ending's rule makes no known word takes a rule's lemma
    /// that is one, keeping a letter the rule strips ("resumed": "resum" by "armed" →
    /// "arm"; "resume" is a word), never the word itself.
    #[test]
    fn a_rule_making_no_known_word_gives_way_to_one_that_does() {
        let examples =
            [("armed", "VBN", "arm"), ("formed", "VBN", "form"), ("harmed", "VBN", "harm"), ("warmed", "VBN", "warm")];
        let l = Lemmatizer::train(examples.into_iter());
        assert_eq!(l.lemma("resumed", "VBN"), "resum");
        let l = l.with_vocabulary(|w| matches!(w, "resume" | "resumed" | "arm" | "farm"));
        assert_eq!(l.lemma("resumed", "VBN"), "resume");
        assert_eq!(l.lemma("farmed", "VBN"), "farm", "a known lemma stands");
        assert_eq!(l.lemma("alarmed", "VBN"), "alarm", "nothing known: the longest ending's rule");
    }

    #[test]
    fn rules_generalise_and_exceptions_stay() {
        let data = [
            ("carried", "VBD", "carry"),
            ("married", "VBD", "marry"),
            ("worried", "VBD", "worry"),
            ("walked", "VBD", "walk"),
            ("talked", "VBD", "talk"),
            ("played", "VBD", "play"),
            ("opened", "VBD", "open"),
            ("called", "VBD", "call"),
            ("went", "VBD", "go"),
            ("ferries", "NNS", "ferry"),
            ("cities", "NNS", "city"),
            ("boats", "NNS", "boat"),
            ("ports", "NNS", "port"),
            ("Americans", "NNPS", "American"),
            ("Canadians", "NNPS", "Canadian"),
            ("me", "PRP", "I"),
            ("I", "PRP", "I"),
        ];
        let l = Lemmatizer::train(data.iter().copied());
        let l = Lemmatizer::from_text(&l.to_text()).unwrap();
        assert_eq!(l.lemma("hurried", "VBD"), "hurry");
        assert_eq!(l.lemma("jumped", "VBD"), "jump");
        assert_eq!(l.lemma("went", "VBD"), "go");
        assert_eq!(l.lemma("Parties", "NNS"), "party");
        assert_eq!(l.lemma("Norwegians", "NNPS"), "Norwegian");
        assert_eq!(l.lemma("I", "PRP"), "I");
        assert_eq!(l.lemma("me", "PRP"), "I");
        assert_eq!(l.lemma("unseen", "JJ"), "unseen");
    }
}
