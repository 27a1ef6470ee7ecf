#!/usr/bin/env python3
"""Fetching as the resolver's third source (mtport_assets_set_fetch()),
through its public API (resolve_tool) against the test server of
server.py, which this script starts on 127.0.0.1 and a free port. Each
group is one ctest test.

usage: resolve_test.py TOOL GROUP
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
S = server
XID, XID2 = S.XID, S.XID2


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)


def sha(data):
    return hashlib.sha256(data).hexdigest()


class Run:
    """One run of the tool: report rows by URL, totals, stderr, outputs."""

    def __init__(self, out, proc):
        self.out = out
        self.code = proc.returncode
        self.stderr = proc.stderr
        m = re.search(r"^totals (.*)$", proc.stdout, re.M)
        self.totals = ({k: int(v) for k, v in
                        (kv.split("=") for kv in m.group(1).split())}
                       if m else {})
        self.rows = {}
        path = os.path.join(out, "mtport-assets.tsv")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
            head = lines[0].split("\t")
            for line in lines[1:]:
                row = dict(zip(head, line.split("\t")))
                self.rows[row["url"]] = row

    def post(self, n):
        with open(os.path.join(self.out, "post-%d.html" % n),
                  encoding="utf-8") as f:
            return f.read()

    def file(self, stored):
        with open(os.path.join(self.out, "files", stored), "rb") as f:
            return f.read()


def posts(tmp, bodies, name="in"):
    paths = []
    for i, body in enumerate(bodies):
        p = os.path.join(tmp, "%s-%d.html" % (name, i + 1))
        with open(p, "w", encoding="utf-8") as f:
            f.write(body)
        paths.append(p)
    return paths


def run(srv, out, cache, inputs, *args, jobs=4, expect_code=0):
    site = srv.url("/")
    cmd = [TOOL, "--site", site, "--out", out, "--cache", cache, "--jobs",
           str(jobs), "--connect-ms", "2000", "--stall-s", "2"] + list(args)
    p = subprocess.run(cmd + inputs, capture_output=True, text=True,
                       timeout=120)
    r = Run(out, p)
    if r.code != expect_code:
        check(False, "exit status %d, want %d: %s"
              % (r.code, expect_code, p.stderr[-2000:]))
    return r


def tree(root):
    """Every file below root with its bytes."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out


def expect(r, url, status, stored=None, data=None, reason_has=None,
           source=None):
    row = r.rows.get(url)
    if row is None:
        check(False, "%s: no row" % url)
        return
    check(row["status"] == status, "%s: status %s, want %s (%s)"
          % (url, row["status"], status, row.get("reason")))
    if stored is not None:
        check(row["stored"] == stored, "%s: stored %r, want %r"
              % (url, row["stored"], stored))
    if data is not None and row["stored"]:
        got = r.file(row["stored"])
        check(got == data, "%s: stored bytes differ" % url)
        check(row["sha256"] == sha(data) and row["bytes"] == str(len(data)),
              "%s: sha256/bytes in the report" % url)
    if reason_has is not None:
        check(reason_has in row.get("reason", ""), "%s: reason %r lacks %r"
              % (url, row.get("reason"), reason_has))
    if source is not None:
        check(row["source"] == source, "%s: source %r, want %r"
              % (url, row["source"], source))


# ---- the blog the tests convert ------------------------------------------

def blog(srv):
    """Post bodies: what an MT or TypePad export holds, on the test host."""
    a = "/.a/"
    return [
        # ordinary files, with and without extensions, wrong types
        '<p><img src="/img/photo.jpg" alt="p"> <img src="%s"></p>\n'
        '<p><a href="/files/report.pdf">the report</a></p>\n'
        '<p><img src="/img/wrongtype.jpg"><img src="/status/404"></p>\n'
        '<p><img src="http://elsewhere.invalid/x.jpg">'
        '<img src="/big/announced"></p>\n' % srv.url("/img/noext"),
        # TypePad: variants of a lost original, a reachable original, a
        # pop-up; MT's pop-up page; retried statuses
        '<a href="%s%s-800wi"><img src="%s%s-320wi"></a>\n'
        '<img src="%s%s-320wi">\n'
        '<a href="/.shared/image.html?/img/chart.png">'
        '<img src="/img/chart.png"></a>\n'
        '<a href="/assets_c/2009/04/big-12.html" onclick="window.open('
        '\'/assets_c/2009/04/big-12.html\',\'p\');return false">'
        '<img src="/img/logo.gif"></a>\n'
        '<p><img src="/flaky/500"> <img src="/429/seconds"></p>\n'
        % (a, XID, a, XID, a, XID2),
    ]


