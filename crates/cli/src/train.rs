//! `dateline train` and `dateline eval`: models from annotated corpora, and their scores.

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use dateline_nlp::clusters::{ClusterSettings, Clusters, Report};
use dateline_nlp::corpus::spans_of;
use dateline_nlp::corpus::{read_conll, read_conllu, Sentence, UdTags};
use dateline_nlp::ner::{bilou_spans, Ner};
use dateline_nlp::tagger::{Progress, Tagger};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What training any model takes.
#[derive(Args)]
pub struct Training {
    /// Training data: CoNLL columns (word POS [chunk] NER; for the tagger also CoNLL-U, whose
    /// XPOS column it learns).
    #[arg(long)]
    train: PathBuf,
    /// Development data, scored after training.
    #[arg(long)]
    dev: Option<PathBuf>,
    /// Where to write the model.
    #[arg(long)]
    out: PathBuf,
    /// Seed for the shuffling of the data between iterations (same seed, same model).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Train this many models (seeds `seed`, `seed`+1, …) and keep their mean: a model that
    /// depends less on the order of training, for this many times the training time.
    #[arg(long, default_value_t = 1)]
    runs: usize,
}

/// Trains `runs` models with successive seeds and keeps their mean (one model when `runs` ≤ 1).
fn train_runs<M>(t: &Training, mut train: impl FnMut(u64) -> M, average: impl FnOnce(Vec<M>) -> M) -> M {
    if t.runs <= 1 {
        train(t.seed)
    } else {
        average((0..t.runs as u64).map(|k| train(t.seed + k)).collect())
    }
}

