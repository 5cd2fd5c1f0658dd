//! Across documents: when a document's entity is a stored identity.
//!
//! A document entity becomes a [`Profile`] (its names, roles, descriptions, who else the
//! document names, its dictionary entry). Its [`Profile::keys`] are blocking keys: the store
//! returns the identities that share one (never all identities), and [`decide`] weighs the
//! evidence for each:
//! - the same full name (two words at least for a person; any name for a group or place);
//! - dictionary synonyms (one entry of the actor dictionaries lists both names);
//! - a spelling variant (transliteration-aware) **and** corroboration: a shared title or role,
//!   a shared organisation, or a shared co-mention;
//! - for organisations, a name contained in the other's ("Islamic Jihad" ⊂ "Palestinian
//!   Islamic Jihad") **and** a matching description or two shared co-mentions.
//!
//! Two people who share only a surname, or only a first name, stay apart; two full names with
//! different first names are never one person, whatever else they share.

use crate::names;
use dateline_events::Dictionaries;
use dateline_model::{Document, Entity, EntityType, RefKind};
use serde::{Deserialize, Serialize};

/// How much of each list a stored profile keeps: enough to corroborate, bounded so that an
/// identity named in thousands of documents costs no more to compare than one named in ten.
const KEEP: usize = 40;

/// What one entity (of a document, or a stored identity summed over its documents) offers for
/// linking. Every list is lowercase and without repeats.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub kind: String,
    /// The fullest name.
    pub name: String,
    /// Every name form (fullest, short, variant, acronym).
    pub names: Vec<String>,
    /// Title words of its roles ("president", "leader") and what they are of ("iran").
    pub roles: Vec<String>,
    /// Content words of what the text says an organisation is ("militant", "group").
    pub descriptions: Vec<String>,
    /// The fullest names of the other people and organisations its documents name.
    pub context: Vec<String>,
    /// The actor-dictionary entry its names are, when they are one.
    #[serde(default)]
    pub entry: Option<usize>,
    /// How the text refers to it without its name ("the president", "the Leader"): shown to
    /// the analyst, never matched on (a title is shared by many holders).
    #[serde(default)]
    pub titles: Vec<String>,
    /// Its roles as written ("leader of Palestinian Islamic Jihad").
    #[serde(default)]
    pub role_phrases: Vec<String>,
    #[serde(default)]
    pub code: Option<String>,
    /// How many linked entities had each fullest name: the identity is called by the
    /// fullest name most of its documents use, not by whichever came first.
    #[serde(default)]
    pub name_votes: Vec<(String, u32)>,
}

/// Words of a description that say nothing of what an organisation is.
const DESCRIPTION_STOP: &[&str] =
    &["the", "a", "an", "of", "and", "with", "its", "to", "in", "for", "by", "associated"];

fn push_unique(v: &mut Vec<String>, s: String) {
    if !s.is_empty() && !v.contains(&s) {
        v.push(s);
    }
}

