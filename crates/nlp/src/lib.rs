//! Language analysis of news English: tokens, sentences and named-entity mentions.
//!
//! Owns: the tokenizer ([`tokenize`]), the sentence splitter ([`segment`]), the part-of-speech
//! tagger ([`tagger`]) and named-entity recognizer ([`ner`]) — averaged perceptrons
//! ([`perceptron`]) trained by our own code, whose models are compiled in ([`models`]) — with
//! what they learn from unlabeled text ([`casing`], [`clusters`]), the [`EntityRecognizer`]
//! interface and its implementation, [`TrainedRecognizer`], the corpus readers used for
//! training ([`corpus`]), the word lists and gazetteers, and the pipeline [`Stage`]s that put
//! all this on a [`Document`].
//!
//! Must never: do I/O (its data files are compiled in), change a document's text, or know about
//! storage, the CLI or any later layer (time, events).

pub mod casing;
pub mod clusters;
pub mod corpus;
pub mod gazetteer;
pub mod lexicon;
pub mod models;
pub mod ner;
pub mod perceptron;
pub mod roles;
mod segment;
pub mod tagger;
mod tokenize;

pub use roles::Roles;
pub use segment::{segment, MAX_SENTENCE_TOKENS};
pub use tokenize::{tokenize, tokenize_into};

use dateline_model::{Document, EntityType, Mention, Sentence, Span, Stage, Token};

/// Finds named-entity mentions in a tokenized, sentence-split (and, when a tagger ran,
/// part-of-speech tagged) document.
pub trait EntityRecognizer: Send + Sync {
    /// Mentions in text order, not overlapping.
    fn recognize(&self, doc: &Document) -> Vec<Mention>;
}

/// Token indices `[first, last)` of each sentence.
pub fn sentence_token_ranges(doc: &Document) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(doc.sentences.len());
    let mut ti = 0;
    for s in &doc.sentences {
        while ti < doc.tokens.len() && doc.tokens[ti].span.start < s.span.start {
            ti += 1;
        }
        let first = ti;
        while ti < doc.tokens.len() && doc.tokens[ti].span.end <= s.span.end {
            ti += 1;
        }
        out.push((first, ti));
    }
    out
}

/// The token range `[a, b)` of the sentence holding token `i`, by binary search (later stages
/// ask this for many tokens of long documents; [`sentence_token_ranges`] gives them all).
pub fn sentence_range_of(doc: &Document, i: usize) -> (usize, usize) {
    let at = doc.tokens[i].span.start;
    let k = doc.sentences.partition_point(|s| s.span.end <= at);
    let Some(s) = doc.sentences.get(k).filter(|s| s.span.start <= at) else { return (i, i + 1) };
    let a = doc.tokens.partition_point(|t| t.span.start < s.span.start);
    let b = doc.tokens.partition_point(|t| t.span.end <= s.span.end);
    (a, b.max(i + 1))
}

/// Stage: Penn Treebank part-of-speech tags on every token.
pub struct PosTagger {
    tagger: &'static tagger::Tagger,
}

impl Default for PosTagger {
    fn default() -> Self {
        PosTagger { tagger: models::tagger() }
    }
}

impl Stage for PosTagger {
    fn name(&self) -> &'static str {
        "pos"
    }

    fn annotate(&self, doc: &mut Document) {
        for (a, b) in sentence_token_ranges(doc) {
            let words: Vec<&str> = doc.tokens[a..b].iter().map(|t| &doc.text[t.span.start..t.span.end]).collect();
            let tags = self.tagger.tag(&words);
            for (t, tag) in doc.tokens[a..b].iter_mut().zip(tags) {
                t.pos = Some(std::borrow::Cow::Borrowed(tag));
            }
        }
    }
}

/// The trained recognizer: the built-in model (or another) over each sentence in order, with
/// one document memory.
pub struct TrainedRecognizer {
    ner: &'static ner::Ner,
}

