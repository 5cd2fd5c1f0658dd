//! Syntax: the dependency parse and the lemma of every word.
//!
//! Owns: the CoNLL-U treebank reader used for training ([`treebank`]), the transition-based
//! dependency parser ([`parser`]: arc-hybrid, dynamic oracle, averaged perceptron, each arc
//! labelled as it is made; [`projective`]: crossing arcs lifted for training and lowered back
//! after parsing), the lemmatizer ([`lemma`]: suffix rules and exceptions
//! learnt from gold lemmas), the built-in models (compiled in), the [`Syntax`] stage that
//! puts heads, relations and lemmas on a document's tokens, and the clause view later stages
//! read ([`clause`]: predicates with their subjects, objects, obliques and case markers,
//! passive, negation, modality, reported clauses).
//!
//! Must never: do I/O (models are compiled in), change tokens, sentences or tags (it reads the
//! tagger's), or know about entities, time, events or storage.

pub mod clause;
pub mod lemma;
pub mod parser;
pub mod projective;
pub mod treebank;

use dateline_model::{Document, Stage};
use dateline_nlp::sentence_token_ranges;
use std::borrow::Cow;
use std::sync::OnceLock;

pub use lemma::Lemmatizer;
pub use parser::{Parse, Parser};

/// The built-in parser, or `None` in a build made before one was trained.
pub fn builtin_parser() -> Option<&'static Parser> {
    static P: OnceLock<Option<Parser>> = OnceLock::new();
    P.get_or_init(|| {
        let bytes: &[u8] = include_bytes!("../models/parser.model");
        (!bytes.is_empty()).then(|| Parser::from_bytes(bytes).expect("the built-in parser model reads"))
    })
    .as_ref()
}

/// Whether running text has the word: the built-in word clusters' vocabulary (47,000 words of
/// news and other text), what the lemmatizer checks its rules' lemmas against.
pub fn known_word(word: &str) -> bool {
    dateline_nlp::clusters::builtin().of(word).is_some()
}

/// The built-in lemmatizer, or `None` in a build made before one was trained.
pub fn builtin_lemmatizer() -> Option<&'static Lemmatizer> {
    static L: OnceLock<Option<Lemmatizer>> = OnceLock::new();
    L.get_or_init(|| {
        let bytes: &[u8] = include_bytes!("../models/lemma.model");
        (!bytes.is_empty()).then(|| {
            Lemmatizer::from_bytes(bytes).expect("the built-in lemmatizer model reads").with_vocabulary(known_word)
        })
    })
    .as_ref()
}

/// Stage: lemmas, heads and relations on every token, sentence by sentence. Heads are token
/// indices into the document (never across sentences); the root's head is `None`.
pub struct Syntax {
    parser: Option<&'static Parser>,
    lemmatizer: Option<&'static Lemmatizer>,
}

impl Default for Syntax {
    fn default() -> Self {
        Syntax { parser: builtin_parser(), lemmatizer: builtin_lemmatizer() }
    }
}

impl Syntax {
    pub fn new(parser: Option<&'static Parser>, lemmatizer: Option<&'static Lemmatizer>) -> Self {
        Syntax { parser, lemmatizer }
    }
}

