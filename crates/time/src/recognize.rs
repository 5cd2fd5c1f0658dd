//! Finding temporal expressions: patterns over lowercased tokens, each producing a [`Sem`] —
//! what the expression means before any anchoring.

use chrono::Weekday;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Weekend,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

/// Which occurrence of a weekday, month or season is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Decided by the tense of the sentence.
    ByTense,
    Last,
    This,
    Next,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Sem {
    /// A calendar date, as much of it as is written; a missing year is inferred.
    Date {
        year: Option<i32>,
        month: u32,
        day: Option<u32>,
    },
    Year(i32),
    /// "the 1990s" → 199.
    Decade(i32),
    /// today (0), yesterday (-1), tomorrow (1), "two days ago" (-2).
    Day(i64),
    /// "last week" (-1), "this month" (0), "next year" (1), "three years ago" (-3, Year).
    Relative {
        unit: Unit,
        offset: i64,
    },
    Weekday {
        day: Weekday,
        which: Which,
    },
    Month {
        month: u32,
        which: Which,
    },
    Season {
        season: &'static str,
        which: Which,
        year: Option<i32>,
    },
    /// `quarter` 0: the quarter a report is about (the last one ended), or with `current` the
    /// one under way. `year_offset`: "last year's third quarter" (-1).
    Quarter {
        quarter: u32,
        year: Option<i32>,
        year_offset: Option<i64>,
        current: bool,
    },
    /// "the first half of 1990" (1 or 2).
    Half {
        half: u32,
        year: i32,
    },
    /// "the weekend": the one just past or, in the future tense, the coming one.
    Weekend,
    /// "the 20th century" → 19.
    Century(i64),
    /// "that day", "the following year": counted from the last date the text gave.
    Anaphoric {
        unit: Unit,
        offset: i64,
    },
    /// "the week of March 6": the ISO week of a date.
    WeekOf(Box<Sem>),
    /// A recurrence written as a calendar pattern: "each Thursday" (XXXX-WXX-4), "each July".
    Recurring(String),
    /// `None` amount: unspecified ("years", "several weeks").
    Duration {
        amount: Option<f64>,
        unit: Unit,
    },
    Reference(&'static str),
    Set {
        unit: Unit,
    },
    /// A time of day on a date (the date's meaning, or today).
    Clock {
        hour: u32,
        minute: u32,
        on: Option<Box<Sem>>,
    },
    /// Morning, night, …: "Thursday night", "tonight".
    PartOfDay {
        on: Box<Sem>,
        part: &'static str,
    },
    Ramadan {
        year: Option<i32>,
    },
    /// A holiday on a computable date ("Thanksgiving", "Christmas", "Election Day").
    Holiday {
        name: &'static str,
        year: Option<i32>,
        which: Which,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Token range `[start, end)`.
    pub start: usize,
    pub end: usize,
    pub sem: Sem,
    pub modifier: Option<&'static str>,
}

fn month_of(w: &str) -> Option<u32> {
    dateline_model::month_number(w)
}

fn weekday_of(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

pub fn unit_of(w: &str) -> Option<Unit> {
    Some(match w {
        "second" | "seconds" => Unit::Second,
        "minute" | "minutes" => Unit::Minute,
        "hour" | "hours" => Unit::Hour,
        "day" | "days" => Unit::Day,
        "week" | "weeks" => Unit::Week,
        "weekend" | "weekends" => Unit::Weekend,
        "month" | "months" => Unit::Month,
        "quarter" | "quarters" => Unit::Quarter,
        "year" | "years" => Unit::Year,
        "decade" | "decades" => Unit::Decade,
        "century" | "centuries" => Unit::Century,
        _ => return None,
    })
}

fn part_of_day(w: &str) -> Option<&'static str> {
    Some(match w {
        "morning" => "MO",
        "afternoon" => "AF",
        "evening" => "EV",
        "night" => "NI",
        _ => return None,
    })
}

fn small_number(w: &str) -> Option<f64> {
    Some(match w {
        "a" | "an" | "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "hundred" => 100.0,
        "half" => 0.5,
        "dozen" => 12.0,
        _ => return None,
    })
}

/// A number at `i`: digits, words ("twenty four", "twenty-four"), or a vague amount (`None`
/// inside `Some`: "several", "a few", "many"). Returns (amount, tokens used).
fn number(w: &[&str], i: usize) -> Option<(Option<f64>, usize)> {
    let t = *w.get(i)?;
    if matches!(t, "several" | "many" | "few" | "some" | "numerous") {
        return Some((None, 1));
    }
    if t == "a" && w.get(i + 1).is_some_and(|n| *n == "few" || *n == "couple") {
        let skip = if w.get(i + 2) == Some(&"of") { 3 } else { 2 };
        return Some((if w[i + 1] == "couple" { Some(2.0) } else { None }, skip));
    }
    if let Ok(n) = t.replace(',', "").parse::<f64>() {
        // "2 1/2 years".
        if w.get(i + 1) == Some(&"1/2") {
            return Some((Some(n + 0.5), 2));
        }
        return Some((Some(n), 1));
    }
    if let Some((a, b)) = t.split_once('-') {
        if let (Some(x), Some(y)) = (small_number(a), small_number(b)) {
            return Some((Some(x + y), 1));
        }
    }
    let first = small_number(t)?;
    if (20.0..100.0).contains(&first) {
        if let Some(n) = w.get(i + 1).and_then(|n| small_number(n)).filter(|n| (1.0..10.0).contains(n)) {
            return Some((Some(first + n), 2));
        }
    }
    Some((Some(first), 1))
}

/// A 4-digit year between 1800 and 2099.
fn year_of(w: &str) -> Option<i32> {
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|y| (1800..2100).contains(y))
}

fn day_of(w: &str) -> Option<u32> {
    let d = w.trim_end_matches(|c: char| c.is_alphabetic());
    if d.is_empty() || d.len() > 2 || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = &w[d.len()..];
    if !rest.is_empty() && !matches!(rest, "st" | "nd" | "rd" | "th") {
        return None;
    }
    d.parse().ok().filter(|d| (1..=31).contains(d))
}

const YEAR_CONTEXT: &[&str] = &[
    "in",
    "since",
    "by",
    "until",
    "till",
    "of",
    "during",
    "from",
    "to",
    "through",
    "before",
    "after",
    "between",
    "and",
    "early",
    "late",
    "mid",
    "fiscal",
    "around",
    "circa",
    "throughout",
    "for",
    "year",
    "the",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "-",
];

/// Whether a sentence talks of reporting periods ("quarter", "fiscal", "nine months").
fn quarterly_context(w: &[&str]) -> bool {
    w.iter().any(|x| matches!(*x, "quarter" | "quarterly" | "fiscal" | "profit" | "earnings" | "sales" | "net"))
}

/// Words that, before a weekday or month, put it in the future.
fn which_of(w: &str) -> Option<Which> {
    Some(match w {
        "last" | "past" | "previous" => Which::Last,
        "this" => Which::This,
        "next" | "coming" | "following" => Which::Next,
        _ => return None,
    })
}

/// Finds the temporal expressions of one sentence. `words` are its tokens, lowercased; `raw`
/// the tokens as written (capitalisation tells "May" the month from "may" the verb).
pub fn recognize(words: &[&str], raw: &[&str]) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if let Some(c) = match_at(words, raw, i) {
            i = c.end;
            out.push(c);
        } else {
            i += 1;
        }
    }
    out
}