impl Profile {
    /// The profile of entity `e` of a document (an entity of the entities layer).
    pub fn of_entity(doc: &Document, e: usize, d: &Dictionaries) -> Profile {
        let entity = &doc.entities[e];
        let mut p = Profile {
            kind: entity.kind.as_str().to_string(),
            name: entity.name.clone(),
            code: entity.code.clone(),
            ..Profile::default()
        };
        push_unique(&mut p.names, names::words(&entity.name).join(" "));
        for r in &entity.references {
            if matches!(r.how, RefKind::Name | RefKind::Short | RefKind::Variant | RefKind::Acronym) {
                push_unique(&mut p.names, names::words(doc.slice(r.span)).join(" "));
            } else if r.how == RefKind::Title {
                push_unique(&mut p.titles, doc.slice(r.span).to_string());
            }
        }
        for &r in &entity.roles {
            let role = &doc.roles[r];
            for w in names::words(doc.slice(role.title)) {
                push_unique(&mut p.roles, w);
            }
            let of = role.of_name.clone().or_else(|| role.of.map(|o| doc.slice(o).to_string()));
            if let Some(of) = &of {
                push_unique(&mut p.roles, names::words(of).join(" "));
            }
            let title = doc.slice(role.title);
            push_unique(&mut p.role_phrases, of.map_or_else(|| title.to_string(), |of| format!("{title} of {of}")));
        }
        for &i in &entity.descriptions {
            for w in names::words(doc.slice(doc.descriptions[i].description)) {
                if !DESCRIPTION_STOP.contains(&w.as_str()) {
                    push_unique(&mut p.descriptions, w);
                }
            }
        }
        for (j, other) in doc.entities.iter().enumerate() {
            if j != e && other.members.is_empty() && matches!(other.kind, EntityType::Person | EntityType::Org) {
                push_unique(&mut p.context, names::words(&other.name).join(" "));
            }
        }
        if matches!(entity.kind, EntityType::Person | EntityType::Org) {
            // Only an entry of a person or group: a country's entry lists its cities (and so
            // its football clubs' names) among its synonyms.
            let of_actor = |e: &usize| {
                let codes = &d.actors.entries[*e].codes;
                !codes.is_empty() && codes.iter().all(|(_, c)| c.len() > 3)
            };
            p.entry = std::iter::once(entity.name.as_str())
                .chain(p.names.iter().map(String::as_str))
                .find_map(|n| dateline_events::actor_entry(d, n).filter(of_actor));
        }
        p.truncate();
        p
    }

    fn truncate(&mut self) {
        for v in [
            &mut self.names,
            &mut self.roles,
            &mut self.descriptions,
            &mut self.context,
            &mut self.titles,
            &mut self.role_phrases,
        ] {
            v.truncate(KEEP);
        }
    }

    /// A stored identity's profile with a newly linked entity's added.
    pub fn absorb(&mut self, other: &Profile) {
        if self.name_votes.is_empty() {
            self.name_votes.push((self.name.clone(), 1));
        }
        for (n, v) in
            other.name_votes.iter().cloned().chain(other.name_votes.is_empty().then(|| (other.name.clone(), 1)))
        {
            let full = self.name_votes.len() >= KEEP;
            match self.name_votes.iter_mut().find(|(x, _)| *x == n) {
                Some((_, c)) => *c += v,
                None if !full => self.name_votes.push((n, v)),
                None => {}
            }
        }
        // The fullest name; among names as full, the one most used (the first on a tie).
        let words = |n: &str| names::words(n).len();
        let mut best = (words(&self.name), self.name_votes.iter().find(|(x, _)| *x == self.name).map_or(0, |v| v.1));
        for (n, v) in &self.name_votes {
            if (words(n), *v) > best {
                best = (words(n), *v);
                self.name = n.clone();
            }
        }
        for (mine, theirs) in [
            (&mut self.names, &other.names),
            (&mut self.roles, &other.roles),
            (&mut self.descriptions, &other.descriptions),
            (&mut self.context, &other.context),
            (&mut self.titles, &other.titles),
            (&mut self.role_phrases, &other.role_phrases),
        ] {
            for s in theirs {
                push_unique(mine, s.clone());
            }
        }
        self.entry = self.entry.or(other.entry);
        if self.code.is_none() {
            self.code = other.code.clone();
        }
        self.truncate();
    }

