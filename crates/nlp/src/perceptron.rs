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

    pub fn str(self, s: &str) -> Self {
        self.part(s).end_part()
    }

    /// Adds the bytes of a string without closing it: `h.part(a).part(b).end_part()` equals
    /// `h.str(a + b)`, so a phrase's hash can grow word by word.
    pub fn part(mut self, s: &str) -> Self {
        for b in s.bytes() {
            self.0 = (self.0 ^ b as u64).wrapping_mul(Self::PRIME);
        }
        self
    }

    /// Closes a string begun with [`FeatureHasher::part`].
    pub fn end_part(mut self) -> Self {
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
/// (fingerprint, start) slots, probed linearly from the slot the feature's high bits choose
/// (the hashes are already well mixed). A slot is 8 bytes, eight to a cache line, so a lookup
/// costs about one miss, and scoring prefetches every slot before probing any (the features
/// of a token are known together), which is where run-time speed goes: lookups are most of
/// the tagging, recognizing and parsing time. The table is kept small because a denser table
/// holds more of the frequent features in the cache: slots of 16 bytes (the whole key, start
/// and count) were slower than these, and slots of 32 bytes holding three votes each slower
/// again, though they saved the second miss; so was a Bloom filter in front of the table.
/// The full keys are kept apart, read only to list the rows (saving, averaging, pruning).
#[derive(Clone, Default)]
struct FeatureIndex {
    slots: Vec<Slot>,
    keys: Vec<u64>,
    len: usize,
}

#[derive(Clone, Copy, Default)]
#[repr(C, align(8))]
struct Slot {
    /// The key's [`fingerprint`]; 0 marks an empty slot.
    fingerprint: u32,
    /// Where the feature's votes start in the entries; the last one is marked [`LAST_VOTE`].
    at: u32,
}

/// One vote of a feature: a class and its weight. The class's top bit marks the feature's
/// last vote, so that a slot need not hold a count. Packed (6 bytes, not 8): a feature's
/// votes then span fewer cache lines.
#[derive(Clone, Copy)]
#[repr(C, packed)]
struct Vote {
    class: u16,
    weight: f32,
}

const LAST_VOTE: u16 = 0x8000;

/// A key's 32-bit fingerprint in a slot: never 0, which marks an empty slot. The home slot
/// comes from the key's high bits, so two features share a probe path and a fingerprint only
/// when they agree in both: about once in 2^32 lookups of an absent feature, costing that
/// lookup one stray vote.
#[inline]
fn fingerprint(key: u64) -> u32 {
    (key as u32).max(1)
}

/// A feature's votes as stored: classes in order, the last one marked.
fn stored_votes(votes: &[(u16, f32)]) -> impl Iterator<Item = Vote> + '_ {
    votes.iter().enumerate().map(move |(i, &(class, weight))| {
        assert!(class < LAST_VOTE, "a model has fewer than 32,768 classes");
        Vote { class: if i + 1 == votes.len() { class | LAST_VOTE } else { class }, weight }
    })
}

/// The votes stored from `at` on, up to the one marked last.
fn votes_at(entries: &[Vote], at: u32) -> impl Iterator<Item = (u16, f32)> + '_ {
    let mut done = false;
    entries[at as usize..].iter().map_while(move |v| {
        if done {
            return None;
        }
        done = v.class & LAST_VOTE != 0;
        Some((v.class & !LAST_VOTE, v.weight))
    })
}

/// Slots for a table of `n` keys at most half full.
fn slots_for(n: usize) -> usize {
    n.max(4) * 2 + 1
}

/// The slot a key's probe starts at in a table of `len` slots: the key's high bits scaled to
/// the table (keys are well-mixed hashes).
#[inline]
fn home_slot(key: u64, len: usize) -> usize {
    ((u128::from(key) * len as u128) >> 64) as usize
}

/// The slot a linear probe visits after slot `i`.
#[inline]
fn next_slot(i: usize, len: usize) -> usize {
    if i + 1 == len {
        0
    } else {
        i + 1
    }
}

