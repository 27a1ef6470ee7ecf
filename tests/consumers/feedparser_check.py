#!/usr/bin/python3
"""Real consumers of mtport's JSON Feed.

Debian 12's python3-feedparser (6.0.10) reads the *source* Atom feed on its
own, independently of mtport's reader; it has no JSON Feed parser (that came
in feedparser 6.1), so the JSON Feed itself is read by Python's json module
against the spec, and by @extractus/feed-extractor (npm) when NODE_DIR holds
it. Every item must be there with the source's id, title and date. The
title is compared as MT's pages showed it: MT stores titles as HTML and
writes them into its feeds as they are (text titles too, with their tags
removed), so the source's title is decoded once as HTML here.

usage: feedparser_check.py MTPORT NODE_DIR ATOM_FILE...
exit 77 when feedparser is missing or no input exists."""
import calendar
import html
import re
import json
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import feedparser
except ImportError:
    print("python3-feedparser is not installed")
    sys.exit(77)

exe, node_dir, files = sys.argv[1], sys.argv[2], sys.argv[3:]
files = [f for f in files if os.path.exists(f)]
if not files:
    print("no input feeds found")
    sys.exit(77)
node = shutil.which("node")
passed = failed = 0
node_runs = 0


def norm(s):
    return " ".join((s or "").split())


def shown(entry):
    """The title as MT's pages showed it: tags of an HTML title left out,
    character references decoded once."""
    t = entry.get("title") or ""
    if (entry.get("title_detail") or {}).get("type") == "text/html":
        t = re.sub(r"<[A-Za-z/!][^>]*>", "", t)
    return html.unescape(t)


for path in files:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "feed.json")
        args = [exe, "convert", "--quiet", "--to", "jsonfeed", "--output", out]
        if "cyberham" in path:  # the Cocolog feed is not well-formed
            args.append("--recover")
        r = subprocess.run(args + [path], capture_output=True, text=True)
        if r.returncode != 0:
            print(f"FAIL {path}: mtport exited {r.returncode}: {r.stderr}")
            failed += 1
            continue
        with open(out, encoding="utf-8") as f:
            ours = json.load(f)
        src = feedparser.parse(path)
        items = ours.get("items", [])
        if ours.get("version") != "https://jsonfeed.org/version/1.1":
            print(f"FAIL {path}: version {ours.get('version')!r}")
            failed += 1
        if len(items) != len(src.entries):
            print(f"FAIL {path}: {len(items)} items, feedparser sees {len(src.entries)} in the source")
            failed += 1
            continue
        expected = []
        for i, (s, g) in enumerate(zip(src.entries, items)):
            problems = []
            if s.get("id") != g.get("id"):
                problems.append(f"id {g.get('id')!r} != {s.get('id')!r}")
            if norm(shown(s)) != norm(g.get("title")):
                problems.append(f"title {g.get('title')!r} != {shown(s)!r}")
            sd = s.get("published_parsed") or s.get("updated_parsed")
            epoch = calendar.timegm(sd) if sd else None
            gd = feedparser.datetimes._parse_date(g.get("date_published", "")) \
                if g.get("date_published") else None
            if epoch is not None and (not gd or calendar.timegm(gd) != epoch):
                problems.append(f"date {g.get('date_published')!r} != {s.get('published')!r}")
            if not (g.get("content_html") is not None or g.get("content_text") is not None):
                problems.append("no content")
            # Atom bodies are HTML: what the Markdown outputs leave out is
            # gone here too (mtport_html_clean)
            if "<script" in (g.get("content_html") or "").lower():
                problems.append("a script left in content_html")
            if "_mtport" in g and not isinstance(g["_mtport"], dict):
                problems.append("_mtport is not an object")
            if problems:
                failed += 1
                print(f"FAIL {path} item {i + 1}: " + "; ".join(problems))
            else:
                passed += 1
            expected.append(f"{s.get('id')}\t{norm(shown(s))}\t{'' if epoch is None else epoch}")
        if node:
            exp = os.path.join(tmp, "expected.tsv")
            with open(exp, "w", encoding="utf-8") as f:
                f.write("\n".join(expected) + "\n")
            here = os.path.dirname(os.path.abspath(__file__))
            r = subprocess.run([node, os.path.join(here, "feedextractor_check.cjs"),
                                node_dir, out, exp], capture_output=True, text=True)
            if r.returncode == 0:
                node_runs += 1
            elif r.returncode != 77:
                failed += 1
                print(r.stdout + r.stderr)
print(f"{passed} items matched feedparser's reading of {len(files)} sources; "
      f"feed-extractor read {node_runs} feeds")
if node_runs == 0 and os.environ.get("MTPORT_REQUIRE_CONSUMERS"):
    print("feed-extractor was required but did not run")
    failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
