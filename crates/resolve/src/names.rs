//! Names as words: the forms of a name that matching compares (case folded, particles off),
//! transliteration keys, initials and string similarity.

/// Arabic-style particles written before a surname ("al-Nakhalah", "el-Sisi", "bin Salman").
const PARTICLES: &[&str] = &[
    "al", "el", "ul", "bin", "ibn", "abu", "abd", "bint", "ben", "van", "von", "de", "der", "da", "di", "du", "le",
    "la",
];

/// Words that stand in organisation names without carrying them: an initialism is made of
/// the other words' first letters ("Supreme National Security Council" → SNSC).
const FUNCTION_WORDS: &[&str] = &["of", "the", "and", "for", "on", "in", "&", "to", "de", "du", "des", "la"];

/// The words of a name, lowercased, with typographic apostrophes made plain and a
/// possessive "'s" dropped from the last word.
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> =
        name.split_whitespace().map(|w| w.replace(['’', '‘'], "'").to_lowercase()).filter(|w| !w.is_empty()).collect();
    if let Some(last) = out.last_mut() {
        if let Some(stem) = last.strip_suffix("'s") {
            *last = stem.to_string();
        }
    }
    out
}

/// A word without a leading particle: "al-nakhalah" → "nakhalah". Whole-word particles
/// ("bin" in "bin Salman") are dropped by [`core_words`].
pub fn without_particle(word: &str) -> &str {
    for p in PARTICLES {
        if let Some(rest) = word.strip_prefix(p) {
            if let Some(rest) = rest.strip_prefix('-') {
                if !rest.is_empty() {
                    return rest;
                }
            }
        }
    }
    word
}

/// The words that identify a name: particles off (joined or standing alone).
pub fn core_words(words: &[String]) -> Vec<String> {
    words
        .iter()
        .filter(|w| !PARTICLES.contains(&w.as_str()) || words.len() == 1)
        .map(|w| without_particle(w).to_string())
        .collect()
}

/// A key that transliterations of one Arabic, Persian or Russian name share: letters only,
/// an "h" after a vowel and before a consonant dropped ("Haniyeh" ~ "Haniya"), vowels after the first letter
/// dropped, "kh"/"q"/"ck" folded to "k", "ph" to "f", "j"/"dj" to "j", "ou"/"oo" to "u"
/// (before vowels go), "w"/"v" to "v", "z"/"s" kept apart, then doubled letters made single.
/// Keys collide often (that is their point): matching on them needs corroboration.
pub fn sound_key(word: &str) -> String {
    let w: String = without_particle(word).chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
    let mut w = w.replace("kh", "k").replace("ck", "k").replace('q', "k").replace("ph", "f").replace("dj", "j");
    w = w.replace("ou", "u").replace("oo", "u").replace("gh", "g").replace("th", "t");
    // "w" goes with the vowels: it writes one in transliterations ("Mahdawi" ~ "Mahdaoui").
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'w');
    let chars: Vec<char> = w.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && is_vowel(c) {
            continue;
        }
        // An "h" after a vowel and before a consonant or the end is a long vowel's mark
        // ("Dahl" ~ "Daal", "Haniyeh" ~ "Haniya").
        if c == 'h' && i > 0 && is_vowel(chars[i - 1]) && chars.get(i + 1).is_none_or(|&n| !is_vowel(n)) {
            continue;
        }
        if out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// The initials of a name's words other than function words, uppercased ("Supreme National
/// Security Council" → "SNSC"); `None` for a name of one word.
pub fn initials(words: &[String]) -> Option<String> {
    let content: Vec<&String> = words.iter().filter(|w| !FUNCTION_WORDS.contains(&w.as_str())).collect();
    if content.len() < 2 {
        return None;
    }
    Some(content.iter().filter_map(|w| w.chars().next()).flat_map(char::to_uppercase).collect())
}

/// Jaro-Winkler similarity of two strings (1.0: equal).
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() || b.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_match = vec![false; a.len()];
    let mut b_match = vec![false; b.len()];
    let mut matches = 0usize;
    for i in 0..a.len() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_match[j] && a[i] == b[j] {
                a_match[i] = true;
                b_match[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let (mut k, mut transpositions) = (0usize, 0usize);
    for i in 0..a.len() {
        if a_match[i] {
            while !b_match[k] {
                k += 1;
            }
            if a[i] != b[k] {
                transpositions += 1;
            }
            k += 1;
        }
    }
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64 / 2.0) / m) / 3.0;
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// Whether two words are one name written two ways: the same letters, or the same
/// [`sound_key`] and close spellings (Jaro-Winkler ≥ 0.85 without particles).
pub fn same_word_spelling(a: &str, b: &str) -> bool {
    let (a, b) = (without_particle(a), without_particle(b));
    a == b || (sound_key(a) == sound_key(b) && jaro_winkler(a, b) >= 0.85)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterations_share_a_key() {
        assert_eq!(sound_key("Nakhalah"), sound_key("al-Nakhaleh"));
        assert_eq!(sound_key("Haniyeh"), sound_key("Haniya"));
        assert_eq!(sound_key("Dahl"), sound_key("Daal"));
        assert_eq!(sound_key("al-Mahdawi"), sound_key("Mahdaoui"));
        assert!(same_word_spelling("khaled", "khalid"), "{} {}", sound_key("khaled"), sound_key("khalid"));
        assert!(same_word_spelling("al-mahdaoui", "al-mahdawi"), "{}", jaro_winkler("mahdaoui", "mahdawi"));
        assert_ne!(sound_key("Raisi"), sound_key("Rouhani"));
        assert!(same_word_spelling("al-Nakhalah", "Nakhaleh"));
        assert!(!same_word_spelling("Raisi", "Rouhani"));
        assert!(!same_word_spelling("Ahmadian", "Ahmadinejad"));
        assert!(same_word_spelling("Mohammed", "Muhammad"));
    }

    #[test]
    fn initials_skip_function_words() {
        assert_eq!(initials(&words("Supreme National Security Council")).as_deref(), Some("SNSC"));
        assert_eq!(initials(&words("Bank of England")).as_deref(), Some("BE"));
        assert_eq!(initials(&words("Hamas")), None);
        assert_eq!(core_words(&words("Mohammed bin Salman")), vec!["mohammed", "salman"]);
        assert_eq!(words("Haniyeh’s"), vec!["haniyeh"]);
    }
}
