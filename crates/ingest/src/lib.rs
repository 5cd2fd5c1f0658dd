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
pub use html::{limit_nesting, MAX_NESTING};
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
    /// Cleaned text (or raw input) over the size limit: (its size, the limit), in bytes.
    TooLarge {
        bytes: u64,
        limit: u64,
        what: &'static str,
    },
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mb = |b: u64| b as f64 / 1e6;
        match self {
            Reason::Io(e) => write!(f, "cannot read: {e}"),
            Reason::NotText(e) => write!(f, "{e}"),
            Reason::Json(e) => write!(f, "invalid JSON line: {e}"),
            Reason::TooLarge { bytes, limit, what } => write!(
                f,
                "too large: {:.1} MB of {what}, over the limit of {:.1} MB (raise it with --max-doc-bytes)",
                mb(*bytes),
                mb(*limit)
            ),
        }
    }
}

/// How much one document may hold. Each stage is linear in the text, but a 50 MB "article"
/// is a dump, not news, and would hold a worker (and its memory) for minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of cleaned text one document may have.
    pub max_doc_bytes: u64,
}

impl Limits {
    /// 10 MB of cleaned text: some 200 times a long article.
    pub const DEFAULT_MAX_DOC_BYTES: u64 = 10_000_000;

    /// Bytes of raw input (a text or HTML file, a JSON line) read for one document: a page
    /// carries markup and furniture beside its text, so this is a multiple of the text limit.
    pub fn max_input_bytes(&self) -> u64 {
        self.max_doc_bytes.saturating_mul(8)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_doc_bytes: Limits::DEFAULT_MAX_DOC_BYTES }
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
    read_bytes_within(name, bytes, &Limits::default())
}

/// [`read_bytes`] under the given limits: an input or document over them is an error that
/// says so, found before the costly work.
pub fn read_bytes_within(name: &str, bytes: &[u8], limits: &Limits) -> Vec<Result<Document, IngestError>> {
    let err = |reason: Reason| IngestError { input: name.to_string(), reason };
    let format = detect_format(name, bytes);
    if format != Format::JsonLines && bytes.len() as u64 > limits.max_input_bytes() {
        return vec![Err(err(Reason::TooLarge {
            bytes: bytes.len() as u64,
            limit: limits.max_input_bytes(),
            what: "input for one document",
        }))];
    }
    let text = match decode(bytes) {
        Ok(t) => t,
        Err(e) => return vec![Err(err(Reason::NotText(e)))],
    };
    match format {
        Format::Text => {
            // Cleaned text is never longer than the text: skip before splitting it up.
            if text.len() as u64 > limits.max_doc_bytes {
                let limit = limits.max_doc_bytes;
                return vec![Err(err(Reason::TooLarge { bytes: text.len() as u64, limit, what: "text" }))];
            }
            let parts = Parts { source: name.to_string(), paragraphs: paragraphs_of(&text), ..Default::default() };
            vec![checked(assemble(parts), name, limits)]
        }
        Format::Html => {
            let parts = html::read_html(name, &text);
            if parts.paragraphs.is_empty() {
                return vec![Err(err(Reason::NotText("no article text found in the page".into())))];
            }
            vec![checked(assemble(parts), name, limits)]
        }
        Format::JsonLines => text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, line)| json_line_document(&format!("{name}:{}", i + 1), line, limits))
            .collect(),
    }
}

/// A document assembled from `input` as every reader leaves it: an error when it holds
/// nothing but page furniture or more text than the limit allows.
fn checked(doc: Document, input: &str, limits: &Limits) -> Result<Document, IngestError> {
    let err = |reason| Err(IngestError { input: input.to_string(), reason });
    if doc.text.trim().is_empty() {
        // Every paragraph was page furniture ("Share", "Email", "Read more").
        err(Reason::NotText("empty: nothing but page furniture".into()))
    } else if doc.text.len() as u64 > limits.max_doc_bytes {
        err(Reason::TooLarge { bytes: doc.text.len() as u64, limit: limits.max_doc_bytes, what: "cleaned text" })
    } else {
        Ok(doc)
    }
}

/// The document of one JSON line (`source` names the file and line), read whole or streamed.
fn json_line_document(source: &str, line: &str, limits: &Limits) -> Result<Document, IngestError> {
    let err = |reason| Err(IngestError { input: source.to_string(), reason });
    if line.len() as u64 > limits.max_input_bytes() {
        return err(Reason::TooLarge { bytes: line.len() as u64, limit: limits.max_input_bytes(), what: "JSON line" });
    }
    let parts = jsonl::read_json_line(source, line)?;
    if parts.paragraphs.is_empty() {
        return err(Reason::NotText("empty: no article text".into()));
    }
    checked(assemble(parts), source, limits)
}

