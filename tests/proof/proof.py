#!/usr/bin/python3
"""The consumer proof: each entry's body as the real consumers show it must
read as the source does.

For each INPUT: mtport converts it to Hugo and Jekyll sites (--scaffold
--no-comments; --site-url http://example.invalid/ when it has no URL),
Debian's hugo and jekyll build them with drafts, future and expired posts
(Jekyll twice: kramdown, its default, and jekyll-commonmark, which the
scaffold will use), typography off (an extra config file: HUGO_EXTRA...),
and every entry's post page is compared with the entry's source HTML as
Movable Type rendered it: body and extended body after MT's text filter,
as `mtport convert --to jsonfeed --include-drafts` gives them in
content_html, each in a box of its own as MT's templates show them, relative
URLs resolved against the entry's URL. The comparison (htmlproof.py) covers
visible text, line breaks, strong/em, links, images, inline code and code
blocks, headings, lists and tables.

Entries, feed items and posts: proof_entries (the reader, through the
library) lists each entry with its file line, ordinal, ids, old URL, date
and filters; JSON Feed items match it by id (the id rule of jsonfeed.c) in
input order; a post matches it when its front matter's mt_id and
mt_permalink agree with the entry's where both have them, and its title
and date agree (a second pass lets an id or old URL decide alone, for
titles a front matter spells otherwise); duplicates pair in input and file
order. An entry without a post, or a post without an entry, is a failure.
Where a post's page is: `hugo list all` for Hugo, a small plugin writing
Jekyll's own map of documents to files (_plugins/proof_map.rb). The body is
what the scaffolds' layouts put in the post's <div class="content">.

Each divergence prints as
  FILE:LINE: entry N "TITLE": KIND: [TARGETS] DETAIL
and fails the test unless known-differences.tsv lists it (file, entry id,
kind, reason). Exit 0 when every divergence is known, 1 otherwise, 77 when
hugo or jekyll is missing (or the input is absent).

proof.py --mtport BIN --entries BIN --work DIR [--known TSV]
         [--stats JSON] [--targets hugo,jekyll,jekyll-commonmark] INPUT...
"""
import argparse
import csv
import datetime
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

import yaml

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import htmlproof  # noqa: E402
except ImportError as err:  # python3-lxml missing
    print("SKIP: %s (.ci/install-deps installs python3-lxml)" % err)
    sys.exit(77)

SITE_URL = "http://example.invalid/"
TARGETS = ("hugo", "jekyll", "jekyll-commonmark")

# Consumers built with no typography, as the scaffolds configure them; said
# here too so that the proof does not hang on the scaffold (typographer,
# linkify, smart quotes off).
HUGO_EXTRA = """\
markup:
  goldmark:
    extensions:
      typographer: false
      linkify: false
"""
# kramdown: straight quotes, and GFM's no_auto_typographic (no -- ... << >>
# symbols; the parser is left out, so nothing else changes).
KRAMDOWN_EXTRA = """\
markdown: kramdown
kramdown:
  smart_quotes: "apos,apos,quot,quot"
  gfm_quirks: "paragraph_end,no_auto_typographic"
"""
# Jekyll merges configs but replaces lists: the plugins list is rebuilt
# from the scaffold's own.
COMMONMARK_EXTRA = """\
markdown: CommonMark
commonmark:
  options: ["UNSAFE"]
  extensions: ["table", "strikethrough"]
"""
# Where Jekyll wrote each post, draft and page (it has no "list" command).
JEKYLL_MAP_PLUGIN = """\
# Written by mtport's tests/proof/proof.py: the file each document became.
Jekyll::Hooks.register :site, :post_write do |site|
  File.open(File.join(site.dest, "proof-map.tsv"), "w") do |f|
    (site.posts.docs + site.pages).each do |d|
      f.puts [d.relative_path, d.destination(site.dest)].join("\\t")
    end
  end
end
"""


def run(cmd, cwd=None, check=True):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                       errors="replace")
    if check and r.returncode != 0:
        raise RuntimeError("%s exited %d:\n%s%s" % (
            " ".join(cmd), r.returncode, r.stdout[-2000:], r.stderr[-3000:]))
    return r


# ---------------------------------------------------------------------------
# Front matter and sites

def front_matter(path):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 4)
    if end < 0:
        return {}, text
    fm = yaml.load(text[4:end], Loader=yaml.BaseLoader) or {}
    return fm, text[end + 5:]


