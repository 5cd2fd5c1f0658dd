//! Temporal expressions: found in each sentence and resolved, TimeML TIMEX3-style, against the
//! document's publication date.
//!
//! Owns: the recognizer ([`recognize`]: token patterns for dates, times, durations, sets,
//! named periods), the resolver ([`resolve`]: anchoring on the publication date with the tense
//! of the sentence), calendar arithmetic ([`calendar`]), the TimeML reader and scorer used by
//! `dateline eval time` ([`timeml`]), and the [`TimeTagger`] stage.
//!
//! Must never: guess an anchor. A document with no publication date gets values only for
//! expressions that carry their own year ("October 7, 2023", "in 2020") and for durations, sets
//! and references; everything relative keeps `value: None`. No I/O.

pub mod calendar;
pub mod recognize;
pub mod resolve;
pub mod timeml;

use dateline_model::{Document, Span, Stage, Timex};
use dateline_nlp::sentence_token_ranges;
use resolve::Tense;

/// The tense of a sentence, from its words and part-of-speech tags: a future marker ("will",
/// "is scheduled to", "next") wins; then a past-tense verb; else present.
pub fn tense(words: &[&str], pos: &[Option<&str>]) -> Tense {
    let future = words.windows(2).any(|w| {
        matches!(w[0], "will" | "'ll" | "’ll" | "shall" | "wo")
            || matches!(
                (w[0], w[1]),
                ("scheduled" | "expected" | "set" | "plans" | "planned" | "plan" | "going" | "poised", "to")
            )
            || w[0] == "upcoming"
    }) || words.last().is_some_and(|w| *w == "will");
    if future {
        return Tense::Future;
    }
    if pos.contains(&Some("VBD")) {
        return Tense::Past;
    }
    if words.windows(2).zip(pos.windows(2)).any(|(w, p)| matches!(w[0], "has" | "have" | "had") && p[1] == Some("VBN"))
    {
        return Tense::Past;
    }
    Tense::Present
}

/// Words that make a verb group point ahead: "will meet", "is scheduled to meet", "plans to".
/// "set" and "due" count only before "to" ("set to meet", not "set Friday as the deadline").
fn is_future_marker(w: &str, next: &str) -> bool {
    matches!(
        w,
        "will"
            | "'ll"
            | "shall"
            | "wo"
            | "would"
            | "scheduled"
            | "expected"
            | "planned"
            | "plans"
            | "plan"
            | "planning"
            | "intends"
            | "intend"
            | "going"
    ) || (matches!(w, "set" | "due" | "poised") && next == "to")
}

/// A verb or modal tag.
fn is_verb_tag(tag: Option<&str>) -> bool {
    tag.is_some_and(|p| p.starts_with("VB") || p == "MD")
}

/// The words of sentence tokens `[a, b)` as the time stage reads them (lowercased, curly
/// apostrophes straightened), and their tags.
fn sentence_words(doc: &Document, a: usize, b: usize) -> (Vec<String>, Vec<Option<&str>>) {
    let toks = &doc.tokens[a..b];
    let lower = toks.iter().map(|t| doc.text[t.span.start..t.span.end].to_lowercase().replace('’', "'")).collect();
    (lower, toks.iter().map(|t| t.pos.as_deref()).collect())
}

/// A sentence's dependency tree in sentence-local indices, when the syntax stage has run.
pub struct LocalTree<'d> {
    /// Each word's head (`None` for the root).
    pub heads: Vec<Option<usize>>,
    pub deprels: Vec<&'d str>,
}