/// Reads one file (or `-` for standard input, or a named pipe).
pub fn read_path(path: &Path) -> Vec<Result<Document, IngestError>> {
    read_path_within(path, &Limits::default())
}

/// [`read_path`] under the given limits. A text or HTML file over the input limit is reported
/// from its size alone, without reading it.
pub fn read_path_within(path: &Path, limits: &Limits) -> Vec<Result<Document, IngestError>> {
    let name = path.display().to_string();
    let err = |reason| vec![Err(IngestError { input: name.clone(), reason })];
    let bytes = if name == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map(|_| buf)
    } else {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                return err(Reason::Io("is a folder (name it without a file to read it all)".into()))
            }
            Ok(m)
                if m.is_file()
                    && m.len() > limits.max_input_bytes()
                    && detect_format(&name, &[]) != Format::JsonLines =>
            {
                return err(Reason::TooLarge {
                    bytes: m.len(),
                    limit: limits.max_input_bytes(),
                    what: "input for one document",
                });
            }
            _ => {}
        }
        std::fs::read(path)
    };
    match bytes {
        Ok(b) => read_bytes_within(&name, &b, limits),
        Err(e) => err(Reason::Io(e.to_string())),
    }
}

/// Reads a JSON lines file one line at a time, handing each document (or error) to `each` as
/// soon as it is read: a file of a million articles never sits in memory whole. A file that
/// starts with a UTF-16 byte-order mark is read whole and decoded instead.
pub fn stream_json_lines(
    path: &Path,
    limits: &Limits,
    mut each: impl FnMut(Result<Document, IngestError>),
) -> Result<(), IngestError> {
    use std::io::BufRead;
    let name = path.display().to_string();
    let io = |e: std::io::Error| IngestError { input: name.clone(), reason: Reason::Io(e.to_string()) };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(path).map_err(io)?);
    if reader.fill_buf().map_err(io)?.starts_with(&[0xff, 0xfe])
        || reader.fill_buf().map_err(io)?.starts_with(&[0xfe, 0xff])
    {
        read_path_within(path, limits).into_iter().for_each(each);
        return Ok(());
    }
    let mut line = Vec::new();
    let mut number = 0usize;
    let mut seen_any = false;
    loop {
        line.clear();
        // Read at most the input limit (and one byte more, to know it was passed) per line.
        let cap = limits.max_input_bytes() + 1;
        let n = std::io::Read::take(&mut reader, cap).read_until(b'\n', &mut line).map_err(io)?;
        if n == 0 {
            break;
        }
        number += 1;
        let source = format!("{name}:{number}");
        if line.len() as u64 >= cap && line.last() != Some(&b'\n') {
            // Skip the rest of the overlong line.
            let mut rest = Vec::new();
            let mut skipped = line.len() as u64;
            loop {
                rest.clear();
                let k = std::io::Read::take(&mut reader, 1 << 20).read_until(b'\n', &mut rest).map_err(io)?;
                skipped += k as u64;
                if k == 0 || rest.last() == Some(&b'\n') {
                    break;
                }
            }
            each(Err(IngestError {
                input: source,
                reason: Reason::TooLarge { bytes: skipped, limit: limits.max_input_bytes(), what: "JSON line" },
            }));
            continue;
        }
        let text = match std::str::from_utf8(&line) {
            Ok(t) => t,
            Err(e) => {
                each(Err(IngestError {
                    input: source,
                    reason: Reason::Json(format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1)),
                }));
                continue;
            }
        };
        let text = if number == 1 { text.trim_start_matches('\u{feff}') } else { text };
        if text.trim().is_empty() {
            continue;
        }
        seen_any = true;
        each(json_line_document(&source, text.trim_end_matches(['\n', '\r']), limits));
    }
    if !seen_any {
        each(Err(IngestError { input: name.clone(), reason: Reason::NotText("empty: no text in the input".into()) }));
    }
    Ok(())
}

/// What [`discover`] found: files to read, and what it passed over or could not list.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    /// Files in folders whose extension is not an article format.
    pub passed_over: Vec<PathBuf>,
    /// Files in folders that document the folder rather than report news (README, LICENSE,
    /// COPYING, in any case and with any extension).
    pub notes_skipped: Vec<PathBuf>,
    pub errors: Vec<IngestError>,
}

