//! Word clusters learnt from unlabeled text: words that occur between the same neighbours fall
//! in the same cluster ("Leeds" with "Everton", "minister" with "secretary", "Tuesday" with
//! "Friday"), so a name the labelled data never showed still gets the features of names like it.
//!
//! The method is distributional: each word is a vector of its neighbours up to `window` words
//! away on either side (the most frequent words, plus the boundary and a coarse written class
//! for the rest), weighted by positive pointwise mutual information, and the words are grouped
//! by spherical k-means at several granularities (coarse to fine). Learnt by our own code
//! (`dateline train clusters`); the built-in table comes from the news text named in
//! `tools/build-clusters.py`.
//!
//! Deterministic: the same texts and settings give the same table.

use crate::perceptron::Rng;
use crate::tagger::normalize;
use crate::{segment, tokenize};
use std::collections::HashMap;

/// Cluster ids of words, one id per granularity.
pub struct Clusters {
    pub sizes: Vec<usize>,
    ids: HashMap<String, Vec<u16>>,
}

/// What [`Clusters::learn`] tells as it goes: a summary of what it read, and each k-means pass.
pub enum Report<'a> {
    Read(&'a str),
    Pass(&'a str),
}

/// How to learn clusters.
pub struct ClusterSettings {
    /// Number of clusters at each granularity (each at most 65,535).
    pub sizes: Vec<usize>,
    /// Cluster only words seen at least this often.
    pub min_count: u32,
    /// How many of the most frequent words serve as context.
    pub context_words: usize,
    /// How many neighbours on each side make up a word's contexts.
    pub window: usize,
    /// Most k-means passes per granularity.
    pub iterations: usize,
    pub seed: u64,
}

/// Context slots besides the frequent words: sentence boundary, and rare neighbours by how they
/// are written (capitalised, lowercase, digits, other).
const EXTRA_SLOTS: usize = 5;

impl Clusters {
    /// The cluster ids of a word (as written; it is normalized here), coarse to fine.
    pub fn of(&self, word: &str) -> Option<&[u16]> {
        self.ids.get(&normalize(word)).map(Vec::as_slice)
    }

    /// The cluster ids of a word already normalized as the tagger normalizes words.
    pub fn of_normalized(&self, key: &str) -> Option<&[u16]> {
        self.ids.get(key).map(Vec::as_slice)
    }

    /// Number of words with clusters.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Learns clusters from plain texts. `report` hears what was read, then each k-means pass.
    pub fn learn(texts: &[String], settings: &ClusterSettings, report: &mut dyn FnMut(Report)) -> Clusters {
        // Sentences as word ids, with each token's coarse written class for rare contexts.
        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut words: Vec<String> = Vec::new();
        let mut counts: Vec<u32> = Vec::new();
        let mut sentences: Vec<Vec<(u32, u8)>> = Vec::new();
        for text in texts {
            let tokens = tokenize(text);
            let mut next = 0;
            for s in segment(text, &tokens) {
                let mut sentence = Vec::new();
                // Sentences come in order and hold their tokens: one walk over the tokens.
                while next < tokens.len() && tokens[next].start < s.start {
                    next += 1;
                }
                let from = next;
                while next < tokens.len() && tokens[next].end <= s.end {
                    next += 1;
                }
                for t in &tokens[from..next] {
                    let raw = &text[t.start..t.end];
                    let key = normalize(raw);
                    let id = *vocab.entry(key.clone()).or_insert_with(|| {
                        words.push(key);
                        counts.push(0);
                        (words.len() - 1) as u32
                    });
                    counts[id as usize] += 1;
                    let first = raw.chars().next().unwrap_or(' ');
                    let class = if first.is_uppercase() {
                        1
                    } else if first.is_lowercase() {
                        2
                    } else if first.is_ascii_digit() {
                        3
                    } else {
                        4
                    };
                    sentence.push((id, class));
                }
                sentences.push(sentence);
            }
        }
        let mut by_count: Vec<u32> = (0..words.len() as u32).collect();
        by_count.sort_by(|&a, &b| {
            counts[b as usize].cmp(&counts[a as usize]).then(words[a as usize].cmp(&words[b as usize]))
        });
        let mut context_slot: Vec<u32> = vec![u32::MAX; words.len()];
        for (slot, &w) in by_count.iter().take(settings.context_words).enumerate() {
            context_slot[w as usize] = slot as u32;
        }
        let side = (settings.context_words.min(words.len()) + EXTRA_SLOTS) as u32;
        let window = settings.window.max(1);
        let dims = 2 * window * side as usize;
        let clustered: Vec<u32> =
            by_count.iter().copied().filter(|&w| counts[w as usize] >= settings.min_count).collect();
        let mut row_of: Vec<u32> = vec![u32::MAX; words.len()];
        for (r, &w) in clustered.iter().enumerate() {
            row_of[w as usize] = r as u32;
        }
        report(Report::Read(&format!(
            "{} sentences, {} distinct words, {} seen at least {} times",
            sentences.len(),
            words.len(),
            clustered.len(),
            settings.min_count
        )));

        // Co-occurrence counts: (row, context dimension).
        let slot = |(id, class): (u32, u8)| -> u32 {
            let s = context_slot[id as usize];
            if s == u32::MAX {
                side - EXTRA_SLOTS as u32 + class as u32
            } else {
                s
            }
        };
        let boundary = side - EXTRA_SLOTS as u32;
        let mut cooc: Vec<HashMap<u32, f32>> = vec![HashMap::new(); clustered.len()];
        for sentence in &sentences {
            for (i, &(id, _)) in sentence.iter().enumerate() {
                let r = row_of[id as usize];
                if r == u32::MAX {
                    continue;
                }
                // Dimensions: left neighbours nearest first, then right neighbours, `side` each.
                for k in 1..=window {
                    let left = if i < k { boundary } else { slot(sentence[i - k]) };
                    let right = sentence.get(i + k).map_or(boundary, |&t| slot(t));
                    for (d, block) in [(left, k - 1), (right, window + k - 1)] {
                        *cooc[r as usize].entry(d + block as u32 * side).or_default() += 1.0;
                    }
                }
            }
        }
        let vectors = ppmi_rows(&cooc, dims);
        drop(cooc);

        let mut ids: Vec<Vec<u16>> = vec![Vec::with_capacity(settings.sizes.len()); clustered.len()];
        for (g, &k) in settings.sizes.iter().enumerate() {
            let k = k.min(clustered.len()).clamp(1, u16::MAX as usize);
            let assignment = spherical_kmeans(&vectors, dims, k, settings.iterations, settings.seed + g as u64, report);
            for (row, c) in assignment.into_iter().enumerate() {
                ids[row].push(c as u16);
            }
        }
        let ids = clustered.iter().zip(ids).map(|(&w, c)| (words[w as usize].clone(), c)).collect();
        Clusters { sizes: settings.sizes.clone(), ids }
    }

    /// The table as text: a `#sizes` line, then `word id id …` tab-separated, sorted by word.
    pub fn to_tsv(&self) -> String {
        let mut out = String::from("#sizes");
        for s in &self.sizes {
            out.push_str(&format!("\t{s}"));
        }
        out.push('\n');
        let mut rows: Vec<(&String, &Vec<u16>)> = self.ids.iter().collect();
        rows.sort();
        for (w, c) in rows {
            out.push_str(w);
            for id in c {
                out.push_str(&format!("\t{id}"));
            }
            out.push('\n');
        }
        out
    }

    pub fn from_tsv(tsv: &str) -> Result<Clusters, String> {
        let mut lines = tsv.lines();
        let header = lines.next().ok_or("empty cluster table")?;
        let sizes: Vec<usize> = header
            .strip_prefix("#sizes\t")
            .ok_or("cluster table: the first line must be #sizes")?
            .split('\t')
            .map(|s| s.parse().map_err(|_| format!("cluster table: bad size {s:?}")))
            .collect::<Result<_, _>>()?;
        let mut ids = HashMap::new();
        for (n, line) in lines.enumerate() {
            let mut cols = line.split('\t');
            let word = cols.next().unwrap_or_default();
            let c: Vec<u16> = cols
                .map(|s| s.parse().map_err(|_| format!("cluster table line {}: bad id", n + 2)))
                .collect::<Result<_, _>>()?;
            if c.len() != sizes.len() {
                return Err(format!("cluster table line {}: {} ids, expected {}", n + 2, c.len(), sizes.len()));
            }
            ids.insert(word.to_string(), c);
        }
        Ok(Clusters { sizes, ids })
    }
}

/// Rows of positive pointwise mutual information (context counts smoothed to the power 0.75,
/// which keeps rare contexts from looking informative), each scaled to unit length.
fn ppmi_rows(cooc: &[HashMap<u32, f32>], dims: usize) -> Vec<Vec<(u32, f32)>> {
    let mut context_total = vec![0f64; dims];
    let mut total = 0f64;
    for row in cooc {
        for (&d, &c) in row {
            context_total[d as usize] += c as f64;
            total += c as f64;
        }
    }
    let smoothed: Vec<f64> = context_total.iter().map(|c| c.powf(0.75)).collect();
    let smoothed_total: f64 = smoothed.iter().sum();
    cooc.iter()
        .map(|row| {
            let row_total: f64 = row.values().map(|&c| c as f64).sum();
            let mut v: Vec<(u32, f32)> = row
                .iter()
                .filter_map(|(&d, &c)| {
                    let pmi =
                        ((c as f64 / total) / ((row_total / total) * (smoothed[d as usize] / smoothed_total))).ln();
                    (pmi > 0.0).then_some((d, pmi as f32))
                })
                .collect();
            v.sort_by_key(|&(d, _)| d);
            let norm = v.iter().map(|&(_, x)| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, x)| *x /= norm);
            }
            v
        })
        .collect()
}

