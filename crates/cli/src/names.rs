//! What the recognizer and each of its rules score on data the rules were not chosen on:
//! `dateline eval ner --kfold K` (models trained on the other folds of a training set, each
//! fold scored by one that never saw it), `--ablate` (each post-decoding rule left out in
//! turn), and `dateline eval names` (the person, organisation and place names of a CoNLL-U
//! treebank with gold entities, GUM's, another genre mix than CoNLL's newswire).

use crate::score::prf;
use crate::train::{load_ner, load_tagger};
use anyhow::{bail, Context, Result};
use clap::Args;
use dateline_model::{Document, EntityType, Sentence as DocSentence, Span, Stage, Token};
use dateline_nlp::corpus::{documents, spans_of, Sentence};
use dateline_nlp::ner::{bilou_spans, Ner, Rules};
use dateline_nlp::tagger::Tagger;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;

/// True positives, predictions and gold mentions, per type.
type Counts = BTreeMap<String, [usize; 3]>;

fn micro(counts: &Counts) -> [usize; 3] {
    counts.values().fold([0; 3], |a, c| [a[0] + c[0], a[1] + c[1], a[2] + c[2]])
}

fn print_counts(counts: &Counts) {
    println!("  {:<7} {:>9} {:>9} {:>9} {:>7}", "type", "precision", "recall", "F1", "gold");
    for (t, c) in counts {
        let (p, r, f) = prf(*c);
        println!("  {t:<7} {p:>9.2} {r:>9.2} {f:>9.2} {:>7}", c[2]);
    }
    let all = micro(counts);
    let (p, r, f) = prf(all);
    println!("  {:<7} {p:>9.2} {r:>9.2} {f:>9.2} {:>7}", "all", all[2]);
}

/// Prints F1 with every rule and with each left out; a rule whose absence scores higher does
/// not pay its way on this data.
fn print_ablation(results: &[(&str, Counts)]) {
    let base = prf(micro(&results[0].1)).2;
    println!("  {:<26} {:>7} {:>7}", "rules", "F1", "change");
    for (name, counts) in results {
        let f = prf(micro(counts)).2;
        println!("  {name:<26} {f:>7.2} {:>+7.2}", f - base);
    }
}

/// The rule sets to score: all of them, then each left out (`document`: the document
/// conventions of the full recognizer too).
fn rule_sets(ablate: bool, document: bool) -> Vec<(&'static str, Rules)> {
    let mut sets = vec![("all", Rules::ALL)];
    if ablate {
        sets.extend(Rules::each_left_out(document));
    }
    sets
}

/// Adds CoNLL exact-span counts of one document's sentences (with their tags) into `counts`.
fn count_conll(ner: &Ner, block: &[Sentence], tags: &[Vec<&str>], rules: Rules, counts: &mut Counts) {
    let sentences: Vec<(Vec<&str>, Vec<&str>)> =
        block.iter().zip(tags).map(|(s, t)| (s.words.iter().map(String::as_str).collect(), t.clone())).collect();
    let labels = ner.label_document_with(&sentences, rules);
    for (s, labels) in block.iter().zip(labels) {
        let predicted: HashSet<(usize, usize, String)> = bilou_spans(&labels).into_iter().collect();
        let truth: HashSet<(usize, usize, String)> = spans_of(&s.ner).into_iter().collect();
        for (a, b, t) in &predicted {
            let c = counts.entry(t.clone()).or_default();
            c[1] += 1;
            c[0] += usize::from(truth.contains(&(*a, *b, t.clone())));
        }
        for (_, _, t) in &truth {
            counts.entry(t.clone()).or_default()[2] += 1;
        }
    }
}

fn tag_all<'t>(tagger: &'t Tagger, data: &[Sentence]) -> Vec<Vec<&'t str>> {
    data.iter()
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            tagger.tag(&words)
        })
        .collect()
}

