//! Part-of-speech tagging: greedy left-to-right averaged perceptron over Penn Treebank tags,
//! with the Universal POS tag derived from the Treebank tag and the word.

use crate::corpus::Sentence;
use crate::lexicon::is_initialism;
use crate::perceptron::{argmax, FeatureHasher as H, Model, Rng, Trainer};
use std::collections::HashMap;

pub struct Tagger {
    model: Model,
    /// Trained on Universal POS tags (see [`Tagger::is_universal`]); known once, at load.
    universal: bool,
    /// Words the training data tags one way (see [`unambiguous_words`]): their tag without
    /// scoring, as a class index.
    unambiguous: HashMap<String, u16>,
}

/// A word is tagged from the dictionary when the training data has it at least this often...
const DICTIONARY_MIN_COUNT: usize = 20;
/// ... with one tag at least this share of the time: the model agrees on such words all but
/// never, and a third of running text is such words ("the", "of", commas), each scored with
/// dozens of feature lookups for nothing.
const DICTIONARY_MIN_SHARE: f64 = 0.995;

/// The words the training sentences tag one way (see [`DICTIONARY_MIN_COUNT`]), with that
/// tag's class, in word order.
fn unambiguous_words(sentences: &[Sentence], classes: &[String]) -> Vec<(String, u16)> {
    let mut counts: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    for s in sentences {
        for (w, t) in s.words.iter().zip(&s.tags) {
            *counts.entry(w).or_default().entry(t).or_default() += 1;
        }
    }
    let mut out: Vec<(String, u16)> = counts
        .into_iter()
        .filter_map(|(w, tags)| {
            let total: usize = tags.values().sum();
            let (tag, &n) = tags.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
            let class = classes.iter().position(|c| c == tag)?;
            (total >= DICTIONARY_MIN_COUNT && n as f64 >= DICTIONARY_MIN_SHARE * total as f64)
                .then(|| (w.to_string(), class as u16))
        })
        .collect();
    out.sort();
    out
}

/// The tagger file: this tag, the model's length and bytes, then the dictionary as
/// `word\tclass` lines. A file without it is a bare model (no dictionary).
const MAGIC: &[u8; 8] = b"DLTAGD01";

/// Templates (the first byte of every feature hash).
mod t {
    pub const BIAS: u8 = 0;
    pub const WORD: u8 = 1;
    pub const SUF1: u8 = 2;
    pub const SUF2: u8 = 3;
    pub const SUF3: u8 = 4;
    pub const SUF4: u8 = 5;
    pub const PRE1: u8 = 6;
    pub const PRE2: u8 = 7;
    pub const SHAPE: u8 = 8;
    pub const P1: u8 = 9;
    pub const P2: u8 = 10;
    pub const P1P2: u8 = 11;
    pub const P1W: u8 = 12;
    pub const WM1: u8 = 13;
    pub const SUFM1: u8 = 14;
    pub const WM2: u8 = 15;
    pub const WP1: u8 = 16;
    pub const SUFP1: u8 = 17;
    pub const WP2: u8 = 18;
    pub const FIRSTCAP: u8 = 19;
    pub const RAW: u8 = 20;
    pub const WM1W: u8 = 21;
    pub const WWP1: u8 = 22;
    pub const SHAPEP1: u8 = 23;
    pub const SHAPEM1: u8 = 24;
    pub const CAPS: u8 = 29;
    pub const CAPSSUF: u8 = 30;
    pub const RAWSHAPE: u8 = 31;
    pub const CLUSTER: u8 = 32;
}

/// The word as the tagger sees it: lowercased, with numbers folded.
pub fn normalize(word: &str) -> String {
    if word.chars().any(|c| c.is_ascii_digit()) {
        let digits = word.chars().filter(|c| c.is_ascii_digit()).count();
        if digits == 4 && word.len() == 4 {
            return "!YEAR".into();
        }
        if word.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '/' | ':')) {
            return "!DIGITS".into();
        }
    }
    word.to_lowercase()
}

/// Word shape, runs collapsed: "Haniyeh" → "Xx", "U.S." → "X.X.", "1,200" → "d,d", "al-Nakhalah" → "x-Xx".
pub fn shape(word: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    for c in word.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if k != last {
            out.push(k);
            last = k;
        }
    }
    out
}

fn suffix(w: &str, n: usize) -> &str {
    let start = w.char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i);
    &w[start..]
}

fn prefix(w: &str, n: usize) -> &str {
    let end = w.char_indices().nth(n).map_or(w.len(), |(i, _)| i);
    &w[..end]
}

/// Per-sentence precomputation shared by every position.
pub struct Context {
    pub norm: Vec<String>,
    pub shapes: Vec<String>,
    /// Headline-style sentence: no lowercase letter anywhere.
    pub all_caps: bool,
    /// Each word's clusters (see [`crate::clusters`]), coarse to fine.
    pub clusters: Vec<Option<&'static [u16]>>,
}

impl Context {
    pub fn new(words: &[&str]) -> Self {
        let all_caps = words.iter().any(|w| w.chars().any(char::is_alphabetic))
            && !words.iter().any(|w| w.chars().any(char::is_lowercase));
        let norm: Vec<String> = words.iter().map(|w| normalize(w)).collect();
        let table = crate::clusters::builtin();
        Context {
            clusters: norm.iter().map(|w| table.of_normalized(w)).collect(),
            norm,
            shapes: words.iter().map(|w| shape(w)).collect(),
            all_caps,
        }
    }
}

const START: &str = "-START-";
const END: &str = "-END-";

