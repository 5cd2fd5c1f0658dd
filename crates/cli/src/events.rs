//! `dateline events` (stored events, filtered) and `dateline eval events` (the PETRARCH
//! validation suites and the PLOVER gold-standard sentences, coded from raw text with our own
//! parse).

use crate::output::{csv_field, text};
use crate::score::prf;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use dateline_events::{code_document, pico::Ontology, Dictionaries, Options};
use dateline_model::{CharIndex, Dateline, Document, Event, EventActor, EventStatus, Span};
use dateline_pipeline::Pipeline;
use dateline_store::Store;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventFormat {
    Table,
    Json,
    Csv,
}

#[derive(Args)]
pub struct ListEvents {
    #[arg(long, default_value = "dateline.db", env = "DATELINE_DB")]
    db: PathBuf,
    /// Only events with an actor whose text or code contains this (any case).
    #[arg(long)]
    actor: Option<String>,
    /// Only events of this type: a CAMEO code or its prefix ("04", "036") or a PLOVER event
    /// ("CONSULT").
    #[arg(long = "type")]
    kind: Option<String>,
    /// Only events whose time value is on or after this date (YYYY-MM-DD); events without a
    /// time value are left out when a date bound is given.
    #[arg(long)]
    since: Option<String>,
    /// Only events whose time value is on or before this date.
    #[arg(long)]
    until: Option<String>,
    /// Only events with this status.
    #[arg(long, value_parser = ["asserted", "negated", "planned", "hypothetical"])]
    status: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: EventFormat,
    /// Only events that several documents report and whose reports disagree (on a count of
    /// killed or injured, or on whether it happened): each report with its outlet and
    /// evidence, side by side. Reports are never averaged and none is picked.
    #[arg(long)]
    disputed: bool,
}

/// `--disputed`: every event reported by several documents whose reports disagree.
fn disputed(store: &Store, out: &mut impl Write) -> Result<ExitCode> {
    let mut shown = 0;
    for group in store.shared_event_reports()? {
        let fields = dateline_store::EventReportRow::disagree(&group);
        if fields.is_empty() {
            continue;
        }
        shown += 1;
        let first = &group[0];
        writeln!(
            out,
            "event {} ({}, {}): {} reports disagree on {}",
            first.group,
            first.plover.as_deref().unwrap_or("-"),
            first.time_value.as_deref().unwrap_or("no date"),
            group.len(),
            fields.join(", ")
        )?;
        for r in &group {
            let doc = store.get(&r.doc_id)?;
            let evidence = doc.as_ref().and_then(|d| d.events.get(r.k).map(|e| text(d, e.span))).unwrap_or_default();
            writeln!(
                out,
                "  {}  {:<20} {:<10} killed {:<5} injured {:<5} {}",
                &r.doc_id[..8.min(r.doc_id.len())],
                r.outlet.as_deref().unwrap_or(&r.source),
                r.status,
                r.killed.map_or("-".into(), |k| k.to_string()),
                r.injured.map_or("-".into(), |k| k.to_string()),
                evidence
            )?;
        }
    }
    if shown == 0 {
        eprintln!("no event is reported differently by two documents");
    }
    Ok(ExitCode::SUCCESS)
}