def check_blog(srv, r, first=True):
    u = srv.url
    got = "fetched" if first else "cached"
    expect(r, u("/img/photo.jpg"), got, "img/photo.jpg", S.jpeg(1),
           source="fetch:" + u("/img/photo.jpg"))
    expect(r, u("/img/noext"), got, "img/noext.gif", S.gif(2))
    expect(r, u("/files/report.pdf"), got, "files/report.pdf", S.PDF)
    expect(r, u("/img/wrongtype.jpg"), got, "img/wrongtype.jpg", S.png(2))
    expect(r, u("/status/404"), "failed", "", reason_has="404")
    expect(r, "http://elsewhere.invalid/x.jpg", "external")
    expect(r, u("/big/announced"), "too-large", "")
    # the lost original's variants: the largest one, stored once
    expect(r, u("/.a/%s-800wi" % XID), got, "a/%s-800wi.jpg" % XID,
           S.jpeg(8), reason_has="-pi: HTTP 404")
    expect(r, u("/.a/%s-320wi" % XID), "shared", "a/%s-800wi.jpg" % XID,
           reason_has="the same file as")
    # a reachable original replaces its variant, named by the resolver
    expect(r, u("/.a/%s-320wi" % XID2), got, "a/%s-pi.png" % XID2, S.png(7),
           source="fetch:" + u("/.a/%s-pi" % XID2))
    # pop-ups stand for the image they show
    expect(r, u("/.shared/image.html?/img/chart.png"), got, "img/chart.png",
           S.png(1))
    expect(r, u("/img/chart.png"), "shared", "img/chart.png")
    expect(r, u("/assets_c/2009/04/big-12.html"), got, "img/full.jpg",
           S.jpeg(11))
    expect(r, u("/flaky/500"), got, "flaky/500.png", S.png(4))
    expect(r, u("/429/seconds"), got, "429/seconds.png", S.png(5))
    # the posts point at the stored files; the failed ones keep their URL
    p1, p2 = r.post(1), r.post(2)
    for ref in ['src="/files/img/photo.jpg"', 'src="/files/img/noext.gif"',
                'href="/files/files/report.pdf"', 'src="/status/404"',
                'src="http://elsewhere.invalid/x.jpg"',
                'src="/big/announced"']:
        check(ref in p1, "post 1 lacks %s" % ref)
    for ref in ['href="/files/a/%s-800wi.jpg"' % XID,
                'src="/files/a/%s-800wi.jpg"' % XID,
                'src="/files/a/%s-pi.png"' % XID2,
                'href="/files/img/chart.png"', 'src="/files/img/chart.png"',
                'href="/files/img/full.jpg"',
                "window.open('/files/img/full.jpg'"]:
        check(ref in p2, "post 2 lacks %s" % ref)
    # every local reference resolves to a stored file
    for post in (p1, p2):
        for ref in re.findall(r'(?:src|href)="/files/([^"]+)"', post):
            check(os.path.exists(os.path.join(r.out, "files", ref)),
                  "a rewritten reference to a missing file: " + ref)
    check(" asset-failed " in r.stderr or "asset-failed" in r.stderr,
          "no warning for the post keeping a failed URL")


FAST = ["--retries", "2"]


# ---- the groups ------------------------------------------------------------

def g_blog(srv, tmp):
    inputs = posts(tmp, blog(srv))
    r = run(srv, os.path.join(tmp, "out"), os.path.join(tmp, "c"), inputs,
            "--max-size", "100000", *FAST)
    check_blog(srv, r)
    t = r.totals
    check(t.get("fetched") == 11 and t.get("shared") == 2 and
          t.get("failed") == 1 and t.get("too_large") == 1 and
          t.get("external") == 1 and t.get("cached") == 0,
          "totals: %s" % t)
    c = srv.state.counts
    check(c["/flaky/500"] == 2 and c["/429/seconds"] == 2,
          "retries: 500 %d, 429 %d" % (c["/flaky/500"], c["/429/seconds"]))
    check(c["/status/404"] == 1, "a 404 was asked for again")
    check(c["/.a/%s-320wi" % XID] == 0,
          "a smaller variant was fetched though a larger one answered")
    check(c["/img/chart.png"] == 1, "the pop-up's image fetched twice")
    check(re.search(r"diag warning asset-fetch-failed .*status/404",
                    r.stderr), "no run-level warning for the 404")
    check(t.get("requests", 0) >= 13 and t.get("downloaded", 0) > 0,
          "requests and bytes counted: %s" % t)


