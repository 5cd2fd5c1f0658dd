//! Identities: which references are one person, organisation, place or group, within a
//! document and across the store.
//!
//! Owns: name matching ([`names`]: particles, transliteration keys, initials, string
//! similarity); the entities layer of a document ([`within`]: names and their shorter forms,
//! acronyms, demonyms, definite descriptions by title read through the roles layer, subject
//! and speaker pronouns, "the two leaders"), with the evidence of every reference; the
//! [`DocumentEntities`] stage; and the decisions that link a document's entities to stored
//! identities ([`across`]: blocking keys, the kinds of evidence, and when evidence is
//! enough).
//!
//! Must never: merge without evidence (every reference that is not a name itself points to
//! what links it; every cross-document link names its evidence), merge two people on a shared
//! surname or first name alone, compare a document with every stored identity (candidates
//! come from blocking keys, so the cost per document does not grow with the store), or do I/O:
//! the store asks [`across`] what to do and writes the answer.

pub mod across;
pub mod names;
pub mod within;

#[cfg(test)]
mod tests;

use dateline_events::Dictionaries;
use dateline_model::{Document, Stage};

/// Our identity test set (`data/identities.jsonl`, see its README): what `dateline eval
/// identities` scores by default.
pub const IDENTITY_SET: &str = include_str!("../data/identities.jsonl");

/// The stage that adds the entities layer. It runs after quotes (whose speakers it reads) and
/// before events (whose actors it names).
pub struct DocumentEntities {
    dictionaries: &'static Dictionaries,
}

impl Default for DocumentEntities {
    fn default() -> Self {
        DocumentEntities { dictionaries: Dictionaries::builtin() }
    }
}

impl Stage for DocumentEntities {
    fn name(&self) -> &'static str {
        "resolve"
    }

    fn annotate(&self, doc: &mut Document) {
        doc.entities = within::resolve_document(doc, self.dictionaries);
    }
}
