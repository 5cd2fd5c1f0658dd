//! `dateline eval coref`: within- and cross-document entity and event coreference on ECB+
//! (its train and dev topics; the test topics are held out and not in the data set here).
//!
//! Gold mentions are given, as in most published work. Each document's tokens are joined by
//! spaces (a line per sentence) and annotated by the standard pipeline; a gold mention is
//! matched to our tokens by character offsets, and its head is the token of the mention whose
//! parse head lies outside it. Documents of a topic are first clustered by the words they
//! share (predicted document clusters, never the gold sub-topics); then:
//! - events: mentions of one document cluster with the same head lemma are one event;
//! - entities: a mention whose head lies in a reference of our entities layer takes that
//!   entity's stored identity (linked across the documents by the same code as `ingest`),
//!   others fall back to their head lemma, both within the document cluster.
//!
//! Scored with MUC, B³, CEAF-e (their mean is the CoNLL F1) and LEA, over all mentions of the
//! split as one meta-document (singletons included), overall and per topic.

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use dateline_model::{Document, Entity};
use dateline_pipeline::Pipeline;
use dateline_store::{Encoded, Store};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The dev topics of the split Barhom et al. (2019) and later work use; the rest here is train.
const DEV_TOPICS: &[u32] = &[2, 5, 12, 18, 21, 23, 34, 35];

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Split {
    Train,
    Dev,
}

#[derive(Args)]
pub struct EvalCoref {
    /// The ECB+ folder (holding `ECB+/` and `ECBplus_coreference_sentences.csv`).
    #[arg(long)]
    data: PathBuf,
    #[arg(long, value_enum, default_value = "dev")]
    split: Split,
    /// Cosine similarity (of content-word counts) above which two documents of a topic are one
    /// document cluster. The default was chosen on the train topics.
    #[arg(long, default_value_t = 0.2)]
    doc_threshold: f64,
    /// Fail (exit 1) when the event CoNLL F1 is below this.
    #[arg(long)]
    min_event_f1: Option<f64>,
    /// Print the scores of each topic too.
    #[arg(long)]
    per_topic: bool,
}

/// One gold mention.
struct GoldMention {
    topic: u32,
    doc: usize,
    /// Character range in the document text we built.
    start: usize,
    end: usize,
    event: bool,
    chain: String,
}

struct EcbDoc {
    topic: u32,
    doc: Document,
}