impl<'d> LocalTree<'d> {
    /// The tree of sentence tokens `[a, b)`, or `None` when they carry no parse.
    pub fn of(doc: &'d Document, a: usize, b: usize) -> Option<LocalTree<'d>> {
        let toks = &doc.tokens[a..b];
        if toks.iter().any(|t| t.deprel.is_none()) {
            return None;
        }
        let heads = toks.iter().map(|t| t.head.filter(|h| (a..b).contains(h)).map(|h| h - a)).collect();
        let deprels = toks.iter().map(|t| t.deprel.as_deref().unwrap_or("dep")).collect();
        Some(LocalTree { heads, deprels })
    }

    /// The verb that governs words `[start, end)` when the parse attaches the phrase to a
    /// predicate: its head's head when that is a verb, or the copula or auxiliary of a nominal
    /// predicate ("was" in "the vote was on Monday", where "Monday" heads its clause, or in
    /// "Monday was a holiday"). `None` when the phrase hangs from a noun ("the announcement
    /// Friday") or anything else: the parse then says which word it modifies, not which verb's
    /// tense it shares.
    fn governing_verb(&self, pos: &[Option<&str>], start: usize, end: usize) -> Option<usize> {
        let inside = |k: usize| (start..end).contains(&k);
        let head = (start..end).find(|&k| self.heads[k].is_none_or(|h| !inside(h)))?;
        let helper = |at: usize| {
            (0..self.heads.len())
                .filter(|&k| self.heads[k] == Some(at) && matches!(self.deprels[k], "cop" | "aux" | "aux:pass"))
                .rfind(|&k| is_verb_tag(pos[k]))
        };
        if let Some(k) = helper(head) {
            return Some(k);
        }
        let governor = self.heads[head]?;
        if is_verb_tag(pos[governor]) {
            return Some(governor);
        }
        helper(governor)
    }
}

/// Reporting verbs: a clause boundary before one of them ("…will leave Thursday, the minister said")
/// means it does not govern the expression.
fn is_reporting(w: &str) -> bool {
    matches!(w, "said" | "says" | "say" | "told" | "added" | "reported" | "announced" | "stated" | "noted")
}

/// The verb an expression at tokens `[start, end)` attaches to. With a parse that attaches
/// it to a predicate, that predicate's verb ([`LocalTree`]); otherwise (no parse, or the
/// phrase modifies a noun), the nearest verb, not crossing a clause boundary to reach a
/// reporting verb ("…will leave Thursday, the minister said" attaches "Thursday" to "leave"). Tense and [`governing_timex`] both use it,
/// so they agree.
pub fn head_verb(
    words: &[&str],
    pos: &[Option<&str>],
    tree: Option<&LocalTree>,
    start: usize,
    end: usize,
) -> Option<usize> {
    if let Some(v) = tree.and_then(|t| t.governing_verb(pos, start, end)) {
        return Some(v);
    }
    let is_verb = |k: usize| is_verb_tag(pos[k]);
    let boundary = |w: &str| matches!(w, "," | "''" | "``" | "\"" | "“" | "”" | ";" | "(" | ")" | "--");
    (1..words.len()).find_map(|d| {
        let left = start.checked_sub(d).filter(|&k| is_verb(k));
        let right = Some(end - 1 + d).filter(|&k| {
            k < words.len() && is_verb(k) && !(is_reporting(words[k]) && words[end..k].iter().any(|w| boundary(w)))
        });
        left.or(right)
    })
}

/// The tense that governs the expression at tokens `[start, end)`: that of its [`head_verb`]
/// (reported speech puts "said Tuesday it will…" in the past for "Tuesday"), with a future
/// marker in that verb's group ("will", "is scheduled to") making it future, and a deadline
/// word before the expression ("until", "as soon as", "payable") making it the nearest
/// occurrence.
pub fn local_tense(words: &[&str], pos: &[Option<&str>], tree: Option<&LocalTree>, start: usize, end: usize) -> Tense {
    let is_verb = |k: usize| is_verb_tag(pos[k]);
    let deadline = start > 0
        && matches!(words[start - 1], "until" | "till" | "through" | "effective" | "payable" | "due" | "record")
        || start >= 3 && matches!(words[start - 3..start], ["as", "soon" | "early", "as"])
        || start >= 2
            && words[start - 1] == "to"
            && matches!(words[start - 2], "extended" | "postponed" | "delayed" | "deferred" | "moved" | "pushed");
    if deadline {
        return Tense::Nearest;
    }
    let nearest = head_verb(words, pos, tree, start, end);
    let Some(v) = nearest else { return tense(words, pos) };
    // Look back over the verb group: "will be held", "would still be held", "is scheduled to meet".
    let group_start = (0..v)
        .rev()
        .take_while(|&k| is_verb(k) || pos[k] == Some("RB") || matches!(words[k], "to" | "not" | "n't" | "be" | "also"))
        .last()
        .unwrap_or(v);
    let from = group_start.saturating_sub(1);
    let group = &words[from..=v];
    let next = |k: usize| words.get(from + k + 1).copied().unwrap_or("");
    let has = |ws: &[&str]| group.iter().any(|w| ws.contains(w));
    // The past perfect is past whatever was planned then: "had been due to expire Friday".
    if has(&["had"]) {
        return Tense::Past;
    }
    if group.iter().enumerate().any(|(k, w)| is_future_marker(w, next(k))) {
        return Tense::Future;
    }
    match pos[v] {
        Some("VBD") => Tense::Past,
        // A participle reads as past ("facilitated by China", "has met", "was signed"), except
        // in an infinitive or a present passive ("to be completed", "is held").
        Some("VBN") if has(&["to", "is", "are", "am", "be"]) && !has(&["has", "have", "had", "was", "were"]) => {
            Tense::Present
        }
        Some("VBN") => Tense::Past,
        // A present-tense action verb in a sentence with no past in it reads as scheduled
        // ("meet Monday"); a reporting verb ("says Monday") as reporting.
        Some("VBP" | "VBZ") if !is_reporting(words[v]) && !pos.contains(&Some("VBD")) => Tense::Nearest,
        _ => Tense::Present,
    }
}

/// Stage: the `timexes` layer.
#[derive(Default)]
pub struct TimeTagger;

impl Stage for TimeTagger {
    fn name(&self) -> &'static str {
        "time"
    }

