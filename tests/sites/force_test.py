#!/usr/bin/python3
"""--force through the real CLI: a second run over an existing site changes
nothing and fails (scaffold files and posts are never overwritten silently);
with --force it succeeds and gives the same bytes, redirects file included.

force_test.py MTPORT SAMPLE TMPDIR FLAVOR
"""
import os
import shutil
import subprocess
import sys

exe, sample, tmp, flavor = sys.argv[1:5]
if not os.path.exists(sample):
    sys.exit(77)
shutil.rmtree(tmp, ignore_errors=True)
os.makedirs(tmp)
site = os.path.join(tmp, "site")
redirects = os.path.join(tmp, "redirects")
cmd = [exe, "convert", "--quiet", "--to", flavor, "--output", site, "--scaffold",
       "--redirects", redirects, "--redirects-format", "apache", sample]


def snapshot():
    out = {}
    for d, _, files in os.walk(tmp):
        for f in files:
            p = os.path.join(d, f)
            st = os.stat(p)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, tmp)] = (fh.read(), st.st_mtime_ns)
    return out


fails = 0
r = subprocess.run(cmd, capture_output=True, text=True)
if r.returncode != 0:
    print("FAIL: first run exited", r.returncode, r.stderr)
    sys.exit(1)
first = snapshot()
if not any(k.endswith(".md") for k in first) or "redirects" not in first:
    print("FAIL: no posts or no redirects file:", sorted(first))
    fails += 1
r = subprocess.run(cmd, capture_output=True, text=True)
if r.returncode == 0 or "output-exists" not in r.stderr:
    print("FAIL: second run without --force exited", r.returncode, r.stderr)
    fails += 1
if snapshot() != first:
    print("FAIL: a run without --force changed files")
    fails += 1
r = subprocess.run(cmd[:2] + ["--force"] + cmd[2:], capture_output=True,
                   text=True)
if r.returncode != 0:
    print("FAIL: run with --force exited", r.returncode, r.stderr)
    fails += 1
again = snapshot()
if {k: v[0] for k, v in again.items()} != {k: v[0] for k, v in first.items()}:
    print("FAIL: --force rerun gave different bytes")
    fails += 1
stray = [k for k in again if ".mtport-" in k]
if stray:
    print("FAIL: temporary files left:", stray)
    fails += 1
print("ok" if not fails else "FAILED")
sys.exit(1 if fails else 0)
