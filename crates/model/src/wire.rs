//! The JSON contract: how a [`Document`] is written out and read back.
//!
//! ```json
//! {"schema": 1, "id": "…", "source": "…", "title": "…" | null, "published": "2024-03-30T21:28" | null,
//!  "dateline": {"place": "Tehran", "start": 0, "end": 6, "text": "TEHRAN"} | null,
//!  "text": "…",
//!  "sentences": [{"start", "end", "text"}],
//!  "tokens": [{"start", "end", "text", "pos"?, "lemma"?, "head"?: token index | null (root),
//!              "deprel"?}],
//!  "mentions": [{"start", "end", "text", "type": "PERSON"|"ORG"|"PLACE"|"MISC", "country"?,
//!                "entity"?: index into "entities" (written, never read: the entities layer is
//!                the source of truth)}],
//!  "roles": [{"start", "end", "text", "title": {span}, "person": {span},
//!             "of": {"name", "start", "end", "text"} | null}],
//!  "quotes": [{"start", "end", "text", "kind": "direct" | "indirect" | "mixed" | "partial",
//!              "content": {span}, "cue": {span} | null,
//!              "speaker": {"start", "end", "text", "refers_to": [{span}, …]} | null,
//!              "addressee": {span} | null, "via": [{"start", "end", "text", "description": {span} | null}],
//!              "unclosed": true (only when so)}],
//!  "descriptions": [{"start", "end", "text", "description": {span}, "entity": {span},
//!                    "of": {"name", "start", "end", "text"} | null}],
//!  "timexes": [{"start", "end", "text", "type": "DATE"|"TIME"|"DURATION"|"SET",
//!               "value": "2024-03-28TNI" | null, "mod"?, "end_value"?}],
//!  "events": [{"start", "end", "text", "trigger": {span}, "cameo": "036" | null, "plover": "CONSULT" | null,
//!              "plover_mode": "visit" | null, "quad_class": 1..4 | null, "goldstein": -10..10 | null,
//!              "source": [{"start", "end", "text", "code": "IRNGOV" | null, "type": "PERSON" | … | null}],
//!              "target": [same, each with "entity"?: index into "entities"], "time": {"start", "end", "text", "value"} | null, "place": {span} | null,
//!              "status": "asserted" | "negated" | "planned" | "hypothetical", "historical": bool,
//!              "attribution": {"start", "end", "text", "speaker": {span} | null, "via": [{span}]} | null,
//!              "killed"?: {"count", "start", "end", "text"}, "injured"?, "arrested"?, "displaced"?}],
//!  "entities": [{"type", "name", "code": "IRNGOV" | null,
//!                "references": [{"start", "end", "text", "how": "name" | "short" | "acronym" |
//!                                "variant" | "demonym" | "title" | "pronoun" | "group",
//!                                "evidence": {span} | null}],
//!                "roles": [index into "roles"], "descriptions": [index into "descriptions"],
//!                "members": [index into "entities"] (a group's)}],
//!  "hash": "…", "outlet": "…" | null, "title_span": {"start", "end", "text"} | null,
//!  "published_evidence": {"origin": "text"|"metadata"|"user", "field"?, "start"?, "end"?, "text"?} | null}
//! ```
//!
//! All offsets are Unicode code-point offsets into `text` (as Python and JavaScript index
//! strings), and every object with `start`/`end` also carries the `text` it covers, so a reader
//! can check any span without trusting us. New layers are added as new keys; existing keys keep
//! their meaning for a given [`SCHEMA_VERSION`](crate::SCHEMA_VERSION).

use crate::{
    CharIndex, CountKind, Dateline, Description, Document, Entity, EntityRef, EntityType, Event, EventActor,
    EventCount, EventStatus, Mention, Published, PublishedOrigin, Quote, QuoteKind, QuoteSource, RefKind, Role,
    Sentence, Span, Timex, TimexType, Token,
};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct WireDocument {
    schema: u32,
    id: String,
    source: String,
    title: Option<String>,
    published: Option<String>,
    dateline: Option<WireDateline>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    sentences: Vec<WireSpan>,
    tokens: Vec<WireToken>,
    mentions: Vec<WireMention>,
    #[serde(default)]
    roles: Vec<WireRole>,
    #[serde(default)]
    descriptions: Vec<WireDescription>,
    #[serde(default)]
    timexes: Vec<WireTimex>,
    #[serde(default)]
    quotes: Vec<WireQuote>,
    #[serde(default)]
    events: Vec<WireEvent>,
    #[serde(default)]
    entities: Vec<WireEntity>,
    hash: String,
    #[serde(default)]
    outlet: Option<String>,
    #[serde(default)]
    title_span: Option<WireSpan>,
    #[serde(default)]
    published_evidence: Option<WireEvidence>,
}

