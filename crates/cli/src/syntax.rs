//! `dateline train parser|lemmas` and `dateline eval parser`: the syntax models and their
//! scores (CoNLL 2018 conventions: every word counts, punctuation included; gold tokenization;
//! our own tags).

use crate::train::{load_model, load_tagger, Bar};
use anyhow::{bail, Context, Result};
use clap::Args;
use dateline_nlp::tagger::Tagger;
use dateline_syntax::parser::Search;
use dateline_syntax::treebank::{read_treebank, Tree};
use dateline_syntax::{Lemmatizer, Parser};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct TrainParser {
    /// Training treebank(s), CoNLL-U; give several to pool them.
    #[arg(long, required = true, num_args = 1..)]
    train: Vec<PathBuf>,
    /// Treebank scored after training.
    #[arg(long)]
    dev: Option<PathBuf>,
    #[arg(long)]
    out: PathBuf,
    /// Passes over the training data.
    #[arg(long, default_value_t = 15)]
    iterations: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Learn from the treebank's gold tags instead of the built-in tagger's (the parser then
    /// meets at run time tags a little worse than it learnt from).
    #[arg(long, conflicts_with = "jackknife")]
    gold_tags: bool,
    /// Tag the training data by K-fold jackknifing: each fold is tagged by a tagger trained on
    /// the other folds, so the parser learns from tags as good (and as wrong) as it will meet
    /// on unseen text. 0: the built-in tagger's tags (which saw these sentences in training).
    #[arg(long, default_value_t = 0)]
    jackknife: usize,
    /// Drop averaged weights smaller than this in magnitude (a smaller model; 0 keeps all).
    #[arg(long, default_value_t = 0.0)]
    min_weight: f32,
    /// Train this many parsers (seeds `seed`, `seed`+1, …) and keep their mean.
    #[arg(long, default_value_t = 1)]
    runs: usize,
    /// Also write the training treebank with the tags the parser learns from in its XPOS
    /// column (CoNLL-U): jackknifing is slow, and a later run can learn from this file with
    /// `--gold-tags` (for comparing settings on the same tags). With `--iterations 0`, only
    /// this file is written.
    #[arg(long)]
    write_tagged: Option<PathBuf>,
}

#[derive(Args)]
pub struct TrainLemmas {
    /// Training treebank(s), CoNLL-U, with gold lemmas and Treebank tags (XPOS).
    #[arg(long, required = true, num_args = 1..)]
    train: Vec<PathBuf>,
    /// Treebank scored after training (with the built-in tagger's tags).
    #[arg(long)]
    dev: Option<PathBuf>,
    /// Where to write the model (gzip'd text).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
pub struct EvalParser {
    /// Parser model (default: the built-in one).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Treebank to score, CoNLL-U.
    #[arg(long)]
    data: PathBuf,
    /// Fail (exit 1) when unlabelled attachment is below this percentage.
    #[arg(long)]
    min_uas: Option<f64>,
    /// Fail (exit 1) when labelled attachment is below this percentage.
    #[arg(long)]
    min_las: Option<f64>,
    /// Write every word with a wrong head to this file, with its sentence.
    #[arg(long, value_name = "TSV")]
    errors: Option<PathBuf>,
    /// Write our parses to this file as CoNLL-U (our tags in XPOS, our heads and relations),
    /// sentence for sentence with the treebank, for a closer look or another scorer.
    #[arg(long, value_name = "CONLLU")]
    parses: Option<PathBuf>,
    /// Parse from the treebank's gold tags instead of ours (the parser's ceiling, not a
    /// score to report).
    #[arg(long)]
    gold_tags: bool,
    /// Parse greedily (the best transition at each step) instead of as the pipeline does,
    /// with a second hypothesis where the model hesitates: 0.3-0.5 UAS lower, a fifth faster
    /// to parse.
    #[arg(long)]
    greedy: bool,
}

#[derive(Args)]
pub struct EvalLemmas {
    /// Lemmatizer model (default: the built-in one).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Treebank to score, CoNLL-U.
    #[arg(long)]
    data: PathBuf,
    /// Fail (exit 1) when accuracy is below this percentage.
    #[arg(long)]
    min_accuracy: Option<f64>,
}

pub fn eval_lemmas(a: EvalLemmas) -> Result<ExitCode> {
    let lemmatizer = load_model(a.model.as_deref(), "lemmatizer", dateline_syntax::builtin_lemmatizer, |b| {
        Lemmatizer::from_bytes(b).map(|l| l.with_vocabulary(dateline_syntax::known_word))
    })?;
    let trees = read_trees(std::slice::from_ref(&a.data))?;
    let acc = score_lemmas(lemmatizer, load_tagger(None)?, &trees);
    println!(
        "{}: lemma accuracy {acc:.2}% over {} words (our tags)",
        a.data.display(),
        trees.iter().map(Tree::len).sum::<usize>()
    );
    Ok(crate::train::floor(acc, a.min_accuracy, "lemma accuracy"))
}

fn read_trees(paths: &[PathBuf]) -> Result<Vec<Tree>> {
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
        let trees = read_treebank(&p.display().to_string(), &text).map_err(anyhow::Error::msg)?;
        if trees.is_empty() {
            bail!("{}: no sentences", p.display());
        }
        out.extend(trees);
    }
    Ok(out)
}

fn tag_all(tagger: &Tagger, trees: &[Tree]) -> Vec<Vec<String>> {
    trees
        .iter()
        .map(|t| {
            let words: Vec<&str> = t.words.iter().map(String::as_str).collect();
            tagger.tag(&words).into_iter().map(str::to_string).collect()
        })
        .collect()
}

/// Tags for every tree from a tagger that did not see it: fold k (every k-th sentence) is
/// tagged by a tagger trained on the others.
fn jackknifed_tags(trees: &[Tree], folds: usize, seed: u64) -> Vec<Vec<String>> {
    let as_sentence = |t: &Tree| t.clone().sentence(dateline_nlp::corpus::UdTags::Xpos);
    let mut tags = vec![Vec::new(); trees.len()];
    for k in 0..folds {
        eprintln!("jackknife: tagger {} of {folds}", k + 1);
        let train: Vec<_> =
            trees.iter().enumerate().filter(|(i, _)| i % folds != k).map(|(_, t)| as_sentence(t)).collect();
        let tagger = Tagger::train(&train, 8, seed + k as u64, &mut dateline_nlp::tagger::Quiet);
        for (i, t) in trees.iter().enumerate().filter(|(i, _)| i % folds == k) {
            let words: Vec<&str> = t.words.iter().map(String::as_str).collect();
            tags[i] = tagger.tag(&words).into_iter().map(str::to_string).collect();
        }
    }
    let (right, total) = trees
        .iter()
        .zip(&tags)
        .fold((0, 0), |(r, n), (t, g)| (r + t.xpos.iter().zip(g).filter(|(a, b)| a == b).count(), n + t.len()));
    eprintln!("jackknifed tags: {:.2}% agree with the gold tags", 100.0 * right as f64 / total.max(1) as f64);
    tags
}

pub fn train_parser(a: TrainParser) -> Result<ExitCode> {
    let trees = read_trees(&a.train)?;
    let words: usize = trees.iter().map(Tree::len).sum();
    eprintln!("{} sentence(s), {words} words", trees.len());
    let tags = if a.gold_tags {
        trees.iter().map(|t| t.xpos.clone()).collect()
    } else if a.jackknife >= 2 {
        jackknifed_tags(&trees, a.jackknife, a.seed)
    } else {
        tag_all(load_tagger(None)?, &trees)
    };
    if let Some(path) = &a.write_tagged {
        write_tagged(path, &trees, &tags)?;
        if a.iterations == 0 {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let t0 = std::time::Instant::now();
    let mut bar = Bar::new();
    let parsers: Vec<Parser> = (0..a.runs.max(1) as u64)
        .map(|k| Parser::train(&trees, &tags, a.iterations, a.seed + k, 0.0, &mut bar))
        .collect();
    let parser =
        if parsers.len() == 1 { parsers.into_iter().next().expect("one run") } else { Parser::average(parsers) };
    let parser = if a.min_weight > 0.0 { parser.pruned(a.min_weight) } else { parser };
    bar.bar.finish_and_clear();
    let bytes = parser.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("cannot write {}", a.out.display()))?;
    eprintln!("wrote {} ({:.1} MB) in {:.1} s", a.out.display(), bytes.len() as f64 / 1e6, t0.elapsed().as_secs_f64());
    if let Some(dev) = &a.dev {
        score_parser(&parser, dev, None, None, false, Search::Greedy)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The trees as CoNLL-U with `tags` in the XPOS column (and no features or enhanced graph).
fn write_tagged(path: &Path, trees: &[Tree], tags: &[Vec<String>]) -> Result<()> {
    let mut out = String::new();
    for (t, tags) in trees.iter().zip(tags) {
        for (i, tag) in tags.iter().enumerate() {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{tag}\t_\t{}\t{}\t_\t_\n",
                i + 1,
                t.words[i],
                t.lemmas[i],
                t.upos[i],
                t.heads[i],
                t.deprels[i]
            ));
        }
        out.push('\n');
    }
    std::fs::write(path, out).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {} sentence(s) with the parser's training tags to {}", trees.len(), path.display());
    Ok(())
}

pub fn train_lemmas(a: TrainLemmas) -> Result<ExitCode> {
    let trees = read_trees(&a.train)?;
    let t0 = std::time::Instant::now();
    let lemmatizer = Lemmatizer::train(trees.iter().flat_map(|t| {
        t.words.iter().zip(&t.xpos).zip(&t.lemmas).map(|((w, x), l)| (w.as_str(), x.as_str(), l.as_str()))
    }));
    let text = lemmatizer.to_text();
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(text.as_bytes())?;
    let bytes = z.finish()?;
    std::fs::write(&a.out, &bytes).with_context(|| format!("cannot write {}", a.out.display()))?;
    eprintln!(
        "wrote {} ({:.2} MB, {} rules and exceptions) in {:.1} s",
        a.out.display(),
        bytes.len() as f64 / 1e6,
        text.lines().count() - 1,
        t0.elapsed().as_secs_f64()
    );
    if let Some(dev) = &a.dev {
        let trees = read_trees(std::slice::from_ref(dev))?;
        let acc = score_lemmas(&lemmatizer, load_tagger(None)?, &trees);
        println!("{}: lemma accuracy {acc:.2}% (our tags)", dev.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Lemma accuracy with the tagger's tags, over every word (case-sensitive, as UD scores it).
pub fn score_lemmas(lemmatizer: &Lemmatizer, tagger: &Tagger, trees: &[Tree]) -> f64 {
    let (mut right, mut total) = (0usize, 0usize);
    for t in trees {
        let words: Vec<&str> = t.words.iter().map(String::as_str).collect();
        let tags = tagger.tag(&words);
        for ((w, tag), gold) in words.iter().zip(&tags).zip(&t.lemmas) {
            right += usize::from(lemmatizer.lemma(w, tag) == *gold);
            total += 1;
        }
    }
    100.0 * right as f64 / total.max(1) as f64
}

/// Lemma accuracy of the built-in lemmatizer on a CoNLL-U file, for `eval tagger`.
pub fn lemma_line(tagger: &Tagger, data: &Path) -> Result<Option<String>> {
    let Some(lemmatizer) = dateline_syntax::builtin_lemmatizer() else { return Ok(None) };
    let trees = read_trees(&[data.to_path_buf()])?;
    let acc = score_lemmas(lemmatizer, tagger, &trees);
    Ok(Some(format!("{}: lemma accuracy {acc:.2}% (built-in lemmatizer, our tags)", data.display())))
}

fn load_parser(path: Option<&Path>) -> Result<&'static Parser> {
    load_model(path, "parser", dateline_syntax::builtin_parser, Parser::from_bytes)
}

pub fn eval_parser(a: EvalParser) -> Result<ExitCode> {
    let parser = load_parser(a.model.as_deref())?;
    let search = if a.greedy { Search::Greedy } else { Search::Beam };
    let (uas, las) = score_parser(parser, &a.data, a.errors.as_deref(), a.parses.as_deref(), a.gold_tags, search)?;
    let u = crate::train::floor(uas, a.min_uas, "UAS");
    let l = crate::train::floor(las, a.min_las, "LAS");
    Ok(if u != ExitCode::SUCCESS { u } else { l })
}

/// Prints UAS and LAS over all words, LAS per relation and accuracy by sentence length;
/// returns (UAS, LAS).
fn score_parser(
    parser: &Parser,
    data: &Path,
    errors: Option<&Path>,
    parses: Option<&Path>,
    gold_tags: bool,
    search: Search,
) -> Result<(f64, f64)> {
    let trees = read_trees(&[data.to_path_buf()])?;
    let tagger = load_tagger(None)?;
    let t0 = std::time::Instant::now();
    let (mut uas, mut las, mut total) = (0usize, 0usize, 0usize);
    // Per relation: gold count, right head and label; per length bucket: words, right heads.
    let mut by_relation: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut by_length: BTreeMap<usize, (usize, usize, usize)> = BTreeMap::new();
    let mut listing = String::new();
    let mut parsed = String::new();
    for t in &trees {
        let words: Vec<&str> = t.words.iter().map(String::as_str).collect();
        let tags = if gold_tags { t.xpos.iter().map(String::as_str).collect() } else { tagger.tag(&words) };
        let p = parser.parse_with(&words, &tags, search);
        if parses.is_some() {
            for i in 0..t.len() {
                let head = p.heads[i].map_or(0, |h| h + 1);
                parsed.push_str(&format!(
                    "{}\t{}\t_\t_\t{}\t_\t{head}\t{}\t_\t_\n",
                    i + 1,
                    words[i],
                    tags[i],
                    p.deprels[i]
                ));
            }
            parsed.push('\n');
        }
        let bucket = match t.len() {
            0..=10 => 10,
            11..=20 => 20,
            21..=30 => 30,
            31..=40 => 40,
            _ => 99,
        };
        for i in 0..t.len() {
            let gold_head = t.heads[i].checked_sub(1);
            let head_ok = p.heads[i] == gold_head;
            let label_ok = head_ok && p.deprels[i] == t.deprels[i];
            uas += usize::from(head_ok);
            las += usize::from(label_ok);
            total += 1;
            let r = by_relation.entry(t.deprels[i].clone()).or_default();
            r.0 += 1;
            r.1 += usize::from(head_ok);
            r.2 += usize::from(label_ok);
            let b = by_length.entry(bucket).or_default();
            b.0 += 1;
            b.1 += usize::from(head_ok);
            b.2 += usize::from(label_ok);
            if !head_ok && errors.is_some() {
                let name = |h: Option<usize>| h.map_or("ROOT".to_string(), |h| format!("{}:{}", h + 1, words[h]));
                listing.push_str(&format!(
                    "{}:{}\t{}\t{}\tgold {} {}\tours {} {}\t{}\n",
                    data.display(),
                    t.line + i,
                    i + 1,
                    words[i],
                    name(gold_head),
                    t.deprels[i],
                    name(p.heads[i]),
                    p.deprels[i],
                    words.join(" ")
                ));
            }
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    let (u, l) = (pct(uas, total), pct(las, total));
    println!(
        "{}: UAS {u:.2}%, LAS {l:.2}% over {total} words in {} sentences ({}{}; {:.0} words/s with tagging)",
        data.display(),
        trees.len(),
        if gold_tags { "GOLD tags" } else { "our tags" },
        if search == Search::Greedy { ", greedy" } else { "" },
        total as f64 / secs
    );
    println!("LAS by relation (gold count, attachment, labelled attachment):");
    let mut rels: Vec<_> = by_relation.into_iter().collect();
    rels.sort_by_key(|r| std::cmp::Reverse(r.1 .0));
    for (rel, (n, h, lab)) in rels.iter().take(30) {
        println!("  {rel:<14} {n:>6}  UAS {:>6.2}  LAS {:>6.2}", pct(*h, *n), pct(*lab, *n));
    }
    println!("by sentence length (words):");
    for (bucket, (n, h, lab)) in by_length {
        let label = if bucket == 99 { "41+".to_string() } else { format!("≤{bucket}") };
        println!("  {label:<5} {n:>6} words  UAS {:>6.2}  LAS {:>6.2}", pct(h, n), pct(lab, n));
    }
    if let Some(path) = errors {
        std::fs::write(path, listing).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote the wrong heads to {}", path.display());
    }
    if let Some(path) = parses {
        std::fs::write(path, parsed).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote our parses to {}", path.display());
    }
    Ok((u, l))
}
