//! Exports of a store for analysts' tools: JSON lines (every field, with the evidence offsets),
//! CSV with a header (pandas and R read it as it is), GDELT 2.0 Events TSV (the codebook's 61
//! columns in its order) and GraphML (Gephi, networkx).
//!
//! Owns: the shape of every export format, and which formats fit which rows.
//!
//! Must never: open files or sockets (it writes to the writer it is given), change the store,
//! or fill a field it does not know: a GDELT date comes from the event's own time and is empty
//! when the event names none (never the ingest or publication date), and the columns dateline
//! does not compute (tone, geo coordinates) stay empty.

mod gdelt;
mod graphml;

use dateline_model::wire;
use dateline_store::{DocumentFilter, EventFilter, EventRow, QuoteFilter, Store, StoreError};
use std::io::Write;

/// What rows to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Events,
    Mentions,
    Quotes,
    Actors,
    Documents,
}

impl What {
    pub const ALL: [What; 5] = [What::Events, What::Mentions, What::Quotes, What::Actors, What::Documents];

    pub fn as_str(self) -> &'static str {
        match self {
            What::Events => "events",
            What::Mentions => "mentions",
            What::Quotes => "quotes",
            What::Actors => "actors",
            What::Documents => "documents",
        }
    }

    pub fn parse(s: &str) -> Option<What> {
        What::ALL.into_iter().find(|w| w.as_str() == s)
    }
}

/// The format to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
    Gdelt,
    Graphml,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Jsonl, Format::Csv, Format::Gdelt, Format::Graphml];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Gdelt => "gdelt",
            Format::Graphml => "graphml",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// The media type of the format, for HTTP.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Jsonl => "application/x-ndjson; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Gdelt => "text/tab-separated-values; charset=utf-8",
            Format::Graphml => "application/graphml+xml; charset=utf-8",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Gdelt => "tsv",
            Format::Graphml => "graphml",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("{what} cannot be exported as {format}: {why}")]
    Unfit { what: &'static str, format: &'static str, why: &'static str },
}

impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> Self {
        ExportError::Io(std::io::Error::other(e.to_string()))
    }
}

/// The days of an export (of the event's day, or of publication: see [`EventFilter`]).
#[derive(Debug, Clone, Default)]
pub struct Period {
    pub since: Option<String>,
    pub until: Option<String>,
}

/// Whether `format` can carry `what` rows, and if not, why not.
pub fn check(what: What, format: Format) -> Result<(), ExportError> {
    let unfit = |why| Err(ExportError::Unfit { what: what.as_str(), format: format.as_str(), why });
    match (what, format) {
        (_, Format::Jsonl | Format::Csv) => Ok(()),
        (What::Events, _) => Ok(()),
        (What::Actors, Format::Graphml) => Ok(()),
        (_, Format::Gdelt) => unfit("GDELT 2.0 Events rows are events (use --what events)"),
        (_, Format::Graphml) => unfit("a graph's nodes are actors and its edges events (use --what events or actors)"),
    }
}

/// Rows read from the store at a time.
const PAGE: usize = 2000;

/// Every event of the period, oldest first, page by page.
fn each_event(
    store: &Store,
    period: &Period,
    mut f: impl FnMut(&EventRow) -> Result<(), ExportError>,
) -> Result<usize, ExportError> {
    let mut filter = EventFilter {
        since: period.since.clone(),
        until: period.until.clone(),
        limit: PAGE,
        ascending: true,
        ..EventFilter::default()
    };
    let mut n = 0;
    loop {
        let (_, rows) = store.events(&filter)?;
        for r in &rows {
            f(r)?;
        }
        n += rows.len();
        if rows.len() < PAGE {
            return Ok(n);
        }
        filter.offset += PAGE;
    }
}

fn join<T: ToString>(v: &[T]) -> String {
    v.iter().map(T::to_string).collect::<Vec<_>>().join("; ")
}

