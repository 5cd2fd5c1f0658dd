//! Named-entity recognition: a greedy left-to-right averaged perceptron over BILOU labels for
//! PER, ORG, LOC and MISC, with word, shape, affix, context, part-of-speech, gazetteer and
//! document-memory features.
//!
//! Document memory: within one document, what earlier sentences labelled a word (as part of which
//! entity type) is a feature of its later occurrences, so "Haniyeh" after "Ismail Haniyeh" leans
//! PER. Memory comes from the model's own predictions, in training as at run time. After
//! decoding, a lone word that ends a person's full name elsewhere in the document is that
//! person (`surnames_are_people`), and one that is a company's name without its legal
//! form ("SpA", "Corp") that company (`companies_by_short_name`).

use crate::corpus::{spans_of, Sentence};
use crate::gazetteer::{key_of, Gazetteer, PlaceKind};
use crate::lexicon::{is_initialism, LEGAL_FORMS, ORG_KEYWORDS, TITLES, WEEKDAYS};
use crate::perceptron::{FeatureHasher as H, Model, Rng, Trainer};
use crate::tagger::{shape, Progress};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

pub const TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// The 17 BILOU classes: "O", then B-, I-, L-, U- for each type.
pub fn classes() -> Vec<String> {
    let mut c = vec!["O".to_string()];
    for t in TYPES {
        for p in ["B", "I", "L", "U"] {
            c.push(format!("{p}-{t}"));
        }
    }
    c
}

/// IOB2 labels to BILOU.
pub fn to_bilou(iob: &[String]) -> Vec<String> {
    let mut out = vec!["O".to_string(); iob.len()];
    for (s, e, t) in spans_of(iob) {
        if e - s == 1 {
            out[s] = format!("U-{t}");
        } else {
            out[s] = format!("B-{t}");
            for l in out.iter_mut().take(e - 1).skip(s + 1) {
                *l = format!("I-{t}");
            }
            out[e - 1] = format!("L-{t}");
        }
    }
    out
}

/// Entity spans from BILOU labels (lenient: a B without L ends where its type stops).
pub fn bilou_spans(labels: &[&str]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        let l = labels[i];
        if l == "O" {
            i += 1;
            continue;
        }
        let t = &l[2..];
        let mut j = i + 1;
        if !l.starts_with('U') && !l.starts_with('L') {
            while j < labels.len()
                && labels[j].len() > 2
                && &labels[j][2..] == t
                && (labels[j].starts_with('I') || labels[j].starts_with('L'))
            {
                j += 1;
                if labels[j - 1].starts_with('L') {
                    break;
                }
            }
        }
        out.push((i, j, t.to_string()));
        i = j;
    }
    out
}

/// May label `next` follow `prev`? (BILOU grammar.)
fn allowed(prev: &str, next: &str) -> bool {
    let inside = prev.starts_with('B') || prev.starts_with('I');
    let continues = next.starts_with('I') || next.starts_with('L');
    if inside {
        continues && prev[2..] == next[2..]
    } else {
        !continues
    }
}

/// Word lists used as features, built once from the data compiled into the crate.
struct Lists {
    places: KeyHashes,
    places_max: usize,
    first: HashSet<&'static str>,
    last: HashSet<&'static str>,
    org_keywords: HashSet<&'static str>,
    titles: HashSet<&'static str>,
    /// Organisations and people known by name (see `tools/build-actor-gazetteers.py`), as
    /// folded keys, and the longest name in tokens.
    organizations: KeyHashes,
    people: KeyHashes,
    actors_max: usize,
    /// Wikipedia titles of organisations and places (see `tools/build-wiki-gazetteers.py`),
    /// as hashes of their folded keys: half a million names in a few megabytes.
    wiki_organizations: KeyHashes,
    wiki_places: KeyHashes,
}

type KeyHashes = HashSet<u64, std::hash::BuildHasherDefault<crate::perceptron::IdentityHasher>>;

/// The longest Wikipedia title matched, in words.
const WIKI_MAX: usize = 6;

/// The hash of a phrase's folded key ([`key_of`]); see [`longest_listed`] for the same hash
/// grown word by word.
fn key_hash(key: &str) -> u64 {
    H::new(99).str(key).finish()
}

/// The longest phrase of at most `max` words starting at word `i` whose key is in `set`, in
/// words: the key's hash grows a word at a time, so no phrase is built. `folded` holds each
/// word's key (`key_of` of the word alone).
fn longest_listed(folded: &[String], i: usize, max: usize, set: &KeyHashes) -> Option<usize> {
    let mut h = H::new(99);
    let mut best = None;
    for n in 1..=max.min(folded.len() - i) {
        if n > 1 {
            h = h.part(" ");
        }
        h = h.part(&folded[i + n - 1]);
        if set.contains(&h.end_part().finish()) {
            best = Some(n);
        }
    }
    best
}

/// The hashed keys of a list of names, one a line, and its longest name in words; names of
/// more than `max` words are left out.
fn key_hashes(text: &str, max: usize) -> (KeyHashes, usize) {
    let mut longest = 1;
    let keys = text
        .lines()
        .filter_map(|line| {
            let toks: Vec<&str> = crate::tokenize(line).iter().map(|s| &line[s.start..s.end]).collect();
            (!toks.is_empty() && toks.len() <= max).then(|| {
                longest = longest.max(toks.len());
                key_hash(&key_of(&toks))
            })
        })
        .collect();
    (keys, longest)
}

fn gunzip(gz: &[u8]) -> String {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(gz).read_to_string(&mut text).expect("the built-in name lists are valid gzip'd UTF-8");
    text
}

fn lists() -> &'static Lists {
    static L: OnceLock<Lists> = OnceLock::new();
    L.get_or_init(|| {
        let (places, places_max) = key_hashes(include_str!("../data/gaz/places.txt"), 6);
        let (organizations, orgs_max) = key_hashes(include_str!("../data/gaz/organizations.txt"), 6);
        let (people, people_max) = key_hashes(include_str!("../data/gaz/people.txt"), 6);
        let actors_max = orgs_max.max(people_max);
        Lists {
            organizations,
            people,
            actors_max,
            wiki_organizations: key_hashes(&gunzip(include_bytes!("../data/gaz/wiki-organizations.txt.gz")), WIKI_MAX)
                .0,
            wiki_places: key_hashes(&gunzip(include_bytes!("../data/gaz/wiki-places.txt.gz")), WIKI_MAX).0,
            places,
            places_max,
            first: include_str!("../data/gaz/first-names.txt").lines().collect(),
            last: include_str!("../data/gaz/last-names.txt").lines().collect(),
            org_keywords: ORG_KEYWORDS.iter().copied().collect(),
            titles: TITLES.iter().flat_map(|t| t.split(' ')).collect(),
        }
    })
}

/// Marks the longest matches of a phrase list over the sentence with BILOU positions, from
/// capitalised words only; `longest(i)` is the longest listed phrase starting at word `i`, in
/// words.
fn mark_phrases(words: &[&str], longest: impl Fn(usize) -> Option<usize>, marks: &mut [u8]) {
    let mut i = 0;
    while i < words.len() {
        let upper = words[i].chars().next().is_some_and(char::is_uppercase);
        let found = if upper { longest(i) } else { None };
        match found {
            Some(1) => {
                marks[i] = b'U';
                i += 1;
            }
            Some(n) => {
                marks[i] = b'B';
                for m in marks.iter_mut().take(i + n - 1).skip(i + 1) {
                    *m = b'I';
                }
                marks[i + n - 1] = b'L';
                i += n;
            }
            None => i += 1,
        }
    }
}

fn canon(w: &str) -> String {
    w.chars()
        .map(|c| match c {
            '’' | '‘' => '\'',
            '“' | '”' => '"',
            _ => c,
        })
        .collect()
}

