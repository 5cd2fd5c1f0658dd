//! The dateline document model.
//!
//! This crate owns the one data structure every other crate works on: a [`Document`] — the
//! cleaned text of one article, its metadata, and annotation layers that refer to the text by
//! [`Span`]s — and the versioned JSON contract in which a document leaves the process.
//!
//! Owns:
//! - [`Document`], [`Span`] and the layer types (sentences, tokens, entity mentions, …);
//! - the [`Stage`] trait that every pipeline stage implements;
//! - the JSON wire format (see [`wire`]), including the conversion between the in-memory byte
//!   offsets and the Unicode code-point offsets of the contract.
//!
//! Must never: read or write files, open databases or sockets, or know how any layer is
//! computed. It is plain data plus the rules that keep that data consistent.

mod document;
mod published;
mod span;
pub mod storage;
pub mod wire;

pub use document::{
    content_hash, CountKind, Dateline, Description, Document, Entity, EntityRef, EntityType, Event, EventActor,
    EventCount, EventStatus, Mention, PublishedOrigin, Quote, QuoteKind, QuoteSource, RefKind, Role, Sentence, Timex,
    TimexType, Token,
};
pub use published::{month_number, ParsePublishedError, Published};
pub use span::{CharIndex, Span};

/// Version of the JSON contract written by [`wire`]. Additive changes (new keys, new layers)
/// keep the number; anything that changes the meaning of an existing key bumps it.
pub const SCHEMA_VERSION: u32 = 1;

/// One step of the annotation pipeline.
///
/// A stage reads the layers it depends on and adds its own. It performs no I/O and never edits
/// `text`: spans of earlier layers stay valid for the life of the document.
pub trait Stage: Send + Sync {
    /// Short name, used in progress and error messages.
    fn name(&self) -> &'static str;
    /// Adds this stage's layer(s) to `doc`.
    fn annotate(&self, doc: &mut Document);
}
