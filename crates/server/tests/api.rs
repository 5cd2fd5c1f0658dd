//! The JSON API over real HTTP on loopback, every answer checked against the OpenAPI document
//! the server itself serves.

mod common;

use common::{enc, get, post_hostile, request, start, start_default, TOKEN};
use serde_json::Value;

/// A small validator for the part of JSON Schema the document uses: type (one or a list),
/// properties, required, items, enum, allOf and $ref.
fn validate(spec: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/components/schemas/").expect("local $ref");
        let target = &spec["components"]["schemas"][name];
        assert!(!target.is_null(), "$ref to a missing schema {name}");
        return validate(spec, target, v, at, errors);
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            validate(spec, s, v, at, errors);
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let fits = |t: &str| match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        };
        if !types.iter().any(|t| fits(t)) {
            errors.push(format!("{at}: {v} is not {types:?}"));
            return;
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !v.is_null() && !e.contains(v) {
            errors.push(format!("{at}: {v} is not one of {e:?}"));
        }
    }
    if let (Some(obj), Some(props)) = (v.as_object(), schema.get("properties").and_then(Value::as_object)) {
        for (name, s) in props {
            if let Some(x) = obj.get(name) {
                validate(spec, s, x, &format!("{at}.{name}"), errors);
            }
        }
    }
    if let (Some(obj), Some(req)) = (v.as_object(), schema.get("required").and_then(Value::as_array)) {
        for r in req.iter().filter_map(Value::as_str) {
            if !obj.contains_key(r) {
                errors.push(format!("{at}: the required field {r} is missing"));
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            validate(spec, items, x, &format!("{at}[{i}]"), errors);
        }
    }
}

/// Checks a reply against the document's schema for its path, method and status.
fn conforms(spec: &Value, path: &str, method: &str, reply: &common::Reply) {
    let op = &spec["paths"][path][method];
    assert!(!op.is_null(), "the OpenAPI document has no {method} {path}");
    let response = &op["responses"][reply.status.to_string()];
    assert!(!response.is_null(), "{method} {path}: status {} is not documented", reply.status);
    assert!(response["description"].is_string(), "{method} {path} {}: a response needs a description", reply.status);
    let media = reply.header("content-type").unwrap_or("").split(';').next().unwrap().trim().to_string();
    let content = &response["content"];
    if content.is_null() {
        return;
    }
    let schema = &content[&media]["schema"];
    assert!(!schema.is_null(), "{method} {path} {}: media type {media} is not documented", reply.status);
    if media == "application/json" {
        let mut errors = Vec::new();
        validate(spec, schema, &reply.json(), "$", &mut errors);
        assert!(errors.is_empty(), "{method} {path} {}: {}", reply.status, errors.join("\n"));
    }
}