/// One event as a JSON object: every field, with its document and evidence offsets.
pub fn event_json(r: &EventRow) -> serde_json::Value {
    let actors = |cells: &[dateline_store::ActorCell], ids: &[i64]| {
        serde_json::json!({
            "actors": cells.iter().map(|c| serde_json::json!({"text": c.text, "code": c.code})).collect::<Vec<_>>(),
            "identities": ids,
        })
    };
    serde_json::json!({
        "doc_id": r.doc_id,
        "event": r.k,
        "start": r.start,
        "end": r.end,
        "text": r.text,
        "cameo": r.cameo,
        "plover": r.plover,
        "status": r.status,
        "source": actors(&r.source, &r.source_ids),
        "target": actors(&r.target, &r.target_ids),
        "time_value": r.time_value,
        "day": r.day,
        "date": r.date,
        "place": r.place,
        "quad_class": r.quad_class,
        "goldstein": r.goldstein,
        "killed": r.killed,
        "injured": r.injured,
        "group": r.group,
        "doc_title": r.doc_title,
        "published": r.published,
        "source_url": r.source_url,
    })
}

/// Writes the export; returns how many rows (lines, or graph edges) it wrote.
pub fn export(
    store: &Store,
    what: What,
    format: Format,
    period: &Period,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    check(what, format)?;
    match (what, format) {
        (What::Events, Format::Gdelt) => gdelt::write(store, period, out),
        (What::Events | What::Actors, Format::Graphml) => graphml::write(store, period, out),
        (What::Events, Format::Jsonl) => each_event(store, period, |r| {
            serde_json::to_writer(&mut *out, &event_json(r)).map_err(std::io::Error::other)?;
            Ok(out.write_all(b"\n")?)
        }),
        (What::Events, _) => {
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record([
                "doc_id",
                "event",
                "start",
                "end",
                "text",
                "cameo",
                "plover",
                "status",
                "source",
                "source_codes",
                "source_identities",
                "target",
                "target_codes",
                "target_identities",
                "time_value",
                "day",
                "date",
                "place",
                "quad_class",
                "goldstein",
                "killed",
                "injured",
                "group",
                "doc_title",
                "published",
                "source_url",
            ])?;
            let n = each_event(store, period, |r| {
                let texts =
                    |v: &[dateline_store::ActorCell]| join(&v.iter().map(|c| c.text.clone()).collect::<Vec<_>>());
                let codes = |v: &[dateline_store::ActorCell]| {
                    join(&v.iter().map(|c| c.code.clone().unwrap_or_default()).collect::<Vec<_>>())
                };
                let opt = |v: Option<String>| v.unwrap_or_default();
                w.write_record([
                    r.doc_id.clone(),
                    r.k.to_string(),
                    r.start.to_string(),
                    r.end.to_string(),
                    r.text.clone(),
                    opt(r.cameo.clone()),
                    opt(r.plover.clone()),
                    r.status.clone(),
                    texts(&r.source),
                    codes(&r.source),
                    join(&r.source_ids),
                    texts(&r.target),
                    codes(&r.target),
                    join(&r.target_ids),
                    opt(r.time_value.clone()),
                    opt(r.day.clone()),
                    opt(r.date.clone()),
                    opt(r.place.clone()),
                    opt(r.quad_class.map(|q| q.to_string())),
                    opt(r.goldstein.map(|g| g.to_string())),
                    opt(r.killed.map(|k| k.to_string())),
                    opt(r.injured.map(|k| k.to_string())),
                    opt(r.group.map(|g| g.to_string())),
                    opt(r.doc_title.clone()),
                    opt(r.published.clone()),
                    r.source_url.clone(),
                ])?;
                Ok(())
            })?;
            w.flush()?;
            Ok(n)
        }
        (What::Mentions, _) => {
            let rows = store.mentions(period.since.as_deref(), period.until.as_deref())?;
            if format == Format::Jsonl {
                for m in &rows {
                    let v = serde_json::json!({"doc_id": m.doc_id, "start": m.start, "end": m.end, "text": m.text, "type": m.kind});
                    writeln!(out, "{v}")?;
                }
            } else {
                let mut w = csv::Writer::from_writer(&mut *out);
                w.write_record(["doc_id", "start", "end", "text", "type"])?;
                for m in &rows {
                    w.write_record([&m.doc_id, &m.start.to_string(), &m.end.to_string(), &m.text, &m.kind])?;
                }
                w.flush()?;
            }
            Ok(rows.len())
        }
        (What::Quotes, _) => {
            let (_, rows) = store.quotes(&QuoteFilter { limit: usize::MAX >> 1, ..QuoteFilter::default() })?;
            let in_period = |p: &Option<String>| {
                let day = p.as_deref().map(|p| &p[..p.len().min(10)]);
                period.since.as_deref().is_none_or(|s| day.is_some_and(|d| d >= s))
                    && period.until.as_deref().is_none_or(|u| day.is_some_and(|d| d <= u || d.starts_with(u)))
            };
            let rows: Vec<_> = rows.into_iter().filter(|q| in_period(&q.published)).collect();
            if format == Format::Jsonl {
                for q in &rows {
                    let v = serde_json::json!({"doc_id": q.doc_id, "quote": q.k, "start": q.start, "end": q.end,
                        "kind": q.kind, "content": q.content, "speaker": q.speaker, "speaker_identity": q.speaker_id,
                        "via": q.via, "published": q.published});
                    writeln!(out, "{v}")?;
                }
            } else {
                let mut w = csv::Writer::from_writer(&mut *out);
                w.write_record([
                    "doc_id",
                    "quote",
                    "start",
                    "end",
                    "kind",
                    "speaker",
                    "speaker_identity",
                    "via",
                    "content",
                    "published",
                ])?;
                for q in &rows {
                    w.write_record([
                        q.doc_id.clone(),
                        q.k.to_string(),
                        q.start.to_string(),
                        q.end.to_string(),
                        q.kind.clone(),
                        q.speaker.clone().unwrap_or_default(),
                        q.speaker_id.map(|i| i.to_string()).unwrap_or_default(),
                        join(&q.via),
                        q.content.clone(),
                        q.published.clone().unwrap_or_default(),
                    ])?;
                }
                w.flush()?;
            }
            Ok(rows.len())
        }
        (What::Actors, _) => {
            let rows = store.identities(None, None, usize::MAX >> 1)?;
            if format == Format::Jsonl {
                for a in &rows {
                    let v = serde_json::json!({"id": a.id, "type": a.kind, "name": a.name, "code": a.code,
                        "aliases": a.aliases, "titles": a.titles, "roles": a.roles, "documents": a.documents,
                        "references": a.links});
                    writeln!(out, "{v}")?;
                }
            } else {
                let mut w = csv::Writer::from_writer(&mut *out);
                w.write_record([
                    "id",
                    "type",
                    "name",
                    "code",
                    "aliases",
                    "titles",
                    "roles",
                    "documents",
                    "references",
                ])?;
                for a in &rows {
                    w.write_record([
                        a.id.to_string(),
                        a.kind.clone(),
                        a.name.clone(),
                        a.code.clone().unwrap_or_default(),
                        join(&a.aliases),
                        join(&a.titles),
                        join(&a.roles),
                        a.documents.to_string(),
                        a.links.to_string(),
                    ])?;
                }
                w.flush()?;
            }
            Ok(rows.len())
        }
        (What::Documents, Format::Jsonl) => each_document(store, period, |d| {
            // The whole document in the schema-1 contract, one per line.
            if let Some(doc) = store.get(&d.id)? {
                writeln!(out, "{}", wire::to_json(&doc))?;
            }
            Ok(())
        }),
        (What::Documents, _) => {
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record([
                "id",
                "title",
                "published",
                "source",
                "outlet",
                "dateline",
                "mentions",
                "events",
                "quotes",
            ])?;
            let n = each_document(store, period, |d| {
                w.write_record([
                    d.id.clone(),
                    d.title.clone().unwrap_or_default(),
                    d.published.clone().unwrap_or_default(),
                    d.source.clone(),
                    d.outlet.clone().unwrap_or_default(),
                    d.dateline.clone().unwrap_or_default(),
                    d.mentions.to_string(),
                    d.events.to_string(),
                    d.quotes.to_string(),
                ])?;
                Ok(())
            })?;
            w.flush()?;
            Ok(n)
        }
    }
}

/// Every document published in the period, newest first, page by page.
fn each_document(
    store: &Store,
    period: &Period,
    mut f: impl FnMut(&dateline_store::DocumentRow) -> Result<(), ExportError>,
) -> Result<usize, ExportError> {
    let mut filter = DocumentFilter {
        since: period.since.clone(),
        until: period.until.clone(),
        limit: PAGE,
        ..DocumentFilter::default()
    };
    let mut n = 0;
    loop {
        let (_, rows) = store.documents(&filter)?;
        for d in &rows {
            f(d)?;
        }
        n += rows.len();
        if rows.len() < PAGE {
            return Ok(n);
        }
        filter.offset += PAGE;
    }
}
