//! PLOVER types for predicates CAMEO has no code for ("donated", "demobilized", "called off"),
//! learned from stories labelled with their PLOVER event.
//!
//! PLOVER's event set is coarser than CAMEO's and its codebook names acts the CAMEO
//! dictionaries never listed. The lexicon maps a predicate, read off the parse, to the PLOVER
//! event the stories it leads are labelled with: keyed by the verb (with its particle: "call
//! off") and its object's head ("lift +curfew"), else by the verb and its object's word class
//! (`donate +@3:327`: the built-in word clusters' ids, so the lexicon is rebuilt with them), or
//! by the verb alone where it has no object.
//! An entry is kept when enough stories with the key agree on one event (see
//! [`Learner::lexicon`]); what is left out is left uncoded, never guessed.
//!
//! The file form is a TSV: `key`, `EVENT`, the number of stories, and the share of them with
//! that event; `#` lines are comments. `dateline train plover` writes it; the built-in one is
//! `data/plover-lexicon.tsv`.

use dateline_model::Document;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// PLOVER's current sixteen events: the only types an entry may hold.
pub const PLOVER_EVENTS: [&str; 16] = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "REJECT",
    "ACCUSE",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

/// One predicate's PLOVER event, with the evidence it was learned from.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub event: String,
    /// Stories whose lead had this predicate.
    pub stories: u32,
    /// The share of them labelled `event`.
    pub share: f32,
}

/// Predicate keys to PLOVER events.
#[derive(Debug, Clone, Default)]
pub struct PloverLexicon {
    entries: HashMap<String, Entry>,
}

impl PloverLexicon {
    pub fn new() -> Self {
        Self::default()
    }

    /// The lexicon learned from the NGEC synthetic stories (see `dateline train plover`).
    pub fn builtin() -> PloverLexicon {
        Self::read("plover-lexicon.tsv", include_str!("../data/plover-lexicon.tsv")).expect("built-in lexicon reads")
    }

    /// Reads the TSV form; an error names the file and line.
    pub fn read(name: &str, text: &str) -> Result<PloverLexicon, String> {
        let mut entries = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let bad = |why: &str| format!("{name}:{}: {why}", n + 1);
            let f: Vec<&str> = line.split('\t').collect();
            let [key, event, stories, share] = f[..] else {
                return Err(bad("expected 4 tab-separated fields: key, EVENT, stories, share"));
            };
            if !PLOVER_EVENTS.contains(&event) {
                return Err(bad(&format!("{event:?} is not a PLOVER event")));
            }
            let stories = stories.parse().map_err(|_| bad("the story count is not a number"))?;
            let share = share.parse().map_err(|_| bad("the share is not a number"))?;
            entries.insert(key.to_string(), Entry { event: event.to_string(), stories, share });
        }
        Ok(PloverLexicon { entries })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// The PLOVER event of predicate `p`: its key's entry, else its object class's (see
    /// [`predicate_keys`]).
    pub fn type_of(&self, doc: &Document, kids: &[Vec<usize>], p: usize) -> Option<&Entry> {
        self.first_of(&predicate_keys(doc, kids, p))
    }

    /// The entry of the first key the lexicon holds.
    pub fn first_of(&self, keys: &[String]) -> Option<&Entry> {
        keys.iter().find_map(|k| self.entries.get(k))
    }

    /// The TSV form, keys in order.
    pub fn to_tsv(&self) -> String {
        let mut keys: Vec<&String> = self.entries.keys().collect();
        keys.sort();
        let mut out = String::from("# key\tPLOVER event\tstories\tshare\n");
        for k in keys {
            let e = &self.entries[k];
            let _ = writeln!(out, "{k}\t{}\t{}\t{:.2}", e.event, e.stories, e.share);
        }
        out
    }
}

/// The word-cluster granularity of an object's class (see [`predicate_keys`]): the clusters'
/// fourth of five (1,024 classes).
const OBJECT_CLASS_LEVEL: usize = 3;