fn actors(doc: &Document, v: &[EventActor]) -> String {
    v.iter()
        .map(|a| match &a.code {
            Some(c) => format!("{} [{c}]", text(doc, a.span)),
            None => text(doc, a.span),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn time_value(doc: &Document, e: &Event) -> Option<String> {
    let t = e.time?;
    doc.timexes.iter().find(|x| x.span == t).and_then(|x| x.value.clone())
}

/// Whether a time value (TIMEX3: "2024-03-28", "2023-06", "2023-W25") lies within the bounds,
/// compared on its leading date characters.
fn in_range(value: Option<&str>, since: &Option<String>, until: &Option<String>) -> bool {
    if since.is_none() && until.is_none() {
        return true;
    }
    let Some(v) = value.filter(|v| v.chars().next().is_some_and(|c| c.is_ascii_digit())) else { return false };
    let v = v.get(..10).unwrap_or(v);
    since.as_ref().is_none_or(|s| v >= &s[..s.len().min(v.len())]) && until.as_ref().is_none_or(|u| v <= u.as_str())
}

pub fn list(a: ListEvents) -> Result<ExitCode> {
    let store = Store::open_read_only(&a.db)?;
    let out = std::io::stdout();
    let mut out = out.lock();
    if a.disputed {
        return disputed(&store, &mut out);
    }
    if a.format == EventFormat::Csv {
        writeln!(
            out,
            "document,start,end,cameo,plover,plover_mode,quad_class,goldstein,status,historical,source,source_codes,trigger,target,target_codes,time,time_value,place,attributed_to,killed,injured,evidence"
        )?;
    }
    let mut shown = 0;
    for summary in store.list()? {
        let Some(doc) = store.get(&summary.id)? else { continue };
        // Built once per document, when a format needs them.
        let mut contract: Option<serde_json::Value> = None;
        let mut chars: Option<CharIndex> = None;
        for (k, e) in doc.events.iter().enumerate() {
            let src = actors(&doc, &e.source);
            let tgt = actors(&doc, &e.target);
            if let Some(n) = &a.actor {
                if !format!("{src} {tgt}").to_lowercase().contains(&n.to_lowercase()) {
                    continue;
                }
            }
            if let Some(k) = &a.kind {
                let k = k.to_uppercase();
                if !(e.cameo.as_deref().is_some_and(|c| c.starts_with(&k)) || e.plover.as_deref() == Some(k.as_str())) {
                    continue;
                }
            }
            if a.status.as_deref().is_some_and(|s| s != e.status.as_str()) {
                continue;
            }
            let value = time_value(&doc, e);
            if !in_range(value.as_deref(), &a.since, &a.until) {
                continue;
            }
            shown += 1;
            let speaker = e
                .attribution
                .and_then(|q| doc.quotes.iter().find(|x| x.span == q))
                .and_then(|q| q.speaker_refers_to.last().copied().or(q.speaker).map(|s| text(&doc, s)));
            let count = |k: dateline_model::CountKind| {
                e.counts.iter().find(|c| c.kind == k).map(|c| c.count.to_string()).unwrap_or_default()
            };
            match a.format {
                EventFormat::Table => writeln!(
                    out,
                    "{}  {:<5} {:<9} {:<12} {:<30} {:<14} {:<30} {:<12} {}",
                    &doc.id[..8.min(doc.id.len())],
                    e.cameo.as_deref().unwrap_or("-"),
                    e.plover.as_deref().unwrap_or("-"),
                    e.status.as_str(),
                    src,
                    text(&doc, e.trigger),
                    tgt,
                    value.clone().unwrap_or_else(|| "-".into()),
                    speaker.map(|s| format!("(says {s})")).unwrap_or_default()
                )?,
                EventFormat::Json => {
                    let v = contract.get_or_insert_with(|| dateline_model::wire::to_value(&doc));
                    let mut ev = v["events"][k].clone();
                    ev["document"] = serde_json::Value::String(doc.id.clone());
                    writeln!(out, "{ev}")?;
                }
                EventFormat::Csv => {
                    let (start, end) = chars.get_or_insert_with(|| CharIndex::new(&doc.text)).to_chars(e.span);
                    let codes = |v: &[EventActor]| {
                        v.iter().map(|a| a.code.clone().unwrap_or_default()).collect::<Vec<_>>().join(";")
                    };
                    let names = |v: &[EventActor]| v.iter().map(|a| text(&doc, a.span)).collect::<Vec<_>>().join(";");
                    let fields = [
                        doc.id.clone(),
                        start.to_string(),
                        end.to_string(),
                        e.cameo.clone().unwrap_or_default(),
                        e.plover.clone().unwrap_or_default(),
                        e.plover_mode.clone().unwrap_or_default(),
                        e.quad_class.map(|q| q.to_string()).unwrap_or_default(),
                        e.goldstein.map(|g| g.to_string()).unwrap_or_default(),
                        e.status.as_str().to_string(),
                        e.historical.to_string(),
                        names(&e.source),
                        codes(&e.source),
                        text(&doc, e.trigger),
                        names(&e.target),
                        codes(&e.target),
                        e.time.map(|t| text(&doc, t)).unwrap_or_default(),
                        value.clone().unwrap_or_default(),
                        e.place.map(|p| text(&doc, p)).unwrap_or_default(),
                        speaker.clone().unwrap_or_default(),
                        count(dateline_model::CountKind::Killed),
                        count(dateline_model::CountKind::Injured),
                        text(&doc, e.span),
                    ];
                    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                    writeln!(out, "{}", line.join(","))?;
                }
            }
        }
    }
    if shown == 0 && a.format == EventFormat::Table {
        eprintln!("no events match");
    }
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------------------------
// Evaluation

#[derive(Args)]
pub struct EvalEvents {
    /// A PETRARCH validation file (.xml: the 2_02 suite, the GSR news sentences), the PLOVER
    /// gold-standard sentences (PLOVER_GSR_CAMEO.txt, a JSON array), or stories labelled with
    /// their PLOVER event (.csv with `text` and `label` columns, or its .zip: NGEC's synthetic
    /// stories), scored on each lead's first sentence.
    #[arg(long)]
    data: PathBuf,
    /// A folder of dictionaries in PETRARCH's formats (*verbs*.txt, *actors*.txt, *agents*.txt,
    /// *discards*.txt). Default for a validation file: the files its <Environment> names, when
    /// they lie beside it; else the built-in CAMEO/Phoenix set.
    #[arg(long)]
    dictionaries: Option<PathBuf>,
    /// Fail (exit 1) when triple F1 (validation files) or event accuracy (PLOVER; for the gold
    /// sentences, in their PLOVER 0.5b1 terms) is below this percentage.
    #[arg(long)]
    min_score: Option<f64>,
    /// Write every miss with its sentence to this file.
    #[arg(long)]
    errors: Option<PathBuf>,
}

/// One record of a validation file.
struct Record {
    id: String,
    category: String,
    date: Option<String>,
    evaluate: bool,
    gold: Vec<(String, String, String)>,
    /// `noevents` or `error` records: nothing may be coded.
    nothing: bool,
    text: String,
    /// `<Config>` options set before this record, in order.
    config: Vec<(String, String)>,
}

fn attr(line: &str, name: &str) -> Option<String> {
    for q in ['"', '\''] {
        let key = format!("{name}={q}");
        if let Some(i) = line.find(&key) {
            let rest = &line[i + key.len()..];
            return rest.find(q).map(|j| rest[..j].to_string());
        }
    }
    None
}

/// The `<Environment>` entry naming the suite's coding ontology (not a dictionary).
const PICO_KEY: &str = "PICOfile";

/// Reads a validation file line by line (the 2_02 and GSR files are not well-formed XML).
fn read_validation(text: &str) -> (Vec<Record>, Vec<String>, BTreeMap<String, String>) {
    let mut records: Vec<Record> = Vec::new();
    let mut include = Vec::new();
    let mut env = BTreeMap::new();
    let mut pending_config = Vec::new();
    let mut in_text = false;
    let mut in_comment = false;
    for line in text.lines() {
        let t = line.trim();
        if in_comment {
            if t.contains("-->") {
                in_comment = false;
            }
            continue;
        }
        if t.starts_with("<!--") && !t.contains("-->") {
            in_comment = true;
            continue;
        }
        if in_text {
            if t.starts_with("</Text>") {
                in_text = false;
            } else if let Some(r) = records.last_mut() {
                r.text.push_str(t);
                r.text.push(' ');
            }
            continue;
        }
        for key in ["Verbfile", "Actorfile", "Agentfile", "Discardfile", PICO_KEY] {
            let open = format!("<{key}>");
            if let Some(rest) = t.strip_prefix(&open) {
                env.insert(key.to_string(), rest.split('<').next().unwrap_or("").trim().to_string());
            }
        }
        if let Some(rest) = t.strip_prefix("<Include>") {
            include = rest.split('<').next().unwrap_or("").split_whitespace().map(str::to_string).collect();
        } else if t.starts_with("<Config") {
            if let (Some(o), Some(v)) = (attr(t, "option"), attr(t, "value")) {
                pending_config.push((o, v));
            }
        } else if t.starts_with("<Sentence ") {
            let evaluate = ["evaluate", "sentence", "valid"]
                .iter()
                .find_map(|k| attr(t, k))
                .is_none_or(|v| v.eq_ignore_ascii_case("true"));
            records.push(Record {
                id: attr(t, "id").unwrap_or_default(),
                category: attr(t, "category").unwrap_or_default(),
                date: attr(t, "date"),
                evaluate,
                gold: Vec::new(),
                nothing: false,
                text: String::new(),
                config: std::mem::take(&mut pending_config),
            });
        } else if t.starts_with("<EventCoding") {
            let Some(r) = records.last_mut() else { continue };
            if attr(t, "noevents").is_some() || attr(t, "error").is_some() {
                r.nothing = true;
            } else if let (Some(s), Some(g), Some(e)) =
                (attr(t, "sourcecode"), attr(t, "targetcode"), attr(t, "eventcode"))
            {
                r.gold.push((s, g, e));
            }
        } else if t.starts_with("<Text>") {
            in_text = true;
            let rest = t.trim_start_matches("<Text>");
            if let Some(r) = records.last_mut() {
                if let Some(inline) = rest.strip_suffix("</Text>") {
                    r.text.push_str(inline);
                    in_text = false;
                } else {
                    r.text.push_str(rest);
                }
            }
        }
    }
    (records, include, env)
}

fn read_dictionary_folder(dir: &Path, names: Option<Vec<String>>) -> Result<Dictionaries> {
    let mut files = Vec::new();
    let paths: Vec<PathBuf> = match names {
        Some(n) => n.iter().map(|f| dir.join(f)).collect(),
        None => {
            let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
                .with_context(|| format!("cannot read {}", dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                // PETRARCH's .txt files, and our PLOVER lexicon (.tsv).
                .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "tsv"))
                .collect();
            v.sort();
            v
        }
    };
    for p in paths {
        let text = std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
        files.push((p.file_name().unwrap_or_default().to_string_lossy().to_string(), text));
    }
    Dictionaries::from_files(&files).map_err(anyhow::Error::msg)
}

/// The dictionaries to code with when not the built-in ones: `--dictionaries DIR`, else the
/// files a validation file names when they lie beside it. Says which on stderr.
fn own_dictionaries(a: &EvalEvents, beside: Option<(&Path, Vec<String>)>) -> Result<Option<Dictionaries>> {
    if let Some(dir) = &a.dictionaries {
        eprintln!("dictionaries: {}", dir.display());
        return Ok(Some(read_dictionary_folder(dir, None)?));
    }
    if let Some((folder, named)) = beside {
        eprintln!("dictionaries: {} (named by the file's <Environment>)", named.join(", "));
        return Ok(Some(read_dictionary_folder(folder, Some(named))?));
    }
    Ok(None)
}

/// The coding ontology a validation file names (`<PICOfile>`), read from the dictionaries
/// folder given or from beside the file; `None` when it names none or the file is absent.
fn read_ontology(a: &EvalEvents, folder: &Path, named: Option<&String>) -> Result<Option<Ontology>> {
    let Some(name) = named else { return Ok(None) };
    let path = a.dictionaries.as_deref().unwrap_or(folder).join(name.trim());
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let o = Ontology::read(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    eprintln!("negated events scored as {} writes them", path.display());
    Ok(Some(o))
}

type Triple = (String, String, String);

/// The (source, target, code) triples of a sentence's events with a CAMEO code (an act typed
/// in PLOVER alone is none of the PETRARCH suites'): one per pair of coded actors (compound
/// actors expand as CAMEO's duplicated dyads do), without repeats.
fn triples(events: &[Event], code_of: &dyn Fn(&Event) -> Option<String>) -> Vec<Triple> {
    let mut out: Vec<Triple> = Vec::new();
    for e in events {
        let Some(code) = code_of(e) else { continue };
        for s in e.source.iter().filter_map(|a| a.code.clone()) {
            for t in e.target.iter().filter_map(|a| a.code.clone()) {
                if s == "---" || t == "---" || s == t {
                    continue;
                }
                let tr = (s.clone(), t, code.clone());
                if !out.contains(&tr) {
                    out.push(tr);
                }
            }
        }
    }
    out
}

/// One-to-one matches between coded and gold items.
fn matched<T: PartialEq + Clone>(coded: &[T], gold: &[T]) -> usize {
    let mut left: Vec<T> = gold.to_vec();
    let mut n = 0;
    for c in coded {
        if let Some(i) = left.iter().position(|g| g == c) {
            left.swap_remove(i);
            n += 1;
        }
    }
    n
}

#[derive(Default, Clone, Copy)]
struct Tally {
    right: usize,
    coded: usize,
    gold: usize,
}

impl Tally {
    fn add(&mut self, right: usize, coded: usize, gold: usize) {
        self.right += right;
        self.coded += coded;
        self.gold += gold;
    }

    fn line(&self) -> String {
        let (p, r, f) = prf([self.right, self.coded, self.gold]);
        format!("P {p:.1}  R {r:.1}  F1 {f:.1}  ({} right, {} coded, {} gold)", self.right, self.coded, self.gold)
    }
}

pub fn eval(a: EvalEvents) -> Result<ExitCode> {
    if a.data.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("zip")) {
        return eval_stories(&a);
    }
    let text = std::fs::read_to_string(&a.data).with_context(|| format!("cannot read {}", a.data.display()))?;
    if text.trim_start().starts_with('[') {
        return eval_plover(&a, &text);
    }
    let (records, include, env) = read_validation(&text);
    if records.is_empty() {
        bail!("{}: no <Sentence> records", a.data.display());
    }
    let folder = a.data.parent().unwrap_or(Path::new("."));
    let named: Vec<String> = env
        .iter()
        .filter(|(k, _)| *k != PICO_KEY)
        .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_string()))
        .collect();
    let beside = (!named.is_empty() && named.iter().all(|f| folder.join(f).is_file())).then_some((folder, named));
    let own = own_dictionaries(&a, beside)?;
    // A suite without dictionaries of its own was coded with PETRARCH-2's Phoenix set, discards
    // by time and all (the GSR news: codings started from PETRARCH-2's output), so it is
    // scored with that set; the pipeline's, which keeps sentences dated by a year or "weeks
    // ago", is scored beside it.
    if own.is_none() {
        eprintln!(
            "dictionaries: PETRARCH-2's Phoenix set as distributed (CAMEO 2.0, Phoenix actors, agents, discards)"
        );
    }
    let dictionaries = own.as_ref().unwrap_or_else(|| Dictionaries::phoenix());
    let mut pipeline_triple = own.is_none().then(Tally::default);
    let ontology = read_ontology(&a, folder, env.get(PICO_KEY))?;
    // PETRARCH writes a negated event as the code of its negation ("did not clash", 110, is
    // 050); we keep the code and the status `negated`, and compare in PETRARCH's terms.
    let code_of = |e: &Event| {
        let code = e.cameo.as_deref()?;
        Some(match (&ontology, e.status) {
            (Some(o), EventStatus::Negated) => o.negation(code).unwrap_or(code).to_string(),
            _ => code.to_string(),
        })
    };
    let pipeline = Pipeline::standard();
    let mut options = Options { require_dyad: true };
    let (mut triple, mut code_only, mut root_only, mut src_only, mut tgt_only) =
        (Tally::default(), Tally::default(), Tally::default(), Tally::default(), Tally::default());
    let mut plain_triple = Tally::default();
    let mut by_category: BTreeMap<String, (Tally, usize, usize)> = BTreeMap::new();
    let mut by_root: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut exact, mut evaluated) = (0usize, 0usize);
    let mut listing = String::new();
    for r in &records {
        for (o, v) in &r.config {
            if o == "require_dyad" {
                options.require_dyad = v.eq_ignore_ascii_case("true");
            }
        }
        if !r.evaluate || (!include.is_empty() && !include.contains(&r.category)) {
            continue;
        }
        evaluated += 1;
        let mut doc = record_document(&r.id, r.text.trim());
        doc.published = r.date.as_deref().and_then(|d| {
            (d.len() == 8).then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..])).and_then(|d| d.parse().ok())
        });
        pipeline.annotate(&mut doc);
        let events = code_document(&doc, dictionaries, options);
        let coded = triples(&events, &code_of);
        let plain = triples(&events, &|e: &Event| e.cameo.clone());
        let gold = if r.nothing { Vec::new() } else { r.gold.clone() };
        if let Some(t) = pipeline_triple.as_mut() {
            let ours = triples(&code_document(&doc, Dictionaries::builtin(), options), &code_of);
            t.add(matched(&ours, &gold), ours.len(), gold.len());
        }
        let right = matched(&coded, &gold);
        triple.add(right, coded.len(), gold.len());
        plain_triple.add(matched(&plain, &gold), plain.len(), gold.len());
        let pick = |v: &[Triple], f: &dyn Fn(&Triple) -> String| v.iter().map(f).collect::<Vec<String>>();
        let (cc, gc) = (pick(&coded, &|t| t.2.clone()), pick(&gold, &|t| t.2.clone()));
        code_only.add(matched(&cc, &gc), cc.len(), gc.len());
        let root = |t: &Triple| t.2.get(..2).unwrap_or(&t.2).to_string();
        let (cr, gr) = (pick(&coded, &root), pick(&gold, &root));
        root_only.add(matched(&cr, &gr), cr.len(), gr.len());
        let (cs, gs) = (pick(&coded, &|t| t.0.clone()), pick(&gold, &|t| t.0.clone()));
        src_only.add(matched(&cs, &gs), cs.len(), gs.len());
        let (ct, gt) = (pick(&coded, &|t| t.1.clone()), pick(&gold, &|t| t.1.clone()));
        tgt_only.add(matched(&ct, &gt), ct.len(), gt.len());
        for g in &gold {
            by_root.entry(root(g)).or_default().gold += 1;
        }
        let mut left = gold.clone();
        for c in &coded {
            let t = by_root.entry(root(c)).or_default();
            t.coded += 1;
            if let Some(i) = left.iter().position(|g| g == c) {
                left.swap_remove(i);
                t.right += 1;
            }
        }
        let is_exact = right == coded.len() && right == gold.len();
        exact += usize::from(is_exact);
        let cat = by_category.entry(r.category.clone()).or_default();
        cat.0.add(right, coded.len(), gold.len());
        cat.1 += usize::from(is_exact);
        cat.2 += 1;
        if !is_exact {
            let show =
                |v: &[Triple]| v.iter().map(|t| format!("{}>{}:{}", t.0, t.1, t.2)).collect::<Vec<_>>().join(" ");
            listing.push_str(&format!(
                "{}\t{}\tgold {}\tours {}\t{}\n",
                r.id,
                r.category,
                show(&gold),
                show(&coded),
                doc.text
            ));
        }
    }
    let (_, _, f1) = prf([triple.right, triple.coded, triple.gold]);
    println!("{}: {evaluated} records coded from their text with our parse", a.data.display());
    println!("  triples (source, target, event): {}", triple.line());
    if ontology.is_some() {
        println!("  the same, negated events as their own code: {}", plain_triple.line());
    }
    if let Some(t) = &pipeline_triple {
        println!(
            "  the same with the pipeline's dictionaries (sentences dated by a year or \"weeks ago\" kept): {}",
            t.line()
        );
    }
    println!(
        "  records exactly right: {exact} of {evaluated} ({:.1}%)",
        100.0 * exact as f64 / evaluated.max(1) as f64
    );
    println!("  event code only:  {}", code_only.line());
    println!("  root code only:   {}", root_only.line());
    println!("  source only:      {}", src_only.line());
    println!("  target only:      {}", tgt_only.line());
    println!("by category (triples; records exactly right):");
    for (c, (t, ex, n)) in &by_category {
        println!("  {c:<10} {}  exact {ex}/{n}", t.line());
    }
    println!("by root code (triples):");
    for (c, t) in &by_root {
        println!("  {c:<4} {}", t.line());
    }
    if let Some(path) = &a.errors {
        std::fs::write(path, listing).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote the records not exactly right to {}", path.display());
    }
    Ok(crate::train::floor(f1, a.min_score, "triple F1"))
}

