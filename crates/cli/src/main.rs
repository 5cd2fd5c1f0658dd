//! `dateline`: the command-line entry point.
//!
//! Owns: argument parsing, progress display, error reporting and exit codes, and the wiring of
//! ingest → pipeline → store. Must never: implement annotation or storage logic itself; each
//! command is a thin composition of the library crates.

mod actors;
mod bench;
mod coref;
mod events;
mod export;
mod ingest;
mod names;
mod output;
mod plover;
mod quotes;
mod score;
mod serve;
mod show;
mod syntax;
mod topics;
mod train;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use dateline_model::Published;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "dateline",
    version,
    about = "Turn news articles into structured, source-attributed event data.",
    long_about = "Turn news articles into structured, source-attributed event data.\n\n\
        dateline cleans each article (main text, title, publication date, dateline place), annotates \
        it (sentences, tokens, part-of-speech tags, named entities, titles and roles, what organisations are, temporal \
        expressions resolved against the publication date, quotes and their sources, events coded in \
        CAMEO and PLOVER, identities across articles), and stores it in an embedded SQLite \
        database. Every annotation points to character offsets in the cleaned text. `dateline serve` \
        shows the store in a browser and as a JSON API; `dateline export` writes it for other tools.",
    after_help = "Examples:\n  \
        dateline ingest examples/                 store every article under examples/ in ./dateline.db\n  \
        dateline ingest --published 2023-06-20 a.txt   ingest with a known publication date\n  \
        dateline list                             what is stored\n  \
        dateline show 3f2a                        one document (any unique prefix of its id)\n  \
        dateline extract article.html             annotate one file, print JSON, store nothing\n  \
        dateline serve                            browse ./dateline.db at http://127.0.0.1:8080/\n  \
        dateline export --what events --format csv --out events.csv\n  \
        cat article.txt | dateline extract -      the same from standard input\n\n\
        Models (built in; retrain or score them with your own data):\n  \
        dateline eval ner --data valid.conll      per-type precision, recall, F1\n  \
        dateline train ner --train train.conll --dev valid.conll --out my.model\n  \
        dateline eval time --data timeml/         TempEval-3 scores over TimeML files\n  \
        dateline bench nlp --corpus articles/     words/s against the spaCy peer"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Read articles, annotate them, and store them (idempotent: a stored article is skipped).
    #[command(after_help = "Inputs: .txt/.md (plain text: first line is the title when it reads as one), \
        .html/.htm (main content is extracted), .jsonl/.ndjson (one {\"text\"|\"html\", \"url\", \"title\", \
        \"published\"} object per line), folders (recursively; README/LICENSE files are skipped), named \
        pipes, and - for standard input. UTF-8, UTF-16 and legacy charsets are decoded.\n\n\
        A file that cannot be read is reported and skipped; the exit status is 1 if any input failed. \
        Ingest is idempotent: an article already stored (same cleaned text) is skipped.\n\n\
        Examples:\n  \
        dateline ingest examples/                        every article under examples/\n  \
        dateline ingest --db news.db feed.jsonl          one article per JSON line\n  \
        dateline ingest --published 2024-03-30 a.txt     anchor relative dates on a known day\n  \
        curl -s URL | dateline ingest -                  standard input\n  \
        dateline ingest --reannotate corpus/             annotate stored articles again")]
    Ingest {
        /// Files, folders, or - for standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// SQLite database file (created if missing).
        #[arg(long, default_value = "dateline.db", env = "DATELINE_DB")]
        db: PathBuf,
        /// Publication date for every input that does not state its own, ISO 8601
        /// (2024-03-30 or 2024-03-30T21:28). Overrides dates found in the input. Documents
        /// already stored keep theirs unless --reannotate is given.
        #[arg(long, value_parser = parse_published)]
        published: Option<Published>,
        /// Worker threads (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Largest cleaned text of one document, in bytes; a larger one is reported and skipped.
        /// Raw input for one document (a file, a JSON line) may be 8 times this.
        #[arg(long, default_value_t = dateline_ingest::Limits::DEFAULT_MAX_DOC_BYTES)]
        max_doc_bytes: u64,
        /// Annotate documents that are already stored again and replace them (after a model
        /// update, or to apply --published); by default they are skipped unread.
        #[arg(long)]
        reannotate: bool,
    },
    /// Annotate one file (or standard input) and print the document JSON; nothing is stored.
    #[command(after_help = "Examples:\n  \
        dateline extract article.html                    indented JSON of one article\n  \
        cat article.txt | dateline extract --compact     one line of JSON from standard input\n  \
        dateline extract --published 2024-03-30 a.txt | jq '.timexes'")]
    Extract {
        /// File to read, or - (the default) for standard input.
        #[arg(default_value = "-")]
        path: PathBuf,
        /// Publication date to anchor the article on, ISO 8601.
        #[arg(long, value_parser = parse_published)]
        published: Option<Published>,
        /// One line of JSON per document instead of indented JSON.
        #[arg(long)]
        compact: bool,
        /// Largest cleaned text of one document, in bytes.
        #[arg(long, default_value_t = dateline_ingest::Limits::DEFAULT_MAX_DOC_BYTES)]
        max_doc_bytes: u64,
    },
    /// Show a stored document: metadata, text with entity marks, and its mentions.
    #[command(after_help = "Examples:\n  \
        dateline show 3f2a                               any unique prefix of an id (see `dateline list`)\n  \
        dateline show 3f2a --format json                 the document JSON, as `extract` prints it\n  \
        dateline show 3f2a --tree 2                      the dependency tree of the second sentence")]
    Show {
        /// Document id, or any unique prefix of it (see `dateline list`).
        id: String,
        #[arg(long, default_value = "dateline.db", env = "DATELINE_DB")]
        db: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Print the dependency tree of sentence N (from 1; see the sentence numbers that
        /// `--tree` lists when N is 0) instead of the document.
        #[arg(long, value_name = "N")]
        tree: Option<usize>,
    },
    /// List stored documents: id, publication date, title, source.
    #[command(after_help = "Examples:\n  \
        dateline list                                    newest first, undated last\n  \
        dateline list --db news.db --format json | jq '.[].title'")]
    List {
        #[arg(long, default_value = "dateline.db", env = "DATELINE_DB")]
        db: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// List stored quotes: document, kind, speaker (and whom it stands for), cue, source
    /// chain and the first words.
    #[command(after_help = "Examples:\n  \
        dateline quotes                                  every quote in dateline.db\n  \
        dateline quotes --speaker hamas --via \"press tv\"  who said what, through whom\n  \
        dateline quotes --format csv > quotes.csv")]
    Quotes(quotes::ListQuotes),
    /// List stored events: CAMEO and PLOVER codes, status, source, trigger, target, time
    /// value, and who says so when the event sits in a quote.
    #[command(after_help = "Examples:\n  \
        dateline events                                    every event in dateline.db\n  \
        dateline events --actor hamas --type CONSULT       meetings with Hamas on either side\n  \
        dateline events --type 19 --since 2023-06-01       assaults dated from June 2023\n  \
        dateline events --status planned --format csv > planned.csv\n  \
        dateline events --disputed                         one event, reports that disagree")]
    Events(events::ListEvents),
    /// List stored identities (people, organisations, places across documents): type, name,
    /// code, aliases, roles.
    #[command(after_help = "Examples:\n  \
        dateline actors                                    the most linked identities\n  \
        dateline actors --name nakh --type PERSON          every spelling of a name\n  \
        dateline actor 12                                  one identity with its evidence")]
    Actors(actors::ListActors),
    /// Show one identity: aliases with the evidence of each link, roles over time, events,
    /// quotes.
    #[command(after_help = "Examples:\n  \
        dateline actor 12                                  aliases, evidence, roles, events, quotes\n  \
        dateline actor 12 --format json | jq '.links[].evidence'")]
    Actor(actors::ShowActor),
    /// Correct identities: merge two, split a name off one, list the decisions made.
    #[command(
        subcommand,
        after_help = "Examples:\n  \
        dateline identity merge 12 40 --note \"same man, see his biography\"\n  \
        dateline identity split 12 --mention \"Mohammed Khan\" --note \"a different Khan\"\n  \
        dateline identity decisions"
    )]
    Identity(actors::IdentityCommand),
    /// Serve the web UI and the JSON API over a store (loopback by default).
    #[command(after_help = "Pages: / (articles and search), /doc/ID (an article with names, dates, quotes and \
        events marked), /events (table and timeline), /actors and /actor/N, /quotes, /network (who met or \
        accused whom). API: /api/documents, /api/events, /api/actors, /api/quotes, /api/network, /api/search, \
        /api/export, described at /api/openapi.json.\n\n\
        Examples:\n  \
        dateline serve                                     http://127.0.0.1:8080/ over ./dateline.db\n  \
        dateline serve --db news.db --addr 127.0.0.1:9000\n  \
        DATELINE_TOKEN=$(openssl rand -hex 16) dateline serve   allow POST /api/documents with that token\n  \
        curl -H \"Authorization: Bearer $DATELINE_TOKEN\" -H 'Content-Type: text/plain' \\\n       \
        --data-binary @article.txt http://127.0.0.1:8080/api/documents")]
    Serve(serve::ServeArgs),
    /// Write stored data for other tools: JSON lines, CSV (pandas, R), GDELT 2.0 Events TSV,
    /// GraphML (Gephi, networkx).
    #[command(after_help = "Examples:\n  \
        dateline export --what events --format csv --out events.csv\n  \
        dateline export --what events --format gdelt --since 2024-01-01 --out events.tsv\n  \
        dateline export --what actors --format graphml --out network.graphml\n  \
        dateline export --what quotes --format jsonl --out - | jq .speaker")]
    Export(export::ExportArgs),
    /// Train a model from annotated data.
    #[command(
        subcommand,
        after_help = "Examples:\n  \
        dateline train ner --train train.conll --dev valid.conll --out ner.model\n  \
        dateline train tagger --train train.conllu --out pos.model"
    )]
    Train(train::TrainCommand),
    /// Score a model on annotated data.
    #[command(
        subcommand,
        after_help = "Examples:\n  \
        dateline eval ner --data valid.conll\n  \
        dateline eval time --data timeml/"
    )]
    Eval(train::EvalCommand),
    /// Measure speed; prints figures, changes nothing.
    #[command(subcommand, after_help = "Example:\n  dateline bench nlp --corpus ../shared/datasets/news-articles/bbc")]
    Bench(bench::BenchCommand),
}

