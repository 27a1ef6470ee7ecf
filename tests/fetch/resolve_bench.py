#!/usr/bin/env python3
"""Throughput and peak memory of the resolver with fetching on
(resolve_tool) against the local test server (server.py on 127.0.0.1):
POSTS posts referring to FILES images of 50 KB in all (and BIG files of
50 MB), collected, downloaded, stored and rewritten; then the same again
from the cache (no request), then offline.

usage: resolve_bench.py TOOL [--posts N] [--files N] [--big N] [--jobs J,...]
Peak memory is the tool's maximum resident set (/usr/bin/time -f %M). The
server is Python: for small files it, not the fetcher, is likely the
limit.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server  # noqa: E402


def run(tool, site, out, cache, inputs, jobs, extra=()):
    cmd = ["/usr/bin/time", "-f", "maxrss %M", tool, "--site", site, "--out",
           out, "--cache", cache, "--jobs", str(jobs)] + list(extra) + inputs
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    took = time.monotonic() - t0
    if p.returncode != 0:
        raise SystemExit("tool failed: " + p.stderr[-2000:])
    t = dict(kv.split("=") for kv in
             re.search(r"^totals (.*)$", p.stdout, re.M).group(1).split())
    rss = int(re.search(r"^maxrss (\d+)$", p.stderr, re.M).group(1))
    return took, {k: int(v) for k, v in t.items()}, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tool")
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--big", type=int, default=0)
    ap.add_argument("--jobs", default="1,4,8")
    a = ap.parse_args()
    for k in list(os.environ):
        if k.lower().endswith("_proxy"):
            del os.environ[k]
    srv = server.start()
    site = "http://127.0.0.1:%d/" % srv.server_address[1]
    tmp = tempfile.mkdtemp(prefix="mtport-resolve-bench-")
    try:
        inputs = []
        per = max(1, a.files // a.posts)
        n = 0
        for i in range(a.posts):
            refs = []
            while len(refs) < per and n < a.files:
                refs.append('<p><img src="/bench/s/%d"></p>' % n)
                n += 1
            if i < a.big:
                refs.append('<p><a href="/bench/b/%d.mp4">v</a></p>' % i)
            p = os.path.join(tmp, "in-%d.html" % i)
            with open(p, "w") as f:
                f.write("<p>post %d</p>\n%s\n" % (i, "\n".join(refs)))
            inputs.append(p)
        print("%-22s %4s %7s %7s %8s %8s %8s" % ("case", "jobs", "files",
                                                 "s", "files/s", "MB/s",
                                                 "peak KB"))
        for jobs in [int(j) for j in a.jobs.split(",")]:
            cache = os.path.join(tmp, "c%d" % jobs)
            for case, extra in (("fetch", []), ("again, from cache", []),
                                ("offline", ["--offline"])):
                out = os.path.join(tmp, "o")
                shutil.rmtree(out, ignore_errors=True)
                took, t, rss = run(a.tool, site, out, cache, inputs, jobs,
                                   extra)
                files = t["fetched"] + t["cached"]
                print("%-22s %4d %7d %7.2f %8.0f %8.1f %8d  +%d requests"
                      % (case, jobs, files, took, files / took,
                         t["bytes"] / took / 1e6, rss, t["requests"]))
                sys.stdout.flush()
    finally:
        server.stop(srv)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
