//! Who says so: quotations and reported clauses, their speakers, cues, addressees and source
//! chains.
//!
//! Owns: the quotation-mark scanner ([`marks`]), the attribution of quoted stretches and of
//! clauses that reporting verbs govern (read off the parse through `syntax::clause`), the
//! resolution of a speaker within the document where the text allows ("it added" → the
//! statement → who issued it; "he said" → the last person named before), source chains
//! ("according to Press TV", "as reported by the state news agency IRNA"), the [`Quotes`]
//! stage, and [`attribution`], which later stages ask whose words a span is.
//!
//! Must never: speak in the system's voice (a quote's words are its speaker's, and nothing
//! here copies them into another layer), guess a speaker the text does not give (no speaker
//! is `None`), or let an unbalanced quotation mark run past its paragraph. No I/O.

pub mod marks;

use dateline_model::{Document, EntityType, Quote, QuoteKind, QuoteSource, Span, Stage};
use dateline_syntax::clause;

/// Verbs that report speech, by lemma.
const SPEECH: &[&str] = &[
    "say",
    "tell",
    "add",
    "claim",
    "state",
    "announce",
    "report",
    "confirm",
    "deny",
    "insist",
    "warn",
    "note",
    "stress",
    "assert",
    "argue",
    "explain",
    "write",
    "convey",
    "inform",
    "declare",
    "emphasize",
    "emphasise",
    "affirm",
    "reiterate",
    "acknowledge",
    "admit",
    "allege",
    "maintain",
    "reveal",
    "disclose",
    "predict",
    "promise",
    "pledge",
    "vow",
    "threaten",
    "urge",
    "ask",
    "reply",
    "respond",
    "answer",
    "comment",
    "remark",
    "tweet",
    "accuse",
    "demand",
    "assure",
    "caution",
    "concede",
    "recall",
    "suggest",
    "underline",
    "underscore",
];
/// Verbs that cue a quotation next to them but report no clause of their own: "the statement
/// continued", "she went on".
const QUOTATION_ONLY: &[&str] = &["continue", "conclude", "begin", "go", "quip", "shout", "ask", "read"];
/// Reporting verbs whose object is the person addressed ("told Haniyeh", "informed Nakhalah").
const ADDRESSING: &[&str] = &["tell", "inform", "warn", "assure", "brief", "remind", "ask", "urge", "notify", "advise"];
/// Nouns that stand for a text that speaks: "the statement said".
const STATEMENT_NOUNS: &[&str] = &[
    "statement",
    "communique",
    "communiqué",
    "release",
    "report",
    "declaration",
    "letter",
    "message",
    "announcement",
    "post",
    "tweet",
    "notice",
    "memo",
    "document",
];
/// Occasions whose other side hears what is said there: "in talks with X, Y said".
const MEETING_NOUNS: &[&str] =
    &["meeting", "talk", "talks", "call", "conversation", "interview", "session", "audience"];
/// Verbs that make someone the issuer of a statement: "Hamas issued a statement".
const ISSUING: &[&str] = &["issue", "release", "publish", "put", "send", "post", "circulate"];

/// Stage: the `quotes` layer. Runs after the parse, the recognizer and the roles.
#[derive(Default)]
pub struct Quotes;

impl Stage for Quotes {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn annotate(&self, doc: &mut Document) {
        let stretches = marks::quoted(&doc.text);
        doc.quotes = find_quotes(doc, &stretches);
        withdraw_quoted_claims(doc, &stretches);
    }
}

/// The system's own layers never speak in a speaker's words: a role or a description whose
/// title or description stands inside quotation marks ("the “butcher” of the city", a
/// description the speaker gives) is the speaker's claim, kept in the quote, and withdrawn
/// from `roles` and `descriptions`, which say what the text states. This stage is the one that
/// knows which words are whose, so it is the one that withdraws them. (A reported clause
/// without marks is the reporter's paraphrase: its words stay.)
fn withdraw_quoted_claims(doc: &mut Document, stretches: &[marks::Quoted]) {
    let inside = |s: Span| stretches.iter().any(|q| q.content.start < s.end && s.start < q.content.end);
    doc.roles.retain(|r| !inside(r.title));
    doc.descriptions.retain(|d| !inside(d.description));
}

