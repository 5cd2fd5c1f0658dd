//! Calendar arithmetic the resolver needs: weekdays, ISO weeks, quarters, and the dates of
//! Ramadan (tabular Islamic calendar, within a day or two of the observed dates).

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

pub fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

pub fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new((-n) as u64)).unwrap_or(d)
    }
}

pub fn add_months(d: NaiveDate, n: i64) -> NaiveDate {
    let first = d.with_day(1).unwrap_or(d);
    if n >= 0 {
        first.checked_add_months(Months::new(n as u32)).unwrap_or(first)
    } else {
        first.checked_sub_months(Months::new((-n) as u32)).unwrap_or(first)
    }
}

/// The weekday `wd` nearest `anchor` in the given direction: `back` → the latest on or before
/// the anchor; otherwise the earliest after it.
pub fn weekday_from(anchor: NaiveDate, wd: Weekday, back: bool) -> NaiveDate {
    let a = anchor.weekday().num_days_from_monday() as i64;
    let w = wd.num_days_from_monday() as i64;
    if back {
        add_days(anchor, -((a - w).rem_euclid(7)))
    } else {
        let ahead = (w - a).rem_euclid(7);
        add_days(anchor, if ahead == 0 { 7 } else { ahead })
    }
}

/// The `n`-th (1-based) `wd` of a month; `n = 0` for the last.
fn nth_weekday(year: i32, month: u32, wd: Weekday, n: u32) -> Option<NaiveDate> {
    if n == 0 {
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        return Some(weekday_from(add_days(next, -1), wd, true));
    }
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    Some(add_days(weekday_from(first, wd, true).max(first), 0)).map(|d| {
        let d = if d < first { add_days(d, 7) } else { d };
        let d = if d.weekday() != wd { weekday_from(first, wd, false) } else { d };
        add_days(d, 7 * (n as i64 - 1))
    })
}

/// Easter Sunday (Gregorian, anonymous algorithm).
fn easter(y: i32) -> Option<NaiveDate> {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(y, month as u32, day as u32)
}

/// The date of a holiday (US holidays by their US rules) in a year.
pub fn holiday(name: &str, y: i32) -> Option<NaiveDate> {
    match name {
        "thanksgiving" => nth_weekday(y, 11, Weekday::Thu, 4),
        "christmas" => NaiveDate::from_ymd_opt(y, 12, 25),
        "christmas-eve" => NaiveDate::from_ymd_opt(y, 12, 24),
        "new-year" => NaiveDate::from_ymd_opt(y, 1, 1),
        "independence" => NaiveDate::from_ymd_opt(y, 7, 4),
        // The Tuesday after the first Monday of November.
        "election" => nth_weekday(y, 11, Weekday::Mon, 1).map(|d| add_days(d, 1)),
        "labor" => nth_weekday(y, 9, Weekday::Mon, 1),
        "memorial" => nth_weekday(y, 5, Weekday::Mon, 0),
        "easter" => easter(y),
        _ => None,
    }
}

/// Julian day number of a Gregorian date.
fn jdn(d: NaiveDate) -> i64 {
    d.num_days_from_ce() as i64 + 1_721_425
}

fn from_jdn(j: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt((j - 1_721_425) as i32)
}

/// First day of Islamic month `m` (1-based) of year `h`, tabular calendar.
fn islamic_month_start(h: i64, m: i64) -> i64 {
    // Epoch 1 Muharram 1 AH = JDN 1948440 (civil epoch).
    1_948_440 + 354 * (h - 1) + (3 + 11 * h).div_euclid(30) + ((295 * (m - 1)) as f64 / 10.0).ceil() as i64 - 1
}

/// First and last day of Ramadan beginning in Gregorian year `year`.
pub fn ramadan(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    let jan1 = jdn(NaiveDate::from_ymd_opt(year, 1, 1)?);
    // Approximate Islamic year of that January, then search nearby.
    let h0 = ((jan1 - 1_948_440) as f64 / 354.367).floor() as i64 + 1;
    for h in h0 - 1..=h0 + 1 {
        let start = islamic_month_start(h, 9);
        if let Some(d) = from_jdn(start) {
            if d.year() == year {
                let end = islamic_month_start(h, 10) - 1;
                return Some((d, from_jdn(end)?));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weekdays_across_month_and_year_ends() {
        // Saturday 2024-03-30: the Thursday before is 2024-03-28.
        assert_eq!(weekday_from(d("2024-03-30"), Weekday::Thu, true), d("2024-03-28"));
        // Tuesday 2024-04-02: the Friday before is in March.
        assert_eq!(weekday_from(d("2024-04-02"), Weekday::Fri, true), d("2024-03-29"));
        // Thursday 2025-01-02: the Monday before is in 2024; the next Monday in 2025.
        assert_eq!(weekday_from(d("2025-01-02"), Weekday::Mon, true), d("2024-12-30"));
        assert_eq!(weekday_from(d("2024-12-31"), Weekday::Mon, false), d("2025-01-06"));
        // The same weekday: today looking back, a week on looking forward.
        assert_eq!(weekday_from(d("2024-03-30"), Weekday::Sat, true), d("2024-03-30"));
        assert_eq!(weekday_from(d("2024-03-30"), Weekday::Sat, false), d("2024-04-06"));
    }

    #[test]
    fn leap_years_and_weeks() {
        assert_eq!(add_days(d("2024-02-28"), 1), d("2024-02-29"));
        assert_eq!(add_days(d("2023-02-28"), 1), d("2023-03-01"));
        assert_eq!(add_days(d("2024-03-01"), -1), d("2024-02-29"));
        assert_eq!(iso_week(d("2023-06-20")), "2023-W25");
        assert_eq!(iso_week(d("2021-01-01")), "2020-W53");
        assert_eq!(add_months(d("2024-01-31"), -1), d("2023-12-01"));
    }

    #[test]
    fn holidays() {
        assert_eq!(holiday("thanksgiving", 1999), Some(d("1999-11-25")));
        assert_eq!(holiday("election", 1998), Some(d("1998-11-03")));
        assert_eq!(holiday("easter", 2024), Some(d("2024-03-31")));
        assert_eq!(holiday("memorial", 2024), Some(d("2024-05-27")));
        assert_eq!(holiday("labor", 2023), Some(d("2023-09-04")));
    }

    #[test]
    fn ramadan_dates() {
        // Observed: 2024-03-11 to 2024-04-09; 2023-03-23 to 2023-04-20. Tabular within 2 days.
        let (s, e) = ramadan(2024).unwrap();
        assert!((s - d("2024-03-11")).num_days().abs() <= 2, "{s}");
        assert!((e - d("2024-04-09")).num_days().abs() <= 2, "{e}");
        let (s, _) = ramadan(2023).unwrap();
        assert!((s - d("2023-03-23")).num_days().abs() <= 2, "{s}");
    }
}