/// The value of `name="…"` in a tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let end = tag[at..].find('"')?;
    Some(&tag[at..at + end])
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// Reads one ECB+ XML file: its text (tokens joined), and its gold mentions in the selected
/// sentences.
fn read_doc(
    path: &Path,
    topic: u32,
    doc_index: usize,
    selected: &HashSet<u32>,
    out: &mut Vec<GoldMention>,
) -> Result<(String, String)> {
    let xml = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
    // Tokens: id → (sentence, character range).
    let mut text = String::new();
    let mut tokens: HashMap<String, (u32, usize, usize)> = HashMap::new();
    let mut sentence = None;
    let mut rest = xml.as_str();
    while let Some(i) = rest.find("<token ") {
        let tag_end = rest[i..].find('>').context("unclosed token tag")? + i;
        let tag = &rest[i..tag_end];
        let close = rest[tag_end..].find("</token>").context("token without </token>")? + tag_end;
        let word = unescape(&rest[tag_end + 1..close]);
        let t_id = attr(tag, "t_id").context("token without t_id")?.to_string();
        let s: u32 = attr(tag, "sentence").context("token without sentence")?.parse()?;
        if sentence.is_some_and(|x| x != s) {
            text.push('\n');
        } else if sentence.is_some() {
            text.push(' ');
        }
        sentence = Some(s);
        let start = text.len();
        text.push_str(&word);
        tokens.insert(t_id, (s, start, text.len()));
        rest = &rest[close..];
    }
    // Markables with anchors are mentions.
    let markables = xml.find("<Markables>").map_or("", |i| &xml[i..]);
    let markables = &markables[..markables.find("</Markables>").unwrap_or(markables.len())];
    let mut mentions: Vec<(String, bool, usize, usize, u32)> = Vec::new();
    let mut rest = markables;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let tag_end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..tag_end];
        if tag.starts_with("</")
            || tag.starts_with("<token_anchor")
            || tag.ends_with('/')
            || tag.starts_with("<Markables")
        {
            rest = &rest[tag_end.min(rest.len() - 1) + 1..];
            continue;
        }
        let kind = tag[1..].split_whitespace().next().unwrap_or("").to_string();
        let Some(m_id) = attr(tag, "m_id") else {
            rest = &rest[tag_end + 1..];
            continue;
        };
        let m_id = m_id.to_string();
        let close = format!("</{kind}>");
        let body_end = rest.find(&close).unwrap_or(tag_end);
        let body = &rest[tag_end..body_end];
        let anchors: Vec<&str> =
            body.match_indices("t_id=\"").filter_map(|(j, _)| attr(&body[j - 1..], "t_id")).collect();
        if let (Some(first), Some(last)) = (anchors.first(), anchors.last()) {
            if let (Some(&(s, start, _)), Some(&(_, _, end))) = (tokens.get(*first), tokens.get(*last)) {
                let event = kind.starts_with("ACTION") || kind.starts_with("NEG");
                mentions.push((m_id, event, start, end.max(start), s));
            }
        }
        rest = &rest[body_end.max(tag_end + 1).min(rest.len())..];
    }
    // Chains: a cross-document instance, or a within-document chain.
    let mut chain_of: HashMap<String, String> = HashMap::new();
    let relations = xml.find("<Relations>").map_or("", |i| &xml[i..]);
    let mut rest = relations;
    while let Some(i) = rest.find("<CROSS_DOC_COREF").into_iter().chain(rest.find("<INTRA_DOC_COREF")).min() {
        rest = &rest[i..];
        let tag_end = rest.find('>').context("unclosed relation")?;
        let tag = &rest[..tag_end];
        let cross = tag.starts_with("<CROSS");
        let end = rest.find(if cross { "</CROSS_DOC_COREF>" } else { "</INTRA_DOC_COREF>" }).unwrap_or(rest.len());
        let body = &rest[tag_end..end];
        let chain = if cross {
            attr(tag, "note").unwrap_or("").to_string()
        } else {
            format!("INTRA_{name}_{}", attr(tag, "r_id").unwrap_or(""))
        };
        for (j, _) in body.match_indices("<source ") {
            if let Some(m) = attr(&body[j..], "m_id") {
                chain_of.insert(m.to_string(), chain.clone());
            }
        }
        rest = &rest[end.max(1)..];
    }
    for (m_id, event, start, end, s) in mentions {
        if !selected.contains(&s) {
            continue;
        }
        let chain = chain_of.get(&m_id).cloned().unwrap_or_else(|| format!("SINGLETON_{name}_{m_id}"));
        out.push(GoldMention { topic, doc: doc_index, start, end, event, chain });
    }
    Ok((name, text))
}

/// Clusters: the list of items, grouped.
type Clusters = Vec<Vec<usize>>;

fn group_by<K: std::hash::Hash + Eq + Ord + Clone>(keys: &[K]) -> Clusters {
    let mut by: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        by.entry(k.clone()).or_default().push(i);
    }
    by.into_values().collect()
}

