//! Plain text: decoding, line endings, paragraphs.

/// Splits text into paragraphs at blank lines.
pub fn paragraphs_of(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim_start_matches('\u{feff}');
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            if !cur.is_empty() {
                cur.push('\n');
            }
            cur.push_str(line.trim_end());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Why bytes are not article text, if they are not.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty: no text in the input".into());
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err("binary data, not text (NUL bytes)".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => {
            // Legacy single-byte text (Latin-1/Windows-1252) has no control characters; random
            // or binary data almost always does.
            let controls = bytes.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
            if controls * 1000 > bytes.len() {
                return Err("binary data, not text (invalid UTF-8 with control bytes)".into());
            }
            Ok(bytes.iter().map(|&b| b as char).collect())
        }
    }
}
