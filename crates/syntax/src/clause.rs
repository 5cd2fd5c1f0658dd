//! Clauses read off the parse: what later stages (quotes, events) ask of a sentence.
//!
//! For each predicate (a verb, or a noun or adjective with a copula), its subjects, objects and
//! obliques (with their case markers: "with Raisi", "in Tehran"), whether it is passive or
//! negated, its modal and future markers ("will", "could", "is scheduled to", "plans to"), and
//! the clause it governs when it reports speech ("said that …"). Coordinated arguments are
//! expanded ("met Raisi and Khamenei" → two objects), and a conjoined predicate without a
//! subject of its own takes its first conjunct's ("arrived and met …").
//!
//! Everything here is token indices into the document; nothing is copied.

use dateline_model::Document;

/// An argument of a predicate: its head token and, for obliques, the preposition that marks
/// it ("with", "in", "into"), if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Argument {
    pub head: usize,
    pub case: Option<usize>,
    /// The common noun that describes a name, where the parse hung the two on the predicate
    /// side by side ("[militant groups] [Hamas] and [Islamic Jihad] met"): the head of the
    /// description, which is then no argument of its own.
    pub descriptor: Option<usize>,
}

impl Argument {
    fn new(head: usize, case: Option<usize>) -> Self {
        Argument { head, case, descriptor: None }
    }
}

/// What the grammar says of a predicate's reality: stated, negated, or modalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modality {
    /// "will", "is scheduled to", "plans to", "is expected to", "wants to": said to happen
    /// later, or meant to.
    Future,
    /// "could", "may", "might", "would", "should", "must", "can".
    Possible,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The predicate's token: the verb, or the noun or adjective of a copular clause.
    pub predicate: usize,
    pub subjects: Vec<Argument>,
    pub objects: Vec<Argument>,
    pub obliques: Vec<Argument>,
    /// Tokens of auxiliaries and modals ("will", "has", "could", "is").
    pub auxiliaries: Vec<usize>,
    pub passive: bool,
    /// A negation word attached to the predicate ("not", "never", "n't") or a verb of refusal
    /// over it ("refrains from recognizing").
    pub negated: bool,
    pub modality: Option<Modality>,
    /// The subject commits itself to the act: "will", "agreed to", "offered to", "is ready
    /// to". A promise, not a schedule: "is scheduled to", "is expected to" are said of the
    /// subject by others and are planned without being committed.
    pub committed: bool,
    /// For a predicate of promise ("agreed", "offered", "is willing"), the predicate of what
    /// it promises ("agreed [to send]").
    pub promise: Option<usize>,
    /// A clause governed by this predicate as reported speech or thought ("said [that …]"):
    /// its predicate's token.
    pub reported: Option<usize>,
}

const REPORTING: &[&str] = &[
    "say", "tell", "add", "claim", "state", "announce", "report", "confirm", "deny", "insist", "warn", "note",
    "stress", "assert", "argue", "explain", "write", "convey", "inform", "declare", "believe", "think",
];
const FUTURE_FRAMES: &[&str] = &[
    "schedule", "plan", "expect", "intend", "set", "due", "aim", "hope", "prepare", "want", "wish", "seek", "try",
    "attempt",
];
/// Verbs whose open complement is an act not done ("refrains from recognizing"); refusing
/// is one of them, and an act of its own besides (see [`is_rejection`]).
const REFUSAL: &[&str] = &["refrain", "fail", "avoid"];

/// Verbs that reject their complement's act, an act of their own ("refused to meet").
pub fn is_rejection(lemma: &str) -> bool {
    matches!(lemma, "refuse" | "decline")
}

fn is_refusal(lemma: &str) -> bool {
    REFUSAL.contains(&lemma) || is_rejection(lemma)
}
/// Verbs whose act is itself a promise, whatever follows them ("agreed on a pact", "vowed
/// revenge").
pub fn is_promise(lemma: &str) -> bool {
    matches!(lemma, "agree" | "offer" | "promise" | "pledge" | "vow" | "swear" | "consent" | "undertake")
}

/// Predicates whose open complement is the subject's own promise: the promise verbs, and
/// those that say nothing by themselves ("decided to send", "is willing to meet").
fn commits_to_complement(lemma: &str) -> bool {
    is_promise(lemma) || matches!(lemma, "commit" | "decide" | "volunteer" | "ready" | "willing" | "prepared")
}

