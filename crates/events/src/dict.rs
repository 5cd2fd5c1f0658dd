//! PETRARCH-2's dictionaries, read from their text formats: the CAMEO verb dictionary
//! (synsets, verb blocks, `- pre * post [code]` patterns), actor dictionaries with dated codes,
//! agent dictionaries (`PHRASE {plurals} [~CODE]`) and discards.
//!
//! Phrases are looked up in token tries ([`Phrases`]), never by looping over entries: the
//! Phoenix sets hold tens of thousands of them. Every reader reports a bad line by file name
//! and line number.

use std::collections::HashMap;

/// A phrase dictionary as a trie over upper-cased words. A one-word phrase written without a
/// trailing `_` is a stem (TABARI's convention): "ARGENTIN" matches "ARGENTINA" and
/// "ARGENTINE"; the words of longer phrases match whole.
pub struct Phrases<T> {
    nodes: Vec<Node>,
    values: Vec<T>,
}

#[derive(Default)]
struct Node {
    exact: HashMap<String, usize>,
    stems: HashMap<String, usize>,
    /// The longest stem key, so a lookup tries no more prefixes than it must.
    longest_stem: usize,
    value: Option<usize>,
}

impl<T> Default for Phrases<T> {
    fn default() -> Self {
        Phrases::new()
    }
}

