//! `dateline actors` (stored identities), `dateline actor ID` (one identity: aliases with the
//! evidence of each link, roles, events, quotes) and `dateline identity merge|split|decisions`
//! (the analyst's corrections, which win over automatic links and survive re-ingest).

use crate::output::text;
use anyhow::{bail, Result};
use clap::{Args, Subcommand, ValueEnum};
use dateline_model::{Document, Entity};
use dateline_store::Store;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActorFormat {
    Table,
    Json,
}

#[derive(Args)]
pub struct ListActors {
    #[arg(long, default_value = "dateline.db", env = "DATELINE_DB")]
    db: PathBuf,
    /// Only identities with a name or alias containing this (any case).
    #[arg(long)]
    name: Option<String>,
    /// Only identities of this type.
    #[arg(long = "type", value_parser = ["PERSON", "ORG", "PLACE"], ignore_case = true)]
    kind: Option<String>,
    /// At most this many, most linked first.
    #[arg(long, default_value_t = 100)]
    limit: usize,
    #[arg(long, value_enum, default_value = "table")]
    format: ActorFormat,
}

#[derive(Args)]
pub struct ShowActor {
    /// Identity number (see `dateline actors`).
    id: i64,
    #[arg(long, default_value = "dateline.db", env = "DATELINE_DB")]
    db: PathBuf,
    #[arg(long, value_enum, default_value = "table")]
    format: ActorFormat,
}

#[derive(Subcommand)]
pub enum IdentityCommand {
    /// Make two identities one: the second's links, names and aliases go to the first, and
    /// documents ingested later (or again) with those names link to the first.
    Merge {
        into: i64,
        other: i64,
        /// Why (kept with the decision).
        #[arg(long)]
        note: Option<String>,
        #[arg(long, default_value = "dateline.db", env = "DATELINE_DB")]
        db: PathBuf,
    },
    /// Take the entities linked under one name off an identity into a new one; that name is
    /// never linked to the identity again.
    Split {
        id: i64,
        /// The linked name to split off, as `dateline actor ID` lists it.
        #[arg(long)]
        mention: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long, default_value = "dateline.db", env = "DATELINE_DB")]
        db: PathBuf,
    },
    /// List every manual decision, oldest first.
    Decisions {
        #[arg(long, default_value = "dateline.db", env = "DATELINE_DB")]
        db: PathBuf,
    },
}