/// The PLOVER 0.5b1 events of the gold file in today's PLOVER (the file's README mapping).
fn current_plover(event: &str) -> &str {
    match event {
        "DEMAND" => "REQUEST",
        "DISAPPROVE" | "INVESTIGATE" => "ACCUSE",
        "FIGHT" => "ASSAULT",
        other => other,
    }
}

/// Our event's PLOVER type in the terms of PLOVER 0.5b1, which the gold file was coded in.
/// 0.5b1 typed an announced concession or retreat ("agreed to withdraw", "is ready to release
/// them", "offered concessions") as AGREE, as the CAMEO2PLOVER table still types CAMEO's
/// intent to yield (035); today's codebook keeps it CONCEDE or RETREAT ("future concessions
/// … do not reduce to AGREE"), and so does the coder (see `cameo::promised_plover`). The
/// README's mapping renames the file's events; this reads ours in the file's terms for the
/// one rule that changed in between. An announced one is one whose status is planned, or
/// whose CAMEO code is no yield (08) itself: an intent (035) or a promise verb typed by the
/// yield it promises ("agreed [to resign]").
fn in_plover_0_5b1(e: &Event) -> &str {
    let plover = e.plover.as_deref().unwrap_or("-");
    let yields = matches!(plover, "CONCEDE" | "RETREAT");
    let announced = e.status == EventStatus::Planned || !e.cameo.as_deref().is_some_and(|c| c.starts_with("08"));
    if yields && announced {
        "AGREE"
    } else {
        plover
    }
}