impl Default for TrainedRecognizer {
    fn default() -> Self {
        TrainedRecognizer { ner: models::ner() }
    }
}

impl TrainedRecognizer {
    /// The recognizer with another model than the built-in one.
    pub fn with_model(ner: &'static ner::Ner) -> Self {
        TrainedRecognizer { ner }
    }
}

impl EntityRecognizer for TrainedRecognizer {
    fn recognize(&self, doc: &Document) -> Vec<Mention> {
        self.recognize_with(doc, ner::Rules::ALL)
    }
}

impl TrainedRecognizer {
    /// The recognizer with only some of its rules (after decoding, and the document
    /// conventions). For measuring what each rule pays (`dateline eval names --ablate`); the
    /// pipeline runs them all.
    pub fn recognize_with(&self, doc: &Document, rules: ner::Rules) -> Vec<Mention> {
        let gaz = gazetteer::Gazetteer::get();
        let ranges = sentence_token_ranges(doc);
        let sentences: Vec<(Vec<&str>, Vec<&str>)> = ranges
            .iter()
            .map(|&(a, b)| {
                let toks = &doc.tokens[a..b];
                let words = toks.iter().map(|t| &doc.text[t.span.start..t.span.end]).collect();
                let pos = toks.iter().map(|t| t.pos.as_deref().unwrap_or("NNP")).collect();
                (words, pos)
            })
            .collect();
        let labels = self.ner.label_document_with(&sentences, rules);
        let mut out = Vec::new();
        for ((a, _), ((words, _), labels)) in ranges.iter().zip(sentences.iter().zip(labels)) {
            let toks = &doc.tokens[*a..];
            for (mut s, mut e, t) in ner::bilou_spans(&labels) {
                // A mention neither starts nor ends with punctuation.
                let is_punct = |w: &str| !w.chars().any(char::is_alphanumeric);
                while e > s && is_punct(words[e - 1]) {
                    e -= 1;
                }
                while s < e && is_punct(words[s]) {
                    s += 1;
                }
                if s == e {
                    continue;
                }
                let kind = match t.as_str() {
                    "PER" => EntityType::Person,
                    "ORG" => EntityType::Org,
                    "LOC" => EntityType::Place,
                    _ => EntityType::Misc,
                };
                let country = gaz
                    .lookup(&words[s..e])
                    .filter(|g| g.kind == gazetteer::PlaceKind::Demonym)
                    .map(|g| g.country.to_string());
                out.push(Mention { span: Span::new(toks[s].span.start, toks[e - 1].span.end), kind, country });
            }
        }
        if rules.particles {
            extend_particle_names(doc, &mut out);
        }
        if rules.refine {
            refine(doc, &mut out);
        }
        if rules.gazetteer_backoff {
            gazetteer_backoff(doc, &mut out);
        }
        if rules.harmonize {
            harmonize(&doc.text, &mut out);
        }
        out
    }
}

