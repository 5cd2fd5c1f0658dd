//! One document's entities: which of its references are one person, organisation, place or
//! group.
//!
//! Names come first, fullest forms first, so that every shorter form meets the fuller names it
//! may stand for: a short form joins a fuller name only when exactly one entity of its type
//! fits (two Blairs and a lone "Blair" leave "Blair" alone). Then what refers without naming:
//! definite descriptions by title ("the president" → the person the roles layer gives that
//! title), personal pronouns in subject and speaker positions, and "the two leaders".

use crate::names;
use dateline_events::{Dictionaries, StoryCodes};
use dateline_model::{Document, Entity, EntityRef, EntityType, Mention, RefKind, Span};
use dateline_nlp::lexicon;
use std::collections::HashMap;

/// Words after which a place's name is the same place ("Gaza Strip" for "Gaza").
const PLACE_SUFFIXES: &[&str] = &["strip", "governorate", "state", "city", "province", "region", "district"];

/// Plural nouns that refer to a group of people or of organisations the text has just named.
const GROUP_NOUNS: &[(&str, EntityType)] = &[
    ("leaders", EntityType::Person),
    ("men", EntityType::Person),
    ("women", EntityType::Person),
    ("officials", EntityType::Person),
    ("presidents", EntityType::Person),
    ("ministers", EntityType::Person),
    ("politicians", EntityType::Person),
    ("movements", EntityType::Org),
    ("groups", EntityType::Org),
    ("organisations", EntityType::Org),
    ("organizations", EntityType::Org),
    ("parties", EntityType::Org),
    ("companies", EntityType::Org),
    ("firms", EntityType::Org),
    ("countries", EntityType::Place),
    ("nations", EntityType::Place),
];

const NUMBER_WORDS: &[(&str, usize)] = &[("two", 2), ("three", 3), ("both", 2)];

/// One distinct name form of the document: its words, and the mentions written that way.
struct Form {
    kind: EntityType,
    /// The form as first written (case kept).
    written: String,
    words: Vec<String>,
    core: Vec<String>,
    mentions: Vec<usize>,
}

struct Builder<'d> {
    doc: &'d Document,
    entities: Vec<Entity>,
    /// For each entity, its name forms' core words (what shorter forms are matched against).
    forms_of: Vec<Vec<Vec<String>>>,
}

impl<'d> Builder<'d> {
    fn add_entity(&mut self, kind: EntityType, name: String) -> usize {
        self.entities.push(Entity {
            kind,
            name,
            code: None,
            references: Vec::new(),
            roles: Vec::new(),
            descriptions: Vec::new(),
            members: Vec::new(),
        });
        self.forms_of.push(Vec::new());
        self.entities.len() - 1
    }

    fn add_ref(&mut self, e: usize, span: Span, how: RefKind, evidence: Option<Span>) {
        if self.entities.iter().any(|x| x.references.iter().any(|r| r.span == span)) {
            return;
        }
        self.entities[e].references.push(EntityRef { span, how, evidence });
    }

    /// The entity whose name reference covers or holds `span`.
    fn entity_at(&self, span: Span) -> Option<usize> {
        Entity::at(&self.entities, span)
    }
}

