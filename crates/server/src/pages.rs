//! The web UI: server-rendered pages over the same queries as the API, written through
//! [`Html`] so every value from an article is escaped.
//!
//! Pages: `/` (articles, with search), `/doc/{id}` (an article with its annotations marked),
//! `/events` (filterable table and a timeline by day), `/actors` and `/actor/{id}`,
//! `/quotes`, `/network` (who acted on whom, laid out here in Rust), `/search`.

use crate::api::{actor_detail, find_document, kinds, Args};
use crate::html::{percent_encode, Html, Query};
use crate::layout::force_layout;
use crate::{AppState, Error};
use axum::extract::{Path, Query as QueryParams, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use dateline_model::{CharIndex, Document, Entity, EntityType, EventStatus, PublishedOrigin, Span};
use dateline_store::{DocumentFilter, EventRow, QuoteFilter, QuoteRow, MARK_END, MARK_START};
use std::collections::HashMap;
use std::sync::Arc;

type Shared = State<Arc<AppState>>;
type Params = QueryParams<HashMap<String, String>>;

/// Rows on one page of a list.
const PER_PAGE: usize = 25;

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(articles))
        .route("/doc/{id}", get(article))
        .route("/events", get(events))
        .route("/actors", get(actors))
        .route("/actor/{id}", get(actor))
        .route("/quotes", get(quotes))
        .route("/network", get(network))
        .route("/search", get(search))
}

/// A finished page.
struct Page(Response);

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        self.0
    }
}

fn html_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// The frame every page shares: navigation, the search box ("/" focuses it), the content.
fn frame(title: &str, active: &'static str, query: &str, body: Html) -> String {
    let mut h = Html::new();
    h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .open("title", &[])
        .text(title)
        .text(" · dateline")
        .close("title")
        .raw("<link rel=\"stylesheet\" href=\"/assets/style.css\"><script src=\"/assets/app.js\" defer></script></head><body>")
        .raw("<a class=\"skip\" href=\"#main\">Skip to content</a><header class=\"top\"><a class=\"brand\" href=\"/\">dateline</a><nav aria-label=\"Sections\">");
    for (href, name) in [
        ("/", "Articles"),
        ("/events", "Events"),
        ("/actors", "Actors"),
        ("/quotes", "Quotes"),
        ("/network", "Network"),
    ] {
        if name == active {
            h.open("a", &[("href", href), ("aria-current", "page")]).text(name).close("a");
        } else {
            h.link(href, name);
        }
    }
    h.raw("</nav><form class=\"search\" role=\"search\" action=\"/search\" method=\"get\">")
        .raw("<label for=\"q\" class=\"visually-hidden\">Search articles and actors</label>")
        .open(
            "input",
            &[
                ("id", "q"),
                ("name", "q"),
                ("type", "search"),
                ("value", query),
                ("placeholder", "Search text and actors  ( / )"),
                ("accesskey", "s"),
            ],
        )
        .raw("<button type=\"submit\">Search</button></form></header><main id=\"main\" tabindex=\"-1\">");
    let mut out = h.into_string();
    out.push_str(&body.into_string());
    out.push_str("</main><footer>Every mark and field points to its evidence in the stored text. <a href=\"/api/openapi.json\">API</a></footer></body></html>");
    out
}

fn page(title: &str, active: &'static str, query: &str, body: Html) -> Page {
    Page(html_response(StatusCode::OK, frame(title, active, query, body)))
}

fn error_page(e: Error) -> Page {
    let mut h = Html::new();
    h.elem("h1", &[], if e.status == StatusCode::NOT_FOUND { "Not found" } else { "Something went wrong" });
    h.elem("p", &[("class", "error")], &e.message);
    h.raw("<p><a href=\"/\">All articles</a></p>");
    Page(html_response(e.status, frame("Error", "", "", h)))
}

pub(crate) async fn not_found() -> Response {
    error_page(Error::not_found("There is no page at this address.")).into_response()
}

/// "Page 2 of 9" with previous and next links; `url(offset)` builds a page's address.
fn pager(h: &mut Html, offset: usize, per_page: usize, total: usize, url: impl Fn(usize) -> String) {
    if total <= per_page && offset == 0 {
        return;
    }
    let pages = total.div_ceil(per_page).max(1);
    let current = offset / per_page + 1;
    h.raw("<nav class=\"pager\" aria-label=\"Pages\">");
    if offset > 0 {
        h.open("a", &[("href", &url(offset.saturating_sub(per_page))), ("rel", "prev")]).raw("← Previous").close("a");
    }
    h.open("span", &[]).text(&format!("Page {current} of {pages} ({total} in all)")).close("span");
    if offset + per_page < total {
        h.open("a", &[("href", &url(offset + per_page)), ("rel", "next")]).raw("Next →").close("a");
    }
    h.raw("</nav>");
}

fn offset_of(a: &Args) -> usize {
    a.usize("offset", 0, usize::MAX / 2).unwrap_or(0)
}

/// An FTS snippet: text with the matches between [`MARK_START`] and [`MARK_END`].
fn snippet(h: &mut Html, s: &str) {
    h.raw("<p class=\"snippet\">");
    let mut rest = s;
    while let Some(i) = rest.find(MARK_START) {
        h.text(&rest[..i]);
        rest = &rest[i + MARK_START.len_utf8()..];
        let j = rest.find(MARK_END).unwrap_or(rest.len());
        h.elem("mark", &[], &rest[..j]);
        rest = rest.get(j + MARK_END.len_utf8()..).unwrap_or("");
    }
    h.text(rest).raw("</p>");
}

// ---------------------------------------------------------------------------------------------
// Articles

