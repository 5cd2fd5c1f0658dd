//! A transition-based dependency parser: arc-hybrid transitions, a greedy averaged perceptron
//! trained with a dynamic oracle, and a second perceptron that labels each arc as it is made.
//!
//! Arc-hybrid (Kuhlmann et al. 2011): a stack that starts with the root, a buffer of words;
//! SHIFT pushes the first buffer word, LEFT makes the buffer's first word the head of the top
//! of the stack and pops it, RIGHT makes the word under the top its head and pops it. The
//! dynamic oracle (Goldberg & Nivre 2013) gives the cost of each transition in any
//! configuration, the gold arcs it makes unreachable, so training can follow the model's own
//! mistakes (with probability [`EXPLORE`] after the first iteration) and learn to recover from
//! them. The transitions make projective trees only: non-projective gold trees are lifted for
//! training and their frequent lifts encoded in the relations, which [`projective::lower`]
//! undoes after parsing (pseudo-projective parsing).
//!
//! Relations are given as each arc is made, by a second perceptron: the dependent's subtree is
//! complete by then (arc-hybrid attaches a word only when it leaves the stack), and later
//! transitions read the relations of the children found so far as features ("this verb has
//! its subject"), as in Zhang & Nivre's labelled features. Keeping the relations apart keeps
//! the transition model at three classes, small and fast. (A second pass relabelling the
//! finished tree top-down scored lower and cost half the parsing time; it is gone.)

use crate::projective;
use crate::treebank::Tree;
use dateline_nlp::perceptron::{argmax, FeatureHasher as H, Model, Rng, Trainer};
use dateline_nlp::tagger::{normalize, Progress};
use std::collections::HashMap;
use std::io::{Read, Write};

const SHIFT: usize = 0;
const LEFT: usize = 1;
const RIGHT: usize = 2;
const TRANSITIONS: [&str; 3] = ["SHIFT", "LEFT", "RIGHT"];

/// A (relation, lost head's relation) pair of lifted arcs is encoded in the labels when the
/// training data has at least this many (see [`projective`]); rarer lifts are learnt plain.
const MIN_LIFTS: usize = 15;

/// After the first iteration, how often training follows the model's own (possibly wrong)
/// transition rather than the best correct one.
const EXPLORE: f64 = 0.9;

/// The beam of [`Search::Beam`]: the transition scores of the greedily trained model, divided
/// by this temperature, are made log-probabilities over the legal transitions, and a second
/// hypothesis is kept while its summed log-probability stays within [`BEAM_MARGIN`] of the
/// best one's. Both were chosen on a part of EWT train (and of GUM train) held out from a
/// parser trained on the rest: there a width of two gained 0.2 UAS on both, with a second
/// hypothesis at a third of the steps (a margin of 1 gained as much at two fifths, 0.5 less
/// at a fifth); widths of four and eight gained little more for twice the time. Raw
/// perceptron scores, summed unscaled, are far too peaked to compare hypotheses (6 UAS
/// lost).
const BEAM_TEMPERATURE: f32 = 30.0;
const BEAM_MARGIN: f32 = 0.7;

/// How a sentence's transitions are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    /// The best-scoring transition at each step.
    Greedy,
    /// Two hypotheses where the model hesitates (see [`BEAM_MARGIN`]): what [`Parser::parse`]
    /// does, 0.3-0.5 UAS above greedy parsing for a fifth more time. (States that will score
    /// alike from then on are one: the second can never overtake the first.)
    Beam,
}

/// A partial parse in the beam and its summed log-probability.
struct Hypothesis {
    score: f32,
    state: State,
}

const MAGIC: &[u8; 8] = b"DLPARS03";
/// The earlier form, with a third model (relations relabelled top-down) that is now unused.
const MAGIC_V2: &[u8; 8] = b"DLPARS02";

/// A trained parser: the transition model and the labeller.
pub struct Parser {
    transitions: Model,
    /// The relation of each arc, given when the arc is made (the dependent's subtree is then
    /// complete), and read as a feature by later transitions.
    relations: Model,
}

/// One parsed sentence: for each word, its head (a word index, `None` for the root) and
/// relation.
#[derive(Debug, Clone, PartialEq)]
pub struct Parse<'m> {
    pub heads: Vec<Option<usize>>,
    pub deprels: Vec<&'m str>,
}

/// What the features of a sentence are made of, precomputed once per sentence.
struct Atoms {
    /// Hashes of the normalised word, the tag, the coarse and the fine word cluster, and the
    /// word's last three letters.
    word: Vec<u64>,
    tag: Vec<u64>,
    /// The tag's first letter (N, V, J, R, …): the tagger confuses NN and NNP, VBD and VBN far
    /// more often than nouns and verbs, so the parser is given the coarse class as well.
    coarse_tag: Vec<u64>,
    coarse: Vec<u64>,
    fine: Vec<u64>,
    suffix: Vec<u64>,
    /// Whether word `i` is a comma, semicolon or dash, and how many such words come before
    /// each position (for "a clause mark between s0 and b0").
    marks_before: Vec<u32>,
    /// The next verb or modal after each position, if any.
    next_verb: Vec<Option<usize>>,
}

/// Stands for a missing position (empty stack slot, no child).
const NONE: u64 = 0x9e37_79b9_7f4a_7c15;
/// Stands for the root, at the bottom of the stack.
const ROOT: u64 = 0x5851_f42d_4c95_7f2d;

