//! `dateline train plover`: the PLOVER lexicon (PLOVER types for predicates CAMEO has no code
//! for) learned from stories labelled with their PLOVER event, such as NGEC's synthetic
//! stories (a CSV with `text` and `label` columns, or the zip it comes in).

use anyhow::{bail, Context, Result};
use clap::Args;
use dateline_events::lexicon::{predicate_keys, Learner, PloverLexicon, PLOVER_EVENTS};
use dateline_events::{lead_predicate, Dictionaries};
use dateline_model::Document;
use dateline_pipeline::Pipeline;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct TrainPlover {
    /// Labelled stories: a CSV with a `text` column and a `label` column holding a PLOVER
    /// event (other columns are ignored), or a .zip holding one such CSV.
    #[arg(long)]
    stories: PathBuf,
    /// Where to write the lexicon (TSV: key, event, stories, share).
    #[arg(long)]
    out: PathBuf,
    /// Fewest stories, all labelled with one event, whose leads have a predicate key for it
    /// to get an entry with that event.
    #[arg(long, default_value_t = 3)]
    min_stories: u32,
    /// Least share of those stories labelled with the entry's event.
    #[arg(long, default_value_t = 0.6)]
    min_share: f32,
    /// Folds of the cross-validation reported before the final lexicon is learned from all
    /// stories (0: none).
    #[arg(long, default_value_t = 5)]
    folds: usize,
}

/// One story: its lead's predicate key, its label, and the number of the headline template
/// it was written from (a number of its own without one), which decides its fold in the
/// cross-validation: NGEC's stories were generated from 332 headline templates, and stories
/// of one template share their words.
///
/// (Headlines were tried as a second source of keys, sentence-cased: on leads of templates
/// held out, precision fell from 59 % to 50 %: a headline's wording does not carry over.)
struct Story {
    /// The lead predicate's keys, most specific first.
    lead: Vec<String>,
    label: String,
    group: usize,
}

/// A row of the stories file.
pub(crate) struct Row {
    pub text: String,
    pub title: Option<String>,
    pub label: String,
}

/// The text of the first (or only) file of a zip archive: stored or deflated, as zip tools
/// write one CSV.
fn unzip_first(path: &Path, bytes: &[u8]) -> Result<String> {
    let u16_at = |i: usize| bytes.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize);
    let u32_at = |i: usize| bytes.get(i..i + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let bad = || anyhow::anyhow!("{}: not a zip archive this reader knows (unzip it and give the CSV)", path.display());
    if bytes.get(..4) != Some(b"PK\x03\x04") {
        return Err(bad());
    }
    let (method, flags) = (u16_at(8).ok_or_else(bad)?, u16_at(6).ok_or_else(bad)?);
    let mut size = u32_at(18).ok_or_else(bad)?;
    let start = 30 + u16_at(26).ok_or_else(bad)? + u16_at(28).ok_or_else(bad)?;
    if flags & 8 != 0 {
        // Sizes after the data: read to the end of the stream instead.
        size = bytes.len().saturating_sub(start);
    }
    let data = bytes.get(start..start + size).ok_or_else(bad)?;
    let mut text = String::new();
    match method {
        0 => text = String::from_utf8(data.to_vec()).map_err(|_| bad())?,
        8 => {
            flate2::read::DeflateDecoder::new(data)
                .read_to_string(&mut text)
                .with_context(|| format!("{}: the archived file is not deflated UTF-8 text", path.display()))?;
        }
        _ => return Err(bad()),
    }
    Ok(text)
}

pub(crate) fn read_stories(path: &Path) -> Result<Vec<Row>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) {
        unzip_first(path, &bytes)?
    } else {
        String::from_utf8(bytes).with_context(|| format!("{}: not UTF-8 text", path.display()))?
    };
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().with_context(|| format!("{}: no CSV header", path.display()))?.clone();
    let column = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let title = column("title");
    let (Some(tc), Some(lc)) = (column("text"), column("label")) else {
        bail!("{}: the CSV needs a `text` and a `label` column (it has: {:?})", path.display(), header);
    };
    let mut out = Vec::new();
    for (n, row) in reader.records().enumerate() {
        // Line numbers count the header; a record may span lines, so this is the record's.
        let row = row.with_context(|| format!("{}: record {}", path.display(), n + 1))?;
        let (Some(text), Some(label)) = (row.get(tc), row.get(lc)) else { continue };
        let label = label.trim().to_uppercase();
        if !PLOVER_EVENTS.contains(&label.as_str()) {
            eprintln!("{}: record {}: {label:?} is not a PLOVER event; skipped", path.display(), n + 1);
            continue;
        }
        let title = title.and_then(|c| row.get(c)).map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        out.push(Row { text: text.to_string(), title, label });
    }
    Ok(out)
}

/// The story's first paragraph, passing over a "###" note (NGEC's stories keep their
/// disclaimer in a column of its own, but a copy may carry it in the text).
pub(crate) fn lead_paragraph(text: &str) -> &str {
    text.split("\n\n").map(str::trim).find(|p| !p.is_empty() && !p.starts_with('#')).unwrap_or("")
}

