//! `dateline train` and `dateline eval` on a small corpus written by us.

mod common;
use common::*;
use std::path::Path;

fn data() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tiny-ner.txt").display().to_string()
}

#[test]
fn training_is_deterministic_and_evaluates() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.model"), dir.path().join("b.model"));
    for out in [&a, &b] {
        let o = run(&[
            "train",
            "ner",
            "--train",
            &data(),
            "--out",
            out.to_str().unwrap(),
            "--iterations",
            "3",
            "--seed",
            "7",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "same seed, same model");
    let o = run(&["eval", "ner", "--model", a.to_str().unwrap(), "--data", &data()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("PER") && out.contains("all"), "{out}");

    let t = dir.path().join("t.model");
    let o = run(&["train", "tagger", "--train", &data(), "--out", t.to_str().unwrap(), "--iterations", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["eval", "tagger", "--model", t.to_str().unwrap(), "--data", &data(), "--min-accuracy", "101"]);
    assert_eq!(o.status.code(), Some(1), "below the floor fails");
}

#[test]
fn a_bad_line_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "Kari NNP B-NP B-PER\nLind NNP I-NP PERSON\n").unwrap();
    let o = run(&["train", "ner", "--train", bad.to_str().unwrap(), "--out", dir.path().join("m").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.txt:2:"), "{}", stderr(&o));
}

#[test]
fn built_in_models_recognize_and_tag() {
    let d = &extract(&examples().join("summit-nairobi.txt"), &[])[0];
    assert!(d["tokens"].as_array().unwrap().iter().all(|t| t["pos"].is_string()));
    let roles = d["roles"].as_array().unwrap();
    assert!(
        roles.iter().any(|r| r["title"]["text"] == "President"
            && r["person"]["text"] == "Daniel Mwangi"
            && r["of"]["name"] == "Kenya"),
        "{roles:?}"
    );
}