impl Atoms {
    fn new(words: &[&str], tags: &[&str]) -> Self {
        let clusters = dateline_nlp::clusters::builtin();
        let n = words.len();
        let mut atoms = Atoms {
            word: Vec::with_capacity(n + 1),
            tag: Vec::with_capacity(n + 1),
            coarse_tag: Vec::with_capacity(n + 1),
            coarse: Vec::with_capacity(n + 1),
            fine: Vec::with_capacity(n + 1),
            suffix: Vec::with_capacity(n + 1),
            marks_before: Vec::with_capacity(n + 1),
            next_verb: vec![None; n + 1],
        };
        let mut marks = 0;
        for (w, t) in words.iter().zip(tags) {
            let norm = normalize(w);
            let c = clusters.of_normalized(&norm);
            atoms.word.push(H::new(0).str(&norm).finish());
            atoms.tag.push(H::new(1).str(t).finish());
            atoms.coarse_tag.push(H::new(5).str(&t[..t.len().min(1)]).finish());
            atoms.coarse.push(c.and_then(|c| c.get(1)).map_or(NONE, |&id| H::new(2).num(id as u64).finish()));
            atoms.fine.push(c.and_then(|c| c.get(3)).map_or(NONE, |&id| H::new(3).num(id as u64).finish()));
            let suffix_start = norm.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
            atoms.suffix.push(H::new(4).str(&norm[suffix_start..]).finish());
            atoms.marks_before.push(marks);
            if matches!(*w, "," | ";" | ":" | "-" | "--" | "—" | "–") {
                marks += 1;
            }
        }
        let mut next = None;
        for i in (0..n).rev() {
            atoms.next_verb[i] = next;
            if tags[i].starts_with('V') || tags[i] == "MD" {
                next = Some(i);
            }
        }
        // The root, at index n.
        atoms.word.push(ROOT);
        atoms.tag.push(ROOT);
        atoms.coarse_tag.push(ROOT);
        atoms.coarse.push(ROOT);
        atoms.fine.push(ROOT);
        atoms.suffix.push(ROOT);
        atoms.marks_before.push(marks);
        atoms
    }
}

/// A parser state: stack (root at the bottom, index `n`), the buffer's first word (the buffer
/// is `b..n`), the heads found so far, and the children each word has so far.
#[derive(Clone)]
struct State {
    n: usize,
    stack: Vec<usize>,
    b: usize,
    heads: Vec<Option<usize>>,
    /// Leftmost and second-leftmost, rightmost and second-rightmost children, and counts.
    lc: Vec<[Option<usize>; 2]>,
    rc: Vec<[Option<usize>; 2]>,
    left_count: Vec<u32>,
    right_count: Vec<u32>,
    /// The first three dependents of each word so far, in order, and its last: what the
    /// labeller reads of a word's dependents (flat, so that copying a state for the beam
    /// allocates no list per word).
    first_kids: Vec<[Option<usize>; 3]>,
    last_kid: Vec<Option<usize>>,
    /// Each attached word's provisional relation (class index + 1; 0 while unattached), and
    /// for each word the set of its dependents' relations (bits of class index mod 64).
    label: Vec<u64>,
    child_labels: Vec<u64>,
}

impl State {
    fn new(n: usize) -> Self {
        State {
            n,
            stack: vec![n],
            b: 0,
            heads: vec![None; n + 1],
            lc: vec![[None; 2]; n + 1],
            rc: vec![[None; 2]; n + 1],
            left_count: vec![0; n + 1],
            right_count: vec![0; n + 1],
            first_kids: vec![[None; 3]; n + 1],
            last_kid: vec![None; n + 1],
            label: vec![0; n + 1],
            child_labels: vec![0; n + 1],
        }
    }

    /// Records the provisional relation of a newly attached word.
    fn set_label(&mut self, dep: usize, class: usize) {
        self.label[dep] = class as u64 + 1;
        if let Some(h) = self.heads[dep] {
            self.child_labels[h] |= 1 << (class % 64);
        }
    }

    /// Whether two states will score every transition alike from here on: the same stack and
    /// buffer, and the same dependents (with their relations) on every word a feature can still
    /// read. They may differ only in arcs within finished subtrees, where no feature looks.
    fn same_future(&self, o: &State) -> bool {
        self.b == o.b
            && self.stack == o.stack
            && self.stack.iter().chain(self.buffer(0).as_ref()).all(|&w| {
                self.lc[w] == o.lc[w]
                    && self.rc[w] == o.rc[w]
                    && self.left_count[w] == o.left_count[w]
                    && self.right_count[w] == o.right_count[w]
                    && self.first_kids[w] == o.first_kids[w]
                    && self.last_kid[w] == o.last_kid[w]
                    && self.child_labels[w] == o.child_labels[w]
                    && self.lc[w]
                        .iter()
                        .chain(&self.rc[w])
                        .chain(&self.first_kids[w])
                        .chain(std::iter::once(&self.last_kid[w]))
                        .flatten()
                        .all(|&k| self.label[k] == o.label[k])
            })
    }

    fn done(&self) -> bool {
        self.b >= self.n && self.stack.len() == 1
    }

    fn s(&self, k: usize) -> Option<usize> {
        self.stack.len().checked_sub(k + 1).map(|i| self.stack[i])
    }

    fn buffer(&self, k: usize) -> Option<usize> {
        (self.b + k < self.n).then_some(self.b + k)
    }

    fn legal(&self, t: usize) -> bool {
        let top_is_word = self.stack.len() >= 2;
        match t {
            SHIFT => self.b < self.n,
            LEFT => top_is_word && self.b < self.n,
            // Only one word hangs from the root: the root takes its child last.
            RIGHT => top_is_word && (self.stack.len() >= 3 || self.b >= self.n),
            _ => false,
        }
    }

