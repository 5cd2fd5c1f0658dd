use crate::{Published, Span};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// One article: cleaned text, metadata, and the annotation layers added by pipeline stages.
///
/// Invariants (checked by [`Document::validate`]):
/// - `text` never changes after construction, so every span stays valid;
/// - every span lies inside `text` on `char` boundaries;
/// - `id` and `hash` are derived from `text` alone, so the same article read twice (from any
///   path, in any format) is the same document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// First 16 hex digits of `hash`: short enough to type, long enough never to collide in
    /// practice.
    pub id: String,
    /// SHA-256 of `text`, hex.
    pub hash: String,
    /// Where the article came from: a path (with `:LINE` for JSON lines), a URL, or `-`.
    pub source: String,
    pub title: Option<String>,
    /// Where the title stands in `text`, when it does.
    pub title_span: Option<Span>,
    /// The publication date, or `None` when the article does not say (never the ingest date).
    pub published: Option<Published>,
    /// What the publication date rests on.
    pub published_origin: Option<PublishedOrigin>,
    /// The dateline place ("TEHRAN -", "JERUSALEM (Reuters) -").
    pub dateline: Option<Dateline>,
    /// The outlet's name when the input says it (HTML site name, JSON lines field).
    pub outlet: Option<String>,
    pub text: String,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    pub mentions: Vec<Mention>,
    pub roles: Vec<Role>,
    /// What the text says an organisation is: "the state news agency IRNA".
    pub descriptions: Vec<Description>,
    pub timexes: Vec<Timex>,
    /// Words the text attributes to someone: quotations and reported clauses, with who says
    /// them, how, to whom and through whom.
    pub quotes: Vec<Quote>,
    /// Who did what to whom, when and where, as the text tells it: coded in CAMEO and PLOVER,
    /// each field with its evidence span.
    pub events: Vec<Event>,
    /// Who and what the text refers to: one entry per person, organisation, place or group,
    /// with every reference to it (names, short names, acronyms, titles, pronouns) and the
    /// evidence for counting each reference as that entity.
    pub entities: Vec<Entity>,
}

/// One person, organisation, place or group the document refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub kind: EntityType,
    /// The fullest name the document gives it ("Ziyad al-Nakhalah", not "Nakhalah"); for a
    /// group, its members' names joined by " and ".
    pub name: String,
    /// The CAMEO actor code a dictionary gives the name, when one does.
    pub code: Option<String>,
    /// Every reference, in text order.
    pub references: Vec<EntityRef>,
    /// Indices into [`Document::roles`] of the roles the text gives this person.
    pub roles: Vec<usize>,
    /// Indices into [`Document::descriptions`] of what the text says this organisation is.
    pub descriptions: Vec<usize>,
    /// For a group ("the two leaders"): indices of the entities it is made of.
    pub members: Vec<usize>,
}

/// A stretch of text that refers to an entity, and why it counts as that entity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EntityRef {
    pub span: Span,
    pub how: RefKind,
    /// What links this reference to the entity when it is not the name itself: the fuller
    /// name a short name or acronym matches, the role that gives a person the title a
    /// description uses, the antecedent of a pronoun.
    pub evidence: Option<Span>,
}

/// How a reference names its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefKind {
    /// A name as the recognizer found it (the fullest forms, and repeats of them).
    Name,
    /// Part of a fuller name: a surname, a name without its particle, an organisation's name
    /// without its qualifier ("Islamic Jihad" for "Palestinian Islamic Jihad").
    Short,
    /// An initialism of a fuller name ("SNSC").
    Acronym,
    /// A spelling of the name that differs from the fuller one by transliteration only.
    Variant,
    /// A nationality adjective or demonym ("Iranian" → Iran).
    Demonym,
    /// A definite description by title or role ("the president", "the Leader").
    Title,
    /// A personal pronoun in a subject or speaker position ("he said").
    Pronoun,
    /// A plural phrase for a group the text has named ("the two leaders").
    Group,
}