/// Features of position `i`, given the two previous tags.
fn features(words: &[&str], cx: &Context, i: usize, p1: &str, p2: &str, out: &mut Vec<u64>) {
    out.clear();
    if cx.all_caps {
        out.push(H::new(t::CAPS).str(&cx.norm[i]).finish());
        out.push(H::new(t::CAPSSUF).str(suffix(&cx.norm[i], 3)).finish());
    }
    out.push(H::new(t::RAWSHAPE).str(&cx.shapes[i]).str(suffix(&cx.norm[i], 2)).finish());
    let w = cx.norm[i].as_str();
    let at = |j: isize| -> &str {
        if j < 0 {
            START
        } else {
            cx.norm.get(j as usize).map_or(END, String::as_str)
        }
    };
    let i_ = i as isize;
    out.push(H::new(t::BIAS).finish());
    out.push(H::new(t::WORD).str(w).finish());
    out.push(H::new(t::RAW).str(words[i]).finish());
    out.push(H::new(t::SUF1).str(suffix(w, 1)).finish());
    out.push(H::new(t::SUF2).str(suffix(w, 2)).finish());
    out.push(H::new(t::SUF3).str(suffix(w, 3)).finish());
    out.push(H::new(t::SUF4).str(suffix(w, 4)).finish());
    out.push(H::new(t::PRE1).str(prefix(words[i], 1)).finish());
    out.push(H::new(t::PRE2).str(prefix(w, 2)).finish());
    out.push(H::new(t::SHAPE).str(&cx.shapes[i]).finish());
    out.push(H::new(t::P1).str(p1).finish());
    out.push(H::new(t::P2).str(p2).finish());
    out.push(H::new(t::P1P2).str(p1).str(p2).finish());
    out.push(H::new(t::P1W).str(p1).str(w).finish());
    out.push(H::new(t::WM1).str(at(i_ - 1)).finish());
    out.push(H::new(t::SUFM1).str(suffix(at(i_ - 1), 3)).finish());
    out.push(H::new(t::WM2).str(at(i_ - 2)).finish());
    out.push(H::new(t::WP1).str(at(i_ + 1)).finish());
    out.push(H::new(t::SUFP1).str(suffix(at(i_ + 1), 3)).finish());
    out.push(H::new(t::WP2).str(at(i_ + 2)).finish());
    out.push(H::new(t::WM1W).str(at(i_ - 1)).str(w).finish());
    out.push(H::new(t::WWP1).str(w).str(at(i_ + 1)).finish());
    out.push(H::new(t::SHAPEP1).str(cx.shapes.get(i + 1).map_or(END, String::as_str)).finish());
    out.push(H::new(t::SHAPEM1).str(if i == 0 { START } else { &cx.shapes[i - 1] }).finish());
    if i == 0 && words[i].chars().next().is_some_and(char::is_uppercase) {
        out.push(H::new(t::FIRSTCAP).finish());
    }
    for (off, j) in [(0u64, i_), (1, i_ - 1), (2, i_ + 1)] {
        if let Some(ids) = cx.clusters.get(j as usize).and_then(|c| c.as_deref()) {
            for (g, &id) in ids.iter().enumerate() {
                out.push(H::new(t::CLUSTER).num(off).num(g as u64).num(u64::from(id)).finish());
            }
        }
    }
}

/// Progress of a training run, for a progress bar.
pub trait Progress {
    fn epoch(&mut self, epoch: usize, of: usize);
    fn step(&mut self, done: usize, of: usize);
    fn report(&mut self, line: &str);
}

impl Tagger {
    /// The mean of several taggers trained with different seeds (see [`Model::average`]).
    pub fn average(mut models: Vec<Tagger>) -> Tagger {
        // Trained on the same sentences, the taggers have the same dictionary.
        let unambiguous = models.first_mut().map(|t| std::mem::take(&mut t.unambiguous)).unwrap_or_default();
        let models: Vec<Model> = models.into_iter().map(|t| t.model).collect();
        Tagger { unambiguous, ..Tagger::new(Model::average(&models)) }
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, String> {
        let Some(rest) = bytes.strip_prefix(MAGIC) else {
            return Ok(Tagger::new(Model::from_bytes(bytes)?));
        };
        let len = rest.get(..8).ok_or("tagger file is truncated")?;
        let len = usize::try_from(u64::from_le_bytes(len.try_into().expect("eight bytes")))
            .map_err(|_| "tagger file: bad model length")?;
        let model = rest.get(8..8 + len).ok_or("tagger file is truncated")?;
        let mut tagger = Tagger::new(Model::from_bytes(model)?);
        let dictionary = std::str::from_utf8(&rest[8 + len..]).map_err(|_| "tagger dictionary is not UTF-8")?;
        for (n, line) in dictionary.lines().enumerate() {
            let bad = || format!("tagger dictionary, line {}: {line:?} is not word<TAB>class", n + 1);
            let (word, class) = line.split_once('\t').ok_or_else(bad)?;
            let class: u16 = class.parse().map_err(|_| bad())?;
            if usize::from(class) >= tagger.model.classes.len() {
                return Err(bad());
            }
            tagger.unambiguous.insert(word.to_string(), class);
        }
        Ok(tagger)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let model = self.model.to_bytes();
        let mut words: Vec<(&String, &u16)> = self.unambiguous.iter().collect();
        words.sort();
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&(model.len() as u64).to_le_bytes());
        out.extend_from_slice(&model);
        for (w, c) in words {
            out.extend_from_slice(format!("{w}\t{c}\n").as_bytes());
        }
        out
    }

