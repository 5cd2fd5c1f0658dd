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
    // A line short of a column, and a type the recognizer does not learn, are named too.
    for (text, line) in [
        ("Kari NNP B-NP B-PER\nLind NNP I-PER\n", "bad.txt:2:"),
        ("A DT B-NP O\n\nLune NNP B-NP B-GPE\n", "bad.txt:3:"),
    ] {
        std::fs::write(&bad, text).unwrap();
        let o =
            run(&["train", "ner", "--train", bad.to_str().unwrap(), "--out", dir.path().join("m").to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(line), "{}", stderr(&o));
    }
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

#[test]
fn averaged_training_runs_and_error_listings() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("avg.model");
    let o =
        run(&["train", "ner", "--train", &data(), "--out", m.to_str().unwrap(), "--iterations", "2", "--runs", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["eval", "ner", "--model", m.to_str().unwrap(), "--data", &data()]);
    assert!(o.status.success(), "{}", stderr(&o));

    let errors = dir.path().join("tagger.tsv");
    let o = run(&["eval", "tagger", "--data", &data(), "--errors", errors.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for line in std::fs::read_to_string(&errors).unwrap().lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 5, "word, gold, ours, Treebank tag, sentence: {line}");
        assert!(cols[4].contains(&format!("[{}]", cols[0])), "{line}");
    }
}

#[test]
fn time_evaluation_scores_timeml_and_lists_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let tml = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tiny.tml");
    let errors = dir.path().join("time.tsv");
    let o = run(&["eval", "time", "--data", tml.to_str().unwrap(), "--errors", errors.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("1 files, 5 gold TIMEX3"), "{out}");
    assert!(out.contains("relaxed span") && out.contains("value"), "{out}");
    // Every line names the file and its creation time, and brackets the expression in its
    // sentence; "current" (a reference to the present) is one we do not mark.
    let listing = std::fs::read_to_string(&errors).unwrap();
    assert!(listing.contains("\tmissed\tcurrent\tPRESENT_REF\t"), "{listing}");
    for line in listing.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 7, "{line}");
        assert!(cols[0].ends_with("tiny.tml") && cols[1] == "2021-10-15", "{line}");
        assert!(cols[6].contains(&format!("[{}]", cols[3])), "{line}");
    }
    let o = run(&["eval", "time", "--data", tml.to_str().unwrap(), "--min-value-f1", "101"]);
    assert_eq!(o.status.code(), Some(1), "below the floor fails");
}