/// Runs of capitalised words, joined by name connectors ("Bank of England"): for each word in
/// a run, its first and one-past-last index; `(i, i)` for words outside runs.
fn capitalised_runs(words: &[&str]) -> Vec<(usize, usize)> {
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let mut runs: Vec<(usize, usize)> = (0..words.len()).map(|i| (i, i)).collect();
    let mut i = 0;
    while i < words.len() {
        if !capital(words[i]) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        loop {
            if end < words.len() && capital(words[end]) {
                end += 1;
            } else if end + 1 < words.len() && NAME_CONNECTORS.contains(&words[end]) && capital(words[end + 1]) {
                end += 2;
            } else {
                break;
            }
        }
        runs[i..end].iter_mut().for_each(|r| *r = (i, end));
        i = end;
    }
    runs
}

/// Per-sentence precomputation.
struct SentenceView {
    raw: Vec<String>,
    lower: Vec<String>,
    shapes: Vec<String>,
    place: Vec<u8>,
    demonym: Vec<u8>,
    organization: Vec<u8>,
    person: Vec<u8>,
    /// BILOU marks of Wikipedia organisation and place titles.
    wiki_organization: Vec<u8>,
    wiki_place: Vec<u8>,
    /// Each word's clusters (see [`crate::clusters`]), coarse to fine.
    clusters: Vec<Option<&'static [u16]>>,
    /// For each word in a run of capitalised words (joined by name connectors), the run's
    /// first and one-past-last index; `(i, i)` outside runs and in all-capitals sentences.
    runs: Vec<(usize, usize)>,
    all_caps: bool,
}

impl SentenceView {
    fn new(words: &[&str]) -> Self {
        let raw: Vec<String> = words.iter().map(|w| canon(w)).collect();
        let refs: Vec<&str> = raw.iter().map(String::as_str).collect();
        let l = lists();
        let g = Gazetteer::get();
        let folded: Vec<String> = refs.iter().map(|w| key_of(&[w])).collect();
        let folded = &folded;
        let listed = |max: usize, set: &'static KeyHashes| move |i: usize| longest_listed(folded, i, max, set);
        // Gazetteer phrases, longest first, of at most `max` words from word `i`.
        let in_gazetteer = |max: usize, demonym: bool| {
            let refs = &refs;
            move |i: usize| {
                (1..=max.min(refs.len() - i))
                    .rev()
                    .find(|&n| g.lookup(&refs[i..i + n]).is_some_and(|e| (e.kind == PlaceKind::Demonym) == demonym))
            }
        };
        let mut place = vec![0u8; words.len()];
        let (listed_place, gazetteer_place) = (listed(l.places_max, &l.places), in_gazetteer(g.max_tokens, false));
        mark_phrases(&refs, |i| listed_place(i).max(gazetteer_place(i)), &mut place);
        let mut demonym = vec![0u8; words.len()];
        mark_phrases(&refs, in_gazetteer(3, true), &mut demonym);
        let mut organization = vec![0u8; words.len()];
        mark_phrases(&refs, listed(l.actors_max, &l.organizations), &mut organization);
        let mut person = vec![0u8; words.len()];
        mark_phrases(&refs, listed(l.actors_max, &l.people), &mut person);
        let mut wiki_organization = vec![0u8; words.len()];
        mark_phrases(&refs, listed(WIKI_MAX, &l.wiki_organizations), &mut wiki_organization);
        let mut wiki_place = vec![0u8; words.len()];
        mark_phrases(&refs, listed(WIKI_MAX, &l.wiki_places), &mut wiki_place);
        let all_caps = refs.iter().any(|w| w.chars().any(char::is_alphabetic))
            && !refs.iter().any(|w| w.chars().any(char::is_lowercase));
        let table = crate::clusters::builtin();
        SentenceView {
            runs: if all_caps { (0..refs.len()).map(|i| (i, i)).collect() } else { capitalised_runs(&refs) },
            clusters: raw.iter().map(|w| table.of(w)).collect(),
            lower: raw.iter().map(|w| w.to_lowercase()).collect(),
            shapes: raw.iter().map(|w| shape(w)).collect(),
            raw,
            place,
            demonym,
            organization,
            person,
            wiki_organization,
            wiki_place,
            all_caps,
        }
    }
}

/// What earlier sentences of the document said about words: counts per entity type.
#[derive(Default)]
pub struct Memory {
    seen: HashMap<String, [u16; 4]>,
}

impl Memory {
    fn remember(&mut self, view: &SentenceView, labels: &[&str]) {
        for (i, l) in labels.iter().enumerate() {
            if *l != "O" {
                if let Some(t) = TYPES.iter().position(|t| *t == &l[2..]) {
                    let e = self.seen.entry(view.lower[i].clone()).or_default();
                    e[t] = e[t].saturating_add(1);
                }
            }
        }
    }
}

mod t {
    pub const BIAS: u8 = 0;
    pub const RAW: u8 = 1;
    pub const LOWER: u8 = 2;
    pub const SHAPE: u8 = 3;
    pub const PRE: u8 = 4;
    pub const SUF: u8 = 5;
    pub const W: u8 = 6;
    pub const SH: u8 = 7;
    pub const SH3: u8 = 8;
    pub const POS: u8 = 9;
    pub const L1: u8 = 10;
    pub const L2: u8 = 11;
    pub const L1W: u8 = 12;
    pub const L1SH: u8 = 13;
    pub const FIRST: u8 = 14;
    pub const CAPS: u8 = 15;
    pub const PLACE: u8 = 16;
    pub const DEMONYM: u8 = 17;
    pub const FIRSTNAME: u8 = 18;
    pub const LASTNAME: u8 = 19;
    pub const ORGKW: u8 = 20;
    pub const TITLE: u8 = 21;
    pub const MEM: u8 = 22;
    pub const RAWW: u8 = 23;
    pub const POSW: u8 = 24;
    pub const BIGRAM: u8 = 25;
    pub const MEMSHAPE: u8 = 26;
    pub const CAPSW: u8 = 27;
    pub const LEN: u8 = 28;
    pub const CASING: u8 = 29;
    pub const DOC: u8 = 30;
    pub const ACTOR: u8 = 31;
    pub const CLUSTER: u8 = 32;
    pub const RUN: u8 = 33;
    pub const WIKI: u8 = 34;
}

const START: &str = "<s>";
const END: &str = "</s>";

/// Every feature of token `i`: those of the token and its context (see [`static_features`])
/// and those of the labels so far and the document memory (see [`label_features`]).
#[allow(clippy::too_many_arguments)]
fn features(
    v: &SentenceView,
    pos: &[&str],
    i: usize,
    l1: &str,
    l2: &str,
    mem: &Memory,
    doc: Option<&Memory>,
    out: &mut Vec<u64>,
) {
    out.clear();
    static_features(v, pos, i, out);
    label_features(v, i, l1, l2, mem, doc, out);
}

/// Features that depend on the labels already given and on the document memory; `doc` is, on
/// the second pass, what the first pass said about each word in the whole document.
fn label_features(
    v: &SentenceView,
    i: usize,
    l1: &str,
    l2: &str,
    mem: &Memory,
    doc: Option<&Memory>,
    out: &mut Vec<u64>,
) {
    if let Some(doc) = doc {
        match doc.seen.get(&v.lower[i]) {
            Some(counts) => {
                let best = (0..4).max_by_key(|&k| counts[k]).unwrap_or(0);
                let kinds = counts.iter().filter(|&&c| c > 0).count() as u64;
                out.push(H::new(t::DOC).str(TYPES[best]).num(kinds).finish());
                out.push(H::new(t::DOC).str(TYPES[best]).str(l1).finish());
            }
            None => out.push(H::new(t::DOC).str("none").finish()),
        }
        for (off, j) in [(1u64, i.wrapping_sub(1)), (2, i + 1)] {
            if let Some(counts) = v.lower.get(j).and_then(|w| doc.seen.get(w)) {
                let best = (0..4).max_by_key(|&k| counts[k]).unwrap_or(0);
                out.push(H::new(t::DOC).num(off).str(TYPES[best]).finish());
            }
        }
    }
    out.push(H::new(t::L1).str(l1).finish());
    out.push(H::new(t::L2).str(l2).str(l1).finish());
    out.push(H::new(t::L1W).str(l1).str(&v.lower[i]).finish());
    out.push(H::new(t::L1SH).str(l1).str(&v.shapes[i]).finish());
    if let Some(counts) = mem.seen.get(&v.lower[i]) {
        let best = (0..4).max_by_key(|&k| counts[k]).unwrap_or(0);
        out.push(H::new(t::MEM).str(TYPES[best]).finish());
        out.push(H::new(t::MEMSHAPE).str(TYPES[best]).str(&v.shapes[i]).finish());
    }
}

