#!/usr/bin/env python3
"""Builds the Wikipedia name lists in crates/nlp/data/gaz/ for the recognizer's features.

    python3 tools/build-wiki-gazetteers.py [PATH/TO/shared/datasets]

Source: gazetteers/wikipedia-lists/ (the Wikipedia title lists of Ratinov & Roth's Illinois
tagger as GROBID keeps them, Apache-2.0): WikiOrganizations.lst and its redirects,
WikiLocations.lst and its redirects. Titles are names, not text.

The lists are noisy, so each title is filtered:
- other namespaces ("Category:", "Template:", "User:") and list or topic pages ("List of …",
  "History of …") go;
- a disambiguation in brackets ("Paramount Theatre (Seattle)") is cut off;
- a place's title with a comma ("Bay Springs, Mississippi") also gives its first part;
- a title of more than six words, with no capital letter, or with no letter goes;
- among places, a short all-capital title (an airport or station code) goes;
- among organisations, a title that reads as a person's name (a known first name, two or
  three words, no organisation word) goes: redirects from office holders are common.

Output: wiki-organizations.txt.gz and wiki-places.txt.gz, one lowercased title a line,
sorted and deduplicated. The recognizer hashes them at load and marks capitalised word runs
that match, as a feature whose weight it learns: evidence, not a verdict.
"""
import gzip, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "crates", "nlp", "data", "gaz")

NAMESPACE = re.compile(r"^[A-Z][A-Za-z ]*:")
TOPIC = re.compile(
    r"^(List|Lists|Index|Outline|Timeline|History|Geography|Demographics|Politics|Economy|Culture|"
    r"Government|Transport|Education|Religion|Music|Sport|Sports|Flag|Coat of arms|Comparison|Glossary) (of|in)\b"
)
ORG_WORDS = {
    "inc", "inc.", "corp", "corp.", "corporation", "company", "co", "co.", "ltd", "ltd.", "limited", "group",
    "bank", "university", "college", "school", "institute", "association", "society", "party", "club", "fc",
    "council", "committee", "agency", "ministry", "department", "union", "league", "federation", "foundation",
    "organization", "organisation", "trust", "press", "records", "studios", "airlines", "airways", "church",
    "army", "navy", "force", "police", "news", "times", "post", "media", "network", "radio", "television", "tv",
    "holdings", "industries", "systems", "motors", "energy", "oil", "museum", "hospital", "centre", "center",
}


def clean(title):
    title = title.strip().lstrip("\ufeff")
    if not title or NAMESPACE.match(title) or TOPIC.match(title):
        return None
    title = re.sub(r"\s*\([^)]*\)\s*$", "", title).strip()
    words = title.split()
    if not words or len(words) > 6:
        return None
    if not any(c.isupper() for c in title) or not any(c.isalpha() for c in title):
        return None
    return title


def first_names():
    with open(os.path.join(OUT, "first-names.txt"), encoding="utf-8") as f:
        return {line.strip().lower() for line in f if line.strip()}


def main():
    data = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "datasets"))
    base = os.path.join(data, "gazetteers", "wikipedia-lists")
    names = first_names()

    def read(*files):
        for name in files:
            with open(os.path.join(base, name), encoding="utf-8", errors="replace") as f:
                for line in f:
                    t = clean(line)
                    if t:
                        yield t

    places = set()
    for t in read("WikiLocations.lst", "WikiLocationsRedirects.lst"):
        parts = [t] + ([t.split(",")[0].strip()] if "," in t else [])
        for p in parts:
            if p and not (p.isupper() and len(p) <= 5) and any(c.isupper() for c in p):
                places.add(p.lower())
    orgs = set()
    for t in read("WikiOrganizations.lst", "WikiOrganizationsRedirects.lst"):
        words = t.lower().replace(",", " ").split()
        person_like = 2 <= len(words) <= 3 and words[0] in names and not (set(words) & ORG_WORDS)
        if not person_like:
            orgs.add(t.lower())
    for name, items in [("wiki-places.txt.gz", places), ("wiki-organizations.txt.gz", orgs)]:
        # mtime=0: the same lists give the same bytes.
        with open(os.path.join(OUT, name), "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
            f.write("".join(x + "\n" for x in sorted(items)).encode("utf-8"))
        print(f"{name}: {len(items)} names")


if __name__ == "__main__":
    main()
