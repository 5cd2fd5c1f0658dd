//! JSON lines: one article per line, `{"text"|"html", "url", "title", "published", "outlet"}`.

use crate::article::Parts;
use crate::html::read_html;
use crate::text::paragraphs_of;
use crate::{IngestError, Reason};
use dateline_model::Published;

/// Parses one line; `source` already names the file and line.
pub fn read_json_line(source: &str, line: &str) -> Result<Parts, IngestError> {
    let err = |reason: Reason| IngestError { input: source.to_string(), reason };
    let v: serde_json::Value = serde_json::from_str(line).map_err(|e| err(Reason::Json(e.to_string())))?;
    let obj = v.as_object().ok_or_else(|| err(Reason::Json("expected a JSON object".into())))?;
    let field = |k: &str| obj.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let url = field("url");
    let source_name = url.clone().unwrap_or_else(|| source.to_string());
    let mut parts = if let Some(html) = field("html") {
        read_html(&source_name, &html)
    } else if let Some(text) = field("text") {
        Parts { source: source_name, paragraphs: paragraphs_of(&text), ..Default::default() }
    } else {
        return Err(err(Reason::Json("no \"text\" or \"html\" field".into())));
    };
    if let Some(t) = field("title") {
        parts.title = Some(t);
    }
    if let Some(p) = field("published") {
        let p: Published =
            p.parse().map_err(|e: dateline_model::ParsePublishedError| err(Reason::Json(e.to_string())))?;
        parts.published = Some((p, "jsonl:published".into()));
    }
    if let Some(o) = field("outlet").or_else(|| field("source")) {
        parts.outlet = Some(o);
    }
    Ok(parts)
}