def g_rerun(srv, tmp):
    inputs = posts(tmp, blog(srv))
    cache = os.path.join(tmp, "c")
    r1 = run(srv, os.path.join(tmp, "o1"), cache, inputs,
             "--max-size", "100000", *FAST)
    srv.state.reset()
    # a rerun asks for nothing: cached files, and final failures, stay
    r2 = run(srv, os.path.join(tmp, "o2"), cache, inputs,
             "--max-size", "100000", *FAST)
    check(srv.state.total == 0, "the rerun made %d requests: %s"
          % (srv.state.total, dict(srv.state.counts)))
    check_blog(srv, r2, first=False)
    check(r2.totals.get("cached") == 11 and r2.totals.get("fetched") == 0,
          "rerun totals: %s" % r2.totals)
    check(tree(os.path.join(tmp, "o1", "files")) ==
          tree(os.path.join(tmp, "o2", "files")) and r1.post(1) == r2.post(1)
          and r1.post(2) == r2.post(2), "the rerun's outputs differ")
    # --offline: no request at all, the cache answers
    srv.state.reset()
    r3 = run(srv, os.path.join(tmp, "o3"), cache, inputs, "--offline",
             "--max-size", "100000")
    check(srv.state.total == 0, "--offline made a request")
    check(r3.post(2) == r1.post(2), "--offline's outputs differ")
    # --offline with an empty cache: each file fails, nothing is asked
    r4 = run(srv, os.path.join(tmp, "o4"), os.path.join(tmp, "empty"),
             inputs, "--offline")
    check(srv.state.total == 0, "--offline on an empty cache made a request")
    expect(r4, srv.url("/img/photo.jpg"), "failed", reason_has="offline")
    # --retry-failed asks again for the final failures alone
    r5 = run(srv, os.path.join(tmp, "o5"), cache, inputs, "--retry-failed",
             "--max-size", "100000", *FAST)
    asked = set(p for p, n in srv.state.counts.items() if n)
    check(asked == {"/status/404", "/.a/%s-pi" % XID, "/big/announced"},
          "--retry-failed asked for %s" % sorted(asked))
    expect(r5, srv.url("/img/photo.jpg"), "cached")
    # a bigger cap lets the file over the old one through
    srv.state.reset()
    r6 = run(srv, os.path.join(tmp, "o6"), cache, inputs, *FAST)
    expect(r6, srv.url("/big/announced"), "fetched", "big/announced.jpg")
    check(srv.state.total == 1, "a new cap asked for more than its file")


def g_jobs(srv, tmp):
    inputs = posts(tmp, blog(srv))
    outs = []
    for jobs in (1, 8):
        srv.state.reset()
        o = os.path.join(tmp, "o%d" % jobs)
        run(srv, o, os.path.join(tmp, "c%d" % jobs), inputs, "--max-size",
            "100000", *FAST, jobs=jobs)
        outs.append(tree(o))
    check(outs[0] == outs[1], "outputs differ between 1 job and 8: %s"
          % sorted(k for k in set(outs[0]) | set(outs[1])
                   if outs[0].get(k) != outs[1].get(k)))


