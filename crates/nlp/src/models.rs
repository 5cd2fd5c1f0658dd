//! The built-in models, compiled into the binary so that a fresh clone works with no download
//! and no data files. Each is decoded once, on first use.

use crate::ner::Ner;
use crate::tagger::Tagger;
use std::sync::OnceLock;

static TAGGER_BYTES: &[u8] = include_bytes!("../models/pos.model");

/// The built-in part-of-speech tagger (trained on CoNLL-2003 train by `dateline train tagger`).
pub fn tagger() -> &'static Tagger {
    static T: OnceLock<Tagger> = OnceLock::new();
    T.get_or_init(|| Tagger::from_bytes(TAGGER_BYTES).expect("the built-in tagger model is valid"))
}

static NER_BYTES: &[u8] = include_bytes!("../models/ner.model");

/// The built-in entity recognizer (trained on CoNLL-2003 train by `dateline train ner`).
pub fn ner() -> &'static Ner {
    static N: OnceLock<Ner> = OnceLock::new();
    N.get_or_init(|| Ner::from_bytes(NER_BYTES).expect("the built-in entity model is valid"))
}
