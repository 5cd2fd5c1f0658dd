//! Dates as articles and pages state their own publication: "March 30, 2024 - 21:28",
//! "30 March 2024", "Mon 1 Apr 2024 12.30 BST", "2024-03-30T21:28:00Z".

use chrono::{FixedOffset, NaiveDate, NaiveTime};
use dateline_model::Published;

/// Words allowed on a date line besides the date itself.
const DATE_LINE_WORDS: &[&str] = &[
    "published",
    "updated",
    "posted",
    "last",
    "modified",
    "on",
    "at",
    "date",
    "time",
    "gmt",
    "utc",
    "bst",
    "cet",
    "cest",
    "est",
    "edt",
    "pst",
    "pdt",
    "am",
    "pm",
    "a.m",
    "p.m",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "by",
];

fn month_of(word: &str) -> Option<u32> {
    dateline_model::month_number(word)
}

fn zone_offset(word: &str) -> Option<FixedOffset> {
    let h = match word.to_ascii_uppercase().as_str() {
        "GMT" | "UTC" | "Z" => 0,
        "BST" | "CET" => 1,
        "CEST" | "EET" => 2,
        "EEST" => 3,
        "EST" => -5,
        "EDT" => -4,
        "PST" => -8,
        "PDT" => -7,
        _ => return None,
    };
    FixedOffset::east_opt(h * 3600)
}

/// Splits into words of letters/digits, keeping `:` and `.` inside numbers (times).
fn words(line: &str) -> Vec<&str> {
    line.split(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '-' | '–' | '—' | '/' | '(' | ')' | '·' | '•'))
        .map(|w| w.trim_matches(|c: char| c == '.' || c == ':' || c == '"'))
        .filter(|w| !w.is_empty())
        .collect()
}

fn parse_clock(w: &str, next: Option<&str>) -> Option<(NaiveTime, bool)> {
    let w_lower = w.to_ascii_lowercase();
    let (body, mut pm, mut am) = if let Some(b) = w_lower.strip_suffix("pm") {
        (b.to_string(), true, false)
    } else if let Some(b) = w_lower.strip_suffix("am") {
        (b.to_string(), false, true)
    } else {
        (w_lower.clone(), false, false)
    };
    let mut parts = body.split([':', '.']);
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let s: u32 = parts.next().map(|p| p.parse().unwrap_or(0)).unwrap_or(0);
    match next.map(|n| n.to_ascii_lowercase()) {
        Some(n) if n == "pm" || n == "p.m" => pm = true,
        Some(n) if n == "am" || n == "a.m" => am = true,
        _ => {}
    }
    let h = if pm && h < 12 {
        h + 12
    } else if am && h == 12 {
        0
    } else {
        h
    };
    Some((NaiveTime::from_hms_opt(h, m, s)?, true))
}

/// Parses a line that is a date and nothing much else. Returns `None` for running text.
pub fn parse_date_line(line: &str) -> Option<Published> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > 80 {
        return None;
    }
    if let Ok(p) = line.parse::<Published>() {
        return Some(p);
    }
    let ws = words(line);
    let mut date: Option<NaiveDate> = None;
    let mut time: Option<NaiveTime> = None;
    let mut offset: Option<FixedOffset> = None;
    let mut used = vec![false; ws.len()];
    for i in 0..ws.len() {
        if date.is_none() {
            // Month D, YYYY
            if let (Some(m), Some(d), Some(y)) = (month_of(ws[i]), ws.get(i + 1), ws.get(i + 2)) {
                if let (Ok(d), Ok(y)) =
                    (d.trim_end_matches(|c: char| c.is_alphabetic()).parse::<u32>(), y.parse::<i32>())
                {
                    if let Some(nd) = NaiveDate::from_ymd_opt(y, m, d) {
                        date = Some(nd);
                        used[i..i + 3].iter_mut().for_each(|u| *u = true);
                        continue;
                    }
                }
            }
            // D Month YYYY
            if let (Ok(d), Some(m), Some(y)) = (
                ws[i].trim_end_matches(|c: char| c.is_alphabetic()).parse::<u32>(),
                ws.get(i + 1).and_then(|w| month_of(w)),
                ws.get(i + 2).and_then(|y| y.parse::<i32>().ok()),
            ) {
                if let Some(nd) = NaiveDate::from_ymd_opt(y, m, d) {
                    date = Some(nd);
                    used[i..i + 3].iter_mut().for_each(|u| *u = true);
                    continue;
                }
            }
            // YYYY-MM-DD split by our word splitter into three numbers.
            if let (Ok(y), Some(Ok(m)), Some(Ok(d))) =
                (ws[i].parse::<i32>(), ws.get(i + 1).map(|w| w.parse::<u32>()), ws.get(i + 2).map(|w| w.parse::<u32>()))
            {
                if ws[i].len() == 4 {
                    if let Some(nd) = NaiveDate::from_ymd_opt(y, m, d) {
                        date = Some(nd);
                        used[i..i + 3].iter_mut().for_each(|u| *u = true);
                        continue;
                    }
                }
            }
        }
        if used[i] {
            continue;
        }
        if time.is_none() && ws[i].contains([':', '.']) && ws[i].starts_with(|c: char| c.is_ascii_digit()) {
            if let Some((t, _)) = parse_clock(ws[i], ws.get(i + 1).copied()) {
                time = Some(t);
                used[i] = true;
                continue;
            }
        }
        if let Some(z) = zone_offset(ws[i]) {
            offset = Some(z);
            used[i] = true;
        }
    }
    let date = date?;
    // Everything else on the line must be date-line vocabulary.
    for (w, u) in ws.iter().zip(&used) {
        if !u && !DATE_LINE_WORDS.contains(&w.to_ascii_lowercase().as_str()) {
            return None;
        }
    }
    Some(Published { date, time, offset: if time.is_some() { offset } else { None } })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<String> {
        parse_date_line(s).map(|p| p.to_string())
    }

    #[test]
    fn date_lines() {
        assert_eq!(p("March 30, 2024 - 21:28").as_deref(), Some("2024-03-30T21:28"));
        assert_eq!(p("30 March 2024").as_deref(), Some("2024-03-30"));
        assert_eq!(p("Published: Mon 1 Apr 2024 12.30 BST").as_deref(), Some("2024-04-01T12:30+01:00"));
        assert_eq!(p("Updated Sept. 3, 2023 at 9:05 pm").as_deref(), Some("2023-09-03T21:05"));
        assert_eq!(p("2024-03-30T21:28:00Z").as_deref(), Some("2024-03-30T21:28Z"));
        assert_eq!(p("The talks began on March 30, 2024 in Oslo"), None);
        assert_eq!(p("March 2024"), None);
    }
}
