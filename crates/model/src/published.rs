use chrono::{FixedOffset, NaiveDate, NaiveTime, Timelike};
use std::fmt;
use std::str::FromStr;

/// A publication date as precise as the source states it: a calendar date, optionally a time
/// of day, optionally a UTC offset. Never invented: an article with no date has no `Published`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Published {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub offset: Option<FixedOffset>,
}

impl Published {
    pub fn date(date: NaiveDate) -> Self {
        Published { date, time: None, offset: None }
    }
}

/// The number of an English month from its name or abbreviation, in any case, with or
/// without a final period: "March", "mar.", "Sept" → 3, 3, 9. Both the readers (date lines) and
/// the temporal tagger (dates in the text) read months through this one table.
pub fn month_number(word: &str) -> Option<u32> {
    const MONTHS: &[(&str, u32)] = &[
        ("january", 1),
        ("february", 2),
        ("march", 3),
        ("april", 4),
        ("may", 5),
        ("june", 6),
        ("july", 7),
        ("august", 8),
        ("september", 9),
        ("october", 10),
        ("november", 11),
        ("december", 12),
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("sept", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ];
    let w = word.strip_suffix('.').unwrap_or(word);
    MONTHS.iter().find(|(m, _)| m.eq_ignore_ascii_case(w)).map(|&(_, n)| n)
}

/// Formats as ISO 8601 at the stated precision: `2024-03-30`, `2024-03-30T21:28`,
/// `2024-03-30T21:28:05+03:30`.
impl fmt::Display for Published {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date.format("%Y-%m-%d"))?;
        if let Some(t) = self.time {
            if t.second() == 0 {
                write!(f, "T{}", t.format("%H:%M"))?;
            } else {
                write!(f, "T{}", t.format("%H:%M:%S"))?;
            }
            if let Some(off) = self.offset {
                if off.local_minus_utc() == 0 {
                    f.write_str("Z")?;
                } else {
                    write!(f, "{off}")?;
                }
            }
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("not an ISO 8601 date or date-time: {0:?} (expected e.g. 2024-03-30 or 2024-03-30T21:28)")]
pub struct ParsePublishedError(pub String);

/// Parses ISO 8601 dates and date-times: `2024-03-30`, `2024-03-30T21:28`,
/// `2024-03-30 21:28:05`, `2024-03-30T21:28:05.123Z`, `2024-03-30T21:28:05+03:30`.
impl FromStr for Published {
    type Err = ParsePublishedError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParsePublishedError(s.to_string());
        let s = s.trim();
        if s.len() < 10 || !s.is_char_boundary(10) {
            return Err(err());
        }
        let date = NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").map_err(|_| err())?;
        let rest = &s[10..];
        if rest.is_empty() {
            return Ok(Published::date(date));
        }
        let rest = rest.strip_prefix(['T', ' ']).ok_or_else(err)?;
        // Split the zone designator off the time.
        let (clock, zone) = match rest.find(['Z', 'z', '+', '-']) {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        let clock = clock.split('.').next().unwrap_or(clock);
        let time = NaiveTime::parse_from_str(clock, "%H:%M:%S")
            .or_else(|_| NaiveTime::parse_from_str(clock, "%H:%M"))
            .map_err(|_| err())?;
        let offset = match zone {
            None => None,
            Some("Z" | "z") => FixedOffset::east_opt(0),
            Some(z) => {
                let sign = if z.starts_with('-') { -1 } else { 1 };
                let digits: String = z[1..].chars().filter(|c| c.is_ascii_digit()).collect();
                if digits.len() != 4 && digits.len() != 2 {
                    return Err(err());
                }
                let h: i32 = digits[..2].parse().map_err(|_| err())?;
                let m: i32 = if digits.len() == 4 { digits[2..].parse().map_err(|_| err())? } else { 0 };
                Some(FixedOffset::east_opt(sign * (h * 3600 + m * 60)).ok_or_else(err)?)
            }
        };
        Ok(Published { date, time: Some(time), offset })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_names_and_abbreviations() {
        let got: Vec<Option<u32>> = ["March", "mar.", "SEPT", "dec", "Mayday", "m"].map(month_number).to_vec();
        assert_eq!(got, [Some(3), Some(3), Some(9), Some(12), None, None]);
    }

    #[test]
    fn round_trips_each_precision() {
        for s in ["2024-03-30", "2024-03-30T21:28", "2024-03-30T21:28:05Z", "2024-03-30T21:28:05+03:30"] {
            assert_eq!(s.parse::<Published>().unwrap().to_string(), s);
        }
        assert_eq!("2024-03-30 21:28:00.5-05:00".parse::<Published>().unwrap().to_string(), "2024-03-30T21:28-05:00");
        assert!("yesterday".parse::<Published>().is_err());
        assert!("2024-02-30".parse::<Published>().is_err());
    }
}
