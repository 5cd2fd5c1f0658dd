//! A rule and gazetteer entity recognizer: the placeholder behind [`EntityRecognizer`] until a
//! trained model takes its place. It finds runs of capitalised tokens, splits them at known
//! places, demonyms and titles, and types each piece from keywords and context.

use crate::gazetteer::{Gazetteer, PlaceKind};
use crate::lexicon::{
    FIRST_NAMES, MISC_KEYWORDS, MISC_WORDS, NOT_NAMES, ORG_KEYWORDS, PLACE_KEYWORDS, ROLE_NOUNS, TITLES,
};
use crate::EntityRecognizer;
use dateline_model::{EntityType, Mention, Span};
use std::collections::HashSet;

/// Tokens that may join the capitalised words of one name ("Bank of England").
const CONNECTORS: &[&str] = &["of", "the", "de", "du", "da", "la", "le", "von", "van", "der", "bin", "ibn", "&"];
/// Prepositions after which a lone unknown name is a place ("into Jenin").
const LOCATIVES: &[&str] = &[
    "in", "into", "from", "near", "at", "across", "outside", "inside", "around", "toward", "towards", "via", "through",
];

#[derive(Default)]
pub struct RuleRecognizer;

fn is_capitalised(tok: &str) -> bool {
    tok.chars().next().is_some_and(char::is_uppercase)
}

/// A token that can be part of a name: capitalised and alphabetic ("Raisi", "al-Nakhalah" with
/// its particle), but not a hyphenated modifier ("Israeli-occupied", "US-led").
fn is_name_token(tok: &str) -> bool {
    let bare = bare_name(tok);
    if !bare.chars().next().is_some_and(|c| c.is_uppercase() && c.is_alphabetic()) {
        return false;
    }
    match tok.rsplit_once('-') {
        Some((_, tail)) if bare == tok => !tail.chars().next().is_some_and(char::is_lowercase),
        _ => true,
    }
}

fn is_all_caps(tok: &str) -> bool {
    tok.chars().any(char::is_alphabetic) && !tok.chars().any(char::is_lowercase)
}

/// Strips Arabic article prefixes so "Nakhalah" matches "al-Nakhalah".
fn bare_name(tok: &str) -> &str {
    for p in ["al-", "Al-", "el-", "El-", "ad-", "ash-", "as-", "an-", "ar-", "at-"] {
        if let Some(rest) = tok.strip_prefix(p) {
            if rest.chars().next().is_some_and(char::is_uppercase) {
                return rest;
            }
        }
    }
    tok
}

/// The word lists as sets, and titles split into words, built once.
struct Lists {
    titles: Vec<Vec<&'static str>>,
    title_first_words: HashSet<&'static str>,
    not_names: HashSet<&'static str>,
    org: HashSet<&'static str>,
    place: HashSet<&'static str>,
    misc: HashSet<&'static str>,
    misc_words: HashSet<&'static str>,
    first_names: HashSet<&'static str>,
    role_nouns: HashSet<&'static str>,
}

fn lists() -> &'static Lists {
    static L: std::sync::OnceLock<Lists> = std::sync::OnceLock::new();
    L.get_or_init(|| {
        let titles: Vec<Vec<&str>> = TITLES.iter().map(|t| t.split(' ').collect()).collect();
        Lists {
            title_first_words: titles.iter().map(|t| t[0]).collect(),
            titles,
            not_names: NOT_NAMES.iter().copied().collect(),
            org: ORG_KEYWORDS.iter().copied().collect(),
            place: PLACE_KEYWORDS.iter().copied().collect(),
            misc: MISC_KEYWORDS.iter().copied().collect(),
            misc_words: MISC_WORDS.iter().copied().collect(),
            first_names: FIRST_NAMES.iter().copied().collect(),
            role_nouns: ROLE_NOUNS.iter().copied().collect(),
        }
    })
}

/// Length in tokens of the longest title at the start of `toks` (0 if none).
fn title_len(toks: &[&str]) -> usize {
    let l = lists();
    if toks.is_empty() || !l.title_first_words.contains(toks[0]) {
        return 0;
    }
    l.titles
        .iter()
        .filter(|words| words.len() <= toks.len() && words.iter().zip(toks).all(|(a, b)| a == b))
        .map(Vec::len)
        .max()
        .unwrap_or(0)
}

struct Piece {
    start: usize,
    end: usize,
    kind: Option<EntityType>,
    country: Option<&'static str>,
    after_title: bool,
}