/// The token range `[a, b)` of the sentence holding token `i`, by binary search (later stages
/// ask this for many tokens of long documents).
pub fn sentence_of(doc: &Document, i: usize) -> (usize, usize) {
    dateline_nlp::sentence_range_of(doc, i)
}

fn deprel(doc: &Document, i: usize) -> &str {
    doc.tokens[i].deprel.as_deref().unwrap_or("")
}

fn lemma(doc: &Document, i: usize) -> String {
    doc.tokens[i]
        .lemma
        .clone()
        .unwrap_or_else(|| doc.text[doc.tokens[i].span.start..doc.tokens[i].span.end].to_lowercase())
}

/// The dependents of every token of the document, in order, by document index: what stages
/// that walk phrases build once per document.
pub fn dependents(doc: &Document) -> Vec<Vec<usize>> {
    let mut kids = vec![Vec::new(); doc.tokens.len()];
    for (k, t) in doc.tokens.iter().enumerate() {
        if let Some(h) = t.head.filter(|&h| h < kids.len()) {
            kids[h].push(k);
        }
    }
    kids
}

/// The dependents of each token of `a..b`, by document index.
fn children(doc: &Document, a: usize, b: usize) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); b - a];
    for i in a..b {
        if let Some(h) = doc.tokens[i].head.filter(|h| (a..b).contains(h)) {
            out[h - a].push(i);
        }
    }
    out
}

/// `head` and the words conjoined to it ("Raisi and Khamenei").
fn with_conjuncts(doc: &Document, kids: &[Vec<usize>], a: usize, head: usize) -> Vec<usize> {
    let mut out = vec![head];
    let mut i = 0;
    while i < out.len() && out.len() < 64 {
        let x = out[i];
        out.extend(kids[x - a].iter().copied().filter(|&c| deprel(doc, c) == "conj" && !is_predicate_like(doc, c)));
        i += 1;
    }
    out
}

/// The past participle with a direct object that hangs on noun `n` as its modifier, if any:
/// a participle modifying a noun takes no direct object, so this is a misread finite verb
/// ("Tanks fired shells, witnesses said" with "fired" tagged as a participle).
fn misread_participle(doc: &Document, kids: &[Vec<usize>], a: usize, n: usize) -> Option<usize> {
    kids[n - a].iter().copied().find(|&m| {
        m > n
            && deprel(doc, m) == "acl"
            && doc.tokens[m].pos.as_deref() == Some("VBN")
            && kids[m - a].iter().any(|&o| deprel(doc, o) == "obj")
            && !kids[m - a].iter().any(|&o| matches!(deprel(doc, o), "nsubj" | "nsubj:pass" | "aux" | "aux:pass"))
    })
}

/// A conjunct that is itself a clause ("arrived and met") is a predicate, not an argument.
fn is_predicate_like(doc: &Document, i: usize) -> bool {
    doc.tokens[i].pos.as_deref().is_some_and(|p| p.starts_with("VB"))
}

fn is_clause_relation(r: &str) -> bool {
    matches!(
        r.split(':').next().unwrap_or(""),
        "root" | "ccomp" | "xcomp" | "advcl" | "acl" | "parataxis" | "csubj" | "conj"
    )
}