def instant(s):
    if not s:
        return None
    try:
        d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return s
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    return d.timestamp()


def plain(s):
    return htmlproof.norm(html.unescape(s or ""))


class Post:
    """A Markdown file of a built site and the page it became."""

    def __init__(self, src, fm, page):
        self.src, self.fm, self.page = src, fm, page
        self.mt_id = fm.get("mt_id")
        self.permalink = fm.get("mt_permalink")
        self.title = plain(fm.get("title"))
        # what the page shows for an untitled post: the scaffolds' label
        self.shown = self.title or plain(fm.get("linkTitle") or
                                         fm.get("link_title"))
        self.date = instant(fm.get("date"))


def hugo_site(out, work):
    with open(os.path.join(out, "extra.yaml"), "w") as fh:
        fh.write(HUGO_EXTRA)
    cfg = "config.yaml,extra.yaml"
    pub = os.path.join(work, "hugo-public")
    shutil.rmtree(pub, ignore_errors=True)
    run(["hugo", "--quiet", "--config", cfg, "-D", "-F", "-E", "-d", pub],
        cwd=out)
    lst = run(["hugo", "list", "all", "--config", cfg], cwd=out).stdout
    with open(os.path.join(out, "config.yaml"), encoding="utf-8") as fh:
        base = (yaml.safe_load(fh) or {}).get("baseURL") or "/"
    base_path = urllib.parse.urlparse(base).path or "/"
    posts = []
    rows = lst.split("\n")
    head = rows[0].split(",") if rows else []
    for row in csv.reader(r for r in rows[1:] if r):
        rec = dict(zip(head, row))
        path = urllib.parse.urlparse(rec.get("permalink", "")).path
        if path.startswith(base_path):
            path = path[len(base_path):]
        path = urllib.parse.unquote(path.lstrip("/"))
        page = os.path.join(pub, path)
        if path.endswith("/") or not path:
            page = os.path.join(page, "index.html")
        src = os.path.join(out, rec["path"])
        fm, _ = front_matter(src)
        posts.append(Post(src, fm, page))
    return posts


def jekyll_site(out, work, variant):
    cfgs = ["_config.yml"]
    with open(os.path.join(out, "_config.yml"), encoding="utf-8") as fh:
        base_cfg = yaml.safe_load(fh) or {}
    if variant == "jekyll":
        extra = KRAMDOWN_EXTRA
    else:
        plugins = list(base_cfg.get("plugins") or [])
        if "jekyll-commonmark" not in plugins:
            plugins.append("jekyll-commonmark")
        extra = COMMONMARK_EXTRA + "plugins:\n" + "".join(
            "- %s\n" % json.dumps(p) for p in plugins)
    name = "proof-%s.yml" % variant
    with open(os.path.join(out, name), "w") as fh:
        fh.write(extra)
    cfgs.append(name)
    os.makedirs(os.path.join(out, "_plugins"), exist_ok=True)
    with open(os.path.join(out, "_plugins", "proof_map.rb"), "w") as fh:
        fh.write(JEKYLL_MAP_PLUGIN)
    dest = os.path.join(work, "%s-site" % variant)
    shutil.rmtree(dest, ignore_errors=True)
    run(["jekyll", "build", "--quiet", "--drafts", "--future", "--unpublished",
         "--config", ",".join(cfgs), "-d", dest], cwd=out)
    posts = []
    with open(os.path.join(dest, "proof-map.tsv"), encoding="utf-8") as fh:
        for line in fh:
            rel, page = line.rstrip("\n").split("\t")
            if not rel.endswith((".md", ".markdown")):
                continue
            src = os.path.join(out, rel)
            fm, _ = front_matter(src)
            posts.append(Post(src, fm, page))
    return posts


_FENCE = re.compile(r"^ *(`{3,}|~{3,})")
_ESC = re.compile(r"\\[!-/:-@\[-`{-~]")


