#!/usr/bin/env python3
"""Integration tests of the fetcher (src/assets/fetch.c, cache.c) against
the test server of server.py, which this script starts on 127.0.0.1 and a
free port and stops at the end. Each group is one ctest test.

usage: fetch_test.py TOOL GROUP
"""

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server  # noqa: E402

TOOL = None
FAILS = []
COLS = ["i", "error", "source", "candidate", "status", "size", "sha256",
        "mime", "ext", "final", "shown", "path", "reason"]
# short timeouts and backoff keep each group to a few seconds
FAST = ["--retries", "2", "--backoff-ms", "50", "--backoff-max-ms", "200",
        "--connect-ms", "2000", "--stall-s", "2"]


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)


def run(srv, cache, wants, *args, jobs=4, env=None):
    """Runs the tool; returns (rows as dicts, stats dict, stderr)."""
    cmd = [TOOL, "--cache", cache, "--host", "127.0.0.1", "--jobs",
           str(jobs)] + FAST + list(args)
    p = subprocess.run(cmd, input="".join(w + "\n" for w in wants),
                       capture_output=True, text=True, timeout=120, env=env)
    if p.returncode != 0:
        raise SystemExit("tool failed (%d): %s" % (p.returncode, p.stderr))
    rows = [dict(zip(COLS, line.split("\t")))
            for line in p.stdout.splitlines()]
    m = re.search(r"^stats (.*)$", p.stderr, re.M)
    stats = {k: int(v) for k, v in
             (kv.split("=") for kv in m.group(1).split())}
    return rows, stats, p.stdout


def expect(row, what, **want):
    for k, v in want.items():
        got = row.get(k)
        if k == "reason_has":
            check(v in row["reason"], "%s: reason %r lacks %r"
                  % (what, row["reason"], v))
        elif got != str(v):
            check(False, "%s: %s = %r, want %r (reason %r)"
                  % (what, k, got, str(v), row.get("reason")))


def sha(data):
    return hashlib.sha256(data).hexdigest()


def read_cached(cache, row):
    with open(os.path.join(cache, row["path"]), "rb") as f:
        return f.read()


def meta_files(cache):
    out = []
    for d, _, files in os.walk(os.path.join(cache, "v1", "objects")):
        out += [os.path.join(d, f) for f in files if f.endswith(".meta")]
    return out


def tmp_files(cache):
    return os.listdir(os.path.join(cache, "v1", "tmp"))


def cache_consistent(cache, what):
    """Every record names a whole file of its size and hash."""
    for m in meta_files(cache):
        with open(m) as f:
            text = f.read()
        fields = dict(line.split(" ", 1) for line in text.splitlines()
                      if " " in line)
        check(text.startswith("mtport-fetch-cache 1\n") and text.endswith("\n"),
              "%s: record %s is not whole" % (what, m))
        if fields.get("ok") == "1":
            data_path = m[:-5] + "-" + fields["sha256"][:16]
            check(os.path.exists(data_path),
                  "%s: %s names a missing file" % (what, m))
            if os.path.exists(data_path):
                with open(data_path, "rb") as f:
                    data = f.read()
                check(len(data) == int(fields["size"]) and
                      sha(data) == fields["sha256"],
                      "%s: %s does not match its file" % (what, m))


# ---- the groups ---------------------------------------------------------

