//! Turning the parts a reader found (title, paragraphs, metadata) into a cleaned [`Document`]:
//! boilerplate removal, title, date line and dateline detection. Shared by every reader so that
//! a text file, a web page and a JSON line of the same article come out the same.

use crate::dates::parse_date_line;
use dateline_model::{Dateline, Document, Published, PublishedOrigin, Span};

/// What a reader extracted before cleaning.
#[derive(Debug, Default, Clone)]
pub struct Parts {
    pub source: String,
    pub title: Option<String>,
    /// Paragraphs of running text, in order (the title may be the first).
    pub paragraphs: Vec<String>,
    /// A publication date from metadata, with the name of the field it came from.
    pub published: Option<(Published, String)>,
    pub outlet: Option<String>,
}

/// Paragraphs from which on everything is site furniture (comment forms, related links).
const TRAILER_STARTS: &[&str] = &[
    "leave a reply",
    "leave a comment",
    "your email address will not be published",
    "comments are closed",
    "post navigation",
    "related posts",
    "related articles",
    "related stories",
    "related news",
    "you may also like",
    "you might also like",
    "more from",
    "more stories",
    "share this:",
    "share this article",
    "share this story",
    "subscribe to our newsletter",
    "sign up for our newsletter",
    "about the author",
    "filed under",
    "tags:",
    "report an error",
    "most read",
    "most popular",
    "recommended for you",
    "cancel reply",
    "join the conversation",
];

/// Lines that are furniture wherever they stand.
const FURNITURE: &[&str] = &[
    "advertisement",
    "advertisements",
    "share",
    "tweet",
    "print",
    "email",
    "share on facebook",
    "share on twitter",
    "share on whatsapp",
    "click to share",
    "skip to content",
    "skip to main content",
    "home",
    "menu",
    "search",
    "sponsored",
    "read more",
    "continue reading",
    "loading...",
    "close",
    "subscribe",
];

fn is_furniture(par: &str) -> bool {
    let p = par.trim().trim_end_matches(':').to_lowercase();
    FURNITURE.contains(&p.as_str())
}

fn starts_trailer(par: &str) -> bool {
    let p = par.trim().to_lowercase();
    p.chars().count() < 200 && TRAILER_STARTS.iter().any(|t| p.starts_with(t))
}

/// A first paragraph that reads as a headline: one line, short, not a full sentence.
fn is_headline(par: &str) -> bool {
    let p = par.trim();
    let words = p.split_whitespace().count();
    !p.contains('\n') && (2..=30).contains(&words) && p.chars().count() <= 200 && !p.ends_with(['.', ',', ';', ':'])
}

/// Normalises a paragraph: no trailing spaces on lines, no blank lines inside.
fn tidy(par: &str) -> String {
    par.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n").trim().to_string()
}

/// Title-cases an all-caps place ("NEW YORK" → "New York", "AL-QUDS" → "Al-Quds").
fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if c.is_alphabetic() {
            if start {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
        } else {
            out.push(c);
            start = matches!(c, ' ' | '-' | '.' | '\'');
        }
    }
    out
}

/// Finds a dateline at the start of a paragraph: "TEHRAN -", "JERUSALEM (Reuters) -",
/// "WASHINGTON, May 3 (AP) —", and the colon form of some wires, "LYON:", "GAZA CITY,
/// Palestinian Territories:" (a place in capitals only: "Note:" is no dateline, nor is a
/// rubric such as "UPDATE:"). Returns the place's display form and its byte range.
pub fn detect_dateline(par: &str) -> Option<(String, usize, usize)> {
    let head: String = par.chars().take(80).collect();
    let Some(dash) = [" - ", " – ", " — ", " -- ", "— ", "– "].iter().filter_map(|d| head.find(d)).min() else {
        return colon_dateline(&head);
    };
    let prefix = &head[..dash];
    let has_agency = prefix.trim_end().ends_with(')') && prefix.contains('(');
    let place_end = prefix.find([',', '(']).unwrap_or(prefix.len());
    let place = prefix[..place_end].trim_end();
    let all_caps = !place.chars().any(char::is_lowercase);
    let title_cased = place.split(' ').all(|w| w.chars().next().is_some_and(char::is_uppercase));
    if !shaped_as_place(place, 2) || !(all_caps || (has_agency && title_cased)) {
        return None;
    }
    let display = if all_caps { title_case(place) } else { place.to_string() };
    Some((display, 0, place.len()))
}

/// "LYON: …", "GAZA CITY, Palestinian Territories: …": a place in capitals, at most a few
/// capitalised words of region after a comma, then a colon.
fn colon_dateline(head: &str) -> Option<(String, usize, usize)> {
    const RUBRICS: [&str; 12] = [
        "UPDATE",
        "UPDATED",
        "BREAKING",
        "EXCLUSIVE",
        "ANALYSIS",
        "OPINION",
        "EDITORIAL",
        "NOTE",
        "WATCH",
        "LIVE",
        "CORRECTION",
        "FACTBOX",
    ];
    let colon = head.find(": ")?;
    let prefix = &head[..colon];
    let (place, region) = prefix.split_once(", ").unwrap_or((prefix, ""));
    let all_caps = !place.chars().any(char::is_lowercase);
    let region_words: Vec<&str> = region.split_whitespace().collect();
    let region_ok =
        region_words.len() <= 4 && region_words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase));
    if !shaped_as_place(place, 3) || !all_caps || !region_ok || RUBRICS.contains(&place) {
        return None;
    }
    Some((title_case(place), 0, place.len()))
}

