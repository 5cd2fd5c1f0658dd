//! `dateline bench`: speed figures. Benchmarks print; they never fail on a number.

use anyhow::{bail, Result};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Tokenizer and sentence splitter speed (MB/s, tokens/s) over every .txt file in a corpus.
    #[command(after_help = "Example:\n  dateline bench tokenize --corpus ../shared/datasets/news-articles/bbc")]
    Tokenize {
        /// Folder (searched recursively for .txt files) or a single file.
        #[arg(long)]
        corpus: PathBuf,
        /// Passes over the corpus (the first warms caches and is not counted).
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
    /// The full annotation pipeline (tokenize, segment, entities) over every .txt file in a
    /// corpus: words/s on one core and peak memory, against the peer in alternating rounds.
    #[command(after_help = "Examples:\n  \
        dateline bench nlp --corpus ../shared/datasets/news-articles/bbc            3 rounds against spaCy\n  \
        dateline bench nlp --corpus articles/ --no-peer --rounds 5                  our speed alone\n  \
        dateline bench nlp --corpus articles/ --stages segment,pos,syntax,entities,time\n  \
        \x20                                           the work spaCy's pipeline does (tokenize, tag, parse, NER), plus times")]
    Nlp {
        #[arg(long)]
        corpus: PathBuf,
        /// The peer to compare with, run on the same corpus in the same run (a script printing
        /// "... = R words/s, peak RSS M MB"). Default: ../shared/peers/spacy-bench when present.
        #[arg(long)]
        peer: Option<PathBuf>,
        /// Arguments after the corpus for the peer; the default (none) runs spaCy's full
        /// pipeline, parser included, the same work as ours (`--ner-only` leaves its parser out).
        #[arg(long, default_value = "")]
        peer_args: String,
        /// Skip the peer.
        #[arg(long)]
        no_peer: bool,
        /// Rounds, each running dateline then the peer, so that a change in machine load
        /// moves both sides of a ratio alike; the median and the spread are printed.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Time only these stages, comma-separated, in pipeline order (default: all of them:
        /// segment, pos, syntax, entities, roles, time, quotes, resolve, events).
        #[arg(long, value_delimiter = ',')]
        stages: Vec<String>,
    },
}

pub fn texts(corpus: &Path) -> Result<Vec<String>> {
    let files = files_with_extension(corpus, "txt")?;
    // A file that cannot be read (or is not UTF-8) is reported and skipped, not fatal.
    Ok(files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).map_err(|e| eprintln!("skipped {}: {e}", f.display())).ok())
        .collect())
}

/// `path` itself if it is a file, else every file under it (recursively) with the extension,
/// sorted; an error when there is none.
pub fn files_with_extension(path: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    fn walk(p: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        if p.is_file() {
            out.push(p.to_path_buf());
        } else if let Ok(rd) = std::fs::read_dir(p) {
            for e in rd.flatten() {
                let path = e.path();
                if path.is_dir() {
                    walk(&path, ext, out);
                } else if path.extension().is_some_and(|x| x == ext) {
                    out.push(path);
                }
            }
        }
    }
    let mut files = Vec::new();
    walk(path, ext, &mut files);
    if files.is_empty() {
        bail!("no .{ext} files under {}", path.display());
    }
    files.sort();
    Ok(files)
}