#[derive(Serialize, Deserialize)]
struct WireSpan {
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
}

#[derive(Serialize, Deserialize)]
struct WireDateline {
    place: String,
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
}

#[derive(Serialize, Deserialize)]
struct WireToken {
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pos: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lemma: Option<String>,
    /// Absent before parsing; `null` for a sentence's root; else the head's token index.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present_or_null")]
    head: Option<Option<usize>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deprel: Option<String>,
}

/// A field that may be absent (outer `None`), `null` (`Some(None)`) or a value.
fn present_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<usize>>, D::Error> {
    Option::<usize>::deserialize(d).map(Some)
}

#[derive(Serialize, Deserialize)]
struct WireMention {
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    entity: Option<usize>,
}

#[derive(Serialize, Deserialize)]
struct WireEntity {
    #[serde(rename = "type")]
    kind: String,
    name: String,
    code: Option<String>,
    references: Vec<WireReference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    roles: Vec<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    descriptions: Vec<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    members: Vec<usize>,
}

#[derive(Serialize, Deserialize)]
struct WireReference {
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    how: String,
    #[serde(default)]
    evidence: Option<WireSpan>,
}

#[derive(Serialize, Deserialize)]
struct WireRole {
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    title: WireSpan,
    person: WireSpan,
    of: Option<WireOf>,
}

#[derive(Serialize, Deserialize)]
struct WireDescription {
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    description: WireSpan,
    entity: WireSpan,
    of: Option<WireOf>,
}

#[derive(Serialize, Deserialize)]
struct WireQuote {
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    kind: String,
    content: WireSpan,
    cue: Option<WireSpan>,
    speaker: Option<WireSpeaker>,
    addressee: Option<WireSpan>,
    #[serde(default)]
    via: Vec<WireSource>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    unclosed: bool,
}

#[derive(Serialize, Deserialize)]
struct WireSpeaker {
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    #[serde(default)]
    refers_to: Vec<WireSpan>,
}

#[derive(Serialize, Deserialize)]
struct WireSource {
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    description: Option<WireSpan>,
}

#[derive(Serialize, Deserialize)]
struct WireEvent {
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    trigger: WireSpan,
    cameo: Option<String>,
    plover: Option<String>,
    plover_mode: Option<String>,
    quad_class: Option<u8>,
    goldstein: Option<f32>,
    source: Vec<WireActor>,
    target: Vec<WireActor>,
    time: Option<WireEventTime>,
    place: Option<WireSpan>,
    status: String,
    historical: bool,
    attribution: Option<WireAttribution>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    killed: Option<WireCount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    injured: Option<WireCount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    arrested: Option<WireCount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    displaced: Option<WireCount>,
}

#[derive(Serialize, Deserialize)]
struct WireActor {
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    code: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    entity: Option<usize>,
}

#[derive(Serialize, Deserialize)]
struct WireEventTime {
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    /// Copied from the timex for readers; the timex layer is the source of truth.
    #[serde(default)]
    value: Option<String>,
}

/// Who the event is attributed to: the quote's span, with its speaker and sources copied for
/// readers (the quotes layer is the source of truth).
#[derive(Serialize, Deserialize)]
struct WireAttribution {
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    #[serde(default)]
    speaker: Option<WireSpan>,
    #[serde(default)]
    via: Vec<WireSpan>,
}

#[derive(Serialize, Deserialize)]
struct WireCount {
    count: u32,
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
}