/// Whether a dateline's place has a place name's shape: at least `min_letters` letters, at
/// most 40 characters, nothing but letters, spaces, dots, apostrophes and hyphens.
fn shaped_as_place(place: &str, min_letters: usize) -> bool {
    place.chars().filter(|c| c.is_alphabetic()).count() >= min_letters
        && place.chars().count() <= 40
        && place.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '’' | '-'))
}

/// Builds the cleaned document from a reader's parts.
pub fn assemble(parts: Parts) -> Document {
    let mut paragraphs: Vec<String> = parts.paragraphs.iter().map(|p| tidy(p)).filter(|p| !p.is_empty()).collect();
    paragraphs.retain(|p| !is_furniture(p));
    if let Some(cut) = paragraphs.iter().enumerate().skip(1).find(|(_, p)| starts_trailer(p)).map(|(i, _)| i) {
        paragraphs.truncate(cut);
    }
    let title =
        parts.title.as_deref().map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty());
    let has_title_par = match &title {
        Some(t) => {
            if paragraphs.first().map(|p| p.as_str()) != Some(t.as_str()) {
                paragraphs.insert(0, t.clone());
            }
            true
        }
        None => paragraphs.len() >= 2 && is_headline(&paragraphs[0]),
    };
    let title = if has_title_par { Some(paragraphs[0].clone()) } else { None };

    // Paragraph byte offsets in the joined text.
    let mut offsets = Vec::with_capacity(paragraphs.len());
    let mut at = 0;
    for p in &paragraphs {
        offsets.push(at);
        at += p.len() + 2;
    }
    let text = paragraphs.join("\n\n");
    let mut doc = Document::new(parts.source, text);
    doc.outlet = parts.outlet;
    if has_title_par {
        doc.title = title;
        doc.title_span = Some(Span::new(0, paragraphs[0].len()));
    }
    let first_body = usize::from(has_title_par);
    let mut body_start = first_body;
    match parts.published {
        Some((p, field)) => {
            doc.published = Some(p);
            doc.published_origin = Some(PublishedOrigin::Metadata(field));
        }
        None => {
            // A date line among the first paragraphs.
            for i in first_body..paragraphs.len().min(first_body + 3) {
                if let Some(p) = parse_date_line(&paragraphs[i]) {
                    doc.published = Some(p);
                    doc.published_origin =
                        Some(PublishedOrigin::Text(Span::new(offsets[i], offsets[i] + paragraphs[i].len())));
                    body_start = i + 1;
                    break;
                }
            }
        }
    }
    for i in body_start..paragraphs.len().min(body_start + 3) {
        if parse_date_line(&paragraphs[i]).is_some() {
            continue;
        }
        if let Some((place, s, e)) = detect_dateline(&paragraphs[i]) {
            doc.dateline = Some(Dateline { place, span: Span::new(offsets[i] + s, offsets[i] + e) });
        }
        break;
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(paragraphs: &[&str]) -> Parts {
        Parts {
            source: "t".into(),
            paragraphs: paragraphs.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn title_date_line_dateline_and_trailer() {
        let doc = assemble(parts(&[
            "Envoys agree on river treaty",
            "May 2, 2024 - 10:15",
            "OSLO (Nordic Wire) - Envoys from two states agreed on Tuesday.",
            "More talks follow.",
            "Leave a Reply",
            "Your email address will not be published.",
        ]));
        assert_eq!(doc.title.as_deref(), Some("Envoys agree on river treaty"));
        assert_eq!(doc.published.unwrap().to_string(), "2024-05-02T10:15");
        let d = doc.dateline.clone().unwrap();
        assert_eq!((d.place.as_str(), doc.slice(d.span)), ("Oslo", "OSLO"));
        assert!(!doc.text.contains("Leave a Reply") && !doc.text.contains("email address"));
        assert!(doc.validate().is_ok());
    }

    #[test]
    fn no_headline_no_title() {
        let doc = assemble(parts(&["This is a sentence that ends with a period.", "Another one."]));
        assert_eq!(doc.title, None);
        assert_eq!(doc.published, None);
        assert_eq!(detect_dateline("GAZA CITY, March 3 (AP) — Text"), Some(("Gaza City".into(), 0, 9)));
        assert_eq!(detect_dateline("The U.S. - China talks"), None);
        assert_eq!(detect_dateline("LYON: The agency said"), Some(("Lyon".into(), 0, 4)));
        assert_eq!(detect_dateline("BRASK, Northern Varnholm: Two ferries sank"), Some(("Brask".into(), 0, 5)));
        assert_eq!(detect_dateline("Note: the figures are provisional"), None);
        assert_eq!(detect_dateline("UPDATE: the talks resumed"), None);
        assert_eq!(detect_dateline("BRASK, where the talks began: a report"), None);
    }
}