    /// Blocking keys: a stored identity is a candidate for this profile when it shares one.
    /// Each name gives its exact key; a person's last name gives a key by sound (which finds
    /// spelling variants); an organisation's last two words give a containment key; a
    /// dictionary entry gives its own.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        for n in &self.names {
            let w = names::core_words(&n.split(' ').map(str::to_string).collect::<Vec<_>>());
            if w.is_empty() {
                continue;
            }
            push_unique(&mut keys, format!("n:{}:{}", self.kind, w.join(" ")));
            if self.kind == "PERSON" {
                push_unique(&mut keys, format!("s:PERSON:{}", names::sound_key(w.last().expect("not empty"))));
            }
            if self.kind == "ORG" && w.len() >= 2 {
                push_unique(&mut keys, format!("o:ORG:{}", w[w.len() - 2..].join(" ")));
            }
            // An initialism and the names it abbreviates meet on one key.
            if self.kind == "ORG" {
                let acronym = match names::initials(&w) {
                    Some(i) => Some(i),
                    None if w.len() == 1 && (2..=8).contains(&w[0].len()) => Some(w[0].to_uppercase()),
                    None => None,
                };
                if let Some(a) = acronym {
                    push_unique(&mut keys, format!("a:ORG:{a}"));
                }
            }
        }
        if let Some(e) = self.entry {
            push_unique(&mut keys, format!("d:{e}"));
        }
        keys
    }
}

/// Why a document entity is a stored identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// `same_name`, `dictionary_synonym`, `spelling_variant`, `acronym`, `contained_name`
    /// (and, from the store, `manual_merge` and `new`).
    pub kind: String,
    /// The document's name and the identity's name that matched.
    pub name: String,
    pub matched: String,
    /// What corroborates a variant or a contained name: the shared role, description word or
    /// co-mentioned name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corroboration: Vec<String>,
}

/// The decision for one document entity: the candidate it is (by position in the list
/// given), with the evidence, or `None`: a new identity.
pub fn decide(entity: &Profile, candidates: &[Profile]) -> Option<(usize, Evidence)> {
    let mut found: Vec<(u8, usize, usize, Evidence)> = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        if let Some((strength, evidence)) = evidence_for(entity, c) {
            found.push((strength, evidence.corroboration.len(), i, evidence));
        }
    }
    // Strongest evidence first, then the most corroborated, then the order given (the store
    // gives the most linked identities first).
    found.sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)).then(a.2.cmp(&b.2)));
    let mut found = found.into_iter();
    let best = found.next()?;
    // Corroborated evidence that fits two identities equally well says which of them it is
    // not: a lone "Harlow, a farmer" when two farmers Harlow are stored.
    if best.0 == 1 && found.next().is_some_and(|second| (second.0, second.1) == (best.0, best.1)) {
        return None;
    }
    Some((best.2, best.3))
}

fn split(n: &str) -> Vec<String> {
    names::core_words(&n.split(' ').map(str::to_string).collect::<Vec<_>>())
}

/// The person's full names (two words at least).
fn full_names(p: &Profile) -> Vec<Vec<String>> {
    p.names.iter().map(|n| split(n)).filter(|w| w.len() >= 2).collect()
}

/// Whether two people's full names say they are different people: no full name of one is a
/// spelling of a full name of the other, and two of them end alike but begin with different
/// first names ("Laura Bush", "George Bush").
fn first_names_clash(a: &Profile, b: &Profile) -> bool {
    let (fa, fb) = (full_names(a), full_names(b));
    let same = |x: &Vec<String>, y: &Vec<String>| {
        x.len() == y.len() && x.iter().zip(y).all(|(p, q)| names::same_word_spelling(p, q))
    };
    if fa.iter().any(|x| fb.iter().any(|y| same(x, y))) {
        return false;
    }
    fa.iter().any(|x| {
        fb.iter().any(|y| {
            names::same_word_spelling(x.last().expect("two words"), y.last().expect("two words"))
                && !names::same_word_spelling(&x[0], &y[0])
                && !x.contains(&y[0])
                && !y.contains(&x[0])
        })
    })
}

fn shared(a: &[String], b: &[String]) -> Vec<String> {
    a.iter().filter(|x| b.contains(x)).cloned().collect()
}

