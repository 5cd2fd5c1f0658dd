//! `dateline quotes` (stored quotes: who said what, through whom) and `dateline eval quotes`
//! (speaker, cue and content scored on passages with their quotes written out).

use crate::output::{csv_field, text};
use crate::score::prf;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use dateline_model::{Document, Quote, Span};
use dateline_store::Store;
use serde::Deserialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QuoteFormat {
    Table,
    Json,
    Csv,
}

#[derive(Args)]
pub struct ListQuotes {
    #[arg(long, default_value = "dateline.db", env = "DATELINE_DB")]
    db: PathBuf,
    /// Only quotes whose speaker, or whom it stands for, contains this (any case).
    #[arg(long)]
    speaker: Option<String>,
    /// Only quotes with a source in their chain containing this (any case).
    #[arg(long)]
    via: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: QuoteFormat,
}

/// The speaker as written, then what it stands for: "it → the statement → Hamas".
fn speaker_chain(doc: &Document, q: &Quote) -> String {
    let mut parts: Vec<String> = q.speaker.map(|s| text(doc, s)).into_iter().collect();
    parts.extend(q.speaker_refers_to.iter().map(|&s| text(doc, s)));
    parts.join(" → ")
}

fn via_chain(doc: &Document, q: &Quote) -> String {
    q.via.iter().map(|v| text(doc, v.span)).collect::<Vec<_>>().join(" ← ")
}

fn first_words(doc: &Document, s: Span, n: usize) -> String {
    let t = text(doc, s);
    if t.chars().count() <= n {
        t
    } else {
        format!("{}…", t.chars().take(n).collect::<String>())
    }
}

