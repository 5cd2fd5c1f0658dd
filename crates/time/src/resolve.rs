//! Turning a recognized expression into a TIMEX3 type and value, given the anchor (the
//! publication date) and the tense of its sentence. No anchor, no value for anything relative.

use crate::calendar::{add_days, add_months, iso_week, ramadan, weekday_from, ymd};
use crate::recognize::{Sem, Unit, Which};
use chrono::{Datelike, NaiveDate};
use dateline_model::TimexType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Past,
    Present,
    Future,
    /// A bound with no direction of its own ("until Thursday", "through August"): the nearest
    /// occurrence on either side.
    Nearest,
}

pub struct Resolved {
    pub kind: TimexType,
    pub value: Option<String>,
    /// Last day of a named period whose `value` is its first day.
    pub end: Option<String>,
}

fn unit_code(u: Unit) -> (&'static str, bool) {
    // (designator, is a time unit needing "T")
    match u {
        Unit::Second => ("S", true),
        Unit::Minute => ("M", true),
        Unit::Hour => ("H", true),
        Unit::Day => ("D", false),
        Unit::Week => ("W", false),
        Unit::Weekend => ("WE", false),
        Unit::Month => ("M", false),
        Unit::Quarter => ("Q", false),
        Unit::Year => ("Y", false),
        Unit::Decade => ("DE", false),
        Unit::Century => ("CE", false),
    }
}

fn duration_value(amount: Option<f64>, unit: Unit) -> String {
    // Decades and centuries in years, as ISO 8601 has them: "two decades" → P20Y.
    let (amount, unit) = match (amount, unit) {
        (Some(a), Unit::Decade) => (Some(a * 10.0), Unit::Year),
        (Some(a), Unit::Century) => (Some(a * 100.0), Unit::Year),
        (None, Unit::Decade | Unit::Century) => (None, Unit::Year),
        _ => (amount, unit),
    };
    // A half unit in the next unit down: "2 1/2 years" → P2Y6M, "5 1/2 hours" → PT5H30M.
    if let Some(a) = amount.filter(|a| a.fract() == 0.5) {
        let whole = a.trunc() as i64;
        match unit {
            Unit::Year => return format!("P{whole}Y6M"),
            Unit::Hour => return format!("PT{whole}H30M"),
            Unit::Minute => return format!("PT{whole}M30S"),
            Unit::Day => return format!("P{whole}DT12H"),
            _ => {}
        }
    }
    let (code, time) = unit_code(unit);
    let n = match amount {
        None => "X".to_string(),
        Some(a) if a.fract() == 0.0 => format!("{}", a as i64),
        Some(a) => format!("{a}"),
    };
    format!("P{}{n}{code}", if time { "T" } else { "" })
}

fn quarter_of(d: NaiveDate) -> u32 {
    (d.month() - 1) / 3 + 1
}

/// The last day of the last quarter that has ended by `d`.
fn last_quarter_ended(d: NaiveDate) -> Option<NaiveDate> {
    Some(add_days(NaiveDate::from_ymd_opt(d.year(), 3 * (quarter_of(d) - 1) + 1, 1)?, -1))
}

/// The date a day-level expression points to (for parts of day and clock times).
fn date_of(sem: &Sem, anchor: Option<NaiveDate>, tense: Tense) -> Option<NaiveDate> {
    match sem {
        Sem::Day(n) => Some(add_days(anchor?, *n)),
        Sem::Weekday { .. } | Sem::Date { .. } => {
            let v = resolve(sem, anchor, tense).value?;
            NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok()
        }
        _ => None,
    }
}

/// The occurrence of a yearly date (`on(year)`: March 26, Thanksgiving) meant relative to the
/// anchor. Past: the latest on or before the anchor, with `grace` days for one just ahead;
/// future: the next on or after it, with the same grace behind; present: the nearest, leaning
/// to the past (news mostly reports what has happened); nearest: the nearest.
fn nearest_occurrence(
    anchor: NaiveDate,
    on: impl Fn(i32) -> Option<NaiveDate>,
    tense: Tense,
    grace: i64,
) -> Option<NaiveDate> {
    let y = anchor.year();
    let mut best: Option<(i64, NaiveDate)> = None;
    for d in [on(y - 1), on(y), on(y + 1)].into_iter().flatten() {
        let allowed = match tense {
            Tense::Past => (d - anchor).num_days() <= grace,
            Tense::Future => (anchor - d).num_days() <= grace,
            Tense::Present | Tense::Nearest => true,
        };
        let dist = (d - anchor).num_days().abs() + if d > anchor && tense == Tense::Present { 30 } else { 0 };
        if allowed && best.is_none_or(|(b, _)| dist < b) {
            best = Some((dist, d));
        }
    }
    best.map(|(_, d)| d)
}

