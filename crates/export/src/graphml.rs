//! GraphML: identities as nodes (type, name), events as edges (one per source, target and
//! event type, with the first day, the count as weight, and the events behind it).

use crate::{each_event, ExportError, Period};
use dateline_store::Store;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::collections::BTreeMap;
use std::io::Write;

#[derive(Default)]
struct Edge {
    weight: usize,
    first: Option<String>,
    last: Option<String>,
    events: Vec<String>,
}

pub fn write(store: &Store, period: &Period, out: &mut dyn Write) -> Result<usize, ExportError> {
    let mut edges: BTreeMap<(i64, i64, String), Edge> = BTreeMap::new();
    each_event(store, period, |r| {
        let kind = r.plover.clone().or_else(|| r.cameo.as_ref().map(|c| format!("CAMEO {c}"))).unwrap_or_default();
        for &s in &r.source_ids {
            for &t in &r.target_ids {
                if s == t {
                    continue;
                }
                let e = edges.entry((s, t, kind.clone())).or_default();
                e.weight += 1;
                if e.first.is_none() {
                    e.first = r.date.clone();
                }
                e.last = r.date.clone().or(e.last.take());
                e.events.push(format!("{}:{}", r.doc_id, r.k));
            }
        }
        Ok(())
    })?;
    let mut nodes: Vec<i64> = edges.keys().flat_map(|(s, t, _)| [*s, *t]).collect();
    nodes.sort_unstable();
    nodes.dedup();
    let io = |e: std::io::Error| ExportError::Io(e);
    let mut w = Writer::new_with_indent(&mut *out, b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))).map_err(io)?;
    let mut root = BytesStart::new("graphml");
    root.push_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"));
    w.write_event(Event::Start(root)).map_err(io)?;
    for (id, on, name, ty) in [
        ("name", "node", "name", "string"),
        ("type", "node", "type", "string"),
        ("label", "node", "label", "string"),
        ("etype", "edge", "type", "string"),
        ("date", "edge", "date", "string"),
        ("last", "edge", "last", "string"),
        ("weight", "edge", "weight", "double"),
        ("events", "edge", "events", "string"),
    ] {
        let mut k = BytesStart::new("key");
        k.push_attribute(("id", id));
        k.push_attribute(("for", on));
        k.push_attribute(("attr.name", name));
        k.push_attribute(("attr.type", ty));
        w.write_event(Event::Empty(k)).map_err(io)?;
    }
    let mut g = BytesStart::new("graph");
    g.push_attribute(("id", "dateline"));
    g.push_attribute(("edgedefault", "directed"));
    w.write_event(Event::Start(g)).map_err(io)?;
    let data = |w: &mut Writer<&mut dyn Write>, key: &str, value: &str| -> Result<(), ExportError> {
        let mut d = BytesStart::new("data");
        d.push_attribute(("key", key));
        w.write_event(Event::Start(d)).map_err(io)?;
        w.write_event(Event::Text(BytesText::new(value))).map_err(io)?;
        w.write_event(Event::End(BytesEnd::new("data"))).map_err(io)?;
        Ok(())
    };
    for id in &nodes {
        let (kind, name) = match store.identity(*id)? {
            Some((s, _)) => (s.kind, s.name),
            None => ("MISC".to_string(), format!("identity {id}")),
        };
        let mut n = BytesStart::new("node");
        n.push_attribute(("id", format!("n{id}").as_str()));
        w.write_event(Event::Start(n)).map_err(io)?;
        data(&mut w, "name", &name)?;
        data(&mut w, "label", &name)?;
        data(&mut w, "type", &kind)?;
        w.write_event(Event::End(BytesEnd::new("node"))).map_err(io)?;
    }
    for (i, ((s, t, kind), e)) in edges.iter().enumerate() {
        let mut x = BytesStart::new("edge");
        x.push_attribute(("id", format!("e{i}").as_str()));
        x.push_attribute(("source", format!("n{s}").as_str()));
        x.push_attribute(("target", format!("n{t}").as_str()));
        w.write_event(Event::Start(x)).map_err(io)?;
        data(&mut w, "etype", kind)?;
        data(&mut w, "date", e.first.as_deref().unwrap_or(""))?;
        data(&mut w, "last", e.last.as_deref().unwrap_or(""))?;
        data(&mut w, "weight", &e.weight.to_string())?;
        data(&mut w, "events", &e.events.join(" "))?;
        w.write_event(Event::End(BytesEnd::new("edge"))).map_err(io)?;
    }
    w.write_event(Event::End(BytesEnd::new("graph"))).map_err(io)?;
    w.write_event(Event::End(BytesEnd::new("graphml"))).map_err(io)?;
    w.into_inner().write_all(b"\n")?;
    Ok(edges.len())
}
