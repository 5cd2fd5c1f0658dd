//! `dateline export`: a store's events, mentions, quotes, actors or documents in a format an
//! analyst's tool reads (pandas, R, Gephi, a GDELT workflow). The formats live in
//! `dateline-export`; this is the file handling around them.

use anyhow::{bail, Context, Result};
use clap::Args;
use dateline_export::{Format, Period, What};
use dateline_store::Store;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ExportArgs {
    #[arg(long, default_value = "dateline.db", env = "DATELINE_DB")]
    db: PathBuf,
    /// What rows to export.
    #[arg(long, value_parser = ["events", "mentions", "quotes", "actors", "documents"])]
    what: String,
    /// jsonl: one JSON object per line, every field with its evidence offsets; csv: a header
    /// and one row per record; gdelt: GDELT 2.0 Events TSV, 61 columns (events only);
    /// graphml: the actor network (events or actors).
    #[arg(long, value_parser = ["jsonl", "csv", "gdelt", "graphml"])]
    format: String,
    /// First day (YYYY-MM-DD): of the event's own time when it names a day, else of the
    /// report's publication; of publication for documents, quotes and mentions.
    #[arg(long, value_parser = parse_day)]
    since: Option<String>,
    /// Last day (YYYY-MM-DD), as --since.
    #[arg(long, value_parser = parse_day)]
    until: Option<String>,
    /// File to write, or - for standard output. An existing file is replaced only once the
    /// export is complete.
    #[arg(long)]
    out: PathBuf,
}

fn parse_day(s: &str) -> Result<String, String> {
    if dateline_store::is_day(s) {
        Ok(s.to_string())
    } else {
        Err(format!("'{s}' is not a day: write YYYY-MM-DD"))
    }
}

pub fn run(a: ExportArgs) -> Result<ExitCode> {
    let what = What::parse(&a.what).expect("clap checks the value");
    let format = Format::parse(&a.format).expect("clap checks the value");
    dateline_export::check(what, format)?;
    if let (Some(s), Some(u)) = (&a.since, &a.until) {
        if s > u {
            bail!("--since {s} is after --until {u}: no day is in that period");
        }
    }
    if !a.db.exists() {
        bail!("no database at {} (run `dateline ingest` first, or give --db)", a.db.display());
    }
    let store = Store::open_read_only(&a.db).with_context(|| format!("opening {}", a.db.display()))?;
    let period = Period { since: a.since, until: a.until };
    let rows = if a.out.as_os_str() == "-" {
        let stdout = std::io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        let n = dateline_export::export(&store, what, format, &period, &mut out)?;
        out.flush()?;
        n
    } else {
        // Written beside the target and renamed at the end, so a failed export never leaves
        // half a file where a tool would read it.
        let dir = a.out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
        let name = a.out.file_name().with_context(|| format!("{} is not a file name", a.out.display()))?;
        let partial = dir.join(format!(".{}.partial", name.to_string_lossy()));
        let file = std::fs::File::create(&partial).with_context(|| format!("creating {}", partial.display()))?;
        let mut out = BufWriter::new(file);
        let written = dateline_export::export(&store, what, format, &period, &mut out)
            .map_err(anyhow::Error::from)
            .and_then(|n| out.flush().map(|_| n).map_err(anyhow::Error::from));
        match written {
            Ok(n) => {
                drop(out);
                std::fs::rename(&partial, &a.out).with_context(|| format!("writing {}", a.out.display()))?;
                n
            }
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e.context(format!("exporting to {}", a.out.display())));
            }
        }
    };
    let unit = if format == Format::Graphml { "edge(s)" } else { "row(s)" };
    eprintln!(
        "exported {rows} {unit} of {} as {}{}",
        what.as_str(),
        format.as_str(),
        if a.out.as_os_str() == "-" { String::new() } else { format!(" to {}", a.out.display()) }
    );
    Ok(ExitCode::SUCCESS)
}
