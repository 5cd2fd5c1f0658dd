//! Passages written by us, one per shape the stage must read.

use super::*;
use dateline_model::Document;

fn annotate(text: &str) -> Document {
    let mut doc = Document::new("t", text);
    let stages: Vec<Box<dyn Stage>> = vec![
        Box::new(dateline_nlp::Segmenter),
        Box::new(dateline_nlp::PosTagger::default()),
        Box::new(dateline_syntax::Syntax::default()),
        Box::new(dateline_nlp::Entities::default()),
        Box::new(dateline_nlp::Roles),
        Box::new(Quotes),
    ];
    for s in &stages {
        s.annotate(&mut doc);
    }
    doc
}

/// (kind, speaker, cue, content, via…) of each quote, as text.
fn quotes(text: &str) -> Vec<(String, String, String, String, Vec<String>)> {
    let doc = annotate(text);
    let s = |x: Option<Span>| x.map(|x| doc.slice(x).to_string()).unwrap_or_default();
    doc.quotes
        .iter()
        .map(|q| {
            (
                q.kind.as_str().to_string(),
                s(q.speaker),
                s(q.cue),
                doc.slice(q.content).to_string(),
                q.via.iter().map(|v| doc.slice(v.span).to_string()).collect(),
            )
        })
        .collect()
}

fn one(text: &str) -> (String, String, String, String, Vec<String>) {
    let mut q = quotes(text);
    assert_eq!(q.len(), 1, "{q:?}");
    q.remove(0)
}

#[test]
fn a_quotation_with_its_cue_after_it() {
    let (kind, speaker, cue, content, _) = one("“The bridge will reopen in May,” the council said.");
    assert_eq!((kind.as_str(), speaker.as_str(), cue.as_str()), ("direct", "the council", "said"));
    assert_eq!(content, "The bridge will reopen in May,");
}

#[test]
fn a_quotation_with_its_cue_before_it() {
    let (kind, speaker, cue, content, _) = one("Mayor Ina Voss said, “We will rebuild the harbour.”");
    assert_eq!((kind.as_str(), cue.as_str()), ("direct", "said"));
    assert!(speaker.ends_with("Ina Voss"), "{speaker}");
    assert_eq!(content, "We will rebuild the harbour.");
}

#[test]
fn a_reported_clause_with_its_addressee() {
    let doc = annotate("Karim Vell told Osk Tarn that the ferry would resume service.");
    assert_eq!(doc.quotes.len(), 1, "{:?}", doc.quotes);
    let q = &doc.quotes[0];
    assert_eq!(q.kind, QuoteKind::Indirect);
    assert_eq!(doc.slice(q.speaker.unwrap()), "Karim Vell");
    assert_eq!(doc.slice(q.addressee.unwrap()), "Osk Tarn");
    assert_eq!(doc.slice(q.content), "the ferry would resume service");
}

#[test]
fn conveyed_to_someone_as_reported_by_a_source() {
    let doc = annotate("Vell conveyed to Tarn that talks were the only path, as reported by the Lune website.");
    assert_eq!(doc.quotes.len(), 1, "{:?}", doc.quotes);
    let q = &doc.quotes[0];
    assert_eq!(doc.slice(q.addressee.unwrap()), "Tarn");
    assert_eq!(doc.slice(q.content), "talks were the only path");
    let via: Vec<&str> = q.via.iter().map(|v| doc.slice(v.span)).collect();
    assert_eq!(via, ["the Lune website"]);
}

#[test]
fn a_statement_speaks_for_who_issued_it() {
    let doc = annotate(
        "The Lune Front said in a statement on Sunday that the talks had ended.\n\n\
         “Both sides agreed to meet again,” the statement said, according to Radio Osk.\n\n\
         “The sides also discussed prisoners,” it added.",
    );
    let got: Vec<(&str, &str, Vec<&str>, Vec<&str>)> = doc
        .quotes
        .iter()
        .map(|q| {
            (
                q.kind.as_str(),
                doc.slice(q.speaker.unwrap()),
                q.speaker_refers_to.iter().map(|&s| doc.slice(s)).collect(),
                q.via.iter().map(|v| doc.slice(v.span)).collect(),
            )
        })
        .collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].0, "indirect");
    assert_eq!(got[0].1, "The Lune Front");
    assert_eq!(doc.slice(doc.quotes[0].cue.unwrap()), "said in a statement");
    assert_eq!(got[1], ("direct", "the statement", vec!["The Lune Front"], vec!["Radio Osk"]));
    assert_eq!(got[2].1, "it");
    assert_eq!(got[2].2, ["the statement", "The Lune Front"].to_vec(), "{got:?}");
}