pub fn list(a: ListActors) -> Result<ExitCode> {
    let store = Store::open_read_only(&a.db)?;
    let kind = a.kind.map(|k| k.to_uppercase());
    let found = store.identities(a.name.as_deref(), kind.as_deref(), a.limit)?;
    let mut out = std::io::stdout().lock();
    for i in &found {
        match a.format {
            ActorFormat::Table => writeln!(
                out,
                "{:>6}  {:<6} {:<32} {:<12} {:>4} docs  aliases: {}{}",
                i.id,
                i.kind,
                i.name,
                i.code.as_deref().unwrap_or("-"),
                i.documents,
                i.aliases.join("; "),
                if i.roles.is_empty() { String::new() } else { format!("  roles: {}", i.roles.join("; ")) }
            )?,
            ActorFormat::Json => writeln!(
                out,
                "{}",
                serde_json::json!({
                    "id": i.id, "type": i.kind, "name": i.name, "code": i.code, "aliases": i.aliases,
                    "titles": i.titles, "roles": i.roles, "documents": i.documents, "links": i.links,
                })
            )?,
        }
    }
    if found.is_empty() {
        eprintln!(
            "no identities match (identities are made at ingest; `dateline ingest --reannotate` links older stores)"
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The entity's events (as source or target) and quotes (as speaker), in one document.
fn activity(doc: &Document, e: usize) -> (Vec<String>, Vec<String>) {
    let entity: &Entity = &doc.entities[e];
    let is_ref =
        |s: dateline_model::Span| entity.references.iter().any(|r| r.span.start >= s.start && r.span.end <= s.end);
    let mut events = Vec::new();
    for ev in &doc.events {
        let role = if ev.source.iter().any(|a| a.entity == Some(e)) {
            "source"
        } else if ev.target.iter().any(|a| a.entity == Some(e)) {
            "target"
        } else {
            continue;
        };
        let value = ev.time.and_then(|t| doc.timexes.iter().find(|x| x.span == t)).and_then(|x| x.value.clone());
        events.push(format!(
            "{} {} {} ({}, {}): {}",
            ev.cameo.as_deref().unwrap_or("-"),
            ev.plover.as_deref().unwrap_or("-"),
            role,
            ev.status.as_str(),
            value.as_deref().unwrap_or("no date"),
            text(doc, ev.span)
        ));
    }
    let mut quotes = Vec::new();
    for q in &doc.quotes {
        let by = q.speaker.is_some_and(is_ref) || q.speaker_refers_to.iter().any(|&s| is_ref(s));
        if by {
            quotes.push(format!("{}: {}", q.kind.as_str(), text(doc, q.content)));
        }
    }
    (events, quotes)
}

pub fn show(a: ShowActor) -> Result<ExitCode> {
    let store = Store::open_read_only(&a.db)?;
    let Some((i, links)) = store.identity(a.id)? else { bail!("no identity {} (see `dateline actors`)", a.id) };
    let mut out = std::io::stdout().lock();
    let mut roles_over_time: BTreeSet<(String, String)> = BTreeSet::new();
    let mut json_links = Vec::new();
    if a.format == ActorFormat::Table {
        if i.id != a.id {
            writeln!(out, "(identity {} was merged into {})", a.id, i.id)?;
        }
        writeln!(out, "{}  {}  [{}]  identity {}", i.name, i.kind, i.code.as_deref().unwrap_or("no code"), i.id)?;
        writeln!(out, "aliases: {}", i.aliases.join("; "))?;
        if !i.titles.is_empty() {
            writeln!(out, "called: {}", i.titles.join("; "))?;
        }
        writeln!(out, "\nlinked in {} document(s):", i.documents)?;
    }
    for l in &links {
        let doc = store.get(&l.doc_id)?;
        let (events, quotes) = match &doc {
            Some(d) if l.entity < d.entities.len() => activity(d, l.entity),
            _ => (Vec::new(), Vec::new()),
        };
        if let Some(d) = doc.as_ref().filter(|d| l.entity < d.entities.len()) {
            for &r in &d.entities[l.entity].roles {
                let role = &d.roles[r];
                let title = match &role.of_name {
                    Some(of) => format!("{} of {of}", text(d, role.title)),
                    None => text(d, role.title),
                };
                roles_over_time.insert((l.published.clone().unwrap_or_else(|| "undated".into()), title));
            }
        }
        let ev = &l.evidence;
        let why = match ev.kind.as_str() {
            "new" => "first seen here".to_string(),
            k => {
                let mut s = format!("{k}: {:?} = {:?}", ev.name, ev.matched);
                if !ev.corroboration.is_empty() {
                    s.push_str(&format!(" (corroborated by {})", ev.corroboration.join(", ")));
                }
                s
            }
        };
        match a.format {
            ActorFormat::Table => {
                writeln!(
                    out,
                    "  {}  {}  {:?} as {:?}; {why}",
                    &l.doc_id[..8.min(l.doc_id.len())],
                    l.published.as_deref().unwrap_or("undated"),
                    l.doc_title.as_deref().unwrap_or("(no title)"),
                    l.name
                )?;
                for e in &events {
                    writeln!(out, "      event  {e}")?;
                }
                for q in &quotes {
                    writeln!(out, "      quote  {q}")?;
                }
            }
            ActorFormat::Json => json_links.push(serde_json::json!({
                "document": l.doc_id, "title": l.doc_title, "published": l.published, "entity": l.entity,
                "name": l.name, "evidence": ev, "events": events, "quotes": quotes,
            })),
        }
    }
    match a.format {
        ActorFormat::Table => {
            if !roles_over_time.is_empty() {
                writeln!(out, "\nroles:")?;
                for (when, role) in &roles_over_time {
                    writeln!(out, "  {when}  {role}")?;
                }
            }
        }
        ActorFormat::Json => writeln!(
            out,
            "{}",
            serde_json::json!({
                "id": i.id, "type": i.kind, "name": i.name, "code": i.code, "aliases": i.aliases,
                "titles": i.titles,
                "roles": roles_over_time.iter().map(|(w, r)| serde_json::json!({"published": w, "role": r})).collect::<Vec<_>>(),
                "links": json_links,
            })
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn identity(cmd: IdentityCommand) -> Result<ExitCode> {
    match cmd {
        IdentityCommand::Merge { into, other, note, db } => {
            let mut store = Store::open(&db)?;
            store.merge_identities(into, other, note.as_deref())?;
            println!("identity {other} merged into {into}");
        }
        IdentityCommand::Split { id, mention, note, db } => {
            let mut store = Store::open(&db)?;
            let new = store.split_identity(id, &mention, note.as_deref())?;
            println!("{mention:?} split off identity {id} into identity {new}");
        }
        IdentityCommand::Decisions { db } => {
            let store = Store::open_read_only(&db)?;
            for d in store.identity_decisions()? {
                println!(
                    "{}  {:<5} {} {}{}{}",
                    d.at,
                    d.action,
                    d.identity,
                    d.other.map(|o| format!("<- {o}")).unwrap_or_default(),
                    d.name.map(|n| format!(" {n:?}")).unwrap_or_default(),
                    d.note.map(|n| format!("  ({n})")).unwrap_or_default()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
