//! Place names: countries with their other names, demonyms and major cities, and regions.
//! The data files in `data/` were written by the dateline developers from general knowledge.

use crate::tokenize::tokenize;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    Country,
    /// A nationality adjective or demonym ("Iranian", "Israelis").
    Demonym,
    City,
    Region,
}

#[derive(Debug, Clone)]
pub struct PlaceEntry {
    pub kind: PlaceKind,
    /// The country this name belongs to (the country itself for a country name); the region's
    /// own name for regions.
    pub country: &'static str,
}

pub struct Gazetteer {
    /// Key: the phrase's tokens, lowercased, curly apostrophes made straight, joined by spaces.
    entries: HashMap<String, PlaceEntry>,
    /// Longest phrase, in tokens.
    pub max_tokens: usize,
}

/// Normalises token text for lookups: lowercase, straight apostrophes.
pub fn key_of(tokens: &[&str]) -> String {
    let mut key = String::new();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        for c in t.chars() {
            key.extend(fold(if c == '’' { '\'' } else { c }).to_lowercase());
        }
    }
    key
}

/// Folds the Latin letters with diacritics that place names commonly carry ("Zürich" = "Zurich").
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => 'A',
        'è' | 'é' | 'ê' | 'ë' | 'ē' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' => 'E',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => 'I',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' => 'O',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' => 'U',
        'ç' | 'ć' | 'č' => 'c',
        'Ç' | 'Ć' | 'Č' => 'C',
        'ñ' | 'ń' => 'n',
        'Ñ' | 'Ń' => 'N',
        'ş' | 'š' | 'ś' => 's',
        'Ş' | 'Š' | 'Ś' => 'S',
        'ž' | 'ź' | 'ż' => 'z',
        'Ž' | 'Ź' | 'Ż' => 'Z',
        'ğ' => 'g',
        'ı' => 'i',
        _ => c,
    }
}

impl Gazetteer {
    fn build() -> Self {
        let mut g = Gazetteer { entries: HashMap::new(), max_tokens: 1 };
        for line in include_str!("../data/countries.tsv").lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&'static str> = line.split('|').map(str::trim).collect();
            let first: Vec<&'static str> = cols[0].split('\t').map(str::trim).filter(|s| !s.is_empty()).collect();
            let name = first[0];
            g.add(name, PlaceKind::Country, name);
            for alias in first.iter().skip(1).flat_map(|a| a.split(';')) {
                g.add(alias, PlaceKind::Country, name);
            }
            for (col, kind) in [(1, PlaceKind::Demonym), (2, PlaceKind::City)] {
                for item in cols.get(col).copied().unwrap_or("").split(';').map(str::trim).filter(|s| !s.is_empty()) {
                    g.add(item, kind, name);
                }
            }
        }
        for line in include_str!("../data/regions.tsv").lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&'static str> = line.split('|').map(str::trim).collect();
            let name = cols[0];
            g.add(name, PlaceKind::Region, name);
            for alias in cols.get(1).copied().unwrap_or("").split(';').map(str::trim).filter(|s| !s.is_empty()) {
                g.add(alias, PlaceKind::Region, name);
            }
        }
        g
    }

    fn add(&mut self, phrase: &'static str, kind: PlaceKind, country: &'static str) {
        let toks: Vec<&str> = tokenize(phrase).iter().map(|s| &phrase[s.start..s.end]).collect();
        self.max_tokens = self.max_tokens.max(toks.len());
        // The first entry for a phrase wins (a country's own name before another's city).
        self.entries.entry(key_of(&toks)).or_insert(PlaceEntry { kind, country });
    }

    /// The shared instance, built on first use.
    pub fn get() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(Gazetteer::build)
    }

    pub fn lookup(&self, tokens: &[&str]) -> Option<&PlaceEntry> {
        self.entries.get(&key_of(tokens))
    }

    /// Whether one word is a nationality adjective ("Lunese").
    pub fn is_demonym(&self, word: &str) -> bool {
        self.lookup(&[word]).is_some_and(|e| e.kind == PlaceKind::Demonym)
    }

    /// The longest phrase starting at `tokens[0]`: (length in tokens, entry).
    pub fn longest_match(&self, tokens: &[&str]) -> Option<(usize, &PlaceEntry)> {
        (1..=self.max_tokens.min(tokens.len())).rev().find_map(|n| self.lookup(&tokens[..n]).map(|e| (n, e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_countries_demonyms_cities() {
        let g = Gazetteer::get();
        assert_eq!(g.lookup(&["Iranian"]).unwrap().country, "Iran");
        assert_eq!(g.lookup(&["Iranian"]).unwrap().kind, PlaceKind::Demonym);
        assert_eq!(g.lookup(&["TEHRAN"]).unwrap().kind, PlaceKind::City);
        assert_eq!(g.longest_match(&["United", "Arab", "Emirates", "and"]).unwrap().0, 3);
        assert_eq!(g.lookup(&["U.S."]).unwrap().country, "United States");
        assert_eq!(g.lookup(&["Gaza", "Strip"]).unwrap().country, "Gaza");
        assert_eq!(g.lookup(&["São", "Paulo"]).unwrap().country, "Brazil");
        assert_eq!(g.lookup(&["Zürich"]).unwrap().country, "Switzerland");
    }
}