/// The quote whose content holds `span`: whose words they are. The innermost when quotes nest
/// (a quotation inside a reported clause).
pub fn attribution(doc: &Document, span: Span) -> Option<&Quote> {
    doc.quotes
        .iter()
        .filter(|q| q.content.start <= span.start && span.end <= q.content.end)
        .min_by_key(|q| q.content.end - q.content.start)
}

/// What the stage reads of the document: tokens with their parse, by index.
struct View<'d> {
    doc: &'d Document,
    /// Each token's dependents, in order: built once, since phrases and clauses walk them
    /// for every quote.
    kids: Vec<Vec<usize>>,
}

impl<'d> View<'d> {
    fn new(doc: &'d Document) -> Self {
        View { doc, kids: clause::dependents(doc) }
    }

    fn word(&self, i: usize) -> &'d str {
        let t = &self.doc.tokens[i];
        &self.doc.text[t.span.start..t.span.end]
    }

    fn lower(&self, i: usize) -> String {
        self.word(i).to_lowercase()
    }

    fn lemma(&self, i: usize) -> String {
        self.doc.tokens[i].lemma.clone().unwrap_or_else(|| self.lower(i))
    }

    fn deprel(&self, i: usize) -> &'d str {
        self.doc.tokens[i].deprel.as_deref().unwrap_or("")
    }

    fn is_verb(&self, i: usize) -> bool {
        self.doc.tokens[i].pos.as_deref().is_some_and(|p| p.starts_with("VB"))
    }

    fn is_word(&self, i: usize) -> bool {
        self.word(i).chars().any(char::is_alphanumeric)
    }

    /// Tokens `[first, last)` inside a span.
    fn tokens_in(&self, s: Span) -> (usize, usize) {
        let t = &self.doc.tokens;
        (t.partition_point(|x| x.span.end <= s.start), t.partition_point(|x| x.span.start < s.end))
    }

    /// The token range of the sentence holding token `i`.
    fn sentence_of(&self, i: usize) -> (usize, usize) {
        clause::sentence_of(self.doc, i)
    }

    fn children(&self, i: usize) -> &[usize] {
        &self.kids[i]
    }

    /// A noun phrase's words from its head: the head's dependents, transitively, less the
    /// clauses, appositions and punctuation that hang from it ("the Leader of the Islamic
    /// Revolution", not "…, who spoke") and less its own preposition.
    fn phrase(&self, head: usize) -> Span {
        let (mut lo, mut hi) = (head, head);
        let mut stack = vec![head];
        while let Some(x) = stack.pop() {
            for &c in self.children(x) {
                let rel = self.deprel(c);
                let base = rel.split(':').next().unwrap_or("");
                if matches!(base, "acl" | "appos" | "punct" | "parataxis" | "advcl" | "ccomp" | "dep") {
                    continue;
                }
                // The phrase's own preposition ("to Tarn", "according to X") is not part of it,
                // nor a clause conjoined to it (a parse that takes a sentence's subject for its
                // root hangs the rest of the sentence there).
                if x == head && matches!(base, "case" | "mark") || (base == "conj" && self.is_verb(c)) {
                    continue;
                }
                // Nor a time the parse hung on it ("his team on March 26").
                let at = self.doc.tokens[c].span;
                if self.doc.timexes.iter().any(|t| t.span.start <= at.start && at.end <= t.span.end) {
                    continue;
                }
                lo = lo.min(c);
                hi = hi.max(c);
                stack.push(c);
            }
        }
        // A phrase runs through no verb and no quotation mark, whatever the parse hung on it.
        let stops = |k: usize| {
            // A participle modifying a noun ("his accompanying team") is part of the phrase.
            let adjectival = matches!(self.deprel(k), "amod" | "compound");
            k != head && (self.is_verb(k) && !adjectival || matches!(self.word(k), "“" | "”" | "\"" | "``" | "''"))
        };
        if let Some(k) = (head + 1..=hi).find(|&k| stops(k)) {
            hi = k - 1;
        }
        if let Some(k) = (lo..head).rev().find(|&k| stops(k)) {
            lo = k + 1;
        }
        while hi > head && !self.is_word(hi) {
            hi -= 1;
        }
        self.span_of(lo, hi + 1)
    }

    /// The whole subtree of a token, punctuation at its edges left out.
    fn subtree(&self, head: usize) -> (usize, usize) {
        let (mut lo, mut hi) = (head, head);
        let mut stack = vec![head];
        while let Some(x) = stack.pop() {
            for &c in self.children(x) {
                lo = lo.min(c);
                hi = hi.max(c);
                stack.push(c);
            }
        }
        while lo < hi && !self.is_word(lo) {
            lo += 1;
        }
        while hi > lo && !self.is_word(hi) {
            hi -= 1;
        }
        (lo, hi + 1)
    }

    fn span_of(&self, a: usize, b: usize) -> Span {
        Span::new(self.doc.tokens[a].span.start, self.doc.tokens[b - 1].span.end)
    }

    /// The first child of `i` with one of these relations.
    fn child_with(&self, i: usize, rels: &[&str]) -> Option<usize> {
        self.children(i).iter().copied().find(|&c| rels.contains(&self.deprel(c)))
    }

    /// The verb's subject outside tokens `[a, b)` (the quotation it cues: a parse may take
    /// the quoted words for a subject too).
    fn subject_outside(&self, verb: usize, a: usize, b: usize) -> Option<usize> {
        self.children(verb)
            .iter()
            .copied()
            .filter(|c| !(a..b).contains(c))
            .find(|&c| matches!(self.deprel(c), "nsubj" | "nsubj:pass"))
            .or_else(|| self.subject(verb).filter(|c| !(a..b).contains(c)))
    }

    fn subject(&self, verb: usize) -> Option<usize> {
        // A clausal subject is the quotation itself, as often as not ("“…,” it added").
        self.child_with(verb, &["nsubj", "nsubj:pass"])
            .or_else(|| {
                // A conjoined verb without a subject of its own takes its first conjunct's.
                (self.deprel(verb) == "conj")
                    .then(|| self.doc.tokens[verb].head)
                    .flatten()
                    .and_then(|h| self.subject(h))
            })
            .or_else(|| self.noun_before(verb))
    }

    /// The noun or pronoun right before a verb (adverbs and auxiliaries between), for a
    /// subject the parse hung elsewhere ("In talks with X, the Leader also said": "Leader"
    /// read as X's apposition).
    fn noun_before(&self, verb: usize) -> Option<usize> {
        let (a, _) = self.sentence_of(verb);
        let mut k = verb;
        while k > a {
            k -= 1;
            let pos = self.doc.tokens[k].pos.as_deref().unwrap_or("");
            if pos.starts_with("RB")
                || pos == "MD"
                || (pos.starts_with("VB") && matches!(self.deprel(k), "aux" | "aux:pass"))
            {
                continue;
            }
            return (pos.starts_with("NN") || pos == "PRP").then_some(k);
        }
        None
    }

    /// The person addressed by a reporting verb: its object for "tell", "inform", …, or a
    /// phrase with "to" ("conveyed to Haniyeh").
    fn addressee(&self, verb: usize) -> Option<usize> {
        if ADDRESSING.contains(&self.lemma(verb).as_str()) {
            if let Some(o) = self.child_with(verb, &["obj", "iobj"]) {
                return Some(o);
            }
        }
        let to =
            self.children(verb).iter().copied().find(|&c| {
                self.deprel(c).starts_with("obl") && self.children(c).iter().any(|&m| self.lower(m) == "to")
            });
        // "In the meeting with X …, Y said": words said in a meeting are said to the other side.
        to.or_else(|| {
            let meeting = self
                .children(verb)
                .iter()
                .copied()
                .find(|&c| self.deprel(c).starts_with("obl") && MEETING_NOUNS.contains(&self.lemma(c).as_str()))?;
            self.children(meeting).iter().copied().find(|&n| {
                self.deprel(n).starts_with("nmod") && self.children(n).iter().any(|&m| self.lower(m) == "with")
            })
        })
    }

    /// "said in a statement": the oblique that names the text the words come from.
    fn statement_oblique(&self, verb: usize) -> Option<usize> {
        self.children(verb).iter().copied().find(|&c| {
            self.deprel(c).starts_with("obl")
                && STATEMENT_NOUNS.contains(&self.lemma(c).as_str())
                && self.children(c).iter().any(|&m| self.lower(m) == "in")
        })
    }

    fn is_speech(&self, i: usize) -> bool {
        self.is_verb(i) && SPEECH.contains(&self.lemma(i).as_str())
    }

    fn is_quotation_cue(&self, i: usize) -> bool {
        self.is_verb(i)
            && (SPEECH.contains(&self.lemma(i).as_str()) || QUOTATION_ONLY.contains(&self.lemma(i).as_str()))
    }
}

