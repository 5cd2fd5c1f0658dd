//! PETRARCH's internal coding ontology (the "PICO" file a validation suite names): each CAMEO
//! code as a number whose parts say what the act is, so that PETRARCH can negate an act by
//! arithmetic. A negated act is the act's value less `0xFFFF`: "did not clash" (110, written
//! `0xFFFF+0x0080`) is 050, "will not tap" (170, `0x0087+0xFFFF`) is 057, "did not
//! cooperate" (060, `0x0070`) is 121 (`-0xFFFF+0x0070`).
//!
//! dateline keeps a negated event's own code with the status `negated`, which says more; this
//! table gives the code PETRARCH writes instead, so that PETRARCH's gold codings can be
//! compared with ours (see `dateline eval events`).

use std::collections::HashMap;

/// What a negation subtracts.
const NEGATION: i64 = 0xFFFF;

/// The ontology: each code's values, the first its own, the others alternatives.
#[derive(Default)]
pub struct Ontology {
    values: HashMap<String, Vec<i64>>,
    /// Codes in file order, so that a value two codes share goes to the first.
    order: Vec<String>,
}

/// A value: `0x1007f`, `0xFFFF+0x0080`, `-0xFFFF+0x2040+0x300`, or a decimal number.
fn value(expr: &str) -> Option<i64> {
    let expr = expr.trim();
    if expr.is_empty() {
        return None;
    }
    let mut total = 0i64;
    // Split into signed terms: "-0xFFFF+0x0070" → ["-0xFFFF", "+0x0070"].
    let mut start = 0;
    let bytes = expr.as_bytes();
    for i in 1..=bytes.len() {
        if i == bytes.len() || bytes[i] == b'+' || bytes[i] == b'-' {
            let term = expr[start..i].trim();
            let (sign, digits) = match term.as_bytes().first()? {
                b'-' => (-1, term[1..].trim()),
                b'+' => (1, term[1..].trim()),
                _ => (1, term),
            };
            let n = match digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
                Some(hex) => i64::from_str_radix(hex, 16).ok()?,
                None => digits.parse().ok()?,
            };
            total += sign * n;
            start = i;
        }
    }
    Some(total)
}

impl Ontology {
    /// Reads a PICO file: `CODE:VALUE[#VALUE…][#comment]` lines, `#` comments.
    pub fn read(text: &str) -> Result<Ontology, String> {
        let mut o = Ontology::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (code, rest) = line.split_once(':').ok_or(format!("line {}: no ':' after the code", n + 1))?;
            let code = code.trim();
            // Values until the first field that is not one (a comment).
            let values: Vec<i64> = rest.split('#').map_while(value).collect();
            if values.is_empty() {
                return Err(format!("line {}: no value for {code}", n + 1));
            }
            if !o.values.contains_key(code) {
                o.order.push(code.to_string());
            }
            o.values.insert(code.to_string(), values);
        }
        Ok(o)
    }

    /// The code PETRARCH writes for the negation of `code`, if the ontology has one: the code
    /// whose own value is the negated value, else one that has it as an alternative.
    pub fn negation(&self, code: &str) -> Option<&str> {
        let values = self.values.get(code)?;
        for v in values.iter().map(|v| v - NEGATION) {
            let own = self.order.iter().find(|c| self.values[*c][0] == v);
            let any = || self.order.iter().find(|c| self.values[*c].contains(&v));
            if let Some(c) = own.or_else(any) {
                return Some(c);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines in the file's shapes (values as PETRARCH's ontology gives them).
    const ONTOLOGY: &str = "\
# a comment
050:0x0080#Cooperate
057:0x0087
060:0x0070
110:0x1007f#0xFFFF+0x0080#0x7000#Disapprove
121:-0xFFFF+0x0070
170:0x10086#0x0087+0xFFFF#0x9000#Coerce
---:0
";

    #[test]
    fn values_are_sums_of_signed_terms() {
        assert_eq!(value("0x1007f"), Some(0x1007f));
        assert_eq!(value("0xFFFF+0x0080"), Some(0x1007f));
        assert_eq!(value("-0xFFFF+0x2040+0x300"), Some(-0xFFFF + 0x2340));
        assert_eq!(value("Disapprove"), None);
    }

    #[test]
    fn a_negation_is_the_value_less_ffff() {
        let o = Ontology::read(ONTOLOGY).unwrap();
        assert_eq!(o.negation("110"), Some("050"));
        assert_eq!(o.negation("170"), Some("057"));
        assert_eq!(o.negation("060"), Some("121"));
        assert_eq!(o.negation("050"), None);
        assert_eq!(o.negation("999"), None);
        assert!(Ontology::read("050 0x0080").is_err());
    }
}
