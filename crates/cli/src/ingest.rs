//! `dateline ingest`: worker threads read and annotate, one writer stores in batches.
//!
//! A worker checks each document's content hash against the store before annotating it, so
//! re-ingesting a corpus costs reading and cleaning, not annotation (unless `--reannotate`).

use anyhow::{bail, Result};
use dateline_ingest::{
    detect_format, discover, read_path_within, stream_json_lines, Format, IngestError, Limits, Reason,
};
use dateline_model::{Document, Published, PublishedOrigin};
use dateline_pipeline::Pipeline;
use dateline_store::{Encoded, Inserted, Store};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Documents per transaction: large enough to amortise commits, small enough that a kill loses
/// little work. `DATELINE_BATCH` overrides it (tests use small batches).
const BATCH: usize = 256;

/// How often a progress line is printed when standard error is not a terminal
/// (`DATELINE_PROGRESS_MS` overrides it).
const PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// What became of one document of an input file.
enum Outcome {
    Annotated(Box<Encoded>),
    /// Stored already (same content hash): not annotated again.
    Known,
    Failed(IngestError),
}

/// What one input file produced, or a part of it: a JSON lines file is sent in parts as it is
/// read, the last one marked `file_done`.
struct FileResult {
    bytes: u64,
    docs: Vec<Outcome>,
    file_done: bool,
}

/// Documents of a JSON lines file sent to the writer at a time.
const JSONL_CHUNK: usize = 64;

/// Applies a user-given publication date.
pub fn apply_published(doc: &mut Document, published: Option<Published>) {
    if let Some(p) = published {
        doc.published = Some(p);
        doc.published_origin = Some(PublishedOrigin::User);
    }
}

pub struct Options {
    pub published: Option<Published>,
    pub jobs: Option<usize>,
    pub limits: Limits,
    pub reannotate: bool,
}

