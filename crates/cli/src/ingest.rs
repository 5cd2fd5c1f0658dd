//! `dateline ingest`: worker threads read and annotate, one writer stores in batches.

use anyhow::{Context, Result};
use dateline_ingest::{discover, read_path, IngestError, Reason};
use dateline_model::{Document, Published, PublishedOrigin};
use dateline_pipeline::Pipeline;
use dateline_store::{Encoded, Inserted, Store};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// Documents per transaction: large enough to amortise commits, small enough that a kill loses
/// little work.
const BATCH: usize = 256;

/// What one input file produced.
struct FileResult {
    bytes: u64,
    docs: Vec<Result<Encoded, IngestError>>,
}

/// Applies a user-given publication date.
pub fn apply_published(doc: &mut Document, published: Option<Published>) {
    if let Some(p) = published {
        doc.published = Some(p);
        doc.published_origin = Some(PublishedOrigin::User);
    }
}

pub fn run(paths: &[PathBuf], db: &Path, published: Option<Published>, jobs: Option<usize>) -> Result<ExitCode> {
    let found = discover(paths);
    let mut failures = 0usize;
    for e in &found.errors {
        eprintln!("error: {e}");
        failures += 1;
    }
    if !found.passed_over.is_empty() {
        eprintln!(
            "note: passed over {} file(s) with other extensions (name a file explicitly to read it)",
            found.passed_over.len()
        );
    }
    let mut store = Store::open(db).with_context(|| format!("cannot open database {}", db.display()))?;
    let files = found.files;
    let pipeline = Pipeline::standard();
    let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);

    let bar = ProgressBar::with_draw_target(Some(files.len() as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files  {msg}")
            .expect("static template")
            .progress_chars("=> "),
    );
    let started = Instant::now();
    let (mut new, mut stored, mut total_bytes) = (0usize, 0usize, 0u64);
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<FileResult>(jobs * 4);
    std::thread::scope(|scope| -> Result<()> {
        for _ in 0..jobs {
            let tx = tx.clone();
            let (files, next, pipeline) = (&files, &next, &pipeline);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
                let docs = read_path(path)
                    .into_iter()
                    .map(|r| {
                        r.and_then(|mut doc| {
                            apply_published(&mut doc, published);
                            match pipeline.try_annotate(&mut doc) {
                                Ok(()) => Ok(Encoded::new(doc)),
                                Err(why) => {
                                    Err(IngestError { input: doc.source.clone(), reason: Reason::NotText(why) })
                                }
                            }
                        })
                    })
                    .collect();
                if tx.send(FileResult { bytes, docs }).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut batch: Vec<Encoded> = Vec::with_capacity(BATCH);
        let mut flush = |batch: &mut Vec<Encoded>, new: &mut usize, stored: &mut usize| -> Result<()> {
            for outcome in store.insert_batch(batch)? {
                match outcome {
                    Inserted::New => *new += 1,
                    Inserted::AlreadyStored => *stored += 1,
                }
            }
            batch.clear();
            Ok(())
        };
        for result in rx {
            total_bytes += result.bytes;
            for doc in result.docs {
                match doc {
                    Ok(d) => batch.push(d),
                    Err(e) => {
                        failures += 1;
                        bar.suspend(|| eprintln!("error: {e}"));
                    }
                }
            }
            if batch.len() >= BATCH {
                flush(&mut batch, &mut new, &mut stored)?;
            }
            bar.inc(1);
            let secs = started.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!(
                "{} docs, {:.0} docs/s",
                new + stored + batch.len(),
                (new + stored + batch.len()) as f64 / secs
            ));
        }
        flush(&mut batch, &mut new, &mut stored)
    })?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    let docs = new + stored;
    eprintln!(
        "ingested {docs} document(s) from {} file(s) in {secs:.2} s ({:.1} docs/s, {:.2} MB/s): {new} new, {stored} already stored{}; database {}",
        files.len(),
        docs as f64 / secs,
        total_bytes as f64 / 1e6 / secs,
        if failures > 0 { format!(", {failures} input(s) failed (reported above)") } else { String::new() },
        db.display()
    );
    Ok(if failures > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
