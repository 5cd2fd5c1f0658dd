//! Web pages: metadata from `<meta>`/`<title>`/`<time>`/JSON-LD, and the main text.
//!
//! Main-content extraction: drop elements that are never article text (scripts, navigation,
//! forms, asides, and elements whose class or id names comments, sharing, related links, …),
//! then take the block elements under the container that holds the most paragraph text.

use crate::article::Parts;
use crate::dates::parse_date_line;
use dateline_model::Published;
use scraper::node::Node;
use scraper::{ElementRef, Html, Selector};

const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button", "template",
    "select", "input", "textarea", "figure", "menu", "dialog", "object", "video", "audio", "canvas",
];

/// Class or id fragments of page furniture.
const SKIP_MARKERS: &[&str] = &[
    "comment",
    "share",
    "social",
    "related",
    "sidebar",
    "menu",
    "navbar",
    "breadcrumb",
    "footer",
    "subscribe",
    "newsletter",
    "cookie",
    "advert",
    "promo",
    "widget",
    "popup",
    "modal",
    "banner",
    "byline-share",
    "tags",
    "author-bio",
    "reply",
    "respond",
    "recommend",
    "trending",
    "most-read",
    "sponsor",
    "paywall",
    "signup",
];

const BLOCKS: &[&str] = &["p", "h2", "h3", "h4", "blockquote", "li", "pre"];

fn is_skipped(el: &ElementRef) -> bool {
    let v = el.value();
    if SKIP_TAGS.contains(&v.name()) {
        return true;
    }
    if v.attr("hidden").is_some() || v.attr("aria-hidden") == Some("true") {
        return true;
    }
    let marks = format!("{} {}", v.attr("class").unwrap_or(""), v.attr("id").unwrap_or("")).to_ascii_lowercase();
    // Article bodies often carry words like "article-comments-count"; only whole class tokens
    // that start with a marker count.
    marks.split(|c: char| c.is_whitespace()).any(|m| SKIP_MARKERS.iter().any(|s| m.starts_with(s) || m.ends_with(s)))
}

/// The text of an element with whitespace collapsed, skipping furniture inside it. Iterative:
/// a page may nest elements as deep as it likes.
fn inline_text(el: ElementRef, out: &mut String) {
    let mut stack: Vec<_> = el.children().rev().collect();
    while let Some(node) = stack.pop() {
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if e.name() == "br" => out.push(' '),
            Node::Element(_) => {
                if let Some(ce) = ElementRef::wrap(node) {
                    if !is_skipped(&ce) {
                        stack.extend(ce.children().rev());
                    }
                }
            }
            _ => {}
        }
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Block texts in document order under `el`, each with the number of the container element
/// whose child it is (containers are numbered as the walk enters them). Iterative, with an
/// explicit stack, for the same reason as [`inline_text`].
fn blocks(el: ElementRef, out: &mut Vec<(usize, String)>) {
    let mut next_container = 0;
    let mut stack: Vec<(ElementRef, usize)> =
        el.children().rev().filter_map(ElementRef::wrap).map(|c| (c, 0)).collect();
    while let Some((ce, container)) = stack.pop() {
        if is_skipped(&ce) {
            continue;
        }
        if BLOCKS.contains(&ce.value().name()) {
            let mut s = String::new();
            inline_text(ce, &mut s);
            let s = collapse(&s);
            if !s.is_empty() {
                out.push((container, s));
            }
        } else {
            next_container += 1;
            let id = next_container;
            stack.extend(ce.children().rev().filter_map(ElementRef::wrap).map(|c| (c, id)));
        }
    }
}

/// The deepest nesting of elements kept from a page. Articles nest a few dozen deep; the HTML
/// parser's work per tag grows with the depth of open elements, so a page nested 100,000 deep
/// would take minutes. Deeper tags are dropped (their text stays).
pub const MAX_NESTING: usize = 256;

/// Elements that never hold others (so never deepen the nesting), and those whose end tag a
/// page may leave out, which the parser closes by itself (`<p>` after `<p>`, `<li>` after
/// `<li>`): neither counts towards the depth.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "p",
    "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb", "rt", "rp", "colgroup",
    "caption", "html", "head", "body",
];

/// Where the first `</name` (in any case) after `from` starts, or the end of `html`.
fn end_tag(html: &str, from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(k) = html[at..].find("</") {
        let tag = at + k + 2;
        if html.as_bytes().get(tag..tag + name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes())) {
            return at + k;
        }
        at = tag;
    }
    html.len()
}