    fn attach(&mut self, head: usize, dep: usize) {
        self.heads[dep] = Some(head);
        let mut carried = Some(dep);
        for slot in &mut self.first_kids[head] {
            if slot.is_none_or(|k| carried.is_some_and(|c| c < k)) {
                std::mem::swap(slot, &mut carried);
            }
        }
        if self.last_kid[head].is_none_or(|k| dep > k) {
            self.last_kid[head] = Some(dep);
        }
        if dep < head {
            self.left_count[head] += 1;
            let lc = &mut self.lc[head];
            if lc[0].is_none_or(|x| dep < x) {
                lc[1] = lc[0];
                lc[0] = Some(dep);
            } else if lc[1].is_none_or(|x| dep < x) {
                lc[1] = Some(dep);
            }
        } else {
            self.right_count[head] += 1;
            let rc = &mut self.rc[head];
            if rc[0].is_none_or(|x| dep > x) {
                rc[1] = rc[0];
                rc[0] = Some(dep);
            } else if rc[1].is_none_or(|x| dep > x) {
                rc[1] = Some(dep);
            }
        }
    }

    /// Applies a transition; returns the arc it made, as (head, dependent).
    fn apply(&mut self, t: usize) -> Option<(usize, usize)> {
        match t {
            SHIFT => {
                self.stack.push(self.b);
                self.b += 1;
                None
            }
            LEFT => {
                let s0 = self.stack.pop().expect("legal LEFT");
                self.attach(self.b, s0);
                Some((self.b, s0))
            }
            _ => {
                let s0 = self.stack.pop().expect("legal RIGHT");
                let s1 = *self.stack.last().expect("legal RIGHT");
                self.attach(s1, s0);
                Some((s1, s0))
            }
        }
    }

    /// The dynamic oracle: how many gold arcs transition `t` makes unreachable. `gold[i]` is
    /// word i's gold head (index `n` for the root).
    fn cost(&self, t: usize, gold: &[usize]) -> usize {
        let s0 = self.s(0).filter(|&x| x != self.n);
        let in_buffer = |x: usize| x >= self.b && x < self.n;
        let dependents_in_buffer = |h: usize| (self.b..self.n).filter(|&d| gold[d] == h).count();
        match t {
            SHIFT => {
                let b0 = self.b;
                // Stack words whose head is b0 lose it; b0 keeps only s0 (below it) and later
                // buffer words as possible heads.
                let lost_deps = self.stack.iter().filter(|&&x| x != self.n && gold[x] == b0).count();
                let h = gold[b0];
                let lost_head = usize::from(Some(h) != self.s(0) && self.stack.contains(&h));
                lost_deps + lost_head
            }
            LEFT => {
                let s0 = s0.expect("legal LEFT");
                let h = gold[s0];
                let reachable_elsewhere = self.s(1) == Some(h) || (in_buffer(h) && h != self.b);
                dependents_in_buffer(s0) + usize::from(h != self.b && reachable_elsewhere)
            }
            _ => {
                let s0 = s0.expect("legal RIGHT");
                let h = gold[s0];
                dependents_in_buffer(s0) + usize::from(self.s(1) != Some(h) && in_buffer(h))
            }
        }
    }
}

/// Distance buckets: 1, 2, 3, 4, 5–6, 7–9, 10+.
fn distance(a: usize, b: usize) -> u64 {
    match a.abs_diff(b) {
        d @ 0..=4 => d as u64,
        5..=6 => 5,
        7..=9 => 6,
        _ => 7,
    }
}

