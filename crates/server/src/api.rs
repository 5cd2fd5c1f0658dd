//! The JSON API under `/api`, described by `assets/openapi.json` (served at
//! `/api/openapi.json`; a test checks real responses against it).

use crate::{AppState, Error};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dateline_export::{Format, Period, What};
use dateline_ingest::{read_bytes_within, Limits};
use dateline_model::{wire, Document, EntityType, EventStatus, Published, PublishedOrigin};
use dateline_store::{
    DocumentFilter, DocumentRow, Encoded, EventFilter, IdentitySummary, Inserted, QuoteFilter, QuoteRow, Store,
    MARK_END, MARK_START,
};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

type Shared = State<Arc<AppState>>;
type Params = Query<HashMap<String, String>>;

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/documents", get(documents).post(post_documents))
        .route("/api/documents/{id}", get(document))
        .route("/api/events", get(events))
        .route("/api/actors", get(actors))
        .route("/api/actors/{id}", get(actor))
        .route("/api/actors/{id}/merge", post(merge_actor))
        .route("/api/actors/{id}/split", post(split_actor))
        .route("/api/decisions", get(decisions))
        .route("/api/quotes", get(quotes))
        .route("/api/network", get(network))
        .route("/api/search", get(search))
        .route("/api/export", get(export))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], include_str!("../assets/openapi.json")).into_response()
}

/// Query parameters, read with messages that name the parameter.
pub(crate) struct Args<'a>(pub &'a HashMap<String, String>);

/// Most rows one API page returns.
pub(crate) const MAX_LIMIT: usize = 500;

impl Args<'_> {
    /// A non-empty value (form fields left blank count as absent).
    pub fn str(&self, name: &str) -> Option<String> {
        self.0.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()).map(str::to_string)
    }

    pub fn usize(&self, name: &str, default: usize, max: usize) -> Result<usize, Error> {
        match self.str(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .map(|n| n.min(max))
                .map_err(|_| Error::bad_request(format!("{name}={v}: expected a whole number"))),
        }
    }

    /// A day bound, YYYY-MM-DD.
    pub fn day(&self, name: &str) -> Result<Option<String>, Error> {
        match self.str(name) {
            None => Ok(None),
            Some(v) if dateline_store::is_day(&v) => Ok(Some(v)),
            Some(v) => Err(Error::bad_request(format!("{name}={v}: expected a day, YYYY-MM-DD"))),
        }
    }

    /// `since` and `until`, each a day, the first not after the second.
    pub fn period(&self) -> Result<(Option<String>, Option<String>), Error> {
        let (since, until) = (self.day("since")?, self.day("until")?);
        if let (Some(s), Some(u)) = (&since, &until) {
            if s > u {
                return Err(Error::bad_request(format!("since={s} is after until={u}: no day is in that period")));
            }
        }
        Ok((since, until))
    }

    pub fn status(&self) -> Result<Option<String>, Error> {
        match self.str("status") {
            None => Ok(None),
            Some(s) => EventStatus::parse(&s).map(|s| Some(s.as_str().to_string())).ok_or_else(|| {
                Error::bad_request(format!("status={s}: expected asserted, negated, planned or hypothetical"))
            }),
        }
    }

    /// `type` as an entity type (PERSON, ORG, PLACE, MISC; any case).
    pub fn entity_type(&self) -> Result<Option<&'static str>, Error> {
        match self.str("type") {
            None => Ok(None),
            Some(t) => EntityType::parse(&t.to_uppercase())
                .map(|k| Some(k.as_str()))
                .ok_or_else(|| Error::bad_request(format!("type={t}: expected PERSON, ORG, PLACE or MISC"))),
        }
    }

    /// `offset` and `limit`.
    pub fn paging(&self, default_limit: usize) -> Result<(usize, usize), Error> {
        Ok((self.usize("offset", 0, usize::MAX / 2)?, self.usize("limit", default_limit, MAX_LIMIT)?.max(1)))
    }

    pub fn event_filter(&self, default_limit: usize) -> Result<EventFilter, Error> {
        let (offset, limit) = self.paging(default_limit)?;
        let order = self.str("order");
        if order.as_deref().is_some_and(|o| o != "asc" && o != "desc") {
            return Err(Error::bad_request("order: expected asc or desc"));
        }
        let (since, until) = self.period()?;
        Ok(EventFilter {
            actor: self.str("actor"),
            kind: self.str("type"),
            status: self.status()?,
            since,
            until,
            place: self.str("place"),
            doc: self.str("doc"),
            offset,
            limit,
            ascending: order.as_deref() == Some("asc"),
        })
    }
}