    fn annotate(&self, doc: &mut Document) {
        let anchor = doc.published.map(|p| p.date);
        // A quarterly report: "a year ago" there means the same quarter a year before.
        let quarterly = doc.text.as_bytes().windows(7).any(|w| w.eq_ignore_ascii_case(b"quarter"));
        let mut timexes = Vec::new();
        // The last date the text itself gave, for "that day", "the following year".
        let mut reference: Option<(chrono::NaiveDate, recognize::Unit)> = None;
        for (a, b) in sentence_token_ranges(doc) {
            let toks = &doc.tokens[a..b];
            let raw: Vec<&str> = toks.iter().map(|t| &doc.text[t.span.start..t.span.end]).collect();
            let (lower, pos) = sentence_words(doc, a, b);
            let words: Vec<&str> = lower.iter().map(String::as_str).collect();
            let tree = LocalTree::of(doc, a, b);
            for c in recognize::recognize(&words, &raw) {
                let tense = local_tense(&words, &pos, tree.as_ref(), c.start, c.end);
                let mut sem = c.sem.clone();
                // In a quarterly report, "a year ago" is the same quarter a year before.
                if quarterly && words[c.start..c.end].iter().any(|w| w.ends_with("ago") || w.ends_with("earlier")) {
                    if let recognize::Sem::Relative { unit: recognize::Unit::Year, offset: -1 } = sem {
                        sem = recognize::Sem::Relative { unit: recognize::Unit::Quarter, offset: -5 };
                    }
                }
                let mut r = resolve::resolve(&sem, anchor, tense);
                if let recognize::Sem::Anaphoric { unit, offset } = sem {
                    r.value = reference.and_then(|(d, grain)| resolve::from_reference(d, grain, unit, offset));
                } else if let Some(found) = explicit_reference(&sem, r.value.as_deref()) {
                    reference = Some(found);
                }
                timexes.push(Timex {
                    span: Span::new(toks[c.start].span.start, toks[c.end - 1].span.end),
                    kind: r.kind,
                    value: r.value,
                    modifier: c.modifier.map(str::to_string),
                    end: r.end,
                });
            }
        }
        doc.timexes = timexes;
    }
}

