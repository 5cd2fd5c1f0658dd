//! What serving and exporting read: events, quotes and documents by filter, full-text search,
//! and the who-did-what-to-whom network, each answered by an indexed query (never by decoding
//! every stored document).
//!
//! Tables (migration 7):
//! - `quotes`: one row per quote (speaker, its identity, the sources it came through);
//! - `event_actors`: (identity, event, role) for every actor linked to an identity;
//! - columns of `events`: `place`, `day` (the event's own day when its time names one),
//!   `quad`, `goldstein`;
//! - `documents_fts`: an FTS5 index of titles and texts, kept by triggers.
//!
//! Identities are stored as linked at ingest; an analyst's later merge is followed here at
//! read time ([`Store::live_identities`]), so the answers name only live identities.

use crate::{Store, StoreError};
use dateline_model::{CharIndex, Document, Entity};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, OptionalExtension, Transaction};
use std::collections::HashMap;

/// Migration 7's tables and columns; the rows are filled by [`backfill`].
pub(crate) const MIGRATION: &str = "CREATE TABLE quotes (
        doc INTEGER NOT NULL REFERENCES documents(n) ON DELETE CASCADE,
        k INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        kind TEXT NOT NULL,
        content TEXT NOT NULL,
        speaker TEXT,
        speaker_id INTEGER,
        via TEXT NOT NULL,
        PRIMARY KEY (doc, k)
    ) WITHOUT ROWID;
    CREATE INDEX quotes_speaker_id ON quotes(speaker_id);
    CREATE TABLE event_actors (
        identity INTEGER NOT NULL,
        doc INTEGER NOT NULL REFERENCES documents(n) ON DELETE CASCADE,
        k INTEGER NOT NULL,
        role TEXT NOT NULL,
        PRIMARY KEY (identity, doc, k, role)
    ) WITHOUT ROWID;
    CREATE INDEX event_actors_event ON event_actors(doc, k);
    ALTER TABLE events ADD COLUMN place TEXT;
    ALTER TABLE events ADD COLUMN day TEXT;
    ALTER TABLE events ADD COLUMN quad INTEGER;
    ALTER TABLE events ADD COLUMN goldstein REAL;
    CREATE INDEX events_day ON events(day);
    CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='n');
    CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.n, new.title, new.text);
    END;
    CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.n, old.title, old.text);
    END;
    INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');";

/// Migration 9: `events.date`, the day an event is filed under (see [`EventRow::date`]), and
/// an index of merged identities: every query follows merges, and there are few.
pub(crate) const EVENT_DATE_MIGRATION: &str = "ALTER TABLE events ADD COLUMN date TEXT;
    UPDATE events SET date = coalesce(day, (SELECT substr(d.published, 1, 10) FROM documents d WHERE d.n = events.doc));
    CREATE INDEX events_date ON events(date, doc, k);
    CREATE INDEX events_plover_date ON events(plover, date, doc, k);
    CREATE INDEX identities_merged ON identities(merged_into) WHERE merged_into IS NOT NULL;";

