//! The storage form of a document: how the store keeps its layers, compactly.
//!
//! JSON is the contract at the edges ([`crate::wire`]); inside the database it cost eleven
//! bytes per byte of text, four fifths of it in per-token objects. The storage form keeps the
//! token and sentence layers as delta-coded varints (a token is three bytes or so), the other
//! layers as the contract's JSON less the copies of the text, and deflates the lot. The text
//! itself is stored beside it, uncompressed, where search can read it.
//!
//! Layout (before deflate): `version: u8`, then varint-prefixed sections — the JSON of the
//! other layers, the part-of-speech tag table, the tokens (gaps, lengths, tags: a column
//! each), the sentences (gaps, lengths), then the syntax columns: relations (by a table like
//! the tags'), heads (relative to the token, zigzag-coded) and lemmas (most are the word or its
//! lowercase, one byte each). Offsets are byte
//! offsets into the text (the in-memory form); code points are the contract's business.
//!
//! Reading checks every span against the text, so a damaged row is an error, never a panic.

use crate::{wire, Document, Sentence, Span, Token};
use std::borrow::Cow;
use std::io::{Read, Write};

/// Version 1: tags, tokens, sentences. Version 2 adds the syntax columns (lemma, head,
/// relation) after the sentences; version 1 rows still read.
const VERSION: u8 = 2;

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at).ok_or("storage form ends inside a number")?;
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err("storage form holds a number over 64 bits".into())
    }

    fn usize(&mut self) -> Result<usize, String> {
        usize::try_from(self.varint()?).map_err(|_| "storage form holds a number too large".to_string())
    }

    fn bytes(&mut self) -> Result<&'a [u8], String> {
        let n = self.usize()?;
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or("storage form is cut short")?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }
}

/// The document's layers in storage form (its text is stored apart).
pub fn encode(doc: &Document) -> Vec<u8> {
    let json = wire::to_storage_json_without_tokens(doc);
    let mut raw = Vec::with_capacity(json.len() + doc.tokens.len() * 3 + 64);
    raw.push(VERSION);
    put_varint(&mut raw, json.len() as u64);
    raw.extend_from_slice(json.as_bytes());
    // Tag table, in order of first use; token tags refer to it by index + 1 (0: no tag).
    let mut tags: Vec<&str> = Vec::new();
    let mut tag_ids = Vec::with_capacity(doc.tokens.len());
    for t in &doc.tokens {
        tag_ids.push(match t.pos.as_deref() {
            None => 0,
            Some(p) => match tags.iter().position(|x| *x == p) {
                Some(i) => i + 1,
                None => {
                    tags.push(p);
                    tags.len()
                }
            },
        });
    }
    put_varint(&mut raw, tags.len() as u64);
    for t in &tags {
        put_varint(&mut raw, t.len() as u64);
        raw.extend_from_slice(t.as_bytes());
    }
    // Column by column (all gaps, then all lengths): each column repeats a few small values,
    // which deflate codes in a fraction of a byte each.
    let spans = |raw: &mut Vec<u8>, spans: &[Span]| {
        let mut prev_end = 0usize;
        for s in spans {
            // Gaps are never negative in a sorted layer; a wrapped difference still decodes.
            put_varint(raw, s.start.wrapping_sub(prev_end) as u64);
            prev_end = s.end;
        }
        for s in spans {
            put_varint(raw, (s.end - s.start) as u64);
        }
    };
    put_varint(&mut raw, doc.tokens.len() as u64);
    spans(&mut raw, &doc.tokens.iter().map(|t| t.span).collect::<Vec<_>>());
    for id in tag_ids {
        put_varint(&mut raw, id as u64);
    }
    put_varint(&mut raw, doc.sentences.len() as u64);
    spans(&mut raw, &doc.sentences.iter().map(|s| s.span).collect::<Vec<_>>());
    // Relations: a table, then an id per token (0: unparsed).
    let mut rels: Vec<&str> = Vec::new();
    let rel_ids: Vec<usize> = doc
        .tokens
        .iter()
        .map(|t| match t.deprel.as_deref() {
            None => 0,
            Some(r) => rels.iter().position(|x| *x == r).map_or_else(
                || {
                    rels.push(r);
                    rels.len()
                },
                |i| i + 1,
            ),
        })
        .collect();
    put_varint(&mut raw, rels.len() as u64);
    for r in &rels {
        put_varint(&mut raw, r.len() as u64);
        raw.extend_from_slice(r.as_bytes());
    }
    for id in rel_ids {
        put_varint(&mut raw, id as u64);
    }
    // Heads: 0 for none (the root, or unparsed), else the zigzag of (head - index) plus one.
    for (i, t) in doc.tokens.iter().enumerate() {
        let code = t.head.map_or(0, |h| {
            let d = h as i64 - i as i64;
            (((d << 1) ^ (d >> 63)) as u64) + 1
        });
        put_varint(&mut raw, code);
    }
    // Lemmas: 0 none, 1 the word's lowercase, 2 the word as written, 3 spelt out.
    for t in &doc.tokens {
        let word = &doc.text[t.span.start..t.span.end];
        match t.lemma.as_deref() {
            None => raw.push(0),
            // Compared without allocating: this runs for every token stored.
            Some(l) if l.chars().eq(word.chars().flat_map(char::to_lowercase)) => raw.push(1),
            Some(l) if l == word => raw.push(2),
            Some(l) => {
                raw.push(3);
                put_varint(&mut raw, l.len() as u64);
                raw.extend_from_slice(l.as_bytes());
            }
        }
    }
    let mut z = flate2::write::DeflateEncoder::new(Vec::with_capacity(raw.len() / 3), flate2::Compression::default());
    z.write_all(&raw).expect("writing to memory");
    z.finish().expect("writing to memory")
}