async fn articles(State(state): Shared, QueryParams(q): Params) -> Page {
    let a = Args(&q);
    let offset = offset_of(&a);
    let text = a.str("q");
    let outlet = a.str("outlet");
    let (since, until) = match a.period() {
        Ok(p) => p,
        Err(e) => return error_page(e),
    };
    let filter = DocumentFilter {
        text: text.clone(),
        outlet: outlet.clone(),
        since: since.clone(),
        until: until.clone(),
        offset,
        limit: PER_PAGE,
    };
    let result = state.read(move |s| Ok((s.documents(&filter)?, s.count()?, s.event_count()?))).await;
    let ((total, rows), all, events) = match result {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    let mut h = Html::new();
    h.elem("h1", &[], "Articles");
    h.open("p", &[("class", "lede")])
        .text(&format!("{all} articles stored, {events} events coded. Open one to see who, what, when and who says so, marked in its text."))
        .close("p");
    h.raw("<form class=\"filters\" method=\"get\" action=\"/\">");
    field(&mut h, "Words", "q", text.as_deref().unwrap_or(""), "text", "");
    field(&mut h, "Outlet", "outlet", outlet.as_deref().unwrap_or(""), "text", "");
    field(&mut h, "Published from", "since", since.as_deref().unwrap_or(""), "date", "");
    field(&mut h, "to", "until", until.as_deref().unwrap_or(""), "date", "");
    h.raw("<button type=\"submit\">Filter</button></form>");
    if rows.is_empty() {
        h.raw("<p class=\"empty\">No article matches. Ingest some with <code>dateline ingest</code> or <code>POST /api/documents</code>.</p>");
    } else {
        h.raw("<table class=\"list\"><thead><tr><th scope=\"col\">Published</th><th scope=\"col\">Title</th><th scope=\"col\">Outlet</th><th scope=\"col\">Names</th><th scope=\"col\">Events</th><th scope=\"col\">Quotes</th></tr></thead><tbody>");
        for d in &rows {
            h.raw("<tr><td class=\"date\">").text(d.published.as_deref().unwrap_or("undated")).raw("</td><td>");
            h.link(&format!("/doc/{}", percent_encode(&d.id)), d.title.as_deref().unwrap_or("(untitled)"));
            if let Some(s) = &d.snippet {
                snippet(&mut h, s);
            }
            h.raw("</td><td>").text(d.outlet.as_deref().unwrap_or("")).raw("</td>");
            h.raw("<td class=\"num\">").display(d.mentions).raw("</td><td class=\"num\">").display(d.events);
            h.raw("</td><td class=\"num\">").display(d.quotes).raw("</td></tr>");
        }
        h.raw("</tbody></table>");
    }
    pager(&mut h, offset, PER_PAGE, total, |o| {
        Query::new("/")
            .opt("q", text.as_deref())
            .opt("outlet", outlet.as_deref())
            .opt("since", since.as_deref())
            .opt("until", until.as_deref())
            .arg("offset", &o.to_string())
            .build()
    });
    page("Articles", "Articles", "", h)
}

/// A labelled `<select>` of (value, label) options, `selected` chosen; a value not among the
/// options (typed into the address) is kept as one more option rather than dropped.
fn select(h: &mut Html, label: &str, name: &'static str, options: &[(&str, String)], selected: &str) {
    let id = format!("f-{name}");
    h.raw("<label>").text(label).raw(" ").open("select", &[("name", name), ("id", &id)]);
    let extra = (!options.iter().any(|(v, _)| *v == selected)).then(|| (selected, selected.to_string()));
    for (value, text) in options.iter().map(|(v, t)| (*v, t.clone())).chain(extra) {
        let mut attrs: Vec<(&'static str, &str)> = vec![("value", value)];
        if value == selected {
            attrs.push(("selected", ""));
        }
        h.open("option", &attrs).text(&text).close("option");
    }
    h.raw("</select></label> ");
}

/// A labelled form field.
fn field(h: &mut Html, label: &str, name: &'static str, value: &str, kind: &'static str, list: &'static str) {
    let id = format!("f-{name}");
    h.raw("<label>").text(label).raw(" ");
    let mut attrs: Vec<(&'static str, &str)> = vec![("id", &id), ("name", name), ("type", kind), ("value", value)];
    if !list.is_empty() {
        attrs.push(("list", list));
    }
    h.open("input", &attrs).raw("</label> ");
}

// ---------------------------------------------------------------------------------------------
// One article

/// What one stretch of the text is marked as.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mark {
    Quote(usize),
    Mention(usize),
    Timex(usize),
    Trigger(usize),
}

struct Marked {
    span: Span,
    mark: Mark,
}

async fn article(State(state): Shared, Path(id): Path<String>) -> Page {
    let result = state
        .read(move |s| {
            let doc = find_document(s, &id)?;
            let ids = s.document_identities(&doc.id)?;
            let provenance = s.provenance(&doc.id)?;
            Ok((doc, ids, provenance))
        })
        .await;
    let (doc, ids, provenance) = match result {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    let title = doc.title.clone().unwrap_or_else(|| "(untitled)".into());
    let h = render_article(&doc, &ids, provenance.as_ref().map(|p| p.1.as_str()));
    page(&title, "Articles", "", h)
}

/// The identity page of the entity a span refers to, when it has one.
fn actor_href(doc: &Document, ids: &HashMap<usize, i64>, span: Span, entity: Option<usize>) -> Option<String> {
    let e = entity.or_else(|| Entity::at(&doc.entities, span))?;
    ids.get(&e).map(|i| format!("/actor/{i}"))
}

fn render_article(doc: &Document, ids: &HashMap<usize, i64>, ingested_at: Option<&str>) -> Html {
    let mut h = Html::new();
    let chars = CharIndex::new(&doc.text);
    h.raw("<article class=\"doc\">");
    h.elem("h1", &[], doc.title.as_deref().unwrap_or("(untitled)"));
    h.raw("<dl class=\"meta\">");
    h.raw("<dt>Published</dt><dd>");
    match &doc.published {
        Some(p) => {
            h.elem("span", &[("class", "published")], &p.to_string());
            let why = match &doc.published_origin {
                Some(PublishedOrigin::Text(span)) => format!("from the text: “{}”", doc.slice(*span)),
                Some(PublishedOrigin::Metadata(field)) => format!("from the page's metadata ({field})"),
                Some(PublishedOrigin::User) => "given when it was ingested".to_string(),
                None => String::new(),
            };
            if !why.is_empty() {
                h.elem("span", &[("class", "evidence")], &format!(" {why}"));
            }
        }
        None => {
            h.raw("unknown <span class=\"evidence\">(the article does not say; relative dates in it stay unresolved)</span>");
        }
    }
    h.raw("</dd>");
    if let Some(d) = &doc.dateline {
        h.raw("<dt>Dateline</dt><dd>").text(&d.place).raw("</dd>");
    }
    if let Some(o) = &doc.outlet {
        h.raw("<dt>Outlet</dt><dd>").text(o).raw("</dd>");
    }
    h.raw("<dt>Source</dt><dd>").outside_link(&doc.source).raw("</dd>");
    h.raw("<dt>Document</dt><dd><code>").text(&doc.id).raw("</code>");
    if let Some(at) = ingested_at {
        h.text(&format!(", stored {at}"));
    }
    h.raw(" · ").link(&format!("/api/documents/{}", percent_encode(&doc.id)), "JSON").raw(" · ");
    h.link(&Query::new("/events").arg("doc", &doc.id).build(), "its events in the table");
    h.raw("</dd></dl>");
    h.raw("<div class=\"legend\" aria-label=\"Legend\"><span class=\"m m-PERSON\">person</span> <span class=\"m m-ORG\">organisation</span> <span class=\"m m-PLACE\">place</span> <span class=\"m m-MISC\">other name</span> <span class=\"t\">date or time</span> <span class=\"q\">quoted or reported words</span> <span class=\"ev\">event</span></div>");

    // Marks, innermost last: quotes hold names, dates and events.
    let mut marks: Vec<Marked> = Vec::new();
    for (k, q) in doc.quotes.iter().enumerate() {
        marks.push(Marked { span: q.content, mark: Mark::Quote(k) });
    }
    for (i, m) in doc.mentions.iter().enumerate() {
        marks.push(Marked { span: m.span, mark: Mark::Mention(i) });
    }
    for (i, t) in doc.timexes.iter().enumerate() {
        marks.push(Marked { span: t.span, mark: Mark::Timex(i) });
    }
    for (k, e) in doc.events.iter().enumerate() {
        marks.push(Marked { span: e.trigger, mark: Mark::Trigger(k) });
    }
    marks.retain(|m| {
        m.span.start < m.span.end
            && m.span.end <= doc.text.len()
            && doc.text.is_char_boundary(m.span.start)
            && doc.text.is_char_boundary(m.span.end)
    });
    let mut cuts: Vec<usize> = vec![0, doc.text.len()];
    cuts.extend(marks.iter().flat_map(|m| [m.span.start, m.span.end]));
    cuts.sort_unstable();
    cuts.dedup();
    marks.sort_by_key(|m| m.mark);
    let mut first_seen: Vec<bool> = vec![false; doc.events.len()];
    h.raw("<div class=\"article-text\">");
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let active: Vec<&Marked> = marks.iter().filter(|m| m.span.start <= a && m.span.end >= b).collect();
        let mut closers: Vec<&'static str> = Vec::new();
        let mut in_link = false;
        for m in &active {
            match m.mark {
                Mark::Quote(k) => {
                    let q = &doc.quotes[k];
                    let who = q.speaker.map(|s| doc.slice(s).to_string()).unwrap_or_else(|| "unknown speaker".into());
                    let via: Vec<&str> = q.via.iter().map(|v| doc.slice(v.span)).collect();
                    let tip = if via.is_empty() {
                        format!("{} quote · {who}", q.kind.as_str())
                    } else {
                        format!("{} quote · {who} · via {}", q.kind.as_str(), via.join(" → "))
                    };
                    h.open("span", &[("class", "q"), ("title", &tip), ("data-quote", &k.to_string())]);
                    closers.push("span");
                }
                Mark::Mention(i) => {
                    let mention = &doc.mentions[i];
                    let kind = mention.kind.as_str();
                    let class = format!("m m-{kind}");
                    let mut tip = kind.to_string();
                    if let Some(c) = &mention.country {
                        tip.push_str(&format!(" · {c}"));
                    }
                    match actor_href(doc, ids, mention.span, None).filter(|_| !in_link) {
                        Some(href) => {
                            tip.push_str(" · open actor page");
                            h.open("a", &[("class", &class), ("href", &href), ("title", &tip)]);
                            in_link = true;
                            closers.push("a");
                        }
                        None => {
                            h.open("span", &[("class", &class), ("title", &tip)]);
                            closers.push("span");
                        }
                    }
                }
                Mark::Timex(i) => {
                    let t = &doc.timexes[i];
                    let tip =
                        format!("{} · {}", t.kind.as_str(), t.value.as_deref().unwrap_or("unresolved: no anchor"));
                    h.open(
                        "span",
                        &[("class", "t"), ("title", &tip), ("data-value", t.value.as_deref().unwrap_or(""))],
                    );
                    closers.push("span");
                }
                Mark::Trigger(k) => {
                    let e = &doc.events[k];
                    let tip = event_summary(doc, k);
                    let id = format!("trigger-{k}");
                    let id_attr = if first_seen[k] { "" } else { id.as_str() };
                    first_seen[k] = true;
                    let class = format!("ev ev-{}", e.status.as_str());
                    if in_link {
                        h.open("span", &[("class", &class), ("title", &tip)]);
                        closers.push("span");
                    } else {
                        let href = format!("#event-{k}");
                        let mut attrs: Vec<(&'static str, &str)> =
                            vec![("class", &class), ("href", &href), ("title", &tip), ("data-event", "")];
                        if !id_attr.is_empty() {
                            attrs.push(("id", id_attr));
                        }
                        h.open("a", &attrs);
                        in_link = true;
                        closers.push("a");
                    }
                }
            }
        }
        h.text(&doc.text[a..b]);
        for c in closers.iter().rev() {
            h.close(c);
        }
    }
    h.raw("</div>");

    // Event cards: every field with its evidence; the trigger links here and back.
    h.raw("<section class=\"events\" aria-labelledby=\"events-h\"><h2 id=\"events-h\">Events</h2>");
    if doc.events.is_empty() {
        h.raw("<p class=\"empty\">No event was coded in this article.</p>");
    }
    h.raw("<ol class=\"cards\">");
    for (k, e) in doc.events.iter().enumerate() {
        let id = format!("event-{k}");
        h.open("li", &[("id", &id), ("class", "card"), ("tabindex", "-1")]);
        h.raw("<h3>");
        h.elem("span", &[("class", "code")], &cameo_label(e.cameo.as_deref()));
        if let Some(p) = &e.plover {
            let mode = e.plover_mode.as_deref().map(|m| format!(" ({m})")).unwrap_or_default();
            h.elem("span", &[("class", "plover")], &format!(" · PLOVER {p}{mode}"));
        }
        h.elem(
            "span",
            &[("class", &format!("status status-{}", e.status.as_str()))],
            &format!(" · {}", e.status.as_str()),
        );
        if e.historical {
            h.raw(" · historical");
        }
        h.raw("</h3><dl>");
        let actors = |h: &mut Html, list: &[dateline_model::EventActor]| {
            if list.is_empty() {
                h.raw("<span class=\"none\">not stated</span>");
            }
            for (i, a) in list.iter().enumerate() {
                if i > 0 {
                    h.raw(", ");
                }
                let text = doc.slice(a.span);
                match actor_href(doc, ids, a.span, a.entity) {
                    Some(href) => h.link(&href, text),
                    None => h.text(text),
                };
                if let Some(c) = &a.code {
                    h.elem("code", &[], &format!(" {c}"));
                }
            }
        };
        h.raw("<dt>Who</dt><dd class=\"source\">");
        actors(&mut h, &e.source);
        h.raw("</dd><dt>Did</dt><dd class=\"trigger\">").text(doc.slice(e.trigger)).raw("</dd>");
        h.raw("<dt>To whom</dt><dd class=\"target\">");
        actors(&mut h, &e.target);
        h.raw("</dd><dt>When</dt><dd>");
        match e.time.and_then(|t| doc.timexes.iter().find(|x| x.span == t).map(|x| (t, x))) {
            Some((t, x)) => {
                h.text(&format!("“{}” = {}", doc.slice(t), x.value.as_deref().unwrap_or("unresolved")));
            }
            None => {
                h.raw("<span class=\"none\">no time of its own</span>");
                if let Some(p) = &doc.published {
                    h.text(&format!(" (reported {p})"));
                }
            }
        }
        h.raw("</dd>");
        if let Some(p) = e.place {
            h.raw("<dt>Where</dt><dd>").text(doc.slice(p)).raw("</dd>");
        }
        h.raw("<dt>According to</dt><dd>");
        match e.attribution.and_then(|a| doc.quotes.iter().find(|q| q.span == a || q.content == a)) {
            Some(q) => {
                let who = q.speaker.map(|s| doc.slice(s)).unwrap_or("an unnamed speaker");
                h.text(who);
                for v in &q.via {
                    h.text(&format!(", via {}", doc.slice(v.span)));
                }
            }
            None if e.attribution.is_some() => {
                h.raw("a quoted source");
            }
            None => {
                h.raw("the reporter (not attributed)");
            }
        }
        h.raw("</dd>");
        if !e.counts.is_empty() {
            h.raw("<dt>Counts</dt><dd>");
            for (i, c) in e.counts.iter().enumerate() {
                if i > 0 {
                    h.raw("; ");
                }
                h.text(&format!("{} {}: “{}”", c.count, c.kind.as_str(), doc.slice(c.span)));
            }
            h.raw("</dd>");
        }
        let (s, t) = chars.to_chars(e.span);
        h.raw("<dt>Evidence</dt><dd><q>").text(doc.slice(e.span)).raw("</q> ");
        h.elem("span", &[("class", "offsets")], &format!("characters {s}–{t}"));
        h.raw(" ").link(&format!("#trigger-{k}"), "show in text");
        h.raw("</dd></dl></li>");
    }
    h.raw("</ol></section>");

    // Quotes.
    if !doc.quotes.is_empty() {
        h.raw("<section class=\"quotes\" aria-labelledby=\"quotes-h\"><h2 id=\"quotes-h\">Who says so</h2><ol>");
        for q in &doc.quotes {
            h.raw("<li>");
            match q.speaker {
                Some(s) => {
                    match actor_href(doc, ids, s, None) {
                        Some(href) => h.link(&href, doc.slice(s)),
                        None => h.elem("strong", &[], doc.slice(s)),
                    };
                    if let Some(r) = q.speaker_refers_to.first() {
                        h.text(&format!(" (= {})", doc.slice(*r)));
                    }
                }
                None => {
                    h.raw("<em>unnamed</em>");
                }
            }
            if let Some(c) = q.cue {
                h.text(&format!(" {}", doc.slice(c)));
            }
            h.text(": ").open("q", &[]).text(doc.slice(q.content)).close("q");
            if !q.via.is_empty() {
                let via: Vec<&str> = q.via.iter().map(|v| doc.slice(v.span)).collect();
                h.elem("span", &[("class", "via")], &format!(" via {}", via.join(" → ")));
            }
            h.raw("</li>");
        }
        h.raw("</ol></section>");
    }

    // Who is named.
    if !doc.entities.is_empty() {
        h.raw("<section class=\"entities\" aria-labelledby=\"ent-h\"><h2 id=\"ent-h\">Who and what is named</h2><ul>");
        for (i, e) in doc.entities.iter().enumerate() {
            h.raw("<li>");
            h.elem("span", &[("class", &format!("kind m-{}", e.kind.as_str()))], e.kind.as_str()).raw(" ");
            match ids.get(&i) {
                Some(id) => h.link(&format!("/actor/{id}"), &e.name),
                None => h.text(&e.name),
            };
            h.text(&format!(" · {} reference{}", e.references.len(), if e.references.len() == 1 { "" } else { "s" }));
            h.raw("</li>");
        }
        h.raw("</ul></section>");
    }
    h.raw("</article>");
    h
}

/// One line that says what an event is: for a trigger's tooltip.
fn event_summary(doc: &Document, k: usize) -> String {
    let e = &doc.events[k];
    let names = |v: &[dateline_model::EventActor]| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.iter().map(|a| doc.slice(a.span)).collect::<Vec<_>>().join(", ")
        }
    };
    let time = e
        .time
        .and_then(|t| doc.timexes.iter().find(|x| x.span == t))
        .and_then(|x| x.value.clone())
        .unwrap_or_else(|| "no date".into());
    let status = e.status.as_str();
    let said_by = match e.attribution.and_then(|a| doc.quotes.iter().find(|q| q.span == a || q.content == a)) {
        Some(q) => {
            let mut who = q.speaker.map(|s| doc.slice(s).to_string()).unwrap_or_else(|| "an unnamed speaker".into());
            for v in &q.via {
                who.push_str(&format!(" via {}", doc.slice(v.span)));
            }
            format!("according to {who}")
        }
        None if e.attribution.is_some() => "according to a quoted source".into(),
        None => "stated by the reporter".into(),
    };
    format!(
        "{}{} · {} → {} · {} · {} · {}",
        cameo_label(e.cameo.as_deref()),
        e.plover.as_deref().map(|p| format!(" {p}")).unwrap_or_default(),
        names(&e.source),
        names(&e.target),
        time,
        status,
        said_by
    )
}

// ---------------------------------------------------------------------------------------------
// Events

fn actor_cells(h: &mut Html, cells: &[dateline_store::ActorCell], ids: &[i64]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            h.raw(", ");
        }
        h.text(&c.text);
    }
    if !ids.is_empty() {
        h.raw(" <span class=\"ids\">");
        for id in ids {
            h.link(&format!("/actor/{id}"), &format!("#{id}")).raw(" ");
        }
        h.raw("</span>");
    }
}

