//! Stored identities: each document entity linked to one, with the evidence; the analyst's
//! merges and splits, which win over the automatic links and survive re-ingest.
//!
//! Tables (migration 5):
//! - `identities`: one row per identity (kind, fullest name, code, the profile that linking
//!   compares, how many entities are linked); a merged identity points to the one it went
//!   into (`merged_into`);
//! - `identity_keys`: blocking keys → identities (the only way candidates are found, so the
//!   cost of linking a document does not grow with the store); `manual` marks the names an
//!   analyst's merge gave;
//! - `identity_links`: (document, entity index) → identity, the entity's name and the
//!   evidence (JSON: kind, the names matched, the corroboration);
//! - `identity_exclusions`: names that an analyst split off an identity, never linked to it
//!   again;
//! - `identity_decisions`: every manual decision, with its note and time.

use crate::StoreError;
use dateline_model::Document;
use dateline_resolve::across::{self, Evidence, Profile};
use rusqlite::{params, OptionalExtension, Transaction};

/// Candidates read per blocking key: a key shared by more identities than this (a common
/// surname's sound) gives only the most linked ones.
const PER_KEY: i64 = 32;

/// Migration 6: event rows learn their reports' group, their actors' identities and their
/// counts, for merging reports across documents and showing where they disagree.
pub(crate) const EVENT_GROUPS_MIGRATION: &str = "ALTER TABLE events ADD COLUMN grp INTEGER;
    ALTER TABLE events ADD COLUMN month TEXT;
    ALTER TABLE events ADD COLUMN source_ids TEXT;
    ALTER TABLE events ADD COLUMN target_ids TEXT;
    ALTER TABLE events ADD COLUMN killed INTEGER;
    ALTER TABLE events ADD COLUMN injured INTEGER;
    CREATE INDEX events_plover_month ON events(plover, month);
    CREATE INDEX events_grp ON events(grp);";

pub(crate) const MIGRATION: &str = "CREATE TABLE identities (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        code TEXT,
        profile TEXT NOT NULL,
        links INTEGER NOT NULL DEFAULT 0,
        merged_into INTEGER REFERENCES identities(id)
    );
    CREATE INDEX identities_name ON identities(name);
    CREATE TABLE identity_keys (
        key TEXT NOT NULL,
        identity INTEGER NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
        manual INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (key, identity)
    ) WITHOUT ROWID;
    CREATE TABLE identity_links (
        doc INTEGER NOT NULL REFERENCES documents(n) ON DELETE CASCADE,
        entity INTEGER NOT NULL,
        identity INTEGER NOT NULL REFERENCES identities(id),
        name TEXT NOT NULL,
        evidence TEXT NOT NULL,
        PRIMARY KEY (doc, entity)
    ) WITHOUT ROWID;
    CREATE INDEX identity_links_identity ON identity_links(identity);
    CREATE TABLE identity_exclusions (
        identity INTEGER NOT NULL REFERENCES identities(id),
        name TEXT NOT NULL,
        PRIMARY KEY (identity, name)
    ) WITHOUT ROWID;
    CREATE TABLE identity_decisions (
        n INTEGER PRIMARY KEY,
        action TEXT NOT NULL,
        identity INTEGER NOT NULL,
        other INTEGER,
        name TEXT,
        note TEXT,
        at TEXT NOT NULL
    );";

/// The profiles of a document's linkable entities, computed where the document is encoded
/// (on worker threads), so that the writer only looks up and decides.
pub fn profiles(doc: &Document) -> Vec<(usize, Profile)> {
    let linkable: Vec<usize> = (0..doc.entities.len()).filter(|&e| across::linkable(&doc.entities[e])).collect();
    if linkable.is_empty() {
        return Vec::new();
    }
    let d = dateline_events::Dictionaries::builtin();
    linkable.into_iter().map(|e| (e, Profile::of_entity(doc, e, d))).collect()
}

/// The identity an identity was merged into, followed to the end.
fn live(tx: &Transaction, mut id: i64) -> Result<i64, StoreError> {
    for _ in 0..64 {
        let next: Option<i64> =
            tx.query_row("SELECT merged_into FROM identities WHERE id = ?1", [id], |r| r.get(0)).optional()?.flatten();
        match next {
            Some(n) => id = n,
            None => return Ok(id),
        }
    }
    Ok(id)
}