impl FeatureIndex {
    /// Room for `n` features at most half full. Not rounded to a power of two: a table
    /// rounded up to one was a quarter full at worst, and a sparser table holds fewer of the
    /// frequent features in each cache line (and so in the cache).
    fn with_capacity(n: usize) -> Self {
        let len = slots_for(n);
        FeatureIndex { slots: table(len), keys: vec![0; len], len: 0 }
    }

    #[inline]
    fn home(&self, key: u64) -> usize {
        home_slot(key, self.slots.len())
    }

    #[inline]
    fn next(&self, i: usize) -> usize {
        next_slot(i, self.slots.len())
    }

    fn insert(&mut self, key: u64, at: u32) {
        if (self.len + 1) * 2 > self.slots.len() {
            let mut bigger = FeatureIndex::with_capacity(self.slots.len().max(self.len * 2));
            for (k, at) in self.iter() {
                bigger.insert(k, at);
            }
            *self = bigger;
        }
        let mut i = self.home(key);
        while self.slots[i].fingerprint != 0 && self.keys[i] != key {
            i = self.next(i);
        }
        if self.slots[i].fingerprint == 0 {
            self.len += 1;
        }
        self.slots[i] = Slot { fingerprint: fingerprint(key), at };
        self.keys[i] = key;
    }

    /// Where the feature's votes start, if the model has it.
    #[inline]
    fn get(&self, key: u64) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let want = fingerprint(key);
        let mut i = self.home(key);
        loop {
            let s = &self.slots[i];
            if s.fingerprint == 0 {
                return None;
            }
            if s.fingerprint == want {
                return Some(s.at);
            }
            i = self.next(i);
        }
    }

    #[inline]
    fn prefetch(&self, key: u64) {
        #[cfg(target_arch = "x86_64")]
        if !self.slots.is_empty() {
            let p = &self.slots[self.home(key)] as *const Slot as *const i8;
            // SAFETY: prefetching is a hint with no effect on memory; the pointer is in bounds.
            unsafe { std::arch::x86_64::_mm_prefetch(p, std::arch::x86_64::_MM_HINT_T0) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = key;
    }

    /// Every stored feature with where its votes start.
    fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.slots.iter().zip(&self.keys).filter(|(s, _)| s.fingerprint != 0).map(|(s, &k)| (k, s.at))
    }

    fn len(&self) -> usize {
        self.len
    }
}

