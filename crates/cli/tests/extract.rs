//! `dateline extract` on the bundled examples: the JSON contract and its offsets.

mod common;
use common::*;
use serde_json::Value;

/// Every object with `start`, `end` and `text` must slice the document text (by code points)
/// to exactly its `text`.
fn check_spans(v: &Value, chars: &[char], path: &str, count: &mut usize) {
    match v {
        Value::Object(o) => {
            if let (Some(s), Some(e), Some(Value::String(t))) = (o.get("start"), o.get("end"), o.get("text")) {
                let (s, e) = (s.as_u64().unwrap() as usize, e.as_u64().unwrap() as usize);
                assert!(s <= e && e <= chars.len(), "{path}: span {s}..{e} outside text of {} chars", chars.len());
                let got: String = chars[s..e].iter().collect();
                assert_eq!(&got, t, "{path}: span {s}..{e}");
                *count += 1;
            }
            for (k, x) in o {
                if k != "text" {
                    check_spans(x, chars, &format!("{path}.{k}"), count);
                }
            }
        }
        Value::Array(a) => {
            a.iter().enumerate().for_each(|(i, x)| check_spans(x, chars, &format!("{path}[{i}]"), count))
        }
        _ => {}
    }
}

#[test]
fn every_span_of_every_layer_round_trips() {
    let mut files: Vec<_> = std::fs::read_dir(examples()).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut docs = 0;
    for f in files {
        for doc in extract(&f, &[]) {
            let chars: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
            let mut count = 0;
            check_spans(&doc, &chars, &f.display().to_string(), &mut count);
            assert!(count > 10, "{}: only {count} spans checked", f.display());
            for key in ["id", "source", "title", "published", "dateline", "text", "sentences", "tokens", "mentions"] {
                assert!(doc.get(key).is_some(), "{}: no {key}", f.display());
            }
            docs += 1;
        }
    }
    assert!(docs >= 10, "examples hold at least 10 documents, found {docs}");
}

#[test]
fn metadata_of_examples() {
    let d = &extract(&examples().join("harbour-strike.txt"), &[])[0];
    assert_eq!(d["title"], "Dock workers walk out at Rotterdam as pay talks collapse");
    assert_eq!(d["published"], "2025-04-12T08:45");
    assert_eq!(d["published_evidence"]["text"], "April 12, 2025 - 08:45");
    assert_eq!(d["dateline"]["place"], "Rotterdam");

    // Undated stays undated, never today; a user date anchors it.
    let d = &extract(&examples().join("river-commission.txt"), &[])[0];
    assert_eq!(d["published"], Value::Null);
    let d = &extract(&examples().join("river-commission.txt"), &["--published", "2025-03-04"])[0];
    assert_eq!(d["published"], "2025-03-04");
    assert_eq!(d["published_evidence"]["origin"], "user");

    let d = &extract(&examples().join("mine-collapse.txt"), &[])[0];
    assert_eq!(d["dateline"]["place"], "La Paz");

    let d = &extract(&examples().join("election-debate.html"), &[])[0];
    let text = d["text"].as_str().unwrap();
    for furniture in ["Leave a Reply", "email address", "cookies", "Share on", "Related stories", "Copyright", "Home"] {
        assert!(!text.contains(furniture), "page furniture {furniture:?} in text");
    }
    assert_eq!(d["outlet"], "The Harbour Herald");
    assert_eq!(d["published"], "2025-10-02T21:30+01:00");

    let docs = extract(&examples().join("batch.jsonl"), &[]);
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[2]["title"], "Coast guard rescues ferry passengers");
}

#[test]
fn entities_in_an_example() {
    let d = &extract(&examples().join("summit-nairobi.txt"), &[])[0];
    let mentions: Vec<(String, String)> = d["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["text"].as_str().unwrap().to_string(), m["type"].as_str().unwrap().to_string()))
        .collect();
    for (text, kind) in [
        ("Daniel Mwangi", "PERSON"),
        ("Grace Mollel", "PERSON"),
        ("Nairobi", "PLACE"),
        ("Kenyan", "MISC"),
        ("Mollel", "PERSON"),
    ] {
        assert!(mentions.iter().any(|(t, k)| t == text && k == kind), "no {kind} {text:?} in {mentions:?}");
    }
    for common_word in ["The", "Tuesday", "March", "Trade"] {
        assert!(!mentions.iter().any(|(t, _)| t == common_word), "{common_word:?} is not an entity");
    }
}

#[test]
fn stdin_and_errors() {
    use std::io::Write;
    let mut child = bin()
        .args(["extract", "-", "--compact"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"Ferry service resumes\n\nBoats ran again on Monday.\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["title"], "Ferry service resumes");

    let o = run(&["extract", "/no/such/file.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/no/such/file.txt"), "{}", stderr(&o));
}