impl RefKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RefKind::Name => "name",
            RefKind::Short => "short",
            RefKind::Acronym => "acronym",
            RefKind::Variant => "variant",
            RefKind::Demonym => "demonym",
            RefKind::Title => "title",
            RefKind::Pronoun => "pronoun",
            RefKind::Group => "group",
        }
    }

    pub fn parse(s: &str) -> Option<RefKind> {
        Some(match s {
            "name" => RefKind::Name,
            "short" => RefKind::Short,
            "acronym" => RefKind::Acronym,
            "variant" => RefKind::Variant,
            "demonym" => RefKind::Demonym,
            "title" => RefKind::Title,
            "pronoun" => RefKind::Pronoun,
            "group" => RefKind::Group,
            _ => return None,
        })
    }
}

impl Entity {
    /// The entity a span refers to: one whose reference covers exactly that span, or else
    /// the one whose reference inside it ends last (the head of an English noun phrase:
    /// "Raisi" in "the Iranian president Raisi"), a nationality adjective only when nothing
    /// else is there.
    pub fn at(entities: &[Entity], span: Span) -> Option<usize> {
        if let Some(e) = entities.iter().position(|e| e.references.iter().any(|r| r.span == span)) {
            return Some(e);
        }
        let mut best: Option<(bool, usize, usize)> = None;
        for (i, e) in entities.iter().enumerate() {
            if !e.members.is_empty() {
                continue;
            }
            for r in &e.references {
                if r.span.start >= span.start && r.span.end <= span.end {
                    let key = (r.how != RefKind::Demonym, r.span.end, i);
                    if best.is_none_or(|b| (key.0, key.1) > (b.0, b.1)) {
                        best = Some(key);
                    }
                }
            }
        }
        best.map(|(_, _, i)| i)
    }
}

/// One event: an action of source actors on target actors, read off a clause (or a noun phrase
/// that names an action), with the evidence of every field.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The evidence: the clause the event is read from.
    pub span: Span,
    /// The predicate: the verb ("met") or the noun ("talks", "incursion").
    pub trigger: Span,
    /// The CAMEO code as the dictionary writes it, leading zero kept ("036"); `None` for an
    /// act CAMEO has no code for, typed in PLOVER alone.
    pub cameo: Option<String>,
    /// The current PLOVER event type ("CONSULT"), when CAMEO's code maps to one or the PLOVER
    /// lexicon types the predicate.
    pub plover: Option<String>,
    /// The PLOVER mode ("visit"), when the code gives one.
    pub plover_mode: Option<String>,
    /// CAMEO quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
    /// 4 material conflict.
    pub quad_class: Option<u8>,
    /// Goldstein conflict-cooperation score of the code's root category (−10 … +10).
    pub goldstein: Option<f32>,
    /// Who acts; several for a compound actor ("Hamas and Islamic Jihad").
    pub source: Vec<EventActor>,
    /// Who is acted on; several for a compound target.
    pub target: Vec<EventActor>,
    /// The temporal expression that governs the event, when one does (a span of a timex in the
    /// time layer). Never the publication date: that is report time.
    pub time: Option<Span>,
    /// The place the event is said to happen in ("in Tehran", "into Jenin").
    pub place: Option<Span>,
    pub status: EventStatus,
    /// A background event long before the article's news (PLOVER's historical mode).
    pub historical: bool,
    /// The quote or reported clause that holds the event (its span in the quotes layer): whose
    /// claim it is. `None` when the reporter states it.
    pub attribution: Option<Span>,
    /// Casualties and arrests the text counts for this event.
    pub counts: Vec<EventCount>,
}

/// One actor of an event: a span of the text, its CAMEO actor code when a dictionary knows it,
/// and the entity type when the span is a named mention.
#[derive(Debug, Clone, PartialEq)]
pub struct EventActor {
    pub span: Span,
    /// Country or organisation code plus sector codes ("IRNGOV", "PSEREB"); `---GOV` when only
    /// the sector is known.
    pub code: Option<String>,
    pub kind: Option<EntityType>,
    /// Index into [`Document::entities`] of who the actor is, when the entities layer knows.
    pub entity: Option<usize>,
}

