//! `dateline ingest`: idempotence, bad inputs, and durability when killed.

mod common;
use common::*;
use dateline_store::Store;
use std::time::{Duration, Instant};

#[test]
fn reingest_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let db = db.to_str().unwrap();
    let ex = examples();
    let o = run(&["ingest", ex.to_str().unwrap(), "--db", db]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = Store::open(db.as_ref()).unwrap().count().unwrap();
    assert!(first >= 10);
    let o = run(&["ingest", ex.to_str().unwrap(), "--db", db]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("0 new"), "{}", stderr(&o));
    assert_eq!(Store::open(db.as_ref()).unwrap().count().unwrap(), first);

    // list and show work on what was stored.
    let o = run(&["list", "--db", db, "--format", "json"]);
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(listed.len() as i64, first);
    let id = listed[0]["id"].as_str().unwrap();
    let o = run(&["show", &id[..8], "--db", db]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains(id));
    // The text view shows roles and resolved dates, for a person to read.
    let nairobi = listed.iter().find(|d| d["source"].as_str().unwrap().ends_with("summit-nairobi.txt")).unwrap();
    let o = run(&["show", nairobi["id"].as_str().unwrap(), "--db", db]);
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(shown.contains("Daniel Mwangi — President of Kenya"), "{shown}");
    assert!(shown.contains("2025-09-02"), "Tuesday before 2025-09-03: {shown}");
    let o = run(&["show", &id[..8], "--db", db, "--format", "json"]);
    let shown: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(shown["id"], id);
    assert_eq!(run(&["show", "ffffffffffff", "--db", db]).status.code(), Some(2));
}

