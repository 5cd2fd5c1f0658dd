//! Who did what to whom, when and where: events read off the parse and coded in CAMEO and
//! PLOVER, with the evidence of every field.
//!
//! Owns: PETRARCH-2's dictionary formats ([`dict`]: verb patterns with their markers, verb-verb
//! transformations, actors with dated codes, agents, discards) and its coding ontology
//! ([`pico`], read only to say how PETRARCH writes a negated act), the default dictionaries
//! compiled in (CAMEO 2.0 and the Phoenix sets, MIT, in `data/phoenix/`), the CAMEO → PLOVER
//! table ([`cameo`]), the PLOVER lexicon for predicates CAMEO has no code for and its learner
//! ([`lexicon`]), the coder that turns a clause's predicate and arguments into events
//! ([`code_document`]: then transformations, demands, refusals, acts in protest; last, a story
//! the `topic` crate reads as sport, business, tech or entertainment keeps only the events of
//! political actors), casualty counts ([`counts`]), and the [`Events`] stage.
//!
//! Must never: code from word windows where the parse says otherwise (arguments come from
//! `syntax::clause`), take the publication date for event time, state in the system's voice
//! what a quote says (an event inside a quote carries its attribution), or code from a
//! sentence a discard phrase removes. No I/O: dictionaries are given as text.

pub mod cameo;
pub mod counts;
pub mod dict;
pub mod lexicon;
pub mod pico;

use dateline_model::{Document, Entity, EntityType, Event, EventActor, EventStatus, RefKind, Span, Stage, TimexType};
use dateline_syntax::clause::{self, Argument, Clause, Modality};
use dict::{Actors, Agents, Code, Discards, Elem, Marker, Pattern, Role, Transformation, VerbEntry, Verbs};
use lexicon::PloverLexicon;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A set of dictionaries: verbs, actors, agents, discards, and the PLOVER types of predicates
/// the verbs have no code for.
pub struct Dictionaries {
    pub verbs: Verbs,
    pub actors: Actors,
    pub agents: Agents,
    pub discards: Discards,
    pub plover: PloverLexicon,
}

fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut s = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut s).expect("built-in dictionaries are valid gzip'd UTF-8");
    s
}

/// A discard list less its discards by time: Phoenix drops every sentence naming a year from
/// 1914 to 2013, a world war, or saying "weeks ago", "months later", "fifty years ago", to keep
/// history out of current events; we code such a sentence's events and mark those long
/// before the news as historical (from the time layer, which resolves "six months ago"
/// against the publication date), as PLOVER's historical mode has it, instead of losing the
/// sentence ("signed an agreement to raise trade in 1983", "lifted the curfew imposed six
/// months ago").
fn without_time_discards(discards: &str) -> String {
    let by_time = |l: &str| {
        let l = l.split('#').next().unwrap_or("").trim();
        let year = l.len() == 4 && l.bytes().all(|b| b.is_ascii_digit());
        let words: Vec<&str> = l.split_whitespace().collect();
        let relative = matches!(words.as_slice(), [.., unit, "AGO" | "LATER"] if matches!(*unit, "DAYS" | "WEEKS" | "MONTHS" | "YEARS"));
        // "The worst fighting since World War Two": an era named is a time, as a year is.
        let era = l.contains("WORLD WAR");
        year || relative || era
    };
    discards.lines().filter(|l| !by_time(l)).flat_map(|l| [l, "\n"]).collect()
}

/// The Phoenix set as distributed: CAMEO 2.0 verbs and the Phoenix actors, agents and
/// discards; with `by_time`, the discards keep those by time (years, "weeks ago").
fn phoenix_files(by_time: bool) -> Vec<(String, String)> {
    let read = |b: &[u8]| gunzip(b);
    let discards = read(include_bytes!("../data/phoenix/Phoenix.discards.txt.gz"));
    vec![
        ("CAMEO.2.0.txt".into(), read(include_bytes!("../data/phoenix/CAMEO.2.0.txt.gz"))),
        (
            "Phoenix.Countries.actors.txt".into(),
            read(include_bytes!("../data/phoenix/Phoenix.Countries.actors.txt.gz")),
        ),
        (
            "Phoenix.International.actors.txt".into(),
            read(include_bytes!("../data/phoenix/Phoenix.International.actors.txt.gz")),
        ),
        (
            "Phoenix.MilNonState.actors.txt".into(),
            read(include_bytes!("../data/phoenix/Phoenix.MilNonState.actors.txt.gz")),
        ),
        ("Phoenix.agents.txt".into(), read(include_bytes!("../data/phoenix/Phoenix.agents.txt.gz"))),
        ("Phoenix.discards.txt".into(), if by_time { discards } else { without_time_discards(&discards) }),
    ]
}

impl Dictionaries {
    /// The defaults: CAMEO 2.0 verbs and the Phoenix actors, agents and discards (less the
    /// discards by time: see [`without_time_discards`]), and our PLOVER lexicon.
    pub fn builtin() -> &'static Dictionaries {
        static D: OnceLock<Dictionaries> = OnceLock::new();
        D.get_or_init(|| {
            let mut d = Dictionaries::from_files(&phoenix_files(false)).expect("built-in dictionaries read");
            d.plover = PloverLexicon::builtin();
            d
        })
    }

    /// The defaults less the PLOVER lexicon: what the CAMEO dictionaries alone type, the
    /// figure to compare on stories the lexicon was learned from.
    pub fn builtin_without_lexicon() -> &'static Dictionaries {
        static D: OnceLock<Dictionaries> = OnceLock::new();
        D.get_or_init(|| Dictionaries::from_files(&phoenix_files(false)).expect("built-in dictionaries read"))
    }

    /// The Phoenix set exactly as PETRARCH-2 distributes it, discards by time included, and no
    /// PLOVER lexicon: what codings made from PETRARCH-2's output (the GSR news suite) were
    /// made with.
    pub fn phoenix() -> &'static Dictionaries {
        static D: OnceLock<Dictionaries> = OnceLock::new();
        D.get_or_init(|| Dictionaries::from_files(&phoenix_files(true)).expect("built-in dictionaries read"))
    }

    /// Dictionaries from (file name, text) pairs, told apart by name as PETRARCH names them:
    /// `*verbs*` or `CAMEO*` verbs, `*actors*`, `*agents*`, `*discards*`; and ours,
    /// `*plover*.tsv`, a PLOVER lexicon (see [`lexicon`]; without one, a predicate the verbs
    /// have no code for is not coded). Exactly one verb file.
    pub fn from_files(files: &[(String, String)]) -> Result<Dictionaries, String> {
        let mut verbs = None;
        let mut actors = Actors::new();
        let mut agents = Agents::new();
        let mut discards = Discards::new();
        let mut plover = PloverLexicon::new();
        for (name, text) in files {
            let lower = name.to_lowercase();
            if lower.contains("plover") && lower.ends_with(".tsv") {
                plover = PloverLexicon::read(name, text)?;
            } else if lower.contains("verbs") || lower.starts_with("cameo") {
                if verbs.is_some() {
                    return Err(format!("{name}: a second verb dictionary (give one)"));
                }
                verbs = Some(Verbs::read(name, text)?);
            } else if lower.contains("actors") {
                actors.read(name, text)?;
            } else if lower.contains("agents") {
                agents.read(name, text)?;
            } else if lower.contains("discards") {
                discards.read(name, text)?;
            }
        }
        let verbs = verbs.ok_or("no verb dictionary (a file named *verbs*.txt or CAMEO*.txt)")?;
        Ok(Dictionaries { verbs, actors, agents, discards, plover })
    }
}

/// How the coder treats a sentence: PETRARCH's options that the validation files set.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Code only events with both a source and a target actor.
    pub require_dyad: bool,
}

/// The events stage: codes every sentence of a document with a set of dictionaries.
pub struct Events {
    dictionaries: &'static Dictionaries,
    options: Options,
}

impl Default for Events {
    fn default() -> Self {
        Events { dictionaries: Dictionaries::builtin(), options: Options::default() }
    }
}

impl Events {
    pub fn new(dictionaries: &'static Dictionaries, options: Options) -> Self {
        Events { dictionaries, options }
    }
}

impl Stage for Events {
    fn name(&self) -> &'static str {
        "events"
    }

    fn annotate(&self, doc: &mut Document) {
        doc.events = code_document(doc, self.dictionaries, self.options);
    }
}

/// What the coder reads of a document: each token's upper-cased word and lemma, and its
/// dependents.
struct View<'d> {
    doc: &'d Document,
    upper: Vec<String>,
    lemma: Vec<String>,
    kids: Vec<Vec<usize>>,
    /// What the story says of its names' countries against the dictionary's.
    story: StoryCodes,
}

impl<'d> View<'d> {
    fn new(doc: &'d Document) -> Self {
        let kids = clause::dependents(doc);
        let upper: Vec<String> = doc.tokens.iter().map(|t| doc.slice(t.span).to_uppercase()).collect();
        let lemma = doc
            .tokens
            .iter()
            .zip(&upper)
            .map(|(t, u)| t.lemma.as_deref().map_or_else(|| u.clone(), str::to_uppercase))
            .collect();
        View { doc, upper, lemma, kids, story: StoryCodes(HashMap::new()) }
    }

    fn entry_code<'a>(&'a self, d: &'a Dictionaries, e: usize, day: Option<i32>) -> Option<&'a str> {
        self.story.entry_code(d, e, day)
    }

    fn deprel(&self, i: usize) -> &str {
        self.doc.tokens[i].deprel.as_deref().unwrap_or("")
    }

    fn pos(&self, i: usize) -> &str {
        self.doc.tokens[i].pos.as_deref().unwrap_or("")
    }