    /// Tags a sentence, greedily left to right.
    pub fn tag<'m>(&'m self, words: &[&str]) -> Vec<&'m str> {
        let cx = Context::new(words);
        let mut feats = Vec::with_capacity(40);
        let mut scores = Vec::new();
        let mut out: Vec<&str> = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            if let Some(&class) = self.unambiguous.get(words[i]) {
                out.push(&self.model.classes[usize::from(class)]);
                continue;
            }
            let p1 = if i >= 1 { out[i - 1] } else { START };
            let p2 = if i >= 2 { out[i - 2] } else { START };
            features(words, &cx, i, p1, p2, &mut feats);
            self.model.score(&feats, &mut scores);
            out.push(&self.model.classes[argmax(&scores)]);
        }
        out
    }

    /// Whether the model was trained on Universal POS tags (from CoNLL-U's UPOS column) rather
    /// than Treebank tags: then its tags are UPOS already and need no conversion.
    pub fn is_universal(&self) -> bool {
        self.universal
    }

    fn new(model: Model) -> Tagger {
        let universal = model.classes.iter().all(|c| UNIVERSAL_TAGS.contains(&c.as_str()));
        Tagger { model, universal, unambiguous: HashMap::new() }
    }

    /// Universal POS tags for a sentence. UD gives the words of a name their own part of
    /// speech ("Prime" ADJ, "Attached" VERB) where the Treebank makes every capitalised word
    /// NNP, so a capitalised word that news prose nearly always writes in lowercase is tagged
    /// again as written in lowercase.
    pub fn tag_upos(&self, words: &[&str]) -> Vec<&'static str> {
        let tags = self.tag(words);
        if self.is_universal() {
            return tags.iter().map(|t| UNIVERSAL_TAGS.iter().copied().find(|u| u == t).unwrap_or("X")).collect();
        }
        let casing = crate::casing::builtin();
        // A country's initials ("US") are left alone: their lowercase reading is another word.
        let common = |w: &str| {
            w.chars().next().is_some_and(char::is_uppercase)
                && !(is_initialism(w) && crate::gazetteer::Gazetteer::get().lookup(&[w]).is_some())
                && casing.capitalised_tenths(&w.to_lowercase()).is_some_and(|t| t <= 2)
        };
        // In running text (not a title-cased headline) a capitalised word beside a name is part
        // of it.
        let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
        let letters = words.iter().filter(|w| w.chars().any(char::is_alphabetic)).count();
        let title_case = words.iter().filter(|w| capital(w)).count() * 2 > letters;
        let name_word =
            |j: usize| words.get(j).is_some_and(|w| capital(w) && !common(w)) && matches!(tags[j], "NNP" | "NNPS");
        let connector = |j: usize| words.get(j).is_some_and(|w| matches!(*w, "of" | "for" | "and" | "&"));
        let in_name = |i: usize| {
            !title_case
                && (name_word(i.wrapping_sub(1))
                    || name_word(i + 1)
                    || i >= 2 && connector(i - 1) && name_word(i - 2)
                    || connector(i + 1) && name_word(i + 2))
        };
        // A field label ("Email :", "Venue :") is the common word it names.
        let label = |i: usize| {
            (i == 0 || matches!(words[i - 1], "\"" | "(" | "-"))
                && words.get(i + 1) == Some(&":")
                && capital(words[i])
                && casing.lowercase_count(&words[i].to_lowercase()) >= 3
        };
        let retag: Vec<bool> =
            (0..words.len()).map(|i| matches!(tags[i], "NNP" | "NNPS") && (common(words[i]) || label(i))).collect();
        // UD gives an adjective inside a name its own tag ("United", "New", "Islamic"):
        // every other word of a name is read again in lowercase, and kept as an adjective if
        // that is what it then is.
        let adjective: Vec<bool> = (0..words.len())
            .map(|i| {
                !retag[i]
                    && matches!(tags[i], "NNP")
                    && capital(words[i])
                    && !is_initialism(words[i])
                    && !words[i].chars().skip(1).any(char::is_uppercase)
                    && (is_demonym(words[i])
                        || casing.lowercase_count(&words[i].to_lowercase()) >= 3
                            && !matches!(words[i], "North" | "South" | "East" | "West"))
            })
            .collect();
        let lowered: Vec<String> = (0..words.len())
            .map(|i| if retag[i] || adjective[i] { words[i].to_lowercase() } else { words[i].to_string() })
            .collect();
        let tags: Vec<&str> = if retag.contains(&true) || adjective.contains(&true) {
            let lowered: Vec<&str> = lowered.iter().map(String::as_str).collect();
            let again = self.tag(&lowered);
            (0..words.len())
                .map(|i| match (retag[i], again[i]) {
                    (false, "JJ") if adjective[i] => "JJ",
                    (false, _) => tags[i],
                    // A common noun beside a name in running text is a word of that name
                    // ("Department of Food"); its adjectives and verbs keep their own tag.
                    (true, "NN" | "NNS") if in_name(i) => tags[i],
                    (true, a) => a,
                })
                .collect()
        } else {
            tags
        };
        // Web text writes names in lowercase ("flew to lune", "asked kestrel"): a common noun
        // that running news text nearly always capitalises is a name.
        let name_in_lowercase =
            |w: &str| w.chars().all(|c| c.is_lowercase()) && casing.capitalised_tenths(w) == Some(10);
        (0..words.len())
            .map(|i| match upos(words, &tags, i) {
                "NOUN" if name_in_lowercase(words[i]) => "PROPN",
                u => u,
            })
            .collect()
    }

    /// Whether the word was seen in training (its word feature survives in the model).
    pub fn knows(&self, word: &str) -> bool {
        let mut scores = Vec::new();
        self.model.score(&[H::new(t::WORD).str(&normalize(word)).finish()], &mut scores);
        scores.iter().any(|&s| s != 0.0)
    }

    pub fn train(sentences: &[Sentence], iterations: usize, seed: u64, progress: &mut dyn Progress) -> Tagger {
        let mut classes: Vec<String> = sentences.iter().flat_map(|s| s.tags.iter().cloned()).collect();
        classes.sort();
        classes.dedup();
        let class_of = |t: &str| classes.binary_search_by(|c| c.as_str().cmp(t)).expect("class from the data");
        let mut trainer = Trainer::new(classes.clone());
        let mut order: Vec<usize> = (0..sentences.len()).collect();
        let mut rng = Rng::new(seed);
        let mut feats = Vec::with_capacity(32);
        let mut scores = Vec::new();
        for epoch in 0..iterations {
            progress.epoch(epoch + 1, iterations);
            rng.shuffle(&mut order);
            let (mut right, mut total) = (0usize, 0usize);
            for (k, &si) in order.iter().enumerate() {
                let s = &sentences[si];
                let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
                let cx = Context::new(&words);
                let mut guesses: Vec<usize> = Vec::with_capacity(words.len());
                for i in 0..words.len() {
                    let p1 = if i >= 1 { classes[guesses[i - 1]].as_str() } else { START };
                    let p2 = if i >= 2 { classes[guesses[i - 2]].as_str() } else { START };
                    features(&words, &cx, i, p1, p2, &mut feats);
                    trainer.score(&feats, &mut scores);
                    let guess = argmax(&scores);
                    let truth = class_of(&s.tags[i]);
                    trainer.update(&feats, truth, guess);
                    right += usize::from(guess == truth);
                    total += 1;
                    guesses.push(guess);
                }
                if k % 500 == 0 {
                    progress.step(k, order.len());
                }
            }
            progress.report(&format!(
                "epoch {}: training accuracy {:.2}%",
                epoch + 1,
                100.0 * right as f64 / total as f64
            ));
        }
        let unambiguous = unambiguous_words(sentences, &classes).into_iter().collect();
        Tagger { unambiguous, ..Tagger::new(trainer.finish(1e-3)) }
    }
}