/// A suite's sentence as ingest reads a one-paragraph article: with its dateline ("LYON:
/// Interpol said …"), which is no part of the sentence's grammar or of any actor.
fn record_document(id: &str, text: &str) -> Document {
    let mut doc = Document::new(id, text);
    if let Some((place, start, end)) = dateline_ingest::detect_dateline(text) {
        doc.dateline = Some(Dateline { place, span: Span::new(start, end) });
    }
    doc
}

/// Counts one sentence in the per-event tallies: its gold event, and ours ("-": none).
fn count_typed(per_class: &mut BTreeMap<String, Tally>, gold: &str, ours: &str) {
    per_class.entry(gold.to_string()).or_default().gold += 1;
    if ours != "-" {
        let t = per_class.entry(ours.to_string()).or_default();
        t.coded += 1;
        t.right += usize::from(ours == gold);
    }
}

/// A sentence's event among its typed events: the one highest in its tree (on the main verb,
/// else on the verb of a clause nearest it: "A said [B attacked C]" is B's attack), the
/// earliest in the text of those at the same depth (news puts the lead act first).
fn main_event<'e>(doc: &Document, typed: &[&'e Event]) -> Option<&'e Event> {
    let depth = |e: &Event| {
        let Some(mut t) = doc.tokens.iter().position(|t| t.span.start == e.trigger.start) else {
            return usize::MAX;
        };
        let mut d = 0;
        while let Some(h) = doc.tokens[t].head.filter(|_| d < doc.tokens.len()) {
            t = h;
            d += 1;
        }
        d
    };
    typed.iter().min_by_key(|e| (depth(e), e.trigger.start)).copied()
}