/// Every clause of the sentence holding token `any`, in text order.
pub fn clauses(doc: &Document, any: usize) -> Vec<Clause> {
    let (a, b) = sentence_of(doc, any);
    let kids = children(doc, a, b);
    let mut out: Vec<Clause> = Vec::new();
    for p in a..b {
        let rel = deprel(doc, p);
        let verb = is_predicate_like(doc, p);
        let copular = kids[p - a].iter().any(|&c| deprel(doc, c) == "cop");
        if !(is_clause_relation(rel) && (verb || copular)) || matches!(rel, "aux" | "cop") {
            continue;
        }
        // A conjunct that is a noun ("Raisi and Khamenei") is an argument, not a clause.
        if rel == "conj" && !verb && !copular {
            continue;
        }
        let mut c = Clause {
            predicate: p,
            subjects: Vec::new(),
            objects: Vec::new(),
            obliques: Vec::new(),
            auxiliaries: Vec::new(),
            passive: false,
            negated: false,
            modality: None,
            committed: false,
            promise: None,
            reported: None,
        };
        for &k in &kids[p - a] {
            let r = deprel(doc, k);
            let base = r.split(':').next().unwrap_or("");
            let case = || kids[k - a].iter().copied().find(|&m| matches!(deprel(doc, m), "case" | "mark"));
            match base {
                "nsubj" | "csubj" => {
                    c.passive |= r.ends_with(":pass");
                    c.subjects.extend(with_conjuncts(doc, &kids, a, k).into_iter().map(|h| Argument::new(h, None)));
                }
                "obj" | "iobj" => {
                    c.objects.extend(with_conjuncts(doc, &kids, a, k).into_iter().map(|h| Argument::new(h, None)))
                }
                "obl" => {
                    let marker = case();
                    // "raided Varnholm and the Lune Front" with the second conjunct hung on the
                    // verb: an unmarked "oblique" that opens with "and"/"or" after an object
                    // is that object's conjunct (an English oblique has a case marker, a
                    // bare one is a time or measure, and neither takes a conjunction).
                    let opens_with_and = kids[k - a].first().is_some_and(|&m| m < k && deprel(doc, m) == "cc");
                    if marker.is_none() && opens_with_and && c.objects.iter().any(|o| o.head < k) {
                        c.objects.extend(with_conjuncts(doc, &kids, a, k).into_iter().map(|h| Argument::new(h, None)));
                        continue;
                    }
                    c.obliques.extend(with_conjuncts(doc, &kids, a, k).into_iter().map(|h| Argument::new(h, marker)))
                }
                "aux" => {
                    c.auxiliaries.push(k);
                    c.passive |= r == "aux:pass";
                }
                "advmod" | "neg" if matches!(lemma(doc, k).as_str(), "not" | "never" | "n't") => c.negated = true,
                "ccomp" if REPORTING.contains(&lemma(doc, p).as_str()) => c.reported = Some(k),
                _ => {}
            }
        }
        // Two subjects of one verb ("Tanks fired shells, witnesses said", "fired" read as a
        // participle on "tanks"): the one with the misread finite verb is that verb's, and the
        // verb keeps the other.
        let subject_heads: Vec<usize> =
            kids[p - a].iter().copied().filter(|&k| deprel(doc, k).starts_with("nsubj")).collect();
        if subject_heads.len() >= 2 {
            let misread: Vec<usize> =
                subject_heads.iter().copied().filter(|&n| misread_participle(doc, &kids, a, n).is_some()).collect();
            if misread.len() < subject_heads.len() {
                c.subjects.retain(|s| !misread.contains(&s.head));
            }
        }
        fold_descriptors(doc, &mut c.subjects);
        fold_descriptors(doc, &mut c.objects);
        // An "object" before its verb with the subject between them ("The US, Russia and
        // Switzerland met", the list split by the parse) is the head of the subject's list: an
        // English object does not precede its subject and verb (questions and relative
        // clauses front a wh-word, not a name).
        if let Some(first_subject) = c.subjects.iter().map(|x| x.head).min() {
            let (fronted, objects): (Vec<Argument>, Vec<Argument>) = c.objects.iter().partition(|o| {
                o.head < first_subject && doc.tokens[o.head].pos.as_deref().is_some_and(|t| t.starts_with("NNP"))
            });
            if !fronted.is_empty() {
                c.subjects.splice(0..0, fronted);
                c.objects = objects;
            }
        }
        // A past participle with a "by" phrase modifying a noun, and no auxiliary of its own
        // ("accords mediated by Norway"), is a reduced passive relative: the noun is what the
        // act is done to, and the "by" phrase its doer. (Without one, the participle tells a
        // state, "two soldiers injured", more often than an act.)
        let participle = doc.tokens[p].pos.as_deref() == Some("VBN");
        let by_phrase = c.obliques.iter().any(|o| o.case.is_some_and(|m| lemma(doc, m) == "by"));
        if rel == "acl"
            && participle
            && by_phrase
            && c.subjects.is_empty()
            && c.objects.is_empty()
            && c.auxiliaries.is_empty()
        {
            if let Some(h) = doc.tokens[p].head {
                c.passive = true;
                c.subjects.push(Argument::new(h, None));
            }
        }
        // A past participle with a direct object hanging from a sentence that has no verb
        // ("The envoy, a minister, met officials" with "met" read as a participle modifying
        // "minister") is the misread main verb: a participle modifying a noun takes no
        // direct object. Its subject is the sentence's root noun.
        if rel == "acl" && participle && !c.objects.is_empty() && c.subjects.is_empty() && c.auxiliaries.is_empty() {
            // The noun it hangs from, or the noun that noun is in apposition to.
            let noun =
                doc.tokens[p].head.and_then(|h| if deprel(doc, h) == "appos" { doc.tokens[h].head } else { Some(h) });
            let nominal_root = |r: &usize| {
                deprel(doc, *r) == "root" && doc.tokens[*r].pos.as_deref().is_some_and(|t| t.starts_with("NN"))
            };
            // Or a subject of a verb that has another ("Tanks fired shells, witnesses said"),
            // which that verb gives up (see the two-subject reading above).
            let second_subject = |r: &usize| {
                deprel(doc, *r).starts_with("nsubj")
                    && misread_participle(doc, &kids, a, *r) == Some(p)
                    && doc.tokens[*r]
                        .head
                        .is_some_and(|v| kids[v - a].iter().any(|&k| k != *r && deprel(doc, k).starts_with("nsubj")))
            };
            if let Some(r) = noun.filter(|r| nominal_root(r) || second_subject(r)) {
                c.subjects.push(Argument::new(r, None));
            }
        }
        // A passive subject with no passive auxiliary and a direct object ("X, a general, held
        // talks with Y", the participle read as a reduced passive) is a misread active clause:
        // a passive takes no direct object without its "be"/"get".
        if c.passive && !c.objects.is_empty() && !kids[p - a].iter().any(|&k| deprel(doc, k) == "aux:pass") {
            c.passive = false;
        }
        let aux_lemmas: Vec<String> = c.auxiliaries.iter().map(|&k| lemma(doc, k)).collect();
        if aux_lemmas.iter().any(|l| matches!(l.as_str(), "will" | "shall" | "'ll")) {
            c.modality = Some(Modality::Future);
            c.committed = true;
        } else if aux_lemmas
            .iter()
            .any(|l| matches!(l.as_str(), "could" | "may" | "might" | "would" | "should" | "must" | "can"))
        {
            c.modality = Some(Modality::Possible);
            // "said that the talks would resume": in a reported clause "would" is the reported
            // "will", unless another modal makes it only possible; with a pronoun subject ("said
            // it would send troops") it is the speaker's own stated intent.
            let reported_will = aux_lemmas.iter().all(|l| l == "would")
                && deprel(doc, p) == "ccomp"
                && doc.tokens[p].head.is_some_and(|h| REPORTING.contains(&lemma(doc, h).as_str()));
            if reported_will {
                c.modality = Some(Modality::Future);
                c.committed = c.subjects.iter().any(|s| doc.tokens[s.head].pos.as_deref() == Some("PRP"));
            }
        }
        out.push(c);
    }
    // "The men detained in Brask were freed" parsed with "the men" as the subject of
    // "detained", an adverbial clause: a clause with an auxiliary but no subject, opened by a
    // participle that has a subject and no auxiliary of its own, is the misread reduced
    // relative. The subject is the main clause's, and the participle is a passive on it.
    for i in 0..out.len() {
        let p = out[i].predicate;
        if !out[i].subjects.is_empty() || out[i].auxiliaries.is_empty() {
            continue;
        }
        let misread = out.iter().position(|q| {
            q.predicate < p
                && doc.tokens[q.predicate].head == Some(p)
                && deprel(doc, q.predicate) == "advcl"
                && doc.tokens[q.predicate].pos.as_deref() == Some("VBN")
                && q.auxiliaries.is_empty()
                && q.objects.is_empty()
                && q.subjects.iter().all(|s| s.head < q.predicate)
                && !q.subjects.is_empty()
        });
        if let Some(j) = misread {
            out[j].passive = true;
            out[i].subjects = out[j].subjects.clone();
        }
    }
    // What the governing predicate says of its open complement ("is scheduled to hold", "plans
    // to visit", "refrains from recognizing"), and a subject for complements and conjuncts
    // that have none of their own.
    for i in 0..out.len() {
        let p = out[i].predicate;
        let rel = deprel(doc, p).to_string();
        let Some(h) = doc.tokens[p].head else { continue };
        let Some(hi) = out.iter().position(|c| c.predicate == h) else { continue };
        let head_lemma = lemma(doc, h);
        // "is scheduled to meet" is parsed as an xcomp or, as often, an advcl with "to".
        let framed = rel == "advcl"
            && (is_refusal(&head_lemma)
                || FUTURE_FRAMES.contains(&head_lemma.as_str())
                || commits_to_complement(&head_lemma));
        if rel == "xcomp" || framed {
            if FUTURE_FRAMES.contains(&head_lemma.as_str()) {
                out[i].modality = Some(Modality::Future);
            }
            if commits_to_complement(&head_lemma) {
                out[i].modality = Some(Modality::Future);
                out[i].committed = true;
                out[hi].promise = Some(p);
            }
            if is_refusal(&head_lemma) {
                out[i].negated = true;
            }
            if out[hi].negated {
                out[i].negated = true;
            }
            if out[i].modality.is_none() {
                out[i].modality = out[hi].modality;
                out[i].committed |= out[hi].committed;
            }
        }
        if out[i].subjects.is_empty() && (matches!(rel.as_str(), "xcomp" | "conj") || framed) {
            // Who does the complement's act: the head's object where it has one ("urged
            // Gondor to withdraw", "wants Rohan to attack"), except after a promise ("promised
            // Gondor to withdraw": the promiser does), else the head's subject.
            let object_control = rel == "xcomp" && !out[hi].objects.is_empty() && !is_promise(&head_lemma);
            out[i].subjects = if object_control { out[hi].objects.clone() } else { out[hi].subjects.clone() };
            if rel == "conj" && out[i].modality.is_none() {
                out[i].modality = out[hi].modality;
                out[i].committed = out[hi].committed;
            }
        }
    }
    out
}

