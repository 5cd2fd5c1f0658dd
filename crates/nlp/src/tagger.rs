//! Part-of-speech tagging: greedy left-to-right averaged perceptron over Penn Treebank tags,
//! with the Universal POS tag derived from the Treebank tag and the word.

use crate::corpus::Sentence;
use crate::perceptron::{argmax, FeatureHasher as H, Model, Rng, Trainer};

pub struct Tagger {
    model: Model,
}

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
}

impl Context {
    pub fn new(words: &[&str]) -> Self {
        let all_caps = words.iter().any(|w| w.chars().any(char::is_alphabetic))
            && !words.iter().any(|w| w.chars().any(char::is_lowercase));
        Context {
            norm: words.iter().map(|w| normalize(w)).collect(),
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
}

/// Progress of a training run, for a progress bar.
pub trait Progress {
    fn epoch(&mut self, epoch: usize, of: usize);
    fn step(&mut self, done: usize, of: usize);
    fn report(&mut self, line: &str);
}

impl Tagger {
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, String> {
        Ok(Tagger { model: Model::from_bytes(bytes)? })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.model.to_bytes()
    }

    /// Tags a sentence, greedily left to right.
    pub fn tag<'m>(&'m self, words: &[&str]) -> Vec<&'m str> {
        let cx = Context::new(words);
        let mut feats = Vec::with_capacity(40);
        let mut scores = Vec::new();
        let mut out: Vec<&str> = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let p1 = if i >= 1 { out[i - 1] } else { START };
            let p2 = if i >= 2 { out[i - 2] } else { START };
            features(words, &cx, i, p1, p2, &mut feats);
            self.model.score(&feats, &mut scores);
            out.push(&self.model.classes[argmax(&scores)]);
        }
        out
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
        Tagger { model: trainer.finish(1e-3) }
    }
}

/// The Universal POS tag of a Penn Treebank tag, given the word (a few tags split by word:
/// auxiliaries, subordinating conjunctions, infinitival "to").
pub fn upos(ptb: &str, word: &str, next_ptb: Option<&str>) -> &'static str {
    let lower = word.to_lowercase();
    match ptb {
        "NN" | "NNS" => "NOUN",
        "NNP" | "NNPS" => "PROPN",
        "MD" => "AUX",
        "VB" | "VBD" | "VBG" | "VBN" | "VBP" | "VBZ" => {
            let be = matches!(
                lower.as_str(),
                "be" | "is"
                    | "are"
                    | "was"
                    | "were"
                    | "been"
                    | "being"
                    | "am"
                    | "'s"
                    | "'re"
                    | "'m"
                    | "’s"
                    | "’re"
                    | "’m"
            );
            let aux_verb = matches!(
                lower.as_str(),
                "have" | "has" | "had" | "having" | "'ve" | "'d" | "do" | "does" | "did" | "get" | "got"
            );
            let verb_follows = next_ptb.is_some_and(|n| matches!(n, "VBN" | "VBG" | "VB" | "RB"));
            if be || (aux_verb && verb_follows) {
                "AUX"
            } else {
                "VERB"
            }
        }
        "JJ" | "JJR" | "JJS" => "ADJ",
        "RB" if matches!(lower.as_str(), "not" | "n't" | "n’t") => "PART",
        "RB" | "RBR" | "RBS" | "WRB" => "ADV",
        "RP" => "ADP",
        "IN" => match lower.as_str() {
            "that" | "because" | "if" | "while" | "although" | "though" | "whether" | "since" | "unless" | "until"
            | "once" | "so" | "as" | "than" | "after" | "before" | "whereas" => {
                if matches!(lower.as_str(), "as" | "after" | "before" | "since" | "until")
                    && next_ptb.is_some_and(|n| n.starts_with("NN") || n == "DT" || n == "CD" || n.starts_with("PRP$"))
                {
                    "ADP"
                } else {
                    "SCONJ"
                }
            }
            _ => "ADP",
        },
        "DT" | "PDT" | "WDT" => match lower.as_str() {
            "which" | "that" if ptb == "WDT" => "PRON",
            _ => "DET",
        },
        "PRP" | "PRP$" | "WP" | "WP$" | "EX" => "PRON",
        "CC" => "CCONJ",
        "CD" => "NUM",
        "TO" => {
            if next_ptb.is_some_and(|n| n == "VB") {
                "PART"
            } else {
                "ADP"
            }
        }
        "POS" => "PART",
        "UH" => "INTJ",
        "SYM" | "$" | "#" => "SYM",
        "FW" | "LS" => "X",
        _ if lower.chars().all(|c| !c.is_alphanumeric()) => "PUNCT",
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