pub fn run(cmd: BenchCommand) -> Result<ExitCode> {
    match cmd {
        BenchCommand::Tokenize { corpus, repeat } => {
            let texts = texts(&corpus)?;
            let bytes: usize = texts.iter().map(String::len).sum();
            let mut best = f64::MAX;
            let mut tokens = 0;
            let mut sentences = 0;
            for pass in 0..repeat.max(1) + 1 {
                let t0 = Instant::now();
                tokens = 0;
                sentences = 0;
                for t in &texts {
                    let spans = dateline_nlp::tokenize(t);
                    sentences += dateline_nlp::segment(t, &spans).len();
                    tokens += spans.len();
                }
                let dt = t0.elapsed().as_secs_f64();
                if pass > 0 {
                    best = best.min(dt);
                }
            }
            println!(
                "tokenize+segment: {} files, {:.2} MB, {tokens} tokens, {sentences} sentences; best of {repeat}: {:.3} s = {:.1} MB/s, {:.0} tokens/s (one core)",
                texts.len(),
                bytes as f64 / 1e6,
                best,
                bytes as f64 / 1e6 / best,
                tokens as f64 / best
            );
        }
        BenchCommand::Nlp { corpus, peer, peer_args, no_peer, rounds, stages } => {
            let texts = texts(&corpus)?;
            let pipeline = if stages.is_empty() {
                dateline_pipeline::Pipeline::standard()
            } else {
                dateline_pipeline::Pipeline::standard_only(&stages).map_err(anyhow::Error::msg)?
            };
            let peer = peer.or_else(|| Some(PathBuf::from("../shared/peers/spacy-bench")).filter(|p| p.exists()));
            let peer = if no_peer { None } else { peer };
            if !no_peer && peer.is_none() {
                eprintln!("note: no peer found (pass --peer PATH); no ratio printed");
            }
            let rounds = rounds.max(1);
            // Models load on first use: load them before the clock starts.
            pipeline.annotate(&mut dateline_model::Document::new("warm-up", "Models load in Oslo on Monday."));
            let (mut ours_all, mut ratios) = (Vec::new(), Vec::new());
            let names = pipeline.stage_names();
            let mut stage_times = vec![std::time::Duration::ZERO; names.len()];
            for round in 1..=rounds {
                let docs: Vec<dateline_model::Document> =
                    texts.iter().map(|t| dateline_model::Document::new("bench", t.as_str())).collect();
                let t0 = Instant::now();
                let mut words = 0usize;
                let mut mentions = 0usize;
                for mut d in docs {
                    pipeline.annotate_timed(&mut d, &mut stage_times, Instant::now);
                    words += d.tokens.len();
                    mentions += d.mentions.len();
                }
                let dt = t0.elapsed().as_secs_f64();
                let ours = words as f64 / dt;
                ours_all.push(ours);
                println!(
                    "round {round}/{rounds}: dateline ({}): {words} words in {dt:.2} s = {ours:.0} words/s (one core), {mentions} mentions, peak RSS {:.0} MB",
                    pipeline.stage_names().join("+"),
                    peak_rss_mb()
                );
                let Some(peer) = &peer else { continue };
                eprintln!("running the peer {} on the same corpus…", peer.display());
                let out = std::process::Command::new(peer).arg(&corpus).args(peer_args.split_whitespace()).output()?;
                let line = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or("").to_string();
                if !out.status.success() || line.is_empty() {
                    bail!("peer {} failed: {}", peer.display(), String::from_utf8_lossy(&out.stderr));
                }
                println!("round {round}/{rounds}: {line}");
                match peer_words_per_second(&line) {
                    Some(theirs) => {
                        ratios.push(ours / theirs);
                        println!("round {round}/{rounds}: ratio {:.1}×", ours / theirs);
                    }
                    None => eprintln!("note: could not read words/s from the peer's line"),
                }
            }
            let (median, low, high) = spread(&mut ours_all);
            println!("dateline over {rounds} round(s): median {median:.0} words/s (min {low:.0}, max {high:.0})");
            let total: f64 = stage_times.iter().map(|t| t.as_secs_f64()).sum::<f64>().max(1e-9);
            let shares: Vec<String> = names
                .iter()
                .zip(&stage_times)
                .map(|(n, t)| format!("{n} {:.1}%", 100.0 * t.as_secs_f64() / total))
                .collect();
            println!("time by stage: {}", shares.join(", "));
            if !ratios.is_empty() {
                let (median, low, high) = spread(&mut ratios);
                println!(
                    "ratio: dateline {median:.1}× the peer's words/s (median of {} round(s); min {low:.1}×, max {high:.1}×)",
                    ratios.len()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Median, minimum and maximum.
fn spread(xs: &mut [f64]) -> (f64, f64, f64) {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    let median = if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 };
    (median, xs[0], xs[n - 1])
}

/// "… = 4128 words/s, …" → 4128.
fn peer_words_per_second(line: &str) -> Option<f64> {
    let before = &line[..line.find(" words/s")?];
    before.rsplit([' ', '=']).find(|w| !w.is_empty())?.parse().ok()
}

/// Peak resident memory of this process, from /proc (Linux); 0 where unavailable.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}
