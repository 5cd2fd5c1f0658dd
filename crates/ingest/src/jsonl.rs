//! JSON lines: one article per line, `{"text"|"html", "url", "title", "published", "outlet"}`.

use crate::article::Parts;
use crate::html::read_html;
use crate::text::paragraphs_of;
use crate::{IngestError, Reason};
use dateline_model::Published;
use std::borrow::Cow;

/// JSON's name for the type of a value, for error messages.
fn type_name(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Replaces `\uXXXX` escapes of lone UTF-16 surrogates (a high one not followed by a low one,
/// or a low one alone) with `\ufffd`, the replacement character. JavaScript writes such
/// strings when it cuts text between the halves of an emoji; they are not Unicode, and one
/// cut should not cost the whole article.
fn replace_lone_surrogates(line: &str) -> Cow<'_, str> {
    if !line.contains("\\u") {
        return Cow::Borrowed(line);
    }
    let b = line.as_bytes();
    let escape_at = |i: usize| -> Option<u16> {
        let hex = line.get(i + 2..i + 6)?;
        (b[i] == b'\\' && b[i + 1] == b'u').then(|| u16::from_str_radix(hex, 16).ok()).flatten()
    };
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(unit) = escape_at(i) else {
            // Any other escape: skip the backslash and the character it escapes ("\\u…" is
            // a literal backslash before "u…").
            i += 2;
            continue;
        };
        let high = (0xd800..0xdc00).contains(&unit);
        let low = (0xdc00..0xe000).contains(&unit);
        if high && escape_at(i + 6).is_some_and(|next| (0xdc00..0xe000).contains(&next)) {
            i += 12;
        } else if high || low {
            out.push_str(&line[last..i]);
            out.push_str("\\ufffd");
            i += 6;
            last = i;
        } else {
            i += 6;
        }
    }
    if last == 0 {
        return Cow::Borrowed(line);
    }
    out.push_str(&line[last..]);
    Cow::Owned(out)
}

/// Parses one line; `source` already names the file and line.
pub fn read_json_line(source: &str, line: &str) -> Result<Parts, IngestError> {
    let err = |reason: Reason| IngestError { input: source.to_string(), reason };
    let line = replace_lone_surrogates(line);
    let v: serde_json::Value = serde_json::from_str(&line).map_err(|e| err(Reason::Json(e.to_string())))?;
    let obj =
        v.as_object().ok_or_else(|| err(Reason::Json(format!("expected a JSON object, found {}", type_name(&v)))))?;
    // A field that is there must be a string (or null, which is as good as absent).
    let field = |k: &str| -> Result<Option<String>, IngestError> {
        match obj.get(k) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => {
                Err(err(Reason::Json(format!("field \"{k}\" must be a string, found {}", type_name(other)))))
            }
        }
    };
    let url = field("url")?;
    let source_name = url.clone().unwrap_or_else(|| source.to_string());
    let mut parts = if let Some(html) = field("html")? {
        read_html(&source_name, &html)
    } else if let Some(text) = field("text")? {
        Parts { source: source_name, paragraphs: paragraphs_of(&text), ..Default::default() }
    } else {
        let keys: Vec<&str> = obj.keys().map(String::as_str).take(8).collect();
        return Err(err(Reason::Json(format!(
            "no \"text\" or \"html\" field (the object has {})",
            if keys.is_empty() { "no fields".to_string() } else { keys.join(", ") }
        ))));
    };
    if let Some(t) = field("title")? {
        parts.title = Some(t);
    }
    if let Some(p) = field("published")? {
        let p: Published = p
            .parse()
            .map_err(|e: dateline_model::ParsePublishedError| err(Reason::Json(format!("field \"published\": {e}"))))?;
        parts.published = Some((p, "jsonl:published".into()));
    }
    if let Some(o) = field("outlet")?.or(field("source")?) {
        parts.outlet = Some(o);
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(line: &str) -> String {
        match read_json_line("f.jsonl:3", line) {
            Err(e) => e.reason.to_string(),
            Ok(_) => "ok".into(),
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert!(reason(r#"{"text": 42}"#).contains("field \"text\" must be a string, found a number"));
        assert!(reason(r#"{"text": "A ferry sank.", "title": ["x"]}"#).contains("\"title\" must be a string"));
        assert!(reason(r#"["a"]"#).contains("expected a JSON object, found an array"));
        assert!(reason(r#"{"body": "x", "id": 3}"#).contains("the object has body, id"));
        assert!(reason(r#"{"text": "A ferry sank.", "published": "soon"}"#).contains("field \"published\""));
        assert_eq!(reason(r#"{"text": "A ferry sank.", "title": null}"#), "ok");
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let parts = read_json_line(
            "f",
            r#"{"text": "Cut \ud83d here, kept \ud83d\ude00 there, low \ude00 alone, \\ud800 literal."}"#,
        )
        .unwrap();
        assert_eq!(parts.paragraphs, ["Cut \u{fffd} here, kept 😀 there, low \u{fffd} alone, \\ud800 literal."]);
    }
}