def g_hostile(srv, tmp):
    u = srv.url
    bad = ["/r/n/6", "/r/loop/a", "/r/ftp", "/r/host", "/r/https",
           "/cut/always", "/slow/body", "/always/503", "/429/long",
           "/popup/empty.html"]
    body = "".join('<img src="%s">\n' % p for p in bad)
    body += '<img src="/r/n/4"><img src="/r/relative">\n'
    inputs = posts(tmp, [body])
    args = ["--retries", "1", "--stall-s", "1"]
    r = run(srv, os.path.join(tmp, "o"), os.path.join(tmp, "c"), inputs,
            *args)
    for p, why in [("/r/n/6", "more than 5 redirects"),
                   ("/r/loop/a", "redirect loop"),
                   ("/r/ftp", "not an http or https URL"),
                   ("/r/host", "host not allowed (elsewhere.invalid)"),
                   ("/r/https", "redirect to another scheme refused"),
                   ("/cut/always", "(network)"),
                   ("/slow/body", "(timeout)"),
                   ("/always/503", "503"),
                   ("/429/long", "Retry-After"),
                   ("/popup/empty.html", "an HTML page, not a file")]:
        expect(r, u(p), "failed", "", reason_has=why)
    expect(r, u("/r/n/4"), "fetched", "r/n/4.jpg", S.jpeg(1))
    expect(r, u("/r/relative"), "fetched", "r/relative.png", S.png(1))
    check(srv.state.counts["/always/503"] == 2, "503: %d requests, want 2"
          % srv.state.counts["/always/503"])
    check(r.totals.get("failed") == len(bad), "totals: %s" % r.totals)
    # --strict-assets: the same failures are errors
    r2 = run(srv, os.path.join(tmp, "o2"), os.path.join(tmp, "c"), inputs,
             "--strict", *args, expect_code=1)
    check("diag error asset-fetch-failed" in r2.stderr,
          "--strict: the failures are not errors")
    # what lands on disk stays below the files folder
    for rel in tree(os.path.join(tmp, "o")):
        check(not rel.startswith(".."), "written outside: " + rel)


def g_resume(srv, tmp):
    u = srv.url
    body = "".join('<img src="/bench/s/%d">\n' % i for i in range(20))
    body += "".join('<img src="/slowbig/%d">\n' % i for i in range(3))
    inputs = posts(tmp, [body])
    cache = os.path.join(tmp, "c")
    cmd = [TOOL, "--site", u("/"), "--out", os.path.join(tmp, "o1"),
           "--cache", cache, "--jobs", "4"] + inputs
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while (sum(srv.state.counts["/slowbig/%d" % i] for i in range(3)) < 2
           and time.monotonic() < deadline):
        time.sleep(0.05)
    time.sleep(0.5)
    p.send_signal(signal.SIGKILL)
    p.wait()
    check(p.returncode == -signal.SIGKILL, "the tool was not killed")
    first = dict(srv.state.counts)
    srv.state.reset()
    r = run(srv, os.path.join(tmp, "o2"), cache, inputs)
    done = [i for i in range(20) if first.get("/bench/s/%d" % i)]
    check(len(done) >= 1, "nothing was asked for before the kill")
    for i in range(20):
        url = u("/bench/s/%d" % i)
        check(r.rows.get(url, {}).get("status") in ("fetched", "cached"),
              "after the kill: %s %s" % (url, r.rows.get(url)))
        if r.rows.get(url, {}).get("status") == "cached":
            check(srv.state.counts["/bench/s/%d" % i] == 0,
                  "a cached file was asked for again: %d" % i)
    cached = sum(1 for i in range(20)
                 if r.rows.get(u("/bench/s/%d" % i), {}).get("status")
                 == "cached")
    check(cached >= 1, "the rerun resumed nothing")
    # the three have one content: stored once
    expect(r, u("/slowbig/0"), "fetched", "slowbig/0.png")
    for i in range(3):
        check(srv.state.counts["/slowbig/%d" % i] == 1,
              "a partial download counted as done: %d" % i)


def g_typepad(srv, tmp):
    """One xid is one image on every host that serves it."""
    port = srv.server_address[1]
    other = "http://localhost:%d" % port
    inputs = posts(tmp, [
        '<img src="/.a/%s-320wi"><img src="%s/.a/%s-250si">' % (XID, other, XID),
        '<a href="%s/.a/%s-800wi"><img src="%s/.a/%s-320wi"></a>'
        % (other, XID, other, XID)])
    r = run(srv, os.path.join(tmp, "o"), os.path.join(tmp, "c"), inputs,
            "--asset-host", "localhost:%d" % port)
    # the original is gone on both hosts: the largest variant, stored once
    first = srv.url("/.a/%s-320wi" % XID)
    expect(r, first, "fetched", "a/%s-800wi.jpg" % XID, S.jpeg(8),
           source="fetch:%s/.a/%s-800wi" % (other, XID),
           reason_has="-pi: HTTP 404")
    for u in ["%s/.a/%s-250si" % (other, XID), "%s/.a/%s-800wi" % (other, XID),
              "%s/.a/%s-320wi" % (other, XID)]:
        expect(r, u, "shared", "a/%s-800wi.jpg" % XID,
               reason_has="the same file as " + first)
    c = srv.state.counts
    check(c["/.a/%s-pi" % XID] == 2, "-pi asked %d times, want once per host"
          % c["/.a/%s-pi" % XID])
    check(c["/.a/%s-320wi" % XID] == 0 and c["/.a/%s-250si" % XID] == 0,
          "a smaller variant was asked for: %s" % dict(c))
    check(r.totals.get("fetched") == 1 and r.totals.get("shared") == 3,
          "totals: %s" % r.totals)