fn page(total: usize, offset: usize, limit: usize, items: Vec<Value>) -> Json<Value> {
    Json(json!({ "total": total, "offset": offset, "limit": limit, "items": items }))
}

pub(crate) fn document_row_json(d: &DocumentRow) -> Value {
    json!({
        "id": d.id,
        "title": d.title,
        "published": d.published,
        "source": d.source,
        "outlet": d.outlet,
        "dateline": d.dateline,
        "mentions": d.mentions,
        "events": d.events,
        "quotes": d.quotes,
        // The FTS snippet with its match marks as « » (plain text; the UI marks them itself).
        "snippet": d.snippet.as_ref().map(|s| s.replace(MARK_START, "«").replace(MARK_END, "»")),
    })
}

pub(crate) fn quote_json(q: &QuoteRow) -> Value {
    json!({
        "doc_id": q.doc_id,
        "doc_title": q.doc_title,
        "published": q.published,
        "quote": q.k,
        "start": q.start,
        "end": q.end,
        "kind": q.kind,
        "content": q.content,
        "speaker": q.speaker,
        "speaker_identity": q.speaker_id,
        "via": q.via,
    })
}

pub(crate) fn identity_json(s: &IdentitySummary) -> Value {
    json!({
        "id": s.id,
        "type": s.kind,
        "name": s.name,
        "code": s.code,
        "aliases": s.aliases,
        "titles": s.titles,
        "roles": s.roles,
        "links": s.links,
        "documents": s.documents,
    })
}

async fn documents(State(state): Shared, Query(q): Params) -> Result<Json<Value>, Error> {
    let a = Args(&q);
    let (offset, limit) = a.paging(50)?;
    let (since, until) = a.period()?;
    let filter = DocumentFilter { text: a.str("q"), outlet: a.str("outlet"), since, until, offset, limit };
    let (total, rows) = state.read(move |s| Ok(s.documents(&filter)?)).await?;
    Ok(page(total, offset, limit, rows.iter().map(document_row_json).collect()))
}

/// One stored document by id (or a unique prefix of one), or a 404 that says why.
pub(crate) fn find_document(s: &Store, id: &str) -> Result<Document, Error> {
    let not_found = || Error::not_found(format!("no document with id {id}"));
    let full = s.resolve_id(id)?.ok_or_else(not_found)?;
    s.get(&full)?.ok_or_else(not_found)
}

async fn document(State(state): Shared, Path(id): Path<String>) -> Result<Json<Value>, Error> {
    let v = state
        .read(move |s| {
            let doc = find_document(s, &id)?;
            let identities = s.document_identities(&doc.id)?;
            let provenance = s.provenance(&doc.id)?;
            let mut v = wire::to_value(&doc);
            let mut ids: Vec<(usize, i64)> = identities.into_iter().collect();
            ids.sort();
            v["identities"] = ids.iter().map(|(e, i)| json!({"entity": e, "identity": i})).collect::<Vec<_>>().into();
            v["ingested_at"] = provenance.map(|p| p.1).into();
            Ok(v)
        })
        .await?;
    Ok(Json(v))
}

async fn events(State(state): Shared, Query(q): Params) -> Result<Json<Value>, Error> {
    let filter = Args(&q).event_filter(50)?;
    let (offset, limit) = (filter.offset, filter.limit);
    let (total, rows) = state.read(move |s| Ok(s.events(&filter)?)).await?;
    Ok(page(total, offset, limit, rows.iter().map(dateline_export::event_json).collect()))
}

async fn actors(State(state): Shared, Query(q): Params) -> Result<Json<Value>, Error> {
    let a = Args(&q);
    let (offset, limit) = a.paging(50)?;
    let kind = a.entity_type()?;
    let name = a.str("q");
    // Identities are filtered on their names as they are read, so the full count is not
    // known without reading them all: one more than the page tells whether there are more.
    let rows = state.read(move |s| Ok(s.identities(name.as_deref(), kind, offset + limit + 1)?)).await?;
    let more = rows.len() > offset + limit;
    let total = rows.len().min(offset + limit);
    let items = rows.iter().skip(offset).take(limit).map(identity_json).collect();
    let Json(mut v) = page(total, offset, limit, items);
    v["more"] = more.into();
    Ok(Json(v))
}

