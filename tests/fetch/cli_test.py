#!/usr/bin/env python3
"""mtport convert --fetch-assets end to end, against the test server of
server.py (started here on 127.0.0.1 and a free port): an MT text export of
a blog on that server, converted to a Hugo or Jekyll site whose files are
downloaded; the real generator builds it and every reference to the
blog's host in the built pages must resolve to a file of the built site,
but for the unreachable files, which the report and the warnings name.
Then reruns (no request), --offline, --strict-assets, and 1 job or 8.

usage: cli_test.py MTPORT FLAVOR GROUP   (FLAVOR: hugo, hugo-bundle,
                                         jekyll; GROUP: site, rerun)
"""

import html
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server  # noqa: E402

SKIP = 77
FAILS = []
S = server
XID, XID2 = S.XID, S.XID2


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)


def feed(site):
    """An MT text export (TypePad's format too: no image in it) whose posts
    use files of the test host; --site-url names the blog."""
    posts = [
        ("Photos", "photos", "04/01/2009",
         '<p><img src="/img/photo.jpg" alt="a"> <img src="%simg/noext" '
         'alt="b"></p>\n<p><a href="/files/report.pdf">the report</a> '
         '<img src="/status/404" alt="gone"></p>' % site),
        ("TypePad", "typepad", "04/02/2009",
         '<p><a href="/.a/%s-800wi"><img src="/.a/%s-320wi" alt="c"></a>'
         '</p>\n<p><img src="/.a/%s-320wi" alt="d"></p>\n'
         '<p><a href="/.shared/image.html?/img/chart.png">'
         '<img src="/img/chart.png" alt="e"></a></p>' % (XID, XID, XID2)),
        ("Pop-up", "popup", "04/03/2009",
         '<p><a href="/assets_c/2009/04/big-12.html" onclick="window.open('
         '\'/assets_c/2009/04/big-12.html\',\'p\');return false">'
         '<img src="/img/logo.gif" alt="f"></a></p>\n'
         '<p><img src="/flaky/500" alt="g"> <img src="/cut/always" '
         'alt="h"></p>'),
    ]
    out = []
    for title, base, date, body in posts:
        out += ["AUTHOR: Ada", "TITLE: " + title, "BASENAME: " + base,
                "STATUS: Publish", "DATE: %s 10:00:00 AM" % date, "-----",
                "BODY:", body, "-----", "--------"]
    return "\n".join(out) + "\n"


UNREACHABLE = ["/status/404", "/cut/always"]
NEW = "https://new.example.net/"
LINKCHECK = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))), "assets", "linkcheck.py")


def to(flavor):
    """--to and its layout: "hugo-bundle" is Hugo with --bundle."""
    return ["--to", flavor.split("-")[0]] + (
        ["--bundle"] if flavor.endswith("-bundle") else [])


def convert(mtport, flavor, inp, out, *args, code=0):
    site = "http://127.0.0.1:%d/" % PORT
    cmd = [mtport, "convert"] + to(flavor) + ["--scaffold", "--fetch-assets",
           "--retries", "1", "--site-url", site, "-o", out] + list(args) + [
               inp]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    check(p.returncode == code, "%s: exit %d, want %d:\n%s"
          % (" ".join(args), p.returncode, code, p.stderr[-3000:]))
    return p