/// Labelled stories (NGEC's synthetic ones: a CSV, or its zip, with `text` and `label`): the
/// PLOVER event of each lead's first sentence against the story's label, a second PLOVER
/// corpus beside the gold sentences. The built-in PLOVER lexicon was learned from these
/// stories, so the figure that counts is the one without it (the CAMEO dictionaries alone);
/// the one with it is printed beside, marked as not held out.
fn eval_stories(a: &EvalEvents) -> Result<ExitCode> {
    let rows = crate::plover::read_stories(&a.data)?;
    if rows.is_empty() {
        bail!("{}: no labelled stories", a.data.display());
    }
    let own = own_dictionaries(a, None)?;
    let pipeline = Pipeline::standard();
    let sets: Vec<(&str, &Dictionaries)> = match &own {
        Some(d) => vec![("the given dictionaries", d)],
        None => vec![
            ("CAMEO dictionaries, no PLOVER lexicon (held out)", Dictionaries::builtin_without_lexicon()),
            ("built-in, lexicon included (learned from these stories: not held out)", Dictionaries::builtin()),
        ],
    };
    let mut tallies: Vec<(usize, usize, BTreeMap<String, Tally>)> = vec![(0, 0, BTreeMap::new()); sets.len()];
    let mut listing = String::new();
    let bar =
        indicatif::ProgressBar::with_draw_target(Some(rows.len() as u64), indicatif::ProgressDrawTarget::stderr());
    for (k, row) in rows.iter().enumerate() {
        bar.inc(1);
        let lead = crate::plover::lead_paragraph(&row.text);
        let mut doc = Document::new(format!("story-{}", k + 1), lead);
        pipeline.annotate(&mut doc);
        let Some(first) = doc.sentences.first().map(|s| s.span) else { continue };
        for (i, (_, d)) in sets.iter().enumerate() {
            let events = code_document(&doc, d, Options::default());
            let typed: Vec<&Event> = events
                .iter()
                .filter(|e| e.plover.is_some() && e.trigger.start >= first.start && e.trigger.end <= first.end)
                .collect();
            let ours = main_event(&doc, &typed).and_then(|e| e.plover.clone()).unwrap_or_else(|| "-".into());
            let (n, right, per_class) = &mut tallies[i];
            *n += 1;
            *right += usize::from(ours == row.label);
            count_typed(per_class, &row.label, &ours);
            if i == 0 && ours != row.label {
                listing.push_str(&format!("story {}\tgold {}\tours {ours}\t{}\n", k + 1, row.label, doc.slice(first)));
            }
        }
    }
    bar.finish_and_clear();
    println!("{}: {} stories, the first sentence of each lead coded", a.data.display(), rows.len());
    let mut held_out = 0.0;
    for (i, (name, _)) in sets.iter().enumerate() {
        let (n, right, per_class) = &tallies[i];
        let typed: usize = per_class.values().map(|t| t.coded).sum();
        let acc = 100.0 * *right as f64 / (*n).max(1) as f64;
        if i == 0 {
            held_out = acc;
        }
        println!("  {name}:");
        println!(
            "    PLOVER event accuracy {acc:.1}%  ({right} of {n}); typed {:.1}%, right {:.1}% of those typed",
            100.0 * typed as f64 / (*n).max(1) as f64,
            100.0 * *right as f64 / typed.max(1) as f64
        );
        if i == 0 {
            for (c, t) in per_class {
                println!("    {c:<12} {}", t.line());
            }
        }
    }
    if let Some(path) = &a.errors {
        std::fs::write(path, listing).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote the misses (held-out set) to {}", path.display());
    }
    Ok(crate::train::floor(held_out, a.min_score, "PLOVER event accuracy on the stories"))
}