    /// The tokens of `i`'s subtree, in order, leaving out the subtrees hung by a relation
    /// `skip` accepts.
    fn subtree(&self, i: usize, skip: &dyn Fn(&str) -> bool) -> Vec<usize> {
        let mut out = vec![i];
        let mut stack = vec![i];
        while let Some(x) = stack.pop() {
            for &c in &self.kids[x] {
                if !skip(self.deprel(c)) {
                    out.push(c);
                    stack.push(c);
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Whether token `i` belongs to the dateline ("NAIROBI -"), which the parser may hang on
    /// the first sentence's subject but which is no part of any actor.
    fn in_dateline(&self, i: usize) -> bool {
        self.doc.dateline.as_ref().is_some_and(|d| {
            // The place and the dash or parenthesis after it.
            let at = self.doc.tokens[i].span.start;
            at >= d.span.start && at < d.span.end + 3
        })
    }

    fn span_of(&self, tokens: &[usize]) -> Span {
        let first = tokens.iter().min().copied().unwrap_or(0);
        let last = tokens.iter().max().copied().unwrap_or(0);
        Span::new(self.doc.tokens[first].span.start, self.doc.tokens[last].span.end)
    }

    /// Whether token `t` lies in a temporal expression (timexes are in text order).
    fn in_timex(&self, t: usize) -> bool {
        let span = self.doc.tokens[t].span;
        let k = self.doc.timexes.partition_point(|x| x.span.start <= span.start);
        self.doc.timexes[..k].last().is_some_and(|x| x.span.contains(span))
    }

    /// The case marker of a nominal (the "with" of "with Raisi"), upper-cased, if any.
    fn case_marker(&self, t: usize) -> Option<&str> {
        self.kids[t].iter().copied().find(|&k| self.deprel(k) == "case").map(|k| self.upper[k].as_str())
    }

    fn conjuncts(&self, h: usize) -> Vec<usize> {
        conjuncts(self.doc, &self.kids, h)
    }
}

/// `h` and the words conjoined to it ("A, B and C"), given each token's dependents.
pub(crate) fn conjuncts(doc: &Document, kids: &[Vec<usize>], h: usize) -> Vec<usize> {
    let mut out = vec![h];
    let mut i = 0;
    while i < out.len() && out.len() < 32 {
        let x = out[i];
        out.extend(kids[x].iter().copied().filter(|&c| doc.tokens[c].deprel.as_deref() == Some("conj")));
        i += 1;
    }
    out
}

/// Relations whose subtrees are not part of a noun phrase's own words (the case marker too:
/// the actor of "with Raisi" is "Raisi"; and a marker the parse hung on a noun, "with" read
/// as a subordinator).
fn outside_phrase(r: &str) -> bool {
    matches!(
        r,
        "acl"
            | "acl:relcl"
            | "advcl"
            | "ccomp"
            | "xcomp"
            | "parataxis"
            | "conj"
            | "cc"
            | "punct"
            | "appos"
            | "dep"
            | "case"
            | "mark"
    ) || r == "nmod"
}

/// An actor whose name runs through a preposition: "the Syrian Observatory for Human Rights",
/// "the Organization of American States". The noun phrase is read with its "of"/"for"
/// phrases and their markers, and a dictionary name that takes in the head and words of those
/// phrases is the actor, the whole phrase its words. (Read without them, the name's first
/// words alone are another actor: "Syrian" is Syria.)
fn name_with_prepositions(view: &View, d: &Dictionaries, h: usize, base: &[usize], day: Option<i32>) -> Option<Found> {
    let inner = |r: &str| outside_phrase(r) && !matches!(r, "nmod" | "case");
    let own_marker = |t: &usize| view.doc.tokens[*t].head == Some(h) && view.deprel(*t) == "case";
    let mut full = view.subtree(h, &inner);
    full.retain(|t| !own_marker(t) && !view.in_dateline(*t));
    if full.len() == base.len() {
        return None;
    }
    let words: Vec<&str> = full.iter().map(|&t| view.upper[t].as_str()).collect();
    for i in 0..full.len() {
        let Some((n, &e)) = d.actors.phrases.longest(&words[i..]) else { continue };
        let run = &full[i..i + n];
        // Contiguous in the text, through the head, and beyond the words read without the
        // phrases.
        let contiguous = run.windows(2).all(|w| w[1] == w[0] + 1);
        if contiguous && run.contains(&h) && run.iter().any(|t| !base.contains(t)) {
            let code = view.entry_code(d, e, day)?;
            return Some(Found { tokens: full.clone(), code: Some(code.to_string()) });
        }
    }
    None
}

/// Relations whose subtrees leave a predicate's clause.
fn outside_clause(r: &str) -> bool {
    matches!(r.split(':').next().unwrap_or(""), "ccomp" | "advcl" | "parataxis" | "conj" | "csubj" | "punct")
}

/// Days since 0001-01-01 of the story date, for dated actor codes.
fn story_day(doc: &Document) -> Option<i32> {
    doc.published.map(|p| story_day_of(p.date))
}

/// Days since 0001-01-01 of a date: the day number that dated actor codes are chosen by.
pub fn story_day_of(date: chrono::NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&date)
}

/// The actor-dictionary entry that a whole name is (every word of it one phrase), if any:
/// two names with the same entry are synonyms by the dictionary ("Ayatollah Khamenei",
/// "Ali Khamenei").
pub fn actor_entry(d: &Dictionaries, name: &str) -> Option<usize> {
    let upper: Vec<String> = name.split_whitespace().map(|w| w.replace(['’', '‘'], "'").to_uppercase()).collect();
    let words: Vec<&str> = upper.iter().map(String::as_str).collect();
    match d.actors.phrases.longest(&words) {
        Some((n, &e)) if n == words.len() => Some(e),
        _ => None,
    }
}

/// The codes a story gives dictionary names against the dictionary's country (see
/// [`stated_countries`]), for stages that code names outside events (the entities layer).
pub struct StoryCodes(HashMap<usize, String>);

/// What the story in `doc` says of its names' countries; empty before a parse.
pub fn story_codes(doc: &Document, d: &Dictionaries) -> StoryCodes {
    if doc.tokens.iter().all(|t| t.deprel.is_none()) {
        return StoryCodes(HashMap::new());
    }
    let view = View::new(doc);
    let clauses = clauses_by_sentence(doc, &dateline_nlp::sentence_token_ranges(doc));
    StoryCodes(stated_countries(&view, d, &clauses, story_day(doc)))
}

/// The clauses of each sentence (none for an empty one), read once for the passes over a story.
fn clauses_by_sentence(doc: &Document, ranges: &[(usize, usize)]) -> Vec<Vec<Clause>> {
    ranges.iter().map(|&(a, b)| if a < b { clause::clauses(doc, a) } else { Vec::new() }).collect()
}

impl StoryCodes {
    /// The code of actor-dictionary entry `e` in this story: the dictionary's on the story
    /// day, unless the story says the name belongs to another country.
    fn entry_code<'a>(&'a self, d: &'a Dictionaries, e: usize, day: Option<i32>) -> Option<&'a str> {
        self.0.get(&e).map(String::as_str).or_else(|| d.actors.entries[e].code_on(day))
    }

    /// The code of a whole name on a story day, as this story has it.
    pub fn actor_code(&self, d: &Dictionaries, name: &str, day: Option<i32>) -> Option<String> {
        actor_entry(d, name).and_then(|e| self.entry_code(d, e, day)).map(str::to_string)
    }
}

/// The actors an argument stands for; a name no dictionary knows takes the code of its
/// description ("the militant group Lions' Den" is what "Palestinian militant group" is).
fn argument_actors(view: &View, d: &Dictionaries, x: &Argument, day: Option<i32>) -> Vec<Found> {
    let mut found = actors_of(view, d, x.head, day);
    if let Some(code) = x.descriptor.and_then(|h| actors_of(view, d, h, day).into_iter().find_map(|f| f.code)) {
        for f in found.iter_mut().filter(|f| f.code.is_none()) {
            f.code = Some(code.clone());
        }
    }
    found
}

/// Names whose country the story states against the dictionary's: a name described with a
/// nationality ("Palestinian militant groups Hamas and Islamic Jihad", where the dictionary
/// files "Islamic Jihad" under Lebanon) is that country's, with the dictionary's sector
/// (PSEREB). The story's word is better evidence than a dictionary's default for a name
/// several groups have used, and it holds for the name throughout the story ("the chief of
/// Islamic Jihad" later on). Codes of bodies above countries (IGO, NGO, MNC, INT) are kept.
fn stated_countries(
    view: &View,
    d: &Dictionaries,
    clauses: &[Vec<Clause>],
    day: Option<i32>,
) -> HashMap<usize, String> {
    let mut restated = HashMap::new();
    for sentence in clauses {
        for c in sentence {
            for arg in c.subjects.iter().chain(&c.objects) {
                let Some(descriptor) = arg.descriptor else { continue };
                let described = actors_of(view, d, descriptor, day);
                let Some(country) =
                    described.first().and_then(|f| f.code.as_deref()).and_then(|c| c.get(..3)).filter(|c| *c != "---")
                else {
                    continue;
                };
                let tokens = view.subtree(arg.head, &outside_phrase);
                let words: Vec<&str> = tokens.iter().map(|&t| view.upper[t].as_str()).collect();
                let Some(e) = (0..words.len()).find_map(|i| d.actors.phrases.longest(&words[i..]).map(|(_, &e)| e))
                else {
                    continue;
                };
                let Some(code) = d.actors.entries[e].code_on(day) else { continue };
                let above_countries = matches!(code.get(..3), Some("IGO" | "NGO" | "MNC" | "INT" | "---"));
                if !above_countries && code.get(..3) != Some(country) {
                    restated.insert(e, format!("{country}{}", code.get(3..).unwrap_or("")));
                }
            }
        }
    }
    restated
}

/// A short form of a name the story gives in full ("Islamic Jihad" after "Palestinian Islamic
/// Jihad", one entity in the entities layer) is coded as the full name is, where a dictionary
/// files the short form apart (Phoenix: Lebanon's "Islamic Jihad", the region's "Palestinian
/// Islamic Jihad"): in this story the two are one organisation. A code the story states
/// already ([`stated_countries`]) stands.
fn short_forms(doc: &Document, d: &Dictionaries, day: Option<i32>, stated: &mut HashMap<usize, String>) {
    for entity in doc.entities.iter().filter(|e| e.kind == EntityType::Org) {
        let Some(full) = &entity.code else { continue };
        for r in entity.references.iter().filter(|r| matches!(r.how, RefKind::Short | RefKind::Acronym)) {
            let Some(e) = actor_entry(d, doc.slice(r.span)) else { continue };
            if d.actors.entries[e].code_on(day) != Some(full.as_str()) {
                stated.entry(e).or_insert_with(|| full.clone());
            }
        }
    }
}

/// A found actor before it becomes an [`EventActor`].
struct Found {
    tokens: Vec<usize>,
    code: Option<String>,
}

/// "Danish media and government": a conjunct that names only an agent (`---GOV`) shares the
/// country of the conjunct before it (`DNKMED` → `DNKGOV`), as the modifier is read over the
/// whole coordination.
fn share_country(actors: &mut [Found]) {
    let mut country: Option<String> = None;
    for f in actors.iter_mut() {
        match f.code.as_deref() {
            Some(c) if c.starts_with("---") => {
                if let Some(k) = &country {
                    f.code = Some(format!("{k}{}", &c[3..]));
                }
            }
            // A state's code, not an international, non-governmental or business body's.
            Some(c)
                if c.len() >= 3
                    && c.is_char_boundary(3)
                    && c[..3].chars().all(|ch| ch.is_ascii_uppercase())
                    && !matches!(&c[..3], "IGO" | "NGO" | "MNC") =>
            {
                country = Some(c[..3].to_string())
            }
            _ => country = None,
        }
    }
}

/// The actor and agent codes of a run of tokens: the first actor phrase, and every agent.
fn codes_in(view: &View, d: &Dictionaries, tokens: &[usize], day: Option<i32>) -> (Option<String>, Vec<dict::Agent>) {
    let words: Vec<&str> = tokens.iter().map(|&t| view.upper[t].as_str()).collect();
    let mut actor = None;
    let mut agents: Vec<dict::Agent> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let a = d.actors.phrases.longest(&words[i..]);
        let g = d.agents.phrases.longest(&words[i..]);
        match (a, g) {
            (Some((n, &e)), g) if g.is_none_or(|(m, _)| n >= m) => {
                if actor.is_none() {
                    actor = view.entry_code(d, e, day).map(str::to_string);
                }
                i += n;
            }
            (_, Some((m, agent))) => {
                if !agents.iter().any(|x| x.code == agent.code) {
                    agents.push(agent.clone());
                }
                i += m;
            }
            _ => i += 1,
        }
    }
    (actor, agents)
}

fn join_codes(actor: Option<&str>, agents: &[dict::Agent]) -> Option<String> {
    if actor.is_none() && agents.is_empty() {
        return None;
    }
    let mut code = actor.unwrap_or("---").to_string();
    for a in agents {
        if code.ends_with(&a.code) {
            continue;
        }
        if a.prepend {
            code = format!("{}{}", a.code, code.trim_start_matches("---"));
        } else {
            code.push_str(&a.code);
        }
    }
    Some(code)
}

/// The actors an argument head stands for: its phrase's codes ("the Calenardhon government"
/// → CALGOV); a head that is only an agent takes its countries from an "of" phrase, one actor
/// per conjunct ("the ambassadors of A, B and C" → three); a named mention no dictionary knows
/// stays an actor without a code.
fn actors_of(view: &View, d: &Dictionaries, h: usize, day: Option<i32>) -> Vec<Found> {
    if view.in_dateline(h) {
        return Vec::new();
    }
    if let Some(m) = partitive_of(view, h) {
        let of = actors_of(view, d, m, day);
        if !of.is_empty() {
            return of;
        }
    }
    let mut base = view.subtree(h, &outside_phrase);
    base.retain(|&t| !view.in_dateline(t));
    if let Some(found) = name_with_prepositions(view, d, h, &base, day) {
        return vec![found];
    }
    let (actor, agents) = codes_in(view, d, &base, day);
    if actor.is_some() {
        let mut all = vec![Found { tokens: base.clone(), code: join_codes(actor.as_deref(), &agents) }];
        // "US and British activists": each conjoined modifier names an actor of its own, with
        // the head's agents.
        for &m in view.kids[h].iter().filter(|&&m| matches!(view.deprel(m), "amod" | "compound")) {
            let own = view.subtree(m, &outside_phrase);
            for c in view.conjuncts(m).into_iter().skip(1) {
                let mut tokens: Vec<usize> = base.iter().copied().filter(|t| !own.contains(t)).collect();
                tokens.extend(view.subtree(c, &outside_phrase));
                tokens.sort_unstable();
                if let (Some(a), g) = codes_in(view, d, &tokens, day) {
                    all.push(Found { tokens, code: join_codes(Some(&a), &g) });
                }
            }
        }
        return all;
    }
    let mut of = Vec::new();
    // "Police in Baghdad" are Iraq's police, but a named person is not where they are:
    // "Petra Maurer in Vienna" is not Austria. Only an "of" phrase says whose a person is.
    let person = mention_at(view.doc, view.doc.tokens[h].span).is_some_and(|m| m.kind == EntityType::Person);
    let of_phrase = |m: usize| {
        !person
            || view.kids[m].iter().all(|&k| view.deprel(k) != "case" || matches!(view.upper[k].as_str(), "OF" | "FROM"))
    };
    // Whose ("an attack by Rohan soldiers") before where ("in south Ithilien"): a place phrase
    // names the actor only when nothing else does ("police in Baghdad").
    let mut located = Vec::new();
    for &m in view.kids[h].iter().filter(|&&m| view.deprel(m) == "nmod" && of_phrase(m)) {
        // Each conjunct a dictionary knows, and with them the named ones it does not
        // ("discussions with President Tosk and Governor Marn").
        let mut coded = false;
        let mut these = Vec::new();
        for c in view.conjuncts(m) {
            let toks = view.subtree(c, &outside_phrase);
            let (a, g) = codes_in(view, d, &toks, day);
            let is_named = mention_at(view.doc, view.doc.tokens[c].span)
                .is_some_and(|x| matches!(x.kind, EntityType::Person | EntityType::Org));
            if a.is_some() || is_named {
                coded |= a.is_some();
                let mut all = agents.clone();
                all.extend(g);
                these.push(Found { tokens: toks, code: join_codes(a.as_deref(), &all) });
            }
        }
        if coded {
            if place_marked(view, m) {
                located.extend(these)
            } else {
                of.extend(these)
            }
        }
    }
    if of.is_empty() {
        of = located;
    }
    if !of.is_empty() {
        return of;
    }
    if !agents.is_empty() {
        return vec![Found { tokens: base, code: join_codes(None, &agents) }];
    }
    // "Tomas Renn, the leader of the Lune Front": the apposition says whose the person is,
    // with its of/from phrases ("an envoy to Varnholm" is not Varnholm's). A name there counts
    // only as a whole name the dictionary knows: "the Supreme Security Council" is not the
    // "Security Council" that its last words are.
    for &m in view.kids[h].iter().filter(|&&m| view.deprel(m) == "appos") {
        let mut toks = view.subtree(m, &outside_phrase);
        let mut named = None;
        for &k in view.kids[m].iter().filter(|&&k| view.deprel(k) == "nmod") {
            if !matches!(view.case_marker(k), Some("OF" | "FROM")) {
                continue;
            }
            match mention_at(view.doc, view.doc.tokens[k].span) {
                Some(name) => named = named.or_else(|| view.story.actor_code(d, view.doc.slice(name.span), day)),
                None => toks.extend(view.subtree(k, &outside_phrase)),
            }
        }
        toks.sort_unstable();
        let (a, g) = codes_in(view, d, &toks, day);
        let a = named.or(a);
        if a.is_some() || !g.is_empty() {
            return vec![Found { tokens: base, code: join_codes(a.as_deref(), &g) }];
        }
    }
    if mention_at(view.doc, view.doc.tokens[h].span).is_some() {
        return vec![Found { tokens: base, code: None }];
    }
    // "He", "the president": who the entities layer says it is.
    let head = view.doc.tokens[h].span;
    if let Some(e) = view
        .doc
        .entities
        .iter()
        .find(|e| e.references.iter().any(|r| r.span.start <= head.start && head.end <= r.span.end))
    {
        return vec![Found { tokens: base, code: e.code.clone() }];
    }
    Vec::new()
}

/// Words that count or gather the people of their "of" phrase: "a group of soldiers",
/// "hundreds of protesters", "one third of the guerrillas" are the soldiers, protesters and
/// guerrillas.
const PARTITIVES: [&str; 24] = [
    "GROUP",
    "NUMBER",
    "DOZEN",
    "DOZENS",
    "HUNDRED",
    "HUNDREDS",
    "THOUSAND",
    "THOUSANDS",
    "MILLION",
    "MILLIONS",
    "SCORE",
    "SCORES",
    "CROWD",
    "BAND",
    "HANDFUL",
    "COUPLE",
    "MAJORITY",
    "MINORITY",
    "CONTINGENT",
    "THIRD",
    "HALF",
    "QUARTER",
    "REST",
    "BATCH",
];

/// The "of" phrase a counting or gathering head stands for ([`PARTITIVES`], or a number:
/// "three of the soldiers"), unless head and phrase are one name ("the Group of Seven").
fn partitive_of(view: &View, h: usize) -> Option<usize> {
    if !(PARTITIVES.contains(&view.lemma[h].as_str())
        || PARTITIVES.contains(&view.upper[h].as_str())
        || view.pos(h) == "CD")
    {
        return None;
    }
    let m = view.kids[h].iter().copied().find(|&m| view.deprel(m) == "nmod" && view.case_marker(m) == Some("OF"))?;
    let one_name =
        mention_at(view.doc, view.doc.tokens[h].span).is_some_and(|x| view.doc.tokens[m].span.end <= x.span.end);
    (!one_name).then_some(m)
}

/// The named mention that holds a span, if any. Mentions are in text order and do not
/// overlap, so the one that starts last at or before the span is the only candidate.
fn mention_at(doc: &Document, s: Span) -> Option<&dateline_model::Mention> {
    let k = doc.mentions.partition_point(|m| m.span.start <= s.start);
    doc.mentions[..k].last().filter(|m| s.end <= m.span.end)
}

/// The mentions that lie inside a span, in order.
fn mentions_in(doc: &Document, s: Span) -> impl Iterator<Item = &dateline_model::Mention> {
    let k = doc.mentions.partition_point(|m| m.span.start < s.start);
    doc.mentions[k..].iter().take_while(move |m| m.span.start < s.end).filter(move |m| m.span.end <= s.end)
}

fn event_actor(view: &View, f: &Found) -> EventActor {
    let span = view.span_of(&f.tokens);
    // The actor's span is its named mention when the phrase is one (so it is "the mention it
    // is"), else the phrase.
    let mention = mentions_in(view.doc, span).find(|m| m.kind != EntityType::Misc || m.country.is_some());
    let entity = Entity::at(&view.doc.entities, span);
    let kind = mention.map(|m| m.kind).or_else(|| entity.map(|e| view.doc.entities[e].kind));
    // A short name's code is its full name's ("Haniyeh" is "Ismail Haniyeh").
    let code = f.code.clone().or_else(|| entity.and_then(|e| view.doc.entities[e].code.clone()));
    EventActor { span, code, kind, entity }
}

/// Where a pattern's markers fell: each marker and the position in the tokens it marks.
type Marks = Vec<(Marker, usize)>;

/// Whether `elems` match in order among `tokens` from `from`; returns where matching ended,
/// and records where the markers fell in `marks`.
fn match_seq(
    view: &View,
    d: &Dictionaries,
    elems: &[Elem],
    tokens: &[usize],
    from: usize,
    marks: &mut Marks,
) -> Option<usize> {
    let mut at = from;
    for e in elems {
        if let Elem::Mark(m) = e {
            // A marker matches no word: the actor it marks starts here.
            marks.push((*m, at));
            continue;
        }
        at = (at..tokens.len()).find_map(|k| match_here(view, d, e, tokens, k, marks))?;
    }
    Some(at)
}

/// Whether element `e` matches starting at `tokens[k]`; returns the position after it.
fn match_here(view: &View, d: &Dictionaries, e: &Elem, tokens: &[usize], k: usize, marks: &mut Marks) -> Option<usize> {
    let t = *tokens.get(k)?;
    match e {
        Elem::Mark(_) => Some(k),
        Elem::Skip => {
            // One noun phrase: up to its first noun or pronoun, with the name words after it.
            let first = (k..tokens.len()).find(|&j| {
                let pos = view.pos(tokens[j]);
                pos.starts_with("NN") || pos == "PRP"
            })?;
            let mut end = first + 1;
            while end < tokens.len() && matches!(view.deprel(tokens[end]), "flat" | "compound") {
                end += 1;
            }
            Some(end)
        }
        Elem::Word(w) => word_matches(view, t, w).then_some(k + 1),
        Elem::Synset(name) => {
            let set = d.verbs.synsets.get(name)?;
            let words: Vec<&str> = tokens[k..].iter().take(6).map(|&t| view.upper[t].as_str()).collect();
            let lemma_first: Vec<&str> =
                std::iter::once(view.lemma[t].as_str()).chain(words.iter().skip(1).copied()).collect();
            set.longest(&words).or_else(|| set.longest(&lemma_first)).map(|(n, _)| k + n)
        }
        Elem::Phrase(parts) => {
            let mut at = k;
            for p in parts {
                at = match_here(view, d, p, tokens, at, marks)?;
            }
            Some(at)
        }
        Elem::Prep(parts) => {
            let (first, rest) = parts.split_first()?;
            // A preposition heading its phrase: not the "to" of an infinitive, a subordinator,
            // or the second word of "due to".
            if matches!(view.deprel(t), "mark" | "fixed") {
                return None;
            }
            // Nor one heading a time: "telephoned him on Tuesday" is no "called on".
            if view.doc.tokens[t].head.is_some_and(|h| view.in_timex(h)) {
                return None;
            }
            let after = match_here(view, d, first, tokens, k, marks)?;
            // The words of a prepositional phrase come within its next few tokens.
            let window = &tokens[..tokens.len().min(after + 6)];
            if rest.is_empty() {
                Some(after)
            } else {
                // Markers count only where the whole phrase matches.
                let mut inside = Marks::new();
                let end = match_seq(view, d, rest, window, after, &mut inside);
                if end.is_some() {
                    marks.extend(inside);
                }
                end
            }
        }
    }
}

fn word_matches(view: &View, t: usize, w: &str) -> bool {
    let u = view.upper[t].as_str();
    u == w || view.lemma[t] == w || u.strip_suffix('S').is_some_and(|s| s == w || s.strip_suffix('E') == Some(w))
}

/// The verb entry for a predicate (its block, its own code), and how many following words a
/// multi-word verb took.
fn block_of<'d>(view: &View, d: &'d Dictionaries, p: usize, sentence_end: usize) -> Option<(&'d VerbEntry, usize)> {
    let mut best: Option<(&VerbEntry, usize)> = None;
    for key in [&view.lemma[p], &view.upper[p]] {
        for e in d.verbs.index.get(key.as_str()).into_iter().flatten() {
            let follows =
                e.rest.iter().enumerate().all(|(k, w)| p + 1 + k < sentence_end && &view.upper[p + 1 + k] == w);
            if follows && best.is_none_or(|(_, n)| e.rest.len() > n) {
                best = Some((e, e.rest.len()));
            }
        }
        if best.is_some() {
            break;
        }
    }
    best
}

/// The most specific pattern of a block that matches the clause (the most words; of those,
/// the one matching nearest the verb), if any, with where its markers fell on the object side.
fn best_pattern<'a>(
    view: &View,
    d: &'a Dictionaries,
    (block, verb): (usize, usize),
    pre: &[usize],
    post: &[usize],
) -> Option<(&'a Pattern, Marks)> {
    d.verbs.blocks[block]
        .patterns
        .iter()
        .filter(|pat| !pat.pre.is_empty() || !pat.post.is_empty())
        .filter_map(|pat| {
            let mut marks = Marks::new();
            match_seq(view, d, &pat.post, post, 0, &mut marks)?;
            if let Some(w) = particle_only(&pat.post) {
                // A pattern that is a particle alone ("- * ON": "pressed on") is the verb's
                // own word: not any "on" in its clause ("demanded … on Monday", "an end to
                // curbs on the press").
                post.iter().find(|&&t| word_matches(view, t, w)).filter(|&&t| particle_of(view, t, verb))?;
            }
            // Only the object side's markers place actors (see [`marked_actors`]).
            match_seq(view, d, &pat.pre, pre, 0, &mut Marks::new())?;
            // Where its first word fell: of two patterns naming as many words, the one nearer
            // the verb is about the verb's own object ("blocked the road beside the railway",
            // "rejected the proposal for a trade deal"), not a word further on.
            let start = pat
                .post
                .iter()
                .find(|e| !matches!(e, Elem::Mark(_)))
                .and_then(|e0| (0..post.len()).find(|&k| match_here(view, d, e0, post, k, &mut Marks::new()).is_some()))
                .unwrap_or(0);
            Some((pat, marks, start))
        })
        .max_by_key(|(pat, _, start)| (pat.weight(), std::cmp::Reverse(*start)))
        .map(|(pat, marks, _)| (pat, marks))
}

