#!/usr/bin/python3
"""Benchmark: on the same synthetic export, in the same run, times
`mtport convert` to every output format, `xmllint --stream --noout` (the XML
parse floor), and, on the same bodies, `pandoc -f html -t gfm` and turndown
(npm) when they are installed. Prints MB/s, entries/s, peak RSS and ratios.

usage: bench.py [--entries N] [--kind atom|text] [--file EXPORT] [--mtport EXE]
                [--node-dir DIR] [--repeat K]
Not part of the default test suite; README shows its table."""
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
    """Runs cmd; returns (seconds, peak RSS in MB, exit code)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL, stdin=stdin)
    _, status, ru = os.wait4(p.pid, 0)
    return time.perf_counter() - t0, ru.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def best(cmd, k, **kw):
    results = [run(cmd, **kw) for _ in range(k)]
    secs = min(r[0] for r in results)
    return secs, max(r[1] for r in results), results[-1][2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=20000)
    ap.add_argument("--kind", default="atom")
    ap.add_argument("--file")
    ap.add_argument("--mtport", default=os.path.join(ROOT, "build", "mtport"))
    ap.add_argument("--node-dir", default=os.path.join(ROOT, "build-node"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--formats", default="")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="mtport-bench-")
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
        for fmt in outputs:
            out = os.path.join(tmp, "out-" + fmt)
            def once():
                shutil.rmtree(out, ignore_errors=True)
                if os.path.exists(out):
                    os.remove(out)
                return run([a.mtport, "convert", "--quiet", "--force", "--to", fmt,
                            "--output", out, path])
            res = [once() for _ in range(a.repeat)]
            secs, rss, code = min(r[0] for r in res), max(r[1] for r in res), res[-1][2]
            rows.append((f"mtport --to {fmt}", secs, rss, code))
        if shutil.which("xmllint") and path.endswith(".atom"):
            secs, rss, code = best(["xmllint", "--stream", "--noout", path], a.repeat)
            rows.append(("xmllint --stream --noout", secs, rss, code))
        floor = next((r[1] for r in rows if r[0].startswith("xmllint")), None)
        print(f"input: {path} ({size_mb:.1f} MB, {n} entries)")
        print(f"{'command':34} {'seconds':>8} {'MB/s':>8} {'entries/s':>10} {'peak RSS MB':>12} {'x xmllint':>9}")
        for name, secs, rss, code in rows:
            ratio = f"{secs / floor:9.1f}" if floor else f"{'':9}"
            flag = "" if code == 0 else f"  (exit {code})"
            print(f"{name:34} {secs:8.2f} {size_mb / secs:8.1f} {n / secs:10.0f} {rss:12.1f} {ratio}{flag}")
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
                for name, secs, rss, code in peers:
                    print(f"{name:34} {secs:8.2f} {bmb / secs:8.1f} {'':10} {rss:12.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
