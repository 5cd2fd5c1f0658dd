//! Titles and roles of people, and descriptions of organisations, as the text states them.
//!
//! Roles are linked to the person's mention and, when stated, to what the role is of:
//! - before the name: "Iranian President Ebrahim Raisi", "Islamic Jihad leader Ziyad
//!   al-Nakhaleh", "Hamas political bureau chief Ismail Haniyeh", "Chief executive Sarah Whitfield";
//! - in apposition after it: "Ziyad al-Nakhalah, the chief of Islamic Jihad,", "Ismail Haniyeh,
//!   the Hamas political bureau chief,", "Ali Khamenei, Leader of the Islamic Revolution".
//!
//! Descriptions say what an organisation is ("the state news agency Kestrel", "militant groups
//! Lune Front and Tarn Brigade", "the Lune website associated with the Council", "Lune Front,
//! the armed wing of the Kestrel Party,"), linked the same way to what it is of or linked to.

use crate::lexicon::{is_org_descriptor, ORG_DESCRIPTORS, ROLE_NOUNS, TITLES, WEEKDAYS};
use crate::sentence_token_ranges;
use dateline_model::{Description, Document, EntityType, Mention, Role, Span, Stage};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Words that head a role phrase (lowercased): titles and role nouns.
fn heads() -> &'static HashSet<String> {
    static H: OnceLock<HashSet<String>> = OnceLock::new();
    H.get_or_init(|| {
        TITLES
            .iter()
            .chain(ROLE_NOUNS)
            .flat_map(|t| t.split(' ').next_back())
            .map(|w| w.trim_end_matches('.').to_lowercase())
            .filter(|w| !matches!(w.as_str(), "mr" | "mrs" | "ms" | "dr" | "sir" | "dame" | "lady" | "lord" | "father"))
            .collect()
    })
}

/// Words that may modify a role head inside the phrase ("political bureau", "newly-appointed",
/// "Supreme", "deputy", "foreign").
/// A day or a month is when, not what, a role is ("on Wednesday Prime Minister Ada Vell").
fn is_modifier(word: &str, pos: Option<&str>) -> bool {
    let lower = word.to_lowercase();
    let when = dateline_model::month_number(&lower).is_some()
        || WEEKDAYS.contains(&lower.as_str())
        || matches!(lower.as_str(), "today" | "yesterday" | "tomorrow" | "tonight");
    heads().contains(&lower)
        || matches!(pos, Some("JJ" | "NN" | "NNP" | "VBN" | "JJS"))
            && !when
            && !matches!(lower.as_str(), "the" | "a" | "an" | "said" | "says" | "also")
}

#[derive(Default)]
pub struct Roles;

impl Stage for Roles {
    fn name(&self) -> &'static str {
        "roles"
    }

    fn annotate(&self, doc: &mut Document) {
        doc.roles = find_roles(doc);
        doc.descriptions = find_descriptions(doc);
    }
}

/// A mention with the token range `[first, last)` it covers.
type MentionTokens<'d> = (usize, usize, &'d Mention);

/// The mentions of a document by token range, in text order. Mentions do not overlap, so
/// both their first and their last tokens are sorted, and every lookup is a binary search:
/// a scan per name made these layers quadratic in the length of the document.
struct MentionIndex<'d> {
    ranges: Vec<MentionTokens<'d>>,
}

impl<'d> MentionIndex<'d> {
    fn new(doc: &'d Document) -> Self {
        let token_at = |byte: usize| doc.tokens.partition_point(|t| t.span.start < byte);
        let token_after = |byte: usize| doc.tokens.partition_point(|t| t.span.end <= byte);
        MentionIndex {
            ranges: doc.mentions.iter().map(|m| (token_at(m.span.start), token_after(m.span.end), m)).collect(),
        }
    }

    /// Mentions whose first token lies in `a..b`.
    fn starting_in(&self, a: usize, b: usize) -> &[MentionTokens<'d>] {
        let from = self.ranges.partition_point(|r| r.0 < a);
        let to = self.ranges.partition_point(|r| r.0 < b);
        &self.ranges[from..to.max(from)]
    }

    fn starting_at(&self, start: usize) -> Option<&MentionTokens<'d>> {
        self.starting_in(start, start + 1).first()
    }

    fn ending_at(&self, end: usize) -> Option<&MentionTokens<'d>> {
        let i = self.ranges.partition_point(|r| r.1 < end);
        self.ranges.get(i).filter(|r| r.1 == end)
    }

    /// Whether token `i` lies inside a mention.
    fn covers(&self, i: usize) -> bool {
        let k = self.ranges.partition_point(|r| r.0 <= i);
        k > 0 && self.ranges[k - 1].1 > i
    }
}