def g_types(srv, tmp):
    u = srv.url
    wants = [u("/img/photo.jpg"), u("/img/photo.JPEG"), u("/img/chart.png"),
             u("/img/wrongtype.jpg"), u("/img/noext"), u("/img/noctype"),
             u("/img/astext"), u("/img/softerror.jpg"),
             "img:" + u("/img/softerror.jpg"), u("/files/report.pdf"),
             u("/files/style.css"), u("/files/empty.txt"),
             # the same file twice more, spelled otherwise: one request
             u("/img/photo.jpg") + "#top",
             u("/img/photo.jpg").replace("http://", "HTTP://")]
    cache = os.path.join(tmp, "c")
    rows, stats, _ = run(srv, cache, wants)
    S = server
    table = [
        ("photo.jpg", "image/jpeg", "jpg", S.jpeg(1)),
        ("photo.JPEG", "image/jpeg", "jpeg", S.jpeg(2)),
        ("chart.png", "image/png", "png", S.png(1)),
        ("a PNG called a JPEG", "image/png", "png", S.png(2)),
        ("a GIF without extension", "image/gif", "gif", S.gif(2)),
        ("a JPEG without Content-Type", "image/jpeg", "jpg", S.jpeg(3)),
        ("a PNG called HTML", "image/png", "png", S.png(3)),
        ("an error page called a JPEG", "text/html", "html", S.SOFT_ERROR),
    ]
    for row, (what, mime, ext, data) in zip(rows, table):
        expect(row, what, error="ok", source="fetched", status=200,
               mime=mime, ext=ext, size=len(data), sha256=sha(data))
        if row["path"] != "-":
            check(read_cached(cache, row) == data, what + ": cached bytes")
    expect(rows[8], "an error page where an image must be", error="no-image",
           reason="not an image (text/html)", mime="-", path="-")
    expect(rows[9], "a PDF as octet-stream", error="ok",
           mime="application/pdf", ext="pdf")
    expect(rows[10], "CSS", error="ok", mime="text/css", ext="css")
    expect(rows[11], "an empty file", error="ok", size=0, mime="text/plain",
           ext="txt", sha256=sha(b""))
    for i in (12, 13):
        expect(rows[i], "photo.jpg again", error="ok", source="fetched",
               sha256=rows[0]["sha256"], path=rows[0]["path"])
    check(srv.state.counts["/img/photo.jpg"] == 1,
          "photo.jpg requested %d times, want 1"
          % srv.state.counts["/img/photo.jpg"])
    check(srv.state.counts["/img/softerror.jpg"] == 1,
          "softerror.jpg requested more than once")
    check(stats["requests"] == srv.state.total, "requests counted: %d vs %d"
          % (stats["requests"], srv.state.total))
    check(stats["wants"] == len(wants) and stats["done"] == len(wants),
          "stats count every want")
    check(tmp_files(cache) == [], "no temporary file left")
    cache_consistent(cache, "types")


def g_redirects(srv, tmp):
    u = srv.url
    port = srv.server_address[1]
    wants = [u("/r/n/3"), u("/r/n/4"), u("/r/n/5"), u("/r/loop/a"),
             u("/r/https"), u("/r/ftp"), u("/r/host"), u("/r/relative"),
             u("/r/noloc"), u("/r/to404"),
             "http://elsewhere.invalid/img/photo.jpg",
             "ftp://127.0.0.1:%d/img/photo.jpg" % port,
             "javascript:alert(1)",
             "http://user:pw@127.0.0.1:%d/img/photo.jpg" % port]
    rows, _, _ = run(srv, os.path.join(tmp, "c"), wants)
    photo = u("/img/photo.jpg")
    expect(rows[0], "4 redirects", error="ok", final=photo, mime="image/jpeg")
    expect(rows[1], "5 redirects", error="ok", final=photo)
    expect(rows[2], "6 redirects", error="redirect",
           reason="more than 5 redirects", status=301, final=u("/r/n/0"))
    expect(rows[3], "a loop", error="redirect",
           reason="redirect loop at " + u("/r/loop/a"))
    expect(rows[4], "to https", error="redirect",
           reason="redirect to another scheme refused: "
           "https://127.0.0.1:%d/img/photo.jpg" % port)
    expect(rows[5], "to ftp", error="redirect",
           reason_has="not an http or https URL")
    expect(rows[6], "to another host", error="redirect",
           reason_has="host not allowed (elsewhere.invalid)")
    expect(rows[7], "relative", error="ok", final=u("/img/chart.png"),
           mime="image/png")
    expect(rows[8], "no Location", error="http", status=302,
           reason="HTTP 302 without a Location")
    expect(rows[9], "to a 404", error="http", status=404,
           final=u("/status/404"), reason="HTTP 404")
    expect(rows[10], "another host", error="refused", source="-",
           reason="host not allowed (elsewhere.invalid)")
    expect(rows[11], "ftp", error="refused", reason_has="not an http")
    expect(rows[12], "javascript", error="refused", reason_has="not an http")
    expect(rows[13], "credentials", error="refused",
           reason="a URL with credentials")
    # a redirect is not retried: one request per hop
    check(srv.state.counts["/r/loop/a"] == 1 and
          srv.state.counts["/r/https"] == 1, "redirect failures retried")
    # hops are not shared between jobs: two chains end at photo.jpg
    check(srv.state.counts["/img/photo.jpg"] == 2, "photo.jpg: %d requests"
          % srv.state.counts["/img/photo.jpg"])


