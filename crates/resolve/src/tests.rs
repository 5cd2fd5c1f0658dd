//! The entities layer on texts written for these tests, and the cross-document decisions on
//! profiles made by hand.

use crate::across::{decide, Profile};
use crate::within::resolve_document;
use dateline_events::Dictionaries;
use dateline_model::{Document, EntityType, RefKind, Stage};

fn annotate(text: &str) -> Document {
    let mut doc = Document::new("t", text);
    let stages: Vec<Box<dyn Stage>> = vec![
        Box::new(dateline_nlp::Segmenter),
        Box::new(dateline_nlp::PosTagger::default()),
        Box::new(dateline_syntax::Syntax::default()),
        Box::new(dateline_nlp::Entities::default()),
        Box::new(dateline_nlp::Roles),
        Box::new(dateline_time::TimeTagger),
        Box::new(dateline_quotes::Quotes),
    ];
    for s in &stages {
        s.annotate(&mut doc);
    }
    doc.entities = resolve_document(&doc, Dictionaries::builtin());
    doc
}

/// The entity a piece of text is a reference of, by its name.
fn entity_of<'d>(doc: &'d Document, text: &str, nth: usize) -> Option<&'d str> {
    let start = doc.text.match_indices(text).nth(nth).expect("text in document").0;
    doc.entities
        .iter()
        .find(|e| e.references.iter().any(|r| r.span.start == start && r.span.end == start + text.len()))
        .map(|e| e.name.as_str())
}

#[test]
fn short_names_titles_and_pronouns_find_the_full_name() {
    let doc = annotate(
        "Norwegian President Ingrid Solberg met Farid al-Mansouri in Oslo on Monday.\n\n\
         Solberg told reporters that the talks had gone well. She said a second round would follow.\n\n\
         Mansouri, who leads the Coastal Fishers Union, did not comment. The president later left for Bergen.",
    );
    assert_eq!(entity_of(&doc, "Solberg", 1), Some("Ingrid Solberg"));
    assert_eq!(entity_of(&doc, "Mansouri", 1), Some("Farid al-Mansouri"));
    assert_eq!(entity_of(&doc, "She", 0), Some("Ingrid Solberg"));
    assert_eq!(entity_of(&doc, "The president", 0), Some("Ingrid Solberg"));
    assert_eq!(entity_of(&doc, "Norwegian", 0), Some("Norway"));
    let solberg = doc.entities.iter().find(|e| e.name == "Ingrid Solberg").unwrap();
    // Every reference that is not the name points to its evidence.
    assert!(solberg.references.iter().all(|r| r.how == RefKind::Name || r.evidence.is_some()), "{solberg:?}");
    assert!(!solberg.roles.is_empty());
}

#[test]
fn acronyms_join_their_expansion_and_shared_surnames_stay_apart() {
    let doc = annotate(
        "The National Water Authority (NWA) said on Tuesday that prices would rise.\n\n\
         Tomas Harlow, a farmer, and Agnes Harlow, a teacher, protested outside its office. \
         Harlow said the rise was unfair. The NWA did not answer.",
    );
    assert_eq!(entity_of(&doc, "NWA", 1), Some("National Water Authority"));
    // "Harlow" could be either: it is left alone, never given to one of them.
    let lone = entity_of(&doc, "Harlow", 2);
    assert!(lone != Some("Tomas Harlow") && lone != Some("Agnes Harlow"), "{lone:?}");
    assert_ne!(entity_of(&doc, "Tomas Harlow", 0), entity_of(&doc, "Agnes Harlow", 0));
}

#[test]
fn the_two_leaders_are_the_last_two_people_named() {
    let doc = annotate(
        "Prime Minister Jonas Dahl met Chancellor Petra Maurer in Vienna. \
         The two leaders agreed to meet again in May.",
    );
    let group = doc.entities.iter().find(|e| !e.members.is_empty()).expect("a group");
    let members: Vec<&str> = group.members.iter().map(|&m| doc.entities[m].name.as_str()).collect();
    assert_eq!(members, ["Jonas Dahl", "Petra Maurer"], "{:?}", doc.entities);
    assert_eq!(group.kind, EntityType::Person);
    assert_eq!(group.references[0].how, RefKind::Group);
}

