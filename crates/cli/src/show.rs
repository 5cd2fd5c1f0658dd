//! `extract`, `show` and `list`: documents as JSON or as text for a person.

use crate::ingest::apply_published;
use anyhow::{bail, Result};
use dateline_ingest::{read_path_within, Limits};
use dateline_model::{wire, CharIndex, Document, Published, PublishedOrigin, Span};
use dateline_pipeline::Pipeline;
use dateline_store::Store;
use std::path::Path;
use std::process::ExitCode;

pub fn extract(path: &Path, published: Option<Published>, compact: bool, limits: &Limits) -> Result<ExitCode> {
    let pipeline = Pipeline::standard();
    let mut failed = false;
    let results = read_path_within(path, limits);
    let many = results.len() > 1;
    for r in results {
        match r {
            Ok(mut doc) => {
                apply_published(&mut doc, published);
                if let Err(why) = pipeline.try_annotate(&mut doc) {
                    eprintln!("error: {}: {why}", doc.source);
                    failed = true;
                    continue;
                }
                println!("{}", if compact || many { wire::to_json(&doc) } else { wire::to_json_pretty(&doc) });
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Read-only commands open the store read-only: they never create or change a file.
fn open_existing(db: &Path) -> Result<Store> {
    Ok(Store::open_read_only(db)?)
}

pub fn show(db: &Path, id: &str, json: bool, tree: Option<usize>) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let Some(full) = store.resolve_id(id)? else {
        bail!("no document with id {id:?} in {} (see `dateline list`)", db.display());
    };
    let doc = store.get(&full)?.expect("resolved id exists");
    if let Some(n) = tree {
        print!("{}", render_tree(&doc, n)?);
        return Ok(ExitCode::SUCCESS);
    }
    if json {
        println!("{}", wire::to_json_pretty(&doc));
    } else {
        print!("{}", render(&doc));
    }
    Ok(ExitCode::SUCCESS)
}

/// The dependency tree of sentence `n` (from 1) as an indented outline, each word under its
/// head with its relation, lemma and tag; `n` = 0 lists the sentences.
pub fn render_tree(doc: &Document, n: usize) -> Result<String> {
    let ranges = dateline_nlp::sentence_token_ranges(doc);
    if n == 0 || n > ranges.len() {
        let mut out = format!("{} sentence(s); give one of these numbers to --tree:\n", ranges.len());
        for (i, s) in doc.sentences.iter().enumerate() {
            let text: String = doc.slice(s.span).chars().take(90).collect();
            out.push_str(&format!("  {:>3}  {}\n", i + 1, text.replace('\n', " ")));
        }
        if n > ranges.len() {
            bail!("{out}no sentence {n}");
        }
        return Ok(out);
    }
    let (a, b) = ranges[n - 1];
    let tokens = &doc.tokens[a..b];
    if tokens.iter().all(|t| t.deprel.is_none()) {
        bail!("sentence {n} has no parse (the document was stored before parsing; ingest it again with --reannotate)");
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); tokens.len()];
    let mut roots = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        match t.head {
            Some(h) if (a..b).contains(&h) => children[h - a].push(i),
            _ => roots.push(i),
        }
    }
    let mut out = format!("{}\n\n", doc.slice(doc.sentences[n - 1].span).replace('\n', " "));
    // Depth first, with an explicit stack; each word once (a malformed head cannot loop).
    let mut seen = vec![false; tokens.len()];
    let mut stack: Vec<(usize, usize)> = roots.iter().rev().map(|&r| (r, 0)).collect();
    while let Some((i, depth)) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        let t = &tokens[i];
        out.push_str(&format!(
            "{}{} {:<10} {}  ({}, {})\n",
            "  ".repeat(depth),
            if depth == 0 { "●" } else { "└" },
            t.deprel.as_deref().unwrap_or("?"),
            doc.slice(t.span),
            t.lemma.as_deref().unwrap_or("-"),
            t.pos.as_deref().unwrap_or("-"),
        ));
        stack.extend(children[i].iter().rev().map(|&c| (c, depth + 1)));
    }
    Ok(out)
}