fn modifier_at(w: &[&str], i: usize) -> Option<(&'static str, usize)> {
    let t = *w.get(i)?;
    let next = w.get(i + 1).copied().unwrap_or("");
    Some(match (t, next) {
        ("more", "than") | ("over", _) => ("MORE_THAN", if t == "more" { 2 } else { 1 }),
        ("less", "than") | ("under", _) | ("fewer", "than") => ("LESS_THAN", if t == "under" { 1 } else { 2 }),
        ("at", "least") => ("EQUAL_OR_MORE", 2),
        ("at", "most") | ("up", "to") | ("no", "more") => ("EQUAL_OR_LESS", 2),
        ("nearly", _) | ("almost", _) => ("LESS_THAN", 1),
        ("about", _) | ("around", _) | ("approximately", _) | ("roughly", _) | ("some", _) => ("APPROX", 1),
        _ => return None,
    })
}

fn match_at(w: &[&str], raw: &[&str], i: usize) -> Option<Candidate> {
    let cand = |start: usize, end: usize, sem: Sem| Some(Candidate { start, end, sem, modifier: None });
    let t = *w.get(i)?;
    let at = |k: usize| w.get(k).copied().unwrap_or("");

    // Modifiers before durations: "more than 75 years", "about two weeks"; and before a point
    // counted back: "almost four years ago".
    if let Some((m, len)) = modifier_at(w, i) {
        if let Some(mut c) = ago_at(w, i + len) {
            c.start = i;
            c.modifier = Some(m);
            return Some(c);
        }
        if let Some(mut c) = duration_at(w, i + len) {
            c.start = i;
            c.modifier = Some(m);
            return Some(c);
        }
    }
    // START/MID/END of a period: "early 2020", "late March", "mid-1990s", "the end of the year".
    if matches!(t, "early" | "late" | "mid") {
        if let Some(mut c) =
            match_at(w, raw, i + 1).filter(|c| c.start == i + 1 && !matches!(c.sem, Sem::Duration { .. }))
        {
            c.start = i;
            c.modifier = Some(match t {
                "early" => "START",
                "late" => "END",
                _ => "MID",
            });
            return Some(c);
        }
    }
    // "mid-1990s", "late-November", "early-2020".
    if let Some((edge, rest)) = t.split_once('-').filter(|(e, _)| matches!(*e, "mid" | "late" | "early")) {
        let modifier = Some(match edge {
            "early" => "START",
            "late" => "END",
            _ => "MID",
        });
        if let Some(m) = month_of(rest) {
            return Some(Candidate {
                start: i,
                end: i + 1,
                sem: Sem::Month { month: m, which: Which::ByTense },
                modifier,
            });
        }
        if let Some(y) = year_of(rest) {
            return Some(Candidate { start: i, end: i + 1, sem: Sem::Year(y), modifier });
        }
        if let Some(d) = rest.strip_suffix('s').and_then(year_of) {
            return Some(Candidate { start: i, end: i + 1, sem: Sem::Decade(d / 10), modifier });
        }
        // "mid-afternoon [yesterday]": a part of the publication day, or of the day named next.
        if let Some(part) = part_of_day(rest) {
            return part_of_day_at(w, raw, i, i + 1, part);
        }
    }
    // "mid afternoon", "by late morning".
    if matches!(t, "mid" | "late" | "early") {
        if let Some(part) = part_of_day(at(i + 1)).filter(|_| !matches!(at(i + 2), "of" | "on")) {
            return part_of_day_at(w, raw, i, i + 2, part);
        }
    }
    // "the nineties": the decade of the 1900s it names.
    if t == "the" {
        let decade = match at(i + 1) {
            "twenties" => Some(192),
            "thirties" => Some(193),
            "forties" => Some(194),
            "fifties" => Some(195),
            "sixties" => Some(196),
            "seventies" => Some(197),
            "eighties" => Some(198),
            "nineties" => Some(199),
            _ => None,
        };
        if let Some(d) = decade {
            return cand(i, i + 2, Sem::Decade(d));
        }
    }
    if let Some(rest) = t.strip_prefix("mid-") {
        if let Some(y) = year_of(rest) {
            return Some(Candidate { start: i, end: i + 1, sem: Sem::Year(y), modifier: Some("MID") });
        }
        if let Some(d) = rest.strip_suffix('s').and_then(year_of) {
            return Some(Candidate { start: i, end: i + 1, sem: Sem::Decade(d / 10), modifier: Some("MID") });
        }
    }
    // ISO dates.
    if t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-' {
        if let (Some(y), Ok(m), Ok(d)) = (year_of(&t[..4]), t[5..7].parse::<u32>(), t[8..10].parse::<u32>()) {
            return cand(i, i + 1, Sem::Date { year: Some(y), month: m, day: Some(d) });
        }
    }
    // Month [day][,] [year], and "Month year".
    if let Some(m) = month_of(t) {
        let capitalised = raw[i].starts_with(char::is_uppercase);
        let ambiguous = matches!(t, "may" | "march" | "mar" | "jan" | "sep" | "dec");
        if capitalised || !ambiguous {
            if let Some(d) = day_of(at(i + 1)) {
                let mut end = i + 2;
                let mut year = None;
                let k = if at(end) == "," { end + 1 } else { end };
                if let Some(y) = year_of(at(k)) {
                    year = Some(y);
                    end = k + 1;
                }
                return cand(i, end, Sem::Date { year, month: m, day: Some(d) });
            }
            if let Some(y) = year_of(at(i + 1)) {
                return cand(i, i + 2, Sem::Date { year: Some(y), month: m, day: None });
            }
            if let Some((y, len)) = spelled_year(w, i + 1) {
                return cand(i, i + 1 + len, Sem::Date { year: Some(y), month: m, day: None });
            }
            let prev = if i > 0 { w[i - 1] } else { "" };
            if let Some(which) = which_of(prev) {
                return cand(i - 1, i + 1, Sem::Month { month: m, which });
            }
            // A lone month name needs a capital and, for "May"/"March", a preposition before it.
            if capitalised
                && (!ambiguous
                    || matches!(
                        prev,
                        "in" | "since"
                            | "until"
                            | "by"
                            | "of"
                            | "during"
                            | "from"
                            | "to"
                            | "before"
                            | "after"
                            | "early"
                            | "late"
                            | "mid"
                    ))
            {
                return cand(i, i + 1, Sem::Month { month: m, which: Which::ByTense });
            }
        }
    }
    // Day Month [year]: "26 March 2024".
    if let (Some(d), Some(m)) = (day_of(t), month_of(at(i + 1))) {
        if raw.get(i + 1).is_some_and(|r| r.starts_with(char::is_uppercase)) {
            if let Some(y) = year_of(at(i + 2)) {
                return cand(i, i + 3, Sem::Date { year: Some(y), month: m, day: Some(d) });
            }
            return cand(i, i + 2, Sem::Date { year: None, month: m, day: Some(d) });
        }
    }
    // [last|next|this] Weekday [part of day].
    let (which, wi) = match which_of(t) {
        Some(wh) if weekday_of(at(i + 1)).is_some() => (wh, i + 1),
        _ => (Which::ByTense, i),
    };
    if let Some(day) = weekday_of(at(wi)) {
        // "Monday, May 3": the date says which Monday.
        let k = if at(wi + 1) == "," { wi + 2 } else { wi + 1 };
        if let Some(d) = match_at(w, raw, k).filter(|d| d.start == k && matches!(d.sem, Sem::Date { day: Some(_), .. }))
        {
            return cand(i, d.end, d.sem);
        }
        let sem = Sem::Weekday { day, which };
        if let Some(part) = part_of_day(at(wi + 1)) {
            return cand(i, wi + 2, Sem::PartOfDay { on: Box::new(sem), part });
        }
        return cand(i, wi + 1, sem);
    }
    // today, yesterday, tomorrow, tonight [part of day].
    let day = match t {
        "today" => Some(0),
        "yesterday" => Some(-1),
        "tomorrow" => Some(1),
        _ => None,
    };
    if let Some(d) = day {
        if let Some(part) = part_of_day(at(i + 1)) {
            return cand(i, i + 2, Sem::PartOfDay { on: Box::new(Sem::Day(d)), part });
        }
        return cand(i, i + 1, Sem::Day(d));
    }
    if t == "tonight" {
        return cand(i, i + 1, Sem::PartOfDay { on: Box::new(Sem::Day(0)), part: "NI" });
    }
    // this/last/next morning, night.
    if let (Some(which), Some(part)) = (which_of(t), part_of_day(at(i + 1))) {
        let d = match (which, part) {
            (Which::Last, _) => -1,
            (Which::Next, _) => 1,
            _ => 0,
        };
        return cand(i, i + 2, Sem::PartOfDay { on: Box::new(Sem::Day(d)), part });
    }
    // "the weekend", "over the weekend".
    if t == "the" && at(i + 1) == "weekend" {
        return cand(i, i + 2, Sem::Weekend);
    }
    // "the week of March 6".
    if t == "the" && at(i + 1) == "week" && at(i + 2) == "of" {
        if let Some(d) =
            match_at(w, raw, i + 3).filter(|d| d.start == i + 3 && matches!(d.sem, Sem::Date { day: Some(_), .. }))
        {
            return cand(i, d.end, Sem::WeekOf(Box::new(d.sem)));
        }
    }
    // Quarters: "the first quarter [of 1997]", "the fourth quarter".
    let ord = |x: &str| match x {
        "first" | "1st" => Some(1),
        "second" | "2nd" => Some(2),
        "third" | "3rd" => Some(3),
        "fourth" | "4th" => Some(4),
        _ => None,
    };
    let q_start = if t == "the" { i + 1 } else { i };
    if let (Some(q), "quarter") = (ord(at(q_start)), at(q_start + 1)) {
        let mut end = q_start + 2;
        let mut year = None;
        if at(end) == "of" {
            if let Some(y) = year_of(at(end + 1)) {
                year = Some(y);
                end += 2;
            }
        }
        return cand(i, end, Sem::Quarter { quarter: q, year, year_offset: None, current: false });
    }
    // "third-quarter", "the fourth-quarter", "the quarter", "the latest quarter".
    let (q_det, qk) = if t == "the" { (true, i + 1) } else { (false, i) };
    if let Some((o, "quarter")) = at(qk).split_once('-') {
        if let Some(q) = ord(o) {
            return cand(i, qk + 1, Sem::Quarter { quarter: q, year: None, year_offset: None, current: false });
        }
    }
    if q_det
        && (at(qk) == "quarter"
            || matches!(at(qk), "latest" | "current" | "recent" | "fiscal") && at(qk + 1) == "quarter"
            || at(qk) == "latest" && at(qk + 1) == "period" && quarterly_context(w))
    {
        let end = if at(qk) == "quarter" { qk + 1 } else { qk + 2 };
        if !matches!(at(end), "of" | "century" | "-") {
            let current = at(qk) == "current";
            // "the quarter a year ago": the same quarter of the year before.
            if matches!((at(end), at(end + 1), at(end + 2)), ("a", "year", "ago" | "earlier")) {
                let sem = Sem::Quarter { quarter: 0, year: None, year_offset: Some(-1), current };
                return cand(i, end + 3, sem);
            }
            return cand(i, end, Sem::Quarter { quarter: 0, year: None, year_offset: None, current });
        }
    }
    // "this year's third quarter", "last year's quarter", "next year's first quarter".
    if let Some(which) = which_of(t) {
        let (k, year_word) = match (at(i + 1), at(i + 2)) {
            ("year's", _) => (i + 2, true),
            ("year", "'s") => (i + 3, true),
            _ => (i, false),
        };
        if year_word {
            let year_offset = Some(match which {
                Which::Last => -1,
                Which::Next => 1,
                _ => 0,
            });
            if let (Some(q), "quarter") = (ord(at(k)), at(k + 1)) {
                return cand(i, k + 2, Sem::Quarter { quarter: q, year: None, year_offset, current: false });
            }
            if let Some(q) = at(k).strip_suffix("-quarter").and_then(ord) {
                return cand(i, k + 1, Sem::Quarter { quarter: q, year: None, year_offset, current: false });
            }
            if at(k) == "quarter" {
                return cand(i, k + 1, Sem::Quarter { quarter: 0, year: None, year_offset, current: false });
            }
        }
    }
    // "the 1988 third quarter", "the 1988 quarter", "the 1989 period".
    if t == "the" {
        if let Some(y) = year_of(at(i + 1)) {
            if let (Some(q), "quarter") = (ord(at(i + 2)), at(i + 3)) {
                return cand(i, i + 4, Sem::Quarter { quarter: q, year: Some(y), year_offset: None, current: false });
            }
            if let Some(q) = at(i + 2).strip_suffix("-quarter").and_then(ord) {
                return cand(i, i + 3, Sem::Quarter { quarter: q, year: Some(y), year_offset: None, current: false });
            }
            if matches!(at(i + 2), "quarter" | "period") {
                return cand(i, i + 3, Sem::Quarter { quarter: 0, year: Some(y), year_offset: None, current: false });
            }
        }
    }
    // "the first half of 1990", "the last half of 1989", "the first two quarters of 1990".
    {
        let k = if t == "the" { i + 1 } else { i };
        let half = match (at(k), at(k + 1), at(k + 2)) {
            ("first", "half", _) | ("first", "two", "quarters") => Some(1),
            ("second" | "last", "half", _) | ("last", "two", "quarters") => Some(2),
            _ => None,
        };
        if let Some(half) = half {
            let of = if at(k + 1) == "half" { k + 2 } else { k + 3 };
            if at(of) == "of" {
                if let Some(year) = year_of(at(of + 1)) {
                    return cand(i, of + 2, Sem::Half { half, year });
                }
            }
        }
    }
    // "the year-ago quarter", "year-earlier", "the year-earlier period": a year before.
    if let Some(adj) = [at(qk)].into_iter().find(|a| matches!(*a, "year-ago" | "year-earlier")) {
        let _ = adj;
        let end = if matches!(at(qk + 1), "quarter" | "period" | "level" | "levels") { qk + 2 } else { qk + 1 };
        let start = if matches!(at(qk + 1), "quarter" | "period") { i } else { qk };
        return cand(start, end, Sem::Relative { unit: Unit::Year, offset: -1 });
    }
    // "the year two thousand".
    if t == "the" && at(i + 1) == "year" {
        if let Some((y, len)) = spelled_year(w, i + 2) {
            return cand(i, i + 2 + len, Sem::Year(y));
        }
    }
    // "the year": a span after "for", the current year after "in", "during", "earlier in".
    if t == "the" && matches!(at(i + 1), "year" | "full") {
        let end = if at(i + 1) == "full" && at(i + 2) == "year" {
            i + 3
        } else if at(i + 1) == "year" {
            i + 2
        } else {
            0
        };
        if end > 0 && !matches!(at(end), "before" | "after" | "ago" | "earlier" | "later" | "'s" | "-") {
            let prev = if i > 0 { w[i - 1] } else { "" };
            if prev == "for" && at(i + 1) == "year" {
                return cand(i, end, Sem::Duration { amount: Some(1.0), unit: Unit::Year });
            }
            if matches!(prev, "in" | "during" | "of" | "through" | "throughout") || at(i + 1) == "full" {
                return cand(i, end, Sem::Relative { unit: Unit::Year, offset: 0 });
            }
        }
    }
    // Holidays.
    let holiday = match (t, at(i + 1)) {
        ("thanksgiving", "day") => Some(("thanksgiving", 2)),
        ("thanksgiving", _) => Some(("thanksgiving", 1)),
        ("christmas", "day" | "eve") => Some((if at(i + 1) == "eve" { "christmas-eve" } else { "christmas" }, 2)),
        ("christmas", _) => Some(("christmas", 1)),
        ("new", "year's") if at(i + 2) == "day" => Some(("new-year", 3)),
        ("election", "day") => Some(("election", 2)),
        ("easter", "sunday") => Some(("easter", 2)),
        ("easter", _) => Some(("easter", 1)),
        ("independence", "day") => Some(("independence", 2)),
        ("labor", "day") => Some(("labor", 2)),
        ("memorial", "day") => Some(("memorial", 2)),
        _ => None,
    };
    if let Some((name, len)) = holiday {
        if raw[i].starts_with(char::is_uppercase) {
            let year = year_of(at(i + len));
            return cand(i, i + len + usize::from(year.is_some()), Sem::Holiday { name, year, which: Which::ByTense });
        }
    }
    // "last Thanksgiving", "next Christmas".
    if let Some(which) = which_of(t) {
        if let Some(c) = match_at(w, raw, i + 1).filter(|c| c.start == i + 1) {
            if let Sem::Holiday { name, year: None, .. } = c.sem {
                return cand(i, c.end, Sem::Holiday { name, year: None, which });
            }
        }
    }
    // "that day", "that year", "the following month", "the next day": anchored on the last
    // date the article gave, not on its publication.
    if let Some(offset) = match (t, at(i + 1)) {
        ("that", _) => Some(0),
        ("the", "following" | "next") => Some(1),
        _ => None,
    } {
        let u = if t == "that" { at(i + 1) } else { at(i + 2) };
        if let Some(unit) = unit_of(u).filter(|u| matches!(u, Unit::Day | Unit::Week | Unit::Month | Unit::Year)) {
            if !u.ends_with('s') {
                let end = if t == "that" { i + 2 } else { i + 3 };
                return cand(i, end, Sem::Anaphoric { unit, offset });
            }
        }
    }
    // [the] last/this/next/past/previous/coming + unit, season or quarter.
    let (det, k) = if t == "the" { (true, i + 1) } else { (false, i) };
    if let Some(which) = which_of(at(k)) {
        let u = at(k + 1);
        if let Some(season) = season_of(u) {
            return cand(i, k + 2, Sem::Season { season, which, year: None });
        }
        if let Some(unit) = unit_of(u) {
            let plural = u.ends_with('s');
            // "the past weeks": a span of time; "last week", and as TimeBank has it "the past
            // year" (the year before this one), a date.
            if plural {
                return cand(i, k + 2, Sem::Duration { amount: if plural { None } else { Some(1.0) }, unit });
            }
            let offset = match which {
                Which::Last => -1,
                Which::Next => 1,
                _ => 0,
            };
            return cand(i, k + 2, Sem::Relative { unit, offset });
        }
        // "the past/last/next N units" ("last" alone may be the verb: "talks last 24 hours").
        let introduced =
            det || (i > 0 && matches!(w[i - 1], "in" | "over" | "for" | "during" | "within" | "throughout"));
        if let Some((amount, len)) = number(w, k + 1).filter(|_| introduced || at(k) != "last") {
            if let Some(unit) = unit_of(at(k + 1 + len)) {
                return cand(i, k + 2 + len, Sem::Duration { amount, unit });
            }
        }
    }
    if let Some(c) = ago_at(w, i) {
        return Some(c);
    }
    // "the 20th century", "the 11th century".
    {
        let k = if t == "the" { i + 1 } else { i };
        if matches!(at(k + 1), "century" | "century's") {
            let n = at(k)
                .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .parse::<i64>()
                .ok()
                .filter(|_| matches!(at(k).get(at(k).len().saturating_sub(2)..), Some("st" | "nd" | "rd" | "th")));
            if let Some(n) = n.filter(|n| (1..=21).contains(n)) {
                return cand(i, k + 2, Sem::Century(n - 1));
            }
        }
    }
    if let Some(c) = duration_at(w, i) {
        let prev = if i > 0 { w[i - 1] } else { "" };
        let prev2 = if i > 1 { w[i - 2] } else { "" };
        let numeric = |x: &str| {
            x.starts_with(|c: char| c.is_ascii_digit())
                || matches!(x, "million" | "billion" | "thousand" | "hundred" | "%" | "percent")
                || small_number(x).is_some_and(|n| n >= 2.0)
        };
        // Ages ("52 years old") are not times; nor are rates ("$2 million a year", "four
        // flights a week", "24 hours a day").
        let age = at(c.end) == "old";
        let rate = matches!(t, "a" | "an") && (numeric(prev) || numeric(prev2) || prev == "per");
        if !age && !rate {
            return Some(c);
        }
        return None;
    }
    // "in recent years": the past; "for years", "for decades": an unspecified span.
    if t == "recent" && matches!(at(i + 1), "years" | "months" | "decades" | "weeks" | "days") {
        return cand(i, i + 2, Sem::Reference("PAST_REF"));
    }
    if matches!(t, "years" | "months" | "decades" | "weeks") && i > 0 && w[i - 1] == "for" {
        return cand(i, i + 1, Sem::Duration { amount: None, unit: unit_of(t).expect("unit word") });
    }
    // Years and decades.
    if let Some(y) = year_of(t) {
        let prev = if i > 0 { w[i - 1] } else { "" };
        let next = at(i + 1);
        let prev_is_amount = prev.starts_with(|c: char| c.is_ascii_digit())
            || matches!(prev, "$" | "£" | "€" | "about" | "some" | "nearly" | "over" | "than");
        // "a 1996 law", "its 1990 invasion", "the company's 1989 results": a year as a modifier.
        let determiner = matches!(prev, "a" | "an" | "its" | "his" | "her" | "their" | "our" | "that" | "this" | "'s");
        let noun_after = next.starts_with(|c: char| c.is_ascii_lowercase())
            && !matches!(
                next,
                "people"
                    | "troops"
                    | "men"
                    | "women"
                    | "votes"
                    | "shares"
                    | "jobs"
                    | "miles"
                    | "meters"
                    | "metres"
                    | "feet"
                    | "tons"
                    | "tonnes"
                    | "km"
                    | "kilometers"
                    | "kilometres"
                    | "units"
                    | "cars"
                    | "acres"
            );
        if YEAR_CONTEXT.contains(&prev)
            || i == 0
            || (determiner && noun_after)
            || (!prev_is_amount
                && matches!(
                    next,
                    "" | ","
                        | "."
                        | ")"
                        | ";"
                        | "'s"
                        | "and"
                        | "budget"
                        | "election"
                        | "elections"
                        | "season"
                        | "levels"
                        | "level"
                        | "census"
                        | "model"
                ))
        {
            return cand(i, i + 1, Sem::Year(y));
        }
    }
    if let Some((y, len)) = spelled_year(w, i) {
        return cand(i, i + len, Sem::Year(y));
    }
    if let Some(d) = t.strip_suffix('s').and_then(year_of) {
        if d % 10 == 0 {
            let start = if i > 0 && w[i - 1] == "the" { i - 1 } else { i };
            return cand(start, i + 1, Sem::Decade(d / 10));
        }
    }
    if t == "fiscal" {
        if let Some(y) = year_of(at(i + 1)) {
            return cand(i, i + 2, Sem::Year(y));
        }
    }
    // "the winter of 1994": a season of a given year.
    if t == "the" && at(i + 2) == "of" {
        if let Some(season) = season_of(at(i + 1)) {
            let year = year_of(at(i + 3)).map(|y| (y, 1)).or_else(|| spelled_year(w, i + 3));
            if let Some((y, len)) = year {
                return cand(i, i + 3 + len, Sem::Season { season, which: Which::This, year: Some(y) });
            }
        }
    }
    // Seasons with a year or a preposition: "summer 2020", "in the spring".
    if let Some(season) = season_of(t) {
        if let Some(y) = year_of(at(i + 1)) {
            return cand(i, i + 2, Sem::Season { season, which: Which::This, year: Some(y) });
        }
        if t != "fall" && i > 0 && matches!(w[i - 1], "the" | "in" | "this" | "last" | "next") {
            return cand(i, i + 1, Sem::Season { season, which: Which::ByTense, year: None });
        }
    }
    // Clock times: "10:30 a.m.", "3 p.m.", "21:28 GMT", "noon", "midnight", with the day
    // that follows them ("4 a.m. Thursday", "5 p.m. EST, Nov. 6").
    if let Some(mut c) = clock_at(w, i) {
        let mut k = c.end;
        // "10:35 a.m. (0735 GMT) Friday": past a parenthesis giving the time elsewhere.
        if at(k) == "(" {
            if let Some(close) = (k + 1..(k + 6).min(w.len())).find(|&j| w[j] == ")") {
                k = close + 1;
            }
        }
        let k = if matches!(at(k), "," | "on") { k + 1 } else { k };
        if let Some(day) = match_at(w, raw, k).filter(|d| {
            d.start == k && matches!(d.sem, Sem::Weekday { .. } | Sem::Date { day: Some(_), .. } | Sem::Day(_))
        }) {
            if let Sem::Clock { on, .. } = &mut c.sem {
                *on = Some(Box::new(day.sem));
            }
            c.end = day.end;
        }
        return Some(c);
    }
    // Ramadan, with "the holy month of" before it when present.
    if t == "ramadan" {
        let mut start = i;
        if i >= 4 && w[i - 1] == "of" && w[i - 2] == "month" {
            start = if w[i - 3] == "holy" && i >= 4 && w[i - 4] == "the" { i - 4 } else { i - 2 };
        }
        let year = year_of(at(i + 1));
        return cand(start, i + 1 + usize::from(year.is_some()), Sem::Ramadan { year });
    }
    // Sets: "every week", "each year", "daily", "annually".
    if matches!(t, "every" | "each" | "per") {
        if let Some(unit) = unit_of(at(i + 1)) {
            return cand(i, i + 2, Sem::Set { unit });
        }
        if let Some(day) = weekday_of(at(i + 1)) {
            return cand(i, i + 2, Sem::Recurring(format!("XXXX-WXX-{}", day.number_from_monday())));
        }
        if let Some(m) = month_of(at(i + 1)).filter(|_| raw[i + 1].starts_with(char::is_uppercase)) {
            return cand(i, i + 2, Sem::Recurring(format!("XXXX-{m:02}")));
        }
    }
    let set_unit = match t {
        "daily" => Some(Unit::Day),
        "weekly" => Some(Unit::Week),
        "monthly" => Some(Unit::Month),
        "annually" | "yearly" | "annual" => Some(Unit::Year),
        "hourly" => Some(Unit::Hour),
        _ => None,
    };
    if let Some(unit) = set_unit {
        if t != "annual" {
            return cand(i, i + 1, Sem::Set { unit });
        }
    }
    // References to the present, past and future.
    let reference = match (t, at(i + 1)) {
        ("now", _) | ("currently", _) | ("nowadays", _) => Some(("PRESENT_REF", 1)),
        ("recently", _) => Some(("PAST_REF", 1)),
        ("the", "past") if !matches!(at(i + 2), "few" | "two" | "three" | "several") => Some(("PAST_REF", 2)),
        ("the", "future") => Some(("FUTURE_REF", 2)),
        _ => None,
    };
    if let Some((r, len)) = reference {
        return cand(i, i + len, Sem::Reference(r));
    }
    None
}

