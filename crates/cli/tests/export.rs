//! `dateline export` and `dateline serve` as a user runs them.

mod common;

use common::{bin, examples, run, stderr};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;

fn example_db(dir: &std::path::Path) -> std::path::PathBuf {
    let db = dir.join("x.db");
    let ex = examples();
    let out = run(&["ingest", "--db", db.to_str().unwrap(), ex.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    db
}

#[test]
fn exports_write_their_formats_to_files_and_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let db = example_db(dir.path());
    let db = db.to_str().unwrap();
    let tsv = dir.path().join("events.tsv");
    let out = run(&["export", "--db", db, "--what", "events", "--format", "gdelt", "--out", tsv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("exported"), "{}", stderr(&out));
    let text = std::fs::read_to_string(&tsv).unwrap();
    assert!(text.lines().count() > 3);
    for line in text.lines() {
        assert_eq!(line.split('\t').count(), 61, "{line}");
    }
    let csv = run(&["export", "--db", db, "--what", "quotes", "--format", "csv", "--out", "-"]);
    assert!(csv.status.success());
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.lines().next().unwrap().split(',').any(|h| h == "speaker"), "{csv}");
    let graphml = dir.path().join("net.graphml");
    let out =
        run(&["export", "--db", db, "--what", "actors", "--format", "graphml", "--out", graphml.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&graphml).unwrap().contains("<graphml"));
    // A period narrows the rows; one before every article leaves none.
    let none =
        run(&["export", "--db", db, "--what", "events", "--format", "jsonl", "--until", "1990-01-01", "--out", "-"]);
    assert!(none.status.success());
    assert!(none.stdout.is_empty());
}

#[test]
fn export_errors_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.db");
    let out = run(&["export", "--db", missing.to_str().unwrap(), "--what", "events", "--format", "csv", "--out", "-"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("dateline ingest"), "{}", stderr(&out));
    assert!(!missing.exists(), "export never creates a database");
    let db = example_db(dir.path());
    let db = db.to_str().unwrap();
    let out = run(&["export", "--db", db, "--what", "mentions", "--format", "gdelt", "--out", "-"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--what events"), "{}", stderr(&out));
    let out = run(&["export", "--db", db, "--what", "events", "--format", "csv", "--since", "June", "--out", "-"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("YYYY-MM-DD"), "{}", stderr(&out));
}

#[test]
fn serve_answers_on_loopback_and_refuses_writes_without_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = example_db(dir.path());
    let mut child = bin()
        .args(["serve", "--db", db.to_str().unwrap(), "--addr", "127.0.0.1:0"])
        .env_remove("DATELINE_TOKEN")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let addr =
        line.split("http://").nth(1).and_then(|r| r.split('/').next()).unwrap_or_else(|| panic!("{line}")).to_string();
    assert!(line.contains("read-only"), "{line}");
    let ask = |req: &str| {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        s.write_all(req.as_bytes()).unwrap();
        let mut reply = String::new();
        s.read_to_string(&mut reply).unwrap();
        reply
    };
    let page = ask("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("Dock workers"), "the example articles are listed");
    let post = ask("POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nConnection: close\r\n\r\nText");
    assert!(post.starts_with("HTTP/1.1 403"), "{post}");
    let _ = child.kill();
    let _ = child.wait();
    // A short token is refused before anything listens.
    let out = run(&["serve", "--db", db.to_str().unwrap(), "--addr", "127.0.0.1:0", "--token", "abc"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("too short"), "{}", stderr(&out));
}