/// Reads a document back from its storage form and its text.
pub fn decode(stored: &[u8], text: &str) -> Result<Document, String> {
    let mut raw = Vec::with_capacity(stored.len() * 4);
    flate2::read::DeflateDecoder::new(stored).read_to_end(&mut raw).map_err(|e| format!("storage form: {e}"))?;
    let mut r = Reader { bytes: &raw, at: 0 };
    let version = *raw.first().ok_or("storage form is empty")?;
    if version == 0 || version > VERSION {
        return Err(format!("storage form version {version}, this build reads 1 to {VERSION}"));
    }
    r.at = 1;
    let json = std::str::from_utf8(r.bytes()?).map_err(|_| "storage form: JSON is not UTF-8".to_string())?;
    let mut doc = wire::from_storage_json(json, text).map_err(|e| e.to_string())?;
    let mut tags: Vec<Cow<'static, str>> = Vec::new();
    for _ in 0..r.usize()? {
        let t = std::str::from_utf8(r.bytes()?).map_err(|_| "storage form: tag is not UTF-8".to_string())?;
        tags.push(Cow::Owned(t.to_string()));
    }
    let span_list = |r: &mut Reader, n: usize| -> Result<Vec<Span>, String> {
        let n = n.min(r.bytes.len());
        let gaps = (0..n).map(|_| r.usize()).collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::with_capacity(n);
        let mut prev_end = 0usize;
        for gap in gaps {
            let start = prev_end.wrapping_add(gap);
            let end = start.checked_add(r.usize()?).ok_or("storage form: span overflows")?;
            if end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                return Err(format!("storage form: span {start}..{end} is not a range of the text"));
            }
            out.push(Span::new(start, end));
            prev_end = end;
        }
        Ok(out)
    };
    let n = r.usize()?;
    let token_spans = span_list(&mut r, n)?;
    doc.tokens = Vec::with_capacity(n);
    for span in token_spans {
        let id = r.usize()?;
        let pos = match id {
            0 => None,
            i => Some(tags.get(i - 1).cloned().ok_or("storage form: unknown tag")?),
        };
        doc.tokens.push(Token { pos, ..Token::new(span) });
    }
    let n = r.usize()?;
    doc.sentences = span_list(&mut r, n)?.into_iter().map(|span| Sentence { span }).collect();
    if version >= 2 {
        let mut rels: Vec<Cow<'static, str>> = Vec::new();
        for _ in 0..r.usize()? {
            let t = std::str::from_utf8(r.bytes()?).map_err(|_| "storage form: relation is not UTF-8".to_string())?;
            rels.push(Cow::Owned(t.to_string()));
        }
        let n = doc.tokens.len();
        for t in doc.tokens.iter_mut() {
            t.deprel = match r.usize()? {
                0 => None,
                i => Some(rels.get(i - 1).cloned().ok_or("storage form: unknown relation")?),
            };
        }
        for i in 0..n {
            doc.tokens[i].head = match r.varint()? {
                0 => None,
                code => {
                    let z = code - 1;
                    let d = ((z >> 1) as i64) ^ -((z & 1) as i64);
                    let h = i as i64 + d;
                    if h < 0 || h as usize >= n {
                        return Err(format!("storage form: head {h} of token {i} is not a token"));
                    }
                    Some(h as usize)
                }
            };
        }
        for t in doc.tokens.iter_mut() {
            let word = &text[t.span.start..t.span.end];
            let kind = *r.bytes.get(r.at).ok_or("storage form ends inside the lemmas")?;
            r.at += 1;
            t.lemma = match kind {
                0 => None,
                1 => Some(word.to_lowercase()),
                2 => Some(word.to_string()),
                3 => Some(
                    std::str::from_utf8(r.bytes()?)
                        .map_err(|_| "storage form: lemma is not UTF-8".to_string())?
                        .to_string(),
                ),
                k => return Err(format!("storage form: unknown lemma code {k}")),
            };
        }
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EntityType, Mention};

    #[test]
    fn round_trip_and_damage() {
        let text = "Ferry to Tromsø resumes.\n\nCrews returned on Monday.";
        let mut doc = Document::new("t.txt", text);
        let mut at = 0;
        for w in text.split_whitespace() {
            let start = text[at..].find(w).unwrap() + at;
            doc.tokens.push(Token {
                pos: Some(Cow::Borrowed("NN")),
                lemma: Some(w.to_lowercase()),
                deprel: Some(Cow::Borrowed("dep")),
                head: Some(0),
                ..Token::new(Span::new(start, start + w.len()))
            });
            at = start + w.len();
        }
        doc.tokens[1].pos = None;
        doc.tokens[0].head = None;
        doc.tokens[0].deprel = Some(Cow::Borrowed("root"));
        doc.tokens[1].lemma = Some("to".into());
        doc.tokens[2].lemma = Some("Tromsø".into());
        doc.tokens[3].lemma = Some("resume".into());
        doc.tokens[4].deprel = None;
        doc.tokens[4].head = None;
        doc.sentences.push(Sentence { span: Span::new(0, 24) });
        doc.sentences.push(Sentence { span: Span::new(26, text.len()) });
        doc.mentions.push(Mention { span: Span::new(9, 16), kind: EntityType::Place, country: None });
        let stored = encode(&doc);
        assert_eq!(decode(&stored, text).unwrap(), doc);
        // Damaged rows are errors.
        assert!(decode(&stored[..stored.len() / 2], text).is_err());
        assert!(decode(b"not deflate", text).is_err());
        assert!(decode(&stored, "short").is_err());
    }
}
