//! Persistence of documents and their layers in an embedded SQLite file.
//!
//! Owns: the schema and its migrations, transactions, and the queries the CLI (and later the
//! server) need. A document is stored as its text, a few columns of metadata, and its layers in
//! the compact storage form of [`dateline_model::storage`] (what `show` prints is what
//! `extract` printed), plus relational rows for the layers that are queried across documents
//! (mentions, with code-point offsets; events), and the identities that link document
//! entities across documents ([`identities`]: the store asks `dateline_resolve::across` what
//! the evidence says, and writes the answer with the evidence).
//!
//! Must never: compute annotations, read article files, or change a document it is given.
//!
//! Durability: the file is in WAL mode; each [`Store::insert_batch`] is one transaction, so a
//! process killed mid-ingest leaves every committed batch intact and no partial document.
//! Concurrency: any number of readers and writers may open one file; writers wait for each
//! other (a busy timeout), and migrations run inside one `BEGIN IMMEDIATE` transaction that
//! re-reads the schema version, so two processes opening a fresh file never both migrate it.
//! Read-only opens ([`Store::open_read_only`]) never write, not even a schema.

mod identities;
mod views;

pub use identities::{profiles, Decision, EventReportRow, IdentityLink, IdentitySummary};
pub use views::{
    day_of, is_day, ActorCell, DocumentFilter, DocumentRow, EventFilter, EventRow, MentionRow, Network, NetworkEdge,
    NetworkNode, QuoteFilter, QuoteRow, MARK_END, MARK_START,
};

use dateline_model::{storage, wire, CharIndex, Document};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::path::Path;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open database {path}: {reason}")]
    Open { path: String, reason: String },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("database {path} holds schema version {found}, newer than this build ({known}): upgrade dateline")]
    TooNew { path: String, found: i64, known: i64 },
    #[error(
        "database {path} holds schema version {found}; this build reads version {known}: \
         run `dateline ingest` on it (any input) to upgrade it"
    )]
    TooOld { path: String, found: i64, known: i64 },
    #[error("stored document {id} is unreadable: {reason}")]
    Corrupt { id: String, reason: String },
    #[error("{}", ambiguous(.prefix, .candidates))]
    Ambiguous { prefix: String, candidates: Vec<(String, Option<String>)>, more: bool },
    #[error("give a document id, or a prefix of one (see `dateline list`)")]
    EmptyId,
    #[error("{0}")]
    Invalid(String),
}

fn ambiguous(prefix: &str, candidates: &[(String, Option<String>)]) -> String {
    let mut s = format!("{prefix:?} is the start of several document ids; give more of it. Candidates:");
    for (id, title) in candidates {
        s.push_str(&format!("\n  {id}  {}", title.as_deref().unwrap_or("(no title)")));
    }
    s
}

/// The SQLite message of an error, once: rusqlite repeats the library's message inside its
/// own ("Error code 14: Unable to open the database file: unable to open database file: …").
fn sqlite_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) => {
            // SQLite appends the path to some messages; the caller names the file already.
            msg.split(": /").next().unwrap_or(msg).to_string()
        }
        rusqlite::Error::SqliteFailure(code, None) => code.to_string(),
        other => other.to_string(),
    }
}