fn season_of(w: &str) -> Option<&'static str> {
    Some(match w {
        "spring" => "SP",
        "summer" => "SU",
        "autumn" | "fall" => "FA",
        "winter" => "WI",
        _ => return None,
    })
}

/// A part of day at tokens `[start, end)`, on the day named right after it ("mid-afternoon
/// yesterday", "late morning Friday") or else on the publication day.
fn part_of_day_at(w: &[&str], raw: &[&str], start: usize, end: usize, part: &'static str) -> Option<Candidate> {
    let day = match_at(w, raw, end).filter(|d| d.start == end && matches!(d.sem, Sem::Day(_) | Sem::Weekday { .. }));
    let (on, end) = match day {
        Some(d) => (d.sem, d.end),
        None => (Sem::Day(0), end),
    };
    Some(Candidate { start, end, sem: Sem::PartOfDay { on: Box::new(on), part }, modifier: None })
}

/// "N units ago": a point counted back from the anchor; a vague amount ("a few years ago")
/// only says "in the past".
fn ago_at(w: &[&str], i: usize) -> Option<Candidate> {
    let (amount, len) = number(w, i)?;
    let unit = unit_of(w.get(i + len)?)?;
    if !matches!(w.get(i + len + 1).copied(), Some("ago" | "earlier")) {
        return None;
    }
    let sem = match amount {
        None => Sem::Reference("PAST_REF"),
        Some(n) if unit == Unit::Day => Sem::Day(-(n as i64)),
        Some(n) => Sem::Relative { unit, offset: -(n as i64) },
    };
    Some(Candidate { start: i, end: i + len + 2, sem, modifier: None })
}