/// The 17 Universal POS tags.
pub const UNIVERSAL_TAGS: &[&str] = &[
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT", "SCONJ",
    "SYM", "VERB", "X",
];

/// The Universal POS tag of a token written without letters or digits, whatever its Treebank
/// tag: web text runs punctuation together ("!!", "....", ">>", "==--"), which a news tagger
/// has never seen. "&" is a conjunction, currency and math signs, slashes, rules of
/// underscores or equals signs and emoticons are symbols; the rest is punctuation.
fn punctuation_upos(word: &str) -> Option<&'static str> {
    if word.is_empty() || word.chars().any(char::is_alphanumeric) {
        return None;
    }
    let only = |c: char| word.chars().all(|x| x == c);
    let emoticon = word.chars().count() >= 2
        && word.starts_with([':', ';', '='])
        && word.ends_with([')', '(', ']', '[', '/', '|']);
    Some(if word == "&" {
        "CCONJ"
    } else if emoticon
        || only('_')
        || only('=')
        || only('/')
        || only('\\')
        || matches!(word, "$" | "£" | "€" | "¥" | "#" | "+" | "%" | "§" | "°" | "×" | "♥")
    {
        "SYM"
    } else {
        "PUNCT"
    })
}

/// A nationality, or a word of religion or ethnicity ("Shiite"), as a name's adjective.
fn is_demonym(word: &str) -> bool {
    !is_initialism(word) && crate::gazetteer::Gazetteer::get().is_demonym(word)
        || crate::lexicon::MISC_WORDS.contains(&word)
}

/// A web or e-mail address: "www.example.org", "http://…", "name@host".
fn is_address(lower: &str) -> bool {
    const DOMAINS: &[&str] = &[".com", ".net", ".org", ".edu", ".gov", ".co.uk", ".ca", ".de", ".info", ".biz"];
    let email = lower.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.'));
    email
        || lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("www.")
        || (lower.contains('.') && DOMAINS.iter().any(|d| lower.ends_with(d)) && lower.len() > 4)
}

/// Nouns whose "that" introduces their content rather than a relative clause.
fn takes_that_clause(noun: &str) -> bool {
    matches!(
        noun,
        "fact"
            | "idea"
            | "belief"
            | "notion"
            | "claim"
            | "claims"
            | "hope"
            | "hopes"
            | "possibility"
            | "news"
            | "assurance"
            | "assurances"
            | "sign"
            | "signs"
            | "view"
            | "feeling"
            | "chance"
            | "fear"
            | "fears"
            | "suggestion"
            | "report"
            | "reports"
            | "rumor"
            | "rumors"
            | "rumour"
            | "rumours"
            | "evidence"
            | "proof"
            | "doubt"
            | "doubts"
            | "argument"
            | "conclusion"
            | "statement"
            | "warning"
            | "indication"
            | "likelihood"
            | "sense"
            | "impression"
            | "assumption"
            | "concern"
            | "concerns"
    )
}