fn event_rows(h: &mut Html, rows: &[EventRow]) {
    h.raw("<table class=\"list events\"><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Who</th><th scope=\"col\">Did</th><th scope=\"col\">To whom</th><th scope=\"col\">Status</th><th scope=\"col\">Evidence</th></tr></thead><tbody>");
    for r in rows {
        h.raw("<tr><td class=\"date\">").text(r.date.as_deref().unwrap_or("undated"));
        if r.day.is_none() && r.date.is_some() {
            h.raw(" <span class=\"evidence\" title=\"the event names no day: the report's publication day\">(reported)</span>");
        }
        h.raw("</td><td>");
        actor_cells(h, &r.source, &r.source_ids);
        h.raw("</td><td>");
        h.elem("span", &[("class", "code")], r.cameo.as_deref().unwrap_or("–"));
        if let Some(p) = &r.plover {
            h.raw(" ").elem("span", &[("class", "plover")], p);
        }
        h.raw("</td><td>");
        actor_cells(h, &r.target, &r.target_ids);
        h.raw("</td><td>").elem("span", &[("class", &format!("status status-{}", r.status))], &r.status);
        h.raw("</td><td>");
        let text: String = r.text.chars().take(160).collect();
        let more = if r.text.chars().count() > 160 { "…" } else { "" };
        h.open("a", &[("href", &format!("/doc/{}#event-{}", percent_encode(&r.doc_id), r.k))])
            .text(&text)
            .text(more)
            .close("a");
        if let Some(t) = &r.doc_title {
            h.elem("div", &[("class", "from")], t);
        }
        h.raw("</td></tr>");
    }
    h.raw("</tbody></table>");
}

