//! HTML written through one builder that escapes every piece of text it is given.
//!
//! Article text, titles, names and source addresses come from outside: a page holds them only
//! as escaped text or as attribute values in double quotes, and a link to a source is written
//! only for `http:` and `https:` addresses. Markup itself comes only from `&'static str`
//! literals in this crate, so a value read from a document cannot reach [`Html::raw`].

use std::fmt::Write as _;

/// A page or a part of one, built by appending.
#[derive(Default)]
pub struct Html {
    out: String,
}

impl Html {
    pub fn new() -> Html {
        Html { out: String::with_capacity(16 * 1024) }
    }

    /// Markup written by this crate (never a value read from a document: the `'static`
    /// bound keeps those out).
    pub fn raw(&mut self, markup: &'static str) -> &mut Self {
        self.out.push_str(markup);
        self
    }

    /// Text, escaped for an element's content or a double-quoted attribute value.
    pub fn text(&mut self, s: &str) -> &mut Self {
        escape_into(&mut self.out, s);
        self
    }

    /// A number or other `Display` value, escaped like text.
    pub fn display(&mut self, v: impl std::fmt::Display) -> &mut Self {
        let mut s = String::new();
        let _ = write!(s, "{v}");
        escape_into(&mut self.out, &s);
        self
    }

    /// `<tag attr="value" …>` with every value escaped.
    pub fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) -> &mut Self {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');
        self
    }

    pub fn close(&mut self, tag: &'static str) -> &mut Self {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        self
    }

    /// `<tag attrs>text</tag>`.
    pub fn elem(&mut self, tag: &'static str, attrs: &[(&'static str, &str)], text: &str) -> &mut Self {
        self.open(tag, attrs).text(text).close(tag)
    }

    /// A link inside this site: `href` is a path this crate built (see [`Query`]).
    pub fn link(&mut self, href: &str, text: &str) -> &mut Self {
        self.elem("a", &[("href", href)], text)
    }

    /// A link to an outside address, written only for http(s) addresses (a `javascript:` or
    /// `data:` address is shown as text, not linked).
    pub fn outside_link(&mut self, url: &str) -> &mut Self {
        if is_web_address(url) {
            self.elem("a", &[("href", url), ("rel", "noopener noreferrer nofollow")], url)
        } else {
            self.elem("span", &[("class", "source-text")], url)
        }
    }

    pub fn into_string(self) -> String {
        self.out
    }
}

/// Whether an address is one a page may link to.
pub fn is_web_address(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && !url.chars().any(char::is_control)
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters (other than line breaks and tabs) are not text a browser
            // should be handed.
            c if c.is_control() && c != '\n' && c != '\t' && c != '\r' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// A path with a query string, each value percent-encoded.
pub struct Query {
    out: String,
    first: bool,
}

impl Query {
    pub fn new(path: &str) -> Query {
        Query { out: path.to_string(), first: true }
    }

    /// Adds `name=value` (nothing when `value` is empty).
    pub fn arg(mut self, name: &str, value: &str) -> Query {
        if value.is_empty() {
            return self;
        }
        self.out.push(if self.first { '?' } else { '&' });
        self.first = false;
        self.out.push_str(name);
        self.out.push('=');
        percent_encode_into(&mut self.out, value);
        self
    }

    pub fn opt(self, name: &str, value: Option<&str>) -> Query {
        match value {
            Some(v) => self.arg(name, v),
            None => self,
        }
    }

    pub fn build(self) -> String {
        self.out
    }
}

/// Percent-encodes one path segment or query value.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    percent_encode_into(&mut out, s);
    out
}

fn percent_encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_bad_links_are_not_links() {
        let mut h = Html::new();
        h.elem("p", &[("title", "a\"b")], "<script>alert(1)</script> & 'x'");
        h.outside_link("javascript:alert(1)");
        h.outside_link("https://example.org/a?b=1&c=2");
        let s = h.into_string();
        assert_eq!(
            s,
            "<p title=\"a&quot;b\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;x&#39;</p>\
             <span class=\"source-text\">javascript:alert(1)</span>\
             <a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"noopener noreferrer nofollow\">https://example.org/a?b=1&amp;c=2</a>"
        );
    }

    #[test]
    fn queries_are_encoded() {
        let q = Query::new("/events").arg("actor", "al-Nakhalah & co").arg("type", "").arg("since", "2024-01-01");
        assert_eq!(q.build(), "/events?actor=al-Nakhalah%20%26%20co&since=2024-01-01");
        assert!(!is_web_address(" JavaScript:alert(1)"));
        assert!(is_web_address("HTTPS://example.org"));
    }
}