/// The word of a pattern whose object side is a single particle or preposition, written bare
/// ("- * ON [190]"), if it is one.
fn particle_only(post: &[Elem]) -> Option<&str> {
    const PARTICLES: [&str; 14] = [
        "ON", "OFF", "UP", "DOWN", "IN", "OUT", "OVER", "BACK", "AWAY", "THROUGH", "AHEAD", "INTO", "AGAINST", "AROUND",
    ];
    let words: Vec<&Elem> = post.iter().filter(|e| !matches!(e, Elem::Mark(_))).collect();
    match words[..] {
        [Elem::Word(w)] if PARTICLES.contains(&w.as_str()) => Some(w),
        _ => None,
    }
}

/// Whether token `t` is verb `p`'s particle ("pressed on"), or the preposition of one of its
/// own phrases that is not a time ("pressed on with the offensive", not "on Monday").
fn particle_of(view: &View, t: usize, p: usize) -> bool {
    let doc = view.doc;
    let Some(h) = doc.tokens[t].head else { return false };
    if h == p {
        return true;
    }
    doc.tokens[h].head == Some(p) && !view.in_timex(h)
}

/// The actors a pattern's markers place on the object side ("warned their people about +":
/// the target is the actor phrase after "about"): the first word from the marked position
/// that stands for an actor, read as the phrase it heads.
fn marked_actors(
    view: &View,
    d: &Dictionaries,
    marks: Marks,
    post: &[usize],
    day: Option<i32>,
) -> Vec<(Marker, Vec<Found>)> {
    marks
        .into_iter()
        .filter_map(|(m, at)| {
            let found = post.get(at..)?.iter().take(6).find_map(|&t| {
                let mut h = t;
                while matches!(view.deprel(h), "compound" | "flat" | "amod" | "det" | "nummod" | "nmod:poss") {
                    h = view.doc.tokens[h].head?;
                }
                let f = actors_of(view, d, h, day);
                (!f.is_empty()).then_some(f)
            })?;
            Some((m, found))
        })
        .collect()
}

/// The predicate a story's first sentence reports, for learning the PLOVER lexicon from
/// labelled stories: the sentence's root, or, when the root is a statement verb (CAMEO 01:
/// "officials said [the army withdrew]"), the verb of the clause it governs.
pub fn lead_predicate(doc: &Document, d: &Dictionaries) -> Option<usize> {
    let (a, b) = *dateline_nlp::sentence_token_ranges(doc).first()?;
    let view = View::new(doc);
    let mut p = (a..b).find(|&t| doc.tokens[t].head.is_none() && view.pos(t).starts_with("VB"))?;
    for _ in 0..3 {
        let statement = block_of(&view, d, p, b)
            .is_some_and(|(e, _)| d.verbs.code_of(e).forward.as_deref().is_some_and(|c| c.starts_with("01")));
        let governed = view.kids[p]
            .iter()
            .copied()
            .find(|&k| matches!(view.deprel(k), "ccomp" | "parataxis") && view.pos(k).starts_with("VB"));
        match governed.filter(|_| statement) {
            Some(k) => p = k,
            None => break,
        }
    }
    Some(p)
}

/// Codes every sentence of a document.
pub fn code_document(doc: &Document, d: &Dictionaries, options: Options) -> Vec<Event> {
    if doc.tokens.is_empty() || doc.tokens.iter().all(|t| t.deprel.is_none()) {
        return Vec::new();
    }
    let mut view = View::new(doc);
    let day = story_day(doc);
    let ranges = dateline_nlp::sentence_token_ranges(doc);
    let all_clauses = clauses_by_sentence(doc, &ranges);
    let mut stated = stated_countries(&view, d, &all_clauses, day);
    short_forms(doc, d, day, &mut stated);
    view.story = StoryCodes(stated);
    // A story discard phrase anywhere drops the story; a sentence discard, its sentence.
    let discard = |(a, b): (usize, usize)| {
        let words: Vec<&str> = (a..b).map(|t| view.upper[t].as_str()).collect();
        (0..words.len()).find_map(|i| d.discards.phrases.longest(&words[i..]).map(|(_, &story)| story))
    };
    let discards: Vec<Option<bool>> = ranges.iter().map(|&r| discard(r)).collect();
    if discards.contains(&Some(true)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, (&(a, b), discarded)) in ranges.iter().zip(&discards).enumerate() {
        if a == b || discarded.is_some() {
            continue;
        }
        // Events are read without the dyad requirement first: a transformation may fold a
        // one-sided act into a two-sided one ("the US said Iraq had attacked" is an
        // accusation of Iraq); the requirement applies to what comes out.
        let mut coded = Vec::new();
        let clauses = all_clauses[i].as_slice();
        let any_side = Options { require_dyad: false };
        for c in clauses {
            code_clause(&view, d, c, clauses, (a, b), day, any_side, &mut coded);
        }
        let mut nominal = Vec::new();
        code_nouns(&view, d, clauses, (a, b), day, &coded, &mut nominal);
        coded.extend(nominal);
        refusals_by_will_not(&view, clauses, &mut coded);
        transform(&view, d, clauses, b, day, &mut coded);
        demands(&view, d, clauses, b, day, &mut coded);
        refusals(&view, clauses, &mut coded);
        intents(&view, d, clauses, b, &mut coded);
        protests_by_purpose(&view, d, clauses, day, &mut coded);
        // (Taken before the dyad requirement: a clause whose act names no doer is still the
        // act the report tells of, not a statement about the clause's subject.)
        let predicates: Vec<usize> = coded.iter().map(|c| c.predicate).collect();
        if options.require_dyad {
            // Both sides, or a reciprocal act of two or more ("A and B met": each on the others).
            coded.retain(|c| {
                let (s, t) = (&c.event.source, &c.event.target);
                !s.is_empty() && (!t.is_empty() || (s.len() >= 2 && view.pos(c.predicate).starts_with("VB")))
            });
        }
        // A statement whose target was read off the clause it governs ("officials said [A
        // signed …]") is not coded when that clause is an event of its own: the report is the
        // event's attribution, not a second event. The clause's act may lie down a chain of
        // open complements ("said [A is about to restore ties]", "[A plans to sign]").
        let is_event = |k: usize| predicates.iter().any(|&p| open_complement_of(&view, p, k));
        for c in coded.iter_mut() {
            type_by_codebook(doc, c);
        }
        promises_by_what_they_promise(&view, &mut coded);
        let before = out.len();
        // Only a statement (CAMEO 01) is a report: "A demanded that [B refuse …]" is A's
        // demand, an act of its own whatever the clause holds.
        let statement = |c: &Coded| c.event.cameo.as_deref().is_some_and(|code| code.starts_with("01"));
        out.extend(
            coded
                .into_iter()
                .filter(|c| !statement(c) || c.target_from_clause.is_none_or(|k| !is_event(k)))
                .map(|c| c.event),
        );
        if i > 0 {
            let previous = doc.tokens[ranges[i - 1].0].span.start;
            place_of_an_earlier_meeting(&mut out, before, previous);
        }
        if out[before..].iter().all(|e| e.counts.is_empty()) {
            // The events of the two sentences before begin where the earlier one does.
            let from = doc.tokens[ranges[i.saturating_sub(2)].0].span.start;
            counts_of_an_earlier_event(&view, d, clauses, from, &mut out[..before]);
        }
    }
    political_only(doc, &mut out);
    out
}

