#!/usr/bin/python3
"""The HTML outputs (WXR and JSON Feed) through the command line, over
samples/junk-and-twins.txt: tracking junk removed and counted, the rest of
the bodies kept, WordPress's duplicate rule applied with notes that name
the file, line and entry, the default author, keywords kept.

usage: htmlout_check.py MTPORT SAMPLE"""
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
JUNK = ("zemanta", "feedburner", "feedflare", "<script")

failures = 0


def expect(cond, what):
    global failures
    if not cond:
        print("FAIL: " + what)
        failures += 1


def run(exe, fmt, sample, out, *extra):
    r = subprocess.run([exe, "convert", "--json-diagnostics", "--force",
                        "--timezone", "UTC", "--to", fmt, "--output", out,
                        *extra, sample], capture_output=True, text=True)
    expect(r.returncode == 0, f"{fmt}: exit {r.returncode}: {r.stderr}")
    return [json.loads(l) for l in r.stderr.splitlines() if l.startswith("{")]


def notes(diags, code):
    return [d for d in diags if d.get("code") == code]


def main(exe, sample):
    with tempfile.TemporaryDirectory() as tmp:
        # WXR
        out = os.path.join(tmp, "o.xml")
        diags = run(exe, "wxr", sample, out)
        items = list(ET.parse(out).getroot().iter("item"))
        expect(len(items) == 3, f"{len(items)} items")
        bodies = [i.findtext(CONTENT) or "" for i in items]
        for b in bodies:
            for j in JUNK:
                expect(j not in b.lower(), f"wxr: {j!r} left in {b!r}")
        expect("<p>Coffee first.</p>" in bodies[0] and "<!--more-->" in bodies[0]
               and "<p>More coffee.</p>" in bodies[0],
               f"wxr: the body and extended body kept: {bodies[0]!r}")
        dates = [i.findtext(WP + "post_date") for i in items]
        expect(dates == ["2012-03-04 05:06:07", "2012-03-04 05:06:08",
                         "2012-03-04 05:06:09"], f"wxr: dates {dates}")
        nudges = notes(diags, "date-nudged")
        expect(len(nudges) == 2 and all(n["severity"] == "note" for n in nudges),
               f"wxr: two date-nudged notes, got {nudges}")
        expect([n.get("line") for n in nudges] == [21, 32] and
               [n.get("entry") for n in nudges] == [2, 3],
               f"wxr: nudge notes at lines 21 and 32, entries 2 and 3: {nudges}")
        expect(all("entry 1" in n["message"] for n in nudges),
               "wxr: the notes name the entry each post would be taken for")
        junk = notes(diags, "junk-removed")
        expect(len(junk) == 2 and junk[0].get("entry") == 1 and
               not junk[1].get("entry") and
               all("3 tracking elements" in j["message"] for j in junk),
               f"wxr: a junk note for entry 1 and one for the run: {junk}")
        creators = [i.findtext("{http://purl.org/dc/elements/1.1/}creator")
                    for i in items]
        logins = [a.findtext(WP + "author_login")
                  for a in ET.parse(out).getroot().iter(WP + "author")]
        expect(creators[2] and creators[2] in logins,
               f"wxr: the untitled entry has a declared author: {creators}")
        expect(len(notes(diags, "default-author")) == 1,
               "wxr: one default-author note")
        run(exe, "wxr", sample, out, "--default-author", "Hana's editor")
        root = ET.parse(out).getroot()
        names = [a.findtext(WP + "author_display_name")
                 for a in root.iter(WP + "author")]
        expect("Hana's editor" in names, f"--default-author: {names}")
        meta = {m.findtext(WP + "meta_key"): m.findtext(WP + "meta_value")
                for m in root.iter(WP + "postmeta")}
        expect(meta.get("mt_keywords") == "coffee, b:1;",
               f"wxr: keywords as a custom field: {meta}")
        # JSON Feed
        out = os.path.join(tmp, "o.json")
        diags = run(exe, "jsonfeed", sample, out)
        with open(out, encoding="utf-8") as f:
            feed = json.load(f)
        first = feed["items"][0]
        html = first.get("content_html", "")
        for j in JUNK:
            expect(j not in html.lower(), f"jsonfeed: {j!r} left in {html!r}")
        expect("<p>Coffee first.</p>" in html and "<!--more-->" in html and
               "<p>More coffee.</p>" in html,
               f"jsonfeed: the body and extended body kept: {html!r}")
        ext = first.get("_mtport", {})
        expect(ext.get("keywords") == "coffee, b:1;" and
               ext.get("basename") == "cafe_society",
               f"jsonfeed: _mtport holds keywords and basename: {ext}")
        junk = notes(diags, "junk-removed")
        expect(len(junk) == 2 and junk[0].get("entry") == 1 and
               all("3 tracking elements" in j["message"] for j in junk),
               f"jsonfeed: a junk note for entry 1 and one for the run: {junk}")
    print("ok" if not failures else f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