/// Bars of events per day (or per month, when the days are many), each a link to its days.
fn timeline(h: &mut Html, days: &[(String, usize)], link: impl Fn(&str, &str) -> String) {
    if days.is_empty() {
        return;
    }
    let by_month = days.len() > 90;
    let mut buckets: Vec<(String, String, String, usize)> = Vec::new(); // label, since, until, n
    for (day, n) in days {
        let label = if by_month { day[..7].to_string() } else { day.clone() };
        match buckets.last_mut() {
            Some(last) if last.0 == label => {
                last.2 = day.clone();
                last.3 += n;
            }
            _ => buckets.push((label, day.clone(), day.clone(), *n)),
        }
    }
    let max = buckets.iter().map(|b| b.3).max().unwrap_or(1).max(1);
    let (w, bar_h) = (900.0f64, 120.0f64);
    let step = w / buckets.len() as f64;
    let bar_w = (step * 0.8).clamp(1.0, 36.0);
    h.raw("<figure class=\"timeline\"><figcaption>");
    h.text(&format!(
        "Events by {} ({} to {}); a bar opens its {}.",
        if by_month { "month" } else { "day" },
        buckets[0].1,
        buckets[buckets.len() - 1].2,
        if by_month { "month" } else { "day" }
    ));
    h.raw("</figcaption>");
    h.open(
        "svg",
        &[("viewBox", &format!("0 0 {w} {}", bar_h + 20.0)), ("role", "img"), ("aria-label", "Events over time")],
    );
    for (i, (label, since, until, n)) in buckets.iter().enumerate() {
        let height = (*n as f64 / max as f64 * bar_h).max(2.0);
        let x = i as f64 * step;
        h.open("a", &[("href", &link(since, until))]);
        h.open(
            "rect",
            &[
                ("x", &format!("{x:.1}")),
                ("y", &format!("{:.1}", bar_h - height)),
                ("width", &format!("{bar_w:.1}")),
                ("height", &format!("{height:.1}")),
            ],
        );
        h.elem("title", &[], &format!("{label}: {n} event{}", if *n == 1 { "" } else { "s" }));
        h.close("rect").close("a");
    }
    h.elem("text", &[("x", "0"), ("y", &format!("{}", bar_h + 15.0))], &buckets[0].0);
    h.elem(
        "text",
        &[("x", &format!("{w}")), ("y", &format!("{}", bar_h + 15.0)), ("text-anchor", "end")],
        &buckets[buckets.len() - 1].0,
    );
    h.raw("</svg></figure>");
}