/// Least probability of a story's topic for [`political_only`] to act on it.
const TOPIC_CONFIDENCE: f64 = 0.9;

/// Events of a story that is not political news, by its topic ([`dateline_topic`]), kept only
/// where political actors or casualties carry them. CAMEO's verbs are political readings:
/// in a match report "beat", "hit" and "took" code attacks and seizures, "met" a meeting;
/// in business news "hit" and "struggling" do. So in a sport story an event stands only with
/// an actor of a political sector ("the interior minister banned the fans") or with
/// casualties (a country there is a team: "Kestrelia beat Varnholm"); in a business,
/// technology or entertainment story, also with a state's ("Kestrelia imposed duties on …").
/// A story the classifier is not sure of, or too short to read (a sentence), keeps all its
/// events; and a story whose every event would stand anyway is not read at all.
fn political_only(doc: &Document, events: &mut Vec<Event>) {
    let stands = |e: &Event, states_count: bool| {
        !e.counts.is_empty()
            || e.source.iter().chain(&e.target).any(|a| {
                a.code.as_deref().is_some_and(|c| cameo::is_political_actor(c) || (states_count && cameo::is_state(c)))
            })
    };
    if events.iter().all(|e| stands(e, false)) {
        return;
    }
    let Some(topic) = dateline_topic::TopicModel::builtin().classify(&doc.text) else { return };
    let states_count = match topic.name.as_str() {
        _ if topic.probability < TOPIC_CONFIDENCE => return,
        "sport" => false,
        "business" | "tech" | "entertainment" => true,
        // Politics, world news, and any topic a model of one's own adds.
        _ => return,
    };
    events.retain(|e| stands(e, states_count));
}

/// Nouns that take up an act of violence already told without naming one ("The operation
/// left three dead"); a noun that names a violent event ("the raid", "the shelling") does so
/// too, by its code (see [`noun_code`]).
const VIOLENCE_ANAPHORS: [&str; 5] = ["operation", "strike", "clash", "fighting", "violence"];

/// Counts told of an earlier event: a sentence whose subject is a definite noun taking up an
/// act of violence ("The operation resulted in the deaths of four villagers and left three
/// officers injured") gives its counts to the latest violent event (CAMEO 18–20) of the two
/// sentences before, when that event has none of its own.
fn counts_of_an_earlier_event(view: &View, d: &Dictionaries, clauses: &[Clause], from: usize, earlier: &mut [Event]) {
    let Some(main) = clauses.iter().find(|c| view.doc.tokens[c.predicate].head.is_none()).or(clauses.first()) else {
        return;
    };
    let takes_up = main.subjects.iter().any(|s| {
        (VIOLENCE_ANAPHORS.contains(&view.lemma[s.head].to_lowercase().as_str())
            || noun_code(view, d, s.head).and_then(|c| c.forward).is_some_and(|f| is_violent(&f)))
            && view.kids[s.head]
                .iter()
                .any(|&k| view.deprel(k) == "det" && matches!(view.upper[k].as_str(), "THE" | "THIS" | "THAT"))
    });
    if !takes_up {
        return;
    }
    let tokens: Vec<usize> = view.subtree(main.predicate, &|r| matches!(r, "ccomp" | "parataxis" | "punct"));
    let found = counts::counts(view.doc, &view.kids, &tokens);
    if found.is_empty() {
        return;
    }
    if let Some(e) = earlier
        .iter_mut()
        .rev()
        .find(|e| e.trigger.start >= from && e.cameo.as_deref().is_some_and(is_violent) && e.counts.is_empty())
    {
        e.counts = found;
    }
}

/// A meeting told in detail after the meeting it is part of ("The delegations held talks in
/// Vienna. The minister met the envoy, …") happened where that one did: a meeting (CAMEO 04)
/// with no place of its own takes the place of a meeting of the sentence before when the two
/// share a party (the same actor, or one the other's part: `VRN` and `VRNGOV`). The place is
/// the earlier one's span, so the evidence stays in the text. Without a shared party two
/// meetings are not one: "A met B in Vienna. C met D." says nothing of where C met D.
fn place_of_an_earlier_meeting(out: &mut [Event], first_new: usize, previous_sentence: usize) {
    let is_meeting = |e: &Event| e.cameo.as_deref().is_some_and(|c| c.starts_with("04"));
    let same_party = |a: &EventActor, b: &EventActor| match (&a.code, &b.code) {
        (Some(x), Some(y)) => x.len() >= 3 && y.len() >= 3 && (x.starts_with(y.as_str()) || y.starts_with(x.as_str())),
        _ => false,
    };
    let (earlier, new) = out.split_at_mut(first_new);
    for e in new.iter_mut().filter(|e| e.place.is_none() && is_meeting(e)) {
        let parties: Vec<&EventActor> = e.source.iter().chain(&e.target).collect();
        e.place = earlier
            .iter()
            .rev()
            .filter(|p| p.trigger.start >= previous_sentence && is_meeting(p))
            .filter(|p| p.source.iter().chain(&p.target).any(|a| parties.iter().any(|b| same_party(a, b))))
            .find_map(|p| p.place);
    }
}

/// The clause of the sentence whose predicate is `p`, if it heads one.
fn clause_at(clauses: &[Clause], p: usize) -> Option<&Clause> {
    clauses.iter().find(|c| c.predicate == p)
}

/// The actors a clause's arguments stand for ("Obama", "the US and Russia").
fn actors_at(view: &View, d: &Dictionaries, args: &[Argument], day: Option<i32>) -> Vec<EventActor> {
    args.iter().flat_map(|x| actors_of(view, d, x.head, day)).map(|f| event_actor(view, &f)).collect()
}

/// Whether an actor is one of `these`: the same code, or the same words.
fn one_of(these: &[EventActor], x: &EventActor) -> bool {
    these.iter().any(|s| (s.code.is_some() && s.code == x.code) || s.span.overlaps(x.span))
}

/// Folds the governing verb `outer` and the act of its clause `inner` into `event`: their own
/// events go, events already folded stay.
fn fold(coded: &mut Vec<Coded>, outer: usize, inner: usize, event: Event) {
    coded.retain(|c| c.transformed || (c.predicate != outer && c.predicate != inner));
    coded.push(Coded { event, predicate: outer, target_from_clause: None, transformed: true });
}

/// The verb whose clause holds predicate `p`: "claimed" for "the US claimed [ISIL had
/// attacked Iraq and taken Mosul]" (both "attacked" and "taken"), "wants" for "wants [to
/// attack]".
fn governing_verb(view: &View, p: usize) -> Option<usize> {
    let mut x = p;
    while view.deprel(x) == "conj" {
        x = view.doc.tokens[x].head?;
    }
    if matches!(view.deprel(x), "ccomp" | "xcomp") {
        view.doc.tokens[x].head
    } else {
        None
    }
}

/// "The rebels said they would release the hostages": a personal pronoun doing a reported
/// act ("said [they would release …]", "announced [it had paid …]") is the reporter, as news
/// writes a party's own announcement; the subject actors of the verb that governs the
/// clause, for a clause before which that verb comes. (Numbers are not checked: "Kestrelia
/// said they …" reads the country's people.)
///
/// A pronoun whose governing clause is a state of the same pronoun ("announced [it is
/// prepared [to impose …]]", "[they were ready [to …]]") is that clause's reporter's. (Only a
/// state: a chain of verbs, "said they considered continuing to support …", is as often a
/// misparse of someone else's act.)
fn speakers_pronoun(view: &View, d: &Dictionaries, c: &Clause, clauses: &[Clause], day: Option<i32>) -> Vec<Found> {
    if !personal_pronoun_subject(view, c) {
        return Vec::new();
    }
    let mut inner = c.predicate;
    // (A chain of clauses is short; the bound keeps a misparse from looping.)
    for _ in 0..4 {
        let Some(outer) = governing_verb(view, inner).filter(|&o| o < inner) else { break };
        let Some(o) = clause_at(clauses, outer) else { break };
        let found: Vec<Found> = o.subjects.iter().flat_map(|x| argument_actors(view, d, x, day)).collect();
        let state = view.pos(outer) == "JJ" || o.passive;
        if !found.is_empty() || !personal_pronoun_subject(view, o) || !state {
            return found;
        }
        inner = outer;
    }
    Vec::new()
}

/// Whether a clause's subject is a personal pronoun that may stand for its reporter ("he",
/// "she", "it", "they", "we").
fn personal_pronoun_subject(view: &View, c: &Clause) -> bool {
    c.subjects.iter().any(|s| {
        view.pos(s.head) == "PRP" && matches!(view.upper[s.head].as_str(), "HE" | "SHE" | "IT" | "THEY" | "WE")
    })
}

/// Whether an event is of the kind a transformation's verb names: coded as the verb's code, a
/// category code (`190`) standing for its whole category (`19x`); a verb that codes nothing
/// itself (ATTEMPT) names the verbs of its block.
fn of_kind(
    view: &View,
    d: &Dictionaries,
    word: &str,
    predicate: usize,
    code: Option<&str>,
    sentence_end: usize,
) -> bool {
    if word == "Q" {
        return true;
    }
    // An act CAMEO has no code for is of no kind CAMEO names.
    let Some(code) = code else { return false };
    match d.verbs.meaning(word) {
        Some((_, Some(c))) => c == code || (c.len() == 3 && c.ends_with('0') && code.starts_with(&c[..2])),
        Some((block, None)) => block_of(view, d, predicate, sentence_end).is_some_and(|(e, _)| e.block == block),
        None => false,
    }
}

/// Applies the dictionary's verb-verb transformations ([`dict::Transformation`]) to one
/// sentence's events: an event in a clause that a dictionary verb governs becomes, with that
/// verb, the one event the transformation names ("the US claimed ISIL had attacked Iraq": the
/// US accuses ISIL; "A said A would send aid to B": A's promise of aid to B, the statement
/// folded in). The first transformation that applies wins.
fn transform(
    view: &View,
    d: &Dictionaries,
    clauses: &[Clause],
    sentence_end: usize,
    day: Option<i32>,
    coded: &mut Vec<Coded>,
) {
    if d.verbs.transformations.is_empty() {
        return;
    }
    let mut k = 0;
    while k < coded.len() {
        let inner = coded[k].predicate;
        // "A said [B attacked C]", not "[B attacked C], A said": a trailing report names the
        // reporter's source, and PETRARCH leaves it out.
        let Some(outer) = governing_verb(view, inner).filter(|&o| o < inner && !coded[k].transformed) else {
            k += 1;
            continue;
        };
        let (Some((entry, _)), Some(clause)) = (block_of(view, d, outer, sentence_end), clause_at(clauses, outer))
        else {
            k += 1;
            continue;
        };
        let mut sayers = actors_at(view, d, &clause.subjects, day);
        if sayers.is_empty() {
            // "The militants said they attempted to …": the governing verb's own pronoun
            // subject is the reporter, as it is for an act coded alone.
            sayers = speakers_pronoun(view, d, clause, clauses, day).iter().map(|f| event_actor(view, f)).collect();
        }
        let is_sayer = |x: &EventActor| one_of(&sayers, x);
        let e = &coded[k].event;
        // "Obama said he would …", "A and B said they will …": a personal pronoun doing the
        // governed act is the speaker, as the report tells it.
        let pronoun_doer = clause_at(clauses, inner).is_some_and(|c| personal_pronoun_subject(view, c));
        let doers = if e.source.is_empty() && pronoun_doer { sayers.clone() } else { e.source.clone() };
        // Binds a role to the event's actors: `b`, when bound, is who they are.
        let role = |r: Role, actors: &[EventActor], b: &mut Option<Vec<EventActor>>| -> bool {
            match r {
                Role::A => !actors.is_empty() && actors.iter().all(is_sayer),
                Role::B => {
                    let fits = !actors.is_empty() && !actors.iter().any(is_sayer);
                    if fits {
                        *b = Some(actors.to_vec());
                    }
                    fits
                }
                Role::Any => true,
                Role::NoOther => actors.iter().all(is_sayer),
            }
        };
        let applies = |t: &&Transformation| -> Option<Option<Vec<EventActor>>> {
            let outer_fits = d.verbs.meaning(&t.outer).is_some_and(|(block, _)| block == entry.block);
            if !outer_fits || sayers.is_empty() || !of_kind(view, d, &t.inner, inner, e.cameo.as_deref(), sentence_end)
            {
                return None;
            }
            // A statement's code of its own reads the report of an act ("said they attacked":
            // a claim, 015); an act denied or only supposed ("said they did not attack", "said
            // they would attack if …") is no claim of it, and only the act itself (`Q`) carries
            // over. (An act said to be coming stays a claim, as PETRARCH codes it and the
            // GSR codings have it; an attempt's or a wish's act is to come by nature.)
            let statement = d.verbs.code_of(entry).forward.as_deref().is_some_and(|c| c.starts_with("01"));
            if statement && t.code != "Q" && matches!(e.status, EventStatus::Negated | EventStatus::Hypothetical) {
                return None;
            }
            let mut b = None;
            (role(t.inner_source, &doers, &mut b) && role(t.inner_target, &e.target, &mut b)).then_some(b)
        };
        let Some((t, b)) = d.verbs.transformations.iter().find_map(|t| applies(&t).map(|b| (t, b))) else {
            k += 1;
            continue;
        };
        let side = |r: Role| match r {
            Role::A => Some(sayers.clone()),
            Role::B => b.clone(),
            Role::Any | Role::NoOther => Some(Vec::new()),
        };
        let (Some(source), Some(target)) = (side(t.source), side(t.target)) else {
            k += 1;
            continue;
        };
        let event = if t.code == "Q" {
            // The governed act itself, between the actors the transformation names.
            Event { source, target, ..e.clone() }
        } else {
            // An act of the governing verb's: its trigger, clause, time, status, whose claim.
            event_of_clause(view, outer, clause, &t.code, source, target)
        };
        // The governing verb's own events are folded into this one, and so is an event
        // already made the same way ("claimed ISIL had attacked Iraq and taken Mosul").
        let same = |x: &Event| {
            x.trigger == event.trigger && x.cameo == event.cameo && x.source == event.source && x.target == event.target
        };
        let duplicate = coded.iter().enumerate().any(|(j, c)| j != k && same(&c.event));
        coded[k] = Coded { event, predicate: outer, target_from_clause: None, transformed: true };
        let mut j = 0;
        coded.retain(|c| {
            let keep = if j == k { !duplicate } else { c.predicate != outer || c.transformed };
            j += 1;
            keep
        });
        k = 0;
    }
}