/// `eval ner --ablate` on a data set, with the given model.
pub fn ablate_conll(ner: &Ner, data: &[Sentence], name: &str) -> Result<ExitCode> {
    let tagger = load_tagger(None)?;
    let tags = tag_all(tagger, data);
    let mut results = Vec::new();
    for (rule, rules) in rule_sets(true, false) {
        let mut counts = Counts::new();
        for doc in documents(data) {
            count_conll(ner, &data[doc.clone()], &tags[doc], rules, &mut counts);
        }
        results.push((rule, counts));
    }
    println!("{name}: entities, CoNLL exact-span scoring, each rule left out in turn");
    print_ablation(&results);
    Ok(ExitCode::SUCCESS)
}

/// `eval ner --kfold K`: K models, each trained on the documents of the other folds (every
/// K-th document is in the same fold) and scored on its own fold; counts are pooled.
pub fn kfold_conll(data: &[Sentence], name: &str, k: usize, iterations: usize, ablate: bool) -> Result<f64> {
    if k < 2 {
        bail!("--kfold needs at least 2 folds");
    }
    let tagger = load_tagger(None)?;
    let tags = tag_all(tagger, data);
    let docs = documents(data);
    if docs.len() < k {
        bail!("{name}: {} documents, fewer than {k} folds", docs.len());
    }
    let sets = rule_sets(ablate, false);
    let mut pooled: Vec<Counts> = vec![Counts::new(); sets.len()];
    for fold in 0..k {
        let t0 = std::time::Instant::now();
        let mut train = Vec::new();
        let mut train_tags = Vec::new();
        for (d, range) in docs.iter().enumerate() {
            if d % k != fold {
                train.extend(data[range.clone()].iter().cloned());
                train_tags.extend(tags[range.clone()].iter().map(|t| t.iter().map(|s| s.to_string()).collect()));
            }
        }
        let ner = Ner::train(&train, &train_tags, iterations, 1, &mut dateline_nlp::tagger::Quiet);
        let mut fold_counts: Vec<Counts> = vec![Counts::new(); sets.len()];
        for range in docs.iter().skip(fold).step_by(k) {
            for (c, (_, rules)) in fold_counts.iter_mut().zip(&sets) {
                count_conll(&ner, &data[range.clone()], &tags[range.clone()], *rules, c);
            }
        }
        eprintln!(
            "fold {}/{k}: F1 {:.2} ({} sentences trained, {:.0} s)",
            fold + 1,
            prf(micro(&fold_counts[0])).2,
            train.len(),
            t0.elapsed().as_secs_f64()
        );
        for (p, c) in pooled.iter_mut().zip(fold_counts) {
            for (t, v) in c {
                let e = p.entry(t).or_default();
                for i in 0..3 {
                    e[i] += v[i];
                }
            }
        }
    }
    println!("{name}: {k}-fold cross-validation by document, CoNLL exact-span scoring, pooled over folds");
    print_counts(&pooled[0]);
    if ablate {
        let results: Vec<(&str, Counts)> = sets.iter().map(|(n, _)| *n).zip(pooled.iter().cloned()).collect();
        print_ablation(&results);
    }
    Ok(prf(micro(&pooled[0])).2)
}

#[derive(Args)]
pub struct EvalNames {
    /// A CoNLL-U treebank with gold entities in MISC (`Entity=(1-person-…`), such as GUM.
    #[arg(long)]
    data: PathBuf,
    /// Recognizer model (default: the built-in one).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Also score with each rule left out in turn (the document conventions included).
    #[arg(long)]
    ablate: bool,
    /// Fail (exit 1) when micro F1 is below this.
    #[arg(long)]
    min_f1: Option<f64>,
    /// Print this many mistakes of the full recognizer: predictions that find no name, and
    /// names no prediction finds, with their words.
    #[arg(long, default_value_t = 0)]
    errors: usize,
}

/// A gold entity of a treebank: type, words `[start, end)` of its document, and its head word.
struct GoldEntity {
    kind: EntityType,
    start: usize,
    end: usize,
    head: usize,
    /// Whether the head is a proper noun: only such entities are names to find.
    proper: bool,
}

