#!/usr/bin/env python3
"""Builds the word-cluster table crates/nlp/data/clusters.tsv from unlabeled news text.

    cargo build --release && python3 tools/build-clusters.py [../shared/datasets]

The text (only the words are used; nothing of it is kept in the project):
- news-articles/bbc: 2,225 BBC articles, 2004-2005;
- plover/ngec: 4,500 synthetic news stories of political events (their `text` column);
- tempeval3: the text of the TimeBank and AQUAINT articles (markup dropped);
- conll2003/train.txt: the words of the NER training split, a sentence a line;
- news-articles/reuters21578: the bodies of 19,043 Reuters newswire stories of 1987 (2.6 M
  words; their lines are re-joined into paragraphs, XML entities decoded).
Everything but BBC is written as plain .txt files into a temporary folder, then
`dateline train clusters` pools them. The tagger and the recognizer use the clusters as
features: retrain both after rebuilding the table (see the README).
"""
import csv, html, io, os, re, subprocess, sys, tempfile, zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "crates", "nlp", "data", "clusters.tsv")


def main():
    data = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "datasets"))
    binary = os.path.join(ROOT, "target", "release", "dateline")
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(os.path.join(data, "plover", "ngec", "gpt_synthetic_events_2023-10-19_19.csv.zip")) as z:
            with z.open(z.namelist()[0]) as f:
                for n, row in enumerate(csv.DictReader(io.TextIOWrapper(f, "utf-8"))):
                    with open(os.path.join(tmp, f"plover-{n:05}.txt"), "w") as out:
                        out.write(row["text"])
        for folder in ["TimeBank", "AQUAINT"]:
            base = os.path.join(data, "tempeval3", folder)
            for name in sorted(os.listdir(base)):
                xml = open(os.path.join(base, name), encoding="utf-8").read()
                body = re.search(r"<TEXT>(.*?)</TEXT>", xml, re.S)
                if body:
                    with open(os.path.join(tmp, f"tml-{name}.txt"), "w") as out:
                        out.write(re.sub(r"<[^>]+>", "", body.group(1)))
        with open(os.path.join(data, "conll2003", "train.txt"), encoding="utf-8") as f, open(
            os.path.join(tmp, "conll-train.txt"), "w"
        ) as out:
            words = []
            for line in f:
                cols = line.split()
                if cols:
                    words.append(cols[0])
                elif words:
                    out.write(" ".join(words) + "\n\n")
                    words = []
        reuters = os.path.join(data, "news-articles", "reuters21578")
        n = 0
        for name in sorted(os.listdir(reuters)):
            if not (name.startswith("reut2-") and name.endswith(".xml")):
                continue
            # The files are XML but for the odd control character: read them as text.
            raw = open(os.path.join(reuters, name), encoding="utf-8", errors="replace").read()
            for body in re.findall(r"<BODY>(.*?)</BODY>", raw, re.S):
                body = html.unescape(re.sub(r"[\x00-\x08\x0b-\x1f]", " ", body))
                # Paragraphs open with an indent; other line breaks are the wire's wrapping.
                paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s{3,}", body)]
                with open(os.path.join(tmp, f"reuters-{n:05}.txt"), "w") as out:
                    out.write("\n\n".join(p for p in paragraphs if p))
                n += 1
        corpus = [os.path.join(data, "news-articles", "bbc"), tmp]
        subprocess.run([binary, "train", "clusters", "--corpus", *corpus, "--out", OUT], check=True)


if __name__ == "__main__":
    main()