/// One schema migration: SQL, or code for what SQL cannot do (re-encoding rows).
enum Migration {
    Sql(&'static str),
    Code(fn(&rusqlite::Transaction) -> Result<(), StoreError>),
}

/// Schema migrations, applied in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[Migration] = &[
    // 1: documents and entity mentions.
    Migration::Sql(
        "CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        title TEXT,
        published TEXT,
        dateline_place TEXT,
        outlet TEXT,
        text TEXT NOT NULL,
        json TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE TABLE mentions (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        type TEXT NOT NULL
    );
    CREATE INDEX mentions_doc ON mentions(doc_id);
    CREATE INDEX mentions_text ON mentions(text);",
    ),
    // 2: documents get an integer key that mentions refer to (a mention row was a third its
    // document's 16-character id), mentions are clustered by document (no separate index; the
    // index by mention text goes too, until a query needs one),
    // and layers move to the compact storage form (`layers`; the old `json` column is kept
    // for rows not yet re-encoded, and emptied by migration 3).
    Migration::Sql(
        "CREATE TABLE documents_v2 (
        n INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        title TEXT,
        published TEXT,
        dateline_place TEXT,
        outlet TEXT,
        text TEXT NOT NULL,
        layers BLOB,
        json TEXT,
        ingested_at TEXT NOT NULL
    );
    INSERT INTO documents_v2 (id, hash, source, title, published, dateline_place, outlet, text, json, ingested_at)
        SELECT id, hash, source, title, published, dateline_place, outlet, text, json, ingested_at FROM documents;
    CREATE TABLE mentions_v2 (
        doc INTEGER NOT NULL REFERENCES documents_v2(n) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        type TEXT NOT NULL,
        PRIMARY KEY (doc, start)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO mentions_v2 SELECT d.n, m.start, m.end, m.text, m.type
        FROM mentions m JOIN documents_v2 d ON d.id = m.doc_id;
    DROP TABLE mentions;
    DROP TABLE documents;
    ALTER TABLE documents_v2 RENAME TO documents;
    ALTER TABLE mentions_v2 RENAME TO mentions;",
    ),
    // 3: every row still in the JSON storage form is re-encoded.
    Migration::Code(reencode_json_rows),
    // 4: events, one row each, for queries by type, actor, status and time (the full event,
    // with its evidence, stays in the document's layers). Documents stored before have none
    // until they are ingested again with `--replace`.
    Migration::Sql(
        "CREATE TABLE events (
        doc INTEGER NOT NULL REFERENCES documents(n) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        k INTEGER NOT NULL,
        cameo TEXT NOT NULL,
        plover TEXT,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        time_value TEXT,
        PRIMARY KEY (doc, k)
    ) WITHOUT ROWID;
    CREATE INDEX events_cameo ON events(cameo);
    CREATE INDEX events_plover ON events(plover);",
    ),
    // 5: identities across documents, their blocking keys, the links of document entities
    // with their evidence, and the analyst's decisions (see `identities`). Documents stored
    // before are linked when they are ingested again with `--replace`.
    Migration::Sql(identities::MIGRATION),
    // 6: reports of one event across documents (see `identities::group_events`).
    Migration::Sql(identities::EVENT_GROUPS_MIGRATION),
    // 7: what serving reads by filter: quotes, event actors' identities, event places and
    // days, a full-text index (see `views`); 8: their rows for documents stored before.
    Migration::Sql(views::MIGRATION),
    Migration::Code(views::backfill),
    // 9: each event's date (its own day, else its report's publication day) as a column with
    // an index, so the newest events are read off the index instead of sorted at each request.
    Migration::Sql(views::EVENT_DATE_MIGRATION),
    // 10: an event's CAMEO code may be missing (an act typed in PLOVER alone).
    Migration::Code(cameo_nullable),
];