#[derive(Subcommand)]
pub enum TrainCommand {
    /// Train a named-entity recognizer (PER, ORG, LOC, MISC) from CoNLL columns, the last
    /// column holding IOB1 or IOB2 labels. Part-of-speech features come from the built-in
    /// tagger, as at run time. Documents are recovered from newswire structure (a headline,
    /// then a dateline ending in an ISO date); without it the whole file is one document.
    #[command(
        after_help = "Example:\n  dateline train ner --train ../shared/datasets/conll2003/train.txt --dev ../shared/datasets/conll2003/valid.txt --out ner.model"
    )]
    Ner {
        #[command(flatten)]
        training: Training,
        /// Passes over the training data.
        #[arg(long, default_value_t = 12)]
        iterations: usize,
    },
    /// Learn the casing table (how often each word is capitalised mid-sentence) from a folder
    /// of unlabeled plain-text articles.
    #[command(
        after_help = "Example:\n  dateline train casing --corpus ../shared/datasets/news-articles/bbc --out casing.tsv"
    )]
    Casing {
        /// Folder searched recursively for .txt files.
        #[arg(long)]
        corpus: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Keep words seen at least this often.
        #[arg(long, default_value_t = 3)]
        min_count: u32,
    },
    /// Learn word clusters from unlabeled plain-text articles: words seen between the same
    /// neighbours share a cluster, at several granularities. The tagger and the recognizer use
    /// them as features, so they must be retrained after the table changes.
    #[command(
        after_help = "Example:\n  dateline train clusters --corpus ../shared/datasets/news-articles/bbc more-news/ --out clusters.tsv"
    )]
    Clusters {
        /// Folders (or files) searched recursively for .txt files; give several to pool them.
        #[arg(long, required = true, num_args = 1..)]
        corpus: Vec<PathBuf>,
        #[arg(long)]
        out: PathBuf,
        /// Cluster only words seen at least this often.
        #[arg(long, default_value_t = 2)]
        min_count: u32,
        /// Number of clusters at each granularity, coarse to fine.
        #[arg(long, value_delimiter = ',', default_value = "16,64,256,1024,4096")]
        sizes: Vec<usize>,
        /// How many of the most frequent words serve as context.
        #[arg(long, default_value_t = 1000)]
        context_words: usize,
        /// How many neighbours on each side count as a word's context.
        #[arg(long, default_value_t = 2)]
        window: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Train the dependency parser from CoNLL-U treebanks (arc-hybrid transitions, dynamic
    /// oracle, averaged perceptron; each arc labelled as it is made). Tags come from
    /// the built-in tagger, as at run time.
    #[command(
        after_help = "Example:\n  dateline train parser --train ../shared/datasets/ud-ewt/en_ewt-ud-train.conllu ../shared/datasets/ud-gum/gum-train-noreddit.conllu --dev ../shared/datasets/ud-ewt/en_ewt-ud-dev.conllu --out parser.model"
    )]
    Parser(crate::syntax::TrainParser),
    /// Learn the lemmatizer (suffix rules and exceptions) from the gold lemmas of CoNLL-U
    /// treebanks.
    #[command(
        after_help = "Example:\n  dateline train lemmas --train ../shared/datasets/ud-ewt/en_ewt-ud-train.conllu --dev ../shared/datasets/ud-ewt/en_ewt-ud-dev.conllu --out lemma.model"
    )]
    Lemmas(crate::syntax::TrainLemmas),
    /// Learn the PLOVER lexicon: the PLOVER event of predicates CAMEO has no code for, from
    /// stories labelled with their event (the lead sentence's predicate, keyed with its
    /// object and particle). Reports a cross-validation over the stories, then writes the
    /// lexicon learned from all of them
    #[command(
        after_help = "Example:\n  dateline train plover --stories ../shared/datasets/plover/ngec/gpt_synthetic_events_2023-10-19_19.csv.zip --out crates/events/data/plover-lexicon.tsv"
    )]
    Plover(crate::plover::TrainPlover),
    /// Learn the story topic classifier (naive Bayes over words) from a folder with one
    /// subfolder of .txt articles per topic, and stories of a topic of their own from a CSV.
    /// Reports a cross-validation, then writes the model learned from all of them. In a story
    /// read as sport, business, tech or entertainment, the events coder keeps only the events
    /// of political actors (see `dateline eval topics`).
    #[command(
        after_help = "Example (the built-in model):\n  dateline train topics --data ../shared/datasets/news-articles/bbc --stories world=../shared/datasets/plover/ngec/gpt_synthetic_events_2023-10-19_19.csv.zip --out crates/topic/data/topics.tsv.gz"
    )]
    Topics(crate::topics::TrainTopics),
    /// Train a part-of-speech tagger from CoNLL columns (word POS …) or CoNLL-U (XPOS).
    #[command(
        after_help = "Example:\n  dateline train tagger --train ../shared/datasets/ud-ewt/en_ewt-ud-train.conllu --dev ../shared/datasets/ud-ewt/en_ewt-ud-dev.conllu --out pos.model"
    )]
    Tagger {
        #[command(flatten)]
        training: Training,
        /// Passes over the training data.
        #[arg(long, default_value_t = 8)]
        iterations: usize,
        /// Which CoNLL-U column to learn: XPOS (Treebank tags; the model then also gives UPOS
        /// by UD's conventions) or UPOS (a Universal POS model, scored on CoNLL-U only).
        /// CoNLL column files always give their POS column.
        #[arg(long, value_enum, default_value_t = TagColumn::Xpos)]
        column: TagColumn,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum TagColumn {
    Xpos,
    Upos,
}

#[derive(Subcommand)]
pub enum EvalCommand {
    /// Temporal expressions, TempEval-3 Task A style, over a folder of TimeML files (each
    /// anchored on its DCT): strict and relaxed span F1, type accuracy, value F1, and the worst
    /// misses.
    #[command(after_help = "Example:\n  dateline eval time --data ../shared/datasets/tempeval3 --errors misses.tsv")]
    Time {
        /// Folder searched recursively for .tml files (or one file).
        #[arg(long)]
        data: PathBuf,
        /// Fail (exit 1) when relaxed span F1 is below this.
        #[arg(long)]
        min_relaxed_f1: Option<f64>,
        /// Fail (exit 1) when value F1 is below this.
        #[arg(long)]
        min_value_f1: Option<f64>,
        /// How many of each kind of mistake to list.
        #[arg(long, default_value_t = 12)]
        misses: usize,
        /// Write every mistake to this file as tab-separated lines: file, DCT, kind (missed,
        /// spurious, wrong-value), text, gold value, our value, and the sentence around it.
        #[arg(long, value_name = "TSV")]
        errors: Option<PathBuf>,
    },
    /// Entity precision, recall and F1 per type, CoNLL exact-span scoring (a mention counts
    /// only when its span and type both match), on CoNLL column data (IOB1 or IOB2).
    #[command(after_help = "Example:\n  dateline eval ner --data ../shared/datasets/conll2003/valid.txt --min-f1 93")]
    Ner {
        /// Model file (default: the built-in model).
        #[arg(long)]
        model: Option<PathBuf>,
        #[arg(long)]
        data: PathBuf,
        /// Fail (exit 1) when micro F1 is below this.
        #[arg(long)]
        min_f1: Option<f64>,
        /// Print this many mistakes: each wrong prediction with the gold mentions it overlaps
        /// ("gold: none" when it overlaps none), and each gold mention no prediction touches.
        #[arg(long, default_value_t = 0)]
        errors: usize,
        /// Also score with each post-decoding rule left out in turn: a rule whose absence
        /// scores higher does not pay its way on this data.
        #[arg(long)]
        ablate: bool,
        /// Cross-validate instead: --data is then a training set, split by document into K
        /// folds; each fold is scored by a model trained on the others (--model is not used).
        #[arg(long, value_name = "K")]
        kfold: Option<usize>,
        /// Passes over the training data of each fold (with --kfold).
        #[arg(long, default_value_t = 12)]
        iterations: usize,
    },
    /// Person, organisation and place names in a CoNLL-U treebank with gold entities in MISC
    /// (GUM): gold entities whose head is a proper noun, found by the full recognizer;
    /// head-match scoring (the prediction lies within the entity and covers its head).
    #[command(after_help = "Example:
  dateline eval names --data ../shared/datasets/ud-gum/gum-dev-noreddit.conllu --ablate")]
    Names(crate::names::EvalNames),
    /// Quotes: speaker, cue, content, addressee and source chain, exact and overlapping
    /// P/R/F1, on passages with their quotes written out (default: the project's own).
    #[command(
        after_help = "Example:\n  dateline eval quotes --errors\n  dateline eval quotes --data passages.jsonl --min-f1 80"
    )]
    Quotes(crate::quotes::EvalQuotes),
    /// Events: the PETRARCH validation suites (triple P/R/F1, exact records, per category and
    /// root code) or the PLOVER gold sentences (event accuracy, macro F1, actor overlap),
    /// coded from the raw text with our own parse.
    #[command(
        after_help = "Examples:\n  dateline eval events --data ../shared/datasets/petrarch2/ud-petrarch/PETR_Validate_records_2_02.xml\n  dateline eval events --data ../shared/datasets/petrarch2/ud-petrarch/PETR2_GSR_validation.xml --errors gsr.tsv\n  dateline eval events --data ../shared/datasets/plover/PLOVER_GSR_CAMEO.txt"
    )]
    Events(crate::events::EvalEvents),
    /// Story topics: how the built-in classifier reads a folder of .txt articles, and its
    /// accuracy where they sit in subfolders named as its topics (business, entertainment,
    /// politics, sport, tech, world).
    #[command(
        after_help = "Examples:\n  dateline eval topics --data ../shared/datasets/news-articles/bbc\n  dateline eval topics --data my-articles/"
    )]
    Topics(crate::topics::EvalTopics),
    /// Entity and event coreference on ECB+ (train or dev topics; gold mentions, predicted
    /// document clusters): MUC, B³, CEAF-e, CoNLL F1 and LEA.
    #[command(
        after_help = "Examples:\n  dateline eval coref --data ../shared/datasets/ecbplus\n  dateline eval coref --data ../shared/datasets/ecbplus --split train --per-topic"
    )]
    Coref(crate::coref::EvalCoref),
    /// Identities across documents on our own test set (built in) or yours: same-person pairs
    /// linked, different people merged.
    #[command(
        after_help = "Examples:\n  dateline eval identities\n  dateline eval identities --min-recall 90 --max-false-merges 0"
    )]
    Identities(crate::coref::EvalIdentities),
    /// Dependency parsing on a CoNLL-U treebank, our own tags: UAS and LAS over all words,
    /// LAS per relation, accuracy by sentence length.
    #[command(
        after_help = "Example:\n  dateline eval parser --data ../shared/datasets/ud-ewt/en_ewt-ud-dev.conllu --errors heads.tsv"
    )]
    Parser(crate::syntax::EvalParser),
    /// Tag accuracy on CoNLL columns (Treebank tags) or CoNLL-U (UPOS, derived from our
    /// Treebank tags; XPOS also shown), known and unknown words separately.
    #[command(
        after_help = "Example:\n  dateline eval tagger --data ../shared/datasets/ud-ewt/en_ewt-ud-dev.conllu --model pos.model"
    )]
    Tagger {
        /// Model file (default: the built-in model).
        #[arg(long)]
        model: Option<PathBuf>,
        /// Data to score: CoNLL columns or CoNLL-U.
        #[arg(long)]
        data: PathBuf,
        /// Fail (exit 1) when accuracy is below this percentage.
        #[arg(long)]
        min_accuracy: Option<f64>,
        /// Write every mistagged token to this file as tab-separated lines: word, gold tag,
        /// our tag (and our Treebank tag for CoNLL-U), and its sentence with the word in [brackets].
        #[arg(long, value_name = "TSV")]
        errors: Option<PathBuf>,
        /// On CoNLL-U, apply --min-accuracy to the Treebank (XPOS) tags instead of UPOS.
        #[arg(long)]
        xpos: bool,
    },
    /// Lemma accuracy on a CoNLL-U treebank, with our own tags.
    #[command(
        after_help = "Example:\n  dateline eval lemmas --data ../shared/datasets/ud-ewt/en_ewt-ud-dev.conllu --min-accuracy 97"
    )]
    Lemmas(crate::syntax::EvalLemmas),
}