def g_status(srv, tmp):
    u = srv.url
    wants = [u("/status/404"), u("/status/410"), u("/flaky/500"),
             u("/always/503"), u("/429/seconds"), u("/429/date"),
             u("/429/long")]
    t0 = time.monotonic()
    rows, _, _ = run(srv, os.path.join(tmp, "c"), wants)
    c = srv.state.counts
    expect(rows[0], "404", error="http", status=404, reason="HTTP 404",
           source="fetched")
    check(c["/status/404"] == 1, "a 404 is final: %d requests"
          % c["/status/404"])
    expect(rows[1], "410", error="http", status=410)
    expect(rows[2], "500 then 200", error="ok", status=200,
           sha256=sha(server.png(4)))
    check(c["/flaky/500"] == 2, "500 then 200: %d requests" % c["/flaky/500"])
    expect(rows[3], "503 always", error="http", status=503,
           reason="HTTP 503, after 2 retries")
    check(c["/always/503"] == 3, "503: %d requests" % c["/always/503"])
    for i, p in ((4, "/429/seconds"), (5, "/429/date")):
        expect(rows[i], p, error="ok", status=200)
        t = srv.state.times[p]
        check(len(t) == 2 and t[1] - t[0] >= 0.9,
              "%s: Retry-After not honoured (%s)" % (p, t))
    expect(rows[6], "Retry-After over the cap", error="http", status=429,
           reason="HTTP 429; Retry-After 3600 s is beyond the 60 s cap")
    check(c["/429/long"] == 1, "a Retry-After over the cap is not waited")
    check(time.monotonic() - t0 < 15, "status group too slow")


def g_limits(srv, tmp):
    u = srv.url
    cache = os.path.join(tmp, "c")
    wants = [u("/slow/body"), u("/slow/headers"), u("/big/announced"),
             u("/big/streamed"), u("/cut/always"), u("/cut/once")]
    t0 = time.monotonic()
    rows, _, _ = run(srv, cache, wants, "--stall-s", "1", "--timeout-ms",
                     "1500", "--retries", "1", "--max-size", "200000")
    took = time.monotonic() - t0
    c = srv.state.counts
    expect(rows[0], "a stalled body", error="timeout",
           reason="timeout: Timeout was reached, after 1 retry")
    expect(rows[1], "no answer", error="timeout")
    check(c["/slow/body"] == 2 and c["/slow/headers"] == 2,
          "timeouts are retried once")
    expect(rows[2], "announced over the cap", error="too-large",
           reason="larger than 200000 bytes", status=200)
    expect(rows[3], "streamed over the cap", error="too-large")
    check(c["/big/announced"] == 1 and c["/big/streamed"] == 1,
          "too large is not retried")
    expect(rows[4], "cut mid-body", error="network",
           reason="network: Transferred a partial file, after 1 retry")
    check(c["/cut/always"] == 2, "a cut body is retried")
    expect(rows[5], "cut once", error="ok", size=100022,
           sha256=sha(server.jpeg(5, 100000)))
    check(took < 15, "limits group took %.1f s" % took)
    check(tmp_files(cache) == [], "no partial download left: %s"
          % tmp_files(cache))
    cache_consistent(cache, "limits")
    # nothing of a failed download is in the cache
    datas = [f for d, _, fs in os.walk(os.path.join(cache, "v1", "objects"))
             for f in fs if not f.endswith(".meta")]
    check(len(datas) == 1, "only the whole download is kept: %s" % datas)