/// What the text says of an event's reality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Asserted,
    /// "does not recognize", "refrains from recognizing".
    Negated,
    /// "will", "is scheduled to", "plans to".
    Planned,
    /// "if …", "could", "may".
    Hypothetical,
}

impl EventStatus {
    pub const ALL: [EventStatus; 4] =
        [EventStatus::Asserted, EventStatus::Negated, EventStatus::Planned, EventStatus::Hypothetical];

    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Asserted => "asserted",
            EventStatus::Negated => "negated",
            EventStatus::Planned => "planned",
            EventStatus::Hypothetical => "hypothetical",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "asserted" => EventStatus::Asserted,
            "negated" => EventStatus::Negated,
            "planned" => EventStatus::Planned,
            "hypothetical" => EventStatus::Hypothetical,
            _ => return None,
        })
    }
}

/// A number of people the text says were killed, injured, arrested or displaced.
#[derive(Debug, Clone, PartialEq)]
pub struct EventCount {
    pub kind: CountKind,
    pub count: u32,
    /// The words that state it ("five Israeli border police and two soldiers injured").
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountKind {
    Killed,
    Injured,
    Arrested,
    Displaced,
}

impl CountKind {
    pub const ALL: [CountKind; 4] = [CountKind::Killed, CountKind::Injured, CountKind::Arrested, CountKind::Displaced];

    pub fn as_str(self) -> &'static str {
        match self {
            CountKind::Killed => "killed",
            CountKind::Injured => "injured",
            CountKind::Arrested => "arrested",
            CountKind::Displaced => "displaced",
        }
    }
}

/// Words attributed to a speaker: a quotation in marks, or a clause a reporting verb governs.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// From the first to the last of its parts (content, cue, speaker, sources).
    pub span: Span,
    pub kind: QuoteKind,
    /// The words attributed, without the quotation marks.
    pub content: Span,
    /// The reporting verb or phrase: "said", "added", "according to", "in a statement".
    pub cue: Option<Span>,
    /// Who speaks, as written: a name, a description ("the two leaders"), a pronoun ("it").
    pub speaker: Option<Span>,
    /// What the speaker's words stand for, nearest first, as far as the text says: "it" →
    /// "the statement" → "Hamas" (who issued it); "He" → the last fitting person.
    pub speaker_refers_to: Vec<Span>,
    /// To whom, when stated: "told Haniyeh", "conveyed to Haniyeh".
    pub addressee: Option<Span>,
    /// Through whom the words reached the page, innermost first ("the statement said,
    /// according to Press TV": Press TV).
    pub via: Vec<QuoteSource>,
    /// Its quotation mark was never closed: the content stops at the end of its paragraph.
    pub unclosed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteKind {
    /// In quotation marks, a sentence or more of the speaker's words.
    Direct,
    /// A clause a reporting verb governs ("X said that …", "X informed Y that …").
    Indirect,
    /// A reported clause with a quoted part.
    Mixed,
    /// A quoted fragment inside the reporter's own sentence.
    Partial,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Mixed => "mixed",
            QuoteKind::Partial => "partial",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "direct" => QuoteKind::Direct,
            "indirect" => QuoteKind::Indirect,
            "mixed" => QuoteKind::Mixed,
            "partial" => QuoteKind::Partial,
            _ => return None,
        })
    }
}

/// A source in a quote's chain: "Press TV", "the state news agency IRNA".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuoteSource {
    pub span: Span,
    /// What the text says the source is, when it says so ("state news agency").
    pub description: Option<Span>,
}