fn is_conllu(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "conllu")
}

fn read_corpus(path: &Path, ud: UdTags) -> Result<Vec<Sentence>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path.display().to_string();
    let sentences = if is_conllu(path) { read_conllu(&name, &text, ud) } else { read_conll(&name, &text) };
    let sentences = sentences.map_err(anyhow::Error::msg)?;
    if sentences.is_empty() {
        bail!("{name}: no sentences");
    }
    Ok(sentences)
}

/// A progress bar for training runs.
pub struct Bar {
    pub bar: ProgressBar,
}

impl Bar {
    pub fn new() -> Self {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{msg} [{elapsed_precise}] {wide_bar} {pos}/{len} sentences")
                .expect("static template")
                .progress_chars("=> "),
        );
        Bar { bar }
    }
}

impl Progress for Bar {
    fn epoch(&mut self, epoch: usize, of: usize) {
        self.bar.set_message(format!("iteration {epoch}/{of}"));
        self.bar.set_position(0);
    }
    fn step(&mut self, done: usize, of: usize) {
        self.bar.set_length(of as u64);
        self.bar.set_position(done as u64);
    }
    fn report(&mut self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }
}

/// A model from a file, or the built-in one (`what` names it when the build has none).
/// Models are read-only and live for the whole command, so a loaded file is simply kept for
/// the life of the process.
pub fn load_model<T: Sync>(
    path: Option<&Path>,
    what: &str,
    builtin: fn() -> Option<&'static T>,
    decode: fn(&[u8]) -> Result<T, String>,
) -> Result<&'static T> {
    match path {
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| format!("cannot read model {}", p.display()))?;
            let model = decode(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            Ok(Box::leak(Box::new(model)))
        }
        None => builtin().ok_or_else(|| anyhow::anyhow!("this build has no built-in {what}; pass --model")),
    }
}