def g_typepad(srv, tmp):
    u = srv.url
    X, X2 = server.XID, server.XID2
    cat = u("/photos/uncategorized/cat.jpg")
    shared = u("/.shared/image.html?/photos/uncategorized/cat.jpg")
    wants = [
        # the original is gone: the largest variant seen stands in
        "%s %s" % (u("/.a/%s-pi" % X), u("/.a/%s-800wi" % X)),
        "%s %s" % (u("/.a/%s-pi" % X2), u("/.a/%s-800wi" % X2)),
        # TypePad's pop-up resolved by the caller, the page as a fallback
        "%s page:%s" % (cat, shared),
        "page:" + shared,
        # MT's pop-up page: the image it shows (mt-image-*), not its logo
        "page:" + u("/popup/photo.html"),
        "page:%s %s" % (u("/popup/empty.html"), u("/img/chart.png")),
        "page:" + u("/img/chart.png"),
    ]
    rows, _, _ = run(srv, os.path.join(tmp, "c"), wants)
    c = srv.state.counts
    expect(rows[0], "-pi gone", error="ok", candidate=1, mime="image/jpeg",
           ext="jpg", sha256=sha(server.jpeg(8)),
           reason=u("/.a/%s-pi" % X) + ": HTTP 404")
    expect(rows[1], "-pi there", error="ok", candidate=0, mime="image/png",
           ext="png", reason="-")
    check(c["/.a/%s-800wi" % X2] == 0, "a variant fetched though -pi was there")
    expect(rows[2], "TypePad pop-up, resolved", error="ok", candidate=0,
           final=cat)
    check(c[shared[len(u("")):]] == 1, "the pop-up page was fetched once")
    expect(rows[3], "TypePad pop-up page alone", error="no-image",
           reason=shared + ": the page shows no image")
    expect(rows[4], "MT pop-up", error="ok", shown=u("/img/photo.jpg"),
           final=u("/img/photo.jpg"), mime="image/jpeg",
           sha256=sha(server.jpeg(1)))
    check(c["/img/logo.gif"] == 0, "the pop-up's logo was fetched")
    expect(rows[5], "a page without image, then a file", error="ok",
           candidate=1, reason=u("/popup/empty.html") +
           ": the page shows no image")
    expect(rows[6], "a 'page' that is the image", error="ok", shown="-",
           mime="image/png")


def g_rerun(srv, tmp):
    u = srv.url
    cache = os.path.join(tmp, "c")
    wants = [u("/img/photo.jpg"), u("/status/404"), u("/always/503"),
             u("/big/announced"), u("/flaky/500")]
    rows, _, _ = run(srv, cache, wants, "--retries", "0", "--max-size",
                     "100000")
    for i, e in enumerate(["ok", "http", "http", "too-large", "http"]):
        expect(rows[i], "first run %d" % i, error=e, source="fetched")
    # a rerun asks only for what failed and may pass
    srv.state.reset()
    rows, st, _ = run(srv, cache, wants, "--retries", "0", "--max-size",
                      "100000")
    expect(rows[0], "rerun: cached file", error="ok", source="cached")
    expect(rows[1], "rerun: cached 404", error="http", status=404,
           source="cached")
    expect(rows[2], "rerun: 503 asked again", error="http", source="fetched")
    expect(rows[3], "rerun: too large stays", error="too-large",
           source="cached")
    expect(rows[4], "rerun: 500 asked again, now 200", error="ok",
           source="fetched")
    check(dict(srv.state.counts) == {"/always/503": 1, "/flaky/500": 1},
          "rerun requests: %s" % dict(srv.state.counts))
    check(st["cached"] == 1 and st["fetched"] == 1 and st["failed"] == 3,
          "rerun stats %s" % st)
    # a higher cap retries what was too large for the old one
    srv.state.reset()
    rows, _, _ = run(srv, cache, [u("/big/announced")])
    expect(rows[0], "bigger cap", error="ok", source="fetched", size=300000)
    # --retry-failed asks for final failures too, never for cached files
    srv.state.reset()
    rows, _, _ = run(srv, cache, wants, "--retries", "0", "--retry-failed")
    expect(rows[1], "retry-failed: 404 asked", error="http", source="fetched")
    check(srv.state.counts["/status/404"] == 1 and
          srv.state.counts["/img/photo.jpg"] == 0,
          "retry-failed requests: %s" % dict(srv.state.counts))
    # offline: the cache alone, no request at all
    srv.state.reset()
    rows, st, _ = run(srv, cache, wants + [u("/img/chart.png")], "--offline")
    check(srv.state.total == 0, "offline made %d requests" % srv.state.total)
    check(st["requests"] == 0, "offline counted requests")
    expect(rows[0], "offline photo", error="ok", source="cached")
    expect(rows[1], "offline 404", error="http", source="cached")
    expect(rows[4], "offline flaky", error="ok", source="cached")
    expect(rows[5], "offline, never fetched", error="offline", source="-",
           reason="not in the cache (offline)")
    cache_consistent(cache, "rerun")