/// Item `j` of a sentence-long list, or the start/end padding outside it.
fn window<S: AsRef<str>>(items: &[S], j: isize) -> &str {
    if j < 0 {
        START
    } else {
        items.get(j as usize).map_or(END, AsRef::as_ref)
    }
}

/// Features of the token and its context alone: the same on every pass, so scored once.
fn static_features(v: &SentenceView, pos: &[&str], i: usize, out: &mut Vec<u64>) {
    let n = v.raw.len() as isize;
    let i_ = i as isize;
    let lower = |j: isize| window(&v.lower, j);
    let raw = |j: isize| window(&v.raw, j);
    let shp = |j: isize| window(&v.shapes, j);
    let tag = |j: isize| window(pos, j);
    let w = v.raw[i].as_str();
    out.push(H::new(t::BIAS).finish());
    out.push(H::new(t::RAW).str(w).finish());
    out.push(H::new(t::LOWER).str(&v.lower[i]).finish());
    out.push(H::new(t::SHAPE).str(&v.shapes[i]).finish());
    out.push(H::new(t::LEN).num(w.chars().count().min(8) as u64).str(&v.shapes[i]).finish());
    let chars: Vec<(usize, char)> = w.char_indices().collect();
    for k in 1..=4usize {
        if chars.len() >= k {
            let end = chars.get(k).map_or(w.len(), |c| c.0);
            out.push(H::new(t::PRE).num(k as u64).str(&w[..end]).finish());
            // The last k characters, lowercased. Lowercasing may change a word's length in
            // bytes ("İ" becomes "i̇"), so the cut is taken in the lowercase form itself.
            let start = chars[chars.len() - k].0;
            let lower = &v.lower[i];
            let cut = lower.len().saturating_sub(w.len() - start);
            let suffix = if lower.len() == w.len() && lower.is_char_boundary(cut) {
                &lower[cut..]
            } else {
                lower.char_indices().rev().nth(k - 1).map_or(lower.as_str(), |(at, _)| &lower[at..])
            };
            out.push(H::new(t::SUF).num(k as u64).str(suffix).finish());
        }
    }
    for d in [-2isize, -1, 1, 2] {
        out.push(H::new(t::W).num((d + 2) as u64).str(lower(i_ + d)).finish());
        out.push(H::new(t::SH).num((d + 2) as u64).str(shp(i_ + d)).finish());
        out.push(H::new(t::POS).num((d + 2) as u64).str(tag(i_ + d)).finish());
    }
    out.push(H::new(t::RAWW).num(0).str(raw(i_ - 1)).str(w).finish());
    out.push(H::new(t::RAWW).num(1).str(w).str(raw(i_ + 1)).finish());
    out.push(H::new(t::BIGRAM).str(lower(i_ - 1)).str(&v.lower[i]).finish());
    out.push(H::new(t::POS).num(9).str(pos[i]).finish());
    out.push(H::new(t::POSW).str(pos[i]).str(&v.shapes[i]).finish());
    out.push(H::new(t::SH3).str(shp(i_ - 1)).str(&v.shapes[i]).str(shp(i_ + 1)).finish());
    if i == 0 {
        out.push(H::new(t::FIRST).str(&v.shapes[i]).finish());
    }
    if v.all_caps {
        out.push(H::new(t::CAPS).str(&v.shapes[i]).finish());
        out.push(H::new(t::CAPSW).str(&v.lower[i]).finish());
    }
    let lists = lists();
    for (d, marks) in [(0u64, &v.place), (1, &v.demonym)] {
        for (off, j) in [(0u64, i_), (1, i_ - 1), (2, i_ + 1)] {
            if j >= 0 && j < n && marks[j as usize] != 0 {
                let tmpl = if d == 0 { t::PLACE } else { t::DEMONYM };
                out.push(H::new(tmpl).num(off).num(marks[j as usize] as u64).finish());
            }
        }
    }
    for (kind, marks) in [(0u64, &v.organization), (1, &v.person)] {
        for (off, j) in [(0u64, i_), (1, i_ - 1), (2, i_ + 1)] {
            if j >= 0 && j < n && marks[j as usize] != 0 {
                out.push(H::new(t::ACTOR).num(kind).num(off).num(marks[j as usize] as u64).finish());
            }
        }
    }
    for (kind, marks) in [(0u64, &v.wiki_organization), (1, &v.wiki_place)] {
        for (off, j) in [(0u64, i_), (1, i_ - 1), (2, i_ + 1)] {
            if j >= 0 && j < n && marks[j as usize] != 0 {
                out.push(H::new(t::WIKI).num(kind).num(off).num(marks[j as usize] as u64).finish());
            }
        }
    }
    let titlecase = |s: &str| {
        let mut c = s.chars();
        c.next().map(|f| f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase()).unwrap_or_default()
    };
    for (off, j) in [(0u64, i_), (1, i_ - 1), (2, i_ + 1)] {
        if j < 0 || j >= n {
            continue;
        }
        let word = &v.raw[j as usize];
        if !word.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let tc = titlecase(word);
        if lists.first.contains(tc.as_str()) {
            out.push(H::new(t::FIRSTNAME).num(off).finish());
        }
        if lists.last.contains(tc.as_str()) {
            out.push(H::new(t::LASTNAME).num(off).finish());
        }
        if lists.org_keywords.contains(word.as_str()) {
            out.push(H::new(t::ORGKW).num(off).finish());
        }
        if lists.titles.contains(word.as_str()) {
            out.push(H::new(t::TITLE).num(off).finish());
        }
    }
    for (off, j) in [(0u64, i_), (1, i_ - 1), (2, i_ + 1)] {
        if let Some(ids) = v.clusters.get(j as usize).and_then(|c| c.as_deref()) {
            for (g, &id) in ids.iter().enumerate() {
                out.push(H::new(t::CLUSTER).num(off).num(g as u64).num(u64::from(id)).finish());
            }
        }
    }
    // Where the run of capitalised words around the token ends and begins: the greedy decoder
    // chooses a name's type at its first word, and "Corp" three words on settles it.
    let (rs, re) = v.runs[i];
    if re > rs + 1 {
        let at = if i == rs {
            0u64
        } else if i + 1 == re {
            2
        } else {
            1
        };
        out.push(H::new(t::RUN).num(0).num(at).num((re - rs).min(5) as u64).finish());
        out.push(H::new(t::RUN).num(1).num(at).str(&v.lower[re - 1]).finish());
        if i > rs {
            out.push(H::new(t::RUN).num(2).str(&v.lower[rs]).finish());
        }
        if let Some(ids) = v.clusters[re - 1] {
            for (g, &id) in ids.iter().enumerate().skip(1).take(3) {
                out.push(H::new(t::RUN).num(3).num(at).num(g as u64).num(u64::from(id)).finish());
            }
        }
    }
    let casing = crate::casing::builtin();
    for (off, j) in [(0u64, i_), (1, i_ - 1), (2, i_ + 1)] {
        if j >= 0 && j < n && v.raw[j as usize].chars().next().is_some_and(char::is_uppercase) {
            let tenths = casing.capitalised_tenths(&v.lower[j as usize]).map_or(11, u64::from);
            out.push(H::new(t::CASING).num(off).num(tenths).finish());
            if off == 0 {
                out.push(H::new(t::CASING).num(9).num(tenths).str(&v.shapes[i]).num(u64::from(i == 0)).finish());
            }
        }
    }
}