fn transition_features(a: &Atoms, st: &State, out: &mut Vec<u64>) {
    out.clear();
    let at = |v: &Vec<u64>, i: Option<usize>| i.map_or(NONE, |i| v[i]);
    let (s0, s1, s2) = (st.s(0), st.s(1), st.s(2));
    let (b0, b1, b2) = (st.buffer(0), st.buffer(1), st.buffer(2));
    let (s0w, s0t, s1w, s1t, b0w, b0t, b1w, b1t) = (
        at(&a.word, s0),
        at(&a.tag, s0),
        at(&a.word, s1),
        at(&a.tag, s1),
        at(&a.word, b0),
        at(&a.tag, b0),
        at(&a.word, b1),
        at(&a.tag, b1),
    );
    let (s2t, b2t) = (at(&a.tag, s2), at(&a.tag, b2));
    let child = |x: Option<usize>, f: &dyn Fn(usize) -> Option<usize>| x.and_then(f);
    let s0lc = child(s0, &|x| st.lc[x][0]);
    let s0lc2 = child(s0, &|x| st.lc[x][1]);
    let s0rc = child(s0, &|x| st.rc[x][0]);
    let s0rc2 = child(s0, &|x| st.rc[x][1]);
    let s1lc = child(s1, &|x| st.lc[x][0]);
    let s1rc = child(s1, &|x| st.rc[x][0]);
    let s1rc2 = child(s1, &|x| st.rc[x][1]);
    let b0lc = child(b0, &|x| st.lc[x][0]);
    let b0lc2 = child(b0, &|x| st.lc[x][1]);
    let f = |t: u8| H::new(t);
    let mut push = |h: H| out.push(h.finish());
    push(f(0));
    // Single positions.
    push(f(1).num(s0w));
    push(f(2).num(s0t));
    push(f(3).num(s0w).num(s0t));
    push(f(4).num(s1w));
    push(f(5).num(s1t));
    push(f(6).num(s1w).num(s1t));
    push(f(7).num(b0w));
    push(f(8).num(b0t));
    push(f(9).num(b0w).num(b0t));
    push(f(10).num(b1w));
    push(f(11).num(b1t));
    push(f(12).num(b1w).num(b1t));
    push(f(13).num(b2t));
    push(f(14).num(s2t));
    push(f(15).num(at(&a.coarse, s0)));
    push(f(16).num(at(&a.coarse, b0)));
    push(f(17).num(at(&a.fine, s0)));
    push(f(18).num(at(&a.fine, b0)));
    push(f(19).num(at(&a.suffix, s0)).num(s0t));
    push(f(20).num(at(&a.suffix, b0)).num(b0t));
    // Pairs of s0 and b0, s1 and s0.
    push(f(21).num(s0w).num(s0t).num(b0w).num(b0t));
    push(f(22).num(s0w).num(s0t).num(b0w));
    push(f(23).num(s0w).num(b0w).num(b0t));
    push(f(24).num(s0w).num(s0t).num(b0t));
    push(f(25).num(s0t).num(b0w).num(b0t));
    push(f(26).num(s0w).num(b0w));
    push(f(27).num(s0t).num(b0t));
    push(f(28).num(b0t).num(b1t));
    push(f(29).num(s1t).num(s0t));
    push(f(30).num(s1w).num(s0w));
    push(f(31).num(s1t).num(s0w));
    push(f(32).num(s1w).num(s0t));
    push(f(33).num(at(&a.coarse, s0)).num(at(&a.coarse, b0)));
    push(f(34).num(at(&a.coarse, s1)).num(at(&a.coarse, s0)));
    push(f(35).num(at(&a.fine, s0)).num(b0t));
    push(f(36).num(s0t).num(at(&a.fine, b0)));
    // Triples of tags.
    push(f(37).num(b0t).num(b1t).num(b2t));
    push(f(38).num(s0t).num(b0t).num(b1t));
    push(f(39).num(s1t).num(s0t).num(b0t));
    push(f(40).num(s2t).num(s1t).num(s0t));
    push(f(41).num(s1t).num(s0t).num(b1t));
    // Distance and clause marks between s0 and b0.
    if let (Some(x), Some(y)) = (s0.filter(|&x| x != st.n), b0) {
        let d = distance(x, y);
        let marks = u64::from(a.marks_before[y] - a.marks_before[x]).min(3);
        push(f(42).num(s0w).num(d));
        push(f(43).num(s0t).num(d));
        push(f(44).num(b0w).num(d));
        push(f(45).num(b0t).num(d));
        push(f(46).num(s0t).num(b0t).num(d));
        push(f(47).num(s0t).num(b0t).num(marks));
    }
    if let (Some(x), Some(y)) = (s1.filter(|&x| x != st.n), s0.filter(|&x| x != st.n)) {
        push(f(48).num(s1t).num(s0t).num(distance(x, y)));
    }
    // Valency.
    let valency = |x: Option<usize>, right: bool| {
        x.map_or(99, |x| u64::from(if right { st.right_count[x] } else { st.left_count[x] }.min(4)))
    };
    push(f(49).num(s0w).num(valency(s0, true)));
    push(f(50).num(s0t).num(valency(s0, true)));
    push(f(51).num(s0w).num(valency(s0, false)));
    push(f(52).num(s0t).num(valency(s0, false)));
    push(f(53).num(s1t).num(valency(s1, true)));
    push(f(54).num(b0w).num(valency(b0, false)));
    push(f(55).num(b0t).num(valency(b0, false)));
    // Children.
    push(f(56).num(at(&a.tag, s0lc)));
    push(f(57).num(at(&a.tag, s0rc)));
    push(f(58).num(at(&a.tag, s1lc)));
    push(f(59).num(at(&a.tag, s1rc)));
    push(f(60).num(at(&a.tag, b0lc)));
    push(f(61).num(s0t).num(at(&a.tag, s0lc)).num(b0t));
    push(f(62).num(s0t).num(at(&a.tag, s0rc)).num(b0t));
    push(f(63).num(s0t).num(b0t).num(at(&a.tag, b0lc)));
    push(f(64).num(s1t).num(s0t).num(at(&a.tag, s0lc)));
    push(f(65).num(s1t).num(at(&a.tag, s1rc)).num(s0t));
    push(f(66).num(s0t).num(at(&a.tag, s0lc)).num(at(&a.tag, s0lc2)));
    push(f(67).num(s0t).num(at(&a.tag, s0rc)).num(at(&a.tag, s0rc2)));
    push(f(68).num(s1t).num(at(&a.tag, s1rc)).num(at(&a.tag, s1rc2)));
    push(f(69).num(b0t).num(at(&a.tag, b0lc)).num(at(&a.tag, b0lc2)));
    push(f(70).num(at(&a.word, s0lc)).num(s0t));
    push(f(71).num(at(&a.word, s0rc)).num(s0t));
    push(f(72).num(at(&a.word, b0lc)).num(b0t));
    push(f(73).num(s0w).num(at(&a.tag, s0rc)));
    push(f(74).num(b0w).num(at(&a.tag, b0lc)));
    // The stack is deep (a long sentence, a pending clause) or shallow.
    push(f(75).num((st.stack.len() as u64).min(6)).num(b0t));
    // Coarse tags, in the combinations that decide most attachments.
    let (s0c, s1c, b0c, b1c) =
        (at(&a.coarse_tag, s0), at(&a.coarse_tag, s1), at(&a.coarse_tag, b0), at(&a.coarse_tag, b1));
    push(f(76).num(s0c).num(b0c));
    push(f(77).num(s1c).num(s0c).num(b0c));
    push(f(78).num(s0c).num(b0c).num(b1c));
    push(f(79).num(s0w).num(b0c));
    push(f(80).num(s0c).num(b0w));
    push(f(81).num(s0c).num(at(&a.coarse_tag, s0lc)).num(at(&a.coarse_tag, s0rc)).num(b0c));
    push(f(82).num(b0w).num(b1w));
    push(f(83).num(s0w).num(b1c));
    // Provisional relations of the children found so far (Zhang & Nivre's label features):
    // a word that has its subject, its object, its determiner, …
    let lab = |x: Option<usize>| x.map_or(NONE, |x| st.label[x]);
    let kids = |x: Option<usize>| x.map_or(NONE, |x| st.child_labels[x]);
    push(f(84).num(lab(s0lc)));
    push(f(85).num(lab(s0rc)));
    push(f(86).num(lab(b0lc)));
    push(f(87).num(lab(s1rc)));
    push(f(88).num(s0t).num(lab(s0lc)).num(lab(s0lc2)));
    push(f(89).num(s0t).num(lab(s0rc)).num(lab(s0rc2)));
    push(f(90).num(b0t).num(lab(b0lc)).num(lab(b0lc2)));
    push(f(91).num(s0w).num(lab(s0rc)));
    push(f(92).num(b0w).num(lab(b0lc)));
    push(f(93).num(s1t).num(lab(s1rc)).num(s0t));
    push(f(94).num(s0t).num(kids(s0)).num(b0t));
    push(f(95).num(b0t).num(kids(b0)));
    push(f(96).num(s1t).num(kids(s1)).num(s0t));
    // What lies ahead of the buffer's first word: the next verb, how far, past how many commas.
    let nv = b0.and_then(|b| a.next_verb[b]);
    let nv_dist = match (b0, nv) {
        (Some(b), Some(v)) => distance(b, v),
        _ => 99,
    };
    let nv_marks = match (b0, nv) {
        (Some(b), Some(v)) => u64::from(a.marks_before[v] - a.marks_before[b]).min(2),
        _ => 99,
    };
    push(f(97).num(b0t).num(at(&a.tag, nv)).num(nv_dist));
    push(f(98).num(s0t).num(b0t).num(at(&a.coarse_tag, nv)).num(nv_marks));
    push(f(99).num(s0c).num(b0c).num(at(&a.tag, nv)));
    // The case marker of the buffer's first word with what it might attach to: "term as
    // judge", "met in Tehran".
    let case = at(&a.word, b0lc);
    push(f(130).num(case).num(s0w));
    push(f(131).num(case).num(s0t).num(s1t));
    push(f(132).num(case).num(b0w).num(s0t));
    // (Five more of Zhang & Nivre's (2011) templates — the third buffer word, both words with
    // their distance, the words with their children's relations — scored 0.1 UAS lower on
    // both dev sets and cost time: they are not here.)
}