/// Groups unit vectors into `k` clusters by cosine similarity; returns each row's cluster.
/// Seeds are rows drawn from the more frequent half (rows come sorted by frequency), so that
/// no cluster starts from a word seen only a few times, spread out as k-means++ spreads them.
fn spherical_kmeans(
    rows: &[Vec<(u32, f32)>],
    dims: usize,
    k: usize,
    iterations: usize,
    seed: u64,
    report: &mut dyn FnMut(Report),
) -> Vec<usize> {
    let mut rng = Rng::new(seed);
    let pool: Vec<usize> = (0..rows.len().div_ceil(2).max(k.min(rows.len()))).collect();
    // Centroids stored dimension-major, so that scoring a row against all of them is a few
    // contiguous multiply-adds per non-zero.
    let mut centroids = vec![0f32; dims * k];
    for (c, r) in kmeans_plus_plus(rows, &pool, dims, k, &mut rng).into_iter().enumerate() {
        for &(d, x) in &rows[r] {
            centroids[d as usize * k + c] = x;
        }
    }
    let mut assignment = vec![usize::MAX; rows.len()];
    for pass in 0..iterations {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        let chunk = rows.len().div_ceil(threads).max(1);
        let fresh: Vec<usize> = std::thread::scope(|s| {
            let handles: Vec<_> = rows
                .chunks(chunk)
                .map(|part| {
                    let centroids = &centroids;
                    s.spawn(move || {
                        let mut scores = vec![0f32; k];
                        part.iter()
                            .map(|row| {
                                scores.iter_mut().for_each(|x| *x = 0.0);
                                for &(d, x) in row {
                                    let col = &centroids[d as usize * k..(d as usize + 1) * k];
                                    for (s, c) in scores.iter_mut().zip(col) {
                                        *s += x * c;
                                    }
                                }
                                let mut best = 0;
                                for c in 1..k {
                                    if scores[c] > scores[best] {
                                        best = c;
                                    }
                                }
                                best
                            })
                            .collect::<Vec<usize>>()
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().expect("k-means worker")).collect()
        });
        let moved = fresh.iter().zip(&assignment).filter(|(a, b)| a != b).count();
        assignment = fresh;
        report(Report::Pass(&format!("{k} clusters, pass {}: {moved} words moved", pass + 1)));
        // New centroids: the normalized sum of their rows; an empty cluster takes a fresh seed.
        centroids.iter_mut().for_each(|x| *x = 0.0);
        let mut members = vec![0usize; k];
        for (r, &c) in assignment.iter().enumerate() {
            members[c] += 1;
            for &(d, x) in &rows[r] {
                centroids[d as usize * k + c] += x;
            }
        }
        for (c, &m) in members.iter().enumerate() {
            if m == 0 {
                let r = pool[rng.below(pool.len())];
                for &(d, x) in &rows[r] {
                    centroids[d as usize * k + c] = x;
                }
            }
        }
        let mut norms = vec![0f32; k];
        for d in 0..dims {
            for (n, x) in norms.iter_mut().zip(&centroids[d * k..(d + 1) * k]) {
                *n += x * x;
            }
        }
        for d in 0..dims {
            for (x, n) in centroids[d * k..(d + 1) * k].iter_mut().zip(&norms) {
                if *n > 0.0 {
                    *x /= n.sqrt();
                }
            }
        }
        if moved * 1000 < rows.len() {
            break;
        }
    }
    assignment
}

/// k-means++ seeding: each next seed is drawn with probability growing with the square of its
/// cosine distance to the nearest seed so far, so seeds cover the space instead of crowding
/// round the frequent function words.
fn kmeans_plus_plus(rows: &[Vec<(u32, f32)>], pool: &[usize], dims: usize, k: usize, rng: &mut Rng) -> Vec<usize> {
    let mut seeds = vec![pool[rng.below(pool.len())]];
    let mut nearest = vec![f32::NEG_INFINITY; pool.len()];
    let mut dense = vec![0f32; dims];
    while seeds.len() < k.min(pool.len()) {
        let last = &rows[*seeds.last().expect("a seed")];
        last.iter().for_each(|&(d, x)| dense[d as usize] = x);
        for (n, &r) in nearest.iter_mut().zip(pool) {
            let sim: f32 = rows[r].iter().map(|&(d, x)| x * dense[d as usize]).sum();
            *n = n.max(sim);
        }
        last.iter().for_each(|&(d, _)| dense[d as usize] = 0.0);
        let weights: Vec<f64> = nearest.iter().map(|&s| ((1.0 - s.min(1.0)) as f64).powi(2)).collect();
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            break;
        }
        let mut target = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let mut pick = pool.len() - 1;
        for (i, w) in weights.iter().enumerate() {
            if target < *w {
                pick = i;
                break;
            }
            target -= w;
        }
        seeds.push(pool[pick]);
    }
    seeds
}

/// The built-in table (see `data/clusters.tsv`), or an empty one when the crate was built
/// without it.
pub fn builtin() -> &'static Clusters {
    static C: std::sync::OnceLock<Clusters> = std::sync::OnceLock::new();
    C.get_or_init(|| Clusters::from_tsv(include_str!("../data/clusters.tsv")).expect("built-in cluster table"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_slots_share_a_cluster() {
        let cities = ["Arlen", "Brisk", "Corvo", "Dunmere", "Eskar", "Falmouth"];
        let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
        let mut texts = Vec::new();
        for (n, city) in cities.iter().enumerate() {
            for (m, day) in days.iter().enumerate() {
                if (n + m) % 2 == 0 {
                    texts.push(format!("The council met in {city} on {day} . The mayor of {city} spoke on {day} ."));
                }
            }
        }
        let settings =
            ClusterSettings { sizes: vec![3], min_count: 3, context_words: 20, window: 1, iterations: 10, seed: 3 };
        let c = Clusters::learn(&texts, &settings, &mut |_| {});
        assert_eq!(c.of("Arlen"), c.of("Corvo"));
        assert_eq!(c.of("Monday"), c.of("Friday"));
        assert_ne!(c.of("Arlen"), c.of("Monday"));
        let back = Clusters::from_tsv(&c.to_tsv()).unwrap();
        assert_eq!(back.of("brisk"), c.of("Brisk"));
        assert_eq!(back.len(), c.len());
    }
}