impl Stage for Syntax {
    fn name(&self) -> &'static str {
        "syntax"
    }

    fn annotate(&self, doc: &mut Document) {
        for (a, b) in sentence_token_ranges(doc) {
            let words: Vec<&str> = doc.tokens[a..b].iter().map(|t| &doc.text[t.span.start..t.span.end]).collect();
            let tags: Vec<&str> = doc.tokens[a..b].iter().map(|t| t.pos.as_deref().unwrap_or("NN")).collect();
            let lemmas: Option<Vec<String>> =
                self.lemmatizer.map(|l| words.iter().zip(&tags).map(|(w, t)| l.lemma(w, t)).collect());
            // The dateline ("BRASK -") is no part of its sentence's grammar: the rest is
            // parsed alone, and the dateline hangs on the rest's root.
            let skip = dateline_words(doc, a, b);
            let parse = self.parser.map(|p| p.parse(&words[skip..], &tags[skip..]));
            let mut lemmas = lemmas.map(Vec::into_iter);
            let root = parse.as_ref().and_then(|p| p.heads.iter().position(Option::is_none)).map(|r| a + skip + r);
            for (k, tok) in doc.tokens[a..b].iter_mut().enumerate() {
                if let Some(l) = lemmas.as_mut().and_then(Iterator::next) {
                    tok.lemma = Some(l);
                }
                let Some(p) = &parse else { continue };
                if k < skip {
                    let mark = words[k].chars().all(|c| !c.is_alphanumeric());
                    tok.head = root;
                    tok.deprel = Some(Cow::Borrowed(if mark { "punct" } else { "dep" }));
                } else {
                    tok.head = p.heads[k - skip].map(|h| a + skip + h);
                    tok.deprel = Some(Cow::Borrowed(p.deprels[k - skip]));
                }
            }
        }
    }
}