/// Conventions of our mention layer that the CoNLL-trained model does not know, and lexical
/// checks it cannot learn from 200,000 words:
/// - a person's span excludes titles before the name ("Ayatollah Khamenei" → "Khamenei");
/// - function words, months and weekdays are never entities on their own;
/// - words of religion and ethnicity, and names of accords, wars and events, are MISC;
/// - facilities (a name ending in Mosque, Square, Airport, …) are places, and a name directly
///   before such a word takes it in; a state's formal name takes in its "of" + country;
/// - a name followed by "website", "news agency", "newspaper", … is an organisation (an outlet);
/// - a nationality adjective directly before a multi-word organisation is part of its name
///   ("Palestinian Islamic Jihad").
fn refine(doc: &Document, mentions: &mut Vec<Mention>) {
    use lexicon::{MISC_KEYWORDS, MISC_WORDS, NOT_NAMES, PLACE_KEYWORDS, STATE_FORMS, TITLES};
    let text = doc.text.as_str();
    let words_of = |m: &Mention| -> Vec<&str> {
        let a = doc.tokens.partition_point(|t| t.span.start < m.span.start);
        let b = doc.tokens.partition_point(|t| t.span.end <= m.span.end);
        doc.tokens[a..b].iter().map(|t| &text[t.span.start..t.span.end]).collect()
    };
    for m in mentions.iter_mut() {
        let words = words_of(m);
        if m.kind == EntityType::Person && words.len() >= 2 && TITLES.contains(&words[0]) {
            let second = doc.tokens.partition_point(|t| t.span.start < m.span.start) + 1;
            m.span.start = doc.tokens[second].span.start;
        }
        if words.iter().all(|w| MISC_WORDS.contains(w)) || words.last().is_some_and(|w| MISC_KEYWORDS.contains(w)) {
            m.kind = EntityType::Misc;
        } else if words.len() >= 2 && words.last().is_some_and(|w| PLACE_KEYWORDS.contains(w)) {
            m.kind = EntityType::Place;
        }
        // Only the words right after the name matter; lowercasing the rest of the document for
        // each mention made this quadratic in the text.
        let after: String = text[m.span.end..].trim_start().chars().take(16).flat_map(char::to_lowercase).collect();
        if m.kind != EntityType::Person
            && ["website", "news agency", "newspaper", "daily", "broadcaster", "news site", "television", "channel"]
                .iter()
                .any(|w| after.starts_with(w))
        {
            m.kind = EntityType::Org;
        }
    }
    // A country's name is the country, a place, however it acts in the sentence ("Palestine's
    // occupation"); CoNLL's habit of typing national sports teams ORG is not ours.
    let gaz = gazetteer::Gazetteer::get();
    for m in mentions.iter_mut() {
        if m.kind == EntityType::Org {
            let words = words_of(m);
            let words: Vec<&str> = words
                .iter()
                .map(|w| w.trim_end_matches("’s").trim_end_matches("'s"))
                .filter(|w| !w.is_empty())
                .collect();
            if gaz.lookup(&words).is_some_and(|e| e.kind == gazetteer::PlaceKind::Country) {
                m.kind = EntityType::Place;
            }
        }
    }
    // "Israeli-occupied", "US-led": the adjective part only, linked to its country.
    for m in mentions.iter_mut() {
        let t = &text[m.span.start..m.span.end];
        if let Some((head, tail)) = t.split_once('-') {
            if tail.starts_with(char::is_lowercase) {
                if let Some(e) = gaz.lookup(&[head]) {
                    m.span.end = m.span.start + head.len();
                    if e.kind == gazetteer::PlaceKind::Demonym {
                        m.kind = EntityType::Misc;
                        m.country = Some(e.country.to_string());
                    } else {
                        m.kind = EntityType::Place;
                    }
                }
            }
        }
    }
    mentions.retain(|m| {
        let words = words_of(m);
        !(words.len() == 1 && NOT_NAMES.contains(&words[0]))
    });
    // Nationality adjective + multi-word organisation.
    let mut i = 0;
    while i + 1 < mentions.len() {
        let (a, b) = (&mentions[i], &mentions[i + 1]);
        if a.country.is_some()
            && b.kind == EntityType::Org
            && &text[a.span.end..b.span.start] == " "
            && text[b.span.start..b.span.end].contains(' ')
        {
            let span = Span::new(a.span.start, b.span.end);
            mentions[i] = Mention { span, kind: EntityType::Org, country: None };
            mentions.remove(i + 1);
        }
        i += 1;
    }
    // A name the model stopped short of its facility word ("Al-Aqsa" + "Mosque"), or of the
    // country a state's formal name ends with ("Hashemite Kingdom" + "of Jordan"), is one place.
    let mut i = 0;
    while i < mentions.len() {
        let end = mentions[i].span.end;
        let next_token = doc.tokens.get(doc.tokens.partition_point(|t| t.span.start < end));
        let starts_next = |at: usize| mentions.get(i + 1).is_some_and(|n| n.span.start == at);
        if let Some(t) = next_token.filter(|t| {
            &text[end..t.span.start] == " "
                && PLACE_KEYWORDS.contains(&&text[t.span.start..t.span.end])
                && !starts_next(t.span.start)
        }) {
            mentions[i].span.end = t.span.end;
            mentions[i].kind = EntityType::Place;
            mentions[i].country = None;
        } else if let Some(n) = mentions.get(i + 1) {
            let formal = words_of(&mentions[i]).last().is_some_and(|w| STATE_FORMS.contains(w));
            if formal && n.kind == EntityType::Place && &text[end..n.span.start] == " of " {
                mentions[i].span.end = n.span.end;
                mentions[i].kind = EntityType::Place;
                mentions[i].country = None;
                mentions.remove(i + 1);
            }
        }
        i += 1;
    }
}