/// Rebuilds the events table with `cameo` nullable (SQLite cannot drop a NOT NULL in place):
/// the table's own definition less the constraint, its rows copied, its indexes made again.
/// No table refers to events by a foreign key, so dropping the old one deletes nothing else.
fn cameo_nullable(tx: &rusqlite::Transaction) -> Result<(), StoreError> {
    let table: String =
        tx.query_row("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'", [], |r| r.get(0))?;
    let indexes: Vec<String> = {
        let mut stmt = tx.prepare(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let rebuilt = table.replacen("cameo TEXT NOT NULL", "cameo TEXT", 1).replacen("events", "events_v10", 1);
    tx.execute_batch(&format!(
        "{rebuilt};
        INSERT INTO events_v10 SELECT * FROM events;
        DROP TABLE events;
        ALTER TABLE events_v10 RENAME TO events;"
    ))?;
    for sql in indexes {
        tx.execute_batch(&sql)?;
    }
    Ok(())
}

/// Every row still in the JSON storage form is read and written again compactly.
fn reencode_json_rows(tx: &rusqlite::Transaction) -> Result<(), StoreError> {
    let ids: Vec<String> = {
        let mut stmt = tx.prepare("SELECT id FROM documents WHERE layers IS NULL")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut read = tx.prepare("SELECT json, text FROM documents WHERE id = ?1")?;
    let mut write = tx.prepare("UPDATE documents SET layers = ?2, json = NULL WHERE id = ?1")?;
    for id in ids {
        let (json, text): (String, String) = read.query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let doc = wire::from_storage_json(&json, &text)
            .map_err(|e| StoreError::Corrupt { id: id.clone(), reason: e.to_string() })?;
        write.execute(params![id, storage::encode(&doc)])?;
    }
    Ok(())
}

/// What happened to one document given to [`Store::insert_batch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    New,
    /// A document with the same content hash was already stored (and left as it was).
    AlreadyStored,
    /// A document with the same content hash was stored and has been replaced.
    Replaced,
}

/// One line of `list`.
#[derive(Debug, Clone)]
pub struct Summary {
    pub id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: String,
    pub mentions: i64,
}

pub struct Store {
    conn: Connection,
    linking: LinkingStats,
}

/// What identity linking has cost this store handle: documents and entities linked, and the
/// time spent (lookups, decisions and writes, inside the batches' transactions).
#[derive(Debug, Clone, Copy, Default)]
pub struct LinkingStats {
    pub documents: u64,
    pub entities: u64,
    pub time: Duration,
}

/// A document with its storage form already encoded, so that the encoding (the costly part of
/// storing) can run on worker threads while one writer holds the database.
pub struct Encoded {
    pub doc: Document,
    pub layers: Vec<u8>,
    /// What cross-document linking compares, for each linkable entity.
    pub profiles: Vec<(usize, dateline_resolve::across::Profile)>,
}

impl Encoded {
    pub fn new(doc: Document) -> Self {
        let layers = storage::encode(&doc);
        let profiles = identities::profiles(&doc);
        Encoded { doc, layers, profiles }
    }
}

/// Bytes per database page for new files (see [`Store::open`]).
const PAGE_SIZE: i64 = 1024;

/// How long a writer waits for another to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(120);

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_err = |e: rusqlite::Error| {
            let mut reason = sqlite_message(&e);
            if path.parent().is_some_and(|p| !p.as_os_str().is_empty() && !p.is_dir()) {
                reason.push_str(" (its folder does not exist)");
            }
            StoreError::Open { path: path.display().to_string(), reason }
        };
        let conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Identity linking reads index pages all over the file for every document: a page
        // cache of 32 MB (a bound, not a growth) keeps the hot part of the indexes in memory
        // as the store grows (the default is 2 MB).
        conn.pragma_update(None, "cache_size", -32768).map_err(open_err)?;
        // Small pages: a document's text and layers overflow into a chain of pages whose last
        // is half empty on average, so the page size is what each document wastes (a fresh
        // file only; an existing one keeps its size).
        conn.pragma_update(None, "page_size", PAGE_SIZE).map_err(open_err)?;
        // Switching a fresh file to WAL takes an exclusive lock, and SQLite answers "database
        // is locked" at once (the busy handler does not wait for it) while another process
        // creates the schema: wait and try again, as the busy timeout would.
        let started = std::time::Instant::now();
        loop {
            match conn.pragma_update(None, "journal_mode", "WAL") {
                Ok(()) => break,
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                        && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(open_err(e)),
            }
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store { conn, linking: LinkingStats::default() };
        store.migrate(path)?;
        Ok(store)
    }

    /// Opens an existing database for reading only: nothing is written, not even a schema.
    /// An empty file, a file that is no dateline database, or one whose schema this build does
    /// not read is an error that says so.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        let open_err = |reason: String| StoreError::Open { path: name.clone(), reason };
        if !path.exists() {
            return Err(open_err("no such file (run `dateline ingest PATH` first, or pass --db)".into()));
        }
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| open_err(sqlite_message(&e)))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| open_err(format!("{} (is it an SQLite file?)", sqlite_message(&e))))?;
        let known = MIGRATIONS.len() as i64;
        if version == 0 {
            return Err(open_err("not a dateline database (it holds no dateline schema)".into()));
        }
        if version > known {
            return Err(StoreError::TooNew { path: name, found: version, known });
        }
        if version < known {
            return Err(StoreError::TooOld { path: name, found: version, known });
        }
        Ok(Store { conn, linking: LinkingStats::default() })
    }

    /// A database in memory, for tests.
    pub fn in_memory() -> Result<Store, StoreError> {
        let mut store = Store { conn: Connection::open_in_memory()?, linking: LinkingStats::default() };
        store.migrate(Path::new(":memory:"))?;
        Ok(store)
    }

    fn migrate(&mut self, path: &Path) -> Result<(), StoreError> {
        let known = MIGRATIONS.len() as i64;
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version == known {
            return Ok(());
        }
        // Take the write lock first, then read the version again: another process may have
        // migrated the file between the two reads.
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > known {
            return Err(StoreError::TooNew { path: path.display().to_string(), found: version, known });
        }
        let reencoded = version > 0 && version < known;
        for m in MIGRATIONS.iter().skip(version as usize) {
            match m {
                Migration::Sql(sql) => tx.execute_batch(sql)?,
                Migration::Code(f) => f(&tx)?,
            }
        }
        tx.pragma_update(None, "user_version", known)?;
        tx.commit()?;
        if reencoded {
            // Give back the space the old form took.
            self.conn.execute_batch("VACUUM")?;
        }
        Ok(())
    }

    /// Whether a document with this content hash is stored.
    pub fn contains_hash(&self, hash: &str) -> Result<bool, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT 1 FROM documents WHERE hash = ?1")?;
        Ok(stmt.exists([hash])?)
    }

    /// Stores documents in one transaction. A document already stored (same content hash) is
    /// left as it is, or, with `replace`, replaced by the one given (re-annotated).
    pub fn insert_batch(&mut self, docs: &[Encoded], replace: bool) -> Result<Vec<Inserted>, StoreError> {
        let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut outcomes = Vec::with_capacity(docs.len());
        {
            let mut insert_doc = tx.prepare_cached(
                "INSERT OR IGNORE INTO documents (id, hash, source, title, published, dateline_place, outlet, text, ingested_at, layers)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut delete_doc = tx.prepare_cached("DELETE FROM documents WHERE hash = ?1")?;
            let mut insert_event = tx.prepare_cached(
                "INSERT INTO events (doc, start, end, k, cameo, plover, status, source, target, time_value)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut insert_mention = tx.prepare_cached(
                "INSERT OR IGNORE INTO mentions (doc, start, end, text, type) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut unlink = tx.prepare_cached(
                "UPDATE identities SET links = links - (SELECT count(*) FROM identity_links l
                     WHERE l.identity = identities.id AND l.doc = (SELECT n FROM documents WHERE hash = ?1))
                 WHERE id IN (SELECT identity FROM identity_links
                     WHERE doc = (SELECT n FROM documents WHERE hash = ?1))",
            )?;
            for Encoded { doc, layers, profiles } in docs {
                if replace {
                    // The links go with the document (a cascade); their counts go here.
                    unlink.execute([&doc.hash])?;
                }
                let replaced = replace && delete_doc.execute([&doc.hash])? > 0;
                let added = insert_doc.execute(params![
                    doc.id,
                    doc.hash,
                    doc.source,
                    doc.title,
                    doc.published.map(|p| p.to_string()),
                    doc.dateline.as_ref().map(|d| d.place.clone()),
                    doc.outlet,
                    doc.text,
                    now,
                    layers,
                ])?;
                if added == 0 {
                    outcomes.push(Inserted::AlreadyStored);
                    continue;
                }
                let n = tx.last_insert_rowid();
                let ix = CharIndex::new(&doc.text);
                for m in &doc.mentions {
                    let (start, end) = ix.to_chars(m.span);
                    insert_mention.execute(params![n, start as i64, end as i64, doc.slice(m.span), m.kind.as_str()])?;
                }
                // Actors as "code|text" joined by ";", so a LIKE finds either.
                let actors = |v: &[dateline_model::EventActor]| {
                    v.iter()
                        .map(|a| format!("{}|{}", a.code.as_deref().unwrap_or(""), doc.slice(a.span)))
                        .collect::<Vec<_>>()
                        .join(";")
                };
                for (k, e) in doc.events.iter().enumerate() {
                    let (start, end) = ix.to_chars(e.span);
                    let value =
                        e.time.and_then(|t| doc.timexes.iter().find(|x| x.span == t)).and_then(|x| x.value.clone());
                    insert_event.execute(params![
                        n,
                        start as i64,
                        end as i64,
                        k as i64,
                        e.cameo,
                        e.plover,
                        e.status.as_str(),
                        actors(&e.source),
                        actors(&e.target),
                        value
                    ])?;
                }
                let t0 = std::time::Instant::now();
                let linked = identities::link_document(&tx, n, profiles)?;
                identities::group_events(&tx, n, doc, &linked)?;
                views::index_document(&tx, n, doc, &linked)?;
                views::date_events(&tx, n)?;
                self.linking.time += t0.elapsed();
                self.linking.documents += 1;
                self.linking.entities += profiles.len() as u64;
                outcomes.push(if replaced { Inserted::Replaced } else { Inserted::New });
            }
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// Resolves a full id or a unique prefix of one. The prefix is matched literally (ids are
    /// hex: `%` or `_` match nothing); an ambiguous prefix is an error listing candidates.
    pub fn resolve_id(&self, prefix: &str) -> Result<Option<String>, StoreError> {
        const SHOWN: usize = 10;
        if prefix.is_empty() {
            return Err(StoreError::EmptyId);
        }
        let mut stmt = self
            .conn
            .prepare("SELECT id, title FROM documents WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT ?2")?;
        let rows = stmt.query_map(params![prefix, SHOWN as i64 + 1], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let mut ids: Vec<(String, Option<String>)> = rows.collect::<Result<_, _>>()?;
        match ids.len() {
            0 => Ok(None),
            1 => Ok(ids.pop().map(|(id, _)| id)),
            n => {
                ids.truncate(SHOWN);
                Err(StoreError::Ambiguous { prefix: prefix.to_string(), candidates: ids, more: n > SHOWN })
            }
        }
    }

    /// A stored document.
    pub fn get(&self, id: &str) -> Result<Option<Document>, StoreError> {
        let row: Option<(Option<Vec<u8>>, Option<String>, String)> = self
            .conn
            .query_row("SELECT layers, json, text FROM documents WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let corrupt = |reason: String| StoreError::Corrupt { id: id.to_string(), reason };
        match row {
            None => Ok(None),
            Some((Some(layers), _, text)) => storage::decode(&layers, &text).map(Some).map_err(corrupt),
            Some((None, Some(json), text)) => {
                wire::from_storage_json(&json, &text).map(Some).map_err(|e| corrupt(e.to_string()))
            }
            Some((None, None, _)) => Err(corrupt("the row holds no layers".into())),
        }
    }

    /// What identity linking has cost since this store was opened.
    pub fn linking_stats(&self) -> LinkingStats {
        self.linking
    }

    /// How many events are stored.
    pub fn event_count(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?)
    }

    pub fn count(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?)
    }

    /// Every document, newest publication first, undated last.
    pub fn list(&self) -> Result<Vec<Summary>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.title, d.published, d.source, (SELECT count(*) FROM mentions m WHERE m.doc = d.n)
             FROM documents d ORDER BY d.published IS NULL, d.published DESC, d.source",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Summary {
                id: r.get(0)?,
                title: r.get(1)?,
                published: r.get(2)?,
                source: r.get(3)?,
                mentions: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// `PRAGMA integrity_check` answered "ok".
    pub fn is_intact(&self) -> Result<bool, StoreError> {
        let r: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(r == "ok")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dateline_model::{EntityType, Mention, Span};

    fn doc(text: &str) -> Document {
        let mut d = Document::new("t.txt", text);
        d.mentions.push(Mention { span: Span::new(0, 4), kind: EntityType::Place, country: None });
        d
    }

    #[test]
    fn insert_is_idempotent_and_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut s = Store::open(&path).unwrap();
        let a = doc("Oslo hosts talks.");
        let batch = [Encoded::new(a.clone()), Encoded::new(doc("Rome too."))];
        assert_eq!(s.insert_batch(&batch, false).unwrap(), [Inserted::New, Inserted::New]);
        assert_eq!(s.insert_batch(&[Encoded::new(a.clone())], false).unwrap(), [Inserted::AlreadyStored]);
        assert!(s.contains_hash(&a.hash).unwrap());
        let mut changed = a.clone();
        changed.mentions.clear();
        assert_eq!(s.insert_batch(&[Encoded::new(changed.clone())], true).unwrap(), [Inserted::Replaced]);
        drop(s);
        let s = Store::open_read_only(&path).unwrap();
        assert_eq!(s.count().unwrap(), 2);
        let id = s.resolve_id(&a.id[..6]).unwrap().unwrap();
        assert_eq!(s.get(&id).unwrap().unwrap(), changed);
        assert!(s.is_intact().unwrap());
    }

    #[test]
    fn prefixes_are_literal_and_ambiguity_lists_candidates() {
        let mut s = Store::in_memory().unwrap();
        let docs: Vec<Encoded> = (0..40).map(|i| Encoded::new(doc(&format!("Oslo item {i}.")))).collect();
        s.insert_batch(&docs, false).unwrap();
        for wild in ["%", "_", "%%"] {
            assert_eq!(s.resolve_id(wild).unwrap(), None, "{wild}");
        }
        assert!(matches!(s.resolve_id(""), Err(StoreError::EmptyId)));
        let first = &docs[0].doc.id;
        let shared =
            docs.iter().find(|d| d.doc.id != *first && d.doc.id[..1] == first[..1]).expect("40 ids share a digit");
        match s.resolve_id(&shared.doc.id[..1]) {
            Err(e @ StoreError::Ambiguous { .. }) => {
                let msg = e.to_string();
                assert!(msg.contains(first) && msg.contains("Candidates"), "{msg}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn read_only_opens_never_write() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.db");
        assert!(Store::open_read_only(&missing).is_err());
        assert!(!missing.exists());
        let empty = dir.path().join("empty.db");
        std::fs::write(&empty, b"").unwrap();
        let e = Store::open_read_only(&empty).err().unwrap().to_string();
        assert!(e.contains("not a dateline database"), "{e}");
        assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
    }

    #[test]
    fn version_1_databases_are_migrated_to_the_compact_form() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let old = doc("Oslo hosts talks about the fjord ferries.");
        {
            let conn = Connection::open(&path).unwrap();
            let Migration::Sql(v1) = &MIGRATIONS[0] else { unreachable!() };
            conn.execute_batch(v1).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute(
                "INSERT INTO documents (id, hash, source, text, json, ingested_at) VALUES (?1, ?2, 't', ?3, ?4, 'now')",
                params![old.id, old.hash, old.text, wire::to_storage_json(&old)],
            )
            .unwrap();
            conn.execute("INSERT INTO mentions VALUES (?1, 0, 4, 'Oslo', 'PLACE')", [&old.id]).unwrap();
        }
        let e = Store::open_read_only(&path).err().unwrap().to_string();
        assert!(e.contains("schema version 1"), "{e}");
        let s = Store::open(&path).unwrap();
        assert_eq!(s.get(&old.id).unwrap().unwrap(), old);
        let json: Option<String> = s.conn.query_row("SELECT json FROM documents", [], |r| r.get(0)).unwrap();
        assert_eq!(json, None);
        let mentions: i64 = s.conn.query_row("SELECT count(*) FROM mentions", [], |r| r.get(0)).unwrap();
        assert_eq!(mentions, 1, "mentions carried over to the new table");
    }

    /// Migration 10 lets an event's CAMEO code be missing: a version 9 file keeps its events
    /// and their indexes, and an act typed in PLOVER alone is stored and listed.
    #[test]
    fn events_without_a_cameo_code_are_stored_after_migration_10() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v9.db");
        let indexes = |conn: &Connection| -> i64 {
            conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'", [], |r| {
                r.get(0)
            })
            .unwrap()
        };
        let before = {
            let mut conn = Connection::open(&path).unwrap();
            let tx = conn.transaction().unwrap();
            for m in &MIGRATIONS[..9] {
                match m {
                    Migration::Sql(sql) => tx.execute_batch(sql).unwrap(),
                    Migration::Code(f) => f(&tx).unwrap(),
                }
            }
            tx.pragma_update(None, "user_version", 9).unwrap();
            tx.execute(
                "INSERT INTO documents (n, id, hash, source, text, ingested_at) VALUES (1, 'd1', 'h1', 't', 'Oslo hosts talks.', 'now')",
                [],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO events (doc, start, end, k, cameo, status, source, target) VALUES (1, 0, 4, 0, '043', 'asserted', 'Oslo', '')",
                [],
            )
            .unwrap();
            tx.commit().unwrap();
            indexes(&conn)
        };
        let mut s = Store::open(&path).unwrap();
        let (cameo, rows): (Option<String>, i64) =
            s.conn.query_row("SELECT max(cameo), count(*) FROM events", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!((cameo.as_deref(), rows), (Some("043"), 1));
        assert_eq!(indexes(&s.conn), before);
        let mut d = doc("Oslo donated grain.");
        d.events.push(dateline_model::Event {
            span: Span::new(0, 19),
            trigger: Span::new(5, 12),
            cameo: None,
            plover: Some("AID".into()),
            plover_mode: None,
            quad_class: None,
            goldstein: None,
            source: vec![dateline_model::EventActor { span: Span::new(0, 4), code: None, kind: None, entity: None }],
            target: Vec::new(),
            time: None,
            place: None,
            status: dateline_model::EventStatus::Asserted,
            historical: false,
            attribution: None,
            counts: Vec::new(),
        });
        s.insert_batch(&[Encoded::new(d.clone())], false).unwrap();
        let filter = views::EventFilter { kind: Some("AID".into()), limit: 10, ..Default::default() };
        let (n, rows) = s.events(&filter).unwrap();
        assert_eq!((n, rows[0].cameo.as_deref(), rows[0].plover.as_deref()), (1, None, Some("AID")));
        assert_eq!(s.get(&d.id).unwrap().unwrap().events, d.events);
    }

    #[test]
    fn concurrent_opens_of_a_fresh_file_all_succeed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("race.db");
        let handles: Vec<_> = (0..6)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let mut s = Store::open(&path).expect("open");
                    s.insert_batch(&[Encoded::new(doc(&format!("Oslo writer {i}.")))], false).expect("insert");
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(Store::open_read_only(&path).unwrap().count().unwrap(), 6);
    }
}
