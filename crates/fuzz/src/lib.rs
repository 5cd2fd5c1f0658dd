//! Fuzz targets: one function per input surface, each taking arbitrary bytes and checking
//! the invariants that must hold for any input (no panic, every span inside the text on
//! character boundaries, layers in order).
//!
//! Owns: the targets ([`TARGETS`]) and the structure-aware builders that turn bytes into
//! plausible hostile input (deeply nested HTML, huge attributes, unbalanced quotes, JSON with
//! lone surrogates, mixed encodings, date lines). The same targets run three ways: briefly as
//! unit tests (CI), for a chosen time from random inputs (`dateline-fuzz TARGET SECONDS`), and
//! coverage-guided under libFuzzer (`tools/fuzz.sh`, the `fuzz/` folder).
//!
//! Must never: be a dependency of the product; it only calls the public APIs of the others.

use dateline_ingest::{detect_dateline, parse_date_line, read_bytes};
use dateline_model::Document;

/// A target: a name and a function of arbitrary bytes that panics on a broken invariant.
pub struct Target {
    pub name: &'static str,
    pub run: fn(&[u8]),
}

/// Every target, by name.
pub const TARGETS: &[Target] = &[
    Target { name: "text", run: text },
    Target { name: "html", run: html },
    Target { name: "jsonl", run: jsonl },
    Target { name: "date-line", run: date_line },
    Target { name: "tokenize", run: tokenize },
    Target { name: "timeml", run: timeml },
    Target { name: "pipeline", run: pipeline },
];

pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// Bytes consumed as a little stream of choices; an exhausted stream yields zeros.
pub struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data, at: 0 }
    }

    fn done(&self) -> bool {
        self.at >= self.data.len()
    }

    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.byte() as usize % from.len()]
    }

    /// A short run of the raw bytes, decoded lossily (arbitrary text, any script).
    fn raw_text(&mut self) -> String {
        let n = (self.byte() % 32) as usize;
        let end = (self.at + n).min(self.data.len());
        let s = String::from_utf8_lossy(&self.data[self.at.min(end)..end]).into_owned();
        self.at = end;
        s
    }
}

const WORDS: &[&str] = &[
    "Ferry",
    "crews",
    "in",
    "Bergen",
    "said",
    "on",
    "Monday",
    "the",
    "Port",
    "Authority",
    "of",
    "Lune",
    "met",
    "President",
    "Ada",
    "Vell",
    "“",
    "”",
    "\"",
    "'",
    "(",
    ")",
    ",",
    ".",
    "!",
    "?",
    "U.S.",
    "Mr.",
    "Dr",
    "al-",
    "—",
    "-",
    "3",
    "1,200",
    "2024-03-30",
    "Jan.",
    "’s",
    "&",
    "\n",
    "\n\n",
    " ",
    "\t",
    "\u{feff}",
    "\u{200b}",
    "é",
    "ß",
    "İ",
    "ǅ",
    "😀",
    "\u{0301}",
    "ﬁ",
    "Ⅻ",
    "\r\n",
    "\u{0}",
    "last",
    "week",
    "next",
    "Thursday",
    "night",
    "two",
    "years",
    "ago",
    "Ramadan",
    "noon",
    "TEHRAN",
    "(Reuters)",
];

/// A text of words, marks and oddities (combining marks, ligatures, NULs, BOMs, emoji).
fn words(b: &mut Bytes, max: usize) -> String {
    let mut s = String::new();
    for _ in 0..max {
        if b.done() {
            break;
        }
        match b.byte() % 8 {
            0 => s.push_str(&b.raw_text()),
            1 => s.push_str(&b.pick(WORDS).repeat(1 + b.byte() as usize % 3)),
            _ => {
                s.push_str(b.pick(WORDS));
                s.push(' ');
            }
        }
    }
    s
}

