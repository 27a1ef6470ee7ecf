#!/usr/bin/python3
"""Benchmark: on the same synthetic export, in the same run, times
`mtport convert` to every output format, `xmllint --stream --noout` (the XML
parse floor), and, on the same bodies, `pandoc -f html -t gfm` and turndown
(npm) when they are installed. Prints MB/s, entries/s, peak RSS and ratios.

usage: bench.py [--entries N] [--kind atom|text] [--file EXPORT] [--mtport EXE]
                [--node-dir DIR] [--repeat K] [--outdir DIR] [--formats A,B]
Outputs go to a fresh folder under --outdir (default /dev/shm when it
exists: the converter is timed, not the disk). Each format runs with its
default threads and, for the formats that convert bodies on threads, with
--jobs 1 too. "s" is wall time; "cpu s" is user + system time, whose MB/s
is the speed per core. Not part of the default test suite; README shows its
table."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def run(cmd, stdout=subprocess.DEVNULL, stdin=None):
    """Runs cmd; returns (seconds, peak RSS in MB, exit code, CPU seconds)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL, stdin=stdin)
    _, status, ru = os.wait4(p.pid, 0)
    return (time.perf_counter() - t0, ru.ru_maxrss / 1024.0,
            os.waitstatus_to_exitcode(status), ru.ru_utime + ru.ru_stime)


def best(cmd, k, **kw):
    results = [run(cmd, **kw) for _ in range(k)]
    return (min(r[0] for r in results), max(r[1] for r in results),
            results[-1][2], min(r[3] for r in results))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=20000)
    ap.add_argument("--kind", default="atom")
    ap.add_argument("--file")
    ap.add_argument("--mtport", default=os.path.join(ROOT, "build", "mtport"))
    ap.add_argument("--node-dir", default=os.path.join(ROOT, "build-node"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--formats", default="")
    ap.add_argument("--outdir", default="/dev/shm" if os.path.isdir("/dev/shm") else None)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="mtport-bench-")
    outroot = tempfile.mkdtemp(prefix="mtport-bench-out-", dir=a.outdir)
    try:
        path = a.file
        if not path:
            path = os.path.join(tmp, "export." + ("atom" if a.kind == "atom" else "txt"))
            with open(path, "wb") as f:
                subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), a.kind,
                                str(a.entries)], stdout=f, check=True)
        size_mb = os.path.getsize(path) / 1e6
        fmts = subprocess.run([a.mtport, "formats"], capture_output=True, text=True).stdout
        outputs = re.findall(r"^  (\S+) ", fmts.split("output formats:")[1], re.M)
        if a.formats:
            outputs = [o for o in outputs if o in a.formats.split(",")]
        rows = []
        n = a.entries
        threaded = ("hugo", "jekyll")  # they convert bodies on worker threads
        for fmt in outputs:
            for jobs in ([None, 1] if fmt in threaded else [None]):
                res = []
                for k in range(a.repeat):
                    # a fresh folder each time: no deletion is timed
                    out = os.path.join(outroot, f"{fmt}-{jobs}-{k}")
                    cmd = [a.mtport, "convert", "--quiet", "--to", fmt, "--output", out]
                    if jobs:
                        cmd += ["--jobs", str(jobs)]
                    res.append(run(cmd + [path]))
                    if os.path.isdir(out):
                        shutil.rmtree(out, ignore_errors=True)
                    elif os.path.exists(out):
                        os.remove(out)
                name = f"mtport --to {fmt}" + (f" -j{jobs}" if jobs else "")
                rows.append((name, min(r[0] for r in res), max(r[1] for r in res),
                             res[-1][2], min(r[3] for r in res)))
        if shutil.which("xmllint") and path.endswith(".atom"):
            secs, rss, code, cpu = best(["xmllint", "--stream", "--noout", path], a.repeat)
            rows.append(("xmllint --stream --noout", secs, rss, code, cpu))
        floor = next((r[1] for r in rows if r[0].startswith("xmllint")), None)
        print(f"input: {path} ({size_mb:.1f} MB, {n} entries); outputs in {outroot}; "
              f"{os.cpu_count()} CPUs; best of {a.repeat}")
        print(f"{'command':34} {'s':>6} {'MB/s':>7} {'cpu s':>6} {'MB/s/core':>9} "
              f"{'entries/s':>9} {'RSS MB':>7} {'x xmllint':>9}")
        for name, secs, rss, code, cpu in rows:
            ratio = f"{secs / floor:9.1f}" if floor else f"{'':9}"
            flag = "" if code == 0 else f"  (exit {code})"
            print(f"{name:34} {secs:6.2f} {size_mb / secs:7.1f} {cpu:6.2f} "
                  f"{size_mb / max(cpu, 1e-9):9.1f} {n / secs:9.0f} {rss:7.1f} {ratio}{flag}")
        # HTML bodies alone, for the HTML -> Markdown converters
        if path.endswith(".atom"):
            bodies = os.path.join(tmp, "bodies.html")
            with open(path, encoding="utf-8") as f, open(bodies, "w", encoding="utf-8") as o:
                for m in re.finditer(r"<!\[CDATA\[(.*?)\]\]>", f.read(), re.S):
                    o.write(m.group(1) + "\n")
            bmb = os.path.getsize(bodies) / 1e6
            peers = []
            if shutil.which("pandoc"):
                with open(bodies) as i:
                    peers.append(("pandoc -f html -t gfm",) + run(["pandoc", "-f", "html", "-t", "gfm"], stdin=i))
            turndown = os.path.join(a.node_dir, "node_modules", "turndown")
            if shutil.which("node") and os.path.isdir(turndown):
                js = ("const T=require(process.argv[1]);const fs=require('fs');"
                      "const s=fs.readFileSync(process.argv[2],'utf8');"
                      "new T().turndown(s);")
                peers.append(("turndown (node)",) + run(["node", "-e", js, turndown, bodies]))
            if peers:
                print(f"\nbodies only: {bmb:.1f} MB of HTML")
                for name, secs, rss, code, cpu in peers:
                    print(f"{name:34} {secs:6.2f} {bmb / secs:7.1f} {cpu:6.2f} "
                          f"{bmb / max(cpu, 1e-9):9.1f} {'':9} {rss:7.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(outroot, ignore_errors=True)


if __name__ == "__main__":
    main()