/// The evidence that `e` is the stored identity `c`, with its strength (3: a name, 2: a
/// dictionary synonym, 1: corroborated), if there is enough.
fn evidence_for(e: &Profile, c: &Profile) -> Option<(u8, Evidence)> {
    if e.kind != c.kind {
        return None;
    }
    let person = e.kind == "PERSON";
    if person && first_names_clash(e, c) {
        return None;
    }
    let ev = |kind: &str, name: &str, matched: &str, corroboration: Vec<String>| Evidence {
        kind: kind.into(),
        name: name.into(),
        matched: matched.into(),
        corroboration,
    };
    // Corroboration: a shared role word that is a title or what it is of, a shared
    // description word, or a shared co-mention.
    let corroboration = || {
        let mut out: Vec<String> = shared(&e.roles, &c.roles).into_iter().map(|r| format!("role: {r}")).collect();
        out.extend(shared(&e.descriptions, &c.descriptions).into_iter().map(|d| format!("description: {d}")));
        out.extend(shared(&e.context, &c.context).into_iter().map(|n| format!("named with: {n}")));
        out
    };
    // The same name.
    for n in &e.names {
        let w = split(n);
        if person && w.len() < 2 {
            continue;
        }
        if let Some(m) = c.names.iter().find(|m| split(m) == w) {
            return Some((3, ev("same_name", n, m, Vec::new())));
        }
    }
    // One dictionary entry.
    if let (Some(a), Some(b)) = (e.entry, c.entry) {
        if a == b {
            return Some((2, ev("dictionary_synonym", &e.name, &c.name, Vec::new())));
        }
    }
    match e.kind.as_str() {
        "PERSON" => {
            // A spelling variant of the full name, or a lone surname (no first name given)
            // matching theirs: corroborated, or nothing.
            for n in &e.names {
                let w = split(n);
                for m in &c.names {
                    let v = split(m);
                    let variant = w.len() >= 2
                        && w.len() == v.len()
                        && w.iter().zip(&v).all(|(a, b)| names::same_word_spelling(a, b));
                    // A lone name (no first name anywhere in the document) and their
                    // surname, or their lone name.
                    let lone_surname = w.len() == 1
                        && full_names(e).is_empty()
                        && !v.is_empty()
                        && (v.len() >= 2 || full_names(c).is_empty())
                        && names::same_word_spelling(&w[0], v.last().unwrap());
                    if variant || lone_surname {
                        let support = corroboration();
                        // A lone surname needs more than one co-mention: a shared role, or two
                        // people or groups named with it both times.
                        let enough = if lone_surname {
                            support.iter().any(|s| s.starts_with("role:"))
                                || support.iter().filter(|s| s.starts_with("named with:")).count() >= 2
                        } else {
                            !support.is_empty()
                        };
                        if enough {
                            return Some((1, ev("spelling_variant", n, m, support)));
                        }
                    }
                }
            }
            None
        }
        "ORG" => {
            // An initialism of the other's name ("NURW" for "National Union of Rail Workers"),
            // corroborated.
            let initials_of = |a: &Profile, b: &Profile| {
                a.names.iter().find_map(|n| {
                    let acronym = n.to_uppercase();
                    let is_acronym =
                        !n.contains(' ') && (2..=8).contains(&n.len()) && n.chars().all(char::is_alphabetic);
                    let full = b.names.iter().find(|m| names::initials(&split(m)).as_deref() == Some(acronym.as_str()));
                    full.filter(|_| is_acronym).map(|m| (n.clone(), m.clone()))
                })
            };
            if let Some((short, long)) = initials_of(e, c).or_else(|| initials_of(c, e)) {
                let support = corroboration();
                if !support.is_empty() {
                    return Some((1, ev("acronym", &short, &long, support)));
                }
            }
            for n in &e.names {
                let w = split(n);
                for m in &c.names {
                    let v = split(m);
                    let (short, long) = if w.len() < v.len() { (&w, &v) } else { (&v, &w) };
                    if short.len() < 2 || short.len() == long.len() || long[long.len() - short.len()..] != short[..] {
                        continue;
                    }
                    let support = corroboration();
                    let described = support.iter().any(|s| s.starts_with("description:"));
                    let named_with = support.iter().filter(|s| s.starts_with("named with:")).count();
                    if described || named_with >= 2 {
                        return Some((1, ev("contained_name", n, m, support)));
                    }
                }
            }
            None
        }
        _ => None,
    }
}