/// A quote before its speaker is resolved: the parts as tokens and spans.
struct Draft {
    kind: QuoteKind,
    content: Span,
    cue: Option<Span>,
    /// The speaker's head token.
    speaker: Option<usize>,
    /// A quotation standing alone, whose speaker is that of the quotation just before it.
    inherits: bool,
    addressee: Option<Span>,
    via: Vec<QuoteSource>,
    unclosed: bool,
    /// The cue's verb, for "in a statement" and the source chain.
    verb: Option<usize>,
}

fn find_quotes(doc: &Document, stretches: &[marks::Quoted]) -> Vec<Quote> {
    if doc.tokens.is_empty() || doc.tokens.iter().all(|t| t.deprel.is_none()) {
        return Vec::new();
    }
    let v = View::new(doc);
    let mut drafts: Vec<Draft> = indirect(&v, stretches);
    let quoted: Vec<Draft> = stretches.iter().filter_map(|q| attribute_quoted(&v, q)).collect();
    // A quotation inside a reported clause: the clause and its quoted part are one quote,
    // mixed; a quotation that is the whole reported clause is direct.
    for q in quoted {
        let holder = drafts.iter().position(|d| d.content.start <= q.content.end && q.content.start <= d.content.end);
        match holder {
            Some(k) => {
                let d = &drafts[k];
                let (qa, qb) = v.tokens_in(q.content);
                let (da, db) = v.tokens_in(d.content);
                // Direct when the quotation is (nearly) the whole reported clause.
                let clause_words = (da..db).filter(|&i| v.is_word(i)).count().max(1);
                let quoted_words = (da..db).filter(|&i| v.is_word(i) && (qa..qb).contains(&i)).count();
                if quoted_words * 10 >= clause_words * 9 {
                    let cue = d.cue.or(q.cue);
                    let (speaker, verb, addressee) =
                        (d.speaker.or(q.speaker), d.verb.or(q.verb), d.addressee.or(q.addressee));
                    drafts[k] = Draft { kind: QuoteKind::Direct, cue, speaker, verb, addressee, ..q };
                } else {
                    let content = Span::new(d.content.start.min(q.content.start), d.content.end.max(q.content.end));
                    drafts[k].kind = QuoteKind::Mixed;
                    drafts[k].content = content;
                    drafts[k].unclosed |= q.unclosed;
                }
            }
            None => drafts.push(q),
        }
    }
    drafts.sort_by_key(|d| d.content.start);
    for d in &mut drafts {
        if d.via.is_empty() {
            d.via = sources(&v, d);
        }
    }
    resolve(&v, drafts)
}