/// Migration 7, second part: the rows of documents stored before it.
pub(crate) fn backfill(tx: &Transaction) -> Result<(), StoreError> {
    let docs: Vec<(i64, String)> = {
        let mut stmt = tx.prepare("SELECT n, id FROM documents")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (n, id) in docs {
        let (layers, text): (Vec<u8>, String) =
            tx.query_row("SELECT layers, text FROM documents WHERE n = ?1", [n], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let doc = dateline_model::storage::decode(&layers, &text)
            .map_err(|reason| StoreError::Corrupt { id: id.clone(), reason })?;
        let linked: Vec<(usize, i64)> = {
            let mut stmt = tx.prepare("SELECT entity, identity FROM identity_links WHERE doc = ?1")?;
            let rows = stmt.query_map([n], |r| Ok((r.get::<_, i64>(0)? as usize, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        index_document(tx, n, &doc, &linked)?;
    }
    Ok(())
}

/// Whether `s` is a day as the queries take one: `YYYY-MM-DD`, month 1–12, day 1–31.
pub fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(s[5..7].parse::<u32>(), Ok(1..=12))
        && matches!(s[8..10].parse::<u32>(), Ok(1..=31))
}

/// The day an event's TIMEX3 value names (`2024-03-28`, `2024-03-28TNI`), if it names one.
pub fn day_of(value: &str) -> Option<&str> {
    let b = value.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.into_iter().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    (b.len() >= 10 && digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10))
        .then(|| &value[..10])
}

/// Writes a stored document's rows for serving: its quotes, its events' place, day and codes,
/// and which identities act in its events. `linked`: (entity index, identity) pairs.
pub(crate) fn index_document(
    tx: &Transaction,
    n: i64,
    doc: &Document,
    linked: &[(usize, i64)],
) -> Result<(), StoreError> {
    let identity_of = |e: Option<usize>| e.and_then(|e| linked.iter().find(|(x, _)| *x == e).map(|(_, i)| *i));
    let ix = CharIndex::new(&doc.text);
    let mut quote = tx.prepare_cached(
        "INSERT OR REPLACE INTO quotes (doc, k, start, end, kind, content, speaker, speaker_id, via)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (k, q) in doc.quotes.iter().enumerate() {
        let (start, end) = ix.to_chars(q.span);
        // The speaker as named: the name a pronoun or title refers to, when the quote says.
        let speaker = q.speaker.map(|s| doc.slice(s).to_string());
        let speaker_id =
            q.speaker_refers_to.iter().chain(q.speaker.iter()).find_map(|&s| identity_of(Entity::at(&doc.entities, s)));
        let via: Vec<&str> = q.via.iter().map(|v| doc.slice(v.span)).collect();
        quote.execute(params![
            n,
            k as i64,
            start as i64,
            end as i64,
            q.kind.as_str(),
            doc.slice(q.content),
            speaker,
            speaker_id,
            via.join("; ")
        ])?;
    }
    let mut event = tx.prepare_cached(
        "UPDATE events SET place = ?3, day = ?4, quad = ?5, goldstein = ?6 WHERE doc = ?1 AND k = ?2",
    )?;
    let mut actor =
        tx.prepare_cached("INSERT OR IGNORE INTO event_actors (identity, doc, k, role) VALUES (?1, ?2, ?3, ?4)")?;
    for (k, e) in doc.events.iter().enumerate() {
        let value = e.time.and_then(|t| doc.timexes.iter().find(|x| x.span == t)).and_then(|x| x.value.as_deref());
        event.execute(params![
            n,
            k as i64,
            e.place.map(|p| doc.slice(p)),
            value.and_then(day_of),
            e.quad_class,
            e.goldstein.map(f64::from)
        ])?;
        for (role, actors) in [("source", &e.source), ("target", &e.target)] {
            for a in actors.iter() {
                if let Some(id) = identity_of(a.entity) {
                    actor.execute(params![id, n, k as i64, role])?;
                }
            }
        }
    }
    Ok(())
}

/// Files a stored document's events under their dates (migration 9's column; run after
/// [`index_document`], which migration 8 also runs, before that column exists).
pub(crate) fn date_events(tx: &Transaction, n: i64) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE events SET date = coalesce(day, (SELECT substr(published, 1, 10) FROM documents WHERE n = ?1))
         WHERE doc = ?1",
    )?
    .execute([n])?;
    Ok(())
}

/// A WHERE clause built from the conditions a filter sets, with its values in order.
struct Where {
    sql: String,
    values: Vec<SqlValue>,
}

impl Where {
    /// Adds `AND clause`, whose `?1` (any number of times) is `value`.
    fn add(&mut self, clause: &str, value: String) {
        self.values.push(SqlValue::Text(value));
        self.sql.push_str(" AND ");
        self.sql.push_str(&clause.replace("?1", &format!("?{}", self.values.len())));
    }
}

/// One actor of an event row, as the events table keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorCell {
    pub text: String,
    pub code: Option<String>,
}

/// What events to read. Every field narrows; `None` is no narrowing.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// An identity id (its merged identities included), or text found in an actor's name or code.
    pub actor: Option<String>,
    /// A CAMEO code or its prefix ("04", "036"), or a PLOVER type ("CONSULT").
    pub kind: Option<String>,
    pub status: Option<String>,
    /// First and last day (YYYY-MM-DD, or a prefix: "2024-03"), of the event's own day, or of
    /// its report's publication where the event names none.
    pub since: Option<String>,
    pub until: Option<String>,
    /// Text found in the event's place.
    pub place: Option<String>,
    /// Only this document's events.
    pub doc: Option<String>,
    pub offset: usize,
    pub limit: usize,
    /// Oldest first (a timeline) instead of newest first.
    pub ascending: bool,
}