def g_mirror(srv, tmp):
    """The mirror comes before a download: no request for what it has."""
    mirror = os.path.join(tmp, "mirror")
    os.makedirs(os.path.join(mirror, "img"))
    with open(os.path.join(mirror, "img", "photo.jpg"), "wb") as f:
        f.write(S.jpeg(1))
    # and TypePad's original, which a variant stands for
    os.makedirs(os.path.join(mirror, ".a"))
    with open(os.path.join(mirror, ".a", XID2 + "-pi"), "wb") as f:
        f.write(S.png(7))
    inputs = posts(tmp, ['<img src="/img/photo.jpg"><img src="/img/logo.gif">'
                         '<img src="/.a/%s-320wi">' % XID2])
    r = run(srv, os.path.join(tmp, "o"), os.path.join(tmp, "c"), inputs,
            "--mirror", mirror)
    expect(r, srv.url("/img/photo.jpg"), "copied", "img/photo.jpg", S.jpeg(1))
    expect(r, srv.url("/.a/%s-320wi" % XID2), "copied", data=S.png(7))
    check(not srv.state.counts["/.a/%s-pi" % XID2] and
          not srv.state.counts["/.a/%s-320wi" % XID2],
          "a TypePad image the mirror has was downloaded")
    expect(r, srv.url("/img/logo.gif"), "fetched", "img/logo.gif", S.gif(1))
    check(srv.state.counts["/img/photo.jpg"] == 0,
          "a file of the mirror was downloaded")
    # --assets-external copies other hosts' files a source has, but never
    # downloads them
    ext = posts(tmp, ['<img src="http://localhost:%d/img/chart.png">'
                      % srv.server_address[1]], "ext")
    srv.state.reset()
    r = run(srv, os.path.join(tmp, "o3"), os.path.join(tmp, "c3"), ext,
            "--external")
    expect(r, "http://localhost:%d/img/chart.png" % srv.server_address[1],
           "missing")
    check(srv.state.total == 0, "a file of another host was downloaded")
    # without --fetch-assets nothing is asked for
    srv.state.reset()
    r = run(srv, os.path.join(tmp, "o2"), os.path.join(tmp, "c2"), inputs,
            "--no-fetch")
    expect(r, srv.url("/img/logo.gif"), "missing")
    check(srv.state.total == 0, "a request without fetching")


def g_bar(srv, tmp):
    inputs = posts(tmp, ["".join('<img src="/bench/s/%d">' % i
                                 for i in range(30))])
    r = run(srv, os.path.join(tmp, "o"), os.path.join(tmp, "c"), inputs,
            "--bar")
    # (text mode reads '\r' as a line end)
    frames = re.findall(r"fetching assets \[[#-]+\] (\d+)/(\d+) files, "
                        r"([0-9.]+ [KMG]B)", r.stderr)
    check(frames and frames[-1][:2] == ("30", "30") and
          frames[-1][2] == "1.5 MB", "last frame: %s" % (frames[-1:],))
    check(re.search(r"1\.5 MB\x1b\[K\n(?!fetching)", r.stderr),
          "the bar's line is not ended")


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
    tmp = tempfile.mkdtemp(prefix="mtport-resolve-")
    try:
        GROUPS[sys.argv[2]](srv, tmp)
    finally:
        server.stop(srv)
        shutil.rmtree(tmp, ignore_errors=True)
    print("%s: %s" % (sys.argv[2], "FAILED" if FAILS else "ok"))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