def report(out):
    with open(os.path.join(out, "mtport-assets.tsv"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    head = lines[0].split("\t")
    return {r["url"]: r for r in (dict(zip(head, line.split("\t")))
                                  for line in lines[1:])}


def tree(root):
    out = {}
    for d, dirs, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out


def build(flavor, site):
    """Builds the site with the real generator: its output folder, or
    None when the generator is missing."""
    flavor = flavor.split("-")[0]
    tool = "hugo" if flavor == "hugo" else "jekyll"
    if not shutil.which(tool):
        return None
    if flavor == "hugo":
        dest = os.path.join(site, "public")
        cmd = ["hugo", "--source", site, "--destination", dest, "--quiet"]
    else:
        dest = os.path.join(site, "_site")
        cmd = ["jekyll", "build", "--source", site, "--destination", dest,
               "--quiet"]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=site)
    check(r.returncode == 0, "%s failed:\n%s%s" % (tool, r.stdout, r.stderr))
    return dest


def g_site(mtport, flavor, srv, tmp):
    site_url = srv.url("/")
    inp = os.path.join(tmp, "blog.txt")
    with open(inp, "w", encoding="utf-8") as f:
        f.write(feed(site_url))
    out = os.path.join(tmp, "site")
    p = convert(mtport, flavor, inp, out)
    rows = report(out)
    # the reachable files are fetched (or shared), the others reported
    for path in ["/img/photo.jpg", "/img/noext", "/files/report.pdf",
                 "/.a/%s-800wi" % XID, "/.a/%s-320wi" % XID2,
                 "/.shared/image.html?/img/chart.png",
                 "/assets_c/2009/04/big-12.html", "/flaky/500"]:
        r = rows.get(srv.url(path), {})
        check(r.get("status") == "fetched", "%s: %s" % (path, r))
    for path in UNREACHABLE:
        r = rows.get(srv.url(path), {})
        check(r.get("status") == "failed", "%s: %s" % (path, r))
        check(re.search(r"warning: .*%s.*\[asset-failed\]" % re.escape(path),
                        p.stderr), "no warning for the post using " + path)
    check(re.search(r"^mtport: downloads: 9 fetched, 0 from the cache, "
                    r"0 too large, 2 failed", p.stderr, re.M),
          "summary: %s" % p.stderr[-600:])
    check(os.path.isdir(os.path.join(tmp, ".mtport-cache")),
          "the cache is not beside the output")
    dest = build(flavor, out)
    if dest is None:
        print("SKIP: the generator is not installed")
        return SKIP
    # every reference to the blog's host in the built pages is a file of
    # the built site, but for the unreachable ones
    host = urllib.parse.urlsplit(site_url)
    refs = set()
    for d, _, files in os.walk(dest):
        for f in files:
            if not f.endswith(".html"):
                continue
            with open(os.path.join(d, f), encoding="utf-8") as fh:
                text = fh.read()
            # served on the old host: relative references resolve here
            page = site_url + os.path.relpath(os.path.join(d, f), dest)
            for u in re.findall(r'(?:src|href)="([^"]+)"', text):
                u = html.unescape(u)
                if u.startswith(("#", "mailto:")):
                    continue
                s = urllib.parse.urlsplit(urllib.parse.urljoin(page, u))
                if s.netloc == host.netloc:
                    refs.add(s.path)
    files = [r for r in refs if re.search(r"\.(jpe?g|png|gif|pdf)$", r)]
    check(len(files) >= 6, "the built pages show few files: %s" % files)
    for r in files:
        check(os.path.isfile(os.path.join(dest, r.lstrip("/"))),
              "the built site lacks %s" % r)
    pages = [r for r in refs if r not in files]
    for r in pages:
        if r in UNREACHABLE:
            continue
        ok = any(os.path.isfile(os.path.join(dest, r.lstrip("/"), *t))
                 for t in ([], ["index.html"]))
        check(ok or r.endswith("/") or r in ("", "/"),
              "a reference to the blog's host resolves to nothing: %s" % r)
    # on a new host, the asset issue's link checker: 0 broken, and no
    # reference to the old host but the ones mtport reported (the same
    # cache: no request)
    srv.state.reset()
    new = os.path.join(tmp, "new")
    p = convert(mtport, flavor, inp, new, "--base-url", NEW,
                "--cache", os.path.join(tmp, ".mtport-cache"))
    asked = {k for k, v in srv.state.counts.items() if v}
    check(asked == {"/cut/always"}, "the second site asked for %s" % asked)
    log = os.path.join(tmp, "new.log")
    with open(log, "w", encoding="utf-8") as f:
        f.write(p.stderr)
    dest = build(flavor, new)
    c = subprocess.run(
        [sys.executable, LINKCHECK, dest, "--base-url", NEW, "--reported",
         log, "--old-host", host.netloc], capture_output=True, text=True)
    print(c.stdout, end="")
    check(c.returncode == 0, "linkcheck: broken or unreported references")
    m = re.search(r"(\d+) references checked.* (\d+) on old hosts kept",
                  c.stdout)
    check(m and int(m.group(1)) >= 12 and int(m.group(2)) == 2,
          "linkcheck checked too little: %s" % c.stdout)
    return 0


def g_rerun(mtport, flavor, srv, tmp):
    site_url = srv.url("/")
    inp = os.path.join(tmp, "blog.txt")
    with open(inp, "w", encoding="utf-8") as f:
        f.write(feed(site_url))
    convert(mtport, flavor, inp, os.path.join(tmp, "s1"))
    srv.state.reset()
    # a rerun beside the first output: the same cache, only the failures
    # that may pass asked for again (the cut body)
    p = convert(mtport, flavor, inp, os.path.join(tmp, "s2"))
    asked = {k for k, v in srv.state.counts.items() if v}
    check(asked == {"/cut/always"}, "the rerun asked for %s" % sorted(asked))
    check("0 fetched, 9 from the cache" in p.stderr, p.stderr[-400:])
    t1, t2 = tree(os.path.join(tmp, "s1")), tree(os.path.join(tmp, "s2"))
    # the report says "cached" where it said "fetched"; nothing else moves
    r1 = t1.pop("mtport-assets.tsv").replace(b"\tfetched\t", b"\tcached\t")
    r2 = t2.pop("mtport-assets.tsv")
    check(t1 == t2 and r1 == r2,
          "the rerun's site differs")
    # --offline: no request at all
    srv.state.reset()
    convert(mtport, flavor, inp, os.path.join(tmp, "s3"), "--offline")
    check(srv.state.total == 0, "--offline made a request")
    # a cache that cannot be made: the output cannot be written (exit 4)
    blocker = os.path.join(tmp, "blocker")
    open(blocker, "w").close()
    p = convert(mtport, flavor, inp, os.path.join(tmp, "s7"), "--cache",
                os.path.join(blocker, "cache"), code=4)
    check("cannot fetch assets: cannot make the cache folder" in p.stderr,
          "no word of the cache: %s" % p.stderr[-300:])
    # --insecure is said out loud
    p = convert(mtport, flavor, inp, os.path.join(tmp, "s6"), "--offline",
                "--insecure")
    check("[fetch-insecure]" in p.stderr, "--insecure without a warning")
    # --strict-assets: the unreachable files make the run fail
    convert(mtport, flavor, inp, os.path.join(tmp, "s4"), "--offline",
            "--strict-assets", code=1)
    # 1 job or 8, each with its own cache: the same site
    sites = []
    for jobs in ("1", "8"):
        o = os.path.join(tmp, "j" + jobs)
        convert(mtport, flavor, inp, o, "--fetch-jobs", jobs, "--cache",
                os.path.join(tmp, "cache" + jobs))
        sites.append(tree(o))
    check(sites[0] == sites[1], "the sites differ with 1 job and 8: %s"
          % sorted(k for k in set(sites[0]) | set(sites[1])
                   if sites[0].get(k) != sites[1].get(k)))
    # --json-diagnostics: the downloads' summary is a JSON object too
    p = convert(mtport, flavor, inp, os.path.join(tmp, "s5"), "--offline",
                "--json-diagnostics")
    m = re.search(r'^\{"summary":"fetch".*\}$', p.stderr, re.M)
    check(m and json.loads(m.group(0)) == {
        "summary": "fetch", "fetched": 0, "cached": 9, "shared": 2,
        "failed": 2, "too_large": 0, "external": 0, "requests": 0,
        "downloaded": 0}, "JSON summary: %s" % (m and m.group(0)))
    # on a terminal, a bar of files and bytes (a fresh cache: downloads)
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [mtport, "convert"] + to(flavor) + ["--fetch-assets", "--retries",
         "0", "--site-url", site_url, "--cache",
         os.path.join(tmp, "cachetty"), "-o",
         os.path.join(tmp, "tty"), inp], stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait()
    os.close(master)
    check(re.search(rb"\rfetching assets \[#+\] (\d+)/\1 files, 3[0-9.]+ KB",
                    seen), "no progress bar on a terminal: %r" % seen[:1500])
    check(b" 0/0 files" not in seen, "a bar of nothing")
    # without a site URL a relative reference has no host: it stays
    # missing, and no request is made for it
    srv.state.reset()
    r = subprocess.run([mtport, "convert"] + to(flavor) + ["--fetch-assets",
                        "-o", os.path.join(tmp, "nosite"), inp],
                       capture_output=True, text=True)
    rows = report(os.path.join(tmp, "nosite"))
    check(rows.get("/img/photo.jpg", {}).get("status") == "missing",
          "no site URL: %s" % rows.get("/img/photo.jpg"))
    check(not srv.state.counts["/img/photo.jpg"] and
          "asset-fetch-failed" not in r.stderr, "no site URL: %s"
          % r.stderr[-500:])
    # usage: tuning without fetching, a bad size
    for args in (["--fetch-jobs", "2"], ["--max-asset-size", "lots"]):
        cmd = [mtport, "convert"] + to(flavor) + ["--site-url", site_url,
               "-o", os.path.join(tmp, "u"), inp] + args
        if args[0] == "--max-asset-size":
            cmd.append("--fetch-assets")
        r = subprocess.run(cmd, capture_output=True, text=True)
        check(r.returncode == 2, "%s: exit %d" % (args, r.returncode))
    return 0


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("site", "rerun"):
        print(__doc__)
        return 2
    mtport, flavor, group = sys.argv[1:]
    for k in list(os.environ):
        if k.lower().endswith("_proxy"):
            del os.environ[k]  # 127.0.0.1 only, never through a proxy
    srv = server.start()
    global PORT
    PORT = srv.server_address[1]
    srv.url = lambda path: "http://127.0.0.1:%d%s" % (srv.server_address[1],
                                                      path)
    tmp = tempfile.mkdtemp(prefix="mtport-fetch-cli-")
    try:
        rc = (g_site if group == "site" else g_rerun)(mtport, flavor, srv,
                                                      tmp)
    finally:
        server.stop(srv)
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILS:
        print("%s %s: FAILED" % (flavor, group))
        return 1
    print("%s %s: %s" % (flavor, group, "skipped" if rc == SKIP else "ok"))
    return rc


if __name__ == "__main__":
    sys.exit(main())
