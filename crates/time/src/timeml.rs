//! TimeML documents (TempEval-3 style) for evaluation: the text of `<TEXT>` with its tags
//! removed, the document creation time, and the gold TIMEX3 annotations with their offsets in
//! that text; and the TempEval-3 Task A scores.

use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct GoldTimex {
    /// Byte offsets into [`TimeMl::text`].
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct TimeMl {
    pub text: String,
    /// The DCT value, e.g. "1998-01-08".
    pub dct: Option<String>,
    pub timexes: Vec<GoldTimex>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let i = tag.find(&key)? + key.len();
    let j = tag[i..].find('"')? + i;
    Some(tag[i..j].to_string())
}

fn unescape_at(s: &str) -> Option<(char, usize)> {
    for (ent, c) in [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&apos;", '\'')] {
        if s.starts_with(ent) {
            return Some((c, ent.len()));
        }
    }
    None
}

/// Parses one TimeML file.
pub fn parse(name: &str, xml: &str) -> Result<TimeMl, String> {
    let dct = xml.find("<DCT>").and_then(|i| {
        let end = xml[i..].find("</DCT>")? + i;
        attr(&xml[i..end], "value")
    });
    let start = xml.find("<TEXT>").ok_or_else(|| format!("{name}: no <TEXT> element"))? + "<TEXT>".len();
    let end = xml[start..].find("</TEXT>").ok_or_else(|| format!("{name}: <TEXT> is not closed"))? + start;
    let body = &xml[start..end];
    let mut text = String::with_capacity(body.len());
    let mut timexes = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    let mut i = 0;
    while i < body.len() {
        let rest = &body[i..];
        if rest.starts_with('<') {
            let close = rest.find('>').ok_or_else(|| format!("{name}: unclosed tag"))?;
            let tag = &rest[..=close];
            if tag.starts_with("<TIMEX3") {
                open =
                    Some((text.len(), attr(tag, "type").unwrap_or_default(), attr(tag, "value").unwrap_or_default()));
            } else if tag.starts_with("</TIMEX3") {
                if let Some((s, kind, value)) = open.take() {
                    timexes.push(GoldTimex { start: s, end: text.len(), kind, value });
                }
            }
            i += close + 1;
        } else if let Some((c, len)) = rest.starts_with('&').then(|| unescape_at(rest)).flatten() {
            text.push(c);
            i += len;
        } else {
            let c = rest.chars().next().expect("non-empty");
            text.push(c);
            i += c.len_utf8();
        }
    }
    Ok(TimeMl { text, dct, timexes })
}

/// A system annotation to score.
#[derive(Debug, Clone)]
pub struct SystemTimex {
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub value: Option<String>,
}

#[derive(Debug, Default, Clone)]
pub struct Scores {
    pub gold: usize,
    pub system: usize,
    pub strict: usize,
    pub relaxed: usize,
    pub type_right: usize,
    pub value_right: usize,
    /// Gold expressions with no overlapping system one: (text, value).
    pub missed: HashMap<(String, String), usize>,
    /// System expressions with no overlapping gold one.
    pub spurious: HashMap<String, usize>,
    /// Matched, wrong value: (text, gold value, our value).
    pub wrong_value: HashMap<(String, String, String), usize>,
}

/// One mistake in one document, for listing with its context.
#[derive(Debug, Clone)]
pub struct Mistake {
    pub kind: MistakeKind,
    /// Byte offsets into the document text (the gold span, or ours when spurious).
    pub start: usize,
    pub end: usize,
    pub gold: String,
    pub ours: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MistakeKind {
    Missed,
    Spurious,
    WrongValue,
}

impl MistakeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MistakeKind::Missed => "missed",
            MistakeKind::Spurious => "spurious",
            MistakeKind::WrongValue => "wrong-value",
        }
    }
}

fn f1(tp: usize, sys: usize, gold: usize) -> (f64, f64, f64) {
    let p = if sys == 0 { 0.0 } else { tp as f64 / sys as f64 };
    let r = if gold == 0 { 0.0 } else { tp as f64 / gold as f64 };
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (100.0 * p, 100.0 * r, 100.0 * f)
}

impl Scores {
    /// Adds one document: each gold expression is paired with at most one overlapping system
    /// expression (the first), TempEval-3 style. Returns the document's mistakes.
    pub fn add(&mut self, text: &str, gold: &[GoldTimex], system: &[SystemTimex]) -> Vec<Mistake> {
        let mut mistakes = Vec::new();
        self.gold += gold.len();
        self.system += system.len();
        let mut used = vec![false; system.len()];
        for g in gold {
            let hit = system.iter().enumerate().find(|(k, s)| !used[*k] && s.start < g.end && g.start < s.end);
            match hit {
                Some((k, s)) => {
                    used[k] = true;
                    self.relaxed += 1;
                    if s.start == g.start && s.end == g.end {
                        self.strict += 1;
                    }
                    if s.kind == g.kind {
                        self.type_right += 1;
                    }
                    let ours = s.value.clone().unwrap_or_else(|| "(none)".into());
                    if ours == g.value {
                        self.value_right += 1;
                    } else {
                        mistakes.push(Mistake {
                            kind: MistakeKind::WrongValue,
                            start: g.start,
                            end: g.end,
                            gold: g.value.clone(),
                            ours: ours.clone(),
                        });
                        *self
                            .wrong_value
                            .entry((text[g.start..g.end].to_string(), g.value.clone(), ours))
                            .or_default() += 1;
                    }
                }
                None => {
                    mistakes.push(Mistake {
                        kind: MistakeKind::Missed,
                        start: g.start,
                        end: g.end,
                        gold: g.value.clone(),
                        ours: String::new(),
                    });
                    *self.missed.entry((text[g.start..g.end].to_string(), g.value.clone())).or_default() += 1
                }
            }
        }
        for (k, s) in system.iter().enumerate() {
            if !used[k] && !gold.iter().any(|g| s.start < g.end && g.start < s.end) {
                mistakes.push(Mistake {
                    kind: MistakeKind::Spurious,
                    start: s.start,
                    end: s.end,
                    gold: String::new(),
                    ours: s.value.clone().unwrap_or_default(),
                });
                *self.spurious.entry(text[s.start..s.end].to_lowercase()).or_default() += 1;
            }
        }
        mistakes
    }

    pub fn strict_f1(&self) -> (f64, f64, f64) {
        f1(self.strict, self.system, self.gold)
    }
    pub fn relaxed_f1(&self) -> (f64, f64, f64) {
        f1(self.relaxed, self.system, self.gold)
    }
    pub fn value_f1(&self) -> (f64, f64, f64) {
        f1(self.value_right, self.system, self.gold)
    }
    pub fn type_accuracy(&self) -> f64 {
        if self.relaxed == 0 {
            0.0
        } else {
            100.0 * self.type_right as f64 / self.relaxed as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_text_dct_and_offsets() {
        let xml = r#"<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08">19980108</TIMEX3></DCT>
<TEXT>Rates rose <TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3> &amp; fell <EVENT eid="e1">again</EVENT>.</TEXT></TimeML>"#;
        let d = parse("x", xml).unwrap();
        assert_eq!(d.dct.as_deref(), Some("1998-01-08"));
        assert_eq!(d.text, "Rates rose yesterday & fell again.");
        let g = &d.timexes[0];
        assert_eq!((&d.text[g.start..g.end], g.value.as_str()), ("yesterday", "1998-01-07"));
    }
}