/// Clauses that speech verbs govern, outside quotation marks: "X said that …", "X informed Y
/// that …", "X conveyed to Y that …".
fn indirect(v: &View, quoted: &[marks::Quoted]) -> Vec<Draft> {
    let doc = v.doc;
    let mut out = Vec::new();
    // A speech verb inside a quotation is the quoted speaker's own words ("“They stressed that
    // …”"), not the reporter's attribution.
    let in_quotation = |i: usize| {
        quoted.iter().any(|q| q.content.start <= doc.tokens[i].span.start && doc.tokens[i].span.end <= q.content.end)
    };
    for sentence in &doc.sentences {
        let first = doc.tokens.partition_point(|t| t.span.end <= sentence.span.start);
        if first >= doc.tokens.len() || doc.tokens[first].span.start >= sentence.span.end {
            continue;
        }
        for c in clause::clauses(doc, first) {
            if !v.is_speech(c.predicate) || in_quotation(c.predicate) {
                continue;
            }
            // "informed the assembly that …": a parse may hang the reported clause on the
            // person addressed, as if it were a relative clause; a relative clause has no
            // "that" marking it, so one that does is the verb's.
            let misattached = || {
                let o = v.child_with(c.predicate, &["obj", "iobj"])?;
                v.children(o).iter().copied().find(|&k| {
                    v.deprel(k).starts_with("acl")
                        && v.children(k).iter().any(|&m| v.deprel(m) == "mark" && v.lower(m) == "that")
                })
            };
            // "said in a statement on Friday that the meeting …": a parse may hang the "that"
            // clause on the last oblique; the complementizer right after the verb's phrases
            // still marks the reported clause, which then runs to the sentence's end.
            let after_that = || -> Option<(usize, usize)> {
                let (_, b) = v.sentence_of(c.predicate);
                let k = (c.predicate + 1..b.min(c.predicate + 10))
                    .take_while(|&k| !v.is_verb(k))
                    .find(|&k| v.lower(k) == "that" && doc.tokens[k].pos.as_deref() == Some("IN"))?;
                let mut end = b;
                while end > k + 1 && !v.is_word(end - 1) {
                    end -= 1;
                }
                (end > k + 1).then_some((k + 1, end))
            };
            // Every clause the verb reports, as one content: a parse may split one reported
            // clause into two ("said they considered X “… constitutes …”").
            let reported_span = |r: usize| {
                let mut range = v.subtree(r);
                for &k in v.children(c.predicate) {
                    if k != r && v.deprel(k) == "ccomp" && !in_quotation(c.predicate) {
                        let (a, b) = v.subtree(k);
                        if a > c.predicate {
                            range = (range.0.min(a), range.1.max(b));
                        }
                    }
                }
                range
            };
            let range = match c.reported.or_else(misattached) {
                Some(r) => reported_span(r),
                None => match after_that() {
                    Some(range) => range,
                    None => continue,
                },
            };
            let (mut lo, hi) = range;
            // The content is the clause after its "that".
            while lo < hi && matches!(v.lower(lo).as_str(), "that" | "whether") {
                lo += 1;
            }
            // A source phrase the parse took for the reported clause ("…,” the statement said,
            // according to X") reports nothing.
            if lo >= hi || via_start(v, lo, hi) == Some(lo) {
                continue;
            }
            let mut content = v.span_of(lo, hi);
            // A source phrase the parse hung inside the clause ("…, as reported by X") is not
            // the speaker's words.
            if let Some(at) = via_start(v, lo, hi) {
                if at > lo {
                    let mut end = at;
                    while end > lo && !v.is_word(end - 1) {
                        end -= 1;
                    }
                    content = v.span_of(lo, end);
                }
            }
            let verb = c.predicate;
            let cue = match v.statement_oblique(verb) {
                Some(o) if o > verb => Span::new(doc.tokens[verb].span.start, v.phrase(o).end),
                _ => doc.tokens[verb].span,
            };
            out.push(Draft {
                kind: QuoteKind::Indirect,
                content,
                cue: Some(cue),
                speaker: v.subject(verb),
                inherits: false,
                addressee: v.addressee(verb).map(|x| v.phrase(x)),
                via: Vec::new(),
                unclosed: false,
                verb: Some(verb),
            });
        }
    }
    out
}