def g_offline(srv, tmp):
    u = srv.url
    cache = os.path.join(tmp, "c")
    wants = [u("/img/photo.jpg"), "%s %s" % (u("/.a/%s-pi" % server.XID),
                                             u("/.a/%s-800wi" % server.XID)),
             "page:" + u("/popup/photo.html"), u("/status/404")]
    rows, _, _ = run(srv, cache, wants, "--offline")
    check(srv.state.total == 0, "offline on an empty cache made requests")
    for r in rows:
        expect(r, "empty cache", error="offline", source="-")
    check(rows[1]["reason"].count("not in the cache (offline)") == 2,
          "both candidates reported offline")
    online, _, _ = run(srv, cache, wants)
    n = srv.state.total
    offline, st, _ = run(srv, cache, wants, "--offline")
    check(srv.state.total == n, "offline made %d requests"
          % (srv.state.total - n))
    for a, b in zip(online, offline):
        a = dict(a, source="")
        b = dict(b, source="")
        check(a == b, "offline differs from online:\n%s\n%s" % (a, b))
    check(st["cached"] == 3 and st["failed"] == 1, "offline stats %s" % st)


def g_jobs(srv, tmp):
    u = srv.url
    wants = [u("/img/photo.jpg"), u("/img/noext"), u("/img/wrongtype.jpg"),
             u("/r/n/2"), u("/r/relative"), u("/status/404"),
             u("/flaky/500"), u("/cut/once"), u("/files/style.css"),
             "%s %s" % (u("/.a/%s-pi" % server.XID),
                        u("/.a/%s-800wi" % server.XID)),
             "page:" + u("/popup/photo.html"), u("/r/loop/a"),
             "http://elsewhere.invalid/a.png"]
    wants += [u("/bench/s/%d" % i) for i in range(200)]
    wants += [u("/img/photo.jpg"), u("/bench/s/7")]  # shared with earlier
    outs = []
    for jobs in (1, 8):
        srv.state.reset(full=True)
        _, st, out = run(srv, os.path.join(tmp, "c%d" % jobs), wants,
                         jobs=jobs)
        outs.append(out)
        check(st["done"] == len(wants), "jobs %d: all done" % jobs)
    check(outs[0] == outs[1], "results differ between 1 and 8 jobs")
    if outs[0] != outs[1]:
        for a, b in zip(outs[0].splitlines(), outs[1].splitlines()):
            if a != b:
                print("  -j1:", a)
                print("  -j8:", b)


def g_resume(srv, tmp):
    u = srv.url
    cache = os.path.join(tmp, "c")
    wants = [u("/bench/s/%d" % i) for i in range(20)]
    wants += [u("/slowbig/%d" % i) for i in range(3)]
    cmd = [TOOL, "--cache", cache, "--host", "127.0.0.1", "--jobs", "4"] + FAST
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    p.stdin.write("".join(w + "\n" for w in wants).encode())
    p.stdin.close()
    # kill it while the big files are on the way
    deadline = time.monotonic() + 20
    while (sum(srv.state.counts["/slowbig/%d" % i] for i in range(3)) < 3
           and time.monotonic() < deadline):
        time.sleep(0.05)
    time.sleep(0.6)
    p.send_signal(signal.SIGKILL)
    p.wait()
    p.stdout.close()
    p.stderr.close()
    check(p.returncode == -signal.SIGKILL, "the tool was not killed")
    cache_consistent(cache, "after kill -9")
    left = tmp_files(cache)
    check(any(f.endswith(".part") for f in left),
          "kill -9 mid-download left no partial file (too late?): %s" % left)
    done_before = set()
    for m in meta_files(cache):
        with open(m) as f:
            url = re.search(r"^url (.*)$", f.read(), re.M).group(1)
        done_before.add(url)
    check(not any("/slowbig/" in x for x in done_before),
          "a partial download counted as done")
    check(len(done_before) >= 1, "nothing finished before the kill")
    # the rerun finishes the job from where the cache stands
    srv.state.reset()
    rows, st, _ = run(srv, cache, wants)
    for w, r in zip(wants, rows):
        check(r["error"] == "ok", "rerun: %s %s" % (w, r["reason"]))
        want_src = "cached" if w in done_before else "fetched"
        check(r["source"] == want_src, "rerun: %s is %s, want %s"
              % (w, r["source"], want_src))
        if w in done_before:
            check(srv.state.counts[w[len(u("")):]] == 0,
                  "rerun asked again for " + w)
    for i in range(3):
        r = rows[20 + i]
        data = read_cached(cache, r)
        check(len(data) == 4 << 20 and sha(data) == r["sha256"],
              "slowbig %d whole after the rerun" % i)
    check(tmp_files(cache) == [], "the killed run's leftovers were not swept:"
          " %s" % tmp_files(cache))
    cache_consistent(cache, "after the rerun")