impl EntityRecognizer for RuleRecognizer {
    fn recognize(&self, doc: &dateline_model::Document) -> Vec<Mention> {
        let text = doc.text.as_str();
        let sentences: Vec<Span> = doc.sentences.iter().map(|s| s.span).collect();
        let sentences = sentences.as_slice();
        let tokens: Vec<Span> = doc.tokens.iter().map(|t| t.span).collect();
        let tokens = tokens.as_slice();
        let gaz = Gazetteer::get();
        let words: Vec<&str> = tokens.iter().map(|s| &text[s.start..s.end]).collect();
        let lowercase_words: HashSet<&str> = words.iter().copied().filter(|w| !is_capitalised(w)).collect();
        let sentence_starts: HashSet<usize> = {
            let mut starts = HashSet::new();
            let mut ti = 0;
            for s in sentences {
                while ti < tokens.len() && tokens[ti].start < s.start {
                    ti += 1;
                }
                starts.insert(ti);
            }
            starts
        };
        let mut pieces: Vec<Piece> = Vec::new();
        let mut modifiers: Vec<Mention> = Vec::new();
        let mut sentence_end = vec![false; words.len()];
        for s in sentences {
            if let Some(last) = tokens.iter().rposition(|t| t.end <= s.end) {
                sentence_end[last] = true;
            }
        }
        let mut i = 0;
        while i < words.len() {
            if !is_name_token(words[i]) {
                // "Israeli-occupied", "US-led": the country part is a mention of its own.
                if let Some((head, tail)) = words[i].split_once('-') {
                    if tail.chars().next().is_some_and(char::is_lowercase) {
                        if let Some(e) = gaz.lookup(&[head]) {
                            let p = place_piece(i, i + 1, e);
                            let start = tokens[i].start;
                            modifiers.push(Mention {
                                span: Span::new(start, start + head.len()),
                                kind: p.kind.unwrap_or(EntityType::Place),
                                country: p.country.map(str::to_string),
                            });
                        }
                    }
                }
                i += 1;
                continue;
            }
            // A run of name tokens within one sentence, possibly joined by connectors.
            let mut end = i + 1;
            while !sentence_end[end - 1] && end < words.len() {
                if is_name_token(words[end]) {
                    end += 1;
                    continue;
                }
                let mut k = end;
                while k < words.len() && CONNECTORS.contains(&words[k]) && !sentence_end[k] {
                    k += 1;
                }
                if k > end && k < words.len() && is_name_token(words[k]) {
                    end = k;
                } else {
                    break;
                }
            }
            let mut start = i;
            // Sentence-initial words that are not names, and words seen lowercase elsewhere.
            while start < end
                && (lists().not_names.contains(words[start])
                    || CONNECTORS.contains(&words[start])
                    || (sentence_starts.contains(&start)
                        && lowercase_words.contains(words[start].to_lowercase().as_str())))
            {
                start += 1;
            }
            self.split_run(&words, start, end, gaz, &mut pieces);
            i = end;
        }
        pieces.retain(|p| !(p.end - p.start == 1 && lists().not_names.contains(words[p.start])));
        // Person names seen in full give their surnames to single mentions anywhere in the text.
        let first_pass: Vec<EntityType> = pieces.iter().map(|p| classify(&words, p, &HashSet::new())).collect();
        let mut surnames: HashSet<&str> = HashSet::new();
        for (p, kind) in pieces.iter().zip(&first_pass) {
            if *kind == EntityType::Person && p.end - p.start >= 2 {
                surnames.insert(bare_name(words[p.end - 1]));
            }
        }
        let mut kinds: Vec<EntityType> = pieces.iter().map(|p| classify(&words, p, &surnames)).collect();
        // One surface, one type: a lone name typed only by weak context ("from Hamas") takes the
        // type it has most often elsewhere in the document.
        let mut votes: std::collections::HashMap<&str, [usize; 4]> = std::collections::HashMap::new();
        for (p, k) in pieces.iter().zip(&kinds) {
            if p.end - p.start == 1 {
                votes.entry(words[p.start]).or_default()[*k as usize] += 1;
            }
        }
        for (p, k) in pieces.iter().zip(kinds.iter_mut()) {
            if p.end - p.start == 1 && p.kind.is_none() && !p.after_title {
                let v = votes[words[p.start]];
                let best = (0..4).max_by_key(|&i| (v[i], i == *k as usize)).unwrap_or(*k as usize);
                if v[best] > v[*k as usize] {
                    *k = [EntityType::Person, EntityType::Org, EntityType::Place, EntityType::Misc][best];
                }
            }
        }
        let mut mentions = modifiers;
        for (p, kind) in pieces.iter().zip(kinds) {
            mentions.push(Mention {
                span: Span::new(tokens[p.start].start, tokens[p.end - 1].end),
                kind,
                country: p.country.map(str::to_string),
            });
        }
        mentions.sort_by_key(|m| m.span.start);
        mentions
    }
}