/// A common noun right before a name among the same arguments ("militant groups Hamas and
/// Islamic Jihad", the parse having made both subjects) is the names' description: it
/// describes every name after it, and leaves the list when it was an argument of its own
/// (not when it ends another argument's phrase: "the leaders of militant groups Hamas and
/// Islamic Jihad" keeps the leaders).
fn fold_descriptors(doc: &Document, args: &mut Vec<Argument>) {
    let tag = |i: usize| doc.tokens[i].pos.as_deref().unwrap_or("");
    // Whether token `t` lies in the phrase headed by `head` (a few steps up).
    let in_phrase = |mut t: usize, head: usize| {
        for _ in 0..6 {
            if t == head {
                return true;
            }
            match doc.tokens[t].head {
                Some(h) => t = h,
                None => return false,
            }
        }
        false
    };
    let Some((name, descriptor)) = args.iter().filter(|n| tag(n.head).starts_with("NNP")).find_map(|n| {
        // The word before the name's phrase.
        let mut first = n.head;
        while first > 0 && in_phrase(first - 1, n.head) {
            first -= 1;
        }
        let before = first.checked_sub(1)?;
        let described = matches!(tag(before), "NN" | "NNS")
            && args.iter().any(|o| o.head != n.head && o.head < n.head && in_phrase(before, o.head));
        described.then_some((n.head, before))
    }) else {
        return;
    };
    args.retain(|a| a.head != descriptor);
    for a in args.iter_mut().filter(|a| a.head >= name && tag(a.head).starts_with("NNP")) {
        a.descriptor = Some(descriptor);
    }
}