/// One event as listed: enough to show it and to find its evidence in its document.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub doc_id: String,
    pub doc_title: Option<String>,
    pub published: Option<String>,
    pub source_url: String,
    pub ingested_at: String,
    /// The event's index in its document's events layer.
    pub k: usize,
    /// Code-point offsets of the event's span in the document text, and that text.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `None` for an act CAMEO has no code for, typed in PLOVER alone.
    pub cameo: Option<String>,
    pub plover: Option<String>,
    pub status: String,
    pub source: Vec<ActorCell>,
    pub target: Vec<ActorCell>,
    /// Live identities of the source and target actors.
    pub source_ids: Vec<i64>,
    pub target_ids: Vec<i64>,
    pub time_value: Option<String>,
    /// The event's own day, if its time names one.
    pub day: Option<String>,
    /// The day the filters and the timeline use: `day`, else the publication day.
    pub date: Option<String>,
    pub place: Option<String>,
    pub quad_class: Option<i64>,
    pub goldstein: Option<f64>,
    pub killed: Option<i64>,
    pub injured: Option<i64>,
    /// Events of other documents reported as the same event share this group.
    pub group: Option<i64>,
}

fn actor_cells(s: &str) -> Vec<ActorCell> {
    s.split(';')
        .filter(|a| !a.is_empty())
        .map(|a| {
            let (code, text) = a.split_once('|').unwrap_or(("", a));
            ActorCell { text: text.to_string(), code: (!code.is_empty()).then(|| code.to_string()) }
        })
        .collect()
}

/// A day bound that includes every day its prefix names: "2024-03" until → "2024-03\u{10FFFF}".
fn until_bound(until: &Option<String>) -> Option<String> {
    until.as_ref().map(|u| format!("{u}\u{10FFFF}"))
}