/// Backoff to the curated gazetteer for names the model left out: a capitalised place name,
/// not at the start of a sentence, that no mention overlaps.
fn gazetteer_backoff(doc: &Document, mentions: &mut Vec<Mention>) {
    let text = doc.text.as_str();
    let gaz = gazetteer::Gazetteer::get();
    let covered = |span: Span, ms: &[Mention]| ms.iter().any(|m| m.span.overlaps(span));
    let mut added = Vec::new();
    for (a, b) in sentence_token_ranges(doc) {
        let words: Vec<&str> = doc.tokens[a..b].iter().map(|t| &text[t.span.start..t.span.end]).collect();
        let mut i = 1; // not sentence-initial
        while i < words.len() {
            if words[i].starts_with(char::is_uppercase) {
                if let Some((n, e)) = gaz.longest_match(&words[i..]) {
                    let span = Span::new(doc.tokens[a + i].span.start, doc.tokens[a + i + n - 1].span.end);
                    if e.kind != gazetteer::PlaceKind::Demonym && !covered(span, mentions) {
                        added.push(Mention { span, kind: EntityType::Place, country: None });
                    }
                    i += n;
                    continue;
                }
            }
            i += 1;
        }
    }
    mentions.extend(added);
    mentions.sort_by_key(|m| m.span.start);
}

/// Arabic-style name particles ("al-Nakhalah", "bin Salman"), rare in the training data, join
/// the person name they follow.
fn extend_particle_names(doc: &Document, mentions: &mut [Mention]) {
    let is_particle_name = |w: &str| lexicon::without_name_particle(w).is_some();
    for m in mentions.iter_mut().filter(|m| m.kind == EntityType::Person) {
        let mut i = doc.tokens.partition_point(|t| t.span.end <= m.span.end);
        while let Some(t) = doc.tokens.get(i) {
            let w = &doc.text[t.span.start..t.span.end];
            // Only across a single space.
            if &doc.text[m.span.end..t.span.start] != " " {
                break;
            }
            if is_particle_name(w) {
                m.span.end = t.span.end;
                i += 1;
            } else if matches!(w, "bin" | "ibn" | "abu" | "Abu")
                && doc.tokens.get(i + 1).is_some_and(|n| doc.text[n.span.start..].starts_with(char::is_uppercase))
            {
                m.span.end = doc.tokens[i + 1].span.end;
                i += 2;
            } else {
                break;
            }
        }
    }
}

/// Whether the curated country and region tables (written by us) name this surface a place.
fn is_curated_place(surface: &str) -> bool {
    let tokens: Vec<&str> = tokenize(surface).iter().map(|s| &surface[s.start..s.end]).collect();
    gazetteer::Gazetteer::get().lookup(&tokens).is_some_and(|e| e.kind != gazetteer::PlaceKind::Demonym)
}