#[derive(Serialize, Deserialize)]
struct WireTimex {
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
    #[serde(rename = "type")]
    kind: String,
    value: Option<String>,
    #[serde(default, rename = "mod", skip_serializing_if = "Option::is_none")]
    modifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end_value: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct WireOf {
    name: String,
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
}

#[derive(Serialize, Deserialize)]
struct WireEvidence {
    origin: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("invalid document JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("document JSON has schema {0}, this build reads schema {1}")]
    Schema(u32, u32),
    #[error("document JSON: {0}")]
    Invalid(String),
}

fn to_wire(doc: &Document) -> WireDocument {
    to_wire_with(doc, true)
}

/// The wire form for the contract (`contract`: every layer, every span with its text) or for
/// storage (no token and sentence layers, which the storage form keeps in its own encoding,
/// and no copies of the text, which a reader restores from the spans).
fn to_wire_with(doc: &Document, contract: bool) -> WireDocument {
    let tokens_and_sentences = contract;
    let ix = CharIndex::new(&doc.text);
    let span = |s: Span| {
        let (start, end) = ix.to_chars(s);
        WireSpan { start, end, text: if contract { doc.slice(s).to_string() } else { String::new() } }
    };
    // What a role or description is of: its span, named by `name` (a nationality's country)
    // or else by its text.
    let of = |o: Option<Span>, name: &Option<String>| {
        o.map(|o| {
            let w = span(o);
            let name = name.clone().unwrap_or_else(|| doc.slice(o).to_string());
            WireOf { name, start: w.start, end: w.end, text: w.text }
        })
    };
    WireDocument {
        schema: crate::SCHEMA_VERSION,
        id: doc.id.clone(),
        source: doc.source.clone(),
        title: doc.title.clone(),
        published: doc.published.map(|p| p.to_string()),
        dateline: doc.dateline.as_ref().map(|d| {
            let w = span(d.span);
            WireDateline { place: d.place.clone(), start: w.start, end: w.end, text: w.text }
        }),
        text: doc.text.clone(),
        sentences: if tokens_and_sentences { doc.sentences.iter().map(|s| span(s.span)).collect() } else { Vec::new() },
        tokens: if !tokens_and_sentences {
            Vec::new()
        } else {
            doc.tokens
                .iter()
                .map(|t| {
                    let w = span(t.span);
                    WireToken {
                        start: w.start,
                        end: w.end,
                        text: w.text,
                        pos: t.pos.as_deref().map(str::to_string),
                        lemma: t.lemma.clone(),
                        head: t.deprel.as_ref().map(|_| t.head),
                        deprel: t.deprel.as_deref().map(str::to_string),
                    }
                })
                .collect()
        },
        mentions: doc
            .mentions
            .iter()
            .map(|m| {
                let w = span(m.span);
                WireMention {
                    start: w.start,
                    end: w.end,
                    text: w.text,
                    kind: m.kind.as_str().to_string(),
                    country: m.country.clone(),
                    entity: if contract { Entity::at(&doc.entities, m.span) } else { None },
                }
            })
            .collect(),
        roles: doc
            .roles
            .iter()
            .map(|r| {
                let w = span(r.span);
                WireRole {
                    start: w.start,
                    end: w.end,
                    text: w.text,
                    title: span(r.title),
                    person: span(r.person),
                    of: of(r.of, &r.of_name),
                }
            })
            .collect(),
        descriptions: doc
            .descriptions
            .iter()
            .map(|d| {
                let w = span(d.span);
                WireDescription {
                    start: w.start,
                    end: w.end,
                    text: w.text,
                    description: span(d.description),
                    entity: span(d.entity),
                    of: of(d.of, &d.of_name),
                }
            })
            .collect(),
        timexes: doc
            .timexes
            .iter()
            .map(|t| {
                let w = span(t.span);
                WireTimex {
                    start: w.start,
                    end: w.end,
                    text: w.text,
                    kind: t.kind.as_str().to_string(),
                    value: t.value.clone(),
                    modifier: t.modifier.clone(),
                    end_value: t.end.clone(),
                }
            })
            .collect(),
        quotes: doc
            .quotes
            .iter()
            .map(|q| {
                let w = span(q.span);
                WireQuote {
                    start: w.start,
                    end: w.end,
                    text: w.text,
                    kind: q.kind.as_str().to_string(),
                    content: span(q.content),
                    cue: q.cue.map(span),
                    speaker: q.speaker.map(|s| {
                        let w = span(s);
                        WireSpeaker {
                            start: w.start,
                            end: w.end,
                            text: w.text,
                            refers_to: q.speaker_refers_to.iter().map(|&r| span(r)).collect(),
                        }
                    }),
                    addressee: q.addressee.map(span),
                    via: q
                        .via
                        .iter()
                        .map(|v| {
                            let w = span(v.span);
                            WireSource {
                                start: w.start,
                                end: w.end,
                                text: w.text,
                                description: v.description.map(span),
                            }
                        })
                        .collect(),
                    unclosed: q.unclosed,
                }
            })
            .collect(),
        events: doc
            .events
            .iter()
            .map(|e| {
                let w = span(e.span);
                let actor = |a: &EventActor| {
                    let w = span(a.span);
                    WireActor {
                        start: w.start,
                        end: w.end,
                        text: w.text,
                        code: a.code.clone(),
                        kind: a.kind.map(|k| k.as_str().to_string()),
                        entity: a.entity,
                    }
                };
                let count = |k: CountKind| {
                    e.counts.iter().find(|c| c.kind == k).map(|c| {
                        let w = span(c.span);
                        WireCount { count: c.count, start: w.start, end: w.end, text: w.text }
                    })
                };
                WireEvent {
                    start: w.start,
                    end: w.end,
                    text: w.text,
                    trigger: span(e.trigger),
                    cameo: e.cameo.clone(),
                    plover: e.plover.clone(),
                    plover_mode: e.plover_mode.clone(),
                    quad_class: e.quad_class,
                    goldstein: e.goldstein,
                    source: e.source.iter().map(actor).collect(),
                    target: e.target.iter().map(actor).collect(),
                    time: e.time.map(|t| {
                        let w = span(t);
                        let value = if contract {
                            doc.timexes.iter().find(|x| x.span == t).and_then(|x| x.value.clone())
                        } else {
                            None
                        };
                        WireEventTime { start: w.start, end: w.end, text: w.text, value }
                    }),
                    place: e.place.map(span),
                    status: e.status.as_str().to_string(),
                    historical: e.historical,
                    attribution: e.attribution.map(|a| {
                        let w = span(a);
                        let quote = doc.quotes.iter().find(|q| q.span == a).filter(|_| contract);
                        WireAttribution {
                            start: w.start,
                            end: w.end,
                            text: w.text,
                            speaker: quote.and_then(|q| q.speaker).map(span),
                            via: quote.map(|q| q.via.iter().map(|v| span(v.span)).collect()).unwrap_or_default(),
                        }
                    }),
                    killed: count(CountKind::Killed),
                    injured: count(CountKind::Injured),
                    arrested: count(CountKind::Arrested),
                    displaced: count(CountKind::Displaced),
                }
            })
            .collect(),
        entities: doc
            .entities
            .iter()
            .map(|e| WireEntity {
                kind: e.kind.as_str().to_string(),
                name: e.name.clone(),
                code: e.code.clone(),
                references: e
                    .references
                    .iter()
                    .map(|r| {
                        let w = span(r.span);
                        WireReference {
                            start: w.start,
                            end: w.end,
                            text: w.text,
                            how: r.how.as_str().to_string(),
                            evidence: r.evidence.map(span),
                        }
                    })
                    .collect(),
                roles: e.roles.clone(),
                descriptions: e.descriptions.clone(),
                members: e.members.clone(),
            })
            .collect(),
        hash: doc.hash.clone(),
        outlet: doc.outlet.clone(),
        title_span: doc.title_span.map(span),
        published_evidence: doc.published_origin.as_ref().map(|o| match o {
            PublishedOrigin::Text(s) => {
                let w = span(*s);
                WireEvidence {
                    origin: "text".into(),
                    field: None,
                    start: Some(w.start),
                    end: Some(w.end),
                    text: Some(w.text),
                }
            }
            PublishedOrigin::Metadata(f) => {
                WireEvidence { origin: "metadata".into(), field: Some(f.clone()), start: None, end: None, text: None }
            }
            PublishedOrigin::User => {
                WireEvidence { origin: "user".into(), field: None, start: None, end: None, text: None }
            }
        }),
    }
}

/// The document as a JSON value in the contract's shape.
pub fn to_value(doc: &Document) -> serde_json::Value {
    serde_json::to_value(to_wire(doc)).expect("wire types always serialize")
}

/// The document as compact JSON (one line).
pub fn to_json(doc: &Document) -> String {
    serde_json::to_string(&to_wire(doc)).expect("wire types always serialize")
}

/// The document as indented JSON.
pub fn to_json_pretty(doc: &Document) -> String {
    serde_json::to_string_pretty(&to_wire(doc)).expect("wire types always serialize")
}

/// The storage form: the contract without the copies of the text (the document text itself,
/// and the text of each token and sentence), which a reader restores from the text. About a
/// third of the size of the contract.
pub fn to_storage_json(doc: &Document) -> String {
    let mut w = to_wire(doc);
    w.text.clear();
    w.tokens.iter_mut().for_each(|t| t.text.clear());
    w.sentences.iter_mut().for_each(|s| s.text.clear());
    serde_json::to_string(&w).expect("wire types always serialize")
}

/// The storage JSON of every layer but tokens and sentences, which [`crate::storage`] encodes
/// apart.
pub(crate) fn to_storage_json_without_tokens(doc: &Document) -> String {
    let mut w = to_wire_with(doc, false);
    w.text.clear();
    serde_json::to_string(&w).expect("wire types always serialize")
}

/// Reads the storage form back, given the document text.
pub fn from_storage_json(json: &str, text: &str) -> Result<Document, WireError> {
    let mut w: WireDocument = serde_json::from_str(json)?;
    w.text = text.to_string();
    from_wire(w)
}

/// Reads a document back from contract JSON, converting code-point offsets to byte spans.
pub fn from_json(json: &str) -> Result<Document, WireError> {
    from_wire(serde_json::from_str(json)?)
}

fn from_wire(w: WireDocument) -> Result<Document, WireError> {
    if w.schema != crate::SCHEMA_VERSION {
        return Err(WireError::Schema(w.schema, crate::SCHEMA_VERSION));
    }
    let ix = CharIndex::new(&w.text);
    let span = |start: usize, end: usize| {
        ix.to_bytes(start, end).ok_or_else(|| WireError::Invalid(format!("span {start}..{end} is outside the text")))
    };
    let mut doc = Document::new(w.source, w.text.clone());
    doc.id = w.id;
    doc.title = w.title;
    doc.published = match w.published {
        Some(p) => Some(p.parse::<Published>().map_err(|e| WireError::Invalid(e.to_string()))?),
        None => None,
    };
    doc.dateline = match w.dateline {
        Some(d) => Some(Dateline { place: d.place, span: span(d.start, d.end)? }),
        None => None,
    };
    doc.sentences =
        w.sentences.iter().map(|s| Ok(Sentence { span: span(s.start, s.end)? })).collect::<Result<_, WireError>>()?;
    let n_tokens = w.tokens.len();
    doc.tokens = w
        .tokens
        .into_iter()
        .map(|t| {
            let head = t.head.flatten();
            if head.is_some_and(|h| h >= n_tokens) {
                return Err(WireError::Invalid(format!("token head {head:?} is not a token")));
            }
            Ok(Token {
                span: span(t.start, t.end)?,
                pos: t.pos.map(std::borrow::Cow::Owned),
                lemma: t.lemma,
                head,
                deprel: t.deprel.map(std::borrow::Cow::Owned),
            })
        })
        .collect::<Result<_, WireError>>()?;
    doc.mentions = w
        .mentions
        .into_iter()
        .map(|m| {
            let kind = EntityType::parse(&m.kind)
                .ok_or_else(|| WireError::Invalid(format!("unknown entity type {:?}", m.kind)))?;
            Ok(Mention { span: span(m.start, m.end)?, kind, country: m.country })
        })
        .collect::<Result<_, WireError>>()?;
    doc.roles = w
        .roles
        .into_iter()
        .map(|r| {
            let of = r.of.as_ref().map(|o| span(o.start, o.end)).transpose()?;
            Ok(Role {
                span: span(r.start, r.end)?,
                title: span(r.title.start, r.title.end)?,
                person: span(r.person.start, r.person.end)?,
                of,
                of_name: r.of.map(|o| o.name),
            })
        })
        .collect::<Result<_, WireError>>()?;
    doc.descriptions = w
        .descriptions
        .into_iter()
        .map(|d| {
            let of = d.of.as_ref().map(|o| span(o.start, o.end)).transpose()?;
            Ok(Description {
                span: span(d.start, d.end)?,
                description: span(d.description.start, d.description.end)?,
                entity: span(d.entity.start, d.entity.end)?,
                of,
                of_name: d.of.map(|o| o.name),
            })
        })
        .collect::<Result<_, WireError>>()?;
    doc.timexes = w
        .timexes
        .into_iter()
        .map(|t| {
            let kind = TimexType::parse(&t.kind)
                .ok_or_else(|| WireError::Invalid(format!("unknown timex type {:?}", t.kind)))?;
            Ok(Timex { span: span(t.start, t.end)?, kind, value: t.value, modifier: t.modifier, end: t.end_value })
        })
        .collect::<Result<_, WireError>>()?;
    doc.quotes = w
        .quotes
        .into_iter()
        .map(|q| {
            let kind = QuoteKind::parse(&q.kind)
                .ok_or_else(|| WireError::Invalid(format!("unknown quote kind {:?}", q.kind)))?;
            let opt = |s: Option<WireSpan>| s.map(|s| span(s.start, s.end)).transpose();
            let (speaker, speaker_refers_to) = match q.speaker {
                None => (None, Vec::new()),
                Some(s) => (
                    Some(span(s.start, s.end)?),
                    s.refers_to.iter().map(|r| span(r.start, r.end)).collect::<Result<_, WireError>>()?,
                ),
            };
            Ok(Quote {
                span: span(q.start, q.end)?,
                kind,
                content: span(q.content.start, q.content.end)?,
                cue: opt(q.cue)?,
                speaker,
                speaker_refers_to,
                addressee: opt(q.addressee)?,
                via: q
                    .via
                    .into_iter()
                    .map(|v| Ok(QuoteSource { span: span(v.start, v.end)?, description: opt(v.description)? }))
                    .collect::<Result<_, WireError>>()?,
                unclosed: q.unclosed,
            })
        })
        .collect::<Result<_, WireError>>()?;
    doc.events = w
        .events
        .into_iter()
        .map(|e| {
            let actor = |a: WireActor| {
                Ok(EventActor {
                    span: span(a.start, a.end)?,
                    code: a.code,
                    kind: match a.kind {
                        None => None,
                        Some(k) => Some(
                            EntityType::parse(&k)
                                .ok_or_else(|| WireError::Invalid(format!("unknown entity type {k:?}")))?,
                        ),
                    },
                    entity: a.entity,
                })
            };
            let status = EventStatus::parse(&e.status)
                .ok_or_else(|| WireError::Invalid(format!("unknown event status {:?}", e.status)))?;
            let mut counts = Vec::new();
            for (kind, c) in CountKind::ALL.into_iter().zip([e.killed, e.injured, e.arrested, e.displaced]) {
                if let Some(c) = c {
                    counts.push(EventCount { kind, count: c.count, span: span(c.start, c.end)? });
                }
            }
            Ok(Event {
                span: span(e.start, e.end)?,
                trigger: span(e.trigger.start, e.trigger.end)?,
                cameo: e.cameo,
                plover: e.plover,
                plover_mode: e.plover_mode,
                quad_class: e.quad_class,
                goldstein: e.goldstein,
                source: e.source.into_iter().map(actor).collect::<Result<_, WireError>>()?,
                target: e.target.into_iter().map(actor).collect::<Result<_, WireError>>()?,
                time: e.time.map(|t| span(t.start, t.end)).transpose()?,
                place: e.place.map(|p| span(p.start, p.end)).transpose()?,
                status,
                historical: e.historical,
                attribution: e.attribution.map(|a| span(a.start, a.end)).transpose()?,
                counts,
            })
        })
        .collect::<Result<_, WireError>>()?;
    let n_entities = w.entities.len();
    doc.entities = w
        .entities
        .into_iter()
        .map(|e| {
            let kind = EntityType::parse(&e.kind)
                .ok_or_else(|| WireError::Invalid(format!("unknown entity type {:?}", e.kind)))?;
            let references = e
                .references
                .into_iter()
                .map(|r| {
                    let how = RefKind::parse(&r.how)
                        .ok_or_else(|| WireError::Invalid(format!("unknown reference kind {:?}", r.how)))?;
                    Ok(EntityRef {
                        span: span(r.start, r.end)?,
                        how,
                        evidence: r.evidence.map(|s| span(s.start, s.end)).transpose()?,
                    })
                })
                .collect::<Result<_, WireError>>()?;
            if e.roles.iter().any(|&i| i >= doc.roles.len())
                || e.descriptions.iter().any(|&i| i >= doc.descriptions.len())
                || e.members.iter().any(|&i| i >= n_entities)
            {
                return Err(WireError::Invalid(format!("entity {:?} refers past a layer's end", e.name)));
            }
            Ok(Entity {
                kind,
                name: e.name,
                code: e.code,
                references,
                roles: e.roles,
                descriptions: e.descriptions,
                members: e.members,
            })
        })
        .collect::<Result<_, WireError>>()?;
    if doc
        .events
        .iter()
        .flat_map(|e| e.source.iter().chain(&e.target))
        .any(|a| a.entity.is_some_and(|i| i >= n_entities))
    {
        return Err(WireError::Invalid("an event actor refers to an entity that is not there".into()));
    }
    doc.outlet = w.outlet;
    doc.title_span = match w.title_span {
        Some(s) => Some(span(s.start, s.end)?),
        None => None,
    };
    doc.published_origin = match w.published_evidence {
        None => None,
        Some(e) => Some(match e.origin.as_str() {
            "text" => PublishedOrigin::Text(span(e.start.unwrap_or(0), e.end.unwrap_or(0))?),
            "metadata" => PublishedOrigin::Metadata(e.field.unwrap_or_default()),
            "user" => PublishedOrigin::User,
            other => return Err(WireError::Invalid(format!("unknown published origin {other:?}"))),
        }),
    };
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_multibyte_text() {
        let mut doc = Document::new("x.txt", "Haniyeh’s talks in “Tehran”.");
        let start = doc.text.find("Tehran").unwrap();
        doc.mentions.push(Mention { span: Span::new(start, start + 6), kind: EntityType::Place, country: None });
        doc.tokens.push(Token {
            pos: Some("NNP".into()),
            lemma: Some("Haniyeh".into()),
            deprel: Some("root".into()),
            ..Token::new(Span::new(0, 7))
        });
        doc.published_origin = Some(PublishedOrigin::User);
        doc.descriptions.push(Description {
            span: Span::new(0, 7),
            description: Span::new(0, 7),
            entity: Span::new(start, start + 6),
            of: Some(Span::new(start, start + 6)),
            of_name: Some("Tehran".into()),
        });
        doc.entities.push(Entity {
            kind: EntityType::Place,
            name: "Tehran".into(),
            code: Some("IRN".into()),
            references: vec![EntityRef { span: Span::new(start, start + 6), how: RefKind::Name, evidence: None }],
            roles: Vec::new(),
            descriptions: vec![0],
            members: Vec::new(),
        });
        let json = to_json(&doc);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["mentions"][0]["entity"], 0);
        assert_eq!(v["entities"][0]["references"][0]["how"], "name");
        // Code-point offsets: "Tehran" starts at char 20.
        assert_eq!(v["mentions"][0]["start"], 20);
        let text: Vec<char> = v["text"].as_str().unwrap().chars().collect();
        assert_eq!(text[20..26].iter().collect::<String>(), "Tehran");
        assert_eq!(from_json(&json).unwrap(), doc);
        let stored = to_storage_json(&doc);
        assert!(!stored.contains("talks"), "{stored}");
        assert_eq!(from_storage_json(&stored, &doc.text).unwrap(), doc);
    }
}

#[cfg(test)]
mod storage_tests {
    use super::*;

    #[test]
    fn storage_form_round_trips_ascii() {
        let mut doc = Document::new("x", "Title here\n\nOSLO - Text.");
        doc.dateline = Some(Dateline { place: "Oslo".into(), span: Span::new(12, 16) });
        let stored = to_storage_json(&doc);
        assert_eq!(from_storage_json(&stored, &doc.text).unwrap(), doc, "{stored}");
    }
}