/// Names of files that describe a folder of articles, never articles themselves.
fn is_folder_note(path: &Path) -> bool {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_ascii_uppercase();
    matches!(stem.as_str(), "README" | "LICENSE" | "LICENCE" | "COPYING" | "CHANGELOG" | "NOTICE" | "AUTHORS")
}

/// Expands paths: files as given, folders recursively (sorted, hidden entries skipped), `-` as
/// is. A named pipe (or `<(…)` process substitution) named explicitly is read like a file;
/// inside folders only regular files are taken. Symbolic links are followed, but each folder
/// is walked once: a link back up the tree is reported as a loop and not followed.
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    let mut visited = std::collections::HashSet::new();
    for p in paths {
        if p.as_os_str() == "-" {
            found.files.push(p.clone());
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut visited, &mut found),
            Ok(m) if m.is_file() || is_pipe(&m) => found.files.push(p.clone()),
            Ok(m) => found.errors.push(IngestError {
                input: p.display().to_string(),
                reason: Reason::Io(format!("{}, not a file or folder", file_kind(&m))),
            }),
            Err(e) => {
                let why = if std::fs::symlink_metadata(p).is_ok() {
                    format!("a symbolic link to nothing ({e})")
                } else if e.kind() == std::io::ErrorKind::NotFound {
                    "no such file or folder".to_string()
                } else {
                    e.to_string()
                };
                found.errors.push(IngestError { input: p.display().to_string(), reason: Reason::Io(why) })
            }
        }
    }
    found
}

#[cfg(unix)]
fn is_pipe(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    m.file_type().is_fifo() || m.file_type().is_char_device()
}

#[cfg(not(unix))]
fn is_pipe(_: &std::fs::Metadata) -> bool {
    false
}

#[cfg(unix)]
fn file_kind(m: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = m.file_type();
    if t.is_socket() {
        "a socket"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_fifo() {
        "a named pipe"
    } else if t.is_char_device() {
        "a character device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn file_kind(_: &std::fs::Metadata) -> &'static str {
    "a special file"
}

/// A folder's identity, whatever path reaches it.
#[cfg(unix)]
fn folder_key(m: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn folder_key(_: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// Walks folders with an explicit stack (a tree may be as deep as it likes), in sorted order.
fn walk(root: &Path, visited: &mut std::collections::HashSet<(u64, u64)>, found: &mut Discovered) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let key = match std::fs::metadata(&dir) {
            Ok(m) => folder_key(&m),
            Err(e) => {
                found.errors.push(IngestError { input: dir.display().to_string(), reason: Reason::Io(e.to_string()) });
                continue;
            }
        };
        if cfg!(unix) && !visited.insert(key) {
            found.errors.push(IngestError {
                input: dir.display().to_string(),
                reason: Reason::Io("a symbolic link loop (this folder was already walked); not followed".into()),
            });
            continue;
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                found.errors.push(IngestError { input: dir.display().to_string(), reason: Reason::Io(e.to_string()) });
                continue;
            }
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let mut subfolders = Vec::new();
        for p in paths {
            if p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
                continue;
            }
            let Ok(m) = std::fs::metadata(&p) else {
                found.errors.push(IngestError {
                    input: p.display().to_string(),
                    reason: Reason::Io("a symbolic link to nothing".into()),
                });
                continue;
            };
            if m.is_dir() {
                subfolders.push(p);
            } else if m.is_file() {
                let ext = p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
                if is_folder_note(&p) {
                    found.notes_skipped.push(p);
                    continue;
                }
                match ext {
                    None => found.files.push(p),
                    Some(e) if KNOWN_EXTENSIONS.contains(&e.as_str()) => found.files.push(p),
                    Some(_) => found.passed_over.push(p),
                }
            } else {
                found.passed_over.push(p);
            }
        }
        // Depth first, in sorted order: the stack pops the first subfolder next.
        stack.extend(subfolders.into_iter().rev());
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
    fn a_page_of_nothing_but_furniture_is_no_document() {
        // Found by the fuzzer: " email" was a document with empty text.
        for (name, input) in
            [("f.txt", " email"), ("f.html", "<p>Share</p><p>Read more</p>"), ("f.jsonl", "{\"text\": \"Print\"}")]
        {
            let got = read_bytes(name, input.as_bytes());
            assert!(
                got.iter().all(|r| r.as_ref().is_err_and(|e| e.reason.to_string().contains("furniture"))),
                "{name}: {got:?}"
            );
        }
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