/// The keys of predicate `p`, most specific first. The first is the verb with its object's
/// head ("lift +curfew"), or the verb alone when it has no object ("the talks collapsed"); a
/// passive's subject is its object ("the curfew was lifted"). A verb with an object never
/// falls back to the verb alone: what stories do with "make" is made of "make concessions",
/// "make arrests" and "make films" alike, and only the pair tells them apart. A phrasal verb
/// keys with its particle ("call off"), never as its bare verb: "hand over" is not "hand
/// down". Lemmas, lower-cased. The second, for a verb with an object, is the verb with its
/// object's word class ("donate +@3:327", the cluster of "grain", "rice" and "wheat" in the
/// built-in clusters), which carries what stories did with "donated grain" to "donated
/// rice"; it stands in only where the pair itself has no entry.
pub fn predicate_keys(doc: &Document, kids: &[Vec<usize>], p: usize) -> Vec<String> {
    let lemma = |t: usize| {
        doc.tokens[t].lemma.clone().unwrap_or_else(|| doc.slice(doc.tokens[t].span).to_string()).to_lowercase()
    };
    let with = |rel: &str| kids[p].iter().copied().find(|&k| doc.tokens[k].deprel.as_deref() == Some(rel));
    let verb = lemma(p);
    let phrasal = match with("compound:prt") {
        Some(prt) => format!("{verb} {}", lemma(prt)),
        None => verb,
    };
    match with("obj").or_else(|| with("nsubj:pass")) {
        Some(o) => {
            let class = dateline_nlp::clusters::builtin()
                .of(doc.slice(doc.tokens[o].span))
                .and_then(|ids| ids.get(OBJECT_CLASS_LEVEL))
                .map(|id| format!("{phrasal} +@{OBJECT_CLASS_LEVEL}:{id}"));
            std::iter::once(format!("{phrasal} +{}", lemma(o))).chain(class).collect()
        }
        None => vec![phrasal],
    }
}

/// Counts, for each key, the events of the stories whose lead predicate had it, and for a
/// class key the pairs ("donate +grain") it was seen as.
#[derive(Debug, Default)]
pub struct Learner {
    counts: HashMap<String, BTreeMap<String, u32>>,
    pairs: HashMap<(String, String), std::collections::BTreeSet<String>>,
}

/// Whether a key is an object class's (see [`predicate_keys`]).
fn is_class_key(key: &str) -> bool {
    key.contains(" +@")
}

impl Learner {
    pub fn new() -> Self {
        Self::default()
    }

    /// One story: its lead predicate's keys (see [`predicate_keys`]) and its PLOVER event.
    pub fn add(&mut self, keys: &[String], event: &str) {
        for key in keys {
            *self.counts.entry(key.clone()).or_default().entry(event.to_string()).or_default() += 1;
            if is_class_key(key) {
                self.pairs.entry((key.clone(), event.to_string())).or_default().insert(keys[0].clone());
            }
        }
    }

    /// The entries that at least `min_stories` stories labelled with one event back, and
    /// that event is at least `min_share` of the key's stories. A key seen once or twice is an
    /// accident of wording, and a key split between events (the stories' "agreed" leads
    /// CONCEDE, SUPPORT and AGREE alike) tells nothing. A class key needs its event's stories
    /// to have at least two objects of the class: one word's stories ("make +concession")
    /// are that pair's evidence, not the class's ("make +brand").
    pub fn lexicon(&self, min_stories: u32, min_share: f32) -> PloverLexicon {
        let entries = self
            .counts
            .iter()
            .filter_map(|(k, by_event)| {
                let stories: u32 = by_event.values().sum();
                // The most frequent event; ties go to the first in name order (deterministic).
                let (event, &n) = by_event.iter().rev().max_by_key(|(_, &n)| n)?;
                let share = n as f32 / stories as f32;
                let generalizes =
                    !is_class_key(k) || self.pairs.get(&(k.clone(), event.clone())).is_some_and(|p| p.len() >= 2);
                (n >= min_stories && share >= min_share && generalizes)
                    .then(|| (k.clone(), Entry { event: event.clone(), stories, share }))
            })
            .collect();
        PloverLexicon { entries }
    }
}
