//! `dateline train topics` and `dateline eval topics`: the story topic classifier learned from
//! folders of labelled articles (one folder per topic, as the BBC news set comes).

use anyhow::{bail, Context, Result};
use clap::Args;
use dateline_topic::TopicModel;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct TrainTopics {
    /// A folder with one subfolder per topic (its name is the topic), each holding the
    /// topic's articles as .txt files.
    #[arg(long)]
    data: PathBuf,
    /// Where to write the model (TSV, or gzip-compressed TSV when the name ends in .gz).
    #[arg(long)]
    out: PathBuf,
    /// More articles of one topic from a CSV of stories (a `text` column; or a .zip holding
    /// it), as `TOPIC=FILE`: the BBC's politics section is British politics, and the PLOVER
    /// synthetic stories, all political events abroad, teach the model what conflict and
    /// diplomacy news reads like, as a topic of their own (`world=…/gpt_synthetic_events_….csv.zip`;
    /// the events coder filters only sport, business, tech and entertainment). Repeatable.
    #[arg(long, value_name = "TOPIC=FILE")]
    stories: Vec<String>,
    /// Keep words seen at least this often in all the articles.
    #[arg(long, default_value_t = 2)]
    min_count: u32,
    /// Folds of the cross-validation reported before the final model is learned from all
    /// articles (0: none).
    #[arg(long, default_value_t = 5)]
    folds: usize,
}

#[derive(Args)]
pub struct EvalTopics {
    /// A folder of .txt articles, searched recursively. Where the articles sit in subfolders
    /// named as the model's topics, accuracy is scored against them; otherwise the topics
    /// read are counted.
    #[arg(long)]
    data: PathBuf,
    /// Fail (exit 1) when accuracy is below this (labelled folders only).
    #[arg(long)]
    min_accuracy: Option<f64>,
}

/// Articles as (topic, text), each text once (the BBC set repeats a few articles), in path
/// order so that folds are the same on every run.
fn read_labelled(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut topics: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    topics.sort();
    for t in topics {
        let name = t.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        for path in crate::bench::files_with_extension(&t, "txt")? {
            let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let text = String::from_utf8_lossy(&bytes).to_string();
            if seen.insert(text.clone()) {
                out.push((name.clone(), text));
            }
        }
    }
    Ok(out)
}

pub fn train(a: &TrainTopics) -> Result<ExitCode> {
    let mut stories = read_labelled(&a.data)?;
    if stories.is_empty() {
        bail!("{}: no articles in topic subfolders", a.data.display());
    }
    println!("{}: {} articles (repeats dropped)", a.data.display(), stories.len());
    // The added stories are held out with the articles of their fold like any other; the
    // figure printed is the articles' (the folder's), the added ones scored apart.
    let folder_articles = stories.len();
    for arg in &a.stories {
        let Some((topic, file)) = arg.split_once('=') else {
            bail!("--stories {arg:?}: write it as TOPIC=FILE (politics=stories.csv.zip)");
        };
        let rows = crate::plover::read_stories(Path::new(file))?;
        println!("{file}: {} stories added as {topic}", rows.len());
        stories.extend(rows.into_iter().map(|r| (topic.to_string(), r.text)));
    }
    if a.folds >= 2 {
        // Every k-th article held out in turn.
        let (mut right, mut n) = (0usize, 0usize);
        let (mut added_right, mut added) = (0usize, 0usize);
        let mut confusion: BTreeMap<(String, String), usize> = BTreeMap::new();
        for f in 0..a.folds {
            let m = TopicModel::train(
                stories
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % a.folds != f)
                    .map(|(_, (t, x))| (t.as_str(), x.as_str())),
                a.min_count,
            );
            for (i, (topic, text)) in stories.iter().enumerate().filter(|(i, _)| i % a.folds == f) {
                let ours = m.classify(text).map_or_else(|| "-".to_string(), |t| t.name);
                if i >= folder_articles {
                    added += 1;
                    added_right += usize::from(&ours == topic);
                    continue;
                }
                n += 1;
                right += usize::from(&ours == topic);
                if &ours != topic {
                    *confusion.entry((topic.clone(), ours)).or_default() += 1;
                }
            }
        }
        println!("  {}-fold cross-validation: accuracy {:.1}% ({right} of {n})", a.folds, pct(right, n));
        if added > 0 {
            println!("    the added stories: {:.1}% ({added_right} of {added})", pct(added_right, added));
        }
        for ((gold, ours), k) in confusion {
            println!("    {gold:<14} read as {ours:<14} {k}");
        }
    }
    let model = TopicModel::train(stories.iter().map(|(t, x)| (t.as_str(), x.as_str())), a.min_count);
    let text = model.to_tsv();
    if a.out.extension().is_some_and(|e| e == "gz") {
        use std::io::Write;
        let file = std::fs::File::create(&a.out).with_context(|| format!("cannot write {}", a.out.display()))?;
        let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
        gz.write_all(text.as_bytes())?;
        gz.finish()?;
    } else {
        std::fs::write(&a.out, text).with_context(|| format!("cannot write {}", a.out.display()))?;
    }
    println!("wrote {} ({} topics)", a.out.display(), model.topics().len());
    Ok(ExitCode::SUCCESS)
}

pub fn eval(a: &EvalTopics) -> Result<ExitCode> {
    let model = TopicModel::builtin();
    let files = crate::bench::files_with_extension(&a.data, "txt")?;
    if files.is_empty() {
        bail!("{}: no .txt files", a.data.display());
    }
    let mut read: BTreeMap<String, usize> = BTreeMap::new();
    let (mut right, mut labelled) = (0usize, 0usize);
    for path in &files {
        let text =
            String::from_utf8_lossy(&std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?)
                .to_string();
        let ours = model.classify(&text).map_or_else(|| "(too short)".to_string(), |t| t.name);
        *read.entry(ours.clone()).or_default() += 1;
        let folder = path.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().to_string());
        if let Some(gold) = folder.filter(|f| model.topics().contains(f)) {
            labelled += 1;
            right += usize::from(ours == gold);
        }
    }
    println!("{}: {} articles", a.data.display(), files.len());
    for (t, n) in &read {
        println!("  read as {t:<14} {n:>6}  ({:.1}%)", pct(*n, files.len()));
    }
    if labelled == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    let acc = pct(right, labelled);
    println!("  accuracy against their folders: {acc:.1}% ({right} of {labelled})");
    Ok(crate::train::floor(acc, a.min_accuracy, "topic accuracy"))
}

fn pct(a: usize, b: usize) -> f64 {
    100.0 * a as f64 / b.max(1) as f64
}
