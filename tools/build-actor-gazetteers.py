#!/usr/bin/env python3
"""Builds the organisation and people gazetteers in crates/nlp/data/gaz/ for the recognizer.

    python3 tools/build-actor-gazetteers.py [PATH/TO/shared/datasets]

Sources (nothing is fetched at run time):
- The Phoenix actor dictionaries of PETRARCH2 (MIT, (c) 2014 Open Event Data Alliance), in
  ../shared/datasets/petrarch2/: Phoenix.International.actors.txt (IGOs, NGOs and their office
  holders), Phoenix.MilNonState.actors.txt (armed non-state groups) and
  Phoenix.Countries.actors.txt (national institutions and office holders, CountryInfo-derived).
  An entry whose code carries a date range is a person holding an office for that time; an
  entry without one is an organisation; bare country codes (places) are left out.
- pytickersymbols 1.17.10 (MIT, PyPI): the companies of the major stock indices, with their
  other names, downloaded with pip into a temporary folder.

Output: organizations.txt and people.txt, one lowercased name per line, sorted. The recognizer
matches them case- and accent-insensitively on capitalised words only, as a feature whose
weight the model learns; a name on a list is evidence, not a verdict.
"""
import os, re, subprocess, sys, tempfile, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "crates", "nlp", "data", "gaz")


def phrase(raw):
    """'KOFI_ATTA_ANNAN_' -> 'kofi atta annan'; drops bracketed acronyms and stray marks."""
    s = raw.strip().rstrip("_").replace("_", " ")
    s = re.sub(r"\([^)]*\)", " ", s)
    s = re.sub(r"\s+", " ", s).strip(" ,.-+")
    return s.lower()


def read_actors(path):
    """Yields (names, codes) per entry: the headword and its '+' synonyms, and every code."""
    names, codes = [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            body = line.split("#", 1)[0].rstrip()
            if not body.strip():
                continue
            if body[0] in " \t":
                codes += re.findall(r"\[([^\]]*)\]", body)
                continue
            head = body.split("[", 1)[0]
            if body.startswith("+"):
                names.append(head[1:])
                codes += re.findall(r"\[([^\]]*)\]", body)
                continue
            if names:
                yield names, codes
            names, codes = [head], re.findall(r"\[([^\]]*)\]", body)
    if names:
        yield names, codes


def usable(name):
    words = name.split()
    return 1 <= len(words) <= 8 and len(name) >= 3 and re.search(r"[a-z]", name)


def main():
    datasets = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "datasets")
    phoenix = os.path.join(datasets, "petrarch2")
    orgs, people = set(), set()
    for file in ["Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt", "Phoenix.Countries.actors.txt"]:
        for names, codes in read_actors(os.path.join(phoenix, file)):
            dated = any(re.search(r"\d{6}", c) for c in codes)
            country_only = codes and all(re.fullmatch(r"[A-Z]{3}", c.strip()) for c in codes)
            if country_only or not codes and file.startswith("Phoenix.Countries"):
                continue
            target = people if dated else orgs
            for n in names:
                p = phrase(n)
                if usable(p):
                    target.add(p)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", tmp, "pytickersymbols==1.17.10"],
            check=True,
        )
        wheel = zipfile.ZipFile(os.path.join(tmp, next(f for f in os.listdir(tmp) if f.endswith(".whl"))))
        sys.path.insert(0, tmp)
        wheel.extractall(tmp)
        from pytickersymbols import PyTickerSymbols

        symbols = PyTickerSymbols()
        for index in symbols.get_all_indices():
            for stock in symbols.get_stocks_by_index(index):
                for n in [stock["name"]] + list(stock.get("akas") or []):
                    p = re.sub(r"\s+", " ", n).strip().lower()
                    if usable(p):
                        orgs.add(p)
    # A name that is both (a ministry's acronym and a minister's) says nothing about its type.
    both = orgs & people
    for path, names in [("organizations.txt", orgs - both), ("people.txt", people - both)]:
        with open(os.path.join(OUT, path), "w", encoding="utf-8") as f:
            f.write("".join(n + "\n" for n in sorted(names)))
        print(f"{path}: {len(names - both)} names")


if __name__ == "__main__":
    main()