/// A date the text states (not one counted from the publication date), with its grain, to
/// anchor later "that day", "the following year".
fn explicit_reference(sem: &recognize::Sem, value: Option<&str>) -> Option<(chrono::NaiveDate, recognize::Unit)> {
    use recognize::{Sem, Unit};
    let value = value?;
    let (grain, padded) = match sem {
        Sem::Date { day: Some(_), .. } => (Unit::Day, value.get(..10)?.to_string()),
        Sem::Date { day: None, .. } => (Unit::Month, format!("{}-01", value.get(..7)?)),
        Sem::Year(_) => (Unit::Year, format!("{}-01-01", value.get(..4)?)),
        _ => return None,
    };
    Some((chrono::NaiveDate::parse_from_str(&padded, "%Y-%m-%d").ok()?, grain))
}

/// The temporal expression that governs the clause around token `token`: the one attached
/// ([`head_verb`]: by the parse when there is one) to the clause's verb — `token` itself when
/// it is a verb, else the verb it hangs from. With none attached, the nearest one in the sentence that no clause boundary
/// (";", a quotation mark) separates from it.
pub fn governing_timex(doc: &Document, token: usize) -> Option<&Timex> {
    if token >= doc.tokens.len() || doc.sentences.is_empty() {
        return None;
    }
    // One sentence by binary search: the events stage asks this for every event.
    let (a, b) = dateline_nlp::sentence_range_of(doc, token);
    let toks = &doc.tokens[a..b];
    let (lower, pos) = sentence_words(doc, a, b);
    let words: Vec<&str> = lower.iter().map(String::as_str).collect();
    let tree = LocalTree::of(doc, a, b);
    let tree = tree.as_ref();
    let in_sentence: Vec<&Timex> = doc
        .timexes
        .iter()
        .filter(|t| t.span.start >= toks[0].span.start && t.span.end <= toks[b - a - 1].span.end)
        .collect();
    let local = token - a;
    let clause_verb =
        if is_verb_tag(pos[local]) { Some(local) } else { head_verb(&words, &pos, tree, local, local + 1) };
    let token_range = |t: &Timex| {
        let first = toks.iter().position(|x| x.span.end > t.span.start)?;
        let last = toks.iter().rposition(|x| x.span.start < t.span.end)?;
        Some((first, last + 1))
    };
    if let Some(verb) = clause_verb {
        let attached = in_sentence
            .iter()
            .find(|t| token_range(t).is_some_and(|(s, e)| head_verb(&words, &pos, tree, s, e) == Some(verb)));
        if let Some(t) = attached {
            return Some(t);
        }
    }
    let at = doc.tokens[token].span.start;
    let boundary = |from: usize, to: usize| {
        let (lo, hi) = if from < to { (from, to) } else { (to, from) };
        doc.text[lo..hi].contains([';', '“', '”', '"'])
    };
    in_sentence
        .into_iter()
        .filter(|t| !boundary(at, t.span.start))
        .min_by_key(|t| (t.span.start as i64 - at as i64).abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dateline_model::Published;

    /// (text, type, value, mod) of every expression, the document published on `published`.
    fn timexes(text: &str, published: Option<&str>) -> Vec<(String, &'static str, Option<String>, Option<String>)> {
        let mut doc = Document::new("t", text);
        doc.published = published.map(|p| p.parse::<Published>().unwrap());
        annotate(&mut doc, true);
        doc.timexes
            .iter()
            .map(|t| (doc.slice(t.span).to_string(), t.kind.as_str(), t.value.clone(), t.modifier.clone()))
            .collect()
    }

    /// Runs the stages before the time stage and the time stage, with or without the parse.
    pub(super) fn annotate(doc: &mut Document, parsed: bool) {
        dateline_nlp::Segmenter.annotate(doc);
        dateline_nlp::PosTagger::default().annotate(doc);
        if parsed {
            dateline_syntax::Syntax::default().annotate(doc);
        }
        TimeTagger.annotate(doc);
    }

    fn value_of(text: &str, published: &str, expr: &str) -> Option<String> {
        let all = timexes(text, Some(published));
        all.iter().find(|t| t.0 == expr).unwrap_or_else(|| panic!("{expr:?} not found in {all:?}")).2.clone()
    }

    /// Each row: (text, publication date, expression, its expected value).
    fn expect_values(rows: &[(&str, &str, &str, Option<&str>)]) {
        for (text, published, expr, expected) in rows {
            assert_eq!(value_of(text, published, expr).as_deref(), *expected, "{expr:?} in {text:?} ({published})");
        }
    }

    #[test]
    fn weekdays_follow_tense() {
        expect_values(&[
            // Saturday 2024-03-30.
            ("The envoys met on Thursday night.", "2024-03-30", "Thursday night", Some("2024-03-28TNI")),
            ("The council said on Friday it agreed.", "2024-03-30", "Friday", Some("2024-03-29")),
            ("The council is scheduled to vote on Monday.", "2024-03-30", "Monday", Some("2024-04-01")),
            ("Talks will resume next Wednesday.", "2024-03-30", "next Wednesday", Some("2024-04-03")),
            // Across a year end: Thursday 2025-01-02, "on Monday" in the past is 2024-12-30.
            ("The ferry sank on Monday.", "2025-01-02", "Monday", Some("2024-12-30")),
        ]);
    }

    #[test]
    fn calendar_dates_months_and_years() {
        expect_values(&[
            ("Fighting began on October 7, 2023.", "2024-03-30", "October 7, 2023", Some("2023-10-07")),
            ("They met on March 26.", "2024-03-30", "March 26", Some("2024-03-26")),
            ("In 2020, the states signed a pact.", "2023-06-20", "2020", Some("2020")),
            ("They agreed to mend ties in March.", "2023-06-20", "March", Some("2023-03")),
            // "last December" in January is the previous year's.
            ("Prices fell last December.", "2024-01-15", "last December", Some("2023-12")),
            ("The vote is held on 5 May 2025.", "2024-01-15", "5 May 2025", Some("2025-05-05")),
            ("Sales peaked in the 1990s.", "2024-01-15", "the 1990s", Some("199")),
        ]);
    }

    #[test]
    fn relative_expressions() {
        expect_values(&[
            // Tuesday 2023-06-20, ISO week 25.
            ("He has been there since the previous week.", "2023-06-20", "the previous week", Some("2023-W24")),
            ("Exports rose last year.", "2023-06-20", "last year", Some("2022")),
            ("The deal was signed two days ago.", "2023-06-20", "two days ago", Some("2023-06-18")),
            ("The mayor resigned yesterday.", "2024-03-01", "yesterday", Some("2024-02-29")),
            ("Profit fell in the third quarter of 2022.", "2023-06-20", "the third quarter of 2022", Some("2022-Q3")),
            ("Tourism recovered this summer.", "2023-08-20", "this summer", Some("2023-SU")),
            ("Officials now say it will pass.", "2023-08-20", "now", Some("PRESENT_REF")),
        ]);
    }

    #[test]
    fn durations_sets_times_and_modifiers() {
        expect_values(&[
            ("Buses run daily.", "2024-01-15", "daily", Some("P1D")),
            ("Polls close at 9 p.m. on election day.", "2024-01-15", "9 p.m.", Some("2024-01-15T21:00")),
        ]);
        let t =
            timexes("After more than 75 years of dispute and a six-month war, talks last 24 hours each week.", None);
        assert!(
            t.contains(&("more than 75 years".into(), "DURATION", Some("P75Y".into()), Some("MORE_THAN".into()))),
            "{t:?}"
        );
        assert!(t.contains(&("six-month".into(), "DURATION", Some("P6M".into()), None)), "{t:?}");
        assert!(t.contains(&("24 hours".into(), "DURATION", Some("PT24H".into()), None)), "{t:?}");
    }

    #[test]
    fn dates_the_text_states_win_over_weekdays_and_anchor_later_references() {
        expect_values(&[
            // Sunday 2021-10-10.
            ("The board met on Tuesday, Oct. 5, and again later.", "2021-10-10", "Tuesday, Oct. 5", Some("2021-10-05")),
            // "that day" after a bare year has no day to point at: unresolved, not guessed.
            ("In 2004 the dam opened. Crowds came that day.", "2021-10-10", "that day", None),
            ("Hearings are set for the week of March 6.", "2021-02-20", "the week of March 6", Some("2021-W09")),
        ]);
        let text = "The dam opened on May 3, 2004. The following year it flooded, and that year the mayor quit.";
        assert_eq!(value_of(text, "2021-10-10", "The following year").as_deref(), Some("2005"));
    }

    #[test]
    fn weekends_deadlines_and_the_publication_weekday() {
        expect_values(&[
            // Monday 2021-10-11: "over the weekend" in the past is Oct 9-10, ISO week 40.
            ("Talks stalled over the weekend.", "2021-10-11", "the weekend", Some("2021-W40-WE")),
            ("Crews will rest over the weekend.", "2021-10-11", "the weekend", Some("2021-W41-WE")),
            // A bound has no tense of its own: the nearest Thursday (Friday 2021-10-15).
            ("Until Thursday, nobody had called.", "2021-10-15", "Thursday", Some("2021-10-14")),
            ("The strike could end as soon as Monday.", "2021-10-15", "Monday", Some("2021-10-18")),
            // A date things are payable or due on (or holders of record by) is a deadline too,
            // whatever the verb's tense.
            ("The board declared a dividend payable Nov. 2.", "2021-10-15", "Nov. 2", Some("2021-11-02")),
            ("It went to holders of record Nov. 1.", "2021-10-15", "Nov. 1", Some("2021-11-01")),
            // The publication day's own weekday is that day, whatever the tense.
            ("Crowds will gather Monday.", "2021-10-11", "Monday", Some("2021-10-11")),
            // "set" is a future marker only before "to".
            ("The court set Friday as the deadline.", "2021-10-16", "Friday", Some("2021-10-15")),
        ]);
    }

    #[test]
    fn reporting_periods() {
        let p = "1995-11-03";
        expect_values(&[
            // Published 1995-11-03: the last quarter ended is Q3; the one under way is Q4.
            ("Profit rose in the quarter.", p, "the quarter", Some("1995-Q3")),
            ("Sales slowed in the current quarter.", p, "the current quarter", Some("1995-Q4")),
            ("Net fell from last year's third quarter.", p, "last year's third quarter", Some("1994-Q3")),
            ("Margins beat the 1994 second quarter.", p, "the 1994 second quarter", Some("1994-Q2")),
            ("Output fell in the first half of 1996.", p, "the first half of 1996", Some("1996-H1")),
        ]);
    }

    #[test]
    fn years_in_words_and_as_modifiers_centuries_and_counted_back_points() {
        let p = "1999-06-01";
        expect_values(&[
            ("The plant closed in nineteen eighty-four.", p, "nineteen eighty-four", Some("1984")),
            ("They cited a 1996 law on imports.", p, "1996", Some("1996")),
            ("The abbey dates from the 11th century.", p, "the 11th century", Some("10")),
            ("Rents doubled a few years ago.", p, "a few years ago", Some("PAST_REF")),
            ("The ferry ran each Thursday.", p, "each Thursday", Some("XXXX-WXX-4")),
            ("Exports doubled for two decades.", p, "two decades", Some("P20Y")),
            ("The climb took 2 1/2 years.", p, "2 1/2 years", Some("P2Y6M")),
            ("The shelter was hit last Thanksgiving.", "2000-02-10", "last Thanksgiving", Some("1999-11-25")),
            ("Crime fell through the nineties.", p, "the nineties", Some("199")),
            ("The feud is decades-long.", p, "decades-long", Some("PXY")),
            ("After a day-long meeting, they left.", p, "day-long", Some("P1D")),
            ("The talks need two more weeks.", p, "two more weeks", Some("P2W")),
            ("Trade grew over the past year.", p, "the past year", Some("1998")),
            ("Shares rose by mid-afternoon yesterday.", p, "mid-afternoon yesterday", Some("1999-05-31TAF")),
            ("The trip took place in late-November.", p, "late-November", Some("1998-11")),
        ]);
        let t = timexes("The bridge fell almost four years ago.", Some(p));
        assert_eq!(t[0].2.as_deref(), Some("1995"), "{t:?}");
    }

    #[test]
    fn ages_and_rates_are_not_times() {
        let t = timexes(
            "The 61 years old pilot and his 6-year-old son earn $90,000 a year and fly four times a week.",
            Some("1999-06-01"),
        );
        assert!(t.is_empty(), "{t:?}");
    }

    #[test]
    fn no_anchor_no_relative_value() {
        let t = timexes("On Monday the envoy said talks in March and last week had failed, as in 2019.", None);
        for (text, _, value, _) in &t {
            match text.as_str() {
                "2019" => assert_eq!(value.as_deref(), Some("2019")),
                _ => assert_eq!(value, &None, "{text} must stay unresolved"),
            }
        }
        assert!(t.len() >= 4, "{t:?}");
    }

    #[test]
    fn ramadan_is_a_named_period_with_dates() {
        let mut doc = Document::new("t", "Solidarity grew during the holy month of Ramadan.");
        doc.published = Some("2024-03-30".parse().unwrap());
        dateline_nlp::Segmenter.annotate(&mut doc);
        dateline_nlp::PosTagger::default().annotate(&mut doc);
        TimeTagger.annotate(&mut doc);
        let t = &doc.timexes[0];
        assert_eq!(doc.slice(t.span), "the holy month of Ramadan");
        assert!(
            t.value.as_deref().unwrap().starts_with("2024-03-1") && t.end.as_deref().unwrap().starts_with("2024-04-")
        );
    }
}

#[cfg(test)]
mod governing_tests {
    use super::*;
    use dateline_model::Published;
    use tests::annotate;

    #[test]
    fn the_nearest_expression_in_the_clause_governs() {
        for parsed in [true, false] {
            let mut doc = Document::new("t", "The envoys met on Monday; talks resume in May. They left on Friday.");
            doc.published = Some("2024-03-30".parse::<Published>().unwrap());
            annotate(&mut doc, parsed);
            let token = |w: &str| doc.tokens.iter().position(|t| doc.slice(t.span) == w).unwrap();
            let of = |w: &str| governing_timex(&doc, token(w)).map(|t| doc.slice(t.span).to_string());
            assert_eq!(of("met").as_deref(), Some("Monday"));
            assert_eq!(of("envoys").as_deref(), Some("Monday"));
            assert_eq!(of("resume").as_deref(), Some("May"));
            assert_eq!(of("left").as_deref(), Some("Friday"));
        }
    }

    #[test]
    fn an_expression_attached_to_another_verb_does_not_govern() {
        for parsed in [true, false] {
            let mut doc =
                Document::new("t", "The convoy will leave on Thursday, the minister said in a speech in May.");
            doc.published = Some("2024-03-30".parse::<Published>().unwrap());
            annotate(&mut doc, parsed);
            let token = |w: &str| doc.tokens.iter().position(|t| doc.slice(t.span) == w).unwrap();
            let of = |w: &str| governing_timex(&doc, token(w)).map(|t| doc.slice(t.span).to_string());
            assert_eq!(of("leave").as_deref(), Some("Thursday"));
            assert_eq!(of("said").as_deref(), Some("May"));
        }
    }
}