/// The entities layer of a document whose mentions, roles, descriptions and quotes are made.
pub fn resolve_document(doc: &Document, dictionaries: &Dictionaries) -> Vec<Entity> {
    let mut b = Builder { doc, entities: Vec::new(), forms_of: Vec::new() };
    names_to_entities(&mut b);
    demonyms(&mut b);
    roles_and_descriptions(&mut b);
    titles(&mut b);
    groups(&mut b);
    pronouns(&mut b);
    let day = doc.published.map(|p| dateline_events::story_day_of(p.date));
    // The story's word on a name's country outweighs the dictionary's, as in events.
    let story = dateline_events::story_codes(doc, dictionaries);
    let mut entities = b.entities;
    for e in &mut entities {
        e.references.sort_by_key(|r| (r.span.start, r.span.end));
        if e.members.is_empty() && e.kind != EntityType::Place {
            e.code = code_of(doc, e, dictionaries, &story, day);
        } else if e.kind == EntityType::Place {
            e.code = story.actor_code(dictionaries, &e.name, day);
        }
    }
    // Entities in order of first reference, so that the layer reads like the text; indices
    // held by groups are renumbered.
    let mut order: Vec<usize> = (0..entities.len()).collect();
    order.sort_by_key(|&i| entities[i].references.first().map_or(usize::MAX, |r| r.span.start));
    let mut new_index = vec![0; entities.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut out: Vec<Entity> = order.iter().map(|&i| entities[i].clone()).collect();
    for e in &mut out {
        for m in &mut e.members {
            *m = new_index[*m];
        }
    }
    out.retain(|e| !e.references.is_empty());
    out
}

fn mention_words(doc: &Document, m: &Mention) -> Vec<String> {
    let mut w = names::words(doc.slice(m.span));
    // A title the recognizer left inside the name ("Mr Blair") is no part of it.
    while w.len() > 1 && is_title_word(&w[0]) {
        w.remove(0);
    }
    w
}

/// The country a place name names, by the gazetteer's list of countries and their other names.
fn country_named(name: &str) -> Option<&'static str> {
    let words: Vec<&str> = name.split_whitespace().collect();
    dateline_nlp::gazetteer::Gazetteer::get()
        .lookup(&words)
        .filter(|p| p.kind == dateline_nlp::gazetteer::PlaceKind::Country)
        .map(|p| p.country)
}

fn is_title_word(w: &str) -> bool {
    matches!(w, "mr" | "mrs" | "ms" | "dr" | "mr." | "mrs." | "ms." | "dr." | "sir" | "lord" | "lady")
        || lexicon::TITLES.iter().any(|t| t.eq_ignore_ascii_case(w))
}

/// Name mentions become entities: identical forms are one entity; a shorter form joins the
/// one entity of its type whose name it is part of (a surname, a name without its particle,
/// an organisation without its qualifier, a place without "Strip"), or whose name it
/// abbreviates; a spelling that differs only by transliteration joins when one entity fits.
fn names_to_entities(b: &mut Builder) {
    let doc = b.doc;
    let mut forms: Vec<Form> = Vec::new();
    let mut by_key: HashMap<(EntityType, Vec<String>), usize> = HashMap::new();
    for (i, m) in doc.mentions.iter().enumerate() {
        if m.kind == EntityType::Misc {
            continue;
        }
        let words = mention_words(doc, m);
        if words.is_empty() {
            continue;
        }
        // Another name of a country ("Islamic Republic of Iran") is the country's.
        let country = (m.kind == EntityType::Place).then(|| country_named(doc.slice(m.span))).flatten();
        let core = match country {
            Some(c) => names::words(c),
            None => names::core_words(&words),
        };
        let f = *by_key.entry((m.kind, core.clone())).or_insert_with(|| {
            forms.push(Form {
                kind: m.kind,
                written: doc.slice(m.span).to_string(),
                words: words.clone(),
                core,
                mentions: Vec::new(),
            });
            forms.len() - 1
        });
        forms[f].mentions.push(i);
    }
    // Fullest first; among equals, the first written.
    let mut order: Vec<usize> = (0..forms.len()).collect();
    order.sort_by_key(|&f| (std::cmp::Reverse(forms[f].core.len()), forms[f].mentions[0]));
    for f in order {
        let form = &forms[f];
        let first = doc.mentions[form.mentions[0]].span;
        let (entity, how, evidence) = match link_form(b, form) {
            Some((e, how, evidence)) => (e, how, Some(evidence)),
            None => {
                let written = doc.slice(first).trim_end_matches("’s").trim_end_matches("'s");
                let name = match form.kind {
                    EntityType::Place => country_named(written).unwrap_or(written),
                    _ => written,
                };
                (b.add_entity(form.kind, name.to_string()), RefKind::Name, None)
            }
        };
        b.forms_of[entity].push(form.core.clone());
        for &m in &form.mentions {
            b.add_ref(entity, doc.mentions[m].span, how, evidence);
        }
    }
}