/// One quote as listed.
#[derive(Debug, Clone)]
pub struct QuoteRow {
    pub doc_id: String,
    pub doc_title: Option<String>,
    pub published: Option<String>,
    pub k: usize,
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub content: String,
    pub speaker: Option<String>,
    pub speaker_id: Option<i64>,
    pub via: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct QuoteFilter {
    /// An identity id, or text found in the speaker as written.
    pub speaker: Option<String>,
    /// Text found in a source the quote came through ("according to …").
    pub via: Option<String>,
    pub doc: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    /// Full-text query over titles and texts (words, all of which must occur).
    pub text: Option<String>,
    pub outlet: Option<String>,
    /// Publication days, as for events.
    pub since: Option<String>,
    pub until: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

/// One document as listed.
#[derive(Debug, Clone)]
pub struct DocumentRow {
    pub id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: String,
    pub outlet: Option<String>,
    pub dateline: Option<String>,
    pub mentions: i64,
    pub events: i64,
    pub quotes: i64,
    /// With a full-text query: the passage that matched, the matched words between
    /// [`MARK_START`] and [`MARK_END`] (raw text otherwise: escape it before showing it).
    pub snippet: Option<String>,
}

/// Where a snippet's matched words start and end (control characters that no cleaned text
/// holds, so a page can escape the snippet and then mark them).
pub const MARK_START: char = '\u{2}';
pub const MARK_END: char = '\u{3}';

/// A user's words as an FTS5 query: each word quoted (FTS5's operators and punctuation taken
/// literally), all of them required.
fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// One edge of the network: events with `source` acting on `target`.
#[derive(Debug, Clone)]
pub struct NetworkEdge {
    pub source: i64,
    pub target: i64,
    /// Events behind the edge: (document id, event index), oldest first.
    pub events: Vec<(String, usize)>,
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NetworkNode {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub events: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Network {
    pub nodes: Vec<NetworkNode>,
    pub edges: Vec<NetworkEdge>,
}

/// One mention row of an export.
#[derive(Debug, Clone)]
pub struct MentionRow {
    pub doc_id: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: String,
}

const EVENT_COLUMNS: &str = "d.id, d.title, d.published, d.source, d.ingested_at, e.k, e.start, e.end,
    substr(d.text, e.start + 1, e.end - e.start), e.cameo, e.plover, e.status, e.source, e.target,
    e.time_value, e.day, e.date, e.place, e.quad, e.goldstein,
    e.killed, e.injured, e.grp, e.doc";

impl Store {
    /// The live identity of every identity merged into another (absent: live already).
    pub fn live_identities(&self) -> Result<HashMap<i64, i64>, StoreError> {
        let mut stmt =
            self.conn.prepare_cached("SELECT id, merged_into FROM identities WHERE merged_into IS NOT NULL")?;
        let direct: HashMap<i64, i64> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        let mut out = HashMap::new();
        for &id in direct.keys() {
            let mut at = id;
            for _ in 0..64 {
                match direct.get(&at) {
                    Some(&n) => at = n,
                    None => break,
                }
            }
            out.insert(id, at);
        }
        Ok(out)
    }

    /// The identity and every identity merged into it.
    fn merged_family(&self, id: i64) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "WITH RECURSIVE m(id) AS (SELECT ?1 UNION SELECT i.id FROM identities i JOIN m ON i.merged_into = m.id)
             SELECT id FROM m",
        )?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// An event filter as SQL: `FROM events e WHERE …` with only the conditions the filter
    /// sets (an unused condition still costs its test on every row), and their values in
    /// order (`?1`, `?2`, …). The actor is an identity id (with every identity merged into
    /// it) or text; the type a CAMEO prefix or a PLOVER type.
    fn event_where(&self, f: &EventFilter) -> Result<(String, Vec<SqlValue>), StoreError> {
        let mut w = Where { sql: String::from("FROM events e WHERE 1"), values: Vec::new() };
        match f.actor.as_deref().map(str::parse::<i64>) {
            Some(Ok(id)) => {
                let family = self.merged_family(id)?.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
                w.add(
                    "EXISTS (SELECT 1 FROM event_actors a WHERE a.doc = e.doc AND a.k = e.k
                        AND instr(',' || ?1 || ',', ',' || a.identity || ',') > 0)",
                    family,
                );
            }
            Some(Err(_)) => {
                let text = f.actor.as_deref().unwrap_or_default().to_lowercase();
                w.add("instr(lower(e.source || ';' || e.target), ?1) > 0", text);
            }
            None => {}
        }
        match f.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) if k.bytes().all(|b| b.is_ascii_digit()) => {
                w.add("substr(e.cameo, 1, length(?1)) = ?1", k.to_string());
            }
            Some(k) => w.add("e.plover = ?1", k.to_uppercase()),
            None => {}
        }
        if let Some(s) = &f.status {
            w.add("e.status = ?1", s.clone());
        }
        if let Some(s) = &f.since {
            w.add("e.date >= ?1", s.clone());
        }
        if let Some(u) = until_bound(&f.until) {
            w.add("e.date <= ?1", u);
        }
        if let Some(p) = &f.place {
            w.add("instr(lower(e.place), ?1) > 0", p.to_lowercase());
        }
        if let Some(d) = &f.doc {
            w.add("e.doc = (SELECT n FROM documents WHERE id = ?1)", d.clone());
        }
        Ok((w.sql, w.values))
    }

    /// How many events pass the filter on each day (the event's day, else its report's
    /// publication day), oldest first; events with neither are left out. Paging is ignored.
    pub fn event_days(&self, f: &EventFilter) -> Result<Vec<(String, usize)>, StoreError> {
        let (filter, values) = self.event_where(f)?;
        let sql = format!("SELECT e.date AS day, count(*) {filter} AND e.date IS NOT NULL GROUP BY day ORDER BY day");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows =
            stmt.query_map(params_from_iter(values), |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The PLOVER types of stored events with how many events each has, commonest first.
    pub fn event_types(&self) -> Result<Vec<(String, usize)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT plover, count(*) FROM events WHERE plover IS NOT NULL GROUP BY plover ORDER BY count(*) DESC, plover",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Events that pass the filter, and how many pass it in all.
    pub fn events(&self, f: &EventFilter) -> Result<(usize, Vec<EventRow>), StoreError> {
        let (filter, mut values) = self.event_where(f)?;
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) {filter}"))?
            .query_row(params_from_iter(values.iter()), |r| r.get(0))?;
        // The page is chosen on (doc, k) alone, read newest first off the `events_date` index,
        // and only its rows are read in full: the evidence text is a substring of each
        // document's text, too dear to compute for every event before a sort.
        let order = if f.ascending {
            "e.date IS NULL, e.date ASC, e.doc ASC, e.k ASC"
        } else {
            "e.date DESC, e.doc DESC, e.k DESC"
        };
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM (SELECT e.doc AS pd, e.k AS pk, row_number() OVER () AS rn FROM
                 (SELECT e.doc, e.k {filter} ORDER BY {order} LIMIT ?{} OFFSET ?{}) e) p
             JOIN events e ON e.doc = p.pd AND e.k = p.pk JOIN documents d ON d.n = e.doc
             ORDER BY p.rn",
            values.len() + 1,
            values.len() + 2
        );
        values.push(SqlValue::Integer(f.limit as i64));
        values.push(SqlValue::Integer(f.offset as i64));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(values), |r| Ok((event_row(r)?, r.get::<_, i64>(23)?)))?;
        let rows: Vec<(EventRow, i64)> = rows.collect::<Result<_, _>>()?;
        let live = self.live_identities()?;
        let mut actors =
            self.conn.prepare_cached("SELECT identity, role FROM event_actors WHERE doc = ?1 AND k = ?2")?;
        let mut out = Vec::with_capacity(rows.len());
        for (mut row, n) in rows {
            let ids =
                actors.query_map(params![n, row.k as i64], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            for id in ids {
                let (id, role) = id?;
                let id = live.get(&id).copied().unwrap_or(id);
                let v = if role == "source" { &mut row.source_ids } else { &mut row.target_ids };
                if !v.contains(&id) {
                    v.push(id);
                }
            }
            out.push(row);
        }
        Ok((total as usize, out))
    }

