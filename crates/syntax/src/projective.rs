//! Pseudo-projective parsing (Nivre & Nilsson 2005, their "head" encoding): non-projective
//! trees are lifted to projective ones for training, and the lifts are undone after parsing.
//!
//! Arc-hybrid transitions build projective trees only, and the dynamic oracle's costs are exact
//! only for projective gold trees. So before training, each crossing arc is lifted (its
//! dependent re-attached to its head's head, the shortest crossing arc first, until none
//! crosses), and the dependent's relation records the relation of the head it lost:
//! `obj||xcomp` is an object whose real head is an `xcomp` somewhere below its new head. After
//! parsing, [`lower`] moves each such dependent back down, to the first word with that relation
//! in a breadth-first walk of its head's other descendants. In UD English about 0.2 % of arcs
//! cross; the encoding keeps only the frequent (relation, head relation) pairs, so the parser's
//! label set grows by a few classes, not by their product.

use std::collections::{HashMap, VecDeque};

/// Separates a lifted dependent's own relation from its lost head's.
pub const LIFT_MARK: &str = "||";

/// Whether the arc into `dep` (heads 1-based, 0 the root; `dep` 1-based) is projective: every
/// word between head and dependent descends from the head.
fn is_projective(heads: &[usize], dep: usize) -> bool {
    let h = heads[dep - 1];
    if h == 0 {
        return true;
    }
    let (lo, hi) = (h.min(dep), h.max(dep));
    (lo + 1..hi).all(|mut k| {
        // Climb from k; a tree reaches the root within its size.
        for _ in 0..=heads.len() {
            if k == h {
                return true;
            }
            if k == 0 {
                return false;
            }
            k = heads[k - 1];
        }
        false
    })
}

/// Lifts the crossing arcs of a tree (heads 1-based per CoNLL-U, 0 the root); returns the
/// projective heads and, for each lifted dependent, the relation of the head it lost.
pub fn lift(heads: &[usize], deprels: &[String]) -> (Vec<usize>, Vec<Option<String>>) {
    let mut heads = heads.to_vec();
    let mut lost: Vec<Option<String>> = vec![None; heads.len()];
    // Each lift shortens an arc, so this ends; the bound guards against damaged input.
    for _ in 0..heads.len() * heads.len() + 1 {
        let crossing =
            (1..=heads.len()).filter(|&d| !is_projective(&heads, d)).min_by_key(|&d| (heads[d - 1].abs_diff(d), d));
        let Some(d) = crossing else { break };
        let h = heads[d - 1];
        if lost[d - 1].is_none() {
            lost[d - 1] = Some(deprels[h - 1].clone());
        }
        heads[d - 1] = heads[h - 1];
    }
    (heads, lost)
}

/// The encoded relations for training: `rel||headrel` for lifted dependents whose pair is in
/// `kept`, the plain relation otherwise.
pub fn encode(deprels: &[String], lost: &[Option<String>], kept: &HashMap<(String, String), usize>) -> Vec<String> {
    deprels
        .iter()
        .zip(lost)
        .map(|(rel, lost)| match lost {
            Some(h) if kept.contains_key(&(rel.clone(), h.clone())) => format!("{rel}{LIFT_MARK}{h}"),
            _ => rel.clone(),
        })
        .collect()
}

/// Undoes the lifts of a parse: heads 0-based (`None` for the root), relations as the parser
/// gave them. Each `rel||headrel` dependent moves to the first word labelled `headrel` found
/// breadth-first among its head's descendants (outside its own subtree), left to right; with
/// none, it stays. Relations come back plain.
pub fn lower(heads: &mut [Option<usize>], deprels: &mut [&str]) {
    let n = heads.len();
    for d in 0..n {
        let Some((rel, wanted)) = deprels[d].split_once(LIFT_MARK) else { continue };
        deprels[d] = rel;
        let Some(h) = heads[d] else { continue };
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (k, head) in heads.iter().enumerate() {
            if let Some(x) = *head {
                children[x].push(k);
            }
        }
        let mut queue: VecDeque<usize> = children[h].iter().copied().filter(|&c| c != d).collect();
        let mut found = None;
        while let Some(k) = queue.pop_front() {
            let base = deprels[k].split_once(LIFT_MARK).map_or(deprels[k], |(r, _)| r);
            if base == wanted {
                found = Some(k);
                break;
            }
            queue.extend(children[k].iter().copied().filter(|&c| c != d));
        }
        if let Some(k) = found {
            heads[d] = Some(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    /// "A hearing is set today on the appeal": "on the appeal" (nmod of "hearing") crosses
    /// the arc into "set"'s dependents.
    #[test]
    fn a_crossing_arc_is_lifted_and_lowered_back() {
        // A(1) hearing(2) is(3) set(4) today(5) on(6) the(7) appeal(8)
        let heads = [2, 4, 4, 0, 4, 8, 8, 2];
        let rels = strings(&["det", "nsubj:pass", "aux:pass", "root", "obl:tmod", "case", "det", "nmod"]);
        let (lifted, lost) = lift(&heads, &rels);
        assert_eq!(lifted, [2, 4, 4, 0, 4, 8, 8, 4]);
        assert_eq!(lost[7].as_deref(), Some("nsubj:pass"));
        assert!((1..=8).all(|d| is_projective(&lifted, d)));
        let kept: HashMap<(String, String), usize> = [(("nmod".to_string(), "nsubj:pass".to_string()), 1)].into();
        let encoded = encode(&rels, &lost, &kept);
        assert_eq!(encoded[7], "nmod||nsubj:pass");
        let mut parsed: Vec<Option<usize>> = lifted.iter().map(|&h| h.checked_sub(1)).collect();
        let mut labels: Vec<&str> = encoded.iter().map(String::as_str).collect();
        lower(&mut parsed, &mut labels);
        assert_eq!(parsed, heads.iter().map(|&h| h.checked_sub(1)).collect::<Vec<_>>());
        assert_eq!(labels[7], "nmod");
    }

    #[test]
    fn projective_trees_are_untouched() {
        let heads = [2, 0, 2];
        let rels = strings(&["nsubj", "root", "obj"]);
        let (lifted, lost) = lift(&heads, &rels);
        assert_eq!(lifted, heads);
        assert!(lost.iter().all(Option::is_none));
    }
}
