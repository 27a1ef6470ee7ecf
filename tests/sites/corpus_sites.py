#!/usr/bin/python3
"""Every real export of the corpus through one exporter and its real
consumer (site_test.py per file). The number of content files must match the
true entry count of MANIFEST.tsv (backups also hold pages: at least that
many). Files whose format no importer reads yet are skipped; exit 77 when
the corpus is absent or nothing could be read.

corpus_sites.py DRIVER FLAVOR CORPUS_DIR TMPDIR
"""
import os
import re
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
driver, flavor, corpus, tmp = sys.argv[1:5]
manifest = os.path.join(corpus, "MANIFEST.tsv")
if not os.path.exists(manifest):
    print("SKIP: no corpus at", corpus)
    sys.exit(77)
ran = failed = 0
with open(manifest, encoding="utf-8") as fh:
    rows = [line.rstrip("\n").split("\t") for line in fh][1:]
for row in rows:
    name, fmt, entries = row[0], row[4], int(row[5])
    if fmt == "other-atom":
        continue  # not well-formed: needs --recover, covered elsewhere
    r = subprocess.run(
        ["/usr/bin/python3", os.path.join(here, "site_test.py"), driver, flavor,
         "run", os.path.join(corpus, name), os.path.join(tmp, name), "scaffold"],
        capture_output=True, text=True, errors="replace")
    if r.returncode == 77:
        print("skip %s (%s): not readable yet" % (name, fmt))
        continue
    ran += 1
    m = re.search(r"(\d+) content files checked", r.stdout)
    got = int(m.group(1)) if m else -1
    ok = r.returncode == 0 and (got >= entries if fmt == "mt-backup"
                                else got == entries)
    print("%s %s: %s content files, %d entries" % ("ok  " if ok else "FAIL",
                                                   name, got, entries))
    if not ok:
        failed += 1
        print(r.stdout[-3000:], r.stderr[-3000:])
if not ran:
    sys.exit(77)
print("%d files, %d failed" % (ran, failed))
sys.exit(1 if failed else 0)