#[test]
fn clusters_are_learnt_from_plain_text_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for (n, (town, day)) in [("Arlen", "Monday"), ("Brisk", "Friday"), ("Corvo", "Sunday")].iter().enumerate() {
        let text = format!("Ferries left {town} on {day} .\n\nThe mayor of {town} spoke on {day} .\n").repeat(3);
        std::fs::write(corpus.join(format!("{n}.txt")), text).unwrap();
    }
    let (a, b) = (dir.path().join("a.tsv"), dir.path().join("b.tsv"));
    for out in [&a, &b] {
        let o = run(&[
            "train",
            "clusters",
            "--corpus",
            corpus.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--sizes",
            "2,4",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let table = std::fs::read_to_string(&a).unwrap();
    assert_eq!(table, std::fs::read_to_string(&b).unwrap(), "same texts, same clusters");
    assert!(table.starts_with("#sizes\t2\t4\n"), "{table}");
    assert!(table.lines().any(|l| l.starts_with("arlen\t")), "{table}");
    let o = run(&["train", "clusters", "--corpus", corpus.to_str().unwrap(), "--out", "x.tsv", "--sizes", "0"]);
    assert!(!o.status.success() && stderr(&o).contains("--sizes"), "{}", stderr(&o));
}

#[test]
fn a_universal_pos_model_from_conllu() {
    let dir = tempfile::tempdir().unwrap();
    let conllu = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tiny.conllu").display().to_string();
    let model = dir.path().join("upos.model");
    let model = model.to_str().unwrap();
    let o = run(&["train", "tagger", "--train", &conllu, "--out", model, "--column", "upos", "--iterations", "5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["eval", "tagger", "--model", model, "--data", &conllu]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("UPOS accuracy") && !out.contains("XPOS"), "{out}");
    // UPOS gold lives only in CoNLL-U: both ways round it is an error that says so.
    let o = run(&["eval", "tagger", "--model", model, "--data", &data()]);
    assert!(!o.status.success() && stderr(&o).contains("CoNLL-U"), "{}", stderr(&o));
    let o = run(&["train", "tagger", "--train", &data(), "--out", model, "--column", "upos"]);
    assert!(!o.status.success() && stderr(&o).contains("CoNLL-U"), "{}", stderr(&o));
}

/// `train plover` learns the PLOVER lexicon from labelled stories (a CSV with quoted,
/// multi-line texts), reports a row whose label is no PLOVER event and goes on, and writes a
/// lexicon the dictionaries read.
#[test]
fn the_plover_lexicon_is_learned_from_labelled_stories() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("stories.csv");
    let mut rows = String::from("title,text,label\n");
    for k in 0..3 {
        rows.push_str(&format!(
            "t{k},\"The Kestrelian army demobilized its reserve units on Monday.\n\nMore followed.\",RETREAT\n"
        ));
    }
    rows.push_str("t9,\"The Varnholmi navy demobilized its reserve units.\",WITHDRAW\n");
    std::fs::write(&csv, rows).unwrap();
    let out = dir.path().join("plover-lexicon.tsv");
    let o =
        run(&["train", "plover", "--stories", csv.to_str().unwrap(), "--out", out.to_str().unwrap(), "--folds", "0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("record 4") && stderr(&o).contains("not a PLOVER event"), "{}", stderr(&o));
    let lexicon = std::fs::read_to_string(&out).unwrap();
    assert!(lexicon.lines().any(|l| l.starts_with("demobilize +unit\tRETREAT\t3\t")), "{lexicon}");
    let o = run(&["train", "plover", "--stories", out.to_str().unwrap(), "--out", "x.tsv"]);
    assert!(!o.status.success() && stderr(&o).contains("`text` and a `label` column"), "{}", stderr(&o));
}

/// `eval events` on labelled stories scores each lead's first sentence, with the CAMEO
/// dictionaries alone (the held-out figure) and with the built-in lexicon beside it, and a
/// `--min-score` above the held-out figure fails.
#[test]
fn labelled_stories_are_scored_on_their_leads() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("stories.csv");
    let rows = "text,label\n\
        \"Kestrelia attacked Varnholm on Monday.\n\nThe fighting went on.\",ASSAULT\n\
        \"Kestrelia praised Varnholm.\",REJECT\n";
    std::fs::write(&csv, rows).unwrap();
    let o = run(&["eval", "events", "--data", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("2 stories") && out.contains("no PLOVER lexicon (held out)"), "{out}");
    assert!(out.contains("PLOVER event accuracy 50.0%  (1 of 2)"), "{out}");
    let o = run(&["eval", "events", "--data", csv.to_str().unwrap(), "--min-score", "60"]);
    assert!(!o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

/// `eval events` on PLOVER gold sentences scores our events in the file's PLOVER 0.5b1 terms,
/// where an agreement to yield is AGREE, and prints the figure as coded (today's codebook:
/// CONCEDE) beside it.
#[test]
fn plover_gold_is_scored_in_its_version_and_as_coded() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.json");
    let records = r#"[{"id": "DOCUMENT"},
        {"id": "T-1", "event": "AGREE", "text": "Kestrelia agreed to withdraw its troops from Varnholm.",
         "source": [{"actorText": "Kestrelia"}]},
        {"id": "T-2", "event": "CONCEDE", "text": "Kestrelia lifted the curfew in Varnholm.",
         "source": [{"actorText": "Kestrelia"}]}]"#;
    std::fs::write(&gold, records).unwrap();
    let o = run(&["eval", "events", "--data", gold.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("PLOVER 0.5b1 terms): 100.0%  (2 of 2)"), "{out}");
    assert!(out.contains("stays CONCEDE or RETREAT): 50.0%  (1 of 2)"), "{out}");
}

/// `train topics` learns from a folder per topic; `eval topics` reads articles with the
/// built-in model and scores it where the folders name its topics.
#[test]
fn topics_train_and_evaluate() {
    let dir = tempfile::tempdir().unwrap();
    let report = "The striker scored twice and the keeper saved a penalty as the home side won the match in \
        the league on Saturday. ";
    let debate = "The prime minister told parliament that the government would hold a vote on the bill after \
        the opposition demanded an election. ";
    for (topic, text) in [("sport", report), ("politics", debate)] {
        std::fs::create_dir_all(dir.path().join("data").join(topic)).unwrap();
        for k in 0..3 {
            std::fs::write(
                dir.path().join("data").join(topic).join(format!("{k}.txt")),
                format!("{} Number {k}.", text.repeat(5)),
            )
            .unwrap();
        }
    }
    let data = dir.path().join("data");
    let model = dir.path().join("topics.tsv");
    let o =
        run(&["train", "topics", "--data", data.to_str().unwrap(), "--out", model.to_str().unwrap(), "--folds", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("3-fold cross-validation"), "{out}");
    assert!(std::fs::read_to_string(&model).unwrap().contains("#topics\tpolitics:3\tsport:3"));
    let o = run(&["eval", "topics", "--data", data.to_str().unwrap(), "--min-accuracy", "100"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("accuracy against their folders: 100.0% (6 of 6)"));
    let o = run(&["train", "topics", "--data", dir.path().join("none").to_str().unwrap(), "--out", "x"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("none"), "{}", stderr(&o));
}