pub struct Ner {
    model: Model,
}

/// The rules applied after decoding, each of which can be switched off to measure what it
/// pays on data it was not chosen on (k-fold over the training set, another genre's names).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rules {
    /// Names cut at common words and trimmed of scores, months, titles and function words
    /// at their edges ([`tidy_names`]).
    pub tidy_names: bool,
    /// A lone surname of a person named in full is that person.
    pub surnames: bool,
    /// A company's name without its legal form is that company.
    pub short_company_names: bool,
    /// An initialism defined in brackets after its name takes the name's type.
    pub initialisms: bool,
    /// A lone name the text calls a firm, group, party, … is an organisation.
    pub described_organisations: bool,
    /// A common word alone at the start of a sentence, capitalised nowhere else, is no name.
    pub opening_common_words: bool,
    /// Document conventions of the full recognizer (`TrainedRecognizer`), after these:
    /// name particles ("al-", "bin") join a person's name;
    pub particles: bool,
    /// our span and type conventions (titles out of a person's span, facilities and outlets,
    /// religion and nationality words MISC, a country a place, …: `refine`);
    pub refine: bool,
    /// capitalised names of the curated place gazetteer the model left out are places;
    pub gazetteer_backoff: bool,
    /// one type per surface in a document, surnames and place heads included (`harmonize`).
    pub harmonize: bool,
}

impl Rules {
    pub const ALL: Rules = Rules {
        tidy_names: true,
        surnames: true,
        short_company_names: true,
        initialisms: true,
        described_organisations: true,
        opening_common_words: true,
        particles: true,
        refine: true,
        gazetteer_backoff: true,
        harmonize: true,
    };

    /// Each rule's name, and the rule set without it; `document`: the full recognizer's
    /// document conventions too (they do not apply to [`Ner::label_document`] alone).
    pub fn each_left_out(document: bool) -> Vec<(&'static str, Rules)> {
        let all = Rules::ALL;
        let mut sets = vec![
            ("tidy-names", Rules { tidy_names: false, ..all }),
            ("surnames", Rules { surnames: false, ..all }),
            ("short-company-names", Rules { short_company_names: false, ..all }),
            ("initialisms", Rules { initialisms: false, ..all }),
            ("described-organisations", Rules { described_organisations: false, ..all }),
            ("opening-common-words", Rules { opening_common_words: false, ..all }),
        ];
        if document {
            sets.extend([
                ("particles", Rules { particles: false, ..all }),
                ("refine", Rules { refine: false, ..all }),
                ("gazetteer-backoff", Rules { gazetteer_backoff: false, ..all }),
                ("harmonize", Rules { harmonize: false, ..all }),
            ]);
        }
        sets
    }
}

impl Ner {
    /// The mean of several recognizers trained with different seeds (see [`Model::average`]).
    pub fn average(models: Vec<Ner>) -> Ner {
        let models: Vec<Model> = models.into_iter().map(|n| n.model).collect();
        Ner { model: Model::average(&models) }
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Ner, String> {
        let model = Model::from_bytes(bytes)?;
        if model.classes != classes() {
            return Err("not an entity model (unexpected classes)".into());
        }
        Ok(Ner { model })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.model.to_bytes()
    }

    /// Labels a document, given as sentences of (words, part-of-speech tags), in two passes:
    /// the second sees what the first said about each word anywhere in the document.
    pub fn label_document<'m>(&'m self, sentences: &[(Vec<&str>, Vec<&str>)]) -> Vec<Vec<&'m str>> {
        self.label_document_with(sentences, Rules::ALL)
    }

    /// [`Ner::label_document`] with only some of the rules applied after decoding (to measure
    /// what each one pays: `dateline eval ner --ablate`).
    pub fn label_document_with<'m>(&'m self, sentences: &[(Vec<&str>, Vec<&str>)], rules: Rules) -> Vec<Vec<&'m str>> {
        let views: Vec<SentenceView> = sentences.iter().map(|(w, _)| SentenceView::new(w)).collect();
        let mut feats = Vec::with_capacity(64);
        let mut scores = Vec::new();
        // The scores of each token's static features, one flat row of classes per token: both
        // passes use them, and one allocation per sentence (not per token) keeps a long
        // document's memory in proportion to its words.
        let statics: Vec<Vec<f32>> = views
            .iter()
            .zip(sentences)
            .map(|(v, (_, pos))| {
                let mut flat = Vec::with_capacity(v.raw.len() * self.model.classes.len());
                for i in 0..v.raw.len() {
                    feats.clear();
                    static_features(v, pos, i, &mut feats);
                    self.model.score(&feats, &mut scores);
                    flat.extend_from_slice(&scores);
                }
                flat
            })
            .collect();
        let mut first = Memory::default();
        for (v, st) in views.iter().zip(&statics) {
            self.label(v, st, &mut first, None, rules);
        }
        let mut memory = Memory::default();
        let mut labels: Vec<Vec<&'m str>> =
            views.iter().zip(&statics).map(|(v, st)| self.label(v, st, &mut memory, Some(&first), rules)).collect();
        let classes = &self.model.classes;
        if rules.surnames {
            surnames_are_people(classes, &views, &mut labels);
        }
        if rules.short_company_names {
            companies_by_short_name(classes, &views, &mut labels);
        }
        if rules.initialisms {
            initialisms_take_their_names(classes, &views, &mut labels);
        }
        if rules.described_organisations {
            described_organisations(classes, &views, &mut labels);
        }
        if rules.opening_common_words {
            common_words_opening_sentences(&views, &mut labels);
        }
        labels
    }

    /// Labels one sentence (BILOU), greedily left to right under the label grammar, updating
    /// the document memory.
    fn label<'m>(
        &'m self,
        v: &SentenceView,
        statics: &[f32],
        memory: &mut Memory,
        doc: Option<&Memory>,
        rules: Rules,
    ) -> Vec<&'m str> {
        let words = &v.raw;
        let mut out: Vec<&str> = Vec::with_capacity(words.len());
        let mut feats = Vec::with_capacity(64);
        let mut scores = Vec::new();
        for i in 0..words.len() {
            let l1 = if i >= 1 { out[i - 1] } else { START };
            let l2 = if i >= 2 { out[i - 2] } else { START };
            feats.clear();
            label_features(v, i, l1, l2, memory, doc, &mut feats);
            self.model.score(&feats, &mut scores);
            let classes = self.model.classes.len();
            for (s, st) in scores.iter_mut().zip(&statics[i * classes..(i + 1) * classes]) {
                *s += st;
            }
            let best = best_allowed(&self.model.classes, &scores, l1, i + 1 == words.len());
            out.push(&self.model.classes[best]);
        }
        if rules.tidy_names {
            tidy_names(&self.model.classes, words, &mut out);
        }
        memory.remember(v, &out);
        out
    }

    /// Trains on sentences with IOB2 labels. `tags` are the part-of-speech tags to use as
    /// features, one list per sentence: a tagger's predicted tags, not gold ones, so that
    /// training sees what run time will see (`dateline train ner` uses the built-in tagger's).
    pub fn train(
        data: &[Sentence],
        tags: &[Vec<String>],
        iterations: usize,
        seed: u64,
        progress: &mut dyn Progress,
    ) -> Ner {
        let classes = classes();
        let class_of = |l: &str| classes.iter().position(|c| c == l).expect("BILOU class");
        let gold: Vec<Vec<String>> = data.iter().map(|s| to_bilou(&s.ner)).collect();
        let views: Vec<SentenceView> =
            data.iter().map(|s| SentenceView::new(&s.words.iter().map(String::as_str).collect::<Vec<_>>())).collect();
        let mut trainer = Trainer::new(classes.clone());
        let mut blocks = crate::corpus::documents(data);
        let mut rng = Rng::new(seed);
        let mut feats = Vec::with_capacity(64);
        let mut scores = Vec::new();
        for epoch in 0..iterations {
            progress.epoch(epoch + 1, iterations);
            rng.shuffle(&mut blocks);
            let (mut right, mut total) = (0usize, 0usize);
            for (k, block) in blocks.iter().enumerate() {
                // Both passes learn, the second with the first's view of the whole block.
                let mut first = Memory::default();
                for pass in 0..2 {
                    let mut memory = Memory::default();
                    for si in block.clone() {
                        let v = &views[si];
                        let pos: Vec<&str> = tags[si].iter().map(String::as_str).collect();
                        let mut out: Vec<&str> = Vec::with_capacity(pos.len());
                        for i in 0..pos.len() {
                            let l1 = if i >= 1 { out[i - 1] } else { START };
                            let l2 = if i >= 2 { out[i - 2] } else { START };
                            let doc = (pass == 1).then_some(&first);
                            features(v, &pos, i, l1, l2, &memory, doc, &mut feats);
                            trainer.score(&feats, &mut scores);
                            let guess = best_allowed(&classes, &scores, l1, i + 1 == pos.len());
                            let truth = class_of(&gold[si][i]);
                            trainer.update(&feats, truth, guess);
                            if pass == 1 {
                                right += usize::from(guess == truth);
                                total += 1;
                            }
                            out.push(classes[guess].as_str());
                        }
                        memory.remember(v, &out);
                    }
                    if pass == 0 {
                        first = memory;
                    }
                }
                if k % 20 == 0 {
                    progress.step(block.start, data.len());
                }
            }
            progress.report(&format!(
                "iteration {}: training accuracy {:.2}%",
                epoch + 1,
                100.0 * right as f64 / total as f64
            ));
        }
        Ner { model: trainer.finish(1e-3) }
    }
}