/// How many words at the start of sentence `a..b` are its dateline: the place and the dash or
/// colon after it; none when the sentence would be left empty.
fn dateline_words(doc: &Document, a: usize, b: usize) -> usize {
    let Some(d) = &doc.dateline else { return 0 };
    let tokens = &doc.tokens[a..b];
    if tokens.first().is_none_or(|t| t.span.start != d.span.start) {
        return 0;
    }
    let separator = |t: &dateline_model::Token| matches!(doc.slice(t.span), "-" | "--" | "—" | "–" | ":");
    let mut n = tokens.iter().take_while(|t| t.span.end <= d.span.end).count();
    // What stands between the place and its dash or colon is the dateline's too: ", May 3
    // (AP)", ", Palestinian Territories" (no verb among it).
    if let Some(k) = tokens.iter().skip(n).take(10).position(separator) {
        let between = &tokens[n..n + k];
        if between.iter().all(|t| !t.pos.as_deref().is_some_and(|p| p.starts_with("VB") || p == "MD")) {
            n += k;
        }
    }
    while tokens.get(n).is_some_and(separator) {
        n += 1;
    }
    if n >= tokens.len() {
        0
    } else {
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clause::{main_clause, Modality};

    /// A document through segmentation, tagging and syntax, and a token finder.
    fn parsed(text: &str) -> Document {
        let mut doc = Document::new("t", text);
        dateline_nlp::Segmenter.annotate(&mut doc);
        dateline_nlp::PosTagger::default().annotate(&mut doc);
        Syntax::default().annotate(&mut doc);
        doc
    }

    fn word(doc: &Document, i: usize) -> &str {
        doc.slice(doc.tokens[i].span)
    }

    /// The name an argument's head stands for, as written.
    fn name(doc: &Document, head: usize) -> &str {
        let (a, b) = clause::name_extent(doc, head);
        &doc.text[doc.tokens[a].span.start..doc.tokens[b].span.end]
    }

    /// Sets arcs (dependent, head, relation) by hand: a misparse a test's reading must mend,
    /// whatever the parser makes of the sentence.
    fn set_arcs(doc: &mut Document, arcs: &[(usize, usize, &'static str)]) {
        for &(dep, head, rel) in arcs {
            doc.tokens[dep].head = Some(head);
            doc.tokens[dep].deprel = Some(Cow::Borrowed(rel));
        }
    }

    fn find(doc: &Document, w: &str) -> usize {
        doc.tokens.iter().position(|t| doc.slice(t.span) == w).unwrap_or_else(|| panic!("no token {w:?}"))
    }

    #[test]
    fn every_token_gets_a_lemma_and_a_head_in_its_sentence() {
        if builtin_parser().is_none() {
            return;
        }
        let doc = parsed("Crews ran the ferries again. Two ports reopened on Monday.");
        let ranges = sentence_token_ranges(&doc);
        for (a, b) in ranges {
            let roots = (a..b).filter(|&i| doc.tokens[i].head.is_none()).count();
            assert_eq!(roots, 1, "one root per sentence");
            for i in a..b {
                assert!(doc.tokens[i].head.is_none_or(|h| (a..b).contains(&h) && h != i));
                assert!(doc.tokens[i].lemma.is_some() && doc.tokens[i].deprel.is_some());
            }
        }
        assert_eq!(doc.tokens[find(&doc, "ran")].lemma.as_deref(), Some("run"));
        assert_eq!(doc.tokens[find(&doc, "ports")].lemma.as_deref(), Some("port"));
    }

    /// The shapes of the event sentences the project started from, in sentences of our own.
    #[test]
    fn main_predicates_get_their_subjects_objects_and_obliques() {
        if builtin_parser().is_none() {
            return;
        }
        // "X, the chief of Y, met with President Z in Oslo on Monday."
        let doc =
            parsed("Karim Vell, the chief of the Lune Front, met with Norwegian President Ada Tarn in Oslo on Monday.");
        let c = main_clause(&doc, 0).unwrap();
        assert_eq!(word(&doc, c.predicate), "met");
        let subjects: Vec<&str> = c.subjects.iter().map(|a| name(&doc, a.head)).collect();
        assert_eq!(subjects, ["Karim Vell"]);
        let obliques: Vec<(&str, &str)> =
            c.obliques.iter().map(|a| (name(&doc, a.head), a.case.map_or("", |k| word(&doc, k)))).collect();
        for want in [("Ada Tarn", "with"), ("Monday", "on")] {
            assert!(obliques.contains(&want), "{want:?} in {obliques:?}");
        }

        // "X arrived in Iran earlier on Monday."
        let doc = parsed("Mira Osk arrived in Bergen earlier on Tuesday.");
        let c = main_clause(&doc, 0).unwrap();
        assert_eq!(word(&doc, c.predicate), "arrived");
        let obliques: Vec<&str> = c.obliques.iter().map(|a| word(&doc, a.head)).collect();
        assert!(obliques.contains(&"Bergen") && obliques.contains(&"Tuesday"), "{obliques:?}");

        // Coordinated objects are two objects.
        let doc = parsed("The envoy met the mayor and the governor.");
        let c = main_clause(&doc, 0).unwrap();
        let objects: Vec<&str> = c.objects.iter().map(|a| word(&doc, a.head)).collect();
        assert_eq!(objects, ["mayor", "governor"]);
    }

    /// The second conjunct of an object hung on the verb with no case marker ("raided
    /// Varnholm and the Lune Front", "Front" read as the verb's oblique) is still an object.
    #[test]
    fn an_unmarked_oblique_opening_with_and_is_the_objects_conjunct() {
        if builtin_parser().is_none() {
            return;
        }
        let mut doc = parsed("Kestrelian soldiers raided Varnholm and the Lune Front.");
        let (raided, front) = (find(&doc, "raided"), find(&doc, "Front"));
        doc.tokens[front].head = Some(raided);
        doc.tokens[front].deprel = Some("obl".into());
        let c = main_clause(&doc, 0).unwrap();
        let objects: Vec<&str> = c.objects.iter().map(|a| word(&doc, a.head)).collect();
        assert_eq!(objects, ["Varnholm", "Front"]);
        assert!(c.obliques.is_empty());
    }

    /// A place after a person's name belongs to the verb ("met with X in Oslo"); the greedy
    /// parser attaches it to the name. Kept as the measure of a known miss (issue 12).
    #[test]
    #[ignore = "known miss: prepositional phrase after a name attached to the name"]
    fn a_place_after_a_name_is_the_verbs_oblique() {
        let doc =
            parsed("Karim Vell, the chief of the Lune Front, met with Norwegian President Ada Tarn in Oslo on Monday.");
        let c = main_clause(&doc, 0).unwrap();
        let obliques: Vec<&str> = c.obliques.iter().map(|a| name(&doc, a.head)).collect();
        assert!(obliques.contains(&"Oslo"), "{obliques:?}");
    }

    /// The dateline is parsed apart: the sentence's subject is the name after it, and the
    /// place hangs on the root.
    #[test]
    fn the_dateline_is_no_part_of_the_sentence() {
        if builtin_parser().is_none() {
            return;
        }
        // A story from Brask, its dateline found by ingest.
        let from_brask = |text: &str| {
            let mut doc = Document::new("t", text);
            let span = dateline_model::Span::new(0, 5);
            doc.dateline = Some(dateline_model::Dateline { place: "Brask".into(), span });
            dateline_nlp::Segmenter.annotate(&mut doc);
            dateline_nlp::PosTagger::default().annotate(&mut doc);
            Syntax::default().annotate(&mut doc);
            doc
        };
        let doc = from_brask("BRASK - Karim Vell, the chief of the Lune Front, has met in Brask with Osk Marn.");
        let c = main_clause(&doc, 0).unwrap();
        assert_eq!(word(&doc, c.predicate), "met");
        assert_eq!(c.subjects.iter().map(|a| word(&doc, a.head)).collect::<Vec<_>>(), ["Karim"]);
        assert_eq!(doc.tokens[0].head, Some(c.predicate));
        // A region between the place and the colon is the dateline's too.
        let doc = from_brask("BRASK, Northern Varnholm: Two ferries sank near the harbour.");
        let c = main_clause(&doc, 0).unwrap();
        assert_eq!(word(&doc, c.predicate), "sank");
        assert_eq!(c.subjects.iter().map(|a| word(&doc, a.head)).collect::<Vec<_>>(), ["ferries"]);
        let varnholm = find(&doc, "Varnholm");
        assert_eq!(doc.tokens[varnholm].head, Some(c.predicate));
    }

    #[test]
    fn modality_negation_passive_and_reported_clauses() {
        if builtin_parser().is_none() {
            return;
        }
        let doc = parsed("The minister is scheduled to hold talks with the mayor.");
        let hold = clause::clause_of(&doc, find(&doc, "hold")).unwrap();
        assert_eq!(hold.modality, Some(Modality::Future));
        assert_eq!(hold.subjects.iter().map(|a| word(&doc, a.head)).collect::<Vec<_>>(), ["minister"]);
        assert!(!hold.committed, "a schedule is not the subject's promise");

        // A list of subjects stays one list however the parse splits it.
        let doc = parsed("The UK, Kenya, and Norway met yesterday.");
        let subjects: Vec<&str> = main_clause(&doc, 0).unwrap().subjects.iter().map(|a| word(&doc, a.head)).collect();
        for name in ["UK", "Kenya", "Norway"] {
            assert!(subjects.contains(&name), "{subjects:?}");
        }

        let doc = parsed("The mayor wants to close the bridge.");
        let close = clause::clause_of(&doc, find(&doc, "close")).unwrap();
        assert_eq!((close.modality, close.committed), (Some(Modality::Future), false));

        // Who does an open complement's act: the head's object ("wants the police to"),
        // except after a promise, where the promiser does.
        let doc = parsed("The mayor wants the police to close the bridge.");
        let close = clause::clause_of(&doc, find(&doc, "close")).unwrap();
        assert_eq!(close.subjects.iter().map(|a| word(&doc, a.head)).collect::<Vec<_>>(), ["police"]);
        let doc = parsed("The mayor promised the police to close the bridge.");
        let close = clause::clause_of(&doc, find(&doc, "close")).unwrap();
        assert_eq!(close.subjects.iter().map(|a| word(&doc, a.head)).collect::<Vec<_>>(), ["mayor"]);

        let doc = parsed("The ministry agreed to release the prisoners.");
        let release = clause::clause_of(&doc, find(&doc, "release")).unwrap();
        assert!(release.committed && release.modality == Some(Modality::Future));
        assert_eq!(main_clause(&doc, 0).unwrap().promise, Some(release.predicate));

        let doc = parsed("The council did not approve the plan.");
        assert!(main_clause(&doc, 0).unwrap().negated);

        let doc = parsed("The bridge was closed by the police.");
        assert!(main_clause(&doc, 0).unwrap().passive);
        // A common noun side by side with names describes them; it is no subject of its own.
        let doc = parsed("Kestrelian rebel groups Lune Front and Iron Hand met in Brask.");
        let met = main_clause(&doc, 0).unwrap();
        let subjects: Vec<&str> = met.subjects.iter().map(|a| word(&doc, a.head)).collect();
        assert!(!subjects.contains(&"groups"), "{subjects:?}");
        assert!(met.subjects.iter().all(|a| a.descriptor.is_some_and(|d| word(&doc, d) == "groups")), "{met:?}");
        // A subject read as a participle's, the participle hung on the main verb as an
        // adverbial clause: the misread reduced relative is mended. (The parse is set so,
        // whatever the parser makes of it.)
        let mut doc = parsed("The civilians detained for protesting against Brask were released yesterday.");
        let (civilians, detained, released) = (find(&doc, "civilians"), find(&doc, "detained"), find(&doc, "released"));
        set_arcs(&mut doc, &[(civilians, detained, "nsubj"), (detained, released, "advcl")]);
        let released = clause::clause_of(&doc, find(&doc, "released")).unwrap();
        assert_eq!(released.subjects.iter().map(|a| word(&doc, a.head)).collect::<Vec<_>>(), ["civilians"]);
        assert!(clause::clause_of(&doc, find(&doc, "detained")).unwrap().passive);
        // A verb with two subjects, the first modified by a participle with a direct object:
        // the participle is the misread finite verb of the report's content, and the
        // reporting verb keeps the other subject. (The parse is set so.)
        let mut doc = parsed("Kestrelian tanks shelled the bridge, witnesses said.");
        let (tanks, shelled, said) = (find(&doc, "tanks"), find(&doc, "shelled"), find(&doc, "said"));
        doc.tokens[shelled].pos = Some("VBN".into());
        let witnesses = find(&doc, "witnesses");
        set_arcs(&mut doc, &[(tanks, said, "nsubj"), (shelled, tanks, "acl"), (witnesses, said, "nsubj")]);
        let shelled = clause::clause_of(&doc, shelled).unwrap();
        assert_eq!(shelled.subjects.iter().map(|a| word(&doc, a.head)).collect::<Vec<_>>(), ["tanks"]);
        assert!(!shelled.passive);
        let said = clause::clause_of(&doc, said).unwrap();
        assert_eq!(said.subjects.iter().map(|a| word(&doc, a.head)).collect::<Vec<_>>(), ["witnesses"]);
        // A participle on a noun is a reduced passive whose subject is the noun.
        let doc = parsed("The ferries seized by the police left the harbour.");
        let seized = clause::clause_of(&doc, find(&doc, "seized")).unwrap();
        assert!(seized.passive);
        assert_eq!(seized.subjects.iter().map(|a| word(&doc, a.head)).collect::<Vec<_>>(), ["ferries"]);

        let doc = parsed("The council said that the talks would resume.");
        let c = main_clause(&doc, 0).unwrap();
        assert_eq!(word(&doc, c.predicate), "said");
        let reported = c.reported.expect("a reported clause");
        assert_eq!(word(&doc, reported), "resume");
        // A reported "would" is the reported "will"; with a pronoun subject, the speaker's intent.
        let resume = clause::clause_of(&doc, reported).unwrap();
        assert_eq!((resume.modality, resume.committed), (Some(Modality::Future), false));
        let doc = parsed("The council said it would close the bridge.");
        let close = clause::clause_of(&doc, find(&doc, "close")).unwrap();
        assert_eq!((close.modality, close.committed), (Some(Modality::Future), true));
        let doc = parsed("The council said it could close the bridge.");
        assert_eq!(clause::clause_of(&doc, find(&doc, "close")).unwrap().modality, Some(Modality::Possible));
    }
}