const TAGS: &[&str] = &[
    "div",
    "p",
    "span",
    "b",
    "i",
    "a",
    "article",
    "section",
    "table",
    "tr",
    "td",
    "li",
    "ul",
    "h1",
    "h2",
    "br",
    "img",
    "script",
    "style",
    "nav",
    "footer",
    "template",
    "svg",
    "math",
    "select",
    "option",
    "textarea",
    "title",
    "font",
    "blockquote",
    "pre",
    "noscript",
    "iframe",
    "html",
    "body",
    "head",
    "meta",
    "time",
];
const ATTRS: &[&str] = &["class", "id", "content", "property", "datetime", "href", "hidden", "aria-hidden", "onerror"];
const ATTR_VALUES: &[&str] = &[
    "comment",
    "article-body",
    "share-tools",
    "og:title",
    "article:published_time",
    "2024-05-02T10:15:00+02:00",
    "javascript:alert(1)",
    "true",
    "",
    "\"",
    "'",
];

/// HTML built from bytes: tags opened and closed at random (and left open), runs of deep
/// nesting, huge and unbalanced attributes, comments, scripts, entities and raw text.
pub fn html_from(data: &[u8]) -> String {
    let mut b = Bytes::new(data);
    let mut s = String::from("<!doctype html><html><head><title>Ferry news</title></head><body>");
    let mut open: Vec<&str> = Vec::new();
    while !b.done() && s.len() < 1 << 20 {
        match b.byte() % 12 {
            0 | 1 => {
                let tag = b.pick(TAGS);
                s.push('<');
                s.push_str(tag);
                for _ in 0..b.byte() % 3 {
                    s.push(' ');
                    s.push_str(b.pick(ATTRS));
                    match b.byte() % 4 {
                        0 => {}
                        1 => s.push_str(&format!("=\"{}\"", b.pick(ATTR_VALUES))),
                        2 => s.push_str(&format!("='{}", b.pick(ATTR_VALUES))),
                        _ => s.push_str(&format!("=\"{}\"", "x".repeat(b.byte() as usize * 257))),
                    }
                }
                s.push('>');
                open.push(tag);
            }
            2 => {
                if let Some(t) = open.pop() {
                    s.push_str(&format!("</{t}>"));
                }
            }
            3 => s.push_str(&format!("</{}>", b.pick(TAGS))),
            4 => {
                // A run of nesting, closed or not.
                let (tag, n) = (b.pick(TAGS), b.byte() as usize * 64);
                s.push_str(&format!("<{tag}>").repeat(n));
                if b.byte().is_multiple_of(2) {
                    s.push_str(&format!("</{tag}>").repeat(n));
                }
            }
            5 => s.push_str(b.pick(&[
                "<!--",
                "-->",
                "<![CDATA[",
                "]]>",
                "&amp;",
                "&#0;",
                "&#x110000;",
                "&nbsp",
                "<",
                ">",
            ])),
            6 => s.push_str(&format!("<script>{}</script>", words(&mut b, 3))),
            _ => s.push_str(&words(&mut b, 6)),
        }
    }
    s
}

/// JSON lines built from bytes: objects with the fields ingest reads, values of every type,
/// escapes (lone surrogates among them), nesting, and broken lines.
pub fn jsonl_from(data: &[u8]) -> String {
    let mut b = Bytes::new(data);
    let mut out = String::new();
    while !b.done() && out.len() < 1 << 20 {
        out.push('{');
        for k in 0..b.byte() % 5 {
            if k > 0 {
                out.push(',');
            }
            out.push_str(&format!("\"{}\":", b.pick(&["text", "html", "url", "title", "published", "outlet", "x"])));
            match b.byte() % 9 {
                0 => out.push_str("42"),
                1 => out.push_str("null"),
                2 => out.push_str("[\"a\",{\"b\":[]}]"),
                3 => out.push_str(&"[".repeat(b.byte() as usize * 4)),
                4 => out.push_str(&format!(
                    "\"{}\"",
                    b.pick(&["\\ud800", "\\udc00x", "\\ud83d\\ude00", "\\u0000", "\\\\ud800", "\\x"])
                )),
                5 => out.push_str(&format!("\"{}\"", b.pick(&["2024-03-30", "2024-13-45T99:99", "yesterday", ""]))),
                6 => out.push_str(&format!(
                    "\"{}\"",
                    html_from(&[b.byte(), b.byte(), b.byte(), b.byte()]).replace('"', "\\\"")
                )),
                _ => out.push_str(&serde_string(&words(&mut b, 12))),
            }
        }
        if !b.byte().is_multiple_of(8) {
            out.push('}');
        }
        out.push_str(b.pick(&["\n", "\n", "\r\n", "\n\n", ""]));
    }
    out
}