/// One document of the treebank: its words, where sentences start, and its gold entities.
struct TreebankDocument {
    words: Vec<String>,
    space_after: Vec<bool>,
    sentence_starts: Vec<usize>,
    entities: Vec<GoldEntity>,
}

/// Reads documents (`# newdoc`), words (ranges and empty nodes skipped), heads and the
/// bracketed entity annotation of the MISC column.
fn read_entities(name: &str, text: &str) -> Result<Vec<TreebankDocument>> {
    let mut docs: Vec<TreebankDocument> = Vec::new();
    let new_doc = || TreebankDocument {
        words: Vec::new(),
        space_after: Vec::new(),
        sentence_starts: Vec::new(),
        entities: Vec::new(),
    };
    // Open entities: (id, type, first word).
    let mut open: Vec<(String, String, usize)> = Vec::new();
    let mut heads: Vec<usize> = Vec::new(); // document word index of each word's head (usize::MAX: root)
    let mut upos: Vec<String> = Vec::new();
    let mut closed: Vec<(String, usize, usize)> = Vec::new(); // type, start, end (per document)
    let mut sentence_start = 0usize;
    let mut in_sentence = false;
    let finish =
        |doc: &mut TreebankDocument, closed: &mut Vec<(String, usize, usize)>, heads: &[usize], upos: &[String]| {
            for (kind, start, end) in closed.drain(..) {
                let kind = match kind.as_str() {
                    "person" => EntityType::Person,
                    "organization" => EntityType::Org,
                    "place" => EntityType::Place,
                    _ => continue,
                };
                let head = (start..end)
                    .find(|&w| heads[w] == usize::MAX || !(start..end).contains(&heads[w]))
                    .unwrap_or(start);
                doc.entities.push(GoldEntity { kind, start, end, head, proper: upos[head] == "PROPN" });
            }
        };
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("# newdoc") {
            if let Some(doc) = docs.last_mut() {
                finish(doc, &mut closed, &heads, &upos);
            }
            docs.push(new_doc());
            open.clear();
            heads.clear();
            upos.clear();
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            in_sentence = false;
            continue;
        }
        if docs.is_empty() {
            docs.push(new_doc());
        }
        let doc = docs.last_mut().expect("a document");
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            bail!("{name}:{}: expected 10 tab-separated columns, found {}", n + 1, cols.len());
        }
        if cols[0].contains('-') || cols[0].contains('.') {
            continue;
        }
        let id: usize = cols[0].parse().with_context(|| format!("{name}:{}: bad word id {:?}", n + 1, cols[0]))?;
        if !in_sentence {
            in_sentence = true;
            sentence_start = doc.words.len();
            doc.sentence_starts.push(sentence_start);
        }
        let head: usize = cols[6].parse().with_context(|| format!("{name}:{}: bad head {:?}", n + 1, cols[6]))?;
        let here = sentence_start + id - 1;
        heads.push(if head == 0 { usize::MAX } else { sentence_start + head - 1 });
        upos.push(cols[3].to_string());
        doc.words.push(cols[1].to_string());
        doc.space_after.push(!cols[9].split('|').any(|f| f == "SpaceAfter=No"));
        let Some(entity) = cols[9].split('|').find_map(|f| f.strip_prefix("Entity=")) else { continue };
        let b = entity.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let opening = b[i] == b'(';
            let from = i + usize::from(opening);
            let mut j = from;
            while j < b.len() && b[j] != b'(' && b[j] != b')' {
                j += 1;
            }
            let body = &entity[from..j];
            let closes = j < b.len() && b[j] == b')';
            if opening {
                let mut parts = body.split('-');
                let eid = parts.next().unwrap_or("").to_string();
                let kind = parts.next().unwrap_or("").to_string();
                if closes {
                    closed.push((kind, here, here + 1));
                } else {
                    open.push((eid, kind, here));
                }
            } else if closes {
                if let Some(k) = open.iter().rposition(|(eid, _, _)| eid == body) {
                    let (_, kind, start) = open.remove(k);
                    closed.push((kind, start, here + 1));
                }
            }
            i = j + usize::from(closes);
            if i == j && !closes && !opening {
                i += 1;
            }
        }
    }
    if let Some(doc) = docs.last_mut() {
        finish(doc, &mut closed, &heads, &upos);
    }
    docs.retain(|d| !d.words.is_empty());
    if docs.is_empty() {
        bail!("{name}: no words");
    }
    Ok(docs)
}