/// Cuts a name where it runs through a common word, and takes off its edges what no name ends
/// or starts with — a score, a comma, a function word or a lone closing bracket or full stop at
/// the end ("Surrey 210-4", "Harbour, along with"), a month before or after it ("June
/// Norvale"), a weekday after it ("Norvale Friday"), a person's title before it ("Bishop Kim
/// Tarn"). The greedy decoder, once inside a name, must go on until it closes it, and sometimes
/// closes it words late.
fn tidy_names<'m>(classes: &'m [String], words: &[String], labels: &mut [&'m str]) {
    const MONTHS: &[&str] = &[
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    // A name does not run through common words: "Kestrel Holdings and its rival Tarn" is two
    // names, not one. Lowercase words inside a name are connectors ("Bank of England", "Zine
    // al-Abidine"); names holding other lowercase words are rare enough to give up.
    for (a, b, _) in bilou_spans(labels) {
        for k in a..b {
            let w = words[k].as_str();
            let common = w.chars().next().is_some_and(char::is_lowercase)
                && !w.chars().any(char::is_uppercase)
                && !NAME_CONNECTORS.contains(&w);
            // Nor through an initialism's or a number's possessive ("KBC 's offer", "Radio 4 's
            // Lune Hour"); a name written as a possessive keeps it ("Moody 's").
            let possessive = k > a
                && matches!(w, "'s" | "’s")
                && (is_initialism(&words[k - 1]) || words[k - 1].chars().all(|c| c.is_ascii_digit()));
            // Nor through a bracket it does not also open or close ("Ada ) Tarn").
            let unbalanced = w == ")" && !words[a..k].iter().any(|x| x == "(")
                || w == "(" && !words[k + 1..b].iter().any(|x| x == ")");
            if common || possessive || unbalanced {
                labels[k] = "O";
            }
        }
    }
    split_at_titles(classes, words, labels);
    // A name followed by a company's legal form takes it in, and a name ending in one is a
    // company: "Kestrel SpA", "Lune Trading Corp".
    for (a, b, t) in bilou_spans(labels) {
        let end = if words.get(b).is_some_and(|w| LEGAL_FORMS.contains(&w.as_str())) { b + 1 } else { b };
        if end > a + 1 && LEGAL_FORMS.contains(&words[end - 1].as_str()) && (end > b || t != "ORG") {
            relabel(classes, labels, a, end, "ORG");
        }
    }
    // Names joined by an ampersand are one firm's ("Tarn & Vell", "Lune & Co"), never two
    // people.
    let ampersands: Vec<usize> = (1..words.len().saturating_sub(1)).filter(|&k| words[k] == "&").collect();
    for k in ampersands {
        let spans = bilou_spans(labels);
        let holding = |j: usize| spans.iter().find(|&&(a, b, _)| a <= j && j < b).cloned();
        match (holding(k - 1), holding(k), holding(k + 1)) {
            // A name on each side, or a name and one that the decoder began at the "&".
            (Some((a, _, _)), None, Some((_, e, _))) => relabel(classes, labels, a, e, "ORG"),
            (Some((a, b, _)), Some((m, e, _)), _) if b <= k && m == k => relabel(classes, labels, a, e, "ORG"),
            (_, Some((a, b, t)), _) if t == "PER" => relabel(classes, labels, a, b, "ORG"),
            _ => {}
        }
    }
    let spans = bilou_spans(labels);
    for (mut a, mut b, t) in spans {
        let lower = |k: usize| words[k].to_lowercase();
        let opens = words[a..b].iter().any(|w| w == "(");
        while b - a > 1 {
            let w = &words[b - 1];
            let score = w.contains('-') && w.split('-').all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
            // A name may hold "of" or "and" ("Bank of England") but does not end on one.
            let dangling = matches!(
                w.as_str(),
                "," | ";"
                    | ":"
                    | "-"
                    | "("
                    | "of"
                    | "and"
                    | "or"
                    | "the"
                    | "with"
                    | "along"
                    | "for"
                    | "to"
                    | "in"
                    | "on"
                    | "at"
                    | "by"
                    | "a"
                    | "an"
            );
            // A rank ("Kim Tarn 68th") closes no name, nor an abbreviated title before the name
            // it introduces ("Lune Gov Ada Vell"; but "Hun Sen said").
            let ordinal = w.starts_with(|c: char| c.is_ascii_digit())
                && ["st", "nd", "rd", "th"].iter().any(|x| w.ends_with(x))
                && w.trim_end_matches(char::is_alphabetic).bytes().all(|c| c.is_ascii_digit());
            let title_abbreviation = words.get(b).is_some_and(|n| n.starts_with(char::is_uppercase)) && {
                let abbreviation = lower(b - 1);
                let abbreviation = abbreviation.trim_end_matches('.');
                // Not those that also end names: Drive, Street, Republic, Mount, Fort, …
                crate::tokenize::TITLE_ABBREVIATIONS.contains(&abbreviation)
                    && !matches!(
                        abbreviation,
                        "dr" | "st"
                            | "rep"
                            | "mt"
                            | "ft"
                            | "fr"
                            | "rev"
                            | "pres"
                            | "hon"
                            | "amb"
                            | "pvt"
                            | "no"
                            | "nos"
                            | "vs"
                    )
            };
            if score
                || dangling
                || ordinal
                || title_abbreviation
                || w == "."
                || (w == ")" && !opens)
                || WEEKDAYS.contains(&lower(b - 1).as_str())
            {
                labels[b - 1] = "O";
                b -= 1;
            } else {
                break;
            }
        }
        while b - a > 1 && MONTHS.contains(&lower(a).as_str()) {
            labels[a] = "O";
            a += 1;
        }
        // A name after a personal honorific is a person's, whatever its words suggest on their
        // own ("Mr Jobs", "Dr Lune"), and the honorific is not part of it.
        let mut t = t;
        if b - a >= 2 && is_honorific(&words[a]) && words[a + 1].chars().next().is_some_and(char::is_uppercase) {
            labels[a] = "O";
            a += 1;
            t = "PER".to_string();
        } else if a > 0 && labels[a - 1] == "O" && is_honorific(&words[a - 1]) {
            t = "PER".to_string();
        }
        // Members of a body are not the body: "Lune MPs" is the party "Lune".
        if b - a >= 2 && matches!(words[b - 1].as_str(), "MPs" | "MEPs" | "MSPs" | "MLAs" | "AMs" | "TDs") {
            labels[b - 1] = "O";
            b -= 1;
            // "Lune MPs": the members' nationality.
            if b - a == 1 && Gazetteer::get().is_demonym(&words[a]) {
                t = "MISC".to_string();
            }
        }
        // A title is not part of the name: "Bishop Kim Tarn", "Lieutenant-Colonel Ada Vell"
        // (the roles layer keeps it).
        if t == "PER"
            && b - a >= 2
            && is_title(&words[a])
            && words[a + 1].chars().next().is_some_and(char::is_uppercase)
        {
            labels[a] = "O";
            a += 1;
        }
        // Nor does a name end on a month: "Lune Traders August".
        while b - a > 1 && MONTHS.contains(&lower(b - 1).as_str()) {
            labels[b - 1] = "O";
            b -= 1;
        }
        // What is left of a name cut at common words may be a connector alone ("and"), and
        // of one cut at a bracket a number alone ("Lune ( 1952").
        let letters = words[a..b].iter().any(|w| w.chars().any(char::is_alphabetic));
        if !letters || !words[a..b].iter().any(|w| w.chars().any(|c| c.is_uppercase() || c.is_ascii_digit())) {
            labels[a..b].iter_mut().for_each(|l| *l = "O");
            continue;
        }
        relabel(classes, labels, a, b, &t);
    }
}

/// A title, also written in capitals in a headline ("PRINCE"), or hyphenated titles
/// ("Lieutenant-Colonel").
fn is_title(word: &str) -> bool {
    word.split('-').all(|p| {
        TITLES.contains(&p)
            || p.chars().count() >= 2 && !p.chars().any(char::is_lowercase) && {
                let mut c = p.chars();
                let titlecase: String = c.next().into_iter().chain(c.flat_map(char::to_lowercase)).collect();
                TITLES.contains(&titlecase.as_str())
            }
    })
}

/// A personal honorific, which only a person's name follows.
fn is_honorific(word: &str) -> bool {
    matches!(word, "Mr" | "Mr." | "Mrs" | "Mrs." | "Ms" | "Ms." | "Dr" | "Dr." | "Messrs" | "Messrs." | "Sir" | "Dame")
}

/// Whether `short` is an initialism ("LKT", "AT&T") whose letters are the initials of the
/// capitalised words (and hyphenated parts) of `name`: "Lune Kestrel Trust", "Lune-Kestrel
/// Trust".
pub(crate) fn spells_initials<S: AsRef<str>>(name: &[S], short: &str) -> bool {
    let initials =
        name.iter().flat_map(|w| w.as_ref().split('-')).filter_map(|w| w.chars().next()).filter(|c| c.is_uppercase());
    is_initialism(short) && initials.eq(short.chars().filter(|c| c.is_alphabetic()))
}

/// Labels words `a..b` as one name of type `t` (BILOU).
fn relabel<'m>(classes: &'m [String], labels: &mut [&'m str], a: usize, b: usize, t: &str) {
    let n = b - a;
    for (k, l) in labels[a..b].iter_mut().enumerate() {
        let p = if n == 1 {
            "U"
        } else if k == 0 {
            "B"
        } else if k + 1 == n {
            "L"
        } else {
            "I"
        };
        let name = format!("{p}-{t}");
        *l = classes.iter().find(|c| **c == name).map(String::as_str).expect("BILOU class");
    }
}

/// A title inside a name parts what stands before it from the person after it: "Lune Bishop Kim
/// Tarn" is a place (or whatever it was) and a person, and the title belongs to neither.
fn split_at_titles<'m>(classes: &'m [String], words: &[String], labels: &mut [&'m str]) {
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    for (a, b, t) in bilou_spans(labels) {
        let Some(k) = (a + 1..b.saturating_sub(1)).find(|&k| is_title(&words[k]) && capital(&words[k + 1])) else {
            continue;
        };
        let before: Vec<&str> = words[a..k].iter().map(String::as_str).collect();
        let place = Gazetteer::get().lookup(&before).is_some_and(|e| e.kind != PlaceKind::Demonym);
        relabel(classes, labels, a, k, if place { "LOC" } else { &t });
        labels[k] = "O";
        relabel(classes, labels, k + 1, b, "PER");
    }
}

/// Whether a word can stand alone for a name met in full: capitalised, with a lowercase letter
/// (not "I" of "Elizabeth I", nor an initial), and not a generational suffix ("Jr").
fn looks_like_a_name(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().any(char::is_lowercase)
        && word.chars().count() >= 2
        && !matches!(word, "Jr" | "Jr." | "Sr" | "Sr." | "Snr" | "Jnr")
}

/// Document consistency for companies: a lone capitalised word that is a company's name
/// without its legal form elsewhere in the document is that company ("Kestrel" after "Kestrel
/// SpA").
fn companies_by_short_name<'m>(classes: &'m [String], views: &[SentenceView], labels: &mut [Vec<&'m str>]) {
    let mut short: HashSet<String> = HashSet::new();
    for (v, l) in views.iter().zip(labels.iter()) {
        for (a, b, t) in bilou_spans(l) {
            if t == "ORG" && b - a == 2 && LEGAL_FORMS.contains(&v.raw[b - 1].as_str()) && looks_like_a_name(&v.raw[a])
            {
                short.insert(v.raw[a].clone());
            }
        }
    }
    lone_words_take(classes, "ORG", &short, |w| w.to_string(), views, labels);
}

/// Document consistency for people: a single capitalised word that is the last word of a
/// person named in full anywhere in the document is that person ("Haniyeh" before or after
/// "Ismail Haniyeh"), whatever the decoder made of it alone.
fn surnames_are_people<'m>(classes: &'m [String], views: &[SentenceView], labels: &mut [Vec<&'m str>]) {
    let bare = |w: &str| -> String {
        let w = w.trim_end_matches("'s");
        crate::lexicon::without_name_particle(w).unwrap_or(w).to_string()
    };
    let mut surnames: HashSet<String> = HashSet::new();
    for (v, l) in views.iter().zip(labels.iter()) {
        for (a, b, t) in bilou_spans(l) {
            let surname = bare(&v.raw[b - 1]);
            if t == "PER" && b - a >= 2 && looks_like_a_name(&surname) {
                surnames.insert(surname);
            }
        }
    }
    lone_words_take(classes, "PER", &surnames, bare, views, labels);
}

/// Document consistency for initialisms: one given in brackets after a name whose initials it
/// spells ("Lune Kestrel Trust (LKT)") stands for that name, and takes its type wherever it
/// stands alone in the document.
fn initialisms_take_their_names<'m>(classes: &'m [String], views: &[SentenceView], labels: &mut [Vec<&'m str>]) {
    let mut defined: Vec<(String, String)> = Vec::new();
    for (v, l) in views.iter().zip(labels.iter()) {
        for (a, b, t) in bilou_spans(l) {
            let word = |k: usize| v.raw.get(k).map_or("", String::as_str);
            if b - a >= 2 && word(b) == "(" && word(b + 2) == ")" && spells_initials(&v.raw[a..b], word(b + 1)) {
                defined.push((word(b + 1).to_string(), t));
            }
        }
    }
    for t in ["PER", "ORG", "LOC", "MISC"] {
        let names: HashSet<String> = defined.iter().filter(|(_, k)| k == t).map(|(w, _)| w.clone()).collect();
        lone_words_take(classes, t, &names, |w| w.to_string(), views, labels);
    }
}

/// Document consistency for organisations the text describes: a lone name right after a noun
/// that only an organisation can be ("internet firm Kestrel", "rock group Lune") is that
/// organisation wherever it stands alone, though the decoder, which guesses a person for a
/// lone unknown capitalised word, typed it otherwise.
fn described_organisations<'m>(classes: &'m [String], views: &[SentenceView], labels: &mut [Vec<&'m str>]) {
    let mut described: HashSet<String> = HashSet::new();
    for (v, l) in views.iter().zip(labels.iter()) {
        for (a, b, t) in bilou_spans(l) {
            if b == a + 1
                && a > 0
                && t != "ORG"
                && l[a - 1] == "O"
                && crate::lexicon::only_describes_organisations(&v.raw[a - 1])
                && looks_like_a_name(&v.raw[a])
            {
                described.insert(v.raw[a].clone());
            }
        }
    }
    lone_words_take(classes, "ORG", &described, |w| w.to_string(), views, labels);
}

/// A common word is capitalised where it opens a sentence or a quotation ("Online gaming is
/// …", "\"Games switch …"); alone there, and never capitalised elsewhere in the document, it is
/// no name. Common: news text writes it in lowercase at least 20 times for every 10 % or less
/// capitalised (the casing table).
fn common_words_opening_sentences(views: &[SentenceView], labels: &mut [Vec<&str>]) {
    let casing = crate::casing::builtin();
    let opens = |v: &SentenceView, i: usize| {
        i == 0 || matches!(v.raw[i - 1].as_str(), "\"" | "``" | "'" | "‘" | "“" | "(" | ":" | "-" | "--")
    };
    let mut named_inside: HashSet<&str> = HashSet::new();
    for v in views {
        for (i, w) in v.raw.iter().enumerate() {
            if !opens(v, i) && w.starts_with(char::is_uppercase) {
                named_inside.insert(w);
            }
        }
    }
    for (v, l) in views.iter().zip(labels.iter_mut()) {
        for (a, b, _) in bilou_spans(l) {
            let w = v.raw[a].as_str();
            let lower = &v.lower[a];
            let common =
                casing.lowercase_count(lower) >= 20 && casing.capitalised_tenths(lower).is_some_and(|t| t <= 1);
            // A results table opens its lines with names ("Reading 2 Lune 1").
            let table_row = v.raw.get(b).is_some_and(|n| n.chars().any(|c| c.is_ascii_digit()));
            if b == a + 1
                && opens(v, a)
                && common
                && !table_row
                && !named_inside.contains(w)
                && !w.chars().skip(1).any(char::is_uppercase)
            {
                l[a] = "O";
            }
        }
    }
}

/// Gives type `t` to every lone word of the document whose key is one of `names`: a one-word
/// name the decoder typed otherwise, and the same word, capitalised, that it left out ("King
/// said" after "Don King").
fn lone_words_take<'m>(
    classes: &'m [String],
    t: &str,
    names: &HashSet<String>,
    key: impl Fn(&str) -> String,
    views: &[SentenceView],
    labels: &mut [Vec<&'m str>],
) {
    if names.is_empty() {
        return;
    }
    let unit = format!("U-{t}");
    let unit = classes.iter().find(|c| **c == unit).expect("BILOU class");
    for (v, l) in views.iter().zip(labels.iter_mut()) {
        for (a, b, _) in bilou_spans(l) {
            if b - a == 1 && names.contains(&key(&v.raw[a])) {
                l[a] = unit;
            }
        }
        for (i, w) in v.raw.iter().enumerate() {
            if l[i] == "O" && w.chars().next().is_some_and(char::is_uppercase) && names.contains(&key(w)) {
                l[i] = unit;
            }
        }
    }
}

/// Lowercase words that may stand inside a name.
const NAME_CONNECTORS: &[&str] = &[
    "of", "and", "the", "de", "du", "des", "del", "della", "dello", "der", "den", "van", "von", "al", "el", "bin",
    "ibn", "bint", "abu", "la", "le", "les", "for", "on", "upon", "in", "at", "to", "a", "an", "und", "y", "e", "da",
    "do", "dos", "das", "di", "zu", "ter", "'s", "'", "&", "-", "st", "vs", "v", "wa", "am", "et",
];

/// The best-scoring class that the BILOU grammar allows after `prev`.
fn best_allowed(classes: &[String], scores: &[f32], prev: &str, last: bool) -> usize {
    let prev = if prev == START { "O" } else { prev };
    let mut best = 0;
    let mut best_score = f32::NEG_INFINITY;
    for (c, &s) in scores.iter().enumerate() {
        let label = classes[c].as_str();
        if !allowed(prev, label) || (last && (label.starts_with('B') || label.starts_with('I'))) {
            continue;
        }
        if s > best_score {
            best = c;
            best_score = s;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sentence views of space-separated sentences.
    fn views_of(sentences: &[&str]) -> Vec<SentenceView> {
        sentences.iter().map(|s| SentenceView::new(&s.split(' ').collect::<Vec<_>>())).collect()
    }

    #[test]
    fn names_do_not_run_into_scores_months_or_weekdays() {
        let classes = classes();
        let words: Vec<String> = "June Norvale said Surrey 210-4 beat Norvale Friday near Harbour , along with"
            .split(' ')
            .map(str::to_string)
            .collect();
        let mut labels = vec![
            "B-ORG", "L-ORG", "O", "B-ORG", "L-ORG", "O", "B-ORG", "L-ORG", "O", "B-LOC", "I-LOC", "I-LOC", "L-LOC",
        ];
        tidy_names(&classes, &words, &mut labels);
        assert_eq!(labels, ["O", "U-ORG", "O", "U-ORG", "O", "O", "U-ORG", "O", "O", "U-LOC", "O", "O", "O"]);
    }

    #[test]
    fn names_lose_titles_and_trailing_months() {
        let classes = classes();
        let words: Vec<String> = "Bishop Kim Tarn met Lune Traders August".split(' ').map(str::to_string).collect();
        let mut labels = vec!["B-PER", "I-PER", "L-PER", "O", "B-ORG", "I-ORG", "L-ORG"];
        tidy_names(&classes, &words, &mut labels);
        assert_eq!(labels, ["O", "B-PER", "L-PER", "O", "B-ORG", "L-ORG", "O"]);
        // Ranks and abbreviated titles close no name; a headline's titles are in capitals.
        let words: Vec<String> =
            "Ada Vell 68th , Lune Gov Kim Tarn and PRINCE KIM".split(' ').map(str::to_string).collect();
        let mut labels =
            vec!["B-PER", "I-PER", "L-PER", "O", "B-LOC", "L-LOC", "B-PER", "L-PER", "O", "B-PER", "L-PER"];
        tidy_names(&classes, &words, &mut labels);
        assert_eq!(labels, ["B-PER", "L-PER", "O", "O", "U-LOC", "O", "B-PER", "L-PER", "O", "O", "U-PER"]);
    }

    #[test]
    fn names_do_not_run_through_common_words() {
        let classes = classes();
        let words: Vec<String> =
            "Kestrel Holdings and its rival Tarn of Bank of Lune".split(' ').map(str::to_string).collect();
        let mut labels = vec!["B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "L-ORG"];
        tidy_names(&classes, &words, &mut labels);
        // "and" is a connector, but alone between two cuts it is no name.
        assert_eq!(labels, ["B-ORG", "L-ORG", "O", "O", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "L-ORG"]);
        // Nor through a bracket it does not both open and close.
        let words: Vec<String> = "( Ada ) Tarn and Lune ( UK ) Ltd".split(' ').map(str::to_string).collect();
        let mut labels = vec!["O", "U-PER", "B-PER", "L-PER", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "L-ORG"];
        tidy_names(&classes, &words, &mut labels);
        assert_eq!(labels, ["O", "U-PER", "O", "U-PER", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "L-ORG"]);
        let words: Vec<String> = "Lune ( 1952 )".split(' ').map(str::to_string).collect();
        let mut labels = vec!["B-MISC", "I-MISC", "L-MISC", "O"];
        tidy_names(&classes, &words, &mut labels);
        assert_eq!(labels, ["U-MISC", "O", "O", "O"]);
    }

    #[test]
    fn capitalised_runs_join_names_through_connectors() {
        let words = ["shares", "in", "Bank", "of", "Lune", "Corp", "rose", "in", "Tarn", "."];
        let runs = capitalised_runs(&words);
        assert_eq!(runs[2..6], [(2, 6); 4]);
        assert_eq!(runs[8], (8, 9));
        // A connector joins only between capitalised words.
        assert_eq!(runs[7], (7, 7));
        assert_eq!(runs[0], (0, 0));
    }

    #[test]
    fn titles_part_names_and_legal_forms_make_companies() {
        let classes = classes();
        let words: Vec<String> =
            "Lune Bishop Kim Tarn met Kestrel SpA and Ada Mill Corp".split(' ').map(str::to_string).collect();
        let mut labels = vec!["B-ORG", "I-ORG", "I-ORG", "L-ORG", "O", "U-PER", "O", "O", "B-PER", "I-PER", "L-PER"];
        tidy_names(&classes, &words, &mut labels);
        assert_eq!(labels[..4], ["U-ORG", "O", "B-PER", "L-PER"]);
        assert_eq!(labels[5..7], ["B-ORG", "L-ORG"]);
        assert_eq!(labels[8..], ["B-ORG", "I-ORG", "L-ORG"]);
        // Names joined by "&" are a firm's.
        let words: Vec<String> = "Tarn & Vell sued Ada & Kim Mill".split(' ').map(str::to_string).collect();
        let mut labels = vec!["U-PER", "O", "U-PER", "O", "U-PER", "B-PER", "I-PER", "L-PER"];
        tidy_names(&classes, &words, &mut labels);
        assert_eq!(labels, ["B-ORG", "I-ORG", "L-ORG", "O", "B-ORG", "I-ORG", "I-ORG", "L-ORG"]);
    }

    #[test]
    fn honorifics_make_people_and_members_possessives_part_from_bodies() {
        let classes = classes();
        let words: Vec<String> =
            "Mr Jobs met Welsh MPs and Dr Tarn at KBC 's Lune office".split(' ').map(str::to_string).collect();
        let mut labels =
            vec!["B-ORG", "L-ORG", "O", "B-ORG", "L-ORG", "O", "O", "U-LOC", "O", "B-ORG", "I-ORG", "L-ORG", "O"];
        tidy_names(&classes, &words, &mut labels);
        assert_eq!(labels[..2], ["O", "U-PER"]);
        assert_eq!(labels[3..5], ["U-MISC", "O"]);
        assert_eq!(labels[6..8], ["O", "U-PER"]);
        assert_eq!(labels[9..12], ["U-ORG", "O", "U-ORG"]);
    }

    #[test]
    fn organisations_the_text_describes_stay_organisations() {
        let classes = classes();
        let sentences = ["shares in internet firm Kestrel rose", "Kestrel said", "film maker Tarn"];
        let views = views_of(&sentences);
        let mut labels = vec![vec!["O", "O", "O", "O", "U-PER", "O"], vec!["U-PER", "O"], vec!["O", "O", "U-PER"]];
        described_organisations(&classes, &views, &mut labels);
        assert_eq!(labels[0][4], "U-ORG");
        assert_eq!(labels[1], ["U-ORG", "O"]);
        assert_eq!(labels[2][2], "U-PER", "a maker may be a person");
    }

    #[test]
    fn common_words_opening_sentences_are_no_names() {
        // "Online" opens a sentence and is capitalised nowhere else; "Kestrel" is a name inside
        // one; "Reading 2" is a results line.
        let sentences = ["Online sales rose", "\" Online Kestrel", "Reading 2 Lune 1"];
        let views = views_of(&sentences);
        let mut labels = vec![vec!["U-PER", "O", "O"], vec!["O", "U-ORG", "U-ORG"], vec!["U-ORG", "O", "U-ORG", "O"]];
        common_words_opening_sentences(&views, &mut labels);
        assert_eq!(labels[0], ["O", "O", "O"]);
        assert_eq!(labels[1], ["O", "O", "U-ORG"]);
        assert_eq!(labels[2], ["U-ORG", "O", "U-ORG", "O"]);
    }

    #[test]
    fn initialisms_take_the_type_of_the_name_they_stand_for() {
        let classes = classes();
        let sentences = ["Lune Kestrel Trust ( LKT ) said", "LKT rose"];
        let views = views_of(&sentences);
        let mut labels = vec![vec!["B-ORG", "I-ORG", "L-ORG", "O", "U-LOC", "O", "O"], vec!["U-PER", "O"]];
        initialisms_take_their_names(&classes, &views, &mut labels);
        assert_eq!(labels[0][4], "U-ORG");
        assert_eq!(labels[1], ["U-ORG", "O"]);
    }

    #[test]
    fn companies_are_known_by_their_short_names() {
        let classes = classes();
        let sentences = ["Kestrel rose", "Kestrel SpA sold Lune", "Kestrel shares fell"];
        let views = views_of(&sentences);
        let mut labels = vec![vec!["U-PER", "O"], vec!["B-ORG", "L-ORG", "O", "U-LOC"], vec!["O", "O", "O"]];
        companies_by_short_name(&classes, &views, &mut labels);
        assert_eq!(labels[0], ["U-ORG", "O"]);
        assert_eq!(labels[2], ["U-ORG", "O", "O"]);
    }

    #[test]
    fn surnames_of_people_named_in_full_are_people() {
        let classes = classes();
        // "Omar al-Vell" in full (with a name particle), then "Vell" alone.
        let sentences = [
            "Tarn spoke",
            "Kim Tarn left Lune",
            "Lune thanked Tarn",
            "Ada I said I left",
            "Vell came",
            "Omar al-Vell spoke",
        ];
        let views = views_of(&sentences);
        let mut labels = vec![
            vec!["U-ORG", "O"],
            vec!["B-PER", "L-PER", "O", "U-LOC"],
            vec!["U-LOC", "O", "O"],
            vec!["B-PER", "L-PER", "O", "O", "O"],
            vec!["O", "O"],
            vec!["B-PER", "L-PER", "O"],
        ];
        surnames_are_people(&classes, &views, &mut labels);
        assert_eq!(labels[0], ["U-PER", "O"]);
        assert_eq!(labels[2], ["U-LOC", "O", "U-PER"]);
        // "I" ends a name here, but a lone "I" is not that person.
        assert_eq!(labels[3][3], "O");
        assert_eq!(labels[4], ["U-PER", "O"]);
    }

    #[test]
    fn bilou_round_trip() {
        let iob: Vec<String> =
            ["B-PER", "I-PER", "I-PER", "O", "B-LOC", "B-ORG", "I-ORG"].iter().map(|s| s.to_string()).collect();
        let b = to_bilou(&iob);
        assert_eq!(b, ["B-PER", "I-PER", "L-PER", "O", "U-LOC", "B-ORG", "L-ORG"]);
        let refs: Vec<&str> = b.iter().map(String::as_str).collect();
        assert_eq!(bilou_spans(&refs), spans_of(&iob));
    }
}