/// A JSON string literal of `s`, escaped by hand (no serde here: the crate tests our reader,
/// not a writer).
fn serde_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Lines that look like date lines and datelines.
pub fn date_line_from(data: &[u8]) -> String {
    let mut b = Bytes::new(data);
    let mut s = String::new();
    while !b.done() && s.len() < 200 {
        s.push_str(b.pick(&[
            "March",
            "Mar.",
            "30",
            "2024",
            ",",
            " ",
            "-",
            " - ",
            " — ",
            "12:45",
            "GMT",
            "+0330",
            "(Reuters)",
            "TEHRAN",
            "AL-QUDS",
            "Updated",
            "Saturday",
            "PM",
            "31/02/2024",
            "2024-02-30T25:61",
            "9999999999",
            "ǅ",
            "İ",
            "\u{feff}",
        ]));
        if b.byte().is_multiple_of(4) {
            s.push_str(&b.raw_text());
        }
    }
    s
}

/// TimeML built from bytes: the reader's tags, nested and broken.
pub fn timeml_from(data: &[u8]) -> String {
    let mut b = Bytes::new(data);
    let mut s = String::from("<?xml version=\"1.0\" ?>\n<TimeML>");
    while !b.done() && s.len() < 1 << 16 {
        s.push_str(b.pick(&[
            "<DOCID>wsj_0001</DOCID>",
            "<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"1998-03-02\" functionInDocument=\"CREATION_TIME\">March 2</TIMEX3></DCT>",
            "<DCT>",
            "</DCT>",
            "<TEXT>",
            "</TEXT>",
            "<TIMEX3 tid=\"t1\" type=\"DATE\" value=\"",
            "\">",
            "</TIMEX3>",
            "<EVENT eid=\"e1\" class=\"OCCURRENCE\">",
            "</EVENT>",
            "<TIMEX3 type=DURATION value=P1Y>",
            "&amp;",
            "&lt;",
            "\"",
        ]));
        if b.byte().is_multiple_of(3) {
            s.push_str(&words(&mut b, 4));
        }
    }
    s
}

/// Checks what every reader promises of a document.
fn check(doc: &Document) {
    if let Err(e) = doc.validate() {
        panic!("invalid document from {}: {e}", doc.source);
    }
    assert!(!doc.text.trim().is_empty(), "a document with no text");
}

fn read_and_check(name: &str, bytes: &[u8]) {
    for doc in read_bytes(name, bytes).into_iter().flatten() {
        check(&doc);
    }
}

/// Plain text: raw bytes (any encoding, NULs, BOMs), and the same bytes as UTF-16.
pub fn text(data: &[u8]) {
    read_and_check("f.txt", data);
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(String::from_utf8_lossy(data).encode_utf16().flat_map(u16::to_le_bytes));
    read_and_check("f.txt", &utf16);
}

/// Web pages: raw bytes, and structure built from them.
pub fn html(data: &[u8]) {
    read_and_check("f.html", data);
    read_and_check("f.html", html_from(data).as_bytes());
}

/// JSON lines: raw bytes, and lines built from them.
pub fn jsonl(data: &[u8]) {
    read_and_check("f.jsonl", data);
    read_and_check("f.jsonl", jsonl_from(data).as_bytes());
}

/// The date-line and dateline finders: a span they return lies inside their input.
pub fn date_line(data: &[u8]) {
    for line in [String::from_utf8_lossy(data).into_owned(), date_line_from(data)] {
        let _ = parse_date_line(&line);
        if let Some((_, start, end)) = detect_dateline(&line) {
            assert!(start <= end && end <= line.len(), "dateline {start}..{end} outside {line:?}");
            assert!(line.is_char_boundary(start) && line.is_char_boundary(end), "dateline not on char boundaries");
        }
    }
}

