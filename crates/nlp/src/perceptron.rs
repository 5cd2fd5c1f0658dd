//! A multiclass averaged perceptron over hashed features: the learner behind the tagger and the
//! entity recognizer.
//!
//! Features are 64-bit hashes of (template, strings) computed without allocation
//! ([`FeatureHasher`]). Training keeps dense per-feature rows with lazy averaging (each weight
//! remembers when it last changed, so averaging costs nothing per step); the trained model keeps
//! only the averaged weights that matter, as sparse (class, weight) lists, and is written as a
//! small gzip'd binary.

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{Read, Write};

/// Keys are already hashes: the map must not hash them again.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys")
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type FeatureMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// Builds feature hashes: FNV-1a over a template number and the parts, with separators, then
/// a final mix so that the low bits are well spread.
#[derive(Clone, Copy)]
pub struct FeatureHasher(u64);

impl FeatureHasher {
    const PRIME: u64 = 0x100000001b3;

    pub fn new(template: u8) -> Self {
        FeatureHasher((0xcbf29ce484222325 ^ template as u64).wrapping_mul(Self::PRIME))
    }

    pub fn str(mut self, s: &str) -> Self {
        for b in s.bytes() {
            self.0 = (self.0 ^ b as u64).wrapping_mul(Self::PRIME);
        }
        self.0 = (self.0 ^ 0xff).wrapping_mul(Self::PRIME);
        self
    }

    pub fn num(mut self, n: u64) -> Self {
        self.0 = (self.0 ^ n).wrapping_mul(Self::PRIME);
        self.0 = (self.0 ^ 0xfe).wrapping_mul(Self::PRIME);
        self
    }

    pub fn finish(self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }
}

/// Where each feature's votes lie in a model's entries: an open-addressing table of
/// (feature, start, count) slots, probed linearly from the feature's low bits (the hashes are
/// already well mixed). One slot is one cache line's quarter, so a lookup costs about one miss,
/// and scoring prefetches every slot before probing any (the features of a token are known
/// together), which is where run-time speed goes: lookups are most of the tagging,
/// recognizing and parsing time. (Slots of 32 bytes holding three votes each, one miss
/// instead of two for most features, were slower: half as many slots per line, and a table
/// full enough to fit made the lookups of features a model never kept probe further.)
#[derive(Clone, Default)]
struct FeatureIndex {
    slots: Vec<Slot>,
    len: usize,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    key: u64,
    at: u32,
    /// Number of entries; 0 marks an empty slot.
    n: u32,
}

impl FeatureIndex {
    fn with_capacity(n: usize) -> Self {
        let size = (n.max(8) * 2).next_power_of_two();
        FeatureIndex { slots: vec![Slot::default(); size], len: 0 }
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    fn insert(&mut self, key: u64, at: u32, n: u16) {
        debug_assert!(n > 0, "a feature with no entries is not indexed");
        if (self.len + 1) * 2 > self.slots.len() {
            let mut bigger = FeatureIndex::with_capacity(self.slots.len());
            for s in self.slots.iter().filter(|s| s.n > 0) {
                bigger.insert(s.key, s.at, s.n as u16);
            }
            *self = bigger;
        }
        let mask = self.mask();
        let mut i = key as usize & mask;
        while self.slots[i].n > 0 && self.slots[i].key != key {
            i = (i + 1) & mask;
        }
        if self.slots[i].n == 0 {
            self.len += 1;
        }
        self.slots[i] = Slot { key, at, n: u32::from(n) };
    }

    #[inline]
    fn get(&self, key: u64) -> Option<(u32, u16)> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.mask();
        let mut i = key as usize & mask;
        loop {
            let s = &self.slots[i];
            if s.n == 0 {
                return None;
            }
            if s.key == key {
                return Some((s.at, s.n as u16));
            }
            i = (i + 1) & mask;
        }
    }