/// The document entities that take part in cross-document linking: people, organisations
/// and places (groups are their members').
pub fn linkable(e: &Entity) -> bool {
    e.members.is_empty() && e.kind != EntityType::Misc
}

/// What decides whether two reports are of one event: its PLOVER type, its time value, and
/// the stored identities of its source and target actors.
#[derive(Debug, Clone, PartialEq)]
pub struct EventReport {
    pub plover: String,
    pub time_value: String,
    pub sources: Vec<i64>,
    pub targets: Vec<i64>,
}

/// Whether two time values can be one time: the same day, or one a coarser value that holds
/// the other ("2024-03" and "2024-03-28"); a year alone is too coarse to say, and so is a
/// value that is not a date.
pub fn times_compatible(a: &str, b: &str) -> bool {
    let date = |v: &str| v.len() >= 7 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit) && v.as_bytes()[4] == b'-';
    if !date(a) || !date(b) {
        return false;
    }
    let (a, b) = (a.get(..10).unwrap_or(a), b.get(..10).unwrap_or(b));
    a.starts_with(b) || b.starts_with(a)
}

/// Whether two reports are of one event: the same type, compatible time evidence, and the
/// same parties (a source identity and a target identity in common, or, for events that
/// have no direction the text keeps, such as a meeting, two participants in common). Reports
/// without a time value never merge: "they met in Tehran" twice, nine months apart, is two
/// meetings.
pub fn same_event(a: &EventReport, b: &EventReport) -> bool {
    if a.plover != b.plover || !times_compatible(&a.time_value, &b.time_value) {
        return false;
    }
    let common = |x: &[i64], y: &[i64]| x.iter().filter(|i| y.contains(i)).count();
    if common(&a.sources, &b.sources) >= 1 && common(&a.targets, &b.targets) >= 1 {
        return true;
    }
    let all = |r: &EventReport| {
        let mut v: Vec<i64> = r.sources.iter().chain(&r.targets).copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    matches!(a.plover.as_str(), "CONSULT" | "AGREE" | "COOPERATE") && common(&all(a), &all(b)) >= 2
}

#[cfg(test)]
mod event_tests {
    use super::*;

    fn report(plover: &str, value: &str, sources: &[i64], targets: &[i64]) -> EventReport {
        EventReport {
            plover: plover.into(),
            time_value: value.into(),
            sources: sources.to_vec(),
            targets: targets.to_vec(),
        }
    }

    #[test]
    fn one_event_needs_the_same_parties_and_compatible_times() {
        let a = report("CONSULT", "2024-03-28", &[1], &[2]);
        assert!(same_event(&a, &report("CONSULT", "2024-03-28TNI", &[2], &[1])));
        assert!(same_event(&a, &report("CONSULT", "2024-03", &[1], &[2, 3])));
        // Nine months apart, the same people: two meetings.
        assert!(!same_event(&a, &report("CONSULT", "2023-06-19", &[1], &[2])));
        // No time value, no merge.
        assert!(!same_event(&a, &report("CONSULT", "", &[1], &[2])));
        assert!(!same_event(&a, &report("CONSULT", "2024", &[1], &[2])));
        assert!(!same_event(&a, &report("ASSAULT", "2024-03-28", &[1], &[2])));
        assert!(!same_event(
            &report("ASSAULT", "2024-03-28", &[1], &[2]),
            &report("ASSAULT", "2024-03-28", &[2], &[1])
        ));
        assert!(!same_event(&a, &report("CONSULT", "2024-03-28", &[1], &[4])));
    }
}