/// MUC, B³, CEAF-e and LEA: (recall, precision) each, of `response` against `key` (both
/// partitions of the same mentions).
pub fn coref_scores(key: &Clusters, response: &Clusters, n: usize) -> [(f64, f64); 4] {
    let mut key_of = vec![usize::MAX; n];
    let mut resp_of = vec![usize::MAX; n];
    for (c, k) in key.iter().enumerate() {
        for &m in k {
            key_of[m] = c;
        }
    }
    for (c, r) in response.iter().enumerate() {
        for &m in r {
            resp_of[m] = c;
        }
    }
    // MUC: links kept, by partitions.
    let muc = |a: &Clusters, other_of: &[usize]| {
        let (mut num, mut den) = (0.0, 0.0);
        for k in a {
            let parts: HashSet<usize> = k.iter().map(|&m| other_of[m]).collect();
            num += (k.len() - parts.len()) as f64;
            den += (k.len() - 1) as f64;
        }
        if den == 0.0 {
            0.0
        } else {
            num / den
        }
    };
    // B³: per mention, the share of its cluster in `a` that its cluster in the other holds
    // (recall when `a` is the key, precision when it is the response).
    let b3 = |a: &Clusters, other_of: &[usize]| {
        let mut sum = 0.0;
        for k in a {
            let mut counts: HashMap<usize, usize> = HashMap::new();
            for &m in k {
                *counts.entry(other_of[m]).or_default() += 1;
            }
            for &m in k {
                sum += counts[&other_of[m]] as f64 / k.len() as f64;
            }
        }
        sum / n.max(1) as f64
    };
    // CEAF-e: the best one-to-one alignment of clusters by φ4.
    let phi = |k: &Vec<usize>, r: usize| {
        let common = k.iter().filter(|&&m| resp_of[m] == r).count();
        2.0 * common as f64 / (k.len() + response[r].len()) as f64
    };
    let mut pairs: HashMap<(usize, usize), f64> = HashMap::new();
    for (c, k) in key.iter().enumerate() {
        let rs: HashSet<usize> = k.iter().map(|&m| resp_of[m]).collect();
        for r in rs {
            pairs.insert((c, r), phi(k, r));
        }
    }
    let aligned = max_weight_matching(key.len(), response.len(), &pairs);
    let ceaf = (aligned / key.len().max(1) as f64, aligned / response.len().max(1) as f64);
    // LEA: each cluster weighted by its size, resolved by the links it keeps.
    let links = |s: usize| if s == 1 { 1.0 } else { (s * (s - 1) / 2) as f64 };
    let lea = |a: &Clusters, b: &Clusters, b_of: &[usize]| {
        let (mut num, mut den) = (0.0, 0.0);
        for k in a {
            let mut counts: HashMap<usize, usize> = HashMap::new();
            for &m in k {
                *counts.entry(b_of[m]).or_default() += 1;
            }
            let resolved: f64 = if k.len() == 1 {
                f64::from(u8::from(b[b_of[k[0]]].len() == 1))
            } else {
                counts.values().map(|&c| (c * c.saturating_sub(1) / 2) as f64).sum::<f64>() / links(k.len())
            };
            num += k.len() as f64 * resolved;
            den += k.len() as f64;
        }
        num / den.max(1.0)
    };
    [
        (muc(key, &resp_of), muc(response, &key_of)),
        (b3(key, &resp_of), b3(response, &key_of)),
        ceaf,
        (lea(key, response, &resp_of), lea(response, key, &key_of)),
    ]
}

/// The largest total weight of a one-to-one matching in a sparse bipartite graph: each
/// connected component solved by the Hungarian method (components are small: a key cluster
/// meets only the response clusters its mentions fall in).
fn max_weight_matching(left: usize, right: usize, w: &HashMap<(usize, usize), f64>) -> f64 {
    // Components by union-find over left ∪ right.
    let mut parent: Vec<usize> = (0..left + right).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut x = x;
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for &(a, b) in w.keys() {
        let (x, y) = (find(&mut parent, a), find(&mut parent, left + b));
        parent[x] = y;
    }
    let mut comps: HashMap<usize, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for &(a, b) in w.keys() {
        let c = find(&mut parent, a);
        let e = comps.entry(c).or_default();
        if !e.0.contains(&a) {
            e.0.push(a);
        }
        if !e.1.contains(&b) {
            e.1.push(b);
        }
    }
    let mut total = 0.0;
    for (ls, rs) in comps.values() {
        let n = ls.len().max(rs.len());
        // Hungarian method on costs (max weight = min of 1 - weight), padded square.
        let mut cost = vec![vec![1.0f64; n]; n];
        for (i, a) in ls.iter().enumerate() {
            for (j, b) in rs.iter().enumerate() {
                if let Some(x) = w.get(&(*a, *b)) {
                    cost[i][j] = 1.0 - x;
                }
            }
        }
        let assignment = hungarian(&cost);
        for (i, &j) in assignment.iter().enumerate() {
            if i < ls.len() && j < rs.len() {
                total += w.get(&(ls[i], rs[j])).copied().unwrap_or(0.0);
            }
        }
    }
    total
}