/// The entity a name form stands for, if exactly one fits, with how and the span of the
/// fuller name it matched.
fn link_form(b: &Builder, form: &Form) -> Option<(usize, RefKind, Span)> {
    let mut fits: Vec<(usize, RefKind)> = Vec::new();
    for (e, forms) in b.forms_of.iter().enumerate() {
        let entity = &b.entities[e];
        if !entity.members.is_empty() {
            continue;
        }
        let how = forms.iter().find_map(|full| part_of(form, entity.kind, full));
        if let Some(how) = how {
            fits.push((e, how));
        }
    }
    if fits.len() != 1 {
        return None;
    }
    let (e, how) = fits[0];
    let evidence = b.entities[e].references.first()?.span;
    Some((e, how, evidence))
}

/// How `form` names an entity of type `kind` called `full` (core words), if it does.
fn part_of(form: &Form, kind: EntityType, full: &[String]) -> Option<RefKind> {
    let short = &form.core;
    if short.len() >= full.len() {
        // Same length: only a transliteration of the same words.
        let variant = form.kind == kind
            && short.len() == full.len()
            && short.len() >= 2
            && short.iter().zip(full).all(|(a, b)| names::same_word_spelling(a, b));
        return variant.then_some(RefKind::Variant);
    }
    if form.kind == EntityType::Org && kind == EntityType::Org
        || form.kind == EntityType::Place && kind == EntityType::Place
    {
        if let Some(acronym) = acronym_of(form) {
            if names::initials(full).as_deref() == Some(acronym.as_str()) {
                return Some(RefKind::Acronym);
            }
        }
    }
    if form.kind != kind {
        return None;
    }
    let suffix = &full[full.len() - short.len()..];
    let prefix = &full[..short.len()];
    match kind {
        EntityType::Person => {
            // A "name" that joins two people ("Mike and Bob Bryan") is no one's full name.
            if full.iter().any(|w| w == "and" || w == "&") {
                return None;
            }
            // A surname ("Raisi"), or the last names of a long name ("Ali Khamenei" of
            // "Sayyed Ali Khamenei").
            if suffix == short.as_slice() {
                return Some(RefKind::Short);
            }
            if suffix.iter().zip(short).all(|(a, b)| names::same_word_spelling(a, b)) {
                return Some(RefKind::Variant);
            }
            None
        }
        EntityType::Org => {
            // "Islamic Jihad" of "Palestinian Islamic Jihad": two words at least, so that
            // "Party" is never "Labour Party".
            (short.len() >= 2 && suffix == short.as_slice()).then_some(RefKind::Short)
        }
        EntityType::Place => {
            let rest = &full[short.len()..];
            (prefix == short.as_slice() && rest.len() == 1 && PLACE_SUFFIXES.contains(&rest[0].as_str()))
                .then_some(RefKind::Short)
        }
        EntityType::Misc => None,
    }
}

/// The letters of a form that is an initialism ("SNSC", "U.N."): upper-case, two to eight.
fn acronym_of(form: &Form) -> Option<String> {
    if form.words.len() != 1 || !lexicon::is_initialism(&form.written) {
        return None;
    }
    let letters: String = form.words[0].chars().filter(|c| c.is_alphabetic()).flat_map(char::to_uppercase).collect();
    (2..=8).contains(&letters.len()).then_some(letters)
}

/// "Iranian" → the place Iran, named or not.
fn demonyms(b: &mut Builder) {
    let doc = b.doc;
    for m in &doc.mentions {
        let Some(country) = &m.country else { continue };
        let key = names::core_words(&names::words(country));
        let e = match b
            .forms_of
            .iter()
            .position(|forms| forms.contains(&key))
            .filter(|&e| b.entities[e].kind == EntityType::Place)
        {
            Some(e) => e,
            None => {
                let e = b.add_entity(EntityType::Place, country.clone());
                b.forms_of[e].push(key);
                e
            }
        };
        b.add_ref(e, m.span, RefKind::Demonym, None);
    }
}