/// The clause whose predicate is token `predicate`, if it heads one.
pub fn clause_of(doc: &Document, predicate: usize) -> Option<Clause> {
    clauses(doc, predicate).into_iter().find(|c| c.predicate == predicate)
}

/// The sentence's main clause: the one its root heads.
pub fn main_clause(doc: &Document, any: usize) -> Option<Clause> {
    let all = clauses(doc, any);
    all.iter().position(|c| doc.tokens[c.predicate].head.is_none()).map(|i| all[i].clone()).or(all.into_iter().next())
}

/// The tokens `[first, last]` of the name or compound a head stands for: the head with its
/// "flat" and "compound" dependents, transitively ("Karim Vell" from "Karim", whose "Vell" is
/// flat). Arguments are heads; mentions are spans; this joins the two.
pub fn name_extent(doc: &Document, head: usize) -> (usize, usize) {
    let (a, b) = sentence_of(doc, head);
    let kids = children(doc, a, b);
    let (mut first, mut last) = (head, head);
    let mut stack = vec![head];
    while let Some(x) = stack.pop() {
        for &c in &kids[x - a] {
            if matches!(deprel(doc, c).split(':').next(), Some("flat" | "compound")) {
                first = first.min(c);
                last = last.max(c);
                stack.push(c);
            }
        }
    }
    (first, last)
}
