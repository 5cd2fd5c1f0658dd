//! Language analysis of news English: tokens, sentences and named-entity mentions.
//!
//! Owns: the tokenizer ([`tokenize`]), the sentence splitter ([`segment`]), the
//! [`EntityRecognizer`] interface with its current implementation (a rule and gazetteer pass,
//! [`RuleRecognizer`]), the word lists and the place gazetteer those use, and the pipeline
//! [`Stage`]s that put their output on a [`Document`].
//!
//! Must never: do I/O (its data files are compiled in), change a document's text, or know about
//! storage, the CLI or any later layer (time, events).

pub mod gazetteer;
pub mod lexicon;
mod rules;
mod segment;
mod tokenize;

pub use rules::RuleRecognizer;
pub use segment::segment;
pub use tokenize::{tokenize, tokenize_into};

use dateline_model::{Document, Mention, Sentence, Span, Stage, Token};

/// Finds named-entity mentions in tokenized, sentence-split text.
pub trait EntityRecognizer: Send + Sync {
    /// Mentions in `text`, given sentence and token byte spans; returned in text order, not
    /// overlapping.
    fn recognize(&self, text: &str, sentences: &[Span], tokens: &[Span]) -> Vec<Mention>;
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
        doc.tokens = spans.into_iter().map(|span| Token { span, pos: None }).collect();
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
        Entities::new(Box::new(RuleRecognizer))
    }
}

impl Stage for Entities {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn annotate(&self, doc: &mut Document) {
        let sentences: Vec<Span> = doc.sentences.iter().map(|s| s.span).collect();
        let tokens: Vec<Span> = doc.tokens.iter().map(|t| t.span).collect();
        doc.mentions = self.recognizer.recognize(&doc.text, &sentences, &tokens);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentions(text: &str) -> Vec<(String, &'static str)> {
        let mut doc = Document::new("t", text);
        Segmenter.annotate(&mut doc);
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
    fn no_common_words() {
        let got = mentions("The talks ended on Monday. During March, officials met.");
        assert!(got.is_empty(), "{got:?}");
    }
}