/// A temporal expression, TimeML TIMEX3-style.
#[derive(Debug, Clone, PartialEq)]
pub struct Timex {
    pub span: Span,
    pub kind: TimexType,
    /// The TIMEX3 value ("2024-03-28TNI", "P6M", "PAST_REF", "2023-W24"), or `None` when it
    /// cannot be resolved (a relative expression in an undated article).
    pub value: Option<String>,
    /// TIMEX3 `mod`: MORE_THAN, LESS_THAN, APPROX, START, MID, END, …
    pub modifier: Option<String>,
    /// For a named period whose dates are computable (e.g. Ramadan): its last day, `value`
    /// holding the first.
    pub end: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "DATE" => TimexType::Date,
            "TIME" => TimexType::Time,
            "DURATION" => TimexType::Duration,
            "SET" => TimexType::Set,
            _ => return None,
        })
    }
}

/// A title or role stated for a person: "Iranian President Ebrahim Raisi", "Ziyad al-Nakhalah,
/// the chief of Islamic Jihad".
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    /// The whole phrase that states the role, person included.
    pub span: Span,
    /// The title as written ("President", "political bureau chief").
    pub title: Span,
    /// The person's mention.
    pub person: Span,
    /// What the role is of, when stated: an organisation or place mention, or a nationality
    /// adjective (then `of_name` is its country).
    pub of: Option<Span>,
    pub of_name: Option<String>,
}

/// What the text says an organisation is, as it says it: "the state news agency IRNA",
/// "militant groups Lune Front and Kestrel Brigade", "the Lune website associated with the
/// Council", "Lune Front, the armed wing of the Kestrel Party".
#[derive(Debug, Clone, PartialEq)]
pub struct Description {
    /// The whole phrase, the organisation included.
    pub span: Span,
    /// The description as written ("state news agency", "website associated with the Council").
    pub description: Span,
    /// The organisation's mention.
    pub entity: Span,
    /// What it is of or linked to, when stated: an organisation or place mention, or a
    /// nationality adjective (then `of_name` is its country).
    pub of: Option<Span>,
    pub of_name: Option<String>,
}

/// The evidence behind a publication date.
#[derive(Debug, Clone, PartialEq)]
pub enum PublishedOrigin {
    /// A date line inside the cleaned text.
    Text(Span),
    /// A metadata field of the input, named (e.g. `meta[property=article:published_time]`,
    /// `jsonl:published`).
    Metadata(String),
    /// Given by the user (`--published`).
    User,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dateline {
    /// The place as written in the dateline, in its usual capitalisation ("Tehran").
    pub place: String,
    /// The span of the place name in `text` (as written, e.g. "TEHRAN").
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sentence {
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub span: Span,
    /// Penn Treebank part-of-speech tag, once a tagger has run. Borrowed from the model's tag
    /// set (no allocation per token: a token costs memory on every word of every document).
    pub pos: Option<Cow<'static, str>>,
    /// The word's dictionary form ("ran" → "run"), once the syntax stage has run.
    pub lemma: Option<String>,
    /// The token index (into the document's tokens, always in the same sentence) of this
    /// word's syntactic head; `None` for the root of its sentence, or before parsing.
    pub head: Option<usize>,
    /// The Universal Dependencies relation to the head ("nsubj", "obl", "root"); `None`
    /// before parsing.
    pub deprel: Option<Cow<'static, str>>,
}

impl Token {
    /// A token with no annotation yet.
    pub fn new(span: Span) -> Token {
        Token { span, pos: None, lemma: None, head: None, deprel: None }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    Person,
    Org,
    Place,
    Misc,
}

impl EntityType {
    pub const ALL: [EntityType; 4] = [EntityType::Person, EntityType::Org, EntityType::Place, EntityType::Misc];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Place => "PLACE",
            EntityType::Misc => "MISC",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "PERSON" | "PER" => EntityType::Person,
            "ORG" => EntityType::Org,
            "PLACE" | "LOC" | "GPE" => EntityType::Place,
            "MISC" => EntityType::Misc,
            _ => return None,
        })
    }
}