/// CAMEO's demands (10) and rejections (12) run parallel to the acts they ask for or refuse:
/// (the act's category, its demand, its rejection). A meeting (04) is demanded as 106 and
/// rejected as 125, diplomatic cooperation (05) 102 and 120, material cooperation (06) 101
/// and 121, aid (07) 103 and 122, yielding (08) 105 and 124; any other act is demanded as such
/// (100) and rejected as such (120).
const DEMANDED_AND_REFUSED: [(&str, &str, &str); 5] =
    [("04", "106", "125"), ("05", "102", "120"), ("06", "101", "121"), ("07", "103", "122"), ("08", "105", "124")];

fn demand_for(act: &str) -> &'static str {
    DEMANDED_AND_REFUSED.iter().find(|k| act.starts_with(k.0)).map_or("100", |k| k.1)
}

fn rejection_of(act: &str) -> &'static str {
    DEMANDED_AND_REFUSED.iter().find(|k| act.starts_with(k.0)).map_or("120", |k| k.2)
}

/// "A said B must do X" is A's demand on B, as CAMEO and PLOVER code it ("all requests,
/// demands and orders" are REQUEST): a clause that a statement, appeal or demand verb governs
/// (CAMEO 01, 02, 10), whose verb carries "must", "should" or "ought" and whose doer is not
/// the speaker, is the speaker's demand on that doer, of the act's kind when the act is coded
/// (a demand as such when it is not: "must drop barriers"); the speaker's statement and the
/// act's own event are folded into it.
fn demands(
    view: &View,
    d: &Dictionaries,
    clauses: &[Clause],
    sentence_end: usize,
    day: Option<i32>,
    coded: &mut Vec<Coded>,
) {
    for inner in clauses {
        let p = inner.predicate;
        let deontic = view.kids[p]
            .iter()
            .any(|&x| view.deprel(x) == "aux" && matches!(view.lemma[x].as_str(), "MUST" | "SHOULD" | "OUGHT"));
        let Some(outer) = governing_verb(view, p).filter(|&o| o < p && deontic) else { continue };
        let says = block_of(view, d, outer, sentence_end).is_some_and(|(e, _)| {
            d.verbs.code_of(e).forward.as_deref().is_some_and(|f| matches!(f.get(..2), Some("01" | "02" | "10")))
        });
        let Some(clause) = clause_at(clauses, outer).filter(|_| says) else { continue };
        let speakers = actors_at(view, d, &clause.subjects, day);
        let doers = actors_at(view, d, &inner.subjects, day);
        if speakers.is_empty() || doers.is_empty() || doers.iter().any(|x| one_of(&speakers, x)) {
            continue;
        }
        let act = coded.iter().find(|c| c.predicate == p && !c.transformed).and_then(|c| c.event.cameo.clone());
        let code = act.as_deref().map_or("100", demand_for);
        let event = event_of_clause(view, outer, clause, code, speakers, doers);
        fold(coded, outer, p, event);
    }
}

/// When a verb's act happened: the date or time expression governing it, where it lies in the
/// verb's clause (`clause_tokens`), not in another clause of the sentence.
fn clause_time<'d>(view: &View<'d>, verb: usize, clause_tokens: &[usize]) -> Option<&'d dateline_model::Timex> {
    let doc = view.doc;
    let span = view.span_of(clause_tokens);
    dateline_time::governing_timex(doc, verb)
        .filter(|t| matches!(t.kind, TimexType::Date | TimexType::Time))
        .filter(|t| span.contains(t.span) || clause_tokens.iter().any(|&k| t.span.contains(doc.tokens[k].span)))
}

/// An event coded `code` on the verb `outer` (its trigger, clause, time, status and whose
/// claim it is), between the actors given: what [`transform`], [`demands`] and [`refusals`]
/// make of a verb and the act its clause governs.
fn event_of_clause(
    view: &View,
    outer: usize,
    clause: &Clause,
    code: &str,
    source: Vec<EventActor>,
    target: Vec<EventActor>,
) -> Event {
    let doc = view.doc;
    let trigger = doc.tokens[outer].span;
    let clause_tokens = view.subtree(outer, &outside_clause);
    let time = clause_time(view, outer, &clause_tokens);
    let frame = Frame {
        span: view.span_of(&clause_tokens),
        trigger,
        time: time.map(|t| t.span),
        place: None,
        status: status_of(view, clause),
        historical: time.is_some_and(|t| is_historical(doc, t.value.as_deref())),
        attribution: dateline_quotes::attribution(doc, trigger).map(|q| q.span),
        counts: Vec::new(),
        promised: false,
    };
    frame.event(Act::Cameo(code.to_string()), source, target)
}

/// The word "protest" saying what an act was done for: "to protest [the settlement]" (a
/// purpose clause) or "in protest [at the settlement]".
fn protest_purpose(view: &View, p: usize) -> Option<usize> {
    view.kids[p].iter().copied().find(|&k| {
        view.lemma[k] == "PROTEST"
            && match view.deprel(k) {
                "advcl" | "xcomp" => view.kids[k].iter().any(|&m| view.deprel(m) == "mark" && view.upper[m] == "TO"),
                "obl" => view.case_marker(k) == Some("IN"),
                _ => false,
            }
    })
}

/// "Shunned work to protest at the settlement", "organised a general strike in protest of the
/// arrests": an act done to protest, or in protest, is a protest, political dissent (CAMEO
/// 14, PLOVER PROTEST), whatever its verb codes alone (a strike organised is no support, a
/// day's work shunned no coercion); not a state's act, an act of force or a yield, which
/// stay what they are. A verb coding nothing itself ("continued a hunger strike in protest of
/// …") is the protest of its subject, on what is protested. The word "protest" coded as an
/// event of its own is the same act, and goes.
fn protests_by_purpose(view: &View, d: &Dictionaries, clauses: &[Clause], day: Option<i32>, coded: &mut Vec<Coded>) {
    for c in clauses {
        let p = c.predicate;
        let Some(k) = protest_purpose(view, p) else { continue };
        if let Some(i) = coded.iter().position(|x| x.predicate == p && !x.transformed) {
            // An act of a government or its forces (an ambassador summoned "in protest"), a
            // show of force, a cut in relations, an act of force (rockets fired "in protest")
            // or a yield (a resignation in protest) is the act it is, for whatever cause. (A
            // people's name, "Palestinians", codes as a bare country: not the state here.)
            let e = &coded[i].event;
            let root = e.cameo.as_deref().and_then(|code| code.get(..2));
            let by_the_state =
                e.source.iter().any(|a| a.code.as_deref().is_some_and(|c| c.len() > 3 && cameo::of_the_state(c)));
            if by_the_state || matches!(root, Some("08" | "15" | "16" | "18" | "19" | "20")) {
                continue;
            }
            coded.retain(|x| x.predicate != k);
            let x = coded.iter_mut().find(|x| x.predicate == p && !x.transformed).expect("kept: not the protest word");
            let e = &mut x.event;
            if !e.cameo.as_deref().is_some_and(|code| code.starts_with("14")) {
                e.cameo = Some("140".into());
                e.quad_class = cameo::quad_class("140");
                e.goldstein = cameo::goldstein("140");
            }
            e.plover = Some("PROTEST".into());
            e.plover_mode = None;
            continue;
        }
        if c.passive || !view.pos(p).starts_with("VB") {
            continue;
        }
        // "Continued their hunger strike in protest of …": the object is the protest already.
        let protest_object = coded.iter().any(|x| {
            view.doc.tokens[x.predicate].head == Some(p)
                && view.deprel(x.predicate) == "obj"
                && x.event.cameo.as_deref().is_some_and(|code| code.starts_with("14"))
        });
        if protest_object {
            coded.retain(|x| x.predicate != k);
            continue;
        }
        let source: Vec<EventActor> =
            c.subjects.iter().flat_map(|x| argument_actors(view, d, x, day)).map(|f| event_actor(view, &f)).collect();
        if source.is_empty() {
            continue;
        }
        // What is protested: the object of "to protest", the "against/at/of/over" phrase of
        // either.
        let target: Vec<EventActor> = view.kids[k]
            .iter()
            .filter(|&&m| {
                view.deprel(m) == "obj"
                    || (matches!(view.deprel(m), "obl" | "nmod")
                        && view.case_marker(m).is_some_and(|w| matches!(w, "AGAINST" | "AT" | "OF" | "OVER")))
            })
            .flat_map(|&m| actors_of(view, d, m, day))
            .map(|f| event_actor(view, &f))
            .collect();
        let event = event_of_clause(view, p, c, "140", source, target);
        coded.retain(|x| x.predicate != k);
        coded.push(Coded { event, predicate: p, target_from_clause: None, transformed: false });
    }
}

/// "A refused to lift the curfew" is A's rejection (CAMEO 12, PLOVER REJECT), of the act's kind:
/// refusing is an act of its own, where refraining ("refrains from recognizing") is only the
/// act not done (its event stays, negated). The refused act's event is folded into it.
fn refusals(view: &View, clauses: &[Clause], coded: &mut Vec<Coded>) {
    let doc = view.doc;
    for inner in clauses {
        let p = inner.predicate;
        let Some(outer) = doc.tokens[p].head.filter(|&o| {
            o < p
                && matches!(view.deprel(p), "xcomp" | "advcl")
                && doc.tokens[o].lemma.as_deref().is_some_and(clause::is_rejection)
        }) else {
            continue;
        };
        let Some(k) = coded.iter().position(|c| c.predicate == p && !c.transformed) else { continue };
        let Some(clause) = clause_at(clauses, outer) else { continue };
        let act = &coded[k].event;
        let (source, target) = (act.source.clone(), act.target.clone());
        if source.is_empty() {
            continue;
        }
        let event =
            event_of_clause(view, outer, clause, act.cameo.as_deref().map_or("120", rejection_of), source, target);
        fold(coded, outer, p, event);
    }
}

/// "Syria will not accept more refugees", "said it would not meet the demands": cooperation
/// one says one will not give is refused, CAMEO's rejection of the act's kind (12) and PLOVER's
/// REJECT, asserted, as "refused to accept" is; a past act not done ("did not meet") stays the
/// act, negated. (A force one will not use is no rejection, and stays negated.)
fn refusals_by_will_not(view: &View, clauses: &[Clause], coded: &mut [Coded]) {
    for x in coded.iter_mut().filter(|x| !x.transformed) {
        let Some(c) = clause_at(clauses, x.predicate) else { continue };
        let Some(code) = x.event.cameo.as_deref() else { continue };
        let cooperative = code.get(..2).and_then(|r| r.parse::<u8>().ok()).is_some_and(|r| (1..=8).contains(&r));
        if !(c.negated && c.modality == Some(Modality::Future) && cooperative) || x.event.status != EventStatus::Negated
        {
            continue;
        }
        let mut event = event_of_clause(
            view,
            x.predicate,
            c,
            rejection_of(code),
            std::mem::take(&mut x.event.source),
            std::mem::take(&mut x.event.target),
        );
        event.status = EventStatus::Asserted;
        event.attribution = x.event.attribution;
        x.event = event;
    }
}

/// Where PLOVER's codebook types an act by what is done, by whom and to whom, not by its CAMEO
/// code alone (see [`cameo::plover_by_codebook`]): the event's type and mode are set again.
fn type_by_codebook(doc: &Document, c: &mut Coded) {
    let e = &mut c.event;
    let lemma = doc.tokens[c.predicate].lemma.as_deref().unwrap_or("");
    // Whether every doer is the state, or none is; unknown when a doer has no code.
    let codes: Option<Vec<&str>> = e.source.iter().map(|a| a.code.as_deref()).collect();
    let by_the_state = codes.as_ref().filter(|v| !v.is_empty()).and_then(|v| {
        let state = v.iter().filter(|c| cameo::of_the_state(c)).count();
        (state == 0 || state == v.len()).then_some(state > 0)
    });
    let mut countries: Vec<&str> =
        e.source.iter().filter_map(|a| a.code.as_deref()?.get(..3)).filter(|c| *c != "---").collect();
    countries.sort_unstable();
    countries.dedup();
    let all_targets = |test: &dyn Fn(&EventActor) -> bool| !e.target.is_empty() && e.target.iter().all(test);
    let diplomat = |a: &EventActor| cameo::is_diplomat_word(&doc.slice(a.span).to_lowercase());
    let facts = cameo::ActFacts {
        code: e.cameo.as_deref(),
        plover: e.plover.as_deref(),
        mode: e.plover_mode.as_deref(),
        lemma,
        by_the_state,
        doer_countries: countries.len(),
        on_diplomats: all_targets(&diplomat),
        on_foreign_missions: all_targets(&|a| {
            diplomat(a) || a.code.as_deref().is_some_and(cameo::is_international_body)
        }),
        on_combatants: all_targets(&|a| a.code.as_deref().is_some_and(cameo::is_combatant)),
        planned: e.status == EventStatus::Planned,
    };
    if let Some((event, mode)) = cameo::plover_by_codebook(&facts) {
        e.plover = Some(event.into());
        e.plover_mode = mode.map(str::to_string);
    }
}

/// CAMEO's intents (03) run parallel to the cooperative acts they announce: (the act's
/// category, its intent). Diplomatic cooperation (05) is intended as 032, material cooperation
/// (06) 031, aid (07) 033, yielding (08) 035: in PETRARCH's ontology, the intent (0x3000) plus
/// the act's value. A meeting or visit (04) is a family of its own there (0xB000), no sum: "is
/// preparing to attend" stays the visit, planned.
const INTENDED: [(&str, &str); 4] = [("05", "032"), ("06", "031"), ("07", "033"), ("08", "035")];