/// A year written in words: "nineteen ninety-six", "nineteen seventy nine"; with "the year"
/// before it, "two thousand". Returns (year, tokens used).
fn spelled_year(w: &[&str], i: usize) -> Option<(i32, usize)> {
    let t = *w.get(i)?;
    if t == "nineteen" || t == "eighteen" {
        let century = if t == "nineteen" { 1900 } else { 1800 };
        let (n, len) = number(w, i + 1)?;
        let n = n?;
        if (10.0..100.0).contains(&n) && n.fract() == 0.0 {
            return Some((century + n as i32, 1 + len));
        }
        return None;
    }
    if t == "two" && w.get(i + 1) == Some(&"thousand") && i >= 2 && w[i - 1] == "year" {
        if let Some((Some(n), len)) = w.get(i + 2).filter(|n| **n != "and").and_then(|_| number(w, i + 2)) {
            if (1.0..100.0).contains(&n) {
                return Some((2000 + n as i32, 2 + len));
            }
        }
        return Some((2000, 2));
    }
    None
}

/// "five years", "six-month", "24 hours", "two weeks", "years".
fn duration_at(w: &[&str], i: usize) -> Option<Candidate> {
    let t = *w.get(i)?;
    // "day-long", "decades-long": how long something lasts.
    // (Not "6-year-old": ages are not times.)
    if let Some(stem) = t.strip_suffix("-long") {
        let (amount, u) = match stem.rsplit_once('-') {
            Some((n, u)) => (number(&[n], 0).and_then(|(a, len)| (len == 1).then_some(a)), u),
            None => (if stem.ends_with('s') { Some(None) } else { Some(Some(1.0)) }, stem),
        };
        if let (Some(amount), Some(unit)) = (amount, unit_of(u)) {
            return Some(Candidate { start: i, end: i + 1, sem: Sem::Duration { amount, unit }, modifier: None });
        }
    }
    // "six-month", "24-hour", "five-year".
    if let Some((n, u)) = t.rsplit_once('-') {
        // "six-month", "five-year"; not fractions ("three-quarters").
        if let Some(unit) = unit_of(u).filter(|_| !u.ends_with('s')) {
            if let Some((amount, 1)) = number(&[n], 0) {
                return Some(Candidate { start: i, end: i + 1, sem: Sem::Duration { amount, unit }, modifier: None });
            }
        }
    }
    if let Some((amount, len)) = number(w, i) {
        // "two more weeks", "an additional year": the amount still to come.
        let len = if matches!(w.get(i + len).copied(), Some("more" | "additional" | "extra" | "further")) {
            len + 1
        } else {
            len
        };
        // Not "a second time", "a quarter of the vote".
        let ordinal = matches!(t, "a" | "an") && w.get(i + 1).is_some_and(|u| matches!(*u, "second" | "quarter"));
        if let Some(unit) = w.get(i + len).and_then(|u| unit_of(u)).filter(|_| !ordinal) {
            // "a minute and a half".
            if w.get(i + len + 1..i + len + 4) == Some(&["and", "a", "half"][..]) {
                let amount = amount.map(|a| a + 0.5);
                return Some(Candidate {
                    start: i,
                    end: i + len + 4,
                    sem: Sem::Duration { amount, unit },
                    modifier: None,
                });
            }
            // "a year" after money is a rate, handled by the caller as a set; "one day" as in
            // "one day in March" stays a duration here.
            return Some(Candidate { start: i, end: i + len + 1, sem: Sem::Duration { amount, unit }, modifier: None });
        }
    }
    None
}