pub fn list(a: ListQuotes) -> Result<ExitCode> {
    let store = Store::open_read_only(&a.db)?;
    let wanted = |hay: &str, needle: &Option<String>| {
        needle.as_ref().is_none_or(|n| hay.to_lowercase().contains(&n.to_lowercase()))
    };
    let out = std::io::stdout();
    let mut out = out.lock();
    if a.format == QuoteFormat::Csv {
        writeln!(out, "document,kind,speaker,cue,addressee,via,content")?;
    }
    let mut shown = 0;
    for summary in store.list()? {
        let Some(doc) = store.get(&summary.id)? else { continue };
        for q in &doc.quotes {
            let speaker = speaker_chain(&doc, q);
            let via = via_chain(&doc, q);
            if !wanted(&speaker, &a.speaker) || !wanted(&via, &a.via) {
                continue;
            }
            shown += 1;
            let cue = q.cue.map(|s| text(&doc, s)).unwrap_or_default();
            let addressee = q.addressee.map(|s| text(&doc, s)).unwrap_or_default();
            match a.format {
                QuoteFormat::Table => writeln!(
                    out,
                    "{}  {:<8} {:<32} {:<14} {:<24} {}",
                    &doc.id[..8.min(doc.id.len())],
                    q.kind.as_str(),
                    first_words(&doc, q.speaker.unwrap_or(Span::new(0, 0)), 32)
                        + &if q.speaker_refers_to.is_empty() {
                            String::new()
                        } else {
                            format!(" → {}", text(&doc, *q.speaker_refers_to.last().expect("non-empty")))
                        },
                    cue,
                    if via.is_empty() { "-".to_string() } else { via.clone() },
                    first_words(&doc, q.content, 60)
                )?,
                QuoteFormat::Json => {
                    let value = serde_json::json!({
                        "document": doc.id,
                        "kind": q.kind.as_str(),
                        "speaker": q.speaker.map(|s| text(&doc, s)),
                        "speaker_refers_to": q.speaker_refers_to.iter().map(|&s| text(&doc, s)).collect::<Vec<_>>(),
                        "cue": q.cue.map(|s| text(&doc, s)),
                        "addressee": q.addressee.map(|s| text(&doc, s)),
                        "via": q.via.iter().map(|v| text(&doc, v.span)).collect::<Vec<_>>(),
                        "content": text(&doc, q.content),
                        "start": doc.text[..q.span.start].chars().count(),
                        "end": doc.text[..q.span.end].chars().count(),
                    });
                    writeln!(out, "{value}")?;
                }
                QuoteFormat::Csv => writeln!(
                    out,
                    "{},{},{},{},{},{},{}",
                    doc.id,
                    q.kind.as_str(),
                    csv_field(&speaker),
                    csv_field(&cue),
                    csv_field(&addressee),
                    csv_field(&via),
                    csv_field(&text(&doc, q.content))
                )?,
            }
        }
    }
    if shown == 0 && a.format == QuoteFormat::Table {
        eprintln!("no quotes{}", if a.speaker.is_some() || a.via.is_some() { " match" } else { " stored" });
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct EvalQuotes {
    /// Passages with their quotes, JSON lines: {"text", "quotes": [{"kind", "speaker", "cue",
    /// "content", "via"?, "addressee"?, "refers_to"?}]} (the speaker, cue and content as they
    /// stand in the text; "" for none). Default: the passages written for this project.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Fail (exit 1) when the speaker F1 (exact) is below this.
    #[arg(long)]
    min_f1: Option<f64>,
    /// Print each passage's mistakes.
    #[arg(long)]
    errors: bool,
}

#[derive(Deserialize)]
struct Passage {
    text: String,
    #[serde(default)]
    quotes: Vec<GoldQuote>,
}

#[derive(Deserialize)]
struct GoldQuote {
    kind: String,
    speaker: String,
    cue: String,
    content: String,
    #[serde(default)]
    via: Vec<String>,
    #[serde(default)]
    addressee: Option<String>,
    #[serde(default)]
    refers_to: Option<Vec<String>>,
}

const BUILTIN_PASSAGES: &str = include_str!("../../quotes/data/passages.jsonl");

/// Words compared without case and without the punctuation at their edges.
fn norm(s: &str) -> String {
    s.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn overlap(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && !b.is_empty() && a.split(' ').any(|w| b.split(' ').any(|x| x == w))
}

/// (right, predicted, gold) counts, exact and overlapping.
#[derive(Default, Clone, Copy)]
struct Tally {
    exact: usize,
    overlap: usize,
    predicted: usize,
    gold: usize,
}

impl Tally {
    fn add(&mut self, predicted: Option<&str>, gold: &str) {
        let p = predicted.filter(|p| !norm(p).is_empty());
        self.predicted += usize::from(p.is_some());
        self.gold += usize::from(!norm(gold).is_empty());
        if let Some(p) = p {
            self.exact += usize::from(norm(p) == norm(gold));
            self.overlap += usize::from(overlap(p, gold));
        }
    }

    fn row(&self, name: &str) -> String {
        let (ep, er, ef) = prf([self.exact, self.predicted, self.gold]);
        let (op, or, of) = prf([self.overlap, self.predicted, self.gold]);
        format!("  {name:<10} {ep:>7.2} {er:>7.2} {ef:>7.2}   {op:>7.2} {or:>7.2} {of:>7.2} {:>6}", self.gold)
    }

    fn exact_f1(&self) -> f64 {
        prf([self.exact, self.predicted, self.gold]).2
    }
}

pub fn eval(a: EvalQuotes) -> Result<ExitCode> {
    let (name, raw) = match &a.data {
        Some(p) => (
            p.display().to_string(),
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?,
        ),
        None => ("built-in passages (crates/quotes/data/passages.jsonl)".to_string(), BUILTIN_PASSAGES.to_string()),
    };
    let mut passages = Vec::new();
    for (n, line) in raw.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let p: Passage = serde_json::from_str(line).with_context(|| format!("{name}:{}: not a passage", n + 1))?;
        passages.push(p);
    }
    if passages.is_empty() {
        bail!("{name}: no passages");
    }
    let pipeline = dateline_pipeline::Pipeline::standard();
    let (mut content, mut speaker, mut cue, mut via, mut addressee) =
        (Tally::default(), Tally::default(), Tally::default(), Tally::default(), Tally::default());
    let (mut kind_right, mut matched, mut refers_right, mut refers_total, mut spurious) = (0, 0, 0, 0, 0);
    let t0 = std::time::Instant::now();
    for (n, p) in passages.iter().enumerate() {
        let mut doc = Document::new(format!("passage {}", n + 1), p.text.clone());
        pipeline.annotate(&mut doc);
        let mut used = vec![false; doc.quotes.len()];
        for g in &p.quotes {
            let found = p.text.find(&g.content).map(|s| Span::new(s, s + g.content.len()));
            let best = found.and_then(|gs| {
                (0..doc.quotes.len())
                    .filter(|&k| !used[k])
                    .filter(|&k| doc.quotes[k].content.start < gs.end && gs.start < doc.quotes[k].content.end)
                    .max_by_key(|&k| {
                        let q = doc.quotes[k].content;
                        q.end.min(gs.end) - q.start.max(gs.start)
                    })
            });
            let q = best.map(|k| {
                used[k] = true;
                &doc.quotes[k]
            });
            let s = |x: Option<Span>| x.map(|x| doc.slice(x).to_string());
            content.add(q.map(|q| doc.slice(q.content)), &g.content);
            speaker.add(q.and_then(|q| s(q.speaker)).as_deref(), &g.speaker);
            cue.add(q.and_then(|q| s(q.cue)).as_deref(), &g.cue);
            addressee.add(q.and_then(|q| s(q.addressee)).as_deref(), g.addressee.as_deref().unwrap_or(""));
            let got_via: Vec<String> =
                q.map(|q| q.via.iter().map(|v| doc.slice(v.span).to_string()).collect()).unwrap_or_default();
            via.add(Some(got_via.join(" ← ")).filter(|x| !x.is_empty()).as_deref(), &g.via.join(" ← "));
            if let Some(q) = q {
                matched += 1;
                kind_right += usize::from(q.kind.as_str() == g.kind);
                if let Some(r) = &g.refers_to {
                    refers_total += 1;
                    let got: Vec<String> = q.speaker_refers_to.iter().map(|&x| norm(doc.slice(x))).collect();
                    let want: Vec<String> = r.iter().map(|x| norm(x)).collect();
                    refers_right += usize::from(got == want);
                }
            }
            if a.errors {
                let got = q.map(|q| {
                    format!(
                        "{} / {} / {} / {}",
                        q.kind.as_str(),
                        s(q.speaker).unwrap_or_default(),
                        s(q.cue).unwrap_or_default(),
                        doc.slice(q.content)
                    )
                });
                let want = format!("{} / {} / {} / {}", g.kind, g.speaker, g.cue, g.content);
                if got.as_deref() != Some(want.as_str()) {
                    println!(
                        "passage {}: want {want}\n            got  {}",
                        n + 1,
                        got.unwrap_or_else(|| "nothing".into())
                    );
                }
            }
        }
        for q in doc.quotes.iter().zip(&used).filter(|(_, &u)| !u).map(|(q, _)| q) {
            spurious += 1;
            content.predicted += 1;
            if q.speaker.is_some() {
                speaker.predicted += 1;
            }
            if a.errors {
                println!("passage {}: spurious {} quote {:?}", n + 1, q.kind.as_str(), doc.slice(q.content));
            }
        }
    }
    let gold: usize = passages.iter().map(|p| p.quotes.len()).sum();
    println!(
        "{name}: {} passages, {gold} quotes ({:.0} passages/s, full pipeline)",
        passages.len(),
        passages.len() as f64 / t0.elapsed().as_secs_f64()
    );
    println!(
        "  {:<10} {:>7} {:>7} {:>7}   {:>7} {:>7} {:>7} {:>6}",
        "", "exact P", "R", "F1", "overlap P", "R", "F1", "gold"
    );
    for (n, t) in [("content", content), ("speaker", speaker), ("cue", cue), ("addressee", addressee), ("via", via)] {
        println!("{}", t.row(n));
    }
    println!(
        "  kind right on {kind_right} of {matched} found quotes; speaker resolved (refers_to) right on {refers_right} of {refers_total}; {spurious} spurious quotes"
    );
    Ok(crate::train::floor(speaker.exact_f1(), a.min_f1, "speaker F1"))
}