#[test]
fn every_answer_matches_the_openapi_document() {
    let s = start_default();
    let spec = get(s.addr, "/api/openapi.json").json();
    assert_eq!(spec["openapi"], "3.1.0");
    let doc_id = get(s.addr, "/api/documents?limit=1").json()["items"][0]["id"].as_str().unwrap().to_string();
    let actor_id = get(s.addr, "/api/actors?limit=1").json()["items"][0]["id"].as_i64().unwrap();
    let calls: Vec<(&str, String)> = vec![
        ("/api/documents", "/api/documents".into()),
        ("/api/documents", "/api/documents?q=talks&limit=3".into()),
        ("/api/documents", "/api/documents?since=2025-13-40".into()),
        ("/api/documents/{id}", format!("/api/documents/{doc_id}")),
        ("/api/documents/{id}", format!("/api/documents/{}", &doc_id[..6])),
        ("/api/documents/{id}", "/api/documents/ffffffffffffffff".into()),
        ("/api/events", "/api/events".into()),
        ("/api/events", "/api/events?type=CONSULT&order=asc&limit=5".into()),
        ("/api/events", "/api/events?status=maybe".into()),
        ("/api/actors", "/api/actors?type=PERSON".into()),
        ("/api/actors", "/api/actors?type=ANIMAL".into()),
        ("/api/actors/{id}", format!("/api/actors/{actor_id}")),
        ("/api/actors/{id}", "/api/actors/99999999".into()),
        ("/api/actors/{id}", "/api/actors/abc".into()),
        ("/api/quotes", "/api/quotes".into()),
        ("/api/network", "/api/network".into()),
        ("/api/network", "/api/network?type=CONSULT,04&since=2025-01-01".into()),
        ("/api/search", "/api/search?q=harbour".into()),
        ("/api/search", "/api/search".into()),
        ("/api/export", "/api/export?what=events&format=csv".into()),
        ("/api/export", "/api/export?what=quotes&format=gdelt".into()),
        ("/api/openapi.json", "/api/openapi.json".into()),
    ];
    for (template, url) in &calls {
        let reply = get(s.addr, url);
        assert!(reply.status < 500, "{url}: {}", reply.text());
        conforms(&spec, template, "get", &reply);
    }
    // Writes: without a token, with a wrong one, and with the right one.
    let post = |headers: &[(&str, &str)], body: &[u8]| request(s.addr, "POST", "/api/documents", headers, body);
    for reply in [
        post(&[("Content-Type", "text/plain")], b"A title\n\nSome text."),
        post(&[("Content-Type", "text/plain"), ("Authorization", "Bearer wrong-token-wrong-token")], b"x"),
    ] {
        assert_eq!(reply.status, 401);
        conforms(&spec, "/api/documents", "post", &reply);
    }
    let auth = format!("Bearer {TOKEN}");
    let article =
        "Ministers agree on river plan\n\nVIENNA - Ministers from Austria and Hungary agreed on Monday to share \
                   the cost of dredging the Danube, officials said.\n";
    let first = post(&[("Content-Type", "text/plain"), ("Authorization", &auth)], article.as_bytes());
    assert_eq!(first.status, 201, "{}", first.text());
    conforms(&spec, "/api/documents", "post", &first);
    let again = post(&[("Content-Type", "text/plain"), ("Authorization", &auth)], article.as_bytes());
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["documents"][0]["status"], "already_stored");
    // An analyst's merge and split of identities, and the decisions they leave.
    let people = get(s.addr, "/api/actors?type=PERSON&limit=2").json();
    let (a, b) = (people["items"][0]["id"].as_i64().unwrap(), people["items"][1]["id"].as_i64().unwrap());
    let b_name = people["items"][1]["name"].as_str().unwrap().to_string();
    let write = |path: &str, body: &serde_json::Value| {
        request(
            s.addr,
            "POST",
            path,
            &[("Content-Type", "application/json"), ("Authorization", &auth)],
            body.to_string().as_bytes(),
        )
    };
    let merged = write(&format!("/api/actors/{a}/merge"), &serde_json::json!({"other": b, "note": "a test"}));
    assert_eq!(merged.status, 200, "{}", merged.text());
    conforms(&spec, "/api/actors/{id}/merge", "post", &merged);
    let links = |p: &serde_json::Value, i: usize| p["items"][i]["links"].as_i64().unwrap();
    assert_eq!(merged.json()["links"].as_i64().unwrap(), links(&people, 0) + links(&people, 1));
    let again = write(&format!("/api/actors/{a}/merge"), &serde_json::json!({"other": b}));
    assert_eq!(again.status, 422, "{}", again.text());
    conforms(&spec, "/api/actors/{id}/merge", "post", &again);
    let split = write(&format!("/api/actors/{a}/split"), &serde_json::json!({"name": b_name, "note": "not one"}));
    assert_eq!(split.status, 201, "{}", split.text());
    conforms(&spec, "/api/actors/{id}/split", "post", &split);
    let unauthorised =
        request(s.addr, "POST", &format!("/api/actors/{a}/merge"), &[("Content-Type", "application/json")], b"{}");
    assert_eq!(unauthorised.status, 401);
    let decisions = get(s.addr, "/api/decisions");
    conforms(&spec, "/api/decisions", "get", &decisions);
    let actions: Vec<String> =
        decisions.json().as_array().unwrap().iter().map(|d| d["action"].as_str().unwrap().to_string()).collect();
    assert_eq!(actions, ["merge", "split"]);
    let odd = post(&[("Content-Type", "image/png"), ("Authorization", &auth)], b"\x89PNG");
    assert_eq!(odd.status, 415);
    conforms(&spec, "/api/documents", "post", &odd);
}