/// A named-entity mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub span: Span,
    pub kind: EntityType,
    /// For a nationality adjective or demonym ("Iranian", "Israelis"): the country it names.
    pub country: Option<String>,
}

/// SHA-256 of a text, as lowercase hex.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

impl Document {
    /// A document with no metadata and no layers; `id` and `hash` follow from `text`.
    pub fn new(source: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let hash = content_hash(&text);
        Document {
            id: hash[..16].to_string(),
            hash,
            source: source.into(),
            title: None,
            title_span: None,
            published: None,
            published_origin: None,
            dateline: None,
            outlet: None,
            text,
            sentences: Vec::new(),
            tokens: Vec::new(),
            mentions: Vec::new(),
            roles: Vec::new(),
            descriptions: Vec::new(),
            quotes: Vec::new(),
            timexes: Vec::new(),
            events: Vec::new(),
            entities: Vec::new(),
        }
    }

    /// The text under a span.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    /// Every span of every layer, with the layer's name: the one list that invariant checks and
    /// offset conversions walk.
    pub fn all_spans(&self) -> Vec<(&'static str, Span)> {
        let mut out = Vec::new();
        out.extend(self.title_span.map(|s| ("title", s)));
        if let Some(PublishedOrigin::Text(s)) = &self.published_origin {
            out.push(("published", *s));
        }
        out.extend(self.dateline.as_ref().map(|d| ("dateline", d.span)));
        out.extend(self.sentences.iter().map(|s| ("sentences", s.span)));
        out.extend(self.tokens.iter().map(|t| ("tokens", t.span)));
        out.extend(self.mentions.iter().map(|m| ("mentions", m.span)));
        for r in &self.roles {
            out.extend([("roles", r.span), ("roles.title", r.title), ("roles.person", r.person)]);
            out.extend(r.of.map(|s| ("roles.of", s)));
        }
        for d in &self.descriptions {
            out.extend([
                ("descriptions", d.span),
                ("descriptions.description", d.description),
                ("descriptions.entity", d.entity),
            ]);
            out.extend(d.of.map(|s| ("descriptions.of", s)));
        }
        out.extend(self.timexes.iter().map(|t| ("timexes", t.span)));
        for q in &self.quotes {
            out.extend([("quotes", q.span), ("quotes.content", q.content)]);
            out.extend(q.cue.map(|s| ("quotes.cue", s)));
            out.extend(q.speaker.map(|s| ("quotes.speaker", s)));
            out.extend(q.speaker_refers_to.iter().map(|&s| ("quotes.speaker.refers_to", s)));
            out.extend(q.addressee.map(|s| ("quotes.addressee", s)));
            for v in &q.via {
                out.push(("quotes.via", v.span));
                out.extend(v.description.map(|s| ("quotes.via.description", s)));
            }
        }
        for e in &self.events {
            out.extend([("events", e.span), ("events.trigger", e.trigger)]);
            out.extend(e.source.iter().map(|a| ("events.source", a.span)));
            out.extend(e.target.iter().map(|a| ("events.target", a.span)));
            out.extend(e.time.map(|s| ("events.time", s)));
            out.extend(e.place.map(|s| ("events.place", s)));
            out.extend(e.attribution.map(|s| ("events.attribution", s)));
            out.extend(e.counts.iter().map(|c| ("events.counts", c.span)));
        }
        for e in &self.entities {
            for r in &e.references {
                out.push(("entities.references", r.span));
                out.extend(r.evidence.map(|s| ("entities.references.evidence", s)));
            }
        }
        out
    }

    /// Checks that every span lies inside the text on char boundaries.
    pub fn validate(&self) -> Result<(), String> {
        for (layer, span) in self.all_spans() {
            if span.start > span.end
                || span.end > self.text.len()
                || !self.text.is_char_boundary(span.start)
                || !self.text.is_char_boundary(span.end)
            {
                return Err(format!("{layer}: span {}..{} is not a valid range of the text", span.start, span.end));
            }
        }
        Ok(())
    }
}
