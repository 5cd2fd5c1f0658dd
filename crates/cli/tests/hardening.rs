//! Hostile and odd inputs: none may crash, hang or lose a batch (issue "Hardening"). Each test
//! guards against a hang with a deadline far above the time the work takes; none measures speed.

mod common;
use common::*;
use dateline_store::Store;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs a command, killing it if it outlives `limit` (a hang is a failure, not a wait).
fn run_within(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("dateline runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        stdout.read_to_end(&mut b).ok();
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        stderr.read_to_end(&mut b).ok();
        b
    });
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t0.elapsed() > limit {
            child.kill().ok();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output { status, stdout: out.join().unwrap(), stderr: err.join().unwrap() }
}

fn ingest(args: &[&str], db: &Path) -> Output {
    let mut cmd = bin();
    cmd.arg("ingest").args(args).arg("--db").arg(db);
    run_within(cmd, Duration::from_secs(120))
}

fn count(db: &Path) -> i64 {
    Store::open_read_only(db).unwrap().count().unwrap()
}

fn article(dir: &Path, name: &str) {
    std::fs::copy(examples().join("harbour-strike.txt"), dir.join(name)).unwrap();
}

#[test]
fn deeply_nested_html_is_read_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let depth = 100_000;
    let page = format!(
        "<html><body>{}<p>Ferry crews in Bergen ended their strike on Monday after a pay deal.</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    std::fs::write(inputs.join("deep.html"), page).unwrap();
    // Unclosed formatting elements nest too.
    std::fs::write(inputs.join("bold.html"), format!("<p>Tide tables</p>{}", "<b><i>x".repeat(50_000))).unwrap();
    article(&inputs, "good.txt");
    let db = dir.path().join("t.db");
    let o = ingest(&[inputs.to_str().unwrap()], &db);
    assert!(o.status.code().is_some(), "killed by a signal: {}", stderr(&o));
    assert_eq!(count(&db), 3, "{}", stderr(&o));
    let store = Store::open_read_only(&db).unwrap();
    let deep = store.list().unwrap().into_iter().find(|s| s.source.ends_with("deep.html")).unwrap();
    assert!(store.get(&deep.id).unwrap().unwrap().text.contains("Ferry crews in Bergen"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_once_and_the_walk_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(inputs.join("sub")).unwrap();
    article(&inputs, "a.txt");
    std::os::unix::fs::symlink(".", inputs.join("x")).unwrap();
    std::os::unix::fs::symlink(".", inputs.join("y")).unwrap();
    std::os::unix::fs::symlink("..", inputs.join("sub").join("up")).unwrap();
    std::os::unix::fs::symlink("nowhere", inputs.join("dangling.txt")).unwrap();
    let db = dir.path().join("t.db");
    let o = ingest(&[inputs.to_str().unwrap()], &db);
    let err = stderr(&o);
    assert_eq!(err.matches("symbolic link loop").count(), 3, "{err}");
    assert!(err.contains("dangling.txt: cannot read: a symbolic link to nothing"), "{err}");
    assert_eq!(count(&db), 1);
}

#[test]
fn oversized_documents_are_skipped_in_seconds() {
    let dir = tempfile::tempdir().unwrap();
    // A 12 MB line without punctuation, over the default 10 MB of cleaned text.
    let huge = dir.path().join("huge.txt");
    std::fs::write(&huge, "word ".repeat(2_400_000)).unwrap();
    // Raw input far over the limit is refused from its size alone.
    let enormous = dir.path().join("enormous.html");
    std::fs::write(&enormous, vec![b'a'; 90_000_000]).unwrap();
    let db = dir.path().join("t.db");
    let good = examples().join("harbour-strike.txt");
    let o = ingest(&[huge.to_str().unwrap(), enormous.to_str().unwrap(), good.to_str().unwrap()], &db);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("huge.txt: too large: 12.0 MB of text, over the limit of 10.0 MB"), "{err}");
    assert!(err.contains("enormous.html: too large: 90.0 MB of input for one document"), "{err}");
    assert_eq!(count(&db), 1);
    // The limit is the user's to set.
    let o = ingest(&["--max-doc-bytes", "100", good.to_str().unwrap()], &dir.path().join("u.db"));
    assert!(stderr(&o).contains("over the limit of 0.0 MB"), "{}", stderr(&o));
}

#[test]
fn two_ingests_into_a_fresh_database_both_succeed() {
    for trial in 0..4 {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("race.db");
        let spawn = |file: &str| {
            bin()
                .args(["ingest", examples().join(file).to_str().unwrap(), "--db", db.to_str().unwrap()])
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("harbour-strike.txt"), spawn("chip-merger.txt"));
        for child in [a, b] {
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "trial {trial}: {}", stderr(&o));
        }
        assert_eq!(count(&db), 2, "trial {trial}");
    }
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(ingest(&[examples().to_str().unwrap()], &db).status.success());
    let id = Store::open_read_only(&db).unwrap().list().unwrap()[0].id.clone();
    for args in [
        vec!["list", "--db", db.to_str().unwrap()],
        vec!["show", &id, "--db", db.to_str().unwrap()],
        vec!["extract", examples().join("batch.jsonl").to_str().unwrap()],
    ] {
        let mut child = bin().args(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        // The reader goes away before the writer is done.
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_ne!(o.status.code(), Some(101), "{args:?} panicked: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn reingest_skips_stored_documents_before_annotating_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let file = examples().join("river-commission.txt");
    let f = file.to_str().unwrap();
    assert!(ingest(&[f], &db).status.success());
    let o = ingest(&["--published", "2025-05-01", f], &db);
    let err = stderr(&o);
    assert!(err.contains("0 new, 1 already stored"), "{err}");
    assert!(err.contains("--published was not applied to the 1 document(s) already stored"), "{err}");
    let o = ingest(&["--published", "2025-05-01", "--reannotate", f], &db);
    assert!(stderr(&o).contains("1 re-annotated"), "{}", stderr(&o));
    let id = Store::open_read_only(&db).unwrap().list().unwrap()[0].id.clone();
    let shown = run(&["show", &id, "--db", db.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(v["published"], "2025-05-01");
    assert_eq!(count(&db), 1);
}

#[test]
fn progress_lines_are_printed_without_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = bin();
    cmd.args(["ingest", examples().to_str().unwrap(), "--db"]).arg(dir.path().join("t.db"));
    cmd.env("DATELINE_PROGRESS_MS", "0");
    let o = run_within(cmd, Duration::from_secs(120));
    assert!(stderr(&o).contains("ingest: 1/"), "{}", stderr(&o));
}

#[test]
fn odd_inputs_are_read_or_reported_for_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    // UTF-16 with a byte-order mark, as Windows tools write it.
    let text = "Harbour cranes idle\n\nCrane drivers in Gdańsk stopped work on Tuesday over night shifts.";
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(inputs.join("utf16.txt"), utf16).unwrap();
    // Folder notes are not articles.
    std::fs::write(inputs.join("README.md"), "How this folder was collected.\n\nBy hand, over a week.").unwrap();
    std::fs::write(inputs.join("LICENSE"), "Permission is granted to copy these notes.").unwrap();
    std::fs::write(inputs.join("bad.jsonl"), "{\"text\": 42}\n{\"text\": \"Cut \\ud800 here, but kept.\"}\n").unwrap();
    let db = dir.path().join("t.db");
    let o = ingest(&[inputs.to_str().unwrap()], &db);
    let err = stderr(&o);
    assert!(err.contains("bad.jsonl:1: invalid JSON line: field \"text\" must be a string, found a number"), "{err}");
    assert!(err.contains("skipped 2 README/LICENSE-style file(s)"), "{err}");
    assert_eq!(count(&db), 2, "{err}");
    let store = Store::open_read_only(&db).unwrap();
    let texts: Vec<String> = store.list().unwrap().iter().map(|s| store.get(&s.id).unwrap().unwrap().text).collect();
    assert!(texts.iter().any(|t| t.contains("Gdańsk")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("Cut \u{fffd} here")), "{texts:?}");
    // A README named explicitly is read.
    let o = ingest(&[inputs.join("README.md").to_str().unwrap()], &db);
    assert!(stderr(&o).contains("1 new"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_read_like_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("feed");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo on a path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            std::fs::write(fifo, "Ferry resumes\n\nThe ferry to Hel ran again on Sunday.").unwrap()
        })
    };
    let db = dir.path().join("t.db");
    let o = ingest(&[fifo.to_str().unwrap()], &db);
    writer.join().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count(&db), 1);
}

#[test]
fn errors_are_one_clear_line_and_read_only_commands_never_write() {
    let dir = tempfile::tempdir().unwrap();
    let o = ingest(&[examples().join("chip-merger.txt").to_str().unwrap()], Path::new("/nonexistent/dir/t.db"));
    let err = stderr(&o);
    assert_eq!(err.matches("unable to open database file").count(), 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // An empty file is not made a database by reading it.
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let o = run(&["list", "--db", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a dateline database"), "{}", stderr(&o));
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
    // An ingest of nothing but missing paths creates no database.
    let never = dir.path().join("never.db");
    let o = ingest(&["/nonexistent/a.txt"], &never);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!never.exists());
}

#[test]
fn id_prefixes_are_literal_and_ambiguous_ones_list_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(ingest(&[examples().to_str().unwrap()], &db).status.success());
    let d = db.to_str().unwrap();
    for wild in ["%", "_", "%_"] {
        let o = run(&["show", wild, "--db", d]);
        assert!(stderr(&o).contains("no document with id"), "{wild}: {}", stderr(&o));
    }
    assert!(stderr(&run(&["show", "", "--db", d])).contains("give a document id"));
    let ids: Vec<String> = Store::open_read_only(&db).unwrap().list().unwrap().into_iter().map(|s| s.id).collect();
    let first = ids.iter().map(|i| &i[..1]).find(|c| ids.iter().filter(|i| i.starts_with(c)).count() > 1);
    if let Some(c) = first {
        let err = stderr(&run(&["show", c, "--db", d]));
        assert!(err.contains("Candidates"), "{err}");
        assert!(ids.iter().filter(|i| i.starts_with(c)).all(|i| err.contains(i.as_str())), "{err}");
    }
    // Long titles are cut with an ellipsis.
    let listed = String::from_utf8(run(&["list", "--db", d]).stdout).unwrap();
    assert!(listed.lines().any(|l| l.contains('…')), "{listed}");
}

#[test]
fn every_command_teaches_by_example() {
    for cmd in [
        "ingest",
        "extract",
        "show",
        "list",
        "train ner",
        "train tagger",
        "train casing",
        "train clusters",
        "eval ner",
        "eval tagger",
        "eval time",
        "bench nlp",
        "bench tokenize",
        "events",
        "actors",
        "actor",
        "identity",
        "eval coref",
        "eval identities",
    ] {
        let o = bin().args(cmd.split(' ')).arg("--help").output().unwrap();
        let help = String::from_utf8_lossy(&o.stdout);
        assert!(help.contains("Example"), "`dateline {cmd} --help` gives no example:\n{help}");
    }
}

#[test]
fn json_lines_are_read_as_a_stream_and_an_overlong_line_costs_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("feed.jsonl");
    let mut lines = String::new();
    for i in 0..150 {
        lines.push_str(&format!("{{\"text\": \"Dredging resumed at berth {i} on Monday, the port said.\"}}\n"));
        if i == 70 {
            lines.push_str(&format!("{{\"text\": \"{}\"}}\n", "long ".repeat(400)));
        }
    }
    std::fs::write(&file, lines).unwrap();
    let db = dir.path().join("t.db");
    let o = ingest(&["--max-doc-bytes", "200", file.to_str().unwrap()], &db);
    let err = stderr(&o);
    assert!(err.contains("feed.jsonl:72: too large"), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    assert_eq!(count(&db), 150);
}