/// Tokens and sentences: sorted, inside the text, on character boundaries, every sentence
/// made of whole tokens and within the sentence cap.
pub fn tokenize(data: &[u8]) {
    let mut b = Bytes::new(data);
    for text in [String::from_utf8_lossy(data).into_owned(), words(&mut b, 400)] {
        let tokens = dateline_nlp::tokenize(&text);
        let mut prev_end = 0;
        for t in &tokens {
            assert!(prev_end <= t.start && t.start < t.end && t.end <= text.len(), "token {t:?} after {prev_end}");
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end), "token {t:?} off boundaries");
            prev_end = t.end;
        }
        let sentences = dateline_nlp::segment(&text, &tokens);
        let mut prev_end = 0;
        for s in &sentences {
            assert!(prev_end <= s.start && s.start < s.end && s.end <= text.len(), "sentence {s:?}");
            let inside = tokens.iter().filter(|t| t.start >= s.start && t.end <= s.end).count();
            assert!(inside > 0 && inside <= dateline_nlp::MAX_SENTENCE_TOKENS, "sentence {s:?} of {inside} tokens");
            prev_end = s.end;
        }
    }
}

/// The TimeML reader: errors, never panics; gold spans lie inside the text it returns.
pub fn timeml(data: &[u8]) {
    for xml in [String::from_utf8_lossy(data).into_owned(), timeml_from(data)] {
        if let Ok(doc) = dateline_time::timeml::parse("f.tml", &xml) {
            for g in &doc.timexes {
                assert!(g.start <= g.end && g.end <= doc.text.len(), "gold timex outside the text");
            }
        }
    }
}

/// The whole annotation pipeline on text built from bytes: no stage panics, and the document
/// stays valid.
pub fn pipeline(data: &[u8]) {
    use std::sync::OnceLock;
    static PIPELINE: OnceLock<dateline_pipeline::Pipeline> = OnceLock::new();
    let p = PIPELINE.get_or_init(dateline_pipeline::Pipeline::standard);
    let mut b = Bytes::new(data);
    let text = words(&mut b, 300);
    if text.trim().is_empty() {
        return;
    }
    let mut doc = Document::new("f.txt", text);
    if data.first().is_some_and(|x| x.is_multiple_of(2)) {
        doc.published = "2024-03-30".parse().ok();
    }
    p.annotate(&mut doc);
    check(&doc);
}

/// A small deterministic generator (xorshift) for runs without a coverage-guided fuzzer.
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Self {
        Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Up to `max` random bytes, biased towards short inputs and printable text.
    pub fn input(&mut self, max: usize) -> Vec<u8> {
        let n = (self.next_u64() as usize % max.max(1)) >> (self.next_u64() % 4);
        (0..n)
            .map(|_| {
                let r = self.next_u64();
                if r.is_multiple_of(4) {
                    (r >> 8) as u8
                } else {
                    b" etaoinshrdluETAOIN.,<>\"'/&;:-\n"[(r >> 8) as usize % 31]
                }
            })
            .collect()
    }
}

/// Runs `target` on random inputs until `budget` is spent (at least once). Returns how many
/// inputs ran; a broken invariant panics with the input's seed and bytes.
pub fn run_random(target: &Target, seed: u64, budget: std::time::Duration) -> usize {
    let started = std::time::Instant::now();
    let mut rng = Random::new(seed);
    let mut n = 0;
    loop {
        let input = rng.input(4096);
        let outcome = std::panic::catch_unwind(|| (target.run)(&input));
        if let Err(e) = outcome {
            let why = e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()));
            panic!("target {} failed on input {n} of seed {seed}: {why:?}\ninput bytes: {input:?}", target.name);
        }
        n += 1;
        if started.elapsed() >= budget {
            return n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A short run of every target, as CI does (`dateline-fuzz` runs them for longer).
    #[test]
    fn every_target_survives_a_short_random_run() {
        for t in TARGETS {
            let n = run_random(t, 7, Duration::from_millis(1500));
            assert!(n > 0);
        }
    }

    #[test]
    fn hostile_builders_make_what_they_say() {
        let deep = html_from(&[4, 0, 255, 0]);
        assert!(deep.matches("<div>").count() >= 255 * 64, "deep nesting");
        assert!(jsonl_from(&[3, 0, 4, 0]).contains("\\ud800"), "{}", jsonl_from(&[3, 0, 4, 0]));
        for t in TARGETS {
            (t.run)(&[]);
        }
    }
}