fn load_profile(tx: &Transaction, id: i64) -> Result<Profile, StoreError> {
    let json: String = tx.query_row("SELECT profile FROM identities WHERE id = ?1", [id], |r| r.get(0))?;
    serde_json::from_str(&json).map_err(|e| StoreError::Corrupt { id: format!("identity {id}"), reason: e.to_string() })
}

fn save_profile(tx: &Transaction, id: i64, p: &Profile) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE identities SET profile = ?2, name = ?3, code = ?4 WHERE id = ?1",
        params![id, serde_json::to_string(p).expect("profiles serialize"), p.name, p.code],
    )?;
    Ok(())
}

fn add_keys(tx: &Transaction, id: i64, p: &Profile) -> Result<(), StoreError> {
    let mut stmt = tx.prepare_cached("INSERT OR IGNORE INTO identity_keys (key, identity) VALUES (?1, ?2)")?;
    for k in p.keys() {
        stmt.execute(params![k, id])?;
    }
    Ok(())
}

/// Links every profiled entity of a just-inserted document (`doc`: its row number).
pub(crate) fn link_document(
    tx: &Transaction,
    doc: i64,
    profiles: &[(usize, Profile)],
) -> Result<Vec<(usize, i64)>, StoreError> {
    let common = common_names(tx, profiles)?;
    let mut linked = Vec::with_capacity(profiles.len());
    for (entity, profile) in profiles {
        let mut profile = profile.clone();
        profile.context.retain(|n| !common.contains(n));
        let profile = &profile;
        let (identity, evidence) = link_one(tx, profile)?;
        tx.execute(
            "INSERT OR REPLACE INTO identity_links (doc, entity, identity, name, evidence) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                doc,
                *entity as i64,
                identity,
                profile.name,
                serde_json::to_string(&evidence).expect("evidence serializes")
            ],
        )?;
        tx.execute("UPDATE identities SET links = links + 1 WHERE id = ?1", [identity])?;
        linked.push((*entity, identity));
    }
    Ok(linked)
}

