#!/usr/bin/env python3
"""Writes crates/events/data/cameo-plover.tsv: CAMEO code -> current PLOVER event and mode.

Reads the PLOVER project's CAMEO2PLOVER-2021.txt (../shared/datasets/plover/) and keeps only
the mapping itself (code, event, mode, context), no descriptions. Run from the repository root.
"""
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets/plover/CAMEO2PLOVER-2021.txt"
rows = []
for line in open(src, encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line or ":" not in line:
        continue
    code, rest = line.split(":", 1)
    parts = [p.strip() for p in rest.split(",")]
    event = parts[0]
    mode = parts[1] if len(parts) > 1 else ""
    context = ",".join(p for p in parts[2:] if p)
    rows.append((code.strip(), event, mode, context))
with open("crates/events/data/cameo-plover.tsv", "w", encoding="utf-8") as out:
    out.write("# cameo\tplover\tmode\tcontext (from PLOVER's CAMEO2PLOVER-2021 table; tools/build-cameo-plover.py)\n")
    for r in rows:
        out.write("\t".join(r) + "\n")
print(len(rows), "codes")