def md_escapes(body):
    """Backslash escapes in Markdown text (code and hard breaks left out):
    (all, "\\!", "\\\\" before an ASCII letter)."""
    n = bang = bsl = 0
    fence = None
    for line in body.split("\n"):
        m = _FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= \
                    len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        # code spans: drop runs between equal backtick strings
        line = re.sub(r"(`+)(?:(?!\1).)+?\1", "", line)
        if line.endswith("\\") and not line.endswith("\\\\"):
            line = line[:-1]  # a hard break
        i = 0
        while i < len(line) - 1:
            if line[i] == "\\" and _ESC.match(line, i):
                n += 1
                if line[i + 1] == "!":
                    bang += 1
                elif line[i + 1] == "\\" and i + 2 < len(line) and \
                        line[i + 2].isascii() and line[i + 2].isalpha():
                    bsl += 1
                i += 2
            else:
                i += 1
    return n, bang, bsl


# ---------------------------------------------------------------------------
# The body of a post page

_H1 = re.compile(r"<h1>(.*?)</h1>", re.S)
_ARTICLE = '<article class="post">'
_CONTENT = '<div class="content">'
_TERMS = '<footer class="terms">'


def page_body(path):
    """(title, body HTML) of a post page: the scaffolds' layouts put the
    title's <h1> and the date in the <header> of one <article
    class="post">, then the content in a <div class="content">, then the
    categories and tags in a <footer class="terms"> (comments, left out
    here, follow the article)."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        page = fh.read()
    a = page.find(_ARTICLE)
    z = page.find("</article>", a)
    if a < 0 or z < a:
        raise ValueError("no <article class=\"post\"> in %s" % path)
    inner = page[a + len(_ARTICLE):z]
    m = _H1.search(inner)
    if not m:
        raise ValueError("no <h1> title in the <article> of %s" % path)
    c = inner.find(_CONTENT, m.end())
    if c < 0:
        raise ValueError("no <div class=\"content\"> in the <article> of %s"
                         % path)
    body = inner[c + len(_CONTENT):]
    t = body.rfind(_TERMS)
    if t >= 0:
        body = body[:t]
    body = body[:body.rfind("</div>")]
    return html.unescape(m.group(1)), body


# ---------------------------------------------------------------------------
# Entries and their posts

def source_html(e, item):
    """The entry's HTML as MT's templates show it on the entry's page: body
    and extended body in boxes of their own (JSON Feed joins them with a
    newline), relative URLs resolved against the entry's URL (JSON Feed
    resolves them against the blog's home: proof_entries gives the HTML
    resolved as the sites do then)."""
    html_, n = e.get("site_html"), e.get("site_body_bytes", -1)
    if html_ is None:
        html_, n = item.get("content_html") or "", e.get("body_html_bytes", -1)
    data = html_.encode("utf-8")
    if 0 <= n < len(data) and data[n:n + 1] == b"\n":
        return "<div>%s</div><div>%s</div>" % (
            data[:n].decode("utf-8", "replace"),
            data[n + 1:].decode("utf-8", "replace"))
    return html_


def feed_id(e):
    """The id JSON Feed gives an entry (exporters/jsonfeed.c)."""
    if e.get("source_id"):
        return e["source_id"]
    if e.get("permalink"):
        return e["permalink"]
    if e.get("entry_id"):
        return "urn:mtport:entry:%d" % e["entry_id"]
    return "urn:mtport:%s:%d" % (e.get("basename") or "entry", e["ordinal"])


def compatible(e, item, post, strict):
    """Whether @post can be the entry's: its MT id and old URL, when both
    sides have them, must agree; so must title and date, unless @strict is
    off and an id or old URL agreed (a second pass, for titles a front
    matter might spell differently)."""
    strong = False
    if e.get("entry_id") and post.mt_id is not None:
        if str(e["entry_id"]) != str(post.mt_id):
            return False
        strong = True
    if e.get("permalink") and post.permalink is not None:
        if e["permalink"] != post.permalink:
            return False
        strong = True
    if strong and not strict:
        return True
    return (plain(item.get("title")) == post.title and
            instant(item.get("date_published")) == post.date)


def match(entries, items, posts):
    """entry index -> post, or None, and the posts left over. Entries in
    input order take the first compatible post not yet taken (posts in
    file order, so duplicates pair in order)."""
    free = sorted(posts, key=lambda p: p.src)
    out = [None] * len(entries)
    for strict in (True, False):
        for i, (e, item) in enumerate(zip(entries, items)):
            if out[i] is not None:
                continue
            for p in free:
                if compatible(e, item, p, strict):
                    out[i] = p
                    free.remove(p)
                    break
    return out, free


# ---------------------------------------------------------------------------
# Known differences

def load_known(path):
    known = {}
    if not path or not os.path.exists(path):
        return known
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 4 or not cols[3].strip():
                raise SystemExit("%s:%d: want file, entry id, kind, reason"
                                 % (path, n))
            known[(cols[0], cols[1], cols[2])] = [cols[3], 0]
    return known


def is_known(known, fname, e, kind, targets):
    for key in ((fname, feed_id(e), kind), (fname, str(e["ordinal"]), kind)):
        if key in known:
            known[key][1] += 1
            return True
        for t in targets:
            k = (key[0], key[1], "%s:%s" % (t, kind))
            if k in known:
                known[k][1] += 1
                return True
    return False


# ---------------------------------------------------------------------------

def proof_file(args, path, known, stats):
    fname = os.path.basename(path)
    work = os.path.join(args.work, fname)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    t0 = time.time()
    extra = []
    r = run([args.mtport, "inspect", "--json", path], check=False)
    if r.returncode == 3:
        extra.append("--recover")
        r = run([args.mtport, "inspect", "--json", "--recover", path])
    info = json.loads(r.stdout)[0]
    site = [] if info.get("url") else ["--site-url", SITE_URL]
    opts = extra + site
    entries = [json.loads(x) for x in run(
        [args.entries] + opts + [path]).stdout.split("\n") if x]
    feed = os.path.join(work, "feed.json")
    r = run([args.mtport, "convert", "-q", "--to", "jsonfeed",
             "--include-drafts", "-o", feed] + opts + [path], check=False)
    if r.returncode not in (0, 1):
        raise RuntimeError("jsonfeed: exit %d\n%s" % (r.returncode,
                                                      r.stderr[-2000:]))
    with open(feed, encoding="utf-8") as fh:
        jf = json.load(fh)
    items = jf["items"]
    problems = []  # (entry, kind, detail, targets)
    byid = {}
    for it in items:
        byid.setdefault(it["id"], []).append(it)
    pairs = []
    for e in entries:
        lst = byid.get(feed_id(e))
        if not lst:
            problems.append((e, "unmatched", "no JSON Feed item has id %s"
                             % feed_id(e), ("jsonfeed",)))
            pairs.append((e, None))
        else:
            pairs.append((e, lst.pop(0)))
    sites = {}
    for t in args.targets:
        out = os.path.join(work, "hugo" if t == "hugo" else "jekyll")
        if not os.path.exists(out):
            r = run([args.mtport, "convert", "-q", "--to",
                     "hugo" if t == "hugo" else "jekyll", "--scaffold",
                     "--no-comments", "-o", out] + opts + [path], check=False)
            if r.returncode not in (0, 1):
                raise RuntimeError("%s: exit %d\n%s" % (t, r.returncode,
                                                        r.stderr[-2000:]))
        sites[t] = hugo_site(out, work) if t == "hugo" else \
            jekyll_site(out, work, t)
    t_build = time.time() - t0

    md_bytes = esc = esc_bang = esc_bsl = 0
    if "hugo" in sites:
        for p in sites["hugo"]:
            _, body = front_matter(p.src)
            md_bytes += len(body.encode("utf-8"))
            a, b, c = md_escapes(body)
            esc, esc_bang, esc_bsl = esc + a, esc_bang + b, esc_bsl + c

    results = {}  # (ordinal) -> {(kind, detail): [targets]}
    mono_src = mono_lost = mono_bad = 0  # mono_bad: entries losing > 20%
    rebased = 0
    with_items = [(e, it) for e, it in pairs if it is not None]
    src_sum = {}
    for e, it in with_items:
        if e.get("site_html") is not None and \
                htmlproof.links_differ(it.get("content_html") or "",
                                       e["site_html"]):
            rebased += 1
        f = htmlproof.extract(source_html(e, it))
        # relative URLs left in the source resolve against the entry's page
        src_sum[e["ordinal"]] = (
            htmlproof.summary(f, e.get("body_base") or e.get("permalink")),
            htmlproof.mono_chars(f))
    for t in args.targets:
        matched, left = match([e for e, _ in with_items],
                              [it for _, it in with_items], sites[t])
        for (e, it), post in zip(with_items, matched):
            res = results.setdefault(e["ordinal"], {})
            if post is None:
                res.setdefault(("unmatched", "no %s post has this entry's "
                                "id, old URL, or title and date" % t),
                               []).append(t)
                continue
            try:
                title, body = page_body(post.page)
            except (OSError, ValueError) as err:
                res.setdefault(("page", str(err)), []).append(t)
                continue
            if plain(title) != post.shown:
                res.setdefault(("page", "the page's title \"%s\" is not the "
                                "post's \"%s\"" % (title, post.shown)),
                               []).append(t)
            pf = htmlproof.extract(body)
            got = htmlproof.summary(pf)
            want, smono = src_sum[e["ordinal"]]
            for kind, detail in htmlproof.compare(want, got):
                res.setdefault((kind, detail), []).append(t)
            if t == "hugo":
                pmono = htmlproof.mono_chars(pf)
                mono_src += len(smono)
                lost = htmlproof.lost(smono, pmono)
                mono_lost += lost
                if lost * 5 > len(smono):
                    mono_bad += 1
        for p in left:
            problems.append((None, "unmatched", "%s post %s matches no entry"
                             % (t, os.path.relpath(p.src, work)), (t,)))
    for e, kind, detail, targets in problems:
        if e is not None:
            results.setdefault(e["ordinal"], {}).setdefault(
                (kind, detail), []).extend(targets)

    unknown = known_n = 0
    for e in entries:
        res = results.get(e["ordinal"])
        if not res:
            continue
        note = ""
        for (kind, detail), targets in res.items():
            ok = is_known(known, fname, e, kind, targets)
            known_n += ok
            unknown += not ok
            print("%s:%d: entry %d \"%s\": %s: [%s] %s%s%s" % (
                fname, e["line"], e["ordinal"],
                plain(e.get("title")) or feed_id(e), kind,
                ", ".join(targets), detail, note,
                " (known)" if ok else ""))
    for e, kind, detail, targets in problems:
        if e is None:
            unknown += 1
            print("%s: %s: [%s] %s" % (fname, kind, ", ".join(targets),
                                       detail))
    if rebased:
        print("%s: note: %d entries have relative link or image URLs, which "
              "JSON Feed resolves against the blog's home and the sites "
              "against the entry's URL (exporters/); compared as the sites "
              "resolve them" % (fname, rebased))
    total = time.time() - t0
    print("%s: %d entries, %d divergences (%d known); monospace characters "
          "%d, lost on hugo %d; Markdown %d bytes, %d escapes (%d \\!, %d "
          "\\\\ before a letter); build %.1fs, total %.1fs" % (
              fname, len(entries), unknown + known_n, known_n, mono_src,
              mono_lost, md_bytes, esc, esc_bang, esc_bsl, t_build, total))
    stats.append({"file": fname, "entries": len(entries),
                  "divergences": unknown + known_n, "known": known_n,
                  "mono": mono_src, "mono_lost_hugo": mono_lost,
                  "mono_lost_entries": mono_bad, "rebased_urls": rebased,
                  "md_bytes": md_bytes, "escapes": esc,
                  "escapes_bang": esc_bang, "escapes_backslash": esc_bsl,
                  "diverging_entries": sum(1 for r in results.values() if r),
                  "seconds": round(total, 2)})
    return unknown


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mtport", required=True)
    ap.add_argument("--entries", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--known")
    ap.add_argument("--stats")
    ap.add_argument("--targets", default=",".join(TARGETS))
    ap.add_argument("inputs", nargs="+")
    args = ap.parse_args()
    args.targets = [t for t in args.targets.split(",") if t]
    for t in args.targets:
        if t not in TARGETS:
            ap.error("unknown target %s" % t)
    for exe in ("hugo", "jekyll"):
        if not shutil.which(exe):
            print("SKIP: %s is not installed" % exe)
            return 77
    if "jekyll-commonmark" in args.targets and subprocess.run(
            ["ruby", "-e", "require 'jekyll-commonmark'"],
            capture_output=True).returncode != 0:
        print("SKIP: jekyll-commonmark is not installed (.ci/install-deps "
              "installs ruby-jekyll-commonmark)")
        return 77
    inputs = [p for p in args.inputs if os.path.exists(p)]
    if not inputs:
        print("SKIP: no input (%s)" % ", ".join(args.inputs))
        return 77
    known = load_known(args.known)
    stats, unknown = [], 0
    for p in inputs:
        unknown += proof_file(args, p, known, stats)
    if args.stats:
        with open(args.stats, "w") as fh:
            json.dump(stats, fh, indent=1)
    if unknown:
        print("FAIL: %d divergences not in %s" % (unknown, args.known))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