/// Document-level consistency, after recognition: a single word that is the surname of a
/// person named in full elsewhere in the document is that person ("Haniyeh" after — or before —
/// "Ismail Haniyeh"); otherwise every mention of one surface takes the type that surface has
/// most often in the document. (A rule that a word ending a place's name is that place, "the
/// Strip" for the Gaza Strip, cost 1.1 F1 on GUM's names and is gone: a short form of a name
/// is for identity resolution to link, not for the recognizer to type.) The recognizer already gives surnames their person (`ner`); the rule runs
/// again here because `refine` may since have retyped one by a gazetteer ("Keys" the islands
/// in a story about a singer named Keys).
pub fn harmonize(text: &str, mentions: &mut [Mention]) {
    use std::collections::HashMap;
    let bare = |w: &str| -> String {
        let w = w.trim_end_matches("’s").trim_end_matches("'s");
        lexicon::without_name_particle(w).unwrap_or(w).to_string()
    };
    let mut surnames: std::collections::HashSet<String> = Default::default();
    for m in mentions.iter().filter(|m| m.kind == EntityType::Person) {
        let t = &text[m.span.start..m.span.end];
        if let (true, Some(last)) = (t.contains(' '), t.rsplit(' ').next()) {
            surnames.insert(bare(last));
        }
    }
    // An initialism defined in brackets after a name ("Lune Travel Council (LTC)") is that
    // name, of its type, wherever it stands: the recognizer did this too, but `refine` may
    // since have retyped the name ("… Act" is MISC).
    let mut initialisms: HashMap<&str, EntityType> = HashMap::new();
    for m in mentions.iter() {
        let name = &text[m.span.start..m.span.end];
        // An initialism is short: look for its closing bracket within a few characters only.
        let rest = &text[m.span.end..];
        let rest = &rest[..rest.char_indices().nth(24).map_or(rest.len(), |(i, _)| i)];
        let Some(short) = rest.strip_prefix(" (").and_then(|r| r.split_once(')')).map(|(s, _)| s) else {
            continue;
        };
        let words: Vec<&str> = name.split(' ').collect();
        if words.len() >= 2 && !short.contains(char::is_whitespace) && ner::spells_initials(&words, short) {
            initialisms.insert(short, m.kind);
        }
    }
    for m in mentions.iter_mut() {
        if let Some(&kind) = initialisms.get(&text[m.span.start..m.span.end]) {
            m.kind = kind;
        }
    }
    let mut votes: HashMap<&str, [usize; 4]> = HashMap::new();
    for m in mentions.iter() {
        votes.entry(&text[m.span.start..m.span.end]).or_default()[m.kind as usize] += 1;
    }
    const KINDS: [EntityType; 4] = [EntityType::Person, EntityType::Org, EntityType::Place, EntityType::Misc];
    for m in mentions.iter_mut() {
        let t = &text[m.span.start..m.span.end];
        if !t.contains(' ') && surnames.contains(&bare(t)) {
            m.kind = EntityType::Person;
            continue;
        }
        let v = votes[t];
        let best = (0..4).max_by_key(|&k| (v[k], k == m.kind as usize)).unwrap_or(0);
        if v[best] > v[m.kind as usize] {
            m.kind = KINDS[best];
        } else if v[EntityType::Place as usize] == v[m.kind as usize]
            && m.kind != EntityType::Place
            && is_curated_place(t)
        {
            // A tie between a known place and another type: the place.
            m.kind = EntityType::Place;
        }
    }
}

/// Stage: tokens and sentences.
#[derive(Default)]
pub struct Segmenter;

impl Stage for Segmenter {
    fn name(&self) -> &'static str {
        "segment"
    }

    fn annotate(&self, doc: &mut Document) {
        let spans = tokenize(&doc.text);
        doc.sentences = segment(&doc.text, &spans).into_iter().map(|span| Sentence { span }).collect();
        doc.tokens = spans.into_iter().map(Token::new).collect();
    }
}

/// Stage: entity mentions, from any [`EntityRecognizer`].
pub struct Entities {
    recognizer: Box<dyn EntityRecognizer>,
}

impl Entities {
    pub fn new(recognizer: Box<dyn EntityRecognizer>) -> Self {
        Entities { recognizer }
    }
}

