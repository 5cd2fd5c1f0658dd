//! Plain text: decoding, line endings, paragraphs.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

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

/// UTF-16 without a byte-order mark: text in a Latin script has a NUL in every other byte.
/// Returns the encoding when at least 90 % of the even (big-endian) or odd (little-endian)
/// bytes of the head are NUL and almost none of the others are.
fn bomless_utf16(head: &[u8]) -> Option<&'static Encoding> {
    let pairs = head.len() / 2;
    if pairs < 8 {
        return None;
    }
    let zeros = |parity: usize| head.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 >= pairs * 9 && even * 20 < pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 9 && odd * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Decodes the bytes of a text input to a string, or says why they are not article text.
///
/// UTF-8 (with or without a byte-order mark) is read as it is; UTF-16 with a byte-order mark,
/// or without one when its NUL bytes give it away, is decoded; any other bytes are decoded in
/// the legacy charset that detection finds most likely (Windows-1252, Shift_JIS, KOI8-R, …), so
/// long as they do not look like binary data.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return non_empty(text.into_owned());
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        if let Some(encoding) = bomless_utf16(head) {
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            return non_empty(text.into_owned());
        }
        return Err("binary data, not text (NUL bytes)".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => non_empty(s.to_string()),
        Err(_) => {
            // Legacy text has next to no control characters; random or binary data has many.
            let controls = bytes.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
            if controls * 1000 > bytes.len() {
                return Err("binary data, not text (invalid UTF-8 with control bytes)".into());
            }
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            let encoding = detector.guess(None, true);
            let (text, _, _) = encoding.decode(bytes);
            non_empty(text.into_owned())
        }
    }
}

fn non_empty(text: String) -> Result<String, String> {
    if text.chars().all(|c| c.is_whitespace() || c == '\u{feff}') {
        Err("empty: no text in the input".into())
    } else {
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some(0xfeffu16).into_iter().chain(text.encode_utf16());
        for u in units {
            out.extend(if big_endian { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        out
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let text = "Ferry service resumes — Tromsø harbour reopened on Monday.";
        for be in [false, true] {
            assert_eq!(decode(&utf16(text, be, true)).unwrap(), text);
            assert_eq!(decode(&utf16(text, be, false)).unwrap(), text);
        }
        let mut with_bom = vec![0xef, 0xbb, 0xbf];
        with_bom.extend(text.as_bytes());
        assert_eq!(decode(&with_bom).unwrap(), text);
    }

    #[test]
    fn legacy_charsets_are_detected() {
        // "Café à Genève a fermé." in Windows-1252.
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode("Le café à Genève a fermé ses portes à midi.");
        assert_eq!(decode(&latin).unwrap(), "Le café à Genève a fermé ses portes à midi.");
        let (cyrillic, _, _) = encoding_rs::KOI8_R.encode("Паром снова ходит через залив после ремонта причала.");
        assert_eq!(decode(&cyrillic).unwrap(), "Паром снова ходит через залив после ремонта причала.");
    }

    #[test]
    fn empty_and_binary_inputs_say_so() {
        assert!(decode(b"").unwrap_err().starts_with("empty"));
        assert!(decode(&[0xff, 0xfe]).unwrap_err().starts_with("empty"));
        assert!(decode(b"\x00\x01\x02\x03\x04\x05binary\x00\x00\x07").unwrap_err().starts_with("binary"));
    }
}