/// The year in which month/day is meant (see [`nearest_occurrence`]).
fn closest_year(anchor: NaiveDate, month: u32, day: u32, tense: Tense, grace: i64) -> Option<i32> {
    nearest_occurrence(anchor, |y| NaiveDate::from_ymd_opt(y, month, day.clamp(1, 28)), tense, grace).map(|d| d.year())
}

pub fn resolve(sem: &Sem, anchor: Option<NaiveDate>, tense: Tense) -> Resolved {
    let date = |value: Option<String>| Resolved { kind: TimexType::Date, value, end: None };
    match sem {
        Sem::Date { year: Some(y), month, day } => date(match day {
            Some(d) => NaiveDate::from_ymd_opt(*y, *month, *d).map(ymd),
            None => Some(format!("{y:04}-{month:02}")),
        }),
        Sem::Date { year: None, month, day } => date(anchor.and_then(|a| {
            // A whole month is near for longer than a day is.
            let grace = if day.is_some() { 14 } else { 45 };
            let y = closest_year(a, *month, day.unwrap_or(15), tense, grace)?;
            Some(match day {
                Some(d) => ymd(NaiveDate::from_ymd_opt(y, *month, *d)?),
                None => format!("{y:04}-{month:02}"),
            })
        })),
        Sem::Year(y) => date(Some(format!("{y:04}"))),
        Sem::Decade(d) => date(Some(format!("{d:03}"))),
        Sem::Day(n) => date(anchor.map(|a| ymd(add_days(a, *n)))),
        Sem::Relative { unit, offset } => date(anchor.map(|a| match unit {
            Unit::Day | Unit::Hour | Unit::Minute | Unit::Second => ymd(add_days(a, *offset)),
            Unit::Week => iso_week(add_days(a, 7 * offset)),
            Unit::Weekend => format!("{}-WE", iso_week(add_days(a, 7 * offset))),
            Unit::Month => add_months(a, *offset).format("%Y-%m").to_string(),
            Unit::Quarter => {
                let q = add_months(a, 3 * offset);
                format!("{}-Q{}", q.year(), quarter_of(q))
            }
            Unit::Year => format!("{:04}", a.year() as i64 + offset),
            Unit::Decade => format!("{:03}", a.year() as i64 / 10 + offset),
            Unit::Century => format!("{:02}", a.year() as i64 / 100 + offset),
        })),
        Sem::Weekday { day, which } => date(anchor.map(|a| {
            let d = match which {
                Which::Last => weekday_from(add_days(a, -1), *day, true),
                Which::Next => weekday_from(a, *day, false),
                Which::This => {
                    add_days(a, day.num_days_from_monday() as i64 - a.weekday().num_days_from_monday() as i64)
                }
                // The publication day's own weekday is that day ("meets Monday" in Monday's paper).
                Which::ByTense if a.weekday() == *day => a,
                // Present tense counts as past: in news it is mostly reporting ("says Tuesday");
                // tried the other way, TempEval-3 value F1 fell from 76.2 to 73.5. (A present-tense
                // action verb with no past in the sentence comes here as `Nearest`.)
                Which::ByTense => match tense {
                    Tense::Future => weekday_from(a, *day, false),
                    Tense::Past | Tense::Present => weekday_from(a, *day, true),
                    Tense::Nearest => {
                        let (back, ahead) = (weekday_from(a, *day, true), weekday_from(a, *day, false));
                        if (a - back).num_days() < (ahead - a).num_days() {
                            back
                        } else {
                            ahead
                        }
                    }
                },
            };
            ymd(d)
        })),
        Sem::Month { month, which } => date(anchor.map(|a| {
            let m = *month;
            let y = a.year();
            let y = match which {
                Which::This => y,
                Which::Last => {
                    if m < a.month() {
                        y
                    } else {
                        y - 1
                    }
                }
                Which::Next => {
                    if m > a.month() {
                        y
                    } else {
                        y + 1
                    }
                }
                Which::ByTense => closest_year(a, m, 15, tense, 45).unwrap_or(y),
            };
            format!("{y:04}-{m:02}")
        })),
        Sem::Season { season, which, year } => date(year.map(|y| format!("{y:04}-{season}")).or_else(|| {
            let a = anchor?;
            let y = a.year()
                + match which {
                    Which::Last => -1,
                    Which::Next => 1,
                    _ => 0,
                };
            Some(format!("{y:04}-{season}"))
        })),
        Sem::Quarter { quarter: 0, year: Some(y), .. } => date(anchor.and_then(|a| {
            // "the 1988 quarter": the reported quarter, in that year.
            Some(format!("{y:04}-Q{}", quarter_of(last_quarter_ended(a)?)))
        })),
        Sem::Quarter { quarter, year, year_offset, current } => {
            date(year.map(|y| format!("{y:04}-Q{quarter}")).or_else(|| {
                let a = anchor?;
                if *quarter == 0 {
                    // "the quarter" in a report: the last one that has ended; "the current quarter":
                    // the one under way.
                    let q = if *current { a } else { last_quarter_ended(a)? };
                    let y = q.year() as i64 + year_offset.unwrap_or(0);
                    return Some(format!("{y:04}-Q{}", quarter_of(q)));
                }
                if let Some(o) = year_offset {
                    return Some(format!("{:04}-Q{quarter}", a.year() as i64 + o));
                }
                let y = if *quarter > quarter_of(a) && tense != Tense::Future { a.year() - 1 } else { a.year() };
                Some(format!("{y:04}-Q{quarter}"))
            }))
        }
        Sem::Century(c) => date(Some(format!("{c:02}"))),
        // Resolved by the stage, which knows the article's last date; unresolved here.
        Sem::Anaphoric { .. } => date(None),
        Sem::Half { half, year } => date(Some(format!("{year:04}-H{half}"))),
        Sem::Weekend => date(anchor.map(|a| {
            // Past or present: the weekend just gone (or under way); future: the coming one.
            let saturday = match tense {
                Tense::Future => weekday_from(add_days(a, -1), chrono::Weekday::Sat, false),
                _ => weekday_from(a, chrono::Weekday::Sat, true),
            };
            format!("{}-WE", iso_week(saturday))
        })),
        Sem::WeekOf(day) => date(date_of(day, anchor, tense).map(iso_week)),
        Sem::Recurring(pattern) => Resolved { kind: TimexType::Set, value: Some(pattern.clone()), end: None },
        Sem::Duration { amount, unit } => {
            Resolved { kind: TimexType::Duration, value: Some(duration_value(*amount, *unit)), end: None }
        }
        Sem::Reference(r) => date(Some(r.to_string())),
        Sem::Set { unit } => {
            Resolved { kind: TimexType::Set, value: Some(duration_value(Some(1.0), *unit)), end: None }
        }
        Sem::Clock { hour, minute, on } => {
            let day = match on {
                Some(s) => date_of(s, anchor, tense),
                None => anchor,
            };
            Resolved {
                kind: TimexType::Time,
                value: day.map(|d| format!("{}T{hour:02}:{minute:02}", ymd(d))),
                end: None,
            }
        }
        Sem::PartOfDay { on, part } => Resolved {
            kind: TimexType::Time,
            value: date_of(on, anchor, tense).map(|d| format!("{}T{part}", ymd(d))),
            end: None,
        },
        Sem::Holiday { name, year, which } => {
            let day = |y: i32| crate::calendar::holiday(name, y);
            let value = match (year, anchor) {
                (Some(y), _) => day(*y),
                (None, Some(a)) => match which {
                    Which::ByTense => nearest_occurrence(a, day, tense, 14),
                    Which::This => day(a.year()),
                    Which::Last => [day(a.year()), day(a.year() - 1)].into_iter().flatten().find(|d| *d <= a),
                    Which::Next => [day(a.year()), day(a.year() + 1)].into_iter().flatten().find(|d| *d > a),
                },
                (None, None) => None,
            };
            date(value.map(ymd))
        }
        Sem::Ramadan { year } => {
            let span = match (year, anchor) {
                (Some(y), _) => ramadan(*y),
                (None, Some(a)) => ramadan(a.year()).and_then(|(s, e)| {
                    // In the past tense, a Ramadan still to come this year means last year's.
                    if tense == Tense::Past && s > a {
                        ramadan(a.year() - 1)
                    } else {
                        Some((s, e))
                    }
                }),
                (None, None) => None,
            };
            Resolved { kind: TimexType::Date, value: span.map(|(s, _)| ymd(s)), end: span.map(|(_, e)| ymd(e)) }
        }
    }
}

/// "that day" (offset 0), "the following year" (1), counted from a date the text gave at grain
/// `grain`; `None` when that date is coarser than the unit asked for ("that day" after "in 2020").
pub fn from_reference(reference: NaiveDate, grain: Unit, unit: Unit, offset: i64) -> Option<String> {
    let fine_enough = match unit {
        Unit::Day | Unit::Week => grain == Unit::Day,
        Unit::Month => matches!(grain, Unit::Day | Unit::Month),
        Unit::Year => true,
        _ => false,
    };
    if !fine_enough {
        return None;
    }
    Some(match unit {
        Unit::Day => ymd(add_days(reference, offset)),
        Unit::Week => iso_week(add_days(reference, 7 * offset)),
        Unit::Month => add_months(reference, offset).format("%Y-%m").to_string(),
        _ => format!("{:04}", reference.year() as i64 + offset),
    })
}