/// "A pledged to send aid to B", "A wants to help B" is A's stated intent to aid B (CAMEO 033),
/// not a bare intent with no one it is on and an aid not given: a verb the dictionary codes as
/// an intent (030) whose open complement is a cooperative act (CAMEO 05 to 08) becomes the
/// intent of that act's kind, between the act's actors; both events are folded into it.
/// Other acts keep their own code ("decided to expel …" stays an expulsion, planned): CAMEO
/// has no intent to do harm but the threat, which the dictionary's transformations give.
fn intents(view: &View, d: &Dictionaries, clauses: &[Clause], sentence_end: usize, coded: &mut Vec<Coded>) {
    let doc = view.doc;
    for inner in clauses {
        let p = inner.predicate;
        let Some(outer) = doc.tokens[p].head.filter(|&o| o < p && view.deprel(p) == "xcomp") else { continue };
        let intends = block_of(view, d, outer, sentence_end)
            .is_some_and(|(e, _)| d.verbs.code_of(e).forward.as_deref() == Some("030"));
        let Some(clause) = clause_at(clauses, outer).filter(|_| intends) else { continue };
        let Some(k) = coded.iter().position(|c| c.predicate == p && !c.transformed) else { continue };
        let act = &coded[k].event;
        let Some(&(_, code)) =
            INTENDED.iter().find(|(category, _)| act.cameo.as_deref().is_some_and(|c| c.starts_with(category)))
        else {
            continue;
        };
        // A yield needs no one it is made to ("agreed to lift the curfew": PLOVER's CONCEDE
        // requires no recipient); the other acts need both sides.
        if act.source.is_empty() || (act.target.is_empty() && code != "035") {
            continue;
        }
        let event = event_of_clause(view, outer, clause, code, act.source.clone(), act.target.clone());
        fold(coded, outer, p, event);
    }
}

/// "Agreed to lift the curfew", "pledged to withdraw", "swore to fight": a promise's PLOVER
/// type is what it promises. One whose open complement is a concession or retreat is a
/// future concession, PLOVER's CONCEDE ("the promise of future concessions"), not AGREE; a
/// promise verb coded as something else than an agreement (CAMEO's SWEAR block is a
/// disapproval) takes its complement's type, THREATEN for force, AGREE for cooperation. Only
/// the promise's PLOVER type changes; its CAMEO code is the dictionary's.
fn promises_by_what_they_promise(view: &View, coded: &mut [Coded]) {
    let promised: Vec<(usize, &'static str)> = coded
        .iter()
        .filter_map(|c| {
            let kind = match c.event.plover.as_deref()? {
                "CONCEDE" | "RETREAT" => "CONCEDE",
                "THREATEN" => "THREATEN",
                "AGREE" => "AGREE",
                _ => return None,
            };
            Some((c.predicate, kind))
        })
        .collect();
    for c in coded.iter_mut() {
        let p = c.predicate;
        if !clause::is_promise(&view.lemma[p].to_lowercase()) {
            continue;
        }
        let of_complement =
            promised.iter().find(|&&(y, _)| y != p && view.doc.tokens[y].head == Some(p) && view.deprel(y) == "xcomp");
        // An agreement stays AGREE unless it yields: "agreed to stop …" is no threat however
        // the complement reads.
        let agreement = c.event.plover.as_deref() == Some("AGREE");
        if let Some(&(_, kind)) = of_complement
            .filter(|(_, kind)| c.event.plover.as_deref() != Some(kind) && (!agreement || *kind == "CONCEDE"))
        {
            c.event.plover = Some(kind.into());
            c.event.plover_mode = None;
        }
    }
}

/// What every event read off one trigger shares: its evidence, when, where, its status and
/// whose claim it is, and the counts its words give.
struct Frame {
    span: Span,
    trigger: Span,
    time: Option<Span>,
    place: Option<Span>,
    status: EventStatus,
    historical: bool,
    attribution: Option<Span>,
    counts: Vec<dateline_model::EventCount>,
    /// The actor promises the act ("will send", "agreed to meet") or the trigger is the
    /// promise itself ("agreed [to …]", "is willing [to …]"): see [`cameo::promised_plover`].
    promised: bool,
}

impl Frame {
    fn event(&self, act: Act, source: Vec<EventActor>, target: Vec<EventActor>) -> Event {
        let (plover, mode, cameo) = match act {
            Act::Cameo(code) => {
                let (plover, mode) = if self.promised { cameo::promised_plover(&code) } else { cameo::plover(&code) };
                (plover.map(str::to_string), mode.map(str::to_string), Some(code))
            }
            Act::Plover(event) => (Some(event), None, None),
        };
        Event {
            span: self.span,
            trigger: self.trigger,
            quad_class: cameo.as_deref().and_then(cameo::quad_class),
            goldstein: cameo.as_deref().and_then(cameo::goldstein),
            cameo,
            plover,
            plover_mode: mode,
            source,
            target,
            time: self.time,
            place: self.place,
            status: self.status,
            historical: self.historical,
            attribution: self.attribution,
            counts: self.counts.clone(),
        }
    }
}

/// What a clause is coded as: a CAMEO code, its PLOVER type following from PLOVER's table;
/// or, where the verb dictionary has no code for the predicate, a PLOVER type alone, from the
/// PLOVER lexicon ([`lexicon`]).
#[derive(Debug, Clone)]
enum Act {
    Cameo(String),
    Plover(String),
}

impl Act {
    fn cameo(&self) -> Option<&str> {
        match self {
            Act::Cameo(c) => Some(c),
            Act::Plover(_) => None,
        }
    }

    fn is_violent(&self) -> bool {
        match self {
            Act::Cameo(c) => is_violent(c),
            Act::Plover(e) => e == "ASSAULT",
        }
    }

    /// CAMEO's material conflict (quad class 4): protest, coercion, force; for a PLOVER type,
    /// the events PLOVER's codebook draws from those CAMEO categories.
    fn is_material_conflict(&self) -> bool {
        match self {
            Act::Cameo(c) => cameo::quad_class(c) == Some(4),
            Act::Plover(e) => matches!(e.as_str(), "PROTEST" | "COERCE" | "ASSAULT"),
        }
    }
}

/// A reciprocal event's sides: each actor as source, acting on all the others.
fn each_on_the_others(all: &[EventActor]) -> Vec<(Vec<EventActor>, Vec<EventActor>)> {
    (0..all.len())
        .map(|k| {
            let others = all.iter().enumerate().filter(|&(j, _)| j != k).map(|(_, a)| a.clone()).collect();
            (vec![all[k].clone()], others)
        })
        .collect()
}

/// Nouns that name events (`data/event-nouns.tsv`), each with the verb whose block codes it
/// or a code of its own; upper-cased.
struct EventNouns {
    /// By the noun ("ATTACK" → ATTACK, "CURFEW" → 1723).
    plain: HashMap<String, String>,
    /// By the noun a modifier makes an act of its own, with the modifiers ("STRIKE" →
    /// [("HUNGER", 142), …]): looked up only for those nouns, words on every noun's modifiers
    /// being many.
    modified: HashMap<String, Vec<(String, String)>>,
}

fn event_nouns() -> &'static EventNouns {
    static NOUNS: OnceLock<EventNouns> = OnceLock::new();
    NOUNS.get_or_init(|| {
        let mut nouns = EventNouns { plain: HashMap::new(), modified: HashMap::new() };
        let lines = include_str!("../data/event-nouns.tsv").lines().filter(|l| !l.starts_with('#'));
        for (key, value) in lines.filter_map(|l| l.split_once('\t')) {
            let (key, value) = (key.trim().to_uppercase(), value.trim().to_uppercase());
            match key.split_once(' ') {
                Some((modifier, noun)) => {
                    nouns.modified.entry(noun.to_string()).or_default().push((modifier.to_string(), value))
                }
                None => {
                    nouns.plain.insert(key, value);
                }
            }
        }
        nouns
    })
}

/// The code of an event noun (see [`event_nouns`]): its own, or its verb's, from the verb's
/// block.
fn noun_code(view: &View, d: &Dictionaries, t: usize) -> Option<Code> {
    // An adjective in an argument's place is the noun the tagger missed ("suspended its
    // offensive").
    let as_noun = view.pos(t) == "JJ" && matches!(view.deprel(t), "obj" | "nsubj" | "nsubj:pass");
    if !matches!(view.pos(t), "NN" | "NNS") && !as_noun {
        return None;
    }
    let nouns = event_nouns();
    // A noun its modifier makes an act of its own: "a hunger strike", "a four-day strike".
    let modified = nouns.modified.get(&view.lemma[t]).and_then(|modifiers| {
        view.kids[t].iter().filter(|&&m| matches!(view.deprel(m), "amod" | "compound")).find_map(|&m| {
            let word = if is_duration(&view.upper[m]) { "DURATION" } else { view.upper[m].as_str() };
            modifiers.iter().find(|(modifier, _)| modifier == word).map(|(_, value)| value)
        })
    });
    // An open compound is its closed spelling: "air strike" is an "airstrike".
    let closed = || {
        let m = t.checked_sub(1).filter(|&m| view.doc.tokens[m].head == Some(t) && view.deprel(m) == "compound")?;
        nouns.plain.get(&format!("{}{}", view.upper[m], view.lemma[t]))
    };
    let value = modified
        .or_else(|| nouns.plain.get(&view.lemma[t]))
        .or_else(|| nouns.plain.get(&view.upper[t]))
        .or_else(closed)?;
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Code { forward: Some(value.clone()), reverse: None });
    }
    Some(d.verbs.code_of(d.verbs.word_entry(value)?).clone())
}