/// Reports of one event across documents: each event row of a just-linked document gets its
/// actors' identities, and joins the group of an earlier report of the same event (same
/// PLOVER type, compatible time, the same parties: `across::same_event`), or starts its own.
/// Candidates are the reports of that type in the same month (an index), never all events.
pub(crate) fn group_events(
    tx: &Transaction,
    n: i64,
    doc: &Document,
    linked: &[(usize, i64)],
) -> Result<(), StoreError> {
    let identity_of = |e: Option<usize>| e.and_then(|e| linked.iter().find(|(x, _)| *x == e).map(|(_, i)| *i));
    let mut update = tx.prepare_cached(
        "UPDATE events SET grp = ?3, month = ?4, source_ids = ?5, target_ids = ?6, killed = ?7, injured = ?8
         WHERE doc = ?1 AND k = ?2",
    )?;
    let mut candidates = tx.prepare_cached(
        "SELECT grp, time_value, source_ids, target_ids FROM events
         WHERE plover = ?1 AND month = ?2 AND doc <> ?3 AND grp IS NOT NULL LIMIT 200",
    )?;
    let ids = |v: &[dateline_model::EventActor]| {
        let mut out: Vec<i64> = Vec::new();
        for a in v {
            if let Some(i) = identity_of(a.entity) {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        out
    };
    let join = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let parse =
        |s: Option<String>| -> Vec<i64> { s.unwrap_or_default().split(',').filter_map(|x| x.parse().ok()).collect() };
    for (k, e) in doc.events.iter().enumerate() {
        let value = e.time.and_then(|t| doc.timexes.iter().find(|x| x.span == t)).and_then(|x| x.value.clone());
        let report = across::EventReport {
            plover: e.plover.clone().unwrap_or_default(),
            time_value: value.clone().unwrap_or_default(),
            sources: ids(&e.source),
            targets: ids(&e.target),
        };
        let month = value.as_deref().filter(|v| across::times_compatible(v, v)).map(|v| v[..7].to_string());
        let mut grp = n * 10_000 + k as i64;
        if let (Some(m), Some(_)) = (&month, &e.plover) {
            let rows = candidates.query_map(params![report.plover, m, n], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })?;
            for row in rows {
                let (g, v, src, tgt) = row?;
                let other = across::EventReport {
                    plover: report.plover.clone(),
                    time_value: v.unwrap_or_default(),
                    sources: parse(src),
                    targets: parse(tgt),
                };
                if across::same_event(&report, &other) {
                    grp = g;
                    break;
                }
            }
        }
        let count = |kind| e.counts.iter().find(|c| c.kind == kind).map(|c| i64::from(c.count));
        update.execute(params![
            n,
            k as i64,
            grp,
            month,
            join(&report.sources),
            join(&report.targets),
            count(dateline_model::CountKind::Killed),
            count(dateline_model::CountKind::Injured)
        ])?;
    }
    Ok(())
}

/// The names of this document's people and organisations that are stored identities named in
/// many documents ("Tony Blair" in British news): being named alongside them corroborates
/// nothing. Many: in more than 2 % of the stored documents, and more than 10.
fn common_names(tx: &Transaction, profiles: &[(usize, Profile)]) -> Result<Vec<String>, StoreError> {
    // Documents stored, read off the largest row number (a count would scan the table, and
    // this runs for every document).
    let stored: i64 = tx.query_row("SELECT coalesce(max(n), 0) FROM documents", [], |r| r.get(0))?;
    let threshold = (stored / 50).max(10);
    let mut stmt = tx.prepare_cached(
        "SELECT max(i.links) FROM identity_keys k JOIN identities i ON i.id = k.identity WHERE k.key = ?1",
    )?;
    let mut out = Vec::new();
    for (_, p) in profiles {
        if !matches!(p.kind.as_str(), "PERSON" | "ORG") {
            continue;
        }
        let name = dateline_resolve::names::words(&p.name).join(" ");
        let key = format!(
            "n:{}:{}",
            p.kind,
            dateline_resolve::names::core_words(&dateline_resolve::names::words(&p.name)).join(" ")
        );
        let links: Option<i64> = stmt.query_row([key], |r| r.get(0))?;
        if links.is_some_and(|l| l > threshold) {
            out.push(name);
        }
    }
    Ok(out)
}

fn link_one(tx: &Transaction, p: &Profile) -> Result<(i64, Evidence), StoreError> {
    let keys = p.keys();
    let mut candidates: Vec<i64> = Vec::new();
    let mut manual: Option<i64> = None;
    {
        let mut stmt = tx.prepare_cached(
            "SELECT k.identity, k.manual FROM identity_keys k JOIN identities i ON i.id = k.identity
             WHERE k.key = ?1 AND i.kind = ?2 ORDER BY k.manual DESC, i.links DESC LIMIT ?3",
        )?;
        for k in &keys {
            let rows =
                stmt.query_map(params![k, p.kind, PER_KEY], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (id, is_manual) = row?;
                let id = live(tx, id)?;
                if is_manual == 1 && k.starts_with("n:") && manual.is_none() {
                    manual = Some(id);
                }
                if !candidates.contains(&id) {
                    candidates.push(id);
                }
            }
        }
    }
    // Names an analyst split off an identity never link to it again.
    let mut excluded = tx.prepare_cached("SELECT 1 FROM identity_exclusions WHERE identity = ?1 AND name = ?2")?;
    let mut allowed = Vec::with_capacity(candidates.len());
    for id in candidates {
        let mut out = false;
        for n in std::iter::once(&p.name).chain(&p.names) {
            if excluded.exists(params![id, n.to_lowercase()])? {
                out = true;
            }
        }
        if !out {
            allowed.push(id);
        }
    }
    if let Some(id) = manual.filter(|id| allowed.contains(id)) {
        let mut stored = load_profile(tx, id)?;
        stored.absorb(p);
        save_profile(tx, id, &stored)?;
        add_keys(tx, id, p)?;
        let ev = Evidence {
            kind: "manual_merge".into(),
            name: p.name.clone(),
            matched: stored.name,
            corroboration: Vec::new(),
        };
        return Ok((id, ev));
    }
    let profiles: Vec<Profile> = allowed.iter().map(|&id| load_profile(tx, id)).collect::<Result<_, _>>()?;
    if let Some((i, evidence)) = across::decide(p, &profiles) {
        let id = allowed[i];
        let mut stored = profiles[i].clone();
        stored.absorb(p);
        save_profile(tx, id, &stored)?;
        add_keys(tx, id, p)?;
        return Ok((id, evidence));
    }
    tx.execute(
        "INSERT INTO identities (kind, name, code, profile) VALUES (?1, ?2, ?3, ?4)",
        params![p.kind, p.name, p.code, serde_json::to_string(p).expect("profiles serialize")],
    )?;
    let id = tx.last_insert_rowid();
    add_keys(tx, id, p)?;
    Ok((id, Evidence { kind: "new".into(), name: p.name.clone(), matched: String::new(), corroboration: Vec::new() }))
}

/// One identity as `dateline actors` lists it.
#[derive(Debug, Clone)]
pub struct IdentitySummary {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub code: Option<String>,
    pub aliases: Vec<String>,
    /// How texts refer to it by title ("the president").
    pub titles: Vec<String>,
    /// Its roles as written.
    pub roles: Vec<String>,
    pub links: i64,
    pub documents: i64,
}

/// One linked document entity of an identity, with the evidence of the link.
#[derive(Debug, Clone)]
pub struct IdentityLink {
    pub doc_id: String,
    pub doc_title: Option<String>,
    pub published: Option<String>,
    pub entity: usize,
    pub name: String,
    pub evidence: Evidence,
}

/// One report of an event that several documents report.
#[derive(Debug, Clone)]
pub struct EventReportRow {
    pub group: i64,
    pub doc_id: String,
    pub outlet: Option<String>,
    pub source: String,
    /// The event's index in its document's events layer.
    pub k: usize,
    pub status: String,
    pub killed: Option<i64>,
    pub injured: Option<i64>,
    pub time_value: Option<String>,
    pub plover: Option<String>,
}

impl EventReportRow {
    /// Whether the reports of one event disagree: on a count (when one says it and another
    /// says another), or on the status (one says it happened, another that it did not).
    pub fn disagree(reports: &[EventReportRow]) -> Vec<&'static str> {
        let mut out = Vec::new();
        let differs = |f: &dyn Fn(&EventReportRow) -> Option<i64>| {
            let v: Vec<i64> = reports.iter().filter_map(f).collect();
            v.windows(2).any(|w| w[0] != w[1])
        };
        if differs(&|r| r.killed) {
            out.push("killed");
        }
        if differs(&|r| r.injured) {
            out.push("injured");
        }
        if reports.windows(2).any(|w| w[0].status != w[1].status) {
            out.push("status");
        }
        out
    }
}