/// `html` with every tag beyond [`MAX_NESTING`] open elements removed, in one pass. The count
/// is lexical (tags as written), which is all that is needed to bound the parser's work.
pub fn limit_nesting(html: &str) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    let mut depth = 0usize;
    // Per tag name, how many of its open tags were dropped (so its end tags are dropped too).
    let mut dropped: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        // Comments and raw text (scripts, styles) hold no tags.
        let skip_to = |pat: &str, from: usize| html[from..].find(pat).map_or(html.len(), |k| from + k + pat.len());
        if html[start..].starts_with("<!--") {
            i = skip_to("-->", start + 4);
            continue;
        }
        let end = match html[start..].find('>') {
            Some(k) => start + k + 1,
            None => break,
        };
        let closing = b.get(start + 1) == Some(&b'/');
        let name_start = start + 1 + closing as usize;
        let name_len = b[name_start..end].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        if name_len == 0 {
            i = end;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let self_closing = b[end - 2] == b'/';
        let mut drop = false;
        if closing {
            if let Some(n) = dropped.get_mut(&name).filter(|n| **n > 0) {
                *n -= 1;
                drop = true;
            } else if !NOT_NESTING.contains(&name.as_str()) {
                depth = depth.saturating_sub(1);
            }
        } else if !self_closing && !NOT_NESTING.contains(&name.as_str()) {
            if depth >= MAX_NESTING {
                *dropped.entry(name.clone()).or_default() += 1;
                drop = true;
            } else {
                depth += 1;
            }
        }
        if drop {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied..start]);
            copied = end;
        }
        i = if !closing && matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            end_tag(html, end, &name)
        } else {
            end
        };
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[copied..]);
            std::borrow::Cow::Owned(o)
        }
    }
}

fn meta(doc: &Html, selectors: &[&str]) -> Option<(String, String)> {
    for s in selectors {
        let sel = Selector::parse(s).expect("static selector");
        if let Some(el) = doc.select(&sel).next() {
            let v = el.value().attr("content").or_else(|| el.value().attr("datetime")).map(str::trim).unwrap_or("");
            if !v.is_empty() {
                return Some((v.to_string(), s.to_string()));
            }
        }
    }
    None
}

fn parse_any_date(s: &str) -> Option<Published> {
    s.parse::<Published>().ok().or_else(|| parse_date_line(s))
}

/// Extracts the parts of a web page.
pub fn read_html(source: &str, html: &str) -> Parts {
    let html = limit_nesting(html);
    let doc = Html::parse_document(&html);
    let mut parts = Parts { source: source.to_string(), ..Default::default() };
    parts.outlet = meta(&doc, &["meta[property=\"og:site_name\"]", "meta[name=\"application-name\"]"]).map(|(v, _)| v);
    let h1 = Selector::parse("h1").expect("static selector");
    let h1_text = doc.select(&h1).next().map(|e| collapse(&e.text().collect::<String>())).filter(|t| !t.is_empty());
    let title_tag = Selector::parse("title").expect("static selector");
    parts.title = meta(&doc, &["meta[property=\"og:title\"]", "meta[name=\"twitter:title\"]"])
        .map(|(v, _)| v)
        .or(h1_text)
        .or_else(|| {
            let t = collapse(&doc.select(&title_tag).next()?.text().collect::<String>());
            // "Headline | Outlet" → "Headline".
            let cut = [" | ", " - ", " — ", " – "].iter().filter_map(|s| t.rfind(s)).max();
            Some(match cut {
                Some(i) if i > 10 => t[..i].to_string(),
                _ => t,
            })
        });
    parts.published = meta(
        &doc,
        &[
            "meta[property=\"article:published_time\"]",
            "meta[itemprop=\"datePublished\"]",
            "meta[name=\"pubdate\"]",
            "meta[name=\"publishdate\"]",
            "meta[name=\"date\"]",
            "meta[name=\"dc.date\"]",
            "meta[name=\"DC.date.issued\"]",
            "time[datetime]",
        ],
    )
    .and_then(|(v, field)| parse_any_date(&v).map(|p| (p, field)))
    .or_else(|| json_ld_date(&doc));

    let body_sel = Selector::parse("body").expect("static selector");
    let root = doc.select(&body_sel).next().unwrap_or_else(|| doc.root_element());
    let mut found = Vec::new();
    blocks(root, &mut found);
    // The container with the most paragraph text is the article; keep its blocks and those of
    // containers that hold at least a third as much (articles split across several divs).
    let mut score: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for (parent, text) in &found {
        *score.entry(*parent).or_default() += text.len();
    }
    let best = score.values().copied().max().unwrap_or(0);
    parts.paragraphs =
        found.into_iter().filter(|(parent, _)| score[parent] * 3 >= best).map(|(_, text)| text).collect();
    parts
}

/// `"datePublished": "…"` in a JSON-LD block.
fn json_ld_date(doc: &Html) -> Option<(Published, String)> {
    let sel = Selector::parse("script[type=\"application/ld+json\"]").expect("static selector");
    for el in doc.select(&sel) {
        let text: String = el.text().collect();
        let i = text.find("\"datePublished\"")?;
        let rest = &text[i + 15..];
        let start = rest.find('"')? + 1;
        let end = start + rest[start..].find('"')?;
        if let Some(p) = parse_any_date(&rest[start..end]) {
            return Some((p, "json-ld:datePublished".into()));
        }
    }
    None
}
