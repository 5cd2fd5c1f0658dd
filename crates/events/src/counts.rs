//! How many were killed, injured, arrested or displaced, as the text counts them, read off the
//! parse: the numbers on the people a casualty word is said of ("the deaths of five
//! Palestinians"; "left five police officers and two soldiers injured" → 7).

use dateline_model::{CountKind, Document, EventCount, Span};

fn kind_of(lemma: &str) -> Option<CountKind> {
    Some(match lemma {
        "kill" | "killed" | "dead" | "die" | "death" | "deaths" | "killing" | "fatality" | "fatalities" => {
            CountKind::Killed
        }
        "injure" | "injured" | "wound" | "wounded" | "hurt" | "injury" | "injuries" => CountKind::Injured,
        "arrest" | "arrested" | "detain" | "detained" | "arrests" => CountKind::Arrested,
        "displace" | "displaced" => CountKind::Displaced,
        _ => return None,
    })
}

/// Whether a word names a casualty ("killed", "injured", "deaths", "detained").
pub fn is_casualty_word(lemma: &str) -> bool {
    kind_of(lemma).is_some()
}

/// A number written in digits or in words up to the tens.
pub fn number(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    if let Ok(n) = w.replace(',', "").parse::<u32>() {
        return Some(n);
    }
    const WORDS: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    if let Some(n) = WORDS.iter().position(|x| *x == w) {
        return Some(n as u32);
    }
    const TENS: [(&str, u32); 7] =
        [("thirty", 30), ("forty", 40), ("fifty", 50), ("sixty", 60), ("seventy", 70), ("eighty", 80), ("ninety", 90)];
    TENS.iter().find(|(t, _)| *t == w).map(|&(_, n)| n)
}

/// The counts stated within `tokens` (a clause's tokens), at most one per kind.
pub fn counts(doc: &Document, kids: &[Vec<usize>], tokens: &[usize]) -> Vec<EventCount> {
    let deprel = |i: usize| doc.tokens[i].deprel.as_deref().unwrap_or("");
    let word = |i: usize| doc.slice(doc.tokens[i].span);
    let lemma = |i: usize| doc.tokens[i].lemma.clone().unwrap_or_else(|| word(i).to_lowercase()).to_lowercase();
    let mut out: Vec<EventCount> = Vec::new();
    for &t in tokens {
        let Some(kind) = kind_of(&lemma(t)).or_else(|| kind_of(&word(t).to_lowercase())) else { continue };
        if out.iter().any(|c| c.kind == kind) {
            continue;
        }
        // The people the word is said of.
        let mut people: Vec<usize> = kids[t]
            .iter()
            .copied()
            .filter(|&k| matches!(deprel(k), "nsubj" | "nsubj:pass" | "obj" | "nmod" | "obl"))
            .collect();
        if let Some(h) = doc.tokens[t].head {
            match deprel(t) {
                "amod" | "acl" | "conj" => people.push(h),
                // "left five … injured": the object of the verb it completes.
                "xcomp" => people.extend(kids[h].iter().copied().filter(|&k| deprel(k) == "obj")),
                _ => {}
            }
        }
        let mut total = 0u32;
        let mut cover: Option<Span> = None;
        for mut p in people {
            // From any conjunct to the first, so "three officers and two soldiers injured"
            // counts both.
            let mut hops = 0;
            while deprel(p) == "conj" && hops < 16 {
                match doc.tokens[p].head {
                    Some(h) => p = h,
                    None => break,
                }
                hops += 1;
            }
            for x in crate::conjuncts(doc, kids, p) {
                let n = number(word(x)).or_else(|| {
                    kids[x].iter().copied().filter(|&k| deprel(k) == "nummod").find_map(|k| number(word(k)))
                });
                if let Some(n) = n {
                    total = total.saturating_add(n);
                    let s = doc.tokens[x].span;
                    cover = Some(cover.map_or(s, |c| c.cover(s)));
                    for &k in &kids[x] {
                        cover = cover.map(|c| c.cover(doc.tokens[k].span));
                    }
                }
            }
        }
        if let Some(c) = cover {
            out.push(EventCount { kind, count: total, span: c.cover(doc.tokens[t].span) });
        }
    }
    out
}