/// Prefetches the first two cache lines of the votes stored from `at` (most lists fit in
/// them, and their first lines are where the wait is).
#[inline]
fn prefetch_votes(entries: &[Vote], at: u32) {
    #[cfg(target_arch = "x86_64")]
    {
        let first = &entries[at as usize] as *const Vote as *const i8;
        // SAFETY: prefetching is a hint with no effect on memory, even past the allocation's
        // end; the first pointer is in bounds.
        unsafe {
            std::arch::x86_64::_mm_prefetch(first, std::arch::x86_64::_MM_HINT_T0);
            std::arch::x86_64::_mm_prefetch(first.wrapping_add(64), std::arch::x86_64::_MM_HINT_T0);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (entries, at);
}

/// A trained model: for each feature, the classes it votes for and how strongly.
#[derive(Clone)]
pub struct Model {
    pub classes: Vec<String>,
    index: FeatureIndex,
    entries: Vec<Vote>,
    /// For a model of at most [`DENSE_CLASSES`] classes (the parser's transitions), the
    /// votes kept in the slots themselves: one miss per feature instead of two, on the
    /// lookups that are most of parsing. `index` and `entries` are then empty.
    dense: Option<DenseTable>,
}

/// Models with this many classes or fewer keep their votes in their slots.
const DENSE_CLASSES: usize = 3;

/// One feature's weights in a [`DenseTable`]: 16 bytes, so four to a cache line and none
/// straddling two (a slot holding the whole 8-byte key was 24 bytes: a third of the lookups
/// touched two lines, and the table was half as large again).
#[derive(Clone, Copy, Default)]
#[repr(C, align(16))]
struct DenseSlot {
    /// The key's low 32 bits (0 taken as 1), 0 for an empty slot. The home slot comes from the
    /// key's high bits, so two features share a slot's probe path and a fingerprint only when
    /// they agree in both: about once in 2^32 lookups of an absent feature, costing that
    /// lookup one stray vote.
    fingerprint: u32,
    weights: [f32; DENSE_CLASSES],
}

/// An open-addressing table of (feature, weight of each class), at most half full, probed
/// linearly from the slot the key's high bits choose (as [`FeatureIndex`]). The full keys are
/// kept apart, read only to list the rows (saving, averaging, pruning), never when scoring.
#[derive(Clone, Default)]
struct DenseTable {
    slots: Vec<DenseSlot>,
    keys: Vec<u64>,
    len: usize,
}

impl DenseTable {
    /// Room for `n` features, a third full: most lookups are of features the model does
    /// not have, and their probe runs to the first empty slot. Two thirds full, such a probe
    /// left the cache line and pipeline time rose by a sixth; half full was 2.5 % slower
    /// than this.
    fn with_capacity(n: usize) -> DenseTable {
        let len = n.max(4) * 3 + 1;
        DenseTable { slots: table(len), keys: vec![0; len], len: 0 }
    }

    /// Adds a feature not yet in the table (at most the capacity's worth).
    fn insert(&mut self, key: u64, weights: [f32; DENSE_CLASSES]) {
        let mut i = home_slot(key, self.slots.len());
        while self.slots[i].fingerprint != 0 {
            i = next_slot(i, self.slots.len());
        }
        self.slots[i] = DenseSlot { fingerprint: fingerprint(key), weights };
        self.keys[i] = key;
        self.len += 1;
    }

    fn build(rows: &[(u64, Vec<(u16, f32)>)]) -> DenseTable {
        let mut t = DenseTable::with_capacity(rows.len());
        for (key, votes) in rows {
            let mut weights = [0.0; DENSE_CLASSES];
            for &(c, w) in votes {
                weights[c as usize] = w;
            }
            t.insert(*key, weights);
        }
        t
    }

    #[inline]
    fn get(&self, key: u64) -> Option<&DenseSlot> {
        let want = fingerprint(key);
        let mut i = home_slot(key, self.slots.len());
        loop {
            let s = &self.slots[i];
            if s.fingerprint == 0 {
                return None;
            }
            if s.fingerprint == want {
                return Some(s);
            }
            i = next_slot(i, self.slots.len());
        }
    }

    /// Every stored feature with its weights.
    fn iter(&self) -> impl Iterator<Item = (u64, &[f32; DENSE_CLASSES])> + '_ {
        self.slots.iter().zip(&self.keys).filter(|(s, _)| s.fingerprint != 0).map(|(s, &k)| (k, &s.weights))
    }

    #[inline]
    fn prefetch(&self, key: u64) {
        #[cfg(target_arch = "x86_64")]
        {
            let s = &self.slots[home_slot(key, self.slots.len())] as *const DenseSlot as *const i8;
            // SAFETY: prefetching is a hint with no effect on memory; the pointer is in bounds.
            unsafe { std::arch::x86_64::_mm_prefetch(s, std::arch::x86_64::_MM_HINT_T0) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = key;
    }
}

/// A vector of `len` default values, in memory the kernel may back with 2 MiB pages: a
/// model's tables are tens of megabytes read at random, and with 4 KiB pages most lookups
/// also missed the address translation cache.
fn table<T: Clone + Default>(len: usize) -> Vec<T> {
    let mut v = Vec::with_capacity(len);
    advise_huge_pages(&v);
    v.resize(len, T::default());
    v
}

/// Asks for large pages over a vector's allocation (Linux's transparent huge pages in their
/// default "madvise" mode), before it is written: pages already written stay small.
fn advise_huge_pages<T>(v: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        let bytes = v.capacity() * std::mem::size_of::<T>();
        if bytes < 4 << 20 {
            return;
        }
        let start = (v.as_ptr() as usize).next_multiple_of(PAGE);
        let end = (v.as_ptr() as usize + bytes) / PAGE * PAGE;
        // SAFETY: advice over whole pages inside the vector's own allocation; it changes how
        // the memory is backed, never its contents.
        unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
    }
    #[cfg(not(target_os = "linux"))]
    let _ = v;
}

const MAGIC: &[u8; 8] = b"DLPERC01";

/// The position of the next votes in a model's entries, as a slot holds it.
fn entry_index(len: usize) -> u32 {
    u32::try_from(len).expect("a model has fewer than 2^32 votes")
}

impl Model {
    /// Scores of every class for a set of features (added into `scores`, which is reset).
    pub fn score(&self, features: &[u64], scores: &mut Vec<f32>) {
        scores.clear();
        scores.resize(self.classes.len(), 0.0);
        if let Some(dense) = &self.dense {
            if dense.slots.is_empty() {
                return;
            }
            for &f in features {
                dense.prefetch(f);
            }
            for &f in features {
                if let Some(slot) = dense.get(f) {
                    for (s, w) in scores.iter_mut().zip(slot.weights) {
                        *s += w;
                    }
                }
            }
            return;
        }
        // Three passes, so that misses overlap instead of queueing: every feature's slot is
        // prefetched, then the slots are probed and the vote lists they point to prefetched (a
        // list is a second miss that only its slot can locate: waiting for it one feature at a
        // time was most of the scoring time), then the votes are added.
        const CHUNK: usize = 128;
        let mut found = [0u32; CHUNK];
        for chunk in features.chunks(CHUNK) {
            for &f in chunk {
                self.index.prefetch(f);
            }
            let mut k = 0;
            for &f in chunk {
                if let Some(at) = self.index.get(f) {
                    prefetch_votes(&self.entries, at);
                    found[k] = at;
                    k += 1;
                }
            }
            for &at in &found[..k] {
                for v in &self.entries[at as usize..] {
                    scores[(v.class & !LAST_VOTE) as usize] += v.weight;
                    if v.class & LAST_VOTE != 0 {
                        break;
                    }
                }
            }
        }
    }

    /// Every feature with its votes, in key order (so that equal models give equal bytes).
    fn rows(&self) -> Vec<(u64, Vec<(u16, f32)>)> {
        let mut rows: Vec<(u64, Vec<(u16, f32)>)> = match &self.dense {
            Some(d) => d
                .iter()
                .map(|(key, weights)| {
                    let votes = (0..self.classes.len())
                        .filter(|&c| weights[c] != 0.0)
                        .map(|c| (c as u16, weights[c]))
                        .collect();
                    (key, votes)
                })
                .collect(),
            None => self.index.iter().map(|(f, at)| (f, votes_at(&self.entries, at).collect())).collect(),
        };
        rows.sort_by_key(|r| r.0);
        rows
    }

    /// A model over these rows (feature, votes), in the layout its class count calls for.
    fn from_votes(classes: Vec<String>, rows: Vec<(u64, Vec<(u16, f32)>)>) -> Model {
        if classes.len() <= DENSE_CLASSES {
            let dense = DenseTable::build(&rows);
            return Model { classes, index: FeatureIndex::default(), entries: Vec::new(), dense: Some(dense) };
        }
        let mut index = FeatureIndex::with_capacity(rows.len());
        let mut entries = Vec::with_capacity(rows.iter().map(|(_, v)| v.len()).sum());
        advise_huge_pages(&entries);
        for (f, votes) in rows {
            index.insert(f, entry_index(entries.len()));
            entries.extend(stored_votes(&votes));
        }
        Model { classes, index, entries, dense: None }
    }

    /// The mean of models trained on the same classes (different shuffles of the same data):
    /// one model of the same form whose weights vary less with the order of training.
    pub fn average(models: &[Model]) -> Model {
        let first = &models[0];
        assert!(models.iter().all(|m| m.classes == first.classes), "averaged models share their classes");
        let n = first.classes.len();
        let mut sums: HashMap<u64, Vec<f32>> = HashMap::new();
        for m in models {
            for (f, votes) in m.rows() {
                let row = sums.entry(f).or_insert_with(|| vec![0.0; n]);
                for (c, w) in votes {
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
        let kept: Vec<(u64, Vec<(u16, f32)>)> = rows
            .map(|(f, weights)| {
                let votes: Vec<(u16, f32)> = weights
                    .enumerate()
                    .filter(|&(_, w)| w != 0.0 && w.abs() >= min_weight)
                    .map(|(c, w)| (c as u16, w))
                    .collect();
                (f, votes)
            })
            .filter(|(_, votes)| !votes.is_empty())
            .collect();
        Model::from_votes(classes, kept)
    }

    /// The same model without weights below `min_weight` in magnitude (and without the
    /// features left with none).
    pub fn pruned(&self, min_weight: f32) -> Model {
        let n = self.classes.len();
        let rows = self.rows().into_iter().map(|(f, votes)| {
            let mut dense = vec![0.0f32; n];
            for (c, w) in votes {
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
        self.dense.as_ref().map_or(self.index.len(), |d| d.len)
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
        let rows = self.rows();
        raw.extend_from_slice(&(rows.len() as u64).to_le_bytes());
        for (k, votes) in rows {
            raw.extend_from_slice(&k.to_le_bytes());
            raw.extend_from_slice(&(votes.len() as u16).to_le_bytes());
            for (c, w) in votes {
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
        // Straight into the table the model scores with (a list of rows first would cost
        // its own size again at load).
        let nfeat = nfeat.min(raw.len() / 10);
        let mut dense = (nclasses <= DENSE_CLASSES).then(|| DenseTable::with_capacity(nfeat));
        let mut index = FeatureIndex::with_capacity(if dense.is_some() { 0 } else { nfeat });
        // Room for every vote the file can hold (six bytes each), reserved before it is
        // written so that it can be given large pages; pages never written cost nothing.
        let mut entries = Vec::with_capacity(if dense.is_some() { 0 } else { raw.len() / 6 });
        advise_huge_pages(&entries);
        let mut votes = Vec::new();
        for _ in 0..nfeat {
            let k = r.u64()?;
            let n = u16::from_le_bytes(r.take(2)?.try_into().unwrap());
            if n == 0 {
                return Err("model lists a feature with no weights".into());
            }
            votes.clear();
            for _ in 0..n {
                let c = u16::from_le_bytes(r.take(2)?.try_into().unwrap());
                let w = f32::from_le_bytes(r.take(4)?.try_into().unwrap());
                if c as usize >= nclasses {
                    return Err("model refers to an unknown class".into());
                }
                votes.push((c, w));
            }
            match &mut dense {
                Some(d) => {
                    let mut weights = [0.0; DENSE_CLASSES];
                    for &(c, w) in &votes {
                        weights[c as usize] = w;
                    }
                    d.insert(k, weights);
                }
                None => {
                    index.insert(k, entry_index(entries.len()));
                    entries.extend(stored_votes(&votes));
                }
            }
        }
        Ok(Model { classes, index, entries, dense })
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

    /// Both layouts (votes in the slots for three classes or fewer, an index into packed vote
    /// lists for more) score every feature's votes exactly, ignore features they lack, and
    /// give the same bytes after a round trip.
    #[test]
    fn both_layouts_score_exactly_and_round_trip() {
        for nclasses in [3usize, 7] {
            let classes: Vec<String> = (0..nclasses).map(|c| format!("c{c}")).collect();
            let rows: Vec<(u64, Vec<(u16, f32)>)> = (0..500u64)
                .map(|k| {
                    let key = FeatureHasher::new(9).num(k).finish();
                    let votes = (0..nclasses as u16).filter(|c| (k + u64::from(*c)) % 3 != 0);
                    (key, votes.map(|c| (c, k as f32 + f32::from(c) / 8.0)).collect())
                })
                .filter(|(_, v): &(u64, Vec<(u16, f32)>)| !v.is_empty())
                .collect();
            let model = Model::from_votes(classes, rows.clone());
            let bytes = model.to_bytes();
            let back = Model::from_bytes(&bytes).unwrap();
            assert_eq!(back.to_bytes(), bytes);
            let mut scores = Vec::new();
            let absent = FeatureHasher::new(10).num(1).finish();
            for (key, votes) in rows.iter().take(50) {
                back.score(&[*key, absent], &mut scores);
                let mut want = vec![0.0f32; nclasses];
                for &(c, w) in votes {
                    want[c as usize] = w;
                }
                assert_eq!(scores, want);
            }
        }
    }
}