impl RuleRecognizer {
    /// Splits the capitalised run `words[start..end]` into typed pieces.
    fn split_run(&self, words: &[&str], start: usize, end: usize, gaz: &Gazetteer, out: &mut Vec<Piece>) {
        if start >= end {
            return;
        }
        let run = &words[start..end];
        let last = run[run.len() - 1];
        // A whole-run place name first: "West Bank" is a place though "Bank" names banks.
        if let Some((n, e)) = gaz.longest_match(run) {
            if n == run.len() {
                out.push(place_piece(start, end, e));
                return;
            }
        }
        // "Councillor Aoife Brennan of the Green Party": a person, then an organisation.
        let person_like = title_len(run) > 0 || lists().first_names.contains(run[0]);
        if person_like {
            if let Some(of) = run.iter().position(|w| *w == "of") {
                if of > 0 && lists().org.contains(last) && title_len(run) != of {
                    self.split_run(words, start, start + of, gaz, out);
                    let mut k = start + of;
                    while k < end && CONNECTORS.contains(&words[k]) {
                        k += 1;
                    }
                    self.split_run(words, k, end, gaz, out);
                    return;
                }
            }
        }
        // A name ending in an organisation keyword is one organisation, demonym and all
        // ("Palestinian Islamic Jihad", "Supreme National Security Council").
        if run.len() >= 2 && lists().org.contains(last) {
            let t = title_len(run);
            let s = start + if t > 0 && t < run.len() - 1 { t } else { 0 };
            out.push(Piece { start: s, end, kind: Some(EntityType::Org), country: None, after_title: false });
            return;
        }
        let mut i = start;
        let mut after_title = false;
        while i < end {
            if CONNECTORS.contains(&words[i]) {
                i += 1;
                continue;
            }
            if let Some((n, e)) = gaz.longest_match(&words[i..end]) {
                out.push(place_piece(i, i + n, e));
                i += n;
                after_title = false;
                continue;
            }
            let t = title_len(&words[i..end]);
            if t > 0 {
                i += t;
                after_title = true;
                continue;
            }
            if lists().misc_words.contains(words[i]) {
                out.push(Piece {
                    start: i,
                    end: i + 1,
                    kind: Some(EntityType::Misc),
                    country: None,
                    after_title: false,
                });
                i += 1;
                continue;
            }
            // A name: up to the next place, title or misc word.
            let mut j = i + 1;
            while j < end
                && gaz.longest_match(&words[j..end]).is_none()
                && title_len(&words[j..end]) == 0
                && !lists().misc_words.contains(words[j])
            {
                j += 1;
            }
            // Trailing connectors belong to no name.
            let mut k = j;
            while k > i + 1 && CONNECTORS.contains(&words[k - 1]) {
                k -= 1;
            }
            let name = &words[i..k];
            let kind = if name.iter().any(|w| lists().misc.contains(w)) {
                Some(EntityType::Misc)
            } else if name.len() >= 2 && lists().place.contains(name[name.len() - 1]) {
                Some(EntityType::Place)
            } else if name.len() >= 2 && lists().org.contains(name[name.len() - 1]) {
                Some(EntityType::Org)
            } else {
                None
            };
            out.push(Piece { start: i, end: k, kind, country: None, after_title });
            after_title = false;
            i = j;
        }
    }
}

fn place_piece(start: usize, end: usize, e: &crate::gazetteer::PlaceEntry) -> Piece {
    let (kind, country) = match e.kind {
        PlaceKind::Demonym => (EntityType::Misc, Some(e.country)),
        _ => (EntityType::Place, None),
    };
    Piece { start, end, kind: Some(kind), country, after_title: false }
}

/// The type of a piece whose keywords did not decide it, from its context.
fn classify(words: &[&str], p: &Piece, surnames: &HashSet<&str>) -> EntityType {
    if let Some(k) = p.kind {
        return k;
    }
    let first = words[p.start];
    let before = p.start.checked_sub(1).map(|b| words[b]);
    let single = p.end - p.start == 1;
    let after_role = before.is_some_and(|b| lists().role_nouns.contains(b));
    let known_surname = single && surnames.contains(bare_name(first));
    if known_surname || p.after_title || after_role || lists().first_names.contains(first) {
        EntityType::Person
    } else if single && is_all_caps(first) && first.chars().count() >= 2 {
        EntityType::Org
    } else if single && before.is_some_and(|b| LOCATIVES.contains(&b)) {
        EntityType::Place
    } else if single {
        EntityType::Org
    } else {
        EntityType::Person
    }
}