/// Where a source phrase ("according to", "as reported by", "citing") starts among tokens
/// `[a, b)`, if one does.
fn via_start(v: &View, a: usize, b: usize) -> Option<usize> {
    (a..b).find(|&i| {
        let w = v.lower(i);
        (w == "according" && i + 1 < b && v.lower(i + 1) == "to")
            || (w == "reported" && i + 1 < b && v.lower(i + 1) == "by")
            || (w == "as" && i + 2 < b && v.lower(i + 1) == "reported" && v.lower(i + 2) == "by")
            || w == "citing"
    })
}

/// Attributes a quoted stretch: the cue after it ("…,” the statement said"), before it
/// ("Khamenei said, “…”"), the clause it is part of (partial), or, for a quotation standing
/// alone, the speaker of the quotation just before it.
fn attribute_quoted(v: &View, q: &marks::Quoted) -> Option<Draft> {
    let doc = v.doc;
    let (c0, c1) = v.tokens_in(q.content);
    if c0 >= c1 || !(c0..c1).any(|i| v.is_word(i)) {
        return None;
    }
    let open_tok = doc.tokens.partition_point(|t| t.span.end <= q.open);
    let close_tok = doc.tokens.partition_point(|t| t.span.start < q.end);
    let (sa, _) = v.sentence_of(open_tok.min(doc.tokens.len() - 1));
    let (_, eb) = v.sentence_of((close_tok.max(1) - 1).min(doc.tokens.len() - 1));
    let base = Draft {
        kind: QuoteKind::Direct,
        content: q.content,
        cue: None,
        speaker: None,
        inherits: false,
        addressee: None,
        via: Vec::new(),
        unclosed: q.unclosed,
        verb: None,
    };
    // After: the first words after the closing mark, up to the sentence's end or the next
    // quotation.
    let next_quote = doc.text[q.end..].find(['“', '"']).map_or(usize::MAX, |k| q.end + k);
    let after: Vec<usize> = (close_tok..eb)
        .take_while(|&i| doc.tokens[i].span.start < next_quote)
        .filter(|&i| v.is_word(i))
        .take(6)
        .collect();
    let ends_clause = doc.text[..q.content.end].trim_end().ends_with([',', '?', '!', '—', '-', '.'])
        || doc.text[q.end..].trim_start().starts_with([',', '—']);
    if ends_clause || !q.unclosed {
        if let Some(&verb) = after.iter().find(|&&i| v.is_quotation_cue(i)) {
            if after.first().is_some_and(|&f| f == verb || v.doc.tokens[verb].head.is_none() || after.len() <= 6) {
                let speaker = v.subject_outside(verb, c0, c1).or_else(|| {
                    // "…,” said the minister: the subject after the verb.
                    v.child_with(verb, &["obj", "nsubj"]).filter(|&s| s > verb)
                });
                return Some(Draft {
                    cue: Some(doc.tokens[verb].span),
                    speaker,
                    addressee: v.addressee(verb).map(|x| v.phrase(x)),
                    verb: Some(verb),
                    ..base
                });
            }
        }
    }
    // Before: a speech verb with only punctuation between it and the opening mark.
    let before: Vec<usize> = (sa..open_tok).filter(|&i| v.is_word(i)).collect();
    if let Some(&last) = before.last() {
        if v.is_quotation_cue(last)
            || (v.lower(last) == "that" && before.len() >= 2 && v.is_speech(before[before.len() - 2]))
        {
            let verb = if v.is_quotation_cue(last) { last } else { before[before.len() - 2] };
            let kind = if v.lower(last) == "that" { QuoteKind::Mixed } else { QuoteKind::Direct };
            return Some(Draft {
                kind,
                cue: Some(doc.tokens[verb].span),
                speaker: v.subject_outside(verb, c0, c1),
                addressee: v.addressee(verb).map(|x| v.phrase(x)),
                verb: Some(verb),
                ..base
            });
        }
    }
    if !before.is_empty() {
        // A fragment inside the reporter's sentence: partial, the words of whoever the clause
        // around it is about.
        let head = (c0..c1).find(|&i| doc.tokens[i].head.is_none_or(|h| !(c0..c1).contains(&h)))?;
        // The quoted words are a predicate ("also “praised the fighters …”"): its subject,
        // outside the quotation, speaks.
        if v.is_verb(head) {
            if let Some(s) = v.subject_outside(head, c0, c1) {
                return Some(Draft { kind: QuoteKind::Partial, speaker: Some(s), ..base });
            }
        }
        let mut at = doc.tokens[head].head;
        let mut steps = 0;
        while let Some(x) = at {
            steps += 1;
            if steps > 64 {
                break;
            }
            if v.is_verb(x) && !(c0..c1).contains(&x) {
                // "a statement praising “…”", "the two movements condemned “…”" read as a
                // reduced relative: the noun the verb modifies speaks.
                let speaker = v.subject_outside(x, c0, c1).or_else(|| {
                    let h = doc.tokens[x].head?;
                    v.deprel(x).starts_with("acl").then_some(h)
                });
                return Some(Draft {
                    kind: QuoteKind::Partial,
                    cue: Some(doc.tokens[x].span),
                    speaker,
                    verb: Some(x),
                    ..base
                });
            }
            at = doc.tokens[x].head;
        }
        return Some(Draft { kind: QuoteKind::Partial, ..base });
    }
    // A quotation standing alone: `resolve` gives it the speaker of the quotation just before
    // it, once that one's speaker is resolved.
    Some(Draft { inherits: true, ..base })
}