/// The name a role or description is of: a nationality's country, or the mention as written.
fn of_name(doc: &Document, m: &Mention) -> String {
    m.country.clone().unwrap_or_else(|| doc.slice(m.span).to_string())
}

fn find_roles(doc: &Document) -> Vec<Role> {
    let text = doc.text.as_str();
    let word = |i: usize| &text[doc.tokens[i].span.start..doc.tokens[i].span.end];
    let pos = |i: usize| doc.tokens[i].pos.as_deref();
    let is_head = |i: usize| heads().contains(&word(i).trim_end_matches('.').to_lowercase());
    let mentions = MentionIndex::new(doc);
    let mention_ending_at = |end: usize| mentions.ending_at(end);
    let mention_starting_at = |start: usize| mentions.starting_at(start);
    let of_name = |m: &Mention| of_name(doc, m);
    let mut roles = Vec::new();
    for (sent_start, sent_end) in sentence_token_ranges(doc) {
        for &(ps, pe, person) in
            mentions.starting_in(sent_start, sent_end).iter().filter(|(_, _, m)| m.kind == EntityType::Person)
        {
            // Before the name: modifiers and a head, right up against it.
            let mut k = ps;
            while k > sent_start
                && k + 5 > ps
                && is_modifier(word(k - 1), pos(k - 1))
                && mention_ending_at(k).is_none_or(|_| k == ps)
            {
                k -= 1;
            }
            // The phrase must end in a head word (the word just before the name).
            if k < ps && is_head(ps - 1) {
                // Skip leading words that are neither heads nor modifiers of one.
                let title = Span::new(doc.tokens[k].span.start, doc.tokens[ps - 1].span.end);
                let of = mention_ending_at(k).filter(|(_, _, m)| m.kind != EntityType::Person).map(|(_, _, m)| *m);
                let start = of.map_or(title.start, |m| m.span.start);
                roles.push(Role {
                    span: Span::new(start, person.span.end),
                    title,
                    person: person.span,
                    of: of.map(|m| m.span),
                    of_name: of.map(of_name),
                });
            }
            // After the name: ", (the|a)? … head (of|at|for ENTITY)? ,"
            if pe < sent_end && word(pe) == "," {
                let mut j = pe + 1;
                if j < sent_end && matches!(word(j).to_lowercase().as_str(), "the" | "a" | "an") {
                    j += 1;
                }
                let seg_start = j;
                let mut seg_end = j;
                while seg_end < sent_end
                    && seg_end < seg_start + 12
                    && !matches!(word(seg_end), "," | "." | ";" | "(" | "“" | "\"")
                {
                    seg_end += 1;
                }
                // A person inside the segment makes it a list of people, not an apposition.
                if mentions.starting_in(seg_start, seg_end).iter().any(|(_, _, m)| m.kind == EntityType::Person) {
                    continue;
                }
                // The head: the last head word before "of"/"at"/"for" (or the segment's end).
                let prep = (seg_start..seg_end).find(|&x| matches!(word(x), "of" | "at" | "for" | "in"));
                let head_end = prep.unwrap_or(seg_end);
                let Some(head) = (seg_start..head_end).rev().find(|&x| is_head(x)) else { continue };
                // An entity inside the phrase before the head ("the Hamas political bureau chief").
                let inner = mentions
                    .starting_in(seg_start, head)
                    .iter()
                    .find(|(_, e, m)| *e <= head && m.kind != EntityType::Person);
                let title_start = inner.map_or(seg_start, |(_, e, _)| *e);
                if !(title_start..=head).all(|x| is_modifier(word(x), pos(x))) {
                    continue;
                }
                let after = prep.and_then(|p| {
                    let mut q = p + 1;
                    if q < seg_end && word(q).to_lowercase() == "the" {
                        q += 1;
                    }
                    mention_starting_at(q).filter(|(_, e, m)| *e <= seg_end && m.kind != EntityType::Person)
                });
                let of = inner.or(after).map(|(_, _, m)| *m);
                let end = after.map_or(doc.tokens[head].span.end, |(_, e, _)| doc.tokens[e - 1].span.end);
                roles.push(Role {
                    span: Span::new(person.span.start, end),
                    title: Span::new(doc.tokens[title_start].span.start, doc.tokens[head].span.end),
                    person: person.span,
                    of: of.map(|m| m.span),
                    of_name: of.map(of_name),
                });
            }
        }
    }
    roles
}