/// Features of the arc from `dep`'s head (`None` or the root index: the root) to `dep`, as it
/// is made. `head_label` is the head's relation where known; at attachment time it never is
/// (NONE), and the slot stays because the models were trained with it.
fn label_features(a: &Atoms, st: &State, dep: usize, head_label: u64, out: &mut Vec<u64>) {
    out.clear();
    let n = a.word.len() - 1;
    let h = st.heads[dep].unwrap_or(n);
    let (dw, dt, hw, ht) = (a.word[dep], a.tag[dep], a.word[h], a.tag[h]);
    let dir_dist = if h == n { 0 } else { (u64::from(h < dep) << 3) | distance(h, dep) };
    let tag_at = |i: Option<usize>| i.map_or(NONE, |i| a.tag[i]);
    let kid_count = st.left_count[dep] + st.right_count[dep];
    let first_kid = st.first_kids[dep][0];
    let last_kid = st.last_kid[dep];
    let siblings = if h == n { 0 } else { u64::from(st.left_count[h] + st.right_count[h]) };
    let prev = dep.checked_sub(1);
    let next = (dep + 1 < n).then_some(dep + 1);
    let f = |t: u8| H::new(t);
    let mut push = |h: H| out.push(h.finish());
    push(f(100));
    push(f(101).num(dw));
    push(f(102).num(dt));
    push(f(103).num(dw).num(dt));
    push(f(104).num(hw));
    push(f(105).num(ht));
    push(f(106).num(hw).num(ht));
    push(f(107).num(dt).num(ht));
    push(f(108).num(dw).num(ht));
    push(f(109).num(dt).num(hw));
    push(f(110).num(dw).num(hw));
    push(f(111).num(dt).num(ht).num(dir_dist));
    push(f(112).num(dw).num(dir_dist));
    push(f(113).num(head_label));
    push(f(114).num(head_label).num(dt));
    push(f(115).num(head_label).num(dt).num(ht));
    push(f(116).num(dt).num(tag_at(first_kid)));
    push(f(117).num(dt).num(tag_at(last_kid)));
    push(f(118).num(dt).num(u64::from(kid_count).min(4)));
    push(f(119).num(dt).num(ht).num(siblings.min(5)));
    push(f(120).num(dt).num(tag_at(prev)));
    push(f(121).num(dt).num(tag_at(next)));
    push(f(122).num(a.suffix[dep]).num(dt));
    push(f(123).num(a.coarse[dep]).num(ht));
    push(f(124).num(a.fine[dep]));
    push(f(125).num(dt).num(ht).num(head_label).num(dir_dist));
    // A child that marks the relation: a case marker ("in", "by"), a copula, a mark.
    for k in st.first_kids[dep].into_iter().flatten() {
        push(f(126).num(dt).num(a.word[k]));
    }
    // Words between the head and the dependent that decide between relations: "by" in a
    // passive, a comma before an apposition.
    if h != n {
        let (lo, hi) = (h.min(dep), h.max(dep));
        push(f(127).num(dt).num(ht).num(u64::from(a.marks_before[hi] - a.marks_before[lo]).min(2)));
    }
    push(f(128).num(dw).num(ht).num(u64::from(h < dep)));
    // The relations already hanging on the head and on the dependent: a passive auxiliary on
    // the head makes its subject nsubj:pass, a subject already there makes the next nominal
    // no subject; a marker or a subject of the dependent's own makes it a clause.
    push(f(133).num(dt).num(ht).num(st.child_labels[h]).num(u64::from(h < dep)));
    push(f(134).num(dt).num(st.child_labels[dep]));
    push(f(135).num(ht).num(dt).num(first_kid.map_or(NONE, |k| a.word[k])));
}