fn parse_published(s: &str) -> Result<Published, String> {
    s.parse::<Published>().map_err(|e| e.to_string())
}

/// Unix tools die quietly when the reader of their output goes away (`dateline list | head`);
/// Rust ignores SIGPIPE, which turns every later print into a panic. Restore the default.
fn die_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    die_quietly_on_closed_pipe();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest { paths, db, published, jobs, max_doc_bytes, reannotate } => ingest::run(
            &paths,
            &db,
            ingest::Options { published, jobs, limits: dateline_ingest::Limits { max_doc_bytes }, reannotate },
        ),
        Command::Extract { path, published, compact, max_doc_bytes } => {
            show::extract(&path, published, compact, &dateline_ingest::Limits { max_doc_bytes })
        }
        Command::Show { id, db, format, tree } => show::show(&db, &id, format == Format::Json, tree),
        Command::List { db, format } => show::list(&db, format == Format::Json),
        Command::Quotes(a) => quotes::list(a),
        Command::Events(a) => events::list(a),
        Command::Actors(a) => actors::list(a),
        Command::Actor(a) => actors::show(a),
        Command::Identity(cmd) => actors::identity(cmd),
        Command::Export(a) => export::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Bench(cmd) => bench::run(cmd),
        Command::Train(cmd) => train::train(cmd),
        Command::Eval(cmd) => train::eval(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