def g_revalidate(srv, tmp):
    u = srv.url
    cache = os.path.join(tmp, "c")
    wants = [u("/etag/chart.png"), u("/img/photo.jpg")]
    first, _, _ = run(srv, cache, wants)
    srv.state.reset()
    rows, st, _ = run(srv, cache, wants, "--revalidate")
    expect(rows[0], "revalidated", error="ok", source="revalidated",
           sha256=first[0]["sha256"], path=first[0]["path"])
    h = srv.state.headers["/etag/chart.png"]
    check(len(h) == 1 and h[0].get("If-None-Match") == '"v1"' and
          h[0].get("If-Modified-Since") == "Tue, 01 Mar 2005 10:00:00 GMT",
          "conditional request headers: %s" % h)
    expect(rows[1], "no validators: cached", error="ok", source="cached")
    check(srv.state.counts["/img/photo.jpg"] == 0, "photo.jpg asked again")
    check(st["revalidated"] == 1, "stats %s" % st)
    srv.state.reset()
    rows, _, _ = run(srv, cache, wants)
    expect(rows[0], "without --revalidate", source="cached")
    check(srv.state.total == 0, "a plain rerun made requests")
    # a revalidation that fails keeps the copy, and says so
    flaky = u("/etag/flaky.png")
    first, _, _ = run(srv, cache, [flaky])
    rows, _, _ = run(srv, cache, [flaky], "--revalidate", "--retries", "0")
    expect(rows[0], "failed revalidation", error="ok", source="cached",
           sha256=sha(server.png(10)), path=first[0]["path"],
           reason=flaky + ": kept the cached copy: HTTP 503")
    rows, _, _ = run(srv, cache, [flaky], "--offline")
    expect(rows[0], "after a failed revalidation", error="ok",
           source="cached", sha256=sha(server.png(10)), reason="-")


def g_tls(srv, tmp):
    if not shutil.which("openssl"):
        print("SKIP: no openssl")
        sys.exit(77)
    key, crt = os.path.join(tmp, "k.pem"), os.path.join(tmp, "c.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-keyout", key, "-out", crt, "-days", "1",
                    "-subj", "/CN=127.0.0.1"], check=True,
                   capture_output=True)
    tls = server.start(tls=(crt, key))
    try:
        url = "https://127.0.0.1:%d/img/photo.jpg" % tls.server_address[1]
        rows, _, _ = run(tls, os.path.join(tmp, "c1"), [url])
        expect(rows[0], "self-signed", error="network",
               reason_has="--insecure skips it")
        check(tls.state.total == 0, "a request went through unverified TLS")
        rows, _, _ = run(tls, os.path.join(tmp, "c2"), [url], "--insecure")
        expect(rows[0], "--insecure", error="ok", mime="image/jpeg",
               final=url)
    finally:
        server.stop(tls)


def g_progress(srv, tmp):
    u = srv.url
    wants = [u("/bench/s/%d" % i) for i in range(30)]
    cmd = [TOOL, "--cache", os.path.join(tmp, "c"), "--host", "127.0.0.1",
           "--progress"]
    p = subprocess.run(cmd, input="".join(w + "\n" for w in wants),
                       capture_output=True, text=True, timeout=60)
    lines = re.findall(r"^progress (\d+)/(\d+) (\d+)$", p.stderr, re.M)
    check(lines and lines[-1] == ("30", "30", str(30 * 51200)),
          "last progress line: %s" % (lines[-1:],))
    done = [int(a) for a, _, _ in lines]
    check(done == sorted(done), "progress goes backwards")


GROUPS = {k[2:]: v for k, v in globals().items() if k.startswith("g_")}


def main():
    global TOOL
    if len(sys.argv) != 3 or sys.argv[2] not in GROUPS:
        print(__doc__, "groups:", " ".join(GROUPS))
        return 2
    TOOL = sys.argv[1]
    for k in list(os.environ):
        if k.lower().endswith("_proxy"):
            del os.environ[k]  # 127.0.0.1 only, never through a proxy
    srv = server.start()
    srv.url = lambda path: "http://127.0.0.1:%d%s" % (srv.server_address[1],
                                                      path)
    tmp = tempfile.mkdtemp(prefix="mtport-fetch-")
    try:
        GROUPS[sys.argv[2]](srv, tmp)
    finally:
        server.stop(srv)
        shutil.rmtree(tmp, ignore_errors=True)
    print("%s: %s" % (sys.argv[2], "FAILED" if FAILS else "ok"))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