#[test]
fn bad_files_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(inputs.join("empty.txt"), b"").unwrap();
    // 10 MB of pseudo-random bytes (xorshift), named like text.
    let mut x: u64 = 0x9E3779B97F4A7C15;
    let random: Vec<u8> = (0..10 * 1024 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(inputs.join("noise.txt"), &random).unwrap();
    std::fs::copy(examples().join("chip-merger.txt"), inputs.join("good.txt")).unwrap();
    std::fs::write(inputs.join("lines.jsonl"), "{\"text\": \"Rail strike ends\\n\\nTrains ran again.\"}\n{broken\n")
        .unwrap();
    let db = dir.path().join("t.db");
    let o = run(&["ingest", inputs.to_str().unwrap(), "--db", db.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("empty.txt: empty"), "{err}");
    assert!(err.contains("noise.txt: binary data"), "{err}");
    assert!(err.contains("lines.jsonl:2: invalid JSON"), "{err}");
    assert!(err.contains("3 input(s) failed"), "{err}");
    assert_eq!(Store::open(&db).unwrap().count().unwrap(), 2);
}

#[test]
fn a_killed_ingest_loses_nothing_it_committed() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("many");
    std::fs::create_dir(&inputs).unwrap();
    let base = std::fs::read_to_string(examples().join("harbour-strike.txt")).unwrap();
    // Small batches, so that the first commit comes early and the rest is quick to finish.
    let n = 240;
    for i in 0..n {
        std::fs::write(inputs.join(format!("a{i:05}.txt")), format!("{base}\nReference number {i}.\n")).unwrap();
    }
    let db = dir.path().join("t.db");
    let mut child = bin()
        .args(["ingest", inputs.to_str().unwrap(), "--db", db.to_str().unwrap(), "--jobs", "1"])
        .env("DATELINE_BATCH", "8")
        .spawn()
        .unwrap();
    // Wait for the first committed batch, then kill without warning.
    let t0 = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let committed = Store::open_read_only(&db).ok().and_then(|s| s.count().ok()).unwrap_or(0);
        if committed > 0 || t0.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    assert!(child.try_wait().unwrap().is_none(), "ingest finished before it could be killed; raise n");
    child.kill().unwrap();
    child.wait().unwrap();

    let store = Store::open(&db).unwrap();
    assert!(store.is_intact().unwrap());
    let committed = store.count().unwrap();
    assert!(committed > 0 && committed < n, "committed {committed}");
    // Every stored document is whole.
    for s in store.list().unwrap() {
        let doc = store.get(&s.id).unwrap().unwrap();
        assert!(!doc.tokens.is_empty() && s.mentions == doc.mentions.len() as i64);
    }
    drop(store);
    // Running again finishes the job without duplicates.
    let o = run(&["ingest", inputs.to_str().unwrap(), "--db", db.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(Store::open(&db).unwrap().count().unwrap(), n);
}

/// Quotes are stored with their documents and listed by speaker and source, in every format.
#[test]
fn stored_quotes_are_listed_by_speaker_and_source() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("ferry.txt");
    std::fs::write(
        &article,
        "Ferry talks resume in Osk\n\nThe Lune Front said in a statement on Sunday that the talks had ended.\n\n\
         “Both sides agreed to meet again,” the statement said, according to Radio Osk.\n\n\
         Karim Vell told Osk Tarn that the ferry would resume service.\n",
    )
    .unwrap();
    let db = dir.path().join("q.db");
    let db = db.to_str().unwrap();
    let o = run(&["ingest", article.to_str().unwrap(), "--db", db]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["quotes", "--db", db, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows: Vec<serde_json::Value> =
        String::from_utf8(o.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    let statement = rows.iter().find(|r| r["speaker"] == "the statement").expect("the statement's quote");
    assert_eq!(statement["kind"], "direct");
    assert_eq!(statement["speaker_refers_to"][0], "The Lune Front");
    assert_eq!(statement["via"][0], "Radio Osk");
    let o = run(&["quotes", "--db", db, "--via", "radio osk", "--format", "csv"]);
    let csv = String::from_utf8(o.stdout).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.lines().nth(1).unwrap().contains("Radio Osk"));
    let o = run(&["quotes", "--db", db, "--speaker", "vell"]);
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(table.contains("indirect") && table.contains("told"), "{table}");
    let o = run(&["show", &rows[0]["document"].as_str().unwrap()[..8], "--db", db]);
    assert!(String::from_utf8(o.stdout).unwrap().contains("quotes (whose words"));
}

/// Articles by several outlets become identities and grouped events: a spelling variant
/// corroborated by a shared role links, a shared surname alone does not, two meetings months
/// apart stay two events, reports of one meeting that disagree are listed side by side, and
/// the analyst's merge and split hold over a re-ingest.
#[test]
fn identities_and_events_across_documents() {
    let dir = tempfile::tempdir().unwrap();
    let articles = [
        ("a.txt", "Dahl and Maurer meet in Vienna\n\nPublished: 12 May 2025\n\nPrime Minister Jonas Dahl met Chancellor Petra Maurer in Vienna on Monday, officials said. Dahl later flew home.\n"),
        ("b.txt", "Talks in Vienna\n\nPublished: 13 May 2025\n\nPrime Minister Jonas Daal met Petra Maurer in Vienna on Monday to discuss trade.\n"),
        ("c.txt", "Dahl denies Vienna talks\n\nPublished: 13 May 2025\n\nJonas Dahl did not meet Petra Maurer on Monday, his office said.\n"),
        ("d.txt", "Dahl and Maurer meet again\n\nPublished: 2 February 2026\n\nPrime Minister Jonas Dahl met Chancellor Petra Maurer in Vienna on Thursday.\n"),
        ("e.txt", "Harbour fees\n\nPublished: 3 March 2026\n\nErik Dahl, a fisherman, said the harbour fees were too high.\n"),
    ];
    for (name, text) in articles {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let db = dir.path().join("i.db");
    let db = db.to_str().unwrap();
    let o = run(&["ingest", dir.path().to_str().unwrap(), "--db", db]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("identities:"), "{}", stderr(&o));
    let o = run(&["actors", "--db", db, "--type", "PERSON", "--format", "json"]);
    let people: Vec<serde_json::Value> =
        String::from_utf8(o.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let jonas = people.iter().find(|p| p["name"] == "Jonas Dahl").expect("Jonas Dahl");
    let aliases = jonas["aliases"].to_string();
    assert!(aliases.contains("jonas daal"), "the variant, corroborated by the role: {aliases}");
    assert_eq!(jonas["documents"], 4);
    let erik = people.iter().find(|p| p["name"] == "Erik Dahl").expect("Erik Dahl apart");
    assert_ne!(erik["id"], jonas["id"]);
    // Every link names its evidence.
    let id = jonas["id"].to_string();
    let o = run(&["actor", &id, "--db", db, "--format", "json"]);
    let actor: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let kinds: Vec<&str> =
        actor["links"].as_array().unwrap().iter().map(|l| l["evidence"]["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"spelling_variant") && kinds.contains(&"same_name"), "{kinds:?}");
    // The three reports of the May meeting are one event and disagree on whether it happened;
    // the February meeting is another.
    let o = run(&["events", "--db", db, "--disputed"]);
    let listing = String::from_utf8(o.stdout).unwrap();
    assert!(listing.contains("2025-05-12") && listing.contains("disagree on status"), "{listing}");
    assert!(listing.contains("negated") && !listing.contains("2026"), "{listing}");
    // The analyst splits the variant off; re-ingesting its article keeps it apart.
    let o = run(&["identity", "split", &id, "--mention", "Jonas Daal", "--note", "a namesake", "--db", db]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["ingest", "--reannotate", dir.path().join("b.txt").to_str().unwrap(), "--db", db]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["actors", "--db", db, "--name", "daal", "--format", "json"]);
    let daal: serde_json::Value =
        serde_json::from_str(String::from_utf8(o.stdout).unwrap().lines().next().unwrap()).unwrap();
    assert_ne!(daal["id"].to_string(), id);
    let o = run(&["identity", "decisions", "--db", db]);
    assert!(String::from_utf8(o.stdout).unwrap().contains("a namesake"));
}