/// The source chain of a quote: "according to X", "as reported by X", "citing X" in the
/// sentence of its cue (or of its content), outside the content.
fn sources(v: &View, d: &Draft) -> Vec<QuoteSource> {
    let doc = v.doc;
    let anchor = d.verb.unwrap_or_else(|| doc.tokens.partition_point(|t| t.span.end <= d.content.start));
    if anchor >= doc.tokens.len() {
        return Vec::new();
    }
    let (a, b) = v.sentence_of(anchor);
    let mut out = Vec::new();
    let mut i = a;
    while i < b {
        let inside = doc.tokens[i].span.start >= d.content.start && doc.tokens[i].span.end <= d.content.end;
        let w = v.lower(i);
        let start = if inside {
            None
        } else if (w == "according" && i + 1 < b && v.lower(i + 1) == "to")
            || (w == "reported" && i + 1 < b && v.lower(i + 1) == "by")
        {
            Some(i + 2)
        } else if w == "citing" {
            Some(i + 1)
        } else {
            None
        };
        if let Some(s) = start.filter(|&s| s < b) {
            // The phrase: from its first word to the head's phrase end (the parse's), or to the
            // next punctuation when the parse disagrees.
            let mut e = s;
            while e < b && v.is_word(e) {
                e += 1;
            }
            let heads: Vec<usize> =
                (s..e).filter(|&k| doc.tokens[k].head.is_none_or(|h| !(s..e).contains(&h))).collect();
            // The phrases of every word whose head lies outside the run ("witnesses" and
            // "at the scene" may both hang from "citing"), never before the run's first word
            // (the parse may hang "according to" below it).
            let end = heads.iter().map(|&h| v.phrase(h).end).max().unwrap_or(doc.tokens[e - 1].span.end);
            let span = Span::new(doc.tokens[s].span.start, end.max(doc.tokens[s].span.end));
            let description = doc
                .descriptions
                .iter()
                .find(|x| x.entity.start < span.end && span.start < x.entity.end)
                .map(|x| x.description);
            out.push(QuoteSource { span, description });
            i = e;
            continue;
        }
        i += 1;
    }
    out
}