pub fn run(paths: &[PathBuf], db: &Path, opts: Options) -> Result<ExitCode> {
    let found = discover(paths);
    let mut failures = 0usize;
    for e in &found.errors {
        eprintln!("error: {e}");
        failures += 1;
    }
    if !found.passed_over.is_empty() {
        eprintln!(
            "note: passed over {} file(s) with other extensions or of other kinds (name a file explicitly to read it)",
            found.passed_over.len()
        );
    }
    if !found.notes_skipped.is_empty() {
        let names: Vec<String> = found.notes_skipped.iter().take(3).map(|p| p.display().to_string()).collect();
        eprintln!(
            "note: skipped {} README/LICENSE-style file(s) in folders ({}{}); name one explicitly to read it",
            found.notes_skipped.len(),
            names.join(", "),
            if found.notes_skipped.len() > 3 { ", …" } else { "" }
        );
    }
    let files = found.files;
    if files.is_empty() {
        bail!(
            "nothing to ingest: no readable article file among the paths given (database {} left as it was)",
            db.display()
        );
    }
    let mut store = Store::open(db)?;
    let pipeline = Pipeline::standard();
    let jobs = opts.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let batch_size = std::env::var("DATELINE_BATCH").ok().and_then(|v| v.parse().ok()).unwrap_or(BATCH).max(1);

    let interactive = std::io::stderr().is_terminal();
    let progress_every = std::env::var("DATELINE_PROGRESS_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(PROGRESS_EVERY, Duration::from_millis);
    let bar = if interactive {
        ProgressBar::with_draw_target(Some(files.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files  {msg}")
            .expect("static template")
            .progress_chars("=> "),
    );
    let started = Instant::now();
    let mut last_line = Instant::now();
    let (mut new, mut known, mut replaced, mut total_bytes, mut done_files) = (0usize, 0usize, 0usize, 0u64, 0usize);
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<FileResult>(jobs * 4);
    let (published, limits, reannotate) = (opts.published, opts.limits, opts.reannotate);
    std::thread::scope(|scope| -> Result<()> {
        for _ in 0..jobs {
            let tx = tx.clone();
            let (files, next, pipeline) = (&files, &next, &pipeline);
            // Each worker reads the store on its own connection (WAL: readers never block the
            // writer) to skip documents already stored.
            let reader = if reannotate { None } else { Store::open_read_only(db).ok() };
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
                let outcome = |r: Result<Document, IngestError>| match r {
                    Err(e) => Outcome::Failed(e),
                    Ok(doc) if reader.as_ref().is_some_and(|s| s.contains_hash(&doc.hash).unwrap_or(false)) => {
                        Outcome::Known
                    }
                    Ok(mut doc) => {
                        apply_published(&mut doc, published);
                        match pipeline.try_annotate(&mut doc) {
                            Ok(()) => Outcome::Annotated(Box::new(Encoded::new(doc))),
                            Err(why) => {
                                Outcome::Failed(IngestError { input: doc.source.clone(), reason: Reason::NotText(why) })
                            }
                        }
                    }
                };
                let streamed = path.is_file() && detect_format(&path.display().to_string(), &[]) == Format::JsonLines;
                let sent = if streamed {
                    let mut docs = Vec::with_capacity(JSONL_CHUNK);
                    let mut open = true;
                    let read = stream_json_lines(path, &limits, |r| {
                        docs.push(outcome(r));
                        if docs.len() >= JSONL_CHUNK && open {
                            let part = FileResult { bytes: 0, docs: std::mem::take(&mut docs), file_done: false };
                            open = tx.send(part).is_ok();
                        }
                    });
                    if let Err(e) = read {
                        docs.push(Outcome::Failed(e));
                    }
                    open && tx.send(FileResult { bytes, docs, file_done: true }).is_ok()
                } else {
                    let docs = read_path_within(path, &limits).into_iter().map(outcome).collect();
                    tx.send(FileResult { bytes, docs, file_done: true }).is_ok()
                };
                if !sent {
                    break;
                }
            });
        }
        drop(tx);
        let mut batch: Vec<Encoded> = Vec::with_capacity(batch_size);
        let mut flush =
            |batch: &mut Vec<Encoded>, new: &mut usize, known: &mut usize, replaced: &mut usize| -> Result<()> {
                for outcome in store.insert_batch(batch, reannotate)? {
                    match outcome {
                        Inserted::New => *new += 1,
                        Inserted::AlreadyStored => *known += 1,
                        Inserted::Replaced => *replaced += 1,
                    }
                }
                batch.clear();
                Ok(())
            };
        for result in rx {
            total_bytes += result.bytes;
            done_files += usize::from(result.file_done);
            for doc in result.docs {
                match doc {
                    Outcome::Annotated(d) => batch.push(*d),
                    Outcome::Known => known += 1,
                    Outcome::Failed(e) => {
                        failures += 1;
                        bar.suspend(|| eprintln!("error: {e}"));
                    }
                }
            }
            if batch.len() >= batch_size {
                flush(&mut batch, &mut new, &mut known, &mut replaced)?;
            }
            let secs = started.elapsed().as_secs_f64().max(1e-9);
            let docs = new + known + replaced + batch.len();
            let status = format!("{docs} docs, {:.0} docs/s", docs as f64 / secs);
            if interactive {
                bar.inc(u64::from(result.file_done));
                bar.set_message(status);
            } else if last_line.elapsed() >= progress_every {
                last_line = Instant::now();
                eprintln!("ingest: {done_files}/{} files, {status}, {secs:.0} s", files.len());
            }
        }
        flush(&mut batch, &mut new, &mut known, &mut replaced)
    })?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    let docs = new + known + replaced;
    eprintln!(
        "ingested {docs} document(s) from {} file(s) in {secs:.2} s ({:.1} docs/s, {:.2} MB/s): {new} new, {known} already stored{}{}; database {}",
        files.len(),
        docs as f64 / secs,
        total_bytes as f64 / 1e6 / secs,
        if reannotate { format!(", {replaced} re-annotated") } else { String::new() },
        if failures > 0 { format!(", {failures} input(s) failed (reported above)") } else { String::new() },
        db.display()
    );
    let linking = store.linking_stats();
    if linking.documents > 0 {
        eprintln!(
            "identities: {} entities of {} documents linked in {:.2} s ({:.2} ms per document, {:.3} ms per entity); {} identities stored",
            linking.entities,
            linking.documents,
            linking.time.as_secs_f64(),
            linking.time.as_secs_f64() * 1e3 / linking.documents as f64,
            linking.time.as_secs_f64() * 1e3 / linking.entities.max(1) as f64,
            store.identity_count()?
        );
    }
    if known > 0 && published.is_some() {
        eprintln!(
            "note: --published was not applied to the {known} document(s) already stored; \
             add --reannotate to annotate them again with it"
        );
    }
    Ok(if failures > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
