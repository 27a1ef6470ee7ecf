#!/usr/bin/python3
"""The scaffold as a reader meets it: converts INPUT with --scaffold, builds
it with the real hugo or jekyll, serves it on 127.0.0.1 (a free port; no
other address is contacted: the browser resolves no other name) and checks

  - the build prints no warning;
  - every page and asset the site links to on its own host answers (a crawl
    from the home page; links inside post bodies and comments that point at
    the old site are counted, not failed: the export holds no uploaded
    files);
  - pagination (/page/N/), the year and month archives at MT's addresses
    (/2009/, /2009/12/, /2009/12/index.html), every category and tag page,
    every old post address (aliases, followed by the browser to the post),
    and every old feed address (/atom.xml, /index.xml, /index.rdf,
    /rss.xml, the input's own) answer; a missing page gets the 404 page;
  - each feed is Atom 1.0 (feedparser reads it as such, and RFC 4287's
    rules hold) and keeps every entry's id from the source;
  - in Chromium (headless), every page loads with no console error and no
    failed request on the site's host, and passes an accessibility smoke
    check (lang, one h1 and no skipped heading level, alt on every image
    outside post bodies, text contrast of 4.5:1 in the light and dark
    schemes).

sitecheck.py MTPORT FLAVOR INPUT WORKDIR [options]
  --site-url URL     passed to mtport convert
  --title TEXT       passed to mtport convert
  --mtport-arg ARG   one more argument for mtport convert (repeatable)
  --browse all|N     load every page in the browser (default) or N of them
                     (spread over every kind of page); MTPORT_BROWSE wins
  --screens DIR      also save home and post screenshots at phone and
                     desktop widths into DIR (<flavor>-home-phone.png...)
Exit 0 when every check passes, 1 otherwise, 77 when a tool or the input is
absent (unless MTPORT_REQUIRE_CONSUMERS is set).
"""
import argparse
import datetime
import functools
import html.parser
import http.server
import math
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

SKIP = 77
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
ELEVENTY = os.environ.get("MTPORT_ELEVENTY") or os.path.join(
    ROOT, "build-node", "node_modules", "@11ty", "eleventy", "cmd.cjs")
ATOM = "{http://www.w3.org/2005/Atom}"
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, flush=True)


def note(msg):
    print(msg, flush=True)


# ---- serving --------------------------------------------------------------

class Handler(http.server.SimpleHTTPRequestHandler):
    """A static host as sites are served: folders answer with their
    index.html, a folder without its slash is redirected, anything missing
    gets the site's 404.html with status 404."""

    prefix = "/"  # the site's base path, where the built folder is served

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        if not path.startswith(self.prefix) and path + "/" != self.prefix:
            return os.path.join(self.directory, ".outside-the-base-path")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        page = os.path.join(self.directory, "404.html")
        if code != 404 or not os.path.exists(page):
            return super().send_error(code, message, explain)
        with open(page, "rb") as fh:
            body = fh.read()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


Handler.extensions_map = dict(Handler.extensions_map, **{
    ".xml": "application/xml", ".rdf": "application/xml",
    ".html": "text/html; charset=utf-8", ".css": "text/css"})