/// One identity with everything the actor page shows.
pub(crate) struct ActorDetail {
    pub summary: IdentitySummary,
    pub links: Vec<dateline_store::IdentityLink>,
    /// (published, document id, role title as written, of what)
    pub roles: Vec<(Option<String>, String, String, Option<String>)>,
    pub events: (usize, Vec<dateline_store::EventRow>),
    /// Its events per day, all of them (the rows above are the first page only).
    pub days: Vec<(String, usize)>,
    pub quotes: (usize, Vec<QuoteRow>),
}

/// Documents read for an actor's roles over time.
const ROLE_DOCUMENTS: usize = 60;

pub(crate) fn actor_detail(s: &Store, id: i64, events_limit: usize) -> Result<ActorDetail, Error> {
    let Some((summary, links)) = s.identity(id)? else {
        return Err(Error::not_found(format!("no identity {id}")));
    };
    let mut roles = Vec::new();
    let mut seen_docs = 0;
    let mut last_doc = String::new();
    let mut doc: Option<Document> = None;
    for link in &links {
        if link.doc_id != last_doc {
            seen_docs += 1;
            if seen_docs > ROLE_DOCUMENTS {
                break;
            }
            last_doc = link.doc_id.clone();
            doc = s.get(&link.doc_id)?;
        }
        let Some(d) = &doc else { continue };
        let Some(entity) = d.entities.get(link.entity) else { continue };
        for &r in &entity.roles {
            let Some(role) = d.roles.get(r) else { continue };
            let title = d.slice(role.title).to_string();
            let of = role.of_name.clone().or_else(|| role.of.map(|o| d.slice(o).to_string()));
            let row = (link.published.clone(), link.doc_id.clone(), title, of);
            if !roles.contains(&row) {
                roles.push(row);
            }
        }
    }
    let live = summary.id.to_string();
    let filter =
        EventFilter { actor: Some(live.clone()), limit: events_limit, ascending: true, ..EventFilter::default() };
    let events = s.events(&filter)?;
    let days = s.event_days(&filter)?;
    let quotes = s.quotes(&QuoteFilter { speaker: Some(live), limit: events_limit, ..QuoteFilter::default() })?;
    Ok(ActorDetail { summary, links, roles, events, days, quotes })
}

async fn actor(State(state): Shared, Path(id): Path<String>) -> Result<Json<Value>, Error> {
    let id = identity_id(&id)?;
    let d = state.read(move |s| actor_detail(s, id, 200)).await?;
    let mut v = identity_json(&d.summary);
    v["evidence"] = d
        .links
        .iter()
        .map(|l| {
            json!({
                "doc_id": l.doc_id,
                "doc_title": l.doc_title,
                "published": l.published,
                "entity": l.entity,
                "name": l.name,
                "evidence": serde_json::to_value(&l.evidence).unwrap_or(Value::Null),
            })
        })
        .collect::<Vec<_>>()
        .into();
    v["roles_over_time"] = d
        .roles
        .iter()
        .map(|(published, doc, title, of)| json!({"published": published, "doc_id": doc, "title": title, "of": of}))
        .collect::<Vec<_>>()
        .into();
    v["events_total"] = d.events.0.into();
    v["events"] = d.events.1.iter().map(dateline_export::event_json).collect::<Vec<_>>().into();
    v["quotes_total"] = d.quotes.0.into();
    v["quotes"] = d.quotes.1.iter().map(quote_json).collect::<Vec<_>>().into();
    Ok(Json(v))
}

async fn quotes(State(state): Shared, Query(q): Params) -> Result<Json<Value>, Error> {
    let a = Args(&q);
    let (offset, limit) = a.paging(50)?;
    let filter = QuoteFilter { speaker: a.str("speaker"), via: a.str("via"), doc: a.str("doc"), offset, limit };
    let (total, rows) = state.read(move |s| Ok(s.quotes(&filter)?)).await?;
    Ok(page(total, offset, limit, rows.iter().map(quote_json).collect()))
}

/// Event kinds of a network query: `type=CONSULT,ACCUSE` or `type=04` (CAMEO prefixes).
pub(crate) fn kinds(spec: &str) -> Vec<String> {
    spec.split(',').map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect()
}