/// Speakers as written, then what the text lets them stand for: a pronoun the last fitting
/// name before it, "it" and "the statement" the statement last named and who issued it.
fn resolve(v: &View, drafts: Vec<Draft>) -> Vec<Quote> {
    let doc = v.doc;
    let mut people: Vec<Span> = doc.mentions.iter().filter(|m| m.kind == EntityType::Person).map(|m| m.span).collect();
    people.sort_by_key(|s| s.start);
    // The statement last named, and who issued it.
    let mut statement: Option<(Span, Option<Span>)> = None;
    let mut statement_via: Vec<QuoteSource> = Vec::new();
    let mut out: Vec<Quote> = Vec::with_capacity(drafts.len());
    let issued = statements_issued(v);
    for d in drafts {
        let at = d.cue.map_or(d.content.start, |c| c.start);
        // A statement issued before this quote ("Hamas issued a statement on Friday").
        if let Some(s) = issued.iter().rev().find(|(np, _)| np.end <= at) {
            if statement.is_none_or(|(old, _)| old.start < s.0.start) {
                statement = Some(*s);
            }
        }
        // A quotation standing alone continues the one just before it, when that one ended at
        // most a paragraph or two earlier.
        let previous = out
            .iter()
            .rev()
            .find(|q: &&Quote| q.kind == QuoteKind::Direct && d.content.start.saturating_sub(q.content.end) < 1200);
        let inherited = if d.inherits {
            previous.and_then(|p| Some((p.speaker?, p.speaker_refers_to.clone(), p.via.clone())))
        } else {
            None
        };
        let (speaker, refers_to) = match (d.speaker, &inherited) {
            (Some(h), _) => {
                let span = v.phrase(h);
                let head = v.lemma(h);
                let refers: Vec<Span> = match head.as_str() {
                    "he" | "she" => {
                        let k = people.partition_point(|p| p.end <= span.start);
                        k.checked_sub(1).map(|k| vec![people[k]]).unwrap_or_default()
                    }
                    "it" => match statement {
                        Some((np, issuer)) => std::iter::once(np).chain(issuer).collect(),
                        None => Vec::new(),
                    },
                    w if STATEMENT_NOUNS.contains(&w) => {
                        let refers = statement.and_then(|(_, issuer)| issuer).into_iter().collect();
                        let issuer = statement.and_then(|(_, i)| i);
                        statement = Some((span, issuer));
                        refers
                    }
                    _ => Vec::new(),
                };
                // "X said in a statement": the statement is X's.
                if let Some(o) = d.verb.and_then(|verb| v.statement_oblique(verb)) {
                    statement = Some((v.phrase(o), Some(span)));
                }
                (Some(span), refers)
            }
            (None, Some((s, r, _))) => (Some(*s), r.clone()),
            (None, None) => (None, Vec::new()),
        };
        let mut via = d.via;
        if via.is_empty() {
            if let Some((_, _, v)) = &inherited {
                via = v.clone();
            }
        }
        // A statement's source chain holds for all its quotations: "the statement said,
        // according to Press TV", then "it added".
        let speaks_for_statement = speaker.is_some_and(|s| {
            refers_to.first().is_some_and(|r| statement.is_some_and(|(np, _)| np == *r))
                || statement.is_some_and(|(np, _)| np == s)
        });
        if speaks_for_statement {
            if via.is_empty() {
                via = statement_via.clone();
            } else {
                statement_via = via.clone();
            }
        }
        let mut parts = vec![d.content];
        parts.extend(d.cue);
        parts
            .extend(speaker.filter(|s| s.start >= d.content.start.saturating_sub(400) && s.end <= d.content.end + 400));
        parts.extend(d.addressee);
        parts.extend(
            via.iter().map(|x| x.span).filter(|s| s.start + 400 >= d.content.start && s.end <= d.content.end + 400),
        );
        let start = parts.iter().map(|p| p.start).min().unwrap_or(d.content.start);
        let end = parts.iter().map(|p| p.end).max().unwrap_or(d.content.end);
        out.push(Quote {
            span: Span::new(start, end),
            kind: d.kind,
            content: d.content,
            cue: d.cue,
            speaker,
            speaker_refers_to: refers_to,
            addressee: d.addressee,
            via,
            unclosed: d.unclosed,
        });
    }
    out
}

/// Statements the text says someone issued: (the statement's phrase, the issuer's).
fn statements_issued(v: &View) -> Vec<(Span, Option<Span>)> {
    let doc = v.doc;
    let mut out = Vec::new();
    for i in 0..doc.tokens.len() {
        if !(v.is_verb(i) && ISSUING.contains(&v.lemma(i).as_str())) {
            continue;
        }
        let Some(o) = v.child_with(i, &["obj"]) else { continue };
        if STATEMENT_NOUNS.contains(&v.lemma(o).as_str()) {
            out.push((v.phrase(o), v.subject(i).map(|s| v.phrase(s))));
        }
    }
    out
}

#[cfg(test)]
mod tests;