#[test]
fn documents_events_actors_and_quotes_filter_as_documented() {
    let s = start_default();
    let docs = get(s.addr, "/api/documents").json();
    assert_eq!(docs["total"], 11, "{docs}");
    let found = get(s.addr, &format!("/api/documents?q={}", enc("dock workers"))).json();
    assert!(found["total"].as_u64().unwrap() >= 1);
    assert!(found["items"][0]["snippet"].as_str().unwrap().contains('«'));

    let one = &found["items"][0];
    let doc = get(s.addr, &format!("/api/documents/{}", one["id"].as_str().unwrap())).json();
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["id"], one["id"]);
    assert!(!doc["identities"].as_array().unwrap().is_empty(), "entities are linked to identities");

    let all = get(s.addr, "/api/events?limit=500").json();
    let n = all["total"].as_u64().unwrap();
    assert!(n > 5, "{all}");
    let paged = get(s.addr, "/api/events?limit=2&offset=2").json();
    assert_eq!(paged["items"].as_array().unwrap().len(), 2);
    assert_eq!(paged["items"][0], all["items"][2]);
    let consult = get(s.addr, "/api/events?type=CONSULT").json();
    for e in consult["items"].as_array().unwrap() {
        assert_eq!(e["plover"], "CONSULT");
    }
    let cameo = get(s.addr, "/api/events?type=01").json();
    for e in cameo["items"].as_array().unwrap() {
        assert!(e["cameo"].as_str().unwrap().starts_with("01"));
    }
    let asserted = get(s.addr, "/api/events?status=asserted&limit=500").json();
    assert!(asserted["total"].as_u64().unwrap() <= n);
    for e in asserted["items"].as_array().unwrap() {
        assert_eq!(e["status"], "asserted");
    }
    let placed = all["items"].as_array().unwrap().iter().find_map(|e| e["place"].as_str().map(str::to_string));
    if let Some(place) = placed {
        let by_place = get(s.addr, &format!("/api/events?place={}", enc(&place.to_lowercase()))).json();
        assert!(by_place["total"].as_u64().unwrap() >= 1);
        for e in by_place["items"].as_array().unwrap() {
            assert!(e["place"].as_str().unwrap().to_lowercase().contains(&place.to_lowercase()));
        }
    }
    // Dates: an event is filed under its own day, else its report's publication day.
    let days = get(s.addr, "/api/events?since=2025-04-12&until=2025-04-12&limit=500").json();
    for e in days["items"].as_array().unwrap() {
        assert_eq!(e["date"], "2025-04-12");
    }
    let bad = get(s.addr, "/api/events?since=tomorrow");
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].as_str().unwrap().contains("since"));

    // An actor with events: its page lists them, and filtering events by it finds the same.
    let actors = get(s.addr, "/api/actors?limit=100").json();
    let with_events = actors["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .map(|id| get(s.addr, &format!("/api/actors/{id}")).json())
        .find(|a| a["events_total"].as_u64().unwrap_or(0) > 0)
        .expect("some actor has events");
    let id = with_events["id"].as_i64().unwrap();
    let by_actor = get(s.addr, &format!("/api/events?actor={id}")).json();
    assert_eq!(by_actor["total"], with_events["events_total"]);
    assert!(!with_events["evidence"].as_array().unwrap().is_empty());

    let quotes = get(s.addr, "/api/quotes").json();
    assert!(quotes["total"].as_u64().unwrap() > 0);
    let speaker = quotes["items"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|q| q["speaker"].as_str().map(str::to_string))
        .expect("a quote with a speaker");
    let by_speaker = get(s.addr, &format!("/api/quotes?speaker={}", enc(&speaker))).json();
    assert!(by_speaker["total"].as_u64().unwrap() >= 1);

    let net = get(s.addr, "/api/network").json();
    let nodes: Vec<i64> = net["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_i64().unwrap()).collect();
    for e in net["edges"].as_array().unwrap() {
        assert!(nodes.contains(&e["source"].as_i64().unwrap()) && nodes.contains(&e["target"].as_i64().unwrap()));
        assert_eq!(e["count"].as_u64().unwrap() as usize, e["events"].as_array().unwrap().len());
    }
}

#[test]
fn exports_from_the_api_have_their_formats() {
    let s = start_default();
    let tsv = get(s.addr, "/api/export?what=events&format=gdelt");
    assert_eq!(tsv.status, 200);
    assert!(tsv.header("content-type").unwrap().starts_with("text/tab-separated-values"));
    let text = tsv.text();
    assert!(!text.is_empty());
    for line in text.lines() {
        assert_eq!(line.split('\t').count(), 61, "{line}");
    }
    let csv = get(s.addr, "/api/export?what=quotes&format=csv").text();
    assert!(csv.lines().next().unwrap().contains("speaker"));
    let graphml = get(s.addr, "/api/export?what=actors&format=graphml").text();
    assert!(graphml.starts_with("<?xml") && graphml.contains("<graphml"));
    assert_eq!(get(s.addr, "/api/export?what=mentions&format=graphml").status, 400);
}

#[test]
fn writes_need_a_token_and_respect_the_size_limit() {
    // No token configured: no writes at all.
    let read_only = start(None, 1 << 20);
    let r = request(read_only.addr, "POST", "/api/documents", &[("Content-Type", "text/plain")], b"T\n\nText.");
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(get(read_only.addr, "/api/documents").json()["total"], 11);

    let small = start(Some(TOKEN), 4096);
    let auth = format!("Bearer {TOKEN}");
    let big = vec![b'a'; 64 * 1024];
    let r = request(
        small.addr,
        "POST",
        "/api/documents",
        &[("Content-Type", "text/plain"), ("Authorization", &auth)],
        &big,
    );
    assert_eq!(r.status, 413);
    // JSON lines: two articles, one bad line, each reported.
    let lines = "{\"title\": \"Port reopens\", \"text\": \"The port of Durban reopened on Friday after a strike, officials said.\", \"published\": \"2025-02-07\"}\n\
                 not json\n\
                 {\"title\": \"Rail deal\", \"text\": \"Kenya and Uganda signed a rail agreement in Kampala on Monday.\"}\n";
    let r = request(
        small.addr,
        "POST",
        "/api/documents?source=https%3A%2F%2Fexample.org%2Ffeed",
        &[("Content-Type", "application/x-ndjson"), ("Authorization", &auth)],
        lines.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let v = r.json();
    assert_eq!(v["documents"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(v["errors"].as_array().unwrap().len(), 1, "{v}");
    assert!(v["documents"][0]["source"].as_str().unwrap().starts_with("https://example.org/feed:"));
    assert_eq!(get(small.addr, "/api/documents").json()["total"], 13);
    let undated = get(small.addr, &format!("/api/documents/{}", v["documents"][1]["id"].as_str().unwrap())).json();
    assert!(undated["published"].is_null(), "no date is invented");
}

#[test]
fn pages_render_and_escape_hostile_articles() {
    let s = start_default();
    for path in [
        "/",
        "/events",
        "/events?type=CONSULT",
        "/actors",
        "/quotes",
        "/network",
        "/network?type=",
        "/search?q=harbour",
    ] {
        let r = get(s.addr, path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
        assert!(r.header("content-security-policy").unwrap().contains("script-src 'self'"));
        assert!(r.text().contains("</html>"), "{path}");
    }
    assert_eq!(get(s.addr, "/doc/nothing-here").status, 404);
    assert_eq!(get(s.addr, "/no/such/page").status, 404);

    let id = post_hostile(s.addr);
    let page = get(s.addr, &format!("/doc/{id}")).text();
    assert!(page.contains("&lt;script&gt;window.__pwned = 1&lt;/script&gt;"), "the script shows as text");
    assert!(!page.contains("<script>window"), "no script from the article");
    assert!(!page.contains("<img"), "no image element from the article");
    assert!(!page.contains("href=\"javascript:"), "no javascript: link");
    let search = get(s.addr, "/search?q=%3Cscript%3E").text();
    assert!(!search.contains("<script>window"));
}