impl<T> Phrases<T> {
    pub fn new() -> Self {
        Phrases { nodes: vec![Node::default()], values: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Adds a phrase (words as written in the dictionary, `_`-joined or not); the last word
    /// is a stem unless `exact_end`. A later entry for the same phrase replaces nothing (the
    /// first stays: dictionaries list the preferred sense first); returns whether it was new.
    pub fn insert(&mut self, words: &[String], exact_end: bool, value: T) -> bool {
        if words.is_empty() {
            return false;
        }
        let mut at = 0;
        // Only a one-word phrase of four letters or more is a stem: "THE_KU" must not match
        // "the Kuwaiti", while "IRANIAN" matches "Iranians".
        let stem_allowed = words.len() == 1 && words[0].chars().count() >= 4;
        for (k, w) in words.iter().enumerate() {
            let stem = stem_allowed && k + 1 == words.len() && !exact_end;
            let next = self.nodes.len();
            let node = &mut self.nodes[at];
            let map = if stem { &mut node.stems } else { &mut node.exact };
            let child = *map.entry(w.clone()).or_insert(next);
            if stem {
                node.longest_stem = node.longest_stem.max(w.len());
            }
            if child == next {
                self.nodes.push(Node::default());
            }
            at = child;
        }
        if self.nodes[at].value.is_some() {
            return false;
        }
        self.nodes[at].value = Some(self.values.len());
        self.values.push(value);
        true
    }

    /// The longest phrase starting at `words[0]`: how many words it covers, and its value.
    pub fn longest(&self, words: &[&str]) -> Option<(usize, &T)> {
        let mut best = None;
        self.walk(0, words, 0, &mut best);
        best.map(|(n, v)| (n, &self.values[v]))
    }

    fn walk(&self, at: usize, words: &[&str], depth: usize, best: &mut Option<(usize, usize)>) {
        let node = &self.nodes[at];
        if let Some(v) = node.value {
            if depth > 0 && best.is_none_or(|(n, _)| depth > n) {
                *best = Some((depth, v));
            }
        }
        let Some(w) = words.first() else { return };
        if let Some(&c) = node.exact.get(*w) {
            self.walk(c, &words[1..], depth + 1, best);
        }
        if !node.stems.is_empty() {
            for len in (1..=w.len().min(node.longest_stem)).rev() {
                if !w.is_char_boundary(len) {
                    continue;
                }
                if let Some(&c) = node.stems.get(&w[..len]) {
                    // A stem ends a phrase: only its value counts.
                    if let Some(v) = self.nodes[c].value {
                        if best.is_none_or(|(n, _)| depth + 1 > n) {
                            *best = Some((depth + 1, v));
                        }
                    }
                }
            }
        }
    }
}

/// Splits a dictionary phrase into upper-cased words; says whether it ended with `_`.
pub fn phrase_words(phrase: &str) -> (Vec<String>, bool) {
    let exact_end = phrase.ends_with('_');
    let words = phrase
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_uppercase())
        .collect();
    (words, exact_end)
}

/// Removes `#` comments and `<!-- … -->` blocks, keeping line numbers.
fn strip_comments(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_block = false;
    for (n, raw) in text.lines().enumerate() {
        let mut line = String::new();
        let mut rest = raw;
        loop {
            if in_block {
                match rest.find("-->") {
                    Some(i) => {
                        rest = &rest[i + 3..];
                        in_block = false;
                    }
                    None => break,
                }
            } else {
                match rest.find("<!--") {
                    Some(i) => {
                        line.push_str(&rest[..i]);
                        rest = &rest[i + 4..];
                        in_block = true;
                    }
                    None => {
                        line.push_str(rest);
                        break;
                    }
                }
            }
        }
        let line = match line.find('#') {
            Some(i) => line[..i].to_string(),
            None => line,
        };
        if !line.trim().is_empty() {
            out.push((n + 1, line));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Actors

/// A date restriction on an actor code, as days since 0001-01-01 (CE).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dates {
    Always,
    Before(i32),
    After(i32),
    Between(i32, i32),
}

impl Dates {
    fn holds(self, day: Option<i32>) -> bool {
        match (self, day) {
            (Dates::Always, _) => true,
            (_, None) => false,
            (Dates::Before(d), Some(x)) => x < d,
            (Dates::After(d), Some(x)) => x >= d,
            (Dates::Between(a, b), Some(x)) => a <= x && x < b,
        }
    }
}

/// One actor entry: its codes, each with the dates it holds for.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub codes: Vec<(Dates, String)>,
}

impl Actor {
    /// The code for a story date: the first dated code that holds, else the first undated one.
    pub fn code_on(&self, day: Option<i32>) -> Option<&str> {
        self.codes
            .iter()
            .find(|(d, _)| *d != Dates::Always && d.holds(day))
            .or_else(|| self.codes.iter().find(|(d, _)| *d == Dates::Always))
            .map(|(_, c)| c.as_str())
    }
}

/// Days since 0001-01-01 of a YYYYMMDD or YYMMDD date (TABARI's two-digit years: up to 30
/// is this century, later ones the last).
fn yymmdd(s: &str) -> Option<i32> {
    if !(s.len() == 6 || s.len() == 8) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y = s.len() - 4;
    let yy: i32 = s[..y].parse().ok()?;
    let year = if y == 4 {
        yy
    } else if yy <= 30 {
        2000 + yy
    } else {
        1900 + yy
    };
    let m: u32 = s[y..y + 2].parse().ok()?;
    let d: u32 = s[y + 2..].parse().ok()?;
    let date = chrono::NaiveDate::from_ymd_opt(year, m.clamp(1, 12), d.clamp(1, 28))?;
    Some(chrono::Datelike::num_days_from_ce(&date))
}

fn parse_code(inner: &str) -> Option<(Dates, String)> {
    let mut parts = inner.split_whitespace();
    let code = parts.next()?.to_string();
    // "> 140608" is written for ">140608" in places.
    let rest: String = parts.collect();
    let dates = match Some(rest.as_str()).filter(|r| !r.is_empty()) {
        None => Dates::Always,
        Some(d) => {
            if let Some(x) = d.strip_prefix('<') {
                Dates::Before(yymmdd(x)?)
            } else if let Some(x) = d.strip_prefix('>') {
                Dates::After(yymmdd(x)?)
            } else if let Some((a, b)) = d.split_once('-') {
                Dates::Between(yymmdd(a)?, yymmdd(b)?)
            } else {
                return None;
            }
        }
    };
    Some((dates, code.to_uppercase()))
}

/// Actor dictionaries (Phoenix countries, international, non-state; or a validation set).
#[derive(Default)]
pub struct Actors {
    pub phrases: Phrases<usize>,
    pub entries: Vec<Actor>,
    /// Code lines that could not be read (the Phoenix files hold a few typos, such as a
    /// seven-digit date), by file and line: skipped, not fatal, and listed for whoever asks.
    pub skipped: Vec<String>,
}

impl Actors {
    pub fn new() -> Self {
        Actors { phrases: Phrases::new(), entries: Vec::new(), skipped: Vec::new() }
    }

    /// Adds one actor file. Phrase lines open an entry (`PHRASE [CODE]`), `+` lines add
    /// synonyms, indented `[CODE dates]` lines add codes to the entry above.
    pub fn read(&mut self, name: &str, text: &str) -> Result<(), String> {
        let mut current: Option<usize> = None;
        for (n, line) in strip_comments(text) {
            let trimmed = line.trim();
            let starts_indented = line.starts_with([' ', '\t']);
            if trimmed.starts_with('[') && (starts_indented || current.is_some()) {
                let Some(e) = current else { return Err(format!("{name}:{n}: a code line before any actor")) };
                for inner in brackets(trimmed) {
                    match parse_code(inner) {
                        Some(code) => self.entries[e].codes.push(code),
                        None => self.skipped.push(format!("{name}:{n}: bad actor code [{inner}]")),
                    }
                }
                continue;
            }
            let (phrase_part, codes) = match trimmed.find('[') {
                Some(i) => (&trimmed[..i], brackets(&trimmed[i..])),
                None => (trimmed, Vec::new()),
            };
            let synonym = phrase_part.starts_with('+');
            let phrase = phrase_part.trim_start_matches('+').trim();
            if phrase.is_empty() {
                continue;
            }
            let e = match current.filter(|_| synonym) {
                Some(e) => e,
                None => {
                    self.entries.push(Actor::default());
                    self.entries.len() - 1
                }
            };
            for inner in codes {
                match parse_code(inner) {
                    Some(code) => self.entries[e].codes.push(code),
                    None => self.skipped.push(format!("{name}:{n}: bad actor code [{inner}]")),
                }
            }
            let (words, exact) = phrase_words(phrase);
            self.phrases.insert(&words, exact, e);
            current = Some(e);
        }
        Ok(())
    }
}

/// The `[...]` groups of a line.
fn brackets(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find('[') {
        let Some(j) = rest[i..].find(']') else { break };
        out.push(rest[i + 1..i + j].trim());
        rest = &rest[i + j + 1..];
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Agents

/// A sector code and how it joins a country code: `~GOV` appends ("IRQ" → "IRQGOV"), `NGO~`
/// prepends.
#[derive(Debug, Clone)]
pub struct Agent {
    pub code: String,
    pub prepend: bool,
}

#[derive(Default)]
pub struct Agents {
    pub phrases: Phrases<Agent>,
    /// Lines that could not be read, by file and line (skipped, as for actors).
    pub skipped: Vec<String>,
}

impl Agents {
    pub fn new() -> Self {
        Agents { phrases: Phrases::new(), skipped: Vec::new() }
    }

    pub fn read(&mut self, name: &str, text: &str) -> Result<(), String> {
        let mut sets: HashMap<String, Vec<String>> = HashMap::new();
        for (n, line) in strip_comments(text) {
            let line = line.trim();
            if line.starts_with('!') && line.contains('=') {
                let (k, v) = line.split_once('=').expect("checked");
                sets.insert(k.trim().to_string(), v.split(',').map(|w| w.trim().to_string()).collect());
                continue;
            }
            let Some(i) = line.find('[') else { continue };
            let Some(inner) = brackets(&line[i..]).into_iter().next() else {
                self.skipped.push(format!("{name}:{n}: agent line without a [code]"));
                continue;
            };
            let (code, prepend) = match (inner.strip_prefix('~'), inner.strip_suffix('~')) {
                (Some(c), _) => (c, false),
                (None, Some(c)) => (c, true),
                _ => (inner, false),
            };
            let agent = Agent { code: code.trim().to_uppercase(), prepend };
            let head = line[..i].trim();
            let (phrase, plurals) = match head.find('{') {
                Some(b) => {
                    let close = head[b..].find('}').map_or(head.len(), |j| b + j);
                    (head[..b].trim(), Some(head[b + 1..close].trim()))
                }
                None => (head, None),
            };
            for phrase in expand_sets(phrase, &sets) {
                let (words, _) = phrase_words(&phrase);
                if words.is_empty() {
                    continue;
                }
                // Agents are whole words, with their plural: an explicit list, none for `{}`,
                // else the regular one.
                self.phrases.insert(&words, true, agent.clone());
                match plurals {
                    Some(list) => {
                        for p in list.split_whitespace() {
                            self.phrases.insert(&phrase_words(p).0, true, agent.clone());
                        }
                    }
                    None => {
                        let mut plural = words.clone();
                        let last = plural.last_mut().expect("non-empty");
                        *last = regular_plural(last);
                        self.phrases.insert(&plural, true, agent.clone());
                    }
                }
            }
        }
        Ok(())
    }
}

fn expand_sets(phrase: &str, sets: &HashMap<String, Vec<String>>) -> Vec<String> {
    for (k, members) in sets {
        if phrase.contains(k.as_str()) {
            return members.iter().flat_map(|m| expand_sets(&phrase.replacen(k.as_str(), m, 1), sets)).collect();
        }
    }
    vec![phrase.to_string()]
}

fn regular_plural(w: &str) -> String {
    if w.ends_with('Y') && !w.ends_with("EY") && !w.ends_with("AY") {
        format!("{}IES", &w[..w.len() - 1])
    } else if w.ends_with('S') || w.ends_with("SH") || w.ends_with("CH") || w.ends_with('X') {
        format!("{w}ES")
    } else {
        format!("{w}S")
    }
}

// ---------------------------------------------------------------------------------------------
// Discards

#[derive(Default)]
pub struct Discards {
    /// Phrase → whether it discards the whole story (`+`) rather than the sentence.
    pub phrases: Phrases<bool>,
}

impl Discards {
    pub fn new() -> Self {
        Discards { phrases: Phrases::new() }
    }

    pub fn read(&mut self, _name: &str, text: &str) -> Result<(), String> {
        for (_, line) in strip_comments(text) {
            let line = line.trim();
            let story = line.starts_with('+');
            let (words, exact) = phrase_words(line.trim_start_matches('+'));
            // Single-character lines are numbering debris in some files.
            if words.iter().map(String::len).sum::<usize>() > 1 {
                self.phrases.insert(&words, exact, story);
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Verbs

/// One element of a verb pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Elem {
    /// A word (upper-cased), matched on the token or its lemma, plural allowed.
    Word(String),
    /// `&NAME`: any member of a synset.
    Synset(String),
    /// `{A B}`: consecutive words (a noun phrase).
    Phrase(Vec<Elem>),
    /// `(PREP X …)`: a prepositional phrase: the preposition, then its words.
    Prep(Vec<Elem>),
    /// `+` or `$` after the `*`: the target (or source) is the actor phrase that comes here
    /// (`- * THEIR ^ ABOUT + [130]`: warned their people about the target). Matches no word.
    Mark(Marker),
    /// `^`: one noun phrase, skipped ("- * IFTAR (IN ^) +": celebrated Iftar in a place with
    /// the target).
    Skip,
}

/// Which actor a pattern's marker places.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Marker {
    Source,
    Target,
}

impl Elem {
    /// How many words it names: a pattern's specificity.
    pub fn weight(&self) -> usize {
        match self {
            Elem::Mark(_) | Elem::Skip => 0,
            Elem::Word(_) | Elem::Synset(_) => 1,
            Elem::Phrase(v) | Elem::Prep(v) => v.iter().map(Elem::weight).sum(),
        }
    }
}

/// A code as the dictionary gives it: `[036]`, a paired `[042:043]` (the second for the
/// reverse direction), or `[---]` (nothing coded).
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    pub forward: Option<String>,
    pub reverse: Option<String>,
}

fn parse_verb_code(inner: &str) -> Code {
    let code = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && !s.starts_with("---")).then(|| s.to_string())
    };
    match inner.split_once(':') {
        Some((a, b)) => Code { forward: code(a), reverse: code(b) },
        None => Code { forward: code(inner), reverse: None },
    }
}

#[derive(Debug, Clone)]
pub struct Pattern {
    /// Subject-side words (before `*`).
    pub pre: Vec<Elem>,
    /// Object-side words (after `*`).
    pub post: Vec<Elem>,
    pub code: Code,
    /// `+` before the `*`: the subject side names the target, not the source.
    pub target_first: bool,
}

impl Pattern {
    pub fn weight(&self) -> usize {
        self.pre.iter().chain(&self.post).map(Elem::weight).sum()
    }
}

#[derive(Debug, Clone)]
pub struct VerbBlock {
    /// The block's label, as written after `---`.
    pub label: String,
    pub code: Code,
    pub patterns: Vec<Pattern>,
}

/// A verb of a block: one word, or a multi-word verb (`+CORDON_OFF`): the verb and the words
/// that follow it.
#[derive(Debug, Clone)]
pub struct VerbEntry {
    pub rest: Vec<String>,
    pub block: usize,
    /// The verb's own code, which stands for its block's when no pattern matches.
    pub code: Option<Code>,
}

#[derive(Default)]
pub struct Verbs {
    pub synsets: HashMap<String, Phrases<()>>,
    pub blocks: Vec<VerbBlock>,
    /// By verb form (upper-cased): every form listed, and the base form.
    pub index: HashMap<String, Vec<VerbEntry>>,
    /// Verb-verb transformations, in the file's order (the first that applies wins).
    pub transformations: Vec<Transformation>,
}

/// A role in a transformation: the governing verb's source (`a`), another actor (`b`), any
/// actor or none (`.`), or no actor other than `a` (`_`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Role {
    A,
    B,
    Any,
    NoOther,
}

/// A verb-verb transformation, `~ a (a b ATTACK) SAY = a b 015`: when a verb of SAY's block,
/// said by `a`, governs an event of ATTACK's kind by `a` on `b`, the two are one event, `a` on
/// `b`, coded 015 ("A says A attacked B": A claims the attack). `Q` stands for any event and,
/// after `=`, for its code.
#[derive(Debug, Clone, PartialEq)]
pub struct Transformation {
    /// The governing verb: a dictionary verb, standing for its block.
    pub outer: String,
    pub inner_source: Role,
    pub inner_target: Role,
    /// The governed event's verb (standing for its code's kind), or `Q`: any event.
    pub inner: String,
    pub source: Role,
    pub target: Role,
    /// The code of the result, or `Q`: the governed event's.
    pub code: String,
}

fn parse_role(s: &str) -> Result<Role, String> {
    match s {
        "a" => Ok(Role::A),
        "b" => Ok(Role::B),
        "." => Ok(Role::Any),
        "_" => Ok(Role::NoOther),
        other => Err(format!("unknown role {other:?} (a, b, . or _)")),
    }
}

/// Reads `~ a (a b ATTACK) SAY = a b 015`.
fn parse_transformation(line: &str) -> Result<Transformation, String> {
    let spaced = line.trim_start_matches('~').replace('(', " ( ").replace(')', " ) ");
    let w: Vec<&str> = spaced.split_whitespace().collect();
    match w.as_slice() {
        ["a", "(", s, t, inner, ")", outer, "=", rs, rt, code] => Ok(Transformation {
            outer: outer.to_uppercase(),
            inner_source: parse_role(s)?,
            inner_target: parse_role(t)?,
            inner: inner.to_uppercase(),
            source: parse_role(rs)?,
            target: parse_role(rt)?,
            code: code.to_string(),
        }),
        _ => Err("a transformation reads `~ a (SOURCE TARGET VERB) VERB = SOURCE TARGET CODE`".into()),
    }
}

impl Verbs {
    /// The code a verb entry stands for: its own, else its block's.
    pub fn code_of<'a>(&'a self, e: &'a VerbEntry) -> &'a Code {
        e.code.as_ref().unwrap_or(&self.blocks[e.block].code)
    }

    /// The entry of a verb word alone (not of a phrase it begins).
    pub fn word_entry(&self, word: &str) -> Option<&VerbEntry> {
        self.index.get(word)?.iter().find(|e| e.rest.is_empty())
    }

    /// A verb word's block and the code it stands for.
    pub fn meaning(&self, word: &str) -> Option<(usize, Option<&str>)> {
        let e = self.word_entry(word)?;
        Some((e.block, self.code_of(e).forward.as_deref()))
    }

    pub fn read(name: &str, text: &str) -> Result<Verbs, String> {
        let mut v = Verbs::default();
        let mut synset: Option<String> = None;
        let mut block: Option<usize> = None;
        let raw: Vec<&str> = text.lines().collect();
        // For verbs with no code of their own: (index key, entry, block) and the verb's base
        // word; and what the patterns written for each verb code: a root category, "--" no
        // event, or "<-" the subject's side only (a reverse code, `[:190]`).
        let mut own_less: Vec<(String, usize, usize, String)> = Vec::new();
        let mut roots_of: HashMap<(usize, String), Vec<String>> = HashMap::new();
        for (n, line) in strip_comments(text) {
            let t = line.trim();
            if t.starts_with("---") {
                // `---  MEET_PEOPLE   [040]  ---`
                let inner = t.trim_matches('-').trim();
                let (label, code) = match inner.find('[') {
                    Some(i) => (inner[..i].trim(), brackets(&inner[i..]).into_iter().next().unwrap_or("---")),
                    None => (inner, "---"),
                };
                v.blocks.push(VerbBlock {
                    label: label.to_string(),
                    code: parse_verb_code(code),
                    patterns: Vec::new(),
                });
                block = Some(v.blocks.len() - 1);
                synset = None;
                continue;
            }
            if let Some(syn) = t.strip_prefix('&') {
                if block.is_none() {
                    synset = Some(syn.trim().trim_end_matches('_').to_uppercase());
                    v.synsets.entry(synset.clone().expect("set")).or_insert_with(Phrases::new);
                    continue;
                }
            }
            if t.starts_with('~') {
                let tr = parse_transformation(t).map_err(|e| format!("{name}:{n}: {e}"))?;
                v.transformations.push(tr);
                continue;
            }
            if let Some(s) = &synset {
                if let Some(member) = t.strip_prefix('+') {
                    let (words, exact) = phrase_words(member);
                    let set = v.synsets.get_mut(s).expect("made above");
                    // Members are whole words with their regular plural unless `_`-final.
                    set.insert(&words, true, ());
                    if !exact && !words.is_empty() {
                        let mut plural = words.clone();
                        let last = plural.last_mut().expect("non-empty");
                        *last = regular_plural(last);
                        set.insert(&plural, true, ());
                    }
                    continue;
                }
            }
            let Some(b) = block else { continue };
            if t.starts_with('-') || (t.contains('*') && t.contains('[')) {
                let body = t.trim_start_matches('-').trim();
                let Some(i) = body.rfind('[') else { return Err(format!("{name}:{n}: pattern without a [code]")) };
                let code = brackets(&body[i..]).into_iter().next().unwrap_or("---");
                let pattern = parse_pattern(&body[..i], parse_verb_code(code))
                    .map_err(|e| format!("{name}:{n}: {e} in pattern {t:?}"))?;
                // The verb a pattern was written for, as its comment names it ("# REJECT").
                let written_for = raw
                    .get(n - 1)
                    .and_then(|r| r.split_once('#'))
                    .and_then(|(_, c)| c.split_whitespace().next().map(|w| w.trim_start_matches('+').to_uppercase()));
                if let Some(verb) = written_for {
                    let root = match (&pattern.code.forward, &pattern.code.reverse) {
                        (Some(c), _) => c.get(..2).unwrap_or("--"),
                        (None, Some(_)) => REVERSE_ONLY,
                        (None, None) => "--",
                    };
                    roots_of.entry((b, verb)).or_default().push(root.to_string());
                }
                v.blocks[b].patterns.push(pattern);
                continue;
            }
            // A verb line: `HURRY {HURRIES HURRYING HURRIED }` or `+GO_BY {+WENT_BY …}`, with
            // the verb's own code where it differs from its block's (`ARREST [173]` in a block
            // of [171]; `HOLD {…} [---]`: no event without a pattern).
            let (t, own) = match (t.find('['), t.rfind(']')) {
                (Some(i), Some(j)) if i < j => {
                    let rest = format!("{} {}", &t[..i], &t[j + 1..]);
                    (rest, Some(parse_verb_code(&t[i + 1..j])))
                }
                _ => (t.to_string(), None),
            };
            let t = t.trim();
            let (base, forms) = match t.find('{') {
                Some(i) => (t[..i].trim(), t[i + 1..].trim_end_matches('}').trim()),
                None => (t, ""),
            };
            let mut all: Vec<Vec<String>> = Vec::new();
            for form in std::iter::once(base).chain(forms.split_whitespace()) {
                let form = form.trim_start_matches('+').trim_end_matches('}');
                all.push(phrase_words(form).0);
            }
            // Regular inflections of the verb (its first word), as PETRARCH generates them:
            // the tagger's lemma is not always right ("raided" → "raide").
            if let Some(first) = all.first().and_then(|w| w.first()).cloned() {
                let rest = all[0][1..].to_vec();
                for f in regular_forms(&first) {
                    let mut w = vec![f];
                    w.extend(rest.iter().cloned());
                    all.push(w);
                }
            }
            let base = all.first().map(|w| w.join("_")).unwrap_or_default();
            for words in all {
                let Some((first, rest)) = words.split_first() else { continue };
                let entries = v.index.entry(first.clone()).or_default();
                if !entries.iter().any(|e| e.block == b && e.rest == rest) {
                    if own.is_none() {
                        own_less.push((first.clone(), entries.len(), b, base.clone()));
                    }
                    entries.push(VerbEntry { rest: rest.to_vec(), block: b, code: own.clone() });
                }
            }
        }
        for (key, k, b, base) in own_less {
            let Some(roots) = roots_of.get(&(b, base)) else { continue };
            let code = if v.blocks[b].code.forward.is_none() {
                agreed_root(roots).map(|code| Code { forward: Some(code), reverse: None })
            } else {
                undergone(roots).then_some(Code { forward: None, reverse: None })
            };
            if code.is_some() {
                v.index.get_mut(&key).expect("indexed above")[k].code = code;
            }
        }
        Ok(v)
    }
}

/// A pattern that codes only the reverse side (`[:190]`): the verb's subject is who the act
/// was done to.
const REVERSE_ONLY: &str = "<-";

/// Whether a verb's own patterns say its subject undergoes the act: at least
/// [`AGREED_PATTERNS`] / 2 of them, half of them or more coding the subject's side only
/// ("- * (IN RAID) [:190]" for DIE: who died was attacked, by someone the sentence may not
/// name). Without a pattern that says how, such a verb is no act of its subject's: CAMEO's
/// DIE block defaults to 190, which would make "the actor died in Paris" an assault by the
/// actor on Paris.
fn undergone(roots: &[String]) -> bool {
    let reverse = roots.iter().filter(|r| *r == REVERSE_ONLY).count();
    roots.len() >= AGREED_PATTERNS / 2 && 2 * reverse >= roots.len()
}

/// Fewest patterns written for a verb, and the least share of them in one root category, for
/// that category to be the verb's own code where neither it nor its block has one.
const AGREED_PATTERNS: usize = 10;
const AGREED_SHARE: f64 = 0.75;

/// The code a verb's own patterns agree on: CAMEO's dictionary leaves some plain verbs with
/// no code of their own in blocks that code only through patterns (REJECT among REFUSE's
/// synonyms, LIFT, REACT), so that "rejected the plan" is no event when no pattern names a
/// plan. Where at least [`AGREED_PATTERNS`] patterns were written for the verb (their comment
/// names it) and [`AGREED_SHARE`] of them code one root category, the verb stands for that
/// category's general code ("120"). Patterns coded as no event count against it.
fn agreed_root(roots: &[String]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for r in roots {
        *counts.entry(r.as_str()).or_default() += 1;
    }
    let (root, n) = counts
        .into_iter()
        .filter(|(r, _)| *r != "--" && *r != REVERSE_ONLY)
        .max_by_key(|&(r, n)| (n, std::cmp::Reverse(r)))?;
    (roots.len() >= AGREED_PATTERNS && n as f64 >= AGREED_SHARE * roots.len() as f64).then(|| format!("{root}0"))
}

/// "RAID" → RAIDS, RAIDED, RAIDING; "AGREE" → AGREES, AGREED, AGREEING; "CARRY" → CARRIES,
/// CARRIED. (Consonant doubling is left to the irregular lists and the lemma.)
fn regular_forms(w: &str) -> Vec<String> {
    let mut out = vec![regular_plural(w)];
    if let Some(stem) = w.strip_suffix('Y').filter(|s| !s.ends_with(['A', 'E', 'O', 'U'])) {
        out.push(format!("{stem}IED"));
        out.push(format!("{w}ING"));
    } else if let Some(stem) = w.strip_suffix('E') {
        out.push(format!("{w}D"));
        out.push(if w.ends_with("EE") { format!("{w}ING") } else { format!("{stem}ING") });
    } else {
        out.push(format!("{w}ED"));
        out.push(format!("{w}ING"));
    }
    out
}

fn parse_pattern(body: &str, code: Code) -> Result<Pattern, String> {
    let mut pre = Vec::new();
    let mut post = Vec::new();
    let mut seen_star = false;
    let mut target_first = false;
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    // Reads elements until `close` (or the end); `depth` > 0 inside brackets.
    fn read(chars: &[char], i: &mut usize, close: Option<char>) -> Result<Vec<Elem>, String> {
        let mut out = Vec::new();
        while *i < chars.len() {
            let c = chars[*i];
            if Some(c) == close {
                *i += 1;
                return Ok(out);
            }
            match c {
                '{' => {
                    *i += 1;
                    out.push(Elem::Phrase(read(chars, i, Some('}'))?));
                }
                '(' => {
                    *i += 1;
                    out.push(Elem::Prep(read(chars, i, Some(')'))?));
                }
                c if c.is_whitespace() => *i += 1,
                // A stray closing bracket names nothing.
                '}' | ')' => *i += 1,
                _ => {
                    let start = *i;
                    while *i < chars.len() && !chars[*i].is_whitespace() && !"{}()".contains(chars[*i]) {
                        *i += 1;
                    }
                    let w: String = chars[start..*i].iter().collect();
                    out.extend(word_elem(&w));
                }
            }
        }
        if close.is_some() {
            return Err("an unclosed bracket".into());
        }
        Ok(out)
    }
    while i < chars.len() {
        let c = chars[i];
        if c == '*' {
            seen_star = true;
            i += 1;
            continue;
        }
        if c.is_whitespace() || c == '}' || c == ')' {
            i += 1;
            continue;
        }
        if c == '+' && !seen_star && chars.get(i + 1).is_none_or(|c| c.is_whitespace()) {
            target_first = true;
        }
        // One element (or a bracket) at a time, so `*` is seen between them.
        let elems = if c == '{' {
            i += 1;
            vec![Elem::Phrase(read(&chars, &mut i, Some('}'))?)]
        } else if c == '(' {
            i += 1;
            vec![Elem::Prep(read(&chars, &mut i, Some(')'))?)]
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && !"{}()*".contains(chars[i]) {
                i += 1;
            }
            let w: String = chars[start..i].iter().collect();
            word_elem(&w).into_iter().collect()
        };
        if seen_star {
            post.extend(elems);
        } else {
            pre.extend(elems);
        }
    }
    if !seen_star {
        return Err("no `*` for the verb".into());
    }
    // A pattern that ends in a bare TO ("- * TO [030] # HEAD", "- &MILITARY * TO [154] #
    // MOVE") means the preposition: an infinitive's "to" with no verb after it says nothing.
    if let Some(last) = post.last_mut().filter(|e| **e == Elem::Word("TO".into())) {
        *last = Elem::Prep(vec![Elem::Word("TO".into())]);
    }
    Ok(Pattern { pre, post, code, target_first })
}

/// A pattern word: a word, a synset, a target or source marker (`+`, `$`), a skipped noun
/// phrase (`^`), or another marker (`%` compound, `|`), which names no word and is dropped.
fn word_elem(w: &str) -> Option<Elem> {
    match w {
        "+" => return Some(Elem::Mark(Marker::Target)),
        "$" => return Some(Elem::Mark(Marker::Source)),
        "^" => return Some(Elem::Skip),
        _ => {}
    }
    if w.is_empty() || w.chars().all(|c| "+$%^|".contains(c)) {
        return None;
    }
    if let Some(s) = w.strip_prefix('&') {
        return Some(Elem::Synset(s.trim_end_matches('_').to_uppercase()));
    }
    let w = w.trim_matches(|c: char| "+$%^|".contains(c));
    let (words, _) = phrase_words(w);
    match words.len() {
        0 => None,
        1 => Some(Elem::Word(words.into_iter().next().expect("one"))),
        _ => Some(Elem::Phrase(words.into_iter().map(Elem::Word).collect())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_longest_with_stems() {
        let mut p = Phrases::new();
        p.insert(&phrase_words("LUNE").0, false, 1);
        p.insert(&phrase_words("LUNE_FRONT_").0, true, 2);
        assert_eq!(p.longest(&["LUNE", "FRONT", "X"]), Some((2, &2)));
        assert_eq!(p.longest(&["LUNEVIAN"]), Some((1, &1)), "stem");
        assert_eq!(p.longest(&["FRONT"]), None);
    }

    #[test]
    fn actors_keep_dated_codes() {
        let mut a = Actors::new();
        a.read("t", "KESTREL_ [KST]\n+KESTRELIAN_\nMARA_VOSS_\n\t[KSTELI 900101-100101]\n\t[KSTGOV >100101]\n")
            .unwrap();
        let (_, &e) = a.phrases.longest(&["KESTRELIAN"]).unwrap();
        assert_eq!(a.entries[e].code_on(None), Some("KST"));
        let (_, &e) = a.phrases.longest(&["MARA", "VOSS"]).unwrap();
        let day =
            |y, m, d| Some(chrono::Datelike::num_days_from_ce(&chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()));
        assert_eq!(a.entries[e].code_on(day(2015, 1, 1)), Some("KSTGOV"));
        assert_eq!(a.entries[e].code_on(day(1995, 1, 1)), Some("KSTELI"));
    }

    #[test]
    fn verbs_read_blocks_forms_and_patterns() {
        let text = "&TALKS\n+TALKS\n+NEGOTIATION\n\n--- MEET [040] ---\nMEET {MEETS MET MEETING}\n+MEET_WITH\n- * (FOR &TALKS) [036:036]\n- + * (BY) [041]\n";
        let v = Verbs::read("t", text).unwrap();
        assert_eq!(v.blocks[0].code.forward.as_deref(), Some("040"));
        assert!(v.index["MET"].iter().any(|e| e.rest.is_empty()));
        assert!(v.index["MEET"].iter().any(|e| e.rest == ["WITH"]));
        let p = &v.blocks[0].patterns[0];
        assert_eq!(p.post, vec![Elem::Prep(vec![Elem::Word("FOR".into()), Elem::Synset("TALKS".into())])]);
        assert_eq!(p.code.reverse.as_deref(), Some("036"));
        assert!(v.blocks[0].patterns[1].target_first);
        // A bare TO ending a pattern is the preposition ("headed to"), never an infinitive's.
        let v = Verbs::read("t", "--- HEAD [---] ---\nHEAD\n- * TO [030]\n").unwrap();
        assert_eq!(v.blocks[0].patterns[0].post, vec![Elem::Prep(vec![Elem::Word("TO".into())])]);
        let v = Verbs::read("t", "--- WARN [130] ---\nWARN\n- * THEIR ^ ABOUT + [130]\n").unwrap();
        assert_eq!(
            v.blocks[0].patterns[0].post,
            vec![Elem::Word("THEIR".into()), Elem::Skip, Elem::Word("ABOUT".into()), Elem::Mark(Marker::Target)]
        );
    }

    /// A verb with no code of its own in a block with none stands for the root category its
    /// own patterns agree on (named by their comments), and only then.
    #[test]
    fn a_verb_without_a_code_takes_the_one_its_patterns_agree_on() {
        let mut text = String::from("--- SPURN [---] ---\nSPURN\nSHUN\n");
        for (k, code) in ["121", "122", "123", "125", "120", "126", "127", "128", "129", "120"].iter().enumerate() {
            text.push_str(&format!("- * THING{k} [{code}] # SPURN\n"));
        }
        for k in 0..10 {
            text.push_str(&format!("- * OTHER{k} [{}] # SHUN\n", if k < 7 { "120" } else { "110" }));
        }
        let v = Verbs::read("t", &text).unwrap();
        let code = |w: &str| v.code_of(v.word_entry(w).unwrap()).forward.clone();
        assert_eq!(code("SPURN"), Some("120".into()));
        assert_eq!(code("SPURNED"), Some("120".into()));
        // Seven of ten is too few to agree.
        assert_eq!(code("SHUN"), None);
        assert_eq!(agreed_root(&vec!["12".to_string(); 9]), None);
        assert_eq!(agreed_root(&[vec!["--".to_string(); 3], vec!["12".to_string(); 9]].concat()), Some("120".into()));
        // A verb whose patterns mostly code its subject's side only has no act of its own.
        let text =
            "--- PERISH [190] ---\nPERISH\nFALL\n- * (IN RAID) [:190] # PERISH\n- * (IN BLAST) [:190] # PERISH\n\
            - * (IN CLASH) [:190] # PERISH\n- * (OF AGE) [---] # PERISH\n- * (IN BATTLE) [190] # PERISH\n";
        let v = Verbs::read("t", text).unwrap();
        let entry = |w: &str| v.word_entry(w).unwrap();
        assert_eq!(v.code_of(entry("PERISH")).forward, None);
        assert_eq!(v.code_of(entry("FALL")).forward.as_deref(), Some("190"));
    }

    #[test]
    fn agents_expand_sets_and_plurals() {
        let mut a = Agents::new();
        a.read("t", "!PERSON! = MAN, WOMAN\nPOLICE!PERSON! [~COP]\nFOREIGN_MINISTER [~GOVFRM]\nAID_AGENCY [NGO~]\n")
            .unwrap();
        assert_eq!(a.phrases.longest(&["POLICEWOMAN"]).unwrap().1.code, "COP");
        assert_eq!(a.phrases.longest(&["FOREIGN", "MINISTERS"]).unwrap().0, 2);
        assert!(a.phrases.longest(&["AID", "AGENCIES"]).unwrap().1.prepend);
    }
}
