#!/usr/bin/python3
"""Totals of proof.py --stats files: entries and divergences, the share of
the sources' monospace characters the Hugo pages lose, and the Markdown's
backslash escapes per KB.

summarize.py STATS.json...
"""
import json
import sys


def main():
    rows = []
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as fh:
            rows.extend(json.load(fh))
    if not rows:
        print("no stats")
        return 1
    t = {k: sum(r.get(k, 0) for r in rows) for k in (
        "entries", "divergences", "known", "diverging_entries", "mono",
        "mono_lost_hugo", "mono_lost_entries", "md_bytes", "escapes",
        "escapes_bang", "escapes_backslash", "seconds")}
    kb = t["md_bytes"] / 1024.0 or 1
    print("%d files, %d entries, %d diverging entries, %d divergences "
          "(%d known)" % (len(rows), t["entries"], t["diverging_entries"],
                          t["divergences"], t["known"]))
    print("monospace: %d characters in the sources, %d lost on Hugo's pages "
          "(%.2f%%); %d entries lose more than 20%%" % (
              t["mono"], t["mono_lost_hugo"],
              100.0 * t["mono_lost_hugo"] / (t["mono"] or 1),
              t["mono_lost_entries"]))
    print("Markdown: %.0f KB, %d escapes (%.2f per KB): %d \\!, %d \\\\ "
          "before a letter" % (kb, t["escapes"], t["escapes"] / kb,
                               t["escapes_bang"], t["escapes_backslash"]))
    worst = sorted(rows, key=lambda r: -r.get("mono_lost_hugo", 0))[:5]
    for r in worst:
        if r.get("mono_lost_hugo"):
            print("  %s: %d of %d monospace characters lost (%.1f%%)" % (
                r["file"], r["mono_lost_hugo"], r["mono"],
                100.0 * r["mono_lost_hugo"] / (r["mono"] or 1)))
    print("time: %.0f s in all" % t["seconds"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