fn clock_at(w: &[&str], i: usize) -> Option<Candidate> {
    let t = *w.get(i)?;
    let next = w.get(i + 1).copied().unwrap_or("");
    let meridian = |s: &str| match s {
        "a.m." | "am" | "a.m" => Some(false),
        "p.m." | "pm" | "p.m" => Some(true),
        _ => None,
    };
    let (hour, minute) = if let Some((h, m)) = t.split_once(':') {
        (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)
    } else if t == "noon" || t == "midday" {
        return Some(Candidate {
            start: i,
            end: i + 1,
            sem: Sem::Clock { hour: 12, minute: 0, on: None },
            modifier: None,
        });
    } else if t == "midnight" {
        return Some(Candidate {
            start: i,
            end: i + 1,
            sem: Sem::Clock { hour: 24, minute: 0, on: None },
            modifier: None,
        });
    } else if meridian(next).is_some() {
        (t.parse::<u32>().ok()?, 0)
    } else {
        return None;
    };
    if hour > 24 || minute > 59 {
        return None;
    }
    let mut end = i + 1;
    let mut hour = hour;
    if let Some(pm) = meridian(next) {
        end += 1;
        if pm && hour < 12 {
            hour += 12;
        } else if !pm && hour == 12 {
            hour = 0;
        }
    } else if !t.contains(':') {
        return None;
    }
    if matches!(w.get(end).copied(), Some("gmt" | "utc" | "est" | "edt" | "pst" | "et" | "bst")) {
        end += 1;
    }
    Some(Candidate { start: i, end, sem: Sem::Clock { hour, minute, on: None }, modifier: None })
}