/// Verbs that link an organisation to another in a description ("associated with", "run by").
const LINKS: &[(&str, &str)] = &[
    ("associated", "with"),
    ("affiliated", "with"),
    ("allied", "with"),
    ("allied", "to"),
    ("linked", "to"),
    ("close", "to"),
    ("loyal", "to"),
    ("run", "by"),
    ("owned", "by"),
    ("backed", "by"),
    ("controlled", "by"),
];

/// Descriptions of organisation mentions: a descriptor noun phrase right before the name (or
/// before the list of names it stands in), the descriptor right after it ("the Lune website"),
/// or an apposition after a comma.
fn find_descriptions(doc: &Document) -> Vec<Description> {
    let text = doc.text.as_str();
    let word = |i: usize| &text[doc.tokens[i].span.start..doc.tokens[i].span.end];
    let lower = |i: usize| word(i).to_lowercase();
    let pos = |i: usize| doc.tokens[i].pos.as_deref();
    let mentions = MentionIndex::new(doc);
    let mention_ending_at = |end: usize| mentions.ending_at(end);
    let mention_starting_at = |start: usize| mentions.starting_at(start);
    let not_person = |m: &&MentionTokens| m.2.kind != EntityType::Person;
    // A descriptor inside a name is part of the name ("the Kestrel Media Group").
    let inside_mention = |i: usize| mentions.covers(i);
    let is_head = |i: usize| is_org_descriptor(&lower(i)) && !inside_mention(i);
    let span_of = |a: usize, b: usize| Span::new(doc.tokens[a].span.start, doc.tokens[b - 1].span.end);
    let mut out = Vec::new();
    let mut push = |entity: &Mention, description: Span, of: Option<&Mention>, start: usize, end: usize| {
        out.push(Description {
            span: Span::new(start.min(of.map_or(start, |o| o.span.start)), end),
            description,
            entity: entity.span,
            of: of.map(|o| o.span),
            of_name: of.map(|m| of_name(doc, m)),
        });
    };
    for (sent_start, sent_end) in sentence_token_ranges(doc) {
        for &(ps, pe, org) in mentions.starting_in(sent_start, sent_end).iter().filter(|m| m.2.kind == EntityType::Org)
        {
            // Before the name, or before the list it stands in ("militant groups Lune Front and
            // Tarn Brigade": a plural head).
            let mut first = ps;
            while first >= sent_start + 2 && matches!(word(first - 1), "and" | ",") {
                match mention_ending_at(first - 1).filter(|m| m.2.kind == EntityType::Org) {
                    Some(&(s, _, _)) => first = s,
                    None => break,
                }
            }
            let plural_head = |i: usize| !ORG_DESCRIPTORS.contains(&lower(i).as_str());
            if first > sent_start && is_head(first - 1) && (first == ps || plural_head(first - 1)) {
                let mut k = first - 1;
                while k > sent_start
                    && k + 4 > first
                    && is_modifier(word(k - 1), pos(k - 1))
                    && mention_ending_at(k).is_none()
                {
                    k -= 1;
                }
                let of = mention_ending_at(k).filter(not_person).map(|m| m.2);
                push(org, span_of(k, first), of, doc.tokens[k].span.start, org.span.end);
            }
            // After the name: "the Lune website (associated with the Council)".
            if ps > sent_start && lower(ps - 1) == "the" && pe < sent_end {
                let head = if is_head(pe) {
                    Some(pe)
                } else if pe + 1 < sent_end && is_head(pe + 1) && matches!(pos(pe), Some("NN" | "JJ")) {
                    Some(pe + 1)
                } else {
                    None
                };
                if let Some(head) = head {
                    let mut end = head + 1;
                    let mut of = None;
                    if end + 1 < sent_end && LINKS.contains(&(lower(end).as_str(), lower(end + 1).as_str())) {
                        let q = if end + 2 < sent_end && lower(end + 2) == "the" { end + 3 } else { end + 2 };
                        if let Some(&(_, e, m)) = mention_starting_at(q).filter(not_person) {
                            of = Some(m);
                            end = e;
                        }
                    }
                    // "The Lune Party website" is the party's website, not the party: a site
                    // is the name only when the text says more of it ("associated with …").
                    let site = matches!(lower(head).as_str(), "website" | "site");
                    if of.is_some() || !site {
                        push(org, span_of(pe, end), of, org.span.start, doc.tokens[end - 1].span.end);
                    }
                }
            }
            // In apposition: "Lune Front, the armed wing of the Kestrel Party,".
            if pe + 1 < sent_end && word(pe) == "," {
                let mut j = pe + 1;
                if matches!(lower(j).as_str(), "the" | "a" | "an") {
                    j += 1;
                }
                let mut seg_end = j;
                while seg_end < sent_end && seg_end < j + 10 && !matches!(word(seg_end), "," | "." | ";" | "(" | "\"") {
                    seg_end += 1;
                }
                let prep = (j..seg_end).find(|&x| matches!(word(x), "of" | "in" | "for" | "at"));
                let head_end = prep.unwrap_or(seg_end);
                if head_end > j
                    && is_head(head_end - 1)
                    && word(head_end - 1).starts_with(char::is_lowercase)
                    && (j..head_end)
                        .all(|x| is_modifier(word(x), pos(x)) && mention_starting_at(x).is_none_or(|m| not_person(&m)))
                {
                    // What follows the preposition ends on the owner: "of the Kestrel Party",
                    // "of Lune's Kestrel Group", "of the Lune food group Kestrel".
                    let of = prep.and_then(|p| {
                        mentions.starting_in(p + 1, seg_end).iter().filter(|m| m.1 <= seg_end).rfind(not_person)
                    });
                    let end = of.map_or(head_end, |m| m.1);
                    push(org, span_of(j, end), of.map(|m| m.2), org.span.start, doc.tokens[end - 1].span.end);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Entities, PosTagger, Segmenter};

    fn roles(text: &str) -> Vec<(String, String, Option<String>)> {
        let mut doc = Document::new("t", text);
        Segmenter.annotate(&mut doc);
        PosTagger::default().annotate(&mut doc);
        Entities::default().annotate(&mut doc);
        Roles.annotate(&mut doc);
        doc.roles
            .iter()
            .map(|r| (doc.slice(r.title).to_string(), doc.slice(r.person).to_string(), r.of_name.clone()))
            .collect()
    }

    #[test]
    fn before_and_after_the_name() {
        let got = roles(
            "Kenyan President Daniel Mwangi met Otieno Kamau, the chief of the Kenya Ports Authority, in Mombasa. \
             Opposition leader Joseph Otieno stayed away.",
        );
        assert!(got.contains(&("President".into(), "Daniel Mwangi".into(), Some("Kenya".into()))), "{got:?}");
        assert!(
            got.contains(&("chief".into(), "Otieno Kamau".into(), Some("Kenya Ports Authority".into()))),
            "{got:?}"
        );
        assert!(got.iter().any(|(t, p, _)| t == "Opposition leader" && p == "Joseph Otieno"), "{got:?}");
    }

    #[test]
    fn descriptions_of_organisations() {
        let mut doc = Document::new(
            "t",
            "Lune Front, the armed wing of the Kestrel Party, said the state news agency Tarnpress was wrong. \
             Militant groups Lune Front and Tarn Brigade met, the Vellnews website linked to the Council \
             reported. The Kestrel Party website was down.",
        );
        Segmenter.annotate(&mut doc);
        PosTagger::default().annotate(&mut doc);
        Entities::default().annotate(&mut doc);
        Roles.annotate(&mut doc);
        let got: Vec<(&str, &str, Option<&str>)> = doc
            .descriptions
            .iter()
            .map(|d| (doc.slice(d.entity), doc.slice(d.description), d.of_name.as_deref()))
            .collect();
        for want in [
            ("Lune Front", "armed wing of the Kestrel Party", Some("Kestrel Party")),
            ("Tarnpress", "state news agency", None),
            ("Lune Front", "Militant groups", None),
            ("Tarn Brigade", "Militant groups", None),
            ("Vellnews", "website linked to the Council", Some("Council")),
        ] {
            assert!(got.contains(&want), "{want:?} in {got:?}");
        }
        // A party's website is not the party.
        assert_eq!(got.len(), 5, "{got:?}");
    }

    #[test]
    fn a_day_is_not_part_of_a_title() {
        let got = roles("The talks stalled. But on Wednesday Prime Minister Ada Vell spoke.");
        assert!(got.iter().any(|(t, p, _)| t == "Prime Minister" && p == "Ada Vell"), "{got:?}");
    }
}