pub fn load_tagger(path: Option<&Path>) -> Result<&'static Tagger> {
    load_model(path, "tagger", || Some(dateline_nlp::models::tagger()), Tagger::from_bytes)
}

pub fn load_ner(path: Option<&Path>) -> Result<&'static Ner> {
    load_model(path, "recognizer", || Some(dateline_nlp::models::ner()), Ner::from_bytes)
}

pub fn train(cmd: TrainCommand) -> Result<ExitCode> {
    match cmd {
        TrainCommand::Casing { corpus, out, min_count } => {
            let texts = crate::bench::texts(&corpus)?;
            let casing = dateline_nlp::casing::Casing::count(&texts);
            let tsv = casing.to_tsv(min_count);
            std::fs::write(&out, &tsv).with_context(|| format!("cannot write {}", out.display()))?;
            eprintln!("{} texts; wrote {} words to {}", texts.len(), tsv.lines().count(), out.display());
            Ok(ExitCode::SUCCESS)
        }
        TrainCommand::Clusters { corpus, out, min_count, sizes, context_words, window, seed } => {
            if sizes.iter().any(|&k| k == 0 || k > u16::MAX as usize) {
                bail!("--sizes: each size must be between 1 and {}", u16::MAX);
            }
            let mut texts = Vec::new();
            for c in &corpus {
                texts.extend(crate::bench::texts(c)?);
            }
            let t0 = std::time::Instant::now();
            let settings = ClusterSettings { sizes, min_count, context_words, window, iterations: 25, seed };
            // k-means passes go to a spinner (shown on a terminal only); the rest is printed.
            let spinner = ProgressBar::new_spinner();
            spinner.enable_steady_tick(std::time::Duration::from_millis(120));
            let clusters = Clusters::learn(&texts, &settings, &mut |report| match report {
                Report::Pass(line) => spinner.set_message(line.to_string()),
                Report::Read(line) => spinner.suspend(|| eprintln!("{line}")),
            });
            spinner.finish_and_clear();
            std::fs::write(&out, clusters.to_tsv()).with_context(|| format!("cannot write {}", out.display()))?;
            eprintln!(
                "{} texts; wrote clusters of {} words to {} in {:.0}s",
                texts.len(),
                clusters.len(),
                out.display(),
                t0.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        TrainCommand::Ner { training, iterations } => {
            let data = read_corpus(&training.train, UdTags::Xpos)?;
            if data.iter().any(|s| s.ner.len() != s.words.len()) {
                bail!("{}: every line needs an entity label in its last column", training.train.display());
            }
            // The recognizer knows CoNLL's four types; another scheme (OntoNotes' GPE, …) is
            // named at its first line rather than failing deep in training.
            for s in &data {
                for (k, label) in s.ner.iter().enumerate() {
                    let t = label.get(2..).unwrap_or("");
                    if label != "O" && !matches!(t, "PER" | "ORG" | "LOC" | "MISC") {
                        bail!(
                            "{}:{}: entity type {t:?}: the recognizer learns PER, ORG, LOC and MISC only",
                            training.train.display(),
                            s.line + k
                        );
                    }
                }
            }
            let tagger = load_tagger(None)?;
            let (mut bar, t0) = start_training(&training.train, &data);
            // Tags from the built-in tagger, which was trained on the same data. Tags from
            // taggers that had not seen each sentence (5-fold jackknife) were tried: 0.7 F1
            // worse on CoNLL valid.
            let tags: Vec<Vec<String>> = data
                .iter()
                .map(|s| {
                    let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
                    tagger.tag(&words).into_iter().map(str::to_string).collect()
                })
                .collect();
            let ner = train_runs(&training, |seed| Ner::train(&data, &tags, iterations, seed, &mut bar), Ner::average);
            bar.bar.finish_and_clear();
            write_model(&training.out, &ner.to_bytes(), t0)?;
            if let Some(dev) = &training.dev {
                score_ner(&ner, tagger, dev, 0)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        TrainCommand::Parser(a) => crate::syntax::train_parser(a),
        TrainCommand::Lemmas(a) => crate::syntax::train_lemmas(a),
        TrainCommand::Plover(a) => crate::plover::train_plover(&a),
        TrainCommand::Topics(a) => crate::topics::train(&a),
        TrainCommand::Tagger { training, iterations, column } => {
            let column = match column {
                TagColumn::Xpos => UdTags::Xpos,
                TagColumn::Upos if is_conllu(&training.train) => UdTags::Upos,
                TagColumn::Upos => bail!(
                    "{}: --column upos needs CoNLL-U (a .conllu file); CoNLL column files hold Treebank tags",
                    training.train.display()
                ),
            };
            let data = read_corpus(&training.train, column)?;
            let (mut bar, t0) = start_training(&training.train, &data);
            let tagger =
                train_runs(&training, |seed| Tagger::train(&data, iterations, seed, &mut bar), Tagger::average);
            bar.bar.finish_and_clear();
            write_model(&training.out, &tagger.to_bytes(), t0)?;
            if let Some(dev) = &training.dev {
                score_tagger(&tagger, dev, None)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn eval(cmd: EvalCommand) -> Result<ExitCode> {
    match cmd {
        EvalCommand::Time { data, min_relaxed_f1, min_value_f1, misses, errors } => {
            let (relaxed, value) = score_time(&data, misses, errors.as_deref())?;
            let a = floor(relaxed, min_relaxed_f1, "relaxed span F1");
            let b = floor(value, min_value_f1, "value F1");
            Ok(if a != ExitCode::SUCCESS { a } else { b })
        }
        EvalCommand::Ner { model, data, min_f1, errors, ablate, kfold, iterations } => {
            if let Some(k) = kfold {
                let sentences = read_corpus(&data, UdTags::Xpos)?;
                let f1 = crate::names::kfold_conll(&sentences, &data.display().to_string(), k, iterations, ablate)?;
                return Ok(floor(f1, min_f1, "F1"));
            }
            let ner = load_ner(model.as_deref())?;
            let tagger = load_tagger(None)?;
            let f1 = score_ner(ner, tagger, &data, errors)?;
            if ablate {
                let sentences = read_corpus(&data, UdTags::Xpos)?;
                crate::names::ablate_conll(ner, &sentences, &data.display().to_string())?;
            }
            Ok(floor(f1, min_f1, "F1"))
        }
        EvalCommand::Names(a) => crate::names::eval_names(a),
        EvalCommand::Quotes(a) => crate::quotes::eval(a),
        EvalCommand::Events(a) => crate::events::eval(a),
        EvalCommand::Topics(a) => crate::topics::eval(&a),
        EvalCommand::Coref(a) => crate::coref::eval(a),
        EvalCommand::Identities(a) => crate::coref::eval_identities(a),
        EvalCommand::Parser(a) => crate::syntax::eval_parser(a),
        EvalCommand::Lemmas(a) => crate::syntax::eval_lemmas(a),
        EvalCommand::Tagger { model, data, min_accuracy, errors, xpos } => {
            let tagger = load_tagger(model.as_deref())?;
            let (headline, xpos_acc) = score_tagger(tagger, &data, errors.as_deref())?;
            let acc = match (xpos, xpos_acc) {
                (false, _) => headline,
                (true, Some(x)) => x,
                (true, None) => bail!("--xpos scores CoNLL-U data (its XPOS column); {} is not", data.display()),
            };
            if is_conllu(&data) && !tagger.is_universal() {
                if let Some(line) = crate::syntax::lemma_line(tagger, &data)? {
                    println!("{line}");
                }
            }
            Ok(floor(acc, min_accuracy, "accuracy"))
        }
    }
}

/// Says what is being trained on and starts the progress bar and the clock.
fn start_training(train: &Path, data: &[Sentence]) -> (Bar, std::time::Instant) {
    let tokens: usize = data.iter().map(|s| s.words.len()).sum();
    eprintln!("{}: {} sentences, {tokens} tokens", train.display(), data.len());
    (Bar::new(), std::time::Instant::now())
}

fn write_model(out: &Path, bytes: &[u8], started: std::time::Instant) -> Result<()> {
    std::fs::write(out, bytes).with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!(
        "wrote {} ({:.1} MB) in {:.1} s",
        out.display(),
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Exit status for a score against an optional floor.
pub fn floor(score: f64, min: Option<f64>, what: &str) -> ExitCode {
    match min {
        Some(m) if score < m => {
            eprintln!("FAIL: {what} {score:.2} is below the floor {m:.2}");
            ExitCode::from(1)
        }
        Some(m) => {
            eprintln!("ok: {what} {score:.2} ≥ floor {m:.2}");
            ExitCode::SUCCESS
        }
        None => ExitCode::SUCCESS,
    }
}

/// Prints accuracy (overall, known words, unknown words); returns the headline accuracy
/// (Treebank tags for CoNLL files, UPOS for CoNLL-U) and, for CoNLL-U, the XPOS accuracy.
fn score_tagger(tagger: &Tagger, data: &Path, errors: Option<&Path>) -> Result<(f64, Option<f64>)> {
    let mut listing = String::new();
    let ud = is_conllu(data);
    if tagger.is_universal() && !ud {
        bail!("{}: a Universal POS model is scored on CoNLL-U (UPOS) only", data.display());
    }
    let gold = read_corpus(data, UdTags::Upos)?;
    let gold_xpos = if ud && !tagger.is_universal() { Some(read_corpus(data, UdTags::Xpos)?) } else { None };
    let (mut right, mut total, mut kr, mut kt, mut ur, mut ut, mut xr) = (0, 0, 0, 0, 0, 0, 0);
    let t0 = std::time::Instant::now();
    let mut confusions: std::collections::HashMap<(String, String), usize> = std::collections::HashMap::new();
    for (si, s) in gold.iter().enumerate() {
        let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
        let tags = tagger.tag(&words);
        let universal = if ud { tagger.tag_upos(&words) } else { Vec::new() };
        for i in 0..words.len() {
            let predicted = if ud { universal[i] } else { tags[i] };
            let ok = predicted == s.tags[i];
            if let Some(x) = &gold_xpos {
                xr += usize::from(tags[i] == x[si].tags[i]);
            }
            right += usize::from(ok);
            total += 1;
            if !ok {
                *confusions.entry((s.tags[i].clone(), predicted.to_string())).or_default() += 1;
                if errors.is_some() {
                    let sentence: Vec<String> = words
                        .iter()
                        .enumerate()
                        .map(|(k, w)| if k == i { format!("[{w}]") } else { w.to_string() })
                        .collect();
                    listing.push_str(&format!(
                        "{}\t{}\t{predicted}\t{}\t{}\n",
                        words[i],
                        s.tags[i],
                        tags[i],
                        sentence.join(" ")
                    ));
                }
            }
            if tagger.knows(words[i]) {
                kr += usize::from(ok);
                kt += 1;
            } else {
                ur += usize::from(ok);
                ut += 1;
            }
        }
    }
    let pct = |a: usize, b: usize| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
    let acc = pct(right, total);
    println!(
        "{}: {} accuracy {:.2}% over {total} tokens; known words {:.2}% ({kt}), unknown words {:.2}% ({ut}); {:.0} tokens/s",
        data.display(),
        if ud { "UPOS" } else { "POS" },
        acc,
        pct(kr, kt),
        pct(ur, ut),
        total as f64 / t0.elapsed().as_secs_f64()
    );
    let mut worst: Vec<_> = confusions.into_iter().collect();
    worst.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let worst: Vec<String> = worst.iter().take(10).map(|((g, p), n)| format!("{g}→{p} {n}")).collect();
    println!("most frequent errors (gold→predicted): {}", worst.join(", "));
    if gold_xpos.is_some() {
        println!("{}: XPOS (Treebank) accuracy {:.2}%", data.display(), pct(xr, total));
    }
    if let Some(path) = errors {
        std::fs::write(path, listing).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok((acc, gold_xpos.map(|_| pct(xr, total))))
}

/// Prints per-type precision, recall and F1 and the micro average; returns micro F1.
fn score_ner(ner: &Ner, tagger: &Tagger, data: &Path, show_errors: usize) -> Result<f64> {
    let gold = read_corpus(data, UdTags::Xpos)?;
    if gold.iter().any(|s| s.ner.len() != s.words.len()) {
        bail!("{}: every line needs an entity label in its last column", data.display());
    }
    let mut counts: std::collections::BTreeMap<String, [usize; 3]> = Default::default(); // tp, predicted, gold
    let mut shown = 0;
    let t0 = std::time::Instant::now();
    let mut tokens = 0;
    for doc in dateline_nlp::corpus::documents(&gold) {
        let block = &gold[doc];
        let sentences: Vec<(Vec<&str>, Vec<&str>)> = block
            .iter()
            .map(|s| {
                let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
                let pos = tagger.tag(&words);
                (words, pos)
            })
            .collect();
        let labels = ner.label_document(&sentences);
        for ((s, (words, _)), labels) in block.iter().zip(&sentences).zip(labels) {
            tokens += words.len();
            let predicted: std::collections::HashSet<(usize, usize, String)> =
                bilou_spans(&labels).into_iter().collect();
            let truth: std::collections::HashSet<(usize, usize, String)> = spans_of(&s.ner).into_iter().collect();
            for (a, b, t) in &predicted {
                let c = counts.entry(t.clone()).or_default();
                c[1] += 1;
                if truth.contains(&(*a, *b, t.clone())) {
                    c[0] += 1;
                } else if shown < show_errors {
                    shown += 1;
                    let gold_here: Vec<String> = truth
                        .iter()
                        .filter(|(x, y, _)| x < b && a < y)
                        .map(|(x, y, t)| format!("{} {t}", words[*x..*y].join(" ")))
                        .collect();
                    println!(
                        "  predicted {} {t}; gold: {}",
                        words[*a..*b].join(" "),
                        if gold_here.is_empty() { "none".to_string() } else { gold_here.join(", ") }
                    );
                }
            }
            for (a, b, t) in &truth {
                counts.entry(t.clone()).or_default()[2] += 1;
                // A gold mention that no prediction touches was missed outright; one that a
                // prediction overlaps was listed with that prediction above.
                if shown < show_errors && !predicted.iter().any(|(x, y, _)| x < b && a < y) {
                    shown += 1;
                    println!("  missed {} {t}", words[*a..*b].join(" "));
                }
            }
        }
    }
    use crate::score::prf;
    println!(
        "{}: entities, CoNLL exact-span scoring ({:.0} tokens/s with tagging)",
        data.display(),
        tokens as f64 / t0.elapsed().as_secs_f64()
    );
    println!("  {:<6} {:>9} {:>9} {:>9} {:>7}", "type", "precision", "recall", "F1", "gold");
    let mut all = [0usize; 3];
    for (t, c) in &counts {
        let (p, r, f) = prf(*c);
        println!("  {t:<6} {p:>9.2} {r:>9.2} {f:>9.2} {:>7}", c[2]);
        for k in 0..3 {
            all[k] += c[k];
        }
    }
    let (p, r, f) = prf(all);
    println!("  {:<6} {p:>9.2} {r:>9.2} {f:>9.2} {:>7}", "all", all[2]);
    Ok(f)
}

/// Scores the time stage on TimeML files; returns (relaxed span F1, value F1).
fn score_time(data: &Path, misses: usize, errors: Option<&Path>) -> Result<(f64, f64)> {
    use dateline_model::{Document, Published, Stage};
    use dateline_time::timeml::{parse, Scores, SystemTimex};
    let files = crate::bench::files_with_extension(data, "tml")?;
    let mut scores = Scores::default();
    let mut listing = String::new();
    let stages: Vec<Box<dyn Stage>> = vec![
        Box::new(dateline_nlp::Segmenter),
        Box::new(dateline_nlp::PosTagger::default()),
        // The time stage reads the parse (the verb an expression hangs from) as it does in
        // the pipeline.
        Box::new(dateline_syntax::Syntax::default()),
        Box::new(dateline_time::TimeTagger),
    ];
    for f in &files {
        let xml = std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        let tml = parse(&f.display().to_string(), &xml).map_err(anyhow::Error::msg)?;
        let mut doc = Document::new(f.display().to_string(), tml.text.clone());
        doc.published = tml.dct.as_deref().and_then(|d| d.get(..10)).and_then(|d| d.parse::<Published>().ok());
        for s in &stages {
            s.annotate(&mut doc);
        }
        let system: Vec<SystemTimex> = doc
            .timexes
            .iter()
            .map(|t| SystemTimex {
                start: t.span.start,
                end: t.span.end,
                kind: t.kind.as_str().to_string(),
                value: t.value.clone(),
            })
            .collect();
        for m in scores.add(&doc.text, &tml.timexes, &system) {
            let around = |s: &str| s.replace(['\t', '\n'], " ");
            let from = doc.text[..m.start].rfind(['.', '\n']).map_or(0, |i| i + 1);
            let to = doc.text[m.end..].find(['.', '\n']).map_or(doc.text.len(), |i| m.end + i);
            listing.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}[{}]{}\n",
                f.display(),
                tml.dct.as_deref().unwrap_or("-"),
                m.kind.as_str(),
                around(&doc.text[m.start..m.end]),
                m.gold,
                m.ours,
                around(doc.text[from..m.start].trim_start()),
                around(&doc.text[m.start..m.end]),
                around(&doc.text[m.end..to]),
            ));
        }
    }
    if let Some(path) = errors {
        std::fs::write(path, listing).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let (sp, sr, sf) = scores.strict_f1();
    let (rp, rr, rf) = scores.relaxed_f1();
    let (vp, vr, vf) = scores.value_f1();
    println!("{}: {} files, {} gold TIMEX3, {} found", data.display(), files.len(), scores.gold, scores.system);
    println!("  {:<14} {:>9} {:>9} {:>9}", "", "precision", "recall", "F1");
    println!("  {:<14} {sp:>9.2} {sr:>9.2} {sf:>9.2}", "strict span");
    println!("  {:<14} {rp:>9.2} {rr:>9.2} {rf:>9.2}", "relaxed span");
    println!("  {:<14} {vp:>9.2} {vr:>9.2} {vf:>9.2}", "value");
    println!("  type accuracy (relaxed matches): {:.2}%", scores.type_accuracy());
    if misses > 0 {
        let top = |m: Vec<(String, usize)>| -> String {
            let mut m = m;
            m.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            m.iter().take(misses).map(|(k, n)| format!("{n}× {k}")).collect::<Vec<_>>().join("; ")
        };
        println!("  missed: {}", top(scores.missed.iter().map(|((t, v), n)| (format!("{t:?} ({v})"), *n)).collect()));
        println!(
            "  wrong value: {}",
            top(scores.wrong_value.iter().map(|((t, g, o), n)| (format!("{t:?} {g}≠{o}"), *n)).collect())
        );
        println!("  spurious: {}", top(scores.spurious.iter().map(|(t, n)| (format!("{t:?}"), *n)).collect()));
    }
    Ok((rf, vf))
}
