//! Readers: everything between a file (or stdin, or a JSON line) and a cleaned [`Document`].
//!
//! Owns: input discovery (files, folders, `-`), format detection, decoding, the format readers
//! (plain text, HTML, JSON lines), boilerplate removal, and the document-level metadata found in
//! the input itself: title, publication date (metadata or a date line), dateline place, outlet.
//!
//! Must never: annotate (no tokens, entities, dates inside the text: that is the pipeline's),
//! touch the store, or invent metadata: what the input does not say stays `None`.
//! Reading files is the only I/O here, and it happens in [`read_path`] and [`discover`] alone;
//! the readers themselves are pure functions of the bytes.

mod article;
mod dates;
mod html;
mod jsonl;
mod text;

pub use article::{assemble, detect_dateline, Parts};
pub use dates::parse_date_line;
pub use text::{decode, paragraphs_of};

use dateline_model::Document;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    JsonLines,
}

/// Why an input produced no document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Io(String),
    NotText(String),
    Json(String),
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Io(e) => write!(f, "cannot read: {e}"),
            Reason::NotText(e) => write!(f, "{e}"),
            Reason::Json(e) => write!(f, "invalid JSON line: {e}"),
        }
    }
}

/// An input that was reported and skipped. `input` names the file, and the line for JSON lines.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{input}: {reason}")]
pub struct IngestError {
    pub input: String,
    pub reason: Reason,
}

/// File extensions read when walking a folder; a file named explicitly is always read.
const KNOWN_EXTENSIONS: &[&str] = &["txt", "text", "html", "htm", "xhtml", "jsonl", "ndjson", "json", "md"];

/// Guesses the format from the name, then from the first bytes.
pub fn detect_format(name: &str, bytes: &[u8]) -> Format {
    let ext = Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xhtml" => return Format::Html,
        "jsonl" | "ndjson" | "json" => return Format::JsonLines,
        _ => {}
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).trim_start().to_ascii_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
    {
        Format::Html
    } else if head.starts_with('{') {
        Format::JsonLines
    } else {
        Format::Text
    }
}

/// Reads the documents in `bytes` named `name`: one for text and HTML, one per line for JSON
/// lines. Pure: no I/O.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Vec<Result<Document, IngestError>> {
    let err = |reason: Reason| IngestError { input: name.to_string(), reason };
    let text = match decode(bytes) {
        Ok(t) => t,
        Err(e) => return vec![Err(err(Reason::NotText(e)))],
    };
    match detect_format(name, bytes) {
        Format::Text => vec![Ok(assemble(Parts {
            source: name.to_string(),
            paragraphs: paragraphs_of(&text),
            ..Default::default()
        }))],
        Format::Html => {
            let parts = html::read_html(name, &text);
            if parts.paragraphs.is_empty() {
                return vec![Err(err(Reason::NotText("no article text found in the page".into())))];
            }
            vec![Ok(assemble(parts))]
        }
        Format::JsonLines => text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, line)| {
                let source = format!("{name}:{}", i + 1);
                let parts = jsonl::read_json_line(&source, line)?;
                if parts.paragraphs.is_empty() {
                    return Err(IngestError {
                        input: source,
                        reason: Reason::NotText("empty: no article text".into()),
                    });
                }
                Ok(assemble(parts))
            })
            .collect(),
    }
}

/// Reads one file (or `-` for standard input).
pub fn read_path(path: &Path) -> Vec<Result<Document, IngestError>> {
    let name = path.display().to_string();
    let bytes = if name == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    };
    match bytes {
        Ok(b) => read_bytes(&name, &b),
        Err(e) => vec![Err(IngestError { input: name, reason: Reason::Io(e.to_string()) })],
    }
}

/// What [`discover`] found: files to read, and what it passed over or could not list.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    /// Files in folders whose extension is not an article format.
    pub passed_over: Vec<PathBuf>,
    pub errors: Vec<IngestError>,
}

/// Expands paths: files as given, folders recursively (sorted, hidden entries skipped), `-` as is.
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    for p in paths {
        if p.as_os_str() == "-" || p.is_file() {
            found.files.push(p.clone());
        } else if p.is_dir() {
            walk(p, &mut found);
        } else {
            found.errors.push(IngestError {
                input: p.display().to_string(),
                reason: Reason::Io("no such file or folder".into()),
            });
        }
    }
    found
}

fn walk(dir: &Path, found: &mut Discovered) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            found.errors.push(IngestError { input: dir.display().to_string(), reason: Reason::Io(e.to_string()) });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
            continue;
        }
        if p.is_dir() {
            walk(&p, found);
        } else if p.is_file() {
            let ext = p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            match ext {
                None => found.files.push(p),
                Some(e) if KNOWN_EXTENSIONS.contains(&e.as_str()) => found.files.push(p),
                Some(_) => found.passed_over.push(p),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_main_content() {
        let page = r#"<!doctype html><html><head><title>Dam deal signed | River Post</title>
<meta property="og:site_name" content="River Post">
<meta property="article:published_time" content="2024-05-02T10:15:00+02:00"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<header><p>Breaking: subscribe now for full access to every story today</p></header>
<div class="article-body"><h1>Dam deal signed</h1>
<p>LINZ - Officials from two valleys signed a water deal on Thursday.</p>
<p>The deal ends a dispute that began in 2019, the mayor said.</p>
<div class="share-tools"><p>Share on Facebook Share on Twitter Share by email</p></div></div>
<section id="comments"><h3>Leave A Reply</h3><p>Your email address will not be published.</p></section>
<footer><p>Copyright River Post, all rights reserved, no reuse without permission.</p></footer></body></html>"#;
        let docs = read_bytes("page.html", page.as_bytes());
        let doc = docs[0].as_ref().unwrap();
        assert_eq!(doc.title.as_deref(), Some("Dam deal signed"));
        assert_eq!(doc.outlet.as_deref(), Some("River Post"));
        assert_eq!(doc.published.unwrap().to_string(), "2024-05-02T10:15+02:00");
        assert_eq!(doc.dateline.as_ref().unwrap().place, "Linz");
        assert_eq!(
            doc.text,
            "Dam deal signed\n\nLINZ - Officials from two valleys signed a water deal on Thursday.\n\nThe deal ends a dispute that began in 2019, the mayor said."
        );
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        assert!(read_bytes("e.txt", b"").pop().unwrap().is_err());
        assert!(read_bytes("e.txt", b"  \n\n ").pop().unwrap().is_err());
        let random: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
        assert!(read_bytes("r.bin", &random).pop().unwrap().is_err());
        let lines = read_bytes("b.jsonl", b"{\"text\": \"One line of news.\"}\nnot json\n\n{\"url\": \"x\"}\n");
        assert!(lines[0].is_ok());
        assert_eq!(lines[1].as_ref().unwrap_err().input, "b.jsonl:2");
        assert_eq!(lines[2].as_ref().unwrap_err().input, "b.jsonl:4");
    }
}