async fn network(State(state): Shared, Query(q): Params) -> Result<Json<Value>, Error> {
    let a = Args(&q);
    let kinds = kinds(&a.str("type").unwrap_or_default());
    let (since, until) = a.period()?;
    let max_edges = a.usize("max_edges", 200, 2000)?;
    let n = state.read(move |s| Ok(s.network(&kinds, since.as_deref(), until.as_deref(), max_edges)?)).await?;
    Ok(Json(json!({
        "nodes": n.nodes.iter().map(|n| json!({"id": n.id, "type": n.kind, "name": n.name, "events": n.events})).collect::<Vec<_>>(),
        "edges": n.edges.iter().map(|e| json!({
            "source": e.source,
            "target": e.target,
            "count": e.events.len(),
            "first": e.first,
            "last": e.last,
            "events": e.events.iter().map(|(d, k)| json!({"doc_id": d, "event": k})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })))
}

async fn search(State(state): Shared, Query(q): Params) -> Result<Json<Value>, Error> {
    let a = Args(&q);
    let Some(text) = a.str("q") else { return Err(Error::bad_request("q: give words to search for")) };
    let (offset, limit) = a.paging(20)?;
    let (docs, actors) = state
        .read(move |s| {
            let docs =
                s.documents(&DocumentFilter { text: Some(text.clone()), offset, limit, ..DocumentFilter::default() })?;
            let actors = s.identities(Some(&text), None, 20)?;
            Ok((docs, actors))
        })
        .await?;
    Ok(Json(json!({
        "documents": { "total": docs.0, "offset": offset, "limit": limit, "items": docs.1.iter().map(document_row_json).collect::<Vec<_>>() },
        "actors": actors.iter().map(identity_json).collect::<Vec<_>>(),
    })))
}

async fn export(State(state): Shared, Query(q): Params) -> Result<Response, Error> {
    let a = Args(&q);
    let what = a.str("what").unwrap_or_else(|| "events".into());
    let format = a.str("format").unwrap_or_else(|| "jsonl".into());
    let what = What::parse(&what)
        .ok_or_else(|| Error::bad_request("what: expected events, mentions, quotes, actors or documents"))?;
    let format =
        Format::parse(&format).ok_or_else(|| Error::bad_request("format: expected jsonl, csv, gdelt or graphml"))?;
    dateline_export::check(what, format).map_err(|e| Error::bad_request(e.to_string()))?;
    let (since, until) = a.period()?;
    let period = Period { since, until };
    let body = state
        .read(move |s| {
            let mut out = Vec::new();
            dateline_export::export(s, what, format, &period, &mut out).map_err(|e| Error::internal(e.to_string()))?;
            Ok(out)
        })
        .await?;
    let name = format!("attachment; filename=\"dateline-{}.{}\"", what.as_str(), format.extension());
    Ok(([(header::CONTENT_TYPE, format.media_type().to_string()), (header::CONTENT_DISPOSITION, name)], body)
        .into_response())
}

/// `POST /api/documents`: one article (text/plain, text/html, one JSON object) or many
/// (application/x-ndjson), annotated by the standard pipeline and stored.
async fn post_documents(
    State(state): Shared,
    Query(q): Params,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    let a = Args(&q);
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default();
    let source = a.str("source");
    let published = match a.str("published") {
        None => None,
        Some(p) => Some(p.parse::<Published>().map_err(|e| {
            Error::bad_request(format!("published={p}: {e} (ISO 8601: 2024-03-30 or 2024-03-30T21:28)"))
        })?),
    };
    let (name, bytes): (&str, Vec<u8>) = match kind.as_str() {
        "text/plain" | "text/markdown" => ("posted.txt", body.to_vec()),
        "text/html" | "application/xhtml+xml" => ("posted.html", body.to_vec()),
        // One object, possibly pretty-printed: made into one JSON line.
        "application/json" => {
            let v: Value =
                serde_json::from_slice(&body).map_err(|e| Error::bad_request(format!("the body is not JSON: {e}")))?;
            if !v.is_object() {
                return Err(Error::bad_request(
                    "the body must be one JSON object ({\"text\"|\"html\", \"url\", \"title\", \"published\", \"outlet\"}); send several as application/x-ndjson",
                ));
            }
            ("posted.jsonl", v.to_string().into_bytes())
        }
        "application/x-ndjson" | "application/jsonl" | "application/jsonlines" => ("posted.jsonl", body.to_vec()),
        "" => {
            return Err(Error::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "give a Content-Type: text/plain, text/html, application/json or application/x-ndjson",
            ))
        }
        other => {
            return Err(Error::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("{other} is not read: send text/plain, text/html, application/json or application/x-ndjson"),
            ))
        }
    };
    let limits = Limits { max_doc_bytes: (state.max_body_bytes as u64).min(Limits::DEFAULT_MAX_DOC_BYTES) };
    let (results, errors) = state
        .write(move |store, models| {
            let pipeline = models.pipeline();
            let mut encoded = Vec::new();
            let mut errors = Vec::new();
            for r in read_bytes_within(name, &bytes, &limits) {
                match r {
                    Err(e) => errors.push(e.to_string()),
                    Ok(mut doc) => {
                        if let Some(src) = &source {
                            doc.source = match doc.source.split_once(':') {
                                // Keep a JSON line's line number.
                                Some((_, line)) if name.ends_with(".jsonl") => format!("{src}:{line}"),
                                _ => src.clone(),
                            };
                        }
                        if let Some(p) = published {
                            doc.published = Some(p);
                            doc.published_origin = Some(PublishedOrigin::User);
                        }
                        match pipeline.try_annotate(&mut doc) {
                            Ok(()) => encoded.push(Encoded::new(doc)),
                            Err(why) => errors.push(format!("{}: {why}", doc.source)),
                        }
                    }
                }
            }
            let outcomes = store.insert_batch(&encoded, false)?;
            let results: Vec<Value> = encoded
                .iter()
                .zip(outcomes)
                .map(|(e, o)| {
                    json!({
                        "id": e.doc.id,
                        "title": e.doc.title,
                        "source": e.doc.source,
                        "status": match o { Inserted::New => "new", Inserted::AlreadyStored => "already_stored", Inserted::Replaced => "replaced" },
                        "mentions": e.doc.mentions.len(),
                        "events": e.doc.events.len(),
                        "quotes": e.doc.quotes.len(),
                    })
                })
                .collect();
            Ok((results, errors))
        })
        .await?;
    let status = if results.iter().any(|r| r["status"] == "new") {
        StatusCode::CREATED
    } else if results.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json!({ "documents": results, "errors": errors })).into_response()).into_response())
}