/// The document the pipeline would see: the words joined as the treebank spaced them, one
/// sentence per treebank sentence, tokens as given.
fn to_document(name: &str, d: &TreebankDocument) -> Document {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(d.words.len());
    for (k, w) in d.words.iter().enumerate() {
        let start = text.chars().count();
        text.push_str(w);
        spans.push((start, start + w.chars().count()));
        if d.space_after[k] && k + 1 < d.words.len() {
            text.push(' ');
        }
    }
    // Spans are byte offsets in the model; the counts above are chars: convert.
    let byte_at: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let mut doc = Document::new(name, text);
    doc.tokens = spans.iter().map(|&(a, b)| Token::new(Span::new(byte_at[a], byte_at[b]))).collect();
    let mut starts = d.sentence_starts.clone();
    starts.push(d.words.len());
    doc.sentences = starts
        .windows(2)
        .filter(|w| w[1] > w[0])
        .map(|w| DocSentence { span: Span::new(doc.tokens[w[0]].span.start, doc.tokens[w[1] - 1].span.end) })
        .collect();
    doc
}

/// Head-match scoring of names: a predicted mention finds a gold entity of its type when it
/// lies within the entity's words and covers its head (treebank entities are whole noun
/// phrases, "the company's founder Ada Lund"; the name is the proper-noun part). Gold entities
/// whose head is not a proper noun are not names: a prediction that finds one is neither
/// right nor wrong.
fn count_names(
    d: &TreebankDocument,
    predicted: &[(EntityType, usize, usize)],
    counts: &mut Counts,
    mut mistakes: Option<&mut Vec<String>>,
) {
    let label = |k: EntityType| match k {
        EntityType::Person => "PERSON",
        EntityType::Org => "ORG",
        _ => "PLACE",
    };
    let mut used = vec![false; d.entities.len()];
    for &(kind, a, b) in predicted {
        let fits = |g: &GoldEntity| g.kind == kind && g.start <= a && b <= g.end && (a..b).contains(&g.head);
        let proper = (0..d.entities.len()).find(|&g| !used[g] && d.entities[g].proper && fits(&d.entities[g]));
        let c = counts.entry(label(kind).to_string()).or_default();
        match proper {
            Some(g) => {
                used[g] = true;
                c[0] += 1;
                c[1] += 1;
            }
            None if d.entities.iter().any(|g| !g.proper && fits(g)) => {}
            None => {
                c[1] += 1;
                if let Some(m) = mistakes.as_deref_mut() {
                    let gold: Vec<String> = d
                        .entities
                        .iter()
                        .filter(|g| g.start < b && a < g.end)
                        .map(|g| format!("{} {}", d.words[g.start..g.end].join(" "), label(g.kind)))
                        .collect();
                    m.push(format!(
                        "  predicted {} {}; gold: {}",
                        d.words[a..b].join(" "),
                        label(kind),
                        gold.join(", ")
                    ));
                }
            }
        }
    }
    for (g, e) in d.entities.iter().enumerate().filter(|(_, g)| g.proper) {
        counts.entry(label(e.kind).to_string()).or_default()[2] += 1;
        if let (Some(m), false) = (mistakes.as_deref_mut(), used[g]) {
            m.push(format!(
                "  missed {} {} (head {})",
                d.words[e.start..e.end].join(" "),
                label(e.kind),
                d.words[e.head]
            ));
        }
    }
}