impl Default for Entities {
    fn default() -> Self {
        Entities::new(Box::new(TrainedRecognizer::default()))
    }
}

impl Stage for Entities {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn annotate(&self, doc: &mut Document) {
        doc.mentions = self.recognizer.recognize(doc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentions(text: &str) -> Vec<(String, &'static str)> {
        let mut doc = Document::new("t", text);
        Segmenter.annotate(&mut doc);
        PosTagger::default().annotate(&mut doc);
        Entities::default().annotate(&mut doc);
        doc.mentions.iter().map(|m| (doc.slice(m.span).to_string(), m.kind.as_str())).collect()
    }

    #[test]
    fn titles_demonyms_orgs_and_surnames() {
        let got = mentions(
            "Norwegian Prime Minister Kari Lindqvist met the head of the Arctic Fisheries Council in Oslo. \
             Lindqvist later spoke in Tromso. The council's chief, Olav Brandt, said OFA would respond.",
        );
        let want = [
            ("Norwegian", "MISC"),
            ("Kari Lindqvist", "PERSON"),
            ("Arctic Fisheries Council", "ORG"),
            ("Oslo", "PLACE"),
            ("Lindqvist", "PERSON"),
            ("Tromso", "PLACE"),
            ("Olav Brandt", "PERSON"),
            ("OFA", "ORG"),
        ];
        let want: Vec<(String, &str)> = want.iter().map(|(a, b)| (a.to_string(), *b)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn facility_words_and_formal_state_names_join_the_name() {
        let text = "Crowds met at the Umayyad Mosque and thanked the Hashemite Kingdom of Jordan.";
        let mut doc = Document::new("t", text);
        Segmenter.annotate(&mut doc);
        let at = |s: &str| {
            let start = text.find(s).unwrap();
            Span::new(start, start + s.len())
        };
        let mention = |s: &str, kind| Mention { span: at(s), kind, country: None };
        let mut got = vec![
            mention("Umayyad", EntityType::Place),
            mention("Hashemite Kingdom", EntityType::Org),
            mention("Jordan", EntityType::Place),
        ];
        refine(&doc, &mut got);
        let got: Vec<(&str, EntityType)> = got.iter().map(|m| (doc.slice(m.span), m.kind)).collect();
        assert_eq!(got, [("Umayyad Mosque", EntityType::Place), ("Hashemite Kingdom of Jordan", EntityType::Place)]);
    }

    #[test]
    fn a_surface_takes_its_most_frequent_type_and_a_surname_its_person() {
        let text = "Osk Varn met Tarn. Tarn spoke; Tarn left. Varn stayed.";
        let at = |s: &str, nth: usize, kind| {
            let start = text.match_indices(s).nth(nth).unwrap().0;
            Mention { span: Span::new(start, start + s.len()), kind, country: None }
        };
        let mut got = vec![
            at("Osk Varn", 0, EntityType::Person),
            at("Tarn", 0, EntityType::Org),
            at("Tarn", 1, EntityType::Place),
            at("Tarn", 2, EntityType::Place),
            at("Varn", 1, EntityType::Org),
        ];
        harmonize(text, &mut got);
        let kinds: Vec<EntityType> = got.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [EntityType::Person, EntityType::Place, EntityType::Place, EntityType::Place, EntityType::Person]
        );
    }

    #[test]
    fn an_initialism_keeps_the_type_its_name_ends_with() {
        // `refine` makes the name an event-like MISC ("… Act"); its initialism follows.
        let got = mentions("The Kestrel Growth and Opportunity Act (KGOA) passed. Under KGOA, trade rose.");
        let kinds: Vec<&str> = got.iter().filter(|(t, _)| t == "KGOA").map(|(_, k)| *k).collect();
        assert_eq!(kinds, ["MISC", "MISC"], "{got:?}");
    }

    #[test]
    fn no_common_words() {
        let got = mentions("The talks ended on Monday. During March, officials met.");
        assert!(got.is_empty(), "{got:?}");
    }
}
