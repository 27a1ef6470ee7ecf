#!/usr/bin/python3
"""Converts every mt-backup file of the real corpus and checks the counts of
MANIFEST.tsv: posts (entries + pages, see the notes), comments and tbpings.
Exits 77 (skip) when the corpus is absent."""
import csv, os, re, subprocess, sys

dump, corpus = sys.argv[1], sys.argv[2]
manifest = os.path.join(corpus, "MANIFEST.tsv")
if not os.path.exists(manifest):
    print("skip: no corpus at", corpus)
    sys.exit(77)
fails = checked = 0
with open(manifest, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f, delimiter="\t"):
        if row["format"] != "mt-backup":
            continue
        notes = row["notes"]
        def count(word):
            m = re.search(r"(\d+) " + word + r"\b", notes)
            return int(m.group(1)) if m else 0
        pages = count("pages")
        posts = int(row["entries"]) + pages
        args = [dump, "--junk", "--expect-posts=%d" % posts,
                "--expect-pages=%d" % pages,
                "--expect-comments=%d" % count("comments"),
                "--expect-pings=%d" % count("tbpings"),
                os.path.join(corpus, row["file"])]
        r = subprocess.run(args, capture_output=True, text=True)
        checked += 1
        status = "ok" if r.returncode == 0 else "FAIL"
        print("%s %s: %s" % (status, row["file"], r.stdout.strip()))
        if r.returncode != 0:
            fails += 1
            print(r.stderr)
print("%d files checked, %d failed" % (checked, fails))
sys.exit(1 if fails or not checked else 0)