fn roles_and_descriptions(b: &mut Builder) {
    let doc = b.doc;
    for (i, r) in doc.roles.iter().enumerate() {
        if let Some(e) = b.entity_at(r.person) {
            if !b.entities[e].roles.contains(&i) {
                b.entities[e].roles.push(i);
            }
        }
    }
    for (i, d) in doc.descriptions.iter().enumerate() {
        if let Some(e) = b.entity_at(d.entity) {
            if !b.entities[e].descriptions.contains(&i) {
                b.entities[e].descriptions.push(i);
            }
        }
    }
}

fn lower(doc: &Document, t: usize) -> String {
    doc.slice(doc.tokens[t].span).to_lowercase()
}

/// The words a person's roles give: title words ("supreme", "leader"), and what they are
/// the title of ("iran", "hamas"), with that place's demonyms.
fn role_words(doc: &Document, e: &Entity) -> Vec<String> {
    let mut out = Vec::new();
    for &r in &e.roles {
        let role = &doc.roles[r];
        out.extend(names::words(doc.slice(role.title)));
        if let Some(of) = role.of {
            out.extend(names::words(doc.slice(of)));
        }
        if let Some(name) = &role.of_name {
            out.extend(names::words(name));
        }
    }
    out
}

/// "the president", "the Leader", "the Hamas political bureau chief", "the Leader of the
/// Islamic Revolution": a definite description whose head noun is a title the roles layer
/// gives a person named before it, and whose other words that person's roles hold.
fn titles(b: &mut Builder) {
    let doc = b.doc;
    let persons: Vec<(usize, Vec<String>)> = (0..b.entities.len())
        .filter(|&e| b.entities[e].kind == EntityType::Person && !b.entities[e].roles.is_empty())
        .map(|e| (e, role_words(doc, &b.entities[e])))
        .collect();
    if persons.is_empty() {
        return;
    }
    let n = doc.tokens.len();
    for t in 0..n {
        if lower(doc, t) != "the" {
            continue;
        }
        // The run of modifiers and nouns after "the".
        let mut j = t + 1;
        let mut words = Vec::new();
        while j < n && j <= t + 6 {
            let pos = doc.tokens[j].pos.as_deref().unwrap_or("");
            if !(pos.starts_with("NN") || pos.starts_with("JJ") || pos == "VBN" || pos == "HYPH") {
                break;
            }
            words.push(lower(doc, j));
            j += 1;
        }
        let Some(head) = words.last().cloned() else { continue };
        if !lexicon::ROLE_NOUNS.contains(&head.as_str())
            && !lexicon::TITLES.iter().any(|x| x.eq_ignore_ascii_case(&head))
        {
            continue;
        }
        // "the president Ebrahim Raisi": an apposition, which the roles layer reads.
        if j < n && doc.mentions.iter().any(|m| m.span.start == doc.tokens[j].span.start) {
            continue;
        }
        // "of the Islamic Revolution": part of the description.
        let mut of_words = Vec::new();
        let mut end = j;
        if j + 1 < n && lower(doc, j) == "of" {
            let from = if lower(doc, j + 1) == "the" { j + 2 } else { j + 1 };
            if let Some(m) = doc.mentions.iter().find(|m| from < n && m.span.start == doc.tokens[from].span.start) {
                of_words = names::words(doc.slice(m.span));
                end = doc.tokens[..n].partition_point(|x| x.span.end <= m.span.end);
            }
        }
        let start = doc.tokens[t].span.start;
        let span = Span::new(start, doc.tokens[end - 1].span.end);
        // A name among the modifiers ("the Hamas political bureau chief") is no obstacle; a
        // reference already on the head noun is.
        let head_span = doc.tokens[j - 1].span;
        if b.entities.iter().any(|e| {
            e.references
                .iter()
                .any(|r| r.span == span || (r.span.start <= head_span.start && head_span.end <= r.span.end))
        }) {
            continue;
        }
        // Each modifier must be in the person's roles: a title word, what the title is of, or a
        // nationality of that country ("the Pakistani president").
        let country_at = |k: usize| {
            let at = doc.tokens[k].span.start;
            doc.mentions.iter().find(|m| m.span.start == at).and_then(|m| m.country.as_deref()).map(names::words)
        };
        let fits: Vec<usize> = persons
            .iter()
            .filter(|(_, rw)| {
                let modifier_holds = |k: usize| {
                    let w = lower(doc, k);
                    rw.contains(&w) || w == "-" || country_at(k).is_some_and(|c| c.iter().all(|x| rw.contains(x)))
                };
                rw.contains(&head) && (t + 1..j - 1).all(modifier_holds) && of_words.iter().all(|w| rw.contains(w))
            })
            .map(|(e, _)| *e)
            .collect();
        // A title written with a capital ("the Leader") is the one a role writes so: where the
        // roles tell the two apart, the written form decides.
        let written_head = doc.slice(head_span);
        let same_case: Vec<usize> = fits
            .iter()
            .copied()
            .filter(|&e| {
                b.entities[e]
                    .roles
                    .iter()
                    .any(|&r| doc.slice(doc.roles[r].title).split_whitespace().any(|w| w == written_head))
            })
            .collect();
        let fits = if same_case.is_empty() { fits } else { same_case };
        // The one named last before the description.
        let last_before =
            |e: usize| b.entities[e].references.iter().filter(|r| r.span.end <= start).map(|r| r.span.end).max();
        let Some(&e) = fits.iter().filter(|&&e| last_before(e).is_some()).max_by_key(|&&e| last_before(e)) else {
            continue;
        };
        let evidence = b.entities[e]
            .roles
            .iter()
            .map(|&r| doc.roles[r].span)
            .find(|s| names::words(doc.slice(*s)).contains(&head));
        b.add_ref(e, span, RefKind::Title, evidence);
    }
}