pub fn eval_names(a: EvalNames) -> Result<ExitCode> {
    let name = a.data.display().to_string();
    let text = std::fs::read_to_string(&a.data).with_context(|| format!("cannot read {name}"))?;
    let docs = read_entities(&name, &text)?;
    let ner = load_ner(a.model.as_deref())?;
    let recognizer = dateline_nlp::TrainedRecognizer::with_model(ner);
    let tagger = dateline_nlp::PosTagger::default();
    let prepared: Vec<Document> = docs
        .iter()
        .map(|d| {
            let mut doc = to_document(&name, d);
            tagger.annotate(&mut doc);
            doc
        })
        .collect();
    let sets = rule_sets(a.ablate, true);
    let mut results = Vec::new();
    let mut mistakes = Vec::new();
    for (rule, rules) in sets {
        let first = results.is_empty();
        let mut counts = Counts::new();
        for (d, doc) in docs.iter().zip(&prepared) {
            let mentions = recognizer.recognize_with(doc, rules);
            let predicted: Vec<(EntityType, usize, usize)> = mentions
                .iter()
                .filter(|m| matches!(m.kind, EntityType::Person | EntityType::Org | EntityType::Place))
                .map(|m| {
                    let s = doc.tokens.partition_point(|t| t.span.end <= m.span.start);
                    let e = doc.tokens.partition_point(|t| t.span.start < m.span.end);
                    (m.kind, s, e.max(s + 1))
                })
                .collect();
            count_names(d, &predicted, &mut counts, (first && a.errors > 0).then_some(&mut mistakes));
        }
        results.push((rule, counts));
    }
    let gold: usize = docs.iter().map(|d| d.entities.iter().filter(|e| e.proper).count()).sum();
    println!(
        "{name}: person, organisation and place names (gold entities with a proper-noun head: {gold} in {} documents), head-match scoring, the full recognizer",
        docs.len()
    );
    print_counts(&results[0].1);
    if a.ablate {
        print_ablation(&results);
    }
    for m in mistakes.iter().take(a.errors) {
        println!("{m}");
    }
    let f1 = prf(micro(&results[0].1)).2;
    Ok(crate::train::floor(f1, a.min_f1, "F1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_entities_are_read_with_their_heads() {
        let conllu = "# newdoc id = d1\n\
1\tMayor\tmayor\tNOUN\tNN\t_\t3\tcompound\t_\tEntity=(1-person-giv-new\n\
2\tIna\tIna\tPROPN\tNNP\t_\t3\tflat\t_\t_\n\
3\tVoss\tVoss\tPROPN\tNNP\t_\t4\tnsubj\t_\tEntity=1)\n\
4\tvisited\tvisit\tVERB\tVBD\t_\t0\troot\t_\t_\n\
5\tOrlin\tOrlin\tPROPN\tNNP\t_\t4\tobj\t_\tEntity=(2-place-new-sgl)|SpaceAfter=No\n\
6\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";
        let docs = read_entities("t", conllu).unwrap();
        assert_eq!(docs.len(), 1);
        let e: Vec<(EntityType, usize, usize, usize, bool)> =
            docs[0].entities.iter().map(|g| (g.kind, g.start, g.end, g.head, g.proper)).collect();
        assert!(e.contains(&(EntityType::Person, 0, 3, 2, true)), "{e:?}");
        assert!(e.contains(&(EntityType::Place, 4, 5, 4, true)), "{e:?}");
        let doc = to_document("t", &docs[0]);
        assert_eq!(doc.text, "Mayor Ina Voss visited Orlin.");
        let mut counts = Counts::new();
        count_names(&docs[0], &[(EntityType::Person, 1, 3), (EntityType::Org, 4, 5)], &mut counts, None);
        assert_eq!(counts["PERSON"], [1, 1, 1]);
        assert_eq!(counts["ORG"], [0, 1, 0]);
        assert_eq!(counts["PLACE"], [0, 0, 1]);
    }
}