fn eval_plover(a: &EvalEvents, text: &str) -> Result<ExitCode> {
    let records: Vec<serde_json::Value> =
        serde_json::from_str(text).with_context(|| format!("{}: not a JSON array", a.data.display()))?;
    let own = own_dictionaries(a, None)?;
    if own.is_none() {
        eprintln!(
            "dictionaries: built-in (CAMEO 2.0; Phoenix actors, agents, and discards less those by time; PLOVER lexicon)"
        );
    }
    let dictionaries = own.as_ref().unwrap_or_else(|| Dictionaries::builtin());
    let pipeline = Pipeline::standard();
    let (mut n, mut right, mut right_as_coded, mut any_right) = (0usize, 0usize, 0usize, 0usize);
    let mut per_class: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut src, mut tgt) = (Tally::default(), Tally::default());
    let (mut dead, mut dead_right) = (0usize, 0usize);
    let mut listing = String::new();
    for r in &records {
        let (Some(sentence), Some(event)) = (r["text"].as_str(), r["event"].as_str()) else { continue };
        let gold = current_plover(event).to_string();
        n += 1;
        let mut doc = record_document(r["id"].as_str().unwrap_or("plover"), sentence);
        doc.published = r["date"].as_str().and_then(|d| d.parse().ok());
        pipeline.annotate(&mut doc);
        let events = code_document(&doc, dictionaries, Options::default());
        let typed: Vec<&Event> = events.iter().filter(|e| e.plover.is_some()).collect();
        let main = main_event(&doc, &typed);
        let as_coded = main.and_then(|e| e.plover.clone()).unwrap_or_else(|| "-".into());
        right_as_coded += usize::from(as_coded == gold);
        let ours = main.map_or_else(|| "-".to_string(), |e| in_plover_0_5b1(e).to_string());
        right += usize::from(ours == gold);
        any_right += usize::from(typed.iter().any(|e| in_plover_0_5b1(e) == gold));
        count_typed(&mut per_class, &gold, &ours);
        // Actors by span overlap with the gold actor texts.
        let overlap = |gold_actors: &serde_json::Value, ours: &[EventActor], t: &mut Tally| {
            let gold_spans: Vec<(usize, usize)> = gold_actors
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|g| g["actorText"].as_str())
                .filter_map(|s| doc.text.find(s).map(|i| (i, i + s.len())))
                .collect();
            let hits =
                gold_spans.iter().filter(|(s, e)| ours.iter().any(|a| a.span.start < *e && *s < a.span.end)).count();
            t.add(hits, ours.len(), gold_spans.len());
        };
        if let Some(e) = main {
            overlap(&r["source"], &e.source, &mut src);
            overlap(&r["target"], &e.target, &mut tgt);
        } else {
            overlap(&r["source"], &[], &mut src);
            overlap(&r["target"], &[], &mut tgt);
        }
        if let Some(d) = r["dead"].as_str().and_then(|d| d.parse::<u32>().ok()) {
            dead += 1;
            let k = events.iter().flat_map(|e| &e.counts).find(|c| c.kind == dateline_model::CountKind::Killed);
            dead_right += usize::from(k.is_some_and(|c| c.count == d));
        }
        if ours != gold {
            // Our event's CAMEO code and trigger: what to look at first.
            let how = main.map_or(String::new(), |e| {
                format!(" ({} \"{}\")", e.cameo.as_deref().unwrap_or("no CAMEO"), doc.slice(e.trigger))
            });
            // Every typed event of the sentence, for the misses where the gold one is among
            // them but not the one chosen.
            let all: Vec<String> =
                typed.iter().map(|e| format!("{} \"{}\"", in_plover_0_5b1(e), doc.slice(e.trigger))).collect();
            listing.push_str(&format!(
                "{}\tgold {gold}\tours {ours}{how}\t{}\tall: {}\n",
                r["id"].as_str().unwrap_or(""),
                sentence.split_whitespace().collect::<Vec<_>>().join(" "),
                all.join("; ")
            ));
        }
    }
    let acc = 100.0 * right as f64 / n.max(1) as f64;
    let macro_f1 = per_class.values().filter(|t| t.gold > 0).map(|t| prf([t.right, t.coded, t.gold]).2).sum::<f64>()
        / per_class.values().filter(|t| t.gold > 0).count().max(1) as f64;
    println!("{}: {n} sentences coded from their text", a.data.display());
    println!("  PLOVER event accuracy (main event, in the file's PLOVER 0.5b1 terms): {acc:.1}%  ({right} of {n})");
    println!(
        "  the same as coded (today's codebook: an announced concession stays CONCEDE or RETREAT): {:.1}%  ({right_as_coded} of {n})",
        100.0 * right_as_coded as f64 / n.max(1) as f64
    );
    println!("  gold event among ours: {:.1}%", 100.0 * any_right as f64 / n.max(1) as f64);
    println!("  macro F1 over events: {macro_f1:.1}");
    println!("  source span overlap: {}", src.line());
    println!("  target span overlap: {}", tgt.line());
    println!("  dead counted right: {dead_right} of {dead}");
    println!("by event:");
    for (c, t) in &per_class {
        println!("  {c:<12} {}", t.line());
    }
    if let Some(path) = &a.errors {
        std::fs::write(path, listing).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote the misses to {}", path.display());
    }
    Ok(crate::train::floor(acc, a.min_score, "PLOVER event accuracy"))
}
