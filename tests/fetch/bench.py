#!/usr/bin/env python3
"""Throughput and peak memory of the fetcher against the local test server
(server.py on 127.0.0.1): many small files, then a few big ones, each into
a fresh cache, then the small ones again from the cache.

usage: bench.py TOOL [--small N] [--big N] [--jobs J,...]
The small files are 50 KB, the big ones 50 MB. Peak memory is the tool's
maximum resident set (/usr/bin/time -f %M). The server is Python: for the
small files it, not the fetcher, is likely the limit.
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


def run(tool, cache, urls, jobs, extra=()):
    cmd = ["/usr/bin/time", "-f", "maxrss %M", tool, "--cache", cache,
           "--host", "127.0.0.1", "--jobs", str(jobs)] + list(extra)
    t0 = time.monotonic()
    p = subprocess.run(cmd, input="".join(u + "\n" for u in urls),
                       capture_output=True, text=True)
    took = time.monotonic() - t0
    if p.returncode != 0:
        raise SystemExit("tool failed: " + p.stderr)
    bad = [line for line in p.stdout.splitlines()
           if line.split("\t")[1] != "ok"]
    if bad:
        raise SystemExit("failed downloads:\n" + "\n".join(bad[:5]))
    stats = dict(kv.split("=") for kv in
                 re.search(r"^stats (.*)$", p.stderr, re.M).group(1).split())
    rss = int(re.search(r"^maxrss (\d+)$", p.stderr, re.M).group(1))
    return took, int(stats["bytes"]), int(stats["requests"]), rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tool")
    ap.add_argument("--small", type=int, default=2000)
    ap.add_argument("--big", type=int, default=4)
    ap.add_argument("--jobs", default="1,4,8")
    a = ap.parse_args()
    for k in list(os.environ):
        if k.lower().endswith("_proxy"):
            del os.environ[k]
    srv = server.start()
    base = "http://127.0.0.1:%d" % srv.server_address[1]
    tmp = tempfile.mkdtemp(prefix="mtport-fetch-bench-")
    print("%-26s %5s %8s %8s %8s %9s %8s" % ("case", "jobs", "files", "s",
                                              "files/s", "MB/s", "peak KB"))
    try:
        for jobs in [int(j) for j in a.jobs.split(",")]:
            cases = [("small 50 KB", [base + "/bench/s/%d" % i
                                      for i in range(a.small)], ()),
                     ("big 50 MB", [base + "/bench/b/%d" % i
                                    for i in range(a.big)],
                      ("--max-size", str(100 << 20)))]
            for name, urls, extra in cases:
                if not urls:
                    continue
                cache = os.path.join(tmp, "c")
                shutil.rmtree(cache, ignore_errors=True)
                took, nbytes, _, rss = run(a.tool, cache, urls, jobs, extra)
                print("%-26s %5d %8d %8.2f %8.0f %9.1f %8d"
                      % (name, jobs, len(urls), took, len(urls) / took,
                         nbytes / took / 1e6, rss))
                if name.startswith("small"):
                    srv.state.reset()
                    took, _, req, rss = run(a.tool, cache, urls, jobs, extra)
                    assert req == 0 and srv.state.total == 0
                    print("%-26s %5d %8d %8.2f %8.0f %9s %8d"
                          % ("small again, from cache", jobs, len(urls), took,
                             len(urls) / took, "-", rss))
    finally:
        server.stop(srv)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