/// A manual decision, as stored.
#[derive(Debug, Clone)]
pub struct Decision {
    pub action: String,
    pub identity: i64,
    pub other: Option<i64>,
    pub name: Option<String>,
    pub note: Option<String>,
    pub at: String,
}

/// A row of `identities` as the listing queries select it: id, kind, name, code, profile,
/// links, documents.
struct IdentityRow {
    id: i64,
    kind: String,
    name: String,
    code: Option<String>,
    profile: String,
    links: i64,
    documents: i64,
}

fn summary_from_row(r: &rusqlite::Row) -> rusqlite::Result<IdentityRow> {
    Ok(IdentityRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        code: r.get(3)?,
        profile: r.get(4)?,
        links: r.get(5)?,
        documents: r.get(6)?,
    })
}

impl IdentityRow {
    fn profile(&self) -> Result<Profile, StoreError> {
        serde_json::from_str(&self.profile)
            .map_err(|e| StoreError::Corrupt { id: format!("identity {}", self.id), reason: e.to_string() })
    }

    fn summary(self, p: Profile) -> IdentitySummary {
        IdentitySummary {
            id: self.id,
            kind: self.kind,
            name: self.name,
            code: self.code,
            aliases: p.names,
            titles: p.titles,
            roles: p.role_phrases,
            links: self.links,
            documents: self.documents,
        }
    }
}