/// The PLOVER types for the type field's suggestions.
fn type_options(h: &mut Html, types: &[(String, usize)]) {
    h.raw("<datalist id=\"types\">");
    for (t, n) in types {
        h.open("option", &[("value", t)]).text(&format!("{t} ({n})")).close("option");
    }
    h.raw("</datalist>");
}

async fn events(State(state): Shared, QueryParams(q): Params) -> Page {
    let a = Args(&q);
    let mut filter = match a.event_filter(PER_PAGE) {
        Ok(f) => f,
        Err(e) => return error_page(e),
    };
    filter.limit = PER_PAGE;
    let f2 = filter.clone();
    let result = state.read(move |s| Ok((s.events(&f2)?, s.event_days(&f2)?, s.event_types()?))).await;
    let ((total, rows), days, types) = match result {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    let url = |f: &dateline_store::EventFilter, offset: usize, since: Option<&str>, until: Option<&str>| {
        Query::new("/events")
            .opt("actor", f.actor.as_deref())
            .opt("type", f.kind.as_deref())
            .opt("status", f.status.as_deref())
            .opt("since", since)
            .opt("until", until)
            .opt("place", f.place.as_deref())
            .opt("doc", f.doc.as_deref())
            .opt("order", f.ascending.then_some("asc"))
            .arg("offset", &if offset > 0 { offset.to_string() } else { String::new() })
            .build()
    };
    let mut h = Html::new();
    h.elem("h1", &[], "Events");
    h.raw("<form class=\"filters\" method=\"get\" action=\"/events\" id=\"event-filters\">");
    field(&mut h, "Actor (name or #id)", "actor", filter.actor.as_deref().unwrap_or(""), "text", "");
    field(&mut h, "Type (PLOVER or CAMEO)", "type", filter.kind.as_deref().unwrap_or(""), "text", "types");
    type_options(&mut h, &types);
    let statuses: Vec<(&str, String)> = std::iter::once(("", "any".to_string()))
        .chain(EventStatus::ALL.iter().map(|s| (s.as_str(), s.as_str().to_string())))
        .collect();
    select(&mut h, "Status", "status", &statuses, filter.status.as_deref().unwrap_or(""));
    field(&mut h, "From", "since", filter.since.as_deref().unwrap_or(""), "date", "");
    field(&mut h, "to", "until", filter.until.as_deref().unwrap_or(""), "date", "");
    field(&mut h, "Place", "place", filter.place.as_deref().unwrap_or(""), "text", "");
    if let Some(d) = &filter.doc {
        h.open("input", &[("type", "hidden"), ("name", "doc"), ("value", d)]);
    }
    h.raw("<button type=\"submit\">Filter</button> <a href=\"/events\">Clear</a></form>");
    h.open("p", &[("class", "count"), ("id", "event-count")]).text(&format!("{total} events")).close("p");
    timeline(&mut h, &days, |s, u| url(&filter, 0, Some(s), Some(u)));
    if rows.is_empty() {
        h.raw("<p class=\"empty\">No event matches these filters.</p>");
    } else {
        event_rows(&mut h, &rows);
    }
    pager(&mut h, filter.offset, PER_PAGE, total, |o| {
        url(&filter, o, filter.since.as_deref(), filter.until.as_deref())
    });
    h.raw("<p class=\"export\">The same rows for your tools: ");
    for (label, format) in [("CSV", "csv"), ("JSON lines", "jsonl"), ("GDELT TSV", "gdelt"), ("GraphML", "graphml")] {
        h.link(
            &Query::new("/api/export")
                .arg("what", "events")
                .arg("format", format)
                .opt("since", filter.since.as_deref())
                .opt("until", filter.until.as_deref())
                .build(),
            label,
        )
        .raw(" ");
    }
    h.raw("(all events of the period)</p>");
    page("Events", "Events", "", h)
}

// ---------------------------------------------------------------------------------------------
// Actors

async fn actors(State(state): Shared, QueryParams(q): Params) -> Page {
    let a = Args(&q);
    let offset = offset_of(&a);
    let name = a.str("q");
    // A type the page does not know shows every type (an API client gets a 400 instead).
    let kind = a.entity_type().ok().flatten().map(str::to_string);
    let (n2, k2) = (name.clone(), kind.clone());
    let rows = match state.read(move |s| Ok(s.identities(n2.as_deref(), k2.as_deref(), offset + PER_PAGE + 1)?)).await {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    let mut h = Html::new();
    h.elem("h1", &[], "Actors");
    h.raw("<p class=\"lede\">People, organisations and places across articles, most often named first. Each was joined from its names only on stated evidence.</p>");
    h.raw("<form class=\"filters\" method=\"get\" action=\"/actors\">");
    field(&mut h, "Name", "q", name.as_deref().unwrap_or(""), "text", "");
    let types: Vec<(&str, String)> = std::iter::once(("", "any".to_string()))
        .chain(EntityType::ALL.iter().map(|t| (t.as_str(), t.as_str().to_string())))
        .collect();
    select(&mut h, "Type", "type", &types, kind.as_deref().unwrap_or(""));
    h.raw("<button type=\"submit\">Filter</button></form>");
    let has_next = rows.len() > offset + PER_PAGE;
    let shown: Vec<_> = rows.iter().skip(offset).take(PER_PAGE).collect();
    if shown.is_empty() {
        h.raw("<p class=\"empty\">No actor matches.</p>");
    } else {
        h.raw("<table class=\"list\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Type</th><th scope=\"col\">Code</th><th scope=\"col\">Also written</th><th scope=\"col\">Articles</th></tr></thead><tbody>");
        for s in shown {
            h.raw("<tr><td>").link(&format!("/actor/{}", s.id), &s.name).raw("</td><td>");
            h.elem("span", &[("class", &format!("kind m-{}", s.kind))], &s.kind);
            h.raw("</td><td>").text(s.code.as_deref().unwrap_or("")).raw("</td><td>");
            let aliases: Vec<&str> = s.aliases.iter().filter(|a| **a != s.name).take(6).map(String::as_str).collect();
            h.text(&aliases.join(", ")).raw("</td><td class=\"num\">").display(s.documents).raw("</td></tr>");
        }
        h.raw("</tbody></table>");
    }
    let total = if has_next { offset + PER_PAGE + 1 } else { rows.len() };
    pager(&mut h, offset, PER_PAGE, total, |o| {
        Query::new("/actors")
            .opt("q", name.as_deref())
            .opt("type", kind.as_deref())
            .arg("offset", &o.to_string())
            .build()
    });
    page("Actors", "Actors", "", h)
}

async fn actor(State(state): Shared, Path(id): Path<String>) -> Page {
    let Ok(id) = id.parse::<i64>() else {
        return error_page(Error::not_found(format!("{id} is not an actor id")));
    };
    let d = match state.read(move |s| actor_detail(s, id, 200)).await {
        Ok(d) => d,
        Err(e) => return error_page(e),
    };
    let s = &d.summary;
    let mut h = Html::new();
    h.raw("<article class=\"actor\">");
    h.elem("h1", &[], &s.name);
    h.raw("<dl class=\"meta\"><dt>Type</dt><dd>");
    h.elem("span", &[("class", &format!("kind m-{}", s.kind))], &s.kind);
    h.raw("</dd>");
    if let Some(c) = &s.code {
        h.raw("<dt>CAMEO code</dt><dd><code>").text(c).raw("</code></dd>");
    }
    h.raw("<dt>Named in</dt><dd>").text(&format!("{} articles ({} references)", s.documents, s.links)).raw("</dd>");
    if !s.titles.is_empty() {
        h.raw("<dt>Referred to as</dt><dd>").text(&s.titles.join(", ")).raw("</dd>");
    }
    h.raw("</dl>");

    h.raw("<section aria-labelledby=\"aliases-h\"><h2 id=\"aliases-h\">Names, and why they are one</h2>");
    h.raw("<table class=\"list aliases\"><thead><tr><th scope=\"col\">Written</th><th scope=\"col\">In</th><th scope=\"col\">Joined because</th></tr></thead><tbody>");
    for l in &d.links {
        h.raw("<tr><td>").text(&l.name).raw("</td><td>");
        h.link(&format!("/doc/{}", percent_encode(&l.doc_id)), l.doc_title.as_deref().unwrap_or(&l.doc_id));
        if let Some(p) = &l.published {
            h.elem("span", &[("class", "date")], &format!(" {p}"));
        }
        h.raw("</td><td>");
        let ev = &l.evidence;
        let why = match ev.kind.as_str() {
            "new" => "first seen here".to_string(),
            "same_name" => format!("same name as “{}”", ev.matched),
            "dictionary_synonym" => format!("a dictionary gives “{}” and “{}” as one", ev.name, ev.matched),
            "spelling_variant" => format!("spelling of “{}”", ev.matched),
            "acronym" => format!("acronym of “{}”", ev.matched),
            "contained_name" => format!("part of “{}”", ev.matched),
            "manual_merge" => "merged by an analyst".to_string(),
            other => format!("{other}: “{}”", ev.matched),
        };
        h.text(&why);
        if !ev.corroboration.is_empty() {
            h.elem("span", &[("class", "evidence")], &format!(" (corroborated by {})", ev.corroboration.join(", ")));
        }
        h.raw("</td></tr>");
    }
    h.raw("</tbody></table></section>");

    h.raw("<section aria-labelledby=\"roles-h\"><h2 id=\"roles-h\">Roles over time</h2>");
    if d.roles.is_empty() {
        h.raw("<p class=\"empty\">No article states a role.</p>");
    } else {
        h.raw("<ol class=\"roles\">");
        for (published, doc, title, of) in &d.roles {
            h.raw("<li>");
            h.elem("span", &[("class", "date")], published.as_deref().unwrap_or("undated")).raw(" ");
            h.text(title);
            if let Some(o) = of {
                h.text(&format!(" of {o}"));
            }
            h.raw(" · ").link(&format!("/doc/{}", percent_encode(doc)), "source").raw("</li>");
        }
        h.raw("</ol>");
    }
    h.raw("</section>");

    h.raw("<section aria-labelledby=\"aev-h\"><h2 id=\"aev-h\">Events, oldest first</h2>");
    let (total, rows) = &d.events;
    if rows.is_empty() {
        h.raw("<p class=\"empty\">No coded event has this actor on either side.</p>");
    } else {
        timeline(&mut h, &d.days, |since, until| {
            Query::new("/events").arg("actor", &s.id.to_string()).arg("since", since).arg("until", until).build()
        });
        event_rows(&mut h, rows);
        if *total > rows.len() {
            h.raw("<p>")
                .link(&Query::new("/events").arg("actor", &s.id.to_string()).build(), &format!("All {total} events"))
                .raw("</p>");
        }
    }
    h.raw("</section>");

    h.raw("<section aria-labelledby=\"aq-h\"><h2 id=\"aq-h\">Quotes</h2>");
    quote_list(&mut h, &d.quotes.1);
    h.raw("</section></article>");
    page(&s.name.clone(), "Actors", "", h)
}

fn quote_list(h: &mut Html, rows: &[QuoteRow]) {
    if rows.is_empty() {
        h.raw("<p class=\"empty\">No quote.</p>");
        return;
    }
    h.raw("<table class=\"list quotes\"><thead><tr><th scope=\"col\">Published</th><th scope=\"col\">Speaker</th><th scope=\"col\">Words</th><th scope=\"col\">Through</th></tr></thead><tbody>");
    for q in rows {
        h.raw("<tr><td class=\"date\">").text(q.published.as_deref().unwrap_or("undated")).raw("</td><td>");
        match (q.speaker.as_deref(), q.speaker_id) {
            (Some(s), Some(id)) => h.link(&format!("/actor/{id}"), s),
            (Some(s), None) => h.text(s),
            (None, _) => h.raw("<em>unnamed</em>"),
        };
        h.raw("</td><td>");
        let text: String = q.content.chars().take(220).collect();
        h.open("a", &[("href", &format!("/doc/{}", percent_encode(&q.doc_id)))])
            .open("q", &[])
            .text(&text)
            .text(if q.content.chars().count() > 220 { "…" } else { "" })
            .close("q")
            .close("a");
        h.raw("</td><td>").text(&q.via.join(" → ")).raw("</td></tr>");
    }
    h.raw("</tbody></table>");
}

async fn quotes(State(state): Shared, QueryParams(q): Params) -> Page {
    let a = Args(&q);
    let offset = offset_of(&a);
    let filter =
        QuoteFilter { speaker: a.str("speaker"), via: a.str("via"), doc: a.str("doc"), offset, limit: PER_PAGE };
    let f2 = filter.clone();
    let (total, rows) = match state.read(move |s| Ok(s.quotes(&f2)?)).await {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    let mut h = Html::new();
    h.elem("h1", &[], "Quotes");
    h.raw("<form class=\"filters\" method=\"get\" action=\"/quotes\">");
    field(&mut h, "Speaker (name or #id)", "speaker", filter.speaker.as_deref().unwrap_or(""), "text", "");
    field(&mut h, "Through (source)", "via", filter.via.as_deref().unwrap_or(""), "text", "");
    h.raw("<button type=\"submit\">Filter</button></form>");
    quote_list(&mut h, &rows);
    pager(&mut h, offset, PER_PAGE, total, |o| {
        Query::new("/quotes")
            .opt("speaker", filter.speaker.as_deref())
            .opt("via", filter.via.as_deref())
            .opt("doc", filter.doc.as_deref())
            .arg("offset", &o.to_string())
            .build()
    });
    page("Quotes", "Quotes", "", h)
}

// ---------------------------------------------------------------------------------------------
// Network

/// Event kinds offered on the network page.
const NETWORK_PRESETS: [(&str, &str); 6] = [
    ("CONSULT", "met or consulted"),
    ("ACCUSE", "accused"),
    ("AGREE,COOPERATE", "agreed or cooperated"),
    ("ASSAULT,COERCE", "attacked or coerced"),
    ("THREATEN,DEMAND", "threatened or demanded"),
    ("", "any event"),
];

async fn network(State(state): Shared, QueryParams(q): Params) -> Page {
    let a = Args(&q);
    // No `type` at all: meetings, the page's first question; an empty one: every event.
    let kinds_arg =
        a.str("type").unwrap_or_else(|| if q.contains_key("type") { String::new() } else { "CONSULT".into() });
    let kinds = kinds(&kinds_arg);
    let (since, until) = match a.period() {
        Ok(p) => p,
        Err(e) => return error_page(e),
    };
    let (s2, u2) = (since.clone(), until.clone());
    let net = match state.read(move |s| Ok(s.network(&kinds, s2.as_deref(), u2.as_deref(), 120)?)).await {
        Ok(n) => n,
        Err(e) => return error_page(e),
    };
    let mut h = Html::new();
    h.elem("h1", &[], "Who did what to whom");
    h.raw("<form class=\"filters\" method=\"get\" action=\"/network\">");
    let presets: Vec<(&str, String)> = NETWORK_PRESETS
        .iter()
        .map(|&(v, label)| (v, if v.is_empty() { label.to_string() } else { format!("{label} ({v})") }))
        .collect();
    select(&mut h, "Events", "type", &presets, &kinds_arg);
    field(&mut h, "From", "since", since.as_deref().unwrap_or(""), "date", "");
    field(&mut h, "to", "until", until.as_deref().unwrap_or(""), "date", "");
    h.raw("<button type=\"submit\">Draw</button></form>");
    if net.edges.is_empty() {
        h.raw("<p class=\"empty\" id=\"network-empty\">No event of these kinds links two known actors in this period.</p>");
        return page("Network", "Network", "", h);
    }
    let index: HashMap<i64, usize> = net.nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    let edges: Vec<(usize, usize, f64)> =
        net.edges.iter().map(|e| (index[&e.source], index[&e.target], e.events.len() as f64)).collect();
    let (w, ht) = (960.0, 640.0);
    let pos = force_layout(net.nodes.len(), &edges, w, ht);
    h.open("p", &[("class", "count")])
        .text(&format!("{} actors, {} links. Arrows point from who acted to whom; a line opens its first event, a name its actor page.", net.nodes.len(), net.edges.len()))
        .close("p");
    h.open(
        "svg",
        &[
            ("class", "network"),
            ("id", "network"),
            ("viewBox", &format!("0 0 {w} {ht}")),
            ("role", "img"),
            ("aria-label", "Network of actors"),
        ],
    );
    h.raw("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"10\" markerHeight=\"10\" orient=\"auto\"><path d=\"M 0 0 L 10 5 L 0 10 z\"></path></marker></defs>");
    let max_w = net.edges.iter().map(|e| e.events.len()).max().unwrap_or(1) as f64;
    for e in &net.edges {
        let (a, mut b) = (pos[index[&e.source]], pos[index[&e.target]]);
        // The arrow stops at the target's circle.
        let r = radius(&net.nodes[index[&e.target]]) + 2.0;
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        if len > r * 2.0 {
            b = (b.0 - dx / len * r, b.1 - dy / len * r);
        }
        let (doc, k) = &e.events[0];
        h.open("a", &[("href", &format!("/doc/{}#event-{k}", percent_encode(doc))), ("class", "edge")]);
        h.open(
            "line",
            &[
                ("x1", &format!("{:.1}", a.0)),
                ("y1", &format!("{:.1}", a.1)),
                ("x2", &format!("{:.1}", b.0)),
                ("y2", &format!("{:.1}", b.1)),
                ("stroke-width", &format!("{:.1}", 1.0 + 4.0 * e.events.len() as f64 / max_w)),
                ("marker-end", "url(#arrow)"),
            ],
        );
        let names = (&net.nodes[index[&e.source]].name, &net.nodes[index[&e.target]].name);
        h.elem(
            "title",
            &[],
            &format!(
                "{} → {}: {} event{} ({} to {})",
                names.0,
                names.1,
                e.events.len(),
                if e.events.len() == 1 { "" } else { "s" },
                e.first.as_deref().unwrap_or("?"),
                e.last.as_deref().unwrap_or("?")
            ),
        );
        h.close("line").close("a");
    }
    for (i, n) in net.nodes.iter().enumerate() {
        let (x, y) = pos[i];
        h.open("a", &[("href", &format!("/actor/{}", n.id)), ("class", &format!("node m-{}", n.kind))]);
        h.open(
            "circle",
            &[("cx", &format!("{x:.1}")), ("cy", &format!("{y:.1}")), ("r", &format!("{:.1}", radius(n)))],
        );
        h.elem("title", &[], &format!("{} ({}, {} events)", n.name, n.kind, n.events)).close("circle");
        // Names near the right edge are written to the left of their node.
        let (tx, anchor) = if x > w * 0.75 { (x - radius(n) - 3.0, "end") } else { (x + radius(n) + 3.0, "start") };
        // In a large graph only the busiest actors are named on the drawing (the others in
        // their tooltip), or the names would cover each other.
        if i < LABELLED_NODES {
            h.elem(
                "text",
                &[("x", &format!("{tx:.1}")), ("y", &format!("{:.1}", y + 4.0)), ("text-anchor", anchor)],
                &n.name,
            );
        }
        h.close("a");
    }
    h.raw("</svg>");
    h.raw("<h2>Links</h2><table class=\"list links\"><thead><tr><th scope=\"col\">Who</th><th scope=\"col\">Whom</th><th scope=\"col\">Events</th><th scope=\"col\">Period</th><th scope=\"col\">Evidence</th></tr></thead><tbody>");
    for e in &net.edges {
        let (s, t) = (&net.nodes[index[&e.source]], &net.nodes[index[&e.target]]);
        h.raw("<tr><td>").link(&format!("/actor/{}", s.id), &s.name).raw("</td><td>");
        h.link(&format!("/actor/{}", t.id), &t.name).raw("</td><td class=\"num\">").display(e.events.len());
        h.raw("</td><td class=\"date\">").text(&format!(
            "{} – {}",
            e.first.as_deref().unwrap_or("?"),
            e.last.as_deref().unwrap_or("?")
        ));
        h.raw("</td><td>");
        for (i, (doc, k)) in e.events.iter().take(8).enumerate() {
            h.link(&format!("/doc/{}#event-{k}", percent_encode(doc)), &format!("{}", i + 1)).raw(" ");
        }
        if e.events.len() > 8 {
            h.text(&format!("and {} more", e.events.len() - 8));
        }
        h.raw("</td></tr>");
    }
    h.raw("</tbody></table>");
    page("Network", "Network", "", h)
}

/// Nodes named on the network drawing (they come busiest first).
const LABELLED_NODES: usize = 40;

/// A node's radius: larger for actors in more events.
fn radius(n: &dateline_store::NetworkNode) -> f64 {
    5.0 + (n.events as f64).sqrt() * 2.0
}

// ---------------------------------------------------------------------------------------------
// Search

async fn search(State(state): Shared, QueryParams(q): Params) -> Page {
    let a = Args(&q);
    let offset = offset_of(&a);
    let Some(text) = a.str("q") else {
        let mut h = Html::new();
        h.elem("h1", &[], "Search");
        h.raw("<p>Type words into the search box (press <kbd>/</kbd> to reach it): titles and article text are searched, and actors by name.</p>");
        return page("Search", "", "", h);
    };
    let t2 = text.clone();
    let result = state
        .read(move |s| {
            let docs = s.documents(&DocumentFilter {
                text: Some(t2.clone()),
                offset,
                limit: PER_PAGE,
                ..DocumentFilter::default()
            })?;
            let actors = s.identities(Some(&t2), None, 20)?;
            Ok((docs, actors))
        })
        .await;
    let ((total, docs), actors) = match result {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    let mut h = Html::new();
    h.open("h1", &[]).text("Search: ").text(&text).close("h1");
    if !actors.is_empty() {
        h.raw("<section aria-labelledby=\"sa-h\"><h2 id=\"sa-h\">Actors</h2><ul class=\"actors\">");
        for s in &actors {
            h.raw("<li>").link(&format!("/actor/{}", s.id), &s.name).raw(" ");
            h.elem("span", &[("class", &format!("kind m-{}", s.kind))], &s.kind);
            h.text(&format!(" · {} articles", s.documents)).raw("</li>");
        }
        h.raw("</ul></section>");
    }
    h.raw("<section aria-labelledby=\"sd-h\"><h2 id=\"sd-h\">Articles</h2>");
    h.open("p", &[("class", "count")]).text(&format!("{total} articles")).close("p");
    h.raw("<ol class=\"results\">");
    for d in &docs {
        h.raw("<li>").link(&format!("/doc/{}", percent_encode(&d.id)), d.title.as_deref().unwrap_or("(untitled)"));
        h.elem("span", &[("class", "date")], &format!(" {}", d.published.as_deref().unwrap_or("undated")));
        if let Some(s) = &d.snippet {
            snippet(&mut h, s);
        }
        h.raw("</li>");
    }
    h.raw("</ol></section>");
    pager(&mut h, offset, PER_PAGE, total, |o| {
        Query::new("/search").arg("q", &text).arg("offset", &o.to_string()).build()
    });
    page(&format!("Search: {text}"), "", &text, h)
}

/// An event's CAMEO code as shown: "CAMEO 036", or that it has none (an act typed in PLOVER
/// alone).
fn cameo_label(code: Option<&str>) -> String {
    code.map_or_else(|| "no CAMEO code".into(), |c| format!("CAMEO {c}"))
}