#[test]
fn a_quoted_fragment_in_the_reporters_sentence() {
    let (kind, speaker, _, content, _) = one("The ministry condemned the “reckless” decision of the board.");
    assert_eq!((kind.as_str(), speaker.as_str(), content.as_str()), ("partial", "The ministry", "reckless"));
}

#[test]
fn a_reported_clause_with_a_quoted_part() {
    let (kind, speaker, cue, content, _) = one("The union said the strike would continue “until every demand is met.”");
    assert_eq!((kind.as_str(), speaker.as_str(), cue.as_str()), ("mixed", "The union", "said"));
    assert!(content.starts_with("the strike would continue"), "{content}");
}

#[test]
fn he_is_the_last_person_named() {
    let doc = annotate("Tomas Reyl arrived in Varn on Monday. “We came to listen,” he said.");
    assert_eq!(doc.quotes.len(), 1, "{:?}", doc.quotes);
    let q = &doc.quotes[0];
    assert_eq!(doc.slice(q.speaker.unwrap()), "he");
    let refers: Vec<&str> = q.speaker_refers_to.iter().map(|&s| doc.slice(s)).collect();
    assert_eq!(refers, ["Tomas Reyl"]);
}

#[test]
fn a_quotation_of_two_paragraphs_is_one_quote() {
    let (kind, speaker, _, content, _) =
        one("“First we rebuild the docks.\n\n“Then we hold the vote,” the governor said.");
    assert_eq!((kind.as_str(), speaker.as_str()), ("direct", "the governor"));
    assert!(content.starts_with("First we rebuild") && content.ends_with("vote,"), "{content}");
}

#[test]
fn an_unclosed_mark_is_capped_and_the_rest_is_read() {
    let doc = annotate("The mayor said “the port is closed for the week.\n\nShips waited offshore on Tuesday.");
    assert!(doc.quotes.iter().all(|q| !doc.slice(q.content).contains("Ships")), "{:?}", doc.quotes);
    assert!(doc.quotes.iter().any(|q| q.unclosed));
    assert!(doc.timexes.is_empty() || doc.tokens.len() > 10);
    assert!(doc.tokens.iter().any(|t| doc.slice(t.span) == "Ships"));
}

#[test]
fn narration_is_no_quote() {
    assert!(quotes("The ferry left Osk at noon and reached Varn by dusk. Crews unloaded grain.").is_empty());
}

#[test]
fn attribution_names_whose_words_a_span_is() {
    let doc = annotate("“The bridge will reopen in May,” the council said. Traffic was light.");
    let at = |w: &str| {
        let s = doc.text.find(w).unwrap();
        Span::new(s, s + w.len())
    };
    let q = attribution(&doc, at("reopen")).expect("inside the quote");
    assert_eq!(doc.slice(q.speaker.unwrap()), "the council");
    assert!(attribution(&doc, at("Traffic")).is_none());
}

#[test]
fn a_title_inside_quotation_marks_is_the_speakers_not_the_systems() {
    let said = annotate("“General Ivo Darn must go,” the mayor said. Harbour Minister Lena Morv agreed.");
    let titles: Vec<&str> = said.roles.iter().map(|r| said.slice(r.title)).collect();
    assert!(!titles.contains(&"General"), "{titles:?}");
    assert!(titles.contains(&"Harbour Minister"), "{titles:?}");
}

#[test]
fn words_said_in_a_meeting_are_said_to_the_other_side() {
    let doc = annotate("In talks with Osk Tarn and his team, the governor said, “The port will reopen.”");
    assert_eq!(doc.quotes.len(), 1, "{:?}", doc.quotes);
    let to = doc.quotes[0].addressee.map(|a| doc.slice(a));
    assert!(to.is_some_and(|t| t.starts_with("Osk Tarn")), "{to:?}");
}