/// The Universal POS tag of token `i`, from its Penn Treebank tag, its word and its
/// neighbours — UD's conventions where the Treebank makes no distinction: auxiliaries (every
/// "be" except existential "there is"; "have"/"do" before a verb), subordinators ("because",
/// a preposition before a gerund, "like you said"), demonstrative pronouns ("that" standing
/// alone), infinitival "to", interjections ("please"), web and e-mail addresses as names,
/// prepositions with no object as adverbs ("we moved on").
pub fn upos(words: &[&str], tags: &[&str], i: usize) -> &'static str {
    let lower = words[i].to_lowercase().replace('’', "'");
    let lower = lower.as_str();
    let ptb = tags[i];
    let next = tags.get(i + 1).copied();
    let next_word = words.get(i + 1).map(|w| w.to_lowercase()).unwrap_or_default();
    let prev_word = if i > 0 { words[i - 1].to_lowercase() } else { String::new() };
    // A dash between numbers, or before one at the start of a value, is a sign: "4 - 9",
    // ": - 2.5".
    if words[i] == "-"
        && next == Some("CD")
        && (i == 0 || tags[i - 1] == "CD" || matches!(words[i - 1], ":" | "(" | "="))
    {
        return "SYM";
    }
    if let Some(tag) = punctuation_upos(words[i]) {
        return tag;
    }
    // "do nt", "did nt": the negation with its apostrophe left out.
    if lower == "nt"
        && matches!(
            prev_word.as_str(),
            "do" | "does"
                | "did"
                | "ca"
                | "wo"
                | "is"
                | "are"
                | "was"
                | "were"
                | "have"
                | "has"
                | "had"
                | "could"
                | "would"
                | "should"
                | "don"
                | "doesn"
                | "didn"
        )
    {
        return "PART";
    }
    // "there have been": the existential verb.
    if lower == "been" && i >= 2 && words[i - 2].eq_ignore_ascii_case("there") {
        return "VERB";
    }
    let is_be = |w: &str| {
        matches!(
            w,
            "be" | "is" | "are" | "was" | "were" | "been" | "being" | "am" | "'s" | "'re" | "'m" | "s" | "m" | "re"
        )
    };
    // A base verb or participle ahead, before the clause moves on: "do you know", "have n't seen".
    let verb_ahead = |want: &[&str]| {
        tags[i + 1..]
            .iter()
            .take(4)
            .take_while(|t| {
                matches!(**t, "RB" | "PRP" | "NNP" | "DT" | "NN" | "NNS" | "MD" | "JJ" | "PRP$") || want.contains(t)
            })
            .any(|t| want.contains(t))
    };
    if matches!(
        lower,
        "please"
            | "pls"
            | "plz"
            | "hi"
            | "hello"
            | "hey"
            | "wow"
            | "lol"
            | "lmao"
            | "yep"
            | "nope"
            | "yay"
            | "yum"
            | "yuck"
            | "uh"
            | "um"
            | "eh"
            | "oh"
            | "ah"
            | "yes"
            | "yeah"
    ) && !ptb.starts_with("VB")
    {
        return "INTJ";
    }
    // "Well , …", "OK , …": an answer or a pause opening the sentence.
    if i == 0 && matches!(lower, "well" | "ok" | "okay") && next_word == "," {
        return "INTJ";
    }
    // "u r", "we r": "are" in a text message.
    if lower == "r" && matches!(prev_word.as_str(), "u" | "you" | "we" | "they") {
        return "AUX";
    }
    // UD names an address by what it is: a web or e-mail address is a proper noun.
    if is_address(lower) {
        return "PROPN";
    }
    if lower.contains('@') && lower.len() > 1 {
        return "X";
    }
    // "10 am", "3:15 PM": the time of day is a noun, not a verb or a name.
    if matches!(lower, "am" | "pm" | "a.m." | "p.m.") && i > 0 && tags[i - 1] == "CD" {
        return "NOUN";
    }
    if matches!(
        lower,
        "anyone"
            | "anybody"
            | "anything"
            | "someone"
            | "somebody"
            | "something"
            | "everyone"
            | "everybody"
            | "everything"
            | "nobody"
            | "nothing"
            | "i"
    ) && matches!(ptb, "NN" | "NNP" | "NNS" | "FW" | "PRP")
    {
        return "PRON";
    }
    // "Kim s car", "mother s day": a possessive whose apostrophe was left out.
    if lower == "s"
        && i > 0
        && matches!(tags[i - 1], "NN" | "NNS" | "NNP" | "NNPS")
        && !next.is_some_and(|n| matches!(n, "VBN" | "VBG" | "JJ" | "RB" | "DT"))
    {
        return "PART";
    }
    match ptb {
        // A singular noun right after a subject pronoun or "please" is a verb the tagger
        // missed ("they charge", "please contact"): news text seldom writes either.
        "NN" if matches!(prev_word.as_str(), "i" | "you" | "we" | "they" | "u" | "please" | "pls" | "plz") => "VERB",
        // "Sounds good", "Looks like rain": a message opening on a verb whose subject is left out.
        "NNS"
            if i == 0
                && matches!(lower, "sounds" | "looks" | "seems" | "works" | "feels" | "tastes" | "smells")
                && (next.is_some_and(|n| matches!(n, "JJ" | "RB")) || next_word == "like") =>
        {
            "VERB"
        }
        // A message opening on a verb with its subject dropped: "Hope you slept".
        "NN" if i == 0 && next == Some("PRP") => "VERB",
        // The article of an Arabic name, split from it: "al - Qaeda".
        "JJ" | "NN" if matches!(lower, "al" | "el") && next_word == "-" => "PROPN",
        "NN" | "NNS" => "NOUN",
        // A nationality or creed before a common noun describes it: "Shiite clerics".
        "NNP" if next.is_some_and(|n| matches!(n, "NN" | "NNS")) && is_demonym(words[i]) => "ADJ",
        "NNP" | "NNPS" => "PROPN",
        "MD" => "AUX",
        // A base-form verb cannot follow "is" or "very": "the van was clean", "very clean".
        "VB" if i > 0
            && (matches!(prev_word.as_str(), "is" | "was" | "are" | "were" | "'s" | "'re")
                || matches!(prev_word.as_str(), "very" | "too" | "pretty" | "quite"))
            && !matches!(lower, "be" | "have" | "do") =>
        {
            "ADJ"
        }
        "VB" | "VBD" | "VBG" | "VBN" | "VBP" | "VBZ" => {
            if is_be(lower) {
                // "there is", "is there any": the existential verb.
                if prev_word == "there" || next_word == "there" && tags.get(i + 2) == Some(&"DT") {
                    "VERB"
                } else {
                    "AUX"
                }
            } else if matches!(lower, "have" | "has" | "had" | "having" | "'ve" | "ve" | "'d" | "d")
                // A participle the tagger took for a past tense still makes "have" an auxiliary:
                // "has now had".
                && verb_ahead(&["VBN", "VBD"])
                // "do you think": the tagger often gives the verb after a pronoun VBP.
                || matches!(lower, "do" | "does" | "did")
                    && (verb_ahead(&["VB", "VBP"]) || matches!(next_word.as_str(), "n't" | "not" | "nt"))
            {
                "AUX"
            } else {
                "VERB"
            }
        }
        "JJ" | "JJR" | "JJS" => "ADJ",
        "RB" if matches!(lower, "not" | "n't" | "nt") => "PART",
        // Existential "there": before "be" ("there is"), "have been", a modal or "seem"; after
        // "be" in a question ("is there any").
        "RB" if lower == "there"
            && next_word.as_str() != ","
            && (next.is_some_and(|n| n.starts_with("VB"))
                && (is_be(&next_word)
                    || matches!(next_word.as_str(), "have" | "has" | "had" | "seems" | "seem" | "appears"))
                || next == Some("MD")
                || i > 0 && is_be(&prev_word) && next == Some("DT")) =>
        {
            "PRON"
        }
        // "so" joins clauses as an adverb in UD ("…, so I left"); only "so that" subordinates.
        "RB" | "IN" if lower == "so" => {
            if next_word == "that" {
                "SCONJ"
            } else {
                "ADV"
            }
        }
        // "we were all happy", "it is all about": "all" floating after its subject.
        "DT" | "PDT"
            if lower == "all"
                && i > 0
                && (is_be(&prev_word) || matches!(prev_word.as_str(), "'ve" | "have"))
                && next_word != "of"
                && !next.is_some_and(|n| matches!(n, "DT" | "PRP$" | "NN" | "NNS" | "NNP" | "NNPS" | "CD")) =>
        {
            "ADV"
        }
        // "both … and": the first half of a paired conjunction.
        "DT" | "CC" if lower == "both" && words[i + 1..].iter().take(5).any(|w| w.eq_ignore_ascii_case("and")) => {
            "CCONJ"
        }
        // "what time", "which kind": a question word before its noun is a determiner.
        "WP" | "WDT"
            if matches!(lower, "what" | "which")
                && next.is_some_and(|n| matches!(n, "NN" | "NNS" | "JJ"))
                && !tags.get(i + 2).is_some_and(|n| n.starts_with("VB") || *n == "MD") =>
        {
            "DET"
        }
        // "no , I am not": an answer, not a determiner.
        "DT" | "UH" | "RB" if lower == "no" && next.is_none_or(|n| matches!(n, "," | "." | ":")) => "INTJ",
        "RB" | "RBR" | "RBS" | "WRB" => "ADV",
        "RP" => "ADP",
        "IN" => {
            let clause_follows = next.is_some_and(|n| matches!(n, "PRP" | "EX") || n.starts_with("VB"));
            // "as the crowds left": a short subject, then its finite verb.
            let noun_phrase = |t: &str| matches!(t, "DT" | "NN" | "NNS" | "NNP" | "NNPS" | "JJ" | "PRP$" | "CD");
            let subject = tags[i + 1..].iter().take_while(|t| noun_phrase(t)).count();
            let subject_then_verb = (1..=4).contains(&subject)
                && tags.get(i + 1 + subject).is_some_and(|t| matches!(*t, "VBD" | "VBZ" | "VBP" | "MD"));
            match lower {
                "because" | "if" | "while" | "although" | "though" | "whether" | "unless" | "whereas" | "once" => {
                    "SCONJ"
                }
                // After a noun, "that" opens a relative clause ("the prices that they set"),
                // UD's pronoun, unless the noun takes a "that" clause ("the fact that").
                "that"
                    if i > 0
                        && matches!(tags[i - 1], "NN" | "NNS")
                        && !takes_that_clause(&prev_word)
                        && next.is_some_and(|n| n.starts_with("VB") || n == "MD") =>
                {
                    "PRON"
                }
                // "for you to see": the subject of an infinitive clause follows.
                "for"
                    if matches!(next, Some("PRP" | "NNP" | "NNS"))
                        && tags.get(i + 2) == Some(&"TO")
                        && tags.get(i + 3) == Some(&"VB") =>
                {
                    "SCONJ"
                }
                // Standing alone, or straight before a verb, "that" is the thing itself:
                // "I liked that .", "that helps".
                "that" if next.is_none_or(|n| matches!(n, "." | "," | ":" | "VBZ" | "VBD" | "MD")) => "PRON",
                "that" => "SCONJ",
                // "about $ 20", "over 200": a degree, not a place.
                "about" | "around" | "over" if matches!(next, Some("CD" | "$")) => "ADV",
                "ago" => "ADV",
                // With nothing to govern, a preposition is an adverb: "we moved on .",
                // "count me in", "over there".
                "in" | "on" | "out" | "over" | "up" | "down" | "around" | "before" | "after" | "above" | "below"
                | "off" | "through" | "across" | "along" | "ahead" | "behind"
                    if next.is_none_or(|n| matches!(n, "." | "," | ":"))
                        || matches!(next_word.as_str(), "there" | "here") =>
                {
                    "ADV"
                }
                "as" | "like" | "after" | "before" | "since" | "until" if clause_follows => "SCONJ",
                "as" if subject_then_verb => "SCONJ",
                "as" | "like" | "after" | "before" | "since" | "until" => "ADP",
                // "for doing", "about going": a preposition marking a gerund clause.
                _ if next == Some("VBG") => "SCONJ",
                _ => "ADP",
            }
        }
        "DT" | "PDT" | "WDT" => match lower {
            "which" | "that" if ptb == "WDT" => "PRON",
            "whatever" | "whichever" if !next.is_some_and(|n| n.starts_with("NN")) => "PRON",
            // A demonstrative standing alone is a pronoun: "that is why", "I like this".
            "this" | "that" | "these" | "those"
                if !next.is_some_and(|n| n.starts_with("NN") || n.starts_with("JJ") || n == "CD") =>
            {
                "PRON"
            }
            _ => "DET",
        },
        "PRP" | "PRP$" | "WP" | "WP$" | "EX" => "PRON",
        "CC" => "CCONJ",
        "CD" => "NUM",
        "TO" => {
            let after = tags.get(i + 2).copied();
            // Where "to" is the way somewhere, or fixed with the word before, it governs a noun,
            // however the next word was tagged ("go to tarn", "according to Lune Radio").
            let heads_a_noun = matches!(
                prev_word.as_str(),
                "according"
                    | "due"
                    | "close"
                    | "closer"
                    | "next"
                    | "prior"
                    | "similar"
                    | "go"
                    | "goes"
                    | "went"
                    | "gone"
                    | "come"
                    | "comes"
                    | "came"
                    | "travel"
                    | "traveling"
                    | "travelling"
                    | "move"
                    | "moved"
                    | "forward"
                    | "forwarded"
                    | "send"
                    | "sent"
                    | "speak"
                    | "talk"
                    | "listen"
                    | "belong"
                    | "belongs"
                    | "home"
                    | "end"
                    | "welcome"
                    | "been"
            );
            // "want to dance", "used to fax": these verbs take an infinitive, however its
            // verb was tagged.
            let takes_infinitive = matches!(
                prev_word.as_str(),
                "want"
                    | "wants"
                    | "wanted"
                    | "need"
                    | "needs"
                    | "needed"
                    | "used"
                    | "ought"
                    | "able"
                    | "trying"
                    | "try"
                    | "tried"
            );
            // "from Kim Tarn to Lune Traders": a capitalised pair after "to" is a name, not a verb.
            let name_follows = words.get(i + 1).is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
                && words.get(i + 2).is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
            match next {
                // "close to winning": a preposition marking a gerund clause.
                Some("VBG") => "SCONJ",
                _ if heads_a_noun => "ADP",
                Some(n) if takes_infinitive && !matches!(n, "DT" | "PRP$" | "PRP" | "CD" | "NNP") => "PART",
                Some("VB") if name_follows => "ADP",
                // "to go", "to safely go", "want to ." (the verb left out).
                Some("VB") => "PART",
                Some("RB") if after == Some("VB") => "PART",
                None | Some("." | "," | ":") => "PART",
                _ => "ADP",
            }
        }
        "POS" => "PART",
        "UH" => "INTJ",
        "$" | "#" => "SYM",
        "SYM" => "SYM",
        "FW" | "LS" => "X",
        _ => "X",
    }
}

