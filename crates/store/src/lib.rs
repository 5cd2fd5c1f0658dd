//! Persistence of documents and their layers in an embedded SQLite file.
//!
//! Owns: the schema and its migrations, transactions, and the queries the CLI (and later the
//! server) need. A document is stored whole, as its contract JSON less the copies of its text
//! (restored on reading, so what `show` prints is what `extract` printed), plus relational rows for the layers that are queried across documents
//! (mentions, with code-point offsets).
//!
//! Must never: compute annotations, read article files, or change a document it is given.
//!
//! Durability: the file is in WAL mode; each [`Store::insert_batch`] is one transaction, so a
//! process killed mid-ingest leaves every committed batch intact and no partial document.

use dateline_model::{wire, CharIndex, Document};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("database holds schema version {found}, newer than this build ({known}): upgrade dateline")]
    TooNew { found: i64, known: i64 },
    #[error("stored document {id} is unreadable: {reason}")]
    Corrupt { id: String, reason: String },
    #[error("{0:?} matches {1} documents; give more of the id")]
    Ambiguous(String, usize),
}

/// Schema migrations, applied in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: documents and entity mentions.
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
];

/// What happened to one document given to [`Store::insert_batch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    New,
    /// A document with the same content hash was already stored.
    AlreadyStored,
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
}

/// A document with its contract JSON already written, so that the encoding (the costly part of
/// storing) can run on worker threads while one writer holds the database.
pub struct Encoded {
    pub doc: Document,
    pub json: String,
}

impl Encoded {
    pub fn new(doc: Document) -> Self {
        let json = wire::to_storage_json(&doc);
        Encoded { doc, json }
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn =
            Connection::open(path).map_err(|source| StoreError::Open { path: path.display().to_string(), source })?;
        Store::init(conn)
    }

    /// A database in memory, for tests and `extract`.
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew { found: version, known });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Stores documents in one transaction. Documents already stored (same content hash) are
    /// left as they are.
    pub fn insert_batch(&mut self, docs: &[Encoded]) -> Result<Vec<Inserted>, StoreError> {
        let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(docs.len());
        {
            let mut insert_doc = tx.prepare_cached(
                "INSERT OR IGNORE INTO documents (id, hash, source, title, published, dateline_place, outlet, text, json, ingested_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut insert_mention =
                tx.prepare_cached("INSERT INTO mentions (doc_id, start, end, text, type) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for Encoded { doc, json } in docs {
                let added = insert_doc.execute(params![
                    doc.id,
                    doc.hash,
                    doc.source,
                    doc.title,
                    doc.published.map(|p| p.to_string()),
                    doc.dateline.as_ref().map(|d| d.place.clone()),
                    doc.outlet,
                    doc.text,
                    json,
                    now,
                ])?;
                if added == 0 {
                    outcomes.push(Inserted::AlreadyStored);
                    continue;
                }
                let ix = CharIndex::new(&doc.text);
                for m in &doc.mentions {
                    let (start, end) = ix.to_chars(m.span);
                    insert_mention.execute(params![
                        doc.id,
                        start as i64,
                        end as i64,
                        doc.slice(m.span),
                        m.kind.as_str()
                    ])?;
                }
                outcomes.push(Inserted::New);
            }
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// Resolves a full id or a unique prefix of one.
    pub fn resolve_id(&self, prefix: &str) -> Result<Option<String>, StoreError> {
        let pattern = format!("{}%", prefix.replace(['%', '_'], ""));
        let mut stmt = self.conn.prepare("SELECT id FROM documents WHERE id LIKE ?1 LIMIT 2")?;
        let ids: Vec<String> = stmt.query_map([pattern], |r| r.get(0))?.collect::<Result<_, _>>()?;
        match ids.len() {
            0 => Ok(None),
            1 => Ok(ids.into_iter().next()),
            n => Err(StoreError::Ambiguous(prefix.to_string(), n)),
        }
    }

    /// A stored document.
    pub fn get(&self, id: &str) -> Result<Option<Document>, StoreError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row("SELECT json, text FROM documents WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match row {
            None => Ok(None),
            Some((json, text)) => wire::from_storage_json(&json, &text)
                .map(Some)
                .map_err(|e| StoreError::Corrupt { id: id.to_string(), reason: e.to_string() }),
        }
    }

    pub fn count(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?)
    }

    /// Every document, newest publication first, undated last.
    pub fn list(&self) -> Result<Vec<Summary>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.title, d.published, d.source, (SELECT count(*) FROM mentions m WHERE m.doc_id = d.id)
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
        assert_eq!(s.insert_batch(&batch).unwrap(), [Inserted::New, Inserted::New]);
        assert_eq!(s.insert_batch(&[Encoded::new(a.clone())]).unwrap(), [Inserted::AlreadyStored]);
        drop(s);
        let s = Store::open(&path).unwrap();
        assert_eq!(s.count().unwrap(), 2);
        let id = s.resolve_id(&a.id[..6]).unwrap().unwrap();
        assert_eq!(s.get(&id).unwrap().unwrap(), a);
        assert!(s.is_intact().unwrap());
    }
}