/// "the two leaders", "both movements": the last two (three) entities of that kind named.
fn groups(b: &mut Builder) {
    let doc = b.doc;
    let n = doc.tokens.len();
    for t in 0..n.saturating_sub(1) {
        let w = lower(doc, t);
        let (count, noun_at) = match NUMBER_WORDS.iter().find(|(x, _)| *x == w) {
            Some(&(_, c)) if w == "both" => (c, t + 1),
            Some(&(_, c)) if t > 0 && lower(doc, t - 1) == "the" => (c, t + 1),
            _ => continue,
        };
        // "the two Palestinian movements": an adjective may stand before the noun.
        let noun_at = if noun_at + 1 < n && doc.tokens[noun_at].pos.as_deref().is_some_and(|p| p.starts_with("JJ")) {
            noun_at + 1
        } else {
            noun_at
        };
        let Some(&(_, kind)) = GROUP_NOUNS.iter().find(|(x, _)| *x == lower(doc, noun_at)) else { continue };
        let start = doc.tokens[if w == "both" { t } else { t - 1 }].span.start;
        let span = Span::new(start, doc.tokens[noun_at].span.end);
        // The last `count` distinct entities of that kind named before, nearest first; news
        // outlets the text cites are not the "two movements" it speaks of.
        let mut seen: Vec<(usize, usize)> = b
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == kind && e.members.is_empty() && !is_cited_outlet(doc, e))
            .filter_map(|(i, e)| {
                e.references
                    .iter()
                    .filter(|r| r.span.end <= start && r.how != RefKind::Demonym && r.how != RefKind::Pronoun)
                    .map(|r| r.span.end)
                    .max()
                    .map(|at| (at, i))
            })
            .collect();
        seen.sort_unstable_by(|a, b| b.cmp(a));
        if seen.len() < count {
            continue;
        }
        let mut members: Vec<usize> = seen[..count].iter().map(|&(_, i)| i).collect();
        members.sort_by_key(|&i| b.entities[i].references.iter().map(|r| r.span.start).min());
        let evidence = b.entities[seen[0].1]
            .references
            .iter()
            .filter(|r| r.span.end <= start)
            .map(|r| r.span)
            .max_by_key(|s| s.end);
        let existing = b.entities.iter().position(|e| e.members == members);
        let g = match existing {
            Some(g) => g,
            None => {
                let name = members.iter().map(|&m| b.entities[m].name.clone()).collect::<Vec<_>>().join(" and ");
                let g = b.add_entity(kind, name);
                b.entities[g].members = members;
                g
            }
        };
        b.add_ref(g, span, RefKind::Group, evidence);
    }
}