/// The assignment of rows to columns of least total cost (square matrix; O(n³)).
fn hungarian(cost: &[Vec<f64>]) -> Vec<usize> {
    let n = cost.len();
    let (mut u, mut v) = (vec![0.0; n + 1], vec![0.0; n + 1]);
    let (mut p, mut way) = (vec![0usize; n + 1], vec![0usize; n + 1]);
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![f64::INFINITY; n + 1];
        let mut used = vec![false; n + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = f64::INFINITY;
            let mut j1 = 0;
            for j in 1..=n {
                if !used[j] {
                    let cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=n {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut out = vec![0; n];
    for j in 1..=n {
        if p[j] > 0 {
            out[p[j] - 1] = j - 1;
        }
    }
    out
}

fn f1((r, p): (f64, f64)) -> f64 {
    if r + p == 0.0 {
        0.0
    } else {
        2.0 * r * p / (r + p)
    }
}

/// Content-word lemma counts of a document (nouns, proper nouns, verbs, adjectives).
fn bag(doc: &Document) -> HashMap<String, f64> {
    let mut out = HashMap::new();
    for t in &doc.tokens {
        let pos = t.pos.as_deref().unwrap_or("");
        if pos.starts_with("NN") || pos.starts_with("VB") || pos.starts_with("JJ") {
            let l = t.lemma.clone().unwrap_or_else(|| doc.slice(t.span).to_string()).to_lowercase();
            if !matches!(l.as_str(), "be" | "have" | "do" | "say") {
                *out.entry(l).or_insert(0.0) += 1.0;
            }
        }
    }
    out
}

/// Documents of each topic clustered: single-link over tf-idf cosine above `threshold`.
fn document_clusters(docs: &[EcbDoc], threshold: f64) -> Vec<usize> {
    let bags: Vec<HashMap<String, f64>> = docs.iter().map(|d| bag(&d.doc)).collect();
    let mut df: HashMap<&str, f64> = HashMap::new();
    for b in &bags {
        for k in b.keys() {
            *df.entry(k.as_str()).or_insert(0.0) += 1.0;
        }
    }
    let n = docs.len() as f64;
    let vecs: Vec<HashMap<&str, f64>> = bags
        .iter()
        .map(|b| {
            let mut v: HashMap<&str, f64> =
                b.iter().map(|(k, c)| (k.as_str(), c * (n / df[k.as_str()]).ln())).collect();
            let norm = v.values().map(|x| x * x).sum::<f64>().sqrt().max(1e-9);
            v.values_mut().for_each(|x| *x /= norm);
            v
        })
        .collect();
    let mut cluster: Vec<usize> = (0..docs.len()).collect();
    for i in 0..docs.len() {
        for j in 0..i {
            if docs[i].topic != docs[j].topic {
                continue;
            }
            let (a, b) = (&vecs[i], &vecs[j]);
            let cos: f64 = a.iter().filter_map(|(k, x)| b.get(k).map(|y| x * y)).sum();
            if cos > threshold {
                let (from, to) = (cluster[i], cluster[j]);
                for c in cluster.iter_mut() {
                    if *c == from {
                        *c = to;
                    }
                }
            }
        }
    }
    cluster
}

/// The token of a span whose parse head is outside it (the span's head), else its last.
fn head_token(doc: &Document, start: usize, end: usize) -> Option<usize> {
    let lo = doc.tokens.partition_point(|t| t.span.end <= start);
    let hi = doc.tokens.partition_point(|t| t.span.start < end);
    if lo >= hi {
        return None;
    }
    (lo..hi).find(|&t| doc.tokens[t].head.is_none_or(|h| h < lo || h >= hi)).or(Some(hi - 1))
}

fn lemma(doc: &Document, t: usize) -> String {
    doc.tokens[t].lemma.clone().unwrap_or_else(|| doc.slice(doc.tokens[t].span).to_string()).to_lowercase()
}

pub fn eval(a: EvalCoref) -> Result<ExitCode> {
    let csv = a.data.join("ECBplus_coreference_sentences.csv");
    let csv = std::fs::read_to_string(&csv).with_context(|| format!("reading {}", csv.display()))?;
    let mut selected: HashMap<String, HashSet<u32>> = HashMap::new();
    for (n, line) in csv.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() != 3 {
            bail!("ECBplus_coreference_sentences.csv:{}: expected Topic,File,Sentence", n + 1);
        }
        let s: u32 = f[2].parse().with_context(|| format!("ECBplus_coreference_sentences.csv:{}", n + 1))?;
        selected.entry(format!("{}_{}", f[0], f[1])).or_default().insert(s);
    }
    let root = a.data.join("ECB+");
    let mut topics: Vec<u32> = std::fs::read_dir(&root)
        .with_context(|| format!("reading {}", root.display()))?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .filter(|t| DEV_TOPICS.contains(t) == (a.split == Split::Dev))
        .collect();
    topics.sort_unstable();
    let pipeline = Pipeline::standard();
    let mut docs: Vec<EcbDoc> = Vec::new();
    let mut gold: Vec<GoldMention> = Vec::new();
    let empty = HashSet::new();
    for &topic in &topics {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(topic.to_string()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        files.sort();
        for path in files {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
            let sel = selected.get(&stem).unwrap_or(&empty);
            let (_, text) = read_doc(&path, topic, docs.len(), sel, &mut gold)?;
            let mut doc = Document::new(path.display().to_string(), text);
            pipeline.annotate(&mut doc);
            docs.push(EcbDoc { topic, doc });
        }
    }
    eprintln!("{} documents, {} topics, {} gold mentions", docs.len(), topics.len(), gold.len());
    let clusters = document_clusters(&docs, a.doc_threshold);
    // Entities across documents, linked as ingest links them.
    let mut store = Store::in_memory()?;
    let encoded: Vec<Encoded> = docs.iter().map(|d| Encoded::new(d.doc.clone())).collect();
    for chunk in encoded.chunks(64) {
        store.insert_batch(chunk, false)?;
    }
    let mut scores_out = Vec::new();
    for event in [true, false] {
        let mentions: Vec<&GoldMention> = gold.iter().filter(|m| m.event == event).collect();
        let key = group_by(&mentions.iter().map(|m| m.chain.clone()).collect::<Vec<_>>());
        let keys: Vec<String> = mentions
            .iter()
            .map(|m| {
                let d = &docs[m.doc].doc;
                let c = clusters[m.doc];
                let head = head_token(d, m.start, m.end);
                if !event {
                    if let Some(h) = head {
                        let s = d.tokens[h].span;
                        if let Some(e) = Entity::at(&d.entities, s) {
                            if let Ok(Some(id)) = store.identity_of(&d.id, e) {
                                return format!("{c}:id:{id}");
                            }
                        }
                    }
                }
                match head {
                    Some(h) => format!("{c}:lemma:{}", lemma(d, h)),
                    None => format!("{c}:text:{}", d.text[m.start..m.end].to_lowercase()),
                }
            })
            .collect();
        let response = group_by(&keys);
        let s = coref_scores(&key, &response, mentions.len());
        let conll = (f1(s[0]) + f1(s[1]) + f1(s[2])) / 3.0;
        println!(
            "{} ({} mentions, {} gold clusters, {} predicted): MUC F1 {:.1}  B3 F1 {:.1}  CEAF-e F1 {:.1}  LEA F1 {:.1}  CoNLL F1 {:.1}",
            if event { "events  " } else { "entities" },
            mentions.len(),
            key.len(),
            response.len(),
            100.0 * f1(s[0]),
            100.0 * f1(s[1]),
            100.0 * f1(s[2]),
            100.0 * f1(s[3]),
            100.0 * conll
        );
        if a.per_topic {
            for &t in &topics {
                let idx: Vec<usize> = (0..mentions.len()).filter(|&i| mentions[i].topic == t).collect();
                let local = |part: &Clusters| -> Clusters {
                    part.iter()
                        .map(|c| c.iter().filter_map(|m| idx.iter().position(|x| x == m)).collect::<Vec<_>>())
                        .filter(|c: &Vec<usize>| !c.is_empty())
                        .collect()
                };
                let s = coref_scores(&local(&key), &local(&response), idx.len());
                println!(
                    "  topic {t:>2}: {} mentions, CoNLL F1 {:.1}",
                    idx.len(),
                    100.0 * (f1(s[0]) + f1(s[1]) + f1(s[2])) / 3.0
                );
            }
        }
        scores_out.push(conll);
    }
    if let Some(min) = a.min_event_f1 {
        if 100.0 * scores_out[0] < min {
            eprintln!("event CoNLL F1 {:.1} is below the floor {min}", 100.0 * scores_out[0]);
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_of_a_perfect_and_a_lumped_response() {
        let key: Clusters = vec![vec![0, 1, 2], vec![3, 4], vec![5]];
        let perfect = coref_scores(&key, &key, 6);
        for (r, p) in perfect {
            assert!((r - 1.0).abs() < 1e-9 && (p - 1.0).abs() < 1e-9, "{perfect:?}");
        }
        // Everything in one cluster: MUC recall 1, precision 3/5.
        let lumped = coref_scores(&key, &vec![vec![0, 1, 2, 3, 4, 5]], 6);
        assert!((lumped[0].0 - 1.0).abs() < 1e-9 && (lumped[0].1 - 0.6).abs() < 1e-9, "{lumped:?}");
        // B³ precision: (3·3/6 + 2·2/6 + 1·1/6) / 6.
        assert!((lumped[1].1 - (9.0 + 4.0 + 1.0) / 36.0).abs() < 1e-9);
        // CEAF-e: the lump aligns with the three-mention cluster, φ4 = 6/9.
        assert!((lumped[2].0 - (6.0 / 9.0) / 3.0).abs() < 1e-9, "{lumped:?}");
    }

    #[test]
    fn ecb_xml_is_read_with_its_chains() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("99_1ecb.xml");
        std::fs::write(
            &path,
            r#"<Document doc_name="99_1ecb.xml" doc_id="D">
<token t_id="1" sentence="0" number="0">Guards</token>
<token t_id="2" sentence="0" number="1">arrested</token>
<token t_id="3" sentence="0" number="2">Osk</token>
<token t_id="4" sentence="1" number="0">The</token>
<token t_id="5" sentence="1" number="1">arrest</token>
<Markables>
<HUMAN_PART_ORG m_id="1"  >
  <token_anchor t_id="1"/>
</HUMAN_PART_ORG>
<ACTION_OCCURRENCE m_id="2"  >
  <token_anchor t_id="2"/>
</ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="3"  >
  <token_anchor t_id="4"/>
  <token_anchor t_id="5"/>
</ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="9" RELATED_TO="" TAG_DESCRIPTOR="t99_arrest" instance_id="ACT1" />
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="5" note="ACT1" >
  <source m_id="2" />
  <source m_id="3" />
  <target m_id="9" />
</CROSS_DOC_COREF>
</Relations>
</Document>"#,
        )
        .unwrap();
        let mut gold = Vec::new();
        let (name, text) = read_doc(&path, 99, 0, &[0, 1].into_iter().collect(), &mut gold).unwrap();
        assert_eq!((name.as_str(), text.as_str()), ("99_1ecb", "Guards arrested Osk\nThe arrest"));
        assert_eq!(gold.len(), 3);
        let events: Vec<(&str, &str)> =
            gold.iter().filter(|m| m.event).map(|m| (&text[m.start..m.end], m.chain.as_str())).collect();
        assert_eq!(events, [("arrested", "ACT1"), ("The arrest", "ACT1")]);
        assert!(gold.iter().any(|m| !m.event && m.chain.starts_with("SINGLETON")));
    }
}

#[derive(Args)]
pub struct EvalIdentities {
    /// A JSON-lines set in the form of `crates/resolve/data/identities.jsonl` (the default,
    /// built in): `id`, `published`, `text`, `refs` [[name as written, identity label]].
    #[arg(long)]
    data: Option<PathBuf>,
    /// Fail (exit 1) when fewer than this percentage of same-person pairs are linked.
    #[arg(long)]
    min_recall: Option<f64>,
    /// Fail (exit 1) when more than this many pairs of different people are merged.
    #[arg(long)]
    max_false_merges: Option<usize>,
    /// Fail (exit 1) when fewer than this percentage of the pairs of reports of one event
    /// (the set's `events` [[trigger as written, event label]]) are grouped as one.
    #[arg(long)]
    min_event_recall: Option<f64>,
    /// Fail (exit 1) when more than this many pairs of reports of different events are
    /// grouped as one.
    #[arg(long)]
    max_event_merges: Option<usize>,
}

/// A labelled item of the identity set: (article, text as written, label, what the store
/// made of it: an identity or a report group).
type Labelled = (String, String, String, Option<i64>);

/// Every pair of items from different articles, with whether the store made them one.
fn pairs_across(items: &[Labelled]) -> Vec<(&Labelled, &Labelled, bool)> {
    let mut out = Vec::new();
    for i in 0..items.len() {
        for j in 0..i {
            let (x, y) = (&items[i], &items[j]);
            if x.0 != y.0 {
                out.push((x, y, x.3.is_some() && x.3 == y.3));
            }
        }
    }
    out
}

/// Pairs across articles, counted: pairs of one label and how many of them the store joined,
/// pairs of different labels it joined anyway, and a line for each mistake.
#[derive(Default)]
struct PairTally {
    same: usize,
    joined: usize,
    wrongly_joined: usize,
    mistakes: Vec<String>,
}

impl PairTally {
    /// Counts one pair; `words` names the two mistakes ("not linked", "MERGED").
    fn add(&mut self, x: &Labelled, y: &Labelled, joined: bool, words: (&str, &str)) {
        if x.2 == y.2 {
            self.same += 1;
            self.joined += usize::from(joined);
            if !joined {
                self.mistakes.push(format!("  {}: {} {:?} / {} {:?}", words.0, x.0, x.1, y.0, y.1));
            }
        } else if joined {
            self.wrongly_joined += 1;
            self.mistakes.push(format!("  {}: {} {:?} ({}) / {} {:?} ({})", words.1, x.0, x.1, x.2, y.0, y.1, y.2));
        }
    }
}

/// `dateline eval identities`: the articles are annotated and ingested into a store in memory
/// in file order, as `ingest` would; then every pair of listed references across documents
/// is checked: the same label should be one stored identity, different labels never.
pub fn eval_identities(a: EvalIdentities) -> Result<ExitCode> {
    let text = match &a.data {
        Some(p) => std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?,
        None => dateline_resolve::IDENTITY_SET.to_string(),
    };
    let name = a.data.as_ref().map_or("built-in identity set".to_string(), |p| p.display().to_string());
    let pipeline = Pipeline::standard();
    let mut store = Store::in_memory()?;
    // (article, name, label, identity)
    let mut refs: Vec<Labelled> = Vec::new();
    // (article, trigger, event label, report group)
    let mut reports: Vec<Labelled> = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).with_context(|| format!("{name}:{}", n + 1))?;
        let id = v["id"].as_str().unwrap_or("?").to_string();
        let body = v["text"].as_str().with_context(|| format!("{name}:{}: no text", n + 1))?;
        let mut doc = Document::new(id.clone(), body);
        if let Some(p) = v["published"].as_str() {
            doc.published = Some(p.parse().map_err(|e| anyhow::anyhow!("{name}:{}: published: {e}", n + 1))?);
            doc.published_origin = Some(dateline_model::PublishedOrigin::User);
        }
        pipeline.annotate(&mut doc);
        store.insert_batch(&[Encoded::new(doc.clone())], false)?;
        for r in v["refs"].as_array().into_iter().flatten() {
            let (Some(surface), Some(label)) = (r[0].as_str(), r[1].as_str()) else {
                bail!("{name}:{}: a ref is [name, label]", n + 1)
            };
            let Some(at) = doc.text.find(surface) else { bail!("{name}:{}: {surface:?} is not in the text", n + 1) };
            let span = dateline_model::Span::new(at, at + surface.len());
            // The entity of a reference at or inside the name, else of a name reference that
            // holds it ("Maurer" inside "Petra Maurer"); never of a title that holds it.
            let entity = Entity::at(&doc.entities, span).or_else(|| {
                doc.entities.iter().position(|e| {
                    e.references.iter().any(|r| {
                        matches!(r.how, dateline_model::RefKind::Name | dateline_model::RefKind::Short)
                            && r.span.start <= span.start
                            && span.end <= r.span.end
                    })
                })
            });
            let identity = match entity {
                Some(e) => store.identity_of(&doc.id, e)?,
                None => None,
            };
            refs.push((id.clone(), surface.to_string(), label.to_string(), identity));
        }
        for r in v["events"].as_array().into_iter().flatten() {
            let (Some(trigger), Some(label)) = (r[0].as_str(), r[1].as_str()) else {
                bail!("{name}:{}: an event is [trigger, label]", n + 1)
            };
            let k = doc.events.iter().position(|e| doc.slice(e.trigger) == trigger);
            let group = match k {
                Some(k) => store.event_group(&doc.id, k)?,
                None => None,
            };
            reports.push((id.clone(), trigger.to_string(), label.to_string(), group));
        }
    }
    // People and organisations apart (a pair goes by its first reference's label).
    let (mut people, mut orgs) = (PairTally::default(), PairTally::default());
    for (x, y, one) in pairs_across(&refs) {
        let tally = if x.2.starts_with("org:") { &mut orgs } else { &mut people };
        tally.add(x, y, one, ("not linked", "MERGED"));
    }
    let (same, linked) = (people.same, people.joined);
    let false_merges = people.wrongly_joined + orgs.wrongly_joined;
    let pct = |a: usize, b: usize| if b == 0 { 100.0 } else { 100.0 * a as f64 / b as f64 };
    println!("{name}: {} references", refs.len());
    println!("  same-person pairs linked: {linked} of {same} ({:.1} %)", pct(linked, same));
    println!(
        "  same-organisation pairs linked: {} of {} ({:.1} %)",
        orgs.joined,
        orgs.same,
        pct(orgs.joined, orgs.same)
    );
    println!("  pairs of different identities merged: {false_merges}");
    for m in people.mistakes.iter().chain(&orgs.mistakes) {
        println!("{m}");
    }
    // Reports of one event in different articles should share a group; reports of
    // different events (the same people on another day) never.
    let mut events = PairTally::default();
    for (x, y, one) in pairs_across(&reports) {
        events.add(x, y, one, ("not grouped", "GROUPED"));
    }
    let (same_event, grouped, event_merges) = (events.same, events.joined, events.wrongly_joined);
    let uncoded = reports.iter().filter(|r| r.3.is_none()).count();
    println!("  event reports: {} listed, {uncoded} not coded", reports.len());
    println!("  same-event pairs grouped: {grouped} of {same_event} ({:.1} %)", pct(grouped, same_event));
    println!("  pairs of different events grouped: {event_merges}");
    for m in &events.mistakes {
        println!("{m}");
    }
    let mut ok = true;
    if a.min_event_recall.is_some_and(|min| pct(grouped, same_event) < min) {
        eprintln!("same-event recall {:.1} % is below the floor", pct(grouped, same_event));
        ok = false;
    }
    if a.max_event_merges.is_some_and(|max| event_merges > max) {
        eprintln!("{event_merges} reports of different events grouped, more than allowed");
        ok = false;
    }
    if a.min_recall.is_some_and(|min| pct(linked, same) < min) {
        eprintln!("same-person recall {:.1} % is below the floor", pct(linked, same));
        ok = false;
    }
    if a.max_false_merges.is_some_and(|max| false_merges > max) {
        eprintln!("{false_merges} false merges, more than allowed");
        ok = false;
    }
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