/// A progress sink that shows nothing.
pub struct Quiet;

impl Progress for Quiet {
    fn epoch(&mut self, _: usize, _: usize) {}
    fn step(&mut self, _: usize, _: usize) {}
    fn report(&mut self, _: &str) {}
}

#[cfg(test)]
mod tests {
    use super::{upos, Quiet, Sentence, Tagger};

    fn universal(sentence: &str, tags: &str) -> Vec<&'static str> {
        let words: Vec<&str> = sentence.split(' ').collect();
        let tags: Vec<&str> = tags.split(' ').collect();
        (0..words.len()).map(|i| upos(&words, &tags, i)).collect()
    }

    #[test]
    fn words_tagged_one_way_are_tagged_from_the_dictionary_which_the_file_keeps() {
        let sentence = |words: &[&str], tags: &[&str]| Sentence {
            words: words.iter().map(|w| w.to_string()).collect(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        };
        // "the" always DT, "run" a verb and a noun.
        let mut data = Vec::new();
        for _ in 0..20 {
            data.push(sentence(&["the", "run", "ended"], &["DT", "NN", "VBD"]));
            data.push(sentence(&["they", "run"], &["PRP", "VBP"]));
        }
        let tagger = Tagger::train(&data, 2, 1, &mut Quiet);
        let known = |w: &str| tagger.unambiguous.get(w).map(|&c| tagger.model.classes[usize::from(c)].clone());
        assert_eq!(known("the").as_deref(), Some("DT"));
        assert_eq!(known("run"), None);
        let again = Tagger::from_bytes(&tagger.to_bytes()).unwrap();
        assert_eq!(again.unambiguous, tagger.unambiguous);
        assert_eq!(again.tag(&["the", "run", "ended"]), tagger.tag(&["the", "run", "ended"]));
        // A bare model (the earlier file form) loads with no dictionary.
        assert!(Tagger::from_bytes(&tagger.model.to_bytes()).unwrap().unambiguous.is_empty());
    }

    #[test]
    fn capitalised_common_nouns_in_names_stay_names() {
        let tagger = crate::models::tagger();
        // A common word inside a name is a noun; UD calls it PROPN, and the tagger trained on
        // gold treebank tags says NOUN as often as not for an unseen name: either is a noun.
        let words: Vec<&str> = "She works at the Department of Food in Lune .".split(' ').collect();
        assert!(matches!(tagger.tag_upos(&words)[6], "PROPN" | "NOUN"));
        // An adjective inside a name is an adjective; a field label is the word it names.
        let words: Vec<&str> = "She moved to New Lune last year .".split(' ').collect();
        assert_eq!(tagger.tag_upos(&words)[3], "ADJ");
        let words: Vec<&str> = "Email : kim@example.org".split(' ').collect();
        assert_eq!(tagger.tag_upos(&words)[0], "NOUN");
        // A capitalised common word away from names is read as written in lowercase.
        let words: Vec<&str> = "We loved the Food served here .".split(' ').collect();
        assert_eq!(tagger.tag_upos(&words)[3], "NOUN");
    }

    #[test]
    fn universal_tags_follow_ud_conventions() {
        // Existential "be" is a verb; every other "be" an auxiliary; "do" before a verb too.
        assert_eq!(universal("There is a fee", "EX VBZ DT NN"), ["PRON", "VERB", "DET", "NOUN"]);
        assert_eq!(universal("It is late", "PRP VBZ JJ"), ["PRON", "AUX", "ADJ"]);
        assert_eq!(universal("I do n't know", "PRP VBP RB VB"), ["PRON", "AUX", "PART", "VERB"]);
        assert_eq!(universal("they do chores", "PRP VBP NNS"), ["PRON", "VERB", "NOUN"]);
        // A demonstrative alone is a pronoun; before a noun a determiner.
        assert_eq!(universal("This is this fee", "DT VBZ DT NN"), ["PRON", "AUX", "DET", "NOUN"]);
        // Prepositions marking a clause are subordinators; "about" before a number an adverb.
        assert_eq!(universal("for doing it", "IN VBG PRP"), ["SCONJ", "VERB", "PRON"]);
        assert_eq!(universal("about 20 people", "IN CD NNS"), ["ADV", "NUM", "NOUN"]);
        assert_eq!(universal("as you said", "IN PRP VBD"), ["SCONJ", "PRON", "VERB"]);
        assert_eq!(universal("as a rule", "IN DT NN"), ["ADP", "DET", "NOUN"]);
        assert_eq!(universal("Please call", "NNP VB"), ["INTJ", "VERB"]);
        assert_eq!(universal("something / else", "NN SYM RB"), ["PRON", "SYM", "ADV"]);
        // Runs of punctuation are punctuation, "&" a conjunction, emoticons symbols.
        assert_eq!(universal("wow !! :) & ....", "NN NN NN CC NN"), ["INTJ", "PUNCT", "SYM", "CCONJ", "PUNCT"]);
        // Relative "that" after a noun and before its verb is a pronoun; after "the fact" not.
        assert_eq!(universal("fees that rose", "NNS IN VBD"), ["NOUN", "PRON", "VERB"]);
        assert_eq!(universal("the fact that costs rose", "DT NN IN NNS VBD"), ["DET", "NOUN", "SCONJ", "NOUN", "VERB"]);
        // Alone or straight before its verb, "that" is a pronoun.
        assert_eq!(universal("I liked that .", "PRP VBD IN ."), ["PRON", "VERB", "PRON", "PUNCT"]);
        assert_eq!(universal("but that helps", "CC IN VBZ"), ["CCONJ", "PRON", "VERB"]);
        // "did n't", "has now had", "do you think": auxiliaries.
        assert_eq!(universal("they did n't", "PRP VBD RB"), ["PRON", "AUX", "PART"]);
        assert_eq!(universal("it has now had", "PRP VBZ RB VBD"), ["PRON", "AUX", "ADV", "VERB"]);
        assert_eq!(universal("do you think", "VBP PRP VBP"), ["AUX", "PRON", "VERB"]);
        // A nationality before a common noun is an adjective; a noun after "they" a verb.
        assert_eq!(universal("Kenyan runners", "NNP NNS"), ["ADJ", "NOUN"]);
        assert_eq!(universal("they charge", "PRP NN"), ["PRON", "VERB"]);
        // Addresses are names; the time of day a noun.
        assert_eq!(universal("mail kim@example.org", "VB NN"), ["VERB", "PROPN"]);
        assert_eq!(universal("see www.example.com", "VB NN"), ["VERB", "PROPN"]);
        assert_eq!(universal("at 10 pm", "IN CD NN"), ["ADP", "NUM", "NOUN"]);
        // "to": infinitive marker before a verb (an adverb between them), even with the verb
        // left out; a preposition where it heads the way somewhere; a subordinator before a
        // gerund.
        assert_eq!(universal("to quickly go", "TO RB VB"), ["PART", "ADV", "VERB"]);
        assert_eq!(universal("we want to .", "PRP VBP TO ."), ["PRON", "VERB", "PART", "PUNCT"]);
        assert_eq!(universal("go to tarn", "VB TO VB"), ["VERB", "ADP", "VERB"]);
        assert_eq!(universal("committed to leaving", "VBN TO VBG"), ["VERB", "SCONJ", "VERB"]);
        // A preposition with nothing to govern is an adverb; "over" before a number too.
        assert_eq!(universal("we moved on .", "PRP VBD IN ."), ["PRON", "VERB", "ADV", "PUNCT"]);
        assert_eq!(universal("over 200 sites", "IN CD NNS"), ["ADV", "NUM", "NOUN"]);
        // A possessive without its apostrophe; a message opening on its verb.
        assert_eq!(universal("Kim s menu", "NNP VBZ NN"), ["PROPN", "PART", "NOUN"]);
        assert_eq!(universal("it s late", "PRP VBZ JJ"), ["PRON", "AUX", "ADJ"]);
        assert_eq!(universal("Hope you", "NN PRP"), ["VERB", "PRON"]);
        assert_eq!(universal("al - Qaeda", "JJ : NNP"), ["PROPN", "PUNCT", "PROPN"]);
        // "so" an adverb unless "so that"; "all" floating after "be"; "both … and"; "what" before
        // its noun; "no" as an answer; "is there any"; "for" opening an infinitive clause.
        assert_eq!(universal(", so we left", ", IN PRP VBD"), ["PUNCT", "ADV", "PRON", "VERB"]);
        assert_eq!(universal("so that we", "IN IN PRP"), ["SCONJ", "SCONJ", "PRON"]);
        assert_eq!(universal("we were all happy", "PRP VBD DT JJ"), ["PRON", "AUX", "ADV", "ADJ"]);
        assert_eq!(universal("both Kim and Lee", "DT NNP CC NNP"), ["CCONJ", "PROPN", "CCONJ", "PROPN"]);
        assert_eq!(universal("what time", "WP NN"), ["DET", "NOUN"]);
        assert_eq!(universal("no , thanks", "DT , NNS"), ["INTJ", "PUNCT", "NOUN"]);
        assert_eq!(universal("is there any", "VBZ RB DT"), ["VERB", "PRON", "DET"]);
        assert_eq!(universal("for you to see", "IN PRP TO VB"), ["SCONJ", "PRON", "PART", "VERB"]);
        // Text-message spellings: "u r", "do nt"; answers; "there have been".
        assert_eq!(universal("u r late", "PRP NN JJ"), ["PRON", "AUX", "ADJ"]);
        assert_eq!(universal("I do nt know", "PRP VBP NN VB"), ["PRON", "AUX", "PART", "VERB"]);
        assert_eq!(universal("Well , yes", "RB , NN"), ["INTJ", "PUNCT", "INTJ"]);
        assert_eq!(universal("there have been talks", "EX VBP VBN NNS"), ["PRON", "AUX", "VERB", "NOUN"]);
        // A dash between numbers is a sign; a base verb after "is" an adjective.
        assert_eq!(universal("4 - 9", "CD : CD"), ["NUM", "SYM", "NUM"]);
        assert_eq!(universal("it is clean", "PRP VBZ VB"), ["PRON", "AUX", "ADJ"]);
        assert_eq!(universal("Sounds like fun", "NNS IN NN"), ["VERB", "ADP", "NOUN"]);
        // "as" before a short subject and its verb; "to" after verbs taking an infinitive, and
        // before a gerund even where "to" usually heads a noun.
        assert_eq!(universal("as the crowds fled", "IN DT NNS VBD"), ["SCONJ", "DET", "NOUN", "VERB"]);
        assert_eq!(universal("want to dance", "VBP TO NN"), ["VERB", "PART", "NOUN"]);
        assert_eq!(universal("close to winning", "RB TO VBG"), ["ADV", "SCONJ", "VERB"]);
    }
}
