//! Titles and roles of people, as the text states them, linked to the person's mention and, when
//! stated, to what the role is of:
//! - before the name: "Iranian President Ebrahim Raisi", "Islamic Jihad leader Ziyad
//!   al-Nakhaleh", "Hamas political bureau chief Ismail Haniyeh", "Chief executive Sarah Whitfield";
//! - in apposition after it: "Ziyad al-Nakhalah, the chief of Islamic Jihad,", "Ismail Haniyeh,
//!   the Hamas political bureau chief,", "Ali Khamenei, Leader of the Islamic Revolution".

use crate::lexicon::{ROLE_NOUNS, TITLES};
use crate::sentence_token_ranges;
use dateline_model::{Document, EntityType, Mention, Role, Span, Stage};
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
        || matches!(
            lower.as_str(),
            "monday"
                | "tuesday"
                | "wednesday"
                | "thursday"
                | "friday"
                | "saturday"
                | "sunday"
                | "today"
                | "yesterday"
                | "tomorrow"
                | "tonight"
        );
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
    }
}

fn find_roles(doc: &Document) -> Vec<Role> {
    let text = doc.text.as_str();
    let word = |i: usize| &text[doc.tokens[i].span.start..doc.tokens[i].span.end];
    let pos = |i: usize| doc.tokens[i].pos.as_deref();
    let is_head = |i: usize| heads().contains(&word(i).trim_end_matches('.').to_lowercase());
    // Token index ranges of mentions.
    let token_at = |byte: usize| doc.tokens.partition_point(|t| t.span.start < byte);
    let mention_tokens: Vec<(usize, usize, &Mention)> = doc
        .mentions
        .iter()
        .map(|m| (token_at(m.span.start), doc.tokens.partition_point(|t| t.span.end <= m.span.end), m))
        .collect();
    let mention_ending_at = |end: usize| mention_tokens.iter().find(|(_, e, _)| *e == end);
    let mention_starting_at = |start: usize| mention_tokens.iter().find(|(s, _, _)| *s == start);
    let of_name = |m: &Mention| m.country.clone().unwrap_or_else(|| text[m.span.start..m.span.end].to_string());
    let mut roles = Vec::new();
    for (sent_start, sent_end) in sentence_token_ranges(doc) {
        for &(ps, pe, person) in
            mention_tokens.iter().filter(|(s, _, m)| *s >= sent_start && *s < sent_end && m.kind == EntityType::Person)
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
                if mention_tokens
                    .iter()
                    .any(|(s, _, m)| *s >= seg_start && *s < seg_end && m.kind == EntityType::Person)
                {
                    continue;
                }
                // The head: the last head word before "of"/"at"/"for" (or the segment's end).
                let prep = (seg_start..seg_end).find(|&x| matches!(word(x), "of" | "at" | "for" | "in"));
                let head_end = prep.unwrap_or(seg_end);
                let Some(head) = (seg_start..head_end).rev().find(|&x| is_head(x)) else { continue };
                // An entity inside the phrase before the head ("the Hamas political bureau chief").
                let inner = mention_tokens
                    .iter()
                    .find(|(s, e, m)| *s >= seg_start && *e <= head && m.kind != EntityType::Person);
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
    fn a_day_is_not_part_of_a_title() {
        let got = roles("The talks stalled. But on Wednesday Prime Minister Ada Vell spoke.");
        assert!(got.iter().any(|(t, p, _)| t == "Prime Minister" && p == "Ada Vell"), "{got:?}");
    }
}
