//! GDELT 2.0 Events: 61 tab-separated columns, no header, in the codebook's order.

use crate::{each_event, ExportError, Period};
use dateline_store::{ActorCell, EventRow, Store};
use std::io::Write;

/// How many columns a GDELT 2.0 Events row has.
pub const COLUMNS: usize = 61;

/// CAMEO role and type codes: a three-letter block of an actor code that is one of these is
/// not a country.
const TYPES: &[&str] = &[
    "GOV", "MIL", "REB", "OPP", "MED", "BUS", "CVL", "JUD", "LEG", "COP", "EDU", "ELI", "HLH", "REF", "SPY", "UAF",
    "CRM", "LAB", "AGR", "RAD", "MOD", "INS", "SEP", "PTY", "IGO", "NGO", "NGM", "MNC", "RES", "SET", "ENV", "AMN",
    "IRC", "GRP", "UIS", "IMG", "HRI", "REL", "CHR", "JEW", "MOS", "BUD", "HIN",
];

/// The blocks of an actor code, as GDELT splits them: country, known group, types.
struct CodeParts {
    country: String,
    group: String,
    types: Vec<String>,
}

fn code_parts(code: &str) -> CodeParts {
    let blocks: Vec<&str> = (0..code.len() / 3).filter_map(|i| code.get(i * 3..i * 3 + 3)).collect();
    let mut parts = CodeParts { country: String::new(), group: String::new(), types: Vec::new() };
    let mut i = 0;
    if let Some(first) = blocks.first().filter(|b| !TYPES.contains(b)) {
        parts.country = first.to_string();
        i = 1;
    }
    while i < blocks.len() {
        let b = blocks[i];
        if matches!(b, "IGO" | "NGO" | "NGM") && i + 1 < blocks.len() && !TYPES.contains(&blocks[i + 1]) {
            parts.group = blocks[i + 1].to_string();
            parts.types.push(b.to_string());
            i += 2;
            continue;
        }
        if TYPES.contains(&b) && parts.types.len() < 3 {
            parts.types.push(b.to_string());
        }
        i += 1;
    }
    parts
}

/// A field with no tab or line break in it.
fn clean(s: &str) -> String {
    s.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }).collect()
}

/// The ten actor columns (code, name, country, group, ethnic, two religions, three types).
fn actor_columns(actor: Option<&ActorCell>) -> [String; 10] {
    let Some(a) = actor else { return Default::default() };
    let code = a.code.clone().unwrap_or_default();
    let p = code_parts(&code);
    let ty = |i: usize| p.types.get(i).cloned().unwrap_or_default();
    [clean(&code), clean(&a.text), p.country, p.group, String::new(), String::new(), String::new(), ty(0), ty(1), ty(2)]
}

/// A GDELT-style integer id, stable for an event of a stored document: the document id's first
/// 48 bits, then the event's index.
fn event_id(r: &EventRow) -> String {
    let head = u64::from_str_radix(r.doc_id.get(..12).unwrap_or("0"), 16).unwrap_or(0);
    (head * 1000 + r.k as u64 % 1000).to_string()
}

pub fn row(r: &EventRow) -> Vec<String> {
    let mut c: Vec<String> = Vec::with_capacity(COLUMNS);
    c.push(event_id(r));
    // Dates come from the event's own time only.
    let value = r.time_value.as_deref().unwrap_or("");
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let year = value.get(..4).filter(|y| digits(y));
    let month = value.get(5..7).filter(|m| year.is_some() && value.as_bytes().get(4) == Some(&b'-') && digits(m));
    match r.day.as_deref() {
        Some(day) => {
            let (y, m, d) = (&day[..4], &day[5..7], &day[8..10]);
            c.push(format!("{y}{m}{d}"));
            c.push(format!("{y}{m}"));
            c.push(y.to_string());
            let (mn, dn): (f64, f64) = (m.parse().unwrap_or(0.0), d.parse().unwrap_or(0.0));
            let y: f64 = y.parse().unwrap_or(0.0);
            c.push(format!("{:.4}", y + (mn * 30.0 + dn) / 365.0));
        }
        None => {
            c.push(String::new());
            c.push(match (year, month) {
                (Some(y), Some(m)) => format!("{y}{m}"),
                _ => String::new(),
            });
            c.push(year.unwrap_or("").to_string());
            c.push(String::new());
        }
    }
    c.extend(actor_columns(r.source.first()));
    c.extend(actor_columns(r.target.first()));
    c.push(String::new()); // IsRootEvent: not computed.
    let code = r.cameo.as_deref().unwrap_or("");
    c.push(code.to_string());
    c.push(code.get(..3).unwrap_or(code).to_string());
    c.push(code.get(..2).unwrap_or(code).to_string());
    c.push(r.quad_class.map(|q| q.to_string()).unwrap_or_default());
    c.push(r.goldstein.map(|g| format!("{g:.1}")).unwrap_or_default());
    // One report: this row is one document's account of the event.
    c.extend(["1", "1", "1"].map(String::from));
    c.push(String::new()); // AvgTone: not computed.
                           // Actor geography: not resolved (21 empty columns: 7 + 7 + the action's type).
    c.extend(std::iter::repeat_n(String::new(), 16));
    c.push(String::new()); // ActionGeo_Type
    c.push(clean(r.place.as_deref().unwrap_or("")));
    c.extend(std::iter::repeat_n(String::new(), 6));
    c.push(r.ingested_at.chars().filter(char::is_ascii_digit).collect());
    c.push(clean(&r.source_url));
    debug_assert_eq!(c.len(), COLUMNS);
    c
}

/// Writes the stored events with a CAMEO code, one row each: GDELT's event columns are
/// CAMEO's, so an act typed in PLOVER alone has no row (the other formats carry it).
pub fn write(store: &Store, period: &Period, out: &mut dyn Write) -> Result<usize, ExportError> {
    let mut written = 0;
    each_event(store, period, |r| {
        if r.cameo.is_none() {
            return Ok(());
        }
        written += 1;
        out.write_all(row(r).join("\t").as_bytes())?;
        Ok(out.write_all(b"\n")?)
    })?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_codes_split_into_country_group_and_types() {
        let p = code_parts("IRNGOV");
        assert_eq!((p.country.as_str(), p.group.as_str(), p.types), ("IRN", "", vec!["GOV".to_string()]));
        let p = code_parts("IGOUNO");
        assert_eq!((p.country.as_str(), p.group.as_str()), ("", "UNO"));
        let p = code_parts("PSEREBMIL");
        assert_eq!(p.types, ["REB", "MIL"]);
    }
}