fn read_models(bytes: &[u8]) -> Result<(Model, Model), String> {
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut raw).map_err(|e| format!("not a parser model (gzip: {e})"))?;
    if raw.get(..8) != Some(MAGIC) && raw.get(..8) != Some(MAGIC_V2) {
        return Err("not a dateline parser model (bad magic)".into());
    }
    let mut at = 8;
    let mut part = || -> Result<&[u8], String> {
        let len = raw.get(at..at + 8).ok_or("parser model is truncated")?;
        let len = u64::from_le_bytes(len.try_into().expect("8 bytes")) as usize;
        let out = raw.get(at + 8..at + 8 + len).ok_or("parser model is truncated")?;
        at += 8 + len;
        Ok(out)
    };
    let t = Model::from_bytes(part()?)?;
    let r = Model::from_bytes(part()?)?;
    Ok((t, r))
}

impl Parser {
    pub fn from_bytes(bytes: &[u8]) -> Result<Parser, String> {
        let (transitions, relations) = read_models(bytes)?;
        if transitions.classes != TRANSITIONS {
            return Err("parser model has unknown transitions".into());
        }
        Ok(Parser { transitions, relations })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = MAGIC.to_vec();
        for m in [&self.transitions, &self.relations] {
            let b = m.to_bytes();
            raw.extend_from_slice(&(b.len() as u64).to_le_bytes());
            raw.extend_from_slice(&b);
        }
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&raw).expect("writing to memory");
        z.finish().expect("writing to memory")
    }

    /// The mean of parsers trained on the same data with different seeds (see
    /// [`Model::average`]): one parser that depends less on the order of training.
    pub fn average(parsers: Vec<Parser>) -> Parser {
        let t: Vec<Model> = parsers.iter().map(|p| p.transitions.clone()).collect();
        let r: Vec<Model> = parsers.iter().map(|p| p.relations.clone()).collect();
        Parser { transitions: Model::average(&t), relations: Model::average(&r) }
    }

    /// The same parser without weights below `min_weight` in magnitude.
    pub fn pruned(&self, min_weight: f32) -> Parser {
        Parser { transitions: self.transitions.pruned(min_weight), relations: self.relations.pruned(min_weight) }
    }

    /// The relations this parser can give.
    pub fn relations(&self) -> &[String] {
        &self.relations.classes
    }

    /// Parses one sentence given its words and Treebank tags, with a second hypothesis where
    /// the model hesitates ([`Search::Beam`]).
    pub fn parse<'m>(&'m self, words: &[&str], tags: &[&str]) -> Parse<'m> {
        self.parse_with(words, tags, Search::Beam)
    }

    /// Parses one sentence with the given search.
    pub fn parse_with<'m>(&'m self, words: &[&str], tags: &[&str], search: Search) -> Parse<'m> {
        let n = words.len();
        if n == 0 {
            return Parse { heads: Vec::new(), deprels: Vec::new() };
        }
        let atoms = Atoms::new(words, tags);
        let st = match search {
            Search::Greedy => self.greedy(&atoms, n),
            Search::Beam => self.beam(&atoms, n),
        };
        let mut heads: Vec<Option<usize>> = st.heads[..n].iter().map(|h| h.filter(|&h| h != n)).collect();
        let mut deprels: Vec<&str> = (0..n)
            .map(|i| match (heads[i], st.label[i]) {
                (None, _) => "root",
                (Some(_), l) => self.relations.classes[l as usize - 1].as_str(),
            })
            .collect();
        if deprels.iter().any(|r| r.contains(projective::LIFT_MARK)) {
            projective::lower(&mut heads, &mut deprels);
        }
        Parse { heads, deprels }
    }

    /// The best-scoring legal transition at each step.
    fn greedy(&self, atoms: &Atoms, n: usize) -> State {
        let mut st = State::new(n);
        let mut feats = Vec::with_capacity(100);
        let mut scores = Vec::with_capacity(3);
        while !st.done() {
            transition_features(atoms, &st, &mut feats);
            self.transitions.score(&feats, &mut scores);
            let t =
                (0..3).filter(|&t| st.legal(t)).max_by(|&x, &y| scores[x].total_cmp(&scores[y])).expect("a legal move");
            self.advance(atoms, &mut st, t, &mut feats, &mut scores);
        }
        st
    }

    /// A second hypothesis kept while it scores within [`BEAM_MARGIN`] of the best.
    fn beam(&self, atoms: &Atoms, n: usize) -> State {
        let mut feats = Vec::with_capacity(100);
        let mut scores = Vec::with_capacity(3);
        let mut beam = vec![Hypothesis { score: 0.0, state: State::new(n) }];
        // (score, hypothesis, transition), best first.
        let mut next: Vec<(f32, usize, usize)> = Vec::with_capacity(6);
        // Every hypothesis makes 2n transitions: all are done at once.
        while !beam[0].state.done() {
            next.clear();
            for (i, h) in beam.iter().enumerate() {
                transition_features(atoms, &h.state, &mut feats);
                self.transitions.score(&feats, &mut scores);
                let legal = |t: &usize| h.state.legal(*t);
                let top = (0..3).filter(legal).map(|t| scores[t]).fold(f32::NEG_INFINITY, f32::max);
                let sum: f32 = (0..3).filter(legal).map(|t| ((scores[t] - top) / BEAM_TEMPERATURE).exp()).sum();
                let log_sum = top / BEAM_TEMPERATURE + sum.ln();
                next.extend((0..3).filter(legal).map(|t| (h.score + scores[t] / BEAM_TEMPERATURE - log_sum, i, t)));
            }
            next.sort_by(|a, b| b.0.total_cmp(&a.0));
            let (best, bi, bt) = next[0];
            let second = next.get(1).copied().filter(|s| s.0 >= best - BEAM_MARGIN);
            let mut parents = [None, None];
            for (k, h) in beam.drain(..).enumerate() {
                parents[k] = Some(h.state);
            }
            // The second hypothesis copies its parent when both grow from the same one.
            let second = second.map(|(score, i, t)| {
                let state = if i == bi { parents[i].clone() } else { parents[i].take() };
                (score, state.expect("a parent in the beam"), t)
            });
            let mut first = parents[bi].take().expect("a parent in the beam");
            self.advance(atoms, &mut first, bt, &mut feats, &mut scores);
            beam.push(Hypothesis { score: best, state: first });
            if let Some((score, mut state, t)) = second {
                self.advance(atoms, &mut state, t, &mut feats, &mut scores);
                // A second that will score as the first from here on can never overtake it.
                if !state.same_future(&beam[0].state) {
                    beam.push(Hypothesis { score, state });
                }
            }
        }
        beam.swap_remove(0).state
    }

    /// Applies a transition and gives the arc it makes, if any, its relation.
    fn advance(&self, atoms: &Atoms, st: &mut State, t: usize, feats: &mut Vec<u64>, scores: &mut Vec<f32>) {
        let n = st.n;
        if let Some((_, dep)) = st.apply(t) {
            label_features(atoms, st, dep, NONE, feats);
            self.relations.score(feats, scores);
            // "root" belongs to the root's child alone.
            let mut best = argmax(scores);
            if self.relations.classes[best] == "root" && st.heads[dep] != Some(n) {
                scores[best] = f32::NEG_INFINITY;
                best = argmax(scores);
            }
            st.set_label(dep, best);
        }
    }

    /// Averaged weights below `min_weight` in magnitude are dropped: rare features that barely
    /// vote, most of a model's size.
    pub fn train(
        trees: &[Tree],
        tags: &[Vec<String>],
        iterations: usize,
        seed: u64,
        min_weight: f32,
        progress: &mut dyn Progress,
    ) -> Parser {
        let trees = &projectivized(trees);
        let mut relations: Vec<String> = trees.iter().flat_map(|t| t.deprels.iter().cloned()).collect();
        relations.sort();
        relations.dedup();
        let mut transitions = Trainer::new(TRANSITIONS.iter().map(|s| s.to_string()).collect());
        let mut labeller = Trainer::new(relations.clone());
        let mut rng = Rng::new(seed);
        let mut order: Vec<usize> = (0..trees.len()).collect();
        let mut feats = Vec::with_capacity(80);
        let mut scores = Vec::new();
        for epoch in 0..iterations {
            progress.epoch(epoch + 1, iterations);
            rng.shuffle(&mut order);
            let (mut right, mut total) = (0usize, 0usize);
            for (k, &ti) in order.iter().enumerate() {
                let tree = &trees[ti];
                let n = tree.len();
                let words: Vec<&str> = tree.words.iter().map(String::as_str).collect();
                let tag_refs: Vec<&str> = tags[ti].iter().map(String::as_str).collect();
                let atoms = Atoms::new(&words, &tag_refs);
                let gold: Vec<usize> = tree.heads.iter().map(|&h| if h == 0 { n } else { h - 1 }).collect();
                let mut st = State::new(n);
                while !st.done() {
                    transition_features(&atoms, &st, &mut feats);
                    transitions.score(&feats, &mut scores);
                    let legal: Vec<usize> = (0..3).filter(|&t| st.legal(t)).collect();
                    let costs: Vec<usize> = legal.iter().map(|&t| st.cost(t, &gold)).collect();
                    let min_cost = *costs.iter().min().expect("a legal move");
                    let best = |set: &mut dyn Iterator<Item = usize>| {
                        set.max_by(|&x, &y| scores[x].total_cmp(&scores[y])).expect("non-empty")
                    };
                    let guess = best(&mut legal.iter().copied());
                    let truth = best(&mut legal.iter().zip(&costs).filter(|(_, &c)| c == min_cost).map(|(&t, _)| t));
                    transitions.update(&feats, truth, guess);
                    let follow = if guess != truth && epoch > 0 && (rng.next_u64() % 1000) as f64 / 1000.0 < EXPLORE {
                        guess
                    } else {
                        truth
                    };
                    if let Some((head, dep)) = st.apply(follow) {
                        label_features(&atoms, &st, dep, NONE, &mut feats);
                        labeller.score(&feats, &mut scores);
                        let guess = argmax(&scores);
                        // Relations are learnt on correct arcs only; a wrong arc has none.
                        if gold[dep] == head {
                            let truth = relations.binary_search(&tree.deprels[dep]).expect("relation from the data");
                            labeller.update(&feats, truth, guess);
                            right += usize::from(guess == truth);
                            total += 1;
                        }
                        st.set_label(dep, guess);
                    }
                }
                if k % 256 == 0 {
                    progress.step(k, trees.len());
                }
            }
            progress.report(&format!(
                "epoch {}: relations right on correct arcs {:.2}%",
                epoch + 1,
                100.0 * right as f64 / total.max(1) as f64
            ));
        }
        Parser { transitions: transitions.finish(min_weight), relations: labeller.finish(min_weight) }
    }
}