    #[inline]
    fn prefetch(&self, key: u64) {
        #[cfg(target_arch = "x86_64")]
        if !self.slots.is_empty() {
            let p = &self.slots[key as usize & self.mask()] as *const Slot as *const i8;
            // SAFETY: prefetching is a hint with no effect on memory; the pointer is in bounds.
            unsafe { std::arch::x86_64::_mm_prefetch(p, std::arch::x86_64::_MM_HINT_T0) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = key;
    }

    fn iter(&self) -> impl Iterator<Item = (u64, (u32, u16))> + '_ {
        self.slots.iter().filter(|s| s.n > 0).map(|s| (s.key, (s.at, s.n as u16)))
    }

    fn len(&self) -> usize {
        self.len
    }
}

/// Prefetches the cache lines of one feature's votes (at most four: longer lists are rare, and
/// their first lines are where the wait is).
#[inline]
fn prefetch_votes(votes: &[(u16, f32)]) {
    #[cfg(target_arch = "x86_64")]
    {
        const PER_LINE: usize = 64 / std::mem::size_of::<(u16, f32)>();
        for line in votes.chunks(PER_LINE).take(4) {
            // SAFETY: prefetching is a hint with no effect on memory; the pointer is in bounds.
            unsafe { std::arch::x86_64::_mm_prefetch(line.as_ptr() as *const i8, std::arch::x86_64::_MM_HINT_T0) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = votes;
}

/// A trained model: for each feature, the classes it votes for and how strongly.
#[derive(Clone)]
pub struct Model {
    pub classes: Vec<String>,
    index: FeatureIndex,
    entries: Vec<(u16, f32)>,
}

const MAGIC: &[u8; 8] = b"DLPERC01";

impl Model {
    /// Scores of every class for a set of features (added into `scores`, which is reset).
    pub fn score(&self, features: &[u64], scores: &mut Vec<f32>) {
        scores.clear();
        scores.resize(self.classes.len(), 0.0);
        // Three passes, so that misses overlap instead of queueing: every feature's slot is
        // prefetched, then the slots are probed and the vote lists they point to prefetched (a
        // list is a second miss that only its slot can locate: waiting for it one feature at a
        // time was most of the scoring time), then the votes are added.
        const CHUNK: usize = 128;
        let mut found = [(0u32, 0u16); CHUNK];
        for chunk in features.chunks(CHUNK) {
            for &f in chunk {
                self.index.prefetch(f);
            }
            let mut k = 0;
            for &f in chunk {
                if let Some((at, n)) = self.index.get(f) {
                    prefetch_votes(&self.entries[at as usize..at as usize + n as usize]);
                    found[k] = (at, n);
                    k += 1;
                }
            }
            for &(at, n) in &found[..k] {
                for &(c, w) in &self.entries[at as usize..at as usize + n as usize] {
                    scores[c as usize] += w;
                }
            }
        }
    }

    /// The mean of models trained on the same classes (different shuffles of the same data):
    /// one model of the same form whose weights vary less with the order of training.
    pub fn average(models: &[Model]) -> Model {
        let first = &models[0];
        assert!(models.iter().all(|m| m.classes == first.classes), "averaged models share their classes");
        let n = first.classes.len();
        let mut sums: HashMap<u64, Vec<f32>> = HashMap::new();
        for m in models {
            for (f, (at, len)) in m.index.iter() {
                let row = sums.entry(f).or_insert_with(|| vec![0.0; n]);
                for &(c, w) in &m.entries[at as usize..at as usize + len as usize] {
                    row[c as usize] += w / models.len() as f32;
                }
            }
        }
        let mut rows: Vec<(u64, Vec<f32>)> = sums.into_iter().collect();
        rows.sort_by_key(|r| r.0);
        Model::from_rows(first.classes.clone(), rows.into_iter().map(|(f, w)| (f, w.into_iter())), 0.0)
    }

    /// A model from dense rows of weights, one per feature (in a fixed order, so that equal
    /// weights give equal bytes); weights of magnitude below `min_weight`, and zeros, are dropped.
    fn from_rows<W: Iterator<Item = f32>>(
        classes: Vec<String>,
        rows: impl Iterator<Item = (u64, W)>,
        min_weight: f32,
    ) -> Model {
        let mut index = FeatureIndex::default();
        let mut entries = Vec::new();
        for (f, weights) in rows {
            let start = entries.len();
            for (c, w) in weights.enumerate() {
                if w != 0.0 && w.abs() >= min_weight {
                    entries.push((c as u16, w));
                }
            }
            if entries.len() > start {
                index.insert(f, start as u32, (entries.len() - start) as u16);
            }
        }
        Model { classes, index, entries }
    }

    /// The same model without weights below `min_weight` in magnitude (and without the
    /// features left with none).
    pub fn pruned(&self, min_weight: f32) -> Model {
        let mut keys: Vec<(u64, (u32, u16))> = self.index.iter().collect();
        keys.sort();
        let n = self.classes.len();
        let rows = keys.into_iter().map(|(f, (at, len))| {
            let mut dense = vec![0.0f32; n];
            for &(c, w) in &self.entries[at as usize..at as usize + len as usize] {
                dense[c as usize] = w;
            }
            (f, dense.into_iter())
        });
        Model::from_rows(self.classes.clone(), rows, min_weight)
    }

    pub fn class_index(&self, name: &str) -> Option<usize> {
        self.classes.iter().position(|c| c == name)
    }

    pub fn feature_count(&self) -> usize {
        self.index.len()
    }

    /// Serialises as gzip'd binary: magic, classes, then (feature, n, n × (class, weight)).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&(self.classes.len() as u32).to_le_bytes());
        for c in &self.classes {
            raw.extend_from_slice(&(c.len() as u32).to_le_bytes());
            raw.extend_from_slice(c.as_bytes());
        }
        let mut keys: Vec<(u64, (u32, u16))> = self.index.iter().collect();
        keys.sort();
        raw.extend_from_slice(&(keys.len() as u64).to_le_bytes());
        for (k, (at, n)) in keys {
            raw.extend_from_slice(&k.to_le_bytes());
            raw.extend_from_slice(&n.to_le_bytes());
            for &(c, w) in &self.entries[at as usize..at as usize + n as usize] {
                raw.extend_from_slice(&c.to_le_bytes());
                raw.extend_from_slice(&w.to_le_bytes());
            }
        }
        let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&raw).expect("writing to memory");
        gz.finish().expect("writing to memory")
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let mut raw = Vec::new();
        GzDecoder::new(bytes).read_to_end(&mut raw).map_err(|e| format!("not a dateline model (gzip: {e})"))?;
        let mut r = Reader { b: &raw, at: 0 };
        if r.take(8)? != MAGIC {
            return Err("not a dateline model (bad magic)".into());
        }
        let nclasses = r.u32()? as usize;
        let mut classes = Vec::with_capacity(nclasses);
        for _ in 0..nclasses {
            let len = r.u32()? as usize;
            classes.push(String::from_utf8(r.take(len)?.to_vec()).map_err(|_| "bad class name")?);
        }
        let nfeat = r.u64()? as usize;
        let mut index = FeatureIndex::with_capacity(nfeat);
        let mut entries = Vec::new();
        for _ in 0..nfeat {
            let k = r.u64()?;
            let n = u16::from_le_bytes(r.take(2)?.try_into().unwrap());
            if n == 0 {
                return Err("model lists a feature with no weights".into());
            }
            index.insert(k, entries.len() as u32, n);
            for _ in 0..n {
                let c = u16::from_le_bytes(r.take(2)?.try_into().unwrap());
                let w = f32::from_le_bytes(r.take(4)?.try_into().unwrap());
                if c as usize >= nclasses {
                    return Err("model refers to an unknown class".into());
                }
                entries.push((c, w));
            }
        }
        Ok(Model { classes, index, entries })
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let s = self.b.get(self.at..self.at + n).ok_or("model file is truncated")?;
        self.at += n;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }
}

/// The learner: dense rows per feature, with lazy averaging.
pub struct Trainer {
    pub classes: Vec<String>,
    rows: FeatureMap<usize>,
    weights: Vec<f32>,
    totals: Vec<f64>,
    stamps: Vec<u64>,
    /// Number of updates seen (the clock for averaging).
    pub instances: u64,
}

impl Trainer {
    pub fn new(classes: Vec<String>) -> Self {
        Trainer {
            classes,
            rows: FeatureMap::default(),
            weights: Vec::new(),
            totals: Vec::new(),
            stamps: Vec::new(),
            instances: 0,
        }
    }

    fn n(&self) -> usize {
        self.classes.len()
    }

    /// Current (not averaged) scores.
    pub fn score(&self, features: &[u64], scores: &mut Vec<f32>) {
        let n = self.n();
        scores.clear();
        scores.resize(n, 0.0);
        for f in features {
            if let Some(&row) = self.rows.get(f) {
                for (s, w) in scores.iter_mut().zip(&self.weights[row * n..row * n + n]) {
                    *s += w;
                }
            }
        }
    }

    fn row(&mut self, f: u64) -> usize {
        let n = self.n();
        let next = self.rows.len();
        let row = *self.rows.entry(f).or_insert(next);
        if row == next {
            self.weights.resize((next + 1) * n, 0.0);
            self.totals.resize((next + 1) * n, 0.0);
            self.stamps.resize((next + 1) * n, 0);
        }
        row
    }

    fn bump(&mut self, i: usize, delta: f32) {
        let now = self.instances;
        self.totals[i] += (now - self.stamps[i]) as f64 * self.weights[i] as f64;
        self.stamps[i] = now;
        self.weights[i] += delta;
    }

    /// One training step: when the guess is wrong, move weight from it to the truth.
    pub fn update(&mut self, features: &[u64], truth: usize, guess: usize) {
        self.instances += 1;
        if truth == guess {
            return;
        }
        let n = self.n();
        for &f in features {
            let row = self.row(f);
            self.bump(row * n + truth, 1.0);
            self.bump(row * n + guess, -1.0);
        }
    }

    /// The averaged model; weights with magnitude below `min_weight` are dropped.
    pub fn finish(&self, min_weight: f32) -> Model {
        let n = self.n();
        let now = self.instances.max(1);
        let mut keys: Vec<(&u64, &usize)> = self.rows.iter().collect();
        keys.sort();
        let rows = keys.into_iter().map(|(&f, &row)| {
            let averaged = (0..n).map(move |c| {
                let i = row * n + c;
                let total = self.totals[i] + (now - self.stamps[i]) as f64 * self.weights[i] as f64;
                (total / now as f64) as f32
            });
            (f, averaged)
        });
        Model::from_rows(self.classes.clone(), rows, min_weight)
    }
}

/// Deterministic shuffling for training (xorshift64*), so a seed reproduces a model exactly.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E3779B97F4A7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    /// A number below `n` (which must not be 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

pub fn argmax(scores: &[f32]) -> usize {
    let mut best = 0;
    for (i, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_and_round_trips() {
        let classes = vec!["A".to_string(), "B".to_string()];
        let mut t = Trainer::new(classes);
        let fa = [FeatureHasher::new(1).str("x").finish()];
        let fb = [FeatureHasher::new(1).str("y").finish()];
        let mut scores = Vec::new();
        for _ in 0..5 {
            for (f, truth) in [(&fa, 0), (&fb, 1)] {
                t.score(f, &mut scores);
                let g = argmax(&scores);
                t.update(f, truth, g);
            }
        }
        let m = Model::from_bytes(&t.finish(0.0).to_bytes()).unwrap();
        m.score(&fb, &mut scores);
        assert_eq!(argmax(&scores), 1);
        m.score(&fa, &mut scores);
        assert_eq!(argmax(&scores), 0);
    }
}