fn person(name: &str, names: &[&str], roles: &[&str], context: &[&str]) -> Profile {
    Profile {
        kind: "PERSON".into(),
        name: name.into(),
        names: names.iter().map(|s| s.to_string()).collect(),
        roles: roles.iter().map(|s| s.to_string()).collect(),
        context: context.iter().map(|s| s.to_string()).collect(),
        ..Profile::default()
    }
}

#[test]
fn a_spelling_variant_needs_corroboration() {
    let stored =
        person("Farid al-Mansouri", &["farid al-mansouri", "mansouri"], &["leader"], &["coastal fishers union"]);
    let variant = person("Farid al-Mansuri", &["farid al-mansuri"], &[], &["coastal fishers union"]);
    let (i, ev) = decide(&variant, std::slice::from_ref(&stored)).expect("linked");
    assert_eq!((i, ev.kind.as_str()), (0, "spelling_variant"));
    assert!(ev.corroboration.iter().any(|c| c.contains("coastal fishers union")));
    let alone = person("Farid al-Mansuri", &["farid al-mansuri"], &[], &["someone else"]);
    assert_eq!(decide(&alone, std::slice::from_ref(&stored)), None, "no corroboration, no merge");
    // The same full name needs nothing more.
    let same = person("Farid al-Mansouri", &["farid al-mansouri"], &[], &[]);
    assert_eq!(decide(&same, &[stored]).unwrap().1.kind, "same_name");
}

#[test]
fn a_shared_surname_or_first_name_is_not_one_person() {
    let tomas = person("Tomas Harlow", &["tomas harlow", "harlow"], &["farmer"], &["national water authority"]);
    let agnes = person("Agnes Harlow", &["agnes harlow", "harlow"], &["farmer"], &["national water authority"]);
    assert_eq!(decide(&agnes, std::slice::from_ref(&tomas)), None);
    let tomas_other = person("Tomas Berg", &["tomas berg"], &["farmer"], &["national water authority"]);
    assert_eq!(decide(&tomas_other, std::slice::from_ref(&tomas)), None);
    // A lone surname joins only with a shared role or two shared co-mentions, not one.
    let lone = person("Harlow", &["harlow"], &[], &["national water authority"]);
    assert_eq!(decide(&lone, std::slice::from_ref(&tomas)), None);
    let lone_farmer = person("Harlow", &["harlow"], &["farmer"], &[]);
    assert_eq!(decide(&lone_farmer, std::slice::from_ref(&tomas)).unwrap().1.kind, "spelling_variant");
    // Two farmers Harlow: the lone surname cannot say which.
    assert_eq!(decide(&lone_farmer, &[tomas, agnes]), None);
}

#[test]
fn an_organisation_inside_another_name_needs_a_description() {
    let org = |name: &str, names: &[&str], descriptions: &[&str]| Profile {
        kind: "ORG".into(),
        name: name.into(),
        names: names.iter().map(|s| s.to_string()).collect(),
        descriptions: descriptions.iter().map(|s| s.to_string()).collect(),
        ..Profile::default()
    };
    let full = org("Northern Coastal Fishers Union", &["northern coastal fishers union"], &["trade", "union"]);
    let short = org("Coastal Fishers Union", &["coastal fishers union"], &["union"]);
    assert_eq!(decide(&short, std::slice::from_ref(&full)).unwrap().1.kind, "contained_name");
    let undescribed = org("Coastal Fishers Union", &["coastal fishers union"], &[]);
    assert_eq!(decide(&undescribed, &[full]), None);
    let keys = short.keys();
    assert!(keys.contains(&"o:ORG:fishers union".to_string()), "{keys:?}");
}
