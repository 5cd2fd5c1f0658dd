//! CoNLL-U treebanks with everything the parser and the lemmatizer learn from: words, tags,
//! lemmas, heads and relations. The reader is the corpus reader's ([`dateline_nlp::corpus`]),
//! which the tagger's CoNLL-U reading shares; this module adds what only parsing needs.

pub use dateline_nlp::corpus::{read_treebank, Tree};