impl crate::Store {
    /// Identities, most linked first: all, or those of a type, or those with a name or alias
    /// containing `name` (case-insensitive).
    pub fn identities(
        &self,
        name: Option<&str>,
        kind: Option<&str>,
        limit: usize,
    ) -> Result<Vec<IdentitySummary>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT i.id, i.kind, i.name, i.code, i.profile, i.links,
                    (SELECT count(DISTINCT l.doc) FROM identity_links l WHERE l.identity = i.id)
             FROM identities i
             WHERE i.merged_into IS NULL AND i.links > 0 AND (?1 IS NULL OR i.kind = ?1)
               AND (?2 IS NULL OR instr(lower(i.profile), lower(?2)) > 0)
             ORDER BY i.links DESC, i.name LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![kind, name, limit as i64], summary_from_row)?;
        let mut out = Vec::new();
        for row in rows {
            let row = row?;
            let p = row.profile()?;
            // The name filter looked into the whole profile; keep the identities it matched
            // on a name.
            if let Some(n) = name {
                let n = n.to_lowercase();
                if !p.names.iter().any(|a| a.contains(&n)) && !p.name.to_lowercase().contains(&n) {
                    continue;
                }
            }
            out.push(row.summary(p));
        }
        Ok(out)
    }

    /// One identity (merged ones lead to where they went).
    pub fn identity(&self, id: i64) -> Result<Option<(IdentitySummary, Vec<IdentityLink>)>, StoreError> {
        let mut id = id;
        for _ in 0..64 {
            let next: Option<Option<i64>> = self
                .conn
                .query_row("SELECT merged_into FROM identities WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            match next {
                None => return Ok(None),
                Some(Some(n)) => id = n,
                Some(None) => break,
            }
        }
        let row = self.conn.query_row(
            "SELECT i.id, i.kind, i.name, i.code, i.profile, i.links,
                    (SELECT count(DISTINCT l.doc) FROM identity_links l WHERE l.identity = i.id)
             FROM identities i WHERE i.id = ?1",
            [id],
            summary_from_row,
        )?;
        let p = row.profile()?;
        let summary = row.summary(p);
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.title, d.published, l.entity, l.name, l.evidence FROM identity_links l
             JOIN documents d ON d.n = l.doc WHERE l.identity = ?1
             ORDER BY d.published IS NULL, d.published, d.id, l.entity",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (doc_id, doc_title, published, entity, name, evidence) = row?;
            let evidence: Evidence = serde_json::from_str(&evidence)
                .map_err(|e| StoreError::Corrupt { id: doc_id.clone(), reason: format!("link evidence: {e}") })?;
            out.push(IdentityLink { doc_id, doc_title, published, entity: entity as usize, name, evidence });
        }
        Ok(Some((summary, out)))
    }

    /// The identity a document's entity is linked to.
    pub fn identity_of(&self, doc_id: &str, entity: usize) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT l.identity FROM identity_links l JOIN documents d ON d.n = l.doc WHERE d.id = ?1 AND l.entity = ?2",
                params![doc_id, entity as i64],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// An analyst's merge: `other` becomes part of `into` (its links, names and keys), and the
    /// names it had are kept as manual keys, so re-ingested documents link to `into`.
    pub fn merge_identities(&mut self, into: i64, other: i64, note: Option<&str>) -> Result<(), StoreError> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let (into, other) = (live(&tx, into)?, live(&tx, other)?);
        if into == other {
            return Err(StoreError::Invalid(format!("identity {into} and {other} are already one")));
        }
        for id in [into, other] {
            let exists: bool = tx.prepare("SELECT 1 FROM identities WHERE id = ?1")?.exists([id])?;
            if !exists {
                return Err(StoreError::Invalid(format!("no identity {id} (see `dateline actors`)")));
            }
        }
        let mut p = load_profile(&tx, into)?;
        let q = load_profile(&tx, other)?;
        p.absorb(&q);
        save_profile(&tx, into, &p)?;
        tx.execute("UPDATE identity_links SET identity = ?1 WHERE identity = ?2", params![into, other])?;
        tx.execute(
            "UPDATE identities SET links = links + (SELECT links FROM identities WHERE id = ?2) WHERE id = ?1",
            params![into, other],
        )?;
        tx.execute("UPDATE identities SET merged_into = ?1, links = 0 WHERE id = ?2", params![into, other])?;
        let mut key = tx.prepare("INSERT OR REPLACE INTO identity_keys (key, identity, manual) VALUES (?1, ?2, ?3)")?;
        for k in q.keys() {
            key.execute(params![k, into, i64::from(k.starts_with("n:"))])?;
        }
        drop(key);
        tx.execute("DELETE FROM identity_keys WHERE identity = ?1", [other])?;
        tx.execute(
            "INSERT INTO identity_decisions (action, identity, other, note, at) VALUES ('merge', ?1, ?2, ?3, ?4)",
            params![into, other, note, now()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// An analyst's split: the entities linked to `id` under the name `name` go to a new
    /// identity, and that name never links to `id` again. Returns the new identity.
    pub fn split_identity(&mut self, id: i64, name: &str, note: Option<&str>) -> Result<i64, StoreError> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let id = live(&tx, id)?;
        let kind: Option<String> =
            tx.query_row("SELECT kind FROM identities WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        let Some(kind) = kind else {
            return Err(StoreError::Invalid(format!("no identity {id} (see `dateline actors`)")));
        };
        let moved: i64 = tx.query_row(
            "SELECT count(*) FROM identity_links WHERE identity = ?1 AND lower(name) = lower(?2)",
            params![id, name],
            |r| r.get(0),
        )?;
        if moved == 0 {
            return Err(StoreError::Invalid(format!(
                "no entity named {name:?} is linked to identity {id} (`dateline actor {id}` lists them)"
            )));
        }
        let p = Profile {
            kind: kind.clone(),
            name: name.to_string(),
            names: vec![name.to_lowercase()],
            ..Profile::default()
        };
        tx.execute(
            "INSERT INTO identities (kind, name, profile, links) VALUES (?1, ?2, ?3, ?4)",
            params![kind, name, serde_json::to_string(&p).expect("profiles serialize"), moved],
        )?;
        let new = tx.last_insert_rowid();
        add_keys(&tx, new, &p)?;
        tx.execute(
            "UPDATE identity_links SET identity = ?1 WHERE identity = ?2 AND lower(name) = lower(?3)",
            params![new, id, name],
        )?;
        tx.execute("UPDATE identities SET links = links - ?2 WHERE id = ?1", params![id, moved])?;
        // The name leaves the identity's aliases and keys.
        let mut left = load_profile(&tx, id)?;
        let lower = dateline_resolve::names::words(name).join(" ");
        left.names.retain(|n| *n != lower);
        left.name_votes.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        if left.name.eq_ignore_ascii_case(name) {
            if let Some((n, _)) = left.name_votes.iter().max_by_key(|(_, v)| *v) {
                left.name = n.clone();
            }
        }
        save_profile(&tx, id, &left)?;
        tx.execute(
            "DELETE FROM identity_keys WHERE identity = ?1 AND key = ?2",
            params![
                id,
                format!(
                    "n:{kind}:{}",
                    dateline_resolve::names::core_words(&dateline_resolve::names::words(name)).join(" ")
                )
            ],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO identity_exclusions (identity, name) VALUES (?1, ?2)",
            params![id, name.to_lowercase()],
        )?;
        tx.execute(
            "INSERT INTO identity_decisions (action, identity, other, name, note, at) VALUES ('split', ?1, ?2, ?3, ?4, ?5)",
            params![id, new, name, note, now()],
        )?;
        tx.commit()?;
        Ok(new)
    }

    /// Every manual decision, oldest first.
    pub fn identity_decisions(&self) -> Result<Vec<Decision>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT action, identity, other, name, note, at FROM identity_decisions ORDER BY n")?;
        let rows = stmt.query_map([], |r| {
            Ok(Decision {
                action: r.get(0)?,
                identity: r.get(1)?,
                other: r.get(2)?,
                name: r.get(3)?,
                note: r.get(4)?,
                at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The reports of every event that more than one document reports, grouped, in time
    /// order: each report with its document, outlet, status, counts and time value.
    pub fn shared_event_reports(&self) -> Result<Vec<Vec<EventReportRow>>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT e.grp, d.id, d.outlet, d.source, e.k, e.status, e.killed, e.injured, e.time_value, e.plover
             FROM events e JOIN documents d ON d.n = e.doc
             WHERE e.grp IN (SELECT grp FROM events WHERE grp IS NOT NULL GROUP BY grp HAVING count(DISTINCT doc) > 1)
             ORDER BY e.time_value, e.grp, d.id, e.k",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(EventReportRow {
                group: r.get(0)?,
                doc_id: r.get(1)?,
                outlet: r.get(2)?,
                source: r.get(3)?,
                k: r.get::<_, i64>(4)? as usize,
                status: r.get(5)?,
                killed: r.get(6)?,
                injured: r.get(7)?,
                time_value: r.get(8)?,
                plover: r.get(9)?,
            })
        })?;
        let mut groups: Vec<Vec<EventReportRow>> = Vec::new();
        for row in rows {
            let row = row?;
            match groups.iter_mut().find(|g| g[0].group == row.group) {
                Some(g) => g.push(row),
                None => groups.push(vec![row]),
            }
        }
        Ok(groups)
    }

    /// The report group of a document's event `k` (its index in the events layer): reports
    /// of one event share it.
    pub fn event_group(&self, doc_id: &str, k: usize) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT e.grp FROM events e JOIN documents d ON d.n = e.doc WHERE d.id = ?1 AND e.k = ?2",
                params![doc_id, k as i64],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten())
    }

    /// How many identities are live (not merged away) and linked.
    pub fn identity_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM identities WHERE merged_into IS NULL AND links > 0", [], |r| r.get(0))?)
    }
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use crate::{Encoded, Store};
    use dateline_model::{Document, Entity, EntityRef, EntityType, Mention, RefKind, Span};

    /// A document naming `person` and `org`, its entities made by hand.
    fn doc(text: &str, person: &str, org: &str) -> Document {
        let mut d = Document::new("t.txt", text);
        for (name, kind) in [(person, EntityType::Person), (org, EntityType::Org)] {
            let start = d.text.find(name).expect("name in text");
            let span = Span::new(start, start + name.len());
            d.mentions.push(Mention { span, kind, country: None });
            d.entities.push(Entity {
                kind,
                name: name.into(),
                code: None,
                references: vec![EntityRef { span, how: RefKind::Name, evidence: None }],
                roles: Vec::new(),
                descriptions: Vec::new(),
                members: Vec::new(),
            });
        }
        d.mentions.sort_by_key(|m| m.span.start);
        d
    }

    fn ids(s: &Store, name: &str) -> Vec<i64> {
        s.identities(Some(name), Some("PERSON"), 10).unwrap().iter().map(|i| i.id).collect()
    }

    #[test]
    fn variants_link_with_evidence_and_manual_decisions_survive_reingest() {
        let mut s = Store::in_memory().unwrap();
        let a =
            doc("Farid al-Mansouri spoke for the Coastal Fishers Union.", "Farid al-Mansouri", "Coastal Fishers Union");
        let b = doc(
            "Farid al-Mansuri of the Coastal Fishers Union spoke again.",
            "Farid al-Mansuri",
            "Coastal Fishers Union",
        );
        let c = doc("Farid al-Mansoory, a poet, read at the Lantern Club.", "Farid al-Mansoory", "Lantern Club");
        s.insert_batch(&[Encoded::new(a), Encoded::new(b.clone()), Encoded::new(c.clone())], false).unwrap();
        // a and b are one man (a variant, corroborated by the union); c has no corroboration.
        let found = ids(&s, "mansouri");
        assert_eq!(found.len(), 1);
        let (one, links) = s.identity(found[0]).unwrap().unwrap();
        assert_eq!(one.documents, 2, "{links:?}");
        let variant = links.iter().find(|l| l.evidence.kind == "spelling_variant").expect("a variant link");
        assert!(variant.evidence.corroboration.iter().any(|c| c.contains("coastal fishers union")));
        let poet = ids(&s, "mansoory").into_iter().find(|&i| i != one.id).expect("the poet apart");
        // The analyst knows better: the poet is the same man.
        s.merge_identities(one.id, poet, Some("his biography says so")).unwrap();
        assert_eq!(s.identity(poet).unwrap().unwrap().0.id, one.id, "a merged id leads to the live one");
        assert_eq!(s.identity(one.id).unwrap().unwrap().0.documents, 3);
        // Re-ingesting the poet's document keeps the decision.
        s.insert_batch(&[Encoded::new(c)], true).unwrap();
        let (after, links) = s.identity(one.id).unwrap().unwrap();
        assert_eq!(after.documents, 3, "{links:?}");
        assert_eq!(after.links, 3 + 3 - 3, "counts follow the links: {after:?}");
        // And a split wins too: b's spelling off, and never back on re-ingest.
        let new = s.split_identity(one.id, "Farid al-Mansuri", Some("two men")).unwrap();
        s.insert_batch(&[Encoded::new(b)], true).unwrap();
        let (kept, _) = s.identity(one.id).unwrap().unwrap();
        assert_eq!(kept.documents, 2, "a's and the merged poet's");
        let (split_off, links) = s.identity(new).unwrap().unwrap();
        assert_eq!((split_off.documents, links[0].name.as_str()), (1, "Farid al-Mansuri"));
        let decisions = s.identity_decisions().unwrap();
        assert_eq!(decisions.iter().map(|d| d.action.as_str()).collect::<Vec<_>>(), ["merge", "split"]);
    }
}