    /// Quotes that pass the filter, and how many pass it in all, in document order.
    pub fn quotes(&self, f: &QuoteFilter) -> Result<(usize, Vec<QuoteRow>), StoreError> {
        let speaker_ids: Option<String> = match f.speaker.as_deref().map(str::parse::<i64>) {
            Some(Ok(id)) => Some(self.merged_family(id)?.iter().map(i64::to_string).collect::<Vec<_>>().join(",")),
            _ => None,
        };
        let speaker_text = f.speaker.as_ref().filter(|_| speaker_ids.is_none()).map(|s| s.to_lowercase());
        let filter = "FROM quotes q JOIN documents d ON d.n = q.doc
             WHERE (?1 IS NULL OR instr(',' || ?1 || ',', ',' || q.speaker_id || ',') > 0)
               AND (?2 IS NULL OR instr(lower(q.speaker), ?2) > 0)
               AND (?3 IS NULL OR instr(lower(q.via), lower(?3)) > 0)
               AND (?4 IS NULL OR d.id = ?4)";
        let p = params![speaker_ids, speaker_text, f.via, f.doc];
        let total: i64 = self.conn.prepare_cached(&format!("SELECT count(*) {filter}"))?.query_row(p, |r| r.get(0))?;
        let sql = format!(
            "SELECT d.id, d.title, d.published, q.k, q.start, q.end, q.kind, q.content, q.speaker, q.speaker_id, q.via
             {filter} ORDER BY d.published IS NULL, d.published, d.id, q.k LIMIT ?5 OFFSET ?6"
        );
        let live = self.live_identities()?;
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows =
            stmt.query_map(params![speaker_ids, speaker_text, f.via, f.doc, f.limit as i64, f.offset as i64], |r| {
                let via: String = r.get(10)?;
                Ok(QuoteRow {
                    doc_id: r.get(0)?,
                    doc_title: r.get(1)?,
                    published: r.get(2)?,
                    k: r.get::<_, i64>(3)? as usize,
                    start: r.get::<_, i64>(4)? as usize,
                    end: r.get::<_, i64>(5)? as usize,
                    kind: r.get(6)?,
                    content: r.get(7)?,
                    speaker: r.get(8)?,
                    speaker_id: r.get::<_, Option<i64>>(9)?.map(|i| live.get(&i).copied().unwrap_or(i)),
                    via: via.split("; ").filter(|v| !v.is_empty()).map(str::to_string).collect(),
                })
            })?;
        Ok((total as usize, rows.collect::<Result<_, _>>()?))
    }