/// The trees with their crossing arcs lifted, and the frequent lifts encoded in the relations.
fn projectivized(trees: &[Tree]) -> Vec<Tree> {
    let lifted: Vec<(Vec<usize>, Vec<Option<String>>)> =
        trees.iter().map(|t| projective::lift(&t.heads, &t.deprels)).collect();
    let mut pairs: HashMap<(String, String), usize> = HashMap::new();
    for (t, (_, lost)) in trees.iter().zip(&lifted) {
        for (rel, lost) in t.deprels.iter().zip(lost) {
            if let Some(h) = lost {
                *pairs.entry((rel.clone(), h.clone())).or_default() += 1;
            }
        }
    }
    pairs.retain(|_, n| *n >= MIN_LIFTS);
    trees
        .iter()
        .zip(lifted)
        .map(|(t, (heads, lost))| Tree { deprels: projective::encode(&t.deprels, &lost, &pairs), heads, ..t.clone() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A gold tree followed by the zero-cost transitions is rebuilt exactly.
    #[test]
    fn the_oracle_rebuilds_projective_trees() {
        // "Ferries from Oslo ran again ." : heads (1-based) 4 3 1 0 4 4.
        let gold_file = [4usize, 3, 1, 0, 4, 4];
        let n = gold_file.len();
        let gold: Vec<usize> = gold_file.iter().map(|&h| if h == 0 { n } else { h - 1 }).collect();
        let mut st = State::new(n);
        while !st.done() {
            let t = (0..3).find(|&t| st.legal(t) && st.cost(t, &gold) == 0).expect("a zero-cost move");
            st.apply(t);
        }
        let got: Vec<usize> = st.heads[..n].iter().map(|h| h.unwrap()).collect();
        assert_eq!(got, gold);
    }

    #[test]
    fn learns_a_toy_treebank_and_round_trips() {
        let tree = |words: &[&str], tags: &[&str], heads: &[usize], rels: &[&str]| Tree {
            words: words.iter().map(|s| s.to_string()).collect(),
            upos: tags.iter().map(|s| s.to_string()).collect(),
            xpos: tags.iter().map(|s| s.to_string()).collect(),
            lemmas: words.iter().map(|s| s.to_lowercase()).collect(),
            heads: heads.to_vec(),
            deprels: rels.iter().map(|s| s.to_string()).collect(),
            line: 1,
        };
        let trees = vec![
            tree(
                &["Crews", "ran", "ferries", "."],
                &["NNS", "VBD", "NNS", "."],
                &[2, 0, 2, 2],
                &["nsubj", "root", "obj", "punct"],
            ),
            tree(
                &["Pilots", "met", "mayors", "."],
                &["NNS", "VBD", "NNS", "."],
                &[2, 0, 2, 2],
                &["nsubj", "root", "obj", "punct"],
            ),
            tree(&["Mayors", "left", "."], &["NNS", "VBD", "."], &[2, 0, 2], &["nsubj", "root", "punct"]),
        ];
        let tags: Vec<Vec<String>> = trees.iter().map(|t| t.xpos.clone()).collect();
        let parser = Parser::train(&trees, &tags, 10, 1, 0.0, &mut dateline_nlp::tagger::Quiet);
        let parser = Parser::from_bytes(&parser.to_bytes()).unwrap();
        for search in [Search::Greedy, Search::Beam] {
            let p = parser.parse_with(&["Crews", "met", "pilots", "."], &["NNS", "VBD", "NNS", "."], search);
            assert_eq!(p.heads, [Some(1), None, Some(1), Some(1)], "{search:?}");
            assert_eq!(p.deprels, ["nsubj", "root", "obj", "punct"], "{search:?}");
        }
    }

    #[test]
    fn states_differing_only_inside_finished_subtrees_have_one_future() {
        // Word 3 on the stack over the root, the buffer at 4; 1 and 2 hang on 3.
        let with = |arcs: &[(usize, usize)]| {
            let mut st = State::new(6);
            st.stack = vec![6, 3];
            st.b = 4;
            for &(head, dep) in arcs {
                st.attach(head, dep);
            }
            st
        };
        // Whether 0 hangs on 1 or on 2, no feature left to compute reads it.
        let a = with(&[(1, 0), (3, 1), (3, 2)]);
        let b = with(&[(2, 0), (3, 1), (3, 2)]);
        assert!(a.same_future(&b));
        // Whether 1 hangs on 3 or on 2, 3's dependents differ.
        let c = with(&[(1, 0), (2, 1), (3, 2)]);
        assert!(!a.same_future(&c));
    }

    /// The labeller reads a word's first three dependents in order and its last, whatever
    /// order they were attached in.
    #[test]
    fn a_state_keeps_the_first_three_dependents_in_order() {
        let mut st = State::new(8);
        for dep in [6, 2, 7, 0, 1] {
            st.attach(3, dep);
        }
        assert_eq!(st.first_kids[3], [Some(0), Some(1), Some(2)]);
        assert_eq!(st.last_kid[3], Some(7));
        assert_eq!(st.left_count[3] + st.right_count[3], 5);
    }

    /// Every word of a beam's parse has one head, and exactly one hangs from the root, on
    /// sentences the model never saw, long and short.
    #[test]
    fn the_beam_gives_trees() {
        let Some(parser) = crate::builtin_parser() else { return };
        let sentences: [&[(&str, &str)]; 2] = [
            &[("Talks", "NNS"), ("resumed", "VBD"), (".", ".")],
            &[
                ("The", "DT"),
                ("ferry", "NN"),
                ("operator", "NN"),
                (",", ","),
                ("which", "WDT"),
                ("lost", "VBD"),
                ("two", "CD"),
                ("boats", "NNS"),
                ("in", "IN"),
                ("March", "NNP"),
                (",", ","),
                ("said", "VBD"),
                ("it", "PRP"),
                ("would", "MD"),
                ("sail", "VB"),
                ("again", "RB"),
                ("by", "IN"),
                ("June", "NNP"),
                (".", "."),
            ],
        ];
        for sentence in sentences {
            let (words, tags): (Vec<&str>, Vec<&str>) = sentence.iter().copied().unzip();
            let p = parser.parse_with(&words, &tags, Search::Beam);
            assert_eq!(p.heads.len(), words.len());
            assert_eq!(p.heads.iter().filter(|h| h.is_none()).count(), 1, "{words:?}");
            for (i, h) in p.heads.iter().enumerate() {
                // Following heads from any word reaches the root without a cycle.
                let (mut at, mut steps) = (Some(i), 0);
                while let Some(x) = at {
                    at = p.heads[x];
                    steps += 1;
                    assert!(steps <= words.len(), "a cycle through word {i} in {words:?}");
                }
                assert!(h.is_none_or(|h| h < words.len()));
            }
        }
    }
}