/// The predicate keys of a text's first sentence (see [`lead_predicate`]), if a verb leads it.
fn keys_of(pipeline: &Pipeline, d: &Dictionaries, id: String, text: &str) -> Option<Vec<String>> {
    let mut doc = Document::new(id, text);
    pipeline.annotate(&mut doc);
    let p = lead_predicate(&doc, d)?;
    Some(predicate_keys(&doc, &dateline_syntax::clause::dependents(&doc), p))
}

pub fn train_plover(a: &TrainPlover) -> Result<ExitCode> {
    let rows = read_stories(&a.stories)?;
    if rows.is_empty() {
        bail!("{}: no labelled stories", a.stories.display());
    }
    // The key needs the parse and the lemmas only: the stages after them are not run.
    let stages = ["segment", "pos", "syntax"].map(String::from);
    let pipeline = Pipeline::standard_only(&stages).map_err(anyhow::Error::msg)?;
    let d = Dictionaries::builtin();
    let bar =
        indicatif::ProgressBar::with_draw_target(Some(rows.len() as u64), indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("annotating leads [{elapsed_precise}] {wide_bar} {pos}/{len} stories")
            .expect("static template")
            .progress_chars("=> "),
    );
    let mut stories = Vec::with_capacity(rows.len());
    // Headline templates numbered as they first come: a story's fold is its template's number.
    let mut templates: HashMap<&str, usize> = HashMap::new();
    for (k, row) in rows.iter().enumerate() {
        bar.inc(1);
        let lead = lead_paragraph(&row.text);
        let Some(lead) =
            Some(lead).filter(|l| !l.is_empty()).and_then(|l| keys_of(&pipeline, d, format!("story-{k}"), l))
        else {
            continue;
        };
        let next = templates.len();
        let group = match &row.title {
            Some(t) => *templates.entry(t.as_str()).or_insert(next),
            None => rows.len() + k,
        };
        stories.push(Story { lead, label: row.label.clone(), group });
    }
    bar.finish_and_clear();
    println!(
        "{}: {} stories, {} with a verb leading their first sentence",
        a.stories.display(),
        rows.len(),
        stories.len()
    );
    let fold_of = |s: &Story| s.group % a.folds.max(1);
    let learn = |keep: &dyn Fn(&Story) -> bool| {
        let mut l = Learner::new();
        for s in stories.iter().filter(|s| keep(s)) {
            l.add(&s.lead, &s.label);
        }
        l.lexicon(a.min_stories, a.min_share)
    };
    if a.folds >= 2 {
        // The stories of every k-th headline template (or story, without titles) held out in
        // turn: how often the lexicon types a lead whose template it never saw, and how often
        // rightly.
        let (mut typed, mut right, mut n) = (0usize, 0usize, 0usize);
        for f in 0..a.folds {
            let lexicon = learn(&|s| fold_of(s) != f);
            for s in stories.iter().filter(|s| fold_of(s) == f) {
                n += 1;
                if let Some(e) = lexicon.first_of(&s.lead) {
                    typed += 1;
                    right += usize::from(e.event == s.label);
                }
            }
        }
        println!(
            "  {}-fold by headline template, leads held out: typed {:.1}%, right {:.1}% of those typed ({right} of {typed})",
            a.folds,
            100.0 * typed as f64 / n.max(1) as f64,
            100.0 * right as f64 / typed.max(1) as f64
        );
    }
    let lexicon: PloverLexicon = learn(&|_| true);
    std::fs::write(&a.out, lexicon.to_tsv()).with_context(|| format!("cannot write {}", a.out.display()))?;
    println!(
        "wrote {} ({} entries: at least {} stories with one event, {:.0}% of the key's)",
        a.out.display(),
        lexicon.len(),
        a.min_stories,
        100.0 * a.min_share
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lead_is_the_first_paragraph_after_a_disclaimer() {
        assert_eq!(lead_paragraph("### A NOTE.\n\nFirst words here.\n\nMore."), "First words here.");
        assert_eq!(lead_paragraph("Only one paragraph."), "Only one paragraph.");
    }

    #[test]
    fn a_stored_zip_entry_reads_back() {
        // A zip of one stored (uncompressed) file, "a.csv", holding "text,label\n".
        let body = b"text,label\n";
        let mut z = Vec::new();
        z.extend_from_slice(b"PK\x03\x04");
        z.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        z.extend_from_slice(&(body.len() as u32).to_le_bytes());
        z.extend_from_slice(&(body.len() as u32).to_le_bytes());
        z.extend_from_slice(&5u16.to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes());
        z.extend_from_slice(b"a.csv");
        z.extend_from_slice(body);
        assert_eq!(unzip_first(Path::new("t.zip"), &z).unwrap(), "text,label\n");
        assert!(unzip_first(Path::new("t.zip"), b"not a zip").is_err());
    }
}