    /// Documents that pass the filter, and how many pass it in all: newest first, or with a
    /// full-text query, best match first.
    pub fn documents(&self, f: &DocumentFilter) -> Result<(usize, Vec<DocumentRow>), StoreError> {
        let query = f.text.as_deref().and_then(fts_query);
        if f.text.is_some() && query.is_none() {
            return Ok((0, Vec::new()));
        }
        let until = until_bound(&f.until);
        let (from, order, snippet) = if query.is_some() {
            (
                "FROM documents_fts JOIN documents d ON d.n = documents_fts.rowid WHERE documents_fts MATCH ?1",
                "ORDER BY rank",
                "snippet(documents_fts, 1, char(2), char(3), '…', 16)",
            )
        } else {
            ("FROM documents d WHERE ?1 IS NULL", "ORDER BY d.published IS NULL, d.published DESC, d.source", "NULL")
        };
        let filter = format!(
            "{from} AND (?2 IS NULL OR d.outlet = ?2)
               AND (?3 IS NULL OR substr(d.published, 1, 10) >= ?3)
               AND (?4 IS NULL OR d.published <= ?4)"
        );
        let p = params![query, f.outlet, f.since, until];
        let total: i64 = self.conn.prepare_cached(&format!("SELECT count(*) {filter}"))?.query_row(p, |r| r.get(0))?;
        let sql = format!(
            "SELECT d.id, d.title, d.published, d.source, d.outlet, d.dateline_place,
                (SELECT count(*) FROM mentions m WHERE m.doc = d.n),
                (SELECT count(*) FROM events e WHERE e.doc = d.n),
                (SELECT count(*) FROM quotes q WHERE q.doc = d.n), {snippet}
             {filter} {order} LIMIT ?5 OFFSET ?6"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![query, f.outlet, f.since, until, f.limit as i64, f.offset as i64], |r| {
            Ok(DocumentRow {
                id: r.get(0)?,
                title: r.get(1)?,
                published: r.get(2)?,
                source: r.get(3)?,
                outlet: r.get(4)?,
                dateline: r.get(5)?,
                mentions: r.get(6)?,
                events: r.get(7)?,
                quotes: r.get(8)?,
                snippet: r.get(9)?,
            })
        })?;
        Ok((total as usize, rows.collect::<Result<_, _>>()?))
    }

    /// Who acted on whom in events of the given kinds (CAMEO prefixes or PLOVER types; none:
    /// all) within the days given: live identities as nodes, one edge per (source, target)
    /// with the events behind it. At most `max_edges` edges, the heaviest.
    pub fn network(
        &self,
        kinds: &[String],
        since: Option<&str>,
        until: Option<&str>,
        max_edges: usize,
    ) -> Result<Network, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.identity, t.identity, d.id, e.k, e.cameo, e.plover, e.date
             FROM events e JOIN documents d ON d.n = e.doc
             JOIN event_actors s ON s.doc = e.doc AND s.k = e.k AND s.role = 'source'
             JOIN event_actors t ON t.doc = e.doc AND t.k = e.k AND t.role = 'target'
             WHERE (?1 IS NULL OR e.date >= ?1)
               AND (?2 IS NULL OR e.date <= ?2)
             ORDER BY e.date, d.id, e.k",
        )?;
        let until = until_bound(&until.map(str::to_string));
        let rows = stmt.query_map(params![since, until], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)? as usize,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        let wanted = |cameo: &Option<String>, plover: &Option<String>| {
            kinds.is_empty()
                || kinds.iter().any(|k| {
                    if k.bytes().all(|b| b.is_ascii_digit()) {
                        cameo.as_deref().is_some_and(|c| c.starts_with(k.as_str()))
                    } else {
                        plover.as_deref().is_some_and(|p| p.eq_ignore_ascii_case(k))
                    }
                })
        };
        let live = self.live_identities()?;
        let mut edges: HashMap<(i64, i64), NetworkEdge> = HashMap::new();
        for row in rows {
            let (s, t, doc, k, cameo, plover, day) = row?;
            let (s, t) = (live.get(&s).copied().unwrap_or(s), live.get(&t).copied().unwrap_or(t));
            if s == t || !wanted(&cameo, &plover) {
                continue;
            }
            let e = edges.entry((s, t)).or_insert_with(|| NetworkEdge {
                source: s,
                target: t,
                events: Vec::new(),
                first: day.clone(),
                last: None,
            });
            if !e.events.contains(&(doc.clone(), k)) {
                e.events.push((doc, k));
            }
            e.last = day;
        }
        let mut edges: Vec<NetworkEdge> = edges.into_values().collect();
        edges.sort_by(|a, b| b.events.len().cmp(&a.events.len()).then((a.source, a.target).cmp(&(b.source, b.target))));
        edges.truncate(max_edges);
        let mut counts: HashMap<i64, usize> = HashMap::new();
        for e in &edges {
            *counts.entry(e.source).or_default() += e.events.len();
            *counts.entry(e.target).or_default() += e.events.len();
        }
        let mut name = self.conn.prepare_cached("SELECT kind, name FROM identities WHERE id = ?1")?;
        let mut nodes = Vec::with_capacity(counts.len());
        for (&id, &events) in &counts {
            let (kind, n): (String, String) = name
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .unwrap_or_else(|| ("MISC".into(), format!("identity {id}")));
            nodes.push(NetworkNode { id, kind, name: n, events });
        }
        nodes.sort_by(|a, b| b.events.cmp(&a.events).then(a.id.cmp(&b.id)));
        Ok(Network { nodes, edges })
    }

    /// Every mention of documents published within the days given (undated documents only
    /// when no bound is given), in document order.
    pub fn mentions(&self, since: Option<&str>, until: Option<&str>) -> Result<Vec<MentionRow>, StoreError> {
        let until = until_bound(&until.map(str::to_string));
        let mut stmt = self.conn.prepare(
            "SELECT d.id, m.start, m.end, m.text, m.type FROM mentions m JOIN documents d ON d.n = m.doc
             WHERE (?1 IS NULL OR substr(d.published, 1, 10) >= ?1) AND (?2 IS NULL OR d.published <= ?2)
             ORDER BY d.published IS NULL, d.published, d.id, m.start",
        )?;
        let rows = stmt.query_map(params![since, until], |r| {
            Ok(MentionRow {
                doc_id: r.get(0)?,
                start: r.get::<_, i64>(1)? as usize,
                end: r.get::<_, i64>(2)? as usize,
                text: r.get(3)?,
                kind: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The identities of a document's entities, by entity index.
    pub fn document_identities(&self, doc_id: &str) -> Result<HashMap<usize, i64>, StoreError> {
        let live = self.live_identities()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.entity, l.identity FROM identity_links l JOIN documents d ON d.n = l.doc WHERE d.id = ?1",
        )?;
        let rows = stmt.query_map([doc_id], |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (e, id) = row?;
            out.insert(e, live.get(&id).copied().unwrap_or(id));
        }
        Ok(out)
    }

    /// Where a stored document came from and when it was stored: (source, ingested at).
    pub fn provenance(&self, doc_id: &str) -> Result<Option<(String, String)>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT source, ingested_at FROM documents WHERE id = ?1", [doc_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?)
    }
}

fn event_row(r: &rusqlite::Row) -> rusqlite::Result<EventRow> {
    Ok(EventRow {
        doc_id: r.get(0)?,
        doc_title: r.get(1)?,
        published: r.get(2)?,
        source_url: r.get(3)?,
        ingested_at: r.get(4)?,
        k: r.get::<_, i64>(5)? as usize,
        start: r.get::<_, i64>(6)? as usize,
        end: r.get::<_, i64>(7)? as usize,
        text: r.get(8)?,
        cameo: r.get(9)?,
        plover: r.get(10)?,
        status: r.get(11)?,
        source: actor_cells(&r.get::<_, String>(12)?),
        target: actor_cells(&r.get::<_, String>(13)?),
        source_ids: Vec::new(),
        target_ids: Vec::new(),
        time_value: r.get(14)?,
        day: r.get(15)?,
        date: r.get(16)?,
        place: r.get(17)?,
        quad_class: r.get(18)?,
        goldstein: r.get(19)?,
        killed: r.get(20)?,
        injured: r.get(21)?,
        group: r.get(22)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_queries() {
        assert_eq!(day_of("2024-03-28TNI"), Some("2024-03-28"));
        assert_eq!(day_of("2024-03"), None);
        assert_eq!(day_of("PRESENT_REF"), None);
        assert!(is_day("2024-03-30"));
        assert!(!is_day("2024-3-30") && !is_day("2024-13-01") && !is_day("yesterday") && !is_day("2024-03-3x"));
        assert_eq!(fts_query("Oslo \"talks\" OR x*").as_deref(), Some("\"Oslo\" \"talks\" \"OR\" \"x\""));
        assert_eq!(fts_query("  ()  "), None);
        assert_eq!(
            actor_cells("IRNGOV|Raisi;|the crowd"),
            [
                ActorCell { text: "Raisi".into(), code: Some("IRNGOV".into()) },
                ActorCell { text: "the crowd".into(), code: None }
            ]
        );
    }
}