/// "he"/"she" as a subject or a speaker: the person the quotes layer resolved the speaker to,
/// else the last person named before it in this sentence or the two before, a subject
/// preferred. Never across more than that, never "it" or "they".
fn pronouns(b: &mut Builder) {
    let doc = b.doc;
    let ranges = dateline_nlp::sentence_token_ranges(doc);
    for q in &doc.quotes {
        let (Some(speaker), Some(&target)) = (q.speaker, q.speaker_refers_to.first()) else { continue };
        if !is_personal_pronoun(doc.slice(speaker)) {
            continue;
        }
        if let Some(e) = b.entity_at(target).filter(|&e| b.entities[e].kind == EntityType::Person) {
            b.add_ref(e, speaker, RefKind::Pronoun, Some(target));
        }
    }
    for (si, &(lo, hi)) in ranges.iter().enumerate() {
        for t in lo..hi {
            let span = doc.tokens[t].span;
            if !is_personal_pronoun(doc.slice(span)) {
                continue;
            }
            let rel = doc.tokens[t].deprel.as_deref().unwrap_or("");
            if !rel.starts_with("nsubj") {
                continue;
            }
            let window_start = doc.tokens[ranges[si.saturating_sub(2)].0].span.start;
            let mut best: Option<(bool, usize, usize, Span)> = None;
            for (e, entity) in b.entities.iter().enumerate() {
                if entity.kind != EntityType::Person || !entity.members.is_empty() {
                    continue;
                }
                for r in &entity.references {
                    if r.span.end > span.start || r.span.start < window_start {
                        continue;
                    }
                    let subject = ref_is_subject(doc, r.span);
                    let key = (subject, r.span.end, e, r.span);
                    if best.is_none_or(|x| (key.0, key.1) > (x.0, x.1)) {
                        best = Some(key);
                    }
                }
            }
            // The nearest subject; without one, the nearest person.
            if let Some((_, _, e, antecedent)) = best {
                b.add_ref(e, span, RefKind::Pronoun, Some(antecedent));
            }
        }
    }
}

/// Whether the text cites this organisation as a source ("according to Press TV").
fn is_cited_outlet(doc: &Document, e: &Entity) -> bool {
    e.kind == EntityType::Org
        && doc
            .quotes
            .iter()
            .flat_map(|q| &q.via)
            .any(|v| e.references.iter().any(|r| r.span.start >= v.span.start && r.span.end <= v.span.end))
}

fn is_personal_pronoun(s: &str) -> bool {
    matches!(s, "he" | "He" | "she" | "She")
}

fn ref_is_subject(doc: &Document, span: Span) -> bool {
    let lo = doc.tokens.partition_point(|t| t.span.end <= span.start);
    let hi = doc.tokens.partition_point(|t| t.span.start < span.end);
    (lo..hi).any(|t| {
        doc.tokens[t].deprel.as_deref().is_some_and(|r| r.starts_with("nsubj"))
            && doc.tokens[t].head.is_none_or(|h| h < lo || h >= hi)
    })
}

/// The CAMEO actor code of an entity: its fullest name a dictionary knows whole, else a
/// shorter name form of it.
fn code_of(doc: &Document, e: &Entity, d: &Dictionaries, story: &StoryCodes, day: Option<i32>) -> Option<String> {
    let mut names: Vec<&str> = e
        .references
        .iter()
        .filter(|r| matches!(r.how, RefKind::Name | RefKind::Short | RefKind::Variant | RefKind::Acronym))
        .map(|r| doc.slice(r.span))
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.split_whitespace().count()));
    names.dedup();
    std::iter::once(e.name.as_str()).chain(names).find_map(|n| story.actor_code(d, n, day))
}