/// A document for reading in a terminal: metadata, the text with `[mention]TYPE` marks, and
/// the mention list with code-point offsets.
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    out.push_str(&format!("{}\n", doc.title.as_deref().unwrap_or("(no title)")));
    out.push_str(&format!("id         {}\nsource     {}\n", doc.id, doc.source));
    let published = match (&doc.published, &doc.published_origin) {
        (None, _) => "unknown (the article states no date)".to_string(),
        (Some(p), Some(PublishedOrigin::Text(s))) => format!("{p} (from the text: {:?})", doc.slice(*s)),
        (Some(p), Some(PublishedOrigin::Metadata(f))) => format!("{p} (from {f})"),
        (Some(p), Some(PublishedOrigin::User)) => format!("{p} (given by the user)"),
        (Some(p), None) => p.to_string(),
    };
    out.push_str(&format!("published  {published}\n"));
    if let Some(d) = &doc.dateline {
        out.push_str(&format!("dateline   {}\n", d.place));
    }
    if let Some(o) = &doc.outlet {
        out.push_str(&format!("outlet     {o}\n"));
    }
    out.push_str(&format!(
        "layers     {} sentences, {} tokens, {} mentions, {} roles, {} descriptions, {} temporal expressions, {} quotes, {} events\n\n",
        doc.sentences.len(),
        doc.tokens.len(),
        doc.mentions.len(),
        doc.roles.len(),
        doc.descriptions.len(),
        doc.timexes.len(),
        doc.quotes.len(),
        doc.events.len()
    ));
    let mut at = 0;
    for m in &doc.mentions {
        out.push_str(&doc.text[at..m.span.start]);
        out.push_str(&format!("[{}]{}", doc.slice(m.span), m.kind.as_str()));
        at = m.span.end;
    }
    out.push_str(&doc.text[at..]);
    out.push_str("\n\nmentions (code-point offsets)\n");
    let ix = CharIndex::new(&doc.text);
    for m in &doc.mentions {
        let (s, e) = ix.to_chars(m.span);
        let country = m.country.as_deref().map(|c| format!("  → {c}")).unwrap_or_default();
        out.push_str(&format!("  {:<6}  {:>6}..{:<6}  {}{country}\n", m.kind.as_str(), s, e, doc.slice(m.span)));
    }
    // "holder — what (link …)   (the phrase)": one line per role or description. A description
    // may state its link itself ("website associated with the Council"), so it gets an arrow.
    let stated = |holder: Span, what: Span, link: &str, of: Option<&str>, phrase: Span| {
        let of = of.map(|o| format!(" {link} {o}")).unwrap_or_default();
        format!("  {} — {}{of}   ({:?})\n", doc.slice(holder), doc.slice(what), doc.slice(phrase))
    };
    if !doc.roles.is_empty() {
        out.push_str("\nroles\n");
        for r in &doc.roles {
            out.push_str(&stated(r.person, r.title, "of", r.of_name.as_deref(), r.span));
        }
    }
    if !doc.descriptions.is_empty() {
        out.push_str("\nwhat organisations are, as the text says\n");
        for d in &doc.descriptions {
            out.push_str(&stated(d.entity, d.description, "→", d.of_name.as_deref(), d.span));
        }
    }
    if !doc.timexes.is_empty() {
        out.push_str("\ntemporal expressions (value resolved against the publication date)\n");
        for t in &doc.timexes {
            let value = t.value.as_deref().unwrap_or("unresolved (no publication date)");
            let modifier = t.modifier.as_deref().map(|m| format!(" [{m}]")).unwrap_or_default();
            let end = t.end.as_deref().map(|e| format!(" to {e}")).unwrap_or_default();
            let (s, e) = ix.to_chars(t.span);
            out.push_str(&format!(
                "  {:<8}  {:>6}..{:<6}  {:<28}  {value}{end}{modifier}\n",
                t.kind.as_str(),
                s,
                e,
                doc.slice(t.span)
            ));
        }
    }
    if !doc.quotes.is_empty() {
        out.push_str("\nquotes (whose words: speaker → what it stands for; cue; source chain)\n");
        let one_line = |s: Span| doc.slice(s).split_whitespace().collect::<Vec<_>>().join(" ");
        for q in &doc.quotes {
            let mut speaker: Vec<String> = q.speaker.map(one_line).into_iter().collect();
            speaker.extend(q.speaker_refers_to.iter().map(|&s| one_line(s)));
            let speaker = if speaker.is_empty() { "(no speaker stated)".to_string() } else { speaker.join(" → ") };
            let cue = q.cue.map(|c| format!("; {}", one_line(c))).unwrap_or_default();
            let to = q.addressee.map(|a| format!(" to {}", one_line(a))).unwrap_or_default();
            let via: Vec<String> = q
                .via
                .iter()
                .map(|v| match v.description {
                    Some(d) if !(v.span.start <= d.start && d.end <= v.span.end) => {
                        format!("{} ({})", one_line(v.span), one_line(d))
                    }
                    _ => one_line(v.span),
                })
                .collect();
            let via = if via.is_empty() { String::new() } else { format!("; via {}", via.join(" ← ")) };
            let unclosed = if q.unclosed { " [quotation mark never closed]" } else { "" };
            let (s, e) = ix.to_chars(q.content);
            out.push_str(&format!(
                "  {:<8}  {:>6}..{:<6}  {speaker}{cue}{to}{via}{unclosed}\n            {:?}\n",
                q.kind.as_str(),
                s,
                e,
                cut(&one_line(q.content), 100)
            ));
        }
    }
    if !doc.events.is_empty() {
        out.push_str("\nevents (CAMEO, PLOVER; source → trigger → target; time; place; status; whose claim)\n");
        let one_line = |s: Span| doc.slice(s).split_whitespace().collect::<Vec<_>>().join(" ");
        let actors = |v: &[dateline_model::EventActor]| {
            let names: Vec<String> = v
                .iter()
                .map(|a| match &a.code {
                    Some(c) => format!("{} [{c}]", one_line(a.span)),
                    None => one_line(a.span),
                })
                .collect();
            if names.is_empty() {
                "-".to_string()
            } else {
                names.join(" + ")
            }
        };
        for e in &doc.events {
            let plover = match (&e.plover, &e.plover_mode) {
                (Some(p), Some(m)) => format!("{p}/{m}"),
                (Some(p), None) => p.clone(),
                _ => "-".into(),
            };
            let time = e.time.map(|t| {
                let value = doc.timexes.iter().find(|x| x.span == t).and_then(|x| x.value.clone());
                format!("; {} = {}", one_line(t), value.unwrap_or_else(|| "unresolved".into()))
            });
            let place = e.place.map(|p| format!("; in {}", one_line(p))).unwrap_or_default();
            let claim = e
                .attribution
                .and_then(|q| doc.quotes.iter().find(|x| x.span == q))
                .map(|q| {
                    let who = q.speaker_refers_to.last().copied().or(q.speaker).map(one_line);
                    format!("; claimed by {}", who.unwrap_or_else(|| "an unnamed speaker".into()))
                })
                .unwrap_or_default();
            let counts: Vec<String> =
                e.counts.iter().map(|c| format!("{} {} ({:?})", c.count, c.kind.as_str(), one_line(c.span))).collect();
            let counts = if counts.is_empty() { String::new() } else { format!("; {}", counts.join(", ")) };
            let historical = if e.historical { "; background" } else { "" };
            out.push_str(&format!(
                "  {:<5} {:<18} {} → {} → {}{}{place}; {}{historical}{claim}{counts}\n",
                e.cameo.as_deref().unwrap_or("-"),
                plover,
                actors(&e.source),
                one_line(e.trigger),
                actors(&e.target),
                time.unwrap_or_default(),
                e.status.as_str()
            ));
        }
    }
    out
}

/// At most `width` characters of `s`, ending in "…" when cut.
fn cut(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        s.chars().take(width - 1).chain(['…']).collect()
    }
}

pub fn list(db: &Path, json: bool) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let docs = store.list()?;
    if json {
        let v: Vec<serde_json::Value> = docs
            .iter()
            .map(|d| serde_json::json!({"id": d.id, "published": d.published, "title": d.title, "source": d.source, "mentions": d.mentions}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("{:<16}  {:<22}  {:>8}  {:<50}  source", "id", "published", "mentions", "title");
        for d in &docs {
            let title = cut(d.title.as_deref().unwrap_or("(no title)"), 50);
            println!(
                "{:<16}  {:<22}  {:>8}  {:<50}  {}",
                d.id,
                d.published.as_deref().unwrap_or("unknown"),
                d.mentions,
                title,
                d.source
            );
        }
        eprintln!("{} document(s) in {}", docs.len(), db.display());
    }
    Ok(ExitCode::SUCCESS)
}