class Server:
    def __init__(self, root, prefix="/"):
        os.makedirs(root, exist_ok=True)
        h = functools.partial(type("H", (Handler,), {"prefix": prefix}),
                              directory=root)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
        self.port = self.httpd.server_address[1]
        self.origin = "http://127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url):
    """(status, headers, body) without following redirects."""
    try:
        with OPENER.open(url, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def get(url, hops=3):
    """(status, final url, body), following a server's redirects."""
    for _ in range(hops + 1):
        st, hd, body = fetch(url)
        if st in (301, 302, 307, 308) and hd.get("Location"):
            url = urllib.parse.urljoin(url, hd["Location"])
            continue
        return st, url, body
    return st, url, body


# ---- the site's content -----------------------------------------------------

def front_matter(path):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if not text.startswith("---\n"):
        return None
    end = text.index("\n---\n", 3)
    return yaml.safe_load(text[4:end + 1]) or {}


def entries(flavor, site, section="posts", base="/"):
    """The posts and pages mtport wrote: (fm, url below the base path, is a
    post), for those a build without drafts publishes."""
    out = []
    if flavor == "hugo":
        root = os.path.join(site, "content")
        for d, dirs, files in os.walk(root):
            rel = os.path.relpath(d, root).split(os.sep)
            if rel[0].startswith("mt_"):
                continue
            for f in files:
                if not f.endswith(".md"):
                    continue
                fm = front_matter(os.path.join(d, f))
                if fm is None or fm.get("draft"):
                    continue
                post = rel[0] == section
                url = ("/%s/%s/" % (section, fm["slug"])) if post else \
                    ("/%s/" % fm["slug"])
                out.append((fm, url, post))
    elif flavor == "eleventy":
        old = {}
        red = os.path.join(site, "redirects")
        for f in sorted(os.listdir(red)) if os.path.isdir(red) else []:
            fm = front_matter(os.path.join(red, f)) or {}
            old.setdefault(fm.get("redirect_to"), []).append(fm["mt_old_url"])
        for d, dirs, files in os.walk(site):
            rel = os.path.relpath(d, site).split(os.sep)
            if rel[0] != "." and (rel[0].startswith(("_", "mt_", ".")) or
                                  rel[0] in ("redirects", "node_modules")):
                continue
            for f in sorted(files):
                if not f.endswith(".md"):
                    continue
                fm = front_matter(os.path.join(d, f))
                if fm is None or not isinstance(fm.get("permalink"), str):
                    continue
                url = fm["permalink"]
                full = base.rstrip("/") + url
                fm["_aliases"] = old.get(full) or old.get(
                    urllib.parse.quote(full)) or []
                out.append((fm, url, rel[0] == section))
    else:
        for d in ("_posts", "."):
            root = os.path.join(site, d)
            for f in sorted(os.listdir(root)):
                if not f.endswith(".md"):
                    continue
                fm = front_matter(os.path.join(root, f))
                if fm is None:
                    continue
                post = d == "_posts"
                url = ("/posts/%s/" % fm["slug"]) if post else fm["permalink"]
                out.append((fm, url, post))
    return out


def aliases(flavor, fm):
    return {"hugo": fm.get("aliases"), "jekyll": fm.get("redirect_from"),
            "eleventy": fm.get("_aliases")}[flavor] or []


# ---- crawling -------------------------------------------------------------

class Links(html.parser.HTMLParser):
    """Every URL a page refers to: (url, inside a post body or comment)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls = []
        self.stack = []  # open elements: inside content?

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        inside = bool(self.stack and self.stack[-1])
        cls = (a.get("class") or "").split()
        if tag not in ("img", "br", "hr", "meta", "link", "input", "source",
                       "area", "base", "col", "embed", "param", "track", "wbr"):
            self.stack.append(inside or "content" in cls or "comment" in cls)
        for key in ("href", "src", "poster", "data"):
            if a.get(key):
                self.urls.append((a[key], inside, tag, key))
        for key in ("srcset",):
            for part in (a.get(key) or "").split(","):
                if part.strip():
                    self.urls.append((part.split()[0], inside, tag, key))
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            m = re.search(r"url=(.+)$", a.get("content") or "", re.I)
            if m:
                self.urls.append((m.group(1).strip(), inside, tag, "refresh"))

    def handle_endtag(self, tag):
        if self.stack and tag not in ("img", "br", "hr", "meta", "link"):
            self.stack.pop()


def quoted(url):
    """@url with its path and query percent-encoded as a browser sends it."""
    p = urllib.parse.urlsplit(url)
    safe = "/%:@!$&'()*+,;=-._~"
    return urllib.parse.urlunsplit((p.scheme, p.netloc,
                                    urllib.parse.quote(p.path, safe=safe),
                                    urllib.parse.quote(p.query, safe=safe + "?"),
                                    p.fragment))


class Crawl:
    def __init__(self, origin, base_path, old_origin):
        self.origin = origin
        self.base = base_path
        self.old = old_origin  # the old site's URL ("https://x.org/blog/")
        self.status = {}        # url -> status (after redirects)
        self.pages = {}         # html url -> body
        self.referrers = {}     # url -> a page linking to it
        self.strict_broken = []
        self.old_links = {}     # old-site URLs in bodies -> answered?

    def local(self, url):
        return url.startswith(self.origin + "/")

    def visit(self, start):
        queue = [start]
        seen = {start}
        while queue:
            url = queue.pop(0)
            st, final, body = get(url)
            self.status[url] = st
            if st != 200:
                continue
            if not re.search(r"\.(xml|rdf|css|png|jpe?g|gif|svg|txt|json)$",
                             urllib.parse.urlsplit(final).path):
                text = body.decode("utf-8", "replace")
                if "<html" not in text[:2000].lower():
                    continue
                self.pages[final] = text
                p = Links()
                p.feed(text)
                for ref, inside, tag, key in p.urls:
                    if ref.startswith(("mailto:", "javascript:", "data:", "tel:",
                                       "#")):
                        continue
                    absu = urllib.parse.urljoin(final, ref.strip())
                    absu = quoted(urllib.parse.urldefrag(absu)[0])
                    if not self.local(absu):
                        if inside and self.old and absu.startswith(self.old):
                            self.old_links.setdefault(absu, None)
                        continue
                    if inside and not re.match(r"^(/|\.|[^:/?#]+(/|$))", ref):
                        # an absolute URL in a body that happens to be ours
                        pass
                    self.referrers.setdefault(absu, final)
                    if absu not in seen:
                        seen.add(absu)
                        queue.append(absu)
        for u, st in self.status.items():
            if st != 200:
                self.strict_broken.append((u, st, self.referrers.get(u)))

    def check_old_links(self):
        """Old-site URLs in bodies, tried on the new site by their path."""
        for u in self.old_links:
            path = u[len(self.old) - 1:] if self.old.endswith("/") else u
            st, _, _ = get(self.origin + self.base.rstrip("/") + path)
            self.old_links[u] = st == 200


# ---- Atom -------------------------------------------------------------------

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?"
                     r"(Z|[+-]\d{2}:\d{2})$")


def atom_problems(data):
    """RFC 4287's rules for a feed document that a reader relies on."""
    out = []
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        return ["not well-formed XML: %s" % e]
    if root.tag != ATOM + "feed":
        return ["the root is %s, not atom:feed" % root.tag]

    def one(el, name, where):
        found = el.findall(ATOM + name)
        if len(found) != 1:
            out.append("%s has %d atom:%s, not one" % (where, len(found), name))
        return found[0] if found else None

    def date(el, name, where, required=True):
        found = el.findall(ATOM + name)
        if not found and not required:
            return
        if len(found) != 1:
            out.append("%s has %d atom:%s, not one" % (where, len(found), name))
        elif not RFC3339.match((found[0].text or "").strip()):
            out.append("%s: atom:%s %r is not an RFC 3339 date"
                       % (where, name, found[0].text))

    def iri(el, where):
        t = (el.text or "").strip() if el is not None else ""
        if el is not None and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", t):
            out.append("%s: atom:id %r is not an absolute IRI" % (where, t))
        return t

    iri(one(root, "id", "feed"), "feed")
    one(root, "title", "feed")
    date(root, "updated", "feed")
    if not [l for l in root.findall(ATOM + "link") if l.get("rel") == "self"]:
        out.append("feed has no rel=self link")
    feed_author = bool(root.findall(ATOM + "author"))
    ids = set()
    for i, e in enumerate(root.findall(ATOM + "entry")):
        where = "entry %d" % (i + 1)
        eid = iri(one(e, "id", where), where)
        if eid in ids:
            out.append("%s: id %r repeats" % (where, eid))
        ids.add(eid)
        one(e, "title", where)
        date(e, "updated", where)
        date(e, "published", where, required=False)
        if not feed_author and not e.findall(ATOM + "author"):
            out.append("%s has no author, nor has the feed" % where)
        alt = [l for l in e.findall(ATOM + "link")
               if (l.get("rel") or "alternate") == "alternate"]
        content = e.findall(ATOM + "content")
        if not alt and not content:
            out.append("%s has neither content nor an alternate link" % where)
        for a in e.findall(ATOM + "author") + root.findall(ATOM + "author"):
            if a.find(ATOM + "name") is None:
                out.append("%s: an author without a name" % where)
        for c in content:
            if c.get("type") not in (None, "text", "html", "xhtml"):
                out.append("%s: content type %r" % (where, c.get("type")))
    return out


def check_feed(url, data, want_ids, n_posts):
    import feedparser
    probs = atom_problems(data)
    for p in probs:
        fail("feed %s: %s" % (url, p))
    d = feedparser.parse(data)
    if d.get("version") != "atom10" or d.get("bozo"):
        fail("feed %s: feedparser reads %r (bozo: %r)"
             % (url, d.get("version"), d.get("bozo_exception")))
    root = ET.fromstring(data)
    got = root.findall(ATOM + "entry")
    if len(got) != min(15, n_posts):
        fail("feed %s: %d entries, %d posts" % (url, len(got), n_posts))
    kept = 0
    for e in got:
        link = [l.get("href") for l in e.findall(ATOM + "link")
                if (l.get("rel") or "alternate") == "alternate"][0]
        path = urllib.parse.unquote(urllib.parse.urlsplit(link).path)
        want = want_ids.get(path)
        eid = e.find(ATOM + "id").text
        if want is None:
            fail("feed %s: entry %s is not a post of the site" % (url, link))
        elif eid != want:
            fail("feed %s: entry %s has id %r, the source %r" % (url, link, eid, want))
        else:
            kept += 1
    return kept


# ---- the browser ----------------------------------------------------------

A11Y = r"""
(() => {
  const out = [];
  const lang = document.documentElement.getAttribute('lang');
  if (!lang) out.push('no lang on <html>');
  const inBody = el => el.closest('.content, .comment');
  const hs = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]
    .filter(h => !inBody(h));
  const h1 = hs.filter(h => h.tagName === 'H1').length;
  if (document.querySelector('meta[http-equiv=refresh]') === null && h1 !== 1)
    out.push(h1 + ' h1 elements');
  let last = 0;
  for (const h of hs) {
    const l = +h.tagName[1];
    if (last && l > last + 1) out.push('heading ' + h.tagName + ' after h' + last);
    last = l;
    if (!h.textContent.trim()) out.push('an empty ' + h.tagName);
  }
  for (const img of document.querySelectorAll('img'))
    if (!inBody(img) && !img.hasAttribute('alt')) out.push('an image without alt');
  for (const a of document.querySelectorAll('a'))
    if (!inBody(a) && !a.textContent.trim() && !a.querySelector('img[alt]'))
      out.push('a link without text: ' + a.getAttribute('href'));
  return out;
})()
"""

CONTRAST = r"""
(() => {
  const rgb = s => s.match(/[\d.]+/g).map(Number);
  const lum = c => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const bgOf = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  };
  const out = [];
  const sel = 'body, main p, .meta, .site-title a, .site-header nav a, ' +
    'main a, .count, .post-list time, .pager li, .site-footer, code, blockquote';
  for (const el of document.querySelectorAll(sel)) {
    if (!el.textContent.trim()) continue;
    const fg = lum(rgb(getComputedStyle(el).color));
    const bg = lum(bgOf(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5)
      out.push(el.tagName.toLowerCase() + '.' + el.className + ' ' +
               ratio.toFixed(2) + ':1');
  }
  return [...new Set(out)];
})()
"""


def browse(b, origin, urls, label, missing=None):
    """Loads each URL and fails on console errors, failed requests on the
    site's host and accessibility problems. @missing is the one URL expected
    to answer 404 (with the site's 404 page)."""
    bad = 0
    for url in urls:
        try:
            res = b.load(url, timeout=60)
        except cdp.CDPError as e:
            fail("%s: %s" % (url, e))
            bad += 1
            continue
        if res.get("errorText"):
            fail("%s: %s" % (url, res["errorText"]))
            continue
        for ev in b.events:
            m, p = ev["method"], ev["params"]
            if m == "Runtime.exceptionThrown":
                fail("%s: script error %s" % (url, p["exceptionDetails"].get("text")))
            elif m == "Runtime.consoleAPICalled" and p.get("type") == "error":
                fail("%s: console error %r" % (url, p.get("args")))
            elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
                src = p["entry"].get("url") or ""
                if src and not src.startswith(origin):
                    continue  # another host, which the test never reaches
                if url == missing and src == url:
                    continue  # the 404 itself
                fail("%s: console error %s" % (url, p["entry"].get("text")))
            elif m == "Network.responseReceived":
                r = p["response"]
                if r["url"].startswith(origin) and r["status"] >= 400 and \
                        r["url"] != url:
                    fail("%s: %s answered %d" % (url, r["url"], r["status"]))
        for prob in b.evaluate(A11Y) or []:
            fail("%s: accessibility: %s" % (url, prob))
    note("%s: %d page(s) loaded in the browser" % (label, len(urls)))


def contrast(b, urls):
    for scheme in ("light", "dark"):
        b.call("Emulation.setEmulatedMedia", features=[
            {"name": "prefers-color-scheme", "value": scheme}])
        for url in urls:
            b.load(url)
            for prob in b.evaluate(CONTRAST) or []:
                fail("%s (%s): contrast %s" % (url, scheme, prob))
    b.call("Emulation.setEmulatedMedia", features=[])


def screenshots(b, home, post, out, flavor):
    import base64
    os.makedirs(out, exist_ok=True)
    for name, url in (("home", home), ("post", post)):
        for width, height, mobile, label in ((390, 844, True, "phone"),
                                             (1280, 900, False, "desktop")):
            b.call("Emulation.setDeviceMetricsOverride", width=width,
                   height=height, deviceScaleFactor=1, mobile=mobile)
            b.call("Emulation.setEmulatedMedia", features=[
                {"name": "prefers-color-scheme", "value": "light"}])
            b.load(url, settle=0.2)
            shot = b.call("Page.captureScreenshot", format="png")
            path = os.path.join(out, "%s-%s-%s.png" % (flavor, name, label))
            with open(path, "wb") as fh:
                fh.write(base64.b64decode(shot["data"]))
            note("screenshot %s" % path)
    b.call("Emulation.clearDeviceMetricsOverride")
    b.call("Emulation.setEmulatedMedia", features=[])


def spread(urls, n):
    """@n of @urls, spread over every kind of page (by first path part)."""
    if n is None or len(urls) <= n:
        return urls
    kinds = {}
    for u in urls:
        parts = urllib.parse.urlsplit(u).path.strip("/").split("/")
        kinds.setdefault(parts[0] if len(parts) > 1 else "", []).append(u)
    out = []
    while len(out) < n and any(kinds.values()):
        for k in sorted(kinds):
            if kinds[k] and len(out) < n:
                out.append(kinds[k].pop(0))
    return out


# ---- the run ----------------------------------------------------------------

def tool_missing(name):
    if os.environ.get("MTPORT_REQUIRE_CONSUMERS"):
        fail("%s is not installed" % name)
        return 1
    note("SKIP: %s is not installed" % name)
    return SKIP


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mtport")
    ap.add_argument("flavor", choices=("hugo", "jekyll", "eleventy"))
    ap.add_argument("input")
    ap.add_argument("work")
    ap.add_argument("--site-url")
    ap.add_argument("--title")
    ap.add_argument("--mtport-arg", action="append", default=[],
                    help="one more argument for mtport convert")
    ap.add_argument("--browse", default="all")
    ap.add_argument("--screens")
    a = ap.parse_args()
    if not os.path.exists(a.input):
        note("SKIP: %s is absent" % a.input)
        return SKIP
    if a.flavor == "eleventy" and not os.path.exists(ELEVENTY):
        return tool_missing("@11ty/eleventy (npm, see tests/run-all.sh)")
    if a.flavor != "eleventy" and not shutil.which(a.flavor):
        return tool_missing(a.flavor)
    if not cdp.CHROMIUM:
        return tool_missing("chromium")
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    site = os.path.join(a.work, "site")
    out = os.path.join(a.work, "out")

    # 1. mtport
    cmd = [a.mtport, "convert", "--quiet", "--to", a.flavor, "--scaffold",
           "--output", site, a.input]
    if a.site_url:
        cmd += ["--site-url", a.site_url]
    if a.title:
        cmd += ["--title", a.title]
    cmd += a.mtport_arg
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        fail("mtport exited %d:\n%s" % (r.returncode, r.stderr[-3000:]))
        return 1

    # 2. the real tool, for the test's own host (the site's base path kept)
    if a.flavor == "hugo":
        with open(os.path.join(site, "config.yaml"), encoding="utf-8") as fh:
            cfg = yaml.safe_load(fh)
        old = cfg.get("baseURL") or "/"
        base = urllib.parse.urlsplit(old).path or "/"
    elif a.flavor == "eleventy":
        with open(os.path.join(site, "_data", "site.json"),
                  encoding="utf-8") as fh:
            cfg = yaml.safe_load(fh)
        base = cfg.get("basePath") or "/"
        old = cfg.get("url") or ""
    else:
        with open(os.path.join(site, "_config.yml"), encoding="utf-8") as fh:
            cfg = yaml.safe_load(fh)
        base = (cfg.get("baseurl") or "") + "/"
        old = (cfg.get("url") or "") + base
    srv = Server(out, base)
    try:
        return run(a, site, out, srv, cfg, old, base)
    finally:
        srv.stop()


def run(a, site, out, srv, cfg, old, base):
    cwd = None
    if a.flavor == "hugo":
        cmd = ["hugo", "--source", site, "--destination", out, "--baseURL",
               srv.origin + base]
    elif a.flavor == "eleventy":
        # the feed's absolute links go to the test's host
        import json
        path = os.path.join(site, "_data", "site.json")
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        data["host"] = srv.origin
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        cmd = ["node", ELEVENTY, "--input=.", "--output=" + out, "--quiet"]
        cwd = site
    else:
        local = os.path.join(a.work, "local.yml")
        with open(local, "w", encoding="utf-8") as fh:
            fh.write('url: "%s"\n' % srv.origin)
        cmd = ["jekyll", "build", "--source", site, "--destination", out,
               "--config", os.path.join(site, "_config.yml") + "," + local]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    log = r.stdout + r.stderr
    if r.returncode != 0:
        fail("%s exited %d:\n%s" % (cmd[0], r.returncode, log[-3000:]))
        return 1
    warned = [l for l in log.splitlines()
              if re.search(r"\bwarn|deprecat|error", l, re.I)]
    for l in warned:
        fail("%s: %s" % (cmd[0], l.strip()))
    if not old.startswith("http"):
        old = None
    home = srv.origin + base

    # 3. what mtport wrote
    section = "posts"
    if a.flavor == "hugo":
        section = (cfg.get("params") or {}).get("mainSections", ["posts"])[0]
    elif a.flavor == "eleventy":
        section = cfg.get("section") or "posts"
    ents = entries(a.flavor, site, section, base)
    posts = [e for e in ents if e[2]]
    note("%d posts, %d pages published" % (len(posts), len(ents) - len(posts)))

    # 4. the crawl: every link and asset on the site's host
    crawl = Crawl(srv.origin, base, old)
    crawl.visit(home)
    for u, st, ref in crawl.strict_broken:
        fail("broken: %s answered %s (linked from %s)" % (u, st, ref))
    crawl.check_old_links()
    answered = sum(1 for v in crawl.old_links.values() if v)
    note("crawl: %d URLs, %d pages, %d broken; %d links in bodies to the old "
         "site, %d of them answered by the new one"
         % (len(crawl.status), len(crawl.pages), len(crawl.strict_broken),
            len(crawl.old_links), answered))

    def at(path):
        return srv.origin + base.rstrip("/") + path

    def answers(path, what, contains=None):
        st, final, body = get(at(path))
        if st != 200:
            fail("%s %s answered %d" % (what, path, st))
            return None
        text = body.decode("utf-8", "replace")
        if contains and not any(c in text for c in contains):
            fail("%s %s does not show %r" % (what, path, contains[0]))
        return text

    def shown(url):
        full = base.rstrip("/") + url
        return [full, urllib.parse.quote(full)]

    # 5. pagination
    pages = max(1, math.ceil(len(posts) / 10))
    for n in range(2, pages + 1):
        answers("/page/%d/" % n, "page")
    st, _, _ = get(at("/page/%d/" % (pages + 1)))
    if st != 404:
        fail("/page/%d/ answered %d, past the last page" % (pages + 1, st))

    # 6. archives at MT's addresses, and the terms
    months = set()
    for fm, url, _ in posts:
        d = fm.get("date")
        if not isinstance(d, datetime.datetime):
            continue
        months.add(d.strftime("/%Y/%m/"))
        months.add(d.strftime("/%Y/"))
        answers(d.strftime("/%Y/%m/"), "the archive", shown(url))
    for m in sorted(months):
        answers(m + "index.html", "the archive")
    checked_terms = 0
    for fm, url, _ in posts:
        for key in ("categories", "tags"):
            checked_terms += len(fm.get(key) or [])
    note("%d archive addresses, %d post terms (linked and crawled)"
         % (len(months), checked_terms))

    # 7. old post addresses: each answers and sends the reader to the post
    old_addrs = []
    for fm, url, _ in ents:
        for al in aliases(a.flavor, fm):
            path = urllib.parse.quote(al)
            text = answers(path, "the old address", shown(url))
            if text is not None:
                old_addrs.append((at(path), srv.origin + base.rstrip("/") +
                                  urllib.parse.quote(url)))
    note("%d old post addresses" % len(old_addrs))

    # 8. the feeds at every old feed address
    # the source's id, else its old URL, else one from the slug: never one
    # that changes with where the site is served
    want_ids = {}
    for fm, url, _ in posts:
        fid = fm.get("mt_atom_id") or fm.get("mt_permalink") or \
            "urn:mtport:slug:" + fm["slug"]
        want_ids[base.rstrip("/") + url] = fid
    feeds = ["/atom.xml", "/index.xml", "/index.rdf", "/rss.xml"]
    for d, _, files in os.walk(os.path.join(site, "content/mt_feeds" if
                                            a.flavor == "hugo" else "mt_feeds")):
        for f in files:
            fm = front_matter(os.path.join(d, f))
            u = fm.get("permalink") or fm.get("url") if fm else None
            if u and u not in feeds:
                feeds.append(u)
    kept = 0
    for f in feeds:
        st, _, body = get(at(f))
        if st != 200:
            fail("the old feed address %s answered %d" % (f, st))
            continue
        kept += check_feed(f, body, want_ids, len(posts))
    note("%d feed addresses, %d entries keep their ids" % (len(feeds), kept))

    # 9. 404
    st, _, body = get(at("/mtport-no-such-page/"))
    if st != 404 or b"Page not found" not in body:
        fail("a missing page answered %d without the 404 page" % st)

    # 10. the browser
    html_pages = sorted(u for u in crawl.pages
                        if "http-equiv=\"refresh\"" not in crawl.pages[u])
    browse_n = os.environ.get("MTPORT_BROWSE") or a.browse
    n = None if browse_n == "all" else int(browse_n)
    with cdp.Browser() as b:
        browse(b, srv.origin, spread(html_pages, n) + [at("/mtport-no-such-page/")],
               a.flavor, missing=at("/mtport-no-such-page/"))
        sample = old_addrs if n is None else old_addrs[:max(1, n // 10)]
        for old_url, new_url in sample:
            b.load(old_url)
            b.wait_event("Page.frameNavigated", timeout=10,
                         pred=lambda p: p["frame"]["url"] != old_url)
            b.wait_event("Page.loadEventFired", timeout=10)
            b.drain(0.05)
            got = b.url()
            if got != new_url:
                fail("the old address %s led the browser to %s, not %s"
                     % (old_url, got, new_url))
        note("%d old addresses followed in the browser" % len(sample))
        post_url = srv.origin + base.rstrip("/") + urllib.parse.quote(
            sorted(posts, key=lambda e: str(e[0].get("date")))[-1][1]) \
            if posts else home
        lists = [u for u in html_pages if "/page/2/" in u][:1]
        contrast(b, [home, post_url] + lists)
    if a.screens:  # a fresh browser: no link shows as visited
        with cdp.Browser() as b:
            screenshots(b, home, post_url, a.screens, a.flavor)

    print("%s: %d failure(s)" % (a.flavor, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