fn identity_id(id: &str) -> Result<i64, Error> {
    id.parse().map_err(|_| Error::bad_request(format!("{id}: an identity id is a number")))
}

#[derive(serde::Deserialize)]
struct MergeRequest {
    /// The identity that becomes part of the one in the path.
    other: i64,
    note: Option<String>,
}

#[derive(serde::Deserialize)]
struct SplitRequest {
    /// The name, as written, whose links go to a new identity.
    name: String,
    note: Option<String>,
}

fn json_body<T: serde::de::DeserializeOwned>(body: &[u8], example: &str) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| Error::bad_request(format!("the body must be JSON like {example}: {e}")))
}

/// An analyst's merge, as `dateline identity merge` makes it.
async fn merge_actor(State(state): Shared, Path(id): Path<String>, body: Bytes) -> Result<Json<Value>, Error> {
    let into = identity_id(&id)?;
    let r: MergeRequest = json_body(&body, r#"{"other": 40, "note": "why"}"#)?;
    state.write(move |s, _| Ok(s.merge_identities(into, r.other, r.note.as_deref())?)).await?;
    let merged = state.read(move |s| actor_detail(s, into, 0)).await?;
    Ok(Json(identity_json(&merged.summary)))
}

/// An analyst's split, as `dateline identity split` makes it.
async fn split_actor(State(state): Shared, Path(id): Path<String>, body: Bytes) -> Result<Response, Error> {
    let id = identity_id(&id)?;
    let r: SplitRequest = json_body(&body, r#"{"name": "Mohammed Khan", "note": "why"}"#)?;
    let new = state.write(move |s, _| Ok(s.split_identity(id, &r.name, r.note.as_deref())?)).await?;
    let split = state.read(move |s| actor_detail(s, new, 0)).await?;
    Ok((StatusCode::CREATED, Json(identity_json(&split.summary))).into_response())
}

/// Every manual decision, oldest first.
async fn decisions(State(state): Shared) -> Result<Json<Value>, Error> {
    let rows = state.read(|s| Ok(s.identity_decisions()?)).await?;
    Ok(Json(
        rows.iter()
            .map(|d| {
                json!({"action": d.action, "identity": d.identity, "other": d.other, "name": d.name, "note": d.note, "at": d.at})
            })
            .collect::<Vec<_>>()
            .into(),
    ))
}