/// "Four-day", "48-hour", "one-week" (upper-cased): how long something lasts.
fn is_duration(word: &str) -> bool {
    word.split_once('-').is_some_and(|(n, unit)| {
        !n.is_empty()
            && matches!(unit, "DAY" | "HOUR" | "WEEK" | "MONTH")
            && (n.bytes().all(|b| b.is_ascii_digit())
                || ["ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "TEN"].contains(&n))
    })
}

/// The doers of an event noun: its possessor ("Hamas's attack"), a named or national
/// modifier ("an Israeli incursion") and its agent ("a raid by Kestrelian soldiers and the
/// police": each conjunct).
fn nominal_doers(view: &View, d: &Dictionaries, t: usize, day: Option<i32>) -> Vec<Found> {
    let doc = view.doc;
    let mut doers = Vec::new();
    for &k in &view.kids[t] {
        match (view.deprel(k), view.case_marker(k)) {
            ("nmod:poss", _) => doers.extend(actors_of(view, d, k, day)),
            ("amod" | "compound", _) if mention_at(doc, doc.tokens[k].span).is_some() => {
                doers.extend(actors_of(view, d, k, day))
            }
            // "Israeli tank shelling": the nationality of the weapon or unit that names the
            // act is the doer's.
            ("compound", _) if matches!(view.pos(k), "NN" | "NNS") => {
                for &m in view.kids[k].iter().filter(|&&m| matches!(view.deprel(m), "amod" | "compound")) {
                    if mention_at(doc, doc.tokens[m].span).is_some() {
                        doers.extend(actors_of(view, d, m, day));
                    }
                }
            }
            ("nmod", Some("BY")) => {
                for cj in view.conjuncts(k) {
                    doers.extend(actors_of(view, d, cj, day));
                }
            }
            _ => {}
        }
    }
    if doers.is_empty() {
        doers = responsible(view, d, t, day);
    }
    doers
}

/// "The Front claimed responsibility for the bombing": who claims (or admits, accepts)
/// responsibility for an act names its doer, as the claim says; the claim itself stays a
/// statement (CAMEO 015) of its own.
fn responsible(view: &View, d: &Dictionaries, t: usize, day: Option<i32>) -> Vec<Found> {
    let doc = view.doc;
    // "for the attack", or "for a wave of attacks".
    let anchor = match (view.case_marker(t), doc.tokens[t].head) {
        (Some("OF"), Some(h)) if view.pos(h).starts_with("NN") => h,
        _ => t,
    };
    let Some(h) = doc.tokens[anchor].head.filter(|_| view.case_marker(anchor) == Some("FOR")) else {
        return Vec::new();
    };
    let responsibility = |k: usize| view.lemma[k] == "RESPONSIBILITY" && view.deprel(k) == "obj";
    // The phrase hangs on "responsibility", or beside it on the verb ("claimed
    // responsibility [for the attack]").
    let v = if responsibility(h) {
        doc.tokens[h].head
    } else {
        view.kids[h].iter().any(|&k| responsibility(k)).then_some(h)
    };
    // Claimed or admitted, not denied, and not "did not claim".
    let claims = |v: &usize| {
        matches!(view.lemma[*v].as_str(), "CLAIM" | "ACCEPT" | "ADMIT" | "ACKNOWLEDGE" | "TAKE" | "ASSUME" | "BEAR")
            && !view.kids[*v].iter().any(|&k| matches!(view.upper[k].as_str(), "NOT" | "N'T" | "NEVER"))
    };
    let Some(v) = v.filter(claims) else { return Vec::new() };
    view.kids[v]
        .iter()
        .filter(|&&k| view.deprel(k) == "nsubj")
        .flat_map(|&k| view.conjuncts(k))
        .flat_map(|k| actors_of(view, d, k, day))
        .collect()
}

/// Who a passive's "by" phrase says did the act: the actors of the phrase ("by Kestrelian
/// soldiers", "by a Varnholmi protester"), except where a name only modifies a common noun
/// that no dictionary knows as an actor or agent. That noun is a thing or an event: an act
/// of violence ("by a Lune Front air strike") is done by its own doers, and anything else
/// ("killed by the Varnair flight crash") is a cause that names nobody.
fn passive_doers(view: &View, d: &Dictionaries, h: usize, day: Option<i32>) -> Vec<Found> {
    let word = [view.upper[h].as_str()];
    let thing = matches!(view.pos(h), "NN" | "NNS")
        && mention_at(view.doc, view.doc.tokens[h].span).is_none()
        && d.agents.phrases.longest(&word).is_none()
        && d.actors.phrases.longest(&word).is_none();
    let name_modifies = view.kids[h].iter().any(|&k| view.deprel(k) == "compound" && view.pos(k).starts_with("NNP"));
    if !(thing && name_modifies) {
        return actors_of(view, d, h, day);
    }
    if noun_code(view, d, h).and_then(|c| c.forward).is_some_and(|f| is_violent(&f)) {
        return nominal_doers(view, d, h, day);
    }
    Vec::new()
}

/// Whether a CAMEO code is an act of violence: assault, fight, mass violence (18–20).
fn is_violent(code: &str) -> bool {
    matches!(code.get(..2), Some("18" | "19" | "20"))
}

/// Nominal events: "Hamas's attack on southern Israel", "an Israeli incursion into Jenin",
/// "the talks between Iran and the movements". The noun is coded by its verb's block (the verb
/// dictionary has no nouns), the doer is its possessor, a named or national modifier or its
/// agent ([`nominal_doers`]), and whom it is on or with is the phrase its preposition marks;
/// "between A and B" names both sides. A noun is coded only with an actor, and never where a
/// coded verb already carries it ("held talks with": the verb's event is that one).
fn code_nouns(
    view: &View,
    d: &Dictionaries,
    clauses: &[Clause],
    (a, b): (usize, usize),
    day: Option<i32>,
    coded: &[Coded],
    out: &mut Vec<Coded>,
) {
    let doc = view.doc;
    for t in a..b {
        if !matches!(view.pos(t), "NN" | "NNS") {
            continue;
        }
        let head = doc.tokens[t].head;
        // (An act someone claims is coded beside the claim: "claimed responsibility for the
        // attack".)
        if head.is_some_and(|h| coded.iter().any(|c| c.predicate == h)) && responsible(view, d, t, day).is_empty() {
            continue;
        }
        let Some(code) = noun_code(view, d, t) else { continue };
        let Some(forward) = code.forward.clone() else { continue };
        // An act acted on ("suspended its offensive") is the act on it, coded on the verb (see
        // [`act_on_an_act`]).
        let acted_on = head.and_then(|h| Some((h, block_of(view, d, h, b)?.0.block)));
        if acted_on.and_then(|(h, block)| act_on_an_act(view, d, h, block)).is_some_and(|(_, noun)| noun == t) {
            continue;
        }
        let mut sources = nominal_doers(view, d, t, day);
        let mut targets = partners_of_noun(view, d, t, day);
        let mut between: Vec<Found> = Vec::new();
        for &k in &view.kids[t] {
            if let ("nmod", Some("BETWEEN" | "AMONG")) = (view.deprel(k), view.case_marker(k)) {
                for cj in view.conjuncts(k) {
                    between.extend(actors_of(view, d, cj, day));
                }
            }
        }
        // The object of a verb that codes nothing itself ("launched an investigation into …",
        // "staged a protest against …"): the verb's subject is the doer, and a partner phrase
        // on the verb ("… against the ministry") is whom it is on.
        if let Some(h) =
            head.filter(|&h| sources.is_empty() && view.deprel(t) == "obj" && view.pos(h).starts_with("VB"))
        {
            if let Some(c) = clause_at(clauses, h).filter(|c| !c.passive) {
                sources.extend(c.subjects.iter().flat_map(|x| actors_of(view, d, x.head, day)));
                if targets.is_empty() {
                    for o in c.obliques.iter().filter(|o| o.case.is_some_and(|m| is_partner_case(&view.upper[m]))) {
                        targets.extend(actors_of(view, d, o.head, day));
                    }
                }
            }
        }
        if sources.is_empty() && targets.is_empty() && between.len() < 2 {
            continue;
        }
        let phrase = view.subtree(t, &|r| matches!(r, "acl" | "acl:relcl" | "punct" | "appos" | "parataxis"));
        let span = view.span_of(&phrase);
        let trigger = doc.tokens[t].span;
        // Timexes are in text order: the phrase's own, by binary search.
        let first = doc.timexes.partition_point(|x| x.span.start < span.start);
        let time = doc.timexes[first..]
            .iter()
            .take_while(|x| x.span.start < span.end)
            .filter(|x| matches!(x.kind, TimexType::Date | TimexType::Time))
            .find(|x| span.contains(x.span));
        // A noun with no time of its own takes the time of the verb it is an argument of when
        // that verb codes nothing itself: "coincided with an incursion on Monday", "the
        // attack took place on Friday" (a verb that codes its own event keeps its time:
        // "condemned the attack on Monday").
        let time = time.or_else(|| {
            let h = head.filter(|&h| {
                view.pos(h).starts_with("VB")
                    && matches!(view.deprel(t).split(':').next(), Some("obj" | "obl" | "nsubj"))
            })?;
            clause_time(view, h, &view.subtree(h, &outside_clause))
        });
        let place = phrase.iter().copied().filter(|&k| view.deprel(k) == "nmod").find_map(|k| place_at(view, k));
        // The noun's reality is its clause's: "talks that will be held", "if the attack …".
        let clause = head.and_then(|h| clause_at(clauses, h));
        let status = clause.map_or(EventStatus::Asserted, |c| status_of(view, c));
        // A noun its clause promises ("will extend the curfew", "will hold talks") is promised
        // as a verb would be (see [`Frame::promised`]).
        let promised = matches!(status, EventStatus::Asserted | EventStatus::Planned)
            && clause.is_some_and(|c| c.committed || c.promise.is_some());
        let frame = Frame {
            span,
            trigger,
            time: time.map(|x| x.span),
            place,
            status,
            historical: time.is_some_and(|x| is_historical(doc, x.value.as_deref())),
            attribution: dateline_quotes::attribution(doc, trigger).map(|q| q.span),
            counts: Vec::new(),
            promised,
        };
        let actors = |v: &[Found]| v.iter().map(|f| event_actor(view, f)).collect::<Vec<_>>();
        let mut push = |code: String, s: Vec<EventActor>, g: Vec<EventActor>| {
            out.push(Coded {
                event: frame.event(Act::Cameo(code), s, g),
                predicate: t,
                target_from_clause: None,
                transformed: false,
            })
        };
        if between.len() >= 2 && sources.is_empty() {
            // Each side of "talks between A and B" acts on the other.
            let all = actors(&between);
            for (s, others) in each_on_the_others(&all) {
                push(forward.clone(), s, others);
            }
            continue;
        }
        targets.extend(between);
        let (src, tgt) = (actors(&sources), actors(&targets));
        push(forward, src.clone(), tgt.clone());
        if let Some(reverse) = code.reverse.clone().filter(|_| !src.is_empty() && !tgt.is_empty()) {
            push(reverse, tgt, src);
        }
    }
}

/// Acts on an act, by the verb's block (named by a verb of it), the act's CAMEO code and what
/// the two are together: CAMEO's own patterns for those blocks carried to every event noun of
/// the kind. Ending an act (END's block: end, halt, stop, suspend, cease, call off …): "halted
/// the attacks" 0871, "halted the strike" 082, "ended the blockade" 087, "stopped the
/// embargo" 085, "ended the talks" 164, so "suspended its offensive", "called off the
/// boycott". Defying a rule (DEFY's and VIOLATE's blocks): "defied the ban", "violated the
/// arms embargo" 128, so "violated the curfew". The first line that matches wins. An act of
/// another kind is still an act that was (an investigation concluded is an investigation).
const ACTS_ON_ACTS: [(&str, &str, &str); 17] = [
    ("END", "14", "082"),
    ("END", "163", "085"),
    ("END", "172", "081"),
    ("END", "173", "0841"),
    ("END", "174", "080"),
    ("END", "191", "087"),
    ("END", "192", "0874"),
    ("END", "18", "0871"),
    ("END", "19", "0871"),
    ("END", "20", "0871"),
    ("END", "04", "164"),
    ("DEFY", "16", DEFIANCE),
    ("DEFY", "17", DEFIANCE),
    ("DEFY", "191", DEFIANCE),
    ("VIOLATE", "16", DEFIANCE),
    ("VIOLATE", "17", DEFIANCE),
    ("VIOLATE", "191", DEFIANCE),
];

/// CAMEO's "defy norms, law".
const DEFIANCE: &str = "128";

/// "Suspended its offensive", "the offensive was suspended", "violated the ban": a verb whose
/// object (or passive subject) is an event noun, of a block and kind in [`ACTS_ON_ACTS`], acts
/// on that act: the clause is the act on it (the cessation, the defiance), never the act.
/// Gives the clause's code and the noun. (`block`: the verb's, as [`block_of`] finds it.)
fn act_on_an_act(view: &View, d: &Dictionaries, p: usize, block: usize) -> Option<(&'static str, usize)> {
    // The object, or a passive's subject. (An act that ended, "the raid ended on Sunday",
    // was an act: no one is said to have stopped it.)
    let with = |rel: &str| view.kids[p].iter().copied().find(|&k| view.deprel(k) == rel);
    let noun = with("obj").or_else(|| with("nsubj:pass"))?;
    let act = noun_code(view, d, noun)?.forward?;
    ACTS_ON_ACTS
        .iter()
        .find(|(verb, prefix, _)| act.starts_with(prefix) && d.verbs.word_entry(verb).is_some_and(|e| e.block == block))
        .map(|&(_, _, code)| (code, noun))
}

/// Whom an event noun is on or with: its partner phrases ("an attack on Varnholm", "talks
/// with Brask"), and "to" too, on a noun ("a visit to Ankara", "a threat to the region").
fn partners_of_noun(view: &View, d: &Dictionaries, t: usize, day: Option<i32>) -> Vec<Found> {
    let mut partners = Vec::new();
    for &k in &view.kids[t] {
        if let ("nmod", Some(m)) = (view.deprel(k), view.case_marker(k)) {
            if is_partner_case(m) || m == "TO" {
                for cj in view.conjuncts(k) {
                    partners.extend(actors_of(view, d, cj, day));
                }
            }
        }
    }
    partners
}

/// An event with what the sentence-level pass needs to know of how it was coded.
struct Coded {
    event: Event,
    predicate: usize,
    /// The governed clause (its predicate) that the target was read from, if it was.
    target_from_clause: Option<usize>,
    /// Made by a transformation (see [`transform`]), from an event of a governed clause.
    transformed: bool,
}

/// Whether a nominal is marked as a location ("in Tehran", "at the talks").
fn place_marked(view: &View, t: usize) -> bool {
    view.case_marker(t).is_some_and(is_place_case)
}

/// The place a nominal names where it is marked as a location: "in Tehran" → Tehran, and
/// through a part of it: "in the east of the Gaza Strip", "on the outskirts of Brask".
fn place_at(view: &View, t: usize) -> Option<Span> {
    if !place_marked(view, t) {
        return None;
    }
    let place = |k: usize| mention_at(view.doc, view.doc.tokens[k].span).filter(|m| m.kind == EntityType::Place);
    if let Some(m) = place(t) {
        return Some(m.span);
    }
    const PARTS: [&str; 14] = [
        "EAST",
        "WEST",
        "NORTH",
        "SOUTH",
        "NORTHEAST",
        "NORTHWEST",
        "SOUTHEAST",
        "SOUTHWEST",
        "OUTSKIRTS",
        "CENTRE",
        "CENTER",
        "HEART",
        "PART",
        "SUBURBS",
    ];
    if !PARTS.contains(&view.lemma[t].as_str()) && !PARTS.contains(&view.upper[t].as_str()) {
        return None;
    }
    view.kids[t]
        .iter()
        .copied()
        .filter(|&k| view.deprel(k) == "nmod" && view.case_marker(k) == Some("OF"))
        .find_map(place)
        .map(|m| m.span)
}

/// Whether a found actor is a named person or organisation (the NER's word, not a dictionary's).
fn named(view: &View, f: &Found) -> bool {
    let span = view.span_of(&f.tokens);
    mentions_in(view.doc, span).any(|m| matches!(m.kind, EntityType::Person | EntityType::Org))
}

/// Case markers of whom an event is on or with ("an attack on", "talks with", "a protest
/// against").
fn is_partner_case(w: &str) -> bool {
    matches!(w, "ON" | "AGAINST" | "INTO" | "WITH" | "UPON")
}

/// Case markers of a time or circumstance phrase, never of an event's partner.
fn is_time_case(w: &str) -> bool {
    matches!(w, "DURING" | "BEFORE" | "AFTER" | "UNTIL" | "SINCE" | "AMID" | "AMIDST" | "DESPITE" | "FOLLOWING")
}

fn is_place_case(w: &str) -> bool {
    matches!(w, "IN" | "INTO" | "AT" | "NEAR" | "INSIDE" | "ACROSS" | "THROUGHOUT" | "OUTSIDE")
}

#[allow(clippy::too_many_arguments)]
fn code_clause(
    view: &View,
    d: &Dictionaries,
    c: &Clause,
    clauses: &[Clause],
    (a, b): (usize, usize),
    day: Option<i32>,
    options: Options,
    out: &mut Vec<Coded>,
) {
    let p = c.predicate;
    if !view.pos(p).starts_with("VB") {
        return;
    }
    let verb = block_of(view, d, p, b);
    let extra = verb.map_or(0, |(_, n)| n);
    // Subject side: the sentence up to the verb; object side: the verb's own clause after it.
    let pre: Vec<usize> = (a..p).collect();
    let post: Vec<usize> =
        view.subtree(p, &outside_clause).into_iter().filter(|&t| t > p + extra && t >= a && t < b).collect();
    let (mut pattern, mut marks) =
        verb.and_then(|(entry, _)| best_pattern(view, d, (entry.block, p), &pre, &post)).unzip();
    if pattern.is_none() {
        // A promise or pledge of something is an offer of it: what CAMEO's OFFER block
        // codes ("offered a ceasefire" 0356, "concessions" 035, "amnesty" 035, "talks" 036)
        // is what "promised" or "pledged" the same is, where their own blocks say nothing.
        let offer = d.verbs.word_entry("OFFER").map(|e| e.block);
        if let (Some((entry, _)), Some(offer)) = (verb, offer) {
            let promising =
                ["PROMISE", "PLEDGE"].iter().any(|w| d.verbs.word_entry(w).is_some_and(|e| e.block == entry.block));
            if promising {
                (pattern, marks) = best_pattern(view, d, (offer, p), &[], &post).unzip();
            }
        }
    }
    if pattern.is_none() && c.passive {
        // A passive's subject is what the active's object was ("the prisoners were freed" is
        // "freed the prisoners"): the object side of a pattern is looked for there. (Its
        // markers place no actors: the subject is the target already.)
        let patient: Vec<usize> = c.subjects.iter().flat_map(|x| view.subtree(x.head, &outside_phrase)).collect();
        let found = verb.and_then(|(entry, _)| best_pattern(view, d, (entry.block, p), &[], &patient));
        marks = found.as_ref().map(|_| Marks::new());
        pattern = found.map(|(pat, _)| pat);
    }
    let code = verb.map(|(entry, _)| pattern.map_or_else(|| d.verbs.code_of(entry), |pat| &pat.code));
    // "The riots are still continuing": an act that goes on is that act, coded on its noun
    // (see [`code_nouns`]); words in the noun's phrase are no doer of the verb ("riots against
    // the military": no military advance).
    let goes_on = verb.zip(d.verbs.word_entry("CONTINUE")).is_some_and(|((e, _), cont)| e.block == cont.block)
        && c.objects.is_empty()
        && c.subjects.iter().any(|x| noun_code(view, d, x.head).is_some());
    if goes_on {
        return;
    }
    let acted_on = verb.filter(|_| pattern.is_none()).and_then(|(entry, _)| act_on_an_act(view, d, p, entry.block));
    let act = match acted_on.map(|(code, _)| code.to_string()).or_else(|| code.and_then(|c| c.forward.clone())) {
        Some(forward) => Act::Cameo(forward),
        // A verb the dictionary does not know, or knows only as no act of its own when no
        // pattern says more: PLOVER may still type it. A pattern that says "no event"
        // ([---]) is the dictionary's decision and stands.
        None if pattern.is_none() => match d.plover.type_of(view.doc, &view.kids, p) {
            Some(entry) => Act::Plover(entry.event.clone()),
            None => return,
        },
        None => return,
    };
    // "The raid left three officers injured": the clause reports its object's casualties, and
    // the verb is no act of its own (LEAVE is a visit in CAMEO). A violent verb keeps its
    // code ("killed three …").
    let casualty = |k: usize| {
        matches!(view.deprel(k), "acl" | "xcomp" | "amod") && counts::is_casualty_word(&view.lemma[k].to_lowercase())
    };
    let reports_casualties = view.kids[p].iter().any(|&k| casualty(k))
        || c.objects.iter().any(|o| view.kids[o.head].iter().any(|&k| casualty(k)));
    if reports_casualties && !act.is_violent() {
        return;
    }
    let found =
        |args: &[Argument]| -> Vec<Found> { args.iter().flat_map(|x| argument_actors(view, d, x, day)).collect() };
    let by = |x: &&Argument| x.case.is_some_and(|m| view.upper[m] == "BY");
    let mut sources = if c.passive {
        c.obliques.iter().filter(by).flat_map(|o| passive_doers(view, d, o.head, day)).collect()
    } else {
        found(&c.subjects)
    };
    if sources.is_empty() && c.passive && act.is_violent() {
        // "Two were killed in a Kestrelian air raid": a passive act of violence with no "by"
        // is done by the doer of the violent event it happened in.
        for o in c.obliques.iter().filter(|o| o.case.is_some_and(|m| matches!(&*view.upper[m], "IN" | "DURING"))) {
            if noun_code(view, d, o.head).and_then(|c| c.forward).is_some_and(|f| is_violent(&f)) {
                sources.extend(nominal_doers(view, d, o.head, day));
            }
        }
    }
    if sources.is_empty() && !c.passive {
        // A name the parse hung on a subjectless verb as a discourse word or a vocative ("Vell,
        // leading a delegation, arrived in Brask"; the tagger took the unknown name for an
        // interjection) is its subject: news prose does not address its readers by name.
        let stray = view.kids[p].iter().copied().find(|&k| {
            k < p
                && matches!(view.deprel(k), "discourse" | "vocative" | "dep")
                && mention_at(view.doc, view.doc.tokens[k].span).is_some()
        });
        sources = stray.map_or_else(Vec::new, |k| actors_of(view, d, k, day));
    }
    if sources.is_empty() && !c.passive {
        sources = speakers_pronoun(view, d, c, clauses, day);
    }
    let mut targets = if c.passive { found(&c.subjects) } else { Vec::new() };
    if targets.is_empty() {
        targets = found(&c.objects);
    }
    if targets.is_empty() {
        // An actor named inside the object: "ties with Gondor", and the light verbs' partner,
        // "held talks with Ahmadian", "hold discussions with Raisi and Khamenei" (a person the
        // dictionaries do not know is still the partner when the text names them).
        for o in &c.objects {
            for &m in view.kids[o.head].iter().filter(|&&m| view.deprel(m) == "nmod" && !place_marked(view, m)) {
                for cj in view.conjuncts(m) {
                    targets
                        .extend(actors_of(view, d, cj, day).into_iter().filter(|f| f.code.is_some() || named(view, f)));
                }
            }
        }
    }
    // An object that is only a country-less agent ("conducting military exercises in
    // Alaska") gives way to a partner or place among the obliques.
    let generic = |v: &[Found]| {
        !v.is_empty() && v.iter().all(|f| !named(view, f) && f.code.as_deref().is_some_and(|c| c.starts_with("---")))
    };
    if targets.is_empty() || generic(&targets) {
        let obliques: Vec<&Argument> = c
            .obliques
            .iter()
            .filter(|x| !(c.passive && by(x)))
            // An oblique with no case marker is a time or a measure ("stayed a week"), or a
            // misparse: never whom an act is on or with.
            .filter(|x| x.case.is_some())
            // "during his visit", "after the vote": when, not whom.
            .filter(|x| !x.case.is_some_and(|m| is_time_case(&view.upper[m])))
            // "killed in an air strike": an act of violence is how, not whom. (Other events
            // hold whom: "engaged in discussions with X"; and what is said about one is about
            // its place: "expressed sorrow for the shootings in X".)
            .filter(|x| {
                let how = x.case.is_some_and(|m| {
                    matches!(&*view.upper[m], "IN" | "DURING" | "BY" | "WITH" | "AMID" | "UNDER" | "THROUGH")
                });
                !(how && noun_code(view, d, x.head).and_then(|c| c.forward).is_some_and(|f| is_violent(&f)))
            })
            .filter(|o| !view.in_timex(o.head))
            .collect();
        // Whom the event is with ("met in Vienna with Maurer") before where it happened; a
        // place can still be whom the event is on: CAMEO codes "arrived in Tehran" as a visit
        // to Iran. (Skipping places as targets cost 3 points of triple F1 on the GSR news.)
        // A partner is a named or dictionary actor; a generic agent ("on an official visit")
        // comes after the place.
        let specific = |f: &Found| named(view, f) || f.code.as_deref().is_some_and(|c| !c.starts_with("---"));
        // Each oblique's actors once: (marked as a location, actors).
        let mut found: Vec<(bool, Vec<Found>)> = obliques
            .iter()
            .map(|o| (o.case.is_some_and(|m| is_place_case(&view.upper[m])), actors_of(view, d, o.head, day)))
            .filter(|(_, f)| !f.is_empty())
            .collect();
        let pick = found
            .iter()
            .position(|(located, f)| !located && f.iter().any(specific))
            .or_else(|| found.iter().position(|(located, _)| *located))
            .or_else(|| (!found.is_empty()).then_some(0));
        if let Some(k) = pick {
            let chosen = found.swap_remove(k).1;
            if targets.is_empty() || !generic(&chosen) {
                targets = chosen;
            }
        }
    }
    let mut target_from_clause = None;
    if targets.is_empty() {
        // "A believes [B can cope …]", "A allowed [that B isn't …]": the target is the subject
        // of the clause the verb governs. Not of a clause before the verb: "[B will cope], an
        // official said" names its source, the statement is no act on B.
        for &k in view.kids[p].iter().filter(|&&k| k > p && view.deprel(k) == "ccomp") {
            if let Some(inner) = clause_at(clauses, k) {
                targets.extend(found(&inner.subjects).into_iter().filter(|f| f.code.is_some()));
            }
            if !targets.is_empty() {
                target_from_clause = Some(k);
                break;
            }
        }
    }
    if targets.is_empty() {
        // Deeper in the object: "cordoned off the roads leading into Mordor".
        for o in &c.objects {
            let inside = view.subtree(o.head, &|r| matches!(r, "punct" | "parataxis"));
            if let Some(f) = inside
                .into_iter()
                .filter(|&t| t != o.head && view.pos(t).starts_with("NNP"))
                .flat_map(|t| actors_of(view, d, t, day))
                .find(|f| f.code.is_some())
            {
                targets.push(f);
                break;
            }
        }
    }
    if pattern.is_some_and(|pat| pat.target_first) {
        std::mem::swap(&mut sources, &mut targets);
    }
    // A marked pattern says where its actors are ("warned their people about +", "was freed
    // from $"): a marked actor a dictionary knows takes that side.
    if let Some(marks) = marks {
        for (marker, found) in marked_actors(view, d, marks, &post, day) {
            if found.iter().any(|f| f.code.is_some()) {
                match marker {
                    Marker::Target => targets = found,
                    Marker::Source => sources = found,
                }
            }
        }
    }
    // "The Kestrelian offensive was suspended": the act's doer ends it. (Who violates a ban is
    // never who made it: the passive's agent, as for any verb.)
    let ended = acted_on.filter(|&(code, noun)| view.deprel(noun) != "obj" && code != DEFIANCE);
    if let Some((_, noun)) = ended {
        sources = nominal_doers(view, d, noun, day);
        targets = partners_of_noun(view, d, noun, day);
    }
    share_country(&mut sources);
    share_country(&mut targets);
    if sources.is_empty() && targets.is_empty() {
        return;
    }
    if options.require_dyad && (sources.is_empty() || (targets.is_empty() && sources.len() < 2)) {
        return;
    }
    // The lexicon types a predicate from how stories use it, weaker evidence than a
    // dictionary pattern: an act it types needs someone who does it (PLOVER's actor).
    if matches!(act, Act::Plover(_)) && sources.is_empty() {
        return;
    }
    let doc = view.doc;
    let trigger = Span::new(doc.tokens[p].span.start, doc.tokens[p + extra].span.end);
    let clause_tokens = view.subtree(p, &outside_clause);
    let span = view.span_of(&clause_tokens);
    let time = clause_time(view, p, &clause_tokens);
    // Where: a place named by "in", "into", "at" … on the verb, else on one of its arguments
    // ("met the minister in Tehran").
    let place_of = |t: usize| place_at(view, t);
    let place = c.obliques.iter().find_map(|o| place_of(o.head)).or_else(|| {
        clause_tokens.iter().copied().filter(|&t| matches!(view.deprel(t), "nmod" | "obl")).find_map(place_of)
    });
    // Who a country-less agent is ("children", "police", "gunmen": ---CVL …) where an act of
    // material conflict (protest, coercion, force) happened says: "four children were killed
    // in Gaza" are Gaza's (PSEGZACVL). Not so for talks and statements, held and made abroad
    // ("met the ministers in Geneva"); a named actor or one with a nationality keeps its own.
    let material_conflict = act.is_material_conflict();
    if let Some(here) = place.filter(|_| material_conflict).and_then(|at| view.story.actor_code(d, doc.slice(at), day))
    {
        for f in sources.iter_mut().chain(targets.iter_mut()) {
            if let Some(agent) = f.code.as_deref().and_then(|c| c.strip_prefix("---")).filter(|a| !a.is_empty()) {
                f.code = Some(format!("{here}{agent}"));
            }
        }
    }
    let status = status_of(view, c);
    let historical = time.is_some_and(|t| is_historical(doc, t.value.as_deref()));
    let attribution = dateline_quotes::attribution(doc, trigger).map(|q| q.span);
    // Counts may sit in the clause's participles ("…, killing four"), not in reported speech.
    let count_tokens = view.subtree(p, &|r| matches!(r, "ccomp" | "parataxis" | "punct"));
    let counts = counts::counts(doc, &view.kids, &count_tokens);
    let src: Vec<EventActor> = sources.iter().map(|f| event_actor(view, f)).collect();
    let tgt: Vec<EventActor> = targets.iter().map(|f| event_actor(view, f)).collect();
    // A promise that is denied or only supposed ("will not strike", "if they agree") is no
    // promise.
    let promised = matches!(status, EventStatus::Asserted | EventStatus::Planned)
        && (c.committed || c.promise.is_some() || view.doc.tokens[p].lemma.as_deref().is_some_and(clause::is_promise));
    let frame =
        Frame { span, trigger, time: time.map(|t| t.span), place, status, historical, attribution, counts, promised };
    let make = |act: Act, source: Vec<EventActor>, target: Vec<EventActor>| frame.event(act, source, target);
    // Reciprocal only when nothing else is acted on: no object, or "their meeting", and no
    // passive (its subject is what was acted on, "the resolve shown by A and B", even when no
    // actor); and never for statements and appeals (CAMEO 01, 02): "A and B said …" is not
    // said to each other.
    let speech = act.cameo().is_some_and(|c| matches!(c.get(..2), Some("01" | "02")));
    let reciprocal = !speech
        && !c.passive
        && c.objects.iter().all(|o| {
            view.kids[o.head]
                .iter()
                .any(|&k| view.deprel(k) == "nmod:poss" && matches!(view.upper[k].as_str(), "THEIR"))
        });
    if tgt.is_empty() && src.len() >= 2 && reciprocal {
        // "A and B postponed their meeting": each acts on the others (a reciprocal event).
        for (s, others) in each_on_the_others(&src) {
            out.push(Coded {
                event: make(act.clone(), s, others),
                predicate: p,
                target_from_clause,
                transformed: false,
            });
        }
        return;
    }
    // The second code of an unequal pair is the target's own act ("hosted" for "visited"): the
    // object must be the place or party gone to, not a thing attended with a name in it
    // ("attended a summit in X", "the X games"), which is what receives the visitor.
    let party = |t: usize| {
        let (actor, agents) = codes_in(view, d, &[t], day);
        actor.is_some()
            || !agents.is_empty()
            || mention_at(doc, doc.tokens[t].span).is_some_and(|m| m.kind != EntityType::Misc)
    };
    let reverse = code
        .and_then(|code| code.reverse.clone())
        .filter(|r| act.cameo() == Some(r.as_str()) || c.objects.iter().all(|o| party(o.head)));
    out.push(Coded {
        event: make(act, src.clone(), tgt.clone()),
        predicate: p,
        target_from_clause,
        transformed: false,
    });
    if let Some(reverse) = reverse {
        if !tgt.is_empty() && !src.is_empty() {
            out.push(Coded {
                event: make(Act::Cameo(reverse), tgt, src),
                predicate: p,
                target_from_clause,
                transformed: false,
            });
        }
    }
}

fn status_of(view: &View, c: &Clause) -> EventStatus {
    // "if …", "unless …" over the clause or a clause above it.
    let mut x = Some(c.predicate);
    let mut hops = 0;
    while let Some(i) = x.filter(|_| hops < 8) {
        if view.kids[i].iter().any(|&k| view.deprel(k) == "mark" && matches!(view.upper[k].as_str(), "IF" | "UNLESS")) {
            return EventStatus::Hypothetical;
        }
        x = view.doc.tokens[i].head;
        hops += 1;
    }
    if c.negated {
        EventStatus::Negated
    } else {
        match c.modality {
            Some(Modality::Future) => EventStatus::Planned,
            Some(Modality::Possible) => EventStatus::Hypothetical,
            None => EventStatus::Asserted,
        }
    }
}

/// Days before publication past which an event is background, not news of the day.
const HISTORICAL_DAYS: i64 = 90;

fn is_historical(doc: &Document, value: Option<&str>) -> bool {
    let (Some(p), Some(v)) = (doc.published, value) else { return false };
    let padded = match v.len() {
        4 => format!("{v}-12-31"),
        7 => format!("{v}-28"),
        _ => v.get(..10).unwrap_or(v).to_string(),
    };
    chrono::NaiveDate::parse_from_str(&padded, "%Y-%m-%d").is_ok_and(|d| (p.date - d).num_days() > HISTORICAL_DAYS)
}

/// Whether predicate `p` is `k` or hangs from it through open complements only ("about" ←
/// "restore" in "is about to restore", "plans" ← "sign"): the same clause's act.
fn open_complement_of(view: &View, mut p: usize, k: usize) -> bool {
    while p != k && view.deprel(p) == "xcomp" {
        let Some(h) = view.doc.tokens[p].head else { return false };
        p = h;
    }
    p == k
}

#[cfg(test)]
mod tests;
